//! The catalogue's checks: both files parse, hold the same messages with the same arguments,
//! and hold every ID the workspace uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_syntax::ast;

use super::{EN_FTL, Lang, VI_FTL, text};

/// Each message's ID and the names of the arguments it refers to.
fn messages(name: &str, source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("{name} does not parse: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    pattern_vars(p, &mut vars);
                } else {
                    panic!("{name}: `{}` has no text", m.id.name);
                }
                assert!(
                    out.insert(m.id.name.to_string(), vars).is_none(),
                    "{name}: `{}` twice",
                    m.id.name
                );
            }
            ast::Entry::Junk { content } => panic!("{name}: cannot read {content:?}"),
            _ => {}
        }
    }
    out
}

fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, vars),
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, vars);
            }
        }
        _ => {}
    }
}

#[test]
fn both_languages_hold_the_same_messages_with_the_same_arguments() {
    let vi = messages("vi.ftl", VI_FTL);
    let en = messages("en.ftl", EN_FTL);
    for (id, vars) in &vi {
        let other = en
            .get(id)
            .unwrap_or_else(|| panic!("`{id}` is in vi.ftl, not in en.ftl"));
        // Vietnamese has no plurals: a count English selects on may go unshown in Vietnamese,
        // but no argument may be shown in one language and unknown in the other.
        assert!(
            vars.is_subset(other),
            "`{id}`: vi.ftl uses {vars:?}, en.ftl {other:?}"
        );
    }
    for id in en.keys() {
        assert!(vi.contains_key(id), "`{id}` is in en.ftl, not in vi.ftl");
    }
    assert!(vi.len() > 100, "{}", vi.len());
}

#[test]
fn every_message_renders_in_both_languages() {
    for (id, vars) in messages("en.ftl", EN_FTL) {
        for lang in Lang::ALL {
            let args: Vec<(&str, super::Value<'_>)> = vars
                .iter()
                .map(|v| (v.as_str(), super::Value::Count(2)))
                .collect();
            let shown = super::text_with(lang, &id, &args);
            assert!(!shown.trim().is_empty(), "`{id}` ({lang}) is empty");
            assert!(!shown.contains('{'), "`{id}` ({lang}): {shown}");
        }
    }
}

#[test]
fn counts_choose_english_plurals_and_are_written_as_each_language_writes_numbers() {
    assert_eq!(tr!(Lang::En, "late-by-days", count = 1), "1 day late");
    assert_eq!(
        tr!(Lang::En, "late-by-days", count = 1272),
        "1,272 days late"
    );
    assert_eq!(
        tr!(Lang::Vi, "late-by-days", count = 1272),
        "quá hạn 1.272 ngày"
    );
    assert_eq!(text(Lang::Vi, "sign-in"), "Đăng nhập");
}

#[test]
fn the_language_comes_from_the_flag_then_the_environment() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_string())
        }
    };
    assert_eq!(Lang::from_env(env(&[])), Lang::Vi);
    assert_eq!(Lang::from_env(env(&[("LANG", "C.UTF-8")])), Lang::Vi);
    assert_eq!(Lang::from_env(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
    assert_eq!(
        Lang::from_env(env(&[("LANG", "en_US.UTF-8"), ("LC_ALL", "vi_VN.UTF-8")])),
        Lang::Vi
    );
    assert_eq!(
        Lang::from_env(env(&[("LANG", "vi_VN"), ("DANVAN_LANG", "en")])),
        Lang::En
    );
    assert_eq!(Lang::from_env(env(&[("LANG", "fr_FR.UTF-8")])), Lang::Vi);
    assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
    assert!("fr".parse::<Lang>().is_err());
}

/// The workspace's crates.
fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
            out.push(path);
        }
    }
}

/// The IDs a source names: `tr!(lang, "id"…`, `text(lang, "id")`, `word("id", …)`, the CLI's
/// `t!("id"…` and a template's `t("id")`.
fn ids_used(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for opener in [
        "tr!(",
        "i18n::text(",
        "i18n::text_with(",
        "word(\"",
        "{{ t(\"",
        "t!(\"",
    ] {
        for (at, _) in source.match_indices(opener) {
            // A whole name: `t!("` is not the end of `format!("`.
            let before = source[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let part = &source[at + opener.len()..];
            let part = if opener.ends_with('"') {
                part
            } else {
                // Past the language argument, to the ID's opening quote (on the same call).
                match part.split_once(',') {
                    Some((_, rest)) if rest.trim_start().starts_with('"') => {
                        &rest.trim_start()[1..]
                    }
                    _ => continue,
                }
            };
            if let Some((id, _)) = part.split_once('"') {
                out.push(id.to_string());
            }
        }
    }
    out
}

#[test]
fn every_id_the_workspace_uses_is_in_the_catalogue() {
    assert_eq!(
        ids_used("format!(\"{n}\"); t!(\"due-soon\"); tr!(lang, \"sign-in\", n = 1)"),
        ["sign-in", "due-soon"]
    );
    let mut files = Vec::new();
    sources(&crates_dir(), &mut files);
    assert!(files.len() > 50, "{}", files.len());
    let mut missing = Vec::new();
    let mut used = 0;
    for file in files {
        if file.ends_with("danvan-i18n/src/tests.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap_or_default();
        for id in ids_used(&source) {
            used += 1;
            if !super::has(&id) {
                missing.push(format!("{}: {id}", file.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in the catalogue:\n{}",
        missing.join("\n")
    );
    assert!(used > 100, "{used}");
}
