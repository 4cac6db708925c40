//! Tokens signed and verified per second on one core, and the size of a typical token.
//!
//! Run: `cargo bench -p shared --bench token`. A plain timing loop (no harness) so it needs no
//! extra dependencies; each figure is the best of five rounds to damp noise from the other core.

use std::hint::black_box;
use std::time::{Duration, Instant};

use shared::{IssuerKey, PublicKey, TrustStore, VisaDraft};

const ROUNDS: usize = 5;
const PER_ROUND: u32 = 2_000;

fn main() {
    let key = IssuerKey::from_pkcs8_pem(include_str!("../../keys/dev-issuer.key"))
        .expect("the development key");
    let trust = TrustStore::from_keys([PublicKey::from_spki_pem(include_str!(
        "../../keys/dev-issuer.pub"
    ))
    .expect("public key")]);
    let draft: VisaDraft =
        serde_json::from_str(include_str!("../tests/vectors/visa.json")).expect("vector JSON");
    let visa = draft.into_visa().expect("vector visa");
    let token = shared::sign(&visa, &key);

    let sign = best_of(|| {
        black_box(shared::sign(black_box(&visa), &key));
    });
    let verify = best_of(|| {
        black_box(shared::verify(black_box(&token), &trust).is_ok());
    });
    let reject = {
        let mut tampered = token.clone();
        tampered.replace_range(200..201, if &token[200..201] == "A" { "B" } else { "A" });
        best_of(|| {
            black_box(shared::verify(black_box(&tampered), &trust).is_err());
        })
    };
    println!("token length: {} characters", token.len());
    report("sign", sign);
    report("verify (valid)", verify);
    report("verify (tampered)", reject);
}

fn best_of(mut f: impl FnMut()) -> Duration {
    (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..PER_ROUND {
                f();
            }
            start.elapsed() / PER_ROUND
        })
        .min()
        .unwrap_or_default()
}

fn report(what: &str, per_op: Duration) {
    let per_second = 1.0 / per_op.as_secs_f64();
    println!(
        "{what:18} {:8.1} µs/op {per_second:10.0} ops/s (one core)",
        per_op.as_secs_f64() * 1e6
    );
}
