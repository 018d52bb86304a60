//! The OpenAPI 3.1 document, generated from the code: the annotated routes and parameter types
//! (utoipa), the record collections from the same kind table the router is built from, and the
//! record schemas from danvan-core's JSON Schemas. Committed as `docs/openapi.json`; a test
//! fails when the two differ (`cargo xtask schema` rewrites it).

use danvan_core::validate::RecordKind;
use serde_json::{Map, Value, json};
use utoipa::openapi::path::ParameterIn;
use utoipa::{IntoParams, OpenApi};

use crate::params::ListParams;
use crate::problem::{FieldError, Problem};
use crate::records::{CatalogueParams, DeleteParams};
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
scope, bulk import `admin`; reads are open unless the server is configured otherwise.",
        license(name = "MIT OR Apache-2.0"),
    ),
    paths(
        routes::provinces,
        routes::province,
        routes::search,
        routes::due,
        routes::import,
        routes::export,
        routes::report,
        pages::healthz,
        pages::readyz,
    ),
    components(schemas(
        Problem,
        FieldError,
        routes::ProvinceBody,
        routes::DueRow,
        routes::RecordPage,
        routes::ImportBody,
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
        (name = "reports", description = "Periodic summaries"),
        (name = "operations", description = "Health checks"),
    )
)]
struct ApiDoc;

/// The document as JSON.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    doc["openapi"] = json!("3.1.0");
    let list_params = serde_json::to_value(ListParams::into_params(|| Some(ParameterIn::Query)))
        .unwrap_or_default();
    let delete_params =
        serde_json::to_value(DeleteParams::into_params(|| Some(ParameterIn::Query)))
            .unwrap_or_default();
    let catalogue_params =
        serde_json::to_value(CatalogueParams::into_params(|| Some(ParameterIn::Query)))
            .unwrap_or_default();
    if let Some(paths) = doc["paths"].as_object_mut() {
        for kind in RecordKind::ALL {
            add_record_paths(paths, kind, &list_params, &delete_params);
        }
        paths.insert(
            "/v1/indicators/catalogue".into(),
            json!({"get": {
                "tags": ["indicators"],
                "summary": "The built-in indicator definitions, which observations may use without defining them",
                "operationId": "indicator_catalogue",
                "parameters": catalogue_params,
                "responses": {"200": {"description": "The catalogue", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Indicator"}}}}}}
            }}),
        );
        let mut observations = list_params.clone();
        if let Value::Array(ps) = &mut observations {
            ps.retain(|p| p["name"] != "indicator" && p["name"] != "types");
            ps.insert(0, id_param("indicator"));
        }
        paths.insert(
            "/v1/indicators/{id}/observations".into(),
            json!({"get": {
                "tags": ["indicators"],
                "summary": "The observations of an indicator (stored or built in)",
                "operationId": "list_indicator_observations",
                "parameters": observations,
                "responses": page_responses(RecordKind::Observation)
            }}),
        );
    }
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        add_record_schemas(schemas);
    }
    doc["components"]["securitySchemes"] = json!({
        "bearer": {"type": "http", "scheme": "bearer", "description": "A token from the server's configuration (`danvan token new`), with the scope read, write or admin"}
    });
    doc
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

fn schema_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Directive => "Directive",
        RecordKind::Conference => "Conference",
        RecordKind::Model => "Model",
        RecordKind::Indicator => "Indicator",
        RecordKind::Observation => "Observation",
    }
}

fn problem(description: &str) -> Value {
    json!({"description": description, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}})
}

fn id_param(what: &str) -> Value {
    json!({"name": "id", "in": "path", "required": true, "description": format!("The {what}'s ID"), "schema": {"type": "string"}})
}

fn page_responses(kind: RecordKind) -> Value {
    json!({
        "200": {"description": "A page", "headers": etag_header("The store revision, weak"),
                "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{}Page", schema_name(kind))}}}},
        "304": {"description": "Not modified since the ETag given"},
        "400": problem("A bad parameter or cursor")
    })
}

fn etag_header(description: &str) -> Value {
    json!({"ETag": {"description": description, "schema": {"type": "string"}}})
}

fn add_record_paths(
    paths: &mut Map<String, Value>,
    kind: RecordKind,
    list_params: &Value,
    delete_params: &Value,
) {
    let name = schema_name(kind);
    let plural = kind.plural();
    let tag = [plural];
    let mut params = list_params.clone();
    if let Value::Array(ps) = &mut params {
        ps.retain(|p| p["name"] != "types");
    }
    let body = json!({"required": true, "content": {
        "application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}});
    let written = |status: &str, what: &str| {
        json!({status: {"description": what, "headers": etag_header("The new revision"),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WriteResult"}}}}})
    };
    let security = json!([{"bearer": ["write"]}]);
    let if_match = json!({"name": "If-Match", "in": "header", "required": false,
        "description": "Write only if the record is at this ETag; 412 otherwise", "schema": {"type": "string"}});
    let delete_parameters: Vec<Value> = std::iter::once(if_match.clone())
        .chain(delete_params.as_array().cloned().unwrap_or_default())
        .collect();
    let merge = |mut a: Value, b: Value| {
        if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
            a.extend(b);
        }
        a
    };
    paths.insert(
        format!("/v1/{plural}"),
        json!({
            "get": {"tags": tag, "summary": format!("List {plural}, filtered, sorted and paged"),
                    "operationId": format!("list_{plural}"), "parameters": params,
                    "responses": page_responses(kind)},
            "post": {"tags": tag, "summary": format!("Create a {kind}"),
                     "operationId": format!("create_{kind}"), "requestBody": body, "security": security,
                     "responses": merge(written("201", "Created; Location names it"), json!({
                        "400": problem("Malformed JSON"), "401": problem("No or unknown token"),
                        "403": problem("The token lacks the write scope"),
                        "409": problem("A record with this ID exists"),
                        "413": problem("The body is over the limit"), "415": problem("Not JSON"),
                        "422": problem("Not a valid record: every problem is listed")}))}
        }),
    );
    paths.insert(
        format!("/v1/{plural}/{{id}}"),
        json!({
            "parameters": [id_param(kind.as_str())],
            "get": {"tags": tag, "summary": format!("Read a {kind}"), "operationId": format!("get_{kind}"),
                    "parameters": [{"name": "If-None-Match", "in": "header", "required": false, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {"description": "The record", "headers": etag_header("The record's revision"),
                                "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}},
                        "304": {"description": "Not modified since the ETag given"},
                        "404": problem("No such record")}},
            "put": {"tags": tag, "summary": format!("Create or replace a {kind}"), "operationId": format!("put_{kind}"),
                    "parameters": [if_match, {"name": "If-None-Match", "in": "header", "required": false,
                        "description": "`*`: create only", "schema": {"type": "string"}}],
                    "requestBody": body, "security": security,
                    "responses": merge(merge(written("200", "Replaced"), written("201", "Created")), json!({
                        "400": problem("Malformed JSON"), "401": problem("No or unknown token"),
                        "403": problem("The token lacks the write scope"),
                        "412": problem("The record is not at the If-Match ETag"),
                        "422": problem("Not a valid record: every problem is listed")}))},
            "patch": {"tags": tag, "summary": format!("Change fields of a {kind} (JSON merge patch, RFC 7396)"),
                      "operationId": format!("patch_{kind}"), "parameters": [if_match],
                      "requestBody": {"required": true, "content": {"application/merge-patch+json": {"schema": {"type": "object"}},
                                                                    "application/json": {"schema": {"type": "object"}}}},
                      "security": security,
                      "responses": merge(written("200", "Changed"), json!({
                        "404": problem("No such record"), "412": problem("The record is not at the If-Match ETag"),
                        "422": problem("The result is not a valid record")}))},
            "delete": {"tags": tag, "summary": format!("Delete a {kind}"), "operationId": format!("delete_{kind}"),
                       "parameters": delete_parameters,
                       "security": security,
                       "responses": merge(written("200", "Deleted; cascaded changes are listed"), json!({
                        "404": problem("No such record"), "409": problem("Other records refer to it (use cascade=true)"),
                        "412": problem("The record is not at the If-Match ETag")}))}
        }),
    );
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
