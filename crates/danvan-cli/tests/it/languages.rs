//! Every kind of error the CLI reports, and what a clerk reads most (a write, the reviews due,
//! a record's card, a list), in Vietnamese (the default) and in English, from the one message
//! catalogue.

use crate::{danvan_in, demo_store};

/// A store not there, and command lines that cannot be read (exits 4 and 2).
fn command_lines(record: &mut impl FnMut(&str, &[&str])) {
    record(
        "no store there (exit 4)",
        &["--store", "nowhere", "validate"],
    );
    record(
        "a command line that cannot be read (exit 2)",
        &["--store", "s", "conference", "add", "--titel", "Hội nghị"],
    );
    record(
        "a value not among those allowed (exit 2)",
        &["--store", "s", "report", "--format", "pdf"],
    );
    record(
        "a value its flag cannot read (exit 2)",
        &["--store", "s", "due", "--within", "zz"],
    );
}

/// One command of each kind of failure, on a demo store, as a clerk meets it.
fn transcript(lang: &str) -> String {
    let tmp = demo_store();
    let dir = tmp.path();
    let mut out = String::new();
    let mut record = |title: &str, args: &[&str]| {
        let text = danvan_in(lang, dir, args);
        out.push_str(&format!("## {title}: danvan {}\n{text}\n", args.join(" ")));
    };
    command_lines(&mut record);
    let mut run = |title: &str, args: &[&str]| record(title, &[&["--store", "s"], args].concat());
    run(
        "no such record (exit 1)",
        &["conference", "show", "hn-2099-khong-co"],
    );
    run("nothing given (exit 1)", &["conference", "add"]);
    run(
        "values that cannot be read (exit 1)",
        &[
            "conference",
            "add",
            "--title",
            "Hội nghị",
            "--date",
            "31/2/2025",
        ],
    );
    run(
        "an ID that is taken (exit 1)",
        &[
            "conference",
            "add",
            "--id",
            "hn-2023-so-ket-ctr-07",
            "--title",
            "Hội nghị sơ kết",
            "--kind",
            "sơ kết 6 tháng",
            "--date",
            "22/6/2023",
            "--province",
            "Hà Nội",
        ],
    );
    run(
        "changed by someone else meanwhile (exit 3)",
        &[
            "conference",
            "update",
            "hn-2023-so-ket-ctr-07",
            "--if-revision",
            "0",
            "--set",
            "title=Hội nghị sơ kết Chương trình 07",
        ],
    );
    run(
        "a record others refer to (exit 1)",
        &["directive", "delete", "tw-25-nq-2013"],
    );
    run(
        "a written change",
        &[
            "conference",
            "update",
            "hn-2023-so-ket-ctr-07",
            "--set",
            "title=Hội nghị sơ kết giữa kỳ Chương trình số 07-CTr/TU",
        ],
    );
    run("reviews due", &["due", "--as-of", "2026-12-07"]);
    run("a record's card", &["directive", "show", "tw-25-nq-2013"]);
    run(
        "a list, names not codes",
        &[
            "observation",
            "list",
            "--province",
            "Thái Nguyên",
            "--period",
            "2024",
        ],
    );
    // A damaged file: the store refuses to open, and says where and what to do.
    let shard = dir.join("s/records/conferences/ha-noi/2023.json");
    assert!(shard.is_file(), "{}", shard.display());
    std::fs::write(&shard, "{ not json").unwrap();
    run("a damaged file (exit 4)", &["validate"]);
    out
}

#[test]
fn every_kind_of_error_in_vietnamese_by_default() {
    let vi = transcript("vi");
    // What the CLI printed (not the command lines, which hold flags such as --if-revision).
    let printed: Vec<&str> = vi.lines().filter(|l| !l.starts_with("## ")).collect();
    for english in [
        "error:",
        "hint:",
        "no conference",
        "nothing to add",
        "revision",
        "Usage",
    ] {
        assert!(
            !printed.iter().any(|l| l.contains(english)),
            "English `{english}` in:\n{vi}"
        );
    }
    insta::assert_snapshot!(vi);
}

#[test]
fn every_kind_of_error_in_english() {
    insta::assert_snapshot!(transcript("en"));
}

#[test]
fn the_locale_chooses_when_no_flag_does_and_the_flag_wins() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_danvan"));
        cmd.env_remove("DANVAN_LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .env_remove("DANVAN_STORE")
            .args(args)
            .current_dir(tmp.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        String::from_utf8_lossy(&cmd.output().unwrap().stderr).into_owned()
    };
    let args = ["--store", "nowhere", "validate"];
    assert!(run(&[], &args).starts_with("lỗi: "), "{}", run(&[], &args));
    assert!(run(&[("LANG", "C.UTF-8")], &args).starts_with("lỗi: "));
    assert!(run(&[("LANG", "en_GB.UTF-8")], &args).starts_with("error: "));
    assert!(run(&[("LANG", "en_GB.UTF-8"), ("DANVAN_LANG", "vi")], &args).starts_with("lỗi: "));
    let flagged = [&["--lang", "en"][..], &args[..]].concat();
    assert!(run(&[("DANVAN_LANG", "vi")], &flagged).starts_with("error: "));
}
