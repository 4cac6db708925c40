//! The window's background work: one named thread that owns the kiosk (trust store and ledger),
//! reads pictures, decides, records, and reports each result over a channel before asking the
//! window to repaint. The window thread never decodes a picture or waits on SQLite.
//!
//! Also the scanner folder watch: a cheap directory poll that hands new, fully written pictures to
//! the worker.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use shared::PassportMrz;
use time::OffsetDateTime;

use crate::decision::{Decision, Reason, Refusal};
use crate::kiosk::{Direction, Kiosk, unreadable};

/// Where the code comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A picture file (opened, dropped or from the scanner folder).
    File(PathBuf),
    /// Text typed by a keyboard-wedge scanner or by hand.
    Text(String),
}

/// One piece of work.
#[derive(Debug, Clone)]
pub struct Job {
    /// The code's source.
    pub source: Source,
    /// Entry or exit.
    pub direction: Direction,
    /// The passport read for this traveller, if any.
    pub passport: Option<PassportMrz>,
    /// Record the movement (the officer pressed "Record entry/exit"), not just decide.
    pub record: bool,
}

/// The worker's answer to one job.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The number [`Worker::submit`] returned.
    pub id: u64,
    /// The decision, already in the ledger.
    pub decision: Decision,
    /// The code text, when one was read.
    pub text: Option<String>,
    /// How long the job took, image reading included.
    pub elapsed: Duration,
}

/// A handle on the worker thread.
#[derive(Debug)]
pub struct Worker {
    jobs: Sender<(u64, Job)>,
    replies: Receiver<Reply>,
    next_id: u64,
    /// Why there is no worker thread, when it could not start or has gone.
    broken: Option<String>,
    /// Answers made here, without the thread, when it is broken.
    local: std::collections::VecDeque<Reply>,
}

/// The clock the worker decides with: the real one, or a fixed one for tests and demonstrations.
pub type Clock = fn() -> OffsetDateTime;

impl Worker {
    /// Starts the worker thread "kiosk-worker" over `kiosk` (or the reason it could not be set
    /// up, which then becomes every job's CANNOT VERIFY). `repaint` is called after each reply.
    pub fn spawn(
        kiosk: Result<Kiosk, String>,
        clock: Clock,
        repaint: impl Fn() + Send + 'static,
    ) -> Self {
        let (jobs, job_rx) = mpsc::channel::<(u64, Job)>();
        let (reply_tx, replies) = mpsc::channel();
        let spawned = thread::Builder::new()
            .name("kiosk-worker".to_owned())
            .spawn(move || {
                let mut kiosk = kiosk;
                for (id, job) in job_rx {
                    let started = Instant::now();
                    let (decision, text) = match &mut kiosk {
                        // A bug anywhere below must cost one verdict, not the kiosk: the panic is
                        // caught and shown as CANNOT VERIFY, and the next job runs as usual.
                        Ok(kiosk) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            run(kiosk, job, clock())
                        }))
                        .unwrap_or_else(|_| {
                            (
                                Decision::refused(
                                    Refusal::CannotVerify,
                                    Reason::KioskError,
                                    "the kiosk failed on this input; scan again".to_owned(),
                                ),
                                None,
                            )
                        }),
                        Err(problem) => (
                            Decision::refused(
                                Refusal::CannotVerify,
                                Reason::KioskNotReady,
                                problem.clone(),
                            ),
                            None,
                        ),
                    };
                    let reply = Reply {
                        id,
                        decision,
                        text,
                        elapsed: started.elapsed(),
                    };
                    if reply_tx.send(reply).is_err() {
                        break;
                    }
                    repaint();
                }
            });
        Self {
            jobs,
            replies,
            next_id: 1,
            broken: spawned
                .err()
                .map(|e| format!("the kiosk could not start its worker thread: {e}")),
            local: std::collections::VecDeque::new(),
        }
    }

    /// Queues a job and returns its number.
    pub fn submit(&mut self, job: Job) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        // A send fails only when the worker thread is gone; the job is then answered here.
        if self.broken.is_none() && self.jobs.send((id, job)).is_err() {
            self.broken = Some("the kiosk's worker thread stopped; restart the kiosk".to_owned());
        }
        if let Some(problem) = &self.broken {
            self.local.push_back(Reply {
                id,
                decision: Decision::refused(
                    Refusal::CannotVerify,
                    Reason::KioskError,
                    problem.clone(),
                ),
                text: None,
                elapsed: Duration::ZERO,
            });
        }
        id
    }

    /// The next reply, if one is ready.
    pub fn poll(&mut self) -> Option<Reply> {
        self.local
            .pop_front()
            .or_else(|| self.replies.try_recv().ok())
    }

    /// Waits up to `timeout` for the next reply (for tests and the headless demo).
    pub fn wait(&self, timeout: Duration) -> Option<Reply> {
        self.replies.recv_timeout(timeout).ok()
    }
}

fn run(kiosk: &mut Kiosk, job: Job, at: OffsetDateTime) -> (Decision, Option<String>) {
    let text = match job.source {
        Source::Text(text) => text,
        Source::File(path) => match kiosk.pipeline().scan_file(&path) {
            Ok(scan) => scan.texts.into_iter().next().unwrap_or_default(),
            Err(error) => {
                return (
                    kiosk.check_failure(unreadable(&error), job.direction, at),
                    None,
                );
            }
        },
    };
    let decision = if job.record {
        kiosk.record_movement(&text, job.direction, job.passport.as_ref(), at)
    } else {
        kiosk.check_text(&text, job.direction, job.passport.as_ref(), at)
    };
    (decision, Some(text))
}

/// Watches the scanner's output folder for new PNG and JPEG files.
#[derive(Debug)]
pub struct ScannerWatch {
    dir: PathBuf,
    /// Files seen, with the size at the last poll; a file is handed on once its size stopped
    /// changing between two polls, so a scan still being written is not read half-done.
    seen: HashMap<PathBuf, (u64, Option<SystemTime>, bool)>,
}

impl ScannerWatch {
    /// Starts watching `dir`; pictures already there are old scans and are not handed on.
    pub fn new(dir: &Path) -> Self {
        let mut watch = Self {
            dir: dir.to_owned(),
            seen: HashMap::new(),
        };
        for (path, size, modified) in watch.list() {
            watch.seen.insert(path, (size, modified, true));
        }
        watch
    }

    /// The folder watched.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// New pictures whose writing has finished since the last poll.
    pub fn poll(&mut self) -> Vec<PathBuf> {
        let mut ready = Vec::new();
        for (path, size, modified) in self.list() {
            match self.seen.get_mut(&path) {
                Some((last_size, last_modified, handed)) => {
                    if *last_size != size || *last_modified != modified {
                        // Rewritten or still growing: look again next poll.
                        *last_size = size;
                        *last_modified = modified;
                        *handed = false;
                    } else if !*handed && size > 0 {
                        *handed = true;
                        ready.push(path);
                    }
                }
                None => {
                    self.seen.insert(path, (size, modified, false));
                }
            }
        }
        ready.sort();
        ready
    }

    fn list(&self) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| is_picture(p))
            .filter_map(|p| {
                let meta = std::fs::metadata(&p).ok()?;
                meta.is_file()
                    .then(|| (p.clone(), meta.len(), meta.modified().ok()))
            })
            .collect()
    }
}

/// Whether a path names a picture the kiosk reads, by its extension.
pub fn is_picture(path: &Path) -> bool {
    crate::scan::is_picture_name(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_scan_is_handed_on_once_after_its_size_settles_and_old_ones_never() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("old.png"), b"old").expect("write");
        let mut watch = ScannerWatch::new(dir.path());
        std::fs::write(dir.path().join("new.jpg"), b"first half").expect("write");
        std::fs::write(dir.path().join("notes.txt"), b"not a picture").expect("write");
        assert!(
            watch.poll().is_empty(),
            "first sight: maybe still being written"
        );
        assert_eq!(watch.poll(), vec![dir.path().join("new.jpg")]);
        assert!(watch.poll().is_empty(), "handed on once");
    }
}
