//! CSV files of one record kind, with English or Vietnamese headers.
//!
//! Offices keep lists in spreadsheets, so each kind has a fixed set of columns, named in
//! English (`numerator`) or Vietnamese (`Tử số`); headers match ignoring case and diacritics.
//! Lists are written `a; b`, nested fields as dotted columns (`format.mode`), and lists of
//! objects (a directive's milestones, a conference's chairs) as JSON in the cell. Numbers may
//! use either convention (`1.272`, `98,66`). The kind comes from the file name:
//! `models.csv`, `mo-hinh.csv`, `observations-2024.csv`.

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
        RecordKind::Model => &[
            ("id", "Mã", Text),
            ("name", "Tên mô hình", Text),
            ("province", "Tỉnh", Text),
            ("owning_unit", "Đơn vị xây dựng", Text),
            ("field", "Lĩnh vực", Text),
            ("kind", "Loại", Text),
            ("start_year", "Năm bắt đầu", Int),
            ("status", "Trạng thái", Text),
            ("recognition.date", "Ngày công nhận", Text),
            ("recognition.decision", "Quyết định công nhận", Text),
            ("recognition.level", "Cấp công nhận", Text),
            ("recognition.by", "Cơ quan công nhận", Text),
            ("description", "Mô tả", Text),
        ],
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
        ],
        RecordKind::Conference => &[
            ("id", "Mã", Text),
            ("kinds", "Loại hội nghị", List),
            ("title", "Tên hội nghị", Text),
            ("date", "Ngày", Text),
            ("date_precision", "Độ chính xác của ngày", Text),
            ("end_date", "Ngày kết thúc", Text),
            ("province", "Tỉnh", Text),
            ("hosts", "Đơn vị chủ trì", List),
            ("chairs", "Chủ trì", Json),
            ("attendees", "Thành phần dự", Json),
            ("participating_units", "Thành phần", List),
            ("emulation_cluster", "Cụm thi đua", Text),
            ("format.mode", "Hình thức", Text),
            ("format.connection_points", "Số điểm cầu", Int),
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

/// Column names of older exports, folded, and the column each now is: a conference had one
/// `host` before it could have several.
const OLDER_NAMES: &[(RecordKind, &str, &str)] = &[(RecordKind::Conference, "host", "hosts")];

/// The record kind a CSV file holds, from its name (English or Vietnamese, singular or
/// plural, with anything after a `-` or `_`).
pub(crate) fn kind_of_file(path: &Path) -> Option<RecordKind> {
    let stem = slugify(path.file_stem()?.to_str()?);
    let names: [(&str, RecordKind); 10] = [
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

/// Reads a CSV of `kind` into records' JSON, each with its 1-based line. Errors say
/// `line: column: message` (the caller adds the file).
pub(crate) fn read(kind: RecordKind, text: &str) -> Result<Vec<(usize, Value)>, String> {
    let cols = columns(kind);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("1: {e}"))?.clone();
    let mut map: Vec<&Col> = Vec::with_capacity(headers.len());
    for h in headers.iter() {
        let key = search_key(h);
        // Columns renamed since files were first exported keep being read.
        let key = OLDER_NAMES
            .iter()
            .find(|(k, old, _)| *k == kind && *old == key)
            .map_or(key.clone(), |(_, _, new)| (*new).to_string());
        let col = cols
            .iter()
            .find(|(en, vi, _)| search_key(en) == key || search_key(vi) == key)
            .ok_or_else(|| {
                let known: Vec<&str> = cols.iter().map(|c| c.0).collect();
                format!(
                    "1: unknown column {h:?} for {}; the columns are {}",
                    kind.plural(),
                    known.join(", ")
                )
            })?;
        map.push(col);
    }
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            format!("{line}: {e}")
        })?;
        let line = row.position().map_or(0, |p| p.line() as usize);
        let mut object = Value::Object(Map::new());
        for (cell, (path, _, ty)) in row.iter().zip(&map) {
            if cell.is_empty() {
                continue;
            }
            let value = match ty {
                Ty::Text => Value::String(cell.to_string()),
                Ty::Num => Value::String(cell.to_string()),
                Ty::Int => match Decimal::parse(cell, Convention::Auto) {
                    Ok(d) if d.scale() == 0 || d == d.round(0) => Value::from(d.round(0).units()),
                    _ => return Err(format!("{line}: {path}: {cell:?} is not a whole number")),
                },
                Ty::List => Value::Array(
                    cell.split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| Value::String(s.into()))
                        .collect(),
                ),
                Ty::Json => serde_json::from_str(cell)
                    .map_err(|e| format!("{line}: {path}: not JSON: {e}"))?,
            };
            insert(&mut object, path, value);
        }
        out.push((line, object));
    }
    Ok(out)
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

/// Writes records' JSON of `kind` as CSV, with English or Vietnamese headers.
pub(crate) fn write(
    kind: RecordKind,
    records: &[Value],
    vietnamese: bool,
) -> Result<Vec<u8>, String> {
    let cols = columns(kind);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(
        cols.iter()
            .map(|(en, vi, _)| if vietnamese { *vi } else { *en }),
    )
    .map_err(|e| e.to_string())?;
    for r in records {
        let cells: Vec<String> = cols
            .iter()
            .map(|(path, _, ty)| {
                let v = path.split('.').try_fold(r, |v, p| v.get(p));
                match (v, ty) {
                    (None | Some(Value::Null), _) => String::new(),
                    (Some(Value::String(s)), _) => s.clone(),
                    (Some(Value::Array(items)), Ty::List) => items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                        .collect::<Vec<_>>()
                        .join("; "),
                    (Some(other), _) => other.to_string(),
                }
            })
            .collect();
        w.write_record(&cells).map_err(|e| e.to_string())?;
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
        assert!(err.starts_with("1: unknown column \"Màu\""), "{err}");
        let err = read(RecordKind::Observation, "id,numerator\nx,12a\n").unwrap_err();
        assert_eq!(err, "2: numerator: \"12a\" is not a whole number");
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
}
