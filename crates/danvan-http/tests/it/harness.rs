//! The test server and its client, shared by the integration tests of the API (`danvan-http`)
//! and of the web app (`danvan-web`, which includes this file): the real server on an
//! ephemeral port of 127.0.0.1 over the real JSON store on disk, seeded from `fixtures/demo`,
//! with the routes the including crate mounts beside the API (`crate::mounted`).

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use danvan_http::config::{Scope, TokenEntry, hash_token};
use danvan_http::{Api, Config};
use danvan_store::{ImportOptions, JsonStore, Store};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Tokens every test server knows.
pub(crate) const READER: &str = "reader-token";
pub(crate) const WRITER: &str = "writer-token";
pub(crate) const ADMIN: &str = "admin-token";
/// A write token bound to Thái Nguyên's records.
pub(crate) const THAI_NGUYEN: &str = "thai-nguyen-token";

/// A running server on a fresh demo store.
pub(crate) struct Server {
    pub(crate) base: String,
    pub(crate) store: Arc<JsonStore>,
    client: Client<HttpConnector, Full<Bytes>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    /// The store's directory.
    store_dir: PathBuf,
    /// The temporary directory holding it, removed when the server that made it is dropped.
    _dir: Option<tempfile::TempDir>,
}

/// An answer, for assertions and snapshots.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: hyper::HeaderMap,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Status, the headers that matter and the body (JSON pretty-printed).
    pub(crate) fn snapshot(&self) -> String {
        let mut out = format!("{}\n", self.status);
        for name in [
            "content-type",
            "etag",
            "location",
            "link",
            "www-authenticate",
            "retry-after",
            "allow",
            "content-disposition",
        ] {
            if let Some(v) = self.header(name) {
                out.push_str(&format!("{name}: {v}\n"));
            }
        }
        out.push('\n');
        match serde_json::from_str::<serde_json::Value>(&self.body) {
            Ok(v) if !self.body.is_empty() => {
                out.push_str(&serde_json::to_string_pretty(&v).unwrap());
            }
            _ => out.push_str(&self.body),
        }
        out.push('\n');
        out
    }
}

/// The configuration of the test servers: three tokens, a small body limit.
pub(crate) fn test_config() -> Config {
    let token = |name: &str, secret: &str, scope: Scope| TokenEntry {
        name: name.into(),
        sha256: hash_token(secret),
        scopes: vec![scope],
        provinces: Vec::new(),
    };
    Config {
        bind: "127.0.0.1:0".parse().unwrap(),
        body_limit: 256 * 1024,
        tokens: vec![
            token("reader", READER, Scope::Read),
            token("writer", WRITER, Scope::Write),
            token("admin", ADMIN, Scope::Admin),
            TokenEntry {
                provinces: vec!["thai-nguyen".into()],
                ..token("thai-nguyen-portal", THAI_NGUYEN, Scope::Write)
            },
        ],
        ..Config::default()
    }
}

/// "Today" for every test server: after the 2025 merger.
pub(crate) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()
}

impl Server {
    /// A server on a new store holding `fixtures/demo`.
    pub(crate) async fn start() -> Server {
        Server::with(test_config()).await
    }

    pub(crate) async fn with(config: Config) -> Server {
        Server::with_api(config, |api| api).await
    }

    /// A server on a new store holding `fixtures/demo`, its API as `api` makes it.
    pub(crate) async fn with_api(config: Config, api: impl FnOnce(Api) -> Api) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let store_dir = dir.path().join("store");
        let store = JsonStore::init(&store_dir).unwrap();
        let demo = danvan_store::dataset_dir::load(&root().join("fixtures/demo")).unwrap();
        let report = store.import(demo, ImportOptions::default()).unwrap();
        assert!(!report.has_errors());
        let mut server = Server::serving(Arc::new(store), store_dir, config, api).await;
        server._dir = Some(dir);
        server
    }

    /// A second server on the store of `other` (as another process would open it).
    #[allow(dead_code)] // the web app's tests share sessions across two servers
    pub(crate) async fn beside(other: &Server, config: Config) -> Server {
        let store = JsonStore::open(&other.store_dir).unwrap();
        Server::serving(Arc::new(store), other.store_dir.clone(), config, |api| api).await
    }

    async fn serving(
        store: Arc<JsonStore>,
        store_dir: PathBuf,
        config: Config,
        api: impl FnOnce(Api) -> Api,
    ) -> Server {
        let api = api(Api::new(store.clone(), &config).with_today(today()));
        let app = crate::mounted(api, &config).app();
        let listener = tokio::net::TcpListener::bind(config.bind).await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            danvan_http::serve(listener, app, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        Server {
            base,
            store,
            client: client(),
            stop: Some(stop),
            task: Some(task),
            store_dir,
            _dir: None,
        }
    }

    /// The store's directory, for a second handle (as another process would open it).
    pub(crate) fn store_dir(&self) -> std::path::PathBuf {
        self.store_dir.clone()
    }

    /// Sends a request; `headers` are name/value pairs.
    pub(crate) async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        self.send_bytes(method, path, headers, body.map(|b| b.as_bytes().to_vec()))
            .await
    }

    pub(crate) async fn send_bytes(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Reply {
        request(&self.client, &self.base, method, path, headers, body).await
    }

    /// [`Server::send`] with one more header whose value is raw bytes (not UTF-8, say).
    pub(crate) async fn send_raw_header(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        raw: (&str, hyper::header::HeaderValue),
        body: &str,
    ) -> Reply {
        let body = Some(body.as_bytes().to_vec());
        request_with(
            &self.client,
            &self.base,
            method,
            path,
            headers,
            Some(raw),
            body,
        )
        .await
    }

    pub(crate) async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, &[], None).await
    }

    /// A JSON write with a token.
    pub(crate) async fn write(&self, method: &str, path: &str, token: &str, body: &str) -> Reply {
        let auth = format!("Bearer {token}");
        self.send(
            method,
            path,
            &[
                ("authorization", auth.as_str()),
                ("content-type", "application/json"),
            ],
            Some(body),
        )
        .await
    }

    /// Stops the server gracefully and starts another on its store, as a restart would, its
    /// API as `api` makes it.
    pub(crate) async fn restart(mut self, config: Config, api: impl FnOnce(Api) -> Api) -> Server {
        let dir = self._dir.take();
        let store_dir = self.store_dir.clone();
        self.stop().await;
        let store = JsonStore::open(&store_dir).unwrap();
        let mut server = Server::serving(Arc::new(store), store_dir, config, api).await;
        server._dir = dir;
        server
    }

    /// Stops the server gracefully and waits for it.
    pub(crate) async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            t.await.unwrap();
        }
    }
}

/// Sends one request with `client` to the server at `base`.
pub(crate) async fn request(
    client: &Client<HttpConnector, Full<Bytes>>,
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
) -> Reply {
    request_with(client, base, method, path, headers, None, body).await
}

/// [`request`], with one more header whose value may be any bytes a header can hold.
async fn request_with(
    client: &Client<HttpConnector, Full<Bytes>>,
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    raw: Option<(&str, hyper::header::HeaderValue)>,
    body: Option<Vec<u8>>,
) -> Reply {
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some((k, v)) = raw {
        req = req.header(k, v);
    }
    let req = req
        .body(Full::new(Bytes::from(body.unwrap_or_default())))
        .unwrap();
    let res = client.request(req).await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A new HTTP client.
pub(crate) fn client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new()).build_http()
}

/// `insta::assert_snapshot!` with the reply's snapshot.
#[macro_export]
macro_rules! snap {
    ($name:expr, $reply:expr) => {
        insta::assert_snapshot!($name, $reply.snapshot())
    };
}

/// A real JSON store whose writes first run `before_write` (which may fail them, or wait for
/// the test): how the tests put a full disk or a request in flight under the server.
pub(crate) struct HookedStore {
    pub(crate) inner: JsonStore,
    #[allow(clippy::type_complexity)]
    pub(crate) before_write:
        Box<dyn Fn() -> Result<(), danvan_store::StoreError> + Send + Sync + 'static>,
}

impl danvan_store::Store for HookedStore {
    fn revision(&self) -> Result<u64, danvan_store::StoreError> {
        self.inner.revision()
    }
    fn end_session(&self, id: &str, until: u64) -> Result<(), danvan_store::StoreError> {
        self.inner.end_session(id, until)
    }
    fn session_ended(&self, id: &str, now: u64) -> Result<bool, danvan_store::StoreError> {
        self.inner.session_ended(id, now)
    }
    fn users(&self) -> Result<Vec<danvan_core::user::User>, danvan_store::StoreError> {
        self.inner.users()
    }
    fn put_file(&self, bytes: &[u8]) -> Result<String, danvan_store::StoreError> {
        self.inner.put_file(bytes)
    }
    fn file(&self, sha256: &str) -> Result<Option<Vec<u8>>, danvan_store::StoreError> {
        self.inner.file(sha256)
    }
    fn user(
        &self,
        login: &str,
    ) -> Result<Option<danvan_core::user::User>, danvan_store::StoreError> {
        self.inner.user(login)
    }
    fn put_user(
        &self,
        user: &danvan_core::user::User,
        create: bool,
    ) -> Result<(), danvan_store::StoreError> {
        self.inner.put_user(user, create)
    }
    fn get(
        &self,
        kind: danvan_core::record_kind::RecordKind,
        id: &danvan_core::id::RecordId,
    ) -> Result<
        Option<danvan_store::Stored<danvan_core::dataset::AnyRecord>>,
        danvan_store::StoreError,
    > {
        self.inner.get(kind, id)
    }
    fn apply_by(
        &self,
        ops: Vec<danvan_store::Op>,
        author: &danvan_store::Author,
    ) -> Result<danvan_store::Receipt, danvan_store::StoreError> {
        (self.before_write)()?;
        self.inner.apply_by(ops, author)
    }
    fn changes(
        &self,
        after: &str,
        limit: usize,
    ) -> Result<danvan_store::FeedPage, danvan_store::StoreError> {
        self.inner.changes(after, limit)
    }
    fn history(
        &self,
        kind: danvan_core::record_kind::RecordKind,
        id: &danvan_core::id::RecordId,
    ) -> Result<Vec<danvan_store::HistoryEntry>, danvan_store::StoreError> {
        self.inner.history(kind, id)
    }
    fn query(
        &self,
        q: &danvan_store::Query,
    ) -> Result<danvan_store::Page, danvan_store::StoreError> {
        self.inner.query(q)
    }
    fn referrers(
        &self,
        kind: danvan_core::record_kind::RecordKind,
        id: &danvan_core::id::RecordId,
    ) -> Result<
        Vec<(
            danvan_core::record_kind::RecordKind,
            danvan_core::id::RecordId,
        )>,
        danvan_store::StoreError,
    > {
        self.inner.referrers(kind, id)
    }
    fn export(
        &self,
        q: Option<&danvan_store::Query>,
    ) -> Result<danvan_store::Export, danvan_store::StoreError> {
        self.inner.export(q)
    }
    fn import(
        &self,
        dataset: danvan_core::dataset::Dataset,
        options: danvan_store::ImportOptions,
    ) -> Result<danvan_store::ImportReport, danvan_store::StoreError> {
        (self.before_write)()?;
        self.inner.import(dataset, options)
    }
    fn validate(&self) -> Result<Vec<danvan_core::validate::Problem>, danvan_store::StoreError> {
        self.inner.validate()
    }
}

/// A server over any store, for tests that put a double under it: its base URL, the sender
/// that stops it, and its task.
pub(crate) async fn serve_store(
    store: std::sync::Arc<dyn danvan_store::Store>,
    config: &Config,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let app = crate::mounted(danvan_http::Api::new(store, config), config).router();
    let listener = tokio::net::TcpListener::bind(config.bind).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(danvan_http::serve(listener, app, async {
        let _ = stopped.await;
    }));
    (base, stop, task)
}

/// Posts `records` as an admin import on a task of its own, and returns once the import has
/// reached the store: `arrived` is the handshake a `HookedStore` gate sends (bounded, so that a
/// request that never reaches the store fails the test instead of hanging it).
pub(crate) async fn import_in_flight(
    base: String,
    records: Vec<danvan_core::dataset::AnyRecord>,
    arrived: std::sync::mpsc::Receiver<()>,
) -> tokio::task::JoinHandle<Reply> {
    let body = serde_json::to_vec(&danvan_core::dataset::Dataset::from_records(records)).unwrap();
    let in_flight = tokio::spawn(async move {
        let auth = format!("Bearer {ADMIN}");
        request(
            &client(),
            &base,
            "POST",
            "/v1/import",
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            Some(body),
        )
        .await
    });
    tokio::task::spawn_blocking(move || {
        arrived
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("the import reached the store")
    })
    .await
    .unwrap();
    in_flight
}
