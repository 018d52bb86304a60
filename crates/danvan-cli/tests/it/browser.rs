//! The web app in a real headless browser: `danvan serve` as a board runs it, Debian's
//! chromium driven through chromedriver (fantoccini), and axe-core's accessibility rules run
//! inside that browser on every page.
//!
//! Needs `chromedriver` and `chromium` (Debian's `chromium-driver` and `chromium`) and
//! axe-core from npm: `cargo xtask ci` installs them when missing, saying so. With
//! `DANVAN_SCREENSHOTS=DIR` the test also saves a screenshot of every page it visits there
//! (`cargo xtask screenshots` writes them to `docs/ui/`).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::serve::{Serving, serve, terminate};
use crate::{danvan, root};

/// chromedriver on a free port of 127.0.0.1, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

fn chromedriver() -> Driver {
    let exe = on_path("chromedriver").unwrap_or_else(|| {
        panic!(
            "chromedriver is missing: `apt-get install chromium chromium-driver` \
             (`cargo xtask ci` installs them when missing)"
        )
    });
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(exe)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        // tidy: sleep — chromedriver is another process that only says it is ready by
        // accepting connections: the loop polls that condition, with a deadline.
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver { child, port }
}

/// axe-core's script, from `DANVAN_AXE_JS` or where `cargo xtask ci` installs it.
fn axe_source() -> String {
    let path = std::env::var_os("DANVAN_AXE_JS").map_or_else(
        || root().join("target/e2e/node_modules/axe-core/axe.min.js"),
        PathBuf::from,
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is missing at {} ({e}): `npm install --prefix target/e2e axe-core@4.14.1` \
             (`cargo xtask ci` installs it when missing)",
            path.display()
        )
    })
}

async fn browser(driver: &Driver, downloads: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1280,1000", "--lang=vi"],
            "prefs": {
                "download.default_directory": downloads.to_string_lossy(),
                "download.prompt_for_download": false
            }
        }),
    );
    ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a chromium session through chromedriver")
}

/// What a test keeps while it walks through the app.
struct Walk {
    c: Client,
    base: String,
    axe: String,
    shots: Option<PathBuf>,
    /// Accessibility problems found: (page, rule, impact, how many nodes).
    violations: Vec<String>,
    /// Pages wider than a phone: (page, by how much, the widest element).
    overflows: Vec<String>,
    /// English words and codes shown as names on Vietnamese pages: (page, what).
    foreign: Vec<String>,
    /// Chart labels drawn over one another: (page, width, the two labels).
    overlaps: Vec<String>,
    /// Charts seen, at any width.
    charts_seen: usize,
    pages_checked: usize,
}

impl Walk {
    async fn goto(&mut self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    /// The page's text as shown. A page being replaced (after a click or a submit) is asked
    /// again.
    async fn text(&self) -> String {
        let mut tries = 0;
        loop {
            match self
                .c
                .execute(
                    "return document.body ? document.body.innerText : ''",
                    vec![],
                )
                .await
            {
                Ok(v) => return v.as_str().unwrap_or_default().to_string(),
                Err(e) if tries < 50 => {
                    tries += 1;
                    let _ = e;
                    poll_pause().await;
                }
                Err(e) => panic!("the page's text could not be read: {e}"),
            }
        }
    }

    async fn path(&self) -> String {
        let url = self.c.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    async fn fill(&self, name: &str, value: &str) {
        let e = self
            .c
            .find(Locator::Css(&format!("[name=\"{name}\"]")))
            .await
            .unwrap_or_else(|e| panic!("no input {name}: {e}"));
        e.clear().await.unwrap();
        e.send_keys(value).await.unwrap();
    }

    async fn choose(&self, name: &str, value: &str) {
        self.c
            .find(Locator::Css(&format!("select[name=\"{name}\"]")))
            .await
            .unwrap()
            .select_by_value(value)
            .await
            .unwrap();
    }

    async fn submit(&self) {
        self.c
            .find(Locator::Css("main form button[type=\"submit\"]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    /// Waits until the page's text holds `needle`.
    async fn until_text(&self, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let t = self.text().await;
            if t.contains(needle) {
                return t;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "{needle:?} never appeared on {}: {t}",
                self.path().await
            );
            poll_pause().await;
        }
    }

    /// At a phone's width (390 px) the page must not scroll sideways: each page that does is
    /// kept, with by how much and the widest element, then the window is put back.
    async fn fits_a_phone(&mut self, name: &str) {
        let (w, h) = self.c.get_window_size().await.unwrap();
        self.c.set_window_size(390, 844).await.unwrap();
        let found = self
            .c
            .execute(
                "const d = document.documentElement;
                 const over = d.scrollWidth - d.clientWidth;
                 let widest = '';
                 if (over > 0) {
                   let max = 0;
                   for (const e of document.querySelectorAll('body *')) {
                     const r = e.getBoundingClientRect();
                     if (r.right > max) { max = r.right; widest = e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''); }
                   }
                 }
                 return [over, widest];",
                vec![],
            )
            .await
            .unwrap();
        if let Some(dir) = &self.shots {
            let png = self.c.screenshot().await.unwrap();
            std::fs::write(dir.join(format!("{name}-390.png")), png).unwrap();
        }
        self.labels_apart(name, "390").await;
        let over = found[0].as_i64().unwrap_or(0);
        if over > 0 {
            self.overflows.push(format!(
                "{name}: {over} px wider than a phone (widest: {})",
                found[1]
            ));
        }
        self.c.set_window_size(w as u32, h as u32).await.unwrap();
    }

    /// No two labels of a chart (its `<text>` elements, as drawn at this width) may overlap by
    /// more than a pixel each way.
    async fn labels_apart(&mut self, name: &str, width: &str) {
        let found = self
            .c
            .execute(
                "const out = []; let charts = 0;
                 for (const svg of document.querySelectorAll('svg')) {
                   const boxes = [...svg.querySelectorAll('text')]
                     .map(t => [t.textContent.trim(), t.getBoundingClientRect()])
                     .filter(([s, r]) => s && r.width > 0 && r.height > 0);
                   if (boxes.length) { charts += 1; }
                   for (let i = 0; i < boxes.length; i++) {
                     for (let j = i + 1; j < boxes.length; j++) {
                       const [a, r] = boxes[i]; const [b, q] = boxes[j];
                       const x = Math.min(r.right, q.right) - Math.max(r.left, q.left);
                       const y = Math.min(r.bottom, q.top + q.height) - Math.max(r.top, q.top);
                       if (x > 1 && y > 1) { out.push('“' + a + '” over “' + b + '”'); }
                     }
                   }
                 }
                 return [charts, out.slice(0, 5)];",
                vec![],
            )
            .await
            .unwrap();
        self.charts_seen += found[0].as_u64().unwrap_or(0) as usize;
        for o in found[1].as_array().into_iter().flatten() {
            self.overlaps.push(format!(
                "{name} at {width} px: {}",
                o.as_str().unwrap_or_default()
            ));
        }
    }

    /// A Vietnamese page (`<html lang="vi">`) must show no English word (of [`ENGLISH`]) and no
    /// code where a name belongs (`dialogues_held`, `2025S1`): what it shows is read as a
    /// person sees it, leaving out IDs, code, what was typed and the JSON a record page
    /// offers for scripts.
    async fn speaks_vietnamese(&mut self, name: &str) {
        let found = self
            .c
            .execute(
                "if (document.documentElement.lang !== 'vi') { return []; }
                 const copy = document.body.cloneNode(true);
                 copy.querySelectorAll('.id, code, pre, script, style, input, textarea, select, [lang=en]').forEach(e => e.remove());
                 document.body.appendChild(copy);
                 copy.style.position = 'absolute'; copy.style.left = '-10000px';
                 const text = copy.innerText;
                 copy.remove();
                 const english = new Set(arguments[0]);
                 const out = new Map();
                 const re = /[A-Za-z0-9_À-ỹ]+/g;
                 let m;
                 while ((m = re.exec(text)) !== null) {
                   const word = m[0];
                   const foreign = (english.has(word.toLowerCase()) && /^[A-Za-z]+$/.test(word))
                     || /^[a-z]+(_[a-z]+)+$/.test(word) || /^[0-9]{4}(S[12]|Q[1-4])$/.test(word);
                   if (foreign && !out.has(word)) {
                     const around = text.slice(Math.max(0, m.index - 40), m.index + word.length + 40);
                     out.set(word, word + ' (in “' + around.replace(/\\s+/g, ' ') + '”)');
                   }
                 }
                 return [...out.values()];",
                vec![serde_json::json!(ENGLISH)],
            )
            .await
            .unwrap();
        let words: Vec<String> = found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|w| w.as_str().map(str::to_string))
            .collect();
        if !words.is_empty() {
            self.foreign
                .push(format!("{name}:\n  {}", words.join("\n  ")));
        }
    }

    /// Runs axe-core on the page (WCAG 2 A and AA rules) and keeps serious and critical
    /// violations; saves a screenshot when asked.
    async fn check(&mut self, name: &str) {
        self.c.execute(&self.axe, vec![]).await.unwrap();
        let result = self
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                    .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                        target: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))))
                    .catch(e => done([{id: 'axe-error', impact: 'critical', nodes: 0, target: [String(e)]}]));",
                vec![],
            )
            .await
            .unwrap();
        for v in result.as_array().cloned().unwrap_or_default() {
            let impact = v["impact"].as_str().unwrap_or("");
            if matches!(impact, "serious" | "critical") {
                self.violations.push(format!(
                    "{name}: {} ({impact}, {} nodes: {})",
                    v["id"].as_str().unwrap_or(""),
                    v["nodes"],
                    v["target"]
                ));
            }
        }
        self.pages_checked += 1;
        self.speaks_vietnamese(name).await;
        self.labels_apart(name, "1280").await;
        self.fits_a_phone(name).await;
        if let Some(dir) = &self.shots {
            let png = self.c.screenshot().await.unwrap();
            std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
        }
    }
}

/// The pause between two looks at the browser's state. The browser and chromedriver are
/// other processes that notify nothing; every caller checks a condition (text shown, a
/// download complete) and has a deadline.
async fn poll_pause() {
    // tidy: sleep — polling another process's state, with a condition and a deadline.
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// A token added to the server's configuration file.
fn token(dir: &Path, args: &[&str]) -> String {
    let out = danvan(
        dir,
        &[&["token", "new", "--config", "danvan.toml"][..], args].concat(),
    );
    out.lines()
        .find(|l| l.starts_with("dv_"))
        .unwrap_or_else(|| panic!("no token in {out}"))
        .trim()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_board_clerk_works_in_the_browser() {
    let axe = axe_source();
    let driver = chromedriver();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let clerk = token(
        &dir,
        &[
            "--name",
            "tn-clerk",
            "--scope",
            "write",
            "--province",
            "thai-nguyen",
        ],
    );
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let server: Serving = serve(&dir, &["--config", "danvan.toml"]);
    // The board's first administrator, added from the CLI as an operator does.
    let (code, _, err) = crate::users::with_stdin(
        &dir,
        &[
            "user",
            "add",
            ADMIN,
            "--name",
            "Nguyễn Văn An",
            "--role",
            "quản trị",
            "--province",
            "thai-nguyen",
            "--password-stdin",
        ],
        &format!("{ADMIN_PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{err}");
    let shots = std::env::var_os("DANVAN_SCREENSHOTS").map(PathBuf::from);
    if let Some(d) = &shots {
        std::fs::create_dir_all(d).unwrap();
    }
    let mut w = Walk {
        c: browser(&driver, &downloads).await,
        base: format!("http://{}", server.addr),
        axe,
        shots,
        violations: Vec::new(),
        overflows: Vec::new(),
        foreign: Vec::new(),
        overlaps: Vec::new(),
        charts_seen: 0,
        pages_checked: 0,
    };
    // The walk runs as its own task, so that a failure in it still stops the server (and
    // shows its log) before the test fails.
    let walked = tokio::spawn(async move {
        walk(&mut w, &clerk, &downloads).await;
        w
    })
    .await;
    let (code, _, log) = terminate(server);
    let w = match walked {
        Ok(w) => w,
        Err(e) => {
            eprintln!("--- server log ---\n{log}");
            std::panic::resume_unwind(e.into_panic())
        }
    };
    let _ = w.c.clone().close().await;
    assert_eq!(code, 0, "{log}");
    assert!(
        w.overflows.is_empty(),
        "pages that scroll sideways at 390 px:\n{}",
        w.overflows.join("\n")
    );
    assert!(
        w.violations.is_empty(),
        "accessibility violations (serious or critical) on {} pages:\n{}",
        w.pages_checked,
        w.violations.join("\n")
    );
    assert!(
        w.overlaps.is_empty(),
        "chart labels drawn over one another:\n{}",
        w.overlaps.join("\n")
    );
    assert!(w.charts_seen > 0, "no chart was checked");
    assert!(
        w.foreign.is_empty(),
        "English words or codes on Vietnamese pages:\n{}",
        w.foreign.join("\n")
    );
    assert!(w.pages_checked >= 20, "{} pages checked", w.pages_checked);
    drop(driver);
}

/// English words that are no Vietnamese syllable written without marks (so not "to", "in",
/// "do", "can", "may", "than", "day"): one of them on a Vietnamese page is an untranslated
/// message.
const ENGLISH: &[&str] = &[
    "the",
    "of",
    "and",
    "is",
    "are",
    "was",
    "with",
    "for",
    "from",
    "this",
    "that",
    "these",
    "those",
    "its",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "cannot",
    "must",
    "should",
    "there",
    "here",
    "which",
    "what",
    "when",
    "who",
    "yes",
    "not",
    "or",
    "by",
    "at",
    "it",
    "your",
    "you",
    "such",
    "record",
    "records",
    "page",
    "found",
    "allowed",
    "saved",
    "save",
    "report",
    "reports",
    "figure",
    "figures",
    "period",
    "province",
    "unit",
    "units",
    "review",
    "reviews",
    "conference",
    "directive",
    "indicator",
    "submission",
    "approve",
    "approved",
    "returned",
    "send",
    "sent",
    "signed",
    "password",
    "user",
    "users",
    "error",
    "errors",
    "warning",
    "warnings",
    "problem",
    "problems",
    "required",
    "missing",
    "invalid",
    "overdue",
    "due",
    "late",
    "days",
    "date",
    "year",
    "month",
    "quarter",
    "half",
    "created",
    "updated",
    "deleted",
    "unchanged",
    "revision",
    "edit",
    "delete",
    "add",
    "new",
    "back",
    "next",
    "more",
    "cancel",
    "download",
    "upload",
    "file",
    "import",
    "export",
    "search",
    "results",
    "none",
    "unknown",
    "value",
    "values",
    "total",
    "each",
    "every",
    "all",
    "only",
    "also",
    "then",
    "shown",
    "show",
    "list",
    "open",
    "close",
    "changed",
    "change",
    "someone",
    "nothing",
];

const NEW_ID: &str = "tn-2026-doi-thoai-nong-dan";
const NEW_TITLE: &str = "Hội nghị đối thoại giữa Bí thư Tỉnh ủy với nông dân năm 2026";

/// Fills the new-conference form as a clerk types it from a news article.
async fn fill_conference(w: &Walk, id: &str, date: &str, province: &str) {
    w.fill("id", id).await;
    w.fill("title", NEW_TITLE).await;
    w.fill("kinds", "đối thoại").await;
    w.fill("date", date).await;
    w.fill("province", province).await;
    w.fill("hosts", "Ban Tuyên giáo và Dân vận Tỉnh ủy").await;
    w.fill(
        "chairs",
        "Trịnh Việt Hùng, Bí thư Tỉnh ủy\nPhạm Hoàng Sơn, Chủ tịch UBND tỉnh",
    )
    .await;
    w.choose("format.mode", "online").await;
    w.fill("format.connection_points", "13").await;
    w.fill("location", "Hội trường Tỉnh ủy Thái Nguyên").await;
}

/// The clerk's session, page by page.
async fn walk(w: &mut Walk, clerk: &str, downloads: &Path) {
    sign_in(w, clerk).await;
    enter_a_conference(w).await;
    find_it(w).await;
    other_pages(w).await;
    report(w, downloads).await;
    import(w, downloads.parent().unwrap()).await;
    ingest(w).await;
    refusals(w).await;
    reporting_cycle(w, clerk).await;
    // The demo store's leader signs in with the login and password the banner printed.
    sign_out(w).await;
    sign_in_as(w, "demo.lanhdao", "thu-lanh-dao-2026").await;
    w.until_text("Lãnh đạo Ban (dùng thử) (demo.lanhdao)").await;
    // In English.
    w.goto("/app/lang?to=en&back=/app").await;
    w.until_text("Dashboard · Thái Nguyên").await;
    w.check("dashboard-en").await;
}

async fn sign_in(w: &mut Walk, clerk: &str) {
    // Signed out, every page leads to the sign-in form; a wrong token is refused.
    w.goto("/app/conferences").await;
    assert!(
        w.path().await.starts_with("/app/sign-in"),
        "{}",
        w.path().await
    );
    w.check("sign-in").await;
    // A wrong password, then a wrong token, are refused.
    w.fill("login", ADMIN).await;
    w.fill("password", "không phải mật khẩu").await;
    w.submit().await;
    w.until_text("Tên đăng nhập hoặc mật khẩu không đúng.")
        .await;
    w.check("sign-in-refused").await;
    open_token_sign_in(w).await;
    w.fill("token", "dv_not_a_token").await;
    w.submit().await;
    w.until_text("Mã truy cập không đúng.").await;
    open_token_sign_in(w).await;
    w.fill("token", clerk).await;
    w.submit().await;
    w.until_text("Đăng nhập với tn-clerk").await;
    assert_eq!(
        w.path().await,
        "/app/conferences",
        "back where they were going"
    );
    w.check("conferences").await;
    w.goto("/app").await;
    w.until_text("Tổng quan · Thái Nguyên").await;
    w.check("dashboard").await;
}

async fn enter_a_conference(w: &mut Walk) {
    // A conference with two chairs, online at 13 points; 31 November first.
    w.goto("/app/conferences/new").await;
    w.check("conference-new").await;
    fill_conference(w, NEW_ID, "31/11/2026", "Thái Nguyên").await;
    w.submit().await;
    let t = w.until_text("chưa có gì được lưu").await;
    assert!(t.contains("“31/11/2026” không phải là ngày"), "{t}");
    let invalid =
        w.c.find_all(Locator::Css("[aria-invalid=\"true\"]"))
            .await
            .unwrap();
    assert_eq!(invalid.len(), 1);
    assert_eq!(
        invalid[0].attr("name").await.unwrap().as_deref(),
        Some("date")
    );
    w.check("conference-problems").await;
    w.fill("date", "20/11/2026").await;
    w.submit().await;
    let t = w.until_text("Đã lưu.").await;
    for shown in [
        "Trịnh Việt Hùng, Bí thư Tỉnh ủy",
        "Phạm Hoàng Sơn, Chủ tịch UBND tỉnh",
        "Trực tuyến",
        "Đối thoại",
    ] {
        assert!(t.contains(shown), "{shown}: {t}");
    }
    assert!(
        w.path()
            .await
            .starts_with(&format!("/app/conferences/{NEW_ID}"))
    );
    w.check("conference").await;
    w.goto(&format!("/app/conferences/{NEW_ID}/edit")).await;
    w.check("conference-edit").await;
}

async fn find_it(w: &mut Walk) {
    // Found as one types, without diacritics (htmx swaps the rows).
    w.goto("/app/conferences").await;
    w.until_text("tn-2024-so-ket-6-thang").await;
    let search = w.c.find(Locator::Css("#q")).await.unwrap();
    search.send_keys("doi thoai nong dan").await.unwrap();
    let started = Instant::now();
    loop {
        let t = w.text().await;
        if t.contains(NEW_TITLE) && !t.contains("tn-2024-so-ket-6-thang") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "search never narrowed: {t}"
        );
        poll_pause().await;
    }
    assert!(
        w.path().await.contains("q=doi"),
        "the URL follows the search"
    );
    // And on the dashboard.
    w.goto("/app").await;
    w.until_text(NEW_TITLE).await;
}

async fn other_pages(w: &mut Walk) {
    // Every other kind's list and form.
    for kind in ["directives", "models", "indicators", "observations"] {
        w.goto(&format!("/app/{kind}")).await;
        w.check(kind).await;
        w.goto(&format!("/app/{kind}/new")).await;
        w.check(&format!("{kind}-new")).await;
    }
    // A directive's page, with its history.
    w.goto("/app/directives").await;
    w.c.find(Locator::Css("#rows tbody a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    w.until_text("Lịch sử thay đổi").await;
    w.check("directive").await;
}

async fn report(w: &mut Walk, downloads: &Path) {
    // A report: previewed, then downloaded as a Word file.
    w.goto("/app/reports?period=2026S1&province=thai-nguyen&lang=vi")
        .await;
    w.c.find(Locator::Css("iframe.preview")).await.unwrap();
    w.check("reports").await;
    w.c.find(Locator::LinkText("DOCX"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let docx = downloaded(downloads, "docx").await;
    assert!(docx.starts_with(b"PK"), "a Word package");
}

/// A spreadsheet of models, uploaded, read in its dry run, then imported.
async fn import(w: &mut Walk, dir: &Path) {
    let file = dir.join("mo-hinh.csv");
    std::fs::write(
        &file,
        "\u{feff}Mã;Tên mô hình;Tỉnh;Đơn vị xây dựng;Lĩnh vực;Năm bắt đầu;Trạng thái\r\n\
         tn-2026-chuyen-doi-so;Dân vận khéo trong chuyển đổi số;Thái Nguyên;Đoàn Thanh niên phường Phan Đình Phùng;kinh tế;2026;đăng ký\r\n",
    )
    .unwrap();
    w.goto("/app/import").await;
    w.check("import").await;
    w.c.find(Locator::Css("#file"))
        .await
        .unwrap()
        .send_keys(&file.to_string_lossy())
        .await
        .unwrap();
    w.submit().await;
    let t = w.until_text("Kiểm tra trước").await;
    assert!(t.contains("mo-hinh.csv:2"), "{t}");
    w.check("import-dry-run").await;
    w.submit().await;
    w.until_text("Đã nhập mo-hinh.csv: 1 tạo mới").await;
    w.check("import-done").await;
}

/// A news article pasted into "Nhập từ văn bản": the proposals beside the text, each value's
/// words highlighted, the inferred year said so; at phone width the page does not scroll
/// sideways; the clerk writes what was proposed.
async fn ingest(w: &mut Walk) {
    w.goto("/app/ingest").await;
    w.check("ingest").await;
    w.fill(
        "text",
        "Chiều 1/7, Ban Dân vận Tỉnh ủy Thái Nguyên tổ chức Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2026. \
         Đồng chí Phạm Thị Hoa, Trưởng Ban Dân vận Tỉnh ủy, chủ trì hội nghị. \
         Sáu tháng đầu năm 2026, người đứng đầu cấp ủy, chính quyền các xã, phường đã tổ chức 128 cuộc đối thoại với Nhân dân.",
    )
    .await;
    w.fill("url", "https://baothainguyen.vn/chinh-tri/so-ket-6-thang")
        .await;
    w.fill("published", "2/7/2026").await;
    w.submit().await;
    let t = w.until_text("Bản ghi đề xuất (2)").await;
    assert!(t.contains("suy ra: năm của ngày đăng tin 02/7/2026"), "{t}");
    assert!(t.contains("Buổi\n\tchiều"), "{t}");
    assert!(
        t.contains("Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân"),
        "{t}"
    );
    let marks = w.c.find_all(Locator::Css(".source mark")).await.unwrap();
    assert!(marks.len() >= 5, "{} marks", marks.len());
    w.check("ingest-read").await;
    // At phone width nothing runs off the side.
    w.c.set_window_size(390, 844).await.unwrap();
    let wide =
        w.c.execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        wide.as_i64(),
        Some(0),
        "the page is wider than a phone by {wide} px"
    );
    w.check("ingest-phone").await;
    w.c.set_window_size(1366, 900).await.unwrap();
    w.submit().await;
    let t = w.until_text("Đã ghi:").await;
    assert!(
        t.contains("tn-2026-07-01-hoi-nghi-so-ket") && t.contains("tạo mới"),
        "{t}"
    );
    w.check("ingest-done").await;
    // A text with no year to be had: the day is left for the clerk to fill, and the
    // proposal is written only once it is.
    w.goto("/app/ingest").await;
    w.fill(
        "text",
        "Sáng 3/7, Ban Dân vận Tỉnh ủy Thái Nguyên tổ chức Hội nghị tập huấn nghiệp vụ công tác dân vận.",
    )
    .await;
    w.submit().await;
    let t = w.until_text("Bản ghi đề xuất (1)").await;
    assert!(
        t.contains("Văn bản không nêu; điền vào để ghi bản ghi này."),
        "{t}"
    );
    w.fill("m:p1:date", "3/7/2026").await;
    w.c.find(Locator::Css("input[name=\"accept\"][value=\"p1\"]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    w.submit().await;
    let t = w.until_text("Đã ghi:").await;
    assert!(
        t.contains("Hội nghị tập huấn nghiệp vụ công tác dân vận"),
        "{t}"
    );
    w.c.find(Locator::Css("main li a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let t = w.until_text("03/07/2026").await;
    assert!(t.contains("Thái Nguyên"), "{t}");
}

async fn refusals(w: &mut Walk) {
    // Outside the clerk's province: refused, nothing written.
    w.goto("/app/conferences/new").await;
    fill_conference(w, "hn-2026-doi-thoai", "20/11/2026", "Hà Nội").await;
    w.submit().await;
    w.until_text("Không có quyền").await;
    w.check("not-allowed").await;
    // A form posted without the session's CSRF token (as another site would): refused.
    w.goto("/app").await;
    w.c.execute(
        "const f = document.createElement('form');
         f.method = 'post'; f.action = '/app/conferences/new';
         for (const [k, v] of [['id', 'tn-csrf'], ['title', 'x'], ['date', '1/1/2026']]) {
             const i = document.createElement('input'); i.name = k; i.value = v; f.appendChild(i);
         }
         document.body.appendChild(f); f.submit();",
        vec![],
    )
    .await
    .unwrap();
    w.until_text("CSRF").await;
}

/// The sign-in form's token field, behind its disclosure (integrators and operators sign in
/// with tokens; people with their login).
async fn open_token_sign_in(w: &Walk) {
    w.c.find(Locator::Css("main details summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

const ADMIN: &str = "tn.quantri";
const ADMIN_PASSWORD: &str = "Quản trị Thái Nguyên 2025";
const DISTRICT: &str = "dinh-hoa.nhaplieu";
const DISTRICT_PASSWORD: &str = "Định Hóa nhập liệu 01";
const APPROVER: &str = "tn.duyet";
const APPROVER_PASSWORD: &str = "người duyệt của Ban";

/// Signs out (the button in the page's header).
async fn sign_out(w: &mut Walk) {
    w.c.find(Locator::Css("header form button[type=\"submit\"]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    w.until_text("Tên đăng nhập").await;
}

/// Signs in as the person `login`.
async fn sign_in_as(w: &mut Walk, login: &str, password: &str) {
    w.goto("/app/sign-in").await;
    w.fill("login", login).await;
    w.fill("password", password).await;
    w.submit().await;
    w.until_text(&format!("({login})")).await;
}

/// The board's administrator adds the district's clerk and the board's approver on the users
/// page.
async fn people(w: &mut Walk) {
    sign_in_as(w, ADMIN, ADMIN_PASSWORD).await;
    for (login, name, role, seat, password) in [
        (
            DISTRICT,
            "Lê Thị Hoa",
            "clerk",
            "unit:tn-dinh-hoa",
            DISTRICT_PASSWORD,
        ),
        (
            APPROVER,
            "Trần Văn Bình",
            "approver",
            "board",
            APPROVER_PASSWORD,
        ),
    ] {
        w.goto("/app/users").await;
        w.until_text("Thêm người dùng").await;
        w.fill("login", login).await;
        w.fill("name", name).await;
        w.choose("role", role).await;
        w.choose("seat", seat).await;
        w.fill("password", password).await;
        w.submit().await;
        w.until_text(&format!("Đã thêm người dùng {login}.")).await;
    }
    w.check("users").await;
    sign_out(w).await;
}

/// Takes `action` on the submission page, with `reason`.
async fn take_step(w: &mut Walk, submission: &str, action: &str, reason: &str) {
    w.goto(submission).await;
    w.until_text("Gửi, trả lại, duyệt").await;
    w.choose("action", action).await;
    w.fill("reason", reason).await;
    submit_step(w).await;
    w.until_text("Đã lưu").await;
}

/// Clicks the step form's button (the report's page has several forms).
async fn submit_step(w: &Walk) {
    w.c.find(Locator::Css(
        "form[action$=\"/step\"] button[type=\"submit\"]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
}

/// The board's clerk sets the districts' six-month form.
async fn set_the_form(w: &mut Walk) {
    w.goto("/app/forms/new").await;
    w.check("form-new").await;
    w.fill("name", "Báo cáo công tác dân vận 6 tháng (cấp huyện)")
        .await;
    w.fill("province", "Thái Nguyên").await;
    w.choose("period_kind", "half").await;
    w.choose("level", "district").await;
    w.fill("indicators", "dialogues_held").await;
    w.fill("due_days_after_end", "-15").await;
    w.fill("sections", "ket-qua: Kết quả thực hiện").await;
    w.submit().await;
    w.until_text("Đã lưu").await;
}

/// The district's clerk enters the district's figure and writes the report's section.
async fn district_fills(w: &mut Walk, submission: &str) {
    w.goto("/app/observations/new").await;
    w.fill("id", "dh-2025s1-doi-thoai").await;
    w.fill("indicator", "dialogues_held").await;
    w.fill("province", "Thái Nguyên").await;
    w.fill("unit.name", "Định Hóa").await;
    w.choose("unit.level", "district").await;
    w.fill("period", "2025S1").await;
    w.fill("value", "11").await;
    w.submit().await;
    w.until_text("Đã lưu").await;
    // The district writes its section on the report's own form.
    w.goto(&format!("{submission}/edit")).await;
    w.check("submission-edit").await;
    w.fill(
        "sections",
        "ket-qua: Tổ chức 11 cuộc đối thoại với Nhân dân",
    )
    .await;
    w.submit().await;
    w.until_text("Đã lưu").await;
}

/// Returned, the district corrects its figure in the report's entry grid (12, not 11) and
/// attaches the signed original, a PDF chosen in the file picker.
async fn district_corrects(w: &mut Walk, submission: &str) {
    w.goto(submission).await;
    w.until_text("Nhập số liệu").await;
    w.fill("figure.dialogues_held.value", "12").await;
    w.submit().await;
    w.until_text("Đã lưu").await;
    let pdf = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    std::fs::write(pdf.path(), b"%PDF-1.7\n(Bao cao 6 thang - ban ky)\n%%EOF\n").unwrap();
    w.c.find(Locator::Css("#original-file"))
        .await
        .unwrap()
        .send_keys(&pdf.path().to_string_lossy())
        .await
        .unwrap();
    w.c.find(Locator::Css("form[enctype=\"multipart/form-data\"] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let t = w.until_text("Tải về:").await;
    assert!(t.contains(".pdf (1 KB)"), "{t}");
    w.check("submission-grid").await;
}

/// The reporting cycle as people walk it: the board's clerk sets a form for the districts'
/// six-month report; the administrator adds the district's clerk and the board's approver;
/// the district's clerk sees only the district's report, begins it from "Tình hình gửi báo
/// cáo", is refused while its figure is missing, enters it and sends; the approver returns it
/// with a reason; the district sends again; the approver approves; the approved figure cannot
/// be edited; the board sees the coverage.
async fn reporting_cycle(w: &mut Walk, clerk: &str) {
    set_the_form(w).await;
    w.goto("/app/completeness?period=2025S1").await;
    w.until_text("0/9 đơn vị đã gửi").await;
    w.check("completeness").await;
    sign_out(w).await;
    people(w).await;
    sign_in_as(w, DISTRICT, DISTRICT_PASSWORD).await;
    w.goto("/app/completeness?period=2025S1").await;
    let t = w.until_text("0/1 đơn vị đã gửi").await;
    assert!(
        t.contains("huyện Định Hóa") && !t.contains("huyện Phú Lương"),
        "{t}"
    );
    w.c.find(Locator::XPath(
        "//input[@value='tn-dinh-hoa']/following-sibling::button",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    w.until_text("Gửi lên Ban").await;
    let submission = w.path().await;
    w.check("submission").await;
    // Sent with no figure: refused, the cell named.
    w.choose("action", "send").await;
    submit_step(w).await;
    let t = w.until_text("chưa nhập số liệu Hội nghị đối thoại").await;
    assert!(t.contains("mục “Kết quả thực hiện” chưa được viết"), "{t}");
    w.check("submission-refused").await;
    district_fills(w, &submission).await;
    take_step(w, &submission, "send", "").await;
    // Sent, the district's clerk has no step left to take: the board returns or approves.
    let t = w.text().await;
    assert!(!t.contains("Gửi, trả lại, duyệt"), "{t}");
    sign_out(w).await;
    sign_in_as(w, APPROVER, APPROVER_PASSWORD).await;
    take_step(
        w,
        &submission,
        "return",
        "Số cuộc đối thoại chưa khớp báo cáo của xã",
    )
    .await;
    sign_out(w).await;
    sign_in_as(w, DISTRICT, DISTRICT_PASSWORD).await;
    district_corrects(w, &submission).await;
    take_step(w, &submission, "send", "").await;
    sign_out(w).await;
    sign_in_as(w, APPROVER, APPROVER_PASSWORD).await;
    take_step(w, &submission, "approve", "").await;
    let t = w.until_text("Lịch sử thay đổi").await;
    assert!(
        t.contains("Số cuộc đối thoại chưa khớp báo cáo của xã")
            && t.contains("Lê Thị Hoa (dinh-hoa.nhaplieu)")
            && t.contains("Trần Văn Bình (tn.duyet)"),
        "{t}"
    );
    // The approved figure is locked.
    w.goto("/app/observations/dh-2025s1-doi-thoai/edit").await;
    w.fill("value", "13").await;
    w.submit().await;
    let t = w.until_text("đã khóa: báo cáo").await;
    assert!(
        t.contains(", kỳ 2025S1, đã được duyệt bởi Trần Văn Bình (tn.duyet) ("),
        "{t}"
    );
    assert!(
        t.contains("cần người duyệt mở khóa (ghi lý do) trước khi sửa"),
        "{t}"
    );
    w.goto("/app/completeness?period=2025S1").await;
    w.until_text("1/9 đơn vị đã gửi, 1 đã duyệt").await;
    // The province's report counts the approved figure and says how its units' reports stand.
    w.goto("/app/reports/file?period=2025S1&province=thai-nguyen&lang=vi&format=html")
        .await;
    let t = w
        .until_text("Tình hình gửi báo cáo của các đơn vị: 1/9 đơn vị đã gửi, 1 đã duyệt")
        .await;
    assert!(
        t.contains("Định Hóa — Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân (6 tháng đầu năm 2025): 12."),
        "{t}"
    );
    w.goto("/app").await;
    // The board's clerk (a token) again, for the rest of the walk.
    sign_out(w).await;
    open_token_sign_in(w).await;
    w.fill("token", clerk).await;
    w.submit().await;
    w.until_text("Đăng nhập với tn-clerk").await;
}

/// The file of `extension` the browser downloads into `dir`, once complete.
async fn downloaded(dir: &Path, extension: &str) -> Vec<u8> {
    let started = Instant::now();
    loop {
        let done = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .find(|e| e.path().extension().and_then(|x| x.to_str()) == Some(extension));
        if let Some(e) = done {
            return std::fs::read(e.path()).unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no .{extension} was downloaded"
        );
        poll_pause().await;
    }
}
