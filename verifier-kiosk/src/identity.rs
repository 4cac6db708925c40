//! The kiosk's own identity: an Ed25519 key made on the kiosk, which never leaves it, with the
//! kiosk id and airport it was made for. The migration service registers the public half
//! (`issuer kiosk add`), the next trust bundle lists it, and from then on the kiosk's signed ledger
//! exports are believed by the other kiosks and the issuer.
//!
//! Three files in the trust directory: `kiosk.key` (PKCS#8 PEM, mode 0600, never overwritten),
//! `kiosk.pub` (SPKI PEM, what the officer takes to the migration service) and `kiosk.json`
//! (`{"kiosk_id": …, "port": …}`, so every command and the window agree on who this kiosk is).

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use shared::kiosk::KioskId;
use shared::{IssuerKey, Kid, Port, PublicKey};

/// The private key's file name in the trust directory.
pub const KEY_FILE: &str = "kiosk.key";
/// The public key's file name in the trust directory.
pub const PUB_FILE: &str = "kiosk.pub";
/// The id and airport's file name in the trust directory.
pub const ID_FILE: &str = "kiosk.json";

/// Who this kiosk is: its id, airport and signing key. `Debug` shows only the key id.
#[derive(Debug)]
pub struct Identity {
    kiosk_id: KioskId,
    port: Port,
    key: IssuerKey,
}

/// What `kiosk.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IdFile {
    kiosk_id: String,
    port: String,
}

/// Why the identity could not be made, read or used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IdentityError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A file exists but does not hold what it should.
    #[error("{path}: {problem}")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// The kiosk already has an identity with another id or airport.
    #[error(
        "this kiosk is {existing_id} at {existing_port} (kiosk.json in the trust directory); \
         {given} contradicts it"
    )]
    Contradiction {
        /// The id of the existing identity.
        existing_id: String,
        /// The airport of the existing identity.
        existing_port: &'static str,
        /// What was given instead.
        given: String,
    },
    /// A key file exists without the id file: the identity cannot be completed safely.
    #[error(
        "{0} exists but kiosk.json does not; run `verifier-kiosk identity` with the kiosk's id and port"
    )]
    Incomplete(PathBuf),
}

impl Identity {
    /// The kiosk id.
    pub fn kiosk_id(&self) -> &KioskId {
        &self.kiosk_id
    }
    /// The airport.
    pub fn port(&self) -> Port {
        self.port
    }
    /// The signing key (stays in this process; `Debug` shows only its id).
    pub fn key(&self) -> &IssuerKey {
        &self.key
    }
    /// The public key, as registered.
    pub fn public_key(&self) -> PublicKey {
        self.key.public_key()
    }
    /// The key id.
    pub fn kid(&self) -> Kid {
        self.key.kid()
    }

    /// Reads the identity in `dir`, if the kiosk has one.
    pub fn load(dir: &Path) -> Result<Option<Self>, IdentityError> {
        let id_path = dir.join(ID_FILE);
        let key_path = dir.join(KEY_FILE);
        match (id_path.exists(), key_path.exists()) {
            (false, false) => return Ok(None),
            (false, true) => return Err(IdentityError::Incomplete(key_path)),
            (true, false) => {
                return Err(IdentityError::Damaged {
                    path: key_path,
                    problem: "missing, though kiosk.json names this kiosk".to_owned(),
                });
            }
            (true, true) => {}
        }
        let (kiosk_id, port) = read_id_file(&id_path)?;
        let key = read_key(&key_path)?;
        Ok(Some(Self {
            kiosk_id,
            port,
            key,
        }))
    }

    /// Makes the identity if it is missing: a fresh key in `kiosk.key` (0600), its public half in
    /// `kiosk.pub` and the id file. An existing identity is kept and returned when it names the
    /// same kiosk and airport; another id or airport is a contradiction. Nothing is overwritten.
    pub fn create(dir: &Path, kiosk_id: &KioskId, port: Port) -> Result<Self, IdentityError> {
        let id_path = dir.join(ID_FILE);
        let key_path = dir.join(KEY_FILE);
        let pub_path = dir.join(PUB_FILE);
        if id_path.exists() {
            let (existing_id, existing_port) = read_id_file(&id_path)?;
            if &existing_id != kiosk_id || existing_port != port {
                return Err(IdentityError::Contradiction {
                    existing_id: existing_id.to_string(),
                    existing_port: existing_port.code(),
                    given: format!("{kiosk_id} at {}", port.code()),
                });
            }
        }
        fs::create_dir_all(dir).map_err(|source| IdentityError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let key = if key_path.exists() {
            read_key(&key_path)?
        } else {
            let key = IssuerKey::generate(&mut rand_core::OsRng);
            let pem = key.to_pkcs8_pem().map_err(|e| IdentityError::Damaged {
                path: key_path.clone(),
                problem: e.to_string(),
            })?;
            write_new(&key_path, pem.as_bytes(), 0o600)?;
            key
        };
        if !pub_path.exists() {
            let pem = key
                .public_key()
                .to_spki_pem()
                .map_err(|e| IdentityError::Damaged {
                    path: pub_path.clone(),
                    problem: e.to_string(),
                })?;
            write_new(&pub_path, pem.as_bytes(), 0o644)?;
        }
        if !id_path.exists() {
            let text = serde_json::to_string_pretty(&IdFile {
                kiosk_id: kiosk_id.to_string(),
                port: port.code().to_owned(),
            })
            .unwrap_or_default();
            write_new(&id_path, format!("{text}\n").as_bytes(), 0o644)?;
        }
        Ok(Self {
            kiosk_id: kiosk_id.clone(),
            port,
            key,
        })
    }

    /// The kiosk id and airport to work as: the identity's when there is one, where a given id or
    /// port must agree with it; otherwise what was given, or the port and `-01`.
    pub fn resolve(
        identity: Option<&Self>,
        kiosk_id: Option<&str>,
        port: Option<Port>,
    ) -> Result<(String, Option<Port>), IdentityError> {
        let Some(identity) = identity else {
            let id = kiosk_id
                .map(str::to_owned)
                .or_else(|| port.map(|p| format!("{}-01", p.code())));
            return Ok((id.unwrap_or_default(), port));
        };
        let contradiction = |given: String| IdentityError::Contradiction {
            existing_id: identity.kiosk_id.to_string(),
            existing_port: identity.port.code(),
            given,
        };
        if let Some(id) = kiosk_id.filter(|id| *id != identity.kiosk_id.as_str()) {
            return Err(contradiction(format!("--kiosk-id {id}")));
        }
        if let Some(port) = port.filter(|p| *p != identity.port) {
            return Err(contradiction(format!("--port {}", port.code())));
        }
        Ok((identity.kiosk_id.to_string(), Some(identity.port)))
    }
}

fn read_id_file(path: &Path) -> Result<(KioskId, Port), IdentityError> {
    let damaged = |problem: String| IdentityError::Damaged {
        path: path.to_owned(),
        problem,
    };
    let text = fs::read_to_string(path).map_err(|source| IdentityError::Io {
        path: path.to_owned(),
        source,
    })?;
    let file: IdFile = serde_json::from_str(&text).map_err(|e| damaged(e.to_string()))?;
    let kiosk_id = KioskId::parse(&file.kiosk_id).map_err(|e| damaged(e.to_string()))?;
    let port = match file.port.as_str() {
        "NQZ" => Port::Nqz,
        "ALA" => Port::Ala,
        other => return Err(damaged(format!("the port {other:?} is not NQZ or ALA"))),
    };
    Ok((kiosk_id, port))
}

fn read_key(path: &Path) -> Result<IssuerKey, IdentityError> {
    let pem = fs::read_to_string(path).map_err(|source| IdentityError::Io {
        path: path.to_owned(),
        source,
    })?;
    IssuerKey::from_pkcs8_pem(&pem).map_err(|e| IdentityError::Damaged {
        path: path.to_owned(),
        problem: e.to_string(),
    })
}

/// Creates a file that must not exist yet, with its permissions from the start, and syncs it.
fn write_new(path: &Path, contents: &[u8], mode: u32) -> Result<(), IdentityError> {
    let io = |source| IdentityError::Io {
        path: path.to_owned(),
        source,
    };
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path).map_err(io)?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> KioskId {
        KioskId::parse(text).expect("id")
    }

    #[test]
    fn an_identity_is_made_once_kept_private_and_never_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let made = Identity::create(dir.path(), &id("NQZ-01"), Port::Nqz).expect("made");
        let again = Identity::create(dir.path(), &id("NQZ-01"), Port::Nqz).expect("kept");
        assert_eq!(made.kid(), again.kid());
        let loaded = Identity::load(dir.path()).expect("reads").expect("exists");
        assert_eq!(
            (loaded.kiosk_id().as_str(), loaded.port(), loaded.kid()),
            ("NQZ-01", Port::Nqz, made.kid())
        );
        let public = fs::read_to_string(dir.path().join(PUB_FILE)).expect("pub");
        assert_eq!(
            PublicKey::from_spki_pem(&public).expect("pem").kid(),
            made.kid()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(KEY_FILE))
                .expect("key")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(!format!("{made:?}").contains("PRIVATE"));
    }

    #[test]
    fn another_id_or_port_contradicts_an_existing_identity() {
        let dir = tempfile::tempdir().expect("tempdir");
        let made = Identity::create(dir.path(), &id("NQZ-01"), Port::Nqz).expect("made");
        assert!(matches!(
            Identity::create(dir.path(), &id("ALA-01"), Port::Nqz),
            Err(IdentityError::Contradiction { .. })
        ));
        assert!(matches!(
            Identity::create(dir.path(), &id("NQZ-01"), Port::Ala),
            Err(IdentityError::Contradiction { .. })
        ));
        assert_eq!(
            Identity::resolve(Some(&made), None, None).expect("agrees"),
            ("NQZ-01".to_owned(), Some(Port::Nqz))
        );
        assert!(Identity::resolve(Some(&made), Some("NQZ-01"), Some(Port::Nqz)).is_ok());
        assert!(Identity::resolve(Some(&made), Some("NQZ-02"), None).is_err());
        assert!(Identity::resolve(Some(&made), None, Some(Port::Ala)).is_err());
        assert_eq!(
            Identity::resolve(None, None, Some(Port::Ala)).expect("no identity"),
            ("ALA-01".to_owned(), Some(Port::Ala))
        );
    }

    #[test]
    fn a_directory_without_an_identity_has_none_and_a_lone_key_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(Identity::load(dir.path()).expect("reads").is_none());
        fs::write(dir.path().join(KEY_FILE), "x").expect("write");
        assert!(matches!(
            Identity::load(dir.path()),
            Err(IdentityError::Incomplete(_))
        ));
    }
}
