//! The reading pipeline on printouts rendered like the issuer's: A4 pages at scanner resolutions,
//! turned and crooked, PNG and JPEG, and phone photos of the code.

use std::time::Duration;

use verifier_kiosk::scan::{Pipeline, Scan, ScanError};

use crate::render::{a4_page, jpeg, photo, png};
use crate::token;

/// A budget generous enough for a debug build on a busy machine: these tests are about what is
/// read, not how fast (the benchmark measures that).
fn pipeline() -> Pipeline {
    Pipeline {
        budget: Duration::from_secs(120),
        attempt_budget: Duration::from_secs(60),
        ..Pipeline::default()
    }
}

fn check(cases: &[(&str, Vec<u8>)], expect: &str) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(name, bytes)| match pipeline().scan_bytes(bytes) {
            Ok(Scan { texts, .. }) if texts.first().map(String::as_str) == Some(expect) => None,
            other => Some(format!("{name}: {other:?}")),
        })
        .collect();
    assert!(failures.is_empty(), "not read: {failures:#?}");
}

#[test]
fn a4_scans_at_300_dpi_are_read_in_every_orientation_and_when_crooked() {
    let code = token(|_| {});
    let cases: Vec<_> = [0.0, 90.0, 180.0, 270.0, 4.0, -11.0, 33.0]
        .into_iter()
        .map(|angle| {
            (
                format!("300 dpi, {angle}°"),
                png(&a4_page(&code, 300.0, 0.85, angle)),
            )
        })
        .collect();
    let cases: Vec<(&str, Vec<u8>)> = cases.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    check(&cases, &code);
}

#[test]
fn a4_scans_at_150_200_and_600_dpi_are_read() {
    let code = token(|_| {});
    let cases = [
        ("150 dpi", png(&a4_page(&code, 150.0, 0.85, 0.0))),
        ("150 dpi, 2°", png(&a4_page(&code, 150.0, 0.85, 2.0))),
        (
            "200 dpi JPEG q75",
            jpeg(&a4_page(&code, 200.0, 0.85, -3.0), 75),
        ),
        ("600 dpi", png(&a4_page(&code, 600.0, 0.85, 0.0))),
    ];
    check(&cases, &code);
}

#[test]
fn phone_photos_with_uneven_light_blur_and_jpeg_are_read() {
    let code = token(|_| {});
    let cases = [
        ("1080p, 8°", jpeg(&photo(&code, 1920, 1080, 7.0, 8.0), 80)),
        (
            "1080p, -25°",
            jpeg(&photo(&code, 1920, 1080, 6.0, -25.0), 70),
        ),
        (
            "1280x960, 140°",
            jpeg(&photo(&code, 1280, 960, 6.0, 140.0), 85),
        ),
    ];
    check(&cases, &code);
}

#[test]
fn a_page_without_a_code_is_reported_as_no_code() {
    // Lines of "text" and nothing else.
    let page = image::GrayImage::from_fn(827, 1169, |x, y| {
        image::Luma([if y % 40 < 8 && x % 12 < 9 { 30 } else { 250 }])
    });
    assert_eq!(pipeline().scan_bytes(&png(&page)), Err(ScanError::NoCode));
}

#[test]
fn a_150_dpi_raster_of_the_issuers_pdf_printout_is_read_and_verifies() {
    let bytes = include_bytes!("data/issuer-printout-150dpi.jpg");
    let scan = pipeline()
        .scan_bytes(bytes)
        .expect("the printout's code is read");
    let trust = shared::TrustStore::from_keys([crate::issuer().public_key()]);
    let text = scan.texts.first().expect("one code");
    let verified = shared::verify(text, &trust).expect("the printout's code verifies");
    assert_eq!(verified.number().as_str(), "KZ2600017");
}
