//! The in-memory state of an open store: every record, and the indexes queries use.
//!
//! Records live in one row table, each allocated at its own size (a `Vec<AnyRecord>` would
//! give every observation the size of a conference) behind an `Arc`, so that a copy of the
//! state shares them. Indexes hold row numbers:
//!
//! * IDs: `(kind, id)` → row.
//! * Provinces: for each province slug as recorded, and for each unit on the current map
//!   (Bắc Kạn's records under Thái Nguyên), the set of rows.
//! * References: for each record, the records that refer to it (for refusing or cascading
//!   deletes).
//! * Text: one buffer of every record's folded search fields ([`search_key`]); a query scans it
//!   with a SIMD substring search, so it needs no word index.
//!
//! Per-row [`Meta`] keeps what filters read (dates, span, tags) without touching the record.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use chrono::{Datelike, NaiveDate};
use danvan_core::dataset::{AnyRecord, RecordRef};
use danvan_core::id::RecordId;
use danvan_core::indicator::{IndicatorDefinition, Observation, builtin};
use danvan_core::model::ModelField;
use danvan_core::period::Window;
use danvan_core::province::registry;
use danvan_core::record_kind::RecordKind;
use danvan_core::text::{mark, push_search_key_marked};
use danvan_core::unit::{Unit, registry_slug};

/// A record's key: kind and ID.
pub(crate) type Key = (RecordKind, RecordId);

/// A record, allocated at its own size and shared: a copy of the state (a large batch is
/// applied to one while readers keep the state before it) copies the indexes, not the records;
/// [`Store::visit_shared`](crate::Store::visit_shared) lends it as it is held.
pub(crate) type Rec = crate::SharedRecord;

/// A stored record and the revision that wrote it.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) revision: u64,
    pub(crate) rec: Rec,
}

/// No value, for the integer fields of [`Meta`].
pub(crate) const NONE: i32 = i32::MIN;
const NO_PROVINCE: u16 = u16::MAX;
const NO_SEGMENT: u32 = u32::MAX;

/// What filters read, per row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Meta {
    /// Interned slug as recorded.
    pub(crate) recorded: u16,
    /// Interned slug of the current-map unit.
    pub(crate) current: u16,
    /// The record's date as days from the common era, or [`NONE`].
    pub(crate) date: i32,
    /// Calendar span, first and last day, or [`NONE`].
    pub(crate) start: i32,
    pub(crate) end: i32,
    /// A conference's kinds or a model's field, one bit each by their `index` (see
    /// [`conference_tag`], [`field_tag`]).
    pub(crate) tags: u16,
    /// The row's live text segment.
    pub(crate) segment: u32,
    /// The record's kind, as [`kind_index`]; read by filters without touching the record.
    pub(crate) kind: u8,
}

impl Default for Meta {
    fn default() -> Self {
        Meta {
            recorded: NO_PROVINCE,
            current: NO_PROVINCE,
            date: NONE,
            start: NONE,
            end: NONE,
            tags: 0,
            segment: NO_SEGMENT,
            kind: u8::MAX,
        }
    }
}

/// The kinds in the order of [`kind_index`].
pub(crate) const KINDS: [RecordKind; 10] = [
    RecordKind::Directive,
    RecordKind::Conference,
    RecordKind::Model,
    RecordKind::Indicator,
    RecordKind::Observation,
    RecordKind::Unit,
    RecordKind::Award,
    RecordKind::Form,
    RecordKind::Submission,
    RecordKind::Target,
];

/// The position of `kind` in per-kind arrays.
pub(crate) fn kind_index(kind: RecordKind) -> usize {
    match kind {
        RecordKind::Directive => 0,
        RecordKind::Conference => 1,
        RecordKind::Model => 2,
        RecordKind::Indicator => 3,
        RecordKind::Observation => 4,
        RecordKind::Unit => 5,
        RecordKind::Award => 6,
        RecordKind::Form => 7,
        RecordKind::Submission => 8,
        RecordKind::Target => 9,
    }
}

/// Days from the common era, the compact date form of [`Meta`].
pub(crate) fn days(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

/// The bit of a model's field in [`Meta::tags`]. A record is a conference or a model, never
/// both, so their bits share the same 16.
pub(crate) fn field_tag(f: ModelField) -> u16 {
    1 << f.index()
}

/// The bit of a conference kind in [`Meta::tags`].
pub(crate) fn conference_tag(k: danvan_core::conference::ConferenceKind) -> u16 {
    1 << k.index()
}

// The tags are 16 bits: a vocabulary that outgrows them stops the build here, instead of
// filing records under another kind's bit.
const _: () = assert!(danvan_core::conference::ConferenceKind::ALL.len() <= 16);
const _: () = assert!(ModelField::ALL.len() <= 16);

/// Everything derived from a record for the indexes, computed off the main thread at open.
#[derive(Debug)]
pub(crate) struct Derived {
    pub(crate) recorded: Option<Cow<'static, str>>,
    pub(crate) current: Option<&'static str>,
    pub(crate) date: i32,
    pub(crate) start: i32,
    pub(crate) end: i32,
    pub(crate) tags: u16,
    pub(crate) text: String,
    /// One vowel-shape mark per byte of `text` (see `danvan_core::text::mark`).
    pub(crate) marks: Vec<u8>,
    pub(crate) refs: Vec<Key>,
}

/// Separates fields within a text segment, so a phrase never matches across two fields.
pub(crate) const FIELD_SEP: u8 = 0x1f;

impl Derived {
    pub(crate) fn of(r: RecordRef<'_>) -> Derived {
        let date = r.date();
        let (start, end) = r
            .span(Window::Calendar)
            .map_or((NONE, NONE), |(a, b)| (days(a), days(b)));
        // Registry slugs are 'static; only text the registry does not know needs an allocation.
        let reg = registry();
        let recorded = r.province().map(|p| {
            reg.static_slug(p.as_str())
                .map_or_else(|| Cow::Owned(p.as_str().to_string()), Cow::Borrowed)
        });
        // The unit on the current map, which every unit sharing a slug converges on.
        let current = r
            .province()
            .and_then(|p| reg.current(p.as_str()))
            .map(|u| u.slug);
        let tags = match r {
            RecordRef::Conference(c) => {
                c.kinds.iter().fold(0u16, |acc, k| acc | conference_tag(*k))
            }
            RecordRef::Model(m) => m.field.map_or(0, field_tag),
            _ => 0,
        };
        let mut text = String::with_capacity(160);
        let mut marks = Vec::with_capacity(160);
        // An observation's text holds its built-in indicator's name: folded once, copied here.
        let catalogue_name = match r {
            RecordRef::Observation(o) => builtin(o.indicator.as_str()),
            _ => None,
        };
        for (i, t) in r.search_texts().into_iter().enumerate() {
            if i > 0 {
                text.push(FIELD_SEP as char);
                marks.push(mark::NONE);
            }
            match catalogue_name {
                // The very string of the catalogue (same address), not an equal one.
                Some(def) if std::ptr::eq(t.as_ptr(), def.name_vi.as_ptr()) => {
                    let (key, key_marks) = folded_catalogue_name(def.id.as_str());
                    text.push_str(key);
                    marks.extend_from_slice(key_marks);
                }
                _ => push_search_key_marked(&mut text, &mut marks, &t),
            }
        }
        let refs = r
            .targets()
            .into_iter()
            .map(|(k, id)| (k, id.clone()))
            .collect();
        Derived {
            recorded,
            current,
            date: date.map_or(NONE, days),
            start,
            end,
            tags,
            text,
            marks,
            refs,
        }
    }
}

/// The in-memory state.
#[derive(Debug, Default, Clone)]
pub(crate) struct State {
    /// The store revision this state is at.
    pub(crate) revision: u64,
    rows: Vec<Option<Row>>,
    meta: Vec<Meta>,
    free: Vec<u32>,
    /// Per kind (see [`kind_index`]): ID → row.
    by_key: [FxHashMap<RecordId, u32>; KINDS.len()],
    slugs: Vec<String>,
    slug_ids: FxHashMap<String, u16>,
    /// Rows per province, appended to and cleaned lazily: an entry is live only while the
    /// row's [`Meta`] still names that province (see `stale`).
    /// Keyed by province and kind (as [`kind_index`]), so that a query for one kind reads only
    /// that kind's rows.
    by_recorded: FxHashMap<(u16, u8), Vec<u32>>,
    by_current: FxHashMap<(u16, u8), Vec<u32>>,
    /// Central directives by the provinces whose own reviews they record (a milestone's
    /// `province`), as recorded and on the current map: a province's query finds them too.
    /// Kept exact: a row is removed when it is unindexed.
    reviewed_in: FxHashMap<(u16, bool), Vec<u32>>,
    /// Entries in the province lists that no longer hold.
    stale: usize,
    /// Rows that refer to each record.
    referrers: FxHashMap<Key, Vec<u32>>,
    /// Observation rows by a hash of their figure key (see `Observation::figure_key`): one
    /// figure per indicator, province, unit and period. A hash keeps the index small; rows
    /// sharing one (a collision, or two figures of one key in older data) go to `figures_more`
    /// and are told apart by their records.
    figures: FxHashMap<u64, u32>,
    figures_more: FxHashMap<u64, Vec<u32>>,
    /// Unit rows by the slug they report under ("" for the central board's) and by each of
    /// their names' keys (see `danvan_core::unit::name_key`); and by slug alone. Kept exact.
    units_named: FxHashMap<(String, String), Vec<u32>>,
    units_in: FxHashMap<String, Vec<u32>>,
    /// Folded text of every live row, fields separated by [`FIELD_SEP`].
    text: Vec<u8>,
    /// The vowel-shape mark of each byte of `text`, for queries typed with diacritics.
    marks: Vec<u8>,
    /// Start offset of each segment in `text`, increasing.
    seg_start: Vec<u32>,
    /// The row each segment was written for.
    seg_row: Vec<u32>,
    dead_text: usize,
}

impl State {
    /// How many records.
    pub(crate) fn len(&self) -> usize {
        self.by_key.iter().map(FxHashMap::len).sum()
    }

    pub(crate) fn row_of(&self, kind: RecordKind, id: &RecordId) -> Option<u32> {
        self.by_key[kind_index(kind)].get(id.as_str()).copied()
    }

    pub(crate) fn row(&self, row: u32) -> Option<&Row> {
        self.rows.get(row as usize).and_then(Option::as_ref)
    }

    pub(crate) fn meta(&self, row: u32) -> &Meta {
        &self.meta[row as usize]
    }

    pub(crate) fn get(&self, kind: RecordKind, id: &RecordId) -> Option<&Row> {
        self.row_of(kind, id).and_then(|r| self.row(r))
    }

    /// Every live row number.
    pub(crate) fn rows(&self) -> impl Iterator<Item = u32> + '_ {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_some())
            .map(|(i, _)| i as u32)
    }

    /// The rows of the kinds `kinds` marks (by [`kind_index`]) whose province (as recorded, or
    /// on the current map) is `slug`, ascending.
    pub(crate) fn rows_in_province(
        &self,
        slug: &str,
        current: bool,
        kinds: [bool; KINDS.len()],
    ) -> Vec<u32> {
        let Some(id) = self.slug_ids.get(slug).copied() else {
            return Vec::new();
        };
        let index = if current {
            &self.by_current
        } else {
            &self.by_recorded
        };
        let mut rows: Vec<u32> = Vec::new();
        for kind in (0..KINDS.len() as u8).filter(|k| kinds[*k as usize]) {
            let list = index.get(&(id, kind)).map_or(&[][..], Vec::as_slice);
            // The lists are cleaned lazily: keep only rows that still hold a record of this
            // kind naming this province (a deleted row's meta is reset).
            rows.extend(list.iter().copied().filter(|r| {
                let m = &self.meta[*r as usize];
                m.kind == kind
                    && if current {
                        m.current == id
                    } else {
                        m.recorded == id
                    }
            }));
        }
        if kinds[kind_index(RecordKind::Directive)] {
            rows.extend(
                self.reviewed_in
                    .get(&(id, current))
                    .into_iter()
                    .flatten()
                    .copied(),
            );
        }
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// The records that refer to `key`.
    pub(crate) fn referrers(&self, key: &Key) -> Vec<Key> {
        let Some(rows) = self.referrers.get(key) else {
            return Vec::new();
        };
        rows.iter()
            .filter_map(|r| self.row(*r))
            .map(|r| (r.rec.as_ref().kind(), r.rec.as_ref().id().clone()))
            .collect()
    }

    /// The definition of indicator `id`: stored, else built in.
    pub(crate) fn indicator(&self, id: &str) -> Option<&IndicatorDefinition> {
        match self.by_key[kind_index(RecordKind::Indicator)]
            .get(id)
            .and_then(|r| self.row(*r))
        {
            Some(Row {
                rec: Rec::Indicator(d),
                ..
            }) => Some(d),
            _ => builtin(id),
        }
    }

    /// For a central directive at `row`: the provinces its milestones name, as (slug ID,
    /// current map?) keys, interning the slugs.
    fn review_provinces(&mut self, row: u32) -> Vec<(u16, bool)> {
        let slugs: Vec<(String, Option<&'static str>)> =
            match self.rows[row as usize].as_ref().map(|r| &r.rec) {
                Some(Rec::Directive(d)) if d.province.is_none() => d
                    .milestones
                    .iter()
                    .filter_map(|m| m.province.as_ref())
                    .map(|p| {
                        (
                            p.as_str().to_string(),
                            registry().current(p.as_str()).map(|u| u.slug),
                        )
                    })
                    .collect(),
                _ => return Vec::new(),
            };
        let mut keys = Vec::new();
        for (recorded, current) in slugs {
            keys.push((self.intern(&recorded), false));
            if let Some(c) = current {
                keys.push((self.intern(c), true));
            }
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    fn intern(&mut self, slug: &str) -> u16 {
        if let Some(id) = self.slug_ids.get(slug) {
            return *id;
        }
        let id = self.slugs.len() as u16;
        self.slugs.push(slug.to_string());
        self.slug_ids.insert(slug.to_string(), id);
        id
    }

    /// Inserts or replaces a record at `revision`.
    pub(crate) fn put(&mut self, record: AnyRecord, revision: u64) {
        let rec = Rec::from(record);
        let derived = Derived::of(rec.as_ref());
        self.put_derived(rec, revision, derived);
    }

    /// Like [`put`](Self::put), with the derived data already computed.
    pub(crate) fn put_derived(&mut self, rec: Rec, revision: u64, derived: Derived) {
        let k = kind_index(rec.as_ref().kind());
        match self.by_key[k].get(rec.as_ref().id().as_str()).copied() {
            Some(row) => {
                self.unindex(row);
                self.rows[row as usize] = Some(Row { revision, rec });
                self.index(row, derived);
            }
            None => {
                let row = match self.free.pop() {
                    Some(r) => r,
                    None => {
                        self.rows.push(None);
                        self.meta.push(Meta::default());
                        (self.rows.len() - 1) as u32
                    }
                };
                self.by_key[k].insert(rec.as_ref().id().clone(), row);
                self.rows[row as usize] = Some(Row { revision, rec });
                self.index(row, derived);
            }
        }
    }

    /// Removes a record, returning it.
    pub(crate) fn delete(&mut self, kind: RecordKind, id: &RecordId) -> Option<Row> {
        let row = self.by_key[kind_index(kind)].remove(id.as_str())?;
        self.unindex(row);
        self.meta[row as usize] = Meta::default();
        self.free.push(row);
        self.rows[row as usize].take()
    }

    fn index(&mut self, row: u32, d: Derived) {
        let recorded = d
            .recorded
            .as_deref()
            .map(|s| self.intern(s))
            .unwrap_or(NO_PROVINCE);
        let current = d.current.map(|s| self.intern(s)).unwrap_or(NO_PROVINCE);
        let kind = self.rows[row as usize]
            .as_ref()
            .map_or(u8::MAX, |r| kind_index(r.rec.as_ref().kind()) as u8);
        if recorded != NO_PROVINCE {
            self.by_recorded
                .entry((recorded, kind))
                .or_default()
                .push(row);
        }
        if current != NO_PROVINCE {
            self.by_current
                .entry((current, kind))
                .or_default()
                .push(row);
        }
        for target in d.refs {
            self.referrers.entry(target).or_default().push(row);
        }
        if let Some(Rec::Observation(o)) = self.rows[row as usize].as_ref().map(|r| &r.rec) {
            let h = figure_hash(o);
            match self.figures.entry(h) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(row);
                }
                std::collections::hash_map::Entry::Occupied(_) => {
                    self.figures_more.entry(h).or_default().push(row);
                }
            }
        }
        if let Some(Rec::Unit(u)) = self.rows[row as usize].as_ref().map(|r| &r.rec) {
            let slug = registry_slug(u.province.as_ref()).to_string();
            for key in u.keys() {
                let list = self.units_named.entry((slug.clone(), key)).or_default();
                if !list.contains(&row) {
                    list.push(row);
                }
            }
            self.units_in.entry(slug).or_default().push(row);
        }
        for key in self.review_provinces(row) {
            let list = self.reviewed_in.entry(key).or_default();
            if !list.contains(&row) {
                list.push(row);
            }
        }
        let segment = self.seg_start.len() as u32;
        self.seg_start.push(self.text.len() as u32);
        self.seg_row.push(row);
        self.text.extend_from_slice(d.text.as_bytes());
        self.marks.extend_from_slice(&d.marks);
        // A separator between segments too, so a match never spans two records.
        self.text.push(FIELD_SEP);
        self.marks.push(mark::NONE);
        self.meta[row as usize] = Meta {
            recorded,
            current,
            date: d.date,
            start: d.start,
            end: d.end,
            tags: d.tags,
            segment,
            kind,
        };
    }

    /// Removes a row from every index.
    fn unindex(&mut self, row: u32) {
        let meta = self.meta[row as usize];
        let Some(r) = self.rows[row as usize].as_ref() else {
            return;
        };
        let r = r.rec.as_ref();
        let targets: Vec<Key> = r
            .targets()
            .into_iter()
            .map(|(k, id)| (k, id.clone()))
            .collect();
        // Province lists are cleaned lazily; count what goes stale and rebuild when it is much.
        self.stale +=
            usize::from(meta.recorded != NO_PROVINCE) + usize::from(meta.current != NO_PROVINCE);
        for key in self.review_provinces(row) {
            if let Some(v) = self.reviewed_in.get_mut(&key) {
                v.retain(|x| *x != row);
                if v.is_empty() {
                    self.reviewed_in.remove(&key);
                }
            }
        }
        if let Some(Rec::Unit(u)) = self.rows[row as usize].as_ref().map(|r| &r.rec) {
            let slug = registry_slug(u.province.as_ref()).to_string();
            for key in u.keys() {
                let k = (slug.clone(), key);
                if let Some(v) = self.units_named.get_mut(&k) {
                    v.retain(|x| *x != row);
                    if v.is_empty() {
                        self.units_named.remove(&k);
                    }
                }
            }
            if let Some(v) = self.units_in.get_mut(&slug) {
                v.retain(|x| *x != row);
                if v.is_empty() {
                    self.units_in.remove(&slug);
                }
            }
        }
        let figure = match &self.rows[row as usize].as_ref().map(|r| &r.rec) {
            Some(Rec::Observation(o)) => Some(figure_hash(o)),
            _ => None,
        };
        if let Some(h) = figure {
            if self.figures.get(&h) == Some(&row) {
                // Promote a row sharing the hash, if any.
                match self.figures_more.get_mut(&h).and_then(Vec::pop) {
                    Some(next) => {
                        self.figures.insert(h, next);
                    }
                    None => {
                        self.figures.remove(&h);
                    }
                }
            } else if let Some(v) = self.figures_more.get_mut(&h) {
                v.retain(|x| *x != row);
            }
            if self.figures_more.get(&h).is_some_and(Vec::is_empty) {
                self.figures_more.remove(&h);
            }
        }
        for target in targets {
            if let Some(v) = self.referrers.get_mut(&target) {
                if let Some(i) = v.iter().position(|x| *x == row) {
                    v.swap_remove(i);
                }
                if v.is_empty() {
                    self.referrers.remove(&target);
                }
            }
        }
        if meta.segment != NO_SEGMENT {
            self.dead_text += self.segment(meta.segment).len() + 1;
        }
        self.meta[row as usize] = Meta::default();
    }

    /// The stored observations holding the same figure key as `o` (itself included, if stored).
    pub(crate) fn same_figure<'a>(
        &'a self,
        o: &'a Observation,
    ) -> impl Iterator<Item = &'a Observation> + 'a {
        let key = o.figure_key();
        let h = figure_hash(o);
        self.figures
            .get(&h)
            .into_iter()
            .chain(self.figures_more.get(&h).into_iter().flatten())
            .filter_map(
                move |row| match self.rows[*row as usize].as_ref().map(|r| &r.rec) {
                    Some(Rec::Observation(other)) if other.figure_key() == key => Some(&**other),
                    _ => None,
                },
            )
    }

    /// The stored units registered under `slug` ("" for the central board's) that answer to the
    /// name key `key` (see `danvan_core::unit::name_key`).
    /// The rows holding a record of `kind`, in no order.
    pub(crate) fn rows_of_kind(&self, kind: RecordKind) -> impl Iterator<Item = u32> + '_ {
        self.by_key[kind_index(kind)].values().copied()
    }

    pub(crate) fn units_named<'a>(&'a self, slug: &str, key: &str) -> Vec<&'a Unit> {
        self.units_named
            .get(&(slug.to_string(), key.to_string()))
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|r| self.unit_at(*r))
            .collect()
    }

    /// Every stored unit registered under `slug` ("" for the central board's).
    pub(crate) fn units_in(&self, slug: &str) -> Vec<&Unit> {
        self.units_in
            .get(slug)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|r| self.unit_at(*r))
            .collect()
    }

    fn unit_at(&self, row: u32) -> Option<&Unit> {
        match self.rows[row as usize].as_ref().map(|r| &r.rec) {
            Some(Rec::Unit(u)) => Some(&**u),
            _ => None,
        }
    }

    /// Drops stale entries from the province lists once they outnumber the live records.
    pub(crate) fn maybe_clean_provinces(&mut self) {
        if self.stale <= self.len().max(1 << 16) {
            return;
        }
        let meta = &self.meta;
        for (&(id, kind), list) in &mut self.by_recorded {
            list.retain(|r| meta[*r as usize].kind == kind && meta[*r as usize].recorded == id);
            list.sort_unstable();
            list.dedup();
        }
        for (&(id, kind), list) in &mut self.by_current {
            list.retain(|r| meta[*r as usize].kind == kind && meta[*r as usize].current == id);
            list.sort_unstable();
            list.dedup();
        }
        self.stale = 0;
    }

    /// The byte range of segment `seg` in the text buffer.
    fn segment_range(&self, seg: u32) -> std::ops::Range<usize> {
        let start = self.seg_start[seg as usize] as usize;
        let end = self
            .seg_start
            .get(seg as usize + 1)
            .map_or(self.text.len(), |e| *e as usize - 1);
        start..end.max(start)
    }

    /// The folded text of segment `seg`.
    pub(crate) fn segment(&self, seg: u32) -> &[u8] {
        &self.text[self.segment_range(seg)]
    }

    /// The marks of segment `seg`, byte for byte with [`segment`](Self::segment).
    pub(crate) fn segment_marks(&self, seg: u32) -> &[u8] {
        &self.marks[self.segment_range(seg)]
    }

    /// Rows whose folded text holds every word of `words` as whole syllables (a word starts and
    /// ends at a syllable boundary: "ho so" does not match inside "khoi … son"), each with the
    /// segment it matched in and its relevance (see [`relevance`]). A word with `Some` marks
    /// (typed with diacritics) must also match the text's vowel-shape marks, so "Lâm Đồng" does
    /// not match "làm … đồng".
    ///
    /// One pass of a SIMD substring search for the longest word over the whole buffer; after a
    /// hit, the whole record's segment is checked and the search resumes at the next one, so a
    /// record is examined once.
    pub(crate) fn text_matches(&self, words: &[QueryWord<'_>]) -> Vec<(u32, u32, u32)> {
        let Some(needle) = words.iter().max_by_key(|w| w.text.len()) else {
            return Vec::new();
        };
        let finder = memchr::memmem::Finder::new(needle.text.as_bytes());
        let finders: Vec<(memchr::memmem::Finder<'_>, &QueryWord<'_>)> = words
            .iter()
            .map(|w| (memchr::memmem::Finder::new(w.text.as_bytes()), w))
            .collect();
        // The whole query as one phrase, with its marks where any word was typed with them
        // (unmarked words and the spaces between accept any mark).
        let phrase = words.iter().map(|w| w.text).collect::<Vec<_>>().join(" ");
        let phrase_marks: Option<Vec<u8>> = words.iter().any(|w| w.marks.is_some()).then(|| {
            let mut m = Vec::with_capacity(phrase.len());
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    m.push(mark::ANY);
                }
                match &w.marks {
                    Some(wm) => m.extend_from_slice(wm),
                    None => m.resize(m.len() + w.text.len(), mark::ANY),
                }
            }
            m
        });
        let phrase_finder = memchr::memmem::Finder::new(phrase.as_bytes());
        let mut out = Vec::new();
        let mut seg = 0usize;
        let mut from = 0usize;
        while let Some(found) = finder.find(&self.text[from..]) {
            let pos = from + found;
            // Segments are in buffer order and hits only move forward: advance, don't search.
            while seg + 1 < self.seg_start.len() && self.seg_start[seg + 1] as usize <= pos {
                seg += 1;
            }
            from = self
                .seg_start
                .get(seg + 1)
                .map_or(self.text.len(), |s| *s as usize);
            let seg32 = seg as u32;
            let row = self.seg_row[seg];
            if self
                .meta
                .get(row as usize)
                .is_none_or(|m| m.segment != seg32)
            {
                continue; // a stale segment of a record that has changed since
            }
            let text = self.segment(seg32);
            let marks = self.segment_marks(seg32);
            // The whole phrase first: it holds every word, and most matches of a common phrase
            // are whole; only when it is absent are the words looked for one by one.
            let score = match find_word(text, marks, &phrase_finder, phrase_marks.as_deref()) {
                Some(at) => Some(phrase_score(text, at)),
                None => finders
                    .iter()
                    .all(|(f, w)| find_word(text, marks, f, w.marks.as_deref()).is_some())
                    .then_some(SCATTERED_SCORE),
            };
            if let Some(score) = score {
                out.push((row, seg32, score));
            }
            if from >= self.text.len() {
                break;
            }
        }
        out
    }

    /// Rebuilds the text buffer when more than half of it belongs to replaced records.
    pub(crate) fn maybe_compact_text(&mut self) {
        if self.dead_text * 2 <= self.text.len() || self.text.len() < 1 << 20 {
            return;
        }
        let mut text = Vec::with_capacity(self.text.len() - self.dead_text);
        let mut marks = Vec::with_capacity(self.text.len() - self.dead_text);
        let mut seg_start = Vec::new();
        let mut seg_row = Vec::new();
        for row in 0..self.rows.len() {
            let seg = self.meta[row].segment;
            if self.rows[row].is_none() || seg == NO_SEGMENT {
                continue;
            }
            let new_seg = seg_start.len() as u32;
            seg_start.push(text.len() as u32);
            seg_row.push(row as u32);
            text.extend_from_slice(self.segment(seg));
            text.push(FIELD_SEP);
            marks.extend_from_slice(self.segment_marks(seg));
            marks.push(mark::NONE);
            self.meta[row].segment = new_seg;
        }
        self.text = text;
        self.marks = marks;
        self.seg_start = seg_start;
        self.seg_row = seg_row;
        self.dead_text = 0;
    }
}

/// One word of a text query: its folded form, and its marks when typed with diacritics.
#[derive(Debug, Clone)]
pub(crate) struct QueryWord<'a> {
    pub(crate) text: &'a str,
    pub(crate) marks: Option<Vec<u8>>,
}

/// Whether a byte of folded text is part of a syllable (letters, digits, and the bytes of
/// letters outside ASCII).
fn in_syllable(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Where `text` first holds what `finder` looks for at syllable boundaries, with `marks` (when
/// given) matching the text's marks byte for byte.
pub(crate) fn find_word(
    text: &[u8],
    text_marks: &[u8],
    finder: &memchr::memmem::Finder<'_>,
    marks: Option<&[u8]>,
) -> Option<usize> {
    let len = finder.needle().len();
    let first = finder.needle().first().copied().unwrap_or(b' ');
    let last = finder.needle().last().copied().unwrap_or(b' ');
    finder.find_iter(text).find(|&pos| {
        let end = pos + len;
        // A word that starts or ends with punctuation ("25-nq/tw") needs no boundary there.
        let starts = !in_syllable(first) || pos == 0 || !in_syllable(text[pos - 1]);
        let ends = !in_syllable(last) || end == text.len() || !in_syllable(text[end]);
        starts
            && ends
            && marks.is_none_or(|m| {
                text_marks.get(pos..end).is_some_and(|tm| {
                    tm.iter()
                        .zip(m)
                        .all(|(t, q)| *t == mark::ANY || *q == mark::ANY || t == q)
                })
            })
    })
}

/// The folded name and marks of built-in indicator `id` (empty for an unknown code), computed
/// once: every observation's search text holds its indicator's name.
fn folded_catalogue_name(id: &str) -> (&'static str, &'static [u8]) {
    static FOLDED: std::sync::LazyLock<FxHashMap<&'static str, (String, Vec<u8>)>> =
        std::sync::LazyLock::new(|| {
            danvan_core::indicator::catalogue()
                .iter()
                .map(|d| {
                    let (mut key, mut marks) = (String::new(), Vec::new());
                    push_search_key_marked(&mut key, &mut marks, &d.name_vi);
                    (d.id.as_str(), (key, marks))
                })
                .collect()
        });
    FOLDED
        .get(id)
        .map_or(("", &[][..]), |(k, m)| (k.as_str(), m.as_slice()))
}

/// A hash of an observation's figure key, for the figure index.
pub(crate) fn figure_hash(o: &Observation) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    o.hash_figure_key(&mut h);
    h.finish()
}

/// The relevance of words that match only apart.
pub(crate) const SCATTERED_SCORE: u32 = 100;

/// Relevance of the whole phrase found at `pos` of a segment: 1000, less 10 for each field
/// before it (title and name come first), so that any phrase ranks above words found apart
/// ([`SCATTERED_SCORE`]). Computed for every match, so results are ordered by it and paged
/// consistently.
pub(crate) fn phrase_score(segment: &[u8], pos: usize) -> u32 {
    let field = memchr::memchr_iter(FIELD_SEP, &segment[..pos])
        .count()
        .min(40) as u32;
    1000 - 10 * field
}
