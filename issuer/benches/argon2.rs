//! The password hash's single-core rate: Argon2id with the portal's parameters (19 MiB, 2 passes,
//! one lane), in one reused memory block, as each hashing thread of the pool runs it. The
//! log-in storm (`scripts/login-storm.sh`) compares the portal's log-ins per second with this
//! rate times the cores.
//!
//!     cargo bench -p issuer --bench argon2            # ARGON2_BENCH_HASHES=200 for more

use std::time::Instant;

use issuer::service::hasher;

fn main() {
    let count: u32 = std::env::var("ARGON2_BENCH_HASHES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(60);
    let mut memory = Vec::new();
    let stored = hasher::hash(b"tundra kettle 47", &mut memory).expect("hashes");
    let start = Instant::now();
    for _ in 0..count {
        assert!(hasher::verify(b"tundra kettle 47", &stored, &mut memory));
    }
    let seconds = start.elapsed().as_secs_f64();
    let per_second = f64::from(count) / seconds;
    println!(
        "argon2id m=19456 t=2 p=1, one thread: {count} verifications in {seconds:.2} s: \
         {:.1} ms each, {per_second:.1}/s",
        seconds * 1000.0 / f64::from(count)
    );
    println!("RESULT hash_per_second={per_second:.1}");
}
