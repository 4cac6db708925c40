//! The kiosk's decisions: a code (and optionally a passport zone) presented at this airport for
//! entry or exit, judged against the visa's own rules and the ledger's memory, and recorded.
//!
//! Architecture Invariant: every function here that returns a [`Decision`] has committed it to the
//! ledger first; when the ledger cannot be written, the decision becomes CANNOT VERIFY, because a
//! verdict that leaves no trace would let a single-entry visa be used twice.

use std::path::Path;

use serde::Serialize;
use shared::bundle::{FreshnessPolicy, TrustBundle, TrustRefusal, TrustState};
use shared::{PassportMrz, Port, TrustStore, kazakhstan_date};
use time::OffsetDateTime;

use crate::decision::{Decision, PriorUse, Reason, Refusal, Stay, Verdict};
use crate::ledger::{Kind, Ledger, NewRecord};
use crate::passport;
use crate::scan::{Pipeline, ScanError};

/// Which way the traveller crosses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Arriving in Kazakhstan.
    Entry,
    /// Leaving Kazakhstan.
    Exit,
}

/// One kiosk: where it stands, whom it trusts, and what it remembers.
#[derive(Debug)]
pub struct Kiosk {
    port: Port,
    trust: TrustStore,
    ledger: Ledger,
    pipeline: Pipeline,
    bundle: Option<TrustBundle>,
    policy: FreshnessPolicy,
}

impl Kiosk {
    /// A kiosk at `port` trusting `trust`, recording into `ledger`.
    pub fn new(port: Port, trust: TrustStore, ledger: Ledger) -> Self {
        Self {
            port,
            trust,
            ledger,
            pipeline: Pipeline::default(),
            bundle: None,
            policy: FreshnessPolicy::default(),
        }
    }

    /// A kiosk that trusts a root-signed bundle: its certified keys, revocations and used
    /// entries, within the freshness `policy`.
    pub fn with_bundle(mut self, bundle: TrustBundle, policy: FreshnessPolicy) -> Self {
        self.trust = bundle.trust_store();
        self.bundle = Some(bundle);
        self.policy = policy;
        self
    }

    /// The installed bundle, if the kiosk runs on one.
    pub fn bundle(&self) -> Option<&TrustBundle> {
        self.bundle.as_ref()
    }

    /// Reads pictures with `pipeline` (another time budget, say) instead of the default.
    pub fn with_pipeline(mut self, pipeline: Pipeline) -> Self {
        self.pipeline = pipeline;
        self
    }

    /// The picture reading pipeline.
    pub fn pipeline(&self) -> Pipeline {
        self.pipeline
    }

    /// The airport.
    pub fn port(&self) -> Port {
        self.port
    }

    /// How many issuer keys the kiosk trusts.
    pub fn trusted_keys(&self) -> usize {
        self.trust.keys().len()
    }

    /// The ledger, for export and verification.
    pub fn ledger_mut(&mut self) -> &mut Ledger {
        &mut self.ledger
    }

    /// Judges a code presented for `direction` at `at`, records the decision, and returns it.
    pub fn check_text(
        &mut self,
        text: &str,
        direction: Direction,
        passport: Option<&PassportMrz>,
        at: OffsetDateTime,
    ) -> Decision {
        let decision = self.evaluate(text, direction, passport, at);
        self.log(decision, Kind::Check, Some(direction), at)
    }

    /// Reads the code in a picture file and judges it like [`Kiosk::check_text`]; a picture with
    /// no readable code is recorded as CANNOT VERIFY "unreadable".
    pub fn check_image(
        &mut self,
        path: &Path,
        direction: Direction,
        passport: Option<&PassportMrz>,
        at: OffsetDateTime,
    ) -> (Decision, Option<String>) {
        match self.pipeline.scan_file(path) {
            Ok(scan) => {
                let text = scan.texts.into_iter().next().unwrap_or_default();
                (self.check_text(&text, direction, passport, at), Some(text))
            }
            Err(error) => (
                self.log(unreadable(&error), Kind::Check, Some(direction), at),
                None,
            ),
        }
    }

    /// Records a decision reached elsewhere (an unreadable picture from the window's worker).
    pub fn check_failure(
        &mut self,
        decision: Decision,
        direction: Direction,
        at: OffsetDateTime,
    ) -> Decision {
        self.log(decision, Kind::Check, Some(direction), at)
    }

    /// Judges a code again, now, and if it allows the crossing writes the entry or exit to the
    /// ledger. An exit is recorded even with an overstay (the traveller leaves either way; the
    /// overstay is in the record); a refused entry is recorded as a decision only.
    pub fn record_movement(
        &mut self,
        text: &str,
        direction: Direction,
        passport: Option<&PassportMrz>,
        at: OffsetDateTime,
    ) -> Decision {
        let mut decision = self.evaluate(text, direction, passport, at);
        let movement = match direction {
            Direction::Entry if decision.verdict() == Verdict::Valid => Some(Kind::Entry),
            Direction::Exit
                if decision.verdict() == Verdict::Valid
                    || decision.reason() == Reason::Overstay =>
            {
                Some(Kind::Exit)
            }
            _ => None,
        };
        match movement {
            Some(kind) => {
                decision.recorded = Some(match kind {
                    Kind::Entry => "entry",
                    _ => "exit",
                });
                self.log(decision, kind, Some(direction), at)
            }
            None => self.log(decision, Kind::Check, Some(direction), at),
        }
    }

    /// The decision without recording it: signature, trust, the visa's dates and ports, the
    /// ledger's single-entry and overstay rules, and the passport cross-check.
    pub fn evaluate(
        &self,
        text: &str,
        direction: Direction,
        passport: Option<&PassportMrz>,
        at: OffsetDateTime,
    ) -> Decision {
        if let Some(bundle) = &self.bundle {
            let newest = self.ledger.latest_at().unwrap_or(None);
            let high_water = newest.map_or(bundle.created_at(), |t| t.max(bundle.created_at()));
            if let Some(refusal) = freshness(&self.policy, bundle, high_water, at) {
                return refusal;
            }
        }
        let mut decision = match shared::verify(text, &self.trust) {
            Ok(verified) => Decision::verified(verified),
            Err(_) => return Decision::of_text(text, &self.trust, None, at),
        };
        let Some(verified) = decision.verified_visa().cloned() else {
            return decision;
        };
        if let Some(bundle) = &self.bundle {
            if let Some(refused) = bundle_refusal(bundle, &mut decision) {
                return refused;
            }
            if let Some(refused) = beyond_horizon(bundle, &verified, at) {
                return refused;
            }
        }
        let visa = verified.visa();
        let today = kazakhstan_date(at);
        match direction {
            Direction::Entry => {
                if let Err(refusal) = verified.check_entry(self.port, at) {
                    decision.refuse(Reason::from(&refusal), refusal.to_string());
                }
                match self.ledger.entries_of(visa.number().as_str()) {
                    Ok(mut entries) => {
                        // A use reported by another kiosk through the bundle counts as well,
                        // unless this ledger already holds entries of its own.
                        if entries.is_empty()
                            && let Some(used) = self
                                .bundle
                                .as_ref()
                                .and_then(|b| b.first_use(visa.number()))
                        {
                            entries.push(PriorUse {
                                at: crate::ledger::rfc3339_utc(used.at),
                                kiosk_id: used.kiosk_id.clone(),
                                port: used.port.code().to_owned(),
                            });
                        }
                        let allowed = usize::try_from(visa.entries().count()).unwrap_or(1);
                        if entries.len() >= allowed {
                            let first = entries.into_iter().next();
                            decision.refuse(Reason::AlreadyUsed, used_message(first.as_ref()));
                            decision.first_use = first;
                        }
                    }
                    Err(error) => return ledger_unavailable(&error.to_string()),
                }
            }
            Direction::Exit => {
                if !visa.ports().contains(self.port) {
                    decision.refuse(
                        Reason::WrongPort,
                        format!("the visa is not valid at {}", self.port),
                    );
                }
                let entries = match self.ledger.entries_of(visa.number().as_str()) {
                    Ok(entries) => entries,
                    Err(error) => return ledger_unavailable(&error.to_string()),
                };
                let entered = entries
                    .iter()
                    .rev()
                    .filter_map(|e| {
                        OffsetDateTime::parse(&e.at, &time::format_description::well_known::Rfc3339)
                            .ok()
                    })
                    .find(|t| *t <= at)
                    .map(kazakhstan_date);
                let days = entered.map(|d| (today - d).whole_days() + 1);
                let permitted = visa.stay_days();
                decision.stay = Some(Stay {
                    entered_on: entered.map(|d| d.to_string()),
                    days,
                    permitted,
                });
                if days.is_some_and(|d| d > i64::from(permitted)) {
                    decision.refuse(
                        Reason::Overstay,
                        format!(
                            "overstay: {} days in Kazakhstan, {permitted} permitted",
                            days.unwrap_or_default()
                        ),
                    );
                } else if today > visa.valid_until() {
                    decision.refuse(
                        Reason::Overstay,
                        format!("overstay: the visa ended on {}", visa.valid_until()),
                    );
                } else if entered.is_none() {
                    decision.message =
                        "genuine e-visa; no entry on record at this kiosk".to_owned();
                }
            }
        }
        if let Some(mrz) = passport {
            let mismatches = passport::cross_check(visa, mrz, today);
            decision.passport_checked = Some(mismatches.is_empty());
            if !mismatches.is_empty() {
                let fields: Vec<_> = mismatches
                    .iter()
                    .map(|m| m.field.replace('_', " "))
                    .collect();
                decision.refuse(
                    Reason::PassportMismatch,
                    format!(
                        "the passport does not match the visa: {}",
                        fields.join(", ")
                    ),
                );
                decision.mismatches = mismatches;
            }
        }
        decision
    }

    fn log(
        &mut self,
        decision: Decision,
        kind: Kind,
        direction: Option<Direction>,
        at: OffsetDateTime,
    ) -> Decision {
        let visa = decision.visa.as_ref();
        let verdict = match decision.verdict() {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
            Verdict::CannotVerify => "cannot_verify",
        };
        let record = NewRecord {
            at,
            port: self.port.code().to_owned(),
            kind,
            direction: direction.map(|d| {
                match d {
                    Direction::Entry => "entry",
                    Direction::Exit => "exit",
                }
                .to_owned()
            }),
            visa_number: visa.map(|v| v.visa_number.clone()),
            passport_number: visa.map(|v| v.passport_number.clone()),
            verdict: verdict.to_owned(),
            reason: decision.reason().code().to_owned(),
            detail: decision.message.clone(),
        };
        match self.ledger.append(record) {
            Ok(_) => decision,
            Err(error) => ledger_unavailable(&error.to_string()),
        }
    }
}

/// CANNOT VERIFY when the bundle is too old to decide with, or the clock was wound back behind
/// `high_water` (the newest bundle or ledger record); `None` when the trust data may be used.
pub fn freshness(
    policy: &FreshnessPolicy,
    bundle: &TrustBundle,
    high_water: OffsetDateTime,
    at: OffsetDateTime,
) -> Option<Decision> {
    match policy.assess(bundle.created_at(), high_water, at) {
        TrustState::Stale { age } => Some(Decision::refused(
            Refusal::CannotVerify,
            Reason::TrustTooOld,
            format!(
                "the trust data is {} days old; install a newer trust bundle",
                age.whole_days()
            ),
        )),
        TrustState::ClockSuspicious { high_water } => Some(Decision::refused(
            Refusal::CannotVerify,
            Reason::ClockSuspicious,
            format!(
                "the kiosk's clock is behind {}, a moment already recorded",
                crate::ledger::rfc3339_utc(high_water)
            ),
        )),
        TrustState::Fresh { .. } | TrustState::Aging { .. } => None,
    }
}

/// Applies the bundle's revocations and key certificates to a verified decision: a key the root
/// never certified is CANNOT VERIFY (unknown key); a revoked visa or key, or a visa outside its
/// key's certificate, is INVALID.
pub fn bundle_refusal(bundle: &TrustBundle, decision: &mut Decision) -> Option<Decision> {
    let verified = decision.verified_visa()?;
    match bundle.check(verified) {
        Ok(()) => None,
        Err(refusal @ TrustRefusal::NotCertified(_)) => Some(Decision::refused(
            Refusal::CannotVerify,
            Reason::from(&refusal),
            refusal.to_string(),
        )),
        Err(refusal) => {
            decision.refuse(Reason::from(&refusal), refusal.to_string());
            None
        }
    }
}

/// CANNOT VERIFY when the bundle may have left out this visa's revocation or use (its validity
/// ended by the bundle's horizon, `docs/trust-bundle.md`) yet the kiosk's clock says it is still
/// valid: only a clock far behind the bundle's creation can say so, and then the bundle's
/// silence must not read as "not revoked, not used".
pub fn beyond_horizon(
    bundle: &TrustBundle,
    visa: &shared::VerifiedVisa,
    at: OffsetDateTime,
) -> Option<Decision> {
    if bundle.lists_visa(visa) || at >= shared::token::end_of_validity(visa) {
        return None;
    }
    Some(Decision::refused(
        Refusal::CannotVerify,
        Reason::ClockSuspicious,
        format!(
            "the kiosk's clock is behind the trust data's horizon {}",
            crate::ledger::rfc3339_utc(bundle.horizon())
        ),
    ))
}

/// The decision for a picture with no readable code.
pub fn unreadable(error: &ScanError) -> Decision {
    Decision::refused(Refusal::CannotVerify, Reason::Unreadable, error.to_string())
}

fn ledger_unavailable(error: &str) -> Decision {
    Decision::refused(
        Refusal::CannotVerify,
        Reason::LedgerUnavailable,
        format!("the kiosk could not record the decision: {error}"),
    )
}

fn used_message(first: Option<&PriorUse>) -> String {
    match first {
        Some(first) => format!(
            "the visa was already used: entry recorded {} at {} (kiosk {})",
            first.at, first.port, first.kiosk_id
        ),
        None => "the visa was already used".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{IssuerKey, VisaDraft};
    use time::macros::datetime;

    fn issuer() -> IssuerKey {
        let pem = include_str!("../../keys/dev-issuer.key");
        IssuerKey::from_pkcs8_pem(pem).expect("the dev key reads")
    }

    fn token(edit: impl FnOnce(&mut VisaDraft)) -> String {
        let json = include_str!("../../shared/tests/vectors/visa.json");
        let mut draft: VisaDraft = serde_json::from_str(json).expect("JSON");
        edit(&mut draft);
        shared::sign(&draft.into_visa().expect("a visa"), &issuer())
    }

    fn kiosk(port: Port, id: &str) -> Kiosk {
        let trust = TrustStore::from_keys([issuer().public_key()]);
        Kiosk::new(port, trust, Ledger::open_in_memory(id).expect("ledger"))
    }

    #[test]
    fn a_single_entry_visa_is_refused_at_its_second_entry_with_the_first_use() {
        let mut k = kiosk(Port::Nqz, "NQZ-03");
        let code = token(|_| {});
        let first = k.record_movement(
            &code,
            Direction::Entry,
            None,
            datetime!(2026-12-05 08:00 UTC),
        );
        assert_eq!(
            (first.verdict(), first.recorded),
            (Verdict::Valid, Some("entry"))
        );
        let second = k.check_text(
            &code,
            Direction::Entry,
            None,
            datetime!(2026-12-09 08:00 UTC),
        );
        assert_eq!(
            (second.verdict(), second.reason()),
            (Verdict::Invalid, Reason::AlreadyUsed)
        );
        let first_use = second.first_use.expect("the first use is shown");
        assert_eq!(first_use.at, "2026-12-05T08:00:00Z");
        assert_eq!(first_use.kiosk_id, "NQZ-03");
    }

    #[test]
    fn checking_a_visa_without_recording_the_entry_does_not_use_it_up() {
        let mut k = kiosk(Port::Nqz, "NQZ-03");
        let code = token(|_| {});
        for _ in 0..3 {
            let d = k.check_text(
                &code,
                Direction::Entry,
                None,
                datetime!(2026-12-05 08:00 UTC),
            );
            assert_eq!(d.verdict(), Verdict::Valid);
        }
    }

    #[test]
    fn a_double_entry_visa_allows_two_entries_and_refuses_the_third() {
        let mut k = kiosk(Port::Ala, "ALA-01");
        let code = token(|d| {
            d.entries = "double".to_owned();
            d.category = "tourist".to_owned();
        });
        let at = datetime!(2026-12-05 08:00 UTC);
        assert_eq!(
            k.record_movement(&code, Direction::Entry, None, at)
                .verdict(),
            Verdict::Valid
        );
        assert_eq!(
            k.record_movement(&code, Direction::Entry, None, at)
                .verdict(),
            Verdict::Valid
        );
        assert_eq!(
            k.check_text(&code, Direction::Entry, None, at).reason(),
            Reason::AlreadyUsed
        );
    }

    /// Enters at 00:30 on 2 December in Kazakhstan (19:30 UTC on 1 December), so the stay is
    /// counted in Kazakhstan days, not UTC days.
    fn entered_just_after_midnight() -> (Kiosk, String) {
        let mut k = kiosk(Port::Nqz, "NQZ-01");
        let code = token(|_| {});
        let entry = k.record_movement(
            &code,
            Direction::Entry,
            None,
            datetime!(2026-12-01 19:30 UTC),
        );
        assert_eq!(entry.verdict(), Verdict::Valid);
        (k, code)
    }

    #[test]
    fn leaving_on_the_thirtieth_day_in_kazakhstan_time_is_no_overstay() {
        let (mut k, code) = entered_just_after_midnight();
        // 23:59 on 31 December in Kazakhstan: day 30 of a 30-day stay.
        let exit = k.record_movement(
            &code,
            Direction::Exit,
            None,
            datetime!(2026-12-31 18:59 UTC),
        );
        assert_eq!(
            (exit.verdict(), exit.recorded),
            (Verdict::Valid, Some("exit"))
        );
        assert_eq!(exit.stay.expect("stay").days, Some(30));
    }

    #[test]
    fn leaving_one_minute_later_in_kazakhstan_time_is_an_overstay_and_still_recorded() {
        let (mut k, code) = entered_just_after_midnight();
        // 00:00 on 1 January in Kazakhstan, still 31 December in UTC: day 31.
        let exit = k.record_movement(
            &code,
            Direction::Exit,
            None,
            datetime!(2026-12-31 19:00 UTC),
        );
        assert_eq!(
            (exit.verdict(), exit.reason()),
            (Verdict::Invalid, Reason::Overstay)
        );
        assert_eq!(exit.recorded, Some("exit"));
        assert_eq!(exit.stay.expect("stay").days, Some(31));
    }

    #[test]
    fn a_visa_for_the_other_airport_is_refused_at_entry() {
        let mut k = kiosk(Port::Ala, "ALA-01");
        let code = token(|d| d.ports = vec!["NQZ".to_owned()]);
        let d = k.check_text(
            &code,
            Direction::Entry,
            None,
            datetime!(2026-12-05 08:00 UTC),
        );
        assert_eq!(
            (d.verdict(), d.reason()),
            (Verdict::Invalid, Reason::WrongPort)
        );
    }

    #[test]
    fn entry_is_refused_from_midnight_after_the_last_valid_day_in_kazakhstan() {
        let mut k = kiosk(Port::Nqz, "NQZ-01");
        let code = token(|_| {});
        // valid_until is 2027-01-29: 23:59 there is still fine, 00:00 on the 30th is not.
        let last = k.check_text(
            &code,
            Direction::Entry,
            None,
            datetime!(2027-01-29 18:59 UTC),
        );
        let after = k.check_text(
            &code,
            Direction::Entry,
            None,
            datetime!(2027-01-29 19:00 UTC),
        );
        assert_eq!(last.verdict(), Verdict::Valid);
        assert_eq!(
            (after.verdict(), after.reason()),
            (Verdict::Invalid, Reason::Expired)
        );
    }

    #[test]
    fn a_passport_of_someone_else_makes_a_genuine_visa_invalid() {
        let mut k = kiosk(Port::Nqz, "NQZ-01");
        let code = token(|_| {});
        let specimen = PassportMrz::parse(
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
             L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        )
        .expect("the ICAO specimen parses");
        let d = k.check_text(
            &code,
            Direction::Entry,
            Some(&specimen),
            datetime!(2026-12-05 08:00 UTC),
        );
        assert_eq!(
            (d.verdict(), d.reason()),
            (Verdict::Invalid, Reason::PassportMismatch)
        );
        assert_eq!(d.passport_checked, Some(false));
        assert!(d.message.contains("citizenship"));
    }

    #[test]
    fn every_decision_is_in_the_ledger_when_it_is_returned() {
        let mut k = kiosk(Port::Nqz, "NQZ-01");
        let d = k.check_text(
            "KZV1:garbage",
            Direction::Entry,
            None,
            datetime!(2026-12-05 08:00 UTC),
        );
        let records = k.ledger_mut().records().expect("records");
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].reason, d.reason().code());
        assert_eq!(records[0].direction.as_deref(), Some("entry"));
    }

    #[test]
    fn a_ledger_that_cannot_be_written_turns_the_verdict_into_cannot_verify() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("ledger.db");
        let ledger = Ledger::open(&path, "NQZ-01").expect("ledger");
        let trust = TrustStore::from_keys([issuer().public_key()]);
        let mut k = Kiosk::new(Port::Nqz, trust, ledger);
        // Another connection holds the write lock, as a stuck backup job would.
        let blocker = rusqlite::Connection::open(&path).expect("open");
        blocker.execute_batch("BEGIN EXCLUSIVE").expect("lock");
        k.ledger_mut().set_busy_timeout_for_tests();
        let d = k.check_text(
            &token(|_| {}),
            Direction::Entry,
            None,
            datetime!(2026-12-05 08:00 UTC),
        );
        assert_eq!(
            (d.verdict(), d.reason()),
            (Verdict::CannotVerify, Reason::LedgerUnavailable)
        );
    }
}
