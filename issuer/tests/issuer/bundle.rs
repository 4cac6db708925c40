//! Trust data that stays small (issue 16): the next bundle lists the revocations and uses of the
//! visas still valid (past its horizon) and the certificates not yet ended, and nothing of the
//! history before; sequence numbers still only grow.

use issuer::clock::Clock;
use issuer::ops::seed::{EXPIRED_AGO, SeedArgs, seed};
use issuer::service::trust::{By, export_bundle, revoke_visa};
use issuer::store::Db;
use issuer::store::trust::Revoked;
use shared::bundle::{KeyCertificate, TrustBundle};
use shared::visa::VisaNumber;
use time::{Duration, OffsetDateTime};

use crate::support::repo;

fn root() -> shared::IssuerKey {
    issuer::keys::keyfile::load_private(&repo().join("keys/root/dev-root.key")).expect("root key")
}

fn numbers<'a>(list: impl Iterator<Item = &'a VisaNumber>) -> Vec<String> {
    list.map(|n| n.as_str().to_owned()).collect()
}

#[test]
fn a_revoked_visa_that_expired_drops_out_of_the_next_bundle_and_a_valid_revoked_one_stays() {
    let dir = tempfile::tempdir().expect("dir");
    // Four visas, each entered once: the first two were issued 400 days ago and have expired.
    seed(&SeedArgs {
        data_dir: dir.path().to_owned(),
        database_url: None,
        visas: 4,
        key: repo().join("keys/dev-issuer.key"),
        expired: 2,
        entered: true,
    })
    .expect("seeded");
    let db = Db::open(&dir.path().join("issuer.sqlite3")).expect("db");
    let (expired, valid) = ("KZ0000001", "KZ0000003");
    for number in [expired, valid] {
        let number = VisaNumber::parse(number).expect("number");
        let outcome = db
            .with(|conn| {
                revoke_visa(
                    conn,
                    &Clock::system(),
                    &By::operator(),
                    &number,
                    "passport stolen",
                )
            })
            .expect("revoked");
        assert_eq!(outcome, Revoked::Now);
    }
    let root = root();
    let now = OffsetDateTime::now_utc();
    // The dev issuer key's certificate, and one of an older key that ended long ago.
    let current = KeyCertificate::verify(
        &std::fs::read(repo().join("keys/dev-issuer.cert")).expect("cert"),
        &root.public_key(),
    )
    .expect("certificate");
    let old_key =
        issuer::keys::keyfile::load_public(&repo().join("keys/kiosk/dev-kiosk-nqz-01.pub"))
            .expect("a public key");
    let ended = KeyCertificate::new(
        old_key,
        now - Duration::days(900),
        now - Duration::days(500),
    )
    .expect("certificate");
    let export = |clock: Clock| {
        let bytes = db
            .with(|conn| {
                export_bundle(
                    conn,
                    &clock,
                    &By::operator(),
                    &root,
                    vec![current.clone(), ended.clone()],
                )
            })
            .expect("exported")
            .bytes;
        TrustBundle::verify(&bytes, &root.public_key()).expect("verifies")
    };

    // Made while the expired visas were still valid (as every bundle was made before), the
    // bundle lists both revocations and all four entries.
    let older = export(Clock::fixed(now - EXPIRED_AGO + Duration::days(10)));
    assert_eq!(
        numbers(older.revoked_visas().iter().map(|r| &r.visa_number)),
        [expired, valid]
    );
    assert_eq!(older.used_entries().len(), 4);

    // Now: only what can still change a verdict.
    let newer = export(Clock::system());
    assert!(newer.sequence() > older.sequence());
    assert_eq!(
        numbers(newer.revoked_visas().iter().map(|r| &r.visa_number)),
        [valid]
    );
    assert_eq!(
        numbers(newer.used_entries().iter().map(|u| &u.visa_number)),
        ["KZ0000003", "KZ0000004"]
    );
    let kids: Vec<_> = newer.certificates().iter().map(|c| c.key().kid()).collect();
    assert_eq!(
        kids,
        [current.key().kid()],
        "the ended certificate is left out"
    );
}
