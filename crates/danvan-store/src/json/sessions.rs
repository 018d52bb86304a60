//! What the JSON store keeps beside its records, outside their history and the change feed,
//! each in a small JSON file rewritten whole under the store's write lock and read again only
//! when its size, modification time or inode changed:
//!
//! - signed-out sessions (`sessions.json`: `{"ended": {"<session id>": <until, seconds since
//!   1970>}}`), so that every server on this store refuses them, across restarts (a sign-out
//!   drops the entries whose session would have expired anyway);
//! - the web app's users (`users.json`: `{"users": [<user>…]}`, sorted by login), read by
//!   every server on every signed-in request.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use danvan_core::user::User;

use super::fsutil::write_atomic;
use crate::error::{StoreError, io_err};

/// The signed-out sessions' file.
pub(crate) const SESSIONS: &str = "sessions.json";
/// The users' file.
pub(crate) const USERS: &str = "users.json";

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndedFile {
    ended: HashMap<String, u64>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UsersFile {
    users: Vec<User>,
}

/// What identifies a version of a file: (inode, length, modification time in ns).
type FileStamp = (u64, u64, i128);

fn stamp(path: &Path) -> Result<Option<FileStamp>, StoreError> {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(path) {
        Ok(m) => Ok(Some((
            m.ino(),
            m.len(),
            i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(path)(e)),
    }
}

/// One side file, as last read: its stamp (`None`: absent) and its content.
#[derive(Debug)]
pub(crate) struct SideFile<T> {
    name: &'static str,
    seen: Mutex<Option<(Option<FileStamp>, Arc<T>)>>,
}

impl<T: Default + Serialize + DeserializeOwned> SideFile<T> {
    fn new(name: &'static str) -> Self {
        SideFile {
            name,
            seen: Mutex::new(None),
        }
    }

    fn read(&self, path: &Path) -> Result<T, StoreError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice::<T>(&bytes).map_err(|e| StoreError::Corrupt {
                at: PathBuf::from(path).into(),
                line: e.line(),
                column: e.column(),
                message: crate::error::json_message(&e),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(T::default()),
            Err(e) => Err(io_err(path)(e)),
        }
    }

    /// The file's content, read again only when it changed.
    fn get(&self, root: &Path) -> Result<Arc<T>, StoreError> {
        let path = root.join(self.name);
        let current = stamp(&path)?;
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        match seen.as_ref() {
            Some((s, content)) if *s == current => Ok(Arc::clone(content)),
            _ => {
                let content = Arc::new(self.read(&path)?);
                *seen = Some((current, Arc::clone(&content)));
                Ok(content)
            }
        }
    }

    /// Reads the file, changes it with `change` and writes it again whole. The caller holds
    /// the store's write lock; nothing is written when `change` fails.
    fn update(
        &self,
        root: &Path,
        change: impl FnOnce(&mut T) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let path = root.join(self.name);
        let mut content = self.read(&path)?;
        change(&mut content)?;
        let bytes = serde_json::to_vec_pretty(&content)
            .map_err(|e| io_err(&path)(std::io::Error::other(e)))?;
        write_atomic(&path, &bytes)?;
        // Read again at the next look: the stamp changed.
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }
}

/// The ended sessions of one store.
#[derive(Debug)]
pub(crate) struct Ended(SideFile<EndedFile>);

impl Default for Ended {
    fn default() -> Self {
        Ended(SideFile::new(SESSIONS))
    }
}

impl Ended {
    /// Whether session `id` was ended and `now` is before its end.
    pub(crate) fn contains(&self, root: &Path, id: &str, now: u64) -> Result<bool, StoreError> {
        Ok(self
            .0
            .get(root)?
            .ended
            .get(id)
            .is_some_and(|until| *until > now))
    }

    /// Adds `id` until `until`, dropping what has expired by `now`. The caller holds the store's
    /// write lock.
    pub(crate) fn add(
        &self,
        root: &Path,
        id: &str,
        until: u64,
        now: u64,
    ) -> Result<(), StoreError> {
        self.0.update(root, |f| {
            f.ended.retain(|_, u| *u > now);
            let kept = f.ended.entry(id.to_string()).or_insert(until);
            *kept = (*kept).max(until);
            Ok(())
        })
    }
}

/// The users of one store.
#[derive(Debug)]
pub(crate) struct Users(SideFile<UsersFile>);

impl Default for Users {
    fn default() -> Self {
        Users(SideFile::new(USERS))
    }
}

impl Users {
    /// Every user, sorted by login.
    pub(crate) fn all(&self, root: &Path) -> Result<Vec<User>, StoreError> {
        Ok(crate::users::sorted(self.0.get(root)?.users.clone()))
    }

    /// The user of `login`.
    pub(crate) fn get(&self, root: &Path, login: &str) -> Result<Option<User>, StoreError> {
        Ok(self
            .0
            .get(root)?
            .users
            .iter()
            .rfind(|u| u.login == login)
            .cloned())
    }

    /// Writes `user` (see `Store::put_user`). The caller holds the store's write lock.
    pub(crate) fn put(&self, root: &Path, user: &User, create: bool) -> Result<(), StoreError> {
        self.0.update(root, |f| {
            let users = std::mem::take(&mut f.users);
            f.users = crate::users::written(users, user, create)?;
            Ok(())
        })
    }
}
