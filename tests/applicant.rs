//! The applicant's steps, as they would click them: sign up, Step 1 with an invitation, confirm,
//! "To pay", the gateway's method pages, the electronic check, back to the portal, Step 3 and the
//! PDF. Each step checks what the applicant would see before the next one starts.

use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::browser::{Browser, Page, excerpt};
use crate::portal::{Person, Portal};

/// The demo applicant of README, invited by `INV-DEMO-0001`.
pub const ANNA: Person = Person {
    surname: "ERIKSSON",
    given_names: "ANNA MARIA",
    sex: "F",
    date_of_birth: "1974-08-12",
    citizenship: "SWE",
    passport: "L898902C3",
    category: "tourist",
};

/// The password every test applicant signs up with.
pub const PASSWORD: &str = "a long e2e test password";

/// The demo invitation, seeded on the issuer's first start.
pub const DEMO_INVITATION: &str = "INV-DEMO-0001";

/// What the Step 3 page says once the visa is issued.
pub const APPROVED: &str = "Approved. Payment completed";

/// A way to pay on the gateway, with the test data of `docs/epay-gateway.md`.
#[derive(Debug, Clone, Copy)]
pub enum Method {
    /// A card number (spaces allowed).
    Card(&'static str),
    /// An e-wallet id.
    Wallet(&'static str),
    /// A phone number for the mobile balance.
    Mobile(&'static str),
}

/// A signed-up applicant with their browser.
#[derive(Debug)]
pub struct Applicant<'p> {
    /// The browser, with the applicant's session.
    pub browser: Browser,
    portal: &'p Portal,
}

/// A downloaded e-visa.
#[derive(Debug, Clone)]
pub struct Download {
    /// The application it was issued for.
    pub application_id: String,
    /// The file name the portal suggests.
    pub file_name: String,
    /// The visa number, from the file name.
    pub visa_number: String,
    /// The PDF.
    pub pdf: Vec<u8>,
}

impl<'p> Applicant<'p> {
    /// Signs up with `email`, confirms the address with the link the portal mails, logs in and
    /// lands on Portal Services.
    pub fn sign_up(portal: &'p Portal, email: &str) -> Result<Self> {
        Self::sign_up_in(portal, email, "en")
    }

    /// Like [`Applicant::sign_up`], with the portal in `lang` (`kk`, `ru`, `en`) while signing up,
    /// so the account's mail comes in that language; the pages are English again afterwards.
    pub fn sign_up_in(portal: &'p Portal, email: &str, lang: &str) -> Result<Self> {
        let mut browser = Browser::new()?;
        let page = browser.submit(
            &format!("{}/signup?lang={lang}", portal.url),
            "/signup",
            &[
                ("email", email),
                ("full_name", "E2E Applicant"),
                ("password", PASSWORD),
                ("password_again", PASSWORD),
                ("next", "/services"),
            ],
        )?;
        if page.status != 200 || !page.shows(email) {
            bail!(
                "signing up did not answer with the \"check your e-mail\" page but {} (HTTP {}):\n{}",
                page.url,
                page.status,
                excerpt(&page.text())
            );
        }
        browser.open(&format!("{}/services?lang=en", portal.url))?;
        let mut applicant = Self { browser, portal };
        applicant.confirm_address(email)?;
        applicant.log_in(email, PASSWORD)?;
        Ok(applicant)
    }

    /// Opens the newest confirmation link mailed to `email` and presses its button.
    pub fn confirm_address(&mut self, email: &str) -> Result<Page> {
        let prefix = format!("{}/account/confirm/", self.portal.url);
        let mail = self.portal.mailbox.wait_for(email, &prefix)?;
        let link = mail.link(&prefix)?;
        let action = link.trim_start_matches(&self.portal.url).to_owned();
        let page = self.browser.submit(&link, &action, &[])?;
        page.expect_shows("Your address is confirmed")?;
        Ok(page)
    }

    /// Logs in with the e-mail and password and lands on Portal Services.
    pub fn log_in(&mut self, email: &str, password: &str) -> Result<Page> {
        let page = self.browser.submit(
            &format!("{}/login", self.portal.url),
            "/login",
            &[
                ("identifier", email),
                ("password", password),
                ("next", "/services"),
            ],
        )?;
        if !page.url.ends_with("/services") || page.status != 200 {
            bail!(
                "logging in did not lead to the services page but to {} (HTTP {}):\n{}",
                page.url,
                page.status,
                excerpt(&page.text())
            );
        }
        page.expect_shows("Electronic visa")?;
        Ok(page)
    }

    /// Submits Step 1 with `person`'s data and `invitation`, changed by `edit` (to make
    /// mistakes), and returns the page the portal answers with.
    pub fn fill_step1(
        &mut self,
        invitation: &str,
        person: &Person,
        edit: impl FnOnce(&mut Vec<(&'static str, String)>),
    ) -> Result<Page> {
        let mut fields: Vec<(&'static str, String)> = vec![
            ("invitation_number", invitation.to_owned()),
            ("category", person.category.to_owned()),
            ("surname", person.surname.to_owned()),
            ("given_names", person.given_names.to_owned()),
            ("surname_native", String::new()),
            ("given_names_native", String::new()),
            ("sex", person.sex.to_owned()),
            ("date_of_birth", person.date_of_birth.to_owned()),
            ("citizenship", person.citizenship.to_owned()),
            ("passport_number", person.passport.to_owned()),
            ("passport_expiry", "2034-06-30".to_owned()),
            ("with_children", "no".to_owned()),
        ];
        edit(&mut fields);
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.browser
            .submit(&format!("{}/apply", self.portal.url), "/apply", &borrowed)
    }

    /// Step 1 with correct data: returns the application id from the confirmation page.
    pub fn apply(&mut self, invitation: &str, person: &Person) -> Result<String> {
        let page = self.fill_step1(invitation, person, |_| {})?;
        let id = application_id(&page.url).with_context(|| {
            format!(
                "Step 1 did not lead to the confirmation page but to {}:\n{}",
                page.url,
                excerpt(&page.text())
            )
        })?;
        page.expect_shows("Nomad Travel Demo")?;
        Ok(id)
    }

    /// Ticks "I confirm" and goes on to Step 2 (the state duty).
    pub fn confirm(&mut self, id: &str) -> Result<Page> {
        let page = self.browser.submit(
            &self.app_url(id, "confirm"),
            "/confirm",
            &[("confirm", "yes")],
        )?;
        if !page.url.ends_with("/payment") {
            bail!("confirming led to {}:\n{}", page.url, excerpt(&page.text()));
        }
        page.expect_shows("Payment of state duty")?;
        Ok(page)
    }

    /// Presses "To pay" on Step 2 and returns where the portal sends the browser: the gateway's
    /// payment page.
    pub fn to_pay(&mut self, id: &str) -> Result<String> {
        let page = self.browser.open(&self.app_url(id, "payment"))?;
        page.expect_shows("To pay")?;
        let csrf = page.hidden("csrf")?;
        let answer = self
            .browser
            .post(&page.form_action("/payment")?, &[("csrf", &csrf)])?;
        let pay_url = answer
            .location
            .clone()
            .filter(|_| answer.is_redirect())
            .with_context(|| {
                format!(
                    "\"To pay\" did not redirect (HTTP {}):\n{}\n{}",
                    answer.status,
                    excerpt(&answer.text()),
                    self.portal.logs()
                )
            })?;
        if !pay_url.starts_with(&format!("{}/pay/", self.portal.gateway_url)) {
            bail!("\"To pay\" sent the browser to {pay_url}, not to the gateway");
        }
        Ok(pay_url)
    }

    /// On the gateway: chooses the method, fills its form, presses "Pay", and waits on the
    /// waiting page until the server's answer (the check or the decline) is shown.
    pub fn pay(&mut self, pay_url: &str, method: Method) -> Result<Page> {
        let choice = self.browser.open(pay_url)?;
        choice.expect_shows("Payment card")?;
        let (path, fields): (&str, Vec<(&str, &str)>) = match method {
            Method::Card(number) => (
                "card",
                vec![
                    ("number", number),
                    ("expiry", "12/30"),
                    ("cvv", "123"),
                    ("holder", "E2E APPLICANT"),
                ],
            ),
            Method::Wallet(wallet) => ("wallet", vec![("wallet", wallet)]),
            Method::Mobile(phone) => ("mobile", vec![("phone", phone)]),
        };
        let form = self.browser.open(&format!("{pay_url}/{path}"))?;
        let csrf = form.hidden("csrf")?;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        let submitted = self
            .browser
            .post(&form.form_action(&format!("/{path}"))?, &all)?;
        if !submitted.is_redirect() {
            bail!(
                "the gateway refused the {path} form (HTTP {}):\n{}",
                submitted.status,
                excerpt(&submitted.text())
            );
        }
        self.gateway_answer(pay_url)
    }

    /// Reloads the gateway's payment page (as its "Check for the answer" link does) until it no
    /// longer waits.
    pub fn gateway_answer(&mut self, pay_url: &str) -> Result<Page> {
        let limit = Duration::from_secs(crate::portal::PENDING_SECONDS + 30);
        crate::wait_for("the gateway's answer to the payment", limit, || {
            let page = self.browser.open(pay_url)?;
            Ok((!page.text().contains("data-waiting")).then_some(page))
        })
    }

    /// Step 3 "Result".
    pub fn result(&mut self, id: &str) -> Result<Page> {
        self.browser.open(&self.app_url(id, "result"))
    }

    /// Presses "Update Status" on Step 3 and returns the page it comes back to.
    pub fn update_status(&mut self, id: &str) -> Result<Page> {
        self.browser
            .submit(&self.app_url(id, "result"), "/status", &[])
    }

    /// Reloads Step 3 until it says the visa is approved (the gateway's callback has arrived).
    pub fn wait_until_approved(&mut self, id: &str) -> Result<Page> {
        let page = crate::wait_for(
            "the callback to approve the application",
            Duration::from_secs(30),
            || {
                let page = self.result(id)?;
                Ok(page.shows(APPROVED).then_some(page))
            },
        );
        page.with_context(|| self.portal.logs())
    }

    /// Follows "Copy the visa in PDF format" on Step 3 and checks the download.
    pub fn download(&mut self, id: &str) -> Result<Download> {
        let result = self.result(id)?;
        let link = result.link("Copy the visa in PDF format")?;
        let page = self.browser.get(&link)?;
        if page.status != 200 || page.content_type != "application/pdf" {
            bail!(
                "the PDF link answered HTTP {} {}",
                page.status,
                page.content_type
            );
        }
        let disposition = page.disposition.clone().unwrap_or_default();
        let file_name = disposition
            .split("filename=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .with_context(|| format!("no file name in {disposition:?}"))?
            .to_owned();
        let visa_number = file_name
            .strip_prefix("e-visa-")
            .and_then(|rest| rest.split('-').next())
            .filter(|n| n.starts_with("KZ"))
            .with_context(|| format!("no visa number in the file name {file_name}"))?
            .to_owned();
        if !page.body.starts_with(b"%PDF-") {
            bail!("{file_name} is not a PDF");
        }
        Ok(Download {
            application_id: id.to_owned(),
            file_name,
            visa_number,
            pdf: page.body,
        })
    }

    /// Everything from Step 1 to the downloaded visa, paying with `method` (which must succeed).
    pub fn obtain_visa(
        &mut self,
        invitation: &str,
        person: &Person,
        method: Method,
    ) -> Result<Download> {
        let id = self.apply(invitation, person)?;
        self.confirm(&id)?;
        let pay_url = self.to_pay(&id)?;
        self.pay(&pay_url, method)?
            .expect_shows("Payment completed")?;
        self.wait_until_approved(&id)?;
        self.download(&id)
    }

    /// The personal account's "Visas" page.
    pub fn visas(&mut self) -> Result<Page> {
        self.browser
            .open(&format!("{}/account/visas", self.portal.url))
    }

    fn app_url(&self, id: &str, step: &str) -> String {
        format!("{}/applications/{id}/{step}", self.portal.url)
    }
}

/// The application id in `…/applications/ID/confirm`.
pub fn application_id(url: &str) -> Option<String> {
    let rest = url.split("/applications/").nth(1)?;
    let id = rest.strip_suffix("/confirm")?;
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| id.to_owned())
}
