//! `/office/keys`: the signing keys of the key directory with their certificate periods (a
//! warning 60 days before one ends), revoking a key (supervisor, reason and confirmation
//! required), and downloading the next trust bundle (supervisor; the same file and sequence
//! numbers as `issuer bundle export`). Each action is audited by `service/trust.rs`.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use super::layout::{self, csrf};
use super::visas::when;
use super::{OfficeCtx, OfficePosted};
use crate::clock::rfc3339;
use crate::domain::office::Duty;
use crate::i18n::Lang;
use crate::i18n::msg::{Frame, Office, OfficeAccess, OfficeOps};
use crate::keys::keyfile;
use crate::keys::keyring::Keyring;
use crate::service::trust::{self, By};
use crate::store::trust::{RevokedKey, revocation_reason};
use crate::web::{AppError, AppState, TrustFiles};

/// How long before a certificate ends the page warns.
pub const WARN_BEFORE: Duration = Duration::days(60);

/// The routes of `/office/keys`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/keys", get(show))
        .route("/office/keys/revoke", post(revoke))
        .route("/office/keys/bundle", post(bundle))
}

/// A key of the directory as the page shows it.
#[derive(Debug, Clone)]
struct KeyView {
    name: String,
    kid: String,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    signs: bool,
    revoked: Option<RevokedKey>,
}

/// Where a key stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyState {
    Revoked,
    Ended,
    Ending,
    InForce,
}

impl KeyView {
    fn state(&self, now: OffsetDateTime) -> KeyState {
        if self.revoked.is_some() {
            KeyState::Revoked
        } else if self.not_after <= now {
            KeyState::Ended
        } else if self.not_after - now <= WARN_BEFORE {
            KeyState::Ending
        } else {
            KeyState::InForce
        }
    }
}

/// What the key directory and the database say.
#[derive(Debug)]
struct KeysData {
    /// `None`: no key directory (one key file); `Some(Err)`: it could not be read.
    keys: Option<Result<Vec<KeyView>, ()>>,
    last_bundle: Option<(u64, String, String)>,
    root_key: bool,
}

#[derive(Debug, Deserialize)]
struct ShowQuery {
    done: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RevokeForm {
    #[serde(default)]
    kid: String,
    #[serde(default)]
    reason: String,
    confirm: Option<String>,
}

/// What is wrong with a key revocation form.
#[derive(Debug, Default)]
struct FormProblems {
    kid: Option<OfficeOps>,
    reason: Option<OfficeOps>,
    confirm: Option<OfficeOps>,
}

async fn show(
    State(state): State<AppState>,
    ctx: OfficeCtx,
    Query(query): Query<ShowQuery>,
) -> Result<Response, AppError> {
    ctx.require(Duty::Keys)?;
    let data = load(&state).await?;
    let notice = match query.done.as_deref() {
        Some("key-revoked") => Some(OfficeOps::KeyRevoked),
        Some("key-already") => Some(OfficeOps::KeyAlreadyRevoked),
        _ => None,
    };
    let now = state.clock.now();
    Ok(page(&ctx, &data, now, notice, &FormProblems::default(), None).into_response())
}

async fn revoke(
    State(state): State<AppState>,
    OfficePosted { ctx, form }: OfficePosted<RevokeForm>,
) -> Result<Response, AppError> {
    ctx.require(Duty::RevokeKey)?;
    let data = load(&state).await?;
    let kid = form.kid.trim().to_ascii_lowercase();
    let known = matches!(&data.keys, Some(Ok(keys)) if keys.iter().any(|k| k.kid == kid && k.revoked.is_none()));
    let problems = FormProblems {
        kid: (!known).then_some(OfficeOps::PickKey),
        reason: revocation_reason(&form.reason)
            .is_err()
            .then_some(OfficeOps::ReasonRequired),
        confirm: (form.confirm.as_deref() != Some("yes")).then_some(OfficeOps::ConfirmRequired),
    };
    if problems.kid.is_some() || problems.reason.is_some() || problems.confirm.is_some() {
        let view = page(&ctx, &data, state.clock.now(), None, &problems, Some(&form));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
    }
    let by = officer(&ctx);
    let clock = state.clock.clone();
    let reason = form.reason.clone();
    let newly = state
        .db
        .call(move |conn| trust::revoke_key(conn, &clock, &by, &kid, &reason))
        .await?;
    let done = if newly { "key-revoked" } else { "key-already" };
    Ok(Redirect::to(&format!("/office/keys?done={done}")).into_response())
}

/// Signs, records and downloads the next trust bundle.
async fn bundle(
    State(state): State<AppState>,
    OfficePosted { ctx, form: _ }: OfficePosted<Empty>,
) -> Result<Response, AppError> {
    ctx.require(Duty::ExportBundle)?;
    let files = state.trust.get().cloned().ok_or(AppError::NotFound)?;
    let Some(root_path) = files.root_key.clone() else {
        return Err(AppError::NotFound);
    };
    // Reading the key files touches the disk: on a blocking thread, before the transaction.
    let (root, certificates) = tokio::task::spawn_blocking(move || {
        let root = keyfile::load_private(&root_path)?;
        let keyring = Keyring::load(&files.key_dir, &files.root_public)?;
        anyhow::Ok((root, keyring.certificates()))
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))??;
    let by = officer(&ctx);
    let clock = state.clock.clone();
    let exported = state
        .db
        .call(move |conn| trust::export_bundle(conn, &clock, &by, &root, certificates.clone()))
        .await?;
    let disposition = format!(
        "attachment; filename=\"trust-{}.kztrust\"",
        exported.sequence
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        exported.bytes,
    )
        .into_response())
}

/// A form with nothing but its CSRF token.
#[derive(Debug, Deserialize)]
struct Empty {}

fn officer(ctx: &OfficeCtx) -> By {
    By::officer(&ctx.officer.email, ctx.address())
}

/// Reads the key directory (on a blocking thread), the revoked keys and the last bundle.
async fn load(state: &AppState) -> Result<KeysData, AppError> {
    let files: Option<TrustFiles> = state.trust.get().cloned();
    let (revoked, last_bundle) = state
        .db
        .call(|conn| {
            Ok((
                crate::store::trust::revoked_keys(conn)?,
                crate::store::trust::last_bundle_export(conn)?,
            ))
        })
        .await?;
    let root_key = files.as_ref().is_some_and(|f| f.root_key.is_some());
    let keys = match files {
        None => None,
        Some(files) => {
            let read = tokio::task::spawn_blocking(move || {
                Keyring::load(&files.key_dir, &files.root_public)
            })
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
            Some(match read {
                Ok(keyring) => Ok(keyring
                    .keys()
                    .iter()
                    .map(|k| {
                        let kid = k.certificate.key().kid().to_string();
                        KeyView {
                            name: k.name.clone(),
                            revoked: revoked.iter().find(|r| r.kid == kid).cloned(),
                            kid,
                            not_before: k.certificate.not_before(),
                            not_after: k.certificate.not_after(),
                            signs: k.signing.is_some(),
                        }
                    })
                    .collect()),
                Err(error) => {
                    tracing::error!(
                        error = format!("{error:#}"),
                        "the key directory could not be read"
                    );
                    Err(())
                }
            })
        }
    };
    Ok(KeysData {
        keys,
        last_bundle,
        root_key,
    })
}

fn state_cell(l: Lang, state: KeyState) -> Markup {
    html! {
        @match state {
            KeyState::Revoked => span.status.revoked { (OfficeOps::StateRevoked.text(l)) },
            KeyState::Ended => span.status.ended { (OfficeOps::KeyEnded.text(l)) },
            KeyState::Ending => span.status.ending { (OfficeOps::EndsSoon.text(l)) },
            KeyState::InForce => span.status.issued { (OfficeOps::KeyActive.text(l)) },
        }
    }
}

fn page(
    ctx: &OfficeCtx,
    data: &KeysData,
    now: OffsetDateTime,
    notice: Option<OfficeOps>,
    problems: &FormProblems,
    form: Option<&RevokeForm>,
) -> axum::response::Html<String> {
    let l = ctx.lang;
    let may_revoke = ctx.officer.role.may(Duty::RevokeKey);
    let may_export = ctx.officer.role.may(Duty::ExportBundle);
    let body = html! {
        h1 { (Office::Keys.text(l)) }
        @if let Some(notice) = notice {
            (crate::web::layout::notice("success", notice.text(l)))
        }
        h2 { (OfficeOps::SigningKeys.text(l)) }
        @match &data.keys {
            None => p.muted { (OfficeOps::NoKeyDirectory.text(l)) },
            Some(Err(())) => (crate::web::layout::notice("error", OfficeOps::KeysUnreadable.text(l))),
            Some(Ok(keys)) => {
                @for key in keys.iter().filter(|k| k.state(now) == KeyState::Ending) {
                    @let left = u64::try_from((key.not_after - now).whole_days()).unwrap_or(0);
                    div.notice.warning role="alert" {
                        strong { (key.name) " (" (key.kid) ")" } ": " (OfficeOps::KeyEnding.text(l))
                        br;
                        (OfficeOps::CertifiedUntil.text(l)) ": " (when(&rfc3339(key.not_after))) " · "
                        (OfficeOps::DaysLeft.text(l)) ": " (shared::labels::DAY.count(l.into(), left))
                    }
                }
                table.list.keys {
                    thead { tr {
                        th { (OfficeOps::KeyName.text(l)) }
                        th { (OfficeOps::KeyId.text(l)) }
                        th { (OfficeOps::CertifiedFrom.text(l)) }
                        th { (OfficeOps::CertifiedUntil.text(l)) }
                        th { (OfficeOps::Signs.text(l)) }
                        th { (OfficeAccess::State.text(l)) }
                    } }
                    tbody {
                        @for key in keys {
                            tr {
                                td { (key.name) }
                                td { code { (key.kid) } }
                                td.nowrap { (when(&rfc3339(key.not_before))) }
                                td.nowrap { (when(&rfc3339(key.not_after))) }
                                td { (if key.signs { Frame::Yes.text(l) } else { Frame::No.text(l) }) }
                                td {
                                    (state_cell(l, key.state(now)))
                                    @if let Some(r) = &key.revoked {
                                        small.hint { (when(&r.revoked_at)) ": " (r.reason) }
                                    }
                                }
                            }
                        }
                    }
                }
                @if may_revoke {
                    (revoke_form(ctx, keys, problems, form))
                }
            }
        }
        h2 { (OfficeOps::TrustBundle.text(l)) }
        p {
            @if let Some((sequence, at, sha)) = &data.last_bundle {
                (OfficeOps::LastBundle.text(l)) ": " strong { "#" (sequence) } " · " (when(at)) " · SHA-256 " code.hash { (sha) }
            } @else {
                (OfficeOps::NoBundleYet.text(l))
            }
        }
        @if may_export {
            @if data.root_key && matches!(data.keys, Some(Ok(_))) {
                form method="post" action="/office/keys/bundle" {
                    (csrf(ctx))
                    p.hint { (OfficeOps::ExportBundleHint.text(l)) }
                    button.primary type="submit" { (OfficeOps::ExportBundle.text(l)) }
                }
            } @else {
                p.muted { (OfficeOps::NoRootKey.text(l)) }
            }
        }
    };
    layout::page(ctx, Office::Keys.text(l), body)
}

fn revoke_form(
    ctx: &OfficeCtx,
    keys: &[KeyView],
    problems: &FormProblems,
    form: Option<&RevokeForm>,
) -> Markup {
    let l = ctx.lang;
    let chosen = form
        .map(|f| f.kid.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let reason = form.map(|f| f.reason.as_str()).unwrap_or("");
    let class = |p: Option<OfficeOps>, base: &'static str| {
        if p.is_some() {
            format!("{base} invalid")
        } else {
            base.to_owned()
        }
    };
    html! {
        h2 { (OfficeOps::RevokeKey.text(l)) }
        p.hint { (OfficeOps::RevokeKeyHint.text(l)) }
        form method="post" action="/office/keys/revoke" {
            (csrf(ctx))
            div class=(class(problems.kid, "field")) {
                label for="f-kid" { (OfficeOps::KeyId.text(l)) span.req { " *" } }
                select id="f-kid" name="kid" required {
                    option value="" { "—" }
                    @for key in keys.iter().filter(|k| k.revoked.is_none()) {
                        option value=(key.kid) selected[key.kid == chosen] { (key.name) " (" (key.kid) ")" }
                    }
                }
                @if let Some(p) = problems.kid { span.error role="alert" { (p.text(l)) } }
            }
            div class=(class(problems.reason, "field")) {
                label for="f-reason" { (OfficeOps::RevocationReason.text(l)) span.req { " *" } }
                input id="f-reason" name="reason" type="text" value=(reason) required maxlength="200";
                @if let Some(p) = problems.reason { span.error role="alert" { (p.text(l)) } }
            }
            div class=(class(problems.confirm, "field confirm")) {
                label.checkbox {
                    input type="checkbox" name="confirm" value="yes" required;
                    " " (OfficeOps::ConfirmRevokeKey.text(l))
                }
                @if let Some(p) = problems.confirm { span.error role="alert" { (p.text(l)) } }
            }
            div.actions { button.primary.danger type="submit" { (OfficeOps::RevokeKeyButton.text(l)) } }
        }
    }
}
