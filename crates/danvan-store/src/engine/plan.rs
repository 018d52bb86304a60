//! Turns a batch of operations into what the journal will record, or into an error that says
//! everything that is wrong with it. Nothing here writes.
//!
//! The checks, in order: each record at most once per batch; expected revisions (conflicts);
//! deletes of referenced records (refused, or cascaded); the writer's access to every record
//! the batch changes, as written and as stored, cascades and new references included; each
//! record's own validation; references, resolved against the store as the batch would leave it.

use std::collections::{HashMap, HashSet};

use danvan_core::dataset::{AnyRecord, check_held_reviews, check_references, duplicate_figure};
use danvan_core::indicator::IndicatorDefinition;
use danvan_core::unit::{Unit, check_figure_unit, check_unit_clash, name_key, registry_slug};
use danvan_core::validate::{Checker, Problem, RecordKind, has_errors};

use crate::api::{Action, Author, Expected, Op};
use crate::engine::effect::Effect;
use crate::engine::state::{Key, Rec, State};
use crate::error::StoreError;

/// How strictly to plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A normal write: a conflict or a missing record fails at once.
    Apply,
    /// An import: collect every problem; identical records are counted, not written.
    Import,
}

/// What a batch will do.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) ops: Vec<Effect>,
    pub(crate) changes: Vec<(Key, Action)>,
    pub(crate) unchanged: usize,
    /// Every problem found: errors make the plan fail; warnings travel with the receipt.
    pub(crate) problems: Vec<Problem>,
    /// An import's access refusals (each also among the problems).
    pub(crate) forbidden: Vec<danvan_core::access::Refusal>,
}

/// Plans `ops`, written by `author` (whose [`Access`](crate::api::Access) is checked here, so
/// that every backend checks it the same way, at commit, against the records as they are).
pub(crate) fn plan(
    state: &State,
    ops: Vec<Op>,
    mode: Mode,
    author: &Author,
) -> Result<Plan, StoreError> {
    let mut out = Plan::default();
    let mut batch = Batch::default();
    for op in ops {
        batch.add(state, op, mode, &mut out)?;
    }
    let deleted = batch.cascade(state)?;
    let Batch {
        mut puts, deletes, ..
    } = batch;
    puts.retain(|(k, _)| !deleted.contains(k));
    check_access(state, &puts, &deleted, mode, author, &mut out)?;
    let put_keys: HashSet<&Key> = puts.iter().map(|(k, _)| k).collect();
    let units = BatchUnits::of(&puts);
    check_puts(state, &puts, &units, &put_keys, &deleted, &mut out.problems);
    check_named_units(state, &puts, &units, &put_keys, &deleted, &mut out.problems);
    check_figures(state, &puts, &put_keys, &deleted, &mut out.problems);
    let plain_deletes: Vec<Key> = batch_deletes(&deletes);
    check_locks(state, &puts, &deleted, &plain_deletes, &mut out.problems);
    check_steps(state, &puts, mode, author, &mut out.problems);
    if has_errors(&out.problems) {
        return match mode {
            Mode::Apply => Err(StoreError::Invalid {
                problems: std::mem::take(&mut out.problems),
            }),
            Mode::Import => Ok(out),
        };
    }

    for (key, record) in puts {
        let action = if state.row_of(key.0, &key.1).is_some() {
            Action::Updated
        } else {
            Action::Created
        };
        out.changes.push((key, action));
        out.ops.push(if action == Action::Created {
            Effect::Create(record)
        } else {
            Effect::Update(record)
        });
    }
    for (key, _) in deletes {
        out.changes.push((key.clone(), Action::Deleted));
        let province = state
            .get(key.0, &key.1)
            .and_then(|row| row.rec.as_ref().province().map(|p| p.as_str().to_string()));
        out.ops.push(Effect::Delete {
            kind: key.0,
            id: key.1,
            province,
        });
    }
    Ok(out)
}

/// The puts and deletes of a batch, each record once, before the cascade.
#[derive(Default)]
struct Batch {
    puts: Vec<(Key, AnyRecord)>,
    put_index: HashMap<Key, usize>,
    /// Each deleted record and whether its delete cascades.
    deletes: Vec<(Key, bool)>,
    seen: HashSet<Key>,
}

impl Batch {
    /// Takes one operation: refused when its record is already in the batch, its expected
    /// revision does not hold, or it deletes a missing record; counted when it puts a record
    /// unchanged.
    fn add(&mut self, state: &State, op: Op, mode: Mode, out: &mut Plan) -> Result<(), StoreError> {
        let (key, expected) = match &op {
            Op::Put { record, expected } => ((record.kind(), record.id().clone()), *expected),
            Op::Delete {
                kind, id, expected, ..
            } => ((*kind, id.clone()), *expected),
        };
        if !self.seen.insert(key.clone()) {
            let mut c = Checker::new(key.0, &key.1);
            c.error(
                "duplicate",
                "id",
                format!("{} {} appears more than once in the batch", key.0, key.1),
            );
            out.problems.extend(c.finish());
            return Ok(());
        }
        let current = state.get(key.0, &key.1);
        let actual = current.map(|r| r.revision);
        if let (Expected::Absent, Some(revision)) = (expected, actual) {
            let err = StoreError::RecordExists {
                kind: key.0,
                id: key.1.clone(),
                revision,
            };
            return refuse(mode, err, &key, &mut out.problems);
        }
        let conflict = match expected {
            Expected::Revision(r) if actual != Some(r) => Some(r),
            _ => None,
        };
        if let Some(expected) = conflict {
            let err = StoreError::Conflict {
                kind: key.0,
                id: key.1.clone(),
                expected,
                actual,
            };
            return refuse(mode, err, &key, &mut out.problems);
        }
        match op {
            Op::Put { record, .. } => {
                if current.is_some_and(|r| r.rec.as_ref() == record.as_ref()) {
                    out.unchanged += 1;
                    return Ok(());
                }
                self.put_index.insert(key.clone(), self.puts.len());
                self.puts.push((key, record));
            }
            Op::Delete { cascade, .. } => {
                if current.is_none() {
                    let err = StoreError::NotFound {
                        kind: key.0,
                        id: key.1.clone(),
                    };
                    return refuse(mode, err, &key, &mut out.problems);
                }
                self.deletes.push((key, cascade));
            }
        }
        Ok(())
    }

    /// Deletes: refused while other records refer to them, or cascaded through those records
    /// (references detached, or the referrer deleted in turn). Returns every record deleted.
    fn cascade(&mut self, state: &State) -> Result<HashSet<Key>, StoreError> {
        let Batch {
            puts,
            put_index,
            deletes,
            ..
        } = self;
        let mut deleted: HashSet<Key> = deletes.iter().map(|(k, _)| k.clone()).collect();
        let mut work: Vec<(Key, bool)> = deletes.clone();
        while let Some((key, cascade)) = work.pop() {
            let mut blocking = Vec::new();
            for referrer in state.referrers(&key) {
                if deleted.contains(&referrer) {
                    continue;
                }
                // A referrer rewritten in this batch keeps the reference only if its new content does.
                if let Some(i) = put_index.get(&referrer)
                    && !puts[*i]
                        .1
                        .references()
                        .iter()
                        .any(|r| (r.kind, &r.id) == (key.0, &key.1))
                {
                    continue;
                }
                blocking.push(referrer);
            }
            if blocking.is_empty() {
                continue;
            }
            if !cascade {
                return Err(StoreError::Referenced {
                    kind: key.0,
                    id: key.1.clone(),
                    by: blocking,
                });
            }
            for referrer in blocking {
                let mut record = match put_index.get(&referrer) {
                    Some(i) => puts[*i].1.clone(),
                    None => match state.get(referrer.0, &referrer.1) {
                        Some(row) => row.rec.as_ref().to_owned(),
                        None => continue,
                    },
                };
                if detach(&mut record, &key) {
                    match put_index.get(&referrer) {
                        Some(i) => puts[*i].1 = record,
                        None => {
                            put_index.insert(referrer.clone(), puts.len());
                            puts.push((referrer, record));
                        }
                    }
                } else if deleted.insert(referrer.clone()) {
                    // The reference cannot be dropped (an observation's indicator): the referrer
                    // goes too, and cascades in turn.
                    work.push((referrer.clone(), true));
                    deletes.push((referrer, true));
                }
            }
        }
        Ok(deleted)
    }
}

/// The writer's access to everything the batch changes: each record written, as written and
/// as stored; each record deleted (by the batch or its cascade), as stored; each reference a
/// written record gains, to a record the writer may read. A normal write stops at the first
/// refusal; an import lists every one.
fn check_access(
    state: &State,
    puts: &[(Key, AnyRecord)],
    deleted: &HashSet<Key>,
    mode: Mode,
    author: &Author,
    out: &mut Plan,
) -> Result<(), StoreError> {
    let access = &author.access;
    let mut refused = |r: danvan_core::access::Refusal, key: &Key, field: &str| {
        if mode == Mode::Import {
            out.forbidden.push(r.clone());
        }
        let err = StoreError::Forbidden {
            actor: author.actor.clone(),
            refusal: r,
        };
        refuse_at(mode, err, key, field, &mut out.problems)
    };
    if let Some(unit) = &author.unit {
        let registered = match state.get(RecordKind::Unit, unit).map(|r| r.rec.as_ref()) {
            Some(danvan_core::dataset::RecordRef::Unit(u)) => Some(u),
            _ => None,
        };
        let stored = puts.iter().filter_map(|(k, _)| state.get(k.0, &k.1));
        let gone = deleted.iter().filter_map(|k| state.get(k.0, &k.1));
        let written = puts.iter().map(|(_, r)| r.as_ref());
        for record in written.chain(stored.chain(gone).map(|row| row.rec.as_ref())) {
            if !of_unit(record, unit, registered) {
                let r = danvan_core::access::Refusal {
                    kind: record.kind(),
                    id: record.id().clone(),
                    reason: danvan_core::access::RefusalReason::Unit(unit.clone()),
                    allowed: access.bound_to().unwrap_or_default().into(),
                };
                let key = (record.kind(), record.id().clone());
                refused(r, &key, "unit")?;
            }
        }
    }
    if access.is_national() {
        return Ok(());
    }
    let batch: HashSet<&Key> = puts.iter().map(|(k, _)| k).collect();
    for (key, record) in puts {
        let stored = state.get(key.0, &key.1).map(|row| row.rec.as_ref());
        let own = access
            .may_write(record.as_ref())
            .and_then(|()| stored.map_or(Ok(()), |s| access.may_write(s)));
        if let Err(r) = own {
            refused(r, key, "province")?;
            continue;
        }
        let held: HashSet<(RecordKind, &danvan_core::id::RecordId)> = stored
            .map(|s| s.targets().into_iter().collect())
            .unwrap_or_default();
        for reference in record.references() {
            let target = (reference.kind, reference.id.clone());
            // A record of the batch is checked as one; a missing one is a dangling reference.
            if held.contains(&(reference.kind, &reference.id)) || batch.contains(&target) {
                continue;
            }
            let Some(row) = state.get(reference.kind, &reference.id) else {
                continue;
            };
            if let Err(r) = access.may_refer(record.as_ref(), &reference.field, row.rec.as_ref()) {
                refused(r, key, &reference.field)?;
            }
        }
    }
    for key in deleted {
        if let Some(row) = state.get(key.0, &key.1)
            && let Err(r) = access.may_write(row.rec.as_ref())
        {
            refused(r, key, "")?;
        }
    }
    Ok(())
}

/// Whether `record` is unit `unit`'s own: its submission, or a figure of the registered unit
/// (`registered`: its record, when the store holds it) in the unit's province.
fn of_unit(
    record: danvan_core::dataset::RecordRef<'_>,
    unit: &danvan_core::id::RecordId,
    registered: Option<&danvan_core::unit::Unit>,
) -> bool {
    match record {
        danvan_core::dataset::RecordRef::Submission(s) => s.unit.as_ref() == Some(unit),
        danvan_core::dataset::RecordRef::Observation(o) => match (registered, &o.unit) {
            (Some(u), Some(named)) => {
                u.level == named.level && u.answers_to(&named.name) && o.province == u.province
            }
            _ => false,
        },
        _ => false,
    }
}

/// Each put on its own, and its references against the store as the batch leaves it.
fn check_puts(
    state: &State,
    puts: &[(Key, AnyRecord)],
    batch_units: &BatchUnits<'_>,
    put_keys: &HashSet<&Key>,
    deleted: &HashSet<Key>,
    problems: &mut Vec<Problem>,
) {
    let batch_conferences: HashMap<
        &danvan_core::id::RecordId,
        &danvan_core::conference::Conference,
    > = puts
        .iter()
        .filter_map(|(_, r)| match r {
            AnyRecord::Conference(c) => Some((&c.id, c)),
            _ => None,
        })
        .collect();

    let batch_indicators: HashMap<&str, &IndicatorDefinition> = puts
        .iter()
        .filter_map(|(_, r)| match r {
            AnyRecord::Indicator(d) => Some((d.id.as_str(), d)),
            _ => None,
        })
        .collect();
    let exists = |kind: RecordKind, id: &danvan_core::id::RecordId| {
        let key = (kind, id.clone());
        !deleted.contains(&key) && (put_keys.contains(&key) || state.row_of(kind, id).is_some())
    };
    for (_, record) in puts {
        let def = match record {
            AnyRecord::Observation(o) => batch_indicators
                .get(o.indicator.as_str())
                .copied()
                .or_else(|| state.indicator(o.indicator.as_str())),
            _ => None,
        };
        problems.extend(record.validate(def));
        problems.extend(check_references(record.as_ref(), exists));
        match record {
            AnyRecord::Observation(o) => {
                problems.extend(check_unit(state, batch_units, put_keys, deleted, o));
            }
            AnyRecord::Unit(u) => {
                let slug = registry_slug(u.province.as_ref());
                let mut others: Vec<&Unit> = Vec::new();
                for key in u.keys() {
                    others.extend(
                        state
                            .units_named(slug, &key)
                            .into_iter()
                            .filter(left_in_place(put_keys, deleted)),
                    );
                    others.extend(batch_units.named.get(&(slug, key)).into_iter().flatten());
                }
                problems.extend(check_unit_clash(u, others));
            }
            _ => {}
        }
        if let AnyRecord::Directive(d) = record {
            problems.extend(check_held_reviews(d, |id| {
                batch_conferences.get(id).copied().or_else(|| {
                    match state.get(RecordKind::Conference, id).map(|r| &r.rec) {
                        Some(Rec::Conference(c)) => Some(&**c),
                        _ => None,
                    }
                })
            }));
        }
    }
}

/// A batch's units, by the slug they report under, and by slug and name key.
#[derive(Default)]
struct BatchUnits<'a> {
    all: HashMap<&'a str, Vec<&'a Unit>>,
    named: HashMap<(&'a str, String), Vec<&'a Unit>>,
}

impl<'a> BatchUnits<'a> {
    /// The units among `puts`.
    fn of(puts: &'a [(Key, AnyRecord)]) -> BatchUnits<'a> {
        let mut out = BatchUnits::default();
        for (_, r) in puts {
            if let AnyRecord::Unit(u) = r {
                let slug = registry_slug(u.province.as_ref());
                out.all.entry(slug).or_default().push(u);
                for key in u.keys() {
                    out.named.entry((slug, key)).or_default().push(u);
                }
            }
        }
        out
    }
}

/// A unit the batch deletes, renames or cuts short must not leave a stored figure that named it
/// with no registered unit to resolve to: the write is refused on the unit, naming the figures
/// (change or delete them in the same batch, or first).
fn check_named_units(
    state: &State,
    puts: &[(Key, AnyRecord)],
    batch_units: &BatchUnits<'_>,
    put_keys: &HashSet<&Key>,
    deleted: &HashSet<Key>,
    problems: &mut Vec<Problem>,
) {
    let stored_unit = |key: &Key| match state.get(key.0, &key.1).map(|r| &r.rec) {
        Some(Rec::Unit(u)) => Some(&**u),
        _ => None,
    };
    // Units deleted, and units rewritten so that some figure might no longer find them: a
    // name or level given up, or fewer days. A rewrite that keeps them (an alias added, a note,
    // an import of the same registry again) cannot orphan a figure and is not scanned for.
    let kept = |old: &Unit, new: &Unit| {
        let new_keys: Vec<String> = new.keys().collect();
        new.level == old.level
            && old.keys().all(|k| new_keys.contains(&k))
            && new.from.is_none_or(|f| old.from.is_some_and(|o| f <= o))
            && new
                .last_day()
                .is_none_or(|l| old.last_day().is_some_and(|o| l >= o))
    };
    let mut before: Vec<&Unit> = deleted
        .iter()
        .filter(|k| k.0 == RecordKind::Unit)
        .filter_map(stored_unit)
        .collect();
    for (key, record) in puts {
        if let (AnyRecord::Unit(new), Some(old)) = (record, stored_unit(key))
            && !kept(old, new)
        {
            before.push(old);
        }
    }
    let mut observations = [false; crate::engine::state::KINDS.len()];
    observations[crate::engine::state::kind_index(RecordKind::Observation)] = true;
    for u in before {
        let slug = registry_slug(u.province.as_ref());
        let keys: Vec<String> = u.keys().collect();
        let mut orphaned: Vec<String> = Vec::new();
        for row in state.rows_in_province(slug, false, observations) {
            let Some(Rec::Observation(o)) = state.row(row).map(|r| &r.rec) else {
                continue;
            };
            let Some(named) = &o.unit else { continue };
            let key = (RecordKind::Observation, o.id.clone());
            if named.level != u.level
                || !keys.contains(&name_key(&named.name))
                || put_keys.contains(&key)
                || deleted.contains(&key)
            {
                continue;
            }
            if !check_unit(state, batch_units, put_keys, deleted, o).is_empty() {
                orphaned.push(o.id.to_string());
            }
        }
        if !orphaned.is_empty() {
            let mut c = Checker::new(RecordKind::Unit, &u.id);
            c.error(
                "still-named",
                "name",
                format!(
                    "figures {} name this unit and would no longer resolve to a registered unit: change or delete them first",
                    orphaned.join(", ")
                ),
            );
            problems.extend(c.finish());
        }
    }
}

/// The unit `o` names resolved against the registry as the batch leaves it: the batch's units,
/// and the stored ones it neither rewrites nor deletes.
fn check_unit(
    state: &State,
    batch_units: &BatchUnits<'_>,
    put_keys: &HashSet<&Key>,
    deleted: &HashSet<Key>,
    o: &danvan_core::indicator::Observation,
) -> Vec<Problem> {
    let Some(unit) = &o.unit else {
        return Vec::new();
    };
    let slug = registry_slug(o.province.as_ref());
    let kept = left_in_place(put_keys, deleted);
    let key = name_key(&unit.name);
    let mut named: Vec<&Unit> = batch_units
        .named
        .get(&(slug, key.clone()))
        .map_or(Vec::new(), Vec::clone);
    named.extend(state.units_named(slug, &key).into_iter().filter(&kept));
    check_figure_unit(o, &named, || {
        let mut all: Vec<&Unit> = batch_units.all.get(slug).map_or(Vec::new(), Vec::clone);
        all.extend(state.units_in(slug).into_iter().filter(kept));
        all
    })
}

/// Whether a stored unit stays as it is after the batch: neither rewritten nor deleted by it
/// (the batch's own units are looked up apart, in [`BatchUnits`]).
fn left_in_place<'k>(
    put_keys: &'k HashSet<&Key>,
    deleted: &'k HashSet<Key>,
) -> impl Fn(&&Unit) -> bool + 'k {
    move |u| {
        let key = (RecordKind::Unit, u.id.clone());
        !put_keys.contains(&key) && !deleted.contains(&key)
    }
}

/// One figure per indicator, province, unit and period: an observation that repeats the figure
/// of another in the batch, or of a stored one that the batch leaves in place, is refused with
/// the other's ID. Figures are never added up; replacing one is an update of that record.
fn check_figures(
    state: &State,
    puts: &[(Key, AnyRecord)],
    put_keys: &HashSet<&Key>,
    deleted: &HashSet<Key>,
    problems: &mut Vec<Problem>,
) {
    let mut batch: HashMap<danvan_core::indicator::FigureKey, &danvan_core::id::RecordId> =
        HashMap::new();
    for (_, record) in puts {
        let AnyRecord::Observation(o) = record else {
            continue;
        };
        match batch.entry(o.figure_key()) {
            std::collections::hash_map::Entry::Occupied(e) => {
                problems.push(duplicate_figure(o, e.get()));
                continue;
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(&o.id);
            }
        }
        for existing in state.same_figure(o) {
            let key = (RecordKind::Observation, existing.id.clone());
            // The record itself, or one this batch rewrites (checked above) or deletes.
            if existing.id == o.id || put_keys.contains(&key) || deleted.contains(&key) {
                continue;
            }
            problems.push(duplicate_figure(o, &existing.id));
        }
    }
}

/// The keys of a batch's own deletes (cascaded ones are in `deleted` too).
fn batch_deletes(deletes: &[(Key, bool)]) -> Vec<Key> {
    deletes.iter().map(|(k, _)| k.clone()).collect()
}

/// Approval locks: a figure of a unit (or a province, to the central board) and period that an
/// approved submission covers may not be written or deleted, as the batch leaves the
/// submissions (a batch that unlocks the submission may change its figures); an approved
/// submission changes only by an unlock step, and is never deleted; the steps a submission has
/// taken are never rewritten.
fn check_locks(
    state: &State,
    puts: &[(Key, AnyRecord)],
    deleted: &HashSet<Key>,
    deletes: &[Key],
    problems: &mut Vec<Problem>,
) {
    use danvan_core::cycle::{Action as Step, Submission};
    let stored_submission = |key: &Key| match state.get(key.0, &key.1).map(|r| &r.rec) {
        Some(Rec::Submission(s)) => Some(&**s),
        _ => None,
    };
    let batch_submissions: HashMap<&Key, &Submission> = puts
        .iter()
        .filter_map(|(k, r)| match r {
            AnyRecord::Submission(s) => Some((k, s)),
            _ => None,
        })
        .collect();
    // Submissions: steps are kept; an approved one changes only by an unlock.
    for (key, new) in &batch_submissions {
        let Some(old) = stored_submission(key) else {
            continue;
        };
        let mut c = Checker::new(RecordKind::Submission, &new.id);
        if !new.steps.starts_with(&old.steps) {
            c.error(
                "inconsistent",
                "steps",
                "the steps a submission has taken cannot be changed, only followed",
            );
        } else if old.locks() {
            let unlocked = new.steps.len() == old.steps.len() + 1
                && new.steps.last().is_some_and(|s| s.action == Step::Unlock);
            let mut same = (*new).clone();
            same.steps.clone_from(&old.steps);
            same.state = old.state;
            if !unlocked || same != *old {
                c.error("locked", "", approved_by(old));
            }
        }
        problems.extend(c.finish());
    }
    for key in deletes.iter().chain(deleted.iter()) {
        if key.0 == RecordKind::Submission
            && let Some(old) = stored_submission(key)
            && old.locks()
        {
            let mut c = Checker::new(RecordKind::Submission, &old.id);
            c.error("locked", "", approved_by(old));
            problems.extend(c.finish());
        }
    }
    // Figures, as written and as stored.
    let mut figures: Vec<&danvan_core::indicator::Observation> = Vec::new();
    for (key, record) in puts {
        if let AnyRecord::Observation(o) = record {
            figures.push(o);
            if let Some(Rec::Observation(old)) = state.get(key.0, &key.1).map(|r| &r.rec) {
                figures.push(old);
            }
        }
    }
    for key in deletes.iter().chain(deleted.iter()) {
        if let Some(Rec::Observation(old)) = state.get(key.0, &key.1).map(|r| &r.rec) {
            figures.push(old);
        }
    }
    figure_locks(state, figures, &batch_submissions, deleted, problems);
}

/// The approval locks on `figures` (as written and as stored): each figure whose unit and period
/// an approved submission covers, as the batch leaves the submissions, is refused.
fn figure_locks<'a>(
    state: &'a State,
    figures: Vec<&'a danvan_core::indicator::Observation>,
    batch_submissions: &HashMap<&Key, &'a danvan_core::cycle::Submission>,
    deleted: &HashSet<Key>,
    problems: &mut Vec<Problem>,
) {
    use danvan_core::cycle::Submission;
    if figures.is_empty() {
        return;
    }
    // The approved submissions as the batch leaves them, by province and unit (none: the
    // province's own report), built once: each figure then looks at its own unit's only, so an
    // import of many figures stays linear however many reports were approved.
    let mut locking: HashMap<(&str, Option<&danvan_core::id::RecordId>), Vec<&Submission>> =
        HashMap::new();
    let stored = state
        .rows_of_kind(RecordKind::Submission)
        .filter_map(|row| match state.row(row).map(|r| &r.rec) {
            Some(Rec::Submission(s)) => Some(&**s),
            _ => None,
        });
    for s in stored.chain(batch_submissions.values().copied()) {
        let key = (RecordKind::Submission, s.id.clone());
        // A stored one the batch rewrites is seen as the batch leaves it.
        let current = batch_submissions.get(&key).copied().unwrap_or(s);
        if !std::ptr::eq(current, s) || deleted.contains(&key) || !s.locks() {
            continue;
        }
        let entry = locking
            .entry((registry_slug(Some(&s.province)), s.unit.as_ref()))
            .or_default();
        if !entry.iter().any(|x| x.id == s.id) {
            entry.push(s);
        }
    }
    if locking.is_empty() {
        return;
    }
    let mut refused: HashSet<&danvan_core::id::RecordId> = HashSet::new();
    for o in figures {
        let slug = registry_slug(o.province.as_ref());
        // The registered units the figure's unit resolves to (by folded name and level).
        let units: Vec<Option<&danvan_core::id::RecordId>> = match &o.unit {
            None => vec![None],
            Some(named) => state
                .units_named(slug, &name_key(&named.name))
                .into_iter()
                .filter(|u| u.level == named.level)
                .map(|u| Some(&u.id))
                .collect(),
        };
        for unit in units {
            let Some(list) = locking.get(&(slug, unit)) else {
                continue;
            };
            if let Some(s) = list.iter().find(|s| s.period.contains(&o.period))
                && refused.insert(&o.id)
            {
                let mut c = Checker::new(RecordKind::Observation, &o.id);
                c.error("locked", "", approved_by(s));
                problems.extend(c.finish());
            }
        }
    }
}

/// A submission moves only by the cycle's steps (`crate::cycle::step`): a plain write — a
/// form, an API PUT or PATCH, a province's import — may change its sections and original but
/// not its state or steps, so that no writer records an approval no approver gave. A national
/// import (restoring or copying a store) keeps what it is given.
fn check_steps(
    state: &State,
    puts: &[(Key, AnyRecord)],
    mode: Mode,
    author: &Author,
    problems: &mut Vec<Problem>,
) {
    let trusted = author.stepping
        || mode == Mode::Import && author.access == danvan_core::access::Access::National;
    if trusted {
        return;
    }
    for (key, record) in puts {
        let AnyRecord::Submission(new) = record else {
            continue;
        };
        let (old_state, old_steps) = match state.get(key.0, &key.1).map(|r| &r.rec) {
            Some(Rec::Submission(old)) => (old.state, old.steps.as_slice()),
            _ => {
                // Created by a plain write: it must hold what its form asks now, at the form's
                // revision, as `crate::cycle::begin` makes it.
                let form = state.get(RecordKind::Form, &new.form);
                let holds = match form.map(|r| (&r.rec, r.revision)) {
                    Some((Rec::Form(f), revision)) => {
                        new.form_revision == revision
                            && new.asked.indicators == f.indicators
                            && new.asked.sections == f.sections
                    }
                    _ => true, // a missing form is the reference check's to report
                };
                if !holds {
                    let mut c = Checker::new(RecordKind::Submission, &new.id);
                    c.error(
                        "not-as-asked",
                        "asked",
                        "a submission holds what its form asks at the form's current revision: begin it from the form (POST /v1/forms/{id}/submissions; danvan submission begin)",
                    );
                    problems.extend(c.finish());
                }
                (danvan_core::cycle::SubmissionState::Draft, &[][..])
            }
        };
        if new.state != old_state || new.steps != old_steps {
            let mut c = Checker::new(RecordKind::Submission, &new.id);
            c.error(
                "steps-only",
                "state",
                "a submission is sent, returned, approved or unlocked only by those steps (POST /v1/submissions/{id}/send, …; danvan submission send …), never by writing its state or steps",
            );
            problems.extend(c.finish());
        }
    }
}

/// "approved by … on …; an approver must unlock submission … (with a reason) first".
fn approved_by(s: &danvan_core::cycle::Submission) -> String {
    // Worded in phrases the web app translates whole: "locked: submission", ", period ",
    // ", approved by ", and the last clause.
    let who = s
        .last(danvan_core::cycle::Action::Approve)
        .map_or_else(String::new, |step| {
            format!(
                ", approved by {} ({})",
                step.by,
                step.at.format("%d/%m/%Y %H:%M")
            )
        });
    format!(
        "locked: submission {}, period {}{who}; an approver must unlock it (with a reason) first",
        s.id, s.period
    )
}

/// A normal write fails at once with `err`; an import records it among the problems (so that
/// it can report everything) and goes on.
fn refuse(
    mode: Mode,
    err: StoreError,
    key: &Key,
    problems: &mut Vec<Problem>,
) -> Result<(), StoreError> {
    refuse_at(mode, err, key, "", problems)
}

/// [`refuse`], naming the field at fault in an import's problem.
fn refuse_at(
    mode: Mode,
    err: StoreError,
    key: &Key,
    field: &str,
    problems: &mut Vec<Problem>,
) -> Result<(), StoreError> {
    match mode {
        Mode::Apply => Err(err),
        Mode::Import => {
            let mut c = Checker::new(key.0, &key.1);
            c.error(err.code(), field, err.to_string());
            problems.extend(c.finish());
            Ok(())
        }
    }
}

/// Removes references to `target` from `record`'s optional and list fields. Returns false when
/// the reference is required and cannot be removed.
fn detach(record: &mut AnyRecord, target: &Key) -> bool {
    let is = |kind: RecordKind, id: &danvan_core::id::RecordId| kind == target.0 && *id == target.1;
    match record {
        AnyRecord::Directive(d) => {
            for m in &mut d.milestones {
                let Some(held) = &mut m.held else { continue };
                if held
                    .conference
                    .as_ref()
                    .is_some_and(|c| is(RecordKind::Conference, c))
                {
                    held.conference = None;
                    // The conference was the only record of when the review was held: without
                    // it the milestone is no longer known to be held.
                    if held.on.is_none() {
                        m.held = None;
                    }
                }
            }
            if d.superseded_by
                .as_ref()
                .is_some_and(|s| is(RecordKind::Directive, s))
            {
                d.superseded_by = None;
            }
            d.related
                .retain(|l| !is(RecordKind::Directive, &l.directive));
            true
        }
        AnyRecord::Conference(c) => {
            c.reviewed_directives
                .retain(|d| !is(RecordKind::Directive, d));
            c.figures.retain(|o| !is(RecordKind::Observation, o));
            true
        }
        AnyRecord::Observation(o) => !is(RecordKind::Indicator, &o.indicator),
        AnyRecord::Unit(u) => {
            if u.parent.as_ref().is_some_and(|p| is(RecordKind::Unit, p)) {
                u.parent = None;
            }
            true
        }
        AnyRecord::Award(a) => {
            if a.conference
                .as_ref()
                .is_some_and(|c| is(RecordKind::Conference, c))
            {
                a.conference = None;
            }
            true
        }
        // A form's indicator and a submission's form and unit are what they are about: the
        // reference cannot be dropped.
        AnyRecord::Form(f) => {
            f.indicators.retain(|i| !is(RecordKind::Indicator, i));
            true
        }
        // A target is of its indicator.
        AnyRecord::Submission(_) | AnyRecord::Target(_) => false,
        AnyRecord::Model(_) | AnyRecord::Indicator(_) => true,
    }
}
