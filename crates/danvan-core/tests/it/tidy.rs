//! Tidy checks over the workspace's own source, run as tests so they cannot be forgotten.

use std::fs;
use std::path::{Path, PathBuf};

use crate::workspace_root;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if !matches!(
                path.file_name().and_then(|n| n.to_str()),
                Some("target" | "snapshots")
            ) {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_says_what_it_is_for() {
    let root = workspace_root();
    let mut files = Vec::new();
    for dir in ["crates", "xtask", "fuzz/fuzz_targets"] {
        rust_files(&root.join(dir), &mut files);
    }
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = fs::read_to_string(f).unwrap();
            !text.lines().next().is_some_and(|l| l.starts_with("//!"))
        })
        .map(|f| f.strip_prefix(&root).unwrap_or(f).display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a leading //! line: {missing:?}"
    );
}

/// The core does no IO and reads no clock (see docs/ARCHITECTURE.md).
#[test]
fn core_does_no_io() {
    let mut files = Vec::new();
    rust_files(&workspace_root().join("crates/danvan-core/src"), &mut files);
    let forbidden = [
        "std::fs",
        "std::net",
        "std::process",
        "std::env",
        "File::",
        "SystemTime",
        "Instant::now",
        "Utc::now",
        "Local::now",
        "tokio",
        "println!",
        "eprintln!",
    ];
    let mut found = Vec::new();
    for f in &files {
        for (i, line) in fs::read_to_string(f).unwrap().lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden {
                if code.contains(word) {
                    found.push(format!("{}:{}: {word}", f.display(), i + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "IO in danvan-core: {found:#?}");
}

/// Tests synchronise with channels, barriers, pipes or a blocking fake, never by sleeping until
/// another thread or process has (probably) got somewhere. A sleep that is itself the subject
/// (a kill at a random moment, a widened race window) says so in a `// tidy: sleep` comment on
/// one of the three lines above it.
#[test]
fn tests_do_not_wait_by_sleeping() {
    let root = workspace_root();
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root.join("crates")).unwrap() {
        let tests = dir.unwrap().path().join("tests");
        if tests.is_dir() {
            rust_files(&tests, &mut files);
        }
    }
    let mut found = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            // Spelled in pieces so that this file does not find itself.
            let needles = [concat!("thread", "::sleep("), concat!("time", "::sleep(")];
            if !needles.iter().any(|n| code.contains(n)) {
                continue;
            }
            let explained = lines[i.saturating_sub(3)..i]
                .iter()
                .any(|l| l.contains("// tidy: sleep"));
            if !explained {
                found.push(format!(
                    "{}:{}",
                    f.strip_prefix(&root).unwrap_or(f).display(),
                    i + 1
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "tests that wait by sleeping (synchronise instead, or say why the sleep is the subject): {found:?}"
    );
}
