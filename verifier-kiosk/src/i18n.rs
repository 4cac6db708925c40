//! The kiosk's one message catalogue: every word the window shows is a [`Msg`], a typed message
//! id whose Kazakh, Russian and English texts are given together in one exhaustive `match`, so a
//! message without all three languages does not compile. A text that carries a number or a name is
//! a variant with fields. The visa's field labels and value names are the printout's, from
//! `shared::labels` ([`Msg::Field`], [`Msg::Category`]…), so paper and screen say the same words.
//!
//! Here: the languages and the message ids. `texts.rs`: the catalogue itself (the `match`).
//! `codes.rs`: the decision's reason codes and the passport check's field keys, strings today,
//! turned into messages; its tests list every code the kiosk gives.

mod codes;
mod texts;

use std::borrow::Cow;

use shared::labels::{self, Field};
use shared::{Category, Entries, Port};

use crate::decision::Verdict;
use crate::kiosk::Direction;

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// Қазақ тілі.
    Kk,
    /// Русский.
    Ru,
    /// English.
    En,
}

pub use codes::{category, entries, mismatch_field, next_step, reason};

/// A message of the window, in any of the three languages ([`Msg::text`]); the texts are in
/// `i18n/texts.rs`.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    // The frame around every screen.
    /// The window's title.
    Title,
    /// The word beside the entry/exit switch.
    Direction,
    /// Entry or exit, on the switch.
    Crossing(Direction),
    /// The settings button and the settings screen's heading.
    Settings,
    /// Back from the settings.
    Back,
    /// The status line when the kiosk can decide.
    Ready,
    /// The status line when the kiosk cannot decide, with the technical cause.
    NotReady {
        /// What went wrong while loading the trust data or the ledger.
        detail: String,
    },
    /// A configured camera that could not be opened.
    CameraFailed {
        /// The device path.
        device: String,
        /// The system's reason.
        detail: String,
    },
    /// A configured camera on a kiosk built without camera support.
    CameraNotBuilt {
        /// The device path.
        device: String,
    },
    /// The camera thread stopped.
    CameraStopped {
        /// The camera thread's reason.
        detail: String,
    },
    /// The passport read for this traveller, on the status line.
    PassportRead {
        /// The passport's surname.
        surname: String,
        /// The passport's given names.
        given_names: String,
        /// The passport's number.
        number: String,
    },

    // The scan and reading screens.
    /// What to do on the start screen.
    ScanPrompt,
    /// The hint that a picture can be dropped on the window.
    DropHint,
    /// The button that opens the file chooser.
    OpenImage,
    /// The label of the manual entry field.
    ManualLabel,
    /// The button that checks the manual entry.
    Check,
    /// A passport was read before the visa.
    PassportWaiting,
    /// A passport zone that could not be read, and why.
    Zone(ZoneProblem),
    /// While a code is being read.
    Reading,

    // The verdict screen.
    /// The verdict in one word.
    Verdict(Verdict),
    /// The heading of the next step after a CANNOT VERIFY.
    WhatToDo,
    /// The button that records the crossing.
    Record(Direction),
    /// The crossing was recorded with this decision.
    Recorded(Direction),
    /// The button that clears the screen for the next traveller.
    NextTraveller,
    /// A valid visa whose passport was not compared.
    PassportNotChecked,
    /// A valid visa whose passport matched.
    PassportMatches,
    /// Heading of the mismatch table: the field.
    MismatchField,
    /// Heading of the mismatch table: the visa's value.
    OnVisa,
    /// Heading of the mismatch table: the passport's value.
    InPassport,
    /// The holder's name in Latin letters.
    Name,
    /// The holder's name in the native script.
    NativeName,
    /// The passport's expiry date (a passport field, not a visa field).
    PassportExpiry,
    /// When and where a single-entry visa was first used.
    FirstUse {
        /// The time, in Kazakhstan time.
        at: String,
        /// The airport code.
        port: String,
        /// The kiosk that recorded it.
        kiosk_id: String,
    },
    /// Days in the country at exit, against the days permitted.
    DaysStayed {
        /// Days stayed, the days of entry and exit counted.
        days: i64,
        /// Days the visa permits.
        permitted: u16,
    },
    /// How long reading and deciding took.
    Elapsed {
        /// Milliseconds.
        ms: u128,
    },

    // The visa's words, from `shared::labels`.
    /// A visa field's label, as the printout writes it.
    Field(Field),
    /// A visa category, as the printout writes it.
    Category(Category),
    /// A number of entries, as the printout writes it.
    Entries(Entries),
    /// A number of days, in the form the number takes (1 день, 22 дня, 30 дней).
    Days(u64),
    /// An airport's city, as the printout writes it.
    Port(Port),

    // Reasons of a decision, in plain words.
    /// Valid: a genuine visa.
    Genuine,
    /// The signature does not match.
    BadSignature,
    /// The visa has expired.
    Expired,
    /// The visa is not valid yet.
    NotYetValid,
    /// The visa is for the other airport.
    WrongPort,
    /// A single-entry visa already used.
    AlreadyUsed,
    /// The permitted stay was exceeded.
    Overstay,
    /// The passport does not match the visa.
    PassportMismatch,
    /// The visa was revoked.
    Revoked,
    /// The signing key was revoked.
    RevokedKey,
    /// Signed outside the key's certified period.
    OutsideKeyPeriod,
    /// The trust data is too old.
    TrustTooOld,
    /// The kiosk's clock is behind what it has seen.
    ClockSuspicious,
    /// Not an e-visa code, or a damaged one.
    NotAVisa,
    /// The visa's data is invalid.
    InvalidData,
    /// The picture could not be read.
    Unreadable,
    /// Signed with a key this kiosk does not know.
    UnknownKey,
    /// A newer code format.
    UnsupportedVersion,
    /// The kiosk failed on this input.
    KioskFailed,
    /// The decision could not be recorded, or the kiosk is not set up.
    NotRecorded,

    // What to do after a CANNOT VERIFY.
    /// Scan the printout again, flat.
    StepRescan,
    /// Install a newer trust bundle.
    StepNewBundle,
    /// Correct the clock.
    StepFixClock,
    /// Scan again; call the supervisor if it repeats.
    StepScanAgain,
    /// Check the settings and trust directory.
    StepCheckSettings,
    /// Read the passport again.
    StepPassportAgain,
    /// Update the trust data.
    StepUpdateTrust,
    /// Update the kiosk software.
    StepUpdateSoftware,
    /// Check the ledger file and the disk.
    StepCheckLedger,
    /// Call the shift supervisor.
    StepCallSupervisor,

    // The settings screen.
    /// The kiosk's id.
    KioskId,
    /// The kiosk's own key id, from its identity (read out for registration).
    KioskKey,
    /// The airport.
    Airport,
    /// The trust directory.
    TrustDir,
    /// The ledger file.
    LedgerPath,
    /// The watched scanner folder.
    ScannerDir,
    /// The config file.
    ConfigFile,
    /// How many keys are trusted.
    TrustedKeys,
    /// The installed trust bundle.
    TrustBundle,
    /// The time allowed per picture.
    ScanBudget,
    /// A number of seconds.
    Seconds(f64),
    /// A setting that is not set.
    NotSet,
    /// The label of the bundle file field.
    BundleFile,
    /// The button that installs a bundle.
    ImportBundle,
    /// A bundle was installed.
    BundleInstalled {
        /// Its sequence number and date.
        summary: String,
    },
    /// A bundle was refused; the previous one stays.
    BundleRefused {
        /// Why, technically.
        detail: String,
    },

    // The file chooser.
    /// The label of the path field.
    Path,
    /// The button that opens the path.
    Open,
    /// Leave the chooser.
    Cancel,
    /// Go to the parent folder.
    Up,
    /// Recently opened files.
    Recent,
}

/// Why a passport zone typed by a reader was refused, in words an officer can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneProblem {
    /// Not two lines of 44 characters.
    Shape,
    /// A character outside A–Z, 0–9 and `<`.
    Character,
    /// Not a passport's zone.
    NotAPassport,
    /// A check digit does not match.
    CheckDigit,
    /// A date that is no date.
    Date,
    /// The sex field is not F, M or `<`.
    Sex,
    /// Any other refusal.
    Other,
}

impl Language {
    /// All, in the order of the switch.
    pub const ALL: [Self; 3] = [Self::Kk, Self::Ru, Self::En];

    /// Parses `kk`, `ru` or `en` (any case).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "kk" | "kz" | "kaz" => Some(Self::Kk),
            "ru" | "rus" => Some(Self::Ru),
            "en" | "eng" => Some(Self::En),
            _ => None,
        }
    }

    /// The switch's label, the language's own name for itself.
    pub fn label(self) -> &'static str {
        match self {
            Self::Kk => "ҚАЗ",
            Self::Ru => "РУС",
            Self::En => "ENG",
        }
    }
}

impl From<Language> for labels::Language {
    fn from(lang: Language) -> Self {
        match lang {
            Language::Kk => Self::Kk,
            Language::Ru => Self::Ru,
            Language::En => Self::En,
        }
    }
}

/// A message in `lang`.
pub fn tr(lang: Language, msg: Msg) -> Cow<'static, str> {
    msg.text(lang)
}

impl Msg {
    /// The message in `lang`.
    pub fn text(&self, lang: Language) -> Cow<'static, str> {
        let [kk, ru, en] = self.all();
        match lang {
            Language::Kk => kk,
            Language::Ru => ru,
            Language::En => en,
        }
    }
}
