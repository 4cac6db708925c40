//! What a screen-reader or keyboard user relies on in the portal's HTML, through the router: the
//! skip link and named landmarks, a refused Step 1's error summary (focused on load, linking to
//! each field in the form's order) with every error tied to its field — the dropdowns and the
//! children question included — and the error page's declared languages. The browser check
//! (`browser-check/a11y.mjs`) walks the same pages with the keyboard and axe-core.

use axum::http::StatusCode;

use crate::portal::portal;
use crate::support::Client;

#[tokio::test]
async fn every_page_opens_with_a_skip_link_to_the_main_content_and_names_its_navigations() {
    let (app, _) = portal();
    let mut visitor = Client::new(&app);
    for (path, lang, menu) in [
        ("/services", "en", "Main menu"),
        ("/login?lang=ru", "ru", "Главное меню"),
        ("/signup?lang=kk", "kk", "Негізгі мәзір"),
    ] {
        let page = visitor.get(path).await;
        let body = &page.body;
        let skip = body.find("class=\"skip-link\"").expect("a skip link");
        assert!(
            skip < body.find("<header").expect("a banner"),
            "{path}: the skip link is not first"
        );
        assert!(
            body.contains("<a class=\"skip-link\" href=\"#main\">"),
            "{path}"
        );
        assert!(
            body.contains("<main class=\"wrap\" id=\"main\" tabindex=\"-1\">"),
            "{path}"
        );
        assert!(body.contains(&format!("<html lang=\"{lang}\">")), "{path}");
        assert!(body.contains(&format!("aria-label=\"{menu}\"")), "{path}");
        // The log-in and sign-up links sit in a named navigation, not loose in the page.
        let account = body
            .find("<nav class=\"who\"")
            .expect("the account navigation");
        assert!(
            body[account..].find("href=\"/login\"") < body[account..].find("</nav>"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_refused_step_one_focuses_a_summary_linking_each_error_to_its_field() {
    let (app, _) = portal();
    let mut anna = Client::new(&app);
    anna.sign_up("anna@example.com").await;
    let refused = anna
        .apply(&[
            ("category", ""),
            ("sex", ""),
            ("surname", ""),
            ("with_children", ""),
        ])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = &refused.body;

    let summary = body
        .find("class=\"notice error error-summary\"")
        .expect("an error summary");
    let opening = &body[summary..summary + body[summary..].find('>').expect("tag end")];
    assert!(
        opening.contains("tabindex=\"-1\"") && opening.contains("autofocus"),
        "{opening}"
    );
    assert!(body.contains("There is a problem with the form"));
    // The summary's links, in the form's order, each to its field.
    let links: Vec<&str> = body[summary..]
        .split("<li><a href=\"#")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').expect("quote")])
        .collect();
    assert_eq!(
        links,
        ["f-category", "f-surname", "f-sex", "f-with_children"]
    );
    for id in links {
        assert!(body.contains(&format!("id=\"{id}\"")), "no field {id}");
    }

    // Each refused control says it is invalid and points at its message.
    for (control, error) in [
        ("<select id=\"f-category\"", "e-category"),
        ("<select id=\"f-sex\"", "e-sex"),
        ("<input id=\"f-surname\"", "e-surname"),
        ("<input id=\"f-with_children\"", "e-with_children"),
    ] {
        let at = body
            .find(control)
            .unwrap_or_else(|| panic!("{control} missing"));
        let tag = &body[at..at + body[at..].find('>').expect("tag end")];
        assert!(tag.contains("aria-invalid=\"true\""), "{tag}");
        assert!(
            tag.contains(&format!("aria-describedby=\"{error}\"")),
            "{tag}"
        );
        assert!(
            body.contains(&format!("id=\"{error}\"")),
            "no message {error}"
        );
    }
    // Both answers of the children question point at its message.
    assert_eq!(
        body.matches("aria-describedby=\"e-with_children\"").count(),
        2
    );
}

#[tokio::test]
async fn the_error_page_declares_the_language_it_is_written_in() {
    let (app, _) = portal();
    let mut visitor = Client::new(&app);
    for (lang, text) in [
        ("kk", "Бет табылмады"),
        ("ru", "Страница не найдена"),
        ("en", "Page not found"),
    ] {
        let missing = visitor.get(&format!("/no-such-page?lang={lang}")).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(
            missing.body.contains(&format!("<html lang=\"{lang}\">")),
            "{lang}"
        );
        assert!(missing.body.contains(text), "{lang}: {}", missing.body);
    }
}
