//! The server's limits, against the real binary: slow headers and idle connections are closed,
//! a connection cap holds (and says so in the log), shutdown ends by its deadline with a slow
//! client, and what the server will not read is answered at once, as problems. Bounds here are
//! generous: the speed targets live in the benchmarks.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::serve::{Serving, serve, terminate};

/// Writes `request` on a new connection and reads until the server closes it (or 20 s pass,
/// which fails the test).
fn exchange(addr: &str, request: &[u8]) -> String {
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    c.write_all(request).unwrap();
    let mut out = Vec::new();
    c.read_to_end(&mut out)
        .expect("the server answered and closed the connection within 20 s");
    String::from_utf8_lossy(&out).into_owned()
}

fn problem_type(answer: &str) -> String {
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    v["type"].as_str().unwrap_or("").to_string()
}

#[test]
fn what_the_server_will_not_read_is_answered_at_once_as_a_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let s = serve(tmp.path(), &["--request-timeout", "120"]);
    // A body declared at 10^12 bytes and never sent: 413 without waiting for it.
    let answer = exchange(
        &s.addr,
        b"POST /v1/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert_eq!(problem_type(&answer), "/problems/payload-too-large");

    let long_uri = format!(
        "GET /v1/models?q={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "a".repeat(10_000)
    );
    let answer = exchange(&s.addr, long_uri.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 414"), "{answer}");
    assert_eq!(problem_type(&answer), "/problems/uri-too-long");

    let big_headers = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(40_000)
    );
    let answer = exchange(&s.addr, big_headers.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    assert_eq!(problem_type(&answer), "/problems/headers-too-large");
    let (code, _, log) = terminate(s);
    assert_eq!(code, 0, "{log}");
}

#[test]
fn slow_headers_and_idle_connections_are_closed() {
    let tmp = tempfile::tempdir().unwrap();
    let s = serve(tmp.path(), &["--idle-timeout", "1"]);
    // Half a request header, then nothing: the server closes the connection.
    let answer = exchange(&s.addr, b"GET /healthz HTTP/1.1\r\nHost: x\r\n");
    assert_eq!(answer, "", "closed without an answer");
    // A kept-alive connection that sends nothing more is closed too.
    let answer = exchange(&s.addr, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let (code, _, log) = terminate(s);
    assert_eq!(code, 0, "{log}");
}

#[test]
fn past_the_connection_cap_new_connections_wait_and_the_log_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let s = serve(
        tmp.path(),
        &["--max-connections", "4", "--idle-timeout", "2"],
    );
    // Four idle sockets take every slot; a fifth client is served once the idle timeout has
    // closed them.
    let idle: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(&s.addr).unwrap())
        .collect();
    let answer = exchange(
        &s.addr,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(idle);
    let (code, _, log) = terminate(s);
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains("connection cap reached") && log.contains("max_connections=4"),
        "{log}"
    );
}

#[test]
fn shutdown_with_a_slow_client_ends_by_the_deadline() {
    let tmp = tempfile::tempdir().unwrap();
    let out = crate::danvan(
        tmp.path(),
        &[
            "token", "new", "--name", "t", "--scope", "write", "--config", "c.toml",
        ],
    );
    let token = out.lines().nth(2).unwrap().to_string();
    let s: Serving = serve(
        tmp.path(),
        &[
            "--config",
            "c.toml",
            "--shutdown-deadline",
            "1",
            "--request-timeout",
            "120",
        ],
    );
    // A write whose body stops a tenth of the way: the handler waits for the rest.
    let mut slow = TcpStream::connect(&s.addr).unwrap();
    let head = format!(
        "PUT /v1/models/slow HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{{\"id\": \"slow\", "
    );
    slow.write_all(head.as_bytes()).unwrap();
    // The request is in the server's hands once a later request on another connection has
    // been answered (connections are accepted in order).
    let answer = exchange(
        &s.addr,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || done_tx.send(terminate(s)).unwrap());
    let (code, _, log) = done_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the server stopped by its 1 s deadline, not the 120 s request timeout");
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("shutdown deadline passed"), "{log}");
    drop(slow);
}
