//! What a report's (a submission's) page shows beside its fields: a title in words, and the
//! unit's figures for what the form asked beside the previous period's. Read by the record
//! pages (`pages.rs`); the cycle's own actions are `cycle.rs`.

use danvan_core::id::RecordId;
use serde::Serialize;

use super::session::Lang;

/// One asked indicator of a submission as the approver sees it: this period's figure beside
/// the same unit's for the previous period.
#[derive(Serialize)]
pub(crate) struct FigureRow {
    name: String,
    now: String,
    before: String,
    /// The indicator's code, for the entry grid's inputs.
    code: String,
    /// Whether it is entered as a numerator over a denominator.
    ratio: bool,
    /// This period's numbers as typed into the grid ("" where none).
    value: String,
    numerator: String,
    denominator: String,
}

/// The figures a submission asked for, this period and the previous one, for its page.
pub(super) fn figure_rows(
    store: &dyn danvan_store::Store,
    s: &danvan_core::cycle::Submission,
    lang: Lang,
) -> Result<Vec<FigureRow>, danvan_store::StoreError> {
    let now = danvan_store::cycle::figures_of(store, s)?;
    let before = match s.period.previous() {
        Some(p) => {
            let mut earlier = s.clone();
            earlier.period = p;
            danvan_store::cycle::figures_of(store, &earlier)?
        }
        None => Vec::new(),
    };
    let missing = danvan_i18n::text(lang, "no-figure-yet");
    let shown = |list: &[std::sync::Arc<danvan_core::indicator::Observation>], code: &RecordId| {
        list.iter()
            .find(|o| o.indicator == *code)
            .map_or_else(|| missing.to_string(), |o| o.figure_vietnamese())
    };
    let mut rows = Vec::with_capacity(s.asked.indicators.len());
    for code in &s.asked.indicators {
        let definition = match danvan_core::indicator::builtin(code.as_str()) {
            Some(d) => Some(d.clone()),
            None => match store.get(danvan_core::record_kind::RecordKind::Indicator, code)? {
                Some(danvan_store::Stored {
                    record: danvan_core::dataset::AnyRecord::Indicator(d),
                    ..
                }) => Some(d),
                _ => None,
            },
        };
        let name = definition.as_ref().map_or_else(
            || code.to_string(),
            |d| match lang {
                Lang::Vi => d.name_vi.to_string(),
                Lang::En => d.name_en.to_string(),
            },
        );
        let mine = now.iter().find(|o| o.indicator == *code);
        let count = |n: Option<u64>| n.map(danvan_core::number::format_count).unwrap_or_default();
        rows.push(FigureRow {
            name,
            now: shown(&now, code),
            before: shown(&before, code),
            code: code.to_string(),
            ratio: definition
                .as_ref()
                .is_some_and(|d| d.measure == danvan_core::indicator::Measure::Ratio),
            value: mine
                .and_then(|o| o.value)
                .map(|v| v.to_vietnamese(v.scale()))
                .unwrap_or_default(),
            numerator: count(mine.and_then(|o| o.numerator)),
            denominator: count(mine.and_then(|o| o.denominator)),
        });
    }
    Ok(rows)
}

/// A report's title as people say it: the form's name, the unit's (or the province's) and the
/// period in words — "Báo cáo công tác dân vận 6 tháng — huyện Định Hóa — 6 tháng đầu năm
/// 2025" — where the record alone names them by code.
pub(super) fn submission_title(
    store: &dyn danvan_store::Store,
    s: &danvan_core::cycle::Submission,
    lang: Lang,
) -> Result<String, danvan_store::StoreError> {
    use danvan_core::dataset::AnyRecord;
    use danvan_core::record_kind::RecordKind;
    let form = match store.get(RecordKind::Form, &s.form)?.map(|r| r.record) {
        Some(AnyRecord::Form(f)) => f.name.to_string(),
        _ => s.form.to_string(),
    };
    let who = match &s.unit {
        Some(u) => match store.get(RecordKind::Unit, u)?.map(|r| r.record) {
            Some(AnyRecord::Unit(unit)) => unit.name.to_string(),
            _ => u.to_string(),
        },
        None => danvan_core::province::registry()
            .latest(s.province.as_str())
            .map_or_else(|| s.province.to_string(), |p| p.name.to_string()),
    };
    let period = match lang {
        Lang::Vi => s.period.to_vietnamese(),
        Lang::En => s.period.to_english(),
    };
    Ok(format!("{form} — {who} — {period}"))
}
