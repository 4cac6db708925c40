//! The schema of the issuer's database, as the list of migrations that build it.
//! `PRAGMA user_version` counts how many have run; [`super::migrate`] runs the rest and refuses a
//! database made by newer code.

/// The migrations, in order; `user_version` is how many have run.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: accounts, sessions, inviting parties, invitations, applications.
    "CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        full_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash BLOB PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('web', 'api')),
        user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE INDEX sessions_expiry ON sessions(expires_at);
    CREATE TABLE inviters (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('organisation', 'individual')),
        tax_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        user_id INTEGER UNIQUE REFERENCES users(id),
        created_at TEXT NOT NULL
    );
    CREATE TABLE invitations (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        inviter_id INTEGER NOT NULL REFERENCES inviters(id),
        surname TEXT NOT NULL,
        given_names TEXT,
        passport_number TEXT NOT NULL,
        citizenship TEXT NOT NULL,
        date_of_birth TEXT NOT NULL,
        category TEXT NOT NULL,
        purpose TEXT NOT NULL,
        city TEXT NOT NULL,
        street TEXT NOT NULL,
        house TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        stay_days INTEGER NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE applications (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        invitation_id INTEGER NOT NULL UNIQUE REFERENCES invitations(id),
        status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'paid', 'issued')),
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX applications_user ON applications(user_id);",
    // 2: payments of the state duty, issued visas, the log of every signature, payment events.
    "CREATE TABLE payments (
        order_id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL REFERENCES applications(id),
        amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
        currency TEXT NOT NULL,
        gateway_payment_id TEXT UNIQUE,
        pay_url TEXT,
        status TEXT NOT NULL CHECK (status IN ('created', 'pending', 'paid', 'declined')),
        method TEXT,
        receipt_number TEXT,
        payer_hint TEXT,
        paid_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX payments_application ON payments(application_id);
    CREATE TABLE visas (
        number TEXT PRIMARY KEY,
        application_id TEXT NOT NULL UNIQUE REFERENCES applications(id),
        visa TEXT NOT NULL,
        token TEXT NOT NULL,
        kid TEXT NOT NULL,
        signed_at TEXT NOT NULL
    );
    CREATE TABLE signatures (
        id INTEGER PRIMARY KEY,
        visa_number TEXT NOT NULL,
        application_id TEXT NOT NULL,
        kid TEXT NOT NULL,
        signed_at TEXT NOT NULL
    );
    CREATE TABLE payment_events (
        id INTEGER PRIMARY KEY,
        order_id TEXT NOT NULL,
        source TEXT NOT NULL,
        outcome TEXT NOT NULL,
        detail TEXT NOT NULL,
        at TEXT NOT NULL
    );",
    // 3: offline trust: revoked visas and keys, entries reported by kiosks, exported bundles.
    "CREATE TABLE revocations (
        visa_number TEXT PRIMARY KEY REFERENCES visas(number),
        reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
        revoked_at TEXT NOT NULL
    );
    CREATE TABLE revoked_keys (
        kid TEXT PRIMARY KEY CHECK (length(kid) = 16),
        reason TEXT NOT NULL,
        revoked_at TEXT NOT NULL
    );
    CREATE TABLE used_entries (
        visa_number TEXT NOT NULL REFERENCES visas(number),
        at TEXT NOT NULL,
        port TEXT NOT NULL CHECK (port IN ('NQZ', 'ALA')),
        kiosk_id TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (visa_number, kiosk_id, at)
    );
    CREATE TABLE bundle_exports (
        sequence INTEGER PRIMARY KEY CHECK (sequence > 0),
        created_at TEXT NOT NULL,
        sha256 TEXT NOT NULL
    );",
    // 4: registered kiosks and what is known of their ledger chains (store/kiosk.rs).
    "CREATE TABLE kiosks (
        id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
        port TEXT NOT NULL CHECK (port IN ('NQZ', 'ALA')),
        public_key TEXT NOT NULL UNIQUE CHECK (length(public_key) = 64),
        kid TEXT NOT NULL UNIQUE CHECK (length(kid) = 16),
        registered_at TEXT NOT NULL,
        revoked_at TEXT,
        revoke_reason TEXT
    );
    CREATE TABLE kiosk_records (
        kiosk_id TEXT NOT NULL REFERENCES kiosks(id),
        seq INTEGER NOT NULL CHECK (seq > 0),
        hash TEXT NOT NULL,
        at TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (kiosk_id, seq)
    );",
    // 5: each visa's printout, rendered once and served from here (with its SHA-256 as ETag).
    "CREATE TABLE visa_pdfs (
        visa_number TEXT PRIMARY KEY REFERENCES visas(number),
        pdf BLOB NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        rendered_at TEXT NOT NULL
    );",
    // Mail (store/outbox.rs, store/token.rs): each account's language and whether its address
    // is confirmed; single-use e-mailed tokens (kept as hashes); the outbox, written in the same
    // transaction as the event a mail tells of and emptied by the mailer.
    "ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('kk', 'ru', 'en'));
    ALTER TABLE users ADD COLUMN email_verified_at INTEGER;
    CREATE TABLE account_tokens (
        token_hash BLOB PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
    );
    CREATE INDEX account_tokens_user ON account_tokens(user_id, purpose);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        recipient TEXT NOT NULL,
        lang TEXT NOT NULL CHECK (lang IN ('kk', 'ru', 'en')),
        kind TEXT NOT NULL,
        letter TEXT,
        created_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        sent_at INTEGER,
        failed_at INTEGER,
        last_error TEXT
    );
    CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
    CREATE INDEX outbox_user ON outbox(user_id, kind, created_at);",
];
