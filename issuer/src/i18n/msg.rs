//! The portal's one message catalogue: every text a page shows, in Kazakh, Russian and English.
//!
//! Each message is declared once, in the group of the pages that show it, with exactly three
//! texts (kk, ru, en); the `catalogue!` macro accepts nothing else, so a message missing a language
//! does not compile. A word several page groups use lives in [`Frame`]. Texts that carry a number
//! are [`Counted`] and take their plural forms from one helper, `shared::labels::Noun`. The names
//! of the visa's printed fields are not here: they come from `shared::labels`, so paper and screen
//! say the same words.

use super::Lang;

/// Declares one group of messages: an enum of ids, `ALL`, and the three texts of each id.
macro_rules! catalogue {
    (
        $(#[doc = $group_doc:literal])*
        $group:ident {
            $($(#[doc = $doc:literal])* $id:ident => [$kk:literal, $ru:literal, $en:literal $(,)?],)*
        }
    ) => {
        $(#[doc = $group_doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $group {
            $($(#[doc = $doc])* $id,)*
        }

        impl $group {
            /// Every message of the group, for the catalogue's own checks.
            pub const ALL: &[$group] = &[$($group::$id,)*];

            /// The message in Kazakh, Russian and English.
            pub const fn words(self) -> [&'static str; 3] {
                match self {
                    $($group::$id => [$kk, $ru, $en],)*
                }
            }

            /// The message in one language.
            pub const fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                super::pick(self.words(), lang)
            }
        }

        impl From<$group> for super::Msg {
            fn from(msg: $group) -> Self {
                super::Msg::$group(msg)
            }
        }
    };
}

mod a11y;
mod account;
mod apply;
mod check;
mod counted;
mod duty;
mod frame;
mod group;
mod invite;
mod mail;
mod office;
mod office_access;
mod office_audit;
mod office_inviters;
mod office_ops;
mod office_screening;
mod printout_check;
mod recovery;
mod screening;
mod screens;
mod script;
mod verification;

pub use a11y::A11y;
pub use account::Account;
pub use apply::Apply;
pub use check::Check;
pub use counted::Counted;
pub use duty::Duty;
pub use frame::Frame;
pub use group::Group;
pub use invite::Invite;
pub use mail::Mail;
pub use office::Office;
pub use office_access::OfficeAccess;
pub use office_audit::OfficeAudit;
pub use office_inviters::OfficeInviters;
pub use office_ops::OfficeOps;
pub use office_screening::OfficeScreening;
pub use printout_check::PrintoutCheck;
pub use recovery::Recovery;
pub use screening::Screening;
pub use screens::Screens;
pub use script::Script;
pub use verification::Verification;

/// Any fixed message of the portal, whatever its group; pages pass a group's id
/// (`ctx.msg(Duty::ToPay)`) and it arrives here through `From`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    /// The page frame, the error page and words several page groups use.
    Frame(Frame),
    /// Sign up and log in.
    Account(Account),
    /// The services, Step 1, the confirmation and the "Visas" section.
    Apply(Apply),
    /// Step 2 (the state duty), Step 3 (the result) and the electronic check.
    Duty(Duty),
    /// The inviting party's pages.
    Invite(Invite),
    /// What is wrong with a form field.
    Check(Check),
    /// The back office's frame.
    Office(Office),
    /// The back office's inviting parties.
    OfficeInviters(OfficeInviters),
    /// The back office's screening queue and stop-list.
    OfficeScreening(OfficeScreening),
    /// An application held for review or refused, as the applicant sees it.
    Screening(Screening),
    /// An inviting party's verification state.
    Verification(Verification),
    /// Native-script names the printout cannot show.
    Script(Script),
    /// The back office's operator pages: visas, keys, kiosks, statistics.
    OfficeOps(OfficeOps),
    /// "Check your printout".
    PrintoutCheck(PrintoutCheck),
    /// The back office's log-in, set-up and officers' list.
    OfficeAccess(OfficeAccess),
    /// The audit log's pages.
    OfficeAudit(OfficeAudit),
    /// The mails to account holders.
    Mail(Mail),
    /// Address confirmation and password reset pages.
    Recovery(Recovery),
    /// Error pages, expired forms, dates and receipts on every screen.
    Screens(Screens),
    /// The skip link, landmark names, the error summary.
    A11y(A11y),
    /// The group application's pages.
    Group(Group),
}

impl Msg {
    /// Every message of every group.
    pub fn all() -> impl Iterator<Item = Msg> {
        let frame = Frame::ALL.iter().copied().map(Msg::from);
        let account = Account::ALL.iter().copied().map(Msg::from);
        let apply = Apply::ALL.iter().copied().map(Msg::from);
        let duty = Duty::ALL.iter().copied().map(Msg::from);
        let invite = Invite::ALL.iter().copied().map(Msg::from);
        let check = Check::ALL.iter().copied().map(Msg::from);
        let office = Office::ALL.iter().copied().map(Msg::from);
        let office_inviters = OfficeInviters::ALL.iter().copied().map(Msg::from);
        let office_screening = OfficeScreening::ALL.iter().copied().map(Msg::from);
        let screening = Screening::ALL.iter().copied().map(Msg::from);
        let verification = Verification::ALL.iter().copied().map(Msg::from);
        let script = Script::ALL.iter().copied().map(Msg::from);
        let office_ops = OfficeOps::ALL.iter().copied().map(Msg::from);
        let printout = PrintoutCheck::ALL.iter().copied().map(Msg::from);
        let office_access = OfficeAccess::ALL.iter().copied().map(Msg::from);
        let office_audit = OfficeAudit::ALL.iter().copied().map(Msg::from);
        let mail = Mail::ALL.iter().copied().map(Msg::from);
        let recovery = Recovery::ALL.iter().copied().map(Msg::from);
        let screens = Screens::ALL.iter().copied().map(Msg::from);
        let a11y = A11y::ALL.iter().copied().map(Msg::from);
        let group = Group::ALL.iter().copied().map(Msg::from);
        frame
            .chain(account)
            .chain(apply)
            .chain(duty)
            .chain(invite)
            .chain(check)
            .chain(office)
            .chain(office_inviters)
            .chain(office_screening)
            .chain(screening)
            .chain(verification)
            .chain(script)
            .chain(office_ops)
            .chain(printout)
            .chain(office_access)
            .chain(office_audit)
            .chain(mail)
            .chain(recovery)
            .chain(screens)
            .chain(a11y)
            .chain(group)
    }

    /// The message in Kazakh, Russian and English.
    pub const fn words(self) -> [&'static str; 3] {
        match self {
            Msg::Frame(msg) => msg.words(),
            Msg::Account(msg) => msg.words(),
            Msg::Apply(msg) => msg.words(),
            Msg::Duty(msg) => msg.words(),
            Msg::Invite(msg) => msg.words(),
            Msg::Check(msg) => msg.words(),
            Msg::Office(msg) => msg.words(),
            Msg::OfficeInviters(msg) => msg.words(),
            Msg::OfficeScreening(msg) => msg.words(),
            Msg::Screening(msg) => msg.words(),
            Msg::Verification(msg) => msg.words(),
            Msg::Script(msg) => msg.words(),
            Msg::OfficeOps(msg) => msg.words(),
            Msg::PrintoutCheck(msg) => msg.words(),
            Msg::OfficeAccess(msg) => msg.words(),
            Msg::OfficeAudit(msg) => msg.words(),
            Msg::Mail(msg) => msg.words(),
            Msg::Recovery(msg) => msg.words(),
            Msg::Screens(msg) => msg.words(),
            Msg::A11y(msg) => msg.words(),
            Msg::Group(msg) => msg.words(),
        }
    }

    /// The message in one language.
    pub const fn text(self, lang: Lang) -> &'static str {
        pick(self.words(), lang)
    }
}

/// One of the three texts, by language.
const fn pick(words: [&'static str; 3], lang: Lang) -> &'static str {
    let [kk, ru, en] = words;
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_cyrillic(c: char) -> bool {
        ('\u{0400}'..='\u{04FF}').contains(&c)
    }

    /// Messages whose Kazakh and Russian are the same word.
    const SAME_IN_KAZAKH_AND_RUSSIAN: [Msg; 6] = [
        Msg::Duty(Duty::Currency),
        Msg::Apply(Apply::Receipt),
        Msg::Invite(Invite::TwelveDigits),
        Msg::Office(Office::Statistics),
        Msg::Office(Office::RoleAuditor),
        Msg::OfficeOps(OfficeOps::Kiosk),
    ];

    #[test]
    fn every_message_has_three_texts_with_kazakh_and_russian_in_cyrillic_and_english_in_latin() {
        let mut wrong = Vec::new();
        for msg in Msg::all() {
            let [kk, ru, en] = msg.words();
            if kk.trim().is_empty() || ru.trim().is_empty() || en.trim().is_empty() {
                wrong.push(format!("{msg:?}: an empty text"));
            }
            if !kk.chars().any(is_cyrillic) || !ru.chars().any(is_cyrillic) {
                wrong.push(format!("{msg:?}: Kazakh or Russian is not in Cyrillic"));
            }
            if en.chars().any(is_cyrillic) || en == kk || en == ru {
                wrong.push(format!("{msg:?}: the English text is not English"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn kazakh_texts_are_not_copies_of_the_russian_except_words_the_languages_share() {
        let copies: Vec<Msg> = Msg::all()
            .filter(|msg| !SAME_IN_KAZAKH_AND_RUSSIAN.contains(msg))
            .filter(|msg| msg.text(Lang::Kk) == msg.text(Lang::Ru))
            .collect();
        assert!(copies.is_empty(), "{copies:?}");
    }

    #[test]
    fn no_two_ids_carry_the_same_three_texts() {
        let mut seen = std::collections::HashMap::new();
        let mut twice = Vec::new();
        for msg in Msg::all() {
            if let Some(first) = seen.insert(msg.words(), msg) {
                twice.push((first, msg));
            }
        }
        assert!(twice.is_empty(), "{twice:?}");
    }

    #[test]
    fn a_page_gets_the_message_in_its_language() {
        let to_pay = Msg::from(Duty::ToPay);
        assert_eq!(to_pay.text(Lang::Kk), "Төлеуге");
        assert_eq!(to_pay.text(Lang::Ru), "Оплатить");
        assert_eq!(to_pay.text(Lang::En), "To pay");
    }

    #[test]
    fn step_two_is_named_as_in_the_official_instruction() {
        assert_eq!(
            Frame::PaymentOfStateDuty.words(),
            [
                "Мемлекеттік бажды төлеу",
                "Оплата государственной пошлины",
                "Payment of state duty"
            ]
        );
    }
}
