//! Values a record holds that its source did not state: worked out from something else, and
//! marked so.
//!
//! A news item dated 15/3/2025 that says "Chiều 14/3, Ban Dân vận Tỉnh ủy tổ chức …" states the
//! day and the month of the conference, not its year: the year comes from the publication date.
//! A province named only by the site's address (`baolaocai.vn`) comes from the site. danvan
//! keeps such values — a date must have a year — but each record lists what it inferred and
//! from what ([`Inference`]), so that reports, search and `validate --inferred` can say so and
//! never present a guess as a fact. What no one can work out stays empty: an unknown value is
//! left out, never filled with a default.
//!
//! ```
//! use danvan_core::inferred::{Inference, InferredFrom, find};
//! let marks = vec![Inference::new("date.year", InferredFrom::PublicationDate)];
//! assert!(find(&marks, "date").is_some()); // part of the date is inferred
//! assert!(find(&marks, "date.year").is_some());
//! assert!(find(&marks, "province").is_none());
//! ```

use serde::{Deserialize, Serialize};

use crate::text::Text;
use crate::validate::Checker;

/// One inferred value of a record: which field, from what, and optionally how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Inference {
    /// The field whose value was inferred, as a path in the record: `province`, `date`, or
    /// `date.year` when the day and month were stated and only the year was inferred.
    pub field: String,
    /// What the value was worked out from.
    pub from: InferredFrom,
    /// How, in words, when it helps a reader: "năm đăng tin".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

impl Inference {
    /// `field` inferred from `from`.
    pub fn new(field: impl Into<String>, from: InferredFrom) -> Inference {
        Inference {
            field: field.into(),
            from,
            note: None,
        }
    }

    /// "năm suy ra từ ngày đăng tin" / "tỉnh suy ra từ trang đăng tin": what a reader is told
    /// beside the value, in Vietnamese.
    pub fn to_vietnamese(&self) -> String {
        let what = if self.field.ends_with(".year") {
            "năm suy ra"
        } else {
            "suy ra"
        };
        format!("{what} từ {}", self.from.name_vi())
    }

    /// "year inferred from the publication date": the same in English.
    pub fn to_english(&self) -> String {
        let what = if self.field.ends_with(".year") {
            "year inferred"
        } else {
            "inferred"
        };
        format!("{what} from {}", self.from.name_en())
    }
}

/// What an inferred value was worked out from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InferredFrom {
    /// The date the source was published (the year of "Chiều 14/3").
    PublicationDate,
    /// The site or publisher of the source (the province of `baolaocai.vn`).
    SourceSite,
    /// Another part of the same text (a heading, an earlier sentence).
    Context,
    /// What the clerk knows, not what the text says.
    ClerkKnowledge,
}

impl InferredFrom {
    /// Every source of inference, in a stable order.
    pub const ALL: [InferredFrom; 4] = [
        Self::PublicationDate,
        Self::SourceSite,
        Self::Context,
        Self::ClerkKnowledge,
    ];

    /// "ngày đăng tin", "trang đăng tin", "ngữ cảnh của văn bản", "hiểu biết của người nhập".
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::PublicationDate => "ngày đăng tin",
            Self::SourceSite => "trang đăng tin",
            Self::Context => "ngữ cảnh của văn bản",
            Self::ClerkKnowledge => "hiểu biết của người nhập",
        }
    }

    /// "the publication date", "the source's site", "the text's context", "the clerk's
    /// knowledge".
    pub fn name_en(self) -> &'static str {
        match self {
            Self::PublicationDate => "the publication date",
            Self::SourceSite => "the source's site",
            Self::Context => "the text's context",
            Self::ClerkKnowledge => "the clerk's knowledge",
        }
    }
}

/// The mark on `field` or on a part of it (`date` finds a mark on `date.year`), if any.
pub fn find<'a>(marks: &'a [Inference], field: &str) -> Option<&'a Inference> {
    marks.iter().find(|m| {
        m.field == field
            || m.field
                .strip_prefix(field)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// Whether `field`'s value (or part of it) is inferred.
pub fn is_inferred(marks: &[Inference], field: &str) -> bool {
    find(marks, field).is_some()
}

/// Checks a record's marks: each names a field the kind lets be inferred (`allowed`: the
/// field, whether a `.year` part may be marked, and whether the record holds a value there),
/// once.
pub(crate) fn check(c: &mut Checker<'_>, marks: &[Inference], allowed: &[(&str, bool, bool)]) {
    for (i, m) in marks.iter().enumerate() {
        let path = format!("inferred[{i}].field");
        let (base, part) = match m.field.split_once('.') {
            Some((base, part)) => (base, Some(part)),
            None => (m.field.as_str(), None),
        };
        let Some(&(_, year_part, present)) = allowed.iter().find(|(f, _, _)| *f == base) else {
            let names: Vec<&str> = allowed.iter().map(|(f, _, _)| *f).collect();
            c.error(
                "unknown-field",
                path,
                format!(
                    "{:?} is not a field that can be inferred here (one of: {})",
                    m.field,
                    names.join(", ")
                ),
            );
            continue;
        };
        if let Some(part) = part
            && !(part == "year" && year_part)
        {
            c.error(
                "unknown-field",
                path,
                format!("{:?}: only a date's year can be marked on its own", m.field),
            );
            continue;
        }
        if !present {
            c.error(
                "inconsistent",
                path.clone(),
                format!(
                    "{:?} is marked inferred but holds no value (an unknown value is left out)",
                    m.field
                ),
            );
        }
        if marks[..i]
            .iter()
            .any(|o| o.field.split('.').next() == Some(base))
        {
            c.error(
                "duplicate",
                path,
                format!("{:?} is marked inferred twice", m.field),
            );
        }
        if let Some(note) = &m.note {
            c.not_blank(&format!("inferred[{i}].note"), note);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::RecordId;
    use crate::validate::RecordKind;

    fn problems(marks: &[Inference]) -> Vec<String> {
        let id = RecordId::new("c1").unwrap();
        let mut c = Checker::new(RecordKind::Conference, &id);
        check(
            &mut c,
            marks,
            &[
                ("date", true, true),
                ("province", false, true),
                ("format", false, false),
            ],
        );
        c.finish().iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn marks_name_fields_that_hold_a_value_once() {
        use InferredFrom::*;
        assert!(problems(&[Inference::new("date.year", PublicationDate)]).is_empty());
        assert!(problems(&[Inference::new("province", SourceSite)]).is_empty());
        let p = problems(&[Inference::new("title", Context)]);
        assert!(p[0].contains("not a field that can be inferred"), "{p:?}");
        let p = problems(&[Inference::new("province.year", Context)]);
        assert!(p[0].contains("only a date's year"), "{p:?}");
        let p = problems(&[Inference::new("format", ClerkKnowledge)]);
        assert!(p[0].contains("holds no value"), "{p:?}");
        let p = problems(&[
            Inference::new("date.year", PublicationDate),
            Inference::new("date", Context),
        ]);
        assert!(p[0].contains("twice"), "{p:?}");
    }

    #[test]
    fn words_for_readers() {
        let m = Inference::new("date.year", InferredFrom::PublicationDate);
        assert_eq!(m.to_vietnamese(), "năm suy ra từ ngày đăng tin");
        assert_eq!(m.to_english(), "year inferred from the publication date");
        let m = Inference::new("province", InferredFrom::SourceSite);
        assert_eq!(m.to_vietnamese(), "suy ra từ trang đăng tin");
    }
}
