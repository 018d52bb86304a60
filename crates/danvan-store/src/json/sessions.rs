//! Signed-out sessions, kept beside the records (`sessions.json`) so that every server on this
//! store refuses them, across restarts: `{"ended": {"<session id>": <until, seconds since
//! 1970>}}`. A sign-out rewrites the file under the store's write lock (dropping the entries
//! whose session would have expired anyway); a check reads it again only when its size,
//! modification time or inode changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::fsutil::write_atomic;
use crate::error::{StoreError, io_err};

/// The file's name.
pub(crate) const SESSIONS: &str = "sessions.json";

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    ended: HashMap<String, u64>,
}

/// What identifies a version of the file: (inode, length, modification time in ns).
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

/// The file as read: its stamp (`None`: absent) and its sessions.
type Seen = (Option<FileStamp>, HashMap<String, u64>);

/// The ended sessions of one store, as last read.
#[derive(Debug, Default)]
pub(crate) struct Ended {
    seen: Mutex<Option<Seen>>,
}

fn read(path: &Path) -> Result<HashMap<String, u64>, StoreError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice::<File>(&bytes)
            .map(|f| f.ended)
            .map_err(|e| StoreError::Corrupt {
                at: PathBuf::from(path).into(),
                line: e.line(),
                column: e.column(),
                message: crate::error::json_message(&e),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashMap::new()),
        Err(e) => Err(io_err(path)(e)),
    }
}

impl Ended {
    /// Whether session `id` was ended and `now` is before its end.
    pub(crate) fn contains(&self, root: &Path, id: &str, now: u64) -> Result<bool, StoreError> {
        let path = root.join(SESSIONS);
        let current = stamp(&path)?;
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.as_ref().is_none_or(|(s, _)| *s != current) {
            *seen = Some((current, read(&path)?));
        }
        Ok(seen
            .as_ref()
            .and_then(|(_, ended)| ended.get(id))
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
        let path = root.join(SESSIONS);
        let mut ended = read(&path)?;
        ended.retain(|_, u| *u > now);
        let kept = ended.entry(id.to_string()).or_insert(until);
        *kept = (*kept).max(until);
        let bytes = serde_json::to_vec_pretty(&File { ended })
            .map_err(|e| io_err(&path)(std::io::Error::other(e)))?;
        write_atomic(&path, &bytes)?;
        // Read again at the next check: the stamp changed.
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }
}
