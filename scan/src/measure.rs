//! How good a picture of a code is, once the code was read: the module size in the picture's
//! pixels, the contrast and the sharpness of the code's edges. The issuer's printout check uses
//! it to tell an applicant "print at 100 % scale" or "the picture is blurred" before a kiosk
//! has to; the kiosk's own reading does not call it.
//!
//! The code is located with rqrr, whose grid gives the symbol's four corners and whose decoding
//! gives the version (so the number of modules across); the call runs under the same panic guard
//! and CPU budget as the reading cascade.

use std::sync::Arc;
use std::time::Duration;

use image::GrayImage;

use crate::guard::{Guarded, RQRR_SLOT, guarded};
use crate::prepare::shrink;

/// What was measured of the code with a given text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// The side of one module in the picture's own pixels.
    pub module_pixels: f32,
    /// The 95th minus the 5th percentile of the gray levels over the symbol (0–255).
    pub contrast: u8,
    /// The share of the symbol's pixels in the middle half of the gray range: near 0 for a crisp
    /// print, growing with blur (≈ 0.23 at a blur of a sixth of a module, ≈ 0.47 at half).
    pub blur: f32,
}

/// The longest side the locator works on: enough for a code a third of an A4 page wide at
/// 300 dpi to keep three pixels per module.
const LOCATE_SIDE: u32 = 2000;

/// Locates the code whose text is `text` in `gray` and measures it, within `budget` of CPU time.
/// `None` when the locator does not find that code (it reads fewer pictures than the cascade).
pub fn measure(gray: &Arc<GrayImage>, text: &str, budget: Duration) -> Option<Measure> {
    let long = gray.width().max(gray.height());
    let (work, scale) = if long > LOCATE_SIDE {
        let small = shrink(gray, LOCATE_SIDE);
        let scale = long as f32 / small.width().max(small.height()) as f32;
        (Arc::new(small), scale)
    } else {
        (Arc::clone(gray), 1.0)
    };
    let wanted = text.to_owned();
    let located = guarded(&RQRR_SLOT, "rqrr-measure", budget, move || {
        locate(&work, &wanted)
    });
    let Guarded::Done(Some((corners, modules))) = located else {
        return None;
    };
    let corners = corners.map(|(x, y)| (x * scale, y * scale));
    let side = (0..4)
        .map(|i| distance(corners[i], corners[(i + 1) % 4]))
        .sum::<f32>()
        / 4.0;
    let (contrast, blur) = tones(gray, &corners);
    Some(Measure {
        module_pixels: side / modules as f32,
        contrast,
        blur,
    })
}

/// The corners of the code reading `text`, in `picture`'s pixels, and its modules across.
fn locate(picture: &GrayImage, text: &str) -> Option<([(f32, f32); 4], u32)> {
    let mut prepared = rqrr::PreparedImage::prepare(picture.clone());
    prepared.detect_grids().into_iter().find_map(|grid| {
        let (meta, decoded) = grid.decode().ok()?;
        if decoded != text {
            return None;
        }
        let version = u32::try_from(meta.version.0).ok()?;
        let corners = grid.bounds.map(|p| (p.x as f32, p.y as f32));
        Some((corners, 17 + 4 * version))
    })
}

/// Contrast and blur over the bounding box of the corners.
fn tones(gray: &GrayImage, corners: &[(f32, f32); 4]) -> (u8, f32) {
    let clamp = |v: f32, max: u32| (v.max(0.0) as u32).min(max);
    let xs = corners.iter().map(|c| c.0);
    let ys = corners.iter().map(|c| c.1);
    let x0 = clamp(xs.clone().fold(f32::MAX, f32::min), gray.width());
    let x1 = clamp(xs.fold(f32::MIN, f32::max), gray.width());
    let y0 = clamp(ys.clone().fold(f32::MAX, f32::min), gray.height());
    let y1 = clamp(ys.fold(f32::MIN, f32::max), gray.height());
    let mut histogram = [0u64; 256];
    let mut total = 0u64;
    for y in y0..y1 {
        for x in x0..x1 {
            histogram[usize::from(gray.get_pixel(x, y).0[0])] += 1;
            total += 1;
        }
    }
    if total == 0 {
        return (0, 1.0);
    }
    let percentile = |p: u64| {
        let mut seen = 0;
        for (level, count) in histogram.iter().enumerate() {
            seen += count;
            if seen * 100 >= total * p {
                return level;
            }
        }
        255
    };
    let (low, high) = (percentile(5), percentile(95));
    let range = high.saturating_sub(low);
    let (from, to) = (low + range / 4, high - range / 4);
    let middle: u64 = histogram
        .iter()
        .enumerate()
        .filter(|(level, _)| *level > from && *level < to)
        .map(|(_, count)| count)
        .sum();
    (
        u8::try_from(range).unwrap_or(u8::MAX),
        middle as f32 / total as f32,
    )
}

fn distance(a: (f32, f32), b: (f32, f32)) -> f32 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}
