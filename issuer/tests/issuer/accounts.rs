//! Accounts under attack (issue 13): the throttle keyed by the parsed identity and the client's
//! address on every credential endpoint, the growing delay the owner still gets through, the
//! bounded Argon2 pool, the password policy, and sessions made only at log-in.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use issuer::clock::Clock;
use issuer::store::Db;
use issuer::web::AppState;
use serde_json::{Value, json};
use time::Duration;
use time::macros::datetime;
use tower::ServiceExt;

use crate::support::{Client, PASSWORD, Reply, SECRET, next_address, portal_clocked, portal_with};

fn portal() -> (Router, AppState) {
    portal_with(
        Db::in_memory().expect("db"),
        "http://127.0.0.1:9",
        SECRET,
        "",
    )
}

/// A portal on a clock that only moves when the test moves it.
fn frozen() -> (Router, AppState, Clock) {
    let clock = Clock::fixed(datetime!(2026-12-01 09:00 UTC));
    let (app, state) = portal_clocked(Db::in_memory().expect("db"), clock.clone());
    (app, state, clock)
}

struct ApiReply {
    status: StatusCode,
    retry_after: Option<String>,
    body: Value,
}

/// A JSON API call from `from`.
async fn api_from(app: &Router, from: SocketAddr, path: &str, body: Value) -> ApiReply {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    request.extensions_mut().insert(ConnectInfo(from));
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().expect("ascii").to_owned());
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    ApiReply {
        status,
        retry_after,
        body,
    }
}

async fn api_login(app: &Router, from: SocketAddr, identifier: &str, password: &str) -> ApiReply {
    let body = json!({"identifier": identifier, "password": password});
    api_from(app, from, "/api/v1/sessions", body).await
}

async fn web_login(client: &mut Client, identifier: &str, password: &str) -> Reply {
    client.get("/login").await;
    client
        .post(
            "/login",
            &[("identifier", identifier), ("password", password)],
        )
        .await
}

/// An individual inviting party with the IIN 740812500124, logged in.
async fn inviting_party(app: &Router) -> Client {
    let mut host = Client::new(app);
    host.sign_up("host@example.kz").await;
    host.get("/inviter").await;
    let reply = host
        .post(
            "/inviter",
            &[
                ("kind", "individual"),
                ("tax_id", "740812500124"),
                ("name", "Jonas Host"),
                ("description", "Host"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    host
}

fn sessions(state: &AppState) -> i64 {
    state
        .db
        .with(|conn| conn.query_row("SELECT count(*) FROM sessions", [], |r| r.get(0)))
        .expect("count")
}

#[tokio::test]
async fn the_issues_attack_respelling_a_locked_iin_gets_429_not_a_fresh_counter() {
    // On a standing clock, so the one-second delay does not run out between two requests.
    let (app, _, _) = frozen();
    inviting_party(&app).await;
    let attacker = next_address();
    for _ in 0..5 {
        let reply = api_login(&app, attacker, "740812500124", "guess number one").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    }
    // Each spelling is the same account to the throttle as to the lookup: no fresh counter.
    for spelling in [
        "7 40812500124",
        "740812500124 ",
        "7408 1250 0124",
        "\u{a0}740812500124",
    ] {
        let reply = api_login(&app, attacker, spelling, "guess number two").await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{spelling:?}");
        assert_eq!(reply.body["error"], "too_many_attempts");
        assert_eq!(reply.retry_after.as_deref(), Some("1"));
    }
    // The right password in another spelling is not even checked while the delay runs.
    let reply = api_login(&app, attacker, "74081 2500124", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    // From another address too: the delay is the account's.
    let reply = api_login(&app, next_address(), "740812500124", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn forty_identifiers_from_one_address_meet_429_after_ten_failures() {
    let (app, _) = portal();
    let attacker = next_address();
    let mut statuses = Vec::new();
    for n in 0..40 {
        let reply = api_login(
            &app,
            attacker,
            &format!("victim{n}@example.com"),
            "a guess a guess",
        )
        .await;
        statuses.push(reply.status);
    }
    assert!(
        statuses[..10]
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    assert!(
        statuses[10..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // The web form shares the address's count.
    let mut browser = Client::new(&app);
    browser.addr = attacker;
    let reply = web_login(&mut browser, "someone@example.com", "a guess a guess").await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = reply.headers[header::RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=30).contains(&wait), "{wait}");
    // Another address is not concerned.
    let reply = api_login(
        &app,
        next_address(),
        "victim0@example.com",
        "a guess a guess",
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_delay_grows_and_the_owner_still_gets_in() {
    let (app, _, clock) = frozen();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    anna.get("/services").await;
    anna.post("/logout", &[]).await;
    // A stranger's failures from many addresses: 5 free, then 1 s, 2 s, 4 s between attempts.
    let mut waits = Vec::new();
    for _ in 0..8 {
        let reply = api_login(
            &app,
            next_address(),
            "ANNA@example.com ",
            "not her password",
        )
        .await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            let wait: i64 = reply
                .retry_after
                .expect("Retry-After")
                .parse()
                .expect("seconds");
            waits.push(wait);
            clock.advance(Duration::seconds(wait));
            let reply =
                api_login(&app, next_address(), "anna@example.com", "not her password").await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        } else {
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        }
    }
    assert_eq!(waits, [1, 2, 4]);
    // A new browser waits (8 s now), in its language, then gets in.
    let mut phone = Client::new(&app);
    phone.get("/login?lang=ru").await;
    let reply = phone
        .post(
            "/login",
            &[("identifier", "anna@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        reply
            .body
            .contains("Слишком много попыток. Повторите через 8 секунд."),
        "{}",
        reply.body
    );
    // The browser Anna logged in with before is a known device: other people's failures do not
    // slow it, at once.
    let reply = web_login(&mut anna, "anna@example.com", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    // A success forgets the failures: the new browser gets in too.
    let reply = web_login(&mut phone, "anna@example.com", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_stranger_cannot_hold_the_owner_out_longer_than_the_cap() {
    let (app, _, clock) = frozen();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    // Thirty failures, each after its wait: the wait stops growing at 15 minutes.
    let mut last = 0;
    for _ in 0..30 {
        let reply = api_login(&app, next_address(), "anna@example.com", "not her password").await;
        if let Some(wait) = reply.retry_after {
            last = wait.parse().expect("seconds");
            clock.advance(Duration::seconds(last));
            api_login(&app, next_address(), "anna@example.com", "not her password").await;
        }
    }
    assert_eq!(last, 900);
    clock.advance(Duration::seconds(900));
    let mut laptop = Client::new(&app);
    let reply = web_login(&mut laptop, "anna@example.com", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_login_form_says_when_to_try_again_in_three_languages() {
    let (app, _, _) = frozen();
    let mut attacker = Client::new(&app);
    for _ in 0..5 {
        web_login(&mut attacker, "anna@example.com", "not her password").await;
    }
    for (lang, text) in [
        (
            "kk",
            "Әрекеттер тым көп. 1 секундтан кейін қайталап көріңіз.",
        ),
        ("ru", "Слишком много попыток. Повторите через 1 секунду."),
        ("en", "Too many attempts. Please try again in 1 second."),
    ] {
        attacker.get(&format!("/login?lang={lang}")).await;
        let reply = attacker
            .post(
                "/login",
                &[("identifier", "anna@example.com"), ("password", "x")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(reply.body.contains(text), "{lang}: {}", reply.body);
        // The identifier is kept in the form, the password is not.
        assert!(reply.body.contains("value=\"anna@example.com\""));
    }
}

#[tokio::test]
async fn sign_ups_are_limited_per_address_on_the_web_and_the_api() {
    let (app, _) = portal();
    let mut visitor = Client::new(&app);
    for n in 0..5 {
        visitor.sign_up(&format!("new{n}@example.com")).await;
        visitor.cookies.clear();
    }
    visitor.get("/signup").await;
    let reply = visitor
        .post(
            "/signup",
            &[
                ("email", "new5@example.com"),
                ("full_name", "Anna Eriksson"),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = reply.headers[header::RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((50..=60).contains(&wait), "{wait}");
    let said = match wait {
        60 => "1 minute".to_owned(),
        seconds => format!("{seconds} seconds"),
    };
    assert!(
        reply
            .body
            .contains(&format!("Too many attempts. Please try again in {said}.")),
    );
    assert!(reply.body.contains("value=\"new5@example.com\""));
    let from = next_address();
    for n in 0..6 {
        let body = json!({"email": format!("api{n}@example.com"), "full_name": "API", "password": PASSWORD});
        let reply = api_from(&app, from, "/api/v1/accounts", body).await;
        let expected = if n < 5 {
            StatusCode::ACCEPTED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(reply.status, expected, "{n}: {}", reply.body);
    }
}

#[tokio::test]
async fn a_storm_of_logins_beyond_the_hashing_queue_gets_503_with_retry_after() {
    let (app, state) = portal();
    let capacity = state.hasher.threads() + state.hasher.capacity();
    let tasks: Vec<_> = (0..capacity + 60)
        .map(|n| {
            let app = app.clone();
            tokio::spawn(async move {
                api_login(
                    &app,
                    next_address(),
                    &format!("nobody{n}@example.com"),
                    "a guess a guess",
                )
                .await
            })
        })
        .collect();
    let mut busy = 0;
    for task in tasks {
        let reply = task.await.expect("task");
        match reply.status {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                busy += 1;
                assert_eq!(reply.retry_after.as_deref(), Some("1"));
                assert_eq!(reply.body["error"], "busy");
            }
            other => panic!("unexpected {other}: {}", reply.body),
        }
    }
    assert!(busy >= 30, "{busy} of {} were refused", capacity + 60);
    // The pool still works afterwards.
    let reply = api_login(
        &app,
        next_address(),
        "nobody@example.com",
        "a guess a guess",
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn weak_passwords_are_refused_with_the_reason_beside_the_field() {
    let (app, _) = portal();
    let mut visitor = Client::new(&app);
    for (password, lang, reason) in [
        (
            "qwerty123456",
            "en",
            "This password is one of the most common ones; choose another",
        ),
        ("123456789012", "ru", "Пароль легко подобрать"),
        ("aaaaaaaaaaaa", "kk", "Құпиясөзді табу оңай"),
        ("anna eriksson 1974", "en", "This password is easy to guess"),
        (
            "tundra\u{0}kettle 47",
            "en",
            "The password must not contain control characters",
        ),
    ] {
        visitor.get(&format!("/signup?lang={lang}")).await;
        let reply = visitor
            .post(
                "/signup",
                &[
                    ("email", "anna.eriksson@example.com"),
                    ("full_name", "Anna Eriksson"),
                    ("password", password),
                    ("password_again", password),
                ],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{password:?}"
        );
        let marker = "id=\"e-password\" role=\"alert\">";
        let at = reply
            .body
            .find(marker)
            .expect("a reason beside the password")
            + marker.len();
        assert!(
            reply.body[at..].starts_with(reason),
            "{password:?}: {}",
            &reply.body[at..at + 120]
        );
    }
    for (password, code) in [
        ("qwerty123456", "password_common"),
        ("            ", "password_weak"),
        ("\u{0}".repeat(12).as_str(), "password_control_characters"),
        ("1234567890", "password_length"),
    ] {
        let body = json!({"email": "api@example.com", "full_name": "API", "password": password});
        let reply = api_from(&app, next_address(), "/api/v1/accounts", body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            reply.body["fields"]["password"]["code"], code,
            "{password:?}"
        );
    }
}

#[tokio::test]
async fn a_thousand_cookieless_requests_leave_no_session_row() {
    let (app, state) = portal();
    let paths = [
        "/services",
        "/login",
        "/signup",
        "/no-such-page",
        "/static/style.css",
        "/login?lang=ru",
    ];
    for n in 0..1000 {
        let mut stranger = Client::new(&app);
        let reply = stranger.get(paths[n % paths.len()]).await;
        assert!(reply.status.is_success() || reply.status == StatusCode::NOT_FOUND);
        assert!(
            !stranger
                .cookies
                .iter()
                .any(|(name, _)| name.contains("session")),
            "{:?}",
            stranger.cookies
        );
    }
    assert_eq!(sessions(&state), 0);
    // A visitor still logs in with the form's signed token, and only then has a row.
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    assert_eq!(sessions(&state), 1);
    // A CSRF cookie with a token signed for another cookie is refused.
    let mut other = Client::new(&app);
    let page = other.get("/login").await;
    let token = crate::support::csrf_of(&page.body);
    let mut mallory = Client::new(&app);
    mallory.get("/login").await;
    let reply = mallory
        .post_raw(
            "/login",
            &[
                ("csrf", token.as_str()),
                ("identifier", "anna@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    // Not logged in: the form comes back (with a token of mallory's own) instead.
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("This form had expired"));
    assert!(!reply.headers.contains_key(header::LOCATION));
    assert!(mallory.get("/account/visas").await.status.is_redirection());
}

#[tokio::test]
async fn expired_sessions_are_purged_when_a_new_one_is_written() {
    let (app, state, clock) = frozen();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    assert_eq!(sessions(&state), 1);
    clock.advance(Duration::hours(13));
    let mut bob = Client::new(&app);
    bob.sign_up("bob@example.com").await;
    assert_eq!(sessions(&state), 1, "Anna's expired session is gone");
    // Her browser forgets the dead cookie.
    anna.get("/services").await;
    assert!(
        !anna
            .cookies
            .iter()
            .any(|(name, _)| name == "__Host-session")
    );
}

#[tokio::test]
async fn layer_made_answers_carry_the_security_headers() {
    let (app, _) = portal();
    let huge = "A".repeat(issuer::web::BODY_LIMIT + 1);
    for (path, content_type) in [
        ("/login", "application/x-www-form-urlencoded"),
        ("/api/v1/accounts", "application/json"),
    ] {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::CONTENT_LENGTH, huge.len())
            .body(Body::from(huge.clone()))
            .expect("request");
        let response = app.clone().oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        let headers = response.headers();
        for name in [
            header::CONTENT_SECURITY_POLICY,
            header::X_CONTENT_TYPE_OPTIONS,
            header::X_FRAME_OPTIONS,
            header::REFERRER_POLICY,
            header::CACHE_CONTROL,
        ] {
            assert!(headers.contains_key(&name), "{path}: 413 without {name}");
        }
    }
    let request = Request::delete("/services")
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        response
            .headers()
            .contains_key(header::CONTENT_SECURITY_POLICY)
    );
}

#[tokio::test]
async fn forgot_password_is_throttled_per_identity_whether_or_not_the_account_exists() {
    let (app, _state) = portal();
    let mut browser = Client::new(&app);
    let mut statuses = Vec::new();
    // Respelled the way a log-in may be: the parsed identity is one subject.
    for identifier in [
        "nobody@example.com",
        "NoBody@example.com",
        " nobody@EXAMPLE.com",
        "nobody@example.com",
    ] {
        browser.get("/password/forgot").await;
        let reply = browser
            .post("/password/forgot", &[("identifier", identifier)])
            .await;
        statuses.push((reply.status, reply.headers.get("retry-after").cloned()));
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(reply.body.contains("Too many attempts"), "{}", reply.body);
            assert!(reply.body.contains("value=\"nobody@example.com\""));
        }
    }
    assert!(
        statuses[..3].iter().all(|(s, _)| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(statuses[3].0, StatusCode::TOO_MANY_REQUESTS);
    assert!(statuses[3].1.is_some(), "Retry-After");
    // Another identity from another browser is not slowed by it.
    let mut other = Client::new(&app);
    other.get("/password/forgot").await;
    let reply = other
        .post("/password/forgot", &[("identifier", "someone@example.com")])
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}
