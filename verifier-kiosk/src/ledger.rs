//! The kiosk's local ledger: every decision and every recorded entry or exit, in SQLite.
//!
//! Architecture Invariant: a record is committed (WAL, `synchronous = FULL`) before the decision it
//! records is returned to anyone who could show it, so a power cut can lose a verdict that was
//! never shown but never show one that was not kept.
//!
//! Records are tamper-evident: each carries the SHA-256 of its content and of the previous record
//! of the same kiosk, so every kiosk's records form a hash chain that `verify` walks. Records
//! leave only in an export signed with the kiosk's own key (`docs/ledger-exchange.md`), and
//! records of other kiosks arrive only in such an export, signed by a kiosk the installed trust
//! bundle lists; they are merged by hash, never duplicated, and a fork of a chain refuses the
//! whole file.
//!
//! Architecture Invariant: the clock's high-water mark ([`Ledger::latest_at`]) comes from this
//! kiosk's own records only. An imported record, however dated, never tells this kiosk what time
//! it is. All SQL of the crate lives in this file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use shared::Port;
use shared::kiosk::{KioskId, RegisteredKiosk};
use shared::ledger::{ExchangeError, SIGNING_TOLERANCE};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::decision::PriorUse;

/// The schema version this code writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 1;

pub use shared::ledger::{
    GENESIS, LedgerRecord as Record, RecordKind as Kind, record_hash, rfc3339_utc,
};

/// A record before it is chained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecord {
    /// When.
    pub at: OffsetDateTime,
    /// The airport code.
    pub port: String,
    /// Decision, entry or exit.
    pub kind: Kind,
    /// `entry` or `exit`, when known.
    pub direction: Option<String>,
    /// The visa number, when known.
    pub visa_number: Option<String>,
    /// The passport number, when known.
    pub passport_number: Option<String>,
    /// The verdict code.
    pub verdict: String,
    /// The reason code.
    pub reason: String,
    /// Words.
    pub detail: String,
}

/// What went wrong with the ledger.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// SQLite refused.
    #[error("ledger database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The database was written by a newer kiosk.
    #[error("the ledger has schema version {0}, newer than this kiosk's {SCHEMA_VERSION}")]
    TooNew(i64),
    /// The export file's signature, signer or records were refused.
    #[error(transparent)]
    Refused(#[from] ExchangeError),
    /// The file holds another record at a place this ledger already holds: the kiosk's chain was
    /// forked, which only tampering does.
    #[error(
        "record {kiosk_id}#{seq} differs from the one already held (hash {offered} instead of {held}): \
         the chain was forked, evidence of tampering; nothing was imported"
    )]
    Fork {
        /// Kiosk.
        kiosk_id: String,
        /// Position.
        seq: i64,
        /// The hash of the record this ledger holds there.
        held: String,
        /// The hash of the record the file offers.
        offered: String,
    },
    /// An imported record does not continue what this ledger holds of its kiosk.
    #[error("record {kiosk_id}#{seq}: {problem}")]
    Tampered {
        /// Kiosk.
        kiosk_id: String,
        /// Position.
        seq: i64,
        /// What is wrong.
        problem: String,
    },
    /// Reading or writing an export file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The result of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Records added.
    pub imported: usize,
    /// Records already present.
    pub duplicates: usize,
    /// Visas with entries recorded at more than one kiosk.
    pub flagged: Vec<MultiKioskUse>,
    /// Imported records dated after this kiosk's clock at import (plus the tolerance): kept as
    /// evidence, never trusted as the time.
    pub future_dated: Vec<FutureRecord>,
}

/// An imported record dated in the future of the importing kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FutureRecord {
    /// The kiosk that wrote it.
    pub kiosk_id: String,
    /// Its position.
    pub seq: i64,
    /// The time it claims.
    pub at: String,
}

/// A visa whose entries were recorded at several kiosks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MultiKioskUse {
    /// The visa.
    pub visa_number: String,
    /// The kiosks, sorted.
    pub kiosks: Vec<String>,
    /// How many entries in all.
    pub entries: usize,
}

/// The result of walking the chains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// Whether every chain holds.
    pub ok: bool,
    /// Records checked.
    pub records: usize,
    /// Kiosks whose chains were walked.
    pub kiosks: Vec<String>,
    /// Every break found.
    pub problems: Vec<String>,
}

/// The kiosk's ledger: one SQLite connection and the kiosk's id.
#[derive(Debug)]
pub struct Ledger {
    conn: Connection,
    kiosk_id: String,
}

impl Ledger {
    /// Opens (creating if needed) the ledger at `path` for kiosk `kiosk_id`.
    pub fn open(path: &Path, kiosk_id: &str) -> Result<Self, LedgerError> {
        let conn = Connection::open(path)?;
        Self::setup(conn, kiosk_id)
    }

    /// An in-memory ledger, for tests and the window's demo mode.
    pub fn open_in_memory(kiosk_id: &str) -> Result<Self, LedgerError> {
        Self::setup(Connection::open_in_memory()?, kiosk_id)
    }

    fn setup(conn: Connection, kiosk_id: &str) -> Result<Self, LedgerError> {
        // WAL keeps readers off the writer's back; FULL makes every commit reach the disk before
        // it returns, which is what "durable before shown" needs.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(LedgerError::TooNew(version));
        }
        if version < 1 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS records (
                     id INTEGER PRIMARY KEY,
                     kiosk_id TEXT NOT NULL,
                     seq INTEGER NOT NULL,
                     at TEXT NOT NULL,
                     port TEXT NOT NULL,
                     kind TEXT NOT NULL,
                     direction TEXT,
                     visa_number TEXT,
                     passport_number TEXT,
                     verdict TEXT NOT NULL,
                     reason TEXT NOT NULL,
                     detail TEXT NOT NULL,
                     prev_hash TEXT NOT NULL,
                     hash TEXT NOT NULL UNIQUE,
                     UNIQUE (kiosk_id, seq)
                 );
                 CREATE INDEX IF NOT EXISTS records_by_visa ON records (visa_number, kind);
                 PRAGMA user_version = 1;
                 COMMIT;",
            )?;
        }
        Ok(Self {
            conn,
            kiosk_id: kiosk_id.to_owned(),
        })
    }

    /// Waits only briefly for a lock, so a test of a blocked ledger ends quickly.
    #[cfg(test)]
    pub(crate) fn set_busy_timeout_for_tests(&self) {
        let _ = self.conn.busy_timeout(std::time::Duration::from_millis(20));
    }

    /// This kiosk's id.
    pub fn kiosk_id(&self) -> &str {
        &self.kiosk_id
    }

    /// Appends a record to this kiosk's chain and commits it durably.
    pub fn append(&mut self, new: NewRecord) -> Result<Record, LedgerError> {
        let tx = self.conn.transaction()?;
        let last: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, hash FROM records WHERE kiosk_id = ?1 ORDER BY seq DESC LIMIT 1",
                [&self.kiosk_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (seq, prev_hash) = last.map_or((1, GENESIS.to_owned()), |(s, h)| (s + 1, h));
        let mut record = Record {
            kiosk_id: self.kiosk_id.clone(),
            seq,
            at: rfc3339_utc(new.at),
            port: new.port,
            kind: new.kind,
            direction: new.direction,
            visa_number: new.visa_number,
            passport_number: new.passport_number,
            verdict: new.verdict,
            reason: new.reason,
            detail: new.detail,
            prev_hash,
            hash: String::new(),
        };
        record.hash = record_hash(&record);
        insert(&tx, &record)?;
        tx.commit()?;
        Ok(record)
    }

    /// The recorded entries of a visa, at any kiosk, oldest first.
    pub fn entries_of(&self, visa_number: &str) -> Result<Vec<PriorUse>, LedgerError> {
        let mut stmt = self.conn.prepare(
            "SELECT at, kiosk_id, port FROM records WHERE visa_number = ?1 AND kind = 'entry'
             ORDER BY at, kiosk_id, seq",
        )?;
        let rows = stmt.query_map([visa_number], |r| {
            Ok(PriorUse {
                at: r.get(0)?,
                kiosk_id: r.get(1)?,
                port: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The time of this kiosk's newest own record: with the bundle's creation time, the clock's
    /// high-water mark. Imported records of other kiosks never count.
    pub fn latest_at(&self) -> Result<Option<OffsetDateTime>, LedgerError> {
        let latest: Option<String> = self.conn.query_row(
            "SELECT max(at) FROM records WHERE kiosk_id = ?1",
            [&self.kiosk_id],
            |r| r.get(0),
        )?;
        Ok(latest.and_then(|t| OffsetDateTime::parse(&t, &Rfc3339).ok()))
    }

    /// Every record, in kiosk and chain order.
    pub fn records(&self) -> Result<Vec<Record>, LedgerError> {
        self.select("", None)
    }

    /// This kiosk's own records, in chain order.
    pub fn own_records(&self) -> Result<Vec<Record>, LedgerError> {
        self.select("WHERE kiosk_id = ?1", Some(&self.kiosk_id))
    }

    fn select(&self, filter: &str, kiosk_id: Option<&str>) -> Result<Vec<Record>, LedgerError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT kiosk_id, seq, at, port, kind, visa_number, passport_number, verdict, reason,
                    detail, prev_hash, hash, direction
             FROM records {filter} ORDER BY kiosk_id, seq"
        ))?;
        let params: Vec<&dyn rusqlite::ToSql> =
            kiosk_id.iter().map(|k| k as &dyn rusqlite::ToSql).collect();
        let rows = stmt.query_map(params.as_slice(), |r| {
            let kind: String = r.get(4)?;
            Ok(Record {
                kiosk_id: r.get(0)?,
                seq: r.get(1)?,
                at: r.get(2)?,
                port: r.get(3)?,
                kind: match kind.as_str() {
                    "entry" => Kind::Entry,
                    "exit" => Kind::Exit,
                    _ => Kind::Check,
                },
                direction: r.get(12)?,
                visa_number: r.get(5)?,
                passport_number: r.get(6)?,
                verdict: r.get(7)?,
                reason: r.get(8)?,
                detail: r.get(9)?,
                prev_hash: r.get(10)?,
                hash: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// This kiosk's own chain as an export signed with the kiosk's key (`docs/ledger-exchange.md`);
    /// returns the file and how many records it carries.
    pub fn export_signed(
        &self,
        key: &shared::IssuerKey,
        kiosk_id: &KioskId,
        port: Port,
        signed_at: OffsetDateTime,
    ) -> Result<(Vec<u8>, usize), LedgerError> {
        let records = self.own_records()?;
        let file = shared::ledger::sign_export(key, kiosk_id, port, signed_at, &records);
        Ok((file, records.len()))
    }

    /// Merges an export signed by one of `kiosks` (the installed bundle's): the signature, signer
    /// and every record are checked by [`shared::ledger::open_export`]; records already present are
    /// skipped; a record that would fork a chain (same kiosk and position, other content) or does
    /// not continue what this ledger holds refuses the whole file. All or nothing. Records dated
    /// after `now` (this kiosk's clock) plus the tolerance are kept and reported, never trusted.
    pub fn import(
        &mut self,
        file: &[u8],
        kiosks: &[RegisteredKiosk],
        now: OffsetDateTime,
    ) -> Result<ImportReport, LedgerError> {
        let export = shared::ledger::open_export(file, kiosks)?;
        let tx = self.conn.transaction()?;
        let (mut imported, mut duplicates) = (0, 0);
        let mut future_dated = Vec::new();
        for record in export.records() {
            let existing: Option<String> = tx
                .query_row(
                    "SELECT hash FROM records WHERE kiosk_id = ?1 AND seq = ?2",
                    params![record.kiosk_id, record.seq],
                    |r| r.get(0),
                )
                .optional()?;
            match existing {
                Some(hash) if hash == record.hash => {
                    duplicates += 1;
                    continue;
                }
                Some(held) => {
                    return Err(LedgerError::Fork {
                        kiosk_id: record.kiosk_id.clone(),
                        seq: record.seq,
                        held,
                        offered: record.hash.clone(),
                    });
                }
                None => {}
            }
            let prev: Option<String> = if record.seq == 1 {
                Some(GENESIS.to_owned())
            } else {
                tx.query_row(
                    "SELECT hash FROM records WHERE kiosk_id = ?1 AND seq = ?2",
                    params![record.kiosk_id, record.seq - 1],
                    |r| r.get(0),
                )
                .optional()?
            };
            if prev.as_deref() != Some(record.prev_hash.as_str()) {
                return Err(tampered(
                    record,
                    "it does not continue the records of this kiosk already held",
                ));
            }
            if record.time().is_some_and(|at| at > now + SIGNING_TOLERANCE) {
                future_dated.push(FutureRecord {
                    kiosk_id: record.kiosk_id.clone(),
                    seq: record.seq,
                    at: record.at.clone(),
                });
            }
            insert(&tx, record)?;
            imported += 1;
        }
        tx.commit()?;
        Ok(ImportReport {
            imported,
            duplicates,
            flagged: self.multi_kiosk_uses()?,
            future_dated,
        })
    }

    /// Visas whose entries were recorded at more than one kiosk.
    pub fn multi_kiosk_uses(&self) -> Result<Vec<MultiKioskUse>, LedgerError> {
        let mut by_visa: BTreeMap<String, (BTreeSet<String>, usize)> = BTreeMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT visa_number, kiosk_id FROM records
             WHERE kind = 'entry' AND visa_number IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (visa, kiosk) = row?;
            let slot = by_visa.entry(visa).or_default();
            slot.0.insert(kiosk);
            slot.1 += 1;
        }
        Ok(by_visa
            .into_iter()
            .filter(|(_, (kiosks, _))| kiosks.len() > 1)
            .map(|(visa_number, (kiosks, entries))| MultiKioskUse {
                visa_number,
                kiosks: kiosks.into_iter().collect(),
                entries,
            })
            .collect())
    }

    /// Walks every kiosk's chain: positions from 1 without gaps, each hash matching its content,
    /// each record naming its predecessor's hash.
    pub fn verify(&self) -> Result<ChainReport, LedgerError> {
        let records = self.records()?;
        let mut problems = Vec::new();
        let mut kiosks = Vec::new();
        let mut previous: Option<&Record> = None;
        for record in &records {
            let first_of_kiosk = previous.is_none_or(|p| p.kiosk_id != record.kiosk_id);
            if first_of_kiosk {
                kiosks.push(record.kiosk_id.clone());
            }
            let (expected_seq, expected_prev) = match previous {
                Some(p) if !first_of_kiosk => (p.seq + 1, p.hash.as_str()),
                _ => (1, GENESIS),
            };
            let at = format!("{}#{}", record.kiosk_id, record.seq);
            if record.seq != expected_seq {
                problems.push(format!("{at}: expected position {expected_seq}"));
            }
            if record.prev_hash != expected_prev {
                problems.push(format!("{at}: does not follow the previous record"));
            }
            if record_hash(record) != record.hash {
                problems.push(format!("{at}: content was changed after it was written"));
            }
            previous = Some(record);
        }
        Ok(ChainReport {
            ok: problems.is_empty(),
            records: records.len(),
            kiosks,
            problems,
        })
    }
}

fn insert(conn: &Connection, r: &Record) -> Result<(), LedgerError> {
    let kind = match r.kind {
        Kind::Check => "check",
        Kind::Entry => "entry",
        Kind::Exit => "exit",
    };
    conn.execute(
        "INSERT INTO records (kiosk_id, seq, at, port, kind, visa_number, passport_number,
                              verdict, reason, detail, prev_hash, hash, direction)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            r.kiosk_id,
            r.seq,
            r.at,
            r.port,
            kind,
            r.visa_number,
            r.passport_number,
            r.verdict,
            r.reason,
            r.detail,
            r.prev_hash,
            r.hash,
            r.direction
        ],
    )?;
    Ok(())
}

fn tampered(record: &Record, problem: &str) -> LedgerError {
    LedgerError::Tampered {
        kiosk_id: record.kiosk_id.clone(),
        seq: record.seq,
        problem: problem.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::IssuerKey;
    use time::macros::datetime;

    fn entry(visa: &str, at: OffsetDateTime) -> NewRecord {
        NewRecord {
            at,
            port: "NQZ".to_owned(),
            kind: Kind::Entry,
            direction: Some("entry".to_owned()),
            visa_number: Some(visa.to_owned()),
            passport_number: Some("P1".to_owned()),
            verdict: "valid".to_owned(),
            reason: "ok".to_owned(),
            detail: "entry recorded".to_owned(),
        }
    }

    /// A kiosk at NQZ with its own key, registered under `id`.
    fn registered(id: &str) -> (IssuerKey, RegisteredKiosk) {
        let key = IssuerKey::generate(&mut rand_core::OsRng);
        let kiosk = RegisteredKiosk {
            id: KioskId::parse(id).expect("id"),
            port: Port::Nqz,
            key: key.public_key(),
        };
        (key, kiosk)
    }

    const NOW: OffsetDateTime = datetime!(2026-12-06 10:00 UTC);

    fn export(ledger: &Ledger, key: &IssuerKey, kiosk: &RegisteredKiosk) -> Vec<u8> {
        ledger
            .export_signed(key, &kiosk.id, kiosk.port, NOW)
            .expect("export")
            .0
    }

    #[test]
    fn appended_records_form_a_chain_that_verifies() {
        let mut ledger = Ledger::open_in_memory("K1").expect("open");
        let first = ledger
            .append(entry("V1", datetime!(2026-12-01 10:00 UTC)))
            .expect("append");
        let second = ledger
            .append(entry("V2", datetime!(2026-12-01 11:00 UTC)))
            .expect("append");
        assert_eq!(first.prev_hash, GENESIS);
        assert_eq!(second.prev_hash, first.hash);
        assert!(ledger.verify().expect("verify").ok);
    }

    #[test]
    fn a_record_changed_in_the_database_breaks_the_chain() {
        let mut ledger = Ledger::open_in_memory("K1").expect("open");
        ledger
            .append(entry("V1", datetime!(2026-12-01 10:00 UTC)))
            .expect("append");
        ledger
            .conn
            .execute("UPDATE records SET visa_number = 'V9'", [])
            .expect("update");
        let report = ledger.verify().expect("verify");
        assert!(!report.ok);
        assert_eq!(report.problems.len(), 1);
    }

    #[test]
    fn importing_twice_adds_nothing_the_second_time() {
        let (key, kiosk) = registered("A");
        let mut a = Ledger::open_in_memory("A").expect("open");
        a.append(entry("V1", datetime!(2026-12-01 10:00 UTC)))
            .expect("append");
        let file = export(&a, &key, &kiosk);
        let mut b = Ledger::open_in_memory("B").expect("open");
        let kiosks = std::slice::from_ref(&kiosk);
        let first = b.import(&file, kiosks, NOW).expect("import");
        let second = b.import(&file, kiosks, NOW).expect("import");
        assert_eq!((first.imported, first.duplicates), (1, 0));
        assert_eq!((second.imported, second.duplicates), (0, 1));
        assert_eq!(b.records().expect("records").len(), 1);
    }

    #[test]
    fn an_export_carries_only_the_kiosks_own_records() {
        let (key_a, a_kiosk) = registered("A");
        let (key_b, b_kiosk) = registered("B");
        let mut a = Ledger::open_in_memory("A").expect("open");
        a.append(entry("V1", datetime!(2026-12-01 10:00 UTC)))
            .expect("append");
        let mut b = Ledger::open_in_memory("B").expect("open");
        b.append(entry("V2", datetime!(2026-12-01 11:00 UTC)))
            .expect("append");
        b.import(
            &export(&a, &key_a, &a_kiosk),
            std::slice::from_ref(&a_kiosk),
            NOW,
        )
        .expect("import");
        let from_b = export(&b, &key_b, &b_kiosk);
        let opened = shared::ledger::open_export(&from_b, &[b_kiosk]).expect("opens");
        assert_eq!(opened.records().len(), 1);
        assert_eq!(opened.records()[0].visa_number.as_deref(), Some("V2"));
    }

    #[test]
    fn a_visa_entered_at_two_kiosks_is_flagged_on_import() {
        let (key, kiosk) = registered("ALA-1");
        let mut a = Ledger::open_in_memory("ALA-1").expect("open");
        a.append(entry("V1", datetime!(2026-12-01 10:00 UTC)))
            .expect("append");
        let mut b = Ledger::open_in_memory("NQZ-1").expect("open");
        b.append(entry("V1", datetime!(2026-12-02 10:00 UTC)))
            .expect("append");
        let report = b
            .import(&export(&a, &key, &kiosk), &[kiosk], NOW)
            .expect("import");
        assert_eq!(
            report.flagged,
            vec![MultiKioskUse {
                visa_number: "V1".to_owned(),
                kiosks: vec!["ALA-1".to_owned(), "NQZ-1".to_owned()],
                entries: 2,
            }]
        );
        assert!(b.verify().expect("verify").ok);
    }

    #[test]
    fn a_fork_of_a_chain_already_held_is_refused_whole_as_tampering() {
        let (key, kiosk) = registered("A");
        let mut a = Ledger::open_in_memory("A").expect("open");
        a.append(entry("V1", datetime!(2026-12-01 10:00 UTC)))
            .expect("append");
        let mut b = Ledger::open_in_memory("B").expect("open");
        let kiosks = std::slice::from_ref(&kiosk);
        b.import(&export(&a, &key, &kiosk), kiosks, NOW)
            .expect("import");
        // The same kiosk key signs another first record: a second history of kiosk A.
        let mut forked = Ledger::open_in_memory("A").expect("open");
        forked
            .append(entry("V7", datetime!(2026-12-01 10:00 UTC)))
            .expect("append");
        forked
            .append(entry("V8", datetime!(2026-12-01 11:00 UTC)))
            .expect("append");
        let error = b
            .import(&export(&forked, &key, &kiosk), kiosks, NOW)
            .expect_err("refused");
        assert!(matches!(error, LedgerError::Fork { seq: 1, .. }), "{error}");
        assert!(error.to_string().contains("evidence of tampering"));
        assert_eq!(b.records().expect("records").len(), 1);
    }

    #[test]
    fn imported_records_never_move_the_clock_and_future_ones_are_flagged() {
        let (key, kiosk) = registered("A");
        let mut broken_clock = Ledger::open_in_memory("A").expect("open");
        broken_clock
            .append(entry("V1", datetime!(2099-01-01 00:00 UTC)))
            .expect("append");
        let file = broken_clock
            .export_signed(&key, &kiosk.id, kiosk.port, datetime!(2099-01-01 00:05 UTC))
            .expect("export")
            .0;
        let mut b = Ledger::open_in_memory("B").expect("open");
        b.append(entry("V2", datetime!(2026-12-05 10:00 UTC)))
            .expect("append");
        let report = b.import(&file, &[kiosk], NOW).expect("import");
        assert_eq!(report.imported, 1);
        assert_eq!(
            report.future_dated,
            vec![FutureRecord {
                kiosk_id: "A".to_owned(),
                seq: 1,
                at: "2099-01-01T00:00:00Z".to_owned(),
            }]
        );
        assert_eq!(
            b.latest_at().expect("latest"),
            Some(datetime!(2026-12-05 10:00 UTC))
        );
        assert_eq!(b.entries_of("V1").expect("entries").len(), 1);
    }

    #[test]
    fn an_export_by_a_kiosk_the_bundle_does_not_list_is_refused_whole() {
        let (key, kiosk) = registered("A");
        let (_, other) = registered("C");
        let mut a = Ledger::open_in_memory("A").expect("open");
        a.append(entry("V1", datetime!(2026-12-01 10:00 UTC)))
            .expect("append");
        let mut b = Ledger::open_in_memory("B").expect("open");
        let error = b
            .import(&export(&a, &key, &kiosk), &[other], NOW)
            .expect_err("refused");
        assert!(matches!(
            error,
            LedgerError::Refused(ExchangeError::UnknownKiosk(_))
        ));
        assert!(b.records().expect("records").is_empty());
    }

    #[test]
    fn a_record_is_on_disk_when_append_returns_even_if_the_process_dies() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("ledger.db");
        let mut ledger = Ledger::open(&path, "K1").expect("open");
        ledger
            .append(entry("V1", datetime!(2026-12-01 10:00 UTC)))
            .expect("append");
        // Leak the connection: no close, no checkpoint, as when the kiosk loses power.
        std::mem::forget(ledger);
        let reopened = Ledger::open(&path, "K1").expect("reopen");
        assert_eq!(reopened.entries_of("V1").expect("entries").len(), 1);
        assert!(reopened.verify().expect("verify").ok);
    }

    #[test]
    fn a_ledger_from_a_newer_kiosk_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("ledger.db");
        Connection::open(&path)
            .expect("open")
            .pragma_update(None, "user_version", 7)
            .expect("pragma");
        assert!(matches!(
            Ledger::open(&path, "K1"),
            Err(LedgerError::TooNew(7))
        ));
    }
}
