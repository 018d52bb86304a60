//! Throw-away databases for tests, on the server the libpq variables name (`PGHOST`, `PGPORT`,
//! `PGUSER`, `PGPASSWORD`), as `pg_virtualenv` sets them. `cargo xtask ci` runs the tests inside
//! `pg_virtualenv`; without a server a test fails and says how to get one — it never skips.

use std::sync::atomic::{AtomicU32, Ordering};

/// A database created for one test and dropped with it.
#[derive(Debug)]
pub struct ScratchDb {
    name: String,
    url: String,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl ScratchDb {
    /// Creates an empty database, named after `label`, this process and a counter.
    ///
    /// # Panics
    ///
    /// When no server is configured or it refuses: the message says how to start one.
    pub fn new(label: &str) -> ScratchDb {
        let label: String = label
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(30)
            .collect();
        let name = format!(
            "danvan_t_{}_{}_{label}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = admin();
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .unwrap_or_else(|e| panic!("cannot create a test database: {e}"));
        let url = url_for(&name);
        ScratchDb { name, url }
    }

    /// The database's URL, password included.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&url_for("postgres"), postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The URL of database `db` on the configured server.
///
/// # Panics
///
/// When `PGHOST` is not set.
pub fn url_for(db: &str) -> String {
    let Some(host) = var("PGHOST") else {
        panic!(
            "the PostgreSQL tests need a server, and PGHOST is not set. Run them through \
             `cargo xtask ci`, or `pg_virtualenv cargo test` (Debian: `apt-get install \
             postgresql`, which brings pg_virtualenv), or set PGHOST, PGPORT, PGUSER and \
             PGPASSWORD for a server where that user may create databases."
        )
    };
    let port = var("PGPORT").unwrap_or_else(|| "5432".into());
    let user = var("PGUSER").unwrap_or_else(|| "postgres".into());
    let auth = match var("PGPASSWORD") {
        Some(p) => format!("{user}:{}", encode(&p)),
        None => user,
    };
    // A socket directory is passed as the `host` parameter, not in the authority.
    if host.starts_with('/') {
        format!(
            "postgres://{auth}@localhost:{port}/{db}?host={}",
            encode(&host)
        )
    } else {
        format!("postgres://{auth}@{host}:{port}/{db}")
    }
}

fn admin() -> postgres::Client {
    postgres::Client::connect(&url_for("postgres"), postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL server: {e}"))
}

/// Percent-encodes what a URL part cannot hold as it is.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
