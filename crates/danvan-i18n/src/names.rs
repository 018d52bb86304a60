//! What a person reads instead of a code, in a language: kinds of record, provinces,
//! indicators, periods, days, and why a writer may not write a record ("`tn-clerk` chỉ được ghi
//! bản ghi của Thái Nguyên; hội nghị … thuộc Hà Nội"). Codes stay in URLs, JSON and exports.

use chrono::NaiveDate;
use danvan_core::access::{Refusal, RefusalReason, Whose};
use danvan_core::period::Period;
use danvan_core::record_kind::RecordKind;

use crate::{Lang, text, tr};

/// A kind of record as a sentence names one: "hội nghị", "conference".
pub fn kind(lang: Lang, kind: RecordKind) -> String {
    text(lang, &format!("kind-{}", kind.as_str()))
}

/// A kind of record as a count names several: "hội nghị", "conferences".
pub fn kinds(lang: Lang, kind: RecordKind) -> String {
    text(lang, &format!("kinds-{}", kind.as_str()))
}

/// A province by its name ("Thái Nguyên"; "Ho Chi Minh City" in English), the slug itself
/// when the registry does not know it.
pub fn province(lang: Lang, slug: &str) -> String {
    danvan_core::province::registry()
        .all_with_slug(slug)
        .last()
        .map_or_else(
            || slug.to_string(),
            |p| match lang {
                Lang::Vi => p.name_vi().to_string(),
                Lang::En => p.name_en().to_string(),
            },
        )
}

/// A built-in indicator by its name; another (a store's own definition) by its code.
pub fn indicator(lang: Lang, id: &str) -> String {
    danvan_core::indicator::builtin(id).map_or_else(
        || id.to_string(),
        |d| match lang {
            Lang::Vi => d.name_vi.to_string(),
            Lang::En => d.name_en.to_string(),
        },
    )
}

/// A number as the language writes it, to the places it has: "1.272,5", "1,272.5".
pub fn number(lang: Lang, v: danvan_core::number::Decimal) -> String {
    match lang {
        Lang::Vi => v.to_vietnamese(v.scale()),
        Lang::En => v.to_english(v.scale()),
    }
}

/// A figure or a target as the reader writes numbers: a percentage for ratios and
/// percentages ("96,55%", two places where it has a fraction), else the number ("1.272").
pub fn figure(lang: Lang, value: danvan_core::number::Decimal, percent: bool) -> String {
    let places = if value == value.round(0) { 0 } else { 2 };
    let text = number(lang, value.round(places));
    if percent { format!("{text}%") } else { text }
}

/// A period in words: "6 tháng đầu năm 2025", "first half of 2025".
pub fn period(lang: Lang, p: &Period) -> String {
    match lang {
        Lang::Vi => p.to_vietnamese(),
        Lang::En => p.to_english(),
    }
}

/// A period written as a code (`2025S1`) in words; other text as it is.
pub fn period_code(lang: Lang, code: &str) -> String {
    Period::parse(code, None).map_or_else(|_| code.to_string(), |p| period(lang, &p))
}

/// A day as offices write it: "22/6/2025".
pub fn day(d: NaiveDate) -> String {
    danvan_core::date::to_vietnamese_short(d)
}

/// Why `actor` may not write a record: what it may write and what is out of reach.
pub fn refusal(lang: Lang, actor: &str, refusal: &Refusal) -> String {
    let allowed: Vec<String> = refusal.allowed.iter().map(|p| province(lang, p)).collect();
    tr!(
        lang,
        "store-forbidden",
        actor = actor,
        allowed = allowed.join(", "),
        why = refusal_why(lang, refusal)
    )
}

fn refusal_why(lang: Lang, refusal: &Refusal) -> String {
    let whose = |w: &Whose| match w {
        Whose::Central => text(lang, "whose-central"),
        Whose::Province {
            recorded,
            current: Some(c),
        } if recorded != c => tr!(
            lang,
            "whose-merged",
            recorded = province(lang, recorded),
            current = province(lang, c)
        ),
        Whose::Province { recorded, .. } => province(lang, recorded),
    };
    let record = format!("{} {}", kind(lang, refusal.kind), refusal.id);
    match &refusal.reason {
        RefusalReason::Record(w) => tr!(lang, "refusal-record", record = record, whose = whose(w)),
        RefusalReason::Reference(r) => tr!(
            lang,
            "refusal-reference",
            record = record,
            field = r.field.to_string(),
            target = format!("{} {}", kind(lang, r.kind), r.id),
            whose = whose(&r.whose)
        ),
        RefusalReason::Unit(unit) => {
            tr!(
                lang,
                "refusal-unit",
                record = record,
                unit = unit.to_string()
            )
        }
        RefusalReason::OwnReport(unit) => {
            tr!(
                lang,
                "refusal-own-report",
                record = record,
                unit = unit.to_string()
            )
        }
    }
}

/// A record's field by the label a person sees, its path in the record's JSON, `path`, read
/// part by part: the form's label for a record's own field ("Cấp đơn vị" for `unit.level`),
/// the catalogue's word (`field-<key>`) for the parts of a nested one, a position counted from
/// one: "Người chủ trì (1) › Họ tên" for `chairs[0].name`.
pub fn field(lang: Lang, kind: RecordKind, path: &str) -> String {
    let plain: String = path
        .split('[')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once(']').map_or("", |(_, rest)| rest)
            }
        })
        .collect();
    if lang == Lang::Vi
        && let Some(f) = danvan_entry::field(kind, &plain)
        && f.json == plain
        && !path.contains('[')
    {
        return f.vi.to_string();
    }
    path.split('.')
        .enumerate()
        .map(|(i, part)| {
            let (name, index) = match part.split_once('[') {
                Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (part, None),
            };
            let label = match danvan_entry::field(kind, name) {
                Some(f) if i == 0 && lang == Lang::Vi && f.json == name => f.vi.to_string(),
                _ => key(lang, name),
            };
            match index {
                Some(n) => format!("{label} ({})", n + 1),
                None => label,
            }
        })
        .collect::<Vec<_>>()
        .join(" › ")
}

/// A field's key by the catalogue's word for it (`field-<key>`), else as written, `_` as spaces.
pub fn key(lang: Lang, key: &str) -> String {
    let id = format!("field-{key}");
    if crate::has(&id) {
        crate::text(lang, &id)
    } else {
        key.replace('_', " ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_names_in_each_language() {
        assert_eq!(province(Lang::Vi, "thai-nguyen"), "Thái Nguyên");
        assert_eq!(province(Lang::En, "ho-chi-minh"), "Ho Chi Minh City");
        assert_eq!(province(Lang::Vi, "atlantis"), "atlantis");
        assert_eq!(period_code(Lang::Vi, "2025S1"), "6 tháng đầu năm 2025");
        assert_eq!(kind(Lang::Vi, RecordKind::Conference), "hội nghị");
        assert_eq!(kinds(Lang::En, RecordKind::Conference), "conferences");
        assert_eq!(indicator(Lang::Vi, "not_built_in"), "not_built_in");
    }

    #[test]
    fn fields_by_their_labels() {
        use danvan_core::record_kind::RecordKind;
        assert_eq!(
            super::field(Lang::Vi, RecordKind::Observation, "unit.level"),
            "Cấp đơn vị"
        );
        assert_eq!(
            super::field(Lang::Vi, RecordKind::Target, "value"),
            "Mục tiêu"
        );
        assert_eq!(
            super::field(Lang::En, RecordKind::Target, "set_by"),
            "set by"
        );
    }
}
