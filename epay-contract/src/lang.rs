//! The language the payer reads the gateway's pages in: Kazakh, Russian or English, named by the
//! codes the portal uses (`kk`, `ru`, `en`), in the create request's `lang` and in `?lang=`.

use serde::{Deserialize, Serialize};

use crate::UnknownName;

/// A language of the payment pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Қазақ тілі.
    Kk,
    /// Русский язык.
    Ru,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order of a language switch.
    pub const ALL: [Self; 3] = [Self::Kk, Self::Ru, Self::En];

    /// The code: `kk`, `ru` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Kk => "kk",
            Self::Ru => "ru",
            Self::En => "en",
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|lang| lang.code() == text)
            .ok_or_else(|| UnknownName::new("language", text))
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_reads_back_from_its_code_and_other_codes_are_refused() {
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse(), Ok(lang));
            assert_eq!(
                serde_json::to_string(&lang).expect("JSON"),
                format!("\"{lang}\"")
            );
        }
        for text in ["KK", "kz", "de", "", "ru "] {
            assert!(text.parse::<Lang>().is_err(), "{text:?}");
        }
    }
}
