//! `/v1/webhooks`: register, list, inspect, replay and delete webhooks (the admin scope).

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Delivery, Hook, Webhooks};
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Params, media_type, to_json};
use crate::params::limit_param;
use crate::problem::{Kind, Problem};

pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/v1/webhooks", get(list).post(register))
        .route("/v1/webhooks/{id}", get(show).delete(remove))
        .route("/v1/webhooks/{id}/deliveries", get(deliveries))
        .route("/v1/webhooks/{id}/replay", post(replay))
}

/// A webhook as the API shows it (its secret only once, when registered).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WebhookBody {
    /// Its ID.
    id: String,
    /// Where changes are POSTed.
    url: String,
    /// What it is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    /// When it was registered, and by which token.
    created_at: String,
    created_by: String,
    /// The feed position delivered up to: the next delivery is the change after it.
    after: String,
    /// Failed attempts in a row at the next change (0 when all is well).
    failures: u32,
    /// Why the last attempt failed, while the next change is not delivered.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_error: Option<String>,
    /// When the next attempt is due, while one waits.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_attempt_at: Option<String>,
    /// The HMAC-SHA256 key of the `X-Danvan-Signature` header: in the answer to the
    /// registration only. Keep it as secret as a token.
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
}

impl WebhookBody {
    fn of(h: Hook, with_secret: bool) -> WebhookBody {
        WebhookBody {
            secret: with_secret.then_some(h.secret),
            id: h.id,
            url: h.url,
            description: h.description,
            created_at: h.created_at,
            created_by: h.created_by,
            after: h.after,
            failures: h.failures,
            last_error: h.last_error,
            next_attempt_at: h.next_attempt_at,
        }
    }
}

/// What a registration says.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewWebhook {
    /// Where to POST each change: an `https://` (or `http://`) URL.
    url: String,
    /// What it is for.
    #[serde(default)]
    description: Option<String>,
    /// Deliver the changes after this revision or feed position (default: the store's
    /// revision now, so only changes made from now on).
    #[serde(default)]
    from: Option<String>,
}

/// A replay: deliver again from a position.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Replay {
    /// The revision or feed position to deliver the changes after (`0`: every change the feed
    /// holds). The deliveries keep their IDs.
    from: String,
}

/// The list of webhooks.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WebhookList {
    items: Vec<WebhookBody>,
}

/// A webhook's newest deliveries, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeliveryList {
    items: Vec<Delivery>,
}

/// `/v1/webhooks/{id}/deliveries` parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct DeliveryParams {
    /// How many, 1–1000 (default 50); the log keeps each webhook's newest 500.
    #[param(value_type = Option<u16>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
}

fn webhooks(s: &AppState) -> Result<&std::sync::Arc<Webhooks>, Problem> {
    s.webhooks.as_ref().ok_or_else(|| {
        Problem::new(
            Kind::NotFound,
            "this server keeps no webhooks: start it with a webhooks file (`webhooks_file` in \
             the configuration, or `danvan serve --webhooks FILE`)",
        )
    })
}

fn no_such(id: &str) -> Problem {
    Problem::new(Kind::NotFound, format!("no webhook {id}"))
}

fn saved(e: super::WebhooksError) -> Problem {
    Problem::internal(e)
}

/// Reads a JSON body, or says where it is wrong.
fn body<T: serde::de::DeserializeOwned>(headers: &HeaderMap, bytes: &Bytes) -> Result<T, Problem> {
    if media_type(headers).as_deref() != Some("application/json") {
        return Err(Problem::new(
            Kind::UnsupportedMediaType,
            "send the body as application/json",
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        Problem::invalid_field(
            if field == "." { "body" } else { &field },
            "unreadable",
            e.inner().to_string(),
        )
    })
}

/// Checks a feed position against the store: a revision or `revision.index`, not beyond it.
async fn position(s: &AppState, field: &str, from: &str) -> Result<String, Problem> {
    let from = from.trim().to_string();
    let ok = match from.split_once('.') {
        Some((r, i)) => r.parse::<u64>().is_ok() && i.parse::<usize>().is_ok(),
        None => from.parse::<u64>().is_ok(),
    };
    if !ok {
        return Err(Problem::invalid_field(
            field,
            "bad-position",
            format!("{from:?} is not a revision or a feed position (such as 41 or 41.7)"),
        ));
    }
    // The feed itself says whether it can go on from there (pruned, beyond the store).
    let after = from.clone();
    s.blocking(move |store| store.changes(&after, 1))
        .await
        .map_err(|p| match p.kind() {
            Some(Kind::FeedPruned | Kind::FeedAhead) => {
                Problem::invalid_field(field, "bad-position", p.detail.clone())
            }
            _ => p,
        })?;
    Ok(from)
}

/// Registers a webhook: every change committed after `from` (default: now) is POSTed to
/// `url`, in order, one per delivery, signed. The answer holds the signing secret, shown
/// this once.
#[utoipa::path(post, path = "/v1/webhooks", tag = "webhooks", request_body = NewWebhook,
    responses((status = 201, description = "Registered; `secret` is shown only now", body = WebhookBody),
              (status = 404, description = "The server keeps no webhooks", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A bad URL or position", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"])))]
pub(crate) async fn register(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, Problem> {
    let w = webhooks(&s)?;
    let new: NewWebhook = body(&headers, &bytes)?;
    let url = new.url.trim().to_string();
    match url.parse::<hyper::Uri>() {
        Ok(u) if matches!(u.scheme_str(), Some("http" | "https")) && u.host().is_some() => {}
        _ => {
            return Err(Problem::invalid_field(
                "url",
                "bad-url",
                format!("{url:?} is not an http:// or https:// URL with a host"),
            ));
        }
    }
    let from = match &new.from {
        Some(f) => position(&s, "from", f).await?,
        None => s.blocking(|store| store.revision()).await?.to_string(),
    };
    let hook = Hook {
        id: format!("wh-{}", crate::config::random_hex(8)),
        url,
        secret: format!("whsec_{}", crate::config::random_hex(24)),
        description: new.description.filter(|d| !d.trim().is_empty()),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        created_by: caller.name.clone(),
        after: from,
        failures: 0,
        last_error: None,
        next_attempt_at: None,
        generation: 0,
    };
    w.update(|state| state.hooks.push(hook.clone()))
        .map_err(saved)?;
    w.wake();
    tracing::info!(webhook = %hook.id, url = %hook.url, by = %caller.name, "webhook registered");
    Ok(to_json(StatusCode::CREATED, &WebhookBody::of(hook, true)))
}

/// The webhooks, each with where its deliveries stand.
#[utoipa::path(get, path = "/v1/webhooks", tag = "webhooks",
    responses((status = 200, description = "The webhooks", body = WebhookList)),
    security(("bearer" = ["admin"])))]
pub(crate) async fn list(State(s): State<AppState>) -> Result<Response, Problem> {
    let items = webhooks(&s)?
        .hooks()
        .into_iter()
        .map(|h| WebhookBody::of(h, false))
        .collect();
    Ok(to_json(StatusCode::OK, &WebhookList { items }))
}

/// One webhook and where its deliveries stand.
#[utoipa::path(get, path = "/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "The webhook's ID")),
    responses((status = 200, description = "The webhook", body = WebhookBody),
              (status = 404, description = "No such webhook", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let hook = webhooks(&s)?.hook(&id).ok_or_else(|| no_such(&id))?;
    Ok(to_json(StatusCode::OK, &WebhookBody::of(hook, false)))
}

/// Deletes a webhook: nothing more is delivered to it (its log is kept until it ages out).
#[utoipa::path(delete, path = "/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "The webhook's ID")),
    responses((status = 204, description = "Deleted"),
              (status = 404, description = "No such webhook", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"])))]
pub(crate) async fn remove(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let w = webhooks(&s)?;
    let found = w
        .update(|state| {
            let before = state.hooks.len();
            state.hooks.retain(|h| h.id != id);
            state.hooks.len() != before
        })
        .map_err(saved)?;
    if !found {
        return Err(no_such(&id));
    }
    w.wake();
    tracing::info!(webhook = %id, by = %caller.name, "webhook deleted");
    Ok(axum::response::IntoResponse::into_response(
        StatusCode::NO_CONTENT,
    ))
}

/// The webhook's newest deliveries, newest first, each with every attempt: when, the
/// receiver's status or why it failed, how long it took.
#[utoipa::path(get, path = "/v1/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = String, Path, description = "The webhook's ID"), DeliveryParams),
    responses((status = 200, description = "The deliveries", body = DeliveryList),
              (status = 404, description = "No such webhook", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"])))]
pub(crate) async fn deliveries(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Params(p): Params<DeliveryParams>,
) -> Result<Response, Problem> {
    let w = webhooks(&s)?;
    let limit = limit_param(p.limit.as_deref(), 50)?.min(super::LOG_PER_HOOK);
    w.hook(&id).ok_or_else(|| no_such(&id))?;
    Ok(to_json(
        StatusCode::OK,
        &DeliveryList {
            items: w.deliveries(&id, limit),
        },
    ))
}

/// Delivers again every change after `from` (each with the ID it had), then goes on as
/// before: for a receiver that lost what it had taken. A delivery under way stops.
#[utoipa::path(post, path = "/v1/webhooks/{id}/replay", tag = "webhooks", request_body = Replay,
    params(("id" = String, Path, description = "The webhook's ID")),
    responses((status = 200, description = "Replaying from `after`", body = WebhookBody),
              (status = 404, description = "No such webhook", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A bad position, or one the feed no longer holds", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"])))]
pub(crate) async fn replay(
    State(s): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, Problem> {
    let w = webhooks(&s)?;
    let replay: Replay = body(&headers, &bytes)?;
    w.hook(&id).ok_or_else(|| no_such(&id))?;
    let from = position(&s, "from", &replay.from).await?;
    let hook = w
        .update(|state| {
            let h = state.hooks.iter_mut().find(|h| h.id == id)?;
            h.after = from;
            h.generation += 1;
            h.failures = 0;
            h.last_error = None;
            h.next_attempt_at = None;
            Some(h.clone())
        })
        .map_err(saved)?
        .ok_or_else(|| no_such(&id))?;
    w.wake();
    tracing::info!(webhook = %id, from = %hook.after, by = %caller.name, "webhook replayed");
    Ok(to_json(StatusCode::OK, &WebhookBody::of(hook, false)))
}
