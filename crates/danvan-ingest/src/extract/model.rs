//! "Dân vận khéo" models named in quotes: mô hình “Tuyến đường hoa nông thôn mới” của Hội
//! Phụ nữ xã …, xây dựng từ năm 2021 — the name, the unit that runs it, the year it began.

use std::sync::LazyLock;

use danvan_core::validate::RecordKind;
use regex::Regex;
use serde_json::json;

use super::{Ctx, re};
use crate::proposal::{Proposal, Reading};

static NAMED: LazyLock<Regex> = LazyLock::new(|| re(r#"\bmo hinh:? "([^"]{4,120})""#));

static STARTED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:xay dung|trien khai|thuc hien|ra doi|thanh lap|hinh thanh|duy tri)(?: mo hinh)?(?: tu| vao| trong)? (?:nam |thang \d{1,2}/)(\d{4})\b",
    )
});

pub(super) fn read(cx: &mut Ctx<'_>) {
    let f = cx.f();
    let found: Vec<(usize, usize)> = NAMED
        .captures_iter(f)
        .filter_map(|c| c.get(1).map(|m| (m.start(), m.end())))
        .collect();
    let mut seen: Vec<String> = Vec::new();
    for (start, end) in found {
        let key = f[start..end].to_string();
        // The movement itself is not a model; nor is one named twice.
        if key.starts_with("dan van kheo") || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let mut p = Proposal::new(RecordKind::Model);
        let name = cx.orig(start..end).to_string();
        let ev = cx.ev(start..end);
        p.push("name", json!(name), Reading::Verbatim, ev);
        let sentence = cx.sentence_at(start);
        let after = &f[end + 1..sentence.end];
        if let Some(rest) = after.strip_prefix(" cua ") {
            let at = end + 1 + 5;
            let stop = [
                ",",
                ";",
                " duoc ",
                " da ",
                " tu ",
                " voi ",
                " xay dung",
                " trien khai",
                " giup",
                " gop",
                " tao",
                " nham",
                " (",
                " mang lai",
                " thu hut",
                " dat ",
                " cung ",
                " van con",
                " van duoc",
                " tiep tuc",
            ]
            .iter()
            .filter_map(|s| rest.find(s))
            .min()
            .map_or(sentence.end, |i| at + i);
            let r = cx.doc.trim(at..stop);
            if !r.is_empty() && cx.doc.is_upper_at(r.start) {
                let ev = cx.ev(r.clone());
                p.push("owning_unit", json!(cx.orig(r)), Reading::Verbatim, ev);
            }
        }
        if let Some(c) = STARTED.captures(&f[sentence.clone()])
            && let (Some(m), Some(y)) = (
                c.get(0),
                c.get(1).and_then(|y| y.as_str().parse::<i32>().ok()),
            )
        {
            let ev = cx.ev(sentence.start + m.start()..sentence.start + m.end());
            p.push("start_year", json!(y), Reading::Number, ev);
        }
        if let Some(found) = cx.province.clone() {
            p.push("province", found.value, Reading::Term, found.evidence);
        }
        p.label = format!("Mô hình \"{name}\"");
        cx.add(p);
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::testing::{facts, has};

    #[test]
    fn a_named_model_with_its_unit_and_year() {
        let f = facts(
            "Mô hình “Xứ đạo bình yên” của Ban Dân vận Đảng ủy xã Kim Sơn được triển khai từ năm 2020; phong trào thi đua “Dân vận khéo” lan tỏa.",
            None,
        );
        assert!(
            has(
                &f,
                "model[Xứ đạo bình yên].owning_unit = Ban Dân vận Đảng ủy xã Kim Sơn"
            ),
            "{f:#?}"
        );
        assert!(
            has(&f, "model[Xứ đạo bình yên].start_year = 2020"),
            "{f:#?}"
        );
        let f = facts("Xây dựng mô hình “Dân vận khéo” trên các lĩnh vực.", None);
        assert!(f.is_empty(), "the movement is no model: {f:#?}");
    }
}
