//! Query evaluation over the in-memory state: filters, text matching, ordering and cursors.
//!
//! A province filter starts from that province's index; otherwise every row is a candidate.
//! Filters read per-row metadata, so most rows are rejected without touching the record. The
//! result is ordered by a total order (the sort key, then kind, then ID), which makes a cursor
//! a plain position: the sort key, kind and ID of the last item of a page.

use std::cmp::Ordering;
use std::collections::HashSet;

use chrono::NaiveDate;
use danvan_core::dataset::RecordRef;
use danvan_core::id::RecordId;
use danvan_core::period::Window;
use danvan_core::province::{ProvinceRef, registry};
use danvan_core::text::{compare, search_key};
use danvan_core::validate::RecordKind;
use serde::{Deserialize, Serialize};

use super::state::{FIELD_SEP, NONE, Rec, State, days, field_tag};
use crate::api::{
    Hit, MAX_LIMIT, Page, PeriodMatch, ProvinceMap, Query, SortKey, Stored, TextMatch,
};
use crate::error::StoreError;

/// One matching row with what ordering needs.
struct Item<'a> {
    row: u32,
    kind: RecordKind,
    id: &'a RecordId,
    key: SortValue,
    segment: u32,
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

fn encode_cursor(c: &Cursor) -> String {
    let json = serde_json::to_string(c).unwrap_or_default();
    json.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_cursor(s: &str) -> Result<Cursor, StoreError> {
    let bad = || {
        StoreError::BadQuery(format!(
            "invalid cursor {s:?}: pass back the `next` value of a previous page"
        ))
    };
    if !s.len().is_multiple_of(2) || s.len() > 4096 {
        return Err(bad());
    }
    let bytes: Result<Vec<u8>, _> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2).unwrap_or("zz"), 16))
        .collect();
    let bytes = bytes.map_err(|_| bad())?;
    serde_json::from_slice(&bytes).map_err(|_| bad())
}

/// Resolves a province filter to the slug its index is keyed by.
fn province_slug(text: &str, map: ProvinceMap) -> Result<String, StoreError> {
    let r = ProvinceRef::new(text);
    if r.is_unknown() {
        return Err(StoreError::BadQuery(format!(
            "unknown province {text:?}: use a slug such as \"thai-nguyen\" or a name"
        )));
    }
    Ok(match map {
        ProvinceMap::AsRecorded => r.as_str().to_string(),
        ProvinceMap::Current => {
            let reg = registry();
            let unit = reg
                .all_with_slug(r.as_str())
                .last()
                .ok_or_else(|| StoreError::BadQuery(format!("unknown province {text:?}")))?;
            reg.successor_at(unit, NaiveDate::MAX).slug.to_string()
        }
    })
}

/// Splits a text query into folded words, dropping control characters.
fn words(text: &str) -> Vec<String> {
    search_key(text)
        .split(' ')
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Relevance of a match in a segment: the whole phrase in one field beats all words in one
/// field, which beats words spread across fields; earlier fields (title, name) rank higher;
/// a phrase at the start of a word ranks higher.
fn score(segment: &[u8], phrase: &str, words: &[String]) -> (u32, usize) {
    let mut best = (100u32, 0usize);
    for (i, field) in segment.split(|b| *b == FIELD_SEP).enumerate() {
        let weight = 10 * (i.min(40) as u32);
        let s = if let Some(pos) = memchr::memmem::find(field, phrase.as_bytes()) {
            let at_word = pos == 0 || field[pos - 1] == b' ';
            1000 - weight + if at_word { 5 } else { 0 }
        } else if words
            .iter()
            .all(|w| memchr::memmem::find(field, w.as_bytes()).is_some())
        {
            600 - weight
        } else {
            continue;
        };
        if s > best.0 {
            best = (s, i);
        }
    }
    best
}

/// Every row the query matches, in order, ignoring paging (for exports).
pub(crate) fn all_rows(state: &State, q: &Query) -> Result<Vec<u32>, StoreError> {
    let (items, _, _) = select(state, q)?;
    Ok(items.into_iter().map(|it| it.row).collect())
}

pub(crate) fn run(state: &State, q: &Query) -> Result<Page, StoreError> {
    if q.limit == 0 || q.limit > MAX_LIMIT {
        return Err(StoreError::BadQuery(format!(
            "limit must be 1 to {MAX_LIMIT}, not {}",
            q.limit
        )));
    }
    let cursor = q.cursor.as_deref().map(decode_cursor).transpose()?;
    let (items, text_words, phrase) = select(state, q)?;
    let total = items.len();
    let start = match &cursor {
        Some(c) => items.partition_point(|it| {
            let o = it
                .key
                .cmp(&c.k)
                .then(it.kind.cmp(&c.t))
                .then_with(|| it.id.as_str().cmp(&c.i));
            let o = if q.descending && q.sort != SortKey::Relevance {
                o.reverse()
            } else {
                o
            };
            o != Ordering::Greater
        }),
        None => 0,
    };
    let end = (start + q.limit).min(total);
    let page = &items[start..end];
    let next = (end < total).then(|| {
        let last = &page[page.len() - 1];
        encode_cursor(&Cursor {
            k: last.key.clone(),
            t: last.kind,
            i: last.id.to_string(),
        })
    });
    let hits = page
        .iter()
        .filter_map(|it| {
            let r = state.row(it.row)?;
            let rec: RecordRef<'_> = r.rec.as_ref();
            let matched = match (&text_words, &phrase) {
                (Some(w), Some(p)) if it.segment != u32::MAX => {
                    let (s, field) = score(state.segment(it.segment), p, w);
                    let fields = rec.search_fields();
                    fields.get(field).map(|(name, text)| TextMatch {
                        field: name.clone(),
                        text: (*text).to_string(),
                        score: s,
                    })
                }
                _ => None,
            };
            Some(Hit {
                stored: Stored {
                    revision: r.revision,
                    record: rec.to_owned(),
                },
                matched,
            })
        })
        .collect();
    Ok(Page {
        items: hits,
        total,
        next,
        revision: state.revision,
    })
}

type Selected<'a> = (Vec<Item<'a>>, Option<Vec<String>>, Option<String>);

/// The matching rows, ordered, with the folded query words and phrase.
fn select<'a>(state: &'a State, q: &Query) -> Result<Selected<'a>, StoreError> {
    let text_words = q.text.as_deref().map(words).filter(|w| !w.is_empty());
    if q.sort == SortKey::Relevance && text_words.is_none() {
        return Err(StoreError::BadQuery(
            "sorting by relevance needs a text query".into(),
        ));
    }
    let kinds: HashSet<RecordKind> = if q.kinds.is_empty() {
        RecordKind::ALL.into_iter().collect()
    } else {
        q.kinds.iter().copied().collect()
    };
    // Candidates: a province's rows, text matches, or everything.
    let province_rows: Option<HashSet<u32>> = match &q.province {
        Some(p) => {
            let slug = province_slug(&p.province, p.map)?;
            Some(
                state
                    .rows_in_province(&slug, p.map == ProvinceMap::Current)
                    .into_iter()
                    .collect(),
            )
        }
        None => None,
    };
    let candidates: Vec<(u32, u32)> = match (&text_words, &province_rows) {
        (Some(w), rows) => {
            let refs: Vec<&str> = w.iter().map(String::as_str).collect();
            state
                .text_matches(&refs)
                .into_iter()
                .filter(|(r, _)| rows.as_ref().is_none_or(|s| s.contains(r)))
                .collect()
        }
        (None, Some(rows)) => {
            let mut v: Vec<(u32, u32)> = rows.iter().map(|r| (*r, u32::MAX)).collect();
            v.sort_unstable();
            v
        }
        (None, None) => state.rows().map(|r| (r, u32::MAX)).collect(),
    };

    let since = q.since.map(days);
    let until = q.until.map(days);
    let period = q.period.map(|p| {
        let (a, b) = p.period.date_range(p.window);
        (days(a), days(b), p.matching, p.window)
    });
    let conference_tag = q.conference_kind.map(|k| {
        1u16 << danvan_core::conference::ConferenceKind::ALL
            .iter()
            .position(|x| *x == k)
            .unwrap_or(0)
    });
    let model_tag = q.model_field.map(field_tag);
    let phrase = text_words.as_ref().map(|w| w.join(" "));

    let mut items: Vec<Item<'_>> = Vec::new();
    for (row, segment) in candidates {
        let Some(r) = state.row(row) else { continue };
        let rec = r.rec.as_ref();
        let kind = rec.kind();
        if !kinds.contains(&kind) {
            continue;
        }
        let m = state.meta(row);
        if since.is_some_and(|s| m.date == NONE || m.date < s)
            || until.is_some_and(|u| m.date == NONE || m.date > u)
        {
            continue;
        }
        if let Some((a, b, matching, window)) = period {
            let (start, end) = if window == Window::Calendar {
                (m.start, m.end)
            } else {
                rec.span(window)
                    .map_or((NONE, NONE), |(s, e)| (days(s), days(e)))
            };
            if start == NONE {
                continue;
            }
            let ok = match matching {
                PeriodMatch::Within => a <= start && end <= b,
                PeriodMatch::Overlaps => start <= b && a <= end,
            };
            if !ok {
                continue;
            }
        }
        if conference_tag.is_some_and(|t| kind != RecordKind::Conference || m.tags & t == 0) {
            continue;
        }
        if model_tag.is_some_and(|t| kind != RecordKind::Model || m.tags & t == 0) {
            continue;
        }
        if let Some(ind) = &q.indicator {
            match &r.rec {
                Rec::Observation(o) if o.indicator == *ind => {}
                _ => continue,
            }
        }
        let key = match q.sort {
            SortKey::Date => SortValue::Int(i64::from(m.date)),
            SortKey::Id => SortValue::Text(rec.id().to_string()),
            SortKey::Title => SortValue::Text(rec.title()),
            SortKey::Revision => SortValue::Int(r.revision as i64),
            SortKey::Relevance => {
                let (s, _) = score(
                    state.segment(segment),
                    phrase.as_deref().unwrap_or(""),
                    text_words.as_deref().unwrap_or(&[]),
                );
                // Best first, so the natural ascending order puts high scores first.
                SortValue::Int(-i64::from(s))
            }
        };
        items.push(Item {
            row,
            kind,
            id: rec.id(),
            key,
            segment,
        });
    }

    let order = |a: &Item<'_>, b: &Item<'_>| {
        let o = a
            .key
            .cmp(&b.key)
            .then(a.kind.cmp(&b.kind))
            .then_with(|| a.id.cmp(b.id));
        if q.descending && q.sort != SortKey::Relevance {
            o.reverse()
        } else {
            o
        }
    };
    items.sort_unstable_by(order);
    Ok((items, text_words, phrase))
}
