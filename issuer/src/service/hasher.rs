//! Argon2id, bounded: a small pool of dedicated threads, one per core, each with its own Argon2
//! memory (19 MiB) allocated once and reused for every hash, behind a short queue. A hash asked
//! for while the queue is full is refused at once ([`HashError::Busy`]; the web answers 503 with
//! `Retry-After`) instead of waiting or starting another thread.
//!
//! Before, each hash ran on its own blocking thread (up to 512 at once, 19 MiB each), and the
//! allocator kept what the burst had taken: 4.5–6.4 GB resident under 200 concurrent log-ins,
//! 3–5.5 GB after. Here the memory is `threads × 19 MiB`, taken at start and never more.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand_core::RngCore;
use subtle::ConstantTimeEq;
use tokio::sync::oneshot;

/// Jobs a thread may wait for per hashing thread: with a hash of ~25 ms per core, a full queue
/// is about 0.2 s of work.
pub const QUEUE_PER_THREAD: usize = 8;

/// The pool of hashing threads.
#[derive(Debug, Clone)]
pub struct Hasher {
    queue: SyncSender<Job>,
    threads: usize,
    capacity: usize,
}

/// Why a hash was not made.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every hashing thread is busy and the queue is full: try again in a second.
    #[error("every password hashing thread is busy")]
    Busy,
    /// The hash failed or its thread is gone.
    #[error("password hashing failed: {0}")]
    Failed(String),
}

#[derive(Debug)]
enum Work {
    /// Hash a new password with a fresh salt: answers the PHC string.
    Hash(String),
    /// Check a password against a PHC string: answers `"ok"` or `""`.
    Verify { password: String, hash: String },
}

#[derive(Debug)]
struct Job {
    work: Work,
    reply: oneshot::Sender<Result<String, String>>,
}

impl Hasher {
    /// One thread per core (`available_parallelism`) and [`QUEUE_PER_THREAD`] queued jobs each.
    pub fn for_this_machine() -> Self {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        Self::new(threads, threads * QUEUE_PER_THREAD)
    }

    /// `threads` hashing threads and room for `queue` waiting jobs.
    pub fn new(threads: usize, queue: usize) -> Self {
        let threads = threads.max(1);
        let (sender, receiver) = sync_channel::<Job>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for index in 0..threads {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || work(&receiver));
            if let Err(error) = spawned {
                tracing::error!(%error, "a password hashing thread did not start");
            }
        }
        Self {
            queue: sender,
            threads,
            capacity: queue,
        }
    }

    /// How many hashes run at once.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// How many hashes may wait.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Hashes a new password with Argon2id (the crate's default parameters: 19 MiB, 2 passes,
    /// one lane) and a random 16-byte salt; answers the PHC string.
    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        self.run(Work::Hash(password.to_owned())).await
    }

    /// Whether `password` matches the PHC string `hash` (false for anything that is not one).
    pub async fn verify(&self, password: &str, hash: &str) -> Result<bool, HashError> {
        let answer = self
            .run(Work::Verify {
                password: password.to_owned(),
                hash: hash.to_owned(),
            })
            .await?;
        Ok(answer == "ok")
    }

    async fn run(&self, work: Work) -> Result<String, HashError> {
        let (reply, answer) = oneshot::channel();
        match self.queue.try_send(Job { work, reply }) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(HashError::Busy),
            Err(TrySendError::Disconnected(_)) => {
                return Err(HashError::Failed("no hashing thread is running".into()));
            }
        }
        answer
            .await
            .map_err(|_| HashError::Failed("the hashing thread stopped".into()))?
            .map_err(HashError::Failed)
    }
}

/// A hashing thread: takes jobs until the pool is dropped, with one Argon2 memory for all.
fn work(receiver: &Mutex<Receiver<Job>>) {
    let mut memory: Vec<Block> = Vec::new();
    loop {
        let job = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        // The asker gave up (its connection closed): spend nothing on it.
        if job.reply.is_closed() {
            continue;
        }
        let answer = match job.work {
            Work::Hash(password) => hash(password.as_bytes(), &mut memory),
            Work::Verify { password, hash } => {
                Ok(if verify(password.as_bytes(), &hash, &mut memory) {
                    "ok".to_owned()
                } else {
                    String::new()
                })
            }
        };
        let _ = job.reply.send(answer);
    }
}

/// The blocks for `params`, reusing `memory` (grown once, never shrunk below the default).
fn blocks<'m>(memory: &'m mut Vec<Block>, params: &Params) -> &'m mut [Block] {
    let count = params.block_count();
    if memory.len() < count {
        memory.resize(count, Block::default());
    }
    &mut memory[..count]
}

/// Argon2id with the default parameters, a fresh salt, in `memory`.
pub fn hash(password: &[u8], memory: &mut Vec<Block>) -> Result<String, String> {
    let params = Params::default();
    let mut salt = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut salt);
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(password, &salt, &mut out, blocks(memory, &params))
        .map_err(|e| e.to_string())?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| e.to_string())?,
        salt: Some(Salt::new(&salt).map_err(|e| e.to_string())?),
        hash: Some(Output::new(&out).map_err(|e| e.to_string())?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `hash`, computed in `memory`. A hash with a larger
/// memory cost than the default grows `memory` once (no stored hash has one today).
pub fn verify(password: &[u8], hash: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(phc) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(phc.algorithm.as_str()),
        Params::try_from(&phc),
    ) else {
        return false;
    };
    let version = match phc.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(version)) => version,
        Some(Err(_)) => return false,
    };
    let (Some(salt), Some(expected)) = (phc.salt, phc.hash) else {
        return false;
    };
    // Refuse costs no stored hash of ours has (a planted hash must not make us allocate GBs).
    if params.m_cost() > 4 * Params::DEFAULT_M_COST || params.t_cost() > 16 {
        return false;
    }
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params.clone());
    argon
        .hash_password_into_with_memory(password, &salt, &mut out, blocks(memory, &params))
        .is_ok()
        && bool::from(out.ct_eq(expected.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordVerifier;

    #[test]
    fn a_hash_in_reused_memory_is_a_standard_phc_string_that_argon2_verifies() {
        let mut memory = Vec::new();
        let hash = hash(b"tundra kettle 47", &mut memory).expect("hashes");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            Argon2::default()
                .verify_password(b"tundra kettle 47", hash.as_str())
                .is_ok()
        );
        assert!(verify(b"tundra kettle 47", &hash, &mut memory));
        assert!(!verify(b"tundra kettle 48", &hash, &mut memory));
        assert!(!verify(b"anything", "not a hash", &mut memory));
        assert_eq!(memory.len(), Params::default().block_count());
        // A hash made the crate's own way (the accounts stored before this pool) verifies too.
        let old = argon2::PasswordHasher::hash_password(&Argon2::default(), b"older password one")
            .expect("hashes")
            .to_string();
        assert!(verify(b"older password one", &old, &mut memory));
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy_at_once_and_the_pool_keeps_working() {
        let pool = Hasher::new(1, 1);
        let hash = pool.hash("tundra kettle 47").await.expect("hashes");
        let check = || pool.verify("tundra kettle 47", &hash);
        // Six at once: one runs, one waits, the others find the queue full.
        let (a, b, c, d, e, f) = tokio::join!(check(), check(), check(), check(), check(), check());
        let answers = [a, b, c, d, e, f];
        assert!(
            answers.iter().any(|a| matches!(a, Err(HashError::Busy))),
            "{answers:?}"
        );
        assert!(answers.iter().any(|a| matches!(a, Ok(true))), "{answers:?}");
        assert!(matches!(
            pool.verify("tundra kettle 47", &hash).await,
            Ok(true)
        ));
    }
}
