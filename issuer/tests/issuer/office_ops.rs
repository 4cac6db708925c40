//! The back office's operator pages: issued visas and their revocation, the signing keys and the
//! trust bundle, the kiosks and their ledger uploads, the statistics. Every route is walked with
//! every role, an applicant's session and no cookie; every action is looked up in the audit log.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use issuer::clock::Clock;
use issuer::domain::office::{Duty, Role};
use issuer::keys::{keyfile, keyring};
use issuer::store::Db;
use issuer::store::Param;
use issuer::store::audit::Stored;
use issuer::web::{AppState, TrustFiles};
use shared::IssuerKey;
use shared::Port;
use shared::bundle::TrustBundle;
use shared::kiosk::{KioskId, RegisteredKiosk};
use shared::ledger::{GENESIS, LedgerRecord, RecordKind, record_hash, sign_export};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use tower::ServiceExt;

use crate::support::*;

fn portal_at(clock: Clock) -> (axum::Router, AppState) {
    portal_clocked(Db::in_memory().expect("db"), clock)
}

/// Writes an issued visa straight to the database (a holder's account, an invitation of the demo
/// party, the issued application and the visa signed at `signed_at`): the issuance itself has
/// its own tests.
fn issued_visa(state: &AppState, number: &str, citizenship: &str, signed_at: &str) {
    state
        .db
        .with(|conn| {
            conn.execute(
                "INSERT INTO users (email, full_name, password_hash, created_at)
                 VALUES ('holder@example.com', 'Anna Eriksson', 'x', ?1) ON CONFLICT DO NOTHING",
                [signed_at],
            )?;
            let user: i64 = conn.query_row(
                "SELECT id FROM users WHERE email = 'holder@example.com'",
                [],
                |r| r.get(0),
            )?;
            let inviter: i64 =
                conn.query_row("SELECT id FROM inviters ORDER BY id LIMIT 1", [], |r| r.get(0))?;
            let invitation: i64 = conn.query_row(
                "INSERT INTO invitations (number, inviter_id, surname, given_names, passport_number,
                 citizenship, date_of_birth, category, purpose, city, street, house, valid_from,
                 valid_until, stay_days, created_at)
                 VALUES (?1, ?2, 'ERIKSSON', 'ANNA MARIA', 'L898902C3', ?3, '1974-08-12', 'business',
                 'talks', 'Astana', 'Abai', '1', '2026-12-01', '2027-01-29', 30, ?4) RETURNING id",
                &[&format!("INV-{number}") as &dyn Param, &inviter, &citizenship, &signed_at][..],
                |r| r.get(0),
            )?;
            let application = format!("app-{number}");
            conn.execute(
                "INSERT INTO applications (id, user_id, invitation_id, status, data, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'issued', '{}', ?4, ?4)",
                &[&application as &dyn Param, &user, &invitation, &signed_at][..],
            )?;
            let mut visa: serde_json::Value =
                serde_json::from_str(include_str!("../../../shared/tests/vectors/visa.json"))?;
            visa["visa_number"] = number.into();
            visa["citizenship"] = citizenship.into();
            conn.execute(
                "INSERT INTO visas (number, application_id, visa, token, kid, signed_at)
                 VALUES (?1, ?2, ?3, 'token', '6445ad1ab849c622', ?4)",
                &[&number as &dyn Param, &application, &visa.to_string(), &signed_at][..],
            )?;
            Ok(())
        })
        .expect("an issued visa");
}

/// The audit log, newest first.
fn audit(state: &AppState) -> Vec<Stored> {
    state
        .db
        .with(|conn| issuer::store::audit::page(conn, None, 100))
        .expect("the audit log")
}

/// A key directory with a root key and two certified keys: `issuer-old`, whose certificate
/// ends in 30 days, and `issuer-new`, certified for two years. Given to the back office.
struct Keys {
    _dir: tempfile::TempDir,
    root: IssuerKey,
    old: IssuerKey,
    new: IssuerKey,
}

fn key_directory(state: &AppState, now: OffsetDateTime) -> Keys {
    let dir = tempfile::tempdir().expect("tempdir");
    let (root_paths, root) = keyfile::generate(&dir.path().join("root")).expect("root");
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).expect("keys dir");
    let mut made = Vec::new();
    for (name, from, until) in [
        (
            "issuer-old",
            now - Duration::days(300),
            now + Duration::days(30),
        ),
        (
            "issuer-new",
            now - Duration::days(10),
            now + Duration::days(700),
        ),
    ] {
        let (paths, key) = keyfile::generate(&keys.join(name)).expect("key");
        keyring::certify(
            &root_paths.private,
            &paths.public,
            from,
            until,
            &keys.join(format!("{name}.cert")),
        )
        .expect("certified");
        made.push(key);
    }
    assert!(state.set_trust_files(TrustFiles {
        key_dir: keys,
        root_public: root.public_key(),
        root_key: Some(root_paths.private),
    }));
    let new = made.pop().expect("new");
    let old = made.pop().expect("old");
    Keys {
        _dir: dir,
        root,
        old,
        new,
    }
}

/// Posts a multipart upload of `bytes` as the form's file, with this CSRF token.
async fn upload(client: &mut Client, csrf: &str, bytes: &[u8]) -> Reply {
    let boundary = "----office-ops-boundary-7d1f";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ledger.export\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::post("/office/kiosks/upload")
        .header(header::COOKIE, client.cookie_header())
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    client.send(request).await
}

/// Posts the bundle export form and gives the raw answer (the file is binary).
async fn export_bundle(client: &Client, csrf: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let request = Request::post("/office/keys/bundle")
        .header(header::COOKIE, client.cookie_header())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}")))
        .expect("request");
    let response = client
        .app
        .clone()
        .oneshot(request)
        .await
        .expect("infallible");
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, headers, bytes.to_vec())
}

/// A kiosk at `port` registered in the issuer, with its key.
fn registered_kiosk(state: &AppState, id: &str, port: Port) -> (IssuerKey, RegisteredKiosk) {
    let key = IssuerKey::generate(&mut rand_core::OsRng);
    let kiosk = RegisteredKiosk {
        id: KioskId::parse(id).expect("id"),
        port,
        key: key.public_key(),
    };
    let now = state.clock.rfc3339();
    state
        .db
        .with(|conn| issuer::store::kiosk::add_kiosk(conn, &kiosk, &now))
        .expect("registered");
    (key, kiosk)
}

/// A signed export of a kiosk's chain of `moves`: (kind, visa number, time, reason).
fn ledger(
    key: &IssuerKey,
    kiosk: &RegisteredKiosk,
    moves: &[(RecordKind, &str, OffsetDateTime, &str)],
    signed_at: OffsetDateTime,
) -> Vec<u8> {
    let mut records: Vec<LedgerRecord> = Vec::new();
    for (i, (kind, visa, at, reason)) in moves.iter().enumerate() {
        let direction = match kind {
            RecordKind::Exit => "exit",
            _ => "entry",
        };
        let mut record = LedgerRecord {
            kiosk_id: kiosk.id.to_string(),
            seq: i64::try_from(i).expect("few") + 1,
            at: shared::ledger::rfc3339_utc(*at),
            port: kiosk.port.code().to_owned(),
            kind: *kind,
            direction: Some(direction.to_owned()),
            visa_number: Some((*visa).to_owned()),
            passport_number: Some("L898902C3".to_owned()),
            verdict: if *reason == "ok" { "valid" } else { "invalid" }.to_owned(),
            reason: (*reason).to_owned(),
            detail: String::new(),
            prev_hash: records
                .last()
                .map_or(GENESIS.to_owned(), |r| r.hash.clone()),
            hash: String::new(),
        };
        record.hash = record_hash(&record);
        records.push(record);
    }
    sign_export(key, &kiosk.id, kiosk.port, signed_at, &records)
}

#[tokio::test]
async fn every_operator_route_lets_in_exactly_the_roles_the_matrix_names() {
    let (app, state) = portal_at(Clock::system());
    let _keys = key_directory(&state, state.clock.now());
    issued_visa(&state, "KZ0000001", "SWE", &state.clock.rfc3339());
    let pages = [
        ("/office/visas", Duty::RevokeVisa),
        ("/office/visas/KZ0000001", Duty::RevokeVisa),
        ("/office/keys", Duty::Keys),
        ("/office/kiosks", Duty::Ledgers),
        ("/office/statistics", Duty::ReadStatistics),
        ("/office/statistics/applications.csv", Duty::ReadStatistics),
        ("/office/statistics/crossings.csv", Duty::ReadStatistics),
        ("/office/statistics/citizenships.csv", Duty::ReadStatistics),
    ];
    // Forms sent empty: a role that may act gets its form back with what is missing (422), the
    // bundle export answers with the file; a role that may not gets 403.
    let forms: [(&str, Duty); 3] = [
        ("/office/visas/KZ0000001/revoke", Duty::RevokeVisa),
        ("/office/keys/revoke", Duty::RevokeKey),
        ("/office/keys/bundle", Duty::ExportBundle),
    ];
    for role in Role::ALL {
        let email = format!("{}@migration.kz", role.as_str());
        let mut client = office_client(&app, &state, &email, role);
        for (path, duty) in pages {
            let reply = client.get(path).await;
            let expected = if role.may(duty) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(reply.status, expected, "{role:?} GET {path}");
        }
        client.get("/office").await;
        let token = csrf_of(&client.last);
        for (path, duty) in forms {
            let status = if path == "/office/keys/bundle" {
                export_bundle(&client, &token).await.0
            } else {
                client.post_raw(path, &[("csrf", &token)]).await.status
            };
            let expected = match (role.may(duty), path) {
                (false, _) => StatusCode::FORBIDDEN,
                (true, "/office/keys/bundle") => StatusCode::OK,
                (true, _) => StatusCode::UNPROCESSABLE_ENTITY,
            };
            assert_eq!(status, expected, "{role:?} POST {path}");
        }
        let reply = upload(&mut client, &token, b"").await;
        let expected = if role.may(Duty::Ledgers) {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(reply.status, expected, "{role:?} upload");
    }

    let mut applicant = Client::new(&app);
    applicant.sign_up("applicant@example.com").await;
    let mut nobody = Client::new(&app);
    for client in [&mut applicant, &mut nobody] {
        for (path, _) in pages {
            let reply = client.get(path).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "GET {path}");
            assert_eq!(reply.headers["location"], "/office/login");
        }
        for (path, _) in forms {
            let reply = client.post_raw(path, &[("csrf", "x")]).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "POST {path}");
            assert_eq!(reply.headers["location"], "/office/login");
        }
        let reply = upload(client, "x", b"x").await;
        assert_eq!(reply.headers["location"], "/office/login");
    }
    let exported: Vec<Stored> = audit(&state)
        .into_iter()
        .filter(|s| s.entry.action == "bundle.exported")
        .collect();
    assert_eq!(exported.len(), 1, "only the supervisor exported a bundle");
    assert_eq!(exported[0].entry.actor, "officer:supervisor@migration.kz");
}

#[tokio::test]
async fn an_officer_finds_a_visa_and_revokes_it_with_a_reason_logged_before_and_after() {
    let (app, state) = portal_at(Clock::system());
    issued_visa(&state, "KZ0000001", "SWE", "2026-11-25T09:30:00Z");
    issued_visa(&state, "KZ0000002", "DEU", "2026-11-26T09:30:00Z");
    let mut officer = office_client(&app, &state, "officer@migration.kz", Role::Officer);

    let list = officer.get("/office/visas").await;
    assert_eq!(list.status, StatusCode::OK);
    let listed = &list.body[list.body.find("Latest issued visas").expect("the list")..];
    let (second, first) = (
        listed.find("KZ0000002").expect("listed"),
        listed.find("KZ0000001").expect("listed"),
    );
    assert!(second < first, "the latest first");
    assert!(list.body.contains("ERIKSSON ANNA MARIA"));

    let found = officer.get("/office/visas?number=kz0000001").await;
    assert_eq!(found.status, StatusCode::SEE_OTHER);
    assert_eq!(found.headers["location"], "/office/visas/KZ0000001");
    let missing = officer.get("/office/visas?number=KZ0009999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing
            .body
            .contains("No visa with this number was issued here.")
    );

    let page = officer.get("/office/visas/KZ0000001?lang=en").await;
    assert!(page.body.contains("L898902C3") && page.body.contains("Valid"));
    let no_reason = officer
        .post("/office/visas/KZ0000001/revoke", &[("reason", "  ")])
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Give a reason of 1 to 200 bytes."));
    assert!(audit(&state).is_empty(), "nothing happened, nothing logged");

    let done = officer
        .post(
            "/office/visas/KZ0000001/revoke",
            &[("reason", "passport reported stolen")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let page = officer
        .get(done.headers["location"].to_str().expect("ascii"))
        .await;
    assert!(page.body.contains("The visa was revoked."));
    assert!(page.body.contains("passport reported stolen"));
    assert!(
        !page.body.contains("Revoke the visa"),
        "no second revocation form"
    );

    let log = audit(&state);
    assert_eq!(log.len(), 1);
    let entry = &log[0].entry;
    assert_eq!(
        (
            entry.action.as_str(),
            entry.actor.as_str(),
            entry.record.as_str()
        ),
        (
            "visa.revoked",
            "officer:officer@migration.kz",
            "visa:KZ0000001"
        )
    );
    assert_eq!(entry.before.as_deref(), Some("issued"));
    assert_eq!(
        entry.after.as_deref(),
        Some("revoked: passport reported stolen")
    );
    // The same effect as `issuer revoke`: the next bundle lists it.
    let content = state
        .db
        .with(|conn| {
            issuer::store::trust::trust_content(
                conn,
                shared::bundle::first_listed_day(time::OffsetDateTime::now_utc()),
            )
        })
        .expect("content");
    assert_eq!(content.revoked_visas.len(), 1);
    assert_eq!(content.revoked_visas[0].visa_number.as_str(), "KZ0000001");
}

#[tokio::test]
async fn the_keys_page_warns_before_a_certificate_ends_and_a_supervisor_revokes_keys_and_exports_bundles()
 {
    let (app, state) = portal_at(Clock::system());
    let keys = key_directory(&state, state.clock.now());
    let (old, new) = (keys.old.kid().to_string(), keys.new.kid().to_string());
    let mut supervisor = office_client(&app, &state, "chief@migration.kz", Role::Supervisor);

    let page = supervisor.get("/office/keys").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&old) && page.body.contains(&new));
    let warning = "The certificate ends within 60 days: certify the next key.";
    let notice = page
        .body
        .split("class=\"notice warning\"")
        .nth(1)
        .expect("a warning");
    assert!(notice.contains("issuer-old") && notice.contains(warning));
    assert_eq!(
        page.body.matches("class=\"notice warning\"").count(),
        1,
        "the key certified for two years is not warned about"
    );
    assert!(page.body.contains("No bundle has been exported yet."));

    let unconfirmed = supervisor
        .post(
            "/office/keys/revoke",
            &[("kid", old.as_str()), ("reason", "compromised")],
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unconfirmed.body.contains("Tick the box to confirm."));
    let unknown = supervisor
        .post(
            "/office/keys/revoke",
            &[
                ("kid", "00000000000000ff"),
                ("reason", "compromised"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert!(unknown.body.contains("Choose a key from the list."));
    let revoked = supervisor
        .post(
            "/office/keys/revoke",
            &[
                ("kid", old.as_str()),
                ("reason", "compromised"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let page = supervisor.get("/office/keys?done=key-revoked").await;
    assert!(page.body.contains("The key was revoked."));
    assert!(page.body.contains("compromised"));

    let token = csrf_of(&page.body);
    let mut sequences = Vec::new();
    for _ in 0..2 {
        let (status, headers, bytes) = export_bundle(&supervisor, &token).await;
        assert_eq!(status, StatusCode::OK);
        let bundle = TrustBundle::verify(&bytes, &keys.root.public_key()).expect("root-signed");
        assert_eq!(
            headers[header::CONTENT_DISPOSITION],
            format!(
                "attachment; filename=\"trust-{}.kztrust\"",
                bundle.sequence()
            )
            .as_str()
        );
        assert_eq!(bundle.certificates().len(), 2);
        assert_eq!(
            bundle
                .revoked_keys()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            std::slice::from_ref(&old)
        );
        sequences.push(bundle.sequence());
    }
    assert_eq!(sequences, [1, 2], "strictly increasing");
    let page = supervisor.get("/office/keys").await;
    assert!(page.body.contains("#2"));

    let log = audit(&state);
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|s| (s.entry.action.as_str(), s.entry.record.as_str()))
        .collect();
    let key_record = format!("key:{old}");
    assert_eq!(
        actions,
        [
            ("bundle.exported", "bundle:2"),
            ("bundle.exported", "bundle:1"),
            ("key.revoked", key_record.as_str()),
        ]
    );
    assert!(
        log.iter()
            .all(|s| s.entry.actor == "officer:chief@migration.kz")
    );
    assert_eq!(log[2].entry.after.as_deref(), Some("revoked: compromised"));
}

#[tokio::test]
async fn an_officer_uploads_a_signed_ledger_and_a_refused_file_says_why() {
    let (app, state) = portal_at(Clock::system());
    let now = state.clock.now();
    let (key, ala) = registered_kiosk(&state, "ALA-01", Port::Ala);
    let mut officer = office_client(&app, &state, "officer@migration.kz", Role::Officer);
    let page = officer.get("/office/kiosks").await;
    assert!(page.body.contains("ALA-01") && page.body.contains("No upload yet"));
    let token = csrf_of(&page.body);

    let file = ledger(
        &key,
        &ala,
        &[
            (
                RecordKind::Entry,
                "KZ0000001",
                now - Duration::hours(3),
                "ok",
            ),
            (
                RecordKind::Entry,
                "KZ0000002",
                now - Duration::hours(2),
                "ok",
            ),
            (
                RecordKind::Exit,
                "KZ0000003",
                now - Duration::hours(1),
                "overstay",
            ),
        ],
        now,
    );
    let imported = upload(&mut officer, &token, &file).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    assert!(imported.body.contains("The export was imported."));
    assert!(imported.body.contains("New records: 3"));
    assert!(imported.body.contains("#3"), "the last record held");

    let refused = upload(&mut officer, &token, b"not an export at all").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("The export was refused and nothing was imported.")
    );
    assert!(refused.body.contains("not a signed ledger export"));
    let stranger = IssuerKey::generate(&mut rand_core::OsRng);
    let forged = ledger(
        &stranger,
        &ala,
        &[(RecordKind::Entry, "KZ9", now, "ok")],
        now,
    );
    let refused = upload(&mut officer, &token, &forged).await;
    assert!(refused.body.contains("not the key of a registered kiosk"));
    let without_token = upload(&mut officer, "", &file).await;
    assert_eq!(without_token.status, StatusCode::FORBIDDEN);

    let log = audit(&state);
    let actions: Vec<(&str, &str, &str)> = log
        .iter()
        .map(|s| {
            (
                s.entry.action.as_str(),
                s.entry.record.as_str(),
                s.entry.actor.as_str(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("ledger.refused", "ledger", "officer:officer@migration.kz"),
            ("ledger.refused", "ledger", "officer:officer@migration.kz"),
            (
                "ledger.imported",
                "kiosk:ALA-01",
                "officer:officer@migration.kz"
            ),
        ]
    );
}

#[tokio::test]
async fn the_statistics_say_how_many_visas_were_issued_last_week_and_how_many_entered_through_almaty()
 {
    // Monday 7 December 2026; last week is 30 November to 6 December, in Astana's days.
    let clock = Clock::fixed(datetime!(2026-12-07 06:00 UTC));
    let (app, state) = portal_at(clock);
    // 01:00 on 30 November in Astana: last week. 23:00 on 29 November in Astana: the week before.
    issued_visa(&state, "KZ0000001", "SWE", "2026-11-29T20:00:00Z");
    issued_visa(&state, "KZ0000002", "SWE", "2026-12-02T08:00:00Z");
    issued_visa(&state, "KZ0000003", "DEU", "2026-12-06T18:59:59Z");
    issued_visa(&state, "KZ0000004", "SWE", "2026-11-29T18:00:00Z");
    let (ala_key, ala) = registered_kiosk(&state, "ALA-01", Port::Ala);
    let (nqz_key, nqz) = registered_kiosk(&state, "NQZ-01", Port::Nqz);
    let signed = datetime!(2026-12-07 05:00 UTC);
    let at = |t: OffsetDateTime| t;
    let files = [
        ledger(
            &ala_key,
            &ala,
            &[
                (
                    RecordKind::Entry,
                    "KZ0000001",
                    at(datetime!(2026-12-02 10:00 UTC)),
                    "ok",
                ),
                (
                    RecordKind::Check,
                    "KZ0000002",
                    at(datetime!(2026-12-02 10:05 UTC)),
                    "ok",
                ),
                (
                    RecordKind::Entry,
                    "KZ0000002",
                    at(datetime!(2026-12-02 10:06 UTC)),
                    "ok",
                ),
                (
                    RecordKind::Exit,
                    "KZ0000009",
                    at(datetime!(2026-12-03 10:00 UTC)),
                    "overstay",
                ),
            ],
            signed,
        ),
        ledger(
            &nqz_key,
            &nqz,
            &[(
                RecordKind::Entry,
                "KZ0000003",
                at(datetime!(2026-12-06 10:00 UTC)),
                "ok",
            )],
            signed,
        ),
    ];
    let mut officer = office_client(&app, &state, "officer@migration.kz", Role::Officer);
    let token = csrf_of(&officer.get("/office/kiosks").await.body);
    for file in &files {
        assert_eq!(
            upload(&mut officer, &token, file).await.status,
            StatusCode::OK
        );
    }

    let mut auditor = office_client(&app, &state, "auditor@migration.kz", Role::Auditor);
    let week = "from=2026-11-30&until=2026-12-06";
    let page = auditor.get(&format!("/office/statistics?{week}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<dt>Issued</dt><dd>3</dd>"),
        "issued last week"
    );
    assert!(
        page.body.contains("<dt>Almaty: entries</dt><dd>2</dd>"),
        "entered through Almaty last week"
    );
    assert!(page.body.contains("<svg"), "drawn as SVG");
    assert!(
        !page.body.contains("style="),
        "no inline style under the CSP"
    );
    assert!(!page.body.contains("<script"));

    let csv = auditor
        .get(&format!("/office/statistics/applications.csv?{week}"))
        .await;
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(csv.body.lines().count(), 8, "a header and seven days");
    assert!(csv.body.contains("2026-11-30,1,0,1,0,0,0\r\n"));
    assert!(csv.body.contains("2026-12-06,1,0,1,0,0,0\r\n"));
    let crossings = auditor
        .get(&format!("/office/statistics/crossings.csv?{week}"))
        .await;
    assert!(crossings.body.contains("2026-12-02,0,0,2,0,0\r\n"));
    assert!(crossings.body.contains("2026-12-03,0,0,0,1,1\r\n"));
    assert!(crossings.body.contains("2026-12-06,1,0,0,0,0\r\n"));
    let citizenships = auditor
        .get(&format!("/office/statistics/citizenships.csv?{week}"))
        .await;
    assert_eq!(citizenships.body, "citizenship,visas\r\nSWE,2\r\nDEU,1\r\n");

    let default = auditor.get("/office/statistics?lang=ru").await;
    assert_eq!(default.status, StatusCode::OK);
    assert!(
        default.body.contains("value=\"2026-11-08\""),
        "the last 30 days"
    );
    assert!(default.body.contains("Заявления по дням"));
    let reversed = auditor
        .get("/office/statistics?from=2026-12-06&until=2026-11-30&lang=en")
        .await;
    assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reversed
            .body
            .contains("The first day must not be after the last.")
    );
}
