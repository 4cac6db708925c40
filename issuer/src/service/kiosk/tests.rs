//! The registry and the ledger import against an in-memory database: only a registered,
//! unrevoked kiosk's signed, unforked chain is believed, a refused file changes nothing but the
//! audit log, and every import is logged.

use shared::IssuerKey;
use shared::ledger::{GENESIS, LedgerRecord, record_hash, rfc3339_utc, sign_export};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use shared::Port;
use shared::kiosk::KioskId;

use super::*;
use crate::store::Db;
use crate::store::kiosk::Added;

const SIGNED_AT: OffsetDateTime = datetime!(2026-12-05 12:00 UTC);
const NOW: &str = "2026-12-06T09:00:00Z";
const NOW_AT: OffsetDateTime = datetime!(2026-12-06 09:00 UTC);

fn kiosk(id: &str) -> (IssuerKey, RegisteredKiosk) {
    let key = IssuerKey::generate(&mut rand_core::OsRng);
    let kiosk = RegisteredKiosk {
        id: KioskId::parse(id).expect("id"),
        port: Port::Nqz,
        key: key.public_key(),
    };
    (key, kiosk)
}

/// Entries of `kiosk`, one per visa, an hour apart from 08:00Z.
fn chain(kiosk: &RegisteredKiosk, visas: &[&str]) -> Vec<LedgerRecord> {
    let mut records: Vec<LedgerRecord> = Vec::new();
    for (i, visa) in visas.iter().enumerate() {
        let hours = i64::try_from(i).expect("few");
        let mut record = LedgerRecord {
            kiosk_id: kiosk.id.to_string(),
            seq: hours + 1,
            at: rfc3339_utc(datetime!(2026-12-05 08:00 UTC) + Duration::hours(hours)),
            port: kiosk.port.code().to_owned(),
            kind: RecordKind::Entry,
            direction: Some("entry".to_owned()),
            visa_number: Some((*visa).to_owned()),
            passport_number: Some("L898902C3".to_owned()),
            verdict: "valid".to_owned(),
            reason: "ok".to_owned(),
            detail: "entry recorded".to_owned(),
            prev_hash: records
                .last()
                .map_or(GENESIS.to_owned(), |r| r.hash.clone()),
            hash: String::new(),
        };
        record.hash = record_hash(&record);
        records.push(record);
    }
    records
}

fn export(key: &IssuerKey, kiosk: &RegisteredKiosk, records: &[LedgerRecord]) -> Vec<u8> {
    sign_export(key, &kiosk.id, kiosk.port, SIGNED_AT, records)
}

/// The import's outcome as `new/known` or the refusal's words.
fn outcome(db: &Db, bytes: &[u8]) -> String {
    let clock = Clock::fixed(NOW_AT);
    match db
        .with(|conn| import_ledger(conn, &clock, &By::operator(), bytes))
        .expect("database")
    {
        Checked::Stored((_, done)) => format!("{}/{}", done.new, done.known),
        Checked::Refused(refusal) => refusal.to_string(),
    }
}

fn registered(db: &Db, kiosk: &RegisteredKiosk) {
    db.with(|conn| store::add_kiosk(conn, kiosk, NOW))
        .expect("registered");
}

#[test]
fn a_registered_kiosks_export_is_imported_once() {
    let db = Db::in_memory().expect("db");
    let (key, nqz) = kiosk("NQZ-01");
    registered(&db, &nqz);
    let file = export(&key, &nqz, &chain(&nqz, &["KZ1", "KZ2"]));
    assert_eq!(outcome(&db, &file), "2/0");
    assert_eq!(outcome(&db, &file), "0/2");
    let longer = export(&key, &nqz, &chain(&nqz, &["KZ1", "KZ2", "KZ3"]));
    assert_eq!(outcome(&db, &longer), "1/2");
}

#[test]
fn unregistered_revoked_altered_and_unsigned_exports_are_refused() {
    let db = Db::in_memory().expect("db");
    let (key, nqz) = kiosk("NQZ-01");
    let file = export(&key, &nqz, &chain(&nqz, &["KZ1"]));
    assert!(
        outcome(&db, &file).contains("not the key of a registered kiosk"),
        "unregistered"
    );
    registered(&db, &nqz);
    let mut altered = file.clone();
    let last = altered.len() - 1;
    altered[last] ^= 1;
    assert!(outcome(&db, &altered).contains("signature does not match"));
    let line = serde_json::to_string(&chain(&nqz, &["KZ1"])[0]).expect("json");
    assert!(outcome(&db, line.as_bytes()).contains("unsigned ledger export"));
    db.with(|conn| store::revoke_kiosk(conn, &nqz.id, "stolen", NOW))
        .expect("revoked");
    assert!(outcome(&db, &file).contains("revoked on"));
    assert!(
        db.with(|conn| store::active_kiosks(conn))
            .expect("kiosks")
            .is_empty(),
        "the next bundle leaves a revoked kiosk out"
    );
}

#[test]
fn a_second_history_of_a_kiosk_is_refused_as_a_fork_and_changes_nothing() {
    let db = Db::in_memory().expect("db");
    let (key, nqz) = kiosk("NQZ-01");
    registered(&db, &nqz);
    assert_eq!(
        outcome(&db, &export(&key, &nqz, &chain(&nqz, &["KZ1"]))),
        "1/0"
    );
    let forked = export(&key, &nqz, &chain(&nqz, &["KZ7", "KZ8"]));
    assert!(outcome(&db, &forked).contains("evidence of tampering"));
    // A part of the chain that skips what the issuer holds does not continue it.
    let records = chain(&nqz, &["KZ1", "KZ2", "KZ3"]);
    assert!(outcome(&db, &export(&key, &nqz, &records[2..])).contains("does not continue"));
    assert_eq!(outcome(&db, &export(&key, &nqz, &records)), "2/1");
}

#[test]
fn an_id_or_a_key_belongs_to_one_kiosk_and_a_revoked_id_is_not_reused() {
    let db = Db::in_memory().expect("db");
    let (_, nqz) = kiosk("NQZ-01");
    let add = |k: &RegisteredKiosk| {
        db.with(|conn| store::add_kiosk(conn, k, NOW))
            .map_err(|e| e.to_string())
    };
    assert_eq!(add(&nqz), Ok(Added::Now));
    assert_eq!(add(&nqz), Ok(Added::Already));
    let (_, other_key) = kiosk("NQZ-01");
    assert!(add(&other_key).is_err_and(|e| e.contains("already registered")));
    let same_key = RegisteredKiosk {
        id: KioskId::parse("ALA-01").expect("id"),
        port: Port::Ala,
        key: nqz.key.clone(),
    };
    assert!(add(&same_key).is_err_and(|e| e.contains("its own key")));
    db.with(|conn| store::revoke_kiosk(conn, &nqz.id, "stolen", NOW))
        .expect("revoked");
    assert!(add(&nqz).is_err_and(|e| e.contains("new id")));
    assert!(KioskId::parse("NOT A KIOSK").is_err());
}

#[test]
fn every_import_and_every_refusal_is_in_the_audit_log_and_the_crossings_are_kept() {
    let db = Db::in_memory().expect("db");
    let (key, nqz) = kiosk("NQZ-01");
    let file = export(&key, &nqz, &chain(&nqz, &["KZ1", "KZ2"]));
    assert!(outcome(&db, &file).contains("not the key of a registered kiosk"));
    registered(&db, &nqz);
    assert_eq!(outcome(&db, &file), "2/0");
    let log = db
        .with(|conn| crate::store::audit::page(conn, None, 10))
        .expect("log");
    let logged: Vec<(&str, &str, &str)> = log
        .iter()
        .map(|s| {
            (
                s.entry.action.as_str(),
                s.entry.record.as_str(),
                s.entry.actor.as_str(),
            )
        })
        .collect();
    assert_eq!(
        logged,
        [
            ("ledger.imported", "kiosk:NQZ-01", "operator"),
            ("ledger.refused", "ledger", "operator")
        ]
    );
    let entries: i64 = db
        .with(|conn| {
            conn.query_row(
                "SELECT count(*) FROM crossings WHERE port = 'NQZ' AND direction = 'entry'",
                [],
                |r| r.get(0),
            )
        })
        .expect("count");
    assert_eq!(entries, 2);
}
