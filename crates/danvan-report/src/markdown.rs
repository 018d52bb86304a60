//! The report as Markdown, in Vietnamese, in the conventional order: header block, title,
//! situation, leadership and direction, results, limitations, directions for the next period.

use std::fmt::Write as _;

use danvan_core::date::{date_line, short_date};
use danvan_core::indicator::Measure;
use danvan_core::number::{Decimal, format_count, format_percent};
use danvan_core::period::{Period, PeriodKind};

use crate::data::{DirectiveLine, ReportData, Status};

fn pct(d: Decimal) -> String {
    format_percent(d, 2)
}

fn figure(measure: Measure, value: Option<Decimal>) -> String {
    match (measure, value) {
        (_, None) => "—".to_string(),
        (Measure::Ratio | Measure::Percent, Some(v)) => pct(v),
        (Measure::Count, Some(v)) => format_count(v.units().max(0) as u64),
        (Measure::Score, Some(v)) => v.to_vietnamese(2),
    }
}

fn change(measure: Measure, d: Option<Decimal>) -> String {
    match d {
        None => "—".to_string(),
        Some(d) => {
            let sign = if d.is_negative() { "" } else { "+" };
            match measure {
                Measure::Count => format!("{sign}{}", d.to_vietnamese(0)),
                Measure::Score => format!("{sign}{}", d.to_vietnamese(2)),
                _ => format!("{sign}{} điểm %", d.to_vietnamese(2)),
            }
        }
    }
}

fn status(s: Status) -> &'static str {
    match s {
        Status::OnTrack => "đạt",
        Status::OffTrack => "chưa đạt",
        Status::NoData => "chưa có số liệu",
        Status::NoTarget => "chưa có chỉ tiêu",
    }
}

/// The report title: "sơ kết" for part of a year, "tổng kết" for a year or a phase.
fn title(period: &Period) -> String {
    let review = match period.kind() {
        PeriodKind::Year | PeriodKind::Phase | PeriodKind::Term => "tổng kết",
        _ => "sơ kết",
    };
    format!("{review} công tác dân vận {}", period.to_vietnamese())
}

/// Renders `data` as Markdown.
pub fn render(data: &ReportData) -> String {
    let period = data.period;
    let mut o = String::new();
    let place = data
        .province
        .clone()
        .unwrap_or_else(|| "Hà Nội".to_string());
    let body = match &data.province {
        Some(p) => format!("BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY {}", p.to_uppercase()),
        None => "BAN TUYÊN GIÁO VÀ DÂN VẬN TRUNG ƯƠNG".to_string(),
    };
    let _ = writeln!(o, "| {body} | ĐẢNG CỘNG SẢN VIỆT NAM |");
    let _ = writeln!(o, "|:---:|:---:|");
    let _ = writeln!(o, "| \\* | |");
    let _ = writeln!(
        o,
        "| Số: ...-BC/... | *{}* |\n",
        date_line(&place, data.today)
    );
    let _ = writeln!(o, "# BÁO CÁO\n\n## {}\n", capitalise(&title(&period)));

    let _ = writeln!(o, "### I. Tình hình chung\n");
    let conferences: usize = data.conferences.items.len();
    let _ = writeln!(
        o,
        "Trong {}, {} tổ chức {} hội nghị, {} văn bản chỉ đạo mới được ban hành; {} mô hình \"Dân vận khéo\" được xây dựng mới.\n",
        period.to_vietnamese(),
        data.province
            .as_deref()
            .map_or("cả nước".to_string(), |p| format!("tỉnh {p}")),
        format_count(conferences as u64),
        format_count(data.directives.issued.len() as u64),
        format_count(data.models.iter().map(|m| m.built as u64).sum()),
    );

    let _ = writeln!(o, "### II. Công tác lãnh đạo, chỉ đạo\n");
    if data.directives.issued.is_empty() {
        let _ = writeln!(o, "Không có văn bản chỉ đạo mới trong kỳ.\n");
    }
    for d in &data.directives.issued {
        let _ = writeln!(o, "- Ban hành {} về {}.", d.label, d.title);
    }
    for d in &data.directives.reviews_held {
        let _ = writeln!(
            o,
            "- Tổ chức {} thực hiện {}.",
            d.review.as_deref().unwrap_or("sơ kết"),
            d.label
        );
    }
    let _ = writeln!(o);

    let _ = writeln!(o, "### III. Kết quả đạt được\n");
    let _ = writeln!(o, "#### 1. Hội nghị\n");
    for (kind, n) in &data.conferences.by_kind {
        let _ = writeln!(
            o,
            "- {}: {}",
            capitalise(kind.name_vi()),
            format_count(*n as u64)
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "#### 2. Phong trào thi đua \"Dân vận khéo\"\n");
    let _ = writeln!(
        o,
        "| Lĩnh vực | Xây dựng mới | Cùng kỳ | Hiệu quả | Được công nhận |"
    );
    let _ = writeln!(o, "|---|---:|---:|---:|---:|");
    for m in &data.models {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            capitalise(m.field.name_vi()),
            m.built,
            m.built_previous,
            m.effective,
            m.recognised
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "#### 3. Các chỉ tiêu\n");
    let _ = writeln!(
        o,
        "| Chỉ tiêu | Kết quả | Cùng kỳ | Tăng, giảm | Chỉ tiêu đề ra | Đánh giá |"
    );
    let _ = writeln!(o, "|---|---:|---:|---:|---:|---|");
    for r in &data.indicators {
        let result = match r.ratio {
            Some((n, d)) => format!(
                "{}/{} ({})",
                format_count(n),
                format_count(d),
                figure(r.measure, r.value)
            ),
            None => figure(r.measure, r.value),
        };
        let flag = if r.inconsistent.is_empty() {
            ""
        } else {
            " ⚠"
        };
        let _ = writeln!(
            o,
            "| {} | {result}{flag} | {} | {} | {} | {} |",
            r.name,
            figure(r.measure, r.previous),
            change(r.measure, r.change),
            figure(r.measure, r.target),
            status(r.status)
        );
    }
    let flagged: Vec<&str> = data
        .indicators
        .iter()
        .flat_map(|r| r.inconsistent.iter().map(String::as_str))
        .collect();
    if !flagged.is_empty() {
        let _ = writeln!(
            o,
            "\n⚠ Tỷ lệ công bố không khớp với số liệu: {}.",
            flagged.join(", ")
        );
    }
    let _ = writeln!(o);

    let _ = writeln!(o, "### IV. Hạn chế\n");
    let mut limits = Vec::new();
    for r in &data.indicators {
        if r.status == Status::OffTrack {
            let against = if r.target.is_some() {
                "chỉ tiêu đề ra"
            } else {
                "cùng kỳ"
            };
            limits.push(format!(
                "{}: {}, chưa đạt so với {against}.",
                r.name,
                figure(r.measure, r.value)
            ));
        }
    }
    for d in &data.directives.overdue {
        limits.push(format!("Chưa tổ chức {}.", review(d)));
    }
    if !data.not_reporting.is_empty() {
        limits.push(format!(
            "Chưa có số liệu báo cáo của: {}.",
            data.not_reporting.join(", ")
        ));
    }
    if limits.is_empty() {
        limits.push("Không có hạn chế rút ra từ số liệu.".to_string());
    }
    for l in limits {
        let _ = writeln!(o, "- {l}");
    }
    let _ = writeln!(o);

    let _ = writeln!(
        o,
        "### V. Phương hướng, nhiệm vụ {}\n",
        period.next().to_vietnamese()
    );
    let mut tasks = Vec::new();
    for d in data
        .directives
        .overdue
        .iter()
        .chain(&data.directives.due_next)
    {
        tasks.push(format!("Tổ chức {}.", review(d)));
    }
    for d in &data.directives.phases_ending {
        tasks.push(format!(
            "Chuẩn bị tổng kết {} khi kết thúc giai đoạn.",
            d.label
        ));
    }
    if tasks.is_empty() {
        tasks.push("Tiếp tục thực hiện các văn bản chỉ đạo đang có hiệu lực.".to_string());
    }
    for t in tasks {
        let _ = writeln!(o, "- {t}");
    }
    o
}

/// "sơ kết 3 năm Đề án 05-ĐA/TU (hạn 30/11/2025)": a review and its deadline.
fn review(d: &DirectiveLine) -> String {
    let deadline = d
        .deadline
        .map_or_else(String::new, |x| format!(" (hạn {})", short_date(x)));
    format!(
        "{} {}{deadline}",
        d.review.as_deref().unwrap_or("sơ kết"),
        d.label
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}
