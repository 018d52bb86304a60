//! Malformed and random requests at every route: never a 5xx, never a dropped connection, and
//! the store is still whole afterwards.

use std::io::{Read, Write};

use danvan_store::Store;

use crate::{ADMIN, READER, Server, WRITER};

/// A small deterministic generator (xorshift), so a failure can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const PATHS: [&str; 22] = [
    "/",
    "/docs",
    "/openapi.json",
    "/healthz",
    "/readyz",
    "/problems/already-exists",
    "/v1/provinces",
    "/v1/provinces/{x}",
    "/v1/search",
    "/v1/directives/due",
    "/v1/import",
    "/v1/export",
    "/v1/reports",
    "/v1/indicators/catalogue",
    "/v1/indicators/{x}/observations",
    "/v1/directives",
    "/v1/conferences",
    "/v1/models/{x}",
    "/v1/observations/{x}",
    "/v1/conferences/{x}",
    "/v1/directives/{x}",
    "/v1/indicators/{x}",
];

const PARAMS: [&str; 24] = [
    "province",
    "map",
    "period",
    "matching",
    "window",
    "since",
    "until",
    "kind",
    "field",
    "indicator",
    "q",
    "types",
    "sort",
    "order",
    "limit",
    "cursor",
    "fields",
    "at",
    "within",
    "as_of",
    "format",
    "dry_run",
    "cascade",
    "date",
];

const VALUES: [&str; 26] = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "2024",
    "2024S1",
    "2021-2025",
    "6 tháng đầu năm 2024",
    "2024-02-30",
    "2024-06-01",
    "thai-nguyen",
    "Bắc Kạn",
    "as_recorded",
    "overlaps",
    "cut_off",
    "desc",
    "relevance",
    "json",
    "jsonl",
    "true",
    "maybe",
    "%FF",
    "a,b,,c",
    "six_month_review",
    "one_stop_departments",
    "\u{0}",
];

const IDS: [&str; 8] = [
    "tn-05-da-2021",
    "tn-2024-so-ket-6-thang",
    "one_stop_departments",
    "no-such",
    "..",
    "%2e%2e%2f",
    "a%00b",
    "Đ",
];

const BODIES: [&str; 12] = [
    "",
    "{",
    "null",
    "[]",
    "{}",
    "{\"id\": 5}",
    "{\"id\": \"x\", \"title\": [1]}",
    "{\"models\": [{}]}",
    "{\"format\": \"danvan-export\", \"version\": 9}",
    "{\"id\": \"tn-05-da-2021\", \"status\": null}",
    "\u{feff}{}",
    "{\"a\": {\"b\": {\"c\": {\"d\": [[[[[[[[[[]]]]]]]]]]}}}}",
];

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~%".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_requests_never_get_a_5xx() {
    let s = Server::start().await;
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    let methods = [
        "GET", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
    ];
    let mut statuses = std::collections::BTreeMap::new();
    for i in 0..1500 {
        let mut path = rng
            .pick(&PATHS[..])
            .replace("{x}", &encode(rng.pick::<&str>(&IDS)));
        let n = rng.next() % 4;
        for j in 0..n {
            path.push(if j == 0 { '?' } else { '&' });
            path.push_str(rng.pick::<&str>(&PARAMS));
            path.push('=');
            path.push_str(&encode(rng.pick::<&str>(&VALUES)));
        }
        let method = *rng.pick(&methods);
        let mut headers: Vec<(&str, String)> = Vec::new();
        if rng.chance(70) {
            let token = *rng.pick(&[READER, WRITER, ADMIN, "nope", ""]);
            headers.push(("authorization", format!("Bearer {token}")));
        }
        if rng.chance(80) {
            let media = *rng.pick(&[
                "application/json",
                "application/merge-patch+json",
                "application/x-ndjson",
                "text/plain",
                "application/json; charset=utf-8",
                "",
            ]);
            headers.push(("content-type", media.to_string()));
        }
        if rng.chance(20) {
            let tag = *rng.pick(&[
                "\"1\"",
                "W/\"1\"",
                "*",
                "garbage",
                "\"99999999999999999999\"",
            ]);
            let name = *rng.pick(&["if-match", "if-none-match"]);
            headers.push((name, tag.to_string()));
        }
        let body = rng.pick(&BODIES[..]).to_string();
        let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = s.send(method, &path, &h, Some(&body)).await;
        assert!(
            r.status < 500,
            "request {i}: {method} {path} {headers:?} {body:?} → {}: {}",
            r.status,
            r.body
        );
        if r.status >= 400 && method != "HEAD" && r.status != 405 {
            assert_eq!(
                r.header("content-type"),
                Some("application/problem+json"),
                "{method} {path} → {}",
                r.status
            );
        }
        *statuses.entry(r.status).or_insert(0) += 1;
    }
    // The run reached past the front door: successes, client errors and writes among them.
    assert!(statuses.keys().any(|s| *s == 200), "{statuses:?}");
    assert!(
        statuses.keys().any(|s| *s == 422 || *s == 409),
        "{statuses:?}"
    );
    assert!(s.store.validate().unwrap().iter().all(|p| !p.is_error()));

    // Bytes that are not HTTP at all: the connection is closed or answered 400, and the server
    // goes on serving.
    let addr = s.base.trim_start_matches("http://").to_string();
    for garbage in [
        &b"\x00\x01\x02\x03\r\n\r\n"[..],
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET /v1/models HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        b"POST /v1/models HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ] {
        let addr = addr.clone();
        let reply = tokio::task::spawn_blocking(move || {
            let mut c = std::net::TcpStream::connect(addr).unwrap();
            c.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .unwrap();
            c.write_all(garbage).unwrap();
            let mut out = Vec::new();
            let _ = c.read_to_end(&mut out);
            String::from_utf8_lossy(&out).into_owned()
        })
        .await
        .unwrap();
        assert!(!reply.starts_with("HTTP/1.1 5"), "{reply}");
    }
    assert_eq!(s.get("/healthz").await.status, 200);
    s.stop().await;
}
