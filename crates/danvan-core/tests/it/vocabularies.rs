//! Every "all variants" list is complete and in step with its enum: each test matches the enum
//! exhaustively, so a new variant fails to compile here until it is placed in `ALL`.

use danvan_core::conference::ConferenceKind;
use danvan_core::docnum::DocumentType;
use danvan_core::indicator::UnitLevel;
use danvan_core::model::ModelField;
use danvan_core::record_kind::RecordKind;
use danvan_core::vocabulary::Vocabulary;
use schemars::JsonSchema;

/// Asserts that `all` holds every value `each` names, once.
fn complete<T: PartialEq + std::fmt::Debug + Copy>(all: &[T], every: &[T]) {
    assert_eq!(
        all.len(),
        every.len(),
        "ALL has {} of {} variants",
        all.len(),
        every.len()
    );
    for v in every {
        assert_eq!(all.iter().filter(|x| *x == v).count(), 1, "{v:?} in ALL");
    }
}

#[test]
fn conference_kinds() {
    let every = [
        ConferenceKind::SixMonthReview,
        ConferenceKind::AnnualReview,
        ConferenceKind::DirectiveReview,
        ConferenceKind::Thematic,
        ConferenceKind::Workshop,
        ConferenceKind::Dialogue,
        ConferenceKind::Training,
        ConferenceKind::Briefing,
        ConferenceKind::RoundTable,
        ConferenceKind::Commemoration,
        ConferenceKind::Honouring,
    ];
    // Exhaustive: a new kind is a compile error until listed above.
    for k in every {
        match k {
            ConferenceKind::SixMonthReview
            | ConferenceKind::AnnualReview
            | ConferenceKind::DirectiveReview
            | ConferenceKind::Thematic
            | ConferenceKind::Workshop
            | ConferenceKind::Dialogue
            | ConferenceKind::Training
            | ConferenceKind::Briefing
            | ConferenceKind::RoundTable
            | ConferenceKind::Commemoration
            | ConferenceKind::Honouring => {}
        }
    }
    complete(&ConferenceKind::ALL, &every);
    for (i, k) in ConferenceKind::ALL.iter().enumerate() {
        assert_eq!(k.index(), i, "{k:?}");
    }
}

#[test]
fn model_fields() {
    let every = [
        ModelField::Economy,
        ModelField::CultureSociety,
        ModelField::DefenceSecurity,
        ModelField::PoliticalSystem,
        ModelField::Other,
    ];
    // Exhaustive: a new field is a compile error until listed above.
    for f in every {
        match f {
            ModelField::Economy
            | ModelField::CultureSociety
            | ModelField::DefenceSecurity
            | ModelField::PoliticalSystem
            | ModelField::Other => {}
        }
    }
    complete(&ModelField::ALL, &every);
    for (i, f) in ModelField::ALL.iter().enumerate() {
        assert_eq!(f.index(), i, "{f:?}");
    }
}

#[test]
fn record_kinds() {
    let every = [
        RecordKind::Directive,
        RecordKind::Conference,
        RecordKind::Model,
        RecordKind::Indicator,
        RecordKind::Observation,
        RecordKind::Unit,
        RecordKind::Award,
        RecordKind::Form,
        RecordKind::Submission,
        RecordKind::Target,
    ];
    for k in every {
        match k {
            RecordKind::Directive
            | RecordKind::Conference
            | RecordKind::Model
            | RecordKind::Indicator
            | RecordKind::Observation
            | RecordKind::Unit
            | RecordKind::Award
            | RecordKind::Form
            | RecordKind::Submission
            | RecordKind::Target => {}
        }
    }
    complete(&RecordKind::ALL, &every);
}

#[test]
fn unit_levels() {
    let every = [
        UnitLevel::Department,
        UnitLevel::District,
        UnitLevel::Commune,
        UnitLevel::PartyBloc,
        UnitLevel::Enterprise,
        UnitLevel::Cluster,
        UnitLevel::MassOrganisation,
        UnitLevel::Other,
    ];
    for u in every {
        match u {
            UnitLevel::Department
            | UnitLevel::District
            | UnitLevel::Commune
            | UnitLevel::PartyBloc
            | UnitLevel::Enterprise
            | UnitLevel::Cluster
            | UnitLevel::MassOrganisation
            | UnitLevel::Other => {}
        }
    }
    complete(&UnitLevel::ALL, &every);
}

#[test]
fn document_types() {
    // Every type reads back from its JSON name and its Vietnamese name, so none is missing
    // from ALL (`DocumentType::parse` looks only there).
    let every = [
        DocumentType::Resolution,
        DocumentType::Directive,
        DocumentType::Conclusion,
        DocumentType::Scheme,
        DocumentType::Plan,
        DocumentType::Programme,
        DocumentType::Decision,
        DocumentType::Regulation,
        DocumentType::Guidance,
        DocumentType::Notice,
        DocumentType::Report,
        DocumentType::Decree,
        DocumentType::Circular,
        DocumentType::Law,
        DocumentType::OfficialLetter,
        DocumentType::Submission,
        DocumentType::Minutes,
        DocumentType::Other,
    ];
    for t in every {
        match t {
            DocumentType::Resolution
            | DocumentType::Directive
            | DocumentType::Conclusion
            | DocumentType::Scheme
            | DocumentType::Plan
            | DocumentType::Programme
            | DocumentType::Decision
            | DocumentType::Regulation
            | DocumentType::Guidance
            | DocumentType::Notice
            | DocumentType::Report
            | DocumentType::Decree
            | DocumentType::Circular
            | DocumentType::Law
            | DocumentType::OfficialLetter
            | DocumentType::Submission
            | DocumentType::Minutes
            | DocumentType::Other => {}
        }
        assert_eq!(DocumentType::parse(t.json_name()), Ok(t));
    }
    complete(&DocumentType::ALL, &every);
}

/// Every string a JSON Schema allows for an enum of unit variants (`enum`, or `oneOf` of `const`
/// when the variants carry descriptions).
fn schema_names(v: &serde_json::Value, out: &mut Vec<String>) {
    if let Some(values) = v.get("enum").and_then(|e| e.as_array()) {
        out.extend(values.iter().filter_map(|x| x.as_str().map(String::from)));
    }
    if let Some(c) = v.get("const").and_then(|c| c.as_str()) {
        out.push(c.to_string());
    }
    for key in ["oneOf", "anyOf"] {
        for alt in v.get(key).and_then(|a| a.as_array()).into_iter().flatten() {
            schema_names(alt, out);
        }
    }
}

/// A vocabulary's names are its serde names, each once, each read back, and they are exactly
/// the values its JSON Schema (derived from the enum itself, not from `ALL`) allows.
fn vocabulary_agrees_with_its_schema<T: Vocabulary + JsonSchema + std::fmt::Debug>() {
    let names = T::names();
    let mut from_schema = Vec::new();
    schema_names(
        &serde_json::to_value(schemars::schema_for!(T)).unwrap(),
        &mut from_schema,
    );
    let (mut a, mut b) = (names.clone(), from_schema);
    a.sort();
    b.sort();
    assert_eq!(a, b, "{}: ALL against the schema", T::WHAT);
    a.dedup();
    assert_eq!(a.len(), names.len(), "{}: a name twice", T::WHAT);
    for (v, name) in T::ALL.iter().zip(&names) {
        assert!(!name.is_empty(), "{v:?} has no name");
        assert_eq!(T::from_name(name).as_ref(), Ok(v), "{name}");
        assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(name));
    }
    let e = T::from_name("no such name").unwrap_err();
    assert_eq!(e.expected, names);
}

#[test]
fn every_vocabulary_is_its_enum() {
    vocabulary_agrees_with_its_schema::<ConferenceKind>();
    vocabulary_agrees_with_its_schema::<ModelField>();
    vocabulary_agrees_with_its_schema::<RecordKind>();
    vocabulary_agrees_with_its_schema::<UnitLevel>();
}
