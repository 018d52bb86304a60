//! The extractors, one per kind of fact, run in order over one [`Ctx`]: the place first
//! (every record's province), then the documents cited, the conference, its commendations, the
//! figures and the models.

mod award;
mod citation;
mod conference;
mod figure;
mod model;
mod people;
mod place;

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Document, Span};
use crate::proposal::{Evidence, Extraction, Proposal, Unread};

/// A value found once and used by several records (the article's province): the JSON value
/// and its evidence.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) value: serde_json::Value,
    pub(crate) evidence: Evidence,
}

/// The state of one reading.
pub(crate) struct Ctx<'a> {
    pub(crate) doc: &'a Document,
    /// Per sentence: whether a value was read from it.
    used: Vec<bool>,
    /// The article's province, stated or inferred.
    pub(crate) province: Option<Found>,
    /// The spans of documents cited, which no other reader takes a date or number from.
    pub(crate) citations: Vec<(Range<usize>, String)>,
    /// The conference's proposal key, once read.
    pub(crate) conference: Option<String>,
    pub(crate) proposals: Vec<Proposal>,
}

impl<'a> Ctx<'a> {
    fn new(doc: &'a Document) -> Ctx<'a> {
        Ctx {
            doc,
            used: vec![false; doc.sentences().len()],
            province: None,
            citations: Vec::new(),
            conference: None,
            proposals: Vec::new(),
        }
    }

    /// The folded text.
    pub(crate) fn f(&self) -> &'a str {
        self.doc.folded()
    }

    /// Evidence quoting `range` (characters), marking its sentence as read.
    pub(crate) fn ev(&mut self, range: Range<usize>) -> Evidence {
        let r = self.doc.trim(range.clone());
        let r = if r.is_empty() { range } else { r };
        self.mark(r.start);
        Evidence::stated(
            self.doc,
            Span {
                start: r.start,
                end: r.end,
            },
        )
    }

    /// Marks the sentence holding character `at` as read.
    pub(crate) fn mark(&mut self, at: usize) {
        if let Some(i) = self.sentence_index(at) {
            self.used[i] = true;
        }
    }

    pub(crate) fn sentence_index(&self, at: usize) -> Option<usize> {
        self.doc
            .sentences()
            .iter()
            .position(|s| s.start <= at && at < s.end.max(s.start + 1))
    }

    /// The sentence holding character `at`.
    pub(crate) fn sentence_at(&self, at: usize) -> Range<usize> {
        self.sentence_index(at)
            .map_or(0..self.doc.len(), |i| self.doc.sentences()[i].clone())
    }

    /// Whether `at` lies inside a cited document's words.
    pub(crate) fn in_citation(&self, at: usize) -> bool {
        self.citations.iter().any(|(r, _)| r.contains(&at))
    }

    /// Adds a proposal, naming it `p1`, `p2`, …; returns its key.
    pub(crate) fn add(&mut self, mut p: Proposal) -> String {
        p.key = format!("p{}", self.proposals.len() + 1);
        let key = p.key.clone();
        self.proposals.push(p);
        key
    }

    /// The original words at a range of characters.
    pub(crate) fn orig(&self, r: Range<usize>) -> &'a str {
        self.doc.original(r)
    }

    fn finish(self) -> Extraction {
        let unread = self
            .doc
            .sentences()
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|(r, _)| Unread {
                span: Span {
                    start: r.start,
                    end: r.end,
                },
                text: self.doc.original(r.clone()).to_string(),
            })
            .collect();
        Extraction {
            proposals: self.proposals,
            unread,
        }
    }
}

/// Reads `doc`: every extractor in order.
pub(crate) fn run(doc: &Document) -> Extraction {
    let mut cx = Ctx::new(doc);
    place::read(&mut cx);
    citation::read(&mut cx);
    conference::read(&mut cx);
    award::read(&mut cx);
    figure::read(&mut cx);
    model::read(&mut cx);
    for p in &mut cx.proposals {
        p.missing = crate::proposal::required_missing(p);
    }
    cx.finish()
}

/// Compiles a pattern written for the folded text.
pub(crate) fn re(pattern: &str) -> Regex {
    #[allow(clippy::unwrap_used)] // literal patterns, each exercised by the tests
    Regex::new(pattern).unwrap()
}

/// A dated phrase: "sáng 14/3", "ngày 14/3/2025", "ngày 14 tháng 3 năm 2025", "12-13/6".
pub(crate) static DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:(sang|trua|chieu|toi) (?:nay |hom nay )?)?(?:(?:ngay|hom) )?(?:(\d{1,2}) ?(?:-|va|den) ?)?(\d{1,2})(?: ?([/\-.]) ?| thang )(\d{1,2})(?:(?: ?[/\-.] ?| nam )(\d{4}))?\b",
    )
});

/// What follows a fraction of a figure ("5/12 huyện"), never a date.
static COUNTED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^ (so|nganh|huyen|xa|phuong|don|co quan|don vi|tap the|ca nhan|mo hinh|ho so|cuoc|vu|chi bo|to chuc|thon|ban|hoi|dia phuong|tinh|diem|tham luan|y kien|kien nghi|tieu chi|chi tieu)\b",
    )
});

/// A date read from the text: where, the day, and whether the year was written.
#[derive(Debug, Clone)]
pub(crate) struct DateAt {
    pub(crate) range: Range<usize>,
    pub(crate) date: chrono::NaiveDate,
    pub(crate) end: Option<chrono::NaiveDate>,
    pub(crate) part_of_day: Option<&'static str>,
    pub(crate) year_written: bool,
}

/// The dates in `range` outside cited documents, with the year from `year` when unwritten.
pub(crate) fn dates_in(cx: &Ctx<'_>, range: Range<usize>, year: Option<i32>) -> Vec<DateAt> {
    let f = cx.f();
    let mut out = Vec::new();
    for c in DATE.captures_iter(&f[range.clone()]) {
        let Some(m) = c.get(0) else { continue };
        let at = range.start + m.start();
        if cx.in_citation(at) {
            continue;
        }
        // Not a document number ("05-CT/TU") nor a fraction of a figure ("19/20 sở").
        let after = &f[range.start + m.end()..];
        if after.starts_with(|ch: char| ch.is_ascii_alphabetic() || ch == '/' || ch == '-')
            || COUNTED.is_match(after)
        {
            continue;
        }
        let before = f[..at].trim_end();
        if before.ends_with("so") || before.ends_with("so:") || before.ends_with('/') {
            continue;
        }
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let (Some(day), Some(month)) = (num(3), num(5)) else {
            continue;
        };
        // A bare "d.m" is a decimal more often than a date, unless a part of the day or "ngày"
        // opens it ("Sáng 24.11").
        let opened = c.get(1).is_some() || m.as_str().starts_with("ngay ");
        if c.get(4).is_some_and(|s| s.as_str().trim() == ".") && c.get(6).is_none() && !opened {
            continue;
        }
        let written = num(6).map(|y| y as i32);
        let Some(y) = written.or(year) else { continue };
        let Some(date) = chrono::NaiveDate::from_ymd_opt(y, month, day) else {
            continue;
        };
        let (date, end) = match num(2) {
            Some(first) => match chrono::NaiveDate::from_ymd_opt(y, month, first) {
                Some(start) if start < date => (start, Some(date)),
                _ => continue,
            },
            None => (date, None),
        };
        let part_of_day = c.get(1).map(|p| match p.as_str() {
            "sang" => "morning",
            "trua" => "noon",
            "chieu" => "afternoon",
            _ => "evening",
        });
        out.push(DateAt {
            range: at..range.start + m.end(),
            date,
            end,
            part_of_day,
            year_written: written.is_some(),
        });
    }
    out
}

/// A number as offices write it: "2.310", "19", "1.986.512" (dots group thousands).
pub(crate) fn count(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.contains('.') {
        let groups: Vec<&str> = s.split('.').collect();
        if groups[1..].iter().all(|g| g.len() == 3) && !groups[0].is_empty() {
            return groups.concat().parse().ok();
        }
        return None;
    }
    s.parse().ok()
}

/// Words that open a place name written in lowercase: "tại thành phố Điện Biên Phủ".
pub(crate) const PLACE_WORDS: &[&str] =
    &["thanh pho ", "thi xa ", "huyen ", "xa ", "phuong ", "tinh "];

/// The end of the clause that starts at `from` within `sentence`: the sentence's end, a
/// semicolon, or a comma or word that opens another clause ("…, đồng chí …", "… tại …",
/// "… nhằm …"), never inside quotes.
pub(crate) fn clause_end(cx: &Ctx<'_>, from: usize, sentence: &Range<usize>) -> usize {
    static OPENERS: &[&str] = &[
        ", dong chi",
        ", cac dong chi",
        ", du ",
        ", tham du",
        ", voi su",
        ", do ong",
        ", do ba",
        ", do dong chi",
        ", do cac dong chi",
        ", nham",
        ", co su",
        ", co ",
        ", ket noi",
        ", theo hinh thuc",
        ", chu tri",
        ", tai ",
        ", de ",
        ", qua do",
        ", trong do",
        ", thu hut",
        ", voi ",
        ", cung ",
        ", sau ",
        ", lanh dao",
        ", ban ",
        ", uy ban",
        ", ubnd",
        ", cac dai bieu",
        ", cac y kien",
        " voi su tham du",
        " voi su chu tri",
        " theo hinh thuc",
        " ket noi",
        " do dong chi",
        " duoi su chu tri",
        " nham ",
        " co su tham du",
        " chu tri",
        " da dien ra",
        " dien ra",
        " duoc to chuc",
        " ket hop truc tuyen",
        " truc tiep ket hop",
        " (",
        "; ",
        ": ",
    ];
    let f = cx.f();
    let b = f.as_bytes();
    let mut quoted = false;
    let mut i = from;
    while i < sentence.end {
        if b[i] == b'"' {
            quoted = !quoted;
        } else if !quoted {
            let rest = &f[i..sentence.end];
            if OPENERS.iter().any(|o| rest.starts_with(o)) {
                return i;
            }
            if rest.starts_with(" tai ")
                && !cx.doc.is_upper_at(i + 1)
                && (cx.doc.is_upper_at(i + 5)
                    || PLACE_WORDS.iter().any(|w| rest[5..].starts_with(w)))
            {
                return i;
            }
        }
        i += 1;
    }
    let mut end = sentence.end;
    while end > from && matches!(b[end - 1], b'.' | b' ' | b',' | b';') {
        end -= 1;
    }
    end
}

/// Test helpers: a text read, its facts in the corpus's form (`kind[record].field = value`),
/// and the evidence of one value.
#[cfg(test)]
pub(crate) mod testing {
    use crate::document::{Document, Meta};
    use crate::proposal::Extraction;

    /// `text` read as published on `published` (ISO) at `url`.
    pub(crate) fn read(
        text: &str,
        published: Option<&str>,
        url: Option<&str>,
    ) -> (Document, Extraction) {
        let meta = Meta {
            published: published.map(|d| d.parse().unwrap()),
            url: url.map(str::to_string),
            ..Meta::default()
        };
        let doc = Document::new(text, meta);
        let found = crate::ingest(&doc);
        for p in &found.proposals {
            assert!(p.check(&doc).is_empty(), "{:?}", p.check(&doc));
        }
        (doc, found)
    }

    /// The facts of `text`, sorted.
    pub(crate) fn facts(text: &str, published: Option<&str>) -> Vec<String> {
        let (_, found) = read(text, published, None);
        let mut f: Vec<String> = found
            .proposals
            .iter()
            .flat_map(crate::eval::facts_of)
            .collect();
        f.sort();
        f
    }

    /// Whether `facts` holds `fact`.
    pub(crate) fn has(facts: &[String], fact: &str) -> bool {
        facts.iter().any(|f| f == fact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Meta;

    fn dates(text: &str) -> Vec<String> {
        let d = Document::new(text, Meta::default());
        let cx = Ctx::new(&d);
        dates_in(&cx, 0..d.len(), Some(2025))
            .into_iter()
            .map(|a| {
                format!(
                    "{}{}",
                    a.date,
                    a.end.map(|e| format!("..{e}")).unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn dates_as_articles_write_them() {
        assert_eq!(dates("Chiều 14/3, Ban"), ["2025-03-14"]);
        assert_eq!(dates("Sáng 26-7, các đồng chí"), ["2025-07-26"]);
        assert_eq!(dates("ngày 14 tháng 3 năm 2024"), ["2024-03-14"]);
        assert_eq!(
            dates("Trong 2 ngày 12-13/6/2024"),
            ["2024-06-12..2024-06-13"]
        );
        assert!(dates("Chỉ thị số 05-CT/TU").is_empty());
        assert!(dates("19/20 sở, ngành").is_empty());
        assert!(dates("đạt 96.5 điểm").is_empty());
    }

    #[test]
    fn thousands() {
        assert_eq!(count("2.310"), Some(2310));
        assert_eq!(count("1.986.512"), Some(1_986_512));
        assert_eq!(count("19"), Some(19));
        assert_eq!(count("96.5"), None);
    }
}
