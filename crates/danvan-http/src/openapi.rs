//! The OpenAPI 3.1 document, generated from the code: the annotated routes and parameter types
//! (utoipa), the record collections from the same kind table the router is built from, and the
//! record schemas from danvan-core's JSON Schemas. Committed as `docs/openapi.json`; a test
//! fails when the two differ (`cargo xtask schema` rewrites it).

use danvan_core::record_kind::RecordKind;
use serde_json::{Map, Value, json};
use utoipa::OpenApi;

use crate::problem::{FieldError, Problem};
use crate::{pages, routes};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "danvan API",
        description = "Dân vận work as structured data: conferences, directives and their review milestones, \
\"Dân vận khéo\" models, indicators and their observations, and the periodic reports made from them.\n\n\
Conventions: every record has an `ETag` (its revision); `If-None-Match` gives 304; writes take `If-Match` \
and answer 412 when the record has moved on. Lists page with a cursor (`next` link and `Link` header) and \
take `fields=`. Errors are RFC 9457 `application/problem+json`. Writes need a bearer token with the `write` \
scope, bulk import `admin`; reads are open unless the server is configured otherwise.\n\n\
Every write is recorded with the token's name and, when the request carries an `X-Change-Reason` header (UTF-8, or RFC 8187 `UTF-8''…` percent-encoded), why. \
`GET /v1/{kind}/{id}/history` lists a record's revisions field by field; `GET /v1/changes?since=REVISION` lists every \
create, update and delete after a revision, in commit order, deletions as tombstones: the way to stay in sync is to keep \
follow each page's `next` and, on the page where it is null, keep that page's `revision` and ask again later with \
`since` set to it. The feed keeps a bounded history (410 `feed-pruned` \
past it: export, then follow the feed from the export's revision); a `since` beyond the store's revision is 409 \
`feed-ahead` (the store was restored from an older copy, or is another store): export and follow again.",
        license(name = "MIT OR Apache-2.0"),
    ),
    paths(
        routes::provinces,
        routes::province,
        routes::search,
        routes::due,
        routes::import,
        routes::export,
        routes::changes,
        routes::report,
        pages::healthz,
        pages::readyz,
    ),
    components(schemas(
        Problem,
        FieldError,
        routes::ProvinceBody,
        routes::DueRow,
        routes::DuePage,
        routes::ProvincePage,
        routes::RecordPage,
        routes::ImportBody,
        routes::ChangesPage,
        crate::records::HistoryPage,
        crate::records::CataloguePage,
        pages::Health
    )),
    tags(
        (name = "provinces", description = "The provincial units, before and after the 1 July 2025 merger"),
        (name = "directives", description = "Nghị quyết, chỉ thị, kế hoạch, đề án and their review milestones"),
        (name = "conferences", description = "Conferences held: sơ kết, tổng kết, thematic, dialogues"),
        (name = "models", description = "\"Dân vận khéo\" models"),
        (name = "indicators", description = "Indicator definitions and the built-in catalogue"),
        (name = "observations", description = "Figures reported for a period"),
        (name = "search", description = "Every record type at once"),
        (name = "transfer", description = "Bulk import and export"),
        (name = "changes", description = "The change feed: every create, update and delete in commit order, the way to stay in sync"),
        (name = "reports", description = "Periodic summaries"),
        (name = "operations", description = "Health checks"),
    )
)]
struct ApiDoc;

/// The document as JSON.
pub fn document() -> Value {
    let mut api = ApiDoc::openapi();
    api.merge(crate::record_routes::openapi());
    // Search shares the list parameters, but without text there is nothing to rank.
    if let Some(params) = api
        .paths
        .paths
        .get_mut("/v1/search")
        .and_then(|item| item.get.as_mut())
        .and_then(|get| get.parameters.as_mut())
    {
        for p in params.iter_mut().filter(|p| p.name == "q") {
            p.required = utoipa::openapi::Required::True;
        }
    }
    let mut doc = serde_json::to_value(api).unwrap_or_default();
    doc["openapi"] = json!("3.1.0");
    add_layer_errors(&mut doc);
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        add_record_schemas(schemas);
    }
    doc["components"]["securitySchemes"] = json!({
        "bearer": {"type": "http", "scheme": "bearer", "description": "A token from the server's configuration (`danvan token new`), with the scope read, write or admin"}
    });
    doc
}

/// Adds to every operation the errors the layers around the handlers can answer, which the
/// handlers' own annotations do not list: the timeout, the store's lock wait, damage and
/// faults (503, 500), the request limits (414, 431; 413, 415 and 507 for writes), the token
/// check on `/v1/` (401, 403: reads too, when the server closes them), and 400 for a bad or
/// unknown query parameter.
fn add_layer_errors(doc: &mut Value) {
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let write = matches!(method.as_str(), "post" | "put" | "patch" | "delete");
            if !write && method != "get" {
                continue;
            }
            let mut errors: Vec<(&str, &str)> = vec![
                ("414", "The path and query are over 8 KiB"),
                ("431", "The headers are over 32 KiB"),
                (
                    "500",
                    "A fault on the server (the log has it under the request ID)",
                ),
                (
                    "503",
                    "Timed out, the store is locked by another process for longer than the lock wait (Retry-After), or the store is damaged",
                ),
            ];
            if op.get("parameters").is_some() {
                errors.push(("400", "A bad or unknown query parameter"));
            }
            if path.starts_with("/v1/") {
                errors.push((
                    "401",
                    "No or unknown token (reads too, when the server needs a token for them)",
                ));
                errors.push(("403", "The token lacks the scope, or its provinces"));
            }
            if write {
                errors.push(("413", "The body is over the limit"));
                errors.push((
                    "507",
                    "The disk holding the store is full; nothing was written",
                ));
            }
            if matches!(method.as_str(), "post" | "put" | "patch") {
                errors.push(("415", "Not JSON"));
            }
            let Some(responses) = op["responses"].as_object_mut() else {
                continue;
            };
            for (status, description) in errors {
                responses
                    .entry(status.to_string())
                    .or_insert_with(|| problem(description));
            }
        }
    }
}

fn problem(description: &str) -> Value {
    json!({"description": description, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}})
}

/// The route that serves the document.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new().route("/openapi.json", axum::routing::get(serve))
}

/// `GET /openapi.json`: the document, served from the module that builds it (so that the
/// pages, which the document describes, do not depend on it in turn).
async fn serve() -> axum::response::Response {
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::IntoResponse;
    let mut r = (StatusCode::OK, json()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// The document as pretty JSON with a final newline, as committed.
pub fn json() -> String {
    let mut s = serde_json::to_string_pretty(&document()).unwrap_or_default();
    s.push('\n');
    s
}

/// The component name of a kind's record schema.
pub(crate) fn schema_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Directive => "Directive",
        RecordKind::Conference => "Conference",
        RecordKind::Model => "Model",
        RecordKind::Indicator => "Indicator",
        RecordKind::Observation => "Observation",
    }
}

/// Adds the record schemas from danvan-core (JSON Schema 2020-12, which OpenAPI 3.1 uses), the
/// per-kind page schemas and the write result.
fn add_record_schemas(schemas: &mut Map<String, Value>) {
    let roots: [(&str, &str); 6] = [
        ("directive.schema.json", "Directive"),
        ("conference.schema.json", "Conference"),
        ("model.schema.json", "Model"),
        ("indicator.schema.json", "Indicator"),
        ("observation.schema.json", "Observation"),
        ("dataset.schema.json", "Dataset"),
    ];
    let all = danvan_core::schema::all();
    for (file, name) in roots {
        let Some((_, text)) = all.iter().find(|(f, _)| *f == file) else {
            continue;
        };
        let Ok(mut root) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        rewrite_refs(&mut root);
        if let Some(map) = root.as_object_mut() {
            map.remove("$schema");
            if let Some(Value::Object(defs)) = map.remove("$defs") {
                for (k, v) in defs {
                    schemas.entry(k).or_insert(v);
                }
            }
        }
        schemas.insert(name.to_string(), root);
    }
    for kind in RecordKind::ALL {
        let name = schema_name(kind);
        schemas.insert(
            format!("{name}Page"),
            json!({
                "type": "object",
                "required": ["items", "total", "next", "revision"],
                "properties": {
                    "items": {"type": "array", "items": {
                        "type": "object", "required": ["revision", "record"],
                        "properties": {
                            "revision": {"type": "integer", "minimum": 0, "description": "The revision that last wrote the record"},
                            "record": {"$ref": format!("#/components/schemas/{name}"), "description": "The record (only the chosen fields with `fields=`)"},
                            "matched": {"type": "object", "description": "For text queries: the field that matched, its text and score"}
                        }}},
                    "total": {"type": "integer", "minimum": 0, "description": "How many records match in all"},
                    "next": {"type": ["string", "null"], "description": "The next page's link; null on the last"},
                    "revision": {"type": "integer", "minimum": 0, "description": "The store revision the page was read at"}
                }
            }),
        );
    }
    schemas.insert(
        "WriteResult".into(),
        json!({
            "type": "object",
            "required": ["revision", "changes", "warnings"],
            "properties": {
                "revision": {"type": "integer", "minimum": 0, "description": "The store revision of the write (the record's new ETag)"},
                "record": {"type": "object", "description": "The record as stored (absent for deletes)"},
                "changes": {"type": "array", "items": {"type": "object", "properties": {
                    "kind": {"type": "string"}, "id": {"type": "string"},
                    "action": {"enum": ["created", "updated", "deleted"]},
                    "revision": {"type": ["integer", "null"]}}}},
                "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}}
            }
        }),
    );
}

fn rewrite_refs(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(name) = r.strip_prefix("#/$defs/")
            {
                *r = format!("#/components/schemas/{name}");
            }
            for (_, child) in map.iter_mut() {
                rewrite_refs(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `$ref` resolves inside the document.
    #[test]
    fn references_resolve() {
        let doc = document();
        let mut refs = Vec::new();
        collect_refs(&doc, &mut refs);
        assert!(refs.len() > 20);
        for r in refs {
            let path = r.strip_prefix("#/").expect("local ref");
            let target = path.split('/').fold(&doc, |v, seg| &v[seg]);
            assert!(!target.is_null(), "{r} does not resolve");
        }
    }

    fn collect_refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r.clone());
                }
                map.values().for_each(|c| collect_refs(c, out));
            }
            Value::Array(items) => items.iter().for_each(|c| collect_refs(c, out)),
            _ => {}
        }
    }
}
