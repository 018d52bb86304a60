//! Reading a text in the browser: a clerk pastes an article or a report, sees the text with
//! the words each proposed value stands on highlighted beside the proposals, corrects what is
//! wrong, fills what the text does not say, and writes the proposals chosen — through
//! `danvan_ingest::store`, the path the CLI and the API take. Reading is deterministic, so the
//! write reads the same text again rather than keeping it on the server.

use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_ingest::store::{AcceptError, Outcome};
use danvan_ingest::{Document, Evidence, Extraction, Meta, Proposal};
use minijinja::context;
use serde::Serialize;
use serde_json::Value as Json;

use super::Signed;
use super::page::{csrf_ok, csrf_refused, encode, kinds_nav, me, read_only};
use super::session::{Lang, Session};
use crate::AppState;

/// One value as the page shows it.
#[derive(Serialize)]
struct ValueView {
    i: usize,
    label: String,
    /// The value in words (names, not codes).
    shown: String,
    /// What an input holds, for values a person may correct; `None` for vocabulary terms.
    input: Option<String>,
    quote: Option<String>,
    inferred: Option<String>,
}

/// One proposal as the page shows it.
#[derive(Serialize)]
struct ProposalView {
    key: String,
    kind: String,
    label: String,
    values: Vec<ValueView>,
    missing: Vec<(String, String)>,
    links: Vec<String>,
    existing: Option<(String, String)>,
    notes: Vec<String>,
    checked: bool,
}

/// A run of the text, and the proposals whose evidence covers it.
#[derive(Serialize)]
struct Segment {
    text: String,
    keys: String,
}

/// `GET /app/ingest`: the form to paste a text into.
pub(crate) async fn form(State(s): State<AppState>, Signed(session): Signed) -> Response {
    page(&s, &session, StatusCode::OK, Shown::default())
}

/// What the page shows: the text read, or what was written.
#[derive(Serialize, Default)]
struct Shown {
    text: String,
    url: String,
    published: String,
    segments: Vec<Segment>,
    proposals: Vec<ProposalView>,
    unread: Vec<String>,
    problem: Option<String>,
    written: Vec<(String, String, String, String)>,
    read: bool,
}

fn page(s: &AppState, session: &Session, status: StatusCode, shown: Shown) -> Response {
    s.web.page(
        status,
        "ingest.html",
        context! {
            lang => session.lang.tag(),
            me => me(session),
            nav => kinds_nav(session.lang),
            o => shown,
        },
    )
}

/// The text, address and day a form carries, read into a document.
fn document(f: &HashMap<String, String>, lang: Lang) -> Result<Document, String> {
    let text = f.get("text").map(String::as_str).unwrap_or("").trim();
    if text.is_empty() {
        return Err(super::i18n::word("ingest-paste-text-first", lang));
    }
    let published = match f
        .get("published")
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
    {
        Some(p) => Some(danvan_core::date::parse(p, None).map_err(|e| e.to_string())?),
        None => None,
    };
    let url = f
        .get("url")
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    Ok(Document::new(
        text,
        Meta {
            url,
            published,
            title: None,
            file: None,
        },
    ))
}

/// `POST /app/ingest`: reads the text and shows the proposals beside it.
pub(crate) async fn read(
    State(s): State<AppState>,
    Signed(session): Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f: HashMap<String, String> = pairs.into_iter().collect();
    if !csrf_ok(&session, &f) {
        return csrf_refused(&s, &session);
    }
    let doc = match document(&f, session.lang) {
        Ok(d) => d,
        Err(e) => return problem(&s, &session, &f, e),
    };
    let mut found = danvan_ingest::ingest(&doc);
    let resolved = s
        .blocking(move |st| {
            danvan_ingest::store::resolve(st, &mut found)?;
            Ok(found)
        })
        .await;
    match resolved {
        Ok(found) => page(
            &s,
            &session,
            StatusCode::OK,
            shown(&doc, &found, &f, session.lang),
        ),
        Err(p) => problem(&s, &session, &f, super::failure::words(&p, session.lang)),
    }
}

fn problem(
    s: &AppState,
    session: &Session,
    f: &HashMap<String, String>,
    message: String,
) -> Response {
    let shown = Shown {
        text: f.get("text").cloned().unwrap_or_default(),
        url: f.get("url").cloned().unwrap_or_default(),
        published: f.get("published").cloned().unwrap_or_default(),
        problem: Some(super::i18n::message(&message, session.lang)),
        ..Shown::default()
    };
    page(s, session, StatusCode::UNPROCESSABLE_ENTITY, shown)
}

fn shown(doc: &Document, found: &Extraction, f: &HashMap<String, String>, lang: Lang) -> Shown {
    Shown {
        text: doc.text().to_string(),
        url: f.get("url").cloned().unwrap_or_default(),
        published: f.get("published").cloned().unwrap_or_default(),
        segments: segments(doc, found),
        proposals: found
            .proposals
            .iter()
            .map(|p| view(p, found, lang))
            .collect(),
        unread: found.unread.iter().map(|u| u.text.clone()).collect(),
        problem: None,
        written: Vec::new(),
        read: true,
    }
}

/// The text cut where any evidence starts or ends, each run with the proposals it supports.
fn segments(doc: &Document, found: &Extraction) -> Vec<Segment> {
    let mut spans: Vec<(usize, usize, &str)> = Vec::new();
    for p in &found.proposals {
        for v in &p.values {
            if let Some(span) = v.evidence.span() {
                spans.push((span.start, span.end, &p.key));
            }
        }
    }
    let mut cuts: Vec<usize> = vec![0, doc.len()];
    cuts.extend(spans.iter().flat_map(|(a, b, _)| [*a, *b]));
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| {
            let mut keys: Vec<&str> = spans
                .iter()
                .filter(|(a, b, _)| *a <= w[0] && w[1] <= *b)
                .map(|(_, _, k)| *k)
                .collect();
            keys.dedup();
            Segment {
                text: doc.original(w[0]..w[1]).to_string(),
                keys: keys.join(" "),
            }
        })
        .collect()
}

/// A value as its input box shows it: a date as offices write it (14/03/2025), anything else
/// as it is; what a person leaves unchanged compares equal to it.
fn input_form(v: &danvan_ingest::Value) -> String {
    match &v.value {
        _ if matches!(v.reading, danvan_ingest::Reading::Date) => {
            danvan_ingest::labels::shown(v, true)
        }
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn view(p: &Proposal, found: &Extraction, lang: Lang) -> ProposalView {
    let kind = match p.kind {
        danvan_core::validate::RecordKind::Conference => "conference",
        danvan_core::validate::RecordKind::Directive => "directive",
        danvan_core::validate::RecordKind::Observation => "figure",
        danvan_core::validate::RecordKind::Model => "model",
        danvan_core::validate::RecordKind::Award => "commendation",
        _ => "record",
    };
    let values = p
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let term = matches!(v.reading, danvan_ingest::Reading::Term);
            let raw = input_form(v);
            let (quote, inferred) = match &v.evidence {
                Evidence::Stated { quote, .. } => (Some(quote.clone()), None),
                Evidence::Inferred { note, quote, .. } => (quote.clone(), Some(note.clone())),
            };
            ValueView {
                i,
                label: danvan_ingest::labels::field_label(&v.field, lang == Lang::Vi),
                shown: danvan_ingest::labels::value_words(&v.field, &v.value, lang == Lang::Vi),
                input: (!term).then_some(raw),
                quote,
                inferred,
            }
        })
        .collect();
    ProposalView {
        key: p.key.clone(),
        kind: kind.to_string(),
        label: p.label.clone(),
        values,
        missing: p
            .missing
            .iter()
            .map(|f| {
                (
                    f.clone(),
                    danvan_ingest::labels::field_label(f, lang == Lang::Vi),
                )
            })
            .collect(),
        links: p
            .links
            .iter()
            .map(|l| {
                let target = found
                    .proposals
                    .iter()
                    .find(|q| q.key == l.to)
                    .map_or("", |q| q.label.as_str());
                let label = danvan_ingest::labels::field_label(&l.field, lang == Lang::Vi);
                format!("{label} → {} {target}", l.to)
            })
            .collect(),
        existing: p.existing.as_ref().map(|id| {
            let plural = p.kind.plural();
            (format!("/app/{plural}/{}", encode(id)), id.clone())
        }),
        notes: p.notes.clone(),
        checked: p.missing.is_empty() && p.existing.is_none(),
    }
}

/// `POST /app/ingest/accept`: reads the text again, applies the corrections typed beside each
/// value, and writes the proposals ticked.
pub(crate) async fn accept(
    State(s): State<AppState>,
    Signed(session): Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let accepted: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "accept")
        .map(|(_, v)| v.clone())
        .collect();
    let f: HashMap<String, String> = pairs.into_iter().collect();
    if !csrf_ok(&session, &f) {
        return csrf_refused(&s, &session);
    }
    if !session.may_write() {
        return read_only(&s, &session);
    }
    let doc = match document(&f, session.lang) {
        Ok(d) => d,
        Err(e) => return problem(&s, &session, &f, e),
    };
    let mut found = danvan_ingest::ingest(&doc);
    corrections(&mut found, &f);
    let author = session.caller.author(None);
    let meta = doc.meta.clone();
    let lang = session.lang;
    let done = s
        .writing(move |st| {
            danvan_ingest::store::resolve(st, &mut found)?;
            let r = danvan_ingest::store::accept(st, &meta, &found, &accepted, &author);
            match r {
                Ok(a) => Ok((found, Ok(a))),
                Err(AcceptError::Store(e)) => Err(e),
                Err(other) => Ok((found, Err(other.to_string()))),
            }
        })
        .await;
    match done {
        Ok((found, Ok(a))) => {
            let written = a
                .records
                .iter()
                .map(|(key, kind, id, outcome)| {
                    let how = match outcome {
                        Outcome::Created => "created",
                        Outcome::Updated => "updated",
                        Outcome::Linked => "already-recorded",
                    };
                    let label = found
                        .proposals
                        .iter()
                        .find(|p| &p.key == key)
                        .map_or_else(String::new, |p| p.label.clone());
                    (
                        format!("/app/{}/{}", kind.plural(), encode(id.as_str())),
                        label,
                        id.to_string(),
                        how.to_string(),
                    )
                })
                .collect();
            let shown = Shown {
                written,
                ..Shown::default()
            };
            page(&s, &session, StatusCode::OK, shown)
        }
        Ok((found, Err(message))) => {
            let mut shown = shown(&doc, &found, &f, lang);
            shown.problem = Some(super::i18n::message(&message, lang));
            page(&s, &session, StatusCode::UNPROCESSABLE_ENTITY, shown)
        }
        Err(p) => {
            // The store refused the write (a figure already recorded, a lock): the reading
            // stays on the page with the refusal above it.
            let mut found = danvan_ingest::ingest(&doc);
            corrections(&mut found, &f);
            let mut shown = shown(&doc, &found, &f, lang);
            shown.problem = Some(super::failure::words(&p, lang));
            page(&s, &session, StatusCode::UNPROCESSABLE_ENTITY, shown)
        }
    }
}

/// The corrections a form carries: `v:KEY:I` (a value changed or emptied) and `m:KEY:FIELD`
/// (a field the text does not give, filled in).
fn corrections(found: &mut Extraction, f: &HashMap<String, String>) {
    for p in &mut found.proposals {
        // Highest index first, so that removing one leaves the others' indexes standing.
        for i in (0..p.values.len()).rev() {
            let Some(typed) = f.get(&format!("v:{}:{i}", p.key)) else {
                continue;
            };
            let now = input_form(&p.values[i]);
            let typed = typed.trim();
            if typed != now {
                p.replace(i, (!typed.is_empty()).then_some(typed));
            }
        }
        for field in p.missing.clone() {
            if let Some(v) = f.get(&format!("m:{}:{field}", p.key)).map(|v| v.trim())
                && !v.is_empty()
            {
                p.edit(&field, Some(v));
            }
        }
    }
}
