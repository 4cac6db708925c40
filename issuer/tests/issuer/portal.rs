//! The portal through its router, with no socket: every page and rule of Step 1, the accounts,
//! the inviting parties, the JSON API and the security measures, including bad input.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use issuer::store::Db;
use issuer::web::{AppState, Settings, app};
use serde_json::{Value, json};
use time::Duration;
use tower::ServiceExt;

use crate::support::{
    Client, MERCHANT, Reply, SECRET, csrf_of, dev_key, portal_clocked, portal_with, repo, today,
};

/// A portal whose gateway is nowhere (port 9 on loopback): for everything but "To pay".
pub(crate) fn portal() -> (Router, AppState) {
    portal_with(
        Db::in_memory().expect("database"),
        "http://127.0.0.1:9",
        SECRET,
        "",
    )
}

impl Client {
    /// Fills Step 1 with the demo applicant's data, changed by `change`.
    pub(crate) async fn apply(&mut self, change: &[(&str, &str)]) -> Reply {
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

pub(crate) fn location(reply: &Reply) -> String {
    reply
        .headers
        .get(header::LOCATION)
        .expect("a redirect")
        .to_str()
        .expect("ascii")
        .to_owned()
}

/// The error message shown beside a field, if any.
pub(crate) fn error_of(page: &str, field: &str) -> Option<String> {
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

pub(crate) async fn applied_and_confirmed(client: &mut Client) -> String {
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

/// The demo invitation of a portal whose clock stood at 2027-03-01 09:00 in Kazakhstan when it
/// was seeded runs from that day for 90 days: its last day is 2027-05-29.
const FROZEN_START: time::OffsetDateTime = time::macros::datetime!(2027-03-01 04:00 UTC);

#[tokio::test]
async fn an_invitation_is_accepted_to_the_last_minute_of_its_last_day_in_kazakhstan_and_not_after()
{
    // 23:59 on the last day in Astana is 18:59 UTC: still valid.
    let clock = issuer::clock::Clock::fixed(FROZEN_START);
    let (app, _) = portal_clocked(Db::in_memory().expect("database"), clock.clone());
    clock.set(time::macros::datetime!(2027-05-29 18:59:00 UTC));
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    clock.advance(Duration::seconds(59));
    let reply = anna.apply(&[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);

    // One second later it is midnight in Astana and the invitation has ended.
    let clock = issuer::clock::Clock::fixed(FROZEN_START);
    let (app, _) = portal_clocked(Db::in_memory().expect("database"), clock.clone());
    clock.set(time::macros::datetime!(2027-05-29 18:59:00 UTC));
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    clock.set(time::macros::datetime!(2027-05-29 19:00 UTC));
    let reply = anna.apply(&[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(&reply.body, "invitation_number").as_deref(),
        Some("The invitation has expired")
    );
}

#[tokio::test]
async fn a_session_lasts_twelve_hours_to_the_second() {
    let clock = issuer::clock::Clock::fixed(FROZEN_START);
    let (app, _) = portal_clocked(Db::in_memory().expect("database"), clock.clone());
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    clock.advance(Duration::hours(12) - Duration::seconds(1));
    let page = anna.get("/account/visas").await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "still logged in a second before the end"
    );
    clock.advance(Duration::seconds(1));
    let page = anna.get("/account/visas").await;
    assert_eq!(location(&page), "/login?next=/account/visas");
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
    let mut form = issuer::service::demo::invitation_form(past);
    form.valid_until = (today() - Duration::days(1)).to_string();
    let old = form.parse(past).expect("valid when made");
    state
        .db
        .with(|conn| {
            let number = shared::visa::InvitationNumber::parse("INV-OLD-0001")?;
            let inviter = issuer::store::invitation::inviter_by_tax_id(
                conn,
                &issuer::domain::taxid::TaxId::parse(issuer::service::demo::DEMO_BIN)
                    .map_err(anyhow::Error::from)?,
            )?
            .ok_or_else(|| anyhow::anyhow!("demo inviter"))?;
            issuer::store::invitation::insert_invitation(
                conn,
                inviter.id,
                &number,
                &old,
                "2026-01-01T00:00:00Z",
            )
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
    for path in ["/logout", confirm.as_str()] {
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
    // Step 1, log-in and sign-up are shown again instead (what was typed kept, a fresh token),
    // and nothing is acted on.
    for path in ["/apply", "/login", "/signup", "/inviter"] {
        for fields in [vec![("confirm", "yes")], vec![("csrf", token.as_str())]] {
            let stale = anna.post_raw(path, &fields).await;
            assert_eq!(stale.status, StatusCode::OK, "{path}");
            assert!(stale.body.contains("This form had expired"), "{path}");
        }
    }
    let visas = anna.get("/account/visas").await;
    assert_eq!(visas.body.matches("Draft").count(), 1);
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
async fn logins_are_slowed_after_five_failures_with_retry_after() {
    // On a standing clock, so the one-second delay does not run out between two requests.
    let (app, _) = portal_clocked(
        Db::in_memory().expect("database"),
        issuer::clock::Clock::fixed(FROZEN_START),
    );
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
    assert!(
        reply
            .body
            .contains("Too many attempts. Please try again in 1 second.")
    );
    assert_eq!(reply.headers[header::RETRY_AFTER], "1");
}

#[tokio::test]
async fn sign_up_checks_its_fields_and_answers_a_taken_e_mail_like_a_new_one() {
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
        Some("The password has 12 to 128 characters")
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
    let mut first = Client::new(&app);
    first.get("/signup").await;
    let first = first
        .post(
            "/signup",
            &[
                ("email", "anna@example.com"),
                ("full_name", "Anna"),
                ("password", "long enough password"),
                ("password_again", "long enough password"),
            ],
        )
        .await;
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
    // A taken address gets exactly the page a new one got: nothing tells them apart.
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(reply.status, first.status);
    assert_eq!(reply.body, first.body);
    assert!(reply.body.contains("Check your e-mail"));
}

#[tokio::test]
async fn an_inviting_party_registers_with_a_checked_bin_and_its_invitation_works() {
    let (app, state) = portal();
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
                ("tax_id", issuer::service::demo::DEMO_BIN),
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
    // A new party's invitations work once an officer has verified it (tests/issuer/office_inviters.rs).
    assert!(list.body.contains("Pending verification"), "{}", list.body);
    crate::support::verify_inviter(&state, "740812500124");

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
    // A visitor's form is protected by a signed CSRF cookie; no session exists before log-in.
    let cookie = reply.headers[header::SET_COOKIE].to_str().expect("ascii");
    assert!(cookie.starts_with("__Host-csrf="), "{cookie}");
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
    assert!(reply.body.contains("<html lang=\"en\""));
    assert!(!reply.body.contains("no-such-page"));
    let russian = anna.get("/no-such-page-%3Cscript%3E?lang=ru").await;
    assert!(russian.body.contains("Страница не найдена"));
    assert!(!russian.body.contains("no-such-page"));
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
    assert_eq!(status, StatusCode::ACCEPTED);
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

    // A taken address is answered like a new one (no 409 that would tell it has an account).
    let (status, body) = api(&app, "POST", "/api/v1/accounts", None, Some(json!({"email": "api@example.com", "full_name": "X", "password": "long enough password"}))).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(
        body,
        json!({"email": "api@example.com", "message": "if this address can be registered, a link to confirm it was mailed to it"})
    );
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
async fn the_openapi_document_declares_every_route_with_the_statuses_it_answers() {
    let (app, _) = portal();
    let (status, doc) = api(&app, "GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    // Path, method, whether it needs a bearer token, and every status it can answer.
    let expected: [(&str, &str, bool, &[&str]); 8] = [
        (
            "/accounts",
            "post",
            false,
            &["202", "400", "413", "415", "422", "429", "500", "503"],
        ),
        (
            "/sessions",
            "post",
            false,
            &[
                "201", "400", "401", "413", "415", "422", "429", "500", "503",
            ],
        ),
        ("/sessions", "delete", true, &["204", "401", "500"]),
        ("/applications", "get", true, &["200", "401", "500"]),
        (
            "/applications",
            "post",
            true,
            &["201", "400", "401", "413", "415", "422", "500"],
        ),
        (
            "/applications/{id}",
            "get",
            true,
            &["200", "401", "404", "500"],
        ),
        (
            "/applications/{id}/confirm",
            "post",
            true,
            &["200", "400", "401", "404", "413", "415", "422", "500"],
        ),
        (
            "/check",
            "post",
            false,
            &["200", "413", "422", "429", "500", "503"],
        ),
    ];
    for (path, method, secured, statuses) in expected {
        let operation = &doc["paths"][path][method];
        let declared: Vec<&str> = operation["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} is declared"))
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(declared, statuses, "{method} {path}");
        for status in statuses.iter().filter(|s| s.starts_with(['4', '5'])) {
            assert_eq!(
                operation["responses"][status]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody",
                "{method} {path} {status}"
            );
        }
        assert_eq!(
            operation["security"][0]["bearer"].is_array(),
            secured,
            "{method} {path} and its token"
        );
    }
    let declared_paths = doc["paths"].as_object().map(|p| p.len());
    assert_eq!(declared_paths, Some(9), "no undocumented path is declared");
    let email = &doc["components"]["schemas"]["EmailAddress"];
    assert_eq!(email["maxLength"], 254);
    let form = &doc["components"]["schemas"]["ApplicationRequest"];
    assert_eq!(form["properties"]["date_of_birth"]["format"], "date");
    assert_eq!(form["properties"]["surname"]["maxLength"], 39);
    assert!(
        form["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|f| f == "with_children")),
        "{form}"
    );
}

#[tokio::test]
async fn the_api_answers_with_the_statuses_its_document_declares_for_bad_bodies() {
    let (app, _) = portal();
    let token = api_user(&app, "api@example.com").await;
    let send = |content_type: &'static str, body: &'static str| {
        let app = app.clone();
        let token = token.clone();
        async move {
            let request = Request::post("/api/v1/applications")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .expect("request");
            let response = app.oneshot(request).await.expect("infallible");
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("body");
            let body: Value = serde_json::from_slice(&bytes).expect("a JSON error");
            (
                status,
                body["error"].as_str().unwrap_or_default().to_owned(),
            )
        }
    };
    assert_eq!(
        send("application/json", "{not json").await,
        (StatusCode::BAD_REQUEST, "bad_json".to_owned())
    );
    assert_eq!(
        send("text/plain", "{}").await,
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type".to_owned()
        )
    );
    assert_eq!(
        send("application/json", r#"{"surname": 7}"#).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "bad_json".to_owned())
    );
    let request = Request::get("/api/v1/applications")
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()[header::WWW_AUTHENTICATE], "Bearer");
    let (status, body) = api(
        &app,
        "POST",
        "/api/v1/accounts",
        None,
        Some(json!({"email": "anna@пример.kz", "full_name": "A", "password": "long enough password"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"]["email"]["code"], "invalid_email");
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
        issuer::ops::Cli::try_parse_from(args).expect("arguments parse")
    };
    let unknown = issuer::ops::run(args("180340012346", None));
    assert_eq!(
        unknown,
        std::process::ExitCode::from(issuer::ops::EXIT_BAD_INPUT)
    );
    let made = issuer::ops::run(args("180340012346", Some("Astana Clinic LLP")));
    assert_eq!(made, std::process::ExitCode::SUCCESS);
    let again = issuer::ops::run(args("180340012346", None));
    assert_eq!(again, std::process::ExitCode::SUCCESS);
    let db = Db::open(&dir.path().join("issuer.sqlite3")).expect("database");
    let inviter = db
        .with(|conn| {
            issuer::store::invitation::inviter_by_tax_id(
                conn,
                &issuer::domain::taxid::TaxId::parse("180340012346")
                    .map_err(anyhow::Error::from)?,
            )
        })
        .expect("query")
        .expect("registered");
    let list = db
        .with(|conn| issuer::store::invitation::invitations_of(conn, inviter.id))
        .expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].0.guest.full_name(), "DOE");
    let bad_check_digit = issuer::ops::run(args("180340012347", Some("X")));
    assert_eq!(
        bad_check_digit,
        std::process::ExitCode::from(issuer::ops::EXIT_BAD_INPUT)
    );
}

// ---------------------------------------------------------------- payment and issuance

/// Anna applies and confirms; an order for the duty exists, known to the gateway as `pay-1`.
/// Returns her browser, the application id and the order id.
pub(crate) async fn submitted_with_order(
    app: &Router,
    state: &AppState,
) -> (Client, String, String) {
    let mut anna = Client::new(app);
    anna.sign_up("anna@example.com").await;
    crate::support::confirm_address(&mut anna, state, "anna@example.com").await;
    let id = applied_and_confirmed(&mut anna).await;
    let order = crate::support::open_order(state, "anna@example.com", &id);
    (anna, id, order)
}

pub(crate) fn notice(order: &str, status: &str, amount_minor: i64, currency: &str) -> Value {
    json!({
        "payment_id": "pay-1", "order_id": order, "status": status, "amount_minor": amount_minor,
        "currency": currency, "method": "card", "paid_at": "2026-11-25T10:00:00Z",
        "receipt_number": "EP-2026-000123", "payer_hint": "**** 1111"
    })
}

fn callback_request(body: &Value, secret: &str, timestamp: i64) -> Request<Body> {
    let bytes = body.to_string();
    let signature = issuer::epay::Secrets::parse(secret)
        .expect("secret")
        .sign(timestamp, bytes.as_bytes());
    Request::post("/epay/callback")
        .header(header::CONTENT_TYPE, "application/json")
        .header("X-Epay-Merchant", MERCHANT)
        .header("X-Epay-Timestamp", timestamp.to_string())
        .header("X-Epay-Signature", signature)
        .body(Body::from(bytes))
        .expect("request")
}

pub(crate) async fn callback(
    app: &Router,
    body: &Value,
    secret: &str,
    timestamp: i64,
) -> StatusCode {
    app.clone()
        .oneshot(callback_request(body, secret, timestamp))
        .await
        .expect("infallible")
        .status()
}

pub(crate) fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn counts(state: &AppState) -> (i64, i64) {
    state
        .db
        .with(|conn| issuer::store::visa::visa_counts(conn))
        .expect("counts")
}

#[tokio::test]
async fn step_two_shows_the_duty_with_its_codes_and_the_configured_fee() {
    let (app, state) = portal_with(
        Db::in_memory().expect("db"),
        "http://127.0.0.1:9",
        SECRET,
        "tourist=95",
    );
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    crate::support::confirm_address(&mut anna, &state, "anna@example.com").await;
    let id = applied_and_confirmed(&mut anna).await;
    let visas = anna.get("/account/visas").await;
    assert!(visas.body.contains(&format!("/applications/{id}/payment")));
    let page = anna.get(&format!("/applications/{id}/payment")).await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "STEP 2",
        "Payer",
        "ERIKSSON ANNA MARIA",
        "Payment will be received",
        "Code of the tax authority",
        "Payment purpose code",
        "Budget classification code",
        "<td>USD</td>",
        "<td>95</td>",
        "To pay",
        "Electronic Government Payment Gateway",
    ] {
        assert!(page.body.contains(expected), "{expected} missing");
    }
    let kk = anna
        .get(&format!("/applications/{id}/payment?lang=kk"))
        .await;
    assert!(kk.body.contains("Бюджеттік сыныптама коды"));
}

#[tokio::test]
async fn a_signed_paid_callback_issues_one_visa_and_its_duplicates_change_nothing() {
    let (app, state) = portal();
    let (mut anna, id, order) = submitted_with_order(&app, &state).await;
    let result = anna.get(&format!("/applications/{id}/result")).await;
    assert!(result.body.contains("Payment not done"));
    assert!(result.body.contains("Update Status"));
    assert_eq!(
        counts(&state),
        (0, 0),
        "coming back to the result page issues nothing"
    );

    let paid = notice(&order, "paid", 8000, "USD");
    for _ in 0..3 {
        assert_eq!(
            callback(&app, &paid, SECRET, now()).await,
            StatusCode::NO_CONTENT
        );
    }
    assert_eq!(counts(&state), (1, 1));
    let result = anna.get(&format!("/applications/{id}/result")).await;
    assert!(result.body.contains("Approved. Payment completed"));
    assert!(result.body.contains("Copy the visa in PDF format"));
    assert!(
        result
            .body
            .contains(&format!("/applications/{id}/visa.pdf"))
    );
    let receipt = anna.get(&format!("/applications/{id}/receipt")).await;
    assert!(receipt.body.contains("EP-2026-000123"));
    assert!(receipt.body.contains("**** 1111"));
    assert!(receipt.body.contains("80 USD"));
    // The owner's receipt links to the gateway's own check with a link signed for 10 minutes.
    let marker = "href=\"http://127.0.0.1:9/pay/pay-1?expires=";
    let at = receipt
        .body
        .find(marker)
        .expect("a signed link to the gateway's check")
        + marker.len();
    let query = &receipt.body[at..receipt.body[at..].find('"').expect("end") + at];
    let (expires, signature) = query.split_once("&amp;signature=").expect("signature");
    let expires: i64 = expires.parse().expect("expiry");
    let secrets = issuer::epay::Secrets::parse(SECRET).expect("secrets");
    assert!(secrets.check_link_holds("pay-1", expires, signature, now()));
    assert!(!secrets.check_link_holds("pay-1", expires, signature, now() + 601));
    let request = Request::post("/api/v1/sessions")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"identifier": "anna@example.com", "password": "long enough password"})
                .to_string(),
        ))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let token: Value = serde_json::from_slice(&bytes).expect("JSON");
    let token = token["token"].as_str().expect("token").to_owned();
    let (status, one) = api(
        &app,
        "GET",
        &format!("/api/v1/applications/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["status"], "issued");
    assert_eq!(one["visa"]["number"], "KZ0000001");
    assert_eq!(one["visa"]["pdf"], format!("/applications/{id}/visa.pdf"));
    let visas = anna.get("/account/visas").await;
    assert!(visas.body.contains("Approved. Payment completed"));
    assert!(visas.body.contains(&format!("/applications/{id}/visa.pdf")));
    assert!(visas.body.contains(&format!("/applications/{id}/receipt")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_callbacks_and_status_updates_issue_exactly_one_visa() {
    let (app, state) = portal();
    let (_anna, id, order) = submitted_with_order(&app, &state).await;
    let paid = notice(&order, "paid", 8000, "USD");
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..12 {
        let (app, paid, state) = (app.clone(), paid.clone(), state.clone());
        tasks.spawn(async move {
            if i % 3 == 0 {
                // The same notice through the path "Update Status" takes.
                let notice: issuer::domain::payment::PaymentNotice =
                    serde_json::from_value(paid).expect("notice");
                issuer::service::issuance::settle(
                    &state.db,
                    &state.key,
                    &state.clock,
                    notice,
                    "status",
                )
                .await
                .expect("settles");
                StatusCode::NO_CONTENT
            } else {
                callback(&app, &paid, SECRET, now()).await
            }
        });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.expect("task"), StatusCode::NO_CONTENT);
    }
    assert_eq!(counts(&state), (1, 1));
    let number: String = state
        .db
        .with(|conn| {
            conn.query_row(
                "SELECT number FROM visas WHERE application_id = ?1",
                [&id],
                |r| r.get(0),
            )
        })
        .expect("one visa");
    match state.db.backend() {
        issuer::store::Backend::Sqlite => assert_eq!(number, "KZ0000001"),
        // A number taken by an issuing transaction that was aborted and run again is skipped
        // (docs/visa-token.md, "Gaps"): the one visa has a well-formed number of its own.
        issuer::store::Backend::Postgres => assert!(
            issuer::domain::issuance::visa_serial(&number).is_some_and(|n| n >= 1),
            "{number}"
        ),
    }
}

#[tokio::test]
async fn forged_stale_mismatched_and_unknown_callbacks_issue_nothing() {
    let (app, state) = portal();
    let (mut anna, id, order) = submitted_with_order(&app, &state).await;
    let paid = notice(&order, "paid", 8000, "USD");
    assert_eq!(
        callback(&app, &paid, "not-the-secret", now()).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        callback(&app, &paid, SECRET, now() - 301).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        callback(&app, &paid, SECRET, now() + 301).await,
        StatusCode::UNAUTHORIZED
    );
    let cheap = notice(&order, "paid", 100, "USD");
    assert_eq!(
        callback(&app, &cheap, SECRET, now()).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let tenge = notice(&order, "paid", 8000, "KZT");
    assert_eq!(
        callback(&app, &tenge, SECRET, now()).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut other_payment = notice(&order, "paid", 8000, "USD");
    other_payment["payment_id"] = json!("pay-999");
    assert_eq!(
        callback(&app, &other_payment, SECRET, now()).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let unknown = notice("0123456789abcdef0123456789abcdef", "paid", 8000, "USD");
    assert_eq!(
        callback(&app, &unknown, SECRET, now()).await,
        StatusCode::NOT_FOUND
    );

    // A body changed after signing.
    let mut request = callback_request(&paid, SECRET, now());
    *request.body_mut() = Body::from(notice(&order, "paid", 1, "USD").to_string());
    let tampered = app.clone().oneshot(request).await.expect("infallible");
    assert_eq!(tampered.status(), StatusCode::UNAUTHORIZED);
    // Without any signature headers.
    let bare = Request::post("/epay/callback")
        .body(Body::from(paid.to_string()))
        .expect("request");
    assert_eq!(
        app.clone()
            .oneshot(bare)
            .await
            .expect("infallible")
            .status(),
        StatusCode::UNAUTHORIZED
    );

    assert_eq!(counts(&state), (0, 0));
    let refused: i64 = state
        .db
        .with(|conn| {
            conn.query_row(
                "SELECT COUNT(*) FROM payment_events WHERE outcome = 'refused'",
                [],
                |r| r.get(0),
            )
        })
        .expect("events");
    assert_eq!(refused, 3, "the mismatches are logged");
    assert!(
        anna.get(&format!("/applications/{id}/result"))
            .await
            .body
            .contains("Payment not done")
    );
    assert_eq!(
        anna.get(&format!("/applications/{id}/visa.pdf"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The genuine callback still works afterwards.
    assert_eq!(
        callback(&app, &paid, SECRET, now()).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(counts(&state), (1, 1));
}

#[tokio::test]
async fn a_callback_signed_with_the_old_secret_is_accepted_during_rotation() {
    let (app, state) = portal_with(
        Db::in_memory().expect("db"),
        "http://127.0.0.1:9",
        "new-secret-for-rotation, dev-epay-secret-not-for-production",
        "",
    );
    let (_anna, _id, order) = submitted_with_order(&app, &state).await;
    let paid = notice(&order, "paid", 8000, "USD");
    assert_eq!(
        callback(&app, &paid, SECRET, now()).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(counts(&state), (1, 1));
}

#[tokio::test]
async fn a_declined_payment_can_be_paid_again_with_a_new_order() {
    let (app, state) = portal();
    let (mut anna, id, order) = submitted_with_order(&app, &state).await;
    let declined = notice(&order, "declined", 8000, "USD");
    assert_eq!(
        callback(&app, &declined, SECRET, now()).await,
        StatusCode::NO_CONTENT
    );
    let result = anna.get(&format!("/applications/{id}/result")).await;
    assert!(result.body.contains("The payment was declined."));
    assert!(result.body.contains("Pay again"));
    let page = anna.get(&format!("/applications/{id}/payment")).await;
    assert!(page.body.contains("The previous payment was declined"));
    // A late "paid" for the declined order is refused: the gateway said it was final.
    let late = notice(&order, "paid", 8000, "USD");
    assert_eq!(
        callback(&app, &late, SECRET, now()).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let app_id = id.clone();
    let second = state
        .db
        .with(move |conn| {
            let (user, _) = issuer::store::account::find_login(conn, "anna@example.com")?
                .ok_or_else(|| anyhow::anyhow!("anna"))?;
            issuer::store::payment::open_payment(
                conn,
                &app_id,
                user,
                8000,
                "USD",
                &issuer::clock::Clock::system().rfc3339(),
            )
        })
        .expect("query")
        .expect("a new order");
    assert_ne!(second.order_id, order);
    assert_eq!(counts(&state), (0, 0));
}

#[tokio::test]
async fn only_the_owner_can_download_the_pdf_and_only_once_it_is_issued() {
    let (app, state) = portal();
    let (mut anna, id, order) = submitted_with_order(&app, &state).await;
    let pdf_path = format!("/applications/{id}/visa.pdf");
    assert_eq!(
        anna.get(&pdf_path).await.status,
        StatusCode::NOT_FOUND,
        "not issued yet"
    );
    assert_eq!(
        anna.get(&format!("/applications/{id}/receipt"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    callback(&app, &notice(&order, "paid", 8000, "USD"), SECRET, now()).await;

    let mut mallory = Client::new(&app);
    mallory.sign_up("mallory@example.com").await;
    for path in [
        pdf_path.clone(),
        format!("/applications/{id}/receipt"),
        format!("/applications/{id}/result"),
        format!("/applications/{id}/payment"),
    ] {
        assert_eq!(
            mallory.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let mut stranger = Client::new(&app);
    assert_eq!(
        stranger.get(&pdf_path).await.status,
        StatusCode::SEE_OTHER,
        "anonymous users log in first"
    );

    let request = Request::get(&pdf_path)
        .header(header::COOKIE, anna.cookie_header())
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(
        response.headers()[header::CONTENT_DISPOSITION],
        "attachment; filename=\"e-visa-KZ0000001-ERIKSSON.pdf\""
    );
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    assert!(bytes.starts_with(b"%PDF-"));
}

/// Rasterises a PDF at 150 dpi and decodes its QR codes; returns them and the text layer.
fn scan_pdf(pdf: &[u8]) -> (Vec<String>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("visa.pdf");
    std::fs::write(&input, pdf).expect("write");
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "150", "-gray", "-png", "-singlefile"])
        .arg(&input)
        .arg(dir.path().join("page"))
        .status()
        .expect("pdftoppm runs (poppler-utils)");
    assert!(status.success());
    let image = image::open(dir.path().join("page.png"))
        .expect("a PNG")
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let codes = prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&input)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    (codes, String::from_utf8(out.stdout).expect("UTF-8 text"))
}

#[tokio::test]
async fn the_printout_is_made_once_stored_and_served_again_with_its_sha256_as_etag() {
    let (app, state) = portal();
    let (anna, id, order) = submitted_with_order(&app, &state).await;
    callback(&app, &notice(&order, "paid", 8000, "USD"), SECRET, now()).await;
    let download = |etag: Option<String>| {
        let mut request = Request::get(format!("/applications/{id}/visa.pdf"))
            .header(header::COOKIE, anna.cookie_header());
        if let Some(etag) = etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        app.clone()
            .oneshot(request.body(Body::empty()).expect("request"))
    };
    let first = download(None).await.expect("infallible");
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()[header::ETAG]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(first.headers()[header::CACHE_CONTROL], "private, no-cache");
    let first = axum::body::to_bytes(first.into_body(), usize::MAX)
        .await
        .expect("body");
    {
        use sha2::Digest;
        let digest = hex::encode(sha2::Sha256::digest(&first));
        assert_eq!(
            etag,
            format!("\"{digest}\""),
            "the ETag is the PDF's SHA-256"
        );
    }

    let second = download(None).await.expect("infallible");
    assert_eq!(
        second.headers()[header::ETAG].to_str().expect("ascii"),
        etag
    );
    let second = axum::body::to_bytes(second.into_body(), usize::MAX)
        .await
        .expect("body");
    assert_eq!(first, second, "the same bytes every time");
    let stored: i64 = state
        .db
        .with(|conn| conn.query_row("SELECT COUNT(*) FROM visa_pdfs", [], |r| r.get(0)))
        .expect("count");
    assert_eq!(stored, 1, "rendered once, kept once");

    let unchanged = download(Some(etag.clone())).await.expect("infallible");
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    let body = axum::body::to_bytes(unchanged.into_body(), usize::MAX)
        .await
        .expect("body");
    assert!(body.is_empty());
    let stale = download(Some("\"0000\"".to_owned()))
        .await
        .expect("infallible");
    assert_eq!(stale.status(), StatusCode::OK);

    // Rendering the stored visa again gives the stored bytes: the printout is a function of the visa.
    let (application, visa) = state
        .db
        .with(|conn| {
            let user = issuer::store::account::find_login(conn, "anna@example.com")?
                .map(|(id, _)| id)
                .ok_or_else(|| anyhow::anyhow!("anna"))?;
            Ok((
                issuer::store::application::application_of(conn, &id, user)?,
                issuer::store::visa::visa_of(conn, &id, user)?,
            ))
        })
        .expect("visa");
    let (application, visa) = (application.expect("applied"), visa.expect("issued"));
    let inviter = issuer::web::payment::inviter_line(&application);
    let again = issuer::pdf::render(&visa.visa, &visa.token, Some(&inviter)).expect("renders");
    assert!(
        again == first,
        "a fresh rendering differs from the stored printout"
    );
}

#[tokio::test]
async fn a_paid_callback_stores_the_printout_and_a_lost_one_is_rendered_again_to_the_same_bytes() {
    let (app, state) = portal();
    let (anna, id, order) = submitted_with_order(&app, &state).await;
    callback(&app, &notice(&order, "paid", 8000, "USD"), SECRET, now()).await;
    // Answered: the visa and its printout are both stored, before anyone downloads it.
    let stored = |state: &issuer::web::AppState| {
        state
            .db
            .with(|conn| {
                let mut stmt = conn.prepare("SELECT pdf, sha256 FROM visa_pdfs")?;
                let rows = stmt.query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get(1)?)))?;
                rows.collect::<anyhow::Result<Vec<(Vec<u8>, String)>>>()
            })
            .expect("read")
    };
    let at_issuance = stored(&state);
    assert_eq!(at_issuance.len(), 1, "the printout is stored at issuance");
    let (pdf, sha256) = at_issuance[0].clone();
    assert!(pdf.starts_with(b"%PDF-"));
    let download = || {
        app.clone().oneshot(
            Request::get(format!("/applications/{id}/visa.pdf"))
                .header(header::COOKIE, anna.cookie_header())
                .body(Body::empty())
                .expect("request"),
        )
    };
    let served = download().await.expect("infallible");
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(
        served.headers()[header::ETAG],
        format!("\"{sha256}\"").as_str()
    );
    let served = axum::body::to_bytes(served.into_body(), usize::MAX)
        .await
        .expect("body");
    assert!(
        served == pdf,
        "the download is the printout stored at issuance"
    );

    // A crash after the issuing commit but before the printout's: the visa has no printout yet.
    state
        .db
        .with(|conn| conn.execute("DELETE FROM visa_pdfs", []))
        .expect("forget the printout");
    let again = download().await.expect("infallible");
    assert_eq!(again.status(), StatusCode::OK);
    let again = axum::body::to_bytes(again.into_body(), usize::MAX)
        .await
        .expect("body");
    assert!(again == pdf, "rendered on download, to the same bytes");
    assert_eq!(stored(&state), vec![(pdf, sha256)], "and stored again");
}

#[tokio::test]
async fn the_visa_after_kz9999999_is_kza000000_and_its_printout_verifies_with_its_mrz() {
    let dir = tempfile::tempdir().expect("dir");
    let db = Db::open(&dir.path().join("issuer.sqlite3")).expect("db");
    let (app, state) = portal_with(db, "http://127.0.0.1:9", SECRET, "");
    // The ten millionth visa of the old form was issued already (to an application of long ago).
    state
        .db
        .with(|conn| {
            conn.execute_batch(
                "PRAGMA foreign_keys = OFF;
                 INSERT INTO visas (number, application_id, visa, token, kid, signed_at)
                 VALUES ('KZ9999999', 'old', '{}', '', '0000000000000000', '2026-01-01T00:00:00Z');
                 PRAGMA foreign_keys = ON;",
            )?;
            Ok(())
        })
        .expect("an old visa");
    let (anna, id, order) = submitted_with_order(&app, &state).await;
    assert_eq!(
        callback(&app, &notice(&order, "paid", 8000, "USD"), SECRET, now()).await,
        StatusCode::NO_CONTENT
    );
    let request = Request::get(format!("/applications/{id}/visa.pdf"))
        .header(header::COOKIE, anna.cookie_header())
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    let pdf = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let (codes, text) = scan_pdf(&pdf);
    let pem = std::fs::read_to_string(repo().join("keys/dev-issuer.pub")).expect("public key");
    let trust =
        shared::TrustStore::from_keys([shared::PublicKey::from_spki_pem(&pem).expect("pem")]);
    let verified = shared::verify(&codes[0], &trust).expect("the QR verifies");
    assert_eq!(verified.visa().number().as_str(), "KZA000000");
    let mrz = shared::VisaMrz::of(verified.visa());
    // The document number fills its nine characters; its check digit follows (A = 10).
    assert!(mrz.line2.starts_with("KZA000000"), "{}", mrz.line2);
    assert_eq!(
        shared::mrz::check_digit("KZA000000").map(|d| char::from(b'0' + d)),
        mrz.line2.chars().nth(9)
    );
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(squeezed.contains(&mrz.line2), "{text}");
    assert!(text.contains("KZA000000"), "the number is printed");
}

#[tokio::test]
async fn the_downloaded_pdf_carries_a_qr_that_verifies_with_the_development_key_and_the_mrz() {
    let (app, state) = portal();
    let (anna, id, order) = submitted_with_order(&app, &state).await;
    callback(&app, &notice(&order, "paid", 8000, "USD"), SECRET, now()).await;
    let request = Request::get(format!("/applications/{id}/visa.pdf"))
        .header(header::COOKIE, anna.cookie_header())
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let pdf = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let (codes, text) = scan_pdf(&pdf);
    assert_eq!(codes.len(), 1, "one QR code at 150 dpi");
    let pem = std::fs::read_to_string(repo().join("keys/dev-issuer.pub")).expect("public key");
    let trust =
        shared::TrustStore::from_keys([shared::PublicKey::from_spki_pem(&pem).expect("pem")]);
    let verified = shared::verify(&codes[0], &trust).expect("the QR verifies");
    let visa = verified.visa();
    assert_eq!(visa.number().as_str(), "KZ0000001");
    assert_eq!(visa.full_name(), "ERIKSSON ANNA MARIA");
    assert_eq!(visa.passport_number().as_str(), "L898902C3");
    assert_eq!(visa.invitation_number().as_str(), "INV-DEMO-0001");
    assert_eq!(visa.category(), shared::Category::Tourist);
    let mrz = shared::VisaMrz::of(visa);
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(squeezed.contains(&mrz.line1), "{text}");
    assert!(squeezed.contains(&mrz.line2), "{text}");
    assert!(
        text.contains("Nomad Travel Demo"),
        "the inviting party is printed"
    );
    // The signature was recorded with the key id.
    let kid: String = state
        .db
        .with(|conn| {
            conn.query_row(
                "SELECT kid FROM signatures WHERE visa_number = 'KZ0000001'",
                [],
                |r| r.get(0),
            )
        })
        .expect("a signature record");
    assert_eq!(kid, verified.kid().to_string());
}

#[tokio::test]
async fn a_restart_completes_a_paid_but_unissued_application_exactly_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("issuer.sqlite3");
    let (app, state) = portal_with(
        Db::open(&path).expect("db"),
        "http://127.0.0.1:9",
        SECRET,
        "",
    );
    let (_anna, id, order) = submitted_with_order(&app, &state).await;
    // The payment is recorded, then the process "dies" before signing.
    let paid: issuer::domain::payment::PaymentNotice =
        serde_json::from_value(notice(&order, "paid", 8000, "USD")).expect("notice");
    let outcome = state
        .db
        .with(|conn| {
            issuer::store::payment::record_notice(
                conn,
                &paid,
                "callback",
                &issuer::clock::Clock::system().rfc3339(),
            )
        })
        .expect("recorded");
    assert_eq!(
        outcome,
        issuer::domain::payment::NoticeOutcome::Paid(id.clone())
    );
    assert_eq!(counts(&state), (0, 0));
    drop((app, state));

    let db = Db::open(&path).expect("reopened");
    let key = dev_key();
    assert_eq!(
        issuer::service::issuance::complete_paid(&db, &key, &issuer::clock::Clock::system())
            .expect("completes"),
        1
    );
    assert_eq!(
        issuer::service::issuance::complete_paid(&db, &key, &issuer::clock::Clock::system())
            .expect("completes"),
        0
    );
    assert_eq!(
        db.with(|conn| issuer::store::visa::visa_counts(conn))
            .expect("counts"),
        (1, 1)
    );
    let status: String = db
        .with(|conn| {
            conn.query_row(
                "SELECT status FROM applications WHERE id = ?1",
                [&id],
                |r| r.get(0),
            )
        })
        .expect("status");
    assert_eq!(status, "issued");
}

#[tokio::test]
async fn issuance_refuses_an_application_that_is_not_paid() {
    let (app, state) = portal();
    let (_anna, id, _order) = submitted_with_order(&app, &state).await;
    let key = dev_key();
    let outcome = state
        .db
        .with(|conn| {
            issuer::service::issuance::issue(conn, &id, &key, time::OffsetDateTime::now_utc())
        })
        .expect("runs");
    assert!(
        matches!(outcome, issuer::domain::issuance::IssueOutcome::Refused(_)),
        "{outcome:?}"
    );
    // Even forcing the status to paid without a paid payment signs nothing.
    state
        .db
        .with(|conn| {
            conn.execute(
                "UPDATE applications SET status = 'paid' WHERE id = ?1",
                [&id],
            )
        })
        .expect("forced");
    let outcome = state
        .db
        .with(|conn| {
            issuer::service::issuance::issue(conn, &id, &key, time::OffsetDateTime::now_utc())
        })
        .expect("runs");
    assert!(
        matches!(outcome, issuer::domain::issuance::IssueOutcome::Refused(_)),
        "{outcome:?}"
    );
    assert_eq!(counts(&state), (0, 0));
}

#[tokio::test]
async fn a_database_from_newer_code_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("issuer.sqlite3");
    let db = Db::open(&path).expect("created");
    drop(db);
    rusqlite::Connection::open(&path)
        .and_then(|conn| conn.pragma_update(None, "user_version", 99))
        .expect("set");
    let error = Db::open(&path).expect_err("refused");
    assert!(
        error.to_string().contains("newer than this issuer knows"),
        "{error}"
    );
}

fn extra_invitation(state: &AppState) -> String {
    let today = today();
    let invitation = issuer::service::demo::invitation_form(today)
        .parse(today)
        .expect("valid");
    state
        .db
        .with(|conn| {
            let inviter = issuer::store::invitation::inviter_by_tax_id(
                conn,
                &issuer::domain::taxid::TaxId::parse(issuer::service::demo::DEMO_BIN)
                    .map_err(anyhow::Error::from)?,
            )?
            .ok_or_else(|| anyhow::anyhow!("demo inviter"))?;
            issuer::store::invitation::create_invitation(
                conn,
                inviter.id,
                &invitation,
                today.year(),
                "2026-11-25T00:00:00Z",
            )
        })
        .expect("an invitation")
        .as_str()
        .to_owned()
}

#[tokio::test]
async fn to_pay_with_the_gateway_down_shows_a_plain_error_and_keeps_the_application() {
    let (app, state) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    crate::support::confirm_address(&mut anna, &state, "anna@example.com").await;
    let id = applied_and_confirmed(&mut anna).await;
    anna.get(&format!("/applications/{id}/payment")).await;
    let reply = anna.post(&format!("/applications/{id}/payment"), &[]).await;
    assert_eq!(reply.status, StatusCode::BAD_GATEWAY);
    assert!(reply.body.contains("The payment gateway is not available"));
    assert!(!reply.body.contains("127.0.0.1:9"));
    assert!(
        anna.get("/account/visas")
            .await
            .body
            .contains("Payment not done")
    );
}

#[tokio::test]
async fn a_key_directory_signs_with_its_newest_certified_key_without_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    for file in ["dev-issuer.cert", "dev-issuer.key"] {
        std::fs::copy(repo().join("keys").join(file), dir.path().join(file)).expect("copy");
    }
    let root =
        issuer::keys::keyfile::load_public(&repo().join("keys/root/dev-root.pub")).expect("root");
    let signer = issuer::keys::keyring::KeyDirectory {
        dir: dir.path().to_owned(),
        root,
    };
    let gateway = issuer::epay::Gateway::new(
        "http://127.0.0.1:9",
        MERCHANT,
        issuer::epay::Secrets::parse(SECRET).expect("secrets"),
    )
    .expect("gateway");
    let db = Db::in_memory().expect("db");
    let clock = issuer::clock::Clock::system();
    issuer::service::demo::seed(&db, &clock).expect("demo");
    let settings = Settings {
        secure_cookies: true,
        form_targets: Vec::new(),
        fees: issuer::domain::fees::Fees::default(),
        public_url: "http://127.0.0.1:8080".to_owned(),
        cookie_key: issuer::web::CookieKey::random(),
        unthrottled: Vec::new(),
    };
    let state = AppState::new(db, settings, gateway, std::sync::Arc::new(signer), clock);
    let app = app(state.clone());
    let kid_of = |state: &AppState, number: &str| -> String {
        state
            .db
            .with(|conn| {
                conn.query_row(
                    "SELECT kid FROM signatures WHERE visa_number = ?1",
                    [number],
                    |r| r.get(0),
                )
            })
            .expect("a signature record")
    };

    let (_anna, _id, order) = submitted_with_order(&app, &state).await;
    callback(&app, &notice(&order, "paid", 8000, "USD"), SECRET, now()).await;
    assert_eq!(kid_of(&state, "KZ0000001"), dev_key().kid().to_string());

    // The operator puts a newly certified key into the directory while the portal runs.
    let (paths, next) =
        issuer::keys::keyfile::generate(&dir.path().join("issuer-next")).expect("keygen");
    let start = time::OffsetDateTime::now_utc() - Duration::hours(1);
    issuer::keys::keyring::certify(
        &repo().join("keys/root/dev-root.key"),
        &paths.public,
        start,
        start + Duration::days(400),
        &dir.path().join("issuer-next.cert"),
    )
    .expect("certified");
    let invitation = extra_invitation(&state);
    let mut bob = Client::new(&app);
    bob.sign_up("bob@example.com").await;
    let reply = bob
        .apply(&[("invitation_number", invitation.as_str())])
        .await;
    let id = application_id(&location(&reply));
    bob.get(&format!("/applications/{id}/confirm")).await;
    bob.post(
        &format!("/applications/{id}/confirm"),
        &[("confirm", "yes")],
    )
    .await;
    let app_id = id.clone();
    let order = state
        .db
        .with(move |conn| {
            let (user, _) = issuer::store::account::find_login(conn, "bob@example.com")?
                .ok_or_else(|| anyhow::anyhow!("bob"))?;
            let row = issuer::store::payment::open_payment(
                conn,
                &app_id,
                user,
                8000,
                "USD",
                &issuer::clock::Clock::system().rfc3339(),
            )?
            .ok_or_else(|| anyhow::anyhow!("order"))?;
            Ok(row.order_id)
        })
        .expect("an order");
    let mut paid = notice(&order, "paid", 8000, "USD");
    paid["payment_id"] = json!("pay-2");
    assert_eq!(
        callback(&app, &paid, SECRET, now()).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(kid_of(&state, "KZ0000002"), next.kid().to_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_revoked_visa_is_shown_as_revoked_is_not_printed_again_and_goes_into_the_bundle() {
    use shared::bundle::{BundleContents, TrustBundle, UsedEntry};
    use shared::visa::VisaNumber;

    let (app, state) = portal();
    let (mut anna, id, order) = submitted_with_order(&app, &state).await;
    callback(&app, &notice(&order, "paid", 8000, "USD"), SECRET, now()).await;
    let number = VisaNumber::parse("KZ0000001").expect("number");

    let revoke = |reason: &'static str| {
        let number = number.clone();
        state.db.with(move |conn| {
            issuer::store::trust::revoke_visa(conn, &number, reason, "2026-12-01T10:00:00Z")
        })
    };
    assert_eq!(
        revoke("passport reported stolen").expect("revokes"),
        issuer::store::trust::Revoked::Now
    );
    assert_eq!(
        revoke("again").expect("idempotent"),
        issuer::store::trust::Revoked::Already("passport reported stolen".into())
    );
    let unknown = state.db.with(|conn| {
        issuer::store::trust::revoke_visa(
            conn,
            &VisaNumber::parse("KZ9999999").expect("n"),
            "x",
            "2026-12-01T10:00:00Z",
        )
    });
    assert_eq!(
        unknown.expect("answers"),
        issuer::store::trust::Revoked::Unknown,
        "only what this issuer signed can be revoked"
    );

    let result = anna.get(&format!("/applications/{id}/result")).await;
    assert!(result.body.contains("Visa revoked"), "{}", result.body);
    assert!(result.body.contains("passport reported stolen"));
    assert!(!result.body.contains("Copy the visa in PDF format"));
    let pdf = anna.get(&format!("/applications/{id}/visa.pdf")).await;
    assert_eq!(pdf.status, StatusCode::SEE_OTHER, "not printed again");
    let visas = anna.get("/account/visas").await;
    assert!(visas.body.contains("Visa revoked"));
    assert!(!visas.body.contains(&format!("/applications/{id}/visa.pdf")));
    let mut mallory = Client::new(&app);
    mallory.sign_up("mallory@example.com").await;
    assert!(
        !mallory
            .get("/account/visas")
            .await
            .body
            .contains("passport reported stolen")
    );

    // A kiosk reports the entry; the issuer lists it with the revocation in the next bundle.
    let entry = UsedEntry {
        visa_number: number.clone(),
        at: time::macros::datetime!(2026-12-02 06:00 UTC),
        port: shared::Port::Ala,
        kiosk_id: "ALA-07".into(),
    };
    let added = state
        .db
        .with(move |conn| {
            issuer::store::trust::record_used_entries(
                &*conn,
                &[entry.clone(), entry.clone()],
                "2026-12-02T07:00:00Z",
            )
        })
        .expect("records");
    assert_eq!(added, 1, "an entry reported twice is recorded once");
    let content = state
        .db
        .with(|conn| {
            issuer::store::trust::trust_content(
                conn,
                shared::bundle::first_listed_day(time::OffsetDateTime::now_utc()),
            )
        })
        .expect("content");
    let root = shared::IssuerKey::from_pkcs8_pem(
        &std::fs::read_to_string(repo().join("keys/root/dev-root.key")).expect("root key"),
    )
    .expect("root key");
    let bundle = BundleContents::new(
        1,
        time::OffsetDateTime::now_utc(),
        vec![],
        content.revoked_visas,
        content.revoked_keys,
        content.used_entries,
    )
    .expect("bundle");
    let read = TrustBundle::verify(&bundle.sign(&root), &root.public_key()).expect("verifies");
    assert_eq!(read.revoked_visas()[0].reason, "passport reported stolen");
    assert_eq!(
        read.first_use(&number).map(|u| u.kiosk_id.as_str()),
        Some("ALA-07")
    );
}

#[test]
fn the_demo_invitation_is_added_even_when_its_organisation_was_registered_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = Db::open(&dir.path().join("issuer.sqlite3")).expect("db");
    let clock = issuer::clock::Clock::system();
    let inviter = issuer::service::demo::inviter_form()
        .parse()
        .expect("demo inviter");
    db.with(|conn| {
        let now = issuer::clock::Clock::system().rfc3339();
        match issuer::store::invitation::insert_inviter(conn, None, &inviter, &now)? {
            issuer::store::Checked::Stored(_) => Ok(()),
            issuer::store::Checked::Refused(p) => Err(anyhow::anyhow!("{p:?}")),
        }
    })
    .expect("organisation registered");
    assert!(
        issuer::service::demo::seed(&db, &clock).expect("seeds"),
        "the invitation is added"
    );
    assert!(
        !issuer::service::demo::seed(&db, &clock).expect("seeds"),
        "and only once"
    );
    let found = db
        .with(|conn| {
            issuer::store::invitation::invitation_by_number(
                conn,
                issuer::service::demo::DEMO_INVITATION,
            )
        })
        .expect("query");
    assert!(found.is_some());
}

/// The confirmation page names the visa's fields with the printout's words (`shared::labels`)
/// in each language, counts the invitation's stay in days, and its step bar calls Step 2 as the
/// official instruction does.
#[tokio::test]
async fn the_confirmation_page_labels_the_visa_fields_with_the_printouts_words_in_every_language() {
    use shared::labels::{Field, Language};

    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let confirm_path = location(&anna.apply(&[]).await);
    let fields = [
        Field::InvitationNumber,
        Field::Category,
        Field::Sex,
        Field::DateOfBirth,
        Field::Citizenship,
        Field::PassportNumber,
        Field::InvitingParty,
    ];
    for (language, code, stay) in [
        (Language::Kk, "kk", "30 күн"),
        (Language::Ru, "ru", "30 дней"),
        (Language::En, "en", "30 days"),
    ] {
        let page = anna.get(&format!("{confirm_path}?lang={code}")).await;
        assert_eq!(page.status, StatusCode::OK);
        for field in fields {
            let words = field.label().get(language);
            assert!(
                page.body.contains(&format!(">{words}<")),
                "{code}: the label {words:?} is missing"
            );
        }
        assert!(page.body.contains(stay), "{code}: {stay:?} is missing");
    }
    let russian = anna.get(&format!("{confirm_path}?lang=ru")).await;
    assert!(russian.body.contains("Оплата государственной пошлины"));
    assert!(!russian.body.contains("госпошлины"));
}
