//! Webhooks: an administrator registers a URL, and the server POSTs it every committed change,
//! in commit order, one change per delivery, signed with HMAC-SHA256.
//!
//! The registrations, each one's position in the change feed and a log of recent deliveries
//! are kept in one JSON file ([`Config::webhooks_file`](crate::Config::webhooks_file)),
//! rewritten whole and atomically after every attempt, so they survive a restart. A delivery's
//! ID is the webhook's ID and the change's position in the feed (`wh-3f2a…:17.2`: revision 17,
//! its third change): the same on every retry, after a restart and on a replay, so a receiver
//! that keeps the IDs it has handled gets every change exactly once. A webhook's position moves
//! only when its receiver answers 2xx; a failure is retried after a wait that doubles from
//! [`Config::webhook_retry_secs`](crate::Config::webhook_retry_secs) up to
//! [`Config::webhook_retry_max_secs`](crate::Config::webhook_retry_max_secs), and the changes
//! after it wait for it (order is kept). One server delivers a webhooks file: give it to one
//! server of a deployment.

mod deliver;
pub(crate) mod routes;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How many deliveries the log keeps for each webhook (the newest).
const LOG_PER_HOOK: usize = 500;
/// How many attempts the log keeps of one delivery (the first and the newest): a receiver
/// down for days is retried every few minutes, and the file stays small.
const ATTEMPTS_KEPT: usize = 20;

/// A registered webhook, as kept in the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Hook {
    /// `wh-` and 16 hex digits.
    pub(crate) id: String,
    /// Where changes are POSTed (`http://…`).
    pub(crate) url: String,
    /// The HMAC key deliveries are signed with (shown once, at registration).
    pub(crate) secret: String,
    /// What it is for, as the administrator said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
    /// When it was registered (RFC 3339) and by which token.
    pub(crate) created_at: String,
    pub(crate) created_by: String,
    /// The feed position delivered up to: changes after it are delivered next.
    pub(crate) after: String,
    /// Failed attempts at the change after `after` in a row.
    #[serde(default)]
    pub(crate) failures: u32,
    /// The last attempt's failure, while the change after `after` is not delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) last_error: Option<String>,
    /// When the next attempt is due, while one waits (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) next_attempt_at: Option<String>,
    /// Bumped by a replay, so that a delivery under way does not move the position it reset.
    #[serde(skip)]
    pub(crate) generation: u64,
}

/// One attempt at a delivery.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct Attempt {
    /// When it was made (RFC 3339).
    pub(crate) at: String,
    /// The receiver's status, when it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) status: Option<u16>,
    /// Why it failed (the status, a refused connection, a timeout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<String>,
    /// How long it took, in milliseconds.
    pub(crate) ms: u64,
}

/// A delivery: one change to one webhook, with its attempts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct Delivery {
    /// `WEBHOOK:POSITION`: the same on every attempt, after a restart and on a replay.
    pub(crate) id: String,
    /// The webhook.
    pub(crate) webhook: String,
    /// The change's position in the feed (`17.2`: the third change of revision 17).
    pub(crate) position: String,
    /// The change: its revision, kind, record ID and action.
    pub(crate) revision: u64,
    pub(crate) kind: String,
    pub(crate) record: String,
    pub(crate) action: String,
    /// Whether the receiver took it (answered 2xx).
    pub(crate) delivered: bool,
    /// How many attempts were made in all.
    #[serde(default)]
    pub(crate) attempted: u32,
    /// The first attempt and the newest (at most 20 in all), oldest first.
    pub(crate) attempts: Vec<Attempt>,
}

/// What the file holds.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct State {
    /// The file format: 1.
    version: u32,
    hooks: Vec<Hook>,
    log: VecDeque<Delivery>,
}

/// Why the webhooks file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum WebhooksError {
    /// It could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The CA file for receivers' certificates cannot be used.
    #[error("{path}: {message}")]
    Certificates {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// It is not a webhooks file.
    #[error("{path}: not a danvan webhooks file: {source}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Where the JSON is wrong.
        source: serde_json::Error,
    },
}

/// The webhooks of a server: the file, what it holds, and the deliveries under way.
pub struct Webhooks {
    path: PathBuf,
    state: Mutex<State>,
    /// Told of a registration, a deletion or a replay, and of shutdown.
    changed: tokio::sync::Notify,
    stopping: std::sync::atomic::AtomicBool,
    /// The delivery tasks, to wait for at shutdown.
    tasks: Mutex<Vec<tokio::task::JoinHandle<()>>>,
    pub(crate) retry: std::time::Duration,
    pub(crate) retry_max: std::time::Duration,
    pub(crate) timeout: std::time::Duration,
    /// How receivers' certificates are checked: the operating system's roots and, when
    /// configured, the office's own CA.
    pub(crate) tls: Arc<rustls::ClientConfig>,
}

impl std::fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhooks")
            .field("path", &self.path)
            .finish()
    }
}

impl Webhooks {
    /// The webhooks kept in `path` (none yet when it does not exist). A file that exists but
    /// cannot be read is an error: it is never replaced by an empty one.
    pub fn open(path: &Path, config: &crate::Config) -> Result<Webhooks, WebhooksError> {
        let state = match std::fs::read(path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|source| WebhooksError::Unreadable {
                    path: path.to_path_buf(),
                    source,
                })?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => State {
                version: 1,
                ..State::default()
            },
            Err(source) => {
                return Err(WebhooksError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let secs = |s: f64| std::time::Duration::from_secs_f64(s.max(0.001));
        let tls = Arc::new(tls(config.webhook_ca_file.as_deref())?);
        Ok(Webhooks {
            path: path.to_path_buf(),
            state: Mutex::new(state),
            changed: tokio::sync::Notify::new(),
            stopping: std::sync::atomic::AtomicBool::new(false),
            tasks: Mutex::new(Vec::new()),
            retry: secs(config.webhook_retry_secs),
            retry_max: secs(config.webhook_retry_max_secs),
            timeout: secs(config.webhook_timeout_secs),
            tls,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes the state to the file: a new file beside it, synced, renamed over it.
    fn save(&self, state: &State) -> Result<(), WebhooksError> {
        let io = |source| WebhooksError::Io {
            path: self.path.clone(),
            source,
        };
        let bytes = serde_json::to_vec_pretty(state).map_err(|e| io(std::io::Error::other(e)))?;
        let mut partial = self.path.as_os_str().to_os_string();
        partial.push(format!(".partial-{}", std::process::id()));
        let partial = PathBuf::from(partial);
        let written = (|| {
            use std::io::Write as _;
            let mut f = std::fs::File::create(&partial)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                // The file holds the signing secrets.
                f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
            }
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&partial, &self.path)?;
            if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::File::open(dir)?.sync_all()?;
            }
            Ok(())
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        written.map_err(io)
    }

    /// Changes the state and writes it; `f`'s answer is returned once the file holds it.
    pub(crate) fn update<T>(&self, f: impl FnOnce(&mut State) -> T) -> Result<T, WebhooksError> {
        let mut state = self.lock();
        let out = f(&mut state);
        self.save(&state)?;
        Ok(out)
    }

    /// The registered webhooks.
    pub(crate) fn hooks(&self) -> Vec<Hook> {
        self.lock().hooks.clone()
    }

    /// Webhook `id`.
    pub(crate) fn hook(&self, id: &str) -> Option<Hook> {
        self.lock().hooks.iter().find(|h| h.id == id).cloned()
    }

    /// The newest `limit` deliveries of webhook `id`, newest first.
    pub(crate) fn deliveries(&self, id: &str, limit: usize) -> Vec<Delivery> {
        self.lock()
            .log
            .iter()
            .rev()
            .filter(|d| d.webhook == id)
            .take(limit)
            .cloned()
            .collect()
    }

    /// Tells the delivery tasks that the registrations changed.
    pub(crate) fn wake(&self) {
        self.changed.notify_waiters();
    }

    /// Starts delivering (inside a Tokio runtime), from `store`'s change feed.
    pub fn start(self: &Arc<Self>, store: Arc<dyn danvan_store::Store>) {
        if tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let task = tokio::spawn(deliver::supervise(Arc::clone(self), store));
        self.tasks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(task);
    }

    /// Stops delivering: attempts under way are abandoned (they are made again, with the same
    /// IDs, by the next server on the file).
    pub fn stop(&self) {
        self.stopping
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.changed.notify_waiters();
    }

    pub(crate) fn is_stopping(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Waits until the delivery tasks have stopped (after [`stop`](Self::stop)).
    pub async fn stopped(&self) {
        let tasks: Vec<_> = std::mem::take(
            &mut *self
                .tasks
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for t in tasks {
            let _ = t.await;
        }
    }
}

/// The TLS client configuration of deliveries: the operating system's root certificates and
/// those of `ca_file` (PEM), when given.
fn tls(ca_file: Option<&Path>) -> Result<rustls::ClientConfig, WebhooksError> {
    let mut roots = rustls::RootCertStore::empty();
    // Certificates the system store holds but rustls cannot parse are skipped, as browsers do.
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if let Some(path) = ca_file {
        let bad = |message: String| WebhooksError::Certificates {
            path: path.to_path_buf(),
            message,
        };
        use rustls_pki_types::pem::PemObject as _;
        let certs: Vec<_> = rustls_pki_types::CertificateDer::pem_file_iter(path)
            .map_err(|e| bad(e.to_string()))?
            .collect::<Result<_, _>>()
            .map_err(|e| bad(e.to_string()))?;
        if certs.is_empty() {
            return Err(bad("no PEM certificate in it".into()));
        }
        for c in certs {
            roots.add(c).map_err(|e| bad(e.to_string()))?;
        }
    }
    // ring (deprecated in rustls only for lacking post-quantum key exchange): it builds from
    // crates alone, where aws-lc needs a C toolchain setup the image may lack.
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    rustls::ClientConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .map(|b| b.with_root_certificates(roots).with_no_client_auth())
        .map_err(|e| WebhooksError::Certificates {
            path: ca_file.map(Path::to_path_buf).unwrap_or_default(),
            message: e.to_string(),
        })
}

impl State {
    /// Adds `delivery`'s attempt to the log (a new entry, or the one with its ID), keeping the
    /// newest [`LOG_PER_HOOK`] of each webhook.
    fn log(&mut self, delivery: &Delivery, attempt: Attempt) {
        match self.log.iter_mut().rev().find(|d| d.id == delivery.id) {
            Some(d) => {
                d.attempts.push(attempt);
                d.attempted += 1;
                d.delivered = delivery.delivered;
                if d.attempts.len() > ATTEMPTS_KEPT {
                    d.attempts.remove(1);
                }
            }
            None => {
                let mut d = delivery.clone();
                d.attempts = vec![attempt];
                d.attempted = 1;
                self.log.push_back(d);
            }
        }
        let of_hook = self
            .log
            .iter()
            .filter(|d| d.webhook == delivery.webhook)
            .count();
        if of_hook > LOG_PER_HOOK
            && let Some(i) = self.log.iter().position(|d| d.webhook == delivery.webhook)
        {
            self.log.remove(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(n: u16) -> Attempt {
        Attempt {
            at: format!("attempt {n}"),
            status: Some(500),
            error: None,
            ms: 1,
        }
    }

    /// A delivery retried for days keeps its first attempt and the newest, and counts them all;
    /// a webhook keeps its newest deliveries.
    #[test]
    fn the_log_stays_bounded() {
        let mut state = State::default();
        let delivery = Delivery {
            id: "wh-1:2.0".into(),
            webhook: "wh-1".into(),
            position: "2.0".into(),
            revision: 2,
            kind: "model".into(),
            record: "m".into(),
            action: "updated".into(),
            delivered: false,
            attempted: 0,
            attempts: Vec::new(),
        };
        for n in 0..30 {
            state.log(&delivery, attempt(n));
        }
        let d = &state.log[0];
        assert_eq!(d.attempted, 30);
        assert_eq!(d.attempts.len(), ATTEMPTS_KEPT);
        assert_eq!(d.attempts[0].at, "attempt 0");
        assert_eq!(d.attempts[ATTEMPTS_KEPT - 1].at, "attempt 29");
        for n in 0..(LOG_PER_HOOK + 10) {
            let other = Delivery {
                id: format!("wh-1:{}.0", n + 3),
                ..delivery.clone()
            };
            state.log(&other, attempt(0));
        }
        assert_eq!(state.log.len(), LOG_PER_HOOK);
        assert_eq!(state.log[0].id, "wh-1:13.0");
    }
}
