//! Offline trust through the real command lines (docs/trust-bundle.md): the operator makes a root
//! key, certifies issuer keys, rotates to a new key while the portal runs, revokes one visa,
//! exports signed bundles and imports a kiosk's ledger; kiosks that only hold the root public key
//! enforce all of it.

use std::path::Path;

use anyhow::{Context, Result, ensure};
use tests::applicant::{Applicant, Method};
use tests::kiosk::{Kiosk, Shown};
use tests::portal::{self, Person, Portal, Signing, succeeded};
use tests::printout::rasterise;
use tests::rfc3339;
use time::{Duration, OffsetDateTime};

const OLD_KEY_HOLDER: Person = Person {
    surname: "NOVAK",
    given_names: "PETRA",
    sex: "F",
    date_of_birth: "1982-02-17",
    citizenship: "CZE",
    passport: "CZ4455667",
    category: "business",
};

const NEW_KEY_HOLDER: Person = Person {
    surname: "SILVA",
    given_names: "JOAO",
    sex: "M",
    date_of_birth: "1990-09-09",
    citizenship: "PRT",
    passport: "PT7788990",
    category: "tourist",
};

const REVOKED_HOLDER: Person = Person {
    surname: "DUPONT",
    given_names: "CLAIRE",
    sex: "F",
    date_of_birth: "1977-04-30",
    citizenship: "FRA",
    passport: "FR1122334",
    category: "tourist",
};

/// A visa obtained through the portal, as the kiosk sees it: a picture of its printout.
struct Printed {
    number: String,
    application_id: String,
    picture: std::path::PathBuf,
}

#[test]
fn a_kiosk_holding_only_the_root_key_enforces_key_rotation_revocation_bundle_order_and_freshness()
-> Result<()> {
    let keys = tests::scratch_dir("e2e-keys-")?;
    let root_key = keys.path().join("root/country.key");
    let root_pub = keys.path().join("root/country.pub");
    let key_dir = keys.path().join("issuer");
    std::fs::create_dir_all(keys.path().join("root"))?;
    std::fs::create_dir_all(&key_dir)?;
    let now = OffsetDateTime::now_utc();

    // The root key, and the first issuer key certified from a month ago.
    run_issuer(&[
        "keygen",
        "--root",
        "--out",
        &path(&keys.path().join("root/country")),
    ])?;
    let old = key_dir.join("issuer-old");
    run_issuer(&["keygen", "--out", &path(&old)])?;
    certify(
        &root_key,
        &old,
        now - Duration::days(30),
        now + Duration::days(200),
    )?;

    let portal = Portal::start(Signing::KeyDir {
        dir: key_dir.clone(),
        root_pub: root_pub.clone(),
    })?;
    let mut family = Applicant::sign_up(&portal, "family@example.com")?;
    let a = obtain(&portal, &mut family, &OLD_KEY_HOLDER)?;

    // Rotation without downtime: a new key certified with an overlapping period is put beside the
    // old one while the portal runs; the next visas are signed with it.
    let new = key_dir.join("issuer-new");
    run_issuer(&["keygen", "--out", &path(&new)])?;
    certify(
        &root_key,
        &new,
        now - Duration::hours(1),
        now + Duration::days(400),
    )?;
    let b = obtain(&portal, &mut family, &NEW_KEY_HOLDER)?;
    let c = obtain(&portal, &mut family, &REVOKED_HOLDER)?;

    let bundles = tests::scratch_dir("e2e-bundles-")?;
    let export = |name: &str| -> Result<std::path::PathBuf> {
        let out = bundles.path().join(name);
        export_bundle(&portal.data_dir, &root_key, &key_dir, &out)?;
        Ok(out)
    };
    let bundle1 = export("bundle-1.kztrust")?;

    let nqz = kiosk_with_root(bundles.path(), &root_pub, "NQZ", "NQZ-01")?;
    let installed = nqz.import_bundle(&bundle1)?;
    ensure!(
        installed.code == 0 && installed.json["installed"] == 1 && installed.json["keys"] == 2,
        "bundle 1 was not installed: {}",
        installed.output
    );
    let before = nqz.verify(Shown::Image(&c.picture), None)?;
    before.expect("valid", "ok", 0)?;

    // The officer revokes one visa; the applicant sees it, and the next bundle carries it.
    let revoked =
        portal.issuer_command(&["revoke", &c.number, "--reason", "passport reported stolen"])?;
    succeeded("issuer revoke", &revoked)?;
    family
        .visas()?
        .expect_shows("Visa revoked")?
        .expect_shows("passport reported stolen")?;
    family
        .result(&c.application_id)?
        .expect_shows("Visa revoked")?
        .expect_shows(&c.number)?;
    let bundle2 = export("bundle-2.kztrust")?;
    let installed = nqz.import_bundle(&bundle2)?;
    ensure!(
        installed.code == 0
            && installed.json["installed"] == 2
            && installed.json["revoked_visas"] == 1,
        "bundle 2 was not installed: {}",
        installed.output
    );

    // The revoked visa is refused; its sibling from the same key and the old key's visa pass.
    nqz.verify(Shown::Image(&c.picture), None)?
        .expect("invalid", "revoked", 1)?;
    let old_visa = nqz.verify(Shown::Image(&a.picture), None)?;
    old_visa.expect("valid", "ok", 0)?;
    let new_visa = nqz.verify(Shown::Image(&b.picture), None)?;
    new_visa.expect("valid", "ok", 0)?;
    let sibling = nqz.verify(Shown::Image(&c.picture), None)?;
    ensure!(
        old_visa.field("/kid") != new_visa.field("/kid")
            && new_visa.field("/kid") == sibling.field("/kid"),
        "the visas before and after the rotation should be signed by the old and the new key: \
         {}{}",
        old_visa.output,
        new_visa.output
    );

    // An older bundle is refused (no rollback), and so is an altered one; bundle 2 stays.
    let replay = nqz.import_bundle(&bundle1)?;
    ensure!(
        replay.code == 1
            && replay.json["refused"]
                .as_str()
                .is_some_and(|r| r.contains("not newer")),
        "re-importing bundle 1 after bundle 2 was not refused: {}",
        replay.output
    );
    let bundle3 = export("bundle-3.kztrust")?;
    let altered = bundles.path().join("bundle-3-altered.kztrust");
    let mut bytes = std::fs::read(&bundle3)?;
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&altered, &bytes)?;
    let tampered = nqz.import_bundle(&altered)?;
    ensure!(
        tampered.code == 1
            && tampered.json["refused"]
                .as_str()
                .is_some_and(|r| r.contains("altered")),
        "an altered bundle was not refused: {}",
        tampered.output
    );
    nqz.verify(Shown::Image(&c.picture), None)?
        .expect("invalid", "revoked", 1)?;

    // Freshness: trust data past 7 days, or a clock behind the bundle, cannot be relied on.
    let in_8_days = rfc3339(now + Duration::days(8))?;
    nqz.verify(Shown::Image(&a.picture), Some(&in_8_days))?
        .expect("cannot_verify", "trust_too_old", 2)?;
    let yesterday = rfc3339(now - Duration::days(1))?;
    nqz.verify(Shown::Image(&a.picture), Some(&yesterday))?
        .expect("cannot_verify", "clock_suspicious", 2)?;

    // The old key's visa enters at Astana and leaves a day later; a clock then wound back to
    // between the bundle and that last record is suspicious too.
    nqz.record(Shown::Image(&a.picture), "entry", None)?
        .expect("valid", "ok", 0)?;
    let tomorrow = rfc3339(now + Duration::days(1))?;
    nqz.record(Shown::Image(&a.picture), "exit", Some(&tomorrow))?
        .expect("valid", "ok", 0)?;
    let in_2_hours = rfc3339(now + Duration::hours(2))?;
    nqz.record(Shown::Image(&b.picture), "entry", Some(&in_2_hours))?
        .expect("cannot_verify", "clock_suspicious", 2)?;

    // Astana's ledger reaches the issuer signed with the kiosk's own key, which the migration
    // service registered; the next bundle tells Almaty the single-entry visa is used, while its
    // sibling still enters there. Until the kiosk is registered its export proves nothing.
    let ledger_export = bundles.path().join("nqz-ledger.kzledger");
    let after_last_record = rfc3339(now + Duration::days(1) + Duration::minutes(1))?;
    let exported = nqz.export_ledger(&ledger_export, Some(&after_last_record))?;
    ensure!(
        exported.code == 0,
        "exporting the ledger: {}",
        exported.output
    );
    let unregistered = portal.issuer_command(&["ledger-import", &path(&ledger_export)])?;
    ensure!(
        !unregistered.status.success(),
        "an export of an unregistered kiosk was imported"
    );
    let registered = portal.issuer_command(&[
        "kiosk",
        "add",
        "--id",
        nqz.id,
        "--port",
        nqz.port,
        "--key",
        &path(&nqz.public_key()),
    ])?;
    succeeded("issuer kiosk add", &registered)?;
    let imported = portal.issuer_command(&["ledger-import", &path(&ledger_export)])?;
    let said = succeeded("issuer ledger-import", &imported)?;
    ensure!(
        said.contains("recorded 1 new"),
        "ledger-import said: {said}"
    );
    let bundle4 = export("bundle-4.kztrust")?;
    let ala = kiosk_with_root(bundles.path(), &root_pub, "ALA", "ALA-02")?;
    let installed = ala.import_bundle(&bundle4)?;
    ensure!(
        installed.code == 0 && installed.json["used_entries"] == 1 && installed.json["kiosks"] == 1,
        "bundle 4 was not installed: {}",
        installed.output
    );
    let used = ala.record(Shown::Image(&a.picture), "entry", None)?;
    used.expect("invalid", "already_used", 1)?;
    ensure!(
        used.output.contains("NQZ"),
        "the refusal does not say where the visa was used: {}",
        used.output
    );
    ala.record(Shown::Image(&b.picture), "entry", None)?
        .expect("valid", "ok", 0)?;
    Ok(())
}

#[test]
fn a_visa_issued_outside_its_keys_period_a_revoked_key_and_a_bundle_from_another_root_are_refused()
-> Result<()> {
    let dir = tests::scratch_dir("e2e-period-")?;
    let root = dir.path().join("country");
    run_issuer(&["keygen", "--root", "--out", &path(&root)])?;
    let key = dir.path().join("issuer");
    run_issuer(&["keygen", "--out", &path(&key)])?;
    let now = OffsetDateTime::now_utc();
    certify(
        &root.with_extension("key"),
        &key,
        now - Duration::days(10),
        now + Duration::days(300),
    )?;

    // Two visas signed with the same certified key: one issued inside its period, one before it.
    let visa = |number: &str, issued_at: OffsetDateTime| -> Result<String> {
        let today = tests::kazakhstan_today();
        let json = serde_json::json!({
            "visa_number": number, "category": "business", "entries": "single",
            "valid_from": today.to_string(),
            "valid_until": (today + Duration::days(30)).to_string(),
            "duration_of_stay": 30, "ports": ["NQZ", "ALA"],
            "surname": "ERIKSSON", "given_names": "ANNA MARIA",
            "passport_number": "L898902C3", "citizenship": "SWE",
            "date_of_birth": "1974-08-12", "sex": "F",
            "invitation_number": "INV-2026-000001",
            "issued_at": rfc3339(issued_at)?,
        });
        let file = dir.path().join(format!("{number}.json"));
        std::fs::write(&file, json.to_string())?;
        let out = portal::issuer(&[
            "sign",
            "--key",
            &path(&key.with_extension("key")),
            &path(&file),
        ])?;
        Ok(succeeded("issuer sign", &out)?.trim().to_owned())
    };
    let inside = visa("KZ2690001", now - Duration::hours(1))?;
    let before = visa("KZ2690002", now - Duration::days(20))?;

    // The bundle comes from an issuer database; a fresh one is made by registering an invitation.
    let data = dir.path().join("data");
    let made = portal::issuer(&[
        "invite",
        "--data-dir",
        &path(&data),
        "--bin-iin",
        portal::DEMO_BIN,
        "--inviter-name",
        "Nomad Travel Demo LLP",
        "--surname",
        "ERIKSSON",
        "--passport",
        "L898902C3",
        "--citizenship",
        "SWE",
        "--date-of-birth",
        "1974-08-12",
        "--category",
        "business",
        "--purpose",
        "Negotiations",
        "--city",
        "Astana",
        "--street",
        "Mangilik El",
        "--house",
        "55",
        "--valid-from",
        &tests::kazakhstan_today().to_string(),
        "--valid-until",
        &(tests::kazakhstan_today() + Duration::days(30)).to_string(),
        "--stay-days",
        "20",
    ])?;
    succeeded("issuer invite", &made)?;
    let key_dir = dir.path().join("keys");
    std::fs::create_dir_all(&key_dir)?;
    std::fs::copy(key.with_extension("cert"), key_dir.join("issuer.cert"))?;
    let root_key = root.with_extension("key");
    let bundle1 = dir.path().join("trust-1.kztrust");
    export_bundle(&data, &root_key, &key_dir, &bundle1)?;

    let kiosk = kiosk_with_root(dir.path(), &root.with_extension("pub"), "NQZ", "NQZ-05")?;
    let installed = kiosk.import_bundle(&bundle1)?;
    ensure!(
        installed.code == 0,
        "the bundle was not installed: {}",
        installed.output
    );
    let honest = kiosk.verify(Shown::Text(&inside), None)?;
    honest.expect("valid", "ok", 0)?;
    kiosk
        .verify(Shown::Text(&before), None)?
        .expect("invalid", "outside_key_period", 1)?;

    // A bundle made with another root key (which certified the same issuer key) is refused.
    let other_root = dir.path().join("other-country");
    run_issuer(&["keygen", "--root", "--out", &path(&other_root)])?;
    let other_dir = dir.path().join("other-keys");
    std::fs::create_dir_all(&other_dir)?;
    run_issuer(&[
        "certify",
        "--root",
        &path(&other_root.with_extension("key")),
        "--key",
        &path(&key.with_extension("pub")),
        "--not-before",
        &rfc3339(now - Duration::days(10))?,
        "--not-after",
        &rfc3339(now + Duration::days(300))?,
        "--out",
        &path(&other_dir.join("issuer.cert")),
    ])?;
    let foreign = dir.path().join("foreign.kztrust");
    export_bundle(
        &data,
        &other_root.with_extension("key"),
        &other_dir,
        &foreign,
    )?;
    let refused = kiosk.import_bundle(&foreign)?;
    ensure!(
        refused.code == 1
            && refused.json["refused"]
                .as_str()
                .is_some_and(|r| r.contains("not signed by the trusted root")),
        "a bundle from another root was not refused: {}",
        refused.output
    );

    // A compromised key is revoked as a whole: every visa it signed is refused.
    let kid = honest.field("/kid").to_owned();
    ensure!(
        !kid.is_empty(),
        "the kiosk did not name the key: {}",
        honest.output
    );
    let out = portal::issuer(&[
        "revoke-key",
        &kid,
        "--reason",
        "compromised",
        "--data-dir",
        &path(&data),
    ])?;
    succeeded("issuer revoke-key", &out)?;
    let bundle3 = dir.path().join("trust-3.kztrust");
    export_bundle(&data, &root_key, &key_dir, &bundle3)?;
    let installed = kiosk.import_bundle(&bundle3)?;
    ensure!(
        installed.code == 0 && installed.json["revoked_keys"] == 1,
        "the bundle with the revoked key was not installed: {}",
        installed.output
    );
    kiosk
        .verify(Shown::Text(&inside), None)?
        .expect("invalid", "revoked_key", 1)?;
    Ok(())
}

/// Signs up is done; applies with a fresh invitation for `person`, pays by card, downloads the
/// PDF and rasterises it at 150 dpi.
fn obtain(portal: &Portal, applicant: &mut Applicant<'_>, person: &Person) -> Result<Printed> {
    let invitation = portal.invite(person)?;
    let visa = applicant
        .obtain_visa(&invitation, person, Method::Card("4111 1111 1111 1111"))
        .with_context(|| format!("obtaining {}'s visa", person.surname))?;
    let dir = portal.scratch().join(&visa.visa_number);
    std::fs::create_dir_all(&dir)?;
    let picture = rasterise(&visa.pdf, &dir, 150)?;
    Ok(Printed {
        number: visa.visa_number,
        application_id: visa.application_id,
        picture,
    })
}

/// A kiosk in `parent/ID` whose trust directory holds only `root.pub`, with its own fresh ledger.
fn kiosk_with_root(
    parent: &Path,
    root_pub: &Path,
    port: &'static str,
    id: &'static str,
) -> Result<Kiosk> {
    let dir = parent.join(id);
    let trust = dir.join("trust");
    std::fs::create_dir_all(&trust)?;
    std::fs::copy(root_pub, trust.join("root.pub"))?;
    let kiosk = Kiosk {
        trust,
        ledger: dir.join("ledger.db"),
        port,
        id,
    };
    let made = kiosk.identity()?;
    ensure!(
        made.code == 0 && made.json["kiosk_id"] == id,
        "verifier-kiosk identity: {}",
        made.output
    );
    Ok(kiosk)
}

fn certify(
    root_key: &Path,
    key: &Path,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
) -> Result<()> {
    run_issuer(&[
        "certify",
        "--root",
        &path(root_key),
        "--key",
        &path(&key.with_extension("pub")),
        "--not-before",
        &rfc3339(not_before)?,
        "--not-after",
        &rfc3339(not_after)?,
    ])?;
    Ok(())
}

/// `issuer bundle export` for the database in `data`.
fn export_bundle(data: &Path, root_key: &Path, key_dir: &Path, out: &Path) -> Result<()> {
    let answer = portal::issuer(&[
        "bundle",
        "export",
        "--data-dir",
        &path(data),
        "--root",
        &path(root_key),
        "--key-dir",
        &path(key_dir),
        "--out",
        &path(out),
    ])?;
    succeeded("issuer bundle export", &answer)?;
    Ok(())
}

fn run_issuer(args: &[&str]) -> Result<String> {
    let out = portal::issuer(args)?;
    succeeded(&format!("issuer {}", args.join(" ")), &out)
}

fn path(p: &Path) -> String {
    p.display().to_string()
}
