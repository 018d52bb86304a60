//! `POST /v1/ingest`: a text read into proposals whose every value carries its span and
//! quote (or its inference); the same call with `accept` writes them in one revision; what
//! cannot be written is refused with nothing written.

use crate::{ADMIN, Server};

const TEXT: &str = "Chiều 14/3, Ban Dân vận Tỉnh ủy Lào Cai tổ chức Hội nghị sơ kết 3 năm thực hiện Chỉ thị số 05-CT/TU, ngày 23/5/2021 của Ban Thường vụ Tỉnh ủy về nâng cao hiệu quả phong trào thi đua “Dân vận khéo”. Năm 2024, toàn tỉnh đã giải quyết 1.272/1.337 đơn, đạt trên 95%.";

fn body(extra: &str) -> String {
    format!(
        r#"{{"text": {}, "published": "15/3/2025", "url": "https://baolaocai.vn/tin/1"{extra}}}"#,
        serde_json::to_string(TEXT).unwrap()
    )
}

#[tokio::test]
async fn a_text_is_read_then_accepted() {
    let s = Server::start().await;
    let before = s.get("/v1/conferences").await.json()["total"].clone();
    let read = s.write("POST", "/v1/ingest", ADMIN, &body("")).await;
    assert_eq!(read.status, 200, "{}", read.body);
    let v = read.json();
    let text: Vec<char> = v["text"].as_str().unwrap().chars().collect();
    let proposals = v["reading"]["proposals"].as_array().unwrap().clone();
    let kinds: Vec<&str> = proposals
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["directive", "conference", "observation"],
        "{}",
        read.body
    );
    for p in &proposals {
        for value in p["values"].as_array().unwrap() {
            let e = &value["evidence"];
            match e["type"].as_str().unwrap() {
                "stated" => {
                    let (a, b) = (
                        e["span"]["start"].as_u64().unwrap() as usize,
                        e["span"]["end"].as_u64().unwrap() as usize,
                    );
                    assert_eq!(
                        text[a..b].iter().collect::<String>(),
                        e["quote"].as_str().unwrap()
                    );
                }
                "inferred" => assert!(e["from"].is_string() && e["note"].is_string(), "{e}"),
                other => panic!("{other}"),
            }
        }
    }
    let date = proposals[1]["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["field"] == "date")
        .unwrap();
    assert_eq!(date["value"], "2025-03-14");
    assert_eq!(date["evidence"]["from"], "publication_date");
    // Nothing was written by reading.
    let after = s.get("/v1/conferences").await.json()["total"].clone();
    assert_eq!(before, after);

    let refused = s
        .write("POST", "/v1/ingest", ADMIN, &body(r#", "accept": ["p9"]"#))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    // The demo store already holds Lào Cai's 2024 figure: the reading says so.
    let p3 = &proposals[2];
    assert!(p3["existing"].is_string(), "{p3}");
    // A correction that makes a record invalid: refused, and nothing of the three is written.
    let invalid = s
        .write(
            "POST",
            "/v1/ingest",
            ADMIN,
            &body(r#", "accept": ["p1", "p2", "p3"], "edits": [{"proposal": "p2", "field": "format.connection_points", "value": "nhiều"}]"#),
        )
        .await;
    assert_eq!(invalid.status, 422, "{}", invalid.body);
    assert_eq!(s.get("/v1/conferences").await.json()["total"], before);
    let done = s
        .write("POST", "/v1/ingest", ADMIN, &body(r#", "accept": ["p1", "p2", "p3", "p2"], "edits": [{"proposal": "p2", "field": "location", "value": "Hội trường Tỉnh ủy"}]"#))
        .await;
    assert_eq!(done.status, 201, "{}", done.body);
    let written = done.json()["written"].as_array().unwrap().clone();
    assert_eq!(written.len(), 3, "{}", done.body);
    let figure = written.iter().find(|w| w["kind"] == "observation").unwrap();
    assert_eq!(figure["outcome"], "updated", "{}", done.body);
    assert_eq!(figure["id"], p3["existing"]);
    let conference = written.iter().find(|w| w["kind"] == "conference").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let directive = written.iter().find(|w| w["kind"] == "directive").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let c = s.get(&format!("/v1/conferences/{conference}")).await;
    let c = c.json();
    assert_eq!(c["location"], "Hội trường Tỉnh ủy", "{c}");
    assert_eq!(c["reviewed_directives"][0], directive.as_str(), "{c}");
    assert_eq!(c["figures"][0], p3["existing"], "{c}");
    // Read again: the directive and the conference are recognised.
    let again = s.write("POST", "/v1/ingest", ADMIN, &body("")).await;
    let p = again.json()["reading"]["proposals"].clone();
    assert_eq!(p[0]["existing"], directive.as_str());
    assert_eq!(p[1]["existing"], conference.as_str());
    s.stop().await;
}
