//! The verdict screen: VALID / INVALID / CANNOT VERIFY in a coloured band with the reason in plain
//! words (and what to do), the visa's fields in the printout's words, the first use or the stay,
//! the passport check, and the buttons to record the crossing or go to the next traveller.
//! Colour is never the only carrier of meaning: each verdict and the passport check show an icon
//! and a word as well (✔ VALID, ✖ INVALID, ⚠ CANNOT VERIFY), for officers who do not tell red
//! from green and for a monochrome screenshot.

use egui::{Color32, RichText};
use shared::labels::Field;
use time::OffsetDateTime;

use super::{KioskApp, Screen, Shown};
use crate::decision::{Decision, Reason, Verdict};
use crate::i18n::{self, Language, Msg, tr};
use crate::kiosk::Direction;
use crate::worker::Source;

/// The icon drawn before a verdict's word, from egui's default fonts (a test checks they hold it).
pub(crate) fn verdict_icon(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Valid => "✔",
        Verdict::Invalid => "✖",
        Verdict::CannotVerify => "⚠",
    }
}

/// What the officer asked for on the verdict screen.
enum Action {
    /// Record the entry or exit.
    Record,
    /// Clear the screen for the next traveller.
    Next,
}

/// Draws the verdict screen.
pub(super) fn ui(app: &mut KioskApp, ui: &mut egui::Ui) {
    let Screen::Verdict(shown) = &app.screen else {
        return;
    };
    let allowed = can_record(shown, app.direction);
    let action = draw(ui, app.lang, app.direction, shown, allowed);
    match action {
        Some(Action::Record) => app.record_shown(),
        Some(Action::Next) => app.next_traveller(),
        None => {}
    }
}

impl KioskApp {
    /// Records the entry or exit of the traveller on screen, if the verdict allows it.
    pub(super) fn record_shown(&mut self) {
        let Screen::Verdict(shown) = &self.screen else {
            return;
        };
        if !can_record(shown, self.direction) {
            return;
        }
        if let Some(text) = shown.text.clone() {
            self.submit(Source::Text(text), true);
        }
    }
}

/// Whether the verdict allows recording the crossing: a valid visa, or an overstay at exit (the
/// traveller leaves either way, and the overstay goes in the record), not already recorded.
fn can_record(shown: &Shown, direction: Direction) -> bool {
    let d = &shown.decision;
    d.recorded.is_none()
        && shown.text.is_some()
        && (d.verdict() == Verdict::Valid
            || (direction == Direction::Exit && d.reason() == Reason::Overstay))
}

fn draw(
    ui: &mut egui::Ui,
    lang: Language,
    direction: Direction,
    shown: &Shown,
    can_record: bool,
) -> Option<Action> {
    let d = &shown.decision;
    band(ui, lang, d);
    ui.add_space(8.0);
    visa_fields(ui, lang, d);
    if let Some(first) = &d.first_use {
        let text = Msg::FirstUse {
            at: kazakhstan_time(&first.at),
            port: first.port.clone(),
            kiosk_id: first.kiosk_id.clone(),
        };
        ui.label(
            RichText::new(tr(lang, text))
                .size(24.0)
                .strong()
                .color(Color32::from_rgb(190, 20, 30)),
        );
    }
    if let Some(stay) = &d.stay
        && let Some(days) = stay.days
    {
        let text = Msg::DaysStayed {
            days,
            permitted: stay.permitted,
        };
        ui.label(RichText::new(tr(lang, text)).size(24.0).strong());
    }
    passport_check(ui, lang, d);
    ui.add_space(8.0);
    let mut action = None;
    ui.horizontal(|ui| {
        if can_record
            && ui
                .add(
                    egui::Button::new(RichText::new(tr(lang, Msg::Record(direction))).size(26.0))
                        .fill(Color32::from_rgb(200, 235, 210)),
                )
                .clicked()
        {
            action = Some(Action::Record);
        }
        if ui
            .add(egui::Button::new(
                RichText::new(tr(lang, Msg::NextTraveller)).size(26.0),
            ))
            .clicked()
        {
            action = Some(Action::Next);
        }
        ui.label(RichText::new("F2 / F4").color(Color32::GRAY));
        let elapsed = Msg::Elapsed {
            ms: shown.elapsed.as_millis(),
        };
        ui.label(RichText::new(tr(lang, elapsed)).color(Color32::GRAY));
    });
    action
}

/// The verdict in a band of its colour, the reason, what to do, and the crossing recorded.
fn band(ui: &mut egui::Ui, lang: Language, d: &Decision) {
    let (fill, ink) = match d.verdict() {
        Verdict::Valid => (Color32::from_rgb(0, 122, 51), Color32::WHITE),
        Verdict::Invalid => (Color32::from_rgb(190, 20, 30), Color32::WHITE),
        Verdict::CannotVerify => (Color32::from_rgb(255, 176, 0), Color32::BLACK),
    };
    let reason = tr(lang, i18n::reason(d.reason()));
    egui::Frame::new()
        .fill(fill)
        .inner_margin(egui::Margin::symmetric(24, 12))
        .corner_radius(8)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(verdict_icon(d.verdict()))
                        .size(60.0)
                        .strong()
                        .color(ink),
                );
                ui.label(
                    RichText::new(tr(lang, Msg::Verdict(d.verdict())))
                        .size(60.0)
                        .strong()
                        .color(ink),
                );
                ui.add_space(24.0);
                ui.vertical(|ui| {
                    ui.label(RichText::new(reason.clone()).size(28.0).strong().color(ink));
                    // The plain reason above says it all for a valid visa; otherwise the details
                    // (dates, fields, the key) follow in smaller print. The details are the
                    // decision's English message; in Kazakh and Russian the translated reason and
                    // the fields below carry the same information.
                    if lang == Language::En
                        && d.reason() != Reason::Ok
                        && !d.message.eq_ignore_ascii_case(&reason)
                    {
                        ui.label(RichText::new(&d.message).size(18.0).color(ink));
                    }
                });
            });
            if d.verdict() == Verdict::CannotVerify {
                ui.label(
                    RichText::new(format!(
                        "{}: {}",
                        tr(lang, Msg::WhatToDo),
                        tr(lang, i18n::next_step(d.reason()))
                    ))
                    .size(24.0)
                    .strong()
                    .color(ink),
                );
            }
            if let Some(kind) = d.recorded {
                let direction = if kind == "entry" {
                    Direction::Entry
                } else {
                    Direction::Exit
                };
                ui.label(
                    RichText::new(format!("+ {}", tr(lang, Msg::Recorded(direction))))
                        .size(26.0)
                        .strong()
                        .color(ink),
                );
            }
        });
}

/// The verified visa's fields, labelled with the printout's words so the officer reads the same
/// words on paper and on screen.
fn visa_fields(ui: &mut egui::Ui, lang: Language, d: &Decision) {
    let Some(visa) = &d.visa else { return };
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
    let field = |f: Field| tr(lang, Msg::Field(f));
    ui.columns(2, |cols| {
        egui::Grid::new("holder")
            .num_columns(2)
            .spacing([16.0, 6.0])
            .show(&mut cols[0], |ui| {
                big(ui, &tr(lang, Msg::Name), name.trim());
                if !native.trim().is_empty() {
                    big(ui, &tr(lang, Msg::NativeName), native.trim());
                }
                big(ui, &field(Field::PassportNumber), &visa.passport_number);
                big(ui, &field(Field::Citizenship), &visa.citizenship);
                big(ui, &field(Field::DateOfBirth), &visa.date_of_birth);
                big(ui, &field(Field::Sex), &visa.sex);
            });
        egui::Grid::new("visa")
            .num_columns(2)
            .spacing([16.0, 6.0])
            .show(&mut cols[1], |ui| {
                big(ui, &field(Field::VisaNumber), &visa.visa_number);
                big(
                    ui,
                    &field(Field::Category),
                    &i18n::category(lang, &visa.category),
                );
                big(
                    ui,
                    &field(Field::Entries),
                    &i18n::entries(lang, &visa.entries),
                );
                big(ui, &field(Field::ValidFrom), &visa.valid_from);
                big(ui, &field(Field::ValidUntil), &visa.valid_until);
                big(
                    ui,
                    &field(Field::DurationOfStay),
                    &tr(lang, Msg::Days(visa.duration_of_stay.into())),
                );
                big(ui, &field(Field::Ports), &visa.ports.join(", "));
            });
    });
}

/// The fields where the passport and the visa disagree, or whether a valid visa's passport was
/// compared.
fn passport_check(ui: &mut egui::Ui, lang: Language, d: &Decision) {
    if !d.mismatches.is_empty() {
        egui::Grid::new("mismatches")
            .num_columns(3)
            .striped(true)
            .spacing([24.0, 4.0])
            .show(ui, |ui| {
                for heading in [Msg::MismatchField, Msg::OnVisa, Msg::InPassport] {
                    ui.label(RichText::new(tr(lang, heading)).strong());
                }
                ui.end_row();
                for m in &d.mismatches {
                    ui.label(
                        RichText::new(i18n::mismatch_field(lang, m.field))
                            .size(24.0)
                            .strong()
                            .color(Color32::from_rgb(190, 20, 30)),
                    );
                    ui.label(RichText::new(&m.visa).size(24.0).strong());
                    ui.label(RichText::new(&m.passport).size(24.0).strong());
                    ui.end_row();
                }
            });
    } else if d.visa.is_some() && d.verdict() == Verdict::Valid {
        let (icon, msg, color) = match d.passport_checked {
            Some(true) => ("✔", Msg::PassportMatches, Color32::from_rgb(0, 122, 51)),
            _ => ("⚠", Msg::PassportNotChecked, Color32::from_rgb(150, 90, 0)),
        };
        ui.label(
            RichText::new(format!("{icon} {}", tr(lang, msg)))
                .size(26.0)
                .strong()
                .color(color),
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_fonts_draw_every_verdict_icon_and_the_passport_check_icons() {
        let ctx = egui::Context::default();
        // The first pass loads the fonts; its textures go nowhere (no renderer in a test).
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        for verdict in [Verdict::Valid, Verdict::Invalid, Verdict::CannotVerify] {
            let icon = verdict_icon(verdict);
            for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
                let font = egui::FontId::new(60.0, family.clone());
                assert!(
                    ctx.fonts_mut(|f| f.has_glyphs(&font, icon)),
                    "{icon} ({verdict:?}) is missing from the {family:?} fonts"
                );
            }
        }
        let font = egui::FontId::proportional(26.0);
        assert!(ctx.fonts_mut(|f| f.has_glyphs(&font, "✔⚠")));
    }

    #[test]
    fn each_verdict_has_its_own_icon() {
        let icons = [Verdict::Valid, Verdict::Invalid, Verdict::CannotVerify].map(verdict_icon);
        assert!(icons[0] != icons[1] && icons[1] != icons[2] && icons[0] != icons[2]);
    }
}
