//! Every "all variants" list is complete and in step with its enum: each test matches the enum
//! exhaustively, so a new variant fails to compile here until it is placed in `ALL`.

use danvan_core::conference::ConferenceKind;
use danvan_core::docnum::DocumentType;
use danvan_core::indicator::UnitLevel;
use danvan_core::model::ModelField;
use danvan_core::validate::RecordKind;

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
    let every = ConferenceKind::ALL.map(|k| match k {
        ConferenceKind::SixMonthReview
        | ConferenceKind::AnnualReview
        | ConferenceKind::DirectiveReview
        | ConferenceKind::Thematic
        | ConferenceKind::Workshop
        | ConferenceKind::Dialogue
        | ConferenceKind::Training => k,
    });
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
    ];
    for k in every {
        match k {
            RecordKind::Directive
            | RecordKind::Conference
            | RecordKind::Model
            | RecordKind::Indicator
            | RecordKind::Observation => {}
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
        assert_eq!(DocumentType::parse(t.json_name()), Some(t));
    }
    complete(&DocumentType::ALL, &every);
}
