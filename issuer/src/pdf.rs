//! The e-visa printout: one A4 page with the state's heading, the visa and holder data labelled
//! in Kazakh, Russian and English, the signed QR code, the MRV-A machine-readable zone in OCR-B
//! and the instruction's notes for the holder.
//!
//! The page is drawn with printpdf's plain operations (no layout engine) from fonts shipped in
//! `issuer/fonts/`. The output depends only on its inputs: the same visa, token and inviting
//! party always give the same bytes (the document dates come from the visa and the file
//! identifier from a hash of the token).

mod canvas;
mod page;
mod qr;
pub mod read;

use printpdf::{
    Mm, Op, ParsedFont, PdfConformance, PdfDocument, PdfPage, PdfSaveOptions, font::PdfFont,
};
use sha2::{Digest, Sha256};
use shared::Visa;

use canvas::{Face, Fonts, PAGE_HEIGHT, PAGE_WIDTH};

pub use qr::{MODULE_PIXELS, PIXEL_150_MM, QUIET_ZONE};

/// DejaVu Sans, subset to Latin, Latin-1 and Cyrillic (Kazakh letters included).
const DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold, subset likewise.
const DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
/// OCR-B, subset to the characters of a machine-readable zone.
const OCR_B: &[u8] = include_bytes!("../fonts/OCRB.otf");

/// Why a printout could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// An embedded font could not be parsed (a build defect, not bad input).
    #[error("the embedded font {0} cannot be read")]
    Font(&'static str),
    /// The token does not fit in a QR code.
    #[error("the token cannot be encoded as a QR code: {0}")]
    Qr(#[from] qrcode::types::QrError),
}

/// Renders the e-visa printout: `token` is the signed QR text for `visa` (from
/// [`shared::sign`]), `inviter` the inviting party as it should be printed (name and BIN/IIN).
pub fn render(visa: &Visa, token: &str, inviter: Option<&str>) -> Result<Vec<u8>, RenderError> {
    let fonts = Fonts {
        regular: parse_font(DEJAVU_SANS, "DejaVuSans")?,
        bold: parse_font(DEJAVU_SANS_BOLD, "DejaVuSans-Bold")?,
        ocr: parse_font(OCR_B, "OCRB")?,
    };
    let mut code = qr::Qr::encode(token)?;
    let ops = page::draw(&fonts, visa, &mut code, inviter);
    Ok(save(visa, token, fonts, ops))
}

/// A file name for the printout, like `e-visa-KZ2600017.pdf`.
pub fn file_name(visa: &Visa) -> String {
    format!("e-visa-{}.pdf", visa.number().as_str())
}

fn parse_font(bytes: &[u8], name: &'static str) -> Result<ParsedFont, RenderError> {
    let mut warnings = Vec::new();
    let mut font =
        ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or(RenderError::Font(name))?;
    font.font_name = Some(name.to_owned());
    Ok(font)
}

fn save(visa: &Visa, token: &str, fonts: Fonts, ops: Vec<Op>) -> Vec<u8> {
    let title = format!("E-visa {}", visa.number().as_str());
    let mut doc = PdfDocument::new(&title);
    let issued = pdf_date(visa);
    let info = &mut doc.metadata.info;
    info.creation_date = issued;
    info.modification_date = issued;
    info.metadata_date = issued;
    info.conformance = PdfConformance::default();
    info.author = "Migration Service of the Republic of Kazakhstan".to_owned();
    info.creator = "Kazakhstan e-visa issuer".to_owned();
    info.producer = "Kazakhstan e-visa issuer (printpdf)".to_owned();
    info.subject = "Electronic visa of the Republic of Kazakhstan".to_owned();
    info.identifier = visa.number().as_str().to_owned();
    // Fonts are registered under fixed ids (printpdf's own ids come from a process-wide
    // counter, which would make the bytes depend on what was rendered before).
    for (face, font) in [
        (Face::Regular, fonts.regular),
        (Face::Bold, fonts.bold),
        (Face::Ocr, fonts.ocr),
    ] {
        doc.resources
            .fonts
            .map
            .insert(face.id(), PdfFont::new(font));
    }
    doc.pages = vec![PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), ops)];
    let mut warnings = Vec::new();
    let bytes = doc.save(&PdfSaveOptions::default(), &mut warnings);
    fix_file_id(bytes, token)
}

/// The visa's issuing instant as printpdf's date type.
fn pdf_date(visa: &Visa) -> printpdf::OffsetDateTime {
    let at = visa.issued_at().to_offset(time::UtcOffset::UTC);
    // Built field by field (no clock, no fallible conversion): a visa's issuing instant is
    // always a valid calendar date and time.
    printpdf::OffsetDateTime {
        date: printpdf::Date {
            year: at.year(),
            month: u8::from(at.month()),
            day: at.day(),
        },
        time: printpdf::Time {
            hour: at.hour(),
            minute: at.minute(),
            second: at.second(),
            millisecond: 0,
        },
        offset: printpdf::Offset {
            hours: 0,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    }
}

/// Replaces the two random 32-character strings of the trailer's `/ID` with ones derived from
/// the token, in place and of the same length, so no offset in the file moves.
fn fix_file_id(mut bytes: Vec<u8>, token: &str) -> Vec<u8> {
    let digest = Sha256::digest(token.as_bytes());
    let id: Vec<u8> = digest[..16]
        .iter()
        .flat_map(|b| [b'A' + (b >> 4), b'A' + (b & 0x0f)])
        .collect();
    let Some(trailer) = find_last(&bytes, b"trailer") else {
        return bytes;
    };
    let Some(at) = find_last(&bytes[trailer..], b"/ID").map(|i| i + trailer) else {
        return bytes;
    };
    let mut cursor = at;
    for _ in 0..2 {
        let Some(open) = bytes[cursor..].iter().position(|&b| b == b'(') else {
            return bytes;
        };
        let start = cursor + open + 1;
        let end = start + id.len();
        if bytes.get(end) != Some(&b')') {
            return bytes;
        }
        bytes[start..end].copy_from_slice(&id);
        cursor = end + 1;
    }
    bytes
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}
