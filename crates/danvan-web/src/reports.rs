//! Reports: the preview page, and the files (HTML, DOCX, Markdown, CSV) as the API renders them.

// A handler's early answer is a whole page (`Response`), returned once per request.
#![allow(clippy::result_large_err)]

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::page::*;
use super::session::Lang;
use super::{Signed, i18n};
use crate::AppState;
use danvan_http::service::ReportRequest;

#[derive(Deserialize)]
pub(crate) struct ReportPageParams {
    period: Option<String>,
    province: Option<String>,
    lang: Option<String>,
    template: Option<String>,
}

pub(crate) async fn reports(
    State(s): State<AppState>,
    Signed(session): Signed,
    Query(p): Query<ReportPageParams>,
) -> Response {
    let today = s.today();
    let default_period = half_year(today)
        .previous()
        .unwrap_or_else(|| half_year(today));
    let period = p.period.clone().unwrap_or_else(|| default_period.id());
    let province = chosen_province(&session, p.province.clone());
    let report_lang = p
        .lang
        .clone()
        .unwrap_or_else(|| session.lang.tag().to_string());
    // The outline: a built-in one by its ID (an unknown one is the default's).
    let outlines = danvan_report::template::Template::all_builtin();
    let template = p
        .template
        .clone()
        .filter(|t| outlines.iter().any(|o| o.id == *t))
        .unwrap_or_else(|| danvan_report::template::Template::default_outline().id);
    let outline_choices: Vec<(String, String)> = outlines
        .iter()
        .map(|o| (o.id.clone(), o.name(session.lang).to_string()))
        .collect();
    let query = format!(
        "period={}&province={}&lang={}&template={}",
        encode(&period),
        encode(province.as_deref().unwrap_or("")),
        encode(&report_lang),
        encode(&template)
    );
    let provinces = choosable(&session, s.today());
    // The report checker's findings, shown before anyone downloads the report to sign.
    let mut findings: Vec<FindingView> = Vec::new();
    if p.period.is_some() {
        if let Some(r) = period_refused(&s, &session, &period) {
            return r;
        }
        let asked = s.report_findings(
            session.caller.clone(),
            ReportRequest {
                period: period.clone(),
                province: province.clone(),
                lang: Some(report_lang.clone()),
                format: None,
                template: Some(template.clone()),
            },
        );
        match asked.await {
            Ok(found) => {
                findings = found
                    .iter()
                    .map(|f| FindingView::of(f, session.lang))
                    .collect();
            }
            Err(problem) => return refused_page(&s, &session, &problem.detail),
        }
    }
    let findings_title = danvan_i18n::tr!(session.lang, "check-findings", count = findings.len());
    s.web.page(
        StatusCode::OK,
        "report.html",
        context! {
            lang => session.lang.tag(),
            me => me(&session),
            nav => kinds_nav(session.lang),
            period,
            province => province.unwrap_or_default(),
            report_lang,
            provinces,
            national => session.caller.provinces().is_none(),
            query,
            shown => p.period.is_some(),
            findings,
            findings_title,
            template,
            outlines => outline_choices,
        },
    )
}

#[derive(Deserialize)]
pub(crate) struct ReportFileParams {
    period: String,
    province: Option<String>,
    lang: Option<String>,
    format: Option<String>,
    template: Option<String>,
}

/// A report file for the session: the API's report, kept to the user's provinces.
pub(crate) async fn report_file(
    State(s): State<AppState>,
    Signed(session): Signed,
    Query(p): Query<ReportFileParams>,
) -> Response {
    let province = p.province.filter(|x| !x.is_empty());
    if let (Some(own), requested) = (&session.caller.provinces(), &province)
        && !requested
            .as_ref()
            .is_some_and(|r| own.iter().any(|o| o == r))
    {
        let text = i18n::word("reports-of-own-provinces-only", session.lang);
        return forbidden(&s, &session, &text);
    }
    // The period as the report form takes it, refused here in the clerk's words.
    if let Some(r) = period_refused(&s, &session, &p.period) {
        return r;
    }
    let request = ReportRequest {
        period: p.period,
        province,
        lang: p.lang,
        format: p.format,
        template: p.template.filter(|t| !t.is_empty()),
    };
    let asked = s.report(session.caller.clone(), request);
    match asked.await {
        Ok(r) => r,
        // A period or a province the API could not read: said on a page, in words.
        Err(problem) => refused_page(&s, &session, &problem.detail),
    }
}

/// One finding of the report checker, as the report page lists it.
#[derive(Serialize)]
pub(super) struct FindingView {
    place: String,
    what: String,
    detail: String,
    why: String,
}

impl FindingView {
    fn of(f: &danvan_report::check::Finding, lang: Lang) -> FindingView {
        FindingView {
            place: f.place_in(lang),
            what: f.what(lang),
            detail: f.detail.clone(),
            why: f.why(lang),
        }
    }
}
