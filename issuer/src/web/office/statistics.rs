//! `/office/statistics` (supervisors and auditors): per day in a period (the last 30 days unless
//! asked), applications started, paid, issued, under review, refused and revoked; entries, exits
//! and overstays per airport from the imported kiosk ledgers; the top citizenships of the visas
//! issued. Each as SVG bar charts with the numbers in a table beside them, and as CSV.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

use super::OfficeCtx;
use super::chart;
use super::layout;
use crate::domain::office::Duty;
use crate::domain::statistics::{Period, PeriodProblem, Statistics, TOP_CITIZENSHIPS};
use crate::i18n::Lang;
use crate::i18n::msg::{Office, OfficeAudit, OfficeOps, Screening};
use crate::web::{AppError, AppState};

/// The routes of `/office/statistics`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/statistics", get(show))
        .route("/office/statistics/{file}", get(csv))
}

#[derive(Debug, Default, Deserialize)]
struct PeriodQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

async fn show(
    State(state): State<AppState>,
    ctx: OfficeCtx,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    ctx.require(Duty::ReadStatistics)?;
    let l = ctx.lang;
    let title = Office::Statistics.text(l);
    match Period::parse(&query.from, &query.until, state.clock.today()) {
        Ok(period) => {
            let stats = read(&state, period).await?;
            let body = html! {
                h1 { (title) }
                (period_form(l, &query, None, Some(period)))
                (body(l, &stats))
            };
            Ok(layout::page(&ctx, title, body).into_response())
        }
        Err(problem) => {
            let body = html! {
                h1 { (title) }
                (period_form(l, &query, Some(problem), None))
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                layout::page(&ctx, title, body),
            )
                .into_response())
        }
    }
}

/// One table of the period as a CSV download: `applications.csv`, `crossings.csv` or
/// `citizenships.csv`.
async fn csv(
    State(state): State<AppState>,
    ctx: OfficeCtx,
    Path(file): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let (name, write): (&str, fn(&Statistics) -> String) = match file.as_str() {
        "applications.csv" => ("applications", Statistics::days_csv),
        "crossings.csv" => ("crossings", Statistics::ports_csv),
        "citizenships.csv" => ("citizenships", Statistics::citizenships_csv),
        _ => return Err(AppError::NotFound),
    };
    ctx.require(Duty::ReadStatistics)?;
    let period = Period::parse(&query.from, &query.until, state.clock.today())
        .map_err(|_| AppError::BadRequest)?;
    let stats = read(&state, period).await?;
    let disposition = format!(
        "attachment; filename=\"{name}-{}-{}.csv\"",
        period.from(),
        period.until()
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        write(&stats),
    )
        .into_response())
}

async fn read(state: &AppState, period: Period) -> Result<Statistics, AppError> {
    Ok(state
        .db
        .call(move |conn| crate::store::statistics::statistics(conn, &period, TOP_CITIZENSHIPS))
        .await?)
}

fn period_form(
    l: Lang,
    query: &PeriodQuery,
    problem: Option<PeriodProblem>,
    period: Option<Period>,
) -> Markup {
    let value = |sent: &str, day: Option<time::Date>| {
        if sent.trim().is_empty() {
            day.map(|d| d.to_string()).unwrap_or_default()
        } else {
            sent.to_owned()
        }
    };
    let from = value(&query.from, period.map(|p| p.from()));
    let until = value(&query.until, period.map(|p| p.until()));
    let message = problem.map(|p| match p {
        PeriodProblem::BadDate(_) => OfficeOps::BadDate,
        PeriodProblem::Reversed => OfficeOps::Reversed,
        PeriodProblem::TooLong => OfficeOps::TooLong,
    });
    let invalid = |field: &str| match problem {
        Some(PeriodProblem::BadDate(f)) => f == field,
        Some(_) => true,
        None => false,
    };
    html! {
        form.period method="get" action="/office/statistics" {
            @if l != Lang::Kk { input type="hidden" name="lang" value=(l.code()); }
            div class=(if invalid("from") { "field invalid" } else { "field" }) {
                label for="f-from" { (OfficeOps::From.text(l)) }
                input id="f-from" name="from" type="date" value=(from);
            }
            div class=(if invalid("until") { "field invalid" } else { "field" }) {
                label for="f-until" { (OfficeOps::Until.text(l)) }
                input id="f-until" name="until" type="date" value=(until);
            }
            button.primary type="submit" { (OfficeOps::Show.text(l)) }
        }
        @if let Some(message) = message {
            span.error role="alert" { (message.text(l)) }
        }
        p.hint { (OfficeOps::AstanaDays.text(l)) }
    }
}

fn body(l: Lang, stats: &Statistics) -> Markup {
    let period = stats.period;
    let query = format!("from={}&until={}", period.from(), period.until());
    let days = stats.day_totals();
    let ports = stats.port_totals();
    let day_label = |d: &time::Date| d.to_string();
    let series = |pick: fn(&crate::domain::statistics::DayCounts) -> u64| -> Vec<(String, u64)> {
        stats
            .days
            .iter()
            .map(|(d, c)| (day_label(d), pick(c)))
            .collect()
    };
    let crossing = |pick: fn(&crate::domain::statistics::PortCounts) -> u64| -> Vec<(String, u64)> {
        stats
            .ports
            .iter()
            .map(|(d, c)| (day_label(d), pick(c)))
            .collect()
    };
    let nqz = shared::labels::port(shared::Port::Nqz).get(l.into());
    let ala = shared::labels::port(shared::Port::Ala).get(l.into());
    let entries = OfficeOps::Entries.text(l);
    let exits = OfficeOps::Exits.text(l);
    let nqz_entries = format!("{nqz}: {entries}");
    let nqz_exits = format!("{nqz}: {exits}");
    let ala_entries = format!("{ala}: {entries}");
    let ala_exits = format!("{ala}: {exits}");
    html! {
        dl.totals {
            div { dt { (OfficeOps::Issued.text(l)) } dd { (days.issued) } }
            div { dt { (OfficeOps::Started.text(l)) } dd { (days.started) } }
            div { dt { (OfficeOps::Paid.text(l)) } dd { (days.paid) } }
            div { dt { (nqz_entries) } dd { (ports.nqz_entries) } }
            div { dt { (ala_entries) } dd { (ports.ala_entries) } }
            div { dt { (OfficeOps::Revoked.text(l)) } dd { (days.revoked) } }
        }
        section.stats-group {
            h2 { (OfficeOps::ApplicationsPerDay.text(l)) }
            div.stats-row {
                div.charts {
                    (chart::days(OfficeOps::Started.text(l), "started", &series(|c| c.started)))
                    (chart::days(OfficeOps::Paid.text(l), "paid", &series(|c| c.paid)))
                    (chart::days(OfficeOps::Issued.text(l), "issued", &series(|c| c.issued)))
                    (chart::days(OfficeOps::UnderReview.text(l), "review", &series(|c| c.under_review)))
                    (chart::days(Screening::StatusRefused.text(l), "refused", &series(|c| c.refused)))
                    (chart::days(OfficeOps::Revoked.text(l), "revoked", &series(|c| c.revoked)))
                }
                div.numbers {
                    table.list.numbers {
                        thead { tr {
                            th { (OfficeOps::Day.text(l)) }
                            th { (OfficeOps::Started.text(l)) }
                            th { (OfficeOps::Paid.text(l)) }
                            th { (OfficeOps::Issued.text(l)) }
                            th { (OfficeOps::UnderReview.text(l)) }
                            th { (Screening::StatusRefused.text(l)) }
                            th { (OfficeOps::Revoked.text(l)) }
                        } }
                        tbody {
                            @for (day, c) in stats.days.iter().rev() {
                                tr { td { (day) } td { (c.started) } td { (c.paid) } td { (c.issued) } td { (c.under_review) } td { (c.refused) } td { (c.revoked) } }
                            }
                        }
                        tfoot {
                            tr.total { th { (OfficeOps::Total.text(l)) } td { (days.started) } td { (days.paid) } td { (days.issued) } td { (days.under_review) } td { (days.refused) } td { (days.revoked) } }
                        }
                    }
                    p.links { a href=(format!("/office/statistics/applications.csv?{query}")) download { (OfficeAudit::DownloadCsv.text(l)) } }
                }
            }
        }
        section.stats-group {
            h2 { (OfficeOps::CrossingsPerDay.text(l)) }
            p.hint { (OfficeOps::CrossingsSource.text(l)) }
            div.stats-row {
                div.charts {
                    (chart::days(&nqz_entries, "entries", &crossing(|c| c.nqz_entries)))
                    (chart::days(&nqz_exits, "exits", &crossing(|c| c.nqz_exits)))
                    (chart::days(&ala_entries, "entries", &crossing(|c| c.ala_entries)))
                    (chart::days(&ala_exits, "exits", &crossing(|c| c.ala_exits)))
                    (chart::days(OfficeOps::Overstays.text(l), "refused", &crossing(|c| c.overstays)))
                }
                div.numbers {
                    table.list.numbers {
                        thead { tr {
                            th { (OfficeOps::Day.text(l)) }
                            th { "NQZ " (entries) }
                            th { "NQZ " (exits) }
                            th { "ALA " (entries) }
                            th { "ALA " (exits) }
                            th { (OfficeOps::OverstaysShort.text(l)) }
                        } }
                        tbody {
                            @for (day, c) in stats.ports.iter().rev() {
                                tr { td { (day) } td { (c.nqz_entries) } td { (c.nqz_exits) } td { (c.ala_entries) } td { (c.ala_exits) } td { (c.overstays) } }
                            }
                        }
                        tfoot {
                            tr.total { th { (OfficeOps::Total.text(l)) } td { (ports.nqz_entries) } td { (ports.nqz_exits) } td { (ports.ala_entries) } td { (ports.ala_exits) } td { (ports.overstays) } }
                        }
                    }
                    p.links { a href=(format!("/office/statistics/crossings.csv?{query}")) download { (OfficeAudit::DownloadCsv.text(l)) } }
                }
            }
        }
        section.stats-group {
            h2 { (OfficeOps::TopCitizenships.text(l)) }
            div.stats-row {
                div.charts.single {
                    @if stats.citizenships.is_empty() {
                        p.muted { (OfficeOps::NothingInPeriod.text(l)) }
                    } @else {
                        (chart::ranking(OfficeOps::TopCitizenships.text(l), &stats.citizenships))
                    }
                }
                div.numbers {
                    table.list.numbers {
                        thead { tr { th { (crate::i18n::label(l, shared::labels::Field::Citizenship)) } th { (OfficeOps::VisasIssued.text(l)) } } }
                        tbody {
                            @for (code, n) in &stats.citizenships {
                                tr { td { (code) } td { (n) } }
                            }
                        }
                    }
                    p.links { a href=(format!("/office/statistics/citizenships.csv?{query}")) download { (OfficeAudit::DownloadCsv.text(l)) } }
                }
            }
        }
    }
}
