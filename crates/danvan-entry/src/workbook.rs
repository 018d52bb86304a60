//! Workbooks (`.xlsx`, also `.xls` and `.ods` on import): one sheet per record kind, with the
//! columns of the CSV files (`csvio`), read with calamine and written with rust_xlsxwriter.
//!
//! A sheet's kind comes from its name (`Hội nghị`, `conferences`, `Số liệu 2024`), else from
//! `--kind`, else from the file's name. Number and date cells are taken as the numbers and days
//! they are, so no number convention applies to them; text cells are read as in a CSV file.
//! Every problem names its sheet and cell (`sheet "Số liệu", E5`). Exports write one sheet per
//! kind with a bold, frozen header row, a filter, and numbers as numbers.

use std::path::Path;

use calamine::{Data, DataType, Reader};
use danvan_core::record_kind::RecordKind;
use serde_json::Value;

use crate::sheet::{Cell, Table};

/// A record's JSON read from a workbook, with its kind and where it is (`sheet "…", row 4`).
pub type Read = (RecordKind, String, Value);

/// Column letters: 0 → A, 25 → Z, 26 → AA.
fn column_letter(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A cell as the table reader takes it.
fn cell(data: &Data) -> Result<Cell, String> {
    let number = |n: f64| Cell {
        text: if n.fract() == 0.0 && n.abs() < 9.0e15 {
            format!("{}", n as i64)
        } else {
            format!("{n}")
        },
        number: Some(n),
    };
    Ok(match data {
        Data::Empty => Cell::default(),
        Data::String(s) => Cell {
            text: s.trim().to_string(),
            number: None,
        },
        Data::Int(i) => number(*i as f64),
        Data::Float(f) => number(*f),
        Data::Bool(b) => Cell {
            text: b.to_string(),
            number: None,
        },
        Data::DateTime(_) | Data::DateTimeIso(_) => match data.as_date() {
            Some(d) => Cell {
                text: d.to_string(),
                number: None,
            },
            None => return Err("a date cell that is not a day".into()),
        },
        Data::DurationIso(s) => Cell {
            text: s.clone(),
            number: None,
        },
        Data::Error(e) => return Err(format!("the cell holds an Excel error ({e})")),
    })
}

/// Reads every non-empty sheet of the workbook `bytes` (named `name` in messages) into
/// records' JSON; `kind` is the kind of sheets whose name does not say one. Every problem in
/// every sheet is returned at once.
pub fn read(
    path: &Path,
    bytes: Vec<u8>,
    kind: Option<RecordKind>,
) -> Result<Vec<Read>, Vec<String>> {
    read_within(path, bytes, kind, &crate::Limits::LOCAL, &|| false)
}

/// [`read`], refusing a workbook past `limits` — its parts are scanned as they inflate
/// (`limits::check_workbook`) before the workbook is opened — and giving up when `stop` says
/// so (asked every thousand rows).
pub fn read_within(
    path: &Path,
    bytes: Vec<u8>,
    kind: Option<RecordKind>,
    limits: &crate::Limits,
    stop: &dyn Fn() -> bool,
) -> Result<Vec<Read>, Vec<String>> {
    let one = |e: crate::Exceeded| vec![e.to_string()];
    if bytes.starts_with(b"PK") {
        crate::limits::check_workbook(&bytes, limits, stop).map_err(one)?;
    } else if !limits.binary_workbooks {
        return Err(one(crate::Exceeded::BinaryWorkbook));
    }
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| vec![format!("not a workbook Excel or LibreOffice can open: {e}")])?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for sheet in book.sheet_names() {
        let range = match book.worksheet_range(&sheet) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("sheet {sheet:?}: cannot be read: {e}"));
                continue;
            }
        };
        let Some((row0, col0)) = range.start() else {
            continue; // an empty sheet
        };
        // A template's guide and lists hold no records.
        if GUIDE_SHEETS
            .iter()
            .any(|g| danvan_core::text::search_key(g) == danvan_core::text::search_key(&sheet))
        {
            continue;
        }
        let Some(sheet_kind) = crate::sheet::kind_of_name(&sheet)
            .or(kind)
            .or_else(|| crate::sheet::kind_of_file(path))
        else {
            problems.push(format!(
                "sheet {sheet:?}: which kind of record does it hold? Name the sheet after its kind (Hội nghị, Văn bản, Mô hình, Chỉ tiêu, Số liệu) or pass --kind"
            ));
            continue;
        };
        let (row0, col0) = (row0 as usize, col0 as usize);
        let locate = |row: usize, column: usize| {
            format!("sheet {sheet:?}, {}{row}", column_letter(col0 + column))
        };
        let mut rows = range.rows().enumerate();
        let header: Vec<String> = match rows.next() {
            Some((_, cells)) => cells
                .iter()
                .map(|c| c.as_string().unwrap_or_default().trim().to_string())
                .collect(),
            None => continue,
        };
        let mut table_rows = Vec::new();
        for (i, cells) in rows {
            if i % 1024 == 1023 && stop() {
                return Err(one(crate::Exceeded::Stopped));
            }
            let row = row0 + i + 1;
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            let mut read = Vec::with_capacity(cells.len());
            for (j, c) in cells.iter().enumerate() {
                match self::cell(c) {
                    Ok(c) => read.push(c),
                    Err(m) => {
                        problems.push(format!("{}: {m}", locate(row, j)));
                        read.push(Cell::default());
                    }
                }
            }
            table_rows.push((row, read));
        }
        let table = Table {
            header_row: row0 + 1,
            header,
            rows: table_rows,
            locate: &locate,
        };
        match crate::sheet::records(sheet_kind, table) {
            Ok(records) => out.extend(
                records
                    .into_iter()
                    .map(|(row, v)| (sheet_kind, format!("sheet {sheet:?}, row {row}"), v)),
            ),
            Err(more) => problems.extend(more),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The sheet name of `kind`'s records.
fn sheet_name(kind: RecordKind, vietnamese: bool) -> &'static str {
    match (kind, vietnamese) {
        (RecordKind::Conference, true) => "Hội nghị",
        (RecordKind::Directive, true) => "Văn bản",
        (RecordKind::Model, true) => "Mô hình",
        (RecordKind::Indicator, true) => "Chỉ tiêu",
        (RecordKind::Observation, true) => "Số liệu",
        (RecordKind::Unit, true) => "Đơn vị",
        (RecordKind::Award, true) => "Khen thưởng",
        (RecordKind::Form, true) => "Biểu mẫu",
        (RecordKind::Submission, true) => "Báo cáo đơn vị",
        (RecordKind::Target, true) => "Mục tiêu",
        (kind, false) => kind.plural(),
    }
}

/// A workbook with one sheet per kind in `records` (records' JSON by kind), headers in
/// Vietnamese or English.
pub fn write(records: &[(RecordKind, Vec<Value>)], vietnamese: bool) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    // Text a spreadsheet would take for a formula is marked as text ("quote prefix"): shown
    // and read back as written, never evaluated.
    let text_only = Format::new().set_quote_prefix();
    for (kind, values) in records {
        let columns = crate::sheet::out_columns(*kind, vietnamese);
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(*kind, vietnamese)).map_err(err)?;
        for (c, column) in columns.iter().enumerate() {
            let c = c as u16;
            sheet
                .write_string_with_format(0, c, column.header, &bold)
                .map_err(err)?;
            let widest = values
                .iter()
                .map(|v| column.text(v).chars().count())
                .chain([column.header.chars().count()])
                .max()
                .unwrap_or(8);
            sheet
                .set_column_width(c, widest.clamp(6, 60) as f64 + 2.0)
                .map_err(err)?;
        }
        for (r, value) in values.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, column) in columns.iter().enumerate() {
                let c = c as u16;
                match column.value(value) {
                    Some(Value::Number(n)) if column.numeric() => {
                        sheet
                            .write_number(r, c, n.as_f64().unwrap_or_default())
                            .map_err(err)?;
                    }
                    _ => {
                        let text = column.text(value);
                        let formula_like = danvan_core::text::spreadsheet_cell(&text) != text;
                        if formula_like {
                            sheet
                                .write_string_with_format(r, c, text, &text_only)
                                .map_err(err)?;
                        } else if !text.is_empty() {
                            sheet.write_string(r, c, text).map_err(err)?;
                        }
                    }
                }
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(err)?;
        if !columns.is_empty() {
            let last_row = values.len() as u32;
            sheet
                .autofilter(0, 0, last_row, columns.len() as u16 - 1)
                .map_err(err)?;
        }
    }
    book.save_to_buffer().map_err(err)
}

/// The names of the sheets of a [`template`] that hold no records: the reader passes over
/// them.
pub const GUIDE_SHEETS: [&str; 4] = ["Hướng dẫn", "Danh mục", "Instructions", "Lists"];

/// How many rows of a [`template`]'s sheet offer its drop-down lists.
const TEMPLATE_ROWS: u32 = 2000;

/// The values a template's column offers in a drop-down list, by their Vietnamese names: a
/// choice's names, yes or no, the provinces on `today`, the built-in indicators.
fn offered(kind: RecordKind, path: &str, today: chrono::NaiveDate) -> Vec<String> {
    if kind == RecordKind::Observation && path == "indicator" {
        return danvan_core::indicator::catalogue()
            .iter()
            .map(|d| d.name_vi.to_string())
            .collect();
    }
    match crate::field(kind, path).map(|f| f.shape) {
        Some(crate::Shape::Choice(list)) => list
            .iter()
            .filter_map(|(_, names)| names.first().map(|n| (*n).to_string()))
            .collect(),
        Some(crate::Shape::Bool) => vec!["có".into(), "không".into()],
        Some(crate::Shape::Province) => {
            let mut names: Vec<String> = danvan_core::province::registry()
                .valid_at(today)
                .map(|p| p.name_vi().to_string())
                .collect();
            danvan_core::text::sort_by_key(&mut names, String::as_str);
            names
        }
        _ => Vec::new(),
    }
}

/// An empty workbook for a clerk to fill with records of `kind` and import: the sheet named
/// after the kind with its Vietnamese headers (bold, frozen), each column's example shown
/// when its cell is chosen, drop-down lists of the allowed values (by name, from a sheet
/// "Danh mục"; another value is warned about, not refused, since the reader also takes codes),
/// and a sheet "Hướng dẫn" with an example row and what each column takes. The `Mã` column
/// may be left empty: each row then gets the ID its content suggests. Nothing in it is a
/// record until the clerk writes one.
pub fn template(kind: RecordKind, today: chrono::NaiveDate) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Formula, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let columns = crate::sheet::in_columns(kind);
    let example = |path: &str| example(kind, path);
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let data = book.add_worksheet();
    data.set_name(sheet_name(kind, true)).map_err(err)?;
    let mut lists: Vec<(usize, Vec<String>)> = Vec::new();
    for (c, (path, header)) in columns.iter().enumerate() {
        let col = c as u16;
        data.write_string_with_format(0, col, *header, &bold)
            .map_err(err)?;
        data.set_column_width(col, header.chars().count().clamp(10, 40) as f64 + 4.0)
            .map_err(err)?;
        let mut message = match example(path) {
            e if e.is_empty() && *path == "id" => {
                "Để trống: danvan tự đặt mã theo nội dung dòng.".to_string()
            }
            e if e.is_empty() => String::new(),
            e => format!("Ví dụ: {e}"),
        };
        let values = offered(kind, path, today);
        let mut validation = DataValidation::new();
        if !values.is_empty() {
            let first = lists.len();
            let letter = column_letter(first);
            let range = format!("='Danh mục'!${letter}$2:${letter}${}", values.len() + 1);
            validation = validation
                .allow_list_formula(Formula::new(range))
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title("Giá trị ngoài danh mục")
                .map_err(err)?
                .set_error_message("Giá trị này không có trong danh mục. Vẫn giữ?")
                .map_err(err)?;
            if !message.is_empty() {
                message.push('\n');
            }
            message.push_str("Chọn trong danh sách.");
            lists.push((c, values));
        }
        if message.is_empty() && lists.last().is_none_or(|(l, _)| *l != c) {
            continue;
        }
        let message: String = message.chars().take(255).collect();
        let title: String = header.chars().take(32).collect();
        validation = validation
            .set_input_title(title)
            .map_err(err)?
            .set_input_message(message)
            .map_err(err)?;
        data.add_data_validation(1, col, TEMPLATE_ROWS, col, &validation)
            .map_err(err)?;
    }
    data.set_freeze_panes(1, 0).map_err(err)?;
    guide_sheet(&mut book, kind, &columns).map_err(err)?;
    lists_sheet(&mut book, &columns, &lists).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// The example a template shows for a column: the field's own, the first indicator's name;
/// none for the ID (left empty, it is made).
fn example(kind: RecordKind, path: &str) -> String {
    match (kind, path) {
        (_, "id") => String::new(),
        (RecordKind::Observation, "indicator") => danvan_core::indicator::catalogue()
            .first()
            .map_or_else(String::new, |d| d.name_vi.to_string()),
        _ => crate::field(kind, path).map_or_else(String::new, |f| f.example.to_string()),
    }
}

/// A template's sheet "Hướng dẫn": how to fill it, and an example row, a column a line.
fn guide_sheet(
    book: &mut rust_xlsxwriter::Workbook,
    kind: RecordKind,
    columns: &[(&'static str, &'static str)],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::Format;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let guide = book.add_worksheet();
    guide.set_name("Hướng dẫn")?;
    guide.set_column_width(0, 28)?;
    guide.set_column_width(1, 60)?;
    let lines = [
        format!(
            "Mẫu nhập {}: mỗi dòng của trang “{}” là một bản ghi.",
            sheet_name(kind, true).to_lowercase(),
            sheet_name(kind, true)
        ),
        "Giữ nguyên dòng tiêu đề. Ô có danh sách: bấm vào ô để chọn. Cột “Mã” để trống thì danvan tự đặt mã; nhập lại cùng tệp sẽ cập nhật, không tạo bản ghi trùng.".to_string(),
        "Ngày viết như 22/6/2025; số như 1.272; tỷ lệ như 98,66%; kỳ báo cáo như “6 tháng đầu năm 2025”, “quý II/2025”, “tháng 6/2025”, “năm 2025”.".to_string(),
        "Chưa có số liệu thì để trống ô (không ghi 0). Trang “Hướng dẫn” và “Danh mục” không được nhập.".to_string(),
    ];
    for (r, line) in lines.iter().enumerate() {
        guide.write_string_with_format(r as u32, 0, line, if r == 0 { &bold } else { &wrap })?;
    }
    let top = lines.len() as u32 + 1;
    guide.write_string_with_format(top, 0, "Cột", &bold)?;
    guide.write_string_with_format(top, 1, "Ví dụ (một dòng mẫu)", &bold)?;
    for (r, (path, header)) in columns.iter().enumerate() {
        let r = top + 1 + r as u32;
        guide.write_string(r, 0, *header)?;
        guide.write_string_with_format(r, 1, example(kind, path), &wrap)?;
    }
    Ok(())
}

/// A template's sheet "Danh mục": each drop-down list's values under its column's header.
fn lists_sheet(
    book: &mut rust_xlsxwriter::Workbook,
    columns: &[(&'static str, &'static str)],
    lists: &[(usize, Vec<String>)],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let list_sheet = book.add_worksheet();
    list_sheet.set_name("Danh mục")?;
    for (i, (c, values)) in lists.iter().enumerate() {
        let col = i as u16;
        list_sheet.write_string_with_format(0, col, columns[*c].1, &bold)?;
        list_sheet.set_column_width(
            col,
            values
                .iter()
                .map(|v| v.chars().count())
                .max()
                .unwrap_or(10)
                .clamp(10, 60) as f64
                + 2.0,
        )?;
        for (r, v) in values.iter().enumerate() {
            list_sheet.write_string(r as u32 + 1, col, v)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A part of an XLSX file, as text.
    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    }

    #[test]
    fn a_template_offers_the_allowed_values_and_reads_back_once_filled() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let bytes = template(RecordKind::Observation, today).unwrap();
        let mut opened =
            calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
        assert_eq!(opened.sheet_names(), ["Số liệu", "Hướng dẫn", "Danh mục"]);
        let headers: Vec<String> = opened
            .worksheet_range("Số liệu")
            .unwrap()
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let expected: Vec<&str> = crate::sheet::in_columns(RecordKind::Observation)
            .iter()
            .map(|(_, h)| *h)
            .collect();
        assert_eq!(headers, expected);
        let lists = opened.worksheet_range("Danh mục").unwrap();
        let listed: Vec<String> = lists.cells().map(|(_, _, c)| c.to_string()).collect();
        for wanted in ["Tỉnh", "Thái Nguyên", "Hồ Chí Minh", "huyện", "Cấp đơn vị"] {
            assert!(
                listed.iter().any(|l| l == wanted),
                "{wanted} not in {listed:?}"
            );
        }
        // Merged away on 1 July 2025: not offered.
        assert!(!listed.iter().any(|l| l == "Bắc Kạn"), "{listed:?}");
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<dataValidation "), "{sheet}");
        assert!(sheet.contains("Danh mục"), "{sheet}");
        // The unfilled template holds no record.
        assert_eq!(
            read(Path::new("mau-so-lieu.xlsx"), bytes, None)
                .unwrap()
                .len(),
            0
        );
        // Filled as a clerk fills it: names chosen from the lists, no ID, the guide kept.
        let row: Vec<&str> = expected
            .iter()
            .map(|h| match *h {
                "Chỉ tiêu" => danvan_core::indicator::catalogue()[0].name_vi.as_ref(),
                "Tỉnh" => "Thái Nguyên",
                "Đơn vị báo cáo" => "huyện Định Hóa",
                "Cấp đơn vị" => "huyện",
                "Kỳ báo cáo" => "6 tháng đầu năm 2025",
                "Giá trị" => "12",
                _ => "",
            })
            .collect();
        let filled = book(&[
            ("Số liệu", &[expected.as_slice(), row.as_slice()]),
            ("Hướng dẫn", &[&["Mẫu nhập số liệu"], &["Cột", "Ví dụ"]]),
            ("Danh mục", &[&["Tỉnh"], &["Thái Nguyên"]]),
        ]);
        let read = read(Path::new("so-lieu.xlsx"), filled, None).unwrap();
        assert_eq!(read.len(), 1, "{read:?}");
        let (kind, at, value) = &read[0];
        assert_eq!(*kind, RecordKind::Observation);
        assert_eq!(at, "sheet \"Số liệu\", row 2");
        assert_eq!(value["province"], "thai-nguyen");
        assert_eq!(value["period"], "2025S1");
        assert_eq!(value["unit"]["level"], "district");
        assert_eq!(
            value["indicator"],
            danvan_core::indicator::catalogue()[0].id.as_str()
        );
    }

    #[test]
    fn column_letters() {
        let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letter)
            .collect();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
        );
    }

    fn book(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        for (name, rows) in sheets {
            let sheet = book.add_worksheet();
            sheet.set_name(*name).unwrap();
            for (r, row) in rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    // A cell that reads as a plain number is written as one, as Excel keeps it.
                    match cell.parse::<f64>() {
                        Ok(n) if !cell.contains(['.', ',']) => {
                            sheet.write_number(r as u32, c as u16, n).unwrap();
                        }
                        _ => {
                            sheet.write_string(r as u32, c as u16, *cell).unwrap();
                        }
                    }
                }
            }
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn sheets_by_kind_with_every_problem_at_its_cell() {
        let bytes = book(&[
            (
                "Số liệu",
                &[
                    &["Mã", "Chỉ tiêu", "Tỉnh", "Kỳ báo cáo", "Tử số", "Mẫu số"],
                    &[
                        "a",
                        "complaints_resolved",
                        "Thái Nguyên",
                        "2024",
                        "1272",
                        "1337",
                    ],
                    &[
                        "b",
                        "complaints_resolved",
                        "Thái Nguyên",
                        "2023",
                        "mười",
                        "1.337",
                    ],
                ],
            ),
            ("Ghi chú", &[]),
            (
                "Mô hình",
                &[
                    &["Mã", "Tên mô hình", "Năm bắt đầu"],
                    &["m", "Dân vận khéo", "năm ngoái"],
                ],
            ),
        ]);
        let problems = read(Path::new("bao-cao.xlsx"), bytes, None).unwrap_err();
        assert_eq!(
            problems,
            [
                "sheet \"Số liệu\", E3: Tử số (numerator): \"mười\" is not a whole number (e.g. 2024, or 1.272 for a count)",
                "sheet \"Mô hình\", C2: Năm bắt đầu (start_year): \"năm ngoái\" is not a whole number (e.g. 2024, or 1.272 for a count)",
            ]
        );
        let bytes = book(&[(
            "Sheet1",
            &[
                &[
                    "id",
                    "indicator",
                    "province",
                    "period",
                    "numerator",
                    "denominator",
                ],
                &[
                    "a",
                    "complaints_resolved",
                    "thai-nguyen",
                    "2024",
                    "1272",
                    "1.337",
                ],
            ],
        )]);
        let rows = read(Path::new("so-lieu.xlsx"), bytes.clone(), None).unwrap();
        assert_eq!(rows[0].0, RecordKind::Observation);
        assert_eq!(rows[0].1, "sheet \"Sheet1\", row 2");
        assert_eq!(rows[0].2["numerator"], 1272);
        assert_eq!(rows[0].2["denominator"], 1337);
        assert_eq!(rows[0].2["period"], "2024");
        let problems = read(Path::new("data.xlsx"), bytes, None).unwrap_err();
        assert!(
            problems[0].starts_with("sheet \"Sheet1\": which kind"),
            "{problems:?}"
        );
    }
}
