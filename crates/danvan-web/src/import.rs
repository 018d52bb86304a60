//! Importing a spreadsheet in the browser: upload a CSV file or a workbook, read the dry run
//! (each record and what would happen to it, each problem at its line or cell), then commit.
//!
//! The file is read with `danvan_entry`'s readers, the same as `danvan import`. What the dry
//! run read is kept for the session that uploaded it (in memory, for 30 minutes) so that the
//! commit writes exactly what was shown. A province's clerk imports only their provinces'
//! records: a file holding any other is refused whole, each such record named.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use danvan_core::dataset::Dataset;
use danvan_core::record_kind::RecordKind;
use danvan_store::{Action, ImportOptions};
use minijinja::context;
use serde::Serialize;

use super::Signed;
use super::page::{csrf_ok, csrf_refused, kinds_nav, me, read_only, see_other};
use super::session::{self, Lang, Session};
use crate::AppState;

/// How long an uploaded file waits for its commit.
const KEEP: Duration = Duration::from_secs(30 * 60);
/// At most this many uploads wait at once, one per session (the oldest goes first): each holds
/// a parsed file of up to the body limit.
const MAX_PENDING: usize = 16;

/// A file read and checked, waiting for its commit.
struct Pending {
    /// The session that uploaded it (its CSRF token, which only that session knows).
    owner: String,
    file: String,
    dataset: Dataset,
    /// Where each record is in the file, for the problems a commit may still meet.
    places: Places,
    at: Instant,
}

/// The uploads waiting for their commit.
#[derive(Default)]
pub(crate) struct Uploads {
    pending: Mutex<HashMap<String, Pending>>,
}

impl Uploads {
    fn keep(&self, p: Pending) -> String {
        let id = session::random_token();
        let mut map = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        // A session's new upload replaces the one it had waiting.
        map.retain(|_, w| w.at.elapsed() < KEEP && w.owner != p.owner);
        if map.len() >= MAX_PENDING
            && let Some(oldest) = map.iter().min_by_key(|(_, p)| p.at).map(|(k, _)| k.clone())
        {
            map.remove(&oldest);
        }
        map.insert(id.clone(), p);
        id
    }

    /// The upload `id` of `session`, taken out.
    fn take(&self, id: &str, session: &Session) -> Option<Pending> {
        let mut map = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let owned = map
            .get(id)
            .is_some_and(|p| session.csrf_matches(&p.owner) && p.at.elapsed() < KEEP);
        if owned { map.remove(id) } else { None }
    }
}

/// One record of the dry run.
#[derive(Serialize)]
struct PlanRow {
    at: String,
    kind: &'static str,
    id: String,
    title: String,
    action: &'static str,
}

/// What the import page shows.
#[derive(Serialize, Default)]
struct Outcome {
    file: String,
    problems: Vec<String>,
    warnings: Vec<String>,
    plan: Vec<PlanRow>,
    unchanged: usize,
    /// Records outside the user's provinces, unchanged, set aside.
    set_aside: usize,
    pending: Option<String>,
    done: Option<(usize, usize, usize, u64)>,
}

fn page(s: &AppState, session: &Session, status: StatusCode, mut outcome: Outcome) -> Response {
    for p in outcome
        .problems
        .iter_mut()
        .chain(outcome.warnings.iter_mut())
    {
        *p = super::i18n::message(p, session.lang);
    }
    s.web.page(
        status,
        "import.html",
        context! {
            lang => session.lang.tag(),
            me => me(session),
            nav => kinds_nav(session.lang),
            kinds => kind_names(session.lang),
            o => outcome,
        },
    )
}

/// Each kind of record: (code, name in `lang`), for the page's choices.
fn kind_names(lang: Lang) -> Vec<(&'static str, String)> {
    RecordKind::ALL
        .iter()
        .map(|k| {
            let name = super::i18n::word(&format!("kinds-{}", k.as_str()), lang);
            (k.as_str(), super::i18n::capitalised(&name))
        })
        .collect()
}

#[derive(serde::Deserialize)]
pub(crate) struct TemplateParams {
    kind: Option<String>,
}

/// `GET /app/import/template?kind=observation`: an empty workbook to fill and import
/// ([`danvan_entry::workbook::template`]).
pub(crate) async fn template(
    State(s): State<AppState>,
    Signed(session): Signed,
    axum::extract::Query(p): axum::extract::Query<TemplateParams>,
) -> Response {
    use axum::response::IntoResponse;
    let kind = p
        .kind
        .as_deref()
        .and_then(|k| RecordKind::ALL.into_iter().find(|r| r.as_str() == k))
        .unwrap_or(RecordKind::Observation);
    let bytes = match danvan_entry::workbook::template(kind, s.today()) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "writing an import template");
            return super::page::message(
                &s,
                &session,
                StatusCode::INTERNAL_SERVER_ERROR,
                "not-found",
                &e,
            );
        }
    };
    let name = format!("mau-nhap-{}.xlsx", kind.plural());
    (
        StatusCode::OK,
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub(crate) async fn form(State(s): State<AppState>, Signed(session): Signed) -> Response {
    if !session.may_write() {
        return read_only(&s, &session);
    }
    page(&s, &session, StatusCode::OK, Outcome::default())
}

/// What an upload form sent (the import's, a report's signed original).
#[derive(Default)]
pub(super) struct Upload {
    pub(super) csrf: String,
    kind: Option<RecordKind>,
    /// The file's name as the browser gave it.
    pub(super) file: String,
    pub(super) bytes: Vec<u8>,
}

/// Reads an upload form: its CSRF token, the kind chosen (the import's), the file.
pub(super) async fn upload(mut multipart: Multipart) -> Result<Upload, String> {
    let mut u = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
        match field.name().unwrap_or("") {
            "csrf" => u.csrf = field.text().await.map_err(|e| e.to_string())?,
            "kind" => {
                let text = field.text().await.map_err(|e| e.to_string())?;
                u.kind = RecordKind::ALL.into_iter().find(|k| k.as_str() == text);
            }
            "file" => {
                u.file = field.file_name().unwrap_or("upload").to_string();
                u.bytes = field.bytes().await.map_err(|e| e.to_string())?.to_vec();
            }
            _ => {}
        }
    }
    Ok(u)
}

/// Reads an uploaded file into records, each with where it is; or every problem, each at its
/// line or cell. The file is held to [`danvan_entry::Limits::UPLOAD`] as it is read (a
/// workbook before it is expanded), and reading gives up when `stop` says so.
fn read_file(
    name: &str,
    bytes: Vec<u8>,
    kind: Option<RecordKind>,
    lang: Lang,
    stop: &dyn Fn() -> bool,
) -> Result<Vec<(String, danvan_core::dataset::AnyRecord)>, Vec<String>> {
    let limits = &danvan_entry::Limits::UPLOAD;
    let path = Path::new(name);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let rows: Vec<(RecordKind, String, serde_json::Value)> = match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => {
            danvan_entry::workbook::read_within(path, bytes, kind, limits, stop)
                .map_err(|p| {
                    p.into_iter()
                        .map(|p| format!("{name}: {p}"))
                        .collect::<Vec<_>>()
                })?
                .into_iter()
                .map(|(k, at, v)| (k, format!("{name}: {at}"), v))
                .collect()
        }
        "csv" | "txt" => {
            let kind = kind
                .or_else(|| danvan_entry::sheet::kind_of_file(path))
                .ok_or_else(|| {
                    vec![format!(
                        "{name}: which kind of record does it hold? Choose it above, or name the file after its kind (hoi-nghi.csv, van-ban.csv, mo-hinh.csv, chi-tieu.csv, so-lieu.csv)"
                    )]
                })?;
            let text = String::from_utf8(bytes)
                .map_err(|_| vec![format!("{name}: not UTF-8 text; save it as “CSV UTF-8”")])?;
            danvan_entry::sheet::read_within(kind, &text, limits, stop)
                .map_err(|p| {
                    p.into_iter()
                        .map(|p| format!("{name}:{p}"))
                        .collect::<Vec<_>>()
                })?
                .into_iter()
                .map(|(line, v)| (kind, format!("{name}:{line}"), v))
                .collect()
        }
        _ => {
            return Err(vec![format!(
                "{name}: {}",
                super::i18n::word("import-file-kinds", lang)
            )]);
        }
    };
    let mut problems = Vec::new();
    let mut records = Vec::new();
    for (i, (kind, at, mut value)) in rows.into_iter().enumerate() {
        if i % 1024 == 1023 && stop() {
            return Err(vec![format!("{name}: {}", danvan_entry::Exceeded::Stopped)]);
        }
        // A row without an ID (an empty Mã) gets the one its content suggests.
        let missing = danvan_entry::ids::mark_missing_id(&mut value);
        let reading = danvan_entry::structure::read_record(kind, &value);
        match reading.record {
            Some(r) if reading.problems.is_empty() => records.push((at, r, missing)),
            _ => problems.extend(reading.problems.iter().map(|e| {
                let message = danvan_i18n::phrases(&e.message, lang);
                if e.field.is_empty() {
                    format!("{at}: {message}")
                } else {
                    let field = danvan_i18n::names::field(lang, kind, &e.field);
                    format!("{at}: {field}: {message}")
                }
            })),
        }
    }
    problems.extend(
        danvan_entry::ids::make_ids(&mut records)
            .into_iter()
            .map(|same| {
                danvan_i18n::tr!(
                    lang,
                    "import-same-record",
                    first = same.first,
                    second = same.second,
                    record = format!(
                        "{} {}",
                        super::i18n::word(&format!("kind-{}", same.kind.as_str()), lang),
                        same.id
                    )
                )
            }),
    );
    if problems.is_empty() {
        Ok(records.into_iter().map(|(at, r, _)| (at, r)).collect())
    } else {
        Err(problems)
    }
}

/// Where each record of an upload is: (kind, ID) → `file:line` or `file: sheet "…", row`.
type Places = HashMap<(RecordKind, String), String>;

/// A dry run's records, their places and the store's report; or the problems that stopped it
/// before the store was asked.
type Checked = Result<(Dataset, Places, danvan_store::ImportReport, usize), Vec<String>>;

/// Reads an upload and runs the import as a dry run: the records, where they are, and the
/// report; or every problem that stops it before the store is asked.
fn dry_run(
    store: &dyn danvan_store::Store,
    caller: &danvan_http::auth::Caller,
    lang: Lang,
    u: Upload,
    stop: &dyn Fn() -> bool,
) -> Result<Checked, danvan_store::StoreError> {
    let records = match read_file(&u.file, u.bytes, u.kind, lang, stop) {
        Ok(r) => r,
        Err(problems) => return Ok(Err(problems)),
    };
    let mut at: Places = HashMap::new();
    let mut dataset = Dataset::default();
    // Records of other provinces: the store refuses those the file would change, and counts
    // the others (a province's own export holds the central directives it reviews) as
    // unchanged: set aside, not written.
    let mut outside = 0;
    for (where_, r) in records {
        outside += usize::from(caller.access.may_write(r.as_ref()).is_err());
        at.insert((r.kind(), r.id().to_string()), where_);
        dataset.push(r);
    }
    let report = store.import(
        dataset.clone(),
        ImportOptions {
            dry_run: true,
            author: caller.author(None),
        },
    )?;
    if !report.forbidden.is_empty() {
        return Ok(Err(refusals(&report, &at, caller, lang)));
    }
    Ok(Ok((dataset, at, report, outside)))
}

/// The records of an import the store refused as another province's, each at its place in the
/// interface's language.
fn refusals(
    report: &danvan_store::ImportReport,
    at: &Places,
    caller: &danvan_http::auth::Caller,
    lang: Lang,
) -> Vec<String> {
    report
        .forbidden
        .iter()
        .map(|r| {
            let where_ = at
                .get(&(r.kind, r.id.to_string()))
                .map_or_else(|| format!("{} {}", r.kind, r.id), Clone::clone);
            let detail = danvan_i18n::names::refusal(lang, &caller.name, r);
            format!("{where_}: {}", super::failure::refused_as(&detail, lang))
        })
        .collect()
}

/// A dry run as the page shows it: errors and warnings each at its place, and the plan.
fn shown(
    dataset: &Dataset,
    at: &Places,
    report: &danvan_store::ImportReport,
    lang: Lang,
) -> (Vec<String>, Vec<String>, Vec<PlanRow>) {
    let located = |p: &danvan_core::validate::Problem| {
        let where_ = at
            .get(&(p.kind, p.id.to_string()))
            .cloned()
            .unwrap_or_else(|| "(stored)".into());
        let field = if p.field.is_empty() {
            String::new()
        } else {
            format!("{}: ", p.field)
        };
        format!("{where_}: {} {}: {field}{}", p.kind, p.id, p.message)
    };
    let problems = report
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(located)
        .collect();
    let warnings = report
        .problems
        .iter()
        .filter(|p| !p.is_error())
        .map(located)
        .collect();
    let titles: HashMap<(RecordKind, String), String> = dataset
        .iter()
        .map(|r| ((r.kind(), r.id().to_string()), r.summary(lang == Lang::En)))
        .collect();
    let plan = report
        .planned
        .iter()
        .map(|p| {
            let key = (p.kind, p.id.to_string());
            PlanRow {
                at: at.get(&key).cloned().unwrap_or_default(),
                kind: p.kind.plural(),
                id: p.id.to_string(),
                title: titles.get(&key).cloned().unwrap_or_default(),
                action: match p.action {
                    Action::Created => "created",
                    Action::Updated => "updated",
                    Action::Deleted => "deleted",
                },
            }
        })
        .collect();
    (problems, warnings, plan)
}

/// The dry run of an uploaded file.
pub(crate) async fn check(
    State(s): State<AppState>,
    Signed(session): Signed,
    multipart: Multipart,
) -> Response {
    let u = match upload(multipart).await {
        Ok(u) => u,
        Err(e) => {
            let o = Outcome {
                problems: vec![format!("the upload could not be read: {e}")],
                ..Outcome::default()
            };
            return page(&s, &session, StatusCode::BAD_REQUEST, o);
        }
    };
    if !session.csrf_matches(&u.csrf) {
        return csrf_refused(&s, &session);
    }
    if !session.may_write() {
        return read_only(&s, &session);
    }
    let file = u.file.clone();
    let caller = session.caller.clone();
    let lang = session.lang;
    // Reading gives up before the request's time is out (so that the clerk reads why rather
    // than a bare timeout), and at once when the server begins to shut down.
    let stopping = s.stopping();
    let deadline = std::time::Instant::now() + s.timeout().mul_f64(0.9);
    let stop = move || {
        stopping.load(std::sync::atomic::Ordering::Relaxed) || std::time::Instant::now() >= deadline
    };
    let checked = s
        .blocking(move |store| dry_run(store, &caller, lang, u, &stop))
        .await;
    let (dataset, at, report, set_aside) = match checked {
        Ok(Ok(x)) => x,
        Ok(Err(problems)) => {
            let o = Outcome {
                file,
                problems,
                ..Outcome::default()
            };
            return page(&s, &session, StatusCode::UNPROCESSABLE_ENTITY, o);
        }
        Err(f) => return super::page::failed(&s, &session, &f),
    };
    let (problems, warnings, plan) = shown(&dataset, &at, &report, session.lang);
    let pending = problems.is_empty().then(|| {
        s.web.uploads.keep(Pending {
            owner: session.csrf.clone(),
            file: file.clone(),
            dataset,
            places: at.clone(),
            at: std::time::Instant::now(),
        })
    });
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let o = Outcome {
        file,
        problems,
        warnings,
        plan,
        unchanged: report.unchanged,
        set_aside,
        pending,
        done: None,
    };
    page(&s, &session, status, o)
}

/// Writes a checked upload.
pub(crate) async fn commit(
    State(s): State<AppState>,
    Signed(session): Signed,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    if !csrf_ok(&session, &form) {
        return csrf_refused(&s, &session);
    }
    if !session.may_write() {
        return read_only(&s, &session);
    }
    let Some(p) = form
        .get("pending")
        .and_then(|id| s.web.uploads.take(id, &session))
    else {
        // Already written, expired, or not this session's: start again.
        return see_other("/app/import");
    };
    let author = session.caller.author(Some(format!("import of {}", p.file)));
    let file = p.file.clone();
    let dataset = p.dataset;
    let places = p.places;
    let done = s
        .writing(move |store| {
            store.import(
                dataset,
                ImportOptions {
                    dry_run: false,
                    author,
                },
            )
        })
        .await;
    match done {
        Ok(report) if !report.has_errors() => {
            let o = Outcome {
                file,
                done: Some((
                    report.created,
                    report.updated,
                    report.unchanged,
                    report.revision,
                )),
                ..Outcome::default()
            };
            page(&s, &session, StatusCode::OK, o)
        }
        Ok(report) => {
            // The store changed since the dry run, and the file no longer goes in whole: a
            // record it holds may even have become another province's meanwhile.
            let problems = if report.forbidden.is_empty() {
                report
                    .problems
                    .iter()
                    .filter(|p| p.is_error())
                    .map(|p| danvan_i18n::store::problem_line(session.lang, p))
                    .collect()
            } else {
                refusals(&report, &places, &session.caller, session.lang)
            };
            let o = Outcome {
                file,
                problems,
                ..Outcome::default()
            };
            page(&s, &session, StatusCode::CONFLICT, o)
        }
        Err(f) => super::page::failed(&s, &session, &f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(owner: &str) -> Pending {
        Pending {
            owner: owner.into(),
            file: "so-lieu.csv".into(),
            dataset: Dataset::default(),
            places: Places::default(),
            at: Instant::now(),
        }
    }

    #[test]
    fn a_sessions_new_upload_replaces_its_last_and_few_wait_at_once() {
        let uploads = Uploads::default();
        let first = uploads.keep(pending("a"));
        let second = uploads.keep(pending("a"));
        uploads.keep(pending("b"));
        let map = uploads.pending.lock().unwrap();
        assert!(!map.contains_key(&first) && map.contains_key(&second));
        assert_eq!(map.len(), 2);
        drop(map);
        for i in 0..(MAX_PENDING * 2) {
            uploads.keep(pending(&format!("s{i}")));
        }
        assert!(uploads.pending.lock().unwrap().len() <= MAX_PENDING);
    }
}
