//! From image bytes to the text of the QR code on them: the reading pipeline.
//!
//! Scanner output and phone photos are untrusted input. The pipeline first reads only the image
//! header and refuses what is empty or absurdly large, decodes under allocation limits, then tries
//! a cascade of decoders on prepared variants of the picture (a scaling pyramid, contrast
//! stretching, a global threshold, inversion, blur). Every decoder call runs on its own named
//! thread under a panic guard and a time budget, because rqrr 0.11 has been seen to panic on some
//! photos and to spend minutes on others: a bad picture must cost the officer seconds, never the
//! kiosk.

use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use image::{GrayImage, ImageReader, Limits};

/// The largest image file read, in bytes: a 600-dpi uncompressed A4 colour scan is ~105 MB.
pub const MAX_FILE_BYTES: u64 = 160 * 1024 * 1024;
/// The largest picture decoded, in pixels: a 600-dpi A4 page is 35 megapixels, a phone 50.
pub const MAX_PIXELS: u64 = 80_000_000;
/// The longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 20_000;

/// How long the whole cascade may take for one image by default.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(4);

/// Why no code text came out of an image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The file could not be read at all.
    #[error("the file could not be read: {0}")]
    Io(String),
    /// The bytes are not a PNG or JPEG picture, or the picture is damaged.
    #[error("the file is not a readable picture: {0}")]
    NotAPicture(String),
    /// The picture has no pixels.
    #[error("the picture is empty")]
    Empty,
    /// The picture is larger than any scanner or camera produces.
    #[error("the picture is {width}×{height} pixels, too large to be a scan or a photo")]
    TooLarge {
        /// Width from the header.
        width: u32,
        /// Height from the header.
        height: u32,
    },
    /// Every decoder looked and found no readable QR code.
    #[error("no readable QR code was found in the picture")]
    NoCode,
    /// The time budget ran out before any decoder found a code.
    #[error("reading the picture took too long")]
    TimedOut,
}

/// Which decoder read the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoder {
    /// rqrr (quirc's algorithm).
    Rqrr,
    /// rxing (ZXing's algorithm).
    Rxing,
}

/// Codes found in a picture and how they were found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The distinct texts of the codes found by the successful attempt, e-visa codes first.
    pub texts: Vec<String>,
    /// The decoder that found them.
    pub decoder: Decoder,
    /// The variant of the picture they were found in, for the benchmark and logs.
    pub variant: String,
    /// How many decoder calls ran.
    pub attempts: usize,
    /// Decoder calls that panicked (guarded) or were abandoned at their budget.
    pub failures: usize,
}

/// The knobs of the cascade, so the benchmark can compare decoders alone and together.
#[derive(Debug, Clone, Copy)]
pub struct Pipeline {
    /// Use rqrr.
    pub rqrr: bool,
    /// Use rxing.
    pub rxing: bool,
    /// Try the preprocessed variants after the plain pyramid.
    pub retries: bool,
    /// Budget for the whole cascade.
    pub budget: Duration,
    /// Budget for one decoder call, so one stuck call leaves time for the others.
    pub attempt_budget: Duration,
    /// Try rxing before rqrr on each variant. Measured on the public set and on the issuer's
    /// printouts, rxing reads more and answers 10–30 times faster, so it goes first by default.
    pub rxing_first: bool,
}

impl Default for Pipeline {
    fn default() -> Self {
        Self {
            rqrr: true,
            rxing: true,
            retries: true,
            budget: DEFAULT_BUDGET,
            attempt_budget: Duration::from_millis(1500),
            rxing_first: true,
        }
    }
}

/// Reads a picture file and finds its QR code with the default pipeline.
pub fn scan_file(path: &Path) -> Result<Scan, ScanError> {
    Pipeline::default().scan_file(path)
}

impl Pipeline {
    /// Reads a picture file (bounded in size) and finds its QR code.
    pub fn scan_file(&self, path: &Path) -> Result<Scan, ScanError> {
        let bytes = read_bounded(path)?;
        self.scan_bytes(&bytes)
    }

    /// Finds the QR code in encoded picture bytes (PNG or JPEG).
    pub fn scan_bytes(&self, bytes: &[u8]) -> Result<Scan, ScanError> {
        let started = Instant::now();
        let gray = load_gray(bytes, self.budget)?;
        if trace() {
            eprintln!(
                "scan: loaded {}x{} in {:?}",
                gray.width(),
                gray.height(),
                started.elapsed()
            );
        }
        self.scan_gray(gray, self.budget.saturating_sub(started.elapsed()))
    }

    /// Runs the cascade on a grayscale picture within `budget`.
    pub fn scan_gray(&self, gray: GrayImage, budget: Duration) -> Result<Scan, ScanError> {
        let deadline = Instant::now() + budget;
        let mut attempts = 0;
        let mut failures = 0;
        let mut timed_out = false;
        let full = Arc::new(gray);
        let long = full.width().max(full.height());
        // The pyramid: a working size that keeps an A4 scan's modules 3–5 pixels wide and is
        // fast, then the full picture for small codes, then coarser levels for noisy photos
        // whose modules are many pixels wide.
        let mut sides: Vec<u32> = Vec::new();
        for side in [1600, long, 1000, 640] {
            if side == long || (side < long && side >= 200 && !sides.contains(&side)) {
                sides.push(side);
            }
        }
        // Small pictures (a cropped code, a thumbnail) are enlarged too: the detectors need a few
        // pixels per module to tell a finder pattern from noise.
        for factor in [2, 4] {
            let side = long.saturating_mul(factor);
            if long < 1000 / factor * 2 && side <= 1600 && !sides.contains(&side) {
                sides.push(side);
            }
        }
        let name = |side: u32| match side.cmp(&long) {
            std::cmp::Ordering::Equal => format!("{side}px (full)"),
            std::cmp::Ordering::Greater => format!("{side}px (enlarged)"),
            std::cmp::Ordering::Less => format!("{side}px"),
        };

        // Each step names a level and an optional preparation; both are made only when the step
        // is reached, so a clean scan read at the first step costs one downscale and nothing else.
        type Prepare = fn(&GrayImage) -> GrayImage;
        let mut plan: Vec<(String, u32, Option<Prepare>)> =
            sides.iter().map(|&side| (name(side), side, None)).collect();
        if self.retries {
            let preparations: [(&str, u32, Prepare); 4] = [
                ("stretched", 1600, stretch),
                ("blurred", 1000, blur),
                ("threshold", 1000, threshold),
                ("inverted", 1000, invert),
            ];
            for (what, largest, prepare) in preparations {
                for &side in sides.iter().filter(|&&s| s <= largest) {
                    plan.push((format!("{} {what}", name(side)), side, Some(prepare)));
                }
            }
        }
        let mut levels: Vec<(u32, Arc<GrayImage>)> = vec![(long, Arc::clone(&full))];
        for (variant, side, prepare) in plan {
            if Instant::now() >= deadline {
                timed_out = true;
                break;
            }
            let level = match levels.iter().find(|(s, _)| *s == side) {
                Some((_, level)) => Arc::clone(level),
                None => {
                    let level = Arc::new(shrink(&full, side));
                    levels.push((side, Arc::clone(&level)));
                    level
                }
            };
            let picture = match prepare {
                Some(prepare) => Arc::new(prepare(&level)),
                None => level,
            };
            let order = if self.rxing_first {
                [Decoder::Rxing, Decoder::Rqrr]
            } else {
                [Decoder::Rqrr, Decoder::Rxing]
            };
            for decoder in order {
                let enabled = match decoder {
                    Decoder::Rqrr => self.rqrr,
                    Decoder::Rxing => self.rxing,
                };
                if !enabled {
                    continue;
                }
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    timed_out = true;
                    break;
                }
                attempts += 1;
                let picture = Arc::clone(&picture);
                let started = Instant::now();
                let slot = match decoder {
                    Decoder::Rqrr => &RQRR_SLOT,
                    Decoder::Rxing => &RXING_SLOT,
                };
                let budget = left.min(self.attempt_budget);
                let result = guarded(slot, decoder_name(decoder), budget, move || match decoder {
                    Decoder::Rqrr => rqrr_decode(&picture),
                    Decoder::Rxing => rxing_decode(&picture),
                });
                if trace() {
                    eprintln!(
                        "scan: {} on {variant}: {:?} in {:?}",
                        decoder_name(decoder),
                        match &result {
                            Guarded::Done(texts) => format!("{} code(s)", texts.len()),
                            Guarded::Panicked => "panicked".to_owned(),
                            Guarded::TimedOut => "timed out".to_owned(),
                        },
                        started.elapsed()
                    );
                }
                match result {
                    Guarded::Done(texts) if !texts.is_empty() => {
                        return Ok(Scan {
                            texts: visa_codes_first(texts),
                            decoder,
                            variant,
                            attempts,
                            failures,
                        });
                    }
                    Guarded::Done(_) => {}
                    Guarded::Panicked => failures += 1,
                    Guarded::TimedOut => {
                        failures += 1;
                        timed_out = true;
                    }
                }
            }
        }
        if timed_out && Instant::now() >= deadline {
            Err(ScanError::TimedOut)
        } else {
            Err(ScanError::NoCode)
        }
    }
}

/// Reads a file, refusing one larger than [`MAX_FILE_BYTES`] before reading it all.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, ScanError> {
    let file = std::fs::File::open(path).map_err(|e| ScanError::Io(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ScanError::Io(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ScanError::Io("the file is larger than any scan".to_owned()));
    }
    Ok(bytes)
}

/// Decodes PNG or JPEG bytes to 8-bit gray, checking the header's dimensions before any pixel is
/// decoded and decoding under allocation limits. The image crate's decoders are run under the same
/// panic guard and budget as the QR decoders, because a crafted file is exactly where a decoder bug
/// would show.
pub fn load_gray(bytes: &[u8], budget: Duration) -> Result<GrayImage, ScanError> {
    let not_a_picture = |e: image::ImageError| ScanError::NotAPicture(e.to_string());
    if bytes.is_empty() {
        return Err(ScanError::Empty);
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ScanError::NotAPicture(e.to_string()))?;
    if reader.format().is_none() {
        return Err(ScanError::NotAPicture("neither PNG nor JPEG".to_owned()));
    }
    let (width, height) = reader.into_dimensions().map_err(not_a_picture)?;
    if width == 0 || height == 0 {
        return Err(ScanError::Empty);
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ScanError::TooLarge { width, height });
    }
    let owned = bytes.to_vec();
    let decoded = guarded(&IMAGE_SLOT, "image-decode", budget, move || {
        let mut reader = ImageReader::new(Cursor::new(owned.as_slice())).with_guessed_format()?;
        let mut limits = Limits::default();
        limits.max_image_width = Some(MAX_SIDE);
        limits.max_image_height = Some(MAX_SIDE);
        // Room for the largest accepted picture in RGBA plus the gray copy.
        limits.max_alloc = Some(MAX_PIXELS * 5);
        reader.limits(limits);
        let picture = reader.decode()?;
        Ok::<_, image::ImageError>(picture.into_luma8())
    });
    match decoded {
        Guarded::Done(Ok(gray)) if gray.width() > 0 && gray.height() > 0 => Ok(gray),
        Guarded::Done(Ok(_)) => Err(ScanError::Empty),
        Guarded::Done(Err(e)) => Err(not_a_picture(e)),
        Guarded::Panicked => Err(ScanError::NotAPicture("the picture is damaged".to_owned())),
        Guarded::TimedOut => Err(ScanError::TimedOut),
    }
}

/// The outcome of a guarded call.
#[derive(Debug)]
pub enum Guarded<T> {
    /// It returned.
    Done(T),
    /// It panicked (the panic was caught on its thread).
    Panicked,
    /// It ran past its budget and was abandoned, or too many abandoned calls still run.
    TimedOut,
}

/// Runs `work` on a named thread, catching a panic, and stops waiting after `budget`.
///
/// Rust cannot kill a thread, so an abandoned call runs on to its end; to keep a stream of
/// pathological pictures from eating every core, no new call starts in a `slot` while
/// [`MAX_RUNAWAYS`] calls of that slot are still running. Each decoder has its own slot, so rqrr
/// stuck on a photo of a screen does not stop rxing from reading the next printout.
pub fn guarded<T: Send + 'static>(
    slot: &'static AtomicUsize,
    name: &str,
    budget: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Guarded<T> {
    if slot.load(Ordering::SeqCst) > MAX_RUNAWAYS {
        return Guarded::TimedOut;
    }
    let (tx, rx) = mpsc::sync_channel(1);
    slot.fetch_add(1, Ordering::SeqCst);
    let spawned = thread::Builder::new()
        .name(format!("qr-{name}"))
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(work));
            slot.fetch_sub(1, Ordering::SeqCst);
            // The receiver is gone when the caller stopped waiting; nothing to do then.
            let _ = tx.send(result);
        });
    if spawned.is_err() {
        slot.fetch_sub(1, Ordering::SeqCst);
        return Guarded::Panicked;
    }
    match rx.recv_timeout(budget) {
        Ok(Ok(value)) => Guarded::Done(value),
        Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => Guarded::Panicked,
        Err(mpsc::RecvTimeoutError::Timeout) => Guarded::TimedOut,
    }
}

/// How many abandoned decoder calls may run on before new ones are refused.
pub const MAX_RUNAWAYS: usize = 2;

/// Calls of rqrr still running (including abandoned ones).
pub static RQRR_SLOT: AtomicUsize = AtomicUsize::new(0);
/// Calls of rxing still running.
pub static RXING_SLOT: AtomicUsize = AtomicUsize::new(0);
/// Picture decodes (PNG, JPEG) still running.
pub static IMAGE_SLOT: AtomicUsize = AtomicUsize::new(0);

/// Whether `KIOSK_SCAN_TRACE` asks for one line per decoder call on standard error, to see where
/// a hard picture's time goes.
fn trace() -> bool {
    std::env::var_os("KIOSK_SCAN_TRACE").is_some()
}

fn decoder_name(decoder: Decoder) -> &'static str {
    match decoder {
        Decoder::Rqrr => "rqrr",
        Decoder::Rxing => "rxing",
    }
}

fn longest(picture: &GrayImage) -> u32 {
    picture.width().max(picture.height())
}

/// Scales a picture (down, or up for small ones) so its longest side is `side` pixels.
fn shrink(picture: &GrayImage, side: u32) -> GrayImage {
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
fn stretch(picture: &GrayImage) -> GrayImage {
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
fn threshold(picture: &GrayImage) -> GrayImage {
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
fn blur(picture: &GrayImage) -> GrayImage {
    image::imageops::blur(picture, 1.2)
}

/// Light modules on dark ground (a code shown on a phone in dark mode, a negative photocopy).
fn invert(picture: &GrayImage) -> GrayImage {
    let mut out = picture.clone();
    image::imageops::invert(&mut out);
    out
}

fn rqrr_decode(picture: &GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare(picture.clone());
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

fn rxing_decode(picture: &GrayImage) -> Vec<String> {
    let mut hints = rxing::DecodeHints::default().with(rxing::DecodeHintValue::TryHarder(true));
    rxing::helpers::detect_in_luma_slice_with_hints(
        picture.as_raw(),
        picture.width(),
        picture.height(),
        Some(rxing::BarcodeFormat::QR_CODE),
        &mut hints,
    )
    .map(|result| vec![result.getText().to_owned()])
    .unwrap_or_default()
}

/// Deduplicates and puts codes that look like e-visas (the `KZV` prefix) first, so a page with a
/// second, unrelated code still yields the visa.
fn visa_codes_first(texts: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out.sort_by_key(|t| !t.starts_with("KZV"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_with_no_code_yields_no_code() {
        let blank = GrayImage::from_pixel(300, 200, image::Luma([255]));
        let scan = Pipeline::default().scan_gray(blank, DEFAULT_BUDGET);
        assert_eq!(scan, Err(ScanError::NoCode));
    }

    #[test]
    fn a_panicking_decoder_is_caught_and_reported() {
        static SLOT: AtomicUsize = AtomicUsize::new(0);
        let outcome = guarded(&SLOT, "test", Duration::from_secs(5), || -> u8 {
            panic!("boom")
        });
        assert!(matches!(outcome, Guarded::Panicked));
    }

    #[test]
    fn a_decoder_past_its_budget_is_abandoned() {
        static SLOT: AtomicUsize = AtomicUsize::new(0);
        let outcome = guarded(&SLOT, "test", Duration::from_millis(10), || {
            thread::sleep(Duration::from_millis(300));
            1
        });
        assert!(matches!(outcome, Guarded::TimedOut));
    }

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

    #[test]
    fn visa_codes_come_first_and_duplicates_go() {
        let texts = vec![
            "http://x".to_owned(),
            "KZV1:ABC".to_owned(),
            "http://x".to_owned(),
        ];
        assert_eq!(visa_codes_first(texts), vec!["KZV1:ABC", "http://x"]);
    }
}
