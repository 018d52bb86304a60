//! Document numbers ("số, ký hiệu") of party and state documents, and document types.
//!
//! Three forms are in use:
//!
//! | form | shape | examples |
//! |---|---|---|
//! | party | `NUMBER-TYPE/ISSUER` | `04-NQ/TU`, `24-KH/BDVTU`, `71-HD/BTGDVTW` |
//! | state administrative | `NUMBER/TYPE-ISSUER`, or `NUMBER/ISSUER` for an official letter | `1666/QĐ-BHXH`, `1654/NQ-UBTVQH15`, `1027/CTK-CSCL` |
//! | state legal | `NUMBER/YEAR/TYPE-ISSUER`, or `NUMBER/YEAR/ISSUER` | `09/2019/NĐ-CP`, `202/2025/QH15` |
//!
//! The parser takes what people actually type — a `Số`/`Số:` prefix, spaces, en-dashes, codes
//! without diacritics (`05-DA/TU`) — and [`DocumentNumber`]'s `Display` prints the canonical
//! form (numbers at least two digits, known codes in their official spelling). Canonical strings
//! parse back to themselves. Unknown type codes are kept as written.
//!
//! A symbol does not identify a document on its own: party numbering restarts with each
//! committee term and state numbering each year. It also does not fix the document's type
//! (`QĐ` is both Quyết định and Quy định in party use), so a directive stores its
//! [`DocumentType`] separately; [`DocumentNumber::guess_type`] only suggests one.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::{nfc, search_key};

/// Which of the three numbering systems a document number follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentForm {
    /// `04-NQ/TU`: party documents, numbered within a committee term.
    Party,
    /// `1666/QĐ-BHXH`: state administrative documents, numbered within a calendar year.
    StateAdministrative,
    /// `09/2019/NĐ-CP`: state legal documents, with the year in the number.
    StateLegal,
}

/// A parsed document number. See the [module docs](self).
///
/// ```
/// use danvan_core::docnum::{DocumentNumber, DocumentForm};
/// let n: DocumentNumber = "Số: 05 – DA/TU".parse().unwrap();
/// assert_eq!(n.to_string(), "05-ĐA/TU");
/// assert_eq!(n.form(), DocumentForm::Party);
/// assert_eq!(n.type_code(), Some("ĐA"));
/// assert_eq!(n.issuer(), "TU");
///
/// let n: DocumentNumber = "09/2019/ND-CP".parse().unwrap();
/// assert_eq!((n.to_string().as_str(), n.year()), ("09/2019/NĐ-CP", Some(2019)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocumentNumber {
    form: DocumentForm,
    number: u32,
    year: Option<i32>,
    type_code: Option<String>,
    issuer: String,
}

/// Why a document number could not be read. Positions count characters of the cleaned text
/// (after the `Số` prefix and spaces are removed), which the message quotes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentNumberError {
    /// Nothing left after removing the prefix and spaces.
    #[error("expected a document number such as 04-NQ/TU or 1666/QĐ-BHXH, found nothing")]
    Empty,
    /// Something else than what the grammar expects at `position`.
    #[error("in {text:?} at position {position}: expected {expected}, found {}", found_str(.found))]
    Expected {
        /// The cleaned text.
        text: String,
        /// 1-based character position.
        position: usize,
        /// What the grammar needed there.
        expected: &'static str,
        /// What was there (`None` at the end).
        found: Option<char>,
    },
    /// A value that parses but cannot be right.
    #[error("in {text:?}: {reason}")]
    Invalid {
        /// The cleaned text.
        text: String,
        /// What is wrong.
        reason: String,
    },
}

/// The former name of [`DocumentNumberError`].
#[deprecated(
    since = "0.2.0",
    note = "renamed `DocumentNumberError`, after its type"
)]
pub type DocNumberError = DocumentNumberError;

fn found_str(found: &Option<char>) -> String {
    match found {
        Some(c) => format!("{c:?}"),
        None => "the end".to_string(),
    }
}

/// A cleaned document number being parsed: its text and its characters, for positions.
struct Input {
    text: String,
    chars: Vec<char>,
}

impl Input {
    /// The index of the first character from `start` on that is not `in_run`.
    fn run_end(&self, start: usize, in_run: impl Fn(char) -> bool) -> usize {
        self.chars[start..]
            .iter()
            .position(|c| !in_run(*c))
            .map_or(self.chars.len(), |p| start + p)
    }

    fn expected(&self, position: usize, expected: &'static str) -> DocumentNumberError {
        DocumentNumberError::Expected {
            text: self.text.clone(),
            position: position + 1,
            expected,
            found: self.chars.get(position).copied(),
        }
    }

    fn invalid(&self, reason: String) -> DocumentNumberError {
        DocumentNumberError::Invalid {
            text: self.text.clone(),
            reason,
        }
    }

    /// The party form after `NN-`: `TYPE/ISSUER`.
    fn party(&self, number: u32, type_start: usize) -> Result<DocumentNumber, DocumentNumberError> {
        let type_end = self.run_end(type_start, is_code_letter);
        if type_end == type_start {
            return Err(self.expected(type_start, "a type code such as NQ after '-'"));
        }
        if self.chars.get(type_end) != Some(&'/') {
            return Err(self.expected(type_end, "'/' between the type code and the issuer"));
        }
        let issuer = check_issuer(&self.chars, type_end + 1).map_err(|p| {
            self.expected(
                p,
                "an issuer code such as TU (letters A–Z and Đ, digits and '-')",
            )
        })?;
        let raw_type: String = self.chars[type_start..type_end].iter().collect();
        Ok(DocumentNumber {
            form: DocumentForm::Party,
            number,
            year: None,
            type_code: Some(canonical_type(&raw_type, DocumentForm::Party)),
            issuer: canonical_issuer(&issuer),
        })
    }

    /// The state forms after `NN/`: `YYYY/TYPE-ISSUER` (legal) or `TYPE-ISSUER` (administrative).
    fn state(&self, number: u32, mut start: usize) -> Result<DocumentNumber, DocumentNumberError> {
        let mut year = None;
        let year_end = self.run_end(start, |c| c.is_ascii_digit());
        if year_end - start == 4 && self.chars.get(year_end) == Some(&'/') {
            let y: i32 = text_of(&self.chars, start, year_end).parse().unwrap_or(0);
            if !(1945..=2100).contains(&y) {
                return Err(self.invalid(format!("year {y} is outside 1945–2100")));
            }
            year = Some(y);
            start = year_end + 1;
        }
        let tail = check_issuer(&self.chars, start).map_err(|p| {
            self.expected(
                p,
                "a type and issuer such as QĐ-BHXH (letters A–Z and Đ, digits and '-')",
            )
        })?;
        let form = if year.is_some() {
            DocumentForm::StateLegal
        } else {
            DocumentForm::StateAdministrative
        };
        let (type_code, issuer) = split_state_tail(&tail, form);
        Ok(DocumentNumber {
            form,
            number,
            year,
            type_code,
            issuer,
        })
    }
}

impl DocumentNumber {
    /// Parses any of the three forms, tolerantly (see the [module docs](self)).
    pub fn parse(input: &str) -> Result<DocumentNumber, DocumentNumberError> {
        let text = clean(input);
        if text.is_empty() {
            return Err(DocumentNumberError::Empty);
        }
        let input = Input {
            chars: text.chars().collect(),
            text,
        };
        let digits_end = input.run_end(0, |c| c.is_ascii_digit());
        if digits_end == 0 {
            return Err(input.expected(0, "the document's number (digits)"));
        }
        let number: u32 = input.text[..digits_end]
            .parse()
            .map_err(|_| input.invalid("the number is too large".into()))?;
        if number == 0 {
            return Err(input.invalid("document numbers start at 01".into()));
        }
        match input.chars.get(digits_end) {
            Some('-') => input.party(number, digits_end + 1),
            Some('/') => input.state(number, digits_end + 1),
            _ => Err(input.expected(
                digits_end,
                "'-' (party form, e.g. 04-NQ/TU) or '/' (state form, e.g. 1666/QĐ-BHXH)",
            )),
        }
    }

    /// The numbering system.
    pub fn form(&self) -> DocumentForm {
        self.form
    }

    /// The document's number within its series.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The year written in a state legal number (`2019` in `09/2019/NĐ-CP`).
    pub fn year(&self) -> Option<i32> {
        self.year
    }

    /// The type code (`NQ`, `QĐ`, …), or `None` for an official letter or a National Assembly
    /// number such as `202/2025/QH15`.
    pub fn type_code(&self) -> Option<&str> {
        self.type_code.as_deref()
    }

    /// The issuer code (`TU`, `BHXH`, `CP`, `CTK-CSCL`).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The document type the symbol suggests, when it is unambiguous.
    ///
    /// ```
    /// use danvan_core::docnum::{DocumentNumber, DocumentType};
    /// let guess = |s: &str| DocumentNumber::parse(s).unwrap().guess_type();
    /// assert_eq!(guess("04-NQ/TU"), Some(DocumentType::Resolution));
    /// assert_eq!(guess("1666/QĐ-BHXH"), Some(DocumentType::Decision));
    /// assert_eq!(guess("123-QĐ/TW"), None); // Quyết định or Quy định
    /// assert_eq!(guess("1027/CTK-CSCL"), Some(DocumentType::OfficialLetter));
    /// ```
    pub fn guess_type(&self) -> Option<DocumentType> {
        use DocumentType as T;
        let Some(code) = self.type_code.as_deref() else {
            return match self.form {
                DocumentForm::StateAdministrative => Some(T::OfficialLetter),
                _ => None,
            };
        };
        Some(match code {
            "NQ" => T::Resolution,
            "CT" => T::Directive,
            "KL" => T::Conclusion,
            "ĐA" => T::Scheme,
            "KH" => T::Plan,
            "CTr" => T::Programme,
            "QĐ" if self.form != DocumentForm::Party => T::Decision,
            "QĐi" | "QyĐ" | "QC" => T::Regulation,
            "HD" => T::Guidance,
            "TB" => T::Notice,
            "BC" => T::Report,
            "NĐ" => T::Decree,
            "TT" => T::Circular,
            "CV" => T::OfficialLetter,
            "TTr" => T::Submission,
            "BB" => T::Minutes,
            _ => return None,
        })
    }
}

/// Removes a leading "Số"/"Số:" (any case, with or without diacritics), all whitespace, and
/// turns dash look-alikes into '-'.
fn clean(input: &str) -> String {
    let s = nfc(input.trim());
    let folded = search_key(&s);
    let mut rest: &str = &s;
    if folded.starts_with("so") {
        // "Số" is two characters whatever its form after NFC; skip them and an optional ':'.
        let mut it = rest.char_indices().skip(2);
        let after_so = it.next().map_or(rest.len(), |(i, _)| i);
        let next = rest[after_so..].trim_start();
        if let Some(stripped) = next.strip_prefix(':') {
            rest = stripped;
        } else if next.starts_with(|c: char| c.is_ascii_digit()) {
            rest = next;
        }
    }
    let squeezed: String = rest
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '–' | '—' | '‑' | '‐' | '−' | '‒' => '-',
            '／' => '/',
            _ => c,
        })
        .collect();
    // Removing spaces can bring combining marks together out of canonical order; normalise
    // again so that the canonical form is stable (found by fuzzing).
    nfc(&squeezed).into_owned()
}

fn text_of(chars: &[char], start: usize, end: usize) -> String {
    chars[start..end].iter().collect()
}

/// Whether `c` can appear in a type or issuer code: codes are written with the Latin letters
/// A–Z (any case) and Đ, so nothing else is accepted.
fn is_code_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || c == 'Đ' || c == 'đ'
}

/// Checks that `chars[start..]` is a non-empty issuer (code letters, digits, '-' between
/// them); returns it, or the position of the first offending character.
fn check_issuer(chars: &[char], start: usize) -> Result<String, usize> {
    if start >= chars.len() {
        return Err(start);
    }
    for (i, &c) in chars.iter().enumerate().skip(start) {
        let ok = is_code_letter(c)
            || c.is_ascii_digit()
            || (c == '-' && i > start && i + 1 < chars.len());
        if !ok || (c == '-' && chars[i - 1] == '-') {
            return Err(i);
        }
    }
    Ok(text_of(chars, start, chars.len()))
}

/// Type codes as officially written, keyed by their folded (ASCII, lowercase) form.
/// `DA`/`ĐA` and `HD`/`HĐ` are both real codes in state use, so they are restored only where
/// unambiguous (see [`canonical_type`]).
const KNOWN_TYPES: &[&str] = &[
    "NQ", "CT", "KL", "QĐ", "QC", "QyĐ", "QĐi", "HD", "HĐ", "TB", "TT", "TTLT", "KH", "CTr", "ĐA",
    "DA", "PA", "BC", "BB", "TTr", "CV", "NĐ", "QH", "L", "PL", "TC", "GM", "GXN", "GUQ",
];

/// Issuer codes whose official spelling has `Đ` or mixed case.
const KNOWN_ISSUERS: &[&str] = &[
    "ĐU", "BCĐ", "HĐND", "UBND", "TTg", "ĐĐBQH", "ĐTN", "ĐUK", "BCSĐ", "HĐQT", "HĐTĐKT",
];

fn canonical_type(raw: &str, form: DocumentForm) -> String {
    // In party use `DA` can only be Đề án: the party issues no "dự án".
    if form == DocumentForm::Party && search_key(raw) == "da" {
        return "ĐA".to_string();
    }
    if form == DocumentForm::Party && search_key(raw) == "qdi" {
        return "QĐi".to_string();
    }
    let folded = search_key(raw);
    // Exact official spelling wins (keeps `DA` and `ĐA`, `HD` and `HĐ` apart in state use).
    if let Some(k) = KNOWN_TYPES.iter().find(|k| **k == raw) {
        return (*k).to_string();
    }
    // Same letters in another case, e.g. `nq`, `QYĐ`.
    let same_letters: Vec<&&str> = KNOWN_TYPES
        .iter()
        .filter(|k| k.to_lowercase() == raw.to_lowercase())
        .collect();
    if let [k] = same_letters.as_slice() {
        return (**k).to_string();
    }
    // Typed without diacritics: restore only when exactly one known code folds to it
    // (`QD` → `QĐ`, `ND` → `NĐ`, but `HD` stays `HD`).
    let matches: Vec<&&str> = KNOWN_TYPES
        .iter()
        .filter(|k| search_key(k) == folded)
        .collect();
    match matches.as_slice() {
        [k] => (**k).to_string(),
        _ => raw.to_string(),
    }
}

fn canonical_issuer(raw: &str) -> String {
    raw.split('-')
        .map(|part| {
            let folded = search_key(part);
            KNOWN_ISSUERS
                .iter()
                .find(|k| search_key(k) == folded)
                // Official issuer codes are upper case apart from the few listed above.
                .map_or_else(|| part.to_uppercase(), |k| (*k).to_string())
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Splits `QĐ-BHXH` into type and issuer when the first part is a known type code;
/// otherwise the whole tail is the issuer (`CTK-CSCL`, `QH15`).
fn split_state_tail(tail: &str, form: DocumentForm) -> (Option<String>, String) {
    if let Some((first, rest)) = tail.split_once('-') {
        let canonical = canonical_type(first, form);
        if KNOWN_TYPES.contains(&canonical.as_str()) && canonical != "QH" && canonical != "L" {
            return (Some(canonical), canonical_issuer(rest));
        }
    }
    (None, canonical_issuer(tail))
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.number;
        match (self.form, &self.type_code) {
            (DocumentForm::Party, Some(t)) => write!(f, "{n:02}-{t}/{}", self.issuer),
            (DocumentForm::Party, None) => write!(f, "{n:02}/{}", self.issuer),
            (DocumentForm::StateAdministrative, Some(t)) => write!(f, "{n:02}/{t}-{}", self.issuer),
            (DocumentForm::StateAdministrative, None) => write!(f, "{n:02}/{}", self.issuer),
            (DocumentForm::StateLegal, t) => {
                write!(f, "{n:02}/{}/", self.year.unwrap_or_default())?;
                match t {
                    Some(t) => write!(f, "{t}-{}", self.issuer),
                    None => f.write_str(&self.issuer),
                }
            }
        }
    }
}

impl FromStr for DocumentNumber {
    type Err = DocumentNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocumentNumber::parse(s)
    }
}

impl Serialize for DocumentNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DocumentNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DocumentNumber::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for DocumentNumber {
    fn schema_name() -> Cow<'static, str> {
        "DocumentNumber".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A document number (số, ký hiệu): party `04-NQ/TU`, state administrative `1666/QĐ-BHXH`, or state legal `09/2019/NĐ-CP`. Written in canonical form; tolerant input is accepted.",
            "examples": ["04-NQ/TU", "1666/QĐ-BHXH", "09/2019/NĐ-CP"]
        })
    }
}

/// The kind of a party or state document, stored on its own because the symbol does not fix it.
///
/// JSON writes the snake_case name (`"resolution"`); reading also accepts the Vietnamese name
/// as offices write it, with or without diacritics (`"Nghị quyết"`, `"ke hoach"`).
///
/// ```
/// use danvan_core::docnum::DocumentType;
/// assert_eq!(DocumentType::parse("Nghị quyết"), Ok(DocumentType::Resolution));
/// assert_eq!(DocumentType::parse("plan"), Ok(DocumentType::Plan));
/// assert_eq!(DocumentType::parse("quy che"), Ok(DocumentType::Regulation));
/// assert!(DocumentType::parse("công văn mật").is_err());
/// let t: DocumentType = serde_json::from_str("\"Kế hoạch\"").unwrap();
/// assert_eq!(t, DocumentType::Plan);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// Nghị quyết.
    Resolution,
    /// Chỉ thị.
    Directive,
    /// Kết luận.
    Conclusion,
    /// Đề án.
    Scheme,
    /// Kế hoạch.
    Plan,
    /// Chương trình.
    Programme,
    /// Quyết định.
    Decision,
    /// Quy định, quy chế.
    Regulation,
    /// Hướng dẫn.
    Guidance,
    /// Thông báo.
    Notice,
    /// Báo cáo.
    Report,
    /// Nghị định.
    Decree,
    /// Thông tư.
    Circular,
    /// Luật.
    Law,
    /// Công văn.
    OfficialLetter,
    /// Tờ trình.
    Submission,
    /// Biên bản.
    Minutes,
    /// Any other kind.
    Other,
}

impl<'de> Deserialize<'de> for DocumentType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DocumentType::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Why a [`DocumentType`] could not be read: not a type name in either language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown document type {0:?}: expected e.g. \"resolution\" or \"Nghị quyết\", \"plan\" or \"Kế hoạch\""
)]
pub struct DocumentTypeError(String);

impl DocumentType {
    /// Reads a type from its JSON name (`resolution`), its English name (`Official letter`) or
    /// its Vietnamese name as offices write it (`Nghị quyết`, `Quy chế`), in any case, with or
    /// without diacritics.
    pub fn parse(text: &str) -> Result<DocumentType, DocumentTypeError> {
        // Stored data writes the JSON name: find it without folding anything (every directive
        // read at a store's open comes through here).
        if let Some(t) = Self::ALL.into_iter().find(|t| t.json_name() == text) {
            return Ok(t);
        }
        let key = search_key(text.trim());
        let snake = key.replace([' ', '-'], "_");
        Self::ALL
            .into_iter()
            .find(|t| {
                t.json_name() == snake
                    || search_key(t.name_vi()) == key
                    || search_key(t.name_en()) == key
            })
            .or(match key.as_str() {
                "quy che" => Some(Self::Regulation),
                "chuong trinh hanh dong" => Some(Self::Programme),
                "van ban" | "van ban khac" => Some(Self::Other),
                _ => None,
            })
            .ok_or_else(|| DocumentTypeError(text.to_string()))
    }

    /// The name in the JSON form: `resolution`, `official_letter`.
    pub fn json_name(self) -> &'static str {
        match self {
            Self::Resolution => "resolution",
            Self::Directive => "directive",
            Self::Conclusion => "conclusion",
            Self::Scheme => "scheme",
            Self::Plan => "plan",
            Self::Programme => "programme",
            Self::Decision => "decision",
            Self::Regulation => "regulation",
            Self::Guidance => "guidance",
            Self::Notice => "notice",
            Self::Report => "report",
            Self::Decree => "decree",
            Self::Circular => "circular",
            Self::Law => "law",
            Self::OfficialLetter => "official_letter",
            Self::Submission => "submission",
            Self::Minutes => "minutes",
            Self::Other => "other",
        }
    }

    /// The Vietnamese name as it stands inside a sentence: "nghị quyết", "kế hoạch".
    pub fn name_vi_lower(self) -> String {
        self.name_vi().to_lowercase()
    }

    /// Every type, in declaration order.
    pub const ALL: [DocumentType; 18] = [
        Self::Resolution,
        Self::Directive,
        Self::Conclusion,
        Self::Scheme,
        Self::Plan,
        Self::Programme,
        Self::Decision,
        Self::Regulation,
        Self::Guidance,
        Self::Notice,
        Self::Report,
        Self::Decree,
        Self::Circular,
        Self::Law,
        Self::OfficialLetter,
        Self::Submission,
        Self::Minutes,
        Self::Other,
    ];

    /// The Vietnamese name: "Nghị quyết".
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Resolution => "Nghị quyết",
            Self::Directive => "Chỉ thị",
            Self::Conclusion => "Kết luận",
            Self::Scheme => "Đề án",
            Self::Plan => "Kế hoạch",
            Self::Programme => "Chương trình",
            Self::Decision => "Quyết định",
            Self::Regulation => "Quy định",
            Self::Guidance => "Hướng dẫn",
            Self::Notice => "Thông báo",
            Self::Report => "Báo cáo",
            Self::Decree => "Nghị định",
            Self::Circular => "Thông tư",
            Self::Law => "Luật",
            Self::OfficialLetter => "Công văn",
            Self::Submission => "Tờ trình",
            Self::Minutes => "Biên bản",
            Self::Other => "Văn bản khác",
        }
    }

    /// The English name: "Resolution".
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Resolution => "Resolution",
            Self::Directive => "Directive",
            Self::Conclusion => "Conclusion",
            Self::Scheme => "Scheme",
            Self::Plan => "Plan",
            Self::Programme => "Programme",
            Self::Decision => "Decision",
            Self::Regulation => "Regulation",
            Self::Guidance => "Guidance",
            Self::Notice => "Notice",
            Self::Report => "Report",
            Self::Decree => "Decree",
            Self::Circular => "Circular",
            Self::Law => "Law",
            Self::OfficialLetter => "Official letter",
            Self::Submission => "Submission",
            Self::Minutes => "Minutes",
            Self::Other => "Other document",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_table() {
        let cases = [
            ("04-NQ/TU", "04-NQ/TU"),
            ("Số 60-NQ/TW", "60-NQ/TW"),
            ("Số: 70 - BC/ĐU", "70-BC/ĐU"),
            ("Số: 70 - BC/DU", "70-BC/ĐU"),
            ("05–DA/TU", "05-ĐA/TU"),
            ("5-đa/tu", "05-ĐA/TU"),
            ("24-KH/BDVTU", "24-KH/BDVTU"),
            ("71-HD/BTGDVTW", "71-HD/BTGDVTW"),
            ("1666/QĐ-BHXH", "1666/QĐ-BHXH"),
            ("1666/QD-BHXH", "1666/QĐ-BHXH"),
            ("1654/NQ-UBTVQH15", "1654/NQ-UBTVQH15"),
            ("1027/CTK-CSCL", "1027/CTK-CSCL"),
            ("09/2019/NĐ-CP", "09/2019/NĐ-CP"),
            ("9/2019/ND-CP", "09/2019/NĐ-CP"),
            ("19/2025/QĐ-TTg", "19/2025/QĐ-TTg"),
            ("19/2025/QD-TTG", "19/2025/QĐ-TTg"),
            ("202/2025/QH15", "202/2025/QH15"),
            ("12-QĐi/TW", "12-QĐi/TW"),
            ("12-XYZ/TU", "12-XYZ/TU"),
            ("123/KH-UBND", "123/KH-UBND"),
            ("123/KH-UBND-VX", "123/KH-UBND-VX"),
            ("so 04-NQ/TU", "04-NQ/TU"),
        ];
        for (input, want) in cases {
            let got = DocumentNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(got.to_string(), want, "{input}");
            let again = DocumentNumber::parse(want).unwrap();
            assert_eq!(again.to_string(), want, "round trip of {want}");
        }
    }

    #[test]
    fn canonical_form_is_stable_when_spaces_separate_combining_marks() {
        // Found by fuzzing: marks brought together by removing a space, and letters whose
        // upper case is decomposed. Codes are A–Z, Đ and digits, so both are rejected.
        assert!(DocumentNumber::parse("7/\u{6e4} \u{651}U").is_err());
        assert!(DocumentNumber::parse("3/g-ggg3o7\u{390}").is_err());
        assert_eq!(
            DocumentNumber::parse("5-đa/đu").unwrap().to_string(),
            "05-ĐA/ĐU"
        );
    }

    #[test]
    fn forms_and_parts() {
        let n = DocumentNumber::parse("1027/CTK-CSCL").unwrap();
        assert_eq!(n.form(), DocumentForm::StateAdministrative);
        assert_eq!(n.type_code(), None);
        assert_eq!(n.issuer(), "CTK-CSCL");
        let n = DocumentNumber::parse("202/2025/QH15").unwrap();
        assert_eq!(n.form(), DocumentForm::StateLegal);
        assert_eq!(
            (n.year(), n.type_code(), n.issuer()),
            (Some(2025), None, "QH15")
        );
    }

    #[test]
    fn errors_say_what_was_expected_where() {
        let msg = |s: &str| DocumentNumber::parse(s).unwrap_err().to_string();
        assert_eq!(
            msg("NQ/TU"),
            "in \"NQ/TU\" at position 1: expected the document's number (digits), found 'N'"
        );
        assert_eq!(
            msg("04NQ/TU"),
            "in \"04NQ/TU\" at position 3: expected '-' (party form, e.g. 04-NQ/TU) or '/' (state form, e.g. 1666/QĐ-BHXH), found 'N'"
        );
        assert_eq!(
            msg("04-NQ"),
            "in \"04-NQ\" at position 6: expected '/' between the type code and the issuer, found the end"
        );
        assert_eq!(
            msg("04-/TU"),
            "in \"04-/TU\" at position 4: expected a type code such as NQ after '-', found '/'"
        );
        assert_eq!(
            msg("1666/"),
            "in \"1666/\" at position 6: expected a type and issuer such as QĐ-BHXH (letters A–Z and Đ, digits and '-'), found the end"
        );
        assert_eq!(
            msg("00-NQ/TU"),
            "in \"00-NQ/TU\": document numbers start at 01"
        );
        assert_eq!(
            msg("  Số: "),
            "expected a document number such as 04-NQ/TU or 1666/QĐ-BHXH, found nothing"
        );
        assert_eq!(
            msg("1/1900/NĐ-CP"),
            "in \"1/1900/NĐ-CP\": year 1900 is outside 1945–2100"
        );
    }
}
