//! Every screen (issue 14): error pages in the portal's frame and the chosen language with a way
//! back (also the 413 the body-size layer answers), Step 1 kept through the language switch, an
//! expired token and an ended session, a date of birth in the future, autocomplete on the
//! applicant's fields, and the receipt in Astana time with the full order id and "Print".

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use time::Duration;

use crate::portal::{location, notice, now, portal, submitted_with_order};
use crate::support::{Client, PASSWORD, SECRET, csrf_of, today};

/// Step 1's fields as Anna types them, with `change` applied.
fn step_one(change: &[(&'static str, &'static str)]) -> Vec<(&'static str, String)> {
    let expiry = (today() + Duration::days(3 * 365)).to_string();
    let mut fields: Vec<(&'static str, String)> = [
        ("invitation_number", "INV-DEMO-0001"),
        ("category", "tourist"),
        ("surname", "ERIKSSON"),
        ("given_names", "ANNA MARIA"),
        ("surname_native", "Эрикссон"),
        ("given_names_native", "Анна Мария"),
        ("sex", "F"),
        ("date_of_birth", "1974-08-12"),
        ("citizenship", "SWE"),
        ("passport_number", "L898902C3"),
        ("with_children", "no"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .chain([("passport_expiry", expiry)])
    .collect();
    for (name, value) in change {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = (*value).to_owned(),
            None => fields.push((name, (*value).to_owned())),
        }
    }
    fields
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Every value Anna typed is in the page again.
fn assert_kept(body: &str) {
    for value in [
        "INV-DEMO-0001",
        "ERIKSSON",
        "ANNA MARIA",
        "Эрикссон",
        "Анна Мария",
        "1974-08-12",
        "SWE",
        "L898902C3",
    ] {
        assert!(body.contains(&format!("value=\"{value}\"")), "{value} lost");
    }
    assert!(
        body.contains("<option value=\"F\" selected>"),
        "the sex was lost"
    );
    assert!(
        body.contains("value=\"no\" checked"),
        "the children answer was lost"
    );
}

fn applications(state: &issuer::web::AppState) -> i64 {
    state
        .db
        .with(|conn| conn.query_row("SELECT count(*) FROM applications", [], |r| r.get(0)))
        .expect("count")
}

#[tokio::test]
async fn error_pages_are_framed_in_the_chosen_language_with_a_way_back() {
    let (app, _) = portal();
    let mut visitor = Client::new(&app);
    // The language chosen on one page (a cookie) holds for the 404 of the next.
    visitor.get("/services?lang=kk").await;
    let missing = visitor.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("<html lang=\"kk\""));
    assert!(missing.body.contains("Бет табылмады"));
    assert!(!missing.body.contains("Page not found"));
    assert!(
        missing.body.contains("class=\"masthead\""),
        "not in the frame"
    );
    assert!(missing.body.contains("Қате 404"));
    assert!(missing.body.contains("href=\"/services\""), "no way back");

    // A 403 for a stale token on a form that cannot be kept: framed, with a link back to the
    // page it was posted from (a same-site Referer), never to another site.
    let request = |referer: &str| {
        Request::post("/logout?lang=ru")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "portal.example")
            .header(header::REFERER, referer)
            .body(Body::from("csrf=0"))
            .expect("request")
    };
    let stale = visitor
        .send(request("http://portal.example/account/visas"))
        .await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    assert!(stale.body.contains("<html lang=\"ru\""));
    assert!(stale.body.contains("Срок действия формы истёк"));
    assert!(stale.body.contains("href=\"/account/visas\""));
    assert!(stale.body.contains("Вернуться на предыдущую страницу"));
    let elsewhere = visitor.send(request("http://evil.example/x")).await;
    assert!(!elsewhere.body.contains("evil.example"));
    assert!(!elsewhere.body.contains("Вернуться на предыдущую страницу"));
}

#[tokio::test]
async fn the_body_limit_layer_answers_413_in_the_frame_and_the_language() {
    let (app, _) = portal();
    let mut visitor = Client::new(&app);
    visitor.get("/login?lang=ru").await;
    let huge = "A".repeat(issuer::web::BODY_LIMIT + 1);
    let request = Request::post("/login")
        .header(header::COOKIE, visitor.cookie_header())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, huge.len())
        .body(Body::from(huge))
        .expect("request");
    let reply = visitor.send(request).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    assert!(reply.body.contains("<html lang=\"ru\""));
    assert!(reply.body.contains("Отправленные данные слишком велики"));
    assert!(reply.body.contains("class=\"masthead\""));
    // The JSON API keeps its own answer.
    let api = visitor
        .send(
            Request::post("/api/v1/accounts")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("x".repeat(issuer::web::BODY_LIMIT + 1)))
                .expect("request"),
        )
        .await;
    assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(!api.body.contains("masthead"));
}

#[tokio::test]
async fn the_language_switch_posts_step_one_and_keeps_what_was_typed() {
    let (app, state) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let page = anna.get("/apply?lang=en").await;
    // The switch is a button of the form, to an address without the data.
    assert!(
        page.body
            .contains("form=\"step1\" formaction=\"/apply?lang=ru\"")
    );
    let token = csrf_of(&page.body);
    let mut fields = step_one(&[("switch_lang", "ru")]);
    fields.push(("csrf", token));
    let reply = anna.post_raw("/apply?lang=ru", &borrowed(&fields)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("<html lang=\"ru\""));
    assert!(reply.body.contains("Личные данные"));
    assert_kept(&reply.body);
    assert!(
        !reply.body.contains("class=\"error\""),
        "no field errors on a switch"
    );
    assert_eq!(applications(&state), 0, "a switch saves nothing");
    // The choice sticks: the next page is Russian too.
    assert!(
        anna.get("/services")
            .await
            .body
            .contains("<html lang=\"ru\"")
    );
}

#[tokio::test]
async fn step_one_with_an_expired_token_comes_back_with_the_data_and_a_fresh_token() {
    let (app, state) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let fresh = csrf_of(&anna.get("/apply").await.body);
    let mut fields = step_one(&[]);
    fields.push(("csrf", "0".repeat(64)));
    let reply = anna.post_raw("/apply", &borrowed(&fields)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("This form had expired"));
    assert_kept(&reply.body);
    assert_eq!(
        csrf_of(&reply.body),
        fresh,
        "the page carries the session's token"
    );
    assert_eq!(applications(&state), 0, "nothing is acted on");
    // Sent again from that page, it goes on to the confirmation.
    let again = anna.post("/apply", &borrowed(&step_one(&[]))).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert!(location(&again).ends_with("/confirm"));
}

#[tokio::test]
async fn step_one_after_the_session_ended_logs_in_again_and_goes_on() {
    let (app, state) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let token = csrf_of(&anna.get("/apply").await.body);
    // The session ends (another browser: no session cookie); the old page is sent.
    let mut later = Client::new(&app);
    let mut fields = step_one(&[]);
    fields.push(("csrf", token));
    let reply = later.post_raw("/apply", &borrowed(&fields)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("Your session has ended"));
    assert_kept(&reply.body);
    assert!(reply.body.contains("autocomplete=\"current-password\""));
    assert_eq!(applications(&state), 0);

    // A wrong password: still kept, told so.
    let wrong = later
        .post(
            "/apply",
            &borrowed(&step_one(&[
                ("identifier", "anna@example.com"),
                ("password", "not the password at all"),
            ])),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Wrong IIN/BIN, e-mail or password"));
    assert_kept(&wrong.body);

    let mut with_login = step_one(&[("identifier", "anna@example.com")]);
    with_login.push(("password", PASSWORD.to_owned()));
    let sent = later.post("/apply", &borrowed(&with_login)).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(location(&sent).ends_with("/confirm"));
    assert_eq!(applications(&state), 1);
    // Logged in again: the confirmation opens in this browser.
    assert_eq!(later.get(&location(&sent)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_date_of_birth_in_the_future_says_so_and_no_date_hint_contradicts_the_picker() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    for (lang, words) in [
        ("en", "The date of birth cannot be in the future"),
        ("ru", "Дата рождения не может быть в будущем"),
        ("kk", "Туған күн болашақта болуы мүмкін емес"),
    ] {
        let page = anna.get(&format!("/apply?lang={lang}")).await;
        assert!(!page.body.contains("YYYY"), "{lang}");
        assert!(page.body.contains("type=\"date\""));
        let tomorrow = (today() + Duration::days(1)).to_string();
        let fields = step_one(&[]);
        let mut fields = borrowed(&fields);
        fields.retain(|(k, _)| *k != "date_of_birth");
        fields.push(("date_of_birth", tomorrow.as_str()));
        let reply = anna.post("/apply", &fields).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains(words), "{lang}: {}", reply.body);
        assert!(!reply.body.contains("No such date"));
    }
}

#[tokio::test]
async fn personal_fields_carry_autocomplete() {
    let (app, _) = portal();
    let mut visitor = Client::new(&app);
    let signup = visitor.get("/signup").await.body;
    for (name, token) in [
        ("email", "email"),
        ("full_name", "name"),
        ("password", "new-password"),
        ("password_again", "new-password"),
    ] {
        assert!(
            signup.contains(&format!("name=\"{name}\" type=")),
            "{name} on sign-up"
        );
        let field = signup
            .split("<input")
            .find(|i| i.contains(&format!("name=\"{name}\"")))
            .expect(name);
        assert!(
            field.contains(&format!("autocomplete=\"{token}\"")),
            "{name}: {field}"
        );
    }
    let login = visitor.get("/login").await.body;
    assert!(login.contains("autocomplete=\"username\""));
    assert!(login.contains("autocomplete=\"current-password\""));
    visitor.sign_up("anna@example.com").await;
    let step1 = visitor.get("/apply").await.body;
    for (name, token) in [
        ("surname", "family-name"),
        ("given_names", "given-name"),
        ("date_of_birth", "bday"),
        ("citizenship", "country"),
        ("surname_native", "off"),
        ("passport_number", "off"),
    ] {
        let field = step1
            .split("<input")
            .find(|i| i.contains(&format!("name=\"{name}\"")))
            .expect(name);
        assert!(
            field.contains(&format!("autocomplete=\"{token}\"")),
            "{name}: {field}"
        );
    }
}

#[tokio::test]
async fn the_receipt_shows_astana_time_the_full_order_and_a_print_button() {
    let (app, state) = portal();
    let (mut anna, id, order) = submitted_with_order(&app, &state).await;
    // The gateway reports the payment at 10:00 UTC: 15:00 in Astana.
    crate::portal::callback(&app, &notice(&order, "paid", 8000, "USD"), SECRET, now()).await;
    let receipt = anna
        .get(&format!("/applications/{id}/receipt?lang=en"))
        .await;
    assert_eq!(receipt.status, StatusCode::OK);
    assert!(
        receipt
            .body
            .contains("25 November 2026, 15:00:00 (Astana time, UTC+5)"),
        "{}",
        receipt.body
    );
    assert!(!receipt.body.contains("2026-11-25T10:00:00Z"));
    assert!(receipt.body.contains(&order), "the full order id");
    assert!(receipt.body.contains("id=\"print\""));
    assert!(receipt.body.contains(">Print<"));
    assert!(receipt.body.contains("src=\"/static/print.js\""));
    let russian = anna
        .get(&format!("/applications/{id}/receipt?lang=ru"))
        .await;
    assert!(
        russian
            .body
            .contains("25 ноября 2026 г., 15:00:00 (время Астаны, UTC+5)")
    );
    let kazakh = anna
        .get(&format!("/applications/{id}/receipt?lang=kk"))
        .await;
    assert!(
        kazakh
            .body
            .contains("2026 ж. 25 қараша, 15:00:00 (Астана уақыты, UTC+5)")
    );
    let script = anna.get("/static/print.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.body.contains("window.print()"));
}

#[tokio::test]
async fn sign_up_and_log_in_keep_what_was_typed_through_the_switch_and_an_expired_token() {
    let (app, state) = portal();
    let mut visitor = Client::new(&app);
    visitor.get("/signup?lang=en").await;
    let fields = [
        ("email", "sven@example.com"),
        ("full_name", "Sven Larsson"),
        ("password", PASSWORD),
        ("password_again", PASSWORD),
    ];
    let mut switched = fields.to_vec();
    switched.push(("switch_lang", "kk"));
    let reply = visitor.post("/signup?lang=kk", &switched).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("<html lang=\"kk\""));
    assert!(reply.body.contains("value=\"sven@example.com\""));
    assert!(reply.body.contains("value=\"Sven Larsson\""));
    assert!(
        !reply.body.contains(PASSWORD),
        "a password is never shown again"
    );
    let mut stale = fields.to_vec();
    stale.push(("csrf", "0"));
    let expired = visitor.post_raw("/signup?lang=en", &stale).await;
    assert_eq!(expired.status, StatusCode::OK);
    assert!(expired.body.contains("This form had expired"));
    assert!(expired.body.contains("value=\"Sven Larsson\""));
    let accounts = state
        .db
        .with(|conn| conn.query_row("SELECT count(*) FROM users", [], |r| r.get::<_, i64>(0)))
        .expect("count");
    assert_eq!(accounts, 0, "nothing is acted on");

    let login = visitor
        .post_raw(
            "/login",
            &[
                ("csrf", "0"),
                ("identifier", "sven@example.com"),
                ("password", "x"),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.body.contains("This form had expired"));
    assert!(login.body.contains("value=\"sven@example.com\""));

    let forgot = visitor
        .post_raw(
            "/password/forgot",
            &[("csrf", "0"), ("identifier", "sven@example.com")],
        )
        .await;
    assert_eq!(forgot.status, StatusCode::OK);
    assert!(forgot.body.contains("This form had expired"));
    assert!(forgot.body.contains("value=\"sven@example.com\""));
    assert!(
        !forgot.body.contains("If such an account exists"),
        "no link was sent"
    );
}

#[tokio::test]
async fn an_invitation_form_with_an_expired_token_comes_back_with_the_guest_kept() {
    let (app, state) = portal();
    let mut host = Client::new(&app);
    host.sign_up("host@example.com").await;
    host.get("/inviter").await;
    let registered = host
        .post(
            "/inviter",
            &[
                ("kind", "individual"),
                ("tax_id", "740812500124"),
                ("name", "Әлия Қасымова"),
                ("description", "Host family in Almaty"),
            ],
        )
        .await;
    assert_eq!(location(&registered), "/inviter");
    crate::support::verify_inviter(&state, "740812500124");
    let form = host.get("/inviter/invitations/new?lang=ru").await;
    assert!(
        form.body
            .contains("formaction=\"/inviter/invitations/new?lang=kk\"")
    );
    let fields = [
        ("csrf", "0"),
        ("surname", "MUELLER"),
        ("given_names", "JONAS"),
        ("passport_number", "C01X00T47"),
        ("citizenship", "DEU"),
        ("date_of_birth", "1990-01-31"),
        ("category", "business"),
        ("purpose", "Negotiations"),
        ("city", "Алматы"),
        ("street", "Абай даңғылы"),
        ("house", "150"),
        ("stay_days", "14"),
    ];
    let reply = host.post_raw("/inviter/invitations", &fields).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("Срок действия формы истёк"));
    for value in ["MUELLER", "C01X00T47", "1990-01-31", "Абай даңғылы"] {
        assert!(
            reply.body.contains(&format!("value=\"{value}\"")),
            "{value} lost"
        );
    }
    // The guest's data is someone else's: the browser does not fill it with the host's own.
    assert!(!reply.body.contains("autocomplete=\"family-name\""));
    let invitations = state
        .db
        .with(|conn| {
            conn.query_row(
                "SELECT count(*) FROM invitations WHERE number LIKE 'INV-2%'",
                [],
                |r| r.get::<_, i64>(0),
            )
        })
        .expect("count");
    assert_eq!(invitations, 0, "nothing is registered");
}

/// Enter in a field submits through the first submit button of the form in the page's order. On
/// a page whose language switch posts the form, that must be the form's own action, never a
/// language button (which come first in the page).
#[tokio::test]
async fn enter_in_a_form_with_the_language_switch_sends_the_form_not_a_language() {
    let (app, _) = portal();
    let mut visitor = Client::new(&app);
    let mut checked = 0;
    for path in ["/signup", "/login"] {
        let page = visitor.get(path).await;
        assert_eq!(page.status, StatusCode::OK);
        let body = &page.body;
        let Some(switch) = body.find("name=\"switch_lang\"") else {
            continue;
        };
        checked += 1;
        let first_submit = body.find("type=\"submit\"").expect("a submit button");
        assert!(first_submit < switch, "{path}");
        let start = body[..first_submit].rfind('<').expect("its tag");
        let tag = &body[start..first_submit + body[first_submit..].find('>').expect("end")];
        assert!(
            !tag.contains("switch_lang") && !tag.contains("formaction"),
            "{path}: {tag}"
        );
    }
    assert!(checked > 0, "no page had a form-posting language switch");
}
