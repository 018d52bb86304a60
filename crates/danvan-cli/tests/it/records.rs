//! `danvan <kind> add|show|list|update|delete`, and their error paths.

use crate::{danvan, demo_store};

#[test]
fn list_filters_by_province_on_either_map() {
    let tmp = demo_store();
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "observation", "list", "--province", "Thái Nguyên", "--period", "2024", "--indicator", "one_stop_communes", "--sort", "id"]), @r#"
    exit: 0
    --- stdout
    2 of 2 observations
      bk-2024-one-stop-communes  2024  Bắc Kạn      Communes running the one-stop mechanism: 108/108 (100%)
      tn-2024-one-stop-communes  2024  Thái Nguyên  Communes running the one-stop mechanism: 178/178 (100%), “đạt 100%”
    --- stderr
    "#);
    let recorded = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "observation",
            "list",
            "--province",
            "thai-nguyen",
            "--as-recorded",
            "--period",
            "2024",
            "--indicator",
            "one_stop_communes",
        ],
    );
    assert!(
        recorded.contains("1 of 1 observation") && !recorded.contains("bk-2024"),
        "{recorded}"
    );
    let page = danvan(
        tmp.path(),
        &[
            "--store", "s", "model", "list", "--field", "economy", "--limit", "2", "--sort",
            "title",
        ],
    );
    assert!(
        page.contains("2 of 5 models") && page.contains("more: --cursor "),
        "{page}"
    );
}

#[test]
fn add_show_update_delete() {
    let tmp = demo_store();
    let add = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "model",
            "add",
            "--set",
            "id=tn-2026-so-hoa",
            "--set",
            "name=Số hóa sổ hộ nghèo",
            "--set",
            "province=Thái Nguyên",
            "--set",
            "owning_unit=Hội Nông dân xã Tân Cương",
            "--set",
            "field=economy",
            "--set",
            "start_year=2026",
        ],
    );
    insta::assert_snapshot!(add, @r"
    exit: 0
    --- stdout
    Added model tn-2026-so-hoa (revision 2)
    --- stderr
    ");
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "model", "show", "tn-2026-so-hoa"]), @r#"
    exit: 0
    --- stdout
    model tn-2026-so-hoa (revision 2)
      Id           tn-2026-so-hoa
      Name         Số hóa sổ hộ nghèo
      Province     Thái Nguyên
      Owning unit  Hội Nông dân xã Tân Cương
      Field        economy
      Kind         collective
      Start year   2026
      Status       registered
    --- stderr
    "#);
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "model", "update", "tn-2026-so-hoa", "--set", "status=effective", "--set", "recognition={\"date\": \"2026-10-01\", \"level\": \"cấp tỉnh\"}"]), @r"
    exit: 0
    --- stdout
    Updated model tn-2026-so-hoa (revision 3)
    --- stderr
    ");
    // Someone who read revision 2 and writes now is told, not allowed to overwrite.
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "model", "update", "tn-2026-so-hoa", "--set", "status=discontinued", "--if-revision", "2"]), @r"
    exit: 3
    --- stdout
    --- stderr
    error: model tn-2026-so-hoa is at revision 3, not 2: it was changed by someone else; read it again and reapply your change
    ");
    insta::assert_snapshot!(danvan(tmp.path(), &["--store", "s", "model", "delete", "tn-2026-so-hoa"]), @r"
    exit: 0
    --- stdout
    Deleted model tn-2026-so-hoa (revision 4)
    --- stderr
    ");
}

#[test]
fn write_errors_name_the_field_the_record_or_the_referrer() {
    let tmp = demo_store();
    let run = |args: &[&str]| danvan(tmp.path(), &[&["--store", "s"], args].concat());
    insta::assert_snapshot!(run(&["model", "show", "no-such-model"]), @r"
    exit: 1
    --- stdout
    --- stderr
    error: no model with ID no-such-model
    hint: `danvan model list` shows the IDs there are
    ");
    insta::assert_snapshot!(run(&["model", "add", "--set", "id=x", "--set", "start_year=abc"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: 3 problems in what was given; nothing was written:
      --set start_year: "abc" is not a year; write it as 2024 (e.g. --set "start_year=2024")
      --name: is required (name), e.g. --name "Dân vận khéo trong xây dựng nông thôn mới"
      --province: is required (province), e.g. --province "Thái Nguyên"
    hint: `danvan model add --help` lists every field with an example
    "#);
    insta::assert_snapshot!(run(&["observation", "update", "tn-2024-one-stop-departments", "--set", "numerator=21"]), @r"
    exit: 1
    --- stdout
    --- stderr
    error: the write was refused:
      error: observation tn-2024-one-stop-departments: numerator: numerator 21 is greater than the denominator 20
    ");
    insta::assert_snapshot!(run(&["directive", "delete", "tn-05-da-2021"]), @r"
    exit: 1
    --- stdout
    --- stderr
    error: directive tn-05-da-2021 is referred to by conference tn-2023-so-ket-de-an-05: delete those first, or cascade
    hint: pass --cascade to detach the records that refer to it
    ");
    insta::assert_snapshot!(run(&["directive", "delete", "tn-05-da-2021", "--cascade"]), @r"
    exit: 0
    --- stdout
    Detached conference tn-2023-so-ket-de-an-05 (revision 2)
    Deleted directive tn-05-da-2021 (revision 2)
      warning: conference tn-2023-so-ket-de-an-05: reviewed_directives: a directive review should name the directives it reviews
    --- stderr
    ");
    insta::assert_snapshot!(run(&["model", "update", "hn-2018-tiep-dan", "--set", "id=other"]), @r"
    exit: 1
    --- stdout
    --- stderr
    error: the ID cannot be changed: add a new record and delete this one
    ");
    insta::assert_snapshot!(run(&["model", "add"]), @r#"
    exit: 1
    --- stdout
    --- stderr
    error: nothing to add
    hint: give the fields as flags (`danvan model add --help` lists them), --from FILE (the record in JSON), or --set field=value
    "#);
    std::fs::write(
        tmp.path().join("bad.json"),
        "{\"id\": \"m\",\n  \"name\": }",
    )
    .unwrap();
    insta::assert_snapshot!(run(&["model", "add", "--from", "bad.json"]), @r"
    exit: 1
    --- stdout
    --- stderr
    error: bad.json:2:11: expected value
    ");
}

/// `edit` with a scripted editor: the first save is invalid, danvan reopens the file with the
/// error on top, the second save fixes it.
#[test]
fn edit_reopens_with_the_errors_until_the_record_is_right() {
    let tmp = demo_store();
    let editor = tmp.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\n\
         n=$(cat \"$0.count\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$0.count\"\n\
         if [ $n -eq 1 ]; then sed -i 's/\"numerator\": 19/\"numerator\": 25/' \"$1\"; \n\
         else grep '^// error' \"$1\" > \"$0.seen\"; sed -i 's/\"numerator\": 25/\"numerator\": 18/' \"$1\"; fi\n",
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&editor)
        .status()
        .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_danvan"))
        // Written against the English messages (the Vietnamese ones have their own tests).
        .env("DANVAN_LANG", "en")
        .args([
            "--store",
            "s",
            "observation",
            "edit",
            "tn-2024-one-stop-departments",
        ])
        .current_dir(tmp.path())
        .env("EDITOR", &editor)
        .env_remove("VISUAL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout), @"Updated observation tn-2024-one-stop-departments (revision 2)");
    let seen = std::fs::read_to_string(tmp.path().join("editor.sh.seen")).unwrap();
    insta::assert_snapshot!(seen.trim(), @"// error: observation tn-2024-one-stop-departments: numerator: numerator 25 is greater than the denominator 20");
    let show = danvan(
        tmp.path(),
        &[
            "--store",
            "s",
            "--json",
            "observation",
            "show",
            "tn-2024-one-stop-departments",
        ],
    );
    assert!(show.contains("\"numerator\": 18"), "{show}");

    // An editor that changes nothing saves nothing.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_danvan"))
        // Written against the English messages (the Vietnamese ones have their own tests).
        .env("DANVAN_LANG", "en")
        .args(["--store", "s", "model", "edit", "hn-2018-tiep-dan"])
        .current_dir(tmp.path())
        .env("EDITOR", "true")
        .env_remove("VISUAL")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "No change: model hn-2018-tiep-dan stays at revision 1\n"
    );
}

#[test]
fn add_with_the_common_fields_as_flags() {
    let tmp = demo_store();
    let run = |args: &[&str]| danvan(tmp.path(), &[&["--store", "s"], args].concat());
    insta::assert_snapshot!(run(&[
        "conference", "add", "--id", "tn-2026-doi-thoai", "--title", "Hội nghị đối thoại với thanh niên",
        "--date", "2026-03-26", "--province", "Thái Nguyên", "--set", "kinds=[\"dialogue\"]",
        "--set", "host=Tỉnh đoàn Thái Nguyên", "--set", "format.mode=in_person",
    ]), @r"
    exit: 0
    --- stdout
    Added conference tn-2026-doi-thoai (revision 2)
    --- stderr
    ");
    insta::assert_snapshot!(run(&["observation", "add", "--id", "o-2026", "--indicator", "dialogues_held", "--period", "2026S1", "--province", "thai-nguyen", "--set", "value=41"]), @r"
    exit: 0
    --- stdout
    Added observation o-2026 (revision 3)
    --- stderr
    ");
    insta::assert_snapshot!(run(&["model", "add", "--id", "x", "--date", "2026-01-01"]), @r#"
    exit: 2
    --- stdout
    --- stderr
    error: unexpected argument '--date' found

    Usage: danvan model add --id <MÃ>

    For more information, try '--help'.
    "#);
}

/// The built-in indicators are listed (after the stored ones, marked), shown, and found by
/// text; their IDs are not free for stored definitions.
#[test]
fn the_indicator_catalogue_is_listed_and_shown() {
    let tmp = demo_store();
    let run = |args: &[&str]| danvan(tmp.path(), &[&["--store", "s", "indicator"], args].concat());
    let listed = run(&["list"]);
    assert!(
        listed.contains("3 of 3 indicators stored, and 20 built in"),
        "{listed}"
    );
    assert!(
        listed.contains("complaints_resolved             built in"),
        "{listed}"
    );
    insta::assert_snapshot!(run(&["list", "--text", "khieu nai"]), @r#"
    exit: 0
    --- stdout
    0 of 0 indicators stored, and 2 built in (every store has them)
      complaints_resolved  built in  đơn  Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh được giải quyết
      complaints_received  built in  đơn  Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh tiếp nhận
    --- stderr
    "#);
    let shown = run(&["show", "complaints_resolved"]);
    assert!(shown.contains("(built in: every store has it"), "{shown}");
    let json = crate::stdout_json(&run(&["--json", "list"]));
    assert_eq!(json["total"], 23);
    assert_eq!(json["items"][22]["revision"], 0);
    // A built-in's ID is not free for a province's own definition.
    let out = run(&[
        "add",
        "--set",
        "id=complaints_resolved",
        "--set",
        "name_vi=Đơn thư được giải quyết (cách tính của tỉnh)",
        "--set",
        "name_en=Complaints resolved (provincial method)",
        "--set",
        "unit=đơn",
        "--set",
        "measure=ratio",
        "--set",
        "direction=higher_is_better",
    ]);
    assert!(
        out.contains("is a built-in indicator; choose another code"),
        "{out}"
    );
}

const CLI_TOKEN: &str = "dv_cli-test-token-thai-nguyen";

/// A demo store with `danvan.toml` beside it: a write token bound to Thái Nguyên
/// ([`CLI_TOKEN`]) and a read-only one (`viewer-token`).
fn store_with_tokens() -> tempfile::TempDir {
    let tmp = crate::demo_store();
    std::fs::write(
        tmp.path().join("danvan.toml"),
        format!(
            "[[tokens]]\nname = \"tn-clerk\"\nsha256 = \"{}\"\nscopes = [\"write\"]\nprovinces = [\"thai-nguyen\"]\n\n[[tokens]]\nname = \"viewer\"\nsha256 = \"{}\"\nscopes = [\"read\"]\n",
            danvan_http::config::hash_token(CLI_TOKEN),
            danvan_http::config::hash_token("viewer-token"),
        ),
    )
    .unwrap();
    tmp
}

/// `danvan` with the Thái Nguyên token.
fn as_clerk(dir: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec![
        "--store",
        "s",
        "--token",
        CLI_TOKEN,
        "--token-config",
        "danvan.toml",
    ];
    all.extend_from_slice(args);
    crate::danvan(dir, &all)
}

/// `--token` makes the CLI write as the token's holder: its name in the history, and the
/// store's access rule for its provinces — another province's record refused on every write
/// command, as over HTTP, whatever the record as typed says.
#[test]
fn a_token_binds_the_cli_to_its_provinces() {
    let tmp = store_with_tokens();
    let dir = tmp.path();
    // Its own province, and Bắc Kạn's record of before the merger: written, by the token's name.
    let out = as_clerk(
        dir,
        &[
            "model",
            "update",
            "tn-2019-phu-xuan-nong-thon-moi",
            "--status",
            "hiệu quả",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    let out = as_clerk(
        dir,
        &[
            "model",
            "add",
            "--id",
            "tn-2026-moi",
            "--name",
            "Mô hình mới",
            "--province",
            "Thái Nguyên",
            "--unit",
            "Hội Nông dân xã",
            "--field",
            "kinh tế",
            "--year",
            "2026",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    let history = crate::danvan(dir, &["--store", "s", "model", "history", "tn-2026-moi"]);
    assert!(history.contains("tn-clerk"), "{history}");
}

/// The same token on another province's records: every write command refused, nothing
/// written.
#[test]
fn a_token_never_writes_another_provinces_record_from_the_cli() {
    let tmp = store_with_tokens();
    let dir = tmp.path();
    // Hà Nội's record: updated, taken over (its province typed as Thái Nguyên), deleted.
    let out = as_clerk(
        dir,
        &["model", "update", "hn-2018-tiep-dan", "--name", "Đổi tên"],
    );
    insta::assert_snapshot!(out, @r"
    exit: 1
    --- stdout
    --- stderr
    error: `tn-clerk` writes the records of Thái Nguyên; model hn-2018-tiep-dan is of Hà Nội
    ");
    let out = as_clerk(
        dir,
        &[
            "model",
            "update",
            "hn-2018-tiep-dan",
            "--province",
            "Thái Nguyên",
        ],
    );
    assert!(
        out.starts_with("exit: 1") && out.contains("is of Hà Nội"),
        "{out}"
    );
    let out = as_clerk(dir, &["model", "delete", "hn-2018-tiep-dan"]);
    assert!(
        out.starts_with("exit: 1") && out.contains("is of Hà Nội"),
        "{out}"
    );
    // A new record of another province, and an import holding one: refused, each named.
    let out = as_clerk(
        dir,
        &[
            "model",
            "add",
            "--id",
            "hn-2026-moi",
            "--name",
            "Mô hình",
            "--province",
            "Hà Nội",
            "--unit",
            "Hội Nông dân",
            "--field",
            "kinh tế",
            "--year",
            "2026",
        ],
    );
    assert!(
        out.starts_with("exit: 1") && out.contains("model hn-2026-moi is of Hà Nội"),
        "{out}"
    );
    std::fs::write(
        dir.join("mo-hinh.csv"),
        "Mã;Tên mô hình;Tỉnh;Đơn vị xây dựng;Lĩnh vực;Năm bắt đầu\r\nhn-2018-tiep-dan;Lấy về;Thái Nguyên;Hội Nông dân;kinh tế;2026\r\n",
    )
    .unwrap();
    let out = as_clerk(dir, &["import", "mo-hinh.csv"]);
    assert!(
        out.starts_with("exit: 1") && out.contains("hn-2018-tiep-dan is of ha-noi"),
        "{out}"
    );
    let hn = crate::danvan(
        dir,
        &[
            "--store",
            "s",
            "--json",
            "model",
            "show",
            "hn-2018-tiep-dan",
        ],
    );
    assert_eq!(
        crate::stdout_json(&hn)["record"]["record"]["province"],
        "ha-noi",
        "{hn}"
    );
}

/// A read-only token, an unknown one, or a token without the configuration that lists it:
/// refused before anything runs.
#[test]
fn a_token_the_cli_cannot_write_with_is_refused() {
    let tmp = store_with_tokens();
    let dir = tmp.path();
    let with = |token: &str, config: bool| {
        let mut args = vec!["--store", "s", "--token", token];
        if config {
            args.extend(["--token-config", "danvan.toml"]);
        }
        args.extend(["model", "delete", "tn-2019-phu-xuan-nong-thon-moi"]);
        crate::danvan(dir, &args)
    };
    let out = with("viewer-token", true);
    assert!(
        out.starts_with("exit: 1") && out.contains("has only the read scope"),
        "{out}"
    );
    let out = with("nope", true);
    assert!(
        out.contains("the token is not listed in danvan.toml"),
        "{out}"
    );
    let out = with(CLI_TOKEN, false);
    assert!(
        out.contains("--token needs the configuration file"),
        "{out}"
    );
    let shown = crate::danvan(
        dir,
        &[
            "--store",
            "s",
            "model",
            "show",
            "tn-2019-phu-xuan-nong-thon-moi",
        ],
    );
    assert!(shown.starts_with("exit: 0"), "nothing deleted: {shown}");
}

/// `--clear FIELD` empties a field — by its name, its Vietnamese label or its path — so that a
/// corrected figure does not keep a stale stated percentage; the ID and required fields cannot
/// be cleared, each refusal naming the field.
#[test]
fn a_field_is_cleared() {
    let store = crate::demo_store();
    let dir = store.path();
    let run = |args: &[&str]| crate::danvan(dir, &[&["--store", "s"][..], args].concat());
    let figure = "tn-2025s1-complaints";
    let out = run(&["observation", "update", figure, "--numerator", "1200"]);
    assert!(
        out.contains("stated \"trên 96%\" does not match the computed 88,11%"),
        "{out}"
    );
    let out = run(&["observation", "update", figure, "--clear", "stated"]);
    assert!(
        out.starts_with("exit: 0") && !out.contains("warning"),
        "{out}"
    );
    let shown = run(&["--json", "observation", "show", figure]);
    assert!(!shown.contains("\"stated\""), "{shown}");
    let conference = "tn-2024-so-ket-6-thang";
    let out = run(&[
        "conference",
        "update",
        conference,
        "--clear",
        "Địa điểm",
        "--clear",
        "format.connection_points",
    ]);
    assert!(out.starts_with("exit: 0"), "{out}");
    let shown = run(&["--json", "conference", "show", conference]);
    assert!(
        !shown.contains("\"location\"") && !shown.contains("connection_points"),
        "{shown}"
    );
    let out = run(&["observation", "update", figure, "--clear", "id"]);
    assert!(
        out.starts_with("exit: 1") && out.contains("--clear id"),
        "{out}"
    );
    let out = run(&["observation", "update", figure, "--clear", "period"]);
    assert!(
        out.starts_with("exit: 1") && out.contains("period: is required and missing"),
        "{out}"
    );
}

/// A review due in a quarter or a month, as plans set them ("sơ kết: quý IV/2025"), is kept
/// as that period and falls due on its last day.
#[test]
fn a_review_due_in_a_quarter() {
    let store = crate::demo_store();
    let dir = store.path();
    let run = |args: &[&str]| crate::danvan(dir, &[&["--store", "s"][..], args].concat());
    let out = run(&[
        "directive",
        "update",
        "tn-12-kh-2025",
        "--review",
        "sơ kết 1 năm: quý IV/2025",
        "--review",
        "sơ kết chuyên đề: tháng 6/2027",
    ]);
    assert!(out.starts_with("exit: 0"), "{out}");
    let shown = run(&["--json", "directive", "show", "tn-12-kh-2025"]);
    assert!(
        shown.contains("\"due\": \"2025Q4\"") && shown.contains("\"due\": \"202706\""),
        "{shown}"
    );
    let due = run(&["due", "--within", "2y", "--province", "Thái Nguyên"]);
    assert!(
        due.contains("31/12/2025  Kế hoạch 12-KH/BTGDVTU  sơ kết 1 năm"),
        "{due}"
    );
    assert!(
        due.contains("30/6/2027   Kế hoạch 12-KH/BTGDVTU  sơ kết chuyên đề"),
        "{due}"
    );
}

/// A target is listed as offices write it: a percentage indicator's target with its "%", a
/// count's as a number.
#[test]
fn targets_are_listed_by_indicator_name_period_in_words_and_value_as_written() {
    let tmp = crate::demo_store();
    let out = crate::danvan_in("vi", tmp.path(), &["--store", "s", "target", "list"]);
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(
        out.contains(
            "giai đoạn 2021 - 2025  Thái Nguyên  Đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh được giải quyết: 95%"
        ),
        "{out}"
    );
    assert!(
        out.contains("Vụ việc phức tạp, điểm nóng phát sinh: 5\n"),
        "a count has no %: {out}"
    );
}
