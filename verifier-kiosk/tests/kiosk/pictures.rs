//! What the kiosk reads from a picture: the e-visa's code among several codes, and every picture
//! format a scanner or a phone writes.

use std::time::Duration;

use shared::{Port, TrustStore};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use verifier_kiosk::cli::decide_image;
use verifier_kiosk::decision::Verdict;
use verifier_kiosk::scan::{Pipeline, Want};

use crate::render::{BOOKING, a4_page_with_booking, jpeg, png};
use crate::{DURING, issuer, token};

/// A budget generous enough for a debug build on a busy machine: these tests are about what is
/// read, not how fast (the benchmark measures that).
fn pipeline() -> Pipeline {
    Pipeline {
        budget: Duration::from_secs(120),
        attempt_budget: Duration::from_secs(60),
        ..Pipeline::default()
    }
}

/// The verdict and reason the kiosk gives for a picture file, at NQZ on a day inside the visa's
/// validity.
fn verdict_of(name: &str, bytes: &[u8]) -> (Verdict, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    let trust = TrustStore::from_keys([issuer().public_key()]);
    let at = OffsetDateTime::parse(DURING, &Rfc3339).expect("time");
    let decision = decide_image(&path, &trust, Some(Port::Nqz), at, pipeline());
    (decision.verdict, decision.reason.to_string())
}

#[test]
fn a_printout_with_a_booking_code_beside_the_visa_is_valid() {
    let code = token(|_| {});
    for (name, bytes) in [
        (
            "page-300dpi.png",
            png(&a4_page_with_booking(&code, 300.0, 0.85, 0.0)),
        ),
        (
            "page-200dpi-crooked.jpg",
            jpeg(&a4_page_with_booking(&code, 200.0, 0.85, 3.0), 85),
        ),
    ] {
        assert_eq!(verdict_of(name, &bytes).0, Verdict::Valid, "{name}");
    }
}

#[test]
fn both_codes_on_the_page_are_found_and_the_visa_comes_first() {
    let code = token(|_| {});
    let page = png(&a4_page_with_booking(&code, 300.0, 0.85, 0.0));
    let scan = pipeline().scan_bytes(&page).expect("codes are read");
    assert_eq!(scan.texts.first(), Some(&code));
    let any = Pipeline {
        want: Want::AnyCode,
        ..pipeline()
    };
    let scan = any.scan_bytes(&page).expect("codes are read");
    assert!(scan.texts.contains(&code), "{:?}", scan.texts);
    assert!(scan.texts.contains(&BOOKING.to_owned()), "{:?}", scan.texts);
}

#[test]
fn a_page_with_only_a_booking_code_is_not_a_visa_rather_than_unreadable() {
    let mut page = image::GrayImage::from_pixel(1240, 1754, image::Luma([250]));
    crate::render::draw_code(&mut page, BOOKING, 600.0, 900.0, 6.0, 0.0);
    let scan = pipeline()
        .scan_bytes(&png(&page))
        .expect("the code is read");
    assert_eq!(scan.texts, vec![BOOKING.to_owned()]);
    assert_eq!(
        verdict_of("booking.png", &png(&page)),
        (Verdict::Invalid, "not_a_visa".to_owned())
    );
}
