//! The JSON API under `/api/v1`: the same steps as the pages (register, log in, create, confirm
//! and read applications) for scripts and other front ends, with an OpenAPI document. Clients
//! authenticate with a bearer token from `POST /api/v1/sessions`; no cookies, so no CSRF.

use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::domain::account::{SignupForm, User};
use crate::domain::application::{Application, ApplicationForm, ApplicationStatus};
use crate::domain::problem::{Problem, Problems};
use crate::i18n::Lang;
use crate::ids::{hash_token, new_token};
use crate::service::account::{check_login, create_account};
use crate::store::{self, Checked};
use crate::web::AppState;
use crate::web::session::{FAILURES_PER_ACCOUNT, SESSION_SECONDS};

/// The API's routes, to be nested under `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/accounts", post(register))
        .route("/sessions", post(login).delete(logout))
        .route("/applications", get(list).post(create))
        .route("/applications/{id}", get(read))
        .route("/applications/{id}/confirm", post(confirm))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
        })
}

/// An API error: a status, a code, a message, and field-level reasons.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    fields: Problems,
}

/// A JSON body, with errors in the API's own shape.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

/// The user behind the bearer token.
#[derive(Debug)]
pub struct ApiUser {
    user: User,
    token_hash: Vec<u8>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: &str) -> Self {
        Self {
            status,
            code,
            message: message.to_owned(),
            fields: Problems::new(),
        }
    }

    fn invalid(fields: Problems) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_fields",
            message: "some fields are invalid; see fields".to_owned(),
            fields,
        }
    }

    fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "no such application")
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(cause: anyhow::Error) -> Self {
        tracing::error!(error = format!("{cause:#}"), "api request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the service is temporarily unavailable",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let fields: serde_json::Map<String, Value> = self
            .fields
            .iter()
            .map(|(name, p)| {
                (
                    (*name).to_owned(),
                    json!({"code": p.code(), "message": p.message(Lang::En)}),
                )
            })
            .collect();
        let mut body = json!({"error": self.code, "message": self.message});
        if !fields.is_empty() {
            body["fields"] = Value::Object(fields);
        }
        (self.status, Json(body)).into_response()
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => {
                let status = rejection.status();
                let code = match status {
                    StatusCode::PAYLOAD_TOO_LARGE => "too_large",
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                    _ => "bad_json",
                };
                let status = if status.is_client_error() {
                    status
                } else {
                    StatusCode::BAD_REQUEST
                };
                Err(ApiError::new(status, code, &rejection.body_text()))
            }
        }
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let unauthorized = || {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "send Authorization: Bearer <token> from POST /api/v1/sessions",
            )
        };
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(unauthorized)?;
        let hash = hash_token(token);
        let lookup = hash.clone();
        let now = state.clock.unix();
        let row = state
            .db
            .call(move |conn| store::account::find_session(conn, &lookup, "api", now))
            .await?;
        match row.and_then(|r| r.user) {
            Some(user) => Ok(ApiUser {
                user,
                token_hash: hash,
            }),
            None => Err(unauthorized()),
        }
    }
}

async fn register(
    State(state): State<AppState>,
    ApiJson(form): ApiJson<SignupForm>,
) -> Result<Response, ApiError> {
    let form = SignupForm {
        password_again: if form.password_again.is_empty() {
            form.password.clone()
        } else {
            form.password_again.clone()
        },
        ..form
    };
    let account = form.parse().map_err(ApiError::invalid)?;
    let email = account.email.as_str().to_owned();
    let id = create_account(&state.db, &state.clock, account).await?;
    match id {
        Some(id) => {
            Ok((StatusCode::CREATED, Json(json!({"id": id, "email": email}))).into_response())
        }
        None => Err(ApiError {
            status: StatusCode::CONFLICT,
            ..ApiError::invalid(Problems::from([("email", Problem::EmailTaken)]))
        }),
    }
}

/// The API's login body.
#[derive(Debug, Deserialize)]
pub struct LoginBody {
    /// IIN, BIN or e-mail.
    #[serde(default)]
    pub identifier: String,
    /// Password.
    #[serde(default)]
    pub password: String,
}

async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Response, ApiError> {
    let identifier = body.identifier.trim().to_lowercase();
    let keys = vec![(format!("id:{identifier}"), FAILURES_PER_ACCOUNT)];
    if state.limiter.blocked(&keys, state.clock.unix()) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many failed logins; try again in 15 minutes",
        ));
    }
    let Some(user_id) = check_login(&state.db, identifier, body.password).await? else {
        state.limiter.fail(&keys, state.clock.unix());
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "wrong_credentials",
            "wrong IIN, BIN, e-mail or password",
        ));
    };
    state.limiter.clear(&keys[0].0);
    let token = new_token();
    let hash = hash_token(&token);
    let csrf = new_token();
    let expires = state.clock.unix() + SESSION_SECONDS;
    state
        .db
        .call(move |conn| {
            store::account::insert_session(conn, &hash, "api", Some(user_id), &csrf, expires)
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"token": token, "token_type": "Bearer", "expires_in": SESSION_SECONDS})),
    )
        .into_response())
}

async fn logout(State(state): State<AppState>, user: ApiUser) -> Result<StatusCode, ApiError> {
    let hash = user.token_hash;
    state
        .db
        .call(move |conn| store::account::delete_session(conn, &hash))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An application as the API shows it, with its visa number once issued.
pub fn application_json(app: &Application, visa_number: Option<&str>) -> Value {
    let inv = &app.invitation;
    let visa = visa_number.map(
        |number| json!({"number": number, "pdf": format!("/applications/{}/visa.pdf", app.id)}),
    );
    json!({
        "visa": visa,
        "next": crate::web::cabinet::next_step(app),
        "id": app.id,
        "status": app.status,
        "status_text": crate::web::cabinet::status_text(Lang::En, app.status),
        "created_at": app.created_at,
        "applicant": app.applicant.to_form(),
        "inviting_party": {
            "kind": inv.inviter.kind.as_str(),
            "bin_iin": inv.inviter.tax_id.as_str(),
            "name": inv.inviter.name,
            "description": inv.inviter.description,
        },
        "visit": {
            "purpose": inv.purpose,
            "valid_from": inv.valid_from.to_string(),
            "valid_until": inv.valid_until.to_string(),
            "stay_days": inv.stay_days,
        },
        "planned_address": {
            "city": inv.address.city,
            "street": inv.address.street,
            "house": inv.address.house,
        },
    })
}

async fn list(State(state): State<AppState>, user: ApiUser) -> Result<Json<Value>, ApiError> {
    let id = user.user.id;
    let apps = state
        .db
        .call(move |conn| {
            store::application::applications_of(conn, id)?
                .into_iter()
                .map(|app| {
                    let visa = store::visa::visa_number_of(conn, &app.id)?;
                    Ok(application_json(&app, visa.as_deref()))
                })
                .collect::<anyhow::Result<Vec<_>>>()
        })
        .await?;
    Ok(Json(json!({ "applications": apps })))
}

async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(form): ApiJson<ApplicationForm>,
) -> Result<Response, ApiError> {
    let today = state.clock.today();
    let applicant = form.parse(today).map_err(ApiError::invalid)?;
    let user_id = user.user.id;
    let now = state.clock.rfc3339();
    let app = state
        .db
        .call(move |conn| {
            match store::application::save_draft(conn, user_id, &applicant, today, &now)? {
                Checked::Stored(id) => Ok(Checked::Stored(store::application::application_of(
                    conn, &id, user_id,
                )?)),
                Checked::Refused(problems) => Ok(Checked::Refused(problems)),
            }
        })
        .await?;
    let app = match app {
        Checked::Stored(app) => app,
        Checked::Refused(problems) => return Err(ApiError::invalid(problems)),
    }
    .ok_or_else(|| anyhow::anyhow!("a saved draft vanished"))?;
    Ok((StatusCode::CREATED, Json(application_json(&app, None))).into_response())
}

fn valid_id(id: &str) -> Result<(), ApiError> {
    if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

async fn read(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    valid_id(&id)?;
    let user_id = user.user.id;
    let app = state
        .db
        .call(move |conn| {
            let app = store::application::application_of(conn, &id, user_id)?;
            let visa = store::visa::visa_number_of(conn, &id)?;
            Ok(app.map(|app| (app, visa)))
        })
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(application_json(&app.0, app.1.as_deref())))
}

/// The confirmation body.
#[derive(Debug, Deserialize)]
pub struct ConfirmBody {
    /// Must be `true`: the applicant confirms the accuracy of the data.
    #[serde(default)]
    pub confirm: bool,
}

async fn confirm(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ConfirmBody>,
) -> Result<Json<Value>, ApiError> {
    valid_id(&id)?;
    if !body.confirm {
        return Err(ApiError::invalid(Problems::from([(
            "confirm",
            Problem::NotConfirmed,
        )])));
    }
    let user_id = user.user.id;
    let now = state.clock.rfc3339();
    let app = state
        .db
        .call(move |conn| {
            store::application::confirm(conn, &id, user_id, &now)?;
            store::application::application_of(conn, &id, user_id)
        })
        .await?
        .ok_or_else(ApiError::not_found)?;
    if app.status == ApplicationStatus::Draft {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_confirmed",
            "the application could not be confirmed",
        ));
    }
    Ok(Json(application_json(&app, None)))
}

async fn openapi() -> Json<Value> {
    Json(openapi_document())
}

/// The OpenAPI 3.1 description of this API.
pub fn openapi_document() -> Value {
    let error = json!({"$ref": "#/components/schemas/Error"});
    let err = |description: &str| json!({"description": description, "content": {"application/json": {"schema": error}}});
    let app_ref = json!({"$ref": "#/components/schemas/Application"});
    let ok_app = |description: &str| json!({"description": description, "content": {"application/json": {"schema": app_ref}}});
    let bearer = json!([{"bearer": []}]);
    let string = json!({"type": "string"});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Kazakhstan e-visa issuer API",
            "version": "1",
            "description": "Register, log in, and create, confirm and read e-visa applications. Errors are JSON with a code, a message and, for invalid input, a reason per field."
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/accounts": {"post": {
                "summary": "Register an applicant account",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Signup"}}}},
                "responses": {"201": {"description": "Created"}, "409": err("The e-mail has an account"), "422": err("Invalid fields")}
            }},
            "/sessions": {
                "post": {
                    "summary": "Log in with IIN, BIN or e-mail and password; returns a bearer token",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Login"}}}},
                    "responses": {"201": {"description": "Token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Token"}}}},
                                  "401": err("Wrong credentials"), "429": err("Too many failed attempts")}
                },
                "delete": {"summary": "Log out (end this token)", "security": bearer, "responses": {"204": {"description": "Logged out"}, "401": err("No valid token")}}
            },
            "/applications": {
                "get": {"summary": "The caller's applications", "security": bearer,
                        "responses": {"200": {"description": "List", "content": {"application/json": {"schema": {"type": "object", "properties": {"applications": {"type": "array", "items": app_ref}}}}}}, "401": err("No valid token")}},
                "post": {"summary": "Step 1: create (or update) a draft application on an invitation", "security": bearer,
                         "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApplicationForm"}}}},
                         "responses": {"201": ok_app("The draft"), "401": err("No valid token"), "422": err("Invalid fields or a mismatch with the invitation")}}
            },
            "/applications/{id}": {"get": {
                "summary": "One of the caller's applications", "security": bearer,
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": string}],
                "responses": {"200": ok_app("The application"), "401": err("No valid token"), "404": err("No such application of the caller")}
            }},
            "/applications/{id}/confirm": {"post": {
                "summary": "Confirm the accuracy of the data (the checkbox of the confirmation page)", "security": bearer,
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": string}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["confirm"], "properties": {"confirm": {"type": "boolean", "const": true}}}}}},
                "responses": {"200": ok_app("The confirmed application"), "404": err("No such application of the caller"), "409": err("Not a draft"), "422": err("confirm is not true")}
            }}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error", "message"], "properties": {
                    "error": string, "message": string,
                    "fields": {"type": "object", "additionalProperties": {"type": "object", "properties": {"code": string, "message": string}}}
                }},
                "Signup": {"type": "object", "required": ["email", "full_name", "password"], "properties": {
                    "email": string, "full_name": string, "password": {"type": "string", "minLength": 10, "maxLength": 128}}},
                "Login": {"type": "object", "required": ["identifier", "password"], "properties": {"identifier": string, "password": string}},
                "Token": {"type": "object", "properties": {"token": string, "token_type": string, "expires_in": {"type": "integer"}}},
                "ApplicationForm": {"type": "object",
                    "required": ["invitation_number", "category", "surname", "sex", "date_of_birth", "citizenship", "passport_number", "passport_expiry", "with_children"],
                    "properties": {
                        "invitation_number": string,
                        "category": {"type": "string", "enum": ["business", "tourist", "treatment"]},
                        "surname": {"type": "string", "description": "Latin letters as in the passport's MRZ"},
                        "given_names": string, "surname_native": string, "given_names_native": string,
                        "sex": {"type": "string", "enum": ["F", "M", "X"]},
                        "date_of_birth": {"type": "string", "format": "date"},
                        "citizenship": {"type": "string", "description": "ISO 3166-1 alpha-3"},
                        "passport_number": string,
                        "passport_expiry": {"type": "string", "format": "date"},
                        "with_children": {"type": "string", "enum": ["no", "yes"], "description": "yes is refused: e-visas are not issued to foreigners travelling with children"}
                    }},
                "Application": {"type": "object", "properties": {
                    "id": string,
                    "status": {"type": "string", "enum": ["draft", "submitted", "paid", "issued"]},
                    "status_text": string, "created_at": string,
                    "next": {"type": "string", "description": "the portal page of the next step"},
                    "visa": {"type": ["object", "null"], "properties": {"number": string, "pdf": string}},
                    "applicant": {"$ref": "#/components/schemas/ApplicationForm"},
                    "inviting_party": {"type": "object"}, "visit": {"type": "object"}, "planned_address": {"type": "object"}
                }}
            }
        }
    })
}
