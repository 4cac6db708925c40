//! Mail through a real SMTP server (aiosmtpd) started by the test, with the issuer run with
//! `--smtp-url`: the address confirmed by its link before paying, a forgotten password reset by
//! mail (old sessions ended, the link good once), and the applicant told in their language that
//! the payment was confirmed, the e-visa issued (a link to the personal account, no PDF) and
//! the e-visa revoked.

use anyhow::{Result, ensure};
use tests::applicant::{ANNA, Applicant, DEMO_INVITATION, Method, PASSWORD};
use tests::browser::Browser;
use tests::portal::{Portal, Signing, succeeded};

#[test]
fn an_applicant_hears_from_the_portal_by_real_mail_in_russian_from_sign_up_to_revocation()
-> Result<()> {
    let portal = Portal::start_with_smtp(Signing::dev_key())?;
    let email = "anna.eriksson@example.com";
    let mut anna = Applicant::sign_up_in(&portal, email, "ru")?;
    let mailbox = &portal.mailbox;
    let welcome = &mailbox.mails_to(email)?[0];
    ensure!(
        welcome.subject == "Подтвердите адрес электронной почты",
        "the confirmation mail's subject: {}",
        welcome.subject
    );
    ensure!(
        welcome.content_types == ["multipart/alternative", "text/plain", "text/html"],
        "the confirmation mail is {:?}",
        welcome.content_types
    );
    ensure!(
        welcome
            .html
            .contains(&format!("{}/account/confirm/", portal.url))
            && !welcome.html.contains("<img"),
        "the HTML part: {}",
        welcome.html
    );

    // Someone else tries the address: the same answer, and Anna is told.
    let mut mallory = Browser::new()?;
    let answer = mallory.submit(
        &format!("{}/signup", portal.url),
        "/signup",
        &[
            ("email", email),
            ("full_name", "Mallory"),
            ("password", "mallory's long password"),
            ("password_again", "mallory's long password"),
        ],
    )?;
    answer.expect_shows("Check your e-mail")?;
    mailbox.wait_for(
        email,
        "Кто-то пытался открыть на портале новую учётную запись",
    )?;

    // "Forgot password?" from another browser: the link sets a new password once, and Anna's
    // first browser is logged out.
    let mut phone = Browser::new()?;
    phone
        .submit(
            &format!("{}/password/forgot", portal.url),
            "/password/forgot",
            &[("identifier", email)],
        )?
        .expect_shows("If such an account exists")?;
    let prefix = format!("{}/password/reset/", portal.url);
    let reset = mailbox.wait_for(email, &prefix)?;
    ensure!(
        reset.subject == "Восстановление пароля",
        "{}",
        reset.subject
    );
    let link = reset.link(&prefix)?;
    let action = link.trim_start_matches(&portal.url).to_owned();
    let new_password = "a brand new e2e password";
    phone
        .submit(
            &link,
            &action,
            &[("password", new_password), ("password_again", new_password)],
        )?
        .expect_shows("Your password was changed")?;
    let logged_out = anna.visas()?;
    ensure!(
        logged_out.url.contains("/login"),
        "the old session still opens the personal account: {}",
        logged_out.url
    );
    let again = phone.open(&link)?;
    ensure!(
        again.status == 410 && again.shows("it has expired or has been used"),
        "the reset link opened twice (HTTP {})",
        again.status
    );
    mailbox.wait_for(email, "Пароль вашей учётной записи изменён")?;
    let mut stale = Browser::new()?;
    let refused = stale.submit(
        &format!("{}/login", portal.url),
        "/login",
        &[("identifier", email), ("password", PASSWORD)],
    )?;
    ensure!(refused.status == 401, "the old password still works");
    anna.log_in(email, new_password)?;

    // Paying and the visa: two mails, in Russian, with the visa's number and a link to the
    // personal account, never the PDF.
    let visa = anna.obtain_visa(DEMO_INVITATION, &ANNA, Method::Card("4111 1111 1111 1111"))?;
    let paid = mailbox.wait_for(email, "Государственная пошлина по вашему заявлению")?;
    ensure!(paid.subject == "Оплата подтверждена", "{}", paid.subject);
    ensure!(paid.text.contains("Сумма: 80 USD"), "{}", paid.text);
    let issued = mailbox.wait_for(email, "Ваша электронная виза выдана")?;
    ensure!(
        issued.subject == "Электронная виза выдана",
        "{}",
        issued.subject
    );
    ensure!(
        issued
            .text
            .contains(&format!("Номер визы: {}", visa.visa_number))
            && issued.link(&portal.url)? == format!("{}/account/visas", portal.url),
        "the issued mail: {}",
        issued.text
    );
    ensure!(
        !issued.text.contains(".pdf") && !issued.html.contains(".pdf"),
        "the mail links the PDF"
    );
    let notices = mailbox
        .mails_to(email)?
        .iter()
        .filter(|m| m.subject == "Оплата подтверждена" || m.subject == "Электронная виза выдана")
        .count();
    ensure!(
        notices == 2,
        "{notices} payment and visa mails, not one each"
    );

    // The migration service revokes it from the command line; the running portal tells Anna.
    let out =
        portal.issuer_command(&["revoke", &visa.visa_number, "--reason", "passport stolen"])?;
    succeeded("issuer revoke", &out)?;
    let revoked = mailbox.wait_for(email, "Миграционная служба аннулировала")?;
    ensure!(
        revoked.text.contains("Причина: passport stolen"),
        "{}",
        revoked.text
    );
    Ok(())
}
