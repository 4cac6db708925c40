//! Screening against the stop-list: an entry names a passport (number and citizenship) or a
//! person (surname and date of birth), and a paid application whose holder matches one is held
//! for an officer instead of being signed. Names and numbers are folded the way a passport's
//! machine-readable zone writes them, so a typed "Müller-Lüdenscheidt" still finds the MRZ's
//! `MUELLER<LUEDENSCHEIDT`: capitals only, diacritics removed (with the ICAO 9303 alternatives
//! for Ä, Ö, Ü, Å, Ø), fillers, spaces, hyphens and apostrophes ignored, `O` and `0` alike.

use serde::{Deserialize, Serialize};
use shared::Country;
use shared::visa::{FieldError, FormatError, MrzName, PassportNumber, parse_date};
use time::Date;

use super::invitation::{field, parse_text};
use super::problem::{Problem, Problems};

/// The longest note an entry may carry.
pub const MAX_NOTE_CHARS: usize = 200;

/// The longest surname an entry may name (the MRZ's name field).
pub const MAX_SURNAME_CHARS: usize = 39;

/// Whom an entry names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A passport: its number (folded) and the citizenship it was issued for.
    Passport {
        /// The number, folded by [`fold_number`].
        number: String,
        /// The citizenship.
        citizenship: Country,
    },
    /// A person: a surname as typed (folded when matched) and a date of birth.
    Person {
        /// The surname as the officer typed it (diacritics allowed).
        surname: String,
        /// The date of birth.
        born: Date,
    },
}

/// A stop-list entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopEntry {
    /// Database id.
    pub id: i64,
    /// Whom it names.
    pub subject: Subject,
    /// Why it is there (free text, may be empty).
    pub note: String,
    /// Who added it (as the audit log names actors).
    pub added_by: String,
    /// When (RFC 3339).
    pub added_at: String,
}

/// A checked entry, not yet stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStopEntry {
    /// Whom it names.
    pub subject: Subject,
    /// Why (may be empty).
    pub note: String,
}

/// The back office's form for a new entry: either passport and citizenship, or surname and date
/// of birth.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StopEntryForm {
    /// Passport number.
    pub passport_number: String,
    /// ISO 3166-1 alpha-3.
    pub citizenship: String,
    /// Surname (Latin letters, diacritics allowed).
    pub surname: String,
    /// Date of birth, YYYY-MM-DD.
    pub born: String,
    /// Why the entry is there.
    pub note: String,
}

/// The traveller a paid application names, as screening compares it.
#[derive(Debug, Clone, Copy)]
pub struct Holder<'a> {
    /// MRZ surname.
    pub surname: &'a MrzName,
    /// Passport number.
    pub passport_number: &'a PassportNumber,
    /// Citizenship.
    pub citizenship: Country,
    /// Date of birth.
    pub born: Date,
}

impl StopEntryForm {
    /// Checks the form: exactly one of the two kinds must be filled in, completely.
    pub fn parse(&self) -> Result<NewStopEntry, Problems> {
        let mut p = Problems::new();
        let filled = |t: &str| !t.trim().is_empty();
        let by_passport = filled(&self.passport_number) || filled(&self.citizenship);
        let by_person = filled(&self.surname) || filled(&self.born);
        let note = if self.note.trim().is_empty() {
            Some(String::new())
        } else {
            field(&mut p, "note", parse_text(&self.note, MAX_NOTE_CHARS))
        };
        let subject = match (by_passport, by_person) {
            (true, true) | (false, false) => {
                // Both or neither: say where each kind's fields are, so the form shows the choice.
                for name in ["passport_number", "surname"] {
                    p.insert(name, Problem::OneKindOfEntry);
                }
                None
            }
            (true, false) => {
                let number = field(
                    &mut p,
                    "passport_number",
                    parse_passport_number(&self.passport_number),
                );
                let citizenship = field(
                    &mut p,
                    "citizenship",
                    Country::parse(&self.citizenship.trim().to_ascii_uppercase())
                        .map_err(FieldError::from),
                );
                number
                    .zip(citizenship)
                    .map(|(number, citizenship)| Subject::Passport {
                        number,
                        citizenship,
                    })
            }
            (false, true) => {
                let surname = field(&mut p, "surname", parse_surname(&self.surname));
                let born = field(&mut p, "born", parse_date(&self.born));
                surname
                    .zip(born)
                    .map(|(surname, born)| Subject::Person { surname, born })
            }
        };
        match (subject, note) {
            (Some(subject), Some(note)) if p.is_empty() => Ok(NewStopEntry { subject, note }),
            _ => Err(p),
        }
    }
}

/// Parses a passport number for the stop-list: folded by [`fold_number`], then 1–9 capitals
/// and digits as in the MRZ.
pub fn parse_passport_number(text: &str) -> Result<String, FieldError> {
    let folded = fold_number(text);
    if folded.is_empty() {
        return Err(FieldError::Missing);
    }
    if folded.chars().count() > 9 {
        return Err(FieldError::TooLong { max: 9 });
    }
    if !folded
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err(FieldError::Format(FormatError::CapitalsAndDigits));
    }
    Ok(folded)
}

/// Parses a surname for the stop-list: Latin letters (with diacritics), spaces, hyphens,
/// apostrophes and the MRZ filler; kept as typed, trimmed.
pub fn parse_surname(text: &str) -> Result<String, FieldError> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(FieldError::Missing);
    }
    if text.chars().count() > MAX_SURNAME_CHARS {
        return Err(FieldError::TooLong {
            max: MAX_SURNAME_CHARS,
        });
    }
    let latin = text
        .chars()
        .all(|c| is_ignored(c) || c == '0' || !fold_char(c).is_empty());
    if !latin || fold_name(&text).is_empty() {
        return Err(FieldError::Format(FormatError::MrzLetters));
    }
    Ok(text)
}

impl Subject {
    /// Whether the holder is the one the entry names.
    pub fn matches(&self, holder: &Holder<'_>) -> bool {
        match self {
            Subject::Passport {
                number,
                citizenship,
            } => {
                *citizenship == holder.citizenship
                    && fold_number(number) == fold_number(holder.passport_number.as_str())
            }
            Subject::Person { surname, born } => {
                if *born != holder.born {
                    return false;
                }
                let theirs = fold_name(holder.surname.as_str());
                fold_name_variants(surname).contains(&theirs)
            }
        }
    }

    /// The entry in one line, for the back office and the audit log.
    pub fn describe(&self) -> String {
        match self {
            Subject::Passport {
                number,
                citizenship,
            } => format!("passport {number} {citizenship}"),
            Subject::Person { surname, born } => format!("{surname} born {born}"),
        }
    }
}

/// The first entry that names the holder, if any.
pub fn first_match<'a>(entries: &'a [StopEntry], holder: &Holder<'_>) -> Option<&'a StopEntry> {
    entries.iter().find(|entry| entry.subject.matches(holder))
}

/// Folds a passport number: capitals, `O` read as `0`, spaces, hyphens and fillers dropped.
pub fn fold_number(text: &str) -> String {
    text.chars()
        .filter(|c| !is_ignored(*c))
        .flat_map(char::to_uppercase)
        .map(|c| if c == 'O' { '0' } else { c })
        .collect()
}

/// Folds a name the way the MRZ writes it, taking the first spelling of each letter (Ä → A):
/// capitals, diacritics removed, `0` read as `O`, spaces, hyphens, apostrophes and fillers
/// dropped. Letters the MRZ cannot hold are dropped too ([`parse_surname`] refuses them first).
pub fn fold_name(text: &str) -> String {
    fold_name_variants(text)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// Every spelling the MRZ may give a name: Ä may be written A or AE, Ö O or OE, Ü U or UE, Å A
/// or AA, Ø O or OE (ICAO 9303). At most [`MAX_VARIANTS`] spellings; past that, the first only.
pub fn fold_name_variants(text: &str) -> Vec<String> {
    let mut variants = vec![String::new()];
    for c in text.chars().filter(|c| !is_ignored(*c)) {
        let options = fold_char(c);
        if options.len() > 1 && variants.len() * options.len() <= MAX_VARIANTS {
            variants = variants
                .iter()
                .flat_map(|v| options.iter().map(move |o| format!("{v}{o}")))
                .collect();
        } else if let Some(first) = options.first() {
            for v in &mut variants {
                v.push_str(first);
            }
        }
    }
    variants
}

/// The most spellings [`fold_name_variants`] makes of one name.
pub const MAX_VARIANTS: usize = 16;

/// Characters the MRZ does not carry between letters: fillers, spaces, hyphens, apostrophes.
fn is_ignored(c: char) -> bool {
    c == '<' || c == '-' || c == '\'' || c == '’' || c == '.' || c.is_whitespace()
}

/// The MRZ spellings of one character (empty when it has none).
fn fold_char(c: char) -> &'static [&'static str] {
    // ß upper-cases to two letters; every other letter here to one.
    let upper = if c == 'ß' {
        'ẞ'
    } else {
        c.to_uppercase().next().unwrap_or(c)
    };
    match upper {
        'A'..='Z' => LETTERS
            .iter()
            .find(|l| l.starts_with(upper))
            .map_or(&[], std::slice::from_ref),
        '0' => &["O"],
        'À' | 'Á' | 'Â' | 'Ã' | 'Ā' | 'Ă' | 'Ą' => &["A"],
        'Ä' => &["A", "AE"],
        'Å' => &["A", "AA"],
        'Æ' => &["AE"],
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => &["C"],
        'Ď' | 'Đ' | 'Ð' => &["D"],
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => &["E"],
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => &["G"],
        'Ĥ' | 'Ħ' => &["H"],
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' | 'ı' => &["I"],
        'Ĳ' => &["IJ"],
        'Ĵ' => &["J"],
        'Ķ' => &["K"],
        'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => &["L"],
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' => &["N"],
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ō' | 'Ŏ' | 'Ő' => &["O"],
        'Ö' | 'Ø' => &["O", "OE"],
        'Œ' => &["OE"],
        'Ŕ' | 'Ŗ' | 'Ř' => &["R"],
        'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => &["S"],
        'ß' | 'ẞ' => &["SS"],
        'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => &["T"],
        'Þ' => &["TH"],
        'Ù' | 'Ú' | 'Û' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => &["U"],
        'Ü' => &["U", "UE"],
        'Ŵ' => &["W"],
        'Ý' | 'Ÿ' | 'Ŷ' => &["Y"],
        'Ź' | 'Ż' | 'Ž' => &["Z"],
        _ => &[],
    }
}

/// The plain Latin capitals, each its own spelling.
static LETTERS: [&str; 26] = [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S",
    "T", "U", "V", "W", "X", "Y", "Z",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        parse_date(text).expect("a date")
    }

    /// Whether an entry for `surname` born `born` matches the MRZ surname `mrz` born `holder_born`.
    fn check_person(surname: &str, born: &str, mrz: &str, holder_born: &str) -> bool {
        let subject = Subject::Person {
            surname: parse_surname(surname).expect("a surname"),
            born: date(born),
        };
        let (name, number) = (
            MrzName::parse(mrz).expect("an MRZ name"),
            PassportNumber::parse("X1").expect("a number"),
        );
        subject.matches(&Holder {
            surname: &name,
            passport_number: &number,
            citizenship: Country::parse("DEU").expect("DEU"),
            born: date(holder_born),
        })
    }

    fn check_passport(number: &str, citizenship: &str, holder: &str, theirs: &str) -> bool {
        let subject = Subject::Passport {
            number: parse_passport_number(number).expect("a number"),
            citizenship: Country::parse(citizenship).expect("a country"),
        };
        let (name, passport) = (
            MrzName::parse("ERIKSSON").expect("a name"),
            PassportNumber::parse(holder).expect("a number"),
        );
        subject.matches(&Holder {
            surname: &name,
            passport_number: &passport,
            citizenship: Country::parse(theirs).expect("a country"),
            born: date("1974-08-12"),
        })
    }

    #[test]
    fn surnames_match_as_the_mrz_writes_them() {
        let cases = [
            ("Müller", "MUELLER", true),
            ("Müller", "MULLER", true),
            ("MUELLER", "MULLER", false),
            ("Ångström", "AANGSTROEM", true),
            ("Ångström", "ANGSTROM", true),
            ("Øster-Gård", "OESTER GARD", true),
            ("García Márquez", "GARCIA MARQUEZ", true),
            ("garcia-marquez", "GARCIAMARQUEZ", true),
            ("O'Brien", "OBRIEN", true),
            ("0'BRIEN", "OBRIEN", true),
            ("Straße", "STRASSE", true),
            ("Dvořák", "DVORAK", true),
            ("ERIKSSON", "ERIKSON", false),
            ("ERIKSSON", "ERIKSSON ANNA", false),
        ];
        for (entry, mrz, expected) in cases {
            assert_eq!(
                check_person(entry, "1974-08-12", mrz, "1974-08-12"),
                expected,
                "{entry} vs {mrz}"
            );
        }
    }

    #[test]
    fn a_person_entry_needs_the_same_date_of_birth() {
        assert!(!check_person(
            "Eriksson",
            "1974-08-13",
            "ERIKSSON",
            "1974-08-12"
        ));
    }

    #[test]
    fn passport_numbers_read_o_and_zero_alike_and_ignore_spaces_and_hyphens() {
        assert!(check_passport("l898 902-c3", "SWE", "L898902C3", "SWE"));
        assert!(check_passport("AO12345", "SWE", "A012345", "SWE"));
        assert!(check_passport("A012345", "SWE", "AO12345", "SWE"));
        assert!(!check_passport("L898902C3", "DEU", "L898902C3", "SWE"));
        assert!(!check_passport("L898902C4", "SWE", "L898902C3", "SWE"));
    }

    #[test]
    fn the_form_takes_exactly_one_kind_of_entry() {
        let both = StopEntryForm {
            passport_number: "L898902C3".into(),
            citizenship: "SWE".into(),
            surname: "Eriksson".into(),
            born: "1974-08-12".into(),
            note: String::new(),
        };
        let p = both.parse().expect_err("both kinds");
        assert_eq!(p.get("surname"), Some(&Problem::OneKindOfEntry));
        let none = StopEntryForm::default().parse().expect_err("neither");
        assert_eq!(none.get("passport_number"), Some(&Problem::OneKindOfEntry));
        let half = StopEntryForm {
            surname: "Eriksson".into(),
            ..StopEntryForm::default()
        };
        assert!(half.parse().expect_err("no date").contains_key("born"));
        let person = StopEntryForm {
            surname: " Müller ".into(),
            born: "1980-01-02".into(),
            note: "interpol notice".into(),
            ..StopEntryForm::default()
        };
        assert_eq!(
            person.parse(),
            Ok(NewStopEntry {
                subject: Subject::Person {
                    surname: "Müller".into(),
                    born: date("1980-01-02")
                },
                note: "interpol notice".into()
            })
        );
    }

    #[test]
    fn letters_the_mrz_cannot_hold_are_refused_not_dropped() {
        assert_eq!(
            parse_surname("Иванов"),
            Err(FieldError::Format(FormatError::MrzLetters))
        );
        assert_eq!(
            parse_surname("--"),
            Err(FieldError::Format(FormatError::MrzLetters))
        );
        assert_eq!(
            parse_passport_number("L89#"),
            Err(FieldError::Format(FormatError::CapitalsAndDigits))
        );
        assert_eq!(parse_passport_number(" - "), Err(FieldError::Missing));
    }

    #[test]
    fn the_first_matching_entry_is_reported() {
        let name = MrzName::parse("ERIKSSON").expect("name");
        let number = PassportNumber::parse("L898902C3").expect("number");
        let holder = Holder {
            surname: &name,
            passport_number: &number,
            citizenship: Country::parse("SWE").expect("SWE"),
            born: date("1974-08-12"),
        };
        let entry = |id, subject| StopEntry {
            id,
            subject,
            note: String::new(),
            added_by: "operator".into(),
            added_at: "2026-11-30T00:00:00Z".into(),
        };
        let entries = [
            entry(
                1,
                Subject::Person {
                    surname: "Eriksson".into(),
                    born: date("1975-01-01"),
                },
            ),
            entry(
                2,
                Subject::Passport {
                    number: "L898902C3".into(),
                    citizenship: Country::parse("SWE").expect("SWE"),
                },
            ),
        ];
        assert_eq!(first_match(&entries, &holder).map(|e| e.id), Some(2));
        assert_eq!(first_match(&entries[..1], &holder), None);
    }

    #[test]
    fn a_name_with_many_umlauts_keeps_a_bounded_number_of_spellings() {
        let variants = fold_name_variants("ÄÄÄÄÄÄÄÄÄÄ");
        assert!(variants.len() <= MAX_VARIANTS);
        assert_eq!(variants[0], "AAAAAAAAAA");
    }
}
