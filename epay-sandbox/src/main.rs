//! The `epay-sandbox` binary: reads its settings from flags or the environment and serves the
//! sandbox gateway (see the library, [`epay_sandbox`]).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use epay_sandbox::{CallbackPolicy, Config};

/// The sandbox of the e-government payment gateway (e-pay) for the e-visa issuer.
#[derive(Debug, Parser)]
#[command(name = "epay-sandbox", version, about)]
struct Args {
    /// The address to listen on.
    #[arg(long, env = "EPAY_ADDR", default_value = epay_sandbox::DEFAULT_ADDR)]
    addr: SocketAddr,
    /// The base URL browsers reach the gateway at (default: http:// and the address).
    #[arg(long, env = "EPAY_PUBLIC_URL")]
    public_url: Option<String>,
    /// The SQLite file to keep payments in (default: memory only, lost on exit).
    #[arg(long, env = "EPAY_DATABASE")]
    database: Option<std::path::PathBuf>,
    /// The merchant id of the issuer.
    #[arg(long, env = "EPAY_MERCHANT_ID", default_value = epay_sandbox::DEV_MERCHANT_ID)]
    merchant_id: String,
    /// Shared HMAC secrets, comma-separated: the first signs, all are accepted.
    #[arg(long, env = "EPAY_SECRETS", default_value = epay_sandbox::DEV_SECRET, hide_env_values = true)]
    secrets: String,
    /// Milliseconds an ordinary payment waits for the "bank" before it is final.
    #[arg(long, env = "EPAY_PROCESSING_MS", default_value_t = 2000)]
    processing_ms: u64,
    /// Seconds the documented pending card stays pending.
    #[arg(long, env = "EPAY_PENDING_SECONDS", default_value_t = 20)]
    pending_seconds: u64,
    /// Attempts per callback delivery.
    #[arg(long, env = "EPAY_CALLBACK_ATTEMPTS", default_value_t = 8)]
    callback_attempts: u32,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("epay-sandbox: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    let secrets: Vec<String> = args
        .secrets
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if secrets.is_empty() {
        bail!("EPAY_SECRETS lists no secret");
    }
    let config = Config {
        addr: args.addr,
        public_url: args.public_url,
        database: args.database,
        merchant_id: args.merchant_id,
        secrets,
        processing: Duration::from_millis(args.processing_ms),
        pending: Duration::from_secs(args.pending_seconds),
        callbacks: CallbackPolicy {
            attempts: args.callback_attempts.max(1),
            ..CallbackPolicy::default()
        },
    };
    let runtime = tokio::runtime::Runtime::new().context("starting the runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("listening on {}", config.addr))?;
        epay_sandbox::serve(config, listener)
            .await
            .context("serving")
    })
}
