//! People in the web app (issue 30, point 5): a board's administrator signs in with a password,
//! adds a district's clerk and the board's approver; the clerk sees and sends only the
//! district's report, cannot approve it nor open another district's; the approver returns and
//! approves; a disabled user or a changed password ends the sessions signed in before.

use danvan_core::province::ProvinceRef;
use danvan_core::user::{Role, Seat, User};
use danvan_store::Store;

use crate::web::{Browser, csrf, hidden, text};
use crate::{ADMIN, Server};

const ADMIN_PASSWORD: &str = "Quản trị Thái Nguyên 2025";
const CLERK_PASSWORD: &str = "Định Hóa nhập liệu 01";
const APPROVER_PASSWORD: &str = "người duyệt của Ban";

/// Thái Nguyên's board administrator, added as `danvan user add` adds the first one.
fn seed_admin(server: &Server) {
    let mut admin = User::new(
        "tn.quantri",
        "Nguyễn Văn An",
        Role::Admin,
        Seat::Board {
            province: Some(ProvinceRef::new("thai-nguyen")),
        },
    )
    .unwrap();
    danvan_store::users::set_password(&mut admin, ADMIN_PASSWORD).unwrap();
    server.store.put_user(&admin, true).unwrap();
}

/// Signs in with a login and a password, as a person does; the reply to the form.
async fn sign_in(b: &mut Browser<'_>, login: &str, password: &str) -> crate::Reply {
    let page = b.get("/app/sign-in").await;
    assert!(text(&page).contains("Tên đăng nhập"), "{}", text(&page));
    b.post(
        "/app/sign-in",
        &[
            ("csrf", &csrf(&page)),
            ("login", login),
            ("password", password),
            ("next", "/app"),
        ],
    )
    .await
}

async fn signed_in<'a>(server: &'a Server, login: &str, password: &str) -> Browser<'a> {
    let mut b = Browser::new(server);
    let r = sign_in(&mut b, login, password).await;
    assert_eq!(r.status, 303, "{login}: {}", text(&r));
    b
}

/// The administrator adds a user through the users page; the reply.
async fn add_user(
    b: &mut Browser<'_>,
    login: &str,
    name: &str,
    role: &str,
    seat: &str,
    password: &str,
) -> crate::Reply {
    let page = b.get("/app/users").await;
    assert_eq!(page.status, 200, "{}", text(&page));
    b.post(
        "/app/users",
        &[
            ("csrf", &csrf(&page)),
            ("login", login),
            ("name", name),
            ("role", role),
            ("seat", seat),
            ("password", password),
        ],
    )
    .await
}

#[tokio::test]
async fn an_administrator_adds_people_and_each_does_only_their_part() {
    let server = Server::start().await;
    seed_admin(&server);
    // A wrong password, or an unknown login, is one answer.
    let mut b = Browser::new(&server);
    for (login, password) in [
        ("tn.quantri", "sai mật khẩu rồi"),
        ("khong-co", ADMIN_PASSWORD),
    ] {
        let r = sign_in(&mut b, login, password).await;
        assert_eq!(r.status, 401);
        assert!(
            r.body.contains(&format!("value=\"{login}\"")),
            "the login typed is kept"
        );
        assert!(
            text(&r).contains("Tên đăng nhập hoặc mật khẩu không đúng."),
            "{}",
            text(&r)
        );
    }
    let mut admin = signed_in(&server, "tn.quantri", ADMIN_PASSWORD).await;
    let home = admin.get("/app").await;
    assert!(
        text(&home).contains("Nguyễn Văn An (tn.quantri)"),
        "{}",
        text(&home)
    );
    assert!(home.body.contains("href=\"/app/users\""));
    let page = admin.get("/app/users").await;
    let t = text(&page);
    assert!(
        t.contains("Ban Tuyên giáo và Dân vận Tỉnh ủy Thái Nguyên") && t.contains("huyện Định Hóa"),
        "{t}"
    );
    assert!(
        !page.body.contains("board:lang-son"),
        "a province's admin seats no one elsewhere"
    );
    let added = add_user(
        &mut admin,
        "dinh-hoa.nhaplieu",
        "Lê Thị Hoa",
        "clerk",
        "unit:tn-dinh-hoa",
        CLERK_PASSWORD,
    )
    .await;
    assert_eq!(added.status, 303, "{}", text(&added));
    let added = add_user(
        &mut admin,
        "tn.duyet",
        "Trần Văn Bình",
        "approver",
        "board",
        APPROVER_PASSWORD,
    )
    .await;
    assert_eq!(added.status, 303, "{}", text(&added));
    refusals_are_said_and_nothing_is_written(&mut admin).await;
    let logins: Vec<String> = server
        .store
        .users()
        .unwrap()
        .into_iter()
        .map(|u| u.login)
        .collect();
    assert_eq!(logins, ["dinh-hoa.nhaplieu", "tn.duyet", "tn.quantri"]);
    let stored = server.store.user("dinh-hoa.nhaplieu").unwrap().unwrap();
    assert!(stored.password.starts_with("$argon2id$") && !stored.password.contains(CLERK_PASSWORD));
    a_unit_and_its_board_go_through_a_report(&server).await;
    sessions_end_when_a_user_is_disabled_or_their_password_changes(&server, &mut admin).await;
    server.stop().await;
}

/// Refused, each said in Vietnamese, nothing written: a taken login, a short password, a
/// login with diacritics, a seat in another province (typed by hand: the page offers none).
async fn refusals_are_said_and_nothing_is_written(admin: &mut Browser<'_>) {
    for (login, seat, password, said) in [
        (
            "tn.duyet",
            "board",
            "mười ký tự trở lên",
            "Tên đăng nhập “tn.duyet” đã có người dùng.",
        ),
        (
            "ngan",
            "board",
            "ngắn",
            "Mật khẩu có 4 ký tự; cần ít nhất 10 ký tự.",
        ),
        (
            "Có Dấu",
            "board",
            "mười ký tự trở lên",
            "Tên đăng nhập “có dấu” không hợp lệ",
        ),
        (
            "ls.nhaplieu",
            "board:lang-son",
            "mười ký tự trở lên",
            "Nơi công tác này ngoài phạm vi Ban của anh/chị.",
        ),
    ] {
        let r = add_user(admin, login, "Ai Đó", "clerk", seat, password).await;
        assert_eq!(r.status, 422, "{login}");
        let t = text(&r);
        assert!(t.contains(said), "{login}: {t}");
        // What was typed is kept, except the password.
        assert!(
            r.body.contains("value=\"Ai Đó\"") && !r.body.contains(password),
            "{login}"
        );
    }
}

/// The district's clerk begins, fills and sends; cannot approve it, nor open Phú Lương's;
/// the approver returns it, the clerk sends again, the approver approves.
async fn a_unit_and_its_board_go_through_a_report(server: &Server) {
    let form = server
        .write(
            "POST",
            "/v1/forms",
            ADMIN,
            r#"{"id": "tn-6-thang-huyen", "name": "Báo cáo 6 tháng (cấp huyện)",
                "province": "thai-nguyen", "period_kind": "half", "level": "district",
                "indicators": ["dialogues_held"], "due_days_after_end": -15}"#,
        )
        .await;
    assert_eq!(form.status, 201, "{}", form.body);
    // Phú Lương's report, begun by the board: not the clerk's to see.
    let other = server
        .write(
            "POST",
            "/v1/forms/tn-6-thang-huyen/submissions",
            ADMIN,
            r#"{"unit": "tn-phu-luong", "period": "2025S1"}"#,
        )
        .await;
    assert_eq!(other.status, 201, "{}", other.body);
    let mut clerk = signed_in(server, "dinh-hoa.nhaplieu", CLERK_PASSWORD).await;
    let owed = clerk.get("/app/completeness?period=2025S1").await;
    let t = text(&owed);
    assert!(
        t.contains("huyện Định Hóa") && !t.contains("huyện Phú Lương"),
        "{t}"
    );
    assert!(t.contains("0/1 đơn vị đã gửi"), "{t}");
    let token = csrf(&owed);
    let begun = clerk
        .post(
            "/app/forms/tn-6-thang-huyen/begin",
            &[
                ("csrf", &token),
                ("unit", "tn-dinh-hoa"),
                ("period", "2025S1"),
            ],
        )
        .await;
    assert_eq!(begun.status, 303, "{}", text(&begun));
    let sub = "/app/submissions/tn-tn-dinh-hoa-2025s1-tn-6-thang-huyen";
    let refused = clerk
        .get("/app/submissions/tn-tn-phu-luong-2025s1-tn-6-thang-huyen")
        .await;
    assert_eq!(refused.status, 403);
    assert!(
        text(&refused).contains("Báo cáo này là của đơn vị khác"),
        "{}",
        text(&refused)
    );
    clerk_enters_the_figure(&mut clerk, &token).await;
    clerk_attaches_the_signed_original(server, &mut clerk, &token).await;
    let page = clerk.get(sub).await;
    assert!(page.body.contains("value=\"send\"") && !page.body.contains("value=\"approve\""));
    step(&mut clerk, sub, "send", "", 303).await;
    // Approving one's own report by hand: refused, in Vietnamese.
    let r = step(&mut clerk, sub, "approve", "", 403).await;
    assert!(
        text(&r).contains("không được trả lại, duyệt hoặc mở khóa báo cáo"),
        "{}",
        text(&r)
    );
    assert_eq!(
        clerk.get("/app/queue").await.status,
        403,
        "a unit approves nothing"
    );
    let mut approver = signed_in(server, "tn.duyet", APPROVER_PASSWORD).await;
    let queue = text(&approver.get("/app/queue").await);
    assert!(
        queue.contains("1 báo cáo chờ duyệt")
            && queue.contains("huyện Định Hóa — Báo cáo 6 tháng (cấp huyện), 6 tháng đầu năm 2025")
            && queue.contains("Lê Thị Hoa (dinh-hoa.nhaplieu)"),
        "{queue}"
    );
    let api = server
        .get("/v1/queue?province=Th%C3%A1i%20Nguy%C3%AAn")
        .await
        .json();
    assert_eq!(api["items"][0]["name"], "huyện Định Hóa", "{api}");
    step(
        &mut approver,
        sub,
        "return",
        "Thiếu số cuộc đối thoại cấp xã",
        303,
    )
    .await;
    step(&mut clerk, sub, "send", "", 303).await;
    step(&mut approver, sub, "approve", "", 303).await;
    assert!(text(&approver.get("/app/queue").await).contains("Không có báo cáo nào chờ duyệt."));
    let history = text(&approver.get(sub).await);
    assert!(
        history.contains("Lê Thị Hoa (dinh-hoa.nhaplieu)")
            && history.contains("Trần Văn Bình (tn.duyet)"),
        "{history}"
    );
}

/// The clerk enters the district's figure in the web form; another district's is refused.
async fn clerk_enters_the_figure(clerk: &mut Browser<'_>, token: &str) {
    let figure = |unit: &'static str, value: &'static str| {
        vec![
            ("csrf", token.to_string()),
            ("id", String::new()),
            ("indicator", "dialogues_held".to_string()),
            ("province", "Thái Nguyên".to_string()),
            ("unit.name", unit.to_string()),
            ("unit.level", "huyện".to_string()),
            ("period", "6 tháng đầu năm 2025".to_string()),
            ("value", value.to_string()),
        ]
    };
    let pairs = figure("Phú Lương", "3");
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let not_mine = clerk.post("/app/observations/new", &refs).await;
    assert_ne!(not_mine.status, 303, "{}", text(&not_mine));
    // The district's own figure goes in the report's entry grid: a number that cannot be read
    // is named with its indicator, nothing written; then 1.011 (as offices write it) is.
    let sub = "/app/submissions/tn-tn-dinh-hoa-2025s1-tn-6-thang-huyen";
    let page = clerk.get(sub).await;
    assert!(text(&page).contains("Nhập số liệu"), "{}", text(&page));
    assert!(
        page.body.contains(
            "<h1>Báo cáo 6 tháng (cấp huyện) — huyện Định Hóa — 6 tháng đầu năm 2025</h1>"
        ),
        "a report is titled in words"
    );
    let bad = clerk
        .post(
            &format!("{sub}/figures"),
            &[("csrf", token), ("figure.dialogues_held.value", "mười một")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        text(&bad).contains("Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân — Giá trị: “mười một” không phải là số"),
        "{}",
        text(&bad)
    );
    let mine = clerk
        .post(
            &format!("{sub}/figures"),
            &[("csrf", token), ("figure.dialogues_held.value", "1.011")],
        )
        .await;
    assert_eq!(mine.status, 303, "{}", text(&mine));
    let page = clerk.get(sub).await;
    assert!(
        page.body.contains("value=\"1.011\""),
        "the grid shows what was written"
    );
}

/// The clerk attaches the signed report: a text file is refused in Vietnamese, a PDF is kept
/// and can be downloaded, from the web app and the API, byte for byte.
async fn clerk_attaches_the_signed_original(server: &Server, clerk: &mut Browser<'_>, token: &str) {
    let sub = "/app/submissions/tn-tn-dinh-hoa-2025s1-tn-6-thang-huyen";
    let page = clerk.get(sub).await;
    assert!(
        text(&page).contains("Chưa đính kèm bản gốc có chữ ký."),
        "{}",
        text(&page)
    );
    let path = format!("{sub}/original");
    let txt = clerk
        .upload_to(
            &path,
            &[("csrf", token)],
            ("bao-cao.txt", b"Bao cao 6 thang"),
        )
        .await;
    assert_eq!(txt.status, 422);
    assert!(
        text(&txt).contains("tệp không phải PDF hay DOCX"),
        "{}",
        text(&txt)
    );
    let pdf: &[u8] = b"%PDF-1.7\n(Bao cao cong tac dan van 6 thang - ban ky)\n%%EOF\n";
    let done = clerk
        .upload_to(&path, &[("csrf", token)], ("Báo cáo 6 tháng.pdf", pdf))
        .await;
    assert_eq!(done.status, 303, "{}", text(&done));
    let page = clerk.get(sub).await;
    assert!(
        text(&page).contains("Tải về: Báo cáo 6 tháng.pdf (1 KB)"),
        "{}",
        text(&page)
    );
    let got = clerk.get(&path).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.header("content-type"), Some("application/pdf"));
    assert_eq!(got.body.as_bytes(), pdf);
    let api = server
        .send(
            "GET",
            "/v1/submissions/tn-tn-dinh-hoa-2025s1-tn-6-thang-huyen/original",
            &[],
            None,
        )
        .await;
    assert_eq!(api.status, 200);
    assert!(
        api.header("repr-digest")
            .is_some_and(|d| d.starts_with("sha-256=:"))
    );
    assert!(
        api.header("content-disposition")
            .unwrap()
            .contains("filename*=UTF-8''B%C3%A1o")
    );
    // Through the API, with a token: a file that is not a PDF or a DOCX is refused.
    let refused = server
        .write(
            "PUT",
            "/v1/submissions/tn-tn-dinh-hoa-2025s1-tn-6-thang-huyen/original?file_name=x.pdf",
            crate::ADMIN,
            "{}",
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("neither a PDF nor a DOCX"),
        "{}",
        refused.body
    );
}

/// Takes `action` on the submission page `sub`; asserts the status; the reply.
async fn step(
    b: &mut Browser<'_>,
    sub: &str,
    action: &str,
    reason: &str,
    status: u16,
) -> crate::Reply {
    let page = b.get(sub).await;
    assert_eq!(page.status, 200, "{}", text(&page));
    // A page that offers no step has no revision to send back (a step typed by hand).
    let revision = if page.body.contains("name=\"revision\"") {
        hidden(&page, "revision")
    } else {
        String::new()
    };
    let r = b
        .post(
            &format!("{sub}/step"),
            &[
                ("csrf", &csrf(&page)),
                ("revision", &revision),
                ("action", action),
                ("reason", reason),
            ],
        )
        .await;
    assert_eq!(r.status, status, "{action}: {}", text(&r));
    r
}

async fn sessions_end_when_a_user_is_disabled_or_their_password_changes(
    server: &Server,
    admin: &mut Browser<'_>,
) {
    let mut clerk = signed_in(server, "dinh-hoa.nhaplieu", CLERK_PASSWORD).await;
    let mut approver = signed_in(server, "tn.duyet", APPROVER_PASSWORD).await;
    let change = |login: &'static str, pairs: Vec<(&'static str, &'static str)>| (login, pairs);
    for (login, pairs) in [
        change(
            "dinh-hoa.nhaplieu",
            vec![("role", "clerk"), ("active", "no")],
        ),
        change(
            "tn.duyet",
            vec![
                ("role", "approver"),
                ("active", "yes"),
                ("password", "mật khẩu mới của Bình"),
            ],
        ),
    ] {
        let page = admin.get("/app/users").await;
        let token = csrf(&page);
        let mut form = vec![("csrf", token.as_str())];
        form.extend(pairs);
        let r = admin.post(&format!("/app/users/{login}"), &form).await;
        assert_eq!(r.status, 303, "{}", text(&r));
    }
    for b in [&mut clerk, &mut approver] {
        let r = b.get("/app").await;
        assert_eq!(r.status, 303, "the session ended");
        assert!(r.header("location").unwrap().starts_with("/app/sign-in"));
    }
    let mut b = Browser::new(server);
    assert_eq!(
        sign_in(&mut b, "dinh-hoa.nhaplieu", CLERK_PASSWORD)
            .await
            .status,
        401
    );
    assert_eq!(
        sign_in(&mut b, "tn.duyet", APPROVER_PASSWORD).await.status,
        401
    );
    signed_in(server, "tn.duyet", "mật khẩu mới của Bình").await;
    // The administrator does not take away their own administration.
    let page = admin.get("/app/users").await;
    let r = admin
        .post(
            "/app/users/tn.quantri",
            &[("csrf", &csrf(&page)), ("role", "clerk"), ("active", "yes")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(text(&r).contains("tự bỏ quyền quản trị"), "{}", text(&r));
    // A clerk has no users page.
    let mut approver = signed_in(server, "tn.duyet", "mật khẩu mới của Bình").await;
    assert_eq!(approver.get("/app/users").await.status, 403);
}
