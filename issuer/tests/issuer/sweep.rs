//! The bad input sweep: malformed, oversized and hostile values sent to every form field, every
//! JSON API field, every path and query parameter and the e-pay callback, through the router with
//! no socket. Each must be answered with a 4xx (or the page again with the field's error, or the
//! next step), never a 5xx, and a script sent in must never come back unescaped.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use issuer::store::Db;
use issuer::web::AppState;
use serde_json::{Value, json};
use time::Duration;
use tower::ServiceExt;

use crate::support::{Client, MERCHANT, PASSWORD, Reply, SECRET, csrf_of, today};

/// What a hostile value must never be found as, in any page.
const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "<img src=x onerror=alert(1)>";

/// The hostile values, each with what it is.
fn hostile_values() -> Vec<(&'static str, String)> {
    vec![
        ("empty", String::new()),
        ("blanks", "   \t ".to_owned()),
        ("a NUL", "ANNA\0MARIA".to_owned()),
        ("only a NUL", "\0".to_owned()),
        (
            "control characters",
            "\u{1}\u{7}\u{8}\u{1b}[31mRED\r\n\u{7f}".to_owned(),
        ),
        (
            "a CR LF header injection",
            "x\r\nSet-Cookie: a=b".to_owned(),
        ),
        (
            "a right-to-left override",
            "\u{202E}ANNA\u{202C}".to_owned(),
        ),
        (
            "right-to-left and zero-width marks",
            "\u{200F}\u{200B}\u{FEFF}L898902C3".to_owned(),
        ),
        ("a script tag", SCRIPT.to_owned()),
        ("an attribute breakout", format!("\"'>{IMG}")),
        ("SQL", "' OR 1=1 --".to_owned()),
        (
            "SQL that drops a table",
            "x'); DROP TABLE accounts; --".to_owned(),
        ),
        ("a template expression", "{{7*7}}${7*7}".to_owned()),
        ("a path traversal", "../../../etc/passwd".to_owned()),
        ("percent escapes", "%00%0A%FF".to_owned()),
        ("emoji and combining marks", "😀\u{301}\u{301}Ω".to_owned()),
        ("a noncharacter", "\u{FFFF}\u{10FFFF}".to_owned()),
        ("a negative number", "-1".to_owned()),
        ("a huge number", "99999999999999999999999999".to_owned()),
        ("an impossible date", "2026-02-30".to_owned()),
        ("a far date", "+99999-12-31".to_owned()),
        ("4 KB", "A".repeat(4 * 1024)),
        ("20 KB of Cyrillic", "Ж".repeat(10 * 1024)),
        ("100 KB", "A".repeat(100 * 1024)),
    ]
}

/// The hostile values that fit in a URI (the `http` crate refuses one over 64 KB, as a server
/// refuses an overlong request line before any route sees it).
fn path_values() -> Vec<(&'static str, String)> {
    hostile_values()
        .into_iter()
        .filter(|(_, value)| encode(value).len() < 60_000)
        .collect()
}

/// JSON values of the wrong type, for JSON fields.
fn wrong_types() -> Vec<(&'static str, Value)> {
    vec![
        ("null", Value::Null),
        ("a number", json!(42)),
        ("a float", json!(1.5e300)),
        ("a boolean", json!(true)),
        ("an array", json!(["a", "b"])),
        ("an object", json!({"nested": SCRIPT})),
    ]
}

// ---------------------------------------------------------------- the portal and a browser

/// The portal with the demo data and its gateway at `gateway_url`.
fn sweep_portal(gateway_url: &str) -> (Router, AppState) {
    crate::support::portal_with(Db::in_memory().expect("database"), gateway_url, SECRET, "")
}

/// A portal whose gateway is nowhere (port 9 on loopback): for everything but "To pay".
fn portal() -> (Router, AppState) {
    sweep_portal("http://127.0.0.1:9")
}

/// A portal with the sandbox gateway serving on a loopback port.
async fn portal_with_sandbox() -> (Router, AppState) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let gateway = format!("http://{}", listener.local_addr().expect("address"));
    let config = epay_sandbox::Config {
        public_url: Some(gateway.clone()),
        ..epay_sandbox::Config::default()
    };
    tokio::spawn(epay_sandbox::serve(config, listener));
    sweep_portal(&gateway)
}

fn location(reply: &Reply) -> Option<String> {
    reply
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Percent-encodes every byte but the unreserved ones, for a path segment or a query value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The one rule of the sweep for pages: no 5xx, and nothing hostile comes back as markup.
fn check_page(what: &str, reply: &Reply) {
    assert!(
        !reply.status.is_server_error(),
        "{what}: {} {}",
        reply.status,
        reply.body
    );
    for raw in [SCRIPT, IMG, "<img src=x"] {
        assert!(
            !reply.body.contains(raw),
            "{what}: {raw} came back unescaped"
        );
    }
    for value in reply.headers.values() {
        assert!(
            !value.as_bytes().windows(11).any(|w| w == b"Set-Cookie:"),
            "{what}: a header was injected"
        );
    }
}

/// A form: where it is shown, where it is posted and a baseline of good values.
struct Form {
    name: &'static str,
    page: String,
    action: String,
    fields: Vec<(&'static str, String)>,
}

/// One variant of a form's body: the baseline with one field changed, dropped, doubled or made of
/// bytes that are not UTF-8.
enum Change {
    Value(String),
    Missing,
    Doubled(String),
    RawBytes(Vec<u8>),
}

fn changes() -> Vec<(String, Change)> {
    let mut all: Vec<(String, Change)> = hostile_values()
        .into_iter()
        .map(|(what, value)| (what.to_owned(), Change::Value(value)))
        .collect();
    all.push(("missing".to_owned(), Change::Missing));
    all.push(("doubled".to_owned(), Change::Doubled(SCRIPT.to_owned())));
    all.push((
        "percent-encoded invalid UTF-8".to_owned(),
        Change::RawBytes(b"%FF%FE%C0%AF".to_vec()),
    ));
    all.push((
        "raw invalid UTF-8".to_owned(),
        Change::RawBytes(b"\xFF\xFE\xC0\xAFabc".to_vec()),
    ));
    all.push((
        "an array notation".to_owned(),
        Change::RawBytes(b"x&x[]=1&x[0]=2".to_vec()),
    ));
    all
}

/// The urlencoded body of `form` with `field` changed as `change` says.
fn body_of(csrf: &str, form: &Form, field: &str, change: &Change) -> Vec<u8> {
    let mut pairs: Vec<(&str, &str)> = vec![("csrf", csrf)];
    for (name, value) in &form.fields {
        if *name != field {
            pairs.push((name, value.as_str()));
        }
    }
    let mut body = serde_urlencoded::to_string(&pairs)
        .expect("form")
        .into_bytes();
    let mut add = |raw: &[u8]| {
        body.push(b'&');
        body.extend_from_slice(field.as_bytes());
        body.push(b'=');
        body.extend_from_slice(raw);
    };
    match change {
        Change::Value(value) => add(encode(value).as_bytes()),
        Change::Missing => {}
        Change::Doubled(value) => {
            let good = form
                .fields
                .iter()
                .find(|(n, _)| *n == field)
                .map_or(String::new(), |(_, v)| v.clone());
            add(encode(&good).as_bytes());
            add(encode(value).as_bytes());
        }
        Change::RawBytes(raw) => add(raw),
    }
    body
}

/// Sends every change of every field of `form` with `client`, taking a fresh CSRF token from the
/// form's page each time; after an accepted post, the page it leads to is checked too.
async fn sweep_form(client: &mut Client, form: &Form) -> usize {
    let mut sent = 0;
    let mut names: Vec<&str> = form.fields.iter().map(|(n, _)| *n).collect();
    names.push("unknown_extra_field");
    for field in names {
        for (what, change) in changes() {
            let page = client.get(&form.page).await;
            check_page(&format!("{} page", form.name), &page);
            let csrf = csrf_of(&page.body);
            assert!(
                !csrf.is_empty(),
                "{}: no CSRF token on {}",
                form.name,
                form.page
            );
            let body = body_of(&csrf, form, field, &change);
            let reply = client.post_bytes(&form.action, body).await;
            let label = format!("{} {field} {what}", form.name);
            check_page(&label, &reply);
            if let Some(next) = location(&reply).filter(|l| l.starts_with('/')) {
                let next_page = client.get(&next).await;
                check_page(&format!("{label}, then {next}"), &next_page);
            }
            sent += 1;
        }
    }
    sent
}

fn step_one_fields() -> Vec<(&'static str, String)> {
    vec![
        ("invitation_number", "INV-DEMO-0001".to_owned()),
        ("category", "tourist".to_owned()),
        ("surname", "ERIKSSON".to_owned()),
        ("given_names", "ANNA MARIA".to_owned()),
        ("surname_native", "Эрикссон".to_owned()),
        ("given_names_native", String::new()),
        ("sex", "F".to_owned()),
        ("date_of_birth", "1974-08-12".to_owned()),
        ("citizenship", "SWE".to_owned()),
        ("passport_number", "L898902C3".to_owned()),
        (
            "passport_expiry",
            (today() + Duration::days(3 * 365)).to_string(),
        ),
        ("with_children", "no".to_owned()),
    ]
}

/// Anna's Step 1 accepted: the id of her application (in draft).
async fn drafted(client: &mut Client) -> String {
    client.get("/apply").await;
    let fields = step_one_fields();
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let reply = client.post("/apply", &pairs).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    location(&reply)
        .expect("a redirect")
        .trim_start_matches("/applications/")
        .trim_end_matches("/confirm")
        .to_owned()
}

async fn confirmed(client: &mut Client, id: &str) {
    let path = format!("/applications/{id}/confirm");
    client.get(&path).await;
    let reply = client.post(&path, &[("confirm", "yes")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
}

// ---------------------------------------------------------------- forms

#[tokio::test]
async fn every_sign_up_field_refuses_hostile_values_without_a_server_error() {
    let (app, _) = portal();
    let mut sent = 0;
    for field in ["email", "full_name", "password", "password_again"] {
        for (what, change) in changes() {
            // A fresh visitor each time: an accepted sign-up logs in.
            let mut visitor = Client::new(&app);
            let form = Form {
                name: "sign up",
                page: "/signup".to_owned(),
                action: "/signup".to_owned(),
                fields: vec![
                    ("email", format!("visitor{sent}@example.com")),
                    ("full_name", "Anna Eriksson".to_owned()),
                    ("password", PASSWORD.to_owned()),
                    ("password_again", PASSWORD.to_owned()),
                ],
            };
            let page = visitor.get("/signup").await;
            let csrf = csrf_of(&page.body);
            assert!(!csrf.is_empty(), "a CSRF token on /signup");
            let body = body_of(&csrf, &form, field, &change);
            let reply = visitor.post_bytes("/signup", body).await;
            check_page(&format!("sign up {field} {what}"), &reply);
            if reply.status == StatusCode::SEE_OTHER {
                let home = visitor.get("/account/visas").await;
                check_page(&format!("sign up {field} {what}, then visas"), &home);
            }
            sent += 1;
        }
    }
    assert!(sent > 100);
}

#[tokio::test]
async fn every_login_field_refuses_hostile_values_without_a_server_error() {
    let (app, _) = portal();
    Client::new(&app).sign_up("anna@example.com").await;
    for field in ["identifier", "password", "next"] {
        for (what, change) in changes() {
            let mut visitor = Client::new(&app);
            let form = Form {
                name: "login",
                page: "/login".to_owned(),
                action: "/login".to_owned(),
                fields: vec![
                    ("identifier", "anna@example.com".to_owned()),
                    ("password", PASSWORD.to_owned()),
                    ("next", "/account/visas".to_owned()),
                ],
            };
            let page = visitor.get("/login").await;
            let csrf = csrf_of(&page.body);
            assert!(!csrf.is_empty(), "a CSRF token on /login");
            let body = body_of(&csrf, &form, field, &change);
            let reply = visitor.post_bytes("/login", body).await;
            check_page(&format!("login {field} {what}"), &reply);
            if let Some(next) = location(&reply) {
                assert!(
                    next.starts_with('/') && !next.starts_with("//"),
                    "login {field} {what} leads off the site: {next}"
                );
            }
        }
    }
}

#[tokio::test]
async fn every_step_one_field_refuses_hostile_values_without_a_server_error() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let form = Form {
        name: "Step 1",
        page: "/apply".to_owned(),
        action: "/apply".to_owned(),
        fields: step_one_fields(),
    };
    let sent = sweep_form(&mut anna, &form).await;
    assert!(sent > 300);
    let visas = anna.get("/account/visas").await;
    check_page("visas after the sweep", &visas);
}

#[tokio::test]
async fn every_group_form_field_refuses_hostile_values_without_a_server_error() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    // The first person's fields, named as the group form names them, and the button pressed.
    const NAMES: [&str; 12] = [
        "p1.invitation_number",
        "p1.category",
        "p1.surname",
        "p1.given_names",
        "p1.surname_native",
        "p1.given_names_native",
        "p1.sex",
        "p1.date_of_birth",
        "p1.citizenship",
        "p1.passport_number",
        "p1.passport_expiry",
        "p1.with_children",
    ];
    let mut fields: Vec<(&'static str, String)> = NAMES
        .into_iter()
        .zip(step_one_fields().into_iter().map(|(_, v)| v))
        .collect();
    fields.push(("action", "next".to_owned()));
    fields.push(("group", "0".repeat(32)));
    let form = Form {
        name: "group",
        page: "/groups/new".to_owned(),
        action: "/groups/new".to_owned(),
        fields,
    };
    let sent = sweep_form(&mut anna, &form).await;
    assert!(sent > 300);
    let visas = anna.get("/account/visas").await;
    check_page("visas after the group sweep", &visas);
}

#[tokio::test]
async fn the_confirmation_refuses_hostile_values_without_a_server_error() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let id = drafted(&mut anna).await;
    let path = format!("/applications/{id}/confirm");
    // The token is the session's: taken from Step 1, whose page stays after the confirmation.
    let form = Form {
        name: "confirmation",
        page: "/apply".to_owned(),
        action: path,
        fields: vec![("confirm", String::new())],
    };
    sweep_form(&mut anna, &form).await;
}

#[tokio::test]
async fn every_inviter_registration_field_refuses_hostile_values_without_a_server_error() {
    let (app, _) = portal();
    let mut n = 0;
    for field in ["kind", "tax_id", "name", "description"] {
        for (what, change) in changes() {
            // A fresh account each time: an account registers one inviting party.
            let mut inviter = Client::new(&app);
            inviter.sign_up(&format!("inviter{n}@example.com")).await;
            n += 1;
            let form = Form {
                name: "inviter",
                page: "/inviter".to_owned(),
                action: "/inviter".to_owned(),
                fields: vec![
                    ("kind", "individual".to_owned()),
                    ("tax_id", "740812500124".to_owned()),
                    ("name", "Aigerim Nurlanovna".to_owned()),
                    ("description", "Hosting a friend".to_owned()),
                ],
            };
            let page = inviter.get("/inviter").await;
            let csrf = csrf_of(&page.body);
            assert!(!csrf.is_empty(), "a CSRF token on /inviter");
            let body = body_of(&csrf, &form, field, &change);
            let reply = inviter.post_bytes("/inviter", body).await;
            check_page(&format!("inviter {field} {what}"), &reply);
            let home = inviter.get("/inviter").await;
            check_page(&format!("inviter {field} {what}, then /inviter"), &home);
        }
    }
}

#[tokio::test]
async fn every_invitation_field_refuses_hostile_values_without_a_server_error() {
    let (app, _) = portal();
    let mut inviter = Client::new(&app);
    inviter.sign_up("inviter@example.com").await;
    inviter.get("/inviter").await;
    let reply = inviter
        .post(
            "/inviter",
            &[
                ("kind", "organisation"),
                ("tax_id", "180340012346"),
                ("name", "Astana Clinic LLP"),
                ("description", "A clinic"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let from = today() + Duration::days(10);
    let form = Form {
        name: "invitation",
        page: "/inviter/invitations/new".to_owned(),
        action: "/inviter/invitations".to_owned(),
        fields: vec![
            ("surname", "MULLER".to_owned()),
            ("given_names", "HANS".to_owned()),
            ("passport_number", "C01X00T47".to_owned()),
            ("citizenship", "DEU".to_owned()),
            ("date_of_birth", "1980-05-01".to_owned()),
            ("category", "business".to_owned()),
            ("purpose", "Negotiations".to_owned()),
            ("city", "Astana".to_owned()),
            ("street", "Mangilik El".to_owned()),
            ("house", "55".to_owned()),
            ("valid_from", from.to_string()),
            ("valid_until", (from + Duration::days(30)).to_string()),
            ("stay_days", "20".to_owned()),
        ],
    };
    let sent = sweep_form(&mut inviter, &form).await;
    assert!(sent > 300);
    let home = inviter.get("/inviter").await;
    check_page("the inviter's page after the sweep", &home);
}

#[tokio::test]
async fn payment_and_update_status_posts_refuse_hostile_values_without_a_server_error() {
    let (app, _) = portal_with_sandbox().await;
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let id = drafted(&mut anna).await;
    confirmed(&mut anna, &id).await;
    for step in ["payment", "status"] {
        let form = Form {
            name: step,
            page: format!("/applications/{id}/payment"),
            action: format!("/applications/{id}/{step}"),
            fields: Vec::new(),
        };
        sweep_form(&mut anna, &form).await;
    }
    // The same posts to hostile application ids.
    for (what, value) in path_values() {
        for step in ["payment", "status", "confirm"] {
            let page = anna.get(&format!("/applications/{id}/payment")).await;
            let csrf = csrf_of(&page.body);
            let path = format!("/applications/{}/{step}", encode(&value));
            let body = serde_urlencoded::to_string([("csrf", csrf.as_str())]).expect("form");
            let reply = anna.post_bytes(&path, body.into_bytes()).await;
            check_page(&format!("{step} for the id {what}"), &reply);
            assert!(reply.status.is_client_error(), "{step} for the id {what}");
        }
    }
}

#[tokio::test]
async fn hostile_path_segments_and_query_values_get_a_4xx_or_the_page() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let id = drafted(&mut anna).await;
    let mut values = path_values();
    values.push(("invalid UTF-8", "\u{0}".to_owned()));
    for (what, value) in values {
        let encoded = if what == "invalid UTF-8" {
            "%FF%FE".to_owned()
        } else {
            encode(&value)
        };
        for path in [
            format!("/applications/{encoded}/confirm"),
            format!("/applications/{encoded}/payment"),
            format!("/applications/{encoded}/result"),
            format!("/applications/{encoded}/receipt"),
            format!("/applications/{encoded}/visa.pdf"),
            format!("/{encoded}"),
            format!("/apply?application={encoded}"),
            format!("/apply?application={id}&lang={encoded}"),
            format!("/login?next={encoded}&tab={encoded}"),
            format!("/signup?next={encoded}"),
            format!("/services?lang={encoded}"),
        ] {
            let reply = anna.get(&path).await;
            check_page(&format!("GET {path} ({what})"), &reply);
        }
    }
}

// ---------------------------------------------------------------- the JSON API

struct ApiReply {
    status: StatusCode,
    content_type: String,
    body: Value,
}

async fn api_raw(
    app: &Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Vec<u8>,
) -> ApiReply {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body)).expect("request"))
        .await
        .expect("infallible");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    ApiReply {
        status,
        content_type,
        body,
    }
}

/// The one rule of the sweep for the API: no 5xx, and a refusal is JSON with an error code.
fn check_api(what: &str, reply: &ApiReply) {
    assert!(
        !reply.status.is_server_error(),
        "{what}: {} {}",
        reply.status,
        reply.body
    );
    // Routing (404, 405) and the body size limit (413) answer before the API's own JSON errors.
    let plain = [
        StatusCode::NOT_FOUND,
        StatusCode::METHOD_NOT_ALLOWED,
        StatusCode::PAYLOAD_TOO_LARGE,
    ];
    if reply.status.is_client_error() && !plain.contains(&reply.status) {
        assert!(
            reply.content_type.starts_with("application/json"),
            "{what}: {} {}",
            reply.status,
            reply.content_type
        );
        assert!(reply.body["error"].is_string(), "{what}: {}", reply.body);
    }
}

/// Every variant of a JSON body: each field with each hostile string and each wrong type, missing,
/// and unknown fields, duplicated keys, bodies that are not JSON or not UTF-8, deep nesting.
fn json_variants(base: &Value) -> Vec<(String, Vec<u8>)> {
    let object = base.as_object().expect("an object");
    let mut all = Vec::new();
    for field in object.keys() {
        for (what, value) in hostile_values() {
            let mut body = base.clone();
            body[field] = json!(value);
            all.push((format!("{field} {what}"), body.to_string().into_bytes()));
        }
        for (what, value) in wrong_types() {
            let mut body = base.clone();
            body[field] = value;
            all.push((format!("{field} {what}"), body.to_string().into_bytes()));
        }
        let mut body = base.clone();
        body.as_object_mut().expect("object").remove(field);
        all.push((format!("{field} missing"), body.to_string().into_bytes()));
        let text = base.to_string();
        let doubled = format!(
            "{},\"{field}\":{}}}",
            &text[..text.len() - 1],
            json!(SCRIPT)
        );
        all.push((format!("{field} doubled"), doubled.into_bytes()));
        let mut raw = format!("{},\"{field}\":\"", &text[..text.len() - 1]).into_bytes();
        raw.extend_from_slice(b"\xFF\xFE\"}");
        all.push((format!("{field} invalid UTF-8"), raw));
        let lone = format!("{},\"{field}\":\"\\ud800\"}}", &text[..text.len() - 1]);
        all.push((
            format!("{field} a lone surrogate escape"),
            lone.into_bytes(),
        ));
    }
    let mut unknown = base.clone();
    unknown["admin"] = json!(true);
    all.push((
        "an unknown field".to_owned(),
        unknown.to_string().into_bytes(),
    ));
    for (what, raw) in [
        ("an empty body", Vec::new()),
        ("not JSON", b"{not json".to_vec()),
        ("an array", b"[1,2,3]".to_vec()),
        ("a string", b"\"hello\"".to_vec()),
        ("null", b"null".to_vec()),
        ("a NUL byte", b"\0".to_vec()),
        ("trailing garbage", format!("{base} garbage").into_bytes()),
        (
            "deep nesting",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        ),
        (
            "100 KB",
            format!("{{\"x\":\"{}\"}}", "A".repeat(100 * 1024)).into_bytes(),
        ),
    ] {
        all.push((what.to_owned(), raw));
    }
    all
}

/// `bytes` with every `from` replaced by `to`, whatever else the bytes hold.
fn replace_bytes(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at..].starts_with(from) {
            out.extend_from_slice(to);
            at += from.len();
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    out
}

async fn api_token(app: &Router, email: &str) -> String {
    let body = json!({"email": email, "full_name": "API User", "password": PASSWORD});
    let reply = api_raw(
        app,
        "POST",
        "/api/v1/accounts",
        None,
        body.to_string().into_bytes(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let body = json!({"identifier": email, "password": PASSWORD});
    let reply = api_raw(
        app,
        "POST",
        "/api/v1/sessions",
        None,
        body.to_string().into_bytes(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["token"].as_str().expect("token").to_owned()
}

#[tokio::test]
async fn the_openapi_document_lists_the_endpoints_the_sweep_covers() {
    let (app, _) = portal();
    let reply = api_raw(&app, "GET", "/api/v1/openapi.json", None, Vec::new()).await;
    assert_eq!(reply.status, StatusCode::OK);
    let mut paths: Vec<&String> = reply.body["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "/accounts",
            "/applications",
            "/applications/{id}",
            "/applications/{id}/confirm",
            "/check",
            "/groups",
            "/groups/{id}",
            "/groups/{id}/confirm",
            "/sessions"
        ],
        "a new endpoint needs its place in this sweep"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_printout_uploads_get_a_json_4xx_or_a_verdict_never_a_server_error() {
    let (app, _) = portal();
    let pdf = |content: &str| {
        format!(
            "%PDF-1.7\n1 0 obj\n<</Length {}>>\nstream\n{content}\nendstream\nendobj\n",
            content.len()
        )
        .into_bytes()
    };
    let boundary = "b0undary";
    let form = |body: &str| format!("--{boundary}\r\n{body}\r\n--{boundary}--\r\n").into_bytes();
    let multipart = format!("multipart/form-data; boundary={boundary}");
    let mut bodies: Vec<(String, Vec<u8>, &str)> = hostile_values()
        .into_iter()
        .map(|(what, value)| {
            (
                format!("raw {what}"),
                value.into_bytes(),
                "application/octet-stream",
            )
        })
        .collect();
    bodies.extend([
        (
            "a PNG signature alone".to_owned(),
            b"\x89PNG\r\n\x1a\n".to_vec(),
            "image/png",
        ),
        (
            "a JPEG start alone".to_owned(),
            b"\xff\xd8\xff\xe0\0\x10JFIF".to_vec(),
            "image/jpeg",
        ),
        (
            "a PDF header alone".to_owned(),
            b"%PDF-".to_vec(),
            "application/pdf",
        ),
        (
            "stray delimiters".to_owned(),
            pdf(&") ] > ( 0 0 0 rg 1 1 2 2 re f".repeat(500)),
            "application/pdf",
        ),
        (
            "full-page rectangles".to_owned(),
            pdf(&"0 0 0 rg 0 0 595 842 re f\n".repeat(2000)),
            "application/pdf",
        ),
        (
            "a page a mile wide".to_owned(),
            b"%PDF-1.7 /MediaBox [0 0 99999999 99999999]".to_vec(),
            "application/pdf",
        ),
        (
            "\"stream\" over and over".to_owned(),
            [&b"%PDF-1.7\n"[..], &b"stream\n".repeat(200_000)].concat(),
            "application/pdf",
        ),
        (
            "multipart without a file".to_owned(),
            form("Content-Disposition: form-data; name=\"other\"\r\n\r\nx"),
            multipart.as_str(),
        ),
        (
            "multipart with an empty file".to_owned(),
            form("Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n"),
            multipart.as_str(),
        ),
        (
            "multipart cut short".to_owned(),
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc")
                .into_bytes(),
            multipart.as_str(),
        ),
    ]);
    for (n, (what, body, content_type)) in bodies.into_iter().enumerate() {
        let mut request = Request::post("/api/v1/check")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("request");
        // Each upload from its own address, so the per-address count lets every one be read.
        let address = std::net::SocketAddr::from(([10, 0, (n / 250) as u8, (n % 250) as u8], 1));
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(address));
        let response = app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let reply = ApiReply {
            status,
            content_type,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        };
        check_api(&format!("POST /check {what}"), &reply);
        assert_ne!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{what}");
    }
}

#[tokio::test]
async fn every_account_and_session_field_of_the_api_refuses_hostile_values_without_a_server_error()
{
    let (app, _) = portal();
    api_token(&app, "anna@example.com").await;
    let base = json!({"email": "new@example.com", "full_name": "New User", "password": PASSWORD, "password_again": PASSWORD});
    for (n, (what, body)) in json_variants(&base).into_iter().enumerate() {
        // Another e-mail each time, so an accepted body is not refused as taken.
        let body = replace_bytes(
            &body,
            b"new@example.com",
            format!("new{n}@example.com").as_bytes(),
        );
        let reply = api_raw(&app, "POST", "/api/v1/accounts", None, body).await;
        check_api(&format!("POST /accounts {what}"), &reply);
    }
    let base = json!({"identifier": "anna@example.com", "password": PASSWORD});
    for (what, body) in json_variants(&base) {
        let reply = api_raw(&app, "POST", "/api/v1/sessions", None, body).await;
        check_api(&format!("POST /sessions {what}"), &reply);
    }
}

#[tokio::test]
async fn every_application_field_of_the_api_refuses_hostile_values_without_a_server_error() {
    let (app, _) = portal();
    let token = api_token(&app, "anna@example.com").await;
    let base = json!({
        "invitation_number": "INV-DEMO-0001", "category": "tourist", "surname": "ERIKSSON",
        "given_names": "ANNA MARIA", "surname_native": "Эрикссон", "given_names_native": "",
        "sex": "F", "date_of_birth": "1974-08-12", "citizenship": "SWE",
        "passport_number": "L898902C3",
        "passport_expiry": (today() + Duration::days(2000)).to_string(), "with_children": "no"
    });
    let mut ids = Vec::new();
    for (what, body) in json_variants(&base) {
        let reply = api_raw(&app, "POST", "/api/v1/applications", Some(&token), body).await;
        check_api(&format!("POST /applications {what}"), &reply);
        if let Some(id) = reply.body["id"].as_str() {
            ids.push(id.to_owned());
        }
    }
    let id = ids
        .first()
        .expect("the baseline variants are accepted")
        .clone();
    for (what, body) in json_variants(&json!({"confirm": true})) {
        let reply = api_raw(
            &app,
            "POST",
            &format!("/api/v1/applications/{id}/confirm"),
            Some(&token),
            body,
        )
        .await;
        check_api(&format!("POST /applications/{{id}}/confirm {what}"), &reply);
    }
    let list = api_raw(
        &app,
        "GET",
        "/api/v1/applications",
        Some(&token),
        Vec::new(),
    )
    .await;
    check_api("GET /applications after the sweep", &list);
    assert_eq!(list.status, StatusCode::OK);
    for (what, value) in path_values() {
        for (method, path) in [
            ("GET", format!("/api/v1/applications/{}", encode(&value))),
            (
                "POST",
                format!("/api/v1/applications/{}/confirm", encode(&value)),
            ),
        ] {
            let body = json!({"confirm": true}).to_string().into_bytes();
            let reply = api_raw(&app, method, &path, Some(&token), body).await;
            check_api(&format!("{method} {path} ({what})"), &reply);
            assert!(reply.status.is_client_error(), "{method} {what}");
        }
    }
}

#[tokio::test]
async fn hostile_authorization_headers_and_content_types_get_a_json_4xx() {
    let (app, _) = portal();
    let token = api_token(&app, "anna@example.com").await;
    let mut values: Vec<Vec<u8>> = hostile_values()
        .into_iter()
        .map(|(_, v)| v.into_bytes())
        .collect();
    values.push(format!("Bearer {}", "a".repeat(64)).into_bytes());
    values.push(format!("Bearer {token}\0").into_bytes());
    values.push(format!("bearer {token}").into_bytes());
    values.push(format!("Bearer {}", token.to_uppercase()).into_bytes());
    values.push(b"Bearer \xFF\xFE".to_vec());
    values.push(format!("Bearer {token} {token}").into_bytes());
    for value in values {
        // Only bytes a header can carry: no NUL, CR or LF.
        let Ok(header_value) = HeaderValue::from_bytes(&value) else {
            continue;
        };
        for (method, path) in [
            ("GET", "/api/v1/applications"),
            ("DELETE", "/api/v1/sessions"),
            ("POST", "/api/v1/applications"),
        ] {
            let request = Request::builder()
                .method(method)
                .uri(path)
                .header(header::AUTHORIZATION, header_value.clone())
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .expect("request");
            let response = app.clone().oneshot(request).await.expect("infallible");
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path} {}",
                String::from_utf8_lossy(&value)
            );
        }
    }
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin1",
        "",
        "multipart/form-data; boundary=x",
    ] {
        let request = Request::post("/api/v1/sessions")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from("{\"identifier\":\"x\",\"password\":\"y\"}"))
            .expect("request");
        let response = app.clone().oneshot(request).await.expect("infallible");
        assert!(
            response.status().is_client_error(),
            "{content_type}: {}",
            response.status()
        );
    }
}

// ---------------------------------------------------------------- the e-pay callback

/// Header names with raw values, some of which no header can carry (they are left out).
type Headers = Vec<(&'static str, Vec<u8>)>;

fn signed_callback(body: Vec<u8>, headers: &[(&str, Vec<u8>)]) -> Request<Body> {
    let mut request =
        Request::post("/epay/callback").header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            request = request.header(*name, value);
        }
    }
    request.body(Body::from(body)).expect("request")
}

/// The gateway's headers for `body`, signed now with the development secret.
fn good_headers(body: &[u8]) -> Headers {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let signature = issuer::epay::Secrets::parse(SECRET)
        .expect("secret")
        .sign(now, body);
    vec![
        ("X-Epay-Merchant", MERCHANT.as_bytes().to_vec()),
        ("X-Epay-Timestamp", now.to_string().into_bytes()),
        ("X-Epay-Signature", signature.into_bytes()),
    ]
}

async fn send_callback(app: &Router, request: Request<Body>) -> (StatusCode, String) {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// Anna's confirmed application with an order known to the gateway as `pay-1`: (her browser, the
/// application id, the order id).
async fn with_order(app: &Router, state: &AppState) -> (Client, String, String) {
    let mut anna = Client::new(app);
    anna.sign_up("anna@example.com").await;
    let id = drafted(&mut anna).await;
    confirmed(&mut anna, &id).await;
    let order = crate::support::open_order(state, "anna@example.com", &id);
    (anna, id, order)
}

#[tokio::test]
async fn hostile_callbacks_get_a_4xx_or_are_settled_once_and_shown_escaped() {
    let (app, state) = portal();
    let (mut anna, id, order) = with_order(&app, &state).await;
    let paid = json!({
        "payment_id": "pay-1", "order_id": order, "status": "paid", "amount_minor": 8000,
        "currency": "USD", "method": "card", "paid_at": "2026-11-25T10:00:00Z",
        "receipt_number": "EP-2026-000123", "payer_hint": "**** 1111"
    });

    // Hostile headers around a good body.
    let body = paid.to_string().into_bytes();
    let good = good_headers(&body);
    let mut header_cases: Vec<(String, Headers)> = Vec::new();
    for (index, (name, _)) in good.iter().enumerate() {
        let mut without = good.clone();
        without.remove(index);
        header_cases.push((format!("without {name}"), without));
        for (what, value) in hostile_values() {
            let mut changed = good.clone();
            changed[index].1 = value.into_bytes();
            header_cases.push((format!("{name} {what}"), changed));
        }
        for raw in [
            b"\xFF\xFE".to_vec(),
            b"v1=".to_vec(),
            b"v1=zz".to_vec(),
            format!("v1={}", "0".repeat(64)).into_bytes(),
            format!("v2={}", "0".repeat(64)).into_bytes(),
            b"9999999999999".to_vec(),
            b"-1".to_vec(),
            b"0".to_vec(),
        ] {
            let mut changed = good.clone();
            changed[index].1 = raw.clone();
            header_cases.push((format!("{name} {}", String::from_utf8_lossy(&raw)), changed));
        }
    }
    for (what, headers) in header_cases {
        let (status, text) = send_callback(&app, signed_callback(body.clone(), &headers)).await;
        assert!(status.is_client_error(), "callback {what}: {status} {text}");
    }
    assert_eq!(issued(&state), 0, "no hostile header paid anything");

    // Hostile bodies, each signed correctly: the signature proves the sender, not the content.
    // The first is a well-formed payment whose free-text fields are markup, so that whatever is
    // kept of them is on the receipt and result pages checked at the end.
    let mut marked = paid.clone();
    marked["method"] = json!(SCRIPT);
    marked["receipt_number"] = json!(format!("\"'>{IMG}"));
    marked["payer_hint"] = json!(SCRIPT);
    let body = marked.to_string().into_bytes();
    let headers = good_headers(&body);
    let (status, text) = send_callback(&app, signed_callback(body, &headers)).await;
    assert!(
        status.is_client_error() || status == StatusCode::NO_CONTENT,
        "a callback with markup: {status} {text}"
    );
    let mut accepted = 0;
    for (what, body) in json_variants(&paid) {
        let headers = good_headers(&body);
        let (status, text) = send_callback(&app, signed_callback(body, &headers)).await;
        assert!(
            status.is_client_error() || status == StatusCode::NO_CONTENT,
            "callback {what}: {status} {text}"
        );
        if status == StatusCode::NO_CONTENT {
            accepted += 1;
        }
        assert!(issued(&state) <= 1, "callback {what}: a second visa");
    }
    assert!(
        accepted > 0,
        "hostile but well-formed optional fields settle the order"
    );
    assert_eq!(issued(&state), 1, "one visa for the one paid order");
    for page in ["result", "receipt", "payment"] {
        let reply = anna.get(&format!("/applications/{id}/{page}")).await;
        check_page(&format!("the {page} page after hostile callbacks"), &reply);
    }
    let visas = anna.get("/account/visas").await;
    check_page("visas after hostile callbacks", &visas);
}

#[tokio::test]
async fn callbacks_with_signed_or_hostile_timestamps_and_huge_signature_lists_get_a_4xx() {
    let (app, state) = portal();
    let (_anna, _id, order) = with_order(&app, &state).await;
    let body = json!({
        "payment_id": "pay-1", "order_id": order, "status": "paid", "amount_minor": 8000,
        "currency": "USD", "method": "card", "paid_at": "2026-11-25T10:00:00Z",
        "receipt_number": "EP-2026-000123", "payer_hint": "**** 1111"
    })
    .to_string()
    .into_bytes();
    let secrets = issuer::epay::Secrets::parse(SECRET).expect("secret");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut cases: Vec<(String, Headers)> = Vec::new();
    for timestamp in [
        i64::MIN.to_string(),
        i64::MAX.to_string(),
        "-0".to_owned(),
        "+5".to_owned(),
        "-5".to_owned(),
        format!("+{now}"),
        format!("0{now}"),
        "1".repeat(40),
    ] {
        // Where an i64 can say the timestamp, the entry is the right MAC for it, so only the
        // timestamp's form or age can be what refuses the callback.
        let at = timestamp.parse().unwrap_or(now);
        let mut headers = good_headers(&body);
        headers[1].1 = timestamp.clone().into_bytes();
        headers[2].1 = secrets.sign(at, &body).into_bytes();
        cases.push((format!("timestamp {timestamp}"), headers));
    }
    let good = good_headers(&body);
    let entry = String::from_utf8(good[2].1.clone()).expect("ASCII");
    for (what, signature) in [
        ("10,000 v1= entries", vec![entry.as_str(); 10_000].join(",")),
        ("9 v1= entries", [entry.as_str(); 9].join(",")),
        (
            "a malformed entry beside a good one",
            format!("v1=00ff,{entry}"),
        ),
    ] {
        let mut headers = good.clone();
        headers[2].1 = signature.into_bytes();
        cases.push((what.to_owned(), headers));
    }
    for (what, headers) in cases {
        let (status, text) = send_callback(&app, signed_callback(body.clone(), &headers)).await;
        assert!(
            status.is_client_error(),
            "callback with {what}: {status} {text}"
        );
    }
    assert_eq!(issued(&state), 0, "no refused callback paid anything");
    let (status, text) = send_callback(&app, signed_callback(body.clone(), &good)).await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "the same callback, well signed: {text}"
    );
    assert_eq!(issued(&state), 1);
}

fn issued(state: &AppState) -> i64 {
    state
        .db
        .with(|conn| issuer::store::visa::visa_counts(conn))
        .expect("count")
        .0
}

#[tokio::test]
async fn every_group_field_of_the_api_refuses_hostile_values_without_a_server_error() {
    let (app, _) = portal();
    let token = api_token(&app, "anna@example.com").await;
    let person = json!({
        "invitation_number": "INV-DEMO-0001", "category": "tourist", "surname": "ERIKSSON",
        "given_names": "ANNA MARIA", "surname_native": "Эрикссон", "given_names_native": "",
        "sex": "F", "date_of_birth": "1974-08-12", "citizenship": "SWE",
        "passport_number": "L898902C3",
        "passport_expiry": (today() + Duration::days(2000)).to_string(), "with_children": "no"
    });
    // Each person's field with each hostile value, as the second person of a group.
    let mut ids = Vec::new();
    for (what, body) in json_variants(&person) {
        let mut group = format!("{{\"persons\":[{person},").into_bytes();
        group.extend_from_slice(&body);
        group.extend_from_slice(b"]}");
        let reply = api_raw(&app, "POST", "/api/v1/groups", Some(&token), group).await;
        check_api(&format!("POST /groups person {what}"), &reply);
        assert!(
            reply.status.is_client_error(),
            "the same invitation twice: {what}"
        );
    }
    for (what, body) in json_variants(&json!({"persons": [person]})) {
        let reply = api_raw(&app, "POST", "/api/v1/groups", Some(&token), body).await;
        check_api(&format!("POST /groups {what}"), &reply);
        if let Some(id) = reply.body["id"].as_str() {
            ids.push(id.to_owned());
        }
    }
    let id = ids.first().expect("the baseline group is accepted").clone();
    for (what, body) in json_variants(&json!({"confirm": true})) {
        let path = format!("/api/v1/groups/{id}/confirm");
        let reply = api_raw(&app, "POST", &path, Some(&token), body).await;
        check_api(&format!("POST /groups/{{id}}/confirm {what}"), &reply);
    }
    for (what, value) in path_values() {
        for (method, path) in [
            ("GET", format!("/api/v1/groups/{}", encode(&value))),
            ("POST", format!("/api/v1/groups/{}/confirm", encode(&value))),
        ] {
            let body = json!({"confirm": true}).to_string().into_bytes();
            let reply = api_raw(&app, method, &path, Some(&token), body).await;
            check_api(&format!("{method} {path} ({what})"), &reply);
            assert!(reply.status.is_client_error(), "{method} {what}");
        }
    }
}
