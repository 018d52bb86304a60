//! A report laid out as a document, before any file format: the header block, the title, the
//! numbered sections with their paragraphs, lists, tables and charts, and the closing block.
//!
//! [`compose`](crate::compose::compose) writes one from a report's figures in Vietnamese or
//! English; the Markdown, HTML and DOCX writers only lay it out, so every format says the same.

use serde::Serialize;

/// The language a report is written in: the one language type of danvan, the catalogue's.
pub use danvan_i18n::Lang;

/// A whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Its language.
    pub lang: Lang,
    /// The two-column block above the title.
    pub header: Header,
    /// "BÁO CÁO".
    pub title: String,
    /// "Sơ kết công tác dân vận 6 tháng đầu năm 2024".
    pub subtitle: String,
    /// The numbered sections.
    pub sections: Vec<Section>,
    /// Recipients (left) and signature (right).
    pub closing: Closing,
}

impl Document {
    /// Calls `f` on every piece of text of the document: title, sections, tables, charts and
    /// the closing block.
    pub fn for_each_text(&mut self, f: &mut dyn FnMut(&mut String)) {
        f(&mut self.title);
        f(&mut self.subtitle);
        for section in &mut self.sections {
            f(&mut section.heading);
            for block in &mut section.blocks {
                match block {
                    Block::Heading(s) | Block::Paragraph(s) | Block::Note(s) => f(s),
                    Block::Bullets(items) => items.iter_mut().for_each(&mut *f),
                    Block::Table(t) => {
                        t.columns.iter_mut().for_each(|c| f(&mut c.title));
                        t.rows.iter_mut().flatten().for_each(&mut *f);
                    }
                    Block::Charts(charts) => {
                        for c in charts {
                            f(&mut c.title);
                            for p in &mut c.points {
                                f(&mut p.label);
                                f(&mut p.text);
                            }
                        }
                    }
                }
            }
        }
        self.closing.recipients.iter_mut().for_each(&mut *f);
    }
}

/// The header block: the issuing body on the left, the Party's name on the right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    /// The body above the issuer: "TỈNH ỦY THÁI NGUYÊN".
    pub superior: String,
    /// The issuing body: "BAN TUYÊN GIÁO VÀ DÂN VẬN".
    pub issuer: String,
    /// The number placeholder: "Số   -BC/BTGDVTU".
    pub number: String,
    /// "ĐẢNG CỘNG SẢN VIỆT NAM".
    pub party: String,
    /// "Thái Nguyên, ngày 22 tháng 11 năm 2026".
    pub date_line: String,
}

/// A numbered section: "I. TÌNH HÌNH CHUNG".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// The heading, numbered.
    pub heading: String,
    /// Its content, in order.
    pub blocks: Vec<Block>,
}

/// One piece of a section.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "content", rename_all = "snake_case")]
pub enum Block {
    /// A numbered sub-heading: "1. Hội nghị".
    Heading(String),
    /// A paragraph of running text.
    Paragraph(String),
    /// A bulleted list.
    Bullets(Vec<String>),
    /// A table.
    Table(Table),
    /// A remark in italics: a flag, or a place for the author to write.
    Note(String),
    /// Trend charts, one per indicator.
    Charts(Vec<Chart>),
}

/// A table with a header row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// The column headings; numeric columns are right-aligned.
    pub columns: Vec<Column>,
    /// The rows, each as many cells as there are columns.
    pub rows: Vec<Vec<String>>,
    /// For each row, the records its figures were computed from, as API paths under `/v1/`
    /// (`observations/qn-2024`); empty when the table carries none. HTML links the row's
    /// result to them.
    pub sources: Vec<Vec<String>>,
}

impl Table {
    /// A table with these columns and rows, and no record links.
    pub fn new(columns: Vec<Column>, rows: Vec<Vec<String>>) -> Table {
        Table {
            columns,
            rows,
            sources: Vec::new(),
        }
    }
}

/// A table column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// The heading.
    pub title: String,
    /// Whether it holds figures (right-aligned).
    pub numeric: bool,
}

impl Column {
    /// A text column.
    pub fn text(title: impl Into<String>) -> Column {
        Column {
            title: title.into(),
            numeric: false,
        }
    }

    /// A figure column.
    pub fn numeric(title: impl Into<String>) -> Column {
        Column {
            title: title.into(),
            numeric: true,
        }
    }
}

/// An indicator's figure over recent periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// The indicator's name.
    pub title: String,
    /// One point per period, oldest first.
    pub points: Vec<ChartPoint>,
    /// The target line, if any: its value and its label.
    pub target: Option<(f64, String)>,
    /// Whether the figures are percentages (the axis runs to 100).
    pub percent: bool,
}

/// One period of a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartPoint {
    /// The period's short label: "2024S1".
    pub label: String,
    /// The figure, if reported.
    pub value: Option<f64>,
    /// The figure as written in the report: "94,87%".
    pub text: String,
}

/// The closing block: who receives the report, and who signs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Closing {
    /// "Nơi nhận:".
    pub recipients_title: String,
    /// "- Ban Tuyên giáo và Dân vận Trung ương,".
    pub recipients: Vec<String>,
    /// "TRƯỞNG BAN", and a line for the name.
    pub signer: Vec<String>,
}

impl Chart {
    /// The charts as one table: an indicator per row, a period per column (what formats
    /// without pictures show).
    pub fn as_table(charts: &[Chart], first_column: &str) -> Option<Table> {
        let first = charts.first()?;
        let mut columns = vec![Column::text(first_column)];
        columns.extend(
            first
                .points
                .iter()
                .map(|p| Column::numeric(p.label.clone())),
        );
        let rows = charts
            .iter()
            .map(|c| {
                std::iter::once(c.title.clone())
                    .chain(c.points.iter().map(|p| p.text.clone()))
                    .collect()
            })
            .collect();
        Some(Table::new(columns, rows))
    }
}
