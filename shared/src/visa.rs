//! What an e-visa is: typed, validated values for everything the printout and the QR code carry.
//!
//! Every field type has a `parse` that is the only way to make it, so a [`Visa`] in hand is always
//! one that ICAO Doc 9303 and the issuing rules accept. [`VisaDraft`] is the loose, serialisable
//! form (JSON for `issuer sign`, form fields in the portal) that becomes a `Visa` in one step.
//!
//! The field types live in `fields`, their errors in `error`, the loose form in `draft`; all are
//! re-exported here, so users name them `shared::visa::X`.

mod draft;
mod error;
mod fields;

use time::{Date, Duration, OffsetDateTime, UtcOffset};

use crate::country::Country;

pub use draft::VisaDraft;
pub use error::{FieldError, FormatError, VisaError};
pub use fields::{
    Category, Entries, InvitationNumber, MrzName, NativeName, PassportNumber, Port, Ports, Sex,
    VisaNumber, parse_date,
};

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

impl Visa {
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
}

#[cfg(test)]
mod tests;
