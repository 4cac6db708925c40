//! The verdict screen: VALID / INVALID / CANNOT VERIFY in large type, the holder's data to compare
//! with the passport, the reason and what to do next, and the record buttons.

use egui::{Color32, RichText};
use shared::labels::Field;

use super::{KioskApp, Screen, kazakhstan_time};
use crate::decision::Verdict;
use crate::i18n::{self, Language, next_step, reason, tr};
use crate::kiosk::Direction;

impl KioskApp {
    pub(super) fn verdict_screen(&mut self, ui: &mut egui::Ui) {
        let Some(shown) = self.shown.clone() else {
            self.screen = Screen::Scan;
            return;
        };
        let lang = self.lang;
        let d = &shown.decision;
        let (word, fill, ink) = match d.verdict {
            Verdict::Valid => ("valid", Color32::from_rgb(0, 122, 51), Color32::WHITE),
            Verdict::Invalid => ("invalid", Color32::from_rgb(190, 20, 30), Color32::WHITE),
            Verdict::CannotVerify => (
                "cannot_verify",
                Color32::from_rgb(255, 176, 0),
                Color32::BLACK,
            ),
        };
        egui::Frame::new()
            .fill(fill)
            .inner_margin(egui::Margin::symmetric(24, 12))
            .corner_radius(8)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(RichText::new(tr(lang, word)).size(60.0).strong().color(ink));
                    ui.add_space(24.0);
                    ui.vertical(|ui| {
                        ui.label(
                            RichText::new(reason(lang, d.reason))
                                .size(28.0)
                                .strong()
                                .color(ink),
                        );
                        // The plain reason above says it all for a valid visa; otherwise the
                        // details (dates, fields, the key) follow in smaller print.
                        // The details are English; in Kazakh and Russian the translated
                        // reason and the fields below carry the same information.
                        if lang == Language::En
                            && d.reason != "ok"
                            && !d.message.eq_ignore_ascii_case(reason(lang, d.reason))
                        {
                            ui.label(RichText::new(&d.message).size(18.0).color(ink));
                        }
                    });
                });
                if d.verdict == Verdict::CannotVerify {
                    ui.label(
                        RichText::new(format!(
                            "{}: {}",
                            tr(lang, "what_to_do"),
                            next_step(lang, d.reason)
                        ))
                        .size(24.0)
                        .strong()
                        .color(ink),
                    );
                }
                if let Some(kind) = d.recorded {
                    let key = if kind == "entry" {
                        "recorded_entry"
                    } else {
                        "recorded_exit"
                    };
                    ui.label(
                        RichText::new(format!("+ {}", tr(lang, key)))
                            .size(26.0)
                            .strong()
                            .color(ink),
                    );
                }
            });
        ui.add_space(8.0);
        if let Some(visa) = &d.visa {
            // Visa fields carry the printout's labels (`i18n::field`), so the officer reads the
            // same words on paper and on screen.
            let big = |ui: &mut egui::Ui, label: &str, value: &str| {
                ui.label(
                    RichText::new(label)
                        .size(19.0)
                        .color(Color32::from_gray(70)),
                );
                ui.label(
                    RichText::new(value)
                        .size(34.0)
                        .strong()
                        .color(Color32::BLACK),
                );
                ui.end_row();
            };
            let name = format!(
                "{} {}",
                visa.surname,
                visa.given_names.as_deref().unwrap_or_default()
            );
            let native = format!(
                "{} {}",
                visa.surname_native.as_deref().unwrap_or_default(),
                visa.given_names_native.as_deref().unwrap_or_default()
            );
            let field = |f: Field| i18n::field(lang, f);
            ui.columns(2, |cols| {
                egui::Grid::new("holder")
                    .num_columns(2)
                    .spacing([16.0, 6.0])
                    .show(&mut cols[0], |ui| {
                        big(ui, tr(lang, "name"), name.trim());
                        if !native.trim().is_empty() {
                            big(ui, tr(lang, "native_name"), native.trim());
                        }
                        big(ui, field(Field::PassportNumber), &visa.passport_number);
                        big(ui, field(Field::Citizenship), &visa.citizenship);
                        big(ui, field(Field::DateOfBirth), &visa.date_of_birth);
                        big(ui, field(Field::Sex), &visa.sex);
                    });
                egui::Grid::new("visa")
                    .num_columns(2)
                    .spacing([16.0, 6.0])
                    .show(&mut cols[1], |ui| {
                        big(ui, field(Field::VisaNumber), &visa.visa_number);
                        big(
                            ui,
                            field(Field::Category),
                            &i18n::category(lang, &visa.category),
                        );
                        big(
                            ui,
                            field(Field::Entries),
                            &i18n::entries(lang, &visa.entries),
                        );
                        big(ui, field(Field::ValidFrom), &visa.valid_from);
                        big(ui, field(Field::ValidUntil), &visa.valid_until);
                        big(
                            ui,
                            field(Field::DurationOfStay),
                            &i18n::days(lang, visa.duration_of_stay.into()),
                        );
                        big(ui, field(Field::Ports), &visa.ports.join(", "));
                    });
            });
        }
        if let Some(first) = &d.first_use {
            ui.label(
                RichText::new(format!(
                    "{}: {} · {} · {}",
                    tr(lang, "first_use"),
                    kazakhstan_time(&first.at),
                    first.port,
                    first.kiosk_id
                ))
                .size(24.0)
                .strong()
                .color(Color32::from_rgb(190, 20, 30)),
            );
        }
        if let Some(stay) = &d.stay
            && let Some(days) = stay.days
        {
            ui.label(
                RichText::new(format!(
                    "{}: {days} / {}",
                    tr(lang, "stayed"),
                    stay.permitted
                ))
                .size(24.0)
                .strong(),
            );
        }
        if !d.mismatches.is_empty() {
            egui::Grid::new("mismatches")
                .num_columns(3)
                .striped(true)
                .spacing([24.0, 4.0])
                .show(ui, |ui| {
                    for key in ["field", "on_visa", "on_passport"] {
                        ui.label(RichText::new(tr(lang, key)).strong());
                    }
                    ui.end_row();
                    for m in &d.mismatches {
                        ui.label(
                            RichText::new(i18n::field_by_key(lang, m.field))
                                .size(24.0)
                                .strong()
                                .color(Color32::from_rgb(190, 20, 30)),
                        );
                        ui.label(RichText::new(&m.visa).size(24.0).strong());
                        ui.label(RichText::new(&m.passport).size(24.0).strong());
                        ui.end_row();
                    }
                });
        } else if d.visa.is_some() && d.verdict == Verdict::Valid {
            let (key, color) = match d.passport_checked {
                Some(true) => ("passport_matches", Color32::from_rgb(0, 122, 51)),
                _ => ("passport_not_checked", Color32::from_rgb(150, 90, 0)),
            };
            ui.label(
                RichText::new(tr(lang, key))
                    .size(26.0)
                    .strong()
                    .color(color),
            );
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let record_key = match self.direction {
                Direction::Entry => "record_entry",
                Direction::Exit => "record_exit",
            };
            if self.can_record()
                && ui
                    .add(
                        egui::Button::new(RichText::new(tr(lang, record_key)).size(26.0))
                            .fill(Color32::from_rgb(200, 235, 210)),
                    )
                    .clicked()
            {
                self.record_shown();
            }
            if ui
                .add(egui::Button::new(
                    RichText::new(tr(lang, "next")).size(26.0),
                ))
                .clicked()
            {
                self.next_traveller();
            }
            ui.label(RichText::new("F2 / F4").color(Color32::GRAY));
            ui.label(
                RichText::new(format!("{} ms", shown.elapsed.as_millis())).color(Color32::GRAY),
            );
        });
    }
}
