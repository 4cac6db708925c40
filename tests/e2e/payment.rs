//! From application to border entry: the applicant's flow through the portal and the gateway
//! with each way of paying, the PDF, and the printout at the kiosk.

use anyhow::{Result, ensure};
use tests::applicant::{ANNA, APPROVED, Applicant, DEMO_INVITATION, Method};
use tests::binaries::workspace_root;
use tests::kiosk::{Kiosk, Shown};
use tests::passport::td3;
use tests::portal::{Person, Portal, Signing};
use tests::printout::{Damage, damage, rasterise};

const HANS: Person = Person {
    surname: "MULLER",
    given_names: "HANS",
    sex: "M",
    date_of_birth: "1980-05-01",
    citizenship: "DEU",
    passport: "C01X00T47",
    category: "business",
};

const YUKI: Person = Person {
    surname: "TANAKA",
    given_names: "YUKI",
    sex: "F",
    date_of_birth: "1991-03-14",
    citizenship: "JPN",
    passport: "TK1234567",
    category: "tourist",
};

const AMARA: Person = Person {
    surname: "OKAFOR",
    given_names: "AMARA",
    sex: "F",
    date_of_birth: "1985-11-02",
    citizenship: "NGA",
    passport: "A09876543",
    category: "business",
};

const LUCA: Person = Person {
    surname: "ROSSI",
    given_names: "LUCA",
    sex: "M",
    date_of_birth: "1979-07-21",
    citizenship: "ITA",
    passport: "YA1234567",
    category: "treatment",
};

/// A kiosk at Astana that trusts the development issuer key, as README's kiosk example.
fn dev_kiosk(portal: &Portal, id: &'static str) -> Kiosk {
    Kiosk {
        trust: workspace_root().join("keys/dev-trust"),
        ledger: portal.scratch().join(format!("{id}.ledger.db")),
        port: "NQZ",
        id,
    }
}

#[test]
fn a_visa_paid_by_card_is_read_from_a_bad_photo_of_its_printout_and_admits_its_holder_only_once()
-> Result<()> {
    let portal = Portal::start(Signing::dev_key())?;
    let mut anna = Applicant::sign_up(&portal, "anna.eriksson@example.com")?;

    // A mistyped passport number is named on the form, and what was typed is kept.
    let refused = anna.fill_step1(DEMO_INVITATION, &ANNA, |fields| {
        for (name, value) in fields.iter_mut() {
            if *name == "passport_number" {
                *value = "L898902C4".to_owned();
            }
        }
    })?;
    ensure!(
        refused.shows("Does not match the invitation") && refused.shows("L898902C4"),
        "Step 1 accepted a passport number that differs from the invitation: {}",
        refused.url
    );

    let id = anna.apply(DEMO_INVITATION, &ANNA)?;
    anna.confirm(&id)?;
    anna.visas()?.expect_shows("Payment not done")?;
    let pay_url = anna.to_pay(&id)?;
    let check = anna.pay(&pay_url, Method::Card("4111 1111 1111 1111"))?;
    check
        .expect_shows("Electronic check")?
        .expect_shows("**** 1111")?
        .expect_shows("80.00 USD")?;
    ensure!(
        !check.shows("4111 1111 1111 1111") && !check.shows("4111111111111111"),
        "the gateway's check shows the whole card number"
    );
    let back = check.link("Return to the portal")?;
    ensure!(
        back == format!("{}/applications/{id}/result", portal.url),
        "\"Return to the portal\" leads to {back}"
    );

    anna.wait_until_approved(&id)?
        .expect_shows("Copy the visa in PDF format")?;
    anna.browser
        .open(&format!("{}/applications/{id}/receipt", portal.url))?
        .expect_shows("Payment card")?
        .expect_shows("**** 1111")?;
    anna.visas()?.expect_shows(APPROVED)?;
    let visa = anna.download(&id)?;
    ensure!(
        visa.file_name == format!("e-visa-{}-ERIKSSON.pdf", visa.visa_number),
        "the PDF is offered as {}",
        visa.file_name
    );

    // At the border: the printout scanned at 300 dpi and photographed turned, blurred and grainy.
    let kiosk = dev_kiosk(&portal, "NQZ-03");
    let page300 = rasterise(&visa.pdf, portal.scratch(), 300)?;
    let photo300 = damage(
        &page300,
        Damage {
            degrees: 3.0,
            blur: 1.4,
            noise: 24,
            jpeg_quality: 55,
        },
    )?;
    let verdict = kiosk.verify(Shown::Image(&photo300), None)?;
    verdict.expect("valid", "ok", 0)?;
    ensure!(
        verdict.field("/visa/visa_number") == visa.visa_number
            && verdict.field("/visa/surname") == "ERIKSSON"
            && verdict.field("/visa/passport_number") == "L898902C3",
        "the kiosk read another visa: {}",
        verdict.output
    );

    // The same printout at 150 dpi, photographed the other way round, is recorded for entry once.
    let page150 = rasterise(&visa.pdf, portal.scratch(), 150)?;
    let photo150 = damage(
        &page150,
        Damage {
            degrees: -2.5,
            blur: 0.8,
            noise: 16,
            jpeg_quality: 70,
        },
    )?;
    // The officer reads a passport: someone else's is refused, and not recorded as an entry.
    let wrong_passport =
        kiosk.record_with_passport(Shown::Image(&photo150), "entry", &td3(&HANS, "2031-01-31"))?;
    wrong_passport.expect("invalid", "passport_mismatch", 1)?;
    // Anna's own passport matches, and her entry is recorded once.
    let anna_passport = td3(&ANNA, "2034-06-30");
    let entry = kiosk.record_with_passport(Shown::Image(&photo150), "entry", &anna_passport)?;
    entry.expect("valid", "ok", 0)?;
    ensure!(
        entry.field("/recorded") == "entry" && entry.json["passport_checked"] == true,
        "the entry was not recorded with the passport checked: {}",
        entry.output
    );
    kiosk
        .record(Shown::Image(&photo150), "entry", None)?
        .expect("invalid", "already_used", 1)?;
    // Leaving is recorded too.
    let exit = kiosk.record_with_passport(Shown::Image(&photo150), "exit", &anna_passport)?;
    exit.expect("valid", "ok", 0)?;
    ensure!(
        exit.field("/recorded") == "exit",
        "the exit was not recorded: {}",
        exit.output
    );
    Ok(())
}

#[test]
fn paying_from_an_e_wallet_or_a_mobile_balance_issues_a_visa_with_only_a_masked_payer_on_the_check()
-> Result<()> {
    let portal = Portal::start(Signing::dev_key())?;
    let wallet_invitation = portal.invite(&HANS)?;
    let mobile_invitation = portal.invite(&YUKI)?;
    // One account may apply for several people (a travel agent, a family).
    let mut agent = Applicant::sign_up(&portal, "agent@example.com")?;

    let cases = [
        (
            &wallet_invitation,
            &HANS,
            Method::Wallet("WAL-100001"),
            "WAL-****01",
            "E-wallet",
        ),
        (
            &mobile_invitation,
            &YUKI,
            Method::Mobile("+7 701 555 0101"),
            "+7 701 *** **01",
            "Write-off from the mobile balance",
        ),
    ];
    let kiosk = dev_kiosk(&portal, "NQZ-01");
    for (invitation, person, method, hint, method_name) in cases {
        let id = agent.apply(invitation, person)?;
        agent.confirm(&id)?;
        let pay_url = agent.to_pay(&id)?;
        let check = agent.pay(&pay_url, method)?;
        check.expect_shows("Electronic check")?.expect_shows(hint)?;
        agent.wait_until_approved(&id)?;
        agent
            .browser
            .open(&format!("{}/applications/{id}/receipt", portal.url))?
            .expect_shows(method_name)?
            .expect_shows(hint)?;
        let visa = agent.download(&id)?;
        let page = rasterise(&visa.pdf, portal.scratch(), 150)?;
        let verdict = kiosk.verify(Shown::Image(&page), None)?;
        verdict.expect("valid", "ok", 0)?;
        ensure!(
            verdict.field("/visa/surname") == person.surname
                && verdict.field("/visa/category") == person.category,
            "the kiosk read another visa: {}",
            verdict.output
        );
    }
    Ok(())
}

#[test]
fn a_declined_card_leaves_the_duty_unpaid_and_paying_again_with_another_card_issues_the_visa()
-> Result<()> {
    let portal = Portal::start(Signing::dev_key())?;
    let invitation = portal.invite(&AMARA)?;
    let mut amara = Applicant::sign_up(&portal, "amara.okafor@example.com")?;
    let id = amara.apply(&invitation, &AMARA)?;
    amara.confirm(&id)?;

    let first = amara.to_pay(&id)?;
    amara
        .pay(&first, Method::Card("4000 0000 0000 0002"))?
        .expect_shows("Payment declined")?
        .expect_shows("No money was charged")?;
    // The portal learns it from the callback: Step 3 offers to pay again, Step 2 says why.
    let result = tests::wait_for(
        "the portal to show the decline",
        std::time::Duration::from_secs(30),
        || {
            let page = amara.result(&id)?;
            Ok(page.shows("The payment was declined.").then_some(page))
        },
    )?;
    result.expect_shows("Payment not done")?;
    let again = result.link("Pay again")?;
    amara
        .browser
        .open(&again)?
        .expect_shows("The previous payment was declined. Please try again.")?;

    let second = amara.to_pay(&id)?;
    ensure!(
        second != first,
        "paying again reused the declined payment {first}"
    );
    amara
        .pay(&second, Method::Card("5555 5555 5555 4444"))?
        .expect_shows("**** 4444")?;
    amara.wait_until_approved(&id)?;
    amara
        .browser
        .open(&format!("{}/applications/{id}/receipt", portal.url))?
        .expect_shows("**** 4444")?;
    // The declined payment stays declined at the gateway.
    amara
        .browser
        .open(&first)?
        .expect_shows("Payment declined")?;
    let visa = amara.download(&id)?;
    ensure!(
        visa.file_name.ends_with("-OKAFOR.pdf"),
        "the PDF is offered as {}",
        visa.file_name
    );
    Ok(())
}

#[test]
fn a_pending_card_payment_without_a_callback_is_approved_when_the_applicant_presses_update_status()
-> Result<()> {
    let portal = Portal::start(Signing::dev_key())?;
    let invitation = portal.invite(&LUCA)?;
    let mut luca = Applicant::sign_up(&portal, "luca.rossi@example.com")?;
    let id = luca.apply(&invitation, &LUCA)?;
    luca.confirm(&id)?;
    let pay_url = luca.to_pay(&id)?;
    // The gateway settles the pending card after its pending time (shortened for the test) and
    // shows the check, but sends no callback, so the portal does not know yet.
    luca.pay(&pay_url, Method::Card("4000 0000 0000 0044"))?
        .expect_shows("Electronic check")?
        .expect_shows("**** 0044")?;
    let before = luca.result(&id)?;
    before
        .expect_shows("Payment not done")?
        .expect_shows("Update Status")?;
    ensure!(
        !before.shows(APPROVED),
        "the portal approved a payment whose callback is never sent"
    );
    // "Update Status" asks the gateway and the visa is issued.
    luca.update_status(&id)?
        .expect_shows(APPROVED)?
        .expect_shows("Copy the visa in PDF format")?;
    let visa = luca.download(&id)?;
    ensure!(
        visa.file_name.ends_with("-ROSSI.pdf"),
        "the PDF is offered as {}",
        visa.file_name
    );
    Ok(())
}

#[test]
fn a_payment_whose_callback_arrives_three_times_still_issues_exactly_one_visa() -> Result<()> {
    let portal = Portal::start(Signing::dev_key())?;
    let invitation = portal.invite(&HANS)?;
    let mut hans = Applicant::sign_up(&portal, "hans.muller@example.com")?;
    let id = hans.apply(&invitation, &HANS)?;
    hans.confirm(&id)?;
    let pay_url = hans.to_pay(&id)?;
    hans.pay(&pay_url, Method::Card("4000 0000 0000 0069"))?
        .expect_shows("Electronic check")?;
    hans.wait_until_approved(&id)?;
    let first = hans.download(&id)?;

    // The gateway delivers its callback three times; the portal accepts each (204) and changes
    // nothing: the same visa, one row in "Visas".
    let payment_id = pay_url.rsplit('/').next().unwrap_or_default().to_owned();
    tests::wait_for(
        "the gateway to deliver the callback three times",
        std::time::Duration::from_secs(30),
        || {
            let delivered = portal
                .gateway_log()
                .lines()
                .filter(|l| {
                    l.contains("callback delivered")
                        && l.contains(&payment_id)
                        && l.contains("status=204")
                })
                .count();
            Ok((delivered >= 3).then_some(()))
        },
    )?;
    let again = hans.download(&id)?;
    ensure!(
        again.visa_number == first.visa_number,
        "the application's visa changed from {} to {} after the repeated callbacks",
        first.visa_number,
        again.visa_number
    );
    let visas = hans.visas()?;
    visas.expect_shows(APPROVED)?;
    ensure!(
        visas.text().matches("E-visa (PDF)").count() == 1,
        "\"Visas\" lists more than one e-visa:\n{}",
        tests::browser::excerpt(&visas.text())
    );
    Ok(())
}
