//! Tests of each trust rule: rotation overlap, revocation of one visa, revoked keys, tampered,
//! replayed or foreign bundles, stale trust data and a wound-back clock.

use proptest::prelude::*;
use time::macros::datetime;

use super::*;
use crate::token::tests::{key, sample_draft};

/// Key 10 is the root; keys 1 and 2 are issuer keys.
fn root() -> IssuerKey {
    key(10)
}

/// Key 1 certified for 2026-01-01 .. 2027-06-30, key 2 from 2026-11-01 .. 2028-06-30: they overlap.
fn certificates() -> Vec<KeyCertificate> {
    vec![
        KeyCertificate::new(
            key(1).public_key(),
            datetime!(2026-01-01 0:00 UTC),
            datetime!(2027-06-30 0:00 UTC),
        )
        .expect("valid period"),
        KeyCertificate::new(
            key(2).public_key(),
            datetime!(2026-11-01 0:00 UTC),
            datetime!(2028-06-30 0:00 UTC),
        )
        .expect("valid period"),
    ]
}

/// A bundle as a kiosk holds it: assembled, signed by the root and read back.
fn bundle(sequence: u64, revoked_visas: Vec<Revocation>, revoked_keys: Vec<Kid>) -> TrustBundle {
    let signed = contents(sequence, revoked_visas, revoked_keys).sign(&root());
    TrustBundle::verify(&signed, &root().public_key()).expect("verifies")
}

fn contents(
    sequence: u64,
    revoked_visas: Vec<Revocation>,
    revoked_keys: Vec<Kid>,
) -> BundleContents {
    BundleContents::new(
        sequence,
        datetime!(2026-12-01 08:00 UTC),
        certificates(),
        revoked_visas,
        revoked_keys,
        vec![UsedEntry {
            visa_number: VisaNumber::parse("KZ2600099").expect("number"),
            at: datetime!(2026-12-02 06:00 UTC),
            port: Port::Ala,
            kiosk_id: "ALA-07".into(),
        }],
    )
    .expect("valid bundle")
}

/// A visa with this number, signed by `signer`, issued at `issued` and valid until `until`.
fn visa(number: &str, signer: u8, issued: &str, from: &str, until: &str) -> VerifiedVisa {
    let mut draft = sample_draft();
    draft.visa_number = number.into();
    draft.issued_at = issued.into();
    draft.valid_from = from.into();
    draft.valid_until = until.into();
    let token = crate::sign(&draft.into_visa().expect("valid visa"), &key(signer));
    // Through the file, as a kiosk would hold it.
    let bundle = TrustBundle::verify(
        &bundle(1, vec![], vec![]).sign(&root()),
        &root().public_key(),
    )
    .expect("verifies");
    crate::verify(&token, &bundle.trust_store()).expect("signature verifies")
}

fn honest(number: &str, signer: u8) -> VerifiedVisa {
    visa(
        number,
        signer,
        "2026-11-25T09:30:00Z",
        "2026-12-01",
        "2027-01-29",
    )
}

fn refusal(bundle: &TrustBundle, visa: &VerifiedVisa) -> &'static str {
    bundle.check(visa).map_or_else(|r| r.code(), |()| "ok")
}

#[test]
fn a_bundle_round_trips_through_its_signed_file() {
    let b = bundle(3, vec![], vec![key(2).kid()]);
    let again = TrustBundle::verify(&b.sign(&root()), &root().public_key()).expect("verifies");
    assert_eq!(again, b);
    assert_eq!(again.trust_store().keys().len(), 2);
}

#[test]
fn visas_of_both_keys_pass_during_the_rotation_overlap() {
    let b = bundle(1, vec![], vec![]);
    assert_eq!(refusal(&b, &honest("KZ2600001", 1)), "ok");
    assert_eq!(refusal(&b, &honest("KZ2600002", 2)), "ok");
}

#[test]
fn a_key_cannot_sign_outside_its_period_or_beyond_its_certificate() {
    let b = bundle(1, vec![], vec![]);
    // Key 2's period starts 2026-11-01.
    let early = visa(
        "KZ2600003",
        2,
        "2026-10-15T09:00:00Z",
        "2026-11-01",
        "2026-12-01",
    );
    assert_eq!(refusal(&b, &early), "outside_key_period");
    // Key 1's certificate ends 2027-06-30 00:00 UTC; a visa valid through June 30 outlives it.
    let long = visa(
        "KZ2600004",
        1,
        "2027-05-01T09:00:00Z",
        "2027-05-01",
        "2027-06-30",
    );
    assert_eq!(refusal(&b, &long), "outlives_key_certificate");
    let fits = visa(
        "KZ2600005",
        1,
        "2027-05-01T09:00:00Z",
        "2027-05-01",
        "2027-06-28",
    );
    assert_eq!(refusal(&b, &fits), "ok");
}

#[test]
fn a_revoked_visa_is_refused_and_its_sibling_from_the_same_key_passes() {
    let revocation = Revocation {
        visa_number: VisaNumber::parse("KZ2600001").expect("number"),
        reason: "passport reported stolen".into(),
        revoked_at: datetime!(2026-11-28 10:00 UTC),
    };
    let b = bundle(2, vec![revocation], vec![]);
    let revoked = honest("KZ2600001", 1);
    assert_eq!(
        b.check(&revoked).map_err(|e| e.to_string()),
        Err("the visa was revoked on 2026-11-28: passport reported stolen".into())
    );
    assert_eq!(refusal(&b, &honest("KZ2600006", 1)), "ok");
}

#[test]
fn a_revoked_key_refuses_everything_it_signed_and_nothing_else() {
    let b = bundle(2, vec![], vec![key(1).kid()]);
    assert_eq!(refusal(&b, &honest("KZ2600001", 1)), "revoked_key");
    assert_eq!(refusal(&b, &honest("KZ2600002", 2)), "ok");
}

#[test]
fn a_key_missing_from_the_bundle_is_not_trusted() {
    let b = BundleContents::new(
        1,
        datetime!(2026-12-01 08:00 UTC),
        certificates()[..1].to_vec(),
        vec![],
        vec![],
        vec![],
    )
    .expect("valid");
    let b = TrustBundle::verify(&b.sign(&root()), &root().public_key()).expect("verifies");
    assert!(b.trust_store().get(key(2).kid()).is_none());
    assert_eq!(refusal(&b, &honest("KZ2600002", 2)), "unknown_key");
}

#[test]
fn tampered_foreign_and_mistyped_files_are_refused() {
    let root = root();
    let bytes = bundle(1, vec![], vec![]).sign(&root);
    for i in 0..bytes.len() * 8 {
        let mut flipped = bytes.clone();
        flipped[i / 8] ^= 1 << (i % 8);
        assert!(
            TrustBundle::verify(&flipped, &root.public_key()).is_err(),
            "bit {i}"
        );
    }
    let foreign = bundle(1, vec![], vec![]).sign(&key(11));
    assert_eq!(
        TrustBundle::verify(&foreign, &root.public_key()),
        Err(BundleError::WrongRoot)
    );
    let certificate = certificates()[0].sign(&root);
    assert!(matches!(
        TrustBundle::verify(&certificate, &root.public_key()),
        Err(BundleError::WrongType { .. })
    ));
    assert_eq!(
        KeyCertificate::verify(&certificate, &root.public_key()),
        Ok(certificates()[0].clone())
    );
    assert!(matches!(
        KeyCertificate::verify(&bytes, &root.public_key()),
        Err(BundleError::WrongType { .. })
    ));
    // A visa token's envelope signed by the root is not a bundle either.
    let token_payload = crate::token::encode_claims(&sample_draft().into_visa().expect("visa"));
    let disguised = crate::cose::sign1(&root, &token_payload);
    assert!(TrustBundle::verify(&disguised, &root.public_key()).is_err());
    assert_eq!(
        TrustBundle::verify(&vec![0; MAX_BUNDLE_BYTES + 1], &root.public_key()),
        Err(BundleError::TooLarge)
    );
}

#[test]
fn an_older_or_replayed_bundle_is_refused() {
    let installed = bundle(5, vec![], vec![]);
    assert_eq!(
        bundle(4, vec![], vec![]).check_newer_than(&installed),
        Err(BundleError::Rollback {
            installed: 5,
            offered: 4
        })
    );
    assert!(
        bundle(5, vec![], vec![])
            .check_newer_than(&installed)
            .is_err()
    );
    assert_eq!(
        bundle(6, vec![], vec![]).check_newer_than(&installed),
        Ok(())
    );
}

#[test]
fn trust_data_ages_into_a_warning_then_a_refusal() {
    let policy = FreshnessPolicy::default();
    let created = datetime!(2026-12-01 08:00 UTC);
    let at = |now| policy.assess(created, created, now);
    assert!(matches!(
        at(datetime!(2026-12-01 20:00 UTC)),
        TrustState::Fresh { .. }
    ));
    assert!(matches!(
        at(datetime!(2026-12-02 08:00:01 UTC)),
        TrustState::Aging { .. }
    ));
    assert!(matches!(
        at(datetime!(2026-12-08 08:00 UTC)),
        TrustState::Aging { .. }
    ));
    assert!(matches!(
        at(datetime!(2026-12-08 08:00:01 UTC)),
        TrustState::Stale { .. }
    ));
}

#[test]
fn a_clock_wound_back_behind_the_high_water_mark_is_suspicious() {
    let policy = FreshnessPolicy::default();
    let created = datetime!(2026-12-01 08:00 UTC);
    let last_record = datetime!(2026-12-03 12:00 UTC);
    assert!(matches!(
        policy.assess(created, last_record, datetime!(2026-12-03 11:00 UTC)),
        TrustState::ClockSuspicious { .. }
    ));
    // Before the bundle was even made.
    assert!(matches!(
        policy.assess(created, created, datetime!(2026-11-30 08:00 UTC)),
        TrustState::ClockSuspicious { .. }
    ));
    // A few minutes of skew is tolerated.
    assert!(matches!(
        policy.assess(created, last_record, datetime!(2026-12-03 11:55 UTC)),
        TrustState::Fresh { .. } | TrustState::Aging { .. }
    ));
}

#[test]
fn the_first_use_of_a_single_entry_visa_is_found() {
    let b = bundle(1, vec![], vec![]);
    let used = b
        .first_use(&VisaNumber::parse("KZ2600099").expect("number"))
        .expect("listed");
    assert_eq!((used.port, used.kiosk_id.as_str()), (Port::Ala, "ALA-07"));
    assert!(
        b.first_use(&VisaNumber::parse("KZ2600001").expect("number"))
            .is_none()
    );
}

#[test]
fn revocations_and_uses_given_in_any_order_are_found_and_the_earliest_use_counts() {
    let number = |n: &str| VisaNumber::parse(n).expect("number");
    let use_of = |n: &str, at: OffsetDateTime, kiosk: &str| UsedEntry {
        visa_number: number(n),
        at,
        port: Port::Nqz,
        kiosk_id: kiosk.into(),
    };
    let revoked = |n: &str| Revocation {
        visa_number: number(n),
        reason: format!("revoked {n}"),
        revoked_at: datetime!(2026-11-30 08:00 UTC),
    };
    let signed = BundleContents::new(
        1,
        datetime!(2026-12-01 08:00 UTC),
        certificates(),
        vec![
            revoked("KZ2600009"),
            revoked("KZ2600001"),
            revoked("KZ2600005"),
        ],
        vec![],
        vec![
            use_of("KZ2600007", datetime!(2026-12-01 07:00 UTC), "NQZ-02"),
            use_of("KZ2600003", datetime!(2026-11-29 07:00 UTC), "NQZ-09"),
            use_of("KZ2600007", datetime!(2026-11-30 07:00 UTC), "NQZ-01"),
        ],
    )
    .expect("valid bundle")
    .sign(&root());
    let b = TrustBundle::verify(&signed, &root().public_key()).expect("verifies");
    for n in ["KZ2600001", "KZ2600005", "KZ2600009"] {
        assert_eq!(refusal(&b, &honest(n, 1)), "revoked", "{n}");
    }
    assert_eq!(refusal(&b, &honest("KZ2600004", 1)), "ok");
    let first = b.first_use(&number("KZ2600007")).expect("used");
    assert_eq!(first.kiosk_id, "NQZ-01");
    assert!(b.first_use(&number("KZ2600004")).is_none());
    assert!(b.first_use(&number("KZ2600003")).is_some());
}

#[test]
fn a_bundle_lists_exactly_the_visas_valid_until_its_first_listed_day_or_later() {
    // Bundles made at every hour of three days around a Kazakhstan midnight (19:00 UTC).
    let mut created = datetime!(2026-12-01 00:00 UTC);
    while created < datetime!(2026-12-04 00:00 UTC) {
        let b = contents(1, vec![], vec![]);
        let b = BundleContents::new(
            1,
            created,
            b.certificates().to_vec(),
            vec![],
            vec![],
            vec![],
        )
        .expect("valid bundle");
        for until in [
            "2026-11-28",
            "2026-11-29",
            "2026-11-30",
            "2026-12-01",
            "2026-12-02",
        ] {
            let v = visa("KZ2600001", 1, "2026-10-20T09:30:00Z", "2026-10-20", until);
            let day = Date::parse(until, &time::format_description::well_known::Iso8601::DATE)
                .expect("date");
            assert_eq!(
                b.lists_visa(&v),
                day >= first_listed_day(created),
                "created {created}, valid until {until}"
            );
            // A visa the bundle leaves out has expired for any clock the kiosk accepts.
            if !b.lists_visa(&v) {
                let earliest_clock = created - FreshnessPolicy::default().clock_tolerance;
                assert!(end_of_validity(&v) <= earliest_clock, "{created} {until}");
            }
        }
        created += Duration::hours(1);
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let root = root().public_key();
        let _ = TrustBundle::verify(&bytes, &root);
        let _ = KeyCertificate::verify(&bytes, &root);
    }
}
