//! The applicant's pages, in the order of the instruction (pictures 7–10): choose a method, fill
//! in the card, e-wallet or phone form, wait for the server's answer, get the electronic check.
//! Server-rendered, no script needed (one optional static script wires the "Print" button), and
//! every form is protected by a double-submit CSRF token.

use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use epay_contract::{PaymentMethod, PaymentStatus};
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;
use subtle::ConstantTimeEq;
use time::{OffsetDateTime, UtcOffset};

use crate::AppState;
use crate::callback::spawn_settlement;
use crate::payment::{CardErrors, CardForm, FieldError, Operator, Outcome, Payment, Phone, Wallet};

const CSRF_COOKIE: &str = "epay_csrf";
const STYLESHEET: &str = include_str!("../static/epay.css");
const PRINT_SCRIPT: &str = include_str!("../static/print.js");

/// Kazakhstan's offset, for the times printed on the check.
const ASTANA: UtcOffset = match UtcOffset::from_hms(5, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The pages' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/epay.css", get(stylesheet))
        .route("/static/print.js", get(print_script))
        .route("/pay/{id}", get(payment_page))
        .route("/pay/{id}/card", get(card_form).post(card_submit))
        .route("/pay/{id}/wallet", get(wallet_form).post(wallet_submit))
        .route("/pay/{id}/mobile", get(mobile_form).post(mobile_submit))
}

/// The e-wallet form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct WalletForm {
    #[serde(default)]
    wallet: String,
    #[serde(default)]
    csrf: String,
}

/// The mobile form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct MobileForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    csrf: String,
}

/// The card form's fields with the CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct CardSubmission {
    #[serde(flatten)]
    card: CardForm,
    #[serde(default)]
    csrf: String,
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

async fn print_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        PRINT_SCRIPT,
    )
        .into_response()
}

/// The payment's one address: the method choice while unpaid, the waiting page while pending,
/// the electronic check once final.
async fn payment_page(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let payment = match load(&state, &id) {
        Ok(payment) => payment,
        Err(response) => return *response,
    };
    match payment.status {
        PaymentStatus::Created => Html(choose_method(&payment).into_string()).into_response(),
        PaymentStatus::Pending => Html(waiting(&payment).into_string()).into_response(),
        PaymentStatus::Paid | PaymentStatus::Declined => {
            Html(receipt(&payment).into_string()).into_response()
        }
    }
}

async fn card_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    form_page(&state, &id, &headers, |payment, csrf| {
        card_page(payment, csrf, &CardForm::default(), &CardErrors::default())
    })
}

async fn wallet_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    form_page(&state, &id, &headers, |payment, csrf| {
        wallet_page(payment, csrf, "", None)
    })
}

async fn mobile_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    form_page(&state, &id, &headers, |payment, csrf| {
        mobile_page(payment, csrf, "", None)
    })
}

async fn card_submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<CardSubmission>,
) -> Response {
    let payment = match submittable(&state, &id, &headers, &form.csrf) {
        Ok(payment) => payment,
        Err(response) => return *response,
    };
    let now = OffsetDateTime::now_utc().to_offset(ASTANA);
    match form.card.parse((now.year(), u8::from(now.month()))) {
        Ok(card) => submit(
            &state,
            &id,
            PaymentMethod::Card,
            card.hint(),
            None,
            card.outcome(),
        ),
        Err(errors) => {
            // The form comes back with what was typed, except the CVV, which is never echoed.
            let kept = CardForm {
                cvv: String::new(),
                ..form.card
            };
            let page = card_page(&payment, &form.csrf, &kept, &errors);
            (StatusCode::UNPROCESSABLE_ENTITY, Html(page.into_string())).into_response()
        }
    }
}

async fn wallet_submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<WalletForm>,
) -> Response {
    let payment = match submittable(&state, &id, &headers, &form.csrf) {
        Ok(payment) => payment,
        Err(response) => return *response,
    };
    match Wallet::parse(&form.wallet) {
        Ok(wallet) => submit(
            &state,
            &id,
            PaymentMethod::Wallet,
            wallet.hint(),
            None,
            wallet.outcome(),
        ),
        Err(error) => {
            let page = wallet_page(&payment, &form.csrf, &form.wallet, Some(error));
            (StatusCode::UNPROCESSABLE_ENTITY, Html(page.into_string())).into_response()
        }
    }
}

async fn mobile_submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<MobileForm>,
) -> Response {
    let payment = match submittable(&state, &id, &headers, &form.csrf) {
        Ok(payment) => payment,
        Err(response) => return *response,
    };
    match Phone::parse(&form.phone) {
        Ok(phone) => submit(
            &state,
            &id,
            PaymentMethod::Mobile,
            phone.hint(),
            Some(phone.operator()),
            phone.outcome(),
        ),
        Err(error) => {
            let page = mobile_page(&payment, &form.csrf, &form.phone, Some(error));
            (StatusCode::UNPROCESSABLE_ENTITY, Html(page.into_string())).into_response()
        }
    }
}

/// Shows a form for a payment that can still be paid, with the CSRF cookie set.
fn form_page(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
    render: impl FnOnce(&Payment, &str) -> Markup,
) -> Response {
    let payment = match load(state, id) {
        Ok(payment) => payment,
        Err(response) => return *response,
    };
    if payment.status != PaymentStatus::Created {
        return Redirect::to(&format!("/pay/{id}")).into_response();
    }
    let (token, fresh) = match csrf_cookie(headers) {
        Some(token) => (token, false),
        None => (hex::encode(rand::random::<[u8; 32]>()), true),
    };
    let mut response = Html(render(&payment, &token).into_string()).into_response();
    if fresh {
        let cookie = format!("{CSRF_COOKIE}={token}; Path=/pay; HttpOnly; SameSite=Strict");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response
}

/// The payment, if the form's CSRF token matches the cookie and the payment is still unpaid.
fn submittable(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
    token: &str,
) -> Result<Payment, Box<Response>> {
    let payment = load(state, id)?;
    let matches = csrf_cookie(headers)
        .is_some_and(|cookie| bool::from(cookie.as_bytes().ct_eq(token.as_bytes())));
    if !matches {
        tracing::warn!(payment = %id, "form refused: CSRF token missing or wrong");
        let page = message_page(
            "Session expired",
            "Сеанс истёк",
            "The form could not be accepted. Open the payment page again and repeat.",
            "Форма не принята. Откройте страницу оплаты заново и повторите.",
            Some(&format!("/pay/{id}")),
        );
        return Err(Box::new(
            (StatusCode::FORBIDDEN, Html(page.into_string())).into_response(),
        ));
    }
    if payment.status != PaymentStatus::Created {
        return Err(Box::new(
            Redirect::to(&format!("/pay/{id}")).into_response(),
        ));
    }
    Ok(payment)
}

/// Records the submission (once: a second one finds the payment no longer `created`) and sends
/// the browser to wait for the answer.
fn submit(
    state: &AppState,
    id: &str,
    method: PaymentMethod,
    hint: String,
    operator: Option<Operator>,
    outcome: Outcome,
) -> Response {
    let config = state.config();
    let delay = match outcome {
        Outcome::PendingWithoutCallback => config.pending,
        _ => config.processing,
    };
    let now = OffsetDateTime::now_utc();
    let submitted = state.store().update(id, |payment, _| {
        if payment.status != PaymentStatus::Created {
            return false;
        }
        payment.status = PaymentStatus::Pending;
        payment.method = Some(method);
        payment.payer_hint = Some(hint);
        payment.operator = operator;
        payment.submitted_at = Some(now);
        payment.settles_at = Some(now + delay);
        payment.outcome = Some(outcome);
        payment.callback_due = outcome != Outcome::PendingWithoutCallback;
        true
    });
    let submitted = submitted.unwrap_or_else(|error| {
        tracing::error!(payment = %id, %error, "recording a submission failed");
        None
    });
    if submitted == Some(true) {
        tracing::info!(payment = %id, method = method.as_str(), ?outcome, "payment submitted");
        if outcome != Outcome::PendingWithoutCallback {
            spawn_settlement(state.clone(), id.to_owned(), delay);
        }
    }
    Redirect::to(&format!("/pay/{id}")).into_response()
}

/// The payment, or the page to show instead (not found, or a database failure).
fn load(state: &AppState, id: &str) -> Result<Payment, Box<Response>> {
    match state.store().get(id, OffsetDateTime::now_utc()) {
        Ok(Some(payment)) => Ok(payment),
        Ok(None) => Err(Box::new(not_found())),
        Err(error) => {
            tracing::error!(payment = %id, %error, "reading a payment failed");
            let page = message_page(
                "Temporary failure",
                "Временный сбой",
                "The payment could not be read. Try again in a minute; nothing was charged twice.",
                "Не удалось прочитать платёж. Повторите через минуту; повторного списания не будет.",
                None,
            );
            Err(Box::new(
                (StatusCode::INTERNAL_SERVER_ERROR, Html(page.into_string())).into_response(),
            ))
        }
    }
}

fn csrf_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| {
            *name == CSRF_COOKIE
                && value.len() == 64
                && value.bytes().all(|b| b.is_ascii_hexdigit())
        })
        .map(|(_, value)| value.to_owned())
}

fn not_found() -> Response {
    let page = message_page(
        "Payment not found",
        "Платёж не найден",
        "The link is wrong or the payment has expired. Return to the portal and start the payment again.",
        "Ссылка неверна или срок платежа истёк. Вернитесь на портал и начните оплату заново.",
        None,
    );
    (StatusCode::NOT_FOUND, Html(page.into_string())).into_response()
}

// ---- Page templates ----

fn layout(title: &str, refresh: Option<u32>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(seconds) = refresh {
                    meta http-equiv="refresh" content=(seconds);
                }
                title { (title) " · e-pay" }
                link rel="stylesheet" href="/static/epay.css";
            }
            body {
                header.top {
                    div.brand {
                        span.logo { "e" span.dot { "·" } "pay" }
                        span.tagline {
                            "Электрондық үкіметтің төлем шлюзі · Платёжный шлюз электронного правительства · "
                            "E-government payment gateway"
                        }
                    }
                    span.sandbox { "SANDBOX · ТЕСТОВЫЙ РЕЖИМ" }
                }
                main { (body) }
                footer.bottom {
                    p { "Sandbox of the e-government payment gateway of the Republic of Kazakhstan. No real money is charged." }
                    p.ru { "Тестовая среда платёжного шлюза электронного правительства Республики Казахстан. Реальные деньги не списываются." }
                }
            }
        }
    }
}

fn summary(payment: &Payment) -> Markup {
    html! {
        section.summary aria-label="Payment" {
            dl {
                div { dt { "Recipient" small { "Получатель" } } dd { "Visa and Migration Portal of the Republic of Kazakhstan" } }
                div { dt { "Purpose" small { "Назначение" } } dd { (payment.description) } }
                div { dt { "Payer" small { "Плательщик" } } dd { (payment.payer) } }
                div { dt { "Order" small { "Заказ" } } dd.mono { (payment.order_id) } }
                div.amount { dt { "Amount" small { "Сумма" } } dd { (amount(payment)) } }
            }
        }
    }
}

fn choose_method(payment: &Payment) -> Markup {
    let id = &payment.id;
    layout(
        "Payment method",
        None,
        html! {
            h1 { "Payment method selection" small { "Выбор способа оплаты · Төлем тәсілін таңдау" } }
            (summary(payment))
            nav.methods aria-label="Payment methods" {
                a.method href={ "/pay/" (id) "/card" } {
                    span.icon.card aria-hidden="true" {}
                    strong { "Payment card" }
                    span { "Платёжная карта · Төлем картасы" }
                    span.note { "Visa, Mastercard" }
                }
                a.method href={ "/pay/" (id) "/wallet" } {
                    span.icon.wallet aria-hidden="true" {}
                    strong { "E-wallet" }
                    span { "Электронный кошелёк · Электрондық әмиян" }
                    span.note { "WAL-xxxxxx" }
                }
                a.method href={ "/pay/" (id) "/mobile" } {
                    span.icon.mobile aria-hidden="true" {}
                    strong { "Write-off from the mobile balance" }
                    span { "Списание с баланса мобильного телефона" }
                    span.note { "Activ · Kcell · Beeline" }
                }
            }
            p.back { a href=(payment.return_url) { "← Return to the portal · Вернуться на портал" } }
        },
    )
}

fn field(
    name: &str,
    label: &str,
    label_ru: &str,
    value: &str,
    error: Option<FieldError>,
    attrs: FieldAttrs<'_>,
) -> Markup {
    let error_id = format!("{name}-error");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(name) { (label) small { (label_ru) } }
            input id=(name) name=(name) type=(attrs.kind) value=(value)
                autocomplete=(attrs.autocomplete) inputmode=[attrs.inputmode]
                placeholder=[attrs.placeholder] maxlength=(attrs.maxlength)
                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())];
            @if let Some(error) = error {
                p.error id=(error_id) role="alert" { (error.en) span.ru { (error.ru) } }
            }
        }
    }
}

#[derive(Clone, Copy)]
struct FieldAttrs<'a> {
    kind: &'a str,
    autocomplete: &'a str,
    inputmode: Option<&'a str>,
    placeholder: Option<&'a str>,
    maxlength: u32,
}

fn card_page(payment: &Payment, csrf: &str, form: &CardForm, errors: &CardErrors) -> Markup {
    let text = FieldAttrs {
        kind: "text",
        autocomplete: "off",
        inputmode: None,
        placeholder: None,
        maxlength: 64,
    };
    layout(
        "Payment card",
        None,
        html! {
            h1 { "Card details" small { "Данные карты · Карта деректері" } }
            (summary(payment))
            @if errors.any() {
                p.alert role="alert" { "Please correct the fields marked below." span.ru { "Исправьте отмеченные поля." } }
            }
            form.pay method="post" action={ "/pay/" (payment.id) "/card" } novalidate {
                input type="hidden" name="csrf" value=(csrf);
                (field("number", "Card number", "Номер карты", &form.number, errors.number,
                    FieldAttrs { inputmode: Some("numeric"), placeholder: Some("4111 1111 1111 1111"), autocomplete: "cc-number", maxlength: 23, ..text }))
                div.row {
                    (field("expiry", "Valid thru (MM/YY)", "Срок действия (ММ/ГГ)", &form.expiry, errors.expiry,
                        FieldAttrs { inputmode: Some("numeric"), placeholder: Some("MM/YY"), autocomplete: "cc-exp", maxlength: 7, ..text }))
                    (field("cvv", "CVV/CVC", "Код CVV/CVC", "", errors.cvv,
                        FieldAttrs { kind: "password", inputmode: Some("numeric"), placeholder: Some("123"), autocomplete: "cc-csc", maxlength: 3 }))
                }
                (field("holder", "Cardholder name", "Имя владельца карты", &form.holder, errors.holder,
                    FieldAttrs { placeholder: Some("ANNA ERIKSSON"), autocomplete: "cc-name", maxlength: 60, ..text }))
                (pay_button(payment))
            }
            (test_data(PaymentMethod::Card))
            p.back { a href={ "/pay/" (payment.id) } { "← Another payment method · Другой способ оплаты" } }
        },
    )
}

fn wallet_page(payment: &Payment, csrf: &str, value: &str, error: Option<FieldError>) -> Markup {
    layout(
        "E-wallet",
        None,
        html! {
            h1 { "E-wallet" small { "Электронный кошелёк · Электрондық әмиян" } }
            (summary(payment))
            form.pay method="post" action={ "/pay/" (payment.id) "/wallet" } novalidate {
                input type="hidden" name="csrf" value=(csrf);
                (field("wallet", "E-wallet number", "Номер электронного кошелька", value, error,
                    FieldAttrs { kind: "text", autocomplete: "off", inputmode: None, placeholder: Some("WAL-100001"), maxlength: 20 }))
                (pay_button(payment))
            }
            (test_data(PaymentMethod::Wallet))
            p.back { a href={ "/pay/" (payment.id) } { "← Another payment method · Другой способ оплаты" } }
        },
    )
}

fn mobile_page(payment: &Payment, csrf: &str, value: &str, error: Option<FieldError>) -> Markup {
    layout(
        "Mobile balance",
        None,
        html! {
            h1 { "Write-off from the mobile balance" small { "Списание с баланса мобильного телефона · Ұялы телефон балансынан төлеу" } }
            (summary(payment))
            form.pay method="post" action={ "/pay/" (payment.id) "/mobile" } novalidate {
                input type="hidden" name="csrf" value=(csrf);
                (field("phone", "Phone number (Activ, Kcell, Beeline)", "Номер телефона (Activ, Kcell, Beeline)", value, error,
                    FieldAttrs { kind: "tel", autocomplete: "tel", inputmode: Some("tel"), placeholder: Some("+7 701 555 0101"), maxlength: 20 }))
                p.hint { "Kcell +7 701, 702 · Activ +7 775, 778 · Beeline +7 705, 771, 776, 777" }
                (pay_button(payment))
            }
            (test_data(PaymentMethod::Mobile))
            p.back { a href={ "/pay/" (payment.id) } { "← Another payment method · Другой способ оплаты" } }
        },
    )
}

/// The documented test values, folded away, so a newcomer need not look them up.
fn test_data(method: PaymentMethod) -> Markup {
    let rows: &[(&str, &str)] = match method {
        PaymentMethod::Card => &[
            ("4111 1111 1111 1111, 5555 5555 5555 4444", "paid · оплачен"),
            ("4000 0000 0000 0002", "declined · отклонён"),
            (
                "4000 0000 0000 0044",
                "pending 20 s, no callback · ожидание, без уведомления",
            ),
            (
                "4000 0000 0000 0069",
                "paid, callback sent three times · тройное уведомление",
            ),
        ],
        PaymentMethod::Wallet => &[
            ("WAL-100001", "paid · оплачен"),
            (
                "WAL-100002",
                "declined: insufficient funds · недостаточно средств",
            ),
        ],
        PaymentMethod::Mobile => &[
            ("+7 701 555 0101", "paid (Kcell) · оплачен"),
            (
                "+7 701 000 0000",
                "declined: insufficient balance · недостаточно средств",
            ),
            (
                "+7 707 555 0101",
                "operator not supported · оператор не поддерживается",
            ),
        ],
    };
    html! {
        details.testdata {
            summary { "Sandbox test data · Тестовые данные" }
            ul {
                @for (value, outcome) in rows {
                    li { span.mono { (value) } " — " (outcome) }
                }
            }
            @if method == PaymentMethod::Card {
                p { "Any future expiry, any 3-digit CVV, any name. · Любой срок в будущем, любой CVV из 3 цифр, любое имя." }
            }
        }
    }
}

fn pay_button(payment: &Payment) -> Markup {
    html! {
        button.primary type="submit" { "Pay " (amount(payment)) " · Оплатить" }
        p.hint { "After pressing “Pay”, wait for the server's answer. · После нажатия «Оплатить» дождитесь ответа сервера." }
    }
}

fn waiting(payment: &Payment) -> Markup {
    layout(
        "Waiting for the answer",
        Some(2),
        html! {
            section.waiting role="status" {
                div.spinner aria-hidden="true" {}
                h1 { "Please wait for the server's answer" small { "Дождитесь ответа сервера · Сервер жауабын күтіңіз" } }
                p { "The payment is being processed. This page refreshes by itself; do not close it or pay again." }
                p.ru { "Платёж обрабатывается. Страница обновится сама; не закрывайте её и не оплачивайте повторно." }
                p.mono { (amount(payment)) " · " (payment.payer_hint.as_deref().unwrap_or("")) }
                p.back { a href=(payment.return_url) { "Return to the portal (the status can be updated there) · Вернуться на портал" } }
            }
        },
    )
}

fn receipt(payment: &Payment) -> Markup {
    let paid = payment.status == PaymentStatus::Paid;
    let method = match (payment.method, payment.operator) {
        (Some(PaymentMethod::Card), _) => "Payment card · Платёжная карта".to_owned(),
        (Some(PaymentMethod::Wallet), _) => "E-wallet · Электронный кошелёк".to_owned(),
        (Some(PaymentMethod::Mobile), Some(operator)) => {
            format!("Mobile balance · Баланс телефона ({})", operator.name())
        }
        (Some(PaymentMethod::Mobile), None) => "Mobile balance · Баланс телефона".to_owned(),
        (None, _) => String::new(),
    };
    let when = payment
        .paid_at
        .or(payment.submitted_at)
        .map(|t| date_time(t.to_offset(ASTANA)))
        .unwrap_or_default();
    layout(
        if paid {
            "Electronic check"
        } else {
            "Payment declined"
        },
        None,
        html! {
            @if paid {
                article.receipt aria-labelledby="receipt-title" {
                    header {
                        span.logo { "e" span.dot { "·" } "pay" }
                        h1 id="receipt-title" { "Electronic check" small { "Электронный чек · Электрондық чек" } }
                        p.ok { "✓ Payment completed · Оплата прошла успешно" }
                    }
                    dl {
                        div { dt { "Receipt number" small { "Номер чека" } } dd.mono { (payment.receipt_number.as_deref().unwrap_or("")) } }
                        div { dt { "Date and time" small { "Дата и время" } } dd { (when) } }
                        div { dt { "Recipient" small { "Получатель" } } dd { "Visa and Migration Portal of the Republic of Kazakhstan" } }
                        div { dt { "Purpose" small { "Назначение платежа" } } dd { (payment.description) } }
                        div { dt { "Payer" small { "Плательщик" } } dd { (payment.payer) } }
                        div { dt { "Paid with" small { "Способ оплаты" } } dd { (method) " " span.mono { (payment.payer_hint.as_deref().unwrap_or("")) } } }
                        div { dt { "Order" small { "Заказ" } } dd.mono { (payment.order_id) } }
                        div { dt { "Transaction" small { "Транзакция" } } dd.mono { (payment.id) } }
                        div.amount { dt { "Amount" small { "Сумма" } } dd { (amount(payment)) } }
                    }
                    p.stamp { "e-pay · PAID · ОПЛАЧЕНО" }
                }
                div.actions.no-print {
                    button.secondary id="print" type="button" { "Print · Печать" }
                    a.primary href=(payment.return_url) { "Return to the portal · Вернуться на портал" }
                }
                p.hint.no-print { "To print or save the check as PDF, use your browser's Print command (Ctrl+P). · Чтобы распечатать или сохранить чек в PDF, используйте печать браузера (Ctrl+P)." }
                script src="/static/print.js" {}
            } @else {
                section.declined role="alert" {
                    h1 { "Payment declined" small { "Платёж отклонён · Төлем қабылданбады" } }
                    @if let Some(reason) = payment.decline_reason {
                        p { (reason.text().en) }
                        p.ru { (reason.text().ru) }
                    }
                    dl {
                        div { dt { "Date and time" small { "Дата и время" } } dd { (when) } }
                        div { dt { "Paid with" small { "Способ оплаты" } } dd { (method) " " span.mono { (payment.payer_hint.as_deref().unwrap_or("")) } } }
                        div { dt { "Order" small { "Заказ" } } dd.mono { (payment.order_id) } }
                        div.amount { dt { "Amount" small { "Сумма" } } dd { (amount(payment)) } }
                    }
                    p { "No money was charged. Return to the portal to try again." }
                    p.ru { "Деньги не списаны. Вернитесь на портал, чтобы повторить оплату." }
                    div.actions { a.primary href=(payment.return_url) { "Return to the portal · Вернуться на портал" } }
                }
            }
        },
    )
}

fn message_page(
    title: &str,
    title_ru: &str,
    text: &str,
    text_ru: &str,
    link: Option<&str>,
) -> Markup {
    layout(
        title,
        None,
        html! {
            section.message role="alert" {
                h1 { (title) small { (title_ru) } }
                p { (text) }
                p.ru { (text_ru) }
                @if let Some(link) = link {
                    p { a.primary href=(link) { "Open the payment page · Открыть страницу оплаты" } }
                }
            }
        },
    )
}

/// `80.00 USD`.
fn amount(payment: &Payment) -> String {
    format!(
        "{}.{:02} {}",
        payment.amount_minor / 100,
        payment.amount_minor % 100,
        payment.currency
    )
}

/// `25.11.2026 15:30:00 (UTC+5)`.
fn date_time(t: OffsetDateTime) -> String {
    format!(
        "{:02}.{:02}.{} {:02}:{:02}:{:02} (UTC+5)",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}
