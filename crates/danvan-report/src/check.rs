//! The report checker: what a board chief would send back, found by a program.
//!
//! [`check`] reads a report's figures ([`ReportData`]) and the document composed from them in
//! one language, and lists every [`Finding`]: a breakdown that does not add up to its total, a
//! number in the text that the figures do not hold, "0 cuộc" or ",00%", a doubled word, a
//! judgement ("Đạt", "Chưa đạt") without a target, a review both held and due, a conference
//! after the report's date or a review called overdue before its deadline, a period code
//! ("2024S1") where words belong, straight quotes in Vietnamese, a report that says it found no
//! shortcoming while conferences recorded some. The tests run it over the demo store, the
//! articles fixture and generated stores, every kind of period, both maps and both languages;
//! a report it finds nothing in is one a chief can sign without correcting these things.

use std::collections::HashSet;

use serde_json::Value;

use crate::compose::compose;
use danvan_core::indicator::Aggregation;
use danvan_core::number::Decimal;
use danvan_core::period::{Period, Window};
use danvan_core::province::ProvinceRef;

use crate::data::{Comparison, ReportData, Status};
use crate::doc::{Block, Document, Lang, Table};

/// One thing wrong with a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Which rule: `breakdown`, `number`, `zero`, `doubled_word`, `trailing_zeros`,
    /// `judgement`, `held_and_due`, `after_report_date`, `period_code`, `straight_quote`,
    /// `shortcomings`, `missing_as_zero`, `title`, `not_summable`, `level_sum`,
    /// `unlike_comparison`.
    pub rule: &'static str,
    /// Where: the section heading, or `data` for the figures.
    pub place: String,
    /// What was found: the words at fault and the text they stand in (quoted as the report
    /// writes them), or, on the figures, the numbers that disagree.
    pub detail: String,
}

impl Finding {
    /// A finding on the figures (`place` is `data`).
    fn data(rule: &'static str, detail: String) -> Finding {
        Finding {
            rule,
            place: "data".to_string(),
            detail,
        }
    }
}

impl Finding {
    /// What its rule finds, in `lang`: "Các phần không cộng lại bằng tổng".
    pub fn what(&self, lang: Lang) -> String {
        danvan_i18n::text(lang, &format!("check-{}", self.rule.replace('_', "-")))
    }

    /// Why a chief would send it back, in `lang`.
    pub fn why(&self, lang: Lang) -> String {
        danvan_i18n::text(lang, &format!("check-why-{}", self.rule.replace('_', "-")))
    }

    /// Where, in `lang`: the section's heading as the report writes it, or the figures, the
    /// title, the units' or the indicators' part.
    pub fn place_in(&self, lang: Lang) -> String {
        match self.place.as_str() {
            "data" | "title" | "units" | "indicators" => {
                danvan_i18n::text(lang, &format!("check-place-{}", self.place))
            }
            heading => heading.to_string(),
        }
    }

    /// The finding as a person reads it: where, what (with the details found), and why.
    pub fn explained(&self, lang: Lang) -> String {
        format!(
            "{} · {}: {} ({})",
            self.place_in(lang),
            self.what(lang),
            self.detail,
            self.why(lang)
        )
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}: {}", self.rule, self.place, self.detail)
    }
}

/// Checks the report of `data` in `lang`: the figures, and the document composed from them.
pub fn check(data: &ReportData, lang: Lang) -> Vec<Finding> {
    let doc = compose(data, lang);
    let mut out = check_data(data);
    out.extend(check_document(data, &doc));
    out
}

/// The rules on the figures alone.
pub fn check_data(data: &ReportData) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut find = |rule, detail: String| out.push(Finding::data(rule, detail));
    // Conferences by kind add up to the conferences held.
    let by_kind: usize = data.conferences.by_kind.iter().map(|k| k.count).sum();
    if by_kind != data.conferences.items.len() {
        find(
            "breakdown",
            format!(
                "conferences by kind sum to {by_kind}, but {} were held",
                data.conferences.items.len()
            ),
        );
    }
    // A national report's provinces add up to the country's figures, with the central
    // records that belong to no province.
    if data.province.is_none() && !data.provinces.is_empty() {
        let held: usize = data.provinces.iter().map(|p| p.conferences).sum();
        if held + data.conferences.central != data.conferences.items.len() {
            find(
                "breakdown",
                format!(
                    "conferences by province ({held}) and central ones ({}) do not add up to {}",
                    data.conferences.central,
                    data.conferences.items.len()
                ),
            );
        }
        for row in &data.indicators {
            let Some((n, d)) = row.ratio else { continue };
            let (pn, pd) = row
                .by_province
                .iter()
                .filter_map(|p| p.ratio)
                .fold((0, 0), |(a, b), (x, y)| (a + x, b + y));
            if pn > n || pd > d {
                find(
                    "breakdown",
                    format!(
                        "{}: provinces sum to {pn}/{pd}, more than the country's {n}/{d}",
                        row.indicator
                    ),
                );
            }
        }
    }
    // Judgements only against a target.
    for row in &data.indicators {
        let judged = matches!(row.status, Status::OnTrack | Status::OffTrack);
        if judged && row.target.is_none() {
            find(
                "judgement",
                format!(
                    "{} is judged {:?} without a target",
                    row.indicator, row.status
                ),
            );
        }
        for p in &row.by_province {
            if matches!(p.status, Status::OnTrack | Status::OffTrack)
                && p.target.or(row.target).is_none()
            {
                find(
                    "judgement",
                    format!(
                        "{} in {} is judged {:?} without a target",
                        row.indicator, p.province, p.status
                    ),
                );
            }
        }
    }
    // A review is held or due, never both.
    let held: HashSet<(&str, usize)> = data
        .directives
        .reviews_held
        .iter()
        .filter_map(|l| Some((l.id.as_str(), l.milestone?)))
        .collect();
    for l in data
        .directives
        .overdue
        .iter()
        .chain(&data.directives.due_next)
    {
        if let Some(m) = l.milestone
            && held.contains(&(l.id.as_str(), m))
        {
            find(
                "held_and_due",
                format!("review {m} of {} is both held and due", l.id),
            );
        }
    }
    out.extend(after_report_date(data));
    out.extend(totals(data));
    out
}

/// Totals a chief can sign: an index never summed or averaged, a level's own total never
/// added to its parts, a change only between the same provinces.
fn totals(data: &ReportData) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut find = |rule, detail: String| out.push(Finding::data(rule, detail));
    for row in &data.indicators {
        if row.aggregation == Aggregation::Listed && row.value.is_some() && row.observations > 1 {
            find(
                "not_summable",
                format!(
                    "{}: {} figures combined into one, though they never add up",
                    row.indicator, row.observations
                ),
            );
        }
        // The provinces' own figures add up to the national one; nothing else is in it.
        if data.province.is_none() && row.aggregation == Aggregation::Sum {
            let provinces: Option<i64> = row
                .by_province
                .iter()
                .filter(|p| !p.sources.is_empty())
                .map(|p| p.value.map(|v| v.round(0).units()))
                .sum();
            let sum = provinces.map(Decimal::from_int);
            if !row.units.is_empty() && sum.is_some() && sum != row.value {
                find(
                    "level_sum",
                    format!(
                        "{}: the total {:?} is not the sum of the provinces' figures {:?}",
                        row.indicator, row.value, sum
                    ),
                );
            }
        }
        if row.change.is_some() {
            let compared = match &row.comparison {
                Comparison::Common { units, .. } => units,
                _ => &row.units,
            };
            let (now_period, before_period) = match row.span {
                Some([first, last]) => (last, first),
                None => (
                    data.period,
                    data.period.same_period_last_year().unwrap_or(data.period),
                ),
            };
            if !same_land(compared, now_period, &row.previous_units, before_period) {
                find(
                    "unlike_comparison",
                    format!(
                        "{}: compares {compared:?} with {:?} a year earlier",
                        row.indicator, row.previous_units
                    ),
                );
            }
        }
    }
    for t in &data.unit_totals {
        // Coverage is counted against the registry: never more figures than units due, and
        // the units named missing are exactly those without one.
        if let Some(due) = t.due
            && (t.units > due || t.missing.len() + t.units.min(due) != due)
        {
            find(
                "unit_coverage",
                format!(
                    "{} ({:?}): {} units' figures, {due} units due, {} named missing",
                    t.indicator,
                    t.level,
                    t.units,
                    t.missing.len()
                ),
            );
        }
    }
    out
}

/// Whether figures of provinces `now` (slugs as recorded) in `now_period` cover the same land
/// as those of `before` in `before_period`: for each province on today's map, the same
/// provinces as they were then, or all that made it up in each period.
fn same_land(now: &[String], now_period: Period, before: &[String], before_period: Period) -> bool {
    use std::collections::{BTreeMap, BTreeSet};
    type Sides = [BTreeSet<(&'static str, Option<chrono::NaiveDate>)>; 2];
    let registry = danvan_core::province::registry();
    let mut land: BTreeMap<&'static str, Sides> = BTreeMap::new();
    for (side, slugs, period) in [(0, now, now_period), (1, before, before_period)] {
        let (start, end) = period.date_range(Window::Calendar);
        for slug in slugs {
            let Ok(p) = ProvinceRef::new(slug).during(start, end) else {
                return false;
            };
            let Some(today) = registry.current(p.slug) else {
                return false;
            };
            land.entry(today.slug).or_default()[side].insert((p.slug, p.valid_from));
        }
    }
    land.iter().all(|(today, [n, b])| {
        let whole = |have: &BTreeSet<_>, period: Period| {
            let end = period.date_range(Window::Calendar).1;
            registry
                .constituents(today, end)
                .all(|p| have.contains(&(p.slug, p.valid_from)))
        };
        n == b || (whole(n, now_period) && whole(b, before_period))
    })
}

/// The report's date governs: nothing after it is narrated, and a review is overdue only once
/// its deadline has passed on that date.
fn after_report_date(data: &ReportData) -> Vec<Finding> {
    let finding = |detail: String| Finding::data("after_report_date", detail);
    let mut out: Vec<Finding> = data
        .conferences
        .items
        .iter()
        .filter(|c| c.date > data.today)
        .map(|c| {
            finding(format!(
                "conference {} of {} is after the report's date {}",
                c.id, c.date, data.today
            ))
        })
        .collect();
    for l in &data.directives.overdue {
        if let Some(deadline) = l.deadline.filter(|d| *d >= data.today) {
            out.push(finding(format!(
                "review of {} is called overdue, but its deadline {deadline} is not past on the report's date {}",
                l.id, data.today
            )));
        }
    }
    out
}

/// The rules on the document, given the figures it was composed from.
pub fn check_document(data: &ReportData, doc: &Document) -> Vec<Finding> {
    let mut out = Vec::new();
    let known = known_numbers(data, doc.lang);
    let vi = doc.lang == Lang::Vi;
    let title_kind = doc.subtitle.split_whitespace().next().unwrap_or("");
    let short = matches!(
        data.period.kind(),
        danvan_core::period::PeriodKind::Month | danvan_core::period::PeriodKind::Quarter
    );
    if short && matches!(title_kind, "Sơ" | "Tổng" | "Review" | "Annual" | "Final") {
        out.push(Finding {
            rule: "title",
            place: "title".to_string(),
            detail: format!("a report on a month or quarter titled {:?}", doc.subtitle),
        });
    }
    let conference_shortcomings = data
        .conferences
        .items
        .iter()
        .any(|c| !c.shortcomings.is_empty());
    // A units' total short of the units due says so, with its coverage.
    let all: Vec<String> = doc.sections.iter().flat_map(section_texts).collect();
    coverage_said(data, &all, vi, &mut out);
    for t in &data.unit_totals {
        let Some(due) = t.due.filter(|d| t.units < *d) else {
            continue;
        };
        let said = if vi {
            format!("tổng hợp từ {}/{due} ", t.units)
        } else {
            format!("summed from {} of {due} ", t.units)
        };
        if !all.iter().any(|text| text.contains(&said)) {
            out.push(Finding {
                rule: "incomplete_total",
                place: "units".to_string(),
                detail: format!(
                    "{}: the total of {} of {due} units does not say its coverage",
                    t.indicator, t.units
                ),
            });
        }
    }
    for section in &doc.sections {
        let place = section.heading.clone();
        let mut find = |rule, detail: String| {
            out.push(Finding {
                rule,
                place: place.clone(),
                detail,
            });
        };
        for text in section_texts(section) {
            check_text(&text, doc.lang, data.nil_returns, &known, &mut find);
            if conference_shortcomings
                && (text.contains("Chưa có số liệu về hạn chế")
                    || text.contains("No figures on shortcomings"))
            {
                find(
                    "shortcomings",
                    format!("{text:?} although conferences recorded shortcomings"),
                );
            }
            if vi && text.contains('"') {
                find("straight_quote", format!("“{text}”"));
            }
        }
        for block in &section.blocks {
            if let Block::Table(t) = block {
                check_table(t, doc.lang, &mut find);
            }
        }
    }
    out
}

/// A national total of some provinces says whose (`national_coverage`), and a phase or term
/// report with figures for its years never says it has none (`phase_figures`).
fn coverage_said(data: &ReportData, all: &[String], vi: bool, out: &mut Vec<Finding>) {
    let said = |s: &str| all.iter().any(|text| text.contains(s));
    if data.province.is_none() {
        for row in &data.indicators {
            let Some([with, of]) = row
                .coverage
                .filter(|[w, o]| *w > 0 && w < o && row.value.is_some())
            else {
                continue;
            };
            let phrase = if vi {
                format!("số liệu của {with}/{of} tỉnh")
            } else {
                format!("{with} of {of} provinces")
            };
            // Names are compared without their quotes: the text curls them.
            let unquoted = |s: &str| s.replace(['"', '“', '”'], "");
            let name = unquoted(if vi { &row.name } else { &row.name_en });
            if !all
                .iter()
                .any(|text| unquoted(text).contains(&name) && text.contains(&phrase))
            {
                out.push(Finding {
                    rule: "national_coverage",
                    place: row.indicator.clone(),
                    detail: format!("a total of {with} of {of} provinces that does not say so"),
                });
            }
        }
    }
    let phase = matches!(
        data.period.kind(),
        danvan_core::period::PeriodKind::Phase | danvan_core::period::PeriodKind::Term
    );
    if phase
        && data.indicators.iter().any(|r| r.value.is_some())
        && (said("Chưa có số liệu chỉ tiêu của kỳ này")
            || said("No indicator figures for this period"))
    {
        out.push(Finding {
            rule: "phase_figures",
            place: "indicators".to_string(),
            detail: "a phase report with its years' figures says it has none".to_string(),
        });
    }
}

/// Every piece of running text and every cell of a section, headings of blocks left out
/// (their numbering is not a figure).
fn section_texts(section: &crate::doc::Section) -> Vec<String> {
    let mut out = Vec::new();
    for block in &section.blocks {
        match block {
            Block::Heading(_) => {}
            Block::Paragraph(p) | Block::Note(p) => out.push(p.clone()),
            Block::Bullets(items) => out.extend(items.iter().cloned()),
            Block::Table(t) => {
                out.extend(t.columns.iter().map(|c| c.title.clone()));
                out.extend(t.rows.iter().flatten().cloned());
            }
            Block::Charts(charts) => {
                for c in charts {
                    out.push(c.title.clone());
                    out.extend(c.points.iter().map(|p| p.label.clone()));
                    out.extend(c.points.iter().map(|p| p.text.clone()));
                }
            }
        }
    }
    out
}

fn check_text(
    text: &str,
    lang: Lang,
    nil: crate::data::NilReturns,
    known: &HashSet<String>,
    find: &mut impl FnMut(&'static str, String),
) {
    for number in numbers_in(text, lang) {
        if !known.contains(&number) {
            find("number", format!("“{number}” — “{text}”"));
        }
    }
    for zero in [
        "0 cuộc",
        "0 văn bản",
        "0 hội nghị",
        "0 mô hình",
        "0 lượt",
        "0 điển hình",
    ] {
        if text.match_indices(zero).any(|(i, _)| {
            !text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',')
        }) {
            find("zero", format!("“{zero}” — “{text}”"));
        }
    }
    if text.contains(",00%") || text.contains(".00%") || text.contains(",00\u{a0}điểm") {
        find("trailing_zeros", format!("“{text}”"));
    }
    // "None" only where the board recorded a nil return for that part.
    for (phrase, recorded) in [
        ("chưa tổ chức hội nghị", false),
        ("chưa xây dựng mới", false),
        ("kém hơn cùng kỳ", false),
        ("không ban hành văn bản chỉ đạo mới", nil.directives),
        ("issued no new directive", nil.directives),
        ("đăng ký xây dựng mới", nil.models),
        ("registered no new", nil.models),
        ("không cho thấy hạn chế nào", nil.shortcomings),
        ("show no shortcoming", nil.shortcomings),
    ] {
        if text.contains(phrase) && !recorded {
            find("missing_as_zero", format!("“{phrase}” — “{text}”"));
        }
    }
    // Words separated by a space alone: "về về"; "Hà Nam, Nam Định" is two names.
    let words: Vec<&str> = text.split_whitespace().collect();
    for pair in words.windows(2) {
        let (a, b) = (
            pair[0],
            pair[1].trim_end_matches(|c: char| !c.is_alphanumeric()),
        );
        let b = b.trim_start_matches(|c: char| !c.is_alphanumeric());
        if a.chars().all(char::is_alphabetic)
            && a.chars().count() > 1
            && a.to_lowercase() == b.to_lowercase()
        {
            find("doubled_word", format!("“{a} {a}” — “{text}”"));
        }
    }
    for token in text.split(|c: char| !c.is_alphanumeric()) {
        if is_period_code(token) {
            find("period_code", format!("“{token}” — “{text}”"));
        }
    }
}

/// `2024S1`, `2024Q2`, `202406`: a period ID, which a report writes in words.
fn is_period_code(token: &str) -> bool {
    let b = token.as_bytes();
    match b.len() {
        6 => {
            b[..4].iter().all(u8::is_ascii_digit)
                && (matches!(b[4], b'S' | b'Q') && b[5].is_ascii_digit()
                    || token.parse::<danvan_core::period::Period>().is_ok()
                        && b[4..].iter().all(u8::is_ascii_digit)
                        && token.starts_with(['1', '2']))
        }
        _ => false,
    }
}

/// A table whose last row is a total: every numeric column of it is the sum of the rows above.
fn check_table(t: &Table, lang: Lang, find: &mut impl FnMut(&'static str, String)) {
    let Some((last, rows)) = t.rows.split_last() else {
        return;
    };
    if !matches!(last.first().map(String::as_str), Some("Tổng số" | "Total")) {
        return;
    }
    for (i, column) in t.columns.iter().enumerate().skip(1) {
        if !column.numeric {
            continue;
        }
        let value = |cell: &str| -> Option<i64> {
            let digits: String = cell.chars().filter(char::is_ascii_digit).collect();
            let n = digits.parse().ok()?;
            // Only whole counts are summed; a cell with a decimal mark is not one.
            let mark = match lang {
                Lang::Vi => ',',
                Lang::En => '.',
            };
            (!cell.contains(mark)).then_some(n)
        };
        let sum: Option<i64> = rows.iter().map(|r| value(&r[i])).sum();
        if let (Some(sum), Some(total)) = (sum, value(&last[i]))
            && sum != total
        {
            find(
                "breakdown",
                format!(
                    "column {:?} sums to {sum}, total row says {total}",
                    column.title
                ),
            );
        }
    }
}

/// The numbers written in `text`, each in a canonical form (no grouping, `.` as the decimal
/// mark, no sign, no leading or trailing zeros): "1.272" → `1272`, "98,66%" → `98.66`.
/// Roman section references ("mục III.4") are not figures and are skipped.
pub fn numbers_in(text: &str, lang: Lang) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || matches!(chars[i], '.' | ',')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            i += 1;
        }
        // A section reference: "III.4".
        let after_roman =
            start >= 2 && chars[start - 1] == '.' && matches!(chars[start - 2], 'I' | 'V' | 'X');
        // A digit glued to letters is part of a code ("BC/TU01", "2024S1" is caught elsewhere).
        let in_word = start > 0 && chars[start - 1].is_alphabetic()
            || chars.get(i).is_some_and(|c| c.is_alphabetic());
        if after_roman || in_word {
            continue;
        }
        let token: String = chars[start..i].iter().collect();
        out.extend(canonical_numbers(&token, lang));
    }
    out
}

/// A written number in canonical form; a token that is no single number ("20.5.2021") gives
/// its parts.
fn canonical_numbers(token: &str, lang: Lang) -> Vec<String> {
    let (group, mark) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let parts: Vec<&str> = token.split(group).collect();
    let grouped = parts.len() > 1
        && parts[0].len() <= 3
        && parts[1..].iter().enumerate().all(|(k, p)| {
            let p = if k + 2 == parts.len() {
                p.split(mark).next().unwrap_or(p)
            } else {
                p
            };
            p.len() == 3
        });
    let joined = if grouped {
        token.replace(group, "")
    } else if parts.len() > 1 {
        return token
            .split([group, mark])
            .map(|p| canonical(p, None))
            .collect();
    } else {
        token.to_string()
    };
    if joined.matches(mark).count() > 1 {
        return joined.split(mark).map(|p| canonical(p, None)).collect();
    }
    vec![canonical(&joined, Some(mark))]
}

/// "0095,10" → `95.1`; "07" → `7`.
fn canonical(s: &str, mark: Option<char>) -> String {
    let (int, frac) = match mark.and_then(|m| s.split_once(m)) {
        Some((i, f)) => (i, f.trim_end_matches('0')),
        None => (s, ""),
    };
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    }
}

/// Every number the report's figures hold, in canonical form: numbers, the numbers written in
/// strings (titles, document numbers, dates, periods in words) and the lengths of lists.
fn known_numbers(data: &ReportData, lang: Lang) -> HashSet<String> {
    let mut out = HashSet::new();
    let json = serde_json::to_value(data).unwrap_or(Value::Null);
    walk(&json, lang, &mut out);
    // The year of the reorganisation, which roll-up notes name.
    out.insert("2025".to_string());
    out
}

fn walk(v: &Value, lang: Lang, out: &mut HashSet<String>) {
    match v {
        Value::Number(n) => {
            let s = n.to_string();
            out.insert(canonical(s.trim_start_matches('-'), Some('.')));
        }
        Value::String(s) => {
            if let Ok(p) = s.parse::<danvan_core::period::Period>() {
                for written in [p.to_vietnamese(), p.to_english()] {
                    out.extend(numbers_in(&written, lang));
                }
            }
            // A decimal's string form: "95,10".
            out.insert(canonical(s.trim_start_matches('-'), Some(',')));
            for l in [Lang::Vi, Lang::En] {
                out.extend(numbers_in(s, l));
            }
            out.extend(
                s.split(|c: char| !c.is_ascii_digit())
                    .filter(|d| !d.is_empty())
                    .map(|d| canonical(d, None)),
            );
        }
        Value::Array(items) => {
            out.insert(items.len().to_string());
            for item in items {
                walk(item, lang, out);
            }
        }
        Value::Object(map) => {
            for item in map.values() {
                walk(item, lang, out);
            }
        }
        Value::Bool(_) | Value::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_each_language_writes_them() {
        assert_eq!(
            numbers_in("1.272/1.337 (95,14%)", Lang::Vi),
            ["1272", "1337", "95.14"]
        );
        assert_eq!(
            numbers_in("1,272/1,337 (95.14%)", Lang::En),
            ["1272", "1337", "95.14"]
        );
        assert_eq!(
            numbers_in("ngày 20/5/2021, 100%", Lang::Vi),
            ["20", "5", "2021", "100"]
        );
        assert_eq!(numbers_in("tại mục III.4", Lang::Vi), Vec::<String>::new());
        assert_eq!(numbers_in("Kế hoạch 07-KH/TU", Lang::Vi), ["7"]);
        assert_eq!(numbers_in("95,10%", Lang::Vi), ["95.1"]);
        assert_eq!(numbers_in("1.986.512", Lang::Vi), ["1986512"]);
    }

    #[test]
    fn period_codes_are_found() {
        assert!(is_period_code("2024S1"));
        assert!(is_period_code("2023Q4"));
        assert!(is_period_code("202406"));
        assert!(!is_period_code("1.986"));
        assert!(!is_period_code("BDVTU"));
    }
}
