//! Periodic summaries (sơ kết, tổng kết) generated from danvan records, per province and
//! national, in Vietnamese or English, as Markdown, HTML, DOCX, JSON or CSV.
//!
//! Three steps, each usable on its own:
//!
//! 1. [`data::build`] computes every figure of a report from a [`Store`]: conferences by kind,
//!    directives issued and reviews held, due and overdue, models by field, the indicator table
//!    with the comparison period, change, target, status and trend, and for national reports
//!    the same figures per province. Ratios are combined by their numerators and denominators,
//!    so figures roll up correctly across the 2025 merger.
//! 2. [`compose::compose`] writes those figures as a [`Document`](doc::Document) in the
//!    conventional order, with sentences generated from the data.
//! 3. [`markdown`], [`html`] and [`docx`] lay the document out; JSON is the figures themselves
//!    and CSV the indicator table.
//!
//! [`render`] does all three. Output is deterministic: the same store, scope and format give
//! the same bytes (the report's date is part of the [`Scope`]).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use danvan_report::{Format, Scope, render};
//! use danvan_report::doc::Lang;
//! use danvan_store::{JsonStore, ProvinceMap, Store};
//!
//! let dir = tempfile::tempdir()?;
//! let store = JsonStore::init(dir.path())?;
//! let today = chrono::NaiveDate::from_ymd_opt(2024, 7, 5).unwrap();
//! let mut scope = Scope::new(Some("thai-nguyen"), "2024S1".parse()?, today);
//! scope.map = ProvinceMap::AsRecorded; // Thái Nguyên alone, without Bắc Kạn
//!
//! let markdown = String::from_utf8(render(&store, &scope, Format::Markdown, Lang::Vi)?)?;
//! assert!(markdown.contains("Sơ kết công tác dân vận 6 tháng đầu năm 2024"));
//! # Ok(())
//! # }
//! ```

pub mod calendar;
pub mod check;
pub mod compose;
pub mod data;
pub mod doc;
pub mod docx;
pub mod explain;
pub mod glossary;
pub mod html;
pub mod issue;
pub mod markdown;
pub mod template;
pub mod written;

use danvan_core::indicator::Measure;
use danvan_core::vocabulary::{UnknownName, Vocabulary};
use danvan_store::{Store, StoreError};

pub use data::{ProvinceOrder, ReportData, Scope, Status, build};
pub use doc::Lang;

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The Word package could not be written.
    #[error("could not write the DOCX package: {0}")]
    Docx(String),
    /// The CSV or JSON could not be written.
    #[error("could not write the report: {0}")]
    Write(String),
}

/// A report's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Markdown, for reading and pasting.
    #[serde(alias = "md")]
    Markdown,
    /// One self-contained HTML page, print-ready on A4, with trend charts.
    Html,
    /// A Word document laid out as offices submit.
    Docx,
    /// The figures behind the report, as JSON.
    Json,
    /// The indicator table, as CSV.
    Csv,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 5] = [
        Format::Markdown,
        Format::Html,
        Format::Docx,
        Format::Json,
        Format::Csv,
    ];

    /// The name used on the command line and in the API: `markdown`, `html`, `docx`, `json`,
    /// `csv`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            other => other.name(),
        }
    }

    /// The media type to serve it as.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Vocabulary for Format {
    const WHAT: &'static str = "report format";
    const ALL: &'static [Self] = &Format::ALL;
}

impl std::str::FromStr for Format {
    type Err = UnknownName;

    /// A format's name, or `md` for Markdown.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::from_name(s)
    }
}

impl Vocabulary for ProvinceOrder {
    const WHAT: &'static str = "province order";
    const ALL: &'static [Self] = &[ProvinceOrder::Name, ProvinceOrder::Value];
}

/// Computes the report of `scope` from `store` and writes it in `format` and `lang`.
pub fn render(
    store: &dyn Store,
    scope: &Scope,
    format: Format,
    lang: Lang,
) -> Result<Vec<u8>, RenderError> {
    render_with(store, scope, format, lang, &html::Links::default())
}

/// As [`render`], with HTML figures linked to their records as `links` says (the server
/// links them to `/v1/…`).
pub fn render_with(
    store: &dyn Store,
    scope: &Scope,
    format: Format,
    lang: Lang,
    links: &html::Links,
) -> Result<Vec<u8>, RenderError> {
    let data = build(store, scope)?;
    write_with(&data, format, lang, links)
}

/// A report as written, with what the report checker found in it.
#[derive(Debug)]
pub struct Checked {
    /// The report in its format.
    pub bytes: Vec<u8>,
    /// Every finding of [`check::check`] on the report in its language (none: a report a
    /// chief can sign without correcting what the checker looks for).
    pub findings: Vec<check::Finding>,
}

/// What makes a report out of the records beyond its scope: its outline, the board's written
/// sections, and, once it is issued, its number, issuer, signer and recipients.
#[derive(Debug, Clone, Copy)]
pub struct Draft<'a> {
    /// The outline.
    pub template: &'a template::Template,
    /// The board's written sections.
    pub written: &'a written::Written,
    /// How it is issued; `None`: a draft (number blank, signature to be written).
    pub issue: Option<&'a issue::Issue>,
}

/// Why a report could not be rendered or issued.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// It cannot be issued as asked.
    #[error(transparent)]
    Issue(#[from] issue::IssueError),
}

/// [`render_with`] as `draft` says (its outline, written sections and issue), and the report
/// checker run on the same figures and text (a number typed in the written text that the
/// records do not hold is a finding): what `danvan report`, the API and the web app show
/// before a report is issued.
pub fn render_checked(
    store: &dyn Store,
    scope: &Scope,
    format: Format,
    lang: Lang,
    links: &html::Links,
    draft: &Draft<'_>,
) -> Result<Checked, DraftError> {
    let data = build(store, scope).map_err(RenderError::Store)?;
    let mut doc = compose::compose_written(&data, lang, draft.template, draft.written);
    if let Some(issue) = draft.issue {
        issue.apply(&mut doc, &data)?;
    }
    let mut findings = check::check_data(&data);
    findings.extend(check::check_document(&data, &doc));
    let bytes = match format {
        Format::Json | Format::Csv => figures(&data, format, lang)?,
        Format::Markdown | Format::Html | Format::Docx => lay_out(&doc, format, data.today, links)?,
    };
    Ok(Checked { bytes, findings })
}

/// Writes already computed figures in `format` and `lang`.
pub fn write(data: &ReportData, format: Format, lang: Lang) -> Result<Vec<u8>, RenderError> {
    write_with(data, format, lang, &html::Links::default())
}

/// As [`write()`], with HTML figures linked as `links` says.
pub fn write_with(
    data: &ReportData,
    format: Format,
    lang: Lang,
    links: &html::Links,
) -> Result<Vec<u8>, RenderError> {
    match format {
        Format::Json | Format::Csv => figures(data, format, lang),
        Format::Markdown | Format::Html | Format::Docx => {
            lay_out(&compose::compose(data, lang), format, data.today, links)
        }
    }
}

/// The formats that are the figures themselves: JSON (all of them) or CSV (the indicator
/// table).
fn figures(data: &ReportData, format: Format, lang: Lang) -> Result<Vec<u8>, RenderError> {
    if format == Format::Csv {
        return csv_table(data, lang);
    }
    let mut v = serde_json::to_vec_pretty(data).map_err(|e| RenderError::Write(e.to_string()))?;
    v.push(b'\n');
    Ok(v)
}

/// A composed document laid out as Markdown, HTML or DOCX (`today` dates the Word file).
fn lay_out(
    doc: &doc::Document,
    format: Format,
    today: chrono::NaiveDate,
    links: &html::Links,
) -> Result<Vec<u8>, RenderError> {
    Ok(match format {
        Format::Markdown => markdown::render(doc).into_bytes(),
        Format::Html => html::render_with(doc, links).into_bytes(),
        _ => docx::render(doc, today)?,
    })
}

/// The indicator table as CSV: one row per indicator, figures in plain machine form (`94.87`,
/// a `.` decimal mark, no grouping), so that spreadsheets and other systems read them as
/// numbers; the name column follows `lang`. Text a spreadsheet would take for a formula (an
/// indicator's name or unit as a board typed it) is written after a `'`
/// (`danvan_core::text::spreadsheet_cell`).
pub fn csv_table(data: &ReportData, lang: Lang) -> Result<Vec<u8>, RenderError> {
    let err = |e: csv::Error| RenderError::Write(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "indicator",
        "name",
        "unit",
        "measure",
        "numerator",
        "denominator",
        "value",
        "previous",
        "change",
        "target",
        "status",
        "inconsistent",
        "observations",
        // The change is over these provinces only (as recorded), when fewer than the value's;
        // their value this period; the whole level's own figure, never added to the value.
        "compared_provinces",
        "compared_value",
        "level_value",
        // A phase or term with no figure of its own: `value` is of the last year with figures,
        // `previous` of the earliest on the same land.
        "value_period",
        "previous_period",
    ])
    .map_err(err)?;
    let opt =
        |d: Option<danvan_core::number::Decimal>| d.map_or_else(String::new, |d| d.to_string());
    for r in &data.indicators {
        let (n, d) = r.ratio.map_or((String::new(), String::new()), |(n, d)| {
            (n.to_string(), d.to_string())
        });
        let measure = match r.measure {
            Measure::Count => "count",
            Measure::Ratio => "ratio",
            Measure::Percent => "percent",
            Measure::Score => "score",
        };
        let status = match r.status {
            Status::OnTrack => "on_track",
            Status::OffTrack => "off_track",
            Status::NoData => "no_data",
            Status::NoTarget => "no_target",
        };
        let (compared_provinces, compared_value) = match &r.comparison {
            data::Comparison::Common { units, value, .. } => (units.join(" "), *value),
            _ => (String::new(), None),
        };
        let safe = danvan_core::text::spreadsheet_cell;
        w.write_record([
            &*safe(r.indicator.as_str()),
            &*safe(lang.pick(&r.name, &r.name_en)),
            &*safe(&r.unit),
            measure,
            &n,
            &d,
            &opt(r.value),
            &opt(r.previous),
            &opt(r.change),
            &opt(r.target),
            status,
            &r.inconsistent.join(" "),
            &r.observations.to_string(),
            &compared_provinces,
            &opt(compared_value),
            &opt(r.level.as_ref().and_then(|l| l.value)),
            &r.span
                .map_or_else(String::new, |[_, last]| last.to_string()),
            &r.span
                .filter(|_| r.previous.is_some())
                .map_or_else(String::new, |[first, _]| first.to_string()),
        ])
        .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| RenderError::Write(e.to_string()))
}
