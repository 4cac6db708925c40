//! The merchant's JSON API: create a payment (idempotent by order id) and read its status. Every
//! request must be signed by the merchant; every response is signed by the gateway.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use epay_contract::{ApiError, CreatePayment, PaymentCreated, PaymentNotice, PaymentStatus};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::AppState;
use crate::payment::Payment;
use crate::store::Created;

/// The API's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/payments", post(create))
        .route("/api/v1/payments/{id}", get(status))
}

/// A payment as the status API answers and the callbacks carry it.
pub fn notice(p: &Payment) -> PaymentNotice {
    PaymentNotice {
        payment_id: p.id.clone(),
        order_id: p.order_id.clone(),
        status: p.status,
        amount_minor: p.amount_minor,
        currency: p.currency.clone(),
        method: p.method,
        paid_at: p.paid_at.and_then(|t| t.format(&Rfc3339).ok()),
        receipt_number: p.receipt_number.clone(),
        payer_hint: p.payer_hint.clone(),
    }
}

async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(error) = authenticate(&state, &headers, &body) {
        return refuse(&state, StatusCode::UNAUTHORIZED, &error.to_string());
    }
    let request: CreatePayment = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            return refuse(
                &state,
                StatusCode::BAD_REQUEST,
                &format!("invalid payment JSON: {error}"),
            );
        }
    };
    if let Err(message) = check(&request) {
        return refuse(&state, StatusCode::UNPROCESSABLE_ENTITY, message);
    }
    let payment = Payment {
        id: new_id(),
        order_id: request.order_id,
        amount_minor: request.amount_minor,
        currency: request.currency,
        description: request.description,
        payer: request.payer,
        return_url: request.return_url,
        callback_url: request.callback_url,
        status: PaymentStatus::Created,
        method: None,
        payer_hint: None,
        operator: None,
        decline_reason: None,
        created_at: OffsetDateTime::now_utc(),
        submitted_at: None,
        settles_at: None,
        outcome: None,
        callback_due: false,
        paid_at: None,
        receipt_number: None,
        lang: request.lang,
    };
    let created = match state.store().create(payment) {
        Ok(created) => created,
        Err(error) => {
            tracing::error!(%error, "creating a payment failed");
            return refuse(&state, StatusCode::INTERNAL_SERVER_ERROR, "internal error");
        }
    };
    let (code, payment) = match created {
        Created::New(p) => {
            tracing::info!(payment = %p.id, order = %p.order_id, amount = p.amount_minor, "payment created");
            (StatusCode::CREATED, p)
        }
        Created::Existing(p) => (StatusCode::OK, p),
        Created::Conflict => {
            return refuse(
                &state,
                StatusCode::CONFLICT,
                "this order_id was already used with another amount, currency or URL",
            );
        }
    };
    let created = PaymentCreated {
        pay_url: format!("{}/pay/{}", state.public_url(), payment.id),
        payment_id: payment.id,
    };
    signed_json(&state, code, &created)
}

async fn status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(error) = authenticate(&state, &headers, &body) {
        return refuse(&state, StatusCode::UNAUTHORIZED, &error.to_string());
    }
    match state.store().get(&id, OffsetDateTime::now_utc()) {
        Ok(Some(payment)) => signed_json(&state, StatusCode::OK, &notice(&payment)),
        Ok(None) => refuse(&state, StatusCode::NOT_FOUND, "no such payment"),
        Err(error) => {
            tracing::error!(%error, "reading a payment failed");
            refuse(&state, StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

/// Checks the merchant and the signature of a request.
fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), epay_contract::SignatureError> {
    state.secrets().authenticate(
        &state.config().merchant_id,
        |name| headers.get(name).and_then(|v| v.to_str().ok()),
        body,
        OffsetDateTime::now_utc().unix_timestamp(),
    )
}

fn check(request: &CreatePayment) -> Result<(), &'static str> {
    let id = &request.order_id;
    if id.is_empty()
        || id.len() > 128
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    {
        return Err("order_id is 1 to 128 letters, digits and - _ . :");
    }
    if !(1..=100_000_000).contains(&request.amount_minor) {
        return Err("amount_minor must be between 1 and 100000000");
    }
    if request.currency != "USD" && request.currency != "KZT" {
        return Err("currency must be USD or KZT");
    }
    if request.description.chars().count() > 500 || request.payer.chars().count() > 200 {
        return Err("description is at most 500 characters and payer at most 200");
    }
    for url in [&request.return_url, &request.callback_url] {
        let ok = (url.starts_with("http://") || url.starts_with("https://"))
            && url.len() <= 2048
            && !url.chars().any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            return Err("return_url and callback_url must be http(s) URLs");
        }
    }
    Ok(())
}

/// A JSON response with the gateway's signature headers.
pub fn signed_json(state: &AppState, code: StatusCode, value: &impl Serialize) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let mut response = (
        code,
        [(header::CONTENT_TYPE, "application/json")],
        body.clone(),
    )
        .into_response();
    for (name, value) in state
        .secrets()
        .headers(&state.config().merchant_id, now, &body)
    {
        if let Ok(value) = value.parse() {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

fn refuse(state: &AppState, code: StatusCode, message: &str) -> Response {
    tracing::warn!(%code, message, "API request refused");
    let error = ApiError {
        error: message.to_owned(),
    };
    signed_json(state, code, &error)
}

/// A new unguessable id: `pay_` and 32 hex digits.
fn new_id() -> String {
    let bytes: [u8; 16] = rand::random();
    format!("pay_{}", hex::encode(bytes))
}
