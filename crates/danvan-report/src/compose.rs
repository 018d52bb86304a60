//! Writes a report's figures as a [`Document`], in the conventional order: header block, title,
//! general situation, leadership and direction, results, limitations and causes, lessons, and
//! directions for the next period, then recipients and signature. Every sentence is generated
//! from the figures, in Vietnamese or English, and states only what the figures hold: no
//! judgement without a target, no zero for a figure nobody reported, no breakdown that does
//! not add up (the [`check`](crate::check) module tests all of that).

mod phrases;

use std::cell::RefCell;
use std::collections::HashSet;

use chrono::NaiveDate;
use danvan_core::date::{self, date_line};
use danvan_core::indicator::Measure;
use danvan_core::number::Decimal;
use danvan_core::period::{Period, PeriodKind};
use danvan_core::province::{ProvinceKind, registry};
use danvan_store::ProvinceMap;

use crate::data::{Comparison, DirectiveLine, IndicatorRow, ReportData, Status};
use crate::doc::{
    Block, Chart, ChartPoint, Closing, Column, Document, Header, Lang, Section, Table,
};
use crate::glossary;
use crate::template::{self, Fill, Generated, SectionSpec, Template};
use crate::written::Written;
use phrases::{conference_sentence, group_name};

/// Number, date and phrase formatting in one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Words(pub(crate) Lang);

impl Words {
    fn t<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        self.0.pick(vi, en)
    }

    /// A count as a table writes it: `1.272`.
    fn count(self, n: u64) -> String {
        self.decimal(Decimal::from_int(i64::try_from(n).unwrap_or(i64::MAX)), 0)
    }

    /// A count as a sentence writes it: Vietnamese administrative style pads one digit
    /// ("02 hội nghị"); English does not.
    pub(crate) fn n(self, n: u64) -> String {
        match self.0 {
            Lang::Vi if (1..10).contains(&n) => format!("0{n}"),
            _ => self.count(n),
        }
    }

    fn decimal(self, d: Decimal, places: u8) -> String {
        match self.0 {
            Lang::Vi => d.to_vietnamese(places),
            Lang::En => d.to_english(places),
        }
    }

    /// A decimal with at most two places and no trailing zeros: `98,66`, `95,1`, `100`.
    fn trimmed(self, d: Decimal) -> String {
        let s = self.decimal(d, 2);
        let mark = self.t(",", ".");
        match s.split_once(mark) {
            Some((int, frac)) => {
                let frac = frac.trim_end_matches('0');
                if frac.is_empty() {
                    int.to_string()
                } else {
                    format!("{int}{mark}{frac}")
                }
            }
            None => s,
        }
    }

    fn percent(self, d: Decimal) -> String {
        format!("{}%", self.trimmed(d))
    }

    /// The period in words: "6 tháng đầu năm 2024", "first half of 2024".
    pub(crate) fn period(self, p: Period) -> String {
        match self.0 {
            Lang::Vi => p.to_vietnamese(),
            Lang::En => p.to_english(),
        }
    }

    /// "Trong 6 tháng đầu năm 2024", "In the first half of 2024", "In 2024" (no article
    /// before a year, a month or a quarter).
    fn during(self, p: Period) -> String {
        match self.0 {
            Lang::Vi => format!("Trong {}", p.to_vietnamese()),
            Lang::En => format!("In {}", self.the_period(p)),
        }
    }

    /// The period as an English sentence names it: "the first half of 2024", "2024",
    /// "June 2024"; the Vietnamese phrase as it is.
    fn the_period(self, p: Period) -> String {
        match (self.0, p.kind()) {
            (Lang::En, PeriodKind::Half | PeriodKind::Phase | PeriodKind::Term) => {
                format!("the {}", p.to_english())
            }
            _ => self.period(p),
        }
    }

    pub(crate) fn date(self, d: NaiveDate) -> String {
        match self.0 {
            Lang::Vi => date::to_vietnamese_short(d),
            Lang::En => date::to_english(d),
        }
    }

    /// A figure as the table shows it: `94,87%`, `1.272`, `72,5`; a dash for none.
    fn figure(self, measure: Measure, value: Option<Decimal>) -> String {
        match (measure, value) {
            (_, None) => "—".to_string(),
            (Measure::Ratio | Measure::Percent, Some(v)) => self.percent(v),
            (Measure::Count, Some(v)) => self.decimal(v, 0),
            (Measure::Score, Some(v)) => self.trimmed(v),
        }
    }

    /// The result cell: `1.682/1.773 (94,87%)` for ratios.
    fn result(self, measure: Measure, ratio: Option<(u64, u64)>, value: Option<Decimal>) -> String {
        match ratio {
            Some((n, d)) if value.is_some() => format!(
                "{}/{} ({})",
                self.count(n),
                self.count(d),
                self.figure(measure, value)
            ),
            _ => self.figure(measure, value),
        }
    }

    /// A row's result; a figure given only as a stated percentage is printed as stated, and
    /// one whose parts do not add up says so.
    fn row_result(self, row: &IndicatorRow) -> String {
        if !row.parts.is_empty() {
            return self
                .t("Không cộng (xem từng tỉnh)", "No total (see each province)")
                .to_string();
        }
        match &row.stated {
            Some(stated) => format!("“{stated}”"),
            None => self.result(row.measure, row.ratio, row.value),
        }
    }

    /// A signed change: `+3,82 điểm %`, `-12`.
    fn change(self, measure: Measure, d: Option<Decimal>) -> String {
        let Some(d) = d else {
            return "—".to_string();
        };
        // No change has no sign: "0", not "+0".
        let sign = if d.is_negative() {
            "-"
        } else if d == Decimal::ZERO {
            ""
        } else {
            "+"
        };
        let size = self.size(measure, d);
        match measure {
            Measure::Count | Measure::Score => format!("{sign}{size}"),
            // No-break spaces: a table cell must not split "+1,69 điểm %".
            Measure::Ratio | Measure::Percent => {
                format!("{sign}{size}\u{a0}{}", self.t("điểm\u{a0}%", "pp"))
            }
        }
    }

    /// The size of a change, without its sign.
    fn size(self, measure: Measure, d: Decimal) -> String {
        let d = if d.is_negative() {
            Decimal::ZERO.checked_sub(d).unwrap_or(d)
        } else {
            d
        };
        match measure {
            Measure::Count => self.decimal(d, 0),
            _ => self.trimmed(d),
        }
    }

    /// The size of a change for sentences: `3,82 điểm phần trăm`.
    fn amount(self, measure: Measure, d: Decimal) -> String {
        let size = self.size(measure, d);
        match measure {
            Measure::Count | Measure::Score => size,
            Measure::Ratio | Measure::Percent => {
                format!("{size} {}", self.t("điểm phần trăm", "percentage points"))
            }
        }
    }

    /// The table's judgement: only against a target. A period that has ended met its target
    /// or did not ("Met", "Not met"); one still under way is on track or not.
    fn status(self, s: Status, closed: bool) -> &'static str {
        match (self.0, s) {
            (Lang::Vi, Status::OnTrack) => "Đạt",
            (Lang::Vi, Status::OffTrack) => "Chưa đạt",
            (Lang::Vi, Status::NoData) => "Chưa có số liệu",
            (Lang::En, Status::OnTrack) if closed => "Met",
            (Lang::En, Status::OffTrack) if closed => "Not met",
            (Lang::En, Status::OnTrack) => "On track",
            (Lang::En, Status::OffTrack) => "Off track",
            (Lang::En, Status::NoData) => "No data",
            (_, Status::NoTarget) => "—",
        }
    }

    fn indicator_name(self, row: &IndicatorRow) -> String {
        match self.0 {
            Lang::Vi => row.name.clone(),
            Lang::En => row.name_en.clone(),
        }
    }

    /// Curly quotes around the movement's name, as Vietnamese typesetting writes them.
    fn dvk(self) -> &'static str {
        "“Dân vận khéo”"
    }
}

/// Cites documents: in full the first time ("Nghị quyết số 07-NQ/TU, ngày 20/5/2021 của Ban
/// Chấp hành Đảng bộ tỉnh về …"), by type and number after.
#[derive(Debug, Default)]
pub(crate) struct Citations(RefCell<HashSet<String>>);

impl Citations {
    pub(crate) fn cite(&self, d: &DirectiveLine, w: Words) -> String {
        let first = self.0.borrow_mut().insert(d.id.clone());
        let short = match (w.0, &d.number) {
            (Lang::Vi, Some(n)) => format!("{} số {n}", d.doc_type.name_vi()),
            (Lang::En, Some(n)) => format!("{} {n}", d.doc_type.name_en()),
            // Cited by name only: "Nghị quyết Trung ương 7 khóa X về …" is its title; with
            // neither number nor title, as the record labels it ("Chỉ thị số 16 (khóa IX)").
            (lang, None) => {
                return match (lang, &d.title) {
                    (Lang::Vi, Some(t)) => format!("{} {}", d.doc_type.name_vi(), lower_first(t)),
                    (Lang::En, Some(t)) => format!("{} “{t}”", d.doc_type.name_en()),
                    (_, None) => d.label.clone(),
                };
            }
        };
        if !first {
            return short;
        }
        let mut s = short;
        if let Some(day) = d.issued_on {
            s.push_str(&match w.0 {
                Lang::Vi => format!(", ngày {}", w.date(day)),
                Lang::En => format!(" of {}", w.date(day)),
            });
            if let Some(m) = &d.issued_on_inferred {
                s.push_str(&match w.0 {
                    Lang::Vi => format!(" ({})", m.to_vietnamese()),
                    Lang::En => format!(" ({})", m.to_english()),
                });
            }
        }
        if let Some(issuer) = &d.issuer {
            s.push_str(&match w.0 {
                Lang::Vi => format!(" của {issuer}"),
                Lang::En => format!(" by the {issuer}"),
            });
        }
        let Some(title) = d.title.as_deref().map(str::trim) else {
            return s;
        };
        // A title that already starts with "về" ("về tăng cường …") is not given a second one.
        let title = title
            .strip_prefix("về ")
            .or_else(|| title.strip_prefix("Về "))
            .unwrap_or(title);
        match w.0 {
            Lang::Vi => format!("{s} về {}", lower_first(title)),
            Lang::En => format!("{s} (“{title}”)"),
        }
    }
}

/// An indicator row's result, target and judgement as the report's table writes them
/// (`1.682/1.773 (94,87%)`, `95,00%`, `Đạt`): the web app's dashboard shows the same cells.
pub fn indicator_cells(row: &IndicatorRow, lang: Lang) -> [String; 3] {
    let w = Words(lang);
    [
        w.row_result(row),
        w.figure(row.measure, row.target),
        // The dashboard shows periods that have ended.
        w.status(row.status, true).to_string(),
    ]
}

/// Whether the report's period had ended by the report's date: its targets were then met or
/// not, rather than on track or not.
fn closed(data: &ReportData) -> bool {
    data.period.date_range(data.window).1 < data.today
}

/// Writes the report in `lang`, in the outline danvan writes unless asked for another
/// ([`Template::default_outline`]).
pub fn compose(data: &ReportData, lang: Lang) -> Document {
    compose_with(data, lang, &Template::default_outline())
}

/// Writes the report in `lang` in the outline `template`: each section filled as the outline
/// says, numbered I, II, … within its part and 1, 2, … within its section; a generated
/// section with nothing to say is left out (and not numbered).
pub fn compose_with(data: &ReportData, lang: Lang, template: &Template) -> Document {
    compose_written(data, lang, template, &Written::new())
}

/// [`compose_with`], the board's `written` sections in their places (a section not written
/// keeps its hint).
pub fn compose_written(
    data: &ReportData,
    lang: Lang,
    template: &Template,
    written: &Written,
) -> Document {
    let w = Words(lang);
    let cite = Citations::default();
    let province = data
        .province_slug
        .as_deref()
        .and_then(|s| unit_for(data, s));
    let mut sections = Vec::new();
    for part in &template.parts {
        if let Some((vi, en)) = &part.heading {
            sections.push(Section {
                heading: w.t(vi, en).to_string(),
                blocks: Vec::new(),
            });
        }
        let mut number = 0;
        for spec in &part.sections {
            let Some((heading, blocks)) = outlined(spec, data, w, &cite, written) else {
                continue;
            };
            number += 1;
            sections.push(Section {
                heading: format!("{}. {heading}", template::roman(number)),
                blocks,
            });
        }
    }
    let mut doc = Document {
        lang,
        header: header(data, province, w),
        title: w.t("BÁO CÁO", "REPORT").to_string(),
        subtitle: subtitle(data.period, w),
        sections,
        closing: closing(data, province, w),
    };
    doc.for_each_text(&mut |s| *s = curly_quotes(s));
    doc
}

/// A section of the outline, written: its heading without its number and its blocks (its
/// sub-sections' under their numbered headings); `None` when it has nothing to say.
fn outlined(
    spec: &SectionSpec,
    data: &ReportData,
    w: Words,
    cite: &Citations,
    written: &Written,
) -> Option<(String, Vec<Block>)> {
    let (own_heading, mut blocks) = match &spec.fill {
        Fill::Nothing => (None, Vec::new()),
        Fill::Generated(part) => {
            let section = match part {
                Generated::Situation => situation(data, w),
                Generated::Leadership => leadership(data, w, cite),
                Generated::Results => results(data, w),
                Generated::Limitations => limitations(data, w, cite),
                Generated::Directions => directions(data, w, cite),
            };
            if section.blocks.is_empty() {
                return None;
            }
            (Some(unnumbered(&section.heading)), section.blocks)
        }
        Fill::Written { key, hint } => match written.get(key) {
            Some(text) => (None, written_blocks(text)),
            None => (
                None,
                vec![Block::Note(format!("[{}]", w.t(&hint.0, &hint.1)))],
            ),
        },
        Fill::Units { key } => (None, units_wrote(data, key, w)),
    };
    let mut n = 0;
    for sub in &spec.sub {
        let Some((heading, sub_blocks)) = outlined(sub, data, w, cite, written) else {
            continue;
        };
        n += 1;
        blocks.push(Block::Heading(format!("{n}. {heading}")));
        blocks.extend(sub_blocks);
    }
    if blocks.is_empty() {
        return None;
    }
    let heading = match &spec.heading {
        Some((vi, en)) => w.t(vi, en).to_string(),
        None => own_heading.unwrap_or_default(),
    };
    Some((heading, blocks))
}

/// The board's text as blocks: paragraphs parted by blank lines, `- ` lines a list.
fn written_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    for chunk in text.split("\n\n").map(str::trim).filter(|c| !c.is_empty()) {
        let lines: Vec<&str> = chunk.lines().map(str::trim).collect();
        if lines.iter().all(|l| l.starts_with("- ")) {
            blocks.push(Block::Bullets(
                lines.iter().map(|l| l[2..].trim().to_string()).collect(),
            ));
        } else {
            blocks.push(Block::Paragraph(lines.join(" ")));
        }
    }
    blocks
}

/// A generated heading without its number: "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025".
fn unnumbered(heading: &str) -> String {
    match heading.split_once(". ") {
        Some((number, rest)) if number.chars().all(|c| "IVXLC".contains(c)) => rest.to_string(),
        _ => heading.to_string(),
    }
}

/// What the units' approved reports wrote in their section `key`, each by its unit; a note
/// when none has.
fn units_wrote(data: &ReportData, key: &str, w: Words) -> Vec<Block> {
    let lines: Vec<String> = data
        .unit_sections
        .iter()
        .filter(|u| u.key == key)
        .map(|u| format!("{}: {}", u.unit, sentence(&u.text)))
        .collect();
    if lines.is_empty() {
        vec![Block::Note(
            w.t(
                "[Chưa có báo cáo đã duyệt của đơn vị nào viết mục này.]",
                "[No unit's approved report has written this section yet.]",
            )
            .to_string(),
        )]
    } else {
        vec![Block::Bullets(lines)]
    }
}

/// Straight double quotes in recorded text ("Dân vận khéo") as typeset quotes: “Dân vận khéo”.
pub(crate) fn curly_quotes(s: &str) -> String {
    if !s.contains('"') {
        return s.to_string();
    }
    let mut open = true;
    s.chars()
        .map(|c| {
            if c == '"' {
                let q = if open { '“' } else { '”' };
                open = !open;
                q
            } else {
                c
            }
        })
        .collect()
}

/// The title under "BÁO CÁO", by the kind of period: a month or quarter is a plain report,
/// the first half a sơ kết, a year or a phase a tổng kết.
fn subtitle(period: Period, w: Words) -> String {
    let p = w.period(period);
    match (w.0, period.kind()) {
        (Lang::Vi, PeriodKind::Half) if p.contains("đầu năm") => {
            format!("Sơ kết công tác dân vận {p}")
        }
        (Lang::Vi, PeriodKind::Year | PeriodKind::Phase | PeriodKind::Term) => {
            format!("Tổng kết công tác dân vận {p}")
        }
        (Lang::Vi, _) => format!("Công tác dân vận {p}"),
        (Lang::En, PeriodKind::Half) if p.starts_with("first") => {
            format!("Six-month review of mass mobilisation work, {p}")
        }
        (Lang::En, PeriodKind::Year) => format!("Annual review of mass mobilisation work, {p}"),
        (Lang::En, PeriodKind::Phase | PeriodKind::Term) => {
            format!("Final review of mass mobilisation work, {p}")
        }
        (Lang::En, _) => format!("Mass mobilisation work, {p}"),
    }
}

/// The province's unit as the report names it.
fn unit_for(data: &ReportData, slug: &str) -> Option<&'static danvan_core::province::Province> {
    match data.map {
        ProvinceMap::Current => registry().current(slug),
        // The unit as it was at the end of the period, or at its start for one that ended
        // during it.
        ProvinceMap::AsRecorded => registry()
            .by_slug(slug, data.range.1)
            .or_else(|| registry().by_slug(slug, data.range.0)),
    }
}

fn header(
    data: &ReportData,
    province: Option<&danvan_core::province::Province>,
    w: Words,
) -> Header {
    // The board and its symbol as named on the report's date: "BAN DÂN VẬN" and "-BC/BDVTU"
    // before the province merged its boards, "BAN TUYÊN GIÁO VÀ DÂN VẬN" after.
    let board = &data.board;
    let (superior, issuer, number, place) = match (province, w.0) {
        (Some(p), Lang::Vi) => (
            format!(
                "{} {}",
                committee_vi(p).to_uppercase(),
                p.name.to_uppercase()
            ),
            board.short_name.to_uppercase(),
            format!("Số      -BC/{}", board.symbol),
            p.name.to_string(),
        ),
        (Some(p), Lang::En) => (
            committee_en(p).to_uppercase(),
            board.name_en.to_uppercase(),
            format!("No.      -BC/{}", board.symbol),
            p.name_en().to_string(),
        ),
        (None, Lang::Vi) => (
            "BAN CHẤP HÀNH TRUNG ƯƠNG".to_string(),
            board.name.to_uppercase(),
            format!("Số      -BC/{}", board.symbol),
            "Hà Nội".to_string(),
        ),
        (None, Lang::En) => (
            glossary::en("Ban Chấp hành Trung ương").to_uppercase(),
            board.name_en.to_uppercase(),
            format!("No.      -BC/{}", board.symbol),
            "Hà Nội".to_string(),
        ),
    };
    let date_line = match w.0 {
        Lang::Vi => date_line(&place, data.today),
        Lang::En => format!("{place}, {}", w.date(data.today)),
    };
    Header {
        superior,
        issuer,
        number,
        party: match w.0 {
            Lang::Vi => "ĐẢNG CỘNG SẢN VIỆT NAM".to_string(),
            Lang::En => glossary::en("Đảng Cộng sản Việt Nam").to_uppercase(),
        },
        date_line,
    }
}

/// "Thái Nguyên Provincial Party Committee", "Hà Nội City Party Committee" (the glossary's
/// English of "Tỉnh ủy", "Thành ủy" after the name, which stays as written).
fn committee_en(p: &danvan_core::province::Province) -> String {
    format!("{} {}", p.name_en(), glossary::en(committee_vi(p)))
}

/// "Tỉnh ủy" or "Thành ủy".
fn committee_vi(p: &danvan_core::province::Province) -> &'static str {
    match p.kind {
        ProvinceKind::City => "Thành ủy",
        ProvinceKind::Province => "Tỉnh ủy",
    }
}

/// "tỉnh Thái Nguyên", "Thái Nguyên", "các tỉnh, thành phố".
fn subject(data: &ReportData, w: Words) -> String {
    let unit = data
        .province_slug
        .as_deref()
        .and_then(|s| unit_for(data, s));
    match (unit, w.0) {
        (Some(u), Lang::Vi) => u.full_name(),
        (Some(u), Lang::En) => u.name_en().to_string(),
        (None, Lang::Vi) => "các tỉnh, thành phố".to_string(),
        (None, Lang::En) => "the provinces and cities".to_string(),
    }
}

/// "xây dựng mới 03 mô hình “Dân vận khéo” (trong đó 01 mô hình có năm bắt đầu suy ra)", or
/// that none was registered (a recorded nil return), or that nothing is on record.
fn models_built_vi(data: &ReportData, w: Words) -> String {
    let built = data.model_totals.built as u64;
    if built == 0 && data.nil_returns.models {
        format!("không có mô hình {} đăng ký xây dựng mới", w.dvk())
    } else if built == 0 {
        format!("chưa có số liệu về mô hình {} xây dựng mới", w.dvk())
    } else if data.model_totals.built_inferred > 0 {
        format!(
            "xây dựng mới {} mô hình {} (trong đó {} mô hình có năm bắt đầu suy ra)",
            w.n(built),
            w.dvk(),
            w.n(data.model_totals.built_inferred as u64)
        )
    } else {
        format!("xây dựng mới {} mô hình {}", w.n(built), w.dvk())
    }
}

fn situation(data: &ReportData, w: Words) -> Section {
    let conferences = data.conferences.items.len() as u64;
    let issued = data.directives.issued.len() as u64;
    let built = data.model_totals.built as u64;
    let subject = subject(data, w);
    let text = match w.0 {
        Lang::Vi => {
            let mut parts = Vec::new();
            parts.push(if conferences == 0 {
                "chưa có số liệu về hội nghị".to_string()
            } else {
                format!("đã tổ chức {} hội nghị", w.n(conferences))
            });
            // No record is not "none": only a recorded nil return says "không ban hành".
            let nil = data.nil_returns;
            parts.push(match (issued, nil.directives) {
                (0, true) => "không ban hành văn bản chỉ đạo mới".to_string(),
                (0, false) => "chưa có số liệu về văn bản chỉ đạo mới ban hành".to_string(),
                _ => format!("ban hành {} văn bản chỉ đạo mới", w.n(issued)),
            });
            parts.push(models_built_vi(data, w));
            format!("{}, {subject} {}.", w.during(data.period), parts.join("; "))
        }
        Lang::En => {
            let mut parts = Vec::new();
            if conferences > 0 {
                parts.push(format!(
                    "held {}",
                    plural(w, conferences, "conference", "conferences")
                ));
            }
            let nil = data.nil_returns;
            if issued > 0 {
                parts.push(format!(
                    "issued {}",
                    plural(w, issued, "new directive", "new directives")
                ));
            } else if nil.directives {
                parts.push("issued no new directive".to_string());
            }
            if built == 0 && nil.models {
                parts.push("registered no new “Dân vận khéo” model".to_string());
            }
            if built > 0 {
                let inferred = match data.model_totals.built_inferred {
                    0 => String::new(),
                    n => format!(" ({} with an inferred start year)", w.n(n as u64)),
                };
                parts.push(format!(
                    "started {} “Dân vận khéo” (skilled mass mobilisation) {}{inferred}",
                    w.n(built),
                    if built == 1 { "model" } else { "models" }
                ));
            }
            let missing: Vec<&str> = [
                (conferences == 0, "conferences"),
                (issued == 0 && !nil.directives, "new directives"),
                (built == 0 && !nil.models, "new models"),
            ]
            .iter()
            .filter(|(m, _)| *m)
            .map(|(_, what)| *what)
            .collect();
            let missing = match missing.as_slice() {
                [] => String::new(),
                [one] => (*one).to_string(),
                [init @ .., last] => format!("{} or {last}", init.join(", ")),
            };
            match (parts.is_empty(), missing.is_empty()) {
                (true, _) => format!(
                    "{}, {subject}: no figures on {missing}.",
                    w.during(data.period)
                ),
                (false, true) => {
                    format!("{}, {subject} {}.", w.during(data.period), join_en(&parts))
                }
                (false, false) => format!(
                    "{}, {subject} {}. No figures on {missing}.",
                    w.during(data.period),
                    join_en(&parts)
                ),
            }
        }
    };
    let mut blocks = vec![Block::Paragraph(capitalise(&text))];
    if let Some(note) = rollup_note(data, w) {
        blocks.push(Block::Note(note));
    }
    Section {
        heading: w
            .t("I. TÌNH HÌNH CHUNG", "I. GENERAL SITUATION")
            .to_string(),
        blocks,
    }
}

/// "A, B and C"; "A và B" is for Vietnamese.
fn join_en(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// For a province on the current map over a period before the 2025 merger: which former
/// provinces' figures it includes, and which sent none.
fn rollup_note(data: &ReportData, w: Words) -> Option<String> {
    let r = data.rollup.as_ref()?;
    let names = |v: &[String]| match w.0 {
        Lang::Vi => v.join(", "),
        Lang::En => join_en(v),
    };
    let period = w.the_period(data.period);
    let mut s = match (w.0, r.included.is_empty()) {
        (Lang::Vi, false) => format!(
            "Số liệu {period} được tổng hợp theo địa giới sau sắp xếp năm 2025, gồm số liệu của: {}.",
            names(&r.included)
        ),
        (Lang::Vi, true) => {
            format!("Số liệu {period} được tổng hợp theo địa giới sau sắp xếp năm 2025.")
        }
        (Lang::En, false) => format!(
            "Figures for {period} are on the post-2025 map: they combine those of {}.",
            names(&r.included)
        ),
        (Lang::En, true) => format!("Figures for {period} are on the post-2025 map."),
    };
    if !r.without_data.is_empty() {
        s.push(' ');
        s.push_str(&match w.0 {
            Lang::Vi => format!("Chưa có số liệu của: {}.", names(&r.without_data)),
            Lang::En => format!("No records from {}.", names(&r.without_data)),
        });
    }
    Some(s)
}

fn leadership(data: &ReportData, w: Words, cite: &Citations) -> Section {
    let heading = w
        .t(
            "II. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO",
            "II. LEADERSHIP AND DIRECTION",
        )
        .to_string();
    if data.province.is_none() {
        // The country's directives are counted, not listed; III.4 has them by province.
        let (issued, held) = (
            data.directives.issued.len() as u64,
            data.directives.reviews_held.len() as u64,
        );
        let text = match w.0 {
            Lang::Vi => {
                let issued = if issued == 0 && data.nil_returns.directives {
                    "không ban hành văn bản chỉ đạo mới".to_string()
                } else if issued == 0 {
                    "chưa có số liệu về văn bản chỉ đạo mới ban hành".to_string()
                } else {
                    format!("ban hành {} văn bản chỉ đạo mới", w.n(issued))
                };
                let held = if held == 0 {
                    "chưa có số liệu về sơ kết, tổng kết việc thực hiện văn bản".to_string()
                } else {
                    format!(
                        "tổ chức {} cuộc sơ kết, tổng kết việc thực hiện văn bản",
                        w.n(held)
                    )
                };
                format!(
                    "Trong kỳ, các tỉnh, thành phố {issued}; {held} (số liệu theo tỉnh, thành phố tại mục III.4)."
                )
            }
            Lang::En => {
                let issued = if issued == 0 && data.nil_returns.directives {
                    "issued no new directive".to_string()
                } else if issued == 0 {
                    "sent no figures on new directives".to_string()
                } else {
                    format!(
                        "issued {}",
                        plural(w, issued, "new directive", "new directives")
                    )
                };
                let held = if held == 0 {
                    "no figures on reviews of directives".to_string()
                } else {
                    format!("held {}", plural(w, held, "review", "reviews"))
                };
                format!("In the period the provinces {issued}; {held} (by province in III.4).")
            }
        };
        return Section {
            heading,
            blocks: vec![Block::Paragraph(text)],
        };
    }
    let mut items = Vec::new();
    for d in &data.directives.issued {
        items.push(match w.0 {
            Lang::Vi => format!("Ban hành {}.", cite.cite(d, w)),
            Lang::En => format!("Issued {}.", cite.cite(d, w)),
        });
    }
    for d in &data.directives.reviews_held {
        items.push(phrases::review_held(d, w, cite));
    }
    let mut blocks = Vec::new();
    if data.directives.issued.is_empty() {
        blocks.push(Block::Paragraph(
            if data.nil_returns.directives {
                w.t(
                    "Trong kỳ không ban hành văn bản chỉ đạo mới.",
                    "No new directive was issued in the period.",
                )
            } else {
                w.t(
                    "Chưa có số liệu về văn bản chỉ đạo mới ban hành trong kỳ.",
                    "No figures on new directives issued in the period.",
                )
            }
            .to_string(),
        ));
    }
    if !items.is_empty() {
        blocks.push(Block::Bullets(capped(items, w)));
    }
    Section { heading, blocks }
}

fn results(data: &ReportData, w: Words) -> Section {
    let mut blocks = vec![Block::Heading(
        w.t("1. Tổ chức hội nghị", "1. Conferences").to_string(),
    )];
    blocks.extend(conferences(data, w));
    blocks.push(Block::Heading(match w.0 {
        Lang::Vi => format!("2. Phong trào thi đua {}", w.dvk()),
        Lang::En => "2. The “Dân vận khéo” emulation movement".to_string(),
    }));
    blocks.extend(models(data, w));
    if !data.awards.is_empty() {
        blocks.push(Block::Paragraph(phrases::awards_sentence(data, w)));
    }
    blocks.push(Block::Heading(
        w.t("3. Kết quả thực hiện các chỉ tiêu", "3. Indicators")
            .to_string(),
    ));
    blocks.extend(indicators(data, w));
    if let Some(c) = data.submissions {
        let overdue = match c.overdue {
            0 => String::new(),
            n => format!(", {n} {}", w.t("quá hạn chưa gửi", "overdue")),
        };
        let (sent, approved) = (c.sent, c.approved);
        blocks.push(Block::Paragraph(match w.0 {
            Lang::Vi => format!(
                "Tình hình gửi báo cáo của các đơn vị: {sent}/{} đơn vị đã gửi, {approved} đã duyệt{overdue} (tính đến ngày báo cáo).",
                c.owed
            ),
            Lang::En => format!(
                "Units' reports: {sent} of {} sent, {approved} approved{overdue} (as of the report's date).",
                c.owed
            ),
        }));
    }
    if data.province.is_none() {
        blocks.push(Block::Heading(
            w.t("4. Số liệu theo tỉnh, thành phố", "4. Figures by province")
                .to_string(),
        ));
        blocks.extend(by_province(data, w));
    }
    Section {
        heading: w.t("III. KẾT QUẢ ĐẠT ĐƯỢC", "III. RESULTS").to_string(),
        blocks,
    }
}

/// How many conferences a province report describes one by one; the rest are counted.
pub const CONFERENCES_DESCRIBED: usize = 10;

/// The conferences: how many of each combination of kinds (adding up to the total), then, for
/// a province, each conference in a sentence.
fn conferences(data: &ReportData, w: Words) -> Vec<Block> {
    let c = &data.conferences;
    if c.items.is_empty() {
        return vec![Block::Paragraph(
            w.t(
                "Chưa có số liệu về hội nghị trong kỳ.",
                "No conference is on record for the period.",
            )
            .to_string(),
        )];
    }
    let groups: Vec<String> = c
        .by_kind
        .iter()
        .map(|g| {
            format!(
                "{} {}",
                w.n(g.count as u64),
                group_name(&g.kinds, g.count, w)
            )
        })
        .collect();
    let total = w.n(c.items.len() as u64);
    let text = match (w.0, groups.as_slice()) {
        (Lang::Vi, [one]) => format!("Tổ chức {one}."),
        (Lang::Vi, _) => {
            use danvan_core::conference::ConferenceKind as K;
            let has = |k: K| c.by_kind.iter().any(|g| g.kinds.contains(&k));
            let mut nouns = vec!["hội nghị"];
            if has(K::Workshop) {
                nouns.push("hội thảo");
            }
            if has(K::Training) {
                nouns.push("lớp tập huấn");
            }
            format!(
                "Tổ chức {total} {}, trong đó: {}.",
                nouns.join(", "),
                groups.join("; ")
            )
        }
        (Lang::En, [one]) => format!("{} held.", capitalise(one)),
        (Lang::En, _) => format!(
            "{} held: {}.",
            capitalise(&plural(w, c.items.len() as u64, "event", "events")),
            groups.join("; ")
        ),
    };
    let mut blocks = vec![Block::Paragraph(text)];
    if data.province.is_none() {
        return blocks;
    }
    let mut lines: Vec<String> = c
        .items
        .iter()
        .take(CONFERENCES_DESCRIBED)
        .map(|item| conference_sentence(item, w))
        .collect();
    if c.items.len() > CONFERENCES_DESCRIBED {
        lines.push(
            w.t(
                "Các hội nghị, lớp khác trong kỳ được liệt kê đầy đủ trong số liệu JSON của báo cáo.",
                "The other events of the period are listed in the report's JSON data.",
            )
            .to_string(),
        );
    }
    blocks.push(Block::Bullets(lines));
    blocks
}

fn models(data: &ReportData, w: Words) -> Vec<Block> {
    let t = data.model_totals;
    // Figures reported as indicators: the offices' own counts, shown beside the records'.
    let reported: Vec<&IndicatorRow> = data
        .indicators
        .iter()
        .filter(|r| r.indicator.starts_with("models_") || r.indicator == "exemplars_recognised")
        .filter(|r| r.value.is_some())
        .collect();
    let mut blocks = Vec::new();
    if data.models.is_empty() && reported.is_empty() {
        blocks.push(Block::Paragraph(match w.0 {
            Lang::Vi => format!("Chưa có số liệu về mô hình {} trong kỳ.", w.dvk()),
            Lang::En => "No “Dân vận khéo” model is on record for the period.".to_string(),
        }));
        return blocks;
    }
    if !data.models.is_empty() {
        blocks.push(Block::Paragraph(phrases::model_sentence(t, w)));
    }
    if !reported.is_empty() {
        let whose = match (w.0, data.province.is_some()) {
            (Lang::Vi, true) => format!("Theo báo cáo của {}", subject(data, w)),
            (Lang::Vi, false) => "Theo báo cáo của các tỉnh, thành phố".to_string(),
            (Lang::En, true) => format!("As reported by {}", subject(data, w)),
            (Lang::En, false) => "As reported by the provinces".to_string(),
        };
        // A total of some provinces says so: never presented as the whole.
        let coverage = |r: &IndicatorRow| match (w.0, r.coverage) {
            (Lang::Vi, Some([with, of])) if with < of => {
                format!(" (số liệu của {with}/{of} tỉnh, thành phố)")
            }
            (Lang::En, Some([with, of])) if with < of => {
                format!(" ({with} of {of} provinces reporting)")
            }
            _ => String::new(),
        };
        let figures: Vec<String> = reported
            .iter()
            .map(|r| {
                format!(
                    "{}: {}{}",
                    lower_first(&w.indicator_name(r)),
                    w.row_result(r),
                    coverage(r)
                )
            })
            .collect();
        let note = match w.0 {
            Lang::Vi => " (số liệu tổng hợp của đơn vị, có thể gồm cả mô hình chưa lập hồ sơ)",
            Lang::En => " (the offices' own counts, which may include models not on record)",
        };
        blocks.push(Block::Paragraph(format!(
            "{whose}{note}: {}.",
            figures.join("; ")
        )));
    }
    if data.models.is_empty() {
        return blocks;
    }
    let rows = data
        .models
        .iter()
        .map(|m| {
            vec![
                capitalise(w.t(m.field_names().0, m.field_names().1)),
                w.count(m.built as u64),
                w.count(m.built_previous as u64),
                w.count(m.effective as u64),
                w.count(m.recognised as u64),
            ]
        })
        .chain(std::iter::once(vec![
            w.t("Tổng số", "Total").to_string(),
            w.count(t.built as u64),
            w.count(t.built_previous as u64),
            w.count(t.effective as u64),
            w.count(t.recognised as u64),
        ]))
        .collect();
    blocks.push(Block::Table(Table::new(
        vec![
            Column::text(w.t("Lĩnh vực", "Field")),
            Column::numeric(w.t("Xây dựng mới", "Started")),
            Column::numeric(w.t("Cùng kỳ", "Year earlier")),
            Column::numeric(w.t("Hiệu quả", "Effective")),
            Column::numeric(w.t("Được công nhận", "Recognised")),
        ],
        rows,
    )));
    blocks
}

/// Whether a row is the report's nil return for a part (see `NilReturns`), said in that part's
/// own words rather than listed as a figure of 0.
fn is_nil_return(data: &ReportData, r: &IndicatorRow) -> bool {
    r.value == Some(Decimal::ZERO) && data.nil_returns.records_none_by(&r.indicator)
}

fn indicators(data: &ReportData, w: Words) -> Vec<Block> {
    let shown: Vec<&IndicatorRow> = data
        .indicators
        .iter()
        .filter(|r| !is_nil_return(data, r))
        .collect();
    if shown.is_empty() {
        let mut blocks = vec![Block::Paragraph(
            w.t(
                "Chưa có số liệu chỉ tiêu của kỳ này và cùng kỳ.",
                "No indicator figures for this period or a year earlier.",
            )
            .to_string(),
        )];
        // Units' figures add up even when the province reported none of its own.
        blocks.extend(unit_totals(data, w));
        return blocks;
    }
    let mut blocks = vec![Block::Bullets(
        shown
            .iter()
            .copied()
            .map(|r| phrases::indicator_sentence(r, w))
            .collect(),
    )];
    blocks.extend(other_figures(data, w));
    blocks.extend(unit_totals(data, w));
    let rows = shown
        .iter()
        .copied()
        .map(|r| {
            let flag = if r.inconsistent.is_empty() {
                ""
            } else {
                " ⚠"
            };
            let result = w.row_result(r);
            // A comparison over fewer provinces than the figure is marked and explained below.
            let mark = match r.comparison {
                Comparison::Common { .. } => "*",
                _ => "",
            };
            vec![
                w.indicator_name(r),
                format!("{result}{flag}"),
                format!("{}{mark}", w.figure(r.measure, r.previous)),
                format!("{}{mark}", w.change(r.measure, r.change)),
                w.figure(r.measure, r.target),
                w.status(r.status, closed(data)).to_string(),
            ]
        })
        .collect();
    let mut table = Table::new(
        vec![
            Column::text(w.t("Chỉ tiêu", "Indicator")),
            Column::numeric(w.t("Kết quả", "Result")),
            Column::numeric(w.t("Cùng kỳ", "Year earlier")),
            Column::numeric(w.t("Tăng, giảm", "Change")),
            Column::numeric(w.t("Chỉ tiêu đề ra", "Target")),
            Column::text(w.t("Đánh giá", "Status")),
        ],
        rows,
    );
    table.sources = shown
        .iter()
        .copied()
        .map(|r| {
            r.sources
                .iter()
                .map(|id| format!("observations/{id}"))
                .collect()
        })
        .collect();
    blocks.push(Block::Table(table));
    blocks.extend(table_notes(&shown, w));
    blocks.extend(trend(data, w));
    blocks
}

/// The notes under the indicator table: comparisons over fewer provinces, and stated
/// percentages that disagree with their figures.
fn table_notes(shown: &[&IndicatorRow], w: Words) -> Vec<Block> {
    let mut blocks = Vec::new();
    let flagged: Vec<&str> = shown
        .iter()
        .copied()
        .flat_map(|r| r.inconsistent.iter().map(String::as_str))
        .collect();
    if shown
        .iter()
        .copied()
        .any(|r| matches!(r.comparison, Comparison::Common { .. }))
    {
        blocks.push(Block::Note(
            w.t(
                "* So sánh cùng kỳ chỉ trên các tỉnh, thành phố có số liệu cả hai kỳ (nêu tại từng chỉ tiêu ở trên).",
                "* Compared with a year earlier over the provinces with figures in both periods only (named above under each indicator).",
            )
            .to_string(),
        ));
    }
    if !flagged.is_empty() {
        blocks.push(Block::Note(match w.0 {
            Lang::Vi => format!(
                "⚠ Tỷ lệ nêu trong báo cáo của đơn vị không khớp với số liệu tính được: {}.",
                flagged.join(", ")
            ),
            Lang::En => format!(
                "⚠ The stated percentage does not match the figures in: {}.",
                flagged.join(", ")
            ),
        }));
    }
    blocks
}

/// Trend charts of the indicators with at least two figures over recent periods.
fn trend(data: &ReportData, w: Words) -> Vec<Block> {
    let charts = trend_charts(&data.indicators, w.0);
    if charts.is_empty() {
        return Vec::new();
    }
    // Over the provinces of this period's figure; a period missing some of them says how many
    // it covers ("(1/2)").
    let partial = data
        .indicators
        .iter()
        .any(|r| r.trend.iter().any(|p| p.coverage.is_some()));
    let text = match (w.0, data.province.is_none() || partial) {
        (Lang::Vi, false) => "Diễn biến qua các kỳ:",
        (Lang::Vi, true) => {
            "Diễn biến qua các kỳ (tính trên cùng các tỉnh, thành phố có số liệu của kỳ này):"
        }
        (Lang::En, false) => "Trend over recent periods:",
        (Lang::En, true) => {
            "Trend over recent periods (over the same provinces as this period's figure):"
        }
    };
    let mut blocks = vec![Block::Paragraph(text.to_string()), Block::Charts(charts)];
    if partial {
        blocks.push(Block::Note(
            w.t(
                "(k/n): kỳ chỉ có số liệu của k trong n tỉnh, thành phố có số liệu kỳ này.",
                "(k/n): a period with figures from only k of the n provinces reporting this period.",
            )
            .to_string(),
        ));
    }
    blocks
}

/// Units' figures and those of parts of the period, each as its own line: they are never added
/// into the table's figures.
fn other_figures(data: &ReportData, w: Words) -> Vec<Block> {
    if data.other_figures.is_empty() {
        return Vec::new();
    }
    let lines = data
        .other_figures
        .iter()
        .map(|f| {
            let name = match w.0 {
                Lang::Vi => &f.name,
                Lang::En => &f.name_en,
            };
            let result = match &f.stated {
                Some(stated) => format!("“{stated}”"),
                None => w.result(f.measure, f.ratio, f.value),
            };
            // National reports name the province; a unit's figure names the unit.
            let province = f
                .province
                .as_deref()
                .filter(|_| data.province.is_none())
                .map(|p| registry().all_with_slug(p).next().map_or(p, |u| u.name));
            let whose = match (province, &f.unit) {
                (Some(p), Some(u)) => format!("{p}, {} — ", u.name),
                (Some(p), None) => format!("{p} — "),
                (None, Some(u)) => format!("{} — ", u.name),
                (None, None) => String::new(),
            };
            format!("{whose}{name} ({}): {result}.", w.period(f.period))
        })
        .collect();
    vec![
        Block::Paragraph(
            w.t(
                "Số liệu của các đơn vị và của từng tháng, quý trong kỳ (nêu riêng, không cộng vào số liệu chung):",
                "Figures of units and of months or quarters within the period (shown apart, not added into the totals):",
            )
            .to_string(),
        ),
        Block::Bullets(capped(lines, w)),
    ]
}

/// A province's units' figures added up, indicator by indicator and level by level, with the
/// province's own figure beside each total and never added to it.
fn unit_totals(data: &ReportData, w: Words) -> Vec<Block> {
    if data.unit_totals.is_empty() {
        return Vec::new();
    }
    let lines = data
        .unit_totals
        .iter()
        .map(|t| {
            let name = w.t(&t.name, &t.name_en);
            let result = match t.value {
                Some(_) => w.result(t.measure, t.ratio, t.value),
                None if t.units == 0 => w
                    .t("chưa có số liệu đã được duyệt", "no approved figure yet")
                    .to_string(),
                None => w
                    .t(
                        "không cộng được (xem số liệu từng đơn vị)",
                        "no total (see each unit)",
                    )
                    .to_string(),
            };
            let own = t.own.map_or_else(String::new, |own| {
                let own = w.figure(t.measure, Some(own));
                let gap = t
                    .difference
                    .filter(|d| *d != Decimal::ZERO)
                    .map(|d| w.amount(t.measure, d));
                match (w.0, gap) {
                    (Lang::Vi, Some(d)) => {
                        format!("; theo báo cáo của tỉnh: {own} (chênh lệch {d})")
                    }
                    (Lang::Vi, None) => format!("; theo báo cáo của tỉnh: {own}"),
                    (Lang::En, Some(d)) => {
                        format!("; the province's own figure: {own} (a difference of {d})")
                    }
                    (Lang::En, None) => format!("; the province's own figure: {own}"),
                }
            });
            let pending = match (t.pending.is_empty(), t.pending_included, w.0) {
                (true, _, _) => String::new(),
                (false, false, Lang::Vi) => format!(
                    " (chưa tính số liệu chưa được duyệt của: {})",
                    t.pending.join(", ")
                ),
                (false, true, Lang::Vi) => format!(
                    " (trong đó số liệu chưa được duyệt của: {})",
                    t.pending.join(", ")
                ),
                (false, false, Lang::En) => format!(
                    " (not counting the figures awaiting approval of: {})",
                    t.pending.join(", ")
                ),
                (false, true, Lang::En) => format!(
                    " (including figures awaiting approval of: {})",
                    t.pending.join(", ")
                ),
            };
            format!("{name}: {result}, {}{pending}{own}.", unit_coverage(t, w))
        })
        .collect();
    let unlisted: Vec<&str> = data
        .unit_totals
        .iter()
        .filter(|t| t.due.is_none())
        .map(|t| w.t(t.level.name_vi(), t.level.name_en()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let checked = if unlisted.is_empty() {
        w.t(
            "đối chiếu với danh sách đơn vị báo cáo",
            "checked against the registry of reporting units",
        )
        .to_string()
    } else {
        match w.0 {
            Lang::Vi => format!(
                "số liệu cấp {} chưa đối chiếu được vì chưa có danh sách đơn vị báo cáo",
                unlisted.join(", ")
            ),
            Lang::En => format!(
                "the {} figures are not checked: no registry of those reporting units",
                unlisted.join(", ")
            ),
        }
    };
    vec![
        Block::Paragraph(match w.0 {
            Lang::Vi => format!(
                "Tổng hợp số liệu của các đơn vị trong kỳ (không cộng vào số liệu chung của tỉnh; {checked}):"
            ),
            Lang::En => format!(
                "Units' figures of the period added up (not added into the province's; {checked}):"
            ),
        }),
        Block::Bullets(lines),
    ]
}

/// Whose figures a units' total adds up: "tổng hợp từ 5/9 huyện (chưa đủ: thiếu số liệu của
/// huyện Võ Nhai, …)" against the registry, "tổng hợp từ 05 huyện có số liệu" without one.
fn unit_coverage(t: &crate::data::UnitTotal, w: Words) -> String {
    let n = t.units as u64;
    let Some(due) = t.due else {
        return match w.0 {
            Lang::Vi => format!("tổng hợp từ {} {} có số liệu", w.n(n), t.level.name_vi()),
            Lang::En => format!(
                "summed from {} reporting",
                plural(w, n, t.level.name_en(), &format!("{}s", t.level.name_en()))
            ),
        };
    };
    const SHOWN: usize = 5;
    let mut names: Vec<&str> = t.missing.iter().take(SHOWN).map(String::as_str).collect();
    let more = t.missing.len().saturating_sub(SHOWN);
    let others;
    if more > 0 {
        others = match w.0 {
            Lang::Vi => format!("và {} đơn vị khác", w.n(more as u64)),
            Lang::En => format!("and {more} more"),
        };
        names.push(&others);
    }
    let missing = if t.missing.is_empty() {
        String::new()
    } else {
        match w.0 {
            Lang::Vi => format!(" (chưa đủ: thiếu số liệu của {})", names.join(", ")),
            Lang::En => format!(" (incomplete: no figure from {})", names.join(", ")),
        }
    };
    match w.0 {
        Lang::Vi => format!(
            "tổng hợp từ {}/{due} {}{missing}",
            t.units,
            t.level.name_vi()
        ),
        Lang::En => format!(
            "summed from {} of {}{missing}",
            t.units,
            plural(
                w,
                due as u64,
                t.level.name_en(),
                &format!("{}s", t.level.name_en())
            )
        ),
    }
}

/// The trend charts a report draws for `rows`: those with at least two figures over recent
/// periods, leading periods with nothing charted left out.
pub fn trend_charts(rows: &[IndicatorRow], lang: Lang) -> Vec<Chart> {
    let w = Words(lang);
    let mut charts: Vec<Chart> = rows
        .iter()
        .filter(|r| r.trend.iter().filter(|p| p.value.is_some()).count() >= 2)
        .map(|r| chart(r, w))
        .collect();
    let first = charts
        .iter()
        .filter_map(|c| c.points.iter().position(|p| p.value.is_some()))
        .min()
        .unwrap_or(0);
    for c in &mut charts {
        c.points.drain(..first);
    }
    charts
}

fn chart(row: &IndicatorRow, w: Words) -> Chart {
    Chart {
        title: w.indicator_name(row),
        points: row
            .trend
            .iter()
            .map(|p| ChartPoint {
                label: w.period(p.period),
                value: p.value.map(Decimal::to_f64),
                // A point over fewer of the provinces than the period's figure says so.
                text: match p.coverage {
                    Some([with, of]) => format!("{} ({with}/{of})", w.figure(row.measure, p.value)),
                    None => w.figure(row.measure, p.value),
                },
            })
            .collect(),
        target: row
            .target
            .map(|t| (t.to_f64(), w.figure(row.measure, Some(t)))),
        percent: matches!(row.measure, Measure::Ratio | Measure::Percent),
    }
}

/// A province's name in the report's language (the Vietnamese name when no English one is known).
fn province_name(w: Words, slug: &str, vi: &str) -> String {
    match w.0 {
        Lang::Vi => vi.to_string(),
        Lang::En => registry()
            .all_with_slug(slug)
            .next()
            .map_or_else(|| vi.to_string(), |u| u.name_en().to_string()),
    }
}

fn by_province(data: &ReportData, w: Words) -> Vec<Block> {
    let mut blocks = vec![Block::Paragraph(match (w.0, data.map) {
        (Lang::Vi, ProvinceMap::Current) => {
            "Số liệu theo địa giới hiện hành: số liệu của các tỉnh trước sắp xếp năm 2025 được tổng hợp vào tỉnh, thành phố mới. Dấu “—”: chưa có số liệu.".to_string()
        }
        (Lang::Vi, ProvinceMap::AsRecorded) => {
            "Số liệu theo địa giới tại thời điểm báo cáo của kỳ. Dấu “—”: chưa có số liệu.".to_string()
        }
        (Lang::En, ProvinceMap::Current) => {
            "On the current map: the figures of provinces merged in 2025 are rolled into their successors. A dash: no records.".to_string()
        }
        (Lang::En, ProvinceMap::AsRecorded) => {
            "On the map of the period, as recorded. A dash: no records.".to_string()
        }
    })];
    blocks.push(Block::Table(province_overview(data, w)));
    if data.conferences.central > 0 {
        blocks.push(Block::Note(match w.0 {
            Lang::Vi => format!(
                "Ngoài ra, {} hội nghị do Trung ương tổ chức, không tính vào tỉnh, thành phố nào.",
                w.n(data.conferences.central as u64)
            ),
            Lang::En => format!(
                "Besides, {} held centrally, counted under no province.",
                plural(
                    w,
                    data.conferences.central as u64,
                    "conference was",
                    "conferences were"
                )
            ),
        }));
    }
    if data.indicators.iter().any(|r| r.value.is_some()) {
        blocks.push(Block::Note(
            w.t(
                "Các bảng dưới đây chỉ liệt kê tỉnh, thành phố có số liệu của kỳ này hoặc cùng kỳ.",
                "The tables below list only the provinces with a figure for this period or a year earlier.",
            )
            .to_string(),
        ));
    }
    for row in data.indicators.iter().filter(|r| r.value.is_some()) {
        blocks.push(Block::Paragraph(format!("{}:", w.indicator_name(row))));
        blocks.push(Block::Table(indicator_by_province(row, w, closed(data))));
    }
    blocks
}

/// The table of each province's counts; a province with no record of a kind has no figure for
/// it (a dash), not a zero.
fn province_overview(data: &ReportData, w: Words) -> Table {
    let cell = |n: usize| {
        if n == 0 {
            "—".to_string()
        } else {
            w.count(n as u64)
        }
    };
    Table::new(
        vec![
            Column::text(w.t("Tỉnh, thành phố", "Province")),
            Column::numeric(w.t("Hội nghị", "Conferences")),
            Column::numeric(w.t("Văn bản ban hành", "Directives issued")),
            Column::numeric(w.t("Mô hình xây dựng mới", "Models started")),
            Column::numeric(w.t("Mô hình được công nhận", "Models recognised")),
            Column::numeric(w.t("Sơ kết, tổng kết đã tổ chức", "Reviews held")),
            Column::numeric(w.t("Sơ kết, tổng kết quá hạn", "Reviews overdue")),
            Column::numeric(w.t("Chỉ tiêu có số liệu", "Indicators reported")),
        ],
        data.provinces
            .iter()
            .map(|p| {
                vec![
                    province_name(w, &p.province, &p.name),
                    cell(p.conferences),
                    cell(p.directives_issued),
                    cell(p.models_built),
                    cell(p.models_recognised),
                    cell(p.reviews_held),
                    cell(p.reviews_overdue),
                    cell(p.indicators_reported),
                ]
            })
            .collect(),
    )
}

/// One indicator's figures by province: those with a figure this period or a year earlier, each
/// row linked to its observations.
fn indicator_by_province(row: &IndicatorRow, w: Words, closed: bool) -> Table {
    let shown: Vec<&crate::data::ProvinceFigure> = row
        .by_province
        .iter()
        .filter(|p| p.value.is_some() || p.previous.is_some())
        .collect();
    let mut table = Table::new(
        vec![
            Column::text(w.t("Tỉnh, thành phố", "Province")),
            Column::numeric(w.t("Kết quả", "Result")),
            Column::numeric(w.t("Cùng kỳ", "Year earlier")),
            Column::numeric(w.t("Tăng, giảm", "Change")),
            Column::text(w.t("Đánh giá", "Status")),
        ],
        shown
            .iter()
            .map(|p| {
                vec![
                    province_name(w, &p.province, &p.name),
                    w.result(row.measure, p.ratio, p.value),
                    w.figure(row.measure, p.previous),
                    w.change(row.measure, p.change),
                    w.status(p.status, closed).to_string(),
                ]
            })
            .collect(),
    );
    table.sources = shown
        .iter()
        .map(|p| {
            p.sources
                .iter()
                .map(|id| format!("observations/{id}"))
                .collect()
        })
        .collect();
    table
}

fn limitations(data: &ReportData, w: Words, cite: &Citations) -> Section {
    let mut items = Vec::new();
    for r in &data.indicators {
        if let Some(line) = phrases::shortcoming(r, w) {
            items.push(line);
        }
    }
    // What the conferences themselves recorded as shortcomings.
    let recorded: Vec<String> = data
        .conferences
        .items
        .iter()
        .flat_map(|c| c.shortcomings.iter().map(move |s| (c, s)))
        .map(|(c, s)| phrases::recorded_shortcoming(c, s, w))
        .collect();
    items.extend(capped(recorded, w));
    let overdue = data.directives.overdue.len() as u64;
    if data.province.is_none() && overdue > 0 {
        items.push(match w.0 {
            Lang::Vi => format!(
                "Còn {} cuộc sơ kết, tổng kết việc thực hiện văn bản đã quá hạn (theo tỉnh, thành phố tại mục III.4).",
                w.n(overdue)
            ),
            Lang::En => format!(
                "{} of directives are overdue (by province in III.4).",
                capitalise(&plural(w, overdue, "review", "reviews"))
            ),
        });
    } else {
        let lines = data
            .directives
            .overdue
            .iter()
            .map(|d| phrases::overdue(d, w, cite))
            .collect();
        items.extend(capped(lines, w));
    }
    if !data.not_reporting.is_empty() {
        let names: Vec<String> = data
            .not_reporting
            .iter()
            .map(|n| match w.0 {
                Lang::Vi => n.clone(),
                Lang::En => data
                    .provinces
                    .iter()
                    .find(|p| &p.name == n)
                    .and_then(|p| registry().all_with_slug(&p.province).next())
                    .map_or_else(|| n.clone(), |u| u.name_en().to_string()),
            })
            .collect();
        items.push(match w.0 {
            Lang::Vi => format!(
                "Chưa có số liệu chỉ tiêu của {} tỉnh, thành phố: {}.",
                w.n(names.len() as u64),
                names.join(", ")
            ),
            Lang::En => format!(
                "{} sent no indicator figures: {}.",
                capitalise(&plural(w, names.len() as u64, "province", "provinces")),
                join_en(&names)
            ),
        });
    }
    let mut blocks = Vec::new();
    if items.is_empty() && data.nil_returns.shortcomings {
        blocks.push(Block::Paragraph(
            w.t(
                "Số liệu trong kỳ không cho thấy hạn chế nào.",
                "The figures of the period show no shortcoming.",
            )
            .to_string(),
        ));
    } else if items.is_empty() {
        blocks.push(Block::Paragraph(
            w.t(
                "Chưa có số liệu về hạn chế trong kỳ (không có chỉ tiêu nào chưa đạt chỉ tiêu đề ra hoặc chuyển biến kém so với cùng kỳ).",
                "No figures on shortcomings in the period (no indicator is short of its target or moved the wrong way on a year earlier).",
            )
            .to_string(),
        ));
    } else {
        blocks.push(Block::Bullets(items));
    }
    blocks.push(Block::Note(
        w.t(
            "[Đơn vị bổ sung nguyên nhân của hạn chế.]",
            "[To be written by the office: the causes.]",
        )
        .to_string(),
    ));
    Section {
        heading: w
            .t("IV. HẠN CHẾ VÀ NGUYÊN NHÂN", "IV. SHORTCOMINGS AND CAUSES")
            .to_string(),
        blocks,
    }
}

/// The heading of the tasks ahead: the period that really follows ("6 THÁNG CUỐI NĂM 2024",
/// "NĂM 2025"), or "THỜI GIAN TỚI" after a phase, whose successor no one has set.
fn next_heading(period: Period, w: Words) -> String {
    let next = match period.kind() {
        PeriodKind::Phase | PeriodKind::Term => None,
        // After the second half comes the next year's work, planned as a year.
        PeriodKind::Half if period.to_vietnamese().contains("cuối năm") => {
            Period::year(period.years().1 + 1).ok()
        }
        _ => period.next(),
    };
    match (w.0, next) {
        (Lang::Vi, Some(p)) => format!("VI. PHƯƠNG HƯỚNG, NHIỆM VỤ {}", w.period(p).to_uppercase()),
        (Lang::Vi, None) => "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI".to_string(),
        (Lang::En, Some(p)) => format!("VI. TASKS FOR {}", w.the_period(p).to_uppercase()),
        (Lang::En, None) => "VI. TASKS AHEAD".to_string(),
    }
}

/// The country's tasks: the reviews overdue and due, and the phases ending, counted.
fn national_tasks(data: &ReportData, w: Words) -> Vec<String> {
    let d = &data.directives;
    [
        (
            d.overdue.len(),
            "Tổ chức {} cuộc sơ kết, tổng kết việc thực hiện văn bản đã quá hạn.",
            "Hold the {} overdue.",
            ("review", "reviews"),
        ),
        (
            d.due_next.len(),
            "Tổ chức {} cuộc sơ kết, tổng kết việc thực hiện văn bản đến hạn trong kỳ tới.",
            "Hold the {} falling due next.",
            ("review", "reviews"),
        ),
        (
            d.phases_ending.len(),
            "Chuẩn bị tổng kết việc thực hiện {} văn bản kết thúc giai đoạn trong kỳ tới.",
            "Prepare the final reviews of {} whose phase ends next.",
            ("directive", "directives"),
        ),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, vi, en, (one, many))| match w.0 {
        Lang::Vi => vi.replacen("{}", &w.n(n as u64), 1),
        Lang::En => en.replacen("{}", &plural(w, n as u64, one, many), 1),
    })
    .collect()
}

/// A province's tasks: each review overdue or due, each phase ending (unless its final review
/// is listed already), and the tasks set by the conferences that reviewed the period.
fn province_tasks(data: &ReportData, w: Words, cite: &Citations) -> Vec<String> {
    let mut lines = Vec::new();
    for d in data
        .directives
        .overdue
        .iter()
        .chain(&data.directives.due_next)
    {
        lines.push(phrases::review_task(d, w, cite));
    }
    // A phase whose final review is already listed above needs no second line.
    let listed_final = |id: &str| {
        data.directives
            .overdue
            .iter()
            .chain(&data.directives.due_next)
            .any(|d| {
                d.id == id && d.review_kind == Some(danvan_core::directive::MilestoneKind::Final)
            })
    };
    for d in data
        .directives
        .phases_ending
        .iter()
        .filter(|d| !listed_final(&d.id))
    {
        lines.push(match w.0 {
            Lang::Vi => format!(
                "Chuẩn bị tổng kết việc thực hiện {} khi kết thúc giai đoạn.",
                cite.cite(d, w)
            ),
            Lang::En => format!(
                "Prepare the final review of {} as its phase ends.",
                cite.cite(d, w)
            ),
        });
    }
    // The tasks set by the conferences that reviewed this period.
    for c in data
        .conferences
        .items
        .iter()
        .filter(|c| c.reviewed_period == Some(data.period))
    {
        lines.extend(c.tasks.iter().map(|t| match w.0 {
            Lang::Vi => sentence(t),
            // A task as the conference worded it, quoted and attributed: never passed off as
            // the report's own English.
            Lang::En => format!(
                "As set by the conference of {}: “{}”",
                w.date(c.date),
                sentence(t)
            ),
        }));
    }
    lines
}

fn directions(data: &ReportData, w: Words, cite: &Citations) -> Section {
    let mut items = if data.province.is_none() {
        national_tasks(data, w)
    } else {
        capped(province_tasks(data, w, cite), w)
    };
    for r in data
        .indicators
        .iter()
        .filter(|r| r.target.is_some() && r.status == Status::OffTrack)
    {
        items.push(match w.0 {
            Lang::Vi => format!(
                "Phấn đấu đạt chỉ tiêu {} ({}).",
                lower_first(&r.name),
                w.figure(r.measure, r.target)
            ),
            Lang::En => format!(
                "Reach the target for {} ({}).",
                lower_first(&r.name_en),
                w.figure(r.measure, r.target)
            ),
        });
    }
    items.push(match w.0 {
        Lang::Vi => format!(
            "Tiếp tục thực hiện các văn bản chỉ đạo đang có hiệu lực; nhân rộng các mô hình {} hiệu quả.",
            w.dvk()
        ),
        Lang::En => "Keep carrying out the directives in force and spread the effective “Dân vận khéo” models.".to_string(),
    });
    Section {
        heading: next_heading(data.period, w),
        blocks: vec![Block::Bullets(items)],
    }
}

fn closing(
    data: &ReportData,
    province: Option<&danvan_core::province::Province>,
    w: Words,
) -> Closing {
    // Sent to the central board as it was named on the report's date.
    let recipients: Vec<String> = match (province, w.0) {
        (Some(p), Lang::Vi) => vec![
            format!("- {},", data.board.central),
            format!("- Thường trực {},", committee_vi(p)),
            "- Lưu Văn phòng.".to_string(),
        ],
        (Some(p), Lang::En) => vec![
            format!("- {},", data.board.central_en),
            format!(
                "- {} of the {},",
                glossary::en("Thường trực"),
                committee_en(p)
            ),
            format!("- {}.", glossary::en("Lưu Văn phòng")),
        ],
        (None, Lang::Vi) => vec![
            "- Bộ Chính trị, Ban Bí thư,".to_string(),
            "- Các tỉnh ủy, thành ủy,".to_string(),
            "- Lưu Văn phòng.".to_string(),
        ],
        (None, Lang::En) => vec![
            format!(
                "- {} and {},",
                glossary::en("Bộ Chính trị"),
                glossary::en("Ban Bí thư")
            ),
            "- Provincial and city Party committees,".to_string(),
            format!("- {}.", glossary::en("Lưu Văn phòng")),
        ],
    };
    Closing {
        recipients_title: match w.0 {
            Lang::Vi => "Nơi nhận:".to_string(),
            Lang::En => format!("{}:", glossary::en("Nơi nhận")),
        },
        recipients,
        signer: match w.0 {
            Lang::Vi => vec![
                "TRƯỞNG BAN".to_string(),
                String::new(),
                "(Ký, ghi rõ họ tên)".to_string(),
            ],
            Lang::En => vec![
                glossary::en("Trưởng Ban").to_uppercase(),
                String::new(),
                format!("({})", glossary::en("Ký, ghi rõ họ tên")),
            ],
        },
    }
}

/// How many lines a list shows before summing up the rest (the JSON has them all).
pub const LIST_LIMIT: usize = 30;

/// `items`, at most [`LIST_LIMIT`] of them, and a line counting the rest.
fn capped(mut items: Vec<String>, w: Words) -> Vec<String> {
    if items.len() > LIST_LIMIT {
        items.truncate(LIST_LIMIT);
        items.push(
            w.t(
                "… (danh sách đầy đủ trong số liệu JSON của báo cáo).",
                "… (the report's JSON data lists the rest).",
            )
            .to_string(),
        );
    }
    items
}

/// "1 conference", "3 conferences", "no new directives".
fn plural(w: Words, n: u64, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        1 => format!("1 {one}"),
        _ => format!("{} {many}", w.count(n)),
    }
}

/// A recorded phrase as a sentence: capitalised, ending with a full stop.
fn sentence(s: &str) -> String {
    let s = capitalise(s.trim());
    if s.ends_with(['.', '!', '?', '…']) {
        s
    } else {
        format!("{s}.")
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Lower-cases the first letter unless the first word is an acronym or a name ("PAPI").
fn lower_first(s: &str) -> String {
    let first_word = s.split_whitespace().next().unwrap_or("");
    if first_word.chars().filter(|c| c.is_uppercase()).count() > 1 {
        return s.to_string();
    }
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_lowercase().chain(c).collect())
}
