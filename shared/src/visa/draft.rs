//! The loose, serialisable form of a visa (JSON for `issuer sign`, the claims' field names) and
//! the one step that turns it into a checked [`Visa`].

use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, UtcOffset};

use super::{
    Category, Entries, FieldError, FormatError, InvitationNumber, MAX_STAY_DAYS, MrzName,
    NativeName, PassportNumber, Ports, Sex, Visa, VisaError, VisaFields, VisaNumber, parse_date,
};
use crate::country::Country;

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
            .map_err(|_| FieldError::Format(FormatError::TimeShape)),
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

impl Visa {
    /// The loose form of this visa, for JSON output.
    pub fn to_draft(&self) -> VisaDraft {
        VisaDraft {
            visa_number: self.number.as_str().to_owned(),
            category: self.category.as_str().to_owned(),
            entries: self.entries.as_str().to_owned(),
            valid_from: self.valid_from.to_string(),
            valid_until: self.valid_until.to_string(),
            duration_of_stay: self.stay_days.into(),
            ports: self.ports.iter().map(|p| p.code().to_owned()).collect(),
            surname: self.surname.as_str().to_owned(),
            given_names: self.given_names.as_ref().map(|n| n.as_str().to_owned()),
            surname_native: self.surname_native.as_ref().map(|n| n.as_str().to_owned()),
            given_names_native: self
                .given_names_native
                .as_ref()
                .map(|n| n.as_str().to_owned()),
            passport_number: self.passport_number.as_str().to_owned(),
            citizenship: self.citizenship.to_string(),
            date_of_birth: self.date_of_birth.to_string(),
            sex: self.sex.as_str().to_owned(),
            invitation_number: self.invitation_number.as_str().to_owned(),
            issued_at: self
                .issued_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        }
    }
}
