//! What visa a paid application gets: the invitation's period (from today at the earliest),
//! single entry, both airports, the holder's data as in the application.

use shared::visa::{VisaError, VisaFields, VisaNumber};
use shared::{Entries, Ports, Visa};
use time::OffsetDateTime;

use super::application::Application;

/// The visa an application gets: the invitation's period (from today at the earliest), single
/// entry, both airports, the holder's data as in the application.
pub fn visa_for(app: &Application, number: &str, now: OffsetDateTime) -> Result<Visa, VisaError> {
    let a = &app.applicant;
    let inv = &app.invitation;
    let issued_at = now.replace_nanosecond(0).unwrap_or(now);
    let today = shared::kazakhstan_date(issued_at);
    let valid_from = inv.valid_from.max(today);
    let period = (inv.valid_until - valid_from).whole_days() + 1;
    let stay_days =
        u16::try_from(period.clamp(1, i64::from(inv.stay_days))).unwrap_or(inv.stay_days);
    Visa::new(VisaFields {
        number: VisaNumber::parse(number).map_err(|error| VisaError::Field {
            field: "visa_number",
            error,
        })?,
        category: a.category,
        entries: Entries::Single,
        valid_from,
        valid_until: inv.valid_until,
        stay_days,
        ports: Ports::BOTH,
        surname: a.surname.clone(),
        given_names: a.given_names.clone(),
        surname_native: a.surname_native.clone(),
        given_names_native: a.given_names_native.clone(),
        passport_number: a.passport_number.clone(),
        citizenship: a.citizenship,
        date_of_birth: a.date_of_birth,
        sex: a.sex,
        invitation_number: a.invitation_number.clone(),
        issued_at: issued_at.to_offset(time::UtcOffset::UTC),
    })
}

/// What an issuance attempt did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueOutcome {
    /// A visa was signed now, with this number.
    Issued(String),
    /// The application has its visa already.
    AlreadyIssued,
    /// The holder matches this stop-list entry: the application waits for an officer.
    Held(i64),
    /// The application may not be signed (not paid, or its data no longer fits).
    Refused(String),
}
