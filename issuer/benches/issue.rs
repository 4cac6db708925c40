//! Visas issued per second through the issuer's own issuance.
//!
//! Part 1, one core, one visa after another: for each paid application the guarded immediate
//! transaction that signs and records the visa (SQLite in WAL mode with `synchronous = FULL`, on a
//! real file), then the PDF rendering of the download and storing it. `ISSUE_BENCH_ITERATIONS`
//! sets the count (default 100).
//!
//! Part 2, throughput on every core: `ISSUE_BENCH_VISAS` (default 1000) confirmed applications
//! with open payment orders; `ISSUE_BENCH_CONCURRENCY` (default 64) tasks at once take the real
//! path of a gateway callback, `service::issuance::settle` (payment notice, then exactly-once
//! issuance), then read the visa, render its PDF on a blocking thread and store it, as the first
//! download does. Twice in the same run, on the same database file: the baseline, each job in its
//! own transaction and commit on the one connection (what the issuer did before issue 15), and
//! the writer's group commits (`Db::write`). Each both with and without the PDF, so the storage
//! change shows on its own. `ISSUE_BENCH_DB` runs on that database file (a copy of one filled by
//! `issuer seed`) instead of a fresh one.
//!
//! Run: `cargo bench -p issuer --bench issue`.

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use issuer::clock::Clock;
use issuer::domain::issuance::IssueOutcome;
use issuer::domain::payment::{NoticeOutcome, PaymentMethod, PaymentNotice, PaymentStatus};
use issuer::service::issuance::{Signer, issue_logged, settle};
use issuer::store::{self, Db};
use sha2::Digest;

fn main() -> Result<()> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let key = issuer::keys::keyfile::load_private(&repo.join("keys/dev-issuer.key"))?;
    let iterations: usize = std::env::var("ISSUE_BENCH_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100);
    let dir = tempfile::tempdir()?;
    let path = std::env::var_os("ISSUE_BENCH_DB").map_or_else(
        || dir.path().join("bench.sqlite3"),
        std::path::PathBuf::from,
    );
    let db = Db::open(&path)?;
    let clock = Clock::system();
    let today = clock.today();
    issuer::service::demo::seed(&db, &clock)?;
    let ids = db.with(|conn| paid_applications(conn, today, iterations, true))?;

    let now = time::OffsetDateTime::now_utc();
    let start = Instant::now();
    let mut issue_time = 0.0;
    let mut sizes = Vec::with_capacity(ids.len());
    let mut numbers = Vec::with_capacity(ids.len());
    for (id, user) in &ids {
        let t = Instant::now();
        let outcome = db.with(|conn| issuer::service::issuance::issue(conn, id, &key, now))?;
        if !matches!(outcome, IssueOutcome::Issued(_)) {
            return Err(anyhow!("not issued: {outcome:?}"));
        }
        issue_time += t.elapsed().as_secs_f64();
        let visa = db
            .with(|conn| store::visa::visa_of(conn, id, *user))?
            .context("the issued visa")?;
        let pdf = issuer::pdf::render(
            &visa.visa,
            &visa.token,
            Some("Nomad Travel Demo LLP, BIN 180240012342"),
        )?;
        sizes.push(pdf.len());
        let stored = store::visa::StoredPdf {
            sha256: hex::encode(sha2::Sha256::digest(&pdf)),
            bytes: pdf,
        };
        let at = clock.rfc3339();
        db.with(|conn| store::visa::store_pdf(conn, visa.number.as_str(), &stored, &at))?;
        numbers.push(visa.number);
    }
    let total = start.elapsed().as_secs_f64();
    let n = ids.len() as f64;
    let (min, max) = (
        sizes.iter().min().copied().unwrap_or(0),
        sizes.iter().max().copied().unwrap_or(0),
    );
    println!(
        "issue (sign + durable record) + render: {} visas in {total:.2} s = {:.1} visas/s on one core \
         ({:.2} ms each: {:.2} ms issuing, {:.2} ms rendering); PDF size {min}-{max} bytes",
        ids.len(),
        n / total,
        total * 1000.0 / n,
        issue_time * 1000.0 / n,
        (total - issue_time) * 1000.0 / n,
    );
    // A later download reads the stored printout instead of rendering it again.
    let start = Instant::now();
    let mut served = 0;
    for number in &numbers {
        let pdf = db
            .with(|conn| store::visa::pdf_of(conn, number))?
            .context("the stored printout")?;
        served += std::hint::black_box(pdf.bytes).len();
    }
    let read = start.elapsed().as_secs_f64();
    println!(
        "a later download, served from storage: {:.3} ms each ({served} bytes read) vs {:.2} ms to render",
        read * 1000.0 / n,
        (total - issue_time) * 1000.0 / n,
    );
    throughput(&db, key, today)?;
    Ok(())
}

/// Makes `count` confirmed applications, each on its own invitation with an open payment order,
/// and records their payment if `pay`. Gives each application's id and owner, and its order's
/// "paid" notice (unsent when not `pay`).
fn paid_applications(
    conn: &mut issuer::store::Connection<'_>,
    today: time::Date,
    count: usize,
    pay: bool,
) -> Result<Vec<(String, i64)>> {
    Ok(applications(conn, today, count, pay)?
        .into_iter()
        .map(|(id, user, _)| (id, user))
        .collect())
}

/// See [`paid_applications`]. Preparation runs with `synchronous = OFF` (it is not what is
/// measured); FULL is set again before returning.
fn applications(
    conn: &mut issuer::store::Connection<'_>,
    today: time::Date,
    count: usize,
    pay: bool,
) -> Result<Vec<(String, i64, PaymentNotice)>> {
    let synchronous = |conn: &issuer::store::Connection<'_>, mode: &str| -> Result<()> {
        if let Some(lite) = conn.sqlite() {
            lite.pragma_update(None, "synchronous", mode)?;
        }
        Ok(())
    };
    synchronous(conn, "OFF")?;
    let made = make_applications(conn, today, count, pay);
    synchronous(conn, "FULL")?;
    made
}

fn make_applications(
    conn: &mut issuer::store::Connection<'_>,
    today: time::Date,
    count: usize,
    pay: bool,
) -> Result<Vec<(String, i64, PaymentNotice)>> {
    let now = Clock::system().rfc3339();
    let run = issuer::ids::random_id();
    let demo = issuer::service::demo::DemoOrders::new(conn, today)?;
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let (user, payment) = demo.open(conn, &format!("bench{i}.{run}@example.com"), &now)?;
        let id = payment.application_id.clone();
        let notice = PaymentNotice {
            payment_id: format!("pay-{i}-{run}"),
            order_id: payment.order_id,
            status: PaymentStatus::Paid,
            amount_minor: 8000,
            currency: "USD".into(),
            method: Some(PaymentMethod::Card),
            paid_at: Some(now.clone()),
            receipt_number: Some(format!("EP-{i}")),
            payer_hint: None,
        };
        if pay {
            store::payment::record_notice(conn, &notice, "bench", &now)?;
        }
        out.push((id, user, notice));
    }
    Ok(out)
}

/// How a throughput round writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Writes {
    /// Each job alone in its own transaction and commit (the issuer before issue 15).
    Alone,
    /// The writer's group commits.
    Grouped,
}

/// Part 2: payment notice → exactly-once issuance (→ stored PDF) on every core, both ways.
fn throughput(db: &Db, key: shared::IssuerKey, today: time::Date) -> Result<()> {
    let visas: usize = env_or("ISSUE_BENCH_VISAS", 1000);
    let concurrency: usize = env_or("ISSUE_BENCH_CONCURRENCY", 64);
    let signer: Arc<dyn Signer> = Arc::new(key);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let existing = db.with(|conn| store::visa::next_number(conn))?;
    println!(
        "throughput: {visas} payment notices per round, {concurrency} at a time, 2 worker threads, \
         {} cores; the next visa number is {existing}",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    for pdf in [false, true] {
        for writes in [Writes::Alone, Writes::Grouped] {
            let jobs = db.with(|conn| applications(conn, today, visas, false))?;
            let before = db.group_stats();
            let start = Instant::now();
            runtime.block_on(round(db, &signer, jobs, concurrency, writes, pdf))?;
            let seconds = start.elapsed().as_secs_f64();
            let (groups, grouped) = db.group_stats();
            let groups = groups - before.0;
            let mean = if groups == 0 {
                String::new()
            } else {
                format!(
                    "; {groups} group commits, {:.1} jobs each",
                    (grouped - before.1) as f64 / groups as f64
                )
            };
            println!(
                "  {:<44} {:>8.1} visas/s ({seconds:.2} s){mean}",
                format!(
                    "notice → issuance{} [{}]",
                    if pdf { " → stored PDF" } else { "" },
                    match writes {
                        Writes::Alone => "one commit per job (before)",
                        Writes::Grouped => "group commit",
                    }
                ),
                visas as f64 / seconds,
            );
        }
    }
    Ok(())
}

/// Settles every notice, `concurrency` at a time; checks that each issued exactly one visa.
async fn round(
    db: &Db,
    signer: &Arc<dyn Signer>,
    jobs: Vec<(String, i64, PaymentNotice)>,
    concurrency: usize,
    writes: Writes,
    pdf: bool,
) -> Result<()> {
    let queue = Arc::new(std::sync::Mutex::new(jobs));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (db, signer, queue) = (db.clone(), signer.clone(), queue.clone());
        workers.spawn(async move {
            loop {
                let job = queue.lock().map_err(|_| anyhow!("queue"))?.pop();
                let Some((id, user, notice)) = job else {
                    return Ok::<(), anyhow::Error>(());
                };
                one(&db, &signer, &id, user, notice, writes, pdf).await?;
            }
        });
    }
    while let Some(done) = workers.join_next().await {
        done??;
    }
    Ok(())
}

async fn one(
    db: &Db,
    signer: &Arc<dyn Signer>,
    id: &str,
    user: i64,
    notice: PaymentNotice,
    writes: Writes,
    pdf: bool,
) -> Result<()> {
    let clock = Clock::system();
    let outcome = match writes {
        Writes::Grouped => settle(db, signer, &clock, notice, "bench").await?,
        Writes::Alone => {
            // The issuer's settle before issue 15: the notice, then the issuance, each in its own
            // immediate transaction on the one connection.
            let (signer, clock) = (signer.clone(), clock.clone());
            db.call(move |conn| {
                let outcome =
                    store::payment::record_notice(conn, &notice, "bench", &clock.rfc3339())?;
                if let NoticeOutcome::Paid(application) = &outcome {
                    issue_logged(conn, application, signer.as_ref(), &clock)?;
                }
                Ok(outcome)
            })
            .await?
        }
    };
    if outcome != NoticeOutcome::Paid(id.to_owned()) {
        return Err(anyhow!("{id}: {outcome:?}"));
    }
    let (app_id, visa_id) = (id.to_owned(), id.to_owned());
    let visa = db
        .read(move |conn| store::visa::visa_of(conn, &app_id, user))
        .await?
        .with_context(|| format!("the visa of {visa_id}"))?;
    if !pdf {
        return Ok(());
    }
    let number = visa.number.clone();
    let stored = tokio::task::spawn_blocking(move || {
        issuer::pdf::render(
            &visa.visa,
            &visa.token,
            Some("Nomad Travel Demo LLP, BIN 180240012342"),
        )
        .map(|bytes| store::visa::StoredPdf {
            sha256: hex::encode(sha2::Sha256::digest(&bytes)),
            bytes,
        })
    })
    .await??;
    let at = clock.rfc3339();
    match writes {
        Writes::Grouped => {
            db.write(move |conn| store::visa::store_pdf(conn, &number, &stored, &at))
                .await?
        }
        Writes::Alone => {
            db.call(move |conn| store::visa::store_pdf(conn, &number, &stored, &at))
                .await?
        }
    };
    Ok(())
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}
