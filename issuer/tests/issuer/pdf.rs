//! The e-visa PDF as a border officer and a scanner see it: rasterised with poppler's `pdftoppm`,
//! its QR code decoded with rqrr and verified with `shared`, its text read with `pdftotext`.

use std::path::{Path, PathBuf};
use std::process::Command;

use shared::{IssuerKey, PublicKey, TrustStore, Visa, VisaDraft, VisaMrz};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn dev_key() -> IssuerKey {
    issuer::keys::keyfile::load_private(&repo().join("keys/dev-issuer.key"))
        .expect("the dev key loads")
}

fn dev_trust() -> TrustStore {
    let pem = std::fs::read_to_string(repo().join("keys/dev-issuer.pub")).expect("read pub key");
    TrustStore::from_keys([PublicKey::from_spki_pem(&pem).expect("the dev public key parses")])
}

fn vector_draft() -> VisaDraft {
    let json = std::fs::read_to_string(repo().join("shared/tests/vectors/visa.json"))
        .expect("read the test vector");
    serde_json::from_str(&json).expect("the test vector is a visa draft")
}

fn vector_visa() -> Visa {
    vector_draft()
        .into_visa()
        .expect("the test vector is a valid visa")
}

const INVITER: &str = "ТОО «Астана Тревел Сервис», БИН 120540012345";

fn render(visa: &Visa, inviter: Option<&str>) -> Vec<u8> {
    let token = shared::sign(visa, &dev_key());
    issuer::pdf::render(visa, &token, inviter).expect("the visa renders")
}

/// Writes the PDF to a temporary directory and runs a poppler tool on it.
fn poppler(pdf: &[u8], tool: &str, args: &[&str], output: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let input = dir.path().join("visa.pdf");
    std::fs::write(&input, pdf).expect("write the PDF");
    let out = dir.path().join(output);
    let status = Command::new(tool)
        .args(args)
        .arg(&input)
        .arg(&out)
        .status()
        .unwrap_or_else(|e| panic!("{tool} runs (install poppler-utils): {e}"));
    assert!(status.success(), "{tool} failed: {status}");
    (dir, out)
}

fn text_of(pdf: &[u8]) -> String {
    let (_dir, out) = poppler(pdf, "pdftotext", &["-enc", "UTF-8"], "visa.txt");
    std::fs::read_to_string(out).expect("pdftotext wrote UTF-8 text")
}

/// Rasterises the page in grey at `dpi` and returns the texts of the QR codes rqrr finds.
fn scan(pdf: &[u8], dpi: u32) -> Vec<String> {
    let dpi = dpi.to_string();
    let (_dir, prefix) = poppler(
        pdf,
        "pdftoppm",
        &["-r", &dpi, "-gray", "-png", "-singlefile"],
        "page",
    );
    let image = image::open(prefix.with_extension("png"))
        .expect("pdftoppm wrote a PNG")
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_meta, text)| text))
        .collect()
}

fn check_scan(dpi: u32) {
    let visa = vector_visa();
    let pdf = render(&visa, Some(INVITER));
    let texts = scan(&pdf, dpi);
    assert_eq!(texts.len(), 1, "one QR code on the page at {dpi} dpi");
    let verified = shared::verify(&texts[0], &dev_trust()).expect("the scanned token verifies");
    assert_eq!(verified.visa(), &visa);
}

#[test]
fn the_same_visa_renders_to_the_same_bytes_whatever_was_rendered_before() {
    let visa = vector_visa();
    let first = render(&visa, Some(INVITER));
    let mut other = vector_draft();
    other.visa_number = "KZ2600018".to_owned();
    let other = other.into_visa().expect("valid");
    let between = render(&other, None);
    let second = render(&visa, Some(INVITER));
    assert!(first == second, "two renderings of one visa differ");
    assert!(first != between, "two different visas render the same");
    assert!(first.starts_with(b"%PDF-"));
}

#[test]
fn the_printout_is_one_a4_page_of_moderate_size() {
    let pdf = render(&vector_visa(), Some(INVITER));
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("visa.pdf");
    std::fs::write(&path, &pdf).expect("write");
    let info = Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&info.stdout);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(field("Pages:"), "1", "{info}");
    assert_eq!(field("Page size:"), "595.276 x 841.89 pts (A4)", "{info}");
    assert!(pdf.len() < 200_000, "{} bytes", pdf.len());
}

#[test]
fn the_text_layer_holds_the_headings_the_holder_data_the_notes_and_both_mrz_lines() {
    let visa = vector_visa();
    let text = text_of(&render(&visa, Some(INVITER)));
    let mrz = VisaMrz::of(&visa);
    for expected in [
        "Қазақстан Республикасы",
        "Республика Казахстан",
        "Republic of Kazakhstan",
        "ЭЛЕКТРОНДЫҚ ВИЗА / ЭЛЕКТРОННАЯ ВИЗА / ELECTRONIC VISA",
        "Виза нөмірі",
        "Номер визы",
        "Visa number",
        "KZ2600017",
        "Іскерлік / Деловая / Business",
        "Бір реттік / Однократная / Single",
        "01.12.2026",
        "29.01.2027",
        "30 күн / дней / days",
        "Astana (Nur-Sultan) NQZ",
        "Almaty ALA",
        "ERIKSSON",
        "Эрикссон",
        "ANNA MARIA",
        "Анна Мария",
        "L898902C3",
        "SWE",
        "12.08.1974",
        "Әйел / Женский / Female",
        "INV-2026-000001",
        "БИН 120540012345",
        "25.11.2026",
        "must be printed",
        "international airports of Astana (Nur-Sultan) and Almaty",
        "with the passport during the entire stay",
        &mrz.line1,
        &mrz.line2,
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is missing from:\n{text}"
        );
    }
    assert_eq!(mrz.line1.len(), 44);
    assert_eq!(mrz.line2.len(), 44);
}

#[test]
fn the_qr_code_decodes_from_a_150_dpi_raster_and_verifies_to_the_same_visa() {
    check_scan(150);
}

#[test]
fn the_qr_code_decodes_from_a_300_dpi_raster_and_verifies_to_the_same_visa() {
    check_scan(300);
}

#[test]
fn long_names_chinese_native_names_and_a_long_inviter_still_give_a_verifiable_page() {
    let mut draft = vector_draft();
    draft.surname = "WOLFESCHLEGELSTEINHAUSENBERGERDORFF".to_owned();
    draft.given_names = Some("HUBERT BLAINE MAXIMILIAN".to_owned());
    draft.surname_native = Some("王".to_owned());
    draft.given_names_native = Some("小明".to_owned());
    let visa = draft.into_visa().expect("valid");
    let inviter = "Товарищество с ограниченной ответственностью «Международный медицинский \
                   центр восстановительного лечения и реабилитации», БИН 120540012345";
    let pdf = render(&visa, Some(inviter));
    let text = text_of(&pdf);
    assert!(
        text.contains("WOLFESCHLEGELSTEINHAUSENBERGERDORFF"),
        "{text}"
    );
    assert!(text.contains('王'), "{text}");
    assert!(text.contains("小明"), "{text}");
    assert!(text.contains(&VisaMrz::of(&visa).line1), "{text}");
    let texts = scan(&pdf, 150);
    assert_eq!(texts.len(), 1);
    let verified = shared::verify(&texts[0], &dev_trust()).expect("verifies");
    assert_eq!(verified.visa(), &visa);
}

#[test]
fn the_longest_token_still_decodes_from_a_150_dpi_raster() {
    let mut draft = vector_draft();
    draft.surname = "A".repeat(39);
    draft.given_names = Some(format!("{} {}", "B".repeat(19), "C".repeat(19)));
    draft.surname_native = Some("Ж".repeat(39));
    draft.given_names_native = Some(format!("{} {}", "Щ".repeat(19), "Щ".repeat(19)));
    draft.invitation_number = "INV-2026-00000000001".to_owned();
    let visa = draft.into_visa().expect("valid");
    let pdf = render(&visa, Some(INVITER));
    let texts = scan(&pdf, 150);
    assert_eq!(texts.len(), 1);
    let verified = shared::verify(&texts[0], &dev_trust()).expect("verifies");
    assert_eq!(verified.visa(), &visa);
}

#[test]
fn cyrillic_native_names_give_a_larger_symbol_that_still_decodes_at_150_dpi() {
    let mut draft = vector_draft();
    draft.surname = "KONSTANTINOPOLSKIY".to_owned();
    draft.given_names = Some("ALEKSANDR VLADIMIROVICH".to_owned());
    draft.surname_native = Some("Константинопольский".to_owned());
    draft.given_names_native = Some("Александр Владимирович".to_owned());
    draft.citizenship = "RUS".to_owned();
    let visa = draft.into_visa().expect("valid");
    let pdf = render(&visa, Some(INVITER));
    let text = text_of(&pdf);
    assert!(text.contains("Константинопольский"), "{text}");
    assert!(text.contains("Александр Владимирович"), "{text}");
    let texts = scan(&pdf, 150);
    assert_eq!(texts.len(), 1);
    let verified = shared::verify(&texts[0], &dev_trust()).expect("verifies");
    assert_eq!(verified.visa(), &visa);
}

#[test]
fn the_file_name_carries_the_visa_number() {
    assert_eq!(
        issuer::pdf::file_name(&vector_visa()),
        "e-visa-KZ2600017.pdf"
    );
}

#[test]
fn the_render_command_writes_the_pdf_and_refuses_bad_json_with_exit_code_2() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = dir.path().join("visa.pdf");
    let run = |visa: &Path, out: &Path| {
        Command::new(env!("CARGO_BIN_EXE_issuer"))
            .arg("render")
            .arg("--key")
            .arg(repo().join("keys/dev-issuer.key"))
            .arg(visa)
            .arg("--out")
            .arg(out)
            .args(["--inviter", INVITER])
            .output()
            .expect("issuer runs")
    };
    let ok = run(&repo().join("shared/tests/vectors/visa.json"), &out);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let written = std::fs::read(&out).expect("the PDF was written");
    assert!(
        written == render(&vector_visa(), Some(INVITER)),
        "the CLI renders what the library does"
    );

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"visa_number\": ").expect("write");
    let refused = run(&bad, &dir.path().join("no.pdf"));
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("invalid visa JSON"));

    let mut invalid = vector_draft();
    invalid.sex = "Q".to_owned();
    let invalid_path = dir.path().join("invalid.json");
    std::fs::write(
        &invalid_path,
        serde_json::to_string(&invalid).expect("json"),
    )
    .expect("write");
    let refused = run(&invalid_path, &dir.path().join("no.pdf"));
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("invalid visa"));
    assert!(!dir.path().join("no.pdf").exists());
}
