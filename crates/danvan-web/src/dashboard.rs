//! The dashboard (`/app`): reviews overdue and due by province, the latest conferences,
//! what is owed and reported for the current and the last closed half-year, and the
//! indicators against target with their trend charts — computed once per store revision.

use std::collections::{BTreeSet, HashMap};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use danvan_core::dataset::{AnyRecord, RecordRef};
use danvan_core::indicator::Observation;
use danvan_core::period::Period;
use danvan_core::record_kind::RecordKind;
use danvan_store::{PeriodFilter, PeriodMatch, ProvinceMap, SortKey, Store, StoreError};
use minijinja::context;
use serde::Serialize;

use super::Signed;
use super::page::{
    RecordRow, half_year, home_province, kinds_nav, me, province_name, province_query, row, store,
};
use super::session::Lang;
use crate::AppState;

#[derive(Serialize)]
struct DueRow {
    id: String,
    title: String,
    review: String,
    deadline: String,
    /// Days late or left, written as the language writes numbers (1.072).
    days: String,
}

/// A province's reviews on the dashboard: its name, how many, the nearest few.
#[derive(Serialize)]
struct DueGroup {
    province: String,
    total: usize,
    rows: Vec<DueRow>,
}

#[derive(Serialize)]
struct IndicatorLine {
    name: String,
    value: String,
    target: String,
    status: String,
}

#[derive(Serialize, Default)]
pub(crate) struct Dashboard {
    overdue: Vec<DueGroup>,
    overdue_total: usize,
    due: Vec<DueGroup>,
    due_total: usize,
    conferences: Vec<RecordRow>,
    indicators: Vec<IndicatorLine>,
    charts: Vec<(String, String)>,
    indicator_period: String,
    period: String,
    missing_indicators: Vec<String>,
    silent_provinces: Vec<String>,
    /// Whether the period is over, so that a province with nothing sent is late, not early.
    period_over: bool,
    /// The reports owed for the period under the forms, when any form applies: "3/9 đã gửi,
    /// 1 đã duyệt, 2 quá hạn".
    owed: Option<String>,
    /// The last closed half-year, whose figures every province owed.
    closed_period: String,
    /// For the country: each province with how many indicators it reported for the closed
    /// period, the most complete first; for a province, its own line alone.
    closed: Vec<ProvinceFigures>,
    /// The last closed year, whose figures are judged against their targets.
    target_year: String,
    /// Each province's figures of the last closed year against their targets, the most met
    /// first; for a province, its own line alone.
    against_targets: Vec<TargetRank>,
}

/// A province's figures against their targets for a closed year.
#[derive(Serialize)]
struct TargetRank {
    name: String,
    met: usize,
    /// Figures judged against a target.
    judged: usize,
    /// Targets set for the province with no figure for them.
    missing: usize,
    lines: Vec<TargetLine>,
}

/// One figure, or a target without its figure.
#[derive(Serialize)]
struct TargetLine {
    indicator: String,
    period: String,
    /// The figure in the reader's numbers; empty when there is none ("chưa có số liệu").
    value: String,
    target: String,
    /// `met`, `not-met` or `not-judged` (no figure): the status's message ID and CSS class.
    status: &'static str,
    /// Who set the target, by which document: "Ban Thường vụ Tỉnh ủy, 41-CTr/TU".
    set_by: String,
}

/// How much a province reported for a closed period.
#[derive(Serialize)]
struct ProvinceFigures {
    name: String,
    reported: usize,
    of: usize,
    /// The indicators without a figure, by name.
    missing: Vec<String>,
}

fn dashboard_data(
    store: &dyn Store,
    province: Option<String>,
    today: NaiveDate,
    lang: Lang,
) -> Result<Dashboard, StoreError> {
    let mut d = Dashboard::default();
    reviews(store, province.as_ref(), today, lang, &mut d)?;
    // The latest conferences.
    let page = store.query(&danvan_store::Query {
        kinds: vec![RecordKind::Conference],
        province: province_query(province.as_ref()),
        sort: SortKey::Date,
        descending: true,
        limit: 8,
        ..danvan_store::Query::default()
    })?;
    d.conferences = page
        .items
        .iter()
        .map(|h| {
            row(
                RecordKind::Conference,
                h.stored.record.as_ref(),
                h.stored.revision,
            )
        })
        .collect();
    let period = half_year(today);
    completeness(store, province.as_ref(), today, period, lang, &mut d)?;
    closed_completeness(store, province.as_ref(), today, period, lang, &mut d)?;
    against_targets(store, province.as_ref(), today, lang, &mut d)?;
    indicators(store, province, today, period, lang, &mut d)?;
    Ok(d)
}

/// How many reviews a dashboard lists under each province (all are counted).
const REVIEWS_LISTED: usize = 5;

/// A review found due: (province's name, deadline, directive, milestone, days late or left).
type Found = (String, NaiveDate, danvan_core::id::RecordId, usize, i64);

/// Reviews overdue, and due within 90 days, by province (today's: Yên Bái's fall to Lào Cai;
/// those held centrally under "Trung ương"): a province's dashboard only its own, the
/// country's every province's; each counted, the nearest listed.
fn reviews(
    store: &dyn Store,
    province: Option<&String>,
    today: NaiveDate,
    lang: Lang,
    d: &mut Dashboard,
) -> Result<(), StoreError> {
    use danvan_core::directive::{DueState, due_reviews};
    let until = today + chrono::Duration::days(90);
    let q = danvan_store::Query {
        kinds: vec![RecordKind::Directive],
        province: province_query(province),
        ..danvan_store::Query::default()
    };
    let registry = danvan_core::province::registry();
    let mut overdue: Vec<Found> = Vec::new();
    let mut due: Vec<Found> = Vec::new();
    store.visit(&q, &mut |r| {
        if let RecordRef::Directive(dir) = r {
            for review in due_reviews([dir], today, until) {
                let whose = review.province.and_then(|p| registry.current(p.as_str()));
                // A province's dashboard: its own reviews, not another province's review of a
                // central directive.
                if province.is_some_and(|p| whose.is_none_or(|w| w.slug != p.as_str())) {
                    continue;
                }
                let name = whose.map_or_else(
                    || danvan_i18n::text(lang, "central"),
                    |p| danvan_i18n::names::province(lang, p.slug),
                );
                let (list, days) = match review.state {
                    DueState::Overdue { days_late } => (&mut overdue, days_late),
                    DueState::DueSoon { days_left } => (&mut due, days_left),
                };
                list.push((
                    name,
                    review.deadline,
                    dir.id.clone(),
                    review.milestone_index,
                    days,
                ));
            }
        }
    })?;
    d.overdue_total = overdue.len();
    d.due_total = due.len();
    // The most recently missed first; the soonest due first.
    d.overdue = due_groups(store, overdue, true, lang)?;
    d.due = due_groups(store, due, false, lang)?;
    Ok(())
}

/// `found` by province, in the order of names; in each, the nearest few.
fn due_groups(
    store: &dyn Store,
    mut found: Vec<Found>,
    latest_first: bool,
    lang: Lang,
) -> Result<Vec<DueGroup>, StoreError> {
    if latest_first {
        found.sort_by_key(|f| std::cmp::Reverse(f.1));
    } else {
        found.sort_by_key(|f| f.1);
    }
    let mut groups: Vec<DueGroup> = Vec::new();
    for (name, deadline, id, milestone, days) in found {
        let at = match groups.iter().position(|g| g.province == name) {
            Some(i) => i,
            None => {
                groups.push(DueGroup {
                    province: name,
                    total: 0,
                    rows: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[at];
        group.total += 1;
        if group.rows.len() >= REVIEWS_LISTED {
            continue;
        }
        if let Some(stored) = store.get(RecordKind::Directive, &id)?
            && let AnyRecord::Directive(dir) = &stored.record
        {
            let grouped = match lang {
                Lang::Vi => danvan_core::number::format_count(days.unsigned_abs()),
                Lang::En => days.to_string(),
            };
            group.rows.push(DueRow {
                id: id.to_string(),
                title: dir.label(),
                review: dir
                    .milestones
                    .get(milestone)
                    .map(|m| m.name_vi().to_string())
                    .unwrap_or_default(),
                deadline: danvan_core::date::to_vietnamese_short(deadline),
                days: grouped,
            });
        }
    }
    danvan_core::text::sort_by_key(&mut groups, |g| g.province.as_str());
    Ok(groups)
}

/// Which indicators have no figure for `period` yet, and (for the country) which provinces
/// have sent none.
fn completeness(
    store: &dyn Store,
    province: Option<&String>,
    today: NaiveDate,
    period: Period,
    lang: Lang,
    d: &mut Dashboard,
) -> Result<(), StoreError> {
    d.period = match lang {
        Lang::Vi => period.to_vietnamese(),
        Lang::En => period.to_english(),
    };
    d.period_over = today > period.date_range(Default::default()).1;
    let lines =
        danvan_store::cycle::completeness(store, province.map(String::as_str), period, today)?;
    if !lines.is_empty() {
        use danvan_core::cycle::Standing;
        let count =
            |f: &dyn Fn(&danvan_store::cycle::Line) -> bool| lines.iter().filter(|l| f(l)).count();
        let sent = count(&|l| matches!(l.standing, Standing::OnTime | Standing::Late));
        let approved = count(&|l| l.approved);
        let overdue = count(&|l| l.standing == Standing::Overdue);
        d.owed = Some(danvan_i18n::tr!(
            lang,
            "dashboard-owed",
            sent = sent,
            owed = lines.len(),
            approved = approved,
            overdue = overdue
        ));
    }
    let mut reported: BTreeSet<String> = BTreeSet::new();
    let mut provinces: BTreeSet<String> = BTreeSet::new();
    store.visit(&figures_within(province, period), &mut |r| {
        if let RecordRef::Observation(o) = r {
            reported.insert(o.indicator.to_string());
            if let Some(p) = o
                .province
                .as_ref()
                .and_then(|p| danvan_core::province::registry().current(p.as_str()))
            {
                provinces.insert(p.slug.to_string());
            }
        }
    })?;
    d.missing_indicators = all_indicators(store, lang)?
        .into_iter()
        .filter(|(id, _)| !reported.contains(id))
        .map(|(_, n)| n)
        .collect();
    // Before the period ends, a province that has sent nothing yet is not behind.
    if province.is_none() && d.period_over {
        d.silent_provinces = danvan_core::province::registry()
            .valid_at(today)
            .filter(|p| !provinces.contains(p.slug))
            .map(|p| p.name.to_string())
            .collect();
        danvan_core::text::sort_by_key(&mut d.silent_provinces, |s| s.as_str());
    }
    Ok(())
}

/// The query for the figures of `province` (every province for none) within `period`.
fn figures_within(province: Option<&String>, period: Period) -> danvan_store::Query {
    danvan_store::Query {
        kinds: vec![RecordKind::Observation],
        province: province_query(province),
        period: Some(PeriodFilter {
            period,
            matching: PeriodMatch::Within,
            window: Default::default(),
        }),
        ..danvan_store::Query::default()
    }
}

/// Every indicator a figure may be of — the built-in ones and the store's own — as (ID, name
/// in `lang`), by ID.
fn all_indicators(store: &dyn Store, lang: Lang) -> Result<Vec<(String, String)>, StoreError> {
    let stored = store.export(Some(&danvan_store::Query::kind(RecordKind::Indicator)))?;
    let mut indicators: Vec<(String, String)> = danvan_core::indicator::catalogue()
        .iter()
        .chain(stored.dataset.indicators.iter())
        .map(|i| {
            let name = match lang {
                Lang::Vi => &i.name_vi,
                Lang::En => &i.name_en,
            };
            (i.id.to_string(), name.to_string())
        })
        .collect();
    indicators.sort();
    indicators.dedup_by(|a, b| a.0 == b.0);
    Ok(indicators)
}

/// Each province's figures for the half-year before `period` (closed, so every figure of it
/// was owed): how many of the indicators (built in and the store's) it reported, which it did
/// not, the most complete first; a province's dashboard, its own line.
fn closed_completeness(
    store: &dyn Store,
    province: Option<&String>,
    today: NaiveDate,
    period: Period,
    lang: Lang,
    d: &mut Dashboard,
) -> Result<(), StoreError> {
    let Some(closed) = period.previous() else {
        return Ok(());
    };
    d.closed_period = danvan_i18n::names::period(lang, &closed);
    let registry = danvan_core::province::registry();
    let mut reported: HashMap<&'static str, BTreeSet<String>> = HashMap::new();
    store.visit(&figures_within(province, closed), &mut |r| {
        if let RecordRef::Observation(o) = r
            && let Some(p) = o
                .province
                .as_ref()
                .and_then(|p| registry.current(p.as_str()))
        {
            reported
                .entry(p.slug)
                .or_default()
                .insert(o.indicator.to_string());
        }
    })?;
    let indicators = all_indicators(store, lang)?;
    let empty = BTreeSet::new();
    let mut lines: Vec<ProvinceFigures> = registry
        .valid_at(today)
        .filter(|p| province.is_none_or(|own| own.as_str() == p.slug))
        .map(|p| {
            let got = reported.get(p.slug).unwrap_or(&empty);
            let mut missing: Vec<String> = indicators
                .iter()
                .filter(|(id, _)| !got.contains(id))
                .map(|(_, name)| name.clone())
                .collect();
            danvan_core::text::sort_by_key(&mut missing, String::as_str);
            ProvinceFigures {
                name: danvan_i18n::names::province(lang, p.slug),
                reported: indicators.len() - missing.len(),
                of: indicators.len(),
                missing,
            }
        })
        .collect();
    danvan_core::text::sort_by_key(&mut lines, |l| l.name.as_str());
    lines.sort_by_key(|l| std::cmp::Reverse(l.reported));
    d.closed = lines;
    Ok(())
}

/// What the judging of figures against targets reads: the board's targets and the store's
/// own indicator definitions.
struct Judging {
    targets: Vec<danvan_core::target::Target>,
    indicators: Vec<danvan_core::indicator::IndicatorDefinition>,
    lang: Lang,
}

impl Judging {
    fn definition(&self, code: &str) -> Option<&danvan_core::indicator::IndicatorDefinition> {
        self.indicators
            .iter()
            .find(|i| i.id.as_str() == code)
            .or_else(|| danvan_core::indicator::builtin(code))
    }

    /// The indicator's name in the reader's language; its code when nothing defines it.
    fn name(&self, code: &str) -> String {
        self.definition(code).map_or_else(
            || code.to_string(),
            |d| match self.lang {
                Lang::Vi => d.name_vi.to_string(),
                Lang::En => d.name_en.to_string(),
            },
        )
    }

    /// Whether the indicator's figures and targets are percentages.
    fn percent(&self, code: &str) -> bool {
        use danvan_core::indicator::Measure;
        self.definition(code)
            .is_some_and(|d| matches!(d.measure, Measure::Ratio | Measure::Percent))
    }

    /// The province's line, begun when first needed.
    fn rank<'r>(
        &self,
        ranks: &'r mut HashMap<&'static str, TargetRank>,
        slug: &'static str,
    ) -> &'r mut TargetRank {
        ranks.entry(slug).or_insert_with(|| TargetRank {
            name: danvan_i18n::names::province(self.lang, slug),
            met: 0,
            judged: 0,
            missing: 0,
            lines: Vec::new(),
        })
    }

    /// One figure against the target that applies to it (its own, else the board's for its
    /// province, else the board's nationwide one, else the definition's); `None` without a
    /// value or a target.
    fn judge(&self, o: &Observation, slug: &str) -> Option<TargetLine> {
        use danvan_core::indicator::Direction;
        let code = o.indicator.as_str();
        let def = self.definition(code);
        let board =
            danvan_core::target::applicable(&self.targets, code, o.province.as_ref(), &o.period);
        let value = o.computed()?;
        let target = o
            .target
            .or(board.map(|t| t.value))
            .or_else(|| def.and_then(|d| d.target))?;
        let met = match def.map_or(Direction::HigherIsBetter, |d| d.direction) {
            Direction::LowerIsBetter => value <= target,
            Direction::HigherIsBetter | Direction::Neutral => value >= target,
        };
        let lang = self.lang;
        let period = danvan_i18n::names::period(lang, &o.period);
        let percent = self.percent(code);
        Some(TargetLine {
            indicator: self.name(code),
            // A figure of a province since merged into this one says whose it was.
            period: match o.province.as_ref().filter(|r| r.as_str() != slug) {
                Some(r) => format!(
                    "{period} ({})",
                    danvan_i18n::names::province(lang, r.as_str())
                ),
                None => period,
            },
            value: danvan_i18n::names::figure(lang, value, percent),
            target: danvan_i18n::names::figure(lang, target, percent),
            status: if met { "met" } else { "not-met" },
            set_by: board
                .filter(|_| o.target.is_none())
                .map(set_by)
                .unwrap_or_default(),
        })
    }
}

/// Who set a target, by which document: "Ban Thường vụ Tỉnh ủy, 41-CTr/TU".
fn set_by(t: &danvan_core::target::Target) -> String {
    [
        t.set_by.as_ref().map(ToString::to_string),
        t.document.as_ref().map(ToString::to_string),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ")
}

/// Each province's own figures (not its units') of the last closed year — the year's and its
/// half-years' — against the target that applies to each (see [`Judging::judge`]), and the
/// province's targets with no figure; the provinces ranked by the share of targets met.
fn against_targets(
    store: &dyn Store,
    province: Option<&String>,
    today: NaiveDate,
    lang: Lang,
    d: &mut Dashboard,
) -> Result<(), StoreError> {
    let Ok(year) = Period::year(today.year() - 1) else {
        return Ok(());
    };
    d.target_year = danvan_i18n::names::period(lang, &year);
    let registry = danvan_core::province::registry();
    let stored = store.export(Some(&danvan_store::Query {
        kinds: vec![RecordKind::Target, RecordKind::Indicator],
        ..danvan_store::Query::default()
    }))?;
    let judging = Judging {
        targets: stored.dataset.targets,
        indicators: stored.dataset.indicators,
        lang,
    };
    // Each figure judged as the store lends it (none copied): most have no target.
    let mut found: Vec<(String, String, &'static str, TargetLine)> = Vec::new();
    store.visit(&figures_within(province, year), &mut |r| {
        let RecordRef::Observation(o) = r else { return };
        let Some(p) = o
            .province
            .as_ref()
            .filter(|_| o.is_own_figure())
            .and_then(|p| registry.current(p.as_str()))
        else {
            return;
        };
        if let Some(line) = judging.judge(o, p.slug) {
            found.push((o.indicator.to_string(), o.period.id(), p.slug, line));
        }
    })?;
    found.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut ranks: HashMap<&'static str, TargetRank> = HashMap::new();
    let mut judged: BTreeSet<(&'static str, String)> = BTreeSet::new();
    for (indicator, _, slug, line) in found {
        let rank = judging.rank(&mut ranks, slug);
        rank.judged += 1;
        rank.met += usize::from(line.status == "met");
        rank.lines.push(line);
        judged.insert((slug, indicator));
    }
    // A province's own target for the year with no figure of it: "chưa có số liệu".
    for t in &judging.targets {
        let Some(p) = t
            .province
            .as_ref()
            .and_then(|p| registry.current(p.as_str()))
        else {
            continue;
        };
        if province.is_some_and(|own| own.as_str() != p.slug)
            || !t.period.overlaps(&year)
            || judged.contains(&(p.slug, t.indicator.to_string()))
        {
            continue;
        }
        let line = TargetLine {
            indicator: judging.name(t.indicator.as_str()),
            period: danvan_i18n::names::period(lang, &t.period),
            value: String::new(),
            target: danvan_i18n::names::figure(
                lang,
                t.value,
                judging.percent(t.indicator.as_str()),
            ),
            status: "not-judged",
            set_by: set_by(t),
        };
        let rank = judging.rank(&mut ranks, p.slug);
        rank.missing += 1;
        rank.lines.push(line);
    }
    let mut ranks: Vec<TargetRank> = ranks.into_values().collect();
    danvan_core::text::sort_by_key(&mut ranks, |r| r.name.as_str());
    // The largest share met first (met₁·judged₂ against met₂·judged₁), then the fewest targets
    // without a figure.
    ranks.sort_by(|a, b| {
        (b.met * a.judged.max(1))
            .cmp(&(a.met * b.judged.max(1)))
            .then(a.missing.cmp(&b.missing))
    });
    d.against_targets = ranks;
    Ok(())
}

/// Indicators against target and their trend, as the report of the last closed half-year
/// computes and draws them.
fn indicators(
    store: &dyn Store,
    province: Option<String>,
    today: NaiveDate,
    period: Period,
    lang: Lang,
    d: &mut Dashboard,
) -> Result<(), StoreError> {
    let closed = period.previous().unwrap_or(period);
    d.indicator_period = match lang {
        Lang::Vi => closed.to_vietnamese(),
        Lang::En => closed.to_english(),
    };
    let scope = danvan_report::Scope {
        province,
        map: ProvinceMap::Current,
        period: closed,
        window: Default::default(),
        today,
        order: danvan_report::ProvinceOrder::Name,
        include_pending: false,
    };
    let rows = danvan_report::data::indicator_table(store, &scope)?;
    let report_lang = lang;
    d.indicators = rows
        .iter()
        .map(|r| {
            let [value, target, status] = danvan_report::compose::indicator_cells(r, report_lang);
            IndicatorLine {
                name: if lang == Lang::Vi {
                    r.name.clone()
                } else {
                    r.name_en.clone()
                },
                value,
                target,
                status,
            }
        })
        .collect();
    let charts = danvan_report::compose::trend_charts(&rows, report_lang);
    d.charts = danvan_report::html::charts(&charts, report_lang);
    Ok(())
}

pub(crate) async fn dashboard(State(s): State<AppState>, Signed(session): Signed) -> Response {
    let province = home_province(&session);
    let today = s.today();
    let lang = session.lang;
    let p = province.clone();
    let dashboards = std::sync::Arc::clone(&s.web.dashboards);
    let data = match store(&s, &session, move |st| {
        // Computed once per store revision: a dashboard read again before any write is the
        // same page.
        let revision = st.revision()?;
        let key = format!("{}|{today}|{}", p.as_deref().unwrap_or(""), lang.tag());
        if let Some(d) = dashboards.get(&key, revision) {
            return Ok(d);
        }
        let d = std::sync::Arc::new(dashboard_data(st, p, today, lang)?);
        dashboards.put(&key, revision, std::sync::Arc::clone(&d), DASHBOARD_BYTES);
        Ok(d)
    })
    .await
    {
        Ok(d) => d,
        Err(r) => return r,
    };
    s.web.page(
        StatusCode::OK,
        "dashboard.html",
        context! {
            lang => lang.tag(),
            me => me(&session),
            nav => kinds_nav(lang),
            scope => province.as_deref().map(province_name),
            d => &*data,
        },
    )
}

/// Dashboards by province, day and language, each kept with the store revision it was
/// computed at (the API's own kind of cache, `Kept`).
pub(crate) type Dashboards = danvan_http::cache::Kept<std::sync::Arc<Dashboard>>;

/// What a dashboard counts in its cache's bound, whatever its rows and charts: the bound keeps
/// 256 (a province's and the country's, per day and language).
const DASHBOARD_BYTES: usize = 128 * 1024;

/// The bound of the dashboards' cache.
pub(crate) const DASHBOARDS_BOUND: usize = 256 * DASHBOARD_BYTES;
