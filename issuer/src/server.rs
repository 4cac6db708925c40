//! Starting the portal: configuration (flags and environment), the data directory, the database,
//! the demo data, and the HTTP server.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use crate::db::Db;
use crate::web::{AppState, Settings, app};

/// Configuration of `issuer serve` (the default command). Every flag has an environment variable.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port the portal listens on.
    #[arg(long, env = "ISSUER_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Directory for the SQLite database (created on first run).
    #[arg(long, env = "ISSUER_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// The visa signing key (PKCS#8 PEM). The default is the development key.
    #[arg(long, env = "ISSUER_KEY", default_value = "keys/dev-issuer.key")]
    pub key: PathBuf,
    /// Send cookies without `Secure` and without the `__Host-` prefix. Only for serving plain
    /// HTTP on a non-loopback address; browsers accept `Secure` cookies on http://127.0.0.1 and
    /// http://localhost.
    #[arg(long, env = "ISSUER_INSECURE_COOKIES")]
    pub insecure_cookies: bool,
    /// Do not add the demo inviting organisation and invitation on first run.
    #[arg(long, env = "ISSUER_NO_DEMO")]
    pub no_demo: bool,
}

/// Runs the portal until Ctrl-C.
pub async fn serve(args: ServeArgs) -> Result<()> {
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("creating the data directory {}", args.data_dir.display()))?;
    let db_path = args.data_dir.join("issuer.sqlite3");
    let db = Db::open(&db_path)?;
    let purged =
        db.with(|conn| crate::db::purge_sessions(conn, crate::web::session::unix_now()))?;
    tracing::info!(database = %db_path.display(), expired_sessions = purged, "database ready");
    if !args.no_demo {
        let today = crate::web::apply::today();
        if crate::demo::seed(&db, today)? {
            let inv = crate::demo::invitation_form(today);
            tracing::info!(
                organisation = %crate::demo::inviter_form().name,
                bin = crate::demo::DEMO_BIN,
                invitation = crate::demo::DEMO_INVITATION,
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
                crate::demo::DEMO_INVITATION,
                inv.valid_until
            );
        }
    }
    let state = AppState::new(
        db,
        Settings {
            secure_cookies: !args.insecure_cookies,
            form_targets: Vec::new(),
        },
    );
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("listening on {}", args.addr))?;
    tracing::info!("portal at http://{}/", listener.local_addr()?);
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("serving HTTP")
}
