//! Issuance under concurrency, on whichever engine the tests run on (SQLite by default,
//! PostgreSQL when `ISSUER_TEST_DATABASE_URL` names a server: `scripts/test`).

use std::sync::Arc;

use super::*;
use crate::domain::issuance::visa_serial;

/// Paid callbacks arriving at once: as many as the load test sends at a time.
const AT_ONCE: usize = 32;

/// `count` confirmed applications, each with its own account, invitation and open payment
/// order: the orders' ids, amounts and currencies.
fn payable(db: &Db, clock: &Clock, count: usize) -> Result<Vec<(String, i64, String)>> {
    crate::service::demo::seed(db, clock)?;
    let now = clock.rfc3339();
    db.with(|conn| {
        let demo = crate::service::demo::DemoOrders::new(conn, clock.today())?;
        (0..count)
            .map(|i| {
                let (_, payment) = demo.open(conn, &format!("storm{i}@example.com"), &now)?;
                Ok((payment.order_id, payment.amount_minor, payment.currency))
            })
            .collect()
    })
}

/// The gateway's "paid" notice of an order.
fn paid(order: &(String, i64, String)) -> PaymentNotice {
    serde_json::from_value(serde_json::json!({
        "payment_id": format!("pay-{}", order.0),
        "order_id": order.0,
        "status": "paid",
        "amount_minor": order.1,
        "currency": order.2,
        "method": "card",
        "paid_at": "2026-11-30T12:00:00Z",
        "receipt_number": format!("EP-{}", &order.0[..8]),
        "payer_hint": "**** 1111",
    }))
    .expect("a notice")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn paid_callbacks_arriving_together_each_get_their_visa_with_a_number_of_its_own() {
    let db = Db::in_memory().expect("db");
    let clock = Clock::system();
    let orders = payable(&db, &clock, AT_ONCE).expect("payable applications");
    let signer: Arc<dyn Signer> = Arc::new(shared::IssuerKey::generate(&mut rand_core::OsRng));
    let mut storm = tokio::task::JoinSet::new();
    for order in &orders {
        let (db, signer, clock, notice) = (db.clone(), signer.clone(), clock.clone(), paid(order));
        storm.spawn(async move { settle(&db, &signer, &clock, notice, "callback").await });
    }
    let mut failures = Vec::new();
    while let Some(done) = storm.join_next().await {
        match done.expect("a callback task") {
            Ok(NoticeOutcome::Paid(_)) => {}
            Ok(other) => failures.push(format!("{other:?}")),
            Err(error) => failures.push(format!("{error:#}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {AT_ONCE} paid callbacks failed: {failures:?}",
        failures.len()
    );
    let (numbers, unissued) = db
        .read(|conn| {
            let mut stmt = conn.prepare("SELECT number FROM visas ORDER BY number")?;
            let numbers = stmt
                .query_map([], |r| r.get(0))?
                .collect::<Result<Vec<String>>>()?;
            Ok((numbers, store::visa::paid_unissued(conn)?))
        })
        .await
        .expect("read");
    assert!(unissued.is_empty(), "paid without a visa: {unissued:?}");
    assert_eq!(numbers.len(), AT_ONCE, "one visa per paid application");
    let mut serials: Vec<u64> = numbers
        .iter()
        .map(|n| visa_serial(n).unwrap_or_else(|| panic!("{n} is not a visa number")))
        .collect();
    serials.dedup();
    assert_eq!(serials.len(), AT_ONCE, "a number given twice: {numbers:?}");
}
