//! Where a store lives — a directory for the JSON store, a `postgres://` URL for a database —
//! and opening whichever it names, as `--store` and `DANVAN_STORE` do.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::api::Store;
use crate::error::StoreError;
use crate::json::{JsonStore, Options};

/// A store's place: a JSON store directory or a PostgreSQL database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A JSON store directory.
    Dir(PathBuf),
    /// A PostgreSQL database, by `postgres://` (or `postgresql://`) URL.
    Postgres(String),
}

impl Place {
    /// A URL starting `postgres://` or `postgresql://` names a database; anything else is a
    /// directory.
    pub fn parse(s: &str) -> Place {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Place::Postgres(s.to_string())
        } else {
            Place::Dir(PathBuf::from(s))
        }
    }

    /// [`parse`](Place::parse) for an OS string (an argument, an environment variable): one
    /// that is not UTF-8 is a directory.
    pub fn from_os(s: std::ffi::OsString) -> Place {
        match s.into_string() {
            Ok(s) => Place::parse(&s),
            Err(os) => Place::Dir(PathBuf::from(os)),
        }
    }

    /// The place as messages show it: a directory's path, a URL without its password.
    pub fn shown(&self) -> String {
        match self {
            Place::Dir(d) => d.display().to_string(),
            Place::Postgres(url) => crate::secret::hide_password(url),
        }
    }

    /// The directory, for a JSON store.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            Place::Dir(d) => Some(d),
            Place::Postgres(_) => None,
        }
    }

    /// Opens the store there. `lock_timeout` bounds how long a write waits for another
    /// writer (another process's lock, another server's transaction).
    pub fn open(&self, lock_timeout: Duration) -> Result<Box<dyn Store>, StoreError> {
        match self {
            Place::Dir(d) => Ok(Box::new(JsonStore::open_with(
                d,
                Options {
                    lock_timeout,
                    ..Options::default()
                },
            )?)),
            Place::Postgres(url) => pg_open(url, lock_timeout),
        }
    }

    /// Creates an empty store there: a directory with the JSON store's files, or the schema in
    /// an empty database.
    pub fn init(&self) -> Result<Box<dyn Store>, StoreError> {
        match self {
            Place::Dir(d) => Ok(Box::new(JsonStore::init(d)?)),
            Place::Postgres(url) => pg_init(url),
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown())
    }
}

#[cfg(feature = "postgres")]
fn pg_open(url: &str, lock_timeout: Duration) -> Result<Box<dyn Store>, StoreError> {
    let options = crate::pg::PgOptions::default().with_lock_timeout(lock_timeout);
    Ok(Box::new(crate::pg::PgStore::open_with(url, options)?))
}

#[cfg(feature = "postgres")]
fn pg_init(url: &str) -> Result<Box<dyn Store>, StoreError> {
    Ok(Box::new(crate::pg::PgStore::init(url)?))
}

#[cfg(not(feature = "postgres"))]
fn pg_open(url: &str, _lock_timeout: Duration) -> Result<Box<dyn Store>, StoreError> {
    Err(no_postgres(url))
}

#[cfg(not(feature = "postgres"))]
fn pg_init(url: &str) -> Result<Box<dyn Store>, StoreError> {
    Err(no_postgres(url))
}

/// The error of a build without PostgreSQL support.
#[cfg(not(feature = "postgres"))]
fn no_postgres(url: &str) -> StoreError {
    StoreError::Database {
        at: crate::secret::hide_password(url).into(),
        message: "this build has no PostgreSQL support: build danvan-store with the `postgres` \
                  feature"
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_databases_and_the_rest_directories() {
        assert_eq!(
            Place::parse("postgres://u@h/db"),
            Place::Postgres("postgres://u@h/db".into())
        );
        assert_eq!(
            Place::parse("postgresql://h/db"),
            Place::Postgres("postgresql://h/db".into())
        );
        assert_eq!(
            Place::parse("danvan-data"),
            Place::Dir(PathBuf::from("danvan-data"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_name_that_is_not_utf8_is_a_directory() {
        use std::os::unix::ffi::OsStringExt;
        let raw = std::ffi::OsString::from_vec(b"kho-\xff".to_vec());
        assert_eq!(Place::from_os(raw.clone()), Place::Dir(PathBuf::from(raw)));
        assert_eq!(
            Place::from_os("postgres://h/db".into()),
            Place::Postgres("postgres://h/db".into())
        );
    }

    #[test]
    fn shown_places_hide_passwords() {
        assert_eq!(
            Place::parse("postgres://danvan:hunter2@db:5432/national?sslmode=require").shown(),
            "postgres://danvan:********@db:5432/national?sslmode=require"
        );
        assert_eq!(
            Place::parse("postgres://db/national?user=a&password=hunter2").shown(),
            "postgres://db/national?user=a&password=********"
        );
        assert_eq!(
            Place::parse("postgres://u@db/x").shown(),
            "postgres://u@db/x"
        );
    }
}
