//! CSV files of one record kind, with English or Vietnamese headers.
//!
//! Offices keep lists in spreadsheets, so each kind has a fixed set of columns, named in
//! English (`numerator`) or Vietnamese (`Tử số`); headers match ignoring case and diacritics.
//! Lists are written `a; b`, nested fields as dotted columns (`format.mode`), and lists of
//! objects (a directive's milestones, a conference's chairs) as JSON in the cell. Numbers may
//! use either convention (`1.272`, `98,66`), one per column: a cell that says which (`98,66`,
//! `98.66`) decides it for the column, and a column that mixes them is refused. The kind comes
//! from the file name (`models.csv`, `mo-hinh.csv`, `observations-2024.csv`) or `--kind`.
//!
//! Files are read as spreadsheets save them: a byte-order mark, `\r\n` line ends, and `;` or
//! tab separators (found in the header line), with every problem reported at once at its true
//! line. An indicator may be named by its name instead of its code. Exports carry a byte-order
//! mark (so Excel reads UTF-8), and Vietnamese ones the province's and indicator's names beside
//! their codes (`Tên tỉnh`, `Tên chỉ tiêu`), which an import reads past.

use std::path::Path;

use danvan_core::number::{Convention, Decimal};
use danvan_core::record_kind::RecordKind;
use danvan_core::text::{search_key, slugify};
use serde_json::{Map, Value};

/// How a column's cells become JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Text,
    Int,
    Num,
    List,
    Json,
}

/// (English name = JSON path, Vietnamese name, type).
type Col = (&'static str, &'static str, Ty);

/// The columns of the registry of reporting units.
const UNIT_COLUMNS: &[Col] = &[
    ("id", "Mã", Ty::Text),
    ("name", "Tên đơn vị", Ty::Text),
    ("level", "Cấp đơn vị", Ty::Text),
    ("province", "Tỉnh", Ty::Text),
    ("parent", "Đơn vị cấp trên", Ty::Text),
    ("from", "Ngày thành lập", Ty::Text),
    ("until", "Ngày giải thể", Ty::Text),
    ("aliases", "Tên khác", Ty::List),
    ("note", "Ghi chú", Ty::Text),
];

/// The columns of commendations.
const AWARD_COLUMNS: &[Col] = &[
    ("id", "Mã", Ty::Text),
    ("form", "Hình thức khen thưởng", Ty::Text),
    ("title", "Tên khen thưởng", Ty::Text),
    ("awarded_by", "Cơ quan khen thưởng", Ty::Text),
    ("province", "Tỉnh", Ty::Text),
    ("decision", "Số quyết định", Ty::Text),
    ("decided_on", "Ngày quyết định", Ty::Text),
    ("presented_on", "Ngày trao", Ty::Text),
    ("recipients.collectives", "Số tập thể", Ty::Int),
    ("recipients.individuals", "Số cá nhân", Ty::Int),
    ("recipients.many", "Nhiều tập thể, cá nhân", Ty::Json),
    ("recipients.named", "Tập thể, cá nhân được khen", Ty::Json),
    ("conference", "Hội nghị", Ty::Text),
    ("movement", "Phong trào thi đua", Ty::Text),
    ("period", "Kỳ khen thưởng", Ty::Text),
    ("reason", "Lý do khen thưởng", Ty::Text),
    ("sources", "Nguồn", Ty::Json),
    ("note", "Ghi chú", Ty::Text),
];

/// The columns of forms.
const FORM_COLUMNS: &[Col] = &[
    ("id", "Mã", Ty::Text),
    ("name", "Tên biểu mẫu", Ty::Text),
    ("province", "Tỉnh", Ty::Text),
    ("period_kind", "Kỳ báo cáo", Ty::Text),
    ("level", "Cấp đơn vị báo cáo", Ty::Text),
    ("indicators", "Chỉ tiêu", Ty::List),
    ("sections", "Mục báo cáo", Ty::Json),
    (
        "due_days_after_end",
        "Hạn gửi (số ngày sau cuối kỳ)",
        Ty::Json,
    ),
    ("from", "Áp dụng từ ngày", Ty::Text),
    ("until", "Áp dụng đến ngày", Ty::Text),
];

/// The columns of models.
const MODEL_COLUMNS: &[Col] = &[
    ("id", "Mã", Ty::Text),
    ("name", "Tên mô hình", Ty::Text),
    ("province", "Tỉnh", Ty::Text),
    ("owning_unit", "Đơn vị xây dựng", Ty::Text),
    ("field", "Lĩnh vực", Ty::Text),
    ("kind", "Loại", Ty::Text),
    ("start_year", "Năm bắt đầu", Ty::Int),
    ("status", "Trạng thái", Ty::Text),
    ("recognition.date", "Ngày công nhận", Ty::Text),
    ("recognition.decision", "Quyết định công nhận", Ty::Text),
    ("recognition.level", "Cấp công nhận", Ty::Text),
    ("recognition.by", "Cơ quan công nhận", Ty::Text),
    ("description", "Mô tả", Ty::Text),
];

/// The columns of targets.
const TARGET_COLUMNS: &[Col] = &[
    ("id", "Mã", Ty::Text),
    ("indicator", "Chỉ tiêu", Ty::Text),
    ("province", "Tỉnh", Ty::Text),
    ("period", "Kỳ áp dụng", Ty::Text),
    ("value", "Mục tiêu", Ty::Num),
    ("set_by", "Cơ quan giao", Ty::Text),
    ("document", "Văn bản giao", Ty::Text),
    ("note", "Ghi chú", Ty::Text),
];

/// The columns of submissions.
const SUBMISSION_COLUMNS: &[Col] = &[
    ("id", "Mã", Ty::Text),
    ("form", "Biểu mẫu", Ty::Text),
    ("form_revision", "Phiên bản biểu mẫu", Ty::Int),
    ("unit", "Đơn vị báo cáo", Ty::Text),
    ("province", "Tỉnh", Ty::Text),
    ("period", "Kỳ báo cáo", Ty::Text),
    ("state", "Trạng thái", Ty::Text),
    ("sections", "Nội dung", Ty::Json),
    ("original", "Bản gốc", Ty::Json),
    ("steps", "Các bước", Ty::Json),
];

/// The columns a table of `kind` is read from: (JSON path, Vietnamese header), in order.
pub fn in_columns(kind: RecordKind) -> Vec<(&'static str, &'static str)> {
    columns(kind)
        .iter()
        .map(|(path, vi, _)| (*path, *vi))
        .collect()
}

fn columns(kind: RecordKind) -> &'static [Col] {
    use Ty::*;
    match kind {
        RecordKind::Observation => &[
            ("id", "Mã", Text),
            ("indicator", "Chỉ tiêu", Text),
            ("province", "Tỉnh", Text),
            ("unit.name", "Đơn vị báo cáo", Text),
            ("unit.level", "Cấp đơn vị", Text),
            ("period", "Kỳ báo cáo", Text),
            ("numerator", "Tử số", Int),
            ("denominator", "Mẫu số", Int),
            ("value", "Giá trị", Num),
            ("stated", "Tỷ lệ công bố", Text),
            ("target", "Mục tiêu", Num),
            ("note", "Ghi chú", Text),
            ("source.url", "Nguồn", Text),
            ("source.title", "Tiêu đề nguồn", Text),
            ("source.publisher", "Cơ quan đăng", Text),
            ("source.published_at", "Ngày đăng", Text),
        ],
        RecordKind::Model => MODEL_COLUMNS,
        RecordKind::Directive => &[
            ("id", "Mã", Text),
            ("number", "Số, ký hiệu", Text),
            ("doc_type", "Loại văn bản", Text),
            ("issuer", "Cơ quan ban hành", Text),
            ("term", "Nhiệm kỳ", Text),
            ("issued_on", "Ngày ban hành", Text),
            ("title", "Trích yếu", Text),
            ("province", "Tỉnh", Text),
            ("phase.start_year", "Năm bắt đầu", Int),
            ("phase.end_year", "Năm kết thúc", Int),
            ("phase.horizon_year", "Định hướng đến năm", Int),
            ("milestones", "Mốc sơ kết, tổng kết", Json),
            ("status", "Trạng thái", Text),
            ("superseded_by", "Thay thế bởi", Text),
            ("ordinal", "Số thứ tự", Int),
            ("related", "Văn bản liên quan", Json),
            ("note", "Ghi chú", Text),
        ],
        RecordKind::Conference => &[
            ("id", "Mã", Text),
            ("kinds", "Loại hội nghị", List),
            ("title", "Tên hội nghị", Text),
            ("date", "Ngày", Text),
            ("date_precision", "Độ chính xác của ngày", Text),
            ("part_of_day", "Buổi", Text),
            ("end_date", "Ngày kết thúc", Text),
            ("province", "Tỉnh", Text),
            ("hosts", "Đơn vị chủ trì", List),
            ("chairs", "Chủ trì", Json),
            ("attendees", "Thành phần dự", Json),
            ("participating_units", "Thành phần", List),
            ("emulation_cluster", "Cụm thi đua", Text),
            ("format.mode", "Hình thức", Text),
            ("format.connection_points", "Số điểm cầu", Int),
            ("connection_points", "Điểm cầu theo cấp", Json),
            ("location", "Địa điểm", Text),
            ("reviewed_period", "Kỳ sơ kết", Text),
            ("reviewed_directives", "Văn bản được sơ kết", List),
            ("figures", "Số liệu", List),
            ("results", "Kết quả", List),
            ("shortcomings", "Hạn chế", List),
            ("discussion", "Thảo luận", List),
            ("conclusions", "Kết luận", List),
            ("tasks", "Nhiệm vụ", List),
            ("commendations", "Khen thưởng", Json),
            ("sources", "Nguồn", Json),
            ("note", "Ghi chú", Text),
        ],
        RecordKind::Unit => UNIT_COLUMNS,
        RecordKind::Award => AWARD_COLUMNS,
        RecordKind::Form => FORM_COLUMNS,
        RecordKind::Submission => SUBMISSION_COLUMNS,
        RecordKind::Target => TARGET_COLUMNS,
        RecordKind::Indicator => &[
            ("id", "Mã", Text),
            ("name_vi", "Tên chỉ tiêu", Text),
            ("name_en", "Tên tiếng Anh", Text),
            ("unit", "Đơn vị tính", Text),
            ("measure", "Loại số đo", Text),
            ("direction", "Chiều", Text),
            ("baseline", "Giá trị nền", Num),
            ("target", "Mục tiêu", Num),
            ("description", "Mô tả", Text),
        ],
    }
}

/// Columns a Vietnamese export writes beside a code, for a person reading the sheet: the
/// province's and the indicator's names. `(kind, beside, English name, Vietnamese name)`; an
/// import reads past them (the code beside is what counts).
const NAME_COLUMNS: &[(Option<RecordKind>, &str, &str, &str)] = &[
    (None, "province", "province_name", "Tên tỉnh"),
    (
        Some(RecordKind::Observation),
        "indicator",
        "indicator_name",
        "Tên chỉ tiêu",
    ),
];

/// The name a [`NAME_COLUMNS`] column shows for `code`.
fn name_of(beside: &str, code: &str) -> String {
    match beside {
        "province" => danvan_core::province::registry()
            .all_with_slug(code)
            .last()
            .map_or_else(String::new, |p| p.name_vi().to_string()),
        _ => danvan_core::indicator::builtin(code)
            .map_or_else(String::new, |d| d.name_vi.to_string()),
    }
}

/// An indicator named in a cell by its Vietnamese or English name (as offices write it)
/// rather than its code: the built-in indicator of that name.
pub fn indicator_by_name(cell: &str) -> Option<&'static str> {
    let key = search_key(cell);
    danvan_core::indicator::catalogue()
        .iter()
        .find(|d| search_key(&d.name_vi) == key || search_key(&d.name_en) == key)
        .map(|d| d.id.as_str())
}

/// Column names of older exports, folded, and the column each now is: a conference had one
/// `host` before it could have several.
const OLDER_NAMES: &[(RecordKind, &str, &str)] = &[(RecordKind::Conference, "host", "hosts")];

/// The record kind a CSV file holds, from its name (English or Vietnamese, singular or
/// plural, with anything after a `-` or `_`).
pub fn kind_of_file(path: &Path) -> Option<RecordKind> {
    kind_of_name(path.file_stem()?.to_str()?)
}

/// The record kind a file or sheet name says (see [`kind_of_file`]).
pub fn kind_of_name(name: &str) -> Option<RecordKind> {
    let stem = slugify(name);
    let names: [(&str, RecordKind); 20] = [
        ("form", RecordKind::Form),
        ("bieu-mau", RecordKind::Form),
        ("submission", RecordKind::Submission),
        ("bao-cao-don-vi", RecordKind::Submission),
        ("target", RecordKind::Target),
        ("muc-tieu", RecordKind::Target),
        ("award", RecordKind::Award),
        ("khen-thuong", RecordKind::Award),
        ("unit", RecordKind::Unit),
        ("don-vi", RecordKind::Unit),
        ("conference", RecordKind::Conference),
        ("hoi-nghi", RecordKind::Conference),
        ("directive", RecordKind::Directive),
        ("van-ban", RecordKind::Directive),
        ("model", RecordKind::Model),
        ("mo-hinh", RecordKind::Model),
        ("indicator", RecordKind::Indicator),
        ("chi-tieu", RecordKind::Indicator),
        ("observation", RecordKind::Observation),
        ("so-lieu", RecordKind::Observation),
    ];
    names
        .iter()
        .find(|(n, _)| stem.starts_with(n))
        .map(|(_, k)| *k)
}

/// The field separator of a CSV file: `,`, or `;` and tab as spreadsheets write them where a
/// comma is the decimal mark — whichever occurs most in the header line, outside quotes.
pub fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
            c.1 += 1;
        }
    }
    // Ties go to the comma, the first.
    counts
        .iter()
        .fold((b',', 0), |best, c| if c.1 > best.1 { *c } else { best })
        .0
}

/// Line numbers of records, as a CSV file is read front to back: each look-up counts the line
/// breaks since the last one, so reading a file costs one pass, whatever its length.
struct Lines<'t> {
    bytes: &'t [u8],
    /// Where the last look-up stopped, and the line there.
    at: usize,
    line: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        Lines {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line on which the record at byte `start` begins. A position may point at the
    /// line break that ends the previous record (`\r` of a `\r\n`): it is skipped. Positions
    /// come in order; an earlier one is counted from the start again.
    fn at(&mut self, start: usize) -> usize {
        let mut to = start.min(self.bytes.len());
        while to < self.bytes.len() && matches!(self.bytes[to], b'\r' | b'\n') {
            to += 1;
        }
        if to < self.at {
            (self.at, self.line) = (0, 1);
        }
        self.line += memchr::memchr_iter(b'\n', &self.bytes[self.at..to]).count();
        self.at = to;
        self.line
    }
}

/// What a column's cells say of its number convention: `98,66` is Vietnamese, `98.66` or
/// `1,234.5` English; `1.272` alone says nothing (it is read as Vietnamese, as written here).
fn convention_of(cells: &[&str]) -> Result<Convention, String> {
    let mut vietnamese = None;
    let mut english = None;
    for cell in cells {
        let (dots, commas) = (cell.matches('.').count(), cell.matches(',').count());
        let last_dot = cell.rfind('.');
        let last_comma = cell.rfind(',');
        let says = match (dots, commas) {
            (0, 0) => None,
            (_, 0) if dots == 1 => {
                let after = cell.len() - last_dot.unwrap_or(0) - 1;
                (after != 3).then_some(Convention::English)
            }
            (0, 1) => {
                let after = cell.len() - last_comma.unwrap_or(0) - 1;
                (after != 3).then_some(Convention::Vietnamese)
            }
            (0, _) => Some(Convention::English),    // 1,234,567
            (_, 0) => Some(Convention::Vietnamese), // 1.234.567
            _ if last_comma > last_dot => Some(Convention::Vietnamese),
            _ => Some(Convention::English),
        };
        match says {
            Some(Convention::Vietnamese) if vietnamese.is_none() => vietnamese = Some(*cell),
            Some(Convention::English) if english.is_none() => english = Some(*cell),
            _ => {}
        }
    }
    match (vietnamese, english) {
        (Some(v), Some(e)) => Err(format!(
            "mixes number conventions: {v:?} has a decimal comma, {e:?} a decimal point; write the whole column one way"
        )),
        (_, Some(_)) => Ok(Convention::English),
        _ => Ok(Convention::Vietnamese),
    }
}

/// Where a column an import reads past goes.
const SKIPPED: Col = ("", "", Ty::Text);

/// A whole number written with one kind of group separator (`1.272`, `1,272`, `1 272 000`):
/// in a column of whole numbers neither `.` nor `,` can be a decimal mark.
fn grouped_whole(cell: &str) -> Option<Decimal> {
    let sep = cell
        .chars()
        .find(|c| matches!(c, '.' | ',' | ' ' | '\u{a0}'))?;
    let groups: Vec<&str> = cell.split(sep).collect();
    let digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    let ok = groups.len() > 1
        && groups[0].len() <= 3
        && digits(groups[0])
        && groups[1..].iter().all(|g| g.len() == 3 && digits(g));
    ok.then(|| groups.concat().parse::<i64>().ok().map(Decimal::from_int))
        .flatten()
}

/// A problem with the header of the column at an index.
type ColumnProblem = (usize, String);

/// Each header's column (or [`SKIPPED`] for a name shown beside a code), with the header as
/// written; every unknown header is a problem.
fn header_map(
    kind: RecordKind,
    headers: &[String],
) -> Result<Vec<(&'static Col, String)>, Vec<ColumnProblem>> {
    let cols = columns(kind);
    let mut map = Vec::with_capacity(headers.len());
    let mut problems = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let key = search_key(h);
        // Columns renamed since files were first exported keep being read.
        let key = OLDER_NAMES
            .iter()
            .find(|(k, old, _)| *k == kind && *old == key)
            .map_or(key.clone(), |(_, _, new)| (*new).to_string());
        let derived = NAME_COLUMNS.iter().any(|(k, _, en, vi)| {
            k.is_none_or(|k| k == kind) && (search_key(en) == key || search_key(vi) == key)
        });
        match cols
            .iter()
            .find(|(en, vi, _)| search_key(en) == key || search_key(vi) == key)
        {
            Some(col) => map.push((col, h.to_string())),
            None if derived => map.push((&SKIPPED, h.to_string())),
            None => {
                let known: Vec<String> =
                    cols.iter().map(|c| format!("{} ({})", c.1, c.0)).collect();
                problems.push((
                    i,
                    format!(
                        "unknown column {h:?} for {}; the columns are {}",
                        kind.plural(),
                        known.join(", ")
                    ),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(map)
    } else {
        Err(problems)
    }
}

/// One cell as read: its text, and for a spreadsheet's number cell the number itself (which
/// needs no convention).
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// The cell's text as shown.
    pub text: String,
    /// A spreadsheet's number cell: the number itself.
    pub number: Option<f64>,
}

impl Cell {
    /// A CSV cell: its text, the `'` that neutralises a formula undone (see [`write`]).
    fn text(text: &str) -> Cell {
        Cell {
            text: danvan_core::text::from_spreadsheet_cell(text).to_string(),
            number: None,
        }
    }
}

/// A table read from a file: the header, each data row with its 1-based line or row number,
/// and how to name a place in it for a message (`locate(row, column)`: `3` in a CSV file,
/// `sheet "Số liệu", E3` in a workbook).
pub struct Table<'a> {
    /// The header's 1-based row.
    pub header_row: usize,
    /// The column headers, as written.
    pub header: Vec<String>,
    /// Each data row with its 1-based line or row number.
    pub rows: Vec<(usize, Vec<Cell>)>,
    /// Names a place for a message: `locate(row, column)`.
    pub locate: &'a dyn Fn(usize, usize) -> String,
}

/// Reads a CSV of `kind` into records' JSON, each with its 1-based line. Every problem is
/// returned at once, each as `line: column: message` (the caller adds the file); a byte-order
/// mark, `\r\n` line ends and `;` or tab separators are read as spreadsheets write them.
pub fn read(kind: RecordKind, text: &str) -> Result<Vec<(usize, Value)>, Vec<String>> {
    read_within(kind, text, &crate::Limits::LOCAL, &|| false)
}

/// [`read`], refusing a file past `limits` (its rows and cells, counted as it is read) and
/// giving up when `stop` says so (asked every thousand rows).
pub fn read_within(
    kind: RecordKind,
    text: &str,
    limits: &crate::Limits,
    stop: &dyn Fn() -> bool,
) -> Result<Vec<(usize, Value)>, Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Lines::new(text);
    let mut cells: u64 = 0;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| vec![format!("1: {e}")])?
        .iter()
        .map(str::to_string)
        .collect();
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    // A limit passed stops the reading there, named at the line it was passed on.
    let passed = |line: usize, e: crate::Exceeded| vec![format!("{line}: {e}")];
    for (n, row) in reader.records().enumerate() {
        let at = match &row {
            Ok(r) => r.position().map_or(0, |p| p.byte() as usize),
            Err(e) => e.position().map_or(0, |p| p.byte() as usize),
        };
        if n as u64 >= limits.rows {
            let e = crate::Exceeded::Rows { limit: limits.rows };
            return Err(passed(lines.at(at), e));
        }
        if n % 1024 == 1023 && stop() {
            return Err(passed(lines.at(at), crate::Exceeded::Stopped));
        }
        match row {
            Ok(row) => {
                let line = lines.at(at);
                cells += row.len() as u64;
                if cells > limits.cells {
                    let e = crate::Exceeded::Cells {
                        where_: "the CSV file".into(),
                        rows: n as u64 + 1,
                        columns: header.len() as u64,
                        limit: limits.cells,
                    };
                    return Err(passed(line, e));
                }
                if row.len() > header.len() {
                    problems.push(format!(
                        "{line}: {} cells, but the header names {} columns",
                        row.len(),
                        header.len()
                    ));
                    continue;
                }
                rows.push((line, row.iter().map(Cell::text).collect()));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.at(p.byte() as usize));
                problems.push(format!("{line}: {e}"));
            }
        }
    }
    let read = records(
        kind,
        Table {
            header_row: 1,
            header,
            rows,
            locate: &|line, _| line.to_string(),
        },
    );
    match read {
        Ok(rows) if problems.is_empty() => Ok(rows),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

/// Turns a table of `kind` into records' JSON, each with its row; every problem at once.
pub fn records(kind: RecordKind, table: Table<'_>) -> Result<Vec<(usize, Value)>, Vec<String>> {
    let locate = table.locate;
    let map = header_map(kind, &table.header).map_err(|problems| {
        problems
            .into_iter()
            .map(|(i, m)| format!("{}: {m}", locate(table.header_row, i)))
            .collect::<Vec<_>>()
    })?;
    let mut problems = Vec::new();
    // One number convention per column, decided from the text cells that say which.
    let conventions: Vec<Convention> = map
        .iter()
        .enumerate()
        .map(|(i, ((_, _, ty), header))| {
            if !matches!(ty, Ty::Int | Ty::Num) {
                return Convention::Auto;
            }
            let cells: Vec<&str> = table
                .rows
                .iter()
                .filter_map(|(_, r)| r.get(i))
                .filter(|c| c.number.is_none())
                .map(|c| c.text.as_str())
                .collect();
            convention_of(&cells).unwrap_or_else(|e| {
                problems.push(format!(
                    "{}: column {header:?}: {e}",
                    locate(table.header_row, i)
                ));
                Convention::Auto
            })
        })
        .collect();
    let mut out = Vec::with_capacity(table.rows.len());
    for (row, cells) in table.rows {
        let mut object = Value::Object(Map::new());
        for (i, cell) in cells.iter().enumerate() {
            let Some(((path, _, ty), header)) = map.get(i) else {
                continue;
            };
            if cell.text.is_empty() || path.is_empty() {
                continue;
            }
            let typed = crate::fields(kind)
                .iter()
                .find(|f| f.json == *path)
                .filter(|f| {
                    use crate::Shape;
                    matches!(
                        f.shape,
                        Shape::Date | Shape::Choice(_) | Shape::Period | Shape::Province
                    )
                });
            let read = match (typed, ty) {
                // Dates, choices, periods and provinces in the forms offices write them.
                (Some(f), Ty::Text) => {
                    crate::parse(f.shape, &cell.text).map_err(|m| format!("{:?} {m}", cell.text))
                }
                (Some(f), Ty::List) => cell
                    .text
                    .split(';')
                    .filter(|p| !p.trim().is_empty())
                    .map(|p| crate::parse(f.shape, p).map_err(|m| format!("{:?} {m}", p.trim())))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array),
                _ => cell_value(*ty, path, cell, conventions[i]),
            };
            if read.is_ok() && typed.is_some() {
                crate::imply(kind, path, &cell.text, &mut object);
            }
            match read {
                Ok(value) => insert(&mut object, path, value),
                Err(m) if search_key(header) == search_key(path) => {
                    problems.push(format!("{}: {header}: {m}", locate(row, i)));
                }
                Err(m) => problems.push(format!("{}: {header} ({path}): {m}", locate(row, i))),
            }
        }
        out.push((row, object));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A cell's JSON for a column of type `ty` at `path`, or what is wrong with it.
fn cell_value(ty: Ty, path: &str, cell: &Cell, convention: Convention) -> Result<Value, String> {
    // A spreadsheet's number is exact: no convention to apply.
    if let (Some(n), Ty::Int | Ty::Num) = (cell.number, ty) {
        return match ty {
            Ty::Int if n.fract() == 0.0 && n.abs() < 9.0e15 => Ok(Value::from(n as i64)),
            Ty::Int => Err(format!("{n} is not a whole number")),
            _ => Decimal::parse(&format!("{n}"), Convention::English)
                .map(|d| serde_json::to_value(d).unwrap_or(Value::Null))
                .map_err(|e| e.to_string()),
        };
    }
    let cell = cell.text.as_str();
    Ok(match ty {
        Ty::Text if path == "indicator" => {
            Value::String(indicator_by_name(cell).unwrap_or(cell).to_string())
        }
        Ty::Text => Value::String(cell.to_string()),
        Ty::Num => match Decimal::parse(cell, convention) {
            Ok(d) => serde_json::to_value(d).unwrap_or(Value::Null),
            Err(_) => return Err(format!("{cell:?} is not a number (e.g. 98,66 or 1.272)")),
        },
        Ty::Int => match grouped_whole(cell)
            .map(Ok)
            .unwrap_or_else(|| Decimal::parse(cell, convention))
        {
            Ok(d) if d == d.round(0) => Value::from(d.round(0).units()),
            _ => {
                return Err(format!(
                    "{cell:?} is not a whole number (e.g. 2024, or 1.272 for a count)"
                ));
            }
        },
        Ty::List => Value::Array(
            cell.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.into()))
                .collect(),
        ),
        Ty::Json => serde_json::from_str(cell).map_err(|e| format!("not JSON: {e}"))?,
    })
}

fn insert(object: &mut Value, path: &str, value: Value) {
    let mut target = object;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let Value::Object(map) = target else { return };
        if i + 1 == parts.len() {
            map.insert((*part).to_string(), value);
            return;
        }
        target = map
            .entry((*part).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

/// One column of an export: the JSON path, the header, its type, and whether it shows the
/// name beside a code (a province's or an indicator's, in Vietnamese exports).
pub struct OutColumn {
    path: &'static str,
    /// The header written for it.
    pub header: &'static str,
    ty: Ty,
    name: bool,
}

impl OutColumn {
    /// Whether the column holds numbers.
    pub fn numeric(&self) -> bool {
        matches!(self.ty, Ty::Int | Ty::Num) && !self.name
    }

    /// The column's JSON value in `record`, if it has one.
    pub fn value<'v>(&self, record: &'v Value) -> Option<&'v Value> {
        self.path
            .split('.')
            .try_fold(record, |v, p| v.get(p))
            .filter(|v| !v.is_null())
    }

    /// The cell's text for `record`.
    pub fn text(&self, record: &Value) -> String {
        match self.value(record) {
            Some(Value::String(code)) if self.name => name_of(self.path, code),
            _ if self.name => String::new(),
            None => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(items)) if self.ty == Ty::List => items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join("; "),
            Some(other) => other.to_string(),
        }
    }
}

/// The columns an export of `kind` writes: Vietnamese ones add the names beside the codes.
pub fn out_columns(kind: RecordKind, vietnamese: bool) -> Vec<OutColumn> {
    let mut out = Vec::new();
    for (en, vi, ty) in columns(kind) {
        out.push(OutColumn {
            path: en,
            header: if vietnamese { vi } else { en },
            ty: *ty,
            name: false,
        });
        if vietnamese
            && let Some((_, _, _, name)) = NAME_COLUMNS
                .iter()
                .find(|(k, beside, _, _)| k.is_none_or(|k| k == kind) && beside == en)
        {
            out.push(OutColumn {
                path: en,
                header: name,
                ty: Ty::Text,
                name: true,
            });
        }
    }
    out
}

/// Writes records' JSON of `kind` as CSV, with English or Vietnamese headers, behind a
/// byte-order mark so that Excel reads the file as UTF-8 (it shows Vietnamese as mojibake
/// otherwise). Vietnamese exports add the province's and indicator's names beside their codes.
/// A cell a spreadsheet would take for a formula (`=…`, `@…`) is written after a `'`
/// (`danvan_core::text::spreadsheet_cell`), which [`read`] takes off again.
pub fn write(kind: RecordKind, records: &[Value], vietnamese: bool) -> Result<Vec<u8>, String> {
    let layout = out_columns(kind, vietnamese);
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(layout.iter().map(|c| c.header))
        .map_err(|e| e.to_string())?;
    for r in records {
        w.write_record(
            layout
                .iter()
                .map(|c| danvan_core::text::spreadsheet_cell(&c.text(r)).into_owned()),
        )
        .map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_file_names() {
        assert_eq!(
            kind_of_file(Path::new("models.csv")),
            Some(RecordKind::Model)
        );
        assert_eq!(
            kind_of_file(Path::new("Mô hình 2024.csv")),
            Some(RecordKind::Model)
        );
        assert_eq!(
            kind_of_file(Path::new("so-lieu_tn.csv")),
            Some(RecordKind::Observation)
        );
        assert_eq!(kind_of_file(Path::new("data.csv")), None);
    }

    #[test]
    fn vietnamese_headers_and_numbers() {
        let text = "Mã,Chỉ tiêu,Tỉnh,Kỳ báo cáo,Tử số,Mẫu số,Tỷ lệ công bố\nx,complaints_resolved,Thái Nguyên,2024S1,1.272,1.337,trên 95%\n";
        let rows = read(RecordKind::Observation, text).unwrap();
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1["numerator"], 1272);
        assert_eq!(rows[0].1["stated"], "trên 95%");
        let err = read(RecordKind::Observation, "Mã,Màu\nx,đỏ\n").unwrap_err();
        assert!(err[0].starts_with("1: unknown column \"Màu\""), "{err:?}");
        let err = read(RecordKind::Observation, "id,numerator\nx,12a\n").unwrap_err();
        assert_eq!(
            err,
            ["2: numerator: \"12a\" is not a whole number (e.g. 2024, or 1.272 for a count)"]
        );
    }

    #[test]
    fn spreadsheets_as_excel_writes_them() {
        // A byte-order mark, CRLF line ends, semicolons: the bad row is reported at its line.
        let text = "\u{feff}Mã;Chỉ tiêu;Tỉnh;Kỳ báo cáo;Tử số;Mẫu số\r\n\
                    a;complaints_resolved;Thái Nguyên;2024S1;1.272;1.337\r\n\
                    b;complaints_resolved;Thái Nguyên;2024S2;12x;1.337\r\n\
                    c;complaints_resolved;Thái Nguyên;2023;;abc\r\n";
        assert_eq!(
            read(RecordKind::Observation, text).unwrap_err(),
            [
                "3: Tử số (numerator): \"12x\" is not a whole number (e.g. 2024, or 1.272 for a count)",
                "4: Mẫu số (denominator): \"abc\" is not a whole number (e.g. 2024, or 1.272 for a count)"
            ]
        );
        let good = text.split("\r\n").take(2).collect::<Vec<_>>().join("\r\n") + "\r\n";
        let rows = read(RecordKind::Observation, &good).unwrap();
        assert_eq!(
            (rows[0].0, &rows[0].1["numerator"]),
            (2, &serde_json::json!(1272))
        );
        // Tabs, and whole numbers grouped either way.
        let rows = read(
            RecordKind::Observation,
            "id\tnumerator\tdenominator\r\nx\t1,272\t1.337\r\n",
        )
        .unwrap();
        assert_eq!(rows[0].1["numerator"], 1272);
        assert_eq!(rows[0].1["denominator"], 1337);
        // A quoted cell over two lines: the next record is still at its true line.
        let rows = read(
            RecordKind::Model,
            "id,name\r\nm1,\"Dân vận khéo\r\nthôn Na Mao\"\r\nm2,Mô hình\r\n",
        )
        .unwrap();
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 4]);
    }

    #[test]
    fn one_number_convention_per_column() {
        let rows = read(RecordKind::Observation, "id,value\na,98.5\nb,1.272\n").unwrap();
        // 98.5 says the column writes a decimal point, so 1.272 is one and a bit.
        assert_eq!(rows[1].1["value"], serde_json::json!(1.272));
        let rows = read(RecordKind::Observation, "id,value\na,98,5\nb,1.272\n");
        assert!(rows.is_err(), "a bare comma splits cells in a comma file");
        let rows = read(RecordKind::Observation, "id;value\na;98,5\nb;1.272\n").unwrap();
        assert_eq!(rows[1].1["value"], 1272);
        let err = read(RecordKind::Observation, "id;value\na;98,5\nb;97.25\n").unwrap_err();
        assert_eq!(
            err,
            [
                "1: column \"value\": mixes number conventions: \"98,5\" has a decimal comma, \"97.25\" a decimal point; write the whole column one way"
            ]
        );
    }

    #[test]
    fn vietnamese_exports_show_names_and_read_back() {
        let records = [serde_json::json!({
            "id": "tn-2024", "indicator": "complaints_resolved", "province": "thai-nguyen",
            "period": "2024", "numerator": 1272, "denominator": 1337})];
        let bytes = write(RecordKind::Observation, &records, true).unwrap();
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "a byte-order mark for Excel"
        );
        let text = String::from_utf8(bytes).unwrap();
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        let header = lines.next().unwrap();
        assert!(
            header.starts_with("Mã,Chỉ tiêu,Tên chỉ tiêu,Tỉnh,Tên tỉnh,"),
            "{header}"
        );
        let row = lines.next().unwrap();
        assert!(row.contains("thai-nguyen,Thái Nguyên"), "{row}");
        let back = read(RecordKind::Observation, &text).unwrap();
        assert_eq!(back[0].1["indicator"], "complaints_resolved");
        assert_eq!(back[0].1.get("indicator_name"), None);
        assert_eq!(back[0].1["numerator"], 1272);
    }

    #[test]
    fn indicators_by_name() {
        let name = danvan_core::indicator::builtin("complaints_resolved")
            .unwrap()
            .name_vi
            .to_string();
        let text = format!("Mã,Chỉ tiêu\nx,\"{}\"\n", name.to_uppercase());
        let rows = read(RecordKind::Observation, &text).unwrap();
        assert_eq!(rows[0].1["indicator"], "complaints_resolved");
    }

    #[test]
    fn separators_are_found_in_the_header() {
        assert_eq!(delimiter("a,b,c\n"), b',');
        assert_eq!(delimiter("Mã;Tên mô hình;\"Ghi chú, khác\"\n"), b';');
        assert_eq!(delimiter("a\tb\n"), b'\t');
        assert_eq!(delimiter(""), b',');
    }

    #[test]
    fn older_exports_are_read() {
        // A conference export from before several hosts: one `host` column.
        let rows = read(RecordKind::Conference, "id,host\nc1,Ban Dân vận Tỉnh ủy\n").unwrap();
        assert_eq!(
            rows[0].1["hosts"],
            serde_json::json!(["Ban Dân vận Tỉnh ủy"])
        );
    }

    #[test]
    fn a_csv_file_is_held_to_its_limits_and_stops_when_asked() {
        let mut text = String::from("Mã;Tên mô hình;Tỉnh\r\n");
        for i in 0..3000 {
            text.push_str(&format!("m-{i};\"Mô hình\r\nnhiều dòng\";Thái Nguyên\r\n"));
        }
        let limits = crate::Limits {
            rows: 2500,
            ..crate::Limits::UPLOAD
        };
        // Each record takes two lines: the 2,501st begins on line 5,002.
        let e = read_within(RecordKind::Model, &text, &limits, &|| false).unwrap_err();
        assert_eq!(
            e,
            ["5002: the file holds more than 2500 rows of data: split it into smaller files"]
        );
        let limits = crate::Limits {
            cells: 5000,
            ..crate::Limits::UPLOAD
        };
        let e = read_within(RecordKind::Model, &text, &limits, &|| false).unwrap_err();
        assert!(
            e[0].starts_with("3334: the CSV file: its cells span 1667 rows by 3 columns"),
            "{e:?}"
        );
        let e =
            read_within(RecordKind::Model, &text, &crate::Limits::UPLOAD, &|| true).unwrap_err();
        assert_eq!(
            e,
            ["2048: reading the file was stopped before it ended (it took too long)"]
        );
    }
}
