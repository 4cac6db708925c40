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

/// How a phone photo of a printout is taken: what [`phone_photo`] draws.
#[derive(Debug, Clone, Copy)]
pub struct Shot {
    /// The photo's size in pixels.
    pub width: u32,
    /// The photo's height in pixels.
    pub height: u32,
    /// Turn of the sheet in the picture, degrees.
    pub angle_deg: f32,
    /// Perspective: how much narrower the sheet's far edge looks than its near one (0 = flat,
    /// 0.3 = a steep look from the side).
    pub tilt: f32,
    /// Height of the sheet in the photo as a fraction of the photo's shorter side.
    pub fill: f32,
    /// Defocus: Gaussian blur sigma in pixels.
    pub blur: f32,
    /// Sensor noise: standard deviation in gray levels.
    pub noise: f32,
    /// Light falling off across the picture: 0 even, 0.5 half as bright in the far corner.
    pub falloff: f32,
    /// A hotel booking's code printed beside the visa's.
    pub booking: bool,
    /// Seed of the noise.
    pub seed: u64,
}

impl Shot {
    /// A shot drawn from `seed`: sizes from 2 to 12 megapixels, any turn, up to a steep tilt,
    /// defocus up to a third of a module's width, noise to 10 levels, uneven light, a booking code
    /// on every third page.
    pub fn random(seed: u64) -> Self {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let sizes = [(1600, 1200), (2016, 1512), (3024, 2268), (4032, 3024)];
        let (width, height) = sizes[(rng.next() % sizes.len() as u64) as usize];
        let fill = rng.between(0.8, 1.15);
        // The printout's modules are 0.85 mm on a 297 mm page.
        let module_px = fill * width.min(height) as f32 / 297.0 * 0.85;
        Self {
            width,
            height,
            angle_deg: rng.between(-180.0, 180.0),
            tilt: rng.between(0.0, 0.3),
            fill,
            blur: rng.between(0.0, module_px / 3.0),
            noise: rng.between(0.0, 10.0),
            falloff: rng.between(0.0, 0.45),
            booking: seed.is_multiple_of(3),
            seed,
        }
    }
}

/// A phone photo of an A4 printout carrying `text`'s code on a grey desk, as `shot` describes:
/// the page (rendered at 200 dpi) is mapped onto the photo through a perspective transform,
/// sampled bilinearly, shaded, blurred and given noise.
pub fn phone_photo(text: &str, shot: &Shot) -> GrayImage {
    let page = if shot.booking {
        a4_page_with_booking(text, 200.0, 0.85, 0.0)
    } else {
        a4_page(text, 200.0, 0.85, 0.0)
    };
    let (pw, ph) = (page.width() as f32, page.height() as f32);
    let (w, h) = (shot.width as f32, shot.height as f32);
    // The sheet's corners in the photo: an upright rectangle of the wanted height, its top edge
    // narrowed by the tilt, turned about the photo's centre.
    let sheet_h = shot.fill * w.min(h);
    let sheet_w = sheet_h * pw / ph;
    let narrow = 1.0 - shot.tilt;
    let corners = [
        (-sheet_w / 2.0 * narrow, -sheet_h / 2.0),
        (sheet_w / 2.0 * narrow, -sheet_h / 2.0),
        (sheet_w / 2.0, sheet_h / 2.0),
        (-sheet_w / 2.0, sheet_h / 2.0),
    ];
    let (sin, cos) = shot.angle_deg.to_radians().sin_cos();
    let photo_corners: Vec<(f32, f32)> = corners
        .iter()
        .map(|&(x, y)| (w / 2.0 + x * cos - y * sin, h / 2.0 + x * sin + y * cos))
        .collect();
    let page_corners = [(0.0, 0.0), (pw, 0.0), (pw, ph), (0.0, ph)];
    let to_page = homography(&photo_corners, &page_corners);
    let mut rng = Rng(shot.seed | 1);
    let mut photo = GrayImage::new(shot.width, shot.height);
    for (x, y, p) in photo.enumerate_pixels_mut() {
        let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
        let (u, v) = project(&to_page, fx, fy);
        let base = if u >= 0.0 && v >= 0.0 && u < pw - 1.0 && v < ph - 1.0 {
            bilinear(&page, u, v)
        } else {
            // The desk: darker grey with a little texture.
            95.0 + 10.0 * ((fx * 0.013).sin() * (fy * 0.017).cos())
        };
        let shade = 1.0 - shot.falloff * (fx / w + fy / h) / 2.0;
        p.0[0] = (base * shade).clamp(0.0, 255.0) as u8;
    }
    let mut photo = if shot.blur > 0.05 {
        image::imageops::blur(&photo, shot.blur)
    } else {
        photo
    };
    if shot.noise > 0.0 {
        for p in photo.pixels_mut() {
            let v = f32::from(p.0[0]) + shot.noise * rng.gaussian();
            p.0[0] = v.clamp(0.0, 255.0) as u8;
        }
    }
    photo
}

/// A 3×3 projective transform, row major, the last entry 1.
type Homography = [f32; 9];

/// The transform taking each of `from`'s four points to the matching one of `to`.
fn homography(from: &[(f32, f32)], to: &[(f32, f32)]) -> Homography {
    // Eight equations in the eight unknowns a..h of
    // u = (a x + b y + c) / (g x + h y + 1), v = (d x + e y + f) / (g x + h y + 1).
    let mut m = [[0f64; 9]; 8];
    for i in 0..4 {
        let (x, y) = (f64::from(from[i].0), f64::from(from[i].1));
        let (u, v) = (f64::from(to[i].0), f64::from(to[i].1));
        m[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        m[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    // Gaussian elimination with partial pivoting.
    for col in 0..8 {
        let pivot = (col..8)
            .max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))
            .unwrap_or(col);
        m.swap(col, pivot);
        let pivot_row = m[col];
        for (row, values) in m.iter_mut().enumerate() {
            if row != col && pivot_row[col] != 0.0 {
                let factor = values[col] / pivot_row[col];
                for (value, above) in values.iter_mut().zip(pivot_row).skip(col) {
                    *value -= factor * above;
                }
            }
        }
    }
    let mut out = [0f32; 9];
    for i in 0..8 {
        out[i] = (m[i][8] / m[i][i]) as f32;
    }
    out[8] = 1.0;
    out
}

fn project(t: &Homography, x: f32, y: f32) -> (f32, f32) {
    let d = t[6] * x + t[7] * y + t[8];
    (
        (t[0] * x + t[1] * y + t[2]) / d,
        (t[3] * x + t[4] * y + t[5]) / d,
    )
}

fn bilinear(picture: &GrayImage, u: f32, v: f32) -> f32 {
    let (x0, y0) = (u.floor() as u32, v.floor() as u32);
    let (fx, fy) = (u - x0 as f32, v - y0 as f32);
    let at = |x: u32, y: u32| f32::from(picture.get_pixel(x, y).0[0]);
    let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
    let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// A small deterministic generator (xorshift64), so every run draws the same photos.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    fn between(&mut self, low: f32, high: f32) -> f32 {
        low + (high - low) * self.unit()
    }

    /// Roughly standard normal: the sum of four uniforms, centred and scaled.
    fn gaussian(&mut self) -> f32 {
        let sum: f32 = (0..4).map(|_| self.unit()).sum();
        (sum - 2.0) * 1.732
    }
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
