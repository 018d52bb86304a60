//! One access rule on the web app's write paths: a clerk bound to a province changes, through
//! the forms, the review form and the spreadsheet import, exactly the records of the units that
//! became that province on today's map — refused in Vietnamese otherwise — and an import is
//! checked again when it commits. (The API's paths: `danvan-http`'s access tests.)

use crate::bound::{config, model, owns, secret, seed, send, units};
use crate::web::{Browser, csrf, hidden, text};
use crate::{ADMIN, Server};

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
