//! Commendations: "Dịp này, Ban Dân vận Tỉnh ủy tặng Giấy khen cho 3 tập thể có thành tích
//! xuất sắc trong phong trào thi đua “Dân vận khéo”" — the form, who gave it, how many (only
//! the counts the text gives; "nhiều tập thể, cá nhân" stays uncounted), the movement and
//! the reason; linked to the article's conference when it was presented there.

use std::ops::Range;
use std::sync::LazyLock;

use danvan_core::validate::RecordKind;
use regex::Regex;
use serde_json::json;

use super::{Ctx, count, re};
use crate::proposal::{Link, Proposal, Reading};

static GIVEN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(tang|trao tang|trao|khen thuong|nhan) (bang khen|giay khen|co thi dua|huan chuong|ky niem chuong|danh hieu)\b",
    )
});

/// An award without its form: "Huyện ủy đã khen thưởng 12 tập thể và 21 cá nhân".
static BARE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(khen thuong|tuyen duong|bieu duong) (?:\d[\d.]*|nhieu) (?:tap the|ca nhan)")
});

static COUNTED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(\d[\d.]*|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi) (tap the|ca nhan|dong chi)\b")
});

static MOVEMENT: LazyLock<Regex> = LazyLock::new(|| re(r#"phong trao thi dua "([^"]{3,80})""#));

pub(super) fn read(cx: &mut Ctx<'_>) {
    let f = cx.f();
    let found: Vec<(usize, usize, usize, String)> = GIVEN
        .captures_iter(f)
        .filter_map(|c| {
            let verb = c.get(1)?;
            let noun = c.get(2)?;
            Some((
                verb.start(),
                noun.start(),
                noun.end(),
                noun.as_str().to_string(),
            ))
        })
        .chain(BARE.captures_iter(f).filter_map(|c| {
            let verb = c.get(1)?;
            Some((verb.start(), verb.start(), verb.end(), String::new()))
        }))
        .collect();
    let mut done: Vec<Range<usize>> = Vec::new();
    for (verb, noun_start, noun_end, noun) in found {
        let sentence = cx.sentence_at(verb);
        if done.contains(&sentence) {
            continue;
        }
        done.push(sentence.clone());
        one(cx, &sentence, verb, noun_start..noun_end, &noun);
    }
}

fn form_of(noun: &str) -> &'static str {
    match noun {
        "bang khen" => "certificate_of_merit",
        "giay khen" => "commendation",
        "co thi dua" => "emulation_flag",
        "huan chuong" => "order",
        "ky niem chuong" => "medal",
        _ => "title",
    }
}

fn one(cx: &mut Ctx<'_>, sentence: &Range<usize>, verb: usize, noun: Range<usize>, word: &str) {
    let f = cx.f();
    let mut p = Proposal::new(RecordKind::Award);
    if !word.is_empty() {
        let ev = cx.ev(noun.clone());
        p.push("form", json!(form_of(word)), Reading::Term, ev);
    }
    let after = &f[noun.end..sentence.end];
    // Kỷ niệm chương “Vì sự nghiệp Dân vận”: the award's name with its form.
    if !word.is_empty()
        && let Some(rest) = after.strip_prefix(" \"")
        && let Some(q) = rest.find('"')
    {
        let t = noun.start..noun.end + 2 + q + 1;
        let ev = cx.ev(t.clone());
        p.push("title", json!(capital(cx.orig(t))), Reading::Verbatim, ev);
    }
    // "Bằng khen của Chủ tịch UBND tỉnh cho …": the giver after "của".
    if let Some(rest) = after.strip_prefix(" cua ") {
        let at = noun.end + 5;
        let end = [" cho ", " tang ", ": ", ", "]
            .iter()
            .filter_map(|s| rest.find(s))
            .min()
            .map_or(sentence.end, |i| at + i);
        let r = cx.doc.trim(at..end);
        if !r.is_empty() && cx.doc.is_upper_at(r.start) {
            let ev = cx.ev(r.clone());
            p.push(
                "awarded_by",
                json!(cx.orig(r.clone())),
                Reading::Verbatim,
                ev,
            );
            let t = noun.start..r.end;
            let ev = cx.ev(t.clone());
            p.push("title", json!(capital(cx.orig(t))), Reading::Verbatim, ev);
        }
    } else if let Some(issuer) = cited_giver(cx, sentence.start..verb) {
        // "Quyết định số … của Chủ tịch UBND tỉnh tặng Bằng khen …": the decision's issuer.
        p.values.push(issuer);
    } else if let Some(giver) = giver_before(cx, sentence, verb) {
        let ev = cx.ev(giver.clone());
        p.push("awarded_by", json!(cx.orig(giver)), Reading::Verbatim, ev);
    }
    recipients(cx, &mut p, noun.end..sentence.end);
    decision(cx, &mut p, sentence);
    if let Some(c) = MOVEMENT.captures(&f[sentence.clone()])
        && let Some(m) = c.get(1)
    {
        let r = sentence.start + m.start()..sentence.start + m.end();
        let ev = cx.ev(r.clone());
        p.push("movement", json!(cx.orig(r)), Reading::Verbatim, ev);
    }
    if let Some(i) = f[noun.end..sentence.end].find("co thanh tich") {
        let at = noun.end + i;
        let r = cx.doc.trim(at..sentence.end);
        let ev = cx.ev(r.clone());
        p.push("reason", json!(cx.orig(r)), Reading::Verbatim, ev);
    }
    if let Some(found) = cx.province.clone() {
        let giver = p
            .get("awarded_by")
            .and_then(|v| v.as_str())
            .map(danvan_core::text::search_key);
        if giver.is_some_and(|g| g.contains("tinh")) {
            p.push("province", found.value, Reading::Term, found.evidence);
        }
    }
    let at_event = [
        "dip nay",
        "tai hoi nghi",
        "nhan dip",
        "tai buoi",
        "cung dip",
        "tai le",
    ];
    let head = &f[sentence.start..verb];
    if let (Some(conf), Some(w)) = (
        cx.conference.clone(),
        at_event
            .iter()
            .find_map(|w| head.find(w).map(|i| (i, w.len()))),
    ) {
        let ev = cx.ev(sentence.start + w.0..sentence.start + w.0 + w.1);
        p.links.push(Link {
            field: "conference".into(),
            to: conf,
            relation: None,
            evidence: ev,
        });
    }
    p.label = label(&p, &capital(cx.orig(noun)));
    cx.add(p);
}

/// The decision that gives the award, when the sentence cites one ("ban hành Quyết định số
/// 2105-QĐ/TU công nhận …"): its number and, when cited, its date.
fn decision(cx: &mut Ctx<'_>, p: &mut Proposal, sentence: &Range<usize>) {
    let cited: Vec<String> = cx
        .citations
        .iter()
        .filter(|(r, key)| sentence.contains(&r.start) && !key.is_empty())
        .map(|(_, key)| key.clone())
        .collect();
    for key in cited {
        let Some(d) = cx.proposals.iter().find(|q| q.key == key) else {
            continue;
        };
        if d.get("doc_type").and_then(|v| v.as_str()) != Some("decision") {
            continue;
        }
        let number = d.values.iter().find(|v| v.field == "number").cloned();
        let issued = d.values.iter().find(|v| v.field == "issued_on").cloned();
        if let Some(n) = number {
            p.push("decision", n.value, n.reading, n.evidence);
            if let Some(i) = issued {
                p.push("decided_on", i.value, i.reading, i.evidence);
            }
            return;
        }
    }
}

/// "Giấy khen của Ban Dân vận Tỉnh ủy cho 3 tập thể": the award as a person names it.
fn label(p: &Proposal, award: &str) -> String {
    let giver = p
        .get("awarded_by")
        .and_then(|v| v.as_str())
        .map(|g| format!(" của {g}"))
        .unwrap_or_default();
    let whom = p
        .get("recipients.collectives")
        .map(|n| format!("{n} tập thể"))
        .into_iter()
        .chain(
            p.get("recipients.individuals")
                .map(|n| format!("{n} cá nhân")),
        )
        .collect::<Vec<_>>()
        .join(", ");
    let whom = if whom.is_empty() {
        String::new()
    } else {
        format!(" cho {whom}")
    };
    format!("{award}{giver}{whom}")
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The issuer of a decision cited just before the verb, as the award's giver.
fn cited_giver(cx: &Ctx<'_>, head: Range<usize>) -> Option<crate::proposal::Value> {
    let key = cx
        .citations
        .iter()
        .filter(|(r, key)| head.contains(&r.start) && r.end + 3 >= head.end && !key.is_empty())
        .map(|(_, key)| key.clone())
        .next()?;
    let d = cx.proposals.iter().find(|q| q.key == key)?;
    let mut issuer = d.values.iter().find(|v| v.field == "issuer")?.clone();
    issuer.field = "awarded_by".into();
    Some(issuer)
}

/// The body before the verb: "Ban Dân vận Tỉnh ủy tặng …", "UBND tỉnh đã tặng …".
fn giver_before(cx: &Ctx<'_>, sentence: &Range<usize>, verb: usize) -> Option<Range<usize>> {
    let f = cx.f();
    let head_start = f[sentence.start..verb]
        .rfind(", ")
        .map_or(sentence.start, |i| sentence.start + i + 2);
    // "Ban Thường vụ Tỉnh ủy ban hành Quyết định số … công nhận …": the body that decided.
    let head_end = f[head_start..verb]
        .find(" ban hanh ")
        .map_or(verb, |i| head_start + i);
    let mut r = cx.doc.trim(head_start..head_end);
    for tail in [" da", " cung", " vinh du"] {
        if f[r.clone()].ends_with(tail) {
            r.end -= tail.len();
        }
    }
    let words = &f[r.clone()];
    // "đồng chí X, Bí thư Tỉnh ủy trao …": a person hands it over; who awards it is not said.
    if f[sentence.start..verb].contains("dong chi") {
        return None;
    }
    let ok = !r.is_empty()
        && cx.doc.is_upper_at(r.start)
        && !words.contains("dong chi")
        && !words.starts_with("dip nay")
        && !words.starts_with("tai ");
    ok.then_some(r)
}

fn recipients(cx: &mut Ctx<'_>, p: &mut Proposal, r: Range<usize>) {
    let f = cx.f();
    let text = &f[r.clone()];
    if let Some(i) = text.find("nhieu tap the") {
        let ev = cx.ev(r.start + i..r.start + i + 13);
        p.push("recipients.many", json!(true), Reading::Term, ev);
        return;
    }
    for c in COUNTED.captures_iter(text) {
        let (Some(m), Some(n), Some(what)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        let Some(value) = count(n.as_str()).or_else(|| word_number(n.as_str())) else {
            continue;
        };
        let field = if what.as_str() == "tap the" {
            "recipients.collectives"
        } else {
            "recipients.individuals"
        };
        if p.has(field) {
            continue;
        }
        let ev = cx.ev(r.start + m.start()..r.start + m.end());
        let reading = if n.as_str().starts_with(|c: char| c.is_ascii_digit()) {
            Reading::Number
        } else {
            Reading::Term
        };
        p.push(field, json!(value), reading, ev);
    }
}

fn word_number(w: &str) -> Option<u64> {
    let words = [
        "mot", "hai", "ba", "bon", "nam", "sau", "bay", "tam", "chin", "muoi",
    ];
    words.iter().position(|x| *x == w).map(|i| i as u64 + 1)
}

#[cfg(test)]
mod tests {
    use crate::extract::testing::{facts, has};

    #[test]
    fn counts_only_as_given() {
        let f = facts(
            "Dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 25 tập thể và 40 cá nhân có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo”.",
            None,
        );
        for want in [
            "award.form = certificate_of_merit",
            "award.awarded_by = Chủ tịch UBND tỉnh",
            "award.recipients.collectives = 25",
            "award.recipients.individuals = 40",
            "award.movement = Dân vận khéo",
        ] {
            assert!(has(&f, want), "{want}\n{f:#?}");
        }
        let f = facts(
            "Ban Thường vụ Tỉnh ủy tặng Giấy khen cho nhiều tập thể, cá nhân.",
            None,
        );
        assert!(has(&f, "award.recipients.many = true"), "{f:#?}");
        assert!(
            !f.iter().any(|x| x.contains("collectives")),
            "no count invented: {f:#?}"
        );
    }

    #[test]
    fn without_a_form_and_handed_over_by_a_person() {
        let f = facts(
            "Tại hội nghị, Huyện ủy đã khen thưởng 14 tập thể và 26 cá nhân.",
            None,
        );
        assert!(has(&f, "award.awarded_by = Huyện ủy"), "{f:#?}");
        assert!(has(&f, "award.recipients.individuals = 26"), "{f:#?}");
        assert!(
            !f.iter().any(|x| x.starts_with("award.form")),
            "no form invented: {f:#?}"
        );
        let f = facts(
            "Dịp này, đồng chí Hoàng Văn Lợi, Bí thư Huyện ủy đã trao Kỷ niệm chương \"Vì sự nghiệp Dân vận\" cho 9 đồng chí.",
            None,
        );
        assert!(
            !f.iter().any(|x| x.starts_with("award.awarded_by")),
            "who hands over is no giver: {f:#?}"
        );
        assert!(has(&f, "award.recipients.individuals = 9"), "{f:#?}");
    }

    #[test]
    fn by_decision() {
        let f = facts(
            "Ngày 16/12/2024, Ban Thường vụ Tỉnh ủy ban hành Quyết định số 2105-QĐ/TU công nhận danh hiệu điển hình “Dân vận khéo” cho 15 tập thể.",
            None,
        );
        assert!(has(&f, "award.decision = 2105-QĐ/TU"), "{f:#?}");
        assert!(
            has(&f, "award.awarded_by = Ban Thường vụ Tỉnh ủy"),
            "{f:#?}"
        );
        assert!(has(&f, "award.form = title"), "{f:#?}");
    }
}
