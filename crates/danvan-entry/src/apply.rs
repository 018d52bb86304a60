//! Writing what a command was given into a record's JSON: typed flags, the flags that fill
//! several fields, `--set`, `--add`, `--remove`; and the required fields it still lacks.

use danvan_core::record_kind::RecordKind;
use danvan_core::text::search_key;
use serde_json::{Value, json};

use super::{Field, Problem, Shape, a, count, field, fields, parse, put};

/// One `--set`, `--add` or `--remove` (`option`) of `field=value` (`assignment`) into `record`.
pub fn assign(
    kind: RecordKind,
    option: &str,
    assignment: &str,
    record: &mut Value,
) -> Result<(), Problem> {
    let problem = |flag: String, given: &str, message: String| Problem {
        flag,
        given: given.to_string(),
        message,
    };
    let Some((name, text)) = assignment.split_once('=') else {
        return Err(problem(
            option.to_string(),
            assignment,
            "is not FIELD=VALUE (e.g. --set \"title=Hội nghị sơ kết\")".into(),
        ));
    };
    let flag = format!("{option} {}", name.trim());
    let Some(field) = field(kind, name) else {
        if option != "--set" {
            return Err(problem(
                flag,
                text,
                format!(
                    "is for a field {} does not list; the list fields are {}",
                    a(kind),
                    list_fields(kind)
                ),
            ));
        }
        // A field with no typed form (a directive's milestones, a conference's figures):
        // JSON for a list or an object, else read by the type the record's JSON Schema gives
        // the field (`format.connection_points=12` is a number, `unit.level=district` text).
        let value = if text.trim_start().starts_with(['[', '{']) {
            serde_json::from_str(text)
                .map_err(|e| problem(flag.clone(), text, format!("is not JSON: {e}")))?
        } else {
            by_schema_type(kind, name.trim(), text.trim())
                .map_err(|m| problem(flag.clone(), text, m))?
        };
        put(record, name.trim(), value, false);
        return Ok(());
    };
    let example = |f: &Field| format!("(e.g. {option} \"{}={}\")", f.json, f.example);
    let raw = text.trim_start();
    if option == "--set" && raw.starts_with('{') {
        // A whole object in JSON, for the object the field belongs to (`unit={"name": …}`).
        let value: Value = serde_json::from_str(text)
            .map_err(|e| problem(flag.clone(), text, format!("is not JSON: {e}")))?;
        let object = field.json.split('.').next().unwrap_or(field.json);
        put(record, object, value, false);
        return Ok(());
    }
    match option {
        "--set" if field.list && raw.starts_with('[') => {
            // A list in JSON: each text item read by the field's type.
            let items: Vec<Value> = serde_json::from_str(text)
                .map_err(|e| problem(flag.clone(), text, format!("is not a JSON list: {e}")))?;
            let mut read = Vec::with_capacity(items.len());
            for item in items {
                read.push(match item {
                    Value::String(t) => parse(field.shape, &t).map_err(|m| {
                        problem(flag.clone(), &t, format!("{m} {}", example(field)))
                    })?,
                    other => other,
                });
            }
            put(record, field.json, Value::Array(read), false);
        }
        "--set" if field.list => {
            let mut items = Vec::new();
            for part in text.split(';').filter(|p| !p.trim().is_empty()) {
                items.push(parse(field.shape, part).map_err(|m| {
                    problem(flag.clone(), part.trim(), format!("{m} {}", example(field)))
                })?);
            }
            put(record, field.json, Value::Array(items), false);
        }
        "--set" => {
            let v = parse(field.shape, text)
                .map_err(|m| problem(flag.clone(), text, format!("{m} {}", example(field))))?;
            put(record, field.json, v, false);
        }
        _ if !field.list => {
            return Err(problem(
                flag,
                text,
                format!("{} holds one value, not a list: use --set", field.json),
            ));
        }
        "--add" => {
            let v = parse(field.shape, text)
                .map_err(|m| problem(flag.clone(), text, format!("{m} {}", example(field))))?;
            put(record, field.json, v, true);
        }
        _ => remove_items(field, text, record).map_err(|m| problem(flag, text, m))?,
    }
    Ok(())
}

/// One `--clear FIELD` into `record`: the field (by its name, Vietnamese label or JSON path) is
/// removed, so the record holds no value for it — "chưa có số liệu", never an old one. A field
/// the record needs is refused when the record is checked, naming it.
///
/// ```
/// use danvan_core::record_kind::RecordKind;
/// let mut r = serde_json::json!({"id": "o", "numerator": 5, "stated": "trên 95%", "unit": {"name": "x", "level": "district"}});
/// danvan_entry::clear(RecordKind::Observation, "stated", &mut r).unwrap();
/// danvan_entry::clear(RecordKind::Observation, "unit", &mut r).unwrap();
/// assert_eq!(r, serde_json::json!({"id": "o", "numerator": 5}));
/// assert!(danvan_entry::clear(RecordKind::Observation, "id", &mut r).is_err());
/// ```
pub fn clear(kind: RecordKind, name: &str, record: &mut Value) -> Result<(), Problem> {
    let flag = format!("--clear {}", name.trim());
    // A key the record holds as written ("unit", the whole object), else a field by its name
    // or label ("Địa điểm" → location), else a path.
    let given = name.trim();
    let path = if record.get(given).is_some() {
        given.to_string()
    } else {
        field(kind, given).map_or_else(|| given.to_string(), |f| f.json.to_string())
    };
    if path == "id" {
        return Err(Problem {
            flag,
            given: name.to_string(),
            message: "the ID cannot be cleared: it names the record".into(),
        });
    }
    let mut node = &mut *record;
    let parts: Vec<&str> = path.split('.').collect();
    for part in &parts[..parts.len() - 1] {
        match node.get_mut(*part) {
            Some(next) => node = next,
            None => return Ok(()),
        }
    }
    if let Some(obj) = node.as_object_mut() {
        obj.remove(parts[parts.len() - 1]);
    }
    // An object left empty ("format" without its fields) goes too.
    if parts.len() > 1
        && let Some(obj) = record.as_object_mut()
        && obj
            .get(parts[0])
            .is_some_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
    {
        obj.remove(parts[0]);
    }
    Ok(())
}

/// Removes the items of `field`'s list that `text` names (by their text, name, award or
/// address, folded).
fn remove_items(field: &Field, text: &str, record: &mut Value) -> Result<(), String> {
    let key = search_key(text);
    let matches = |item: &Value| match item {
        Value::String(s) => search_key(s) == key,
        Value::Object(o) => ["name", "award", "url"].iter().any(|k| {
            o.get(*k)
                .and_then(Value::as_str)
                .is_some_and(|s| search_key(s) == key)
        }),
        _ => false,
    };
    let Some(Value::Array(items)) = record.get_mut(field.json) else {
        return Err(format!("matches nothing: {} is empty", field.json));
    };
    let before = items.len();
    items.retain(|i| !matches(i));
    if items.len() == before {
        return Err(format!("matches no item of {}", field.json));
    }
    Ok(())
}

/// `text` for the field at `path` (dotted) of `kind`, by the type its JSON Schema gives it:
/// a whole number or a number, true/false, a list (items split at `;`), or text.
pub fn by_schema_type(kind: RecordKind, path: &str, text: &str) -> Result<Value, String> {
    let types = schema_types(kind, path);
    let has = |t: &str| types.iter().any(|x| x == t);
    if has("integer") && !has("string") {
        return count(text).map(Value::from).map_err(|m| m.to_string());
    }
    if has("number") && !has("string") {
        return parse(Shape::Decimal, text);
    }
    if has("boolean") && !has("string") {
        return match search_key(text).as_str() {
            "true" | "co" | "yes" => Ok(Value::Bool(true)),
            "false" | "khong" | "no" => Ok(Value::Bool(false)),
            _ => Err("is not true or false".into()),
        };
    }
    if has("array") && !has("string") {
        return Ok(Value::Array(
            text.split(';')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| Value::String(t.to_string()))
                .collect(),
        ));
    }
    Ok(Value::String(text.to_string()))
}

/// The JSON Schema of `kind`'s records (null if core has none), generated once per process:
/// forms ask for it on every page they draw.
fn record_schema(kind: RecordKind) -> &'static Value {
    static SCHEMAS: std::sync::OnceLock<Vec<(String, Value)>> = std::sync::OnceLock::new();
    static NONE: Value = Value::Null;
    let file = format!("{kind}.schema.json");
    SCHEMAS
        .get_or_init(|| {
            danvan_core::schema::all()
                .into_iter()
                .filter_map(|(f, schema)| {
                    Some((f.to_string(), serde_json::from_str(&schema).ok()?))
                })
                .collect()
        })
        .iter()
        .find(|(f, _)| *f == file)
        .map_or(&NONE, |(_, v)| v)
}

/// The JSON types the schema of `kind` allows at `path` (through `$ref`s and the variants of
/// `oneOf`/`anyOf`); empty when it does not say.
fn schema_types(kind: RecordKind, path: &str) -> Vec<String> {
    let root = record_schema(kind);
    let resolve = |node: &Value| -> Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => r
                .strip_prefix("#/$defs/")
                .and_then(|name| root["$defs"].get(name))
                .cloned()
                .unwrap_or(Value::Null),
            None => node.clone(),
        }
    };
    // Every node the path may reach, through the variants.
    let mut nodes = vec![root.clone()];
    for part in path.split('.') {
        let mut next = Vec::new();
        let mut stack: Vec<Value> = nodes.iter().map(&resolve).collect();
        while let Some(node) = stack.pop() {
            for key in ["oneOf", "anyOf", "allOf"] {
                if let Some(variants) = node.get(key).and_then(Value::as_array) {
                    stack.extend(variants.iter().map(&resolve));
                }
            }
            if let Some(child) = node.get("properties").and_then(|p| p.get(part)) {
                next.push(resolve(child));
            }
        }
        nodes = next;
    }
    let mut types = Vec::new();
    let mut stack = nodes;
    while let Some(node) = stack.pop() {
        match node.get("type") {
            Some(Value::String(t)) => types.push(t.clone()),
            Some(Value::Array(ts)) => {
                types.extend(ts.iter().filter_map(Value::as_str).map(str::to_string))
            }
            _ => {}
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(variants) = node.get(key).and_then(Value::as_array) {
                stack.extend(variants.iter().map(&resolve));
            }
        }
    }
    types
}

/// The list fields of `kind`, for a message.
fn list_fields(kind: RecordKind) -> String {
    fields(kind)
        .iter()
        .filter(|f| f.list)
        .map(|f| f.json)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A flag that fills several fields of `kind` (`--online 13`, `--number "Kế hoạch số …"`,
/// `--phase`, `--review`, `--figure`), read from `text` into `record`.
pub fn special(kind: RecordKind, flag: &str, text: &str, record: &mut Value) -> Result<(), String> {
    match (kind, flag) {
        (RecordKind::Conference, "in-person") => {
            put(record, "format", json!({"mode": "in_person"}), false);
        }
        (RecordKind::Conference, "online" | "hybrid") => {
            let points = count(text)
                .map_err(|_| "is not a number of connection points (e.g. 13)".to_string())?;
            let mut format = json!({ "mode": flag });
            if points > 0 {
                format["connection_points"] = Value::from(points);
            }
            put(record, "format", format, false);
        }
        (RecordKind::Directive, "number") => citation_into(text, record)?,
        (RecordKind::Directive, "phase") => phase(text, record)?,
        (RecordKind::Directive, "review") => {
            let m = milestone(text)?;
            put(record, "milestones", m, true);
        }
        (RecordKind::Observation, "figure") => figure_into(text, record)?,
        _ => return Err("does not apply here".into()),
    }
    Ok(())
}

/// "Kế hoạch số 31-KH/BDVTU ngày 15/3/2023": the number, and the type, date and issuer the
/// citation names (flags given beside it win).
pub fn citation_into(text: &str, record: &mut Value) -> Result<(), String> {
    let c = danvan_core::citation::Citation::parse(text).map_err(|e| {
        format!("is not a document citation ({e}); write it as \"Kế hoạch số 31-KH/BDVTU ngày 15/3/2023\"")
    })?;
    let map = record.as_object_mut().ok_or("is not for this record")?;
    match (&c.number, c.ordinal) {
        (Some(number), _) => {
            map.insert(
                "number".into(),
                serde_json::to_value(number).unwrap_or(Value::Null),
            );
        }
        // "Chỉ thị số 16 … khóa IX": the ordinal and term, no symbol invented.
        (None, Some(ordinal)) => {
            map.insert("ordinal".into(), Value::from(ordinal));
        }
        (None, None) => {
            return Err(
                "names no document number; write it as \"Kế hoạch số 31-KH/BDVTU ngày 15/3/2023\""
                    .into(),
            );
        }
    }
    let mut fill = |key: &str, v: Value| {
        map.entry(key.to_string()).or_insert(v);
    };
    if let Some(t) = c.doc_type {
        fill("doc_type", serde_json::to_value(t).unwrap_or(Value::Null));
    }
    if let Some(d) = c.issued_on {
        fill("issued_on", Value::String(d.to_string()));
    }
    if let Some(i) = &c.issuer {
        fill("issuer", Value::String(i.to_string()));
    }
    if let Some(t) = &c.term {
        fill("term", Value::String(t.to_string()));
    }
    if let Some(t) = &c.title {
        fill("title", Value::String(t.to_string()));
    }
    Ok(())
}

/// The four-digit years in `text`, in order.
fn years(text: &str) -> Vec<u32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse().ok())
        .collect()
}

/// "giai đoạn 2021 - 2025, định hướng đến năm 2030".
fn phase(text: &str, record: &mut Value) -> Result<(), String> {
    let bad = || {
        "is not a phase; write it as \"giai đoạn 2021 - 2025, định hướng đến năm 2030\"".to_string()
    };
    let found = years(text);
    let key = search_key(text);
    let horizon = key.contains("dinh huong") || key.contains("tam nhin");
    let (start, end, to) = match (found.as_slice(), horizon) {
        ([s, e], false) => (*s, *e, None),
        ([s, e, h], true) => (*s, *e, Some(*h)),
        _ => return Err(bad()),
    };
    let mut phase = json!({ "start_year": start, "end_year": end });
    if let Some(h) = to {
        phase["horizon_year"] = Value::from(h);
    }
    put(record, "phase", phase, false);
    Ok(())
}

/// "sơ kết 3 năm: 2024", "tổng kết: 2025", "sơ kết giữa nhiệm kỳ: 6/2023".
fn milestone(text: &str) -> Result<Value, String> {
    let bad = || {
        "is not a review; write it as \"sơ kết 3 năm: 2024\" (the label, a colon, the year or period it is due)".to_string()
    };
    let (label, due) = text.rsplit_once(':').ok_or_else(bad)?;
    let key = search_key(label);
    let kind = if key.contains("tong ket") {
        "final"
    } else if key.contains("so ket") {
        "mid_term"
    } else {
        "other"
    };
    let due = danvan_core::period::Period::parse(due.trim(), None).map_err(|_| bad())?;
    Ok(json!({
        "kind": kind,
        "label": label.trim(),
        "due": serde_json::to_value(due).unwrap_or(Value::Null),
    }))
}

/// "1.272/1.337" (numerator and denominator of a ratio), or the value: "98,66%", "84,1", or a
/// count "2.481" (grouped as offices write it).
pub fn figure_into(text: &str, record: &mut Value) -> Result<(), String> {
    let bad = || "is not a figure; write it as 1.272/1.337, 98,66% or 2.481".to_string();
    if let Some((n, d)) = text.split_once('/') {
        let (n, d) = (count(n).map_err(|_| bad())?, count(d).map_err(|_| bad())?);
        put(record, "numerator", Value::from(n), false);
        put(record, "denominator", Value::from(d), false);
        return Ok(());
    }
    // A whole number grouped as offices write it (2.481) is a count, not 2,481.
    if let Ok(n) = count(text) {
        put(record, "value", Value::from(n), false);
        return Ok(());
    }
    let v = parse(Shape::Decimal, text).map_err(|_| bad())?;
    put(record, "value", v, false);
    Ok(())
}

/// The JSON names of the top-level fields `kind` requires (by its JSON Schema) that `record`
/// lacks, in the schema's order.
pub fn missing_fields(kind: RecordKind, record: &Value) -> Vec<String> {
    let schema = record_schema(kind);
    let required = schema["required"].as_array().cloned().unwrap_or_default();
    required
        .iter()
        .filter_map(Value::as_str)
        .filter(|name| record.get(*name).is_none_or(Value::is_null))
        .map(str::to_string)
        .collect()
}

/// The fields `kind` requires that `record` lacks, each as a problem naming the flag that
/// sets it: all of them at once, before the record is read (which would stop at the first).
pub fn missing_required(kind: RecordKind, record: &Value) -> Vec<Problem> {
    missing_fields(kind, record)
        .into_iter()
        .map(|name| {
            let name = name.as_str();
            let (flag, example) = match field(kind, name) {
                Some(f) => (format!("--{}", f.flag), f.example),
                None if kind == RecordKind::Conference && name == "format" => {
                    ("--in-person, --online N or --hybrid N".to_string(), "")
                }
                None => (format!("--set {name}"), ""),
            };
            let message = if example.is_empty() {
                format!("is required ({name})")
            } else {
                format!("is required ({name}), e.g. {flag} {example:?}")
            };
            Problem {
                flag,
                given: String::new(),
                message,
            }
        })
        .collect()
}

/// What is known of a review (sơ kết, tổng kết) held: the CLI's `review-held` flags, the web
/// app's form.
#[derive(Debug, Clone, Default)]
pub struct Held<'a> {
    /// When: a day (26/5/2024), or the month, quarter, half-year or year.
    pub on: Option<&'a str>,
    /// The body that held it.
    pub by: Option<&'a str>,
    /// The conference that held it, by ID.
    pub conference: Option<&'a danvan_core::id::RecordId>,
    /// The document that records it: "Báo cáo số 115-BC/TU ngày 30/5/2024".
    pub evidence: Option<&'a str>,
    /// Where it was published (an address).
    pub source: Option<&'a str>,
    /// The source says it was held and gives no date.
    pub date_unknown: bool,
    /// What the review found, one item each.
    pub findings: Vec<&'a str>,
}

impl Held<'_> {
    /// The milestone's `held` object, or every problem with what was given.
    pub fn to_json(&self) -> Result<Value, Vec<Problem>> {
        let mut held = serde_json::Map::new();
        let mut problems = Vec::new();
        let problem = |flag: &str, given: &str, message: &str| Problem {
            flag: flag.into(),
            given: given.into(),
            message: message.into(),
        };
        if let Some(on) = self.on {
            let when = super::date(on)
                .map(|d| d.to_string())
                .or_else(|_| danvan_core::period::Period::parse(on, None).map(|p| p.to_string()));
            match when {
                Ok(w) => {
                    held.insert("on".into(), Value::String(w));
                }
                Err(_) => problems.push(problem(
                    "--on",
                    on,
                    "is not a day or a period; write it as 26/5/2024, 5/2024 or 2024S1",
                )),
            }
        }
        if let Some(by) = self.by {
            held.insert("by".into(), Value::String(by.trim().to_string()));
        }
        if let Some(c) = self.conference {
            held.insert("conference".into(), Value::String(c.to_string()));
        }
        if let Some(e) = self.evidence {
            match danvan_core::citation::Citation::parse(e) {
                Ok(c) => {
                    held.insert("document".into(), serde_json::to_value(c).unwrap_or(Value::Null));
                }
                Err(_) => problems.push(problem("--evidence", e, "is not a document citation; write it as \"Báo cáo số 115-BC/TU ngày 30/5/2024\"")),
            }
        }
        if let Some(url) = self.source {
            held.insert("sources".into(), serde_json::json!([{ "url": url.trim() }]));
        }
        let findings: Vec<Value> = self
            .findings
            .iter()
            .map(|f| f.trim())
            .filter(|f| !f.is_empty())
            .map(|f| Value::String(f.to_string()))
            .collect();
        if !findings.is_empty() {
            held.insert("findings".into(), Value::Array(findings));
        }
        if self.date_unknown {
            if self.on.is_some() || self.conference.is_some() {
                problems.push(problem(
                    "--date-unknown",
                    "",
                    "contradicts --on or --conference, which date the review",
                ));
            }
            held.insert("date_unknown".into(), Value::Bool(true));
        } else if self.on.is_none() && self.conference.is_none() {
            problems.push(problem(
                "--on",
                "",
                "is needed (or --conference, or --date-unknown when the source gives no date): when was it held?",
            ));
        }
        if problems.is_empty() {
            Ok(Value::Object(held))
        } else {
            Err(problems)
        }
    }
}
