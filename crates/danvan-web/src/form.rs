//! A record kind's form: one input per typed field of `danvan_entry`'s table (so a value is
//! read exactly as the CLI reads it), the few inputs that fill several fields, their values
//! written back the way offices write them, and a submission read into the record's JSON
//! with every problem kept beside its input.

use std::collections::HashMap;

use danvan_core::dataset::AnyRecord;
use danvan_core::record_kind::RecordKind;
use danvan_entry::{Field, Shape};
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::session::Lang;

/// One input of a form, as the template draws it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Input {
    /// The form field's name: the JSON path, or a name of its own for inputs that fill
    /// several fields.
    pub(crate) name: String,
    pub(crate) label: String,
    pub(crate) help: String,
    pub(crate) example: String,
    /// The value as written (lists one item per line).
    pub(crate) value: String,
    /// `text`, `lines` (a list: one item per line) or `select`.
    pub(crate) widget: &'static str,
    /// For selects: (value, shown).
    pub(crate) choices: Vec<(String, String)>,
    /// For text inputs: values offered as one types (value, what it is).
    pub(crate) suggestions: Vec<(String, String)>,
    pub(crate) required: bool,
    /// Fixed once the record exists (its ID).
    pub(crate) readonly: bool,
    /// Every problem with this input.
    pub(crate) errors: Vec<String>,
}

/// The form-only inputs of `kind`: those that fill several fields.
fn extras(kind: RecordKind) -> &'static [(&'static str, &'static str, &'static str, &'static str)] {
    // (name, Vietnamese label, English label, example)
    match kind {
        RecordKind::Conference => &[
            ("format.mode", "Hình thức", "Format", ""),
            (
                "format.connection_points",
                "Số điểm cầu",
                "Connection points",
                "13",
            ),
        ],
        RecordKind::Directive => &[
            (
                "number",
                "Số, ký hiệu (hoặc trích dẫn văn bản)",
                "Number (or the document's citation)",
                "Kế hoạch số 31-KH/BDVTU ngày 15/3/2023",
            ),
            (
                "phase",
                "Giai đoạn",
                "Phase",
                "giai đoạn 2021 - 2025, định hướng đến năm 2030",
            ),
            (
                "milestones",
                "Các mốc sơ kết, tổng kết (mỗi dòng một mốc)",
                "Reviews (one per line)",
                "sơ kết 3 năm: 2024",
            ),
        ],
        _ => &[],
    }
}

const FORMAT_MODES: [(&str, &str, &str); 3] = [
    ("in_person", "Trực tiếp", "In person"),
    ("online", "Trực tuyến", "Online"),
    ("hybrid", "Trực tiếp kết hợp trực tuyến", "Hybrid"),
];

/// The value at dotted `path` of `record`.
fn at<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(record, |v, part| v.get(part))
}

/// Removes the value at dotted `path`, and the objects it leaves empty.
fn take(record: &mut Value, path: &str) {
    let Some((head, rest)) = path.split_once('.') else {
        if let Value::Object(map) = record {
            map.remove(path);
        }
        return;
    };
    if let Some(inner) = record.get_mut(head) {
        take(inner, rest);
        if inner.as_object().is_some_and(Map::is_empty)
            && let Value::Object(map) = record
        {
            map.remove(head);
        }
    }
}

/// A JSON value written as an office writes it, by the field's shape.
fn written(shape: Shape, v: &Value) -> String {
    let text = |v: &Value| v.as_str().map(str::to_string).unwrap_or_default();
    match (shape, v) {
        (Shape::Date, Value::String(s)) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_or_else(|_| s.clone(), |d| d.format("%d/%m/%Y").to_string()),
        (Shape::Decimal, Value::Number(n)) => n.to_string().replace('.', ","),
        (Shape::Count, Value::Number(n)) => n
            .as_u64()
            .map_or_else(|| n.to_string(), danvan_core::number::format_count),
        (Shape::Person | Shape::Attendee, Value::Object(o)) => {
            let name = o.get("name").map(text).unwrap_or_default();
            match o.get("position").map(text) {
                Some(p) if !p.is_empty() => format!("{name}, {p}"),
                _ => name,
            }
        }
        (Shape::Commendation, Value::Object(o)) => {
            let award = o.get("award").map(text).unwrap_or_default();
            let mut counts = Vec::new();
            if let Some(n) = o.get("collectives").and_then(Value::as_u64) {
                counts.push(format!("{n} tập thể"));
            }
            if let Some(n) = o.get("individuals").and_then(Value::as_u64) {
                counts.push(format!("{n} cá nhân"));
            }
            if counts.is_empty() {
                award
            } else {
                format!("{award}: {}", counts.join(", "))
            }
        }
        (Shape::ConnectionPoints, Value::Object(_)) => {
            serde_json::from_value::<danvan_core::conference::ConnectionPoints>(v.clone())
                .map_or_else(
                    |_| v.to_string(),
                    |p| {
                        let mut s = p.count.map_or_else(String::new, |n| {
                            format!("{} ", danvan_core::number::format_count(n.into()))
                        });
                        s.push_str(&format!("điểm cầu {}", p.tier.name_vi()));
                        if !p.names.is_empty() {
                            let names: Vec<&str> = p.names.iter().map(|n| n.as_str()).collect();
                            s.push_str(&format!(": {}", names.join(", ")));
                        }
                        if let Some(d) = p.delegates {
                            s.push_str(&format!(
                                "; {} đại biểu",
                                danvan_core::number::format_count(d.into())
                            ));
                        }
                        s
                    },
                )
        }
        (Shape::SectionText, Value::Object(o)) => format!(
            "{}: {}",
            o.get("key").map(text).unwrap_or_default(),
            o.get("text").map(text).unwrap_or_default()
        ),
        (Shape::Section, Value::Object(o)) => {
            let optional = o.get("optional").and_then(Value::as_bool) == Some(true);
            format!(
                "{}: {}{}",
                o.get("key").map(text).unwrap_or_default(),
                o.get("title").map(text).unwrap_or_default(),
                if optional {
                    " (không bắt buộc)"
                } else {
                    ""
                }
            )
        }
        (Shape::Inference, Value::Object(o)) => {
            let from = o.get("from").cloned().unwrap_or_default();
            let from = serde_json::from_value::<danvan_core::inferred::InferredFrom>(from.clone())
                .map_or_else(|_| text(&from), |f| f.name_vi().to_string());
            format!("{}={from}", o.get("field").map(text).unwrap_or_default())
        }
        (_, Value::String(s)) => s.clone(),
        (_, Value::Null) => String::new(),
        (_, other) => other.to_string(),
    }
}

/// A directive's review written as the form reads it back: "sơ kết 3 năm: 2024".
fn milestone_line(m: &Value) -> String {
    let label = m["label"].as_str().unwrap_or("");
    // A half, quarter or month in words ("quý IV/2025"), read back by the same form.
    let due = match &m["due"] {
        Value::String(s) => danvan_core::period::Period::parse_id(s)
            .ok()
            .filter(|p| p.kind() != danvan_core::period::PeriodKind::Year)
            .map_or_else(|| s.clone(), |p| p.to_vietnamese()),
        other => other.to_string(),
    };
    format!("{label}: {due}")
}

fn choices(shape: Shape, lang: Lang) -> Vec<(String, String)> {
    match shape {
        Shape::Choice(list) => list
            .iter()
            .map(|(json, names)| {
                let shown = match (lang, names.first()) {
                    (Lang::Vi, Some(vi)) => super::i18n::capitalised(vi),
                    _ => json.replace('_', " "),
                };
                ((*json).to_string(), shown)
            })
            .collect(),
        Shape::Bool => [("true", "Có", "Yes"), ("false", "Không", "No")]
            .iter()
            .map(|(json, vi, en)| {
                let shown = match lang {
                    Lang::Vi => vi,
                    Lang::En => en,
                };
                ((*json).to_string(), (*shown).to_string())
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn label(field: &Field, lang: Lang) -> String {
    match lang {
        Lang::Vi => field.vi.to_string(),
        Lang::En => super::i18n::capitalised(&field.json.replace(['_', '.'], " ")),
    }
}

/// What a text input offers as one types: an observation's indicator (the catalogue, by
/// code with its name; a name typed is read as its code), a province (today's provinces).
fn suggestions(kind: RecordKind, field: &Field, lang: Lang) -> Vec<(String, String)> {
    match (kind, field.json, field.shape) {
        (RecordKind::Observation, "indicator", _) => danvan_core::indicator::catalogue()
            .iter()
            .map(|d| {
                let name = match lang {
                    Lang::Vi => d.name_vi.to_string(),
                    Lang::En => d.name_en.to_string(),
                };
                (d.id.to_string(), name)
            })
            .collect(),
        (_, _, Shape::Province) => {
            let today = chrono::Utc::now().date_naive();
            let mut v: Vec<(String, String)> = danvan_core::province::registry()
                .valid_at(today)
                .map(|p| (p.name.to_string(), p.slug.to_string()))
                .collect();
            danvan_core::text::sort_by_key(&mut v, |p| p.0.as_str());
            v
        }
        _ => Vec::new(),
    }
}

/// The inputs of `kind`'s form, filled from `record` (a record's JSON; `{}` for a new one).
pub(crate) fn inputs(kind: RecordKind, record: &Value, lang: Lang, existing: bool) -> Vec<Input> {
    let required = required(kind);
    let mut out: Vec<Input> = danvan_entry::fields(kind)
        .iter()
        .map(|f| {
            let value = match at(record, f.json) {
                // A list of choices by their names (read back by the same reader).
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|v| match (f.shape, v) {
                        (Shape::Choice(_), Value::String(s)) => choices(f.shape, lang)
                            .into_iter()
                            .find(|c| c.0 == *s)
                            .map_or_else(|| s.clone(), |c| c.1),
                        _ => written(f.shape, v),
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                Some(v) => written(f.shape, v),
                None => String::new(),
            };
            let choices = choices(f.shape, lang);
            Input {
                name: f.json.to_string(),
                label: label(f, lang),
                help: f.help.to_string(),
                example: f.example.to_string(),
                value,
                widget: if f.list {
                    "lines"
                } else if choices.is_empty() {
                    "text"
                } else {
                    "select"
                },
                choices: if f.list { Vec::new() } else { choices },
                required: required.contains(&f.json.to_string()),
                readonly: existing && f.json == "id",
                suggestions: suggestions(kind, f, lang),
                errors: Vec::new(),
            }
        })
        .collect();
    out.extend(extra_inputs(kind, record, lang, &required));
    out
}

/// A record's fields for reading: (label, value) in the table's order, choices by their
/// names, provinces by name, empty fields left out.
pub(crate) fn shown(kind: RecordKind, record: &Value, lang: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for f in danvan_entry::fields(kind) {
        let one = |v: &Value| -> String {
            match (f.shape, v) {
                (Shape::Choice(_), Value::String(s)) => choices(f.shape, lang)
                    .into_iter()
                    .find(|c| c.0 == *s)
                    .map_or_else(|| s.clone(), |c| c.1),
                (Shape::DocType, Value::String(s)) => {
                    serde_json::from_value::<danvan_core::docnum::DocumentType>(v.clone())
                        .map_or_else(
                            |_| s.clone(),
                            |t| match lang {
                                Lang::Vi => t.name_vi().to_string(),
                                Lang::En => t.name_en().to_string(),
                            },
                        )
                }
                (Shape::Province, Value::String(s)) => danvan_i18n::names::province(lang, s),
                (Shape::Period, Value::String(s)) => danvan_i18n::names::period_code(lang, s),
                _ => written(f.shape, v),
            }
        };
        let value = match at(record, f.json) {
            Some(Value::Array(items)) => items.iter().map(one).collect::<Vec<_>>().join("\n"),
            Some(v) => one(v),
            None => String::new(),
        };
        if !value.is_empty() {
            out.push((label(f, lang), value));
        }
    }
    // A directive's reviews have a section of their own on its page.
    for input in inputs(kind, record, lang, true).into_iter().filter(|i| {
        extras(kind).iter().any(|e| e.0 == i.name) && i.name != "milestones" && !i.value.is_empty()
    }) {
        let input = match (input.name.as_str(), lang) {
            ("number", Lang::Vi) => Input {
                label: "Số, ký hiệu".into(),
                ..input
            },
            ("number", Lang::En) => Input {
                label: "Number".into(),
                ..input
            },
            _ => input,
        };
        let value = match input.choices.iter().find(|c| c.0 == input.value) {
            Some(c) => c.1.clone(),
            None => input.value,
        };
        out.push((input.label, value));
    }
    out
}

/// The inputs that fill several fields, filled from `record`.
fn extra_inputs(kind: RecordKind, record: &Value, lang: Lang, required: &[String]) -> Vec<Input> {
    let mut out = Vec::new();
    for (name, vi, en, example) in extras(kind) {
        let (value, widget, choices) = match *name {
            "format.mode" => (
                at(record, name)
                    .map(|v| written(Shape::Text, v))
                    .unwrap_or_default(),
                "select",
                FORMAT_MODES
                    .iter()
                    .map(|(j, v, e)| {
                        let shown = if lang == Lang::Vi { v } else { e };
                        ((*j).to_string(), (*shown).to_string())
                    })
                    .collect(),
            ),
            "format.connection_points" => (
                at(record, name)
                    .map(|v| written(Shape::Count, v))
                    .unwrap_or_default(),
                "text",
                Vec::new(),
            ),
            "number" => (
                at(record, name)
                    .map(|v| written(Shape::Text, v))
                    .unwrap_or_default(),
                "text",
                Vec::new(),
            ),
            "phase" => (
                at(record, "phase").map_or_else(String::new, |p| {
                    let (s, e) = (&p["start_year"], &p["end_year"]);
                    match p.get("horizon_year") {
                        Some(h) => format!("giai đoạn {s} - {e}, định hướng đến năm {h}"),
                        None => format!("giai đoạn {s} - {e}"),
                    }
                }),
                "text",
                Vec::new(),
            ),
            _ => (
                at(record, "milestones")
                    .and_then(Value::as_array)
                    .map(|ms| ms.iter().map(milestone_line).collect::<Vec<_>>().join("\n"))
                    .unwrap_or_default(),
                "lines",
                Vec::new(),
            ),
        };
        out.push(Input {
            name: (*name).to_string(),
            label: if lang == Lang::Vi { vi } else { en }.to_string(),
            help: String::new(),
            example: (*example).to_string(),
            value,
            widget,
            choices,
            required: required.contains(&(*name).to_string()),
            readonly: false,
            suggestions: Vec::new(),
            errors: Vec::new(),
        });
    }
    out
}

/// The inputs of the top-level fields `kind` requires, from its JSON Schema.
fn required(kind: RecordKind) -> Vec<String> {
    // The ID is made on saving when it is left empty.
    danvan_entry::missing_fields(kind, &json!({}))
        .iter()
        .filter(|name| *name != "id")
        .map(|name| input_of(kind, name))
        .collect()
}

/// The placeholder ID of a new record whose ID the clerk left empty: replaced on saving by
/// one made from its province, date and title, free in the store.
pub(crate) const MADE_ID: &str = "new";

/// What a submission became: the record, or the inputs with their problems.
pub(crate) enum Read {
    Record(Box<AnyRecord>),
    Problems(Vec<Input>),
}

/// Reads a submitted form of `kind` over `base` (the stored record's JSON, `{}` for a new
/// one): every input replaces its field (an empty one removes it), so fields the form does
/// not show are kept. Every problem is found at once: values that cannot be read, required
/// fields left empty, then the record's own rules.
pub(crate) fn read(
    kind: RecordKind,
    base: &Value,
    submitted: &HashMap<String, String>,
    lang: Lang,
    existing: bool,
) -> Read {
    let mut record = base.clone();
    if !record.is_object() {
        record = json!({});
    }
    let mut errors: HashMap<String, Vec<String>> = HashMap::new();
    fn given<'a>(submitted: &'a HashMap<String, String>, name: &str) -> &'a str {
        submitted.get(name).map_or("", |s| s.trim())
    }
    let given = |name: &str| given(submitted, name);
    let mut implied: Vec<(&str, String)> = Vec::new();
    for f in danvan_entry::fields(kind) {
        if existing && f.json == "id" {
            continue;
        }
        take(&mut record, f.json);
        let text = given(f.json);
        if text.is_empty() {
            continue;
        }
        // An indicator may be named rather than coded, as in a spreadsheet.
        let named = (kind == RecordKind::Observation && f.json == "indicator")
            .then(|| danvan_entry::sheet::indicator_by_name(text))
            .flatten();
        let text = named.unwrap_or(text);
        let parts: Vec<&str> = if f.list {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect()
        } else {
            vec![text]
        };
        let mut items = Vec::new();
        for part in parts {
            match danvan_entry::parse(f.shape, part) {
                Ok(v) => {
                    implied.push((f.json, part.to_string()));
                    items.push(v);
                }
                Err(m) => {
                    // A reader that names the forms it takes needs no example beside them.
                    let message = if m.contains("write it as") || f.example.is_empty() {
                        format!("“{part}” {m}")
                    } else {
                        format!("“{part}” {m} (e.g. {})", f.example)
                    };
                    let message = super::i18n::message(&message, lang);
                    errors.entry(f.json.to_string()).or_default().push(message);
                }
            }
        }
        if f.list {
            danvan_entry::put(&mut record, f.json, Value::Array(items), false);
        } else if let Some(v) = items.pop() {
            danvan_entry::put(&mut record, f.json, v, false);
        }
    }
    // What a value implies (a date's part of the day), once every input has had its say.
    for (json, text) in implied {
        danvan_entry::imply(kind, json, &text, &mut record);
    }
    read_extras(kind, base, &mut record, submitted, lang, &mut errors);
    required_left_empty(kind, existing, &mut record, lang, &mut errors);
    if errors.is_empty() {
        // The API's own reading of a record's JSON, every structural problem found at once.
        let reading = danvan_entry::structure::read_record(kind, &record);
        match reading.record {
            Some(r) if reading.problems.is_empty() => {
                let own: Vec<_> = r
                    .as_ref()
                    .validate(None)
                    .into_iter()
                    .filter(|p| p.is_error())
                    .collect();
                if own.is_empty() {
                    return Read::Record(Box::new(r));
                }
                for p in own {
                    errors
                        .entry(input_of(kind, &p.field))
                        .or_default()
                        .push(super::i18n::message(&p.message, lang));
                }
            }
            _ => {
                for p in reading.problems {
                    let (field, message) = danvan_entry::plain_error(&p.field, &p.message);
                    errors
                        .entry(input_of(kind, &field))
                        .or_default()
                        .push(super::i18n::message(&message, lang));
                }
            }
        }
    }
    Read::Problems(with_errors(kind, submitted, lang, existing, base, errors))
}

/// Required fields left empty, beside the problems of what was typed (an input that could not
/// be read already says so); a new record's empty ID is to be made on saving ([`MADE_ID`]).
fn required_left_empty(
    kind: RecordKind,
    existing: bool,
    record: &mut Value,
    lang: Lang,
    errors: &mut HashMap<String, Vec<String>>,
) {
    if !existing && record.get("id").is_none_or(Value::is_null) {
        danvan_entry::put(record, "id", Value::String(MADE_ID.to_string()), false);
    }
    for name in danvan_entry::missing_fields(kind, record) {
        let input = input_of(kind, &name);
        errors
            .entry(input)
            .or_insert_with(|| vec![required_message(lang)]);
    }
}

fn required_message(lang: Lang) -> String {
    super::i18n::word("form-required", lang)
}

/// The inputs as submitted, each with its problems; a problem with no input of its own is put
/// on the first input (so none is lost).
pub(crate) fn with_errors(
    kind: RecordKind,
    submitted: &HashMap<String, String>,
    lang: Lang,
    existing: bool,
    base: &Value,
    mut errors: HashMap<String, Vec<String>>,
) -> Vec<Input> {
    let mut inputs = inputs(kind, base, lang, existing);
    for input in &mut inputs {
        if !input.readonly {
            input.value = submitted.get(&input.name).cloned().unwrap_or_default();
        }
        if let Some(e) = errors.remove(&input.name) {
            input.errors = e;
        }
    }
    if let Some(first) = inputs.first_mut() {
        for (field, messages) in errors {
            for m in messages {
                first.errors.push(format!("{field}: {m}"));
            }
        }
    }
    inputs
}

/// The input a record field's problem belongs to: the longest input name its path begins
/// with (`chairs[0].name` → `chairs`, `recognition.date` → `recognition.date`).
pub(crate) fn input_of(kind: RecordKind, path: &str) -> String {
    let names = danvan_entry::fields(kind)
        .iter()
        .map(|f| f.json)
        .chain(extras(kind).iter().map(|e| e.0));
    let path_norm = path.split('[').next().unwrap_or(path);
    let names: Vec<&str> = names.collect();
    names
        .iter()
        .filter(|n| path_norm == **n || path_norm.starts_with(&format!("{n}.")))
        .max_by_key(|n| n.len())
        .or_else(|| {
            names
                .iter()
                .find(|n| n.split('.').next() == Some(path_norm))
        })
        .map_or_else(|| path.to_string(), |n| (*n).to_string())
}

/// The inputs that fill several fields.
fn read_extras(
    kind: RecordKind,
    base: &Value,
    record: &mut Value,
    submitted: &HashMap<String, String>,
    lang: Lang,
    errors: &mut HashMap<String, Vec<String>>,
) {
    let given = |name: &str| submitted.get(name).map_or("", |s| s.trim());
    let mut fail = |name: &str, text: &str, m: String| {
        errors
            .entry(name.to_string())
            .or_default()
            .push(super::i18n::message(&format!("“{text}” {m}"), lang));
    };
    match kind {
        RecordKind::Conference => {
            take(record, "format");
            let mode = given("format.mode");
            let points = given("format.connection_points");
            if mode.is_empty() {
                if !points.is_empty() {
                    fail(
                        "format.mode",
                        points,
                        "— choose online or hybrid for connection points".into(),
                    );
                }
                return;
            }
            let mut format = json!({ "mode": mode });
            if !points.is_empty() {
                match danvan_entry::count(points) {
                    Ok(n) if n > 0 => format["connection_points"] = Value::from(n),
                    Ok(_) => {}
                    Err(m) => fail("format.connection_points", points, m),
                }
            }
            danvan_entry::put(record, "format", format, false);
        }
        RecordKind::Directive => {
            take(record, "number");
            let number = given("number");
            if !number.is_empty()
                && let Err(m) = danvan_entry::special(kind, "number", number, record)
            {
                fail("number", number, m);
            }
            take(record, "phase");
            let phase = given("phase");
            if !phase.is_empty()
                && let Err(m) = danvan_entry::special(kind, "phase", phase, record)
            {
                fail("phase", phase, m);
            }
            // A review written as it was shown keeps everything recorded on it (when and at
            // which conference it was held); a new or changed line is read afresh.
            let before: Vec<Value> = base["milestones"].as_array().cloned().unwrap_or_default();
            take(record, "milestones");
            let mut milestones = Vec::new();
            for line in given("milestones")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                if let Some(m) = before.iter().find(|m| milestone_line(m) == line) {
                    milestones.push(m.clone());
                    continue;
                }
                let mut one = json!({});
                match danvan_entry::special(kind, "review", line, &mut one) {
                    Ok(()) => {
                        milestones.extend(one["milestones"].as_array().cloned().unwrap_or_default())
                    }
                    Err(m) => fail("milestones", line, m),
                }
            }
            if !milestones.is_empty() {
                danvan_entry::put(record, "milestones", Value::Array(milestones), false);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submitted(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    /// A new record of `kind` read from `form`, which must have no problem.
    fn read_new(kind: RecordKind, form: &HashMap<String, String>) -> Box<AnyRecord> {
        match read(kind, &json!({}), form, Lang::Vi, false) {
            Read::Record(r) => r,
            Read::Problems(inputs) => panic!(
                "{:?}",
                inputs
                    .iter()
                    .filter(|i| !i.errors.is_empty())
                    .collect::<Vec<_>>()
            ),
        }
    }

    #[test]
    fn a_conference_typed_as_offices_write_it() {
        let form = submitted(&[
            ("id", "tn-2024-so-ket-6-thang"),
            (
                "title",
                "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024",
            ),
            ("kinds", "sơ kết 6 tháng"),
            ("date", "12/7/2024"),
            ("province", "Thái Nguyên"),
            ("hosts", "Ban Dân vận Tỉnh ủy Thái Nguyên"),
            (
                "chairs",
                "Hà Thị Bích Hạnh, Trưởng Ban Dân vận Tỉnh ủy\nNguyễn Văn A, Phó Trưởng Ban",
            ),
            ("format.mode", "online"),
            ("format.connection_points", "13"),
            (
                "discussion",
                "Tham luận của Hội Nông dân tỉnh\r\nÝ kiến của Đoàn Thanh niên",
            ),
            ("date_precision", "exact"),
        ]);
        let r = read_new(RecordKind::Conference, &form);
        let v = &r.to_json().unwrap();
        assert_eq!(v["date"], "2024-07-12");
        assert_eq!(v["province"], "thai-nguyen");
        assert_eq!(v["chairs"].as_array().unwrap().len(), 2);
        assert_eq!(
            v["format"],
            json!({"mode": "online", "connection_points": 13})
        );
        // Shown again as it was typed.
        let shown = inputs(RecordKind::Conference, v, Lang::Vi, true);
        let value = |n: &str| shown.iter().find(|i| i.name == n).unwrap().value.clone();
        assert_eq!(value("date"), "12/07/2024");
        assert!(value("chairs").starts_with("Hà Thị Bích Hạnh, Trưởng Ban Dân vận Tỉnh ủy\n"));
        assert_eq!(value("format.connection_points"), "13");
    }

    #[test]
    fn every_problem_is_beside_its_input() {
        let form = submitted(&[
            ("id", "x"),
            ("date", "31/2/2024"),
            ("format.connection_points", "mười"),
            ("format.mode", "online"),
        ]);
        let Read::Problems(inputs) =
            read(RecordKind::Conference, &json!({}), &form, Lang::En, false)
        else {
            panic!("read")
        };
        let errors = |n: &str| inputs.iter().find(|i| i.name == n).unwrap().errors.clone();
        assert_eq!(errors("date").len(), 1, "{inputs:#?}");
        assert_eq!(errors("format.connection_points").len(), 1);
        // What was typed is kept.
        assert_eq!(
            inputs.iter().find(|i| i.name == "date").unwrap().value,
            "31/2/2024"
        );
    }

    #[test]
    fn required_fields_left_empty_are_named() {
        let form = submitted(&[("id", "tn-1")]);
        let Read::Problems(inputs) =
            read(RecordKind::Conference, &json!({}), &form, Lang::Vi, false)
        else {
            panic!("read")
        };
        for name in ["title", "date"] {
            let i = inputs.iter().find(|i| i.name == name).unwrap();
            assert!(i.required);
            assert_eq!(i.errors, vec!["Cần điền mục này".to_string()], "{name}");
        }
    }

    #[test]
    fn a_review_shown_unchanged_keeps_what_was_recorded_on_it() {
        let base = json!({
            "id": "kh-31", "title": "Kế hoạch thực hiện", "doc_type": "plan",
            "milestones": [{"kind": "mid_term", "label": "sơ kết 3 năm", "due": "2024",
                            "held": {"on": "2024-06-20", "by": "Ban Dân vận Tỉnh ủy"}}]
        });
        let shown = inputs(RecordKind::Directive, &base, Lang::Vi, true);
        let mut form: HashMap<String, String> = shown
            .iter()
            .map(|i| (i.name.clone(), i.value.clone()))
            .collect();
        form.insert(
            "milestones".into(),
            format!("{}\ntổng kết: 2025", form["milestones"]),
        );
        let Read::Record(r) = read(RecordKind::Directive, &base, &form, Lang::Vi, true) else {
            panic!("problems")
        };
        let v = r.to_json().unwrap();
        let ms = v["milestones"].as_array().unwrap();
        assert_eq!(ms.len(), 2);
        assert!(ms[0].get("held").is_some());
        assert_eq!(ms[1]["kind"], "final");
    }

    #[test]
    fn an_observation_names_its_indicator_and_writes_its_figures_as_offices_do() {
        let def = &danvan_core::indicator::catalogue()[0];
        let form = submitted(&[
            ("id", "tn-2025s1-mot-cua"),
            ("indicator", def.name_vi.as_ref()),
            ("province", "Thái Nguyên"),
            ("period", "6 tháng đầu năm 2025"),
            ("numerator", "1.272"),
            ("denominator", "1.337"),
        ]);
        let r = read_new(RecordKind::Observation, &form);
        let v = r.to_json().unwrap();
        assert_eq!(v["indicator"], def.id.as_str());
        assert_eq!(v["numerator"], 1272);
        assert_eq!(v["period"], "2025S1");
        // The form offers the catalogue as one types.
        let shown = inputs(RecordKind::Observation, &json!({}), Lang::Vi, false);
        let indicator = shown.iter().find(|i| i.name == "indicator").unwrap();
        assert!(
            indicator
                .suggestions
                .iter()
                .any(|(code, _)| code == def.id.as_str())
        );
    }

    #[test]
    fn problems_find_their_input() {
        assert_eq!(input_of(RecordKind::Conference, "chairs[0].name"), "chairs");
        assert_eq!(
            input_of(RecordKind::Model, "recognition.date"),
            "recognition.date"
        );
        assert_eq!(input_of(RecordKind::Conference, "format"), "format.mode");
    }
}
