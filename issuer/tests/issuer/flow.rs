//! The applicant's path as the back-office tests need it: an invitation for a traveller, Step 1,
//! the confirmation, and a paid duty settled through the issuance service (as the gateway's
//! callback does), plus what the audit log holds.

use axum::http::{StatusCode, header};
use issuer::domain::invitation::InvitationForm;
use issuer::web::AppState;
use time::Duration;

use crate::support::*;

/// A traveller invited and applying.
#[derive(Debug, Clone, Copy)]
pub struct Traveller {
    pub surname: &'static str,
    pub given_names: &'static str,
    pub passport: &'static str,
    pub citizenship: &'static str,
    pub born: &'static str,
    pub sex: &'static str,
}

/// The demo applicant of `service/demo.rs`.
pub const ANNA: Traveller = Traveller {
    surname: "ERIKSSON",
    given_names: "ANNA MARIA",
    passport: "L898902C3",
    citizenship: "SWE",
    born: "1974-08-12",
    sex: "F",
};

/// A second traveller.
pub const JONAS: Traveller = Traveller {
    surname: "MUELLER",
    given_names: "JONAS",
    passport: "C01X00T47",
    citizenship: "DEU",
    born: "1990-01-31",
    sex: "M",
};

/// The invitation form for a traveller, a tourist from today for 60 days.
pub fn invitation_form(t: Traveller) -> InvitationForm {
    InvitationForm {
        surname: t.surname.into(),
        given_names: t.given_names.into(),
        passport_number: t.passport.into(),
        citizenship: t.citizenship.into(),
        date_of_birth: t.born.into(),
        category: "tourist".into(),
        purpose: "Tourism".into(),
        city: "Astana".into(),
        street: "Mangilik El".into(),
        house: "55".into(),
        valid_from: today().to_string(),
        valid_until: (today() + Duration::days(60)).to_string(),
        stay_days: "30".into(),
    }
}

/// Registers an invitation for `t` from the party with `bin`, straight in the store (as
/// `issuer invite` does); gives its number.
pub fn invitation_from(state: &AppState, bin: &str, t: Traveller) -> String {
    let bin = issuer::domain::taxid::TaxId::parse(bin).expect("a BIN");
    let invitation = invitation_form(t)
        .parse(today())
        .expect("a valid invitation");
    state
        .db
        .with(|conn| {
            let inviter = issuer::store::invitation::inviter_by_tax_id(conn, &bin)?
                .ok_or_else(|| anyhow::anyhow!("no party {bin}"))?;
            let now = state.clock.rfc3339();
            issuer::store::invitation::create_invitation(
                conn,
                inviter.id,
                &invitation,
                today().year(),
                &now,
            )
        })
        .expect("an invitation")
        .as_str()
        .to_owned()
}

/// Posts Step 1 for `t` on `invitation`, in `lang` (`en`, `ru` or `kk`).
pub async fn step_one(client: &mut Client, invitation: &str, t: Traveller, lang: &str) -> Reply {
    client.get(&format!("/apply?lang={lang}")).await;
    let expiry = (today() + Duration::days(3 * 365)).to_string();
    client
        .post(
            &format!("/apply?lang={lang}"),
            &[
                ("invitation_number", invitation),
                ("category", "tourist"),
                ("surname", t.surname),
                ("given_names", t.given_names),
                ("surname_native", ""),
                ("given_names_native", ""),
                ("sex", t.sex),
                ("date_of_birth", t.born),
                ("citizenship", t.citizenship),
                ("passport_number", t.passport),
                ("passport_expiry", expiry.as_str()),
                ("with_children", "no"),
            ],
        )
        .await
}

/// Step 1 and the confirmation for `t`; gives the application id.
pub async fn applied(client: &mut Client, invitation: &str, t: Traveller) -> String {
    let reply = step_one(client, invitation, t, "en").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let location = reply.headers[header::LOCATION]
        .to_str()
        .expect("a location")
        .to_owned();
    let id = location
        .trim_start_matches("/applications/")
        .split('/')
        .next()
        .expect("an id")
        .to_owned();
    client.get(&format!("/applications/{id}/confirm")).await;
    let reply = client
        .post(
            &format!("/applications/{id}/confirm"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    id
}

/// Pays `email`'s application `id` as the gateway's paid notice would, through the issuance
/// service; gives the outcome.
pub async fn pay(
    state: &AppState,
    email: &str,
    id: &str,
) -> issuer::domain::payment::NoticeOutcome {
    let order = open_order(state, email, id);
    let notice: issuer::domain::payment::PaymentNotice =
        serde_json::from_value(serde_json::json!({
            "payment_id": "pay-1", "order_id": order, "status": "paid", "amount_minor": 8000,
            "currency": "USD", "method": "card", "paid_at": "2026-11-25T10:00:00Z",
            "receipt_number": "EP-2026-000123", "payer_hint": "**** 1111"
        }))
        .expect("a notice");
    issuer::service::issuance::settle(&state.db, &state.key, &state.clock, notice, "callback")
        .await
        .expect("settles")
}

/// How many visas the database holds for this application.
pub fn visas_of(state: &AppState, id: &str) -> i64 {
    state
        .db
        .with(|conn| {
            conn.query_row(
                "SELECT COUNT(*) FROM visas WHERE application_id = ?1",
                [id],
                |r| r.get(0),
            )
        })
        .expect("a count")
}

/// The application's stored status.
pub fn status_of(state: &AppState, id: &str) -> String {
    state
        .db
        .with(|conn| {
            conn.query_row("SELECT status FROM applications WHERE id = ?1", [id], |r| {
                r.get(0)
            })
        })
        .expect("a status")
}

/// The audit log's entries on `record`, oldest first: (actor, action, before, after).
pub fn audit_of(
    state: &AppState,
    record: &str,
) -> Vec<(String, String, Option<String>, Option<String>)> {
    state
        .db
        .with(|conn| {
            let mut stmt = conn.prepare(
                "SELECT actor, action, before, after FROM audit_log WHERE record = ?1 ORDER BY seq",
            )?;
            let rows = stmt
                .query_map([record], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<anyhow::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .expect("audit entries")
}

/// Whether the audit chain is intact.
pub fn audit_intact(state: &AppState) -> bool {
    state
        .db
        .with(|conn| issuer::store::audit::verify(conn))
        .map(|check| matches!(check, issuer::store::audit::ChainCheck::Intact(_)))
        .expect("the chain is read")
}
