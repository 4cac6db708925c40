//! What every handler shares: the database, the clock, the settings fixed at start, the payment
//! gateway and the signer.

use std::sync::Arc;

use crate::clock::Clock;
use crate::domain::fees::Fees;
use crate::epay::Gateway;
use crate::service::issuance::Signer;
use crate::store::Db;

use super::session::LoginLimiter;

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
    /// Failed-login counters.
    pub limiter: LoginLimiter,
    /// The payment gateway.
    pub gateway: Gateway,
    /// What signs visas.
    pub key: Arc<dyn Signer>,
    /// Where "now" comes from.
    pub clock: Clock,
    /// Rung after a handler queued mail, so the mailer (`mail::Mailer::run`) delivers it at once
    /// rather than at its next look.
    pub mail_bell: Arc<tokio::sync::Notify>,
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
        Self(Arc::new(Inner {
            db,
            settings,
            limiter: LoginLimiter::default(),
            gateway,
            key,
            clock,
            mail_bell: Arc::new(tokio::sync::Notify::new()),
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
