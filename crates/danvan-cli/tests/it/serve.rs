//! `danvan serve` as a user runs it: a real process on 127.0.0.1, seeded on first run, stopped
//! by SIGTERM; and the CLI writing the same store at the same time without a lost update.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::danvan;

/// A running `danvan serve` and what it printed on start.
pub(crate) struct Serving {
    pub(crate) child: Child,
    pub(crate) addr: String,
    pub(crate) welcome: String,
    pub(crate) stdout: BufReader<std::process::ChildStdout>,
    /// Reads the log as it is written: a pipe nobody reads fills up and stalls the server.
    log: std::thread::JoinHandle<String>,
}

pub(crate) fn serve(dir: &Path, extra: &[&str]) -> Serving {
    serve_coloured(dir, extra, false)
}

/// [`serve`], with `NO_COLOR` unset when `colour` (the log then depends on the terminal alone).
pub(crate) fn serve_coloured(dir: &Path, extra: &[&str], colour: bool) -> Serving {
    serve_store(dir, "s", extra, colour)
}

/// [`serve`] on the store `store` (a directory or a database URL).
pub(crate) fn serve_at(dir: &Path, store: &str, extra: &[&str]) -> Serving {
    serve_store(dir, store, extra, false)
}

fn serve_store(dir: &Path, store: &str, extra: &[&str], colour: bool) -> Serving {
    let mut command = Command::new(env!("CARGO_BIN_EXE_danvan"));
    // Written against the English messages (the Vietnamese ones have their own tests).
    command.env("DANVAN_LANG", "en");
    if colour {
        command.env_remove("NO_COLOR");
    } else {
        command.env("NO_COLOR", "1");
    }
    let mut child = command
        .args(["--store", store, "serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .current_dir(dir)
        .env("DANVAN_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut welcome = String::new();
    let mut addr = String::new();
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "serve exited: {welcome}"
        );
        if let Some(rest) = line.split("listening on http://").nth(1) {
            addr = rest.split('/').next().unwrap().to_string();
        }
        welcome.push_str(&line);
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    let welcome = welcome.replace(&addr, "[ADDR]");
    let mut stderr = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).unwrap();
        text
    });
    Serving {
        child,
        addr,
        welcome,
        stdout,
        log,
    }
}

/// One HTTP/1.1 request on its own connection: status and body.
pub(crate) fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    c.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    c.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

pub(crate) fn terminate(mut s: Serving) -> (i32, String, String) {
    let pid = s.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = s.child.wait().unwrap();
    let mut rest = String::new();
    s.stdout.read_to_string(&mut rest).unwrap();
    let err = s.log.join().unwrap();
    (status.code().unwrap_or(-1), rest, err)
}

#[test]
fn first_run_seeds_the_demo_store_and_sigterm_stops_it_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let s = serve(tmp.path(), &[]);
    insta::assert_snapshot!("serve_welcome", s.welcome);
    let (status, _, body) = http(&s.addr, "GET", "/readyz", &[], "");
    assert_eq!(
        (status, body.as_str()),
        (200, r#"{"status":"ok","revision":1}"#)
    );
    let (status, _, body) = http(&s.addr, "GET", "/", &[], "");
    assert_eq!(status, 200);
    assert!(body.contains("/docs"));
    let (status, _, _) = http(
        &s.addr,
        "GET",
        "/v1/conferences?province=thai-nguyen&period=2024",
        &[],
        "",
    );
    assert_eq!(status, 200);
    let (code, rest, log) = terminate(s);
    assert_eq!(code, 0, "{log}");
    assert!(rest.contains("Stopped"), "{rest}");
    assert!(
        log.contains("status=200"),
        "one log line per request: {log}"
    );
    assert!(log.contains("shutting down"), "{log}");

    // The second run finds the store and does not seed it again.
    let s = serve(tmp.path(), &["--no-seed"]);
    assert!(!s.welcome.contains("Created a store"), "{}", s.welcome);
    terminate(s);
}

#[test]
fn no_seed_refuses_a_missing_store_and_bad_config_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let out = danvan(tmp.path(), &["--store", "s", "serve", "--no-seed"]);
    assert!(out.starts_with("exit: 4"), "{out}");
    assert!(out.contains("danvan init"), "{out}");
    std::fs::write(tmp.path().join("c.toml"), "bind = 80\n").unwrap();
    let out = danvan(tmp.path(), &["--store", "s", "serve", "--config", "c.toml"]);
    assert!(out.starts_with("exit: 1"), "{out}");
    assert!(out.contains("c.toml") && out.contains("bind"), "{out}");
}

#[test]
fn tokens_are_added_to_the_config_hashed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = danvan(
        tmp.path(),
        &[
            "token", "new", "--name", "portal", "--scope", "write", "--config", "c.toml",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    let token = out.lines().nth(2).unwrap().to_string();
    assert!(token.starts_with("dv_"), "{out}");
    let config = std::fs::read_to_string(tmp.path().join("c.toml")).unwrap();
    assert!(!config.contains(&token), "the token itself is never stored");
    assert!(config.contains(&danvan_http::config::hash_token(&token)));
    let again = danvan(
        tmp.path(),
        &[
            "token", "new", "--name", "portal", "--scope", "read", "--config", "c.toml",
        ],
    );
    assert!(
        again.starts_with("exit: 1") && again.contains("already has a token"),
        "{again}"
    );
}

/// Reads an observation's count value and revision.
fn value_of(v: &serde_json::Value) -> u64 {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("not a count: {v}"))
}

/// Adds 1 to the observation at `path` `each` times over HTTP, retrying on 412; returns the
/// conflicts.
pub(crate) fn increment_over_http(addr: &str, token: &str, path: &str, each: u64) -> u32 {
    let auth = format!("Bearer {token}");
    let mut conflicts = 0;
    for _ in 0..each {
        loop {
            let (_, head, body) = http(addr, "GET", path, &[], "");
            let etag = head
                .lines()
                .find_map(|l| l.strip_prefix("etag: "))
                .unwrap()
                .to_string();
            let mut record: serde_json::Value = serde_json::from_str(&body).unwrap();
            record["value"] = serde_json::json!(value_of(&record["value"]) + 1);
            let (status, _, body) = http(
                addr,
                "PUT",
                path,
                &[
                    ("authorization", &auth),
                    ("content-type", "application/json"),
                    ("if-match", &etag),
                ],
                &record.to_string(),
            );
            match status {
                200 => break,
                412 => conflicts += 1,
                other => panic!("{other}: {body}"),
            }
        }
    }
    conflicts
}

/// Adds 1 to bk-2024-dialogues `each` times with the CLI, retrying on a conflict; returns the
/// conflicts.
fn increment_over_cli(dir: &Path, each: u64) -> u32 {
    let mut conflicts = 0;
    for _ in 0..each {
        loop {
            let shown = danvan(
                dir,
                &[
                    "--store",
                    "s",
                    "--json",
                    "observation",
                    "show",
                    "bk-2024-dialogues",
                ],
            );
            let json = shown
                .split("--- stdout\n")
                .nth(1)
                .unwrap()
                .split("--- stderr")
                .next()
                .unwrap();
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            let next = value_of(&v["record"]["record"]["value"]) + 1;
            let revision = v["revision"].to_string();
            let out = danvan(
                dir,
                &[
                    "--store",
                    "s",
                    "-q",
                    "observation",
                    "update",
                    "bk-2024-dialogues",
                    "--set",
                    &format!("value={next}"),
                    "--if-revision",
                    &revision,
                ],
            );
            if out.starts_with("exit: 0") {
                break;
            }
            assert!(out.starts_with("exit: 3"), "{out}");
            conflicts += 1;
        }
    }
    conflicts
}

#[test]
fn the_server_and_the_cli_share_the_store_without_a_lost_update() {
    const EACH: u64 = 30;
    let tmp = tempfile::tempdir().unwrap();
    let out = danvan(
        tmp.path(),
        &[
            "token", "new", "--name", "t", "--scope", "write", "--config", "c.toml",
        ],
    );
    let token = out.lines().nth(2).unwrap().to_string();
    let s = serve(tmp.path(), &["--config", "c.toml"]);
    let path = "/v1/observations/bk-2024-dialogues";
    let (_, _, body) = http(&s.addr, "GET", path, &[], "");
    let start = value_of(&serde_json::from_str::<serde_json::Value>(&body).unwrap()["value"]);

    let addr = s.addr.clone();
    let over_http = std::thread::spawn(move || increment_over_http(&addr, &token, path, EACH));
    let dir = tmp.path().to_path_buf();
    let over_cli = std::thread::spawn(move || increment_over_cli(&dir, EACH));
    let http_conflicts = over_http.join().unwrap();
    let cli_conflicts = over_cli.join().unwrap();
    let (_, _, body) = http(&s.addr, "GET", path, &[], "");
    let end = value_of(&serde_json::from_str::<serde_json::Value>(&body).unwrap()["value"]);
    assert_eq!(
        end,
        start + 2 * EACH,
        "every increment counted ({http_conflicts} HTTP and {cli_conflicts} CLI conflicts retried)"
    );
    let (code, _, log) = terminate(s);
    assert_eq!(code, 0, "{log}");
}

/// Takes the store's lock as another process would, and rewrites its checkpoint (same content,
/// a new file) so that a server must read it again under the lock. The lock is held until the
/// file returned is dropped.
fn another_process_holds_the_lock(store: &std::path::Path) -> std::fs::File {
    let lock = std::fs::File::options()
        .read(true)
        .write(true)
        .open(store.join("lock"))
        .unwrap();
    lock.lock().unwrap();
    let bytes = std::fs::read(store.join("checkpoint.json")).unwrap();
    std::fs::write(store.join(".checkpoint.other"), bytes).unwrap();
    std::fs::rename(
        store.join(".checkpoint.other"),
        store.join("checkpoint.json"),
    )
    .unwrap();
    lock
}

/// While another process holds the store's lock (and has changed its files, so the server must
/// read them again under it), record reads wait at most `--lock-wait` and then answer 503 with
/// Retry-After; routes that do not touch the store answer meanwhile.
#[test]
fn a_lock_held_by_another_process_stalls_no_route_that_does_not_need_it() {
    let tmp = tempfile::tempdir().unwrap();
    let s = serve(tmp.path(), &["--lock-wait", "3"]);
    let store = tmp.path().join("s");
    let lock = another_process_holds_the_lock(&store);

    let (sent_tx, sent_rx) = std::sync::mpsc::channel();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (addr, sent, done) = (s.addr.clone(), sent_tx.clone(), done_tx.clone());
            std::thread::spawn(move || {
                sent.send(()).unwrap();
                let answer = http(&addr, "GET", "/v1/models/hn-2018-tiep-dan", &[], "");
                done.send(answer).unwrap();
            })
        })
        .collect();
    for _ in 0..4 {
        sent_rx.recv().unwrap();
    }
    let (health, _, _) = http(&s.addr, "GET", "/healthz", &[], "");
    let (provinces, _, _) = http(&s.addr, "GET", "/v1/provinces", &[], "");
    assert_eq!((health, provinces), (200, 200));
    assert!(
        done_rx.try_recv().is_err(),
        "the record reads are still waiting for the lock while those answered"
    );
    for r in readers {
        r.join().unwrap();
    }
    for _ in 0..4 {
        let (status, head, body) = done_rx.recv().unwrap();
        assert_eq!(status, 503, "{body}");
        assert!(head.contains("retry-after: 1"), "{head}");
        assert!(body.contains("/problems/store-busy"), "{body}");
    }
    lock.unlock().unwrap();
    let (status, _, _) = http(&s.addr, "GET", "/v1/models/hn-2018-tiep-dan", &[], "");
    assert_eq!(status, 200);
    let (code, _, log) = terminate(s);
    assert_eq!(code, 0, "{log}");
}

/// A log written to a file (or a pipe) is plain text: no terminal colour codes, whatever the
/// environment says about colour.
#[test]
fn the_log_is_plain_text_when_it_is_not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let s = serve_coloured(tmp.path(), &[], true);
    let (status, _, _) = http(&s.addr, "GET", "/healthz", &[], "");
    assert_eq!(status, 200);
    let (code, _, log) = terminate(s);
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("finished processing request"), "{log}");
    assert!(!log.contains('\u{1b}'), "escape codes in the log: {log:?}");
}

/// SIGTERM stops the server within its shutdown deadline whatever is still running: here a
/// store call that waits a minute for another process's lock, left running on the blocking
/// pool after its request was answered 503 at the request timeout. (The process used to wait
/// for it to finish.)
#[test]
fn shutdown_keeps_its_deadline_while_a_store_call_still_waits() {
    let tmp = tempfile::tempdir().unwrap();
    let s = serve(
        tmp.path(),
        &[
            "--lock-wait",
            "60",
            "--request-timeout",
            "1",
            "--shutdown-deadline",
            "1",
        ],
    );
    let store = tmp.path().join("s");
    let lock = another_process_holds_the_lock(&store);
    // The answer comes at the request timeout; the store call goes on waiting for the lock.
    let (status, _, body) = http(&s.addr, "GET", "/v1/models/hn-2018-tiep-dan", &[], "");
    assert_eq!(status, 503, "{body}");
    let started = std::time::Instant::now();
    let (code, _, log) = terminate(s);
    let took = started.elapsed();
    assert_eq!(code, 0, "{log}");
    assert!(
        took < Duration::from_secs(5),
        "stopping took {took:?}: {log}"
    );
    lock.unlock().unwrap();
}

/// A SIGTERM sent the moment the first health check passes (what an orchestrator may do to a
/// server it has just seen start) stops the server gracefully: the handler is installed before
/// anything answers. (It used to be installed when the accept loop first ran, after the health
/// checks were already answered at the front: the signal then killed the process.)
#[test]
fn a_sigterm_right_after_the_first_health_check_stops_gracefully() {
    for _ in 0..10 {
        let tmp = tempfile::tempdir().unwrap();
        let s = serve(tmp.path(), &[]);
        let (status, _, _) = http(&s.addr, "GET", "/healthz", &[], "");
        assert_eq!(status, 200);
        let (code, _, log) = terminate(s);
        assert_eq!(code, 0, "{log}");
    }
}

/// A receiver on 127.0.0.1: answers 500 while `down` is set, else 200, keeping each body it
/// took (in order) and telling `told` whether it took each request. Returns its address.
fn webhook_receiver(
    taken: std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>,
    down: std::sync::Arc<std::sync::atomic::AtomicBool>,
    told: std::sync::mpsc::Sender<bool>,
) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some((k, v)) = line.split_once(':')
                    && k.eq_ignore_ascii_case("content-length")
                {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let took = !down.load(std::sync::atomic::Ordering::SeqCst);
            if took {
                taken
                    .lock()
                    .unwrap()
                    .push(serde_json::from_slice(&body).unwrap());
            }
            let status = if took {
                "200 OK"
            } else {
                "500 Internal Server Error"
            };
            let _ = stream.write_all(
                format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
            let _ = told.send(took);
        }
    });
    addr
}

/// Webhooks outlive a crash: registered on a server killed (SIGKILL) while its receiver was
/// down, they are kept beside the store, and the next server delivers every change in order,
/// once by delivery ID.
#[test]
fn webhooks_are_kept_beside_the_store_across_a_kill() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let tmp = tempfile::tempdir().unwrap();
    let out = danvan(
        tmp.path(),
        &[
            "token", "new", "--name", "admin", "--scope", "admin", "--config", "c.toml",
        ],
    );
    let token = out.lines().nth(2).unwrap().to_string();
    let config = std::fs::read_to_string(tmp.path().join("c.toml")).unwrap();
    std::fs::write(
        tmp.path().join("c.toml"),
        format!("webhook_retry_secs = 0.05\nwebhook_retry_max_secs = 0.2\n{config}"),
    )
    .unwrap();
    let taken = Arc::new(Mutex::new(Vec::new()));
    let down = Arc::new(AtomicBool::new(true));
    let (told, heard) = std::sync::mpsc::channel();
    let receiver = webhook_receiver(Arc::clone(&taken), Arc::clone(&down), told);
    let auth = format!("Bearer {token}");
    let headers = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
    ];

    let mut s = serve(tmp.path(), &["--config", "c.toml"]);
    let (status, _, hook) = http(
        &s.addr,
        "POST",
        "/v1/webhooks",
        &headers,
        &format!(r#"{{"url": "http://{receiver}/in"}}"#),
    );
    assert_eq!(status, 201, "{hook}");
    let hook: serde_json::Value = serde_json::from_str(&hook).unwrap();
    let id = hook["id"].as_str().unwrap().to_string();
    assert!(tmp.path().join("s.webhooks.json").is_file());
    for i in 0..3 {
        let (status, _, body) = http(
            &s.addr,
            "PATCH",
            "/v1/models/tn-2019-phu-xuan-nong-thon-moi",
            &[
                ("Authorization", auth.as_str()),
                ("Content-Type", "application/merge-patch+json"),
            ],
            &format!(r#"{{"start_year": {}}}"#, 2010 + i),
        );
        assert_eq!(status, 200, "{body}");
    }
    // Killed once it has tried to deliver twice (the second try comes after the first was
    // recorded as failed).
    for _ in 0..2 {
        assert_eq!(heard.recv_timeout(Duration::from_secs(30)), Ok(false));
    }
    s.child.kill().unwrap();
    s.child.wait().unwrap();

    down.store(false, Ordering::SeqCst);
    let s = serve(tmp.path(), &["--config", "c.toml"]);
    while taken.lock().unwrap().len() < 3 {
        assert!(
            heard.recv_timeout(Duration::from_secs(30)).is_ok(),
            "the restarted server delivered {} of 3",
            taken.lock().unwrap().len()
        );
    }
    let bodies = taken.lock().unwrap().clone();
    let positions: Vec<&str> = bodies
        .iter()
        .map(|b| b["position"].as_str().unwrap())
        .collect();
    assert_eq!(positions, ["2.0", "3.0", "4.0"], "{bodies:#?}");
    for (b, year) in bodies.iter().zip(2010..) {
        assert_eq!(b["id"], format!("{id}:{}", b["position"].as_str().unwrap()));
        assert_eq!(b["change"]["record"]["start_year"], year);
    }
    let (status, _, log) = http(
        &s.addr,
        "GET",
        &format!("/v1/webhooks/{id}/deliveries"),
        &headers,
        "",
    );
    assert_eq!(status, 200, "{log}");
    assert!(
        log.contains("\"status\":500"),
        "the failed attempts are logged: {log}"
    );
    let (code, _, log) = terminate(s);
    assert_eq!(code, 0, "{log}");
}
