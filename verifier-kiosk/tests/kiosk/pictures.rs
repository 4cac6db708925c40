//! What the kiosk reads from a picture: the e-visa's code among several codes, and every picture
//! format a scanner or a phone writes.

use std::time::Duration;

use shared::{Port, TrustStore};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use verifier_kiosk::cli::decide_image;
use verifier_kiosk::decision::Verdict;
use verifier_kiosk::scan::{Pipeline, Want};

use crate::render::{
    BOOKING, Shot, a4_page, a4_page_with_booking, encoded, jpeg, phone_photo, png,
};
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

/// A multi-page TIFF, 8-bit gray, one page per picture, as a document scanner's "scan to TIFF"
/// writes a stack of sheets.
fn tiff_pages(pages: &[image::GrayImage]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut encoder = tiff::encoder::TiffEncoder::new(&mut out).expect("a TIFF encoder");
    for page in pages {
        encoder
            .write_image::<tiff::encoder::colortype::Gray8>(
                page.width(),
                page.height(),
                page.as_raw(),
            )
            .expect("the page encodes");
    }
    out.into_inner()
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
    (decision.verdict(), decision.reason().to_string())
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
    let every = Pipeline {
        want: Want::Every,
        ..pipeline()
    };
    let scan = every.scan_bytes(&page).expect("codes are read");
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

#[test]
fn the_printout_is_valid_from_tiff_webp_and_bmp_files_too() {
    let code = token(|_| {});
    let page = a4_page(&code, 200.0, 0.85, 0.0);
    for (name, format) in [
        ("scan.tif", image::ImageFormat::Tiff),
        ("photo.webp", image::ImageFormat::WebP),
        ("scan.bmp", image::ImageFormat::Bmp),
    ] {
        assert_eq!(
            verdict_of(name, &encoded(&page, format)).0,
            Verdict::Valid,
            "{name}"
        );
    }
}

#[test]
fn the_first_page_of_a_multi_page_tiff_is_the_one_read() {
    let code = token(|_| {});
    let mut booking = image::GrayImage::from_pixel(1000, 1400, image::Luma([250]));
    crate::render::draw_code(&mut booking, BOOKING, 500.0, 700.0, 6.0, 0.0);
    let visa_first = tiff_pages(&[a4_page(&code, 150.0, 0.85, 0.0), booking.clone()]);
    let scan = pipeline().scan_bytes(&visa_first).expect("a code is read");
    assert_eq!(scan.texts, vec![code.clone()]);
    let booking_first = tiff_pages(&[booking, a4_page(&code, 150.0, 0.85, 0.0)]);
    let scan = pipeline()
        .scan_bytes(&booking_first)
        .expect("a code is read");
    assert_eq!(scan.texts, vec![BOOKING.to_owned()]);
}

#[test]
fn sixteen_bit_and_transparent_pngs_are_read_as_printed() {
    let code = token(|_| {});
    let page = a4_page(&code, 150.0, 0.85, 0.0);
    let deep = image::DynamicImage::ImageLuma8(page.clone()).into_rgb16();
    // Dark modules opaque, paper fully transparent (and black underneath, as many tools store
    // it): only laying alpha over white paper shows the code.
    let clear = image::RgbaImage::from_fn(page.width(), page.height(), |x, y| {
        let dark = page.get_pixel(x, y).0[0] < 128;
        image::Rgba(if dark { [0, 0, 0, 255] } else { [0, 0, 0, 0] })
    });
    for (name, picture) in [
        ("16-bit RGB", image::DynamicImage::ImageRgb16(deep)),
        ("transparent RGBA", image::DynamicImage::ImageRgba8(clear)),
    ] {
        let mut bytes = std::io::Cursor::new(Vec::new());
        picture
            .write_to(&mut bytes, image::ImageFormat::Png)
            .expect("encodes");
        let scan = pipeline().scan_bytes(bytes.get_ref()).expect(name);
        assert_eq!(scan.texts.first(), Some(&code), "{name}");
    }
}

#[test]
fn phone_photos_of_the_printout_turned_tilted_blurred_and_noisy_are_valid() {
    let code = token(|_| {});
    let shot = |angle_deg, tilt, blur, noise, booking| Shot {
        width: 1600,
        height: 1200,
        angle_deg,
        tilt,
        fill: 1.0,
        blur,
        noise,
        falloff: 0.3,
        booking,
        seed: 7,
    };
    for (name, shot) in [
        ("turned 160°, flat", shot(160.0, 0.0, 0.5, 3.0, false)),
        ("turned -35°, tilted", shot(-35.0, 0.25, 1.0, 6.0, true)),
        (
            "turned 80°, blurred and noisy",
            shot(80.0, 0.1, 1.0, 9.0, false),
        ),
        (
            "one of the benchmark's, made smaller",
            Shot {
                width: 1600,
                height: 1200,
                ..Shot::random(4)
            },
        ),
    ] {
        let bytes = jpeg(&phone_photo(&code, &shot), 80);
        assert_eq!(verdict_of("photo.jpg", &bytes).0, Verdict::Valid, "{name}");
    }
}
