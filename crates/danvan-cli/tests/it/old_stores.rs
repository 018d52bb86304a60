//! Stores written by earlier releases (`fixtures/stores`) open unchanged with this build: they
//! validate, export byte for byte as the old build exported them, are not rewritten by being
//! read, and take new writes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::{danvan, root};

/// Every file under `dir` with its bytes, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for (rel, bytes) in files(from) {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

#[test]
fn a_store_written_by_release_d16b7d0_opens_unchanged() {
    let fixture = root().join("fixtures/stores/release-d16b7d0");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy(&fixture.join("store"), &dir.join("s"));
    let before = files(&dir.join("s"));

    let out = danvan(dir, &["--store", "s", "validate"]);
    assert!(out.starts_with("exit: 0"), "{out}");
    assert!(out.contains("157 records, revision 2"), "{out}");
    let out = danvan(
        dir,
        &[
            "--store", "s", "export", "--format", "json", "-o", "now.json",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.join("now.json")).unwrap(),
        std::fs::read_to_string(fixture.join("export.json")).unwrap(),
        "the export differs from the old build's"
    );
    // Reading wrote nothing (the lock file a store takes while open aside).
    let mut after = files(&dir.join("s"));
    after.remove("lock");
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    assert!(before == after, "reading the old store rewrote a file");

    // An old record keeps what it said: the directive's status, the conference's format.
    let shown = danvan(
        dir,
        &[
            "--store",
            "s",
            "--json",
            "directive",
            "show",
            "tn-05-da-2021",
        ],
    );
    let json = crate::stdout_json(&shown);
    assert_eq!(json["record"]["record"]["status"], "active", "{shown}");
    // And it takes the new kind of record.
    let out = danvan(
        dir,
        &[
            "--store",
            "s",
            "award",
            "add",
            "--form",
            "giấy khen",
            "--awarded-by",
            "Ban Dân vận Tỉnh ủy",
            "--province",
            "Thái Nguyên",
            "--decided-on",
            "20/12/2024",
            "--many",
            "có",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    let out = danvan(dir, &["--store", "s", "validate"]);
    assert!(out.contains("158 records, revision 3"), "{out}");
}
