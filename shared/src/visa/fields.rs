//! The field types of a visa, each made only by its `parse`: numbers, names, category, entries,
//! ports, sex and dates.

use std::fmt;

use time::{Date, Month};

use super::MAX_NAME_CHARS;
use super::error::{FieldError, FormatError};

/// The visa number: what the MRZ's document-number field holds, up to 9 capital letters and digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VisaNumber(String);

/// The three e-visa categories the instruction allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Single-entry business visa.
    Business,
    /// Tourist visa.
    Tourist,
    /// Visa for medical treatment.
    Treatment,
}

/// How many times the holder may enter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entries {
    /// One entry; the visa is used up by it.
    Single,
    /// Two entries.
    Double,
}

/// The border crossings an e-visa is good for: the two international airports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Port {
    /// Astana (Nur-Sultan) international airport, IATA NQZ.
    Nqz,
    /// Almaty international airport, IATA ALA.
    Ala,
}

/// A non-empty set of ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ports {
    nqz: bool,
    ala: bool,
}

/// A name as the passport's machine-readable zone spells it: Latin capitals, words split by single
/// spaces (the MRZ's `<`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MrzName(String);

/// A name in the holder's own script (Cyrillic, Arabic, Chinese…), as in the passport's visual zone.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NativeName(String);

/// A passport number as in the MRZ: up to 9 capital letters and digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PassportNumber(String);

/// Sex as the MRZ records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// `F`.
    Female,
    /// `M`.
    Male,
    /// `X` (printed as `<` in the MRZ).
    Unspecified,
}

/// The number of the invitation from the Kazakh side that the visa was granted on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InvitationNumber(String);

impl VisaNumber {
    /// Parses 1–9 capital letters and digits.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        parse_mrz_code(text, 9).map(Self)
    }

    /// The number as printed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PassportNumber {
    /// Parses 1–9 capital letters and digits (spaces are dropped, lowercase is raised).
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let squeezed: String = text.chars().filter(|c| *c != ' ').collect();
        parse_mrz_code(&squeezed.to_ascii_uppercase(), 9).map(Self)
    }

    /// The number as printed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl InvitationNumber {
    /// Parses 4–20 capital letters, digits and hyphens, like `INV-2026-000001`.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let text = text.trim().to_ascii_uppercase();
        if text.is_empty() {
            return Err(FieldError::Missing);
        }
        if text.len() > 20 {
            return Err(FieldError::TooLong { max: 20 });
        }
        if text.len() < 4
            || !text
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(FieldError::Format(FormatError::InvitationNumber));
        }
        Ok(Self(text))
    }

    /// The number as printed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn parse_mrz_code(text: &str, max: usize) -> Result<String, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::Missing);
    }
    if text.chars().count() > max {
        return Err(FieldError::TooLong { max });
    }
    if !text
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err(FieldError::Format(FormatError::CapitalsAndDigits));
    }
    Ok(text.to_owned())
}

impl MrzName {
    /// Parses a name in MRZ form. Lowercase is raised, `<` and runs of spaces become one space;
    /// anything but the Latin letters A–Z is refused, since the MRZ holds nothing else.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let upper = text.to_ascii_uppercase().replace('<', " ");
        let words: Vec<&str> = upper.split_whitespace().collect();
        if words.is_empty() {
            return Err(FieldError::Missing);
        }
        let name = words.join(" ");
        if name.len() > MAX_NAME_CHARS {
            return Err(FieldError::TooLong {
                max: MAX_NAME_CHARS,
            });
        }
        if !name.bytes().all(|b| b.is_ascii_uppercase() || b == b' ') {
            return Err(FieldError::Format(FormatError::MrzLetters));
        }
        Ok(Self(name))
    }

    /// The name with spaces between words.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl NativeName {
    /// Parses a name in any script: letters and marks, with single spaces, hyphens, apostrophes and
    /// full stops between them. Control characters and bidirectional overrides are refused.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.is_empty() {
            return Err(FieldError::Missing);
        }
        let name = words.join(" ");
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(FieldError::TooLong {
                max: MAX_NAME_CHARS,
            });
        }
        let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.' | '’');
        if !name.chars().all(allowed) || !name.chars().next().is_some_and(char::is_alphabetic) {
            return Err(FieldError::Format(FormatError::NativeLetters));
        }
        Ok(Self(name))
    }

    /// The name as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Category {
    /// Every category, in the order the portal lists them.
    pub const ALL: [Category; 3] = [Category::Business, Category::Tourist, Category::Treatment];

    /// Parses the JSON name: `business`, `tourist` or `treatment`.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        match text.trim() {
            "business" => Ok(Self::Business),
            "tourist" => Ok(Self::Tourist),
            "treatment" => Ok(Self::Treatment),
            "" => Err(FieldError::Missing),
            _ => Err(FieldError::Format(FormatError::Category)),
        }
    }

    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Business => "business",
            Self::Tourist => "tourist",
            Self::Treatment => "treatment",
        }
    }

    /// The number in the token's claims.
    pub fn code(self) -> u64 {
        match self {
            Self::Business => 1,
            Self::Tourist => 2,
            Self::Treatment => 3,
        }
    }

    /// The category with this claims number.
    pub fn from_code(code: u64) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

impl Entries {
    /// Parses the JSON name: `single` or `double`.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        match text.trim() {
            "single" => Ok(Self::Single),
            "double" => Ok(Self::Double),
            "" => Err(FieldError::Missing),
            _ => Err(FieldError::Format(FormatError::Entries)),
        }
    }

    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Double => "double",
        }
    }

    /// How many entries are allowed.
    pub fn count(self) -> u64 {
        match self {
            Self::Single => 1,
            Self::Double => 2,
        }
    }

    /// The value for this number of entries.
    pub fn from_count(count: u64) -> Option<Self> {
        match count {
            1 => Some(Self::Single),
            2 => Some(Self::Double),
            _ => None,
        }
    }
}

impl Port {
    /// Both ports.
    pub const ALL: [Port; 2] = [Port::Nqz, Port::Ala];

    /// Parses an IATA code, `NQZ` or `ALA`.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        match text.trim().to_ascii_uppercase().as_str() {
            "NQZ" => Ok(Self::Nqz),
            "ALA" => Ok(Self::Ala),
            "" => Err(FieldError::Missing),
            _ => Err(FieldError::Format(FormatError::Port)),
        }
    }

    /// The IATA code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Nqz => "NQZ",
            Self::Ala => "ALA",
        }
    }

    /// The airport's name in English.
    pub fn airport(self) -> &'static str {
        match self {
            Self::Nqz => "Astana (Nur-Sultan) International Airport",
            Self::Ala => "Almaty International Airport",
        }
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Ports {
    /// Both airports.
    pub const BOTH: Ports = Ports {
        nqz: true,
        ala: true,
    };

    /// The set of the given ports; `None` when empty.
    pub fn new(ports: impl IntoIterator<Item = Port>) -> Option<Self> {
        let mut set = Ports {
            nqz: false,
            ala: false,
        };
        for port in ports {
            match port {
                Port::Nqz => set.nqz = true,
                Port::Ala => set.ala = true,
            }
        }
        (set.nqz || set.ala).then_some(set)
    }

    /// Parses a list of IATA codes.
    pub fn parse<S: AsRef<str>>(codes: &[S]) -> Result<Self, FieldError> {
        let ports = codes
            .iter()
            .map(|c| Port::parse(c.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(ports).ok_or(FieldError::Missing)
    }

    /// Whether the set holds this port.
    pub fn contains(self, port: Port) -> bool {
        match port {
            Port::Nqz => self.nqz,
            Port::Ala => self.ala,
        }
    }

    /// The ports in a fixed order (NQZ, then ALA).
    pub fn iter(self) -> impl Iterator<Item = Port> {
        Port::ALL.into_iter().filter(move |p| self.contains(*p))
    }
}

impl Sex {
    /// Parses `F`, `M` or `X` (`<` is read as `X`, as in the MRZ).
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        match text.trim() {
            "F" | "f" => Ok(Self::Female),
            "M" | "m" => Ok(Self::Male),
            "X" | "x" | "<" => Ok(Self::Unspecified),
            "" => Err(FieldError::Missing),
            _ => Err(FieldError::Format(FormatError::Sex)),
        }
    }

    /// `F`, `M` or `X`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Female => "F",
            Self::Male => "M",
            Self::Unspecified => "X",
        }
    }
}

/// Parses a calendar date written `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<Date, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::Missing);
    }
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts[..] else {
        return Err(FieldError::Format(FormatError::DateShape));
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(FieldError::Format(FormatError::DateShape));
    }
    let number = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse::<u16>().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (number(y), number(m), number(d)) else {
        return Err(FieldError::Format(FormatError::DateShape));
    };
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(FieldError::Format(FormatError::NoSuchDate))?;
    let day = u8::try_from(d).map_err(|_| FieldError::Format(FormatError::NoSuchDate))?;
    Date::from_calendar_date(i32::from(y), month, day)
        .map_err(|_| FieldError::Format(FormatError::NoSuchDate))
}
