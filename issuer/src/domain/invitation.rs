//! Invitations from the Kazakh side: who invites (an organisation with a BIN or a person with an
//! IIN), whom, for what, where the guest will stay, and for how long.

use serde::{Deserialize, Serialize};
use shared::visa::{FieldError, InvitationNumber, MrzName, PassportNumber, parse_date};
use shared::{Category, Country};
use time::Date;

use super::inviter::InviterState;
use super::problem::{Problem, Problems};
use super::taxid::{PartyKind, TaxId};

/// The longest free text (purpose, address parts, organisation name) the portal stores.
pub const MAX_TEXT_CHARS: usize = 120;

/// A registered inviting party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inviter {
    /// Database id.
    pub id: i64,
    /// Organisation or individual.
    pub kind: PartyKind,
    /// BIN or IIN.
    pub tax_id: TaxId,
    /// Name of the organisation or the person.
    pub name: String,
    /// A brief description shown to applicants.
    pub description: String,
    /// Whether an officer has verified it.
    pub state: InviterState,
    /// The name as it was when an officer verified the party: what a visa prints.
    pub verified_name: Option<String>,
}

/// An inviting party's registration form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct InviterForm {
    /// `organisation` or `individual`.
    pub kind: String,
    /// BIN or IIN.
    pub tax_id: String,
    /// Name.
    pub name: String,
    /// Brief description.
    pub description: String,
}

/// A checked inviting party, not yet stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInviter {
    /// Organisation or individual.
    pub kind: PartyKind,
    /// BIN or IIN, checked against the kind.
    pub tax_id: TaxId,
    /// Name.
    pub name: String,
    /// Brief description.
    pub description: String,
}

/// A stored invitation with its inviting party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// Database id.
    pub id: i64,
    /// The number the applicant types.
    pub number: InvitationNumber,
    /// Who invites.
    pub inviter: Inviter,
    /// The guest, as registered by the inviter.
    pub guest: Guest,
    /// Purpose of the visit.
    pub purpose: String,
    /// Planned address of stay.
    pub address: Address,
    /// First day the guest may come.
    pub valid_from: Date,
    /// Last day of the visit.
    pub valid_until: Date,
    /// Planned length of stay in days.
    pub stay_days: u16,
}

/// The invited person, the fields the application must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest {
    /// MRZ surname.
    pub surname: MrzName,
    /// MRZ given names.
    pub given_names: Option<MrzName>,
    /// Passport number.
    pub passport_number: PassportNumber,
    /// Citizenship.
    pub citizenship: Country,
    /// Date of birth.
    pub date_of_birth: Date,
    /// Visa category.
    pub category: Category,
}

/// Planned address of stay in Kazakhstan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// City (and district).
    pub city: String,
    /// Street.
    pub street: String,
    /// House.
    pub house: String,
}

/// The invitation form of an inviting party, as posted.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct InvitationForm {
    /// MRZ surname.
    pub surname: String,
    /// MRZ given names.
    pub given_names: String,
    /// Passport number.
    pub passport_number: String,
    /// ISO alpha-3.
    pub citizenship: String,
    /// YYYY-MM-DD.
    pub date_of_birth: String,
    /// business, tourist, treatment.
    pub category: String,
    /// Purpose of the visit.
    pub purpose: String,
    /// City.
    pub city: String,
    /// Street.
    pub street: String,
    /// House.
    pub house: String,
    /// YYYY-MM-DD.
    pub valid_from: String,
    /// YYYY-MM-DD.
    pub valid_until: String,
    /// Days.
    pub stay_days: String,
}

/// A checked invitation, not yet stored (the number is given when it is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    /// The guest.
    pub guest: Guest,
    /// Purpose.
    pub purpose: String,
    /// Address of stay.
    pub address: Address,
    /// First day.
    pub valid_from: Date,
    /// Last day.
    pub valid_until: Date,
    /// Stay in days.
    pub stay_days: u16,
}

/// Parses a required single-line free text: trimmed, no control characters, bounded.
pub fn parse_text(text: &str, max: usize) -> Result<String, FieldError> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(FieldError::Missing);
    }
    if text.chars().count() > max {
        return Err(FieldError::TooLong { max });
    }
    if text.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err(FieldError::Format(shared::visa::FormatError::PlainText));
    }
    Ok(text)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// Records a field's parse result: the value, or the problem under the field's name.
pub fn field<T, E: Into<Problem>>(
    problems: &mut Problems,
    name: &'static str,
    result: Result<T, E>,
) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(error) => {
            problems.insert(name, error.into());
            None
        }
    }
}

/// Parses an optional field: empty is `None`.
pub fn optional<T>(
    problems: &mut Problems,
    name: &'static str,
    text: &str,
    parse: fn(&str) -> Result<T, FieldError>,
) -> Option<Option<T>> {
    if text.trim().is_empty() {
        return Some(None);
    }
    field(problems, name, parse(text)).map(Some)
}

impl InviterForm {
    /// Checks the form.
    pub fn parse(&self) -> Result<NewInviter, Problems> {
        let mut p = Problems::new();
        let kind = match PartyKind::parse(self.kind.trim()) {
            Some(kind) => Some(kind),
            None => {
                p.insert("kind", Problem::Field(FieldError::Missing));
                None
            }
        };
        let tax_id = kind.and_then(|kind| {
            field(
                &mut p,
                "tax_id",
                TaxId::parse_for(&self.tax_id, kind).map_err(Problem::TaxId),
            )
        });
        let name = field(&mut p, "name", parse_text(&self.name, MAX_TEXT_CHARS));
        let description = field(&mut p, "description", parse_text(&self.description, 300));
        match (kind, tax_id, name, description) {
            (Some(kind), Some(tax_id), Some(name), Some(description)) if p.is_empty() => {
                Ok(NewInviter {
                    kind,
                    tax_id,
                    name,
                    description,
                })
            }
            _ => Err(p),
        }
    }
}

impl InvitationForm {
    /// Checks the form; `today` is the date in Kazakhstan.
    pub fn parse(&self, today: Date) -> Result<NewInvitation, Problems> {
        let mut p = Problems::new();
        let surname = field(&mut p, "surname", MrzName::parse(&self.surname));
        let given_names = optional(&mut p, "given_names", &self.given_names, MrzName::parse);
        let passport_number = field(
            &mut p,
            "passport_number",
            PassportNumber::parse(&self.passport_number),
        );
        let citizenship = field(
            &mut p,
            "citizenship",
            Country::parse(&self.citizenship.trim().to_ascii_uppercase()).map_err(FieldError::from),
        );
        let date_of_birth = field(&mut p, "date_of_birth", parse_date(&self.date_of_birth));
        if date_of_birth.is_some_and(|d| d >= today) {
            p.insert("date_of_birth", Problem::BirthInFuture);
        }
        let category = field(&mut p, "category", Category::parse(&self.category));
        let purpose = field(&mut p, "purpose", parse_text(&self.purpose, MAX_TEXT_CHARS));
        let city = field(&mut p, "city", parse_text(&self.city, MAX_TEXT_CHARS));
        let street = field(&mut p, "street", parse_text(&self.street, MAX_TEXT_CHARS));
        let house = field(&mut p, "house", parse_text(&self.house, 20));
        let valid_from = field(&mut p, "valid_from", parse_date(&self.valid_from));
        let valid_until = field(&mut p, "valid_until", parse_date(&self.valid_until));
        let stay_days = field(
            &mut p,
            "stay_days",
            self.stay_days
                .trim()
                .parse::<u16>()
                .ok()
                .filter(|d| (1..=shared::visa::MAX_STAY_DAYS).contains(d))
                .ok_or(FieldError::Range {
                    min: 1,
                    max: i64::from(shared::visa::MAX_STAY_DAYS),
                }),
        );
        if valid_from.is_some_and(|from| from < today) {
            p.insert("valid_from", Problem::DateInPast);
        }
        if let (Some(from), Some(until), Some(stay)) = (valid_from, valid_until, stay_days) {
            let period = (until - from).whole_days() + 1;
            if !(1..=shared::visa::MAX_VALIDITY_DAYS).contains(&period) || i64::from(stay) > period
            {
                p.insert("valid_until", Problem::Period);
            }
        }
        match (
            surname,
            given_names,
            passport_number,
            citizenship,
            date_of_birth,
            category,
            purpose,
            city,
            street,
            house,
            valid_from,
            valid_until,
            stay_days,
        ) {
            (
                Some(surname),
                Some(given_names),
                Some(passport_number),
                Some(citizenship),
                Some(date_of_birth),
                Some(category),
                Some(purpose),
                Some(city),
                Some(street),
                Some(house),
                Some(valid_from),
                Some(valid_until),
                Some(stay_days),
            ) if p.is_empty() => Ok(NewInvitation {
                guest: Guest {
                    surname,
                    given_names,
                    passport_number,
                    citizenship,
                    date_of_birth,
                    category,
                },
                purpose,
                address: Address {
                    city,
                    street,
                    house,
                },
                valid_from,
                valid_until,
                stay_days,
            }),
            _ => Err(p),
        }
    }
}

impl Inviter {
    /// The name applicants see and a visa prints: the one an officer verified, never one typed
    /// later (the submitted name until the party is verified).
    pub fn shown_name(&self) -> &str {
        self.verified_name.as_deref().unwrap_or(&self.name)
    }
}

impl Guest {
    /// The full MRZ name.
    pub fn full_name(&self) -> String {
        match &self.given_names {
            Some(given) => format!("{} {}", self.surname.as_str(), given.as_str()),
            None => self.surname.as_str().to_owned(),
        }
    }
}
