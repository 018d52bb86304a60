//! The pages around the API: the landing page, the interactive documentation, the OpenAPI
//! document, the problem-type pages, and the health checks.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::extract::to_json;
use crate::problem::{self, Kind, Problem};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(landing))
        .route("/docs", get(|| async { Html(DOCS_PAGE) }))
        .route("/problems/{slug}", get(problem_page))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// Example queries shown on the landing page (and tested to answer 200).
pub const EXAMPLES: [(&str, &str); 9] = [
    ("The 34 provinces today", "/v1/provinces"),
    (
        "Thái Nguyên's 2024 conferences, Bắc Kạn's included",
        "/v1/conferences?province=thai-nguyen&period=2024",
    ),
    (
        "Search, ignoring diacritics",
        "/v1/search?q=dan%20van%20kheo&limit=5",
    ),
    (
        "Reviews falling due in the next year",
        "/v1/directives/due?within=1y",
    ),
    (
        "One-stop departments, by province",
        "/v1/indicators/one_stop_departments/observations?sort=id",
    ),
    (
        "A six-month report for Thái Nguyên",
        "/v1/reports?period=2024S1&province=thai-nguyen",
    ),
    (
        "The same, as a printable page with trend charts",
        "/v1/reports?period=2024S1&province=thai-nguyen&format=html",
    ),
    (
        "The 2024 national report as a Word file, in English",
        "/v1/reports?period=2024&format=docx&lang=en",
    ),
    ("Everything, as an export document", "/v1/export"),
];

async fn landing(State(s): State<AppState>) -> Response {
    let revision = s
        .store
        .revision()
        .map_or_else(|_| "unavailable".to_string(), |r| r.to_string());
    let mut links = String::new();
    for (text, href) in EXAMPLES {
        links.push_str(&format!(
            "<li><a href=\"{href}\">{text}</a> <code>GET {}</code></li>",
            href.replace('&', "&amp;")
        ));
    }
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>danvan API</title>\
<style>body{{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}code{{background:#f3f3f3;padding:0 .2rem}}</style></head>\
<body><h1>danvan API</h1><p>Dân vận work as structured data: conferences, directives and their reviews, \
“Dân vận khéo” models, indicators and reports. Store revision {revision}.</p>\
<ul><li><a href=\"/app\">The board's web app</a> (Vietnamese, English available; sign in with a token)</li><li><a href=\"/docs\">Interactive documentation</a></li><li><a href=\"/openapi.json\">OpenAPI 3.1 document</a></li>\
<li><a href=\"/healthz\">/healthz</a> and <a href=\"/readyz\">/readyz</a></li></ul>\
<h2>Try</h2><ul>{links}</ul>\
<p>Reads are open unless the server says otherwise; writes need <code>Authorization: Bearer …</code>. \
Errors are <code>application/problem+json</code>.</p></body></html>"
    ))
    .into_response()
}

async fn problem_page(Path(slug): Path<String>) -> Result<Html<String>, Problem> {
    problem::page(&slug)
        .map(Html)
        .ok_or_else(|| Problem::new(Kind::NotFound, format!("no problem type {slug:?}")))
}

/// The answer of the health checks.
#[derive(Serialize, ToSchema)]
pub(crate) struct Health {
    /// `ok`, or `unavailable` when the store cannot be read.
    status: &'static str,
    /// The store revision, when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    revision: Option<u64>,
    /// Why the server is not ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The server is up", body = Health)))]
pub(crate) async fn healthz() -> Response {
    let (status, health) = liveness();
    to_json(status, &health)
}

/// What `/healthz` answers.
pub(crate) fn liveness() -> (StatusCode, Health) {
    (
        StatusCode::OK,
        Health {
            status: "ok",
            revision: None,
            reason: None,
        },
    )
}

/// Readiness: the store can be read and no damage has been found.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, description = "Ready to serve", body = Health),
              (status = 503, description = "The store cannot be read, or is damaged (`reason` says how)", body = Health)))]
pub(crate) async fn readyz(State(s): State<AppState>) -> Response {
    let (status, health) = readiness(&s).await;
    to_json(status, &health)
}

/// What `/readyz` answers: the store's damage, a full disk, or its revision — read from
/// memory when the store can without waiting, else on the blocking pool within the request
/// timeout.
pub(crate) async fn readiness(s: &AppState) -> (StatusCode, Health) {
    let unavailable = |reason: String| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Health {
                status: "unavailable",
                revision: None,
                reason: Some(reason),
            },
        )
    };
    if let Some(damage) = s.store.damage() {
        return unavailable(format!("store damaged: {damage}"));
    }
    if let Some(full) = s.disk_full() {
        return unavailable(full);
    }
    let revision = match s.store.revision_now() {
        Some(now) => now.map_err(Problem::from),
        None => s.blocking(|store| store.revision()).await,
    };
    match revision {
        Ok(r) => (
            StatusCode::OK,
            Health {
                status: "ok",
                revision: Some(r),
                reason: None,
            },
        ),
        Err(p) => unavailable(p.detail),
    }
}

/// The documentation page: it reads `/openapi.json` and lets a reader send each request.
const DOCS_PAGE: &str = include_str!("docs.html");
