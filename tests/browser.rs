//! A small browser over HTTP: a cookie jar per origin, forms posted with the CSRF token the page
//! carries, and redirects returned to the caller (who may follow them), so a test sees every hop
//! from the portal to the gateway and back.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use reqwest::blocking::Client;
use reqwest::header;

/// One browser profile: its own cookies.
#[derive(Debug)]
pub struct Browser {
    client: Client,
    /// Cookies by origin (`http://host:port`), then by name.
    jar: BTreeMap<String, BTreeMap<String, String>>,
}

/// A page (or a redirect) as the browser got it.
#[derive(Debug, Clone)]
pub struct Page {
    /// The address asked for.
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// Where a redirect points, made absolute.
    pub location: Option<String>,
    /// The content type.
    pub content_type: String,
    /// The content disposition (downloads).
    pub disposition: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

impl Browser {
    /// A fresh browser with no cookies. It asks for English pages, like the tests' assertions.
    pub fn new() -> Result<Self> {
        let mut headers = header::HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            header::HeaderValue::from_static("en-GB,en;q=0.8"),
        );
        // Loopback only: a proxy from the environment must not stand between the test and the
        // servers.
        let client = Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .default_headers(headers)
            .build()
            .context("making the HTTP client")?;
        Ok(Self {
            client,
            jar: BTreeMap::new(),
        })
    }

    /// GET without following a redirect.
    pub fn get(&mut self, url: &str) -> Result<Page> {
        let request = self.client.get(url);
        self.send(url, request)
    }

    /// POST a form without following a redirect.
    pub fn post(&mut self, url: &str, fields: &[(&str, &str)]) -> Result<Page> {
        let body = urlencode(fields);
        let request = self
            .client
            .post(url)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body);
        self.send(url, request)
    }

    /// GET, following redirects (303/302 become GETs, as in a browser).
    pub fn open(&mut self, url: &str) -> Result<Page> {
        let page = self.get(url)?;
        self.follow(page)
    }

    /// Follows a page's redirects, if any, to the final page.
    pub fn follow(&mut self, mut page: Page) -> Result<Page> {
        for _ in 0..10 {
            match page.location.clone() {
                Some(next) if page.is_redirect() => page = self.get(&next)?,
                _ => return Ok(page),
            }
        }
        bail!("more than 10 redirects from {}", page.url)
    }

    /// Opens `url` and submits its form whose action ends with `action`, with the page's hidden
    /// `csrf` value and `fields`, following the redirects after it.
    pub fn submit(&mut self, url: &str, action: &str, fields: &[(&str, &str)]) -> Result<Page> {
        let page = self.open(url)?;
        let csrf = page.hidden("csrf")?;
        let target = page.form_action(action)?;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let answer = self.post(&target, &all)?;
        self.follow(answer)
    }

    fn send(&mut self, url: &str, request: reqwest::blocking::RequestBuilder) -> Result<Page> {
        let origin = origin(url)?;
        let request = match self.cookie_header(&origin) {
            Some(cookies) => request.header(header::COOKIE, cookies),
            None => request,
        };
        let response = request
            .send()
            .with_context(|| format!("requesting {url}"))?;
        for value in response.headers().get_all(header::SET_COOKIE) {
            if let Ok(text) = value.to_str() {
                self.store_cookie(&origin, text);
            }
        }
        let text = |name: header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let location = text(header::LOCATION).map(|l| absolute(&origin, &l));
        let content_type = text(header::CONTENT_TYPE).unwrap_or_default();
        let disposition = text(header::CONTENT_DISPOSITION);
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .with_context(|| format!("reading {url}"))?
            .to_vec();
        Ok(Page {
            url: url.to_owned(),
            status,
            location,
            content_type,
            disposition,
            body,
        })
    }

    fn cookie_header(&self, origin: &str) -> Option<String> {
        let cookies = self.jar.get(origin)?;
        if cookies.is_empty() {
            return None;
        }
        Some(
            cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; "),
        )
    }

    fn store_cookie(&mut self, origin: &str, set_cookie: &str) {
        let mut parts = set_cookie.split(';');
        let Some((name, value)) = parts.next().and_then(|p| p.trim().split_once('=')) else {
            return;
        };
        let expired = parts.any(|p| p.trim().eq_ignore_ascii_case("max-age=0"));
        let cookies = self.jar.entry(origin.to_owned()).or_default();
        if expired || value.is_empty() {
            cookies.remove(name);
        } else {
            cookies.insert(name.to_owned(), value.to_owned());
        }
    }
}

impl Page {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Whether this is a redirect.
    pub fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status)
    }

    /// Whether the page shows `needle` (HTML-escaped the way the pages escape text).
    pub fn shows(&self, needle: &str) -> bool {
        let text = self.text();
        text.contains(needle) || text.contains(&escape(needle))
    }

    /// Fails unless the page is a 200 showing `needle`.
    pub fn expect_shows(&self, needle: &str) -> Result<&Self> {
        if self.status != 200 || !self.shows(needle) {
            bail!(
                "{} (HTTP {}) does not show {needle:?}:\n{}",
                self.url,
                self.status,
                excerpt(&self.text())
            );
        }
        Ok(self)
    }

    /// The value of the hidden input (or any input) named `name`.
    pub fn hidden(&self, name: &str) -> Result<String> {
        let text = self.text();
        let marker = format!("name=\"{name}\" value=\"");
        let start = text
            .find(&marker)
            .map(|i| i + marker.len())
            .with_context(|| format!("{} has no field {name}:\n{}", self.url, excerpt(&text)))?;
        let end = text[start..]
            .find('"')
            .with_context(|| format!("{}: unterminated value of {name}", self.url))?;
        Ok(unescape(&text[start..start + end]))
    }

    /// The absolute address of the page's form whose `action` ends with `suffix`.
    pub fn form_action(&self, suffix: &str) -> Result<String> {
        let text = self.text();
        let origin = origin(&self.url)?;
        text.match_indices("action=\"")
            .map(|(i, m)| &text[i + m.len()..])
            .filter_map(|rest| rest.find('"').map(|end| unescape(&rest[..end])))
            .find(|action| action.ends_with(suffix))
            .map(|action| absolute(&origin, &action))
            .with_context(|| {
                format!(
                    "{} has no form posting to …{suffix}:\n{}",
                    self.url,
                    excerpt(&text)
                )
            })
    }

    /// Every link (`href`) of the page whose text is `label`, made absolute.
    pub fn link(&self, label: &str) -> Result<String> {
        let text = self.text();
        let origin = origin(&self.url)?;
        let label = escape(label);
        text.match_indices("href=\"")
            .map(|(i, m)| &text[i + m.len()..])
            .filter_map(|rest| {
                let end = rest.find('"')?;
                let close = rest[end..].find('>')? + end + 1;
                let after = &rest[close..];
                after
                    .starts_with(label.as_str())
                    .then(|| absolute(&origin, &unescape(&rest[..end])))
            })
            .next()
            .with_context(|| format!("{} has no link {label:?}:\n{}", self.url, excerpt(&text)))
    }
}

/// `http://host:port` of an absolute URL.
pub fn origin(url: &str) -> Result<String> {
    let after_scheme = url
        .find("://")
        .map(|i| i + 3)
        .with_context(|| format!("{url} is not an absolute address"))?;
    let end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    Ok(url[..end].to_owned())
}

fn absolute(origin: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        location.to_owned()
    } else {
        format!("{origin}{location}")
    }
}

fn urlencode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                char::from(b).to_string()
            }
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The visible part of a page for an error message: tags dropped, blank runs squeezed, cut short.
pub fn excerpt(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let squeezed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    squeezed.chars().take(1500).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_of_an_address_is_its_scheme_host_and_port() {
        assert_eq!(
            origin("http://127.0.0.1:8081/pay/abc?x=1").ok().as_deref(),
            Some("http://127.0.0.1:8081")
        );
        assert_eq!(
            origin("http://127.0.0.1:8080").ok().as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert!(origin("/services").is_err());
    }

    #[test]
    fn a_cookie_is_kept_per_origin_and_forgotten_when_it_expires() -> Result<()> {
        let mut browser = Browser::new()?;
        let portal = "http://127.0.0.1:8080";
        browser.store_cookie(
            portal,
            "__Host-session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200; Secure",
        );
        browser.store_cookie(portal, "lang=en; Path=/");
        assert_eq!(
            browser.cookie_header(portal).as_deref(),
            Some("__Host-session=abc; lang=en")
        );
        assert_eq!(browser.cookie_header("http://127.0.0.1:8081"), None);
        browser.store_cookie(portal, "__Host-session=; Path=/; Max-Age=0; Secure");
        assert_eq!(browser.cookie_header(portal).as_deref(), Some("lang=en"));
        Ok(())
    }

    #[test]
    fn form_values_are_percent_encoded_like_a_browser_does() {
        assert_eq!(
            urlencode(&[("phone", "+7 701 555 0101"), ("name", "Эр&")]),
            "phone=%2B7+701+555+0101&name=%D0%AD%D1%80%26"
        );
    }

    #[test]
    fn hidden_values_links_and_form_actions_are_found_in_a_page() -> Result<()> {
        let page = Page {
            url: "http://127.0.0.1:8080/applications/ab12/result".to_owned(),
            status: 200,
            location: None,
            content_type: "text/html".to_owned(),
            disposition: None,
            body: br#"<form method="post" action="/applications/ab12/status"><input type="hidden" name="csrf" value="c0ffee"></form><a class="button" href="/applications/ab12/visa.pdf">Copy the visa in PDF format</a>"#.to_vec(),
        };
        assert_eq!(page.hidden("csrf")?, "c0ffee");
        assert_eq!(
            page.form_action("/status")?,
            "http://127.0.0.1:8080/applications/ab12/status"
        );
        assert_eq!(
            page.link("Copy the visa in PDF format")?,
            "http://127.0.0.1:8080/applications/ab12/visa.pdf"
        );
        assert!(page.link("Pay again").is_err());
        Ok(())
    }
}
