//! Tests of the signed ledger export: only a registered kiosk's own, intact, in-time records in an
//! unbroken chain are accepted, and nothing makes the reader panic.

use proptest::prelude::*;
use time::macros::datetime;

use super::*;
use crate::token::tests::key;

fn kiosk(seed: u8, id: &str, port: Port) -> (IssuerKey, RegisteredKiosk) {
    let key = key(seed);
    let registered = RegisteredKiosk {
        id: KioskId::parse(id).expect("a kiosk id"),
        port,
        key: key.public_key(),
    };
    (key, registered)
}

/// A chain of entries of kiosk `id` at `port`, one per visa, an hour apart from 2026-12-05 08:00Z.
fn chain(id: &str, port: Port, visas: &[&str]) -> Vec<LedgerRecord> {
    let mut records: Vec<LedgerRecord> = Vec::new();
    for (i, visa) in visas.iter().enumerate() {
        let hours = i64::try_from(i).expect("few records");
        let mut record = LedgerRecord {
            kiosk_id: id.to_owned(),
            seq: hours + 1,
            at: rfc3339_utc(datetime!(2026-12-05 08:00 UTC) + Duration::hours(hours)),
            port: port.code().to_owned(),
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

const SIGNED_AT: OffsetDateTime = datetime!(2026-12-05 12:00 UTC);

fn outcome(bytes: &[u8], kiosks: &[RegisteredKiosk]) -> Result<usize, ExchangeError> {
    open_export(bytes, kiosks).map(|e| e.records().len())
}

#[test]
fn an_export_signed_by_a_registered_kiosk_opens_with_its_records() {
    let (key, nqz) = kiosk(7, "NQZ-01", Port::Nqz);
    let records = chain("NQZ-01", Port::Nqz, &["KZ1", "KZ2"]);
    let file = sign_export(&key, &nqz.id, Port::Nqz, SIGNED_AT, &records);
    let opened = open_export(&file, std::slice::from_ref(&nqz)).expect("opens");
    assert_eq!(opened.records(), records.as_slice());
    assert_eq!(opened.kiosk().id.as_str(), "NQZ-01");
    assert_eq!(opened.signed_at(), SIGNED_AT);
}

#[test]
fn an_export_with_any_byte_changed_is_refused() {
    let (key, nqz) = kiosk(7, "NQZ-01", Port::Nqz);
    let file = sign_export(
        &key,
        &nqz.id,
        Port::Nqz,
        SIGNED_AT,
        &chain("NQZ-01", Port::Nqz, &["KZ1"]),
    );
    for i in 0..file.len() {
        let mut changed = file.clone();
        changed[i] ^= 0x01;
        assert!(
            outcome(&changed, std::slice::from_ref(&nqz)).is_err(),
            "byte {i}"
        );
    }
}

#[test]
fn a_key_the_bundle_does_not_list_is_an_unknown_kiosk() {
    let (_, nqz) = kiosk(7, "NQZ-01", Port::Nqz);
    let (stranger, _) = kiosk(9, "NQZ-01", Port::Nqz);
    let file = sign_export(
        &stranger,
        &nqz.id,
        Port::Nqz,
        SIGNED_AT,
        &chain("NQZ-01", Port::Nqz, &["KZ1"]),
    );
    assert_eq!(
        outcome(&file, &[nqz]),
        Err(ExchangeError::UnknownKiosk(stranger.kid()))
    );
}

#[test]
fn the_old_unsigned_json_lines_are_refused_with_how_to_re_export() {
    let line = serde_json::to_string(&chain("ALA-07", Port::Ala, &["KZ1"])[0]).expect("json");
    let error = outcome(format!("{line}\n").as_bytes(), &[]).expect_err("refused");
    assert_eq!(error, ExchangeError::Unsigned);
    assert!(error.to_string().contains("verifier-kiosk ledger export"));
}

#[test]
fn a_kiosk_signs_only_for_its_own_id_airport_and_records() {
    let (key, nqz) = kiosk(7, "NQZ-01", Port::Nqz);
    let kiosks = std::slice::from_ref(&nqz);
    let claims_other_id = sign_export(
        &key,
        &KioskId::parse("ALA-01").expect("id"),
        Port::Nqz,
        SIGNED_AT,
        &[],
    );
    assert!(matches!(
        outcome(&claims_other_id, kiosks),
        Err(ExchangeError::WrongKiosk { .. })
    ));
    let claims_other_port = sign_export(&key, &nqz.id, Port::Ala, SIGNED_AT, &[]);
    assert!(matches!(
        outcome(&claims_other_port, kiosks),
        Err(ExchangeError::WrongKiosk { .. })
    ));
    for records in [
        chain("ALA-07", Port::Nqz, &["KZ1"]),
        chain("NQZ-01", Port::Ala, &["KZ1"]),
    ] {
        let file = sign_export(&key, &nqz.id, Port::Nqz, SIGNED_AT, &records);
        assert!(matches!(
            outcome(&file, kiosks),
            Err(ExchangeError::Record { seq: 1, .. })
        ));
    }
}

#[test]
fn records_must_be_intact_in_time_and_chained() {
    let (key, nqz) = kiosk(7, "NQZ-01", Port::Nqz);
    let check = |edit: &dyn Fn(&mut Vec<LedgerRecord>)| {
        let mut records = chain("NQZ-01", Port::Nqz, &["KZ1", "KZ2"]);
        edit(&mut records);
        let file = sign_export(&key, &nqz.id, Port::Nqz, SIGNED_AT, &records);
        match outcome(&file, std::slice::from_ref(&nqz)) {
            Ok(_) => "ok".to_owned(),
            Err(ExchangeError::Record { seq, problem }) => format!("{seq}: {problem}"),
            Err(other) => other.to_string(),
        }
    };
    let rehash = |r: &mut LedgerRecord| r.hash = record_hash(r);
    assert_eq!(check(&|_| {}), "ok");
    assert_eq!(
        check(&|rs| rs[1].visa_number = Some("KZ9".into())),
        "2: its hash does not match its content"
    );
    assert!(
        check(&|rs| {
            rs[1].at = "zzzz".into();
            rehash(&mut rs[1]);
        })
        .starts_with("2: its time \"zzzz\" is not RFC 3339")
    );
    assert!(
        check(&|rs| {
            rs[1].at = "2026-12-05T14:00:00+05:00".into();
            rehash(&mut rs[1]);
        })
        .starts_with("2: its time")
    );
    // Ten minutes of skew are tolerated, eleven are not.
    assert_eq!(
        check(&|rs| {
            rs[1].at = "2026-12-05T12:10:00Z".into();
            rehash(&mut rs[1]);
        }),
        "ok"
    );
    assert_eq!(
        check(&|rs| {
            rs[1].at = "2099-01-01T00:00:00Z".into();
            rehash(&mut rs[1]);
        }),
        "2: it is dated 2099-01-01T00:00:00Z, after the export was signed (2026-12-05T12:00:00Z)"
    );
    assert_eq!(
        check(&|rs| {
            rs.remove(0);
        }),
        "ok",
        "a later part of a chain may travel alone; the reader checks it continues what it holds"
    );
    assert_eq!(
        check(&|rs| {
            rs[1].prev_hash = GENESIS.into();
            rehash(&mut rs[1]);
        }),
        "2: it does not follow the record before it in the export"
    );
    assert_eq!(
        check(&|rs| {
            rs[0].prev_hash = rs[1].hash.clone();
            rehash(&mut rs[0]);
            rs[1].prev_hash = rs[0].hash.clone();
            rehash(&mut rs[1]);
        }),
        "1: the first record of a chain must follow the genesis hash"
    );
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_open_and_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let (_, nqz) = kiosk(7, "NQZ-01", Port::Nqz);
        prop_assert!(open_export(&bytes, &[nqz]).is_err());
    }

    #[test]
    fn arbitrary_records_under_a_valid_signature_never_panic(lines in proptest::collection::vec(".{0,200}", 0..4)) {
        let (key, nqz) = kiosk(7, "NQZ-01", Port::Nqz);
        let mut w = Writer::new();
        w.map(5).uint(0).text(EXPORT_TYPE).uint(1).text("NQZ-01").uint(2).text("NQZ");
        w.uint(3).int(SIGNED_AT.unix_timestamp()).uint(4).array(lines.len());
        for line in &lines {
            w.text(line);
        }
        let file = cose::sign1(&key, &w.into_bytes());
        let _ = open_export(&file, &[nqz]);
    }
}
