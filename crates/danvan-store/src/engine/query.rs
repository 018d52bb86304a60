//! Query evaluation over the in-memory state: filters, text matching, ordering and cursors.
//!
//! A province filter starts from that province's index; otherwise every row is a candidate.
//! Filters read per-row metadata, so most rows are rejected without touching the record. The
//! result is ordered by a total order (the sort key, then kind, then ID), which makes a cursor
//! a plain position: the sort key, kind and ID of the last item of a page.

use std::cmp::Ordering;

use danvan_core::dataset::RecordRef;
use danvan_core::period::Window;
use danvan_core::province::{ProvinceRef, registry};
use danvan_core::record_kind::RecordKind;
use danvan_core::text::{compare, search_key};
use serde::{Deserialize, Serialize};

use crate::api::{
    HitRef, MAX_LIMIT, Page, PageRef, PeriodMatch, ProvinceMap, Query, SortKey, Stored, TextMatch,
};
use crate::engine::state::{FIELD_SEP, KINDS, NONE, Rec, State, days, field_tag};
use crate::error::StoreError;

/// One matching row with what ordering needs. The ID, needed only to break ties, is read from
/// the record when two keys are equal.
struct Item {
    row: u32,
    kind: RecordKind,
    key: SortValue,
    segment: u32,
    /// Text relevance (0 without a text query).
    score: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
enum SortValue {
    Int(i64),
    Text(String),
}

impl SortValue {
    fn cmp(&self, other: &SortValue) -> Ordering {
        match (self, other) {
            (SortValue::Int(a), SortValue::Int(b)) => a.cmp(b),
            (SortValue::Text(a), SortValue::Text(b)) => compare(a, b).then_with(|| a.cmp(b)),
            (SortValue::Int(_), SortValue::Text(_)) => Ordering::Less,
            (SortValue::Text(_), SortValue::Int(_)) => Ordering::Greater,
        }
    }
}

/// Where the previous page ended.
#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    k: SortValue,
    t: RecordKind,
    i: String,
}

/// A cursor as clients see it: `[key, kind, id]` as JSON, in URL-safe base64 without padding,
/// short enough to type (`WzczODgxMCwxLCJ5Yi0yMDIzIl0`); the kind is its index in [`KINDS`].
fn encode_cursor(c: &Cursor) -> String {
    use base64::Engine as _;
    let kind = KINDS.iter().position(|k| *k == c.t).unwrap_or(0);
    let json = serde_json::to_vec(&(&c.k, kind, &c.i)).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

fn decode_cursor(s: &str) -> Result<Cursor, StoreError> {
    use base64::Engine as _;
    let bad = || {
        StoreError::BadQuery(format!(
            "invalid cursor {s:?}: pass back the `next` value of a previous page"
        ))
    };
    if s.len() > 4096 {
        return Err(bad());
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| bad())?;
    if let Ok((k, kind, i)) = serde_json::from_slice::<(SortValue, usize, String)>(&bytes) {
        let t = *KINDS.get(kind).ok_or_else(bad)?;
        return Ok(Cursor { k, t, i });
    }
    decode_hex_cursor(s).ok_or_else(bad)
}

/// A cursor of the earlier, longer form (hex of the JSON object), still read so that a client
/// paging across an upgrade goes on.
fn decode_hex_cursor(s: &str) -> Option<Cursor> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Vec<u8> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    serde_json::from_slice(&bytes).ok()
}

/// Resolves a province filter to the slug its index is keyed by.
fn province_slug(text: &str, map: ProvinceMap) -> Result<String, StoreError> {
    let r = ProvinceRef::new(text);
    let unknown = || {
        StoreError::BadQuery(format!(
            "unknown province {text:?}: use a slug such as \"thai-nguyen\" or a name"
        ))
    };
    if r.is_unknown() {
        return Err(unknown());
    }
    Ok(match map {
        ProvinceMap::AsRecorded => r.as_str().to_string(),
        ProvinceMap::Current => registry()
            .current(r.as_str())
            .ok_or_else(unknown)?
            .slug
            .to_string(),
    })
}

/// The folded words of a text query, each with its vowel-shape marks when it was typed with
/// diacritics (see `danvan_core::text::query_marks`).
fn query_words(text: &str) -> Vec<(String, Option<Vec<u8>>)> {
    text.split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter_map(|w| {
            let key = search_key(&w);
            (!key.is_empty()).then(|| {
                let marks = danvan_core::text::query_marks(&w).filter(|m| m.len() == key.len());
                (key, marks)
            })
        })
        .collect()
}

/// The index of the search field a match is reported in: where the whole phrase occurs, else
/// the first field holding every word, else the first holding the longest word.
fn matched_field(segment: &[u8], phrase: &str, words: &[String]) -> usize {
    let fields: Vec<&[u8]> = segment.split(|b| *b == FIELD_SEP).collect();
    // Whole syllables, as the match itself (`state::find_word`, marks aside).
    let has = |f: &[u8], w: &str| {
        crate::engine::state::find_word(f, &[], &memchr::memmem::Finder::new(w.as_bytes()), None)
            .is_some()
    };
    let longest = words
        .iter()
        .max_by_key(|w| w.len())
        .map_or("", String::as_str);
    fields
        .iter()
        .position(|f| has(f, phrase))
        .or_else(|| fields.iter().position(|f| words.iter().all(|w| has(f, w))))
        .or_else(|| fields.iter().position(|f| has(f, longest)))
        .unwrap_or(0)
}

/// The rows a query matches, in no particular order.
pub(crate) fn unordered_rows(state: &State, q: &Query) -> Result<Vec<u32>, StoreError> {
    Ok(select(state, q)?
        .items
        .into_iter()
        .map(|it| it.row)
        .collect())
}

pub(crate) fn all_rows(state: &State, q: &Query) -> Result<Vec<u32>, StoreError> {
    let sel = select(state, q)?;
    let mut items = sel.items;
    let order = ordering(state, q);
    items.sort_unstable_by(|a, b| order(a, b));
    Ok(items.into_iter().map(|it| it.row).collect())
}

/// The total order of results: sort key, then kind, then ID; reversed for descending.
fn ordering<'a>(state: &'a State, q: &Query) -> impl Fn(&Item, &Item) -> Ordering + 'a {
    let reverse = q.descending && q.sort != SortKey::Relevance;
    move |a: &Item, b: &Item| {
        let o = a
            .key
            .cmp(&b.key)
            .then(a.kind.cmp(&b.kind))
            .then_with(|| id_of(state, a.row).cmp(id_of(state, b.row)));
        if reverse { o.reverse() } else { o }
    }
}

fn id_of(state: &State, row: u32) -> &str {
    state.row(row).map_or("", |r| r.rec.as_ref().id().as_str())
}

pub(crate) fn run(state: &State, q: &Query) -> Result<Page, StoreError> {
    run_ref(state, q).map(|p| p.to_owned())
}

/// [`run`], lending the page's records from `state`.
pub(crate) fn run_ref<'s>(state: &'s State, q: &Query) -> Result<PageRef<'s>, StoreError> {
    if q.limit == 0 || q.limit > MAX_LIMIT {
        return Err(StoreError::BadQuery(format!(
            "limit must be 1 to {MAX_LIMIT}, not {}",
            q.limit
        )));
    }
    let cursor = q.cursor.as_deref().map(decode_cursor).transpose()?;
    let sel = select(state, q)?;
    let total = sel.items.len();
    let mut items = sel.items;
    let order = ordering(state, q);
    if let Some(c) = &cursor {
        let reverse = q.descending && q.sort != SortKey::Relevance;
        items.retain(|it| {
            let o = it
                .key
                .cmp(&c.k)
                .then(it.kind.cmp(&c.t))
                .then_with(|| id_of(state, it.row).cmp(c.i.as_str()));
            (if reverse { o.reverse() } else { o }) == Ordering::Greater
        });
    }
    // Only the page needs sorting: partition the rest off first.
    let more = items.len() > q.limit;
    if more {
        items.select_nth_unstable_by(q.limit, |a, b| order(a, b));
        items.truncate(q.limit);
    }
    items.sort_unstable_by(|a, b| order(a, b));
    let next = more.then(|| {
        let last = &items[items.len() - 1];
        encode_cursor(&Cursor {
            k: last.key.clone(),
            t: last.kind,
            i: id_of(state, last.row).to_string(),
        })
    });
    let hits = items
        .iter()
        .filter_map(|it| {
            let r = state.row(it.row)?;
            let rec: RecordRef<'_> = r.rec.as_ref();
            let matched = match (&sel.words, &sel.phrase) {
                (Some(w), Some(p)) if it.segment != u32::MAX => {
                    let segment = state.segment(it.segment);
                    let score = it.score;
                    let field = matched_field(segment, p, w);
                    rec.search_fields()
                        .into_iter()
                        .nth(field)
                        .map(|(name, text)| TextMatch {
                            inferred: matched_inference(rec, &name),
                            field: name,
                            text: text.to_string(),
                            score,
                        })
                }
                _ => None,
            };
            Some(HitRef {
                stored: Stored {
                    revision: r.revision,
                    record: rec,
                },
                matched,
            })
        })
        .collect();
    Ok(PageRef {
        items: hits,
        total,
        next,
        revision: state.revision,
    })
}

/// A query's filters other than province and text, folded for the per-row test.
struct Filter<'q> {
    kinds: [bool; KINDS.len()],
    since: Option<i32>,
    until: Option<i32>,
    /// First and last day, matching and window.
    period: Option<(i32, i32, PeriodMatch, Window)>,
    conference_tag: Option<u16>,
    model_tag: Option<u16>,
    indicator: Option<&'q danvan_core::id::RecordId>,
    reviewed_period: Option<&'q danvan_core::period::Period>,
    /// A reader bound to provinces (`None`: every record may be read).
    readable_by: Option<&'q crate::api::Access>,
}

impl<'q> Filter<'q> {
    fn new(q: &'q Query, kinds: [bool; KINDS.len()]) -> Filter<'q> {
        Filter {
            kinds,
            since: q.since.map(days),
            until: q.until.map(days),
            period: q.period.map(|p| {
                let (a, b) = p.period.date_range(p.window);
                (days(a), days(b), p.matching, p.window)
            }),
            conference_tag: q.conference_kind.map(crate::engine::state::conference_tag),
            model_tag: q.model_field.map(field_tag),
            indicator: q.indicator.as_ref(),
            reviewed_period: q.reviewed_period.as_ref(),
            readable_by: (!q.readable_by.is_national()).then_some(&q.readable_by),
        }
    }

    /// Whether `row` (of `kind`, with `m`) passes every filter.
    fn keeps(
        &self,
        state: &State,
        row: u32,
        kind: RecordKind,
        m: &crate::engine::state::Meta,
    ) -> bool {
        if !self.kinds[m.kind as usize] {
            return false;
        }
        if self.since.is_some_and(|s| m.date == NONE || m.date < s)
            || self.until.is_some_and(|u| m.date == NONE || m.date > u)
        {
            return false;
        }
        if let Some((a, b, matching, window)) = self.period {
            let (start, end) = if window == Window::Calendar {
                (m.start, m.end)
            } else {
                match state.row(row).and_then(|r| r.rec.as_ref().span(window)) {
                    Some((s, e)) => (days(s), days(e)),
                    None => (NONE, NONE),
                }
            };
            let ok = match matching {
                PeriodMatch::Within => a <= start && end <= b,
                PeriodMatch::Overlaps => start <= b && a <= end,
            };
            if start == NONE || !ok {
                return false;
            }
        }
        if self
            .conference_tag
            .is_some_and(|t| kind != RecordKind::Conference || m.tags & t == 0)
            || self
                .model_tag
                .is_some_and(|t| kind != RecordKind::Model || m.tags & t == 0)
        {
            return false;
        }
        if let Some(ind) = self.indicator
            && !matches!(state.row(row).map(|r| &r.rec), Some(Rec::Observation(o)) if o.indicator == *ind)
        {
            return false;
        }
        if let Some(access) = self.readable_by
            && !state
                .row(row)
                .is_some_and(|r| access.may_read(r.rec.as_ref()))
        {
            return false;
        }
        if let Some(reviewed) = self.reviewed_period
            && !matches!(
                state.row(row).map(|r| &r.rec),
                Some(Rec::Conference(c)) if c.reviewed_period.is_some_and(|p| reviewed.contains(&p))
            )
        {
            return false;
        }
        true
    }
}

/// The value `row` sorts by.
fn sort_value(
    state: &State,
    sort: SortKey,
    row: u32,
    m: &crate::engine::state::Meta,
    score: u32,
) -> SortValue {
    match sort {
        SortKey::Date => SortValue::Int(i64::from(m.date)),
        SortKey::Revision => SortValue::Int(state.row(row).map_or(0, |r| r.revision as i64)),
        // Best first, then most recent: one integer, so that the many matches sharing a
        // score are ordered without reading their IDs.
        SortKey::Relevance => {
            SortValue::Int(-((i64::from(score) << 32) + i64::from(m.date) - i64::from(NONE)))
        }
        SortKey::Id => SortValue::Text(id_of(state, row).to_string()),
        SortKey::Title => SortValue::Text(
            state
                .row(row)
                .map(|r| r.rec.as_ref().title())
                .unwrap_or_default(),
        ),
    }
}

/// What [`select`] found.
struct Selected {
    items: Vec<Item>,
    words: Option<Vec<String>>,
    phrase: Option<String>,
}

/// The matching rows, unordered, with the folded query words and phrase.
fn select(state: &State, q: &Query) -> Result<Selected, StoreError> {
    let marked_words = q.text.as_deref().map(query_words).filter(|w| !w.is_empty());
    let text_words: Option<Vec<String>> = marked_words
        .as_ref()
        .map(|w| w.iter().map(|(t, _)| t.clone()).collect());
    if q.sort == SortKey::Relevance && text_words.is_none() {
        return Err(StoreError::BadQuery(
            "sorting by relevance needs a text query".into(),
        ));
    }
    let mut kinds = [q.kinds.is_empty(); KINDS.len()];
    for k in &q.kinds {
        kinds[crate::engine::state::kind_index(*k)] = true;
    }

    // Candidates: a province's rows, text matches, or everything.
    let province_rows: Option<Vec<u32>> = match &q.province {
        Some(p) => Some(state.rows_in_province(
            &province_slug(&p.province, p.map)?,
            p.map == ProvinceMap::Current,
            kinds,
        )),
        None => None,
    };
    const NO_SEG: u32 = u32::MAX;
    let candidates: Vec<(u32, u32, u32)> = match (&text_words, &province_rows) {
        (Some(_), rows) => {
            let refs: Vec<crate::engine::state::QueryWord<'_>> = marked_words
                .iter()
                .flatten()
                .map(|(text, marks)| crate::engine::state::QueryWord {
                    text,
                    marks: marks.clone(),
                })
                .collect();
            let matches = state.text_matches(&refs);
            match rows {
                Some(rows) => matches
                    .into_iter()
                    .filter(|(r, _, _)| rows.binary_search(r).is_ok())
                    .collect(),
                None => matches,
            }
        }
        (None, Some(rows)) => rows.iter().map(|r| (*r, NO_SEG, 0)).collect(),
        (None, None) => state.rows().map(|r| (r, NO_SEG, 0)).collect(),
    };

    let filter = Filter::new(q, kinds);
    let phrase = text_words.as_ref().map(|w| w.join(" "));
    let mut items: Vec<Item> = Vec::with_capacity(candidates.len().min(1 << 20));
    for (row, segment, score) in candidates {
        let m = state.meta(row);
        let Some(&kind) = KINDS.get(m.kind as usize) else {
            continue;
        };
        if !filter.keeps(state, row, kind, m) {
            continue;
        }
        items.push(Item {
            row,
            kind,
            key: sort_value(state, q.sort, row, m, score),
            segment,
            score,
        });
    }
    Ok(Selected {
        items,
        words: text_words,
        phrase,
    })
}

/// The mark on the field a text query matched, when its value was inferred rather than stated
/// (`province` found by the province's name, the province taken from the site).
fn matched_inference(rec: RecordRef<'_>, field: &str) -> Option<danvan_core::inferred::Inference> {
    let base = field.split(['[', '.']).next().unwrap_or(field);
    danvan_core::inferred::find(rec.inferred(), base).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_are_short_and_read_back() {
        let c = Cursor {
            k: SortValue::Text("hội nghị sơ kết".into()),
            t: RecordKind::Conference,
            i: "tn-2024-so-ket-6-thang".into(),
        };
        let s = encode_cursor(&c);
        assert!(s.len() < 80, "{s}");
        assert!(
            s.starts_with('W'),
            "never a leading '-' a command line takes for a flag"
        );
        let back = decode_cursor(&s).unwrap();
        assert_eq!((back.k, back.t, back.i), (c.k, c.t, c.i));
        // The earlier hex form still reads.
        let hex: String = serde_json::to_string(&Cursor {
            k: SortValue::Int(738_810),
            t: RecordKind::Model,
            i: "m-1".into(),
        })
        .unwrap()
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect();
        let old = decode_cursor(&hex).unwrap();
        assert_eq!(
            (old.k, old.t, old.i),
            (SortValue::Int(738_810), RecordKind::Model, "m-1".into())
        );
        assert!(
            decode_cursor("WzEsMTAsIngiXQ").is_err(),
            "kind 10 does not exist"
        );
        assert!(decode_cursor("not a cursor").is_err());
    }
}
