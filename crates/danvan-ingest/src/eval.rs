//! The development corpus and its measurement: texts with hand-labelled facts, scored by
//! recall, precision and invented values per field (`cargo xtask eval-ingest`).
//!
//! A corpus file holds a header (`url:`, `published:`), the text, and the facts a reader finds
//! in it, each section after a line `---`:
//!
//! ```text
//! url: https://baolaocai.vn/...
//! published: 2025-03-15
//! ---
//! Chiều 14/3, Ban Dân vận Tỉnh ủy tổ chức …
//! ---
//! conference.date = 2025-03-14
//! conference.hosts = Ban Dân vận Tỉnh ủy
//! directive[05-CT/TU].issued_on = 2021-05-23
//! observation[complaints_resolved].numerator = 2310
//! ```
//!
//! A fact is a record kind, for directives, figures and models the record it belongs to (the
//! number, the indicator, the name) in brackets, a field without list indexes, and a value as
//! the record's JSON form writes it. Facts are compared as multisets: a fact proposed and
//! labelled counts for both recall and precision; one proposed and not labelled lowers
//! precision; one labelled and not proposed lowers recall. A proposed value whose evidence does
//! not hold ([`crate::Proposal::check`]) is counted as invented.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::{Document, Meta, Proposal, field_name, ingest};

/// One corpus text with its labels.
#[derive(Debug, Clone)]
pub struct Case {
    /// The file's name.
    pub name: String,
    /// The document.
    pub doc: Document,
    /// The labelled facts, `kind[key].field = value`.
    pub facts: Vec<String>,
}

/// Why a corpus file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct CaseError {
    /// The file.
    pub file: String,
    /// The line, from 1.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl Case {
    /// Reads a corpus file's content.
    pub fn parse(name: &str, content: &str) -> Result<Case, CaseError> {
        let err = |line: usize, message: String| CaseError {
            file: name.to_string(),
            line,
            message,
        };
        let lines: Vec<&str> = content.lines().collect();
        let seps: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.trim() == "---")
            .map(|(i, _)| i)
            .collect();
        let [head, body] = seps[..] else {
            return Err(err(
                1,
                "expected a header, the text and the facts, each after a line \"---\"".into(),
            ));
        };
        let mut meta = Meta::default();
        for (i, l) in lines[..head].iter().enumerate() {
            let Some((k, v)) = l.split_once(':') else {
                if l.trim().is_empty() {
                    continue;
                }
                return Err(err(i + 1, format!("expected \"key: value\", found {l:?}")));
            };
            match k.trim() {
                "url" => meta.url = Some(v.trim().to_string()),
                "published" => {
                    meta.published = Some(
                        v.trim()
                            .parse()
                            .map_err(|e| err(i + 1, format!("published: {e}")))?,
                    );
                }
                "title" => meta.title = Some(v.trim().to_string()),
                other => return Err(err(i + 1, format!("unknown header {other:?}"))),
            }
        }
        let text = lines[head + 1..body].join("\n");
        let mut facts = Vec::new();
        for (i, l) in lines[body + 1..].iter().enumerate() {
            let l = l.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let Some((k, v)) = l.split_once(" = ") else {
                return Err(err(
                    body + 2 + i,
                    format!("expected \"kind.field = value\", found {l:?}"),
                ));
            };
            facts.push(format!("{} = {}", k.trim(), v.trim()));
        }
        meta.file = Some(name.to_string());
        Ok(Case {
            name: name.to_string(),
            doc: Document::new(&text, meta),
            facts,
        })
    }
}

/// The facts a proposal states, in the corpus's form.
pub fn facts_of(p: &Proposal) -> Vec<String> {
    use danvan_core::validate::RecordKind as K;
    let kind = match p.kind {
        K::Conference => "conference",
        K::Directive => "directive",
        K::Observation => "observation",
        K::Model => "model",
        K::Award => "award",
        _ => "other",
    };
    let key = match p.kind {
        K::Directive => p.get("number").or_else(|| p.get("ordinal")).map(plain),
        K::Observation => p.get("indicator").map(plain),
        K::Model => p.get("name").map(plain),
        _ => None,
    };
    let head = match key {
        Some(k) => format!("{kind}[{k}]"),
        None => kind.to_string(),
    };
    p.values
        .iter()
        .map(|v| format!("{head}.{} = {}", field_name(&v.field), plain(&v.value)))
        .collect()
}

fn plain(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Counts for one field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Labelled facts.
    pub labelled: usize,
    /// Proposed facts.
    pub proposed: usize,
    /// Proposed and labelled.
    pub matched: usize,
    /// Proposed with evidence that does not hold.
    pub invented: usize,
}

impl Tally {
    /// Matched of labelled, 1 when nothing is labelled.
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.labelled)
    }

    /// Matched of proposed, 1 when nothing is proposed.
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.proposed)
    }

    fn add(&mut self, o: Tally) {
        self.labelled += o.labelled;
        self.proposed += o.proposed;
        self.matched += o.matched;
        self.invented += o.invented;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// The measurement of a corpus: per field, in total, and what each case missed or added.
#[derive(Debug, Clone, Default)]
pub struct Score {
    /// Per `kind.field`.
    pub fields: BTreeMap<String, Tally>,
    /// All fields.
    pub total: Tally,
    /// Per case with a difference: what it missed, added or invented.
    pub misses: Vec<Miss>,
}

/// What one case's reading missed, added or invented.
#[derive(Debug, Clone, Default)]
pub struct Miss {
    /// The case.
    pub case: String,
    /// Labelled facts not proposed.
    pub missing: Vec<String>,
    /// Proposed facts not labelled.
    pub extra: Vec<String>,
    /// Values whose evidence does not hold.
    pub invented: Vec<String>,
}

/// `kind.field` of a fact: `observation[x].value = 3` → `observation.value`.
fn field_of(fact: &str) -> String {
    let lhs = fact.split(" = ").next().unwrap_or(fact);
    field_name(lhs)
}

/// Reads every case and scores the proposals against the labels.
pub fn score(cases: &[Case]) -> Score {
    let mut s = Score::default();
    for case in cases {
        let found = ingest(&case.doc);
        let mut proposed: Vec<String> = found.proposals.iter().flat_map(facts_of).collect();
        let invented: Vec<String> = found
            .proposals
            .iter()
            .flat_map(|p| p.check(&case.doc))
            .collect();
        let mut missing = Vec::new();
        let mut per: BTreeMap<String, Tally> = BTreeMap::new();
        for fact in &case.facts {
            let t = per.entry(field_of(fact)).or_default();
            t.labelled += 1;
            if let Some(i) = proposed.iter().position(|p| same(p, fact)) {
                t.matched += 1;
                t.proposed += 1;
                proposed.swap_remove(i);
            } else {
                missing.push(fact.clone());
            }
        }
        for extra in &proposed {
            per.entry(field_of(extra)).or_default().proposed += 1;
        }
        if let Some(t) = per.values_mut().next() {
            t.invented += invented.len();
        }
        for (field, t) in per {
            s.total.add(t);
            s.fields.entry(field).or_default().add(t);
        }
        if !missing.is_empty() || !proposed.is_empty() || !invented.is_empty() {
            s.misses.push(Miss {
                case: case.name.clone(),
                missing,
                extra: proposed,
                invented,
            });
        }
    }
    s
}

/// Facts compare with case, diacritics and tone placement aside (the corpus writes "ủy" where
/// the text may write "uỷ"), but every letter and digit counts.
fn same(a: &str, b: &str) -> bool {
    a == b || danvan_core::text::search_key(a) == danvan_core::text::search_key(b)
}

impl Score {
    /// A table for people: one line per field, then the total.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<44} {:>9} {:>9} {:>9} {:>7} {:>9}\n",
            "field", "labelled", "proposed", "matched", "recall", "precision"
        );
        let line = |name: &str, t: &Tally| {
            format!(
                "{name:<44} {:>9} {:>9} {:>9} {:>6.1}% {:>8.1}%\n",
                t.labelled,
                t.proposed,
                t.matched,
                100.0 * t.recall(),
                100.0 * t.precision()
            )
        };
        for (f, t) in &self.fields {
            out.push_str(&line(f, t));
        }
        out.push_str(&line("TOTAL", &self.total));
        out.push_str(&format!("invented values: {}\n", self.total.invented));
        out
    }
}
