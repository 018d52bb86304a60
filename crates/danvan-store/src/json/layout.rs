//! Where things live in a store directory, and the small files that describe it.
//!
//! ```text
//! <store>/
//!   danvan-store.json              manifest: {"format": "danvan-store", "version": 3}
//!   checkpoint.json                {"generation": G, "revision": R, "shards": {…}}: the shards
//!                                  hold revision R; each is listed with its CRC-32 and count
//!   checkpoint.next.json           only during a compaction: the checkpoint it will commit
//!   journal-G.jsonl                writes after R, one checksummed line per batch
//!   records/<kind>/<province>/<year>.json
//!                                  shards: pretty JSON, records sorted by ID
//!   lock                           empty; holds the OS file locks
//!   backups/                       copies made before a migration
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use danvan_core::dataset::RecordRef;
use danvan_core::record_kind::RecordKind;
use serde::{Deserialize, Serialize};

use chrono::Datelike;

/// The manifest's file name.
pub(crate) const MANIFEST: &str = "danvan-store.json";
/// The checkpoint's file name.
pub(crate) const CHECKPOINT: &str = "checkpoint.json";
/// The checkpoint a compaction is about to commit, written before it replaces any shard.
pub(crate) const PENDING: &str = "checkpoint.next.json";
/// The lock file's name.
pub(crate) const LOCK: &str = "lock";
/// The directory of shards.
pub(crate) const RECORDS: &str = "records";
/// The optional correction of the boards' 2025 renaming dates (see `danvan_core::board`).
pub(crate) const BOARDS: &str = "boards.json";
/// The directory of migration backups.
pub(crate) const BACKUPS: &str = "backups";
/// The format name in the manifest.
pub(crate) const FORMAT_NAME: &str = "danvan-store";
/// The format this build writes.
pub const FORMAT_VERSION: u32 = 3;
/// Shard directory for records with no province (central documents, national figures).
pub(crate) const NATIONAL: &str = "_national";
/// Shard file stem for records with no date.
pub(crate) const UNDATED: &str = "_undated";

/// The manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub(crate) format: String,
    pub(crate) version: u32,
}

/// What the shards hold and which journal follows them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Checkpoint {
    /// Names the journal file that continues from the shards.
    pub(crate) generation: u64,
    /// The store revision the shards were written at.
    pub(crate) revision: u64,
    /// Every shard file, by its path under the store (`records/models/thai-nguyen/2024.json`):
    /// a missing, extra or altered file is damage, found at open.
    #[serde(default)]
    pub(crate) shards: BTreeMap<String, ShardSum>,
    /// CRC-32 of the fields above ([`Checkpoint::content_sum`]), so that a checkpoint changed
    /// on disk (a digit of its revision) is found as the checkpoint's damage, not blamed on the
    /// journal it points at. Absent in checkpoints written before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) sum: Option<u32>,
}

impl Checkpoint {
    /// The CRC-32 of the generation, revision and shards, as JSON.
    pub(crate) fn content_sum(&self) -> u32 {
        let json =
            serde_json::to_vec(&(self.generation, self.revision, &self.shards)).unwrap_or_default();
        crc32fast::hash(&json)
    }

    /// This checkpoint with its checksum, as it is written.
    pub(crate) fn sealed(mut self) -> Checkpoint {
        self.sum = Some(self.content_sum());
        self
    }

    /// Whether its checksum holds (a checkpoint written before checksums were kept has none
    /// to fail).
    pub(crate) fn holds(&self) -> bool {
        self.sum.is_none_or(|s| s == self.content_sum())
    }
}

/// What a shard file held when it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShardSum {
    /// CRC-32 of the file's bytes.
    pub(crate) crc32: u32,
    /// How many records it holds.
    pub(crate) records: usize,
}

/// A shard's name in the checkpoint: its path under `root`, with `/` separators.
pub(crate) fn shard_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The journal file of `generation`.
pub(crate) fn journal_path(root: &Path, generation: u64) -> PathBuf {
    root.join(format!("journal-{generation}.jsonl"))
}

/// Which shard a record lives in: kind, province (as recorded), and year.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ShardKey {
    pub(crate) kind: RecordKind,
    pub(crate) province: String,
    pub(crate) year: Option<i32>,
}

impl ShardKey {
    /// The shard of `record`.
    pub(crate) fn of(record: RecordRef<'_>) -> ShardKey {
        ShardKey {
            kind: record.kind(),
            // Validation only lets registry slugs in, but a hand-edited file could hold anything:
            // never let a record's text choose a path outside the store.
            province: match record.province().map(|p| p.as_str()) {
                None => NATIONAL.to_string(),
                Some(s)
                    if !s.is_empty()
                        && s.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') =>
                {
                    s.to_string()
                }
                Some(_) => "_unknown".to_string(),
            },
            year: record.date().map(|d| d.year()),
        }
    }

    /// The shard file's path under `root`.
    pub(crate) fn path(&self, root: &Path) -> PathBuf {
        let year = self
            .year
            .map_or_else(|| UNDATED.to_string(), |y| y.to_string());
        root.join(RECORDS)
            .join(self.kind.plural())
            .join(&self.province)
            .join(format!("{year}.json"))
    }
}

/// The record kind whose shards live in directory `name` (`conferences`).
pub(crate) fn kind_of_dir(name: &str) -> Option<RecordKind> {
    RecordKind::ALL.into_iter().find(|k| k.plural() == name)
}
