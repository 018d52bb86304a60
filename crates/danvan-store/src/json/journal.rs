//! The journal: an append-only file of committed batches, one checksummed JSON line each.
//!
//! ```text
//! {"seq":42,"at":1764000000000,"by":"portal","why":"typo","sum":2882343476,"ops":[{"op":"update","kind":"model","record":{…}}]}
//! ```
//!
//! `seq` is the store revision the batch commits, `at` its time (milliseconds since 1970), `by`
//! and `why` who made it and why (`why` only when given); `sum` is the CRC-32 of all of them and
//! the exact bytes of `ops` (`42:1764000000000:"portal":"typo":[…]`), so a flipped byte anywhere
//! in the line is found. Each op says whether it created, updated or deleted its record. (Lines
//! written before format 3 carry `crc32`, over `ops` alone, and `put` for both kinds of write;
//! they are read as they are.) A
//! write is acknowledged only after its line is appended and `fdatasync`ed, newline included.
//! A crash can leave a torn last line — bytes without their newline (partial, or zeros after a
//! power loss); reading stops before it and the next writer truncates it. A complete
//! (newline-terminated) line that does not decode was acknowledged once and has been damaged
//! since: that is reported as damage with its line, never dropped as torn.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::engine::effect::{Commit as Entry, Effect};
use crate::error::{StoreError, io_err};

#[derive(Deserialize)]
struct Line<'a> {
    seq: u64,
    /// When the batch was written (milliseconds since 1970).
    at: u64,
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    why: Option<String>,
    #[serde(default)]
    sum: Option<u32>,
    #[serde(default)]
    crc32: Option<u32>,
    #[serde(borrow)]
    ops: &'a RawValue,
}

impl Line<'_> {
    /// Whether the line's checksum holds.
    fn checks(&self) -> bool {
        match (self.sum, self.crc32) {
            (Some(sum), _) => {
                line_sum(
                    self.seq,
                    self.at,
                    self.by.as_deref(),
                    self.why.as_deref(),
                    self.ops.get(),
                ) == sum
            }
            (None, Some(crc)) => crc32fast::hash(self.ops.get().as_bytes()) == crc,
            (None, None) => false,
        }
    }
}

/// The checksum of an entry: CRC-32 of `seq:at:by:why:ops`, `by` and `why` as JSON (`null`
/// when absent).
fn line_sum(seq: u64, at: u64, by: Option<&str>, why: Option<&str>, ops: &str) -> u32 {
    let json = |v: Option<&str>| serde_json::to_string(&v).unwrap_or_default();
    let mut h = crc32fast::Hasher::new();
    h.update(format!("{seq}:{at}:{}:{}:", json(by), json(why)).as_bytes());
    h.update(ops.as_bytes());
    h.finalize()
}

/// Encodes an entry as its journal line, newline included.
pub(crate) fn encode(
    seq: u64,
    at_ms: u64,
    author: &crate::api::Author,
    ops: &[Effect],
) -> Result<Vec<u8>, serde_json::Error> {
    let ops_json = serde_json::to_string(ops)?;
    let why = author.reason.as_deref();
    let sum = line_sum(seq, at_ms, Some(&author.actor), why, &ops_json);
    let by = serde_json::to_string(&author.actor)?;
    let why = match why {
        Some(w) => format!(",\"why\":{}", serde_json::to_string(w)?),
        None => String::new(),
    };
    Ok(format!(
        "{{\"seq\":{seq},\"at\":{at_ms},\"by\":{by}{why},\"sum\":{sum},\"ops\":{ops_json}}}\n"
    )
    .into_bytes())
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
    hasher: &mut crc32fast::Hasher,
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
    let tail = parse(path, &bytes, offset, first_line, next_seq)?;
    hasher.update(&bytes[..(tail.valid_end - offset) as usize]);
    Ok(tail)
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
            Err(_) if is_unwritten_tail(&bytes[pos..]) => break,
            Err(reason) => {
                // The line has its newline: it was written whole and acknowledged.
                let later = bytes[pos + nl + 1..]
                    .split(|b| *b == b'\n')
                    .filter(|l| decode_any(l).is_some_and(|seq| seq >= expected))
                    .count();
                return Err(StoreError::Damaged {
                    at: path.to_path_buf().into(),
                    line: line_no,
                    message: format!(
                        "the journal entry of revision {expected} is damaged ({reason}){}; restore the file from a backup",
                        if later > 0 {
                            format!(" and {later} later entries depend on it")
                        } else {
                            String::new()
                        }
                    ),
                });
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

/// One line's header and its ops as written, when the line decodes and its checksum holds:
/// (seq, at, author, ops). For readers that want only some of the ops (a record's history).
pub(crate) fn checked_line(line: &[u8]) -> Option<(u64, u64, crate::api::Author, &RawValue)> {
    let text = std::str::from_utf8(line).ok()?;
    let l: Line<'_> = serde_json::from_str(text).ok()?;
    if !l.checks() {
        return None;
    }
    let author =
        crate::api::Author::new(l.by.unwrap_or_else(|| "unrecorded".into())).with_reason(l.why);
    Some((l.seq, l.at, author, l.ops))
}

fn decode(line: &[u8], expected_seq: u64) -> Result<Entry, String> {
    let text = std::str::from_utf8(line).map_err(|_| "not UTF-8".to_string())?;
    let l: Line<'_> = serde_json::from_str(text).map_err(|e| format!("not an entry: {e}"))?;
    if !l.checks() {
        return Err("checksum mismatch".to_string());
    }
    if l.seq != expected_seq {
        return Err(format!(
            "sequence {} where {expected_seq} was expected",
            l.seq
        ));
    }
    let ops: Vec<Effect> =
        serde_json::from_str(l.ops.get()).map_err(|e| format!("bad operation: {e}"))?;
    let author =
        crate::api::Author::new(l.by.unwrap_or_else(|| "unrecorded".into())).with_reason(l.why);
    Ok(Entry {
        seq: l.seq,
        at: l.at,
        author,
        ops,
    })
}

/// Whether `rest`, from a line that did not decode to the end of the file, is what a power loss
/// leaves of an append: blocks the file system never wrote read back as zeros, so the line
/// starts with a NUL byte, and it is the last line. A flipped bit never makes the `{` an entry
/// starts with into NUL.
fn is_unwritten_tail(rest: &[u8]) -> bool {
    let Some(nl) = memchr::memchr(b'\n', rest) else {
        return true;
    };
    rest.first() == Some(&0)
        && rest[nl + 1..]
            .iter()
            .all(|b| *b == 0 || b.is_ascii_whitespace())
}

/// The seq of a line that is a well-formed, checksum-valid entry, whatever its seq.
fn decode_any(line: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(line).ok()?;
    let l: Line<'_> = serde_json::from_str(text).ok()?;
    l.checks().then_some(l.seq)
}

/// One complete line of a journal, as [`scan`] found it.
#[derive(Debug, Clone)]
pub(crate) struct ScannedLine {
    /// 1-based.
    pub(crate) number: usize,
    /// The entry's revision, when the line is a well-formed entry whose checksum holds.
    pub(crate) seq: Option<u64>,
    /// The line, newline included.
    pub(crate) bytes: Vec<u8>,
}

/// Every complete line of the journal at `path` (`None` when there is no file), whatever its
/// order, and whether a torn tail (an unterminated last line) follows them.
pub(crate) fn scan(path: &Path) -> Result<Option<(Vec<ScannedLine>, bool)>, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err(path)(e)),
    };
    let mut lines = Vec::new();
    let mut pos = 0;
    while let Some(nl) = memchr::memchr(b'\n', &bytes[pos..]) {
        let line = &bytes[pos..pos + nl];
        lines.push(ScannedLine {
            number: lines.len() + 1,
            seq: decode_any(line),
            bytes: bytes[pos..=pos + nl].to_vec(),
        });
        pos += nl + 1;
    }
    Ok(Some((lines, pos < bytes.len())))
}

/// The ops of a line [`scan`] found good.
pub(crate) fn ops_of(line: &[u8]) -> Option<Vec<Effect>> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let (_, _, _, ops) = checked_line(line)?;
    serde_json::from_str(ops.get()).ok()
}

/// A journal line for revision `seq` that changes nothing, written by `danvan repair` in place
/// of an entry that no file holds any more, so that revisions stay gap-free and are never
/// given out twice; `why` says what was lost.
pub(crate) fn placeholder(seq: u64, at_ms: u64, why: &str) -> Vec<u8> {
    let author = crate::api::Author::new("danvan repair").with_reason(Some(why));
    encode(seq, at_ms, &author, &[]).unwrap_or_default()
}

/// The first entry's seq in the journal at `path`, if it has a good first line.
pub(crate) fn first_seq(path: &Path) -> Option<u64> {
    // Only the first line: the feed asks this of every journal it holds, some of 16 MiB.
    let mut line = Vec::new();
    std::io::BufRead::read_until(
        &mut std::io::BufReader::new(File::open(path).ok()?),
        b'\n',
        &mut line,
    )
    .ok()?;
    line.pop().filter(|b| *b == b'\n')?;
    decode_any(&line)
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
    use danvan_core::id::RecordId;
    use danvan_core::record_kind::RecordKind;

    fn op(id: &str) -> Effect {
        Effect::Delete {
            kind: RecordKind::Model,
            id: RecordId::new(id).unwrap(),
            province: None,
        }
    }

    #[test]
    fn reads_back_what_it_wrote_and_drops_a_torn_tail() {
        let mut bytes = encode(1, 0, &crate::api::Author::default(), &[op("a")]).unwrap();
        bytes.extend(encode(2, 0, &crate::api::Author::default(), &[op("b"), op("c")]).unwrap());
        let full = bytes.len();
        bytes.extend(&encode(3, 0, &crate::api::Author::default(), &[op("d")]).unwrap()[..20]);
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
    fn a_complete_last_line_that_fails_its_checksum_is_damage() {
        let good = encode(1, 0, &crate::api::Author::default(), &[op("a")]).unwrap();
        let last = encode(2, 0, &crate::api::Author::default(), &[op("b")]).unwrap();
        // Flip a byte at each kind of position: the seq, the checksum, the operations, the
        // closing brace.
        for at in [8, 30, last.len() - 8, last.len() - 2] {
            let mut bytes = good.clone();
            let mut bad = last.clone();
            bad[at] ^= 0x01;
            bytes.extend(&bad);
            let err = parse(Path::new("journal-1.jsonl"), &bytes, 0, 1, 1).unwrap_err();
            assert!(
                matches!(err, StoreError::Damaged { line: 2, .. }),
                "byte {at}: {err}"
            );
        }
        // Without its newline the same bytes are a write that did not finish.
        let mut bytes = good.clone();
        bytes.extend(&last[..last.len() - 1]);
        let tail = parse(Path::new("journal-1.jsonl"), &bytes, 0, 1, 1).unwrap();
        assert_eq!(tail.entries.len(), 1);
    }

    #[test]
    fn lines_of_format_2_are_read_with_their_own_checksum() {
        let ops = serde_json::to_string(&[op("a")]).unwrap();
        let crc = crc32fast::hash(ops.as_bytes());
        let line = format!("{{\"seq\":1,\"at\":5,\"crc32\":{crc},\"ops\":{ops}}}\n");
        let tail = parse(Path::new("j"), line.as_bytes(), 0, 1, 1).unwrap();
        assert_eq!(tail.entries.len(), 1);
        let bad = line.replace(&format!("{crc}"), &format!("{}", crc ^ 1));
        assert!(parse(Path::new("j"), bad.as_bytes(), 0, 1, 1).is_err());
    }

    #[test]
    fn damage_before_good_entries_is_corruption() {
        let mut bytes = encode(1, 0, &crate::api::Author::default(), &[op("a")]).unwrap();
        let mut bad = encode(2, 0, &crate::api::Author::default(), &[op("b")]).unwrap();
        let i = bad.len() - 5;
        bad[i] = b'x';
        bytes.extend(bad);
        bytes.extend(encode(3, 0, &crate::api::Author::default(), &[op("c")]).unwrap());
        let err = parse(Path::new("journal-1.jsonl"), &bytes, 0, 1, 1).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("journal-1.jsonl:2: the journal entry of revision 2 is damaged"),
            "{err}"
        );
    }
}
