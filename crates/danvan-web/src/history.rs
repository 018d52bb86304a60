//! A record's history as its page shows it: each change's field by the label its form shows
//! ("Tỉnh", "Kỳ báo cáo"), its values in words — choices, states and provinces by name, days and
//! times as offices write them, periods in words, lists and objects item by item — never the
//! JSON the API serves (`GET /v1/<kind>/<id>/history` keeps that).

use danvan_core::record_kind::RecordKind;
use danvan_entry::Shape;
use danvan_i18n::names;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::session::Lang;

/// One change: "Tỉnh: ∅ → Thái Nguyên".
pub(super) fn change_line(kind: RecordKind, c: &danvan_store::FieldChange, lang: Lang) -> String {
    line(kind, &c.field, c.old.as_ref(), c.new.as_ref(), lang)
}

/// The change of `field` from `old` to `new` (absent: no value).
fn line(
    kind: RecordKind,
    field: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    lang: Lang,
) -> String {
    let key = last_key(field);
    let value =
        |v: Option<&Value>| v.map_or_else(|| "∅".to_string(), |v| shown(kind, key, v, lang));
    format!(
        "{}: {} → {}",
        danvan_i18n::names::field(lang, kind, field),
        value(old),
        value(new)
    )
}

/// The field's last key: `status` of `status`, `name` of `chairs[0].name`.
fn last_key(path: &str) -> &str {
    path.rsplit('.')
        .next()
        .unwrap_or(path)
        .split('[')
        .next()
        .unwrap_or(path)
}

/// The name a serialised enum value has, when `s` is one of `T`.
fn named<T: DeserializeOwned>(s: &str, name: impl Fn(T) -> String) -> Option<String> {
    serde_json::from_value::<T>(Value::String(s.to_string()))
        .ok()
        .map(name)
}

/// A value in words: `key` says what it is.
fn shown(kind: RecordKind, key: &str, v: &Value, lang: Lang) -> String {
    match v {
        Value::Null => "∅".to_string(),
        Value::Bool(b) => danvan_i18n::text(lang, if *b { "value-yes" } else { "value-no" }),
        Value::Number(n) => match (n.as_u64(), lang) {
            (Some(n), Lang::Vi) => danvan_core::number::format_count(n),
            (_, Lang::Vi) => n.to_string().replace('.', ","),
            _ => n.to_string(),
        },
        Value::String(s) => text_value(kind, key, s, lang),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::Object(_) => format!("({})", shown(kind, key, i, lang)),
                _ => shown(kind, key, i, lang),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(o) if key == "format" => {
            serde_json::from_value::<danvan_core::conference::Format>(v.clone()).map_or_else(
                |_| object(kind, o, lang),
                |f| {
                    let name = match lang {
                        Lang::Vi => f.name_vi(),
                        Lang::En => f.name_en(),
                    };
                    match o.get("connection_points").and_then(Value::as_u64) {
                        Some(n) => format!(
                            "{name}, {n} {}",
                            danvan_i18n::names::key(lang, "connection_points")
                        ),
                        None => name.to_string(),
                    }
                },
            )
        }
        Value::Object(o) => object(kind, o, lang),
    }
}

fn object(kind: RecordKind, o: &serde_json::Map<String, Value>, lang: Lang) -> String {
    o.iter()
        .map(|(k, v)| {
            format!(
                "{}: {}",
                danvan_i18n::names::key(lang, k),
                shown(kind, k, v, lang)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text in words: a choice, a state, a province, a day or a period by its name.
fn text_value(kind: RecordKind, key: &str, s: &str, lang: Lang) -> String {
    let en = lang == Lang::En;
    if let Some(f) = danvan_entry::field(kind, key).filter(|f| f.json == key) {
        match f.shape {
            Shape::Choice(list) if !en => {
                if let Some((_, names)) = list.iter().find(|(json, _)| *json == s)
                    && let Some(name) = names.first()
                {
                    return (*name).to_string();
                }
            }
            Shape::Province => return names::province(lang, s),
            Shape::Period => return names::period_code(lang, s),
            _ => {}
        }
    }
    let found = match key {
        "province" => Some(names::province(lang, s)),
        "period" | "due" => Some(names::period_code(lang, s)),
        "indicator" | "indicators" => Some(names::indicator(lang, s)),
        "state" => named(s, |t: danvan_core::cycle::SubmissionState| {
            if en { t.name_en() } else { t.name_vi() }.to_string()
        }),
        "action" if !en => named(s, |t: danvan_core::cycle::Action| t.name_vi().to_string()),
        "doc_type" => named(s, |t: danvan_core::docnum::DocumentType| {
            if en { t.name_en() } else { t.name_vi() }.to_string()
        }),
        "kind" => named(s, |t: danvan_core::directive::MilestoneKind| {
            if en { t.name_en() } else { t.name_vi() }.to_string()
        }),
        _ => None,
    };
    found
        .or_else(|| day_or_time(s))
        .unwrap_or_else(|| s.to_string())
}

/// `2025-06-22` as "22/6/2025"; `2025-06-22T01:04:29.19` (UTC) as Vietnam's "08:04 22/6/2025".
fn day_or_time(s: &str) -> Option<String> {
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(names::day(d));
    }
    let t = chrono::NaiveDateTime::parse_from_str(s.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f")
        .ok()?;
    let local = danvan_core::date::vietnam_time(t);
    Some(format!(
        "{} {}",
        local.format("%H:%M"),
        names::day(local.date())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(kind: RecordKind, field: &str, old: Option<Value>, new: Value, lang: Lang) -> String {
        line(kind, field, old.as_ref(), Some(&new), lang)
    }

    #[test]
    fn changes_read_in_words() {
        let c = RecordKind::Conference;
        assert_eq!(
            change(c, "province", None, json!("thai-nguyen"), Lang::Vi),
            "Tỉnh: ∅ → Thái Nguyên"
        );
        assert_eq!(
            change(
                c,
                "format",
                None,
                json!({"mode": "online", "connection_points": 13}),
                Lang::Vi
            ),
            "Hình thức: ∅ → trực tuyến, 13 điểm cầu"
        );
        let s = RecordKind::Submission;
        assert_eq!(
            change(s, "state", Some(json!("sent")), json!("returned"), Lang::Vi),
            "Trạng thái: đã gửi → bị trả lại"
        );
        assert_eq!(
            change(s, "period", None, json!("2025S1"), Lang::Vi),
            "Kỳ báo cáo: ∅ → 6 tháng đầu năm 2025"
        );
        let steps = change(
            s,
            "steps",
            None,
            json!([{"action": "send", "at": "2025-06-30T20:15:00", "by": "Lê Thị Hoa"}]),
            Lang::Vi,
        );
        assert!(
            steps.contains("03:15 01/7/2025") && !steps.contains("action"),
            "{steps}"
        );
    }
}
