//! Record reads answered before the router give what the full stack gives: two servers on the
//! same demo data, one with the fast answer and one without, asked the same requests. And a
//! list page kept by the page cache is the page made again, and never outlives a write.

use std::sync::atomic::Ordering;

use danvan_http::{Api, ReadAccess};
use danvan_store::Store;

use crate::{READER, Reply, Server, WRITER, test_config};

/// Status, every header but the request ID and the date, and the body.
fn comparable(r: &Reply) -> String {
    let mut headers: Vec<String> = r
        .headers
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "x-request-id" | "date"))
        .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap_or("?")))
        .collect();
    headers.sort();
    format!(
        "{}\n{}\n{}",
        r.status,
        headers.join("\n"),
        without_times(&r.body)
    )
}

/// `body` with the time of each write (a history's `"at"`) left out: the two stores were
/// written a moment apart.
fn without_times(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some(i) = rest.find("\"at\":\"") {
        out.push_str(&rest[..i + 6]);
        rest = &rest[i + 6..];
        rest = rest.find('"').map_or("", |end| &rest[end..]);
    }
    out.push_str(rest);
    out
}

/// A request: path, headers, and whether the fast answer gives it (else the full stack).
type Asked = (String, Vec<(&'static str, String)>, bool);

/// Every record's path in the demo store three ways, list pages, and the requests around
/// them that the fast answer must leave to the full stack (each still answered the same).
/// `token_needed`: reads need a token (`read_access = "token"`).
fn requests(store: &dyn Store, token_needed: bool) -> Vec<Asked> {
    let export = store.export(None).unwrap();
    let mut out: Vec<Asked> = Vec::new();
    let bearer = |t: &str| ("authorization", format!("Bearer {t}"));
    let open = !token_needed;
    // (The indicator `catalogue` is the route's: see `compare`.)
    for r in export
        .dataset
        .iter()
        .filter(|r| r.id().as_str() != "catalogue")
    {
        let path = format!("/v1/{}/{}", r.kind().plural(), r.id());
        out.push((path.clone(), vec![], open));
        out.push((path.clone(), vec![bearer(READER)], true));
        out.push((
            path.clone(),
            vec![("x-request-id", "client-chosen-7".into())],
            open,
        ));
    }
    let first = export
        .dataset
        .iter()
        .find(|r| r.id().as_str() != "catalogue")
        .unwrap();
    let path = format!("/v1/{}/{}", first.kind().plural(), first.id());
    let etag = format!(
        "\"{}\"",
        store
            .get(first.kind(), first.id())
            .unwrap()
            .unwrap()
            .revision
    );
    out.push((path.clone(), vec![bearer(WRITER)], true));
    for headers in [
        vec![bearer("not-a-token")],
        vec![("authorization", "Basic abc".into())],
        vec![("accept-encoding", "gzip".into())],
        vec![("origin", "https://example.org".into())],
        vec![("if-none-match", etag)],
    ] {
        out.push((path.clone(), headers, false));
    }
    // Pages narrowed to a province or an indicator, with fields, a next link and its cursor.
    for (list, fast) in [
        (
            "/v1/conferences?province=thai-nguyen&period=2024&limit=20",
            true,
        ),
        ("/v1/conferences?province=thai-nguyen&limit=1", true),
        (
            "/v1/conferences?province=bac-kan&map=current&fields=id,date&limit=2",
            true,
        ),
        (
            "/v1/observations?indicator=citizen_reception_sessions&limit=3",
            true,
        ),
        (
            "/v1/directives?province=thai-nguyen&sort=title&order=desc",
            true,
        ),
        ("/v1/directives?province=thai-nguyen&sort=-date", false),
        // Not narrow, or not read: the full stack's.
        ("/v1/conferences?q=doi+thoai", false),
        ("/v1/conferences?period=2024", false),
        ("/v1/conferences?province=nowhere", false),
        ("/v1/conferences?province=thai-nguyen&limit=abc", false),
        (
            "/v1/conferences?province=thai-nguyen&cursor=not-a-cursor",
            false,
        ),
        ("/v1/conference?province=thai-nguyen", false),
    ] {
        out.push((list.to_string(), vec![bearer(READER)], fast));
    }
    for other in [
        format!("{path}?fields=id"),
        format!("{path}/history"),
        "/v1/conferences/no-such-record".to_string(),
        "/v1/indicators/catalogue".to_string(),
        "/v1/directives/due".to_string(),
        "/v1/conference/x".to_string(),
        "/v1/conferences/Not%20An%20ID".to_string(),
        "/v1/conferences/".to_string(),
        "/v1/conferences".to_string(),
        "/healthz".to_string(),
    ] {
        out.push((other, vec![bearer(READER)], false));
    }
    out
}

/// Asks both servers every request of [`requests`] and the next page of each list, and
/// checks the fast answer gave exactly the ones it should.
async fn compare(config: danvan_http::Config) {
    let token_needed = config.read_access == ReadAccess::Token;
    let mut answered = None;
    let fast = Server::with_api(config.clone(), |api: Api| {
        answered = Some(api.fast_answers());
        api
    })
    .await;
    // The reference makes every page again: no page cache.
    let reference = danvan_http::Config {
        page_cache_mib: 0,
        ..config
    };
    let full = Server::with_api(reference, Api::without_fast_reads).await;
    let answered = answered.unwrap();
    // An indicator whose ID is a route's last segment: the route answers, not the record.
    let catalogue = r#"{"id":"catalogue","name_vi":"Chỉ tiêu thử","name_en":"A test indicator","unit":"buổi","measure":"count","direction":"higher_is_better"}"#;
    for s in [&fast, &full] {
        // (A PUT to its path is the route's 405: it goes in through the collection.)
        let put = s.write("POST", "/v1/indicators", WRITER, catalogue).await;
        assert_eq!(put.status, 201, "{}", put.body);
    }
    let mut asked = requests(fast.store.as_ref(), token_needed);
    let mut i = 0;
    while i < asked.len() {
        let (path, headers, is_fast) = asked[i].clone();
        i += 1;
        let pairs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let before = answered.load(Ordering::Relaxed);
        let a = fast.send("GET", &path, &pairs, None).await;
        let was_fast = answered.load(Ordering::Relaxed) - before == 1;
        assert_eq!(was_fast, is_fast, "answered fast: GET {path} {headers:?}");
        let b = full.send("GET", &path, &pairs, None).await;
        assert_eq!(comparable(&a), comparable(&b), "GET {path} {headers:?}");
        // A page asked again comes from the page cache, and is the same.
        if path.contains('?') {
            let before = answered.load(Ordering::Relaxed);
            let again = fast.send("GET", &path, &pairs, None).await;
            assert_eq!(
                answered.load(Ordering::Relaxed) - before,
                u64::from(is_fast)
            );
            assert_eq!(comparable(&again), comparable(&b), "GET {path} again");
        }
        let id = |r: &Reply| r.header("x-request-id").map(str::to_string);
        match pairs.iter().find(|(k, _)| *k == "x-request-id") {
            Some((_, chosen)) => assert_eq!(id(&a).as_deref(), Some(*chosen)),
            // The server's own: its prefix, a dash and a number, from one counter.
            None => {
                let made = id(&a).unwrap();
                let (prefix, n) = made.split_once('-').unwrap();
                assert!(prefix.len() == 8 && n.parse::<u64>().is_ok(), "{made}");
            }
        }
        // A list's next page, by its link, is asked too (and answered fast).
        if let Some(next) = a.header("link").and_then(|l| l.strip_prefix('<')) {
            let next = next.split_once('>').unwrap().0.to_string();
            if is_fast && !asked.iter().any(|(p, _, _)| *p == next) {
                asked.push((next, headers.clone(), true));
            }
        }
        // A HEAD is the full stack's whichever server answers it.
        let a = fast.send("HEAD", &path, &pairs, None).await;
        let b = full.send("HEAD", &path, &pairs, None).await;
        assert_eq!(comparable(&a), comparable(&b), "HEAD {path} {headers:?}");
    }
    assert!(
        asked
            .iter()
            .any(|(p, _, _)| p.contains("cursor=") && !p.contains("not-a"))
    );
    fast.stop().await;
    full.stop().await;
}

#[tokio::test]
async fn record_reads_answered_before_the_router_are_the_full_stacks_answers() {
    compare(test_config()).await;
}

#[tokio::test]
async fn reads_bound_to_tokens_are_answered_the_same_and_refusals_by_the_full_stack() {
    let config = danvan_http::Config {
        read_access: ReadAccess::Token,
        ..test_config()
    };
    compare(config).await;
}

/// The conference IDs on a page.
fn page_ids(r: &Reply) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["record"]["id"].as_str().unwrap().to_string())
        .collect()
}

/// A page kept at one revision is not answered after a write, neither the server's own nor
/// another process's (a second handle on the store's files), and not after a delete.
#[tokio::test]
async fn a_kept_page_never_outlives_a_write() {
    let s = Server::start().await;
    let path = "/v1/conferences?province=thai-nguyen&period=2025&limit=100";
    let conference = |id: &str| {
        format!(
            r#"{{"id":"{id}","title":"Hội nghị đối thoại với nông dân xã Phú Lương","province":"thai-nguyen","date":"2025-10-14","kinds":["dialogue"],"hosts":["Ban Dân vận Tỉnh ủy"],"chairs":[],"participating_units":[],"format":{{"mode":"in_person"}}}}"#
        )
    };
    let first = s.get(path).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(comparable(&s.get(path).await), comparable(&first));

    let put = s
        .write(
            "PUT",
            "/v1/conferences/doi-thoai-phu-luong",
            WRITER,
            &conference("doi-thoai-phu-luong"),
        )
        .await;
    assert_eq!(put.status, 201, "{}", put.body);
    let after_own = s.get(path).await;
    assert!(page_ids(&after_own).contains(&"doi-thoai-phu-luong".to_string()));
    assert_ne!(after_own.header("etag"), first.header("etag"));

    // Another process writes to the same files.
    let other = danvan_store::JsonStore::open(&s.store_dir()).unwrap();
    let record: danvan_core::dataset::AnyRecord = serde_json::from_value(serde_json::json!({
        "kind": "conference",
        "record": serde_json::from_str::<serde_json::Value>(&conference("doi-thoai-dong-hy")).unwrap(),
    }))
    .unwrap();
    other.put(record, danvan_store::Expected::Absent).unwrap();
    let after_other = s.get(path).await;
    assert!(page_ids(&after_other).contains(&"doi-thoai-dong-hy".to_string()));
    assert_eq!(page_ids(&after_other).len(), page_ids(&after_own).len() + 1);

    let del = s
        .send(
            "DELETE",
            "/v1/conferences/doi-thoai-phu-luong",
            &[("authorization", &format!("Bearer {WRITER}"))],
            None,
        )
        .await;
    assert!(del.status == 200 || del.status == 204, "{}", del.body);
    let after_delete = s.get(path).await;
    assert!(!page_ids(&after_delete).contains(&"doi-thoai-phu-luong".to_string()));
    s.stop().await;
}
