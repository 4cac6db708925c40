//! Importing a kiosk's signed ledger export, shared by `issuer ledger-import` and the back
//! office's upload: the export is believed only when a registered, unrevoked kiosk signed it and
//! its records continue what the issuer already holds of that kiosk's chain. The format is
//! `docs/ledger-exchange.md`; the SQL is in `store/kiosk.rs`, the refusals in `domain/kiosk.rs`.
//! An import and its audit entry are one transaction; a refused file changes nothing but the log,
//! which records the refusal.

use crate::store::{Connection, TransactionBehavior};
use anyhow::Result;
use shared::Kid;
use shared::bundle::UsedEntry;
use shared::kiosk::RegisteredKiosk;
use shared::ledger::{ExchangeError, RecordKind, SignedExport};
use shared::visa::VisaNumber;

use super::trust::By;
use crate::clock::Clock;
use crate::domain::audit::Action;
use crate::domain::kiosk::{ChainImport, ImportRefusal};
use crate::store::kiosk::{self as store, KioskRow};
use crate::store::{self as stores, Checked};

/// An accepted export and what it added.
pub type Imported = (SignedExport, ChainImport);

/// Opens an export against the registry and stores it with its audit entry: the error is the
/// database's; a refused file is [`Checked::Refused`] with why, nothing stored, and the refusal
/// logged.
pub fn import_ledger(
    conn: &mut Connection,
    clock: &Clock,
    by: &By,
    bytes: &[u8],
) -> Result<Checked<Imported, ImportRefusal>> {
    let now = clock.rfc3339();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let outcome = import(&tx, bytes, &now)?;
    match &outcome {
        Checked::Stored((export, done)) => {
            let entry = by
                .entry(
                    &now,
                    Action::LedgerImported,
                    format!("kiosk:{}", export.kiosk().id),
                )
                .change(
                    None,
                    Some(format!(
                        "{} records signed at {}: {} new, {} already imported, {} new entries on single-entry visas",
                        export.records().len(),
                        shared::ledger::rfc3339_utc(export.signed_at()),
                        done.new,
                        done.known,
                        done.entries
                    )),
                );
            stores::audit::append(&tx, &entry)?;
            tx.commit()?;
            tracing::info!(kiosk = %export.kiosk().id, new = done.new, known = done.known, by = %by.actor.to_text(), "kiosk ledger imported");
        }
        Checked::Refused(refusal) => {
            // Nothing of the file is kept: roll back, then log the refusal on its own.
            drop(tx);
            let entry = by
                .entry(&now, Action::LedgerRefused, "ledger")
                .change(None, Some(refusal.to_string()));
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            stores::audit::append(&tx, &entry)?;
            tx.commit()?;
            tracing::warn!(%refusal, by = %by.actor.to_text(), "a kiosk ledger export was refused");
        }
    }
    Ok(outcome)
}

/// The checks and the store, inside the caller's transaction.
fn import(tx: &Connection, bytes: &[u8], now: &str) -> Result<Checked<Imported, ImportRefusal>> {
    if bytes.len() > shared::ledger::MAX_EXPORT_BYTES {
        return Ok(Checked::Refused(ExchangeError::TooLarge.into()));
    }
    let registry = store::kiosks(tx)?;
    let active: Vec<RegisteredKiosk> = registry
        .iter()
        .filter(|row| row.revoked.is_none())
        .map(|row| row.kiosk.clone())
        .collect();
    let export = match shared::ledger::open_export(bytes, &active) {
        Ok(export) => export,
        Err(ExchangeError::UnknownKiosk(kid)) => {
            return Ok(Checked::Refused(unknown(&registry, kid)));
        }
        Err(error) => return Ok(Checked::Refused(error.into())),
    };
    let entries = used_entries(&export);
    Ok(
        match store::import_chain(tx, export.records(), &entries, now)? {
            Checked::Stored(done) => Checked::Stored((export, done)),
            Checked::Refused(refusal) => Checked::Refused(refusal),
        },
    )
}

/// The refusal for a key no active kiosk holds: a revoked kiosk's is named as such.
fn unknown(registry: &[KioskRow], kid: Kid) -> ImportRefusal {
    match registry.iter().find(|row| row.kiosk.kid() == kid) {
        Some(KioskRow {
            kiosk,
            revoked: Some((at, reason)),
        }) => ImportRefusal::RevokedKiosk {
            id: kiosk.id.to_string(),
            at: at.clone(),
            reason: reason.clone(),
        },
        _ => ImportRefusal::Exchange(ExchangeError::UnknownKiosk(kid)),
    }
}

/// The recorded entries of an export, as the bundle lists used visas.
fn used_entries(export: &SignedExport) -> Vec<UsedEntry> {
    export
        .records()
        .iter()
        .filter(|r| r.kind == RecordKind::Entry)
        .filter_map(|r| {
            Some(UsedEntry {
                visa_number: VisaNumber::parse(r.visa_number.as_deref()?).ok()?,
                at: r.time()?,
                port: export.kiosk().port,
                kiosk_id: export.kiosk().id.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
