//! The composition root: configuration (flags and environment), the data directory, the
//! database, the demo data, the signer, the gateway and the HTTP server, wired together.

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use crate::clock::Clock;
use crate::domain::fees::Fees;
use crate::epay::{Gateway, Secrets};
use crate::keys::keyring::{KeyDirectory, Keyring};
use crate::mail::{Mailer, Transport};
use crate::service::issuance::Signer;
use crate::store::{self, Db};
use crate::web::{AppState, Settings, TrustFiles, app};

/// Configuration of `issuer serve` (the default command). Every flag has an environment variable.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port the portal listens on.
    #[arg(long, env = "ISSUER_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Directory for the SQLite database (created on first run).
    #[arg(long, env = "ISSUER_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// PostgreSQL instead of SQLite: `postgres://user@host:port/db` (several instances share
    /// it). Without it, the SQLite file in the data directory.
    #[arg(long, env = "ISSUER_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// With `--database-url`: at most this many connections to PostgreSQL from this instance.
    /// About twice the server's cores over all instances together; more only queue inside it.
    #[arg(long, env = "ISSUER_DATABASE_POOL", default_value_t = crate::store::DEFAULT_POOL_SIZE,
          value_parser = clap::value_parser!(u32).range(1..=500))]
    pub database_pool: u32,
    /// Sign with this one key file (PKCS#8 PEM) instead of the key directory, without checking a
    /// certificate: for development and tests only.
    #[arg(long, env = "ISSUER_KEY")]
    pub key: Option<PathBuf>,
    /// The signing keys: NAME.key with its root certificate NAME.cert. The newest key whose
    /// certificate covers a visa (its issuing time and whole validity) signs it. The directory is
    /// read at every signature, so a newly certified key takes over without a restart. The
    /// default holds the development key and its certificate.
    #[arg(long, env = "ISSUER_KEY_DIR", default_value = "keys")]
    pub key_dir: PathBuf,
    /// The root public key that certifies the keys of `--key-dir`.
    #[arg(
        long,
        env = "ISSUER_ROOT_PUB",
        default_value = "keys/root/dev-root.pub"
    )]
    pub root_pub: PathBuf,
    /// The root private key, for supervisors to export trust bundles from the back office (it is
    /// read at each export). Without it, bundles are exported with `issuer bundle export` only.
    #[arg(long, env = "ISSUER_ROOT_KEY")]
    pub root_key: Option<PathBuf>,
    /// Send cookies without `Secure` and without the `__Host-` prefix. Only for serving plain
    /// HTTP on a non-loopback address; browsers accept `Secure` cookies on http://127.0.0.1 and
    /// http://localhost.
    #[arg(long, env = "ISSUER_INSECURE_COOKIES")]
    pub insecure_cookies: bool,
    /// Client addresses with no per-address limit on log-ins and sign-ups, comma-separated: only
    /// for load tests and API conformance runs on loopback. Attempts from them are still
    /// throttled per account. See docs/operations.md.
    #[arg(long, env = "ISSUER_UNTHROTTLED", value_delimiter = ',')]
    pub unthrottled: Vec<std::net::IpAddr>,
    /// Do not add the demo inviting organisation and invitation on first run.
    #[arg(long, env = "ISSUER_NO_DEMO")]
    pub no_demo: bool,
    /// The portal's address as browsers and the gateway reach it (for the return and callback
    /// addresses); default `http://<addr>`.
    #[arg(long, env = "ISSUER_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The e-pay gateway's base URL. Without it the sandbox gateway starts in this process, as
    /// its own server on `--sandbox-addr`, and the portal talks to it over HTTP.
    #[arg(long, env = "EPAY_GATEWAY_URL")]
    pub gateway_url: Option<String>,
    /// Where the built-in sandbox gateway listens when no `--gateway-url` is given.
    #[arg(long, env = "EPAY_SANDBOX_ADDR", default_value = "127.0.0.1:8081")]
    pub sandbox_addr: SocketAddr,
    /// Our merchant id at the gateway.
    #[arg(long, env = "EPAY_MERCHANT_ID", default_value = "evisa-dev")]
    pub merchant_id: String,
    /// The HMAC secrets shared with the gateway, comma-separated: the first signs, all verify
    /// (for rotation). The default is the development secret.
    #[arg(
        long,
        env = "EPAY_SECRETS",
        default_value = "dev-epay-secret-not-for-production",
        hide_env_values = true
    )]
    pub epay_secrets: String,
    /// The SMTP server mail goes through: `smtp://host:port` (plain, for a relay on this host),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS; `tls=starttls` also works) or
    /// `smtps://user:pass@host:465` (TLS from the start); percent-encode special characters of
    /// the user and password. Without it every mail is written as an `.eml` file to
    /// `<data-dir>/outbox/`.
    #[arg(long, env = "ISSUER_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of the portal's mail.
    #[arg(long, env = "ISSUER_MAIL_FROM", default_value = crate::mail::DEFAULT_FROM)]
    pub mail_from: String,
    /// The state duty per category in USD, like `business=80,tourist=80,treatment=80`.
    #[arg(
        long,
        env = "ISSUER_FEES",
        default_value = "business=80,tourist=80,treatment=80"
    )]
    pub fees: String,
    /// After SIGTERM or Ctrl-C: how long requests already running may take to finish, in
    /// seconds, before the process stops anyway (and exits 1 to say so).
    #[arg(long, env = "ISSUER_SHUTDOWN_GRACE", default_value_t = 20)]
    pub shutdown_grace: u64,
}

/// Runs the portal until SIGTERM or Ctrl-C, then shuts down gracefully: stops accepting, lets the
/// requests already running finish (for at most `--shutdown-grace` seconds), waits for the
/// database writer to commit what it was given and checkpoints the WAL. Answers an error only
/// when requests were still running at the end of the grace period.
pub async fn serve(args: ServeArgs) -> Result<()> {
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("creating the data directory {}", args.data_dir.display()))?;
    let db = Db::open_with_pool(
        args.database_url.as_deref(),
        &args.data_dir,
        args.database_pool,
    )?;
    let clock = Clock::system();
    let now = clock.unix();
    let purged = db.with(|conn| store::account::purge_sessions(conn, now))?;
    tracing::info!(backend = ?db.backend(), expired_sessions = purged, "database ready");
    if !args.no_demo && crate::service::demo::seed(&db, &clock)? {
        let inv = crate::service::demo::invitation_form(clock.today());
        tracing::info!(
            organisation = %crate::service::demo::inviter_form().name,
            bin = crate::service::demo::DEMO_BIN,
            invitation = crate::service::demo::DEMO_INVITATION,
            "demo data added"
        );
        tracing::info!(
            surname = %inv.surname,
            given_names = %inv.given_names,
            passport = %inv.passport_number,
            citizenship = %inv.citizenship,
            date_of_birth = %inv.date_of_birth,
            sex = "F",
            category = %inv.category,
            "demo applicant (apply with invitation {}; any passport expiry after {})",
            crate::service::demo::DEMO_INVITATION,
            inv.valid_until
        );
    }
    let mut trust = None;
    let key: std::sync::Arc<dyn Signer> = match &args.key {
        None => {
            let dir = &args.key_dir;
            let root = crate::keys::keyfile::load_public(&args.root_pub)?;
            // Fail at start, not at the first visa, if the directory is not usable.
            let keyring = Keyring::load(dir, &root)?;
            tracing::info!(dir = %dir.display(), keys = keyring.keys().len(), "signing with the key directory");
            if let Some(root_key) = &args.root_key {
                // Fail at start if the root key is not the one that certifies the directory.
                let private = crate::keys::keyfile::load_private(root_key)?;
                if private.public_key() != root {
                    anyhow::bail!(
                        "{} is not the private half of {}",
                        root_key.display(),
                        args.root_pub.display()
                    );
                }
            }
            trust = Some(TrustFiles {
                key_dir: dir.clone(),
                root_public: root.clone(),
                root_key: args.root_key.clone(),
            });
            std::sync::Arc::new(KeyDirectory {
                dir: dir.clone(),
                root,
            })
        }
        Some(path) => {
            let key = crate::keys::keyfile::load_private(path)?;
            tracing::warn!(key = %path.display(), kid = %key.kid(), "signing with one key file, no certificate check (development only)");
            std::sync::Arc::new(key)
        }
    };
    let issued = crate::service::issuance::complete_paid(&db, key.as_ref(), &clock)?;
    if issued > 0 {
        tracing::info!(issued, "paid applications without a visa were issued");
    }
    let secrets = Secrets::parse(&args.epay_secrets)?;
    let gateway_url = match &args.gateway_url {
        Some(url) => url.clone(),
        None => start_sandbox(&args).await?,
    };
    let gateway = Gateway::new(&gateway_url, &args.merchant_id, secrets)?.with_clock(clock.clone());
    // Bound before the settings are made, so the default public address (in the return and
    // callback URLs the gateway gets) carries the real port, also when `--addr` asks for port 0.
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("listening on {}", args.addr))?;
    let bound = listener.local_addr()?;
    tracing::info!(gateway = %gateway_url, merchant = %args.merchant_id, "payment gateway");
    let state = AppState::new(
        db,
        Settings {
            secure_cookies: !args.insecure_cookies,
            form_targets: Vec::new(),
            fees: Fees::parse(&args.fees)?,
            public_url: args
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{bound}")),
            cookie_key: crate::web::CookieKey::load_or_create(&args.data_dir.join("cookie.key"))?,
            unthrottled: args.unthrottled.clone(),
        },
        gateway,
        key,
        clock.clone(),
    );
    if let Some(files) = trust {
        state.set_trust_files(files);
    }
    let transport = match &args.smtp_url {
        Some(url) => Transport::smtp(url)?,
        None => Transport::folder(&args.data_dir.join("outbox"))?,
    };
    let mailer = Mailer::new(
        state.db.clone(),
        clock.clone(),
        transport,
        &args.mail_from,
        &state.settings.public_url,
    )?;
    let waiting = state.db.with(|conn| store::outbox::waiting(conn))?;
    tracing::info!(waiting, "mail goes to {}", mailer.describe());
    tokio::spawn(mailer.run(state.mail_bell.clone()));
    let purge_db = state.db.clone();
    tokio::spawn(async move {
        // Expired sessions are forgotten hourly, so anonymous visits do not pile up.
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            hourly.tick().await;
            let now = clock.unix();
            if let Err(error) = purge_db
                .call(move |conn| {
                    store::office::purge_sessions(conn, now)?;
                    store::account::purge_sessions(conn, now)
                })
                .await
            {
                tracing::warn!(error = format!("{error:#}"), "purging sessions failed");
            }
        }
    });
    tracing::info!("portal at http://{bound}/");
    let db = state.db.clone();
    let (stopping, mut stopped) = tokio::sync::watch::channel(false);
    let server = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        let signal = shutdown_signal().await;
        tracing::info!(
            signal,
            "shutting down: no new connections, finishing requests"
        );
        let _ = stopping.send(true);
    });
    let grace = std::time::Duration::from_secs(args.shutdown_grace);
    let drained = tokio::select! {
        served = server.into_future() => {
            served.context("serving HTTP")?;
            true
        }
        () = async {
            let _ = stopped.wait_for(|stop| *stop).await;
            tokio::time::sleep(grace).await;
        } => false,
    };
    // Every answered write is committed already; this waits for the writes still queued.
    db.flush().await.context("flushing the database")?;
    if !drained {
        anyhow::bail!(
            "requests were still running {} s after the shutdown signal; stopped anyway",
            args.shutdown_grace
        );
    }
    tracing::info!("stopped: every request finished, database flushed");
    Ok(())
}

/// Waits for SIGTERM (what a service manager or an orchestrator sends) or Ctrl-C; names it.
async fn shutdown_signal() -> &'static str {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for SIGTERM; Ctrl-C still stops");
                    let _ = tokio::signal::ctrl_c().await;
                    return "ctrl-c";
                }
            };
        tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = tokio::signal::ctrl_c() => "ctrl-c",
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "ctrl-c"
    }
}

/// Starts the sandbox gateway in this process, as its own server on its own port, and returns
/// its base URL. The portal reaches it only over HTTP, like the real gateway.
async fn start_sandbox(args: &ServeArgs) -> Result<String> {
    let listener = tokio::net::TcpListener::bind(args.sandbox_addr)
        .await
        .with_context(|| format!("listening on {} for the sandbox gateway", args.sandbox_addr))?;
    let url = format!("http://{}", listener.local_addr()?);
    let config = epay_sandbox::Config {
        addr: args.sandbox_addr,
        public_url: Some(url.clone()),
        merchant_id: args.merchant_id.clone(),
        secrets: args
            .epay_secrets
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        ..epay_sandbox::Config::default()
    };
    tokio::spawn(async move {
        if let Err(error) = epay_sandbox::serve(config, listener).await {
            tracing::error!(%error, "the sandbox gateway stopped");
        }
    });
    Ok(url)
}
