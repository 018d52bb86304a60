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

/// What hyper itself refuses before the app sees a request — a malformed request line, a
/// header that is not one, a head larger than it reads, on a connection's first request or a
/// later one — is answered as a problem too, never a bare status (which it used to be).
#[test]
fn what_hyper_cannot_parse_is_answered_as_a_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let s = serve(tmp.path(), &[]);
    let huge = format!(
        "GET /v1/provinces HTTP/1.1\r\nHost: x\r\n{}\r\n",
        (0..40)
            .map(|i| format!("X-Filler-{i}: {}\r\n", "c".repeat(30_000)))
            .collect::<String>()
    );
    for (request, status, kind) in [
        (
            b"GET /v1/provinces HTTP/1.1 trailing\r\nHost: x\r\n\r\n".to_vec(),
            "400",
            "/problems/bad-request",
        ),
        (
            b"GET /v1/provinces HTTP/1.1\r\nHost: x\r\nBad Header Name: y\r\n\r\n".to_vec(),
            "400",
            "/problems/bad-request",
        ),
        (b"G\x01T / HTTP/1.1\r\n\r\n".to_vec(), "400", "/problems/bad-request"),
        (huge.into_bytes(), "431", "/problems/headers-too-large"),
        // The second request of a kept-alive connection.
        (
            b"GET /v1/provinces HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/provinces HTTP/1.1\r\nHost x\r\n\r\n".to_vec(),
            "400",
            "/problems/bad-request",
        ),
        (
            b"GET /v1/provinces HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1 x\r\n\r\n".to_vec(),
            "400",
            "/problems/bad-request",
        ),
    ] {
        let answer = exchange(&s.addr, &request);
        // The last answer on the connection is hyper's refusal.
        let last = answer
            .rfind("HTTP/1.1 ")
            .map_or(answer.as_str(), |i| &answer[i..]);
        assert!(last.starts_with(&format!("HTTP/1.1 {status}")), "{answer}");
        assert!(last.contains("application/problem+json"), "{answer}");
        assert_eq!(problem_type(last), kind, "{answer}");
    }
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

/// Sends `GET path` on a kept-alive connection and reads its one answer: the status.
fn kept_alive(c: &mut TcpStream, path: &str) -> u16 {
    c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    c.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        c.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let length: usize = head
        .split("content-length: ")
        .nth(1)
        .and_then(|l| l.split("\r\n").next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    c.read_exact(&mut body).unwrap();
    head.split(' ').nth(1).unwrap().parse().unwrap()
}

/// Connections that sent a request take the slots; past the cap a new one waits until one
/// closes, and the log says so. Sockets that never send a request take no slot, and a health
/// check is answered at once whatever holds the slots.
#[test]
fn past_the_connection_cap_new_connections_wait_and_the_log_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let s = serve(
        tmp.path(),
        &["--max-connections", "4", "--idle-timeout", "2"],
    );
    // Forty sockets that say nothing: no slot is theirs.
    let silent: Vec<TcpStream> = (0..40)
        .map(|_| TcpStream::connect(&s.addr).unwrap())
        .collect();
    // Four clients kept alive after a request take every slot.
    let mut kept: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(&s.addr).unwrap())
        .collect();
    for c in &mut kept {
        assert_eq!(kept_alive(c, "/v1/provinces"), 200);
    }
    // A fifth waits for a slot, which the idle timeout frees.
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let addr = s.addr.clone();
    let fifth = std::thread::spawn(move || {
        let answer = exchange(
            &addr,
            b"GET /v1/provinces HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        done_tx.send(answer).unwrap();
    });
    // Meanwhile a health check is answered at the front.
    let health = exchange(
        &s.addr,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let ready = exchange(
        &s.addr,
        b"GET /readyz HTTP/1.1\r\nHost: x\r\nX-Request-Id: lb-1\r\n\r\n",
    );
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    assert!(
        ready.to_ascii_lowercase().contains("x-request-id: lb-1"),
        "{ready}"
    );
    assert!(
        done_rx.try_recv().is_err(),
        "the fifth still waits for a slot while health checks are answered"
    );
    fifth.join().unwrap();
    let answer = done_rx.recv().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop((kept, silent));
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
    // The request is in the app's hands once a later request on another connection has been
    // answered by the app (connections are handed to it in order; a health check would be
    // answered at the front, in no order with the others).
    let answer = exchange(
        &s.addr,
        b"GET /v1/provinces HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
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
