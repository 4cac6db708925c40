//! The issuer portal and the sandbox gateway as real child processes on free loopback ports, each
//! with its own fresh data, killed when the test is done; and the migration officer's `issuer`
//! commands run against the same data directory.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tempfile::TempDir;

use crate::binaries;
use crate::mail::{MailServer, Mailbox};

/// The merchant id both sides are started with (not the development default, so the test proves
/// the setting reaches both processes).
pub const MERCHANT_ID: &str = "e2e-merchant";
/// The HMAC secret both sides share.
pub const EPAY_SECRET: &str = "e2e-secret-only-for-these-tests";
/// How long the sandbox's documented pending card stays pending (20 s by default).
pub const PENDING_SECONDS: u64 = 2;
/// The demo organisation's BIN, seeded by the issuer on its first start.
pub const DEMO_BIN: &str = "180240012342";

/// How the portal signs visas.
#[derive(Debug, Clone)]
pub enum Signing {
    /// One key file (`--key`), like the development setup.
    Key(PathBuf),
    /// A directory of root-certified keys (`--key-dir`, `--root-pub`), for rotation.
    KeyDir {
        /// The key directory.
        dir: PathBuf,
        /// The root public key that certifies its keys.
        root_pub: PathBuf,
    },
}

impl Signing {
    /// The committed development key, as README's quick start uses.
    pub fn dev_key() -> Self {
        Self::Key(binaries::workspace_root().join("keys/dev-issuer.key"))
    }
}

/// A running portal with its gateway. Dropping it stops both.
#[derive(Debug)]
pub struct Portal {
    /// The portal's base URL, like `http://127.0.0.1:PORT`.
    pub url: String,
    /// The gateway's base URL.
    pub gateway_url: String,
    /// The issuer's data directory (its SQLite database).
    pub data_dir: PathBuf,
    /// Where the issuer's mail goes: its outbox folder, or a real SMTP server.
    pub mailbox: Mailbox,
    // Fields drop in this order: the processes stop before their directory is removed.
    cluster: Option<Cluster>,
    /// The issuer (`None` for a cluster, whose instances the cluster holds).
    issuer: Option<Guard>,
    gateway: Guard,
    dir: TempDir,
}

/// Several issuer instances on one PostgreSQL database behind a balancer
/// ([`Portal::start_cluster`]); instance 0 is the portal's `issuer`.
#[derive(Debug)]
struct Cluster {
    database_url: String,
    /// The arguments of `issuer serve` but `--addr`.
    serve_args: Vec<std::ffi::OsString>,
    ports: Vec<u16>,
    instances: std::sync::Mutex<Vec<Guard>>,
    _balancer: crate::balancer::Balancer,
}

/// A child process that is killed when dropped, with its log file for error messages.
#[derive(Debug)]
struct Guard {
    name: &'static str,
    child: Child,
    log: PathBuf,
}

/// The applicant's data an invitation is made for (and the application then gives).
#[derive(Debug, Clone)]
pub struct Person {
    /// Surname, Latin letters.
    pub surname: &'static str,
    /// Given names, Latin letters.
    pub given_names: &'static str,
    /// F, M or X.
    pub sex: &'static str,
    /// YYYY-MM-DD.
    pub date_of_birth: &'static str,
    /// ISO alpha-3.
    pub citizenship: &'static str,
    /// Passport number.
    pub passport: &'static str,
    /// business, tourist or treatment.
    pub category: &'static str,
}

impl Portal {
    /// Starts a sandbox gateway and an issuer that uses it, with fresh data; the issuer writes
    /// its mail to its outbox folder (README's default).
    pub fn start(signing: Signing) -> Result<Self> {
        Self::start_with(signing, None)
    }

    /// Like [`Portal::start`], with a real SMTP server the issuer sends its mail to
    /// (`--smtp-url`).
    pub fn start_with_smtp(signing: Signing) -> Result<Self> {
        Self::start_with(signing, Some(MailServer::start()?))
    }

    fn start_with(signing: Signing, smtp: Option<MailServer>) -> Result<Self> {
        let dir = crate::scratch_dir("e2e-portal-")?;
        let data_dir = dir.path().join("data");
        let (gateway, gateway_url) = start_ready(|port| {
            let url = format!("http://127.0.0.1:{port}");
            let mut command = binaries::command(&binaries::epay_sandbox()?);
            command
                .args(["--addr", &format!("127.0.0.1:{port}"), "--public-url", &url])
                .args(["--merchant-id", MERCHANT_ID, "--secrets", EPAY_SECRET])
                .args(["--processing-ms", "300"])
                .args(["--pending-seconds", &PENDING_SECONDS.to_string()]);
            let guard = spawn(
                "epay-sandbox",
                command,
                &dir.path().join("epay-sandbox.log"),
            )?;
            Ok((guard, url.clone(), format!("{url}/static/epay.css")))
        })?;
        let (issuer, url) = start_ready(|port| {
            let url = format!("http://127.0.0.1:{port}");
            let mut command = binaries::command(&binaries::issuer()?);
            command
                .current_dir(dir.path())
                .arg("serve")
                .args(["--addr", &format!("127.0.0.1:{port}"), "--public-url", &url])
                .arg("--data-dir")
                .arg(&data_dir)
                .args(["--gateway-url", &gateway_url])
                .args(["--merchant-id", MERCHANT_ID, "--epay-secrets", EPAY_SECRET]);
            if let Some(server) = &smtp {
                command.args(["--smtp-url", &server.url]);
            }
            match &signing {
                Signing::Key(key) => {
                    command.arg("--key").arg(key);
                }
                Signing::KeyDir { dir, root_pub } => {
                    command
                        .arg("--key-dir")
                        .arg(dir)
                        .arg("--root-pub")
                        .arg(root_pub);
                }
            }
            let guard = spawn("issuer", command, &dir.path().join("issuer.log"))?;
            Ok((guard, url.clone(), format!("{url}/services")))
        })?;
        let mailbox = match smtp {
            Some(server) => Mailbox::Smtp(server),
            None => Mailbox::Folder(data_dir.join("outbox")),
        };
        Ok(Self {
            url,
            gateway_url,
            data_dir,
            mailbox,
            cluster: None,
            issuer: Some(issuer),
            gateway,
            dir,
        })
    }

    /// Starts a sandbox gateway and `instances` issuers on the PostgreSQL database `database_url`,
    /// sharing one data directory (its cookie key and outbox folder), behind a load balancer
    /// whose address is the portal's URL and every instance's public URL (so the gateway's
    /// callbacks, too, are spread over the instances).
    pub fn start_cluster(database_url: &str, instances: usize) -> Result<Self> {
        let dir = crate::scratch_dir("e2e-cluster-")?;
        let data_dir = dir.path().join("data");
        let (gateway, gateway_url) = start_ready(|port| {
            let url = format!("http://127.0.0.1:{port}");
            let mut command = binaries::command(&binaries::epay_sandbox()?);
            command
                .args(["--addr", &format!("127.0.0.1:{port}"), "--public-url", &url])
                .args(["--merchant-id", MERCHANT_ID, "--secrets", EPAY_SECRET])
                .args(["--processing-ms", "300"])
                .args(["--pending-seconds", &PENDING_SECONDS.to_string()]);
            let guard = spawn(
                "epay-sandbox",
                command,
                &dir.path().join("epay-sandbox.log"),
            )?;
            Ok((guard, url.clone(), format!("{url}/static/epay.css")))
        })?;
        let ports = (0..instances.max(1))
            .map(|_| Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port()))
            .collect::<Result<Vec<u16>>>()?;
        let balancer = crate::balancer::Balancer::start(ports.clone())?;
        let url = format!("http://127.0.0.1:{}", balancer.port);
        let mut serve_args: Vec<std::ffi::OsString> = ["serve", "--public-url", &url]
            .iter()
            .map(Into::into)
            .collect();
        serve_args.extend(["--data-dir".into(), data_dir.clone().into_os_string()]);
        for arg in [
            "--gateway-url",
            &gateway_url,
            "--merchant-id",
            MERCHANT_ID,
            "--epay-secrets",
            EPAY_SECRET,
        ] {
            serve_args.push(arg.into());
        }
        serve_args.push("--key".into());
        serve_args.push(
            binaries::workspace_root()
                .join("keys/dev-issuer.key")
                .into(),
        );
        let cluster = Cluster {
            database_url: database_url.to_owned(),
            serve_args,
            ports,
            instances: std::sync::Mutex::new(Vec::new()),
            _balancer: balancer,
        };
        let started = (0..cluster.ports.len())
            .map(|i| cluster.start_instance(i, dir.path()))
            .collect::<Result<Vec<Guard>>>()?;
        *cluster.lock()? = started;
        Ok(Self {
            url,
            gateway_url,
            mailbox: Mailbox::Folder(data_dir.join("outbox")),
            data_dir,
            cluster: Some(cluster),
            issuer: None,
            gateway,
            dir,
        })
    }

    /// Kills instance `i` of a cluster with SIGKILL, mid-request if it is in one.
    pub fn kill_instance(&self, i: usize) -> Result<()> {
        let cluster = self.cluster.as_ref().context("not a cluster")?;
        let mut instances = cluster.lock()?;
        let guard = instances.get_mut(i).context("no such instance")?;
        guard.child.kill()?;
        guard.child.wait()?;
        Ok(())
    }

    /// Starts instance `i` of a cluster again (after [`Portal::kill_instance`]).
    pub fn restart_instance(&self, i: usize) -> Result<()> {
        let cluster = self.cluster.as_ref().context("not a cluster")?;
        let guard = cluster.start_instance(i, self.dir.path())?;
        *cluster.lock()?.get_mut(i).context("no such instance")? = guard;
        Ok(())
    }

    /// A scratch directory that lives as long as the portal.
    pub fn scratch(&self) -> &Path {
        self.dir.path()
    }

    /// Registers an invitation for `person` from the demo organisation with `issuer invite`,
    /// valid from today for 60 days with a 30-day stay, and returns its number.
    pub fn invite(&self, person: &Person) -> Result<String> {
        let today = crate::kazakhstan_today();
        let until = today + time::Duration::days(60);
        let out = self.issuer_command(&[
            "invite",
            "--bin-iin",
            DEMO_BIN,
            "--surname",
            person.surname,
            "--given-names",
            person.given_names,
            "--passport",
            person.passport,
            "--citizenship",
            person.citizenship,
            "--date-of-birth",
            person.date_of_birth,
            "--category",
            person.category,
            "--purpose",
            "End-to-end test visit",
            "--city",
            "Astana",
            "--street",
            "Mangilik El",
            "--house",
            "55",
            "--valid-from",
            &today.to_string(),
            "--valid-until",
            &until.to_string(),
            "--stay-days",
            "30",
        ])?;
        Ok(succeeded("issuer invite", &out)?.trim().to_owned())
    }

    /// Runs `issuer ARGS… --data-dir DATA` (the operator's commands that use the database).
    pub fn issuer_command(&self, args: &[&str]) -> Result<Output> {
        let mut command = binaries::command(&binaries::issuer()?);
        if let Some(cluster) = &self.cluster {
            command.env("ISSUER_DATABASE_URL", &cluster.database_url);
        }
        command
            .current_dir(self.dir.path())
            .args(args)
            .arg("--data-dir")
            .arg(&self.data_dir)
            .output()
            .with_context(|| format!("running issuer {}", args.join(" ")))
    }

    /// The gateway's log so far (what its operator would read).
    pub fn gateway_log(&self) -> String {
        std::fs::read_to_string(&self.gateway.log).unwrap_or_default()
    }

    /// The last lines of both logs, for a failure message.
    pub fn logs(&self) -> String {
        let issuers = match (&self.issuer, &self.cluster) {
            (Some(issuer), _) => issuer.log_tail(),
            (None, Some(cluster)) => cluster
                .lock()
                .map(|all| {
                    all.iter()
                        .map(Guard::log_tail)
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default(),
            (None, None) => String::new(),
        };
        format!("{issuers}\n{}", self.gateway.log_tail())
    }
}

/// Runs `issuer ARGS…` without a data directory (keys, certificates, signing).
pub fn issuer(args: &[&str]) -> Result<Output> {
    binaries::command(&binaries::issuer()?)
        .args(args)
        .output()
        .with_context(|| format!("running issuer {}", args.join(" ")))
}

/// The standard output of a command that must have succeeded; otherwise an error with both
/// outputs.
pub fn succeeded(what: &str, out: &Output) -> Result<String> {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!(
            "{what} failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(stdout)
}

impl Cluster {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Vec<Guard>>> {
        self.instances
            .lock()
            .map_err(|_| anyhow::anyhow!("the instances' lock is poisoned"))
    }

    /// Starts instance `i` on its port and waits until it serves; its log is appended to.
    fn start_instance(&self, i: usize, dir: &Path) -> Result<Guard> {
        let port = self.ports[i];
        let mut command = binaries::command(&binaries::issuer()?);
        command
            .current_dir(dir)
            .env("ISSUER_DATABASE_URL", &self.database_url)
            .args(&self.serve_args)
            .args(["--addr", &format!("127.0.0.1:{port}")]);
        let log = dir.join(format!("issuer-{i}.log"));
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .with_context(|| format!("opening {}", log.display()))?;
        let err = out.try_clone()?;
        let mut guard = Guard {
            name: "issuer",
            child: command
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .spawn()
                .context("starting an issuer instance")?,
            log,
        };
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(2))
            .build()?;
        let probe = format!("http://127.0.0.1:{port}/services");
        let ready = crate::wait_for(
            &format!("issuer instance {i} to answer"),
            Duration::from_secs(60),
            || {
                if let Some(status) = guard.child.try_wait()? {
                    bail!("issuer instance {i} exited ({status})");
                }
                Ok(client
                    .get(&probe)
                    .send()
                    .ok()
                    .filter(|r| r.status().is_success())
                    .map(|_| ()))
            },
        );
        if let Err(error) = ready {
            bail!("{error:#}\n{}", guard.log_tail());
        }
        Ok(guard)
    }
}

impl Guard {
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let from = lines.len().saturating_sub(20);
        format!(
            "--- {} log (last lines) ---\n{}",
            self.name,
            lines[from..].join("\n")
        )
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(name: &'static str, mut command: Command, log: &Path) -> Result<Guard> {
    let out = File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let err = out.try_clone()?;
    let child = command
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .with_context(|| format!("starting {name}"))?;
    Ok(Guard {
        name,
        child,
        log: log.to_path_buf(),
    })
}

/// Starts a server on a free port and waits until `probe_url` answers 200. A free port is found
/// by binding port 0 and letting it go; in the rare case another process takes it meanwhile, the
/// server exits and is started again on another port.
fn start_ready(
    mut start: impl FnMut(u16) -> Result<(Guard, String, String)>,
) -> Result<(Guard, String)> {
    let client = reqwest::blocking::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(2))
        .build()?;
    let mut last = String::new();
    for _ in 0..3 {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let (mut guard, base, probe_url) = start(port)?;
        let ready = crate::wait_for(
            &format!("{} to answer at {probe_url}", guard.name),
            Duration::from_secs(30),
            || {
                if let Some(status) = guard.child.try_wait()? {
                    return Ok(Some(Err(status)));
                }
                Ok(client
                    .get(&probe_url)
                    .send()
                    .ok()
                    .filter(|r| r.status().is_success())
                    .map(|_| Ok(())))
            },
        );
        match ready {
            Ok(Ok(())) => return Ok((guard, base)),
            Ok(Err(status)) => {
                last = format!("{} exited ({status})\n{}", guard.name, guard.log_tail())
            }
            Err(error) => bail!("{error:#}\n{}", guard.log_tail()),
        }
    }
    bail!("could not start a server: {last}")
}
