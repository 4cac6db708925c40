//! The JSON API under `/api/v1`: the same steps as the pages (register, log in, create, confirm
//! and read applications) for scripts and other front ends. Clients authenticate with a bearer
//! token from `POST /api/v1/sessions`; no cookies, so no CSRF. Its OpenAPI document is derived
//! from the handlers' annotations and the wire types (`api/openapi.rs`, `api/wire.rs`).

pub mod check;
pub mod group;
mod openapi;
pub mod wire;

use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;

use crate::domain::account::User;
use crate::domain::application::{ApplicationForm, ApplicationStatus};
use crate::domain::problem::{Problem, Problems};
use crate::ids::{hash_token, new_token};
use crate::service::account::{LoginOutcome, check_login};
use crate::service::signup::{SignUp, sign_up};
use crate::store::{self, Checked};
use crate::web::AppState;
use crate::web::limit::{self, Action, BUSY_RETRY_SECONDS, Client, Throttled};
use crate::web::session::SESSION_SECONDS;
pub use openapi::openapi_document;
use wire::{
    ApplicationList, ApplicationRequest, ApplicationView, ConfirmRequest, ErrorBody, ErrorCode,
    LoginRequest, SignupAccepted, SignupRequest, TokenIssued, TokenType,
};

/// The API's routes, to be nested under `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::serve))
        .route("/accounts", post(register))
        .route("/sessions", post(login).delete(logout))
        .route("/applications", get(list).post(create))
        .route("/applications/{id}", get(read))
        .route("/applications/{id}/confirm", post(confirm))
        .merge(group::router())
        .fallback(|| async {
            ApiError::new(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                "no such endpoint",
            )
        })
}

/// An API error: a status, a code, a message, and field-level reasons.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    fields: Problems,
    retry_after: Option<u64>,
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

/// An application id from the path; anything but 32 hexadecimal digits is no application.
#[derive(Debug)]
pub struct ApplicationId(String);

impl ApiError {
    fn new(status: StatusCode, code: ErrorCode, message: &str) -> Self {
        Self {
            status,
            code,
            message: message.to_owned(),
            fields: Problems::new(),
            retry_after: None,
        }
    }

    fn invalid(fields: Problems) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::InvalidFields,
            message: "some fields are invalid; see fields".to_owned(),
            fields,
            retry_after: None,
        }
    }

    fn throttled(throttled: Throttled) -> Self {
        let seconds = throttled.retry_after;
        Self {
            retry_after: Some(seconds),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::TooManyAttempts,
                &format!("too many attempts; try again in {seconds} s (Retry-After)"),
            )
        }
    }

    fn busy() -> Self {
        Self {
            retry_after: Some(BUSY_RETRY_SECONDS),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Busy,
                "every password check is busy; try again in a second (Retry-After)",
            )
        }
    }

    fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "no such application",
        )
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(cause: anyhow::Error) -> Self {
        tracing::error!(error = format!("{cause:#}"), "api request failed");
        let status = if crate::store::is_unavailable(&cause) {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        Self::new(
            status,
            ErrorCode::Internal,
            "the service is temporarily unavailable",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody::new(self.code, self.message, &self.fields);
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response = limit::with_retry_after(self.status, response, seconds);
        }
        if self.code == ErrorCode::Unauthorized {
            // RFC 6750: a 401 names the scheme the client should use.
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
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
                    StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::TooLarge,
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
                    _ => ErrorCode::BadJson,
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
                ErrorCode::Unauthorized,
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
            .read_one(move |conn| store::account::find_session(conn, &lookup, "api", now))
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

impl<S: Send + Sync> FromRequestParts<S> for ApplicationId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        // A path that does not even decode (say, `%FF`) names no application either.
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::not_found())?;
        if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(id))
        } else {
            Err(ApiError::not_found())
        }
    }
}

/// Register an applicant account.
#[utoipa::path(
    post,
    path = "/accounts",
    tag = "accounts",
    request_body = SignupRequest,
    responses(
        (status = 202, description = "Accepted, the same whether or not the address had an account: a new \
address gets an account (log in next; paying needs the address confirmed through the mailed link), an existing \
one's holder gets a mail saying someone tried", body = SignupAccepted),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 413, description = "The body is larger than 32 KiB", content(
            (ErrorBody = "application/json"), (String = "text/plain"))),
        (status = 415, description = "The body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "Invalid fields (see `fields`: a password that is too short, has control characters, is a common one or easy to guess has its own code), or a value of the wrong JSON type", body = ErrorBody),
        (status = 429, description = "Too many sign-ups from this address or for this e-mail address: wait `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 500, description = "A failure on the server's side", body = ErrorBody),
        (status = 503, description = "Every password check is busy: wait `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
async fn register(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    client: Client,
    ApiJson(request): ApiJson<SignupRequest>,
) -> Result<Response, ApiError> {
    let account = request.parse().map_err(ApiError::invalid)?;
    let email = account.email.as_str().to_owned();
    // Mail to the account goes out in the language the client asks for (Accept-Language).
    let lang = crate::web::lang::of_request(None, &headers);
    match sign_up(
        state.credentials(),
        &state.clock,
        account,
        lang.code(),
        &client,
    )
    .await?
    {
        SignUp::Created(_) | SignUp::Existing(_) => {}
        SignUp::Throttled(throttled) => return Err(ApiError::throttled(throttled)),
        SignUp::Busy => return Err(ApiError::busy()),
    }
    state.mail_bell.notify_one();
    let accepted = SignupAccepted {
        email,
        message: "if this address can be registered, a link to confirm it was mailed to it"
            .to_owned(),
    };
    Ok((StatusCode::ACCEPTED, Json(accepted)).into_response())
}

/// Log in with an e-mail address (or an inviting party's IIN or BIN) and password; returns a
/// bearer token.
#[utoipa::path(
    post,
    path = "/sessions",
    tag = "sessions",
    request_body = LoginRequest,
    responses(
        (status = 201, description = "Logged in", body = TokenIssued),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Wrong identifier or password", body = ErrorBody),
        (status = 413, description = "The body is larger than 32 KiB", content(
            (ErrorBody = "application/json"), (String = "text/plain"))),
        (status = 415, description = "The body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "A value of the wrong JSON type", body = ErrorBody),
        (status = 429, description = "Too many attempts: after five failures for an account each attempt waits 1, 2, 4 … up to 900 seconds after the last failure, and an address gets ten failures, then one every 30 seconds. Wait `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 500, description = "A failure on the server's side", body = ErrorBody),
        (status = 503, description = "Every password check is busy: wait `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
async fn login(
    State(state): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let outcome = check_login(
        state.credentials(),
        Action::LogIn,
        &body.identifier,
        body.password,
        &client,
    )
    .await?;
    let user_id = match outcome {
        LoginOutcome::LoggedIn(user_id) => user_id,
        LoginOutcome::Refused => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::WrongCredentials,
                "wrong IIN, BIN, e-mail or password",
            ));
        }
        LoginOutcome::Throttled(throttled) => return Err(ApiError::throttled(throttled)),
        LoginOutcome::Busy => return Err(ApiError::busy()),
    };
    let token = new_token();
    let hash = hash_token(&token);
    let csrf = new_token();
    let expires = state.clock.unix() + SESSION_SECONDS;
    state
        .db
        .write(move |conn| {
            store::account::insert_session(conn, &hash, "api", Some(user_id), &csrf, expires)
        })
        .await?;
    let issued = TokenIssued {
        token,
        token_type: TokenType::Bearer,
        expires_in: SESSION_SECONDS,
    };
    Ok((StatusCode::CREATED, Json(issued)).into_response())
}

/// Log out: end this token.
#[utoipa::path(
    delete,
    path = "/sessions",
    tag = "sessions",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "No valid bearer token", body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer`"))),
        (status = 500, description = "A failure on the server's side", body = ErrorBody),
    )
)]
async fn logout(State(state): State<AppState>, user: ApiUser) -> Result<StatusCode, ApiError> {
    let hash = user.token_hash;
    state
        .db
        .write(move |conn| store::account::delete_session(conn, &hash))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's applications.
#[utoipa::path(
    get,
    path = "/applications",
    tag = "applications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's applications", body = ApplicationList),
        (status = 401, description = "No valid bearer token", body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer`"))),
        (status = 500, description = "A failure on the server's side", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Json<ApplicationList>, ApiError> {
    let id = user.user.id;
    let applications = state
        .db
        .read(move |conn| {
            store::application::applications_of(conn, id)?
                .into_iter()
                .map(|app| {
                    let visa = store::visa::visa_number_of(conn, &app.id)?;
                    Ok(ApplicationView::new(&app, visa.as_deref()))
                })
                .collect::<anyhow::Result<Vec<_>>>()
        })
        .await?;
    Ok(Json(ApplicationList { applications }))
}

/// Step 1: create (or update) the caller's draft application on an invitation. Besides the
/// field rules, the data must match the invitation, which must be valid and not used by another
/// application.
#[utoipa::path(
    post,
    path = "/applications",
    tag = "applications",
    security(("bearer" = [])),
    request_body = ApplicationRequest,
    responses(
        (status = 201, description = "The draft", body = ApplicationView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer`"))),
        (status = 413, description = "The body is larger than 32 KiB", content(
            (ErrorBody = "application/json"), (String = "text/plain"))),
        (status = 415, description = "The body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "Invalid fields, no such invitation, an inviting party the migration service has not verified (`inviter_not_verified` at `invitation_number`), or data that differs from the invitation (see `fields`); or a value of the wrong JSON type", body = ErrorBody),
        (status = 500, description = "A failure on the server's side", body = ErrorBody),
    )
)]
async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(request): ApiJson<ApplicationRequest>,
) -> Result<Response, ApiError> {
    let today = state.clock.today();
    let applicant = ApplicationForm::from(request)
        .parse(today)
        .map_err(ApiError::invalid)?;
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
    Ok((StatusCode::CREATED, Json(ApplicationView::new(&app, None))).into_response())
}

/// One of the caller's applications.
#[utoipa::path(
    get,
    path = "/applications/{id}",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{32}$", description = "The application's id")),
    responses(
        (status = 200, description = "The application", body = ApplicationView),
        (status = 401, description = "No valid bearer token", body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer`"))),
        (status = 404, description = "No such application of the caller", body = ErrorBody),
        (status = 500, description = "A failure on the server's side", body = ErrorBody),
    )
)]
async fn read(
    State(state): State<AppState>,
    user: ApiUser,
    ApplicationId(id): ApplicationId,
) -> Result<Json<ApplicationView>, ApiError> {
    let user_id = user.user.id;
    let (app, visa) = state
        .db
        .read(move |conn| {
            let app = store::application::application_of(conn, &id, user_id)?;
            let visa = store::visa::visa_number_of(conn, &id)?;
            Ok(app.map(|app| (app, visa)))
        })
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(ApplicationView::new(&app, visa.as_deref())))
}

/// Confirm the accuracy of the data (the checkbox of the confirmation page); the application
/// then waits for the state duty, paid in the portal.
#[utoipa::path(
    post,
    path = "/applications/{id}/confirm",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{32}$", description = "The application's id")),
    request_body = ConfirmRequest,
    responses(
        (status = 200, description = "The confirmed application (confirming again changes nothing)", body = ApplicationView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer`"))),
        (status = 404, description = "No such application of the caller", body = ErrorBody),
        (status = 413, description = "The body is larger than 32 KiB", content(
            (ErrorBody = "application/json"), (String = "text/plain"))),
        (status = 415, description = "The body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "`confirm` is not true, the inviting party is no longer verified (`inviter_not_verified`), or a value of the wrong JSON type", body = ErrorBody),
        (status = 500, description = "A failure on the server's side", body = ErrorBody),
    )
)]
async fn confirm(
    State(state): State<AppState>,
    user: ApiUser,
    ApplicationId(id): ApplicationId,
    ApiJson(body): ApiJson<ConfirmRequest>,
) -> Result<Json<ApplicationView>, ApiError> {
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
    if app.status == ApplicationStatus::Draft && !app.invitation.inviter.state.may_invite() {
        return Err(ApiError::invalid(Problems::from([(
            "invitation_number",
            Problem::InviterNotVerified,
        )])));
    }
    Ok(Json(ApplicationView::new(&app, None)))
}
