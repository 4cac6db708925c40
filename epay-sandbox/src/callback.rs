//! Telling the merchant: after a submitted payment's processing time, settle it and POST the
//! signed result to its `callback_url`, retrying with exponential backoff until a 2xx answer.
//! The documented duplicate card gets three deliveries; the pending card gets none.

use std::time::Duration;

use time::OffsetDateTime;

use crate::AppState;
use crate::api::notice;
use crate::payment::{Outcome, Payment};
use crate::store::settle;

/// After `delay`, settles the payment and delivers its callback(s), in a background task.
pub fn spawn_settlement(state: AppState, payment_id: String, delay: Duration) {
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let due = state.store().update(&payment_id, |payment, receipts| {
            settle(payment, receipts);
            if payment.status.is_final() && payment.callback_due {
                payment.callback_due = false;
                Some(payment.clone())
            } else {
                None
            }
        });
        let due = match due {
            Ok(due) => due.flatten(),
            Err(error) => {
                tracing::error!(payment = %payment_id, %error, "settling failed");
                None
            }
        };
        if let Some(payment) = due {
            let times = match payment.outcome {
                Some(Outcome::PaidWithDuplicateCallbacks) => 3,
                _ => 1,
            };
            for _ in 0..times {
                deliver(&state, &payment).await;
            }
        }
    });
}

/// Sends one callback, retrying on any failure; returns whether the merchant took it.
pub async fn deliver(state: &AppState, payment: &Payment) -> bool {
    let policy = state.config().callbacks;
    let body = serde_json::to_vec(&notice(payment)).unwrap_or_default();
    let mut wait = policy.first_retry;
    for attempt in 1..=policy.attempts.max(1) {
        match send(state, &payment.callback_url, &body).await {
            Ok(status) if status.is_success() => {
                tracing::info!(payment = %payment.id, attempt, %status, "callback delivered");
                return true;
            }
            Ok(status) => {
                tracing::warn!(payment = %payment.id, attempt, %status, "callback refused");
            }
            Err(error) => {
                tracing::warn!(payment = %payment.id, attempt, %error, "callback failed");
            }
        }
        if attempt < policy.attempts {
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(policy.max_delay);
        }
    }
    tracing::error!(payment = %payment.id, "callback given up; the merchant can still ask the status API");
    false
}

async fn send(
    state: &AppState,
    url: &str,
    body: &[u8],
) -> Result<reqwest::StatusCode, reqwest::Error> {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let mut request = state
        .http()
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json");
    for (name, value) in state
        .secrets()
        .headers(&state.config().merchant_id, now, body)
    {
        request = request.header(name, value);
    }
    Ok(request.body(body.to_vec()).send().await?.status())
}
