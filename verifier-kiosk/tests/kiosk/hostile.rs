//! Hostile and broken pictures: each must end as CANNOT VERIFY "unreadable", never as a crash, a
//! hang or a huge allocation.

use std::process::Command;
use std::time::Duration;

use verifier_kiosk::scan::{Pipeline, ScanError, load_gray};

use crate::render::{BOOKING, a4_page, draw_code, encoded, png};
use crate::{token, trust_dir};

/// The CRC-32 of PNG chunks, so the crafted headers below are otherwise well-formed.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
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

/// A PNG claiming `width`×`height` 8-bit gray: signature, IHDR, a tiny IDAT and IEND, so the
/// header reads cleanly and only the claimed size is wrong.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [
        (b"IHDR", ihdr),
        (
            b"IDAT",
            vec![0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
        ),
        (b"IEND", Vec::new()),
    ] {
        let mut chunk = kind.to_vec();
        chunk.extend(&data);
        out.extend(u32::try_from(data.len()).expect("small").to_be_bytes());
        out.extend(&chunk);
        out.extend(crc32(&chunk).to_be_bytes());
    }
    out
}

/// A little-endian TIFF whose first directory claims `width`×`height` 8-bit gray and holds no
/// strips.
fn tiff_header(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"II".to_vec();
    out.extend(42u16.to_le_bytes());
    out.extend(8u32.to_le_bytes());
    out.extend(3u16.to_le_bytes());
    for (tag, kind, value) in [(256u16, 4u16, width), (257, 4, height), (258, 3, 8)] {
        out.extend(tag.to_le_bytes());
        out.extend(kind.to_le_bytes());
        out.extend(1u32.to_le_bytes());
        out.extend(value.to_le_bytes());
    }
    out.extend(0u32.to_le_bytes());
    out
}

/// A BMP file and info header claiming `width`×`height` 24-bit pixels, with none of them.
fn bmp_header(width: i32, height: i32) -> Vec<u8> {
    let mut out = b"BM".to_vec();
    out.extend(54u32.to_le_bytes());
    out.extend([0; 4]);
    out.extend(54u32.to_le_bytes());
    out.extend(40u32.to_le_bytes());
    out.extend(width.to_le_bytes());
    out.extend(height.to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend(24u16.to_le_bytes());
    out.extend([0; 24]);
    out
}

/// An extended WebP whose canvas is `width`×`height`, with no frame.
fn webp_header(width: u32, height: u32) -> Vec<u8> {
    let mut chunk = b"VP8X".to_vec();
    chunk.extend(10u32.to_le_bytes());
    chunk.extend([0; 4]);
    chunk.extend(&(width - 1).to_le_bytes()[..3]);
    chunk.extend(&(height - 1).to_le_bytes()[..3]);
    let mut out = b"RIFF".to_vec();
    out.extend(u32::try_from(chunk.len() + 4).expect("small").to_le_bytes());
    out.extend(b"WEBP");
    out.extend(chunk);
    out
}

/// Deterministic noise.
fn random_bytes(len: usize) -> Vec<u8> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn hostile_cases() -> Vec<(&'static str, Vec<u8>)> {
    let page = png(&a4_page(&token(|_| {}), 100.0, 0.85, 0.0));
    vec![
        ("an empty file", Vec::new()),
        ("random bytes", random_bytes(50_000)),
        ("a PNG cut in half", page[..page.len() / 2].to_vec()),
        ("a PNG header only", page[..40].to_vec()),
        ("a PNG of 0×0 pixels", png_header(0, 0)),
        (
            "a PNG claiming 100000×100000 pixels",
            png_header(100_000, 100_000),
        ),
        (
            "a PNG claiming 19000×19000 pixels",
            png_header(19_000, 19_000),
        ),
        (
            "a JPEG claiming 65000×65000 pixels",
            vec![
                0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xFD, 0xE8, 0xFD, 0xE8, 0x03, 0x01, 0x22,
                0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xFF, 0xD9,
            ],
        ),
        ("a text file", b"KZV1:this is not a picture\n".to_vec()),
        (
            "a TIFF claiming 100000×100000 pixels",
            tiff_header(100_000, 100_000),
        ),
        ("a TIFF claiming 0×10 pixels", tiff_header(0, 10)),
        ("a TIFF with no strips", tiff_header(64, 64)),
        ("a TIFF whose directory lies past its end", {
            let mut bytes = tiff_header(64, 64);
            bytes[4..8].copy_from_slice(&0xFFFF_FF00u32.to_le_bytes());
            bytes
        }),
        (
            "a BMP claiming 70000×70000 pixels",
            bmp_header(70_000, 70_000),
        ),
        ("a BMP of negative width", bmp_header(-640, 480)),
        ("a BMP with no pixels", bmp_header(640, -480)),
        (
            "a WebP claiming 16384×16384 pixels",
            webp_header(16_384, 16_384),
        ),
        ("a WebP canvas with no frame", webp_header(640, 480)),
        ("a JPEG of comments that never reaches a frame", {
            let mut bytes = vec![0xFF, 0xD8];
            for _ in 0..3000 {
                bytes.extend([0xFF, 0xFE, 0x00, 0x04, b'h', b'i']);
            }
            bytes
        }),
        ("a JPEG whose first segment runs past the end", {
            vec![0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 0x45, 0x78]
        }),
    ]
}

/// The printout in every format read, each cut at half its length and after its first 64 bytes.
fn truncated_cases() -> Vec<(String, Vec<u8>)> {
    let page = a4_page(&token(|_| {}), 100.0, 0.85, 0.0);
    let mut out = Vec::new();
    for format in [
        image::ImageFormat::Png,
        image::ImageFormat::Jpeg,
        image::ImageFormat::Tiff,
        image::ImageFormat::WebP,
        image::ImageFormat::Bmp,
    ] {
        let bytes = encoded(&page, format);
        out.push((
            format!("{format:?} cut in half"),
            bytes[..bytes.len() / 2].to_vec(),
        ));
        out.push((
            format!("{format:?} cut after 64 bytes"),
            bytes[..64].to_vec(),
        ));
    }
    out
}

#[test]
fn hostile_pictures_are_refused_before_any_decoder_sees_them() {
    for (name, bytes) in hostile_cases() {
        let result = Pipeline::default().scan_bytes(&bytes);
        assert!(
            matches!(
                result,
                Err(ScanError::Empty | ScanError::NotAPicture(_) | ScanError::TooLarge { .. })
            ),
            "{name}: {result:?}"
        );
    }
}

#[test]
fn truncated_files_of_every_format_are_read_as_far_as_they_go_or_refused_never_crashed_on() {
    // A budget no debug build reaches: what is read or refused must not depend on speed.
    let generous = Pipeline {
        budget: Duration::from_secs(300),
        attempt_budget: Duration::from_secs(120),
        ..Pipeline::default()
    };
    for (name, bytes) in truncated_cases() {
        let result = generous.scan_bytes(&bytes);
        // A cut file may still show the code (a BMP is stored bottom row first, so its first half
        // is the bottom of the page, code included); a refusal must say why.
        match result {
            Ok(scan) => assert_eq!(scan.texts, vec![token(|_| {})], "{name}"),
            Err(ScanError::NotAPicture(_) | ScanError::NoCode | ScanError::Empty) => {}
            Err(other) => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn a_page_tiled_with_dozens_of_other_codes_still_yields_the_visa() {
    let code = token(|_| {});
    let mut page = a4_page(&code, 200.0, 0.85, 0.0);
    // Six rows of six booking-like codes across the top of the page, each with its own text.
    for row in 0..6 {
        for column in 0..6 {
            let text = format!("{BOOKING}&seat={row}{column}");
            let (x, y) = (140.0 + column as f32 * 260.0, 130.0 + row as f32 * 190.0);
            draw_code(&mut page, &text, x, y, 2.0, 0.0);
        }
    }
    let generous = Pipeline {
        budget: Duration::from_secs(120),
        attempt_budget: Duration::from_secs(60),
        ..Pipeline::default()
    };
    let scan = generous.scan_bytes(&png(&page)).expect("codes are read");
    assert_eq!(scan.texts.first(), Some(&code));
}

#[test]
fn a_header_claiming_a_huge_picture_is_refused_from_the_header_alone() {
    assert_eq!(
        load_gray(&png_header(100_000, 100_000), Duration::from_secs(5)),
        Err(ScanError::TooLarge {
            width: 100_000,
            height: 100_000
        })
    );
}

#[test]
fn an_rqrr_panic_on_a_known_photo_is_caught_and_the_cascade_goes_on() {
    let bytes = include_bytes!("data/zxing-qrcode-6-7.png");
    let rqrr_only = Pipeline {
        rxing: false,
        retries: false,
        budget: Duration::from_secs(60),
        attempt_budget: Duration::from_secs(30),
        ..Pipeline::default()
    };
    match rqrr_only.scan_bytes(bytes) {
        // rqrr 0.11 panics here; the guard turns that into a counted failure.
        Err(ScanError::NoCode) => {}
        other => panic!("expected the guarded panic to end as no code, got {other:?}"),
    }
    let full = Pipeline {
        budget: Duration::from_secs(60),
        attempt_budget: Duration::from_secs(30),
        ..Pipeline::default()
    };
    let scan = full
        .scan_bytes(bytes)
        .expect("rxing reads what rqrr panics on");
    assert_eq!(scan.texts, vec!["1234567890"]);
}

#[test]
fn the_cli_answers_cannot_verify_unreadable_for_every_hostile_picture() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut paths = Vec::new();
    for (i, (_, bytes)) in hostile_cases().into_iter().enumerate() {
        let path = dir.path().join(format!("hostile-{i}.png"));
        std::fs::write(&path, bytes).expect("write");
        paths.push(path);
    }
    let output = Command::new(env!("CARGO_BIN_EXE_verifier-kiosk"))
        .arg("verify")
        .arg("--trust")
        .arg(trust_dir())
        .args(&paths)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), paths.len());
    for line in lines {
        assert_eq!(line["verdict"], "cannot_verify");
        assert_eq!(line["reason"], "unreadable");
    }
}

mod properties {
    use proptest::prelude::*;
    use verifier_kiosk::scan::Pipeline;

    use crate::render::{a4_page, png};
    use crate::token;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_behind_a_png_or_jpeg_signature_are_refused_not_crashed_on(
            body in proptest::collection::vec(any::<u8>(), 0..2048),
            jpeg in any::<bool>(),
        ) {
            let mut bytes = if jpeg { vec![0xFF, 0xD8, 0xFF, 0xE0] } else { b"\x89PNG\r\n\x1a\n".to_vec() };
            bytes.extend(body);
            prop_assert!(Pipeline::default().scan_bytes(&bytes).is_err());
        }

        #[test]
        fn a_printout_with_bytes_overwritten_is_read_or_refused_but_never_crashes(
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        ) {
            let mut bytes = printout().to_vec();
            for (at, value) in edits {
                let i = at.index(bytes.len());
                bytes[i] = value;
            }
            // Any outcome but a panic is fine: a damaged file may still hold a readable code.
            let _ = Pipeline::default().scan_bytes(&bytes);
        }
    }

    fn printout() -> &'static [u8] {
        static PAGE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        PAGE.get_or_init(|| png(&a4_page(&token(|_| {}), 60.0, 0.85, 0.0)))
    }
}
