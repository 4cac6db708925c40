//! Officers' accounts from the operator's `issuer officer add` to log-out: the one-time set-up
//! link, the enrolment of the second factor, the log-in with password and code, the lock after
//! too many wrong codes and the supervisor's reset. Each change and its audit entry are written
//! in one transaction, so neither is stored without the other.

use crate::store::{Connection, TransactionBehavior};
use anyhow::{Result, anyhow};

use crate::clock::Clock;
use crate::domain::account::Email;
use crate::domain::audit::{Action, Actor, Entry};
use crate::domain::office::{Officer, Role};
use crate::domain::officer::{LoginForm, MAX_CODE_FAILURES, SETUP_HOURS, Setup};
use crate::domain::totp::{CodeRefusal, Secret};
use crate::ids::{hash_token, new_token, totp_secret};
use crate::service::account::{Credentials, DUMMY_HASH};
use crate::service::hasher::{HashError, Hasher};
use crate::service::throttle::{self, Client, Subject, Throttled};
use crate::store::{self, Db};

/// The set-up page of an officer: who, and the secret to enrol.
#[derive(Debug, Clone)]
pub struct SetupPage {
    /// The officer's e-mail address.
    pub email: String,
    /// The second factor's secret the page shows (as a QR code and in base32).
    pub secret: Secret,
}

/// What submitting the set-up form did.
#[derive(Debug)]
pub enum SetupOutcome {
    /// The password and the factor are set; the link no longer works.
    Done,
    /// The code does not fit the secret at this time; the page is shown again.
    WrongCode(SetupPage),
    /// The link is unknown, used or expired.
    Gone,
    /// Every hashing thread is busy: nothing was stored; the officer may submit again.
    Busy,
}

/// What a log-in attempt did.
#[derive(Debug)]
pub enum LoginOutcome {
    /// All three fitted: a new session.
    LoggedIn {
        /// The session token for the cookie.
        token: String,
        /// Who logged in.
        officer: Officer,
    },
    /// Something did not fit; the answer does not say what.
    Refused,
    /// The password was right but the second factor is locked after too many wrong codes.
    Locked,
    /// Too many failed attempts on this e-mail or from this address: try again later.
    Throttled(Throttled),
    /// Every hashing thread is busy: try again in a second (nothing was checked).
    Busy,
}

/// `issuer officer add`: creates an officer waiting for set-up and returns the set-up token, or
/// `None` when the e-mail address is taken.
pub fn add(db: &Db, clock: &Clock, email: &Email, role: Role) -> Result<Option<String>> {
    let token = new_token();
    let hash = hash_token(&token);
    let expires = clock.unix() + SETUP_HOURS * 3600;
    let now = clock.rfc3339();
    db.with(|conn| {
        in_transaction(conn, |conn| {
            let id =
                store::office::insert_officer(conn, email.as_str(), role, &hash, expires, &now)?;
            if id.is_none() {
                return Ok(None);
            }
            let entry = Entry::new(
                now.clone(),
                &Actor::Operator,
                Action::OfficerAdded,
                record(email.as_str()),
            )
            .change(None, Some(role.as_str().to_owned()));
            store::audit::append(conn, &entry)?;
            Ok(Some(token.clone()))
        })
    })
}

/// `issuer officer disable`: no more log-ins, sessions ended. Returns the officer's role, or
/// `None` when there is no such active officer.
pub fn disable(db: &Db, clock: &Clock, email: &Email) -> Result<Option<Role>> {
    let now = clock.rfc3339();
    db.with(|conn| {
        in_transaction(conn, |conn| {
            let role = store::office::disable(conn, email.as_str(), &now)?;
            if role.is_some() {
                let entry = Entry::new(
                    now.clone(),
                    &Actor::Operator,
                    Action::OfficerDisabled,
                    record(email.as_str()),
                )
                .change(Some("active".into()), Some("disabled".into()));
                store::audit::append(conn, &entry)?;
            }
            Ok(role)
        })
    })
}

/// Opens a set-up link: the officer and the secret to enrol (made on the first visit and kept
/// until the set-up is finished), or `None` when the link is unknown, used or expired.
pub async fn open_setup(db: &Db, clock: &Clock, token: &str) -> Result<Option<SetupPage>> {
    let hash = hash_token(token);
    let now = clock.unix();
    db.call(move |conn| {
        let Some(row) = store::office::find_setup(conn, &hash, now)? else {
            return Ok(None);
        };
        let bytes = match row.pending_secret {
            Some(bytes) => bytes,
            None => {
                let fresh = totp_secret();
                if store::office::set_pending_secret(conn, row.id, &hash, &fresh)? {
                    fresh.to_vec()
                } else {
                    // Another visit stored its secret first: show that one, never an unsaved one.
                    store::office::find_setup(conn, &hash, now)?
                        .and_then(|row| row.pending_secret)
                        .ok_or_else(|| anyhow!("the set-up changed while it was opened"))?
                }
            }
        };
        let secret = Secret::from_bytes(&bytes)
            .ok_or_else(|| anyhow!("a stored secret of the wrong size"))?;
        Ok(Some(SetupPage {
            email: row.email,
            secret,
        }))
    })
    .await
}

/// Finishes a set-up when the code fits the secret the page showed: the password is hashed, the
/// code's step is remembered (it cannot log in again), the link stops working.
pub async fn complete_setup(
    db: &Db,
    hasher: &Hasher,
    clock: &Clock,
    token: &str,
    setup: Setup,
    address: Option<String>,
) -> Result<SetupOutcome> {
    let Some(page) = open_setup(db, clock, token).await? else {
        return Ok(SetupOutcome::Gone);
    };
    let step = match page.secret.check(setup.code, clock.unix(), None) {
        Ok(step) => step,
        Err(_) => return Ok(SetupOutcome::WrongCode(page)),
    };
    let password_hash = match hasher.hash(setup.password.expose()).await {
        Ok(hash) => hash,
        Err(HashError::Busy) => return Ok(SetupOutcome::Busy),
        Err(HashError::Failed(cause)) => return Err(anyhow!("hashing failed: {cause}")),
    };
    let hash = hash_token(token);
    let now = clock.rfc3339();
    let unix = clock.unix();
    let email = page.email;
    db.call(move |conn| {
        in_transaction(conn, |conn| {
            let Some(row) = store::office::find_setup(conn, &hash, unix)? else {
                return Ok(SetupOutcome::Gone);
            };
            if !store::office::complete_setup(conn, row.id, &hash, &password_hash, step)? {
                return Ok(SetupOutcome::Gone);
            }
            let entry = Entry::new(
                now.clone(),
                &Actor::Officer(email.clone()),
                Action::OfficerEnrolled,
                record(&email),
            )
            .change(Some("awaiting_setup".into()), Some("active".into()))
            .from_address(address.clone());
            store::audit::append(conn, &entry)?;
            Ok(SetupOutcome::Done)
        })
    })
    .await
}

/// Checks a log-in: e-mail, password and current code. The password is checked (against a dummy
/// hash for an unknown e-mail, at the same cost) before the code, and a wrong code counts
/// against the factor only after a right password, so nobody can lock an officer out by
/// guessing. Every attempt is in the audit log with the address.
pub async fn log_in(
    credentials: Credentials<'_>,
    clock: &Clock,
    form: LoginForm,
    client: &Client,
    session_seconds: i64,
) -> Result<LoginOutcome> {
    let db = credentials.db;
    let address = client.address.map(|ip| ip.to_string());
    let typed: String = form.email.trim().to_lowercase().chars().take(254).collect();
    let email = form.email().map(|e| e.as_str().to_owned());
    let lookup = email.clone();
    let row = match lookup {
        Some(email) => {
            db.call(move |conn| store::office::find_login(conn, &email))
                .await?
        }
        None => None,
    };
    // The same throttle as the portal's log-in, under the officer's own action: a growing delay
    // per e-mail address (never a lock a stranger can set) and a rate of failures per address.
    // The attempt counts as failed unless it ends in a session.
    let subject = Subject::email(&typed);
    let attempt =
        match credentials
            .throttle
            .begin(throttle::Action::OfficerLogIn, Some(&subject), client)
        {
            Ok(attempt) => attempt,
            Err(throttled) => return Ok(LoginOutcome::Throttled(throttled)),
        };
    let hash = row.as_ref().map(|r| r.password_hash.as_str());
    let password_ok = match credentials
        .hasher
        .verify(&form.password, hash.unwrap_or(DUMMY_HASH))
        .await
    {
        Ok(right) => right && hash.is_some(),
        Err(HashError::Busy) => {
            // Not the client's failure: nothing was checked.
            attempt.succeeded();
            return Ok(LoginOutcome::Busy);
        }
        Err(HashError::Failed(cause)) => return Err(anyhow!("the password check failed: {cause}")),
    };
    let now = clock.rfc3339();
    let unix = clock.unix();
    let failed = |why: &str| {
        Entry::new(
            now.clone(),
            &Actor::Anonymous(typed.clone()),
            Action::LoginFailed,
            record(&typed),
        )
        .change(None, Some(why.to_owned()))
        .from_address(address.clone())
    };
    let row = match row {
        Some(row) if password_ok => row,
        other => {
            let why = if other.is_some() {
                "wrong password"
            } else {
                "unknown officer"
            };
            let entry = failed(why);
            db.call(move |conn| store::audit::append(conn, &entry))
                .await?;
            return Ok(LoginOutcome::Refused);
        }
    };
    if row.failures >= MAX_CODE_FAILURES {
        let entry = failed("second factor locked");
        db.call(move |conn| store::audit::append(conn, &entry))
            .await?;
        return Ok(LoginOutcome::Locked);
    }
    let secret = Secret::from_bytes(&row.secret)
        .ok_or_else(|| anyhow!("a stored secret of the wrong size"))?;
    let checked = match crate::domain::totp::Code::parse(&form.code) {
        Some(code) => secret.check(code, unix, row.last_step),
        None => Err(CodeRefusal::Wrong),
    };
    let officer = row.officer.clone();
    match checked {
        Ok(step) => {
            let token = new_token();
            let session_hash = hash_token(&token);
            let csrf = new_token();
            let success = Entry::new(
                now.clone(),
                &Actor::Officer(officer.email.clone()),
                Action::LoginSucceeded,
                record(&officer.email),
            )
            .from_address(address.clone());
            let replayed = failed("replayed code");
            let id = officer.id;
            let accepted = db
                .call(move |conn| {
                    in_transaction(conn, |conn| {
                        if !store::office::accept_code(conn, id, step, MAX_CODE_FAILURES)? {
                            store::office::count_code_failure(conn, id)?;
                            store::audit::append(conn, &replayed)?;
                            return Ok(false);
                        }
                        store::office::insert_session(
                            conn,
                            &session_hash,
                            id,
                            &csrf,
                            unix + session_seconds,
                        )?;
                        store::audit::append(conn, &success)?;
                        Ok(true)
                    })
                })
                .await?;
            Ok(if accepted {
                attempt.succeeded();
                credentials
                    .throttle
                    .forget(throttle::Action::OfficerLogIn, &subject);
                LoginOutcome::LoggedIn { token, officer }
            } else {
                LoginOutcome::Refused
            })
        }
        Err(refusal) => {
            let entry = failed(match refusal {
                CodeRefusal::Wrong => "wrong code",
                CodeRefusal::Replayed => "replayed code",
            });
            let locked = Entry::new(
                now.clone(),
                &Actor::Anonymous(typed.clone()),
                Action::FactorLocked,
                record(&officer.email),
            )
            .change(Some("active".into()), Some("locked".into()))
            .from_address(address.clone());
            let id = officer.id;
            let failures = db
                .call(move |conn| {
                    in_transaction(conn, |conn| {
                        let failures = store::office::count_code_failure(conn, id)?;
                        store::audit::append(conn, &entry)?;
                        if failures == MAX_CODE_FAILURES {
                            store::audit::append(conn, &locked)?;
                        }
                        Ok(failures)
                    })
                })
                .await?;
            Ok(if failures >= MAX_CODE_FAILURES {
                LoginOutcome::Locked
            } else {
                LoginOutcome::Refused
            })
        }
    }
}

/// Ends a back-office session, in the audit log.
pub async fn log_out(
    db: &Db,
    clock: &Clock,
    officer: &Officer,
    token_hash: Vec<u8>,
    address: Option<String>,
) -> Result<()> {
    let entry = Entry::new(
        clock.rfc3339(),
        &Actor::Officer(officer.email.clone()),
        Action::LoggedOut,
        record(&officer.email),
    )
    .from_address(address.clone());
    db.call(move |conn| {
        in_transaction(conn, |conn| {
            store::office::delete_session(conn, &token_hash)?;
            store::audit::append(conn, &entry)?;
            Ok(())
        })
    })
    .await
}

/// A supervisor resets an officer's second factor: the old factor is gone, the officer's
/// sessions end, and a new set-up link (returned, with the officer's e-mail) re-enrols it.
/// `None` for an unknown or disabled officer.
pub async fn reset_factor(
    db: &Db,
    clock: &Clock,
    by: &Officer,
    officer_id: i64,
    address: Option<String>,
) -> Result<Option<(String, String)>> {
    let token = new_token();
    let hash = hash_token(&token);
    let expires = clock.unix() + SETUP_HOURS * 3600;
    let now = clock.rfc3339();
    let actor = Actor::Officer(by.email.clone());
    db.call(move |conn| {
        in_transaction(conn, |conn| {
            let before = store::office::list(conn)?
                .into_iter()
                .find(|o| o.id == officer_id)
                .map(|o| o.state.as_str().to_owned());
            let Some(email) = store::office::reset_factor(conn, officer_id, &hash, expires)? else {
                return Ok(None);
            };
            let entry = Entry::new(now.clone(), &actor, Action::OfficerReset, record(&email))
                .change(before, Some("awaiting_setup".into()))
                .from_address(address.clone());
            store::audit::append(conn, &entry)?;
            Ok(Some((email, token.clone())))
        })
    })
    .await
}

/// The auditor's CSV export: the export itself is appended to the log first, then the whole log
/// is read in order, in one transaction.
pub async fn export_audit(
    db: &Db,
    clock: &Clock,
    by: &Officer,
    address: Option<String>,
) -> Result<Vec<store::audit::Stored>> {
    let entry = Entry::new(
        clock.rfc3339(),
        &Actor::Officer(by.email.clone()),
        Action::AuditExported,
        "audit_log",
    )
    .from_address(address.clone());
    db.call(move |conn| {
        in_transaction(conn, |conn| {
            store::audit::append(conn, &entry)?;
            let mut all = store::audit::page(conn, None, u32::MAX)?;
            all.reverse();
            Ok(all)
        })
    })
    .await
}

/// The audit log's record name of an officer.
fn record(email: &str) -> String {
    format!("officer:{email}")
}

/// Runs `f` in one immediate transaction, committed when it returns `Ok`.
fn in_transaction<T>(conn: &mut Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}
