//! The JSON API's wire types: the bodies clients send and receive, each deriving its schema for
//! the OpenAPI document, and their conversions to and from the domain types. A constraint written
//! here is one the server enforces; `openapi.rs`'s tests hold each bound to the domain's parsers.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use shared::visa::FieldError;
use shared::{Category, Country, Sex};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::domain::account::{NewAccount, SignupForm};
use crate::domain::application::{Application, ApplicationForm, ApplicationStatus};
use crate::domain::invitation::MAX_TEXT_CHARS;
use crate::domain::problem::{Problem, Problems};
use crate::domain::taxid::PartyKind;
use crate::i18n::Lang;

/// The longest e-mail address the API takes, in characters as sent.
pub const MAX_EMAIL_CHARS: usize = 254;

/// The characters Rust's `char::is_whitespace` knows, which the server trims and collapses, as
/// the body of a regular-expression class (the same in ECMA-262 and Python, unlike `\s`).
const SPACE: &str = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
/// Control characters that are not white space, and the bidirectional controls: free text
/// refuses them.
const FORBIDDEN: &str =
    r"\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069";
/// Printable ASCII without `@`; and the same without `.`.
const EMAIL_CHAR: &str = r"\x21-\x3f\x41-\x7e";
const EMAIL_EDGE: &str = r"\x21-\x2d\x2f-\x3f\x41-\x7e";

// ---------------------------------------------------------------- requests
//
// A missing field reads as empty, so it is reported under its name as `required` rather than as
// bad JSON. The default is set per field: on the struct, utoipa would print it as each field's
// default value, which the required fields do not have.

/// `POST /accounts`: a new applicant account.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"email": "anna@example.com", "full_name": "Anna Eriksson", "password": "correct horse battery"}))]
pub struct SignupRequest {
    /// The address to log in with.
    #[schema(value_type = EmailAddress, required = true)]
    #[serde(default)]
    pub email: String,
    /// The name to address the applicant by.
    #[schema(value_type = FreeText, required = true)]
    #[serde(default)]
    pub full_name: String,
    /// 12 to 128 characters, no control characters, not one of the 10,000 most common
    /// passwords and not easy to guess (zxcvbn score 3 or more, the e-mail and name counted).
    #[schema(min_length = 12, max_length = 128, required = true)]
    #[serde(default)]
    pub password: String,
}

/// `POST /sessions`: log in.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// The account's e-mail address (or the IIN or BIN of an inviting party); case and
    /// surrounding spaces do not matter.
    #[schema(required = true, example = "anna@example.com")]
    #[serde(default)]
    pub identifier: String,
    /// The password.
    #[schema(required = true, example = "correct horse battery")]
    #[serde(default)]
    pub password: String,
}

/// `POST /applications`: Step 1, the applicant's data as in the passport, checked against the
/// invitation. The server also takes lower-case letters where capitals are shown and ignores
/// surrounding spaces; it answers with the normalised values.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({
    "invitation_number": "INV-DEMO-0001", "category": "tourist", "surname": "ERIKSSON",
    "given_names": "ANNA MARIA", "surname_native": "Эрикссон", "sex": "F",
    "date_of_birth": "1974-08-12", "citizenship": "SWE", "passport_number": "L898902C3",
    "passport_expiry": "2035-06-30", "with_children": "no"
}))]
pub struct ApplicationRequest {
    /// The invitation's number, from the inviting party.
    #[schema(required = true, pattern = "^[A-Z0-9-]{4,20}$", max_length = 20)]
    #[serde(default)]
    pub invitation_number: String,
    /// The visa category; must be the invitation's.
    #[schema(required = true, value_type = CategoryName)]
    #[serde(default)]
    pub category: String,
    /// Surname in Latin letters as in the passport's machine-readable zone (`<` is read as a
    /// space).
    #[schema(required = true, pattern = "^[A-Z]+(?: [A-Z]+)*$", max_length = 39)]
    #[serde(default)]
    pub surname: String,
    /// Given names in Latin letters as in the machine-readable zone; empty if the passport
    /// shows none.
    #[schema(pattern = "^(?:[A-Z]+(?: [A-Z]+)*)?$", max_length = 39)]
    #[serde(default)]
    pub given_names: String,
    /// Surname in the passport's own script, if it shows one: letters of any script, with
    /// spaces, hyphens, apostrophes or full stops between them, starting with a letter.
    #[schema(max_length = 39)]
    #[serde(default)]
    pub surname_native: String,
    /// Given names in the passport's own script (needs `surname_native`).
    #[schema(max_length = 39)]
    #[serde(default)]
    pub given_names_native: String,
    /// Sex as in the passport (`<` is read as `X`).
    #[schema(required = true, value_type = SexCode)]
    #[serde(default)]
    pub sex: String,
    /// Date of birth, before today.
    #[schema(required = true, format = Date)]
    #[serde(default)]
    pub date_of_birth: String,
    /// Citizenship.
    #[schema(required = true, value_type = CountryCode)]
    #[serde(default)]
    pub citizenship: String,
    /// Passport number: capital letters and digits (spaces are dropped).
    #[schema(required = true, pattern = "^[A-Z0-9]{1,9}$", max_length = 9)]
    #[serde(default)]
    pub passport_number: String,
    /// Passport expiry: today or later, and not before the invitation's last day.
    #[schema(required = true, format = Date)]
    #[serde(default)]
    pub passport_expiry: String,
    /// Travelling together with children: e-visas are not issued then, so only `no` is taken.
    #[schema(required = true, value_type = WithChildren)]
    #[serde(default)]
    pub with_children: String,
}

/// `POST /applications/{id}/confirm`: the applicant confirms the accuracy of the data.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ConfirmRequest {
    /// Must be `true`, as the ticked box of the confirmation page.
    #[schema(required = true, schema_with = always_true)]
    #[serde(default)]
    pub confirm: bool,
}

// ---------------------------------------------------------------- responses

/// The answer to a sign-up: the same whether or not the address already had an account, so it
/// tells nobody which addresses are registered. A new address gets an account and a mail with a
/// link to confirm it; the holder of an existing one gets a mail saying someone tried.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignupAccepted {
    /// The address, lower-cased.
    #[schema(value_type = EmailAddress)]
    pub email: String,
    /// What happens next.
    #[schema(example = "if this address can be registered, a link to confirm it was mailed to it")]
    pub message: String,
}

/// A bearer token for the other endpoints.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenIssued {
    /// Send as `Authorization: Bearer <token>`.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub token: String,
    /// Always `Bearer`.
    pub token_type: TokenType,
    /// Seconds until the token ends.
    #[schema(minimum = 1)]
    pub expires_in: i64,
}

/// The kind of token.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum TokenType {
    /// RFC 6750.
    Bearer,
}

/// The caller's applications, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationList {
    /// The applications.
    pub applications: Vec<ApplicationView>,
}

/// An application as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationView {
    /// The application's id, used in its paths.
    #[schema(pattern = "^[0-9a-f]{32}$")]
    pub id: String,
    /// Where it stands.
    pub status: StatusName,
    /// The status in words (English).
    pub status_text: String,
    /// When it was made.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// The portal page of the next step.
    pub next: String,
    /// The visa, once issued.
    pub visa: Option<VisaLink>,
    /// The applicant's data, normalised.
    pub applicant: ApplicantView,
    /// Who invites.
    pub inviting_party: InvitingParty,
    /// The visit the invitation is for.
    pub visit: Visit,
    /// Where the applicant will stay.
    pub planned_address: PlannedAddress,
}

/// An issued visa.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisaLink {
    /// The visa number.
    #[schema(pattern = "^[A-Z0-9]{1,9}$")]
    pub number: String,
    /// The portal path of the printout (needs the portal's login).
    pub pdf: String,
}

/// The applicant's data as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicantView {
    /// Invitation number.
    #[schema(pattern = "^[A-Z0-9-]{4,20}$")]
    pub invitation_number: String,
    /// Category.
    pub category: CategoryName,
    /// MRZ surname.
    #[schema(pattern = "^[A-Z]+(?: [A-Z]+)*$", max_length = 39)]
    pub surname: String,
    /// MRZ given names; empty if none.
    #[schema(pattern = "^(?:[A-Z]+(?: [A-Z]+)*)?$", max_length = 39)]
    pub given_names: String,
    /// Native-script surname; empty if none.
    #[schema(max_length = 39)]
    pub surname_native: String,
    /// Native-script given names; empty if none.
    #[schema(max_length = 39)]
    pub given_names_native: String,
    /// Sex.
    pub sex: SexCode,
    /// Date of birth.
    #[schema(format = Date)]
    pub date_of_birth: String,
    /// Citizenship.
    #[schema(value_type = CountryCode)]
    pub citizenship: String,
    /// Passport number.
    #[schema(pattern = "^[A-Z0-9]{1,9}$")]
    pub passport_number: String,
    /// Passport expiry.
    #[schema(format = Date)]
    pub passport_expiry: String,
    /// Always `no`.
    pub with_children: WithChildren,
}

/// The inviting party.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitingParty {
    /// Organisation (with a BIN) or individual (with an IIN).
    pub kind: PartyKindName,
    /// BIN or IIN.
    #[schema(pattern = "^[0-9]{12}$")]
    pub bin_iin: String,
    /// Name.
    pub name: String,
    /// What the party does.
    pub description: String,
}

/// The visit of the invitation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Visit {
    /// Purpose.
    pub purpose: String,
    /// First day the guest may come.
    #[schema(format = Date)]
    pub valid_from: String,
    /// Last day of the visit.
    #[schema(format = Date)]
    pub valid_until: String,
    /// Planned length of stay.
    #[schema(minimum = 1, maximum = 90)]
    pub stay_days: u16,
}

/// The planned address of stay.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedAddress {
    /// City (and district).
    pub city: String,
    /// Street.
    pub street: String,
    /// House.
    pub house: String,
}

/// An error: a code for programs, a message for people, and for invalid input a reason per field.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorCode,
    /// The same in English words.
    pub message: String,
    /// For `invalid_fields` (and `email_taken`'s field): the reason per field name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldProblem>,
}

/// Why one field was refused.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// A stable code such as `required`, `too_long`, `format`, `unknown_country`,
    /// `differs_from_invitation`, `inviter_not_verified`.
    #[schema(pattern = "^[a-z_]+$")]
    pub code: String,
    /// The reason in English words.
    pub message: String,
}

/// The codes of [`ErrorBody`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not JSON, or a value has the wrong JSON type.
    BadJson,
    /// The body is larger than the server reads.
    TooLarge,
    /// The body is not sent as `application/json`.
    UnsupportedMediaType,
    /// No valid bearer token.
    Unauthorized,
    /// Wrong identifier or password.
    WrongCredentials,
    /// Too many log-ins or sign-ups for this account or address: see `Retry-After`.
    TooManyAttempts,
    /// Every password check (or every printout reader) is busy: see `Retry-After`.
    Busy,
    /// Some fields are invalid; see `fields`.
    InvalidFields,
    /// No such endpoint, or no such application of the caller.
    NotFound,
    /// A failure on the server's side.
    Internal,
    /// The upload is not a picture or PDF the check reads, or it is damaged or empty.
    NotAPicture,
    /// The picture has more pixels than any scan or photo.
    TooManyPixels,
    /// A PDF that this portal did not make: a photo or scan is needed instead.
    ForeignPdf,
    /// Too many checks from this address; wait a minute.
    TooManyRequests,
}

// ---------------------------------------------------------------- value types

/// A visa category.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CategoryName {
    /// Business.
    Business,
    /// Tourist.
    Tourist,
    /// Medical treatment.
    Treatment,
}

/// Sex as in the passport.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum SexCode {
    /// Female.
    F,
    /// Male.
    M,
    /// Unspecified.
    X,
}

/// Whether the applicant travels together with children; only `no` is taken.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WithChildren {
    /// Travelling without children.
    No,
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusName {
    /// Step 1 saved; the data is not confirmed yet.
    Draft,
    /// Confirmed; the state duty is not paid yet.
    Submitted,
    /// Paid; the visa is being issued.
    Paid,
    /// Paid; held for review by the migration service (no reason is given).
    #[serde(rename = "under_review")]
    UnderReview,
    /// Paid; refused by the migration service after review (no visa, no refund).
    Refused,
    /// The visa is issued.
    Issued,
}

/// The kind of inviting party.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PartyKindName {
    /// An organisation, with a BIN.
    Organisation,
    /// An individual, with an IIN.
    Individual,
}

/// An e-mail address as the API takes it: ASCII (an internationalised domain in its `xn--`
/// form), `local@domain` with a dot inside the domain, no spaces; surrounding spaces are ignored
/// and capitals are lowered.
#[derive(Debug)]
pub enum EmailAddress {}

/// A single line of free text: at least one visible character, no control or bidirectional
/// control characters; runs of spaces count as one and surrounding spaces are dropped.
#[derive(Debug)]
pub enum FreeText {}

/// An ISO 3166-1 alpha-3 country code.
#[derive(Debug)]
pub enum CountryCode {}

impl PartialSchema for EmailAddress {
    fn schema() -> RefOr<Schema> {
        let pattern = format!(
            "^[{SPACE}]*[{EMAIL_CHAR}]+@[{EMAIL_EDGE}][{EMAIL_CHAR}]*\\.[{EMAIL_CHAR}]*[{EMAIL_EDGE}][{SPACE}]*$"
        );
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "ASCII (an internationalised domain in its xn-- form): local@domain with a dot \
                 inside the domain, no spaces; surrounding spaces are ignored, capitals lowered",
            ))
            .max_length(Some(MAX_EMAIL_CHARS))
            .pattern(Some(pattern))
            .examples(["anna@example.com"])
            .into()
    }
}

impl ToSchema for EmailAddress {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("EmailAddress")
    }
}

impl PartialSchema for FreeText {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "One line of text: at least one visible character, no control or bidirectional \
                 control characters; runs of spaces count as one, surrounding spaces are dropped",
            ))
            .max_length(Some(MAX_TEXT_CHARS))
            .pattern(Some(format!(
                "^[^{FORBIDDEN}]*[^{FORBIDDEN}{SPACE}][^{FORBIDDEN}]*$"
            )))
            .examples(["Anna Eriksson"])
            .into()
    }
}

impl ToSchema for FreeText {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("FreeText")
    }
}

impl PartialSchema for CountryCode {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("ISO 3166-1 alpha-3 (lower case is raised)"))
            .enum_values(Some(country_codes()))
            .examples(["SWE"])
            .into()
    }
}

impl ToSchema for CountryCode {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("CountryCode")
    }
}

/// Every code `shared`'s country parser takes, found by asking it about each of the 17,576
/// three-letter codes, so the list cannot drift from the parser.
pub fn country_codes() -> Vec<String> {
    let letters = b'A'..=b'Z';
    letters
        .clone()
        .flat_map(|a| {
            letters
                .clone()
                .flat_map(move |b| (b'A'..=b'Z').map(move |c| [a, b, c]))
        })
        .filter_map(|code| {
            let code = String::from_utf8_lossy(&code).into_owned();
            Country::parse(&code).ok().map(|_| code)
        })
        .collect()
}

fn always_true() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .enum_values(Some([true]))
        .into()
}

// ---------------------------------------------------------------- conversions

impl SignupRequest {
    /// Checks the sign-up: the domain's rules, and the API's own (an ASCII e-mail address, and
    /// lengths counted as sent, as the schema counts them).
    pub fn parse(&self) -> Result<NewAccount, Problems> {
        let form = SignupForm {
            email: self.email.clone(),
            full_name: self.full_name.clone(),
            password: self.password.clone(),
            password_again: self.password.clone(),
        };
        let parsed = form.parse();
        let mut problems = parsed.as_ref().err().cloned().unwrap_or_default();
        if self.email.chars().count() > MAX_EMAIL_CHARS {
            problems.insert(
                "email",
                Problem::Field(FieldError::TooLong {
                    max: MAX_EMAIL_CHARS,
                }),
            );
        } else if !self.email.trim().is_ascii() {
            problems.insert("email", Problem::Email);
        }
        if self.full_name.chars().count() > MAX_TEXT_CHARS {
            problems.insert(
                "full_name",
                Problem::Field(FieldError::TooLong {
                    max: MAX_TEXT_CHARS,
                }),
            );
        }
        match parsed {
            Ok(account) if problems.is_empty() => Ok(account),
            _ => Err(problems),
        }
    }
}

impl From<ApplicationRequest> for ApplicationForm {
    fn from(r: ApplicationRequest) -> Self {
        Self {
            invitation_number: r.invitation_number,
            category: r.category,
            surname: r.surname,
            given_names: r.given_names,
            surname_native: r.surname_native,
            given_names_native: r.given_names_native,
            sex: r.sex,
            date_of_birth: r.date_of_birth,
            citizenship: r.citizenship,
            passport_number: r.passport_number,
            passport_expiry: r.passport_expiry,
            with_children: r.with_children,
        }
    }
}

impl ErrorBody {
    /// The body of an error with these field problems, in English.
    pub fn new(error: ErrorCode, message: String, fields: &Problems) -> Self {
        Self {
            error,
            message,
            fields: fields
                .iter()
                .map(|(name, p)| {
                    (
                        (*name).to_owned(),
                        FieldProblem {
                            code: p.code().to_owned(),
                            message: p.message(Lang::En),
                        },
                    )
                })
                .collect(),
        }
    }
}

impl ApplicationView {
    /// An application as the API shows it, with its visa number once issued.
    pub fn new(app: &Application, visa_number: Option<&str>) -> Self {
        let inv = &app.invitation;
        let applicant = &app.applicant;
        let text = |name: Option<&str>| name.unwrap_or("").to_owned();
        Self {
            id: app.id.clone(),
            status: app.status.into(),
            status_text: crate::web::cabinet::status_text(Lang::En, app.status).to_owned(),
            created_at: app.created_at.clone(),
            next: crate::web::cabinet::next_step(app),
            visa: visa_number.map(|number| VisaLink {
                number: number.to_owned(),
                pdf: format!("/applications/{}/visa.pdf", app.id),
            }),
            applicant: ApplicantView {
                invitation_number: applicant.invitation_number.as_str().to_owned(),
                category: applicant.category.into(),
                surname: applicant.surname.as_str().to_owned(),
                given_names: text(applicant.given_names.as_ref().map(|n| n.as_str())),
                surname_native: text(applicant.surname_native.as_ref().map(|n| n.as_str())),
                given_names_native: text(applicant.given_names_native.as_ref().map(|n| n.as_str())),
                sex: applicant.sex.into(),
                date_of_birth: applicant.date_of_birth.to_string(),
                citizenship: applicant.citizenship.to_string(),
                passport_number: applicant.passport_number.as_str().to_owned(),
                passport_expiry: applicant.passport_expiry.to_string(),
                with_children: WithChildren::No,
            },
            inviting_party: InvitingParty {
                kind: inv.inviter.kind.into(),
                bin_iin: inv.inviter.tax_id.as_str().to_owned(),
                name: inv.inviter.shown_name().to_owned(),
                description: inv.inviter.description.clone(),
            },
            visit: Visit {
                purpose: inv.purpose.clone(),
                valid_from: inv.valid_from.to_string(),
                valid_until: inv.valid_until.to_string(),
                stay_days: inv.stay_days,
            },
            planned_address: PlannedAddress {
                city: inv.address.city.clone(),
                street: inv.address.street.clone(),
                house: inv.address.house.clone(),
            },
        }
    }
}

impl From<ApplicationStatus> for StatusName {
    fn from(status: ApplicationStatus) -> Self {
        match status {
            ApplicationStatus::Draft => Self::Draft,
            ApplicationStatus::Submitted => Self::Submitted,
            ApplicationStatus::Paid => Self::Paid,
            ApplicationStatus::UnderReview => Self::UnderReview,
            ApplicationStatus::Refused => Self::Refused,
            ApplicationStatus::Issued => Self::Issued,
        }
    }
}

impl From<Category> for CategoryName {
    fn from(category: Category) -> Self {
        match category {
            Category::Business => Self::Business,
            Category::Tourist => Self::Tourist,
            Category::Treatment => Self::Treatment,
        }
    }
}

impl From<Sex> for SexCode {
    fn from(sex: Sex) -> Self {
        match sex {
            Sex::Female => Self::F,
            Sex::Male => Self::M,
            Sex::Unspecified => Self::X,
        }
    }
}

impl From<PartyKind> for PartyKindName {
    fn from(kind: PartyKind) -> Self {
        match kind {
            PartyKind::Organisation => Self::Organisation,
            PartyKind::Individual => Self::Individual,
        }
    }
}
