//! A text to read: its words in NFC, a folded copy for matching, its sentences, and what is
//! known of where it was published.

use std::ops::Range;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What is known of where a text was published: from the file (an HTML page's address and
/// date) or from the person who gave it (`--url`, `--published`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The address it was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Its title, when the file gives one apart from the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The day it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    /// The file it was read from, as named to danvan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl Meta {
    /// The host of `url` without `www.`: `baothainguyen.vn`.
    pub fn site(&self) -> Option<&str> {
        let url = self.url.as_deref()?;
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let host = rest.split(['/', '?', '#', ':']).next()?;
        let host = host.strip_prefix("www.").unwrap_or(host);
        (!host.is_empty()).then_some(host)
    }
}

/// A span of a document's text, in characters (Unicode scalar values) from its start: what
/// integrators highlight. `quote` in [`crate::Evidence`] holds the same words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// The first character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// A text ready to be read: NFC, with a folded copy one character for one
/// ([`danvan_core::text::fold_char`]) that the matchers search, so that "uỷ" and "ủy", "Hội
/// nghị" and "hội nghị" read alike while every value is quoted from the original.
#[derive(Debug, Clone)]
pub struct Document {
    text: String,
    folded: String,
    /// The byte offset in `text` of each character, and the text's length last.
    char_bytes: Vec<usize>,
    sentences: Vec<Range<usize>>,
    /// Where it was published.
    pub meta: Meta,
}

impl Document {
    /// `text` as given (normalised to NFC, non-breaking spaces and Windows line ends made
    /// plain), published as `meta` says.
    pub fn new(text: &str, meta: Meta) -> Document {
        let text = danvan_core::text::nfc(text)
            .replace("\r\n", "\n")
            .replace(['\u{00A0}', '\u{202F}', '\u{2007}'], " ")
            .replace(['\u{200B}', '\u{FEFF}'], "")
            .replace('\t', " ");
        // Runs of spaces are one space: what a reader sees, and what the matchers expect.
        let mut text = text;
        while text.contains("  ") {
            text = text.replace("  ", " ");
        }
        let text = unwrap_lines(&text);
        let mut folded = String::with_capacity(text.len());
        let mut char_bytes = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            char_bytes.push(i);
            folded.push(danvan_core::text::fold_char(c));
        }
        char_bytes.push(text.len());
        let sentences = split_sentences(&folded);
        Document {
            text,
            folded,
            char_bytes,
            sentences,
            meta,
        }
    }

    /// The text, in NFC: what spans count characters of.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The folded copy: ASCII, one byte per character of [`text`](Self::text).
    pub fn folded(&self) -> &str {
        &self.folded
    }

    /// The original words at a range of the folded copy (character offsets).
    pub fn original(&self, range: Range<usize>) -> &str {
        &self.text[self.char_bytes[range.start]..self.char_bytes[range.end]]
    }

    /// The sentences, as ranges of characters.
    pub fn sentences(&self) -> &[Range<usize>] {
        &self.sentences
    }

    /// The number of characters.
    pub fn len(&self) -> usize {
        self.folded.len()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }

    /// The words at `span`, as quoted in evidence.
    pub fn quote(&self, span: Span) -> &str {
        self.original(span.start..span.end)
    }

    /// Whether the original character at `i` is an uppercase letter.
    pub fn is_upper_at(&self, i: usize) -> bool {
        self.text[self.char_bytes[i]..]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }

    /// `range` with spaces and the punctuation that never starts or ends a value trimmed.
    pub fn trim(&self, range: Range<usize>) -> Range<usize> {
        let f = self.folded.as_bytes();
        let (mut s, mut e) = (range.start, range.end.min(f.len()));
        let junk = |b: u8| matches!(b, b' ' | b',' | b';' | b':' | b'-' | b'\n' | b'.');
        while s < e && junk(f[s]) {
            s += 1;
        }
        while e > s && junk(f[e - 1]) {
            e -= 1;
        }
        s..e
    }
}

/// Joins the lines of a paragraph that a PDF or a mail wrapped: a line break inside a sentence
/// (the line does not end a sentence and the next goes on in lowercase or with a number) is a
/// space. A heading stays a line of its own.
fn unwrap_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        let line = line.trim_end();
        out.push_str(line);
        let Some(next) = lines.peek() else { break };
        // A list item ending in ";" goes on when the next line does in lowercase.
        let ends = line.ends_with(['.', '!', '?', ':']) || line.is_empty();
        let goes_on = next
            .trim_start()
            .chars()
            .next()
            .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
        out.push(if !ends && goes_on { ' ' } else { '\n' });
    }
    out
}

/// Abbreviations ending in a full stop that do not end a sentence (folded).
const ABBREVIATIONS: &[&str] = &[
    "tp", "tx", "tt", "ths", "ts", "pgs", "gs", "bs", "ks", "q", "p", "h", "x", "ncs", "th.s",
];

/// Splits a folded text into sentences: at a full stop, question or exclamation mark followed
/// by a space and a capital-starting word (the original's capital is folded away, so any word
/// that is not an abbreviation's), and at every line break.
fn split_sentences(folded: &str) -> Vec<Range<usize>> {
    let b = folded.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let end_here = match b[i] {
            b'\n' => true,
            b'.' | b'?' | b'!' => {
                let next_is_space = b.get(i + 1).is_none_or(|&c| c == b' ' || c == b'\n');
                let word_start = folded[..i]
                    .rfind(|c: char| !c.is_ascii_alphanumeric() && c != '.')
                    .map_or(0, |p| p + 1);
                let word = &folded[word_start..i];
                next_is_space
                    && !ABBREVIATIONS.contains(&word)
                    && !(word.len() == 1 && word.as_bytes()[0].is_ascii_digit())
            }
            _ => false,
        };
        if end_here {
            push_sentence(&mut out, folded, start..i + usize::from(b[i] != b'\n'));
            start = i + 1;
        }
        i += 1;
    }
    push_sentence(&mut out, folded, start..b.len());
    out
}

fn push_sentence(out: &mut Vec<Range<usize>>, folded: &str, r: Range<usize>) {
    let s = &folded[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_one_for_one_and_quotes_the_original() {
        let d = Document::new(
            "Chiều 14/3, Ban Dân vận Tỉnh uỷ tổ chức Hội nghị.",
            Meta::default(),
        );
        let at = d.folded().find("tinh uy").unwrap();
        assert_eq!(d.original(at..at + 7), "Tỉnh uỷ");
        assert_eq!(d.len(), d.text().chars().count());
    }

    #[test]
    fn sentences_break_at_stops_not_abbreviations() {
        let d = Document::new(
            "Tại TP. Hồ Chí Minh, hội nghị diễn ra. Đồng chí A chủ trì.\nDòng mới",
            Meta::default(),
        );
        let s: Vec<&str> = d
            .sentences()
            .iter()
            .map(|r| d.original(r.clone()))
            .collect();
        assert_eq!(
            s,
            [
                "Tại TP. Hồ Chí Minh, hội nghị diễn ra.",
                "Đồng chí A chủ trì.",
                "Dòng mới"
            ]
        );
    }

    #[test]
    fn wrapped_lines_are_joined_headings_kept() {
        let d = Document::new(
            "Sơ kết 3 năm thực hiện Chỉ thị số 12-CT/TU\nChiều 14/3, Ban Dân vận tổ chức hội nghị sơ kết Chỉ thị số 12-CT/TU,\nngày 20/01/2023 của Ban Thường vụ.\nĐồng chí A chủ trì.",
            Meta::default(),
        );
        let s: Vec<&str> = d
            .sentences()
            .iter()
            .map(|r| d.original(r.clone()))
            .collect();
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(
            s[1].ends_with("12-CT/TU, ngày 20/01/2023 của Ban Thường vụ."),
            "{s:?}"
        );
    }

    #[test]
    fn site_of_an_address() {
        let m = Meta {
            url: Some("https://www.baolaocai.vn/tin/abc?x=1".into()),
            ..Meta::default()
        };
        assert_eq!(m.site(), Some("baolaocai.vn"));
    }
}
