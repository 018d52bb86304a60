//! The conference an article reports: "Chiều 14/3, Ban Dân vận Tỉnh ủy tổ chức Hội nghị sơ
//! kết …; đồng chí …, Trưởng Ban Dân vận Tỉnh ủy chủ trì …" — its day (the year from the
//! publication date when the text gives none, marked so), hosts, title and kinds, period,
//! format, place, chairs and attendees, and the documents it reviewed.

use std::ops::Range;
use std::sync::LazyLock;

use chrono::Datelike;
use danvan_core::inferred::InferredFrom;
use danvan_core::period::Period;
use danvan_core::text::search_key;
use danvan_core::validate::RecordKind;
use regex::Regex;
use serde_json::json;

use super::{Ctx, DateAt, clause_end, count, dates_in, people, re};
use crate::proposal::{Link, Proposal, Reading};

/// An event's verb and noun: "tổ chức Hội nghị", "khai mạc Hội thảo".
static EVENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(to chuc|khai mac|dong to chuc|phoi hop to chuc|chu tri)( thanh cong)? (le |buoi |chuong trinh )?(hoi nghi|hoi thao|toa dam|doi thoai|tap huan|le ky niem|ky niem|le bieu duong|le ton vinh|giao ban)\b",
    )
});

/// An event named first and said to take place: "Hội nghị … đã diễn ra".
/// A sentence whose subject is many units: a count of them, or "các huyện", "các xã" ….
static PLURAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:[^,]*, )?(?:\d+/\d+ |\d+ (?:huyen|xa|don vi|co so|dia phuong)|(?:100% )?cac (?:huyen|xa|phuong|don vi|co so|dia phuong|chi bo|dang bo))",
    )
});

static HAPPENED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(hoi nghi|hoi thao|toa dam|le ky niem)\b[^.;]{5,200}? (da dien ra|dien ra|duoc to chuc|da duoc to chuc|khai mac)\b",
    )
});

/// What the title says the conference was, in order of precedence.
const KINDS: &[(&str, &str)] = &[
    ("hoi thao", "workshop"),
    ("toa dam", "round_table"),
    ("doi thoai", "dialogue"),
    ("tap huan", "training"),
    ("boi duong nghiep vu", "training"),
    ("ky niem", "commemoration"),
    ("bieu duong", "honouring"),
    ("ton vinh", "honouring"),
    ("tuyen duong", "honouring"),
    ("giao ban", "briefing"),
    ("chuyen de", "thematic"),
];

static REVIEW: LazyLock<Regex> = LazyLock::new(|| re(r"\b(so ket|tong ket)\b"));

static REVIEWED_DOCUMENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?: [a-z0-9 ,]{0,30}?)? (?:\d+|mot|hai|ba|bon|nam|muoi|15|20) nam (?:thuc hien|trien khai)|^ (?:viec )?(?:thuc hien|trien khai)",
    )
});

static SIX_MONTHS: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:6|sau) thang (?:dau|cuoi) nam(?: (\d{4}))?"));

static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"\bnam (\d{4})\b"));

/// Words that open a body's name, for texts that write it in lowercase ("ban dân vận tỉnh ủy").
const BODY_WORDS: &[&str] = &[
    "ban dan van ",
    "ban thuong vu ",
    "ban chi dao ",
    "tinh uy ",
    "huyen uy ",
    "thanh uy ",
    "dang uy ",
    "uy ban ",
    "ubnd ",
    "thuong truc ",
    "hoi dong ",
    "so ",
    "hoi ",
];

/// The words that say someone attended, and whether they directed.
static ATTEND: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:du va (?:phat bieu )?chi dao|tham du va chi dao|du va phat bieu|tham du|du hoi nghi|du le|du co)\b",
    )
});

static POINTS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\bket noi (?:(?:toi|den|voi|truc tuyen (?:toi|den|voi)) )?(\d[\d.]*) diem cau")
});

pub(super) fn read(cx: &mut Ctx<'_>) {
    let Some((sentence, title)) = event(cx) else {
        return;
    };
    let mut p = Proposal::new(RecordKind::Conference);
    let title_ev = cx.ev(title.clone());
    let title_text = capitalise(cx.orig(title.clone()));
    p.push("title", json!(title_text), Reading::Verbatim, title_ev);
    kinds(cx, &mut p, &title);
    let date = conference_date(cx, &sentence);
    if let Some(d) = &date {
        push_date(cx, &mut p, d);
    } else {
        part_of_day_only(cx, &mut p, &sentence);
    }
    period(cx, &mut p, &title, date.as_ref());
    hosts(cx, &mut p, &sentence, &title, date.as_ref());
    format(cx, &mut p, &sentence);
    // A central body's or a nationwide conference is the country's, whatever site reports it.
    let central = p
        .strings("hosts[]")
        .iter()
        .any(|h| search_key(h).contains("trung uong"))
        || search_key(&title_text).contains("toan quoc");
    if let (false, Some(found)) = (central, cx.province.clone()) {
        p.push("province", found.value, Reading::Term, found.evidence);
    }
    persons(cx, &mut p);
    reviewed(cx, &mut p, &title);
    p.label = match &date {
        Some(d) => format!(
            "{} ({})",
            title_text,
            danvan_core::date::to_vietnamese_short(d.date)
        ),
        None => title_text,
    };
    let key = cx.add(p);
    cx.conference = Some(key);
}

/// The sentence reporting the event, and the range of its title.
fn event(cx: &Ctx<'_>) -> Option<(Range<usize>, Range<usize>)> {
    let f = cx.f();
    // The first event named with a title: "chủ trì hội nghị." at a sentence's end names the
    // event again, it does not report one.
    for c in EVENT.captures_iter(f) {
        let Some(noun) = c.get(3).or(c.get(4)) else {
            continue;
        };
        let sentence = cx.sentence_at(noun.start());
        let end = clause_end(cx, noun.start(), &sentence);
        let verb = c.get(1).map_or("", |v| v.as_str());
        // "21/21 huyện đã tổ chức hội nghị …", "các xã tổ chức hội nghị …": many events, none
        // of them this article's.
        let head = &f[sentence.start..noun.start()];
        if PLURAL.is_match(head) {
            continue;
        }
        let words = f[noun.start()..end].split_whitespace().count();
        let after = &f[noun.end()..end];
        // "Chủ trì Hội nghị có các đồng chí …", "chủ trì hội nghị tại điểm cầu …": the event
        // named again, not reported.
        if verb == "chu tri"
            && (words <= 3 || after.starts_with(" co ") || after.starts_with(" tai "))
        {
            continue;
        }
        return Some((sentence, noun.start()..end));
    }
    let c = HAPPENED.captures(f)?;
    let noun = c.get(1)?;
    let verb = c.get(2)?;
    let sentence = cx.sentence_at(noun.start());
    let end = clause_end(cx, noun.start(), &sentence).min(verb.start() - 1);
    let end = cx.doc.trim(noun.start()..end).end;
    Some((sentence, noun.start()..end))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn kinds(cx: &mut Ctx<'_>, p: &mut Proposal, title: &Range<usize>) {
    let f = cx.f();
    let t = &f[title.clone()];
    let mut found: Vec<(&str, Range<usize>)> = Vec::new();
    if let Some(m) = REVIEW.find(t) {
        let tail = &t[m.end()..];
        let near: String = tail.chars().take(60).collect();
        let directive = REVIEWED_DOCUMENT.is_match(tail)
            || cx.citations.iter().any(|(c, _)| title.contains(&c.start));
        let r = title.start + m.start()..title.start + m.end();
        if directive {
            found.push(("directive_review", r.clone()));
        }
        if let Some(i) = SIX_MONTHS.find(&near) {
            let r = r.start..title.start + m.end() + i.end();
            found.push(("six_month_review", r));
        } else if m.as_str() == "tong ket" && !directive && YEAR.is_match(tail) {
            found.push(("annual_review", r));
        }
    }
    for (words, kind) in KINDS {
        if let Some(i) = t.find(words)
            && !found.iter().any(|(k, _)| k == kind)
        {
            let r = title.start + i..title.start + i + words.len();
            found.push((kind, r));
        }
    }
    for (kind, r) in found {
        let ev = cx.ev(r);
        p.push("kinds[]", json!(kind), Reading::Term, ev);
    }
}

/// The conference's day: in the event's sentence, else leading the text's first sentence.
fn conference_date(cx: &Ctx<'_>, sentence: &Range<usize>) -> Option<DateAt> {
    let published = cx.doc.meta.published;
    let year = published.map(|d| d.year());
    let mut found = dates_in(cx, sentence.clone(), year).into_iter().next();
    if found.is_none() {
        let first = cx.doc.sentences().first()?.clone();
        found = dates_in(cx, first.clone(), year)
            .into_iter()
            .next()
            .filter(|d| d.range.start < first.start + 30);
    }
    let mut d = found?;
    if let (false, Some(p)) = (d.year_written, published) {
        // "Chiều 30/12" in an article of 2/1: the year before.
        if d.date > p {
            d.date = d.date.with_year(p.year() - 1)?;
            d.end = d.end.and_then(|e| e.with_year(p.year() - 1));
        }
    }
    Some(d)
}

/// "Chiều 14/3" with no year to be had: the part of the day is still said.
fn part_of_day_only(cx: &mut Ctx<'_>, p: &mut Proposal, sentence: &Range<usize>) {
    let f = cx.f();
    let Some(c) = super::DATE.captures(&f[sentence.clone()]) else {
        return;
    };
    let (Some(m), Some(part)) = (c.get(0), c.get(1)) else {
        return;
    };
    if m.start() > 0 {
        return;
    }
    let name = match part.as_str() {
        "sang" => "morning",
        "trua" => "noon",
        "chieu" => "afternoon",
        _ => "evening",
    };
    let ev = cx.ev(sentence.start + part.start()..sentence.start + part.end());
    p.push("part_of_day", json!(name), Reading::Term, ev);
}

fn push_date(cx: &mut Ctx<'_>, p: &mut Proposal, d: &DateAt) {
    let ev = cx.ev(d.range.clone());
    let evidence = if d.year_written {
        ev
    } else {
        let published = cx
            .doc
            .meta
            .published
            .map(danvan_core::date::to_vietnamese_short);
        let note = format!("năm của ngày đăng tin {}", published.unwrap_or_default());
        ev.inferred("date.year", InferredFrom::PublicationDate, note)
    };
    p.push(
        "date",
        json!(d.date.to_string()),
        Reading::Date,
        evidence.clone(),
    );
    if let Some(end) = d.end {
        p.push(
            "end_date",
            json!(end.to_string()),
            Reading::Date,
            evidence.clone(),
        );
    }
    if let Some(part) = d.part_of_day {
        let ev = cx.ev(d.range.clone());
        p.push("part_of_day", json!(part), Reading::Term, ev);
    }
}

/// The period reviewed: "6 tháng đầu năm 2024", "năm 2023" in the title of a review.
fn period(cx: &mut Ctx<'_>, p: &mut Proposal, title: &Range<usize>, date: Option<&DateAt>) {
    let kinds = p.strings("kinds[]");
    let f = cx.f();
    let t = &f[title.clone()];
    if kinds.contains(&"six_month_review") {
        let Some(c) = SIX_MONTHS.captures(t) else {
            return;
        };
        let Some(m) = c.get(0) else { return };
        let r = title.start + m.start()..title.start + m.end();
        let phrase = cx.orig(r.clone()).to_string();
        if c.get(1).is_some() {
            if let Ok(period) = Period::parse(&phrase, None) {
                let ev = cx.ev(r);
                p.push("reviewed_period", json!(period.id()), Reading::Term, ev);
            }
            return;
        }
        // "6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối năm 2024": the year the title
        // gives later; else the conference's own year, marked as inferred.
        if let Some(y) = YEAR.captures(&t[m.end()..]).and_then(|c| c.get(1)) {
            let year: i32 = y.as_str().parse().unwrap_or(0);
            if let Ok(period) = Period::parse(&phrase, Some(year)) {
                let ev = cx.ev(r.start..title.start + m.end() + y.end());
                p.push("reviewed_period", json!(period.id()), Reading::Term, ev);
            }
        } else if let Some(d) = date
            && let Ok(period) = Period::parse(&phrase, Some(d.date.year()))
        {
            let note = format!("năm của ngày hội nghị ({})", d.date.year());
            let ev = cx
                .ev(r)
                .inferred("reviewed_period", InferredFrom::Context, note);
            p.push("reviewed_period", json!(period.id()), Reading::Term, ev);
        }
    } else if kinds.contains(&"annual_review")
        && let Some(m) = YEAR.find(t)
    {
        let r = title.start + m.start()..title.start + m.end();
        if let Ok(period) = Period::parse(cx.orig(r.clone()), None) {
            let ev = cx.ev(r);
            p.push("reviewed_period", json!(period.id()), Reading::Term, ev);
        }
    }
}

/// The hosts: the bodies named before the verb ("Ban Dân vận Tỉnh ủy phối hợp với Ủy ban MTTQ
/// tỉnh tổ chức …"), and a place opened by "tại" among them.
fn hosts(
    cx: &mut Ctx<'_>,
    p: &mut Proposal,
    sentence: &Range<usize>,
    title: &Range<usize>,
    date: Option<&DateAt>,
) {
    let f = cx.f();
    let verb_end = title.start;
    let head = &f[sentence.start..verb_end];
    if head.trim_end().ends_with("chu tri") {
        // "các đồng chí … chủ trì Hội nghị": people, not host bodies, open the sentence.
        location(cx, p, sentence, title);
        return;
    }
    let Some(verb) = ["phoi hop to chuc", "dong to chuc", "to chuc", "khai mac"]
        .iter()
        .find_map(|v| head.rfind(v))
    else {
        location(cx, p, sentence, title);
        return;
    };
    let mut start = sentence.start;
    if let Some(d) = date.filter(|d| sentence.contains(&d.range.start)) {
        start = start.max(d.range.end);
    }
    let seg_end = sentence.start + verb;
    if start >= seg_end {
        return;
    }
    // Split at commas, but a piece that starts in lowercase continues the one before ("Khối
    // các sở, ngành tỉnh"), unless it opens a place ("tại …").
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut from = start;
    for piece in f[start..seg_end].split(", ") {
        let r = from..from + piece.len();
        from = r.end + 2;
        let continues = !piece.is_empty()
            && !cx.doc.is_upper_at(r.start)
            && !piece.starts_with("tai ")
            && !piece.starts_with("vua qua")
            && !piece.starts_with("hom nay");
        match pieces.last_mut() {
            Some(last) if continues => last.end = r.end,
            _ => pieces.push(r),
        }
    }
    for r in pieces {
        let r = cx.doc.trim(r);
        if r.is_empty() {
            continue;
        }
        let words = &f[r.clone()];
        if super::DATE
            .find(words)
            .is_some_and(|m| m.start() == 0 && m.end() == words.len())
        {
            // A day the reader could not date (no year anywhere): not a host.
            continue;
        }
        if let Some(rest) = words.strip_prefix("tai ") {
            let at = r.start + 4;
            if (cx.doc.is_upper_at(at) || super::PLACE_WORDS.iter().any(|w| rest.starts_with(w)))
                && !rest.starts_with("hoi nghi")
            {
                let ev = cx.ev(at..r.end);
                p.push("location", json!(cx.orig(at..r.end)), Reading::Verbatim, ev);
            }
            continue;
        }
        for body in split_bodies(cx, r) {
            let words = &f[body.clone()];
            let named =
                cx.doc.is_upper_at(body.start) || BODY_WORDS.iter().any(|w| words.starts_with(w));
            if words.contains("dong chi") || !named {
                continue;
            }
            let ev = cx.ev(body.clone());
            p.push("hosts[]", json!(cx.orig(body)), Reading::Verbatim, ev);
        }
    }
    location(cx, p, sentence, title);
}

/// Whether folded words start a body's name: "Ban …", "Ủy ban …", "Hội …", "Sở …".
fn starts_body(words: &str) -> bool {
    const BODIES: &[&str] = &[
        "ban ",
        "uy ban",
        "ubnd",
        "hoi ",
        "so ",
        "dang uy",
        "huyen uy",
        "tinh uy",
        "thanh uy",
        "thi uy",
        "mat tran",
        "doan ",
        "tinh doan",
        "lien doan",
        "cong an",
        "bo chi huy",
        "trung tam",
        "truong ",
        "thuong truc",
        "bao ",
        "dai ",
        "cum ",
        "khoi ",
        "cuc ",
        "vien ",
        "hoc vien",
        "bo ",
        "phong ",
        "toa an",
        "vien kiem sat",
        "mttq",
        "hdnd",
    ];
    BODIES.iter().any(|b| words.starts_with(b))
}

/// Bodies joined by "phối hợp với", "và", "cùng": each its own host, trailing "đã" dropped.
fn split_bodies(cx: &Ctx<'_>, r: Range<usize>) -> Vec<Range<usize>> {
    let f = cx.f();
    let mut out = Vec::new();
    let mut start = r.start;
    let mut i = r.start;
    while i < r.end {
        let rest = &f[i..r.end];
        // "và" joins two bodies only when a body's name follows: "Ban Tuyên giáo và Dân vận
        // Tỉnh ủy", "Sở Dân tộc và Tôn giáo" are one body each.
        let joiner = [" phoi hop voi ", " va ", " cung voi ", " cung "]
            .iter()
            .find(|j| {
                rest.starts_with(**j)
                    && cx.doc.is_upper_at(i + j.len())
                    && (**j != " va " || starts_body(&rest[j.len()..]))
            });
        if let Some(j) = joiner {
            out.push(start..i);
            start = i + j.len();
            i = start;
        } else {
            i += 1;
        }
    }
    out.push(start..r.end);
    out.into_iter()
        .map(|b| {
            let mut b = cx.doc.trim(b);
            for tail in [
                " da",
                " vua",
                " chinh thuc",
                " long trong",
                " phoi hop",
                " dang cai",
            ] {
                if f[b.clone()].ends_with(tail) {
                    b.end -= tail.len();
                }
            }
            // Words before the body's name: "vừa qua", "hôm nay".
            while b.start < b.end
                && !cx.doc.is_upper_at(b.start)
                && !BODY_WORDS.iter().any(|w| f[b.start..b.end].starts_with(w))
            {
                match f[b.clone()].find(' ') {
                    Some(sp) => b.start += sp + 1,
                    None => b.start = b.end,
                }
            }
            b
        })
        .filter(|b| !b.is_empty())
        .collect()
}

/// "… tại Hội trường Tỉnh ủy" after the title.
fn location(cx: &mut Ctx<'_>, p: &mut Proposal, sentence: &Range<usize>, title: &Range<usize>) {
    if p.has("location") {
        return;
    }
    let f = cx.f();
    let rest = &f[title.end..sentence.end];
    // "tại" in lowercase: "Triệu Tài Vinh" is a name.
    let Some(i) = rest
        .match_indices(" tai ")
        .map(|(i, _)| i)
        .find(|i| !cx.doc.is_upper_at(title.end + i + 1))
    else {
        return;
    };
    let at = title.end + i + 5;
    let named = cx.doc.is_upper_at(at) || super::PLACE_WORDS.iter().any(|w| f[at..].starts_with(w));
    if !named || f[at..].starts_with("diem cau") {
        return;
    }
    let end = clause_end(cx, at, sentence);
    let r = cx.doc.trim(at..end);
    if r.len() > 3 {
        let ev = cx.ev(r.clone());
        p.push("location", json!(cx.orig(r)), Reading::Verbatim, ev);
    }
}

/// Online, hybrid, and the connection points.
fn format(cx: &mut Ctx<'_>, p: &mut Proposal, sentence: &Range<usize>) {
    let f = cx.f();
    let s = &f[sentence.clone()];
    let mode = [
        ("truc tiep ket hop truc tuyen", "hybrid"),
        ("truc tiep ket hop voi truc tuyen", "hybrid"),
        ("truc tuyen", "online"),
    ]
    .iter()
    .find_map(|(w, m)| s.find(w).map(|i| (i, w.len(), *m)));
    let Some((i, len, mode)) = mode else { return };
    let ev = cx.ev(sentence.start + i..sentence.start + i + len);
    p.push("format.mode", json!(mode), Reading::Term, ev);
    if let Some(c) = POINTS.captures(s)
        && let (Some(m), Some(n)) = (c.get(0), c.get(1).and_then(|n| count(n.as_str())))
    {
        let ev = cx.ev(sentence.start + m.start()..sentence.start + m.end());
        p.push("format.connection_points", json!(n), Reading::Number, ev);
    }
}

/// Chairs ("… chủ trì") and attendees ("Dự và chỉ đạo hội nghị có đồng chí …").
fn persons(cx: &mut Ctx<'_>, p: &mut Proposal) {
    let f = cx.f();
    let sentences: Vec<Range<usize>> = cx.doc.sentences().to_vec();
    let (mut chairs, mut attendees) = (0, 0);
    for s in sentences {
        let text = &f[s.clone()];
        // Who chaired at one connection point ("Chủ trì tại điểm cầu Thái Nguyên có đồng chí
        // …") did not chair the conference.
        let chair_at = text
            .find("chu tri")
            .filter(|_| !text.contains("duoi su chu tri cua") && !text.contains("tai diem cau"));
        let attend = ATTEND.find(text);
        let named = people::in_range(cx, s.clone());
        for person in named {
            let rel = person.name.start - s.start;
            let directing = attend.is_some_and(|a| a.as_str().contains("chi dao"));
            let attending = if directing { "directing" } else { "attending" };
            let role = match (chair_at, attend) {
                (Some(c), _) if rel < c || text.starts_with("chu tri") => "chair",
                // "Dự hội nghị có đồng chí X" or "đồng chí X, …, dự và chỉ đạo hội nghị".
                (_, Some(_)) => attending,
                _ => continue,
            };
            let (field, n) = if role == "chair" {
                chairs += 1;
                ("chairs", chairs - 1)
            } else {
                attendees += 1;
                ("attendees", attendees - 1)
            };
            let ev = cx.ev(person.name.clone());
            let name = cx.orig(person.name.clone()).to_string();
            p.push(
                &format!("{field}[{n}].name"),
                json!(name),
                Reading::Verbatim,
                ev,
            );
            if let Some(pos) = person.position {
                let ev = cx.ev(pos.clone());
                let text = cx.orig(pos).to_string();
                p.push(
                    &format!("{field}[{n}].position"),
                    json!(text),
                    Reading::Verbatim,
                    ev,
                );
            }
            if let (true, Some(a)) = (field == "attendees", attend) {
                let ev = cx.ev(s.start + a.start()..s.start + a.end());
                p.push(
                    &format!("{field}[{n}].role"),
                    json!(role),
                    Reading::Term,
                    ev,
                );
            }
        }
    }
}

/// The documents a directive review reviewed: those cited in its title.
fn reviewed(cx: &mut Ctx<'_>, p: &mut Proposal, title: &Range<usize>) {
    let is_review = p
        .values
        .iter()
        .any(|v| v.field == "kinds[]" && v.value == json!("directive_review"));
    if !is_review {
        return;
    }
    let cited: Vec<(Range<usize>, String)> = cx
        .citations
        .iter()
        .filter(|(r, key)| title.contains(&r.start) && !key.is_empty())
        .cloned()
        .collect();
    for (r, key) in cited {
        let ev = cx.ev(r);
        p.links.push(Link {
            field: "reviewed_directives[]".into(),
            to: key,
            relation: None,
            evidence: ev,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::testing::{facts, has, read};

    #[test]
    fn a_lead_with_the_year_from_the_publication_date() {
        let (_, found) = read(
            "Chiều 30/12, Ban Dân vận Tỉnh ủy Lạng Sơn tổ chức hội nghị tổng kết công tác dân vận năm 2024.",
            Some("2025-01-02"),
            None,
        );
        let c = &found.proposals[0];
        assert_eq!(
            c.get("date").unwrap(),
            "2024-12-30",
            "a day after the publication's is the year before"
        );
        assert!(
            c.values
                .iter()
                .find(|v| v.field == "date")
                .unwrap()
                .evidence
                .is_inferred()
        );
        assert_eq!(c.get("reviewed_period").unwrap(), "2024");
    }

    #[test]
    fn hosts_place_format_and_people() {
        let f = facts(
            "Sáng 15/10/2023, tại Hội trường Tỉnh ủy, Ban Dân vận Tỉnh ủy phối hợp với Ủy ban MTTQ Việt Nam tỉnh tổ chức Hội nghị trực tuyến tổng kết công tác dân vận năm 2023, kết nối tới 13 điểm cầu. Các đồng chí: Trần Quốc Bảo, Phó Bí thư Tỉnh ủy; Vũ Thị Lan, Trưởng Ban Dân vận Tỉnh ủy đồng chủ trì hội nghị. Dự hội nghị có đồng chí Lê Văn Tùng, Giám đốc Sở Tư pháp.",
            None,
        );
        for want in [
            "conference.location = Hội trường Tỉnh ủy",
            "conference.hosts = Ban Dân vận Tỉnh ủy",
            "conference.hosts = Ủy ban MTTQ Việt Nam tỉnh",
            "conference.format.mode = online",
            "conference.format.connection_points = 13",
            "conference.chairs.name = Vũ Thị Lan",
            "conference.chairs.position = Phó Bí thư Tỉnh ủy",
            "conference.attendees.name = Lê Văn Tùng",
            "conference.attendees.role = attending",
            "conference.kinds = annual_review",
            "conference.part_of_day = morning",
        ] {
            assert!(has(&f, want), "{want}\n{f:#?}");
        }
    }

    #[test]
    fn an_event_said_to_take_place_and_no_year_at_all() {
        let f = facts(
            "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024 của Huyện ủy đã diễn ra tại thành phố Nha Trang.",
            Some("2024-06-26"),
        );
        assert!(has(&f, "conference.kinds = six_month_review"), "{f:#?}");
        assert!(
            has(&f, "conference.location = thành phố Nha Trang"),
            "{f:#?}"
        );
        let f = facts(
            "Chiều 14/3, Ban Dân vận Tỉnh ủy tổ chức Hội nghị giao ban công tác dân vận quý I.",
            None,
        );
        assert!(
            !f.iter().any(|x| x.starts_with("conference.date")),
            "no year, no date: {f:#?}"
        );
        assert!(has(&f, "conference.part_of_day = afternoon"), "{f:#?}");
    }
}
