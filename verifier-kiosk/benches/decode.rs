//! Decode rate and speed of the kiosk's reading pipeline, with zxing-cpp and zbarimg in the same
//! run as baselines.
//!
//! `cargo bench -p verifier-kiosk --bench decode` (release build; `scripts/kiosk-bench-deps`
//! installs the zxing-cpp baseline, `scripts/install-deps` zbarimg). Three parts, each printed as
//! Markdown tables for `docs/performance.md`; `KIOSK_BENCH_ONLY=public,photos,verdict` picks some:
//! - `public`: the public set in `../shared/bench/qr-public` (or `KIOSK_BENCH_DIR`), every `N.png`
//!   with its expected text `N.txt`, through rqrr alone, rxing alone, the cascade rqrr first, and
//!   the kiosk's cascade, each stopping at the first code; zxing-cpp and zbarimg on the same files.
//! - `photos`: phone-like photos of printouts drawn by `tests/kiosk/render.rs` (2–12 megapixels,
//!   any turn, perspective, blur, noise, uneven light, JPEG; a booking code beside the visa on
//!   every third), written to `target/kiosk-bench/photos/`, read by the kiosk as at the border
//!   (the e-visa's code wanted) and by zxing-cpp.
//! - `verdict`: image → verdict for scans and photos of a rendered e-visa, zbarimg beside.
//!
//! Kiosk and zxing-cpp are timed picture by picture in turn (`KIOSK_BENCH_ROUNDS` times each,
//! default 3, the median kept), from the file to the codes, so both see the same machine state.

#[path = "decode/baseline.rs"]
mod baseline;
#[path = "../tests/kiosk/render.rs"]
mod render;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use shared::{IssuerKey, TrustStore, VisaDraft};
use time::macros::datetime;
use verifier_kiosk::cli::decide_image;
use verifier_kiosk::scan::{Pipeline, Want};

use baseline::{Zxing, zbarimg, zbarimg_available};

/// One picture with the text its code holds.
struct Sample {
    group: String,
    path: PathBuf,
    expected: String,
}

/// What one decoder did on a set: per picture, whether it read the expected text, and the time.
#[derive(Default)]
struct Tally {
    name: String,
    results: Vec<(String, bool, Duration)>,
}

impl Tally {
    fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            results: Vec::new(),
        }
    }

    fn read(&self) -> usize {
        self.results.iter().filter(|(_, ok, _)| *ok).count()
    }

    fn sorted_times(&self) -> Vec<Duration> {
        let mut times: Vec<Duration> = self.results.iter().map(|(_, _, t)| *t).collect();
        times.sort();
        times
    }

    fn median(&self) -> Duration {
        percentile(&self.sorted_times(), 50)
    }
}

fn main() {
    let only = std::env::var("KIOSK_BENCH_ONLY").unwrap_or_else(|_| "public,photos,verdict".into());
    let rounds: usize = std::env::var("KIOSK_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
        .max(1);
    let mut zxing = match Zxing::start() {
        Ok(zxing) => Some(zxing),
        Err(why) => {
            eprintln!("no zxing-cpp baseline: {why}");
            None
        }
    };
    println!("Load average at the start: {}", load_average());
    if only.contains("public") {
        public_set(zxing.as_mut(), rounds);
    }
    if only.contains("photos") {
        photos(zxing.as_mut(), rounds);
    }
    if only.contains("verdict") {
        image_to_verdict(zbarimg_available());
    }
    println!("\nLoad average at the end: {}", load_average());
}

/// The kiosk's time on one file: the median of `rounds` reads, and whether `check` accepts what
/// the last one read.
fn kiosk_time(
    pipeline: &Pipeline,
    path: &Path,
    rounds: usize,
    check: impl Fn(&[String]) -> bool,
) -> (bool, Duration) {
    let mut times = Vec::new();
    let mut ok = false;
    for _ in 0..rounds {
        let started = Instant::now();
        let result = pipeline.scan_file(path);
        times.push(started.elapsed());
        ok = result.is_ok_and(|scan| check(&scan.texts));
    }
    times.sort();
    (ok, times[times.len() / 2])
}

fn zxing_time(
    zxing: &mut Zxing,
    path: &Path,
    rounds: usize,
    check: impl Fn(&[String]) -> bool,
) -> (bool, Duration) {
    let mut times = Vec::new();
    let mut ok = false;
    for _ in 0..rounds {
        let Some(reading) = zxing.read(path) else {
            return (false, Duration::ZERO);
        };
        times.push(reading.wall);
        ok = check(&reading.texts);
    }
    times.sort();
    (ok, times[times.len() / 2])
}

fn public_set(mut zxing: Option<&mut Zxing>, rounds: usize) {
    let dir = std::env::var_os("KIOSK_BENCH_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/qr-public"),
        PathBuf::from,
    );
    let samples = public_samples(&dir);
    println!(
        "\n## Public set ({} photos in {}, one code each; the kiosk stops at the first code)\n",
        samples.len(),
        dir.display()
    );
    // The public set's codes are not e-visas: each configuration stops at the first code read.
    let any = Pipeline {
        want: Want::AnyCode,
        ..Pipeline::default()
    };
    let alone: [(&str, Pipeline); 3] = [
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
    ];
    let mut tallies: Vec<Tally> = Vec::new();
    for (name, pipeline) in alone {
        let mut tally = Tally::named(name);
        for s in &samples {
            let (ok, time) = kiosk_time(&pipeline, &s.path, 1, |texts| {
                texts.iter().any(|t| same(t, &s.expected))
            });
            tally.results.push((s.group.clone(), ok, time));
        }
        tallies.push(tally);
    }
    // The kiosk and zxing-cpp in turn, picture by picture.
    let mut kiosk = Tally::named("**kiosk cascade** (rxing first, rqrr, retries)");
    let mut reference = Tally::named("zxing-cpp (Python binding, same run)");
    let mut missed = Vec::new();
    for s in &samples {
        let check = |texts: &[String]| texts.iter().any(|t| same(t, &s.expected));
        let (ok, time) = kiosk_time(&any, &s.path, rounds, check);
        if !ok {
            missed.push(format!("{}/{}", s.group, file_name(&s.path)));
        }
        kiosk.results.push((s.group.clone(), ok, time));
        if let Some(zxing) = zxing.as_deref_mut() {
            let (ok, time) = zxing_time(zxing, &s.path, rounds, check);
            reference.results.push((s.group.clone(), ok, time));
        }
    }
    eprintln!("kiosk cascade missed: {}", missed.join(" "));
    let reference_median = (!reference.results.is_empty()).then(|| reference.median());
    tallies.push(kiosk);
    if !reference.results.is_empty() {
        tallies.push(reference);
    }
    if zbarimg_available() {
        let mut tally = Tally::named("zbarimg (zbar-tools, a process per picture)");
        for s in &samples {
            let started = Instant::now();
            let ok = zbarimg(&s.path).is_some_and(|t| same(&t, &s.expected));
            tally.results.push((s.group.clone(), ok, started.elapsed()));
        }
        tallies.push(tally);
    }
    print_table(&tallies, reference_median);
}

fn photos(mut zxing: Option<&mut Zxing>, rounds: usize) {
    let token = sample_token();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/kiosk-bench/photos");
    std::fs::create_dir_all(&dir).expect("photo folder");
    let count: u64 = std::env::var("KIOSK_BENCH_PHOTOS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(36);
    let mut samples = Vec::new();
    for seed in 1..=count {
        let shot = render::Shot::random(seed);
        let quality = 70 + (seed * 7 % 23) as u8;
        let path = dir.join(format!(
            "{seed:02}-{}x{}-q{quality}{}.jpg",
            shot.width,
            shot.height,
            if shot.booking { "-booking" } else { "" }
        ));
        // The same seed draws the same photo: made once, kept for the next run and for anyone
        // who wants to look at them.
        if !path.exists() {
            let photo = render::phone_photo(&token, &shot);
            std::fs::write(&path, render::jpeg(&photo, quality)).expect("photo written");
        }
        samples.push(Sample {
            group: format!("{}x{}", shot.width, shot.height),
            path,
            expected: token.clone(),
        });
    }
    println!(
        "\n## Phone-like photos of printouts ({count} in {}, the e-visa's code wanted)\n",
        dir.display()
    );
    let pipeline = Pipeline::default();
    let mut kiosk = Tally::named("**kiosk** (default pipeline, e-visa wanted)");
    let mut reference = Tally::named("zxing-cpp (Python binding, same run)");
    for s in &samples {
        // The kiosk must put the visa first; zxing-cpp just has to have read it.
        let (ok, time) = kiosk_time(&pipeline, &s.path, rounds, |texts| {
            texts.first() == Some(&s.expected)
        });
        if !ok {
            eprintln!("kiosk missed {}", s.path.display());
        }
        kiosk.results.push((s.group.clone(), ok, time));
        if let Some(zxing) = zxing.as_deref_mut() {
            let (ok, time) =
                zxing_time(zxing, &s.path, rounds, |texts| texts.contains(&s.expected));
            reference.results.push((s.group.clone(), ok, time));
        }
    }
    let reference_median = (!reference.results.is_empty()).then(|| reference.median());
    let mut tallies = vec![kiosk];
    if !reference.results.is_empty() {
        tallies.push(reference);
    }
    print_table(&tallies, reference_median);
}

fn print_table(tallies: &[Tally], reference_median: Option<Duration>) {
    let mut groups: Vec<String> = Vec::new();
    for (group, _, _) in tallies.iter().flat_map(|t| &t.results) {
        if !groups.contains(group) {
            groups.push(group.clone());
        }
    }
    println!(
        "| decoder | read | rate | median ms | × zxing-cpp | p90 ms | max ms | {} |",
        groups.join(" | ")
    );
    println!(
        "|---|---|---|---|---|---|---|{}",
        "---|".repeat(groups.len())
    );
    for tally in tallies {
        let times = tally.sorted_times();
        let cells: Vec<String> = groups
            .iter()
            .map(|g| {
                let of: Vec<_> = tally.results.iter().filter(|(x, _, _)| x == g).collect();
                let read = of.iter().filter(|(_, ok, _)| *ok).count();
                format!("{read}/{}", of.len())
            })
            .collect();
        let ratio = reference_median.map_or_else(
            || "–".to_owned(),
            |r| {
                format!(
                    "{:.2}",
                    tally.median().as_secs_f64() / r.as_secs_f64().max(1e-9)
                )
            },
        );
        println!(
            "| {} | {}/{} | {:.1} % | {:.1} | {ratio} | {:.1} | {:.1} | {} |",
            tally.name,
            tally.read(),
            times.len(),
            100.0 * tally.read() as f64 / times.len().max(1) as f64,
            ms(percentile(&times, 50)),
            ms(percentile(&times, 90)),
            ms(times.last().copied().unwrap_or_default()),
            cells.join(" | ")
        );
    }
}

/// The sample visa (valid 2026-12-01 to 2027-01-29 at NQZ and ALA), signed with the dev key.
fn sample_token() -> String {
    let draft: VisaDraft =
        serde_json::from_str(include_str!("../../shared/tests/vectors/visa.json")).expect("JSON");
    shared::sign(&draft.into_visa().expect("visa"), &dev_key())
}

fn dev_key() -> IssuerKey {
    IssuerKey::from_pkcs8_pem(include_str!("../../keys/dev-issuer.key")).expect("dev key")
}

/// Image → verdict for the pictures an officer's kiosk sees most.
fn image_to_verdict(zbar: bool) {
    let token = sample_token();
    let trust = TrustStore::from_keys([dev_key().public_key()]);
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
            let ext = Path::new(path)
                .extension()
                .map_or_else(|| "png".to_owned(), |e| e.to_string_lossy().into_owned());
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
            verdict = format!("{:?} ({})", d.verdict(), d.reason());
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
            (format!("{:.0}", ms(zt[1])), if read { "yes" } else { "no" })
        } else {
            ("n/a".to_owned(), "n/a")
        };
        println!(
            "| {name} | {verdict} | {:.0} | {zms} | {zread} |",
            ms(times[3])
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn public_samples(dir: &Path) -> Vec<Sample> {
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
                group: file_name(&folder),
                path,
                expected,
            });
        }
    }
    out
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Decoded text against the expected file; a trailing newline in the file is not part of the code.
fn same(decoded: &str, expected: &str) -> bool {
    decoded == expected || decoded == expected.trim_end_matches(['\r', '\n'])
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(sorted.len() - 1) * p / 100]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
