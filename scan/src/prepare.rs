//! Variants of a picture for the cascade: scaled levels of the pyramid and the retries' contrast
//! stretch, Otsu threshold, blur and inversion.

use image::GrayImage;

fn longest(picture: &GrayImage) -> u32 {
    picture.width().max(picture.height())
}

/// Scales a picture (down, or up for small ones) so its longest side is `side` pixels.
pub(super) fn shrink(picture: &GrayImage, side: u32) -> GrayImage {
    let long = longest(picture).max(1);
    let scale = |v: u32| ((u64::from(v) * u64::from(side) / u64::from(long)).max(1)) as u32;
    let (width, height) = (scale(picture.width()), scale(picture.height()));
    if side < long {
        // Area averaging: several times faster than a filtered resize on a 9-megapixel scan, and
        // averaging is what keeps thin modules grey rather than lost.
        image::imageops::thumbnail(picture, width, height)
    } else {
        image::imageops::resize(
            picture,
            width,
            height,
            image::imageops::FilterType::Triangle,
        )
    }
}

/// Stretches the gray levels so the 2nd and 98th percentiles become black and white: helps faint
/// prints, grey photocopies and photos under uneven light.
pub(super) fn stretch(picture: &GrayImage) -> GrayImage {
    let mut histogram = [0u64; 256];
    for p in picture.pixels() {
        histogram[usize::from(p.0[0])] += 1;
    }
    let total: u64 = histogram.iter().sum();
    let percentile = |fraction: u64| {
        let mut seen = 0;
        for (level, count) in histogram.iter().enumerate() {
            seen += count;
            if seen * 100 >= total * fraction {
                return level as i32;
            }
        }
        255
    };
    let (low, high) = (percentile(2), percentile(98));
    let span = (high - low).max(1);
    let mut out = picture.clone();
    for p in out.pixels_mut() {
        let v = (i32::from(p.0[0]) - low) * 255 / span;
        p.0[0] = v.clamp(0, 255) as u8;
    }
    out
}

/// Black and white at Otsu's threshold: removes the gradients and paper texture the adaptive
/// binarisers of the decoders sometimes mistake for modules.
pub(super) fn threshold(picture: &GrayImage) -> GrayImage {
    let mut histogram = [0u64; 256];
    for p in picture.pixels() {
        histogram[usize::from(p.0[0])] += 1;
    }
    let total: u64 = histogram.iter().sum();
    let sum_all: u64 = histogram
        .iter()
        .enumerate()
        .map(|(i, c)| i as u64 * c)
        .sum();
    let (mut weight_low, mut sum_low, mut best, mut best_level) = (0u64, 0u64, 0f64, 128u8);
    for (level, count) in histogram.iter().enumerate() {
        weight_low += count;
        if weight_low == 0 {
            continue;
        }
        let weight_high = total - weight_low;
        if weight_high == 0 {
            break;
        }
        sum_low += level as u64 * count;
        let mean_low = sum_low as f64 / weight_low as f64;
        let mean_high = (sum_all - sum_low) as f64 / weight_high as f64;
        let between = weight_low as f64 * weight_high as f64 * (mean_low - mean_high).powi(2);
        if between > best {
            best = between;
            best_level = level as u8;
        }
    }
    let mut out = picture.clone();
    for p in out.pixels_mut() {
        p.0[0] = if p.0[0] > best_level { 255 } else { 0 };
    }
    out
}

/// A light Gaussian blur: smooths JPEG blocks, moiré and halftone dots into solid modules.
pub(super) fn blur(picture: &GrayImage) -> GrayImage {
    image::imageops::blur(picture, 1.2)
}

/// Light modules on dark ground (a code shown on a phone in dark mode, a negative photocopy).
pub(super) fn invert(picture: &GrayImage) -> GrayImage {
    let mut out = picture.clone();
    image::imageops::invert(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stretching_maps_the_percentiles_to_black_and_white() {
        let mut picture = GrayImage::from_pixel(10, 10, image::Luma([100]));
        for x in 0..10 {
            picture.put_pixel(x, 0, image::Luma([150]));
        }
        let out = stretch(&picture);
        assert_eq!(out.get_pixel(0, 0).0[0], 255);
        assert_eq!(out.get_pixel(0, 5).0[0], 0);
    }
}
