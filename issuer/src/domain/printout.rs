//! The printout check: what a kiosk at either airport would say of a code today, judged with the
//! trust the kiosks get from this issuer (its keys, or the root-certified keys and the contents of
//! the next trust bundle: revocations and used single-entry visas), and whether the picture it
//! was read from is good enough. Pure: the code's text, the trust and `now` come in, a
//! [`Judgement`] goes out; the signature is checked by `shared::verify`, the revocations and
//! certificates by `shared::bundle::BundleContents::check`, the dates and ports by
//! `VerifiedVisa::check_entry`: the kiosk's own checks, not a second implementation.

use shared::bundle::{BundleContents, KeyCertificate, Revocation, TrustRefusal, UsedEntry};
use shared::{FailureKind, Kid, Port, TrustStore, VerifiedVisa, VisaDraft, kazakhstan_date};
use time::{Date, OffsetDateTime};

/// The keys a kiosk would verify with.
#[derive(Debug, Clone)]
pub enum Anchors {
    /// Issuer keys trusted directly (a kiosk given the issuer's public keys).
    Keys(TrustStore),
    /// Root-certified issuer keys (a kiosk running on trust bundles).
    Certified(Vec<KeyCertificate>),
}

/// What the issuer knows that the next trust bundle will carry.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Revoked visas.
    pub revoked_visas: Vec<Revocation>,
    /// Revoked signing keys.
    pub revoked_keys: Vec<Kid>,
    /// The first recorded entry on each used single-entry visa.
    pub used_entries: Vec<UsedEntry>,
}

/// The kiosk's three verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Genuine, trusted, not revoked, and it allows entry today at one airport at least.
    Valid,
    /// Refused: forged, altered, revoked, expired, not yet valid, already used.
    Invalid,
    /// Not decidable: no readable code, an unknown key, an unknown format.
    CannotVerify,
}

/// Whether the visa's dates contain today (Kazakhstan time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validity {
    /// First day.
    pub valid_from: Date,
    /// Last day (valid to its end in Kazakhstan).
    pub valid_until: Date,
    /// Today in Kazakhstan.
    pub today: Date,
    /// Whether today is between the two, both included.
    pub inside: bool,
}

/// Whether a kiosk at one airport would let the holder in today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtPort {
    /// The airport.
    pub port: Port,
    /// `ok`, or the kiosk's reason code for refusing entry there.
    pub reason: &'static str,
}

/// The answer for one code.
#[derive(Debug, Clone)]
pub struct Judgement {
    /// The verdict.
    pub verdict: Verdict,
    /// The kiosk's reason code (`ok`, `bad_signature`, `revoked`, `expired`, …).
    pub reason: &'static str,
    /// The reason in plain English, for logs and API clients.
    pub message: String,
    /// Whether the signature verified with a trusted key: `None` when that cannot be said.
    pub genuine: Option<bool>,
    /// The revocation as the issuer knows it, when the visa or its key is revoked.
    pub revoked: Option<String>,
    /// The first recorded entry, when a single-entry visa was used.
    pub used: Option<UsedEntry>,
    /// The dates against today, when the signature verified.
    pub validity: Option<Validity>,
    /// Each airport's entry check today, when the signature verified.
    pub ports: Vec<AtPort>,
    /// The verified visa's data, as printed.
    pub visa: Option<VisaDraft>,
}

/// What was wrong with the picture, besides the code's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advice {
    /// Modules under 3 pixels: printed too small or scanned too coarsely.
    TooSmall,
    /// Modules of 3–4 pixels: read this time, but with little margin.
    Small,
    /// The edges are blurred.
    Blurred,
    /// Dark and light parts are too close.
    LowContrast,
    /// The code was read only after the pipeline's retries (contrast stretch, threshold, …).
    Damaged,
    /// No code could be read at all.
    Unreadable,
    /// The code could be read but not measured (the locator reads fewer pictures).
    NotMeasured,
}

/// Modules narrower than this (in pixels) are too small for the kiosk's scanners to be sure.
pub const MIN_MODULE_PIXELS: f32 = 3.0;
/// Modules at least this wide leave a margin.
pub const GOOD_MODULE_PIXELS: f32 = 4.0;
/// A blur share above this means edges spread over ~0.4 module or more (calibrated on 150-dpi
/// rasters of a printout blurred with a Gaussian: 0.23 at σ = ⅙ module, 0.35 at ⅓, 0.47 at ½).
pub const MAX_BLUR: f32 = 0.40;
/// The least spread of gray levels (5th to 95th percentile) over the code.
pub const MIN_CONTRAST: u8 = 80;

/// Judges a code's text as a kiosk at either airport would at `now`.
pub fn judge(text: &str, anchors: &Anchors, known: &Known, now: OffsetDateTime) -> Judgement {
    let certificates = match anchors {
        Anchors::Certified(certificates) => certificates.clone(),
        Anchors::Keys(_) => Vec::new(),
    };
    let contents = BundleContents::new(
        1,
        now,
        certificates,
        known.revoked_visas.clone(),
        known.revoked_keys.clone(),
        known.used_entries.clone(),
    );
    let contents = match contents {
        Ok(contents) => contents,
        Err(error) => {
            return refused(
                Verdict::CannotVerify,
                "kiosk_error",
                format!("the trust data is malformed: {error}"),
            );
        }
    };
    let store = match anchors {
        Anchors::Keys(store) => store.clone(),
        Anchors::Certified(_) => contents.trust_store(),
    };
    let verified = match shared::verify(text, &store) {
        Ok(verified) => verified,
        Err(error) => {
            let verdict = match error.kind() {
                FailureKind::Invalid => Verdict::Invalid,
                FailureKind::CannotVerify => Verdict::CannotVerify,
            };
            let mut judgement = refused(verdict, error.code(), error.to_string());
            judgement.genuine = match verdict {
                Verdict::Invalid => Some(false),
                _ => None,
            };
            return judgement;
        }
    };
    let trust = match anchors {
        Anchors::Certified(_) => contents.check(&verified).err(),
        Anchors::Keys(_) => contents.revocation(&verified),
    };
    let mut judgement = genuine(&verified, now);
    match trust {
        Some(refusal @ TrustRefusal::NotCertified(_)) => {
            judgement.verdict = Verdict::CannotVerify;
            judgement.genuine = None;
            judgement.reason = refusal.code();
            judgement.message = refusal.to_string();
            return judgement;
        }
        Some(refusal) => {
            if matches!(
                refusal,
                TrustRefusal::RevokedVisa { .. } | TrustRefusal::RevokedKey(_)
            ) {
                judgement.revoked = Some(refusal.to_string());
            }
            judgement.refuse(refusal.code(), refusal.to_string());
        }
        None => {}
    }
    let used = contents.first_use(verified.number()).cloned();
    if let Some(used) = &used {
        let allowed = usize::try_from(verified.entries().count()).unwrap_or(1);
        if allowed <= 1 {
            judgement.refuse(
                "already_used",
                format!(
                    "the visa was already used: entry recorded at {} ({})",
                    used.port, used.kiosk_id
                ),
            );
        }
    }
    judgement.used = used;
    let allowed: Vec<&AtPort> = judgement
        .ports
        .iter()
        .filter(|p| p.reason == "ok")
        .collect();
    if allowed.is_empty() {
        let reason = judgement
            .ports
            .iter()
            .map(|p| p.reason)
            .find(|r| *r != "wrong_port")
            .unwrap_or("wrong_port");
        let message = match reason {
            "expired" => format!("the visa expired: valid until {}", verified.valid_until()),
            "not_yet_valid" => format!("the visa is valid from {}", verified.valid_from()),
            _ => "the visa allows entry at neither airport".to_owned(),
        };
        judgement.refuse(reason, message);
    }
    judgement
}

/// What is wrong with a picture whose code was read: from its module size in pixels, the blur
/// and contrast over the code, and whether the plain reading found it.
pub fn advice(
    module_pixels: Option<f32>,
    blur: Option<f32>,
    contrast: Option<u8>,
    read_plainly: bool,
) -> Vec<Advice> {
    let mut advice = Vec::new();
    match module_pixels {
        Some(m) if m < MIN_MODULE_PIXELS => advice.push(Advice::TooSmall),
        Some(m) if m < GOOD_MODULE_PIXELS => advice.push(Advice::Small),
        Some(_) => {}
        None => advice.push(Advice::NotMeasured),
    }
    if blur.is_some_and(|b| b > MAX_BLUR) {
        advice.push(Advice::Blurred);
    }
    if contrast.is_some_and(|c| c < MIN_CONTRAST) {
        advice.push(Advice::LowContrast);
    }
    if !read_plainly {
        advice.push(Advice::Damaged);
    }
    advice
}

impl Advice {
    /// A stable code for the API.
    pub fn code(self) -> &'static str {
        match self {
            Self::TooSmall => "too_small",
            Self::Small => "small",
            Self::Blurred => "blurred",
            Self::LowContrast => "low_contrast",
            Self::Damaged => "damaged",
            Self::Unreadable => "unreadable",
            Self::NotMeasured => "not_measured",
        }
    }

    /// Whether the picture is still good enough for a kiosk with this advice.
    pub fn is_fatal(self) -> bool {
        matches!(
            self,
            Self::TooSmall | Self::Blurred | Self::LowContrast | Self::Unreadable
        )
    }
}

impl Verdict {
    /// The kiosk's code for it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Invalid => "invalid",
            Self::CannotVerify => "cannot_verify",
        }
    }
}

impl Judgement {
    /// The answer for a picture with no readable code.
    pub fn unreadable(message: String) -> Self {
        refused(Verdict::CannotVerify, "unreadable", message)
    }

    /// Turns a VALID judgement INVALID; an earlier refusal stays the one shown.
    fn refuse(&mut self, reason: &'static str, message: String) {
        if self.verdict == Verdict::Valid {
            self.verdict = Verdict::Invalid;
            self.reason = reason;
            self.message = message;
        }
    }
}

fn refused(verdict: Verdict, reason: &'static str, message: String) -> Judgement {
    Judgement {
        verdict,
        reason,
        message,
        genuine: None,
        revoked: None,
        used: None,
        validity: None,
        ports: Vec::new(),
        visa: None,
    }
}

/// A verified visa's judgement before the trust data and the ledger's memory are applied.
fn genuine(verified: &VerifiedVisa, now: OffsetDateTime) -> Judgement {
    let today = kazakhstan_date(now);
    let ports = [Port::Nqz, Port::Ala]
        .into_iter()
        .map(|port| AtPort {
            port,
            reason: verified
                .check_entry(port, now)
                .err()
                .map_or("ok", |refusal| refusal.code()),
        })
        .collect();
    Judgement {
        verdict: Verdict::Valid,
        reason: "ok",
        message: "genuine e-visa".to_owned(),
        genuine: Some(true),
        revoked: None,
        used: None,
        validity: Some(Validity {
            valid_from: verified.valid_from(),
            valid_until: verified.valid_until(),
            today,
            inside: verified.valid_from() <= today && today <= verified.valid_until(),
        }),
        ports,
        visa: Some(verified.to_draft()),
    }
}
