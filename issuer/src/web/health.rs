//! The load balancer's probes (`docs/operations.md`, "Health, readiness and shutdown"):
//! `GET /healthz` says the process answers; `GET /readyz` says this instance can serve the portal
//! now: its database answers a trivial query and its signing keys load. Neither touches a
//! session or sets a cookie, and neither is throttled.

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use super::AppState;

/// How long readiness waits for the database or the key directory before saying "not ready".
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// What `/readyz` answers, as JSON.
#[derive(Debug, Serialize)]
struct Readiness {
    /// `ready` or `not_ready`.
    status: &'static str,
    /// `ok`, or why the database is not usable.
    database: String,
    /// `ok`, or why no visa could be signed now.
    signing_key: String,
}

/// The probes' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// Liveness: the process runs and its HTTP server answers. Nothing else is asked, so a slow
/// database never makes the balancer restart a healthy process.
async fn healthz() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "ok\n",
    )
        .into_response()
}

/// Readiness: 200 when the database answers and the signing keys load, else 503 with the reason
/// of each part (no paths, keys or SQL: the cause itself goes to the log).
async fn readyz(State(state): State<AppState>) -> Response {
    let db = state.db.clone();
    let database = match tokio::time::timeout(PROBE_TIMEOUT, db.ping()).await {
        Ok(Ok(())) => "ok".to_owned(),
        Ok(Err(error)) => {
            tracing::warn!(
                error = format!("{error:#}"),
                "readiness: the database failed"
            );
            "the database did not answer".to_owned()
        }
        Err(_) => format!(
            "the database did not answer within {} s",
            PROBE_TIMEOUT.as_secs()
        ),
    };
    let (signer, now) = (state.key.clone(), state.clock.now());
    let loaded = tokio::task::spawn_blocking(move || signer.load()?.ready_at(now));
    let signing_key = match tokio::time::timeout(PROBE_TIMEOUT, loaded).await {
        Ok(Ok(Ok(()))) => "ok".to_owned(),
        Ok(Ok(Err(error))) => {
            tracing::warn!(
                error = format!("{error:#}"),
                "readiness: the signing keys failed"
            );
            "the signing keys could not be loaded".to_owned()
        }
        Ok(Err(_)) => "the signing keys could not be loaded".to_owned(),
        Err(_) => format!(
            "the signing keys did not load within {} s",
            PROBE_TIMEOUT.as_secs()
        ),
    };
    let ready = database == "ok" && signing_key == "ok";
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Readiness {
        status: if ready { "ready" } else { "not_ready" },
        database,
        signing_key,
    };
    (status, axum::Json(body)).into_response()
}
