//! One access rule on every write path: a token bound to a province changes exactly the records
//! of the units that became that province on today's map — through the API (create, replace,
//! merge patch, delete, cascade, import), the web app's forms and its spreadsheet import — and
//! never takes another province's record over, never reaches one through a cascade, and never
//! ties another province's record to its own (which would block that record's deletion).
//! The store decides, when it commits; these tests walk each path.

use danvan_http::Config;
use danvan_http::config::{Scope, TokenEntry, hash_token};

use crate::web::{Browser, csrf, hidden, text};
use crate::{ADMIN, Reply, Server, test_config};

/// Today's provinces (34 slugs).
fn current() -> Vec<&'static str> {
    danvan_core::province::registry()
        .all()
        .iter()
        .filter(|p| p.valid_until.is_none())
        .map(|p| p.slug)
        .collect()
}

/// The secret of `slug`'s clerk token.
fn secret(slug: &str) -> String {
    format!("clerk-{slug}")
}

/// The test configuration with a write token bound to each of today's provinces.
fn config() -> Config {
    let mut config = test_config();
    config.body_limit = 4 << 20;
    for slug in current() {
        config.tokens.push(TokenEntry {
            name: format!("{slug}-clerk"),
            sha256: hash_token(&secret(slug)),
            scopes: vec![Scope::Write],
            provinces: vec![slug.to_string()],
        });
    }
    config
}

/// Every unit of the registry (before and after 1 July 2025), and `None` for the central
/// records: (slug, a year within its life, the tag of its records).
fn units() -> Vec<(Option<&'static str>, i32, String)> {
    let mut out: Vec<_> = danvan_core::province::registry()
        .all()
        .iter()
        .map(|p| {
            let year = if p.valid_until.is_some() { 2024 } else { 2026 };
            (Some(p.slug), year, format!("{}-{year}", p.slug))
        })
        .collect();
    out.push((None, 2024, "central".into()));
    out
}

fn model(tag: &str, slug: &str, year: i32, name: &str) -> serde_json::Value {
    serde_json::json!({"id": format!("m-{tag}"), "name": name, "province": slug,
        "owning_unit": "Hội Nông dân", "field": "economy", "start_year": year})
}

fn directive(tag: &str, slug: Option<&str>, year: i32) -> serde_json::Value {
    let mut d = serde_json::json!({"id": format!("d-{tag}"), "number": "05-ĐA/TU",
        "doc_type": "scheme", "issuer": "Tỉnh ủy", "title": "Đề án",
        "issued_on": format!("{year}-04-12")});
    if let Some(s) = slug {
        d["province"] = s.into();
    }
    d
}

fn conference(id: &str, slug: &str, reviewed: &[String]) -> serde_json::Value {
    serde_json::json!({"id": id, "kinds": ["thematic"], "title": "Hội nghị chuyên đề",
        "date": "2026-05-02", "province": slug, "hosts": ["Ban Dân vận"],
        "format": {"mode": "in_person"}, "reviewed_directives": reviewed})
}

/// The records of every unit, written by the administrator.
async fn seed(s: &Server) {
    let mut models = Vec::new();
    let mut directives = Vec::new();
    for (slug, year, tag) in units() {
        models.push(model(&tag, slug.unwrap_or("ha-noi"), year, "Mô hình"));
        directives.push(directive(&tag, slug, year));
    }
    let body = serde_json::json!({"models": models, "directives": directives}).to_string();
    let r = s.write("POST", "/v1/import", ADMIN, &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// Whether `writer`'s clerk owns the records of `slug` (a unit's slug; `None`: central).
fn owns(writer: &str, slug: Option<&str>) -> bool {
    slug.and_then(|s| danvan_core::province::registry().current(s))
        .is_some_and(|c| c.slug == writer)
}

async fn send(s: &Server, method: &str, path: &str, token: &str, body: Option<&str>) -> Reply {
    let auth = format!("Bearer {token}");
    let media = if method == "PATCH" {
        "application/merge-patch+json"
    } else {
        "application/json"
    };
    s.send(
        method,
        path,
        &[("authorization", &auth), ("content-type", media)],
        body,
    )
    .await
}

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

/// Gives each directive of `tags` a review milestone, so the "held" form has one to record.
async fn with_milestones(s: &Server, tags: &[&str]) {
    for tag in tags {
        let r = send(
            s,
            "PATCH",
            &format!("/v1/directives/d-{tag}"),
            ADMIN,
            Some(
                r#"{"milestones": [{"kind": "mid_term", "label": "sơ kết 3 năm", "due": "2026"}]}"#,
            ),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

/// Records the review of `tag`'s directive as held through the web form: allowed for the
/// clerk's own province, refused (in Vietnamese) for any other and for central directives.
async fn records_held(
    b: &mut Browser<'_>,
    writer: &str,
    slug: Option<&str>,
    tag: &str,
    token: &str,
) {
    let held = [
        ("csrf", token),
        ("on", "20/6/2026"),
        ("by", "Ban Thường vụ Tỉnh ủy"),
    ];
    let r = b
        .post(&format!("/app/directives/d-{tag}/held/0"), &held)
        .await;
    if owns(writer, slug) {
        assert_eq!(
            r.status,
            303,
            "{writer} records {tag}'s review: {}",
            text(&r)
        );
    } else {
        assert_eq!(
            r.status,
            403,
            "{writer} records {tag}'s review: {}",
            text(&r)
        );
        assert!(text(&r).contains("ngoài phạm vi tỉnh"), "{}", text(&r));
    }
}

/// The web app's forms and its spreadsheet import, as a clerk of each of three provinces
/// would use them on the records of a merged province, an unchanged one, a former one and the
/// central ones.
#[tokio::test]
async fn the_web_app_keeps_each_clerk_to_their_provinces() {
    let s = Server::with(config()).await;
    seed(&s).await;
    let tags = [
        "bac-kan-2024",
        "thai-nguyen-2026",
        "ha-noi-2026",
        "yen-bai-2024",
        "central",
    ];
    with_milestones(&s, &tags).await;
    for writer in ["thai-nguyen", "ha-noi", "lao-cai"] {
        let mut b = Browser::signed_in(&s, &secret(writer)).await;
        for (slug, _, tag) in units().into_iter().filter(|u| tags.contains(&u.2.as_str())) {
            let mine = owns(writer, Some(slug.unwrap_or("ha-noi")));
            // The model's form, its province changed to the clerk's own.
            let path = format!("/app/models/m-{tag}/edit");
            let page = b.get(&path).await;
            assert_eq!(
                page.status == 200,
                mine,
                "{writer} opens {tag}: {}",
                page.status
            );
            let token = csrf(&b.get("/app/models/new").await);
            let form = [
                ("csrf", token.as_str()),
                ("name", "Của tôi"),
                ("province", writer),
                ("owning_unit", "Hội Nông dân"),
                ("field", "kinh tế"),
                ("start_year", "2026"),
                ("revision", "1000000"),
            ];
            let r = b.post(&path, &form).await;
            if mine {
                assert_ne!(r.status, 403, "{writer} saves {tag}: {}", text(&r));
            } else {
                assert_eq!(r.status, 403, "{writer} takes over {tag}: {}", text(&r));
                assert!(text(&r).contains("ngoài phạm vi tỉnh"), "{}", text(&r));
            }
            // A spreadsheet holding the model under its ID but the clerk's province: the stored
            // record decides (this was the hole: only the file's province was checked).
            let csv = format!(
                "Mã;Tên mô hình;Tỉnh;Đơn vị xây dựng;Lĩnh vực;Năm bắt đầu\r\nm-{tag};Lấy về;{writer};Hội Nông dân;kinh tế;2026\r\n"
            );
            let r = b
                .upload(&[("csrf", &token)], ("mo-hinh.csv", csv.as_bytes()))
                .await;
            if mine {
                assert_eq!(r.status, 200, "{writer} imports {tag}: {}", text(&r));
            } else {
                assert_eq!(r.status, 422, "{writer} imports {tag}: {}", text(&r));
                let t = text(&r);
                assert!(
                    t.contains("mo-hinh.csv:2") && t.contains("ngoài phạm vi tỉnh"),
                    "{t}"
                );
            }
            records_held(&mut b, writer, slug, &tag, &token).await;
            // A conference of the clerk's own province reviewing the unit's directive.
            let conf = [
                ("csrf", token.as_str()),
                ("id", &*format!("web-{writer}-{tag}")),
                ("title", "Hội nghị chuyên đề"),
                ("kinds", "chuyên đề"),
                ("date", "2/5/2026"),
                ("province", writer),
                ("hosts", "Ban Dân vận"),
                ("format.mode", "in_person"),
                ("reviewed_directives", &*format!("d-{tag}")),
            ];
            let r = b.post("/app/conferences/new", &conf).await;
            let refers = owns(writer, slug) || slug.is_none();
            if refers {
                assert_eq!(r.status, 303, "{writer} refers to {tag}: {}", text(&r));
            } else {
                assert_eq!(r.status, 403, "{writer} refers to {tag}: {}", text(&r));
                assert!(
                    text(&r).contains(&format!("văn bản chỉ đạo d-{tag}")),
                    "{}",
                    text(&r)
                );
            }
        }
    }
    s.stop().await;
}

/// Between a web import's dry run and its commit, the record it would replace became another
/// province's: the commit is refused, nothing is written, and the clerk is told which record.
#[tokio::test]
async fn a_web_import_is_checked_again_when_it_commits() {
    let s = Server::with(config()).await;
    seed(&s).await;
    let mut b = Browser::signed_in(&s, &secret("thai-nguyen")).await;
    let token = csrf(&b.get("/app/import").await);
    let csv = "Mã;Tên mô hình;Tỉnh;Đơn vị xây dựng;Lĩnh vực;Năm bắt đầu\r\nm-thai-nguyen-2026;Đổi tên;Thái Nguyên;Hội Nông dân;kinh tế;2026\r\n";
    let dry = b
        .upload(&[("csrf", &token)], ("mo-hinh.csv", csv.as_bytes()))
        .await;
    assert_eq!(dry.status, 200, "{}", text(&dry));
    let pending = hidden(&dry, "pending");
    // Meanwhile an administrator moves the record to Hà Nội.
    let moved = model("thai-nguyen-2026", "ha-noi", 2026, "Mô hình");
    let r = s
        .write(
            "PUT",
            "/v1/models/m-thai-nguyen-2026",
            ADMIN,
            &moved.to_string(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let done = b
        .post(
            "/app/import/commit",
            &[("csrf", &token), ("pending", &pending)],
        )
        .await;
    assert_eq!(done.status, 409, "{}", text(&done));
    let t = text(&done);
    assert!(
        t.contains("mo-hinh.csv:2") && t.contains("ngoài phạm vi tỉnh") && t.contains("Hà Nội"),
        "{t}"
    );
    let now = s.get("/v1/models/m-thai-nguyen-2026").await.json();
    assert_eq!(now["province"], "ha-noi");
    assert_eq!(now["name"], "Mô hình");
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
