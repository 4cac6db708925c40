//! The decoders the kiosk is compared with, run beside it in the same benchmark: zxing-cpp through
//! `scripts/zxing-baseline.py` (one long-lived Python process fed a path at a time, so each picture
//! is timed kiosk, zxing-cpp, kiosk, zxing-cpp… against the same machine state) and `zbarimg`.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

/// A running zxing-cpp baseline.
pub struct Zxing {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

/// What zxing-cpp made of one picture.
pub struct Reading {
    /// Wall-clock time of file → gray → codes, measured inside the Python process.
    pub wall: Duration,
    /// The codes' texts.
    pub texts: Vec<String>,
}

impl Zxing {
    /// Starts the baseline, or says why it cannot run (then the tables leave it out).
    pub fn start() -> Result<Self, String> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/zxing-baseline.py");
        let mut child = Command::new("python3")
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("python3: {e}"))?;
        let input = child.stdin.take().ok_or("no stdin")?;
        let output = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let mut zxing = Self {
            child,
            input,
            output,
        };
        // A first picture proves the module loads (the script exits at once if it does not).
        zxing
            .read(&script)
            .ok_or("zxing-cpp is not installed: run scripts/kiosk-bench-deps")?;
        Ok(zxing)
    }

    /// Reads one picture file.
    pub fn read(&mut self, path: &Path) -> Option<Reading> {
        writeln!(self.input, "{}", path.display()).ok()?;
        self.input.flush().ok()?;
        let mut line = String::new();
        self.output.read_line(&mut line).ok()?;
        let mut fields = line.trim_end_matches('\n').split('\t');
        let _path = fields.next()?;
        let wall: f64 = fields.next()?.parse().ok()?;
        let _cpu = fields.next()?;
        let texts: Vec<String> = serde_json::from_str(fields.next()?).ok()?;
        Some(Reading {
            wall: Duration::from_secs_f64(wall / 1000.0),
            texts,
        })
    }
}

impl Drop for Zxing {
    fn drop(&mut self) {
        // Closing its input ends the script's loop.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `zbarimg` is installed.
pub fn zbarimg_available() -> bool {
    Command::new("zbarimg")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The first QR code zbarimg reads, with a 20 s limit.
pub fn zbarimg(path: &Path) -> Option<String> {
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
