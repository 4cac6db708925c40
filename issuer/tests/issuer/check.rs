//! "Check your printout" through the router: a printout rendered by the issuer, rasterised by
//! poppler at 150 dpi as an office scanner would, and uploaded to `POST /api/v1/check` and the
//! `/check` page; tampered, revoked, blurred, shrunken and hostile uploads beside it.

use std::process::Command;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use issuer::clock::Clock;
use issuer::store::Db;
use issuer::web::AppState;
use serde_json::Value;
use shared::{Visa, VisaDraft};
use time::macros::datetime;

use crate::support::{Client, dev_key, portal_clocked, repo};

/// A portal whose "now" is inside the test vector's dates (1 Dec 2026 – 29 Jan 2027).
fn portal() -> (Router, AppState) {
    portal_clocked(
        Db::in_memory().expect("database"),
        Clock::fixed(datetime!(2026-12-05 08:00 UTC)),
    )
}

fn vector_visa() -> Visa {
    let json = std::fs::read_to_string(repo().join("shared/tests/vectors/visa.json"))
        .expect("the test vector");
    let draft: VisaDraft = serde_json::from_str(&json).expect("a visa draft");
    draft.into_visa().expect("a valid visa")
}

/// The printout PDF of the test vector with `token` in its QR code.
fn printout(token: &str) -> Vec<u8> {
    issuer::pdf::render(&vector_visa(), token, None).expect("the printout renders")
}

fn genuine_pdf() -> Vec<u8> {
    printout(&shared::sign(&vector_visa(), &dev_key()))
}

/// The PDF rasterised by `pdftoppm` at 150 dpi in gray, as PNG bytes.
fn scan_150(pdf: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let input = dir.path().join("visa.pdf");
    std::fs::write(&input, pdf).expect("write the PDF");
    let out = dir.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", "150", "-gray", "-png", "-singlefile"])
        .arg(&input)
        .arg(&out)
        .status()
        .expect("pdftoppm runs (install poppler-utils)");
    assert!(status.success());
    std::fs::read(out.with_extension("png")).expect("pdftoppm wrote a PNG")
}

fn png_of(gray: &image::GrayImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    gray.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .expect("encodes");
    bytes
}

/// Posts raw bytes to the API and returns the status and the JSON answer.
async fn api(app: &Router, body: Vec<u8>, content_type: &str) -> (StatusCode, Value) {
    api_as(&mut Client::new(app), body, content_type).await
}

/// [`api`] from this client's address.
async fn api_as(client: &mut Client, body: Vec<u8>, content_type: &str) -> (StatusCode, Value) {
    let request = Request::post("/api/v1/check")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request");
    let reply = client.send(request).await;
    let json = serde_json::from_str(&reply.body)
        .unwrap_or_else(|_| panic!("JSON answer ({}): {}", reply.status, reply.body));
    (reply.status, json)
}

fn multipart(bytes: &[u8], file_name: &str) -> (String, Vec<u8>) {
    let boundary = "----check-boundary-7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_genuine_printout_scanned_at_150_dpi_is_genuine_valid_today_and_good_enough() {
    let (app, _state) = portal();
    let (status, answer) = api(&app, scan_150(&genuine_pdf()), "image/png").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["verdict"], "valid", "{answer}");
    assert_eq!(answer["reason"], "ok");
    assert_eq!(answer["genuine"], true);
    assert_eq!(answer["revoked"], false);
    assert_eq!(answer["validity"]["inside"], true);
    assert_eq!(answer["validity"]["today"], "2026-12-05");
    assert_eq!(
        answer["visa"]["passport_number"],
        vector_visa().passport_number().as_str()
    );
    assert_eq!(answer["visa"]["visa_number"], "KZ2600017");
    assert_eq!(answer["picture"]["good_enough"], true, "{answer}");
    let module = answer["picture"]["module_pixels"]
        .as_f64()
        .expect("measured");
    assert!(
        (5.0..7.0).contains(&module),
        "{module}: the issuer prints 6-pixel modules at 150 dpi"
    );
    assert!(answer["airports"].as_array().is_some_and(|a| a.len() == 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_issued_pdf_itself_is_read_and_judged_the_same() {
    let (app, _state) = portal();
    let (status, answer) = api(&app, genuine_pdf(), "application/pdf").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["verdict"], "valid", "{answer}");
    assert_eq!(answer["picture"]["source"], "pdf");
    assert_eq!(answer["picture"]["good_enough"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_printout_with_a_tampered_code_is_not_genuine() {
    let (app, _state) = portal();
    let tampered = std::fs::read_to_string(repo().join("shared/tests/vectors/tampered.txt"))
        .expect("the tampered vector");
    let (status, answer) = api(&app, scan_150(&printout(tampered.trim())), "image/png").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["verdict"], "invalid", "{answer}");
    assert_eq!(answer["genuine"], false);
    assert!(
        answer["visa"].is_null(),
        "no data is shown from an unverified code"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_visa_is_said_to_be_revoked() {
    let (app, state) = portal();
    state
        .db
        .with(|conn| {
            // The revocation as the issuer records it; the visa row it refers to is the test
            // vector's, which this database never issued, so the reference is not enforced here.
            conn.execute_batch(match conn.backend() {
                issuer::store::Backend::Sqlite => {
                    "PRAGMA foreign_keys = OFF;
                     INSERT INTO revocations (visa_number, reason, revoked_at)
                     VALUES ('KZ2600017', 'passport reported stolen', '2026-12-02T10:00:00Z');
                     PRAGMA foreign_keys = ON;"
                }
                issuer::store::Backend::Postgres => {
                    "SET session_replication_role = replica;
                     INSERT INTO revocations (visa_number, reason, revoked_at)
                     VALUES ('KZ2600017', 'passport reported stolen', '2026-12-02T10:00:00Z');
                     SET session_replication_role = DEFAULT;"
                }
            })?;
            Ok(())
        })
        .expect("revoked");
    let (status, answer) = api(&app, genuine_pdf(), "application/pdf").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["verdict"], "invalid", "{answer}");
    assert_eq!(answer["reason"], "revoked");
    assert_eq!(answer["revoked"], true);
    assert_eq!(answer["genuine"], true, "the signature itself is genuine");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_printout_scaled_down_or_blurred_is_said_to_be_poor() {
    let (app, _state) = portal();
    let page = image::load_from_memory(&scan_150(&genuine_pdf()))
        .expect("PNG")
        .to_luma8();
    // "Fit to page" at a third of the size: modules of 2 pixels.
    let small = image::imageops::resize(
        &page,
        page.width() / 3,
        page.height() / 3,
        image::imageops::FilterType::Triangle,
    );
    let (status, answer) = api(&app, png_of(&small), "image/png").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["picture"]["good_enough"], false, "{answer}");
    let advice = answer["picture"]["advice"].to_string();
    assert!(
        advice.contains("too_small") || advice.contains("unreadable"),
        "{answer}"
    );

    let blurred = image::imageops::blur(&page, 3.5);
    let (status, answer) = api(&app, png_of(&blurred), "image/png").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["picture"]["good_enough"], false, "{answer}");
    let advice = answer["picture"]["advice"].to_string();
    assert!(
        advice.contains("blurred") || advice.contains("unreadable"),
        "{answer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_uploads_get_a_clear_json_4xx_and_nothing_crashes() {
    let (app, _state) = portal();
    let png = scan_150(&genuine_pdf());
    // A PNG header claiming 100 000 × 100 000 pixels (valid CRC), and nothing after it.
    let mut huge = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    let ihdr = [
        &100_000u32.to_be_bytes()[..],
        &100_000u32.to_be_bytes()[..],
        &[8, 0, 0, 0, 0],
    ]
    .concat();
    huge.extend_from_slice(&ihdr);
    let crc = crc32(&[&b"IHDR"[..], &ihdr].concat());
    huge.extend_from_slice(&crc.to_be_bytes());
    let cases: [(&str, Vec<u8>, StatusCode, &str); 6] = [
        (
            "text",
            b"hello, this is no picture".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_a_picture",
        ),
        (
            "empty",
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_a_picture",
        ),
        (
            "truncated PNG",
            png[..png.len() / 3].to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_a_picture",
        ),
        (
            "huge PNG header",
            huge,
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_many_pixels",
        ),
        (
            "foreign PDF",
            b"%PDF-1.7\n1 0 obj\n<</Length 3>>\nstream\nabc\nendstream\n".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "foreign_pdf",
        ),
        (
            "over 10 MB",
            vec![0u8; 10 * 1024 * 1024 + 1],
            StatusCode::PAYLOAD_TOO_LARGE,
            "",
        ),
    ];
    for (name, body, status, code) in cases {
        let mut client = Client::new(&app);
        let request = Request::post("/api/v1/check")
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(body))
            .expect("request");
        let reply = client.send(request).await;
        assert_eq!(reply.status, status, "{name}: {}", reply.body);
        if !code.is_empty() {
            let json: Value = serde_json::from_str(&reply.body).expect("a JSON error");
            assert_eq!(json["error"], code, "{name}");
            assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_gets_ten_checks_a_minute_then_a_429() {
    let (app, _state) = portal();
    let mut client = Client::new(&app);
    for _ in 0..issuer::web::printout::CHECKS_PER_MINUTE {
        let (status, _) = api_as(
            &mut client,
            b"no picture".to_vec(),
            "application/octet-stream",
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, answer) = api_as(
        &mut client,
        b"no picture".to_vec(),
        "application/octet-stream",
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answer["error"], "too_many_requests");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_page_takes_an_upload_and_shows_the_verdict_in_each_language() {
    let (app, _state) = portal();
    let mut client = Client::new(&app);
    let page = client.get("/check?lang=ru").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Проверка распечатки"), "{}", page.body);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    let (content_type, body) = multipart(&scan_150(&genuine_pdf()), "scan.png");
    let request = Request::post("/check?lang=en")
        .header(header::COOKIE, client.cookie_header())
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request");
    let result = client.send(request).await;
    assert_eq!(result.status, StatusCode::OK, "{}", result.body);
    assert!(
        result.body.contains("Genuine and valid today"),
        "{}",
        result.body
    );
    assert!(result.body.contains("KZ2600017"));
    let kk = client.get("/check?lang=kk").await;
    assert!(kk.body.contains("Басып шығаруды тексеру"));

    let (content_type, body) = multipart(b"not a picture", "notes.txt");
    let request = Request::post("/check")
        .header(header::COOKIE, client.cookie_header())
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request");
    let refused = client.send(request).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("notice error"), "{}", refused.body);
}

/// CRC-32 (IEEE) of PNG chunks, bit by bit: enough for one header.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
