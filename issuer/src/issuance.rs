//! From a paid application to a signed visa: the fee schedule, the visa's terms from the
//! invitation, and the one path every payment confirmation takes (callback, "Update Status",
//! start-up), which records the payment and issues the visa exactly once.

use std::collections::HashMap;
use std::sync::Arc;

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use shared::visa::{VisaError, VisaFields, VisaNumber};
use shared::{Category, Entries, Ports, Visa};
use time::OffsetDateTime;

use crate::application::Application;
use crate::db::{self, Db, IssueOutcome, NoticeOutcome};
use crate::epay::PaymentNotice;

/// What signs visas: one key file, or a key directory of root-certified keys (rotation).
pub trait Signer: Send + Sync + std::fmt::Debug {
    /// Signs the visa; returns the token and the id of the key that signed.
    fn sign(&self, visa: &Visa) -> Result<(String, shared::Kid)>;
}

/// A key directory read afresh at every signature, so a new certified key put beside the old
/// ones signs from the next visa on, without a restart (see [`crate::keyring`]).
#[derive(Debug, Clone)]
pub struct KeyDirectory {
    /// The directory of `NAME.cert` and `NAME.key` files.
    pub dir: PathBuf,
    /// The root public key the certificates must verify against.
    pub root: shared::PublicKey,
}

impl Signer for shared::IssuerKey {
    fn sign(&self, visa: &Visa) -> Result<(String, shared::Kid)> {
        Ok((shared::sign(visa, self), self.kid()))
    }
}

impl Signer for KeyDirectory {
    fn sign(&self, visa: &Visa) -> Result<(String, shared::Kid)> {
        let keyring = crate::keyring::Keyring::load(&self.dir, &self.root)
            .with_context(|| format!("reading the key directory {}", self.dir.display()))?;
        let key = keyring.signing_key_for(visa)?;
        Ok((shared::sign(visa, key), key.kid()))
    }
}

/// The state duty per category, in minor units of [`Fees::CURRENCY`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fees(HashMap<&'static str, i64>);

impl Fees {
    /// The currency of the duty.
    pub const CURRENCY: &'static str = "USD";

    /// Parses `business=80,tourist=80,treatment=80` (whole dollars, or with two decimals);
    /// a category left out costs 80.
    pub fn parse(text: &str) -> Result<Self> {
        let mut fees: HashMap<&'static str, i64> =
            Category::ALL.iter().map(|c| (c.as_str(), 8000)).collect();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((name, amount)) = part.split_once('=') else {
                bail!("a fee is written category=amount, like tourist=80");
            };
            let category =
                Category::parse(name.trim()).map_err(|e| anyhow::anyhow!("fee for {name}: {e}"))?;
            fees.insert(category.as_str(), parse_minor(amount.trim())?);
        }
        Ok(Self(fees))
    }

    /// The duty for a category, in cents.
    pub fn minor(&self, category: Category) -> i64 {
        self.0.get(category.as_str()).copied().unwrap_or(8000)
    }
}

impl Default for Fees {
    fn default() -> Self {
        Self(Category::ALL.iter().map(|c| (c.as_str(), 8000)).collect())
    }
}

/// `80` or `80.50` as cents; never through floating point.
fn parse_minor(text: &str) -> Result<i64> {
    let (whole, cents) = match text.split_once('.') {
        Some((w, c)) if c.len() == 2 => (w, c),
        Some(_) => bail!("an amount has at most two decimals: {text}"),
        None => (text, "00"),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(cents) || whole.len() > 6 {
        bail!("not an amount: {text}");
    }
    let minor = whole.parse::<i64>()? * 100 + cents.parse::<i64>()?;
    if minor == 0 {
        bail!("a fee cannot be zero");
    }
    Ok(minor)
}

/// Formats cents as `80` or `80.50`.
pub fn format_minor(minor: i64) -> String {
    if minor % 100 == 0 {
        format!("{}", minor / 100)
    } else {
        format!("{}.{:02}", minor / 100, minor % 100)
    }
}

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

/// Records a payment notice and, if it completes a payment, issues the visa; both steps are
/// guarded transactions, so any number of concurrent or repeated notices give one visa.
pub async fn settle(
    db: &Db,
    key: &Arc<dyn Signer>,
    notice: PaymentNotice,
    source: &'static str,
) -> Result<NoticeOutcome> {
    let key = key.clone();
    db.call(move |conn| {
        let now = crate::now_rfc3339();
        let outcome = db::record_notice(conn, &notice, source, &now)?;
        if let NoticeOutcome::Paid(application) = &outcome {
            issue_logged(conn, application, key.as_ref())?;
        }
        Ok(outcome)
    })
    .await
}

/// Issues the visa of a paid application if it has none, logging a refusal.
pub fn issue_logged(
    conn: &mut rusqlite::Connection,
    application: &str,
    key: &dyn Signer,
) -> Result<IssueOutcome> {
    let outcome = db::issue(conn, application, key, OffsetDateTime::now_utc())?;
    if let IssueOutcome::Refused(reason) = &outcome {
        tracing::error!(application, reason, "a paid application was not issued");
    }
    Ok(outcome)
}

/// On start: issues every paid application that has no visa yet (a crash between recording the
/// payment and signing). Returns how many were issued.
pub fn complete_paid(db: &Db, key: &dyn Signer) -> Result<usize> {
    db.with(|conn| {
        let mut issued = 0;
        for id in db::paid_unissued(conn)? {
            if matches!(issue_logged(conn, &id, key)?, IssueOutcome::Issued(_)) {
                issued += 1;
            }
        }
        Ok(issued)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_are_read_in_whole_cents_with_80_dollars_by_default() {
        let fees = Fees::parse("").expect("empty is fine");
        assert_eq!(fees.minor(Category::Tourist), 8000);
        let fees = Fees::parse("business=160, treatment=80.50").expect("valid");
        assert_eq!(fees.minor(Category::Business), 16000);
        assert_eq!(fees.minor(Category::Treatment), 8050);
        assert_eq!(fees.minor(Category::Tourist), 8000);
        for bad in [
            "transit=10",
            "tourist",
            "tourist=8.5",
            "tourist=-1",
            "tourist=0",
            "tourist=1e3",
        ] {
            assert!(Fees::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(format_minor(8000), "80");
        assert_eq!(format_minor(8050), "80.50");
    }
}
