//! Screening: a paid application whose holder is on the stop-list is not signed but waits at
//! `/office/screening` with the matching entry ("Under review" for the applicant, no reason given);
//! approval signs exactly one visa, refusal leaves "Refused", no visa and the receipt; the
//! stop-list is kept in the back office and by `issuer stop-list add|remove`, every action audited.

use std::process::Command;

use axum::http::{StatusCode, header};
use issuer::clock::Clock;
use issuer::domain::office::Role;
use issuer::domain::payment::NoticeOutcome;
use issuer::service::demo::DEMO_INVITATION;
use issuer::store::Db;
use issuer::web::AppState;
use tower::ServiceExt;

use crate::flow::*;
use crate::support::*;

fn portal() -> (axum::Router, AppState) {
    portal_clocked(Db::in_memory().expect("db"), Clock::system())
}

fn location(reply: &Reply) -> &str {
    reply.headers[header::LOCATION]
        .to_str()
        .expect("a location")
}

/// The API's view of an application of `email` (who signed up on the web with [`PASSWORD`]).
async fn api_status(app: &axum::Router, email: &str, id: &str) -> String {
    let token = crate::office_inviters::api_token(app, email, false).await;
    let request = axum::http::Request::get(format!("/api/v1/applications/{id}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    body["status"].as_str().expect("a status").to_owned()
}

/// Anna applies on the demo invitation and pays; gives her browser and the application id.
async fn anna_pays(app: &axum::Router, state: &AppState) -> (Client, String, NoticeOutcome) {
    let mut anna = Client::new(app);
    anna.sign_up("anna@example.com").await;
    let id = applied(&mut anna, DEMO_INVITATION, ANNA).await;
    let outcome = pay(state, "anna@example.com", &id).await;
    (anna, id, outcome)
}

#[tokio::test]
async fn a_stop_listed_traveller_waits_for_an_officer_and_approval_issues_exactly_one_visa() {
    let (app, state) = portal();
    let mut officer = office_client(&app, &state, "officer@migration.kz", Role::Officer);
    officer.get("/office/screening").await;
    let reply = officer
        .post(
            "/office/screening/stop-list",
            &[
                ("surname", "Eriksson"),
                ("born", "1974-08-12"),
                ("note", "Interpol yellow notice 2026/114"),
            ],
        )
        .await;
    assert_eq!(location(&reply), "/office/screening?done=added");
    let added = audit_of(&state, "stop_list:1");
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].1, "stop_list.added");
    assert_eq!(
        added[0].3.as_deref(),
        Some("Eriksson born 1974-08-12; note: Interpol yellow notice 2026/114")
    );

    let (mut anna, id, outcome) = anna_pays(&app, &state).await;
    assert_eq!(outcome, NoticeOutcome::Paid(id.clone()));
    assert_eq!(status_of(&state, &id), "under_review");
    assert_eq!(visas_of(&state, &id), 0);
    // English last: the language chosen sticks (a cookie) for the pages after.
    for (lang, words) in [
        ("ru", "На рассмотрении"),
        ("kk", "Қаралуда"),
        ("en", "Under review"),
    ] {
        let page = anna
            .get(&format!("/applications/{id}/result?lang={lang}"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(words), "{lang}");
        assert!(!page.body.contains("visa.pdf"));
        assert!(!page.body.contains("Interpol"), "no reason is shown");
    }
    let visas = anna.get("/account/visas").await;
    assert!(visas.body.contains("Under review"));
    assert_eq!(
        anna.get(&format!("/applications/{id}/receipt"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        api_status(&app, "anna@example.com", &id).await,
        "under_review"
    );
    // The API's document lists the states it now answers.
    let mut reader = Client::new(&app);
    let document = reader.get("/api/v1/openapi.json").await;
    let document: serde_json::Value = serde_json::from_str(&document.body).expect("JSON");
    let states = &document["components"]["schemas"]["StatusName"]["enum"];
    for state in ["under_review", "refused", "issued"] {
        assert!(
            states
                .as_array()
                .is_some_and(|s| s.iter().any(|v| v == state)),
            "{state} in {states}"
        );
    }
    // A restart does not sign it behind the officer's back.
    let restarted = issuer::service::issuance::complete_paid(&state.db, &dev_key(), &state.clock)
        .expect("start-up completion");
    assert_eq!(restarted, 0);

    let queue = officer.get("/office/screening").await;
    for shown in [
        "ERIKSSON ANNA MARIA",
        "L898902C3",
        "Eriksson born 1974-08-12",
        "Interpol yellow notice 2026/114",
        DEMO_INVITATION,
    ] {
        assert!(queue.body.contains(shown), "{shown}");
    }
    let reply = officer
        .post(&format!("/office/screening/{id}/approve"), &[])
        .await;
    assert_eq!(
        location(&reply),
        "/office/screening?done=approved&visa=KZ0000001"
    );
    assert_eq!(visas_of(&state, &id), 1);
    assert_eq!(status_of(&state, &id), "issued");
    // Approving again, or a restart, signs nothing more.
    officer.get("/office/screening").await;
    let again = officer
        .post(&format!("/office/screening/{id}/approve"), &[])
        .await;
    assert_eq!(location(&again), "/office/screening?done=not_waiting");
    issuer::service::issuance::complete_paid(&state.db, &dev_key(), &state.clock)
        .expect("start-up completion");
    assert_eq!(visas_of(&state, &id), 1);
    let result = anna.get(&format!("/applications/{id}/result")).await;
    assert!(
        result
            .body
            .contains(&format!("/applications/{id}/visa.pdf"))
    );
    assert_eq!(api_status(&app, "anna@example.com", &id).await, "issued");
    let trail = audit_of(&state, &format!("application:{id}"));
    assert_eq!(
        trail,
        [(
            "officer:officer@migration.kz".to_owned(),
            "screening.approved".to_owned(),
            Some("under_review".to_owned()),
            Some("issued; visa: KZ0000001".to_owned())
        )]
    );
    assert!(audit_intact(&state));
}

#[tokio::test]
async fn a_refused_traveller_sees_refused_gets_no_visa_and_keeps_the_receipt() {
    let (app, state) = portal();
    let mut supervisor = office_client(&app, &state, "chief@migration.kz", Role::Supervisor);
    supervisor.get("/office/screening").await;
    // Typed with the letter O for the zero, spaces and lower case: the MRZ's number still matches.
    let reply = supervisor
        .post(
            "/office/screening/stop-list",
            &[("passport_number", "l898 9O2c3"), ("citizenship", "swe")],
        )
        .await;
    assert_eq!(location(&reply), "/office/screening?done=added");
    let (mut anna, id, _) = anna_pays(&app, &state).await;
    assert_eq!(status_of(&state, &id), "under_review");
    assert_eq!(
        mails_to(&state, "anna@example.com")
            .last()
            .map(|m| m.0.as_str()),
        Some("under_review")
    );
    let queue = supervisor.get("/office/screening").await;
    assert!(queue.body.contains("passport L898902C3 SWE"));
    let reply = supervisor
        .post(&format!("/office/screening/{id}/refuse"), &[("reason", "")])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("role=\"alert\""));
    assert_eq!(status_of(&state, &id), "under_review");
    let reply = supervisor
        .post(
            &format!("/office/screening/{id}/refuse"),
            &[("reason", "entry ban until 2030")],
        )
        .await;
    assert_eq!(location(&reply), "/office/screening?done=refused");
    assert_eq!(status_of(&state, &id), "refused");
    let (kind, letter) = mails_to(&state, "anna@example.com").pop().expect("a mail");
    assert_eq!(kind, "refused");
    assert!(
        !letter.contains("entry ban"),
        "the officer's reason stays in the back office"
    );
    assert_eq!(visas_of(&state, &id), 0);
    for (lang, words) in [
        ("ru", "Отказано"),
        ("kk", "Бас тартылды"),
        ("en", "Refused"),
    ] {
        let page = anna
            .get(&format!("/applications/{id}/result?lang={lang}"))
            .await;
        assert!(page.body.contains(words), "{lang}");
        assert!(!page.body.contains("entry ban"), "no reason is shown");
    }
    let page = anna.get(&format!("/applications/{id}/result")).await;
    assert!(page.body.contains("non-refundable"));
    assert!(page.body.contains(&format!("/applications/{id}/receipt")));
    let receipt = anna.get(&format!("/applications/{id}/receipt")).await;
    assert_eq!(receipt.status, StatusCode::OK);
    assert!(receipt.body.contains("EP-2026-000123"));
    assert_eq!(api_status(&app, "anna@example.com", &id).await, "refused");
    // Nothing signs a refused application later.
    let restarted = issuer::service::issuance::complete_paid(&state.db, &dev_key(), &state.clock)
        .expect("start-up completion");
    assert_eq!(restarted, 0);
    assert_eq!(visas_of(&state, &id), 0);
    let trail = audit_of(&state, &format!("application:{id}"));
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].1, "screening.refused");
    assert_eq!(
        trail[0].3.as_deref(),
        Some("refused; reason: entry ban until 2030")
    );
}

#[tokio::test]
async fn a_removed_entry_holds_no_one_and_bad_entries_show_their_field_errors() {
    let (app, state) = portal();
    let mut officer = office_client(&app, &state, "officer@migration.kz", Role::Officer);
    officer.get("/office/screening").await;
    let both = officer
        .post(
            "/office/screening/stop-list",
            &[
                ("passport_number", "L898902C3"),
                ("citizenship", "SWE"),
                ("surname", "Eriksson"),
                ("born", "1974-08-12"),
            ],
        )
        .await;
    assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(both.body.contains("Give either a passport"));
    let cyrillic = officer
        .post(
            "/office/screening/stop-list?lang=ru",
            &[("surname", "Эрикссон"), ("born", "1974-08-12")],
        )
        .await;
    assert_eq!(cyrillic.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(cyrillic.body.contains("id=\"e-surname\""));
    assert!(
        cyrillic.body.contains("value=\"Эрикссон\""),
        "the form keeps what was typed"
    );
    officer
        .post(
            "/office/screening/stop-list",
            &[("surname", "ERIKSSON"), ("born", "1974-08-12")],
        )
        .await;
    officer.get("/office/screening").await;
    let reply = officer
        .post("/office/screening/stop-list/1/remove", &[])
        .await;
    assert_eq!(location(&reply), "/office/screening?done=removed");
    officer.get("/office/screening").await;
    let again = officer
        .post("/office/screening/stop-list/1/remove", &[])
        .await;
    assert_eq!(location(&again), "/office/screening?done=no_such_entry");
    let (_anna, id, _) = anna_pays(&app, &state).await;
    assert_eq!(status_of(&state, &id), "issued");
    assert_eq!(visas_of(&state, &id), 1);
    let trail = audit_of(&state, "stop_list:1");
    let actions: Vec<&str> = trail.iter().map(|t| t.1.as_str()).collect();
    assert_eq!(actions, ["stop_list.added", "stop_list.removed"]);
}

#[tokio::test]
async fn every_screening_route_checks_the_duty_and_the_office_session() {
    let (app, state) = portal();
    // A held application for the approve and refuse routes.
    state
        .db
        .with(|conn| {
            let entry = issuer::domain::screening::StopEntryForm {
                surname: "ERIKSSON".into(),
                born: "1974-08-12".into(),
                ..Default::default()
            }
            .parse()
            .map_err(|p| anyhow::anyhow!("{p:?}"))?;
            issuer::store::screening::add_entry(conn, &entry, "operator", "2026-11-30T00:00:00Z")
        })
        .expect("an entry");
    let (_anna, id, _) = anna_pays(&app, &state).await;
    assert_eq!(status_of(&state, &id), "under_review");
    let approve = format!("/office/screening/{id}/approve");
    let refuse = format!("/office/screening/{id}/refuse");
    let posts: [(&str, Vec<(&str, &str)>); 4] = [
        (
            "/office/screening/stop-list",
            vec![("surname", "Doe"), ("born", "1980-01-01")],
        ),
        ("/office/screening/stop-list/2/remove", vec![]),
        (refuse.as_str(), vec![("reason", "no")]),
        (approve.as_str(), vec![]),
    ];
    // The officer walks every route; the supervisor adds and removes (the application is decided).
    let mut officer = office_client(&app, &state, "officer@migration.kz", Role::Officer);
    assert_eq!(
        officer.get("/office/screening").await.status,
        StatusCode::OK
    );
    let expected = [
        "/office/screening?done=added",
        "/office/screening?done=removed",
        "/office/screening?done=refused",
        "/office/screening?done=not_waiting",
    ];
    for ((path, fields), want) in posts.iter().zip(expected) {
        officer.get("/office/screening").await;
        let reply = officer.post(path, fields).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&reply), want, "{path}");
    }
    let mut supervisor = office_client(&app, &state, "chief@migration.kz", Role::Supervisor);
    assert_eq!(
        supervisor.get("/office/screening").await.status,
        StatusCode::OK
    );
    let reply = supervisor.post(posts[0].0, &posts[0].1).await;
    assert_eq!(location(&reply), "/office/screening?done=added");
    supervisor.get("/office/screening").await;
    let reply = supervisor
        .post("/office/screening/stop-list/3/remove", &[])
        .await;
    assert_eq!(location(&reply), "/office/screening?done=removed");
    for path in [approve.as_str(), refuse.as_str()] {
        supervisor.get("/office/screening").await;
        let reply = supervisor.post(path, &[("reason", "late")]).await;
        assert_eq!(
            location(&reply),
            "/office/screening?done=not_waiting",
            "{path}"
        );
    }
    let before = audit_of(&state, &format!("application:{id}")).len();
    let mut auditor = office_client(&app, &state, "auditor@migration.kz", Role::Auditor);
    assert_eq!(
        auditor.get("/office/screening").await.status,
        StatusCode::FORBIDDEN
    );
    auditor.get("/office").await;
    for (path, fields) in &posts {
        let reply = auditor.post(path, fields).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    let mut applicant = Client::new(&app);
    applicant.sign_up("applicant@example.com").await;
    let mut nobody = Client::new(&app);
    for client in [&mut applicant, &mut nobody] {
        let page = client.get("/office/screening").await;
        assert_eq!(location(&page), "/office/login");
        for (path, fields) in &posts {
            let mut all = vec![("csrf", "x")];
            all.extend_from_slice(fields);
            let reply = client.post_raw(path, &all).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(location(&reply), "/office/login");
        }
    }
    assert_eq!(audit_of(&state, &format!("application:{id}")).len(), before);
    let entries = state
        .db
        .with(|conn| issuer::store::screening::entries(conn))
        .expect("entries");
    assert_eq!(entries.len(), 1, "only the first entry is still in force");
}

#[test]
fn issuer_stop_list_add_and_remove_run_for_scripts_with_documented_exit_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(Db::open(&dir.path().join("issuer.sqlite3")).expect("db"));
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_issuer"))
            .args(args)
            .arg("--data-dir")
            .arg(dir.path())
            .output()
            .expect("issuer runs")
    };
    let added = run(&[
        "stop-list",
        "add",
        "--passport",
        "L898902C3",
        "--citizenship",
        "SWE",
        "--note",
        "lost passport",
    ]);
    assert_eq!(added.status.code(), Some(0), "{added:?}");
    assert_eq!(String::from_utf8_lossy(&added.stdout).trim(), "1");
    let person = run(&[
        "stop-list",
        "add",
        "--surname",
        "Müller",
        "--born",
        "1980-01-02",
    ]);
    assert_eq!(String::from_utf8_lossy(&person.stdout).trim(), "2");
    // Both kinds at once, or half of one, is a usage error; a bad value says which flag.
    for args in [
        &[
            "stop-list",
            "add",
            "--passport",
            "X1",
            "--citizenship",
            "SWE",
            "--surname",
            "A",
            "--born",
            "1980-01-01",
        ][..],
        &["stop-list", "add", "--passport", "X1"][..],
    ] {
        assert_eq!(run(args).status.code(), Some(2), "{args:?}");
    }
    let cyrillic = run(&[
        "stop-list",
        "add",
        "--surname",
        "Иванов",
        "--born",
        "1980-01-02",
    ]);
    assert_eq!(cyrillic.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&cyrillic.stderr).contains("--surname"));
    let removed = run(&["stop-list", "remove", "1"]);
    assert_eq!(removed.status.code(), Some(0), "{removed:?}");
    assert_eq!(run(&["stop-list", "remove", "1"]).status.code(), Some(3));
    let db = Db::open(&dir.path().join("issuer.sqlite3")).expect("db");
    let entries = db
        .with(|conn| issuer::store::screening::entries(conn))
        .expect("entries");
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].subject,
        issuer::domain::screening::Subject::Person {
            surname: "Müller".into(),
            born: time::macros::date!(1980 - 01 - 02)
        }
    );
    let actions: Vec<(String, String)> = db
        .with(|conn| {
            let mut stmt = conn.prepare("SELECT actor, action FROM audit_log ORDER BY seq")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<anyhow::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .expect("the log");
    let operator = |a: &str| ("operator".to_owned(), a.to_owned());
    assert_eq!(
        actions,
        [
            operator("stop_list.added"),
            operator("stop_list.added"),
            operator("stop_list.removed")
        ]
    );
}

/// The mails queued for this address, oldest first: their kind and their letter as stored.
fn mails_to(state: &AppState, email: &str) -> Vec<(String, String)> {
    state
        .db
        .with(|conn| {
            let mut statement = conn.prepare(
                "SELECT kind, coalesce(letter, '') FROM outbox WHERE recipient = ?1 ORDER BY id",
            )?;
            let rows = statement.query_map([email], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<anyhow::Result<Vec<_>>>()
        })
        .expect("the outbox")
}
