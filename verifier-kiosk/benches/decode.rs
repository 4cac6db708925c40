//! Decode rate and speed of the kiosk's reading pipeline, side by side with `zbarimg`.
//!
//! `cargo bench -p verifier-kiosk --bench decode` (release build). Reads the public set in
//! `../shared/bench/qr-public` (or `KIOSK_BENCH_DIR`): every `N.png` with its expected text `N.txt`,
//! through rqrr alone, rxing alone, and the kiosk's full cascade (both decoders, pyramid and
//! retries, default 4 s budget), and through `zbarimg` when it is installed. Then times image →
//! verdict for a 300-dpi A4 scan and a 1080p phone photo of a rendered e-visa code. Prints
//! Markdown tables for `docs/performance.md`.

#[path = "../tests/kiosk/render.rs"]
mod render;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use shared::{IssuerKey, TrustStore, VisaDraft};
use time::macros::datetime;
use verifier_kiosk::cli::decide_image;
use verifier_kiosk::scan::{Pipeline, Want};

struct Sample {
    folder: String,
    path: PathBuf,
    expected: String,
}

#[derive(Default, Clone)]
struct Tally {
    read: usize,
    times: Vec<Duration>,
}

fn main() {
    let dir = std::env::var_os("KIOSK_BENCH_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/qr-public"),
        PathBuf::from,
    );
    let samples = samples(&dir);
    let zbar = zbarimg_available();
    println!(
        "# Decode benchmark ({} images in {})\n",
        samples.len(),
        dir.display()
    );

    // The public set's codes are not e-visas: each configuration stops at the first code read.
    let any = Pipeline {
        want: Want::AnyCode,
        ..Pipeline::default()
    };
    let configs: [(&str, Pipeline); 4] = [
        (
            "rqrr alone (pyramid, no retries)",
            Pipeline {
                rxing: false,
                retries: false,
                ..any
            },
        ),
        (
            "rxing alone (pyramid, no retries)",
            Pipeline {
                rqrr: false,
                retries: false,
                ..any
            },
        ),
        (
            "cascade, rqrr first",
            Pipeline {
                rxing_first: false,
                ..any
            },
        ),
        ("kiosk cascade (rxing first, rqrr, retries)", any),
    ];
    let folders: Vec<String> = {
        let mut f: Vec<String> = samples.iter().map(|s| s.folder.clone()).collect();
        f.dedup();
        f
    };
    let mut rows: Vec<(String, Vec<(String, Tally)>)> = Vec::new();
    for (name, pipeline) in configs {
        let mut per_folder: Vec<(String, Tally)> = folders
            .iter()
            .map(|f| (f.clone(), Tally::default()))
            .collect();
        let mut missed = Vec::new();
        for s in &samples {
            let bytes = std::fs::read(&s.path).expect("readable sample");
            let started = Instant::now();
            let result = pipeline.scan_bytes(&bytes);
            let elapsed = started.elapsed();
            let ok = result
                .as_ref()
                .is_ok_and(|scan| scan.texts.iter().any(|t| same(t, &s.expected)));
            let slot = per_folder
                .iter_mut()
                .find(|(f, _)| *f == s.folder)
                .map(|(_, t)| t)
                .expect("folder");
            slot.times.push(elapsed);
            if ok {
                slot.read += 1;
            } else {
                missed.push(format!(
                    "{}/{}",
                    s.folder,
                    s.path
                        .file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default()
                ));
            }
        }
        eprintln!("{name}: missed {}", missed.join(" "));
        rows.push((name.to_owned(), per_folder));
    }
    if zbar {
        let mut per_folder: Vec<(String, Tally)> = folders
            .iter()
            .map(|f| (f.clone(), Tally::default()))
            .collect();
        for s in &samples {
            let started = Instant::now();
            let text = zbarimg(&s.path);
            let elapsed = started.elapsed();
            let slot = per_folder
                .iter_mut()
                .find(|(f, _)| *f == s.folder)
                .map(|(_, t)| t)
                .expect("folder");
            slot.times.push(elapsed);
            if text.is_some_and(|t| same(&t, &s.expected)) {
                slot.read += 1;
            }
        }
        rows.push(("zbarimg (zbar-tools)".to_owned(), per_folder));
    }

    println!(
        "| decoder | read | rate | median ms | p90 ms | max ms | {} |",
        folders.join(" | ")
    );
    println!("|---|---|---|---|---|---|{}", "---|".repeat(folders.len()));
    for (name, per_folder) in &rows {
        let read: usize = per_folder.iter().map(|(_, t)| t.read).sum();
        let mut times: Vec<Duration> = per_folder
            .iter()
            .flat_map(|(_, t)| t.times.clone())
            .collect();
        times.sort();
        let cells: Vec<String> = per_folder
            .iter()
            .map(|(_, t)| format!("{}/{}", t.read, t.times.len()))
            .collect();
        println!(
            "| {name} | {read}/{} | {:.1} % | {} | {} | {} | {} |",
            times.len(),
            100.0 * read as f64 / times.len().max(1) as f64,
            ms(percentile(&times, 50)),
            ms(percentile(&times, 90)),
            ms(times.last().copied().unwrap_or_default()),
            cells.join(" | ")
        );
    }

    image_to_verdict(zbar);
}

/// Image → verdict for the two pictures an officer's kiosk sees most.
fn image_to_verdict(zbar: bool) {
    let key =
        IssuerKey::from_pkcs8_pem(include_str!("../../keys/dev-issuer.key")).expect("dev key");
    let draft: VisaDraft =
        serde_json::from_str(include_str!("../../shared/tests/vectors/visa.json")).expect("JSON");
    let token = shared::sign(&draft.into_visa().expect("visa"), &key);
    let trust = TrustStore::from_keys([key.public_key()]);
    let at = datetime!(2026-12-05 05:00 UTC);
    let dir = std::env::temp_dir().join(format!("kiosk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut cases: Vec<(String, String, Vec<u8>)> = vec![
        (
            "A4 scan, 300 dpi, PNG (2480×3507)".to_owned(),
            "a4-300.png".to_owned(),
            render::png(&render::a4_page(&token, 300.0, 0.85, 0.0)),
        ),
        (
            "A4 scan, 300 dpi, 2° crooked, JPEG q85".to_owned(),
            "a4-300.jpg".to_owned(),
            render::jpeg(&render::a4_page(&token, 300.0, 0.85, 2.0), 85),
        ),
        (
            "A4 scan, 300 dpi, TIFF (RGB, uncompressed)".to_owned(),
            "a4-300.tif".to_owned(),
            render::encoded(
                &render::a4_page(&token, 300.0, 0.85, 0.0),
                image::ImageFormat::Tiff,
            ),
        ),
        (
            "A4 scan, 300 dpi, booking code beside the visa, PNG".to_owned(),
            "a4-300-booking.png".to_owned(),
            render::png(&render::a4_page_with_booking(&token, 300.0, 0.85, 0.0)),
        ),
        (
            "1080p phone photo, 8°, JPEG q85".to_owned(),
            "photo-1080p.jpg".to_owned(),
            render::jpeg(&render::photo(&token, 1920, 1080, 7.0, 8.0), 85),
        ),
    ];
    // More pictures, e.g. `pdftoppm` rasters of the issuer's printout of a visa signed with the
    // dev key and valid on 2026-12-05: KIOSK_BENCH_PICTURES=a.png:b.jpg.
    let extra = std::env::var("KIOSK_BENCH_PICTURES").unwrap_or_default();
    for (i, path) in extra.split(':').filter(|p| !p.is_empty()).enumerate() {
        if let Ok(bytes) = std::fs::read(path) {
            let ext = if path.ends_with(".jpg") { "jpg" } else { "png" };
            cases.push((path.to_owned(), format!("extra-{i}.{ext}"), bytes));
        }
    }
    println!("\n## Image → verdict (median of 7; zbarimg: median of 3, decode only)\n");
    println!("| picture | kiosk verdict | kiosk ms | zbarimg ms | zbarimg read |");
    println!("|---|---|---|---|---|");
    for (name, file, bytes) in cases {
        let path = dir.join(file);
        std::fs::write(&path, bytes).expect("write");
        let mut times = Vec::new();
        let mut verdict = String::new();
        for _ in 0..7 {
            let started = Instant::now();
            let d = decide_image(
                &path,
                &trust,
                Some(shared::Port::Nqz),
                at,
                Pipeline::default(),
            );
            times.push(started.elapsed());
            verdict = format!("{:?} ({})", d.verdict, d.reason);
        }
        times.sort();
        let (zms, zread) = if zbar {
            let mut zt = Vec::new();
            let mut read = false;
            for _ in 0..3 {
                let started = Instant::now();
                read = zbarimg(&path).is_some_and(|t| t.starts_with("KZV1:"));
                zt.push(started.elapsed());
            }
            zt.sort();
            (ms(zt[1]).to_string(), if read { "yes" } else { "no" })
        } else {
            ("n/a".to_owned(), "n/a")
        };
        println!(
            "| {name} | {verdict} | {} | {zms} | {zread} |",
            ms(times[3])
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn samples(dir: &Path) -> Vec<Sample> {
    let mut out = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    folders.sort();
    for folder in folders {
        let mut images: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "png"))
                    .collect()
            })
            .unwrap_or_default();
        images.sort_by_key(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.parse::<u32>().ok())
                .unwrap_or(u32::MAX)
        });
        for path in images {
            let Ok(expected) = std::fs::read_to_string(path.with_extension("txt")) else {
                continue;
            };
            out.push(Sample {
                folder: folder
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path,
                expected,
            });
        }
    }
    out
}

/// Decoded text against the expected file; a trailing newline in the file is not part of the code.
fn same(decoded: &str, expected: &str) -> bool {
    decoded == expected || decoded == expected.trim_end_matches(['\r', '\n'])
}

fn zbarimg_available() -> bool {
    Command::new("zbarimg")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The first QR code zbarimg reads, with a 20 s limit.
fn zbarimg(path: &Path) -> Option<String> {
    let output = Command::new("timeout")
        .args([
            "20",
            "zbarimg",
            "-q",
            "--raw",
            "-Sdisable",
            "-Sqrcode.enable",
        ])
        .arg(path)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    // --raw ends each code with a newline.
    Some(text.strip_suffix('\n').unwrap_or(&text).to_owned())
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(sorted.len() - 1) * p / 100]
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}
