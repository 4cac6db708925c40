//! SQL of the back office's statistics: per-day counts over a period, each a range read of an
//! index (migration "back-office statistics" in `schema.rs`), grouped by the day in Astana time.
//! Times are stored as RFC 3339 in UTC, whole seconds, so a period is a text range.

use std::collections::BTreeMap;

use crate::store::{Connection, params};
use anyhow::Result;

use crate::domain::statistics::{DayCounts, Period, PortCounts, Statistics};

/// The shift from UTC to Astana's day for SQLite's `date()`; `shared::visa::KAZAKHSTAN_OFFSET`
/// is the same five hours.
const ASTANA: &str = "+5 hours";

/// Per day (`?3` shifts to Astana's day): applications started, paid, visas issued, applications
/// under review and refused (screening's states, by the time the application last changed: zero
/// until a database has those states), visas revoked.
const PER_DAY: [&str; 6] = [
    "SELECT date(created_at, ?3), count(*) FROM applications
     WHERE created_at >= ?1 AND created_at < ?2 GROUP BY 1",
    "SELECT date(updated_at, ?3), count(DISTINCT application_id) FROM payments
     WHERE status = 'paid' AND updated_at >= ?1 AND updated_at < ?2 GROUP BY 1",
    "SELECT date(signed_at, ?3), count(*) FROM visas
     WHERE signed_at >= ?1 AND signed_at < ?2 GROUP BY 1",
    "SELECT date(updated_at, ?3), count(*) FROM applications
     WHERE status = 'under_review' AND updated_at >= ?1 AND updated_at < ?2 GROUP BY 1",
    "SELECT date(updated_at, ?3), count(*) FROM applications
     WHERE status = 'refused' AND updated_at >= ?1 AND updated_at < ?2 GROUP BY 1",
    "SELECT date(revoked_at, ?3), count(*) FROM revocations
     WHERE revoked_at >= ?1 AND revoked_at < ?2 GROUP BY 1",
];

/// Entries, exits and overstays per day, airport and direction.
const CROSSINGS: &str =
    "SELECT date(at, ?3), port, direction, count(*), CAST(sum(overstay) AS BIGINT)
    FROM crossings WHERE at >= ?1 AND at < ?2 GROUP BY 1, 2, 3";

/// The most frequent citizenships of the visas issued in the period (`?3` of them).
const CITIZENSHIPS: &str = "SELECT citizenship, count(*) AS n FROM visas
    WHERE signed_at >= ?1 AND signed_at < ?2 GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?3";

/// The statistics of a period: applications and visas per day, crossings per day and airport,
/// and the `top` citizenships of the visas issued in the period.
pub fn statistics(conn: &Connection, period: &Period, top: u32) -> Result<Statistics> {
    let (from, until) = period.utc_bounds();
    let mut days: BTreeMap<String, DayCounts> = BTreeMap::new();
    let mut count = |sql: &str, set: fn(&mut DayCounts, u64)| -> Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params![from, until, ASTANA], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (day, n) = row?;
            set(days.entry(day).or_default(), u64::try_from(n)?);
        }
        Ok(())
    };
    let [started, paid, issued, under_review, refused, revoked] = PER_DAY;
    count(started, |c, n| c.started = n)?;
    count(paid, |c, n| c.paid = n)?;
    count(issued, |c, n| c.issued = n)?;
    count(under_review, |c, n| c.under_review = n)?;
    count(refused, |c, n| c.refused = n)?;
    count(revoked, |c, n| c.revoked = n)?;

    let mut ports: BTreeMap<String, PortCounts> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(CROSSINGS)?;
    let rows = stmt.query_map(params![from, until, ASTANA], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    for row in rows {
        let (day, port, direction, n, overstays) = row?;
        let (n, overstays) = (u64::try_from(n)?, u64::try_from(overstays)?);
        let counts = ports.entry(day).or_default();
        match (port.as_str(), direction.as_str()) {
            ("NQZ", "entry") => counts.nqz_entries += n,
            ("NQZ", _) => counts.nqz_exits += n,
            ("ALA", "entry") => counts.ala_entries += n,
            _ => counts.ala_exits += n,
        }
        counts.overstays += overstays;
    }

    let mut stmt = conn.prepare_cached(CITIZENSHIPS)?;
    let rows = stmt.query_map(params![from, until, top], |r| {
        Ok((
            r.get::<_, Option<String>>(0)?.unwrap_or_default(),
            r.get::<_, i64>(1)?,
        ))
    })?;
    let mut citizenships = Vec::new();
    for row in rows {
        let (code, n) = row?;
        citizenships.push((code, u64::try_from(n)?));
    }
    Ok(Statistics::new(*period, &days, &ports, citizenships))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_reads_a_range_of_an_index_and_scans_no_table() {
        let db = crate::store::Db::in_memory().expect("db");
        db.with(|conn| {
            if conn.backend() != crate::store::Backend::Sqlite {
                // The plans checked are SQLite's (the PostgreSQL schema has the same indexes).
                return Ok(());
            }
            for sql in PER_DAY.iter().chain([&CROSSINGS, &CITIZENSHIPS]) {
                let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                let plan: Vec<String> = stmt
                    .query_map(params!["a", "b", 10], |r| r.get(3))?
                    .collect::<anyhow::Result<_>>()?;
                assert!(
                    plan.iter()
                        .any(|step| step.contains("USING COVERING INDEX"))
                        && !plan.iter().any(|step| step.starts_with("SCAN")),
                    "{sql}: {plan:?}"
                );
            }
            Ok(())
        })
        .expect("plans");
    }
}
