//! The web app as a browser meets it over a real socket: cookies kept between requests, forms
//! posted as a browser posts them, pages read as HTML.

use crate::{ADMIN, READER, Reply, Server, THAI_NGUYEN, WRITER};

/// A browser's cookie jar over one server.
pub(crate) struct Browser<'a> {
    server: &'a Server,
    cookies: Vec<(String, String)>,
}

/// Percent-encodes a form value as browsers do (`application/x-www-form-urlencoded`).
fn form_encode(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                    (b as char).to_string()
                }
                b' ' => "+".to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The hidden CSRF field of the first form of a page.
pub(crate) fn csrf(page: &Reply) -> String {
    hidden(page, "csrf")
}

/// The page's text without tags, with HTML escapes undone (for assertions on what a person
/// reads).
pub(crate) fn text(page: &Reply) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in page.body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl<'a> Browser<'a> {
    pub(crate) fn new(server: &'a Server) -> Browser<'a> {
        Browser {
            server,
            cookies: Vec::new(),
        }
    }

    /// Signs in with `token`, as a person would: the sign-in page, then its form.
    pub(crate) async fn signed_in(server: &'a Server, token: &str) -> Browser<'a> {
        let mut b = Browser::new(server);
        let page = b.get("/app/sign-in").await;
        assert_eq!(page.status, 200);
        let r = b
            .post(
                "/app/sign-in",
                &[("csrf", &csrf(&page)), ("token", token), ("next", "/app")],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.header("location"), Some("/app"));
        b
    }

    fn keep(&mut self, reply: &Reply) {
        for v in reply.headers.get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != name);
            if !value.is_empty() && !v.contains("Max-Age=0") {
                self.cookies.push((name.to_string(), value.to_string()));
            }
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub(crate) async fn get(&mut self, path: &str) -> Reply {
        let cookie = self.cookie_header();
        let r = self
            .server
            .send("GET", path, &[("cookie", &cookie)], None)
            .await;
        self.keep(&r);
        r
    }

    pub(crate) async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Reply {
        let cookie = self.cookie_header();
        let r = self
            .server
            .send(
                "POST",
                path,
                &[
                    ("cookie", &cookie),
                    ("content-type", "application/x-www-form-urlencoded"),
                ],
                Some(&form_encode(form)),
            )
            .await;
        self.keep(&r);
        r
    }
}

#[tokio::test]
async fn sign_in_takes_a_known_token_and_sets_a_strict_cookie() {
    let server = Server::start().await;
    let mut b = Browser::new(&server);
    let r = b.get("/app/conferences?q=so%20ket").await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some("/app/sign-in?next=/app/conferences%3Fq%3Dso%2520ket")
    );
    let page = b.get("/app/sign-in").await;
    assert!(text(&page).contains("Đăng nhập"), "{}", page.body);
    // A wrong token: the form again, saying so.
    let wrong = b
        .post(
            "/app/sign-in",
            &[("csrf", &csrf(&page)), ("token", "not-a-token")],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(text(&wrong).contains("Mã truy cập không đúng."));
    // A form whose token is not the one its page set (a forged sign-in) is refused.
    let forged = b
        .post("/app/sign-in", &[("csrf", "0123"), ("token", THAI_NGUYEN)])
        .await;
    assert_eq!(forged.status, 403);
    let page = b.get("/app/sign-in").await;
    let ok = b
        .post(
            "/app/sign-in",
            &[
                ("csrf", &csrf(&page)),
                ("token", THAI_NGUYEN),
                ("next", "/app/conferences"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert_eq!(ok.header("location"), Some("/app/conferences"));
    let cookie = ok
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("danvan_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
    // A `next` that leaves the app is not followed.
    let page = b.get("/app/sign-in").await;
    assert_eq!(page.status, 303, "already signed in");
    let dash = b.get("/app").await;
    assert_eq!(dash.status, 200);
    let t = text(&dash);
    assert!(t.contains("Tổng quan · Thái Nguyên"), "{t}");
    assert!(t.contains("Đăng nhập với thai-nguyen-portal"));
    assert_eq!(
        dash.header("content-security-policy")
            .map(|c| c.contains("default-src 'self'")),
        Some(true)
    );
    // Signing out ends the session.
    let csrf = csrf(&dash);
    let out = b.post("/app/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(b.get("/app").await.status, 303);
    server.stop().await;
}

#[tokio::test]
async fn sign_in_over_tls_marks_the_cookie_secure_and_never_sends_you_elsewhere() {
    let server = Server::start().await;
    let page = server.get("/app/sign-in").await;
    let cookie = page
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let r = server
        .send(
            "POST",
            "/app/sign-in",
            &[
                ("cookie", &cookie),
                ("content-type", "application/x-www-form-urlencoded"),
                ("x-forwarded-proto", "https"),
            ],
            Some(&form_encode(&[
                ("csrf", &csrf(&page)),
                ("token", READER),
                ("next", "//evil.example/app"),
            ])),
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/app"));
    assert!(
        r.headers.get_all("set-cookie").iter().any(|v| v
            .to_str()
            .unwrap()
            .starts_with("danvan_session=")
            && v.to_str().unwrap().contains("; Secure"))
    );
    server.stop().await;
}

/// The form fields of a conference as a clerk types them from a news article.
fn dialogue<'a>(csrf: &'a str, date: &'a str, hosts: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("id", "tn-2025-doi-thoai-nong-dan"),
        (
            "title",
            "Hội nghị đối thoại giữa Bí thư Tỉnh ủy với nông dân năm 2025",
        ),
        ("kinds", "đối thoại"),
        ("date", date),
        ("province", "Thái Nguyên"),
        ("hosts", hosts),
        (
            "chairs",
            "Trịnh Việt Hùng, Bí thư Tỉnh ủy\r\nPhạm Hoàng Sơn, Chủ tịch UBND tỉnh",
        ),
        ("format.mode", "online"),
        ("format.connection_points", "13"),
        ("location", "Hội trường Tỉnh ủy Thái Nguyên"),
        ("reason", "Nhập từ bản tin ngày 21/11/2025"),
    ]
}

/// The conference form sent again after it was saved: its ID is taken, said in Vietnamese
/// beside the ID field.
async fn the_same_id_again_is_refused(b: &mut Browser<'_>, token: &str) {
    let twice = b
        .post(
            "/app/conferences/new",
            &dialogue(token, "20/11/2025", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
        )
        .await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    assert!(
        text(&twice)
            .contains("Mã tn-2025-doi-thoai-nong-dan đã có trong mục Hội nghị: chọn mã khác"),
        "{}",
        text(&twice)
    );
}

#[tokio::test]
async fn a_clerk_enters_a_conference_fixes_a_mistake_and_finds_it() {
    let server = Server::start().await;
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    let form = b.get("/app/conferences/new").await;
    assert_eq!(form.status, 200);
    let t = text(&form);
    for label in [
        "Tên hội nghị",
        "Chủ trì",
        "Hình thức",
        "Số điểm cầu",
        "Đơn vị chủ trì",
    ] {
        assert!(t.contains(label), "{label}: {t}");
    }
    let token = csrf(&form);
    // 31 November does not exist, and the title was left out: both said at once, beside their
    // fields, and what was typed is kept. (The host may be left out: a source need not say.)
    let mut fields = dialogue(&token, "31/11/2025", "");
    fields.retain(|(name, _)| *name != "title");
    let bad = b.post("/app/conferences/new", &fields).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let t = text(&bad);
    assert!(t.contains("chưa có gì được lưu"), "{t}");
    assert!(t.contains("“31/11/2025” không phải là ngày"), "{t}");
    assert!(t.contains("Cần điền mục này"), "{t}");
    assert!(bad.body.contains("value=\"31&#x2f;11&#x2f;2025\""), "kept");
    assert!(bad.body.contains("Trịnh Việt Hùng, Bí thư Tỉnh ủy"), "kept");
    assert_eq!(bad.body.matches("aria-invalid=\"true\"").count(), 2);
    assert!(
        server
            .get("/v1/conferences/tn-2025-doi-thoai-nong-dan")
            .await
            .status
            == 404,
        "nothing stored"
    );
    // The dashboard as it was before (kept until the store changes).
    assert!(
        !text(&b.get("/app").await)
            .contains("Hội nghị đối thoại giữa Bí thư Tỉnh ủy với nông dân năm 2025")
    );
    // Fixed and saved.
    let ok = b
        .post(
            "/app/conferences/new",
            &dialogue(&token, "20/11/2025", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let at = ok.header("location").unwrap().to_string();
    assert_eq!(at, "/app/conferences/tn-2025-doi-thoai-nong-dan?saved=1");
    the_same_id_again_is_refused(&mut b, &token).await;
    let page = b.get(&at).await;
    let t = text(&page);
    for shown in [
        "Đã lưu.",
        "Trịnh Việt Hùng, Bí thư Tỉnh ủy",
        "Phạm Hoàng Sơn, Chủ tịch UBND tỉnh",
        "Trực tuyến",
        "Số điểm cầu 13",
        "Ngày 20/11/2025",
        "Tỉnh Thái Nguyên",
        "thai-nguyen-portal Nhập từ bản tin ngày 21/11/2025",
    ] {
        assert!(t.contains(shown), "{shown}: {t}");
    }
    let stored = server
        .get("/v1/conferences/tn-2025-doi-thoai-nong-dan")
        .await
        .json();
    assert_eq!(stored["format"]["connection_points"], 13);
    assert_eq!(stored["chairs"][1]["position"], "Chủ tịch UBND tỉnh");
    assert_eq!(stored["kinds"][0], "dialogue");
    // Found without diacritics, in the list and in the rows htmx asks for as one types.
    let list = b.get("/app/conferences?q=doi+thoai+nong+dan").await;
    assert!(text(&list).contains("Hội nghị đối thoại giữa Bí thư Tỉnh ủy với nông dân năm 2025"));
    let cookie = b.cookie_header();
    let rows = server
        .send(
            "GET",
            "/app/conferences?q=DOI%20THOAI%20nong%20dan",
            &[("cookie", &cookie), ("hx-request", "true")],
            None,
        )
        .await;
    assert!(!rows.body.contains("<html"), "a fragment");
    assert!(text(&rows).contains("tn-2025-doi-thoai-nong-dan"));
    // On the dashboard's latest conferences.
    let dash = b.get("/app").await;
    assert!(text(&dash).contains("20/11/2025 · Hội nghị đối thoại giữa Bí thư Tỉnh ủy"));
    // Edited: the form shows what is stored, written as typed.
    let edit = b
        .get("/app/conferences/tn-2025-doi-thoai-nong-dan/edit")
        .await;
    assert!(
        edit.body.contains("value=\"20&#x2f;11&#x2f;2025\""),
        "{}",
        edit.body
    );
    server.stop().await;
}

#[tokio::test]
async fn writes_outside_the_users_province_and_forms_without_the_csrf_token_are_refused() {
    let server = Server::start().await;
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    let form = b.get("/app/conferences/new").await;
    let token = csrf(&form);
    let mut fields = dialogue(&token, "20/11/2025", "Ban Dân vận Thành ủy");
    fields.retain(|(k, _)| *k != "province");
    fields.push(("province", "Hà Nội"));
    let r = b.post("/app/conferences/new", &fields).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(text(&r).contains("Không có quyền"));
    assert!(text(&r).contains("Hà Nội"), "{}", text(&r));
    // Without the CSRF token (a form posted from another site), nothing is written.
    let mut fields = dialogue("", "20/11/2025", "Ban Dân vận Tỉnh ủy");
    fields.retain(|(k, _)| *k != "csrf");
    let r = b.post("/app/conferences/new", &fields).await;
    assert_eq!(r.status, 403);
    assert!(text(&r).contains("CSRF"));
    let r = b
        .post(
            "/app/conferences/new",
            &dialogue("f00d", "20/11/2025", "Ban Dân vận Tỉnh ủy"),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        server
            .get("/v1/conferences/tn-2025-doi-thoai-nong-dan")
            .await
            .status,
        404
    );
    // Another province's records are neither shown nor editable.
    let hanoi = server
        .get("/v1/conferences?province=ha-noi&limit=1")
        .await
        .json();
    let id = hanoi["items"][0]["record"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(b.get(&format!("/app/conferences/{id}")).await.status, 403);
    assert_eq!(
        b.get(&format!("/app/conferences/{id}/edit")).await.status,
        403
    );
    let list = b.get("/app/conferences?province=ha-noi").await;
    assert!(!list.body.contains(&id), "the list stays in Thái Nguyên");
    // A report of another province is refused too.
    let r = b
        .get("/app/reports/file?period=2024&province=ha-noi&format=json")
        .await;
    assert_eq!(r.status, 403);
    server.stop().await;
}

#[tokio::test]
async fn national_users_read_and_only_admins_change() {
    let server = Server::start().await;
    for token in [READER, WRITER] {
        let mut b = Browser::signed_in(&server, token).await;
        let dash = b.get("/app").await;
        let t = text(&dash);
        assert!(t.contains("Tổng quan · Toàn quốc"), "{t}");
        assert!(t.contains("Chỉ xem"));
        assert!(
            !b.get("/app/conferences")
                .await
                .body
                .contains("/app/conferences/new")
        );
        assert_eq!(b.get("/app/conferences/new").await.status, 403);
    }
    let mut admin = Browser::signed_in(&server, ADMIN).await;
    assert!(
        admin
            .get("/app/conferences")
            .await
            .body
            .contains("/app/conferences/new")
    );
    assert_eq!(admin.get("/app/conferences/new").await.status, 200);
    server.stop().await;
}

/// Every input, select and text area of a form page with the value it was drawn with, as a
/// browser would submit them untouched.
fn drawn(body: &str) -> Vec<(String, String)> {
    let unescape = |v: &str| v.replace("&#x2f;", "/").replace("&quot;", "\"");
    // Each element of a kind: its name and the rest of its markup.
    let each = |tag: &str| -> Vec<(String, String)> {
        body.split(&format!("<{tag} id=\"f-"))
            .skip(1)
            .map(|part| {
                let name = part.split("name=\"").nth(1).unwrap();
                let name = name.split('"').next().unwrap().to_string();
                (name, part.to_string())
            })
            .collect()
    };
    let mut fields: Vec<(String, String)> = Vec::new();
    for (name, part) in each("input") {
        let value = part
            .split("value=\"")
            .nth(1)
            .map_or("", |v| v.split('"').next().unwrap());
        fields.push((name, unescape(value)));
    }
    for (name, part) in each("select") {
        let select = part.split("</select>").next().unwrap();
        if let Some(chosen) = select
            .split("<option value=\"")
            .find(|o| o.contains("\" selected>"))
        {
            fields.push((name, chosen.split('"').next().unwrap().to_string()));
        }
    }
    for (name, part) in each("textarea") {
        let value = part
            .split('>')
            .nth(1)
            .unwrap()
            .split("</textarea")
            .next()
            .unwrap();
        fields.push((name, unescape(value)));
    }
    fields
}

/// The value of the hidden field `name` of a page.
pub(crate) fn hidden(page: &Reply, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {}", page.body));
    let rest = &page.body[at + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

#[tokio::test]
async fn a_stale_form_says_what_changed_meanwhile_and_keeps_what_was_typed() {
    let server = Server::start().await;
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    let id = "tn-2024-so-ket-6-thang";
    let edit = b.get(&format!("/app/conferences/{id}/edit")).await;
    assert_eq!(edit.status, 200, "{}", edit.body);
    let token = csrf(&edit);
    // Meanwhile someone changes the location through the API.
    let mut stored = server.get(&format!("/v1/conferences/{id}")).await.json();
    stored["location"] = "Hội trường A, Tỉnh ủy Thái Nguyên".into();
    let r = server
        .write(
            "PUT",
            &format!("/v1/conferences/{id}"),
            WRITER,
            &stored.to_string(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The clerk saves the form drawn before that change.
    let revision = hidden(&edit, "revision");
    let mut fields = drawn(&edit.body);
    for (name, value) in &mut fields {
        if name == "title" {
            *value = "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024 (sửa)".into();
        }
    }
    let mut form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.push(("csrf", &token));
    form.push(("revision", &revision));
    let r = b.post(&format!("/app/conferences/{id}/edit"), &form).await;
    assert_eq!(r.status, 409, "{}", text(&r));
    let t = text(&r);
    assert!(t.contains("Bản ghi đã được người khác sửa"), "{t}");
    assert!(
        t.contains("Địa điểm:") && t.contains("Hội trường A, Tỉnh ủy Thái Nguyên (writer)"),
        "{t}"
    );
    assert!(r.body.contains("(sửa)"), "what was typed is kept");
    // Saved again from the page it returned (now at the current revision), it goes through.
    let again_revision = hidden(&r, "revision");
    let mut form2: Vec<(&str, &str)> = form
        .iter()
        .filter(|(k, _)| *k != "revision")
        .copied()
        .collect();
    form2.push(("revision", &again_revision));
    let ok = b.post(&format!("/app/conferences/{id}/edit"), &form2).await;
    assert_eq!(ok.status, 303, "{}", text(&ok));
    server.stop().await;
}

#[tokio::test]
async fn reports_preview_and_download_and_english_is_a_click_away() {
    let server = Server::start().await;
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    let page = b
        .get("/app/reports?period=2024S1&province=thai-nguyen&lang=vi")
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<iframe"), "a preview");
    // The report checker runs before anything is downloaded to sign.
    assert!(
        text(&page).contains("Bộ kiểm tra báo cáo không thấy điểm nào cần sửa."),
        "{}",
        text(&page)
    );
    let slip = r#"{"id": "tn-2024-05-20-so-ket", "kinds": ["thematic"],
        "title": "Hội nghị sơ kết công tác dân vận quý I năm 2024", "date": "2024-05-20",
        "province": "thai-nguyen", "hosts": ["Ban Dân vận Tỉnh ủy"],
        "shortcomings": ["Việc nắm bắt dư luận ở một số xã còn còn chậm"]}"#;
    let r = server.write("POST", "/v1/conferences", ADMIN, slip).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let page = b
        .get("/app/reports?period=2024S1&province=thai-nguyen&lang=vi")
        .await;
    let t = text(&page);
    assert!(
        t.contains("Bộ kiểm tra báo cáo thấy 1 điểm cần xem lại trước khi ký:")
            && t.contains("Một từ lặp hai lần: “còn còn”")
            && t.contains("(lỗi đánh máy mà người ký sẽ phải sửa)"),
        "{t}"
    );
    // The outline is chosen on the page and carried to the files.
    let page = b
        .get("/app/reports?period=2024S1&province=thai-nguyen&lang=vi&template=dinh-ky")
        .await;
    assert!(
        page.body.contains("<option value=\"dinh-ky\" selected>")
            && page.body.contains("template=dinh-ky&amp;format=docx"),
        "{}",
        page.body
    );
    let outlined = b
        .get("/app/reports/file?period=2024S1&province=thai-nguyen&lang=vi&template=dinh-ky&format=html")
        .await;
    assert!(outlined.body.contains("PHẦN THỨ NHẤT"), "{}", outlined.body);
    let docx = b
        .get("/app/reports/file?period=2024S1&province=thai-nguyen&lang=vi&format=docx")
        .await;
    assert_eq!(docx.status, 200);
    assert_eq!(
        docx.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    );
    assert!(docx.body.starts_with("PK"), "a zip package");
    let html = b
        .get("/app/reports/file?period=2024S1&province=thai-nguyen&lang=vi&format=html")
        .await;
    assert!(html.body.contains("<svg"), "with its charts");
    // English.
    let r = b.get("/app/lang?to=en&back=/app/reports").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/app/reports"));
    let dash = b.get("/app").await;
    let t = text(&dash);
    assert!(
        t.contains("Dashboard · Thái Nguyên") && t.contains("Reviews overdue"),
        "{t}"
    );
    assert!(t.contains("Completeness · "), "{t}");
    assert!(
        !t.contains("Completeness · 2025S2"),
        "periods in words: {t}"
    );
    // No page of the app is large.
    for path in [
        "/app",
        "/app/conferences",
        "/app/directives",
        "/app/models",
        "/app/indicators",
        "/app/observations",
        "/app/conferences/new",
        "/app/directives/new",
        "/app/models/new",
        "/app/indicators/new",
        "/app/observations/new",
        "/app/reports",
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        assert!(r.body.len() < 200 * 1024, "{path}: {} bytes", r.body.len());
        assert!(r.body.starts_with("<!DOCTYPE html>"), "{path}");
    }
    server.stop().await;
}

#[tokio::test]
async fn the_static_files_are_served_from_the_binary() {
    let server = Server::start().await;
    let js = server.get("/app/static/htmx.min.js").await;
    assert_eq!(js.status, 200);
    assert!(js.body.contains("htmx"));
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(server.get("/app/static/app.css").await.status, 200);
    assert_eq!(server.get("/app/static/nope.js").await.status, 404);
    server.stop().await;
}

/// A `multipart/form-data` body as a browser sends an upload form: the content type and the
/// bytes.
fn multipart(fields: &[(&str, &str)], file: (&str, &[u8])) -> (String, Vec<u8>) {
    let boundary = "----danvanTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: text/csv\r\n\r\n",
            file.0
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Browser<'_> {
    pub(crate) async fn upload(&mut self, fields: &[(&str, &str)], file: (&str, &[u8])) -> Reply {
        self.upload_to("/app/import", fields, file).await
    }

    /// Posts a form with a file to `path`, as a browser does (multipart).
    pub(crate) async fn upload_to(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &[u8]),
    ) -> Reply {
        let (media, body) = multipart(fields, file);
        let cookie = self.cookie_header();
        self.server
            .send_bytes(
                "POST",
                path,
                &[("cookie", &cookie), ("content-type", &media)],
                Some(body),
            )
            .await
    }
}

/// Models as a Thái Nguyên office keeps them in Excel, saved as CSV (`;`, a BOM, CRLF).
const MODELS_CSV: &str = "\u{feff}Mã;Tên mô hình;Tỉnh;Đơn vị xây dựng;Lĩnh vực;Năm bắt đầu;Trạng thái\r\n\
tn-2026-chuyen-doi-so;Dân vận khéo trong chuyển đổi số;Thái Nguyên;Đoàn Thanh niên phường Phan Đình Phùng;kinh tế;2026;đăng ký\r\n\
tn-2026-dan-van-khu-dan-cu;Khu dân cư tự quản, xanh, sạch, đẹp;Thái Nguyên;Mặt trận Tổ quốc xã Đại Từ;văn hóa xã hội;2026;hiệu quả\r\n";

#[tokio::test]
async fn a_clerk_imports_a_spreadsheet_after_reading_its_dry_run() {
    let server = Server::start().await;
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    let page = b.get("/app/import").await;
    assert_eq!(page.status, 200);
    let token = csrf(&page);
    // A bad year on line 3: every problem at its line, nothing kept for a commit.
    let bad = MODELS_CSV.replace(";2026;hiệu quả", ";hai nghìn;hiệu quả");
    let r = b
        .upload(&[("csrf", &token)], ("mo-hinh.csv", bad.as_bytes()))
        .await;
    assert_eq!(r.status, 422, "{}", text(&r));
    let t = text(&r);
    assert!(
        t.contains("Chưa nhập bản ghi nào") && t.contains("mo-hinh.csv:3"),
        "{t}"
    );
    assert!(!r.body.contains("name=\"pending\""));
    // Another province's row: refused whole, the row named.
    let elsewhere = MODELS_CSV.replace(
        "tn-2026-dan-van-khu-dan-cu;Khu dân cư tự quản, xanh, sạch, đẹp;Thái Nguyên",
        "hn-2026-khu-dan-cu;Khu dân cư tự quản, xanh, sạch, đẹp;Hà Nội",
    );
    let r = b
        .upload(&[("csrf", &token)], ("mo-hinh.csv", elsewhere.as_bytes()))
        .await;
    assert_eq!(r.status, 422);
    assert!(
        text(&r).contains("mo-hinh.csv:3") && text(&r).contains("Hà Nội"),
        "{}",
        text(&r)
    );
    assert!(text(&r).contains("ngoài phạm vi tỉnh"), "{}", text(&r));
    // Without the CSRF token: refused.
    let r = b.upload(&[], ("mo-hinh.csv", MODELS_CSV.as_bytes())).await;
    assert_eq!(r.status, 403);
    // The dry run lists each record, where it is and what would happen to it.
    let dry = b
        .upload(&[("csrf", &token)], ("mo-hinh.csv", MODELS_CSV.as_bytes()))
        .await;
    assert_eq!(dry.status, 200, "{}", text(&dry));
    let t = text(&dry);
    assert!(
        t.contains("mo-hinh.csv:2 tạo mới Dân vận khéo trong chuyển đổi số"),
        "{t}"
    );
    assert!(
        t.contains("mo-hinh.csv:3 tạo mới Khu dân cư tự quản"),
        "{t}"
    );
    assert_eq!(
        server.get("/v1/models/tn-2026-chuyen-doi-so").await.status,
        404,
        "a dry run writes nothing"
    );
    let pending = hidden(&dry, "pending");
    let done = b
        .post(
            "/app/import/commit",
            &[("csrf", &token), ("pending", &pending)],
        )
        .await;
    assert_eq!(done.status, 200, "{}", text(&done));
    assert!(
        text(&done).contains("Đã nhập mo-hinh.csv: 2 tạo mới"),
        "{}",
        text(&done)
    );
    let stored = server.get("/v1/models/tn-2026-chuyen-doi-so").await.json();
    assert_eq!(stored["field"], "economy");
    let history = server
        .get("/v1/models/tn-2026-chuyen-doi-so/history")
        .await
        .json();
    assert_eq!(history["items"][0]["actor"], "thai-nguyen-portal");
    assert_eq!(history["items"][0]["reason"], "import of mo-hinh.csv");
    // The same upload cannot be committed twice.
    let again = b
        .post(
            "/app/import/commit",
            &[("csrf", &token), ("pending", &pending)],
        )
        .await;
    assert_eq!(again.status, 303);
    server.stop().await;
}

#[tokio::test]
async fn a_clerk_downloads_the_template_and_imports_figures_without_ids() {
    let server = Server::start().await;
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    let page = b.get("/app/import").await;
    // Kinds by their names, the template offered.
    assert!(
        page.body
            .contains("<option value=\"observation\">Số liệu</option>")
    );
    assert!(text(&page).contains("Tải mẫu nhập"), "{}", text(&page));
    let token = csrf(&page);
    let t = b.get("/app/import/template?kind=observation").await;
    assert_eq!(t.status, 200);
    assert_eq!(
        t.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert_eq!(
        t.header("content-disposition"),
        Some("attachment; filename=\"mau-nhap-observations.xlsx\"")
    );
    assert!(t.body.starts_with("PK"));
    // Figures typed without an ID: each gets the one its content suggests, and the dry run
    // says each row's unit, indicator, period and figure in words.
    let figures = "Chỉ tiêu;Tỉnh;Đơn vị báo cáo;Cấp đơn vị;Kỳ báo cáo;Giá trị\n\
        Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân;Thái Nguyên;huyện Định Hóa;huyện;6 tháng đầu năm 2025;12\n\
        dialogues_held;Thái Nguyên;huyện Phú Lương;huyện;6 tháng đầu năm 2025;9\n";
    let dry = b
        .upload(&[("csrf", &token)], ("so-lieu.csv", figures.as_bytes()))
        .await;
    assert_eq!(dry.status, 200, "{}", text(&dry));
    assert!(
        text(&dry).contains(
            "so-lieu.csv:2 tạo mới huyện Định Hóa, Thái Nguyên — Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân — 6 tháng đầu năm 2025: 12"
        ),
        "{}",
        text(&dry)
    );
    // The same figure twice: both rows named, nothing kept to commit.
    let twice = format!("{figures}dialogues_held;Thái Nguyên;huyện Định Hóa;huyện;2025S1;13\n");
    let r = b
        .upload(&[("csrf", &token)], ("so-lieu.csv", twice.as_bytes()))
        .await;
    assert_eq!(r.status, 422, "{}", text(&r));
    assert!(
        text(&r).contains("so-lieu.csv:2 và so-lieu.csv:4 là cùng một bản ghi"),
        "{}",
        text(&r)
    );
    assert!(!r.body.contains("name=\"pending\""));
    server.stop().await;
}

#[tokio::test]
async fn a_review_is_recorded_as_held_from_the_directives_page() {
    let server = Server::start().await;
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    // A Thái Nguyên directive with a review not yet held.
    let list = server
        .get("/v1/directives?province=thai-nguyen&limit=100")
        .await
        .json();
    let (id, index) = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|item| {
            let r = &item["record"];
            let ms = r["milestones"].as_array()?;
            let i = ms.iter().position(|m| m.get("held").is_none())?;
            (r["province"] == "thai-nguyen").then(|| (r["id"].as_str().unwrap().to_string(), i))
        })
        .unwrap();
    let page = b.get(&format!("/app/directives/{id}")).await;
    assert_eq!(page.status, 200);
    let t = text(&page);
    assert!(t.contains("Ghi nhận đã tổ chức"), "{t}");
    // Document types by their Vietnamese names, never their JSON names.
    assert!(
        t.contains("Loại văn bản Đề án") || t.contains("Loại văn bản Kế hoạch"),
        "{t}"
    );
    let token = csrf(&page);
    let revision = hidden(&page, "revision");
    let path = format!("/app/directives/{id}/held/{index}");
    let bad = b
        .post(
            &path,
            &[
                ("csrf", &token),
                ("revision", &revision),
                ("on", "31/11/2025"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        text(&bad).contains("không phải là ngày hoặc kỳ"),
        "{}",
        text(&bad)
    );
    let ok = b
        .post(
            &path,
            &[
                ("csrf", &token),
                ("revision", &revision),
                ("on", "20/6/2025"),
                ("by", "Ban Thường vụ Tỉnh ủy"),
                ("evidence", "Báo cáo số 115-BC/TU ngày 30/6/2025"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", text(&ok));
    let stored = server.get(&format!("/v1/directives/{id}")).await.json();
    let held = &stored["milestones"][index]["held"];
    assert_eq!(held["on"], "2025-06-20");
    assert_eq!(held["by"], "Ban Thường vụ Tỉnh ủy");
    assert_eq!(held["document"]["number"], "115-BC/TU");
    let page = b.get(&format!("/app/directives/{id}")).await;
    assert!(
        text(&page).contains("đã tổ chức: 20/06/2025 · Ban Thường vụ Tỉnh ủy · 115-BC/TU"),
        "{}",
        text(&page)
    );
    // Without the form's CSRF token: refused.
    let r = b.post(&path, &[("on", "20/6/2025")]).await;
    assert_eq!(r.status, 403);
    server.stop().await;
}

#[tokio::test]
async fn servers_sharing_a_session_secret_share_their_users_sessions() {
    let shared = danvan_http::Config {
        session_secret: Some("9f2c4e1a7b3d5f60 shared by the ministry's servers".into()),
        ..crate::test_config()
    };
    let (a, b) = (
        Server::with(shared.clone()).await,
        Server::with(shared).await,
    );
    let other = Server::start().await;
    let mut on_a = Browser::signed_in(&a, THAI_NGUYEN).await;
    let dash = on_a.get("/app").await;
    assert_eq!(dash.status, 200);
    // The same browser's next request lands on the other server behind the load balancer.
    let mut on_b = Browser::new(&b);
    on_b.cookies = on_a.cookies.clone();
    let page = on_b.get("/app/conferences/new").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(csrf(&page), csrf(&dash), "one session, one CSRF token");
    // A server with a key of its own does not know it.
    let mut elsewhere = Browser::new(&other);
    elsewhere.cookies = on_a.cookies.clone();
    assert_eq!(elsewhere.get("/app").await.status, 303);
    // A secret too short to sign with is refused at start.
    assert!(
        danvan_http::Config::from_toml("session_secret = \"short\"")
            .unwrap_err()
            .to_string()
            .contains("session_secret")
    );
    a.stop().await;
    b.stop().await;
    other.stop().await;
}

#[tokio::test]
async fn a_provinces_own_export_goes_back_in_with_the_central_directives_it_reviews_left_alone() {
    let server = Server::start().await;
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    let token = csrf(&b.get("/app/import").await);
    let record = |v: serde_json::Value| v;
    let mut own = record(server.get("/v1/directives/tn-05-da-2021").await.json());
    let central = record(server.get("/v1/directives/tw-25-nq-2013").await.json());
    own["title"] = format!("{} (đã rà soát)", own["title"].as_str().unwrap()).into();
    let csv = danvan_entry::sheet::write(
        danvan_core::record_kind::RecordKind::Directive,
        &[own.clone(), central.clone()],
        true,
    )
    .unwrap();
    let dry = b.upload(&[("csrf", &token)], ("van-ban.csv", &csv)).await;
    assert_eq!(dry.status, 200, "{}", text(&dry));
    let t = text(&dry);
    assert!(t.contains("1 bản ghi ngoài phạm vi tỉnh"), "{t}");
    assert!(t.contains("cập nhật") && t.contains("(đã rà soát)"), "{t}");
    let done = b
        .post(
            "/app/import/commit",
            &[("csrf", &token), ("pending", &hidden(&dry, "pending"))],
        )
        .await;
    assert!(
        text(&done).contains("0 tạo mới, 1 cập nhật"),
        "{}",
        text(&done)
    );
    assert_eq!(
        server.get("/v1/directives/tw-25-nq-2013").await.json(),
        central,
        "the central directive is not written"
    );
    // A central directive the file would change: the whole file is refused, the row named.
    let mut changed = central.clone();
    changed["title"] = "Sửa trái phép".into();
    let csv = danvan_entry::sheet::write(
        danvan_core::record_kind::RecordKind::Directive,
        &[changed],
        true,
    )
    .unwrap();
    let r = b.upload(&[("csrf", &token)], ("van-ban.csv", &csv)).await;
    assert_eq!(r.status, 422);
    assert!(
        text(&r).contains("van-ban.csv:2") && text(&r).contains("ngoài phạm vi"),
        "{}",
        text(&r)
    );
    server.stop().await;
}

/// Writes a workbook part's bytes.
type PartWriter<'a> = &'a dyn Fn(&mut dyn std::io::Write);

/// A zip of XML parts, as a workbook is, each part written from `parts` (name, a writer of its
/// bytes) and deflated as it is written.
fn workbook_zip(parts: &[(&str, PartWriter<'_>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, write) in parts {
        out.start_file(*name, options).unwrap();
        write(&mut out);
    }
    out.finish().unwrap().into_inner()
}

/// The parts that make a zip an XLSX workbook with one sheet, `Mô hình`.
fn xlsx_with(
    shared: &dyn Fn(&mut dyn std::io::Write),
    sheet: &dyn Fn(&mut dyn std::io::Write),
) -> Vec<u8> {
    let text =
        |s: &'static str| move |w: &mut dyn std::io::Write| w.write_all(s.as_bytes()).unwrap();
    let types = text(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
    );
    let rels = text(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    let book = text(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Mô hình" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    let book_rels = text(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    );
    workbook_zip(&[
        ("[Content_Types].xml", &types),
        ("_rels/.rels", &rels),
        ("xl/workbook.xml", &book),
        ("xl/_rels/workbook.xml.rels", &book_rels),
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}

/// Small files that would expand to gigabytes in memory are refused while they are read,
/// each with what it passed, and the server goes on answering.
#[tokio::test]
async fn a_small_workbook_that_would_expand_to_gigabytes_is_refused_as_it_is_read() {
    let server = Server::with(danvan_http::Config {
        body_limit: 16 << 20,
        ..crate::test_config()
    })
    .await;
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    let token = csrf(&b.get("/app/import").await);
    let plain_sheet = |w: &mut dyn std::io::Write| {
        w.write_all(br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#).unwrap();
    };
    // One shared string of 256 MB: a file of a few hundred kilobytes.
    let giant = |w: &mut dyn std::io::Write| {
        w.write_all(b"<sst><si><t>").unwrap();
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..256 {
            w.write_all(&chunk).unwrap();
        }
        w.write_all(b"</t></si></sst>").unwrap();
    };
    // Two million empty shared strings.
    let many = |w: &mut dyn std::io::Write| {
        w.write_all(b"<sst>").unwrap();
        for _ in 0..2_000_000 {
            w.write_all(b"<si><t/></si>").unwrap();
        }
        w.write_all(b"</sst>").unwrap();
    };
    // Two cells a million rows and sixteen thousand columns apart.
    let far = |w: &mut dyn std::io::Write| {
        w.write_all(br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>"#).unwrap();
    };
    let one_string =
        |w: &mut dyn std::io::Write| w.write_all(b"<sst><si><t>x</t></si></sst>").unwrap();
    for (what, bytes, expected) in [
        (
            "giant string",
            xlsx_with(&giant, &plain_sheet),
            "bảng tính khi mở ra sẽ chiếm hơn 64 MB",
        ),
        (
            "many strings",
            xlsx_with(&many, &plain_sheet),
            "bảng chuỗi dùng chung của bảng tính có hơn 500000 mục",
        ),
        (
            "far cells",
            xlsx_with(&one_string, &far),
            "các ô có dữ liệu trải trên 1048576 hàng × 16384 cột",
        ),
    ] {
        assert!(bytes.len() < 2 << 20, "{what}: {} bytes", bytes.len());
        let r = b
            .upload(&[("csrf", &token)], ("mo-hinh.xlsx", &bytes))
            .await;
        assert_eq!(r.status, 422, "{what}: {}", text(&r));
        assert!(text(&r).contains(expected), "{what}: {}", text(&r));
    }
    // An Excel 97–2003 file cannot be checked before it is opened: asked for as .xlsx.
    let r = b
        .upload(
            &[("csrf", &token)],
            ("mo-hinh.xls", b"\xd0\xcf\x11\xe0not really"),
        )
        .await;
    assert_eq!(r.status, 422, "{}", text(&r));
    assert!(text(&r).contains(".xlsx"), "{}", text(&r));
    assert_eq!(server.get("/healthz").await.status, 200);
    server.stop().await;
}

/// The status of a page asked for with `cookies` (another browser's, replayed).
async fn replay(server: &Server, cookies: &[(String, String)]) -> u16 {
    let mut thief = Browser::new(server);
    thief.cookies = cookies.to_vec();
    thief.get("/app/conferences/new").await.status
}

/// A signed-out session's cookie, replayed, is refused by every server on the store — one
/// beside it sharing its secret, and the same server after a restart.
#[tokio::test]
async fn a_signed_out_session_cannot_be_replayed_on_any_server_or_after_a_restart() {
    let shared = danvan_http::Config {
        session_secret: Some("9f2c4e1a7b3d5f60 shared by the ministry's servers".into()),
        ..crate::test_config()
    };
    let a = Server::with(shared.clone()).await;
    let b = Server::beside(&a, shared.clone()).await;
    let mut on_a = Browser::signed_in(&a, THAI_NGUYEN).await;
    let dash = on_a.get("/app").await;
    assert_eq!(dash.status, 200);
    let stolen = on_a.cookies.clone();
    assert_eq!(
        replay(&b, &stolen).await,
        200,
        "one session on both servers"
    );
    let out = on_a.post("/app/sign-out", &[("csrf", &csrf(&dash))]).await;
    assert_eq!(out.status, 303);
    assert_eq!(
        replay(&a, &stolen).await,
        303,
        "refused where it was signed out"
    );
    assert_eq!(
        replay(&b, &stolen).await,
        303,
        "refused by the other server"
    );
    // A restart: a new server process on the same store, with the same secret, that never
    // saw the sign-out.
    let c = Server::beside(&a, shared).await;
    assert_eq!(replay(&c, &stolen).await, 303, "refused after a restart");
    // A session that was not signed out goes on.
    let mut other = Browser::signed_in(&c, THAI_NGUYEN).await;
    assert_eq!(other.get("/app").await.status, 200);
    b.stop().await;
    c.stop().await;
    a.stop().await;
}

/// A clerk registers a reporting unit in the web app, then records its figure naming it as the
/// office writes it ("Phú Lương", the level "huyện"); a figure naming an unregistered unit is
/// refused beside the unit's field with the nearest registered names.
#[tokio::test]
async fn a_clerk_registers_a_unit_then_records_its_figure() {
    let server = Server::start().await;
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    let form = b.get("/app/units/new").await;
    assert_eq!(form.status, 200);
    let t = text(&form);
    for label in [
        "Tên đơn vị",
        "Cấp đơn vị",
        "Ngày thành lập",
        "Ngày giải thể",
        "Tên khác",
    ] {
        assert!(t.contains(label), "{label}: {t}");
    }
    let token = csrf(&form);
    let figure = |unit: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("id", "tn-2024-song-cau-dialogues".to_string()),
            ("indicator", "dialogues_held".to_string()),
            ("province", "Thái Nguyên".to_string()),
            ("unit.name", unit.to_string()),
            ("unit.level", "huyện".to_string()),
            ("period", "2024".to_string()),
            ("value", "4".to_string()),
        ]
    };
    let unregistered = figure("huyện Sông Cầu");
    let refs: Vec<(&str, &str)> = unregistered.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = b.post("/app/observations/new", &refs).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let t = text(&refused);
    assert!(
        t.contains("“huyện Sông Cầu” không có trong danh sách đơn vị báo cáo của thai-nguyen; có phải là “thành phố Sông Công”?"),
        "{t}"
    );
    let unit = [
        ("csrf", token.as_str()),
        ("id", "tn-huyen-song-cau"),
        ("name", "huyện Sông Cầu"),
        ("level", "huyện"),
        ("province", "Thái Nguyên"),
        ("until", "30/6/2025"),
        ("aliases", "Sông Cầu"),
    ];
    let saved = b.post("/app/units/new", &unit).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let stored = server.get("/v1/units/tn-huyen-song-cau").await.json();
    assert_eq!(stored["level"], "district");
    assert_eq!(stored["until"], "2025-06-30");
    let registered = figure("Sông Cầu");
    let refs: Vec<(&str, &str)> = registered.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let ok = b.post("/app/observations/new", &refs).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let list = b.get("/app/units?q=song+cau").await;
    assert!(text(&list).contains("huyện Sông Cầu"), "{}", text(&list));
    // The clerk leaves the ID empty: one is made from the province and name.
    let unnamed = |name: &'static str| {
        [
            ("csrf", token.clone()),
            ("id", String::new()),
            ("name", name.to_string()),
            ("level", "mặt trận, đoàn thể".to_string()),
            ("province", "Thái Nguyên".to_string()),
        ]
    };
    // A conference typed as a news item opens: "Chiều 14/3/2025" keeps its part of the day,
    // and its ID is made from the province, date and title.
    let conference = [
        ("csrf", token.as_str()),
        ("id", ""),
        ("title", "Hội nghị giao ban công tác dân vận quý I năm 2025"),
        ("kinds", "giao ban"),
        ("date", "Chiều 14/3/2025"),
        ("province", "Thái Nguyên"),
        ("hosts", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
        ("format.mode", "in_person"),
    ];
    let saved = b.post("/app/conferences/new", &conference).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let made = "tn-2025-03-14-hoi-nghi-giao-ban-cong-tac-dan-van-quy";
    assert_eq!(
        saved.header("location").unwrap(),
        format!("/app/conferences/{made}?saved=1")
    );
    let stored = server.get(&format!("/v1/conferences/{made}")).await.json();
    assert_eq!(stored["part_of_day"], "afternoon");
    assert_eq!(stored["kinds"][0], "briefing");
    for (name, id) in [("Tỉnh đoàn", "tn-tinh-doan")] {
        let fields = unnamed(name);
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let saved = b.post("/app/units/new", &refs).await;
        assert_eq!(saved.status, 303, "{}", saved.body);
        assert_eq!(
            saved.header("location").unwrap(),
            format!("/app/units/{id}?saved=1")
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn a_clerk_records_a_commendation_with_no_count() {
    let server = Server::start().await;
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    let form = b.get("/app/awards/new").await;
    assert_eq!(form.status, 200);
    let t = text(&form);
    for label in [
        "Khen thưởng",
        "Hình thức khen thưởng",
        "Cơ quan khen thưởng",
        "Số tập thể",
        "Nhiều tập thể, cá nhân",
        "Tập thể, cá nhân được khen",
        "Giá trị suy ra",
    ] {
        assert!(t.contains(label), "{label}: {t}");
    }
    let token = csrf(&form);
    // "Dịp này, nhiều tập thể, cá nhân được tặng Giấy khen": no count, no ID typed.
    let saved = b
        .post(
            "/app/awards/new",
            &[
                ("csrf", &token),
                ("form", "giấy khen"),
                ("awarded_by", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
                ("province", "Thái Nguyên"),
                ("presented_on", "14/10/2025"),
                ("recipients.many", "true"),
                ("recipients.named", "Hội Nông dân xã Phúc Xuân"),
                ("conference", "tn-2025-ky-niem-15-10"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", text(&saved));
    let list = server
        .get("/v1/awards?province=thai-nguyen&limit=100")
        .await
        .json();
    let made = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["record"])
        .find(|r| r["presented_on"] == "2025-10-14")
        .unwrap()
        .clone();
    assert_eq!(
        made["recipients"],
        serde_json::json!({"many": true, "named": [{"name": "Hội Nông dân xã Phúc Xuân"}]})
    );
    assert!(made.get("recipients").unwrap().get("collectives").is_none());
    let page = b
        .get(&format!("/app/awards/{}", made["id"].as_str().unwrap()))
        .await;
    assert_eq!(page.status, 200);
    assert!(text(&page).contains("Giấy khen"), "{}", text(&page));

    server.stop().await;
}

#[tokio::test]
async fn a_review_held_on_an_unknown_date_is_recorded_with_its_findings() {
    let server = Server::start().await;
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    // A review the source says was held, with no date: recorded with what it found.
    let list = server
        .get("/v1/directives?province=thai-nguyen&limit=100")
        .await
        .json();
    let (id, index) = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|item| {
            let r = &item["record"];
            let ms = r["milestones"].as_array()?;
            let i = ms.iter().position(|m| m.get("held").is_none())?;
            (r["province"] == "thai-nguyen").then(|| (r["id"].as_str().unwrap().to_string(), i))
        })
        .unwrap();
    let page = b.get(&format!("/app/directives/{id}")).await;
    assert!(
        text(&page).contains("Nguồn không nêu ngày"),
        "{}",
        text(&page)
    );
    let token = csrf(&page);
    let revision = hidden(&page, "revision");
    let ok = b
        .post(
            &format!("/app/directives/{id}/held/{index}"),
            &[
                ("csrf", &token),
                ("revision", &revision),
                ("date_unknown", "1"),
                ("by", "Ban Thường vụ Tỉnh ủy"),
                (
                    "findings",
                    "95% cơ quan, đơn vị xây dựng quy chế dân vận\r\nĐối thoại định kỳ được duy trì",
                ),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", text(&ok));
    let stored = server.get(&format!("/v1/directives/{id}")).await.json();
    let held = &stored["milestones"][index]["held"];
    assert_eq!(held["date_unknown"], true);
    assert_eq!(held["findings"].as_array().unwrap().len(), 2);
    let page = b.get(&format!("/app/directives/{id}")).await;
    assert!(
        text(&page).contains("đã tổ chức: chưa rõ ngày · Ban Thường vụ Tỉnh ủy"),
        "{}",
        text(&page)
    );
    server.stop().await;
}

#[tokio::test]
async fn a_plan_typed_with_the_conclusion_it_carries_out_is_two_linked_records() {
    let server = Server::start().await;
    let plan = |token: &str| {
        vec![
            ("csrf", token.to_string()),
            ("id", "tn-52-kh-2020".to_string()),
            ("doc_type", "Kế hoạch".to_string()),
            (
                "number",
                "Kế hoạch số 52-KH/TU ngày 12/4/2020 của Ban Thường vụ Tỉnh ủy thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị".to_string(),
            ),
            ("issued_on", "12/4/2020".to_string()),
            ("province", "Thái Nguyên".to_string()),
        ]
    };
    // A province's clerk may not create the central conclusion the plan carries out: the
    // whole write is refused, saying which record, and what was typed is kept.
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    let form = b.get("/app/directives/new").await;
    let fields = plan(&csrf(&form));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = b.post("/app/directives/new", &refs).await;
    assert_eq!(refused.status, 403, "{}", text(&refused));
    assert!(
        text(&refused).contains("tw-120-kl-tw-2016 thuộc Trung ương"),
        "{}",
        text(&refused)
    );
    assert_eq!(server.get("/v1/directives/tn-52-kh-2020").await.status, 404);
    // A national clerk records both, linked.
    let mut b = Browser::signed_in(&server, crate::ADMIN).await;
    let form = b.get("/app/directives/new").await;
    let fields = plan(&csrf(&form));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = b.post("/app/directives/new", &refs).await;
    assert_eq!(saved.status, 303, "{}", text(&saved));
    let plan = server.get("/v1/directives/tn-52-kh-2020").await.json();
    assert_eq!(plan["number"], "52-KH/TU");
    assert_eq!(plan["issued_on"], "2020-04-12");
    assert_eq!(plan["related"][0]["relation"], "implements");
    let conclusion_id = plan["related"][0]["directive"]
        .as_str()
        .unwrap()
        .to_string();
    let conclusion = server
        .get(&format!("/v1/directives/{conclusion_id}"))
        .await
        .json();
    // The conclusion keeps its own number, date and issuer; it is central, and no title is
    // invented for it.
    assert_eq!(conclusion["number"], "120-KL/TW");
    assert_eq!(conclusion["issued_on"], "2016-01-07");
    assert_eq!(conclusion["issuer"], "Bộ Chính trị");
    assert!(conclusion.get("province").is_none(), "{conclusion}");
    assert!(conclusion.get("title").is_none(), "{conclusion}");
    server.stop().await;
}

#[tokio::test]
async fn a_district_report_is_begun_sent_returned_and_approved_in_the_web_app() {
    let server = Server::start().await;
    let form = server
        .write(
            "POST",
            "/v1/forms",
            crate::ADMIN,
            r#"{"id": "tn-6-thang-huyen", "name": "Báo cáo 6 tháng (cấp huyện)",
                "province": "thai-nguyen", "period_kind": "half", "level": "district",
                "indicators": ["dialogues_held"], "due_days_after_end": -15}"#,
        )
        .await;
    assert_eq!(form.status, 201, "{}", form.body);
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    let page = b.get("/app/completeness?period=2025S1").await;
    assert_eq!(page.status, 200);
    let t = text(&page);
    assert!(
        t.contains("Tình hình gửi báo cáo — 6 tháng đầu năm 2025"),
        "{t}"
    );
    assert!(t.contains("0/9 đơn vị đã gửi, 0 đã duyệt"), "{t}");
    assert!(
        t.contains("huyện Định Hóa") && t.contains("Bắt đầu nhập"),
        "{t}"
    );
    let token = csrf(&page);
    let begun = b
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
    let page = b.get(sub).await;
    assert!(text(&page).contains("Gửi lên Ban"), "{}", text(&page));
    // Sent with no figure: refused in Vietnamese, naming the cell.
    let revision = hidden(&page, "revision");
    let refused = b
        .post(
            &format!("{sub}/step"),
            &[
                ("csrf", &token),
                ("revision", &revision),
                ("action", "send"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        text(&refused).contains("chưa nhập số liệu Hội nghị đối thoại"),
        "{}",
        text(&refused)
    );
    let figure = server
        .write(
            "POST",
            "/v1/observations",
            THAI_NGUYEN,
            r#"{"id": "dh-2025s1", "indicator": "dialogues_held", "province": "thai-nguyen",
                "unit": {"name": "Định Hóa", "level": "district"}, "period": "2025S1", "value": 11}"#,
        )
        .await;
    assert_eq!(figure.status, 201, "{}", figure.body);
    for (action, reason) in [
        ("send", ""),
        ("return", "Thiếu số liệu của xã"),
        ("send", ""),
        ("approve", ""),
    ] {
        let page = b.get(sub).await;
        let revision = hidden(&page, "revision");
        let done = b
            .post(
                &format!("{sub}/step"),
                &[
                    ("csrf", &token),
                    ("revision", &revision),
                    ("action", action),
                    ("reason", reason),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{action}: {}", text(&done));
    }
    let page = b.get("/app/completeness?period=2025S1").await;
    assert!(
        text(&page).contains("1/9 đơn vị đã gửi, 1 đã duyệt"),
        "{}",
        text(&page)
    );
    // The approver sees the unit's figure beside the previous period's (none recorded).
    let t = text(&b.get(sub).await);
    assert!(
        t.contains("Số liệu của đơn vị Chỉ tiêu Kỳ này Kỳ trước Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân 11 chưa có số liệu"),
        "{t}"
    );
    server.stop().await;
}

/// The leader's dashboard on 1/12/2025, in the second half-year: no province is counted as
/// not having sent before the half-year is over, and a board with a form for its communes sees
/// how its reports stand.
#[tokio::test]
async fn the_dashboard_counts_what_is_owed_not_what_is_not_yet_due() {
    let server = Server::start().await;
    let mut national = Browser::signed_in(&server, crate::ADMIN).await;
    let t = text(&national.get("/app").await);
    assert!(
        t.contains("Kỳ báo cáo chưa kết thúc: chưa tính tỉnh, thành phố nào là chưa gửi số liệu."),
        "{t}"
    );
    // Reviews by province: Lào Cai's missed review of a central resolution is Lào Cai's,
    // and not on Thái Nguyên's dashboard, whose own review of it was held.
    assert!(
        t.contains("Lào Cai (") && t.contains("Nghị quyết 25-NQ/TW — sơ kết 10 năm"),
        "{t}"
    );
    assert!(t.contains("Thái Nguyên ("), "{t}");
    // Each province's figures for the last closed half-year, the most complete first.
    let ranked = t
        .split("Số liệu đã gửi theo tỉnh, thành phố · ")
        .nth(1)
        .and_then(|r| r.split("Kết quả so với mục tiêu").next())
        .unwrap_or_else(|| panic!("{t}"));
    let counts: Vec<usize> = ranked
        .split(" chỉ tiêu có số liệu")
        .filter_map(|part| {
            part.rsplit(" — ")
                .next()?
                .split('/')
                .next()?
                .trim()
                .parse()
                .ok()
        })
        .collect();
    assert!(counts.len() >= 34, "{counts:?}\n{ranked}");
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let form = server
        .write(
            "POST",
            "/v1/forms",
            crate::ADMIN,
            r#"{"id": "tn-6-thang-xa", "name": "Báo cáo 6 tháng (cấp xã)", "province": "thai-nguyen",
                "period_kind": "half", "level": "commune", "due_days_after_end": -15}"#,
        )
        .await;
    assert_eq!(form.status, 201, "{}", form.body);
    let mut b = Browser::signed_in(&server, THAI_NGUYEN).await;
    let t = text(&b.get("/app").await);
    assert!(
        t.contains("Tình hình gửi báo cáo 0/6 đơn vị đã gửi, 0 đã duyệt, 0 quá hạn chưa gửi"),
        "{t}"
    );
    assert!(
        !t.contains("Lào Cai (") && !t.contains("Nghị quyết 25-NQ/TW — sơ kết 10 năm"),
        "{t}"
    );
    server.stop().await;
}

/// The board's targets: set through the API, they judge each province's figures of the last
/// closed year on the dashboard (met, not met, no figure yet), the provinces ranked by the share
/// met; a province's dashboard shows its own line alone.
#[tokio::test]
async fn the_dashboard_ranks_provinces_against_the_boards_targets() {
    let server = Server::start().await;
    // Hà Nội's 2024 figures: SIPAS 82,9 against 85 (not met) once the board sets it; a target
    // with no figure behind it is said to be without one, never counted as met or zero.
    for body in [
        r#"{"id": "hn-2024-sipas", "indicator": "sipas", "province": "ha-noi", "period": "2024", "value": 80, "set_by": "Ban Thường vụ Thành ủy", "document": "15-CTr/TU"}"#,
        r#"{"id": "hn-2024-hotspots", "indicator": "hotspots", "province": "ha-noi", "period": "2024", "value": 5}"#,
        r#"{"id": "hn-2024-dialogues", "indicator": "dialogues_held", "province": "ha-noi", "period": "2024", "value": 300}"#,
    ] {
        let r = server
            .write("POST", "/v1/targets", crate::ADMIN, body)
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let mut national = Browser::signed_in(&server, crate::ADMIN).await;
    let t = text(&national.get("/app").await);
    let section = t
        .split("Kết quả so với mục tiêu · năm 2024")
        .nth(1)
        .and_then(|s| s.split("Chỉ tiêu so với mục tiêu").next())
        .unwrap_or_else(|| panic!("{t}"));
    // Lào Cai's two figures (one Yên Bái's, before the merger) meet the nationwide target;
    // Thái Nguyên meets two of four, its own target before the nationwide one; Hà Nội one of
    // two, with one target it has no figure for, and so comes after Thái Nguyên.
    let order: Vec<usize> = ["Lào Cai — 2/2", "Thái Nguyên — 2/4", "Hà Nội — 1/2"]
        .iter()
        .map(|p| section.find(p).unwrap_or_else(|| panic!("{p}: {section}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{section}");
    for expected in [
        "năm 2024 (Yên Bái) 96,52% 90% Ban Dân vận Trung ương Đạt",
        "6 tháng đầu năm 2024 95,14% 95% Ban Thường vụ Tỉnh ủy, 08-CTr/TU Đạt",
        "6 tháng đầu năm 2024 (Bắc Kạn) 94,04% 90% Ban Dân vận Trung ương Đạt",
        // Fewer hotspots is better: 14 against at most 5.
        "Vụ việc phức tạp, điểm nóng phát sinh năm 2024 14 5 Chưa đạt",
        "(SIPAS) năm 2024 83,75% 80% Ban Thường vụ Thành ủy, 15-CTr/TU Đạt",
        "1 mục tiêu chưa có số liệu",
        "năm 2024 Chưa có số liệu 300 Chưa đánh giá được",
    ] {
        assert!(section.contains(expected), "{expected}\n{section}");
    }
    // A province's dashboard: its own line alone.
    let mut tn = Browser::signed_in(&server, crate::THAI_NGUYEN).await;
    let t = text(&tn.get("/app").await);
    let own = t
        .split("Kết quả so với mục tiêu · năm 2024")
        .nth(1)
        .and_then(|s| s.split("Chỉ tiêu so với mục tiêu").next())
        .unwrap_or_else(|| panic!("{t}"));
    assert!(own.contains("Thái Nguyên — 2/4"), "{own}");
    assert!(!own.contains("Hà Nội") && !own.contains("Lào Cai"), "{own}");
    // The province's report judges its figure against the board's target too.
    let report = server
        .get("/v1/reports?period=2024S1&province=thai-nguyen&date=2024-07-10&format=json")
        .await;
    assert_eq!(report.status, 200, "{}", report.body);
    let rows = report.json()["indicators"].clone();
    let complaints = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == "complaints_resolved")
        .unwrap_or_else(|| panic!("{rows}"));
    assert_eq!(complaints["target"], serde_json::json!(95), "{complaints}");
    assert_eq!(complaints["status"], "on_track", "{complaints}");
}

/// What goes wrong reaches the clerk as a page in their language with the status it
/// deserves, never as the API's problem+json: a report asked for a period that is not one, a
/// review form for a milestone the directive does not have, a file the app does not serve.
#[tokio::test]
async fn failures_are_pages_in_the_users_language_never_problem_json() {
    let s = Server::start().await;
    let mut b = Browser::signed_in(&s, WRITER).await;
    let is_page = |r: &Reply| {
        assert!(
            r.header("content-type")
                .is_some_and(|t| t.starts_with("text/html")),
            "{:?}: {}",
            r.header("content-type"),
            r.body
        );
        assert!(!r.body.contains("\"type\""), "{}", r.body);
    };
    let r = b
        .get("/app/reports/file?period=n%C4%83m-ngo%C3%A1i&province=thai-nguyen&format=html")
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    is_page(&r);
    let t = text(&r);
    assert!(t.contains("Chưa thực hiện được"), "{t}");
    // A list asked for a period that is not one, or with a parameter lists do not take.
    let r = b.get("/app/conferences?q=&period=h%C3%B4m+qua").await;
    assert_eq!(r.status, 400, "{}", r.body);
    is_page(&r);
    assert!(text(&r).contains("không phải là kỳ"), "{}", text(&r));
    let r = b.get("/app/conferences?nam=2024").await;
    assert_eq!(r.status, 400, "{}", r.body);
    is_page(&r);
    assert!(text(&r).contains("không đọc được"), "{}", text(&r));
    // The list's own parameters, as the API reads them: a period by overlap, newest first.
    let r = b
        .get("/app/conferences?q=&province=&period=2024&cursor=")
        .await;
    assert_eq!(r.status, 200, "{}", text(&r));
    let r = b.get("/app/static/khong-co.js").await;
    assert_eq!(r.status, 404);
    is_page(&r);
    assert!(text(&r).contains("Không có tệp này"), "{}", text(&r));
    // The same in English once the clerk switches.
    b.get("/app/lang?to=en&back=/app").await;
    let r = b
        .get("/app/reports/file?period=not-a-period&province=thai-nguyen&format=html")
        .await;
    assert_eq!(r.status, 400);
    is_page(&r);
    assert!(text(&r).contains("Could not be done"), "{}", text(&r));
    s.stop().await;
}
