//! The scan screen: what to do, "Open image…", the passport read so far, and the manual entry
//! field for a code or a passport zone typed by hand.

use egui::{Color32, RichText};

use super::{KioskApp, Screen};
use crate::i18n::{Msg, tr};

/// Draws the scan screen.
pub(super) fn ui(app: &mut KioskApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        ui.label(RichText::new(tr(lang, Msg::ScanPrompt)).size(30.0).strong());
        ui.add_space(12.0);
        ui.label(RichText::new(tr(lang, Msg::DropHint)).size(20.0));
        ui.add_space(24.0);
        if ui
            .add(egui::Button::new(
                RichText::new(tr(lang, Msg::OpenImage)).size(24.0),
            ))
            .clicked()
        {
            app.screen = Screen::OpenFile;
        }
        if app.passport.is_some() {
            ui.add_space(12.0);
            ui.label(RichText::new(tr(lang, Msg::PassportWaiting)).size(22.0));
        }
        if let Some(problem) = app.passport_error {
            ui.label(RichText::new(tr(lang, Msg::Zone(problem))).color(Color32::RED));
        }
    });
    ui.add_space(40.0);
    ui.separator();
    ui.horizontal(|ui| {
        let label = ui.label(tr(lang, Msg::ManualLabel));
        let field = ui.add(
            egui::TextEdit::singleline(&mut app.manual)
                .desired_width(700.0)
                .font(egui::TextStyle::Monospace),
        );
        let field = field.labelled_by(label.id);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button(tr(lang, Msg::Check)).clicked() || entered {
            let text = std::mem::take(&mut app.manual);
            app.submit_line(&text);
        }
    });
}
