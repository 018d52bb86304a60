//! How each figure of a report was computed, record by record: `danvan report --explain`.
//!
//! For every indicator the report shows: the observations summed or averaged (with their
//! province, unit and figures), the comparison period's, the target and where the judgement
//! comes from; for conferences and models, the records behind each count. Everything named
//! here is in the report's JSON too (`sources` fields); this is the same trail for a person.

use std::fmt::Write;

use danvan_core::dataset::AnyRecord;
use danvan_core::indicator::{Aggregation, Observation};
use danvan_core::record_kind::RecordKind;
use danvan_store::{Store, StoreError};

use crate::compose::Words;
use crate::data::{IndicatorRow, ReportData, Status};
use crate::doc::Lang;

/// The computation behind every figure of `data`, as text in `lang`.
pub fn explain(store: &dyn Store, data: &ReportData, lang: Lang) -> Result<String, StoreError> {
    let w = Words(lang);
    let mut o = String::new();
    let t = |vi: &'static str, en: &'static str| lang.pick(vi, en);
    let _ = writeln!(
        o,
        "{} {} ({} – {})\n",
        t(
            "Cách tính số liệu báo cáo",
            "How the report's figures were computed:"
        ),
        w.period(data.period),
        data.range.0,
        data.range.1
    );
    let _ = writeln!(o, "{}", t("HỘI NGHỊ", "CONFERENCES"));
    for g in &data.conferences.by_kind {
        let kinds: Vec<&str> = g.kinds.iter().map(|k| k.name_vi()).collect();
        let _ = writeln!(
            o,
            "  {} × {}: {}",
            g.count,
            kinds.join(" + "),
            g.conferences.join(", ")
        );
    }
    let _ = writeln!(
        o,
        "  = {} {}\n",
        data.conferences.items.len(),
        t(
            "hội nghị (mỗi hội nghị tính một lần)",
            "conferences (each counted once)"
        )
    );
    let _ = writeln!(
        o,
        "{}",
        t("MÔ HÌNH “DÂN VẬN KHÉO”", "“DÂN VẬN KHÉO” MODELS")
    );
    for m in &data.models {
        let _ = writeln!(
            o,
            "  {}: {} {} [{}]; {} {} [{}]",
            lang.pick(m.field_names().0, m.field_names().1),
            m.built,
            t("xây dựng mới", "started"),
            m.sources.built.join(", "),
            m.recognised,
            t("được công nhận", "recognised"),
            m.sources.recognised.join(", ")
        );
    }
    let _ = writeln!(o, "\n{}", t("CHỈ TIÊU", "INDICATORS"));
    for row in &data.indicators {
        indicator(store, row, w, &mut o)?;
    }
    Ok(o)
}

fn indicator(
    store: &dyn Store,
    row: &IndicatorRow,
    w: Words,
    o: &mut String,
) -> Result<(), StoreError> {
    let lang = w.0;
    let _ = writeln!(
        o,
        "- {} [{}]",
        lang.pick(&row.name, &row.name_en),
        row.indicator
    );
    let how = match (row.aggregation, row.observations) {
        (_, 0 | 1) => lang.pick("từ", "from"),
        (Aggregation::Ratio, _) => lang.pick(
            "tổng tử số / tổng mẫu số của",
            "sum of numerators / sum of denominators of",
        ),
        (Aggregation::Sum, _) => lang.pick("tổng của", "sum of"),
        (Aggregation::Listed, _) => lang.pick(
            "không cộng, không tính bình quân; từng tỉnh, thành phố",
            "never summed or averaged; each province",
        ),
    };
    let _ = writeln!(o, "  {how}:");
    for line in observation_lines(store, &row.sources, w)? {
        let _ = writeln!(o, "    {line}");
    }
    let result = match (&row.stated, row.ratio, row.value) {
        (Some(stated), _, _) => format!("“{stated}” ({})", lang.pick("như nguồn nêu", "as stated")),
        (None, Some((n, d)), Some(v)) => format!("{n}/{d} = {v}%"),
        (None, _, Some(v)) => v.to_string(),
        (None, _, None) if !row.parts.is_empty() => {
            lang.pick("không có số tổng hợp", "no total").to_string()
        }
        (None, _, None) => lang.pick("chưa có số liệu", "no figure").to_string(),
    };
    let _ = writeln!(o, "  = {result}");
    if let Some(level) = &row.level {
        let _ = writeln!(
            o,
            "  {} {}:",
            lang.pick(
                "số liệu chung, không cộng vào tổng trên, của",
                "the whole level's own figure, not added to the sum above, from"
            ),
            lang.pick(&level.reported_by, &level.reported_by_en)
        );
        for line in observation_lines(store, &level.sources, w)? {
            let _ = writeln!(o, "    {line}");
        }
    }
    if let Some([with, of]) = row.coverage {
        let _ = writeln!(
            o,
            "  {} {with}/{of}",
            lang.pick("tỉnh, thành phố có số liệu:", "provinces reporting:")
        );
    }
    if !row.previous_sources.is_empty() {
        let _ = writeln!(o, "  {}:", lang.pick("cùng kỳ, từ", "a year earlier, from"));
        for line in observation_lines(store, &row.previous_sources, w)? {
            let _ = writeln!(o, "    {line}");
        }
        if let crate::data::Comparison::Common { units, value, .. } = &row.comparison {
            let _ = writeln!(
                o,
                "  {} ({}): {}",
                lang.pick(
                    "so sánh chỉ trên các tỉnh có số liệu cả hai kỳ",
                    "compared over the provinces in both periods only"
                ),
                units.join(", "),
                value.map_or_else(|| "—".to_string(), |v| v.to_string())
            );
        }
        if let (Some(p), Some(c)) = (row.previous, row.change) {
            let _ = writeln!(o, "  = {p}; {} {c}", lang.pick("tăng, giảm", "change"));
        }
    }
    let judgement = match (row.status, row.target) {
        (Status::OnTrack | Status::OffTrack, Some(t)) => format!(
            "{} {t}: {}",
            lang.pick("so với chỉ tiêu", "against the target"),
            match row.status {
                Status::OnTrack => lang.pick("đạt", "on track"),
                _ => lang.pick("chưa đạt", "off track"),
            }
        ),
        _ => lang
            .pick(
                "không có chỉ tiêu đề ra: không đánh giá đạt hay chưa đạt",
                "no target: neither on nor off track",
            )
            .to_string(),
    };
    let _ = writeln!(o, "  {judgement}");
    Ok(())
}

/// One line per observation: ID, province, unit, period and its figure.
fn observation_lines(
    store: &dyn Store,
    ids: &[String],
    w: Words,
) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    for id in ids {
        let Ok(rid) = id.parse() else { continue };
        let Some(stored) = store.get(RecordKind::Observation, &rid)? else {
            out.push(format!(
                "{id}: {}",
                w.0.pick("không còn trong kho", "no longer stored")
            ));
            continue;
        };
        if let AnyRecord::Observation(obs) = stored.record {
            out.push(line(&obs, w));
        }
    }
    Ok(out)
}

fn line(o: &Observation, w: Words) -> String {
    let figure = match (o.numerator, o.denominator, o.value, &o.stated) {
        (Some(n), Some(d), _, _) => format!("{n}/{d}"),
        (_, _, Some(v), _) => v.to_string(),
        (_, _, None, Some(s)) => format!("“{}”", s.as_str()),
        _ => "—".to_string(),
    };
    let province = o.province.as_ref().map_or("—", |p| p.as_str());
    format!("{} ({province}, {}): {figure}", o.id, w.period(o.period))
}
