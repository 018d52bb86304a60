//! The effects of a committed batch, one per record: what every backend applies, records in
//! its log, and feeds to followers.

use danvan_core::dataset::AnyRecord;
use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use serde::{Deserialize, Serialize};

/// What a committed batch does to one record: its serde form is a journal line's op.
// Short-lived like `Op`, which it is planned from.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(crate) enum Effect {
    /// A new record; its revision is the entry's `seq`.
    Create(AnyRecord),
    /// A record's new content.
    Update(AnyRecord),
    /// A record's content, created or updated (format 2 journals).
    Put(AnyRecord),
    /// The record is gone.
    Delete {
        /// Its kind.
        kind: RecordKind,
        /// Its ID.
        id: RecordId,
        /// The province it named (as recorded), so that the tombstone can be given to those
        /// who may read that province's records; absent for a central record, and in what was
        /// written before danvan recorded it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        province: Option<String>,
    },
}

/// One committed batch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Commit {
    pub(crate) seq: u64,
    /// Milliseconds since 1970.
    pub(crate) at: u64,
    pub(crate) author: crate::api::Author,
    pub(crate) ops: Vec<Effect>,
}
