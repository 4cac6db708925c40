//! Everything that reaches the window without a click: keyboard-wedge scanners and passport
//! readers typing, function keys, dropped files, the watched scanner folder and the camera.

use std::path::Path;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use shared::PassportMrz;

use super::{KioskApp, Screen};
use crate::i18n::{Msg, ZoneProblem};
use crate::worker::{ScannerWatch, Source, is_picture};

/// The longest line the keyboard-wedge buffer keeps (an e-visa code is under 1 000 characters).
pub const MAX_WEDGE_BYTES: usize = 8 * 1024;

impl KioskApp {
    /// Keyboard-wedge scanners and passport readers type like a keyboard; when no text field has
    /// the focus, every typed character goes to the wedge buffer and Enter submits it.
    pub(super) fn capture_keyboard(&mut self, ui: &egui::Ui) {
        if ui.ctx().text_edit_focused() {
            return;
        }
        let events = ui.input(|i| i.events.clone());
        for event in events {
            match event {
                egui::Event::Text(text) | egui::Event::Paste(text) => {
                    for line in text.split_inclusive(['\n', '\r']) {
                        let ended = line.ends_with(['\n', '\r']);
                        self.type_into_wedge(line.trim_end_matches(['\n', '\r']));
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
                    if matches!(self.screen, Screen::Settings(_)) {
                        self.close_settings();
                    } else {
                        self.open_settings();
                    }
                }
                _ => {}
            }
        }
    }

    /// Adds typed characters to the wedge buffer, up to [`MAX_WEDGE_BYTES`]: a stuck key or a
    /// device typing without end must not grow the buffer forever, and no code or zone is
    /// anywhere near this long.
    fn type_into_wedge(&mut self, text: &str) {
        let room = MAX_WEDGE_BYTES.saturating_sub(self.wedge.len());
        let mut end = room.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        self.wedge.push_str(&text[..end]);
    }

    fn submit_wedge(&mut self) {
        let line = std::mem::take(&mut self.wedge);
        self.submit_line(&line);
    }

    /// One line from a scanner, a reader or the manual field: a visa code, or one or both lines
    /// of a passport zone (a reader types the two lines with an Enter after each).
    pub(super) fn submit_line(&mut self, line: &str) {
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
                // A visa on screen (or behind the settings) is checked again with the passport.
                if let Some(text) = self.shown().and_then(|s| s.text.clone()) {
                    self.submit(Source::Text(text), false);
                }
            }
            Err(error) => self.passport_error = Some(ZoneProblem::from(&error)),
        }
    }

    pub(super) fn take_dropped_files(&mut self, ui: &egui::Ui) {
        let dropped = ui.input(|i| i.raw.dropped_files.clone());
        if let Some(file) = dropped.iter().find(|f| is_picture(f.path())) {
            self.open_path(file.path());
        }
    }

    pub(super) fn poll_scanner_folder(&mut self, ui: &egui::Ui) {
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
    pub(super) fn poll_camera(&mut self) {
        let Some(camera) = &self.camera else { return };
        let mut found = None;
        while let Ok(message) = camera.try_recv() {
            match message {
                Ok(text) => found = Some(text),
                Err(detail) => self.problem = Some(Msg::CameraStopped { detail }),
            }
        }
        let showing = self.shown().and_then(|s| s.text.as_deref());
        if let Some(text) = found
            && self.pending.is_none()
            && showing != Some(text.as_str())
        {
            self.submit(Source::Text(text), false);
        }
    }
}

/// Starts the camera thread when a device is configured and the `camera` feature is built; the
/// second value is a problem to show on the status line.
pub(super) fn start_camera(
    device: Option<&Path>,
    wake: impl Fn() + Send + 'static,
) -> (Option<Receiver<Result<String, String>>>, Option<Msg>) {
    let Some(device) = device else {
        return (None, None);
    };
    #[cfg(feature = "camera")]
    {
        let (tx, rx) = std::sync::mpsc::channel();
        match crate::camera::spawn(device.to_owned(), tx, wake) {
            Ok(_) => (Some(rx), None),
            Err(error) => (
                None,
                Some(Msg::CameraFailed {
                    device: device.display().to_string(),
                    detail: error.to_string(),
                }),
            ),
        }
    }
    #[cfg(not(feature = "camera"))]
    {
        drop(wake);
        (
            None,
            Some(Msg::CameraNotBuilt {
                device: device.display().to_string(),
            }),
        )
    }
}
