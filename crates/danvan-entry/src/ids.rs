//! IDs for the rows of an imported table that have none: a clerk leaves the `Mã` column empty
//! (or leaves it out) and each record gets the ID its content suggests
//! ([`RecordRef::suggested_id`](danvan_core::dataset::RecordRef::suggested_id): province,
//! period, indicator and unit for a figure), so importing the same file again updates the
//! same records instead of adding copies. Two rows that come to one ID are named, never
//! merged.

use std::collections::HashMap;

use danvan_core::dataset::AnyRecord;
use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use serde_json::Value;

/// The ID a row without one holds until [`make_ids`] gives it its own.
const PLACEHOLDER: &str = "new";

/// Whether `row` (a record's JSON read from a table) has no ID; if so it is given a
/// placeholder, so that it reads as a record, and [`make_ids`] replaces it.
pub fn mark_missing_id(row: &mut Value) -> bool {
    let missing = row
        .get("id")
        .and_then(Value::as_str)
        .is_none_or(|s| s.trim().is_empty());
    if missing && let Some(object) = row.as_object_mut() {
        object.insert("id".to_string(), Value::String(PLACEHOLDER.to_string()));
    }
    missing
}

/// Two rows of an import that are one record: the same kind and ID (typed twice, or made from
/// the same content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SameRecord {
    /// The record's kind.
    pub kind: RecordKind,
    /// The ID both rows have.
    pub id: RecordId,
    /// Where the first row is (`so-lieu.csv:3`).
    pub first: String,
    /// Where the other is.
    pub second: String,
}

/// Gives each record marked as missing its ID (`(where, record, missing)`) the ID its content
/// suggests, and names every pair of rows that are then one record.
pub fn make_ids(records: &mut [(String, AnyRecord, bool)]) -> Vec<SameRecord> {
    for (_, record, missing) in records.iter_mut() {
        if *missing {
            let id = record.as_ref().suggested_id();
            record.set_id(id);
        }
    }
    let mut seen: HashMap<(RecordKind, &RecordId), &str> = HashMap::new();
    let mut same = Vec::new();
    for (at, record, _) in records.iter() {
        let key = (record.kind(), record.id());
        match seen.get(&key) {
            Some(first) => same.push(SameRecord {
                kind: key.0,
                id: key.1.clone(),
                first: (*first).to_string(),
                second: at.clone(),
            }),
            None => {
                seen.insert(key, at);
            }
        }
    }
    same
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(at: &str, mut row: Value) -> (String, AnyRecord, bool) {
        let missing = mark_missing_id(&mut row);
        let record: AnyRecord =
            serde_json::from_value(serde_json::json!({"kind": "observation", "record": row}))
                .unwrap();
        (at.to_string(), record, missing)
    }

    #[test]
    fn a_row_without_an_id_gets_the_one_its_content_suggests_and_a_twin_is_named() {
        let row = serde_json::json!({
            "indicator": "dialogues_held", "province": "thai-nguyen", "period": "2025S1",
            "value": 12, "unit": {"name": "huyện Định Hóa", "level": "district"}
        });
        let mut given = row.clone();
        given["id"] = Value::String("tn-dh-2025s1".into());
        let mut records = vec![
            figure("so-lieu.csv:2", row.clone()),
            figure("so-lieu.csv:3", given),
            figure("so-lieu.csv:4", row),
        ];
        let same = make_ids(&mut records);
        let made = records[0].1.id().clone();
        assert_ne!(made.as_str(), PLACEHOLDER);
        assert!(
            made.as_str().starts_with("tn-2025s1-dialogues-held"),
            "{made}"
        );
        assert_eq!(records[1].1.id().as_str(), "tn-dh-2025s1");
        assert_eq!(
            same,
            [SameRecord {
                kind: RecordKind::Observation,
                id: made,
                first: "so-lieu.csv:2".into(),
                second: "so-lieu.csv:4".into(),
            }]
        );
    }
}
