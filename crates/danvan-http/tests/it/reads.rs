//! Reads: every GET route on the demo store, with its headers.

use crate::{Server, snap};

#[tokio::test]
async fn pages_and_health() {
    let s = Server::start().await;
    let home = s.get("/").await;
    snap!("landing_page", home);
    assert!(home.body.contains("/docs") && home.body.contains("/openapi.json"));
    for (_, href) in danvan_http::EXAMPLES {
        assert!(home.body.contains(&href.replace('&', "&amp;")), "{href}");
        let r = s.get(href).await;
        assert_eq!(r.status, 200, "{href}: {}", r.body);
    }
    let docs = s.get("/docs").await;
    assert_eq!(docs.status, 200);
    assert!(docs.body.contains("fetch(\"/openapi.json\")"));
    snap!("healthz", s.get("/healthz").await);
    snap!("readyz", s.get("/readyz").await);
    let page = s.get("/problems/precondition-failed").await;
    assert!(page.body.contains("412 Precondition failed"));
    assert!(
        s.get("/healthz").await.header("x-request-id").is_some(),
        "every response carries a request ID"
    );
    let echoed = s
        .send("GET", "/healthz", &[("x-request-id", "portal-42")], None)
        .await;
    assert_eq!(echoed.header("x-request-id"), Some("portal-42"));
    s.stop().await;
}

#[tokio::test]
async fn provinces_on_either_map() {
    let s = Server::start().await;
    let today = s.get("/v1/provinces").await;
    assert_eq!(today.json()["items"].as_array().unwrap().len(), 34);
    assert_eq!(today.json()["total"], 34);
    snap!("provinces_today", today);
    let before = s.get("/v1/provinces?at=2024-06-01").await;
    assert_eq!(before.json()["items"].as_array().unwrap().len(), 63);
    snap!(
        "province_thai_nguyen",
        s.get("/v1/provinces/thai-nguyen").await
    );
    snap!(
        "province_bac_kan_by_name",
        s.get("/v1/provinces/B%E1%BA%AFc%20K%E1%BA%A1n?at=2024-01-01")
            .await
    );
    // A merged province's slug still names it.
    assert_eq!(
        s.get("/v1/provinces/bac-kan").await.json()["successor"],
        "thai-nguyen"
    );
    snap!("province_unknown", s.get("/v1/provinces/atlantis").await);
    s.stop().await;
}

#[tokio::test]
async fn lists_filter_sort_and_page() {
    let s = Server::start().await;
    snap!(
        "conferences_thai_nguyen_2024",
        s.get("/v1/conferences?province=thai-nguyen&period=2024&fields=id,title,date,province")
            .await
    );
    let as_recorded = s
        .get("/v1/conferences?province=thai-nguyen&map=as_recorded&period=2024&fields=id")
        .await
        .json();
    let rolled_up = s
        .get("/v1/conferences?province=thai-nguyen&period=2024&fields=id")
        .await
        .json();
    assert!(as_recorded["total"].as_u64() < rolled_up["total"].as_u64());

    // Follow `next` links to the end: every record once, in order.
    let mut seen = Vec::new();
    let mut link = Some("/v1/models?sort=title&limit=4&fields=id".to_string());
    while let Some(l) = link {
        let page = s.get(&l).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let v = page.json();
        if let Some(next) = v["next"].as_str() {
            let header = page.header("link").unwrap();
            assert_eq!(header, format!("<{next}>; rel=\"next\""));
        }
        seen.extend(
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["record"]["id"].as_str().unwrap().to_string()),
        );
        link = v["next"].as_str().map(str::to_string);
    }
    let all = s
        .get("/v1/models?sort=title&limit=100&fields=id")
        .await
        .json();
    let expected: Vec<String> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["record"]["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(seen, expected);
    assert_eq!(seen.len(), 14);

    snap!(
        "models_economy_desc",
        s.get("/v1/models?field=economy&sort=date&order=desc&limit=3&fields=id,name,start_year")
            .await
    );
    snap!(
        "conferences_by_kind",
        s.get("/v1/conferences?kind=six_month_review&fields=id,date")
            .await
    );
    snap!(
        "observations_since_until",
        s.get("/v1/observations?since=2024-01-01&until=2024-06-30&province=thai-nguyen&fields=id,period,numerator,denominator")
            .await
    );
    s.stop().await;
}

#[tokio::test]
async fn records_have_etags_and_answer_304() {
    let s = Server::start().await;
    let r = s.get("/v1/conferences/tn-2024-so-ket-6-thang").await;
    snap!("conference", r);
    let tag = r.header("etag").unwrap().to_string();
    let again = s
        .send(
            "GET",
            "/v1/conferences/tn-2024-so-ket-6-thang",
            &[("if-none-match", &tag)],
            None,
        )
        .await;
    snap!("conference_not_modified", again);
    // Lists too: a weak ETag from the store revision.
    let list = s.get("/v1/directives?fields=id").await;
    let tag = list.header("etag").unwrap().to_string();
    let again = s
        .send(
            "GET",
            "/v1/directives?fields=id",
            &[("if-none-match", &tag)],
            None,
        )
        .await;
    assert_eq!(again.status, 304);
    let head = s
        .send("HEAD", "/v1/conferences/tn-2024-so-ket-6-thang", &[], None)
        .await;
    assert_eq!((head.status, head.body.as_str()), (200, ""));
    s.stop().await;
}

#[tokio::test]
async fn search_due_indicators_reports() {
    let s = Server::start().await;
    snap!(
        "search",
        s.get("/v1/search?q=dan%20van%20kheo&limit=3&fields=id")
            .await
    );
    snap!(
        "search_types",
        s.get("/v1/search?q=Th%C3%A1i%20Nguy%C3%AAn&types=directive&limit=2&fields=id,title")
            .await
    );
    snap!(
        "due",
        s.get("/v1/directives/due?within=1y&as_of=2025-06-01").await
    );
    snap!(
        "due_thai_nguyen",
        s.get("/v1/directives/due?within=2y&as_of=2024-01-01&province=thai-nguyen")
            .await
    );
    // Built-in indicators are served though not stored, with their observations.
    snap!(
        "builtin_indicator",
        s.get("/v1/indicators/one_stop_departments").await
    );
    snap!(
        "indicator_observations",
        s.get("/v1/indicators/one_stop_departments/observations?period=2024&fields=id,province,numerator,denominator")
            .await
    );
    let catalogue = s.get("/v1/indicators/catalogue").await;
    assert_eq!(catalogue.json()["items"].as_array().unwrap().len(), 20);
    snap!("indicator_catalogue", catalogue);
    snap!(
        "stored_indicators",
        s.get("/v1/indicators?sort=id&fields=id,name").await
    );
    snap!(
        "report_markdown",
        s.get("/v1/reports?period=2024S1&province=thai-nguyen&date=2024-07-10")
            .await
    );
    let data = s
        .get("/v1/reports?period=2024&province=thai-nguyen&date=2025-01-10&format=json")
        .await;
    assert_eq!(data.status, 200);
    assert!(
        data.json()["indicators"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    s.stop().await;
}

#[tokio::test]
async fn reports_in_every_format_and_language() {
    let s = Server::start().await;
    let base = "/v1/reports?period=2024&province=thai-nguyen&date=2025-01-10";
    snap!(
        "report_csv_en",
        s.get(&format!("{base}&format=csv&lang=en")).await
    );
    let html = s.get(&format!("{base}&format=html")).await;
    assert_eq!(html.status, 200);
    assert_eq!(
        html.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(html.header("content-language"), Some("vi"));
    assert_eq!(
        html.header("content-disposition"),
        Some("inline; filename=\"bao-cao-thai-nguyen-2024-vi.html\"")
    );
    assert!(html.body.contains("<svg"));
    let docx = s.get(&format!("{base}&format=docx&lang=en")).await;
    assert_eq!(docx.status, 200);
    assert_eq!(
        docx.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    );
    assert_eq!(
        docx.header("content-disposition"),
        Some("attachment; filename=\"bao-cao-thai-nguyen-2024-en.docx\"")
    );
    assert!(docx.body.starts_with("PK"), "a ZIP package");
    let english = s.get(&format!("{base}&lang=en")).await;
    assert!(english.body.contains("# REPORT"), "{}", english.body);
    // The national report dated 10/1/2025, best figures first, on that date's map: the 63
    // provinces before the 2025 merger.
    let national = s
        .get("/v1/reports?period=2024&date=2025-01-10&order=value&format=json")
        .await;
    assert_eq!(national.status, 200);
    assert_eq!(national.json()["provinces"].as_array().unwrap().len(), 63);
    snap!(
        "report_bad_format",
        s.get(&format!("{base}&format=pdf")).await
    );
    snap!("report_bad_lang", s.get(&format!("{base}&lang=fr")).await);
    s.stop().await;
}

#[tokio::test]
async fn export_as_json_and_json_lines() {
    let s = Server::start().await;
    let all = s.get("/v1/export").await;
    assert_eq!(all.status, 200);
    let doc = all.json();
    assert_eq!(doc["format"], "danvan-export");
    assert_eq!(doc["conferences"].as_array().unwrap().len(), 21);
    snap!(
        "export_filtered",
        s.get("/v1/export?types=model&province=bac-kan&map=as_recorded")
            .await
    );
    snap!(
        "export_jsonl",
        s.get("/v1/export?format=jsonl&types=model&province=bac-kan&map=as_recorded")
            .await
    );
    let lines = s.get("/v1/export?format=jsonl&types=directive").await;
    assert_eq!(lines.header("content-type"), Some("application/x-ndjson"));
    assert_eq!(lines.body.lines().count(), 13);
    for l in lines.body.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["kind"], "directive");
    }
    s.stop().await;
}

/// Each record in an export carries its own revision (the ETag a read gives), in both forms,
/// and both forms import back as they are.
#[tokio::test]
async fn exports_carry_each_records_revision_and_import_back() {
    let s = Server::start().await;
    let patched = s
        .write(
            "PATCH",
            "/v1/models/hn-2018-tiep-dan",
            crate::WRITER,
            r#"{"name": "Tiếp dân, đối thoại trực tuyến định kỳ hằng tháng"}"#,
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    let etag = patched
        .header("etag")
        .unwrap()
        .trim_matches('"')
        .to_string();
    let doc = s.get("/v1/export").await.json();
    assert_eq!(
        doc["revisions"]["models"]["hn-2018-tiep-dan"].to_string(),
        etag
    );
    assert_eq!(doc["revisions"]["models"]["bk-2021-hoa-giai"], 1);
    let lines = s.get("/v1/export?format=jsonl").await;
    let line = lines
        .body
        .lines()
        .find(|l| l.contains("\"hn-2018-tiep-dan\""))
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["revision"].to_string(), etag);
    let records: usize = [
        "conferences",
        "directives",
        "indicators",
        "models",
        "observations",
        "units",
        "awards",
        "targets",
    ]
    .iter()
    .map(|k| doc[k].as_array().map_or(0, Vec::len))
    .sum();
    assert_eq!(lines.body.lines().count(), records);
    let admin = format!("Bearer {}", crate::ADMIN);
    for (media, body) in [
        ("application/json", doc.to_string()),
        ("application/x-ndjson", lines.body.clone()),
    ] {
        let r = s
            .send(
                "POST",
                "/v1/import?dry_run=true",
                &[("authorization", &admin), ("content-type", media)],
                Some(&body),
            )
            .await;
        assert_eq!(r.status, 200, "{media}: {}", r.body);
        assert_eq!(r.json()["unchanged"], records, "{media}: {}", r.body);
    }
    s.stop().await;
}
