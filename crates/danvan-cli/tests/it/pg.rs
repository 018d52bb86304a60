//! `danvan` on PostgreSQL, on a real server (a throw-away database per test; see
//! `danvan_store::pg::scratch`): two `danvan serve` processes on one database, copies between
//! the backends, and errors that name the database without its password.

use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use danvan_store::pg::scratch::ScratchDb;

use crate::serve::{http, increment_over_http, serve_at, terminate};
use crate::{danvan, stdout_json};

/// `text` with the database URL (which holds a test password and a random name) replaced.
fn redact(text: &str, db: &ScratchDb) -> String {
    let shown = danvan_store::Place::parse(db.url()).shown();
    text.replace(&shown, "[DB]")
}

fn ok(out: String) -> String {
    assert!(out.starts_with("exit: 0"), "{out}");
    out
}

/// Every page of the change feed from one server, as the bodies it sent.
fn whole_feed(addr: &str) -> Vec<serde_json::Value> {
    let mut path = "/v1/changes?since=0&limit=1000".to_string();
    let mut items = Vec::new();
    loop {
        let (status, _, body) = http(addr, "GET", &path, &[], "");
        assert_eq!(status, 200, "{body}");
        let page: serde_json::Value = serde_json::from_str(&body).unwrap();
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(next) => path = next.to_string(),
            None => return items,
        }
    }
}

/// Two API servers on one database, as behind a load balancer: 2 × 2,000 increments of one
/// figure, each a read and a write guarded by the ETag it read, lose none; both servers then
/// give the same change feed, gap-free.
#[test]
fn two_servers_on_one_database_lose_no_update() {
    const EACH: u64 = 2_000;
    let db = ScratchDb::new("two_servers");
    let tmp = tempfile::tempdir().unwrap();
    ok(danvan(tmp.path(), &["--store", db.url(), "init", "--demo"]));
    let out = ok(danvan(
        tmp.path(),
        &[
            "token", "new", "--name", "t", "--scope", "write", "--config", "c.toml",
        ],
    ));
    let token = out.lines().nth(2).unwrap().to_string();
    let a = serve_at(tmp.path(), db.url(), &["--config", "c.toml"]);
    let b = serve_at(tmp.path(), db.url(), &["--config", "c.toml"]);
    assert!(
        a.welcome.contains("revision 1"),
        "the welcome names the database: {}",
        a.welcome
    );
    let path = "/v1/observations/bk-2024-dialogues";
    let value = |addr: &str| {
        let (_, _, body) = http(addr, "GET", path, &[], "");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["value"].as_u64().unwrap()
    };
    let start = value(&a.addr);
    let threads: Vec<_> = [a.addr.clone(), b.addr.clone()]
        .into_iter()
        .map(|addr| {
            let token = token.clone();
            std::thread::spawn(move || increment_over_http(&addr, &token, path, EACH))
        })
        .collect();
    let conflicts: u32 = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(
        (value(&a.addr), value(&b.addr)),
        (start + 2 * EACH, start + 2 * EACH),
        "every increment counted on both servers ({conflicts} conflicts retried)"
    );
    let (feed_a, feed_b) = (whole_feed(&a.addr), whole_feed(&b.addr));
    assert_eq!(feed_a.len(), feed_b.len());
    assert!(feed_a == feed_b, "the two servers' change feeds differ");
    let revisions: Vec<u64> = feed_a
        .iter()
        .map(|e| e["revision"].as_u64().unwrap())
        .collect();
    let mut distinct = revisions.clone();
    distinct.dedup();
    assert_eq!(distinct, (1..=1 + 2 * EACH).collect::<Vec<_>>());
    for s in [a, b] {
        let (code, _, log) = terminate(s);
        assert_eq!(code, 0, "{log}");
    }
}

/// A JSON store copied into PostgreSQL and back exports the same bytes; a copy into a store
/// that holds records is refused and writes nothing.
#[test]
fn json_to_postgres_to_json_copies_are_byte_identical() {
    let db = ScratchDb::new("copy");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(danvan(dir, &["--store", "s", "init", "--demo"]));
    let there = ok(danvan(dir, &["store", "copy", "s", db.url()]));
    insta::assert_snapshot!("copy_into_postgres", redact(&there, &db));
    let back = ok(danvan(dir, &["--json", "store", "copy", db.url(), "back"]));
    let report = stdout_json(&back);
    let export = |store: &str| {
        let out = ok(danvan(
            dir,
            &[
                "--store", store, "export", "--format", "jsonl", "--out", "x.jsonl",
            ],
        ));
        drop(out);
        std::fs::read(dir.join("x.jsonl")).unwrap()
    };
    let (first, last) = (export("s"), export("back"));
    assert!(first == last, "the exports differ after the round trip");
    let via_db = export(db.url());
    assert!(first == via_db);
    assert_eq!(report["records"], serde_json::json!(count_lines(&first)));
    let again = danvan(dir, &["store", "copy", "s", db.url()]);
    assert!(
        again.starts_with("exit: 1") && again.contains("already holds"),
        "{again}"
    );
    let revision = stdout_json(&ok(danvan(
        dir,
        &["--store", db.url(), "--json", "changes", "--limit", "1"],
    )));
    assert_eq!(revision["revision"], 1, "the refused copy wrote nothing");
    users_and_originals_go_with_the_records(dir);
}

/// A store with a user and a report's signed original, copied to a database and back: both
/// arrive.
fn users_and_originals_go_with_the_records(dir: &std::path::Path) {
    let db = ScratchDb::new("copy_users");
    let (code, _, err) = crate::users::with_stdin(
        dir,
        &[
            "user",
            "add",
            "tn.quantri",
            "--name",
            "Nguyễn Văn An",
            "--role",
            "admin",
            "--province",
            "thai-nguyen",
            "--password-stdin",
        ],
        "mật khẩu quản trị 2025\n",
    );
    assert_eq!(code, 0, "{err}");
    for args in [
        &[
            "form",
            "add",
            "--id",
            "tn-6-thang-huyen",
            "--name",
            "Báo cáo 6 tháng",
            "--province",
            "Thái Nguyên",
            "--period-kind",
            "6 tháng",
            "--level",
            "huyện",
            "--indicator",
            "dialogues_held",
            "--due-days-after-end",
            "-15",
        ][..],
        &[
            "submission",
            "begin",
            "--form",
            "tn-6-thang-huyen",
            "--unit",
            "tn-dinh-hoa",
            "--period",
            "2025S1",
        ][..],
    ] {
        let mut all = vec!["--store", "s"];
        all.extend_from_slice(args);
        ok(danvan(dir, &all));
    }
    let pdf = b"%PDF-1.7\n(ban ky)\n%%EOF\n";
    std::fs::write(dir.join("ky.pdf"), pdf).unwrap();
    let sub = "tn-tn-dinh-hoa-2025s1-tn-6-thang-huyen";
    ok(danvan(
        dir,
        &["--store", "s", "submission", "attach", sub, "ky.pdf"],
    ));
    ok(danvan(dir, &["store", "copy", "s", db.url()]));
    ok(danvan(dir, &["store", "copy", db.url(), "again"]));
    for store in [db.url(), "again"] {
        let users = ok(danvan(dir, &["--store", store, "--json", "user", "list"]));
        let names: Vec<String> = stdout_json(&users)
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                format!(
                    "{} {}",
                    u["login"].as_str().unwrap(),
                    u["name"].as_str().unwrap()
                )
            })
            .collect();
        assert!(
            names.contains(&"tn.quantri Nguyễn Văn An".to_string()),
            "{users}"
        );
        ok(danvan(
            dir,
            &[
                "--store",
                store,
                "submission",
                "original",
                sub,
                "--out",
                "out.pdf",
            ],
        ));
        assert_eq!(std::fs::read(dir.join("out.pdf")).unwrap(), pdf, "{store}");
    }
}

fn count_lines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
}

/// Every command reads and writes a database as it does a directory; errors name the
/// database, never its password.
#[test]
fn commands_work_on_a_database_and_errors_hide_the_password() {
    let db = ScratchDb::new("commands");
    let tmp = tempfile::tempdir().unwrap();
    let dir: &Path = tmp.path();
    ok(danvan(dir, &["--store", db.url(), "init", "--demo"]));
    let found = ok(danvan(
        dir,
        &["--store", db.url(), "search", "dân vận khéo"],
    ));
    assert!(found.contains("Dân vận khéo"), "{found}");
    ok(danvan(
        dir,
        &[
            "--store",
            db.url(),
            "model",
            "add",
            "--id",
            "tn-2026-cho-phien",
            "--name",
            "Chợ phiên không dùng tiền mặt",
            "--province",
            "thai-nguyen",
            "--unit",
            "Hội Liên hiệp Phụ nữ xã Phú Đình",
            "--field",
            "kinh tế",
            "--year",
            "2026",
        ],
    ));
    let validated = ok(danvan(dir, &["--store", db.url(), "validate"]));
    assert!(validated.contains("revision 2"), "{validated}");
    let history = ok(danvan(
        dir,
        &["--store", db.url(), "model", "history", "tn-2026-cho-phien"],
    ));
    assert!(history.contains("tester"), "{history}");
    // A row edited behind danvan's back: `validate` says which and exits 4.
    let mut sql = postgres::Client::connect(db.url(), postgres::NoTls).unwrap();
    sql.batch_execute(
        "UPDATE danvan_records SET record = jsonb_set(record, '{name}', '\"Chợ phiên sửa tay\"') \
         WHERE id = 'tn-2026-cho-phien'",
    )
    .unwrap();
    let damaged = danvan(dir, &["--store", db.url(), "validate"]);
    assert!(damaged.starts_with("exit: 4"), "{damaged}");
    assert!(
        damaged.contains("model tn-2026-cho-phien differs from what revision 2 wrote"),
        "{damaged}"
    );
    assert!(damaged.contains("outside danvan"), "{damaged}");
    let down = danvan(
        dir,
        &[
            "--store",
            "postgres://danvan:Mat-khau-2026@127.0.0.1:9/danvan",
            "validate",
        ],
    );
    insta::assert_snapshot!("database_down", down);
    assert!(!down.contains("Mat-khau-2026"));
}

/// A TCP relay to the test server that can be cut, as a network or database outage is.
struct Relay {
    port: u16,
    down: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn to(target: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let down = Arc::new(AtomicBool::new(false));
        let open = Arc::new(Mutex::new(Vec::new()));
        let (d, o) = (down.clone(), open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if d.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused
                }
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                let mut held = o.lock().unwrap();
                held.push(client.try_clone().unwrap());
                held.push(server.try_clone().unwrap());
                pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                pipe(server, client);
            }
        });
        Relay { port, down, open }
    }

    fn cut(&self) {
        self.down.store(true, Ordering::SeqCst);
        for c in self.open.lock().unwrap().drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from, &mut to);
        let _ = to.shutdown(Shutdown::Write);
    });
}

/// `/readyz` follows the database: 503 with the reason while it cannot be reached (reads and
/// writes answer 503 `store-unavailable` with Retry-After), 200 again once it is back, with
/// no restart; neither the answers nor the log hold the password.
#[test]
fn readiness_follows_the_database() {
    let db = ScratchDb::new("readyz");
    let tmp = tempfile::tempdir().unwrap();
    ok(danvan(tmp.path(), &["--store", db.url(), "init", "--demo"]));
    let host = std::env::var("PGHOST").unwrap();
    let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
    let relay = Relay::to(format!("{host}:{port}"));
    let url = db.url().replace(
        &format!("@{host}:{port}/"),
        &format!("@127.0.0.1:{}/", relay.port),
    );
    assert_ne!(url, db.url());
    let s = serve_at(tmp.path(), &url, &[]);
    let (status, _, _) = http(&s.addr, "GET", "/readyz", &[], "");
    assert_eq!(status, 200);
    relay.cut();
    let (status, _, body) = http(&s.addr, "GET", "/readyz", &[], "");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("database"), "{body}");
    let (status, head, body) = http(&s.addr, "GET", "/v1/models?limit=1", &[], "");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("store-unavailable"), "{body}");
    assert!(head.to_lowercase().contains("retry-after: 1"), "{head}");
    relay.restore();
    let (status, _, body) = http(&s.addr, "GET", "/readyz", &[], "");
    assert_eq!(status, 200, "{body}");
    let (status, _, _) = http(&s.addr, "GET", "/v1/models?limit=1", &[], "");
    assert_eq!(status, 200);
    let (code, _, log) = terminate(s);
    assert_eq!(code, 0, "{log}");
    let password = std::env::var("PGPASSWORD").unwrap_or_default();
    assert!(password.is_empty() || !log.contains(&password), "{log}");
    assert!(log.contains("database unavailable"), "{log}");
}
