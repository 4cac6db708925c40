//! Golden vectors: committed tokens made with the development key, so the format cannot drift
//! silently. If one of these tests fails, the wire format changed: that needs a new version prefix,
//! not new vectors.

use shared::{IssuerKey, PublicKey, TrustStore, VisaDraft};
use time::macros::datetime;

const DEV_PRIVATE: &str = include_str!("../../keys/dev-issuer.key");
const DEV_PUBLIC: &str = include_str!("../../keys/dev-issuer.pub");

fn vector(name: &str) -> String {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn dev_trust() -> TrustStore {
    TrustStore::from_keys([PublicKey::from_spki_pem(DEV_PUBLIC).expect("the development key")])
}

fn draft(name: &str) -> VisaDraft {
    serde_json::from_str(&vector(name)).expect("vector JSON")
}

/// The verification outcome at Astana on 2026-12-05 as `verdict-ish` text.
fn check(token_file: &str) -> String {
    match shared::verify(&vector(token_file), &dev_trust()) {
        Err(e) => e.code().to_owned(),
        Ok(v) => match v.check_entry(shared::Port::Nqz, datetime!(2026-12-05 10:00 +5)) {
            Ok(()) => format!("ok {}", v.number().as_str()),
            Err(refusal) => refusal.code().to_owned(),
        },
    }
}

#[test]
fn the_valid_vector_is_exactly_what_signing_the_vector_visa_produces() {
    let key = IssuerKey::from_pkcs8_pem(DEV_PRIVATE).expect("the development key");
    let visa = draft("visa.json").into_visa().expect("valid visa");
    assert_eq!(
        format!("{}\n", shared::sign(&visa, &key)),
        vector("valid.txt")
    );
    let expired = draft("expired.json").into_visa().expect("valid visa");
    assert_eq!(
        format!("{}\n", shared::sign(&expired, &key)),
        vector("expired.txt")
    );
}

#[test]
fn each_vector_gets_its_verdict() {
    assert_eq!(check("valid.txt"), "ok KZ2600017");
    assert_eq!(check("tampered.txt"), "bad_signature");
    assert_eq!(check("expired.txt"), "expired");
    assert_eq!(check("wrong-key.txt"), "unknown_key");
}

#[test]
fn the_wrong_key_vector_verifies_under_its_own_key() {
    let other = PublicKey::from_spki_pem(&vector("unknown-issuer.pub")).expect("key");
    let verified = shared::verify(&vector("wrong-key.txt"), &TrustStore::from_keys([other]));
    assert!(verified.is_ok());
}

#[test]
fn the_decoded_vector_matches_its_json() {
    let verified = shared::verify(&vector("valid.txt"), &dev_trust()).expect("valid");
    assert_eq!(verified.to_draft(), draft("visa.json"));
}

/// The worked example of docs/ledger-exchange.md: kiosk NQZ-01 (the development kiosk key) records
/// the sample visa's entry and exports its ledger. The file must keep opening, with that record.
#[test]
fn the_committed_ledger_export_opens_with_the_development_kiosk_key() {
    use shared::kiosk::{KioskId, RegisteredKiosk};
    let path = format!(
        "{}/tests/vectors/ledger-export.kzledger",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let kiosk = RegisteredKiosk {
        id: KioskId::parse("NQZ-01").expect("id"),
        port: shared::Port::Nqz,
        key: PublicKey::from_spki_pem(include_str!("../../keys/kiosk/dev-kiosk-nqz-01.pub"))
            .expect("the development kiosk key"),
    };
    assert_eq!(kiosk.kid().to_string(), "574b4c36131c3f54");
    let export = shared::ledger::open_export(&bytes, &[kiosk]).expect("the vector opens");
    assert_eq!(export.signed_at(), datetime!(2026-12-05 05:30 UTC));
    let [record] = export.records() else {
        panic!("one record expected");
    };
    assert_eq!(
        (
            record.seq,
            record.at.as_str(),
            record.visa_number.as_deref()
        ),
        (1, "2026-12-05T05:00:00Z", Some("KZ2600017"))
    );
    assert_eq!(
        record.hash,
        "0ec2543ca66ba80149280f39c75fb3705bb89460b81bf9d57d7b2efdcc531a9a"
    );
    // Signing is deterministic: the same key, record and time give the same bytes.
    let key = IssuerKey::from_pkcs8_pem(include_str!("../../keys/kiosk/dev-kiosk-nqz-01.key"))
        .expect("the development kiosk key");
    let again = shared::ledger::sign_export(
        &key,
        &KioskId::parse("NQZ-01").expect("id"),
        shared::Port::Nqz,
        export.signed_at(),
        export.records(),
    );
    assert_eq!(again, bytes);
}
