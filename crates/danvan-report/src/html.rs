//! A [`Document`] as one self-contained HTML file: inline CSS laid out for A4 printing (the
//! Decree 30/2020 margins, Times New Roman 14 pt), and an inline SVG chart of each indicator's
//! trend. Nothing is fetched: no fonts, scripts or images from elsewhere.

use std::fmt::Write as _;

use danvan_core::number::Decimal;

use crate::doc::{Block, Chart, Document, Lang, Table};

/// Escapes text for HTML content and attribute values.
fn esc(s: &str) -> String {
    danvan_core::text::escape_markup(s)
}

const STYLE: &str = r#"
@page { size: A4; margin: 20mm 15mm 20mm 30mm;
  @bottom-center { content: counter(page); font: 13pt "Times New Roman", Times, serif; } }
@page :first { @bottom-center { content: none; } }
html { background: #e8e8e8; }
body { font-family: "Times New Roman", Times, serif; font-size: 14pt; line-height: 1.35;
  color: #000; background: #fff; box-sizing: border-box; width: 210mm; min-height: 297mm;
  margin: 8mm auto; padding: 20mm 15mm 20mm 30mm; }
@media print {
  html { background: none; }
  body { width: auto; min-height: 0; margin: 0; padding: 0; }
  /* The numbered links to a figure's records are for the screen: on paper they would be
     marks with no notes. */
  sup.src { display: none; }
}
/* No heading, and no table's caption, left alone at the foot of a printed page. */
h1, h2, h3, p.caption { break-after: avoid; page-break-after: avoid; }
p { orphans: 2; widows: 2; }
table.block { width: 100%; border-collapse: collapse; font-size: 13pt; }
table.block td { width: 47%; text-align: center; vertical-align: top; padding: 0; }
table.block td + td { width: 53%; }
.number { white-space: pre; }
.date { white-space: nowrap; }
.issuer, .party { font-weight: bold; }
.party { text-decoration: underline; text-underline-offset: 3pt; }
.date { font-style: italic; }
h1 { font-size: 15pt; text-align: center; margin: 18pt 0 0; }
p.subtitle { font-weight: bold; text-align: center; margin: 0 0 14pt; text-indent: 0; }
h2 { font-size: 14pt; margin: 12pt 0 6pt; }
h3 { font-size: 14pt; font-style: italic; margin: 8pt 0 4pt; }
p { text-align: justify; margin: 0 0 6pt; text-indent: 1cm; }
p.note { font-style: italic; }
ul { margin: 0 0 6pt; padding-left: 1cm; list-style-type: "- "; }
table.data { width: 100%; border-collapse: collapse; font-size: 12pt; margin: 4pt 0 10pt; }
table.data th, table.data td { border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: top; }
table.data th { font-weight: bold; text-align: center; }
table.data td.num { text-align: right; }
table.data th:first-child { width: 36%; }
table.data thead { display: table-header-group; }
table.data tr { break-inside: avoid; }
sup.src { font-size: 8pt; }
sup.src a { color: inherit; text-decoration: none; }
.keep { break-inside: avoid; }
table.data tr:last-child td { border-bottom: 0.75pt solid #000; }
.charts { display: flex; flex-wrap: wrap; gap: 6pt; }
figure { margin: 0; width: calc(50% - 3pt); break-inside: avoid; }
figcaption { font-size: 11pt; text-align: center; }
svg { width: 100%; height: auto; font-family: "Times New Roman", Times, serif; }
table.closing { width: 100%; margin-top: 18pt; break-inside: avoid; }
table.closing td { width: 50%; vertical-align: top; }
table.closing td.recipients { font-size: 12pt; }
table.closing td.signer { text-align: center; font-weight: bold; }
"#;

/// How a page links figures to the records behind them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// The API's base (`""` for the serving host): each figure links to `{base}/v1/…`. `None`
    /// when the page is not served: the record IDs are shown on hover instead.
    pub base: Option<String>,
}

/// How many records a figure links to one by one; past that, the figure names them on hover.
const LINKED: usize = 5;

fn table(o: &mut String, t: &Table, links: &Links) {
    let _ = writeln!(o, "<table class=\"data\"><thead><tr>");
    for c in &t.columns {
        let _ = write!(o, "<th>{}</th>", esc(&c.title));
    }
    let _ = writeln!(o, "</tr></thead><tbody>");
    for (ri, r) in t.rows.iter().enumerate() {
        let sources = t.sources.get(ri).filter(|s| !s.is_empty());
        let _ = write!(o, "<tr>");
        // The row's result (its first figure column) carries the links to its records.
        let result = t.columns.iter().position(|c| c.numeric);
        for (ci, (cell, c)) in r.iter().zip(&t.columns).enumerate() {
            let class = if c.numeric { " class=\"num\"" } else { "" };
            match sources.filter(|_| Some(ci) == result) {
                Some(src) => {
                    let _ = write!(o, "<td{class}>{}", esc(cell));
                    source_links(o, src, links);
                    let _ = write!(o, "</td>");
                }
                None => {
                    let _ = write!(o, "<td{class}>{}</td>", esc(cell));
                }
            }
        }
        let _ = writeln!(o, "</tr>");
    }
    let _ = writeln!(o, "</tbody></table>");
}

/// The records behind a figure: numbered links to `/v1/…` when served, the IDs on hover
/// otherwise.
fn source_links(o: &mut String, sources: &[String], links: &Links) {
    let ids: Vec<&str> = sources
        .iter()
        .map(|s| s.rsplit('/').next().unwrap_or(s))
        .collect();
    let title = esc(&ids.join(", "));
    match &links.base {
        Some(base) if sources.len() <= LINKED => {
            let _ = write!(o, "<sup class=\"src\" title=\"{title}\">");
            for (i, s) in sources.iter().enumerate() {
                let _ = write!(o, "<a href=\"{}/v1/{}\">[{}]</a>", esc(base), esc(s), i + 1);
            }
            let _ = write!(o, "</sup>");
        }
        _ => {
            let _ = write!(
                o,
                "<sup class=\"src\" title=\"{title}\">[{}]</sup>",
                sources.len()
            );
        }
    }
}

/// The chart's drawing area, in SVG user units.
const W: f64 = 360.0;
const H: f64 = 190.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 350.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 150.0;

/// The value range the axis shows: 0–100 for percentages, so that a change of a point looks
/// like one; for other figures, from zero (or below, for negative figures) to a round step
/// above the largest.
fn axis(chart: &Chart) -> (f64, f64) {
    if chart.percent {
        return (0.0, 100.0);
    }
    let values = chart
        .points
        .iter()
        .filter_map(|p| p.value)
        .chain(chart.target.as_ref().map(|(t, _)| *t));
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let span = (hi - lo).max(hi.abs() * 0.02).max(1.0);
    // A step of 1, 2 or 5 times a power of ten, about a quarter of the span.
    let magnitude = 10f64.powf((span / 4.0).log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| span / s <= 5.0)
        .unwrap_or(10.0 * magnitude);
    let mut lo = ((lo - span * 0.1) / step).floor() * step;
    let mut hi = ((hi + span * 0.1) / step).ceil() * step;
    if chart
        .points
        .iter()
        .filter_map(|p| p.value)
        .all(|v| v >= 0.0)
    {
        lo = 0.0;
    }
    if hi <= lo {
        hi = lo + step;
    }
    (lo, hi)
}

/// Draws `chart` as an inline SVG line chart.
fn svg(o: &mut String, chart: &Chart, id: usize, lang: Lang) {
    let (lo, hi) = axis(chart);
    let n = chart.points.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            (LEFT + RIGHT) / 2.0
        } else {
            LEFT + 12.0 + (RIGHT - LEFT - 24.0) * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| BOTTOM - (BOTTOM - TOP) * (v - lo) / (hi - lo);
    let _ = writeln!(
        o,
        "<svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"chart-{id}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let _ = writeln!(o, "<title id=\"chart-{id}\">{}</title>", esc(&chart.title));
    let _ = writeln!(
        o,
        "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#999\" stroke-width=\"0.5\"/>",
        RIGHT - LEFT,
        BOTTOM - TOP
    );
    // The axis bounds, as written in the report.
    for (v, yy) in [(hi, TOP), (lo, BOTTOM)] {
        let _ = writeln!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"end\">{}</text>",
            LEFT - 3.0,
            yy + 3.0,
            esc(&axis_label(v, chart.percent, lang))
        );
    }
    target_line(o, chart, (lo, hi), &x, &y);
    // Lines join consecutive reported periods; a period without a figure leaves a gap.
    let mut segment: Vec<String> = Vec::new();
    let mut segments = Vec::new();
    for (i, p) in chart.points.iter().enumerate() {
        match p.value {
            Some(v) => segment.push(format!("{:.1},{:.1}", x(i), y(v))),
            None => segments.push(std::mem::take(&mut segment)),
        }
    }
    segments.push(segment);
    for s in segments.iter().filter(|s| s.len() > 1) {
        let _ = writeln!(
            o,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#1f4e8c\" stroke-width=\"2\"/>",
            s.join(" ")
        );
    }
    period_labels(o, chart, &x);
    for (i, p) in chart.points.iter().enumerate() {
        if let Some(v) = p.value {
            let _ = writeln!(
                o,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#1f4e8c\"><title>{}: {}</title></circle>",
                x(i),
                y(v),
                esc(&p.label),
                esc(&p.text)
            );
            let _ = writeln!(
                o,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"middle\">{}</text>",
                x(i),
                y(v) - 6.0,
                esc(&p.text)
            );
        }
    }
    let _ = writeln!(o, "</svg>");
}

/// The target's dashed line and its label, when the target lies on the axis.
fn target_line(
    o: &mut String,
    chart: &Chart,
    (lo, hi): (f64, f64),
    x: &dyn Fn(usize) -> f64,
    y: &dyn Fn(f64) -> f64,
) {
    let Some((t, label)) = &chart.target else {
        return;
    };
    if !(lo..=hi).contains(t) {
        return;
    }
    let _ = writeln!(
        o,
        "<line x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{0:.1}\" y2=\"{0:.1}\" stroke=\"#b00\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>",
        y(*t)
    );
    // Above the line at its right end, else below it, else at its left end: wherever the
    // label does not cover a point's value.
    let values: Vec<Rect> = chart
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.value.map(|v| text_box(x(i), y(v) - 6.0, &p.text, 0.5)))
        .collect();
    let line = y(*t);
    let (tx, ty, anchor) = [
        (RIGHT - 2.0, line - 3.0, 1.0),
        (RIGHT - 2.0, line + 10.0, 1.0),
        (LEFT + 2.0, line - 3.0, 0.0),
        (LEFT + 2.0, line + 10.0, 0.0),
    ]
    .into_iter()
    .find(|&(tx, ty, anchor)| {
        let b = text_box(tx, ty, label, anchor);
        !values.iter().any(|v| v.overlaps(&b))
    })
    .unwrap_or((RIGHT - 2.0, line - 3.0, 1.0));
    let _ = writeln!(
        o,
        "<text x=\"{tx:.1}\" y=\"{ty:.1}\" font-size=\"9\" text-anchor=\"{}\" fill=\"#b00\">{}</text>",
        if anchor == 1.0 { "end" } else { "start" },
        esc(label)
    );
}

/// The box a 9-unit text takes, from its anchor point (`x`, baseline `y`) and where the anchor
/// lies along it (0 start, 0.5 middle, 1 end); glyphs taken as 5.5 units wide, generously.
fn text_box(x: f64, y: f64, text: &str, anchor: f64) -> Rect {
    let width = text.chars().count() as f64 * 5.5;
    let left = x - width * anchor;
    Rect {
        left,
        right: left + width,
        top: y - 9.0,
        bottom: y + 2.0,
    }
}

/// A rectangle in SVG user units.
struct Rect {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Rect {
    fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }
}

/// Each period's label under its point, on two lines when one would reach its neighbour's;
/// when even those would, every second (third, …) label, the first always: no label is drawn
/// over another (each point's title still names its period).
fn period_labels(o: &mut String, chart: &Chart, x: &dyn Fn(usize) -> f64) {
    let n = chart.points.len().max(1);
    let room = if n == 1 {
        RIGHT - LEFT
    } else {
        (RIGHT - LEFT - 24.0) / (n - 1) as f64 - 4.0
    };
    let labels: Vec<Vec<&str>> = chart
        .points
        .iter()
        .map(|p| label_lines(&p.label, room))
        .collect();
    let widest = labels
        .iter()
        .flatten()
        .map(|l| text_width(l))
        .fold(0.0, f64::max);
    let every = ((widest / room.max(1.0)).ceil() as usize).max(1);
    for (i, lines) in labels.iter().enumerate().step_by(every) {
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"middle\">",
            x(i),
            BOTTOM + 13.0
        );
        if let [line] = lines.as_slice() {
            let _ = write!(o, "{}", esc(line));
        } else {
            for (k, line) in lines.iter().enumerate() {
                let dy = if k == 0 { 0.0 } else { 10.0 };
                let _ = write!(
                    o,
                    "<tspan x=\"{:.1}\" dy=\"{dy}\">{}</tspan>",
                    x(i),
                    esc(line)
                );
            }
        }
        let _ = writeln!(o, "</text>");
    }
}

/// About how wide `text` is drawn at the charts' 9-unit font: 5.2 units a character.
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * 5.2
}

/// A period's label as drawn under its point: one line when it fits `room`, else two, split
/// at the space nearest its middle ("6 tháng đầu" / "năm 2024").
fn label_lines(label: &str, room: f64) -> Vec<&str> {
    if text_width(label) <= room {
        return vec![label];
    }
    let middle = label.len() / 2;
    let split = label
        .match_indices(' ')
        .map(|(i, _)| i)
        .min_by_key(|i| i.abs_diff(middle));
    match split {
        Some(i) => vec![&label[..i], &label[i + 1..]],
        None => vec![label],
    }
}

/// An axis bound in the report's language: whole numbers, or one decimal for narrow ranges.
fn axis_label(v: f64, percent: bool, lang: Lang) -> String {
    // Chart bounds are small numbers; `from_ratio` fails only on absurd ones, drawn as 0.
    let tenths = Decimal::from_ratio((v * 10.0).round() as i128, 10, 1).unwrap_or(Decimal::ZERO);
    let places = if (v - v.round()).abs() < 0.05 { 0 } else { 1 };
    let text = match lang {
        Lang::Vi => tenths.to_vietnamese(places),
        Lang::En => tenths.to_english(places),
    };
    if percent { format!("{text}%") } else { text }
}

/// `charts` (see [`crate::compose::trend_charts`]), each an inline `<svg>` element with its
/// title, drawn as the report draws them: the web app's dashboard shows the same charts.
pub fn charts(charts: &[Chart], lang: Lang) -> Vec<(String, String)> {
    charts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut o = String::new();
            svg(&mut o, c, i, lang);
            (c.title.clone(), o)
        })
        .collect()
}

/// Renders `doc` as a self-contained HTML page, record IDs on hover.
pub fn render(doc: &Document) -> String {
    render_with(doc, &Links::default())
}

/// Renders `doc` as a self-contained HTML page, figures linked as `links` says.
pub fn render_with(doc: &Document, links: &Links) -> String {
    let mut o = String::new();
    let h = &doc.header;
    let _ = writeln!(o, "<!DOCTYPE html>");
    let _ = writeln!(o, "<html lang=\"{}\">", doc.lang.tag());
    let _ = writeln!(o, "<head>\n<meta charset=\"utf-8\">");
    let _ = writeln!(
        o,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    );
    let _ = writeln!(
        o,
        "<title>{} {}</title>",
        esc(&doc.title),
        esc(&doc.subtitle)
    );
    let _ = writeln!(o, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(o, "<table class=\"block\"><tr>");
    let _ = writeln!(
        o,
        "<td><div>{}</div><div class=\"issuer\">{}</div><div>*</div><div class=\"number\">{}</div></td>",
        esc(&h.superior),
        esc(&h.issuer),
        esc(&h.number)
    );
    let _ = writeln!(
        o,
        "<td><div class=\"party\">{}</div><div>&nbsp;</div><div class=\"date\">{}</div></td>",
        esc(&h.party),
        esc(&h.date_line)
    );
    let _ = writeln!(o, "</tr></table>");
    let _ = writeln!(o, "<h1>{}</h1>", esc(&doc.title));
    let _ = writeln!(o, "<p class=\"subtitle\">{}</p>", esc(&doc.subtitle));
    let mut charts = 0;
    let last_section = doc.sections.len().saturating_sub(1);
    for (si, s) in doc.sections.iter().enumerate() {
        let _ = writeln!(o, "<h2>{}</h2>", esc(&s.heading));
        let last_block = s.blocks.len().saturating_sub(1);
        for (bi, b) in s.blocks.iter().enumerate() {
            // The last block and the closing block print on one page.
            if si == last_section && bi == last_block {
                let _ = writeln!(o, "<div class=\"keep\">");
            }
            // A paragraph just before a table or the charts is their caption.
            let caption = matches!(
                (b, s.blocks.get(bi + 1)),
                (
                    Block::Paragraph(_),
                    Some(Block::Table(_) | Block::Charts(_))
                )
            );
            if let (true, Block::Paragraph(t)) = (caption, b) {
                let _ = writeln!(o, "<p class=\"caption\">{}</p>", esc(t));
                continue;
            }
            block(&mut o, b, links, &mut charts, doc.lang);
        }
    }
    closing(&mut o, &doc.closing);
    if !doc.sections.is_empty() {
        let _ = writeln!(o, "</div>");
    }
    let _ = writeln!(o, "</body>\n</html>");
    o
}

/// One block of a section; `charts` numbers the charts of the page.
fn block(o: &mut String, b: &Block, links: &Links, charts: &mut usize, lang: Lang) {
    match b {
        Block::Heading(t) => {
            let _ = writeln!(o, "<h3>{}</h3>", esc(t));
        }
        Block::Paragraph(t) => {
            let _ = writeln!(o, "<p>{}</p>", esc(t));
        }
        Block::Note(t) => {
            let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(t));
        }
        Block::Bullets(items) => {
            let _ = writeln!(o, "<ul>");
            for i in items {
                let _ = writeln!(o, "<li>{}</li>", esc(i));
            }
            let _ = writeln!(o, "</ul>");
        }
        Block::Table(t) => table(o, t, links),
        Block::Charts(list) => {
            let _ = writeln!(o, "<div class=\"charts\">");
            for c in list {
                *charts += 1;
                let _ = writeln!(o, "<figure>");
                svg(o, c, *charts, lang);
                let _ = writeln!(o, "<figcaption>{}</figcaption>", esc(&c.title));
                let _ = writeln!(o, "</figure>");
            }
            let _ = writeln!(o, "</div>");
        }
    }
}

/// The closing block: recipients and signature.
fn closing(o: &mut String, c: &crate::doc::Closing) {
    let _ = writeln!(o, "<table class=\"closing\"><tr>");
    let _ = write!(
        o,
        "<td class=\"recipients\"><div><b><i>{}</i></b></div>",
        esc(&c.recipients_title)
    );
    for r in &c.recipients {
        let _ = write!(o, "<div>{}</div>", esc(r));
    }
    let _ = writeln!(o, "</td>");
    let _ = write!(o, "<td class=\"signer\">");
    for (i, line) in c.signer.iter().enumerate() {
        if line.is_empty() {
            let _ = write!(o, "<div style=\"height: 3cm\"></div>");
        } else if i == 0 {
            let _ = write!(o, "<div>{}</div>", esc(line));
        } else {
            let _ = write!(
                o,
                "<div style=\"font-weight: normal\"><i>{}</i></div>",
                esc(line)
            );
        }
    }
    let _ = writeln!(o, "</td>\n</tr></table>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::ChartPoint;

    fn chart(labels: &[&str]) -> String {
        let chart = Chart {
            title: "Số cuộc đối thoại".into(),
            points: labels
                .iter()
                .enumerate()
                .map(|(i, l)| ChartPoint {
                    label: (*l).to_string(),
                    value: Some(10.0 + i as f64),
                    text: format!("{}", 10 + i),
                })
                .collect(),
            target: None,
            percent: false,
        };
        let mut o = String::new();
        svg(&mut o, &chart, 1, Lang::Vi);
        o
    }

    #[test]
    fn long_period_labels_wrap_and_crowded_ones_thin_out() {
        let halves = [
            "6 tháng đầu năm 2024",
            "6 tháng cuối năm 2024",
            "6 tháng đầu năm 2025",
            "6 tháng cuối năm 2025",
            "6 tháng đầu năm 2026",
        ];
        let o = chart(&halves);
        assert!(o.contains(">6 tháng đầu</tspan><tspan"), "{o}");
        assert!(o.contains(">năm 2024</tspan>"), "{o}");
        assert_eq!(o.matches("<tspan").count(), 10, "{o}");
        // Twelve months do not fit on two lines each: every second one is labelled.
        let months: Vec<String> = (1..=12).map(|m| format!("tháng {m} năm 2025")).collect();
        let months: Vec<&str> = months.iter().map(String::as_str).collect();
        let o = chart(&months);
        assert!(
            o.contains(">tháng 1</tspan>") && !o.contains(">tháng 12</tspan>"),
            "{o}"
        );
        // Short labels stay on one line, every one shown.
        let o = chart(&["2023", "2024", "2025"]);
        assert_eq!(o.matches("<tspan").count(), 0, "{o}");
        assert!(o.contains("text-anchor=\"middle\">2025</text>"), "{o}");
    }
}
