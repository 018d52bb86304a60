//! `danvan ingest`: an article read into proposals with their evidence; through a
//! pseudo-terminal, a clerk skips one proposal, corrects another and writes it; the record
//! holds the source and its history the evidence; read again, the stored records are
//! recognised; a damaged file is named.

#![cfg(unix)]

use std::process::Command;

const ARTICLE: &str = "Chiều 14/3, Ban Dân vận Tỉnh ủy tổ chức Hội nghị sơ kết 3 năm thực hiện Chỉ thị số 05-CT/TU, ngày 23/5/2021 của Ban Thường vụ Tỉnh ủy về nâng cao hiệu quả phong trào thi đua “Dân vận khéo”. Đồng chí Hoàng Thị Mai, Trưởng Ban Dân vận Tỉnh ủy, chủ trì hội nghị.\n";

fn raw(text: &str) -> String {
    text.bytes().map(char::from).collect()
}

#[test]
fn a_clerk_reviews_corrects_and_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(crate::danvan(dir, &["--store", "s", "init"]).starts_with("exit: 0"));
    std::fs::write(dir.join("bai.txt"), ARTICLE).unwrap();
    let args = [
        "--store",
        "s",
        "ingest",
        "bai.txt",
        "--published",
        "15/3/2025",
        "--url",
        "https://baolaocai.vn/tin/1",
    ];
    // Read only: nothing is written, every value shows its words.
    let out = crate::danvan(dir, &args);
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(
        out.contains("Ngày (date) = 14/03/2025   (suy ra: năm của ngày đăng tin 15/3/2025)"),
        "{out}"
    );
    assert!(
        out.contains("Số, ký hiệu (number) = 05-CT/TU   «05-CT/TU»"),
        "{out}"
    );
    assert!(out.contains("Chưa ghi gì"), "{out}");

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_danvan"));
    // Written against the English messages (the Vietnamese ones have their own tests).
    cmd.env("DANVAN_LANG", "en");
    cmd.args(args)
        .arg("--review")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("DANVAN_ACTOR", "tester")
        .env("TERM", "xterm")
        .env_remove("DANVAN_STORE");
    let mut p = rexpect::session::spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_string(&raw(
        "[p1] Chỉ thị 05-CT/TU — ghi (g), sửa (s), bỏ qua (b), dừng (d)?",
    ))
    .unwrap();
    p.send_line("b").unwrap();
    p.exp_string("[p2]").unwrap();
    p.send_line("s").unwrap();
    p.exp_string(&raw("Gõ trường=giá trị")).unwrap();
    p.send_line("location=Hội trường Tỉnh ủy").unwrap();
    p.send_line("").unwrap();
    p.exp_string(&raw(
        "Địa điểm (location) = Hội trường Tỉnh ủy   (suy ra: người nhập sửa)",
    ))
    .unwrap();
    p.send_line("g").unwrap();
    p.exp_string(&raw("ghi mới")).unwrap();
    p.exp_eof().unwrap();

    let list = crate::danvan(dir, &["--store", "s", "--json", "conference", "list"]);
    let v = crate::stdout_json(&list);
    let c = &v["items"][0]["record"]["record"];
    assert_eq!(c["date"], "2025-03-14", "{list}");
    assert_eq!(c["location"], "Hội trường Tỉnh ủy");
    assert_eq!(c["province"], "lao-cai");
    assert_eq!(c["sources"][0]["url"], "https://baolaocai.vn/tin/1");
    let marks: Vec<&str> = c["inferred"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["field"].as_str().unwrap())
        .collect();
    assert!(
        marks.contains(&"date.year") && marks.contains(&"location"),
        "{marks:?}"
    );
    // The directive was skipped: the conference names no record that does not exist.
    assert!(c.get("reviewed_directives").is_none(), "{c}");
    let id = c["id"].as_str().unwrap();
    let history = crate::danvan(
        dir,
        &["--store", "s", "--json", "conference", "history", id],
    );
    assert!(
        history.contains("Nhập từ văn bản: https://baolaocai.vn/tin/1"),
        "{history}"
    );
    assert!(history.contains("«Chiều 14/3»"), "{history}");

    read_again(dir, &args, id);
}

/// The same article read again: the stored conference is recognised and `--yes` writes only
/// what is new; a second page's source joins the conference's.
fn read_again(dir: &std::path::Path, args: &[&str], id: &str) {
    // Read again: the stored conference is recognised, and --yes writes only what is new.
    let again = crate::danvan(dir, &[args, &["--yes"]].concat());
    assert!(again.contains(&format!("đã có trong kho: {id}")), "{again}");
    assert!(
        again.contains("conference") && again.contains("bổ sung vào bản ghi đã có"),
        "{again}"
    );
    // The conference keeps its values and gains the second reading's source.
    let again_url = crate::danvan(
        dir,
        &[
            &args[..4],
            &[
                "--published",
                "15/3/2025",
                "--url",
                "https://baolaocai.vn/tin/2",
                "--yes",
            ],
        ]
        .concat(),
    );
    assert!(again_url.starts_with("exit: 0"), "{again_url}");
    let list = crate::danvan(dir, &["--store", "s", "--json", "conference", "list"]);
    let sources = crate::stdout_json(&list)["items"][0]["record"]["record"]["sources"].clone();
    assert_eq!(sources.as_array().map(Vec::len), Some(2), "{sources}");
    // The directive skipped at first and written now is the conference's reviewed directive.
    let reviewed =
        crate::stdout_json(&list)["items"][0]["record"]["record"]["reviewed_directives"].clone();
    assert_eq!(reviewed.as_array().map(Vec::len), Some(1), "{reviewed}");
    assert!(
        again.contains("directive") && again.contains("ghi mới"),
        "{again}"
    );
    let twice = crate::danvan(dir, &[args, &["--json"]].concat());
    let v = crate::stdout_json(&twice);
    assert!(
        v[0]["proposals"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["existing"].is_string()),
        "{twice}"
    );
}

#[test]
fn damaged_files_are_named_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(crate::danvan(dir, &["--store", "s", "init"]).starts_with("exit: 0"));
    std::fs::write(dir.join("hong.txt"), b"Chi\xe1u 14/3").unwrap();
    std::fs::write(dir.join("hong.docx"), b"PK\x03\x04not a zip").unwrap();
    let out = crate::danvan(dir, &["--store", "s", "ingest", "hong.txt"]);
    assert!(
        out.starts_with("exit: 1") && out.contains("hong.txt: not UTF-8 text (byte 3)"),
        "{out}"
    );
    let out = crate::danvan(dir, &["--store", "s", "ingest", "hong.docx", "--yes"]);
    assert!(
        out.starts_with("exit: 1") && out.contains("hong.docx: not a readable DOCX document"),
        "{out}"
    );
    let list = crate::danvan(dir, &["--store", "s", "--json", "conference", "list"]);
    assert_eq!(
        crate::stdout_json(&list)["items"].as_array().unwrap().len(),
        0
    );
}

/// A PDF with a text layer (printed by Chromium from `bai-bao.html`), read through poppler's
/// pdftotext (`cargo xtask ci` installs it when missing): lines wrapped by the page are one
/// sentence again, and the reading matches the page's.
#[test]
fn a_pdf_is_read_as_its_page() {
    assert!(
        std::process::Command::new("pdftotext")
            .arg("-v")
            .output()
            .is_ok(),
        "pdftotext is needed: apt-get install poppler-utils (`cargo xtask ci` does)"
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(crate::danvan(dir, &["--store", "s", "init"]).starts_with("exit: 0"));
    let root = crate::root().join("fixtures/ingest");
    std::fs::copy(root.join("bai-bao.pdf"), dir.join("bai-bao.pdf")).unwrap();
    std::fs::copy(root.join("bai-bao.html"), dir.join("bai-bao.html")).unwrap();
    let facts = |file: &str| {
        let out = crate::danvan(
            dir,
            &[
                "--store",
                "s",
                "--json",
                "ingest",
                file,
                "--published",
                "15/3/2026",
                "--url",
                "https://baoquangtri.vn/x",
            ],
        );
        let v = crate::stdout_json(&out);
        let mut facts: Vec<String> = v[0]["proposals"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| {
                p["values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(move |x| format!("{} {} {}", p["kind"], x["field"], x["value"]))
            })
            .collect();
        facts.sort();
        facts
    };
    let pdf = facts("bai-bao.pdf");
    assert!(
        pdf.iter()
            .any(|f| f.contains("\"issued_on\" \"2023-01-20\"")),
        "{pdf:#?}"
    );
    assert_eq!(pdf, facts("bai-bao.html"));
    // Not a PDF after all, and a PDF with no text: each refused by name.
    std::fs::write(dir.join("hong.pdf"), b"%PDF-1.7 broken").unwrap();
    let out = crate::danvan(dir, &["--store", "s", "ingest", "hong.pdf"]);
    assert!(
        out.starts_with("exit: 1") && out.contains("hong.pdf: not a readable PDF"),
        "{out}"
    );
}

/// Against the registries: a district's figure names the unit the registry knows; a figure
/// the store holds is recognised, and a difference in its numbers is said.
#[test]
fn units_and_stored_figures_are_recognised() {
    let store = crate::demo_store();
    let dir = store.path();
    std::fs::write(
        dir.join("bai.txt"),
        "Ngày 4/7/2024, Huyện ủy Định Hóa tổ chức hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024 tại tỉnh Thái Nguyên. Trong 6 tháng đầu năm 2024, toàn huyện tổ chức 23 cuộc đối thoại.\n\
         6 tháng đầu năm 2024, toàn tỉnh Thái Nguyên đã giải quyết 1.200/1.337 đơn.\n",
    )
    .unwrap();
    let out = crate::danvan(dir, &["--store", "s", "--json", "ingest", "bai.txt"]);
    let v = crate::stdout_json(&out);
    let p = v[0]["proposals"].as_array().unwrap();
    assert_eq!(
        p[0]["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["field"] == "location")
            .unwrap()["value"],
        "tỉnh Thái Nguyên",
        "{out}"
    );
    assert_eq!(
        p[1]["notes"][0], "Đơn vị báo cáo “huyện Định Hóa” có trong danh mục (tn-dinh-hoa)",
        "{out}"
    );
    assert_eq!(p[2]["existing"], "tn-2024s1-complaints", "{out}");
    assert!(
        p[2]["notes"][0]
            .as_str()
            .unwrap()
            .contains("numerator: văn bản 1200, trong kho 1272"),
        "{out}"
    );
    // People against the people the store's conferences name.
    std::fs::write(
        dir.join("nguoi.txt"),
        "Ngày 20/6/2024, Ban Dân vận Tỉnh ủy Thái Nguyên tổ chức hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024. Đồng chí Hà Thị Bích Hạnh, Trưởng Ban Dân vận Tỉnh ủy, chủ trì; dự có đồng chí Nguyễn Văn Mới, Phó Chủ tịch UBND tỉnh.\n",
    )
    .unwrap();
    let out = crate::danvan(dir, &["--store", "s", "ingest", "nguoi.txt"]);
    assert!(
        out.contains(
            "lưu ý: Hà Thị Bích Hạnh: đã có trong kho (Trưởng Ban Dân vận Tỉnh ủy, hội nghị"
        ),
        "{out}"
    );
    assert!(
        out.contains("lưu ý: Nguyễn Văn Mới: người chưa có trong kho"),
        "{out}"
    );
}
