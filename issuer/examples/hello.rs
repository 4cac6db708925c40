//! A minimal axum server answering "Hello, world!" on every GET of `/`: the baseline of
//! `scripts/load-portal.sh`, run on the same machine in the same run as the portal, so the table
//! in `docs/performance.md` can give the portal's throughput as a ratio of the best an axum
//! server does there.
//!
//! `cargo build --release -p issuer --example hello`, then `target/release/examples/hello ADDR`;
//! it prints the address it listens on.

use anyhow::Result;

#[tokio::main]
async fn main() -> Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "Hello, world!" }));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
