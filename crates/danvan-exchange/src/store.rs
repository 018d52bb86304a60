//! Exchange with a store: what `danvan export/import --format dhis2|adx` and
//! `/v1/exchange/…` run, so that both do the same.

use danvan_core::dataset::Dataset;
use danvan_core::indicator::IndicatorDefinition;
use danvan_core::record_kind::RecordKind;
use danvan_store::{ImportOptions, ImportReport, Query, Store, StoreError};

use crate::Format;
use crate::mapping::{Mapping, MappingError};
use crate::values::{Planned, Problem, to_located_observations, to_values};

/// Why an exchange did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// The mapping cannot be used.
    #[error("the mapping has {} problem(s): {}", .0.len(), join(.0))]
    Mapping(Vec<MappingError>),
    /// The payload, or the figures, have problems: nothing was written.
    #[error("{} problem(s): {}", .0.len(), join(.0))]
    Problems(Vec<Problem>),
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The indicators a mapping may name: the built-in catalogue and the store's own.
pub fn indicators(store: &dyn Store) -> Result<Vec<IndicatorDefinition>, StoreError> {
    let mut all = danvan_core::indicator::catalogue().to_vec();
    all.extend(
        store
            .export(Some(&Query::kind(RecordKind::Indicator)))?
            .dataset
            .indicators,
    );
    Ok(all)
}

/// Reads a mapping's text against the store's indicators.
pub fn mapping(store: &dyn Store, text: &str) -> Result<Mapping, ExchangeError> {
    Mapping::parse(text, &indicators(store)?).map_err(ExchangeError::Mapping)
}

/// The store's observations that `query` selects (all when `None`; its kinds are ignored), as
/// a payload in `format`. Every observation that cannot be exchanged is named, and nothing is
/// written then.
pub fn export(
    store: &dyn Store,
    query: Option<&Query>,
    mapping: &Mapping,
    format: Format,
    exported: &str,
) -> Result<String, ExchangeError> {
    let mut query = query
        .cloned()
        .unwrap_or_else(|| Query::kind(RecordKind::Observation));
    query.kinds = vec![RecordKind::Observation];
    let observations = store.export(Some(&query))?.dataset.observations;
    let values = to_values(&observations, mapping).map_err(ExchangeError::Problems)?;
    format
        .write(&values, mapping, exported)
        .map_err(|p| ExchangeError::Problems(vec![p]))
}

/// Imports a payload, all or nothing: every problem of the payload, then of the figures as
/// the store checks them, is reported; with any, nothing is written. `options.dry_run` checks
/// and reports only.
pub fn import(
    store: &dyn Store,
    text: &str,
    format: Format,
    mapping: &Mapping,
    options: ImportOptions,
) -> Result<ImportReport, ExchangeError> {
    let (values, mut problems) = format.read(text);
    let existing = store
        .export(Some(&Query::kind(RecordKind::Observation)))?
        .dataset
        .observations;
    // What reads is checked too, so that one answer names every problem.
    let planned = match to_located_observations(&values, mapping, &indicators(store)?, &existing) {
        Ok(planned) if problems.is_empty() => planned,
        Ok(_) => return Err(ExchangeError::Problems(problems)),
        Err(more) => {
            problems.extend(more);
            return Err(ExchangeError::Problems(problems));
        }
    };
    let mut dataset = Dataset::default();
    let mut unchanged = 0;
    let mut located: Vec<(danvan_core::id::RecordId, Vec<String>)> = Vec::new();
    for (p, at) in planned {
        match p {
            Planned::Create(o) | Planned::Update(o) => {
                located.push((o.id.clone(), at));
                dataset.observations.push(o);
            }
            Planned::Unchanged(_) => unchanged += 1,
        }
    }
    let mut report = store.import(dataset, options)?;
    // What the store refused (a locked period, a unit not registered) is named where it is in
    // the payload, like the payload's own problems; a writer's lack of access is the report's
    // own answer (`forbidden`), which front ends turn into their refusal.
    if report.has_errors() && report.forbidden.is_empty() {
        let found: Vec<Problem> = report
            .problems
            .iter()
            .filter(|p| p.is_error())
            .flat_map(|p| {
                let at = located
                    .iter()
                    .find(|(id, _)| p.kind == RecordKind::Observation && *id == p.id)
                    .map_or_else(|| vec![p.id.to_string()], |(_, at)| at.clone());
                at.into_iter()
                    .map(move |at| Problem::new(at, p.code, p.message.clone()))
            })
            .collect();
        return Err(ExchangeError::Problems(found));
    }
    report.unchanged += unchanged;
    Ok(report)
}
