//! Machine-readable zones (ICAO Doc 9303): the MRV-A zone printed on the e-visa (Part 7) and the
//! passport's TD3 zone (Part 4) that the kiosk reads to cross-check the holder.

use time::{Date, Month};

use crate::visa::{Sex, Visa};

/// Characters per MRV-A and TD3 line.
pub const LINE_LEN: usize = 44;

/// The two lines of an MRV-A visa zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisaMrz {
    /// `V<KAZ` then the name field.
    pub line1: String,
    /// Number, nationality, birth date, sex, expiry, optional data, with check digits.
    pub line2: String,
}

/// A passport's TD3 zone, with every check digit verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassportMrz {
    document_code: String,
    issuing_state: String,
    surname: String,
    given_names: String,
    number: String,
    nationality: String,
    birth: MrzDate,
    sex: Sex,
    expiry: MrzDate,
    personal_number: String,
}

/// A six-digit MRZ date, whose century the zone does not record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MrzDate {
    yy: u8,
    month: Month,
    day: u8,
}

/// Why a passport zone was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MrzError {
    /// Not two lines of 44 characters.
    #[error("a passport zone is two lines of 44 characters")]
    Shape,
    /// A character outside `A–Z`, `0–9` and `<`.
    #[error("the zone holds a character other than A-Z, 0-9 and <")]
    Character,
    /// The first line does not start with `P`.
    #[error("this is not a passport (TD3) zone")]
    NotAPassport,
    /// A check digit does not match its field, even after O/0 repair.
    #[error("the check digit of the {0} does not match")]
    CheckDigit(&'static str),
    /// A date field that is no date.
    #[error("the {0} is not a date")]
    Date(&'static str),
    /// The sex field is not F, M or `<`.
    #[error("the sex field is not F, M or <")]
    Sex,
}

/// The ICAO 9303 check digit of a field: weights 7, 3, 1 over the character values.
pub fn check_digit(field: &str) -> Option<u8> {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0;
    for (i, c) in field.bytes().enumerate() {
        let value = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            b'<' => 0,
            _ => return None,
        };
        sum += value * WEIGHTS[i % 3];
    }
    u8::try_from(sum % 10).ok()
}

impl VisaMrz {
    /// The MRV-A zone of a visa: type `V<`, issuing state KAZ, the visa number as document number,
    /// the valid-until date as expiry, and the passport number in the optional data field.
    pub fn of(visa: &Visa) -> Self {
        let name = name_field(
            visa.surname().as_str(),
            visa.given_names().map_or("", |g| g.as_str()),
            39,
        );
        let line1 = format!("V<KAZ{name}");
        let number = pad(visa.number().as_str(), 9);
        let birth = yymmdd(visa.date_of_birth());
        let until = yymmdd(visa.valid_until());
        let sex = match visa.sex() {
            Sex::Female => "F",
            Sex::Male => "M",
            Sex::Unspecified => "<",
        };
        let line2 = format!(
            "{number}{}{}{birth}{}{sex}{until}{}{}",
            digit(&number),
            visa.citizenship().as_str(),
            digit(&birth),
            digit(&until),
            pad(visa.passport_number().as_str(), 16),
        );
        Self { line1, line2 }
    }
}

impl PassportMrz {
    /// Parses a TD3 zone as a passport reader types it: two lines (any line break, surrounding
    /// spaces ignored) or the 88 characters run together. Lowercase is raised. OCR's confusion of
    /// the letter O and the digit 0 is repaired where the field's type or check digit settles it.
    pub fn parse(text: &str) -> Result<Self, MrzError> {
        let joined: String = text
            .split_whitespace()
            .collect::<String>()
            .to_ascii_uppercase();
        if joined.len() != 2 * LINE_LEN || !joined.is_ascii() {
            return Err(MrzError::Shape);
        }
        if !joined
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<')
        {
            return Err(MrzError::Character);
        }
        let (line1, line2) = joined.split_at(LINE_LEN);
        if !line1.starts_with('P') {
            return Err(MrzError::NotAPassport);
        }
        let alpha = |s: &str| s.replace('0', "O");
        let numeric = |s: &str| s.replace('O', "0");
        let issuing_state = alpha(&line1[2..5]);
        let (surname, given_names) = split_name(&alpha(&line1[5..44]));

        let number = repair_checked(&line2[0..9], &numeric(&line2[9..10]), "passport number")?;
        let nationality = alpha(&line2[10..13]);
        let birth_text = numeric(&line2[13..19]);
        expect_digit(&birth_text, &numeric(&line2[19..20]), "date of birth")?;
        let sex = match &line2[20..21] {
            "F" => Sex::Female,
            "M" => Sex::Male,
            "<" | "X" => Sex::Unspecified,
            _ => return Err(MrzError::Sex),
        };
        let expiry_text = numeric(&line2[21..27]);
        expect_digit(&expiry_text, &numeric(&line2[27..28]), "date of expiry")?;
        let personal = &line2[28..42];
        let personal_check = numeric(&line2[42..43]);
        // An empty personal number may carry `<` or `0` as its check digit.
        let personal = if personal.bytes().all(|b| b == b'<')
            && matches!(personal_check.as_str(), "<" | "0")
        {
            personal.to_owned()
        } else {
            repair_checked(personal, &personal_check, "personal number")?
        };
        let composite = format!(
            "{number}{}{birth_text}{}{expiry_text}{}{personal}{personal_check}",
            digit(&number),
            digit(&birth_text),
            digit(&expiry_text),
        );
        expect_digit(&composite, &numeric(&line2[43..44]), "whole zone")?;
        Ok(Self {
            document_code: line1[0..2].trim_end_matches('<').to_owned(),
            issuing_state: issuing_state.trim_end_matches('<').to_owned(),
            surname,
            given_names,
            number: number.trim_end_matches('<').to_owned(),
            nationality,
            birth: MrzDate::parse(&birth_text).ok_or(MrzError::Date("date of birth"))?,
            sex,
            expiry: MrzDate::parse(&expiry_text).ok_or(MrzError::Date("date of expiry"))?,
            personal_number: personal.trim_end_matches('<').to_owned(),
        })
    }

    /// `P` and the optional type letter.
    pub fn document_code(&self) -> &str {
        &self.document_code
    }
    /// The issuing state's code as written (`D` for Germany, filler removed).
    pub fn issuing_state(&self) -> &str {
        &self.issuing_state
    }
    /// Surname, words separated by spaces.
    pub fn surname(&self) -> &str {
        &self.surname
    }
    /// Given names, words separated by spaces; empty when there are none.
    pub fn given_names(&self) -> &str {
        &self.given_names
    }
    /// The passport number, filler removed.
    pub fn number(&self) -> &str {
        &self.number
    }
    /// The nationality field as written (may be `D<<`; see `Country::from_mrz`).
    pub fn nationality(&self) -> &str {
        &self.nationality
    }
    /// Date of birth, century unknown.
    pub fn birth(&self) -> MrzDate {
        self.birth
    }
    /// Sex.
    pub fn sex(&self) -> Sex {
        self.sex
    }
    /// Date of expiry, century unknown.
    pub fn expiry(&self) -> MrzDate {
        self.expiry
    }
    /// The optional personal number, filler removed.
    pub fn personal_number(&self) -> &str {
        &self.personal_number
    }
}

impl MrzDate {
    fn parse(text: &str) -> Option<Self> {
        let n = |r: std::ops::Range<usize>| text.get(r)?.parse::<u8>().ok();
        let (yy, mm, dd) = (n(0..2)?, n(2..4)?, n(4..6)?);
        let month = Month::try_from(mm).ok()?;
        // Check the day against the longest such month (29 February included).
        Date::from_calendar_date(2000, month, dd).ok()?;
        Some(Self { yy, month, day: dd })
    }

    /// Resolves a birth date: the latest century that does not put it after `today`.
    pub fn as_birth_date(self, today: Date) -> Option<Date> {
        let century = today.year() - today.year().rem_euclid(100);
        [century, century - 100]
            .into_iter()
            .filter_map(|c| {
                Date::from_calendar_date(c + i32::from(self.yy), self.month, self.day).ok()
            })
            .find(|d| *d <= today)
    }

    /// Resolves an expiry date: within fifty years either side of `today`.
    pub fn as_expiry_date(self, today: Date) -> Option<Date> {
        let century = today.year() - today.year().rem_euclid(100);
        [century - 100, century, century + 100]
            .into_iter()
            .filter_map(|c| {
                Date::from_calendar_date(c + i32::from(self.yy), self.month, self.day).ok()
            })
            .find(|d| (d.year() - today.year()).abs() <= 50)
    }

    /// The date as `YYMMDD`.
    pub fn to_yymmdd(self) -> String {
        format!("{:02}{:02}{:02}", self.yy, u8::from(self.month), self.day)
    }
}

fn pad(text: &str, len: usize) -> String {
    let mut s: String = text.chars().take(len).collect();
    while s.len() < len {
        s.push('<');
    }
    s
}

fn digit(field: &str) -> char {
    check_digit(field).map_or('<', |d| char::from(b'0' + d))
}

fn yymmdd(date: Date) -> String {
    format!(
        "{:02}{:02}{:02}",
        date.year().rem_euclid(100),
        u8::from(date.month()),
        date.day()
    )
}

/// The name field: `SURNAME<<GIVEN<NAMES`, spaces as `<`, cut to `len` (ICAO truncation drops
/// the end of the given names first) and padded with `<`.
fn name_field(surname: &str, given: &str, len: usize) -> String {
    let surname = surname.replace(' ', "<");
    let field = if given.is_empty() {
        surname
    } else {
        format!("{surname}<<{}", given.replace(' ', "<"))
    };
    pad(field.trim_end_matches('<'), len)
}

fn split_name(field: &str) -> (String, String) {
    let field = field.trim_end_matches('<');
    let (surname, given) = field.split_once("<<").unwrap_or((field, ""));
    let words = |s: &str| {
        s.split('<')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    (words(surname), words(given))
}

fn expect_digit(field: &str, check: &str, name: &'static str) -> Result<(), MrzError> {
    match check_digit(field) {
        Some(d) if check.as_bytes() == [b'0' + d] => Ok(()),
        _ => Err(MrzError::CheckDigit(name)),
    }
}

/// An alphanumeric field with its check digit: taken as written if the digit matches, otherwise
/// with O and 0 swapped one way or the other, if exactly that makes it match.
fn repair_checked(field: &str, check: &str, name: &'static str) -> Result<String, MrzError> {
    [
        field.to_owned(),
        field.replace('O', "0"),
        field.replace('0', "O"),
    ]
    .into_iter()
    .find(|candidate| expect_digit(candidate, check, name).is_ok())
    .ok_or(MrzError::CheckDigit(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The specimen passport of ICAO Doc 9303 Part 4.
    const TD3_SPECIMEN: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                                L898902C36UTO7408122F1204159ZE184226B<<<<<10";

    #[test]
    fn check_digits_match_the_icao_specimens() {
        // Doc 9303 Part 4 (TD3) and Part 7 (MRV-A) specimen fields and their printed digits.
        for (field, expected) in [
            ("L898902C3", 6),
            ("740812", 2),
            ("120415", 9),
            ("ZE184226B<<<<<", 1),
            ("L898902C3674081221204159ZE184226B<<<<<1", 0),
            ("L8988901C", 4),
            ("400907", 8),
            ("961210", 9),
        ] {
            assert_eq!(check_digit(field), Some(expected), "{field}");
        }
        assert_eq!(check_digit("ab"), None);
    }

    #[test]
    fn the_td3_specimen_parses_with_every_field() {
        let p = PassportMrz::parse(TD3_SPECIMEN).expect("specimen parses");
        assert_eq!(p.document_code(), "P");
        assert_eq!(p.issuing_state(), "UTO");
        assert_eq!(p.surname(), "ERIKSSON");
        assert_eq!(p.given_names(), "ANNA MARIA");
        assert_eq!(p.number(), "L898902C3");
        assert_eq!(p.nationality(), "UTO");
        assert_eq!(p.sex(), Sex::Female);
        assert_eq!(p.personal_number(), "ZE184226B");
        let today = Date::from_calendar_date(2026, Month::November, 25).expect("date");
        assert_eq!(
            p.birth().as_birth_date(today).map(|d| d.to_string()),
            Some("1974-08-12".into())
        );
        assert_eq!(
            p.expiry().as_expiry_date(today).map(|d| d.to_string()),
            Some("2012-04-15".into())
        );
    }

    #[test]
    fn ocr_confusions_of_o_and_0_are_repaired_and_real_errors_are_not() {
        // Digits read as O in dates and check digits, and O read as 0 in the name.
        let garbled = "P<UT0ERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                       L898902C36UTO74O8122F12O4159ZE184226B<<<<<1O";
        let p = PassportMrz::parse(garbled).expect("repaired");
        assert_eq!(p.surname(), "ERIKSSON");
        assert_eq!(p.birth().to_yymmdd(), "740812");
        // Run together, lowercase, as some readers type it.
        let joined = TD3_SPECIMEN.replace('\n', "").to_lowercase();
        assert!(PassportMrz::parse(&joined).is_ok());

        let wrong_number = TD3_SPECIMEN.replace("L898902C36", "L898912C36");
        assert_eq!(
            PassportMrz::parse(&wrong_number),
            Err(MrzError::CheckDigit("passport number"))
        );
        let wrong_birth = TD3_SPECIMEN.replace("7408122", "7408132");
        assert_eq!(
            PassportMrz::parse(&wrong_birth),
            Err(MrzError::CheckDigit("date of birth"))
        );
        assert_eq!(PassportMrz::parse("P<UTO"), Err(MrzError::Shape));
        assert_eq!(
            PassportMrz::parse(&TD3_SPECIMEN.replacen('P', "V", 1)),
            Err(MrzError::NotAPassport)
        );
        assert_eq!(
            PassportMrz::parse(&TD3_SPECIMEN.replacen("<<ANNA", "<-ANNA", 1)),
            Err(MrzError::Character)
        );
        assert_eq!(
            PassportMrz::parse("Ё".repeat(88).as_str()),
            Err(MrzError::Shape)
        );
    }

    #[test]
    fn the_visa_zone_has_the_mrv_a_layout_and_valid_check_digits() {
        let visa = crate::token::tests::sample_visa();
        let mrz = VisaMrz::of(&visa);
        assert_eq!(mrz.line1, "V<KAZERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<");
        assert_eq!(mrz.line2, "KZ26000179SWE7408122F2701297L898902C3<<<<<<<");
        assert_eq!(mrz.line1.len(), LINE_LEN);
        assert_eq!(mrz.line2.len(), LINE_LEN);
        assert_eq!(check_digit(&mrz.line2[0..9]), Some(9));
        assert_eq!(check_digit(&mrz.line2[21..27]), Some(7));
    }

    #[test]
    fn long_names_are_truncated_to_the_field() {
        let field = name_field("WOLFESCHLEGELSTEINHAUSENBERGERDORFF", "HUBERT BLAINE", 39);
        assert_eq!(field, "WOLFESCHLEGELSTEINHAUSENBERGERDORFF<<HU");
        assert_eq!(name_field("NGUYEN", "", 10), "NGUYEN<<<<");
    }
}
