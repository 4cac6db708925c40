//! Pictures of e-visa printouts for the tests and the benchmark: a QR code (level Q, 4-module
//! quiet zone, as the issuer prints it) on a white A4 page at a given resolution, module size and
//! angle, and phone-photo-like variants (grey desk, uneven light, blur, JPEG).
//!
//! The code is drawn by sampling the module grid through the inverse rotation, so any angle gives
//! crisp edges, as a scanner would see a slightly crooked page.

use image::{GrayImage, Luma};
use qrcode::{Color, EcLevel, QrCode};

/// The module grid of `text` at level Q: `(dark, modules per side)`.
pub fn modules(text: &str) -> (Vec<bool>, usize) {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::Q)
        .expect("the text fits a QR code");
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    (dark, width)
}

/// Draws the code centred at `(cx, cy)` with `module_px` pixels per module, rotated by
/// `angle_deg`, with its 4-module quiet zone, onto `page`.
pub fn draw_code(
    page: &mut GrayImage,
    text: &str,
    cx: f32,
    cy: f32,
    module_px: f32,
    angle_deg: f32,
) {
    let (dark, n) = modules(text);
    let quiet = 4.0;
    let half = (n as f32 / 2.0 + quiet) * module_px;
    let (sin, cos) = angle_deg.to_radians().sin_cos();
    let reach = half * 1.5;
    let x0 = (cx - reach).max(0.0) as u32;
    let y0 = (cy - reach).max(0.0) as u32;
    let x1 = ((cx + reach) as u32).min(page.width());
    let y1 = ((cy + reach) as u32).min(page.height());
    for y in y0..y1 {
        for x in x0..x1 {
            let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            // Inverse rotation into the code's own frame, in modules from its top-left corner.
            let u = (dx * cos + dy * sin) / module_px + n as f32 / 2.0;
            let v = (-dx * sin + dy * cos) / module_px + n as f32 / 2.0;
            if u < -quiet || v < -quiet || u >= n as f32 + quiet || v >= n as f32 + quiet {
                continue;
            }
            let inside = u >= 0.0 && v >= 0.0 && (u as usize) < n && (v as usize) < n;
            let is_dark = inside && dark[v as usize * n + u as usize];
            page.put_pixel(x, y, Luma([if is_dark { 20 } else { 250 }]));
        }
    }
}

/// A white A4 page at `dpi` with some heading bars (like the printout's text) and the code in the
/// lower right quarter, `module_mm` millimetres per module, turned by `angle_deg`.
pub fn a4_page(text: &str, dpi: f32, module_mm: f32, angle_deg: f32) -> GrayImage {
    let px_per_mm = dpi / 25.4;
    let (w, h) = ((210.0 * px_per_mm) as u32, (297.0 * px_per_mm) as u32);
    let mut page = GrayImage::from_pixel(w, h, Luma([250]));
    // Lines of "text": thin dark bars, so the decoder has clutter to reject.
    for line in 0..30 {
        let y = ((20.0 + line as f32 * 5.0) * px_per_mm) as u32;
        let len = ((60.0 + (line * 37 % 110) as f32) * px_per_mm) as u32;
        for yy in y..(y + (2.0 * px_per_mm) as u32).min(h) {
            for x in (20.0 * px_per_mm) as u32..((20.0 * px_per_mm) as u32 + len).min(w) {
                if (x / 3) % 4 != 0 {
                    page.put_pixel(x, yy, Luma([40]));
                }
            }
        }
    }
    draw_code(
        &mut page,
        text,
        145.0 * px_per_mm,
        215.0 * px_per_mm,
        module_mm * px_per_mm,
        angle_deg,
    );
    page
}

/// The text of a hotel booking's QR code, the kind of second code a traveller prints on the same
/// sheet as the e-visa.
pub const BOOKING: &str =
    "https://booking.example/confirmation/4711-0815?guest=DOE&checkin=2026-12-05";

/// An A4 page like [`a4_page`] with a second, unrelated QR code (the booking confirmation) to the
/// left of the visa's, at the same height and with smaller modules, as a traveller's own printout
/// of both might look.
pub fn a4_page_with_booking(text: &str, dpi: f32, module_mm: f32, angle_deg: f32) -> GrayImage {
    let mut page = a4_page(text, dpi, module_mm, angle_deg);
    let px_per_mm = dpi / 25.4;
    draw_code(
        &mut page,
        BOOKING,
        65.0 * px_per_mm,
        215.0 * px_per_mm,
        0.7 * px_per_mm,
        angle_deg,
    );
    page
}

/// A phone photo of the printout's code on a desk: grey surroundings, light falling off from one
/// corner, a slight blur, `angle_deg` of rotation.
pub fn photo(text: &str, width: u32, height: u32, module_px: f32, angle_deg: f32) -> GrayImage {
    let mut picture = GrayImage::from_pixel(width, height, Luma([110]));
    // The sheet of paper.
    for y in height / 10..height * 9 / 10 {
        for x in width / 5..width * 4 / 5 {
            picture.put_pixel(x, y, Luma([235]));
        }
    }
    draw_code(
        &mut picture,
        text,
        width as f32 / 2.0,
        height as f32 / 2.0,
        module_px,
        angle_deg,
    );
    for (x, y, p) in picture.enumerate_pixels_mut() {
        // Up to 35 % darker towards the bottom right.
        let shade = 1.0 - 0.35 * (x as f32 / width as f32 + y as f32 / height as f32) / 2.0;
        p.0[0] = (f32::from(p.0[0]) * shade) as u8;
    }
    image::imageops::blur(&picture, 1.0)
}

/// Encodes a picture as PNG bytes.
pub fn png(picture: &GrayImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("PNG encodes");
    out.into_inner()
}

/// Encodes a picture in `format` (TIFF, WebP lossless, BMP…) as RGB, the way most scanner and
/// phone software writes them.
pub fn encoded(picture: &GrayImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageLuma8(picture.clone())
        .into_rgb8()
        .write_to(&mut out, format)
        .expect("the picture encodes");
    out.into_inner()
}

/// Encodes a picture as JPEG bytes at `quality`.
pub fn jpeg(picture: &GrayImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    encoder
        .encode_image(&image::DynamicImage::ImageLuma8(picture.clone()))
        .expect("JPEG encodes");
    out
}
