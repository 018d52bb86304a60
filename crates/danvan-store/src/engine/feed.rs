//! The change feed and record histories over a backend's log of commits, oldest first: every
//! backend keeps such a log (the JSON store in its journals) and pages it the same way.

use std::path::PathBuf;

use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use serde_json::Value;

use super::effect::{Commit, Effect};
use crate::api::{Action, Author, FeedEntry, FeedPage, FieldChange, HistoryEntry};
use crate::error::StoreError;

/// Where a feed page starts: after revision `.0`, and within it after op `.1` (all of it when
/// `None`).
fn parse_after(after: &str) -> Result<(u64, Option<usize>), StoreError> {
    let bad = || {
        StoreError::BadQuery(format!(
            "{after:?} is not a revision or a feed position (such as 41 or 41.7)"
        ))
    };
    match after.split_once('.') {
        None => Ok((after.parse().map_err(|_| bad())?, None)),
        Some((r, i)) => Ok((
            r.parse().map_err(|_| bad())?,
            Some(i.parse().map_err(|_| bad())?),
        )),
    }
}

/// RFC 3339 of milliseconds since 1970.
fn rfc3339(ms: u64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms as i64)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// One op as a feed entry's parts: kind, ID, action, the record as written, and a tombstone's
/// province.
type OpParts = (
    RecordKind,
    RecordId,
    Action,
    Option<danvan_core::dataset::AnyRecord>,
    Option<String>,
);

/// The parts of one op.
fn op_parts(op: Effect) -> OpParts {
    match op {
        Effect::Create(r) => (r.kind(), r.id().clone(), Action::Created, Some(r), None),
        // Format 2 journals did not say; an update is the safe reading for a follower.
        Effect::Update(r) | Effect::Put(r) => {
            (r.kind(), r.id().clone(), Action::Updated, Some(r), None)
        }
        Effect::Delete { kind, id, province } => (kind, id, Action::Deleted, None, province),
    }
}

/// The commits a page needs: `Err` from the source stops the page with that error.
pub(crate) type Commits<'a> = Box<dyn Iterator<Item = Result<Commit, StoreError>> + 'a>;

/// The first revision a page starting at `after` needs: the revision named when the position
/// is inside it (`41.7`), the one after it when it is whole (`41`).
pub(crate) fn first_needed(after: &str) -> Result<u64, StoreError> {
    Ok(match parse_after(after)? {
        (rev, Some(_)) => rev,
        (rev, None) => rev + 1,
    })
}

/// Where a feed page starts, checked against the log: the oldest revision it holds and the
/// store's latest. A position inside a revision (`41.7`) needs that revision itself; a whole
/// one (`41`) needs only those after it. A position beyond the latest revision cannot have come
/// from this store's feed (or the store was put back to an older copy): an error, never an
/// empty page that a follower would take for "nothing new".
pub(crate) fn start(
    after: &str,
    oldest: u64,
    latest: u64,
) -> Result<(u64, Option<usize>), StoreError> {
    let (after_rev, after_op) = parse_after(after)?;
    if after_rev > latest {
        return Err(StoreError::FeedAhead {
            after: after.to_string(),
            latest,
        });
    }
    if first_needed(after)? < oldest {
        return Err(StoreError::Pruned {
            after: after_rev,
            oldest,
        });
    }
    Ok((after_rev, after_op))
}

/// One op of a committed batch and where it sits: the `idx`-th of the `count` ops of commit
/// `seq`. A backend that keeps ops one per row (PostgreSQL) pages these directly.
pub(crate) struct Placed {
    pub(crate) seq: u64,
    pub(crate) idx: usize,
    pub(crate) count: usize,
    /// Milliseconds since 1970.
    pub(crate) at: u64,
    pub(crate) author: Author,
    pub(crate) effect: Effect,
}

/// A page of at most `limit` changes from `ops`: the ops after the page's start, in commit
/// order. An op beyond the `limit`-th says that more follow.
pub(crate) fn page(
    ops: impl Iterator<Item = Result<Placed, StoreError>>,
    latest: u64,
    oldest: u64,
    limit: usize,
) -> Result<FeedPage, StoreError> {
    let mut items: Vec<FeedEntry> = Vec::new();
    // Where the last item sits: its revision, its op's index, and whether that op ends it.
    let mut last: Option<(u64, usize, bool)> = None;
    let mut next = None;
    for op in ops {
        let op = op?;
        if items.len() == limit {
            // More follow: the next page starts after the last item.
            next = last.map(|(seq, idx, ends)| {
                if ends {
                    seq.to_string()
                } else {
                    format!("{seq}.{idx}")
                }
            });
            break;
        }
        let (kind, id, action, record, province) = op_parts(op.effect);
        items.push(FeedEntry {
            revision: op.seq,
            at: rfc3339(op.at),
            author: op.author,
            kind,
            id,
            action,
            record,
            province,
        });
        last = Some((op.seq, op.idx, op.idx + 1 == op.count));
    }
    Ok(FeedPage {
        items,
        next,
        revision: latest,
        oldest,
    })
}

/// A page of the feed after `after`, at most `limit` changes, from `commits` (oldest first;
/// they may start anywhere at or before the first revision wanted). `oldest` is the oldest
/// revision the log holds, `latest` the store's revision.
pub(crate) fn changes(
    commits: Commits<'_>,
    latest: u64,
    oldest: u64,
    after: &str,
    limit: usize,
) -> Result<FeedPage, StoreError> {
    let (after_rev, after_op) = start(after, oldest, latest)?;
    // A commit past `latest` (written since the caller read it) belongs to a later page.
    let commits = commits.take_while(|c| c.as_ref().map_or(true, |e| e.seq <= latest));
    let ops = commits.flat_map(
        move |commit| -> Box<dyn Iterator<Item = Result<Placed, StoreError>>> {
            let entry = match commit {
                Ok(entry) => entry,
                Err(e) => return Box::new(std::iter::once(Err(e))),
            };
            let skip = match (entry.seq.cmp(&after_rev), after_op) {
                (std::cmp::Ordering::Less, _) | (std::cmp::Ordering::Equal, None) => {
                    return Box::new(std::iter::empty());
                }
                (std::cmp::Ordering::Equal, Some(i)) => i + 1,
                (std::cmp::Ordering::Greater, _) => 0,
            };
            let Commit {
                seq,
                at,
                author,
                ops,
            } = entry;
            let count = ops.len();
            Box::new(
                ops.into_iter()
                    .enumerate()
                    .skip(skip)
                    .map(move |(idx, effect)| {
                        Ok(Placed {
                            seq,
                            idx,
                            count,
                            at,
                            author: author.clone(),
                            effect,
                        })
                    }),
            )
        },
    );
    page(ops, latest, oldest, limit)
}

/// Every revision of `kind`/`id` in `commits`, with each field's change.
pub(crate) fn history(
    commits: Commits<'_>,
    kind: RecordKind,
    id: &RecordId,
) -> Result<Vec<HistoryEntry>, StoreError> {
    let mut out = Vec::new();
    let mut previous: Option<Value> = None;
    for commit in commits {
        let entry = commit?;
        for op in entry.ops {
            let (k, i, action, record, _) = op_parts(op);
            if k != kind || i != *id {
                continue;
            }
            let now = match &record {
                Some(r) => Some(record_value(r)?),
                None => None,
            };
            let mut changes = Vec::new();
            diff("", previous.as_ref(), now.as_ref(), &mut changes);
            out.push(HistoryEntry {
                revision: entry.seq,
                at: rfc3339(entry.at),
                author: entry.author.clone(),
                action,
                changes,
            });
            previous = now;
        }
    }
    Ok(out)
}

fn record_value(r: &danvan_core::dataset::AnyRecord) -> Result<Value, StoreError> {
    r.to_json().map_err(|e| StoreError::Io {
        at: PathBuf::from("history").into(),
        source: std::io::Error::other(e),
    })
}

/// The field changes from `old` to `new` under `path`: objects field by field, anything else
/// (arrays included) as a whole.
fn diff(path: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<FieldChange>) {
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                diff(&p, a.get(k), b.get(k), out);
            }
        }
        (None, Some(Value::Object(b))) if path.is_empty() => {
            for (k, v) in b {
                diff(k, None, Some(v), out);
            }
        }
        (Some(Value::Object(a)), None) if path.is_empty() => {
            for (k, v) in a {
                diff(k, Some(v), None, out);
            }
        }
        (a, b) if a != b => out.push(FieldChange {
            field: path.to_string(),
            old: a.cloned(),
            new: b.cloned(),
        }),
        _ => {}
    }
}
