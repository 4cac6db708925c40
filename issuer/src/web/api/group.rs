//! The JSON API of group applications: `POST /groups` (Step 1 for up to ten persons at once),
//! `GET /groups`, `GET /groups/{id}` and `POST /groups/{id}/confirm`. Each person is an
//! application of its own (its visa appears in `visa` once issued); the duty for the group is
//! paid once in the portal (`next`). A person's problem is reported at `persons[i].field`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::wire::{
    ApplicationRequest, ApplicationView, ConfirmRequest, ErrorBody, ErrorCode, FieldProblem,
    StatusName,
};
use super::{ApiError, ApiJson, ApiUser, ApplicationId};
use crate::domain::application::ApplicationForm;
use crate::domain::fees::Fees;
use crate::domain::group::{
    Group, GroupForm, GroupProblem, GroupProblems, MAX_PERSONS, total_minor,
};
use crate::domain::problem::Problem;
use crate::i18n::Lang;
use crate::store::{self, Checked};
use crate::web::AppState;

/// The routes, nested with the rest of the API under `/api/v1`.
pub fn router() -> Router<AppState> {
    use axum::routing::{get, post};
    Router::new()
        .route("/groups", get(list).post(create))
        .route("/groups/{id}", get(read))
        .route("/groups/{id}/confirm", post(confirm))
}

/// The group operations of the OpenAPI document (merged into it by `openapi.rs`).
#[derive(Debug, OpenApi)]
#[openapi(paths(list, create, read, confirm))]
pub struct GroupDoc;

/// `POST /groups`: the persons of a group, each with the fields of `POST /applications`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct GroupRequest {
    /// One to ten persons, each with their own invitation and passport (adults only:
    /// `with_children` must be `no` for each).
    #[schema(required = true, min_items = 1, max_items = 10)]
    #[serde(default)]
    pub persons: Vec<ApplicationRequest>,
}

/// A group application as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    /// The group's id, used in its paths.
    #[schema(pattern = "^[0-9a-f]{32}$")]
    pub id: String,
    /// Where the group stands: `draft` until confirmed, `submitted` until paid, then `paid`
    /// (some visa not issued yet: see each person) or `issued` (every visa issued).
    pub status: StatusName,
    /// When it was made.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// The portal page of the group's next step (the duty is paid there, once for all).
    pub next: String,
    /// The state duty for the whole group: each person's duty added up, in cents.
    pub amount_minor: i64,
    /// The duty's currency.
    pub currency: String,
    /// Each person's application, in the order sent.
    pub persons: Vec<ApplicationView>,
}

/// The caller's groups.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupList {
    /// The groups, newest first.
    pub groups: Vec<GroupView>,
}

impl GroupView {
    fn new(group: &Group, visas: &[Option<String>], fees: &Fees) -> Result<Self, ApiError> {
        let amount = total_minor(
            group
                .members
                .iter()
                .map(|m| fees.minor(m.applicant.category)),
        )
        .ok_or_else(|| anyhow::anyhow!("a group's duty overflows"))?;
        Ok(Self {
            id: group.id.clone(),
            status: group.status().into(),
            created_at: group.created_at.clone(),
            next: crate::web::group::next_step(group),
            amount_minor: amount,
            currency: Fees::CURRENCY.to_owned(),
            persons: group
                .members
                .iter()
                .zip(visas)
                .map(|(app, visa)| ApplicationView::new(app, visa.as_deref()))
                .collect(),
        })
    }
}

/// The 422 answer naming each person's fields as `persons[i].field`, and the group's own
/// problem at `persons`.
fn invalid(problems: &GroupProblems) -> Response {
    let mut fields = BTreeMap::new();
    if let Some(group) = problems.group {
        let message = match group {
            GroupProblem::TooManyPersons => {
                format!("a group application holds at most {MAX_PERSONS} persons")
            }
            GroupProblem::NoPersons => "a group needs at least one person".to_owned(),
        };
        fields.insert(
            "persons".to_owned(),
            FieldProblem {
                code: group.code().to_owned(),
                message,
            },
        );
    }
    for (i, person) in problems.persons.iter().enumerate() {
        for (name, problem) in person {
            fields.insert(
                format!("persons[{i}].{name}"),
                FieldProblem {
                    code: problem.code().to_owned(),
                    message: problem.message(Lang::En),
                },
            );
        }
    }
    let body = ErrorBody {
        error: ErrorCode::InvalidFields,
        message: "some persons' fields are invalid; see fields".to_owned(),
        fields,
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// Reads a group with its persons' visa numbers, as the caller's.
async fn view_of(
    state: &AppState,
    id: String,
    user_id: i64,
) -> Result<Option<GroupView>, ApiError> {
    let found = state
        .db
        .read(move |conn| {
            let Some(group) = store::group::group_of(conn, &id, user_id)? else {
                return Ok(None);
            };
            let visas = group
                .members
                .iter()
                .map(|m| store::visa::visa_number_of(conn, &m.id))
                .collect::<anyhow::Result<Vec<_>>>()?;
            Ok(Some((group, visas)))
        })
        .await?;
    match found {
        Some((group, visas)) if !group.members.is_empty() => {
            Ok(Some(GroupView::new(&group, &visas, &state.settings.fees)?))
        }
        _ => Ok(None),
    }
}

fn no_group() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, "no such group")
}

/// The caller's group applications.
#[utoipa::path(
    get,
    path = "/groups",
    tag = "groups",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's groups", body = GroupList),
        (status = 401, description = "No valid bearer token", body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer`"))),
        (status = 500, description = "A failure on the server's side", body = ErrorBody),
    )
)]
async fn list(State(state): State<AppState>, user: ApiUser) -> Result<Json<GroupList>, ApiError> {
    let user_id = user.user.id;
    let found = state
        .db
        .read(move |conn| {
            store::group::groups_of(conn, user_id)?
                .into_iter()
                .map(|group| {
                    let visas = group
                        .members
                        .iter()
                        .map(|m| store::visa::visa_number_of(conn, &m.id))
                        .collect::<anyhow::Result<Vec<_>>>()?;
                    Ok((group, visas))
                })
                .collect::<anyhow::Result<Vec<_>>>()
        })
        .await?;
    let groups = found
        .iter()
        .filter(|(g, _)| !g.members.is_empty())
        .map(|(g, visas)| GroupView::new(g, visas, &state.settings.fees))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(GroupList { groups }))
}

/// Step 1 for a group: a draft application for each person (1 to 10), on their own invitations,
/// all stored or none. Each person's data must match their invitation, which must be valid and
/// not used by another application or another person of the group.
#[utoipa::path(
    post,
    path = "/groups",
    tag = "groups",
    security(("bearer" = [])),
    request_body = GroupRequest,
    responses(
        (status = 201, description = "The group of drafts", body = GroupView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer`"))),
        (status = 413, description = "The body is larger than 32 KiB", content(
            (ErrorBody = "application/json"), (String = "text/plain"))),
        (status = 415, description = "The body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "No person or more than 10 (`too_many_persons` at `persons`), or a person's invalid fields, invitation or data that differs from it, at `persons[i].field` (from 0); or a value of the wrong JSON type. Nothing is stored", body = ErrorBody),
        (status = 500, description = "A failure on the server's side", body = ErrorBody),
    )
)]
async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(request): ApiJson<GroupRequest>,
) -> Result<Response, ApiError> {
    let form = GroupForm {
        persons: request
            .persons
            .into_iter()
            .map(ApplicationForm::from)
            .collect(),
    };
    let today = state.clock.today();
    let applicants = match form.parse(today) {
        Ok(applicants) => applicants,
        Err(problems) => return Ok(invalid(&problems)),
    };
    let user_id = user.user.id;
    let now = state.clock.rfc3339();
    let saved = state
        .db
        .call(move |conn| store::group::save_group(conn, user_id, None, &applicants, today, &now))
        .await?;
    let id = match saved {
        Checked::Stored(id) => id,
        Checked::Refused(problems) => return Ok(invalid(&problems)),
    };
    tracing::info!(group = %id, persons = form.persons.len(), "a group application was saved");
    let view = view_of(&state, id, user_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a saved group vanished"))?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// One of the caller's groups, with each person's application and visa.
#[utoipa::path(
    get,
    path = "/groups/{id}",
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{32}$", description = "The group's id")),
    responses(
        (status = 200, description = "The group", body = GroupView),
        (status = 401, description = "No valid bearer token", body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer`"))),
        (status = 404, description = "No such group of the caller", body = ErrorBody),
        (status = 500, description = "A failure on the server's side", body = ErrorBody),
    )
)]
async fn read(
    State(state): State<AppState>,
    user: ApiUser,
    ApplicationId(id): ApplicationId,
) -> Result<Json<GroupView>, ApiError> {
    view_of(&state, id, user.user.id)
        .await?
        .map(Json)
        .ok_or_else(no_group)
}

/// Confirm the accuracy of every person's data at once; the group then waits for the duty,
/// paid once in the portal (`next`).
#[utoipa::path(
    post,
    path = "/groups/{id}/confirm",
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, pattern = "^[0-9a-f]{32}$", description = "The group's id")),
    request_body = ConfirmRequest,
    responses(
        (status = 200, description = "The confirmed group (confirming again changes nothing)", body = GroupView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer`"))),
        (status = 404, description = "No such group of the caller", body = ErrorBody),
        (status = 413, description = "The body is larger than 32 KiB", content(
            (ErrorBody = "application/json"), (String = "text/plain"))),
        (status = 415, description = "The body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "`confirm` is not true, an inviting party is no longer verified (`inviter_not_verified`), or a value of the wrong JSON type", body = ErrorBody),
        (status = 500, description = "A failure on the server's side", body = ErrorBody),
    )
)]
async fn confirm(
    State(state): State<AppState>,
    user: ApiUser,
    ApplicationId(id): ApplicationId,
    ApiJson(body): ApiJson<ConfirmRequest>,
) -> Result<Json<GroupView>, ApiError> {
    if !body.confirm {
        return Err(ApiError::invalid(
            [("confirm", Problem::NotConfirmed)].into(),
        ));
    }
    let user_id = user.user.id;
    let before = view_of(&state, id.clone(), user_id)
        .await?
        .ok_or_else(no_group)?;
    if matches!(before.status, StatusName::Draft) {
        let (group_id, now) = (id.clone(), state.clock.rfc3339());
        let confirmed = state
            .db
            .call(move |conn| store::group::confirm_group(conn, &group_id, user_id, &now))
            .await?;
        if !confirmed {
            return Err(ApiError::invalid(
                [("invitation_number", Problem::InviterNotVerified)].into(),
            ));
        }
    }
    view_of(&state, id, user_id)
        .await?
        .map(Json)
        .ok_or_else(no_group)
}
