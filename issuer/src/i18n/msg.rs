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

mod account;
mod apply;
mod check;
mod counted;
mod duty;
mod frame;
mod invite;
mod mail;
mod recovery;

pub use account::Account;
pub use apply::Apply;
pub use check::Check;
pub use counted::Counted;
pub use duty::Duty;
pub use frame::Frame;
pub use invite::Invite;
pub use mail::Mail;
pub use recovery::Recovery;

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
    /// The mails to account holders.
    Mail(Mail),
    /// Address confirmation and password reset pages.
    Recovery(Recovery),
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
        let mail = Mail::ALL.iter().copied().map(Msg::from);
        let recovery = Recovery::ALL.iter().copied().map(Msg::from);
        frame
            .chain(account)
            .chain(apply)
            .chain(duty)
            .chain(invite)
            .chain(check)
            .chain(mail)
            .chain(recovery)
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
            Msg::Mail(msg) => msg.words(),
            Msg::Recovery(msg) => msg.words(),
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
    const SAME_IN_KAZAKH_AND_RUSSIAN: [Msg; 3] = [
        Msg::Duty(Duty::Currency),
        Msg::Apply(Apply::Receipt),
        Msg::Invite(Invite::TwelveDigits),
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
