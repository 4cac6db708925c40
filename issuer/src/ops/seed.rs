//! `issuer seed`: fills a database with issued visas for benchmarks at scale (issue 15: figures
//! at a million visas). Each seeded visa is a real one: an account, its own invitation (the demo
//! invitation's data under a `SEED-…` number), a paid application and payment, and a visa signed
//! with the given key under the next visa number, all written in ONE transaction with cached
//! statements. Not for a production database: the accounts share one password.
//!
//! For the trust bundle's benchmark (issue 16) it also makes history: `--expired N` of the visas
//! were issued [`EXPIRED_AGO`] earlier (their validity is long over), and `--entered` records each
//! visa's entry as a kiosk ledger import would (`used_entries`), so the bundle has years of
//! revocations and uses to leave out.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};

use crate::clock::{Clock, rfc3339};
use crate::domain::account::Password;
use crate::domain::application::{Application, ApplicationStatus};
use crate::domain::fees::Fees;
use crate::domain::issuance::{visa_for, visa_serial};
use crate::service::demo;
use crate::store::visa::NewVisa;
use crate::store::{self, Db};

/// Options of `issuer seed`.
#[derive(Debug, Clone, clap::Args)]
pub struct SeedArgs {
    /// Directory of the issuer's database (created if needed).
    #[arg(long, env = "ISSUER_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// PostgreSQL instead of SQLite: `postgres://user@host:port/db` (several instances share
    /// it). Without it, the SQLite file in the data directory.
    #[arg(long, env = "ISSUER_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// How many issued visas to add.
    #[arg(long)]
    pub visas: u64,
    /// The private key (PKCS#8 PEM) that signs the seeded visas.
    #[arg(long, default_value = "keys/dev-issuer.key")]
    pub key: PathBuf,
    /// How many of these visas were issued 400 days ago, so their validity is over (the first
    /// ones seeded).
    #[arg(long, default_value_t = 0)]
    pub expired: u64,
    /// Record an entry at Astana (kiosk NQZ-01) on every seeded visa, as an imported kiosk
    /// ledger would, a day after its validity began.
    #[arg(long)]
    pub entered: bool,
}

/// How long before the seeding an expired seeded visa was issued.
pub const EXPIRED_AGO: time::Duration = time::Duration::days(400);

/// The e-mail of the seeded account that holds the visa with this serial.
pub fn seed_email(serial: u64) -> String {
    format!("seed{serial}@seed.example")
}

/// Adds `args.visas` issued visas; prints what it did and how fast.
pub fn seed(args: &SeedArgs) -> Result<ExitCode> {
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("creating {}", args.data_dir.display()))?;
    let db = Db::open_configured(args.database_url.as_deref(), &args.data_dir)?;
    let clock = Clock::system();
    demo::seed(&db, &clock)?;
    let key = crate::keys::keyfile::load_private(&args.key)?;
    // One password for every seeded account, from the environment (for the load script), or a
    // random one nobody knows; hashed once.
    let password = match std::env::var("ISSUER_SEED_PASSWORD") {
        Ok(text) => text,
        Err(_) => crate::ids::new_token(),
    };
    let password =
        Password::parse(&password).map_err(|p| anyhow!("ISSUER_SEED_PASSWORD: {}", p.code()))?;
    let hash = crate::service::account::hash_password(&password)?;
    let started = crate::clock::Stopwatch::start();
    let (first, last) = db.with(|conn| {
        store::seed::bulk_mode(conn, true)?;
        let result = insert_all(conn, args, &key, &hash, &clock);
        store::seed::bulk_mode(conn, false)?;
        result
    })?;
    let seconds = started.seconds();
    let rate = args.visas as f64 / seconds.max(1e-9);
    println!(
        "seeded {} issued visas ({first} … {last}; {} expired{}) in {seconds:.1} s \
         ({rate:.0} visas/s); accounts {} … {}",
        args.visas,
        args.expired.min(args.visas),
        if args.entered {
            ", each entered once"
        } else {
            ""
        },
        seed_email(visa_serial(&first).unwrap_or(0)),
        seed_email(visa_serial(&last).unwrap_or(0)),
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the visas in one transaction; gives the first and last visa numbers.
fn insert_all(
    conn: &mut crate::store::Connection<'_>,
    args: &SeedArgs,
    key: &shared::IssuerKey,
    hash: &str,
    clock: &Clock,
) -> Result<(String, String)> {
    let count = args.visas;
    let now = clock.now();
    let (at, today) = (rfc3339(now), clock.today());
    let tx = conn.transaction_with_behavior(crate::store::TransactionBehavior::Immediate)?;
    let template = store::invitation::invitation_by_number(&tx, demo::DEMO_INVITATION)?
        .context("the demo invitation")?;
    let guest = demo::invitation_form(today)
        .parse(today)
        .map_err(|p| anyhow!("the demo invitation: {p:?}"))?;
    // The same invitation and visa, issued EXPIRED_AGO earlier, for the expired ones.
    let then = now - EXPIRED_AGO;
    let then_day = shared::kazakhstan_date(then);
    let old_guest = demo::invitation_form(then_day)
        .parse(then_day)
        .map_err(|p| anyhow!("the demo invitation, earlier: {p:?}"))?;
    let (valid_from, valid_until) = (template.valid_from, template.valid_until);
    let applicant = demo::applicant_form(demo::DEMO_INVITATION, today)
        .parse(today)
        .map_err(|p| anyhow!("the seeded applicant: {p:?}"))?;
    let mut app = Application {
        id: String::new(),
        status: ApplicationStatus::Paid,
        applicant,
        invitation: template,
        created_at: at.clone(),
    };
    let fee = Fees::parse("")?.minor(app.applicant.category);
    let mut first = None;
    let mut last = String::new();
    for index in 0..count {
        // Each number from the store, as issuance takes it (on PostgreSQL the sequence moves on).
        let number = store::visa::next_number(&tx)?;
        let serial = visa_serial(&number).context("the next visa number")?;
        let expired = index < args.expired;
        let (issued, guest) = if expired {
            (then, &old_guest)
        } else {
            (now, &guest)
        };
        let shift = if expired {
            EXPIRED_AGO
        } else {
            time::Duration::ZERO
        };
        app.invitation.valid_from = valid_from - shift;
        app.invitation.valid_until = valid_until - shift;
        let user =
            store::account::insert_user(&tx, &seed_email(serial), "Seed Applicant", hash, &at)?
                .with_context(|| format!("{} exists already", seed_email(serial)))?;
        let invitation = shared::visa::InvitationNumber::parse(&format!("SEED-{serial:010}"))
            .map_err(|e| anyhow!("a seeded invitation number: {e}"))?;
        if !store::invitation::insert_invitation(
            &tx,
            app.invitation.inviter.id,
            &invitation,
            guest,
            &at,
        )? {
            return Err(anyhow!("invitation {} exists already", invitation.as_str()));
        }
        let invitation_id: i64 = tx.query_row(
            "SELECT id FROM invitations WHERE number = ?1",
            [invitation.as_str()],
            |r| r.get(0),
        )?;
        app.applicant.invitation_number = invitation.clone();
        app.invitation.number = invitation;
        app.invitation.id = invitation_id;
        app.id = crate::ids::random_id();
        let data = serde_json::to_string(&app.applicant.to_form())?;
        store::seed::insert_paid_application(&tx, &app.id, user, invitation_id, &data, &at)?;
        let order = crate::ids::random_id();
        store::seed::insert_paid_payment(
            &tx,
            &order,
            &app.id,
            fee,
            Fees::CURRENCY,
            &format!("SEED-{serial}"),
            &at,
        )?;
        let visa = visa_for(&app, &number, issued).map_err(|e| anyhow!("visa {number}: {e}"))?;
        let token = shared::sign(&visa, key);
        store::visa::insert(
            &tx,
            &NewVisa {
                number: &number,
                application_id: &app.id,
                visa: &visa,
                token: &token,
                kid: &key.kid().to_string(),
                signed_at: &rfc3339(issued),
            },
        )?;
        if args.entered {
            let entered = visa.valid_from().with_time(time::Time::from_hms(9, 0, 0)?);
            let entered = entered.assume_offset(shared::visa::KAZAKHSTAN_OFFSET);
            store::seed::insert_used_entry(&tx, &number, &rfc3339(entered), "NQZ", "NQZ-01", &at)?;
        }
        if serial % 100_000 == 0 {
            eprintln!("… {number}");
        }
        first.get_or_insert_with(|| number.clone());
        last = number;
    }
    tx.commit()?;
    Ok((first.unwrap_or_default(), last))
}
