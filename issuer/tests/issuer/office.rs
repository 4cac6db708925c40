//! The back office: only officers get in, by their own cookie, and each sees what the role opens.

use axum::http::StatusCode;
use issuer::domain::office::Role;
use issuer::store::Db;

use crate::support::*;

#[tokio::test]
async fn an_applicant_session_never_reaches_the_back_office() {
    let (app, _state) =
        portal_clocked(Db::in_memory().expect("db"), issuer::clock::Clock::system());
    let mut applicant = Client::new(&app);
    applicant.sign_up("applicant@example.com").await;
    let reply = applicant.get("/office").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.headers["location"], "/office/login");
}

#[tokio::test]
async fn each_role_sees_the_sections_it_may_open() {
    let (app, state) = portal_clocked(Db::in_memory().expect("db"), issuer::clock::Clock::system());
    let mut officer = office_client(&app, &state, "officer@migration.kz", Role::Officer);
    let page = officer.get("/office").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("officer@migration.kz"));
    assert!(page.body.contains("href=\"/office/inviters\""));
    assert!(!page.body.contains("href=\"/office/audit\""));
    let mut auditor = office_client(&app, &state, "auditor@migration.kz", Role::Auditor);
    let page = auditor.get("/office?lang=ru").await;
    assert!(page.body.contains("Журнал аудита"));
    assert!(!page.body.contains("href=\"/office/inviters\""));
}
