//! The settings screen (the kiosk's identity, paths and trust data, the trust bundle import) and
//! the open-file screen.

use std::path::PathBuf;

use egui::{Color32, RichText};

use super::{KioskApp, Screen, open_kiosk};
use crate::i18n::tr;
use crate::worker::is_picture;

impl KioskApp {
    pub(super) fn settings_screen(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let none = tr(lang, "none").to_owned();
        let show =
            |p: &Option<PathBuf>| p.as_ref().map_or(none.clone(), |p| p.display().to_string());
        let rows = [
            ("kiosk_id", self.settings.kiosk_id.clone()),
            (
                "port",
                format!(
                    "{} ({})",
                    self.settings.port.code(),
                    self.settings.port.airport()
                ),
            ),
            (
                "kiosk_key",
                self.settings
                    .kiosk_kid
                    .clone()
                    .unwrap_or_else(|| none.clone()),
            ),
            ("trust_dir", self.settings.trust_dir.display().to_string()),
            (
                "ledger_path",
                self.settings.ledger_path.display().to_string(),
            ),
            ("scanner_dir", show(&self.settings.scanner_dir)),
            ("config_file", show(&self.settings.config_file)),
            ("trusted_keys", self.trusted_keys.to_string()),
            (
                "trust_bundle",
                self.bundle.clone().unwrap_or_else(|| none.clone()),
            ),
            (
                "scan_budget",
                format!("{:.1} s", self.settings.scan_budget.as_secs_f64()),
            ),
        ];
        ui.heading(tr(lang, "settings"));
        egui::Grid::new("settings")
            .num_columns(2)
            .spacing([24.0, 8.0])
            .show(ui, |ui| {
                for (key, value) in rows {
                    ui.label(RichText::new(tr(lang, key)).size(20.0));
                    ui.label(RichText::new(value).size(22.0).strong());
                    ui.end_row();
                }
            });
        if !self.kiosk_status.is_empty() {
            ui.label(
                RichText::new(&self.kiosk_status)
                    .color(Color32::RED)
                    .size(20.0),
            );
        }
        ui.add_space(16.0);
        ui.horizontal(|ui| {
            let label = ui.label(RichText::new(tr(lang, "bundle_file")).size(20.0));
            ui.add(egui::TextEdit::singleline(&mut self.bundle_path).desired_width(600.0))
                .labelled_by(label.id);
            if ui.button(tr(lang, "import_bundle")).clicked() {
                self.import_bundle();
            }
        });
        if let Some((installed, message)) = &self.bundle_status {
            let color = if *installed {
                Color32::DARK_GREEN
            } else {
                Color32::RED
            };
            ui.label(RichText::new(message).color(color).size(20.0));
        }
        ui.add_space(16.0);
        if ui.button(tr(lang, "back")).clicked() {
            self.screen = if self.shown.is_some() {
                Screen::Verdict
            } else {
                Screen::Scan
            };
        }
    }

    /// Installs the bundle file named on the settings screen (verified against the root key, only
    /// if newer), then restarts the worker over the new trust. A refused file leaves the installed
    /// bundle and the running worker as they were.
    fn import_bundle(&mut self) {
        let lang = self.lang;
        if self.pending.is_some() {
            return;
        }
        let path = PathBuf::from(self.bundle_path.trim());
        match crate::trust::install_bundle(&self.settings.trust_dir, &path) {
            Ok(bundle) => {
                let kiosk = open_kiosk(&self.settings);
                self.kiosk_status = kiosk.as_ref().err().cloned().unwrap_or_default();
                if let Ok(kiosk) = &kiosk {
                    self.trusted_keys = kiosk.trusted_keys();
                }
                let summary = format!(
                    "#{} · {}",
                    bundle.sequence(),
                    crate::ledger::rfc3339_utc(bundle.created_at())
                );
                self.bundle_status =
                    Some((true, format!("{}: {summary}", tr(lang, "bundle_installed"))));
                self.bundle = Some(summary);
                self.worker = self.respawn.spawn(kiosk);
            }
            Err(error) => {
                self.bundle_status =
                    Some((false, format!("{}: {error:#}", tr(lang, "bundle_refused"))));
            }
        }
    }

    /// A file chooser drawn with egui itself, so the kiosk needs no GTK or portal to open a file:
    /// a path field, the pictures and folders of the current folder, and recent files.
    pub(super) fn open_file_screen(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, "path"));
            ui.add(egui::TextEdit::singleline(&mut self.picker_path).desired_width(800.0))
                .labelled_by(label.id);
            if ui.button(tr(lang, "open")).clicked() {
                let path = PathBuf::from(self.picker_path.trim());
                if path.is_dir() {
                    self.picker_dir = path;
                } else {
                    self.open_path(&path);
                }
            }
            if ui.button(tr(lang, "cancel")).clicked() {
                self.screen = Screen::Scan;
            }
        });
        ui.separator();
        ui.horizontal(|ui| {
            if ui.button(format!("^ {}", tr(lang, "up"))).clicked()
                && let Some(parent) = self.picker_dir.parent()
            {
                self.picker_dir = parent.to_owned();
            }
            ui.label(self.picker_dir.display().to_string());
        });
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&self.picker_dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.retain(|p| p.is_dir() || is_picture(p));
        entries.sort();
        let mut chosen = None;
        egui::ScrollArea::vertical()
            .max_height(420.0)
            .show(ui, |ui| {
                for path in &entries {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let text = if path.is_dir() {
                        format!("[{name}]")
                    } else {
                        name
                    };
                    if ui
                        .selectable_label(false, RichText::new(text).size(20.0))
                        .clicked()
                    {
                        chosen = Some(path.clone());
                    }
                }
            });
        if !self.recent.is_empty() {
            ui.separator();
            ui.label(tr(lang, "recent"));
            for path in self.recent.clone() {
                if ui
                    .selectable_label(false, path.display().to_string())
                    .clicked()
                {
                    chosen = Some(path);
                }
            }
        }
        if let Some(path) = chosen {
            if path.is_dir() {
                self.picker_dir = path;
            } else {
                self.open_path(&path);
            }
        }
    }
}
