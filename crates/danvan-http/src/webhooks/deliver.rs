//! The delivery tasks: one per webhook, each following the change feed from its webhook's
//! position and POSTing one change at a time, retried until its receiver takes it.

use std::collections::HashMap;
use std::pin::pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use danvan_store::{FeedEntry, FeedPage, Store};
use hmac::{Hmac, KeyInit, Mac};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use sha2::Sha256;

use super::{Attempt, Delivery, Webhooks};

/// How often a webhook that has delivered everything looks for new changes.
const POLL: Duration = Duration::from_millis(250);
/// How many changes a task reads from the feed at once.
const PAGE: usize = 100;

type HttpClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// Keeps one delivery task running for each registered webhook until shutdown.
pub(super) async fn supervise(w: Arc<Webhooks>, store: Arc<dyn Store>) {
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config((*w.tls).clone())
        .https_or_http()
        .enable_http1()
        .build();
    let client: HttpClient = Client::builder(TokioExecutor::new()).build(connector);
    let mut running: HashMap<String, tokio::task::JoinHandle<()>> = HashMap::new();
    loop {
        let mut woken = pin!(w.changed.notified());
        woken.as_mut().enable();
        if w.is_stopping() {
            for (_, task) in running {
                let _ = task.await;
            }
            return;
        }
        running.retain(|_, task| !task.is_finished());
        for hook in w.hooks() {
            running.entry(hook.id.clone()).or_insert_with(|| {
                tokio::spawn(run(
                    Arc::clone(&w),
                    Arc::clone(&store),
                    client.clone(),
                    hook.id,
                ))
            });
        }
        tokio::select! {
            () = woken => {}
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

/// Where the changes after a feed position sit: each change's own position, in turn.
struct Cursor {
    revision: u64,
    index: Option<usize>,
}

impl Cursor {
    fn after(position: &str) -> Cursor {
        match position.split_once('.') {
            Some((r, i)) => Cursor {
                revision: r.parse().unwrap_or(0),
                index: i.parse().ok(),
            },
            None => Cursor {
                revision: position.parse().unwrap_or(0),
                index: None,
            },
        }
    }

    /// The position of the next change, of revision `revision`.
    fn next(&mut self, revision: u64) -> String {
        let index = match self.index {
            Some(i) if revision == self.revision => i + 1,
            _ => 0,
        };
        self.revision = revision;
        self.index = Some(index);
        format!("{revision}.{index}")
    }
}

/// Why a task stops trying a delivery.
enum Interrupted {
    /// Shutdown, or the webhook was deleted.
    Stop,
    /// A replay moved the webhook's position: read the feed again from there.
    Replayed,
}

/// Delivers webhook `id`'s changes until it is deleted or the server stops.
async fn run(w: Arc<Webhooks>, store: Arc<dyn Store>, client: HttpClient, id: String) {
    // The store's revision when the feed last had nothing after the webhook's position: while
    // it stays, there is nothing to read (a cheap check, where reading the feed is not).
    let mut idle_at: Option<(String, u64)> = None;
    loop {
        let Some(hook) = w.hook(&id) else { return };
        if w.is_stopping() {
            return;
        }
        let after = hook.after.clone();
        if let Some((position, revision)) = &idle_at
            && *position == after
        {
            let now = {
                let store = Arc::clone(&store);
                tokio::task::spawn_blocking(move || store.revision()).await
            };
            if matches!(now, Ok(Ok(r)) if r == *revision) {
                if let Err(Interrupted::Stop) = wait(&w, &id, hook.generation, POLL).await {
                    return;
                }
                continue;
            }
        }
        let read = {
            let store = Arc::clone(&store);
            let after = after.clone();
            tokio::task::spawn_blocking(move || store.changes(&after, PAGE)).await
        };
        let page: FeedPage = match read {
            Ok(Ok(page)) => page,
            Ok(Err(e)) => {
                // Pruned past the position, or the store was put back: say so and wait for
                // an administrator's replay.
                let error = format!("the change feed cannot go on from {after}: {e}");
                tracing::warn!(webhook = %id, %error, "webhook stalled");
                let _ = w.update(|s| {
                    if let Some(h) = s.hooks.iter_mut().find(|h| h.id == id) {
                        h.last_error = Some(error);
                    }
                });
                if let Err(Interrupted::Stop) = wait(&w, &id, hook.generation, w.retry_max).await {
                    return;
                }
                continue;
            }
            Err(e) => {
                tracing::error!(webhook = %id, error = %e, "reading the change feed failed");
                return;
            }
        };
        if page.items.is_empty() {
            idle_at = Some((after, page.revision));
            if let Err(Interrupted::Stop) = wait(&w, &id, hook.generation, POLL).await {
                return;
            }
            continue;
        }
        let mut cursor = Cursor::after(&after);
        for change in &page.items {
            let position = cursor.next(change.revision);
            match deliver(&w, &client, &hook, change, &position).await {
                Ok(()) => {}
                Err(Interrupted::Stop) => return,
                Err(Interrupted::Replayed) => break,
            }
        }
    }
}

/// Delivers one change, retrying until the receiver takes it; then moves the webhook past it.
async fn deliver(
    w: &Webhooks,
    client: &HttpClient,
    hook: &super::Hook,
    change: &FeedEntry,
    position: &str,
) -> Result<(), Interrupted> {
    let (mut delivery, body) = delivery_of(hook, change, position);
    let id = delivery.id.clone();
    loop {
        let started = Instant::now();
        let at = chrono::Utc::now();
        let outcome = {
            let mut woken = pin!(w.changed.notified());
            woken.as_mut().enable();
            if w.is_stopping() {
                return Err(Interrupted::Stop);
            }
            tokio::select! {
                r = tokio::time::timeout(w.timeout, post(client, &hook.url, &hook.secret, &id, &body, at.timestamp())) => {
                    r.unwrap_or_else(|_| Err((None, format!("no answer within {:?}", w.timeout))))
                }
                () = woken => {
                    if w.is_stopping() {
                        return Err(Interrupted::Stop);
                    }
                    Err((None, "interrupted: the webhook changed".into()))
                }
            }
        };
        let attempt = Attempt {
            at: at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            status: match &outcome {
                Ok(s) => Some(*s),
                Err((s, _)) => *s,
            },
            error: outcome.as_ref().err().map(|(_, e)| e.clone()),
            ms: started.elapsed().as_millis() as u64,
        };
        delivery.delivered = outcome.is_ok();
        let failures = w
            .update(|s| {
                s.log(&delivery, attempt);
                let h = s
                    .hooks
                    .iter_mut()
                    .find(|h| h.id == hook.id && h.generation == hook.generation)?;
                match &outcome {
                    Ok(_) => {
                        h.after = position.to_string();
                        h.failures = 0;
                        h.last_error = None;
                        h.next_attempt_at = None;
                    }
                    Err((_, e)) => {
                        h.failures += 1;
                        h.last_error = Some(e.clone());
                    }
                }
                Some(h.failures)
            })
            .map_err(|e| {
                tracing::error!(webhook = %hook.id, error = %e, "the webhooks file could not be written");
                Interrupted::Stop
            })?;
        let Some(failures) = failures else {
            // Deleted, or replayed while this attempt was under way.
            return Err(match w.hook(&hook.id) {
                Some(_) => Interrupted::Replayed,
                None => Interrupted::Stop,
            });
        };
        if outcome.is_ok() {
            tracing::debug!(webhook = %hook.id, delivery = %id, "delivered");
            return Ok(());
        }
        let delay = backoff(w.retry, w.retry_max, failures);
        tracing::info!(webhook = %hook.id, delivery = %id, failures, retry_in_ms = delay.as_millis() as u64, "delivery failed; retrying");
        let due = chrono::Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default();
        let _ = w.update(|s| {
            if let Some(h) = s.hooks.iter_mut().find(|h| h.id == hook.id) {
                h.next_attempt_at = Some(due.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            }
        });
        wait(w, &hook.id, hook.generation, delay).await?;
    }
}

/// The delivery of `change` at `position` to `hook`, and the body it POSTs.
fn delivery_of(hook: &super::Hook, change: &FeedEntry, position: &str) -> (Delivery, String) {
    let id = format!("{}:{position}", hook.id);
    let body = serde_json::json!({
        "id": id,
        "webhook": hook.id,
        "position": position,
        "change": change,
    })
    .to_string();
    let delivery = Delivery {
        id,
        webhook: hook.id.clone(),
        position: position.to_string(),
        revision: change.revision,
        kind: change.kind.as_str().to_string(),
        record: change.id.to_string(),
        action: serde_json::to_value(change.action)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        delivered: false,
        attempted: 0,
        attempts: Vec::new(),
    };
    (delivery, body)
}

/// The wait before attempt `failures + 1`: `first`, doubling, at most `max`.
fn backoff(first: Duration, max: Duration, failures: u32) -> Duration {
    let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(20));
    first.saturating_mul(factor).min(max)
}

/// Waits `delay`, or less when the webhook is replayed or deleted, or the server stops.
async fn wait(w: &Webhooks, id: &str, generation: u64, delay: Duration) -> Result<(), Interrupted> {
    let deadline = tokio::time::Instant::now() + delay;
    loop {
        let mut woken = pin!(w.changed.notified());
        woken.as_mut().enable();
        if w.is_stopping() {
            return Err(Interrupted::Stop);
        }
        match w.hook(id) {
            None => return Err(Interrupted::Stop),
            Some(h) if h.generation != generation => return Err(Interrupted::Replayed),
            Some(_) => {}
        }
        tokio::select! {
            () = tokio::time::sleep_until(deadline) => return Ok(()),
            () = woken => {}
        }
    }
}

/// The signature of a delivery: HMAC-SHA256 of `TIMESTAMP.BODY` with the webhook's secret, as
/// `sha256=HEX` (what the `X-Danvan-Signature` header carries).
pub(crate) fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!(
        "sha256={}",
        crate::config::hex(&mac.finalize().into_bytes())
    )
}

/// POSTs one delivery; the receiver's status when it is 2xx, else the status (if any) and why.
async fn post(
    client: &HttpClient,
    url: &str,
    secret: &str,
    id: &str,
    body: &str,
    timestamp: i64,
) -> Result<u16, (Option<u16>, String)> {
    let request = hyper::Request::post(url)
        .header("content-type", "application/json")
        .header("user-agent", concat!("danvan/", env!("CARGO_PKG_VERSION")))
        .header("x-danvan-delivery", id)
        .header("x-danvan-timestamp", timestamp.to_string())
        .header("x-danvan-signature", signature(secret, timestamp, body))
        .body(Full::new(Bytes::from(body.to_string())))
        .map_err(|e| (None, format!("the URL cannot be requested: {e}")))?;
    let response = client
        .request(request)
        .await
        .map_err(|e| (None, format!("no answer: {}", causes(&e))))?;
    let status = response.status().as_u16();
    if response.status().is_success() {
        Ok(status)
    } else {
        Err((Some(status), format!("the receiver answered {status}")))
    }
}

/// An error with every cause under it: the client's own says only "client error (Connect)",
/// its causes why (a refused connection, an unknown certificate issuer).
fn causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = cause.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_follow_the_feeds() {
        let mut c = Cursor::after("17");
        assert_eq!(c.next(18), "18.0");
        assert_eq!(c.next(18), "18.1");
        assert_eq!(c.next(20), "20.0");
        let mut c = Cursor::after("1.99");
        assert_eq!(c.next(1), "1.100");
        assert_eq!(c.next(2), "2.0");
    }

    #[test]
    fn the_wait_doubles_up_to_its_bound() {
        let s = Duration::from_secs;
        assert_eq!(backoff(s(1), s(300), 1), s(1));
        assert_eq!(backoff(s(1), s(300), 2), s(2));
        assert_eq!(backoff(s(1), s(300), 5), s(16));
        assert_eq!(backoff(s(1), s(300), 40), s(300));
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_and_body() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let sig = signature("Jefe", 0, "what do ya want for nothing?");
        // The signed text here is "0.what do ya want …", so check against a known HMAC of it
        // by recomputing with the same primitive on the whole message.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"0.what do ya want for nothing?");
        assert_eq!(
            sig,
            format!(
                "sha256={}",
                crate::config::hex(&mac.finalize().into_bytes())
            )
        );
        let mut rfc = <Hmac<Sha256> as KeyInit>::new_from_slice(b"Jefe").unwrap();
        rfc.update(b"what do ya want for nothing?");
        assert_eq!(
            crate::config::hex(&rfc.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
