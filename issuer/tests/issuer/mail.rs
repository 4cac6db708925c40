//! The mail the portal sends and what it is for: the address confirmed before paying, a
//! forgotten password reset by e-mail, sign-up and reset that tell nobody who has an account,
//! the applicant told of the payment and the visa in their language; delivered as `.eml` files
//! and through a real SMTP server (aiosmtpd), retried when the server is away.

use axum::http::StatusCode;
use issuer::clock::Clock;
use issuer::domain::mail::Letter;
use issuer::mail::{Mailer, Transport};
use issuer::store::Db;
use serde_json::json;
use time::Duration;
use time::macros::datetime;

use crate::portal::{
    applied_and_confirmed, callback, error_of, location, notice, now, portal, submitted_with_order,
};
use crate::support::{
    Client, MailServer, PASSWORD, SECRET, confirm_address, confirmation_link, letters_to,
    mime_part, portal_clocked, without_csrf,
};

fn clocked() -> (axum::Router, issuer::web::AppState, Clock) {
    let clock = Clock::fixed(datetime!(2026-12-01 09:00 UTC));
    let (app, state) = portal_clocked(Db::in_memory().expect("db"), clock.clone());
    (app, state, clock)
}

fn reset_link(state: &issuer::web::AppState, email: &str) -> String {
    letters_to(state, email)
        .into_iter()
        .rev()
        .find_map(|letter| match letter {
            Letter::PasswordReset { token } => Some(format!("/password/reset/{token}")),
            _ => None,
        })
        .expect("a reset link was mailed")
}

fn kinds(state: &issuer::web::AppState, email: &str) -> Vec<&'static str> {
    letters_to(state, email).iter().map(Letter::kind).collect()
}

#[tokio::test]
async fn an_unconfirmed_account_fills_step_one_but_pays_only_after_the_mailed_link() {
    let (app, state, clock) = clocked();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    assert_eq!(kinds(&state, "anna@example.com"), ["verify_address"]);
    let id = applied_and_confirmed(&mut anna).await;
    let payment = format!("/applications/{id}/payment");
    let page = anna.get(&payment).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("first confirm your e-mail address"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Send the link again"));
    assert!(
        !page.body.contains("class=\"pay\""),
        "no pay button before confirmation"
    );
    let refused = anna.post(&payment, &[]).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&refused), payment);

    // "Send the link again": once a minute at most.
    anna.get(&payment).await;
    let soon = anna
        .post("/account/confirm/resend", &[("next", &payment)])
        .await;
    assert!(
        soon.body.contains("you can ask again in a minute"),
        "{}",
        soon.body
    );
    clock.advance(Duration::seconds(61));
    anna.get(&payment).await;
    let again = anna
        .post("/account/confirm/resend", &[("next", &payment)])
        .await;
    assert!(again.body.contains("A new link was sent"), "{}", again.body);
    assert!(again.body.contains(&format!("href=\"{payment}\"")));
    assert_eq!(
        kinds(&state, "anna@example.com"),
        ["verify_address", "verify_address"]
    );

    let link = confirmation_link(&state, "anna@example.com");
    confirm_address(&mut anna, &state, "anna@example.com").await;
    let page = anna.get(&payment).await;
    assert!(page.body.contains("class=\"pay\""), "{}", page.body);
    assert!(!page.body.contains("first confirm your e-mail address"));
    // The link works once.
    anna.get(&link).await;
    let twice = anna.post(&link, &[]).await;
    assert_eq!(twice.status, StatusCode::GONE);
    assert!(twice.body.contains("it has expired or has been used"));
}

#[tokio::test]
async fn a_confirmation_link_expires_after_two_days_and_a_made_up_one_never_works() {
    let (app, state, clock) = clocked();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let link = confirmation_link(&state, "anna@example.com");
    clock.advance(Duration::hours(48) + Duration::seconds(1));
    assert_eq!(anna.get(&link).await.status, StatusCode::OK);
    let late = anna.post(&link, &[]).await;
    assert_eq!(late.status, StatusCode::GONE);
    for made_up in [
        "/account/confirm/abc",
        &format!("/account/confirm/{}", "0".repeat(64)),
    ] {
        anna.get("/login").await;
        let reply = anna.post(made_up, &[]).await;
        assert_eq!(reply.status, StatusCode::GONE, "{made_up}");
    }
}

#[tokio::test]
async fn signing_up_with_a_taken_address_changes_nothing_and_tells_its_holder_once_an_hour() {
    let (app, state, clock) = clocked();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    for _ in 0..2 {
        let mut mallory = Client::new(&app);
        mallory.get("/signup").await;
        let reply = mallory
            .post(
                "/signup",
                &[
                    ("email", "ANNA@example.com"),
                    ("full_name", "Mallory"),
                    ("password", "mallory's own password"),
                    ("password_again", "mallory's own password"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.body.contains("If this address can be registered"));
    }
    assert_eq!(
        kinds(&state, "anna@example.com"),
        ["verify_address", "signup_attempt"]
    );
    clock.advance(Duration::minutes(61));
    let (status, _) = api_signup(&app, "anna@example.com", "mallory's own password").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(
        kinds(&state, "anna@example.com"),
        ["verify_address", "signup_attempt", "signup_attempt"]
    );
    // Anna's password still opens the account; Mallory's does not.
    let mut mallory = Client::new(&app);
    mallory.get("/login").await;
    let reply = mallory
        .post(
            "/login",
            &[
                ("identifier", "anna@example.com"),
                ("password", "mallory's own password"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    Client::new(&app).log_in("anna@example.com", PASSWORD).await;
}

async fn api_signup(app: &axum::Router, email: &str, password: &str) -> (StatusCode, String) {
    use tower::ServiceExt;
    let body = json!({"email": email, "full_name": "Someone", "password": password});
    let response = app
        .clone()
        .oneshot(
            axum::http::Request::post("/api/v1/accounts")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body.to_string()))
                .expect("request"),
        )
        .await
        .expect("infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, String::from_utf8(bytes.to_vec()).expect("utf-8"))
}

#[tokio::test]
async fn the_api_answers_a_new_and_a_taken_address_alike() {
    let (app, state) = portal();
    let first = api_signup(&app, "api@example.com", PASSWORD).await;
    let second = api_signup(&app, "API@example.com", "another long password").await;
    assert_eq!(first.0, StatusCode::ACCEPTED);
    assert_eq!(first, second);
    assert_eq!(
        kinds(&state, "api@example.com"),
        ["verify_address", "signup_attempt"]
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_by_the_mailed_link_and_every_old_session_ends() {
    let (app, state, clock) = clocked();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let mut laptop = Client::new(&app);
    laptop.log_in("anna@example.com", PASSWORD).await;
    assert_eq!(laptop.get("/account/visas").await.status, StatusCode::OK);

    let mut phone = Client::new(&app);
    let login = phone.get("/login").await;
    assert!(login.body.contains("href=\"/password/forgot\""));
    assert!(login.body.contains("Forgot password?"));
    phone.get("/password/forgot").await;
    let asked = phone
        .post("/password/forgot", &[("identifier", " Anna@Example.com ")])
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.body.contains("If such an account exists"));
    let link = reset_link(&state, "anna@example.com");

    let form = phone.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    let differ = phone
        .post(
            &link,
            &[
                ("password", "a brand new password"),
                ("password_again", "a brand new passwort"),
            ],
        )
        .await;
    assert_eq!(differ.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(&differ.body, "password_again").as_deref(),
        Some("The passwords differ")
    );
    clock.advance(Duration::minutes(29));
    let done = phone
        .post(
            &link,
            &[
                ("password", "a brand new password"),
                ("password_again", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(location(&done), "/password/changed");
    // The browser that set it is logged in; every other session has ended.
    assert_eq!(phone.get("/account/visas").await.status, StatusCode::OK);
    for old in [&mut anna, &mut laptop] {
        let reply = old.get("/account/visas").await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert!(location(&reply).starts_with("/login"));
    }
    // The link worked once; the old password is gone, the new one works.
    phone.get("/services").await;
    let reused = phone
        .post(
            &link,
            &[
                ("password", "yet another password"),
                ("password_again", "yet another password"),
            ],
        )
        .await;
    assert_eq!(reused.status, StatusCode::GONE);
    let mut someone = Client::new(&app);
    someone.get("/login").await;
    let old = someone
        .post(
            "/login",
            &[("identifier", "anna@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    Client::new(&app)
        .log_in("anna@example.com", "a brand new password")
        .await;
    assert_eq!(
        kinds(&state, "anna@example.com"),
        ["verify_address", "password_reset", "password_changed"]
    );
}

#[tokio::test]
async fn a_reset_link_dies_after_thirty_minutes() {
    let (app, state, clock) = clocked();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    anna.get("/password/forgot").await;
    anna.post("/password/forgot", &[("identifier", "anna@example.com")])
        .await;
    let link = reset_link(&state, "anna@example.com");
    clock.advance(Duration::minutes(30) + Duration::seconds(1));
    let page = anna.get(&link).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("it has expired or has been used"));
    anna.get("/services").await;
    let late = anna
        .post(
            &link,
            &[
                ("password", "a brand new password"),
                ("password_again", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(late.status, StatusCode::GONE);
    Client::new(&app).log_in("anna@example.com", PASSWORD).await;
}

#[tokio::test]
async fn forgot_password_answers_the_same_for_unknown_accounts_and_junk_and_sends_at_most_three_links()
 {
    let (app, state) = portal();
    Client::new(&app).sign_up("anna@example.com").await;
    let mut answers = Vec::new();
    let long = "x".repeat(5000);
    for identifier in [
        "anna@example.com",
        "nobody@example.com",
        "anna@example.com",
        "anna@example.com",
        "anna@example.com",
        "",
        "\u{0}\u{202e}",
        "' OR 1=1 --",
        long.as_str(),
    ] {
        let mut visitor = Client::new(&app);
        visitor.get("/password/forgot").await;
        let reply = visitor
            .post("/password/forgot", &[("identifier", identifier)])
            .await;
        answers.push((reply.status, without_csrf(&reply.body)));
    }
    // The fourth request for one identity in a quarter hour is throttled (429), as it would be
    // for an identity without an account; the others all get the same page.
    let throttled = answers.remove(4);
    assert_eq!(throttled.0, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        answers.iter().all(|a| a == &answers[0]),
        "every answer is the same page"
    );
    assert_eq!(answers[0].0, StatusCode::OK);
    let resets = kinds(&state, "anna@example.com")
        .into_iter()
        .filter(|k| *k == "password_reset")
        .count();
    assert_eq!(resets, 3, "three links per quarter hour, then none");
    assert!(letters_to(&state, "nobody@example.com").is_empty());
}

#[tokio::test]
async fn log_in_answers_an_unknown_account_like_a_wrong_password() {
    let (app, _) = portal();
    Client::new(&app).sign_up("anna@example.com").await;
    let mut answers = Vec::new();
    for identifier in ["anna@example.com", "nobody@example.com"] {
        let mut visitor = Client::new(&app);
        visitor.get("/login").await;
        let reply = visitor
            .post(
                "/login",
                &[("identifier", identifier), ("password", "not the password")],
            )
            .await;
        let page = without_csrf(&reply.body).replace(identifier, "IDENTIFIER");
        answers.push((reply.status, page));
    }
    assert_eq!(answers[0].0, StatusCode::UNAUTHORIZED);
    assert_eq!(answers[0], answers[1]);
}

#[tokio::test]
async fn payment_issuance_and_revocation_are_told_once_each_in_the_applicants_language() {
    let (app, state) = portal();
    let mut anna = Client::new(&app);
    anna.get("/signup?lang=ru").await;
    let reply = anna
        .post(
            "/signup",
            &[
                ("email", "anna@example.com"),
                ("full_name", "Анна"),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
            ],
        )
        .await;
    assert!(reply.body.contains("Проверьте электронную почту"));
    anna.get("/services?lang=en").await;
    anna.log_in("anna@example.com", PASSWORD).await;
    confirm_address(&mut anna, &state, "anna@example.com").await;
    let id = applied_and_confirmed(&mut anna).await;
    let order = crate::support::open_order(&state, "anna@example.com", &id);
    let paid = notice(&order, "paid", 8000, "USD");
    for _ in 0..3 {
        assert_eq!(
            callback(&app, &paid, SECRET, now()).await,
            StatusCode::NO_CONTENT
        );
    }
    let letters = letters_to(&state, "anna@example.com");
    let news: Vec<&Letter> = letters
        .iter()
        .filter(|l| !matches!(l, Letter::VerifyAddress { .. }))
        .collect();
    assert_eq!(news.len(), 2, "{news:?}");
    assert_eq!(
        news[0],
        &Letter::PaymentConfirmed {
            application_id: id.clone(),
            amount_minor: 8000,
            currency: "USD".to_owned(),
            receipt_number: Some("EP-2026-000123".to_owned()),
        }
    );
    let Letter::VisaIssued { visa_number, .. } = news[1] else {
        panic!("the second letter tells of the visa: {news:?}");
    };
    let number = shared::visa::VisaNumber::parse(visa_number).expect("a visa number");
    let at = Clock::system().rfc3339();
    state
        .db
        .with(|conn| issuer::store::trust::revoke_visa(conn, &number, "passport stolen", &at))
        .expect("revoked");
    assert!(matches!(
        letters_to(&state, "anna@example.com").last(),
        Some(Letter::VisaRevoked { reason, .. }) if reason == "passport stolen"
    ));

    // Delivered to the outbox folder, in Russian, the language Anna signed up in.
    let folder = tempfile::tempdir().expect("folder");
    let mailer = Mailer::new(
        state.db.clone(),
        Clock::system(),
        Transport::folder(folder.path()).expect("folder transport"),
        "e-Visa <no-reply@evisa.example.kz>",
        "https://evisa.example.kz",
    )
    .expect("mailer");
    let round = mailer.deliver_due().await.expect("delivered");
    assert_eq!((round.sent, round.retried, round.failed), (4, 0, 0));
    let mut files: Vec<_> = std::fs::read_dir(folder.path())
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert!(names[1].ends_with("-payment_confirmed.eml"), "{names:?}");
    assert!(names[2].ends_with("-visa_issued.eml"), "{names:?}");
    let issued = std::fs::read_to_string(&files[2]).expect("eml");
    assert!(issued.contains("Content-Type: multipart/alternative"));
    assert!(!issued.contains("attachment") && !issued.contains("application/pdf"));
    let text = mime_part(&issued, "text/plain").expect("a text part");
    let html = mime_part(&issued, "text/html").expect("an HTML part");
    assert!(text.starts_with("Здравствуйте, Анна!"), "{text}");
    assert!(text.contains("Ваша электронная виза выдана"), "{text}");
    assert!(
        text.contains(&format!("Номер визы: {visa_number}")),
        "{text}"
    );
    assert!(
        text.contains("https://evisa.example.kz/account/visas"),
        "{text}"
    );
    assert!(
        html.contains("href=\"https://evisa.example.kz/account/visas\""),
        "{html}"
    );
    assert!(
        !html.contains("<img") && !html.contains(" src="),
        "no tracking: {html}"
    );
    // Delivered means delivered once: nothing is due any more.
    let again = mailer.deliver_due().await.expect("nothing to do");
    assert_eq!(again.sent, 0);
    assert_eq!(std::fs::read_dir(folder.path()).expect("folder").count(), 4);
}

#[tokio::test]
async fn mail_waits_for_an_smtp_server_that_is_away_and_reaches_it_when_it_is_back() {
    let (app, state, clock) = clocked();
    Client::new(&app).sign_up("anna@example.com").await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mailer = Mailer::new(
        state.db.clone(),
        clock.clone(),
        Transport::smtp(&format!("smtp://127.0.0.1:{port}")).expect("an SMTP URL"),
        issuer::mail::DEFAULT_FROM,
        "http://127.0.0.1:8080",
    )
    .expect("mailer");
    // Nobody listens yet: the mail is kept for later, not lost.
    let round = mailer.deliver_due().await.expect("a round");
    assert_eq!((round.sent, round.retried), (0, 1));
    let server = MailServer::start_on(port);
    assert_eq!(
        mailer.deliver_due().await.expect("a round").sent,
        0,
        "not due yet"
    );
    clock.advance(Duration::seconds(61));
    let round = mailer.deliver_due().await.expect("a round");
    assert_eq!((round.sent, round.retried), (1, 0));
    let received = server.received();
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert_eq!(mail["rcpt_tos"], json!(["anna@example.com"]));
    assert_eq!(mail["subject"], "Confirm your e-mail address");
    assert_eq!(
        mail["content_types"],
        json!(["multipart/alternative", "text/plain", "text/html"])
    );
    let link = confirmation_link_in(mail["text"].as_str().expect("text"));
    assert!(
        mail["html"]
            .as_str()
            .expect("html")
            .contains(&format!("href=\"{link}\"")),
        "{mail}"
    );
    // The link from the mail confirms the address.
    let path = link.trim_start_matches("http://127.0.0.1:8080");
    let mut anna = Client::new(&app);
    anna.log_in("anna@example.com", PASSWORD).await;
    anna.get(path).await;
    let done = anna.post(path, &[]).await;
    assert!(
        done.body.contains("Your address is confirmed"),
        "{}",
        done.body
    );
}

fn confirmation_link_in(text: &str) -> String {
    text.lines()
        .find(|line| line.contains("/account/confirm/"))
        .expect("a confirmation link in the text")
        .trim()
        .to_owned()
}

#[tokio::test]
async fn a_submitted_applicant_keeps_the_order_flow_of_the_portal_tests() {
    // The shared helper confirms the address, so the payment tests pay as before.
    let (app, state) = portal();
    let (mut anna, id, _) = submitted_with_order(&app, &state).await;
    let page = anna.get(&format!("/applications/{id}/payment")).await;
    assert!(page.body.contains("class=\"pay\""));
}
