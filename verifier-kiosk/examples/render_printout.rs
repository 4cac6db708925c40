//! Renders a code as the kiosk's tests do (an A4 page, or a phone photo) into a PNG, JPEG, TIFF,
//! WebP or BMP file for screenshots and manual trials:
//! `render_printout TOKEN_FILE OUT [dpi|photo|booking|phone SEED]`
//! (`booking`: a 300-dpi page with a hotel booking's code beside the visa's). TOKEN_FILE `sample`
//! is the sample visa (`shared/tests/vectors/visa.json`) signed with the development key.

#[path = "../tests/kiosk/render.rs"]
mod render;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, token_file, out, rest @ ..] = args.as_slice() else {
        eprintln!(
            "usage: render_printout TOKEN_FILE OUT.png|jpg|tif|webp|bmp [DPI|photo|booking|phone SEED]"
        );
        return std::process::ExitCode::from(64);
    };
    let token = if token_file == "sample" {
        let key = shared::IssuerKey::from_pkcs8_pem(include_str!("../../keys/dev-issuer.key"))
            .expect("the committed development key reads");
        let draft: shared::VisaDraft =
            serde_json::from_str(include_str!("../../shared/tests/vectors/visa.json"))
                .expect("the committed sample visa reads");
        shared::sign(&draft.into_visa().expect("the sample visa is valid"), &key)
    } else {
        let Ok(token) = std::fs::read_to_string(token_file) else {
            eprintln!("cannot read {token_file}");
            return std::process::ExitCode::FAILURE;
        };
        token
    };
    let token = token.trim();
    let picture = match rest.first().map(String::as_str) {
        Some("photo") => render::photo(token, 1920, 1080, 7.0, 8.0),
        Some("booking") => render::a4_page_with_booking(token, 300.0, 0.85, 0.0),
        // One of the decode benchmark's phone-like photos: `phone SEED`.
        Some("phone") => {
            let seed = rest.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
            render::phone_photo(token, &render::Shot::random(seed))
        }
        other => render::a4_page(
            token,
            other.and_then(|d| d.parse().ok()).unwrap_or(150.0),
            0.85,
            0.0,
        ),
    };
    let bytes = match out.rsplit('.').next() {
        Some("jpg") => render::jpeg(&picture, 85),
        Some("tif") => render::encoded(&picture, image::ImageFormat::Tiff),
        Some("webp") => render::encoded(&picture, image::ImageFormat::WebP),
        Some("bmp") => render::encoded(&picture, image::ImageFormat::Bmp),
        _ => render::png(&picture),
    };
    match std::fs::write(out, bytes) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{out}: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
