//! Reports: `/v1/reports` (a periodic summary in any format, with the count of what the
//! report checker found in it, or refused with each finding under `strict=true`) and
//! `/v1/reports/check` (the findings: where, what, why).

use axum::Router;
use axum::extract::{Extension, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use danvan_core::province::registry;
use danvan_report::{Format, Lang, ProvinceOrder, Scope};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Params, to_json};
use crate::params::{
    FormatName, LangName, ProvinceMapName, ProvinceOrderName, WindowNameName, date_param,
    map_param, period_param, vocabulary_param, window_param,
};
use crate::problem::{FieldError, Kind, Problem};
use crate::service::ReportRequest;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/reports", get(report))
        .route("/v1/reports/check", get(check))
}

/// `/v1/reports` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ReportParams {
    /// The period: `2024S1`, `2024`, `2024Q2`, `2021-2025`, or a Vietnamese phrase.
    period: String,
    /// A province (slug or name); the whole country without it.
    province: Option<String>,
    /// `current` or `as_recorded` [default: the map of the report's date — as recorded for a
    /// report dated before 1 July 2025, when the provinces were 63; current after].
    #[param(inline, value_type = Option<ProvinceMapName>)]
    map: Option<String>,
    /// `calendar` (default) or `cut_off` (Decree 09/2019).
    #[param(inline, value_type = Option<WindowNameName>)]
    window: Option<String>,
    /// The report's date for the place-and-date line (YYYY-MM-DD) [default: today].
    #[param(value_type = Option<chrono::NaiveDate>)]
    date: Option<String>,
    /// `markdown` (default), `html` (self-contained, with charts), `docx`, `json` (the
    /// figures behind the report) or `csv` (the indicator table).
    #[param(inline, value_type = Option<FormatName>)]
    format: Option<String>,
    /// `vi` (default) or `en`.
    #[param(inline, value_type = Option<LangName>)]
    lang: Option<String>,
    /// National tables across provinces: `name` (Vietnamese order, default) or `value` (best
    /// figure first).
    #[param(inline, value_type = Option<ProvinceOrderName>)]
    order: Option<String>,
    /// `true`: refuse the report (422, each finding of the report checker in `errors`) when
    /// the checker finds anything to correct [default: false: the report is sent, the count
    /// of findings in `X-Report-Findings`].
    strict: Option<bool>,
    /// The outline: `hien-hanh` (default: the draft from the records), `dinh-ky` (the
    /// periodic report in the Central Commission's outline), `so-ket-van-ban` (a directive's
    /// review) or `ban-tin` (a monthly or quarterly brief).
    template: Option<String>,
}

impl ReportParams {
    /// The parameters of the web app's report downloads.
    pub(crate) fn for_web(r: ReportRequest) -> ReportParams {
        ReportParams {
            period: r.period,
            province: r.province,
            map: None,
            window: None,
            date: None,
            format: r.format,
            lang: r.lang,
            order: None,
            strict: None,
            template: r.template,
        }
    }
}

/// What a report request asks for, read and held to the caller's provinces.
struct Asked {
    scope: Scope,
    template: danvan_report::template::Template,
    format: Format,
    lang: Lang,
    strict: bool,
    /// The file's name: `bao-cao-thai-nguyen-2024S1-vi.md`.
    name: String,
}

fn asked_of(s: &AppState, caller: &Caller, p: ReportParams) -> Result<Asked, Problem> {
    let format: Format = match p.format.as_deref() {
        None => Format::Markdown,
        Some(v) => vocabulary_param("format", v)?,
    };
    let lang: Lang = match p.lang.as_deref() {
        None => Lang::Vi,
        Some(v) => vocabulary_param("lang", v)?,
    };
    let order: ProvinceOrder = match p.order.as_deref() {
        None => ProvinceOrder::Name,
        Some(v) => vocabulary_param("order", v)?,
    };
    if p.province.is_none() && p.map.is_some() {
        return Err(Problem::bad_param("map", "applies only with `province`"));
    }
    held_to_own(caller, p.province.as_deref())?;
    let today = match &p.date {
        Some(d) => date_param("date", d)?,
        None => s.today(),
    };
    let scope = Scope {
        province: p.province.clone(),
        // Unless asked, the map of the report's date: before 1 July 2025, as recorded.
        map: match p.map.as_deref() {
            Some(_) => map_param(p.map.as_deref())?,
            None => Scope::map_on(today),
        },
        period: period_param("period", &p.period)?,
        window: window_param(p.window.as_deref())?,
        today,
        order,
        include_pending: false,
    };
    let name = format!(
        "bao-cao-{}-{}-{}.{}",
        scope.province.as_deref().map_or_else(
            || "toan-quoc".to_string(),
            |p| danvan_core::province::ProvinceRef::new(p)
                .as_str()
                .to_string()
        ),
        scope.period.id(),
        lang.tag(),
        format.extension()
    );
    let template = match p.template.as_deref() {
        None => danvan_report::template::Template::default_outline(),
        Some(id) => danvan_report::template::Template::builtin(id)
            .map_err(|e| Problem::bad_param("template", e))?,
    };
    Ok(Asked {
        template,
        scope,
        format,
        lang,
        strict: p.strict.unwrap_or(false),
        name,
    })
}

/// A reader held to its provinces reads their reports only.
fn held_to_own(caller: &Caller, province: Option<&str>) -> Result<(), Problem> {
    let Some(own) = caller.reads.bound_to() else {
        return Ok(());
    };
    let current = province.and_then(|name| {
        let slug = danvan_core::province::ProvinceRef::new(name);
        registry().current(slug.as_str()).map(|c| c.slug)
    });
    if current.is_some_and(|c| caller.reads.may_read_province(Some(c))) {
        return Ok(());
    }
    Err(Problem::new(
        Kind::Forbidden,
        format!(
            "token `{}` reads the records of {}; {}",
            caller.name,
            own.join(", "),
            match province {
                Some(name) => format!("the report of {name} is another province's"),
                None => "a national report covers every province: ask for `province`".into(),
            }
        ),
    ))
}

/// The report of `asked` and the report checker's findings on it.
async fn checked(s: &AppState, asked: &Asked) -> Result<danvan_report::Checked, Problem> {
    let (scope, format, lang) = (asked.scope.clone(), asked.format, asked.lang);
    let template = asked.template.clone();
    s.blocking(move |store| {
        // Served, each figure of the HTML page links to its records under /v1/.
        let links = danvan_report::html::Links {
            base: Some(String::new()),
        };
        let written = danvan_report::written::Written::new();
        let draft = danvan_report::Draft {
            template: &template,
            written: &written,
            issue: None,
        };
        Ok(danvan_report::render_checked(
            store, &scope, format, lang, &links, &draft,
        ))
    })
    .await?
    .map_err(|e| match e {
        danvan_report::DraftError::Render(danvan_report::RenderError::Store(e)) => Problem::from(e),
        other => Problem::internal(other),
    })
}

/// One finding of the report checker, as the API gives it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FindingBody {
    /// The rule (stable for programs): `breakdown`, `number`, `zero`, `doubled_word`,
    /// `trailing_zeros`, `judgement`, `held_and_due`, `after_report_date`, `period_code`,
    /// `straight_quote`, `shortcomings`, `missing_as_zero`, `title`, `not_summable`,
    /// `level_sum`, `unlike_comparison`, `unit_coverage`, `incomplete_total`,
    /// `national_coverage`, `phase_figures`.
    rule: &'static str,
    /// Where, in the report's language: the section's heading, or the figures.
    place: String,
    /// What the rule finds, in the report's language.
    what: String,
    /// What was found: the words at fault and the text they stand in, or the figures that
    /// disagree.
    detail: String,
    /// Why a chief would send it back, in the report's language.
    why: String,
}

impl FindingBody {
    fn of(f: &danvan_report::check::Finding, lang: Lang) -> FindingBody {
        FindingBody {
            rule: f.rule,
            place: f.place_in(lang),
            what: f.what(lang),
            detail: f.detail.clone(),
            why: f.why(lang),
        }
    }
}

/// What the report checker found in a report.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FindingsBody {
    /// Every finding; none for a report a chief can sign without correcting what the checker
    /// looks for.
    findings: Vec<FindingBody>,
}

/// A periodic summary (sơ kết, tổng kết) of a province or the country.
#[utoipa::path(get, path = "/v1/reports", tag = "reports", params(ReportParams),
    responses((status = 200, description = "The report; `X-Report-Findings` counts what the report checker found in it (`/v1/reports/check` lists each)", content((String = "text/markdown"), (String = "text/html"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Value = "application/json"), (String = "text/csv"))),
              (status = 400, description = "A bad parameter", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "`strict=true` and the report checker found something to correct: each finding in `errors` (its rule as `code`, its place as `field`)", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn report(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Params(p): Params<ReportParams>,
) -> Result<Response, Problem> {
    let asked = asked_of(&s, &caller, p)?;
    let checked = checked(&s, &asked).await?;
    if asked.strict && !checked.findings.is_empty() {
        let errors: Vec<FieldError> = checked
            .findings
            .iter()
            .map(|f| FieldError {
                record: None,
                at: None,
                field: f.place_in(asked.lang),
                code: f.rule.to_string(),
                message: format!(
                    "{}: {} ({})",
                    f.what(asked.lang),
                    f.detail,
                    f.why(asked.lang)
                ),
                severity: "error".into(),
            })
            .collect();
        return Err(Problem::new(
            Kind::ValidationFailed,
            format!(
                "the report checker found {} thing(s) to correct; `errors` lists each (strict=true)",
                errors.len()
            ),
        )
        .with_errors(errors));
    }
    let format = asked.format;
    let mut r = (StatusCode::OK, checked.bytes).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.media_type()),
    );
    h.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(asked.lang.tag()),
    );
    h.insert(
        REPORT_FINDINGS,
        HeaderValue::from(checked.findings.len() as u64),
    );
    let disposition = match format {
        Format::Docx | Format::Csv => "attachment",
        _ => "inline",
    };
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename=\"{}\"", asked.name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// The header counting what the report checker found in the report sent.
pub(crate) const REPORT_FINDINGS: axum::http::HeaderName =
    axum::http::HeaderName::from_static("x-report-findings");

/// What the report checker finds in a report (the same parameters; `format` does not
/// matter): where, what and why, in the report's language — what a chief reads before signing.
#[utoipa::path(get, path = "/v1/reports/check", tag = "reports", params(ReportParams),
    responses((status = 200, description = "The findings (none: nothing to correct)", body = FindingsBody),
              (status = 400, description = "A bad parameter", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn check(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Params(p): Params<ReportParams>,
) -> Result<Response, Problem> {
    let mut asked = asked_of(&s, &caller, p)?;
    // The findings do not depend on the file's format; Markdown is the cheapest to write.
    asked.format = Format::Markdown;
    let checked = checked(&s, &asked).await?;
    let body = FindingsBody {
        findings: checked
            .findings
            .iter()
            .map(|f| FindingBody::of(f, asked.lang))
            .collect(),
    };
    Ok(to_json(StatusCode::OK, &body))
}

impl crate::service::Service {
    /// A report as the API's `GET /v1/reports` answers it (a download), for `caller`.
    pub async fn report(&self, caller: Caller, asked: ReportRequest) -> Result<Response, Problem> {
        let params = ReportParams::for_web(asked);
        report(
            axum::extract::State(self.state.clone()),
            axum::Extension(caller),
            crate::extract::Params(params),
        )
        .await
    }

    /// What the report checker finds in the report a download of [`report`](Self::report)
    /// with the same parameters would send: what the web app shows before a report is issued.
    pub async fn report_findings(
        &self,
        caller: Caller,
        asked: ReportRequest,
    ) -> Result<Vec<danvan_report::check::Finding>, Problem> {
        let params = ReportParams::for_web(asked);
        let asked = asked_of(&self.state, &caller, params)?;
        Ok(checked(&self.state, &asked).await?.findings)
    }
}
