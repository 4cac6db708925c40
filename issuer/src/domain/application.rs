//! Step 1 "Personal data": the applicant's form, its checks, and the rules that tie it to the
//! invitation (the data must coincide; one invitation, one application; no children; a passport
//! valid to the end of the stay).

use serde::{Deserialize, Serialize};
use shared::visa::{FieldError, InvitationNumber, MrzName, NativeName, PassportNumber, parse_date};
use shared::{Category, Country, Sex};
use time::Date;

use super::invitation::{Invitation, field, optional};
use super::problem::{Problem, Problems};
use super::script::check_printable;

/// The Step 1 form as posted: every field a string, so a half-filled form can be shown again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    /// The invitation number from the Kazakh side.
    pub invitation_number: String,
    /// business, tourist or treatment.
    pub category: String,
    /// Surname in Latin letters as in the passport's MRZ.
    pub surname: String,
    /// Given names in Latin letters.
    pub given_names: String,
    /// Surname in the native script, if the passport shows one.
    pub surname_native: String,
    /// Given names in the native script.
    pub given_names_native: String,
    /// F, M or X.
    pub sex: String,
    /// YYYY-MM-DD.
    pub date_of_birth: String,
    /// ISO 3166-1 alpha-3.
    pub citizenship: String,
    /// Passport number.
    pub passport_number: String,
    /// Passport expiry, YYYY-MM-DD.
    pub passport_expiry: String,
    /// `no` or `yes`: travelling together with children.
    pub with_children: String,
}

/// The applicant's data once every field has parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    /// Invitation number.
    pub invitation_number: InvitationNumber,
    /// Visa category.
    pub category: Category,
    /// MRZ surname.
    pub surname: MrzName,
    /// MRZ given names.
    pub given_names: Option<MrzName>,
    /// Native-script surname.
    pub surname_native: Option<NativeName>,
    /// Native-script given names.
    pub given_names_native: Option<NativeName>,
    /// Sex.
    pub sex: Sex,
    /// Date of birth.
    pub date_of_birth: Date,
    /// Citizenship.
    pub citizenship: Country,
    /// Passport number.
    pub passport_number: PassportNumber,
    /// Passport expiry.
    pub passport_expiry: Date,
}

impl ApplicationForm {
    /// Parses every field and the date rules; `today` is the date in Kazakhstan. All problems
    /// are reported at once.
    pub fn parse(&self, today: Date) -> Result<Applicant, Problems> {
        let parsed = self.parse_fields();
        let mut p = parsed.as_ref().err().cloned().unwrap_or_default();
        if parse_date(&self.date_of_birth).is_ok_and(|d| d >= today) {
            p.insert("date_of_birth", Problem::BirthInFuture);
        }
        if parse_date(&self.passport_expiry).is_ok_and(|d| d < today) {
            p.insert("passport_expiry", Problem::PassportExpired);
        }
        match parsed {
            Ok(applicant) if p.is_empty() => Ok(applicant),
            _ => Err(p),
        }
    }

    /// Parses every field on its own, without the rules that need today's date.
    pub fn parse_fields(&self) -> Result<Applicant, Problems> {
        let mut p = Problems::new();
        let invitation_number = field(
            &mut p,
            "invitation_number",
            InvitationNumber::parse(&self.invitation_number),
        );
        let category = field(&mut p, "category", Category::parse(&self.category));
        let surname = field(&mut p, "surname", MrzName::parse(&self.surname));
        let given_names = optional(&mut p, "given_names", &self.given_names, MrzName::parse);
        let surname_native = native(&mut p, "surname_native", &self.surname_native);
        let given_names_native = native(&mut p, "given_names_native", &self.given_names_native);
        if matches!(
            (&surname_native, &given_names_native),
            (Some(None), Some(Some(_)))
        ) {
            p.insert("surname_native", Problem::Field(FieldError::Missing));
        }
        let sex = field(&mut p, "sex", Sex::parse(&self.sex));
        let date_of_birth = field(&mut p, "date_of_birth", parse_date(&self.date_of_birth));
        let citizenship = field(
            &mut p,
            "citizenship",
            Country::parse(&self.citizenship.trim().to_ascii_uppercase()).map_err(FieldError::from),
        );
        let passport_number = field(
            &mut p,
            "passport_number",
            PassportNumber::parse(&self.passport_number),
        );
        let passport_expiry = field(&mut p, "passport_expiry", parse_date(&self.passport_expiry));
        match self.with_children.trim() {
            "no" => {}
            "yes" => {
                p.insert("with_children", Problem::WithChildren);
            }
            _ => {
                p.insert("with_children", Problem::Field(FieldError::Missing));
            }
        }
        match (
            invitation_number,
            category,
            surname,
            given_names,
            surname_native,
            given_names_native,
            sex,
            date_of_birth,
            citizenship,
            passport_number,
            passport_expiry,
        ) {
            (
                Some(invitation_number),
                Some(category),
                Some(surname),
                Some(given_names),
                Some(surname_native),
                Some(given_names_native),
                Some(sex),
                Some(date_of_birth),
                Some(citizenship),
                Some(passport_number),
                Some(passport_expiry),
            ) if p.is_empty() => Ok(Applicant {
                invitation_number,
                category,
                surname,
                given_names,
                surname_native,
                given_names_native,
                sex,
                date_of_birth,
                citizenship,
                passport_number,
                passport_expiry,
            }),
            _ => Err(p),
        }
    }
}

/// Parses an optional native-script name that the printout must be able to show.
fn native(p: &mut Problems, name: &'static str, text: &str) -> Option<Option<NativeName>> {
    let parsed = optional(p, name, text, NativeName::parse)?;
    if let Some(native) = &parsed
        && check_printable(native.as_str()).is_err()
    {
        p.insert(name, Problem::UnprintableScript);
        return None;
    }
    Some(parsed)
}

impl Applicant {
    /// The rules against the invitation. `used_elsewhere` says whether another application holds
    /// the invitation already; `today` is the date in Kazakhstan.
    pub fn check_invitation(
        &self,
        invitation: &Invitation,
        used_elsewhere: bool,
        today: Date,
    ) -> Problems {
        let mut p = Problems::new();
        if used_elsewhere {
            p.insert("invitation_number", Problem::InvitationUsed);
            return p;
        }
        if !invitation.inviter.state.may_invite() {
            p.insert("invitation_number", Problem::InviterNotVerified);
            return p;
        }
        if invitation.valid_until < today {
            p.insert("invitation_number", Problem::InvitationExpired);
            return p;
        }
        let guest = &invitation.guest;
        let mut differs = |name, same: bool| {
            if !same {
                p.insert(name, Problem::Mismatch);
            }
        };
        differs("surname", self.surname == guest.surname);
        differs("given_names", self.given_names == guest.given_names);
        differs(
            "passport_number",
            self.passport_number == guest.passport_number,
        );
        differs("date_of_birth", self.date_of_birth == guest.date_of_birth);
        differs("citizenship", self.citizenship == guest.citizenship);
        differs("category", self.category == guest.category);
        if self.passport_expiry < invitation.valid_until {
            p.insert("passport_expiry", Problem::PassportExpiresTooSoon);
        }
        p
    }

    /// The full MRZ name.
    pub fn full_name(&self) -> String {
        match &self.given_names {
            Some(given) => format!("{} {}", self.surname.as_str(), given.as_str()),
            None => self.surname.as_str().to_owned(),
        }
    }

    /// The full native-script name, if given.
    pub fn full_name_native(&self) -> Option<String> {
        let surname = self.surname_native.as_ref()?;
        Some(match &self.given_names_native {
            Some(given) => format!("{} {}", surname.as_str(), given.as_str()),
            None => surname.as_str().to_owned(),
        })
    }

    /// The normalised form, which is what the database stores.
    pub fn to_form(&self) -> ApplicationForm {
        let text = |n: Option<&str>| n.unwrap_or("").to_owned();
        ApplicationForm {
            invitation_number: self.invitation_number.as_str().to_owned(),
            category: self.category.as_str().to_owned(),
            surname: self.surname.as_str().to_owned(),
            given_names: text(self.given_names.as_ref().map(MrzName::as_str)),
            surname_native: text(self.surname_native.as_ref().map(NativeName::as_str)),
            given_names_native: text(self.given_names_native.as_ref().map(NativeName::as_str)),
            sex: self.sex.as_str().to_owned(),
            date_of_birth: self.date_of_birth.to_string(),
            citizenship: self.citizenship.to_string(),
            passport_number: self.passport_number.as_str().to_owned(),
            passport_expiry: self.passport_expiry.to_string(),
            with_children: "no".to_owned(),
        }
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Step 1 filled in, not yet confirmed.
    Draft,
    /// Confirmed; the state duty is not paid yet.
    Submitted,
    /// Paid; the visa is being issued.
    Paid,
    /// Paid, and held for an officer because the holder matches the stop-list.
    UnderReview,
    /// Paid, and refused by an officer after review (no visa, no refund).
    Refused,
    /// The visa is issued.
    Issued,
}

impl ApplicationStatus {
    /// Parses the stored name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "draft" => Some(Self::Draft),
            "submitted" => Some(Self::Submitted),
            "paid" => Some(Self::Paid),
            "under_review" => Some(Self::UnderReview),
            "refused" => Some(Self::Refused),
            "issued" => Some(Self::Issued),
            _ => None,
        }
    }

    /// Whether the state duty was paid (so the receipt is available), whatever came after.
    pub fn is_paid(self) -> bool {
        matches!(
            self,
            Self::Paid | Self::UnderReview | Self::Refused | Self::Issued
        )
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Paid => "paid",
            Self::UnderReview => "under_review",
            Self::Refused => "refused",
            Self::Issued => "issued",
        }
    }
}

/// A stored application as its owner sees it.
#[derive(Debug, Clone)]
pub struct Application {
    /// The unguessable id in its URLs.
    pub id: String,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// The applicant's data.
    pub applicant: Applicant,
    /// The invitation it was made on.
    pub invitation: Invitation,
    /// When it was created (RFC 3339).
    pub created_at: String,
}
