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
    // 6: the back office: officers, their sessions, and the append-only, hash-chained audit log.
    "CREATE TABLE officers (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('officer', 'supervisor', 'auditor')),
        password_hash TEXT,
        totp_secret BLOB,
        totp_failures INTEGER NOT NULL DEFAULT 0,
        totp_last_step INTEGER,
        setup_token_hash BLOB UNIQUE,
        setup_expires_at INTEGER,
        disabled_at TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE office_sessions (
        token_hash BLOB PRIMARY KEY,
        officer_id INTEGER NOT NULL REFERENCES officers(id) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE INDEX office_sessions_expiry ON office_sessions(expires_at);
    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY CHECK (seq > 0),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        record TEXT NOT NULL,
        before TEXT,
        after TEXT,
        address TEXT,
        hash BLOB NOT NULL CHECK (length(hash) = 32)
    );
    CREATE INDEX audit_log_record ON audit_log(record);
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    // 7 (inviters): an inviting party is pending until an officer verifies it (its name as verified
    // is kept apart and is what a visa prints), or rejects or suspends it with a reason.
    "ALTER TABLE inviters ADD COLUMN state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'verified', 'rejected', 'suspended'));
    ALTER TABLE inviters ADD COLUMN verified_name TEXT;
    ALTER TABLE inviters ADD COLUMN decision_reason TEXT;
    ALTER TABLE inviters ADD COLUMN decided_by TEXT;
    ALTER TABLE inviters ADD COLUMN decided_at TEXT;
    CREATE INDEX inviters_state ON inviters(state);",
    // 8 (screening): the stop-list, the paid applications it holds for an officer, and the two new
    // application states, `under_review` and `refused` (the CHECK changes, so the table is rebuilt;
    // `migrate` runs this with foreign keys off and checks every reference before committing).
    "CREATE TABLE applications_next (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        invitation_id INTEGER NOT NULL UNIQUE REFERENCES invitations(id),
        status TEXT NOT NULL CHECK (status IN
            ('draft', 'submitted', 'paid', 'under_review', 'refused', 'issued')),
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    INSERT INTO applications_next (id, user_id, invitation_id, status, data, created_at, updated_at)
        SELECT id, user_id, invitation_id, status, data, created_at, updated_at FROM applications;
    DROP TABLE applications;
    ALTER TABLE applications_next RENAME TO applications;
    CREATE INDEX applications_user ON applications(user_id);
    CREATE TABLE stop_list (
        id INTEGER PRIMARY KEY,
        passport_number TEXT,
        citizenship TEXT,
        surname TEXT,
        born TEXT,
        note TEXT NOT NULL,
        added_by TEXT NOT NULL,
        added_at TEXT NOT NULL,
        removed_by TEXT,
        removed_at TEXT,
        CHECK ((passport_number IS NOT NULL AND citizenship IS NOT NULL
                AND surname IS NULL AND born IS NULL)
            OR (passport_number IS NULL AND citizenship IS NULL
                AND surname IS NOT NULL AND born IS NOT NULL))
    );
    CREATE TABLE screenings (
        application_id TEXT PRIMARY KEY REFERENCES applications(id),
        entry_id INTEGER NOT NULL REFERENCES stop_list(id),
        held_at TEXT NOT NULL,
        decision TEXT CHECK (decision IN ('approved', 'refused')),
        reason TEXT,
        decided_by TEXT,
        decided_at TEXT
    );
    CREATE INDEX screenings_open ON screenings(decision);",
    // The back office's statistics: every entry and exit of an imported kiosk ledger (port,
    // direction, time, visa, overstay), the visa's citizenship as a column (copied from its JSON
    // by a trigger, so every way of issuing fills it), and covering indexes so per-day counts
    // read a range of an index instead of every row (benches/statistics.rs, docs/performance.md).
    "CREATE TABLE crossings (
        kiosk_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        port TEXT NOT NULL CHECK (port IN ('NQZ', 'ALA')),
        direction TEXT NOT NULL CHECK (direction IN ('entry', 'exit')),
        visa_number TEXT,
        overstay INTEGER NOT NULL CHECK (overstay IN (0, 1)),
        PRIMARY KEY (kiosk_id, seq),
        FOREIGN KEY (kiosk_id, seq) REFERENCES kiosk_records(kiosk_id, seq)
    );
    CREATE INDEX crossings_at ON crossings(at, port, direction, overstay);
    CREATE INDEX applications_created ON applications(created_at);
    CREATE INDEX applications_status_updated ON applications(status, updated_at);
    CREATE INDEX payments_paid ON payments(status, updated_at, application_id);
    ALTER TABLE visas ADD COLUMN citizenship TEXT;
    UPDATE visas SET citizenship = json_extract(visa, '$.citizenship');
    CREATE TRIGGER visas_citizenship AFTER INSERT ON visas BEGIN
        UPDATE visas SET citizenship = json_extract(NEW.visa, '$.citizenship')
        WHERE number = NEW.number;
    END;
    CREATE INDEX visas_signed ON visas(signed_at, citizenship);
    CREATE INDEX revocations_revoked ON revocations(revoked_at);",
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
    // Indexes for every look-up of the portal and the issuance (issue 15): an inviter's
    // invitations, a user's applications newest first (replacing the user-only index), and the
    // paid applications still waiting for their visa (a partial index: only those rows).
    "CREATE INDEX invitations_inviter ON invitations(inviter_id);
    DROP INDEX applications_user;
    CREATE INDEX applications_user_created ON applications(user_id, created_at);
    CREATE INDEX applications_paid ON applications(id) WHERE status = 'paid';",
    // Group applications (issue 14, store/group.rs): one account's applications for persons
    // travelling together, tied under one confirmation and one payment of the duty × persons.
    // Each person stays an application of its own (its invitation, its visa, exactly once); a
    // group's payment names its first person's application and the group.
    "CREATE TABLE application_groups (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL
    );
    CREATE INDEX application_groups_user ON application_groups(user_id, created_at);
    CREATE TABLE group_members (
        application_id TEXT PRIMARY KEY REFERENCES applications(id),
        group_id TEXT NOT NULL REFERENCES application_groups(id),
        position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 10),
        UNIQUE (group_id, position)
    );
    ALTER TABLE payments ADD COLUMN group_id TEXT REFERENCES application_groups(id);
    CREATE INDEX payments_group ON payments(group_id);",
    // Trust data that stays small (issue 16): the next bundle lists only the revocations and
    // uses of visas valid until a day or later, found through this index of the visas' last day
    // (with the number, so the scan needs no table look-up), not by reading every visa.
    "CREATE INDEX visas_valid_until ON visas(json_extract(visa, '$.valid_until'), number);",
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
        "SELECT m.application_id FROM group_members m WHERE m.group_id = ?1 ORDER BY m.position",
        "SELECT group_id FROM group_members WHERE application_id = ?1",
        "SELECT * FROM payments WHERE group_id = ?1 AND status = 'paid'",
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
