//! The panic guard and time budget around every decoder call: a named thread per call, a caught
//! panic, and a caller that stops waiting when the budget is spent.
//!
//! Budgets are CPU time, not wall-clock time, so a busy machine does not turn a picture an idle
//! one reads into "took too long": the caller reads the worker thread's own CPU time from
//! `/proc/self/task/<tid>/schedstat` (Linux, nanoseconds) while it waits. A wall-clock backstop
//! of [`WALL_FACTOR`] times the budget still bounds what an officer waits on a machine starved
//! of CPU. Where `/proc` cannot be read, the budget falls back to wall-clock time.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

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

/// How many times its CPU budget a call may take in wall-clock time before it is abandoned
/// anyway: on a machine where the decoder gets a quarter of a core or less, the officer is better
/// served by "took too long" than by waiting on.
pub const WALL_FACTOR: u32 = 4;

/// Runs `work` on a named thread, catching a panic, and stops waiting when the thread has spent
/// `budget` of CPU time (or [`WALL_FACTOR`] × `budget` of wall-clock time).
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
    guarded_cpu(slot, name, budget, work).0
}

/// Like [`guarded`], and also says how much CPU time the call spent (as far as it was watched).
pub fn guarded_cpu<T: Send + 'static>(
    slot: &'static AtomicUsize,
    name: &str,
    budget: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> (Guarded<T>, Duration) {
    if slot.load(Ordering::SeqCst) > MAX_RUNAWAYS {
        return (Guarded::TimedOut, Duration::ZERO);
    }
    let (tx, rx) = mpsc::sync_channel(1);
    // The worker's thread id, for its CPU clock; 0 until it has started.
    let tid = Arc::new(AtomicU32::new(0));
    let worker_tid = Arc::clone(&tid);
    slot.fetch_add(1, Ordering::SeqCst);
    let spawned = thread::Builder::new()
        .name(format!("qr-{name}"))
        .spawn(move || {
            worker_tid.store(thread_id().unwrap_or(0), Ordering::SeqCst);
            let started = ThreadCpu::current();
            let result = catch_unwind(AssertUnwindSafe(work));
            let spent = started.map(|clock| clock.spent()).unwrap_or_default();
            slot.fetch_sub(1, Ordering::SeqCst);
            // The receiver is gone when the caller stopped waiting; nothing to do then.
            let _ = tx.send((result, spent));
        });
    if spawned.is_err() {
        slot.fetch_sub(1, Ordering::SeqCst);
        return (Guarded::Panicked, Duration::ZERO);
    }
    let started = Instant::now();
    let wall_limit = budget.saturating_mul(WALL_FACTOR);
    // Short polls at first, so a quick call's budget is checked closely; longer later, so
    // waiting on a long call costs next to nothing.
    let mut poll = Duration::from_millis(5);
    loop {
        match rx.recv_timeout(poll) {
            Ok((Ok(value), spent)) => return (Guarded::Done(value), spent),
            Ok((Err(_), spent)) => return (Guarded::Panicked, spent),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return (Guarded::Panicked, started.elapsed());
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let wall = started.elapsed();
        let spent = match tid.load(Ordering::SeqCst) {
            0 => None,
            tid => thread_cpu(tid),
        }
        .unwrap_or(wall);
        if spent >= budget || wall >= wall_limit {
            return (Guarded::TimedOut, spent);
        }
        poll = (poll * 2)
            .min(Duration::from_millis(50))
            .min(budget.saturating_sub(spent).max(Duration::from_millis(1)));
    }
}

/// The calling thread's CPU clock, to charge work done outside the guarded calls (scaling and
/// preparing pictures) to the same budget.
#[derive(Debug, Clone, Copy)]
pub struct ThreadCpu {
    tid: u32,
    at_start: Duration,
}

impl ThreadCpu {
    /// Starts counting the calling thread's CPU time, if the system says it.
    pub fn current() -> Option<Self> {
        let tid = thread_id()?;
        Some(Self {
            tid,
            at_start: thread_cpu(tid)?,
        })
    }

    /// CPU time the thread spent since [`ThreadCpu::current`].
    pub fn spent(&self) -> Duration {
        thread_cpu(self.tid)
            .unwrap_or(self.at_start)
            .saturating_sub(self.at_start)
    }
}

/// One picture's budget: the CPU time of its guarded calls plus the calling thread's own (scaling
/// and preparing variants), against the budget, with the wall-clock backstop.
#[derive(Debug)]
pub struct Account {
    budget: Duration,
    charged: Duration,
    own: Option<ThreadCpu>,
    started: Instant,
}

impl Account {
    /// Opens an account of `budget` for the calling thread.
    pub fn new(budget: Duration) -> Self {
        Self {
            budget,
            charged: Duration::ZERO,
            own: ThreadCpu::current(),
            started: Instant::now(),
        }
    }

    /// Charges the CPU time a guarded call reported.
    pub fn charge(&mut self, spent: Duration) {
        self.charged += spent;
    }

    /// CPU time spent so far (wall-clock time where no CPU clock can be read).
    pub fn spent(&self) -> Duration {
        match self.own {
            Some(own) => self.charged + own.spent(),
            None => self.started.elapsed(),
        }
    }

    /// What is left of the budget; nothing once the wall-clock backstop is reached.
    pub fn left(&self) -> Duration {
        if self.started.elapsed() >= self.budget.saturating_mul(WALL_FACTOR) {
            return Duration::ZERO;
        }
        self.budget.saturating_sub(self.spent())
    }
}

/// How many abandoned decoder calls may run on before new ones are refused.
pub const MAX_RUNAWAYS: usize = 2;

/// Calls of rqrr still running (including abandoned ones).
pub static RQRR_SLOT: AtomicUsize = AtomicUsize::new(0);
/// Calls of rxing still running.
pub static RXING_SLOT: AtomicUsize = AtomicUsize::new(0);
/// Picture decodes still running.
pub static IMAGE_SLOT: AtomicUsize = AtomicUsize::new(0);

/// The calling thread's id in the kernel (`/proc/thread-self` is `<pid>/task/<tid>`).
fn thread_id() -> Option<u32> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    link.file_name()?.to_str()?.parse().ok()
}

/// CPU time a thread of this process has run, from the first field of its `schedstat`.
fn thread_cpu(tid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat")).ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

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
            // Busy for two seconds, far more than 10 ms of CPU on any machine.
            let started = Instant::now();
            let mut x = 0u64;
            while started.elapsed() < Duration::from_secs(2) {
                x = std::hint::black_box(x.wrapping_add(1));
            }
            x
        });
        assert!(matches!(outcome, Guarded::TimedOut));
    }

    #[test]
    fn a_call_that_waits_without_computing_is_abandoned_by_the_wall_clock_backstop() {
        static SLOT: AtomicUsize = AtomicUsize::new(0);
        let outcome = guarded(&SLOT, "test", Duration::from_millis(10), || {
            thread::sleep(Duration::from_secs(30));
            1
        });
        assert!(matches!(outcome, Guarded::TimedOut));
    }

    #[test]
    fn a_threads_cpu_clock_counts_work_not_sleep() {
        let Some(clock) = ThreadCpu::current() else {
            // No /proc here: the budgets fall back to wall-clock time, nothing to check.
            return;
        };
        thread::sleep(Duration::from_millis(300));
        let after_sleep = clock.spent();
        assert!(after_sleep < Duration::from_millis(200), "{after_sleep:?}");
        let mut x = 0u64;
        for i in 0..50_000_000u64 {
            x = std::hint::black_box(x.wrapping_add(i));
        }
        assert!(clock.spent() > after_sleep, "{:?}", clock.spent());
    }
}
