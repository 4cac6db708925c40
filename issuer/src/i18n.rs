//! The portal's three languages (Kazakh, Russian, English) and how a request picks one.
//!
//! Every text on a page is written as `lang.t(kk, ru, en)` next to where it is shown, so no page can
//! forget a translation: the function needs all three.

use axum::http::HeaderMap;

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

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "lang";

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

    /// Picks one of three translations.
    pub fn t(self, kk: &'static str, ru: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::Kk => kk,
            Self::Ru => ru,
            Self::En => en,
        }
    }

    /// The language of a request: `?lang=`, then the cookie, then `Accept-Language`, then English.
    pub fn of_request(query: Option<&str>, headers: &HeaderMap) -> Self {
        if let Some(lang) = query.and_then(query_lang) {
            return lang;
        }
        if let Some(lang) = crate::web::session::cookie(headers, LANG_COOKIE).and_then(Self::parse)
        {
            return lang;
        }
        let accept = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        accept
            .split(',')
            .filter_map(|part| part.split(';').next())
            .map(|tag| tag.trim().get(..2).unwrap_or("").to_ascii_lowercase())
            .find_map(|code| Self::parse(&code))
            .unwrap_or(Self::En)
    }
}

/// The `lang` parameter of a query string, if it names a language.
pub fn query_lang(query: &str) -> Option<Lang> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "lang")
        .and_then(|(_, value)| Lang::parse(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_wins_over_the_cookie_and_the_browser_language() {
        let mut headers = HeaderMap::new();
        headers.insert("cookie", "lang=ru".parse().expect("header"));
        headers.insert("accept-language", "kk-KZ,kk;q=0.9".parse().expect("header"));
        assert_eq!(Lang::of_request(Some("a=1&lang=en"), &headers), Lang::En);
        assert_eq!(Lang::of_request(Some("lang=xx"), &headers), Lang::Ru);
        headers.remove("cookie");
        assert_eq!(Lang::of_request(None, &headers), Lang::Kk);
        assert_eq!(Lang::of_request(None, &HeaderMap::new()), Lang::En);
    }
}
