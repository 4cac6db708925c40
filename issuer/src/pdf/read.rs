//! Reading the QR code back from a printout PDF this issuer made, without a PDF renderer: the
//! page's content streams are inflated (bounded) and the dark filled rectangles and the code
//! (drawn by `document.rs` as a one-bit image, one pixel per module, placed with `cm … Do`) are
//! painted onto a white 150-dpi gray page,
//! which then goes through the same picture pipeline as a scan. Text is not drawn, so only the
//! code and a few rules remain. This reads what the paper will show; it does not trust anything
//! else in the file. A PDF from another program (a scanner's, a "print to PDF" of a photo) holds
//! images, not these paths, and is refused with a request for a photo or scan instead.

use image::{GrayImage, Luma};

/// The resolution the page is painted at: the issuer places every module on this grid.
pub const READ_DPI: f32 = 150.0;

/// The largest total of inflated content read from one file.
const MAX_INFLATED: usize = 32 * 1024 * 1024;
/// The most rectangles painted (a printout has a few thousand).
const MAX_RECTS: usize = 200_000;
/// How far before a `stream` keyword its dictionary is looked for.
const MAX_DICT_BYTES: usize = 4096;
/// The most streams read from one file (a printout has a handful).
const MAX_STREAMS: usize = 1000;
/// The most pixels painted in all (the code of a printout paints about 0.2 million).
const MAX_PAINTED: u64 = 32_000_000;
/// The largest page side accepted, in points (A4 is 842; A3 1191).
const MAX_PAGE_POINTS: f32 = 1700.0;

/// Why no page could be painted from the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PdfReadError {
    /// Not a PDF at all.
    #[error("the file is not a PDF")]
    NotPdf,
    /// A PDF without the drawing this issuer's printouts have.
    #[error("the PDF holds no e-visa code drawn by this portal")]
    NotOurs,
    /// More content than any printout has.
    #[error("the PDF is larger than any printout")]
    TooLarge,
}

/// Whether bytes look like a PDF (the header every PDF starts with).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// Paints the dark filled rectangles of the file's first page at [`READ_DPI`].
pub fn paint_codes(bytes: &[u8]) -> Result<GrayImage, PdfReadError> {
    if !is_pdf(bytes) {
        return Err(PdfReadError::NotPdf);
    }
    let (page_w, page_h) = media_box(bytes).unwrap_or((595.276, 841.89));
    if !(page_w > 0.0 && page_h > 0.0 && page_w <= MAX_PAGE_POINTS && page_h <= MAX_PAGE_POINTS) {
        return Err(PdfReadError::NotOurs);
    }
    let mut rects = Vec::new();
    let mut inflated = 0usize;
    for content in streams(bytes) {
        let text = match content.flate {
            true => {
                let left = MAX_INFLATED.saturating_sub(inflated);
                match miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(content.data, left) {
                    Ok(text) => text,
                    Err(e) if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                        return Err(PdfReadError::TooLarge);
                    }
                    Err(_) => continue,
                }
            }
            false => content.data.to_vec(),
        };
        inflated += text.len();
        dark_rects(&text, &mut rects)?;
        if let (Some(placed), Some((side, bits))) = (placement(&text), code_image(bytes)) {
            module_rects(placed, side, &bits, &mut rects);
        }
    }
    if rects.is_empty() || rects.len() > MAX_RECTS {
        return Err(PdfReadError::NotOurs);
    }
    let scale = READ_DPI / 72.0;
    // Both sides are at most MAX_PAGE_POINTS × 150 / 72 ≈ 3542 pixels.
    let width = (page_w * scale).ceil() as u32;
    let height = (page_h * scale).ceil() as u32;
    let mut page = GrayImage::from_pixel(width, height, Luma([255]));
    let mut painted = 0u64;
    for (x0, y0, x1, y1) in rects {
        let px = |v: f32, max: u32| ((v * scale).round().max(0.0) as u32).min(max);
        let (left, right) = (px(x0.min(x1), width), px(x0.max(x1), width));
        // PDF y grows upwards; the picture's downwards.
        let top = px(page_h - y0.max(y1), height);
        let bottom = px(page_h - y0.min(y1), height);
        painted += u64::from(right - left) * u64::from(bottom - top);
        if painted > MAX_PAINTED {
            return Err(PdfReadError::NotOurs);
        }
        for y in top..bottom {
            for x in left..right {
                page.put_pixel(x, y, Luma([0]));
            }
        }
    }
    Ok(page)
}

/// Where a content stream places its image `/Q`: `(width, height, x, y)` in points, from the
/// `w 0 0 h x y cm /Q Do` the writer draws it with.
fn placement(content: &[u8]) -> Option<(f32, f32, f32, f32)> {
    let text = std::str::from_utf8(content).ok()?;
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    let at = words.windows(3).position(|w| w == ["cm", "/Q", "Do"])?;
    let numbers: Vec<f32> = words
        .get(at.checked_sub(6)?..at)?
        .iter()
        .map(|w| w.parse().ok())
        .collect::<Option<_>>()?;
    match numbers[..] {
        [w, 0.0, 0.0, h, x, y] if w > 0.0 && h > 0.0 => Some((w, h, x, y)),
        _ => None,
    }
}

/// The file's one-bit gray image (the code, one pixel per module): its side and its rows of
/// bits, each row padded to a byte, 0 dark.
fn code_image(bytes: &[u8]) -> Option<(usize, Vec<u8>)> {
    let at = find(bytes, b"/Subtype /Image")?;
    let dict_end = at + find(&bytes[at..], b"stream")?;
    let dict = &bytes[at..dict_end];
    if find(dict, b"/BitsPerComponent 1").is_none() || find(dict, b"/DeviceGray").is_none() {
        return None;
    }
    let side = direct_number(dict, b"/Width")?;
    if direct_number(dict, b"/Height")? != side || side == 0 || side > 1000 {
        return None;
    }
    let length = direct_number(dict, b"/Length")?;
    let start = match bytes.get(dict_end + 6..dict_end + 8)? {
        b"\r\n" => dict_end + 8,
        [b'\n', _] => dict_end + 7,
        _ => return None,
    };
    let data = bytes.get(start..start.checked_add(length)?)?;
    let row = side.div_ceil(8);
    let bits = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, row * side).ok()?;
    (bits.len() == row * side).then_some((side, bits))
}

/// The dark modules of the code image placed at `(w, h, x, y)`, as rectangles in points.
fn module_rects(
    (w, h, x, y): (f32, f32, f32, f32),
    side: usize,
    bits: &[u8],
    rects: &mut Vec<(f32, f32, f32, f32)>,
) {
    let row = side.div_ceil(8);
    let (mw, mh) = (w / side as f32, h / side as f32);
    for r in 0..side {
        for c in 0..side {
            let dark = bits[r * row + c / 8] & (0x80 >> (c % 8)) == 0;
            if dark {
                // The image's first row is its top.
                let top = y + h - r as f32 * mh;
                let left = x + c as f32 * mw;
                rects.push((left, top - mh, left + mw, top));
            }
        }
    }
}

/// One stream's bytes and whether they are Flate-compressed.
struct Stream<'a> {
    data: &'a [u8],
    flate: bool,
}

/// The content-like streams of the file: every `stream` whose dictionary gives a direct
/// `/Length`, skipping embedded fonts and images.
fn streams(bytes: &[u8]) -> Vec<Stream<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"stream") {
        let keyword = at + found;
        at = keyword + 6;
        let start = match bytes.get(at..at + 2) {
            Some(b"\r\n") => at + 2,
            Some([b'\n', _]) => at + 1,
            _ => continue,
        };
        // The dictionary is just before the keyword; looking further back would make a file full
        // of the word "stream" cost quadratic time.
        let window = keyword.saturating_sub(MAX_DICT_BYTES);
        let dict_start = rfind(&bytes[window..keyword], b"<<").map_or(keyword, |d| window + d);
        let dict = &bytes[dict_start..keyword];
        if find(dict, b"/Length1").is_some()
            || find(dict, b"/Subtype").is_some()
            || find(dict, b"/FontFile").is_some()
        {
            continue;
        }
        let Some(length) = direct_number(dict, b"/Length") else {
            continue;
        };
        let Some(end) = start.checked_add(length).filter(|&e| e <= bytes.len()) else {
            continue;
        };
        if out.len() >= MAX_STREAMS {
            break;
        }
        out.push(Stream {
            data: &bytes[start..end],
            flate: find(dict, b"/FlateDecode").is_some(),
        });
        at = end;
    }
    out
}

/// The page size from the first `/MediaBox [0 0 W H]`.
fn media_box(bytes: &[u8]) -> Option<(f32, f32)> {
    let at = find(bytes, b"/MediaBox")?;
    let rest = &bytes[at + 9..bytes.len().min(at + 120)];
    let open = find(rest, b"[")?;
    let close = find(rest, b"]")?;
    let inner = std::str::from_utf8(rest.get(open + 1..close)?).ok()?;
    let numbers: Vec<f32> = inner
        .split_ascii_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers[..] {
        [x0, y0, x1, y1] => Some((x1 - x0, y1 - y0)),
        _ => None,
    }
}

/// Collects the rectangles filled in black by a content stream: `re` and four-point `m`/`l`
/// subpaths, filled by `f`, `f*` or `F` while the fill colour is black (`0 0 0 rg`, `0 g`).
fn dark_rects(content: &[u8], rects: &mut Vec<(f32, f32, f32, f32)>) -> Result<(), PdfReadError> {
    let mut operands: Vec<f32> = Vec::new();
    let mut black = false;
    let mut path: Vec<(f32, f32, f32, f32)> = Vec::new();
    let mut points: Vec<(f32, f32)> = Vec::new();
    let close = |points: &mut Vec<(f32, f32)>, path: &mut Vec<(f32, f32, f32, f32)>| {
        if let [a, b, c, d] = points[..] {
            let xs = [a.0, b.0, c.0, d.0];
            let ys = [a.1, b.1, c.1, d.1];
            let min = |v: [f32; 4]| v.into_iter().fold(f32::MAX, f32::min);
            let max = |v: [f32; 4]| v.into_iter().fold(f32::MIN, f32::max);
            // Axis-aligned: every corner sits on the bounding box's sides.
            let aligned = xs.iter().all(|x| *x == min(xs) || *x == max(xs))
                && ys.iter().all(|y| *y == min(ys) || *y == max(ys));
            if aligned {
                path.push((min(xs), min(ys), max(xs), max(ys)));
            }
        }
        points.clear();
    };
    let mut i = 0;
    while i < content.len() {
        let c = content[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        // Strings, hex strings, arrays and names are skipped: only numbers and operators matter.
        match c {
            b'(' => {
                let mut depth = 0usize;
                while i < content.len() {
                    match content[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
                operands.clear();
                continue;
            }
            b'<' | b'>' | b'[' | b']' | b'/' | b'{' | b'}' => {
                i += 1;
                while i < content.len()
                    && !content[i].is_ascii_whitespace()
                    && !b"()<>[]/{}".contains(&content[i])
                {
                    i += 1;
                }
                operands.clear();
                continue;
            }
            _ => {}
        }
        let start = i;
        while i < content.len()
            && !content[i].is_ascii_whitespace()
            && !b"()<>[]/{}".contains(&content[i])
        {
            i += 1;
        }
        if i == start {
            // A stray closing delimiter (`)`): skip it, so every step moves on.
            i += 1;
            operands.clear();
            continue;
        }
        let token = &content[start..i];
        if let Some(number) = std::str::from_utf8(token)
            .ok()
            .and_then(|t| t.parse::<f32>().ok())
        {
            if operands.len() < 16 {
                operands.push(number);
            }
            continue;
        }
        match token {
            b"rg" => black = matches!(operands[..], [r, g, b] if r.max(g).max(b) <= 0.05),
            b"g" => black = matches!(operands[..], [v] if v <= 0.05),
            b"k" => black = matches!(operands[..], [_, _, _, k] if k >= 0.95),
            b"m" => {
                close(&mut points, &mut path);
                if let [x, y] = operands[..] {
                    points.push((x, y));
                }
            }
            b"l" => {
                if let [x, y] = operands[..] {
                    points.push((x, y));
                }
            }
            b"re" => {
                close(&mut points, &mut path);
                if let [x, y, w, h] = operands[..] {
                    path.push((x.min(x + w), y.min(y + h), x.max(x + w), y.max(y + h)));
                }
            }
            b"h" => close(&mut points, &mut path),
            b"f" | b"F" | b"f*" => {
                close(&mut points, &mut path);
                if black {
                    rects.append(&mut path);
                    if rects.len() > MAX_RECTS {
                        return Err(PdfReadError::TooLarge);
                    }
                }
                path.clear();
            }
            b"n" | b"S" | b"s" | b"B" | b"B*" | b"b" | b"b*" => {
                points.clear();
                path.clear();
            }
            _ => {}
        }
        operands.clear();
    }
    Ok(())
}

/// The number after `key` in a dictionary, when it is a direct one (not `N 0 R`).
fn direct_number(dict: &[u8], key: &[u8]) -> Option<usize> {
    let at = find(dict, key)? + key.len();
    let rest = std::str::from_utf8(&dict[at..]).ok()?;
    let mut words = rest
        .split(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .filter(|w| !w.is_empty());
    let number = words.next()?.parse().ok()?;
    match (words.next(), words.next()) {
        (Some(_), Some("R")) => None,
        _ => Some(number),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn black_runs_are_collected_and_other_colours_and_text_are_not() {
        let content =
            b"1 1 1 rg\n0 0 100 100 re\nf\n0 0 0 rg\n10 20 m\n30 20 l\n30 10 l\n10 10 l\n\
            50 50 5 5 re\nf\nBT (a \\) 7 7 1 1 re f) Tj ET\n0.5 g\n1 1 2 2 re\nf\n";
        let mut rects = Vec::new();
        dark_rects(content, &mut rects).expect("reads");
        assert_eq!(
            rects,
            vec![(10.0, 10.0, 30.0, 20.0), (50.0, 50.0, 55.0, 55.0)]
        );
    }

    #[test]
    fn stray_delimiters_and_unclosed_strings_end_the_reading_instead_of_stalling_it() {
        let hostile: [&[u8]; 3] = [
            b") ) ] > 0 0 0 rg 1 1 2 2 re f",
            b"(never closed 1 1 2 2 re f",
            b"<<>>[(x)]",
        ];
        for content in hostile {
            let mut rects = Vec::new();
            dark_rects(content, &mut rects).expect("reads");
        }
        let mut rects = Vec::new();
        dark_rects(b") 0 0 0 rg 1 1 2 2 re f", &mut rects).expect("reads");
        assert_eq!(rects, vec![(1.0, 1.0, 3.0, 3.0)]);
    }

    #[test]
    fn a_file_that_is_no_pdf_or_draws_nothing_is_refused() {
        assert_eq!(paint_codes(b"\x89PNG\r\n"), Err(PdfReadError::NotPdf));
        assert_eq!(
            paint_codes(b"%PDF-1.7\n1 0 obj\n<</Length 3>>\nstream\nabc\nendstream\n"),
            Err(PdfReadError::NotOurs)
        );
    }
}
