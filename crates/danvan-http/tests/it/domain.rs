//! The domain's second pass over HTTP: one figure per key (422 naming the existing record),
//! reviews listed under their province and never once held, the reviewed period, search by
//! typed document numbers, and held reviews and unit figures in the JSON form.

use crate::{ADMIN, Server, WRITER};

const DUPLICATE: &str = r#"{"id": "tn-2024-one-stop-again", "indicator": "one_stop_communes",
  "province": "thai-nguyen", "period": "2024", "numerator": 170, "denominator": 178}"#;

#[tokio::test]
async fn a_second_figure_for_one_key_is_a_422_naming_the_existing_record() {
    let s = Server::start().await;
    let r = s.write("POST", "/v1/observations", WRITER, DUPLICATE).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let e = &r.json()["errors"][0];
    assert_eq!(e["record"], "observation/tn-2024-one-stop-again");
    assert_eq!(e["field"], "indicator");
    let message = e["message"].as_str().unwrap();
    assert!(
        message.contains("observation tn-2024-one-stop-communes already holds the figure"),
        "{message}"
    );
    // Import, dry run or not, refuses it too and writes nothing.
    let doc = format!(r#"{{"observations": [{DUPLICATE}]}}"#);
    for path in ["/v1/import?dry_run=true", "/v1/import"] {
        let r = s.write("POST", path, ADMIN, &doc).await;
        assert_eq!(r.status, 422, "{path}: {}", r.body);
        assert!(
            r.body.contains("tn-2024-one-stop-communes already holds"),
            "{}",
            r.body
        );
    }
    assert_eq!(
        s.get("/v1/observations/tn-2024-one-stop-again")
            .await
            .status,
        404
    );
    // Replacing the figure is an update of the record that holds it.
    let r = s
        .write(
            "PATCH",
            "/v1/observations/tn-2024-one-stop-communes",
            WRITER,
            r#"{"numerator": 170}"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn due_lists_reviews_under_their_province() {
    let s = Server::start().await;
    let r = s
        .get("/v1/directives/due?as_of=2026-11-26&within=3y&province=lao-cai")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let rows = r.json();
    let rows = rows["items"].as_array().unwrap();
    // Lào Cai's own review of the central resolution is Lào Cai's.
    assert!(
        rows.iter()
            .any(|x| x["directive"] == "tw-25-nq-2013" && x["province"] == "lao-cai"),
        "{rows:?}"
    );
    let r = s
        .get("/v1/directives/due?as_of=2026-11-26&within=3y&province=thai-nguyen")
        .await;
    let tn = r.json();
    let labels: Vec<(&str, &str)> = tn["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["directive"].as_str().unwrap(),
                x["milestone"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        labels.contains(&("tw-25-nq-2013", "tổng kết 15 năm")),
        "{labels:?}"
    );
    // Held reviews are never listed.
    assert!(
        !labels.contains(&("tw-25-nq-2013", "sơ kết 10 năm")),
        "{labels:?}"
    );
    assert!(
        !labels.contains(&("tn-31-kh-2023", "sơ kết giữa kỳ")),
        "{labels:?}"
    );
}

#[tokio::test]
async fn conferences_by_reviewed_period_and_documents_by_typed_number() {
    let s = Server::start().await;
    let r = s
        .get("/v1/conferences?reviewed_period=2025&sort=id&fields=id")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let ids: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["record"]["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "hn-2025-tong-ket-nam",
            "lc-2025-tong-ket-nam",
            "tn-2025-giao-ban-quy-3",
            "tn-2025-so-ket-6-thang"
        ]
    );
    let bad = s.get("/v1/conferences?reviewed_period=2025S3").await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("reviewed_period"), "{}", bad.body);
    let found = s
        .get("/v1/search?q=Ngh%E1%BB%8B%20quy%E1%BA%BFt%2025&fields=id")
        .await;
    assert!(found.body.contains("tw-25-nq-2013"), "{}", found.body);
}

#[tokio::test]
async fn held_reviews_and_unit_figures_in_the_json_form() {
    let s = Server::start().await;
    let d = s.get("/v1/directives/tw-25-nq-2013").await.json();
    let held = &d["milestones"][0]["held"];
    assert_eq!(held["on"], "2023-05-26");
    assert_eq!(held["document"]["number"], "115-BC/TU");
    assert_eq!(d["milestones"][0]["province"], "thai-nguyen");
    let o = s
        .get("/v1/observations/tn-2024-khoi-cq-complaints")
        .await
        .json();
    assert_eq!(o["unit"]["level"], "party_bloc");
    // A held review with no date and no conference is refused, field by field.
    let r = s
        .write(
            "PATCH",
            "/v1/directives/tn-31-kh-2023",
            WRITER,
            r#"{"milestones": [{"kind": "final", "due": "2025", "held": {"by": "Ban Dân vận Tỉnh ủy"}}]}"#,
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "milestones[0].held.on");
}

#[tokio::test]
async fn the_catalogue_is_searchable() {
    let s = Server::start().await;
    let r = s
        .get("/v1/indicators/catalogue?q=%C4%91%C6%A1n%20th%C6%B0%20gi%E1%BA%A3i%20quy%E1%BA%BFt")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let ids: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["complaints_resolved"]);
    let all = s.get("/v1/indicators/catalogue").await.json();
    assert_eq!(all["items"].as_array().unwrap().len(), 20);
    assert_eq!(all["total"], 20);
    assert_eq!(
        s.get("/v1/indicators/catalogue?colour=red").await.status,
        400
    );
}
