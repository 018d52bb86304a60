//! Writes: create, replace, patch, delete, import, with their guards, and what reaches the
//! store on disk.

use danvan_core::id::RecordId;
use danvan_core::record_kind::RecordKind;
use danvan_store::{JsonStore, Store};

use crate::{ADMIN, READER, Server, WRITER, snap};

const MODEL: &str = r#"{
  "id": "tn-2026-so-hoa-thon-xom",
  "name": "Dân vận khéo trong số hóa thôn, xóm",
  "province": "thai-nguyen",
  "owning_unit": "Ban Dân vận xã Phú Đình",
  "field": "economy",
  "start_year": 2026,
  "status": "registered"
}"#;

#[tokio::test]
async fn create_read_replace_patch_delete() {
    let s = Server::start().await;
    let created = s.write("POST", "/v1/models", WRITER, MODEL).await;
    snap!("create_model", created);
    let location = created.header("location").unwrap().to_string();
    let tag = created.header("etag").unwrap().to_string();
    let read = s.get(&location).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.header("etag"), Some(tag.as_str()));

    // Creating it again is a conflict.
    snap!(
        "create_model_again",
        s.write("POST", "/v1/models", WRITER, MODEL).await
    );

    // PUT with the current ETag replaces; with the old one, 412.
    let replaced_body = MODEL.replace("\"registered\"", "\"effective\"");
    let auth = format!("Bearer {WRITER}");
    let guarded = |etag: String| {
        vec![
            ("authorization".to_string(), auth.clone()),
            ("content-type".to_string(), "application/json".to_string()),
            ("if-match".to_string(), etag),
        ]
    };
    let h = guarded(tag.clone());
    let h: Vec<(&str, &str)> = h.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let replaced = s.send("PUT", &location, &h, Some(&replaced_body)).await;
    snap!("replace_model", replaced);
    let stale = s.send("PUT", &location, &h, Some(&replaced_body)).await;
    snap!("replace_model_stale", stale);

    // PATCH (merge patch) changes one field; a stale If-Match is refused.
    let patched = s
        .write(
            "PATCH",
            &location,
            WRITER,
            r#"{"owning_unit": "Hội Nông dân xã Phú Đình"}"#,
        )
        .await;
    snap!("patch_model", patched);
    assert_eq!(
        patched.json()["record"]["owning_unit"],
        "Hội Nông dân xã Phú Đình"
    );
    assert_eq!(patched.json()["record"]["status"], "effective");
    let stale = s
        .send("PATCH", &location, &h, Some(r#"{"start_year": 2025}"#))
        .await;
    assert_eq!(stale.status, 412, "{}", stale.body);
    snap!(
        "patch_invalid",
        s.write("PATCH", &location, WRITER, r#"{"start_year": "soon"}"#)
            .await
    );

    // DELETE, then it is gone.
    let deleted = s.write("DELETE", &location, WRITER, "").await;
    snap!("delete_model", deleted);
    snap!("deleted_model", s.get(&location).await);

    // What the API acknowledged is what the store on disk holds.
    let on_disk = JsonStore::open(s.store.root()).unwrap();
    let id = RecordId::new("tn-2026-so-hoa-thon-xom").unwrap();
    assert!(on_disk.get(RecordKind::Model, &id).unwrap().is_none());
    s.stop().await;
}

#[tokio::test]
async fn put_creates_and_if_none_match_star_only_creates() {
    let s = Server::start().await;
    let auth = format!("Bearer {WRITER}");
    let only_create = [
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
        ("if-none-match", "*"),
    ];
    let body = MODEL.replace("\"id\": \"tn-2026-so-hoa-thon-xom\",", "");
    let first = s
        .send(
            "PUT",
            "/v1/models/tn-2026-so-hoa-thon-xom",
            &only_create,
            Some(&body),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.json()["record"]["id"], "tn-2026-so-hoa-thon-xom");
    let second = s
        .send(
            "PUT",
            "/v1/models/tn-2026-so-hoa-thon-xom",
            &only_create,
            Some(&body),
        )
        .await;
    assert_eq!(second.status, 412, "{}", second.body);
    snap!(
        "put_id_mismatch",
        s.write("PUT", "/v1/models/another-id", WRITER, MODEL).await
    );
    s.stop().await;
}

#[tokio::test]
async fn deletes_keep_references_whole() {
    let s = Server::start().await;
    snap!(
        "delete_referenced",
        s.write("DELETE", "/v1/directives/tn-05-da-2021", WRITER, "")
            .await
    );
    let cascaded = s
        .write(
            "DELETE",
            "/v1/directives/tn-05-da-2021?cascade=true",
            WRITER,
            "",
        )
        .await;
    assert_eq!(cascaded.status, 200, "{}", cascaded.body);
    let changes = cascaded.json()["changes"].as_array().unwrap().len();
    assert!(changes > 1, "the referring conference was detached");
    let conference = s
        .get("/v1/conferences/tn-2023-so-ket-de-an-05")
        .await
        .json();
    assert!(conference.get("reviewed_directives").is_none());
    snap!(
        "delete_unknown",
        s.write("DELETE", "/v1/models/no-such-model", WRITER, "")
            .await
    );
    s.stop().await;
}

#[tokio::test]
async fn warnings_are_returned_with_the_write() {
    let s = Server::start().await;
    let body = r#"{"id": "tn-2026-one-stop-departments", "indicator": "one_stop_departments",
        "province": "thai-nguyen", "period": "2026", "numerator": 19, "denominator": 20,
        "stated": "96,00%"}"#;
    let r = s.write("POST", "/v1/observations", WRITER, body).await;
    snap!("observation_with_warning", r);
    s.stop().await;
}

#[tokio::test]
async fn bulk_import_is_all_or_nothing() {
    let s = Server::start().await;
    let good = format!(r#"{{"models": [{MODEL}]}}"#);
    let auth = |t: &str| format!("Bearer {t}");
    let post = |token: String, path: &'static str, body: String| {
        let s = &s;
        async move {
            s.send(
                "POST",
                path,
                &[
                    ("authorization", token.as_str()),
                    ("content-type", "application/json"),
                ],
                Some(&body),
            )
            .await
        }
    };
    // A dry run needs write; a real import needs admin.
    snap!(
        "import_dry_run",
        post(auth(WRITER), "/v1/import?dry_run=true", good.clone()).await
    );
    snap!(
        "import_needs_admin",
        post(auth(WRITER), "/v1/import", good.clone()).await
    );
    let before = s.store.revision().unwrap();
    let bad = format!(
        r#"{{"models": [{MODEL}, {{"id": "bad-one", "name": " ", "province": "atlantis", "field": "economy", "start_year": 2026, "status": "registered"}}]}}"#
    );
    let refused = post(auth(ADMIN), "/v1/import", bad).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    snap!("import_refused", refused);
    assert_eq!(s.store.revision().unwrap(), before, "nothing was written");
    let invalid = format!(
        r#"{{"models": [{}]}}"#,
        MODEL.replace(
            "\"field\": \"economy\"",
            "\"field\": \"economy\", \"colour\": \"red\""
        )
    );
    snap!(
        "import_unknown_field",
        post(auth(ADMIN), "/v1/import", invalid).await
    );
    let done = post(auth(ADMIN), "/v1/import", good).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.json()["created"], 1);
    // JSON Lines too, naming the line at fault.
    let lines = "{\"kind\": \"model\", \"record\": {\"id\": \"x\"}}\n";
    let r = s
        .send(
            "POST",
            "/v1/import?dry_run=true",
            &[
                ("authorization", auth(WRITER).as_str()),
                ("content-type", "application/x-ndjson"),
            ],
            Some(lines),
        )
        .await;
    snap!("import_jsonl_bad_line", r);
    // An export imports back unchanged.
    let export = s.get("/v1/export").await.body;
    let again = post(auth(WRITER), "/v1/import?dry_run=true", export).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json()["created"], 0);
    assert_eq!(again.json()["updated"], 0);
    let _ = READER;
    s.stop().await;
}

/// Records are answered from JSON kept by revision: a change — through the API, or written by
/// another process straight to the store's files — is what the next read answers, by ID and in
/// a list page, and a record deleted is gone from both.
#[tokio::test]
async fn a_read_after_a_change_never_answers_the_old_json() {
    let s = Server::start().await;
    let created = s.write("POST", "/v1/models", WRITER, MODEL).await;
    let location = created.header("location").unwrap().to_string();
    let list = "/v1/models?province=thai-nguyen&limit=1000";
    let status_in_list = |page: serde_json::Value| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["record"]["id"] == "tn-2026-so-hoa-thon-xom")
            .map(|i| i["record"]["status"].as_str().unwrap().to_string())
    };
    // Read twice: the second answer comes from the kept JSON.
    for _ in 0..2 {
        assert_eq!(s.get(&location).await.json()["status"], "registered");
        assert_eq!(
            status_in_list(s.get(list).await.json()).as_deref(),
            Some("registered")
        );
    }
    let effective = MODEL.replace("\"registered\"", "\"effective\"");
    let put = s.write("PUT", &location, WRITER, &effective).await;
    assert_eq!(put.status, 200, "{}", put.snapshot());
    assert_eq!(s.get(&location).await.json()["status"], "effective");
    assert_eq!(
        status_in_list(s.get(list).await.json()).as_deref(),
        Some("effective")
    );

    // Another process (here: a second handle on the same directory) writes.
    let other = JsonStore::open(&s.store_dir()).unwrap();
    let id = RecordId::new("tn-2026-so-hoa-thon-xom").unwrap();
    let mut record = other.get(RecordKind::Model, &id).unwrap().unwrap().record;
    if let danvan_core::dataset::AnyRecord::Model(m) = &mut record {
        m.name = "Dân vận khéo trong chuyển đổi số thôn, xóm".into();
    }
    other.put(record, danvan_store::Expected::Any).unwrap();
    let read = s.get(&location).await.json();
    assert_eq!(read["name"], "Dân vận khéo trong chuyển đổi số thôn, xóm");

    other
        .delete(RecordKind::Model, &id, danvan_store::Expected::Any, false)
        .unwrap();
    assert_eq!(s.get(&location).await.status, 404);
    assert_eq!(status_in_list(s.get(list).await.json()), None);
    s.stop().await;
}

/// A program can branch on what went wrong: each conflict has its own problem type and the
/// member it needs (the current revision, the records that refer).
#[tokio::test]
async fn conflicts_are_told_apart_by_type() {
    let s = Server::start().await;
    let created = s.write("POST", "/v1/models", WRITER, MODEL).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let again = s.write("POST", "/v1/models", WRITER, MODEL).await.json();
    assert_eq!(
        (again["type"].as_str(), again["status"].as_u64()),
        (Some("/problems/already-exists"), Some(409))
    );
    let revision = created.json()["revision"].as_u64().unwrap();
    assert_eq!(again["current_revision"].as_u64(), Some(revision));
    let referenced = s
        .write("DELETE", "/v1/directives/tn-05-da-2021", WRITER, "")
        .await
        .json();
    assert_eq!(referenced["type"], "/problems/still-referenced");
    assert_eq!(
        referenced["referenced_by"],
        serde_json::json!(["conference/tn-2023-so-ket-de-an-05"])
    );
    let auth = format!("Bearer {WRITER}");
    let stale = s
        .send(
            "PATCH",
            "/v1/models/tn-2026-so-hoa-thon-xom",
            &[
                ("authorization", &auth),
                ("content-type", "application/merge-patch+json"),
                ("if-match", "\"1\""),
            ],
            Some(r#"{"start_year": 2025}"#),
        )
        .await
        .json();
    assert_eq!(stale["type"], "/problems/precondition-failed");
    assert_eq!(stale["current_revision"].as_u64(), Some(revision));
    s.stop().await;
}

/// Clients that send only ASCII headers (Python's) give the reason percent-encoded as RFC 8187
/// writes it; a reason in another encoding is refused, never dropped.
#[tokio::test]
async fn a_change_reason_may_be_percent_encoded_and_is_never_dropped() {
    let s = Server::start().await;
    let auth = format!("Bearer {WRITER}");
    let reason = "UTF-8''Theo%20B%C3%A1o%20c%C3%A1o%20s%E1%BB%91%20115-BC%2FTU";
    let headers = [
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
        ("x-change-reason", reason),
    ];
    let created = s.send("POST", "/v1/models", &headers, Some(MODEL)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let history = s.get("/v1/models/tn-2026-so-hoa-thon-xom/history").await;
    assert_eq!(
        history.json()["items"][0]["reason"],
        "Theo Báo cáo số 115-BC/TU",
        "{}",
        history.body
    );
    let before = s.get("/v1/export").await.json()["revision"].clone();
    let latin1 = hyper::header::HeaderValue::from_bytes(b"s\xf6a theo k\xea ho\xe0ch").unwrap();
    let refused = s
        .send_raw_header(
            "PATCH",
            "/v1/models/tn-2026-so-hoa-thon-xom",
            &[
                ("authorization", &auth),
                ("content-type", "application/merge-patch+json"),
            ],
            ("x-change-reason", latin1),
            r#"{"start_year": 2025}"#,
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(refused.body.contains("X-Change-Reason"), "{}", refused.body);
    assert_eq!(s.get("/v1/export").await.json()["revision"], before);
    s.stop().await;
}

/// An import names every problem of every record in one answer, each with where it is in the
/// body, and writes nothing.
#[tokio::test]
async fn an_import_names_every_problem_of_every_record_at_once() {
    let s = Server::start().await;
    let admin = format!("Bearer {ADMIN}");
    let before = s.get("/v1/export").await.json()["revision"].clone();
    let good = r#"{"kind": "model", "record": {"id": "m-tot", "name": "Tốt", "province": "hue", "owning_unit": "Phường Phú Hội", "field": "other", "start_year": 2025}}"#;
    let lines = [
        good,
        r#"{"kind": "model", "record": {"id": "m-sai", "name": "Sai", "province": "hue", "owning_unit": "Phường", "field": "other", "start_year": "năm ngoái"}}"#,
        r#"{"kind": "model", "record": {"id": "#,
        r#"{"kind": "festival", "record": {}}"#,
        r#"{"kind": "model", "record": {"id": "m-tinh", "name": "Tỉnh lạ", "province": "atlantis", "owning_unit": "Phường", "field": "other", "start_year": 2025}, "revision": 3}"#,
    ]
    .join("\n");
    let r = s
        .send(
            "POST",
            "/v1/import",
            &[
                ("authorization", &admin),
                ("content-type", "application/x-ndjson"),
            ],
            Some(&lines),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let found: Vec<(String, String, String)> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["at"].as_str().unwrap_or("").to_string(),
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let at = |a: &str, f: &str, c: &str| (a.to_string(), f.to_string(), c.to_string());
    assert_eq!(
        found,
        [
            at("line 2", "start_year", "type"),
            at("line 3", "", "type"),
            at("line 4", "kind", "required"),
            // The store's own check of what did read (it has no line of its own).
            at("", "province", "province"),
        ],
        "{}",
        r.body
    );
    // A dataset: problems in two lists, named by their place.
    let dataset = r#"{"models": [{"id": "m-a", "name": "A", "province": "hue", "owning_unit": "P", "field": "kinh doanh", "start_year": 2025}],
        "directives": [{"id": "d-a", "number": "05-ĐA/TU", "doc_type": "Đề án", "issuer": "Tỉnh ủy", "title": "Đề án", "issued_on": "2021-04-12"},
                       {"id": "d-b", "number": 5, "doc_type": "Đề án", "issuer": "Tỉnh ủy", "title": "Đề án", "issued_on": "12/4/2021"}],
        "colours": []}"#;
    let r = s.write("POST", "/v1/import", ADMIN, dataset).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let mut found: Vec<(String, String, String)> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["at"].as_str().unwrap_or("").to_string(),
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            at("colours", "colours", "unknown-field"),
            at("directives[1]", "issued_on", "format"),
            at("directives[1]", "number", "type"),
            at("models[0]", "field", "not-a-choice"),
        ],
        "{}",
        r.body
    );
    assert_eq!(s.get("/v1/export").await.json()["revision"], before);
    s.stop().await;
}

/// An integrator registers a unit through the API, then its figure; a figure naming a unit the
/// registry lacks is a 422 whose error names the field, the stable code and the nearest name.
#[tokio::test]
async fn units_are_registered_through_the_api_before_their_figures() {
    let s = Server::start().await;
    let figure = |unit: &str| {
        serde_json::json!({"id": "lc-2024-bat-xat-dialogues", "indicator": "dialogues_held",
            "province": "lao-cai", "unit": {"name": unit, "level": "district"},
            "period": "2024", "value": 12})
        .to_string()
    };
    let refused = s
        .write("POST", "/v1/observations", WRITER, &figure("huyện Bát Xát"))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let problem = refused.json();
    let error = &problem["errors"][0];
    assert_eq!(error["code"], "unknown-unit", "{problem}");
    assert_eq!(error["field"], "unit.name", "{problem}");
    let unit = serde_json::json!({"id": "lc-bat-xat", "name": "huyện Bát Xát",
        "level": "district", "province": "lao-cai", "until": "2025-06-30"})
    .to_string();
    let created = s.write("POST", "/v1/units", WRITER, &unit).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.header("location"), Some("/v1/units/lc-bat-xat"));
    let near = s
        .write("POST", "/v1/observations", WRITER, &figure("huyện Bát Sát"))
        .await;
    assert_eq!(near.status, 422, "{}", near.body);
    assert!(
        near.body.contains("did you mean “huyện Bát Xát”?"),
        "{}",
        near.body
    );
    let ok = s
        .write("POST", "/v1/observations", WRITER, &figure("Bát Xát"))
        .await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    let listed = s
        .get("/v1/units?province=lao-cai&map=as_recorded")
        .await
        .json();
    let ids: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["record"]["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"lc-bat-xat"), "{listed}");
}
