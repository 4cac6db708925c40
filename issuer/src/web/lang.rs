//! How a request picks its language: `?lang=`, then the cookie, then `Accept-Language`.

use axum::http::HeaderMap;

use crate::i18n::Lang;

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "lang";

/// The language of a request: `?lang=`, then the cookie, then `Accept-Language`, then English.
pub fn of_request(query: Option<&str>, headers: &HeaderMap) -> Lang {
    if let Some(lang) = query.and_then(query_lang) {
        return lang;
    }
    if let Some(lang) = super::cookie::cookie(headers, LANG_COOKIE).and_then(Lang::parse) {
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
        .find_map(|code| Lang::parse(&code))
        .unwrap_or(Lang::En)
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
        assert_eq!(of_request(Some("a=1&lang=en"), &headers), Lang::En);
        assert_eq!(of_request(Some("lang=xx"), &headers), Lang::Ru);
        headers.remove("cookie");
        assert_eq!(of_request(None, &headers), Lang::Kk);
        assert_eq!(of_request(None, &HeaderMap::new()), Lang::En);
    }
}
