//! Closed vocabularies: enums whose every value has one name, its serde name, which every
//! front end uses (command-line values, query parameters, OpenAPI enums, JSON).
//!
//! A front end never spells the names again: it asks the enum. So a new variant reaches the
//! CLI's `--help`, the HTTP API's 400 messages and the OpenAPI document without another edit,
//! and a renamed one cannot drift between them.
//!
//! ```
//! use danvan_core::conference::ConferenceKind;
//! use danvan_core::vocabulary::Vocabulary;
//! assert_eq!(ConferenceKind::Dialogue.name(), "dialogue");
//! assert_eq!(ConferenceKind::from_name("workshop"), Ok(ConferenceKind::Workshop));
//! let e = ConferenceKind::from_name("meeting").unwrap_err();
//! assert!(e.to_string().starts_with("\"meeting\" is not one of six_month_review, annual_review"));
//! ```

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// An enum of unit variants whose names are their serde names.
///
/// Implement it with [`ALL`](Vocabulary::ALL) listing every variant once; the tests of each
/// implementing crate check that list against a `match` that names every variant, so a new
/// variant left out of it fails to compile there.
pub trait Vocabulary: Copy + PartialEq + Serialize + DeserializeOwned + 'static {
    /// What the values are, in messages: "conference kind".
    const WHAT: &'static str;

    /// Every value, in the order front ends list them.
    const ALL: &'static [Self];

    /// The value's name: its serde name (`six_month_review`).
    fn name(self) -> String {
        match serde_json::to_value(self) {
            Ok(Value::String(s)) => s,
            // Unit variants serialise as strings; anything else is a mistake in the impl.
            _ => String::new(),
        }
    }

    /// Every name, in [`ALL`](Vocabulary::ALL)'s order.
    fn names() -> Vec<String> {
        Self::ALL.iter().map(|v| v.name()).collect()
    }

    /// The value of `name`, as serde reads it (aliases included).
    fn from_name(name: &str) -> Result<Self, UnknownName> {
        serde_json::from_value(Value::String(name.to_string())).map_err(|_| UnknownName {
            what: Self::WHAT,
            name: name.to_string(),
            expected: Self::names(),
        })
    }
}

/// A name that is not in a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name:?} is not one of {}", expected.join(", "))]
#[non_exhaustive]
pub struct UnknownName {
    /// What the vocabulary names: "conference kind".
    pub what: &'static str,
    /// The name given.
    pub name: String,
    /// Every name the vocabulary has.
    pub expected: Vec<String>,
}

impl Vocabulary for crate::conference::ConferenceKind {
    const WHAT: &'static str = "conference kind";
    const ALL: &'static [Self] = &Self::ALL;
}

impl Vocabulary for crate::model::ModelField {
    const WHAT: &'static str = "model field";
    const ALL: &'static [Self] = &Self::ALL;
}

impl Vocabulary for crate::record_kind::RecordKind {
    const WHAT: &'static str = "record kind";
    const ALL: &'static [Self] = &Self::ALL;
}

impl Vocabulary for crate::indicator::UnitLevel {
    const WHAT: &'static str = "unit level";
    const ALL: &'static [Self] = &Self::ALL;
}
