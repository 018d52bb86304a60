//! Integration tests of the `danvan` binary: the real executable, run against real files.

// Helpers here panic on failure by design: in a test, a panic is a failing test.
#![allow(clippy::unwrap_used)]

mod browser;
mod check;
mod cycle;
mod domain;
mod entry;
mod generated_client;
mod guided;
mod ingest;
mod languages;
mod limits;
mod old_stores;
mod pg;
mod readme;
mod records;
mod serve;
mod store_commands;
mod third_pass;
mod transfer;
mod users;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `danvan` with `args` in `dir`, and returns exit code, stdout and stderr as one text
/// for a snapshot, with `dir` replaced by `[DIR]`.
pub(crate) fn danvan(dir: &Path, args: &[&str]) -> String {
    // Written against the English messages (`languages` tests both).
    danvan_in("en", dir, args)
}

/// [`danvan`] with its messages in `lang` (`DANVAN_LANG`), whatever the machine's locale.
pub(crate) fn danvan_in(lang: &str, dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_danvan"))
        .env("DANVAN_LANG", lang)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // Help text wraps at this width everywhere (clap reads COLUMNS off a terminal).
        .env("COLUMNS", "100")
        // The history's actor, the same on every machine (the OS user otherwise).
        .env("DANVAN_ACTOR", "tester")
        .env_remove("DANVAN_STORE")
        .env_remove("DANVAN_TOKEN")
        .env_remove("DANVAN_CONFIG")
        .output()
        .unwrap();
    let text = format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status
            .code()
            .map_or("signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    text.replace(&dir.display().to_string(), "[DIR]")
}

/// A temporary directory holding a demo store at `s`; run commands in it with `--store s`.
/// The JSON a `--json` command printed on stdout (from [`danvan`]'s transcript).
pub(crate) fn stdout_json(out: &str) -> serde_json::Value {
    let json = out
        .split("--- stdout\n")
        .nth(1)
        .and_then(|s| s.split("--- stderr").next())
        .unwrap_or_else(|| panic!("{out}"));
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {out}"))
}

pub(crate) fn demo_store() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let out = danvan(tmp.path(), &["--store", "s", "init", "--demo"]);
    assert!(out.starts_with("exit: 0"), "{out}");
    tmp
}
