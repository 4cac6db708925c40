//! Telling an applicant by mail that their application moved on. Each function queues the mail
//! on the connection or transaction it is given, so a caller that changes an application's state
//! calls it inside that same transaction: the mail then exists exactly when the change does.
//!
//! Payment confirmed, visa issued and visa revoked are queued where those changes are written
//! (`store::payment::record_notice`, `service::issuance::issue`, `store::trust::revoke_visa`).
//! "Under review" and "refused" are queued by the screening flow (`service::issuance` when it holds
//! an application, `service::screening::refuse`).

use crate::store::Connection;
use anyhow::Result;

use crate::domain::mail::Letter;
use crate::store;

/// Queues "your application is under review" to the application's owner. `false` if there is no
/// such application.
pub fn under_review(conn: &Connection, application_id: &str, now: i64) -> Result<bool> {
    let letter = Letter::UnderReview {
        application_id: application_id.to_owned(),
    };
    Ok(store::outbox::enqueue_to_applicant(conn, application_id, &letter, now)?.is_some())
}

/// Queues "your application was refused" to the application's owner, without the officer's
/// reason (as on the applicant's page). `false` if there is no such application.
pub fn refused(conn: &Connection, application_id: &str, now: i64) -> Result<bool> {
    let letter = Letter::Refused {
        application_id: application_id.to_owned(),
    };
    Ok(store::outbox::enqueue_to_applicant(conn, application_id, &letter, now)?.is_some())
}
