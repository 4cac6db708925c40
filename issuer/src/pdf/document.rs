//! The PDF file itself, written by hand: one page, its two content streams (the visa's data,
//! deflated per document, and the page's fixed text, deflated once per process for each layout
//! it takes), the QR code as a one-bit image, each font part as a Type 0 font with Identity-H encoding over a subset CID font, the
//! document information and a cross-reference table. The bytes depend only on what was drawn,
//! the information given and the token (the file identifier is a hash of it).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use sha2::{Digest, Sha256};

use super::canvas::{Mark, Marks, PAGE_HEIGHT, Rgb8};
use super::embed::{DEFLATE_LEVEL, EmbedError, Embedded, SHARED_LEVEL, deflate, deflate_at};
use super::font::{FontKey, Part, Source};
use super::qr::Bitmap;

const PT_PER_MM: f32 = 72.0 / 25.4;
/// A4 (210 × 297 mm) in points, to the thousandth as viewers name the size.
const A4_WIDTH_PT: &str = "595.276";
const A4_HEIGHT_PT: &str = "841.89";
/// How many layouts of the fixed layer are kept compressed. A layout follows from the QR code's
/// size and the table's row heights, so a few cover nearly every visa; past this many, a new
/// layout is compressed per document, as the whole page was before.
const FIXED_LAYOUTS: usize = 64;

/// The document information dictionary's texts (ASCII) and its date.
#[derive(Debug)]
pub(crate) struct Info {
    pub(crate) title: String,
    pub(crate) subject: &'static str,
    pub(crate) author: &'static str,
    pub(crate) creator: &'static str,
    /// `D:YYYYMMDDHHmmSSZ`.
    pub(crate) date: String,
}

/// A PDF being written: the bytes so far and where each object starts.
struct Writer {
    out: Vec<u8>,
    offsets: Vec<usize>,
}

/// Writes the document.
pub(crate) fn write(
    marks: &Marks,
    image: &Bitmap,
    info: &Info,
    token: &str,
) -> Result<Vec<u8>, EmbedError> {
    let layers = [&marks.data[..], &marks.fixed[..]];
    let own = own_fonts(&layers)?;
    let fonts = used_fonts(&layers, &own)?;
    let data = deflate(&content(&marks.data, &fonts));
    let fixed = deflate_fixed(&content(&marks.fixed, &fonts));

    let mut w = Writer {
        out: Vec::with_capacity(32 * 1024),
        offsets: Vec::new(),
    };
    w.out.extend_from_slice(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
    // Objects 1-7 are fixed; each font takes five objects from 8 on.
    let mut page = Vec::with_capacity(512);
    page.extend_from_slice(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ");
    page.extend_from_slice(A4_WIDTH_PT.as_bytes());
    page.push(b' ');
    page.extend_from_slice(A4_HEIGHT_PT.as_bytes());
    page.extend_from_slice(b"] /Resources << /Font << ");
    for (i, key) in fonts.keys().enumerate() {
        page.extend_from_slice(b"/F");
        int(&mut page, resource(*key));
        page.push(b' ');
        int(&mut page, (FIRST_FONT + 5 * i) as u64);
        page.extend_from_slice(b" 0 R ");
    }
    page.extend_from_slice(b">> /XObject << /Q 6 0 R >> >> /Contents [4 0 R 7 0 R] >>");
    w.object(1, b"<< /Type /Catalog /Pages 2 0 R >>");
    w.object(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    w.object(3, &page);
    w.stream(4, "", &data);
    w.object(5, info.dictionary().as_bytes());
    let side = image.side;
    w.stream(
        6,
        &format!(
            "/Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceGray \
             /BitsPerComponent 1 /Interpolate false"
        ),
        &deflate(&image.bits),
    );
    w.stream(7, "", &fixed);
    for (i, font) in fonts.values().enumerate() {
        w.font(FIRST_FONT + 5 * i, font);
    }
    Ok(w.finish(token))
}

/// The object number of the first font's first object.
const FIRST_FONT: usize = 8;

/// A font part's resource name's number: the same in every document (`/F2` is always the
/// shared part of DejaVu Sans Bold), so the fixed layer's bytes do not depend on which other
/// parts a document uses.
fn resource(key: FontKey) -> u64 {
    (key.source as u64) * 2 + key.part as u64
}

/// The fixed layer's streams seen, deflated, by their bytes.
type Layouts = HashMap<Vec<u8>, Arc<[u8]>>;

/// The fixed layer's stream deflated, from the process's store of the layouts seen (keyed by
/// the stream's bytes, so a layout never meets another's stream).
fn deflate_fixed(bytes: &[u8]) -> Arc<[u8]> {
    static STORE: OnceLock<Mutex<Layouts>> = OnceLock::new();
    let store = STORE.get_or_init(|| Mutex::new(HashMap::new()));
    // A poisoned lock only means another render panicked; the store itself is always whole.
    let lock = || {
        store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    if let Some(deflated) = lock().get(bytes) {
        return Arc::clone(deflated);
    }
    // Compressed once per layout, so at the highest level.
    let deflated: Arc<[u8]> = deflate_at(bytes, SHARED_LEVEL).into();
    let mut layouts = lock();
    if layouts.len() < FIXED_LAYOUTS {
        layouts.insert(bytes.to_vec(), Arc::clone(&deflated));
    }
    deflated
}

impl Writer {
    fn start(&mut self, id: usize) {
        // Objects are written in order, so the table's index is the id less one.
        debug_assert_eq!(self.offsets.len() + 1, id);
        self.offsets.push(self.out.len());
        int(&mut self.out, id as u64);
        self.out.extend_from_slice(b" 0 obj\n");
    }

    fn object(&mut self, id: usize, body: &[u8]) {
        self.start(id);
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    /// A deflated stream with extra dictionary entries.
    fn stream(&mut self, id: usize, entries: &str, deflated: &[u8]) {
        self.start(id);
        self.out.extend_from_slice(
            format!(
                "<< {entries} /Filter /FlateDecode /Length {} >>\nstream\n",
                deflated.len()
            )
            .as_bytes(),
        );
        self.out.extend_from_slice(deflated);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// A font part as five objects from `id`: Type 0 font, CID font, descriptor, program, CMap.
    fn font(&mut self, id: usize, font: &Embedded) {
        let name = &font.base_font;
        self.object(
            id,
            format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H \
                 /DescendantFonts [{} 0 R] /ToUnicode {} 0 R >>",
                id + 1,
                id + 4
            )
            .as_bytes(),
        );
        let (subtype, extra) = if font.cff {
            ("CIDFontType0", "")
        } else {
            ("CIDFontType2", " /CIDToGIDMap /Identity")
        };
        self.object(
            id + 1,
            format!(
                "<< /Type /Font /Subtype /{subtype} /BaseFont /{name} \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                 /FontDescriptor {} 0 R /DW 1000 /W {}{extra} >>",
                id + 2,
                font.widths
            )
            .as_bytes(),
        );
        let file = if font.cff { "FontFile3" } else { "FontFile2" };
        self.object(
            id + 2,
            format!(
                "<< /Type /FontDescriptor /FontName /{name} {} /{file} {} 0 R >>",
                font.descriptor,
                id + 3
            )
            .as_bytes(),
        );
        let entries = if font.cff { "/Subtype /OpenType" } else { "" };
        self.stream(id + 3, entries, &font.program);
        self.stream(id + 4, "", &font.to_unicode);
    }

    /// The cross-reference table and the trailer, with a file identifier from the token.
    fn finish(mut self, token: &str) -> Vec<u8> {
        let xref = self.out.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len() + 1);
        for offset in &self.offsets {
            let _ = writeln!(table, "{offset:010} 00000 n ");
        }
        let id = hex::encode(&Sha256::digest(token.as_bytes())[..16]);
        let _ = write!(
            table,
            "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len() + 1
        );
        self.out.extend_from_slice(table.as_bytes());
        self.out
    }
}

impl Info {
    fn dictionary(&self) -> String {
        format!(
            "<< /Title {} /Subject {} /Author {} /Creator {} /Producer {} /CreationDate ({}) /ModDate ({}) >>",
            literal(&self.title),
            literal(self.subject),
            literal(self.author),
            literal(self.creator),
            literal(self.creator),
            self.date,
            self.date
        )
    }
}

/// This document's own font parts, subset to the glyphs its data needs beyond the shared parts.
fn own_fonts(layers: &[&[Mark]]) -> Result<BTreeMap<Source, Embedded>, EmbedError> {
    let mut own: BTreeMap<Source, BTreeMap<u16, char>> = BTreeMap::new();
    for mark in layers.iter().copied().flatten() {
        if let Mark::Text { runs, .. } = mark {
            for run in runs.iter().filter(|r| r.font.part == Part::Own) {
                own.entry(run.font.source)
                    .or_default()
                    .extend(run.glyphs.iter().copied());
            }
        }
    }
    own.into_iter()
        .map(|(source, glyphs)| Ok((source, Embedded::new(source, &glyphs, DEFLATE_LEVEL)?)))
        .collect()
}

/// Every font part the marks use: the shared parts as built once per process, and `own`.
fn used_fonts<'a>(
    layers: &[&[Mark]],
    own: &'a BTreeMap<Source, Embedded>,
) -> Result<BTreeMap<FontKey, &'a Embedded>, EmbedError> {
    let mut fonts = BTreeMap::new();
    for mark in layers.iter().copied().flatten() {
        let Mark::Text { runs, .. } = mark else {
            continue;
        };
        for run in runs {
            if fonts.contains_key(&run.font) {
                continue;
            }
            let font = match run.font.part {
                Part::Shared => Embedded::shared(run.font.source)?,
                Part::Own => own.get(&run.font.source),
            };
            if let Some(font) = font {
                fonts.insert(run.font, font);
            }
        }
    }
    Ok(fonts)
}

/// A content stream; it sets its own colours, so the data's and the fixed layer's streams do not
/// depend on each other.
fn content(marks: &[Mark], fonts: &BTreeMap<FontKey, &Embedded>) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 * 1024);
    let mut colour: Option<Rgb8> = None;
    let mut set_colour = |out: &mut Vec<u8>, c: Rgb8| {
        if colour != Some(c) {
            let Rgb8(r, g, b) = c;
            for part in [r, g, b] {
                num(out, f32::from(part) / 255.0);
                out.push(b' ');
            }
            out.extend_from_slice(b"rg\n");
            colour = Some(c);
        }
    };
    for mark in marks {
        match mark {
            Mark::Rect {
                colour: c,
                x,
                y,
                width,
                height,
            } => {
                set_colour(&mut out, *c);
                nums(
                    &mut out,
                    &[
                        x * PT_PER_MM,
                        (PAGE_HEIGHT - y - height) * PT_PER_MM,
                        width * PT_PER_MM,
                        height * PT_PER_MM,
                    ],
                );
                out.extend_from_slice(b"re f\n");
            }
            Mark::Text {
                colour: c,
                size,
                x,
                y,
                runs,
            } => {
                set_colour(&mut out, *c);
                out.extend_from_slice(b"BT ");
                nums(&mut out, &[x * PT_PER_MM, (PAGE_HEIGHT - y) * PT_PER_MM]);
                out.extend_from_slice(b"Td");
                for run in runs {
                    let Some(font) = fonts.get(&run.font) else {
                        continue;
                    };
                    out.extend_from_slice(b" /F");
                    int(&mut out, resource(run.font));
                    out.push(b' ');
                    num(&mut out, *size);
                    out.extend_from_slice(b" Tf <");
                    for &(gid, _) in &run.glyphs {
                        hex4(&mut out, font.cid(gid));
                    }
                    out.extend_from_slice(b"> Tj");
                }
                out.extend_from_slice(b" ET\n");
            }
            Mark::Image { x, y, side } => {
                let s = side * PT_PER_MM;
                out.extend_from_slice(b"q ");
                nums(
                    &mut out,
                    &[
                        s,
                        0.0,
                        0.0,
                        s,
                        x * PT_PER_MM,
                        (PAGE_HEIGHT - y - side) * PT_PER_MM,
                    ],
                );
                out.extend_from_slice(b"cm /Q Do Q\n");
            }
        }
    }
    out
}

/// Numbers each followed by a space.
fn nums(out: &mut Vec<u8>, values: &[f32]) {
    for &value in values {
        num(out, value);
        out.push(b' ');
    }
}

/// A number as PDF writes it: at most two decimals (a hundredth of a point is 3.5 µm; the QR
/// code's 150-dpi grid is 0.48 pt, so its position and size are exact), no trailing zeros, and
/// rounded as `format!("{value:.2}")` rounds (the exact binary value, a tie to even) but without
/// its machinery, which took a tenth of the rendering.
fn num(out: &mut Vec<u8>, value: f32) {
    // An f32 has 24 significant bits and 100 needs 7, so the product is exact in an f64.
    let hundredths = (f64::from(value) * 100.0).round_ties_even();
    // Page coordinates are far inside i64 (a value out of range would saturate).
    let hundredths = hundredths as i64;
    if hundredths < 0 {
        out.push(b'-');
    }
    let magnitude = hundredths.unsigned_abs();
    int(out, magnitude / 100);
    let fraction = magnitude % 100;
    if fraction != 0 {
        out.push(b'.');
        // Both digits are below 10.
        out.push(b'0' + (fraction / 10) as u8);
        if !fraction.is_multiple_of(10) {
            out.push(b'0' + (fraction % 10) as u8);
        }
    }
}

/// A whole number in decimal.
fn int(out: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0_u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        // A remainder below 10.
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

/// Four upper-case hexadecimal digits.
fn hex4(out: &mut Vec<u8>, value: u16) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for shift in [12, 8, 4, 0] {
        out.push(DIGITS[usize::from((value >> shift) & 0xf)]);
    }
}

/// An ASCII literal string with `(`, `)` and `\` escaped; other characters become `?`.
fn literal(text: &str) -> String {
    let mut out = String::from("(");
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => out.push('?'),
        }
    }
    out.push(')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers as `format!` wrote them before: two decimals, trailing zeros and a lone
    /// minus sign of zero dropped.
    fn formatted(value: f32) -> String {
        let text = format!("{value:.2}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        if text == "-0" || text.is_empty() {
            "0".to_owned()
        } else {
            text.to_owned()
        }
    }

    #[test]
    fn numbers_are_written_as_format_rounds_them_ties_and_negative_zero_included() {
        let mut values = vec![
            0.0, -0.0, 0.125, 0.375, -0.125, 0.005, 0.015, 0.025, -0.004, 1.005, 841.89, 595.276,
            100.0, 0.1, 0.5, -12.5,
        ];
        // Every page coordinate and size in steps of a thousandth of a point, and the colours.
        values.extend((-2_000..900_000).map(|i| i as f32 / 1000.0));
        values.extend((0..=255_u8).map(|c| f32::from(c) / 255.0));
        values.extend((0..10_000).map(|i| (i as f32).mul_add(0.0371, -3.0) * PT_PER_MM));
        for value in values {
            let mut out = Vec::new();
            num(&mut out, value);
            assert_eq!(
                String::from_utf8(out).as_deref(),
                Ok(&*formatted(value)),
                "{value}"
            );
        }
    }

    #[test]
    fn whole_numbers_and_glyph_codes_are_written_in_full() {
        let mut out = Vec::new();
        for n in [0, 7, 10, 12345, u64::MAX] {
            int(&mut out, n);
            out.push(b' ');
        }
        hex4(&mut out, 0x0a3f);
        assert_eq!(out, format!("0 7 10 12345 {} 0A3F", u64::MAX).into_bytes());
    }
}
