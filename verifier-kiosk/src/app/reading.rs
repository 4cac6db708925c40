//! The reading screen: shown while the worker reads a picture or judges a code.

use egui::RichText;

use super::KioskApp;
use crate::i18n::{Msg, tr};

/// Draws the reading screen.
pub(super) fn ui(app: &KioskApp, ui: &mut egui::Ui) {
    ui.add_space(120.0);
    ui.vertical_centered(|ui| {
        ui.add(egui::Spinner::new().size(64.0));
        ui.label(RichText::new(tr(app.lang, Msg::Reading)).size(32.0));
    });
}
