//! Reading one value of a field's shape, in the forms offices write it.

use chrono::NaiveDate;
use danvan_core::number::{Convention, Decimal};
use danvan_core::province::ProvinceRef;
use danvan_core::text::search_key;
use serde_json::{Map, Value, json};

use super::{CONFERENCE_KINDS, Choice, MODEL_FIELDS, Shape};

/// Reads a date in the forms offices write.
pub fn date(text: &str) -> Result<NaiveDate, String> {
    let expected = "is not a date; write it as 22/6/2023, 22-06-2023, \"ngày 22 tháng 6 năm 2023\" or 2023-06-22";
    if let Some(d) = written_date(text) {
        return d.ok_or_else(|| expected.to_string());
    }
    danvan_core::date::parse(text, None).map_err(|e| match e {
        // "Chiều 14/3": the text gives no year. Say so, and how to record one the clerk worked
        // out without presenting it as stated.
        danvan_core::date::DateError::NoYear(_) => "has no year; write the year (14/3/2025) and, when the text does not state it, mark it as inferred: date.year=ngày đăng tin".to_string(),
        _ => expected.to_string(),
    })
}

/// [`date`] as a flag's value parser.
pub fn date_arg(text: &str) -> Result<NaiveDate, String> {
    date(text).map_err(|m| format!("{text:?} {m}"))
}

/// A conference kind in English or Vietnamese, as a flag's value parser.
pub fn conference_kind_arg(text: &str) -> Result<danvan_core::conference::ConferenceKind, String> {
    use danvan_core::vocabulary::Vocabulary as _;
    let name = choose(CONFERENCE_KINDS, text).map_err(|m| format!("{text:?} {m}"))?;
    danvan_core::conference::ConferenceKind::from_name(name).map_err(|e| e.to_string())
}

/// A model's field in English or Vietnamese, as a flag's value parser.
pub fn model_field_arg(text: &str) -> Result<danvan_core::model::ModelField, String> {
    use danvan_core::vocabulary::Vocabulary as _;
    let name = choose(MODEL_FIELDS, text).map_err(|m| format!("{text:?} {m}"))?;
    danvan_core::model::ModelField::from_name(name).map_err(|e| e.to_string())
}

/// "ngày 22 tháng 6 năm 2023" (and "22 tháng 6 năm 2023"): `None` when the text is not of
/// this form, `Some(None)` when it is but names no calendar day.
fn written_date(text: &str) -> Option<Option<NaiveDate>> {
    let key = search_key(text);
    let words: Vec<&str> = key.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "thang")?;
    let number = |i: usize| words.get(i).and_then(|w| w.parse::<u32>().ok());
    let day = at.checked_sub(1).and_then(number)?;
    let month = number(at + 1)?;
    if words.get(at + 2) != Some(&"nam") {
        return None;
    }
    let year = number(at + 3)?;
    Some(NaiveDate::from_ymd_opt(year as i32, month, day))
}

/// A whole number written with or without group separators (`1.272`, `1,272`, `1272`).
pub fn count(text: &str) -> Result<u64, String> {
    let bad = || "is not a whole number; write it as 1.272 or 1272".to_string();
    let digits: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .collect();
    let grouped = {
        let t = text.trim();
        let sep = t.chars().find(|c| matches!(c, '.' | ',' | ' ' | '\u{a0}'));
        match sep {
            None => true,
            Some(sep) => {
                let groups: Vec<&str> = t.split(sep).collect();
                groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)
            }
        }
    };
    if !grouped || digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    digits.parse().map_err(|_| bad())
}

/// Reads `text` as a value of `shape`.
pub fn parse(shape: Shape, text: &str) -> Result<Value, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("is empty".into());
    }
    Ok(match shape {
        Shape::Text => Value::String(text.to_string()),
        Shape::Id => match danvan_core::id::RecordId::new(text) {
            Ok(id) => Value::String(id.to_string()),
            Err(_) => {
                return Err(
                    "is not an ID: lowercase letters, digits, '-', '_' and '.', e.g. tn-2024-so-ket"
                        .into(),
                );
            }
        },
        Shape::Url => json!({ "url": text }),
        Shape::Date => Value::String(date(text)?.to_string()),
        Shape::Year => match count(text) {
            Ok(y) if (1930..=2100).contains(&y) => Value::from(y),
            _ => return Err("is not a year; write it as 2024".into()),
        },
        Shape::Count => Value::from(count(text)?),
        Shape::Decimal => match Decimal::parse(text.trim_end_matches('%').trim(), Convention::Auto)
        {
            Ok(d) => serde_json::to_value(d).unwrap_or(Value::Null),
            Err(_) => return Err("is not a number; write it as 98,66 or 98.66".into()),
        },
        Shape::Period => match danvan_core::period::Period::parse(text, None) {
            Ok(p) => serde_json::to_value(p).unwrap_or(Value::Null),
            Err(_) => {
                return Err("is not a period; write it as 2024, 2024S1, 2024Q2, 202406, 2021-2025 or \"6 tháng đầu năm 2024\"".into());
            }
        },
        Shape::Province => {
            let p = ProvinceRef::new(text);
            if p.is_unknown() {
                return Err("is not a province; write its name (Thái Nguyên), slug (thai-nguyen) or code (19)".into());
            }
            Value::String(p.as_str().to_string())
        }
        Shape::Choice(choices) => Value::String(choose(choices, text)?.to_string()),
        Shape::Person => {
            let (name, position) = person(text);
            let mut m = Map::new();
            m.insert("name".into(), Value::String(name));
            if let Some(p) = position {
                m.insert("position".into(), Value::String(p));
            }
            Value::Object(m)
        }
        Shape::Attendee => parse(Shape::Person, text)?,
        Shape::DocType => match danvan_core::docnum::DocumentType::parse(text) {
            Ok(t) => serde_json::to_value(t).unwrap_or(Value::Null),
            Err(_) => match serde_json::from_value::<danvan_core::docnum::DocumentType>(
                Value::String(text.to_string()),
            ) {
                Ok(t) => serde_json::to_value(t).unwrap_or(Value::Null),
                Err(_) => {
                    return Err("is not a document type; write it as Nghị quyết, Chỉ thị, Kết luận, Kế hoạch, Đề án, Chương trình … (or resolution, plan)".into());
                }
            },
        },
        Shape::Commendation => commendation(text)?,
        Shape::Inference => inference(text)?,
        Shape::Section => section(text)?,
        Shape::SectionText => section_text(text)?,
        Shape::Integer => integer(text)?,
        Shape::ConnectionPoints => connection_points(text)?,
        Shape::Bool => boolean(text)?,
        Shape::DocNumber => {
            let number = danvan_core::docnum::DocumentNumber::parse(text.trim())
                .ok()
                .or_else(|| {
                    danvan_core::citation::Citation::parse(text)
                        .ok()
                        .and_then(|c| c.number)
                })
                .ok_or_else(|| {
                    "is not a document number; write it as 245-QĐ/BTGDVTU or \"Quyết định số 245-QĐ/BTGDVTU ngày 12/10/2026\"".to_string()
                })?;
            serde_json::to_value(number).unwrap_or(Value::Null)
        }
    })
}

/// "2.900 điểm cầu cấp xã; 35.000 đại biểu", "Trung ương: Hội trường Trung ương Đảng".
fn connection_points(text: &str) -> Result<Value, String> {
    let bad = |why: &str| {
        format!(
            "{why}; write it as \"40 điểm cầu cấp tỉnh\", \"2.900 cấp xã; 35.000 đại biểu\" or \"Trung ương: Hội trường Trung ương Đảng\""
        )
    };
    let (head, delegates) = match text.split_once(';') {
        Some((head, rest)) => {
            let rest = search_key(rest);
            let number = rest.trim().trim_end_matches("dai bieu").trim();
            let n = count(number).map_err(|_| bad("the delegates are not a number"))?;
            (head, Some(n))
        }
        None => (text, None),
    };
    let (head, names) = match head.split_once(':') {
        Some((head, names)) => (
            head,
            names
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|n| Value::String(n.to_string()))
                .collect::<Vec<_>>(),
        ),
        None => (head, Vec::new()),
    };
    let head = head.trim();
    let digits_end = head
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',')))
        .unwrap_or(head.len());
    let number = head[..digits_end].trim_end_matches(['.', ',']);
    let points = if number.is_empty() {
        None
    } else {
        Some(count(number).map_err(|_| bad("the count is not a number"))?)
    };
    let words = search_key(&head[digits_end..]);
    let words = words.trim().trim_start_matches("diem cau").trim();
    let tier = match words.trim_start_matches("cap ").trim() {
        "trung uong" | "central" => "central",
        "tinh" | "thanh pho" | "province" | "provincial" => "province",
        "huyen" | "district" => "district",
        "xa" | "phuong" | "xa, phuong" | "xa, phuong, dac khu" | "commune" => "commune",
        "thon" | "to dan pho" | "thon, to dan pho" | "village" => "village",
        "khac" | "other" => "other",
        _ => {
            return Err(bad(
                "does not name the tier (Trung ương, cấp tỉnh, cấp huyện, cấp xã, thôn)",
            ));
        }
    };
    let mut m = Map::new();
    m.insert("tier".into(), Value::String(tier.into()));
    if let Some(n) = points {
        m.insert("count".into(), Value::from(n));
    }
    if !names.is_empty() {
        m.insert("names".into(), Value::Array(names));
    }
    if let Some(n) = delegates {
        m.insert("delegates".into(), Value::from(n));
    }
    Ok(Value::Object(m))
}

/// What an inferred value was worked out from, as people write it.
const INFERRED_FROM: &[crate::Choice] = &[
    (
        "publication_date",
        &[
            "ngày đăng tin",
            "ngày đăng",
            "ngày đưa tin",
            "publication date",
        ],
    ),
    (
        "source_site",
        &[
            "trang đăng tin",
            "trang tin",
            "nguồn tin",
            "site",
            "source site",
        ],
    ),
    ("context", &["ngữ cảnh", "ngữ cảnh của văn bản", "văn bản"]),
    (
        "clerk_knowledge",
        &[
            "người nhập",
            "hiểu biết của người nhập",
            "clerk",
            "clerk knowledge",
        ],
    ),
];

/// "date.year=ngày đăng tin": the field (its JSON path; "tỉnh" is `province`) and what it was
/// inferred from.
fn inference(text: &str) -> Result<Value, String> {
    let bad = |why: &str| {
        format!(
            "{why}; write it as FIELD=FROM, e.g. \"date.year=ngày đăng tin\" or \"province=trang đăng tin\""
        )
    };
    let Some((field, from)) = text.split_once(['=', ':']) else {
        return Err(bad("does not say which field and from what"));
    };
    let field = match search_key(field.trim()).as_str() {
        "tinh" => "province".to_string(),
        _ => field.trim().to_string(),
    };
    if field.is_empty()
        || !field
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
    {
        return Err(bad(&format!("{field:?} is not a field's name")));
    }
    let from = crate::choose(INFERRED_FROM, from.trim()).map_err(|_| {
        bad("the source of the value is not one of: ngày đăng tin, trang đăng tin, ngữ cảnh, người nhập")
    })?;
    Ok(json!({ "field": field, "from": from }))
}

/// "ket-qua: Kết quả thực hiện (không bắt buộc)": a form's written section.
fn section(text: &str) -> Result<Value, String> {
    let bad = || "is not a section; write it as \"ket-qua: Kết quả thực hiện\"".to_string();
    let (key, title) = text.split_once(':').ok_or_else(bad)?;
    let key = key.trim();
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(bad());
    }
    let title = title.trim();
    let (title, optional) = match title.strip_suffix("(không bắt buộc)") {
        Some(t) => (t.trim(), true),
        None => (title, false),
    };
    if title.is_empty() {
        return Err(bad());
    }
    let mut m = Map::new();
    m.insert("key".into(), Value::String(key.into()));
    m.insert("title".into(), Value::String(title.into()));
    if optional {
        m.insert("optional".into(), Value::Bool(true));
    }
    Ok(Value::Object(m))
}

/// "ket-qua: Tổ chức 12 cuộc đối thoại": what a unit writes in a section of its report.
fn section_text(text: &str) -> Result<Value, String> {
    let bad = || {
        "is not a section's text; write it as \"ket-qua: Tổ chức 12 cuộc đối thoại\"".to_string()
    };
    let (key, written) = text.split_once(':').ok_or_else(bad)?;
    let key = key.trim();
    let keyed = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !keyed || written.trim().is_empty() {
        return Err(bad());
    }
    Ok(json!({"key": key, "text": written.trim()}))
}

/// A whole number that may be negative: "-15".
fn integer(text: &str) -> Result<Value, String> {
    let (negative, digits) = match text.trim().strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, text.trim()),
    };
    let n = i64::try_from(count(digits)?).map_err(|_| "is too large".to_string())?;
    Ok(Value::from(if negative { -n } else { n }))
}

/// Yes or no: "có", "không", "x", "true".
fn boolean(text: &str) -> Result<Value, String> {
    match search_key(text).as_str() {
        "co" | "x" | "1" | "true" | "yes" | "dung" | "nhieu" => Ok(Value::Bool(true)),
        "khong" | "0" | "false" | "no" | "sai" => Ok(Value::Bool(false)),
        _ => Err("is not true or false; write it as có or không".into()),
    }
}

/// "Tên, chức vụ": the name, and the position after the first comma.
fn person(text: &str) -> (String, Option<String>) {
    match text.split_once(',') {
        Some((name, position)) if !position.trim().is_empty() => {
            (name.trim().to_string(), Some(position.trim().to_string()))
        }
        _ => (text.trim().trim_end_matches(',').to_string(), None),
    }
}

/// "Bằng khen của Tỉnh ủy: 12 tập thể, 30 cá nhân".
fn commendation(text: &str) -> Result<Value, String> {
    let bad = || {
        "is not an award; write it as \"Bằng khen của Tỉnh ủy: 12 tập thể, 30 cá nhân\"".to_string()
    };
    let (award, counts) = text.rsplit_once(':').ok_or_else(bad)?;
    let mut collectives = 0;
    let mut individuals = 0;
    for part in counts.split([',', ';']) {
        let key = search_key(part);
        let n: u64 = key
            .split_whitespace()
            .find_map(|w| w.parse().ok())
            .ok_or_else(bad)?;
        if key.contains("tap the") || key.contains("collective") {
            collectives = n;
        } else if key.contains("ca nhan") || key.contains("individual") {
            individuals = n;
        } else {
            return Err(bad());
        }
    }
    Ok(json!({
        "award": award.trim(),
        "collectives": collectives,
        "individuals": individuals,
    }))
}

/// The choice `text` names: its JSON name or any way it is written, folded; or a unique
/// choice it begins.
pub fn choose(choices: &[Choice], text: &str) -> Result<&'static str, String> {
    let key = search_key(text).replace(['_', '-'], " ");
    let forms = |c: &Choice| {
        std::iter::once(c.0.replace('_', " "))
            .chain(c.1.iter().map(|a| search_key(a).replace(['-', '–'], " ")))
            .map(|f| f.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
    };
    let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(c) = choices.iter().find(|c| forms(c).contains(&key)) {
        return Ok(c.0);
    }
    let starting: Vec<&Choice> = choices
        .iter()
        .filter(|c| key.len() >= 3 && forms(c).iter().any(|f| f.starts_with(&key)))
        .collect();
    if let [one] = starting.as_slice() {
        return Ok(one.0);
    }
    let listed: Vec<String> = choices
        .iter()
        .map(|c| match c.1.first() {
            Some(vi) => format!("{} ({vi})", c.0),
            None => c.0.to_string(),
        })
        .collect();
    Err(format!("is not one of: {}", listed.join(", ")))
}

/// Sets `path` (dotted) in `object` to `value`; a list field gets `value` appended.
pub fn put(object: &mut Value, path: &str, value: Value, append: bool) {
    let mut target = object;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let Value::Object(map) = target else { return };
        if i + 1 == parts.len() {
            if append {
                match map.get_mut(*part) {
                    Some(Value::Array(items)) => items.push(value),
                    _ => {
                        map.insert((*part).to_string(), Value::Array(vec![value]));
                    }
                }
            } else {
                map.insert((*part).to_string(), value);
            }
            return;
        }
        target = map
            .entry((*part).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}
