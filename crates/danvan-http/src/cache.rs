//! Records as JSON bytes, kept by revision so that a read answers without serialising again.
//!
//! A record's JSON depends only on its content, and its content only on its kind, ID and
//! revision: the store gives every write a new revision and never reuses one (see the store's
//! contract). So an entry keyed by kind and ID holds the bytes together with the revision they
//! were made from, and is used only when the store's current revision of the record is that
//! same revision — a stale entry is never served, it is replaced.
//!
//! The cache is bounded in bytes ([`Config::record_cache_mib`](crate::Config)); it is split in
//! shards, each with its own lock and an equal share of the bound. A shard that would pass its
//! share is emptied and starts again: simple, no per-entry bookkeeping on reads, and a record read
//! often comes back at the next read. A bound of 0 turns the cache off.

use std::hash::BuildHasher as _;
use std::sync::Mutex;

use axum::body::Bytes;
use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use rustc_hash::FxHashMap;

/// How many shards: enough that two worker threads seldom meet on one lock.
const SHARDS: usize = 16;

/// Serialised records, by kind and ID, with the revision each was made from.
pub(crate) struct RecordCache {
    shards: Vec<Mutex<Shard>>,
    /// Each shard's share of the bound, in bytes.
    shard_bytes: usize,
}

#[derive(Default)]
struct Shard {
    /// Per kind (in [`RecordKind::ALL`] order): ID → (revision, JSON).
    entries: [FxHashMap<RecordId, (u64, Bytes)>; 5],
    bytes: usize,
}

impl RecordCache {
    /// A cache holding at most `bytes` of JSON (0: none).
    pub(crate) fn new(bytes: usize) -> RecordCache {
        RecordCache {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            shard_bytes: bytes / SHARDS,
        }
    }

    fn shard(&self, id: &str) -> &Mutex<Shard> {
        let h = rustc_hash::FxBuildHasher.hash_one(id);
        // The high bits: the map inside the shard uses the low ones.
        &self.shards[(h >> 59) as usize % SHARDS]
    }

    /// The JSON of `kind`/`id` at `revision`, if it is kept.
    pub(crate) fn get(&self, kind: RecordKind, id: &str, revision: u64) -> Option<Bytes> {
        if self.shard_bytes == 0 {
            return None;
        }
        let shard = self.shard(id).lock().unwrap_or_else(|e| e.into_inner());
        match shard.entries[slot(kind)].get(id) {
            Some((r, bytes)) if *r == revision => Some(bytes.clone()),
            _ => None,
        }
    }

    /// Keeps the JSON of `kind`/`id` at `revision`, replacing what was kept for it.
    pub(crate) fn put(&self, kind: RecordKind, id: &RecordId, revision: u64, bytes: Bytes) {
        let size = bytes.len() + id.as_str().len();
        if size > self.shard_bytes {
            return;
        }
        let mut shard = self
            .shard(id.as_str())
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if shard.bytes + size > self.shard_bytes {
            *shard = Shard::default();
        }
        let old = shard.entries[slot(kind)].insert(id.clone(), (revision, bytes));
        shard.bytes += size;
        if let Some((_, old)) = old {
            shard.bytes -= old.len() + id.as_str().len();
        }
    }
}

fn slot(kind: RecordKind) -> usize {
    RecordKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> RecordId {
        RecordId::new(s).unwrap()
    }

    #[test]
    fn an_entry_is_served_only_at_its_revision() {
        let cache = RecordCache::new(1 << 20);
        cache.put(
            RecordKind::Model,
            &id("m-1"),
            7,
            Bytes::from_static(b"{\"a\":1}"),
        );
        assert_eq!(
            cache.get(RecordKind::Model, "m-1", 7).as_deref(),
            Some(&b"{\"a\":1}"[..])
        );
        assert_eq!(cache.get(RecordKind::Model, "m-1", 8), None);
        assert_eq!(cache.get(RecordKind::Conference, "m-1", 7), None);
        cache.put(
            RecordKind::Model,
            &id("m-1"),
            8,
            Bytes::from_static(b"{\"a\":2}"),
        );
        assert_eq!(cache.get(RecordKind::Model, "m-1", 7), None);
        assert_eq!(
            cache.get(RecordKind::Model, "m-1", 8).as_deref(),
            Some(&b"{\"a\":2}"[..])
        );
    }

    #[test]
    fn the_bound_holds() {
        let cache = RecordCache::new(SHARDS * 1000);
        for i in 0..10_000 {
            cache.put(
                RecordKind::Observation,
                &id(&format!("o-{i}")),
                1,
                Bytes::from(vec![b'x'; 90]),
            );
        }
        for shard in &cache.shards {
            let shard = shard.lock().unwrap();
            let counted: usize = shard
                .entries
                .iter()
                .flat_map(|m| m.iter())
                .map(|(k, (_, b))| k.as_str().len() + b.len())
                .sum();
            assert_eq!(counted, shard.bytes);
            assert!(shard.bytes <= 1000, "{}", shard.bytes);
        }
        // The latest entries are still there.
        assert!(cache.get(RecordKind::Observation, "o-9999", 1).is_some());
    }

    #[test]
    fn a_zero_bound_keeps_nothing() {
        let cache = RecordCache::new(0);
        cache.put(RecordKind::Model, &id("m-1"), 1, Bytes::from_static(b"{}"));
        assert_eq!(cache.get(RecordKind::Model, "m-1", 1), None);
    }
}
