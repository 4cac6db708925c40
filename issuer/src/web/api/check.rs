//! `POST /api/v1/check`: the printout check for programs (an airline's or a hotel's desk). The
//! body is the picture or PDF itself (any content type but multipart), or `multipart/form-data`
//! with the file in a `file` field; the answer is the kiosk's verdict as JSON. No bearer token:
//! like the page, it is public, and bounded by the upload limit and the per-address count.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, Multipart, Request, State};
use axum::http::header;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiError;
use super::wire::{ErrorBody, ErrorCode};
use crate::domain::printout::Verdict;
use crate::web::AppState;
use crate::web::printout::{Outcome, Source, UploadError, check_upload, file_of};

/// The kiosk's verdict on an uploaded printout, and what the picture is worth.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckResult {
    /// The verdict a kiosk at Astana or Almaty would give today.
    pub verdict: VerdictName,
    /// The kiosk's reason code: `ok`, `bad_signature`, `malformed_text`, `not_a_visa`,
    /// `unknown_key`, `revoked`, `revoked_key`, `expired`, `not_yet_valid`, `already_used`,
    /// `unreadable`, …
    #[schema(pattern = "^[a-z_]+$")]
    pub reason: String,
    /// The reason in English words.
    pub message: String,
    /// Whether the code's signature verified with a key the kiosks trust; `null` when that cannot
    /// be said (no code, an unknown key).
    pub genuine: Option<bool>,
    /// Whether the issuer revoked the visa or its signing key (as far as it knows now).
    pub revoked: bool,
    /// The visa's dates against today, when the signature verified.
    pub validity: Option<ValidityView>,
    /// Each airport's entry check today, when the signature verified.
    pub airports: Vec<AirportView>,
    /// The picture's quality.
    pub picture: PictureView,
    /// The visa's data from the verified code.
    pub visa: Option<CheckedVisa>,
}

/// The three verdicts.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerdictName {
    /// Genuine, trusted, not revoked, and it allows entry today.
    Valid,
    /// Refused.
    Invalid,
    /// Not decidable.
    CannotVerify,
}

/// The dates against today.
#[derive(Debug, Serialize, ToSchema)]
pub struct ValidityView {
    /// First day (YYYY-MM-DD).
    pub valid_from: String,
    /// Last day, valid to its end in Kazakhstan time.
    pub valid_until: String,
    /// Today in Kazakhstan (UTC+5).
    pub today: String,
    /// Whether today is within the dates.
    pub inside: bool,
}

/// One airport.
#[derive(Debug, Serialize, ToSchema)]
pub struct AirportView {
    /// IATA code: `NQZ` or `ALA`.
    pub port: String,
    /// Whether a kiosk there would let the holder in today.
    pub entry_allowed: bool,
    /// `ok`, or the reason for refusing entry there.
    #[schema(pattern = "^[a-z_]+$")]
    pub reason: String,
}

/// The picture's quality.
#[derive(Debug, Serialize, ToSchema)]
pub struct PictureView {
    /// `picture` (photo or scan) or `pdf` (the portal's PDF, read at 150 dpi).
    pub source: String,
    /// Whether a QR code was read.
    pub code_read: bool,
    /// The side of one module of the code in the picture's pixels (4 or more is comfortable).
    pub module_pixels: Option<f32>,
    /// The spread of gray levels over the code, 0–255.
    pub contrast: Option<u8>,
    /// The share of blurred (mid-gray) pixels over the code, 0–1; above 0.4 is blurred.
    pub blur: Option<f32>,
    /// Whether a kiosk reads it reliably.
    pub good_enough: bool,
    /// What to do: `too_small` (print at 100 % scale), `small`, `blurred`, `low_contrast`,
    /// `damaged`, `unreadable`, `not_measured`.
    pub advice: Vec<String>,
}

/// The visa's data, as signed into the code.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckedVisa {
    /// Visa number.
    pub visa_number: String,
    /// `business`, `tourist` or `treatment`.
    pub category: String,
    /// `single`, `double` or `multiple`.
    pub entries: String,
    /// First day.
    pub valid_from: String,
    /// Last day.
    pub valid_until: String,
    /// Days of stay allowed.
    pub duration_of_stay: u32,
    /// Airports of entry.
    pub ports: Vec<String>,
    /// Surname as in the passport's MRZ.
    pub surname: String,
    /// Given names as in the MRZ.
    pub given_names: Option<String>,
    /// Surname in native script.
    pub surname_native: Option<String>,
    /// Given names in native script.
    pub given_names_native: Option<String>,
    /// Passport number.
    pub passport_number: String,
    /// Citizenship, ISO 3166-1 alpha-3.
    pub citizenship: String,
    /// Date of birth.
    pub date_of_birth: String,
    /// `F`, `M` or `X`.
    pub sex: String,
    /// Invitation number.
    pub invitation_number: String,
}

/// The upload as multipart/form-data.
#[derive(Debug, ToSchema)]
pub struct CheckUpload {
    /// The photo, scan or PDF.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Check a printout: what a kiosk would say of it today, and whether the picture is good enough.
/// Nothing sent is stored or logged.
#[utoipa::path(
    post,
    path = "/check",
    tag = "check",
    request_body(description = "A photo or scan (PNG, JPEG, TIFF, WebP, BMP) or the portal's PDF, at most 10 MB: the bytes themselves, or multipart/form-data with a `file` field", content(
        (Vec<u8> = "application/octet-stream"),
        (CheckUpload = "multipart/form-data"),
    )),
    responses(
        (status = 200, description = "The verdict (also when no code could be read: `reason` is `unreadable`)", body = CheckResult),
        (status = 413, description = "The body is larger than 10 MB", content(
            (ErrorBody = "application/json"), (String = "text/plain"))),
        (status = 422, description = "Not a picture or PDF the check reads, empty, damaged, too many pixels, or a PDF this portal did not make", body = ErrorBody),
        (status = 429, description = "Too many checks from this address", body = ErrorBody),
        (status = 500, description = "A failure on the server's side", body = ErrorBody),
        (status = 503, description = "Every reader is busy", body = ErrorBody),
    )
)]
pub async fn check(
    State(state): State<AppState>,
    req: Request,
) -> Result<Json<CheckResult>, ApiError> {
    let client = req
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        });
    let bytes = if multipart {
        match Multipart::from_request(req, &state).await {
            Ok(multipart) => file_of(multipart).await,
            Err(_) => Err(UploadError::NotAPicture(
                "the multipart body could not be read".to_owned(),
            )),
        }
    } else {
        Bytes::from_request(req, &state)
            .await
            .map_err(|_| UploadError::TooLarge)
    };
    let outcome = match bytes {
        Ok(bytes) => check_upload(&state, client, bytes).await,
        Err(error) => Err(error),
    };
    match outcome {
        Ok(outcome) => Ok(Json(CheckResult::from(&outcome))),
        Err(UploadError::Internal(cause)) => Err(ApiError::from(cause)),
        Err(error) => {
            let code = match &error {
                UploadError::TooLarge => ErrorCode::TooLarge,
                UploadError::TooManyPixels(..) => ErrorCode::TooManyPixels,
                UploadError::ForeignPdf => ErrorCode::ForeignPdf,
                UploadError::TooMany => ErrorCode::TooManyRequests,
                UploadError::Busy => ErrorCode::Busy,
                _ => ErrorCode::NotAPicture,
            };
            Err(ApiError::new(error.status(), code, &error.to_string()))
        }
    }
}

impl From<&Outcome> for CheckResult {
    fn from(outcome: &Outcome) -> Self {
        let j = &outcome.judgement;
        let p = &outcome.picture;
        Self {
            verdict: match j.verdict {
                Verdict::Valid => VerdictName::Valid,
                Verdict::Invalid => VerdictName::Invalid,
                Verdict::CannotVerify => VerdictName::CannotVerify,
            },
            reason: j.reason.to_owned(),
            message: j.message.clone(),
            genuine: j.genuine,
            revoked: j.revoked.is_some(),
            validity: j.validity.as_ref().map(|v| ValidityView {
                valid_from: v.valid_from.to_string(),
                valid_until: v.valid_until.to_string(),
                today: v.today.to_string(),
                inside: v.inside,
            }),
            airports: j
                .ports
                .iter()
                .map(|at| AirportView {
                    port: at.port.code().to_owned(),
                    entry_allowed: at.reason == "ok",
                    reason: at.reason.to_owned(),
                })
                .collect(),
            picture: PictureView {
                source: match p.source {
                    Source::Picture => "picture",
                    Source::Pdf => "pdf",
                }
                .to_owned(),
                code_read: p.read,
                module_pixels: p.measure.map(|m| m.module_pixels),
                contrast: p.measure.map(|m| m.contrast),
                blur: p.measure.map(|m| m.blur),
                good_enough: p.read && !p.advice.iter().any(|a| a.is_fatal()),
                advice: p.advice.iter().map(|a| a.code().to_owned()).collect(),
            },
            visa: j.visa.as_ref().map(|v| CheckedVisa {
                visa_number: v.visa_number.clone(),
                category: v.category.clone(),
                entries: v.entries.clone(),
                valid_from: v.valid_from.clone(),
                valid_until: v.valid_until.clone(),
                duration_of_stay: v.duration_of_stay,
                ports: v.ports.clone(),
                surname: v.surname.clone(),
                given_names: v.given_names.clone(),
                surname_native: v.surname_native.clone(),
                given_names_native: v.given_names_native.clone(),
                passport_number: v.passport_number.clone(),
                citizenship: v.citizenship.clone(),
                date_of_birth: v.date_of_birth.clone(),
                sex: v.sex.clone(),
                invitation_number: v.invitation_number.clone(),
            }),
        }
    }
}
