//! The board's written sections of a draft, as a Markdown file a person edits and danvan
//! reads back: one `## key` heading per section of the outline that the board writes, its
//! title and what belongs there in a comment, the text under it (paragraphs and `- ` lists).
//!
//! ```text
//! <!-- danvan: the written sections of "dinh-ky" — write under each heading; keep the headings -->
//!
//! ## kinh-te-xa-hoi
//! <!-- Tình hình kinh tế - xã hội: Đơn vị bổ sung tình hình kinh tế - xã hội nổi bật trong kỳ. -->
//!
//! Tăng trưởng kinh tế đạt 8,2%; …
//! ```
//!
//! Reading is strict where a mistake would lose text: a heading that names no written section
//! of the outline, or one given twice, is an error naming its line.

use std::collections::BTreeMap;

use crate::doc::Lang;
use crate::template::{Fill, SectionSpec, Template};

/// The written sections of a draft: the text under each key.
pub type Written = BTreeMap<String, String>;

/// Why a written-sections file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {message}")]
pub struct WrittenError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The written sections of `template`, in outline order: (key, heading, hint), in `lang`.
pub fn sections(template: &Template, lang: Lang) -> Vec<(String, String, String)> {
    fn walk(spec: &SectionSpec, lang: Lang, out: &mut Vec<(String, String, String)>) {
        if let Fill::Written { key, hint } = &spec.fill
            && !out.iter().any(|(k, ..)| k == key)
        {
            let heading = spec
                .heading
                .as_ref()
                .map_or_else(String::new, |(vi, en)| lang.pick(vi, en).to_string());
            out.push((
                key.clone(),
                heading,
                lang.pick(&hint.0, &hint.1).to_string(),
            ));
        }
        for sub in &spec.sub {
            walk(sub, lang, out);
        }
    }
    let mut out = Vec::new();
    for part in &template.parts {
        for spec in &part.sections {
            walk(spec, lang, &mut out);
        }
    }
    out
}

/// The file to write the sections of `template` in, holding what `written` has already.
pub fn to_markdown(template: &Template, written: &Written, lang: Lang) -> String {
    let mut out = format!(
        "<!-- danvan: {} \"{}\" — {} -->\n",
        lang.pick("các mục viết của đề cương", "the written sections of"),
        template.id,
        lang.pick(
            "viết dưới mỗi tiêu đề; giữ nguyên các tiêu đề",
            "write under each heading; keep the headings"
        )
    );
    for (key, heading, hint) in sections(template, lang) {
        out.push_str(&format!("\n## {key}\n<!-- {heading}: {hint} -->\n\n"));
        if let Some(text) = written.get(&key).filter(|t| !t.trim().is_empty()) {
            out.push_str(text.trim());
            out.push('\n');
        }
    }
    out
}

/// The sections a file holds, each checked against `template`; sections left empty are left
/// out (their hint stays in the report).
pub fn from_markdown(text: &str, template: &Template) -> Result<Written, WrittenError> {
    let known: Vec<String> = sections(template, Lang::Vi)
        .into_iter()
        .map(|(k, ..)| k)
        .collect();
    let mut written = Written::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    let mut in_comment = false;
    let finish = |current: Option<(String, Vec<&str>)>, written: &mut Written| {
        if let Some((key, lines)) = current {
            let body = lines.join("\n").trim().to_string();
            if !body.is_empty() {
                written.insert(key, body);
            }
        }
    };
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        // Comments (the file's own notes) are not text, wherever they are.
        if in_comment || trimmed.starts_with("<!--") {
            in_comment = !trimmed.ends_with("-->");
            continue;
        }
        if let Some(key) = trimmed.strip_prefix("## ") {
            let key = key.trim().to_string();
            if !known.contains(&key) {
                return Err(WrittenError {
                    line: i + 1,
                    message: format!(
                        "`{key}` is not a written section of the outline \"{}\" ({})",
                        template.id,
                        known.join(", ")
                    ),
                });
            }
            if written.contains_key(&key) || current.as_ref().is_some_and(|(k, _)| *k == key) {
                return Err(WrittenError {
                    line: i + 1,
                    message: format!("`{key}` is given twice"),
                });
            }
            finish(current.take(), &mut written);
            current = Some((key, Vec::new()));
            continue;
        }
        match &mut current {
            Some((_, lines)) => lines.push(line),
            None if trimmed.is_empty() => {}
            None => {
                return Err(WrittenError {
                    line: i + 1,
                    message: "text before the first `## key` heading belongs to no section".into(),
                });
            }
        }
    }
    finish(current, &mut written);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_written_and_read_back_holds_the_same_sections() {
        let t = Template::builtin("dinh-ky").unwrap();
        let mut w = Written::new();
        w.insert(
            "kinh-te-xa-hoi".into(),
            "Tăng trưởng kinh tế đạt 8,2%.\n\n- Thu ngân sách vượt dự toán.".into(),
        );
        let file = to_markdown(&t, &w, Lang::Vi);
        assert!(file.contains("## dan-toc-ton-giao\n<!-- Công tác dân tộc, tôn giáo:"));
        assert_eq!(from_markdown(&file, &t).unwrap(), w);
    }

    #[test]
    fn a_heading_the_outline_lacks_or_given_twice_names_its_line() {
        let t = Template::builtin("dinh-ky").unwrap();
        let e = from_markdown("## bai-hoc\nA\n\n## khong-co\nB\n", &t).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.starts_with("`khong-co` is not a written section"));
        let e = from_markdown("## bai-hoc\nA\n## bai-hoc\nB\n", &t).unwrap_err();
        assert_eq!(
            e,
            WrittenError {
                line: 3,
                message: "`bai-hoc` is given twice".into()
            }
        );
        let e = from_markdown("Lạc chỗ\n## bai-hoc\nA\n", &t).unwrap_err();
        assert_eq!(e.line, 1);
    }
}
