//! The kiosk's trust as the settings screen shows it (keys trusted, bundle installed), and the
//! trust bundle import: a file verified against the root key, installed only if newer, after
//! which the worker restarts over the new trust.

use std::path::PathBuf;

use egui::{Color32, RichText};

use super::KioskApp;
use crate::i18n::{Msg, tr};
use crate::kiosk::Kiosk;

/// What the kiosk trusts, and the import form's state.
#[derive(Debug)]
pub(super) struct Trust {
    /// How many issuer keys the kiosk trusts.
    pub(super) keys: usize,
    /// The installed bundle's sequence number and date.
    pub(super) bundle: Option<String>,
    /// The bundle file path typed on the settings screen.
    path: String,
    /// What the last import said ([`Msg::BundleInstalled`] or [`Msg::BundleRefused`]).
    outcome: Option<Msg>,
}

impl Trust {
    /// What `kiosk` trusts; nothing when it could not be set up.
    pub(super) fn of(kiosk: &Result<Kiosk, String>) -> Self {
        let (keys, bundle) = match kiosk {
            Ok(kiosk) => (kiosk.trusted_keys(), kiosk.bundle().map(summary)),
            Err(_) => (0, None),
        };
        Self {
            keys,
            bundle,
            path: String::new(),
            outcome: None,
        }
    }
}

/// Draws the import form of the settings screen: the file field, the button, the outcome.
pub(super) fn form(app: &mut KioskApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let mut import = false;
    ui.horizontal(|ui| {
        let label = ui.label(RichText::new(tr(lang, Msg::BundleFile)).size(20.0));
        ui.add(egui::TextEdit::singleline(&mut app.trust.path).desired_width(600.0))
            .labelled_by(label.id);
        import = ui.button(tr(lang, Msg::ImportBundle)).clicked();
    });
    if import {
        app.import_bundle();
    }
    if let Some(outcome) = &app.trust.outcome {
        let color = match outcome {
            Msg::BundleInstalled { .. } => Color32::DARK_GREEN,
            _ => Color32::RED,
        };
        ui.label(RichText::new(outcome.text(lang)).color(color).size(20.0));
    }
}

impl KioskApp {
    /// Installs the bundle file named on the settings screen (verified against the root key, only
    /// if newer), then restarts the worker over the new trust. A refused file leaves the installed
    /// bundle and the running worker as they were.
    fn import_bundle(&mut self) {
        if self.pending.is_some() {
            return;
        }
        let path = PathBuf::from(self.trust.path.trim());
        match crate::trust::install_bundle(&self.settings.trust_dir, &path) {
            Ok(bundle) => {
                let kiosk = super::open_kiosk(&self.settings);
                self.problem = kiosk.as_ref().err().map(|detail| Msg::NotReady {
                    detail: detail.clone(),
                });
                if let Ok(kiosk) = &kiosk {
                    self.trust.keys = kiosk.trusted_keys();
                }
                let summary = summary(&bundle);
                self.trust.outcome = Some(Msg::BundleInstalled {
                    summary: summary.clone(),
                });
                self.trust.bundle = Some(summary);
                self.worker = self.respawn.spawn(kiosk);
            }
            Err(error) => {
                self.trust.outcome = Some(Msg::BundleRefused {
                    detail: format!("{error:#}"),
                });
            }
        }
    }
}

/// A bundle's sequence number and creation time, as the settings screen shows it.
fn summary(bundle: &shared::bundle::TrustBundle) -> String {
    format!(
        "#{} · {}",
        bundle.sequence(),
        crate::ledger::rfc3339_utc(bundle.created_at())
    )
}
