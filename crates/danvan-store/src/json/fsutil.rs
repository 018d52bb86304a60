//! File-system primitives with the durability the store promises: atomic replacement and
//! directory syncs.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use crate::error::{StoreError, io_err};

/// Replaces `path` with `bytes` so that after a crash the file holds either the old or the new
/// content, never a mix: write a temporary file in the same directory, fsync it, rename it over
/// `path`, then fsync the directory so the rename itself is durable.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = parent(path);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    {
        let mut f = File::create(&tmp).map_err(io_err(&tmp))?;
        f.write_all(bytes).map_err(io_err(&tmp))?;
        f.sync_all().map_err(io_err(&tmp))?;
    }
    fs::rename(&tmp, path).map_err(io_err(path))?;
    sync_dir(dir)
}

/// The directory holding `path`: `.` for a bare name such as `store`, whose parent is empty.
pub(crate) fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Makes the directory's entries (new, renamed or removed files) durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let f = File::open(dir).map_err(io_err(dir))?;
    f.sync_all().map_err(io_err(dir))
}

/// Creates `dir` and any missing parents, syncing each new directory's parent so the new
/// entries survive a crash.
pub(crate) fn create_dir_durable(dir: &Path) -> Result<(), StoreError> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    if let Some(up) = dir.parent() {
        create_dir_durable(up)?;
    }
    match fs::create_dir(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(()),
        Err(e) => return Err(io_err(dir)(e)),
    }
    sync_dir(parent(dir))
}

/// Takes the exclusive OS lock of the store in `dir` (its `lock` file), waiting up to
/// `timeout`; for work done on a closed store (migration, repair). Unlock the file when done.
pub(crate) fn lock_exclusive(dir: &Path, timeout: std::time::Duration) -> Result<File, StoreError> {
    let lock_path = dir.join(super::layout::LOCK);
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&lock_path)
        .map_err(io_err(&lock_path))?;
    let start = std::time::Instant::now();
    loop {
        match lock.try_lock() {
            Ok(()) => return Ok(lock),
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < timeout => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(StoreError::Locked {
                    at: dir.to_path_buf().into(),
                    waited_ms: start.elapsed().as_millis() as u64,
                });
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_err(&lock_path)(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_name_lives_in_the_current_directory() {
        assert_eq!(parent(Path::new("store")), Path::new("."));
        assert_eq!(parent(Path::new("a/b")), Path::new("a"));
        assert_eq!(parent(Path::new("/")), Path::new("."));
    }
}
