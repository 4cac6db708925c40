//! The file chooser screen, drawn with egui itself so the kiosk needs no GTK or portal to open a
//! file: a path field, the pictures and folders of the current folder, and recent files.

use std::path::{Path, PathBuf};

use egui::RichText;

use super::{KioskApp, Screen};
use crate::i18n::{Msg, tr};
use crate::worker::is_picture;

/// How many recently opened files the chooser lists.
const RECENT: usize = 8;

/// Where the chooser is, what was typed, and what was opened lately; kept between visits.
#[derive(Debug)]
pub(super) struct Picker {
    dir: PathBuf,
    path: String,
    recent: Vec<PathBuf>,
}

impl Picker {
    /// A chooser that starts in the scanner folder, else the working directory.
    pub(super) fn new(scanner_dir: Option<&Path>) -> Self {
        let dir = scanner_dir
            .map(Path::to_owned)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        Self {
            dir,
            path: String::new(),
            recent: Vec::new(),
        }
    }

    /// Puts `path` first among the recent files.
    pub(super) fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_owned());
        self.recent.truncate(RECENT);
    }
}

/// Draws the file chooser.
pub(super) fn ui(app: &mut KioskApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let mut chosen = None;
    ui.horizontal(|ui| {
        let label = ui.label(tr(lang, Msg::Path));
        ui.add(egui::TextEdit::singleline(&mut app.picker.path).desired_width(800.0))
            .labelled_by(label.id);
        if ui.button(tr(lang, Msg::Open)).clicked() {
            chosen = Some(PathBuf::from(app.picker.path.trim()));
        }
        if ui.button(tr(lang, Msg::Cancel)).clicked() {
            app.screen = Screen::Scan;
        }
    });
    ui.separator();
    ui.horizontal(|ui| {
        if ui.button(format!("^ {}", tr(lang, Msg::Up))).clicked()
            && let Some(parent) = app.picker.dir.parent()
        {
            app.picker.dir = parent.to_owned();
        }
        ui.label(app.picker.dir.display().to_string());
    });
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&app.picker.dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.retain(|p| p.is_dir() || is_picture(p));
    entries.sort();
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
    if !app.picker.recent.is_empty() {
        ui.separator();
        ui.label(tr(lang, Msg::Recent));
        for path in &app.picker.recent {
            if ui
                .selectable_label(false, path.display().to_string())
                .clicked()
            {
                chosen = Some(path.clone());
            }
        }
    }
    if let Some(path) = chosen {
        if path.is_dir() {
            app.picker.dir = path;
        } else {
            app.open_path(&path);
        }
    }
}
