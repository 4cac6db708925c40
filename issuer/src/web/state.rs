//! What every handler shares: the database, the clock, the settings fixed at start, the payment
//! gateway and the signer.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use crate::clock::Clock;
use crate::domain::fees::Fees;
use crate::epay::Gateway;
use crate::service::account::Credentials;
use crate::service::hasher::Hasher;
use crate::service::issuance::Signer;
use crate::service::throttle::Throttle;
use crate::store::Db;

use super::cookie::CookieKey;
use super::printout::CheckGate;

/// The largest request body the portal reads, in bytes. Forms are a few hundred bytes.
pub const BODY_LIMIT: usize = 32 * 1024;

/// Everything the handlers share.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

/// The parts of [`AppState`].
#[derive(Debug)]
pub struct Inner {
    /// The database.
    pub db: Db,
    /// Settings fixed at start.
    pub settings: Settings,
    /// The printout check's per-address count and readers.
    pub checks: CheckGate,
    /// The throttle of every credential endpoint (log-in, sign-up, reset, officer log-in).
    pub throttle: Throttle,
    /// The Argon2 pool: one hash per core at a time, a short queue.
    pub hasher: Hasher,
    /// The payment gateway.
    pub gateway: Gateway,
    /// What signs visas.
    pub key: Arc<dyn Signer>,
    /// Where "now" comes from.
    pub clock: Clock,
    /// Rung after a handler queued mail, so the mailer (`mail::Mailer::run`) delivers it at once
    /// rather than at its next look.
    pub mail_bell: Arc<tokio::sync::Notify>,
    /// The key directory and root key the back office's key pages use, when the server has them.
    pub trust: OnceLock<TrustFiles>,
}

/// Where the back office finds the signing keys' certificates (`NAME.cert` in the key directory,
/// checked against the root public key) and, optionally, the root private key that signs trust
/// bundles. Without the root key, bundles are exported only with `issuer bundle export`.
#[derive(Debug, Clone)]
pub struct TrustFiles {
    /// The key directory.
    pub key_dir: PathBuf,
    /// The root public key the certificates must verify against.
    pub root_public: shared::PublicKey,
    /// The root private key file, read at each export and never kept in memory.
    pub root_key: Option<PathBuf>,
}

/// Settings the web layer needs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` and name the session cookie with the `__Host-` prefix.
    pub secure_cookies: bool,
    /// Origins besides our own that forms may lead to (the payment gateway), for the CSP.
    pub form_targets: Vec<String>,
    /// The state duty per category.
    pub fees: Fees,
    /// The portal's own address as the gateway and the browser reach it, like
    /// `http://127.0.0.1:8080`, for the return and callback addresses.
    pub public_url: String,
    /// The key signed cookies are made with (`cookie.key` in the data directory).
    pub cookie_key: CookieKey,
    /// Client addresses without a per-address throttle (load tests, conformance runs); their
    /// attempts are still throttled per account.
    pub unthrottled: Vec<std::net::IpAddr>,
}

impl AppState {
    /// Bundles the state.
    pub fn new(
        db: Db,
        settings: Settings,
        gateway: Gateway,
        key: Arc<dyn Signer>,
        clock: Clock,
    ) -> Self {
        let mut settings = settings;
        if !settings.form_targets.iter().any(|t| t == gateway.origin()) {
            settings.form_targets.push(gateway.origin().to_owned());
        }
        let throttle = Throttle::new(clock.clone()).exempting(&settings.unthrottled);
        Self(Arc::new(Inner {
            db,
            settings,
            checks: CheckGate::default(),
            throttle,
            hasher: Hasher::for_this_machine(),
            gateway,
            key,
            clock,
            trust: OnceLock::new(),
            mail_bell: Arc::new(tokio::sync::Notify::new()),
        }))
    }

    /// Gives the back office the key directory and the root key; once, at start. Answers
    /// whether they were set (`false`: they were set before and stay as they were).
    pub fn set_trust_files(&self, files: TrustFiles) -> bool {
        self.trust.set(files).is_ok()
    }
}

impl AppState {
    /// What the account services need: the database, the hashing pool and the throttle.
    pub fn credentials(&self) -> Credentials<'_> {
        Credentials {
            db: &self.db,
            hasher: &self.hasher,
            throttle: &self.throttle,
        }
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
