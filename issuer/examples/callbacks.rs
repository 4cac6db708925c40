//! The load client of `scripts/load-issuance.sh` (issue 15, goal 2): real, signed "paid"
//! callbacks of the payment gateway sent over HTTP to a running issuer, each payment once.
//!
//! ```text
//! callbacks prepare DATA_DIR COUNT [DATABASE_URL]
//!                                       # COUNT confirmed applications with open payment orders,
//!                                       # each owner logged in; writes DATA_DIR/../orders.tsv
//!                                       # (on PostgreSQL when DATABASE_URL is given)
//! callbacks fire BASE[,BASE…] ORDERS CONCURRENCY [download]
//! ```
//! With several comma-separated BASE addresses (instances on one PostgreSQL database), worker
//! `i` of the CONCURRENCY sends to instance `i mod n`: the callbacks are split round-robin.
//! `prepare` runs before the issuer starts, on its database: the demo data, then per application
//! an account, its own invitation, the confirmed application, its payment order as "To pay"
//! makes it, and a session row for its owner (the token goes to the orders file only).
//! `fire` sends each order's "paid" callback (signed with the development secret, as the sandbox
//! gateway does), CONCURRENCY at a time, and with `download` then downloads the visa's PDF as its
//! owner. It prints visas/s over the whole run and the latency percentiles of the callbacks (and
//! of callback + download), and fails on any answer other than 204 (and 200 with a PDF).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use issuer::clock::Clock;
use issuer::store::{self, Db};

const SECRET: &str = "dev-epay-secret-not-for-production";
const MERCHANT: &str = "evisa-dev";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["prepare", dir, count] => prepare(std::path::Path::new(dir), count.parse()?, None),
        ["prepare", dir, count, url] => {
            prepare(std::path::Path::new(dir), count.parse()?, Some(url))
        }
        ["fire", base, orders, concurrency, rest @ ..] => {
            let download = rest.first() == Some(&"download");
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
                .block_on(fire(base, orders, concurrency.parse()?, download))
        }
        _ => bail!(
            "usage: callbacks prepare DATA_DIR COUNT [DATABASE_URL] | fire BASE[,BASE…] ORDERS CONCURRENCY [download]"
        ),
    }
}

/// One order of the orders file.
struct Order {
    order_id: String,
    amount_minor: i64,
    currency: String,
    application_id: String,
    session: String,
}

fn prepare(dir: &std::path::Path, count: usize, url: Option<&str>) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let db = Db::open_configured(url, dir)?;
    let sqlite = db.backend() == store::Backend::Sqlite;
    let clock = Clock::system();
    issuer::service::demo::seed(&db, &clock)?;
    let today = clock.today();
    let now = clock.rfc3339();
    let expires = clock.unix() + 12 * 3600;
    let orders = db.with(|conn| {
        // Preparing is not what is measured: no fsync per row.
        if sqlite {
            conn.execute_batch("PRAGMA synchronous = OFF")?;
        } else {
            conn.execute_batch("SET synchronous_commit = off")?;
        }
        let demo = issuer::service::demo::DemoOrders::new(conn, today)?;
        let run = issuer::ids::random_id();
        let mut orders = Vec::with_capacity(count);
        for i in 0..count {
            let (user, payment) = demo.open(conn, &format!("load{i}.{run}@load.example"), &now)?;
            let id = &payment.application_id;
            let session = issuer::ids::new_token();
            store::account::insert_session(
                conn,
                &issuer::ids::hash_token(&session),
                "web",
                Some(user),
                &issuer::ids::new_token(),
                expires,
            )?;
            orders.push(format!(
                "{}\t{}\t{}\t{id}\t{session}\n",
                payment.order_id, payment.amount_minor, payment.currency
            ));
        }
        if sqlite {
            conn.execute_batch("PRAGMA synchronous = FULL")?;
        } else {
            conn.execute_batch("SET synchronous_commit = on")?;
        }
        Ok(orders)
    })?;
    let file = dir.join("../orders.tsv");
    std::fs::write(&file, orders.concat())?;
    println!("{count} payable applications; orders in {}", file.display());
    Ok(())
}

fn read_orders(path: &str) -> Result<Vec<Order>> {
    std::fs::read_to_string(path)?
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let [order, amount, currency, application, session] = f.as_slice() else {
                bail!("a bad line in {path}: {line}");
            };
            Ok(Order {
                order_id: (*order).to_owned(),
                amount_minor: amount.parse()?,
                currency: (*currency).to_owned(),
                application_id: (*application).to_owned(),
                session: (*session).to_owned(),
            })
        })
        .collect()
}

async fn fire(base: &str, orders: &str, concurrency: usize, download: bool) -> Result<()> {
    let orders = read_orders(orders)?;
    let count = orders.len();
    let secrets = epay_contract::Secrets::new([SECRET])?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(30))
        .build()?;
    let queue = Arc::new(Mutex::new(orders));
    let started = Instant::now();
    let bases: Vec<&str> = base.split(',').filter(|b| !b.is_empty()).collect();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..concurrency {
        let (client, queue, secrets, base) = (
            client.clone(),
            queue.clone(),
            secrets.clone(),
            bases[worker % bases.len()].to_owned(),
        );
        workers.spawn(async move {
            let mut times = Vec::new();
            loop {
                let next = queue.lock().map_err(|_| anyhow!("queue"))?.pop();
                let Some(order) = next else {
                    return Ok::<_, anyhow::Error>(times);
                };
                times.push(one(&client, &secrets, &base, &order, download).await?);
            }
        });
    }
    let mut callbacks = Vec::with_capacity(count);
    let mut wholes = Vec::with_capacity(count);
    while let Some(done) = workers.join_next().await {
        for (callback, whole) in done?? {
            callbacks.push(callback);
            wholes.push(whole);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "RESULT visas={count} seconds={seconds:.3} visas_per_s={:.1} concurrency={concurrency} \
         instances={} download={download} callback_p50_ms={:.2} callback_p99_ms={:.2} callback_max_ms={:.2} \
         whole_p50_ms={:.2} whole_p99_ms={:.2}",
        count as f64 / seconds,
        bases.len(),
        percentile(&mut callbacks, 0.50),
        percentile(&mut callbacks, 0.99),
        percentile(&mut callbacks, 1.0),
        percentile(&mut wholes, 0.50),
        percentile(&mut wholes, 0.99),
    );
    Ok(())
}

/// Sends one order's "paid" callback (and downloads the PDF); gives both latencies in ms.
async fn one(
    client: &reqwest::Client,
    secrets: &epay_contract::Secrets,
    base: &str,
    order: &Order,
    download: bool,
) -> Result<(f64, f64)> {
    let started = Instant::now();
    let body = serde_json::to_vec(&serde_json::json!({
        "payment_id": format!("pay-{}", order.order_id),
        "order_id": order.order_id,
        "status": "paid",
        "amount_minor": order.amount_minor,
        "currency": order.currency,
        "method": "card",
        "paid_at": Clock::system().rfc3339(),
        "receipt_number": format!("EP-LOAD-{}", &order.order_id[..8]),
        "payer_hint": "**** 1111",
    }))?;
    let mut request = client
        .post(format!("{base}/epay/callback"))
        .header("content-type", "application/json");
    for (name, value) in secrets.headers(MERCHANT, Clock::system().unix(), &body) {
        request = request.header(name, value);
    }
    let answer = request.body(body).send().await?;
    if answer.status() != reqwest::StatusCode::NO_CONTENT {
        bail!(
            "order {}: the callback answered {}",
            order.order_id,
            answer.status()
        );
    }
    let callback = started.elapsed().as_secs_f64() * 1000.0;
    if download {
        let answer = client
            .get(format!(
                "{base}/applications/{}/visa.pdf",
                order.application_id
            ))
            .header("cookie", format!("session={}", order.session))
            .send()
            .await?;
        let status = answer.status();
        let bytes = answer.bytes().await?;
        if status != reqwest::StatusCode::OK || !bytes.starts_with(b"%PDF-") {
            bail!(
                "application {}: the PDF answered {status}",
                order.application_id
            );
        }
    }
    Ok((callback, started.elapsed().as_secs_f64() * 1000.0))
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((values.len() as f64 * p).ceil() as usize).clamp(1, values.len());
    values[rank - 1]
}
