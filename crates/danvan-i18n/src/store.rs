//! The store's refusals and failures, and the validation problems they carry, as a person
//! reads them: one rendering for the CLI and the web app.

use danvan_core::validate::{Problem, RecordKind, Severity};
use danvan_store::StoreError;

use crate::{Lang, names, text, tr};

/// One validation problem on a line of its own: "lỗi: hội nghị hn-1: Ngày: …".
pub fn problem_line(lang: Lang, p: &Problem) -> String {
    let severity = match p.severity {
        Severity::Error => text(lang, "problem-error"),
        Severity::Warning => text(lang, "problem-warning"),
    };
    let mut line = format!("{severity}: {} {}", names::kind(lang, p.kind), p.id);
    if !p.field.is_empty() {
        // In Vietnamese by the form's label ("Tử số"); in English by its path in the record's
        // JSON, which is what `--set` and the API name.
        let field = match lang {
            Lang::Vi => names::field(lang, p.kind, &p.field),
            Lang::En => p.field.clone(),
        };
        line.push_str(&format!(": {field}"));
    }
    line.push_str(&format!(": {}", crate::phrases(&p.message, lang)));
    line
}

/// A refused write: every problem, one per line.
fn invalid(lang: Lang, problems: &[Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("  {}", problem_line(lang, p)))
        .collect();
    format!("{}\n{}", text(lang, "store-invalid"), lines.join("\n"))
}

/// What a store's refusal or failure says, in `lang`: from the catalogue by its kind; a damaged
/// or unreadable file by its place and what the store found there.
pub fn message(lang: Lang, e: &StoreError) -> String {
    if let Some(m) = about_records(lang, e) {
        return m;
    }
    match e {
        StoreError::NotAStore { at } => tr!(lang, "store-not-a-store", at = at.to_string()),
        StoreError::AlreadyExists { at } => tr!(lang, "store-already-exists", at = at.to_string()),
        StoreError::NewerFormat {
            at,
            found,
            supported,
        } => tr!(
            lang,
            "store-newer-format",
            at = at.to_string(),
            found = found.to_string(),
            supported = supported.to_string()
        ),
        StoreError::Locked { at, waited_ms } => tr!(
            lang,
            "store-locked",
            at = at.to_string(),
            waited = waited_ms.to_string()
        ),
        StoreError::Pruned { after, oldest } => tr!(
            lang,
            "store-pruned",
            after = after.to_string(),
            oldest = oldest.to_string()
        ),
        StoreError::FeedAhead { after, latest } => tr!(
            lang,
            "store-feed-ahead",
            after = after.as_str(),
            latest = latest.to_string()
        ),
        StoreError::User {
            login,
            problem: danvan_store::UserProblem::Exists,
        } => tr!(lang, "store-user-exists", login = login.as_str()),
        StoreError::User {
            login,
            problem: danvan_store::UserProblem::Missing,
        } => tr!(lang, "store-user-missing", login = login.as_str()),
        StoreError::Database { at, message } => tr!(
            lang,
            "store-database",
            at = at.to_string(),
            message = message.as_str()
        ),
        // About records: above. The file and position, and what the store found there (or
        // the system said).
        StoreError::NotFound { .. }
        | StoreError::RecordExists { .. }
        | StoreError::Conflict { .. }
        | StoreError::Invalid { .. }
        | StoreError::Forbidden { .. }
        | StoreError::Referenced { .. }
        | StoreError::Corrupt { .. }
        | StoreError::Damaged { .. }
        | StoreError::Io { .. }
        | StoreError::BadQuery(_)
        | StoreError::User { .. } => e.to_string(),
    }
}

/// What a refusal about records says (one missing, taken, changed, invalid, out of reach or
/// still referred to); `None` for the others.
fn about_records(lang: Lang, e: &StoreError) -> Option<String> {
    let kind_id = |kind: &RecordKind, id: &dyn std::fmt::Display| {
        format!("{} {id}", names::kind(lang, *kind))
    };
    Some(match e {
        StoreError::NotFound { kind, id } => {
            tr!(
                lang,
                "store-not-found",
                kind = names::kind(lang, *kind),
                id = id.to_string()
            )
        }
        StoreError::RecordExists { kind, id, revision } => tr!(
            lang,
            "store-record-exists",
            record = kind_id(kind, id),
            revision = revision.to_string()
        ),
        StoreError::Conflict {
            kind,
            id,
            expected,
            actual: Some(actual),
        } => tr!(
            lang,
            "store-conflict",
            record = kind_id(kind, id),
            expected = expected.to_string(),
            actual = actual.to_string()
        ),
        StoreError::Conflict {
            kind,
            id,
            expected,
            actual: None,
        } => tr!(
            lang,
            "store-conflict-deleted",
            record = kind_id(kind, id),
            expected = expected.to_string()
        ),
        // Every problem, one per line, so nothing has to be fixed blind.
        StoreError::Invalid { problems } => invalid(lang, problems),
        StoreError::Forbidden { actor, refusal } => names::refusal(lang, actor, refusal),
        StoreError::Referenced { kind, id, by } => {
            let by: Vec<String> = by.iter().map(|(k, i)| kind_id(k, i)).collect();
            tr!(
                lang,
                "store-referenced",
                record = kind_id(kind, id),
                by = by.join(", ")
            )
        }
        _ => return None,
    })
}
