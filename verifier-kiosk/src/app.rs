//! The kiosk window (egui/eframe): an enum of screens, each drawn by the `ui` function of its own
//! module, over a worker thread that reads pictures, decides and records.
//!
//! Input reaches the same pipeline from everywhere (`input.rs`): a keyboard-wedge QR scanner or
//! passport reader types into the window with no field focused (captured from the key events,
//! Enter submits), an image file is opened, dropped on the window, or appears in the watched
//! scanner folder. Every word on screen comes from the catalogue in `i18n.rs`.

mod bundle;
mod frame;
mod input;
mod open_file;
mod reading;
mod scan;
mod settings;
mod verdict;

use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use shared::PassportMrz;
use time::OffsetDateTime;

use crate::config::{KioskArgs, Settings};
use crate::decision::Decision;
use crate::i18n::{Language, Msg, ZoneProblem, tr};
use crate::kiosk::{Direction, Kiosk};
use crate::ledger::Ledger;
use crate::worker::{Clock, Job, ScannerWatch, Source, Worker};

pub use input::MAX_WEDGE_BYTES;

/// The screens of the window, each with the state only it has: the verdict lives in the verdict
/// screen, so no verdict can be "shown" behind the scan screen.
#[derive(Debug)]
pub enum Screen {
    /// Waiting for a code: instructions, open/drop, manual entry.
    Scan,
    /// A picture or code is being read and judged.
    Reading,
    /// The verdict for the last code.
    Verdict(Shown),
    /// The settings and status panel, over the verdict to return to, if one was showing.
    Settings(Option<Shown>),
    /// Choosing an image file.
    OpenFile,
}

/// The verdict on screen, with what is needed to record the crossing.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The decision (already in the ledger).
    pub decision: Decision,
    /// The code text, to record the movement or re-check with a passport.
    pub text: Option<String>,
    /// How long reading and deciding took.
    pub elapsed: Duration,
}

/// The window's state.
#[derive(Debug)]
pub struct KioskApp {
    settings: Settings,
    lang: Language,
    direction: Direction,
    screen: Screen,
    worker: Worker,
    /// Starts a worker over a kiosk with this window's clock and repaint, after a bundle import.
    respawn: Respawn,
    /// The job whose answer the window waits for.
    pending: Option<u64>,
    /// What a keyboard-wedge device has typed since its last Enter.
    wedge: String,
    /// The first line of a passport zone, waiting for the second.
    mrz_first_line: Option<String>,
    /// The passport read for this traveller.
    passport: Option<PassportMrz>,
    /// Why the last passport zone was refused.
    passport_error: Option<ZoneProblem>,
    /// The manual entry field.
    manual: String,
    watch: Option<ScannerWatch>,
    last_watch_poll: f64,
    camera: Option<Receiver<Result<String, String>>>,
    picker: open_file::Picker,
    trust: bundle::Trust,
    /// Why the kiosk cannot work as configured, for the status line.
    problem: Option<Msg>,
    styled: bool,
}

/// Opens the kiosk window with settings from flags, environment and config file.
pub fn run(args: &KioskArgs) -> ExitCode {
    let settings = match Settings::resolve(args) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("verifier-kiosk: {error:#}");
            return ExitCode::from(crate::cli::EXIT_USAGE);
        }
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([900.0, 600.0])
            .with_title(tr(settings.language, Msg::Title)),
        ..Default::default()
    };
    let result = eframe::run_native(
        "verifier-kiosk",
        options,
        Box::new(move |cc| {
            let kiosk = open_kiosk(&settings);
            let ctx = cc.egui_ctx.clone();
            let app = KioskApp::new(settings, kiosk, OffsetDateTime::now_utc, move || {
                ctx.request_repaint()
            });
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("verifier-kiosk: the window could not open: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Loads the trust directory and opens the ledger the settings name.
pub fn open_kiosk(settings: &Settings) -> Result<Kiosk, String> {
    let trust = crate::trust::load(&settings.trust_dir).map_err(|e| format!("{e:#}"))?;
    let ledger = Ledger::open(&settings.ledger_path, &settings.kiosk_id)
        .map_err(|e| format!("{}: {e}", settings.ledger_path.display()))?;
    let pipeline = crate::cli::pipeline(settings.scan_budget.as_secs_f64());
    let kiosk = Kiosk::new(settings.port, trust.store, ledger).with_pipeline(pipeline);
    Ok(match trust.bundle {
        Some(bundle) => kiosk.with_bundle(bundle, shared::bundle::FreshnessPolicy::default()),
        None => kiosk,
    })
}

impl eframe::App for KioskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui(ui);
    }
}

impl Screen {
    /// The verdict on screen, or waiting behind the settings.
    pub fn shown(&self) -> Option<&Shown> {
        match self {
            Self::Verdict(shown) | Self::Settings(Some(shown)) => Some(shown),
            Self::Scan | Self::Reading | Self::Settings(None) | Self::OpenFile => None,
        }
    }
}

impl KioskApp {
    /// A window over `kiosk` (or the reason it is not ready), deciding with `clock`; `repaint`
    /// wakes the window when the worker has an answer.
    pub fn new(
        settings: Settings,
        kiosk: Result<Kiosk, String>,
        clock: Clock,
        repaint: impl Fn() + Send + Clone + 'static,
    ) -> Self {
        let trust = bundle::Trust::of(&kiosk);
        let not_ready = kiosk.as_ref().err().map(|detail| Msg::NotReady {
            detail: detail.clone(),
        });
        let watch = settings.scanner_dir.as_deref().map(ScannerWatch::new);
        let (camera, camera_problem) =
            input::start_camera(settings.camera.as_deref(), repaint.clone());
        Self {
            lang: settings.language,
            direction: Direction::Entry,
            screen: Screen::Scan,
            respawn: Respawn::new(clock, repaint.clone()),
            worker: Worker::spawn(kiosk, clock, repaint),
            pending: None,
            wedge: String::new(),
            mrz_first_line: None,
            passport: None,
            passport_error: None,
            manual: String::new(),
            watch,
            last_watch_poll: f64::NEG_INFINITY,
            camera,
            picker: open_file::Picker::new(settings.scanner_dir.as_deref()),
            trust,
            problem: not_ready.or(camera_problem),
            styled: false,
            settings,
        }
    }

    /// The screen showing.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The verdict showing, or waiting behind the settings, if any.
    pub fn shown(&self) -> Option<&Shown> {
        self.screen.shown()
    }

    /// Reads a picture file, as if opened or dropped.
    pub fn open_path(&mut self, path: &Path) {
        self.picker.remember(path);
        self.submit(Source::File(path.to_owned()), false);
    }

    /// Draws the whole window; called every frame.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if !self.styled {
            frame::style(ui.ctx());
            self.styled = true;
        }
        self.receive();
        self.capture_keyboard(ui);
        self.take_dropped_files(ui);
        self.poll_scanner_folder(ui);
        self.poll_camera();

        egui::Panel::top("top").show(ui, |ui| frame::top_bar(self, ui));
        egui::Panel::bottom("status").show(ui, |ui| frame::status_bar(self, ui));
        egui::CentralPanel::default().show(ui, |ui| match self.screen {
            Screen::Scan => scan::ui(self, ui),
            Screen::Reading => reading::ui(self, ui),
            Screen::Verdict(_) => verdict::ui(self, ui),
            Screen::Settings(_) => settings::ui(self, ui),
            Screen::OpenFile => open_file::ui(self, ui),
        });
    }

    fn receive(&mut self) {
        while let Some(reply) = self.worker.poll() {
            if Some(reply.id) != self.pending {
                continue;
            }
            self.pending = None;
            self.screen = Screen::Verdict(Shown {
                decision: reply.decision,
                text: reply.text,
                elapsed: reply.elapsed,
            });
        }
    }

    fn submit(&mut self, source: Source, record: bool) {
        let job = Job {
            source,
            direction: self.direction,
            passport: self.passport.clone(),
            record,
        };
        self.pending = Some(self.worker.submit(job));
        self.screen = Screen::Reading;
    }

    /// Clears the verdict and the passport for the next traveller.
    fn next_traveller(&mut self) {
        self.passport = None;
        self.passport_error = None;
        self.mrz_first_line = None;
        self.screen = Screen::Scan;
    }

    /// Opens the settings over the current screen; a verdict showing waits behind them.
    fn open_settings(&mut self) {
        self.screen = match std::mem::replace(&mut self.screen, Screen::Scan) {
            Screen::Verdict(shown) => Screen::Settings(Some(shown)),
            Screen::Settings(back) => Screen::Settings(back),
            Screen::Scan | Screen::Reading | Screen::OpenFile => Screen::Settings(None),
        };
    }

    /// Leaves the settings for the verdict they were opened over, or the scan screen.
    fn close_settings(&mut self) {
        self.screen = match std::mem::replace(&mut self.screen, Screen::Scan) {
            Screen::Settings(Some(shown)) => Screen::Verdict(shown),
            Screen::Settings(None) => Screen::Scan,
            other => other,
        };
    }
}

/// Makes workers with the window's clock and repaint callback.
struct Respawn(Box<dyn Fn(Result<Kiosk, String>) -> Worker>);

impl Respawn {
    fn new(clock: Clock, repaint: impl Fn() + Send + Clone + 'static) -> Self {
        Self(Box::new(move |kiosk| {
            Worker::spawn(kiosk, clock, repaint.clone())
        }))
    }

    fn spawn(&self, kiosk: Result<Kiosk, String>) -> Worker {
        (self.0)(kiosk)
    }
}

impl std::fmt::Debug for Respawn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Respawn")
    }
}
