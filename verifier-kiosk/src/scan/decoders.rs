//! The two QR decoders behind one shape: a gray picture in, the texts of the codes found out.

use image::GrayImage;

pub(super) fn rqrr_decode(picture: &GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare(picture.clone());
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

/// Every QR code rxing finds in the picture.
///
/// rxing's port of zxing-cpp's reader (`QrReader`) reads several codes in one pass when asked
/// through its `MultipleBarcodeReader` side: it tries every triple of finder patterns and sets
/// aside the patterns of each code it decodes, so a booking code beside the visa does not hide
/// it. The single-code helper used before stopped at the first code. When the port finds nothing,
/// the older port of ZXing's Java reader gets the same binarised picture, as rxing's own
/// `MultiFormatReader` does: it reads a few photos the other misses.
pub(super) fn rxing_decode(picture: &GrayImage) -> Vec<String> {
    use rxing::multi::MultipleBarcodeReader;
    use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source, Reader, common};

    let Ok(source) =
        Luma8Source::new_with_slice(picture.as_raw(), picture.width(), picture.height())
    else {
        return Vec::new();
    };
    let mut bitmap = BinaryBitmap::new(common::HybridBinarizer::new(source));
    let hints = DecodeHints {
        TryHarder: Some(true),
        PossibleFormats: Some(std::collections::HashSet::from([BarcodeFormat::QR_CODE])),
        ..DecodeHints::default()
    };
    let texts: Vec<String> = rxing::qrcode::cpp_port::QrReader
        .decode_multiple_with_hints(&mut bitmap, &hints)
        .map(|results| results.iter().map(|r| r.getText().to_owned()).collect())
        .unwrap_or_default();
    if !texts.is_empty() {
        return texts;
    }
    rxing::qrcode::QRCodeReader
        .decode_with_hints(&mut bitmap, &hints)
        .map(|result| vec![result.getText().to_owned()])
        .unwrap_or_default()
}

/// Whether a code's text looks like an e-visa: the `KZV` prefix of every version of the token, so
/// a future version is still chosen (and then refused as unsupported, not as "not a visa").
pub(super) fn is_visa(text: &str) -> bool {
    text.starts_with("KZV")
}

/// Deduplicates and puts codes that look like e-visas first, so a page with a second, unrelated
/// code still yields the visa.
pub(super) fn visa_codes_first(texts: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out.sort_by_key(|t| !is_visa(t));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visa_codes_come_first_and_duplicates_go() {
        let texts = vec![
            "http://x".to_owned(),
            "KZV1:ABC".to_owned(),
            "http://x".to_owned(),
        ];
        assert_eq!(visa_codes_first(texts), vec!["KZV1:ABC", "http://x"]);
    }
}
