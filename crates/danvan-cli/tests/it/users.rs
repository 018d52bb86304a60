//! `danvan user`: the first administrator of a board is added from the CLI, with the password
//! on standard input; mistakes are named; the store keeps only the password's hash.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::{danvan, demo_store};

/// Runs `danvan --store s ARGS` in `dir` with `input` on standard input.
pub(crate) fn with_stdin(
    dir: &std::path::Path,
    args: &[&str],
    input: &str,
) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_danvan"))
        // Written against the English messages (the Vietnamese ones have their own tests).
        .env("DANVAN_LANG", "en")
        .args(["--store", "s"])
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("DANVAN_STORE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn users_are_added_listed_and_disabled_from_the_cli() {
    let tmp = demo_store();
    let dir = tmp.path();
    let add = |args: &[&str], password: &str| {
        let mut all = vec!["user", "add"];
        all.extend_from_slice(args);
        all.push("--password-stdin");
        with_stdin(dir, &all, &format!("{password}\n"))
    };
    let (code, out, err) = add(
        &[
            "tn.quantri",
            "--name",
            "Nguyễn Văn An",
            "--role",
            "quản trị",
            "--province",
            "Thái Nguyên",
        ],
        "mật khẩu quản trị 2025",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "added tn.quantri — Nguyễn Văn An, quản trị (Ban Tuyên giáo và Dân vận Tỉnh ủy Thái Nguyên)\n"
    );
    let (code, out, err) = add(
        &[
            "dinh-hoa.nhaplieu",
            "--name",
            "Lê Thị Hoa",
            "--role",
            "nhap lieu",
            "--unit",
            "tn-dinh-hoa",
        ],
        "mật khẩu của Hoa 01",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("huyện Định Hóa (Thái Nguyên)"), "{out}");
    // A unit of a province merged on 1 July 2025 sits at its province's board today.
    let (code, out, err) = add(
        &[
            "ba-be.nhaplieu",
            "--name",
            "Hoàng Văn Ba",
            "--role",
            "clerk",
            "--unit",
            "bk-ba-be",
        ],
        "mật khẩu của Ba Bể",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("huyện Ba Bể (Thái Nguyên)"), "{out}");
    mistakes_are_named(dir);
    listed_and_hashed(dir);
    let out = danvan(
        dir,
        &["--store", "s", "user", "disable", "dinh-hoa.nhaplieu"],
    );
    assert!(
        out.contains("dinh-hoa.nhaplieu can no longer sign in"),
        "{out}"
    );
    let list = danvan(dir, &["--store", "s", "--json", "user", "list"]);
    let rows = crate::stdout_json(&list);
    let row = |login: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["login"] == login)
            .cloned()
            .unwrap_or_else(|| panic!("{login}: {list}"))
    };
    assert_eq!(
        row("ba-be.nhaplieu")["seat"]["province"],
        "thai-nguyen",
        "{list}"
    );
    assert_eq!(row("dinh-hoa.nhaplieu")["active"], false, "{list}");
    assert_eq!(row("dinh-hoa.nhaplieu")["seat"]["unit"], "tn-dinh-hoa");
    let (code, out, _) = with_stdin(
        dir,
        &["user", "password", "tn.quantri", "--password-stdin"],
        "một mật khẩu mới hơn\n",
    );
    assert_eq!(code, 0);
    assert!(out.contains("password of tn.quantri changed"), "{out}");
    let out = danvan(dir, &["--store", "s", "user", "enable", "khong-co"]);
    assert!(out.contains("there is no user `khong-co`"), "{out}");
}

/// Each mistake in `danvan user add` named, nothing written.
fn mistakes_are_named(dir: &std::path::Path) {
    // Each mistake named, nothing written.
    for (args, password, said) in [
        (
            vec!["tn.quantri", "--name", "Ai", "--role", "admin", "--central"],
            "mười ký tự trở lên",
            "a user `tn.quantri` already exists",
        ),
        (
            vec!["x.y", "--name", "Ai", "--role", "sếp", "--central"],
            "mười ký tự trở lên",
            "`sếp` is not a role",
        ),
        (
            vec!["x.y", "--name", "Ai", "--role", "admin", "--central"],
            "ngắn",
            "the password has 4 characters; it needs at least 10",
        ),
        (
            vec![
                "x.y", "--name", "Ai", "--role", "admin", "--unit", "khong-co",
            ],
            "mười ký tự trở lên",
            "there is no registered unit khong-co",
        ),
        (
            vec!["X Y", "--name", "Ai", "--role", "admin", "--central"],
            "mười ký tự trở lên",
            "login `X Y`: use 3 to 64 lowercase letters",
        ),
        (
            vec!["x.y", "--name", "Ai", "--role", "admin"],
            "mười ký tự trở lên",
            "say where the user sits",
        ),
    ] {
        let mut all = vec!["user", "add"];
        all.extend_from_slice(&args);
        all.push("--password-stdin");
        let (code, _, err) = with_stdin(dir, &all, &format!("{password}\n"));
        assert_ne!(code, 0, "{args:?}");
        assert!(err.contains(said), "{args:?}: {err}");
    }
}

/// `user list` shows each user's row as people read it; the store holds only hashes.
fn listed_and_hashed(dir: &std::path::Path) {
    let list = danvan(dir, &["--store", "s", "user", "list"]);
    let row = list
        .lines()
        .find(|l| l.trim_start().starts_with("dinh-hoa.nhaplieu "))
        .unwrap_or_else(|| panic!("{list}"));
    let cells: Vec<&str> = row
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        [
            "dinh-hoa.nhaplieu",
            "Lê Thị Hoa",
            "nhập liệu",
            "huyện Định Hóa (Thái Nguyên)",
            "yes"
        ],
        "{list}"
    );
    assert!(!list.contains("x.y"), "{list}");
    let users = std::fs::read_to_string(dir.join("s/users.json")).unwrap();
    assert!(
        users.contains("$argon2id$") && !users.contains("mật khẩu"),
        "{users}"
    );
}
