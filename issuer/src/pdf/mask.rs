//! The choice of the QR code's mask, made quickly. The `qrcode` crate scores each of the eight
//! masks with closures boxed per module and position, which took more time than the rest of the
//! page; this scores them on plain booleans with the same four rules and the same tie-break (the
//! first of the lowest), so the symbol is exactly the one `qrcode` would draw.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};

/// The masks in `qrcode`'s order, which decides ties.
const PATTERNS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

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
    // A version's width is 21 to 177 modules.
    let width = usize::from(version.width().unsigned_abs());
    let mut best: Option<(u32, Vec<Color>)> = None;
    for pattern in PATTERNS {
        let mut masked = canvas.clone();
        masked.apply_mask(pattern);
        let modules = masked.into_colors();
        let score = penalty(&modules, width);
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, modules));
        }
    }
    Ok((width, best.map(|(_, m)| m).unwrap_or_default()))
}

/// The penalty of a masked symbol (ISO/IEC 18004 §7.8.3, as `qrcode` counts it): runs of five or
/// more, 2×2 blocks, finder-like patterns, and the balance of dark and light.
fn penalty(modules: &[Color], width: usize) -> u32 {
    let rows: Vec<bool> = modules.iter().map(|&m| m == Color::Dark).collect();
    let mut columns = vec![false; rows.len()];
    for (i, &dark) in rows.iter().enumerate() {
        columns[(i % width) * width + i / width] = dark;
    }
    let mut score = 0;
    for lines in [&rows, &columns] {
        for line in lines.chunks_exact(width) {
            score += line_penalty(line);
        }
    }
    for (row, below) in rows
        .chunks_exact(width)
        .zip(rows.chunks_exact(width).skip(1))
    {
        for x in 0..width - 1 {
            let c = row[x];
            if row[x + 1] == c && below[x] == c && below[x + 1] == c {
                score += 3;
            }
        }
    }
    let dark_count = rows.iter().filter(|&&d| d).count();
    let ratio = dark_count * 200 / rows.len().max(1);
    // The ratio is at most 200.
    score + u32::try_from(ratio.abs_diff(100)).unwrap_or(100)
}

/// The penalties of one row or column: runs of one colour (five or more score their length less
/// two) and dark-light-dark-dark-dark-light-dark without four light modules on one side (40).
/// One pass: the last seven modules are kept as the low bits of a byte, so the finder-like
/// pattern is one comparison per position rather than a slice comparison (that took most of
/// the mask choice's time).
fn line_penalty(line: &[bool]) -> u32 {
    /// Dark-light-dark-dark-dark-light-dark, the first module in the highest of seven bits.
    const FINDER: u8 = 0b101_1101;
    let mut score = 0;
    let mut run = 0;
    let mut previous = None;
    let mut window = 0_u8;
    for (i, &dark) in line.iter().enumerate() {
        if previous == Some(dark) {
            run += 1;
        } else {
            if run >= 5 {
                score += run - 2;
            }
            run = 1;
            previous = Some(dark);
        }
        window = ((window << 1) | u8::from(dark)) & 0x7f;
        if i >= 6 && window == FINDER {
            let j = i - 6;
            let before = line[j.saturating_sub(4)..j].contains(&true);
            let after = line[j + 7..(j + 11).min(line.len())].contains(&true);
            if !before || !after {
                score += 40;
            }
        }
    }
    if run >= 5 {
        score += run - 2;
    }
    score
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
