//! Answers kept as bytes, by the revision they were made at, so that a read answers without
//! serialising again: records (`RecordCache`) and list pages (`PageCache`); and values
//! kept by the store's revision for a front end beside the API ([`Kept`]: the web app's
//! dashboards).
//!
//! A record's JSON depends only on its content, and its content only on its kind, ID and
//! revision: the store gives every write a new revision and never reuses one (see the store's
//! contract). So an entry keyed by kind and ID holds the bytes together with the revision they
//! were made from, and is used only when the store's current revision of the record is that
//! same revision — a stale entry is never served, it is replaced. A page depends only on its
//! path and query and on the store as a whole, so a page is kept with the store's revision and
//! served only while the store is at that revision: any write makes every kept page stale.
//!
//! Both are bounded in bytes ([`Config::record_cache_mib`](crate::Config),
//! [`Config::page_cache_mib`](crate::Config)) and split in shards, each with its own lock and an
//! equal share of the bound. A shard that would pass its share drops its oldest entries first
//! (first in, first out, `Fifo`): no bookkeeping on reads, and with more to keep than the bound
//! the share of reads answered from the cache stays near the share it can hold. A bound of 0
//! turns a cache off.

use std::borrow::Borrow;
use std::collections::VecDeque;
use std::hash::{BuildHasher as _, Hash};
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::HeaderValue;
use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use rustc_hash::FxHashMap;

/// How many shards: enough that two worker threads seldom meet on one lock.
const SHARDS: usize = 16;

/// What one line of a [`Fifo`]'s order costs beside its key, counted in the bound.
const ORDER_COST: usize = 48;

/// Entries bounded in bytes, the oldest dropped first.
struct Fifo<K, V> {
    entries: FxHashMap<K, Slot<V>>,
    /// What was put, oldest first: (key, the put's number, the key's size). An entry replaced
    /// since leaves its old line here, to be skipped when it comes to the front.
    order: VecDeque<(K, u64, usize)>,
    /// The number of the next put.
    puts: u64,
    /// The entries' sizes and the order's lines.
    bytes: usize,
    bound: usize,
}

struct Slot<V> {
    value: V,
    /// The number of the put that made it.
    put: u64,
    /// What it counts in the bound.
    size: usize,
}

impl<K: Hash + Eq + Clone, V> Fifo<K, V> {
    fn new(bound: usize) -> Fifo<K, V> {
        Fifo {
            entries: FxHashMap::default(),
            order: VecDeque::new(),
            puts: 0,
            bytes: 0,
            bound,
        }
    }

    fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.entries.get(key).map(|s| &s.value)
    }

    /// Keeps `value` under `key`, replacing what was kept; `size` is the value's bytes and
    /// `key_size` the key's. Nothing is kept that alone would pass the bound.
    fn put(&mut self, key: K, key_size: usize, value: V, size: usize) {
        let size = size + key_size;
        let line = key_size + ORDER_COST;
        if size + line > self.bound {
            return;
        }
        if let Some(old) = self.entries.remove(&key) {
            self.bytes -= old.size;
        }
        while self.bytes + size + line > self.bound {
            let Some((old, put, key_size)) = self.order.pop_front() else {
                break;
            };
            self.bytes -= key_size + ORDER_COST;
            if self.entries.get(&old).is_some_and(|s| s.put == put)
                && let Some(s) = self.entries.remove(&old)
            {
                self.bytes -= s.size;
            }
        }
        let put = self.puts;
        self.puts += 1;
        self.bytes += size + line;
        self.order.push_back((key.clone(), put, key_size));
        self.entries.insert(key, Slot { value, put, size });
    }
}

/// Shards of [`Fifo`]s, each with an equal share of a bound, chosen by the key's hash.
struct Sharded<K, V> {
    shards: Vec<Mutex<Fifo<K, V>>>,
}

impl<K: Hash + Eq + Clone, V> Sharded<K, V> {
    fn new(bytes: usize) -> Sharded<K, V> {
        Sharded {
            shards: (0..SHARDS)
                .map(|_| Mutex::new(Fifo::new(bytes / SHARDS)))
                .collect(),
        }
    }

    fn off(&self) -> bool {
        self.shards[0]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .bound
            == 0
    }

    fn shard<Q: Hash + ?Sized>(&self, key: &Q) -> std::sync::MutexGuard<'_, Fifo<K, V>> {
        let h = rustc_hash::FxBuildHasher.hash_one(key);
        // The high bits: the map inside the shard uses the low ones.
        self.shards[(h >> 59) as usize % SHARDS]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }
}

/// Serialised records, by ID, with the kind and revision each was made from.
pub(crate) struct RecordCache {
    fifo: Sharded<RecordId, RecordEntry>,
    off: bool,
}

struct RecordEntry {
    kind: RecordKind,
    revision: u64,
    json: Bytes,
}

impl RecordCache {
    /// A cache holding at most `bytes` of JSON (0: none).
    pub(crate) fn new(bytes: usize) -> RecordCache {
        let fifo = Sharded::new(bytes);
        let off = fifo.off();
        RecordCache { fifo, off }
    }

    /// The JSON of `kind`/`id` at `revision`, if it is kept.
    pub(crate) fn get(&self, kind: RecordKind, id: &str, revision: u64) -> Option<Bytes> {
        if self.off {
            return None;
        }
        match self.fifo.shard(id).get(id) {
            Some(e) if e.kind == kind && e.revision == revision => Some(e.json.clone()),
            _ => None,
        }
    }

    /// Keeps the JSON of `kind`/`id` at `revision`, replacing what was kept for it.
    pub(crate) fn put(&self, kind: RecordKind, id: &RecordId, revision: u64, json: Bytes) {
        if self.off {
            return;
        }
        let size = json.len();
        let entry = RecordEntry {
            kind,
            revision,
            json,
        };
        self.fifo
            .shard(id.as_str())
            .put(id.clone(), id.as_str().len(), entry, size);
    }
}

/// A list page as answered: its body and its `Link` to the next page.
#[derive(Clone)]
pub(crate) struct Page {
    pub(crate) body: Bytes,
    pub(crate) link: Option<HeaderValue>,
}

/// Values by key, each with the store revision it was made at and served only at that
/// revision, bounded in bytes: the API's list pages (`PageCache`) and the web app's
/// dashboards. Any write to the store makes every kept value stale.
pub struct Kept<V> {
    fifo: Sharded<Box<str>, (u64, V)>,
    off: bool,
}

impl<V: Clone> Kept<V> {
    /// Keeping at most `bytes` of values, as their sizes are given (0: none).
    pub fn new(bytes: usize) -> Kept<V> {
        let fifo = Sharded::new(bytes);
        let off = fifo.off();
        Kept { fifo, off }
    }

    /// Whether it keeps nothing (a bound of 0).
    pub fn is_off(&self) -> bool {
        self.off
    }

    /// The value kept under `key` for `revision`, if there is one.
    pub fn get(&self, key: &str, revision: u64) -> Option<V> {
        if self.off {
            return None;
        }
        match self.fifo.shard(key).get(key) {
            Some((r, value)) if *r == revision => Some(value.clone()),
            _ => None,
        }
    }

    /// Keeps `value`, made at `revision` and counting `size` bytes, under `key`.
    pub fn put(&self, key: &str, revision: u64, value: V, size: usize) {
        if self.off {
            return;
        }
        self.fifo
            .shard(key)
            .put(key.into(), key.len(), (revision, value), size);
    }
}

/// List pages, by path and query, with the store revision each was made at.
pub(crate) struct PageCache(Kept<Page>);

impl PageCache {
    /// A cache holding at most `bytes` of pages (0: none).
    pub(crate) fn new(bytes: usize) -> PageCache {
        PageCache(Kept::new(bytes))
    }

    /// Whether it keeps nothing (a bound of 0).
    pub(crate) fn is_off(&self) -> bool {
        self.0.is_off()
    }

    /// The page `path_and_query` answered at `revision`, if it is kept.
    pub(crate) fn get(&self, path_and_query: &str, revision: u64) -> Option<Page> {
        self.0.get(path_and_query, revision)
    }

    /// Keeps the page `path_and_query` answered at `revision`.
    pub(crate) fn put(&self, path_and_query: &str, revision: u64, page: Page) {
        let size = page.body.len() + page.link.as_ref().map_or(0, HeaderValue::len);
        self.0.put(path_and_query, revision, page, size);
    }
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
        for shard in &cache.fifo.shards {
            let shard = shard.lock().unwrap();
            let counted: usize = shard
                .entries
                .iter()
                .map(|(k, s)| k.as_str().len() + s.value.json.len())
                .sum::<usize>()
                + shard
                    .order
                    .iter()
                    .map(|(k, _, _)| k.as_str().len() + ORDER_COST)
                    .sum::<usize>();
            assert_eq!(counted, shard.bytes);
            assert!(shard.bytes <= 1000, "{}", shard.bytes);
        }
        // The latest entries are still there.
        assert!(cache.get(RecordKind::Observation, "o-9999", 1).is_some());
    }

    /// A store twice the bound: the newest half stays, so reads spread over the store are
    /// answered from the cache about as often as the bound allows (emptying a full shard kept a
    /// quarter on average).
    #[test]
    fn the_oldest_entries_go_first() {
        let entry = 90 + 2 * "o-0000".len() + ORDER_COST;
        let cache = RecordCache::new(SHARDS * entry * 5_000 / SHARDS);
        let ids: Vec<RecordId> = (0..10_000).map(|i| id(&format!("o-{i:04}"))).collect();
        for i in &ids {
            cache.put(RecordKind::Observation, i, 1, Bytes::from(vec![b'x'; 90]));
        }
        let kept = |range: &[RecordId]| {
            range
                .iter()
                .filter(|i| cache.get(RecordKind::Observation, i.as_str(), 1).is_some())
                .count()
        };
        let all = kept(&ids);
        assert!((4_000..=5_000).contains(&all), "{all} of 10,000 kept");
        let newest = kept(&ids[7_000..]);
        assert!(newest >= 2_900, "{newest} of the newest 3,000 kept");
        assert!(kept(&ids[..2_000]) <= 100);
    }

    /// A record written again and again keeps one entry, its latest, within the bound; the
    /// lines its earlier versions left in the order never drop the latest.
    #[test]
    fn a_record_replaced_again_and_again_stays_at_its_latest() {
        let cache = RecordCache::new(SHARDS * 2_000);
        for revision in 1..=5_000 {
            cache.put(
                RecordKind::Model,
                &id("m-1"),
                revision,
                Bytes::from(vec![b'x'; 100]),
            );
            assert!(cache.get(RecordKind::Model, "m-1", revision).is_some());
            assert!(cache.get(RecordKind::Model, "m-1", revision - 1).is_none());
        }
        for shard in &cache.fifo.shards {
            let shard = shard.lock().unwrap();
            assert!(shard.bytes <= 2_000, "{}", shard.bytes);
            assert!(shard.order.len() <= 2_000 / ORDER_COST);
        }
    }

    #[test]
    fn a_zero_bound_keeps_nothing() {
        let cache = RecordCache::new(0);
        cache.put(RecordKind::Model, &id("m-1"), 1, Bytes::from_static(b"{}"));
        assert_eq!(cache.get(RecordKind::Model, "m-1", 1), None);
        let pages = PageCache::new(0);
        pages.put("/v1/models?limit=1", 1, page("{}"));
        assert!(pages.get("/v1/models?limit=1", 1).is_none());
    }

    fn page(body: &'static str) -> Page {
        Page {
            body: Bytes::from_static(body.as_bytes()),
            link: None,
        }
    }

    /// A page is served only at the store revision it was made at, under its own path and
    /// query.
    #[test]
    fn a_page_is_served_only_at_its_revision() {
        let pages = PageCache::new(1 << 20);
        let path = "/v1/conferences?province=thai-nguyen&period=2025&limit=20";
        pages.put(path, 41, page("{\"items\":[]}"));
        assert_eq!(
            pages.get(path, 41).map(|p| p.body),
            Some(Bytes::from_static(b"{\"items\":[]}"))
        );
        assert!(pages.get(path, 42).is_none());
        assert!(
            pages
                .get("/v1/conferences?province=thai-nguyen&period=2025", 41)
                .is_none()
        );
        pages.put(path, 42, page("{}"));
        assert!(pages.get(path, 41).is_none());
        assert_eq!(
            pages.get(path, 42).map(|p| p.body),
            Some(Bytes::from_static(b"{}"))
        );
    }
}
