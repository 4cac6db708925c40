//! "Check your printout": a public page (`/check`) and `POST /api/v1/check`, where anyone uploads
//! a photo or scan of an e-visa printout, or the PDF the portal issued, and sees what a kiosk
//! would say today. The picture goes through the kiosk's own pipeline (the `scan` crate: header
//! first, pixel bounds, guarded decoders, CPU budgets) on a blocking thread, at most
//! [`READERS`] at a time; the code is judged by `service::printout`. Nothing uploaded is stored
//! or logged: the bytes live in memory for the request only, and no log line names the file, the
//! code or the visa. Uploads are bounded by [`UPLOAD_LIMIT`] bytes (this route's own body limit),
//! the pipeline's pixel bounds, and [`CHECKS_PER_MINUTE`] per client address ([`CheckGate`]).
//! The page form has no CSRF token: the check changes nothing and needs no session.

mod view;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tokio::sync::Semaphore;

use super::AppState;
use super::session::Ctx;
use crate::domain::printout::{Advice, Judgement, advice};
use crate::i18n::msg::PrintoutCheck;
use crate::pdf::read::{PdfReadError, is_pdf, paint_codes};
use crate::service::printout::check_code;

/// The largest upload read, in bytes: a phone photo is 2–6 MB, a 300-dpi PNG scan 1–3 MB.
pub const UPLOAD_LIMIT: usize = 10 * 1024 * 1024;
/// Checks allowed per client address per minute.
pub const CHECKS_PER_MINUTE: u32 = 10;
/// Pictures read at the same time: the pipeline's threads are CPU-bound.
pub const READERS: usize = 2;
/// How long a check waits for a free reader before the answer is "busy".
const WAIT_FOR_READER: Duration = Duration::from_secs(20);
/// CPU time allowed for measuring a code once read (the reading has the kiosk's budget).
const MEASURE_BUDGET: Duration = Duration::from_secs(1);

/// The check's admission: a fixed-window count per client address, and the readers' permits.
/// (One place, so a shared limiter can replace the counting.)
#[derive(Debug)]
pub struct CheckGate {
    counts: Mutex<HashMap<Option<IpAddr>, (u32, i64)>>,
    readers: Arc<Semaphore>,
}

/// Where the code was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A photo or scan.
    Picture,
    /// The portal's own PDF, its drawing painted at 150 dpi.
    Pdf,
}

/// What the check says of the picture itself.
#[derive(Debug, Clone)]
pub struct PictureReport {
    /// Where the code was read from.
    pub source: Source,
    /// Whether a code was read.
    pub read: bool,
    /// Module size, contrast and blur, when the code could be located.
    pub measure: Option<scan::Measure>,
    /// What to do about the picture.
    pub advice: Vec<Advice>,
}

/// The answer to one upload.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The kiosk's judgement of the code.
    pub judgement: Judgement,
    /// The picture's quality.
    pub picture: PictureReport,
}

/// Why an upload got no answer.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// No file, or an empty one.
    #[error("no file was sent, or it is empty")]
    Empty,
    /// Not a picture or PDF, or a damaged one.
    #[error("the file is not a readable picture or PDF: {0}")]
    NotAPicture(String),
    /// More pixels than any scan.
    #[error("the picture is {0}×{1} pixels, too large to be a scan or a photo")]
    TooManyPixels(u32, u32),
    /// A PDF without the portal's drawing.
    #[error("the PDF was not made by this portal; send a photo or scan of the printout")]
    ForeignPdf,
    /// Over [`UPLOAD_LIMIT`].
    #[error("the file is larger than 10 MB")]
    TooLarge,
    /// Over [`CHECKS_PER_MINUTE`].
    #[error("too many checks from this address; try again in a minute")]
    TooMany,
    /// No reader became free in time.
    #[error("every reader is busy; try again shortly")]
    Busy,
    /// Our side failed.
    #[error("the service is temporarily unavailable")]
    Internal(#[from] anyhow::Error),
}

/// The page's routes (the API's route is in `api/check.rs`).
pub fn router() -> Router<AppState> {
    Router::new().route("/check", get(form).post(posted))
}

async fn form(ctx: Ctx) -> Html<String> {
    view::page(&ctx, None)
}

async fn posted(State(state): State<AppState>, ctx: Ctx, multipart: Multipart) -> Response {
    let answer = match file_of(multipart).await {
        Ok(bytes) => check_upload(&state, ctx.client, bytes).await,
        Err(error) => Err(error),
    };
    match answer {
        Ok(outcome) => view::page(&ctx, Some(Ok(&outcome))).into_response(),
        Err(error) => {
            let status = error.status();
            if let UploadError::Internal(cause) = &error {
                tracing::error!(error = format!("{cause:#}"), "a printout check failed");
            }
            (status, view::page(&ctx, Some(Err(&error)))).into_response()
        }
    }
}

/// The bytes of the form's `file` field (other fields are ignored).
pub async fn file_of(mut multipart: Multipart) -> Result<Bytes, UploadError> {
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                return field.bytes().await.map_err(|e| multipart_error(e.status()));
            }
            Ok(Some(_)) => {}
            Ok(None) => return Err(UploadError::Empty),
            Err(e) => return Err(multipart_error(e.status())),
        }
    }
}

fn multipart_error(status: StatusCode) -> UploadError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        UploadError::TooLarge
    } else {
        UploadError::NotAPicture("the form data could not be read".to_owned())
    }
}

/// Admits, reads and judges one upload.
pub async fn check_upload(
    state: &AppState,
    client: Option<IpAddr>,
    bytes: Bytes,
) -> Result<Outcome, UploadError> {
    if !state.checks.admit(client, state.clock.unix()) {
        return Err(UploadError::TooMany);
    }
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    let permit = tokio::time::timeout(
        WAIT_FOR_READER,
        Arc::clone(&state.checks.readers).acquire_owned(),
    )
    .await
    .map_err(|_| UploadError::Busy)?
    .map_err(|_| UploadError::Busy)?;
    let read = tokio::task::spawn_blocking(move || {
        let read = read(&bytes);
        drop(permit);
        read
    })
    .await
    .map_err(|e| UploadError::Internal(anyhow::anyhow!("the reading task failed: {e}")))??;
    match read {
        Read::Code {
            text,
            source,
            plain,
            measure,
        } => {
            let judgement = check_code(&state.db, &state.key, &state.clock, text).await?;
            let advice = advice(
                measure.map(|m| m.module_pixels),
                measure.map(|m| m.blur),
                measure.map(|m| m.contrast),
                plain,
            );
            Ok(Outcome {
                judgement,
                picture: PictureReport {
                    source,
                    read: true,
                    measure,
                    advice,
                },
            })
        }
        Read::Unreadable { source, why } => Ok(Outcome {
            judgement: Judgement::unreadable(why),
            picture: PictureReport {
                source,
                read: false,
                measure: None,
                advice: vec![Advice::Unreadable],
            },
        }),
    }
}

/// What the pipeline made of the bytes.
enum Read {
    Code {
        text: String,
        source: Source,
        plain: bool,
        measure: Option<scan::Measure>,
    },
    Unreadable {
        source: Source,
        why: String,
    },
}

/// Reads the code in picture or PDF bytes with the kiosk's pipeline and budgets (blocking).
fn read(bytes: &[u8]) -> Result<Read, UploadError> {
    let pipeline = scan::Pipeline::default();
    let (source, scanned) = if is_pdf(bytes) {
        let owned = bytes.to_vec();
        let painted = scan::guarded(&scan::IMAGE_SLOT, "pdf-read", pipeline.budget, move || {
            paint_codes(&owned)
        });
        let page = match painted {
            scan::Guarded::Done(Ok(page)) => Arc::new(page),
            scan::Guarded::Done(Err(PdfReadError::NotPdf)) => {
                return Err(UploadError::NotAPicture("a damaged PDF".to_owned()));
            }
            scan::Guarded::Done(Err(PdfReadError::TooLarge)) => return Err(UploadError::TooLarge),
            _ => return Err(UploadError::ForeignPdf),
        };
        let scanned = pipeline
            .scan_shared(Arc::clone(&page), pipeline.budget)
            .map(|scan| (scan, page));
        (Source::Pdf, scanned)
    } else {
        (Source::Picture, pipeline.scan_bytes_kept(bytes))
    };
    match scanned {
        Ok((scan, gray)) => {
            let text = scan.texts.into_iter().next().unwrap_or_default();
            let plain = ["stretched", "blurred", "threshold", "inverted"]
                .iter()
                .all(|retry| !scan.variant.contains(retry));
            let measure = scan::measure(&gray, &text, MEASURE_BUDGET);
            Ok(Read::Code {
                text,
                source,
                plain,
                measure,
            })
        }
        Err(scan::ScanError::Empty) => Err(UploadError::Empty),
        Err(scan::ScanError::TooLarge { width, height }) => {
            Err(UploadError::TooManyPixels(width, height))
        }
        Err(scan::ScanError::NotAPicture(why)) => Err(UploadError::NotAPicture(why)),
        Err(scan::ScanError::Io(why)) => Err(UploadError::NotAPicture(why)),
        Err(_) if source == Source::Pdf => Err(UploadError::ForeignPdf),
        Err(error) => Ok(Read::Unreadable {
            source,
            why: error.to_string(),
        }),
    }
}

impl Default for CheckGate {
    fn default() -> Self {
        Self {
            counts: Mutex::new(HashMap::new()),
            readers: Arc::new(Semaphore::new(READERS)),
        }
    }
}

impl CheckGate {
    /// Counts a check from `client` at `now` (Unix seconds); `false` when the address has used
    /// up its [`CHECKS_PER_MINUTE`]. Clients without a known address share one count.
    pub fn admit(&self, client: Option<IpAddr>, now: i64) -> bool {
        let Ok(mut counts) = self.counts.lock() else {
            return false;
        };
        if counts.len() > 100_000 {
            counts.retain(|_, (_, since)| now - *since < 60);
        }
        let entry = counts.entry(client).or_insert((0, now));
        if now - entry.1 >= 60 {
            *entry = (0, now);
        }
        entry.0 += 1;
        entry.0 <= CHECKS_PER_MINUTE
    }
}

impl UploadError {
    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Empty | Self::NotAPicture(_) | Self::TooManyPixels(..) | Self::ForeignPdf => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooMany => StatusCode::TOO_MANY_REQUESTS,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The page's words for it.
    pub fn msg(&self) -> PrintoutCheck {
        match self {
            Self::Empty => PrintoutCheck::ErrorEmpty,
            Self::NotAPicture(_) => PrintoutCheck::ErrorNotAPicture,
            Self::TooManyPixels(..) => PrintoutCheck::ErrorTooManyPixels,
            Self::ForeignPdf => PrintoutCheck::ErrorForeignPdf,
            Self::TooLarge => PrintoutCheck::ErrorTooLarge,
            Self::TooMany => PrintoutCheck::ErrorTooMany,
            Self::Busy | Self::Internal(_) => PrintoutCheck::ErrorBusy,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_checks_per_minute_and_then_waits_for_the_next_minute() {
        let gate = CheckGate::default();
        let a = Some(IpAddr::from([192, 0, 2, 1]));
        let b = Some(IpAddr::from([192, 0, 2, 2]));
        for _ in 0..CHECKS_PER_MINUTE {
            assert!(gate.admit(a, 1000));
        }
        assert!(!gate.admit(a, 1030));
        assert!(gate.admit(b, 1030), "another address is counted apart");
        assert!(gate.admit(a, 1060), "a new minute starts a new count");
    }
}
