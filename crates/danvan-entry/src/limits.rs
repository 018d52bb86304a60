//! How much a spreadsheet may hold, checked while it is read — a workbook's parts before the
//! workbook reader expands them in memory — so that a small file cannot make a server use
//! gigabytes: a 1 MB workbook can hold a shared string of a gigabyte, twenty million tiny shared
//! strings, or two cells a million rows apart that the reader would fill the rectangle between.
//!
//! A workbook (`.xlsx`, `.ods`) is a zip of XML parts: each part is inflated as a stream and
//! scanned as XML as it comes, counting the bytes it expands to, the shared strings, the rows
//! and the rectangle of cells that hold a value; reading stops at the first limit passed, with
//! what was passed and by how much. Only then does the workbook reader see the file. A CSV
//! file is counted row by row as it is read.

use std::io::{BufRead, BufReader, Read};

use quick_xml::events::{BytesStart, Event};

/// How much a file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes a workbook's XML parts may expand to, all together.
    pub expanded_bytes: u64,
    /// Rows of data, every sheet together.
    pub rows: u64,
    /// Cells, every sheet together, counted as the reader holds them: each sheet's rectangle
    /// from its first row and column to the last that hold a value.
    pub cells: u64,
    /// Entries of a workbook's table of shared strings.
    pub shared_strings: u64,
    /// Whether a binary workbook (Excel 97–2003 `.xls`, Excel binary `.xlsb`) is read: its
    /// form cannot be checked before its reader sizes its tables from what the file declares.
    pub binary_workbooks: bool,
}

impl Limits {
    /// For a file uploaded to a server shared by many: 64 MiB expanded, 200,000 rows, two
    /// million cells (ten columns of each row; a sheet of that size takes a few hundred MB
    /// while it is read and checked), 500,000 shared strings; no `.xls`.
    pub const UPLOAD: Limits = Limits {
        expanded_bytes: 64 << 20,
        rows: 200_000,
        cells: 2_000_000,
        shared_strings: 500_000,
        binary_workbooks: false,
    };

    /// For a file a person imports on their own machine (`danvan import`): sixteen times the
    /// upload's.
    pub const LOCAL: Limits = Limits {
        expanded_bytes: 1 << 30,
        rows: 3_200_000,
        cells: 32_000_000,
        shared_strings: 8_000_000,
        binary_workbooks: true,
    };
}

/// A limit a file passed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Exceeded {
    /// The workbook's parts expand to more than the limit.
    #[error(
        "the workbook would take more than {} MB once opened: it is not a table of records as Excel or LibreOffice saves one; save the sheets again, or split the file",
        .limit >> 20
    )]
    ExpandedBytes {
        /// The limit, in bytes.
        limit: u64,
    },
    /// More rows than the limit.
    #[error("the file holds more than {limit} rows of data: split it into smaller files")]
    Rows {
        /// The limit.
        limit: u64,
    },
    /// A sheet's rectangle of cells, or all of them together, is larger than the limit.
    #[error(
        "{where_}: its cells span {rows} rows by {columns} columns, more than the {limit} cells a file may hold: delete the stray cells far from the table, or split the file"
    )]
    Cells {
        /// The part or sheet.
        where_: String,
        /// Rows spanned.
        rows: u64,
        /// Columns spanned.
        columns: u64,
        /// The limit.
        limit: u64,
    },
    /// More shared strings than the limit.
    #[error(
        "the workbook's table of shared strings holds more than {limit} entries: it is not a table of records as Excel or LibreOffice saves one; save it again, or split the file"
    )]
    SharedStrings {
        /// The limit.
        limit: u64,
    },
    /// A binary workbook where those are not read.
    #[error(
        "a binary workbook (Excel 97–2003 .xls, or .xlsb) cannot be checked before it is opened: save it as an Excel workbook (.xlsx) and send that"
    )]
    BinaryWorkbook,
    /// The file could not be scanned: not a zip, or damaged XML.
    #[error("{0}")]
    Unreadable(String),
    /// The caller asked to stop (the request's time ran out, or the server is shutting down).
    #[error("reading the file was stopped before it ended (it took too long)")]
    Stopped,
}

/// The parts of a workbook a scan looks at: its XML.
fn is_xml_part(name: &str) -> bool {
    name.ends_with(".xml") || name.ends_with(".rels")
}

/// A reader that fails once more than `budget` bytes came through it: inflation stops there.
struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(Exceeded::ExpandedBytes {
                limit: self.limit,
            }));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// What a scan counted so far.
struct Tally<'a> {
    limits: &'a Limits,
    rows: u64,
    cells: u64,
    shared_strings: u64,
    stop: &'a dyn Fn() -> bool,
}

impl Tally<'_> {
    fn sheet_done(&mut self, where_: &str, sheet: &Sheet) -> Result<(), Exceeded> {
        let Some((rows, columns)) = sheet.span() else {
            return Ok(());
        };
        let cells = rows.saturating_mul(columns);
        self.cells = self.cells.saturating_add(cells);
        if cells > self.limits.cells || self.cells > self.limits.cells {
            return Err(Exceeded::Cells {
                where_: where_.to_string(),
                rows,
                columns,
                limit: self.limits.cells,
            });
        }
        Ok(())
    }

    fn row(&mut self) -> Result<(), Exceeded> {
        self.rows += 1;
        if self.rows > self.limits.rows {
            return Err(Exceeded::Rows {
                limit: self.limits.rows,
            });
        }
        if self.rows.is_multiple_of(1024) && (self.stop)() {
            return Err(Exceeded::Stopped);
        }
        Ok(())
    }
}

/// The rectangle of one sheet's cells that hold a value (0-based, inclusive).
#[derive(Default)]
struct Sheet {
    first_row: Option<u64>,
    last_row: u64,
    first_column: Option<u64>,
    last_column: u64,
}

impl Sheet {
    fn holds(&mut self, row: u64, first_column: u64, last_column: u64) {
        self.first_row = Some(self.first_row.map_or(row, |r| r.min(row)));
        self.last_row = self.last_row.max(row);
        self.first_column = Some(
            self.first_column
                .map_or(first_column, |c| c.min(first_column)),
        );
        self.last_column = self.last_column.max(last_column);
    }

    /// Rows and columns spanned, if any cell holds a value.
    fn span(&self) -> Option<(u64, u64)> {
        Some((
            self.last_row - self.first_row? + 1,
            self.last_column - self.first_column? + 1,
        ))
    }
}

/// Checks the workbook `bytes` (a zip: `.xlsx`, `.ods`) against `limits`, reading each XML
/// part as a stream; `stop` is asked now and then whether to give up. Formats that are not a
/// zip (`.xls`) are not scanned: their reader is given bounded input only by its caller.
pub fn check_workbook(
    bytes: &[u8],
    limits: &Limits,
    stop: &dyn Fn() -> bool,
) -> Result<(), Exceeded> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        Exceeded::Unreadable(format!("not a workbook Excel or LibreOffice can open: {e}"))
    })?;
    let mut tally = Tally {
        limits,
        rows: 0,
        cells: 0,
        shared_strings: 0,
        stop,
    };
    let mut left = limits.expanded_bytes;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|e| {
            Exceeded::Unreadable(format!("a part of the workbook cannot be read: {e}"))
        })?;
        let name = part.name().to_string();
        if name.starts_with("xl/worksheets/") && name.ends_with(".bin") && !limits.binary_workbooks
        {
            return Err(Exceeded::BinaryWorkbook);
        }
        if !is_xml_part(&name) {
            continue;
        }
        if part.size() > left {
            return Err(Exceeded::ExpandedBytes {
                limit: limits.expanded_bytes,
            });
        }
        let mut capped = Capped {
            inner: part,
            left,
            limit: limits.expanded_bytes,
        };
        let reader = BufReader::with_capacity(64 << 10, &mut capped);
        scan_part(&name, reader, &mut tally)?;
        left = capped.left;
    }
    Ok(())
}

/// Which part of a workbook `name` is, for the scan.
enum Part {
    SharedStrings,
    XlsxSheet,
    OdsContent,
    Other,
}

fn part_of(name: &str) -> Part {
    if name.ends_with("sharedStrings.xml") {
        Part::SharedStrings
    } else if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
        Part::XlsxSheet
    } else if name == "content.xml" {
        Part::OdsContent
    } else {
        Part::Other
    }
}

/// Reads one XML part to its end, counting what its kind holds.
fn scan_part(name: &str, input: impl BufRead, tally: &mut Tally<'_>) -> Result<(), Exceeded> {
    let mut xml = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let part = part_of(name);
    let mut scan = Scan::default();
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| match e {
            quick_xml::Error::Io(io) => {
                match io.get_ref().and_then(|e| e.downcast_ref::<Exceeded>()) {
                    Some(exceeded) => exceeded.clone(),
                    None => Exceeded::Unreadable(format!("{name}: {io}")),
                }
            }
            other => Exceeded::Unreadable(format!("{name}: not well-formed XML ({other})")),
        })?;
        match event {
            Event::Eof => break,
            Event::Start(e) => scan.open(&part, &e, false, tally)?,
            Event::Empty(e) => scan.open(&part, &e, true, tally)?,
            Event::End(e) => scan.close(&part, e.local_name().as_ref(), name, tally)?,
            _ => {}
        }
        buf.clear();
    }
    if let Part::XlsxSheet = part {
        tally.sheet_done(name, &scan.sheet)?;
    }
    Ok(())
}

/// Where a scan of one part is.
#[derive(Default)]
struct Scan {
    sheet: Sheet,
    /// XLSX: the current row (0-based), whether a row was seen, whether the current one holds
    /// a value, and the column after the last cell seen in it.
    row: u64,
    rows_seen: bool,
    row_valued: bool,
    next_column: u64,
    /// XLSX: the current cell's position, while its element is open.
    cell: Option<(u64, u64)>,
    /// ODS: the current table's name, row position, the current row's repeat and column.
    table: String,
    repeat_rows: u64,
    /// ODS: the columns a row's cells with a value span (first, last).
    row_columns: Option<(u64, u64)>,
    /// ODS: the current cell's columns and repeat, while its element is open.
    ods_cell: Option<(u64, u64)>,
}

/// The 0-based (row, column) of an A1 reference such as `AB12`.
fn a1(reference: &[u8]) -> Option<(u64, u64)> {
    let letters = reference
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut column: u64 = 0;
    for b in &reference[..letters] {
        column = column * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    let row: u64 = std::str::from_utf8(&reference[letters..])
        .ok()?
        .parse()
        .ok()?;
    Some((row.checked_sub(1)?, column - 1))
}

/// The value of attribute `key` (its local name) of `e`, raw.
fn attribute(e: &BytesStart<'_>, key: &[u8]) -> Option<Vec<u8>> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .map(|a| a.value.into_owned())
}

/// A repeat count attribute (`table:number-columns-repeated="3"`), 1 when absent.
fn repeat(e: &BytesStart<'_>, key: &[u8]) -> u64 {
    attribute(e, key)
        .and_then(|v| std::str::from_utf8(&v).ok()?.parse().ok())
        .unwrap_or(1)
        .max(1)
}

impl Scan {
    fn open(
        &mut self,
        part: &Part,
        e: &BytesStart<'_>,
        empty: bool,
        tally: &mut Tally<'_>,
    ) -> Result<(), Exceeded> {
        let name = e.local_name();
        match (part, name.as_ref()) {
            (Part::SharedStrings, b"si") => {
                tally.shared_strings += 1;
                if tally.shared_strings > tally.limits.shared_strings {
                    return Err(Exceeded::SharedStrings {
                        limit: tally.limits.shared_strings,
                    });
                }
                if tally.shared_strings.is_multiple_of(4096) && (tally.stop)() {
                    return Err(Exceeded::Stopped);
                }
            }
            (Part::XlsxSheet, b"row") => {
                let next = if self.rows_seen { self.row + 1 } else { 0 };
                self.row = attribute(e, b"r")
                    .and_then(|r| std::str::from_utf8(&r).ok()?.parse::<u64>().ok())
                    .and_then(|r| r.checked_sub(1))
                    .unwrap_or(next);
                self.rows_seen = true;
                self.row_valued = false;
                self.next_column = 0;
            }
            (Part::XlsxSheet, b"c") => {
                let (row, column) = attribute(e, b"r")
                    .and_then(|r| a1(&r))
                    .unwrap_or((self.row, self.next_column));
                self.next_column = column + 1;
                // A cell element with no content holds no value (a styled, empty cell).
                self.cell = (!empty).then_some((row, column));
            }
            (Part::XlsxSheet, b"v" | b"is" | b"f") => {
                if let Some((row, column)) = self.cell.take() {
                    self.sheet.holds(row, column, column);
                    self.row_valued = true;
                }
            }
            (Part::OdsContent, b"table") => {
                self.sheet = Sheet::default();
                self.table = attribute(e, b"name")
                    .map(|n| String::from_utf8_lossy(&n).into_owned())
                    .unwrap_or_default();
                self.row = 0;
            }
            (Part::OdsContent, b"table-row") => {
                self.repeat_rows = repeat(e, b"number-rows-repeated");
                self.next_column = 0;
                self.row_columns = None;
                if empty {
                    self.row = self.row.saturating_add(self.repeat_rows);
                }
            }
            (Part::OdsContent, b"table-cell" | b"covered-table-cell") => {
                let repeated = repeat(e, b"number-columns-repeated");
                let first = self.next_column;
                self.next_column = self.next_column.saturating_add(repeated);
                let valued = attribute(e, b"value-type").is_some();
                if valued {
                    self.ods_holds(first, first.saturating_add(repeated - 1));
                } else if !empty {
                    // Text without a type still counts once a paragraph shows inside it.
                    self.ods_cell = Some((first, first.saturating_add(repeated - 1)));
                }
            }
            (Part::OdsContent, b"p") => {
                if let Some((first, last)) = self.ods_cell.take() {
                    self.ods_holds(first, last);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// ODS: the current row's cells `first..=last` hold a value.
    fn ods_holds(&mut self, first: u64, last: u64) {
        self.row_columns = Some(match self.row_columns {
            None => (first, last),
            Some((a, b)) => (a.min(first), b.max(last)),
        });
    }

    fn close(
        &mut self,
        part: &Part,
        name: &[u8],
        part_name: &str,
        tally: &mut Tally<'_>,
    ) -> Result<(), Exceeded> {
        match (part, name) {
            (Part::XlsxSheet, b"c") => self.cell = None,
            // A row counts when a cell of it holds a value (not a row only given a height).
            (Part::XlsxSheet, b"row") if self.row_valued => tally.row()?,
            (Part::OdsContent, b"table-cell" | b"covered-table-cell") => self.ods_cell = None,
            (Part::OdsContent, b"table-row") => {
                let repeated = self.repeat_rows.max(1);
                if let Some((first, last)) = self.row_columns.take() {
                    for _ in 0..repeated.min(tally.limits.rows.saturating_add(1)) {
                        tally.row()?;
                    }
                    let last_row = self.row.saturating_add(repeated - 1);
                    self.sheet.holds(self.row, first, last);
                    self.sheet.holds(last_row, first, last);
                }
                self.row = self.row.saturating_add(repeated);
            }
            (Part::OdsContent, b"table") => {
                let where_ = format!("{part_name}, sheet {:?}", self.table);
                tally.sheet_done(&where_, &self.sheet)?;
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A zip of `parts` (name, bytes), deflated.
    fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in parts {
            out.start_file(*name, options).unwrap();
            out.write_all(bytes).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    fn never() -> bool {
        false
    }

    #[test]
    fn a1_references() {
        assert_eq!(a1(b"A1"), Some((0, 0)));
        assert_eq!(a1(b"AB12"), Some((11, 27)));
        assert_eq!(a1(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(a1(b"1A"), None);
        assert_eq!(a1(b"A0"), None);
    }

    #[test]
    fn a_giant_shared_string_stops_at_the_expansion_limit() {
        let mut huge = b"<sst><si><t>".to_vec();
        huge.extend(std::iter::repeat_n(b'x', 8 << 20));
        huge.extend_from_slice(b"</t></si></sst>");
        let book = zip(&[("xl/sharedStrings.xml", &huge)]);
        assert!(book.len() < 100_000, "{}", book.len());
        let limits = Limits {
            expanded_bytes: 1 << 20,
            ..Limits::UPLOAD
        };
        assert_eq!(
            check_workbook(&book, &limits, &never),
            Err(Exceeded::ExpandedBytes { limit: 1 << 20 })
        );
    }

    #[test]
    fn many_tiny_shared_strings_are_counted() {
        let mut sst = b"<sst>".to_vec();
        for _ in 0..1000 {
            sst.extend_from_slice(b"<si><t/></si>");
        }
        sst.extend_from_slice(b"</sst>");
        let book = zip(&[("xl/sharedStrings.xml", &sst)]);
        let limits = Limits {
            shared_strings: 999,
            ..Limits::UPLOAD
        };
        assert_eq!(
            check_workbook(&book, &limits, &never),
            Err(Exceeded::SharedStrings { limit: 999 })
        );
        assert_eq!(check_workbook(&book, &Limits::UPLOAD, &never), Ok(()));
    }

    #[test]
    fn two_cells_far_apart_span_a_rectangle() {
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1000000"><c r="XFD1000000"><v>2</v></c></row></sheetData></worksheet>"#;
        let book = zip(&[("xl/worksheets/sheet1.xml", sheet)]);
        let err = check_workbook(&book, &Limits::UPLOAD, &never).unwrap_err();
        assert_eq!(
            err,
            Exceeded::Cells {
                where_: "xl/worksheets/sheet1.xml".into(),
                rows: 1_000_000,
                columns: 16_384,
                limit: Limits::UPLOAD.cells
            }
        );
        // Styled empty cells far away hold no value: the reader keeps only A1:B2.
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row><row r="2"><c r="B2"><f>A1</f></c><c r="XFD2" s="1"/></row></sheetData></worksheet>"#;
        let book = zip(&[("xl/worksheets/sheet1.xml", sheet)]);
        assert_eq!(check_workbook(&book, &Limits::UPLOAD, &never), Ok(()));
    }

    #[test]
    fn ods_repeats_are_counted_but_trailing_empty_ones_are_free() {
        // As LibreOffice saves every sheet: a row of values, then empty cells and rows repeated
        // to the sheet's edge.
        let content = br#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:table table:name="So lieu"><table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1023"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
        let book = zip(&[("content.xml", content)]);
        assert_eq!(check_workbook(&book, &Limits::UPLOAD, &never), Ok(()));
        // A value repeated across a billion columns is not free.
        let bomb = br#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><table:table table:name="B"><table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000000000"/></table:table-row></table:table></office:document-content>"#;
        let book = zip(&[("content.xml", bomb)]);
        assert!(matches!(
            check_workbook(&book, &Limits::UPLOAD, &never),
            Err(Exceeded::Cells {
                rows: 3,
                columns: 1_000_000_000,
                ..
            })
        ));
        // Rows repeated with values count as rows.
        let rows = br#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><table:table table:name="R"><table:table-row table:number-rows-repeated="300000"><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:document-content>"#;
        let book = zip(&[("content.xml", rows)]);
        assert_eq!(
            check_workbook(&book, &Limits::UPLOAD, &never),
            Err(Exceeded::Rows {
                limit: Limits::UPLOAD.rows
            })
        );
    }

    #[test]
    fn a_scan_stops_when_asked() {
        let mut sheet = b"<worksheet><sheetData>".to_vec();
        for r in 1..5000 {
            sheet.extend_from_slice(
                format!("<row r=\"{r}\"><c r=\"A{r}\"><v>1</v></c></row>").as_bytes(),
            );
        }
        sheet.extend_from_slice(b"</sheetData></worksheet>");
        let book = zip(&[("xl/worksheets/sheet1.xml", &sheet)]);
        assert_eq!(
            check_workbook(&book, &Limits::UPLOAD, &|| true),
            Err(Exceeded::Stopped)
        );
    }
}
