//! The sandbox gateway through its router, as the issuer and a browser use it: the signed API,
//! each payment method and test value, the forms' errors and CSRF, and (over loopback) signed
//! callbacks with retries, duplicates and rotation.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use epay_contract::signature::{MERCHANT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use epay_contract::{
    PaymentCreated, PaymentMethod, PaymentNotice, PaymentStatus, Secrets, SignatureError,
};
use epay_sandbox::{AppState, CallbackPolicy, Config, app};
use serde_json::{Value, json};
use tower::ServiceExt;

const PUBLIC: &str = "http://gateway.test";
const RETURN: &str = "http://127.0.0.1:8080/applications/7/result";
/// Nothing listens on the discard port, so callbacks from router-only tests fail fast.
const NOWHERE: &str = "http://127.0.0.1:9/epay/callback";

fn config() -> Config {
    Config {
        processing: Duration::ZERO,
        pending: Duration::from_secs(3600),
        callbacks: CallbackPolicy {
            attempts: 2,
            first_retry: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            timeout: Duration::from_secs(5),
        },
        ..Config::default()
    }
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Checks the gateway's signature on this response with `secrets`.
    fn verify(&self, secrets: &[&str]) -> Result<(), SignatureError> {
        Secrets::new(secrets).expect("secrets").verify(
            self.header(TIMESTAMP_HEADER),
            self.body.as_bytes(),
            self.header(SIGNATURE_HEADER),
            now(),
        )
    }
}

async fn call(state: &AppState, request: Request<Body>) -> Reply {
    let response = app(state.clone())
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body");
    Reply {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
    }
}

/// A signed API request.
fn api(
    method: &str,
    uri: &str,
    body: &str,
    secret: &str,
    at: i64,
    merchant: &str,
) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in signing(secret).headers(merchant, at, body.as_bytes()) {
        request = request.header(name, value);
    }
    request.body(Body::from(body.to_owned())).expect("request")
}

/// The secrets of a sender that signs with `secret`.
fn signing(secret: &str) -> Secrets {
    Secrets::new([secret]).expect("a secret")
}

fn order(order_id: &str, callback_url: &str) -> String {
    json!({
        "order_id": order_id,
        "amount_minor": 8000,
        "currency": "USD",
        "description": "State duty for e-visa application 7",
        "payer": "ERIKSSON ANNA MARIA",
        "return_url": RETURN,
        "callback_url": callback_url,
        "lang": "en",
    })
    .to_string()
}

async fn create(state: &AppState, order_id: &str, callback_url: &str) -> PaymentCreated {
    let body = order(order_id, callback_url);
    let reply = call(
        state,
        api(
            "POST",
            "/api/v1/payments",
            &body,
            epay_sandbox::DEV_SECRET,
            now(),
            "evisa-dev",
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    serde_json::from_str(&reply.body).expect("created JSON")
}

async fn status(state: &AppState, payment_id: &str) -> PaymentNotice {
    let reply = call(
        state,
        api(
            "GET",
            &format!("/api/v1/payments/{payment_id}"),
            "",
            epay_sandbox::DEV_SECRET,
            now(),
            "evisa-dev",
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply
        .verify(&[epay_sandbox::DEV_SECRET])
        .expect("the status response is signed");
    serde_json::from_str(&reply.body).expect("status JSON")
}

fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::builder().uri(uri);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::empty()).expect("request")
}

fn post_form(uri: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Request<Body> {
    let body: String = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut request = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(body)).expect("request")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Opens a form page and returns the cookie and token its form must send back.
async fn open_form(state: &AppState, uri: &str) -> (String, String) {
    let page = call(state, get(uri, None)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let cookie = page
        .header("set-cookie")
        .split(';')
        .next()
        .expect("a cookie")
        .to_owned();
    let token = page
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSRF field")
        .to_owned();
    assert!(
        cookie.ends_with(&token),
        "double-submit: {cookie} / {token}"
    );
    (cookie, token)
}

/// Pays with `method` and its fields, and returns the page the browser lands on afterwards.
async fn pay(state: &AppState, payment_id: &str, method: &str, fields: &[(&str, &str)]) -> Reply {
    let uri = format!("/pay/{payment_id}/{method}");
    let (cookie, token) = open_form(state, &uri).await;
    let mut all = fields.to_vec();
    all.push(("csrf", &token));
    let reply = call(state, post_form(&uri, Some(&cookie), &all)).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.header("location"), format!("/pay/{payment_id}"));
    let payer = payer_cookie(&reply, payment_id);
    call(state, get(&format!("/pay/{payment_id}"), Some(&payer))).await
}

/// The cookie that marks the paying browser, as the browser sends it back.
fn payer_cookie(reply: &Reply, payment_id: &str) -> String {
    let set = reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("epay_payer_{payment_id}=")))
        .expect("the payer's cookie");
    assert!(set.contains(&format!("Path=/pay/{payment_id};")), "{set}");
    assert!(set.contains("HttpOnly"), "{set}");
    set.split(';').next().expect("name=value").to_owned()
}

fn card(number: &str) -> [(&'static str, String); 4] {
    [
        ("number", number.to_owned()),
        ("expiry", "12/39".to_owned()),
        ("cvv", "123".to_owned()),
        ("holder", "ANNA ERIKSSON".to_owned()),
    ]
}

async fn pay_card(state: &AppState, payment_id: &str, number: &str) -> Reply {
    let fields = card(number);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    pay(state, payment_id, "card", &fields).await
}

fn state() -> AppState {
    AppState::new(config(), PUBLIC).expect("state")
}

#[tokio::test]
async fn a_signed_create_returns_a_pay_url_and_the_same_order_returns_the_same_payment() {
    let state = state();
    let created = create(&state, "order-1", NOWHERE).await;
    assert!(created.payment_id.starts_with("pay_"));
    assert_eq!(
        created.pay_url,
        format!("{PUBLIC}/pay/{}", created.payment_id)
    );

    let again = call(
        &state,
        api(
            "POST",
            "/api/v1/payments",
            &order("order-1", NOWHERE),
            epay_sandbox::DEV_SECRET,
            now(),
            "evisa-dev",
        ),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK);
    again.verify(&[epay_sandbox::DEV_SECRET]).expect("signed");
    let again: PaymentCreated = serde_json::from_str(&again.body).expect("JSON");
    assert_eq!(again.payment_id, created.payment_id);

    let changed = order("order-1", NOWHERE).replace("8000", "9000");
    let conflict = call(
        &state,
        api(
            "POST",
            "/api/v1/payments",
            &changed,
            epay_sandbox::DEV_SECRET,
            now(),
            "evisa-dev",
        ),
    )
    .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(conflict.json()["error"].is_string());

    let view = status(&state, &created.payment_id).await;
    assert_eq!(view.status, PaymentStatus::Created);
    assert_eq!((view.amount_minor, view.currency.as_str()), (8000, "USD"));
    assert_eq!(view.order_id, "order-1");
}

#[tokio::test]
async fn bad_signatures_stale_timestamps_wrong_merchants_and_bad_bodies_are_refused_with_json() {
    let state = state();
    let body = order("order-2", NOWHERE);
    let secret = epay_sandbox::DEV_SECRET;
    let cases = [
        (
            "wrong secret",
            api(
                "POST",
                "/api/v1/payments",
                &body,
                "guess",
                now(),
                "evisa-dev",
            ),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "stale",
            api(
                "POST",
                "/api/v1/payments",
                &body,
                secret,
                now() - 301,
                "evisa-dev",
            ),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "future",
            api(
                "POST",
                "/api/v1/payments",
                &body,
                secret,
                now() + 301,
                "evisa-dev",
            ),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "merchant",
            api(
                "POST",
                "/api/v1/payments",
                &body,
                secret,
                now(),
                "someone-else",
            ),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "bad JSON",
            api(
                "POST",
                "/api/v1/payments",
                "{\"order_id\":",
                secret,
                now(),
                "evisa-dev",
            ),
            StatusCode::BAD_REQUEST,
        ),
        (
            "zero amount",
            api(
                "POST",
                "/api/v1/payments",
                &body.replace("8000", "0"),
                secret,
                now(),
                "evisa-dev",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "bad URL",
            api(
                "POST",
                "/api/v1/payments",
                &body.replace("http://127.0.0.1:9", "javascript:"),
                secret,
                now(),
                "evisa-dev",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "status unsigned",
            get("/api/v1/payments/pay_x", None),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "status unknown",
            api(
                "GET",
                "/api/v1/payments/pay_unknown",
                "",
                secret,
                now(),
                "evisa-dev",
            ),
            StatusCode::NOT_FOUND,
        ),
    ];
    for (name, request, expected) in cases {
        let reply = call(&state, request).await;
        assert_eq!(reply.status, expected, "{name}: {}", reply.body);
        assert!(reply.json()["error"].is_string(), "{name}: {}", reply.body);
        assert!(
            reply.header("content-type").starts_with("application/json"),
            "{name}"
        );
    }
    // A body changed after signing is refused too.
    let mut request = api(
        "POST",
        "/api/v1/payments",
        &body,
        secret,
        now(),
        "evisa-dev",
    );
    *request.body_mut() = Body::from(body.replace("8000", "1"));
    assert_eq!(call(&state, request).await.status, StatusCode::UNAUTHORIZED);
}

/// A create request with the given raw timestamp and signature headers.
fn raw_signed(body: &str, timestamp: &str, signature: &str) -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri("/api/v1/payments")
        .header(header::CONTENT_TYPE, "application/json")
        .header(MERCHANT_HEADER, "evisa-dev")
        .header(TIMESTAMP_HEADER, timestamp)
        .header(SIGNATURE_HEADER, signature)
        .body(Body::from(body.to_owned()))
        .expect("request")
}

#[tokio::test]
async fn signed_or_hostile_timestamps_that_are_not_plain_recent_digits_get_a_signed_401_not_a_crash()
 {
    let state = state();
    let body = order("hostile-time", NOWHERE);
    let secret = signing(epay_sandbox::DEV_SECRET);
    let forty = "1".repeat(40);
    for timestamp in [
        i64::MIN.to_string(),
        i64::MAX.to_string(),
        "-0".to_owned(),
        "+5".to_owned(),
        "-5".to_owned(),
        forty,
        "0".to_owned(),
        format!("0{}", now()),
        format!(" {}", now()),
    ] {
        // Where an i64 can say it, the entry is the right MAC for that number, so only the
        // timestamp can be what refuses the request.
        let signature = secret.sign(timestamp.trim().parse().unwrap_or(0), body.as_bytes());
        let reply = call(&state, raw_signed(&body, &timestamp, &signature)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{timestamp:?}: {}",
            reply.body
        );
        assert!(reply.json()["error"].is_string(), "{timestamp:?}");
        reply
            .verify(&[epay_sandbox::DEV_SECRET])
            .expect("the refusal is signed");
    }
}

#[tokio::test]
async fn a_signature_header_with_too_many_or_malformed_entries_is_refused_even_beside_a_good_one() {
    let state = state();
    let body = order("hostile-entries", NOWHERE);
    let at = now();
    let good = signing(epay_sandbox::DEV_SECRET).sign(at, body.as_bytes());
    for (what, signature) in [
        ("10,000 entries", vec![good.as_str(); 10_000].join(",")),
        ("9 entries", [good.as_str(); 9].join(",")),
        ("a short entry first", format!("v1=00ff,{good}")),
        (
            "an uppercase entry",
            format!("{good},{}", good.to_uppercase()),
        ),
        ("an empty entry", format!("{good},")),
    ] {
        let reply = call(&state, raw_signed(&body, &at.to_string(), &signature)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{what}: {}",
            reply.body
        );
    }
    let both = format!("{good},{good}");
    let reply = call(&state, raw_signed(&body, &at.to_string(), &both)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

#[tokio::test]
async fn during_rotation_both_secrets_are_accepted_and_responses_are_signed_with_the_first() {
    let state = AppState::new(
        Config {
            secrets: vec!["new-secret".to_owned(), "old-secret".to_owned()],
            ..config()
        },
        PUBLIC,
    )
    .expect("state");
    for (i, secret) in ["old-secret", "new-secret"].into_iter().enumerate() {
        let body = order(&format!("rot-{i}"), NOWHERE);
        let reply = call(
            &state,
            api(
                "POST",
                "/api/v1/payments",
                &body,
                secret,
                now(),
                "evisa-dev",
            ),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "{secret}: {}",
            reply.body
        );
        reply
            .verify(&["new-secret"])
            .expect("signed with the first secret");
        assert!(reply.verify(&["old-secret"]).is_err());
    }
    let refused = call(
        &state,
        api(
            "POST",
            "/api/v1/payments",
            &order("rot-x", NOWHERE),
            "dev-epay-secret-not-for-production",
            now(),
            "evisa-dev",
        ),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_method_page_offers_card_wallet_and_mobile_balance_with_the_amount() {
    let state = state();
    let created = create(&state, "order-3", NOWHERE).await;
    let page = call(&state, get(&format!("/pay/{}", created.payment_id), None)).await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "Payment card",
        "E-wallet",
        "Write-off from the mobile balance",
        "Activ · Kcell · Beeline",
        "80.00 USD",
        "ERIKSSON ANNA MARIA",
        &format!("/pay/{}/card", created.payment_id),
        &format!("/pay/{}/wallet", created.payment_id),
        &format!("/pay/{}/mobile", created.payment_id),
    ] {
        assert!(page.body.contains(expected), "{expected}");
    }
    let csp = page.header("content-security-policy");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.header("x-frame-options"), "DENY");
    let css = call(&state, get("/static/epay.css", None)).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header("content-type").starts_with("text/css"));
    let missing = call(&state, get("/pay/pay_nothing", None)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

/// Creates a payment whose create request names `lang` (or no language at all).
async fn create_in(state: &AppState, order_id: &str, lang: Option<&str>) -> PaymentCreated {
    let mut body: Value = serde_json::from_str(&order(order_id, NOWHERE)).expect("JSON");
    match lang {
        Some(lang) => body["lang"] = json!(lang),
        None => {
            body.as_object_mut().expect("object").remove("lang");
        }
    }
    let body = body.to_string();
    let reply = call(
        state,
        api(
            "POST",
            "/api/v1/payments",
            &body,
            epay_sandbox::DEV_SECRET,
            now(),
            "evisa-dev",
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    serde_json::from_str(&reply.body).expect("created JSON")
}

fn assert_shows(page: &Reply, texts: &[&str]) {
    for text in texts {
        assert!(page.body.contains(text), "{text:?} in:\n{}", page.body);
    }
}

#[tokio::test]
async fn a_payment_without_a_language_opens_in_kazakh_with_a_switch_to_russian_and_english() {
    let state = state();
    let created = create_in(&state, "lang-none", None).await;
    let id = &created.payment_id;
    let page = call(&state, get(&format!("/pay/{id}"), None)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_shows(
        &page,
        &[
            "<html lang=\"kk\">",
            "Төлем тәсілін таңдау",
            "Төлем картасы",
            "Электрондық әмиян",
            "Ұялы телефон балансынан есептен шығару",
            "Алушы",
            "Порталға оралу",
            "Электрондық үкіметтің төлем шлюзі",
            &format!("href=\"/pay/{id}?lang=ru\""),
            &format!("href=\"/pay/{id}?lang=en\""),
        ],
    );
    assert!(!page.body.contains("Payment card") && !page.body.contains("Платёжная карта"));
    let form = call(&state, get(&format!("/pay/{id}/card"), None)).await;
    assert_shows(
        &form,
        &[
            "<html lang=\"kk\">",
            "Карта деректері",
            "Карта нөмірі",
            "Карта иесінің аты",
            "Тестілеу деректері",
            &format!("href=\"/pay/{id}/card?lang=ru\""),
        ],
    );
}

#[tokio::test]
async fn the_merchants_language_opens_the_pages_and_the_payers_switch_holds_for_the_next_pages() {
    let state = state();
    let created = create_in(&state, "lang-ru", Some("ru")).await;
    let id = &created.payment_id;
    let page = call(&state, get(&format!("/pay/{id}"), None)).await;
    assert_shows(
        &page,
        &[
            "<html lang=\"ru\">",
            "Выбор способа оплаты",
            "Платёжная карта",
        ],
    );

    // The payer switches to Kazakh; the choice is kept in a cookie for the form.
    let switched = call(&state, get(&format!("/pay/{id}?lang=kk"), None)).await;
    assert_shows(&switched, &["<html lang=\"kk\">", "Төлем картасы"]);
    let cookie = switched.header("set-cookie");
    assert!(cookie.starts_with("epay_lang=kk;"), "{cookie}");
    let form = call(
        &state,
        get(&format!("/pay/{id}/wallet"), Some("epay_lang=kk")),
    )
    .await;
    assert_shows(&form, &["<html lang=\"kk\">", "Электрондық әмиян нөмірі"]);

    // A refused field is explained in the language chosen last.
    let uri = format!("/pay/{id}/wallet");
    let (csrf_cookie, token) = open_form(&state, &uri).await;
    let cookies = format!("{csrf_cookie}; epay_lang=kk");
    let reply = call(
        &state,
        post_form(
            &uri,
            Some(&cookies),
            &[("wallet", "12345"), ("csrf", &token)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_shows(
        &reply,
        &["Электрондық әмиян нөмірі: WAL- және алты цифр, мысалы WAL-100001"],
    );

    // An unknown code changes nothing.
    let unknown = call(&state, get(&format!("/pay/{id}?lang=de"), None)).await;
    assert_shows(&unknown, &["<html lang=\"ru\">"]);
    assert_eq!(unknown.header("set-cookie"), "");
}

#[tokio::test]
async fn the_check_opens_only_in_the_paying_browser_or_through_a_signed_link_that_expires() {
    let state = state();
    let created = create(&state, "private-check", NOWHERE).await;
    let id = created.payment_id.clone();
    // Before paying, the address is the way in: the method choice opens anywhere.
    let choice = call(&state, get(&format!("/pay/{id}"), None)).await;
    assert_eq!(choice.status, StatusCode::OK);
    let check = pay_card(&state, &id, "4111 1111 1111 1111").await;
    assert_shows(
        &check,
        &[
            "Electronic check",
            "ERIKSSON ANNA MARIA",
            "**** 1111",
            // The time of payment in Astana time, as an English reader writes a date.
            "(Astana time, UTC+5)",
        ],
    );
    // Anyone else holding the address sees nothing of it, in any language.
    for (query, words) in [
        ("", "The electronic check is private"),
        ("?lang=ru", "Электронный чек закрыт"),
    ] {
        let stranger = call(&state, get(&format!("/pay/{id}{query}"), None)).await;
        assert_eq!(stranger.status, StatusCode::FORBIDDEN);
        assert_shows(&stranger, &[words]);
        for private in ["ERIKSSON", "1111", "INV-"] {
            assert!(
                !stranger.body.contains(private),
                "{private} shown to a stranger"
            );
        }
    }
    // Another payment's payer cookie does not open it.
    let other = create(&state, "other-check", NOWHERE).await;
    let uri = format!("/pay/{}/card", other.payment_id);
    let (cookie, token) = open_form(&state, &uri).await;
    let mut fields: Vec<(&str, &str)> = vec![("csrf", &token)];
    let card = card("4111 1111 1111 1111");
    fields.extend(card.iter().map(|(k, v)| (*k, v.as_str())));
    let paid_other = call(&state, post_form(&uri, Some(&cookie), &fields)).await;
    let wrong = payer_cookie(&paid_other, &other.payment_id);
    let renamed = wrong.replace(&other.payment_id, &id);
    for cookie in [wrong, renamed] {
        let refused = call(&state, get(&format!("/pay/{id}"), Some(&cookie))).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{cookie}");
    }
    // A link the merchant signs opens it in any browser until it expires.
    let secrets = epay_contract::Secrets::new([epay_sandbox::DEV_SECRET]).expect("secrets");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let link = |expires: i64, signature: &str| {
        format!("/pay/{id}?expires={expires}&signature={signature}")
    };
    let fresh = secrets.sign_check_link(&id, now + 600);
    let opened = call(&state, get(&link(now + 600, &fresh), None)).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert_shows(&opened, &["Electronic check", "ERIKSSON ANNA MARIA"]);
    let expired = secrets.sign_check_link(&id, now - 1);
    for (expires, signature) in [
        (now - 1, expired.as_str()),
        (now + 6000, fresh.as_str()),
        (
            now + 600,
            &secrets.sign_check_link(&other.payment_id, now + 600),
        ),
        (now + 600, "00"),
    ] {
        let reply = call(&state, get(&link(expires, signature), None)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{expires} {signature}");
    }
}

#[tokio::test]
async fn the_check_and_the_decline_read_in_the_payers_language() {
    let state = state();
    let paid = create_in(&state, "lang-paid", Some("ru")).await;
    let page = pay_card(&state, &paid.payment_id, "4111 1111 1111 1111").await;
    assert_shows(
        &page,
        &[
            "<html lang=\"ru\">",
            "Электронный чек",
            "Оплата прошла успешно",
            "Номер чека",
            "Вернуться на портал",
            "Печать",
            "80.00 USD",
        ],
    );
    let declined = create_in(&state, "lang-declined", Some("kk")).await;
    let page = pay_card(&state, &declined.payment_id, "4000 0000 0000 0002").await;
    assert_shows(
        &page,
        &[
            "<html lang=\"kk\">",
            "Төлем қабылданбады",
            "Картаны шығарған банк төлемді қабылдамады",
            "Ақша есептен шығарылған жоқ",
        ],
    );
    let missing = call(&state, get("/pay/pay_nothing?lang=ru", None)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_shows(&missing, &["<html lang=\"ru\">", "Платёж не найден"]);
}

#[tokio::test]
async fn each_documented_card_gives_its_outcome_and_only_a_masked_hint_is_kept() {
    let cases = [
        ("4111 1111 1111 1111", PaymentStatus::Paid, "**** 1111"),
        ("5555 5555 5555 4444", PaymentStatus::Paid, "**** 4444"),
        ("4000 0000 0000 0002", PaymentStatus::Declined, "**** 0002"),
        ("4000 0000 0000 0069", PaymentStatus::Paid, "**** 0069"),
        ("4242 4242 4242 4242", PaymentStatus::Paid, "**** 4242"),
    ];
    let state = state();
    for (i, (number, outcome, hint)) in cases.into_iter().enumerate() {
        let created = create(&state, &format!("card-{i}"), NOWHERE).await;
        let page = pay_card(&state, &created.payment_id, number).await;
        let view = status(&state, &created.payment_id).await;
        assert_eq!(view.status, outcome, "{number}");
        assert_eq!(view.method, Some(PaymentMethod::Card));
        assert_eq!(view.payer_hint.as_deref(), Some(hint));
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        assert!(
            !page.body.contains(&digits) && !page.body.contains(number),
            "{number} leaked"
        );
        if outcome == PaymentStatus::Paid {
            let receipt = view.receipt_number.expect("a receipt number");
            assert!(receipt.starts_with("EP-"), "{receipt}");
            assert!(view.paid_at.is_some());
            for expected in [
                "Electronic check",
                receipt.as_str(),
                "80.00 USD",
                hint,
                "Return to the portal",
                RETURN,
                "id=\"print\"",
            ] {
                assert!(page.body.contains(expected), "{number}: {expected}");
            }
        } else {
            assert!(view.receipt_number.is_none() && view.paid_at.is_none());
            assert!(page.body.contains("Payment declined"));
            assert!(page.body.contains("The card issuer declined the payment"));
            assert!(page.body.contains(RETURN));
        }
    }
}

#[tokio::test]
async fn the_pending_card_waits_on_a_page_that_announces_the_answer_without_reloading_and_then_reads_as_paid()
 {
    let waiting = state();
    let created = create(&waiting, "pending-1", NOWHERE).await;
    let page = pay_card(&waiting, &created.payment_id, "4000 0000 0000 0044").await;
    assert!(page.body.contains("Please wait for the server"));
    // No timed reload (it would take a reader back to the top): a script asks for the page and
    // announces the answer in a polite live region; a link reloads by hand without script.
    assert!(!page.body.contains("http-equiv"), "{}", page.body);
    assert!(page.body.contains("data-waiting"));
    assert!(page.body.contains(r#"role="status" aria-live="polite""#));
    assert!(page.body.contains(r#"<script src="/static/wait.js">"#));
    assert!(page.body.contains("Check for the answer"));
    assert_eq!(
        status(&waiting, &created.payment_id).await.status,
        PaymentStatus::Pending
    );
    // A second submission while pending changes nothing.
    let again = call(
        &waiting,
        get(&format!("/pay/{}/card", created.payment_id), None),
    )
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);

    let settled = AppState::new(
        Config {
            pending: Duration::ZERO,
            ..config()
        },
        PUBLIC,
    )
    .expect("state");
    let created = create(&settled, "pending-2", NOWHERE).await;
    let page = pay_card(&settled, &created.payment_id, "4000 0000 0000 0044").await;
    assert!(page.body.contains("Electronic check"), "{}", page.body);
    let view = status(&settled, &created.payment_id).await;
    assert_eq!(view.status, PaymentStatus::Paid);
}

#[tokio::test]
async fn wallets_pay_or_are_declined_and_a_malformed_number_is_refused_beside_the_field() {
    let state = state();
    for (i, (wallet, outcome)) in [
        ("WAL-100001", PaymentStatus::Paid),
        ("wal-100002", PaymentStatus::Declined),
        ("WAL-555555", PaymentStatus::Paid),
    ]
    .into_iter()
    .enumerate()
    {
        let created = create(&state, &format!("wallet-{i}"), NOWHERE).await;
        let page = pay(&state, &created.payment_id, "wallet", &[("wallet", wallet)]).await;
        let view = status(&state, &created.payment_id).await;
        assert_eq!(view.status, outcome, "{wallet}");
        assert_eq!(view.method, Some(PaymentMethod::Wallet));
        if outcome == PaymentStatus::Declined {
            assert!(page.body.contains("Insufficient funds in the e-wallet"));
        }
    }
    let created = create(&state, "wallet-bad", NOWHERE).await;
    let uri = format!("/pay/{}/wallet", created.payment_id);
    let (cookie, token) = open_form(&state, &uri).await;
    let reply = call(
        &state,
        post_form(
            &uri,
            Some(&cookie),
            &[("wallet", "12345"), ("csrf", &token)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("id=\"wallet-error\""));
    assert!(
        reply.body.contains("value=\"12345\""),
        "the typed value is kept"
    );
    assert_eq!(
        status(&state, &created.payment_id).await.status,
        PaymentStatus::Created
    );
}

#[tokio::test]
async fn mobile_numbers_pay_by_operator_prefix_and_other_operators_are_refused_on_the_form() {
    let state = state();
    for (i, (phone, outcome, operator)) in [
        ("+7 701 555 0101", PaymentStatus::Paid, "Kcell"),
        ("+7 775 555 0101", PaymentStatus::Paid, "Activ"),
        ("8 777 555 0101", PaymentStatus::Paid, "Beeline"),
        ("+7 701 000 0000", PaymentStatus::Declined, ""),
    ]
    .into_iter()
    .enumerate()
    {
        let created = create(&state, &format!("mobile-{i}"), NOWHERE).await;
        let page = pay(&state, &created.payment_id, "mobile", &[("phone", phone)]).await;
        let view = status(&state, &created.payment_id).await;
        assert_eq!(view.status, outcome, "{phone}");
        assert_eq!(view.method, Some(PaymentMethod::Mobile));
        assert!(page.body.contains(operator), "{phone}");
        if outcome == PaymentStatus::Declined {
            assert!(
                page.body
                    .contains("Insufficient balance on the phone account")
            );
        }
    }
    let created = create(&state, "mobile-tele2", NOWHERE).await;
    let uri = format!("/pay/{}/mobile", created.payment_id);
    let (cookie, token) = open_form(&state, &uri).await;
    let reply = call(
        &state,
        post_form(
            &uri,
            Some(&cookie),
            &[("phone", "+7 707 555 0101"), ("csrf", &token)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("This operator is not supported"));
    assert!(reply.body.contains("value=\"+7 707 555 0101\""));
}

#[tokio::test]
async fn card_form_errors_appear_beside_each_field_and_keep_the_data_but_not_the_cvv() {
    let state = state();
    let created = create(&state, "card-errors", NOWHERE).await;
    let uri = format!("/pay/{}/card", created.payment_id);
    let (cookie, token) = open_form(&state, &uri).await;
    let check =
        |fields: Vec<(&'static str, &'static str)>, field: &'static str, message: &'static str| {
            let state = state.clone();
            let uri = uri.clone();
            let cookie = cookie.clone();
            let token = token.clone();
            async move {
                let mut all = fields;
                all.push(("csrf", Box::leak(token.into_boxed_str())));
                let reply = call(&state, post_form(&uri, Some(&cookie), &all)).await;
                assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
                assert!(
                    reply.body.contains(&format!("id=\"{field}-error\"")),
                    "{field}: {}",
                    reply.body
                );
                assert!(reply.body.contains(message), "{field}: {message}");
                reply
            }
        };
    let good = |field: &str, value: &'static str| {
        let mut fields = vec![
            ("number", "4111 1111 1111 1111"),
            ("expiry", "12/39"),
            ("cvv", "123"),
            ("holder", "ANNA ERIKSSON"),
        ];
        for f in &mut fields {
            if f.0 == field {
                f.1 = value;
            }
        }
        fields
    };
    let reply = check(
        good("number", "4111 1111 1111 1112"),
        "number",
        "not valid (check digit)",
    )
    .await;
    assert!(
        reply.body.contains("value=\"4111 1111 1111 1112\""),
        "the number is kept"
    );
    assert!(
        reply.body.contains("value=\"ANNA ERIKSSON\""),
        "the holder is kept"
    );
    assert!(
        !reply.body.contains("value=\"123\""),
        "the CVV is not echoed"
    );
    check(good("expiry", "01/20"), "expiry", "This card has expired").await;
    check(good("expiry", "13/30"), "expiry", "MM/YY").await;
    check(good("cvv", "12"), "cvv", "3 digits").await;
    check(good("holder", " "), "holder", "Required").await;
    let all = check(
        vec![
            ("number", "1234"),
            ("expiry", ""),
            ("cvv", ""),
            ("holder", ""),
        ],
        "number",
        "12 to 19 digits",
    )
    .await;
    for field in ["expiry", "cvv", "holder"] {
        assert!(
            all.body.contains(&format!("id=\"{field}-error\"")),
            "{field}"
        );
    }
    assert_eq!(
        status(&state, &created.payment_id).await.status,
        PaymentStatus::Created
    );
}

#[tokio::test]
async fn a_form_without_the_matching_csrf_token_is_refused_and_changes_nothing() {
    let state = state();
    let created = create(&state, "csrf-1", NOWHERE).await;
    let uri = format!("/pay/{}/card", created.payment_id);
    let (cookie, token) = open_form(&state, &uri).await;
    let fields = |token: &'static str| {
        vec![
            ("number", "4111 1111 1111 1111"),
            ("expiry", "12/39"),
            ("cvv", "123"),
            ("holder", "ANNA ERIKSSON"),
            ("csrf", token),
        ]
    };
    let token: &'static str = Box::leak(token.into_boxed_str());
    let no_cookie = call(&state, post_form(&uri, None, &fields(token))).await;
    assert_eq!(no_cookie.status, StatusCode::FORBIDDEN);
    let other = format!("epay_csrf={}", "ab".repeat(32));
    let wrong_cookie = call(&state, post_form(&uri, Some(&other), &fields(token))).await;
    assert_eq!(wrong_cookie.status, StatusCode::FORBIDDEN);
    let no_token = call(&state, post_form(&uri, Some(&cookie), &fields(""))).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    assert_eq!(
        status(&state, &created.payment_id).await.status,
        PaymentStatus::Created
    );
}

mod loopback {
    //! Callbacks over real loopback sockets: the gateway served on port 0, a merchant receiver
    //! that checks each callback's signature and fails the first one.

    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::Router;
    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::HeaderMap;
    use axum::routing::post;
    use tokio::sync::mpsc;

    use super::*;

    #[derive(Clone)]
    struct Receiver {
        calls: Arc<AtomicUsize>,
        sent: mpsc::UnboundedSender<(bool, PaymentNotice)>,
        secrets: Vec<String>,
    }

    async fn receive(
        State(receiver): State<Receiver>,
        headers: HeaderMap,
        body: Bytes,
    ) -> StatusCode {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        let verified = Secrets::new(&receiver.secrets)
            .expect("secrets")
            .verify(
                &header(TIMESTAMP_HEADER),
                &body,
                &header(SIGNATURE_HEADER),
                now(),
            )
            .is_ok()
            && header(MERCHANT_HEADER) == "evisa-dev";
        assert!(!String::from_utf8_lossy(&body).contains("4111111111111111"));
        let view: PaymentNotice = serde_json::from_slice(&body).expect("callback JSON");
        // The very first callback is answered with an error, so the gateway must retry it.
        if receiver.calls.fetch_add(1, Ordering::SeqCst) == 0 {
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        let _ = receiver.sent.send((verified, view));
        StatusCode::NO_CONTENT
    }

    async fn next(
        rx: &mut mpsc::UnboundedReceiver<(bool, PaymentNotice)>,
    ) -> (bool, PaymentNotice) {
        // A bound so a broken gateway fails the test instead of hanging it.
        tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("a callback arrives")
            .expect("the receiver is alive")
    }

    async fn submit_card(client: &reqwest::Client, base: &str, payment_id: &str, number: &str) {
        let uri = format!("{base}/pay/{payment_id}/card");
        let page = client.get(&uri).send().await.expect("form page");
        let cookie = page
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("cookie")
            .to_owned();
        let html = page.text().await.expect("html");
        let token = html
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("token")
            .to_owned();
        let reply = client
            .post(&uri)
            .header("cookie", cookie)
            .form(&[
                ("number", number),
                ("expiry", "12/39"),
                ("cvv", "123"),
                ("holder", "ANNA ERIKSSON"),
                ("csrf", &token),
            ])
            .send()
            .await
            .expect("submit");
        assert_eq!(reply.status(), reqwest::StatusCode::SEE_OTHER);
    }

    async fn create_over_http(
        client: &reqwest::Client,
        base: &str,
        order_id: &str,
        callback: &str,
        secret: &str,
    ) -> PaymentCreated {
        let body = order(order_id, callback);
        let mut request = client
            .post(format!("{base}/api/v1/payments"))
            .header("content-type", "application/json");
        for (name, value) in signing(secret).headers("evisa-dev", now(), body.as_bytes()) {
            request = request.header(name, value);
        }
        let reply = request.body(body).send().await.expect("create");
        assert_eq!(reply.status(), reqwest::StatusCode::CREATED);
        reply.json().await.expect("JSON")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn callbacks_are_signed_retried_duplicated_for_the_test_card_and_absent_for_the_pending_card()
     {
        // The gateway signs with the new secret; the merchant has not switched yet and still
        // lists the old one second, as in a rotation.
        let gateway_secrets = vec!["new-secret".to_owned(), "old-secret".to_owned()];
        let (tx, mut rx) = mpsc::unbounded_channel();
        let receiver = Receiver {
            calls: Arc::new(AtomicUsize::new(0)),
            sent: tx,
            secrets: vec!["old-secret".to_owned(), "new-secret".to_owned()],
        };
        let merchant = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let callback = format!(
            "http://{}/epay/callback",
            merchant.local_addr().expect("addr")
        );
        let receiver_app = Router::new()
            .route("/epay/callback", post(receive))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(merchant, receiver_app).await });

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let config = Config {
            secrets: gateway_secrets,
            pending: Duration::ZERO,
            ..config()
        };
        tokio::spawn(epay_sandbox::serve(config, listener));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");

        // An ordinary card: one callback, after one refused attempt.
        let first = create_over_http(&client, &base, "cb-1", &callback, "old-secret").await;
        assert_eq!(first.pay_url, format!("{base}/pay/{}", first.payment_id));
        submit_card(&client, &base, &first.payment_id, "4111 1111 1111 1111").await;
        let (verified, view) = next(&mut rx).await;
        assert!(verified, "the callback signature verifies");
        assert_eq!(view.payment_id, first.payment_id);
        assert_eq!(view.status, PaymentStatus::Paid);
        assert_eq!(view.payer_hint.as_deref(), Some("**** 1111"));
        assert_eq!(
            receiver.calls.load(Ordering::SeqCst),
            2,
            "refused once, then retried"
        );

        // The pending card gets no callback; the duplicate card gets three. All of the next
        // three callbacks are the duplicate card's, so none was the pending card's.
        let pending = create_over_http(&client, &base, "cb-2", &callback, "new-secret").await;
        submit_card(&client, &base, &pending.payment_id, "4000 0000 0000 0044").await;
        let duplicate = create_over_http(&client, &base, "cb-3", &callback, "new-secret").await;
        submit_card(&client, &base, &duplicate.payment_id, "4000 0000 0000 0069").await;
        for _ in 0..3 {
            let (verified, view) = next(&mut rx).await;
            assert!(verified);
            assert_eq!(
                view.payment_id, duplicate.payment_id,
                "only the duplicate card calls back"
            );
            assert_eq!(view.status, PaymentStatus::Paid);
        }
        // The pending card's payment is paid all the same, for "Update Status" to find.
        let mut request = client.get(format!("{base}/api/v1/payments/{}", pending.payment_id));
        for (name, value) in signing("old-secret").headers("evisa-dev", now(), b"") {
            request = request.header(name, value);
        }
        let reply = request.send().await.expect("status");
        assert_eq!(reply.status(), reqwest::StatusCode::OK);
        let view: PaymentNotice = reply.json().await.expect("JSON");
        assert_eq!(view.status, PaymentStatus::Paid);

        // One more ordinary payment: its callback is the next one, so no fourth duplicate and
        // no pending-card callback was sent in between.
        let last = create_over_http(&client, &base, "cb-4", &callback, "new-secret").await;
        submit_card(&client, &base, &last.payment_id, "5555 5555 5555 4444").await;
        let (_, view) = next(&mut rx).await;
        assert_eq!(view.payment_id, last.payment_id);
    }
}
