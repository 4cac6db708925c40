//! The API's OpenAPI 3.1 document, derived by `utoipa` from the handlers' `#[utoipa::path]`
//! annotations and the wire types' schemas, and served at `/api/v1/openapi.json`.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The document's description of the whole API.
const DESCRIPTION: &str = "Register, log in, and create, confirm and read e-visa applications \
(the state duty is paid in the portal), alone or as a group of up to 10 persons paying once. \
Send JSON bodies as `application/json`, at most 32 KiB. \
Errors are JSON with a code, a message and, for invalid input, a reason per field; only a body \
over the limit may instead get a short `text/plain` answer from the server's outer layer. \
`POST /check` (no token) takes a photo, scan or the portal's PDF of an e-visa printout, at most \
10 MB, and answers what a border kiosk would say of it today.";

#[derive(OpenApi)]
#[openapi(
    info(title = "Kazakhstan e-visa issuer API", version = "1", description = DESCRIPTION),
    servers((url = "/api/v1")),
    paths(
        super::register,
        super::login,
        super::logout,
        super::list,
        super::create,
        super::read,
        super::confirm,
        super::check::check
    ),
    modifiers(&BearerScheme)
)]
struct ApiDoc;

/// Declares the `bearer` security scheme the operations name.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The OpenAPI document of this API.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    // The group applications' operations are declared beside their handlers (`api/group.rs`).
    doc.merge(super::group::GroupDoc::openapi());
    doc
}

/// Serves the document, made once.
pub async fn serve() -> Response {
    static JSON: LazyLock<String> = LazyLock::new(|| {
        openapi_document()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\":\"internal\",\"message\":\"{e}\"}}"))
    });
    ([(header::CONTENT_TYPE, "application/json")], JSON.as_str()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::Password;
    use crate::domain::application::ApplicationForm;
    use crate::web::api::wire::{ApplicationRequest, SignupRequest, country_codes};
    use serde_json::Value;
    use shared::visa::{
        Category, InvitationNumber, MAX_NAME_CHARS, MAX_STAY_DAYS, MrzName, PassportNumber, Sex,
    };

    fn document() -> Value {
        serde_json::to_value(openapi_document()).expect("the document is JSON")
    }

    fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
        &doc["components"]["schemas"][name]
    }

    fn property<'a>(doc: &'a Value, name: &str, field: &str) -> &'a Value {
        &schema(doc, name)["properties"][field]
    }

    fn max_length(value: &Value) -> usize {
        value["maxLength"]
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .expect("a maxLength")
    }

    /// Checks that `parse` takes text of `max` characters and refuses one more.
    fn check_bound(what: &str, max: usize, parse: impl Fn(&str) -> bool) {
        assert!(
            parse(&"A".repeat(max)),
            "{what}: {max} characters are taken"
        );
        assert!(
            !parse(&"A".repeat(max + 1)),
            "{what}: {} characters are refused",
            max + 1
        );
    }

    #[test]
    fn the_documented_lengths_are_the_ones_the_parsers_enforce() {
        let doc = document();
        let request = "ApplicationRequest";
        for field in [
            "surname",
            "given_names",
            "surname_native",
            "given_names_native",
        ] {
            assert_eq!(
                max_length(property(&doc, request, field)),
                MAX_NAME_CHARS,
                "{field}"
            );
        }
        check_bound("surname", MAX_NAME_CHARS, |t| MrzName::parse(t).is_ok());
        let number = max_length(property(&doc, request, "invitation_number"));
        check_bound("invitation_number", number, |t| {
            InvitationNumber::parse(t).is_ok()
        });
        let passport = max_length(property(&doc, request, "passport_number"));
        check_bound("passport_number", passport, |t| {
            PassportNumber::parse(t).is_ok()
        });
        assert_eq!(
            max_length(schema(&doc, "FreeText")),
            crate::domain::invitation::MAX_TEXT_CHARS
        );
        let password = property(&doc, "SignupRequest", "password");
        let min = password["minLength"].as_u64().expect("a minLength");
        let min = usize::try_from(min).expect("small");
        // Passwords must also be hard to guess: lengths are checked on a strong one.
        let strong = |n: usize| {
            "Vq7#kZ2!mX9$pL4&"
                .chars()
                .cycle()
                .take(n)
                .collect::<String>()
        };
        assert!(Password::parse(&strong(min)).is_ok());
        assert!(Password::parse(&strong(min - 1)).is_err());
        let max = max_length(password);
        assert!(Password::parse(&strong(max)).is_ok());
        assert!(Password::parse(&strong(max + 1)).is_err());
        let stay = &property(&doc, "Visit", "stay_days")["maximum"];
        assert_eq!(stay.as_u64(), Some(u64::from(MAX_STAY_DAYS)));
    }

    #[test]
    fn every_enumerated_value_is_one_the_parsers_take() {
        let doc = document();
        let values = |name: &str| -> Vec<String> {
            schema(&doc, name)["enum"]
                .as_array()
                .expect("an enum")
                .iter()
                .map(|v| v.as_str().expect("a string").to_owned())
                .collect()
        };
        let categories = values("CategoryName");
        assert_eq!(categories.len(), Category::ALL.len());
        for category in categories {
            assert!(Category::parse(&category).is_ok(), "{category}");
        }
        for sex in values("SexCode") {
            assert!(Sex::parse(&sex).is_ok(), "{sex}");
        }
        let codes = values("CountryCode");
        assert_eq!(codes, country_codes());
        assert!(codes.iter().any(|c| c == "KAZ") && codes.iter().any(|c| c == "DEU"));
        assert!(codes.len() > 240, "{} codes", codes.len());
        for answer in values("WithChildren") {
            let form = ApplicationForm {
                with_children: answer.clone(),
                ..ApplicationForm::default()
            };
            let problems = form.parse_fields().expect_err("the rest is empty");
            assert!(!problems.contains_key("with_children"), "{answer}");
        }
    }

    #[test]
    fn the_documented_examples_are_accepted() {
        let doc = document();
        let example = &schema(&doc, "SignupRequest")["example"];
        let signup: SignupRequest =
            serde_json::from_value(example.clone()).expect("the example is a sign-up");
        assert!(signup.parse().is_ok(), "{example}");
        let example = &schema(&doc, "ApplicationRequest")["example"];
        let request: ApplicationRequest =
            serde_json::from_value(example.clone()).expect("the example is an application");
        let applicant = ApplicationForm::from(request)
            .parse_fields()
            .expect("the example's fields parse");
        assert_eq!(
            applicant.invitation_number.as_str(),
            crate::service::demo::DEMO_INVITATION
        );
    }
}
