//! Where payments live: in memory, behind one mutex. A sandbox loses its payments when it stops,
//! which is what a sandbox is for; every state change happens inside [`Store::update`] so two
//! requests never both submit or settle one payment.

use std::collections::HashMap;
use std::sync::Mutex;

use time::OffsetDateTime;

use crate::payment::{Outcome, Payment, Status};

/// All payments, by id and by the merchant's order id.
#[derive(Debug, Default)]
pub struct Store {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    by_id: HashMap<String, Payment>,
    by_order: HashMap<String, String>,
    receipts: u64,
}

/// What [`Store::create`] did.
#[derive(Debug)]
pub enum Created {
    /// A new payment.
    New(Payment),
    /// The order id was known and the details match: the existing payment.
    Existing(Payment),
    /// The order id was known with other details.
    Conflict,
}

impl Store {
    /// Creates the payment, or returns the one with the same order id.
    pub fn create(&self, payment: Payment) -> Created {
        let mut inner = self.lock();
        if let Some(existing) = inner
            .by_order
            .get(&payment.order_id)
            .and_then(|id| inner.by_id.get(id))
        {
            let same = existing.amount_minor == payment.amount_minor
                && existing.currency == payment.currency
                && existing.callback_url == payment.callback_url
                && existing.return_url == payment.return_url;
            return if same {
                Created::Existing(existing.clone())
            } else {
                Created::Conflict
            };
        }
        inner
            .by_order
            .insert(payment.order_id.clone(), payment.id.clone());
        inner.by_id.insert(payment.id.clone(), payment.clone());
        Created::New(payment)
    }

    /// The payment with this id, settled first if its pending time is over.
    pub fn get(&self, id: &str, now: OffsetDateTime) -> Option<Payment> {
        let mut inner = self.lock();
        let Inner {
            by_id, receipts, ..
        } = &mut *inner;
        let payment = by_id.get_mut(id)?;
        if payment.status == Status::Pending && payment.settles_at.is_some_and(|at| at <= now) {
            settle(payment, receipts);
        }
        Some(payment.clone())
    }

    /// Applies `change` to the payment under the lock and returns the result, or `None` if
    /// there is no such payment.
    pub fn update<T>(
        &self,
        id: &str,
        change: impl FnOnce(&mut Payment, &mut u64) -> T,
    ) -> Option<T> {
        let mut inner = self.lock();
        let Inner {
            by_id, receipts, ..
        } = &mut *inner;
        by_id.get_mut(id).map(|payment| change(payment, receipts))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves payments as they were between statements;
        // serving them is better than failing every later request.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Makes a pending payment final according to the outcome decided when it was submitted.
/// Returns whether it changed.
pub fn settle(payment: &mut Payment, receipts: &mut u64) -> bool {
    if payment.status != Status::Pending {
        return false;
    }
    let at = payment.settles_at.unwrap_or_else(OffsetDateTime::now_utc);
    match payment.outcome {
        Some(Outcome::Declined(reason)) => {
            payment.status = Status::Declined;
            payment.decline_reason = Some(reason);
        }
        _ => {
            *receipts += 1;
            payment.status = Status::Paid;
            payment.paid_at = Some(at);
            payment.receipt_number = Some(format!("EP-{}-{:06}", at.year(), *receipts));
        }
    }
    true
}
