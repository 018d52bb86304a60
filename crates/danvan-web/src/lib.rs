//! The web app for a board's staff and leaders, under `/app`: sign-in with the server's tokens,
//! a dashboard, record lists with instant search, detail pages with history, a form for every
//! kind, and reports. Server-rendered (minijinja templates built into the binary) with htmx
//! 2 shipped inside the binary; every action also works as a plain link or form.
//!
//! Access follows the API's rules: a province-bound token sees and changes only its
//! provinces' records; a national token sees every province and changes records only with the
//! admin scope. Every form carries the session's CSRF token, and the session cookie is
//! HttpOnly and SameSite=Strict.
//!
//! The app is served beside the API ([`mount`]) over the store as the API serves it
//! ([`Service`]), and writes by the API's own path ([`Service::write`]): it reads a submitted
//! form into a record, and renders the typed outcome as pages — a refusal as the form again
//! with each problem beside its field, a failure as a page in the user's language
//! (`failure`), never as the API's problem+json.

mod browse;
mod cycle;
mod dashboard;
mod edit;
mod failure;
mod form;
mod history;
mod i18n;
mod import;
mod ingest;
mod page;
mod reports;
mod session;
mod sign_in;
mod submission;
mod users;

pub use danvan_http::service::Service;

/// A record's fields for reading — (label, value) in the order of its form, choices and
/// provinces by name, empty fields left out — as its page in the web app shows them; `danvan
/// <kind> show` prints the same card.
pub fn card(
    kind: danvan_core::record_kind::RecordKind,
    record: &serde_json::Value,
    lang: danvan_i18n::Lang,
) -> Vec<(String, String)> {
    form::shown(kind, record, lang)
}

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use minijinja::Environment;
use serde::Serialize;

pub(crate) use session::{Session, Sessions};

/// The web app under `/app` over `api`'s store, its sessions signed with a key from
/// `session_secret` (see [`danvan_http::Config::session_secret`]), served beside the API
/// behind its layers. Call it last: the web app sees the store as `api` serves it then
/// (its "today" included).
pub fn mount(api: danvan_http::Api, session_secret: Option<&str>) -> danvan_http::Api {
    let state = AppState {
        service: api.service(),
        web: Arc::new(Web::new(session_secret)),
    };
    api.with_routes(routes().with_state(state))
}

/// What the web app's handlers share: the store as the API serves it, and the web app's own
/// sessions, uploads, computed dashboards and templates.
#[derive(Clone)]
pub(crate) struct AppState {
    service: Service,
    pub(crate) web: Arc<Web>,
}

impl std::ops::Deref for AppState {
    type Target = Service;

    fn deref(&self) -> &Service {
        &self.service
    }
}

/// What the web app keeps: its sessions and its templates.
pub(crate) struct Web {
    pub(crate) sessions: Sessions,
    /// Uploaded files waiting for their commit.
    uploads: import::Uploads,
    /// Dashboards already computed, by store revision.
    dashboards: std::sync::Arc<dashboard::Dashboards>,
    env: Environment<'static>,
}

impl Web {
    pub(crate) fn new(session_secret: Option<&str>) -> Web {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            // The templates are part of the binary and checked by the tests.
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name}: {e}"));
        }
        env.add_function("t", i18n::t);
        env.add_filter("count", |n: u64| danvan_core::number::format_count(n));
        Web {
            sessions: Sessions::new(session_secret),
            uploads: import::Uploads::default(),
            dashboards: std::sync::Arc::new(dashboard::Dashboards::new(
                dashboard::DASHBOARDS_BOUND,
            )),
            env,
        }
    }

    /// Renders template `name` with `context`, as an HTML response with `status`.
    pub(crate) fn page(&self, status: StatusCode, name: &str, context: impl Serialize) -> Response {
        let rendered = self.env.get_template(name).and_then(|t| t.render(context));
        match rendered {
            Ok(html) => {
                let mut r = (status, html).into_response();
                let h = r.headers_mut();
                h.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                h.insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(CSP),
                );
                h.insert(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                );
                h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                r
            }
            Err(e) => {
                tracing::error!(template = name, error = %e, "a page could not be rendered");
                plain_page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Lỗi máy chủ — Server error",
                )
            }
        }
    }
}

/// Nothing is loaded from elsewhere; scripts only from the app itself; the report preview is
/// framed from the same origin only.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'";

const TEMPLATES: [(&str, &str); 14] = [
    ("base.html", include_str!("templates/base.html")),
    ("sign_in.html", include_str!("templates/sign_in.html")),
    ("dashboard.html", include_str!("templates/dashboard.html")),
    ("list.html", include_str!("templates/list.html")),
    ("rows.html", include_str!("templates/rows.html")),
    ("record.html", include_str!("templates/record.html")),
    ("form.html", include_str!("templates/form.html")),
    ("report.html", include_str!("templates/report.html")),
    ("message.html", include_str!("templates/message.html")),
    ("import.html", include_str!("templates/import.html")),
    ("ingest.html", include_str!("templates/ingest.html")),
    ("users.html", include_str!("templates/users.html")),
    ("queue.html", include_str!("templates/queue.html")),
    (
        "completeness.html",
        include_str!("templates/completeness.html"),
    ),
];

/// The files served under `/app/static/`: (name, media type, bytes).
const STATIC: [(&str, &str, &[u8]); 2] = [
    (
        // htmx 2.0.11 (BSD Zero-Clause), `dist/htmx.min.js` of the npm package htmx.org,
        // sha256 d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717.
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("static/htmx.min.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("static/app.css"),
    ),
];

/// The web app's routes.
fn routes() -> Router<AppState> {
    Router::new()
        .route("/app", get(dashboard::dashboard))
        .route("/app/", get(dashboard::dashboard))
        .route(
            "/app/sign-in",
            get(sign_in::sign_in_page).post(sign_in::sign_in),
        )
        .route("/app/sign-out", axum::routing::post(sign_in::sign_out))
        .route("/app/lang", get(sign_in::switch_lang))
        .route("/app/static/{file}", get(static_file))
        .route("/app/reports", get(reports::reports))
        .route("/app/reports/file", get(reports::report_file))
        .route("/app/import", get(import::form).post(import::check))
        .route("/app/import/commit", axum::routing::post(import::commit))
        .route("/app/import/template", get(import::template))
        .route("/app/ingest", get(ingest::form).post(ingest::read))
        .route("/app/ingest/accept", axum::routing::post(ingest::accept))
        .route("/app/completeness", get(cycle::completeness))
        .route("/app/queue", get(cycle::queue))
        .route("/app/users", get(users::page).post(users::add))
        .route("/app/users/{login}", axum::routing::post(users::change))
        .route("/app/forms/{form}/begin", axum::routing::post(cycle::begin))
        .route(
            "/app/submissions/{id}/step",
            axum::routing::post(cycle::step),
        )
        .route(
            "/app/submissions/{id}/figures",
            axum::routing::post(cycle::figures),
        )
        .route(
            "/app/submissions/{id}/original",
            get(cycle::original).post(cycle::attach),
        )
        .route("/app/{kind}", get(browse::list))
        .route("/app/{kind}/new", get(edit::new_form).post(edit::create))
        .route("/app/{kind}/{id}", get(browse::record))
        .route(
            "/app/directives/{id}/held/{index}",
            axum::routing::post(edit::review_held),
        )
        .route(
            "/app/{kind}/{id}/edit",
            get(edit::edit_form).post(edit::update),
        )
}

async fn static_file(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    match STATIC.iter().find(|(name, _, _)| *name == file) {
        Some((_, media, bytes)) => {
            let mut r = (StatusCode::OK, *bytes).into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            r
        }
        None => plain_page(StatusCode::NOT_FOUND, "Không có tệp này — No such file"),
    }
}

/// A signed-in request: its session. Without one, the browser is sent to sign in (and back).
pub(crate) struct Signed(pub(crate) Session);

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, Response> {
        let found = signed_in(s, &parts.headers).await?;
        match found {
            Some(session) => Ok(Signed(session)),
            None => {
                let back = parts
                    .uri
                    .path_and_query()
                    .map_or("/app", |p| p.as_str())
                    .to_string();
                let to = format!("/app/sign-in?next={}", page::encode(&back));
                Err(page::see_other(&to))
            }
        }
    }
}

/// The request's session, if it has one: a cookie this server's key signed, not signed out on
/// any server on this store (or before a restart), of a token still configured or of a user
/// as the store holds them now (active, with the password and standing they signed in with).
pub(crate) async fn signed_in(
    s: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Session>, Response> {
    let Some(cookie) = s.web.sessions.cookie(headers) else {
        return Ok(None);
    };
    let id = cookie.id().to_string();
    let login = cookie.login().map(str::to_string);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let looked = s
        .blocking(move |st| {
            if st.session_ended(&id, now)? {
                return Ok(None);
            }
            let user = match &login {
                Some(l) => st.user(l)?,
                None => None,
            };
            Ok(Some(user))
        })
        .await;
    match looked {
        Ok(Some(user)) => Ok(s.web.sessions.confirm(cookie, s.auth(), user)),
        Ok(None) => Ok(None),
        Err(failure) => Err(failure::plain(&failure)),
    }
}

/// A page for a request with no session to speak the user's language by: both languages.
pub(crate) fn plain_page(status: StatusCode, text: &str) -> Response {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let html = format!(
        "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>danvan</title><p>{escaped}</p><p><a href=\"/app\">danvan</a></p></html>"
    );
    let mut r = (status, html).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}
