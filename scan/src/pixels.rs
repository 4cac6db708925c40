//! From a picture whose header was checked to its 8-bit gray pixels, with as little memory as the
//! format allows: the decoders only ever need gray.
//!
//! PNG is decoded row by row straight into gray (interlaced files, rare from scanners, through
//! one buffer of the decoded pixels converted in place). JPEG is decoded by zune-jpeg to its
//! luma channel only: no chroma upsampling, no colour conversion, a third of the memory and less
//! time. TIFF's 8-bit strips are read one at a time into gray (tiff); WebP, BMP and other TIFFs go
//! through the image crate's decoder into one buffer of the decoded pixels that is converted to
//! gray in place. Alpha is laid over white paper, so a code drawn on a
//! transparent background reads as printed.

use std::io::{BufRead, Seek};

use image::{ColorType, GrayImage, ImageDecoder, ImageReader, Limits};

use super::picture::{Format, Header};

/// Decodes the picture `reader` holds, whose `header` was read and checked, to gray.
pub fn decode_gray<R: BufRead + Seek>(reader: R, header: Header) -> Result<GrayImage, String> {
    let gray = match header.format {
        Format::Png => png_gray(reader)?,
        Format::Jpeg => jpeg_gray(reader)?,
        Format::Tiff => tiff_gray(reader)?,
        Format::WebP => generic_gray(reader, image::ImageFormat::WebP)?,
        Format::Bmp => generic_gray(reader, image::ImageFormat::Bmp)?,
    };
    // A decoder that disagrees with its own header (a damaged or crafted file) gets no second
    // chance: the checked size is the one that was allowed.
    if (gray.width(), gray.height()) != (header.width, header.height) {
        return Err(format!(
            "the picture decodes to {}×{} pixels, its header says {}×{}",
            gray.width(),
            gray.height(),
            header.width,
            header.height
        ));
    }
    Ok(gray)
}

fn png_gray<R: BufRead + Seek>(reader: R) -> Result<GrayImage, String> {
    let mut decoder = png::Decoder::new(reader);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let (width, height) = (reader.info().width, reader.info().height);
    let samples = reader.output_color_type().0.samples();
    if reader.info().interlaced {
        let size = reader
            .output_buffer_size()
            .ok_or("the picture is too large")?;
        let mut buffer = vec![0u8; size];
        reader.next_frame(&mut buffer).map_err(|e| e.to_string())?;
        to_gray_in_place(&mut buffer, samples);
        return GrayImage::from_raw(width, height, buffer).ok_or_else(|| "a short frame".into());
    }
    let pixels = usize::try_from(u64::from(width) * u64::from(height))
        .map_err(|_| "the picture is too large")?;
    let mut gray = Vec::with_capacity(pixels);
    while let Some(row) = reader.next_row().map_err(|e| e.to_string())? {
        gray.extend(row.data().chunks_exact(samples).map(pixel_gray));
    }
    GrayImage::from_raw(width, height, gray).ok_or_else(|| "the picture ends early".into())
}

fn jpeg_gray<R: BufRead + Seek>(reader: R) -> Result<GrayImage, String> {
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;

    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::Luma)
        .set_max_width(super::MAX_SIDE as usize)
        .set_max_height(super::MAX_SIDE as usize)
        // Phones and scanners write slightly off-standard files; be as lenient as libjpeg.
        .set_strict_mode(false);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(reader, options);
    decoder.decode_headers().map_err(|e| e.to_string())?;
    let (width, height) = decoder.dimensions().ok_or("a JPEG without a frame")?;
    let (width, height) = (
        u32::try_from(width).map_err(|_| "too wide")?,
        u32::try_from(height).map_err(|_| "too high")?,
    );
    let out = decoder
        .output_colorspace()
        .ok_or("a JPEG without colours")?;
    let mut pixels = decoder.decode().map_err(|e| e.to_string())?;
    // Luma is what was asked for; a colour space zune-jpeg cannot reduce (CMYK) comes as it is.
    to_gray_in_place(&mut pixels, out.num_components());
    GrayImage::from_raw(width, height, pixels).ok_or_else(|| "the picture ends early".into())
}

/// The first page of a TIFF strip by strip into gray, for the 8-bit chunky strips scanners write;
/// tiles, planar samples and other depths go through the image crate instead.
fn tiff_gray<R: BufRead + Seek>(mut reader: R) -> Result<GrayImage, String> {
    use tiff::ColorType;
    use tiff::decoder::{ChunkType, Decoder, DecodingResult};

    let strips = {
        let mut decoder = Decoder::new(&mut reader).map_err(|e| e.to_string())?;
        let (width, height) = decoder.dimensions().map_err(|e| e.to_string())?;
        let samples = match decoder.colortype().map_err(|e| e.to_string())? {
            ColorType::Gray(8) => Some(1),
            ColorType::GrayA(8) => Some(2),
            ColorType::RGB(8) => Some(3),
            ColorType::RGBA(8) => Some(4),
            _ => None,
        };
        let rows = decoder.chunk_dimensions().1.max(1);
        let chunky = decoder.get_chunk_type() == ChunkType::Strip
            && decoder.strip_count().ok() == Some(height.div_ceil(rows));
        match samples {
            Some(samples) if chunky => {
                let pixels = usize::try_from(u64::from(width) * u64::from(height))
                    .map_err(|_| "the picture is too large")?;
                let mut gray = Vec::with_capacity(pixels);
                for strip in 0..height.div_ceil(rows) {
                    match decoder.read_chunk(strip).map_err(|e| e.to_string())? {
                        DecodingResult::U8(bytes) => {
                            gray.extend(bytes.chunks_exact(samples).map(pixel_gray));
                        }
                        _ => return Err("a TIFF strip of unexpected samples".to_owned()),
                    }
                }
                Some((width, height, gray))
            }
            _ => None,
        }
    };
    match strips {
        Some((width, height, gray)) => {
            GrayImage::from_raw(width, height, gray).ok_or_else(|| "the picture ends early".into())
        }
        None => {
            reader
                .seek(std::io::SeekFrom::Start(0))
                .map_err(|e| e.to_string())?;
            generic_gray(reader, image::ImageFormat::Tiff)
        }
    }
}

fn generic_gray<R: BufRead + Seek>(
    reader: R,
    format: image::ImageFormat,
) -> Result<GrayImage, String> {
    let mut reader = ImageReader::with_format(reader, format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(super::MAX_SIDE);
    limits.max_image_height = Some(super::MAX_SIDE);
    // The decoders' own working memory (TIFF strips, WebP frames); the pixels are ours.
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (width, height) = decoder.dimensions();
    let color = decoder.color_type();
    let size = usize::try_from(decoder.total_bytes()).map_err(|_| "the picture is too large")?;
    let mut buffer = vec![0u8; size];
    decoder.read_image(&mut buffer).map_err(|e| e.to_string())?;
    samples_to_u8_in_place(&mut buffer, color)?;
    to_gray_in_place(&mut buffer, usize::from(color.channel_count()));
    GrayImage::from_raw(width, height, buffer).ok_or_else(|| "the picture ends early".into())
}

/// Gray of one pixel of 1 to 4 8-bit samples: gray, gray + alpha, RGB, RGBA (Rec. 709 weights,
/// as the image crate uses; alpha over white).
fn pixel_gray(pixel: &[u8]) -> u8 {
    let (luma, alpha) = match *pixel {
        [l] => (u32::from(l), 255),
        [l, a] => (u32::from(l), u32::from(a)),
        [r, g, b] => (rec709(r, g, b), 255),
        [r, g, b, a] => (rec709(r, g, b), u32::from(a)),
        // Four-sample CMYK from a JPEG comes here too, read as RGBA: rare, and still a picture.
        _ => (u32::from(pixel.first().copied().unwrap_or(255)), 255),
    };
    ((luma * alpha + 255 * (255 - alpha) + 127) / 255) as u8
}

fn rec709(r: u8, g: u8, b: u8) -> u32 {
    (2126 * u32::from(r) + 7152 * u32::from(g) + 722 * u32::from(b) + 5000) / 10_000
}

/// Turns pixels of `samples` 8-bit samples into one gray byte each, in the same buffer: pixel
/// `i` is written at `i`, never past where pixel `i` was read, so nothing is overwritten early.
fn to_gray_in_place(buffer: &mut Vec<u8>, samples: usize) {
    if samples <= 1 {
        return;
    }
    let pixels = buffer.len() / samples;
    for i in 0..pixels {
        let at = i * samples;
        buffer[i] = pixel_gray(&buffer[at..at + samples]);
    }
    buffer.truncate(pixels);
    buffer.shrink_to_fit();
}

/// Reduces 16-bit and floating-point samples to 8 bits, in place.
fn samples_to_u8_in_place(buffer: &mut Vec<u8>, color: ColorType) -> Result<(), String> {
    let width = usize::from(color.bytes_per_pixel()) / usize::from(color.channel_count()).max(1);
    let float = matches!(color, ColorType::Rgb32F | ColorType::Rgba32F);
    match (width, float) {
        (1, false) => return Ok(()),
        (2, false) => {
            let samples = buffer.len() / 2;
            for i in 0..samples {
                // Native byte order, as image's decoders write; the high byte is the 8-bit value.
                let v = u16::from_ne_bytes([buffer[2 * i], buffer[2 * i + 1]]);
                buffer[i] = (v >> 8) as u8;
            }
            buffer.truncate(samples);
        }
        (4, true) => {
            let samples = buffer.len() / 4;
            for i in 0..samples {
                let at = 4 * i;
                let v = f32::from_ne_bytes([
                    buffer[at],
                    buffer[at + 1],
                    buffer[at + 2],
                    buffer[at + 3],
                ]);
                buffer[i] = (v.clamp(0.0, 1.0) * 255.0).round() as u8;
            }
            buffer.truncate(samples);
        }
        _ => return Err(format!("pixels of type {color:?} are not read")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_pixels_become_gray_in_place_and_alpha_lies_over_white() {
        let mut rgba = vec![0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 0];
        to_gray_in_place(&mut rgba, 4);
        assert_eq!(rgba, vec![0, 255, 255]);
        let mut rgb = vec![255, 0, 0, 0, 255, 0];
        to_gray_in_place(&mut rgb, 3);
        assert_eq!(rgb, vec![54, 182]);
    }

    #[test]
    fn sixteen_bit_samples_keep_their_high_byte() {
        let mut buffer = [0x1234u16, 0xFF00]
            .iter()
            .flat_map(|v| v.to_ne_bytes())
            .collect();
        samples_to_u8_in_place(&mut buffer, ColorType::L16).expect("16-bit gray");
        assert_eq!(buffer, vec![0x12, 0xFF]);
    }
}
