//! How much of the journal has been acknowledged (`journal.ack`), so that a journal cut short
//! after a restart — a file truncated, or an older copy put back — is found as lost writes
//! instead of being read as a shorter, whole journal.
//!
//! After each append is on disk, the writer overwrites the file's one line in place: the
//! journal's generation, its length and the last revision written, with a CRC-32 of the three.
//! It is not synced: after a power loss it may say less than the journal holds (the journal
//! itself is synced before), never more, so a journal shorter than it is damage. A line that
//! does not check (a write torn by a crash) says nothing.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

use crate::error::{StoreError, io_err};

/// The file's name.
pub(crate) const ACK: &str = "journal.ack";

/// The file's one line is padded to this length, so that each write covers the last.
const LINE: usize = 80;

/// What was acknowledged last: the journal of `generation` held `length` bytes, its last entry
/// `seq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Acked {
    pub(crate) generation: u64,
    pub(crate) length: u64,
    pub(crate) seq: u64,
}

impl Acked {
    fn line(self) -> Vec<u8> {
        let body = format!("{} {} {}", self.generation, self.length, self.seq);
        let mut line = format!("{body} {:08x}", crc32fast::hash(body.as_bytes())).into_bytes();
        line.resize(LINE - 1, b' ');
        line.push(b'\n');
        line
    }

    fn parse(bytes: &[u8]) -> Option<Acked> {
        let text = std::str::from_utf8(bytes).ok()?;
        let mut parts = text.split_whitespace();
        let (g, l, s, crc) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let body = format!("{g} {l} {s}");
        if u32::from_str_radix(crc, 16).ok()? != crc32fast::hash(body.as_bytes()) {
            return None;
        }
        Some(Acked {
            generation: g.parse().ok()?,
            length: l.parse().ok()?,
            seq: s.parse().ok()?,
        })
    }
}

/// The acknowledged length in `root`, if the file is there and checks.
pub(crate) fn read(root: &Path) -> Option<Acked> {
    let bytes = std::fs::read(root.join(ACK)).ok()?;
    Acked::parse(&bytes)
}

/// Opens (creating) the file for [`write`].
pub(crate) fn open(root: &Path) -> Result<File, StoreError> {
    let path = root.join(ACK);
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(io_err(path))
}

/// Records `acked` in `file` (not synced: see the module docs).
pub(crate) fn write(root: &Path, file: &File, acked: Acked) -> Result<(), StoreError> {
    file.write_all_at(&acked.line(), 0)
        .map_err(io_err(root.join(ACK)))
}

/// Checks the journal of `generation`, read to `valid_end` with its last entry `last_seq`,
/// against what was acknowledged: shorter than that is damage, naming the revisions lost.
pub(crate) fn check(
    root: &Path,
    generation: u64,
    valid_end: u64,
    last_seq: u64,
) -> Result<(), StoreError> {
    let Some(acked) = read(root) else {
        return Ok(());
    };
    let journal = super::layout::journal_path(root, generation);
    // A compaction that started the next journal and wrote nothing to it, whose checkpoint
    // rename a power loss undid: the journal of `generation` still holds every write.
    let unwritten_next = acked.generation == generation + 1 && acked.length == 0;
    if acked.generation > generation && !unwritten_next {
        return Err(StoreError::Damaged {
            at: root.join(super::layout::CHECKPOINT).into(),
            line: 0,
            message: format!(
                "writes up to revision {} were acknowledged in journal generation {}, but checkpoint.json points at generation {generation}: the checkpoint or the journal of the later generation was lost; run `danvan repair --dry-run`",
                acked.seq, acked.generation
            ),
        });
    }
    if acked.generation == generation && (valid_end < acked.length || last_seq < acked.seq) {
        return Err(StoreError::Damaged {
            at: journal.into(),
            line: 0,
            message: format!(
                "the journal holds writes up to revision {last_seq} ({valid_end} bytes), but writes up to revision {} ({} bytes) were acknowledged: it was cut short or an older copy put back; revisions {}..={} are lost unless the file is restored from a backup (`danvan repair` names them and goes on without them)",
                acked.seq,
                acked.length,
                last_seq + 1,
                acked.seq
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_reads_back_and_a_torn_one_says_nothing() {
        let a = Acked {
            generation: 3,
            length: 18_230,
            seq: 41,
        };
        let line = a.line();
        assert_eq!(line.len(), LINE);
        assert_eq!(Acked::parse(&line), Some(a));
        let mut torn = line.clone();
        torn[2] = b'9';
        assert_eq!(Acked::parse(&torn), None);
        assert_eq!(Acked::parse(b""), None);
    }

    #[test]
    fn a_journal_shorter_than_acknowledged_is_damage() {
        let dir = tempfile::tempdir().unwrap();
        let f = open(dir.path()).unwrap();
        write(
            dir.path(),
            &f,
            Acked {
                generation: 2,
                length: 500,
                seq: 9,
            },
        )
        .unwrap();
        assert!(check(dir.path(), 2, 500, 9).is_ok());
        assert!(
            check(dir.path(), 2, 700, 12).is_ok(),
            "more than acknowledged: fine"
        );
        let err = check(dir.path(), 2, 300, 6).unwrap_err().to_string();
        assert!(err.contains("revisions 7..=9 are lost"), "{err}");
        assert!(check(dir.path(), 1, 0, 0).is_err(), "a stale checkpoint");
        write(
            dir.path(),
            &f,
            Acked {
                generation: 4,
                length: 0,
                seq: 9,
            },
        )
        .unwrap();
        assert!(
            check(dir.path(), 3, 500, 9).is_ok(),
            "a compaction's lost rename"
        );
        assert!(check(dir.path(), 3, 0, 9).is_ok(), "a compaction since");
    }
}
