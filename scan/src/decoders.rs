//! The two QR decoders behind one shape: a gray picture in, the texts of the codes found out.

use image::GrayImage;

use super::Want;

pub(super) fn rqrr_decode(picture: &GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare(picture.clone());
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

/// The QR codes rxing finds in the picture: the first one; every one when `want` says so, or when
/// it asks for the e-visa and the first code is not an e-visa's.
///
/// rxing's port of zxing-cpp's reader (`QrReader`) tries the triples of finder patterns in turn.
/// Asked for one code it stops at the first that decodes, which on a page with a booking code
/// beside the visa may be the booking code; asked through its `MultipleBarcodeReader` side it
/// goes on through the remaining patterns and returns every code. The single read comes first
/// because it is all a one-code picture needs; only a code that is not the e-visa costs the
/// second pass. When the port finds nothing, the older port of ZXing's Java reader gets the same
/// binarised picture, as rxing's own `MultiFormatReader` does: it reads a few photos the other
/// misses.
pub(super) fn rxing_decode(picture: &GrayImage, want: Want) -> Vec<String> {
    use rxing::multi::MultipleBarcodeReader;
    use rxing::qrcode::QRCodeReader;
    use rxing::qrcode::cpp_port::QrReader;
    use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source, Reader, common};

    let Ok(source) =
        Luma8Source::new_with_slice(picture.as_raw(), picture.width(), picture.height())
    else {
        return Vec::new();
    };
    // The bitmap keeps its binarised matrix, so the second and third readers reuse it.
    let mut bitmap = BinaryBitmap::new(common::HybridBinarizer::new(source));
    let hints = DecodeHints {
        TryHarder: Some(true),
        PossibleFormats: Some(std::collections::HashSet::from([BarcodeFormat::QR_CODE])),
        ..DecodeHints::default()
    };
    match QrReader.decode_with_hints(&mut bitmap, &hints) {
        Ok(first) if want == Want::AnyCode || (want == Want::Visa && is_visa(first.getText())) => {
            vec![first.getText().to_owned()]
        }
        Ok(first) => {
            let mut texts = vec![first.getText().to_owned()];
            if let Ok(all) = QrReader.decode_multiple_with_hints(&mut bitmap, &hints) {
                texts.extend(all.iter().map(|r| r.getText().to_owned()));
            }
            texts
        }
        Err(_) => QRCodeReader
            .decode_with_hints(&mut bitmap, &hints)
            .map(|result| vec![result.getText().to_owned()])
            .unwrap_or_default(),
    }
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
