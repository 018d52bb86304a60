//! The committed JSON Schemas match the types.

use crate::workspace_root;

#[test]
fn committed_schemas_are_current() {
    let dir = workspace_root().join("docs/schema");
    for (name, json) in danvan_core::schema::all() {
        let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(
            committed == json,
            "docs/schema/{name} is out of date with the types: run `cargo xtask schema` and commit the result"
        );
    }
}

#[test]
fn schemas_describe_the_demo_records() {
    // Every top-level field the demo uses is declared in its kind's schema.
    let dataset = crate::demo_dataset();
    let value = serde_json::to_value(&dataset).unwrap();
    let schemas: std::collections::HashMap<_, _> = danvan_core::schema::all().into_iter().collect();
    for (kind, file) in [
        ("directives", "directive"),
        ("conferences", "conference"),
        ("models", "model"),
        ("observations", "observation"),
        ("indicators", "indicator"),
    ] {
        let schema: serde_json::Value =
            serde_json::from_str(&schemas[format!("{file}.schema.json").as_str()]).unwrap();
        let props = schema["properties"].as_object().unwrap();
        for record in value[kind].as_array().unwrap() {
            for field in record.as_object().unwrap().keys() {
                assert!(
                    props.contains_key(field),
                    "{file}.schema.json lacks {field}"
                );
            }
        }
    }
}
