//! The headless CLI end to end: `verify`, `record` and `ledger verify`, their JSON and their exit
//! codes, as a script at the border would use them (signed ledger exchange: `exchange.rs`).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::render::{a4_page, png};
use crate::{DURING, token, trust_dir};

fn kiosk(args: &[&str]) -> (Option<i32>, Vec<Value>) {
    let output = Command::new(env!("CARGO_BIN_EXE_verifier-kiosk"))
        .args(args)
        .env_remove("KIOSK_TRUST")
        .env_remove("KIOSK_LEDGER")
        .env_remove("KIOSK_ID")
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (output.status.code(), lines)
}

fn record(
    ledger: &Path,
    kiosk_id: &str,
    direction: &str,
    at: &str,
    input: &[&str],
) -> (Option<i32>, Value) {
    let trust = trust_dir();
    let mut args = vec![
        "record",
        "--trust",
        trust.to_str().expect("utf-8 path"),
        "--port",
        "NQZ",
        "--ledger",
        ledger.to_str().expect("utf-8 path"),
        "--direction",
        direction,
        "--at",
        at,
        "--kiosk-id",
        kiosk_id,
        // Generous for a debug build on a busy machine; speed is the benchmark's business.
        "--scan-budget",
        "120",
    ];
    args.extend(input);
    let (code, mut lines) = kiosk(&args);
    assert_eq!(lines.len(), 1, "one JSON line");
    (code, lines.remove(0))
}

fn vector(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/tests/vectors")
        .join(name);
    std::fs::read_to_string(path)
        .expect("vector")
        .trim()
        .to_owned()
}

#[test]
fn a_genuine_printout_enters_once_and_is_refused_the_second_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = dir.path().join("ledger.db");
    let page = dir.path().join("printout.png");
    std::fs::write(&page, png(&a4_page(&token(|_| {}), 200.0, 0.85, 1.5))).expect("write");
    let page = page.to_str().expect("utf-8 path");

    let (code, first) = record(&ledger, "NQZ-02", "entry", DURING, &[page]);
    assert_eq!(code, Some(0), "{first}");
    assert_eq!(first["verdict"], "valid");
    assert_eq!(first["recorded"], "entry");
    assert_eq!(first["visa"]["surname"], "ERIKSSON");

    let (code, second) = record(
        &ledger,
        "NQZ-02",
        "entry",
        "2026-12-20T09:00:00+05:00",
        &[page],
    );
    assert_eq!(code, Some(1));
    assert_eq!(second["reason"], "already_used");
    assert_eq!(second["first_use"]["kiosk_id"], "NQZ-02");
    assert_eq!(second["first_use"]["at"], "2026-12-05T05:00:00Z");
}

#[test]
fn altered_expired_foreign_and_other_airport_codes_get_their_verdicts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = dir.path().join("ledger.db");
    let almaty_only = token(|d| d.ports = vec!["ALA".to_owned()]);
    let cases = [
        (vector("tampered.txt"), DURING, Some(1), "bad_signature"),
        (vector("wrong-key.txt"), DURING, Some(2), "unknown_key"),
        (
            vector("valid.txt"),
            "2027-03-01T10:00:00+05:00",
            Some(1),
            "expired",
        ),
        (almaty_only, DURING, Some(1), "wrong_port"),
        (
            "not a visa at all".to_owned(),
            DURING,
            Some(1),
            "not_a_visa",
        ),
    ];
    for (text, at, expect_code, expect_reason) in cases {
        let (code, line) = record(&ledger, "NQZ-01", "entry", at, &["--text", &text]);
        assert_eq!(
            (code, line["reason"].as_str()),
            (expect_code, Some(expect_reason)),
            "{line}"
        );
        assert!(
            line.get("recorded").is_none(),
            "a refusal records no entry: {line}"
        );
    }
}

#[test]
fn a_passport_of_another_country_is_a_mismatch_listing_the_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let specimen = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    let (code, line) = record(
        &dir.path().join("ledger.db"),
        "NQZ-01",
        "entry",
        DURING,
        &["--mrz", specimen, "--text", &token(|_| {})],
    );
    assert_eq!(code, Some(1));
    assert_eq!(line["reason"], "passport_mismatch");
    let fields: Vec<_> = line["mismatches"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|m| m["field"].as_str().expect("a name"))
        .collect();
    assert_eq!(fields, ["citizenship", "passport_expiry"]);
}

#[test]
fn ledger_verify_finds_a_record_edited_behind_the_kiosks_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = dir.path().join("ledger.db");
    let code = token(|_| {});
    record(&ledger, "NQZ-01", "entry", DURING, &["--text", &code]);
    let (refused, _) = record(&ledger, "NQZ-01", "entry", DURING, &["--text", &code]);
    assert_eq!(refused, Some(1));
    // Someone turns the refusal of the second use into an acceptance.
    let conn = rusqlite::Connection::open(&ledger).expect("open");
    conn.execute(
        "UPDATE records SET verdict = 'valid', reason = 'ok' WHERE seq = 2",
        [],
    )
    .expect("edit");
    drop(conn);
    let (code, lines) = kiosk(&[
        "ledger",
        "verify",
        "--ledger",
        ledger.to_str().expect("path"),
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(lines[0]["ok"], false);
}
