//! JSON Schemas of the record types, as committed under `docs/schema/`.

use schemars::{JsonSchema, generate::SchemaSettings};

use crate::award::Award;
use crate::conference::Conference;
use crate::cycle::{ReportForm, Submission};
use crate::dataset::{AnyRecord, Dataset};
use crate::directive::Directive;
use crate::indicator::{IndicatorDefinition, Observation};
use crate::model::Model;
use crate::unit::Unit;

/// `(file name, pretty JSON)` for every record type and the dataset, in a fixed order.
///
/// ```
/// let schemas = danvan_core::schema::all();
/// assert!(schemas.iter().any(|(name, _)| *name == "conference.schema.json"));
/// ```
pub fn all() -> Vec<(&'static str, String)> {
    vec![
        ("directive.schema.json", render::<Directive>()),
        ("conference.schema.json", render::<Conference>()),
        ("model.schema.json", render::<Model>()),
        ("indicator.schema.json", render::<IndicatorDefinition>()),
        ("observation.schema.json", render::<Observation>()),
        ("unit.schema.json", render::<Unit>()),
        ("award.schema.json", render::<Award>()),
        ("form.schema.json", render::<ReportForm>()),
        ("submission.schema.json", render::<Submission>()),
        ("target.schema.json", render::<crate::target::Target>()),
        ("record.schema.json", render::<AnyRecord>()),
        ("dataset.schema.json", render::<Dataset>()),
    ]
}

fn render<T: JsonSchema>() -> String {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let schema = generator.into_root_schema_for::<T>();
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
