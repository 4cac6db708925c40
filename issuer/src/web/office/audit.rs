//! `/office/audit` and `/office/audit.csv`: auditors page through the audit log, newest first
//! ("older" continues below the last number shown), and export all of it as CSV; the export
//! is itself an entry of the log. Nothing here, or anywhere, edits or deletes an entry.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

use super::OfficeCtx;
use super::layout::page;
use crate::domain::office::Duty;
use crate::i18n::msg::{Office, OfficeAudit};
use crate::service::officer;
use crate::store::{self, audit::Stored};
use crate::web::{AppError, AppState};

/// Entries per page.
pub const PAGE_SIZE: u32 = 50;

/// The audit routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/audit", get(log_page))
        .route("/office/audit.csv", get(export))
}

/// Query of the audit page.
#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    /// Show entries numbered below this (anything but a positive number shows the newest).
    #[serde(default)]
    before: Option<String>,
}

async fn log_page(
    State(state): State<AppState>,
    ctx: OfficeCtx,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>, AppError> {
    ctx.require(Duty::ReadAudit)?;
    let l = ctx.lang;
    let before = q
        .before
        .and_then(|b| b.parse::<i64>().ok())
        .filter(|b| *b > 0);
    let entries = state
        .db
        .call(move |conn| store::audit::page(conn, before, PAGE_SIZE))
        .await?;
    let older = entries
        .last()
        .filter(|last| last.seq > 1 && entries.len() == PAGE_SIZE as usize)
        .map(|last| last.seq);
    let dash = "—";
    let body = html! {
        h1 { (Office::Audit.text(l)) }
        p.muted { (OfficeAudit::Intro.text(l)) }
        p.actions {
            a.button.small href="/office/audit.csv" download { (OfficeAudit::DownloadCsv.text(l)) }
        }
        div.table-scroll {
            table.list.audit.cards {
                thead { tr {
                    th { (OfficeAudit::Number.text(l)) }
                    th { (OfficeAudit::When.text(l)) }
                    th { (OfficeAudit::Who.text(l)) }
                    th { (OfficeAudit::What.text(l)) }
                    th { (OfficeAudit::Record.text(l)) }
                    th { (OfficeAudit::Before.text(l)) }
                    th { (OfficeAudit::After.text(l)) }
                    th { (OfficeAudit::Address.text(l)) }
                } }
                tbody {
                    @for s in &entries {
                        tr {
                            td data-label=(OfficeAudit::Number.text(l)) { (s.seq) }
                            td data-label=(OfficeAudit::When.text(l)) { (s.entry.at.replace('T', " ").trim_end_matches('Z')) }
                            td data-label=(OfficeAudit::Who.text(l)) { (breakable(&s.entry.actor)) }
                            td data-label=(OfficeAudit::What.text(l)) { code { (s.entry.action) } }
                            td data-label=(OfficeAudit::Record.text(l)) { (breakable(&s.entry.record)) }
                            td data-label=(OfficeAudit::Before.text(l)) { (s.entry.before.as_deref().unwrap_or(dash)) }
                            td data-label=(OfficeAudit::After.text(l)) { (s.entry.after.as_deref().unwrap_or(dash)) }
                            td data-label=(OfficeAudit::Address.text(l)) { (s.entry.address.as_deref().unwrap_or(dash)) }
                        }
                    }
                    @if entries.is_empty() {
                        tr { td colspan="8" { (OfficeAudit::Empty.text(l)) } }
                    }
                }
            }
        }
        nav.pager {
            @if before.is_some() {
                a href="/office/audit" { (OfficeAudit::Newest.text(l)) }
            }
            @if let Some(seq) = older {
                a href=(format!("/office/audit?before={seq}")) rel="next" { (OfficeAudit::Older.text(l)) }
            }
        }
    };
    Ok(page(&ctx, Office::Audit.text(l), body))
}

async fn export(State(state): State<AppState>, ctx: OfficeCtx) -> Result<Response, AppError> {
    ctx.require(Duty::ReadAudit)?;
    let all = officer::export_audit(&state.db, &state.clock, &ctx.officer, ctx.address()).await?;
    tracing::info!(
        officer = ctx.officer.id,
        entries = all.len(),
        "the audit log was exported"
    );
    let mut response = csv(&all).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"audit-log.csv\""),
    );
    Ok(response)
}

/// A record name or actor that may wrap after its `kind:` prefix and before the `@` of an
/// e-mail address, instead of anywhere in a word.
fn breakable(text: &str) -> Markup {
    let (prefix, rest) = match text.split_once(':') {
        Some((prefix, rest)) => (Some(prefix), rest),
        None => (None, text),
    };
    let (local, domain) = match rest.split_once('@') {
        Some((local, domain)) => (local, Some(domain)),
        None => (rest, None),
    };
    html! {
        @if let Some(prefix) = prefix { (prefix) ":" wbr; }
        (local)
        @if let Some(domain) = domain { wbr; "@" (domain) }
    }
}

/// The log as CSV (RFC 4180): a header row, then one row per entry in chain order, with the
/// entry's hash so the chain can be checked outside.
pub fn csv(entries: &[Stored]) -> String {
    let mut out = String::from("seq,at,actor,action,record,before,after,address,hash\r\n");
    for s in entries {
        let e = &s.entry;
        let fields = [
            s.seq.to_string(),
            e.at.clone(),
            e.actor.clone(),
            e.action.clone(),
            e.record.clone(),
            e.before.clone().unwrap_or_default(),
            e.after.clone().unwrap_or_default(),
            e.address.clone().unwrap_or_default(),
            hex::encode(s.hash),
        ];
        let row: Vec<String> = fields.iter().map(|f| cell(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One CSV cell: quoted when it holds a comma, a quote or a line break (quotes doubled). A cell
/// a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab) gets a leading apostrophe,
/// since failed log-ins put what a stranger typed into the log.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit::{Action, Actor, Entry};

    #[test]
    fn cells_are_quoted_when_they_must_be_and_formulas_are_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        let stored = Stored {
            seq: 1,
            entry: Entry::new(
                "2026-11-30T10:00:00Z".into(),
                &Actor::Anonymous("a,b@x.kz".into()),
                Action::LoginFailed,
                "officer:a,b@x.kz",
            ),
            hash: [0xab; 32],
        };
        let text = csv(&[stored]);
        let mut lines = text.split("\r\n");
        assert_eq!(
            lines.next(),
            Some("seq,at,actor,action,record,before,after,address,hash")
        );
        assert_eq!(
            lines.next().map(|l| l.split(',').count()),
            Some(11),
            "two quoted cells hold a comma each"
        );
    }
}
