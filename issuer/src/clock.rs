//! The one place the issuer reads the time. Services and handlers ask the [`Clock`] in the
//! application's state; the domain and the store take the instant as a parameter, so every rule
//! that depends on "now" can be tested at a fixed instant.

use std::sync::{Arc, Mutex};

use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime};

/// Where "now" comes from: the system clock, or a fixed instant that tests set and advance.
#[derive(Debug, Clone)]
pub struct Clock(Source);

#[derive(Debug, Clone)]
enum Source {
    System,
    Fixed(Arc<Mutex<OffsetDateTime>>),
}

impl Clock {
    /// The system's clock.
    pub fn system() -> Self {
        Self(Source::System)
    }

    /// A clock that stands still at `at` until [`Clock::set`] or [`Clock::advance`] moves it.
    pub fn fixed(at: OffsetDateTime) -> Self {
        Self(Source::Fixed(Arc::new(Mutex::new(at))))
    }

    /// Moves a fixed clock to `at`; the system clock cannot be moved and ignores it.
    pub fn set(&self, at: OffsetDateTime) {
        if let Source::Fixed(now) = &self.0 {
            *now.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = at;
        }
    }

    /// Moves a fixed clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let next = self.now() + by;
        self.set(next);
    }

    /// The current instant in UTC, to the whole second (what the database and tokens keep).
    pub fn now(&self) -> OffsetDateTime {
        let now = match &self.0 {
            Source::System => OffsetDateTime::now_utc(),
            Source::Fixed(now) => *now
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        };
        now.replace_nanosecond(0).unwrap_or(now)
    }

    /// Seconds since the Unix epoch.
    pub fn unix(&self) -> i64 {
        self.now().unix_timestamp()
    }

    /// Today's date in Kazakhstan (UTC+5), the date every visa rule counts in.
    pub fn today(&self) -> Date {
        shared::kazakhstan_date(self.now())
    }

    /// The current instant as RFC 3339, whole seconds, UTC: the form the database keeps.
    pub fn rfc3339(&self) -> String {
        rfc3339(self.now())
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

/// An instant as RFC 3339, whole seconds, UTC.
pub fn rfc3339(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let at = at.replace_nanosecond(0).unwrap_or(at);
    at.format(&Rfc3339).unwrap_or_default()
}

/// How long some work took, for the figures operator commands print. Monotonic, so it is not
/// a [`Clock`]: it never reaches a rule or the database.
#[derive(Debug, Clone, Copy)]
pub struct Stopwatch(std::time::Instant);

impl Stopwatch {
    /// Starts timing now.
    pub fn start() -> Self {
        Self(std::time::Instant::now())
    }

    /// Seconds since [`Stopwatch::start`].
    pub fn seconds(&self) -> f64 {
        self.0.elapsed().as_secs_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_fixed_clock_stands_still_until_it_is_moved() {
        let clock = Clock::fixed(datetime!(2026-11-30 18:59:59.7 UTC));
        assert_eq!(clock.rfc3339(), "2026-11-30T18:59:59Z");
        assert_eq!(clock.today(), time::macros::date!(2026 - 11 - 30));
        clock.advance(Duration::seconds(1));
        // 19:00 UTC is midnight in Kazakhstan: the date turns.
        assert_eq!(clock.today(), time::macros::date!(2026 - 12 - 01));
        let copy = clock.clone();
        copy.set(datetime!(2027-01-01 00:00 UTC));
        assert_eq!(
            clock.unix(),
            datetime!(2027-01-01 00:00 UTC).unix_timestamp()
        );
    }
}
