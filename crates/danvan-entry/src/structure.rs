//! A record's JSON read with every structural problem found at once, not just the first.
//!
//! Deserialising stops at the first field in error. To find the rest, the reader leaves that
//! field out (an item of a list out of its list, a required field filled from its example) and
//! reads again, until the record reads; each problem names its field as the sender wrote it
//! (list positions as in the body, not as they are after items were left out). The record is
//! always judged by the same deserialiser that stores it, so nothing it accepts (a document
//! type written in Vietnamese, a decimal as `"98,66"`) is reported, and nothing it refuses is
//! missed.
//!
//! When only optional fields had to be left out, the record that remains comes back too, so a
//! caller can run the record's semantic checks and report those problems in the same answer.

use std::collections::BTreeMap;

use danvan_core::dataset::AnyRecord;
use danvan_core::record_kind::RecordKind;
use serde_json::{Map, Value};

/// One structural problem: the field (as sent: `chairs[2].name`), a stable code and what is
/// wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Structural {
    /// The field's path in the body; empty for the record as a whole.
    pub field: String,
    /// `type`, `required`, `unknown-field`, `not-a-choice`, `length` or `format` (a value the
    /// field's own reader refused: a date, an ID, a period).
    pub code: &'static str,
    /// What is wrong, as the reader said.
    pub message: String,
}

/// What reading a record's JSON gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Every structural problem, in the order found; empty when the record read as it is.
    pub problems: Vec<Structural>,
    /// The record: as sent when `problems` is empty; otherwise what remains with the optional
    /// fields in error left out, or `None` when a required field had to be made up to read
    /// it (its semantic checks would then judge the made-up value).
    pub record: Option<AnyRecord>,
}

/// At most this many problems are reported for one record (and as many readings made).
const MOST: usize = 100;

/// Reads `value` as a record of `kind`, finding every structural problem.
pub fn read_record(kind: RecordKind, value: &Value) -> Reading {
    if !value.is_object() {
        return Reading {
            problems: vec![Structural {
                field: String::new(),
                code: "type",
                message: format!("{} is a JSON object of its fields", crate::a(kind)),
            }],
            record: None,
        };
    }
    let mut work = value.clone();
    let mut problems: Vec<Structural> = Vec::new();
    let mut removed = Removed::default();
    let mut made_up = false;
    for _ in 0..=MOST {
        let tagged = serde_json::json!({ "kind": kind, "record": work });
        let error = match serde_path_to_error::deserialize::<_, AnyRecord>(tagged) {
            Ok(record) => {
                return Reading {
                    problems,
                    record: (!made_up).then_some(record),
                };
            }
            Err(e) => e,
        };
        let message = message_of(error.inner());
        let at = work_path(error.path());
        let missing = missing_field(&message);
        // The field in the body's own positions, and for a missing field, that field.
        let mut field = removed.original(&at);
        if let Some(name) = &missing {
            field.push(Segment::Key(name.clone()));
        }
        let shown = display(&field);
        let repeated = problems.iter().any(|p| p.field == shown);
        if !repeated {
            problems.push(Structural {
                field: shown,
                code: code_of(&message, missing.is_some()),
                message: message.clone(),
            });
        }
        if problems.len() >= MOST {
            break;
        }
        // Make progress: leave out what failed; a required field at the top is made up.
        let progressed = match missing {
            Some(name) if at.is_empty() => {
                made_up = true;
                fill_from_example(kind, &mut work, &name)
            }
            Some(_) => removed.remove(&mut work, &at),
            None if at.len() == 1 && repeated => {
                // A top-level field left out came back as missing, then made up, and still
                // fails: nothing more can be learnt.
                false
            }
            None => removed.remove(&mut work, &at),
        };
        if !progressed {
            break;
        }
    }
    Reading {
        problems,
        record: None,
    }
}

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Segment {
    Key(String),
    Index(usize),
}

/// The path serde reported, inside the record (the `record.` of the tagged form dropped).
fn work_path(path: &serde_path_to_error::Path) -> Vec<Segment> {
    let mut out: Vec<Segment> =
        path.iter()
            .filter_map(|s| match s {
                serde_path_to_error::Segment::Seq { index } => Some(Segment::Index(*index)),
                serde_path_to_error::Segment::Map { key } => Some(Segment::Key(key.clone())),
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => None,
            })
            .collect();
    if out.first() == Some(&Segment::Key("record".into())) {
        out.remove(0);
    }
    out
}

/// `chairs[2].name`.
fn display(path: &[Segment]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Segment::Key(k) if out.is_empty() => out.push_str(k),
            Segment::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The items left out of lists so far, by the list's path in the body's own positions, so a
/// later problem inside the same list is named by the position the sender wrote.
#[derive(Debug, Default)]
struct Removed {
    items: BTreeMap<Vec<Segment>, Vec<usize>>,
}

impl Removed {
    /// `path` (positions in the value as it is now) in the body's own positions.
    fn original(&self, path: &[Segment]) -> Vec<Segment> {
        let mut out: Vec<Segment> = Vec::with_capacity(path.len());
        for s in path {
            match s {
                Segment::Index(i) => {
                    let mut at = *i;
                    if let Some(gone) = self.items.get(&out) {
                        for g in gone {
                            if *g <= at {
                                at += 1;
                            }
                        }
                    }
                    out.push(Segment::Index(at));
                }
                key => out.push(key.clone()),
            }
        }
        out
    }

    /// Leaves out the node at `path` of `work` (a key of its object, an item of its list);
    /// false when there is no such node.
    fn remove(&mut self, work: &mut Value, path: &[Segment]) -> bool {
        let Some((last, parent)) = path.split_last() else {
            return false;
        };
        let original_parent = self.original(parent);
        let Some(node) = node_mut(work, parent) else {
            return false;
        };
        match (last, node) {
            (Segment::Key(k), Value::Object(map)) => map.remove(k).is_some(),
            (Segment::Index(i), Value::Array(items)) if *i < items.len() => {
                items.remove(*i);
                let Some(Segment::Index(at)) = self.original(path).last().cloned() else {
                    return false;
                };
                let gone = self.items.entry(original_parent).or_default();
                gone.push(at);
                gone.sort_unstable();
                true
            }
            _ => false,
        }
    }
}

fn node_mut<'v>(value: &'v mut Value, path: &[Segment]) -> Option<&'v mut Value> {
    let mut at = value;
    for s in path {
        at = match (s, at) {
            (Segment::Key(k), Value::Object(map)) => map.get_mut(k)?,
            (Segment::Index(i), Value::Array(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(at)
}

/// Fills the required top-level field `name` of `work` with its example, so the reading can
/// go on past it; false when the field has no example that reads.
fn fill_from_example(kind: RecordKind, work: &mut Value, name: &str) -> bool {
    let Some(example) = example_of(kind, name) else {
        return false;
    };
    let Value::Object(map) = work else {
        return false;
    };
    if map.get(name) == Some(&example) {
        return false;
    }
    map.insert(name.to_string(), example);
    true
}

/// The example value of `kind`'s field `name`, as JSON; an object field from the examples of
/// its own fields (`format` from `format.mode`).
fn example_of(kind: RecordKind, name: &str) -> Option<Value> {
    let fields = crate::fields(kind);
    if let Some(f) = fields.iter().find(|f| f.json == name) {
        let v = crate::parse(f.shape, f.example).ok()?;
        return Some(if f.list { Value::Array(vec![v]) } else { v });
    }
    let prefix = format!("{name}.");
    let mut object = Map::new();
    for f in fields.iter().filter(|f| f.json.starts_with(&prefix)) {
        if let Ok(v) = crate::parse(f.shape, f.example) {
            object.insert(f.json[prefix.len()..].to_string(), v);
        }
    }
    (!object.is_empty()).then_some(Value::Object(object))
}

/// serde's message without its position (a JSON value has no lines).
fn message_of(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// For "missing field `x`", `x`.
fn missing_field(message: &str) -> Option<String> {
    message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next())
        .map(str::to_string)
}

/// The stable code of a deserialiser's message.
fn code_of(message: &str, missing: bool) -> &'static str {
    if missing {
        "required"
    } else if message.starts_with("unknown field") {
        "unknown-field"
    } else if message.starts_with("invalid type") {
        "type"
    } else if message.starts_with("unknown variant") {
        "not-a-choice"
    } else if message.starts_with("invalid length") {
        "length"
    } else {
        "format"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(r: &Reading) -> Vec<(&str, &str)> {
        r.problems
            .iter()
            .map(|p| (p.field.as_str(), p.code))
            .collect()
    }

    fn conference() -> Value {
        json!({"id": "tn-2025-doi-thoai", "title": "Hội nghị đối thoại",
            "kinds": ["dialogue"], "date": "2025-11-20", "province": "thai-nguyen",
            "hosts": ["Ban Dân vận Tỉnh ủy"], "format": {"mode": "in_person"},
            "chairs": [{"name": "Trịnh Việt Hùng", "position": "Bí thư Tỉnh ủy"},
                       {"name": "Phạm Hoàng Sơn", "position": "Chủ tịch UBND tỉnh"},
                       {"name": "Nguyễn Văn A"}]})
    }

    #[test]
    fn a_good_record_reads_as_it_is() {
        let r = read_record(RecordKind::Conference, &conference());
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(r.record.is_some());
    }

    #[test]
    fn every_problem_is_found_with_the_positions_the_sender_wrote() {
        let mut v = conference();
        v["end_date"] = json!("20/11/2025x");
        v["chairs"][0]["name"] = json!(12);
        v["chairs"][2]["position"] = json!(["Phó Bí thư"]);
        v["hosst"] = json!("Ban Dân vận");
        v["kinds"] = json!(["dialogue", "festival"]);
        let r = read_record(RecordKind::Conference, &v);
        let mut got = fields(&r);
        got.sort_unstable();
        assert_eq!(
            got,
            [
                ("chairs[0].name", "type"),
                ("chairs[2].position", "type"),
                ("end_date", "format"),
                ("hosst", "unknown-field"),
                ("kinds[1]", "not-a-choice"),
            ],
            "{:#?}",
            r.problems
        );
        // Only optional fields and list items were left out: the rest can be checked.
        let record = r.record.expect("what remains reads");
        assert_eq!(record.id().as_str(), "tn-2025-doi-thoai");
    }

    #[test]
    fn a_required_field_in_error_is_named_and_the_reading_goes_on() {
        let mut v = conference();
        v["date"] = json!("hôm qua");
        v.as_object_mut().unwrap().remove("title");
        v["chairs"][1]["name"] = json!(null);
        // Inside an internally tagged object serde names the object, not its field.
        v["format"] = json!({"mode": "online", "connection_points": "mười ba"});
        let r = read_record(RecordKind::Conference, &v);
        let mut got = fields(&r);
        got.sort_unstable();
        assert_eq!(
            got,
            [
                ("chairs[1].name", "type"),
                ("date", "format"),
                ("format", "type"),
                ("title", "required")
            ],
            "{:#?}",
            r.problems
        );
        assert!(
            r.record.is_none(),
            "made-up values are never checked as if sent"
        );
    }

    #[test]
    fn what_the_reader_accepts_is_never_reported() {
        // A document type in Vietnamese and the older single `host`.
        let v = json!({"id": "tn-05-da-2021", "number": "05-ĐA/TU", "doc_type": "Đề án",
            "issuer": "Tỉnh ủy", "title": "Đề án", "issued_on": "2021-04-12"});
        let r = read_record(RecordKind::Directive, &v);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let mut c = conference();
        let hosts = c.as_object_mut().unwrap().remove("hosts").unwrap();
        c["host"] = hosts[0].clone();
        assert!(read_record(RecordKind::Conference, &c).problems.is_empty());
    }

    /// A JSON value of any shape, small.
    fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i32>().prop_map(Value::from),
            "[a-zđ0-9 /:-]{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(2, 8, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
                proptest::collection::btree_map("[a-z_]{1,8}", inner, 0..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// A good record with fields set to anything, added or removed: the reading ends,
        /// what reads as it is has no problem, what does not has the first problem serde
        /// finds among its problems, and a record comes back only when nothing was made up.
        #[test]
        fn any_damage_is_found_and_the_reading_ends(
            changes in proptest::collection::vec(
                (0usize..40, proptest::option::of(any_json())), 0..6),
        ) {
            let mut v = conference();
            let keys = ["id", "title", "kinds", "date", "province", "hosts", "format",
                "chairs", "end_date", "location", "note", "hosst", "figures", "sources"];
            for (at, value) in changes {
                let key = keys[at % keys.len()];
                let map = v.as_object_mut().unwrap();
                match value {
                    Some(x) if at >= keys.len() => {
                        if let Some(Value::Array(chairs)) = map.get_mut("chairs")
                            && let Some(Value::Object(c)) = chairs.get_mut(at % 3)
                        {
                            c.insert("name".into(), x);
                        }
                    }
                    Some(x) => { map.insert(key.into(), x); }
                    None => { map.remove(key); }
                }
            }
            let r = read_record(RecordKind::Conference, &v);
            let direct = serde_path_to_error::deserialize::<_, AnyRecord>(
                serde_json::json!({"kind": "conference", "record": v}));
            match direct {
                Ok(record) => {
                    proptest::prop_assert!(r.problems.is_empty(), "{:?}", r.problems);
                    proptest::prop_assert_eq!(r.record, Some(record));
                }
                Err(e) => {
                    proptest::prop_assert!(!r.problems.is_empty());
                    let mut first = work_path(e.path());
                    if let Some(name) = missing_field(&message_of(e.inner())) {
                        first.push(Segment::Key(name));
                    }
                    let first = display(&first);
                    proptest::prop_assert!(
                        r.problems.iter().any(|p| p.field == first),
                        "{first} not in {:?}", r.problems
                    );
                }
            }
        }
    }

    #[test]
    fn not_an_object_is_one_problem() {
        let r = read_record(RecordKind::Model, &json!([1, 2]));
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert_eq!(r.problems[0].field, "");
        assert!(r.record.is_none());
    }
}
