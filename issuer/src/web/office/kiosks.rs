//! `/office/kiosks`: the registered kiosks with their airport and last upload (time and last
//! record), and the upload of a kiosk's signed ledger export: believed only when a registered,
//! unrevoked kiosk signed it, exactly as `issuer ledger-import` (both call `service/kiosk.rs`); a
//! refused file gets its reason. Every route asks for [`Duty::Ledgers`].

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use shared::labels::port as port_words;
use subtle::ConstantTimeEq;
use tower_http::limit::RequestBodyLimitLayer;

use super::OfficeCtx;
use super::layout::{self, csrf};
use super::visas::when;
use crate::domain::kiosk::ChainImport;
use crate::domain::office::Duty;
use crate::i18n::msg::{Office, OfficeAccess, OfficeOps};
use crate::service::kiosk::import_ledger;
use crate::service::trust::By;
use crate::store::Checked;
use crate::store::kiosk::{self as kiosks, KioskRow, LastUpload};
use crate::web::{AppError, AppState};

/// The largest upload read: the largest export a kiosk writes, and room for the form around it.
pub const UPLOAD_LIMIT: usize = shared::ledger::MAX_EXPORT_BYTES + 64 * 1024;

/// The page's routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/office/kiosks", get(show))
}

/// The upload route, with its own body limit (the portal's other routes take 32 KiB); the
/// server merges it outside the portal's limit.
pub fn upload_router() -> Router<AppState> {
    Router::new()
        .route("/office/kiosks/upload", post(upload))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
        .layer(RequestBodyLimitLayer::new(UPLOAD_LIMIT))
}

/// What became of an upload.
enum Outcome {
    Imported { kiosk: String, done: ChainImport },
    Refused(String),
    NoFile,
}

async fn show(State(state): State<AppState>, ctx: OfficeCtx) -> Result<Html<String>, AppError> {
    ctx.require(Duty::Ledgers)?;
    page(&state, &ctx, None).await
}

async fn upload(
    State(state): State<AppState>,
    ctx: OfficeCtx,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    ctx.require(Duty::Ledgers)?;
    let refused = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::BadRequest
        }
    };
    let mut token_ok = false;
    let mut file: Option<Vec<u8>> = None;
    while let Some(field) = multipart.next_field().await.map_err(refused)? {
        match field.name() {
            Some("csrf") => {
                let sent = field.text().await.map_err(refused)?;
                token_ok =
                    !sent.is_empty() && bool::from(sent.as_bytes().ct_eq(ctx.csrf.as_bytes()));
            }
            Some("file") => {
                let bytes = field.bytes().await.map_err(refused)?;
                if !bytes.is_empty() {
                    file = Some(bytes.to_vec());
                }
            }
            _ => {}
        }
    }
    if !token_ok {
        return Err(AppError::Csrf);
    }
    let outcome = match file {
        None => Outcome::NoFile,
        Some(bytes) => {
            let by = By::officer(&ctx.officer.email, ctx.address());
            let clock = state.clock.clone();
            match state
                .db
                .call(move |conn| import_ledger(conn, &clock, &by, &bytes))
                .await?
            {
                Checked::Stored((export, done)) => Outcome::Imported {
                    kiosk: export.kiosk().id.to_string(),
                    done,
                },
                Checked::Refused(refusal) => Outcome::Refused(refusal.to_string()),
            }
        }
    };
    let status = match outcome {
        Outcome::Imported { .. } => StatusCode::OK,
        Outcome::Refused(_) | Outcome::NoFile => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, page(&state, &ctx, Some(outcome)).await?).into_response())
}

async fn page(
    state: &AppState,
    ctx: &OfficeCtx,
    outcome: Option<Outcome>,
) -> Result<Html<String>, AppError> {
    let l = ctx.lang;
    let (rows, uploads): (Vec<KioskRow>, Vec<LastUpload>) = state
        .db
        .call(|conn| Ok((kiosks::kiosks(conn)?, kiosks::last_uploads(conn)?)))
        .await?;
    let body = html! {
        h1 { (Office::Kiosks.text(l)) }
        @match &outcome {
            Some(Outcome::Imported { kiosk, done }) => {
                div.notice.success role="status" {
                    strong { (OfficeOps::Imported.text(l)) } " " (OfficeOps::Kiosk.text(l)) " " (kiosk) ". "
                    (OfficeOps::NewRecords.text(l)) ": " (done.new) "; "
                    (OfficeOps::KnownRecords.text(l)) ": " (done.known) "; "
                    (OfficeOps::NewEntries.text(l)) ": " (done.entries) "."
                }
            }
            Some(Outcome::Refused(why)) => {
                div.notice.error role="alert" { (OfficeOps::Refused.text(l)) " " span.reason lang="en" { (why) } }
            }
            Some(Outcome::NoFile) => {
                div.notice.error role="alert" { (OfficeOps::NoFile.text(l)) }
            }
            None => {}
        }
        h2 { (OfficeOps::RegisteredKiosks.text(l)) }
        @if rows.is_empty() {
            p.muted { (OfficeOps::NoKiosks.text(l)) }
        } @else {
            (table(ctx, &rows, &uploads))
        }
        h2 { (OfficeOps::UploadLedger.text(l)) }
        form method="post" action="/office/kiosks/upload" enctype="multipart/form-data" {
            (csrf(ctx))
            div.field {
                label for="f-file" { (OfficeOps::ExportFile.text(l)) span.req { " *" } }
                input id="f-file" name="file" type="file" required;
                small.hint { (OfficeOps::UploadHint.text(l)) }
            }
            div.actions { button.primary type="submit" { (OfficeOps::Upload.text(l)) } }
        }
    };
    Ok(layout::page(ctx, Office::Kiosks.text(l), body))
}

fn table(ctx: &OfficeCtx, rows: &[KioskRow], uploads: &[LastUpload]) -> Markup {
    let l = ctx.lang;
    html! {
        table.list {
            thead { tr {
                th { (OfficeOps::Kiosk.text(l)) }
                th { (OfficeOps::Port.text(l)) }
                th { (OfficeOps::KeyId.text(l)) }
                th { (OfficeAccess::State.text(l)) }
                th { (OfficeOps::LastUpload.text(l)) }
                th { (OfficeOps::LastRecord.text(l)) }
            } }
            tbody {
                @for row in rows {
                    @let id = row.kiosk.id.to_string();
                    @let upload = uploads.iter().find(|u| u.kiosk_id == id);
                    tr {
                        td { (id) }
                        td { (row.kiosk.port.code()) " · " (port_words(row.kiosk.port).get(l.into())) }
                        td { code { (row.kiosk.kid().to_string()) } }
                        td {
                            @if let Some((at, why)) = &row.revoked {
                                span.status.revoked { (OfficeOps::StateRevoked.text(l)) }
                                small.hint { (when(at)) ": " (why) }
                            } @else {
                                span.status.issued { (OfficeOps::KioskActive.text(l)) }
                            }
                        }
                        @if let Some(upload) = upload {
                            td.nowrap { (when(&upload.imported_at)) }
                            td { "#" (upload.last_seq) }
                        } @else {
                            td.muted { (OfficeOps::NoUploadYet.text(l)) }
                            td { (crate::web::layout::dash()) }
                        }
                    }
                }
            }
        }
    }
}
