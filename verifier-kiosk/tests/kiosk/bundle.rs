//! The production trust layout: a root key and a root-signed bundle installed with
//! `bundle import`, whose revocations, used entries and age change the verdicts.

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use shared::bundle::{BundleContents, KeyCertificate, Revocation, UsedEntry};
use shared::visa::VisaNumber;
use shared::{IssuerKey, Port};
use time::OffsetDateTime;
use time::macros::datetime;

use crate::{DURING, issuer, token};

fn root() -> IssuerKey {
    IssuerKey::from_pkcs8_pem(include_str!("../../../keys/root/dev-root.key")).expect("root key")
}

/// A bundle certifying the dev issuer key for 2026–2027, revoking visa KZ2600099 and reporting
/// KZ2600017 as entered at Almaty.
pub(crate) fn bundle(sequence: u64, created_at: OffsetDateTime) -> Vec<u8> {
    let certificate = KeyCertificate::new(
        issuer().public_key(),
        datetime!(2026-01-01 00:00 UTC),
        datetime!(2027-12-31 00:00 UTC),
    )
    .expect("certificate");
    let revoked = Revocation {
        visa_number: VisaNumber::parse("KZ2600099").expect("number"),
        reason: "passport reported stolen".to_owned(),
        revoked_at: datetime!(2026-11-30 12:00 UTC),
    };
    let used = UsedEntry {
        visa_number: VisaNumber::parse("KZ2600017").expect("number"),
        at: datetime!(2026-12-02 06:00 UTC),
        port: Port::Ala,
        kiosk_id: "ALA-05".to_owned(),
    };
    BundleContents::new(
        sequence,
        created_at,
        vec![certificate],
        vec![revoked],
        vec![],
        vec![used],
    )
    .expect("bundle")
    .sign(&root())
}

fn kiosk(args: &[&str]) -> (Option<i32>, Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_verifier-kiosk"))
        .args(args)
        .env_remove("KIOSK_TRUST")
        .output()
        .expect("runs");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let first = stdout.lines().next().unwrap_or("null");
    (
        output.status.code(),
        serde_json::from_str(first).expect("JSON"),
    )
}

pub(crate) fn trust_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("root.pub"),
        include_str!("../../../keys/root/dev-root.pub"),
    )
    .expect("write");
    dir
}

fn import(dir: &Path, bytes: &[u8]) -> (Option<i32>, Value) {
    let file = dir.join("offered.kztrust");
    std::fs::write(&file, bytes).expect("write");
    kiosk(&["bundle", "import", "--trust", path(dir), path(&file)])
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn record(dir: &Path, at: &str, text: &str) -> (Option<i32>, Value) {
    let ledger = dir.join("ledger.db");
    kiosk(&[
        "record",
        "--trust",
        path(dir),
        "--port",
        "NQZ",
        "--ledger",
        path(&ledger),
        "--direction",
        "entry",
        "--at",
        at,
        "--kiosk-id",
        "NQZ-01",
        "--text",
        text,
    ])
}

#[test]
fn bundles_install_only_forward_and_only_when_signed_by_the_root() {
    let dir = trust_dir();
    let (code, line) = import(dir.path(), &bundle(2, datetime!(2026-12-04 00:00 UTC)));
    assert_eq!((code, &line["installed"]), (Some(0), &Value::from(2)));
    let (code, line) = import(dir.path(), &bundle(1, datetime!(2026-12-04 01:00 UTC)));
    assert_eq!(code, Some(1), "an older bundle is a rollback: {line}");
    let mut tampered = bundle(3, datetime!(2026-12-04 02:00 UTC));
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let (code, line) = import(dir.path(), &tampered);
    assert_eq!(code, Some(1), "an altered bundle is refused: {line}");
    let (code, line) = import(dir.path(), &bundle(3, datetime!(2026-12-04 02:00 UTC)));
    assert_eq!((code, &line["installed"]), (Some(0), &Value::from(3)));
}

#[test]
fn the_bundle_revokes_reports_use_elsewhere_and_expires() {
    let dir = trust_dir();
    assert_eq!(
        import(dir.path(), &bundle(1, datetime!(2026-12-04 00:00 UTC))).0,
        Some(0)
    );

    let fresh = token(|d| d.visa_number = "KZ2600018".to_owned());
    let (code, line) = record(dir.path(), DURING, &fresh);
    assert_eq!(
        (code, &line["reason"]),
        (Some(0), &Value::from("ok")),
        "{line}"
    );

    let revoked = token(|d| d.visa_number = "KZ2600099".to_owned());
    let (code, line) = record(dir.path(), DURING, &revoked);
    assert_eq!(
        (code, &line["reason"]),
        (Some(1), &Value::from("revoked")),
        "{line}"
    );

    // KZ2600017 entered at Almaty per the bundle; this kiosk's ledger has never seen it.
    let (code, line) = record(dir.path(), DURING, &token(|_| {}));
    assert_eq!(
        (code, &line["reason"]),
        (Some(1), &Value::from("already_used")),
        "{line}"
    );
    assert_eq!(line["first_use"]["kiosk_id"], "ALA-05");

    let (code, line) = record(dir.path(), "2026-12-20T10:00:00+05:00", &fresh);
    assert_eq!(
        (code, &line["reason"]),
        (Some(2), &Value::from("trust_too_old")),
        "{line}"
    );

    // Wound back to before the bundle was made (and before the records just written).
    let (code, line) = record(dir.path(), "2026-12-01T10:00:00+05:00", &fresh);
    assert_eq!(
        (code, &line["reason"]),
        (Some(2), &Value::from("clock_suspicious")),
        "{line}"
    );
}

#[test]
fn a_code_signed_by_a_key_the_root_never_certified_cannot_be_verified() {
    let dir = trust_dir();
    assert_eq!(
        import(dir.path(), &bundle(1, datetime!(2026-12-04 00:00 UTC))).0,
        Some(0)
    );
    // The dev issuer's own .pub beside the bundle does not count; only the bundle's keys do.
    let stranger = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tests/vectors/wrong-key.txt"),
    )
    .expect("vector");
    let (code, line) = record(dir.path(), DURING, stranger.trim());
    assert_eq!(
        (code, &line["reason"]),
        (Some(2), &Value::from("unknown_key")),
        "{line}"
    );
}

#[test]
fn a_root_key_without_an_installed_bundle_trusts_nothing() {
    let dir = trust_dir();
    let error = verifier_kiosk::trust::load(dir.path()).expect_err("refused");
    assert!(
        format!("{error:#}").contains("no trust bundle is installed"),
        "{error:#}"
    );
    let (code, line) = kiosk(&[
        "verify",
        "--trust",
        path(dir.path()),
        "--text",
        &token(|_| {}),
    ]);
    assert_ne!(code, Some(0), "{line}");
}

#[test]
fn a_root_folder_without_an_installed_bundle_trusts_nothing_not_even_a_loose_issuer_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("root")).expect("mkdir");
    std::fs::write(
        dir.path().join("root").join("dev-root.pub"),
        include_str!("../../../keys/root/dev-root.pub"),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("dev-issuer.pub"),
        include_str!("../../../keys/dev-issuer.pub"),
    )
    .expect("write");
    let (code, line) = kiosk(&[
        "verify",
        "--trust",
        path(dir.path()),
        "--text",
        &token(|_| {}),
    ]);
    assert_ne!(code, Some(0), "{line}");
    assert!(verifier_kiosk::trust::load(dir.path()).is_err());
}

/// Issue 16: bundles leave out the revocations and uses of visas whose validity ended before
/// their horizon. A kiosk that held a bundle listing everything (as every bundle did before) and
/// then installs a newer, smaller one refuses everything it refused before whose reason still
/// holds: the revoked and the used visas still valid, and the expired ones as expired.
#[test]
fn a_kiosk_moving_to_a_smaller_bundle_forgets_no_refusal_that_still_holds() {
    let number = |n: &str| VisaNumber::parse(n).expect("number");
    // Two visas still valid on 5 December (DURING) and two that ended on 10 November.
    let valid = |n: &str| token(|d| d.visa_number = n.to_owned());
    let expired = |n: &str| {
        token(|d| {
            d.visa_number = n.to_owned();
            d.issued_at = "2026-09-25T09:00:00Z".to_owned();
            d.valid_from = "2026-10-01".to_owned();
            d.valid_until = "2026-11-10".to_owned();
        })
    };
    let visas = [
        ("KZ2600099", valid("KZ2600099")),   // revoked, valid
        ("KZ2600050", expired("KZ2600050")), // revoked, expired
        ("KZ2600017", valid("KZ2600017")),   // used at Almaty, valid
        ("KZ2600051", expired("KZ2600051")), // used at Almaty, expired
        ("KZ2600018", valid("KZ2600018")),   // nothing against it
    ];
    let revocation = |n: &str| Revocation {
        visa_number: number(n),
        reason: "passport reported stolen".to_owned(),
        revoked_at: datetime!(2026-10-30 12:00 UTC),
    };
    let used = |n: &str| UsedEntry {
        visa_number: number(n),
        at: datetime!(2026-10-02 06:00 UTC),
        port: Port::Ala,
        kiosk_id: "ALA-05".to_owned(),
    };
    let certificate = KeyCertificate::new(
        issuer().public_key(),
        datetime!(2026-01-01 00:00 UTC),
        datetime!(2027-12-31 00:00 UTC),
    )
    .expect("certificate");
    let ends = |n: &str| {
        if ["KZ2600050", "KZ2600051"].contains(&n) {
            "2026-11-10"
        } else {
            "2027-01-29"
        }
    };
    // The issuer's rule (`issuer bundle export`): only visas valid until the first listed day.
    let make = |sequence: u64, created_at: OffsetDateTime, trimmed: bool| {
        let first = shared::bundle::first_listed_day(created_at).to_string();
        let keep = |n: &&&str| !trimmed || ends(n) >= first.as_str();
        BundleContents::new(
            sequence,
            created_at,
            vec![certificate.clone()],
            ["KZ2600099", "KZ2600050"]
                .iter()
                .filter(keep)
                .map(|n| revocation(n))
                .collect(),
            vec![],
            ["KZ2600017", "KZ2600051"]
                .iter()
                .filter(keep)
                .map(|n| used(n))
                .collect(),
        )
        .expect("bundle")
        .sign(&root())
    };
    let dir = trust_dir();
    // Each phase with a fresh ledger, so only the bundle speaks of other kiosks' entries.
    let verdicts = |dir: &Path, ledger: &str| -> Vec<(String, Value)> {
        let ledger = dir.join(ledger);
        visas
            .iter()
            .map(|(n, text)| {
                let (_, line) = kiosk(&[
                    "record",
                    "--ledger",
                    path(&ledger),
                    "--kiosk-id",
                    "NQZ-01",
                    "--direction",
                    "entry",
                    "--trust",
                    path(dir),
                    "--port",
                    "NQZ",
                    "--at",
                    DURING,
                    "--text",
                    text,
                ]);
                (n.to_string(), line)
            })
            .collect()
    };

    let (code, line) = import(dir.path(), &make(1, datetime!(2026-12-04 08:00 UTC), false));
    assert_eq!(code, Some(0), "{line}");
    let before = verdicts(dir.path(), "before.db");
    let newer = make(2, datetime!(2026-12-05 04:00 UTC), true);
    let listed = shared::bundle::TrustBundle::verify(&newer, &root().public_key()).expect("reads");
    assert_eq!(
        (listed.revoked_visas().len(), listed.used_entries().len()),
        (1, 1),
        "the newer bundle leaves out the two expired visas"
    );
    let (code, line) = import(dir.path(), &newer);
    assert_eq!(code, Some(0), "{line}");
    let after = verdicts(dir.path(), "after.db");

    let reason = |v: &[(String, Value)], n: &str| {
        let line = &v.iter().find(|(m, _)| m == n).expect("checked").1;
        (
            line["verdict"].as_str().unwrap_or("").to_owned(),
            line["reason"].as_str().unwrap_or("").to_owned(),
        )
    };
    let pair = |v: &str, r: &str| (v.to_owned(), r.to_owned());
    assert_eq!(reason(&before, "KZ2600099"), pair("invalid", "revoked"));
    assert_eq!(reason(&after, "KZ2600099"), pair("invalid", "revoked"));
    assert_eq!(
        reason(&before, "KZ2600017"),
        pair("invalid", "already_used")
    );
    assert_eq!(reason(&after, "KZ2600017"), pair("invalid", "already_used"));
    assert_eq!(reason(&before, "KZ2600050"), pair("invalid", "revoked"));
    assert_eq!(reason(&after, "KZ2600050"), pair("invalid", "expired"));
    assert_eq!(reason(&after, "KZ2600051"), pair("invalid", "expired"));
    assert_eq!(reason(&after, "KZ2600018"), pair("valid", "ok"));
    for ((n, b), (_, a)) in before.iter().zip(&after) {
        assert!(
            b["verdict"] == "valid" || a["verdict"] != "valid",
            "{n} was refused before ({b}) and is accepted now ({a})"
        );
    }
    // And the older bundle cannot come back.
    let (code, line) = import(dir.path(), &make(1, datetime!(2026-12-04 08:00 UTC), false));
    assert_eq!(code, Some(1), "{line}");
}
