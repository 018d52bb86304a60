//! The `Store` trait and the plain types it speaks: what every front end uses, and what another
//! backend (PostgreSQL, say) would implement.
//!
//! Every record carries a *revision*: the store-wide revision of the write that last changed
//! it. Store revisions count committed writes (one per batch) and only grow, so a record's
//! revision doubles as its ETag and the store's as a cache key.
//!
//! What every backend promises (the conformance suite in `tests/it/conformance.rs` checks it
//! on each):
//!
//! - **Revisions are gap-free, in commit order.** An empty store is at 0; each committed batch
//!   adds exactly 1, and its records take that revision. A batch that changes nothing (every
//!   record identical to what is stored) or is refused adds none.
//! - **A batch is all or nothing**, an import is one batch, and a write that names the revision
//!   it read fails with a conflict if the record moved on.
//! - **References stay whole**: a delete of a referenced record is refused, or cascades.
//! - **Queries** filter, sort and page the same way (province on either map, period, text
//!   without diacritics), and pages join back to the whole.
//! - **Every write is kept with its author** for the change feed and record histories, as far
//!   back as the backend keeps history (it says how far: `FeedPage::oldest`).
//!
//! The rules themselves — planning a batch (validation, expected revisions, references and
//! cascades), the indexes queries run on, text scoring, province resolution — live in the
//! crate's `engine`, shared by every backend; a backend stores and loads.

use std::collections::BTreeMap;

use chrono::NaiveDate;
pub use danvan_core::access::Access;
use danvan_core::board::BoardCalendar;
use danvan_core::conference::ConferenceKind;
use danvan_core::dataset::{AnyRecord, Dataset, RecordRef};
use danvan_core::id::RecordId;
use danvan_core::model::ModelField;
use danvan_core::period::{Period, Window};
use danvan_core::validate::{Problem, RecordKind};
use danvan_core::vocabulary::Vocabulary;
use serde::{Deserialize, Serialize};

use crate::error::StoreError;

/// A record shared with the store that lent it ([`Store::visit_shared`]): holding it costs no
/// copy and holds no lock; the store's later writes replace its record rather than change
/// this one.
#[derive(Debug, Clone, PartialEq)]
pub enum SharedRecord {
    /// A directive.
    Directive(std::sync::Arc<danvan_core::directive::Directive>),
    /// A conference.
    Conference(std::sync::Arc<danvan_core::conference::Conference>),
    /// A model.
    Model(std::sync::Arc<danvan_core::model::Model>),
    /// An indicator definition.
    Indicator(std::sync::Arc<danvan_core::indicator::IndicatorDefinition>),
    /// An observation.
    Observation(std::sync::Arc<danvan_core::indicator::Observation>),
    /// A reporting unit.
    Unit(std::sync::Arc<danvan_core::unit::Unit>),
    /// A commendation.
    Award(std::sync::Arc<danvan_core::award::Award>),
    /// A form units report on.
    Form(std::sync::Arc<danvan_core::cycle::ReportForm>),
    /// A unit's report for a period.
    Submission(std::sync::Arc<danvan_core::cycle::Submission>),
    /// A target.
    Target(std::sync::Arc<danvan_core::target::Target>),
}

impl SharedRecord {
    /// The record, borrowed.
    pub fn as_ref(&self) -> RecordRef<'_> {
        match self {
            SharedRecord::Directive(r) => RecordRef::Directive(r),
            SharedRecord::Conference(r) => RecordRef::Conference(r),
            SharedRecord::Model(r) => RecordRef::Model(r),
            SharedRecord::Indicator(r) => RecordRef::Indicator(r),
            SharedRecord::Observation(r) => RecordRef::Observation(r),
            SharedRecord::Unit(r) => RecordRef::Unit(r),
            SharedRecord::Award(r) => RecordRef::Award(r),
            SharedRecord::Form(r) => RecordRef::Form(r),
            SharedRecord::Submission(r) => RecordRef::Submission(r),
            SharedRecord::Target(r) => RecordRef::Target(r),
        }
    }
}

impl From<AnyRecord> for SharedRecord {
    fn from(r: AnyRecord) -> SharedRecord {
        use std::sync::Arc;
        match r {
            AnyRecord::Directive(r) => SharedRecord::Directive(Arc::new(r)),
            AnyRecord::Conference(r) => SharedRecord::Conference(Arc::new(r)),
            AnyRecord::Model(r) => SharedRecord::Model(Arc::new(r)),
            AnyRecord::Indicator(r) => SharedRecord::Indicator(Arc::new(r)),
            AnyRecord::Observation(r) => SharedRecord::Observation(Arc::new(r)),
            AnyRecord::Unit(r) => SharedRecord::Unit(Arc::new(r)),
            AnyRecord::Award(r) => SharedRecord::Award(Arc::new(r)),
            AnyRecord::Form(r) => SharedRecord::Form(Arc::new(r)),
            AnyRecord::Submission(r) => SharedRecord::Submission(Arc::new(r)),
            AnyRecord::Target(r) => SharedRecord::Target(Arc::new(r)),
        }
    }
}

/// A record with the revision that last wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stored<T> {
    /// The store revision of the write that last changed this record.
    pub revision: u64,
    /// The record.
    pub record: T,
}

/// What a write expects of the record it replaces: the guard against lost updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Expected {
    /// Write whatever is there (or create it).
    #[default]
    Any,
    /// Only create: fail with a conflict if the record exists.
    Absent,
    /// Only replace this revision: fail with a conflict if the record changed (or is gone).
    Revision(u64),
}

/// One change in a batch.
// Ops live only as long as one write; boxing the record would add an allocation per write.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Create or replace a record.
    Put {
        /// The new record.
        record: AnyRecord,
        /// What it must replace.
        expected: Expected,
    },
    /// Delete a record.
    Delete {
        /// Its kind.
        kind: RecordKind,
        /// Its ID.
        id: RecordId,
        /// What it must be.
        expected: Expected,
        /// Whether to detach the records that refer to it (see [`Store::apply`]).
        cascade: bool,
    },
}

/// Who makes a write, and why — recorded with it, in the history and the change feed — and
/// which records they may change, which every backend checks when it plans the write, under
/// its write lock, against the records as they will be written and as they are stored
/// ([`Access`]; never recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Author {
    /// Who: an API token's name, an OS user, a service.
    pub actor: String,
    /// Why, when the writer says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The records the writer may change: every one unless bound to provinces. A write that
    /// reaches any other — as written, as stored, through a cascade or by a new reference — is
    /// refused ([`StoreError::Forbidden`](crate::StoreError::Forbidden); in an import, a
    /// problem naming the record).
    #[serde(skip)]
    pub access: Access,
    /// Whether the write is a reporting-cycle step taken through [`crate::cycle::step`]: only
    /// such a write (or a national import, which restores or copies a store) may change a
    /// submission's state and steps.
    #[serde(skip)]
    pub(crate) stepping: bool,
    /// The unit whose user writes, when a unit's user does: then only that unit's
    /// submissions and figures may be written (as written and as stored), and of the cycle's
    /// steps only sending.
    #[serde(skip)]
    pub unit: Option<danvan_core::id::RecordId>,
}

impl Author {
    /// The actor of writes made without saying who (the plain [`Store::apply`], `put`, …).
    pub const UNNAMED: &'static str = "unnamed";

    /// `actor`, with no reason.
    pub fn new(actor: impl Into<String>) -> Author {
        Author {
            actor: actor.into(),
            reason: None,
            access: Access::National,
            stepping: false,
            unit: None,
        }
    }

    /// With `reason` (ignored when blank).
    pub fn with_reason(mut self, reason: Option<impl Into<String>>) -> Author {
        self.reason = reason
            .map(Into::into)
            .filter(|r: &String| !r.trim().is_empty());
        self
    }

    /// Bound to `access`.
    pub fn within(mut self, access: Access) -> Author {
        self.access = access;
        self
    }

    /// A user of unit `unit` (see [`Author::unit`]).
    pub fn of_unit(mut self, unit: Option<danvan_core::id::RecordId>) -> Author {
        self.unit = unit;
        self
    }
}

impl Default for Author {
    fn default() -> Self {
        Author::new(Author::UNNAMED)
    }
}

/// One change in the store's feed: a record created, updated or deleted by one write.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FeedEntry {
    /// The store revision of the write.
    pub revision: u64,
    /// When the write was committed (RFC 3339, UTC).
    pub at: String,
    /// Who made it, and why.
    #[serde(flatten)]
    pub author: Author,
    /// The record's kind.
    pub kind: RecordKind,
    /// Its ID.
    pub id: RecordId,
    /// What happened to it.
    pub action: Action,
    /// The record as written; absent for a deletion (a tombstone). Serialised as the record
    /// alone (its kind is beside it).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "inner_record"
    )]
    pub record: Option<AnyRecord>,
    /// For a tombstone, the province the deleted record named (as recorded); absent for a
    /// central record and for deletions recorded before danvan kept it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
}

impl FeedEntry {
    /// The province (today's slug) of the record the entry is about: its record's, or a
    /// tombstone's; `None` for a central record or a tombstone that does not say.
    pub fn current_province(&self) -> Option<&'static str> {
        let recorded = match &self.record {
            Some(r) => r.as_ref().province().map(|p| p.as_str()),
            None => self.province.as_deref(),
        }?;
        danvan_core::province::registry()
            .current(recorded)
            .map(|p| p.slug)
    }
}

/// A record's own JSON, without the `{"kind", "record"}` wrapping of [`AnyRecord`].
fn inner_record<S: serde::Serializer>(r: &Option<AnyRecord>, s: S) -> Result<S::Ok, S::Error> {
    match r {
        Some(r) => RecordAlone(r).serialize(s),
        None => s.serialize_none(),
    }
}

/// The ID a new record given none is stored under: the one made from its province, date and
/// title (`RecordRef::suggested_id`), with `-2`, `-3`, … until it is free in `store` (a
/// built-in indicator's code is never free). A writer taking it meanwhile is refused as any
/// taken ID is.
pub fn made_id(store: &dyn Store, record: &AnyRecord) -> Result<RecordId, StoreError> {
    let kind = record.kind();
    let base = record.as_ref().suggested_id();
    let mut failed = None;
    let id = danvan_core::dataset::free_id(&base, |id| {
        (kind == RecordKind::Indicator && danvan_core::indicator::builtin(id.as_str()).is_some())
            || store
                .get(kind, id)
                .unwrap_or_else(|e| {
                    failed = Some(e);
                    None
                })
                .is_some()
    });
    match failed {
        Some(e) => Err(e),
        None => Ok(id),
    }
}

/// Writes a new record; a directive whose citation (`cited`, as the clerk typed it) chains to
/// another document ("Kế hoạch … thực hiện Kết luận số 120-KL/TW …") is written with that
/// document in one revision: linked to the stored directive with its number, or to a new record
/// of it holding what the citation says (its own number, date and issuer) — never absorbed
/// into the first. The one path for the CLI's `add` and the web app's form.
pub fn put_citing(
    store: &dyn Store,
    mut record: AnyRecord,
    cited: Option<&str>,
    author: &Author,
) -> Result<Receipt, StoreError> {
    let linked = match (&mut record, cited) {
        (AnyRecord::Directive(d), Some(text)) => link_cited(store, d, text)?,
        _ => Vec::new(),
    };
    if linked.is_empty() {
        return store.put_by(record, Expected::Absent, author);
    }
    let mut ops: Vec<Op> = linked
        .into_iter()
        .map(|r| Op::Put {
            record: r,
            expected: Expected::Absent,
        })
        .collect();
    ops.push(Op::Put {
        record,
        expected: Expected::Absent,
    });
    store.apply_by(ops, author)
}

/// The document a directive's citation chains to, linked from `d`: the stored directive with
/// that number, else a new record of it with what the citation says (returned, to be written
/// with `d`).
fn link_cited(
    store: &dyn Store,
    d: &mut danvan_core::directive::Directive,
    text: &str,
) -> Result<Vec<AnyRecord>, StoreError> {
    let Some(related) = danvan_core::citation::Citation::parse(text)
        .ok()
        .and_then(|c| c.related)
    else {
        return Ok(Vec::new());
    };
    let cited = &related.citation;
    let existing = match &cited.number {
        Some(number) => store
            .query(&Query {
                kinds: vec![RecordKind::Directive],
                text: Some(number.to_string()),
                limit: MAX_LIMIT,
                ..Query::default()
            })?
            .items
            .into_iter()
            .find_map(|hit| match hit.stored.record {
                AnyRecord::Directive(x) if x.number.as_ref() == Some(number) => Some(x.id),
                _ => None,
            }),
        None => None,
    };
    let mut new = Vec::new();
    let id = match existing {
        Some(id) => id,
        None => {
            let Some(mut other) =
                danvan_core::directive::Directive::from_citation(RecordId::derive(["new"]), cited)
            else {
                return Ok(Vec::new());
            };
            // A central document (its symbol says /TW) has no province; a provincial one is the
            // citing document's.
            if !cited
                .number
                .as_ref()
                .is_some_and(|n| n.to_string().ends_with("/TW"))
            {
                other.province = d.province.clone();
            }
            let mut record = AnyRecord::Directive(other);
            record.set_id(made_id(store, &record)?);
            let id = record.id().clone();
            new.push(record);
            id
        }
    };
    d.related.push(danvan_core::directive::DirectiveLink {
        relation: related.relation,
        directive: id,
    });
    Ok(new)
}

/// Serialises a record as its own JSON, without the `{"kind", "record"}` wrapping of
/// [`AnyRecord`]: as the feed, the JSON store's shards and the database's rows hold it.
pub(crate) struct RecordAlone<'a>(pub(crate) &'a AnyRecord);

impl Serialize for RecordAlone<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            AnyRecord::Directive(r) => r.serialize(s),
            AnyRecord::Conference(r) => r.serialize(s),
            AnyRecord::Model(r) => r.serialize(s),
            AnyRecord::Indicator(r) => r.serialize(s),
            AnyRecord::Observation(r) => r.serialize(s),
            AnyRecord::Unit(r) => r.serialize(s),
            AnyRecord::Award(r) => r.serialize(s),
            AnyRecord::Form(r) => r.serialize(s),
            AnyRecord::Submission(r) => r.serialize(s),
            AnyRecord::Target(r) => r.serialize(s),
        }
    }
}

/// A page of the change feed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FeedPage {
    /// The changes, in commit order.
    pub items: Vec<FeedEntry>,
    /// Where the next page starts (pass it as `after`); `None` when this page reaches the
    /// latest change.
    pub next: Option<String>,
    /// The store revision when the page was read.
    pub revision: u64,
    /// The oldest revision the feed still holds (older history was pruned).
    pub oldest: u64,
}

/// One revision of a record, in its history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HistoryEntry {
    /// The store revision that wrote it.
    pub revision: u64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who, and why.
    #[serde(flatten)]
    pub author: Author,
    /// Created, updated or deleted.
    pub action: Action,
    /// Each field that changed, old → new (for a creation, every field, from nothing).
    pub changes: Vec<FieldChange>,
}

/// One field of a record changed by a revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FieldChange {
    /// The field's path (`status`, `chairs[0].name`).
    pub field: String,
    /// Its value before; absent when it had none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<serde_json::Value>,
    /// Its value after; absent when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<serde_json::Value>,
}

/// What a committed write changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// The store revision after the write.
    pub revision: u64,
    /// Every record created, updated or deleted, including cascaded changes.
    pub changes: Vec<Change>,
    /// Warnings about the records written (stored anyway), e.g. a stated percentage that
    /// disagrees with its ratio.
    pub warnings: Vec<Problem>,
}

/// One record changed by a write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The record's kind.
    pub kind: RecordKind,
    /// Its ID.
    pub id: RecordId,
    /// What happened to it.
    pub action: Action,
    /// Its new revision (`None` once deleted).
    pub revision: Option<u64>,
}

/// What a write did to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// It did not exist.
    Created,
    /// It existed and now differs.
    Updated,
    /// It is gone.
    Deleted,
}

/// Which map a province filter reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvinceMap {
    /// The post-2025 map: records of Bắc Kạn from 2024 count for Thái Nguyên.
    #[default]
    Current,
    /// As recorded: a record counts only for the province it names.
    AsRecorded,
}

impl Vocabulary for ProvinceMap {
    const WHAT: &'static str = "province map";
    const ALL: &'static [Self] = &[ProvinceMap::Current, ProvinceMap::AsRecorded];
}

/// Records of one province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvinceFilter {
    /// A slug, name or code the registry recognises ("thai-nguyen", "Bắc Kạn").
    pub province: String,
    /// How to read it.
    pub map: ProvinceMap,
}

/// How a record's span must relate to a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodMatch {
    /// The record lies wholly within the period.
    #[default]
    Within,
    /// The record shares at least one day with the period.
    Overlaps,
}

impl Vocabulary for PeriodMatch {
    const WHAT: &'static str = "period matching";
    const ALL: &'static [Self] = &[PeriodMatch::Within, PeriodMatch::Overlaps];
}

/// Records of one period (see `RecordRef::span` in danvan-core for what a record covers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodFilter {
    /// The period.
    pub period: Period,
    /// Within or overlapping.
    pub matching: PeriodMatch,
    /// Calendar or cut-off boundaries.
    pub window: Window,
}

/// What to order results by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// The record's date (see `RecordRef::date`), then ID.
    #[default]
    Date,
    /// The ID.
    Id,
    /// The title or name, in Vietnamese alphabetical order.
    Title,
    /// The revision: most recently changed last (or first, descending).
    Revision,
    /// Text relevance, best first, then the most recent; only with a text filter.
    Relevance,
}

impl Vocabulary for SortKey {
    const WHAT: &'static str = "sort key";
    const ALL: &'static [Self] = &[
        SortKey::Date,
        SortKey::Id,
        SortKey::Title,
        SortKey::Revision,
        SortKey::Relevance,
    ];
}

/// A query over the store: every filter that is set must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Record kinds to include; empty means all.
    pub kinds: Vec<RecordKind>,
    /// A province.
    pub province: Option<ProvinceFilter>,
    /// A period.
    pub period: Option<PeriodFilter>,
    /// Records dated on or after this day.
    pub since: Option<NaiveDate>,
    /// Records dated on or before this day.
    pub until: Option<NaiveDate>,
    /// Conferences of this kind (other records do not match).
    pub conference_kind: Option<ConferenceKind>,
    /// Models of this field (other records do not match).
    pub model_field: Option<ModelField>,
    /// Observations of this indicator (other records do not match).
    pub indicator: Option<RecordId>,
    /// Conferences that reviewed this period or a part of it (`2024` finds the reviews of
    /// 2024, 2024S1 and 2024S2), whatever their own date; other records do not match.
    pub reviewed_period: Option<Period>,
    /// Text to find, diacritic-, case- and tone-placement-insensitive; every word must occur.
    pub text: Option<String>,
    /// Only records this access may read (a server that binds a province's readers to their
    /// provinces: theirs and the central records); every record by default.
    pub readable_by: Access,
    /// Ordering.
    pub sort: SortKey,
    /// Reverse the ordering.
    pub descending: bool,
    /// Page size: at most this many items (1–1000).
    pub limit: usize,
    /// Continue after the page that returned this cursor.
    pub cursor: Option<String>,
}

/// The largest page a query returns.
pub const MAX_LIMIT: usize = 1000;

impl Default for Query {
    fn default() -> Self {
        Query {
            kinds: Vec::new(),
            province: None,
            period: None,
            since: None,
            until: None,
            conference_kind: None,
            model_field: None,
            indicator: None,
            reviewed_period: None,
            text: None,
            readable_by: Access::National,
            sort: SortKey::Date,
            descending: false,
            limit: 50,
            cursor: None,
        }
    }
}

impl Query {
    /// A query for every record of `kind`.
    pub fn kind(kind: RecordKind) -> Query {
        Query {
            kinds: vec![kind],
            ..Query::default()
        }
    }
}

/// One result of a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The record with its revision.
    #[serde(flatten)]
    pub stored: Stored<AnyRecord>,
    /// For text queries: the first field that matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<TextMatch>,
}

/// Where a text query matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextMatch {
    /// The field path, e.g. `title` or `chairs[0].name`.
    pub field: String,
    /// The field's text.
    pub text: String,
    /// Relevance: higher is better.
    pub score: u32,
    /// When the matched value was inferred rather than stated by a source: from what. A reader
    /// is told the match rests on an inference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred: Option<danvan_core::inferred::Inference>,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// The items, in order.
    pub items: Vec<Hit>,
    /// How many records match in all.
    pub total: usize,
    /// Pass as [`Query::cursor`] for the next page; `None` on the last page.
    pub next: Option<String>,
    /// The store revision the page was read at.
    pub revision: u64,
}

/// One result of a query, borrowed from the store for the length of a call (see
/// [`Store::query_now_with`]).
#[derive(Debug, Clone, PartialEq)]
pub struct HitRef<'a> {
    /// The record with its revision.
    pub stored: Stored<RecordRef<'a>>,
    /// For text queries: the first field that matched.
    pub matched: Option<TextMatch>,
}

/// A page of results, borrowed from the store for the length of a call (see
/// [`Store::query_now_with`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PageRef<'a> {
    /// The items, in order.
    pub items: Vec<HitRef<'a>>,
    /// How many records match in all.
    pub total: usize,
    /// Pass as [`Query::cursor`] for the next page; `None` on the last page.
    pub next: Option<String>,
    /// The store revision the page was read at.
    pub revision: u64,
}

impl PageRef<'_> {
    /// An owned copy.
    pub fn to_owned(&self) -> Page {
        Page {
            items: self
                .items
                .iter()
                .map(|h| Hit {
                    stored: Stored {
                        revision: h.stored.revision,
                        record: h.stored.record.to_owned(),
                    },
                    matched: h.matched.clone(),
                })
                .collect(),
            total: self.total,
            next: self.next.clone(),
            revision: self.revision,
        }
    }
}

impl Page {
    /// Borrows the page.
    pub fn as_ref(&self) -> PageRef<'_> {
        PageRef {
            items: self
                .items
                .iter()
                .map(|h| HitRef {
                    stored: Stored {
                        revision: h.stored.revision,
                        record: h.stored.record.as_ref(),
                    },
                    matched: h.matched.clone(),
                })
                .collect(),
            total: self.total,
            next: self.next.clone(),
            revision: self.revision,
        }
    }
}

/// How to import.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportOptions {
    /// Check everything and report, but write nothing.
    pub dry_run: bool,
    /// Who imports, and why.
    pub author: Author,
}

/// What an import did, or would do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// Records that did not exist.
    pub created: usize,
    /// Records that existed and differ.
    pub updated: usize,
    /// Records identical to what is stored.
    pub unchanged: usize,
    /// Every problem found; an import with any error writes nothing.
    pub problems: Vec<Problem>,
    /// The store revision after the import (the current one for a dry run or a failed import).
    pub revision: u64,
    /// For a dry run: each record the import would create or update, in the order given; a
    /// record not listed would be left as it is. Empty for an import that ran (its counts say
    /// what it did).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub planned: Vec<Planned>,
    /// The records the importer may not change (see [`Author::access`]), each also among the
    /// problems: a front end that refuses such an import whole as forbidden (HTTP 403) tells
    /// it from one refused as invalid.
    #[serde(skip)]
    pub forbidden: Vec<danvan_core::access::Refusal>,
}

/// What an import would do to one record (see [`ImportReport::planned`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Planned {
    /// The record's kind.
    pub kind: RecordKind,
    /// Its ID.
    pub id: RecordId,
    /// Created or updated.
    pub action: Action,
}

impl ImportReport {
    /// Whether the import was (or would be) refused.
    pub fn has_errors(&self) -> bool {
        danvan_core::validate::has_errors(&self.problems)
    }
}

/// The export document: a dataset with a header saying what it is and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    /// Always `"danvan-export"`.
    pub format: String,
    /// The export format version: 1.
    pub version: u32,
    /// The store revision the export was read at.
    #[serde(default)]
    pub revision: u64,
    /// The records.
    #[serde(flatten)]
    pub dataset: Dataset,
    /// Each record's own revision (the write that last changed it), by the dataset's array
    /// name and the record's ID: what an integrator that mirrors the store sends back as
    /// `If-Match`. Empty in an export that does not say (one written by hand, or before
    /// danvan kept it); an import ignores it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub revisions: BTreeMap<String, BTreeMap<String, u64>>,
}

/// One line of a JSON Lines export: `{"kind", "record", "revision"}`, the record with its own
/// revision. An import reads the line as the record (the revision is ignored).
#[derive(Debug, Serialize)]
pub struct ExportLine<'a> {
    /// The record, as `kind` and `record`.
    #[serde(flatten)]
    pub record: &'a AnyRecord,
    /// Its revision, when the export says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<u64>,
}

/// The export format's name.
pub const EXPORT_FORMAT: &str = "danvan-export";
/// The export format's version.
pub const EXPORT_VERSION: u32 = 1;

impl Export {
    /// Wraps a dataset read at `revision`.
    pub fn new(dataset: Dataset, revision: u64) -> Export {
        Export {
            format: EXPORT_FORMAT.to_string(),
            version: EXPORT_VERSION,
            revision,
            revisions: BTreeMap::new(),
            dataset,
        }
    }

    /// The revision of the record `kind`/`id`, if the export says.
    pub fn revision_of(&self, kind: RecordKind, id: &RecordId) -> Option<u64> {
        self.revisions.get(kind.plural())?.get(id.as_str()).copied()
    }

    /// Each record as a JSON Lines export writes it, with its revision.
    pub fn lines(&self) -> impl Iterator<Item = (AnyRecord, Option<u64>)> + '_ {
        self.dataset.records().map(|r| {
            let revision = self.revision_of(r.kind(), r.id());
            (r, revision)
        })
    }
}

/// Storage for danvan records. Implementations are safe to share between threads.
///
/// Writes are validated by danvan-core and rejected with every problem; references between
/// records are kept whole. A batch is all-or-nothing.
pub trait Store: Send + Sync {
    /// The store-wide revision: the number of committed writes.
    fn revision(&self) -> Result<u64, StoreError>;

    /// How many records the store holds. The default counts what [`visit`](Store::visit)
    /// lends; stores that know override it.
    fn len(&self) -> Result<usize, StoreError> {
        let mut n = 0;
        self.visit(&Query::default(), &mut |_| n += 1)?;
        Ok(n)
    }

    /// Whether the store holds no records.
    fn is_empty(&self) -> Result<bool, StoreError> {
        self.len().map(|n| n == 0)
    }

    /// The record `kind`/`id`, if it exists.
    fn get(&self, kind: RecordKind, id: &RecordId)
    -> Result<Option<Stored<AnyRecord>>, StoreError>;

    /// Applies a batch: all of it, or none. Each put is validated on its own and against the
    /// store (references must resolve, within the batch or the store). A delete of a record
    /// others refer to is refused unless it cascades; a cascade detaches the referring records
    /// (removing the reference from a list or optional field, which updates them) and deletes
    /// observations of a deleted indicator.
    ///
    /// The write is recorded as made by [`Author::UNNAMED`]; front ends use
    /// [`apply_by`](Store::apply_by).
    fn apply(&self, ops: Vec<Op>) -> Result<Receipt, StoreError> {
        self.apply_by(ops, &Author::default())
    }

    /// [`apply`](Store::apply), recording `author` with the write.
    fn apply_by(&self, ops: Vec<Op>, author: &Author) -> Result<Receipt, StoreError>;

    /// Creates or replaces one record.
    fn put(&self, record: AnyRecord, expected: Expected) -> Result<Receipt, StoreError> {
        self.apply(vec![Op::Put { record, expected }])
    }

    /// [`put`](Store::put), recording `author` with the write.
    fn put_by(
        &self,
        record: AnyRecord,
        expected: Expected,
        author: &Author,
    ) -> Result<Receipt, StoreError> {
        self.apply_by(vec![Op::Put { record, expected }], author)
    }

    /// [`delete`](Store::delete), recording `author` with the write.
    fn delete_by(
        &self,
        kind: RecordKind,
        id: &RecordId,
        expected: Expected,
        cascade: bool,
        author: &Author,
    ) -> Result<Receipt, StoreError> {
        self.apply_by(
            vec![Op::Delete {
                kind,
                id: id.clone(),
                expected,
                cascade,
            }],
            author,
        )
    }

    /// Deletes one record.
    fn delete(
        &self,
        kind: RecordKind,
        id: &RecordId,
        expected: Expected,
        cascade: bool,
    ) -> Result<Receipt, StoreError> {
        self.apply(vec![Op::Delete {
            kind,
            id: id.clone(),
            expected,
            cascade,
        }])
    }

    /// Runs a query.
    fn query(&self, query: &Query) -> Result<Page, StoreError>;

    /// [`get`](Store::get) if it can answer without waiting — no lock held by a writer applying
    /// a commit, nothing to read from disk — else `None`: then call `get` where waiting is
    /// allowed. For a server's async threads, which must never wait.
    fn get_now(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Option<Result<Option<Stored<AnyRecord>>, StoreError>> {
        let _ = (kind, id);
        None
    }

    /// [`revision`](Store::revision) under the same terms as [`get_now`](Store::get_now): the
    /// revision a `get_now` or `query_now` at this moment would read at. For a server that keeps
    /// answers by revision and may serve one without reading again.
    fn revision_now(&self) -> Option<Result<u64, StoreError>> {
        None
    }

    /// [`query`](Store::query) under the same terms as [`get_now`](Store::get_now).
    fn query_now(&self, query: &Query) -> Option<Result<Page, StoreError>> {
        let _ = query;
        None
    }

    /// [`get_now`](Store::get_now), lending the record to `f` instead of copying it: for a
    /// server that turns it into bytes at once. `f` runs while the store is read, so it must be
    /// quick. The default copies through `get_now`; a store that keeps records in memory lends
    /// them.
    fn get_now_with(
        &self,
        kind: RecordKind,
        id: &RecordId,
        f: &mut dyn FnMut(Option<Stored<RecordRef<'_>>>),
    ) -> Option<Result<(), StoreError>> {
        Some(self.get_now(kind, id)?.map(|found| {
            f(found.as_ref().map(|s| Stored {
                revision: s.revision,
                record: s.record.as_ref(),
            }))
        }))
    }

    /// [`query_now`](Store::query_now), lending the page's records to `f` (as
    /// [`get_now_with`](Store::get_now_with) does).
    fn query_now_with(
        &self,
        query: &Query,
        f: &mut dyn FnMut(PageRef<'_>),
    ) -> Option<Result<(), StoreError>> {
        Some(self.query_now(query)?.map(|page| f(page.as_ref())))
    }

    /// [`get`](Store::get), lending the record to `f` instead of copying it (waiting as `get`
    /// may): for a server that turns it into bytes at once. `f` runs while the store is read,
    /// so it must be quick. The default copies through `get`.
    fn get_with(
        &self,
        kind: RecordKind,
        id: &RecordId,
        f: &mut dyn FnMut(Option<Stored<RecordRef<'_>>>),
    ) -> Result<(), StoreError> {
        let found = self.get(kind, id)?;
        f(found.as_ref().map(|s| Stored {
            revision: s.revision,
            record: s.record.as_ref(),
        }));
        Ok(())
    }

    /// [`query`](Store::query), lending the page's records to `f` (as
    /// [`get_with`](Store::get_with) does). The default copies through `query`.
    fn query_with(&self, query: &Query, f: &mut dyn FnMut(PageRef<'_>)) -> Result<(), StoreError> {
        f(self.query(query)?.as_ref());
        Ok(())
    }

    /// The records that refer to `kind`/`id`.
    fn referrers(
        &self,
        kind: RecordKind,
        id: &RecordId,
    ) -> Result<Vec<(RecordKind, RecordId)>, StoreError>;

    /// Everything, or everything a query matches (ignoring its paging), as one document.
    fn export(&self, query: Option<&Query>) -> Result<Export, StoreError>;

    /// Calls `f` with every record `query` matches (ignoring its sort and paging), in no
    /// particular order, without copying the records first: for passes over many records,
    /// such as reports, that keep only what they need. `f` runs while the store is being read,
    /// so it should not call back into the store.
    ///
    /// The default runs [`export`](Store::export) and visits its records; stores that can
    /// lend their records out override it.
    fn visit(&self, query: &Query, f: &mut dyn FnMut(RecordRef<'_>)) -> Result<(), StoreError> {
        for r in self.export(Some(query))?.dataset.records() {
            f(r.as_ref());
        }
        Ok(())
    }

    /// As [`visit`](Store::visit), lending each record as a [`SharedRecord`]: kept after the
    /// call without a copy (the in-memory backends hold their records so), for passes that keep
    /// many whole records, such as a report's observations and conferences.
    ///
    /// The default runs [`export`](Store::export) and wraps its records.
    fn visit_shared(
        &self,
        query: &Query,
        f: &mut dyn FnMut(SharedRecord),
    ) -> Result<(), StoreError> {
        for r in self.export(Some(query))?.dataset.records() {
            f(SharedRecord::from(r));
        }
        Ok(())
    }

    /// Imports a dataset: validated as a whole against the store, all-or-nothing. Records are
    /// created or replaced by ID.
    fn import(&self, dataset: Dataset, options: ImportOptions) -> Result<ImportReport, StoreError>;

    /// Validates every stored record and the references between them.
    fn validate(&self) -> Result<Vec<Problem>, StoreError>;

    /// The changes after `after` (a revision, or the `next` of a previous page), in commit
    /// order, at most `limit`: every create, update and delete, deletions as tombstones. The
    /// way to stay in sync: follow each page's `next`; where it is `None`, the feed is read up
    /// to the page's `revision`, the position to ask from later. A position beyond the
    /// store's revision is [`StoreError::FeedAhead`]; one older than the feed holds,
    /// [`StoreError::Pruned`].
    fn changes(&self, after: &str, limit: usize) -> Result<FeedPage, StoreError>;

    /// Every revision of `kind`/`id` the store still holds, oldest first, with who made it,
    /// when, why, and each field's old and new value.
    fn history(&self, kind: RecordKind, id: &RecordId) -> Result<Vec<HistoryEntry>, StoreError>;

    /// Checks what is stored against what the store wrote (for the JSON store: every shard
    /// against the checkpoint's checksums, the journal's acknowledged bytes against their
    /// checksum). Damage is returned as [`StoreError::Damaged`] and, from then on, refuses
    /// writes. Reads every file: run it every few minutes, not per request.
    fn verify(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Folds what the store keeps for recovery into its main form now (the JSON store: the
    /// journal into the shards, as writers do on their own past a size), e.g. after seeding a
    /// store a person will read. A no-op where there is nothing to fold.
    fn compact(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Prepares what the first reads of a running server would otherwise prepare on their own
    /// (the JSON store: the index of its journals that histories read through), so that no
    /// request waits for it. Servers call it once, off their request path; a no-op where there
    /// is nothing to prepare.
    fn warm_up(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// The damage found while running, if any: writes are refused while it is set.
    fn damage(&self) -> Option<String> {
        None
    }

    /// Ends the signed-in session `id` (a web app's) for every server on this store, across
    /// restarts, until `until` (seconds since 1970: when the session would have expired
    /// anyway). Kept beside the records, never in their history or the change feed.
    fn end_session(&self, id: &str, until: u64) -> Result<(), StoreError>;

    /// Whether the session `id` was ended by [`end_session`](Store::end_session) and `now`
    /// (seconds since 1970) is before its end. Cheap: servers ask it on every signed-in
    /// request.
    fn session_ended(&self, id: &str, now: u64) -> Result<bool, StoreError>;

    /// The web app's users, sorted by login. Kept beside the records, never in their history,
    /// exports or the change feed: a password hash is nobody's record.
    fn users(&self) -> Result<Vec<danvan_core::user::User>, StoreError>;

    /// The user who signs in as `login`, if any. Servers ask it on every signed-in request.
    fn user(&self, login: &str) -> Result<Option<danvan_core::user::User>, StoreError> {
        Ok(self.users()?.into_iter().find(|u| u.login == login))
    }

    /// Writes `user`: a new login when `create` (refused when the login exists), else a
    /// replacement of the stored user of that login (refused when there is none) — both
    /// [`StoreError::User`]. Whether the writer may do it is the caller's to check
    /// (`User::may_manage`); the store checks the login and name.
    fn put_user(&self, user: &danvan_core::user::User, create: bool) -> Result<(), StoreError>;

    /// Keeps `bytes` (a signed original: a report's PDF or DOCX) and returns their SHA-256, hex,
    /// by which [`file`](Store::file) finds them again. Files are kept by their content, once
    /// however often given, beside the records and never in their history; a record names
    /// one by its hash (`Attachment::sha256`).
    fn put_file(&self, bytes: &[u8]) -> Result<String, StoreError>;

    /// The file of SHA-256 `sha256` (hex), if kept; its bytes are checked against the hash,
    /// and a file that no longer matches is reported as damage, never returned.
    fn file(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError>;

    /// When each province's mass-mobilisation board took its 2025 name: the store's own
    /// correction of the built-in dates, or the built-in dates (see
    /// `danvan_core::board`). Reports head their documents with the board of their date.
    fn board_calendar(&self) -> Result<BoardCalendar, StoreError> {
        Ok(BoardCalendar::builtin())
    }
}

#[cfg(test)]
mod vocabularies {
    use super::*;

    /// `ALL` holds each value of `every` once and nothing else; `every` is checked exhaustive
    /// by the `match` at each call, so a new variant fails to compile until listed.
    fn complete<T: Vocabulary + std::fmt::Debug>(every: &[T]) {
        assert_eq!(T::ALL.len(), every.len(), "{}", T::WHAT);
        for v in every {
            assert_eq!(T::ALL.iter().filter(|x| *x == v).count(), 1, "{v:?}");
            assert_eq!(T::from_name(&v.name()).as_ref(), Ok(v));
        }
    }

    #[test]
    fn every_store_vocabulary_is_complete() {
        let maps = [ProvinceMap::Current, ProvinceMap::AsRecorded];
        for m in maps {
            match m {
                ProvinceMap::Current | ProvinceMap::AsRecorded => {}
            }
        }
        complete(&maps);
        let matching = [PeriodMatch::Within, PeriodMatch::Overlaps];
        for m in matching {
            match m {
                PeriodMatch::Within | PeriodMatch::Overlaps => {}
            }
        }
        complete(&matching);
        let sorts = [
            SortKey::Date,
            SortKey::Id,
            SortKey::Title,
            SortKey::Revision,
            SortKey::Relevance,
        ];
        for k in sorts {
            match k {
                SortKey::Date
                | SortKey::Id
                | SortKey::Title
                | SortKey::Revision
                | SortKey::Relevance => {}
            }
        }
        complete(&sorts);
        assert_eq!(
            SortKey::names(),
            ["date", "id", "title", "revision", "relevance"]
        );
    }
}
