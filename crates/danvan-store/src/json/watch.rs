//! Noticing another process's change to the store's files at the cost of two `fstat`s.
//!
//! Every read asks whether the files changed since this process last read them: another
//! process (the CLI beside a server) may have appended to the journal or compacted. The answer
//! is a [`Stamp`] — the checkpoint's identity and the journal's length — taken on handles
//! opened when the files were read ([`Watch`]), so no path is walked and nothing is allocated.
//!
//! A handle follows its inode, not its name. A checkpoint or journal replaced by a rename (a
//! compaction, a repair) shows as a link count of 0 on the old handle: such a stamp is never
//! fresh ([`Stamp::unlinked`]), so the reader catches up and the handles are opened again. A file
//! rewritten in place shows in its length and modification time. The handles are opened while
//! the store's OS lock is held, the same moment the files are read, so no other writer comes in
//! between.

use std::fs::{self, File};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::layout::{CHECKPOINT, journal_path};

/// What the files looked like: the checkpoint's identity and the journal's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Stamp {
    /// Inode, length and modification time (seconds, nanoseconds).
    pub(super) checkpoint: (u64, u64, i64, i64),
    pub(super) journal_len: u64,
    /// A file was replaced or removed since its handle was opened.
    pub(super) unlinked: bool,
}

/// Handles on the checkpoint and on the journal of one generation.
#[derive(Debug)]
pub(super) struct Watch {
    generation: u64,
    checkpoint: File,
    journal: File,
}

impl Watch {
    /// Opens the files of `generation`; `None` when either cannot be opened (a stamp is then
    /// taken by path).
    pub(super) fn open(root: &Path, generation: u64) -> Option<Watch> {
        Some(Watch {
            generation,
            checkpoint: File::open(root.join(CHECKPOINT)).ok()?,
            journal: File::open(journal_path(root, generation)).ok()?,
        })
    }

    /// Whether this still watches the files of `generation`, neither of them replaced.
    pub(super) fn follows(&self, generation: u64) -> bool {
        self.generation == generation && !self.stamp().unlinked
    }

    /// The stamp of the watched files now.
    pub(super) fn stamp(&self) -> Stamp {
        match (self.checkpoint.metadata(), self.journal.metadata()) {
            (Ok(cp), Ok(j)) => Stamp {
                checkpoint: (cp.ino(), cp.len(), cp.mtime(), cp.mtime_nsec()),
                journal_len: j.len(),
                unlinked: cp.nlink() == 0 || j.nlink() == 0,
            },
            // Cannot tell: never fresh.
            _ => Stamp {
                unlinked: true,
                ..Stamp::default()
            },
        }
    }
}

/// The stamp of the files of `generation`, by path: for a store whose files could not be
/// opened for watching.
pub(super) fn stamp_by_path(root: &Path, generation: u64) -> Stamp {
    let cp = fs::metadata(root.join(CHECKPOINT))
        .map(|m| (m.ino(), m.len(), m.mtime(), m.mtime_nsec()))
        .unwrap_or_default();
    let journal_len = fs::metadata(journal_path(root, generation)).map_or(0, |m| m.len());
    Stamp {
        checkpoint: cp,
        journal_len,
        unlinked: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &Path) {
        fs::write(dir.join(CHECKPOINT), b"{\"generation\":1}").unwrap();
        fs::write(journal_path(dir, 1), b"").unwrap();
    }

    #[test]
    fn an_append_changes_the_stamp() {
        let dir = tempfile::tempdir().unwrap();
        store(dir.path());
        let w = Watch::open(dir.path(), 1).unwrap();
        let before = w.stamp();
        assert!(!before.unlinked);
        assert_eq!(before, stamp_by_path(dir.path(), 1));
        let mut j = fs::OpenOptions::new()
            .append(true)
            .open(journal_path(dir.path(), 1))
            .unwrap();
        std::io::Write::write_all(&mut j, b"line\n").unwrap();
        let after = w.stamp();
        assert_eq!(after.journal_len, 5);
        assert_ne!(after, before);
        assert!(w.follows(1));
        assert!(!w.follows(2));
    }

    #[test]
    fn a_replaced_checkpoint_is_never_fresh() {
        let dir = tempfile::tempdir().unwrap();
        store(dir.path());
        let w = Watch::open(dir.path(), 1).unwrap();
        let tmp = dir.path().join("next.json");
        fs::write(&tmp, b"{\"generation\":1}").unwrap();
        fs::rename(&tmp, dir.path().join(CHECKPOINT)).unwrap();
        assert!(w.stamp().unlinked);
        assert!(!w.follows(1));
        // The same length and content: only the handle's link count tells.
        assert_eq!(w.stamp().journal_len, 0);
    }

    #[test]
    fn a_removed_journal_is_never_fresh() {
        let dir = tempfile::tempdir().unwrap();
        store(dir.path());
        let w = Watch::open(dir.path(), 1).unwrap();
        fs::remove_file(journal_path(dir.path(), 1)).unwrap();
        assert!(w.stamp().unlinked);
        assert!(Watch::open(dir.path(), 1).is_none());
    }
}
