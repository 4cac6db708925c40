//! Offline trust: the root (country) key certifies issuer keys for a period, and signs a trust
//! bundle that carries those certificates, the revoked visas and keys, and the single-entry visas
//! already used at some port. Kiosks hold only the root public key and the latest bundle.
//!
//! Since format version 2 the bundle also lists the registered, unrevoked kiosks with their own
//! Ed25519 keys: the only keys whose signed ledger exports another kiosk believes.
//!
//! A bundle carries only what can still change a verdict: the revocations and first uses of visas
//! whose validity ends after its [`horizon`] (its creation minus [`RETENTION`]), and the
//! certificates that end after it. A visa it leaves out has expired for every kiosk that may use
//! the bundle, so its size follows the visas currently valid, not the years of history.
//!
//! Both documents are COSE_Sign1 by the root key, told apart by a type string inside the signed
//! payload, so a certificate can never be replayed as a bundle or the other way round. The format
//! is specified in `docs/trust-bundle.md`.

use time::{Date, Duration, OffsetDateTime};

use crate::cbor::{Reader, Writer};
use crate::cose::{self, CoseError};
use crate::keys::{IssuerKey, Kid, PublicKey, TrustStore};
pub use crate::kiosk::MAX_KIOSK_ID_BYTES;
use crate::kiosk::{KioskId, RegisteredKiosk};
use crate::token::{VerifiedVisa, end_of_validity};
use crate::visa::{Port, VisaNumber, kazakhstan_date};

mod wire;
use wire::{
    content, expect_array, expect_bundle_type, expect_key, expect_map_type, open, read_array,
    read_certificate_body, read_port, read_public_key, read_time, read_visa_number, whole_seconds,
    write_certificate_body,
};

/// The largest bundle file a verifier reads.
pub const MAX_BUNDLE_BYTES: usize = 32 * 1024 * 1024;
/// Longest revocation reason, in bytes.
pub const MAX_REASON_BYTES: usize = 200;

/// How long after a visa's validity (or a key's certificate) ended a bundle still lists it. It
/// must exceed how far a kiosk's clock may lag the bundle's creation
/// ([`FreshnessPolicy::clock_tolerance`], 10 minutes; a later clock only makes a visa expire
/// sooner): a kiosk holding the bundle then sees every visa the bundle leaves out as expired.
pub const RETENTION: Duration = Duration::days(1);

/// The horizon of a bundle created at `created_at`: visas whose validity ended by then, and
/// certificates that ended by then, are left out of it.
pub fn horizon(created_at: OffsetDateTime) -> OffsetDateTime {
    whole_seconds(created_at) - RETENTION
}

/// The first `valid_until` day (Kazakhstan's calendar) whose visas a bundle created at
/// `created_at` still lists: a visa is valid to the end of its last day there, so exactly the
/// visas valid until this day or later end after the [`horizon`].
pub fn first_listed_day(created_at: OffsetDateTime) -> Date {
    kazakhstan_date(horizon(created_at))
}

const CERTIFICATE_TYPE: &str = "kz-evisa-key-certificate-v1";
/// Format version 1: no kiosk keys. Still read, so an installed bundle keeps working until the
/// next one arrives; a kiosk holding one believes no ledger export.
const BUNDLE_TYPE_V1: &str = "kz-evisa-trust-bundle-v1";
/// Format version 2 (written now): version 1 and the registered kiosks.
const BUNDLE_TYPE: &str = "kz-evisa-trust-bundle-v2";

/// The root's statement that an issuer key may sign visas issued within a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCertificate {
    key: PublicKey,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
}

/// One revoked visa.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// The visa number.
    pub visa_number: VisaNumber,
    /// Why, in the migration officer's words.
    pub reason: String,
    /// When it was revoked.
    pub revoked_at: OffsetDateTime,
}

/// The first entry made on a single-entry visa, as a kiosk recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsedEntry {
    /// The visa number.
    pub visa_number: VisaNumber,
    /// When the entry was recorded.
    pub at: OffsetDateTime,
    /// Where.
    pub port: Port,
    /// Which kiosk recorded it.
    pub kiosk_id: String,
}

/// What a trust bundle says, as the issuer assembles it to sign: not trusted by anyone until
/// signed by the root and read back through [`TrustBundle::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleContents {
    sequence: u64,
    created_at: OffsetDateTime,
    certificates: Vec<KeyCertificate>,
    revoked_visas: Vec<Revocation>,
    revoked_keys: Vec<Kid>,
    used_entries: Vec<UsedEntry>,
    kiosks: Vec<RegisteredKiosk>,
}

/// A trust bundle whose root signature verified. Only [`TrustBundle::verify`] makes one, so
/// nothing a kiosk trusts can come from contents nobody signed. Its contents are read through
/// `Deref` to [`BundleContents`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustBundle(BundleContents);

/// How old trust data may get before a kiosk warns, and before it stops deciding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FreshnessPolicy {
    /// Past this age the kiosk shows a warning.
    pub warn_after: Duration,
    /// Past this age verdicts become "cannot verify: trust data too old".
    pub refuse_after: Duration,
    /// How far the clock may lag the high-water mark (clock skew between issuer and kiosk).
    pub clock_tolerance: Duration,
}

/// What a kiosk may conclude about its trust data and its clock right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustState {
    /// Recent enough.
    Fresh {
        /// Age of the bundle.
        age: Duration,
    },
    /// Older than the warning age; verdicts still stand.
    Aging {
        /// Age of the bundle.
        age: Duration,
    },
    /// Older than the hard limit: nothing can be verified.
    Stale {
        /// Age of the bundle.
        age: Duration,
    },
    /// The clock is earlier than something that already happened: it was wound back.
    ClockSuspicious {
        /// The latest moment known to have passed.
        high_water: OffsetDateTime,
    },
}

/// Why trust data was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// Larger than [`MAX_BUNDLE_BYTES`].
    #[error("the file is larger than a trust bundle can be")]
    TooLarge,
    /// Not the COSE_Sign1 structure.
    #[error("the file is not a signed trust document: {0}")]
    Envelope(#[from] CoseError),
    /// Signed by a key other than the root.
    #[error("the file is not signed by the trusted root key")]
    WrongRoot,
    /// The signature does not match: the file was altered.
    #[error("the signature does not match: the file was altered")]
    BadSignature,
    /// A certificate where a bundle was expected, or the other way round.
    #[error("the file is a {found}, not a {expected}")]
    WrongType {
        /// What the caller wanted.
        expected: &'static str,
        /// What the file says it is.
        found: String,
    },
    /// Signed, but the content is malformed.
    #[error("the signed content is malformed: {0}")]
    Content(String),
    /// Older than (or as old as) the bundle already installed.
    #[error("bundle {offered} is not newer than the installed bundle {installed}")]
    Rollback {
        /// Sequence number of the installed bundle.
        installed: u64,
        /// Sequence number offered.
        offered: u64,
    },
}

/// Why a verified visa is nevertheless refused by the trust data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustRefusal {
    /// The migration service revoked this visa.
    #[error("the visa was revoked on {}: {reason}", revoked_at.date())]
    RevokedVisa {
        /// The officer's reason.
        reason: String,
        /// When.
        revoked_at: OffsetDateTime,
    },
    /// The signing key was revoked (compromise): nothing it signed is trusted.
    #[error("the key {0} that signed this visa was revoked")]
    RevokedKey(Kid),
    /// The key is not certified by the root.
    #[error("the key {0} is not certified by the root")]
    NotCertified(Kid),
    /// Issued outside the signing key's certified period.
    #[error("the visa was issued outside the certified period of key {0}")]
    IssuedOutsideKeyPeriod(Kid),
    /// Valid beyond the end of the signing key's certificate.
    #[error("the visa is valid beyond the certificate of key {0}")]
    OutlivesCertificate(Kid),
}

impl TrustRefusal {
    /// A stable machine-readable reason.
    pub fn code(&self) -> &'static str {
        match self {
            Self::RevokedVisa { .. } => "revoked",
            Self::RevokedKey(_) => "revoked_key",
            Self::NotCertified(_) => "unknown_key",
            Self::IssuedOutsideKeyPeriod(_) => "outside_key_period",
            Self::OutlivesCertificate(_) => "outlives_key_certificate",
        }
    }
}

impl Default for FreshnessPolicy {
    fn default() -> Self {
        Self {
            warn_after: Duration::hours(24),
            refuse_after: Duration::days(7),
            clock_tolerance: Duration::minutes(10),
        }
    }
}

impl FreshnessPolicy {
    /// Assesses trust data created at `created_at` on a kiosk whose latest known moment is
    /// `high_water` (the newest bundle or ledger record) and whose clock says `now`.
    pub fn assess(
        &self,
        created_at: OffsetDateTime,
        high_water: OffsetDateTime,
        now: OffsetDateTime,
    ) -> TrustState {
        let high_water = high_water.max(created_at);
        if now + self.clock_tolerance < high_water {
            return TrustState::ClockSuspicious { high_water };
        }
        let age = (now - created_at).max(Duration::ZERO);
        if age > self.refuse_after {
            TrustState::Stale { age }
        } else if age > self.warn_after {
            TrustState::Aging { age }
        } else {
            TrustState::Fresh { age }
        }
    }
}

impl KeyCertificate {
    /// Certifies `key` for visas issued from `not_before` to `not_after`.
    pub fn new(
        key: PublicKey,
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
    ) -> Result<Self, BundleError> {
        if not_after <= not_before {
            return Err(BundleError::Content(
                "a certificate must end after it starts".into(),
            ));
        }
        Ok(Self {
            key: key.clone(),
            not_before: whole_seconds(not_before),
            not_after: whole_seconds(not_after),
        })
    }

    /// The certified key.
    pub fn key(&self) -> &PublicKey {
        &self.key
    }
    /// Start of the certified period.
    pub fn not_before(&self) -> OffsetDateTime {
        self.not_before
    }
    /// End of the certified period.
    pub fn not_after(&self) -> OffsetDateTime {
        self.not_after
    }

    /// Whether this key may sign a visa issued at `issued_at` that is valid until `valid_to`
    /// (the instant validity ends). The issuer asks before signing; the kiosk after verifying.
    pub fn covers(
        &self,
        issued_at: OffsetDateTime,
        valid_to: OffsetDateTime,
    ) -> Result<(), TrustRefusal> {
        if issued_at < self.not_before || issued_at > self.not_after {
            return Err(TrustRefusal::IssuedOutsideKeyPeriod(self.key.kid()));
        }
        if valid_to > self.not_after {
            return Err(TrustRefusal::OutlivesCertificate(self.key.kid()));
        }
        Ok(())
    }

    /// The certificate as a root-signed file.
    pub fn sign(&self, root: &IssuerKey) -> Vec<u8> {
        let mut w = Writer::new();
        w.map(4).uint(0).text(CERTIFICATE_TYPE).uint(1);
        write_certificate_body(&mut w, self);
        cose::sign1(root, &w.into_bytes())
    }

    /// Reads a root-signed certificate file.
    pub fn verify(bytes: &[u8], root: &PublicKey) -> Result<Self, BundleError> {
        let payload = open(bytes, root)?;
        let mut r = Reader::new(payload);
        expect_map_type(&mut r, 4, CERTIFICATE_TYPE, "key certificate")?;
        expect_key(&mut r, 1)?;
        let certificate = read_certificate_body(&mut r)?;
        r.finish().map_err(content)?;
        Ok(certificate)
    }
}

impl BundleContents {
    /// Assembles a bundle for signing. Sequence numbers start at 1 and only grow.
    pub fn new(
        sequence: u64,
        created_at: OffsetDateTime,
        certificates: Vec<KeyCertificate>,
        revoked_visas: Vec<Revocation>,
        revoked_keys: Vec<Kid>,
        used_entries: Vec<UsedEntry>,
    ) -> Result<Self, BundleError> {
        if sequence == 0 {
            return Err(BundleError::Content("sequence numbers start at 1".into()));
        }
        if let Some(r) = revoked_visas
            .iter()
            .find(|r| r.reason.len() > MAX_REASON_BYTES)
        {
            return Err(BundleError::Content(format!(
                "the reason for revoking {} is longer than {MAX_REASON_BYTES} bytes",
                r.visa_number.as_str()
            )));
        }
        if let Some(u) = used_entries
            .iter()
            .find(|u| u.kiosk_id.is_empty() || u.kiosk_id.len() > MAX_KIOSK_ID_BYTES)
        {
            return Err(BundleError::Content(format!(
                "the kiosk id of the entry on {} is empty or too long",
                u.visa_number.as_str()
            )));
        }
        // Kept in visa-number order (first uses by time within a visa), so a kiosk finds a visa's
        // entries by binary search among hundreds of thousands.
        let mut revoked_visas = revoked_visas;
        revoked_visas.sort_by(|a, b| a.visa_number.cmp(&b.visa_number));
        let mut used_entries = used_entries;
        used_entries.sort_by(|a, b| (&a.visa_number, a.at).cmp(&(&b.visa_number, b.at)));
        Ok(Self {
            sequence,
            created_at: whole_seconds(created_at),
            certificates,
            revoked_visas,
            revoked_keys,
            used_entries,
            kiosks: Vec::new(),
        })
    }

    /// The same bundle listing these registered kiosks. Two kiosks may share neither an id nor
    /// a key, since either would make a signed ledger export ambiguous.
    pub fn with_kiosks(mut self, kiosks: Vec<RegisteredKiosk>) -> Result<Self, BundleError> {
        for (i, kiosk) in kiosks.iter().enumerate() {
            if let Some(other) = kiosks[..i]
                .iter()
                .find(|k| k.id == kiosk.id || k.kid() == kiosk.kid())
            {
                return Err(BundleError::Content(format!(
                    "kiosks {} and {} share an id or a key",
                    other.id, kiosk.id
                )));
            }
        }
        self.kiosks = kiosks;
        Ok(self)
    }

    /// The registered, unrevoked kiosks whose signed ledger exports may be imported.
    pub fn kiosks(&self) -> &[RegisteredKiosk] {
        &self.kiosks
    }
    /// The bundle's sequence number.
    pub fn sequence(&self) -> u64 {
        self.sequence
    }
    /// When the issuer made it.
    pub fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    /// The certified issuer keys.
    pub fn certificates(&self) -> &[KeyCertificate] {
        &self.certificates
    }
    /// Revoked visas.
    pub fn revoked_visas(&self) -> &[Revocation] {
        &self.revoked_visas
    }
    /// Revoked keys.
    pub fn revoked_keys(&self) -> &[Kid] {
        &self.revoked_keys
    }
    /// Single-entry visas already used.
    pub fn used_entries(&self) -> &[UsedEntry] {
        &self.used_entries
    }

    /// The issuer keys to verify signatures with: every certified key (revoked ones too, so a
    /// visa they signed is reported as signed by a revoked key rather than by an unknown one).
    pub fn trust_store(&self) -> TrustStore {
        TrustStore::from_keys(self.certificates.iter().map(|c| c.key.clone()))
    }

    /// Checks a verified visa against revocations and its key's certificate. The kiosk asks a
    /// root-signed [`TrustBundle`]; the issuer's printout check asks the contents of the next
    /// bundle, as its own database and key directory hold them.
    pub fn check(&self, visa: &VerifiedVisa) -> Result<(), TrustRefusal> {
        let kid = visa.kid();
        if self.revoked_keys.contains(&kid) {
            return Err(TrustRefusal::RevokedKey(kid));
        }
        let certificate = self
            .certificates
            .iter()
            .find(|c| c.key.kid() == kid)
            .ok_or(TrustRefusal::NotCertified(kid))?;
        certificate.covers(visa.issued_at(), end_of_validity(visa))?;
        match self.revocation(visa) {
            Some(refusal) => Err(refusal),
            None => Ok(()),
        }
    }

    /// The revocation of a verified visa or of its signing key, if either is listed: what is
    /// left of [`BundleContents::check`] for a verifier that trusts issuer keys directly, with no
    /// certificates.
    pub fn revocation(&self, visa: &VerifiedVisa) -> Option<TrustRefusal> {
        let kid = visa.kid();
        if self.revoked_keys.contains(&kid) {
            return Some(TrustRefusal::RevokedKey(kid));
        }
        self.revoked_visas
            .binary_search_by(|r| r.visa_number.cmp(visa.number()))
            .ok()
            .and_then(|i| self.revoked_visas.get(i))
            .map(|r| TrustRefusal::RevokedVisa {
                reason: r.reason.clone(),
                revoked_at: r.revoked_at,
            })
    }

    /// The first recorded entry on a visa, from any kiosk that reported to the issuer.
    pub fn first_use(&self, visa_number: &VisaNumber) -> Option<&UsedEntry> {
        let first = self
            .used_entries
            .partition_point(|u| &u.visa_number < visa_number);
        self.used_entries
            .get(first)
            .filter(|u| &u.visa_number == visa_number)
    }

    /// This bundle's [`horizon`]: it lists the revocations and uses of the visas valid beyond it.
    pub fn horizon(&self) -> OffsetDateTime {
        horizon(self.created_at)
    }

    /// Whether this bundle speaks for the visa: `false` when the visa's validity ended by the
    /// horizon, so its revocation or use may have been left out. Such a visa has expired at any
    /// kiosk whose clock the bundle's freshness rules accept; a kiosk whose clock says otherwise
    /// must not read the bundle's silence as "not revoked".
    pub fn lists_visa(&self, visa: &VerifiedVisa) -> bool {
        end_of_validity(visa) > self.horizon()
    }

    /// The bundle as a root-signed file.
    pub fn sign(&self, root: &IssuerKey) -> Vec<u8> {
        let mut w = Writer::new();
        w.map(8).uint(0).text(BUNDLE_TYPE);
        w.uint(1).uint(self.sequence);
        w.uint(2).int(self.created_at.unix_timestamp());
        w.uint(3).array(self.certificates.len());
        for c in &self.certificates {
            write_certificate_body(&mut w, c);
        }
        w.uint(4).array(self.revoked_visas.len());
        for r in &self.revoked_visas {
            w.array(3)
                .text(r.visa_number.as_str())
                .text(&r.reason)
                .int(r.revoked_at.unix_timestamp());
        }
        w.uint(5).array(self.revoked_keys.len());
        for kid in &self.revoked_keys {
            w.bytes(kid.as_bytes());
        }
        w.uint(6).array(self.used_entries.len());
        for u in &self.used_entries {
            w.array(4)
                .text(u.visa_number.as_str())
                .int(u.at.unix_timestamp())
                .text(u.port.code())
                .text(&u.kiosk_id);
        }
        w.uint(7).array(self.kiosks.len());
        for k in &self.kiosks {
            w.array(3)
                .text(k.id.as_str())
                .text(k.port.code())
                .bytes(k.key.as_bytes());
        }
        cose::sign1(root, &w.into_bytes())
    }
}

impl std::ops::Deref for TrustBundle {
    type Target = BundleContents;

    fn deref(&self) -> &BundleContents {
        &self.0
    }
}

impl TrustBundle {
    /// Reads a bundle file: the root's signature first, then the content, strictly.
    pub fn verify(bytes: &[u8], root: &PublicKey) -> Result<Self, BundleError> {
        let payload = open(bytes, root)?;
        let mut r = Reader::new(payload);
        let version = expect_bundle_type(&mut r)?;
        expect_key(&mut r, 1)?;
        let sequence = r.uint().map_err(content)?;
        expect_key(&mut r, 2)?;
        let created_at = read_time(&mut r)?;
        expect_key(&mut r, 3)?;
        let certificates = read_array(&mut r, read_certificate_body)?;
        expect_key(&mut r, 4)?;
        let revoked_visas = read_array(&mut r, |r| {
            expect_array(r, 3)?;
            Ok(Revocation {
                visa_number: read_visa_number(r)?,
                reason: r.text().map_err(content)?.to_owned(),
                revoked_at: read_time(r)?,
            })
        })?;
        expect_key(&mut r, 5)?;
        let revoked_keys = read_array(&mut r, |r| {
            Kid::from_slice(r.bytes().map_err(content)?)
                .ok_or_else(|| BundleError::Content("a key id has 8 bytes".into()))
        })?;
        expect_key(&mut r, 6)?;
        let used_entries = read_array(&mut r, |r| {
            expect_array(r, 4)?;
            Ok(UsedEntry {
                visa_number: read_visa_number(r)?,
                at: read_time(r)?,
                port: read_port(r)?,
                kiosk_id: r.text().map_err(content)?.to_owned(),
            })
        })?;
        let kiosks = if version == 2 {
            expect_key(&mut r, 7)?;
            read_array(&mut r, |r| {
                expect_array(r, 3)?;
                let id = KioskId::parse(r.text().map_err(content)?)
                    .map_err(|e| BundleError::Content(format!("kiosk id: {e}")))?;
                let port = read_port(r)?;
                Ok(RegisteredKiosk {
                    id,
                    port,
                    key: read_public_key(r)?,
                })
            })?
        } else {
            Vec::new()
        };
        r.finish().map_err(content)?;
        BundleContents::new(
            sequence,
            created_at,
            certificates,
            revoked_visas,
            revoked_keys,
            used_entries,
        )?
        .with_kiosks(kiosks)
        .map(Self)
    }

    /// Refuses this bundle unless it is newer than the one installed.
    pub fn check_newer_than(&self, installed: &TrustBundle) -> Result<(), BundleError> {
        if self.sequence <= installed.sequence {
            return Err(BundleError::Rollback {
                installed: installed.sequence,
                offered: self.sequence,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
