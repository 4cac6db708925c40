//! Kiosk identities and signed ledger exchange through the real command line: two kiosks (NQZ-01,
//! ALA-01) make their own keys, one root-signed bundle lists both, and only an export signed by a
//! listed kiosk can make the other believe a visa was used (docs/ledger-exchange.md).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use shared::bundle::{BundleContents, KeyCertificate};
use shared::kiosk::{KioskId, RegisteredKiosk};
use shared::{IssuerKey, Port, PublicKey};
use time::macros::datetime;

use crate::{DURING, issuer, token};

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

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// One kiosk: its trust directory (root key, bundle, identity) and its ledger.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A kiosk with the development root key and a fresh identity made by `verifier-kiosk identity`.
    fn new(id: &str, port: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("root.pub"),
            include_str!("../../../keys/root/dev-root.pub"),
        )
        .expect("write");
        let (code, lines) = kiosk(&[
            "identity",
            "--trust",
            path(dir.path()),
            "--kiosk-id",
            id,
            "--port",
            port,
        ]);
        assert_eq!(code, Some(0), "{lines:?}");
        assert_eq!(lines[0]["kiosk_id"], id);
        assert_eq!(lines[0]["port"], port);
        assert_eq!(lines[0]["kid"].as_str().map(str::len), Some(16));
        Self { dir }
    }

    fn trust(&self) -> &str {
        path(self.dir.path())
    }

    fn ledger(&self) -> PathBuf {
        self.dir.path().join("ledger.db")
    }

    /// The registration the migration service makes from `kiosk.pub` and the id and port.
    fn registration(&self) -> RegisteredKiosk {
        let read = |name: &str| std::fs::read_to_string(self.dir.path().join(name)).expect(name);
        let id: Value = serde_json::from_str(&read("kiosk.json")).expect("kiosk.json");
        RegisteredKiosk {
            id: KioskId::parse(id["kiosk_id"].as_str().expect("id")).expect("id"),
            port: Port::parse(id["port"].as_str().expect("port")).expect("port"),
            key: PublicKey::from_spki_pem(&read("kiosk.pub")).expect("kiosk.pub"),
        }
    }

    fn install(&self, bundle: &[u8]) {
        let file = self.dir.path().join("offered.kztrust");
        std::fs::write(&file, bundle).expect("write");
        let (code, lines) = kiosk(&["bundle", "import", "--trust", self.trust(), path(&file)]);
        assert_eq!(code, Some(0), "{lines:?}");
    }

    /// `record --direction entry` with the kiosk id and port taken from the identity.
    fn enter(&self, at: &str, text: &str) -> Value {
        let ledger = self.ledger();
        let (_, mut lines) = kiosk(&[
            "record",
            "--trust",
            self.trust(),
            "--ledger",
            path(&ledger),
            "--direction",
            "entry",
            "--at",
            at,
            "--text",
            text,
        ]);
        lines.remove(0)
    }

    fn export(&self, at: &str) -> PathBuf {
        let file = self.dir.path().join("export.kzledger");
        let ledger = self.ledger();
        let (code, lines) = kiosk(&[
            "ledger",
            "export",
            "--ledger",
            path(&ledger),
            "--trust",
            self.trust(),
            "--out",
            path(&file),
            "--at",
            at,
        ]);
        assert_eq!(code, Some(0), "{lines:?}");
        file
    }

    fn import(&self, file: &Path) -> (Option<i32>, Value) {
        let ledger = self.ledger();
        let (code, mut lines) = kiosk(&[
            "ledger",
            "import",
            "--ledger",
            path(&ledger),
            "--trust",
            self.trust(),
            "--at",
            DURING,
            path(file),
        ]);
        (code, lines.remove(0))
    }
}

fn root() -> IssuerKey {
    IssuerKey::from_pkcs8_pem(include_str!("../../../keys/root/dev-root.key")).expect("root key")
}

/// A bundle made on 2026-12-04 certifying the development issuer key and listing `kiosks`.
fn bundle(sequence: u64, kiosks: Vec<RegisteredKiosk>) -> Vec<u8> {
    let certificate = KeyCertificate::new(
        issuer().public_key(),
        datetime!(2026-01-01 00:00 UTC),
        datetime!(2027-12-31 00:00 UTC),
    )
    .expect("certificate");
    BundleContents::new(
        sequence,
        datetime!(2026-12-04 00:00 UTC),
        vec![certificate],
        vec![],
        vec![],
        vec![],
    )
    .and_then(|b| b.with_kiosks(kiosks))
    .expect("bundle")
    .sign(&root())
}

/// NQZ-01 and ALA-01, both registered in one installed bundle.
fn two_kiosks() -> (Site, Site) {
    let (nqz, ala) = (Site::new("NQZ-01", "NQZ"), Site::new("ALA-01", "ALA"));
    let bytes = bundle(1, vec![nqz.registration(), ala.registration()]);
    nqz.install(&bytes);
    ala.install(&bytes);
    (nqz, ala)
}

#[test]
fn an_entry_at_astana_exported_and_imported_at_almaty_refuses_the_second_entry_there() {
    let (nqz, ala) = two_kiosks();
    let code = token(|_| {});
    assert_eq!(nqz.enter(DURING, &code)["recorded"], "entry");
    let file = nqz.export("2026-12-05T05:30:00Z");
    let (status, line) = ala.import(&file);
    assert_eq!(status, Some(0), "{line}");
    assert_eq!(line["report"]["imported"], 1);
    let second = ala.enter("2026-12-06T10:00:00+05:00", &code);
    assert_eq!(
        (&second["verdict"], &second["reason"]),
        (&Value::from("invalid"), &Value::from("already_used")),
        "{second}"
    );
    assert_eq!(second["first_use"]["kiosk_id"], "NQZ-01");
}

#[test]
fn an_export_changed_by_one_byte_is_refused_and_changes_nothing() {
    let (nqz, ala) = two_kiosks();
    nqz.enter(DURING, &token(|_| {}));
    let file = nqz.export("2026-12-05T05:30:00Z");
    let mut bytes = std::fs::read(&file).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&file, &bytes).expect("write");
    let (status, line) = ala.import(&file);
    assert_eq!(status, Some(1), "{line}");
    assert!(line["error"].is_string(), "{line}");
    assert_eq!(ala.enter(DURING, &token(|_| {}))["verdict"], "valid");
}

#[test]
fn a_hand_made_unsigned_ledger_with_correct_hashes_is_refused_with_how_to_re_export() {
    let (_, ala) = two_kiosks();
    let mut record = shared::ledger::LedgerRecord {
        kiosk_id: "ALA-07".to_owned(),
        seq: 1,
        at: "2026-12-01T00:00:00Z".to_owned(),
        port: "ALA".to_owned(),
        kind: shared::ledger::RecordKind::Entry,
        direction: Some("entry".to_owned()),
        visa_number: Some("KZ2600017".to_owned()),
        passport_number: Some("L898902C3".to_owned()),
        verdict: "valid".to_owned(),
        reason: "ok".to_owned(),
        detail: "entry recorded".to_owned(),
        prev_hash: shared::ledger::GENESIS.to_owned(),
        hash: String::new(),
    };
    record.hash = shared::ledger::record_hash(&record);
    let file = ala.dir.path().join("forged.jsonl");
    let line = serde_json::to_string(&record).expect("json");
    std::fs::write(&file, format!("{line}\n")).expect("write");
    let (status, line) = ala.import(&file);
    assert_eq!(status, Some(1), "{line}");
    let error = line["error"].as_str().expect("a reason");
    assert!(error.contains("ledger export --ledger"), "{error}");
    assert_eq!(ala.enter(DURING, &token(|_| {}))["verdict"], "valid");
}

#[test]
fn exports_of_an_unregistered_or_revoked_kiosk_are_refused() {
    let (nqz, ala) = two_kiosks();
    let stranger = Site::new("NQZ-09", "NQZ");
    stranger.install(&bundle(1, vec![nqz.registration(), ala.registration()]));
    stranger.enter(DURING, &token(|_| {}));
    let (status, line) = ala.import(&stranger.export("2026-12-05T05:30:00Z"));
    assert_eq!(status, Some(1), "{line}");
    assert!(
        line["error"]
            .as_str()
            .is_some_and(|e| e.contains("not the key of a registered kiosk")),
        "{line}"
    );
    // NQZ-01 is revoked: the next bundle leaves it out, and its exports stop counting.
    nqz.enter(DURING, &token(|_| {}));
    let file = nqz.export("2026-12-05T05:30:00Z");
    ala.install(&bundle(2, vec![ala.registration()]));
    let (status, line) = ala.import(&file);
    assert_eq!(status, Some(1), "{line}");
    assert_eq!(ala.enter(DURING, &token(|_| {}))["verdict"], "valid");
}

#[test]
fn a_kiosk_whose_clock_says_2099_cannot_make_another_kiosk_distrust_its_own_clock() {
    let (nqz, ala) = two_kiosks();
    nqz.enter("2099-01-01T00:00:00Z", &token(|_| {}));
    let file = nqz.export("2099-01-01T00:01:00Z");
    let (status, line) = ala.import(&file);
    assert_eq!(status, Some(0), "{line}");
    assert_eq!(
        line["report"]["future_dated"][0]["at"],
        "2099-01-01T00:00:00Z"
    );
    let later = ala.enter(DURING, &token(|_| {}));
    assert_eq!(later["verdict"], "valid", "{later}");
}

#[test]
fn a_kiosk_id_or_port_that_contradicts_the_identity_is_a_usage_error() {
    let (nqz, _) = two_kiosks();
    let ledger = nqz.ledger();
    for contradiction in [["--port", "ALA"], ["--kiosk-id", "NQZ-02"]] {
        let mut args = vec![
            "record",
            "--trust",
            nqz.trust(),
            "--ledger",
            path(&ledger),
            "--direction",
            "entry",
            "--at",
            DURING,
            "--text",
        ];
        let code = token(|_| {});
        args.push(&code);
        args.extend(contradiction);
        assert_eq!(kiosk(&args).0, Some(64), "{contradiction:?}");
    }
    let code = token(|_| {});
    let (status, _) = kiosk(&[
        "verify",
        "--trust",
        nqz.trust(),
        "--port",
        "ALA",
        "--text",
        &code,
    ]);
    assert_eq!(status, Some(64));
    let (status, _) = kiosk(&[
        "identity",
        "--trust",
        nqz.trust(),
        "--kiosk-id",
        "NQZ-02",
        "--port",
        "NQZ",
    ]);
    assert_eq!(status, Some(64), "an identity is never replaced");
}

#[test]
fn hostile_ledger_files_are_refused_with_a_reason_and_never_crash_the_import() {
    let (nqz, ala) = two_kiosks();
    nqz.enter(DURING, &token(|_| {}));
    let genuine = std::fs::read(nqz.export("2026-12-05T05:30:00Z")).expect("read");
    let bundle_file = bundle(1, vec![nqz.registration()]);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("an empty file", Vec::new()),
        ("blank lines", b"\n\n  \n".to_vec()),
        ("random bytes", (0..=255u8).cycle().take(4000).collect()),
        ("a JSON array", b"[{\"kiosk_id\":\"NQZ-01\"}]".to_vec()),
        (
            "the genuine export cut short",
            genuine[..genuine.len() / 2].to_vec(),
        ),
        (
            "the genuine export twice",
            [genuine.clone(), genuine.clone()].concat(),
        ),
        (
            "the genuine export with a trailing byte",
            [genuine.clone(), vec![0]].concat(),
        ),
        ("a trust bundle offered as a ledger", bundle_file),
        ("a token's text", token(|_| {}).into_bytes()),
    ];
    for (what, bytes) in cases {
        let file = ala.dir.path().join("hostile.kzledger");
        std::fs::write(&file, &bytes).expect("write");
        let (status, line) = ala.import(&file);
        assert_eq!(status, Some(1), "{what}: {line}");
        assert!(
            line["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{what}: {line}"
        );
    }
    let (status, line) = ala.import(&nqz.export("2026-12-05T05:30:00Z"));
    assert_eq!(status, Some(0), "the genuine export still imports: {line}");
}
