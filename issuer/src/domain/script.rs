//! Which scripts a native-script name may be written in: those the printout can show exactly as
//! signed into the QR code. The printout draws one glyph per character with no shaping, so a
//! script whose letters join or reorder (Arabic, Hebrew, Devanagari, Thai…) would print wrong;
//! such a name is refused at Step 1 rather than accepted and then printed badly or not at all.
//!
//! The table below is the promise; a test of the printout checks that its fonts have a glyph
//! for every letter the table accepts.

use std::ops::RangeInclusive;

/// A script the printout supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Script {
    /// Latin, with the letters of Latin-1, Latin Extended-A and -B and Latin Extended
    /// Additional (every precomposed diacritic: Å Æ Ł Ş Ğ Ő Ễ …).
    Latin,
    /// Greek, with the polytonic letters.
    Greek,
    /// Cyrillic, with the Kazakh letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І) and the Cyrillic Supplement.
    Cyrillic,
    /// Armenian.
    Armenian,
    /// Georgian (Mkhedruli and Asomtavruli).
    Georgian,
    /// Chinese characters (CJK Unified Ideographs), also Japanese kanji and Korean hanja.
    Han,
    /// Japanese Hiragana.
    Hiragana,
    /// Japanese Katakana.
    Katakana,
    /// Korean Hangul syllables.
    Hangul,
}

/// The letters of each supported script, as ranges of code points (only letters within them are
/// accepted: the name parser refuses what is not a letter).
pub const SUPPORTED: &[(Script, RangeInclusive<char>)] = &[
    (Script::Latin, 'A'..='Z'),
    (Script::Latin, 'a'..='z'),
    (Script::Latin, '\u{00C0}'..='\u{024F}'),
    // IPA Extensions hold the small schwa of Azerbaijani (Ə ə) and other letters of
    // orthographies written in Latin.
    (Script::Latin, '\u{0250}'..='\u{02AF}'),
    (Script::Latin, '\u{1E00}'..='\u{1EFB}'),
    (Script::Greek, '\u{0370}'..='\u{03FF}'),
    (Script::Greek, '\u{1F00}'..='\u{1FFF}'),
    (Script::Cyrillic, '\u{0400}'..='\u{0525}'),
    (Script::Armenian, '\u{0531}'..='\u{055F}'),
    (Script::Armenian, '\u{0561}'..='\u{0587}'),
    (Script::Georgian, '\u{10A0}'..='\u{10C5}'),
    (Script::Georgian, '\u{10D0}'..='\u{10FC}'),
    (Script::Han, '\u{3005}'..='\u{3007}'),
    (Script::Han, '\u{4E00}'..='\u{9FA5}'),
    (Script::Hiragana, '\u{3041}'..='\u{3094}'),
    (Script::Hiragana, '\u{309D}'..='\u{309E}'),
    (Script::Katakana, '\u{30A1}'..='\u{30F6}'),
    (Script::Katakana, '\u{30FC}'..='\u{30FE}'),
    (Script::Hangul, '\u{AC00}'..='\u{D7A3}'),
];

/// The punctuation a name may hold between its words (as the name parser allows).
const SEPARATORS: [char; 5] = [' ', '-', '\'', '.', '’'];

/// A name the printout cannot show: the first character outside the supported scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unprintable {
    /// The character.
    pub character: char,
}

/// The script a letter belongs to, if the printout supports it.
pub fn script_of(c: char) -> Option<Script> {
    SUPPORTED
        .iter()
        .find(|(_, range)| range.contains(&c))
        .map(|(script, _)| *script)
}

/// Whether the printout can show `name` exactly: every character is a letter of a supported
/// script or one of the separators between words.
pub fn check_printable(name: &str) -> Result<(), Unprintable> {
    match name
        .chars()
        .find(|&c| !SEPARATORS.contains(&c) && script_of(c).is_none())
    {
        Some(character) => Err(Unprintable { character }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_every_supported_script_are_printable() {
        for name in [
            "Åsa Ægir Łukasz Şükrü",
            "Nguyễn Thị Ánh",
            "Ərəbova-O’Brien",
            "Παπαδόπουλος",
            "Әлия Құрманғазы Ұлы",
            "Гомбожав",
            "Հովհաննիսյան",
            "ჯავახიშვილი",
            "王小明",
            "山田 はなこ",
            "ヤマダ ハナコー",
            "김민준",
        ] {
            assert_eq!(check_printable(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn scripts_that_need_shaping_are_not_printable_and_the_first_such_letter_is_named() {
        for (name, first) in [
            ("مريم", 'م'),
            ("שרה", 'ש'),
            ("Anna देवी", 'द'),
            ("สมชาย", 'ส'),
            ("ᠮᠣᠩᠭᠣᠯ", 'ᠮ'),
        ] {
            assert_eq!(
                check_printable(name),
                Err(Unprintable { character: first }),
                "{name}"
            );
        }
    }

    #[test]
    fn letters_map_to_their_scripts() {
        assert_eq!(script_of('Қ'), Some(Script::Cyrillic));
        assert_eq!(script_of('Ő'), Some(Script::Latin));
        assert_eq!(script_of('ω'), Some(Script::Greek));
        assert_eq!(script_of('ա'), Some(Script::Armenian));
        assert_eq!(script_of('ა'), Some(Script::Georgian));
        assert_eq!(script_of('明'), Some(Script::Han));
        assert_eq!(script_of('か'), Some(Script::Hiragana));
        assert_eq!(script_of('カ'), Some(Script::Katakana));
        assert_eq!(script_of('한'), Some(Script::Hangul));
        assert_eq!(script_of('ꙮ'), None);
    }
}
