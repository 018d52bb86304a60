//! Proposals as people read them: each field by the label they know ("Ngày", "Chủ trì") and
//! each value in words — one table for every front end (the CLI's review, the web app).

use serde_json::Value as Json;

/// Each field's label, by its path without indexes: Vietnamese, English.
const LABELS: &[(&str, &str, &str)] = &[
    (
        "reviewed_directives",
        "Văn bản được sơ kết, tổng kết",
        "Directives reviewed",
    ),
    ("conference", "Hội nghị", "Conference"),
    ("related", "Văn bản được thực hiện", "Document carried out"),
    (
        "@figures",
        "Số liệu báo cáo tại hội nghị",
        "Figure reported at",
    ),
    ("title", "Tên", "Title"),
    ("kinds", "Loại", "Kind"),
    ("date", "Ngày", "Date"),
    ("end_date", "Ngày kết thúc", "Last day"),
    ("part_of_day", "Buổi", "Part of day"),
    ("hosts", "Đơn vị tổ chức", "Host"),
    ("province", "Tỉnh, thành phố", "Province"),
    ("reviewed_period", "Kỳ sơ kết, tổng kết", "Period reviewed"),
    ("format.mode", "Hình thức", "Format"),
    (
        "format.connection_points",
        "Số điểm cầu",
        "Connection points",
    ),
    ("location", "Địa điểm", "Place"),
    ("chairs.name", "Chủ trì", "Chair"),
    (
        "chairs.position",
        "Chức vụ người chủ trì",
        "Chair's position",
    ),
    ("attendees.name", "Người dự", "Attending"),
    (
        "attendees.position",
        "Chức vụ người dự",
        "Attendee's position",
    ),
    ("attendees.role", "Vai trò", "Role"),
    ("doc_type", "Loại văn bản", "Document type"),
    ("number", "Số, ký hiệu", "Number and symbol"),
    ("ordinal", "Số", "Number"),
    ("issued_on", "Ngày ban hành", "Issued on"),
    ("issuer", "Cơ quan ban hành", "Issued by"),
    ("term", "Khóa", "Term"),
    ("phase.start_year", "Giai đoạn từ năm", "Phase from"),
    ("phase.end_year", "Giai đoạn đến năm", "Phase to"),
    ("indicator", "Chỉ tiêu", "Indicator"),
    ("period", "Kỳ", "Period"),
    ("numerator", "Tử số", "Numerator"),
    ("denominator", "Mẫu số", "Denominator"),
    ("value", "Giá trị", "Value"),
    ("stated", "Tỷ lệ nêu trong văn bản", "Stated percentage"),
    ("unit.name", "Đơn vị báo cáo", "Reporting unit"),
    ("unit.level", "Cấp đơn vị", "Unit level"),
    ("form", "Hình thức khen thưởng", "Form of award"),
    ("awarded_by", "Cấp khen", "Awarded by"),
    ("recipients.collectives", "Số tập thể", "Collectives"),
    ("recipients.individuals", "Số cá nhân", "Individuals"),
    (
        "recipients.many",
        "Nhiều tập thể, cá nhân",
        "Many recipients",
    ),
    ("movement", "Phong trào", "Movement"),
    ("reason", "Lý do", "Reason"),
    ("name", "Tên", "Name"),
    ("owning_unit", "Đơn vị thực hiện", "Unit"),
    ("start_year", "Năm bắt đầu", "Start year"),
];

/// The label of field `path` (`chairs[0].name` → "Chủ trì" / "Chair"); the path itself for a
/// field the table does not name.
pub fn field_label(path: &str, vietnamese: bool) -> String {
    let plain = crate::field_name(path);
    LABELS
        .iter()
        .find(|(f, _, _)| *f == plain)
        .map_or(plain.clone(), |(_, vi, en)| {
            if vietnamese { vi } else { en }.to_string()
        })
}

/// A proposed value as a person reads it: a date as offices write it (14/03/2025), anything else
/// in words ([`value_words`]).
pub fn shown(v: &crate::Value, vietnamese: bool) -> String {
    match (&v.value, v.reading) {
        (Json::String(s), crate::Reading::Date) => s
            .parse::<chrono::NaiveDate>()
            .map_or_else(|_| s.clone(), |d| d.format("%d/%m/%Y").to_string()),
        (value, _) => value_words(&v.field, value, vietnamese),
    }
}

/// `s` cut to `n` characters, an ellipsis marking the cut: quotes shown beside values.
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!(
            "{}…",
            s.chars().take(n.saturating_sub(1)).collect::<String>()
        )
    }
}

/// A value in words, as people read it: vocabulary terms by their names ("hội nghị sơ kết 6
/// tháng", not `six_month_review`), provinces by name, periods and indicators in words.
pub fn value_words(field: &str, value: &Json, vietnamese: bool) -> String {
    // The language's one of two names.
    let pick = |vi: &str, en: &str| if vietnamese { vi } else { en }.to_string();
    let text = match value {
        Json::String(s) => s.clone(),
        Json::Bool(true) => return pick("có", "yes"),
        other => other.to_string(),
    };
    use danvan_core::{award, conference, date, docnum, indicator, period, province};
    let base = field.split('[').next().unwrap_or(field);
    let named = match base {
        "kinds" => {
            term::<conference::ConferenceKind>(value).map(|k| pick(k.name_vi(), k.name_en()))
        }
        "doc_type" => docnum::DocumentType::parse(&text)
            .ok()
            .map(|t| pick(t.name_vi(), t.name_en())),
        "province" => province::registry()
            .latest(&text)
            .map(|p| pick(p.name_vi(), p.name_en())),
        "period" | "reviewed_period" => period::Period::parse_id(&text)
            .ok()
            .map(|p| pick(&p.to_vietnamese(), &p.to_english())),
        "indicator" => {
            indicator::builtin(&text).map(|d| pick(d.name_vi.as_str(), d.name_en.as_str()))
        }
        "part_of_day" => term::<date::PartOfDay>(value).map(|p| pick(p.name_vi(), p.name_en())),
        "format.mode" => term::<conference::Format>(&serde_json::json!({"mode": value}))
            .map(|f| pick(f.name_vi(), f.name_en())),
        "form" => term::<award::AwardForm>(value).map(|f| pick(f.name_vi(), f.name_en())),
        "unit.level" => term::<indicator::UnitLevel>(value).map(|u| pick(u.name_vi(), u.name_en())),
        _ if field.ends_with(".role") => term::<conference::AttendeeRole>(value)
            .map(|r| pick(r.name_vi(), &text.replace('_', " "))),
        _ => None,
    };
    named.unwrap_or(text)
}

/// A vocabulary term from its JSON name.
fn term<T: serde::de::DeserializeOwned>(value: &Json) -> Option<T> {
    serde_json::from_value(value.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_and_words() {
        assert_eq!(field_label("chairs[0].name", true), "Chủ trì");
        assert_eq!(field_label("chairs[0].name", false), "Chair");
        assert_eq!(
            value_words("kinds[]", &json!("six_month_review"), true),
            "hội nghị sơ kết 6 tháng"
        );
        assert_eq!(value_words("province", &json!("lao-cai"), true), "Lào Cai");
        assert_eq!(
            value_words("period", &json!("2024S1"), true),
            "6 tháng đầu năm 2024"
        );
        assert_eq!(
            value_words("part_of_day", &json!("afternoon"), true),
            "chiều"
        );
        assert_eq!(value_words("title", &json!("Hội nghị"), true), "Hội nghị");
    }
}
