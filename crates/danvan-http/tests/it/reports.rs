//! Reports through the API, with the report checker's findings: counted on every report
//! (`X-Report-Findings`), listed by `/v1/reports/check` (where, what, why, in the report's
//! language), and refusing the report under `strict=true`.

use crate::{ADMIN, READER, Server};

/// A conference of Thái Nguyên whose shortcoming, quoted by the report, holds a word typed
/// twice.
const SLIP: &str = r#"{"id": "tn-2024-09-20-so-ket-quy-iii", "kinds": ["thematic"],
    "title": "Hội nghị sơ kết công tác dân vận quý III năm 2024", "date": "2024-09-20",
    "province": "thai-nguyen", "hosts": ["Ban Dân vận Tỉnh ủy"],
    "shortcomings": ["Công tác nắm tình hình Nhân dân ở một số xã còn còn chậm"]}"#;

const REPORT: &str = "/v1/reports?period=2024&province=thai-nguyen&date=2025-01-10";

#[tokio::test]
async fn the_report_checker_counts_lists_and_under_strict_refuses() {
    let s = Server::start().await;
    let auth = format!("Bearer {READER}");
    let get = |path: String| {
        let auth = auth.clone();
        let s = &s;
        async move {
            s.send("GET", &path, &[("authorization", &auth)], None)
                .await
        }
    };
    // The demo's report: nothing to correct.
    let clean = get(REPORT.to_string()).await;
    assert_eq!(clean.status, 200, "{}", clean.body);
    assert_eq!(clean.header("x-report-findings"), Some("0"));
    let none = get(REPORT.replace("/v1/reports?", "/v1/reports/check?")).await;
    assert_eq!(none.json(), serde_json::json!({"findings": []}));
    // A slip in a conference's record reaches the report.
    let r = s.write("POST", "/v1/conferences", ADMIN, SLIP).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let counted = get(format!("{REPORT}&format=docx")).await;
    assert_eq!(counted.status, 200);
    assert_eq!(counted.header("x-report-findings"), Some("1"));
    let listed = get(REPORT.replace("/v1/reports?", "/v1/reports/check?")).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let f = &listed.json()["findings"][0];
    assert_eq!(f["rule"], "doubled_word");
    assert_eq!(f["place"], "IV. HẠN CHẾ VÀ NGUYÊN NHÂN");
    assert_eq!(f["what"], "Một từ lặp hai lần");
    assert!(
        f["detail"]
            .as_str()
            .unwrap()
            .starts_with("“còn còn” — “Công tác"),
        "{f}"
    );
    assert_eq!(f["why"], "lỗi đánh máy mà người ký sẽ phải sửa");
    let english = get(format!(
        "{}&lang=en",
        REPORT.replace("/v1/reports?", "/v1/reports/check?")
    ))
    .await;
    let f = &english.json()["findings"][0];
    assert_eq!(f["place"], "IV. SHORTCOMINGS AND CAUSES");
    assert_eq!(f["what"], "A word written twice");
    // Strict: refused, each finding in `errors`.
    let refused = get(format!("{REPORT}&strict=true")).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        refused.header("content-type"),
        Some("application/problem+json")
    );
    let p = refused.json();
    assert_eq!(p["errors"][0]["code"], "doubled_word");
    assert_eq!(p["errors"][0]["field"], "IV. HẠN CHẾ VÀ NGUYÊN NHÂN");
    s.stop().await;
}
