//! What reading a text proposes: records of each kind, every value with its evidence.

use danvan_core::inferred::{Inference, InferredFrom};
use danvan_core::text::search_key;
use danvan_core::validate::RecordKind;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use crate::document::{Document, Span};

/// Why a value is proposed: the words that say it, or what it was worked out from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Evidence {
    /// The text says it, in these words.
    Stated {
        /// Where.
        span: Span,
        /// The words, as written.
        quote: String,
    },
    /// Worked out: the year of "Chiều 14/3" from the publication date, the province from the
    /// site. The record keeps an [`Inference`] mark for it.
    Inferred {
        /// The part of the value inferred, as the record's mark names it: `date.year`,
        /// `province`, `period`.
        field: String,
        /// From what.
        from: InferredFrom,
        /// How, in words: "năm của ngày đăng tin 15/3/2025".
        note: String,
        /// The words the rest of the value stands on, when some of it is stated ("14/3").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        span: Option<Span>,
        /// Those words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        quote: Option<String>,
    },
}

impl Evidence {
    /// The words at `span` of `doc`.
    pub fn stated(doc: &Document, span: Span) -> Evidence {
        Evidence::Stated {
            span,
            quote: doc.quote(span).to_string(),
        }
    }

    /// This evidence's words as what an inferred value stands on: `field` worked out `from`
    /// what, as `note` says.
    pub fn inferred(self, field: &str, from: InferredFrom, note: impl Into<String>) -> Evidence {
        let (span, quote) = match self {
            Evidence::Stated { span, quote } => (Some(span), Some(quote)),
            Evidence::Inferred { span, quote, .. } => (span, quote),
        };
        Evidence::Inferred {
            field: field.to_string(),
            from,
            note: note.into(),
            span,
            quote,
        }
    }

    /// The span the evidence points at, if any.
    pub fn span(&self) -> Option<Span> {
        match self {
            Evidence::Stated { span, .. } => Some(*span),
            Evidence::Inferred { span, .. } => *span,
        }
    }

    /// Whether the value is inferred.
    pub fn is_inferred(&self) -> bool {
        matches!(self, Evidence::Inferred { .. })
    }
}

/// How a value was read from its words: what [`Proposal::check`] holds it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// Copied: the value's words are the quote's (case, diacritics and tone placement aside).
    Verbatim,
    /// A number: its digits are in the quote.
    Number,
    /// A date: its day and month are in the quote.
    Date,
    /// A term of a vocabulary (a conference kind, a format) named by the quoted words.
    Term,
}

/// One proposed value of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Value {
    /// The field, as a path in the record's JSON form: `date`, `hosts[]` (one more item),
    /// `chairs[0].name`.
    pub field: String,
    /// The value in the record's JSON form.
    pub value: Json,
    /// How it was read.
    pub reading: Reading,
    /// Why.
    pub evidence: Evidence,
}

/// A field of one proposal that names another proposal's record (a figure's conference, a
/// plan's directive), filled with that record's ID when both are accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The field, as in [`Value::field`]: `reviewed_directives[]`, `conference`,
    /// `related[]`.
    pub field: String,
    /// The proposal named, by its [`Proposal::key`].
    pub to: String,
    /// For a directive's link to another: how it relates (`implements`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<danvan_core::citation::Relation>,
    /// The words that say so.
    pub evidence: Evidence,
}

/// A record the text states, as proposed: never written until someone accepts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    /// Its name in this reading: `p1`, `p2`, … (what links point at).
    pub key: String,
    /// The kind of record.
    pub kind: RecordKind,
    /// A short label for a person: "Hội nghị sơ kết … (28/6/2024)", "Chỉ thị 05-CT/TU".
    pub label: String,
    /// The values.
    pub values: Vec<Value>,
    /// The other proposals it names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// The fields a record of its kind needs that the text does not give: the proposal cannot
    /// be accepted until someone fills them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// The stored record it matches, when the store already holds it: a directive is then
    /// linked, not proposed again; a conference or a figure is offered as an update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing: Option<String>,
    /// What matching against the store found, for a person to read: a reporting unit found in
    /// the registry, or not (it must be added before the figure can be written).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Proposal {
    pub(crate) fn new(kind: RecordKind) -> Proposal {
        Proposal {
            key: String::new(),
            kind,
            label: String::new(),
            values: Vec::new(),
            links: Vec::new(),
            missing: Vec::new(),
            existing: None,
            notes: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, field: &str, value: Json, reading: Reading, evidence: Evidence) {
        self.values.push(Value {
            field: field.to_string(),
            value,
            reading,
            evidence,
        });
    }

    /// A person's correction: `field` set to `value` (read as JSON when it is a number or
    /// `true`/`false`, else as text), or cleared when `value` is `None`. The value is marked as
    /// the clerk's, not the text's; what the kind needs is checked again.
    pub fn edit(&mut self, field: &str, value: Option<&str>) {
        let base = |f: &str| f.split('[').next().unwrap_or(f).to_string();
        let target = base(field);
        // "hosts" names every host, "chairs[0].name" one value.
        let exact = field.contains('[');
        let was_list = self.values.iter().any(|v| v.field == format!("{target}[]"));
        self.values.retain(|v| {
            if exact {
                v.field != field
            } else {
                base(&v.field) != target
            }
        });
        let field = if !exact && was_list {
            format!("{target}[]")
        } else {
            field.to_string()
        };
        if let Some(text) = value {
            self.values.push(Value {
                value: typed(&field, text),
                field,
                reading: Reading::Term,
                evidence: Evidence::Inferred {
                    field: target.clone(),
                    from: InferredFrom::ClerkKnowledge,
                    note: "người nhập sửa".into(),
                    span: None,
                    quote: None,
                },
            });
        }
        self.missing = required_missing(self);
    }

    /// A person's correction of one value, the `i`-th: replaced by `value` (marked as the
    /// clerk's), or removed when `value` is `None`.
    pub fn replace(&mut self, i: usize, value: Option<&str>) {
        if i >= self.values.len() {
            return;
        }
        match value {
            None => {
                self.values.remove(i);
            }
            Some(text) => {
                let v = &mut self.values[i];
                let base = v.field.split('[').next().unwrap_or(&v.field).to_string();
                v.value = typed(&v.field, text);
                v.reading = Reading::Term;
                v.evidence = Evidence::Inferred {
                    field: base,
                    from: InferredFrom::ClerkKnowledge,
                    note: "người nhập sửa".into(),
                    span: None,
                    quote: None,
                };
            }
        }
        self.missing = required_missing(self);
    }

    /// The first value of `field`, if any.
    pub fn get(&self, field: &str) -> Option<&Json> {
        self.values
            .iter()
            .find(|v| v.field == field)
            .map(|v| &v.value)
    }

    /// The text values of `field` (`kinds[]`, `hosts[]`).
    pub fn strings(&self, field: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|v| v.field == field)
            .filter_map(|v| v.value.as_str())
            .collect()
    }

    /// Whether it holds a value for `field`.
    pub fn has(&self, field: &str) -> bool {
        self.values.iter().any(|v| v.field == field)
    }

    /// The record's JSON form, without its ID and links: every value set at its path, the
    /// inferred marks listed, `sources` added by the caller.
    pub fn to_json(&self) -> Json {
        let mut root = Json::Object(Map::new());
        let mut marks = Vec::new();
        for v in &self.values {
            set_path(&mut root, &v.field, v.value.clone());
            if let Evidence::Inferred { field, from, .. } = &v.evidence {
                let mark = Inference::new(field.clone(), *from);
                if !marks.contains(&mark) {
                    marks.push(mark);
                }
            }
        }
        if !marks.is_empty() {
            root["inferred"] = serde_json::to_value(marks).unwrap_or(Json::Null);
        }
        root
    }

    /// The values whose evidence does not hold in `doc`: a stated value whose span does not
    /// quote its words, or whose words do not say it. Empty for every proposal danvan makes;
    /// the corpus evaluation counts any as invented.
    pub fn check(&self, doc: &Document) -> Vec<String> {
        let mut out = Vec::new();
        for v in &self.values {
            if let Err(why) = check_value(doc, v) {
                out.push(format!("{} {}: {why}", self.key, v.field));
            }
        }
        out
    }
}

/// What a person typed for `field`, in the record's JSON form: a date as offices write it made
/// ISO, a number or `true`/`false` as such, anything else as text.
fn typed(field: &str, text: &str) -> Json {
    const DATES: &[&str] = &[
        "date",
        "end_date",
        "issued_on",
        "decided_on",
        "presented_on",
    ];
    let text = text.trim();
    if DATES.contains(&field)
        && let Ok(d) = danvan_core::date::parse(text, None)
    {
        return Json::String(d.to_string());
    }
    match serde_json::from_str::<Json>(text) {
        Ok(v @ (Json::Number(_) | Json::Bool(_))) => v,
        _ => Json::String(text.to_string()),
    }
}

fn check_value(doc: &Document, v: &Value) -> Result<(), String> {
    let (span, quote) = match &v.evidence {
        Evidence::Stated { span, quote } => (Some(*span), Some(quote)),
        Evidence::Inferred {
            span, quote, note, ..
        } => {
            if note.trim().is_empty() {
                return Err("inferred without saying how".into());
            }
            (*span, quote.as_ref())
        }
    };
    let (Some(span), Some(quote)) = (span, quote) else {
        return if v.evidence.is_inferred() {
            Ok(())
        } else {
            Err("no words".into())
        };
    };
    if span.end > doc.len() || span.start >= span.end || doc.quote(span) != quote {
        return Err(format!("span {span:?} does not quote {quote:?}"));
    }
    if v.evidence.is_inferred() {
        return Ok(());
    }
    let said = match v.reading {
        Reading::Term => true,
        Reading::Verbatim => {
            let value = v.value.as_str().map(search_key).unwrap_or_default();
            !value.is_empty() && search_key(quote).contains(&value)
        }
        Reading::Number => {
            let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
            let value = match &v.value {
                Json::Number(n) => n.to_string(),
                Json::String(s) => s.clone(),
                _ => String::new(),
            };
            let want = digits(&value);
            !want.is_empty() && digits(quote).contains(&want)
        }
        Reading::Date => {
            let s = v.value.as_str().unwrap_or("");
            let parts: Vec<u32> = s.split('-').filter_map(|p| p.parse().ok()).collect();
            let numbers: Vec<u32> = quote
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|p| p.parse().ok())
                .collect();
            parts.len() == 3 && numbers.contains(&parts[1]) && numbers.contains(&parts[2])
        }
    };
    if said {
        Ok(())
    } else {
        Err(format!("{quote:?} does not say {}", v.value))
    }
}

/// A field's path without list indexes: `chairs[0].name` → `chairs.name`, `kinds[]` →
/// `kinds` — what labels and the corpus name a field by.
pub fn field_name(path: &str) -> String {
    let mut out = String::new();
    let mut skip = false;
    for c in path.chars() {
        match c {
            '[' => skip = true,
            ']' => skip = false,
            _ if !skip => out.push(c),
            _ => {}
        }
    }
    out
}

/// Sets `value` at `path` (`a.b`, `list[]` appends, `list[2].name`) in `root`.
pub(crate) fn set_path(root: &mut Json, path: &str, value: Json) {
    let mut node = root;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let (name, index) = match part.split_once('[') {
            Some((n, rest)) => (n, Some(rest.trim_end_matches(']'))),
            None => (*part, None),
        };
        if !node.is_object() {
            *node = Json::Object(Map::new());
        }
        let Some(obj) = node.as_object_mut() else {
            return;
        };
        match index {
            None if last => {
                obj.insert(name.to_string(), value);
                return;
            }
            None => node = obj.entry(name).or_insert_with(|| Json::Object(Map::new())),
            Some(ix) => {
                let list = obj.entry(name).or_insert_with(|| Json::Array(Vec::new()));
                if !list.is_array() {
                    *list = Json::Array(Vec::new());
                }
                let Some(items) = list.as_array_mut() else {
                    return;
                };
                let at = if ix.is_empty() {
                    items.len()
                } else {
                    ix.parse().unwrap_or(items.len())
                };
                while items.len() <= at {
                    items.push(Json::Null);
                }
                if last {
                    items[at] = value;
                    return;
                }
                node = &mut items[at];
            }
        }
    }
}

/// A sentence reading used nothing of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unread {
    /// Where.
    pub span: Span,
    /// The sentence.
    pub text: String,
}

/// What reading a text gives: the proposals, and the sentences nothing was taken from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    /// The records the text states.
    pub proposals: Vec<Proposal>,
    /// The sentences not used, for a person to read.
    pub unread: Vec<Unread>,
}

/// The fields a record of the proposal's kind needs that it lacks.
pub(crate) fn required_missing(p: &Proposal) -> Vec<String> {
    use danvan_core::validate::RecordKind as K;
    let needs: &[&str] = match p.kind {
        K::Conference => &["kinds", "title", "date"],
        K::Observation => &["indicator", "period"],
        K::Model => &["name", "province"],
        _ => &[],
    };
    needs
        .iter()
        .filter(|f| {
            !p.values
                .iter()
                .any(|v| v.field.split('[').next() == Some(**f))
        })
        .map(|f| (*f).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_build_nested_json() {
        let mut root = json!({});
        set_path(&mut root, "date", json!("2024-06-28"));
        set_path(&mut root, "kinds[]", json!("six_month_review"));
        set_path(&mut root, "kinds[]", json!("directive_review"));
        set_path(&mut root, "chairs[0].name", json!("Lê Văn Tùng"));
        set_path(&mut root, "chairs[0].position", json!("Giám đốc"));
        set_path(&mut root, "format.mode", json!("online"));
        assert_eq!(
            root,
            json!({"date": "2024-06-28", "kinds": ["six_month_review", "directive_review"],
                   "chairs": [{"name": "Lê Văn Tùng", "position": "Giám đốc"}],
                   "format": {"mode": "online"}})
        );
    }
}
