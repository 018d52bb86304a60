//! What people type, read as offices write it: the typed fields of every record kind and the
//! readers of their values, and the spreadsheets offices keep them in ([`sheet`]: CSV;
//! [`workbook`]: XLSX, XLS, ODS) — shared by the `danvan` CLI (flags, `--set`, imports and
//! exports, guided entry) and the web app (forms, uploads).
//!
//! Each kind has a table of [`Field`]s: the JSON field it fills, its flag, its Vietnamese
//! label (which `--set` also takes: `--set "Kỳ sơ kết=2022"`), the shape of its value and an
//! example. A value is read by its field's shape, never by guessing JSON from its look: dates
//! as `22/6/2023`, `22-06-2023`, `ngày 22 tháng 6 năm 2023` or ISO; counts as `1.272` or
//! `1,272`; decimals as `98,66` or `98.66`; periods as `2024`, `2024S1` or `6 tháng đầu năm
//! 2024`; choices in English or Vietnamese (`sơ kết 6 tháng`, `hội thảo khoa học`); people as
//! `Tên, chức vụ`. Every problem is collected, each naming the flag, what was given and the
//! form expected with an example, so a command reports them all at once.

use danvan_core::record_kind::RecordKind;
use danvan_core::text::search_key;

mod apply;
pub mod ids;
pub mod limits;
mod plain;
mod read;
pub mod sheet;
pub mod structure;
pub mod workbook;

pub use apply::{
    Held, assign, by_schema_type, citation_into, clear, figure_into, missing_fields,
    missing_required, special,
};
pub use limits::{Exceeded, Limits};
pub use plain::plain_error;
pub use read::{choose, conference_kind_arg, count, date, date_arg, model_field_arg, parse, put};

/// How a field's value is written and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
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
    /// A document's number, alone (`245-QĐ/BTGDVTU`) or as a citation gives it (`Quyết định
    /// số 245-QĐ/BTGDVTU ngày 12/10/2026`).
    DocNumber,
    /// Yes or no (`có`, `không`, `true`, `false`).
    Bool,
    /// A whole number that may be negative (`-15`).
    Integer,
    /// A form's written section: `ket-qua: Kết quả thực hiện`, `(không bắt buộc)` at the end
    /// when it may be left out.
    Section,
    /// What a unit writes in a section of its report: `ket-qua: Tổ chức 12 cuộc đối thoại …`.
    SectionText,
    /// One tier of connection points: `40 điểm cầu cấp tỉnh`, `2.900 cấp xã; 35.000 đại biểu`,
    /// `Trung ương: Hội trường Trung ương Đảng`.
    ConnectionPoints,
    /// A value marked as inferred, not stated: `date.year=ngày đăng tin`, `province=trang đăng
    /// tin` → `{"field", "from"}`.
    Inference,
}

/// One choice: its JSON name and the other ways it is written (folded when compared).
pub type Choice = (&'static str, &'static [&'static str]);

/// One field a flag or `--set` fills.
#[derive(Debug)]
pub struct Field {
    /// The JSON field (a dotted path reaches into an object: `recognition.date`).
    pub json: &'static str,
    /// The flag, without `--`.
    pub flag: &'static str,
    /// The Vietnamese label.
    pub vi: &'static str,
    /// How its value is written and read.
    pub shape: Shape,
    /// Whether the field holds a list (the flag repeats).
    pub list: bool,
    /// An example value.
    pub example: &'static str,
    /// What it is, for `--help`.
    pub help: &'static str,
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
    (
        "briefing",
        &["giao ban", "hội nghị giao ban", "họp giao ban", "briefing"],
    ),
    ("round_table", &["tọa đàm", "buổi tọa đàm", "round table"]),
    (
        "commemoration",
        &[
            "lễ kỷ niệm",
            "kỷ niệm",
            "họp mặt",
            "gặp mặt",
            "lễ kỷ niệm, họp mặt",
            "commemoration",
        ],
    ),
    (
        "honouring",
        &[
            "tuyên dương",
            "biểu dương",
            "hội nghị tuyên dương",
            "hội nghị biểu dương",
            "tôn vinh",
            "honouring",
        ],
    ),
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

const PARTS_OF_DAY: &[Choice] = &[
    ("morning", &["sáng", "buổi sáng"]),
    ("noon", &["trưa", "buổi trưa"]),
    ("afternoon", &["chiều", "buổi chiều"]),
    ("evening", &["tối", "buổi tối"]),
];

/// Fields a value implies beside its own, as offices write them: a conference's date written
/// "Chiều 14/3/2025" also gives its part of the day. Each is filled only where `record` has
/// none, so an explicit value wins.
///
/// ```
/// let mut r = serde_json::json!({});
/// danvan_entry::imply(danvan_core::record_kind::RecordKind::Conference, "date", "Chiều 14/3/2025", &mut r);
/// assert_eq!(r["part_of_day"], "afternoon");
/// ```
pub fn imply(kind: RecordKind, json: &str, text: &str, record: &mut serde_json::Value) {
    if kind == RecordKind::Conference
        && json == "date"
        && let Some(part) = danvan_core::date::PartOfDay::in_text(text)
        && record
            .get("part_of_day")
            .is_none_or(serde_json::Value::is_null)
        && let Ok(v) = serde_json::to_value(part)
    {
        put(record, "part_of_day", v, false);
    }
}

const UNIT_LEVELS: &[Choice] = &[
    (
        "department",
        &["sở, ngành", "sở", "ngành", "sở ban ngành", "cơ quan"],
    ),
    (
        "district",
        &[
            "huyện",
            "cấp huyện",
            "quận",
            "thị xã",
            "thành phố thuộc tỉnh",
        ],
    ),
    (
        "commune",
        &["xã", "cấp xã", "phường", "đặc khu", "xã, phường, đặc khu"],
    ),
    ("party_bloc", &["đảng bộ khối", "đảng ủy khối", "khối"]),
    ("enterprise", &["doanh nghiệp", "đảng bộ doanh nghiệp"]),
    ("cluster", &["cụm thi đua", "cụm"]),
    (
        "mass_organisation",
        &[
            "mặt trận, đoàn thể",
            "mặt trận và đoàn thể",
            "mặt trận",
            "đoàn thể",
            "mttq",
            "mass organisation",
            "front",
        ],
    ),
    ("other", &["đơn vị", "khác", "đơn vị khác"]),
];

const UNIT: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "tn-huyen-dinh-hoa",
        "The new unit's ID; left out, one is made from its province and name",
    ),
    f(
        "name",
        "name",
        "Tên đơn vị",
        Shape::Text,
        "huyện Định Hóa",
        "The unit's name as the board writes it",
    ),
    f(
        "level",
        "level",
        "Cấp đơn vị",
        Shape::Choice(UNIT_LEVELS),
        "huyện",
        "sở, ngành; huyện; xã; đảng bộ khối; doanh nghiệp; cụm thi đua; mặt trận, đoàn thể; đơn vị",
    ),
    f(
        "province",
        "province",
        "Tỉnh",
        Shape::Province,
        "Thái Nguyên",
        "The province whose board it reports to (none for the central board's units)",
    ),
    f(
        "parent",
        "parent",
        "Đơn vị cấp trên",
        Shape::Id,
        "tn-huyen-dinh-hoa",
        "The unit above it, by ID, where it is not the board",
    ),
    f(
        "from",
        "since",
        "Ngày thành lập",
        Shape::Date,
        "1/7/2025",
        "The first day it existed",
    ),
    f(
        "until",
        "until",
        "Ngày giải thể",
        Shape::Date,
        "30/6/2025",
        "The last day it existed (merged, split or dissolved)",
    ),
    many(
        "aliases",
        "alias",
        "Tên khác",
        Shape::Text,
        "Định Hóa",
        "Another name it is written under (repeat for several)",
    ),
    f("note", "note", "Ghi chú", Shape::Text, "", "A remark"),
];

const CONFERENCE: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "tn-2024-so-ket-6-thang",
        "The new record's ID; left out, one is made from its province, date and title",
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
        "The day it was held (\"Chiều 22/6/2023\" also gives the part of the day)",
    ),
    f(
        "part_of_day",
        "part-of-day",
        "Buổi",
        Shape::Choice(PARTS_OF_DAY),
        "chiều",
        "The part of the day: sáng, trưa, chiều or tối",
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
    many(
        "connection_points",
        "points",
        "Điểm cầu theo cấp",
        Shape::ConnectionPoints,
        "2.900 điểm cầu cấp xã; 35.000 đại biểu",
        "Connection points of one tier: COUNT TIER[: names][; N đại biểu] (Trung ương, cấp tỉnh, cấp huyện, cấp xã, thôn)",
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
    many(
        "discussion",
        "discussion",
        "Ý kiến thảo luận",
        Shape::Text,
        "Tham luận của Hội Nông dân tỉnh",
        "A point raised in discussion (repeat)",
    ),
    many(
        "figures",
        "figure-id",
        "Số liệu",
        Shape::Id,
        "tn-2024s1-don-thu",
        "An observation reported at the conference, by ID (repeat)",
    ),
    f(
        "date_precision",
        "date-precision",
        "Độ chính xác",
        Shape::Choice(DATE_PRECISIONS),
        "chỉ biết tháng",
        "How exactly the date is known: the day (default), the month only, or only the source's publication date",
    ),
    f(
        "note",
        "note",
        "Ghi chú",
        Shape::Text,
        "Tổ chức cùng Ban Tuyên giáo",
        "A remark that fits no other field",
    ),
    many(
        "inferred",
        "inferred",
        "Giá trị suy ra",
        Shape::Inference,
        "date.year=ngày đăng tin",
        "A value the source did not state but that was worked out, and from what: FIELD=FROM (ngày đăng tin, trang đăng tin, ngữ cảnh, người nhập)",
    ),
];

const DATE_PRECISIONS: &[Choice] = &[
    ("exact", &["đúng ngày", "biết ngày", "exact day"]),
    ("month", &["chỉ biết tháng", "tháng", "month only"]),
    (
        "published",
        &["theo ngày đăng tin", "ngày đăng tin", "publication date"],
    ),
];

const DIRECTIVE: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "tn-31-kh-2023",
        "The new record's ID; left out, one is made from its province, date and title",
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
    f(
        "ordinal",
        "ordinal",
        "Số thứ tự",
        Shape::Count,
        "16",
        "The number alone, for a document cited by number and term only",
    ),
    f("note", "note", "Ghi chú", Shape::Text, "", "A remark"),
    many(
        "inferred",
        "inferred",
        "Giá trị suy ra",
        Shape::Inference,
        "date.year=ngày đăng tin",
        "A value the source did not state but that was worked out, and from what: FIELD=FROM (ngày đăng tin, trang đăng tin, ngữ cảnh, người nhập)",
    ),
];

const MODEL: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "tn-2024-thon-na-mao",
        "The new record's ID; left out, one is made from its province, date and title",
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
        Shape::DocNumber,
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
    many(
        "inferred",
        "inferred",
        "Giá trị suy ra",
        Shape::Inference,
        "date.year=ngày đăng tin",
        "A value the source did not state but that was worked out, and from what: FIELD=FROM (ngày đăng tin, trang đăng tin, ngữ cảnh, người nhập)",
    ),
];

const INDICATOR: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "hop_thu_gop_y",
        "The new indicator's code; left out, one is made from its name",
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
        "The new record's ID; left out, one is made from its province, date and title",
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
        "A registered reporting unit below the province",
    ),
    f(
        "unit.level",
        "unit-level",
        "Cấp đơn vị",
        Shape::Choice(UNIT_LEVELS),
        "huyện",
        "The reporting unit's level",
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
    f(
        "source",
        "source",
        "Nguồn",
        Shape::Url,
        "https://thainguyen.gov.vn/…",
        "Where the figure was published, by address",
    ),
    f("note", "note", "Ghi chú", Shape::Text, "", "A remark"),
    many(
        "inferred",
        "inferred",
        "Giá trị suy ra",
        Shape::Inference,
        "date.year=ngày đăng tin",
        "A value the source did not state but that was worked out, and from what: FIELD=FROM (ngày đăng tin, trang đăng tin, ngữ cảnh, người nhập)",
    ),
];

const TARGET: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "tn-2025-dialogues-held-muc-tieu",
        "The new record's ID; left out, one is made from its province, period and indicator",
    ),
    f(
        "indicator",
        "indicator",
        "Chỉ tiêu",
        Shape::Id,
        "dialogues_held",
        "The indicator, by code",
    ),
    f(
        "province",
        "province",
        "Tỉnh",
        Shape::Province,
        "Thái Nguyên",
        "The province (none for a nationwide target)",
    ),
    f(
        "period",
        "period",
        "Kỳ áp dụng",
        Shape::Period,
        "năm 2025",
        "The period it covers: a year, a half-year or a term (2021-2025)",
    ),
    f(
        "value",
        "value",
        "Mục tiêu",
        Shape::Decimal,
        "150",
        "The value aimed for: a count, or a percentage for ratios",
    ),
    f(
        "set_by",
        "set-by",
        "Cơ quan giao",
        Shape::Text,
        "Ban Thường vụ Tỉnh ủy",
        "Who set it",
    ),
    f(
        "document",
        "document",
        "Văn bản giao",
        Shape::DocNumber,
        "12-CTr/TU",
        "The number of the document setting it",
    ),
    f("note", "note", "Ghi chú", Shape::Text, "", "A remark"),
];

const AWARD_FORMS: &[Choice] = &[
    (
        "certificate_of_merit",
        &["bằng khen", "certificate of merit"],
    ),
    (
        "commendation",
        &["giấy khen", "certificate of commendation"],
    ),
    ("emulation_flag", &["cờ thi đua", "cờ"]),
    ("order", &["huân chương"]),
    ("medal", &["kỷ niệm chương", "huy hiệu", "huy chương"]),
    ("title", &["danh hiệu", "danh hiệu thi đua"]),
    ("praise", &["biểu dương", "tuyên dương", "thư khen"]),
    ("other", &["hình thức khác", "khác"]),
];

const AWARD: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "tn-2024-12-10-1520-qd-tu",
        "Record ID (made from the province, day and decision when left out)",
    ),
    f(
        "form",
        "form",
        "Hình thức khen thưởng",
        Shape::Choice(AWARD_FORMS),
        "bằng khen",
        "Bằng khen, giấy khen, cờ thi đua, huân chương, kỷ niệm chương, danh hiệu, biểu dương",
    ),
    f(
        "title",
        "title",
        "Tên khen thưởng",
        Shape::Text,
        "Bằng khen của Chủ tịch UBND tỉnh",
        "The award as the text words it, when the form alone does not say it",
    ),
    f(
        "awarded_by",
        "awarded-by",
        "Cơ quan khen thưởng",
        Shape::Text,
        "Ban Thường vụ Tỉnh ủy",
        "Who awarded it",
    ),
    f(
        "province",
        "province",
        "Tỉnh",
        Shape::Province,
        "Thái Nguyên",
        "The province whose body awarded it (none for a central award)",
    ),
    f(
        "decision",
        "decision",
        "Số quyết định",
        Shape::DocNumber,
        "Quyết định số 1520-QĐ/TU ngày 10/12/2024",
        "The deciding document's number",
    ),
    f(
        "decided_on",
        "decided-on",
        "Ngày quyết định",
        Shape::Date,
        "10/12/2024",
        "The decision's date",
    ),
    f(
        "presented_on",
        "presented-on",
        "Ngày trao",
        Shape::Date,
        "20/12/2024",
        "The day it was presented, when it differs from the decision's",
    ),
    f(
        "recipients.collectives",
        "collectives",
        "Số tập thể",
        Shape::Count,
        "12",
        "How many collectives, when the text gives a count",
    ),
    f(
        "recipients.individuals",
        "individuals",
        "Số cá nhân",
        Shape::Count,
        "25",
        "How many individuals, when the text gives a count",
    ),
    f(
        "recipients.many",
        "many",
        "Nhiều tập thể, cá nhân",
        Shape::Bool,
        "có",
        "The text says many and gives no count (\"nhiều tập thể, cá nhân\")",
    ),
    many(
        "recipients.named",
        "recipient",
        "Tập thể, cá nhân được khen",
        Shape::Person,
        "Hoàng Thị Mai, Chủ tịch Hội Nông dân xã Phúc Xuân",
        "A recipient the text names: a collective, or a person with their position",
    ),
    f(
        "conference",
        "conference",
        "Hội nghị",
        Shape::Id,
        "tn-2024-tong-ket",
        "The conference it was presented at, by ID",
    ),
    f(
        "movement",
        "movement",
        "Phong trào thi đua",
        Shape::Text,
        "Dân vận khéo",
        "The emulation movement it rewards",
    ),
    f(
        "period",
        "period",
        "Kỳ khen thưởng",
        Shape::Period,
        "2024",
        "The period whose work it rewards",
    ),
    f(
        "reason",
        "reason",
        "Lý do khen thưởng",
        Shape::Text,
        "Có thành tích xuất sắc trong phong trào thi đua",
        "What it was for",
    ),
    many(
        "sources",
        "source",
        "Nguồn",
        Shape::Url,
        "https://baothainguyen.vn/…",
        "Where it was published",
    ),
    f("note", "note", "Ghi chú", Shape::Text, "", "A remark"),
    many(
        "inferred",
        "inferred",
        "Giá trị suy ra",
        Shape::Inference,
        "date.year=ngày đăng tin",
        "A value the source did not state but that was worked out, and from what: FIELD=FROM (ngày đăng tin, trang đăng tin, ngữ cảnh, người nhập)",
    ),
];

const PERIOD_KINDS: &[Choice] = &[
    ("month", &["tháng", "hằng tháng", "monthly"]),
    ("quarter", &["quý", "hằng quý", "quarterly"]),
    ("half", &["6 tháng", "sáu tháng", "half year", "half-year"]),
    ("year", &["năm", "hằng năm", "yearly", "annual"]),
    ("phase", &["giai đoạn", "phase"]),
];

const FORM: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "tn-bao-cao-6-thang-cap-xa",
        "Record ID (made from the province and name when left out)",
    ),
    f(
        "name",
        "name",
        "Tên biểu mẫu",
        Shape::Text,
        "Báo cáo công tác dân vận 6 tháng",
        "The form's name",
    ),
    f(
        "province",
        "province",
        "Tỉnh",
        Shape::Province,
        "Thái Nguyên",
        "The board that asks for it (none: the central board, to which provinces report)",
    ),
    f(
        "period_kind",
        "period-kind",
        "Kỳ báo cáo",
        Shape::Choice(PERIOD_KINDS),
        "6 tháng",
        "Tháng, quý, 6 tháng, năm or giai đoạn",
    ),
    f(
        "level",
        "level",
        "Cấp đơn vị báo cáo",
        Shape::Choice(UNIT_LEVELS),
        "xã",
        "The level of unit that sends it (a province's form)",
    ),
    many(
        "indicators",
        "indicator",
        "Chỉ tiêu",
        Shape::Id,
        "dialogues_held",
        "An indicator it asks for (repeat)",
    ),
    f(
        "due_days_after_end",
        "due-days-after-end",
        "Hạn gửi (số ngày sau cuối kỳ)",
        Shape::Integer,
        "-15",
        "When it is due, in days after the period's last day (-15: 15 days before it ends)",
    ),
    many(
        "sections",
        "section",
        "Mục báo cáo",
        Shape::Section,
        "ket-qua: Kết quả thực hiện",
        "A written section it asks for: KEY: title, \"(không bắt buộc)\" at the end when it may be left out (repeat)",
    ),
    f(
        "from",
        "applies-from",
        "Áp dụng từ ngày",
        Shape::Date,
        "1/7/2025",
        "The first day of the periods it applies to",
    ),
    f(
        "until",
        "applies-until",
        "Áp dụng đến ngày",
        Shape::Date,
        "31/12/2030",
        "The last day of the periods it applies to",
    ),
];

const SUBMISSION: &[Field] = &[
    f(
        "id",
        "id",
        "Mã",
        Shape::Id,
        "tn-dinh-hoa-2025s1",
        "Record ID",
    ),
    f(
        "form",
        "form",
        "Biểu mẫu",
        Shape::Id,
        "tn-bao-cao-6-thang-cap-xa",
        "The form it is filled against",
    ),
    f(
        "unit",
        "unit",
        "Đơn vị báo cáo",
        Shape::Id,
        "tn-dinh-hoa",
        "The reporting unit (its ID)",
    ),
    f(
        "province",
        "province",
        "Tỉnh",
        Shape::Province,
        "Thái Nguyên",
        "The province whose board it goes to",
    ),
    f(
        "period",
        "period",
        "Kỳ báo cáo",
        Shape::Period,
        "6 tháng đầu năm 2025",
        "The period it reports",
    ),
    many(
        "sections",
        "section",
        "Nội dung báo cáo",
        Shape::SectionText,
        "ket-qua: Tổ chức 12 cuộc đối thoại với Nhân dân",
        "What the unit writes in a section of its form: KEY: text (repeat)",
    ),
];

/// The fields of `kind`.
pub fn fields(kind: RecordKind) -> &'static [Field] {
    match kind {
        RecordKind::Conference => CONFERENCE,
        RecordKind::Directive => DIRECTIVE,
        RecordKind::Model => MODEL,
        RecordKind::Indicator => INDICATOR,
        RecordKind::Observation => OBSERVATION,
        RecordKind::Unit => UNIT,
        RecordKind::Award => AWARD,
        RecordKind::Form => FORM,
        // A submission is filled through its own steps (`danvan submission …`, the web app's
        // inbox), never as free fields.
        RecordKind::Submission => SUBMISSION,
        RecordKind::Target => TARGET,
    }
}

/// The field `name` names in `kind`: its JSON name, flag or Vietnamese label (folded).
pub fn field(kind: RecordKind, name: &str) -> Option<&'static Field> {
    let key = search_key(name.trim());
    fields(kind)
        .iter()
        .find(|f| search_key(f.json) == key || search_key(f.flag) == key || search_key(f.vi) == key)
}

/// One problem with what was given: the flag (or `--set` field), the value, and what was
/// expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The flag (or form field) that was given: `--date`, `--set date`.
    pub flag: String,
    /// What was given, as typed.
    pub given: String,
    /// What was wrong and what is expected, with an example.
    pub message: String,
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

/// "a conference", "an indicator", "an observation".
pub fn a(kind: RecordKind) -> String {
    match kind.as_str().chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {kind}"),
        _ => format!("a {kind}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use serde_json::json;

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
        for written in [
            "245-QĐ/BTGDVTU",
            "Quyết định số 245-QĐ/BTGDVTU ngày 12/10/2026",
            "Quyết định số 245-QĐ/BTGDVTU",
        ] {
            assert_eq!(
                parse(Shape::DocNumber, written).unwrap(),
                json!("245-QĐ/BTGDVTU"),
                "{written}"
            );
        }
        assert!(parse(Shape::DocNumber, "quyết định công nhận").is_err());
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
