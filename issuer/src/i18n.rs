//! The portal's three languages (Kazakh, Russian, English) and the words of the domain's values
//! in each. Pure data: how a request picks its language is the web layer's business.
//!
//! Every text a page shows is an id of the message catalogue ([`msg`]), declared once with its
//! three texts; the names of the visa's printed fields come from `shared::labels` ([`label`]), the
//! words the printout and the kiosk use.

pub mod msg;
mod problem;
pub mod when;

pub use msg::Msg;
use shared::labels::{Field, Language};

/// A language of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Қазақ тілі.
    Kk,
    /// Русский язык.
    Ru,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order of the switch on each page.
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// Parses the `?lang=` value or the cookie: `kk`, `ru` or `en`.
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "kk" => Some(Self::Kk),
            "ru" => Some(Self::Ru),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The code used in links and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Self::Kk => "kk",
            Self::Ru => "ru",
            Self::En => "en",
        }
    }

    /// The label of the switch, as on the official portal.
    pub fn label(self) -> &'static str {
        match self {
            Self::Kk => "ҚАЗ",
            Self::Ru => "РУС",
            Self::En => "ENG",
        }
    }
}

impl From<Lang> for Language {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Kk => Language::Kk,
            Lang::Ru => Language::Ru,
            Lang::En => Language::En,
        }
    }
}

/// The name of one of the visa's printed fields, in the printout's words.
pub fn label(lang: Lang, field: Field) -> &'static str {
    field.label().get(lang.into())
}
