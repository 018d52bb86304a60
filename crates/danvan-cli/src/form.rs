//! Typed fields: what `danvan <kind> add` and `update` read from flags and `--set`, in the
//! forms offices write them.
//!
//! Each kind has a table of [`Field`]s: the JSON field it fills, its flag, its Vietnamese
//! label (which `--set` also takes: `--set "Kỳ sơ kết=2022"`), the shape of its value and an
//! example. A value is read by its field's shape, never by guessing JSON from its look: dates
//! as `22/6/2023`, `22-06-2023`, `ngày 22 tháng 6 năm 2023` or ISO; counts as `1.272` or
//! `1,272`; decimals as `98,66` or `98.66`; periods as `2024`, `2024S1` or `6 tháng đầu năm
//! 2024`; choices in English or Vietnamese (`sơ kết 6 tháng`, `hội thảo khoa học`); people as
//! `Tên, chức vụ`. Every problem is collected, each naming the flag, what was given and the
//! form expected with an example, so a command reports them all at once.

use chrono::NaiveDate;
use danvan_core::number::{Convention, Decimal};
use danvan_core::province::ProvinceRef;
use danvan_core::record_kind::RecordKind;
use danvan_core::text::search_key;
use serde_json::{Map, Value, json};

/// How a field's value is written and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Text as written.
    Text,
    /// A record ID.
    Id,
    /// A day.
    Date,
    /// A year.
    Year,
    /// A whole number (`1.272`).
    Count,
    /// A decimal (`98,66`).
    Decimal,
    /// A period (`2024S1`, `6 tháng đầu năm 2024`).
    Period,
    /// A province, by slug, name or code.
    Province,
    /// One of a fixed set of names.
    Choice(&'static [Choice]),
    /// `Tên, chức vụ` → `{"name", "position"}`.
    Person,
    /// `Tên, chức vụ` → an attendee `{"name", "position"}`.
    Attendee,
    /// `Bằng khen của Tỉnh ủy: 12 tập thể, 30 cá nhân` → a commendation.
    Commendation,
    /// A source's address (`https://…`).
    Url,
    /// A document type, in Vietnamese or English (`Kế hoạch`, `plan`).
    DocType,
}

/// One choice: its JSON name and the other ways it is written (folded when compared).
pub(crate) type Choice = (&'static str, &'static [&'static str]);

/// One field a flag or `--set` fills.
#[derive(Debug)]
pub(crate) struct Field {
    /// The JSON field (a dotted path reaches into an object: `recognition.date`).
    pub(crate) json: &'static str,
    /// The flag, without `--`.
    pub(crate) flag: &'static str,
    /// The Vietnamese label.
    pub(crate) vi: &'static str,
    pub(crate) shape: Shape,
    /// Whether the field holds a list (the flag repeats).
    pub(crate) list: bool,
    /// An example value.
    pub(crate) example: &'static str,
    /// What it is, for `--help`.
    pub(crate) help: &'static str,
}

const fn f(
    json: &'static str,
    flag: &'static str,
    vi: &'static str,
    shape: Shape,
    example: &'static str,
    help: &'static str,
) -> Field {
    Field {
        json,
        flag,
        vi,
        shape,
        list: false,
        example,
        help,
    }
}

const fn many(
    json: &'static str,
    flag: &'static str,
    vi: &'static str,
    shape: Shape,
    example: &'static str,
    help: &'static str,
) -> Field {
    let mut field = f(json, flag, vi, shape, example, help);
    field.list = true;
    field
}

const CONFERENCE_KINDS: &[Choice] = &[
    (
        "six_month_review",
        &[
            "sơ kết 6 tháng",
            "hội nghị sơ kết 6 tháng",
            "six-month review",
        ],
    ),
    (
        "annual_review",
        &["tổng kết năm", "hội nghị tổng kết năm", "annual review"],
    ),
    (
        "directive_review",
        &[
            "sơ kết, tổng kết văn bản",
            "sơ kết văn bản",
            "tổng kết văn bản",
            "directive review",
        ],
    ),
    ("thematic", &["chuyên đề", "hội nghị chuyên đề"]),
    (
        "workshop",
        &["hội thảo", "hội thảo khoa học", "scientific workshop"],
    ),
    ("dialogue", &["đối thoại", "hội nghị đối thoại"]),
    ("training", &["tập huấn", "lớp tập huấn", "bồi dưỡng"]),
];

const MODEL_FIELDS: &[Choice] = &[
    ("economy", &["kinh tế", "phát triển kinh tế"]),
    (
        "culture_society",
        &["văn hóa – xã hội", "văn hóa xã hội", "văn hóa", "xã hội"],
    ),
    (
        "defence_security",
        &[
            "quốc phòng – an ninh",
            "quốc phòng an ninh",
            "an ninh",
            "quốc phòng",
        ],
    ),
    (
        "political_system",
        &["xây dựng hệ thống chính trị", "hệ thống chính trị"],
    ),
    ("other", &["lĩnh vực khác", "khác"]),
];

const MODEL_STATUS: &[Choice] = &[
    ("registered", &["đăng ký", "đã đăng ký", "đăng ký xây dựng"]),
    (
        "effective",
        &["hiệu quả", "hoạt động hiệu quả", "được công nhận"],
    ),
    ("discontinued", &["ngừng", "không duy trì", "dừng"]),
];

const MODEL_KINDS: &[Choice] = &[
    ("collective", &["tập thể"]),
    ("individual", &["cá nhân", "điển hình"]),
];

const MEASURES: &[Choice] = &[
    ("count", &["số lượng", "đếm"]),
    ("ratio", &["tỷ lệ", "tỉ lệ", "tử số/mẫu số"]),
    ("percent", &["phần trăm", "%"]),
    ("score", &["điểm", "chỉ số"]),
];

const DIRECTIONS: &[Choice] = &[
    ("higher_is_better", &["càng cao càng tốt", "tăng là tốt"]),
    ("lower_is_better", &["càng thấp càng tốt", "giảm là tốt"]),
    ("neutral", &["trung tính", "không xác định"]),
];

const DIRECTIVE_STATUS: &[Choice] = &[
    ("active", &["còn hiệu lực", "đang thực hiện"]),
    ("completed", &["đã hoàn thành", "hoàn thành", "đã tổng kết"]),
    (
        "superseded",
        &["đã thay thế", "bị thay thế", "hết hiệu lực"],
    ),
];

const CONFERENCE: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "tn-2024-so-ket-6-thang",
        "The new record's ID",
    ),
    f(
        "title",
        "title",
        "Tên hội nghị",
        Shape::Text,
        "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024",
        "The title as announced",
    ),
    many(
        "kinds",
        "kind",
        "Loại hội nghị",
        Shape::Choice(CONFERENCE_KINDS),
        "sơ kết 6 tháng",
        "What it was (repeat for several)",
    ),
    f(
        "date",
        "date",
        "Ngày",
        Shape::Date,
        "22/6/2023",
        "The day it was held",
    ),
    f(
        "end_date",
        "end-date",
        "Ngày kết thúc",
        Shape::Date,
        "23/6/2023",
        "The last day, for several days",
    ),
    f(
        "province",
        "province",
        "Tỉnh",
        Shape::Province,
        "Thái Nguyên",
        "The province (none for a central one)",
    ),
    many(
        "hosts",
        "host",
        "Đơn vị chủ trì",
        Shape::Text,
        "Ban Dân vận Tỉnh ủy",
        "A host body (repeat for joint hosts)",
    ),
    many(
        "chairs",
        "chair",
        "Chủ trì",
        Shape::Person,
        "Hà Thị Bích Hạnh, Trưởng Ban Dân vận Tỉnh ủy",
        "Who chaired: \"Tên, chức vụ\" (repeat)",
    ),
    many(
        "attendees",
        "attendee",
        "Thành phần dự",
        Shape::Attendee,
        "Nguyễn Văn A, Phó Chủ tịch UBND tỉnh",
        "Who attended: \"Tên, chức vụ\" (repeat)",
    ),
    many(
        "participating_units",
        "unit",
        "Thành phần",
        Shape::Text,
        "Ủy ban Mặt trận Tổ quốc tỉnh",
        "A participating unit (repeat)",
    ),
    f(
        "emulation_cluster",
        "cluster",
        "Cụm thi đua",
        Shape::Text,
        "Cụm thi đua số 3",
        "The emulation cluster, for a cluster's conference",
    ),
    f(
        "location",
        "location",
        "Địa điểm",
        Shape::Text,
        "Hội trường Tỉnh ủy",
        "Where it was held",
    ),
    f(
        "reviewed_period",
        "reviewed-period",
        "Kỳ sơ kết",
        Shape::Period,
        "6 tháng đầu năm 2024",
        "The period it reviewed",
    ),
    many(
        "reviewed_directives",
        "reviews",
        "Văn bản được sơ kết",
        Shape::Id,
        "tn-05-da-2021",
        "A directive it reviewed, by ID (repeat)",
    ),
    many(
        "results",
        "result",
        "Kết quả",
        Shape::Text,
        "Giải quyết 1.272/1.337 đơn thư",
        "A result reported (repeat)",
    ),
    many(
        "shortcomings",
        "shortcoming",
        "Hạn chế",
        Shape::Text,
        "Một số nơi còn hình thức",
        "A shortcoming pointed out (repeat)",
    ),
    many(
        "conclusions",
        "conclusion",
        "Kết luận",
        Shape::Text,
        "Tiếp tục đổi mới phương thức",
        "A conclusion (repeat)",
    ),
    many(
        "tasks",
        "task",
        "Nhiệm vụ",
        Shape::Text,
        "Sơ kết Đề án 05 trong quý III",
        "A task for the next period (repeat)",
    ),
    many(
        "commendations",
        "commendation",
        "Khen thưởng",
        Shape::Commendation,
        "Bằng khen của Tỉnh ủy: 12 tập thể, 30 cá nhân",
        "An award: \"award: N tập thể, M cá nhân\" (repeat)",
    ),
    many(
        "sources",
        "source",
        "Nguồn",
        Shape::Url,
        "https://thainguyen.dcs.vn/…",
        "Where the facts come from, by address (repeat)",
    ),
    f(
        "note",
        "note",
        "Ghi chú",
        Shape::Text,
        "Tổ chức cùng Ban Tuyên giáo",
        "A remark that fits no other field",
    ),
];

const DIRECTIVE: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "tn-31-kh-2023",
        "The new record's ID",
    ),
    f(
        "title",
        "title",
        "Trích yếu",
        Shape::Text,
        "Về thực hiện phong trào thi đua \"Dân vận khéo\"",
        "The title (trích yếu)",
    ),
    f(
        "doc_type",
        "type",
        "Loại văn bản",
        Shape::DocType,
        "Kế hoạch",
        "The document type, in Vietnamese or English",
    ),
    f(
        "issuer",
        "issuer",
        "Cơ quan ban hành",
        Shape::Text,
        "Ban Thường vụ Tỉnh ủy",
        "Who issued it",
    ),
    f(
        "term",
        "term",
        "Nhiệm kỳ",
        Shape::Text,
        "khóa XX",
        "The issuer's term",
    ),
    f(
        "issued_on",
        "date",
        "Ngày ban hành",
        Shape::Date,
        "15/3/2023",
        "The issue date",
    ),
    f(
        "province",
        "province",
        "Tỉnh",
        Shape::Province,
        "Thái Nguyên",
        "The province (none for a central one)",
    ),
    f(
        "status",
        "status",
        "Trạng thái",
        Shape::Choice(DIRECTIVE_STATUS),
        "còn hiệu lực",
        "active, completed or superseded",
    ),
    f(
        "superseded_by",
        "superseded-by",
        "Thay thế bởi",
        Shape::Id,
        "tn-45-kh-2025",
        "The directive that replaced it",
    ),
    f("note", "note", "Ghi chú", Shape::Text, "", "A remark"),
];

const MODEL: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "tn-2024-thon-na-mao",
        "The new record's ID",
    ),
    f(
        "name",
        "name",
        "Tên mô hình",
        Shape::Text,
        "Dân vận khéo trong xây dựng nông thôn mới",
        "The model's name",
    ),
    f(
        "province",
        "province",
        "Tỉnh",
        Shape::Province,
        "Thái Nguyên",
        "The province",
    ),
    f(
        "owning_unit",
        "unit",
        "Đơn vị xây dựng",
        Shape::Text,
        "Hội Nông dân xã Phúc Xuân",
        "Who runs it",
    ),
    f(
        "field",
        "field",
        "Lĩnh vực",
        Shape::Choice(MODEL_FIELDS),
        "kinh tế",
        "Its field",
    ),
    f(
        "kind",
        "type",
        "Loại",
        Shape::Choice(MODEL_KINDS),
        "tập thể",
        "A collective's model or an individual exemplar",
    ),
    f(
        "start_year",
        "year",
        "Năm bắt đầu",
        Shape::Year,
        "2024",
        "The year it started",
    ),
    f(
        "status",
        "status",
        "Trạng thái",
        Shape::Choice(MODEL_STATUS),
        "hiệu quả",
        "registered, effective or discontinued",
    ),
    f(
        "recognition.date",
        "recognised-on",
        "Ngày công nhận",
        Shape::Date,
        "19/5/2021",
        "When it was recognised",
    ),
    f(
        "recognition.decision",
        "decision",
        "Quyết định công nhận",
        Shape::Text,
        "1234-QĐ/TU",
        "The recognising decision's number",
    ),
    f(
        "recognition.level",
        "level",
        "Cấp công nhận",
        Shape::Text,
        "cấp tỉnh",
        "The level that recognised it",
    ),
    f(
        "recognition.by",
        "recognised-by",
        "Cơ quan công nhận",
        Shape::Text,
        "Ban Thường vụ Tỉnh ủy",
        "Who recognised it",
    ),
    f(
        "description",
        "description",
        "Mô tả",
        Shape::Text,
        "",
        "What it does",
    ),
];

const INDICATOR: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "hop_thu_gop_y",
        "The new indicator's code",
    ),
    f(
        "name_vi",
        "name",
        "Tên chỉ tiêu",
        Shape::Text,
        "Hộp thư góp ý được lắp đặt",
        "The Vietnamese name",
    ),
    f(
        "name_en",
        "name-en",
        "Tên tiếng Anh",
        Shape::Text,
        "Suggestion boxes installed",
        "The English name",
    ),
    f(
        "unit",
        "unit",
        "Đơn vị tính",
        Shape::Text,
        "hộp",
        "The unit of measure",
    ),
    f(
        "measure",
        "measure",
        "Loại số đo",
        Shape::Choice(MEASURES),
        "tỷ lệ",
        "count, ratio, percent or score",
    ),
    f(
        "direction",
        "direction",
        "Chiều",
        Shape::Choice(DIRECTIONS),
        "càng cao càng tốt",
        "Which way is better",
    ),
    f(
        "baseline",
        "baseline",
        "Giá trị nền",
        Shape::Decimal,
        "60",
        "The baseline",
    ),
    f(
        "target",
        "target",
        "Mục tiêu",
        Shape::Decimal,
        "80",
        "The target",
    ),
    f(
        "description",
        "description",
        "Mô tả",
        Shape::Text,
        "",
        "What it counts",
    ),
];

const OBSERVATION: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "tn-2024s1-complaints",
        "The new record's ID",
    ),
    f(
        "indicator",
        "indicator",
        "Chỉ tiêu",
        Shape::Id,
        "complaints_resolved",
        "The indicator, by code",
    ),
    f(
        "province",
        "province",
        "Tỉnh",
        Shape::Province,
        "Thái Nguyên",
        "The province (none for a national figure)",
    ),
    f(
        "unit.name",
        "unit",
        "Đơn vị báo cáo",
        Shape::Text,
        "Huyện Phú Lương",
        "A reporting unit below the province",
    ),
    f(
        "period",
        "period",
        "Kỳ báo cáo",
        Shape::Period,
        "6 tháng đầu năm 2024",
        "The period the figure is for",
    ),
    f(
        "numerator",
        "numerator",
        "Tử số",
        Shape::Count,
        "1.272",
        "The count (or a ratio's numerator)",
    ),
    f(
        "denominator",
        "denominator",
        "Mẫu số",
        Shape::Count,
        "1.337",
        "A ratio's denominator",
    ),
    f(
        "value",
        "value",
        "Giá trị",
        Shape::Decimal,
        "98,66",
        "A percentage or score",
    ),
    f(
        "stated",
        "stated",
        "Tỷ lệ công bố",
        Shape::Text,
        "đạt trên 95%",
        "The percentage as the source words it",
    ),
    f(
        "target",
        "target",
        "Mục tiêu",
        Shape::Decimal,
        "95",
        "The target for the period",
    ),
    f("note", "note", "Ghi chú", Shape::Text, "", "A remark"),
];

/// The fields of `kind`.
pub(crate) fn fields(kind: RecordKind) -> &'static [Field] {
    match kind {
        RecordKind::Conference => CONFERENCE,
        RecordKind::Directive => DIRECTIVE,
        RecordKind::Model => MODEL,
        RecordKind::Indicator => INDICATOR,
        RecordKind::Observation => OBSERVATION,
    }
}

/// The field `name` names in `kind`: its JSON name, flag or Vietnamese label (folded).
pub(crate) fn field(kind: RecordKind, name: &str) -> Option<&'static Field> {
    let key = search_key(name.trim());
    fields(kind)
        .iter()
        .find(|f| search_key(f.json) == key || search_key(f.flag) == key || search_key(f.vi) == key)
}

/// One problem with what was given: the flag (or `--set` field), the value, and what was
/// expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) flag: String,
    pub(crate) given: String,
    pub(crate) message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.given.is_empty() && self.message.starts_with("is required") {
            write!(f, "{}: {}", self.flag, self.message)
        } else {
            write!(f, "{}: {:?} {}", self.flag, self.given, self.message)
        }
    }
}

/// Reads a date in the forms offices write.
pub(crate) fn date(text: &str) -> Result<NaiveDate, String> {
    let expected = "is not a date; write it as 22/6/2023, 22-06-2023, \"ngày 22 tháng 6 năm 2023\" or 2023-06-22";
    if let Some(d) = written_date(text) {
        return d.ok_or_else(|| expected.to_string());
    }
    danvan_core::date::parse(text, None).map_err(|_| expected.to_string())
}

/// [`date`] as a flag's value parser.
pub(crate) fn date_arg(text: &str) -> Result<NaiveDate, String> {
    date(text).map_err(|m| format!("{text:?} {m}"))
}

/// A conference kind in English or Vietnamese, as a flag's value parser.
pub(crate) fn conference_kind_arg(
    text: &str,
) -> Result<danvan_core::conference::ConferenceKind, String> {
    use danvan_core::vocabulary::Vocabulary as _;
    let name = choose(CONFERENCE_KINDS, text).map_err(|m| format!("{text:?} {m}"))?;
    danvan_core::conference::ConferenceKind::from_name(name).map_err(|e| e.to_string())
}

/// A model's field in English or Vietnamese, as a flag's value parser.
pub(crate) fn model_field_arg(text: &str) -> Result<danvan_core::model::ModelField, String> {
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
pub(crate) fn count(text: &str) -> Result<u64, String> {
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
pub(crate) fn parse(shape: Shape, text: &str) -> Result<Value, String> {
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
    })
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
fn choose(choices: &[Choice], text: &str) -> Result<&'static str, String> {
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
pub(crate) fn put(object: &mut Value, path: &str, value: Value, append: bool) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_offices_write_them() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        for text in [
            "22/6/2023",
            "22-06-2023",
            "ngày 22 tháng 6 năm 2023",
            "2023-06-22",
            "Ngày 22 tháng 06 năm 2023",
        ] {
            assert_eq!(date(text), Ok(d(2023, 6, 22)), "{text}");
        }
        assert!(date("ngày 31 tháng 2 năm 2024").is_err());
        assert!(date("hôm qua").is_err());
    }

    #[test]
    fn numbers_and_choices() {
        assert_eq!(count("1.272"), Ok(1272));
        assert_eq!(count("1,272"), Ok(1272));
        assert_eq!(count("1272"), Ok(1272));
        assert!(count("12,5").is_err());
        assert!(count("mười").is_err());
        assert_eq!(parse(Shape::Decimal, "98,66%").unwrap(), json!(98.66));
        assert_eq!(
            choose(CONFERENCE_KINDS, "sơ kết 6 tháng"),
            Ok("six_month_review")
        );
        assert_eq!(
            choose(CONFERENCE_KINDS, "Hội thảo khoa học"),
            Ok("workshop")
        );
        assert_eq!(
            choose(CONFERENCE_KINDS, "six-month review"),
            Ok("six_month_review")
        );
        assert_eq!(choose(CONFERENCE_KINDS, "workshop"), Ok("workshop"));
        assert_eq!(
            choose(MODEL_FIELDS, "văn hóa - xã hội"),
            Ok("culture_society")
        );
        assert!(choose(CONFERENCE_KINDS, "hội nghị").is_err(), "ambiguous");
        assert_eq!(
            parse(
                Shape::Person,
                "Hà Thị Bích Hạnh, Trưởng Ban Dân vận Tỉnh ủy"
            )
            .unwrap(),
            json!({"name": "Hà Thị Bích Hạnh", "position": "Trưởng Ban Dân vận Tỉnh ủy"})
        );
        assert_eq!(
            parse(
                Shape::Commendation,
                "Bằng khen của Tỉnh ủy: 12 tập thể, 30 cá nhân"
            )
            .unwrap(),
            json!({"award": "Bằng khen của Tỉnh ủy", "collectives": 12, "individuals": 30})
        );
        assert_eq!(
            parse(Shape::Province, "Thái Nguyên").unwrap(),
            json!("thai-nguyen")
        );
        assert!(parse(Shape::Province, "Atlantis").is_err());
    }

    #[test]
    fn untyped_fields_are_read_by_their_schema_type() {
        assert_eq!(
            by_schema_type(RecordKind::Conference, "format.connection_points", "12"),
            Ok(json!(12))
        );
        assert_eq!(
            by_schema_type(RecordKind::Conference, "discussion", "Ý kiến A; Ý kiến B"),
            Ok(json!(["Ý kiến A", "Ý kiến B"]))
        );
        assert_eq!(
            by_schema_type(RecordKind::Directive, "phase.start_year", "2021"),
            Ok(json!(2021))
        );
        assert_eq!(
            by_schema_type(RecordKind::Conference, "date_precision", "month"),
            Ok(json!("month"))
        );
        assert!(
            by_schema_type(RecordKind::Conference, "format.connection_points", "mười").is_err()
        );
    }

    #[test]
    fn every_field_is_found_by_each_of_its_names() {
        for kind in RecordKind::ALL {
            for fl in fields(kind) {
                for name in [fl.json, fl.flag, fl.vi] {
                    assert!(
                        std::ptr::eq(field(kind, name).unwrap(), fl),
                        "{kind} {name}"
                    );
                }
            }
        }
    }
}

/// A record kind whose typed flags `Form` offers.
pub(crate) trait KindForm: std::fmt::Debug + Clone + Send + Sync + 'static {
    /// The kind.
    const KIND: RecordKind;
}

macro_rules! kinds {
    ($($name:ident => $kind:ident),*) => {$(
        /// Marker for the typed flags of one kind.
        #[derive(Debug, Clone)]
        pub(crate) struct $name;
        impl KindForm for $name {
            const KIND: RecordKind = RecordKind::$kind;
        }
    )*};
}
kinds!(ConferenceForm => Conference, DirectiveForm => Directive, ModelForm => Model,
    IndicatorForm => Indicator, ObservationForm => Observation);

/// What `add` and `update` were given: typed flags, `--from`, `--set`, `--add`, `--remove`.
#[derive(Debug, Clone)]
pub(crate) struct Form<K> {
    /// Each typed flag given, with its values in order.
    pub(crate) values: Vec<(&'static Field, Vec<String>)>,
    /// Flags that fill several fields: (flag, value).
    pub(crate) special: Vec<(&'static str, String)>,
    pub(crate) from: Option<std::path::PathBuf>,
    pub(crate) sets: Vec<String>,
    pub(crate) adds: Vec<String>,
    pub(crate) removes: Vec<String>,
    kind: std::marker::PhantomData<K>,
}

/// Flags beyond the field table: `(kind, flag, value name, help, takes a value)`.
const SPECIAL: &[(RecordKind, &str, &str, &str, bool)] = &[
    (
        RecordKind::Conference,
        "online",
        "POINTS",
        "Held online, with this many connection points (0 if not known)",
        true,
    ),
    (
        RecordKind::Conference,
        "hybrid",
        "POINTS",
        "Held in person and online, with this many connection points",
        true,
    ),
    (
        RecordKind::Conference,
        "in-person",
        "",
        "Held in person only",
        false,
    ),
    (
        RecordKind::Directive,
        "number",
        "CITATION",
        "The document as cited: \"Kế hoạch số 31-KH/BDVTU ngày 15/3/2023\" (fills number, type, date and issuer)",
        true,
    ),
    (
        RecordKind::Directive,
        "phase",
        "TEXT",
        "Its phase: \"giai đoạn 2021 - 2025, định hướng đến năm 2030\"",
        true,
    ),
    (
        RecordKind::Directive,
        "review",
        "TEXT",
        "A review milestone: \"sơ kết 3 năm: 2024\" (repeat)",
        true,
    ),
    (
        RecordKind::Observation,
        "figure",
        "FIGURE",
        "The figure: 1.272/1.337 (numerator/denominator), 98,66% or 2.481",
        true,
    ),
];

impl<K: KindForm> Form<K> {
    /// Whether anything at all was given.
    pub(crate) fn is_empty(&self) -> bool {
        self.values.is_empty()
            && self.special.is_empty()
            && self.from.is_none()
            && self.sets.is_empty()
            && self.adds.is_empty()
            && self.removes.is_empty()
    }
}

impl<K: KindForm> clap::FromArgMatches for Form<K> {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let strings = |id: &str| -> Vec<String> {
            m.try_get_many::<String>(id)
                .ok()
                .flatten()
                .map(|v| v.cloned().collect())
                .unwrap_or_default()
        };
        let mut values = Vec::new();
        for field in fields(K::KIND) {
            let given = strings(field.flag);
            if !given.is_empty() {
                values.push((field, given));
            }
        }
        let mut special = Vec::new();
        for (kind, flag, _, _, takes) in SPECIAL {
            if *kind != K::KIND {
                continue;
            }
            if *takes {
                special.extend(strings(flag).into_iter().map(|v| (*flag, v)));
            } else if m.try_get_one::<bool>(flag).ok().flatten() == Some(&true) {
                special.push((*flag, String::new()));
            }
        }
        Ok(Form {
            values,
            special,
            from: m
                .try_get_one::<std::path::PathBuf>("from")
                .ok()
                .flatten()
                .cloned(),
            sets: strings("set"),
            adds: strings("add"),
            removes: strings("remove"),
            kind: std::marker::PhantomData,
        })
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl<K: KindForm> clap::Args for Form<K> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        augment::<K>(cmd, true)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        augment::<K>(cmd, true)
    }
}

/// The flags of `update`: those of `add` but `--id` (the record is named by its positional
/// ID, which cannot change).
#[derive(Debug, Clone)]
pub(crate) struct Changes<K>(pub(crate) Form<K>);

impl<K: KindForm> clap::FromArgMatches for Changes<K> {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        Form::from_arg_matches(m).map(Changes)
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(m)
    }
}

impl<K: KindForm> clap::Args for Changes<K> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        augment::<K>(cmd, false)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        augment::<K>(cmd, false)
    }
}

/// The typed flags of `K`, with `--id` when `with_id`.
fn augment<K: KindForm>(cmd: clap::Command, with_id: bool) -> clap::Command {
    use clap::{Arg, ArgAction};
    let mut cmd = cmd
            .arg(
                Arg::new("from")
                    .long("from")
                    .value_name("FILE")
                    .value_parser(clap::value_parser!(std::path::PathBuf))
                    .help("A JSON file holding the record (- for standard input); flags apply after it"),
            )
            .next_help_heading("Fields (Vietnamese accepted: dates 22/6/2023, numbers 1.272, periods \"6 tháng đầu năm 2024\")");
    for field in fields(K::KIND).iter().filter(|f| with_id || f.json != "id") {
        let help = if field.example.is_empty() {
            field.help.to_string()
        } else {
            format!("{}, e.g. {:?}", field.help, field.example)
        };
        let mut arg = Arg::new(field.flag)
            .long(field.flag)
            .value_name(field.vi.to_uppercase().replace(' ', "_"))
            .help(help);
        arg = if field.list {
            arg.action(ArgAction::Append)
        } else {
            arg.action(ArgAction::Set)
        };
        cmd = cmd.arg(arg);
    }
    for (kind, flag, value, help, takes) in SPECIAL {
        if *kind != K::KIND {
            continue;
        }
        let arg = Arg::new(*flag).long(*flag).help(*help);
        cmd = cmd.arg(if *takes {
            let arg = arg.value_name(*value);
            if *flag == "review" {
                arg.action(ArgAction::Append)
            } else {
                arg.action(ArgAction::Set)
            }
        } else {
            arg.action(ArgAction::SetTrue)
        });
    }
    cmd.next_help_heading("Any field")
            .arg(
                Arg::new("set")
                    .long("set")
                    .value_name("FIELD=VALUE")
                    .action(ArgAction::Append)
                    .help("Set a field by its name or Vietnamese label, read by the field's type: --set reviewed_period=2022, --set \"Kỳ sơ kết=6 tháng đầu năm 2024\""),
            )
            .arg(
                Arg::new("add")
                    .long("add")
                    .value_name("FIELD=VALUE")
                    .action(ArgAction::Append)
                    .help("Add one item to a list field: --add \"chairs=Nguyễn Văn A, Bí thư Huyện ủy\""),
            )
            .arg(
                Arg::new("remove")
                    .long("remove")
                    .value_name("FIELD=VALUE")
                    .action(ArgAction::Append)
                    .help("Remove the items of a list field that match: --remove \"chairs=Nguyễn Văn A\""),
            )
}

impl<K: KindForm> Form<K> {
    /// Writes what was given into `record` (a record's JSON), in order: typed flags (a list
    /// flag replaces the list), the flags that fill several fields, `--set`, `--add`,
    /// `--remove`. Every problem is returned; `record` is then not to be used.
    pub(crate) fn apply(&self, record: &mut Value) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (field, given) in &self.values {
            let flag = format!("--{}", field.flag);
            let mut items = Vec::new();
            for text in given {
                match parse(field.shape, text) {
                    Ok(v) => items.push(v),
                    Err(message) => problems.push(Problem {
                        flag: flag.clone(),
                        given: text.clone(),
                        message: format!("{message} (e.g. --{} {:?})", field.flag, field.example),
                    }),
                }
            }
            if field.list {
                put(record, field.json, Value::Array(items), false);
            } else if let Some(v) = items.pop() {
                put(record, field.json, v, false);
            }
        }
        for (flag, text) in &self.special {
            if let Err(message) = special(K::KIND, flag, text, record) {
                problems.push(Problem {
                    flag: format!("--{flag}"),
                    given: text.clone(),
                    message,
                });
            }
        }
        for (option, assignments) in [
            ("--set", &self.sets),
            ("--add", &self.adds),
            ("--remove", &self.removes),
        ] {
            for assignment in assignments {
                if let Err(p) = assign(K::KIND, option, assignment, record) {
                    problems.push(p);
                }
            }
        }
        problems
    }
}

/// One `--set`, `--add` or `--remove`.
fn assign(
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
fn by_schema_type(kind: RecordKind, path: &str, text: &str) -> Result<Value, String> {
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

/// The JSON Schema of `kind`'s records (null if core has none).
fn record_schema(kind: RecordKind) -> Value {
    let file = format!("{kind}.schema.json");
    danvan_core::schema::all()
        .into_iter()
        .find(|(f, _)| *f == file)
        .and_then(|(_, schema)| serde_json::from_str(&schema).ok())
        .unwrap_or(Value::Null)
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

/// A flag that fills several fields.
fn special(kind: RecordKind, flag: &str, text: &str, record: &mut Value) -> Result<(), String> {
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
pub(crate) fn citation_into(text: &str, record: &mut Value) -> Result<(), String> {
    let c = danvan_core::citation::Citation::parse(text).map_err(|e| {
        format!("is not a document citation ({e}); write it as \"Kế hoạch số 31-KH/BDVTU ngày 15/3/2023\"")
    })?;
    let Some(number) = &c.number else {
        return Err(
            "names no document number; write it as \"Kế hoạch số 31-KH/BDVTU ngày 15/3/2023\""
                .into(),
        );
    };
    let map = record.as_object_mut().ok_or("is not for this record")?;
    map.insert(
        "number".into(),
        serde_json::to_value(number).unwrap_or(Value::Null),
    );
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
pub(crate) fn figure_into(text: &str, record: &mut Value) -> Result<(), String> {
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

/// "a conference", "an indicator", "an observation".
pub(crate) fn a(kind: RecordKind) -> String {
    match kind.as_str().chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {kind}"),
        _ => format!("a {kind}"),
    }
}

/// A record's deserialisation error in a person's words: the field it is about (a missing
/// field named in full) and what is wrong, with no serde or Rust wording.
pub(crate) fn plain_error(path: &str, message: &str) -> (String, String) {
    let path = if path == "." { "" } else { path };
    let ticked = |m: &str| -> Vec<String> {
        m.split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s.to_string())
            .collect()
    };
    let join = |field: &str| -> String {
        match path {
            "" => field.to_string(),
            p => format!("{p}.{field}"),
        }
    };
    // serde_json adds " at line L column C" to messages about a document; a record built
    // here has no lines.
    let message = message.split(" at line ").next().unwrap_or(message);
    fn type_name(t: &str) -> &str {
        match t {
            "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" => {
                "a whole number"
            }
            "f64" | "f32" => "a number",
            t if t.contains("string") => "text",
            t if t.contains("sequence") => "a list",
            t if t.contains("map") || t.contains("struct") => "an object",
            t if t.contains("tagged enum Format") => {
                "a format: {\"mode\": \"in_person\"}, {\"mode\": \"online\", \"connection_points\": 13} or \"hybrid\" (or the flags --in-person, --online N, --hybrid N)"
            }
            t => t,
        }
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = rest.trim_matches('`');
        return (join(name), "is required and missing".into());
    }
    if message.starts_with("unknown variant ") {
        let names = ticked(message);
        let (given, expected) = names
            .split_first()
            .map_or((String::new(), Vec::new()), |(g, e)| {
                (g.clone(), e.to_vec())
            });
        return (
            path.into(),
            format!("{given:?} is not one of: {}", expected.join(", ")),
        );
    }
    if message.starts_with("unknown field ") {
        let names = ticked(message);
        let (given, expected) = names
            .split_first()
            .map_or((String::new(), Vec::new()), |(g, e)| {
                (g.clone(), e.to_vec())
            });
        return (
            join(&given),
            format!(
                "is not a field here; the fields are {}",
                expected.join(", ")
            ),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        let found = found.replace('`', "");
        return (
            path.into(),
            format!("should be {}, not {found}", type_name(expected)),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return (
            path.into(),
            format!("{} is not {expected}", found.replace('`', "")),
        );
    }
    if let Some(expected) = message.strip_prefix("expected ") {
        return (path.into(), format!("should be {}", type_name(expected)));
    }
    (path.into(), message.replace('`', "\""))
}

#[cfg(test)]
mod plain_tests {
    use super::*;

    #[test]
    fn no_serde_words() {
        assert_eq!(
            plain_error(
                "kinds[0]",
                "unknown variant `farming`, expected one of `economy`, `other`"
            ),
            (
                "kinds[0]".into(),
                "\"farming\" is not one of: economy, other".into()
            )
        );
        assert_eq!(
            plain_error("", "missing field `title`"),
            ("title".into(), "is required and missing".into())
        );
        assert_eq!(
            plain_error("chairs[0]", "missing field `name`"),
            ("chairs[0].name".into(), "is required and missing".into())
        );
        assert_eq!(
            plain_error(
                "start_year",
                "invalid type: string \"năm ngoái\", expected i32"
            ),
            (
                "start_year".into(),
                "should be a whole number, not string \"năm ngoái\"".into()
            )
        );
        assert_eq!(
            plain_error("format", "expected internally tagged enum Format"),
            ("format".into(), "should be a format: {\"mode\": \"in_person\"}, {\"mode\": \"online\", \"connection_points\": 13} or \"hybrid\" (or the flags --in-person, --online N, --hybrid N)".into())
        );
        assert_eq!(a(RecordKind::Observation), "an observation");
        assert_eq!(a(RecordKind::Model), "a model");
    }
}

/// The fields `kind` requires that `record` lacks, each as a problem naming the flag that
/// sets it: all of them at once, before the record is read (which would stop at the first).
pub(crate) fn missing_required(kind: RecordKind, record: &Value) -> Vec<Problem> {
    let schema = record_schema(kind);
    let required = schema["required"].as_array().cloned().unwrap_or_default();
    required
        .iter()
        .filter_map(Value::as_str)
        .filter(|name| record.get(*name).is_none_or(Value::is_null))
        .map(|name| {
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
