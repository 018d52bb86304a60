//! The journal: an append-only file of committed batches, one checksummed JSON line each.
//!
//! ```text
//! {"seq":42,"at":1764000000000,"crc32":2882343476,"ops":[{"op":"put","kind":"model","record":{…}}]}
//! ```
//!
//! `seq` is the store revision the batch commits; `crc32` covers the exact bytes of `ops`. A
//! write is acknowledged only after its line is appended and `fdatasync`ed. A crash can leave
//! a torn last line (partial, or zeros after a power loss); reading stops before it and the
//! next writer truncates it. A bad line *followed* by good ones is not a torn write but damage,
//! and is reported as corruption.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use danvan_core::dataset::AnyRecord;
use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::{StoreError, io_err};

/// One change as the journal records it.
// Short-lived like `Op`, which it is planned from.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum JournalOp {
    /// The record's new content; its revision is the entry's `seq`.
    Put(AnyRecord),
    /// The record is gone.
    Delete {
        /// Its kind.
        kind: RecordKind,
        /// Its ID.
        id: RecordId,
    },
}

/// One committed batch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub(crate) seq: u64,
    pub(crate) ops: Vec<JournalOp>,
}

#[derive(Deserialize)]
struct Line<'a> {
    seq: u64,
    #[allow(dead_code)] // kept for people reading the journal: when the batch was written
    at: u64,
    crc32: u32,
    #[serde(borrow)]
    ops: &'a RawValue,
}

/// Encodes an entry as its journal line, newline included.
pub(crate) fn encode(
    seq: u64,
    at_ms: u64,
    ops: &[JournalOp],
) -> Result<Vec<u8>, serde_json::Error> {
    let ops_json = serde_json::to_string(ops)?;
    let crc = crc32fast::hash(ops_json.as_bytes());
    Ok(
        format!("{{\"seq\":{seq},\"at\":{at_ms},\"crc32\":{crc},\"ops\":{ops_json}}}\n")
            .into_bytes(),
    )
}

/// What reading a journal found.
#[derive(Debug)]
pub(crate) struct Tail {
    /// Complete, verified entries, in order.
    pub(crate) entries: Vec<Entry>,
    /// Byte offset just past the last good entry: where the next entry goes.
    pub(crate) valid_end: u64,
    /// Lines read, good ones only (for line numbers in later errors).
    pub(crate) lines: usize,
}

/// Reads the journal at `path` from byte `offset` (line `first_line`, 1-based), expecting the
/// next entry to have `seq == next_seq`. A missing file reads as empty.
pub(crate) fn read_from(
    path: &Path,
    offset: u64,
    first_line: usize,
    next_seq: u64,
) -> Result<Tail, StoreError> {
    let mut bytes = Vec::new();
    match File::open(path) {
        Ok(mut f) => {
            f.seek(SeekFrom::Start(offset)).map_err(io_err(path))?;
            f.read_to_end(&mut bytes).map_err(io_err(path))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(path)(e)),
    }
    parse(path, &bytes, offset, first_line, next_seq)
}

fn parse(
    path: &Path,
    bytes: &[u8],
    offset: u64,
    first_line: usize,
    next_seq: u64,
) -> Result<Tail, StoreError> {
    let mut entries = Vec::new();
    let mut pos = 0usize;
    let mut expected = next_seq;
    let mut line_no = first_line;
    while pos < bytes.len() {
        let Some(nl) = memchr::memchr(b'\n', &bytes[pos..]) else {
            // An unterminated last line: a write that did not finish.
            break;
        };
        match decode(&bytes[pos..pos + nl], expected) {
            Ok(entry) => {
                expected += 1;
                entries.push(entry);
                pos += nl + 1;
                line_no += 1;
            }
            Err(reason) => {
                // A good entry after a bad one means damage, not a torn write.
                let later_ok = bytes[pos + nl + 1..]
                    .split(|b| *b == b'\n')
                    .any(|l| decode_any(l).is_some_and(|seq| seq >= expected));
                if later_ok {
                    return Err(StoreError::Corrupt {
                        path: path.to_path_buf(),
                        line: line_no,
                        column: 1,
                        message: format!(
                            "journal entry is damaged ({reason}) but later entries are intact; restore the file from a backup"
                        ),
                    });
                }
                break;
            }
        }
    }
    let valid_end = offset + pos as u64;
    Ok(Tail {
        entries,
        valid_end,
        lines: line_no - first_line,
    })
}

fn decode(line: &[u8], expected_seq: u64) -> Result<Entry, String> {
    let text = std::str::from_utf8(line).map_err(|_| "not UTF-8".to_string())?;
    let l: Line<'_> = serde_json::from_str(text).map_err(|e| format!("not an entry: {e}"))?;
    if crc32fast::hash(l.ops.get().as_bytes()) != l.crc32 {
        return Err("checksum mismatch".to_string());
    }
    if l.seq != expected_seq {
        return Err(format!(
            "sequence {} where {expected_seq} was expected",
            l.seq
        ));
    }
    let ops: Vec<JournalOp> =
        serde_json::from_str(l.ops.get()).map_err(|e| format!("bad operation: {e}"))?;
    Ok(Entry { seq: l.seq, ops })
}

/// The seq of a line that is a well-formed, checksum-valid entry, whatever its seq.
fn decode_any(line: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(line).ok()?;
    let l: Line<'_> = serde_json::from_str(text).ok()?;
    (crc32fast::hash(l.ops.get().as_bytes()) == l.crc32).then_some(l.seq)
}

/// Appends `line` to the journal at `path` after cutting it back to `valid_end` (dropping a
/// torn tail), and makes it durable before returning.
pub(crate) fn append(path: &Path, valid_end: u64, line: &[u8]) -> Result<u64, StoreError> {
    let existed = path.exists();
    let mut f = OpenOptions::new()
        .create(true)
        .read(true)
        .write(true)
        .truncate(false)
        .open(path)
        .map_err(io_err(path))?;
    let len = f.metadata().map_err(io_err(path))?.len();
    if len != valid_end {
        f.set_len(valid_end).map_err(io_err(path))?;
    }
    f.seek(SeekFrom::Start(valid_end)).map_err(io_err(path))?;
    f.write_all(line).map_err(io_err(path))?;
    f.sync_data().map_err(io_err(path))?;
    if !existed {
        super::fsutil::sync_dir(super::fsutil::parent(path))?;
    }
    Ok(valid_end + line.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: &str) -> JournalOp {
        JournalOp::Delete {
            kind: RecordKind::Model,
            id: RecordId::new(id).unwrap(),
        }
    }

    #[test]
    fn reads_back_what_it_wrote_and_drops_a_torn_tail() {
        let mut bytes = encode(1, 0, &[op("a")]).unwrap();
        bytes.extend(encode(2, 0, &[op("b"), op("c")]).unwrap());
        let full = bytes.len();
        bytes.extend(&encode(3, 0, &[op("d")]).unwrap()[..20]);
        let tail = parse(Path::new("j"), &bytes, 0, 1, 1).unwrap();
        assert_eq!(tail.entries.len(), 2);
        assert_eq!(tail.valid_end, full as u64);

        // Zeros after a power loss are a torn tail too.
        let mut zeros = bytes[..full].to_vec();
        zeros.extend([0u8; 64]);
        zeros.push(b'\n');
        let tail = parse(Path::new("j"), &zeros, 0, 1, 1).unwrap();
        assert_eq!((tail.entries.len(), tail.valid_end), (2, full as u64));
    }

    #[test]
    fn damage_before_good_entries_is_corruption() {
        let mut bytes = encode(1, 0, &[op("a")]).unwrap();
        let mut bad = encode(2, 0, &[op("b")]).unwrap();
        let i = bad.len() - 5;
        bad[i] = b'x';
        bytes.extend(bad);
        bytes.extend(encode(3, 0, &[op("c")]).unwrap());
        let err = parse(Path::new("journal-1.jsonl"), &bytes, 0, 1, 1).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("journal-1.jsonl:2:1: journal entry is damaged"),
            "{err}"
        );
    }
}
