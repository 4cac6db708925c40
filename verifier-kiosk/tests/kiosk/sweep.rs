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
    ]
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
            assert_ne!(decision.verdict, Verdict::Valid, "{what}");
            assert!(!decision.reason.is_empty(), "{what}: a reason");
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
