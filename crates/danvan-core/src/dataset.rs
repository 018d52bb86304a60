//! A dataset: records of every kind together, validated as a whole.
//!
//! Single records check themselves; a dataset also checks what no record can see alone:
//! duplicate IDs, references to records that do not exist (a conference citing a missing
//! directive, an observation of an unknown indicator), and indicator definitions that clash with
//! the built-in catalogue. [`AnyRecord`] holds one record of any kind, for code that handles
//! them uniformly (stores, imports).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::conference::Conference;
use crate::directive::Directive;
use crate::id::RecordId;
use crate::indicator::{IndicatorDefinition, Observation, builtin, catalogue};
use crate::model::Model;
use crate::validate::{Checker, Problem, RecordKind};

/// Records of every kind. The JSON form is an object with one array per kind; absent arrays
/// are empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Indicator definitions beyond the built-in catalogue.
    #[serde(default)]
    pub indicators: Vec<IndicatorDefinition>,
    /// Directives.
    #[serde(default)]
    pub directives: Vec<Directive>,
    /// Observations.
    #[serde(default)]
    pub observations: Vec<Observation>,
    /// Conferences.
    #[serde(default)]
    pub conferences: Vec<Conference>,
    /// "Dân vận khéo" models.
    #[serde(default)]
    pub models: Vec<Model>,
}

/// One record of any kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
pub enum AnyRecord {
    /// A directive.
    Directive(Directive),
    /// A conference.
    Conference(Conference),
    /// A model.
    Model(Model),
    /// An indicator definition.
    Indicator(IndicatorDefinition),
    /// An observation.
    Observation(Observation),
}

/// A reference from one record to another, as found in its fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    /// The field holding the reference, e.g. `reviewed_directives[0]`.
    pub field: String,
    /// The kind of record referred to.
    pub kind: RecordKind,
    /// Its ID.
    pub id: RecordId,
}

impl AnyRecord {
    /// The record's kind.
    pub fn kind(&self) -> RecordKind {
        match self {
            AnyRecord::Directive(_) => RecordKind::Directive,
            AnyRecord::Conference(_) => RecordKind::Conference,
            AnyRecord::Model(_) => RecordKind::Model,
            AnyRecord::Indicator(_) => RecordKind::Indicator,
            AnyRecord::Observation(_) => RecordKind::Observation,
        }
    }

    /// The record's ID.
    pub fn id(&self) -> &RecordId {
        match self {
            AnyRecord::Directive(r) => &r.id,
            AnyRecord::Conference(r) => &r.id,
            AnyRecord::Model(r) => &r.id,
            AnyRecord::Indicator(r) => &r.id,
            AnyRecord::Observation(r) => &r.id,
        }
    }

    /// The records this one refers to. Indicator codes of observations are included only when
    /// they are not built in.
    pub fn references(&self) -> Vec<Reference> {
        let r = |field: String, kind, id: &RecordId| Reference {
            field,
            kind,
            id: id.clone(),
        };
        let mut out = Vec::new();
        match self {
            AnyRecord::Directive(d) => {
                for (i, m) in d.milestones.iter().enumerate() {
                    if let Some(c) = &m.held_at {
                        out.push(r(
                            format!("milestones[{i}].held_at"),
                            RecordKind::Conference,
                            c,
                        ));
                    }
                }
                if let Some(s) = &d.superseded_by {
                    out.push(r("superseded_by".into(), RecordKind::Directive, s));
                }
            }
            AnyRecord::Conference(c) => {
                for (i, d) in c.reviewed_directives.iter().enumerate() {
                    out.push(r(
                        format!("reviewed_directives[{i}]"),
                        RecordKind::Directive,
                        d,
                    ));
                }
                for (i, o) in c.figures.iter().enumerate() {
                    out.push(r(format!("figures[{i}]"), RecordKind::Observation, o));
                }
            }
            AnyRecord::Observation(o) => {
                if builtin(o.indicator.as_str()).is_none() {
                    out.push(r("indicator".into(), RecordKind::Indicator, &o.indicator));
                }
            }
            AnyRecord::Model(_) | AnyRecord::Indicator(_) => {}
        }
        out
    }

    /// Checks the record on its own. An observation is checked against `indicator`, its
    /// definition, when the caller has it.
    pub fn validate(&self, indicator: Option<&IndicatorDefinition>) -> Vec<Problem> {
        match self {
            AnyRecord::Directive(r) => r.validate(),
            AnyRecord::Conference(r) => r.validate(),
            AnyRecord::Model(r) => r.validate(),
            AnyRecord::Indicator(r) => {
                let mut p = r.validate();
                if builtin(r.id.as_str()).is_some() {
                    let mut c = Checker::new(RecordKind::Indicator, &r.id);
                    c.error(
                        "id",
                        format!("{} is a built-in indicator; choose another code", r.id),
                    );
                    p.extend(c.finish());
                }
                p
            }
            AnyRecord::Observation(r) => {
                r.validate(indicator.or_else(|| builtin(r.indicator.as_str())))
            }
        }
    }
}

impl Dataset {
    /// Every record, referenced kinds first (indicators, directives, observations, conferences,
    /// models), each kind in file order.
    pub fn records(&self) -> impl Iterator<Item = AnyRecord> + '_ {
        self.indicators
            .iter()
            .cloned()
            .map(AnyRecord::Indicator)
            .chain(self.directives.iter().cloned().map(AnyRecord::Directive))
            .chain(
                self.observations
                    .iter()
                    .cloned()
                    .map(AnyRecord::Observation),
            )
            .chain(self.conferences.iter().cloned().map(AnyRecord::Conference))
            .chain(self.models.iter().cloned().map(AnyRecord::Model))
    }

    /// Builds a dataset from records of any kind.
    pub fn from_records(records: impl IntoIterator<Item = AnyRecord>) -> Dataset {
        let mut d = Dataset::default();
        for r in records {
            d.push(r);
        }
        d
    }

    /// Adds one record.
    pub fn push(&mut self, record: AnyRecord) {
        match record {
            AnyRecord::Directive(r) => self.directives.push(r),
            AnyRecord::Conference(r) => self.conferences.push(r),
            AnyRecord::Model(r) => self.models.push(r),
            AnyRecord::Indicator(r) => self.indicators.push(r),
            AnyRecord::Observation(r) => self.observations.push(r),
        }
    }

    /// How many records of all kinds.
    pub fn len(&self) -> usize {
        self.indicators.len()
            + self.directives.len()
            + self.observations.len()
            + self.conferences.len()
            + self.models.len()
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The definition of indicator `id`: the dataset's own, else the built-in one.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorDefinition> {
        self.indicators
            .iter()
            .find(|d| d.id.as_str() == id)
            .or_else(|| builtin(id))
    }

    /// All indicator definitions: the built-in catalogue, then the dataset's own.
    pub fn all_indicators(&self) -> impl Iterator<Item = &IndicatorDefinition> + '_ {
        catalogue().iter().chain(self.indicators.iter())
    }

    /// Validates every record, and the dataset as a whole: duplicate IDs, dangling references,
    /// indicator codes that shadow built-in ones. Each record's own problems come first, in
    /// record order, then problems between records.
    ///
    /// ```
    /// use danvan_core::dataset::Dataset;
    /// let d: Dataset = serde_json::from_str(r#"{"observations": [{
    ///     "id": "tn-2024-one-stop", "indicator": "one_stop_communes",
    ///     "province": "thai-nguyen", "period": "2024", "numerator": 181, "denominator": 180
    /// }]}"#).unwrap();
    /// let problems = d.validate();
    /// assert_eq!(problems[0].to_string(),
    ///     "error: observation tn-2024-one-stop: numerator: numerator 181 is greater than the denominator 180");
    /// ```
    pub fn validate(&self) -> Vec<Problem> {
        let own: HashMap<&str, &IndicatorDefinition> =
            self.indicators.iter().map(|d| (d.id.as_str(), d)).collect();
        let mut ids: HashMap<RecordKind, HashSet<&RecordId>> = HashMap::new();
        let mut problems = Vec::new();
        let all: Vec<AnyRecord> = self.records().collect();
        for record in &all {
            let (kind, id) = (record.kind(), record.id());
            let def = match record {
                AnyRecord::Observation(o) => own.get(o.indicator.as_str()).copied(),
                _ => None,
            };
            problems.extend(record.validate(def));
            let seen = ids.entry(kind).or_default();
            if !seen.insert(id) {
                let mut c = Checker::new(kind, id);
                c.error("id", format!("duplicate {kind} ID {id}"));
                problems.extend(c.finish());
            }
        }
        for record in &all {
            let mut c = Checker::new(record.kind(), record.id());
            for reference in record.references() {
                let exists = ids
                    .get(&reference.kind)
                    .is_some_and(|s| s.contains(&reference.id));
                if !exists {
                    c.error(
                        reference.field,
                        format!(
                            "refers to {} {}, which does not exist",
                            reference.kind, reference.id
                        ),
                    );
                }
            }
            problems.extend(c.finish());
        }
        // A milestone held at a conference should be one of the directives it reviewed.
        let conferences: HashMap<&RecordId, &Conference> =
            self.conferences.iter().map(|c| (&c.id, c)).collect();
        for d in &self.directives {
            let mut c = Checker::new(RecordKind::Directive, &d.id);
            for (i, m) in d.milestones.iter().enumerate() {
                let Some(conf) = m.held_at.as_ref().and_then(|id| conferences.get(id)) else {
                    continue;
                };
                if !conf.reviewed_directives.contains(&d.id) {
                    c.warn(
                        format!("milestones[{i}].held_at"),
                        format!(
                            "conference {} does not list {} among its reviewed directives",
                            conf.id, d.id
                        ),
                    );
                }
            }
            problems.extend(c.finish());
        }
        problems
    }
}
