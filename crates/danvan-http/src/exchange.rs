//! `/v1/exchange/dhis2` and `/v1/exchange/adx`: the figures as DHIS2 dataValueSets JSON or
//! ADX XML, out (GET) and in (POST, all or nothing), through the server's mapping file; the
//! work is [`danvan_exchange::store`]'s, as for the CLI.

use axum::Extension;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use danvan_core::record_kind::RecordKind;
use danvan_exchange::Format;
use danvan_exchange::store::ExchangeError;
use danvan_store::ImportOptions;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Params, body_bytes, media_type};
use crate::params::{ListParams, PeriodMatchName, ProvinceMapName, WindowNameName};
use crate::problem::{FieldError, Kind, Problem};

pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/v1/exchange/{format}", get(export).post(import))
}

/// `/v1/exchange/{format}` GET parameters: which observations.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExchangeParams {
    /// As for lists.
    province: Option<String>,
    /// As for lists.
    #[param(inline, value_type = Option<ProvinceMapName>)]
    map: Option<String>,
    /// As for lists: `2024` takes the year's figures, its halves', quarters' and months'.
    period: Option<String>,
    /// As for lists.
    #[param(inline, value_type = Option<PeriodMatchName>)]
    matching: Option<String>,
    /// As for lists.
    #[param(inline, value_type = Option<WindowNameName>)]
    window: Option<String>,
    /// As for lists.
    indicator: Option<String>,
}

/// `/v1/exchange/{format}` POST parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExchangeImportParams {
    /// Check everything and report, but write nothing (needs only the `write` scope).
    dry_run: Option<bool>,
}

fn format_param(format: &str) -> Result<Format, Problem> {
    match format {
        "dhis2" => Ok(Format::Dhis2),
        "adx" => Ok(Format::Adx),
        other => Err(Problem::new(
            Kind::NotFound,
            format!("no exchange format {other:?}: dhis2 (dataValueSets JSON) or adx"),
        )),
    }
}

/// The server's mapping, read against the store's indicators.
async fn mapping(s: &AppState) -> Result<danvan_exchange::Mapping, Problem> {
    let text = s.exchange_mapping.clone().ok_or_else(|| {
        Problem::new(
            Kind::NotFound,
            "this server has no DHIS2/ADX mapping: start it with one (`exchange_mapping` in the configuration, or `danvan serve --exchange-mapping FILE`)",
        )
    })?;
    s.blocking(
        move |store| match danvan_exchange::store::mapping(store, &text) {
            Ok(m) => Ok(Ok(m)),
            Err(ExchangeError::Store(e)) => Err(e),
            Err(e) => Ok(Err(e)),
        },
    )
    .await?
    .map_err(|e| Problem::internal(format!("the server's exchange mapping cannot be used: {e}")))
}

/// An exchange's problems as a 422, each with where it is.
fn refused(e: ExchangeError, what: &str) -> Problem {
    match e {
        ExchangeError::Store(e) => Problem::from(e),
        ExchangeError::Mapping(problems) => Problem::internal(format!(
            "the server's exchange mapping cannot be used: {}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )),
        ExchangeError::Problems(problems) => {
            let errors: Vec<FieldError> = problems
                .into_iter()
                .map(|p| FieldError {
                    record: None,
                    at: Some(p.at),
                    field: String::new(),
                    code: p.code.to_string(),
                    message: p.message,
                    severity: "error".into(),
                })
                .collect();
            Problem::new(
                Kind::ValidationFailed,
                format!(
                    "{what}: {} problem(s), each in `errors` with where it is; nothing was written",
                    errors.len()
                ),
            )
            .with_errors(errors)
        }
    }
}

/// The figures the filters select, as DHIS2 `dataValueSets` JSON (`dhis2`) or ADX XML
/// (`adx`), through the server's mapping: each indicator a data element (a ratio two: its
/// numerator and its denominator), each province or unit an organisation unit, periods as
/// DHIS2 and ADX write them. An observation that cannot be exchanged (unmapped, a period with
/// no DHIS2 form such as a phase, a ratio without its numerator or denominator) is named in a
/// 422, never left out silently: narrow the filters to leave it out.
#[utoipa::path(get, path = "/v1/exchange/{format}", tag = "exchange", operation_id = "exchange_export",
    params(("format" = String, Path, description = "`dhis2` or `adx`"), ExchangeParams),
    responses((status = 200, description = "The figures", content((String = "application/json"), (String = "application/adx+xml"))),
              (status = 404, description = "No such format, or the server has no mapping", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Observations that cannot be exchanged, each named", body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn export(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(format): Path<String>,
    Params(p): Params<ExchangeParams>,
) -> Result<Response, Problem> {
    let format = format_param(&format)?;
    let list = ListParams {
        province: p.province,
        map: p.map,
        period: p.period,
        matching: p.matching,
        window: p.window,
        indicator: p.indicator,
        ..ListParams::default()
    };
    let query = list.query(Some(RecordKind::Observation), &caller.reads)?;
    let mapping = mapping(&s).await?;
    let exported = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let text = s
        .blocking(move |store| {
            Ok(danvan_exchange::store::export(
                store,
                Some(&query),
                &mapping,
                format,
                &exported,
            ))
        })
        .await?
        .map_err(|e| refused(e, "the figures cannot all be exchanged"))?;
    let mut r = (StatusCode::OK, text).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(match format {
            Format::Dhis2 => "application/json",
            Format::Adx => "application/adx+xml",
        }),
    );
    Ok(r)
}

/// Imports figures from DHIS2 `dataValueSets` JSON or ADX XML, all or nothing: every problem
/// of the payload (where it is: `dataValues[12].period`, `line 40`) and of the figures is
/// reported in one 422, and nothing is written. Each value is matched to the store's
/// observation of the same indicator, place and period (its figures replaced, the rest kept),
/// or makes a new one; a ratio needs its numerator and its denominator together.
#[utoipa::path(post, path = "/v1/exchange/{format}", tag = "exchange", operation_id = "exchange_import",
    params(("format" = String, Path, description = "`dhis2` or `adx`"), ExchangeImportParams,
        ("X-Change-Reason" = Option<String>, Header, description = "Why, recorded with the write: UTF-8, or RFC 8187 `UTF-8''…`")),
    request_body(description = "DHIS2 dataValueSets JSON, or ADX XML", content((String = "application/json"), (String = "application/adx+xml"))),
    responses((status = 200, description = "Imported (or checked, for a dry run)", body = crate::routes::ImportBody),
              (status = 404, description = "No such format, or the server has no mapping", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Refused: every problem, each where it is", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"])))]
pub(crate) async fn import(
    State(s): State<AppState>,
    Path(format): Path<String>,
    Params(p): Params<ExchangeImportParams>,
    req: Request,
) -> Result<Response, Problem> {
    let format = format_param(&format)?;
    let author = req
        .extensions()
        .get::<danvan_store::Author>()
        .cloned()
        .unwrap_or_default();
    let media = media_type(req.headers()).unwrap_or_default();
    let expected = match format {
        Format::Dhis2 => matches!(media.as_str(), "application/json"),
        Format::Adx => matches!(
            media.as_str(),
            "application/adx+xml" | "application/xml" | "text/xml"
        ),
    };
    if !expected {
        return Err(Problem::new(
            Kind::UnsupportedMediaType,
            match format {
                Format::Dhis2 => "send DHIS2 dataValueSets as application/json",
                Format::Adx => "send ADX as application/adx+xml",
            },
        ));
    }
    let bytes = body_bytes(req, &()).await?;
    let text = String::from_utf8(bytes.to_vec())
        .map_err(|_| Problem::invalid_field("body", "format", "the body is not UTF-8"))?;
    let mapping = mapping(&s).await?;
    let token = author.actor.clone();
    let options = ImportOptions {
        dry_run: p.dry_run.unwrap_or(false),
        author,
    };
    let state = s.clone();
    let report = s
        .blocking(move |store| {
            Ok(danvan_exchange::store::import(
                store, &text, format, &mapping, options,
            ))
        })
        .await?;
    let report = match report {
        Ok(r) => r,
        Err(ExchangeError::Store(e)) => return state.noted::<Response>(Err(e)),
        Err(e) => return Err(refused(e, "the import was refused")),
    };
    crate::routes::import_answer(&report, &token)
}
