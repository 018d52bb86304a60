//! People named with their positions: "đồng chí Lê Văn Tùng, Giám đốc Sở Tư pháp",
//! "các đồng chí: A, …; B, …".

use std::ops::Range;

use super::Ctx;

/// A person read from the text: the range of the name and of the position.
#[derive(Debug, Clone)]
pub(super) struct Named {
    pub(super) name: Range<usize>,
    pub(super) position: Option<Range<usize>>,
}

/// Words that end a position: what follows it in the sentence.
const POSITION_ENDS: &[&str] = &[
    " chu tri",
    " dong chu tri",
    " va dong chi",
    " va cac dong chi",
    ", dong chi",
    " dong chi",
    "; ",
    " du va chi dao",
    " du hoi nghi",
    " phat bieu",
    " dong chu tri",
    " trao ",
    " tang ",
    " (",
    ")",
    " cung du",
    " cung tham du",
    " da chu tri",
    " da du",
    ", du ",
    ", du va",
    " du va ",
    ", tham du",
];

/// The people named in `range` after "đồng chí" or "các đồng chí".
pub(super) fn in_range(cx: &Ctx<'_>, range: Range<usize>) -> Vec<Named> {
    let f = cx.f();
    let mut out = Vec::new();
    let mut i = range.start;
    while let Some((at, len)) = next_marker(cx, i, range.end) {
        let mut p = at + len;
        let list = f[..at].ends_with("cac ");
        if f[p..].starts_with(':') {
            p += 1;
        }
        while f[p..].starts_with(' ') {
            p += 1;
        }
        if list {
            let (people, next) = list_items(cx, p, range.end);
            out.extend(people);
            i = next.max(p);
            continue;
        }
        match one(cx, p, range.end) {
            Some((person, next)) => {
                i = next;
                out.push(person);
            }
            None => i = p,
        }
    }
    out
}

/// The next word that introduces a person from `i`: "đồng chí", or "ông"/"bà" before a
/// capitalised name (a caption's "ông Cáp Văn Thường-Trưởng Ban …"); its start and length.
fn next_marker(cx: &Ctx<'_>, i: usize, end: usize) -> Option<(usize, usize)> {
    let f = cx.f();
    let mut from = i;
    loop {
        let hay = &f[from..end];
        let found = [("dong chi", 8), ("ong ", 4), ("ba ", 3)]
            .iter()
            .filter_map(|(w, len)| hay.find(w).map(|at| (from + at, *len)))
            .filter(|(at, len)| {
                let word_start = *at == 0 || !f.as_bytes()[at - 1].is_ascii_alphanumeric();
                let honorific = *len != 8;
                // "ông", "bà" only as a word, lowercase in the text, before a capital.
                word_start
                    && (!honorific || (!cx.doc.is_upper_at(*at) && cx.doc.is_upper_at(at + len)))
            })
            .min();
        match found {
            Some(hit) => return Some(hit),
            None => {
                // Skip past candidates that were not markers.
                let next = ["dong chi", "ong ", "ba "]
                    .iter()
                    .filter_map(|w| hay.find(w).map(|at| from + at + 1))
                    .min()?;
                from = next;
            }
        }
    }
}

/// A name of two to five capitalised words starting at `p`.
fn name_at(cx: &Ctx<'_>, p: usize, end: usize) -> Option<Range<usize>> {
    let f = cx.f();
    let b = f.as_bytes();
    let (mut q, mut words, mut last) = (p, 0, p);
    while q < end && words < 5 && b[q].is_ascii_alphabetic() && cx.doc.is_upper_at(q) {
        let mut w = q;
        while w < end && b[w].is_ascii_alphabetic() {
            w += 1;
        }
        words += 1;
        last = w;
        if w + 1 < end && b[w] == b' ' {
            q = w + 1;
        } else {
            break;
        }
    }
    // A name never takes the first words of a position ("Bí thư", "Ủy viên").
    let name = p..last;
    (words >= 2 && !is_title_word(cx.orig(name.clone()))).then_some(name)
}

/// Whether a name's words are a position's first words ("Bí thư", "Trưởng Ban"), compared with
/// their diacritics: "Trưởng" is a title, "Trương" a family name.
fn is_title_word(name: &str) -> bool {
    const TITLES: &[&str] = &[
        "bí thư",
        "ủy viên",
        "uỷ viên",
        "phó ",
        "trưởng ",
        "chủ tịch",
        "giám đốc",
        "thứ trưởng",
        "bộ trưởng",
        "chủ nhiệm",
    ];
    let lower = name.to_lowercase();
    TITLES.iter().any(|t| lower.starts_with(t))
}

/// One person at `p`: the name and, after a comma or dash, the position.
fn one(cx: &Ctx<'_>, p: usize, end: usize) -> Option<(Named, usize)> {
    let name = name_at(cx, p, end)?;
    let f = cx.f();
    let rest = &f[name.end..end];
    let sep = rest
        .chars()
        .take_while(|c| matches!(c, ' ' | ',' | '-' | ':'))
        .count();
    if !rest.trim_start().starts_with([',', '-', ':']) {
        // "đồng chí X chủ trì": no position.
        let next = name.end;
        return Some((
            Named {
                name,
                position: None,
            },
            next,
        ));
    }
    let q = name.end + sep;
    let stop = POSITION_ENDS
        .iter()
        .filter_map(|s| f[q..end].find(s))
        .min()
        .map_or(end, |i| q + i);
    let pos = cx.doc.trim(q..stop);
    let pos = strip_trailing(cx, pos);
    let titled = is_title_word(cx.orig(pos.clone()));
    let position = (!pos.is_empty() && (cx.doc.is_upper_at(pos.start) || titled)).then_some(pos);
    Some((Named { name, position }, stop))
}

/// Drops "đã", "và" and "cùng" left at the end of a position.
fn strip_trailing(cx: &Ctx<'_>, mut r: Range<usize>) -> Range<usize> {
    let f = cx.f();
    for tail in [" da", " va", " cung", " dong"] {
        if f[r.clone()].ends_with(tail) {
            r.end -= tail.len();
            r = cx.doc.trim(r);
        }
    }
    r
}

/// "các đồng chí: A, pos; B, pos …": items split at semicolons (the last may follow "và").
fn list_items(cx: &Ctx<'_>, p: usize, end: usize) -> (Vec<Named>, usize) {
    let f = cx.f();
    let stop = [" chu tri", " dong chu tri", " da chu tri", " du va chi dao"]
        .iter()
        .filter_map(|s| f[p..end].find(s))
        .min()
        .map_or(end, |i| p + i);
    let mut out = Vec::new();
    let mut start = p;
    for piece in f[p..stop].split("; ") {
        let r = start..start + piece.len();
        start = r.end + 2;
        let r = cx.doc.trim(r);
        let r = match f[r.clone()].strip_prefix("va ") {
            Some(_) => r.start + 3..r.end,
            None => r,
        };
        let Some(name) = name_at(cx, r.start, r.end) else {
            continue;
        };
        let pos = strip_trailing(cx, cx.doc.trim(name.end..r.end));
        let position = (!pos.is_empty() && cx.doc.is_upper_at(pos.start)).then_some(pos);
        out.push(Named { name, position });
    }
    (out, stop)
}
