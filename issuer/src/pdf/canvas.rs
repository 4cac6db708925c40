//! A small drawing surface: millimetres measured from the top-left corner of an A4 page, text
//! measured with the embedded fonts' advance widths, so the page layout can centre, right-align,
//! shrink to fit and wrap without a layout engine. What is drawn is kept as two lists of marks:
//! the page's fixed text (labels, headings, notes: the same on every printout laid out alike,
//! compressed once per process) and the rest (the visa's data); the document writer turns each
//! into a content stream once it knows each font's subset.

use super::font::{self, Face, FontError, Run};

/// A4 width in millimetres.
pub(crate) const PAGE_WIDTH: f32 = 210.0;
/// A4 height in millimetres.
pub(crate) const PAGE_HEIGHT: f32 = 297.0;

/// A colour as 8-bit RGB, the way designers write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rgb8(pub(crate) u8, pub(crate) u8, pub(crate) u8);

/// One thing drawn on the page, in millimetres from the top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Mark {
    /// A filled rectangle; `y` is its top edge.
    Rect {
        colour: Rgb8,
        x: f32,
        y: f32,
        width: f32,
        height: f32,
    },
    /// Text with its baseline's left end at (`x`, `y`), as runs of glyphs per font.
    Text {
        colour: Rgb8,
        size: f32,
        x: f32,
        y: f32,
        runs: Vec<Run>,
    },
    /// The page's one image (the QR code), scaled to `side` millimetres square; `y` its top.
    Image { x: f32, y: f32, side: f32 },
}

/// The page being drawn.
#[derive(Debug, Default)]
pub(crate) struct Canvas {
    marks: Vec<Mark>,
    /// The other list: the fixed marks while the data is drawn, and the reverse.
    other: Vec<Mark>,
    /// Whether `marks` is the fixed list now.
    in_fixed: bool,
    error: Option<FontError>,
}

/// What a page drew, in two layers: the data's marks, then the fixed marks drawn over them (the
/// two never overlap).
#[derive(Debug, Default)]
pub(crate) struct Marks {
    /// What depends on the visa: its data, the QR code, the rules whose length follows it.
    pub(crate) data: Vec<Mark>,
    /// What every printout draws alike, given the same layout.
    pub(crate) fixed: Vec<Mark>,
}

/// Measures text in the page's faces (with the fonts each falls back on).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fonts;

impl Fonts {
    /// Whether the faces have a glyph for every character of `text`.
    pub(crate) fn covers(self, face: Face, text: &str) -> bool {
        font::covers(face, text)
    }

    /// The advance width of `text` in millimetres at `size` points.
    pub(crate) fn width(self, face: Face, size: f32, text: &str) -> f32 {
        font::width(face, size, text)
    }

    /// The largest size from `size` down to `min` (in steps of a quarter point) at which `text`
    /// fits in `max_width` millimetres; `min` if none does.
    pub(crate) fn fit(self, face: Face, size: f32, min: f32, max_width: f32, text: &str) -> f32 {
        // Widths grow in proportion to the size: measure once, at one point.
        let per_point = self.width(face, 1.0, text);
        let mut s = size;
        while s > min && per_point * s > max_width {
            s -= 0.25;
        }
        s.max(min)
    }

    /// Breaks `text` into lines no wider than `max_width` at `size`, at spaces; a single word
    /// wider than the line stands on its own line.
    pub(crate) fn wrap(self, face: Face, size: f32, max_width: f32, text: &str) -> Vec<String> {
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

    /// Like [`Fonts::wrap`], but a word wider than the line is broken between its characters
    /// (names in Chinese, Japanese or Korean have no spaces to break at).
    pub(crate) fn wrap_anywhere(
        self,
        face: Face,
        size: f32,
        max_width: f32,
        text: &str,
    ) -> Vec<String> {
        let mut lines = Vec::new();
        for line in self.wrap(face, size, max_width, text) {
            if self.width(face, size, &line) <= max_width {
                lines.push(line);
                continue;
            }
            let mut piece = String::new();
            for c in line.chars() {
                piece.push(c);
                if self.width(face, size, &piece) > max_width && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece).trim_end().to_owned());
                    if c != ' ' {
                        piece.push(c);
                    }
                }
            }
            if !piece.is_empty() {
                lines.push(piece);
            }
        }
        lines
    }
}

impl Canvas {
    /// An empty page.
    pub(crate) fn new() -> Self {
        Self {
            marks: Vec::with_capacity(128),
            other: Vec::with_capacity(160),
            in_fixed: false,
            error: None,
        }
    }

    /// Draws what `draw` draws into the fixed layer: text and shapes that are the same on every
    /// printout, whose compressed stream is kept once per process.
    pub(crate) fn fixed(&mut self, draw: impl FnOnce(&mut Canvas)) {
        let was = self.in_fixed;
        if !was {
            std::mem::swap(&mut self.marks, &mut self.other);
            self.in_fixed = true;
        }
        draw(self);
        if !was {
            std::mem::swap(&mut self.marks, &mut self.other);
            self.in_fixed = false;
        }
    }

    /// The fonts, for measuring.
    pub(crate) fn fonts(&self) -> Fonts {
        Fonts
    }

    /// The marks drawn so far, or the first font that failed to load.
    pub(crate) fn into_marks(self) -> Result<Marks, FontError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let (data, fixed) = if self.in_fixed {
            (self.other, self.marks)
        } else {
            (self.marks, self.other)
        };
        Ok(Marks { data, fixed })
    }

    /// Text with its baseline's left end at (`x`, `y`) millimetres from the top-left corner.
    pub(crate) fn text(&mut self, face: Face, size: f32, colour: Rgb8, x: f32, y: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        match font::runs(face, text) {
            Ok(runs) => self.marks.push(Mark::Text {
                colour,
                size,
                x,
                y,
                runs,
            }),
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
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
        let width = font::width(face, size, text);
        self.text(face, size, colour, x - width / 2.0, y, text);
    }

    /// A filled rectangle; `y` is its top edge.
    pub(crate) fn fill_rect(&mut self, colour: Rgb8, x: f32, y: f32, width: f32, height: f32) {
        self.marks.push(Mark::Rect {
            colour,
            x,
            y,
            width,
            height,
        });
    }

    /// A horizontal rule from `x1` to `x2` at `y`, drawn as a thin filled rectangle so that its
    /// thickness does not depend on the viewer's line-width rounding.
    pub(crate) fn hrule(&mut self, colour: Rgb8, thickness_mm: f32, x1: f32, x2: f32, y: f32) {
        self.fill_rect(colour, x1, y - thickness_mm / 2.0, x2 - x1, thickness_mm);
    }

    /// The page's image, `side` millimetres square with its top-left corner at (`x`, `y`).
    pub(crate) fn image(&mut self, x: f32, y: f32, side: f32) {
        self.marks.push(Mark::Image { x, y, side });
    }
}
