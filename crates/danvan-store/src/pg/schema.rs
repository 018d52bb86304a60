//! The database schema, as embedded, numbered migrations: `danvan init` applies them all, and
//! opening a database applies the ones it lacks. A database migrated by a newer danvan is
//! refused, as the JSON store refuses a newer format.
//!
//! The tables:
//!
//! * `danvan_meta`: one row, the store-wide revision (the writers' lock: every write takes this
//!   row `FOR UPDATE`, so revisions are handed out one at a time, in commit order, with no
//!   gaps), an instance ID, and the board calendar correction.
//! * `danvan_records`: each record as JSONB (the record alone, as the JSON store's shards hold
//!   it), beside the columns a query or a database administrator needs: kind, ID, the
//!   province as recorded and on the current map, the record's date and span, and its folded
//!   search text (computed by danvan-core's `search_key`, indexed with pg_trgm).
//! * `danvan_commits` and `danvan_changes`: every committed write with who made it and why, and
//!   each record version it wrote (the change feed and record histories; never pruned).
//! * `danvan_ended_sessions` and `danvan_users`: the web app's signed-out sessions and its
//!   users, outside the records' history; `danvan_files`: files kept by their SHA-256 (the
//!   signed originals submissions name).

/// One migration: its number and the SQL that brings the schema to it.
pub(crate) struct Migration {
    pub(crate) version: i32,
    pub(crate) sql: &'static str,
}

/// Every migration, in order. Append; never edit one that has shipped.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: r#"
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE danvan_meta (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    revision bigint NOT NULL CHECK (revision >= 0),
    instance text NOT NULL,
    boards jsonb
);
INSERT INTO danvan_meta (revision, instance) VALUES (0, gen_random_uuid()::text);

CREATE TABLE danvan_records (
    kind text NOT NULL
        CHECK (kind IN ('directive', 'conference', 'model', 'indicator', 'observation')),
    id text NOT NULL,
    revision bigint NOT NULL,
    record jsonb NOT NULL,
    province text,
    province_current text,
    date date,
    period_start date,
    period_end date,
    search text NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX danvan_records_province ON danvan_records (province, kind);
CREATE INDEX danvan_records_province_current ON danvan_records (province_current, kind);
CREATE INDEX danvan_records_date ON danvan_records (kind, date);
CREATE INDEX danvan_records_span ON danvan_records (period_start, period_end);
CREATE INDEX danvan_records_revision ON danvan_records (revision);
CREATE INDEX danvan_records_search ON danvan_records USING gin (search gin_trgm_ops);

CREATE TABLE danvan_commits (
    seq bigint PRIMARY KEY,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    reason text,
    changes integer NOT NULL CHECK (changes > 0)
);

CREATE TABLE danvan_changes (
    seq bigint NOT NULL REFERENCES danvan_commits (seq),
    idx integer NOT NULL,
    kind text NOT NULL,
    id text NOT NULL,
    action text NOT NULL CHECK (action IN ('created', 'updated', 'deleted')),
    record jsonb,
    PRIMARY KEY (seq, idx)
);
CREATE INDEX danvan_changes_record ON danvan_changes (kind, id, seq);
"#,
    },
    // A deletion's province (as recorded), so that its tombstone in the change feed can be given
    // only to those who may read that province's records.
    Migration {
        version: 2,
        sql: "ALTER TABLE danvan_changes ADD COLUMN province text;",
    },
    // Signed-out web sessions, refused by every server until they would have expired.
    Migration {
        version: 3,
        sql: "CREATE TABLE danvan_ended_sessions (id text PRIMARY KEY, until bigint NOT NULL);",
    },
    // Reporting units, a sixth kind of record.
    Migration {
        version: 4,
        sql: "ALTER TABLE danvan_records DROP CONSTRAINT danvan_records_kind_check;
ALTER TABLE danvan_records ADD CONSTRAINT danvan_records_kind_check
    CHECK (kind IN ('directive', 'conference', 'model', 'indicator', 'observation', 'unit'));",
    },
    // Commendations, a seventh kind of record.
    Migration {
        version: 5,
        sql: "ALTER TABLE danvan_records DROP CONSTRAINT danvan_records_kind_check;
ALTER TABLE danvan_records ADD CONSTRAINT danvan_records_kind_check
    CHECK (kind IN ('directive', 'conference', 'model', 'indicator', 'observation', 'unit', 'award'));",
    },
    // The reporting cycle: forms and units' submissions.
    Migration {
        version: 6,
        sql: "ALTER TABLE danvan_records DROP CONSTRAINT danvan_records_kind_check;
ALTER TABLE danvan_records ADD CONSTRAINT danvan_records_kind_check
    CHECK (kind IN ('directive', 'conference', 'model', 'indicator', 'observation', 'unit', 'award', 'form', 'submission'));",
    },
    // The web app's users: a login, and the user as JSON (name, role, seat, password hash).
    Migration {
        version: 7,
        sql: "CREATE TABLE danvan_users (login text PRIMARY KEY, body jsonb NOT NULL);",
    },
    // Files kept beside the records (reports' signed originals), by their SHA-256.
    Migration {
        version: 8,
        sql: "CREATE TABLE danvan_files (sha256 text PRIMARY KEY, bytes bytea NOT NULL);",
    },
    // Targets the board sets (chỉ tiêu), a tenth kind of record.
    Migration {
        version: 9,
        sql: "ALTER TABLE danvan_records DROP CONSTRAINT danvan_records_kind_check;
ALTER TABLE danvan_records ADD CONSTRAINT danvan_records_kind_check
    CHECK (kind IN ('directive', 'conference', 'model', 'indicator', 'observation', 'unit', 'award', 'form', 'submission', 'target'));",
    },
];

/// The newest schema version this build knows.
pub(crate) fn latest() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// The table that records which migrations a database has.
pub(crate) const VERSIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS danvan_schema_versions (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i32 + 1);
        }
        assert_eq!(latest(), MIGRATIONS.len() as i32);
    }
}
