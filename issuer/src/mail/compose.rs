//! A letter worded in the account's language: the subject, the plain text and the HTML
//! alternative, both saying the same. Links go to the portal's own pages (the personal account,
//! never a PDF); nothing is loaded from elsewhere, so there is nothing to track who reads it.

use maud::{DOCTYPE, html};
use shared::labels::Field;

use crate::domain::fees::format_minor;
use crate::domain::mail::Letter;
use crate::i18n::msg::{Duty, Mail, Msg};
use crate::i18n::{Lang, label};

/// A letter ready to be put into a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    /// The subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part (the same words).
    pub html: String,
}

/// What a letter says, before it is laid out as text or HTML.
struct Content {
    subject: &'static str,
    lead: &'static str,
    facts: Vec<(&'static str, String)>,
    link: Option<(&'static str, String)>,
    after: Option<&'static str>,
}

/// Words `letter` in `lang` for the holder called `name`; links start at `base_url` (the
/// portal's public address).
pub fn compose(letter: &Letter, lang: Lang, name: &str, base_url: &str) -> Composed {
    let base = base_url.trim_end_matches('/');
    let t = |msg: Mail| Msg::from(msg).text(lang);
    let d = |msg: Duty| Msg::from(msg).text(lang);
    let application = |id: &str| {
        (
            t(Mail::OpenApplication),
            format!("{base}/applications/{id}/result"),
        )
    };
    let content = match letter {
        Letter::VerifyAddress { token } => Content {
            subject: t(Mail::VerifySubject),
            lead: t(Mail::VerifyBody),
            facts: Vec::new(),
            link: Some((
                t(Mail::VerifyLink),
                format!("{base}/account/confirm/{token}"),
            )),
            after: Some(t(Mail::VerifyNotYou)),
        },
        Letter::SignupAttempt => Content {
            subject: t(Mail::AttemptSubject),
            lead: t(Mail::AttemptBody),
            facts: Vec::new(),
            link: Some((t(Mail::AttemptForgot), format!("{base}/password/forgot"))),
            after: None,
        },
        Letter::PasswordReset { token } => Content {
            subject: t(Mail::ResetSubject),
            lead: t(Mail::ResetBody),
            facts: Vec::new(),
            link: Some((t(Mail::ResetLink), format!("{base}/password/reset/{token}"))),
            after: Some(t(Mail::ResetNotYou)),
        },
        Letter::PasswordChanged => Content {
            subject: t(Mail::ChangedSubject),
            lead: t(Mail::ChangedBody),
            facts: Vec::new(),
            link: Some((t(Mail::ChangedNotYou), format!("{base}/password/forgot"))),
            after: None,
        },
        Letter::PaymentConfirmed {
            application_id,
            amount_minor,
            currency,
            receipt_number,
        } => {
            let mut facts = vec![(
                d(Duty::Amount),
                format!("{} {currency}", format_minor(*amount_minor)),
            )];
            if let Some(receipt) = receipt_number {
                facts.push((d(Duty::ReceiptNumber), receipt.clone()));
            }
            Content {
                subject: t(Mail::PaidSubject),
                lead: t(Mail::PaidBody),
                facts,
                link: Some(application(application_id)),
                after: None,
            }
        }
        Letter::VisaIssued { visa_number, .. } => Content {
            subject: t(Mail::IssuedSubject),
            lead: t(Mail::IssuedBody),
            facts: vec![(label(lang, Field::VisaNumber), visa_number.clone())],
            link: Some((
                Msg::from(crate::i18n::msg::Frame::PersonalAccount).text(lang),
                format!("{base}/account/visas"),
            )),
            after: None,
        },
        Letter::UnderReview { application_id } => Content {
            subject: t(Mail::ReviewSubject),
            lead: t(Mail::ReviewBody),
            facts: Vec::new(),
            link: Some(application(application_id)),
            after: None,
        },
        Letter::Refused { application_id } => Content {
            subject: t(Mail::RefusedSubject),
            lead: t(Mail::RefusedBody),
            facts: Vec::new(),
            link: Some(application(application_id)),
            after: None,
        },
        Letter::VisaRevoked {
            application_id,
            visa_number,
            reason,
        } => Content {
            subject: t(Mail::RevokedSubject),
            lead: t(Mail::RevokedBody),
            facts: vec![
                (label(lang, Field::VisaNumber), visa_number.clone()),
                (d(Duty::Reason), reason.clone()),
            ],
            link: Some(application(application_id)),
            after: None,
        },
    };
    let greeting = greeting(lang, name);
    Composed {
        subject: content.subject.to_owned(),
        text: text(&content, &greeting, lang),
        html: page(&content, &greeting, lang),
    }
}

/// "Hello, Anna Eriksson!" in the language's own way (Kazakh puts no comma after «Құрметті»).
fn greeting(lang: Lang, name: &str) -> String {
    let word = Msg::from(Mail::Greeting).text(lang);
    let name = name.trim();
    match (lang, name.is_empty()) {
        (_, true) => format!("{word}!"),
        (Lang::Kk, false) => format!("{word} {name}!"),
        (_, false) => format!("{word}, {name}!"),
    }
}

fn text(content: &Content, greeting: &str, lang: Lang) -> String {
    let mut out = format!("{greeting}\n\n{}\n", content.lead);
    if !content.facts.is_empty() {
        out.push('\n');
        for (name, value) in &content.facts {
            out.push_str(&format!("{name}: {value}\n"));
        }
    }
    if let Some((words, url)) = &content.link {
        out.push_str(&format!("\n{words}\n{url}\n"));
    }
    if let Some(after) = content.after {
        out.push_str(&format!("\n{after}\n"));
    }
    out.push_str(&format!(
        "\n-- \n{}\n{}\n",
        Msg::from(Mail::Signature).text(lang),
        Msg::from(Mail::Automatic).text(lang)
    ));
    out
}

fn page(content: &Content, greeting: &str, lang: Lang) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                title { (content.subject) }
            }
            body {
                p { (greeting) }
                p { (content.lead) }
                @if !content.facts.is_empty() {
                    table {
                        @for (name, value) in &content.facts {
                            tr { th scope="row" align="left" { (name) } td { (value) } }
                        }
                    }
                }
                @if let Some((words, url)) = &content.link {
                    p { a href=(url) { (words) } }
                    p { (url) }
                }
                @if let Some(after) = content.after {
                    p { (after) }
                }
                hr;
                p { (Msg::from(Mail::Signature).text(lang)) br; (Msg::from(Mail::Automatic).text(lang)) }
            }
        }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmation_mail_carries_its_link_in_both_parts_and_loads_nothing() {
        let letter = Letter::VerifyAddress {
            token: "ab12".to_owned(),
        };
        let mail = compose(&letter, Lang::Ru, "Анна", "https://evisa.example/");
        assert_eq!(mail.subject, "Подтвердите адрес электронной почты");
        assert!(
            mail.text.starts_with("Здравствуйте, Анна!"),
            "{}",
            mail.text
        );
        let link = "https://evisa.example/account/confirm/ab12";
        assert!(mail.text.contains(link), "{}", mail.text);
        assert!(
            mail.html.contains(&format!("href=\"{link}\"")),
            "{}",
            mail.html
        );
        assert!(
            !mail.html.contains("<img") && !mail.html.contains("src="),
            "{}",
            mail.html
        );
    }

    #[test]
    fn every_letter_is_worded_in_all_three_languages_with_its_link_in_both_parts() {
        let id = "0123456789abcdef0123456789abcdef".to_owned();
        let letters = [
            Letter::VerifyAddress {
                token: "t1".to_owned(),
            },
            Letter::SignupAttempt,
            Letter::PasswordReset {
                token: "t2".to_owned(),
            },
            Letter::PasswordChanged,
            Letter::PaymentConfirmed {
                application_id: id.clone(),
                amount_minor: 8050,
                currency: "USD".to_owned(),
                receipt_number: None,
            },
            Letter::VisaIssued {
                application_id: id.clone(),
                visa_number: "KZ0000001".to_owned(),
            },
            Letter::UnderReview {
                application_id: id.clone(),
            },
            Letter::Refused {
                application_id: id.clone(),
            },
            Letter::VisaRevoked {
                application_id: id,
                visa_number: "KZ0000001".to_owned(),
                reason: "r".to_owned(),
            },
        ];
        for letter in &letters {
            let mut subjects = Vec::new();
            for lang in Lang::ALL {
                let mail = compose(letter, lang, "A", "https://e.kz");
                let url = mail
                    .text
                    .split_whitespace()
                    .find(|w| w.starts_with("https://e.kz/"))
                    .unwrap_or_else(|| panic!("{letter:?} in {lang:?} has no link"));
                assert!(
                    mail.html.contains(&format!("href=\"{url}\"")),
                    "{letter:?} {lang:?}"
                );
                assert!(mail.html.contains(&format!("lang=\"{}\"", lang.code())));
                assert!(!mail.subject.is_empty());
                subjects.push(mail.subject);
            }
            subjects.dedup();
            assert_eq!(subjects.len(), 3, "{letter:?}: one subject per language");
        }
        let paid = compose(&letters[4], Lang::En, "A", "https://e.kz");
        assert!(paid.text.contains("Amount: 80.50 USD"), "{}", paid.text);
        let refused = compose(&letters[7], Lang::Kk, "A", "https://e.kz");
        assert!(
            !refused.text.contains("Себебі"),
            "no reason: {}",
            refused.text
        );
    }

    #[test]
    fn an_issued_visa_mail_names_the_visa_and_links_the_personal_account_not_the_pdf() {
        let letter = Letter::VisaIssued {
            application_id: "a1".to_owned(),
            visa_number: "KZ0000007".to_owned(),
        };
        let mail = compose(&letter, Lang::Kk, "Anna <b>", "http://127.0.0.1:8080");
        assert_eq!(mail.subject, "Электрондық виза берілді");
        assert!(
            mail.text.contains("Виза нөмірі: KZ0000007"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("http://127.0.0.1:8080/account/visas"));
        assert!(!mail.text.contains(".pdf") && !mail.html.contains(".pdf"));
        // The name is the holder's own text: escaped in HTML.
        assert!(mail.html.contains("Anna &lt;b&gt;"), "{}", mail.html);
    }
}
