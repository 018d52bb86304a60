//! Commendations (khen thưởng) as records of their own: who awarded what form of award, to
//! whom, on what occasion, by which decision.
//!
//! Provincial texts report awards in many shapes: at a conference ("Dịp này, Ban Thường vụ
//! Tỉnh ủy tặng Bằng khen cho 12 tập thể, 25 cá nhân"), by a decision outside any meeting
//! ("Quyết định số 1520-QĐ/TU … tặng Bằng khen cho 05 tập thể"), with names and no count, or
//! with neither ("nhiều tập thể, cá nhân được khen thưởng"). An [`Award`] keeps what the text
//! says and nothing more: the counts are unknown unless stated, "nhiều" is kept as
//! [`Recipients::many`], never turned into a number.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::docnum::DocumentNumber;
use crate::id::RecordId;
use crate::inferred::Inference;
use crate::period::Period;
use crate::province::ProvinceRef;
use crate::source::Source;
use crate::text::Text;
use crate::validate::{Checker, Problem, RecordKind};

/// A commendation given to one or more collectives or individuals.
///
/// ```
/// use danvan_core::award::{Award, AwardForm};
/// let a: Award = serde_json::from_str(r#"{
///     "id": "tn-2024-bang-khen-dvk", "form": "certificate_of_merit",
///     "awarded_by": "Ban Thường vụ Tỉnh ủy", "province": "thai-nguyen",
///     "decided_on": "2024-12-10", "decision": "1520-QĐ/TU",
///     "recipients": {"collectives": 12, "individuals": 25},
///     "movement": "Dân vận khéo", "conference": "tn-2024-tong-ket"
/// }"#).unwrap();
/// assert_eq!(a.form, Some(AwardForm::CertificateOfMerit));
/// assert_eq!(a.recipients.to_vietnamese(), "12 tập thể và 25 cá nhân");
/// assert!(a.validate().is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "A commendation (khen thưởng): who awarded what, to whom, on what occasion, by which decision."
)]
#[non_exhaustive]
pub struct Award {
    /// Stable record ID: lowercase letters, digits, `-`, `_` and `.`; see the `id` module.
    pub id: RecordId,
    /// The form of the award, when the text names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<AwardForm>,
    /// The award as the text words it, when the form alone does not say it: "Bằng khen của
    /// Chủ tịch UBND tỉnh", "danh hiệu Dân vận khéo tiêu biểu".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// Who awarded it: "Ban Thường vụ Tỉnh ủy", "Chủ tịch UBND tỉnh".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awarded_by: Option<Text>,
    /// The province whose body awarded it; absent for a central award.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<ProvinceRef>,
    /// The deciding document's number: "1520-QĐ/TU".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DocumentNumber>,
    /// The decision's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
    /// The day it was presented, when it differs from the decision's or no decision is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presented_on: Option<NaiveDate>,
    /// Who received it.
    #[serde(default, skip_serializing_if = "Recipients::is_unknown")]
    pub recipients: Recipients,
    /// The conference it was presented at, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conference: Option<RecordId>,
    /// The emulation movement it rewards: "Dân vận khéo".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movement: Option<Text>,
    /// The period whose work it rewards: "2024", "2021-2025".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// What it was for: "có thành tích xuất sắc trong thực hiện phong trào thi đua".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
    /// Where it was published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    /// A remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// The values the source did not state but which were worked out; see
    /// [`crate::inferred`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<Inference>,
}

/// The forms of award offices give, and other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AwardForm {
    /// Bằng khen.
    CertificateOfMerit,
    /// Giấy khen.
    Commendation,
    /// Cờ thi đua.
    EmulationFlag,
    /// Huân chương.
    Order,
    /// Kỷ niệm chương, huy hiệu.
    Medal,
    /// A title (danh hiệu): "Chiến sĩ thi đua", "Dân vận khéo tiêu biểu".
    Title,
    /// Thư khen, biểu dương, tuyên dương without a certificate.
    Praise,
    /// Another form, named in `title`.
    Other,
}

impl AwardForm {
    /// Every form, in a stable order.
    pub const ALL: [AwardForm; 8] = [
        Self::CertificateOfMerit,
        Self::Commendation,
        Self::EmulationFlag,
        Self::Order,
        Self::Medal,
        Self::Title,
        Self::Praise,
        Self::Other,
    ];

    /// "Bằng khen", "Giấy khen", "Cờ thi đua", …
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::CertificateOfMerit => "Bằng khen",
            Self::Commendation => "Giấy khen",
            Self::EmulationFlag => "Cờ thi đua",
            Self::Order => "Huân chương",
            Self::Medal => "Kỷ niệm chương",
            Self::Title => "Danh hiệu thi đua",
            Self::Praise => "Biểu dương, tuyên dương",
            Self::Other => "Hình thức khác",
        }
    }

    /// "Certificate of merit", "Certificate of commendation", …
    pub fn name_en(self) -> &'static str {
        match self {
            Self::CertificateOfMerit => "Certificate of merit",
            Self::Commendation => "Certificate of commendation",
            Self::EmulationFlag => "Emulation flag",
            Self::Order => "Order",
            Self::Medal => "Commemorative medal",
            Self::Title => "Emulation title",
            Self::Praise => "Praise",
            Self::Other => "Other award",
        }
    }
}

/// Who received an award: counts as stated, names as listed, or "nhiều" when the text says
/// many and gives no number. Each part is unknown unless the text gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Recipients {
    /// How many collectives, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collectives: Option<u32>,
    /// How many individuals, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub individuals: Option<u32>,
    /// "nhiều tập thể, cá nhân": the text says many and gives no count.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub many: bool,
    /// The recipients the text names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub named: Vec<Recipient>,
}

/// A recipient the text names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Recipient {
    /// The collective's or person's name: "Hội Nông dân xã Phúc Xuân", "Hoàng Thị Mai".
    pub name: Text,
    /// Whether it is a collective or an individual, when the text makes it clear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<RecipientKind>,
    /// A person's position or unit, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Text>,
}

/// A collective (tập thể) or an individual (cá nhân).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    /// Tập thể.
    Collective,
    /// Cá nhân.
    Individual,
}

impl Recipients {
    /// Whether nothing is known of the recipients.
    pub fn is_unknown(&self) -> bool {
        self.collectives.is_none()
            && self.individuals.is_none()
            && !self.many
            && self.named.is_empty()
    }

    /// "12 tập thể và 25 cá nhân", "nhiều tập thể, cá nhân", "Hội Nông dân xã Phúc Xuân",
    /// "chưa rõ" — what the record holds, in words.
    pub fn to_vietnamese(&self) -> String {
        let mut counts = Vec::new();
        if let Some(n) = self.collectives {
            counts.push(format!("{n} tập thể"));
        }
        if let Some(n) = self.individuals {
            counts.push(format!("{n} cá nhân"));
        }
        let names: Vec<&str> = self.named.iter().map(|r| r.name.as_str()).collect();
        match (counts.is_empty(), names.is_empty(), self.many) {
            (false, true, _) => counts.join(" và "),
            (false, false, _) => format!("{} ({})", counts.join(" và "), names.join(", ")),
            (true, false, false) => names.join(", "),
            (true, false, true) => {
                format!("nhiều tập thể, cá nhân, trong đó có {}", names.join(", "))
            }
            (true, true, true) => "nhiều tập thể, cá nhân".to_string(),
            (true, true, false) => "chưa rõ".to_string(),
        }
    }

    /// The same in English.
    pub fn to_english(&self) -> String {
        let plural =
            |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut counts = Vec::new();
        if let Some(n) = self.collectives {
            counts.push(plural(n, "collective", "collectives"));
        }
        if let Some(n) = self.individuals {
            counts.push(plural(n, "individual", "individuals"));
        }
        let names: Vec<&str> = self.named.iter().map(|r| r.name.as_str()).collect();
        match (counts.is_empty(), names.is_empty(), self.many) {
            (false, true, _) => counts.join(" and "),
            (false, false, _) => format!("{} ({})", counts.join(" and "), names.join(", ")),
            (true, false, false) => names.join(", "),
            (true, false, true) => format!(
                "many collectives and individuals, among them {}",
                names.join(", ")
            ),
            (true, true, true) => "many collectives and individuals".to_string(),
            (true, true, false) => "not recorded".to_string(),
        }
    }
}

impl Award {
    /// The kind tag used in problems and references.
    pub const KIND: RecordKind = RecordKind::Award;

    /// An award of which nothing but its ID is known yet; set what the text says on the value.
    pub fn new(id: RecordId) -> Award {
        Award {
            id,
            form: None,
            title: None,
            awarded_by: None,
            province: None,
            decision: None,
            decided_on: None,
            presented_on: None,
            recipients: Recipients::default(),
            conference: None,
            movement: None,
            period: None,
            reason: None,
            sources: Vec::new(),
            note: None,
            inferred: Vec::new(),
        }
    }

    /// The day it is listed by: presented, else decided.
    pub fn date(&self) -> Option<NaiveDate> {
        self.presented_on.or(self.decided_on)
    }

    /// "Bằng khen của Ban Thường vụ Tỉnh ủy": how lists and reports name it.
    pub fn label(&self) -> String {
        let what = match (&self.title, self.form) {
            (Some(t), _) => t.to_string(),
            (None, Some(f)) => f.name_vi().to_string(),
            (None, None) => "Khen thưởng".to_string(),
        };
        match &self.awarded_by {
            Some(by) if self.title.is_none() => format!("{what} của {by}"),
            _ => what,
        }
    }

    /// Checks the award on its own (its conference is checked as a reference by
    /// [`Dataset::validate`](crate::dataset::Dataset::validate)).
    pub fn validate(&self) -> Vec<Problem> {
        let mut c = Checker::new(Self::KIND, &self.id);
        for (field, text) in [
            ("title", &self.title),
            ("awarded_by", &self.awarded_by),
            ("movement", &self.movement),
            ("reason", &self.reason),
            ("note", &self.note),
        ] {
            if let Some(t) = text {
                c.not_blank(field, t);
            }
        }
        if self.form == Some(AwardForm::Other) && self.title.is_none() {
            c.error(
                "required",
                "title",
                "an award of another form is named by its title",
            );
        }
        if self.form.is_none() && self.title.is_none() && self.decision.is_none() {
            c.warn(
                "incomplete",
                "form",
                "neither the form, the title nor the decision of the award is recorded",
            );
        }
        self.check_recipients(&mut c);
        if let (Some(decided), Some(presented)) = (self.decided_on, self.presented_on)
            && presented < decided
        {
            c.error(
                "order",
                "presented_on",
                format!("presented ({presented}) before it was decided ({decided})"),
            );
        }
        if let (Some(n), Some(d)) = (&self.decision, self.decided_on)
            && let Some(y) = n.year()
            && y != chrono::Datelike::year(&d)
        {
            c.error(
                "number-mismatch",
                "decided_on",
                format!(
                    "decided in {} but the number {n} says {y}",
                    chrono::Datelike::year(&d)
                ),
            );
        }
        if let Some(p) = &self.province {
            let day = self.date().unwrap_or(NaiveDate::MAX);
            c.province_at("province", p.as_str(), day);
        }
        for (i, s) in self.sources.iter().enumerate() {
            s.check(&mut c, &format!("sources[{i}]"));
        }
        crate::inferred::check(
            &mut c,
            &self.inferred,
            &[
                ("decided_on", true, self.decided_on.is_some()),
                ("presented_on", true, self.presented_on.is_some()),
                ("province", false, self.province.is_some()),
                ("awarded_by", false, self.awarded_by.is_some()),
                ("form", false, self.form.is_some()),
                ("period", false, self.period.is_some()),
                ("movement", false, self.movement.is_some()),
            ],
        );
        c.finish()
    }

    /// Counts against names and "many".
    fn check_recipients(&self, c: &mut Checker<'_>) {
        let r = &self.recipients;
        if r.is_unknown() {
            c.warn(
                "incomplete",
                "recipients",
                "no recipient is recorded: a count, names, or that there were many",
            );
        }
        if r.collectives == Some(0) && r.individuals.is_none_or(|n| n == 0)
            || r.individuals == Some(0) && r.collectives.is_none()
        {
            c.error(
                "out-of-range",
                "recipients",
                "an award goes to at least one collective or individual",
            );
        }
        if r.many && (r.collectives.is_some() || r.individuals.is_some()) {
            c.error(
                "inconsistent",
                "recipients.many",
                "\"many\" is for a text that gives no count; this one gives a count",
            );
        }
        for (i, p) in r.named.iter().enumerate() {
            c.not_blank(&format!("recipients.named[{i}].name"), &p.name);
        }
        for (kind, count, field) in [
            (
                RecipientKind::Collective,
                r.collectives,
                "recipients.collectives",
            ),
            (
                RecipientKind::Individual,
                r.individuals,
                "recipients.individuals",
            ),
        ] {
            let named = r.named.iter().filter(|p| p.kind == Some(kind)).count();
            if let Some(n) = count
                && named > n as usize
            {
                c.error(
                    "inconsistent",
                    field,
                    format!("{named} are named but the count is {n}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn award(json: serde_json::Value) -> Award {
        serde_json::from_value(json).unwrap()
    }

    fn problems(a: &Award) -> Vec<String> {
        a.validate().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn what_the_text_says_of_recipients_is_kept_as_said() {
        let many = award(
            serde_json::json!({"id": "a", "form": "certificate_of_merit",
            "awarded_by": "UBND tỉnh", "recipients": {"many": true}}),
        );
        assert!(problems(&many).is_empty(), "{:?}", problems(&many));
        assert_eq!(many.recipients.to_vietnamese(), "nhiều tập thể, cá nhân");
        assert_eq!(many.label(), "Bằng khen của UBND tỉnh");
        let named = award(serde_json::json!({"id": "a", "form": "commendation",
            "recipients": {"named": [{"name": "Hội Nông dân xã Phúc Xuân", "kind": "collective"}]}}));
        assert!(problems(&named).is_empty());
        assert_eq!(
            named.recipients.to_vietnamese(),
            "Hội Nông dân xã Phúc Xuân"
        );
        // Nothing known: stored, and flagged for a reader.
        let bare = award(serde_json::json!({"id": "a"}));
        let p = problems(&bare);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p.iter().all(|p| p.starts_with("warning")), "{p:?}");
        assert_eq!(bare.recipients.to_vietnamese(), "chưa rõ");
    }

    #[test]
    fn counts_names_and_many_must_agree() {
        let a = award(
            serde_json::json!({"id": "a", "form": "certificate_of_merit",
            "recipients": {"collectives": 1, "many": true,
            "named": [{"name": "A", "kind": "collective"}, {"name": "B", "kind": "collective"}]}}),
        );
        let p = problems(&a);
        assert!(p.iter().any(|p| p.contains("recipients.many")), "{p:?}");
        assert!(
            p.iter()
                .any(|p| p.contains("2 are named but the count is 1")),
            "{p:?}"
        );
        let zero = award(
            serde_json::json!({"id": "a", "form": "certificate_of_merit",
            "recipients": {"collectives": 0}}),
        );
        assert!(problems(&zero)[0].contains("at least one"));
        let late = award(
            serde_json::json!({"id": "a", "form": "certificate_of_merit",
            "decision": "1520-QĐ/TU", "decided_on": "2024-12-10", "presented_on": "2024-12-01",
            "recipients": {"individuals": 3}}),
        );
        assert!(problems(&late)[0].contains("presented (2024-12-01) before it was decided"));
    }
}
