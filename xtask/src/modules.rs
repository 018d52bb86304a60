//! The workspace's module graph, read from the sources: which sibling modules refer to which
//! (`use super::pages::…`, `crate::records::…`), and the cycles among them. A cycle between
//! siblings means neither can be read, tested or moved alone. `cargo xtask module-cycles`
//! lists each group of siblings that reach one another and fails while one remains.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path inside its crate: `["web", "pages"]`; the crate root is empty.
type ModPath = Vec<String>;

/// The module path of source file `file` under `src`.
fn module_of(src: &Path, file: &Path) -> ModPath {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The paths that `text` (one file's code, its tests left out) names after `crate::` and
/// `super::`, resolved against the file's module `at`: each as a module path.
fn referred(text: &str, at: &ModPath) -> Vec<ModPath> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    for (keyword, base) in [("crate::", Vec::new()), ("super::", parent(at))] {
        let mut from = 0;
        while let Some(i) = text[from..].find(keyword) {
            let start = from + i;
            from = start + keyword.len();
            if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
                continue;
            }
            let mut base = base.clone();
            let mut rest = &text[from..];
            // `super::super::x`
            while keyword == "super::" && rest.starts_with("super::") {
                base = parent(&base);
                rest = &rest["super::".len()..];
            }
            for first in first_segments(rest) {
                let mut p = base.clone();
                p.push(first);
                out.push(p);
            }
        }
    }
    out
}

/// The first path segment after a `crate::` or `super::`: `pages` of `pages::me`, and each
/// of `{pages, session::Lang}`.
fn first_segments(rest: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    if let Some(group) = rest.strip_prefix('{') {
        let mut depth = 0;
        let mut items = Vec::new();
        let mut current = String::new();
        for c in group.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => items.push(std::mem::take(&mut current)),
                _ => {}
            }
            if !(c == ',' && depth == 0) {
                current.push(c);
            }
        }
        items.push(current);
        items
            .iter()
            .map(|i| ident(i.trim()))
            .filter(|i| !i.is_empty() && i != "self")
            .collect()
    } else {
        let i = ident(rest);
        if i.is_empty() { Vec::new() } else { vec![i] }
    }
}

fn parent(p: &ModPath) -> ModPath {
    p[..p.len().saturating_sub(1)].to_vec()
}

/// Every edge between sibling modules of the crate at `src`: (parent, from, to).
fn sibling_edges(src: &Path) -> BTreeSet<(ModPath, String, String)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<ModPath> = files.iter().map(|f| module_of(src, f)).collect();
    let mut edges = BTreeSet::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        // The file's unit tests are a module of their own, below it; a comment (a doc link
        // included) names a module without depending on it.
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or("")
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let code = code.as_str();
        let at = module_of(src, f);
        for q in referred(code, &at) {
            let common = at.iter().zip(&q).take_while(|(a, b)| a == b).count();
            if common >= at.len() || common >= q.len() {
                continue; // a parent or a child
            }
            let (from, to) = (&at[common], &q[common]);
            let mut sibling = at[..common].to_vec();
            sibling.push(to.clone());
            if modules.contains(&sibling) {
                edges.insert((at[..common].to_vec(), from.clone(), to.clone()));
            }
        }
    }
    edges
}

/// The cycles among sibling modules of every crate under `crates/` and `xtask/`: each as the
/// crate, the parent module and the modules that refer to one another, in order.
pub(crate) fn cycles(root: &Path) -> Vec<String> {
    let mut srcs: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .map(|d| d.flatten().map(|e| e.path().join("src")).collect())
        .unwrap_or_default();
    srcs.push(root.join("xtask/src"));
    srcs.sort();
    let mut found = Vec::new();
    for src in srcs.iter().filter(|s| s.is_dir()) {
        let mut graph: BTreeMap<(ModPath, String), BTreeSet<String>> = BTreeMap::new();
        for (parent, from, to) in sibling_edges(src) {
            graph.entry((parent, from)).or_default().insert(to);
        }
        // Each strongly connected group of siblings (two or more that reach one another).
        let reach = |from: &(ModPath, String)| -> BTreeSet<String> {
            let mut seen = BTreeSet::new();
            let mut todo = vec![from.1.clone()];
            while let Some(n) = todo.pop() {
                for m in graph.get(&(from.0.clone(), n)).into_iter().flatten() {
                    if seen.insert(m.clone()) {
                        todo.push(m.clone());
                    }
                }
            }
            seen
        };
        let mut groups: BTreeSet<(ModPath, Vec<String>)> = BTreeSet::new();
        for key in graph.keys() {
            let from_here = reach(key);
            let group: Vec<String> = from_here
                .iter()
                .filter(|m| reach(&(key.0.clone(), (*m).clone())).contains(&key.1))
                .cloned()
                .collect();
            if group.len() > 1 || group.first().is_some_and(|g| *g != key.1) {
                groups.insert((key.0.clone(), group));
            }
        }
        let krate = src
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (parent, group) in groups {
            let under = if parent.is_empty() {
                "crate".to_string()
            } else {
                parent.join("::")
            };
            found.push(format!("{krate}: {under}: {}", group.join(", ")));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_after_crate_and_super_are_read() {
        let at = vec!["web".to_string(), "cycle".to_string()];
        let got = referred(
            "use super::pages::{me, csrf_ok};\nuse crate::{auth::Caller, AppState};\nlet x = danvan_crate::y;",
            &at,
        );
        let got: Vec<String> = got.iter().map(|p| p.join("::")).collect();
        assert_eq!(got, ["auth", "AppState", "web::pages"]);
        assert_eq!(
            first_segments("{pages, session::{Lang, Session}, self}"),
            ["pages", "session"]
        );
    }
}
