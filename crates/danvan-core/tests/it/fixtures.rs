//! The demo fixtures are valid, round-trip through JSON, and cover what the README promises.

use danvan_core::conference::ConferenceKind;
use danvan_core::province::MERGER_DATE;
use danvan_core::validate::Severity;

use crate::demo_dataset;

#[test]
fn demo_has_no_errors_and_only_the_intended_warning() {
    let problems = demo_dataset().validate();
    let errors: Vec<String> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let warnings: Vec<String> = problems.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(warnings.join("\n"), @r#"warning: observation yb-2024-complaints: stated: stated "trên 97%" does not match the computed 96,52% (388/402)"#);
}

#[test]
fn demo_round_trips_through_json() {
    let d = demo_dataset();
    let json = serde_json::to_string_pretty(&d).unwrap();
    let back: danvan_core::dataset::Dataset = serde_json::from_str(&json).unwrap();
    assert_eq!(back, d);
}

#[test]
fn demo_covers_every_conference_kind_and_both_sides_of_the_merger() {
    let d = demo_dataset();
    for kind in ConferenceKind::ALL {
        assert!(
            d.conferences.iter().any(|c| c.kinds.contains(&kind)),
            "{kind:?}"
        );
    }
    assert!(d.conferences.iter().any(|c| c.date < MERGER_DATE));
    assert!(d.conferences.iter().any(|c| c.date >= MERGER_DATE));
    assert!(d.conferences.iter().any(|c| c.emulation_cluster.is_some()));
}
