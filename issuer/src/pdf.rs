//! The e-visa printout: one A4 page with the state's heading, the visa and holder data labelled
//! in Kazakh, Russian and English, the signed QR code, the MRV-A machine-readable zone in OCR-B
//! and the instruction's notes for the holder.
//!
//! The page is drawn on a small canvas (no layout engine) and written by our own PDF writer, so
//! that each font is embedded as a subset of the glyphs the page uses: the glyphs of the fixed
//! text are subset and compressed once per process, the few a document's data adds are subset
//! per document. Fonts live in `issuer/fonts/` with their licences; a character falls back to
//! the first font that has it (DejaVu Sans, then Droid Sans Fallback for Chinese and Japanese,
//! then Evisa Hangul for Korean). The output depends only on its inputs: the same visa, token
//! and inviting party always give the same bytes (the document date comes from the visa and the
//! file identifier from a hash of the token).

mod canvas;
mod document;
mod embed;
mod font;
mod mask;
mod page;
mod qr;
pub mod read;

use shared::Visa;

pub use qr::{MODULE_PIXELS, PIXEL_150_MM, QUIET_ZONE};

/// Why a printout could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// An embedded font could not be read or subset (a build defect, not bad input).
    #[error("the embedded font cannot be used: {0}")]
    Font(String),
    /// The token does not fit in a QR code.
    #[error("the token cannot be encoded as a QR code: {0}")]
    Qr(#[from] qrcode::types::QrError),
}

/// Renders the e-visa printout: `token` is the signed QR text for `visa` (from
/// [`shared::sign`]), `inviter` the inviting party as it should be printed (name and BIN/IIN).
pub fn render(visa: &Visa, token: &str, inviter: Option<&str>) -> Result<Vec<u8>, RenderError> {
    let mut code = qr::Qr::encode(token)?;
    let marks =
        page::draw(visa, &mut code, inviter).map_err(|e| RenderError::Font(e.to_string()))?;
    let info = document::Info {
        title: format!("E-visa {}", visa.number().as_str()),
        subject: "Electronic visa of the Republic of Kazakhstan",
        author: "Migration Service of the Republic of Kazakhstan",
        creator: "Kazakhstan e-visa issuer",
        date: pdf_date(visa),
    };
    document::write(&marks, &code.bitmap(), &info, token)
        .map_err(|e| RenderError::Font(e.to_string()))
}

/// The printout as the service layer asks for it (`service::visa_pdf::Printer`).
#[derive(Debug, Clone, Copy)]
pub struct Printout;

impl crate::service::visa_pdf::Printer for Printout {
    fn print(&self, visa: &Visa, token: &str, inviter: &str) -> anyhow::Result<Vec<u8>> {
        Ok(render(visa, token, Some(inviter))?)
    }
}

/// Whether the printout's fonts can show every character of `text` (in the regular face the
/// native-script names are printed in, with its fallbacks).
pub fn can_show(text: &str) -> bool {
    font::covers(font::Face::Regular, text)
}

/// A file name for the printout, like `e-visa-KZ2600017.pdf`.
pub fn file_name(visa: &Visa) -> String {
    format!("e-visa-{}.pdf", visa.number().as_str())
}

/// The visa's issuing instant as a PDF date, in UTC.
fn pdf_date(visa: &Visa) -> String {
    let at = visa.issued_at().to_offset(time::UtcOffset::UTC);
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}
