//! The portal through its router, with no socket: every page and rule of Step 1, the accounts,
//! the inviting parties, the JSON API and the security measures, including bad input.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use issuer::db::Db;
use issuer::web::{AppState, Settings, app};
use serde_json::{Value, json};
use time::Duration;
use tower::ServiceExt;

/// A browser stand-in: keeps the cookies and the last page.
struct Client {
    app: Router,
    cookies: Vec<(String, String)>,
    last: String,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

fn today() -> time::Date {
    issuer::web::apply::today()
}

fn portal() -> (Router, AppState) {
    let db = Db::in_memory().expect("database");
    issuer::demo::seed(&db, today()).expect("demo data");
    let state = AppState::new(
        db,
        Settings {
            secure_cookies: true,
            form_targets: Vec::new(),
        },
    );
    (app(state.clone()), state)
}

impl Client {
    fn new(app: &Router) -> Self {
        Client {
            app: app.clone(),
            cookies: Vec::new(),
            last: String::new(),
        }
    }

    async fn send(&mut self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().expect("ascii cookie");
            let (pair, attrs) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            self.cookies.retain(|(n, _)| n != name);
            if !attrs.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let body = String::from_utf8(bytes.to_vec()).expect("utf-8 body");
        if status == StatusCode::OK || status.is_client_error() {
            self.last = body.clone();
        }
        Reply {
            status,
            headers,
            body,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn get(&mut self, path: &str) -> Reply {
        let request = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .expect("request");
        self.send(request).await
    }

    /// Posts a form with the CSRF token of the last page.
    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let token = csrf_of(&self.last);
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).expect("form");
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    async fn sign_up(&mut self, email: &str) {
        self.get("/signup").await;
        let reply = self
            .post(
                "/signup",
                &[
                    ("email", email),
                    ("full_name", "Anna Eriksson"),
                    ("password", "long enough password"),
                    ("password_again", "long enough password"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }

    /// Fills Step 1 with the demo applicant's data, changed by `change`.
    async fn apply(&mut self, change: &[(&str, &str)]) -> Reply {
        self.get("/apply").await;
        let expiry = (today() + Duration::days(3 * 365)).to_string();
        let mut fields: Vec<(&str, &str)> = vec![
            ("invitation_number", "INV-DEMO-0001"),
            ("category", "tourist"),
            ("surname", "ERIKSSON"),
            ("given_names", "ANNA MARIA"),
            ("surname_native", ""),
            ("given_names_native", ""),
            ("sex", "F"),
            ("date_of_birth", "1974-08-12"),
            ("citizenship", "SWE"),
            ("passport_number", "L898902C3"),
            ("passport_expiry", expiry.as_str()),
            ("with_children", "no"),
        ];
        for (name, value) in change {
            match fields.iter_mut().find(|(n, _)| n == name) {
                Some(field) => field.1 = value,
                None => fields.push((name, value)),
            }
        }
        self.post("/apply", &fields).await
    }
}

fn csrf_of(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    page.find(marker)
        .map(|at| {
            let rest = &page[at + marker.len()..];
            rest[..rest.find('"').expect("closing quote")].to_owned()
        })
        .unwrap_or_default()
}

fn location(reply: &Reply) -> String {
    reply
        .headers
        .get(header::LOCATION)
        .expect("a redirect")
        .to_str()
        .expect("ascii")
        .to_owned()
}

/// The error message shown beside a field, if any.
fn error_of(page: &str, field: &str) -> Option<String> {
    let marker = format!("id=\"e-{field}\" role=\"alert\">");
    page.find(&marker).map(|at| {
        let rest = &page[at + marker.len()..];
        rest[..rest.find('<').expect("closing tag")].to_owned()
    })
}

fn application_id(location: &str) -> String {
    location
        .trim_start_matches("/applications/")
        .trim_end_matches("/confirm")
        .to_owned()
}

async fn applied_and_confirmed(client: &mut Client) -> String {
    let reply = client.apply(&[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let id = application_id(&location(&reply));
    client.get(&format!("/applications/{id}/confirm")).await;
    let reply = client
        .post(
            &format!("/applications/{id}/confirm"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    id
}

#[tokio::test]
async fn a_newcomer_signs_up_applies_with_the_demo_invitation_confirms_and_finds_it_in_visas() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    let services = anna.get("/").await;
    assert_eq!(location(&services), "/services");
    let page = anna.get("/services").await;
    assert!(page.body.contains("Electronic visa"));
    let page = anna.get("/services/e-visa").await;
    assert!(page.body.contains("href=\"/apply\""));
    assert!(page.body.contains("Get a visa"));

    let need_login = anna.get("/apply").await;
    assert_eq!(location(&need_login), "/login?next=/apply");
    anna.sign_up("anna@example.com").await;

    let form = anna.get("/apply").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("STEP 1"));
    assert!(
        form.body
            .contains("<span class=\"req\" title=\"required\"> *</span>")
    );

    let reply = anna.apply(&[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let confirm_path = location(&reply);
    let id = application_id(&confirm_path);
    let page = anna.get(&confirm_path).await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "ERIKSSON ANNA MARIA",
        "L898902C3",
        "Nomad Travel Demo LLP",
        "180240012342",
        "Planned address of stay in the Republic of Kazakhstan",
        "г. Астана, район Есиль",
        "Қабанбай батыр даңғылы",
        "I confirm the accuracy of the data provided and I am notified that the provision of false data will cause invalid results of services",
    ] {
        assert!(page.body.contains(expected), "{expected} missing");
    }

    let unticked = anna.post(&confirm_path, &[]).await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unticked
            .body
            .contains("Please confirm the accuracy of the data")
    );

    let ticked = anna.post(&confirm_path, &[("confirm", "yes")]).await;
    assert_eq!(ticked.status, StatusCode::SEE_OTHER);
    let visas = anna.get("/account/visas").await;
    assert!(visas.body.contains("INV-DEMO-0001"));
    assert!(visas.body.contains("Payment not done"));
    assert!(!visas.body.contains(&format!("/applications/{id}/confirm")));
}

#[tokio::test]
async fn another_account_can_neither_see_nor_confirm_the_application() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let reply = anna.apply(&[]).await;
    let path = location(&reply);
    let id = application_id(&path);
    assert_eq!(id.len(), 32, "ids are 128 random bits in hex");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));

    let mut mallory = Client::new(&app);
    mallory.sign_up("mallory@example.com").await;
    assert_eq!(mallory.get(&path).await.status, StatusCode::NOT_FOUND);
    mallory.get("/services").await;
    let post = mallory.post(&path, &[("confirm", "yes")]).await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    let edit = mallory.get(&format!("/apply?application={id}")).await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    let visas = mallory.get("/account/visas").await;
    assert!(!visas.body.contains("INV-DEMO-0001"));
    assert_eq!(
        mallory.get("/applications/not-an-id/confirm").await.status,
        StatusCode::NOT_FOUND
    );
    // Anna's draft is still a draft: mallory's confirmation changed nothing.
    assert_eq!(anna.get(&path).await.status, StatusCode::OK);
}

#[tokio::test]
async fn form_errors_are_shown_beside_each_field_and_the_entered_data_is_kept() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let reply = anna
        .apply(&[
            ("surname", ""),
            ("given_names", "Анна"),
            ("date_of_birth", "12.08.1974"),
            ("citizenship", "XYZ"),
            ("passport_number", "L8989020C3"),
            ("sex", "Q"),
            ("with_children", ""),
            ("invitation_number", "in v"),
            ("category", "transit"),
        ])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = &reply.body;
    let cases = [
        ("surname", "This field is required"),
        (
            "given_names",
            "Use the Latin letters A–Z exactly as in the passport's machine-readable zone",
        ),
        ("date_of_birth", "A date is written YYYY-MM-DD"),
        (
            "citizenship",
            "Enter the three-letter country code (ISO 3166-1 alpha-3), e.g. DEU",
        ),
        ("passport_number", "At most 9 characters"),
        (
            "invitation_number",
            "An invitation number has 4 to 20 Latin letters, digits and hyphens",
        ),
    ];
    for (field, message) in cases {
        assert_eq!(error_of(page, field).as_deref(), Some(message), "{field}");
    }
    assert_eq!(
        error_of(page, "category").as_deref(),
        Some("The e-visa categories are business, tourist and treatment")
    );
    assert_eq!(error_of(page, "sex").as_deref(), Some("Choose the sex"));
    assert_eq!(
        error_of(page, "with_children").as_deref(),
        Some("This field is required")
    );
    assert!(page.contains("value=\"Анна\""), "the typed value is kept");
    assert!(page.contains("value=\"12.08.1974\""));
    assert!(page.contains("value=\"L8989020C3\""));
}

#[tokio::test]
async fn errors_are_translated_into_kazakh_and_russian() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    anna.get("/apply?lang=kk").await;
    let reply = anna.apply(&[("surname", "")]).await;
    assert_eq!(
        error_of(&reply.body, "surname").as_deref(),
        Some("Бұл өрісті толтыру міндетті")
    );
    anna.get("/apply?lang=ru").await;
    let reply = anna.apply(&[("surname", "")]).await;
    assert_eq!(
        error_of(&reply.body, "surname").as_deref(),
        Some("Это поле обязательно для заполнения")
    );
}

#[tokio::test]
async fn data_that_differs_from_the_invitation_is_named_field_by_field() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let reply = anna
        .apply(&[
            ("surname", "ERIKSON"),
            ("date_of_birth", "1974-08-13"),
            ("citizenship", "NOR"),
            ("passport_number", "L898902C4"),
            ("given_names", "ANNA"),
            ("category", "business"),
        ])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "surname",
        "given_names",
        "date_of_birth",
        "citizenship",
        "passport_number",
        "category",
    ] {
        assert_eq!(
            error_of(&reply.body, field).as_deref(),
            Some("Does not match the invitation"),
            "{field}"
        );
    }
    assert_eq!(error_of(&reply.body, "invitation_number"), None);
}

#[tokio::test]
async fn unknown_expired_and_used_invitations_are_refused() {
    let (app, state) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let reply = anna
        .apply(&[("invitation_number", "INV-2026-NOSUCH00")])
        .await;
    assert_eq!(
        error_of(&reply.body, "invitation_number").as_deref(),
        Some("No invitation has this number")
    );

    // An invitation whose period ended yesterday.
    let past = today() - Duration::days(100);
    let mut form = issuer::demo::invitation_form(past);
    form.valid_until = (today() - Duration::days(1)).to_string();
    let old = form.parse(past).expect("valid when made");
    state
        .db
        .with(|conn| {
            let number = shared::visa::InvitationNumber::parse("INV-OLD-0001")?;
            let inviter = issuer::db::inviter_by_tax_id(
                conn,
                &issuer::taxid::TaxId::parse(issuer::demo::DEMO_BIN)
                    .map_err(anyhow::Error::from)?,
            )?
            .ok_or_else(|| anyhow::anyhow!("demo inviter"))?;
            issuer::db::insert_invitation(conn, inviter.id, &number, &old, "2026-01-01T00:00:00Z")
        })
        .expect("stored");
    let reply = anna.apply(&[("invitation_number", "INV-OLD-0001")]).await;
    assert_eq!(
        error_of(&reply.body, "invitation_number").as_deref(),
        Some("The invitation has expired")
    );

    applied_and_confirmed(&mut anna).await;
    let mut bob = Client::new(&app);
    bob.sign_up("bob@example.com").await;
    let reply = bob.apply(&[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(&reply.body, "invitation_number").as_deref(),
        Some("This invitation is already used by another application")
    );
}

#[tokio::test]
async fn travelling_with_children_and_a_passport_expiring_too_soon_are_refused() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let reply = anna.apply(&[("with_children", "yes")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("E-visas are not issued to foreigners travelling together with children")
    );
    let soon = (today() + Duration::days(10)).to_string();
    let reply = anna.apply(&[("passport_expiry", soon.as_str())]).await;
    assert_eq!(
        error_of(&reply.body, "passport_expiry").as_deref(),
        Some("The passport expires before the planned stay ends")
    );
    let past = (today() - Duration::days(1)).to_string();
    let reply = anna.apply(&[("passport_expiry", past.as_str())]).await;
    assert_eq!(
        error_of(&reply.body, "passport_expiry").as_deref(),
        Some("The passport has expired")
    );
}

#[tokio::test]
async fn sending_step_one_again_updates_the_same_draft() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let first = location(&anna.apply(&[]).await);
    let id = application_id(&first);
    let edit = anna.get(&format!("/apply?application={id}")).await;
    assert!(edit.body.contains("value=\"ERIKSSON\""));
    let second = location(&anna.apply(&[("surname_native", "Эрикссон")]).await);
    assert_eq!(first, second);
    assert!(anna.get(&second).await.body.contains("Эрикссон"));
}

#[tokio::test]
async fn every_form_post_without_the_right_csrf_token_is_refused() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let reply = anna.apply(&[]).await;
    let confirm = location(&reply);
    for path in [
        "/login",
        "/signup",
        "/logout",
        "/apply",
        confirm.as_str(),
        "/inviter",
        "/inviter/invitations",
    ] {
        let missing = anna.post_raw(path, &[("confirm", "yes")]).await;
        assert_eq!(
            missing.status,
            StatusCode::FORBIDDEN,
            "{path} without token"
        );
        assert!(missing.body.contains("The form has expired"));
        let wrong = anna
            .post_raw(path, &[("csrf", "00000000"), ("confirm", "yes")])
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::FORBIDDEN,
            "{path} with a wrong token"
        );
    }
    // The token of another session is no good either.
    let mut other = Client::new(&app);
    let page = other.get("/login").await;
    let token = csrf_of(&page.body);
    let foreign = anna.post_raw("/apply", &[("csrf", token.as_str())]).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert!(anna.get("/account/visas").await.body.contains("Draft"));
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.get("/login").await;
    let huge = "A".repeat(issuer::web::BODY_LIMIT + 1);
    let reply = anna
        .post(
            "/login",
            &[("identifier", huge.as_str()), ("password", "x")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    let api = app
        .clone()
        .oneshot(
            Request::post("/api/v1/accounts")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(format!("{{\"email\":\"{huge}\"}}")))
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(api.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn html_and_script_in_names_are_rendered_escaped() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let evil = "<script>alert(1)</script>";
    let reply = anna
        .apply(&[("surname", evil), ("surname_native", evil)])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!reply.body.contains(evil));
    assert!(
        reply
            .body
            .contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"")
    );

    anna.get("/inviter").await;
    let reply = anna
        .post(
            "/inviter",
            &[
                ("kind", "organisation"),
                ("tax_id", "180240012342"),
                ("name", "\"><img src=x onerror=alert(1)>"),
                ("description", evil),
            ],
        )
        .await;
    assert!(!reply.body.contains("<img src=x"));
    assert!(!reply.body.contains(evil));
}

#[tokio::test]
async fn kazakh_letters_are_kept_intact_from_form_to_page_and_api() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let surname = "ӘҒҚҢӨҰҮҺІ";
    let given = "әғқңөұүһі Ақерке";
    let reply = anna
        .apply(&[("surname_native", surname), ("given_names_native", given)])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = anna.get(&location(&reply)).await;
    assert!(page.body.contains(&format!("{surname} {given}")));
    let kk = anna.get(&format!("{}?lang=kk", location(&reply))).await;
    assert!(
        kk.body
            .contains("Қазақстан Республикасында болудың жоспарланған мекенжайы")
    );
    assert!(kk.body.contains("Қабанбай батыр даңғылы"));
}

#[tokio::test]
async fn every_page_has_the_language_switch_and_all_three_languages() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    let public = [
        ("/login", ["Кіру", "Вход", "Log In"]),
        (
            "/login?tab=eds",
            [
                "Электрондық цифрлық қолтаңба",
                "Электронная цифровая подпись",
                "Digital signature",
            ],
        ),
        ("/signup", ["Тіркелу", "Регистрация", "Sign Up"]),
        (
            "/services",
            ["Портал қызметтері", "Услуги портала", "Portal Services"],
        ),
        (
            "/services/e-visa",
            ["Виза алу", "Получить визу", "Get a visa"],
        ),
    ];
    let private = [
        (
            "/apply",
            ["Жеке деректер", "Личные данные", "Personal data"],
        ),
        ("/account/visas", ["Визалар", "Визы", "Visas"]),
        (
            "/inviter",
            [
                "Шақырушы тарапты тіркеу",
                "Регистрация приглашающей стороны",
                "Register as an inviting party",
            ],
        ),
    ];
    for (path, texts) in public {
        check_languages(&mut anna, path, texts).await;
    }
    anna.sign_up("anna@example.com").await;
    for (path, texts) in private {
        check_languages(&mut anna, path, texts).await;
    }
}

async fn check_languages(client: &mut Client, path: &str, texts: [&str; 3]) {
    let join = if path.contains('?') { '&' } else { '?' };
    for (code, text) in ["kk", "ru", "en"].into_iter().zip(texts) {
        let page = client.get(&format!("{path}{join}lang={code}")).await;
        assert_eq!(page.status, StatusCode::OK, "{path} in {code}");
        assert!(page.body.contains(text), "{path} in {code} lacks {text}");
        assert!(page.body.contains(&format!("<html lang=\"{code}\">")));
        for label in ["ҚАЗ", "РУС", "ENG"] {
            assert!(page.body.contains(label), "{path} lacks the {label} switch");
        }
    }
}

#[tokio::test]
async fn the_chosen_language_is_remembered_in_a_cookie() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    let reply = anna.get("/services?lang=ru").await;
    let cookies: Vec<_> = reply.headers.get_all(header::SET_COOKIE).iter().collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.to_str().is_ok_and(|c| c.starts_with("lang=ru;")))
    );
    let page = anna.get("/services/e-visa").await;
    assert!(page.body.contains("Получить визу"));
}

#[tokio::test]
async fn the_digital_signature_tab_says_it_is_not_for_foreign_citizens() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    let page = anna.get("/login?tab=eds").await;
    assert!(
        page.body
            .contains("It is not available for foreign citizens")
    );
    assert!(!page.body.contains("name=\"password\""));
}

#[tokio::test]
async fn a_login_gets_a_new_session_id_and_logout_ends_it() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let logged_in = anna.cookies.clone();
    anna.get("/services").await;
    let reply = anna.post("/logout", &[]).await;
    assert_eq!(location(&reply), "/login");
    assert_eq!(
        location(&anna.get("/account/visas").await),
        "/login?next=/account/visas"
    );

    // The old cookie is dead on the server, not only in this browser.
    let mut replay = Client::new(&app);
    replay.cookies = logged_in;
    assert_eq!(
        replay.get("/account/visas").await.status,
        StatusCode::SEE_OTHER
    );

    let before = anna.get("/login").await;
    assert_eq!(before.status, StatusCode::OK);
    let anonymous = anna.cookies.clone();
    let reply = anna
        .post(
            "/login",
            &[
                ("identifier", "ANNA@example.com"),
                ("password", "long enough password"),
                ("next", "/account/visas"),
            ],
        )
        .await;
    assert_eq!(location(&reply), "/account/visas");
    assert_ne!(anonymous, anna.cookies, "the session id changes at login");
    assert_eq!(anna.get("/account/visas").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_known_and_an_unknown_e_mail_get_the_same_answer_at_login() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let mut probe = Client::new(&app);
    let mut answers = Vec::new();
    for identifier in ["anna@example.com", "nobody@example.com"] {
        probe.get("/login").await;
        let reply = probe
            .post(
                "/login",
                &[("identifier", identifier), ("password", "wrong password!")],
            )
            .await;
        let body = reply
            .body
            .replace(&csrf_of(&reply.body), "TOKEN")
            .replace(identifier, "IDENTIFIER");
        answers.push((reply.status, body));
    }
    assert_eq!(answers[0].0, StatusCode::UNAUTHORIZED);
    assert_eq!(answers[0], answers[1]);
    assert!(answers[0].1.contains("Wrong IIN, BIN, e-mail or password"));
}

#[tokio::test]
async fn logins_are_rate_limited_after_five_failures() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let mut attacker = Client::new(&app);
    for _ in 0..5 {
        attacker.get("/login").await;
        let reply = attacker
            .post(
                "/login",
                &[
                    ("identifier", "anna@example.com"),
                    ("password", "guess guess guess"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    attacker.get("/login").await;
    let reply = attacker
        .post(
            "/login",
            &[
                ("identifier", "anna@example.com"),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.body.contains("Too many failed attempts"));
}

#[tokio::test]
async fn sign_up_checks_its_fields_and_refuses_a_taken_e_mail() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.get("/signup").await;
    let reply = anna
        .post(
            "/signup",
            &[
                ("email", "anna"),
                ("full_name", ""),
                ("password", "short"),
                ("password_again", "short"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(&reply.body, "email").as_deref(),
        Some("Enter an e-mail address")
    );
    assert_eq!(
        error_of(&reply.body, "full_name").as_deref(),
        Some("This field is required")
    );
    assert_eq!(
        error_of(&reply.body, "password").as_deref(),
        Some("The password has 10 to 128 characters")
    );
    let reply = anna
        .post(
            "/signup",
            &[
                ("email", "anna@example.com"),
                ("full_name", "Anna"),
                ("password", "long enough password"),
                ("password_again", "long enough passwort"),
            ],
        )
        .await;
    assert_eq!(
        error_of(&reply.body, "password_again").as_deref(),
        Some("The passwords differ")
    );
    anna.sign_up("anna@example.com").await;
    let mut twin = Client::new(&app);
    twin.get("/signup").await;
    let reply = twin
        .post(
            "/signup",
            &[
                ("email", "Anna@Example.com"),
                ("full_name", "Anna"),
                ("password", "long enough password"),
                ("password_again", "long enough password"),
            ],
        )
        .await;
    assert_eq!(
        error_of(&reply.body, "email").as_deref(),
        Some("An account with this e-mail exists; please log in")
    );
}

#[tokio::test]
async fn an_inviting_party_registers_with_a_checked_bin_and_its_invitation_works() {
    let (app, _) = portal();
    let mut host = Client::new(&app);
    host.sign_up("host@example.kz").await;
    host.get("/inviter").await;
    let bad = host
        .post(
            "/inviter",
            &[
                ("kind", "organisation"),
                ("tax_id", "180240012343"),
                ("name", "Host LLP"),
                ("description", "Hotel"),
            ],
        )
        .await;
    assert_eq!(
        error_of(&bad.body, "tax_id").as_deref(),
        Some("The check digit does not match: check the number")
    );
    let taken = host
        .post(
            "/inviter",
            &[
                ("kind", "organisation"),
                ("tax_id", issuer::demo::DEMO_BIN),
                ("name", "Host LLP"),
                ("description", "Hotel"),
            ],
        )
        .await;
    assert_eq!(
        error_of(&taken.body, "tax_id").as_deref(),
        Some("This BIN/IIN is registered by another account")
    );
    let wrong_kind = host
        .post(
            "/inviter",
            &[
                ("kind", "individual"),
                ("tax_id", "180240012342"),
                ("name", "Host"),
                ("description", "Host"),
            ],
        )
        .await;
    assert!(error_of(&wrong_kind.body, "tax_id").is_some());
    let ok = host
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
    assert_eq!(location(&ok), "/inviter");

    host.get("/inviter/invitations/new").await;
    let from = today().to_string();
    let until = (today() + Duration::days(60)).to_string();
    let reply = host
        .post(
            "/inviter/invitations",
            &[
                ("surname", "MUELLER"),
                ("given_names", "JONAS"),
                ("passport_number", "C01X00T47"),
                ("citizenship", "deu"),
                ("date_of_birth", "1990-01-31"),
                ("category", "business"),
                ("purpose", "Negotiations"),
                ("city", "Алматы"),
                ("street", "Абай даңғылы"),
                ("house", "150"),
                ("valid_from", from.as_str()),
                ("valid_until", until.as_str()),
                ("stay_days", "14"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let marker = "<strong><code>";
    let at = reply.body.find(marker).expect("the number is shown") + marker.len();
    let number = reply.body[at..]
        .split('<')
        .next()
        .expect("number")
        .to_owned();
    assert!(
        number.starts_with(&format!("INV-{}-", today().year())),
        "{number}"
    );
    assert_eq!(number.len(), 17);

    // The host can also log in with the IIN.
    host.get("/services").await;
    host.post("/logout", &[]).await;
    host.get("/login").await;
    let login = host
        .post(
            "/login",
            &[
                ("identifier", "7408 1250 0124"),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let list = host.get("/inviter").await;
    assert!(list.body.contains(&number));
    assert!(list.body.contains("MUELLER JONAS"));

    let mut jonas = Client::new(&app);
    jonas.sign_up("jonas@example.de").await;
    let expiry = (today() + Duration::days(1000)).to_string();
    let reply = jonas
        .apply(&[
            ("invitation_number", number.as_str()),
            ("category", "business"),
            ("surname", "Mueller"),
            ("given_names", "Jonas"),
            ("sex", "M"),
            ("date_of_birth", "1990-01-31"),
            ("citizenship", "DEU"),
            ("passport_number", "C01X00T47"),
            ("passport_expiry", expiry.as_str()),
        ])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = jonas.get(&location(&reply)).await;
    assert!(page.body.contains("Әлия Қасымова"));
    assert!(page.body.contains("Абай даңғылы"));
}

#[tokio::test]
async fn invitation_forms_refuse_bad_periods_and_past_dates() {
    let (app, _) = portal();
    let mut host = Client::new(&app);
    host.sign_up("host@example.kz").await;
    host.get("/inviter").await;
    host.post(
        "/inviter",
        &[
            ("kind", "organisation"),
            ("tax_id", "180340012346"),
            ("name", "Host LLP"),
            ("description", "Hotel"),
        ],
    )
    .await;
    host.get("/inviter/invitations/new").await;
    let yesterday = (today() - Duration::days(1)).to_string();
    let reply = host
        .post(
            "/inviter/invitations",
            &[
                ("surname", "MUELLER"),
                ("passport_number", "C01X00T47"),
                ("citizenship", "DEU"),
                ("date_of_birth", "1990-01-31"),
                ("category", "tourist"),
                ("purpose", "Tourism"),
                ("city", "Almaty"),
                ("street", "Abay"),
                ("house", "1"),
                ("valid_from", yesterday.as_str()),
                ("valid_until", yesterday.as_str()),
                ("stay_days", "91"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(&reply.body, "valid_from").as_deref(),
        Some("The date cannot be in the past")
    );
    assert_eq!(
        error_of(&reply.body, "stay_days").as_deref(),
        Some("Must be between 1 and 90")
    );
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_a_host_only_session_cookie() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    let reply = anna.get("/login").await;
    let csp = reply.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("ascii");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(csp.contains("default-src 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert!(!reply.body.contains("<script"));
    assert!(!reply.body.contains("style=\""));
    assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(reply.headers[header::X_FRAME_OPTIONS], "DENY");
    let cookie = reply.headers[header::SET_COOKIE].to_str().expect("ascii");
    assert!(cookie.starts_with("__Host-session="), "{cookie}");
    for attribute in ["Path=/", "HttpOnly", "SameSite=Lax", "Secure"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(!cookie.contains("Domain"));
    let css = anna.get("/static/style.css").await;
    assert_eq!(css.headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
}

#[tokio::test]
async fn unknown_pages_show_a_generic_error_that_echoes_nothing() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    let reply = anna.get("/no-such-page-%3Cscript%3E").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("Page not found"));
    assert!(reply.body.contains("Страница не найдена"));
    assert!(!reply.body.contains("no-such-page"));
    let malformed = anna.post("/login", &[]).await;
    assert_ne!(malformed.status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn the_login_redirect_never_leads_to_another_site() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    anna.get("/services").await;
    anna.post("/logout", &[]).await;
    for next in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
    ] {
        anna.get("/login").await;
        let reply = anna
            .post(
                "/login",
                &[
                    ("identifier", "anna@example.com"),
                    ("password", "long enough password"),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(location(&reply), "/services", "{next}");
        anna.post("/logout", &[]).await;
    }
}

// ---------------------------------------------------------------- JSON API

async fn api(
    app: &Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("JSON")
    };
    (status, value)
}

async fn api_user(app: &Router, email: &str) -> String {
    let (status, _) = api(
        app,
        "POST",
        "/api/v1/accounts",
        None,
        Some(json!({"email": email, "full_name": "API User", "password": "long enough password"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = api(
        app,
        "POST",
        "/api/v1/sessions",
        None,
        Some(json!({"identifier": email, "password": "long enough password"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    body["token"].as_str().expect("token").to_owned()
}

fn api_form() -> Value {
    json!({
        "invitation_number": "INV-DEMO-0001", "category": "tourist", "surname": "ERIKSSON",
        "given_names": "ANNA MARIA", "surname_native": "Эрикссон", "sex": "F",
        "date_of_birth": "1974-08-12", "citizenship": "SWE", "passport_number": "L898902C3",
        "passport_expiry": (today() + Duration::days(2000)).to_string(), "with_children": "no"
    })
}

#[tokio::test]
async fn the_api_registers_logs_in_creates_confirms_and_reads_applications() {
    let (app, _) = portal();
    let token = api_user(&app, "api@example.com").await;
    let (status, created) = api(
        &app,
        "POST",
        "/api/v1/applications",
        Some(&token),
        Some(api_form()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "draft");
    assert_eq!(created["inviting_party"]["bin_iin"], "180240012342");
    assert_eq!(
        created["planned_address"]["street"],
        "Қабанбай батыр даңғылы"
    );
    assert_eq!(created["applicant"]["surname_native"], "Эрикссон");
    let id = created["id"].as_str().expect("id").to_owned();

    let (status, body) = api(
        &app,
        "POST",
        &format!("/api/v1/applications/{id}/confirm"),
        Some(&token),
        Some(json!({"confirm": false})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"]["confirm"]["code"], "not_confirmed");
    let (status, body) = api(
        &app,
        "POST",
        &format!("/api/v1/applications/{id}/confirm"),
        Some(&token),
        Some(json!({"confirm": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "submitted");
    assert_eq!(body["status_text"], "Payment not done");

    let (status, list) = api(&app, "GET", "/api/v1/applications", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["applications"].as_array().map(Vec::len), Some(1));
    let (status, one) = api(
        &app,
        "GET",
        &format!("/api/v1/applications/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["id"], id.as_str());

    let other = api_user(&app, "other@example.com").await;
    let (status, body) = api(
        &app,
        "GET",
        &format!("/api/v1/applications/{id}"),
        Some(&other),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
    let (status, _) = api(
        &app,
        "POST",
        &format!("/api/v1/applications/{id}/confirm"),
        Some(&other),
        Some(json!({"confirm": true})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _) = api(&app, "DELETE", "/api/v1/sessions", Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api(&app, "GET", "/api/v1/applications", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn api_errors_are_json_with_a_reason_per_field_and_a_4xx_status() {
    let (app, _) = portal();
    let (status, body) = api(&app, "GET", "/api/v1/applications", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "unauthorized");
    let token = api_user(&app, "api@example.com").await;

    let mut form = api_form();
    form["surname"] = json!("ERIKSON");
    form["citizenship"] = json!("XX");
    form["with_children"] = json!("yes");
    let (status, body) = api(
        &app,
        "POST",
        "/api/v1/applications",
        Some(&token),
        Some(form),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"], "invalid_fields");
    assert_eq!(body["fields"]["citizenship"]["code"], "unknown_country");
    assert_eq!(
        body["fields"]["with_children"]["code"],
        "travelling_with_children"
    );

    let mut form = api_form();
    form["surname"] = json!("ERIKSON");
    let (status, body) = api(
        &app,
        "POST",
        "/api/v1/applications",
        Some(&token),
        Some(form),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"]["surname"]["code"], "differs_from_invitation");
    assert_eq!(
        body["fields"]["surname"]["message"],
        "Does not match the invitation"
    );

    let request = Request::post("/api/v1/applications")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let (status, body) = api(&app, "POST", "/api/v1/accounts", None, Some(json!({"email": "api@example.com", "full_name": "X", "password": "long enough password"}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["fields"]["email"]["code"], "email_taken");
    let (status, body) = api(
        &app,
        "POST",
        "/api/v1/sessions",
        None,
        Some(json!({"identifier": "api@example.com", "password": "nope"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "wrong_credentials");
    let (status, _) = api(
        &app,
        "GET",
        "/api/v1/applications/0123456789abcdef0123456789abcdef",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api(&app, "GET", "/api/v1/nothing", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let (app, _) = portal();
    let (status, doc) = api(&app, "GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/accounts",
        "/sessions",
        "/applications",
        "/applications/{id}",
        "/applications/{id}/confirm",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}

// ---------------------------------------------------------------- CLI

#[test]
fn the_invite_command_registers_an_invitation_and_prints_its_number() {
    use clap::Parser;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().to_str().expect("utf-8 path");
    let from = today().to_string();
    let until = (today() + Duration::days(30)).to_string();
    let args = |bin: &'static str, name: Option<&'static str>| {
        let mut args = vec![
            "issuer",
            "invite",
            "--data-dir",
            data,
            "--bin-iin",
            bin,
            "--surname",
            "DOE",
            "--passport",
            "X1234567",
            "--citizenship",
            "USA",
            "--date-of-birth",
            "1980-05-05",
            "--category",
            "treatment",
            "--purpose",
            "Surgery",
            "--city",
            "Astana",
            "--street",
            "Turan",
            "--house",
            "5",
            "--valid-from",
            from.as_str(),
            "--valid-until",
            until.as_str(),
            "--stay-days",
            "20",
        ];
        if let Some(name) = name {
            args.extend(["--inviter-name", name]);
        }
        issuer::cli::Cli::try_parse_from(args).expect("arguments parse")
    };
    let unknown = issuer::cli::run(args("180340012346", None));
    assert_eq!(
        unknown,
        std::process::ExitCode::from(issuer::cli::EXIT_BAD_INPUT)
    );
    let made = issuer::cli::run(args("180340012346", Some("Astana Clinic LLP")));
    assert_eq!(made, std::process::ExitCode::SUCCESS);
    let again = issuer::cli::run(args("180340012346", None));
    assert_eq!(again, std::process::ExitCode::SUCCESS);
    let db = Db::open(&dir.path().join("issuer.sqlite3")).expect("database");
    let inviter = db
        .with(|conn| {
            issuer::db::inviter_by_tax_id(
                conn,
                &issuer::taxid::TaxId::parse("180340012346").map_err(anyhow::Error::from)?,
            )
        })
        .expect("query")
        .expect("registered");
    let list = db
        .with(|conn| issuer::db::invitations_of(conn, inviter.id))
        .expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].0.guest.full_name(), "DOE");
    let bad_check_digit = issuer::cli::run(args("180340012347", Some("X")));
    assert_eq!(
        bad_check_digit,
        std::process::ExitCode::from(issuer::cli::EXIT_BAD_INPUT)
    );
}
