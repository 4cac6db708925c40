//! What an e-visa is: typed, validated values for everything the printout and the QR code carry.
//!
//! Every field type has a `parse` that is the only way to make it, so a [`Visa`] in hand is always
//! one that ICAO Doc 9303 and the issuing rules accept. [`VisaDraft`] is the loose, serialisable
//! form (JSON for `issuer sign`, form fields in the portal) that becomes a `Visa` in one step.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, OffsetDateTime, UtcOffset};

use crate::country::{Country, CountryError};

/// Kazakhstan's offset from UTC, +5 all year since 2024-03-01. Dates on a visa are dates there.
pub const KAZAKHSTAN_OFFSET: UtcOffset = match UtcOffset::from_hms(5, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The calendar date in Kazakhstan at an instant.
pub fn kazakhstan_date(at: OffsetDateTime) -> Date {
    at.to_offset(KAZAKHSTAN_OFFSET).date()
}

/// The longest stay an e-visa grants, in days.
pub const MAX_STAY_DAYS: u16 = 90;
/// The longest validity period of an e-visa, in days.
pub const MAX_VALIDITY_DAYS: i64 = 180;
/// The longest name field, in characters, in either script.
pub const MAX_NAME_CHARS: usize = 39;

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

/// An issued e-visa. Only [`Visa::new`] makes one, and it checks every rule across the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visa {
    number: VisaNumber,
    category: Category,
    entries: Entries,
    valid_from: Date,
    valid_until: Date,
    stay_days: u16,
    ports: Ports,
    surname: MrzName,
    given_names: Option<MrzName>,
    surname_native: Option<NativeName>,
    given_names_native: Option<NativeName>,
    passport_number: PassportNumber,
    citizenship: Country,
    date_of_birth: Date,
    sex: Sex,
    invitation_number: InvitationNumber,
    issued_at: OffsetDateTime,
}

/// The typed parts of a visa, before the rules across fields are checked by [`Visa::new`].
#[derive(Debug, Clone)]
pub struct VisaFields {
    /// See [`Visa::number`].
    pub number: VisaNumber,
    /// See [`Visa::category`].
    pub category: Category,
    /// See [`Visa::entries`].
    pub entries: Entries,
    /// See [`Visa::valid_from`].
    pub valid_from: Date,
    /// See [`Visa::valid_until`].
    pub valid_until: Date,
    /// See [`Visa::stay_days`].
    pub stay_days: u16,
    /// See [`Visa::ports`].
    pub ports: Ports,
    /// See [`Visa::surname`].
    pub surname: MrzName,
    /// See [`Visa::given_names`].
    pub given_names: Option<MrzName>,
    /// See [`Visa::surname_native`].
    pub surname_native: Option<NativeName>,
    /// See [`Visa::given_names_native`].
    pub given_names_native: Option<NativeName>,
    /// See [`Visa::passport_number`].
    pub passport_number: PassportNumber,
    /// See [`Visa::citizenship`].
    pub citizenship: Country,
    /// See [`Visa::date_of_birth`].
    pub date_of_birth: Date,
    /// See [`Visa::sex`].
    pub sex: Sex,
    /// See [`Visa::invitation_number`].
    pub invitation_number: InvitationNumber,
    /// See [`Visa::issued_at`].
    pub issued_at: OffsetDateTime,
}

/// Why a single field's text is not an acceptable value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldError {
    /// Nothing was given where a value is required.
    #[error("this field is required")]
    Missing,
    /// The text is longer than the field allows.
    #[error("at most {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// A character the field cannot hold.
    #[error("{0}")]
    Format(&'static str),
    /// Not an ISO 3166-1 alpha-3 code.
    #[error(transparent)]
    Country(#[from] CountryError),
    /// A number outside the allowed range.
    #[error("must be between {min} and {max}")]
    Range {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
}

/// Why a visa cannot be made: one field, or a rule across fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VisaError {
    /// One field is wrong; `field` is its JSON name.
    #[error("{field}: {error}")]
    Field {
        /// The field's name as in [`VisaDraft`].
        field: &'static str,
        /// What is wrong with it.
        error: FieldError,
    },
    /// The validity period ends before it starts.
    #[error("valid_until ({until}) is before valid_from ({from})")]
    ValidityReversed {
        /// Start of validity.
        from: Date,
        /// End of validity.
        until: Date,
    },
    /// The validity period is longer than an e-visa may be.
    #[error("the validity period is longer than {MAX_VALIDITY_DAYS} days")]
    ValidityTooLong,
    /// The visa would start before it was issued.
    #[error("valid_from ({from}) is before the issuing date ({issued})")]
    StartsBeforeIssue {
        /// Start of validity.
        from: Date,
        /// Issuing date in Kazakhstan.
        issued: Date,
    },
    /// The permitted stay does not fit in the validity period.
    #[error("a stay of {stay} days does not fit in a validity period of {period} days")]
    StayLongerThanValidity {
        /// Permitted stay.
        stay: u16,
        /// Days from valid_from to valid_until inclusive.
        period: i64,
    },
    /// The holder would be born after the visa was issued.
    #[error("date_of_birth ({0}) is in the future")]
    BornInFuture(Date),
    /// A date of birth no living person has.
    #[error("date_of_birth ({0}) is more than 130 years ago")]
    BornTooLongAgo(Date),
    /// A business visa is single-entry by definition.
    #[error("a business e-visa is single-entry")]
    BusinessNotSingleEntry,
    /// A native-script given name without a native-script surname.
    #[error("given_names_native needs surname_native")]
    NativeGivenWithoutSurname,
}

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
            return Err(FieldError::Format(
                "an invitation number has 4 to 20 Latin letters, digits and hyphens",
            ));
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
        return Err(FieldError::Format("only Latin capital letters and digits"));
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
            return Err(FieldError::Format(
                "use the Latin letters A-Z exactly as in the passport's machine-readable zone",
            ));
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
            return Err(FieldError::Format(
                "letters only, with spaces, hyphens or apostrophes between words",
            ));
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
            _ => Err(FieldError::Format(
                "the e-visa categories are business, tourist and treatment",
            )),
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
            _ => Err(FieldError::Format("entries are single or double")),
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
            _ => Err(FieldError::Format(
                "e-visa holders enter only through Astana (NQZ) or Almaty (ALA)",
            )),
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
            _ => Err(FieldError::Format("sex is F, M or X")),
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
    let format = "a date is written YYYY-MM-DD";
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts[..] else {
        return Err(FieldError::Format(format));
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(FieldError::Format(format));
    }
    let number = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse::<u16>().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (number(y), number(m), number(d)) else {
        return Err(FieldError::Format(format));
    };
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(FieldError::Format("no such date"))?;
    let day = u8::try_from(d).map_err(|_| FieldError::Format("no such date"))?;
    Date::from_calendar_date(i32::from(y), month, day)
        .map_err(|_| FieldError::Format("no such date"))
}

impl Visa {
    /// Makes a visa from typed fields, checking the rules that tie them together.
    pub fn new(f: VisaFields) -> Result<Self, VisaError> {
        if f.valid_until < f.valid_from {
            return Err(VisaError::ValidityReversed {
                from: f.valid_from,
                until: f.valid_until,
            });
        }
        let period = (f.valid_until - f.valid_from).whole_days() + 1;
        if period > MAX_VALIDITY_DAYS {
            return Err(VisaError::ValidityTooLong);
        }
        let issued = kazakhstan_date(f.issued_at);
        if f.valid_from < issued {
            return Err(VisaError::StartsBeforeIssue {
                from: f.valid_from,
                issued,
            });
        }
        if !(1..=MAX_STAY_DAYS).contains(&f.stay_days) {
            return Err(VisaError::Field {
                field: "duration_of_stay",
                error: FieldError::Range {
                    min: 1,
                    max: i64::from(MAX_STAY_DAYS),
                },
            });
        }
        if i64::from(f.stay_days) > period {
            return Err(VisaError::StayLongerThanValidity {
                stay: f.stay_days,
                period,
            });
        }
        if f.date_of_birth > issued {
            return Err(VisaError::BornInFuture(f.date_of_birth));
        }
        if issued - f.date_of_birth > Duration::days(130 * 366) {
            return Err(VisaError::BornTooLongAgo(f.date_of_birth));
        }
        if f.category == Category::Business && f.entries != Entries::Single {
            return Err(VisaError::BusinessNotSingleEntry);
        }
        if f.given_names_native.is_some() && f.surname_native.is_none() {
            return Err(VisaError::NativeGivenWithoutSurname);
        }
        Ok(Self {
            number: f.number,
            category: f.category,
            entries: f.entries,
            valid_from: f.valid_from,
            valid_until: f.valid_until,
            stay_days: f.stay_days,
            ports: f.ports,
            surname: f.surname,
            given_names: f.given_names,
            surname_native: f.surname_native,
            given_names_native: f.given_names_native,
            passport_number: f.passport_number,
            citizenship: f.citizenship,
            date_of_birth: f.date_of_birth,
            sex: f.sex,
            invitation_number: f.invitation_number,
            issued_at: f.issued_at,
        })
    }

    /// The visa number (MRZ document number).
    pub fn number(&self) -> &VisaNumber {
        &self.number
    }
    /// The category.
    pub fn category(&self) -> Category {
        self.category
    }
    /// Number of entries.
    pub fn entries(&self) -> Entries {
        self.entries
    }
    /// First day of validity, in Kazakhstan time.
    pub fn valid_from(&self) -> Date {
        self.valid_from
    }
    /// Last day of validity, in Kazakhstan time; the visa is good to the end of this day.
    pub fn valid_until(&self) -> Date {
        self.valid_until
    }
    /// Permitted duration of stay, in days.
    pub fn stay_days(&self) -> u16 {
        self.stay_days
    }
    /// The airports the holder may enter and leave through.
    pub fn ports(&self) -> Ports {
        self.ports
    }
    /// Surname as in the passport's MRZ.
    pub fn surname(&self) -> &MrzName {
        &self.surname
    }
    /// Given names as in the passport's MRZ, if the holder has any.
    pub fn given_names(&self) -> Option<&MrzName> {
        self.given_names.as_ref()
    }
    /// Surname in the holder's script, if given.
    pub fn surname_native(&self) -> Option<&NativeName> {
        self.surname_native.as_ref()
    }
    /// Given names in the holder's script, if given.
    pub fn given_names_native(&self) -> Option<&NativeName> {
        self.given_names_native.as_ref()
    }
    /// Passport number.
    pub fn passport_number(&self) -> &PassportNumber {
        &self.passport_number
    }
    /// Citizenship.
    pub fn citizenship(&self) -> Country {
        self.citizenship
    }
    /// Date of birth.
    pub fn date_of_birth(&self) -> Date {
        self.date_of_birth
    }
    /// Sex.
    pub fn sex(&self) -> Sex {
        self.sex
    }
    /// The invitation the visa was granted on.
    pub fn invitation_number(&self) -> &InvitationNumber {
        &self.invitation_number
    }
    /// When the visa was signed (whole seconds, UTC).
    pub fn issued_at(&self) -> OffsetDateTime {
        self.issued_at
    }

    /// The holder's full MRZ name, `SURNAME GIVEN NAMES`.
    pub fn full_name(&self) -> String {
        match &self.given_names {
            Some(given) => format!("{} {}", self.surname.as_str(), given.as_str()),
            None => self.surname.as_str().to_owned(),
        }
    }

    /// The holder's full native-script name, if given.
    pub fn full_name_native(&self) -> Option<String> {
        let surname = self.surname_native.as_ref()?;
        Some(match &self.given_names_native {
            Some(given) => format!("{} {}", surname.as_str(), given.as_str()),
            None => surname.as_str().to_owned(),
        })
    }

    /// The loose form of this visa, for JSON output.
    pub fn to_draft(&self) -> VisaDraft {
        VisaDraft {
            visa_number: self.number.0.clone(),
            category: self.category.as_str().to_owned(),
            entries: self.entries.as_str().to_owned(),
            valid_from: self.valid_from.to_string(),
            valid_until: self.valid_until.to_string(),
            duration_of_stay: self.stay_days.into(),
            ports: self.ports.iter().map(|p| p.code().to_owned()).collect(),
            surname: self.surname.0.clone(),
            given_names: self.given_names.as_ref().map(|n| n.0.clone()),
            surname_native: self.surname_native.as_ref().map(|n| n.0.clone()),
            given_names_native: self.given_names_native.as_ref().map(|n| n.0.clone()),
            passport_number: self.passport_number.0.clone(),
            citizenship: self.citizenship.to_string(),
            date_of_birth: self.date_of_birth.to_string(),
            sex: self.sex.as_str().to_owned(),
            invitation_number: self.invitation_number.0.clone(),
            issued_at: self
                .issued_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        }
    }
}

/// A visa as loose JSON: every field a string (or number, or list), checked only by
/// [`VisaDraft::into_visa`]. The field names are the ones `docs/visa-token.md` documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisaDraft {
    /// Up to 9 capital letters and digits.
    pub visa_number: String,
    /// `business`, `tourist` or `treatment`.
    pub category: String,
    /// `single` or `double`.
    pub entries: String,
    /// `YYYY-MM-DD`, Kazakhstan time.
    pub valid_from: String,
    /// `YYYY-MM-DD`, Kazakhstan time, inclusive.
    pub valid_until: String,
    /// Days, 1–90.
    pub duration_of_stay: u32,
    /// `NQZ` and/or `ALA`.
    pub ports: Vec<String>,
    /// MRZ surname.
    pub surname: String,
    /// MRZ given names; absent or empty when the holder has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_names: Option<String>,
    /// Native-script surname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surname_native: Option<String>,
    /// Native-script given names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_names_native: Option<String>,
    /// Passport number.
    pub passport_number: String,
    /// ISO 3166-1 alpha-3.
    pub citizenship: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// `F`, `M` or `X`.
    pub sex: String,
    /// Invitation number.
    pub invitation_number: String,
    /// RFC 3339 time of issue, like `2026-11-25T09:30:00Z`; fractions of a second are dropped.
    pub issued_at: String,
}

impl VisaDraft {
    /// Checks every field and the rules across them.
    pub fn into_visa(self) -> Result<Visa, VisaError> {
        fn field<T>(name: &'static str, r: Result<T, FieldError>) -> Result<T, VisaError> {
            r.map_err(|error| VisaError::Field { field: name, error })
        }
        fn optional<T>(
            name: &'static str,
            text: Option<&str>,
            parse: fn(&str) -> Result<T, FieldError>,
        ) -> Result<Option<T>, VisaError> {
            match text.map(str::trim) {
                None | Some("") => Ok(None),
                Some(t) => field(name, parse(t)).map(Some),
            }
        }
        let issued_at = field(
            "issued_at",
            OffsetDateTime::parse(
                self.issued_at.trim(),
                &time::format_description::well_known::Rfc3339,
            )
            .map_err(|_| FieldError::Format("a time is written like 2026-11-25T09:30:00Z")),
        )?;
        let issued_at = issued_at
            .to_offset(UtcOffset::UTC)
            .replace_nanosecond(0)
            .unwrap_or(issued_at);
        let stay_days = u16::try_from(self.duration_of_stay)
            .ok()
            .filter(|d| (1..=MAX_STAY_DAYS).contains(d));
        let stay_days = field(
            "duration_of_stay",
            stay_days.ok_or(FieldError::Range {
                min: 1,
                max: i64::from(MAX_STAY_DAYS),
            }),
        )?;
        Visa::new(VisaFields {
            number: field("visa_number", VisaNumber::parse(&self.visa_number))?,
            category: field("category", Category::parse(&self.category))?,
            entries: field("entries", Entries::parse(&self.entries))?,
            valid_from: field("valid_from", parse_date(&self.valid_from))?,
            valid_until: field("valid_until", parse_date(&self.valid_until))?,
            stay_days,
            ports: field("ports", Ports::parse(&self.ports))?,
            surname: field("surname", MrzName::parse(&self.surname))?,
            given_names: optional("given_names", self.given_names.as_deref(), MrzName::parse)?,
            surname_native: optional(
                "surname_native",
                self.surname_native.as_deref(),
                NativeName::parse,
            )?,
            given_names_native: optional(
                "given_names_native",
                self.given_names_native.as_deref(),
                NativeName::parse,
            )?,
            passport_number: field(
                "passport_number",
                PassportNumber::parse(&self.passport_number),
            )?,
            citizenship: field(
                "citizenship",
                Country::parse(self.citizenship.trim()).map_err(FieldError::from),
            )?,
            date_of_birth: field("date_of_birth", parse_date(&self.date_of_birth))?,
            sex: field("sex", Sex::parse(&self.sex))?,
            invitation_number: field(
                "invitation_number",
                InvitationNumber::parse(&self.invitation_number),
            )?,
            issued_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> VisaDraft {
        crate::token::tests::sample_draft()
    }

    fn check(change: impl FnOnce(&mut VisaDraft), expected: &str) {
        let mut d = draft();
        change(&mut d);
        let got = d
            .into_visa()
            .map(|_| "ok".to_owned())
            .unwrap_or_else(|e| e.to_string());
        assert_eq!(got, expected);
    }

    #[test]
    fn a_complete_draft_becomes_a_visa_and_back() {
        let visa = draft().into_visa().expect("valid draft");
        assert_eq!(visa.full_name(), "ERIKSSON ANNA MARIA");
        assert_eq!(
            visa.full_name_native().as_deref(),
            Some("Эрикссон Анна Мария")
        );
        assert_eq!(visa.to_draft(), draft());
    }

    #[test]
    fn each_rule_is_refused_with_a_clear_reason() {
        check(|_| {}, "ok");
        check(
            |d| d.surname = " ".into(),
            "surname: this field is required",
        );
        check(
            |d| d.surname = "Éric".into(),
            "surname: use the Latin letters A-Z exactly as in the passport's machine-readable zone",
        );
        check(
            |d| d.surname = "o'neil".into(),
            "surname: use the Latin letters A-Z exactly as in the passport's machine-readable zone",
        );
        check(|d| d.surname = "van  der<berg".into(), "ok");
        check(|d| d.given_names = None, "ok");
        check(
            |d| d.citizenship = "XYZ".into(),
            "citizenship: XYZ is not an ISO 3166-1 alpha-3 country code",
        );
        check(
            |d| d.date_of_birth = "2027-01-01".into(),
            "date_of_birth (2027-01-01) is in the future",
        );
        check(
            |d| d.date_of_birth = "1890-01-01".into(),
            "date_of_birth (1890-01-01) is more than 130 years ago",
        );
        check(
            |d| d.date_of_birth = "1974-02-30".into(),
            "date_of_birth: no such date",
        );
        check(
            |d| d.date_of_birth = "12.08.1974".into(),
            "date_of_birth: a date is written YYYY-MM-DD",
        );
        check(
            |d| d.valid_until = "2026-11-30".into(),
            "valid_until (2026-11-30) is before valid_from (2026-12-01)",
        );
        check(
            |d| d.valid_from = "2026-11-24".into(),
            "valid_from (2026-11-24) is before the issuing date (2026-11-25)",
        );
        check(
            |d| d.valid_until = "2027-12-01".into(),
            "the validity period is longer than 180 days",
        );
        check(
            |d| d.duration_of_stay = 0,
            "duration_of_stay: must be between 1 and 90",
        );
        check(
            |d| d.valid_until = "2026-12-10".into(),
            "a stay of 30 days does not fit in a validity period of 10 days",
        );
        check(
            |d| d.entries = "double".into(),
            "a business e-visa is single-entry",
        );
        check(
            |d| d.category = "transit".into(),
            "category: the e-visa categories are business, tourist and treatment",
        );
        check(|d| d.ports = vec![], "ports: this field is required");
        check(
            |d| d.ports = vec!["TSE".into()],
            "ports: e-visa holders enter only through Astana (NQZ) or Almaty (ALA)",
        );
        check(|d| d.passport_number = "L898 902c3".into(), "ok");
        check(
            |d| d.passport_number = "L8989020C3".into(),
            "passport_number: at most 9 characters",
        );
        check(
            |d| d.visa_number = "kz1".into(),
            "visa_number: only Latin capital letters and digits",
        );
        check(|d| d.sex = "female".into(), "sex: sex is F, M or X");
        check(
            |d| d.surname_native = None,
            "given_names_native needs surname_native",
        );
        check(
            |d| d.surname_native = Some("Ahmed\u{202e}".into()),
            "surname_native: letters only, with spaces, hyphens or apostrophes between words",
        );
        check(|d| d.surname_native = Some("ҚОЖАХМЕТ ӘБІЛҰЛЫ".into()), "ok");
        check(
            |d| d.issued_at = "yesterday".into(),
            "issued_at: a time is written like 2026-11-25T09:30:00Z",
        );
    }

    #[test]
    fn the_issuing_date_is_the_date_in_kazakhstan() {
        // 20:00 UTC on the 24th is already the 25th in Astana, so a visa valid from the 25th is fine.
        check(
            |d| {
                d.issued_at = "2026-11-24T20:00:00Z".into();
                d.valid_from = "2026-11-25".into();
            },
            "ok",
        );
    }
}
