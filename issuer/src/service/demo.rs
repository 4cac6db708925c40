//! Demo data for a first run: one inviting organisation and one invitation for a demo applicant,
//! so a newcomer can walk the whole flow at once. The values are listed in README.

use anyhow::Result;
use shared::visa::InvitationNumber;
use time::{Date, Duration};

use crate::clock::Clock;
use crate::domain::application::ApplicationForm;
use crate::domain::audit::Actor;
use crate::domain::invitation::{InvitationForm, InviterForm};
use crate::domain::inviter::InviterState;
use crate::domain::taxid::TaxId;
use crate::store::{self, Checked, Db};

/// The demo organisation's BIN (registered 2018-02, a resident legal entity; check digit 2).
pub const DEMO_BIN: &str = "180240012342";
/// The demo invitation's number.
pub const DEMO_INVITATION: &str = "INV-DEMO-0001";

/// The demo organisation.
pub fn inviter_form() -> InviterForm {
    InviterForm {
        kind: "organisation".into(),
        tax_id: DEMO_BIN.into(),
        name: "ТОО «Nomad Travel Demo» / Nomad Travel Demo LLP".into(),
        description: "Туроператор, Астана (демо) · Tour operator in Astana (demo data)".into(),
    }
}

/// The demo applicant's invitation, valid from `today` for 90 days.
pub fn invitation_form(today: Date) -> InvitationForm {
    InvitationForm {
        surname: "ERIKSSON".into(),
        given_names: "ANNA MARIA".into(),
        passport_number: "L898902C3".into(),
        citizenship: "SWE".into(),
        date_of_birth: "1974-08-12".into(),
        category: "tourist".into(),
        purpose: "Туризм / Tourism".into(),
        city: "г. Астана, район Есиль".into(),
        street: "Қабанбай батыр даңғылы".into(),
        house: "11".into(),
        valid_from: today.to_string(),
        valid_until: (today + Duration::days(89)).to_string(),
        stay_days: "30".into(),
    }
}

/// The demo applicant's Step 1 on the invitation `invitation_number`, the passport valid three
/// years from `today`.
pub fn applicant_form(invitation_number: &str, today: Date) -> ApplicationForm {
    ApplicationForm {
        invitation_number: invitation_number.to_owned(),
        category: "tourist".into(),
        surname: "ERIKSSON".into(),
        given_names: "ANNA MARIA".into(),
        surname_native: "Эрикссон".into(),
        given_names_native: "Анна Мария".into(),
        sex: "F".into(),
        date_of_birth: "1974-08-12".into(),
        citizenship: "SWE".into(),
        passport_number: "L898902C3".into(),
        passport_expiry: (today + Duration::days(3 * 365)).to_string(),
        with_children: "no".into(),
    }
}

/// Adds the demo data unless it is there; returns whether it was added.
pub fn seed(db: &Db, clock: &Clock) -> Result<bool> {
    let (today, now) = (clock.today(), clock.rfc3339());
    db.with(|conn| {
        let bin = TaxId::parse(DEMO_BIN).map_err(|e| anyhow::anyhow!("demo BIN: {e}"))?;
        // Keyed on the invitation, not the organisation: the organisation may already exist (an
        // `issuer invite` run before the first start), and the demo invitation is still wanted.
        verify_demo_party(conn, &now)?;
        if store::invitation::invitation_by_number(conn, DEMO_INVITATION)?.is_some() {
            return Ok(false);
        }
        let existing = store::invitation::inviter_by_tax_id(conn, &bin)?;
        let inviter = inviter_form()
            .parse()
            .map_err(|p| anyhow::anyhow!("demo inviter: {p:?}"))?;
        let invitation = invitation_form(today)
            .parse(today)
            .map_err(|p| anyhow::anyhow!("demo invitation: {p:?}"))?;
        let number = InvitationNumber::parse(DEMO_INVITATION)
            .map_err(|e| anyhow::anyhow!("demo invitation number: {e}"))?;
        let tx = conn.transaction()?;
        let inviter_id = match existing {
            Some(known) => known.id,
            None => match store::invitation::insert_inviter(&tx, None, &inviter, &now)? {
                Checked::Stored(id) => id,
                Checked::Refused(p) => anyhow::bail!("demo inviter: {p:?}"),
            },
        };
        store::invitation::insert_invitation(&tx, inviter_id, &number, &invitation, &now)?;
        tx.commit()?;
        verify_demo_party(conn, &now)?;
        Ok(true)
    })
}

/// Verifies the demo organisation once, as the operator, if no one has ever decided about it (so
/// README's walk-through works on a first run, and an officer's later suspension stands). Like
/// the rest of the demo data it is seeded, not an officer's action, so the audit log starts empty.
fn verify_demo_party(conn: &mut crate::store::Connection<'_>, now: &str) -> Result<()> {
    let tx = conn.transaction()?;
    let Some(id) = store::inviter::never_reviewed(&tx, DEMO_BIN)? else {
        return Ok(());
    };
    let operator = Actor::Operator;
    store::inviter::set_state(
        &tx,
        id,
        InviterState::Pending,
        InviterState::Verified,
        None,
        &operator.to_text(),
        now,
    )?;
    tx.commit()?;
    tracing::info!(inviter = DEMO_BIN, "the demo inviting party was verified");
    Ok(())
}

/// Open payment orders for confirmed applications of one demo traveller (Anna Maria Eriksson,
/// Swedish passport), each on a new invitation of the demo organisation and for an account of its
/// own: where the load client, the issuance bench and the concurrency tests start. Needs
/// [`seed`] run first.
#[derive(Debug)]
pub struct DemoOrders {
    inviter: i64,
    invitation: crate::domain::invitation::NewInvitation,
    today: Date,
}

impl DemoOrders {
    /// Reads the demo organisation once.
    pub fn new(conn: &store::Connection, today: Date) -> Result<Self> {
        let inviter = store::invitation::inviter_by_tax_id(conn, &TaxId::parse(DEMO_BIN)?)?
            .ok_or_else(|| anyhow::anyhow!("the demo organisation is not in the database"))?;
        let invitation = invitation_form(today)
            .parse(today)
            .map_err(|p| anyhow::anyhow!("the demo invitation: {p:?}"))?;
        Ok(Self {
            inviter: inviter.id,
            invitation,
            today,
        })
    }

    /// A new account `email` with a confirmed application and its payment order (8000 USD):
    /// the account's id and the order.
    pub fn open(
        &self,
        conn: &mut store::Connection,
        email: &str,
        now: &str,
    ) -> Result<(i64, crate::domain::payment::Payment)> {
        let today = self.today;
        let user = store::account::insert_user(conn, email, "Demo Applicant", "no password", now)?
            .ok_or_else(|| anyhow::anyhow!("{email} exists already"))?;
        let number = store::invitation::create_invitation(
            conn,
            self.inviter,
            &self.invitation,
            today.year(),
            now,
        )?;
        let applicant = applicant_form(number.as_str(), today)
            .parse(today)
            .map_err(|p| anyhow::anyhow!("the demo applicant: {p:?}"))?;
        let id = match store::application::save_draft(conn, user, &applicant, today, now)? {
            Checked::Stored(id) => id,
            Checked::Refused(p) => anyhow::bail!("the demo application: {p:?}"),
        };
        store::application::confirm(conn, &id, user, now)?;
        let payment = store::payment::open_payment(conn, &id, user, 8000, "USD", now)?
            .ok_or_else(|| anyhow::anyhow!("no payment order for {id}"))?;
        Ok((user, payment))
    }
}
