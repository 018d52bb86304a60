//! Documents the text cites ("Chỉ thị số 05-CT/TU, ngày 23/5/2021 của Ban Thường vụ Tỉnh ủy
//! về …"), read by the core's citation parser; a chained citation ("Kế hoạch số … thực hiện
//! Kết luận số …") gives each document its own proposal and a link between them.

use std::ops::Range;
use std::sync::LazyLock;

use danvan_core::citation::Citation;
use danvan_core::text::search_key;
use danvan_core::validate::RecordKind;
use regex::Regex;
use serde_json::json;

use super::{Ctx, re};
use crate::proposal::{Link, Proposal, Reading};

/// A document type followed by its number: where a citation starts.
static CITED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"\b(nghi quyet|chi thi|ket luan|ke hoach|de an|quyet dinh|quy dinh|chuong trinh hanh dong|chuong trinh|huong dan|thong bao ket luan|nghi dinh|thong tu|cong van)( lien tich)? (so:? ?)?(\d{1,4}(?:[-/][a-z0-9\-/]*)?|[0-9]{1,4}\b)"#,
    )
});

/// The words that chain a second document, folded.
pub(super) const RELATION_WORDS: &[&str] = &[
    "thuc hien",
    "trien khai",
    "huong dan thuc hien",
    "thay the",
    "sua doi",
];

/// Where a citation's title stops when nothing else ends it: a comma and a word that opens
/// the sentence's next clause.
const TITLE_STOPS: &[&str] = &[
    ", cac ",
    ", da ",
    ", trong ",
    ", ban ",
    ", tinh ",
    ", huyen ",
    ", ubnd",
    ", uy ban",
    ", cap uy",
    ", nhung",
    ", qua ",
    ", sau ",
    ", den nay",
    ", toan tinh",
    ", the hien",
    ", dat ",
    ", nhieu ",
    ", moi ",
    ", gop phan",
    ", buoc dau",
    ", duoc ",
    ", thuc hien",
    ", tao ",
    ", hoi nghi",
    ", dong chi",
    " da duoc ",
    " dat duoc",
    " da dat",
    " dat nhieu",
    " duoc trien khai",
    " duoc cac",
    " tren dia ban",
    " cua cac cap",
    " ngay cang",
    " va ket qua",
    " va phuong huong",
    " va trien khai",
    " voi su tham du",
    " cong nhan ",
    " duoc ban hanh",
    " quy dinh chi tiet",
    " huong dan thi hanh",
    " tang bang khen",
    " tang giay khen",
    " tang co thi dua",
    " trao tang",
    " khen thuong cho",
    " de trien khai",
    " de thuc hien",
    " nham ",
    "; ",
];

pub(super) fn read(cx: &mut Ctx<'_>) {
    let f = cx.f();
    let mut seen: Vec<(String, String)> = Vec::new(); // (identity, key)
    for m in CITED.find_iter(f) {
        // A document named inside another's title ("… về tiếp tục thực hiện Chỉ thị số 30-CT/TW
        // …") is read on its own; one that starts a citation already read is not read twice.
        if cx.citations.iter().any(|(r, _)| r.start == m.start()) || !cx.doc.is_upper_at(m.start())
        {
            continue;
        }
        let sentence = cx.sentence_at(m.start());
        let end = citation_end(cx, m.start(), &sentence);
        let text = cx.orig(m.start()..end).to_string();
        let Ok(c) = Citation::parse(&text) else {
            continue;
        };
        cx.citations.push((m.start()..end, String::new()));
        let key = propose(cx, &c, m.start()..end, &mut seen);
        if let (Some(key), Some(slot)) = (key, cx.citations.last_mut()) {
            slot.1 = key;
        }
    }
}

/// The end of the citation starting at `start`: the title after "về" runs to a clause's end;
/// without a title, the citation ends with its issuer or date.
fn citation_end(cx: &Ctx<'_>, start: usize, sentence: &Range<usize>) -> usize {
    let f = cx.f();
    let b = f.as_bytes();
    let mut quoted = false;
    let mut i = start;
    while i < sentence.end {
        if b[i] == b'"' {
            quoted = !quoted;
            let after_quote = &f[i + 1..sentence.end];
            if !quoted
                && [" duoc ", " da ", " (", " nay ", " co ", " vao "]
                    .iter()
                    .any(|w| after_quote.starts_with(w))
            {
                // "… “Nâng cao …” được ban hành": the quoted title ends the citation.
                return i + 1;
            }
            if !quoted && f[i + 1..].starts_with(',') {
                // A quoted name closes a title: "… phong trào “Dân vận khéo”, các cấp …".
                let rest = &f[i + 1..sentence.end];
                if TITLE_STOPS.iter().any(|s| rest.starts_with(s)) || rest.starts_with(", ") {
                    return i + 1;
                }
            }
        } else if !quoted {
            let rest = &f[i..sentence.end];
            if TITLE_STOPS.iter().any(|s| rest.starts_with(s))
                || rest.starts_with(" (")
                || rest.starts_with(')')
            {
                return i;
            }
            // "… và Quyết định số …", "…, Kết luận số …": the next document of a list, not part
            // of this one (a document named after "về", "thực hiện" stays in the title).
            for joint in [" va ", ", ", "; "] {
                if let Some(next) = rest.strip_prefix(joint)
                    && CITED.find(next).is_some_and(|m| m.start() == 0)
                    && cx.doc.is_upper_at(i + joint.len())
                {
                    return i;
                }
            }
            // "… của Ban Thường vụ Tỉnh ủy, trong đó …" or a clause opening with a verb.
            if rest.starts_with(", ") && clause_opens(&rest[2..]) {
                return i;
            }
        }
        i += 1;
    }
    let mut end = sentence.end;
    while end > start && matches!(b[end - 1], b'.' | b' ' | b',' | b';') {
        end -= 1;
    }
    end
}

/// Whether the words open a new clause rather than continue a title or issuer.
fn clause_opens(rest: &str) -> bool {
    const VERBS: &[&str] = &[
        "ban ", "cac ", "tinh ", "huyen ", "xa ", "da ", "dong chi", "hoi nghi", "nhieu ", "qua ",
        "sau ", "trong ", "toan ", "moi ", "den ", "gop ", "tao ", "duoc ", "chieu ", "sang ",
    ];
    VERBS.iter().any(|v| rest.starts_with(v))
}

/// Proposes the directive `c` (and the documents it chains to), or names the proposal it
/// repeats; returns the proposal's key.
fn propose(
    cx: &mut Ctx<'_>,
    c: &Citation,
    range: Range<usize>,
    seen: &mut Vec<(String, String)>,
) -> Option<String> {
    let doc_type = c.doc_type?;
    let identity = match (&c.number, c.ordinal) {
        (Some(n), _) => n.to_string(),
        (None, Some(o)) => format!("{} {o}", doc_type.json_name()),
        (None, None) => return None,
    };
    // The chained document first, so that the link can name it.
    let related = c.related.as_ref().and_then(|r| {
        let at = locate_chain(cx, &range, &r.citation)?;
        propose(cx, &r.citation, at.clone(), seen).map(|k| (k, r.relation, at))
    });
    let repeated = seen
        .iter()
        .find(|(id, _)| *id == identity)
        .map(|(_, key)| key.clone());
    let own_end = related.as_ref().map_or(range.end, |(_, _, at)| at.start);
    let own = range.start..own_end;
    let mut p = Proposal::new(RecordKind::Directive);
    let ev = cx.ev(own.clone());
    p.push(
        "doc_type",
        json!(doc_type.json_name()),
        Reading::Term,
        ev.clone(),
    );
    if let Some(n) = &c.number {
        let at = find_in(cx, &own, &n.to_string()).unwrap_or(own.clone());
        let evn = cx.ev(at);
        p.push("number", json!(n.to_string()), Reading::Number, evn);
    } else if let Some(o) = c.ordinal {
        p.push("ordinal", json!(o), Reading::Number, ev.clone());
    }
    if let Some(d) = c.issued_on {
        let evd = match date_in(cx, &own, d) {
            Some(r) => cx.ev(r),
            None => ev.clone(),
        };
        p.push("issued_on", json!(d.to_string()), Reading::Date, evd);
    }
    // A title that only says what the document carries out is the link, not a title.
    let title = c.title.as_ref().filter(|t| {
        related.is_none()
            || !crate::extract::citation::RELATION_WORDS
                .iter()
                .any(|w| danvan_core::text::search_key(t.as_str()).starts_with(w))
    });
    // A title written in quotes is the title without them.
    let title = title.map(|t| {
        let s = t.as_str();
        let inner = [('“', '”'), ('"', '"'), ('‘', '’'), ('\'', '\'')]
            .iter()
            .find_map(|(open, close)| s.strip_prefix(*open).and_then(|x| x.strip_suffix(*close)));
        danvan_core::text::Text::new(inner.unwrap_or(s))
    });
    for (field, value) in [("issuer", &c.issuer), ("term", &c.term), ("title", &title)] {
        if let Some(v) = value {
            let at = find_in(cx, &own, v.as_str());
            // An issuer is a body's name; words after a number that are not one are no issuer.
            if field == "issuer" && !at.as_ref().is_some_and(|r| cx.doc.is_upper_at(r.start)) {
                continue;
            }
            let at = find_in(cx, &own, v.as_str()).unwrap_or(own.clone());
            let evv = cx.ev(at);
            p.push(field, json!(v.as_str()), Reading::Verbatim, evv);
        }
    }
    if let Some((start, end, at)) = c.title.as_ref().and_then(|_| phase(cx, &own)) {
        let evp = cx.ev(at);
        p.push(
            "phase.start_year",
            json!(start),
            Reading::Number,
            evp.clone(),
        );
        p.push("phase.end_year", json!(end), Reading::Number, evp);
    }
    provincial(cx, c, &mut p);
    p.label = match (&c.number, c.ordinal) {
        (Some(n), _) => format!("{} {n}", doc_type.name_vi()),
        (None, Some(o)) => format!("{} số {o}", doc_type.name_vi()),
        (None, None) => doc_type.name_vi().to_string(),
    };
    if let Some((key, relation, at)) = related {
        let evl = cx.ev(at);
        p.links.push(Link {
            field: "related[]".into(),
            to: key,
            relation: Some(relation),
            evidence: evl,
        });
    }
    if let Some(key) = repeated {
        // Cited again (a headline, then the body): the fuller citation's values stand, and
        // what only the other gives is kept.
        if let Some(old) = cx.proposals.iter_mut().find(|q| q.key == key) {
            merge(old, p);
        }
        return Some(key);
    }
    let key = cx.add(p);
    seen.push((identity, key.clone()));
    Some(key)
}

/// Merges `new` into `old`, two readings of one document: the one with more fields wins each
/// field both give; fields only one gives are kept; links are joined.
fn merge(old: &mut Proposal, new: Proposal) {
    let fields = |p: &Proposal| {
        let mut f: Vec<String> = p.values.iter().map(|v| v.field.clone()).collect();
        f.dedup();
        f.len()
    };
    let (mut keep, other) = if fields(&new) > fields(old) {
        let mut kept = new;
        kept.key = old.key.clone();
        kept.label = old.label.clone();
        (
            kept,
            std::mem::replace(old, Proposal::new(RecordKind::Directive)),
        )
    } else {
        (
            std::mem::replace(old, Proposal::new(RecordKind::Directive)),
            new,
        )
    };
    for v in other.values {
        if !keep.has(&v.field) {
            keep.values.push(v);
        }
    }
    for l in other.links {
        if !keep
            .links
            .iter()
            .any(|k| k.to == l.to && k.field == l.field)
        {
            keep.links.push(l);
        }
    }
    *old = keep;
}

/// Where the chained document's words start within `range`: its type name after the
/// relation words.
fn locate_chain(cx: &Ctx<'_>, range: &Range<usize>, c: &Citation) -> Option<Range<usize>> {
    let f = cx.f();
    let name = search_key(c.doc_type?.name_vi());
    let within = &f[range.start + 1..range.end];
    let at = within.find(&name)? + range.start + 1;
    Some(at..range.end)
}

/// Where the date `d` is written within `range` ("ngày 20/01/2023", "20-01-2023").
fn date_in(cx: &Ctx<'_>, range: &Range<usize>, d: chrono::NaiveDate) -> Option<Range<usize>> {
    static WRITTEN: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?:ngay )?(\d{1,2}) ?[/.-] ?(\d{1,2}) ?[/.-] ?(\d{4})"));
    use chrono::Datelike;
    let f = cx.f();
    WRITTEN.captures_iter(&f[range.clone()]).find_map(|c| {
        let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let m = c.get(0)?;
        (n(1)? == d.day() && n(2)? == d.month() && n(3)? == d.year() as u32)
            .then(|| range.start + m.start()..range.start + m.end())
    })
}

/// The range of `value`'s words within `range`, folded.
fn find_in(cx: &Ctx<'_>, range: &Range<usize>, value: &str) -> Option<Range<usize>> {
    let key: String = value.chars().map(danvan_core::text::fold_char).collect();
    let at = cx.f()[range.clone()].find(&key)? + range.start;
    Some(at..at + key.len())
}

/// "giai đoạn 2021 - 2025" in a title: the phase's years and their words.
fn phase(cx: &Ctx<'_>, range: &Range<usize>) -> Option<(i32, i32, Range<usize>)> {
    static PHASE: LazyLock<Regex> = LazyLock::new(|| re(r"giai doan (\d{4}) ?[-–] ?(\d{4})\b"));
    let f = cx.f();
    let c = PHASE.captures(&f[range.clone()])?;
    let m = c.get(0)?;
    let start: i32 = c.get(1)?.as_str().parse().ok()?;
    let end: i32 = c.get(2)?.as_str().parse().ok()?;
    (start < end).then_some((start, end, range.start + m.start()..range.start + m.end()))
}

/// A province's document (…/TU, …/BDVTU, …/CT-UBND) cited in a text about one province is
/// that province's, as read from the context.
fn provincial(cx: &Ctx<'_>, c: &Citation, p: &mut Proposal) {
    let provincial = c.number.as_ref().is_some_and(|n| {
        let s = n.to_string();
        s.ends_with("/TU") || s.ends_with("/BDVTU") || s.ends_with("-UBND")
    });
    let (true, Some(found), Some(number)) = (provincial, cx.province.clone(), &c.number) else {
        return;
    };
    let note = format!("văn bản cấp tỉnh ({number}) trong văn bản về tỉnh này");
    let ev = found.evidence.inferred(
        "province",
        danvan_core::inferred::InferredFrom::Context,
        note,
    );
    p.push("province", found.value, Reading::Term, ev);
}

#[cfg(test)]
mod tests {
    use crate::extract::testing::{facts, has, read};

    #[test]
    fn a_chained_citation_is_two_documents_linked() {
        let (_, found) = read(
            "Tỉnh ủy ban hành Kế hoạch số 52-KH/TU ngày 12/4/2022 của Ban Thường vụ Tỉnh ủy thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị.",
            None,
            None,
        );
        let [conclusion, plan] = &found.proposals[..] else {
            panic!("{found:#?}")
        };
        assert_eq!(conclusion.get("number").unwrap(), "120-KL/TW");
        assert_eq!(plan.get("number").unwrap(), "52-KH/TU");
        assert_eq!(plan.get("issuer").unwrap(), "Ban Thường vụ Tỉnh ủy");
        assert!(
            plan.get("title").is_none(),
            "the chain is a link, not a title"
        );
        assert_eq!(plan.links[0].to, conclusion.key);
    }

    #[test]
    fn a_document_named_in_a_title_is_read_too() {
        let f = facts(
            "Hội nghị tổng kết Kết luận số 65-KL/TW của Ban Bí thư về tiếp tục thực hiện Chỉ thị số 30-CT/TW của Bộ Chính trị khóa VIII về xây dựng quy chế dân chủ.",
            None,
        );
        assert!(
            has(&f, "directive[30-CT/TW].issuer = Bộ Chính trị"),
            "{f:#?}"
        );
        assert!(has(&f, "directive[65-KL/TW].issuer = Ban Bí thư"), "{f:#?}");
    }

    #[test]
    fn an_ordinal_without_a_symbol_and_no_false_issuer() {
        let f = facts(
            "Sơ kết 2 năm thực hiện Đề án số 02 của Ban Thường vụ Tỉnh ủy về đổi mới. Ban hành Chương trình hành động số 15-CTr/TU để triển khai.",
            None,
        );
        assert!(has(&f, "directive[2].ordinal = 2"), "{f:#?}");
        assert!(
            !f.iter()
                .any(|x| x.starts_with("directive[15-CTr/TU].issuer")),
            "{f:#?}"
        );
    }

    #[test]
    fn cited_twice_the_fuller_citation_stands() {
        let f = facts(
            "Sơ kết Chỉ thị số 12-CT/TU về dân vận chính quyền\nChiều 14/3, hội nghị sơ kết Chỉ thị số 12-CT/TU, ngày 20/01/2023 của Ban Thường vụ Tỉnh ủy về tăng cường công tác dân vận.",
            Some("2026-03-15"),
        );
        assert!(
            has(&f, "directive[12-CT/TU].issued_on = 2023-01-20"),
            "{f:#?}"
        );
        assert_eq!(
            f.iter()
                .filter(|x| x.starts_with("directive[12-CT/TU].number"))
                .count(),
            1
        );
    }
}
