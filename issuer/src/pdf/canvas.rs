//! A small drawing surface over printpdf's operations: millimetres measured from the top-left
//! corner of an A4 page, text measured with the embedded fonts' advance widths, so the page
//! layout can centre, right-align, shrink to fit and wrap without a layout engine.

use printpdf::{
    Color, FontId, LinePoint, Op, PaintMode, ParsedFont, PdfFontHandle, Point, Polygon,
    PolygonRing, Pt, Rect, Rgb, TextItem, TextMatrix, WindingOrder,
};

/// A4 width in millimetres.
pub(crate) const PAGE_WIDTH: f32 = 210.0;
/// A4 height in millimetres.
pub(crate) const PAGE_HEIGHT: f32 = 297.0;

const PT_PER_MM: f32 = 72.0 / 25.4;

/// The three faces the printout uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    /// DejaVu Sans.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
    /// OCR-B, for the machine-readable zone.
    Ocr,
}

/// The parsed fonts and the ids they are registered under in the document.
#[derive(Debug)]
pub(crate) struct Fonts {
    pub(crate) regular: ParsedFont,
    pub(crate) bold: ParsedFont,
    pub(crate) ocr: ParsedFont,
}

/// A colour as 8-bit RGB, the way designers write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rgb8(pub(crate) u8, pub(crate) u8, pub(crate) u8);

/// The page being drawn: its operations and the fonts that measure its text.
#[derive(Debug)]
pub(crate) struct Canvas<'a> {
    fonts: &'a Fonts,
    ops: Vec<Op>,
}

impl Face {
    /// The id the face's font is registered under, which is also its `/BaseFont` name.
    pub(crate) fn id(self) -> FontId {
        FontId(
            match self {
                Face::Regular => "DejaVuSans",
                Face::Bold => "DejaVuSans-Bold",
                Face::Ocr => "OCRB",
            }
            .to_owned(),
        )
    }
}

impl Fonts {
    fn get(&self, face: Face) -> &ParsedFont {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
            Face::Ocr => &self.ocr,
        }
    }

    /// Whether the face has a glyph for every character of `text`.
    pub(crate) fn covers(&self, face: Face, text: &str) -> bool {
        let font = self.get(face);
        text.chars()
            .all(|c| font.lookup_glyph_index(u32::from(c)).is_some())
    }

    /// The advance width of `text` in millimetres at `size` points.
    pub(crate) fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let font = self.get(face);
        let units: u32 = text
            .chars()
            .map(|c| {
                let gid = font.lookup_glyph_index(u32::from(c)).unwrap_or(0);
                u32::from(font.get_glyph_width(gid).unwrap_or(0))
            })
            .sum();
        // Font units per em are at most 16384, so the conversion to f32 is exact.
        let em = f32::from(font.units_per_em.max(1));
        units as f32 / em * size / PT_PER_MM
    }

    /// The largest size from `size` down to `min` (in steps of a quarter point) at which `text`
    /// fits in `max_width` millimetres; `min` if none does.
    pub(crate) fn fit(&self, face: Face, size: f32, min: f32, max_width: f32, text: &str) -> f32 {
        let mut s = size;
        while s > min && self.width(face, s, text) > max_width {
            s -= 0.25;
        }
        s.max(min)
    }

    /// Breaks `text` into lines no wider than `max_width` at `size`, at spaces; a single word
    /// wider than the line stands on its own line.
    pub(crate) fn wrap(&self, face: Face, size: f32, max_width: f32, text: &str) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && self.width(face, size, &candidate) > max_width {
                lines.push(std::mem::replace(&mut line, word.to_owned()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

impl<'a> Canvas<'a> {
    /// An empty page.
    pub(crate) fn new(fonts: &'a Fonts) -> Self {
        Self {
            fonts,
            ops: Vec::with_capacity(512),
        }
    }

    /// The fonts, for measuring.
    pub(crate) fn fonts(&self) -> &'a Fonts {
        self.fonts
    }

    /// The operations drawn so far.
    pub(crate) fn into_ops(self) -> Vec<Op> {
        self.ops
    }

    /// Text with its baseline's left end at (`x`, `y`) millimetres from the top-left corner.
    pub(crate) fn text(&mut self, face: Face, size: f32, colour: Rgb8, x: f32, y: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: colour.into() },
            Op::SetFont {
                font: PdfFontHandle::External(face.id()),
                size: Pt(size),
            },
            Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(x * PT_PER_MM), Pt((PAGE_HEIGHT - y) * PT_PER_MM)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    /// Text centred on `x`.
    pub(crate) fn text_centred(
        &mut self,
        face: Face,
        size: f32,
        colour: Rgb8,
        x: f32,
        y: f32,
        text: &str,
    ) {
        let width = self.fonts.width(face, size, text);
        self.text(face, size, colour, x - width / 2.0, y, text);
    }

    /// A filled rectangle; `y` is its top edge.
    pub(crate) fn fill_rect(&mut self, colour: Rgb8, x: f32, y: f32, width: f32, height: f32) {
        self.ops.push(Op::SetFillColor { col: colour.into() });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x * PT_PER_MM),
                y: Pt((PAGE_HEIGHT - y - height) * PT_PER_MM),
                width: Pt(width * PT_PER_MM),
                height: Pt(height * PT_PER_MM),
                mode: Some(PaintMode::Fill),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }

    /// A horizontal rule from `x1` to `x2` at `y`, drawn as a thin filled rectangle so that its
    /// thickness does not depend on the viewer's line-width rounding.
    pub(crate) fn hrule(&mut self, colour: Rgb8, thickness_mm: f32, x1: f32, x2: f32, y: f32) {
        self.fill_rect(colour, x1, y - thickness_mm / 2.0, x2 - x1, thickness_mm);
    }

    /// Many axis-aligned rectangles `(x, y, width, height)` in millimetres (top edges), filled
    /// as one path: the QR code's runs of dark modules.
    pub(crate) fn fill_rects(&mut self, colour: Rgb8, rects: &[(f32, f32, f32, f32)]) {
        let rings = rects
            .iter()
            .map(|&(x, y, w, h)| {
                let corner = |cx: f32, cy: f32| LinePoint {
                    p: Point {
                        x: Pt(cx * PT_PER_MM),
                        y: Pt((PAGE_HEIGHT - cy) * PT_PER_MM),
                    },
                    bezier: false,
                };
                PolygonRing {
                    points: vec![
                        corner(x, y),
                        corner(x + w, y),
                        corner(x + w, y + h),
                        corner(x, y + h),
                    ],
                }
            })
            .collect();
        self.ops.push(Op::SetFillColor { col: colour.into() });
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings,
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
    }
}

impl From<Rgb8> for Color {
    fn from(Rgb8(r, g, b): Rgb8) -> Self {
        Color::Rgb(Rgb {
            r: f32::from(r) / 255.0,
            g: f32::from(g) / 255.0,
            b: f32::from(b) / 255.0,
            icc_profile: None,
        })
    }
}
