//! Visas issued per second through the issuer's own issuance: for each paid application, the
//! guarded immediate transaction that signs and records the visa (SQLite in WAL mode with
//! `synchronous = FULL`, on a real file), then the PDF rendering of the download. Also the PDF
//! size. Plain timing loop; `ISSUE_BENCH_ITERATIONS` sets the count (default 100).
//!
//! Run: `cargo bench -p issuer --bench issue`.

use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use issuer::clock::Clock;
use issuer::domain::application::ApplicationForm;
use issuer::domain::issuance::IssueOutcome;
use issuer::domain::payment::{PaymentMethod, PaymentNotice, PaymentStatus};
use issuer::store::{self, Checked, Db};
use sha2::Digest;

fn main() -> Result<()> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let key = issuer::keys::keyfile::load_private(&repo.join("keys/dev-issuer.key"))?;
    let iterations: usize = std::env::var("ISSUE_BENCH_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100);
    let dir = tempfile::tempdir()?;
    let db = Db::open(&dir.path().join("bench.sqlite3"))?;
    let clock = Clock::system();
    let today = clock.today();
    issuer::service::demo::seed(&db, &clock)?;
    let ids = db.with(|conn| paid_applications(conn, today, iterations))?;

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
    Ok(())
}

/// Makes `count` confirmed, paid applications, each on its own invitation.
fn paid_applications(
    conn: &mut rusqlite::Connection,
    today: time::Date,
    count: usize,
) -> Result<Vec<(String, i64)>> {
    let now = Clock::system().rfc3339();
    let inviter = store::invitation::inviter_by_tax_id(
        conn,
        &issuer::domain::taxid::TaxId::parse(issuer::service::demo::DEMO_BIN)?,
    )?
    .context("the demo inviter")?;
    let invitation = issuer::service::demo::invitation_form(today)
        .parse(today)
        .map_err(|p| anyhow!("{p:?}"))?;
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let user = store::account::insert_user(
            conn,
            &format!("bench{i}@example.com"),
            "Bench",
            "x",
            &now,
        )?
        .context("a user")?;
        let number = store::invitation::create_invitation(
            conn,
            inviter.id,
            &invitation,
            today.year(),
            &now,
        )?;
        let form = ApplicationForm {
            invitation_number: number.as_str().to_owned(),
            category: "tourist".into(),
            surname: "ERIKSSON".into(),
            given_names: "ANNA MARIA".into(),
            surname_native: "Эрикссон".into(),
            given_names_native: "Анна Мария".into(),
            sex: "F".into(),
            date_of_birth: "1974-08-12".into(),
            citizenship: "SWE".into(),
            passport_number: "L898902C3".into(),
            passport_expiry: "2031-06-30".into(),
            with_children: "no".into(),
        };
        let applicant = form.parse(today).map_err(|p| anyhow!("{p:?}"))?;
        let id = match store::application::save_draft(conn, user, &applicant, today, &now)? {
            Checked::Stored(id) => id,
            Checked::Refused(p) => return Err(anyhow!("{p:?}")),
        };
        store::application::confirm(conn, &id, user, &now)?;
        let payment = store::payment::open_payment(conn, &id, user, 8000, "USD", &now)?
            .context("a payment")?;
        let notice = PaymentNotice {
            payment_id: format!("pay-{i}"),
            order_id: payment.order_id,
            status: PaymentStatus::Paid,
            amount_minor: 8000,
            currency: "USD".into(),
            method: Some(PaymentMethod::Card),
            paid_at: Some(now.clone()),
            receipt_number: Some(format!("EP-{i}")),
            payer_hint: None,
        };
        store::payment::record_notice(conn, &notice, "bench", &now)?;
        out.push((id, user));
    }
    Ok(out)
}
