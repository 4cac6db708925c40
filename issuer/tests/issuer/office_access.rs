//! Officers from the operator's `issuer officer add` to log-out, as an officer's browser sees it:
//! the set-up link with its QR code, the password and first code, the log-in with a code the
//! test computes from the page's key at a fixed clock, replayed and wrong codes, the lock and the
//! supervisor's reset, disabling, who reaches which route, the audit log's pages and export,
//! and `issuer audit verify` on an intact and a tampered database.

use std::process::Command;

use axum::http::StatusCode;
use issuer::clock::Clock;
use issuer::domain::account::Email;
use issuer::domain::office::Role;
use issuer::domain::totp::Secret;
use issuer::service::officer;
use issuer::store::Db;
use issuer::web::AppState;
use time::Duration;
use time::macros::datetime;

use crate::support::*;

const OFFICER_PASSWORD: &str = "officer password 2026";

fn fixed_portal() -> (axum::Router, AppState, Clock) {
    let clock = Clock::fixed(datetime!(2026-11-30 10:00:10 UTC));
    let (app, state) = portal_clocked(Db::in_memory().expect("db"), clock.clone());
    (app, state, clock)
}

/// Adds an officer as the operator does and returns the set-up path.
fn add(state: &AppState, email: &str, role: Role) -> String {
    let email = Email::parse(email).expect("e-mail");
    let token = officer::add(&state.db, &state.clock, &email, role)
        .expect("added")
        .expect("a new officer");
    format!("/office/setup/{token}")
}

/// Base32 (RFC 4648) back to bytes, as a phone app reads the typed key.
fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut buffer, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        let value = u32::try_from(ALPHABET.find(c).expect("a base32 letter")).expect("small");
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).expect("a byte"));
        }
    }
    out
}

/// The text between `start` and the next `end` after it.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {page}"))
        + start.len();
    let rest = &page[from..];
    &rest[..rest.find(end).expect("end marker")]
}

/// The secret the set-up page shows as the typed key.
fn secret_of(page: &str) -> Secret {
    let key = between(page, "<code class=\"secret\">", "</code>");
    Secret::from_bytes(&base32_decode(key)).expect("a 20-byte secret")
}

/// The QR code of the set-up page, drawn from its SVG path and read with rqrr.
fn qr_text_of(page: &str) -> String {
    let view_box = between(page, "viewBox=\"0 0 ", "\"");
    let size: u32 = view_box
        .split(' ')
        .next()
        .expect("size")
        .parse()
        .expect("a number");
    let path = between(page, "<path d=\"", "\"");
    let scale = 6;
    let mut image = image::GrayImage::from_pixel(size * scale, size * scale, image::Luma([255]));
    for square in path.split('M').filter(|s| !s.is_empty()) {
        let corner = square.trim_end_matches("h1v1h-1z");
        let (x, y) = corner.split_once(' ').expect("x y");
        let (x, y): (u32, u32) = (x.parse().expect("x"), y.parse().expect("y"));
        for dy in 0..scale {
            for dx in 0..scale {
                image.put_pixel(x * scale + dx, y * scale + dy, image::Luma([0]));
            }
        }
    }
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    grids[0].decode().expect("the QR code decodes").1
}

/// Opens the set-up link, sets the password and confirms the current code; returns the secret.
async fn enrol(client: &mut Client, clock: &Clock, setup: &str) -> Secret {
    let page = client.get(setup).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let secret = secret_of(&page.body);
    let code = secret.code_at(clock.unix()).digits();
    let done = client
        .post(
            setup,
            &[
                ("password", OFFICER_PASSWORD),
                ("password_again", OFFICER_PASSWORD),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    secret
}

/// Posts the log-in form.
async fn log_in(client: &mut Client, email: &str, password: &str, code: &str) -> Reply {
    client.get("/office/login").await;
    client
        .post(
            "/office/login",
            &[("email", email), ("password", password), ("code", code)],
        )
        .await
}

/// The actions of the audit log, oldest first.
fn actions(state: &AppState) -> Vec<String> {
    let mut all = state
        .db
        .with(|conn| issuer::store::audit::page(conn, None, 10_000))
        .expect("the log reads");
    all.reverse();
    all.into_iter().map(|s| s.entry.action).collect()
}

#[tokio::test]
async fn an_officer_sets_up_with_the_link_and_logs_in_with_password_and_a_code() {
    let (app, state, clock) = fixed_portal();
    let setup = add(&state, "Aigerim.N@migration.kz", Role::Officer);
    let mut browser = Client::new(&app);

    let page = browser.get(&setup).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("aigerim.n@migration.kz"));
    let secret = secret_of(&page.body);
    let qr = qr_text_of(&page.body);
    assert!(
        qr.starts_with("otpauth://totp/KZ%20e-visa%20office:aigerim.n@migration.kz?"),
        "{qr}"
    );
    assert!(qr.contains(&format!("secret={}&", secret.base32())), "{qr}");
    assert_eq!(
        secret_of(&browser.get(&setup).await.body),
        secret,
        "the same key until the set-up is finished"
    );

    // A short password and a code that is not six digits are named beside their fields.
    let bad = browser
        .post(
            &setup,
            &[
                ("password", "short"),
                ("password_again", "short"),
                ("code", "12"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"e-password\""), "{}", bad.body);
    assert!(bad.body.contains("Enter six digits."));
    // A wrong code is refused; the key stays the same.
    let now = secret.code_at(clock.unix());
    let wrong = if now.digits() == "000000" {
        "111111"
    } else {
        "000000"
    };
    let refused = browser
        .post(
            &setup,
            &[
                ("password", OFFICER_PASSWORD),
                ("password_again", OFFICER_PASSWORD),
                ("code", wrong),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("The code does not match"));
    assert_eq!(secret_of(&refused.body), secret);

    let code = now.digits();
    let done = browser
        .post(
            &setup,
            &[
                ("password", OFFICER_PASSWORD),
                ("password_again", OFFICER_PASSWORD),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(
        done.headers["location"]
            .to_str()
            .expect("ascii")
            .starts_with("/office/login?ready=1")
    );
    let used = browser.get(&setup).await;
    assert_eq!(used.status, StatusCode::NOT_FOUND, "the link works once");
    assert!(!used.body.contains(&secret.base32_grouped()));

    // The code that finished the set-up cannot log in: each code works once.
    let replay = log_in(
        &mut browser,
        "aigerim.n@migration.kz",
        OFFICER_PASSWORD,
        &code,
    )
    .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert!(replay.body.contains("Could not log in"));

    clock.advance(Duration::seconds(30));
    let code = secret.code_at(clock.unix()).digits();
    let ok = log_in(
        &mut browser,
        "AIGERIM.N@migration.kz",
        OFFICER_PASSWORD,
        &code,
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(ok.headers["location"], "/office");
    let cookie = ok
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .find(|c| c.starts_with("__Host-office="))
        .expect("the office cookie");
    assert!(
        cookie.contains("SameSite=Strict")
            && cookie.contains("Secure")
            && cookie.contains("HttpOnly")
    );
    let home = browser.get("/office").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("aigerim.n@migration.kz"));

    // Someone who saw the code cannot use it again, even within its 30 seconds.
    let mut other = Client::new(&app);
    let replayed = log_in(
        &mut other,
        "aigerim.n@migration.kz",
        OFFICER_PASSWORD,
        &code,
    )
    .await;
    assert_eq!(replayed.status, StatusCode::UNAUTHORIZED);

    // Log-out ends the session.
    browser.get("/office").await;
    let out = browser.post("/office/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        browser.get("/office").await.headers["location"],
        "/office/login"
    );

    assert_eq!(
        actions(&state),
        [
            "officer.added",
            "officer.enrolled",
            "login.failed",
            "login.succeeded",
            "login.failed",
            "login.logged_out"
        ]
    );
    let log = state
        .db
        .with(|conn| issuer::store::audit::page(conn, None, 10))
        .expect("log");
    assert_eq!(log[1].entry.after.as_deref(), Some("replayed code"));
    assert_eq!(log[2].entry.actor, "officer:aigerim.n@migration.kz");
}

#[tokio::test]
async fn unknown_e_mail_wrong_password_and_wrong_code_get_the_same_answer() {
    let (app, state, clock) = fixed_portal();
    let setup = add(&state, "officer@migration.kz", Role::Officer);
    let mut browser = Client::new(&app);
    let secret = enrol(&mut browser, &clock, &setup).await;
    clock.advance(Duration::seconds(60));
    let right = secret.code_at(clock.unix()).digits();
    let wrong = if right == "123456" {
        "654321"
    } else {
        "123456"
    };
    let mut answers = Vec::new();
    for (email, password, code) in [
        ("nobody@migration.kz", OFFICER_PASSWORD, right.as_str()),
        ("officer@migration.kz", "not the password!", right.as_str()),
        ("officer@migration.kz", OFFICER_PASSWORD, wrong),
    ] {
        let reply = log_in(&mut Client::new(&app), email, password, code).await;
        assert!(
            reply.body.contains(&format!("value=\"{email}\"")),
            "the e-mail is kept"
        );
        assert!(
            !reply.body.contains(password),
            "the password is never shown"
        );
        let notice = between(&reply.body, "role=\"alert\">", "<").to_owned();
        answers.push((reply.status, notice));
    }
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(answers[0].0, StatusCode::UNAUTHORIZED);
    let log = state
        .db
        .with(|conn| issuer::store::audit::page(conn, None, 3))
        .expect("log");
    let reasons: Vec<_> = log
        .iter()
        .rev()
        .map(|s| s.entry.after.clone().unwrap_or_default())
        .collect();
    assert_eq!(reasons, ["unknown officer", "wrong password", "wrong code"]);
    assert!(log.iter().all(|s| s.entry.action == "login.failed"));
}

#[tokio::test]
async fn five_wrong_codes_lock_the_factor_until_a_supervisor_resets_it() {
    let (app, state, clock) = fixed_portal();
    let setup = add(&state, "locked@migration.kz", Role::Officer);
    let mut browser = Client::new(&app);
    enrol(&mut browser, &clock, &setup).await;
    for attempt in 1..=5 {
        clock.advance(Duration::seconds(30));
        let reply = log_in(
            &mut browser,
            "locked@migration.kz",
            OFFICER_PASSWORD,
            "000001",
        )
        .await;
        if attempt < 5 {
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        } else {
            assert_eq!(reply.status, StatusCode::FORBIDDEN);
            assert!(
                reply.body.contains("second factor is locked"),
                "{}",
                reply.body
            );
        }
    }
    // Five failures on the address are free, then each attempt waits longer; after a while, even
    // the right code meets the lock.
    let throttled = log_in(
        &mut browser,
        "locked@migration.kz",
        OFFICER_PASSWORD,
        "000001",
    )
    .await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    clock.advance(Duration::minutes(16));
    let page = browser.get(&setup).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    let mut supervisor = office_client(&app, &state, "chief@migration.kz", Role::Supervisor);
    let list = supervisor.get("/office/officers").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("locked@migration.kz"));
    assert!(list.body.contains("state locked"), "{}", list.body);
    let id = state
        .db
        .with(|conn| issuer::store::office::list(conn))
        .expect("officers")
        .into_iter()
        .find(|o| o.email == "locked@migration.kz")
        .expect("listed")
        .id;
    let reset = supervisor
        .post(&format!("/office/officers/{id}/reset"), &[])
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    let link = between(&reset.body, "<code class=\"link\">", "</code>").to_owned();
    let new_setup = link
        .strip_prefix("http://127.0.0.1:8080")
        .expect("the portal's address");
    assert!(new_setup.starts_with("/office/setup/"));
    assert!(
        !supervisor
            .get("/office/officers")
            .await
            .body
            .contains(new_setup),
        "the link is shown once"
    );

    let secret = enrol(&mut Client::new(&app), &clock, new_setup).await;
    clock.advance(Duration::seconds(30));
    let code = secret.code_at(clock.unix()).digits();
    let ok = log_in(
        &mut Client::new(&app),
        "locked@migration.kz",
        OFFICER_PASSWORD,
        &code,
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);

    let all = actions(&state);
    assert_eq!(
        all.iter().filter(|a| *a == "login.factor_locked").count(),
        1
    );
    assert!(all.contains(&"officer.reset".to_owned()));
    assert_eq!(all.last().map(String::as_str), Some("login.succeeded"));
    let reset_entry = state
        .db
        .with(|conn| issuer::store::audit::page(conn, None, 100))
        .expect("log")
        .into_iter()
        .find(|s| s.entry.action == "officer.reset")
        .expect("the reset is logged");
    assert_eq!(reset_entry.entry.actor, "officer:chief@migration.kz");
    assert_eq!(reset_entry.entry.before.as_deref(), Some("locked"));
}

#[tokio::test]
async fn a_disabled_officers_session_ends_at_once() {
    let (app, state, clock) = fixed_portal();
    let setup = add(&state, "leaving@migration.kz", Role::Supervisor);
    let mut browser = Client::new(&app);
    let secret = enrol(&mut browser, &clock, &setup).await;
    clock.advance(Duration::seconds(30));
    let code = secret.code_at(clock.unix()).digits();
    log_in(
        &mut browser,
        "leaving@migration.kz",
        OFFICER_PASSWORD,
        &code,
    )
    .await;
    assert_eq!(browser.get("/office/officers").await.status, StatusCode::OK);
    let email = Email::parse("leaving@migration.kz").expect("e-mail");
    assert_eq!(
        officer::disable(&state.db, &state.clock, &email).expect("disabled"),
        Some(Role::Supervisor)
    );
    let after = browser.get("/office/officers").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(after.headers["location"], "/office/login");
    clock.advance(Duration::seconds(30));
    let code = secret.code_at(clock.unix()).digits();
    let again = log_in(
        &mut browser,
        "leaving@migration.kz",
        OFFICER_PASSWORD,
        &code,
    )
    .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        actions(&state).last().map(String::as_str),
        Some("login.failed")
    );
}

#[tokio::test]
async fn no_cookie_and_an_applicant_session_never_reach_the_office_routes() {
    let (app, state, _) = fixed_portal();
    let mut applicant = Client::new(&app);
    applicant.sign_up("applicant@example.com").await;
    let mut anonymous = Client::new(&app);
    for client in [&mut applicant, &mut anonymous] {
        for path in [
            "/office",
            "/office/officers",
            "/office/audit",
            "/office/audit.csv",
        ] {
            let reply = client.get(path).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(reply.headers["location"], "/office/login", "{path}");
        }
        for path in ["/office/logout", "/office/officers/1/reset"] {
            let reply = client.post_raw(path, &[("csrf", "x")]).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(reply.headers["location"], "/office/login", "{path}");
        }
    }
    // The log-in form without its own cookie token is refused.
    let mut stranger = Client::new(&app);
    let forged = stranger
        .post_raw(
            "/office/login",
            &[
                ("csrf", &"a".repeat(64)),
                ("email", "x@y.kz"),
                ("password", "p"),
                ("code", "1"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(actions(&state).is_empty(), "nothing was checked");
}

#[tokio::test]
async fn only_auditors_read_the_audit_log_and_only_supervisors_reset_officers() {
    let (app, state, _) = fixed_portal();
    let target = {
        add(&state, "target@migration.kz", Role::Officer);
        state
            .db
            .with(|conn| issuer::store::office::list(conn))
            .expect("list")[0]
            .id
    };
    for role in Role::ALL {
        let email = format!("{}@migration.kz", role.as_str());
        let mut client = office_client(&app, &state, &email, role);
        let audit = client.get("/office/audit").await.status;
        let csv = client.get("/office/audit.csv").await.status;
        let officers = client.get("/office/officers").await.status;
        client.get("/office").await;
        let reset = client
            .post(&format!("/office/officers/{target}/reset"), &[])
            .await
            .status;
        let expected = |allowed: bool| {
            if allowed {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            }
        };
        assert_eq!(audit, expected(role == Role::Auditor), "{role:?} audit");
        assert_eq!(csv, expected(role == Role::Auditor), "{role:?} csv");
        assert_eq!(
            officers,
            expected(role == Role::Supervisor),
            "{role:?} officers"
        );
        assert_eq!(reset, expected(role == Role::Supervisor), "{role:?} reset");
    }
}

#[tokio::test]
async fn auditors_page_through_the_log_newest_first_and_export_it_as_csv() {
    let (app, state, _) = fixed_portal();
    state
        .db
        .with(|conn| {
            for n in 1..=60 {
                let entry = issuer::domain::audit::Entry::new(
                    format!("2026-11-30T09:{:02}:00Z", n - 1),
                    &issuer::domain::audit::Actor::Anonymous(format!("guess{n}, \"quoted\"")),
                    issuer::domain::audit::Action::LoginFailed,
                    format!("officer:guess{n}"),
                )
                .change(None, Some("wrong password".into()))
                .from_address(Some("203.0.113.7".into()));
                issuer::store::audit::append(conn, &entry)?;
            }
            Ok(())
        })
        .expect("entries");
    let mut auditor = office_client(&app, &state, "auditor@migration.kz", Role::Auditor);
    let first = auditor.get("/office/audit").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body.matches("<tr><td data-label=").count(), 50);
    let newest = first.body.find("guess60<").expect("the newest");
    let older = first.body.find("guess11<").expect("the 50th");
    assert!(newest < older, "newest first");
    assert!(!first.body.contains("guess10<"));
    assert!(first.body.contains("203.0.113.7") && first.body.contains("wrong password"));
    assert!(first.body.contains("href=\"/office/audit?before=11\""));
    let second = auditor.get("/office/audit?before=11&lang=kk").await;
    assert_eq!(second.body.matches("<tr><td data-label=").count(), 10);
    assert!(
        !second.body.contains("Ескірек"),
        "no older link on the last page"
    );
    assert!(second.body.contains("Ең жаңа жазбалар"));

    let odd = auditor.get("/office/audit?before=abc").await;
    assert_eq!(
        odd.status,
        StatusCode::OK,
        "a bad page number shows the newest"
    );
    assert!(odd.body.contains("guess60<"));

    let csv = auditor.get("/office/audit.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(
        csv.headers["content-disposition"]
            .to_str()
            .expect("ascii")
            .contains("audit-log.csv")
    );
    let rows: Vec<&str> = csv.body.split("\r\n").filter(|r| !r.is_empty()).collect();
    assert_eq!(
        rows[0],
        "seq,at,actor,action,record,before,after,address,hash"
    );
    assert_eq!(rows.len(), 1 + 61, "every entry and the export itself");
    assert!(
        rows[1].starts_with(
            "1,2026-11-30T09:00:00Z,\"anonymous:guess1, \"\"quoted\"\"\",login.failed,"
        ),
        "{}",
        rows[1]
    );
    assert!(rows[61].starts_with("61,") && rows[61].contains(",audit.exported,audit_log,"));
    assert!(rows[61].contains("officer:auditor@migration.kz"));
    let check = state
        .db
        .with(|conn| issuer::store::audit::verify(conn))
        .expect("verify");
    assert_eq!(check, issuer::store::audit::ChainCheck::Intact(61));
}

#[test]
fn the_officer_and_audit_commands_work_on_the_database_and_verify_finds_a_tampered_entry() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let data = dir.path().to_str().expect("utf-8 path");
    let issuer = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_issuer"))
            .args(args)
            .env_remove("ISSUER_PUBLIC_URL")
            .output()
            .expect("issuer runs")
    };
    let added = issuer(&[
        "officer",
        "add",
        "--email",
        "Auditor@Migration.kz",
        "--role",
        "auditor",
        "--data-dir",
        data,
        "--base-url",
        "https://evisa.example.kz/",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let out = String::from_utf8_lossy(&added.stdout).to_string();
    let link = out
        .lines()
        .find(|l| l.starts_with("https://evisa.example.kz/office/setup/"))
        .unwrap_or_else(|| panic!("a set-up link in {out}"));
    let token = link.rsplit('/').next().expect("token");
    assert_eq!(token.len(), 64);

    let again = issuer(&[
        "officer",
        "add",
        "--email",
        "auditor@migration.kz",
        "--role",
        "officer",
        "--data-dir",
        data,
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    let bad_role = issuer(&[
        "officer",
        "add",
        "--email",
        "x@migration.kz",
        "--role",
        "admin",
        "--data-dir",
        data,
    ]);
    assert_eq!(
        bad_role.status.code(),
        Some(2),
        "clap refuses an unknown role"
    );

    // The printed link opens the set-up page of the portal on the same database; the token is
    // kept only as its hash.
    let db_path = dir.path().join("issuer.sqlite3");
    {
        let db = Db::open(&db_path).expect("db");
        let stored: Vec<u8> = db
            .with(|conn| conn.query_row("SELECT setup_token_hash FROM officers", [], |r| r.get(0)))
            .expect("row");
        assert_eq!(stored, issuer::ids::hash_token(token));
        let (app, _state) = portal_clocked(db, Clock::system());
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let page = runtime.block_on(Client::new(&app).get(&format!("/office/setup/{token}")));
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("auditor@migration.kz"));
    }

    let disabled = issuer(&[
        "officer",
        "disable",
        "auditor@migration.kz",
        "--data-dir",
        data,
    ]);
    assert!(disabled.status.success());
    let twice = issuer(&[
        "officer",
        "disable",
        "auditor@migration.kz",
        "--data-dir",
        data,
    ]);
    assert_eq!(twice.status.code(), Some(2));

    let intact = issuer(&["audit", "verify", "--data-dir", data]);
    assert_eq!(
        intact.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&intact.stderr)
    );
    assert!(String::from_utf8_lossy(&intact.stdout).contains("intact: 2 entries"));

    let conn = rusqlite::Connection::open(&db_path).expect("open");
    assert!(
        conn.execute("UPDATE audit_log SET record = 'x' WHERE seq = 1", [])
            .is_err(),
        "the trigger refuses edits"
    );
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET actor = 'officer:someone-else@migration.kz' WHERE seq = 2;",
    )
    .expect("tampered");
    drop(conn);
    let broken = issuer(&["audit", "verify", "--data-dir", data]);
    assert_eq!(broken.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("broken at entry 2"));

    let missing = issuer(&[
        "audit",
        "verify",
        "--data-dir",
        dir.path().join("none").to_str().expect("utf-8"),
    ]);
    assert_eq!(missing.status.code(), Some(1));
}

#[tokio::test]
async fn a_failed_log_in_is_audited_with_the_address_and_the_address_is_throttled() {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::{Request, header};

    let (app, state, _) = fixed_portal();
    let from = std::net::SocketAddr::from(([203, 0, 113, 9], 50_000));
    let mut statuses = Vec::new();
    for n in 0..11 {
        let mut browser = Client::new(&app);
        browser.get("/office/login").await;
        let body = serde_urlencoded::to_string([
            ("csrf", csrf_of(&browser.last).as_str()),
            ("email", &format!("guess{n}@migration.kz")),
            ("password", "a guessed password"),
            ("code", "123456"),
        ])
        .expect("form");
        let request = Request::post("/office/login")
            .header(header::COOKIE, browser.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .extension(ConnectInfo(from))
            .body(Body::from(body))
            .expect("request");
        let reply = browser.send(request).await;
        statuses.push((
            reply.status,
            header_of(&reply, "retry-after").map(str::to_owned),
        ));
    }
    assert!(
        statuses[..10]
            .iter()
            .all(|(s, _)| *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    assert_eq!(
        statuses[10],
        (StatusCode::TOO_MANY_REQUESTS, Some("30".to_owned())),
        "10 failures from one address, then one more attempt every 30 s"
    );
    let first = state
        .db
        .with(|conn| issuer::store::audit::page(conn, Some(2), 1))
        .expect("log");
    assert_eq!(first[0].entry.actor, "anonymous:guess0@migration.kz");
    assert_eq!(first[0].entry.address.as_deref(), Some("203.0.113.9"));
}

#[tokio::test]
async fn a_set_up_link_expires_after_72_hours() {
    let (app, state, clock) = fixed_portal();
    let setup = add(&state, "late@migration.kz", Role::Auditor);
    clock.advance(Duration::hours(71));
    assert_eq!(Client::new(&app).get(&setup).await.status, StatusCode::OK);
    clock.advance(Duration::hours(1));
    let expired = Client::new(&app).get(&setup).await;
    assert_eq!(expired.status, StatusCode::NOT_FOUND);
    assert!(expired.body.contains("This set-up link is not valid"));
    let malformed = Client::new(&app).get("/office/setup/not-a-token").await;
    assert_eq!(malformed.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn failed_log_ins_slow_an_officers_address_down_however_it_is_typed_but_never_lock_it() {
    let (app, state, clock) = fixed_portal();
    let setup = add(&state, "keyed@migration.kz", Role::Officer);
    let mut owner = Client::new(&app);
    let secret = enrol(&mut owner, &clock, &setup).await;
    // A stranger guesses the password five times, writing the address five ways.
    for typed in [
        "keyed@migration.kz",
        "Keyed@Migration.KZ",
        "  keyed@migration.kz ",
        "KEYED@MIGRATION.KZ",
        "keyed@MIGRATION.kz",
    ] {
        let mut stranger = Client::new(&app);
        let reply = log_in(&mut stranger, typed, "a guessed password", "123456").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{typed}");
    }
    // The sixth attempt at once, the owner's own with the right password, waits: however the
    // address was written, it is one count.
    let code = secret.code_at(clock.unix()).digits();
    let waited = log_in(&mut owner, "keyed@migration.kz", OFFICER_PASSWORD, &code).await;
    assert_eq!(
        waited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        waited.body
    );
    let retry: i64 = header_of(&waited, "retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!(
        waited.body.contains("Please try again in"),
        "{}",
        waited.body
    );
    // A delay, not a lock: after it the right password and code get in.
    clock.advance(Duration::seconds(retry.max(30)));
    let code = secret.code_at(clock.unix()).digits();
    let done = log_in(&mut owner, "keyed@migration.kz", OFFICER_PASSWORD, &code).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(header_of(&done, "location"), Some("/office"));
}

/// A response header as text.
fn header_of<'r>(reply: &'r Reply, name: &str) -> Option<&'r str> {
    reply.headers.get(name).and_then(|v| v.to_str().ok())
}
