//! From image bytes to the text of the QR code on them: the reading pipeline.
//!
//! Scanner output and phone photos are untrusted input. The pipeline first reads only the image
//! header (PNG, JPEG, TIFF, WebP, BMP) and refuses what is empty or absurdly large, decodes
//! straight to gray while streaming from the file, then tries a cascade of decoders on prepared
//! variants of the picture (a scaling pyramid, contrast stretching, a global threshold, inversion,
//! blur), reading every code on the picture and going on until an e-visa's is found. Every decoder
//! call runs on its own named thread under a panic guard and a CPU-time budget, because rqrr 0.11
//! has been seen to panic on some photos and to spend minutes on others: a bad picture must cost
//! the officer seconds, never the kiosk, and a busy machine must not change what is read.

mod decoders;
mod guard;
mod measure;
mod picture;
mod pixels;
mod prepare;

use std::io::{BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use image::GrayImage;

use decoders::{is_visa, rqrr_decode, rxing_decode, visa_codes_first};
pub use guard::{
    Account, Guarded, IMAGE_SLOT, MAX_RUNAWAYS, RQRR_SLOT, RXING_SLOT, ThreadCpu, WALL_FACTOR,
    guarded, guarded_cpu,
};
pub use measure::{Measure, measure};
pub use picture::{EXTENSIONS, Format, Header};
use picture::{HeaderError, read_header};
use prepare::{blur, invert, shrink, stretch, threshold};

/// The largest image file read, in bytes: a 600-dpi uncompressed A4 colour scan is ~105 MB.
pub const MAX_FILE_BYTES: u64 = 160 * 1024 * 1024;
/// The largest picture decoded, in pixels: a 600-dpi A4 page is 35 megapixels, a phone 50.
pub const MAX_PIXELS: u64 = 80_000_000;
/// The longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 20_000;

/// How much CPU time reading one picture may take by default (decoding included; in wall-clock
/// time at most [`WALL_FACTOR`] times this).
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(4);

/// Why no code text came out of an image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The file could not be read at all.
    #[error("the file could not be read: {0}")]
    Io(String),
    /// The bytes are not a PNG, JPEG, TIFF, WebP or BMP picture, or the picture is damaged.
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
    /// The distinct texts of the codes found, e-visa codes first: the first text is the one to
    /// verify.
    pub texts: Vec<String>,
    /// The decoder that found the first text.
    pub decoder: Decoder,
    /// The variant of the picture the first text was found in, for the benchmark and logs.
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
    /// CPU-time budget for the whole picture, decoding included.
    pub budget: Duration,
    /// CPU-time budget for one decoder call, so one stuck call leaves time for the others.
    pub attempt_budget: Duration,
    /// Try rxing before rqrr on each variant. Measured on the public set and on the issuer's
    /// printouts, rxing reads more and answers 10–30 times faster, so it goes first by default.
    pub rxing_first: bool,
    /// Which code ends the search.
    pub want: Want,
}

/// Which code ends the cascade's search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// The first code of any kind: what the benchmark measures on the public set, whose codes
    /// are not e-visas.
    AnyCode,
    /// Every code on the picture: the first variant where any code is read is read whole (for
    /// diagnostics, and to show that no code hides another).
    Every,
    /// A code that looks like an e-visa (`KZV` prefix). Other codes found on the way (a booking
    /// code printed beside the visa, a shop's code on the desk) are kept and the search goes on,
    /// through the other decoder and the other variants; they are reported only if no e-visa
    /// code turns up, so the officer then sees "not an e-visa" rather than "unreadable".
    Visa,
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
            want: Want::Visa,
        }
    }
}

/// Reads a picture file and finds its QR code with the default pipeline.
pub fn scan_file(path: &Path) -> Result<Scan, ScanError> {
    Pipeline::default().scan_file(path)
}

impl Pipeline {
    /// Reads a picture file (its header checked first) and finds its QR codes.
    pub fn scan_file(&self, path: &Path) -> Result<Scan, ScanError> {
        let mut account = Account::new(self.budget);
        let gray = load_file(path, &mut account)?;
        self.scan_loaded(Arc::new(gray), &mut account)
    }

    /// Finds the QR codes in encoded picture bytes (PNG, JPEG, TIFF, WebP or BMP).
    pub fn scan_bytes(&self, bytes: &[u8]) -> Result<Scan, ScanError> {
        let mut account = Account::new(self.budget);
        let gray = load_bytes(bytes, &mut account)?;
        self.scan_loaded(Arc::new(gray), &mut account)
    }

    /// Runs the cascade on a grayscale picture within `budget` of CPU time.
    pub fn scan_gray(&self, gray: GrayImage, budget: Duration) -> Result<Scan, ScanError> {
        self.scan_loaded(Arc::new(gray), &mut Account::new(budget))
    }

    /// Like [`Pipeline::scan_gray`] on a picture the caller keeps (to measure it afterwards).
    pub fn scan_shared(&self, gray: Arc<GrayImage>, budget: Duration) -> Result<Scan, ScanError> {
        self.scan_loaded(gray, &mut Account::new(budget))
    }

    /// Like [`Pipeline::scan_bytes`], and gives back the decoded picture, for a caller that
    /// measures the code it holds ([`measure`]).
    pub fn scan_bytes_kept(&self, bytes: &[u8]) -> Result<(Scan, Arc<GrayImage>), ScanError> {
        let mut account = Account::new(self.budget);
        let gray = Arc::new(load_bytes(bytes, &mut account)?);
        let scan = self.scan_loaded(Arc::clone(&gray), &mut account)?;
        Ok((scan, gray))
    }

    fn scan_loaded(&self, full: Arc<GrayImage>, account: &mut Account) -> Result<Scan, ScanError> {
        if trace() {
            eprintln!(
                "scan: loaded {}x{}, {:?} of CPU spent",
                full.width(),
                full.height(),
                account.spent()
            );
        }
        let mut attempts = 0;
        let mut failures = 0;
        let mut timed_out = false;
        // Codes that are not what `want` asks for, with where the first of them was found.
        let mut others: Vec<String> = Vec::new();
        let mut first_other: Option<(Decoder, String)> = None;
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
            if account.left().is_zero() {
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
                let left = account.left();
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
                let want = self.want;
                let (result, spent) =
                    guarded_cpu(slot, decoder_name(decoder), budget, move || match decoder {
                        Decoder::Rqrr => rqrr_decode(&picture),
                        Decoder::Rxing => rxing_decode(&picture, want),
                    });
                account.charge(spent);
                if trace() {
                    eprintln!(
                        "scan: {} on {variant}: {:?} in {:?} ({spent:?} CPU)",
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
                    Guarded::Done(texts)
                        if !texts.is_empty()
                            && (self.want != Want::Visa || texts.iter().any(|t| is_visa(t))) =>
                    {
                        let mut texts = texts;
                        texts.append(&mut others);
                        return Ok(Scan {
                            texts: visa_codes_first(texts),
                            decoder,
                            variant,
                            attempts,
                            failures,
                        });
                    }
                    Guarded::Done(mut texts) => {
                        if !texts.is_empty() && first_other.is_none() {
                            first_other = Some((decoder, variant.clone()));
                        }
                        others.append(&mut texts);
                    }
                    Guarded::Panicked => failures += 1,
                    Guarded::TimedOut => {
                        failures += 1;
                        timed_out = true;
                    }
                }
            }
        }
        if let Some((decoder, variant)) = first_other {
            // Codes were read, none of them an e-visa: the caller's verification says so.
            return Ok(Scan {
                texts: visa_codes_first(others),
                decoder,
                variant,
                attempts,
                failures,
            });
        }
        if timed_out && account.left().is_zero() {
            Err(ScanError::TimedOut)
        } else {
            Err(ScanError::NoCode)
        }
    }
}

/// Reads a picture file's header, checks its format and size, and only then decodes it to gray,
/// streaming from the file: the file is never held in memory whole next to its pixels. The
/// decoder runs under the same panic guard and budget as the QR decoders, because a crafted file
/// is exactly where a decoder bug would show.
pub fn load_gray_file(path: &Path, budget: Duration) -> Result<GrayImage, ScanError> {
    load_file(path, &mut Account::new(budget))
}

fn load_file(path: &Path, account: &mut Account) -> Result<GrayImage, ScanError> {
    let io = |e: std::io::Error| ScanError::Io(e.to_string());
    let file = std::fs::File::open(path).map_err(io)?;
    let length = file.metadata().map_err(io)?.len();
    if length == 0 {
        return Err(ScanError::Empty);
    }
    if length > MAX_FILE_BYTES {
        return Err(ScanError::Io("the file is larger than any scan".to_owned()));
    }
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let header = checked_header(&mut reader)?;
    reader.seek(SeekFrom::Start(0)).map_err(io)?;
    decode_guarded(account, move || pixels::decode_gray(reader, header))
}

/// Decodes picture bytes held in memory (a camera frame, a test's picture) like
/// [`load_gray_file`]: header first, then the pixels.
pub fn load_gray(bytes: &[u8], budget: Duration) -> Result<GrayImage, ScanError> {
    load_bytes(bytes, &mut Account::new(budget))
}

fn load_bytes(bytes: &[u8], account: &mut Account) -> Result<GrayImage, ScanError> {
    if bytes.is_empty() {
        return Err(ScanError::Empty);
    }
    let header = checked_header(&mut Cursor::new(bytes))?;
    let owned = bytes.to_vec();
    decode_guarded(account, move || {
        pixels::decode_gray(Cursor::new(owned.as_slice()), header)
    })
}

/// Whether a path names a picture the kiosk reads (PNG, JPEG, TIFF, WebP, BMP), by its
/// extension: what the scanner folder watch picks up.
pub fn is_picture_name(path: &Path) -> bool {
    picture::has_picture_extension(path)
}

/// The header of a picture, refused if it is of no format read, empty, or larger than any scan.
fn checked_header<R: Read + Seek>(reader: &mut R) -> Result<Header, ScanError> {
    let header = match read_header(reader) {
        Ok(header) => header,
        Err(HeaderError::Unknown) => {
            return Err(ScanError::NotAPicture(
                "neither PNG, JPEG, TIFF, WebP nor BMP".to_owned(),
            ));
        }
        Err(HeaderError::Damaged(why)) => return Err(ScanError::NotAPicture(why.to_owned())),
        Err(HeaderError::Io(e)) => return Err(ScanError::Io(e.to_string())),
    };
    let (width, height) = (header.width, header.height);
    if width == 0 || height == 0 {
        return Err(ScanError::Empty);
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ScanError::TooLarge { width, height });
    }
    Ok(header)
}

fn decode_guarded(
    account: &mut Account,
    decode: impl FnOnce() -> Result<GrayImage, String> + Send + 'static,
) -> Result<GrayImage, ScanError> {
    let (decoded, spent) = guarded_cpu(&IMAGE_SLOT, "image-decode", account.left(), decode);
    account.charge(spent);
    match decoded {
        Guarded::Done(Ok(gray)) if gray.width() > 0 && gray.height() > 0 => Ok(gray),
        Guarded::Done(Ok(_)) => Err(ScanError::Empty),
        Guarded::Done(Err(e)) => Err(ScanError::NotAPicture(e)),
        Guarded::Panicked => Err(ScanError::NotAPicture("the picture is damaged".to_owned())),
        Guarded::TimedOut => Err(ScanError::TimedOut),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_with_no_code_yields_no_code() {
        let blank = GrayImage::from_pixel(300, 200, image::Luma([255]));
        // A budget no debug build on a busy machine reaches: the outcome must not depend on it.
        let scan = Pipeline::default().scan_gray(blank, Duration::from_secs(300));
        assert_eq!(scan, Err(ScanError::NoCode));
    }
}
