//! The fonts shipped in `issuer/fonts/`, parsed once per process, and how a text is set in them:
//! each character goes to the first font of its face's chain that has a glyph for it (DejaVu
//! Sans for Latin, Greek, Cyrillic, Armenian and Georgian; Droid Sans Fallback for Chinese and
//! Japanese; Evisa Hangul for Korean), and within a font either to the part shared by every
//! printout (the glyphs of the page's fixed text, subset and compressed once per process) or to
//! the part made for this document (the glyphs only its data needs).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use ttf_parser::Face as Parsed;
use ttf_parser::cmap::Format;

/// The font files, in the order their PDF resources are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Source {
    /// DejaVu Sans: Latin, Greek, Cyrillic, Armenian, Georgian.
    Regular,
    /// DejaVu Sans Bold, the same scripts.
    Bold,
    /// OCR-B, the characters of a machine-readable zone.
    Ocr,
    /// Droid Sans Fallback: CJK Unified Ideographs, Hiragana, Katakana.
    Cjk,
    /// Evisa Hangul (a subset of NanumGothic): Hangul syllables.
    Hangul,
}

/// The three faces the page is drawn in; each has a chain of fonts to fall back on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    /// Regular text.
    Regular,
    /// Bold text.
    Bold,
    /// The machine-readable zone.
    Ocr,
}

/// Which part of a font a glyph is embedded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Part {
    /// The glyphs of the page's fixed text, the same in every printout.
    Shared,
    /// The glyphs this document's data needs beyond those.
    Own,
}

/// One embedded font of a document: a font file and a part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct FontKey {
    pub(crate) source: Source,
    pub(crate) part: Part,
}

/// A piece of text set in one embedded font: the original glyph ids and the characters they show.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub(crate) font: FontKey,
    pub(crate) glyphs: Vec<(u16, char)>,
}

/// A parsed font file.
pub(crate) struct Loaded {
    pub(crate) data: &'static [u8],
    pub(crate) face: Parsed<'static>,
    /// The `/BaseFont` name (without a subset tag).
    pub(crate) name: &'static str,
    /// Whether the outlines are CFF (embedded as `FontFile3`) rather than `glyf`.
    pub(crate) cff: bool,
    units_per_em: f32,
    /// The Unicode character map, chosen once (the face would search its subtables each time).
    cmap: Option<ttf_parser::cmap::Subtable<'static>>,
}

/// Why a font could not be loaded: a build defect, not bad input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the embedded font {0} cannot be read")]
pub struct FontError(pub &'static str);

const PT_PER_MM: f32 = 72.0 / 25.4;

impl Source {
    /// Every font file.
    #[cfg(test)]
    pub(crate) const ALL: [Source; 5] = [
        Source::Regular,
        Source::Bold,
        Source::Ocr,
        Source::Cjk,
        Source::Hangul,
    ];

    fn file(self) -> (&'static [u8], &'static str) {
        match self {
            Source::Regular => (include_bytes!("../../fonts/DejaVuSans.ttf"), "DejaVuSans"),
            Source::Bold => (
                include_bytes!("../../fonts/DejaVuSans-Bold.ttf"),
                "DejaVuSans-Bold",
            ),
            Source::Ocr => (include_bytes!("../../fonts/OCRB.otf"), "OCRB"),
            Source::Cjk => (
                include_bytes!("../../fonts/DroidSansFallback-CJK.ttf"),
                "DroidSansFallback",
            ),
            Source::Hangul => (
                include_bytes!("../../fonts/EvisaHangul.ttf"),
                "EvisaHangul-Regular",
            ),
        }
    }

    /// The font file, parsed on first use.
    pub(crate) fn loaded(self) -> Result<&'static Loaded, FontError> {
        static LOADED: [OnceLock<Option<Loaded>>; 5] = [const { OnceLock::new() }; 5];
        let (data, name) = self.file();
        LOADED[self as usize]
            .get_or_init(|| {
                let face = Parsed::parse(data, 0).ok()?;
                let cmap = face.tables().cmap.and_then(|cmap| {
                    let unicode = || cmap.subtables.into_iter().filter(|s| s.is_unicode());
                    unicode()
                        .find(|s| matches!(s.format, Format::SegmentedCoverage(_)))
                        .or_else(|| {
                            unicode().find(|s| {
                                matches!(s.format, Format::SegmentMappingToDeltaValues(_))
                            })
                        })
                });
                Some(Loaded {
                    cmap,
                    data,
                    cff: face.tables().cff.is_some(),
                    units_per_em: f32::from(face.units_per_em()),
                    face,
                    name,
                })
            })
            .as_ref()
            .ok_or(FontError(name))
    }
}

impl Face {
    /// The fonts tried for a character, in order.
    fn chain(self) -> &'static [Source] {
        match self {
            Face::Regular => &[Source::Regular, Source::Cjk, Source::Hangul],
            Face::Bold => &[Source::Bold, Source::Regular, Source::Cjk, Source::Hangul],
            Face::Ocr => &[Source::Ocr, Source::Regular],
        }
    }
}

impl Loaded {
    /// The glyph for `c`, if the font has one.
    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        self.cmap
            .as_ref()
            .and_then(|cmap| cmap.glyph_index(u32::from(c)))
            .map(|g| g.0)
            .filter(|&g| g != 0)
    }

    /// A glyph's advance in thousandths of an em, as PDF widths are given.
    pub(crate) fn advance_1000(&self, gid: u16) -> f32 {
        let units = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .unwrap_or(0);
        f32::from(units) * 1000.0 / self.units_per_em
    }

    /// A font-unit measure in thousandths of an em.
    pub(crate) fn scale(&self, units: i16) -> f32 {
        f32::from(units) * 1000.0 / self.units_per_em
    }
}

/// Sets `text` in `face`: one run per change of embedded font. A character no font of the chain
/// has is set as the first font's missing glyph (the domain refuses names the printout cannot
/// show, so only free text such as an inviting party's name can meet this, and that is filtered).
pub(crate) fn runs(face: Face, text: &str) -> Result<Vec<Run>, FontError> {
    let mut runs: Vec<Run> = Vec::new();
    for c in text.chars() {
        let Placed {
            source,
            gid,
            shared,
            ..
        } = placed(face, c)?;
        let part = if shared { Part::Shared } else { Part::Own };
        let font = FontKey { source, part };
        match runs.last_mut() {
            Some(run) if run.font == font => run.glyphs.push((gid, c)),
            _ => runs.push(Run {
                font,
                glyphs: vec![(gid, c)],
            }),
        }
    }
    Ok(runs)
}

/// Whether some font of `face`'s chain has a glyph for every character of `text` (spaces count
/// as covered).
pub(crate) fn covers(face: Face, text: &str) -> bool {
    text.chars().all(|c| {
        face.chain()
            .iter()
            .any(|s| s.loaded().is_ok_and(|l| l.glyph(c).is_some()))
    })
}

/// The advance width of `text` in millimetres at `size` points.
pub(crate) fn width(face: Face, size: f32, text: &str) -> f32 {
    let thousandths: f32 = text
        .chars()
        .map(|c| placed(face, c).map_or(0.0, |p| p.advance))
        .sum();
    thousandths / 1000.0 * size / PT_PER_MM
}

/// A character as a face sets it.
#[derive(Debug, Clone, Copy)]
struct Placed {
    source: Source,
    gid: u16,
    /// The advance in thousandths of an em.
    advance: f32,
    /// Whether the font's shared part has the glyph.
    shared: bool,
}

/// The characters below this are placed once per process and looked up in a table (Latin,
/// Greek, Cyrillic with Kazakh's letters: nearly all the page sets); the others each time.
const TABLED: u32 = 0x0530;

/// How `face` sets `c`: from the face's table, or [`place`] for the characters past it. The
/// page measures and sets some ten thousand characters (wrapping measures a line again for each
/// word), and each look-up searched the font's character map, its widths and the shared set.
fn placed(face: Face, c: char) -> Result<Placed, FontError> {
    static TABLES: [OnceLock<Result<Vec<Placed>, FontError>>; 3] = [const { OnceLock::new() }; 3];
    let code = u32::from(c);
    if code >= TABLED {
        return place_fully(face, c);
    }
    let table = TABLES[face as usize].get_or_init(|| {
        (0..TABLED)
            // Every code below TABLED is a character (surrogates start at U+D800).
            .map(|u| place_fully(face, char::from_u32(u).unwrap_or('\u{FFFD}')))
            .collect()
    });
    match table {
        // The table has an entry for every code below TABLED.
        Ok(table) => Ok(table[code as usize]),
        Err(e) => Err(*e),
    }
}

/// How `face` sets `c`, looked up in the fonts.
fn place_fully(face: Face, c: char) -> Result<Placed, FontError> {
    let (source, gid) = place(face, c)?;
    Ok(Placed {
        source,
        gid,
        advance: source.loaded()?.advance_1000(gid),
        shared: shared_chars(source)?.contains(&c),
    })
}

/// The font and glyph a character is set with.
fn place(face: Face, c: char) -> Result<(Source, u16), FontError> {
    for &source in face.chain() {
        if let Some(gid) = source.loaded()?.glyph(c) {
            return Ok((source, gid));
        }
    }
    // A space, or a character no font has: the first font's own (space or missing) glyph.
    let first = face.chain()[0];
    let gid = first.loaded()?.face.glyph_index(c).map_or(0, |g| g.0);
    Ok((first, gid))
}

/// The characters of the shared part of a font: those the page's fixed text sets in it.
pub(crate) fn shared_chars(source: Source) -> Result<&'static BTreeSet<char>, FontError> {
    static SHARED: OnceLock<Result<[BTreeSet<char>; 5], FontError>> = OnceLock::new();
    let sets = SHARED.get_or_init(|| {
        let mut sets: [BTreeSet<char>; 5] = Default::default();
        for (face, text) in super::page::fixed_texts() {
            for c in text.chars() {
                for &source in face.chain() {
                    if source.loaded()?.glyph(c).is_some() || c == ' ' {
                        sets[source as usize].insert(c);
                        break;
                    }
                }
            }
        }
        Ok(sets)
    });
    match sets {
        Ok(sets) => Ok(&sets[source as usize]),
        Err(e) => Err(*e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_font_file_parses_and_no_two_characters_share_a_glyph() {
        // The ToUnicode CMap maps each glyph back to one character, so a glyph shared by two
        // characters (µ and μ in some fonts) would make the text layer lie about one of them.
        for source in Source::ALL {
            let font = source.loaded().expect("the font parses");
            let mut seen = std::collections::BTreeMap::new();
            let cmap = font.face.tables().cmap.expect("a cmap");
            for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
                subtable.codepoints(|cp| {
                    if let (Some(c), Some(gid)) = (char::from_u32(cp), subtable.glyph_index(cp))
                        && let Some(other) = seen.insert(gid.0, c)
                    {
                        assert_eq!(other, c, "{} maps two characters to one glyph", font.name);
                    }
                });
            }
        }
    }

    #[test]
    fn characters_fall_back_to_the_font_that_has_them_and_shared_glyphs_are_preferred() {
        let runs = runs(Face::Regular, "visa Βίζα 王 김").expect("fonts load");
        let sources: Vec<Source> = runs.iter().map(|r| r.font.source).collect();
        assert!(sources.contains(&Source::Cjk), "{sources:?}");
        assert!(sources.contains(&Source::Hangul), "{sources:?}");
        assert_eq!(
            runs[0].font.part,
            Part::Shared,
            "the fixed text has v, i, s, a"
        );
        let text: String = runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| g.1))
            .collect();
        assert_eq!(text, "visa Βίζα 王 김");
        assert!(
            !covers(Face::Regular, "مريم"),
            "Arabic needs shaping; no font has it"
        );
    }
}
