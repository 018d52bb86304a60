//! The handlers of `/v1/{kind}` and `/v1/{kind}/{id}`, one set per record kind, each annotated
//! for the OpenAPI document: the router mounts exactly the handlers the document describes, so
//! a route cannot be added, moved or given a parameter without the document following.
//!
//! The handlers only name their kind and call the shared implementation in
//! [`records`](crate::records).

use axum::Router;
use axum::extract::{Extension, OriginalUri, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use danvan_core::record_kind::RecordKind;
use danvan_store::Author;
use utoipa::OpenApi;

use crate::AppState;
use crate::auth::Caller;
use crate::extract::{IdPath, JsonBody, Params};
use crate::params::ListParams;
use crate::problem::Problem;
use crate::records::{self, CataloguePage, CatalogueParams, DeleteParams, HistoryPage};

/// Declares the module `$module` with the six handlers of one kind, its router and its part of
/// the OpenAPI document. Paths, tags and schema references are literals (the attribute macro
/// needs them so); `kinds_are_mounted_as_documented` checks them against the kind.
macro_rules! record_routes {
    (
        $module:ident, $kind:expr,
        collection = $collection:tt, item = $item:tt, history = $history:tt, tag = $tag:tt,
        schema = $schema:tt, page = $page:tt,
        one = $one:tt, many = $many:tt
    ) => {
        pub(crate) mod $module {
            use super::*;

            /// The kind these handlers serve.
            pub(crate) const KIND: RecordKind = $kind;

            #[utoipa::path(get, path = $collection, tag = $tag,
                operation_id = concat!("list_", $many),
                summary = concat!("List ", $many, ", filtered, sorted and paged"),
                params(ListParams),
                responses(
                    (status = 200, description = "A page", body = ref($page),
                        headers(("ETag" = String, description = "The store revision, weak"),
                                ("Link" = String, description = "The next page, rel=\"next\""))),
                    (status = 304, description = "Not modified since the ETag given"),
                    (status = 400, description = "A bad parameter or cursor", body = Problem,
                        content_type = "application/problem+json")))]
            pub(crate) async fn list(
                State(s): State<AppState>,
                Extension(caller): Extension<Caller>,
                Params(p): Params<ListParams>,
                OriginalUri(uri): OriginalUri,
                headers: HeaderMap,
            ) -> Result<Response, Problem> {
                records::list(&s, Some(KIND), &p, &uri, &headers, &caller).await
            }

            #[utoipa::path(post, path = $collection, tag = $tag,
                operation_id = concat!("create_", $one),
                summary = concat!("Create a ", $one),
                params(("X-Change-Reason" = Option<String>, Header, description = "Why, recorded with the write in the history and the change feed: UTF-8, or percent-encoded UTF-8 as RFC 8187 writes it (`UTF-8''Theo%20B%C3%A1o%20c%C3%A1o`); anything else is 400")),
                request_body(content = ref($schema), content_type = "application/json"),
                security(("bearer" = ["write"])),
                responses(
                    (status = 201, description = "Created; Location names it",
                        body = ref("#/components/schemas/WriteResult"),
                        headers(("ETag" = String, description = "The new revision"),
                                ("Location" = String, description = "The record's URL"))),
                    (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
                    (status = 401, description = "No or unknown token", body = Problem, content_type = "application/problem+json"),
                    (status = 403, description = "The token lacks the write scope, or the record (as sent or as stored), a record a cascade would change, or a record it would newly refer to is of a province the token is not bound to", body = Problem, content_type = "application/problem+json"),
                    (status = 409, description = "`already-exists`: a record with this ID exists (`current_revision` is its revision)", body = Problem, content_type = "application/problem+json"),
                    (status = 413, description = "The body is over the limit", body = Problem, content_type = "application/problem+json"),
                    (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
                    (status = 422, description = "Not a valid record: every problem is listed", body = Problem, content_type = "application/problem+json")))]
            pub(crate) async fn create(
                State(s): State<AppState>,
                Extension(author): Extension<Author>,
                Extension(caller): Extension<Caller>,
                JsonBody(body): JsonBody,
            ) -> Result<Response, Problem> {
                records::create(&s, KIND, body, author, caller).await
            }

            #[utoipa::path(get, path = $item, tag = $tag,
                operation_id = concat!("get_", $one),
                summary = concat!("Read a ", $one),
                params(("id" = String, Path, description = concat!("The ", $one, "'s ID")),
                       ("If-None-Match" = Option<String>, Header, description = "Answer 304 if the record is still at this ETag")),
                responses(
                    (status = 200, description = "The record", body = ref($schema),
                        headers(("ETag" = String, description = "The record's revision"))),
                    (status = 304, description = "Not modified since the ETag given"),
                    (status = 403, description = "Another province's record, where the server binds a province's token to its provinces' records", body = Problem, content_type = "application/problem+json"),
                    (status = 404, description = "No such record", body = Problem, content_type = "application/problem+json")))]
            pub(crate) async fn read(
                State(s): State<AppState>,
                Extension(caller): Extension<Caller>,
                IdPath(id): IdPath,
                headers: HeaderMap,
            ) -> Result<Response, Problem> {
                records::read(&s, KIND, &id, &headers, &caller).await
            }

            #[utoipa::path(put, path = $item, tag = $tag,
                operation_id = concat!("put_", $one),
                summary = concat!("Create or replace a ", $one),
                params(("id" = String, Path, description = concat!("The ", $one, "'s ID")),
                       ("If-Match" = Option<String>, Header, description = "Write only if the record is at this ETag; 412 otherwise"),
                       ("If-None-Match" = Option<String>, Header, description = "`*`: create only; 412 if the record exists"),
                       ("X-Change-Reason" = Option<String>, Header, description = "Why, recorded with the write in the history and the change feed: UTF-8, or percent-encoded UTF-8 as RFC 8187 writes it (`UTF-8''Theo%20B%C3%A1o%20c%C3%A1o`); anything else is 400")),
                request_body(content = ref($schema), content_type = "application/json"),
                security(("bearer" = ["write"])),
                responses(
                    (status = 200, description = "Replaced", body = ref("#/components/schemas/WriteResult"),
                        headers(("ETag" = String, description = "The new revision"))),
                    (status = 201, description = "Created", body = ref("#/components/schemas/WriteResult"),
                        headers(("ETag" = String, description = "The new revision"))),
                    (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
                    (status = 401, description = "No or unknown token", body = Problem, content_type = "application/problem+json"),
                    (status = 403, description = "The token lacks the write scope, or the record (as sent or as stored), a record a cascade would change, or a record it would newly refer to is of a province the token is not bound to", body = Problem, content_type = "application/problem+json"),
                    (status = 412, description = "`precondition-failed`: the record is not at the If-Match ETag, or exists where If-None-Match: * said create only (`current_revision` is where it is)", body = Problem, content_type = "application/problem+json"),
                    (status = 422, description = "Not a valid record: every problem is listed", body = Problem, content_type = "application/problem+json")))]
            pub(crate) async fn replace(
                State(s): State<AppState>,
                IdPath(id): IdPath,
                Extension(author): Extension<Author>,
                Extension(caller): Extension<Caller>,
                headers: HeaderMap,
                JsonBody(body): JsonBody,
            ) -> Result<Response, Problem> {
                records::replace(&s, KIND, id, &headers, body, author, caller).await
            }

            #[utoipa::path(patch, path = $item, tag = $tag,
                operation_id = concat!("patch_", $one),
                summary = concat!("Change fields of a ", $one, " (JSON merge patch, RFC 7396)"),
                params(("id" = String, Path, description = concat!("The ", $one, "'s ID")),
                       ("If-Match" = Option<String>, Header, description = "Write only if the record is at this ETag; 412 otherwise"),
                       ("X-Change-Reason" = Option<String>, Header, description = "Why, recorded with the write in the history and the change feed: UTF-8, or percent-encoded UTF-8 as RFC 8187 writes it (`UTF-8''Theo%20B%C3%A1o%20c%C3%A1o`); anything else is 400")),
                request_body(content = Object, content_type = "application/merge-patch+json"),
                security(("bearer" = ["write"])),
                responses(
                    (status = 200, description = "Changed", body = ref("#/components/schemas/WriteResult"),
                        headers(("ETag" = String, description = "The new revision"))),
                    (status = 401, description = "No or unknown token", body = Problem, content_type = "application/problem+json"),
                    (status = 403, description = "The token lacks the write scope, or the record (as sent or as stored), a record a cascade would change, or a record it would newly refer to is of a province the token is not bound to", body = Problem, content_type = "application/problem+json"),
                    (status = 404, description = "No such record", body = Problem, content_type = "application/problem+json"),
                    (status = 409, description = "`changed-since-read`: without If-Match, the record kept changing while the patch was applied; retry", body = Problem, content_type = "application/problem+json"),
                    (status = 412, description = "`precondition-failed`: the record is not at the If-Match ETag (`current_revision` is where it is)", body = Problem, content_type = "application/problem+json"),
                    (status = 422, description = "The result is not a valid record", body = Problem, content_type = "application/problem+json")))]
            pub(crate) async fn patch(
                State(s): State<AppState>,
                IdPath(id): IdPath,
                Extension(author): Extension<Author>,
                Extension(caller): Extension<Caller>,
                headers: HeaderMap,
                JsonBody(body): JsonBody,
            ) -> Result<Response, Problem> {
                records::patch(&s, KIND, id, &headers, body, author, caller).await
            }

            #[utoipa::path(delete, path = $item, tag = $tag,
                operation_id = concat!("delete_", $one),
                summary = concat!("Delete a ", $one),
                params(("id" = String, Path, description = concat!("The ", $one, "'s ID")),
                       ("If-Match" = Option<String>, Header, description = "Delete only if the record is at this ETag; 412 otherwise"),
                       ("X-Change-Reason" = Option<String>, Header, description = "Why, recorded with the write in the history and the change feed: UTF-8, or percent-encoded UTF-8 as RFC 8187 writes it (`UTF-8''Theo%20B%C3%A1o%20c%C3%A1o`); anything else is 400"),
                       DeleteParams),
                security(("bearer" = ["write"])),
                responses(
                    (status = 200, description = "Deleted; cascaded changes are listed",
                        body = ref("#/components/schemas/WriteResult")),
                    (status = 401, description = "No or unknown token", body = Problem, content_type = "application/problem+json"),
                    (status = 403, description = "The token lacks the write scope, or the record (as sent or as stored), a record a cascade would change, or a record it would newly refer to is of a province the token is not bound to", body = Problem, content_type = "application/problem+json"),
                    (status = 404, description = "No such record", body = Problem, content_type = "application/problem+json"),
                    (status = 409, description = "`still-referenced`: other records refer to it (`referenced_by` lists them; use cascade=true)", body = Problem, content_type = "application/problem+json"),
                    (status = 412, description = "`precondition-failed`: the record is not at the If-Match ETag (`current_revision` is where it is)", body = Problem, content_type = "application/problem+json")))]
            pub(crate) async fn delete(
                State(s): State<AppState>,
                IdPath(id): IdPath,
                Extension(author): Extension<Author>,
                Extension(caller): Extension<Caller>,
                Params(p): Params<DeleteParams>,
                headers: HeaderMap,
            ) -> Result<Response, Problem> {
                records::delete(
                    &s,
                    KIND,
                    id,
                    &headers,
                    p.cascade.unwrap_or(false),
                    author,
                    &caller,
                )
                .await
            }

            #[utoipa::path(get, path = $history, tag = $tag,
                operation_id = concat!("history_", $one),
                summary = concat!("Every revision of a ", $one, ": who, when, why, and each field old → new"),
                params(("id" = String, Path, description = concat!("The ", $one, "'s ID"))),
                responses(
                    (status = 200, description = "The revisions, oldest first", body = HistoryPage),
                    (status = 403, description = "Another province's record, where the server binds a province's token to its provinces' records", body = Problem, content_type = "application/problem+json"),
                    (status = 404, description = "No such record, now or in the history kept", body = Problem, content_type = "application/problem+json")))]
            pub(crate) async fn history(
                State(s): State<AppState>,
                Extension(caller): Extension<Caller>,
                IdPath(id): IdPath,
            ) -> Result<Response, Problem> {
                records::history(&s, KIND, id, &caller).await
            }

            /// The paths of this kind, as mounted by [`router`].
            #[derive(OpenApi)]
            #[openapi(paths(list, create, read, replace, patch, delete, history))]
            pub(crate) struct Doc;

            /// The routes of this kind.
            pub(crate) fn router() -> Router<AppState> {
                Router::new()
                    .route($collection, get(list).post(create))
                    .route($item, get(read).put(replace).patch(patch).delete(delete))
                    .route($history, get(history))
            }
        }
    };
}

record_routes!(
    directives,
    RecordKind::Directive,
    collection = "/v1/directives",
    item = "/v1/directives/{id}",
    history = "/v1/directives/{id}/history",
    tag = "directives",
    schema = "#/components/schemas/Directive",
    page = "#/components/schemas/DirectivePage",
    one = "directive",
    many = "directives"
);
record_routes!(
    conferences,
    RecordKind::Conference,
    collection = "/v1/conferences",
    item = "/v1/conferences/{id}",
    history = "/v1/conferences/{id}/history",
    tag = "conferences",
    schema = "#/components/schemas/Conference",
    page = "#/components/schemas/ConferencePage",
    one = "conference",
    many = "conferences"
);
record_routes!(
    models,
    RecordKind::Model,
    collection = "/v1/models",
    item = "/v1/models/{id}",
    history = "/v1/models/{id}/history",
    tag = "models",
    schema = "#/components/schemas/Model",
    page = "#/components/schemas/ModelPage",
    one = "model",
    many = "models"
);
record_routes!(
    indicators,
    RecordKind::Indicator,
    collection = "/v1/indicators",
    item = "/v1/indicators/{id}",
    history = "/v1/indicators/{id}/history",
    tag = "indicators",
    schema = "#/components/schemas/Indicator",
    page = "#/components/schemas/IndicatorPage",
    one = "indicator",
    many = "indicators"
);
record_routes!(
    observations,
    RecordKind::Observation,
    collection = "/v1/observations",
    item = "/v1/observations/{id}",
    history = "/v1/observations/{id}/history",
    tag = "observations",
    schema = "#/components/schemas/Observation",
    page = "#/components/schemas/ObservationPage",
    one = "observation",
    many = "observations"
);

record_routes!(
    units,
    RecordKind::Unit,
    collection = "/v1/units",
    item = "/v1/units/{id}",
    history = "/v1/units/{id}/history",
    tag = "units",
    schema = "#/components/schemas/Unit",
    page = "#/components/schemas/UnitPage",
    one = "unit",
    many = "units"
);

record_routes!(
    awards,
    RecordKind::Award,
    collection = "/v1/awards",
    item = "/v1/awards/{id}",
    history = "/v1/awards/{id}/history",
    tag = "awards",
    schema = "#/components/schemas/Award",
    page = "#/components/schemas/AwardPage",
    one = "award",
    many = "awards"
);

record_routes!(
    forms,
    RecordKind::Form,
    collection = "/v1/forms",
    item = "/v1/forms/{id}",
    history = "/v1/forms/{id}/history",
    tag = "forms",
    schema = "#/components/schemas/Form",
    page = "#/components/schemas/FormPage",
    one = "form",
    many = "forms"
);

record_routes!(
    submissions,
    RecordKind::Submission,
    collection = "/v1/submissions",
    item = "/v1/submissions/{id}",
    history = "/v1/submissions/{id}/history",
    tag = "submissions",
    schema = "#/components/schemas/Submission",
    page = "#/components/schemas/SubmissionPage",
    one = "submission",
    many = "submissions"
);

record_routes!(
    targets,
    RecordKind::Target,
    collection = "/v1/targets",
    item = "/v1/targets/{id}",
    history = "/v1/targets/{id}/history",
    tag = "targets",
    schema = "#/components/schemas/Target",
    page = "#/components/schemas/TargetPage",
    one = "target",
    many = "targets"
);

/// `GET /v1/indicators/catalogue`: the built-in indicator definitions, which every store has
/// and observations may refer to without defining them.
#[utoipa::path(get, path = "/v1/indicators/catalogue", tag = "indicators",
    operation_id = "indicator_catalogue",
    summary = "The built-in indicator definitions, which observations may use without defining them",
    params(CatalogueParams),
    responses((status = 200, description = "The catalogue", body = CataloguePage)))]
pub(crate) async fn catalogue(Params(p): Params<CatalogueParams>) -> Response {
    records::catalogue(p)
}

/// `GET /v1/indicators/{id}/observations`: an indicator's observations, as a list.
#[utoipa::path(get, path = "/v1/indicators/{id}/observations", tag = "indicators",
    operation_id = "list_indicator_observations",
    summary = "The observations of an indicator (stored or built in)",
    params(("id" = String, Path, description = "The indicator's ID"), ListParams),
    responses(
        (status = 200, description = "A page", body = ref("#/components/schemas/ObservationPage"),
            headers(("ETag" = String, description = "The store revision, weak"))),
        (status = 304, description = "Not modified since the ETag given"),
        (status = 400, description = "A bad parameter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such indicator", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn indicator_observations(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    IdPath(id): IdPath,
    Params(p): Params<ListParams>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    records::indicator_observations(&s, id, p, &uri, &headers, &caller).await
}

/// The indicator routes beyond the collection's own.
#[derive(OpenApi)]
#[openapi(paths(catalogue, indicator_observations))]
struct IndicatorExtras;

/// Every record route, as documented.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .merge(directives::router())
        .merge(conferences::router())
        .merge(models::router())
        .merge(indicators::router())
        .merge(observations::router())
        .merge(units::router())
        .merge(awards::router())
        .merge(forms::router())
        .merge(submissions::router())
        .merge(targets::router())
        .route("/v1/indicators/catalogue", get(catalogue))
        .route(
            "/v1/indicators/{id}/observations",
            get(indicator_observations),
        )
}

/// The record routes' part of the OpenAPI document.
///
/// The list routes share [`ListParams`] with search and export, less the parameters they refuse
/// with a 400: `types` (a collection has one type) and, under an indicator, `indicator` (the
/// path names it). The test `refused_parameters_are_not_documented` sends each one.
pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = directives::Doc::openapi();
    doc.merge(conferences::Doc::openapi());
    doc.merge(models::Doc::openapi());
    doc.merge(indicators::Doc::openapi());
    doc.merge(observations::Doc::openapi());
    doc.merge(units::Doc::openapi());
    doc.merge(awards::Doc::openapi());
    doc.merge(forms::Doc::openapi());
    doc.merge(submissions::Doc::openapi());
    doc.merge(targets::Doc::openapi());
    doc.merge(IndicatorExtras::openapi());
    for (path, item) in doc.paths.paths.iter_mut() {
        let Some(get) = item.get.as_mut() else {
            continue;
        };
        let refused: &[&str] = if path.ends_with("/observations") && path.contains("{id}") {
            &["types", "indicator"]
        } else {
            &["types"]
        };
        if let Some(params) = get.parameters.as_mut() {
            params.retain(|p| !refused.contains(&p.name.as_str()));
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The literals each kind's module was declared with agree with the kind.
    #[test]
    fn kinds_are_mounted_as_documented() {
        let kinds = [
            directives::KIND,
            conferences::KIND,
            models::KIND,
            indicators::KIND,
            observations::KIND,
            units::KIND,
            awards::KIND,
            forms::KIND,
            submissions::KIND,
            targets::KIND,
        ];
        let doc = serde_json::to_value(openapi()).unwrap();
        for kind in RecordKind::ALL {
            assert!(kinds.contains(&kind), "{kind} has no routes");
            let plural = kind.plural();
            let collection = &doc["paths"][format!("/v1/{plural}")];
            assert_eq!(
                collection["get"]["operationId"],
                format!("list_{plural}"),
                "{kind}"
            );
            assert_eq!(collection["get"]["tags"][0], plural);
            let item = &doc["paths"][format!("/v1/{plural}/{{id}}")];
            assert_eq!(item["get"]["operationId"], format!("get_{kind}"));
            let name = crate::openapi::schema_name(kind);
            assert_eq!(
                item["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
                format!("#/components/schemas/{name}")
            );
            assert_eq!(
                collection["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
                format!("#/components/schemas/{name}Page")
            );
        }
    }
}
