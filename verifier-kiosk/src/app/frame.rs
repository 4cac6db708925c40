//! What surrounds every screen: the title bar (kiosk, direction, language, settings), the status
//! line (ready or what is wrong, scanner folder, passport read, wedge input), and the style.

use egui::{Color32, RichText};

use super::{KioskApp, Screen};
use crate::i18n::{Language, Msg, tr};
use crate::kiosk::Direction;

/// The title bar, drawn above every screen.
pub(super) fn top_bar(app: &mut KioskApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    ui.horizontal(|ui| {
        // Title above the kiosk's identity, so the Kazakh and Russian titles leave room for the
        // controls on the right.
        ui.vertical(|ui| {
            ui.heading(tr(lang, Msg::Title));
            ui.label(
                RichText::new(format!(
                    "{} · {}",
                    app.settings.kiosk_id,
                    tr(lang, Msg::Port(app.settings.port))
                ))
                .size(15.0),
            );
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(tr(lang, Msg::Settings)).clicked()
                && !matches!(app.screen, Screen::Settings(_))
            {
                app.open_settings();
            }
            ui.separator();
            for lang in Language::ALL.into_iter().rev() {
                ui.selectable_value(&mut app.lang, lang, lang.label());
            }
            ui.separator();
            for direction in [Direction::Exit, Direction::Entry] {
                ui.selectable_value(
                    &mut app.direction,
                    direction,
                    tr(lang, Msg::Crossing(direction)),
                );
            }
            ui.label(tr(lang, Msg::Direction));
        });
    });
}

/// The status line, drawn below every screen.
pub(super) fn status_bar(app: &KioskApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    ui.horizontal(|ui| {
        match &app.problem {
            None => ui.label(RichText::new(tr(lang, Msg::Ready)).color(Color32::DARK_GREEN)),
            Some(problem) => ui.label(RichText::new(problem.text(lang)).color(Color32::RED)),
        };
        if let Some(dir) = &app.settings.scanner_dir {
            ui.separator();
            ui.label(format!("{}: {}", tr(lang, Msg::ScannerDir), dir.display()));
        }
        if let Some(passport) = &app.passport {
            ui.separator();
            ui.label(tr(
                lang,
                Msg::PassportRead {
                    surname: passport.surname().to_owned(),
                    given_names: passport.given_names().to_owned(),
                    number: passport.number().to_owned(),
                },
            ));
        }
        if !app.wedge.is_empty() || app.mrz_first_line.is_some() {
            ui.separator();
            // How many characters a wedge device has typed so far (a stuck scanner shows here).
            ui.label(format!("[{} …]", app.wedge.chars().count()));
        }
    });
}

/// Large, high-contrast text: the officer reads the screen from arm's length, between passports.
pub(super) fn style(ctx: &egui::Context) {
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
