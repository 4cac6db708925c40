//! The PDF file itself, written by hand: one page, its content stream, the QR code as a one-bit
//! image, each font part as a Type 0 font with Identity-H encoding over a subset CID font, the
//! document information and a cross-reference table. The bytes depend only on what was drawn,
//! the information given and the token (the file identifier is a hash of it).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::canvas::{Mark, PAGE_HEIGHT, Rgb8};
use super::embed::{EmbedError, Embedded, deflate};
use super::font::{FontKey, Part, Source};
use super::qr::Bitmap;

const PT_PER_MM: f32 = 72.0 / 25.4;
/// A4 (210 × 297 mm) in points, to the thousandth as viewers name the size.
const A4_WIDTH_PT: &str = "595.276";
const A4_HEIGHT_PT: &str = "841.89";

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
    marks: &[Mark],
    image: &Bitmap,
    info: &Info,
    token: &str,
) -> Result<Vec<u8>, EmbedError> {
    let own = own_fonts(marks)?;
    let fonts = used_fonts(marks, &own)?;
    let names: BTreeMap<FontKey, usize> = fonts.keys().enumerate().map(|(i, &k)| (k, i)).collect();
    let content = content(marks, &fonts, &names);

    let mut w = Writer {
        out: Vec::with_capacity(32 * 1024),
        offsets: Vec::new(),
    };
    w.out.extend_from_slice(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
    // Objects 1-6 are fixed; each font takes five objects from 7 on.
    let font_refs: String = names
        .values()
        .map(|&i| format!("/F{i} {} 0 R ", 7 + 5 * i))
        .collect();
    w.object(1, b"<< /Type /Catalog /Pages 2 0 R >>");
    w.object(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    let page = format!(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] /Resources << /Font << {font_refs}>> \
         /XObject << /Q 6 0 R >> >> /Contents 4 0 R >>",
        A4_WIDTH_PT, A4_HEIGHT_PT,
    );
    w.object(3, page.as_bytes());
    w.stream(4, "", &deflate(content.as_bytes()));
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
    for (key, &i) in &names {
        let font = fonts[key];
        w.font(7 + 5 * i, font);
    }
    Ok(w.finish(token))
}

impl Writer {
    fn start(&mut self, id: usize) {
        // Objects are written in order, so the table's index is the id less one.
        debug_assert_eq!(self.offsets.len() + 1, id);
        self.offsets.push(self.out.len());
        self.out
            .extend_from_slice(format!("{id} 0 obj\n").as_bytes());
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
fn own_fonts(marks: &[Mark]) -> Result<BTreeMap<Source, Embedded>, EmbedError> {
    let mut own: BTreeMap<Source, BTreeMap<u16, char>> = BTreeMap::new();
    for mark in marks {
        if let Mark::Text { runs, .. } = mark {
            for run in runs.iter().filter(|r| r.font.part == Part::Own) {
                own.entry(run.font.source)
                    .or_default()
                    .extend(run.glyphs.iter().copied());
            }
        }
    }
    own.into_iter()
        .map(|(source, glyphs)| Ok((source, Embedded::new(source, &glyphs)?)))
        .collect()
}

/// Every font part the marks use: the shared parts as built once per process, and `own`.
fn used_fonts<'a>(
    marks: &[Mark],
    own: &'a BTreeMap<Source, Embedded>,
) -> Result<BTreeMap<FontKey, &'a Embedded>, EmbedError> {
    let mut fonts = BTreeMap::new();
    for mark in marks {
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

/// The content stream.
fn content(
    marks: &[Mark],
    fonts: &BTreeMap<FontKey, &Embedded>,
    names: &BTreeMap<FontKey, usize>,
) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let mut colour: Option<Rgb8> = None;
    let mut set_colour = |out: &mut String, c: Rgb8| {
        if colour != Some(c) {
            let Rgb8(r, g, b) = c;
            let _ = writeln!(
                out,
                "{} {} {} rg",
                num(f32::from(r) / 255.0),
                num(f32::from(g) / 255.0),
                num(f32::from(b) / 255.0)
            );
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
                let _ = writeln!(
                    out,
                    "{} {} {} {} re f",
                    num(x * PT_PER_MM),
                    num((PAGE_HEIGHT - y - height) * PT_PER_MM),
                    num(width * PT_PER_MM),
                    num(height * PT_PER_MM)
                );
            }
            Mark::Text {
                colour: c,
                size,
                x,
                y,
                runs,
            } => {
                set_colour(&mut out, *c);
                let _ = write!(
                    out,
                    "BT {} {} Td",
                    num(x * PT_PER_MM),
                    num((PAGE_HEIGHT - y) * PT_PER_MM)
                );
                for run in runs {
                    let (Some(font), Some(name)) = (fonts.get(&run.font), names.get(&run.font))
                    else {
                        continue;
                    };
                    let _ = write!(out, " /F{name} {} Tf <", num(*size));
                    for &(gid, _) in &run.glyphs {
                        let _ = write!(out, "{:04X}", font.cid(gid));
                    }
                    out.push_str("> Tj");
                }
                out.push_str(" ET\n");
            }
            Mark::Image { x, y, side } => {
                let s = num(side * PT_PER_MM);
                let _ = writeln!(
                    out,
                    "q {s} 0 0 {s} {} {} cm /Q Do Q",
                    num(x * PT_PER_MM),
                    num((PAGE_HEIGHT - y - side) * PT_PER_MM)
                );
            }
        }
    }
    out
}

/// A number as PDF writes it: at most two decimals (a hundredth of a point is 3.5 µm; the QR
/// code's 150-dpi grid is 0.48 pt, so its position and size are exact), no trailing zeros.
fn num(value: f32) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" || text.is_empty() {
        "0".to_owned()
    } else {
        text.to_owned()
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
