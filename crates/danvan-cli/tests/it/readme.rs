//! The README's walkthrough, run command by command, so it cannot go stale.

use crate::danvan;

/// Splits a command line into words: spaces separate, double quotes group.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            _ => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

#[test]
fn the_walkthrough_runs_as_written() {
    let readme = std::fs::read_to_string(crate::root().join("README.md")).unwrap();
    let start = readme
        .find("<!-- walkthrough -->")
        .expect("walkthrough marker");
    let end = readme
        .find("<!-- /walkthrough -->")
        .expect("walkthrough end marker");
    let commands: Vec<&str> = readme[start..end]
        .lines()
        .filter(|l| l.starts_with("danvan "))
        .collect();
    assert!(
        commands.len() >= 10,
        "the walkthrough has {} commands",
        commands.len()
    );
    let tmp = tempfile::tempdir().unwrap();
    // The walkthrough runs from the repository's root: the files it names from there are
    // where it looks for them.
    let exchange = tmp.path().join("fixtures/exchange");
    std::fs::create_dir_all(&exchange).unwrap();
    std::fs::copy(
        crate::root().join("fixtures/exchange/mapping.toml"),
        exchange.join("mapping.toml"),
    )
    .unwrap();
    let ingest = tmp.path().join("fixtures/ingest");
    std::fs::create_dir_all(&ingest).unwrap();
    std::fs::copy(
        crate::root().join("fixtures/ingest/bai-bao.html"),
        ingest.join("bai-bao.html"),
    )
    .unwrap();
    for line in commands {
        let args = words(line.strip_prefix("danvan ").unwrap());
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = danvan(tmp.path(), &refs);
        assert!(out.starts_with("exit: 0"), "`{line}` failed:\n{out}");
        assert!(
            !out.contains("error:"),
            "`{line}` reported an error:\n{out}"
        );
    }
    // The model added on the way is there, changed.
    let out = danvan(tmp.path(), &["--json", "model", "show", "tn-2026-so-hoa"]);
    assert!(out.contains("\"status\": \"effective\""), "{out}");
}
