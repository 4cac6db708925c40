//! The operator's trust actions, shared by the command line (`issuer revoke`, `revoke-key`,
//! `bundle export`) and the back office: revoking a visa or a signing key, and exporting the next
//! trust bundle. Each is one immediate transaction that also appends its audit entry, so the
//! action and its record are stored together or not at all.

use crate::store::{Connection, TransactionBehavior};
use anyhow::Result;
use sha2::{Digest, Sha256};
use shared::IssuerKey;
use shared::bundle::{BundleContents, KeyCertificate};
use shared::visa::VisaNumber;

use crate::clock::Clock;
use crate::domain::audit::{Action, Actor, Entry};
use crate::store::{self, trust::Revoked};

/// Who acts, as the audit log records it: the actor and, over the web, the client's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct By {
    /// The officer or the operator.
    pub actor: Actor,
    /// The client's address, when the action came over the web.
    pub address: Option<String>,
}

impl By {
    /// The operator at the server's command line.
    pub fn operator() -> Self {
        By {
            actor: Actor::Operator,
            address: None,
        }
    }

    /// A back-office officer, by e-mail address, from the client's address.
    pub fn officer(email: &str, address: Option<String>) -> Self {
        By {
            actor: Actor::Officer(email.to_owned()),
            address,
        }
    }

    /// An audit entry of this actor at `at` (RFC 3339).
    pub fn entry(&self, at: &str, action: Action, record: impl Into<String>) -> Entry {
        Entry::new(at.to_owned(), &self.actor, action, record).from_address(self.address.clone())
    }
}

/// A signed trust bundle, recorded as exported, and what it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedBundle {
    /// Its sequence number: one more than the last export's.
    pub sequence: u64,
    /// The signed file.
    pub bytes: Vec<u8>,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
    /// How many key certificates it carries.
    pub certificates: usize,
    /// How many revoked visas it lists.
    pub revoked_visas: usize,
    /// How many revoked keys it lists.
    pub revoked_keys: usize,
    /// How many used single-entry visas it lists.
    pub used_entries: usize,
    /// How many registered kiosks it lists.
    pub kiosks: usize,
}

impl ExportedBundle {
    /// One line saying what the bundle holds, for the operator and the audit log.
    pub fn summary(&self) -> String {
        format!(
            "bundle {}: {} certified keys, {} revoked visas, {} revoked keys, {} used entries, {} kiosks, {} bytes, sha256 {}",
            self.sequence,
            self.certificates,
            self.revoked_visas,
            self.revoked_keys,
            self.used_entries,
            self.kiosks,
            self.bytes.len(),
            self.sha256
        )
    }
}

/// Revokes an issued visa with a reason (1 to 200 bytes); the next bundle carries it to the
/// kiosks. Audited with the state before and after; a visa already revoked, or unknown, changes
/// nothing and is not logged.
pub fn revoke_visa(
    conn: &mut Connection,
    clock: &Clock,
    by: &By,
    number: &VisaNumber,
    reason: &str,
) -> Result<Revoked> {
    let now = clock.rfc3339();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let outcome = store::trust::revoke_visa(&tx, number, reason, &now)?;
    if outcome == Revoked::Now {
        let entry = by
            .entry(
                &now,
                Action::VisaRevoked,
                format!("visa:{}", number.as_str()),
            )
            .change(
                Some("issued".to_owned()),
                Some(format!("revoked: {}", reason.trim())),
            );
        store::audit::append(&tx, &entry)?;
        tx.commit()?;
        tracing::info!(visa = number.as_str(), by = %by.actor.to_text(), "visa revoked");
    }
    Ok(outcome)
}

/// Revokes a signing key (compromise) with a reason: every visa it signed is refused once the
/// kiosks import the next bundle. Answers whether it was newly revoked; only then is it logged.
pub fn revoke_key(
    conn: &mut Connection,
    clock: &Clock,
    by: &By,
    kid: &str,
    reason: &str,
) -> Result<bool> {
    let now = clock.rfc3339();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let newly = store::trust::revoke_key(&tx, kid, reason, &now)?;
    if newly {
        let kid = kid.to_ascii_lowercase();
        let entry = by
            .entry(&now, Action::KeyRevoked, format!("key:{kid}"))
            .change(
                Some("certified".to_owned()),
                Some(format!("revoked: {}", reason.trim())),
            );
        store::audit::append(&tx, &entry)?;
        tx.commit()?;
        tracing::warn!(kid, by = %by.actor.to_text(), "signing key revoked");
    }
    Ok(newly)
}

/// Makes, signs and records the next trust bundle: what can still change a kiosk's verdict
/// (`docs/trust-bundle.md`, "What a bundle carries") — the `certificates` of the key directory
/// that end after the bundle's horizon, the revocations of those keys, the revocations and first
/// uses of the visas valid beyond the horizon — and the registered kiosks, under the next
/// sequence number, signed by `root`. The number is reserved, the file signed and the export audited in one
/// immediate transaction, so two exports never share a number and every export is in the log.
pub fn export_bundle(
    conn: &mut Connection,
    clock: &Clock,
    by: &By,
    root: &IssuerKey,
    certificates: Vec<KeyCertificate>,
) -> Result<ExportedBundle> {
    let created_at = clock.now();
    let now = clock.rfc3339();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let horizon = shared::bundle::horizon(created_at);
    let mut certificates = certificates;
    certificates.retain(|c| c.not_after() > horizon);
    let mut content =
        store::trust::trust_content(&tx, shared::bundle::first_listed_day(created_at))?;
    // A key without a certificate in the bundle is unknown to the kiosk: its revocation says
    // nothing more.
    content
        .revoked_keys
        .retain(|kid| certificates.iter().any(|c| c.key().kid() == *kid));
    let kiosks = store::kiosk::active_kiosks(&tx)?;
    let sequence = store::trust::next_bundle_sequence(&tx)?;
    let exported = ExportedBundle {
        sequence,
        bytes: Vec::new(),
        sha256: String::new(),
        certificates: certificates.len(),
        revoked_visas: content.revoked_visas.len(),
        revoked_keys: content.revoked_keys.len(),
        used_entries: content.used_entries.len(),
        kiosks: kiosks.len(),
    };
    let bytes = BundleContents::new(
        sequence,
        created_at,
        certificates,
        content.revoked_visas,
        content.revoked_keys,
        content.used_entries,
    )?
    .with_kiosks(kiosks)?
    .sign(root);
    let sha256 = hex::encode(Sha256::digest(&bytes));
    store::trust::record_bundle_export(&tx, sequence, created_at, &sha256)?;
    let exported = ExportedBundle {
        bytes,
        sha256,
        ..exported
    };
    let entry = by
        .entry(&now, Action::BundleExported, format!("bundle:{sequence}"))
        .change(None, Some(exported.summary()));
    store::audit::append(&tx, &entry)?;
    tx.commit()?;
    tracing::info!(sequence, by = %by.actor.to_text(), "trust bundle exported");
    Ok(exported)
}
