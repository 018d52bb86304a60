//! Vietnamese text: NFC storage, search keys that fold diacritics and tone placement, slugs and collation.
//!
//! Official data mixes Unicode forms and tone placements ("hoà" and "hòa" are different strings
//! under every normal form), so the crate keeps two views of a string:
//!
//! * [`Text`]: the string as the user wrote it, but NFC-normalised. Every free-text field of a
//!   record is a `Text`, so nothing un-normalised reaches the store.
//! * [`search_key`]: a lossy key for matching and de-duplication that folds case, diacritics,
//!   `đ`/`Đ` and therefore tone placement: `search_key("Dân vận khéo") == "dan van kheo"`.
//!
//! Sorting uses ICU4X's Vietnamese collation tables ([`compare`]), never code-point order,
//! which would put `Đ` after `Z`.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::ops::Deref;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_normalizer::{ComposingNormalizerBorrowed, DecomposingNormalizerBorrowed};
use serde::{Deserialize, Deserializer, Serialize};

/// Returns `s` in Unicode Normalization Form C, borrowing when it already is.
///
/// ```
/// // "ộ" typed as o + circumflex + dot below becomes one code point.
/// assert_eq!(danvan_core::text::nfc("Đ\u{6f}\u{302}\u{323}i"), "Đội");
/// ```
pub fn nfc(s: &str) -> Cow<'_, str> {
    ComposingNormalizerBorrowed::new_nfc().normalize(s)
}

/// Text escaped for HTML and XML, in content and in quoted attribute values: `&`, `<`, `>`,
/// `"` and `'` as references.
///
/// ```
/// assert_eq!(danvan_core::text::escape_markup("Sở <Tư pháp> & \"Nội vụ\""),
///            "Sở &lt;Tư pháp&gt; &amp; &quot;Nội vụ&quot;");
/// ```
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A search and de-duplication key: lowercase ASCII-ish text with every diacritic removed,
/// `đ` folded to `d`, and runs of whitespace collapsed to one space.
///
/// Because all tone marks go, the two tone placements used in official text fold to the same
/// key (`hoà` and `hòa` both give `hoa`). Letters outside Latin keep their lowercase form.
///
/// ```
/// use danvan_core::text::search_key;
/// assert_eq!(search_key("Dân vận  KHÉO"), "dan van kheo");
/// assert_eq!(search_key("Hoà Bình"), search_key("Hòa Bình"));
/// assert_eq!(search_key("Đắk Lắk"), "dak lak");
/// ```
pub fn search_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_search_key(&mut out, s);
    out
}

/// Appends the [`search_key`] of `s` to `out`, saving an allocation when folding many fields
/// into one buffer.
///
/// ```
/// let mut buf = String::from("x|");
/// danvan_core::text::push_search_key(&mut buf, "Đà Nẵng");
/// assert_eq!(buf, "x|da nang");
/// ```
pub fn push_search_key(out: &mut String, s: &str) {
    fold_into(out, None, s);
}

/// The search key of `s` appended to `out`, and with `marks`, one [`mark`] per byte appended.
///
/// Fast path for the common case: ASCII and precomposed Vietnamese letters, folded through a
/// table derived from the full path below, so both give the same key (one letter to one byte,
/// a run of spaces to one space, so the marks line up). Anything else falls back to the full
/// fold, with every mark unknown.
fn fold_into(out: &mut String, mut marks: Option<&mut Vec<u8>>, s: &str) {
    let base = out.len();
    let marks_base = marks.as_ref().map_or(0, |m| m.len());
    let mut pending_space = false;
    for ch in s.chars() {
        let folded = if let Some(f) = fold_known(ch) {
            f
        } else {
            out.truncate(base);
            out.push_str(&search_key_full(s));
            if let Some(m) = marks {
                m.truncate(marks_base);
                m.resize(marks_base + (out.len() - base), mark::ANY);
            }
            return;
        };
        if folded == ' ' || ch.is_whitespace() {
            pending_space = out.len() > base;
            continue;
        }
        if pending_space {
            out.push(' ');
            if let Some(m) = marks.as_deref_mut() {
                m.push(mark::NONE);
            }
            pending_space = false;
        }
        out.push(folded);
        if let Some(m) = marks.as_deref_mut() {
            m.push(mark_of(ch));
        }
    }
}

/// The vowel-shape mark of a letter, apart from its tone: what tells "lâm" from "làm" and "đồng"
/// from "dòng" once tones are set aside. [`push_search_key_marked`] records one per byte of
/// the search key.
pub mod mark {
    /// No vowel-shape mark (a, e, o, u, d and every letter outside Vietnamese).
    pub const NONE: u8 = 0;
    /// Breve: ă.
    pub const BREVE: u8 = 1;
    /// Circumflex: â, ê, ô.
    pub const CIRCUMFLEX: u8 = 2;
    /// Horn: ơ, ư.
    pub const HORN: u8 = 3;
    /// Stroke: đ.
    pub const STROKE: u8 = 4;
    /// Unknown: text folded through the full path, where bytes and letters do not line up.
    /// Matches any mark.
    pub const ANY: u8 = 0xFF;
}

/// The [`mark`] of one letter, tones ignored; precomposed Vietnamese letters through a table.
fn mark_of(ch: char) -> u8 {
    static TABLE: LazyLock<(Vec<u8>, Vec<u8>)> = LazyLock::new(|| {
        let of = |c: u32| char::from_u32(c).map_or(mark::NONE, mark_of_full);
        (
            (0xC0..=0x1B0).map(of).collect(),
            (0x1EA0..=0x1EF9).map(of).collect(),
        )
    });
    let c = ch as u32;
    match c {
        0..=0x7F => mark::NONE,
        0xC0..=0x1B0 => TABLE.0[(c - 0xC0) as usize],
        0x1EA0..=0x1EF9 => TABLE.1[(c - 0x1EA0) as usize],
        _ => mark_of_full(ch),
    }
}

fn mark_of_full(ch: char) -> u8 {
    if matches!(ch, 'đ' | 'Đ') {
        return mark::STROKE;
    }
    let mut m = mark::NONE;
    for c in DecomposingNormalizerBorrowed::new_nfd()
        .normalize(ch.encode_utf8(&mut [0; 4]))
        .chars()
    {
        m = match c {
            '\u{0306}' => mark::BREVE,
            '\u{0302}' => mark::CIRCUMFLEX,
            '\u{031B}' => mark::HORN,
            _ => m,
        };
    }
    m
}

/// Appends the [`search_key`] of `s` to `out` and, to `marks`, one [`mark`] per byte appended:
/// the vowel-shape marks the key dropped, tones aside. A query typed with diacritics can then
/// match "Lâm Đồng" without matching "làm … đồng".
///
/// ```
/// use danvan_core::text::{mark, push_search_key_marked};
/// let (mut key, mut marks) = (String::new(), Vec::new());
/// push_search_key_marked(&mut key, &mut marks, "Lâm Đồng");
/// assert_eq!(key, "lam dong");
/// assert_eq!(marks, [0, mark::CIRCUMFLEX, 0, 0, mark::STROKE, mark::CIRCUMFLEX, 0, 0]);
/// ```
pub fn push_search_key_marked(out: &mut String, marks: &mut Vec<u8>, s: &str) {
    fold_into(out, Some(marks), s);
}

/// The marks of a query word: `None` when it was typed without diacritics (it then matches
/// whatever the text's marks), else one [`mark`] per byte of its search key.
pub fn query_marks(word: &str) -> Option<Vec<u8>> {
    if word.is_ascii() {
        return None;
    }
    let (mut key, mut marks) = (String::new(), Vec::new());
    push_search_key_marked(&mut key, &mut marks, word);
    Some(marks)
}

/// Whether every word of `query` occurs in `text` as whole syllables, folded as [`search_key`]
/// folds them: "ho so" is found in "Hồ sơ thủ tục" but not in "Khối … Sơn".
///
/// ```
/// use danvan_core::text::matches_words;
/// assert!(matches_words("Hồ sơ thủ tục hành chính", "ho so"));
/// assert!(!matches_words("Đảng bộ Khối các cơ quan tỉnh Sơn La", "hồ sơ"));
/// assert!(matches_words("Chỉ số hài lòng (SIPAS)", "sipas"));
/// ```
pub fn matches_words(text: &str, query: &str) -> bool {
    let hay = search_key(text);
    let hay = hay.as_bytes();
    let in_syllable = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
    let words: Vec<String> = query
        .split_whitespace()
        .map(search_key)
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && words.iter().all(|w| {
            let w = w.as_bytes();
            let (first, last) = (w.first().copied(), w.last().copied());
            let mut starts = hay
                .windows(w.len())
                .enumerate()
                .filter(|(_, win)| *win == w)
                .map(|(i, _)| i);
            starts.any(|pos| {
                let end = pos + w.len();
                (first.is_none_or(|b| !in_syllable(b)) || pos == 0 || !in_syllable(hay[pos - 1]))
                    && (last.is_none_or(|b| !in_syllable(b))
                        || end == hay.len()
                        || !in_syllable(hay[end]))
            })
        })
}

/// The folded ASCII letter of a precomposed Latin letter used in Vietnamese, if it is one.
/// One character as [`search_key`] folds it, one for one, so that a folded copy of a text
/// keeps the text's character positions: ASCII lowercased, Vietnamese letters to their base
/// letter (`Ủ` → `u`, `đ` → `d`), typographic quotes and dashes to their plain forms, any
/// whitespace to a space, and every other character to `'~'` (so the copy is ASCII and its
/// byte offsets are character offsets). Matchers that look for Vietnamese words in running
/// text work on such a copy and quote the original.
///
/// ```
/// use danvan_core::text::fold_char;
/// let folded: String = "Uỷ ban “Dân vận”\u{00A0}–".chars().map(fold_char).collect();
/// assert_eq!(folded, "uy ban \"dan van\" -");
/// ```
pub fn fold_char(ch: char) -> char {
    fold_known(ch).unwrap_or('~')
}

/// One character's fold on the fast path: ASCII, precomposed Vietnamese letters, typographic
/// quotes and dashes, whitespace; `None` for anything else.
fn fold_known(ch: char) -> Option<char> {
    if ch.is_ascii() {
        Some(ch.to_ascii_lowercase())
    } else if let Some(f) = fold_vietnamese(ch) {
        Some(f)
    } else if let Some(plain) = typographic(ch) {
        Some(plain)
    } else if ch.is_whitespace() {
        Some(' ')
    } else {
        None
    }
}

fn fold_vietnamese(ch: char) -> Option<char> {
    static TABLE: LazyLock<(Vec<u8>, Vec<u8>)> = LazyLock::new(|| {
        let fold = |c: u32| -> u8 {
            let Some(ch) = char::from_u32(c) else {
                return 0;
            };
            let key = search_key_full(ch.encode_utf8(&mut [0; 4]));
            match key.as_bytes() {
                [b] if b.is_ascii_alphabetic() => *b,
                _ => 0,
            }
        };
        (
            (0xC0..=0x1B0).map(fold).collect(),
            (0x1EA0..=0x1EF9).map(fold).collect(),
        )
    });
    let c = ch as u32;
    let b = match c {
        0xC0..=0x1B0 => TABLE.0[(c - 0xC0) as usize],
        0x1EA0..=0x1EF9 => TABLE.1[(c - 0x1EA0) as usize],
        _ => 0,
    };
    (b != 0).then_some(b as char)
}

/// The search key through full Unicode decomposition: any script, any normal form.
fn search_key_full(s: &str) -> String {
    let decomposed = DecomposingNormalizerBorrowed::new_nfd().normalize(s);
    let mut out = String::with_capacity(decomposed.len());
    let mut pending_space = false;
    for ch in decomposed.chars() {
        if is_combining_mark(ch) {
            continue;
        }
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match ch {
            'đ' | 'Đ' => out.push('d'),
            _ => match typographic(ch) {
                Some(plain) => out.push(plain),
                None => out.extend(ch.to_lowercase()),
            },
        }
    }
    out
}

/// The plain form of a typographic quote, apostrophe or dash, as keys fold it: “ ” „ « » to
/// `"`, ‘ ’ ʼ ′ to `'`, the hyphens and dashes and the minus sign to `-`. Text typed on a
/// phone or pasted from Word holds these where a query has the plain forms ("H’Loan" and
/// "H'Loan"); folding them on the fast path keeps the field's vowel-shape marks, which the full
/// path would give up.
fn typographic(ch: char) -> Option<char> {
    match ch {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => Some('"'),
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' | '\u{2032}' => Some('\''),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Some('-'),
        _ => None,
    }
}

/// Whether `ch` is a combining mark that Vietnamese uses for vowel shapes or tones.
///
/// Covers the Combining Diacritical Marks block, which holds every mark NFD produces for
/// Vietnamese letters (circumflex, breve, horn, and the five tones).
fn is_combining_mark(ch: char) -> bool {
    matches!(ch, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}')
}

/// What starts a formula when a spreadsheet opens a cell: `=`, `+`, `-`, `@`, a tab or a
/// carriage return (OWASP's list for CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` made safe to open in a spreadsheet: text that Excel or LibreOffice would take for a
/// formula (`=HYPERLINK(…)`, `@SUM(…)`, `-1+cmd|…`) gets a leading `'`, which spreadsheets
/// read as "this is text"; a plain number (`-4`, `+84 912`, `-1.272,5`) is left as it is, since
/// it cannot hold a formula and a machine reading the file needs it as a number.
/// [`from_spreadsheet_cell`] undoes it.
///
/// ```
/// use danvan_core::text::{from_spreadsheet_cell, spreadsheet_cell};
/// assert_eq!(spreadsheet_cell("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(spreadsheet_cell("-4"), "-4");
/// assert_eq!(spreadsheet_cell("Hội nghị"), "Hội nghị");
/// assert_eq!(from_spreadsheet_cell("'@SUM(A1)"), "@SUM(A1)");
/// assert_eq!(from_spreadsheet_cell("'bình thường"), "'bình thường");
/// ```
pub fn spreadsheet_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) && !is_plain_number(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A cell as [`spreadsheet_cell`] wrote it, back as it was: a `'` before a formula start is
/// dropped; any other text is returned unchanged.
pub fn from_spreadsheet_cell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => text,
    }
}

/// A sign, then digits with `.`, `,` or spaces between them, and nothing else.
fn is_plain_number(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    body.starts_with(|c: char| c.is_ascii_digit())
        && body.ends_with(|c: char| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' '))
}

/// An ASCII slug for file names and URLs: the [`search_key`] with every run of characters other
/// than `a–z` and `0–9` replaced by one `-`, trimmed of dashes at the ends.
///
/// ```
/// assert_eq!(danvan_core::text::slugify("Bà Rịa – Vũng Tàu"), "ba-ria-vung-tau");
/// assert_eq!(danvan_core::text::slugify("Hội nghị sơ kết 6 tháng"), "hoi-nghi-so-ket-6-thang");
/// ```
pub fn slugify(s: &str) -> String {
    let key = search_key(s);
    let mut out = String::with_capacity(key.len());
    for ch in key.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Whether `haystack` contains `needle` once both are folded with [`search_key`].
///
/// ```
/// assert!(danvan_core::text::matches("Mô hình \"Dân vận khéo\" ở Thái Nguyên", "dan van kheo"));
/// ```
pub fn matches(haystack: &str, needle: &str) -> bool {
    search_key(haystack).contains(&search_key(needle))
}

static VIETNAMESE: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    // The compiled data ships the `vi` tailoring; construction cannot fail for a baked locale,
    // and if a future ICU4X drops it the root collation is still a total order.
    Collator::try_new(
        icu_locale_core::locale!("vi").into(),
        CollatorOptions::default(),
    )
    .unwrap_or_else(|_| {
        #[allow(clippy::unwrap_used)] // root data is always baked into icu_collator
        Collator::try_new(Default::default(), CollatorOptions::default()).unwrap()
    })
});

/// Compares two strings in Vietnamese alphabetical order (ICU4X `vi` collation):
/// `a ă â b c d đ e ê …`, with tones as a secondary difference.
///
/// ```
/// use std::cmp::Ordering;
/// use danvan_core::text::compare;
/// assert_eq!(compare("Cao Bằng", "Cần Thơ"), Ordering::Less);
/// assert_eq!(compare("Lạng Sơn", "Lâm Đồng"), Ordering::Less);
/// assert_eq!(compare("Điện Biên", "Gia Lai"), Ordering::Less);
/// ```
pub fn compare(a: &str, b: &str) -> Ordering {
    VIETNAMESE.compare(a, b)
}

/// Sorts `items` in Vietnamese order of the string `key` returns; ties keep their input order.
///
/// ```
/// let mut names = vec!["Điện Biên", "Gia Lai", "Đà Nẵng", "Zô"];
/// danvan_core::text::sort_by_key(&mut names, |s| s);
/// assert_eq!(names, ["Đà Nẵng", "Điện Biên", "Gia Lai", "Zô"]);
/// ```
pub fn sort_by_key<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| compare(key(a), key(b)));
}

/// A string that is always NFC-normalised: the type of every free-text field in a record.
///
/// Construct it with [`Text::new`] or `From`; deserialising one normalises too, so text read
/// from a file is stored in the same form as text typed at a terminal.
///
/// ```
/// use danvan_core::text::Text;
/// let t = Text::new("Ho\u{300}a Bình");
/// assert_eq!(t.as_str(), "Hòa Bình");
/// ```
///
/// `Text` has no `Ord`: code-point order would put "Đà Nẵng" after "Yên Bái". Sort with
/// [`sort_by_key`] (Vietnamese order), or compare `as_str()` where code-point order is what is
/// meant:
///
/// ```compile_fail
/// let mut names = vec![danvan_core::text::Text::new("Đà Nẵng")];
/// names.sort();
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    /// Normalises `s` to NFC and wraps it.
    pub fn new(s: impl AsRef<str>) -> Self {
        Text(nfc(s.as_ref()).into_owned())
    }

    /// The normalised string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The [`search_key`] of this text.
    pub fn search_key(&self) -> String {
        search_key(&self.0)
    }

    /// Whether the text is empty or only whitespace.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// Unwraps the normalised string.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::new(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        match nfc(&s) {
            Cow::Borrowed(_) => Text(s),
            Cow::Owned(n) => Text(n),
        }
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Text::from)
    }
}

impl schemars::JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Free text, stored NFC-normalised."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_key_folds_everything_vietnamese() {
        let cases = [
            ("Dân vận khéo", "dan van kheo"),
            ("ĐẮK NÔNG", "dak nong"),
            ("thuỷ", "thuy"),
            ("thủy", "thuy"),
            ("Hoà  \t Bình ", "hoa binh"),
            ("  Quảng Trị", "quang tri"),
            ("Ư ơ ă â ê ô", "u o a a e o"),
        ];
        for (input, want) in cases {
            assert_eq!(search_key(input), want, "{input}");
        }
    }

    #[test]
    fn fast_path_agrees_with_full_decomposition() {
        let ranges = [0x20..0x250, 0x1E00..0x1F00, 0x300..0x370];
        for range in ranges {
            for c in range {
                let Some(ch) = char::from_u32(c) else {
                    continue;
                };
                for s in [
                    format!("{ch}"),
                    format!("A {ch}b"),
                    format!("{ch}\u{301}"),
                    format!(" x  {ch} "),
                ] {
                    assert_eq!(search_key(&s), search_key_full(&s), "{s:?} (U+{c:04X})");
                }
            }
        }
        for s in ["Dân vận khéo", "THỦY  hoà", "Ωμέγα", "日本", "Đắk\tLắk\n"] {
            assert_eq!(search_key(s), search_key_full(s), "{s}");
        }
    }

    #[test]
    fn nfc_composes_decomposed_input() {
        let decomposed = "Thu\u{309}y";
        assert_ne!(decomposed, "Thủy");
        assert_eq!(nfc(decomposed), "Thủy");
        assert_eq!(Text::from(decomposed.to_string()).as_str(), "Thủy");
    }

    #[test]
    fn collation_orders_vietnamese_letters_and_tones() {
        let mut names = vec![
            "Gia Lai",
            "Điện Biên",
            "Đà Nẵng",
            "Lâm Đồng",
            "Lạng Sơn",
            "Cần Thơ",
            "Cao Bằng",
            "An Giang",
            "Ấp",
        ];
        sort_by_key(&mut names, |s| s);
        assert_eq!(
            names,
            [
                "An Giang",
                "Ấp",
                "Cao Bằng",
                "Cần Thơ",
                "Đà Nẵng",
                "Điện Biên",
                "Gia Lai",
                "Lạng Sơn",
                "Lâm Đồng",
            ]
        );
    }
}
