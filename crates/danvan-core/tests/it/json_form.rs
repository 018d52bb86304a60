//! The JSON form: stable field names, ISO dates, periods as IDs, canonical document numbers,
//! tolerant input normalised on the way in.

use danvan_core::dataset::{AnyRecord, Dataset};
use danvan_core::directive::Directive;
use danvan_core::indicator::Observation;

use crate::demo_dataset;

/// Pretty JSON of one record of each kind from the demo, pinned so that a change to the
/// serialised form is a visible, reviewed change.
#[test]
fn one_record_of_each_kind() {
    let d = demo_dataset();
    let pick = Dataset {
        indicators: d.indicators[..1].to_vec(),
        directives: d
            .directives
            .iter()
            .filter(|x| x.id.as_str() == "tn-05-da-2021")
            .cloned()
            .collect(),
        observations: d
            .observations
            .iter()
            .filter(|x| x.id.as_str() == "tn-2024s1-complaints")
            .cloned()
            .collect(),
        conferences: d
            .conferences
            .iter()
            .filter(|x| x.id.as_str() == "tn-2023-so-ket-de-an-05")
            .cloned()
            .collect(),
        models: d.models[..1].to_vec(),
        units: d.units[..1].to_vec(),
        awards: d.awards[..1].to_vec(),
        forms: Vec::new(),
        submissions: Vec::new(),
        targets: d.targets[..1].to_vec(),
    };
    insta::assert_snapshot!(serde_json::to_string_pretty(&pick).unwrap());
}

#[test]
fn tolerant_input_is_stored_canonically() {
    let o: Observation = serde_json::from_str(
        r#"{"id": "x-1", "indicator": "complaints_resolved", "province": "Tỉnh Bắc Kạn",
            "period": "2024S1", "numerator": 410, "denominator": 436, "stated": "94,04%"}"#,
    )
    .unwrap();
    insta::assert_snapshot!(serde_json::to_string(&o).unwrap(), @r#"{"id":"x-1","indicator":"complaints_resolved","province":"bac-kan","period":"2024S1","numerator":410,"denominator":436,"stated":"94,04%"}"#);

    let d: Directive = serde_json::from_str(
        "{\"id\": \"d\", \"number\": \"Số: 05 – DA/TU\", \"doc_type\": \"scheme\",
          \"issuer\": \"Tỉnh ủy\", \"title\": \"Ho\u{300}a bi\u{300}nh\"}",
    )
    .unwrap();
    insta::assert_snapshot!(serde_json::to_string(&d).unwrap(), @r#"{"id":"d","number":"05-ĐA/TU","doc_type":"scheme","issuer":"Tỉnh ủy","title":"Hòa bình"}"#);
}

#[test]
fn deserialisation_errors_name_the_field() {
    let cases = [
        (
            r#"{"id": "Bad/Id", "indicator": "x", "period": "2024"}"#,
            "observation",
        ),
        (
            r#"{"id": "a", "indicator": "x", "period": "2024S3"}"#,
            "observation",
        ),
        (
            r#"{"id": "a", "indicator": "x", "period": "2024", "stated": "đã giải quyết xong"}"#,
            "observation",
        ),
        (
            r#"{"id": "a", "indicator": "x", "period": "2024", "colour": "red"}"#,
            "observation",
        ),
        (
            r#"{"id": "a", "doc_type": "scheme", "issuer": "x", "title": "y", "number": "NQ/TU"}"#,
            "directive",
        ),
        (
            r#"{"id": "a", "doc_type": "memo", "issuer": "x", "title": "y"}"#,
            "directive",
        ),
    ];
    let mut out = Vec::new();
    for (json, kind) in cases {
        let err = match kind {
            "observation" => serde_json::from_str::<Observation>(json).unwrap_err(),
            _ => serde_json::from_str::<Directive>(json).unwrap_err(),
        };
        out.push(err.to_string());
    }
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn any_record_is_tagged_with_its_kind() {
    let d = demo_dataset();
    let record = AnyRecord::Model(d.models[0].clone());
    let json = serde_json::to_value(&record).unwrap();
    assert_eq!(json["kind"], "model");
    assert_eq!(json["record"]["id"], d.models[0].id.as_str());
    let back: AnyRecord = serde_json::from_value(json).unwrap();
    assert_eq!(back, record);
}
