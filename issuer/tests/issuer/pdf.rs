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

/// A native name in each script Step 1 accepts: (surname, given names).
const NAMES_IN_EVERY_SCRIPT: [(&str, &str); 11] = [
    ("Ærøskøbing-Łukasiewicz", "Åsa Ægir Şükrü Ğülşen"),
    ("Məmmədova", "Ərəb Gülnarə"),
    ("Nguyễn", "Thị Ánh Hồng Đức"),
    ("Құрманғазы", "Әлия Ұлжан Һадиша"),
    ("Παπαδόπουλος", "Αικατερίνη Ῥόδη"),
    ("Հովհաննիսյան", "Անահիտ"),
    ("ჯავახიშვილი", "ნინო"),
    ("王", "小明"),
    ("山田", "はなこ ハナコ"),
    ("김", "민준"),
    ("Őry", "Ľudmila Ŕíša"),
];

/// The draft of the vector visa with these native names (and Latin names of the same length
/// class, so the token's size varies as it would).
fn with_native(surname: &str, given: &str) -> Visa {
    let mut draft = vector_draft();
    draft.surname_native = Some(surname.to_owned());
    draft.given_names_native = Some(given.to_owned());
    draft.into_visa().expect("valid")
}

/// pdftotext's output with every run of white space made one space.
fn words_of(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_native_name_in_every_supported_script_prints_exactly_as_signed_into_the_qr_code() {
    for (surname, given) in NAMES_IN_EVERY_SCRIPT {
        let visa = with_native(surname, given);
        let token = shared::sign(&visa, &dev_key());
        let pdf = issuer::pdf::render(&visa, &token, Some(INVITER)).expect("renders");
        // The signed claim: what the QR code holds, verified.
        let verified = shared::verify(&token, &dev_trust()).expect("verifies");
        let claim = verified.visa();
        let signed_surname = claim.surname_native().expect("signed").as_str();
        let signed_given = claim.given_names_native().expect("signed").as_str();
        assert_eq!((signed_surname, signed_given), (surname, given));
        // What the page says, as a text extractor (and so a reader) sees it.
        let text = words_of(&text_of(&pdf));
        assert!(
            text.contains(signed_surname),
            "{signed_surname:?} not in:\n{text}"
        );
        assert!(
            text.contains(signed_given),
            "{signed_given:?} not in:\n{text}"
        );
        // The scripts with the largest glyphs and tokens are also read back from a 150-dpi
        // raster (every script would take a minute in a debug build).
        if ["Παπαδόπουλος", "ჯავახიშვილი", "王", "김"].contains(&surname)
        {
            let texts = scan(&pdf, 150);
            assert_eq!(
                texts,
                std::slice::from_ref(&token),
                "{surname}: the QR code at 150 dpi"
            );
        }
    }
}

#[test]
fn every_letter_step_one_accepts_has_a_glyph_in_the_printout_fonts() {
    let mut letters = 0;
    for (script, range) in issuer::domain::script::SUPPORTED {
        for c in range.clone().filter(|c| c.is_alphabetic()) {
            letters += 1;
            assert!(
                issuer::pdf::can_show(&c.to_string()),
                "{script:?} U+{:04X} {c} is accepted at Step 1 but has no glyph",
                u32::from(c)
            );
        }
    }
    assert!(letters > 30_000, "{letters}");
    assert!(!issuer::pdf::can_show("مريم"));
}

/// The boxes `pdftotext -bbox` gives for each word on the page: (word, x min, x max) in points.
fn word_boxes(pdf: &[u8]) -> Vec<(String, f32, f32)> {
    let (_dir, out) = poppler(pdf, "pdftotext", &["-bbox", "-enc", "UTF-8"], "words.html");
    let html = std::fs::read_to_string(out).expect("pdftotext wrote HTML");
    let attr = |line: &str, name: &str| -> f32 {
        let at = line.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        line[at..at + line[at..].find('"').expect("quote")]
            .parse()
            .expect("a number")
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| {
            let word =
                l[l.find('>').expect(">") + 1..l.rfind("</word>").expect("</word>")].to_owned();
            (word, attr(l, "xMin"), attr(l, "xMax"))
        })
        .collect()
}

#[test]
fn a_39_character_chinese_name_is_wrapped_inside_its_box_left_of_the_qr_code() {
    let surname = "欧阳";
    let given: String =
        "龙飞凤舞鹏程万里海阔天空山高水长春华秋实日新月异风调雨顺国泰民安福寿康宁吉祥如意"
            .chars()
            .take(38)
            .collect();
    let given = format!("{given}乐");
    assert_eq!(
        given.chars().count(),
        39,
        "the longest native name Step 1 accepts"
    );
    let visa = with_native(surname, &given);
    let pdf = render(&visa, Some(INVITER));
    let text: String = text_of(&pdf).split_whitespace().collect();
    assert!(text.contains(&given), "the whole name is printed:\n{text}");
    // The QR code's quiet zone starts at the table's right edge at the earliest (116.5 mm);
    // every piece of the name ends left of it.
    let table_right_pt = 116.5 * 72.0 / 25.4;
    let pieces: Vec<_> = word_boxes(&pdf)
        .into_iter()
        .filter(|(w, _, _)| w.chars().any(|c| given.contains(c)))
        .collect();
    assert!(pieces.len() >= 2, "the long name is wrapped: {pieces:?}");
    for (word, _, x_max) in &pieces {
        assert!(*x_max <= table_right_pt, "{word} reaches {x_max} pt");
    }
    let texts = scan(&pdf, 150);
    assert_eq!(texts.len(), 1);
    assert_eq!(
        shared::verify(&texts[0], &dev_trust())
            .expect("verifies")
            .visa(),
        &visa
    );
}

#[test]
fn the_vector_visa_prints_on_at_most_30_kb_and_a_name_in_a_new_script_adds_little() {
    let plain = render(&vector_visa(), Some(INVITER));
    assert!(plain.len() <= 30 * 1024, "{} bytes", plain.len());
    let chinese = render(&with_native("王", "小明"), Some(INVITER));
    assert!(chinese.len() <= 36 * 1024, "{} bytes", chinese.len());
}

/// The demo applicant's Step 1 fields with these native names.
fn step_one(surname_native: &str, given_native: &str) -> Vec<(String, String)> {
    let expiry = (crate::support::today() + time::Duration::days(3 * 365)).to_string();
    [
        ("invitation_number", "INV-DEMO-0001"),
        ("category", "tourist"),
        ("surname", "ERIKSSON"),
        ("given_names", "ANNA MARIA"),
        ("surname_native", surname_native),
        ("given_names_native", given_native),
        ("sex", "F"),
        ("date_of_birth", "1974-08-12"),
        ("citizenship", "SWE"),
        ("passport_number", "L898902C3"),
        ("passport_expiry", expiry.as_str()),
        ("with_children", "no"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// The message beside a field of a page.
fn field_error(page: &str, field: &str) -> Option<String> {
    let marker = format!("id=\"e-{field}\" role=\"alert\">");
    page.find(&marker).map(|at| {
        let rest = &page[at + marker.len()..];
        rest[..rest.find('<').expect("closing tag")].to_owned()
    })
}

#[tokio::test]
async fn step_one_refuses_a_script_the_printout_cannot_show_beside_the_name_in_three_languages() {
    use axum::http::StatusCode;
    let (app, _) = crate::support::portal_with(
        issuer::store::Db::in_memory().expect("database"),
        "http://127.0.0.1:9",
        crate::support::SECRET,
        "",
    );
    let mut anna = crate::support::Client::new(&app);
    anna.sign_up("anna@example.com").await;
    for (lang, words) in [
        ("en", "This script cannot be printed on the e-visa."),
        (
            "ru",
            "Эту письменность нельзя напечатать на электронной визе.",
        ),
        (
            "kk",
            "Бұл жазуды электрондық визада басып шығару мүмкін емес.",
        ),
    ] {
        anna.get(&format!("/apply?lang={lang}")).await;
        let fields = step_one("Эрикссон", "مريم");
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let reply = anna.post("/apply", &fields).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
        let message =
            field_error(&reply.body, "given_names_native").expect("an error beside the field");
        assert!(message.starts_with(words), "{lang}: {message}");
        assert_eq!(
            field_error(&reply.body, "surname_native"),
            None,
            "Cyrillic is fine"
        );
        assert!(
            reply.body.contains("value=\"مريم\""),
            "the typed name is kept"
        );
    }
    // The same applicant with a Greek name goes on to the confirmation.
    let fields = step_one("Παπαδοπούλου", "Άννα");
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let reply = anna.post("/apply", &fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
}

#[tokio::test]
async fn the_api_refuses_a_script_the_printout_cannot_show_with_a_json_reason() {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use tower::ServiceExt;
    let (app, _) = crate::support::portal_with(
        issuer::store::Db::in_memory().expect("database"),
        "http://127.0.0.1:9",
        crate::support::SECRET,
        "",
    );
    let call = |path: &str, token: Option<&str>, body: serde_json::Value| {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = request.body(Body::from(body.to_string())).expect("request");
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await.expect("infallible");
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("body");
            (
                status,
                serde_json::from_slice::<serde_json::Value>(&bytes).expect("JSON"),
            )
        }
    };
    let account = serde_json::json!({"email": "api@example.com", "full_name": "API User",
        "password": crate::support::PASSWORD});
    assert_eq!(
        call("/api/v1/accounts", None, account).await.0,
        StatusCode::ACCEPTED
    );
    let login =
        serde_json::json!({"identifier": "api@example.com", "password": crate::support::PASSWORD});
    let (_, session) = call("/api/v1/sessions", None, login).await;
    let token = session["token"].as_str().expect("a token");
    let mut form: serde_json::Map<String, serde_json::Value> = step_one("שרה", "")
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, serde_json::Value::String(v)))
        .collect();
    let (status, body) = call("/api/v1/applications", Some(token), form.clone().into()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"], "invalid_fields");
    let reason = &body["fields"]["surname_native"];
    assert_eq!(reason["code"], "unsupported_script", "{body}");
    let message = reason["message"].as_str().expect("a message");
    for script in [
        "Latin", "Cyrillic", "Greek", "Armenian", "Georgian", "Chinese", "Japanese", "Korean",
    ] {
        assert!(message.contains(script), "{message}");
    }
    form.insert("surname_native".to_owned(), "ჯავახიშვილი".into());
    let (status, body) = call("/api/v1/applications", Some(token), form.into()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}
