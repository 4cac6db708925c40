//! How many e-visas one core signs and renders to PDF per second, and how large a PDF is.
//!
//! Run optimised with `taskset -c 0 cargo bench -p issuer --bench render` (one core), or with
//! the dev profile through `cargo build -p issuer --benches` and the binary it prints.
//! `RENDER_BENCH_ITERATIONS` sets the loop count (200 by default).

use std::path::Path;
use std::time::Instant;

/// The CPU time this thread has run, in nanoseconds (Linux: the first field of
/// `/proc/thread-self/schedstat`), or `None` where that is not available.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn main() -> anyhow::Result<()> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let key = issuer::keys::keyfile::load_private(&repo.join("keys/dev-issuer.key"))?;
    let json = std::fs::read_to_string(repo.join("shared/tests/vectors/visa.json"))?;
    let draft: shared::VisaDraft = serde_json::from_str(&json)?;
    let visa = draft
        .into_visa()
        .map_err(|e| anyhow::anyhow!("invalid vector: {e}"))?;
    let inviter = Some("ТОО «Астана Тревел Сервис», БИН 120540012345");
    let iterations: u32 = std::env::var("RENDER_BENCH_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);

    // Warm up: the first rendering pays for page faults and lazy initialisation.
    let token = shared::sign(&visa, &key);
    let size = issuer::pdf::render(&visa, &token, inviter)?.len();

    let cpu_start = thread_cpu_ns();
    let start = Instant::now();
    let mut bytes = 0;
    for _ in 0..iterations {
        let token = shared::sign(&visa, &key);
        let pdf = issuer::pdf::render(&visa, &token, inviter)?;
        bytes += std::hint::black_box(pdf).len();
    }
    let elapsed = start.elapsed();
    let cpu = thread_cpu_ns()
        .zip(cpu_start)
        .map(|(end, start)| end.saturating_sub(start));
    let per_second = f64::from(iterations) / elapsed.as_secs_f64();

    // Two parts for comparison: signing alone, and the qrcode crate's own encoding with its own
    // mask choice (what the printout used before its mask choice was rewritten).
    let start = Instant::now();
    for _ in 0..iterations {
        std::hint::black_box(shared::sign(&visa, &key));
    }
    let signing = start.elapsed().as_secs_f64();
    let start = Instant::now();
    for _ in 0..iterations {
        let code =
            qrcode::QrCode::with_error_correction_level(token.as_bytes(), qrcode::EcLevel::Q)?;
        std::hint::black_box(code);
    }
    let encoding = start.elapsed().as_secs_f64();
    let chinese = {
        let mut draft: shared::VisaDraft = serde_json::from_str(&json)?;
        draft.surname_native = Some("王".to_owned());
        draft.given_names_native = Some("小明".to_owned());
        let visa = draft
            .into_visa()
            .map_err(|e| anyhow::anyhow!("invalid visa: {e}"))?;
        let token = shared::sign(&visa, &key);
        issuer::pdf::render(&visa, &token, inviter)?.len()
    };
    println!(
        "sign + render: {iterations} PDFs in {:.2} s = {per_second:.1} PDFs/s on one core, \
         {:.2} ms each; PDF size {size} bytes ({} bytes in total)",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / f64::from(iterations),
        bytes
    );
    let ms = |seconds: f64| seconds * 1000.0 / f64::from(iterations);
    if let Some(cpu) = cpu {
        // CPU time on this thread: what a busy machine's other processes do not inflate.
        println!(
            "CPU time of sign + render: {:.2} ms each",
            ms(cpu as f64 / 1e9)
        );
    }
    println!(
        "signing alone {:.3} ms; qrcode's own QrCode::with_error_correction_level alone {:.3} ms; \
         with a Chinese native name the PDF is {chinese} bytes",
        ms(signing),
        ms(encoding),
    );
    Ok(())
}
