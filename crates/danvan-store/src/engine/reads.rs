//! What a backend answers from its in-memory state, the same for every backend: records,
//! referrers, exports and visits, validation of everything stored, receipts and import
//! reports; and how a commit's effects are applied to the state.

use danvan_core::dataset::{
    AnyRecord, Dataset, RecordRef, check_held_reviews, check_references, duplicate_figure,
};
use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use danvan_core::unit::{check_figure_unit, check_unit_clash, name_key, registry_slug};
use danvan_core::validate::Problem;

use super::effect::Effect;
use super::plan::Plan;
use super::query;
use super::state::{Rec, State};
use crate::api::{Action, Change, Expected, Export, ImportReport, Op, Query, Receipt, Stored};
use crate::error::StoreError;

/// The record `kind`/`id`.
pub(crate) fn get(s: &State, kind: RecordKind, id: &RecordId) -> Option<Stored<AnyRecord>> {
    s.get(kind, id).map(|r| Stored {
        revision: r.revision,
        record: r.rec.as_ref().to_owned(),
    })
}

/// The record `kind`/`id` as stored, borrowed.
pub(crate) fn get_ref<'s>(
    s: &'s State,
    kind: RecordKind,
    id: &RecordId,
) -> Option<Stored<danvan_core::dataset::RecordRef<'s>>> {
    s.get(kind, id).map(|r| Stored {
        revision: r.revision,
        record: r.rec.as_ref(),
    })
}

/// The records that refer to `kind`/`id`, sorted.
pub(crate) fn referrers(s: &State, kind: RecordKind, id: &RecordId) -> Vec<(RecordKind, RecordId)> {
    let mut v = s.referrers(&(kind, id.clone())).to_vec();
    v.sort();
    v
}

/// Everything, or what `q` matches, as one export document sorted by kind and ID.
pub(crate) fn export(s: &State, q: Option<&Query>) -> Result<Export, StoreError> {
    let rows: Vec<u32> = match q {
        None => s.rows().collect(),
        Some(q) => query::all_rows(s, q)?,
    };
    let mut records: Vec<(AnyRecord, u64)> = rows
        .into_iter()
        .filter_map(|r| {
            s.row(r)
                .map(|row| (row.rec.as_ref().to_owned(), row.revision))
        })
        .collect();
    records.sort_by(|(a, _), (b, _)| a.kind().cmp(&b.kind()).then_with(|| a.id().cmp(b.id())));
    let mut revisions: std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>> =
        std::collections::BTreeMap::new();
    for (r, revision) in &records {
        revisions
            .entry(r.kind().plural().to_string())
            .or_default()
            .insert(r.id().to_string(), *revision);
    }
    let mut export = Export::new(
        Dataset::from_records(records.into_iter().map(|(r, _)| r)),
        s.revision,
    );
    export.revisions = revisions;
    Ok(export)
}

/// Calls `f` with every record `q` matches, unordered.
pub(crate) fn visit(
    s: &State,
    q: &Query,
    f: &mut dyn FnMut(RecordRef<'_>),
) -> Result<(), StoreError> {
    for row in query::unordered_rows(s, q)? {
        if let Some(r) = s.row(row) {
            f(r.rec.as_ref());
        }
    }
    Ok(())
}

/// As [`visit`], lending each record shared.
pub(crate) fn visit_shared(
    s: &State,
    q: &Query,
    f: &mut dyn FnMut(crate::SharedRecord),
) -> Result<(), StoreError> {
    for row in query::unordered_rows(s, q)? {
        if let Some(r) = s.row(row) {
            f(r.rec.clone());
        }
    }
    Ok(())
}

/// Every problem of every stored record, by kind and ID.
pub(crate) fn validate(s: &State) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut rows: Vec<u32> = s.rows().collect();
    rows.sort_by(|a, b| {
        let (ra, rb) = (
            s.row(*a).map(|r| r.rec.as_ref()),
            s.row(*b).map(|r| r.rec.as_ref()),
        );
        match (ra, rb) {
            (Some(x), Some(y)) => x.kind().cmp(&y.kind()).then_with(|| x.id().cmp(y.id())),
            _ => std::cmp::Ordering::Equal,
        }
    });
    for row in rows {
        let Some(r) = s.row(row) else { continue };
        let rec = r.rec.as_ref();
        let def = match &r.rec {
            Rec::Observation(o) => s.indicator(o.indicator.as_str()),
            _ => None,
        };
        problems.extend(rec.validate(def));
        problems.extend(check_references(rec, |k, id| s.row_of(k, id).is_some()));
        if let Rec::Observation(o) = &r.rec
            && let Some(unit) = &o.unit
        {
            let slug = registry_slug(o.province.as_ref());
            let named = s.units_named(slug, &name_key(&unit.name));
            problems.extend(check_figure_unit(o, &named, || s.units_in(slug)));
        }
        if let Rec::Unit(u) = &r.rec {
            let slug = registry_slug(u.province.as_ref());
            let others: Vec<_> = u.keys().flat_map(|k| s.units_named(slug, &k)).collect();
            problems.extend(check_unit_clash(u, others));
        }
        // Data written before one figure per key was enforced may hold two: report every
        // later one against the first by ID, never add them.
        if let Rec::Observation(o) = &r.rec
            && let Some(first) = s
                .same_figure(o)
                .map(|other| &other.id)
                .filter(|id| **id != o.id)
                .min()
            && *first < o.id
        {
            problems.push(duplicate_figure(o, first));
        }
        if let Rec::Directive(d) = &r.rec {
            problems.extend(check_held_reviews(d, |id| {
                match s.get(RecordKind::Conference, id).map(|r| &r.rec) {
                    Some(Rec::Conference(c)) => Some(&**c),
                    _ => None,
                }
            }));
        }
    }
    problems
}

/// The receipt of a committed plan.
pub(crate) fn receipt(plan: Plan, revision: u64) -> Receipt {
    Receipt {
        revision,
        changes: plan
            .changes
            .into_iter()
            .map(|((kind, id), action)| Change {
                kind,
                id,
                action,
                revision: (action != Action::Deleted).then_some(revision),
            })
            .collect(),
        warnings: plan.problems,
    }
}

/// An import's batch: every record put, whatever is there.
pub(crate) fn import_ops(dataset: Dataset) -> Vec<Op> {
    dataset
        .records()
        .map(|record| Op::Put {
            record,
            expected: Expected::Any,
        })
        .collect()
}

/// The report of an import's plan.
pub(crate) fn import_report(p: Plan, revision: u64, dry_run: bool) -> ImportReport {
    let count = |a| p.changes.iter().filter(|(_, x)| *x == a).count();
    let planned = if dry_run {
        p.changes
            .iter()
            .map(|((kind, id), action)| crate::api::Planned {
                kind: *kind,
                id: id.clone(),
                action: *action,
            })
            .collect()
    } else {
        Vec::new()
    };
    ImportReport {
        dry_run,
        created: count(Action::Created),
        updated: count(Action::Updated),
        unchanged: p.unchanged,
        problems: p.problems,
        revision,
        planned,
        forbidden: p.forbidden,
    }
}

/// Applies a commit's effects at revision `seq`, calling `touched` with every record version
/// it replaces or writes (the JSON store notes their shards).
pub(crate) fn apply(
    state: &mut State,
    seq: u64,
    effects: Vec<Effect>,
    touched: &mut dyn FnMut(RecordRef<'_>),
) {
    for op in effects {
        match op {
            Effect::Create(record) | Effect::Update(record) | Effect::Put(record) => {
                if let Some(old) = state.get(record.kind(), record.id()) {
                    touched(old.rec.as_ref());
                }
                touched(record.as_ref());
                state.put(record, seq);
            }
            Effect::Delete { kind, id, .. } => {
                if let Some(old) = state.delete(kind, &id) {
                    touched(old.rec.as_ref());
                }
            }
        }
    }
    state.revision = seq;
    state.maybe_clean_provinces();
}
