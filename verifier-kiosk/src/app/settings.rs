//! The settings screen (F10): where the kiosk stands, what it trusts and where it writes, the
//! trust bundle import, and the way back.

use std::path::PathBuf;

use egui::{Color32, RichText};

use super::{KioskApp, bundle};
use crate::i18n::{Msg, tr};

/// Draws the settings screen.
pub(super) fn ui(app: &mut KioskApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let settings = &app.settings;
    let not_set = || tr(lang, Msg::NotSet).into_owned();
    let path = |p: &Option<PathBuf>| p.as_ref().map_or_else(not_set, |p| p.display().to_string());
    let rows = [
        (Msg::KioskId, settings.kiosk_id.clone()),
        (
            Msg::Airport,
            format!(
                "{} · {}",
                settings.port.code(),
                tr(lang, Msg::Port(settings.port))
            ),
        ),
        (
            Msg::KioskKey,
            settings.kiosk_kid.clone().unwrap_or_else(not_set),
        ),
        (Msg::TrustDir, settings.trust_dir.display().to_string()),
        (Msg::LedgerPath, settings.ledger_path.display().to_string()),
        (Msg::ScannerDir, path(&settings.scanner_dir)),
        (Msg::ConfigFile, path(&settings.config_file)),
        (Msg::TrustedKeys, app.trust.keys.to_string()),
        (
            Msg::TrustBundle,
            app.trust.bundle.clone().unwrap_or_else(not_set),
        ),
        (
            Msg::ScanBudget,
            tr(lang, Msg::Seconds(settings.scan_budget.as_secs_f64())).into_owned(),
        ),
    ];
    ui.heading(tr(lang, Msg::Settings));
    egui::Grid::new("settings")
        .num_columns(2)
        .spacing([24.0, 8.0])
        .show(ui, |ui| {
            for (name, value) in rows {
                ui.label(RichText::new(tr(lang, name)).size(20.0));
                ui.label(RichText::new(value).size(22.0).strong());
                ui.end_row();
            }
        });
    if let Some(problem) = &app.problem {
        ui.label(
            RichText::new(problem.text(lang))
                .color(Color32::RED)
                .size(20.0),
        );
    }
    ui.add_space(16.0);
    bundle::form(app, ui);
    ui.add_space(16.0);
    if ui.button(tr(lang, Msg::Back)).clicked() {
        app.close_settings();
    }
}
