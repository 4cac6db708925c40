//! The kiosk window (egui/eframe): one screen at a time, each drawn by its own function, over a
//! worker thread that reads pictures, decides and records.
//!
//! Input reaches the same pipeline from everywhere: a keyboard-wedge QR scanner or passport reader
//! types into the window with no field focused (captured from the key events, Enter submits), an
//! image file is opened, dropped on the window, or appears in the watched scanner folder.

mod settings;
mod verdict;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use egui::{Color32, RichText};
use shared::PassportMrz;
use time::OffsetDateTime;

use crate::config::{KioskArgs, Settings};
use crate::decision::{Decision, Verdict};
use crate::i18n::{Language, tr};
use crate::kiosk::{Direction, Kiosk};
use crate::ledger::Ledger;
use crate::worker::{Clock, Job, ScannerWatch, Source, Worker, is_picture};

/// The longest line the keyboard-wedge buffer keeps (an e-visa code is under 1 000 characters).
pub const MAX_WEDGE_BYTES: usize = 8 * 1024;

/// The screens of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Waiting for a code: instructions, open/drop, manual entry.
    Scan,
    /// A picture is being read.
    Reading,
    /// The verdict for the last code.
    Verdict,
    /// The settings and status panel.
    Settings,
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
    pending: Option<u64>,
    shown: Option<Shown>,
    wedge: String,
    mrz_first_line: Option<String>,
    passport: Option<PassportMrz>,
    passport_error: Option<String>,
    manual: String,
    watch: Option<ScannerWatch>,
    last_watch_poll: f64,
    recent: Vec<PathBuf>,
    picker_dir: PathBuf,
    picker_path: String,
    kiosk_status: String,
    trusted_keys: usize,
    bundle: Option<String>,
    /// The bundle file path typed on the settings screen.
    bundle_path: String,
    /// What the last bundle import said.
    bundle_status: Option<(bool, String)>,
    /// Starts a worker over a kiosk with this window's clock and repaint, after a bundle import.
    respawn: Respawn,
    camera: Option<Receiver<Result<String, String>>>,
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
            .with_title("Kazakhstan e-visa kiosk"),
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

impl KioskApp {
    /// A window over `kiosk` (or the reason it is not ready), deciding with `clock`; `repaint`
    /// wakes the window when the worker has an answer.
    pub fn new(
        settings: Settings,
        kiosk: Result<Kiosk, String>,
        clock: Clock,
        repaint: impl Fn() + Send + Clone + 'static,
    ) -> Self {
        let (kiosk_status, trusted_keys, bundle) = match &kiosk {
            Ok(kiosk) => (
                String::new(),
                kiosk.trusted_keys(),
                kiosk.bundle().map(|b| {
                    format!(
                        "#{} · {}",
                        b.sequence(),
                        crate::ledger::rfc3339_utc(b.created_at())
                    )
                }),
            ),
            Err(problem) => (problem.clone(), 0, None),
        };
        let watch = settings.scanner_dir.as_deref().map(ScannerWatch::new);
        let (camera, camera_status) = start_camera(settings.camera.as_deref(), repaint.clone());
        let kiosk_status = if kiosk_status.is_empty() {
            camera_status
        } else {
            kiosk_status
        };
        let picker_dir = settings
            .scanner_dir
            .clone()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        Self {
            lang: settings.language,
            settings,
            direction: Direction::Entry,
            screen: Screen::Scan,
            respawn: Respawn::new(clock, repaint.clone()),
            worker: Worker::spawn(kiosk, clock, repaint),
            pending: None,
            shown: None,
            wedge: String::new(),
            mrz_first_line: None,
            passport: None,
            passport_error: None,
            manual: String::new(),
            watch,
            last_watch_poll: f64::NEG_INFINITY,
            recent: Vec::new(),
            picker_path: String::new(),
            picker_dir,
            kiosk_status,
            trusted_keys,
            bundle,
            bundle_path: String::new(),
            bundle_status: None,
            camera,
            styled: false,
        }
    }

    /// The screen showing.
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// The verdict showing, if any.
    pub fn shown(&self) -> Option<&Shown> {
        self.shown.as_ref()
    }

    /// Reads a picture file, as if opened or dropped.
    pub fn open_path(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_owned());
        self.recent.truncate(8);
        self.submit(Source::File(path.to_owned()), false);
    }

    /// Draws the whole window; called every frame.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if !self.styled {
            style(ui.ctx());
            self.styled = true;
        }
        self.receive();
        self.capture_keyboard(ui);
        self.take_dropped_files(ui);
        self.poll_scanner_folder(ui);
        self.poll_camera();

        egui::Panel::top("top").show(ui, |ui| self.top_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        egui::CentralPanel::default().show(ui, |ui| match self.screen {
            Screen::Scan => self.scan_screen(ui),
            Screen::Reading => self.reading_screen(ui),
            Screen::Verdict => self.verdict_screen(ui),
            Screen::Settings => self.settings_screen(ui),
            Screen::OpenFile => self.open_file_screen(ui),
        });
    }

    fn receive(&mut self) {
        while let Some(reply) = self.worker.poll() {
            if Some(reply.id) != self.pending {
                continue;
            }
            self.pending = None;
            self.shown = Some(Shown {
                decision: reply.decision,
                text: reply.text,
                elapsed: reply.elapsed,
            });
            self.screen = Screen::Verdict;
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

    /// Keyboard-wedge scanners and passport readers type like a keyboard; when no text field has
    /// the focus, every typed character goes to the wedge buffer and Enter submits it.
    fn capture_keyboard(&mut self, ui: &egui::Ui) {
        if ui.ctx().text_edit_focused() {
            return;
        }
        let events = ui.input(|i| i.events.clone());
        for event in events {
            match event {
                egui::Event::Text(text) | egui::Event::Paste(text) => {
                    for line in text.split_inclusive(['\n', '\r']) {
                        let ended = line.ends_with(['\n', '\r']);
                        // A stuck key or a device typing without end must not grow the buffer
                        // forever; no code or zone is anywhere near this long.
                        if self.wedge.len() < MAX_WEDGE_BYTES {
                            self.wedge.push_str(line.trim_end_matches(['\n', '\r']));
                        }
                        if ended {
                            self.submit_wedge();
                        }
                    }
                }
                egui::Event::Key {
                    key: egui::Key::Enter,
                    pressed: true,
                    ..
                } => self.submit_wedge(),
                egui::Event::Key {
                    key: egui::Key::Escape,
                    pressed: true,
                    ..
                } => {
                    self.wedge.clear();
                    self.mrz_first_line = None;
                }
                // Function keys, so an officer with a passport in one hand needs no mouse.
                egui::Event::Key {
                    key: egui::Key::F2,
                    pressed: true,
                    ..
                } => self.record_shown(),
                egui::Event::Key {
                    key: egui::Key::F4,
                    pressed: true,
                    ..
                } => self.next_traveller(),
                egui::Event::Key {
                    key: egui::Key::F10,
                    pressed: true,
                    ..
                } => {
                    self.screen = match self.screen {
                        Screen::Settings if self.shown.is_some() => Screen::Verdict,
                        Screen::Settings => Screen::Scan,
                        _ => Screen::Settings,
                    };
                }
                _ => {}
            }
        }
    }

    /// Whether the verdict on screen allows recording the crossing.
    fn can_record(&self) -> bool {
        self.shown.as_ref().is_some_and(|shown| {
            let d = &shown.decision;
            d.recorded.is_none()
                && shown.text.is_some()
                && (d.verdict == Verdict::Valid
                    || (self.direction == Direction::Exit && d.reason == "overstay"))
        })
    }

    /// Records the entry or exit of the traveller on screen, if the verdict allows it.
    fn record_shown(&mut self) {
        if self.screen != Screen::Verdict || !self.can_record() {
            return;
        }
        if let Some(text) = self.shown.as_ref().and_then(|s| s.text.clone()) {
            self.submit(Source::Text(text), true);
        }
    }

    /// Clears the verdict and the passport for the next traveller.
    fn next_traveller(&mut self) {
        self.shown = None;
        self.passport = None;
        self.passport_error = None;
        self.mrz_first_line = None;
        self.screen = Screen::Scan;
    }

    fn submit_wedge(&mut self) {
        let line = std::mem::take(&mut self.wedge);
        self.submit_line(&line);
    }

    /// One line from a scanner, a reader or the manual field: a visa code, or one or both lines
    /// of a passport zone (a reader types the two lines with an Enter after each).
    fn submit_line(&mut self, line: &str) {
        if line.trim().is_empty() {
            return;
        }
        let compact: String = line.split_whitespace().collect();
        let mrz = if let Some(first) = self.mrz_first_line.take() {
            Some(format!("{first}\n{compact}"))
        } else if compact.len() == 88 && compact.starts_with('P') {
            Some(compact)
        } else if compact.len() == 44 && compact.starts_with('P') {
            self.mrz_first_line = Some(compact);
            return;
        } else {
            None
        };
        match mrz {
            Some(zone) => self.take_passport(&zone),
            None => self.submit(Source::Text(line.to_owned()), false),
        }
    }

    fn take_passport(&mut self, zone: &str) {
        match PassportMrz::parse(zone) {
            Ok(mrz) => {
                self.passport = Some(mrz);
                self.passport_error = None;
                // A visa already on screen is checked again with the passport.
                if let Some(text) = self.shown.as_ref().and_then(|s| s.text.clone()) {
                    self.submit(Source::Text(text), false);
                }
            }
            Err(error) => self.passport_error = Some(error.to_string()),
        }
    }

    fn take_dropped_files(&mut self, ui: &egui::Ui) {
        let dropped = ui.input(|i| i.raw.dropped_files.clone());
        if let Some(file) = dropped.iter().find(|f| is_picture(f.path())) {
            self.open_path(file.path());
        }
    }

    fn poll_scanner_folder(&mut self, ui: &egui::Ui) {
        if self.watch.is_none() {
            return;
        }
        let now = ui.input(|i| i.time);
        let since = now - self.last_watch_poll;
        if since < 1.0 {
            // Any frame in between must keep the next poll scheduled, or the chain of wake-ups
            // breaks and new scans wait for the next mouse move.
            ui.ctx()
                .request_repaint_after(Duration::from_secs_f64((1.0 - since).max(0.05)));
            return;
        }
        self.last_watch_poll = now;
        ui.ctx().request_repaint_after(Duration::from_secs(1));
        let ready = self
            .watch
            .as_mut()
            .map(ScannerWatch::poll)
            .unwrap_or_default();
        // While a code is being read, a new scan waits for the next poll.
        if self.pending.is_none()
            && let Some(path) = ready.into_iter().last()
        {
            self.open_path(&path);
        }
    }

    /// Codes the camera thread read: each one is judged like a wedge scan, unless a picture is
    /// being read or the same code is already on screen.
    fn poll_camera(&mut self) {
        let Some(camera) = &self.camera else { return };
        let mut found = None;
        while let Ok(message) = camera.try_recv() {
            match message {
                Ok(text) => found = Some(text),
                Err(problem) => self.kiosk_status = problem,
            }
        }
        let showing = self.shown.as_ref().and_then(|s| s.text.as_deref());
        if let Some(text) = found
            && self.pending.is_none()
            && showing != Some(text.as_str())
        {
            self.submit(Source::Text(text), false);
        }
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            // Title above the kiosk's identity, so the Kazakh and Russian titles leave room for
            // the controls on the right.
            ui.vertical(|ui| {
                ui.heading(tr(self.lang, "title"));
                ui.label(
                    RichText::new(format!(
                        "{} · {}",
                        self.settings.kiosk_id,
                        self.settings.port.airport()
                    ))
                    .size(15.0),
                );
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(tr(self.lang, "settings")).clicked() {
                    self.screen = Screen::Settings;
                }
                ui.separator();
                for lang in Language::ALL.into_iter().rev() {
                    ui.selectable_value(&mut self.lang, lang, lang.label());
                }
                ui.separator();
                ui.selectable_value(&mut self.direction, Direction::Exit, tr(self.lang, "exit"));
                ui.selectable_value(
                    &mut self.direction,
                    Direction::Entry,
                    tr(self.lang, "entry"),
                );
                ui.label(tr(self.lang, "direction"));
            });
        });
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if self.kiosk_status.is_empty() {
                ui.label(RichText::new(tr(self.lang, "ready")).color(Color32::DARK_GREEN));
            } else {
                ui.label(RichText::new(&self.kiosk_status).color(Color32::RED));
            }
            if let Some(dir) = &self.settings.scanner_dir {
                ui.separator();
                ui.label(format!(
                    "{}: {}",
                    tr(self.lang, "scanner_dir"),
                    dir.display()
                ));
            }
            if let Some(passport) = &self.passport {
                ui.separator();
                ui.label(format!(
                    "MRZ: {} {} · {}",
                    passport.surname(),
                    passport.given_names(),
                    passport.number()
                ));
            }
            if !self.wedge.is_empty() || self.mrz_first_line.is_some() {
                ui.separator();
                ui.label(format!("[{} …]", self.wedge.chars().count()));
            }
        });
    }

    fn scan_screen(&mut self, ui: &mut egui::Ui) {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.label(
                RichText::new(tr(self.lang, "scan_prompt"))
                    .size(30.0)
                    .strong(),
            );
            ui.add_space(12.0);
            ui.label(RichText::new(tr(self.lang, "drop_hint")).size(20.0));
            ui.add_space(24.0);
            if ui
                .add(egui::Button::new(
                    RichText::new(tr(self.lang, "open_image")).size(24.0),
                ))
                .clicked()
            {
                self.screen = Screen::OpenFile;
            }
            if self.passport.is_some() {
                ui.add_space(12.0);
                ui.label(RichText::new(tr(self.lang, "passport_waiting")).size(22.0));
            }
            if let Some(error) = &self.passport_error {
                ui.label(RichText::new(format!("MRZ: {error}")).color(Color32::RED));
            }
        });
        ui.add_space(40.0);
        ui.separator();
        ui.horizontal(|ui| {
            let label = ui.label(tr(self.lang, "manual_label"));
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.manual)
                    .desired_width(700.0)
                    .font(egui::TextStyle::Monospace),
            );
            let field = field.labelled_by(label.id);
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.button(tr(self.lang, "check")).clicked() || entered {
                let text = std::mem::take(&mut self.manual);
                self.submit_line(&text);
            }
        });
    }

    fn reading_screen(&mut self, ui: &mut egui::Ui) {
        ui.add_space(120.0);
        ui.vertical_centered(|ui| {
            ui.add(egui::Spinner::new().size(64.0));
            ui.label(RichText::new(tr(self.lang, "reading")).size(32.0));
        });
    }
}

/// Starts the camera thread when a device is configured and the `camera` feature is built; the
/// second value is a problem to show on the status line.
fn start_camera(
    device: Option<&Path>,
    wake: impl Fn() + Send + 'static,
) -> (Option<Receiver<Result<String, String>>>, String) {
    let Some(device) = device else {
        return (None, String::new());
    };
    #[cfg(feature = "camera")]
    {
        let (tx, rx) = std::sync::mpsc::channel();
        match crate::camera::spawn(device.to_owned(), tx, wake) {
            Ok(_) => (Some(rx), String::new()),
            Err(error) => (None, format!("camera {}: {error}", device.display())),
        }
    }
    #[cfg(not(feature = "camera"))]
    {
        drop(wake);
        (
            None,
            format!(
                "camera {}: this kiosk was built without the camera feature",
                device.display()
            ),
        )
    }
}

/// A ledger time (RFC 3339, UTC) as the officer reads it: Kazakhstan time, to the minute.
fn kazakhstan_time(at: &str) -> String {
    let parsed = OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339);
    match parsed {
        Ok(t) => {
            let t = t.to_offset(shared::visa::KAZAKHSTAN_OFFSET);
            format!("{} {:02}:{:02} (UTC+5)", t.date(), t.hour(), t.minute())
        }
        Err(_) => at.to_owned(),
    }
}

/// Large, high-contrast text: the officer reads the screen from arm's length, between passports.
fn style(ctx: &egui::Context) {
    ctx.set_visuals(egui::Visuals::light());
    ctx.all_styles_mut(|style| {
        use egui::{FontFamily, FontId, TextStyle};
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(26.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(18.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(20.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(16.0, FontFamily::Monospace),
            ),
            (
                TextStyle::Small,
                FontId::new(14.0, FontFamily::Proportional),
            ),
        ]
        .into();
        style.spacing.button_padding = egui::vec2(14.0, 8.0);
    });
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
