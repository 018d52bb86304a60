//! Tokens bound to provinces: a Thái Nguyên token writes Thái Nguyên's records, those of Bắc
//! Kạn from before the 2025 merger included, and nothing else — each refusal a 403 that names
//! the record and its province; an import holding any such record is refused whole.

use crate::{Server, THAI_NGUYEN};

fn model(id: &str, province: &str) -> String {
    format!(
        r#"{{"id": "{id}", "name": "Mô hình thử", "province": "{province}",
            "owning_unit": "Hội Nông dân xã", "field": "economy", "start_year": 2026}}"#
    )
}

#[tokio::test]
async fn a_province_token_writes_its_provinces_records_and_no_others() {
    let s = Server::start().await;
    let auth = format!("Bearer {THAI_NGUYEN}");
    let write = |method: &'static str, path: String, body: Option<String>| {
        let auth = auth.clone();
        let s = &s;
        async move {
            s.send(
                method,
                &path,
                &[
                    ("authorization", auth.as_str()),
                    ("content-type", "application/merge-patch+json"),
                ],
                body.as_deref(),
            )
            .await
        }
    };
    // Its own province: yes.
    let own = s
        .write(
            "POST",
            "/v1/models",
            THAI_NGUYEN,
            &model("tn-1", "thai-nguyen"),
        )
        .await;
    assert_eq!(own.status, 201, "{}", own.body);
    // Bắc Kạn's 2024 conference is Thái Nguyên's now: yes.
    let merged = write(
        "PATCH",
        "/v1/conferences/bk-2024-doi-thoai".into(),
        Some(r#"{"location": "Hội trường Tỉnh ủy"}"#.into()),
    )
    .await;
    assert_eq!(merged.status, 200, "{}", merged.body);

    // Another province's new record.
    let other = s
        .write("POST", "/v1/models", THAI_NGUYEN, &model("hn-1", "ha-noi"))
        .await;
    insta::assert_snapshot!("province_token_other_province", other.snapshot());
    // Taking Hà Nội's record into Thái Nguyên.
    let taken = s
        .write(
            "PUT",
            "/v1/models/hn-2018-tiep-dan",
            THAI_NGUYEN,
            &model("hn-2018-tiep-dan", "thai-nguyen"),
        )
        .await;
    assert_eq!(taken.status, 403, "{}", taken.body);
    assert!(
        taken.body.contains("hn-2018-tiep-dan is of ha-noi"),
        "{}",
        taken.body
    );
    // Changing or deleting Hà Nội's record.
    let patched = write(
        "PATCH",
        "/v1/models/hn-2018-tiep-dan".into(),
        Some(r#"{"name": "Đổi tên"}"#.into()),
    )
    .await;
    assert_eq!(patched.status, 403, "{}", patched.body);
    let deleted = write("DELETE", "/v1/models/hn-2018-tiep-dan".into(), None).await;
    assert_eq!(deleted.status, 403, "{}", deleted.body);
    // A central directive belongs to no province.
    let central = write(
        "PATCH",
        "/v1/directives/tw-23-qd-2021".into(),
        Some(r#"{"note": "x"}"#.into()),
    )
    .await;
    assert_eq!(central.status, 403, "{}", central.body);
    assert!(
        central.body.contains("no province (a central record)"),
        "{}",
        central.body
    );
    // Nothing of Hà Nội's changed.
    let hn = s.get("/v1/models/hn-2018-tiep-dan").await;
    assert_eq!(hn.json()["province"], "ha-noi");

    // An import (a dry run needs only write) with one record outside: refused whole, named.
    let dataset = format!(
        r#"{{"models": [{}, {}]}}"#,
        model("tn-2", "thai-nguyen"),
        model("hcm-1", "ho-chi-minh")
    );
    let import = s
        .write("POST", "/v1/import?dry_run=true", THAI_NGUYEN, &dataset)
        .await;
    insta::assert_snapshot!("province_token_import", import.snapshot());
    s.stop().await;
}
