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
    // Indexes for every look-up of the portal and the issuance (issue 15): an inviter's
    // invitations, a user's applications newest first (replacing the user-only index), and the
    // paid applications still waiting for their visa (a partial index: only those rows).
    "CREATE INDEX invitations_inviter ON invitations(inviter_id);
    DROP INDEX applications_user;
    CREATE INDEX applications_user_created ON applications(user_id, created_at);
    CREATE INDEX applications_paid ON applications(id) WHERE status = 'paid';",
];

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    /// The store's look-ups on the paths a user takes (session, pages, payment, issuance, PDF),
    /// as the store runs them; each must be answered through an index, not a scan of its table.
    const LOOKUPS: &[&str] = &[
        "SELECT s.csrf, u.id, u.email, u.full_name FROM sessions s LEFT JOIN users u
         ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.kind = ?2 AND s.expires_at > ?3",
        "SELECT id, password_hash FROM users WHERE email = ?1",
        "SELECT u.id, u.password_hash FROM users u JOIN inviters i ON i.user_id = u.id
         WHERE i.tax_id = ?1",
        "SELECT a.id, a.status, a.data, a.created_at, v.number FROM applications a
         JOIN invitations v ON v.id = a.invitation_id WHERE a.id = ?1 AND a.user_id = ?2",
        "SELECT a.id, a.status, a.data, a.created_at, v.number FROM applications a
         JOIN invitations v ON v.id = a.invitation_id WHERE a.user_id = ?1
         ORDER BY a.created_at DESC, a.rowid DESC",
        "SELECT id, user_id, status FROM applications WHERE invitation_id = ?1",
        "SELECT * FROM invitations v JOIN inviters i ON i.id = v.inviter_id WHERE v.number = ?1",
        "SELECT * FROM invitations v JOIN inviters i ON i.id = v.inviter_id
         WHERE v.inviter_id = ?1 ORDER BY v.id DESC",
        "SELECT * FROM inviters WHERE user_id = ?1",
        "SELECT * FROM payments WHERE application_id = ?1
         ORDER BY (status = 'paid') DESC, created_at DESC, rowid DESC LIMIT 1",
        "SELECT * FROM payments WHERE order_id = ?1",
        "SELECT EXISTS (SELECT 1 FROM visas WHERE application_id = ?1)",
        "SELECT EXISTS (SELECT 1 FROM payments WHERE application_id = ?1 AND status = 'paid')",
        "SELECT MAX(number) FROM visas",
        "SELECT number FROM visas WHERE application_id = ?1",
        "SELECT v.number, v.visa, v.token FROM visas v JOIN applications a
         ON a.id = v.application_id WHERE v.application_id = ?1 AND a.user_id = ?2",
        "SELECT pdf, sha256 FROM visa_pdfs WHERE visa_number = ?1",
        "SELECT r.reason FROM revocations r JOIN visas v ON v.number = r.visa_number
         WHERE v.application_id = ?1",
        "UPDATE applications SET status = 'issued', updated_at = ?1 WHERE id = ?2 AND status = 'paid'",
        "UPDATE payments SET status = 'paid' WHERE order_id = ?1 AND status IN ('created', 'pending')",
        "SELECT a.id FROM applications a WHERE a.status = 'paid'
         AND NOT EXISTS (SELECT 1 FROM visas v WHERE v.application_id = a.id)",
        "DELETE FROM sessions WHERE expires_at <= ?1",
    ];

    #[test]
    fn every_lookup_on_a_users_path_is_answered_by_an_index() {
        let mut conn = Connection::open_in_memory().expect("db");
        super::super::migrate(&mut conn).expect("schema");
        for sql in LOOKUPS {
            let mut plan = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .expect(sql);
            let nulls = vec![rusqlite::types::Null; plan.parameter_count()];
            let steps: Vec<String> = plan
                .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))
                .expect(sql)
                .collect::<rusqlite::Result<_>>()
                .expect(sql);
            // "SCAN t" reads the whole table; "SEARCH t USING … INDEX" and a covering index
            // scan of a partial index ("SCAN a USING COVERING INDEX applications_paid") do not.
            let scans: Vec<&String> = steps
                .iter()
                .filter(|s| {
                    s.starts_with("SCAN") && !s.contains("INDEX") && *s != "SCAN CONSTANT ROW"
                })
                .collect();
            assert!(scans.is_empty(), "{sql}\n{steps:#?}");
            // Sorting is fine for the few payments of one application, not for the list of a
            // user's applications, which the index gives in order.
            if sql.contains("WHERE a.user_id = ?1") {
                assert!(
                    !steps.iter().any(|s| s.contains("TEMP B-TREE")),
                    "{sql} sorts its rows: {steps:#?}"
                );
            }
        }
    }
}
