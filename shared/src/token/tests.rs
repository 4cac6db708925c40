//! Tests of the token's security claims: every alteration is refused, with the right reason.

use proptest::prelude::*;
use time::macros::datetime;

use super::*;
use crate::cose::{envelope, parse_envelope, protected_header, sig_structure};
use crate::keys::PublicKey;
use crate::visa::VisaDraft;

pub(crate) fn sample_draft() -> VisaDraft {
    VisaDraft {
        visa_number: "KZ2600017".into(),
        category: "business".into(),
        entries: "single".into(),
        valid_from: "2026-12-01".into(),
        valid_until: "2027-01-29".into(),
        duration_of_stay: 30,
        ports: vec!["NQZ".into(), "ALA".into()],
        surname: "ERIKSSON".into(),
        given_names: Some("ANNA MARIA".into()),
        surname_native: Some("Эрикссон".into()),
        given_names_native: Some("Анна Мария".into()),
        passport_number: "L898902C3".into(),
        citizenship: "SWE".into(),
        date_of_birth: "1974-08-12".into(),
        sex: "F".into(),
        invitation_number: "INV-2026-000001".into(),
        issued_at: "2026-11-25T09:30:00Z".into(),
    }
}

pub(crate) fn sample_visa() -> Visa {
    sample_draft().into_visa().expect("the sample is valid")
}

/// A fixed key so failures are reproducible (not the development key, which lives in keys/).
pub(crate) fn key(seed: u8) -> IssuerKey {
    let mut bytes = [0u8; 48];
    bytes[0] = 0x30;
    bytes[1] = 0x2e;
    bytes[2..16].copy_from_slice(&[
        0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]);
    bytes[16..].fill(seed);
    let b64 = base64_encode(&bytes);
    IssuerKey::from_pkcs8_pem(&format!(
        "-----BEGIN PRIVATE KEY-----\n{b64}\n-----END PRIVATE KEY-----\n"
    ))
    .expect("a fixed test key")
}

fn base64_encode(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn trust(key: &IssuerKey) -> TrustStore {
    TrustStore::from_keys([key.public_key()])
}

fn token_bytes(token: &str) -> Vec<u8> {
    base45::decode(&token[PREFIX.len()..]).expect("a token we made")
}

fn token_from(bytes: &[u8]) -> String {
    format!("{PREFIX}{}", base45::encode(bytes))
}

/// The verification result as its reason code, or `ok`.
fn outcome(text: &str, trust: &TrustStore) -> &'static str {
    match verify(text, trust) {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

#[test]
fn a_signed_visa_verifies_to_the_same_visa() {
    let key = key(1);
    let visa = sample_visa();
    let token = sign(&visa, &key);
    let verified = verify(&token, &trust(&key)).expect("verifies");
    assert_eq!(verified.visa(), &visa);
    assert_eq!(verified.kid(), key.kid());
}

#[test]
fn a_typical_visa_fits_in_400_characters_and_the_qr_alphanumeric_mode() {
    let token = sign(&sample_visa(), &key(1));
    assert!(token.len() <= 400, "{} characters", token.len());
    let qr_alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    assert!(token.chars().all(|c| qr_alphanumeric.contains(c)));
}

#[test]
fn signing_is_deterministic() {
    assert_eq!(sign(&sample_visa(), &key(1)), sign(&sample_visa(), &key(1)));
}

#[test]
fn scanner_line_endings_are_accepted_but_nothing_else_is() {
    let key = key(1);
    let token = sign(&sample_visa(), &key);
    for suffix in ["\r\n", "\n", "\r"] {
        assert_eq!(outcome(&format!("{token}{suffix}"), &trust(&key)), "ok");
    }
    assert_eq!(
        outcome(&format!("{token}\n\n"), &trust(&key)),
        "malformed_text"
    );
    assert_eq!(outcome(&format!(" {token}"), &trust(&key)), "not_a_visa");
    assert_eq!(
        outcome(&format!("{token}\t"), &trust(&key)),
        "malformed_text"
    );
}

#[test]
fn every_single_bit_flip_is_refused() {
    let key = key(1);
    let trust = trust(&key);
    let bytes = token_bytes(&sign(&sample_visa(), &key));
    for i in 0..bytes.len() * 8 {
        let mut flipped = bytes.clone();
        flipped[i / 8] ^= 1 << (i % 8);
        let result = verify(&token_from(&flipped), &trust);
        assert!(result.is_err(), "bit {i} flipped still verified");
    }
}

#[test]
fn every_character_change_in_the_text_is_refused() {
    let key = key(1);
    let trust = trust(&key);
    let token = sign(&sample_visa(), &key);
    for (i, _) in token.char_indices() {
        for replacement in ['0', 'A', ' ', ':'] {
            let mut changed = token.clone();
            changed.replace_range(i..=i, &replacement.to_string());
            if changed != token {
                assert!(
                    verify(&changed, &trust).is_err(),
                    "change at {i} to {replacement:?} verified"
                );
            }
        }
    }
}

#[test]
fn a_changed_field_under_the_old_signature_is_refused() {
    let key = key(1);
    let visa = sample_visa();
    let token = sign(&visa, &key);
    let parts_bytes = token_bytes(&token);
    let parts = parse_envelope(&parts_bytes).expect("parses");

    let mut longer = sample_draft();
    longer.valid_until = "2027-05-29".into();
    let forged_payload = encode_claims(&longer.into_visa().expect("valid"));
    let forged = envelope(parts.protected, &forged_payload, &parts.signature);
    assert_eq!(outcome(&token_from(&forged), &trust(&key)), "bad_signature");
}

#[test]
fn keys_must_be_trusted_and_must_match_the_signature() {
    let (a, b) = (key(1), key(2));
    let token = sign(&sample_visa(), &b);
    assert_eq!(
        verify(&token, &trust(&a)),
        Err(VerifyError::UnknownKey(b.kid()))
    );
    assert_eq!(
        VerifyError::UnknownKey(b.kid()).kind(),
        FailureKind::CannotVerify
    );

    // B's signature presented under A's key id.
    let payload = encode_claims(&sample_visa());
    let protected = protected_header(a.kid());
    let signature = b.sign(&sig_structure(&protected, &payload));
    let forged = envelope(&protected, &payload, &signature);
    assert_eq!(outcome(&token_from(&forged), &trust(&a)), "bad_signature");
    assert_eq!(outcome(&token, &TrustStore::new()), "unknown_key");
}

#[test]
fn only_eddsa_is_accepted() {
    let key = key(1);
    for alg in [-7_i64, -35, 0, 1, -9] {
        let payload = encode_claims(&sample_visa());
        let mut w = Writer::new();
        w.map(2)
            .uint(1)
            .int(alg)
            .uint(4)
            .bytes(key.kid().as_bytes());
        let protected = w.into_bytes();
        let signature = key.sign(&sig_structure(&protected, &payload));
        let token = token_from(&envelope(&protected, &payload, &signature));
        assert_eq!(
            verify(&token, &trust(&key)),
            Err(VerifyError::UnsupportedAlgorithm(alg))
        );
    }
}

#[test]
fn structural_damage_is_refused_with_the_right_reason() {
    let key = key(1);
    let trust = trust(&key);
    let token = sign(&sample_visa(), &key);
    let bytes = token_bytes(&token);

    let mut trailing = bytes.clone();
    trailing.push(0);
    assert_eq!(
        verify(&token_from(&trailing), &trust),
        Err(VerifyError::Cbor(CborError::Trailing { count: 1 }))
    );
    for cut in [1, 10, bytes.len() / 2, bytes.len() - 1] {
        assert_eq!(
            outcome(&token_from(&bytes[..cut]), &trust),
            "malformed_envelope",
            "cut at {cut}"
        );
    }
    assert_eq!(outcome(&token[..token.len() - 1], &trust), "malformed_text");
    assert_eq!(outcome(&token.to_lowercase(), &trust), "not_a_visa");
    assert_eq!(
        outcome(
            &format!("{PREFIX}{}", token[PREFIX.len()..].to_lowercase()),
            &trust
        ),
        "malformed_text"
    );
    assert_eq!(
        outcome(&format!("{token}{}", "0".repeat(MAX_TOKEN_LEN)), &trust),
        "too_long"
    );
    assert_eq!(outcome("", &trust), "empty");
    assert_eq!(outcome("\r\n", &trust), "empty");
    assert_eq!(outcome("HC1:6BFOXN", &trust), "not_a_visa");
    assert_eq!(outcome("https://example.com/", &trust), "not_a_visa");
    assert_eq!(outcome("KZV2:ABC", &trust), "unsupported_version");
    assert_eq!(
        VerifyError::UnsupportedVersion("2".into()).kind(),
        FailureKind::CannotVerify
    );

    // The untagged structure, and an unprotected header that smuggles a kid.
    assert_eq!(
        outcome(&token_from(&bytes[1..]), &trust),
        "malformed_envelope"
    );
    let parts = parse_envelope(&bytes).expect("parses");
    let mut w = Writer::new();
    w.tag(18)
        .array(4)
        .bytes(parts.protected)
        .map(1)
        .uint(4)
        .bytes(&[0; 8]);
    w.bytes(parts.payload).bytes(&parts.signature);
    assert_eq!(
        outcome(&token_from(&w.into_bytes()), &trust),
        "malformed_envelope"
    );
}

#[test]
fn signed_but_invalid_claims_are_refused_after_the_signature() {
    let key = key(1);
    let sign_payload = |payload: &[u8]| {
        let protected = protected_header(key.kid());
        let signature = key.sign(&sig_structure(&protected, payload));
        token_from(&envelope(&protected, payload, &signature))
    };
    let mut w = Writer::new();
    w.map(1).uint(1).text("KAZ");
    assert_eq!(
        outcome(&sign_payload(&w.into_bytes()), &trust(&key)),
        "invalid_claims"
    );
    let mut w = Writer::new();
    w.map(1).uint(99).text("x");
    assert_eq!(
        outcome(&sign_payload(&w.into_bytes()), &trust(&key)),
        "invalid_claims"
    );
    let mut trailing = encode_claims(&sample_visa());
    trailing.push(0);
    assert_eq!(
        outcome(&sign_payload(&trailing), &trust(&key)),
        "malformed_envelope"
    );
}

#[test]
fn entry_rules_follow_kazakhstan_dates_and_ports() {
    let key = key(1);
    let mut draft = sample_draft();
    draft.ports = vec!["ALA".into()];
    let token = sign(&draft.into_visa().expect("valid"), &key);
    let verified = verify(&token, &trust(&key)).expect("verifies");

    let check = |port, at| verified.check_entry(port, at).map_err(|e| e.code());
    // valid_from 2026-12-01 starts at 2026-11-30T19:00Z; valid_until 2027-01-29 ends at 2027-01-29T19:00Z.
    assert_eq!(
        check(Port::Ala, datetime!(2026-11-30 18:59:59 UTC)),
        Err("not_yet_valid")
    );
    assert_eq!(check(Port::Ala, datetime!(2026-11-30 19:00:00 UTC)), Ok(()));
    assert_eq!(check(Port::Ala, datetime!(2027-01-29 18:59:59 UTC)), Ok(()));
    assert_eq!(
        check(Port::Ala, datetime!(2027-01-29 19:00:00 UTC)),
        Err("expired")
    );
    assert_eq!(
        check(Port::Nqz, datetime!(2026-12-10 12:00:00 UTC)),
        Err("wrong_port")
    );
    assert_eq!(
        end_of_validity(&verified),
        datetime!(2027-01-29 19:00:00 UTC)
    );
}

#[test]
fn a_public_key_round_trip_keeps_trust() {
    let key = key(3);
    let pem = key.public_key().to_spki_pem().expect("encodes");
    let store = TrustStore::from_keys([PublicKey::from_spki_pem(&pem).expect("decodes")]);
    assert_eq!(outcome(&sign(&sample_visa(), &key), &store), "ok");
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,600}") {
        let _ = verify(&text, &trust(&key(1)));
    }

    #[test]
    fn arbitrary_bytes_behind_the_prefix_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..700)) {
        let _ = verify(&token_from(&bytes), &trust(&key(1)));
    }

    #[test]
    fn mutated_tokens_never_verify_and_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6)
    ) {
        let key = key(1);
        let mut bytes = token_bytes(&sign(&sample_visa(), &key));
        let original = bytes.clone();
        for (index, value) in edits {
            let i = index.index(bytes.len());
            bytes[i] = value;
        }
        let result = verify(&token_from(&bytes), &trust(&key));
        if bytes != original {
            prop_assert!(result.is_err());
        }
    }
}
