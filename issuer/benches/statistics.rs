//! The back office's statistics at a million visas: seeds a real database file (WAL) in one
//! transaction with N visas (default 1 000 000) spread over two years, each with its application
//! and paid payment, 1 % revoked, and ~1.3 N kiosk crossings at NQZ and ALA; then times the page's
//! queries (`store::statistics::statistics`) for 7, 30 and 366 days. Then drops the statistics
//! indexes and times the same queries again: the baseline. Plain timing loop, median of rounds.
//!
//! Run: `cargo bench -p issuer --bench statistics` (`STATISTICS_BENCH_VISAS` sets N).

use std::time::{Duration, Instant};

use anyhow::Result;
use issuer::domain::statistics::{Period, TOP_CITIZENSHIPS};
use issuer::store::Db;
use rusqlite::{Connection, params};
use time::format_description::well_known::Rfc3339;
use time::macros::datetime;
use time::{Date, OffsetDateTime};

const CITIZENSHIPS: [&str; 12] = [
    "RUS", "CHN", "DEU", "TUR", "USA", "KOR", "IND", "GBR", "FRA", "JPN", "SWE", "ITA",
];
const END: OffsetDateTime = datetime!(2026-11-30 12:00 UTC);
const SPAN_SECONDS: i64 = 730 * 86_400;

fn main() -> Result<()> {
    let n: i64 = std::env::var("STATISTICS_BENCH_VISAS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.sqlite3");
    let db = Db::open(&path)?;
    let started = Instant::now();
    let crossings = db.with(|conn| seed(sqlite(conn)?, n))?;
    let size = std::fs::metadata(&path)?.len() + wal_size(&path);
    println!(
        "seeded {n} visas, applications and payments, {crossings} crossings in {:.1} s ({} MB)",
        started.elapsed().as_secs_f64(),
        size / 1_000_000
    );
    let today = shared::kazakhstan_date(END);
    let periods = [
        ("7 days", Period::last_days(today, 7)),
        ("30 days (the default)", Period::last_days(today, 30)),
        ("366 days", Period::last_days(today, 366)),
    ];
    let with = db.with(|conn| time_all(sqlite(conn)?, &periods, 7))?;
    db.with(|conn| {
        conn.execute_batch(
            "DROP INDEX applications_created; DROP INDEX applications_status_updated;
             DROP INDEX payments_paid; DROP INDEX visas_signed; DROP INDEX revocations_revoked;
             DROP INDEX crossings_at; ANALYZE;",
        )?;
        Ok(())
    })?;
    let without = db.with(|conn| time_all(sqlite(conn)?, &periods, 3))?;
    println!("| period | with the indexes | without (baseline) |");
    println!("|---|---|---|");
    for ((label, _), (a, b)) in periods.iter().zip(with.iter().zip(&without)) {
        println!(
            "| {label} | {:.1} ms | {:.1} ms |",
            a.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3
        );
    }
    Ok(())
}

/// The benchmark measures SQLite's plans: the SQLite connection under the store's.
fn sqlite<'a>(conn: &'a mut issuer::store::Connection<'_>) -> Result<&'a mut Connection> {
    conn.sqlite_mut()
        .ok_or_else(|| anyhow::anyhow!("this benchmark runs on SQLite"))
}

fn wal_size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path.with_extension("sqlite3-wal")).map_or(0, |m| m.len())
}

/// The median time of `rounds` runs of the page's queries for each period; checks each answer
/// counts what was seeded, so a wrong plan cannot look fast.
fn time_all(conn: &Connection, periods: &[(&str, Period)], rounds: usize) -> Result<Vec<Duration>> {
    let mut medians = Vec::new();
    for (label, period) in periods {
        let mut times = Vec::new();
        let mut issued = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            let stats = issuer::store::statistics::statistics(
                &issuer::store::Connection::Lite(conn),
                period,
                TOP_CITIZENSHIPS,
            )?;
            times.push(t.elapsed());
            issued = stats.day_totals().issued;
        }
        times.sort();
        let expected = visas_between(conn, period)?;
        anyhow::ensure!(
            issued == expected,
            "{label}: counted {issued}, seeded {expected}"
        );
        medians.push(times[times.len() / 2]);
    }
    Ok(medians)
}

fn visas_between(conn: &Connection, period: &Period) -> Result<u64> {
    let (from, until) = period.utc_bounds();
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM visas WHERE signed_at >= ?1 AND signed_at < ?2",
        params![from, until],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n)?)
}

/// Writes the rows in one transaction; foreign keys off, since the applications' invitations and
/// the crossings' ledger records are not what the statistics read.
fn seed(conn: &mut Connection, n: i64) -> Result<u64> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    let tx = conn.transaction()?;
    let mut crossings = 0u64;
    {
        let mut application = tx.prepare(
            "INSERT INTO applications (id, user_id, invitation_id, status, data, created_at, updated_at)
             VALUES (?1, 1, ?2, 'issued', '{}', ?3, ?4)",
        )?;
        let mut payment = tx.prepare(
            "INSERT INTO payments (order_id, application_id, amount_minor, currency, status, created_at, updated_at)
             VALUES (?1, ?1, 8000, 'USD', 'paid', ?2, ?3)",
        )?;
        let mut visa = tx.prepare(
            "INSERT INTO visas (number, application_id, visa, token, kid, signed_at)
             VALUES (?1, ?2, ?3, 't', '6445ad1ab849c622', ?4)",
        )?;
        let mut revocation = tx.prepare(
            "INSERT INTO revocations (visa_number, reason, revoked_at) VALUES (?1, 'bench', ?2)",
        )?;
        let mut crossing = tx.prepare(
            "INSERT INTO crossings (kiosk_id, seq, at, port, direction, visa_number, overstay)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let text = |t: OffsetDateTime| t.format(&Rfc3339).unwrap_or_default();
        for i in 0..n {
            let signed = END - time::Duration::seconds(SPAN_SECONDS * (n - i) / n);
            let number = format!("KZ{:07}", i + 1);
            let id = format!("app-{i}");
            let citizenship = CITIZENSHIPS[usize::try_from((i * 7 + i / 3) % 12)?];
            let valid_from: Date = signed.date();
            let json = format!(
                r#"{{"visa_number":"{number}","category":"business","entries":"single","valid_from":"{valid_from}","valid_until":"{}","duration_of_stay":30,"ports":["NQZ","ALA"],"surname":"ERIKSSON","given_names":"ANNA MARIA","surname_native":null,"given_names_native":null,"passport_number":"L898902C3","citizenship":"{citizenship}","date_of_birth":"1974-08-12","sex":"F","invitation_number":"INV-2026-{i:06}","issued_at":"{}"}}"#,
                valid_from + time::Duration::days(59),
                text(signed)
            );
            application.execute(params![
                id,
                i,
                text(signed - time::Duration::days(1)),
                text(signed)
            ])?;
            payment.execute(params![
                id,
                text(signed - time::Duration::hours(2)),
                text(signed - time::Duration::hours(1))
            ])?;
            visa.execute(params![number, id, json, text(signed)])?;
            if i % 100 == 7 {
                revocation.execute(params![number, text(signed + time::Duration::days(3))])?;
            }
            let port = if i % 3 == 0 { "ALA" } else { "NQZ" };
            let kiosk = format!("{port}-01");
            if i % 10 < 7 {
                crossings += 1;
                crossing.execute(params![
                    kiosk,
                    2 * i + 1,
                    text(signed + time::Duration::days(5)),
                    port,
                    "entry",
                    number,
                    false
                ])?;
                if i % 10 < 6 {
                    crossings += 1;
                    crossing.execute(params![
                        kiosk,
                        2 * i + 2,
                        text(signed + time::Duration::days(20)),
                        port,
                        "exit",
                        number,
                        i % 50 == 0
                    ])?;
                }
            }
        }
    }
    tx.execute_batch("ANALYZE")?;
    tx.commit()?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(crossings)
}
