//! Writes a report's figures as a [`Document`], in the conventional order: header block, title,
//! general situation, leadership and direction, results, limitations and causes, lessons, and
//! directions for the next period, then recipients and signature. Every sentence is generated
//! from the figures, in Vietnamese or English.

use chrono::NaiveDate;
use danvan_core::date::{date_line, english_date, short_date};
use danvan_core::indicator::{Direction, Measure};
use danvan_core::number::Decimal;
use danvan_core::period::{Period, PeriodKind};
use danvan_core::province::{ProvinceKind, registry};
use danvan_store::ProvinceMap;

use crate::data::{DirectiveLine, IndicatorRow, ReportData, Status};
use crate::doc::{
    Block, Chart, ChartPoint, Closing, Column, Document, Header, Lang, Section, Table,
};

/// Number, date and phrase formatting in one language.
#[derive(Debug, Clone, Copy)]
struct Words(Lang);

impl Words {
    fn t<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        self.0.pick(vi, en)
    }

    fn count(self, n: u64) -> String {
        self.decimal(Decimal::from_int(i64::try_from(n).unwrap_or(i64::MAX)), 0)
    }

    fn decimal(self, d: Decimal, places: u8) -> String {
        match self.0 {
            Lang::Vi => d.to_vietnamese(places),
            Lang::En => d.to_english(places),
        }
    }

    fn percent(self, d: Decimal) -> String {
        format!("{}%", self.decimal(d, 2))
    }

    fn period(self, p: Period) -> String {
        match self.0 {
            Lang::Vi => p.to_vietnamese(),
            Lang::En => p.to_english(),
        }
    }

    fn date(self, d: NaiveDate) -> String {
        match self.0 {
            Lang::Vi => short_date(d),
            Lang::En => english_date(d),
        }
    }

    /// A figure as the table shows it: `94,87%`, `1.272`, `72,50`; a dash for none.
    fn figure(self, measure: Measure, value: Option<Decimal>) -> String {
        match (measure, value) {
            (_, None) => "—".to_string(),
            (Measure::Ratio | Measure::Percent, Some(v)) => self.percent(v),
            (Measure::Count, Some(v)) => self.decimal(v, 0),
            (Measure::Score, Some(v)) => self.decimal(v, 2),
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

    fn row_result(self, row: &IndicatorRow) -> String {
        self.result(row.measure, row.ratio, row.value)
    }

    /// A signed change: `+3,82 điểm %`, `-12`.
    fn change(self, measure: Measure, d: Option<Decimal>) -> String {
        let Some(d) = d else {
            return "—".to_string();
        };
        let sign = if d.is_negative() { "" } else { "+" };
        match measure {
            Measure::Count => format!("{sign}{}", self.decimal(d, 0)),
            Measure::Score => format!("{sign}{}", self.decimal(d, 2)),
            Measure::Ratio | Measure::Percent => {
                // No-break spaces: a table cell must not split "+1,69 điểm %".
                format!(
                    "{sign}{}\u{a0}{}",
                    self.decimal(d, 2),
                    self.t("điểm\u{a0}%", "pp")
                )
            }
        }
    }

    /// The size of a change without its sign, for sentences: `3,82 điểm phần trăm`.
    fn amount(self, measure: Measure, d: Decimal) -> String {
        let d = if d.is_negative() {
            Decimal::ZERO.checked_sub(d).unwrap_or(d)
        } else {
            d
        };
        match measure {
            Measure::Count => self.decimal(d, 0),
            Measure::Score => self.decimal(d, 2),
            Measure::Ratio | Measure::Percent => format!(
                "{} {}",
                self.decimal(d, 2),
                self.t("điểm phần trăm", "percentage points")
            ),
        }
    }

    fn status(self, s: Status) -> &'static str {
        match (self.0, s) {
            (Lang::Vi, Status::OnTrack) => "Đạt",
            (Lang::Vi, Status::OffTrack) => "Chưa đạt",
            (Lang::Vi, Status::NoData) => "Chưa có số liệu",
            (Lang::Vi, Status::NoTarget) => "Chưa có chỉ tiêu",
            (Lang::En, Status::OnTrack) => "On track",
            (Lang::En, Status::OffTrack) => "Off track",
            (Lang::En, Status::NoData) => "No data",
            (Lang::En, Status::NoTarget) => "No target",
        }
    }

    fn indicator_name(self, row: &IndicatorRow) -> String {
        match self.0 {
            Lang::Vi => row.name.clone(),
            Lang::En => row.name_en.clone(),
        }
    }
}

/// Writes the report in `lang`.
pub fn compose(data: &ReportData, lang: Lang) -> Document {
    let w = Words(lang);
    let province = data
        .province_slug
        .as_deref()
        .and_then(|s| unit_for(data, s));
    let mut sections = vec![
        situation(data, w),
        leadership(data, w),
        results(data, w),
        limitations(data, w),
        Section {
            heading: w.t("V. BÀI HỌC KINH NGHIỆM", "V. LESSONS").to_string(),
            blocks: vec![Block::Note(
                w.t(
                    "[Đơn vị bổ sung bài học kinh nghiệm rút ra trong kỳ.]",
                    "[To be written by the office: lessons drawn from the period.]",
                )
                .to_string(),
            )],
        },
        directions(data, w),
    ];
    sections.retain(|s| !s.blocks.is_empty());
    let review = match data.period.kind() {
        PeriodKind::Year | PeriodKind::Phase | PeriodKind::Term => {
            w.t("Tổng kết", "Final review of")
        }
        _ => w.t("Sơ kết", "Review of"),
    };
    let subtitle = match lang {
        Lang::Vi => format!("{review} công tác dân vận {}", w.period(data.period)),
        Lang::En => format!("{review} mass mobilisation work, {}", w.period(data.period)),
    };
    Document {
        lang,
        header: header(data, province, w),
        title: w.t("BÁO CÁO", "REPORT").to_string(),
        subtitle,
        sections,
        closing: closing(data, w),
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
        (Some(p), Lang::Vi) => {
            let committee = match p.kind {
                ProvinceKind::City => "THÀNH ỦY",
                ProvinceKind::Province => "TỈNH ỦY",
            };
            (
                format!("{committee} {}", p.name.to_uppercase()),
                board.short_name.to_uppercase(),
                format!("Số      -BC/{}", board.symbol),
                p.name.to_string(),
            )
        }
        (Some(p), Lang::En) => (
            match p.kind {
                ProvinceKind::City => {
                    format!("{} CITY PARTY COMMITTEE", p.english_name().to_uppercase())
                }
                ProvinceKind::Province => {
                    format!(
                        "{} PROVINCIAL PARTY COMMITTEE",
                        p.english_name().to_uppercase()
                    )
                }
            },
            board.name_en.to_uppercase(),
            format!("No.      -BC/{}", board.symbol),
            p.english_name().to_string(),
        ),
        (None, Lang::Vi) => (
            "BAN CHẤP HÀNH TRUNG ƯƠNG".to_string(),
            board.name.to_uppercase(),
            format!("Số      -BC/{}", board.symbol),
            "Hà Nội".to_string(),
        ),
        (None, Lang::En) => (
            "CENTRAL COMMITTEE".to_string(),
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
        party: w
            .t("ĐẢNG CỘNG SẢN VIỆT NAM", "COMMUNIST PARTY OF VIETNAM")
            .to_string(),
        date_line,
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
        (Some(u), Lang::En) => u.english_name().to_string(),
        (None, Lang::Vi) => "các tỉnh, thành phố".to_string(),
        (None, Lang::En) => "the provinces and cities".to_string(),
    }
}

fn situation(data: &ReportData, w: Words) -> Section {
    let conferences = data.conferences.items.len() as u64;
    let issued = data.directives.issued.len() as u64;
    let built: u64 = data.models.iter().map(|m| m.built as u64).sum();
    let period = w.period(data.period);
    let subject = subject(data, w);
    let text = match w.0 {
        Lang::Vi => {
            let conferences = if conferences == 0 {
                "chưa tổ chức hội nghị nào".to_string()
            } else {
                format!("đã tổ chức {} hội nghị", w.count(conferences))
            };
            let issued = if issued == 0 {
                "không ban hành văn bản chỉ đạo mới".to_string()
            } else {
                format!("ban hành {} văn bản chỉ đạo mới", w.count(issued))
            };
            let built = if built == 0 {
                "chưa xây dựng mới mô hình \"Dân vận khéo\"".to_string()
            } else {
                format!("xây dựng mới {} mô hình \"Dân vận khéo\"", w.count(built))
            };
            format!("Trong {period}, {subject} {conferences}; {issued}; {built}.")
        }
        Lang::En => {
            let plural = |n: u64, one: &str, many: &str| plural(w, n, one, many);
            format!(
                "In the {period}, {subject} held {}, issued {} and started {} \"Dân vận khéo\" (skilled mass mobilisation).",
                plural(conferences, "conference", "conferences"),
                plural(issued, "new directive", "new directives"),
                plural(built, "new model", "new models"),
            )
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

/// For a province on the current map over a period before the 2025 merger: which old provinces
/// its figures include.
fn rollup_note(data: &ReportData, w: Words) -> Option<String> {
    if data.map != ProvinceMap::Current {
        return None;
    }
    let unit = unit_for(data, data.province_slug.as_deref()?)?;
    let mut merged: Vec<&str> = registry()
        .predecessors(unit)
        .filter(|p| p.overlaps(data.range.0, data.range.1))
        .map(|p| p.name)
        .collect();
    if merged.len() < 2 {
        return None;
    }
    danvan_core::text::sort_by_key(&mut merged, |s| s);
    Some(match w.0 {
        Lang::Vi => format!(
            "Số liệu {} được tổng hợp theo địa giới sau sắp xếp năm 2025, gồm số liệu của các tỉnh, thành phố: {}.",
            w.period(data.period),
            merged.join(", ")
        ),
        Lang::En => format!(
            "Figures for the {} are on the post-2025 map: they combine those of {}.",
            w.period(data.period),
            merged.join(", ")
        ),
    })
}

fn leadership(data: &ReportData, w: Words) -> Section {
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
            Lang::Vi => format!(
                "Trong kỳ, các tỉnh, thành phố ban hành {} văn bản chỉ đạo mới và tổ chức {} cuộc sơ kết, tổng kết việc thực hiện văn bản (số liệu theo tỉnh, thành phố tại mục III.4).",
                w.count(issued),
                w.count(held)
            ),
            Lang::En => format!(
                "In the period the provinces issued {} and held {} of directives (by province in III.4).",
                plural(w, issued, "new directive", "new directives"),
                plural(w, held, "review", "reviews")
            ),
        };
        return Section {
            heading,
            blocks: vec![Block::Paragraph(text)],
        };
    }
    let mut items = Vec::new();
    for d in &data.directives.issued {
        items.push(match w.0 {
            Lang::Vi => format!("Ban hành {} về {}.", d.label, lower_first(&d.title)),
            Lang::En => format!("Issued {} on {}.", d.label, d.title),
        });
    }
    for d in &data.directives.reviews_held {
        items.push(match w.0 {
            Lang::Vi => format!(
                "Tổ chức {} thực hiện {}.",
                d.review.as_deref().unwrap_or("sơ kết"),
                d.label
            ),
            Lang::En => format!("Held the {} of {}.", review_en(d), d.label),
        });
    }
    let mut blocks = Vec::new();
    if data.directives.issued.is_empty() {
        blocks.push(Block::Paragraph(
            w.t(
                "Trong kỳ không ban hành văn bản chỉ đạo mới.",
                "No new directive was issued in the period.",
            )
            .to_string(),
        ));
    }
    if !items.is_empty() {
        blocks.push(Block::Bullets(capped(items, w)));
    }
    Section { heading, blocks }
}

fn review_en(d: &DirectiveLine) -> &'static str {
    d.review_kind.map_or("review", |k| k.name_en())
}

fn results(data: &ReportData, w: Words) -> Section {
    let mut blocks = vec![Block::Heading(
        w.t("1. Tổ chức hội nghị", "1. Conferences").to_string(),
    )];
    if data.conferences.by_kind.is_empty() {
        blocks.push(Block::Paragraph(
            w.t(
                "Trong kỳ chưa tổ chức hội nghị nào.",
                "No conference was held in the period.",
            )
            .to_string(),
        ));
    } else {
        blocks.push(Block::Paragraph(match w.0 {
            Lang::Vi => format!(
                "Tổ chức {} hội nghị, trong đó:",
                w.count(data.conferences.items.len() as u64)
            ),
            Lang::En => format!(
                "{} conferences were held, of which:",
                w.count(data.conferences.items.len() as u64)
            ),
        }));
        blocks.push(Block::Bullets(
            data.conferences
                .by_kind
                .iter()
                .map(|g| {
                    let name = g
                        .kinds
                        .iter()
                        .map(|kind| match w.0 {
                            Lang::Vi => kind.name_vi(),
                            Lang::En => kind.name_en(),
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    format!("{}: {}", capitalise(&name), w.count(g.count as u64))
                })
                .collect(),
        ));
    }

    blocks.push(Block::Heading(
        w.t(
            "2. Phong trào thi đua \"Dân vận khéo\"",
            "2. The \"Dân vận khéo\" emulation movement",
        )
        .to_string(),
    ));
    blocks.extend(models(data, w));

    blocks.push(Block::Heading(
        w.t("3. Kết quả thực hiện các chỉ tiêu", "3. Indicators")
            .to_string(),
    ));
    blocks.extend(indicators(data, w));

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

fn models(data: &ReportData, w: Words) -> Vec<Block> {
    if data.models.is_empty() {
        return vec![Block::Paragraph(
            w.t(
                "Chưa có mô hình \"Dân vận khéo\" nào được ghi nhận.",
                "No \"Dân vận khéo\" model is on record.",
            )
            .to_string(),
        )];
    }
    let sum = |f: fn(&crate::data::ModelRow) -> usize| -> u64 {
        data.models.iter().map(|m| f(m) as u64).sum()
    };
    let (built, previous, effective, recognised) = (
        sum(|m| m.built),
        sum(|m| m.built_previous),
        sum(|m| m.effective),
        sum(|m| m.recognised),
    );
    let change = match (w.0, built.cmp(&previous)) {
        (Lang::Vi, std::cmp::Ordering::Greater) => {
            format!("tăng {} so với cùng kỳ", w.count(built - previous))
        }
        (Lang::Vi, std::cmp::Ordering::Less) => {
            format!("giảm {} so với cùng kỳ", w.count(previous - built))
        }
        (Lang::Vi, std::cmp::Ordering::Equal) => "bằng cùng kỳ".to_string(),
        (Lang::En, std::cmp::Ordering::Greater) => {
            format!("{} more than a year earlier", w.count(built - previous))
        }
        (Lang::En, std::cmp::Ordering::Less) => {
            format!("{} fewer than a year earlier", w.count(previous - built))
        }
        (Lang::En, std::cmp::Ordering::Equal) => "as many as a year earlier".to_string(),
    };
    let text = match w.0 {
        Lang::Vi => format!(
            "Xây dựng mới {} mô hình ({change}); {} mô hình đang phát huy hiệu quả; {} mô hình được công nhận trong kỳ.",
            w.count(built),
            w.count(effective),
            w.count(recognised)
        ),
        Lang::En => format!(
            "{} started ({change}); {} effective; {} recognised in the period.",
            plural(w, built, "new model was", "new models were"),
            plural(w, effective, "model is", "models are"),
            plural(w, recognised, "was", "were"),
        ),
    };
    let rows = data
        .models
        .iter()
        .map(|m| {
            vec![
                capitalise(match w.0 {
                    Lang::Vi => m.field.name_vi(),
                    Lang::En => m.field.name_en(),
                }),
                w.count(m.built as u64),
                w.count(m.built_previous as u64),
                w.count(m.effective as u64),
                w.count(m.recognised as u64),
            ]
        })
        .chain(std::iter::once(vec![
            w.t("Tổng số", "Total").to_string(),
            w.count(built),
            w.count(previous),
            w.count(effective),
            w.count(recognised),
        ]))
        .collect();
    vec![
        Block::Paragraph(text),
        Block::Table(Table {
            columns: vec![
                Column::text(w.t("Lĩnh vực", "Field")),
                Column::numeric(w.t("Xây dựng mới", "Started")),
                Column::numeric(w.t("Cùng kỳ", "Year earlier")),
                Column::numeric(w.t("Hiệu quả", "Effective")),
                Column::numeric(w.t("Được công nhận", "Recognised")),
            ],
            rows,
        }),
    ]
}

/// One sentence about an indicator: its figure, the change on the comparison period, and the
/// target.
fn indicator_sentence(row: &IndicatorRow, w: Words) -> String {
    let mut s = format!("{}: {}", w.indicator_name(row), w.row_result(row));
    if let Some(d) = row.change {
        let rose = !d.is_negative();
        if d == Decimal::ZERO {
            s.push_str(w.t(", bằng cùng kỳ", ", unchanged on a year earlier"));
        } else {
            let verb = match (w.0, rose) {
                (Lang::Vi, true) => "tăng",
                (Lang::Vi, false) => "giảm",
                (Lang::En, true) => "up",
                (Lang::En, false) => "down",
            };
            s.push_str(&match w.0 {
                Lang::Vi => format!(
                    ", {verb} {} so với cùng kỳ ({})",
                    w.amount(row.measure, d),
                    w.figure(row.measure, row.previous)
                ),
                Lang::En => format!(
                    ", {verb} {} on a year earlier ({})",
                    w.amount(row.measure, d),
                    w.figure(row.measure, row.previous)
                ),
            });
        }
    }
    if let Some(t) = row.target {
        let target = w.figure(row.measure, Some(t));
        s.push_str(&match (w.0, row.status) {
            (Lang::Vi, Status::OnTrack) => format!("; đạt chỉ tiêu đề ra ({target})"),
            (Lang::Vi, _) => format!("; chưa đạt chỉ tiêu đề ra ({target})"),
            (Lang::En, Status::OnTrack) => format!("; target of {target} met"),
            (Lang::En, _) => format!("; short of the target of {target}"),
        });
    }
    s.push('.');
    s
}

fn indicators(data: &ReportData, w: Words) -> Vec<Block> {
    let reported: Vec<&IndicatorRow> = data
        .indicators
        .iter()
        .filter(|r| r.value.is_some())
        .collect();
    if data.indicators.is_empty() {
        return vec![Block::Paragraph(
            w.t(
                "Chưa có số liệu chỉ tiêu của kỳ này và cùng kỳ.",
                "No indicator figures for this period or a year earlier.",
            )
            .to_string(),
        )];
    }
    let mut blocks = Vec::new();
    if !reported.is_empty() {
        blocks.push(Block::Bullets(
            reported.iter().map(|r| indicator_sentence(r, w)).collect(),
        ));
    }
    blocks.extend(other_figures(data, w));
    let rows = data
        .indicators
        .iter()
        .map(|r| {
            let flag = if r.inconsistent.is_empty() {
                ""
            } else {
                " ⚠"
            };
            vec![
                w.indicator_name(r),
                format!("{}{flag}", w.row_result(r)),
                w.figure(r.measure, r.previous),
                w.change(r.measure, r.change),
                w.figure(r.measure, r.target),
                w.status(r.status).to_string(),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::text(w.t("Chỉ tiêu", "Indicator")),
            Column::numeric(w.t("Kết quả", "Result")),
            Column::numeric(w.t("Cùng kỳ", "Year earlier")),
            Column::numeric(w.t("Tăng, giảm", "Change")),
            Column::numeric(w.t("Chỉ tiêu đề ra", "Target")),
            Column::text(w.t("Đánh giá", "Status")),
        ],
        rows,
    }));
    let flagged: Vec<&str> = data
        .indicators
        .iter()
        .flat_map(|r| r.inconsistent.iter().map(String::as_str))
        .collect();
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
    let mut charts: Vec<Chart> = data
        .indicators
        .iter()
        .filter(|r| r.trend.iter().filter(|p| p.value.is_some()).count() >= 2)
        .map(|r| chart(r, w))
        .collect();
    // Leading periods in which nothing charted was reported are left out.
    let first = charts
        .iter()
        .filter_map(|c| c.points.iter().position(|p| p.value.is_some()))
        .min()
        .unwrap_or(0);
    for c in &mut charts {
        c.points.drain(..first);
    }
    if !charts.is_empty() {
        blocks.push(Block::Paragraph(
            w.t("Diễn biến qua các kỳ:", "Trend over recent periods:")
                .to_string(),
        ));
        blocks.push(Block::Charts(charts));
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
            format!("{whose}{name}: {result} ({}).", w.period(f.period))
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

fn chart(row: &IndicatorRow, w: Words) -> Chart {
    Chart {
        title: w.indicator_name(row),
        points: row
            .trend
            .iter()
            .map(|p| ChartPoint {
                label: p.period.id(),
                value: p.value.map(Decimal::to_f64),
                text: w.figure(row.measure, p.value),
            })
            .collect(),
        target: row
            .target
            .map(|t| (t.to_f64(), w.figure(row.measure, Some(t)))),
        percent: matches!(row.measure, Measure::Ratio | Measure::Percent),
    }
}

fn by_province(data: &ReportData, w: Words) -> Vec<Block> {
    let name = |slug: &str, vi: &str| -> String {
        match w.0 {
            Lang::Vi => vi.to_string(),
            Lang::En => registry()
                .all_with_slug(slug)
                .next()
                .map_or_else(|| vi.to_string(), |u| u.english_name().to_string()),
        }
    };
    let mut blocks = vec![Block::Paragraph(match (w.0, data.map) {
        (Lang::Vi, ProvinceMap::Current) => {
            "Số liệu theo địa giới hiện hành: số liệu của các tỉnh trước sắp xếp năm 2025 được tổng hợp vào tỉnh, thành phố mới.".to_string()
        }
        (Lang::Vi, ProvinceMap::AsRecorded) => {
            "Số liệu theo địa giới tại thời điểm báo cáo của kỳ.".to_string()
        }
        (Lang::En, ProvinceMap::Current) => {
            "On the current map: the figures of provinces merged in 2025 are rolled into their successors.".to_string()
        }
        (Lang::En, ProvinceMap::AsRecorded) => {
            "On the map of the period, as recorded.".to_string()
        }
    })];
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::text(w.t("Tỉnh, thành phố", "Province")),
            Column::numeric(w.t("Hội nghị", "Conferences")),
            Column::numeric(w.t("Văn bản ban hành", "Directives issued")),
            Column::numeric(w.t("Mô hình xây dựng mới", "Models started")),
            Column::numeric(w.t("Mô hình được công nhận", "Models recognised")),
            Column::numeric(w.t("Sơ kết, tổng kết đã tổ chức", "Reviews held")),
            Column::numeric(w.t("Sơ kết, tổng kết quá hạn", "Reviews overdue")),
            Column::numeric(w.t("Chỉ tiêu có số liệu", "Indicators reported")),
        ],
        rows: data
            .provinces
            .iter()
            .map(|p| {
                vec![
                    name(&p.province, &p.name),
                    w.count(p.conferences as u64),
                    w.count(p.directives_issued as u64),
                    w.count(p.models_built as u64),
                    w.count(p.models_recognised as u64),
                    w.count(p.reviews_held as u64),
                    w.count(p.reviews_overdue as u64),
                    w.count(p.indicators_reported as u64),
                ]
            })
            .collect(),
    }));
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
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::text(w.t("Tỉnh, thành phố", "Province")),
                Column::numeric(w.t("Kết quả", "Result")),
                Column::numeric(w.t("Cùng kỳ", "Year earlier")),
                Column::numeric(w.t("Tăng, giảm", "Change")),
                Column::text(w.t("Đánh giá", "Status")),
            ],
            rows: row
                .by_province
                .iter()
                .filter(|p| p.value.is_some() || p.previous.is_some())
                .map(|p| {
                    let result = w.result(row.measure, p.ratio, p.value);
                    vec![
                        name(&p.province, &p.name),
                        result,
                        w.figure(row.measure, p.previous),
                        w.change(row.measure, p.change),
                        w.status(p.status).to_string(),
                    ]
                })
                .collect(),
        }));
    }
    blocks
}

fn limitations(data: &ReportData, w: Words) -> Section {
    let mut items = Vec::new();
    for r in &data.indicators {
        let worse = r.change.is_some_and(|d| match r.direction {
            Direction::HigherIsBetter => d.is_negative(),
            Direction::LowerIsBetter => !d.is_negative() && d != Decimal::ZERO,
            Direction::Neutral => false,
        });
        let below_target = r.target.is_some() && r.status == Status::OffTrack;
        let name = w.indicator_name(r);
        let value = w.figure(r.measure, r.value);
        match (below_target, worse, w.0) {
            (true, _, Lang::Vi) => items.push(format!(
                "{name} đạt {value}, chưa đạt chỉ tiêu đề ra ({}).",
                w.figure(r.measure, r.target)
            )),
            (true, _, Lang::En) => items.push(format!(
                "{name} at {value}, short of the target of {}.",
                w.figure(r.measure, r.target)
            )),
            (false, true, Lang::Vi) => items.push(format!(
                "{name} ({value}) kém hơn cùng kỳ ({}).",
                w.figure(r.measure, r.previous)
            )),
            (false, true, Lang::En) => items.push(format!(
                "{name} ({value}) is worse than a year earlier ({}).",
                w.figure(r.measure, r.previous)
            )),
            (false, false, _) => {}
        }
    }
    let overdue = data.directives.overdue.len() as u64;
    if data.province.is_none() && overdue > 0 {
        items.push(match w.0 {
            Lang::Vi => format!(
                "Còn {} cuộc sơ kết, tổng kết văn bản đã quá hạn nhưng chưa tổ chức (theo tỉnh, thành phố tại mục III.4).",
                w.count(overdue)
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
            .map(|d| match w.0 {
                Lang::Vi => format!("Chưa tổ chức {}.", review_vi(d, w)),
                Lang::En => format!("The {} is overdue.", review_phrase_en(d, w)),
            })
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
                    .map_or_else(|| n.clone(), |u| u.english_name().to_string()),
            })
            .collect();
        items.push(match w.0 {
            Lang::Vi => format!(
                "Chưa có số liệu báo cáo của {} tỉnh, thành phố: {}.",
                w.count(names.len() as u64),
                names.join(", ")
            ),
            Lang::En => format!(
                "{} sent no figures: {}.",
                plural(w, names.len() as u64, "province", "provinces"),
                names.join(", ")
            ),
        });
    }
    let mut blocks = Vec::new();
    if items.is_empty() {
        blocks.push(Block::Paragraph(
            w.t(
                "Số liệu trong kỳ không cho thấy hạn chế nào.",
                "The figures of the period show no shortcoming.",
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

/// "sơ kết 3 năm Đề án 05-ĐA/TU (hạn 30/11/2025)".
fn review_vi(d: &DirectiveLine, w: Words) -> String {
    let deadline = d
        .deadline
        .map_or_else(String::new, |x| format!(" (hạn {})", w.date(x)));
    format!(
        "{} {}{deadline}",
        d.review.as_deref().unwrap_or("sơ kết"),
        d.label
    )
}

/// "mid-term review of Đề án 05-ĐA/TU (due 30 November 2025)".
fn review_phrase_en(d: &DirectiveLine, w: Words) -> String {
    let deadline = d
        .deadline
        .map_or_else(String::new, |x| format!(" (due {})", w.date(x)));
    format!("{} of {}{deadline}", review_en(d), d.label)
}

fn directions(data: &ReportData, w: Words) -> Section {
    let mut items = Vec::new();
    let next = w.period(data.period.next().unwrap_or(data.period));
    if data.province.is_none() {
        let (overdue, due, ending) = (
            data.directives.overdue.len() as u64,
            data.directives.due_next.len() as u64,
            data.directives.phases_ending.len() as u64,
        );
        if overdue + due > 0 {
            items.push(match w.0 {
                Lang::Vi => format!(
                    "Tổ chức {} cuộc sơ kết, tổng kết văn bản đã quá hạn và {} cuộc đến hạn trong {next}.",
                    w.count(overdue),
                    w.count(due)
                ),
                Lang::En => format!(
                    "Hold the {} overdue and the {} falling due in the {next}.",
                    plural(w, overdue, "review", "reviews"),
                    plural(w, due, "review", "reviews")
                ),
            });
        }
        if ending > 0 {
            items.push(match w.0 {
                Lang::Vi => format!(
                    "Chuẩn bị tổng kết {} văn bản kết thúc giai đoạn trong {next}.",
                    w.count(ending)
                ),
                Lang::En => format!(
                    "Prepare the final reviews of {} whose phase ends in the {next}.",
                    plural(w, ending, "directive", "directives")
                ),
            });
        }
    } else {
        let mut lines = Vec::new();
        for d in data
            .directives
            .overdue
            .iter()
            .chain(&data.directives.due_next)
        {
            lines.push(match w.0 {
                Lang::Vi => format!("Tổ chức {}.", review_vi(d, w)),
                Lang::En => format!("Hold the {}.", review_phrase_en(d, w)),
            });
        }
        for d in &data.directives.phases_ending {
            lines.push(match w.0 {
                Lang::Vi => format!("Chuẩn bị tổng kết {} khi kết thúc giai đoạn.", d.label),
                Lang::En => format!("Prepare the final review of {} as its phase ends.", d.label),
            });
        }
        items.extend(capped(lines, w));
    }
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
    items.push(
        w.t(
            "Tiếp tục thực hiện các văn bản chỉ đạo đang có hiệu lực; nhân rộng các mô hình \"Dân vận khéo\" hiệu quả.",
            "Keep carrying out the directives in force and spread the effective \"Dân vận khéo\" models.",
        )
        .to_string(),
    );
    let heading = match w.0 {
        Lang::Vi => format!(
            "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ {}",
            w.period(data.period.next().unwrap_or(data.period))
                .to_uppercase()
        ),
        Lang::En => format!(
            "VI. TASKS FOR THE {}",
            w.period(data.period.next().unwrap_or(data.period))
                .to_uppercase()
        ),
    };
    Section {
        heading,
        blocks: vec![Block::Bullets(items)],
    }
}

fn closing(data: &ReportData, w: Words) -> Closing {
    // Sent to the central board as it was named on the report's date.
    let central_vi = format!("- {},", data.board.central);
    let central_en = format!("- {},", data.board.central_en);
    let recipients: Vec<&str> = match (data.province.is_some(), w.0) {
        (true, Lang::Vi) => vec![
            central_vi.as_str(),
            "- Thường trực Tỉnh ủy,",
            "- Lưu Văn phòng.",
        ],
        (true, Lang::En) => vec![
            central_en.as_str(),
            "- Standing Board of the Party Committee,",
            "- Office files.",
        ],
        (false, Lang::Vi) => vec![
            "- Bộ Chính trị, Ban Bí thư,",
            "- Các tỉnh ủy, thành ủy,",
            "- Lưu Văn phòng.",
        ],
        (false, Lang::En) => vec![
            "- Politburo and Secretariat,",
            "- Provincial and city Party committees,",
            "- Office files.",
        ],
    };
    Closing {
        recipients_title: w.t("Nơi nhận:", "Recipients:").to_string(),
        recipients: recipients.into_iter().map(str::to_string).collect(),
        signer: vec![
            w.t("TRƯỞNG BAN", "HEAD OF COMMISSION").to_string(),
            String::new(),
            w.t("(Ký, ghi rõ họ tên)", "(Signature and full name)")
                .to_string(),
        ],
    }
}

/// How many directive lines a list shows before summing up the rest (the JSON has them all).
pub const LIST_LIMIT: usize = 30;

/// `items`, at most [`LIST_LIMIT`] of them, and a line counting the rest.
fn capped(mut items: Vec<String>, w: Words) -> Vec<String> {
    if items.len() > LIST_LIMIT {
        let rest = (items.len() - LIST_LIMIT) as u64;
        items.truncate(LIST_LIMIT);
        items.push(match w.0 {
            Lang::Vi => format!(
                "… và {} nội dung khác (danh sách đầy đủ trong số liệu JSON của báo cáo).",
                w.count(rest)
            ),
            Lang::En => format!(
                "… and {} more (the report's JSON data lists them all).",
                w.count(rest)
            ),
        });
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
