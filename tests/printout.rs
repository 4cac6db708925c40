//! The printout as the kiosk meets it: the PDF rasterised with `pdftoppm` (as a printer and a
//! scanner would), then photographed badly: turned a few degrees, out of focus, grainy, and
//! saved as a lossy JPEG.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use image::codecs::jpeg::JpegEncoder;
use image::{GrayImage, Luma};

/// How badly a picture is taken.
#[derive(Debug, Clone, Copy)]
pub struct Damage {
    /// Rotation, degrees (counter-clockwise).
    pub degrees: f32,
    /// Gaussian blur, sigma in pixels.
    pub blur: f32,
    /// Uniform noise amplitude, in grey levels (0–255).
    pub noise: u8,
    /// JPEG quality, 1–100.
    pub jpeg_quality: u8,
}

/// Rasterises the first page of `pdf` at `dpi` into a PNG in `dir` with `pdftoppm`.
pub fn rasterise(pdf: &[u8], dir: &Path, dpi: u32) -> Result<PathBuf> {
    let pdf_path = dir.join("e-visa.pdf");
    std::fs::write(&pdf_path, pdf).with_context(|| format!("writing {}", pdf_path.display()))?;
    let prefix = dir.join(format!("page-{dpi}dpi"));
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-png", "-singlefile"])
        .arg(&pdf_path)
        .arg(&prefix)
        .output()
        .context("running pdftoppm (install poppler-utils: scripts/install-deps)")?;
    if !out.status.success() {
        bail!("pdftoppm failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(prefix.with_extension("png"))
}

/// Writes a damaged JPEG copy of the picture at `input` beside it and returns its path.
pub fn damage(input: &Path, how: Damage) -> Result<PathBuf> {
    let picture = image::open(input)
        .with_context(|| format!("reading {}", input.display()))?
        .to_luma8();
    let turned = rotate(&picture, how.degrees);
    let blurred = image::imageops::blur(&turned, how.blur);
    let grainy = add_noise(blurred, how.noise);
    let output = input.with_extension("damaged.jpg");
    let file =
        std::fs::File::create(&output).with_context(|| format!("creating {}", output.display()))?;
    let mut writer = std::io::BufWriter::new(file);
    JpegEncoder::new_with_quality(&mut writer, how.jpeg_quality)
        .encode_image(&grainy)
        .with_context(|| format!("writing {}", output.display()))?;
    Ok(output)
}

/// Rotates about the centre with bilinear sampling, keeping the size; the corners the page
/// leaves are the grey of a desk.
fn rotate(picture: &GrayImage, degrees: f32) -> GrayImage {
    let (width, height) = picture.dimensions();
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    let source = picture.as_raw();
    let stride = width as usize;
    let sample = |x: i64, y: i64| -> f32 {
        if x < 0 || y < 0 || x >= i64::from(width) || y >= i64::from(height) {
            120.0
        } else {
            f32::from(source[y as usize * stride + x as usize])
        }
    };
    let mut out = vec![0u8; source.len()];
    for (y, row) in out.chunks_mut(stride).enumerate() {
        let dy = y as f32 - cy;
        for (x, pixel) in row.iter_mut().enumerate() {
            let dx = x as f32 - cx;
            // The inverse rotation finds where this output pixel comes from.
            let sx = cos * dx + sin * dy + cx;
            let sy = -sin * dx + cos * dy + cy;
            let (x0, y0) = (sx.floor(), sy.floor());
            let (fx, fy) = (sx - x0, sy - y0);
            let (x0, y0) = (x0 as i64, y0 as i64);
            let top = sample(x0, y0) * (1.0 - fx) + sample(x0 + 1, y0) * fx;
            let bottom = sample(x0, y0 + 1) * (1.0 - fx) + sample(x0 + 1, y0 + 1) * fx;
            *pixel = (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8;
        }
    }
    GrayImage::from_raw(width, height, out).unwrap_or_else(|| GrayImage::new(width, height))
}

/// Adds uniform noise from a fixed-seed generator, so a failure can be reproduced exactly.
fn add_noise(mut picture: GrayImage, amplitude: u8) -> GrayImage {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let span = i32::from(amplitude) * 2 + 1;
    for Luma([value]) in picture.pixels_mut() {
        // xorshift64: plenty for grain.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let delta = (state % span as u64) as i32 - i32::from(amplitude);
        *value = (i32::from(*value) + delta).clamp(0, 255) as u8;
    }
    picture
}
