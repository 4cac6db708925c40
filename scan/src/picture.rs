//! A picture file's header, read alone: its format and its size in pixels, so an absurd or hostile
//! file is refused before any decoder allocates for it or the file is read whole.
//!
//! Each format states its size near the start: PNG in the IHDR chunk, JPEG in the first
//! start-of-frame segment (after the markers before it, which are skipped by their lengths), TIFF
//! in the first image directory, WebP in its first chunk and BMP in its info header. Only those
//! bytes are read, through a bounded number of small reads and seeks.

use std::io::{self, Read, Seek, SeekFrom};

/// The picture formats the kiosk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PNG (scanners, screenshots).
    Png,
    /// JPEG (phones, cameras, most scanners).
    Jpeg,
    /// TIFF, the first page (document scanners, fax software).
    Tiff,
    /// WebP (phones and messaging apps).
    WebP,
    /// BMP (older scanner drivers).
    Bmp,
}

/// What a picture's header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The format, from the file's signature.
    pub format: Format,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// The file name extensions of the formats read, lower case.
pub const EXTENSIONS: [&str; 7] = ["png", "jpg", "jpeg", "tif", "tiff", "webp", "bmp"];

/// Why a header could not be read.
#[derive(Debug)]
pub enum HeaderError {
    /// The signature is none of the formats read.
    Unknown,
    /// The header is cut short or inconsistent.
    Damaged(&'static str),
    /// Reading failed.
    Io(io::Error),
}

impl From<io::Error> for HeaderError {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::UnexpectedEof {
            Self::Damaged("the header is cut short")
        } else {
            Self::Io(error)
        }
    }
}

/// Reads the format and size of the picture `reader` starts with.
pub fn read_header<R: Read + Seek>(reader: &mut R) -> Result<Header, HeaderError> {
    reader.seek(SeekFrom::Start(0))?;
    let mut start = [0u8; 30];
    let got = read_up_to(reader, &mut start)?;
    let start = &start[..got];
    let (format, (width, height)) = if start.starts_with(b"\x89PNG\r\n\x1a\n") {
        (Format::Png, png(start)?)
    } else if start.starts_with(&[0xFF, 0xD8]) {
        (Format::Jpeg, jpeg(reader)?)
    } else if start.starts_with(b"II") || start.starts_with(b"MM") {
        (Format::Tiff, tiff(reader, start)?)
    } else if start.starts_with(b"RIFF") && start.get(8..12) == Some(b"WEBP") {
        (Format::WebP, webp(start)?)
    } else if start.starts_with(b"BM") {
        (Format::Bmp, bmp(start)?)
    } else {
        return Err(HeaderError::Unknown);
    };
    Ok(Header {
        format,
        width,
        height,
    })
}

/// Whether a path names a picture of a format read, by its extension.
pub fn has_picture_extension(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn read_up_to<R: Read>(reader: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

fn be32(bytes: &[u8], at: usize) -> Result<u32, HeaderError> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or(HeaderError::Damaged("the header is cut short"))
}

fn le16(bytes: &[u8], at: usize) -> Result<u32, HeaderError> {
    bytes
        .get(at..at + 2)
        .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
        .ok_or(HeaderError::Damaged("the header is cut short"))
}

fn le24(bytes: &[u8], at: usize) -> Result<u32, HeaderError> {
    bytes
        .get(at..at + 3)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], 0]))
        .ok_or(HeaderError::Damaged("the header is cut short"))
}

fn le32(bytes: &[u8], at: usize) -> Result<u32, HeaderError> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or(HeaderError::Damaged("the header is cut short"))
}

/// The IHDR chunk must come first: length 13, type, width, height.
fn png(start: &[u8]) -> Result<(u32, u32), HeaderError> {
    if start.get(12..16) != Some(b"IHDR") {
        return Err(HeaderError::Damaged("a PNG without IHDR first"));
    }
    Ok((be32(start, 16)?, be32(start, 20)?))
}

/// Walks the segments after SOI to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC),
/// skipping each by its length.
fn jpeg<R: Read + Seek>(reader: &mut R) -> Result<(u32, u32), HeaderError> {
    reader.seek(SeekFrom::Start(2))?;
    // An EXIF block, thumbnails, ICC profiles and comments come before the frame; real files
    // have a few dozen segments at most.
    for _ in 0..1024 {
        let mut marker = [0u8; 2];
        reader.read_exact(&mut marker)?;
        if marker[0] != 0xFF {
            return Err(HeaderError::Damaged("a JPEG segment without a marker"));
        }
        // Fill bytes: any number of 0xFF before the marker code.
        let mut code = marker[1];
        let mut fills = 0;
        while code == 0xFF {
            fills += 1;
            if fills > 64 {
                return Err(HeaderError::Damaged("a JPEG with endless fill bytes"));
            }
            let mut next = [0u8; 1];
            reader.read_exact(&mut next)?;
            code = next[0];
        }
        match code {
            // Markers without a length: TEM, RST0–7.
            0x01 | 0xD0..=0xD7 => continue,
            0xD8 | 0xD9 | 0xDA | 0x00 => {
                return Err(HeaderError::Damaged("a JPEG without a frame header"));
            }
            _ => {}
        }
        let mut length = [0u8; 2];
        reader.read_exact(&mut length)?;
        let length = u16::from_be_bytes(length);
        if length < 2 {
            return Err(HeaderError::Damaged("a JPEG segment of impossible length"));
        }
        let is_frame = matches!(code, 0xC0..=0xCF) && !matches!(code, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            let mut frame = [0u8; 5];
            reader.read_exact(&mut frame)?;
            let height = u32::from(u16::from_be_bytes([frame[1], frame[2]]));
            let width = u32::from(u16::from_be_bytes([frame[3], frame[4]]));
            return Ok((width, height));
        }
        reader.seek(SeekFrom::Current(i64::from(length) - 2))?;
    }
    Err(HeaderError::Damaged(
        "a JPEG with too many segments before its frame",
    ))
}

/// The first image directory's ImageWidth (256) and ImageLength (257), classic or BigTIFF.
fn tiff<R: Read + Seek>(reader: &mut R, start: &[u8]) -> Result<(u32, u32), HeaderError> {
    let little = start.starts_with(b"II");
    let u16_at = |b: &[u8], at: usize| -> u64 {
        let v = [b[at], b[at + 1]];
        u64::from(if little {
            u16::from_le_bytes(v)
        } else {
            u16::from_be_bytes(v)
        })
    };
    let u32_at = |b: &[u8], at: usize| -> u64 {
        let v = [b[at], b[at + 1], b[at + 2], b[at + 3]];
        u64::from(if little {
            u32::from_le_bytes(v)
        } else {
            u32::from_be_bytes(v)
        })
    };
    let u64_at = |b: &[u8], at: usize| -> u64 {
        let mut v = [0u8; 8];
        v.copy_from_slice(&b[at..at + 8]);
        if little {
            u64::from_le_bytes(v)
        } else {
            u64::from_be_bytes(v)
        }
    };
    if start.len() < 16 {
        return Err(HeaderError::Damaged("the header is cut short"));
    }
    let big = match u16_at(start, 2) {
        42 => false,
        43 => true,
        _ => return Err(HeaderError::Unknown),
    };
    let (first, count_len, entry_len) = if big {
        (u64_at(start, 8), 8, 20)
    } else {
        (u32_at(start, 4), 2, 12)
    };
    reader.seek(SeekFrom::Start(first))?;
    let mut count = [0u8; 8];
    reader.read_exact(&mut count[..count_len])?;
    let count = if big {
        u64_at(&count, 0)
    } else {
        u16_at(&count, 0)
    };
    let (mut width, mut height) = (None, None);
    // A directory holds a few dozen tags; a count in the thousands is damage, not a picture.
    for _ in 0..count.min(4096) {
        let mut entry = [0u8; 20];
        reader.read_exact(&mut entry[..entry_len])?;
        let tag = u16_at(&entry, 0);
        let kind = u16_at(&entry, 2);
        let value_at = if big { 12 } else { 8 };
        let value = match kind {
            3 => u16_at(&entry, value_at),
            4 => u32_at(&entry, value_at),
            16 if big => u64_at(&entry, value_at),
            _ => continue,
        };
        let value = u32::try_from(value).unwrap_or(u32::MAX);
        match tag {
            256 => width = Some(value),
            257 => height = Some(value),
            _ => {}
        }
        if let (Some(width), Some(height)) = (width, height) {
            return Ok((width, height));
        }
    }
    Err(HeaderError::Damaged("a TIFF without its size"))
}

/// The first chunk: lossy `VP8 `, lossless `VP8L` or extended `VP8X` (canvas size).
fn webp(start: &[u8]) -> Result<(u32, u32), HeaderError> {
    match start.get(12..16) {
        Some(b"VP8 ") => {
            if start.get(23..26) != Some(&[0x9D, 0x01, 0x2A]) {
                return Err(HeaderError::Damaged("a WebP frame without its start code"));
            }
            Ok((le16(start, 26)? & 0x3FFF, le16(start, 28)? & 0x3FFF))
        }
        Some(b"VP8L") => {
            if start.get(20) != Some(&0x2F) {
                return Err(HeaderError::Damaged(
                    "a lossless WebP without its signature",
                ));
            }
            let bits = le32(start, 21)?;
            Ok(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        Some(b"VP8X") => Ok((le24(start, 24)? + 1, le24(start, 27)? + 1)),
        _ => Err(HeaderError::Damaged("a WebP without a known first chunk")),
    }
}

/// The info header after the 14-byte file header: the old 12-byte core header has 16-bit sizes,
/// every later one signed 32-bit sizes (a negative height is a top-down picture).
fn bmp(start: &[u8]) -> Result<(u32, u32), HeaderError> {
    let size = le32(start, 14)?;
    if size == 12 {
        return Ok((le16(start, 18)?, le16(start, 20)?));
    }
    if size < 40 {
        return Err(HeaderError::Damaged("a BMP with an unknown info header"));
    }
    let width = le32(start, 18)? as i32;
    let height = le32(start, 22)? as i32;
    if width < 0 {
        return Err(HeaderError::Damaged("a BMP of negative width"));
    }
    Ok((width.unsigned_abs(), height.unsigned_abs()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn header_of(picture: &image::GrayImage, format: image::ImageFormat) -> Header {
        let mut bytes = Cursor::new(Vec::new());
        image::DynamicImage::ImageLuma8(picture.clone())
            .into_rgb8()
            .write_to(&mut bytes, format)
            .expect("encodes");
        read_header(&mut bytes).expect("a header")
    }

    #[test]
    fn every_format_read_states_its_size_in_the_header() {
        let picture = image::GrayImage::from_pixel(123, 45, image::Luma([200]));
        for (format, expect) in [
            (image::ImageFormat::Png, Format::Png),
            (image::ImageFormat::Jpeg, Format::Jpeg),
            (image::ImageFormat::Tiff, Format::Tiff),
            (image::ImageFormat::WebP, Format::WebP),
            (image::ImageFormat::Bmp, Format::Bmp),
        ] {
            assert_eq!(
                header_of(&picture, format),
                Header {
                    format: expect,
                    width: 123,
                    height: 45
                },
                "{format:?}"
            );
        }
    }

    #[test]
    fn a_text_file_is_no_picture() {
        let outcome = read_header(&mut Cursor::new(b"KZV1:ABC".to_vec()));
        assert!(matches!(outcome, Err(HeaderError::Unknown)), "{outcome:?}");
    }

    #[test]
    fn a_jpeg_whose_segments_never_reach_a_frame_is_damaged() {
        let mut bytes = vec![0xFF, 0xD8];
        for _ in 0..2000 {
            bytes.extend([0xFF, 0xFE, 0x00, 0x02]);
        }
        let outcome = read_header(&mut Cursor::new(bytes));
        assert!(
            matches!(outcome, Err(HeaderError::Damaged(_))),
            "{outcome:?}"
        );
    }
}
