//! One access rule on every write path: a token bound to a province changes exactly the records
//! of the units that became that province on today's map — through the API (create, replace,
//! merge patch, delete, cascade, import) — and
//! never takes another province's record over, never reaches one through a cascade, and never
//! ties another province's record to its own (which would block that record's deletion).
//! The store decides, when it commits; these tests walk each path (the web app's forms and
//! its spreadsheet import: `danvan-web`'s tests).

use crate::bound::{
    conference, config, current, directive, model, owns, secret, seed, send, units,
};
use crate::{ADMIN, Reply, Server};

/// Every API write of every province's token against every unit's records. A refusal is a
/// 403 that names the record and whose it is; what is allowed is written.
#[tokio::test]
async fn the_api_keeps_every_province_to_its_records_on_every_write_path() {
    let s = Server::with(config()).await;
    seed(&s).await;
    for writer in current() {
        let token = secret(writer);
        for (slug, year, tag) in units() {
            let model_slug = slug.unwrap_or("ha-noi");
            let mine = owns(writer, Some(model_slug));
            let expect = |r: &Reply, allowed: bool, what: &str| {
                let want = if allowed { [200, 201] } else { [403, 403] };
                assert!(
                    want.contains(&r.status),
                    "{writer} {what} {tag}: {} {}",
                    r.status,
                    r.body
                );
                if !allowed {
                    assert!(
                        r.body.contains(&format!("token `{writer}-clerk`")),
                        "{}",
                        r.body
                    );
                }
            };
            let path = format!("/v1/models/m-{tag}");
            // A merge patch, and a whole record put back with another province: the stored
            // record decides.
            let r = send(
                &s,
                "PATCH",
                &path,
                &token,
                Some(r#"{"owning_unit": "Đoàn Thanh niên"}"#),
            )
            .await;
            expect(&r, mine, "patches");
            let taken = model(&tag, writer, 2026, "Của tôi").to_string();
            let r = send(&s, "PUT", &path, &token, Some(&taken)).await;
            expect(&r, mine, "takes over");
            // A new record of the unit.
            let fresh = model(&format!("new-{writer}-{tag}"), model_slug, year, "Mới").to_string();
            let r = send(&s, "POST", "/v1/models", &token, Some(&fresh)).await;
            expect(&r, mine, "creates");
            // An import's dry run of the unit's directive, changed.
            let mut d = directive(&tag, slug, year);
            d["title"] = "Đề án (sửa)".into();
            let body = serde_json::json!({"directives": [d]}).to_string();
            let r = send(&s, "POST", "/v1/import?dry_run=true", &token, Some(&body)).await;
            expect(&r, owns(writer, slug), "imports");
            // Its own conference, reviewing the unit's directive: its own and central ones.
            let id = format!("c-{writer}-{tag}");
            let c = conference(&id, writer, &[format!("d-{tag}")]).to_string();
            let r = send(&s, "POST", "/v1/conferences", &token, Some(&c)).await;
            expect(&r, owns(writer, slug) || slug.is_none(), "refers to");
            if r.status == 403 {
                assert!(r.body.contains("reviewed_directives[0]"), "{}", r.body);
            }
        }
    }
    // Deleting each unit's directive: every other province's token is refused, then its own
    // deletes it (the cascade detaching its own conferences above, and only those).
    for (slug, _, tag) in units() {
        let path = format!("/v1/directives/d-{tag}?cascade=true");
        for writer in current().into_iter().filter(|w| !owns(w, slug)) {
            let r = send(&s, "DELETE", &path, &secret(writer), None).await;
            assert_eq!(r.status, 403, "{writer} deletes {tag}: {}", r.body);
        }
        let owner = current().into_iter().find(|w| owns(w, slug));
        let r = send(
            &s,
            "DELETE",
            &path,
            &secret(owner.unwrap_or("ha-noi")),
            None,
        )
        .await;
        assert_eq!(
            r.status == 200,
            owner.is_some(),
            "deletes {tag}: {}",
            r.body
        );
    }
    s.stop().await;
}

/// A delete that cascades is refused when the cascade would change another province's record,
/// and a reference made by an administrator may be kept by the clerk who edits the record.
#[tokio::test]
async fn a_cascade_never_reaches_another_provinces_record() {
    let s = Server::with(config()).await;
    seed(&s).await;
    // Hà Nội's conference reviews Bắc Kạn's directive (an administrator tied them).
    let c = conference("c-hn", "ha-noi", &["d-bac-kan-2024".into()]).to_string();
    assert_eq!(
        s.write("POST", "/v1/conferences", ADMIN, &c).await.status,
        201
    );
    let tn = secret("thai-nguyen");
    let r = send(&s, "DELETE", "/v1/directives/d-bac-kan-2024", &tn, None).await;
    assert_eq!(r.status, 409, "referenced: {}", r.body);
    let r = send(
        &s,
        "DELETE",
        "/v1/directives/d-bac-kan-2024?cascade=true",
        &tn,
        None,
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.body.contains("conference c-hn is of ha-noi"),
        "{}",
        r.body
    );
    // Hà Nội's clerk keeps the reference while changing the conference's title.
    let hn = secret("ha-noi");
    let r = send(
        &s,
        "PATCH",
        "/v1/conferences/c-hn",
        &hn,
        Some(r#"{"title": "Hội nghị chuyên đề (sửa)"}"#),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // But cannot add another of Thái Nguyên's.
    let r = send(
        &s,
        "PATCH",
        "/v1/conferences/c-hn",
        &hn,
        Some(r#"{"reviewed_directives": ["d-bac-kan-2024", "d-thai-nguyen-2026"]}"#),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.body
            .contains("would refer in reviewed_directives[1] to directive d-thai-nguyen-2026"),
        "{}",
        r.body
    );
    s.stop().await;
}

/// A server that binds reads, seeded, after a deletion in Thái Nguyên (Bắc Kạn's model) and
/// one in Hà Nội, for the feed's tombstones.
async fn bound_server() -> Server {
    let mut cfg = config();
    cfg.bound_reads = true;
    cfg.read_access = danvan_http::config::ReadAccess::Token;
    let s = Server::with(cfg).await;
    seed(&s).await;
    for (token, id) in [
        ("thai-nguyen", "m-bac-kan-2024"),
        ("ha-noi", "m-ha-noi-2026"),
    ] {
        let path = format!("/v1/models/{id}");
        let r = send(&s, "DELETE", &path, &secret(token), None).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    s
}

/// Whether a record's JSON is Thái Nguyên's (Bắc Kạn's included) or central.
fn thai_nguyens(v: &serde_json::Value) -> bool {
    v.get("province")
        .and_then(|p| p.as_str())
        .is_none_or(|p| matches!(p, "thai-nguyen" | "bac-kan"))
}

/// Where the server binds reads, a province's token lists, searches, exports and reads its
/// provinces' records and the central ones — another province's record is a 403 — and
/// national tokens read everything; without the option, every token reads everything.
#[tokio::test]
async fn bound_reads_hold_lists_records_and_exports_to_the_province() {
    let s = bound_server().await;
    let tn = secret("thai-nguyen");
    for path in [
        "/v1/directives?limit=1000",
        "/v1/conferences?limit=1000",
        "/v1/models?limit=1000",
        "/v1/observations?limit=1000",
        "/v1/search?q=dan+van&limit=1000",
        "/v1/models?province=ha-noi",
    ] {
        let r = send(&s, "GET", path, &tn, None).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        let items = r.json()["items"].as_array().unwrap().clone();
        for item in &items {
            assert!(thai_nguyens(&item["record"]), "{path}: {item}");
        }
        // Not a filter that lets nothing through.
        assert!(path.contains("ha-noi") || !items.is_empty(), "{path}");
    }
    let all = send(&s, "GET", "/v1/directives?limit=1000", &tn, None)
        .await
        .json();
    let ids: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["record"]["id"].as_str())
        .collect();
    for id in ["d-thai-nguyen-2026", "d-bac-kan-2024", "d-central"] {
        assert!(ids.contains(&id), "{id}: {ids:?}");
    }
    let export = send(&s, "GET", "/v1/export", &tn, None).await.json();
    for kind in ["directives", "conferences", "models", "observations"] {
        for r in export[kind].as_array().into_iter().flatten() {
            assert!(thai_nguyens(r), "export {kind}: {r}");
        }
    }
    for (path, ok) in [
        ("/v1/models/m-thai-nguyen-2026", true),
        ("/v1/directives/d-central", true),
        ("/v1/models/m-ha-noi-2026/history", false),
        ("/v1/directives/d-lang-son-2026", false),
        ("/v1/directives/d-lang-son-2026/history", false),
        ("/v1/models/m-bac-kan-2024/history", true),
        ("/v1/models/hn-2018-tiep-dan", false),
    ] {
        let r = send(&s, "GET", path, &tn, None).await;
        assert_eq!(r.status == 200, ok, "{path}: {} {}", r.status, r.body);
        if !ok {
            assert_eq!(r.status, 403, "{path}: {}", r.body);
            assert!(
                r.body.contains("reads the records of thai-nguyen"),
                "{}",
                r.body
            );
        }
    }
    let r = send(
        &s,
        "GET",
        "/v1/models/hn-2018-tiep-dan",
        crate::READER,
        None,
    )
    .await;
    assert_eq!(
        r.status, 200,
        "a national token reads everything: {}",
        r.body
    );
    s.stop().await;

    let s = Server::with(config()).await;
    let r = send(&s, "GET", "/v1/models/hn-2018-tiep-dan", &tn, None).await;
    assert_eq!(r.status, 200, "without the option: {}", r.body);
    s.stop().await;
}

/// The change feed gives a bound reader its provinces' changes and the central ones, its
/// tombstones included (they name the province the record had), and nothing of another's.
#[tokio::test]
async fn bound_reads_hold_the_change_feed_to_the_province() {
    let s = bound_server().await;
    let tn = secret("thai-nguyen");
    let mut since = "0".to_string();
    let mut seen = Vec::new();
    loop {
        let path = format!("/v1/changes?since={since}&limit=50");
        let page = send(&s, "GET", &path, &tn, None).await.json();
        for e in page["items"].as_array().unwrap() {
            let province = e["record"]["province"].as_str().or(e["province"].as_str());
            assert!(
                province.is_none_or(|p| matches!(p, "thai-nguyen" | "bac-kan")),
                "{e}"
            );
            seen.push(e["id"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(n) => {
                since = n
                    .split("since=")
                    .nth(1)
                    .unwrap()
                    .split('&')
                    .next()
                    .unwrap()
                    .to_string()
            }
            None => break,
        }
    }
    let bk = seen.iter().filter(|i| *i == "m-bac-kan-2024").count();
    assert_eq!(bk, 2, "created and deleted: {seen:?}");
    assert!(!seen.iter().any(|i| i == "m-ha-noi-2026"), "{seen:?}");
    assert!(seen.iter().any(|i| i == "d-central"), "{seen:?}");
    s.stop().await;
}

/// Reviews due and reports: a bound reader's own provinces only (a national report covers
/// every province, and is refused).
#[tokio::test]
async fn bound_reads_hold_reviews_due_and_reports_to_the_province() {
    let s = bound_server().await;
    let tn = secret("thai-nguyen");
    let due = send(&s, "GET", "/v1/directives/due?within=10y", &tn, None)
        .await
        .json();
    let rows = due["items"].as_array().unwrap();
    for row in rows {
        assert!(
            row["province"].as_str().is_none_or(|p| p == "thai-nguyen"),
            "{row}"
        );
    }
    let national = send(
        &s,
        "GET",
        "/v1/directives/due?within=10y",
        crate::READER,
        None,
    );
    let national = national.await.json();
    let all = national["items"].as_array().unwrap();
    assert!(
        !rows.is_empty() && rows.len() < all.len(),
        "{} of {}",
        rows.len(),
        all.len()
    );
    for (path, ok) in [
        ("/v1/reports?period=2024&province=thai-nguyen", true),
        (
            "/v1/reports?period=2024&province=bac-kan&map=as_recorded",
            true,
        ),
        ("/v1/reports?period=2024&province=ha-noi", false),
        ("/v1/reports?period=2024", false),
    ] {
        let r = send(&s, "GET", path, &tn, None).await;
        assert_eq!(r.status == 200, ok, "{path}: {} {}", r.status, r.body);
        if !ok {
            assert_eq!(r.status, 403, "{path}: {}", r.body);
        }
    }
    s.stop().await;
}
