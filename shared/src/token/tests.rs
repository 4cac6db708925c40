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
fn visas_numbered_in_the_lettered_form_sign_verify_and_fill_the_mrz_number() {
    // The issuer's numbers after KZ9999999 (issuer `domain::issuance::visa_number`).
    for number in ["KZA000000", "KZN7X2RT4", "KZYYYYYYY"] {
        let mut draft = sample_draft();
        draft.visa_number = number.into();
        let visa = draft.into_visa().expect("a nine-character number is valid");
        let key = key(1);
        let verified = verify(&sign(&visa, &key), &trust(&key)).expect("verifies");
        assert_eq!(verified.visa().number().as_str(), number);
        let mrz = crate::VisaMrz::of(&visa);
        let check = crate::mrz::check_digit(number).expect("a check digit");
        assert_eq!(&mrz.line2[..10], format!("{number}{check}"));
    }
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

/// One claim value, to write claims maps the way a careless or hostile issuer might.
#[derive(Debug, Clone)]
enum Claim {
    Int(i64),
    Text(String),
    Texts(Vec<String>),
}

/// The claims of `visa` as (key, value) pairs, in the order and spelling `encode_claims` uses.
fn claim_list(visa: &Visa) -> Vec<(u64, Claim)> {
    let text = |s: &str| Claim::Text(s.to_owned());
    let mut list = vec![
        (claim::ISSUER, text("KAZ")),
        (
            claim::ISSUED_AT,
            Claim::Int(visa.issued_at().unix_timestamp()),
        ),
        (claim::NUMBER, text(visa.number().as_str())),
        (claim::CATEGORY, Claim::Int(visa.category().code() as i64)),
        (claim::ENTRIES, Claim::Int(visa.entries().count() as i64)),
        (claim::VALID_FROM, Claim::Int(epoch_days(visa.valid_from()))),
        (
            claim::VALID_UNTIL,
            Claim::Int(epoch_days(visa.valid_until())),
        ),
        (claim::STAY_DAYS, Claim::Int(visa.stay_days().into())),
        (
            claim::PORTS,
            Claim::Texts(visa.ports().iter().map(|p| p.code().to_owned()).collect()),
        ),
        (claim::SURNAME, text(visa.surname().as_str())),
    ];
    if let Some(given) = visa.given_names() {
        list.push((claim::GIVEN_NAMES, text(given.as_str())));
    }
    if let Some(native) = visa.surname_native() {
        list.push((claim::SURNAME_NATIVE, text(native.as_str())));
    }
    if let Some(native) = visa.given_names_native() {
        list.push((claim::GIVEN_NAMES_NATIVE, text(native.as_str())));
    }
    list.extend([
        (claim::PASSPORT, text(visa.passport_number().as_str())),
        (claim::CITIZENSHIP, text(visa.citizenship().as_str())),
        (
            claim::BIRTH_DATE,
            Claim::Int(epoch_days(visa.date_of_birth())),
        ),
        (claim::SEX, text(visa.sex().as_str())),
        (claim::INVITATION, text(visa.invitation_number().as_str())),
    ]);
    list
}

fn encode_list(list: &[(u64, Claim)]) -> Vec<u8> {
    let mut w = Writer::new();
    w.map(list.len());
    for (key, value) in list {
        w.uint(*key);
        match value {
            Claim::Int(n) => {
                w.int(*n);
            }
            Claim::Text(s) => {
                w.text(s);
            }
            Claim::Texts(items) => {
                w.array(items.len());
                for item in items {
                    w.text(item);
                }
            }
        }
    }
    w.into_bytes()
}

fn sign_payload(key: &IssuerKey, payload: &[u8]) -> String {
    let protected = protected_header(key.kid());
    let signature = key.sign(&sig_structure(&protected, payload));
    token_from(&envelope(&protected, payload, &signature))
}

/// The outcome of the sample visa with one claim replaced, signed by the trusted key.
fn with_claim(key_of_claim: u64, value: Claim) -> &'static str {
    let key = key(1);
    let mut list = claim_list(&sample_visa());
    if let Some(slot) = list.iter_mut().find(|(k, _)| *k == key_of_claim) {
        slot.1 = value;
    }
    outcome(&sign_payload(&key, &encode_list(&list)), &trust(&key))
}

#[test]
fn the_claim_list_helper_writes_exactly_what_signing_writes() {
    let visa = sample_visa();
    assert_eq!(encode_list(&claim_list(&visa)), encode_claims(&visa));
}

#[test]
fn every_other_spelling_of_a_signed_visa_is_refused_as_invalid_claims() {
    let texts = |items: &[&str]| Claim::Texts(items.iter().map(|s| (*s).to_owned()).collect());
    let text = |s: &str| Claim::Text(s.to_owned());
    let cases = [
        (claim::PORTS, texts(&["ALA", "NQZ"])),
        (claim::PORTS, texts(&["NQZ", "NQZ"])),
        (claim::PORTS, texts(&["nqz", "ala"])),
        (claim::PORTS, texts(&[" NQZ"])),
        (claim::SURNAME, text("eriksson")),
        (claim::SURNAME, text(" ERIKSSON ")),
        (claim::SURNAME, text("ERIKSSON<<")),
        (claim::SURNAME, text("ERIK<SSON")),
        (claim::GIVEN_NAMES, text("ANNA  MARIA")),
        (claim::PASSPORT, text("l898902c3")),
        (claim::PASSPORT, text("L898 902C3")),
        (claim::SEX, text("f")),
        (claim::CITIZENSHIP, text("swe")),
        (claim::ISSUER, text("kaz")),
        (claim::INVITATION, text(" INV-2026-000001 ")),
        (claim::INVITATION, text("inv-2026-000001")),
        (claim::SURNAME_NATIVE, text(" Эрикссон")),
        (claim::GIVEN_NAMES_NATIVE, text("Анна  Мария")),
        (claim::GIVEN_NAMES_NATIVE, text("Анна Мария ")),
    ];
    for (claim_key, value) in cases {
        let shown = format!("{claim_key}: {value:?}");
        assert_eq!(with_claim(claim_key, value), "invalid_claims", "{shown}");
    }
    // The canonical spelling of the same claims still verifies.
    assert_eq!(with_claim(claim::PORTS, texts(&["NQZ", "ALA"])), "ok");
}

/// A valid visa drawn at random: names, passport, ports, sex and optional claims vary.
fn arbitrary_visa() -> impl Strategy<Value = Visa> {
    (
        "[A-Z]{1,12}( [A-Z]{1,10})?",
        proptest::option::of("[A-Z]{1,10}( [A-Z]{1,8})?"),
        proptest::option::of("[А-Я][а-я]{1,10}( [А-Я][а-я]{1,8})?"),
        "[A-Z0-9]{1,9}",
        prop::sample::select(vec![vec!["NQZ"], vec!["ALA"], vec!["NQZ", "ALA"]]),
        prop::sample::select(vec!["F", "M", "X"]),
        "INV-[0-9]{4}-[0-9]{6}",
    )
        .prop_map(
            |(surname, given, native, passport, ports, sex, invitation)| {
                let mut draft = sample_draft();
                draft.surname = surname;
                draft.given_names = given;
                draft.surname_native = native;
                draft.given_names_native = None;
                draft.passport_number = passport;
                draft.ports = ports.into_iter().map(str::to_owned).collect();
                draft.sex = sex.to_owned();
                draft.invitation_number = invitation;
                draft.into_visa().expect("the strategy makes valid visas")
            },
        )
}

/// Ways to spell a claims map differently while meaning the same visa to a lenient reader.
fn respell(list: &mut [(u64, Claim)], how: u8, position: prop::sample::Index) {
    let texts: Vec<usize> = (0..list.len())
        .filter(|i| matches!(list[*i].1, Claim::Text(_)))
        .collect();
    let i = texts[position.index(texts.len())];
    // Native-script names keep their letter case (it is part of the name, not a spelling), so
    // lower case is a respelling only for the MRZ-form claims.
    let native = matches!(list[i].0, claim::SURNAME_NATIVE | claim::GIVEN_NAMES_NATIVE);
    match (&mut list[i].1, how % 6) {
        (Claim::Text(s), 0) if !native => *s = s.to_lowercase(),
        (Claim::Text(s), 0) => *s = format!("{s}  "),
        (Claim::Text(s), 1) => *s = format!(" {s}"),
        (Claim::Text(s), 2) => *s = format!("{s} "),
        (Claim::Text(s), 3) => *s = s.replacen(' ', "  ", 1),
        (Claim::Text(s), 4) => *s = s.replace(' ', "<"),
        _ => {
            if let Some((_, Claim::Texts(ports))) =
                list.iter_mut().find(|(k, _)| *k == claim::PORTS)
            {
                if ports.len() == 2 {
                    ports.reverse();
                } else {
                    ports.push(ports[0].clone());
                }
            }
        }
    }
}

proptest! {
    #[test]
    fn any_spelling_of_a_random_visa_but_the_canonical_one_is_refused(
        visa in arbitrary_visa(),
        how in any::<u8>(),
        position in any::<prop::sample::Index>(),
    ) {
        let key = key(1);
        let canonical = claim_list(&visa);
        prop_assert_eq!(encode_list(&canonical), encode_claims(&visa));
        prop_assert_eq!(outcome(&sign_payload(&key, &encode_list(&canonical)), &trust(&key)), "ok");
        let mut other = canonical.clone();
        respell(&mut other, how, position);
        let payload = encode_list(&other);
        prop_assume!(payload != encode_claims(&visa));
        prop_assert!(verify(&sign_payload(&key, &payload), &trust(&key)).is_err());
    }
}
