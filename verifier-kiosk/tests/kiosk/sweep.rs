//! Hostile token texts, as a keyboard-wedge scanner or a script could type them: each must end as a
//! readable INVALID or CANNOT VERIFY with a message, in the library and through
//! `verifier-kiosk verify --text`, never as a panic, a VALID or a usage error.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use verifier_kiosk::decision::{Decision, Verdict};

use crate::{DURING, token, trust_dir};

/// One claim value of the sample visa's claims map.
#[derive(Debug, Clone)]
enum Claim {
    Int(i64),
    Text(&'static str),
    Texts(&'static [&'static str]),
}

/// The sample visa's claims exactly as docs/visa-token.md shows them.
fn sample_claims() -> Vec<(u64, Claim)> {
    use Claim::{Int, Text, Texts};
    vec![
        (1, Text("KAZ")),
        (2, Int(1_795_599_000)),
        (3, Text("KZ2600017")),
        (4, Int(1)),
        (5, Int(1)),
        (6, Int(20788)),
        (7, Int(20847)),
        (8, Int(30)),
        (9, Texts(&["NQZ", "ALA"])),
        (10, Text("ERIKSSON")),
        (11, Text("ANNA MARIA")),
        (12, Text("Эрикссон")),
        (13, Text("Анна Мария")),
        (14, Text("L898902C3")),
        (15, Text("SWE")),
        (16, Int(1684)),
        (17, Text("F")),
        (18, Text("INV-2026-000001")),
    ]
}

/// The sample visa with claim `key` spelled as `value`, signed by the trusted development key.
fn signed_with(key: u64, value: Claim) -> String {
    let mut w = shared::cbor::Writer::new();
    let claims = sample_claims();
    w.map(claims.len());
    for (k, v) in claims {
        w.uint(k);
        match if k == key { value.clone() } else { v } {
            Claim::Int(n) => {
                w.int(n);
            }
            Claim::Text(t) => {
                w.text(t);
            }
            Claim::Texts(items) => {
                w.array(items.len());
                for item in items {
                    w.text(item);
                }
            }
        }
    }
    let envelope = shared::cose::sign1(&crate::issuer(), &w.into_bytes());
    format!("KZV1:{}", shared::base45::encode(&envelope))
}

/// Validly signed tokens whose claims are spelled in a form the specification refuses: each is a
/// second byte form of the sample visa, which a normalising verifier would accept.
fn respelled_tokens() -> Vec<(&'static str, String)> {
    use Claim::{Text, Texts};
    vec![
        (
            "ports in the wrong order",
            signed_with(9, Texts(&["ALA", "NQZ"])),
        ),
        ("a repeated port", signed_with(9, Texts(&["NQZ", "NQZ"]))),
        ("lower-case ports", signed_with(9, Texts(&["nqz", "ala"]))),
        ("a port with a space", signed_with(9, Texts(&[" NQZ"]))),
        ("a lower-case surname", signed_with(10, Text("eriksson"))),
        ("a surname in spaces", signed_with(10, Text(" ERIKSSON "))),
        (
            "a surname with fillers",
            signed_with(10, Text("ERIKSSON<<")),
        ),
        (
            "a surname with a filler inside",
            signed_with(10, Text("ERIK<SSON")),
        ),
        (
            "a lower-case passport number",
            signed_with(14, Text("l898902c3")),
        ),
        (
            "a passport number with a space",
            signed_with(14, Text("L898 902C3")),
        ),
        ("a lower-case sex", signed_with(17, Text("f"))),
        ("a lower-case citizenship", signed_with(15, Text("swe"))),
        ("a lower-case issuing state", signed_with(1, Text("kaz"))),
        (
            "an invitation in spaces",
            signed_with(18, Text(" INV-2026-000001 ")),
        ),
        (
            "a native name with a double space",
            signed_with(13, Text("Анна  Мария")),
        ),
        (
            "a native name with a leading space",
            signed_with(12, Text(" Эрикссон")),
        ),
    ]
}

/// The hostile texts, each with what it is.
fn hostile_texts() -> Vec<(&'static str, String)> {
    let genuine = token(|_| {});
    let body = genuine
        .split_once(':')
        .map_or(genuine.as_str(), |(_, b)| b)
        .to_owned();
    let prefix = &genuine[..genuine.len() - body.len()];
    let mut flipped = genuine.clone().into_bytes();
    let middle = flipped.len() / 2;
    flipped[middle] = if flipped[middle] == b'A' { b'B' } else { b'A' };
    vec![
        ("an empty text", String::new()),
        ("only blanks", "   \t  ".to_owned()),
        ("only the prefix", prefix.to_owned()),
        ("a huge text", "A".repeat(1_000_000)),
        (
            "a huge Base45 tail",
            format!("{prefix}{}", "0".repeat(500_000)),
        ),
        (
            "control characters",
            "\u{1}\u{7}\u{1b}[31m\u{8}\u{7f}".to_owned(),
        ),
        (
            "a NUL in the middle",
            format!("{}\0{}", &genuine[..20], &genuine[20..]),
        ),
        ("a trailing NUL", format!("{genuine}\0")),
        ("a right-to-left override", format!("\u{202E}{genuine}")),
        (
            "a right-to-left mark inside",
            format!("{}\u{200F}{}", &genuine[..30], &genuine[30..]),
        ),
        ("a byte-order mark", format!("\u{FEFF}{genuine}")),
        ("another prefix", format!("HC1:{body}")),
        ("a lowercase token", genuine.to_lowercase()),
        (
            "a truncated token",
            genuine[..genuine.len() * 2 / 3].to_owned(),
        ),
        (
            "the token missing its last character",
            genuine[..genuine.len() - 1].to_owned(),
        ),
        (
            "the token with one character changed",
            String::from_utf8(flipped).expect("ascii"),
        ),
        (
            "the valid prefix then garbage",
            format!("{prefix}!!!@@@###"),
        ),
        (
            "the valid prefix then script",
            format!("{prefix}<script>alert(1)</script>"),
        ),
        ("the token twice", format!("{genuine}{genuine}")),
        ("SQL", "' OR 1=1 --".to_owned()),
        ("a URL", "https://evil.example/visa?x=1".to_owned()),
        (
            "emoji and combining marks",
            "😀\u{301}\u{301}\u{301}Ωmega".to_owned(),
        ),
        (
            "non-Base45 letters after the prefix",
            format!("{prefix}ЖЖЖЖЖЖ"),
        ),
        ("a leading space", format!(" {genuine}")),
        ("two line ends", format!("{genuine}\n\n")),
        ("two scanner Enters", format!("{genuine}\r\n\r\n")),
        ("a trailing space and a line end", format!("{genuine} \n")),
    ]
    .into_iter()
    .chain(respelled_tokens())
    .collect()
}

#[test]
fn the_sample_claims_signed_here_are_the_genuine_token() {
    assert_eq!(signed_with(0, Claim::Int(0)), token(|_| {}));
}

#[test]
fn every_respelled_signed_token_is_invalid_claims() {
    let trust = verifier_kiosk::trust::load_dir(&trust_dir()).expect("trust");
    for (what, text) in respelled_tokens() {
        let decision = Decision::of_text(&text, &trust, None, during());
        assert_eq!(
            (decision.verdict(), decision.reason().code()),
            (Verdict::Invalid, "invalid_claims"),
            "{what}"
        );
    }
}

fn during() -> OffsetDateTime {
    OffsetDateTime::parse(DURING, &Rfc3339).expect("time")
}

#[test]
fn every_hostile_token_text_gets_a_readable_refusal_from_the_library() {
    let trust = verifier_kiosk::trust::load_dir(&trust_dir()).expect("trust");
    for (what, text) in hostile_texts() {
        for port in [None, Some(shared::Port::parse("NQZ").expect("port"))] {
            let decision = Decision::of_text(&text, &trust, port, during());
            assert_ne!(decision.verdict(), Verdict::Valid, "{what}");
            assert_ne!(
                decision.reason(),
                verifier_kiosk::decision::Reason::Ok,
                "{what}: a reason"
            );
            assert!(!decision.message.trim().is_empty(), "{what}: a message");
            assert!(
                decision.message.len() < 1000,
                "{what}: the message echoes the input"
            );
        }
    }
}

/// Runs `verify --text TEXT` (or `--text -` with the text on standard input when it cannot be an
/// argument), returning the exit code, the JSON lines and standard error.
fn verify_text(text: &str) -> (Option<i32>, Vec<Value>, String) {
    let trust = trust_dir();
    let mut command = Command::new(env!("CARGO_BIN_EXE_verifier-kiosk"));
    command
        .args(["verify", "--trust", trust.to_str().expect("utf-8 path")])
        .args(["--port", "NQZ", "--at", DURING])
        .env_remove("KIOSK_TRUST")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // An argument cannot hold a NUL, may not start with '-' unambiguously and has a size limit.
    let through_stdin = text.contains('\0') || text.starts_with('-') || text.len() > 100_000;
    let output = if through_stdin {
        let mut child = command
            .args(["--text", "-"])
            .stdin(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut stdin = child.stdin.take().expect("stdin");
        let bytes = text.as_bytes().to_vec();
        let writer = std::thread::spawn(move || stdin.write_all(&bytes));
        let output = child.wait_with_output().expect("the binary ends");
        writer.join().expect("writer").expect("stdin written");
        output
    } else {
        command
            .args(["--text", text])
            .stdin(Stdio::null())
            .output()
            .expect("the binary runs")
    };
    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), lines, stderr)
}

#[test]
fn every_hostile_token_text_gets_a_json_verdict_from_verify_text() {
    for (what, text) in hostile_texts() {
        let (code, lines, stderr) = verify_text(&text);
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        if text.trim().is_empty() {
            // `--text -` skips blank lines: nothing to decide is not an error either.
            assert!(matches!(code, Some(0..=2)), "{what}: {code:?} {stderr}");
            continue;
        }
        assert!(
            matches!(code, Some(1 | 2)),
            "{what}: exit {code:?} {stderr}"
        );
        assert!(!lines.is_empty(), "{what}: one JSON line per input line");
        for line in &lines {
            assert!(
                line["verdict"] == "invalid" || line["verdict"] == "cannot_verify",
                "{what}: {line}"
            );
            assert!(
                line["reason"].as_str().is_some_and(|r| !r.is_empty()),
                "{what}: {line}"
            );
            assert!(
                line["message"]
                    .as_str()
                    .is_some_and(|m| !m.trim().is_empty()),
                "{what}: {line}"
            );
        }
    }
}

#[test]
fn a_genuine_token_next_to_the_hostile_ones_is_still_valid() {
    let (code, lines, stderr) = verify_text(&token(|_| {}));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(lines[0]["verdict"], "valid");
}
