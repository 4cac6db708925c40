//! The throttle of every credential endpoint (log-in on the web and the API, sign-up, password
//! reset, officer log-in): one call, [`Throttle::begin`], before the work, and the attempt's
//! outcome after it.
//!
//! Two kinds of limit, both in memory, both on the [`Clock`] (so tests move time):
//! - **per client address** (an IPv6 client by its /64): a GCRA rate, `burst` at once and one
//!   more every `every` seconds — the semantics of `governor`'s keyed limiter, written out here
//!   because a log-in counts only its *failures* against the address (a success gives nothing
//!   back, but takes nothing either);
//! - **per subject**, the parsed identity an attempt names ([`Subject`]: the account's id when
//!   it exists, else the identifier as [`LoginId`] normalises it, so `1 80240012342` and
//!   `180240012342` are one subject). For a log-in a growing delay ([`Backoff`]): five failures
//!   are free, then the next attempt waits 1 s, 2 s, 4 s … up to 15 minutes after the last
//!   failure, and a success forgets them all. Never a lock: a stranger's failures delay the
//!   account by at most the cap, and a browser that has logged in to the account before (a
//!   signed device cookie, [`Client::device`]) has its own count, so the owner is not slowed
//!   by anyone else's failures. Sign-up and reset take a plain rate per address named.
//!
//! An attempt counts as failed from the moment it begins (so a hundred concurrent guesses do not
//! all pass the check before the first failure is written) until [`Attempt::succeeded`] says
//! otherwise. A refused attempt ([`Throttled`]) changes nothing, so waiting clients do not
//! push their own wait further. The limits are in [`Action::limits`] and `docs/operations.md`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::clock::Clock;
use crate::domain::account::LoginId;

/// Keys kept per table before the expired ones are dropped; past it after dropping, the ones
/// closest to expiry go too (about 150 bytes each: 200,000 keys ≈ 30 MB).
pub const MAX_KEYS: usize = 200_000;

/// What is attempted; each has its own limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// An applicant's or inviting party's log-in (web form and `POST /api/v1/sessions`).
    LogIn,
    /// A migration officer's log-in.
    OfficerLogIn,
    /// A sign-up (web form and `POST /api/v1/accounts`); the subject is the e-mail address.
    SignUp,
    /// A password-reset request; the subject is the e-mail address.
    PasswordReset,
}

/// A GCRA rate: `burst` attempts at once, then one more every `every` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Attempts allowed at once.
    pub burst: u32,
    /// Seconds per attempt after the burst.
    pub every: i64,
}

/// A growing delay: `free` failures, then each attempt waits `first · 2^(failures − free)`
/// seconds after the last failure, at most `cap`; failures are forgotten `forget` seconds after
/// the last one, or at a success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Failures without any delay.
    pub free: u32,
    /// The first delay, in seconds.
    pub first: i64,
    /// The longest delay, in seconds.
    pub cap: i64,
    /// Seconds after the last failure when the count starts again.
    pub forget: i64,
}

/// The limit on the subject of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectLimit {
    /// A growing delay after failures (log-ins).
    Backoff(Backoff),
    /// A rate of attempts (sign-ups, reset requests: the mail they may send).
    Rate(Rate),
}

/// What the address's rate counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    /// Failed attempts only (log-ins).
    Failures,
    /// Every attempt.
    Attempts,
}

/// The limits of one [`Action`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Per client address.
    pub address: Rate,
    /// What the address's rate counts.
    pub counts: Counts,
    /// Per subject.
    pub subject: SubjectLimit,
}

/// Who an attempt is about: an account, or an identifier that is no account's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Subject(String);

/// Where an attempt comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Client {
    /// The client's address, when the server knows it (requests without one share one count).
    pub address: Option<IpAddr>,
    /// The browser's known-device cookie, checked by the web layer: this browser has logged in
    /// to that account before.
    pub device: Option<KnownDevice>,
}

/// A browser that has logged in to an account before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDevice {
    /// The account it logged in to.
    pub user_id: i64,
    /// A random id of the device cookie.
    pub id: String,
}

/// An attempt refused for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many attempts; retry after {retry_after} s")]
pub struct Throttled {
    /// Seconds until an attempt may be made (at least 1): the `Retry-After` header.
    pub retry_after: u64,
}

/// The limiter; one per process, shared by every endpoint.
#[derive(Debug)]
pub struct Throttle {
    clock: Clock,
    tables: Mutex<Tables>,
    /// Addresses without a per-address limit (a load test's or a conformance run's loopback);
    /// their attempts still count per subject.
    exempt: Vec<IpAddr>,
}

/// An attempt under way: failed unless [`Attempt::succeeded`] is called.
#[derive(Debug)]
pub struct Attempt<'t> {
    throttle: &'t Throttle,
    limits: Limits,
    address: String,
    subject: Option<String>,
    settled: bool,
}

#[derive(Debug, Default)]
struct Tables {
    /// GCRA: the theoretical arrival time per key, Unix seconds.
    rates: HashMap<String, i64>,
    /// Backoff: failures and the time of the last, per key.
    failures: HashMap<String, (u32, i64)>,
}

impl Action {
    /// The limits chosen (documented in `docs/operations.md`).
    pub const fn limits(self) -> Limits {
        match self {
            Self::LogIn | Self::OfficerLogIn => Limits {
                address: Rate {
                    burst: 10,
                    every: 30,
                },
                counts: Counts::Failures,
                subject: SubjectLimit::Backoff(Backoff {
                    free: 5,
                    first: 1,
                    cap: 15 * 60,
                    forget: 24 * 60 * 60,
                }),
            },
            Self::SignUp => Limits {
                address: Rate {
                    burst: 5,
                    every: 60,
                },
                counts: Counts::Attempts,
                subject: SubjectLimit::Rate(Rate {
                    burst: 3,
                    every: 10 * 60,
                }),
            },
            Self::PasswordReset => Limits {
                address: Rate {
                    burst: 5,
                    every: 60,
                },
                counts: Counts::Attempts,
                subject: SubjectLimit::Rate(Rate {
                    burst: 3,
                    every: 20 * 60,
                }),
            },
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Self::LogIn => "login",
            Self::OfficerLogIn => "officer",
            Self::SignUp => "signup",
            Self::PasswordReset => "reset",
        }
    }
}

impl Subject {
    /// An identifier as the account lookup reads it.
    pub fn login(id: &LoginId) -> Self {
        Self(id.key())
    }

    /// An e-mail address (sign-up, reset), as typed: trimmed and lower-cased like the lookup.
    pub fn email(address: &str) -> Self {
        Self(LoginId::Email(address.trim().to_lowercase()).key())
    }

    /// An account, whichever identifier named it.
    pub fn account(user_id: i64) -> Self {
        Self(format!("user:{user_id}"))
    }

    /// The same subject as seen from one known device, which has a count of its own.
    pub fn on_device(&self, device: &KnownDevice) -> Self {
        Self(format!("{}/device:{}", self.0, device.id))
    }
}

impl Client {
    /// A client known by its address only.
    pub fn at(address: Option<IpAddr>) -> Self {
        Self {
            address,
            device: None,
        }
    }
}

impl Throttle {
    /// A throttle reading the time from `clock`.
    pub fn new(clock: Clock) -> Self {
        Self {
            clock,
            tables: Mutex::new(Tables::default()),
            exempt: Vec::new(),
        }
    }

    /// The same throttle with no per-address limit for `addresses` (see `--unthrottled`).
    pub fn exempting(mut self, addresses: &[IpAddr]) -> Self {
        self.exempt = addresses.to_vec();
        self
    }

    /// Starts an attempt of `action` on `subject` (if it names one) from `client`, or refuses
    /// it with the seconds to wait. The attempt counts as failed until
    /// [`Attempt::succeeded`].
    pub fn begin(
        &self,
        action: Action,
        subject: Option<&Subject>,
        client: &Client,
    ) -> Result<Attempt<'_>, Throttled> {
        let mut limits = action.limits();
        if client.address.is_some_and(|a| self.exempt.contains(&a)) {
            limits.address = Rate {
                burst: u32::MAX,
                every: 0,
            };
        }
        let now = self.clock.unix();
        let address = format!("{}|{}", action.tag(), address_key(client.address));
        let subject = subject.map(|s| format!("{}|{}", action.tag(), s.0));
        let mut tables = self.tables();
        let mut wait = tables.rate_wait(&address, limits.address, now);
        if let Some(key) = &subject {
            wait = wait.max(match limits.subject {
                SubjectLimit::Backoff(b) => tables.backoff_wait(key, b, now),
                SubjectLimit::Rate(r) => tables.rate_wait(key, r, now),
            });
        }
        if wait > 0 {
            return Err(Throttled {
                retry_after: wait.unsigned_abs(),
            });
        }
        if limits.counts == Counts::Attempts {
            tables.rate_take(&address, limits.address, now);
        }
        if let Some(key) = &subject {
            match limits.subject {
                SubjectLimit::Backoff(b) => tables.backoff_fail(key, b, now),
                SubjectLimit::Rate(r) => tables.rate_take(key, r, now),
            }
        }
        tables.bound(now);
        Ok(Attempt {
            throttle: self,
            limits,
            address,
            subject,
            settled: false,
        })
    }

    /// Forgets the failed attempts of `action` on `subject`: after the owner proved who they
    /// are another way (a password reset through the e-mailed link).
    pub fn forget(&self, action: Action, subject: &Subject) {
        let key = format!("{}|{}", action.tag(), subject.0);
        let mut tables = self.tables();
        tables.failures.remove(&key);
        tables.rates.remove(&key);
    }

    fn tables(&self) -> MutexGuard<'_, Tables> {
        // A panic while holding the lock leaves counters, not broken invariants: go on.
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Attempt<'_> {
    /// The attempt succeeded (the right password): its subject's failures are forgotten and the
    /// address is not charged.
    pub fn succeeded(mut self) {
        self.settled = true;
        if let (Some(key), SubjectLimit::Backoff(_)) = (&self.subject, self.limits.subject) {
            self.throttle.tables().failures.remove(key);
        }
    }

    /// The attempt failed (the same as dropping it).
    pub fn failed(self) {}
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.settled && self.limits.counts == Counts::Failures {
            let now = self.throttle.clock.unix();
            self.throttle
                .tables()
                .rate_take(&self.address, self.limits.address, now);
        }
    }
}

impl Tables {
    /// Seconds until `key` may make an attempt under `rate` (0: now).
    fn rate_wait(&self, key: &str, rate: Rate, now: i64) -> i64 {
        let tat = self.rates.get(key).copied().unwrap_or(now).max(now);
        let tolerance = i64::from(rate.burst.saturating_sub(1)) * rate.every;
        (tat - now - tolerance).max(0)
    }

    fn rate_take(&mut self, key: &str, rate: Rate, now: i64) {
        let tat = self.rates.entry(key.to_owned()).or_insert(now);
        *tat = (*tat).max(now) + rate.every;
    }

    fn backoff_wait(&self, key: &str, backoff: Backoff, now: i64) -> i64 {
        match self.failures.get(key) {
            Some(&(failures, last)) if now - last < backoff.forget && failures >= backoff.free => {
                let doublings = (failures - backoff.free).min(30);
                let delay = backoff
                    .first
                    .saturating_mul(1 << doublings)
                    .min(backoff.cap);
                (last + delay - now).max(0)
            }
            _ => 0,
        }
    }

    fn backoff_fail(&mut self, key: &str, backoff: Backoff, now: i64) {
        let entry = self.failures.entry(key.to_owned()).or_insert((0, now));
        if now - entry.1 >= backoff.forget {
            *entry = (0, now);
        }
        entry.0 = entry.0.saturating_add(1);
        entry.1 = now;
    }

    /// Keeps the tables under [`MAX_KEYS`]: drops expired keys, then those closest to expiry.
    fn bound(&mut self, now: i64) {
        const FORGET: i64 = 24 * 60 * 60;
        if self.rates.len() > MAX_KEYS {
            self.rates.retain(|_, tat| *tat > now);
            shrink(&mut self.rates, |tat| *tat);
        }
        if self.failures.len() > MAX_KEYS {
            self.failures.retain(|_, (_, last)| now - *last < FORGET);
            shrink(&mut self.failures, |(_, last)| *last);
        }
    }
}

/// Drops the entries with the lowest `expiry` until the map holds 90 % of [`MAX_KEYS`].
fn shrink<V>(map: &mut HashMap<String, V>, expiry: impl Fn(&V) -> i64) {
    if map.len() <= MAX_KEYS {
        return;
    }
    tracing::warn!(
        keys = map.len(),
        "the throttle's table is full; dropping the oldest keys"
    );
    let mut times: Vec<i64> = map.values().map(&expiry).collect();
    let drop = map.len() - MAX_KEYS * 9 / 10;
    let (_, &mut threshold, _) = times.select_nth_unstable(drop);
    map.retain(|_, v| expiry(v) > threshold);
}

/// The count an address is kept under: IPv4 whole, IPv6 by its /64 (one subscriber's prefix).
fn address_key(address: Option<IpAddr>) -> String {
    match address {
        None => "unknown".to_owned(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;
    use time::macros::datetime;

    fn setup() -> (Clock, Throttle) {
        let clock = Clock::fixed(datetime!(2026-12-01 09:00 UTC));
        (clock.clone(), Throttle::new(clock))
    }

    fn from(n: u8) -> Client {
        Client::at(Some(IpAddr::from([127, 1, 0, n])))
    }

    #[test]
    fn five_failures_are_free_then_the_delay_doubles_up_to_its_cap() {
        let (clock, throttle) = setup();
        let bin = Subject::login(&LoginId::parse("180240012342"));
        let mut waits = Vec::new();
        for n in 0..20u8 {
            // A new address each time: only the account's delay is at work.
            match throttle.begin(Action::LogIn, Some(&bin), &from(n)) {
                Ok(attempt) => attempt.failed(),
                Err(throttled) => {
                    waits.push(throttled.retry_after);
                    clock.advance(Duration::seconds(
                        throttled.retry_after.try_into().unwrap_or(0),
                    ));
                    throttle
                        .begin(Action::LogIn, Some(&bin), &from(n))
                        .expect("allowed after the wait")
                        .failed();
                }
            }
        }
        assert_eq!(
            waits,
            [
                1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900, 900
            ]
        );
        // Waiting clients do not push the wait further.
        for _ in 0..50 {
            assert_eq!(
                throttle.begin(Action::LogIn, Some(&bin), &from(99)).err(),
                Some(Throttled { retry_after: 900 })
            );
        }
    }

    #[test]
    fn a_spelling_of_the_same_bin_is_the_same_subject() {
        let (_, throttle) = setup();
        for (n, spelling) in [
            "180240012342",
            "1 80240012342",
            "18024001234 2",
            " 180240012342",
            "180 240 012 342",
            "1802400 12342",
        ]
        .into_iter()
        .enumerate()
        {
            let subject = Subject::login(&LoginId::parse(spelling));
            let attempt = throttle.begin(Action::LogIn, Some(&subject), &from(n as u8));
            if n < 5 {
                attempt.expect("five free").failed();
            } else {
                assert_eq!(
                    attempt.err(),
                    Some(Throttled { retry_after: 1 }),
                    "{spelling}"
                );
            }
        }
    }

    #[test]
    fn a_success_forgets_the_failures_and_costs_the_address_nothing() {
        let (_, throttle) = setup();
        let anna = Subject::account(7);
        for _ in 0..4 {
            throttle
                .begin(Action::LogIn, Some(&anna), &from(1))
                .expect("free")
                .failed();
        }
        for _ in 0..30 {
            throttle
                .begin(Action::LogIn, Some(&anna), &from(1))
                .expect("the owner")
                .succeeded();
        }
        for _ in 0..5 {
            throttle
                .begin(Action::LogIn, Some(&anna), &from(1))
                .expect("free")
                .failed();
        }
        assert!(
            throttle
                .begin(Action::LogIn, Some(&anna), &from(1))
                .is_err()
        );
    }

    #[test]
    fn concurrent_attempts_count_before_they_finish() {
        let (_, throttle) = setup();
        let anna = Subject::account(7);
        let started: Vec<_> = (0..20)
            .filter_map(|n| throttle.begin(Action::LogIn, Some(&anna), &from(n)).ok())
            .collect();
        assert_eq!(started.len(), 5);
    }

    #[test]
    fn a_known_device_is_not_slowed_by_other_peoples_failures() {
        let (_, throttle) = setup();
        let anna = Subject::account(7);
        for n in 0..5 {
            throttle
                .begin(Action::LogIn, Some(&anna), &from(n))
                .expect("free")
                .failed();
        }
        assert!(
            throttle
                .begin(Action::LogIn, Some(&anna), &from(9))
                .is_err()
        );
        let laptop = KnownDevice {
            user_id: 7,
            id: "d1".into(),
        };
        let own = anna.on_device(&laptop);
        throttle
            .begin(Action::LogIn, Some(&own), &from(200))
            .expect("the owner's laptop")
            .succeeded();
    }

    #[test]
    fn one_address_gets_ten_failures_then_one_every_thirty_seconds() {
        let (clock, throttle) = setup();
        let mut allowed = 0;
        for n in 0..40 {
            let who = Subject::email(&format!("user{n}@example.com"));
            match throttle.begin(Action::LogIn, Some(&who), &from(1)) {
                Ok(attempt) => {
                    allowed += 1;
                    attempt.failed();
                }
                Err(throttled) => assert_eq!(throttled.retry_after, 30, "attempt {n}"),
            }
        }
        assert_eq!(allowed, 10);
        clock.advance(Duration::seconds(30));
        assert!(throttle.begin(Action::LogIn, None, &from(1)).is_ok());
        assert!(throttle.begin(Action::LogIn, None, &from(1)).is_err());
        // Another address is not concerned.
        assert!(throttle.begin(Action::LogIn, None, &from(2)).is_ok());
    }

    #[test]
    fn sign_ups_count_every_attempt_per_address_and_per_e_mail() {
        let (clock, throttle) = setup();
        for n in 0..5 {
            let email = Subject::email(&format!("new{n}@example.com"));
            throttle
                .begin(Action::SignUp, Some(&email), &from(1))
                .expect("burst")
                .succeeded();
        }
        let sixth = Subject::email("new5@example.com");
        assert_eq!(
            throttle.begin(Action::SignUp, Some(&sixth), &from(1)).err(),
            Some(Throttled { retry_after: 60 })
        );
        clock.advance(Duration::seconds(60));
        assert!(
            throttle
                .begin(Action::SignUp, Some(&sixth), &from(1))
                .is_ok()
        );
        let anna = Subject::email(" Anna@Example.com");
        for n in 2..5 {
            assert!(
                throttle
                    .begin(Action::SignUp, Some(&anna), &from(n))
                    .is_ok()
            );
        }
        let again = Subject::email("anna@example.com");
        assert!(
            throttle
                .begin(Action::SignUp, Some(&again), &from(9))
                .is_err()
        );
    }

    #[test]
    fn an_exempt_address_has_no_address_limit_but_its_subjects_do() {
        let (_, throttle) = setup();
        let throttle = throttle.exempting(&[IpAddr::from([127, 1, 0, 1])]);
        for n in 0..100 {
            let who = Subject::email(&format!("user{n}@example.com"));
            throttle
                .begin(Action::LogIn, Some(&who), &from(1))
                .expect("no address limit")
                .failed();
        }
        let anna = Subject::account(7);
        for _ in 0..5 {
            throttle
                .begin(Action::LogIn, Some(&anna), &from(1))
                .expect("free")
                .failed();
        }
        assert!(
            throttle
                .begin(Action::LogIn, Some(&anna), &from(1))
                .is_err()
        );
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_prefix() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("ip");
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        assert_eq!(address_key(Some(a)), address_key(Some(b)));
        assert_eq!(address_key(Some(mapped)), "192.0.2.7");
        assert_eq!(address_key(None), "unknown");
    }

    #[test]
    fn the_tables_stay_bounded() {
        let (_, throttle) = setup();
        for n in 0..(MAX_KEYS as u32 + 10) {
            let subject = Subject::account(i64::from(n));
            let client = Client::at(Some(IpAddr::from(n.to_be_bytes())));
            drop(throttle.begin(Action::LogIn, Some(&subject), &client));
        }
        let tables = throttle.tables();
        assert!(
            tables.failures.len() <= MAX_KEYS,
            "{}",
            tables.failures.len()
        );
        assert!(tables.rates.len() <= MAX_KEYS, "{}", tables.rates.len());
    }
}
