//! Inviting parties are verified: a new party's invitations are refused at Step 1 (in three
//! languages and over the API) until an officer verifies it at `/office/inviters`; a suspended
//! party's open invitations stop working while issued visas stay; the name a visa prints is the
//! one verified; every decision is audited; `issuer inviter verify|reject` for scripts.

use std::process::Command;

use axum::http::{StatusCode, header};
use issuer::clock::Clock;
use issuer::domain::office::Role;
use issuer::service::demo::{DEMO_BIN, DEMO_INVITATION};
use issuer::store::Db;
use issuer::web::AppState;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::flow::*;
use crate::support::*;

const HOST_BIN: &str = "180340012346";
const HOST_IIN: &str = "740812500124";

fn portal() -> (axum::Router, AppState) {
    portal_clocked(Db::in_memory().expect("db"), Clock::system())
}

/// A host who signed up and registered an organisation with `bin` through the portal.
async fn host_party(app: &axum::Router, email: &str, bin: &str, name: &str) -> Client {
    let mut host = Client::new(app);
    host.sign_up(email).await;
    host.get("/inviter").await;
    let reply = host
        .post(
            "/inviter",
            &[
                ("kind", "organisation"),
                ("tax_id", bin),
                ("name", name),
                ("description", "Hotel in Almaty"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    host
}

async fn api(
    app: &axum::Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    let mut request = axum::http::Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = request
        .header(header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A bearer token of an account that logs in through the API (signing it up first if `new`).
pub async fn api_token(app: &axum::Router, email: &str, new: bool) -> String {
    if new {
        let (status, _) = api(
            app,
            "POST",
            "/api/v1/accounts",
            None,
            json!({"email": email, "full_name": "API User", "password": PASSWORD}),
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED);
    }
    let (status, body) = api(
        app,
        "POST",
        "/api/v1/sessions",
        None,
        json!({"identifier": email, "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["token"].as_str().expect("a token").to_owned()
}

fn api_application(invitation: &str, t: Traveller) -> Value {
    json!({
        "invitation_number": invitation, "category": "tourist", "surname": t.surname,
        "given_names": t.given_names, "sex": t.sex, "date_of_birth": t.born,
        "citizenship": t.citizenship, "passport_number": t.passport,
        "passport_expiry": (today() + time::Duration::days(1000)).to_string(),
        "with_children": "no"
    })
}

fn location(reply: &Reply) -> &str {
    reply.headers[header::LOCATION]
        .to_str()
        .expect("a location")
}

#[tokio::test]
async fn a_pending_party_cannot_get_anyone_a_visa_until_an_officer_verifies_it() {
    let (app, state) = portal();
    let mut host = host_party(&app, "host@example.kz", HOST_BIN, "Host LLP").await;
    let own = host.get("/inviter").await;
    assert!(own.body.contains("Pending verification"), "{}", own.body);
    let invitation = invitation_from(&state, HOST_BIN, JONAS);

    // Step 1 refuses the invitation, in each language, at the invitation number.
    let mut jonas = Client::new(&app);
    jonas.sign_up("jonas@example.de").await;
    for (lang, words) in [
        (
            "en",
            "The inviting party has not been verified by the migration service yet",
        ),
        (
            "ru",
            "Приглашающая сторона ещё не проверена миграционной службой",
        ),
        ("kk", "Шақырушы тарапты көші-қон қызметі әлі тексерген жоқ"),
    ] {
        let reply = step_one(&mut jonas, &invitation, JONAS, lang).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
        assert!(reply.body.contains(words), "{lang}: {}", reply.body);
        assert!(reply.body.contains("id=\"e-invitation_number\""));
    }
    // And the API says so with a stable code.
    let token = api_token(&app, "api-jonas@example.de", true).await;
    let (status, body) = api(
        &app,
        "POST",
        "/api/v1/applications",
        Some(&token),
        api_application(&invitation, JONAS),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"], "invalid_fields");
    assert_eq!(
        body["fields"]["invitation_number"]["code"],
        "inviter_not_verified"
    );

    // The officer sees what was submitted and verifies the party.
    let mut officer = office_client(&app, &state, "officer@migration.kz", Role::Officer);
    let queue = officer.get("/office/inviters").await;
    assert_eq!(queue.status, StatusCode::OK);
    for submitted in ["Host LLP", HOST_BIN, "Hotel in Almaty", "host@example.kz"] {
        assert!(queue.body.contains(submitted), "{submitted}");
    }
    let reply = officer
        .post(&format!("/office/inviters/{HOST_BIN}/verify"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&reply), "/office/inviters?done=verified");
    let after = officer.get(location(&reply)).await;
    assert!(after.body.contains("The party was verified"));
    assert_eq!(
        audit_of(&state, &format!("inviter:{HOST_BIN}")),
        [(
            "officer:officer@migration.kz".to_owned(),
            "inviter.verified".to_owned(),
            Some("pending".to_owned()),
            Some("verified; name: Host LLP".to_owned())
        )]
    );
    let own = host.get("/inviter").await;
    assert!(own.body.contains("Verified"));

    // Now Step 1 goes through, and the visa is issued.
    let id = applied(&mut jonas, &invitation, JONAS).await;
    pay(&state, "jonas@example.de", &id).await;
    assert_eq!(visas_of(&state, &id), 1);

    // Suspension needs a reason, and stops the party's open invitations, not its visas.
    let reply = officer
        .post(
            &format!("/office/inviters/{HOST_BIN}/suspend"),
            &[("reason", " ")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Give a reason to reject or suspend"));
    let reply = officer
        .post(
            &format!("/office/inviters/{HOST_BIN}/suspend"),
            &[("reason", "registration withdrawn")],
        )
        .await;
    assert_eq!(location(&reply), "/office/inviters?done=suspended");
    let open = invitation_from(&state, HOST_BIN, ANNA);
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let reply = step_one(&mut anna, &open, ANNA, "en").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("has not been verified"));
    assert_eq!(visas_of(&state, &id), 1);
    let result = jonas.get(&format!("/applications/{id}/result")).await;
    assert!(
        result
            .body
            .contains(&format!("/applications/{id}/visa.pdf"))
    );
    let own = host.get("/inviter").await;
    assert!(own.body.contains("Suspended") && own.body.contains("registration withdrawn"));
    let trail = audit_of(&state, &format!("inviter:{HOST_BIN}"));
    assert_eq!(trail.len(), 2);
    assert_eq!(trail[1].1, "inviter.suspended");
    assert_eq!(trail[1].2.as_deref(), Some("verified"));
    assert_eq!(
        trail[1].3.as_deref(),
        Some("suspended; reason: registration withdrawn")
    );
    assert!(audit_intact(&state));
}

#[tokio::test]
async fn a_rejected_party_is_refused_and_a_decision_that_does_not_apply_changes_nothing() {
    let (app, state) = portal();
    let mut host = host_party(&app, "host@example.kz", HOST_BIN, "Host LLP").await;
    let mut supervisor = office_client(&app, &state, "chief@migration.kz", Role::Supervisor);
    supervisor.get("/office/inviters?lang=ru").await;
    let reply = supervisor
        .post(
            &format!("/office/inviters/{HOST_BIN}/reject?lang=ru"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("Для отклонения или приостановки укажите причину")
    );
    let reply = supervisor
        .post(
            &format!("/office/inviters/{HOST_BIN}/reject"),
            &[("reason", "certificate does not match the BIN")],
        )
        .await;
    assert_eq!(location(&reply), "/office/inviters?done=rejected");
    // Suspending a party that is not verified does not apply.
    supervisor.get("/office/inviters").await;
    let reply = supervisor
        .post(
            &format!("/office/inviters/{HOST_BIN}/suspend"),
            &[("reason", "again")],
        )
        .await;
    assert_eq!(location(&reply), "/office/inviters?done=not_applicable");
    let own = host.get("/inviter?lang=kk").await;
    assert!(own.body.contains("Қабылданбады"));
    assert!(own.body.contains("certificate does not match the BIN"));
    let invitation = invitation_from(&state, HOST_BIN, JONAS);
    let mut jonas = Client::new(&app);
    jonas.sign_up("jonas@example.de").await;
    let reply = step_one(&mut jonas, &invitation, JONAS, "en").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let trail = audit_of(&state, &format!("inviter:{HOST_BIN}"));
    assert_eq!(trail.len(), 1, "{trail:?}");
    assert_eq!(trail[0].0, "officer:chief@migration.kz");
    assert_eq!(trail[0].1, "inviter.rejected");
}

#[tokio::test]
async fn the_name_printed_on_the_visa_is_the_verified_name_not_one_changed_later() {
    let (app, state) = portal();
    // The demo party was verified on first run; its name is changed afterwards, as an attacker
    // with access to its account would like to.
    state
        .db
        .with(|conn| {
            conn.execute(
                "UPDATE inviters SET name = 'Ministry of Foreign Affairs of the Republic of Kazakhstan'
                 WHERE tax_id = ?1",
                [DEMO_BIN],
            )?;
            Ok(())
        })
        .expect("renamed");
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let id = applied(&mut anna, DEMO_INVITATION, ANNA).await;
    let confirm = anna.get(&format!("/applications/{id}/result")).await;
    assert!(!confirm.body.contains("Ministry of Foreign Affairs"));
    pay(&state, "anna@example.com", &id).await;
    let request = axum::http::Request::get(format!("/applications/{id}/visa.pdf"))
        .header(header::COOKIE, anna.cookie_header())
        .body(axum::body::Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    let pdf = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("visa.pdf"), &pdf).expect("written");
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(dir.path().join("visa.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("Nomad"), "{text}");
    assert!(!text.contains("Ministry"), "{text}");
}

#[tokio::test]
async fn every_inviters_route_checks_the_duty_and_the_office_session() {
    let (app, state) = portal();
    let bins = [HOST_BIN, "180440012349"];
    for (bin, name) in bins.iter().zip(["Host LLP", "Second LLP"]) {
        state
            .db
            .with(|conn| {
                let new = issuer::domain::invitation::InviterForm {
                    kind: "organisation".into(),
                    tax_id: (*bin).into(),
                    name: name.into(),
                    description: "Hotel".into(),
                }
                .parse()
                .map_err(|p| anyhow::anyhow!("{p:?}"))?;
                issuer::store::invitation::insert_inviter(conn, None, &new, "2026-11-30T00:00:00Z")
            })
            .expect("a party");
    }
    for (role, bin) in [(Role::Officer, bins[0]), (Role::Supervisor, bins[1])] {
        let mut client = office_client(&app, &state, &format!("{role:?}@migration.kz"), role);
        assert_eq!(client.get("/office/inviters").await.status, StatusCode::OK);
        let reply = client
            .post(&format!("/office/inviters/{bin}/verify"), &[])
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{role:?}");
        assert_eq!(location(&reply), "/office/inviters?done=verified");
    }
    let mut auditor = office_client(&app, &state, "auditor@migration.kz", Role::Auditor);
    assert_eq!(
        auditor.get("/office/inviters").await.status,
        StatusCode::FORBIDDEN
    );
    auditor.get("/office").await;
    for (decision, fields) in [
        ("suspend", vec![("reason", "no")]),
        ("verify", vec![]),
        ("reject", vec![("reason", "no")]),
    ] {
        let reply = auditor
            .post(&format!("/office/inviters/{HOST_BIN}/{decision}"), &fields)
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{decision}");
    }
    let mut applicant = Client::new(&app);
    applicant.sign_up("applicant@example.com").await;
    let mut nobody = Client::new(&app);
    for client in [&mut applicant, &mut nobody] {
        let page = client.get("/office/inviters").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(location(&page), "/office/login");
        let post = client
            .post_raw(
                &format!("/office/inviters/{HOST_BIN}/suspend"),
                &[("csrf", "x"), ("reason", "no")],
            )
            .await;
        assert_eq!(post.status, StatusCode::SEE_OTHER);
        assert_eq!(location(&post), "/office/login");
    }
    // Only the two verifications are in the log; nothing the auditor or the others tried.
    for bin in bins {
        let trail = audit_of(&state, &format!("inviter:{bin}"));
        assert_eq!(trail.len(), 1, "{bin}: {trail:?}");
        assert_eq!(trail[0].1, "inviter.verified");
    }
}

#[test]
fn issuer_inviter_verify_and_reject_run_for_scripts_with_documented_exit_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let db = Db::open(&dir.path().join("issuer.sqlite3")).expect("db");
        for (kind, bin) in [("organisation", HOST_BIN), ("individual", HOST_IIN)] {
            db.with(|conn| {
                let new = issuer::domain::invitation::InviterForm {
                    kind: kind.into(),
                    tax_id: bin.into(),
                    name: "Party".into(),
                    description: "Host".into(),
                }
                .parse()
                .map_err(|p| anyhow::anyhow!("{p:?}"))?;
                issuer::store::invitation::insert_inviter(conn, None, &new, "2026-11-30T00:00:00Z")
            })
            .expect("a party");
        }
    }
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_issuer"))
            .args(args)
            .arg("--data-dir")
            .arg(dir.path())
            .output()
            .expect("issuer runs")
    };
    let verified = run(&["inviter", "verify", HOST_BIN]);
    assert_eq!(verified.status.code(), Some(0), "{verified:?}");
    assert!(String::from_utf8_lossy(&verified.stdout).contains("pending → verified"));
    assert_eq!(run(&["inviter", "verify", HOST_BIN]).status.code(), Some(4));
    assert_eq!(
        run(&["inviter", "reject", HOST_IIN, "--reason", " "])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["inviter", "reject", "12345", "--reason", "x"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["inviter", "reject", DEMO_BIN, "--reason", "x"])
            .status
            .code(),
        Some(3)
    );
    let rejected = run(&[
        "inviter",
        "reject",
        HOST_IIN,
        "--reason",
        "documents forged",
    ]);
    assert_eq!(rejected.status.code(), Some(0), "{rejected:?}");
    let db = Db::open(&dir.path().join("issuer.sqlite3")).expect("db");
    let trail: Vec<(String, String, String)> = db
        .with(|conn| {
            let mut stmt =
                conn.prepare("SELECT actor, action, record FROM audit_log ORDER BY seq")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<anyhow::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .expect("the log");
    assert_eq!(
        trail,
        [
            (
                "operator".to_owned(),
                "inviter.verified".to_owned(),
                format!("inviter:{HOST_BIN}")
            ),
            (
                "operator".to_owned(),
                "inviter.rejected".to_owned(),
                format!("inviter:{HOST_IIN}")
            ),
        ]
    );
}

#[test]
fn the_demo_party_is_verified_once_on_first_run_and_a_later_suspension_stands() {
    let db = Db::in_memory().expect("db");
    let clock = Clock::system();
    issuer::service::demo::seed(&db, &clock).expect("seeded");
    let state_of = |db: &Db| -> String {
        db.with(|conn| {
            conn.query_row(
                "SELECT state FROM inviters WHERE tax_id = ?1",
                [DEMO_BIN],
                |r| r.get(0),
            )
        })
        .expect("a state")
    };
    assert_eq!(state_of(&db), "verified");
    let tax_id = issuer::domain::taxid::TaxId::parse(DEMO_BIN).expect("BIN");
    db.with(|conn| {
        issuer::service::inviter::decide(
            conn,
            &clock,
            &issuer::domain::audit::Actor::Operator,
            &tax_id,
            issuer::domain::inviter::Decision::Suspend,
            Some("demo closed"),
            None,
        )
    })
    .expect("suspended");
    issuer::service::demo::seed(&db, &clock).expect("seeded again");
    assert_eq!(state_of(&db), "suspended");
}

#[tokio::test]
async fn a_draft_made_before_the_party_was_suspended_cannot_be_confirmed() {
    let (app, state) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let reply = step_one(&mut anna, DEMO_INVITATION, ANNA, "en").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let id = location(&reply)
        .trim_start_matches("/applications/")
        .split('/')
        .next()
        .expect("an id")
        .to_owned();
    let mut officer = office_client(&app, &state, "officer@migration.kz", Role::Officer);
    officer.get("/office/inviters").await;
    let reply = officer
        .post(
            &format!("/office/inviters/{DEMO_BIN}/suspend"),
            &[("reason", "licence withdrawn")],
        )
        .await;
    assert_eq!(location(&reply), "/office/inviters?done=suspended");
    anna.get(&format!("/applications/{id}/confirm")).await;
    let reply = anna
        .post(
            &format!("/applications/{id}/confirm?lang=ru"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("Приглашающая сторона ещё не проверена миграционной службой")
    );
    assert_eq!(status_of(&state, &id), "draft");
    let token = api_token(&app, "anna@example.com", false).await;
    let (status, body) = api(
        &app,
        "POST",
        &format!("/api/v1/applications/{id}/confirm"),
        Some(&token),
        json!({"confirm": true}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["fields"]["invitation_number"]["code"],
        "inviter_not_verified"
    );
    assert_eq!(status_of(&state, &id), "draft");
}
