//! The panic guard and time budget around every decoder call: a named thread per call, a caught
//! panic, and a caller that stops waiting when the budget is spent.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// The outcome of a guarded call.
#[derive(Debug)]
pub enum Guarded<T> {
    /// It returned.
    Done(T),
    /// It panicked (the panic was caught on its thread).
    Panicked,
    /// It ran past its budget and was abandoned, or too many abandoned calls still run.
    TimedOut,
}

/// Runs `work` on a named thread, catching a panic, and stops waiting after `budget`.
///
/// Rust cannot kill a thread, so an abandoned call runs on to its end; to keep a stream of
/// pathological pictures from eating every core, no new call starts in a `slot` while
/// [`MAX_RUNAWAYS`] calls of that slot are still running. Each decoder has its own slot, so rqrr
/// stuck on a photo of a screen does not stop rxing from reading the next printout.
pub fn guarded<T: Send + 'static>(
    slot: &'static AtomicUsize,
    name: &str,
    budget: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Guarded<T> {
    if slot.load(Ordering::SeqCst) > MAX_RUNAWAYS {
        return Guarded::TimedOut;
    }
    let (tx, rx) = mpsc::sync_channel(1);
    slot.fetch_add(1, Ordering::SeqCst);
    let spawned = thread::Builder::new()
        .name(format!("qr-{name}"))
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(work));
            slot.fetch_sub(1, Ordering::SeqCst);
            // The receiver is gone when the caller stopped waiting; nothing to do then.
            let _ = tx.send(result);
        });
    if spawned.is_err() {
        slot.fetch_sub(1, Ordering::SeqCst);
        return Guarded::Panicked;
    }
    match rx.recv_timeout(budget) {
        Ok(Ok(value)) => Guarded::Done(value),
        Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => Guarded::Panicked,
        Err(mpsc::RecvTimeoutError::Timeout) => Guarded::TimedOut,
    }
}

/// How many abandoned decoder calls may run on before new ones are refused.
pub const MAX_RUNAWAYS: usize = 2;

/// Calls of rqrr still running (including abandoned ones).
pub static RQRR_SLOT: AtomicUsize = AtomicUsize::new(0);
/// Calls of rxing still running.
pub static RXING_SLOT: AtomicUsize = AtomicUsize::new(0);
/// Picture decodes (PNG, JPEG) still running.
pub static IMAGE_SLOT: AtomicUsize = AtomicUsize::new(0);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_decoder_is_caught_and_reported() {
        static SLOT: AtomicUsize = AtomicUsize::new(0);
        let outcome = guarded(&SLOT, "test", Duration::from_secs(5), || -> u8 {
            panic!("boom")
        });
        assert!(matches!(outcome, Guarded::Panicked));
    }

    #[test]
    fn a_decoder_past_its_budget_is_abandoned() {
        static SLOT: AtomicUsize = AtomicUsize::new(0);
        let outcome = guarded(&SLOT, "test", Duration::from_millis(10), || {
            thread::sleep(Duration::from_millis(300));
            1
        });
        assert!(matches!(outcome, Guarded::TimedOut));
    }
}
