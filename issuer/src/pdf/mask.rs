//! The choice of the QR code's mask, made quickly. The `qrcode` crate scores each of the eight
//! masks with closures boxed per module and position, which took more time than the rest of the
//! page; this masks and scores the symbol on packed bits (each row and each column one 192-bit
//! line, a few word operations per rule) with the same four rules and the same tie-break (the
//! first of the lowest), so the symbol is exactly the one `qrcode` would draw (tested).

use qrcode::canvas::{Canvas, Module};
use qrcode::{Color, EcLevel, Version};

/// Light margin on each side of a line's modules: the finder-like rule looks four modules past
/// either end, where a symbol's border counts as light.
const PAD: usize = 4;

/// The 15-bit format information (ISO/IEC 18004 table C.1, as `qrcode` tabulates it), indexed
/// by the level's two bits (L 01, M 00, Q 11, H 10) then the mask's three.
const FORMAT_INFOS: [u16; 32] = [
    0x5412, 0x5125, 0x5e7c, 0x5b4b, 0x45f9, 0x40ce, 0x4f97, 0x4aa0, 0x77c4, 0x72f3, 0x7daa, 0x789d,
    0x662f, 0x6318, 0x6c41, 0x6976, 0x1689, 0x13be, 0x1ce7, 0x19d0, 0x0762, 0x0255, 0x0d0c, 0x083b,
    0x355f, 0x3068, 0x3f31, 0x3a06, 0x24b4, 0x2183, 0x2eda, 0x2bed,
];

/// Where the 15 format bits go, highest first, as (x, y); negative counts from the far side.
/// Two copies: around the top-left finder, and split between the other two.
const FORMAT_MAIN: [(i16, i16); 15] = [
    (0, 8),
    (1, 8),
    (2, 8),
    (3, 8),
    (4, 8),
    (5, 8),
    (7, 8),
    (8, 8),
    (8, 7),
    (8, 5),
    (8, 4),
    (8, 3),
    (8, 2),
    (8, 1),
    (8, 0),
];
const FORMAT_SIDE: [(i16, i16); 15] = [
    (8, -1),
    (8, -2),
    (8, -3),
    (8, -4),
    (8, -5),
    (8, -6),
    (8, -7),
    (-8, 8),
    (-7, 8),
    (-6, 8),
    (-5, 8),
    (-4, 8),
    (-3, 8),
    (-2, 8),
    (-1, 8),
];

/// Every mask pattern repeats after 12 modules in either direction (its periods are 2, 3, 4
/// and 6).
const PERIOD: usize = 12;

/// One row or column of modules, dark as 1, module `i` at bit `PAD + i` (a symbol is at most
/// 177 modules wide, so 4 + 177 + 4 bits fit in three words with room for the rules' windows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Line([u64; 3]);

/// Encodes `data` at level `ec` (the encoder picks the modes) and applies the mask with the
/// lowest penalty; returns the symbol's width and its modules, row by row.
pub(crate) fn encode(data: &[u8], ec: EcLevel) -> qrcode::QrResult<(usize, Vec<Color>)> {
    let bits = qrcode::bits::encode_auto(data, ec)?;
    let version = bits.version();
    let bytes = bits.into_bytes();
    let (data_codewords, ec_codewords) = qrcode::ec::construct_codewords(&bytes, version, ec)?;
    let mut canvas = Canvas::new(version, ec);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data_codewords, &ec_codewords);
    let symbol = Unmasked::of(&canvas, version);
    let mut best: Option<(u32, Grid)> = None;
    // The masks in `qrcode`'s order (000 to 111), which decides ties.
    for pattern in 0..8 {
        let format = FORMAT_INFOS[(((ec as usize) ^ 1) << 3) | pattern];
        let masked = symbol.masked(pattern, format);
        let score = masked.penalty();
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, masked));
        }
    }
    let width = symbol.width;
    let modules = best.map(|(_, grid)| grid.colours()).unwrap_or_default();
    Ok((width, modules))
}

/// The symbol before masking: which modules are dark and which are data (the mask inverts
/// those), by row and by column.
struct Unmasked {
    width: usize,
    dark_rows: Vec<Line>,
    data_rows: Vec<Line>,
    dark_columns: Vec<Line>,
    data_columns: Vec<Line>,
}

/// A masked symbol with its format information, by row and by column.
struct Grid {
    width: usize,
    rows: Vec<Line>,
    columns: Vec<Line>,
}

impl Line {
    fn set(&mut self, i: usize) {
        let bit = PAD + i;
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    fn get(&self, i: usize) -> bool {
        let bit = PAD + i;
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// Bits `PAD + from` to `PAD + to` (exclusive) set.
    fn span(from: usize, to: usize) -> Self {
        let mut line = Self::default();
        for i in from..to {
            line.set(i);
        }
        line
    }

    /// Bit `i` of the result is bit `i + k` of `self` (the module `k` further on); `k` < 64.
    fn next(self, k: u32) -> Self {
        let [a, b, c] = self.0;
        if k == 0 {
            return self;
        }
        Self([
            (a >> k) | (b << (64 - k)),
            (b >> k) | (c << (64 - k)),
            c >> k,
        ])
    }

    /// Bit `i` of the result is bit `i - k` of `self` (the module `k` before); `k` < 64.
    fn previous(self, k: u32) -> Self {
        let [a, b, c] = self.0;
        if k == 0 {
            return self;
        }
        Self([
            a << k,
            (b << k) | (a >> (64 - k)),
            (c << k) | (b >> (64 - k)),
        ])
    }

    fn and(self, other: Self) -> Self {
        Self([
            self.0[0] & other.0[0],
            self.0[1] & other.0[1],
            self.0[2] & other.0[2],
        ])
    }

    fn or(self, other: Self) -> Self {
        Self([
            self.0[0] | other.0[0],
            self.0[1] | other.0[1],
            self.0[2] | other.0[2],
        ])
    }

    fn xor(self, other: Self) -> Self {
        Self([
            self.0[0] ^ other.0[0],
            self.0[1] ^ other.0[1],
            self.0[2] ^ other.0[2],
        ])
    }

    fn not(self) -> Self {
        Self([!self.0[0], !self.0[1], !self.0[2]])
    }

    fn count(self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }
}

impl Unmasked {
    fn of(canvas: &Canvas, version: Version) -> Self {
        // A version's width is 21 to 177 modules.
        let width = usize::from(version.width().unsigned_abs());
        let mut dark_rows = vec![Line::default(); width];
        let mut data_rows = vec![Line::default(); width];
        let mut dark_columns = vec![Line::default(); width];
        let mut data_columns = vec![Line::default(); width];
        for y in 0..width {
            for x in 0..width {
                // Both are below 177, so the conversions are exact.
                let module = canvas.get(x as i16, y as i16);
                if module.is_dark() {
                    dark_rows[y].set(x);
                    dark_columns[x].set(y);
                }
                // An empty module (remainder bits) is light data; the mask inverts it too.
                if !matches!(module, Module::Masked(_)) {
                    data_rows[y].set(x);
                    data_columns[x].set(y);
                }
            }
        }
        Self {
            width,
            dark_rows,
            data_rows,
            dark_columns,
            data_columns,
        }
    }

    /// The symbol under mask `pattern` (0 to 7) with its format information `format`.
    fn masked(&self, pattern: usize, format: u16) -> Grid {
        let width = self.width;
        // The mask of row y is that of row y % 12, and likewise for columns.
        let mut row_masks = [Line::default(); PERIOD];
        let mut column_masks = [Line::default(); PERIOD];
        for k in 0..PERIOD.min(width) {
            for i in 0..width {
                if inverts(pattern, i, k) {
                    row_masks[k].set(i);
                }
                if inverts(pattern, k, i) {
                    column_masks[k].set(i);
                }
            }
        }
        let mut rows: Vec<Line> = (0..width)
            .map(|y| self.dark_rows[y].xor(self.data_rows[y].and(row_masks[y % PERIOD])))
            .collect();
        let mut columns: Vec<Line> = (0..width)
            .map(|x| self.dark_columns[x].xor(self.data_columns[x].and(column_masks[x % PERIOD])))
            .collect();
        // The format modules are reserved light (never masked); their dark bits go on top.
        for coords in [&FORMAT_MAIN, &FORMAT_SIDE] {
            for (n, &(x, y)) in coords.iter().enumerate() {
                if format & (1 << (14 - n)) != 0 {
                    let (x, y) = (wrap(x, width), wrap(y, width));
                    rows[y].set(x);
                    columns[x].set(y);
                }
            }
        }
        Grid {
            width,
            rows,
            columns,
        }
    }
}

impl Grid {
    /// The penalty (ISO/IEC 18004 §7.8.3, as `qrcode` counts it): runs of five or more, 2×2
    /// blocks, finder-like patterns, and the balance of dark and light.
    fn penalty(&self) -> u32 {
        let width = self.width;
        let inside = Line::span(0, width);
        // Positions with a module after them, and where a run of five or a 2×2 block can start.
        let pairs = Line::span(0, width - 1);
        let fives = Line::span(0, width - 4);
        let mut score = 0;
        for line in self.rows.iter().chain(&self.columns) {
            score += line_penalty(*line, inside, pairs, fives);
        }
        for (row, below) in self.rows.iter().zip(self.rows.iter().skip(1)) {
            let vertical = row.xor(*below).not();
            let horizontal = row.xor(row.next(1)).not();
            let blocks = vertical.and(vertical.next(1)).and(horizontal).and(pairs);
            score += 3 * blocks.count();
        }
        let dark_count = self.rows.iter().map(|r| r.count()).sum::<u32>() as usize;
        let ratio = dark_count * 200 / (width * width).max(1);
        // The ratio is at most 200.
        score + u32::try_from(ratio.abs_diff(100)).unwrap_or(100)
    }

    /// The modules, row by row.
    fn colours(&self) -> Vec<Color> {
        let mut out = Vec::with_capacity(self.width * self.width);
        for row in &self.rows {
            out.extend((0..self.width).map(|x| {
                if row.get(x) {
                    Color::Dark
                } else {
                    Color::Light
                }
            }));
        }
        out
    }
}

/// A coordinate of the format tables: negative ones count back from the far side.
fn wrap(c: i16, width: usize) -> usize {
    let a = usize::from(c.unsigned_abs());
    if c < 0 { width - a } else { a }
}

/// Whether mask `pattern` inverts the module at column `x`, row `y` (`qrcode`'s functions).
fn inverts(pattern: usize, x: usize, y: usize) -> bool {
    match pattern {
        0 => (x + y).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (x + y).is_multiple_of(3),
        4 => ((y / 2) + (x / 3)).is_multiple_of(2),
        5 => (x * y) % 2 + (x * y) % 3 == 0,
        6 => ((x * y) % 2 + (x * y) % 3).is_multiple_of(2),
        _ => ((x + y) % 2 + (x * y) % 3).is_multiple_of(2),
    }
}

/// The penalties of one row or column: runs of one colour (five or more score their length less
/// two) and dark-light-dark-dark-dark-light-dark without four light modules on one side (40).
/// A run of length n ≥ 5 holds n − 4 windows of five like modules, so it scores those windows
/// and 2 more where it starts.
fn line_penalty(line: Line, inside: Line, pairs: Line, fives: Line) -> u32 {
    let same = line.xor(line.next(1)).not().and(pairs);
    let five = same
        .and(same.next(1))
        .and(same.next(2))
        .and(same.next(3))
        .and(fives);
    // A module starts a run where it differs from the one before (or is the first).
    let starts = same.previous(1).not();
    let runs = five.count() + 2 * five.and(starts).count();
    let light = line.not();
    let finder = line
        .and(light.next(1))
        .and(line.next(2))
        .and(line.next(3))
        .and(line.next(4))
        .and(light.next(5))
        .and(line.next(6))
        .and(inside);
    // Four light modules from here on; past the ends the border counts as light (the padding).
    let four_light = light
        .and(light.next(1))
        .and(light.next(2))
        .and(light.next(3));
    let lonely = finder.and(four_light.previous(4).or(four_light.next(7)));
    runs + 40 * lonely.count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_symbol_is_the_one_the_qrcode_crate_draws_for_tokens_of_many_lengths() {
        for len in [20, 100, 250, 356, 455, 600] {
            let text: String = "HC1:6BF+70790T9WJWG.FKY*4GO0.O1CV2 O5 N2FBBRW1*70HS8WY04AC*WIFN0AHCD8KD97TK0F90$PC5$CUZC$$5Y$5JPCT3E5JDOA73467463W5-A67:EDOL9WEQDD+Q6TW6FA7C466KCN9E%961A6DL6FA7D46XJCCWENF6OF63W5KF60A6WJCT3EHS8WJC0FDTA6AIA%G7X+AQB9746VG7W0AV+AWM96X6FA7C466KCN9E%961A6DL6FA7D46JPCT3E5JDJA76L68463W5/A6..DX%DZJC3/DH$9- NTVDWKEI3DK2D4XOXVD1/DLPCG/DU2DRB8DKDC/DP2DLKDIR8-G8DBNVTBMWHL"
                .chars()
                .cycle()
                .take(len)
                .collect();
            let theirs =
                qrcode::QrCode::with_error_correction_level(&text, EcLevel::Q).expect("fits");
            let (width, ours) = encode(text.as_bytes(), EcLevel::Q).expect("fits");
            assert_eq!(width, theirs.width(), "{len}");
            assert!(
                ours == theirs.into_colors(),
                "length {len}: a different mask"
            );
        }
    }
}
