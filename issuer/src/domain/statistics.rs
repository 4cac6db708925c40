//! The back office's statistics: the period asked for (whole days in Astana time), the counts of
//! each day, and their CSV. The counting is SQL (`store/statistics.rs`); this holds the rules of
//! the period and fills the days nothing happened on, so every chart has one bar per day.

use std::collections::BTreeMap;
use std::fmt::Write;

use shared::visa::{KAZAKHSTAN_OFFSET, parse_date};
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, UtcOffset};

/// How many days the page shows when no period is asked for.
pub const DEFAULT_DAYS: i64 = 30;
/// The longest period the page draws.
pub const MAX_DAYS: i64 = 366;
/// How many citizenships the ranking lists.
pub const TOP_CITIZENSHIPS: u32 = 10;

/// Whole days from `from` to `until`, both included, in Astana time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    from: Date,
    until: Date,
}

/// What is wrong with a period's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodProblem {
    /// A date is not YYYY-MM-DD (`from` or `until`).
    BadDate(&'static str),
    /// The first day is after the last.
    Reversed,
    /// Longer than [`MAX_DAYS`].
    TooLong,
}

/// The counts of applications and visas on one day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// Applications started (Step 1 saved).
    pub started: u64,
    /// Applications whose state duty was paid.
    pub paid: u64,
    /// Visas signed.
    pub issued: u64,
    /// Applications held for screening that day and still waiting.
    pub under_review: u64,
    /// Applications refused that day.
    pub refused: u64,
    /// Visas revoked.
    pub revoked: u64,
}

/// The crossings the kiosks recorded on one day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PortCounts {
    /// Entries at Astana (NQZ).
    pub nqz_entries: u64,
    /// Exits at Astana (NQZ).
    pub nqz_exits: u64,
    /// Entries at Almaty (ALA).
    pub ala_entries: u64,
    /// Exits at Almaty (ALA).
    pub ala_exits: u64,
    /// Exits after a stay over the permitted days (either airport).
    pub overstays: u64,
}

/// Everything the statistics page shows for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statistics {
    /// The period.
    pub period: Period,
    /// Every day of the period with its counts, oldest first.
    pub days: Vec<(Date, DayCounts)>,
    /// Every day of the period with its crossings, oldest first.
    pub ports: Vec<(Date, PortCounts)>,
    /// The most frequent citizenships (ISO alpha-3) of the visas issued in the period, most first.
    pub citizenships: Vec<(String, u64)>,
}

impl Period {
    /// The last `days` days up to and including `today`.
    pub fn last_days(today: Date, days: i64) -> Self {
        Period {
            from: today - Duration::days(days.clamp(1, MAX_DAYS) - 1),
            until: today,
        }
    }

    /// Reads the period form; an empty field means the default period's day.
    pub fn parse(from: &str, until: &str, today: Date) -> Result<Self, PeriodProblem> {
        let default = Self::last_days(today, DEFAULT_DAYS);
        let day = |text: &str, field: &'static str, fallback: Date| {
            let text = text.trim();
            if text.is_empty() {
                Ok(fallback)
            } else {
                parse_date(text).map_err(|_| PeriodProblem::BadDate(field))
            }
        };
        let from = day(from, "from", default.from)?;
        let until = day(until, "until", default.until)?;
        if from > until {
            return Err(PeriodProblem::Reversed);
        }
        if (until - from).whole_days() + 1 > MAX_DAYS {
            return Err(PeriodProblem::TooLong);
        }
        Ok(Period { from, until })
    }

    /// The first day.
    pub fn from(&self) -> Date {
        self.from
    }

    /// The last day.
    pub fn until(&self) -> Date {
        self.until
    }

    /// Every day of the period, oldest first.
    pub fn days(&self) -> impl Iterator<Item = Date> + use<> {
        let (from, until) = (self.from, self.until);
        std::iter::successors(Some(from), |d| d.next_day()).take_while(move |d| *d <= until)
    }

    /// The period as instants in UTC, RFC 3339 like the database keeps them: from the first
    /// day's midnight in Astana (included) to the midnight after the last day (excluded).
    pub fn utc_bounds(&self) -> (String, String) {
        let instant = |day: Date| {
            day.midnight()
                .assume_offset(KAZAKHSTAN_OFFSET)
                .to_offset(UtcOffset::UTC)
                .format(&Rfc3339)
                .unwrap_or_default()
        };
        let after = self.until.next_day().unwrap_or(self.until);
        (instant(self.from), instant(after))
    }
}

impl Statistics {
    /// Builds the page's series from the counts found, keyed by day (`YYYY-MM-DD`): days the
    /// store found nothing on count zero, days outside the period are left out.
    pub fn new(
        period: Period,
        days: &BTreeMap<String, DayCounts>,
        ports: &BTreeMap<String, PortCounts>,
        citizenships: Vec<(String, u64)>,
    ) -> Self {
        Statistics {
            period,
            days: period
                .days()
                .map(|d| (d, days.get(&d.to_string()).copied().unwrap_or_default()))
                .collect(),
            ports: period
                .days()
                .map(|d| (d, ports.get(&d.to_string()).copied().unwrap_or_default()))
                .collect(),
            citizenships,
        }
    }

    /// The sums of the period.
    pub fn day_totals(&self) -> DayCounts {
        self.days
            .iter()
            .fold(DayCounts::default(), |t, (_, c)| DayCounts {
                started: t.started + c.started,
                paid: t.paid + c.paid,
                issued: t.issued + c.issued,
                under_review: t.under_review + c.under_review,
                refused: t.refused + c.refused,
                revoked: t.revoked + c.revoked,
            })
    }

    /// The crossings of the period.
    pub fn port_totals(&self) -> PortCounts {
        self.ports
            .iter()
            .fold(PortCounts::default(), |t, (_, c)| PortCounts {
                nqz_entries: t.nqz_entries + c.nqz_entries,
                nqz_exits: t.nqz_exits + c.nqz_exits,
                ala_entries: t.ala_entries + c.ala_entries,
                ala_exits: t.ala_exits + c.ala_exits,
                overstays: t.overstays + c.overstays,
            })
    }

    /// The applications per day as CSV (RFC 4180 line ends), with a header row.
    pub fn days_csv(&self) -> String {
        let mut csv = String::from("day,started,paid,issued,under_review,refused,revoked\r\n");
        for (day, c) in &self.days {
            let _ = write!(
                csv,
                "{day},{},{},{},{},{},{}\r\n",
                c.started, c.paid, c.issued, c.under_review, c.refused, c.revoked
            );
        }
        csv
    }

    /// The crossings per day as CSV.
    pub fn ports_csv(&self) -> String {
        let mut csv = String::from("day,nqz_entries,nqz_exits,ala_entries,ala_exits,overstays\r\n");
        for (day, c) in &self.ports {
            let _ = write!(
                csv,
                "{day},{},{},{},{},{}\r\n",
                c.nqz_entries, c.nqz_exits, c.ala_entries, c.ala_exits, c.overstays
            );
        }
        csv
    }

    /// The citizenships as CSV. The codes are ISO alpha-3 as the visas store them; anything else
    /// is quoted so a spreadsheet never reads it as a formula.
    pub fn citizenships_csv(&self) -> String {
        let mut csv = String::from("citizenship,visas\r\n");
        for (code, n) in &self.citizenships {
            let safe = code.bytes().all(|b| b.is_ascii_alphanumeric());
            if safe {
                let _ = write!(csv, "{code},{n}\r\n");
            } else {
                let _ = write!(csv, "\"'{}\",{n}\r\n", code.replace('"', "\"\""));
            }
        }
        csv
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_default_period_is_the_last_thirty_days_and_bad_forms_say_why() {
        let today = date!(2026 - 11 - 30);
        let period = Period::parse("", "", today).expect("default");
        assert_eq!(
            (period.from(), period.until()),
            (date!(2026 - 11 - 01), today)
        );
        assert_eq!(period.days().count(), 30);
        assert_eq!(
            Period::parse("2026-13-01", "", today),
            Err(PeriodProblem::BadDate("from"))
        );
        assert_eq!(
            Period::parse("2026-11-30", "2026-11-01", today),
            Err(PeriodProblem::Reversed)
        );
        assert_eq!(
            Period::parse("2025-01-01", "2026-11-30", today),
            Err(PeriodProblem::TooLong)
        );
    }

    #[test]
    fn a_day_runs_from_midnight_to_midnight_in_astana() {
        let period = Period::parse("2026-11-23", "2026-11-29", date!(2026 - 11 - 30)).expect("ok");
        assert_eq!(
            period.utc_bounds(),
            (
                "2026-11-22T19:00:00Z".to_owned(),
                "2026-11-29T19:00:00Z".to_owned()
            )
        );
    }

    #[test]
    fn empty_days_count_zero_and_the_csv_has_one_row_per_day() {
        let period = Period::parse("2026-11-28", "2026-11-30", date!(2026 - 11 - 30)).expect("ok");
        let mut days = BTreeMap::new();
        days.insert(
            "2026-11-29".to_owned(),
            DayCounts {
                issued: 4,
                ..DayCounts::default()
            },
        );
        days.insert(
            "2026-12-01".to_owned(),
            DayCounts {
                issued: 9,
                ..DayCounts::default()
            },
        );
        let stats = Statistics::new(
            period,
            &days,
            &BTreeMap::new(),
            vec![("DEU".into(), 3), ("=1+1".into(), 1)],
        );
        assert_eq!(
            stats.day_totals().issued,
            4,
            "the day after the period is left out"
        );
        assert_eq!(
            stats.days_csv(),
            "day,started,paid,issued,under_review,refused,revoked\r\n\
             2026-11-28,0,0,0,0,0,0\r\n2026-11-29,0,0,4,0,0,0\r\n2026-11-30,0,0,0,0,0,0\r\n"
        );
        assert_eq!(
            stats.citizenships_csv(),
            "citizenship,visas\r\nDEU,3\r\n\"'=1+1\",1\r\n"
        );
    }
}
