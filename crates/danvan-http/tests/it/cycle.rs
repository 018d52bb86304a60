//! The reporting cycle through the API: the province's board sets a form; a district's report
//! is begun, refused while incomplete, sent, returned with a reason, sent again and approved;
//! two approvers at once: the second gets 412; the approved figure is refused with code
//! `locked`; completeness counts who sent.

use crate::{ADMIN, Server, THAI_NGUYEN};

#[tokio::test]
async fn a_district_report_goes_through_the_api() {
    let s = Server::start().await;
    let form = s
        .write(
            "POST",
            "/v1/forms",
            ADMIN,
            r#"{"id": "tn-6-thang-huyen", "name": "Báo cáo công tác dân vận 6 tháng (cấp huyện)",
                "province": "thai-nguyen", "period_kind": "half", "level": "district",
                "indicators": ["dialogues_held"],
                "sections": [{"key": "ket-qua", "title": "Kết quả thực hiện"}],
                "due_days_after_end": -15}"#,
        )
        .await;
    assert_eq!(form.status, 201, "{}", form.body);
    let begun = s
        .write(
            "POST",
            "/v1/forms/tn-6-thang-huyen/submissions",
            THAI_NGUYEN,
            r#"{"unit": "tn-dinh-hoa", "period": "2025S1"}"#,
        )
        .await;
    assert_eq!(begun.status, 201, "{}", begun.body);
    let id = begun.json()["id"].as_str().unwrap().to_string();
    let path = |action: &str| format!("/v1/submissions/{id}/{action}");
    // Sent empty: 422, every problem at its cell or section.
    let refused = s.write("POST", &path("send"), THAI_NGUYEN, "{}").await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let fields: Vec<String> = refused.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["figures.dialogues_held", "sections.ket-qua"]);
    let figure = s
        .write(
            "POST",
            "/v1/observations",
            THAI_NGUYEN,
            r#"{"id": "dh-2025s1-doi-thoai", "indicator": "dialogues_held", "province": "thai-nguyen",
                "unit": {"name": "Định Hóa", "level": "district"}, "period": "2025S1", "value": 11}"#,
        )
        .await;
    assert_eq!(figure.status, 201, "{}", figure.body);
    let written = s
        .write(
            "PATCH",
            &format!("/v1/submissions/{id}"),
            THAI_NGUYEN,
            r#"{"sections": [{"key": "ket-qua", "text": "Tổ chức 11 cuộc đối thoại với Nhân dân."}]}"#,
        )
        .await;
    assert_eq!(written.status, 200, "{}", written.body);
    let sent = s.write("POST", &path("send"), THAI_NGUYEN, "{}").await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let no_reason = s.write("POST", &path("return"), ADMIN, "{}").await;
    assert_eq!(no_reason.status, 422, "{}", no_reason.body);
    let returned = s
        .write(
            "POST",
            &path("return"),
            ADMIN,
            r#"{"reason": "Số cuộc đối thoại chưa khớp báo cáo của xã"}"#,
        )
        .await;
    assert_eq!(returned.status, 200, "{}", returned.body);
    assert_eq!(
        s.write("POST", &path("send"), THAI_NGUYEN, "{}")
            .await
            .status,
        200
    );
    two_approvers_at_once(&s, &id).await;
    // The approved figure is locked.
    let edit = s
        .write(
            "PATCH",
            "/v1/observations/dh-2025s1-doi-thoai",
            THAI_NGUYEN,
            r#"{"value": 12}"#,
        )
        .await;
    assert_eq!(edit.status, 422, "{}", edit.body);
    let error = &edit.json()["errors"][0];
    assert_eq!(error["code"], "locked", "{}", edit.body);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains(", approved by "),
        "{}",
        edit.body
    );
    completeness_counts(&s).await;
    s.stop().await;
}

/// Two approvers who read the same revision: one wins, the other gets 412.
async fn two_approvers_at_once(s: &Server, id: &str) {
    // Two approvers who read the same revision: one wins, the other gets 412.
    let read = s.get(&format!("/v1/submissions/{id}")).await;
    let etag = read.header("etag").unwrap().to_string();
    let approve = |token: &'static str| {
        let etag = etag.clone();
        let path = format!("/v1/submissions/{id}/approve");
        async move {
            let auth = format!("Bearer {token}");
            s.send(
                "POST",
                &path,
                &[
                    ("authorization", auth.as_str()),
                    ("content-type", "application/json"),
                    ("if-match", etag.as_str()),
                ],
                Some("{}"),
            )
            .await
            .status
        }
    };
    let (a, b) = tokio::join!(approve(ADMIN), approve(crate::WRITER));
    let mut statuses = [a, b];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412]);
}

/// Nine districts owe the report; one is approved, eight are overdue after the due day.
async fn completeness_counts(s: &Server) {
    let view = s
        .get("/v1/completeness?period=2025S1&province=thai-nguyen&as_of=2025-06-20")
        .await;
    assert_eq!(view.status, 200, "{}", view.body);
    let v = view.json();
    assert_eq!(v["items"].as_array().unwrap().len(), 9);
    assert_eq!(v["counts"]["approved"], 1);
    assert_eq!(v["counts"]["overdue"], 8);
}
