//! The issuer as a load balancer and a service manager see it (`docs/operations.md`, "Health,
//! readiness and shutdown"): `/healthz` and `/readyz` answer without a cookie, readiness turns
//! to 503 with its reason when the signing keys cannot be loaded, and SIGTERM lets a request
//! already running finish, refuses new connections, and ends the process with exit code 0.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use tests::binaries;

/// A started `issuer serve` on a free port, signing from a key directory of its own.
struct Issuer {
    child: Child,
    port: u16,
    key_dir: std::path::PathBuf,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Issuer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Result<Issuer> {
    let dir = tests::scratch_dir("e2e-shutdown-")?;
    let root = binaries::workspace_root();
    let key_dir = dir.path().join("keys");
    std::fs::create_dir_all(&key_dir)?;
    for file in ["dev-issuer.key", "dev-issuer.cert"] {
        std::fs::copy(root.join("keys").join(file), key_dir.join(file))?;
    }
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let log = dir.path().join("issuer.log");
    let child = binaries::command(&binaries::issuer()?)
        .current_dir(dir.path())
        .arg("serve")
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(["--sandbox-addr", "127.0.0.1:0"])
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("--key-dir")
        .arg(&key_dir)
        .arg("--root-pub")
        .arg(root.join("keys/root/dev-root.pub"))
        .args(["--shutdown-grace", "20"])
        .stdout(std::fs::File::create(&log)?)
        .stderr(Stdio::null())
        .spawn()
        .context("starting the issuer")?;
    let issuer = Issuer {
        child,
        port,
        key_dir,
        log,
        _dir: dir,
    };
    tests::wait_for(
        "the issuer to answer /healthz",
        Duration::from_secs(60),
        || {
            Ok(get(issuer.port, "/healthz")
                .ok()
                .filter(|r| r.starts_with("HTTP/1.1 200")))
        },
    )
    .with_context(|| log_of(&issuer))?;
    Ok(issuer)
}

fn log_of(issuer: &Issuer) -> String {
    std::fs::read_to_string(&issuer.log).unwrap_or_default()
}

/// One request on its own connection; the whole answer, headers and body.
fn get(port: u16, path: &str) -> Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

#[test]
fn the_probes_answer_without_a_cookie_and_readiness_says_why_it_is_not_ready() -> Result<()> {
    let issuer = start()?;
    let live = get(issuer.port, "/healthz")?;
    ensure!(
        live.starts_with("HTTP/1.1 200") && live.ends_with("ok\n"),
        "{live}"
    );
    let ready = get(issuer.port, "/readyz")?;
    ensure!(
        ready.starts_with("HTTP/1.1 200")
            && ready.contains(r#"{"status":"ready","database":"ok","signing_key":"ok"}"#),
        "{ready}"
    );
    for answer in [&live, &ready] {
        ensure!(
            !answer.to_ascii_lowercase().contains("set-cookie"),
            "a probe set a cookie: {answer}"
        );
    }
    // The signing key disappears from the key directory: no visa could be signed now.
    std::fs::remove_file(issuer.key_dir.join("dev-issuer.key"))?;
    let not_ready = get(issuer.port, "/readyz")?;
    ensure!(
        not_ready.starts_with("HTTP/1.1 503")
            && not_ready.contains(r#""status":"not_ready""#)
            && not_ready.contains(r#""database":"ok""#)
            && not_ready.contains(r#""signing_key":"the signing keys could not be loaded""#),
        "{not_ready}"
    );
    ensure!(
        get(issuer.port, "/healthz")?.starts_with("HTTP/1.1 200"),
        "liveness does not depend on the keys"
    );
    Ok(())
}

#[test]
fn sigterm_lets_a_running_request_finish_refuses_new_ones_and_exits_0() -> Result<()> {
    let mut issuer = start()?;
    // A gateway callback whose body arrives slowly: the request is running when SIGTERM comes.
    let body = r#"{"order_id":"nope","status":"paid"}"#;
    let mut slow = TcpStream::connect(("127.0.0.1", issuer.port))?;
    slow.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        slow,
        "POST /epay/callback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        &body[..10]
    )?;
    slow.flush()?;
    std::thread::sleep(Duration::from_millis(300));
    let killed = Command::new("kill")
        .args(["-TERM", &issuer.child.id().to_string()])
        .status()?;
    ensure!(killed.success(), "kill -TERM failed");
    tests::wait_for("the listener to close", Duration::from_secs(10), || {
        Ok(TcpStream::connect(("127.0.0.1", issuer.port))
            .err()
            .map(|_| ()))
    })
    .with_context(|| log_of(&issuer))?;
    ensure!(
        issuer.child.try_wait()?.is_none(),
        "the issuer exited with a request still running: {}",
        log_of(&issuer)
    );
    // The rest of the body: the request is answered (the gateway's signature is missing).
    slow.write_all(&body.as_bytes()[10..])?;
    let mut answer = String::new();
    slow.read_to_string(&mut answer)?;
    ensure!(
        answer.starts_with("HTTP/1.1 4"),
        "the running request got no answer: {answer:?}\n{}",
        log_of(&issuer)
    );
    let status = tests::wait_for("the issuer to exit", Duration::from_secs(30), || {
        Ok(issuer.child.try_wait()?)
    })?;
    ensure!(
        status.code() == Some(0),
        "exit {status:?}: {}",
        log_of(&issuer)
    );
    let log = log_of(&issuer);
    ensure!(
        log.contains("SIGTERM") && log.contains("database flushed"),
        "{log}"
    );
    Ok(())
}
