//! Payments of the state duty: orders, the gateway's notices applied under guarded state changes,
//! and the log of payment events worth keeping.

use crate::store::{Connection, Row, TransactionBehavior, params};
use anyhow::{Result, anyhow};

use crate::domain::application::ApplicationStatus;
use crate::domain::mail::Letter;
use crate::domain::payment::{NoticeOutcome, Payment, PaymentNotice, PaymentStatus};

const PAYMENT_COLUMNS: &str =
    "order_id, application_id, amount_minor, currency, gateway_payment_id,
    pay_url, status, method, receipt_number, payer_hint, paid_at";

fn payment_row(r: &Row<'_>) -> anyhow::Result<Payment> {
    Ok(Payment {
        order_id: r.get(0)?,
        application_id: r.get(1)?,
        amount_minor: r.get(2)?,
        currency: r.get(3)?,
        gateway_payment_id: r.get(4)?,
        pay_url: r.get(5)?,
        status: r.get(6)?,
        method: r.get(7)?,
        receipt_number: r.get(8)?,
        payer_hint: r.get(9)?,
        paid_at: r.get(10)?,
    })
}

/// Records an event of the payment flow worth keeping (refusals, duplicates).
pub fn log_event(
    conn: &Connection,
    order_id: &str,
    source: &str,
    outcome: &str,
    detail: &str,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO payment_events (order_id, source, outcome, detail, at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![order_id, source, outcome, detail, now])?;
    Ok(())
}

/// The newest payment attempt of an application (a paid one first); for a person of a group,
/// the group's payment (`store/group.rs`).
pub fn latest_payment(conn: &Connection, application_id: &str) -> Result<Option<Payment>> {
    if let Some(group) = super::group::group_id_of(conn, application_id)? {
        return super::group::latest_group_payment(conn, &group);
    }
    conn.prepare_cached(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments WHERE application_id = ?1
             ORDER BY (status = 'paid') DESC, created_at DESC, rowid DESC LIMIT 1"
    ))?
    .query_opt([application_id], payment_row)
}

/// The payment with this order id.
pub fn payment(conn: &Connection, order_id: &str) -> Result<Option<Payment>> {
    conn.prepare_cached(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments WHERE order_id = ?1"
    ))?
    .query_opt([order_id], payment_row)
}

/// The open (created or pending) payment of a submitted application, or a new one for the fee.
/// A declined attempt is left as it is and a new order made, so the applicant can pay again.
/// `None` when the application is not this user's or not waiting for payment, or is a person of
/// a group (a group pays once for all, `store/group.rs`).
pub fn open_payment(
    conn: &mut Connection,
    application_id: &str,
    user_id: i64,
    amount_minor: i64,
    currency: &str,
    now: &str,
) -> Result<Option<Payment>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let status: Option<ApplicationStatus> = tx
        .prepare_cached(
            "SELECT status FROM applications WHERE id = ?1 AND user_id = ?2
             AND NOT EXISTS (SELECT 1 FROM group_members m WHERE m.application_id = ?1)",
        )?
        .query_opt(params![application_id, user_id], |r| r.get(0))?;
    if status != Some(ApplicationStatus::Submitted) {
        return Ok(None);
    }
    let open = tx
        .prepare_cached(&format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE application_id = ?1
                 AND status IN ('created', 'pending') AND amount_minor = ?2 AND currency = ?3
                 ORDER BY created_at DESC, rowid DESC LIMIT 1"
        ))?
        .query_opt(params![application_id, amount_minor, currency], payment_row)?;
    let row = match open {
        Some(row) => row,
        None => {
            let order_id = crate::ids::random_id();
            tx.prepare_cached(
                "INSERT INTO payments (order_id, application_id, amount_minor,
             currency, status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5,
             ?6, ?6)",
            )?
            .execute(params![
                order_id,
                application_id,
                amount_minor,
                currency,
                PaymentStatus::Created,
                now
            ])?;
            payment(&tx, &order_id)?.ok_or_else(|| anyhow!("a new payment vanished"))?
        }
    };
    tx.commit()?;
    Ok(Some(row))
}

/// Remembers the gateway's id and payment address for an order.
pub fn set_gateway_payment(
    conn: &Connection,
    order_id: &str,
    payment_id: &str,
    pay_url: &str,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE payments SET gateway_payment_id = ?1, pay_url = ?2, updated_at
             = ?3 WHERE order_id = ?4 AND (gateway_payment_id IS NULL OR
             gateway_payment_id = ?1)",
    )?
    .execute(params![payment_id, pay_url, now, order_id])?;
    Ok(())
}

/// Applies a payment notice in one immediate transaction, with guarded state changes, so a
/// notice that arrives twice, or a callback and a status answer at the same moment, record the
/// payment once. Notices that contradict the order are refused and recorded as events; the
/// caller logs what it needs to.
pub fn record_notice(
    conn: &mut Connection,
    notice: &PaymentNotice,
    source: &str,
    now: &str,
) -> Result<NoticeOutcome> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let outcome = apply_notice(&tx, notice, source, now)?;
    tx.commit()?;
    Ok(outcome)
}

/// [`record_notice`] inside the caller's write transaction (or savepoint of a group commit),
/// which must already hold the write lock so the guarded state changes see no other writer.
pub fn apply_notice(
    tx: &Connection,
    notice: &PaymentNotice,
    source: &str,
    now: &str,
) -> Result<NoticeOutcome> {
    let Some(row) = payment(tx, &notice.order_id)? else {
        log_event(tx, &notice.order_id, source, "unknown_order", "", now)?;
        return Ok(NoticeOutcome::UnknownOrder);
    };
    let refuse = |reason: String| -> Result<NoticeOutcome> {
        log_event(tx, &notice.order_id, source, "refused", &reason, now)?;
        Ok(NoticeOutcome::Refused(reason))
    };
    if row
        .gateway_payment_id
        .as_deref()
        .is_some_and(|id| id != notice.payment_id)
    {
        return refuse(format!(
            "payment id {} is not the order's",
            notice.payment_id
        ));
    }
    match notice.status {
        PaymentStatus::Paid => {
            if notice.amount_minor != row.amount_minor || notice.currency != row.currency {
                return refuse(format!(
                    "amount {} {} differs from the order's {} {}",
                    notice.amount_minor, notice.currency, row.amount_minor, row.currency
                ));
            }
            match row.status {
                PaymentStatus::Paid => Ok(NoticeOutcome::Unchanged),
                PaymentStatus::Declined => refuse("paid after declined".to_owned()),
                PaymentStatus::Created | PaymentStatus::Pending => {
                    let changed = tx
                        .prepare_cached(
                            "UPDATE payments SET status = 'paid', method = ?1, receipt_number = ?2,
             payer_hint = ?3, paid_at = ?4, gateway_payment_id = ?5, updated_at =
             ?6 WHERE order_id = ?7 AND status IN ('created', 'pending')",
                        )?
                        .execute(params![
                            notice.method,
                            notice.receipt_number,
                            notice.payer_hint,
                            notice.paid_at,
                            notice.payment_id,
                            now,
                            notice.order_id
                        ])?;
                    // A group's payment pays for every person of the group at once. Each
                    // application is moved by its primary key: one statement matching
                    // `status = 'submitted'` would read every submitted application, and on
                    // PostgreSQL every concurrent notice would then conflict with every other.
                    let mut paid_for = vec![row.application_id.clone()];
                    paid_for.extend(
                        tx.prepare_cached(
                            "SELECT m.application_id FROM group_members m
                             JOIN payments p ON p.group_id = m.group_id WHERE p.order_id = ?1",
                        )?
                        .query_map([&row.order_id], |r| r.get::<_, String>(0))?
                        .collect::<Result<Vec<String>>>()?
                        .into_iter()
                        .filter(|id| *id != row.application_id),
                    );
                    let mut advanced = 0;
                    for id in &paid_for {
                        advanced += tx
                            .prepare_cached(
                                "UPDATE applications SET status = 'paid', updated_at = ?1
                                 WHERE id = ?2 AND status = 'submitted'",
                            )?
                            .execute(params![now, id])?;
                    }
                    if changed == 1 && advanced == 0 {
                        // Money arrived for an application that was paid already (two orders
                        // paid); it is recorded for a refund and issues nothing more.
                        log_event(
                            tx,
                            &notice.order_id,
                            source,
                            "second_payment",
                            "refund due",
                            now,
                        )?;
                    }
                    if changed == 1 && advanced >= 1 {
                        // Told in the same transaction, so the mail exists exactly when the
                        // payment was recorded (store/outbox.rs).
                        let letter = Letter::PaymentConfirmed {
                            application_id: row.application_id.clone(),
                            amount_minor: row.amount_minor,
                            currency: row.currency.clone(),
                            receipt_number: notice.receipt_number.clone(),
                        };
                        let at = super::outbox::unix_of(now)?;
                        super::outbox::enqueue_to_applicant(tx, &row.application_id, &letter, at)?;
                    }
                    Ok(if changed == 1 && advanced == 0 {
                        NoticeOutcome::PaidAgain(row.application_id)
                    } else {
                        NoticeOutcome::Paid(row.application_id)
                    })
                }
            }
        }
        PaymentStatus::Declined => {
            let changed = tx
                .prepare_cached(
                    "UPDATE payments SET status = 'declined', method = ?1,
             gateway_payment_id = ?2, updated_at = ?3 WHERE order_id = ?4 AND
             status IN ('created', 'pending')",
                )?
                .execute(params![
                    notice.method,
                    notice.payment_id,
                    now,
                    notice.order_id
                ])?;
            Ok(if changed == 1 {
                NoticeOutcome::Declined
            } else {
                NoticeOutcome::Unchanged
            })
        }
        PaymentStatus::Pending => {
            tx.prepare_cached(
                "UPDATE payments SET status = 'pending', updated_at = ?1
                 WHERE order_id = ?2 AND status = 'created'",
            )?
            .execute(params![now, notice.order_id])?;
            Ok(NoticeOutcome::Unchanged)
        }
        PaymentStatus::Created => Ok(NoticeOutcome::Unchanged),
    }
}
