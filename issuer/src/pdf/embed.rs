//! A font as a PDF embeds it: a subset of the font file holding only the glyphs set in it
//! (renumbered from 1, so a glyph's new number is its CID), its widths, and the CMap that maps
//! each CID back to the character, which is what a text extractor such as `pdftotext` reads.
//! The shared part of each font is built and compressed once per process.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use super::font::{FontError, Loaded, Source, shared_chars};

/// One font part ready to be written: its objects' contents.
#[derive(Debug)]
pub(crate) struct Embedded {
    /// `/BaseFont`: a six-letter subset tag, `+`, the font's name.
    pub(crate) base_font: String,
    /// Whether the program is CFF (`FontFile3` of subtype `OpenType`) or TrueType (`FontFile2`).
    pub(crate) cff: bool,
    /// The subset font program, deflated.
    pub(crate) program: Vec<u8>,
    /// The ToUnicode CMap, deflated.
    pub(crate) to_unicode: Vec<u8>,
    /// The `/W` array.
    pub(crate) widths: String,
    /// The font descriptor's metrics (`/Flags` to `/StemV`), in thousandths of an em.
    pub(crate) descriptor: String,
    /// Original glyph id → CID.
    cids: BTreeMap<u16, u16>,
}

/// Why a font part could not be embedded: a build defect, not bad input.
#[derive(Debug, thiserror::Error)]
pub(crate) enum EmbedError {
    /// The font file did not parse.
    #[error(transparent)]
    Font(#[from] FontError),
    /// The subsetter refused the font.
    #[error("the font {0} cannot be subset: {1:?}")]
    Subset(&'static str, subsetter::Error),
}

/// The deflate level of what is compressed per document: 6 is within a few per cent of 9 on
/// these streams, at a fraction of the time.
pub(crate) const DEFLATE_LEVEL: u8 = 6;
/// The deflate level of what is compressed once per process (the shared font parts and the
/// page's fixed text): miniz's highest, since its time is paid once.
pub(crate) const SHARED_LEVEL: u8 = 10;

impl Embedded {
    /// Embeds the glyphs `glyphs` (original id and the character each shows) of `source`, its
    /// streams deflated at `level`.
    pub(crate) fn new(
        source: Source,
        glyphs: &BTreeMap<u16, char>,
        level: u8,
    ) -> Result<Self, EmbedError> {
        let font = source.loaded()?;
        let mut remapper = GlyphRemapper::new();
        let mut cids = BTreeMap::new();
        for &gid in glyphs.keys() {
            cids.insert(gid, remapper.remap(gid));
        }
        let program = subsetter::subset(font.data, 0, &remapper)
            .map_err(|e| EmbedError::Subset(font.name, e))?;
        let tag = subset_tag(font.name, glyphs);
        Ok(Self {
            base_font: format!("{tag}+{}", font.name),
            cff: font.cff,
            program: deflate_at(&program, level),
            to_unicode: deflate_at(to_unicode(glyphs, &cids).as_bytes(), level),
            widths: widths(font, &cids),
            descriptor: descriptor(font),
            cids,
        })
    }

    /// The shared part of `source`, built on first use; `None` when the page's fixed text uses
    /// nothing of the font.
    pub(crate) fn shared(source: Source) -> Result<Option<&'static Embedded>, FontError> {
        static SHARED: [OnceLock<Result<Option<Embedded>, String>>; 5] =
            [const { OnceLock::new() }; 5];
        let built = SHARED[source as usize].get_or_init(|| {
            let font = source.loaded().map_err(|e| e.to_string())?;
            let chars = shared_chars(source).map_err(|e| e.to_string())?;
            let glyphs: BTreeMap<u16, char> = chars
                .iter()
                .filter_map(|&c| font.face.glyph_index(c).map(|g| (g.0, c)))
                .collect();
            if glyphs.is_empty() {
                return Ok(None);
            }
            // Built once per process, so compressed at the highest level.
            Embedded::new(source, &glyphs, SHARED_LEVEL)
                .map(Some)
                .map_err(|e| e.to_string())
        });
        match built {
            Ok(part) => Ok(part.as_ref()),
            Err(_) => Err(FontError(source.loaded()?.name)),
        }
    }

    /// The CID of an original glyph id (0, the missing glyph, if it was not embedded).
    pub(crate) fn cid(&self, gid: u16) -> u16 {
        self.cids.get(&gid).copied().unwrap_or(0)
    }
}

/// Deflates a stream (zlib format, as `/FlateDecode` expects) with this thread's compressor:
/// a new one per stream (as `compress_to_vec_zlib` makes) is a few hundred kilobytes of tables
/// mapped, faulted in and zeroed each time, which cost more than compressing the page's data.
pub(crate) fn deflate(bytes: &[u8]) -> Vec<u8> {
    deflate_at(bytes, DEFLATE_LEVEL)
}

/// Deflates a stream at `level` (0 to 10), like [`deflate`].
pub(crate) fn deflate_at(bytes: &[u8], level: u8) -> Vec<u8> {
    use miniz_oxide::DataFormat;
    use miniz_oxide::deflate::core::{
        CompressorOxide, TDEFLFlush, TDEFLStatus, compress, create_comp_flags_from_zip_params,
    };
    use std::cell::RefCell;

    thread_local! {
        static COMPRESSOR: RefCell<Option<Box<CompressorOxide>>> = const { RefCell::new(None) };
    }
    COMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let compressor = match slot.as_mut() {
            Some(compressor) => {
                compressor.reset();
                compressor.set_format_and_level(DataFormat::Zlib, level);
                compressor
            }
            // Window bits > 0: the zlib wrapper; strategy 0: the default.
            None => slot.insert(Box::new(CompressorOxide::new(
                create_comp_flags_from_zip_params(level.into(), 1, 0),
            ))),
        };
        let mut out = vec![0; bytes.len() / 2 + 64];
        let mut input = bytes;
        let mut written = 0;
        loop {
            let (status, read, wrote) =
                compress(compressor, input, &mut out[written..], TDEFLFlush::Finish);
            written += wrote;
            input = &input[read.min(input.len())..];
            match status {
                TDEFLStatus::Done => break,
                TDEFLStatus::Okay => {
                    // The output is full: give it more room.
                    if out.len() - written < 64 {
                        out.resize(out.len() * 2, 0);
                    }
                }
                // Only a bad parameter or a bug gives another status; fall back to the
                // one-shot compressor, which reports its own.
                _ => return miniz_oxide::deflate::compress_to_vec_zlib(bytes, level),
            }
        }
        out.truncate(written);
        out
    })
}

/// The subset tag: six capital letters derived from the glyphs, so the same glyphs always give
/// the same tag (and the same bytes).
fn subset_tag(name: &str, glyphs: &BTreeMap<u16, char>) -> String {
    let mut hash = Sha256::new();
    hash.update(name.as_bytes());
    for gid in glyphs.keys() {
        hash.update(gid.to_be_bytes());
    }
    hash.finalize()[..6]
        .iter()
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// `/W`: each CID's advance, consecutive CIDs grouped (`[1 [600 550 …]]`).
fn widths(font: &Loaded, cids: &BTreeMap<u16, u16>) -> String {
    let by_cid: BTreeMap<u16, u16> = cids.iter().map(|(&gid, &cid)| (cid, gid)).collect();
    let mut out = String::from("[");
    let mut next: Option<u16> = None;
    for (&cid, &gid) in &by_cid {
        if next != Some(cid) {
            if next.is_some() {
                out.push(']');
            }
            let _ = write!(out, " {cid} [");
        } else {
            out.push(' ');
        }
        let _ = write!(out, "{}", font.advance_1000(gid).round());
        next = Some(cid + 1);
    }
    if next.is_some() {
        out.push(']');
    }
    out.push_str(" ]");
    out
}

/// The font descriptor's metrics.
fn descriptor(font: &Loaded) -> String {
    let face = &font.face;
    let bbox = face.global_bounding_box();
    let cap = face.capital_height().unwrap_or(face.ascender());
    format!(
        "/Flags 4 /FontBBox [{} {} {} {}] /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV 80",
        font.scale(bbox.x_min).round(),
        font.scale(bbox.y_min).round(),
        font.scale(bbox.x_max).round(),
        font.scale(bbox.y_max).round(),
        font.scale(face.ascender()).round(),
        font.scale(face.descender()).round(),
        font.scale(cap).round(),
    )
}

/// The ToUnicode CMap: each CID to the character it shows.
fn to_unicode(glyphs: &BTreeMap<u16, char>, cids: &BTreeMap<u16, u16>) -> String {
    let pairs: BTreeSet<(u16, char)> = glyphs
        .iter()
        .filter_map(|(gid, &c)| cids.get(gid).map(|&cid| (cid, c)))
        .collect();
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let pairs: Vec<(u16, char)> = pairs.into_iter().collect();
    for chunk in pairs.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", chunk.len());
        for &(cid, c) in chunk {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            let _ = writeln!(out, "<{cid:04X}> <{hex}>");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}
