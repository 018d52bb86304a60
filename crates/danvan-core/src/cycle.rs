//! The reporting cycle: what units owe each period (a [`ReportForm`], biểu mẫu), what they
//! send ([`Submission`]), and how a board checks, returns, approves and locks it.
//!
//! A board's units — huyện or xã, Đảng ủy Khối, sở/ngành, MTTQ and đoàn thể; for the central
//! board, the provinces — send a report each period. A form says, for a kind of period, which
//! indicators and which written sections a level of unit reports, and by when (days after the
//! period ends: the six-month report "by 15/6" is `-15`). From the forms and the unit registry
//! ([`crate::unit`]) [`owed`] lists every submission owed in a period, by whom and by when;
//! [`completeness`] says of each whether it was sent on time, late, not yet, was returned or
//! approved.
//!
//! A submission moves chưa nhập → đang nhập ([`SubmissionState::Draft`]) → đã gửi (`Sent`) →
//! bị trả lại (`Returned`, with the reason; back to a draft when edited) → đã duyệt
//! (`Approved`); an approver may unlock an approved one (back to `Returned`) with a reason.
//! [`Submission::step`] is the only way to move it, so no front end can skip a check; each step
//! is kept ([`Step`]) with who, when and why. The figures themselves are observations of the
//! unit for the period: approval locks them ([`Submission::locks`]), and the store refuses an
//! edit of a locked figure saying who approved it and when.

use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::id::RecordId;
use crate::indicator::UnitLevel;
use crate::period::{Period, PeriodKind, Window};
use crate::province::ProvinceRef;
use crate::text::Text;
use crate::unit::Unit;
use crate::validate::{Checker, Problem, RecordKind};

/// A form (biểu mẫu): what a level of unit reports for a kind of period, and by when.
///
/// ```
/// use danvan_core::cycle::ReportForm;
/// let f: ReportForm = serde_json::from_str(r#"{
///     "id": "tn-6-thang-huyen", "name": "Báo cáo công tác dân vận 6 tháng",
///     "province": "thai-nguyen", "period_kind": "half", "level": "commune",
///     "indicators": ["dialogues_held", "complaints_resolved"],
///     "sections": [{"key": "ket-qua", "title": "Kết quả thực hiện"}],
///     "due_days_after_end": -15
/// }"#).unwrap();
/// assert!(f.validate().is_empty());
/// assert_eq!(f.due("2025S1".parse().unwrap()).to_string(), "2025-06-15");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "A form (biểu mẫu): what a level of unit reports each period, and by when."
)]
#[non_exhaustive]
pub struct ReportForm {
    /// Stable record ID.
    pub id: RecordId,
    /// The form's name: "Báo cáo công tác dân vận 6 tháng".
    pub name: Text,
    /// The board that asks for it (its province); absent for the central board, whose
    /// reporting units are the provinces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<ProvinceRef>,
    /// The kind of period it is sent for: month, quarter, half, year or phase.
    pub period_kind: PeriodKind,
    /// The level of unit that sends it (a province board's units); absent on a central form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<UnitLevel>,
    /// The indicators it asks for (codes, built in or defined).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<RecordId>,
    /// The written sections it asks for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<FormSection>,
    /// When it is due, in days after the period's last day (negative: before it ends — the
    /// six-month report "by 15/6" is `-15`).
    pub due_days_after_end: i32,
    /// The first day of the periods it applies to, when it replaced another form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// The last day of the periods it applies to, when it was replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
}

/// A written section of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FormSection {
    /// A short key, stable across versions of the form: `ket-qua`.
    pub key: String,
    /// The heading the unit sees: "Kết quả thực hiện".
    pub title: Text,
    /// Whether a submission may be sent without it (a warning, with an explanation).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

impl ReportForm {
    /// The kind tag used in problems and references.
    pub const KIND: RecordKind = RecordKind::Form;

    /// The day a submission for `period` is due.
    pub fn due(&self, period: Period) -> NaiveDate {
        let (_, end) = period.date_range(Window::Calendar);
        let days = Days::new(u64::from(self.due_days_after_end.unsigned_abs()));
        if self.due_days_after_end < 0 {
            end.checked_sub_days(days).unwrap_or(end)
        } else {
            end.checked_add_days(days).unwrap_or(end)
        }
    }

    /// Whether it applies to `period` (its kind, and its days within the form's).
    pub fn applies_to(&self, period: Period) -> bool {
        let (start, end) = period.date_range(Window::Calendar);
        period.kind() == self.period_kind
            && self.from.is_none_or(|f| f <= start)
            && self.until.is_none_or(|u| u >= end)
    }

    /// Checks the form on its own.
    pub fn validate(&self) -> Vec<Problem> {
        let mut c = Checker::new(Self::KIND, &self.id);
        c.not_blank("name", &self.name);
        if self.province.is_some() != self.level.is_some() {
            c.error(
                "inconsistent",
                "level",
                "a province's form names the level of unit that sends it; the central board's names none (provinces send it)",
            );
        }
        if matches!(self.period_kind, PeriodKind::Term) {
            c.error(
                "out-of-range",
                "period_kind",
                "a form is sent for a month, quarter, half year, year or phase, not a term",
            );
        }
        if !(-180..=180).contains(&self.due_days_after_end) {
            c.error(
                "out-of-range",
                "due_days_after_end",
                "due more than 180 days from the period's end",
            );
        }
        for (i, code) in self.indicators.iter().enumerate() {
            if self.indicators[..i].contains(code) {
                c.error(
                    "duplicate",
                    format!("indicators[{i}]"),
                    format!("{code} is listed twice"),
                );
            }
        }
        for (i, s) in self.sections.iter().enumerate() {
            c.not_blank(&format!("sections[{i}].title"), &s.title);
            if s.key.is_empty()
                || !s
                    .key
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
            {
                c.error(
                    "out-of-range",
                    format!("sections[{i}].key"),
                    "a key is lowercase letters, digits and '-'",
                );
            }
            if self.sections[..i].iter().any(|o| o.key == s.key) {
                c.error(
                    "duplicate",
                    format!("sections[{i}].key"),
                    format!("{} is listed twice", s.key),
                );
            }
        }
        if let (Some(f), Some(u)) = (self.from, self.until)
            && u < f
        {
            c.error(
                "order",
                "until",
                format!("ends ({u}) before it starts ({f})"),
            );
        }
        if let Some(p) = &self.province {
            c.province_at("province", p.as_str(), NaiveDate::MAX);
        }
        c.finish()
    }
}

/// Where a submission stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionState {
    /// Đang nhập: being filled.
    #[default]
    Draft,
    /// Đã gửi: sent, waiting for the board.
    Sent,
    /// Bị trả lại: sent back with a reason; the unit corrects it and sends it again.
    Returned,
    /// Đã duyệt: approved; its figures are locked.
    Approved,
}

impl SubmissionState {
    /// The steps that may follow from here: send from a draft or a returned report; return
    /// or approve a sent one; unlock an approved one.
    ///
    /// ```
    /// use danvan_core::cycle::{Action, SubmissionState};
    /// assert_eq!(SubmissionState::Sent.next_steps(), &[Action::Return, Action::Approve]);
    /// ```
    pub fn next_steps(self) -> &'static [Action] {
        match self {
            Self::Draft | Self::Returned => &[Action::Send],
            Self::Sent => &[Action::Return, Action::Approve],
            Self::Approved => &[Action::Unlock],
        }
    }

    /// "đang nhập", "đã gửi", "bị trả lại", "đã duyệt".
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Draft => "đang nhập",
            Self::Sent => "đã gửi",
            Self::Returned => "bị trả lại",
            Self::Approved => "đã duyệt",
        }
    }

    /// "draft", "sent", "returned", "approved".
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::Returned => "returned",
            Self::Approved => "approved",
        }
    }
}

/// What was done to a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The unit sends it.
    Send,
    /// The board sends it back, saying what to fix.
    Return,
    /// The board approves it, locking its figures.
    Approve,
    /// An approver unlocks an approved submission, saying why.
    Unlock,
}

impl Action {
    /// Every step, by its machine name.
    pub const ALL: [Action; 4] = [Self::Send, Self::Return, Self::Approve, Self::Unlock];

    /// "send", "return", "approve", "unlock": the step's name in URLs and forms.
    pub fn name(self) -> &'static str {
        match self {
            Self::Send => "send",
            Self::Return => "return",
            Self::Approve => "approve",
            Self::Unlock => "unlock",
        }
    }

    /// The step a name says (`send`, `return`, `approve`, `unlock`), if any.
    ///
    /// ```
    /// use danvan_core::cycle::Action;
    /// assert_eq!(Action::from_name("approve"), Some(Action::Approve));
    /// assert_eq!(Action::from_name("lock"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Action> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// "gửi", "trả lại", "duyệt", "mở khóa".
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Send => "gửi",
            Self::Return => "trả lại",
            Self::Approve => "duyệt",
            Self::Unlock => "mở khóa",
        }
    }
}

/// One step of a submission's way: what, by whom, when, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Step {
    /// What was done.
    pub action: Action,
    /// Who did it (a user's or token's name).
    pub by: String,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// Why: what to fix (a return), why it is unlocked, the explanation of warnings sent anyway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
}

/// What a form asked of a submission when it was begun.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Asked {
    /// The indicators.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<RecordId>,
    /// The written sections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<FormSection>,
}

/// A written section of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SectionText {
    /// The form section's key.
    pub key: String,
    /// What the unit wrote.
    pub text: Text,
}

/// The signed original of a report, kept beside the submission by its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Attachment {
    /// The file's name as uploaded: "bao-cao-6-thang.pdf".
    pub file_name: String,
    /// Its media type: `application/pdf`.
    pub media_type: String,
    /// Its SHA-256, hex: the file as signed, whatever copy is shown.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

impl Attachment {
    /// A file as uploaded: its name, media type, SHA-256 (hex) and size.
    pub fn new(
        file_name: impl Into<String>,
        media_type: impl Into<String>,
        sha256: impl Into<String>,
        size: u64,
    ) -> Attachment {
        Attachment {
            file_name: file_name.into(),
            media_type: media_type.into(),
            sha256: sha256.into(),
            size,
        }
    }
}

/// A unit's report for one period of one form.
///
/// ```
/// use danvan_core::cycle::{Action, Submission, SubmissionState};
/// use chrono::NaiveDate;
/// let mut s: Submission = serde_json::from_str(r#"{
///     "id": "tn-dinh-hoa-2025s1", "form": "tn-6-thang-huyen", "form_revision": 3,
///     "unit": "tn-dinh-hoa", "province": "thai-nguyen", "period": "2025S1"
/// }"#).unwrap();
/// let at = NaiveDate::from_ymd_opt(2025, 6, 12).unwrap().and_hms_opt(9, 0, 0).unwrap();
/// s.step(Action::Send, "dinh-hoa-clerk", at, None, true).unwrap();
/// assert_eq!(s.state, SubmissionState::Sent);
/// assert!(s.step(Action::Send, "dinh-hoa-clerk", at, None, true).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "A unit's report for one period of one form, and its way to approval.")]
#[non_exhaustive]
pub struct Submission {
    /// Stable record ID.
    pub id: RecordId,
    /// The form it is filled against.
    pub form: RecordId,
    /// The form's revision when the submission was started.
    pub form_revision: u64,
    /// What the form asked at that revision: a form changed later does not change what was
    /// asked of a submission already begun.
    #[serde(default)]
    pub asked: Asked,
    /// The reporting unit (a registered unit); absent for a province's submission to the
    /// central board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<RecordId>,
    /// The province whose board it goes to (or, to the central board, the province sending).
    pub province: ProvinceRef,
    /// The period it reports.
    pub period: Period,
    /// Where it stands.
    #[serde(default)]
    pub state: SubmissionState,
    /// The written sections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<SectionText>,
    /// The signed original, when attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<Attachment>,
    /// Every step so far, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StepError {
    /// The step does not follow from where the submission stands.
    #[error("a submission that is {state} cannot be {action}", state = .state.name_en(), action = match .action { Action::Send => "sent", Action::Return => "returned", Action::Approve => "approved", Action::Unlock => "unlocked" })]
    NotNow {
        /// Where it stands.
        state: SubmissionState,
        /// What was asked.
        action: Action,
    },
    /// A return or an unlock says why.
    #[error("say why: a return names what to fix, an unlock why it is reopened")]
    NeedsReason,
    /// Sending is refused while an error remains.
    #[error("it cannot be sent while errors remain")]
    HasErrors,
}

impl Submission {
    /// The kind tag used in problems and references.
    pub const KIND: RecordKind = RecordKind::Submission;

    /// A new draft of `form` (read at `form_revision`) for `unit` of `province` and `period`,
    /// keeping what the form asks.
    pub fn new(
        id: RecordId,
        form: &ReportForm,
        form_revision: u64,
        unit: Option<RecordId>,
        province: ProvinceRef,
        period: Period,
    ) -> Submission {
        Submission {
            id,
            form: form.id.clone(),
            form_revision,
            asked: Asked {
                indicators: form.indicators.clone(),
                sections: form.sections.clone(),
            },
            unit,
            province,
            period,
            state: SubmissionState::Draft,
            sections: Vec::new(),
            original: None,
            steps: Vec::new(),
        }
    }

    /// Moves the submission by `action`, done by `by` at `at`, keeping the step. `clean` says
    /// whether sending found no error (warnings may be sent with a `reason` explaining them).
    /// A return and an unlock need a reason.
    pub fn step(
        &mut self,
        action: Action,
        by: &str,
        at: NaiveDateTime,
        reason: Option<&str>,
        clean: bool,
    ) -> Result<(), StepError> {
        use SubmissionState::*;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let next = match (self.state, action) {
            (Draft | Returned, Action::Send) => {
                if !clean {
                    return Err(StepError::HasErrors);
                }
                Sent
            }
            (Sent, Action::Return) | (Approved, Action::Unlock) => {
                if reason.is_none() {
                    return Err(StepError::NeedsReason);
                }
                Returned
            }
            (Sent, Action::Approve) => Approved,
            (state, action) => return Err(StepError::NotNow { state, action }),
        };
        self.state = next;
        self.steps.push(Step {
            action,
            by: by.to_string(),
            at,
            reason: reason.map(Text::new),
        });
        Ok(())
    }

    /// The last step of `action`, if any: who approved it and when, what the return said.
    pub fn last(&self, action: Action) -> Option<&Step> {
        self.steps.iter().rev().find(|s| s.action == action)
    }

    /// When it was first sent, if it was.
    pub fn first_sent(&self) -> Option<NaiveDateTime> {
        self.steps
            .iter()
            .find(|s| s.action == Action::Send)
            .map(|s| s.at)
    }

    /// Whether it locks the figures of its unit and period: it does once approved.
    pub fn locks(&self) -> bool {
        self.state == SubmissionState::Approved
    }

    /// Checks the submission on its own (its form and unit are checked as references).
    pub fn validate(&self) -> Vec<Problem> {
        let mut c = Checker::new(Self::KIND, &self.id);
        for (i, s) in self.sections.iter().enumerate() {
            if self.sections[..i].iter().any(|o| o.key == s.key) {
                c.error(
                    "duplicate",
                    format!("sections[{i}].key"),
                    format!("{} is written twice", s.key),
                );
            }
        }
        if let Some(a) = &self.original
            && (a.sha256.len() != 64 || !a.sha256.chars().all(|ch| ch.is_ascii_hexdigit()))
        {
            c.error(
                "out-of-range",
                "original.sha256",
                "a SHA-256 is 64 hexadecimal digits",
            );
        }
        // The state follows from the steps: a record written by hand cannot claim an approval
        // no one gave.
        let mut replayed = true;
        let mut replay = Submission {
            state: SubmissionState::Draft,
            steps: Vec::new(),
            ..self.clone()
        };
        for (i, s) in self.steps.iter().enumerate() {
            if let Err(e) = replay.step(
                s.action,
                &s.by,
                s.at,
                s.reason.as_ref().map(|r| r.as_str()),
                true,
            ) {
                c.error("inconsistent", format!("steps[{i}]"), e.to_string());
                replayed = false;
                break;
            }
            if i > 0 && s.at < self.steps[i - 1].at {
                c.error(
                    "order",
                    format!("steps[{i}].at"),
                    "a step is dated before the one it follows",
                );
            }
        }
        if replayed && replay.state != self.state {
            c.error(
                "inconsistent",
                "state",
                format!(
                    "the steps leave it {}, not {}",
                    replay.state.name_en(),
                    self.state.name_en()
                ),
            );
        }
        c.province_at(
            "province",
            self.province.as_str(),
            self.period.date_range(Window::Calendar).0,
        );
        c.finish()
    }
}

/// What sending `submission` would find against what its form asked when it was begun, each
/// problem at its cell (`figures.<indicator>`) or
/// section (`sections.<key>`): a figure the form asks for and the unit has not entered, a
/// section not written (a warning when the form marks it optional), and the problems of the
/// figures themselves (errors block sending; warnings may be sent with an explanation).
/// `figures` are the unit's observations of the period.
pub fn check_send(
    submission: &Submission,
    figures: &[&crate::indicator::Observation],
) -> Vec<Problem> {
    let form = &submission.asked;
    let mut c = Checker::new(Submission::KIND, &submission.id);
    for code in &form.indicators {
        if !figures.iter().any(|o| o.indicator == *code) {
            let name = crate::indicator::builtin(code.as_str())
                .map_or_else(|| code.to_string(), |d| d.name_vi.to_string());
            c.error(
                "incomplete",
                format!("figures.{code}"),
                format!("no figure entered for {name}"),
            );
        }
    }
    for section in &form.sections {
        let written = submission
            .sections
            .iter()
            .any(|s| s.key == section.key && !s.text.trim().is_empty());
        if !written {
            let message = format!("the section “{}” is not written", section.title);
            if section.optional {
                c.warn("incomplete", format!("sections.{}", section.key), message);
            } else {
                c.error("incomplete", format!("sections.{}", section.key), message);
            }
        }
    }
    for s in &submission.sections {
        if !form.sections.iter().any(|f| f.key == s.key) {
            c.warn(
                "unknown-field",
                format!("sections.{}", s.key),
                "the form asks for no such section",
            );
        }
    }
    let mut problems = c.finish();
    for o in figures {
        for mut p in o.validate(None) {
            p.field = format!(
                "figures.{}{}",
                o.indicator,
                if p.field.is_empty() {
                    String::new()
                } else {
                    format!(".{}", p.field)
                }
            );
            problems.push(p);
        }
    }
    problems
}

/// One submission owed in a period: by which unit, of which form, by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Owed<'a> {
    /// The form.
    pub form: &'a ReportForm,
    /// The unit that owes it (none: a province to the central board).
    pub unit: Option<&'a Unit>,
    /// The province whose board it goes to (or which sends it to the centre).
    pub province: ProvinceRef,
    /// The day it is due.
    pub due: NaiveDate,
}

/// Every submission owed for `period` under `forms`: each provincial form's level of unit,
/// registered in `units` for its province and existing in the period, owes one; a central
/// form is owed by each of `provinces` (slugs on the period's map).
pub fn owed<'a>(
    forms: &'a [ReportForm],
    units: &'a [Unit],
    provinces: &[&str],
    period: Period,
) -> Vec<Owed<'a>> {
    let (start, end) = period.date_range(Window::Calendar);
    let mut out = Vec::new();
    for form in forms.iter().filter(|f| f.applies_to(period)) {
        let due = form.due(period);
        match (&form.province, form.level) {
            (Some(p), Some(level)) => {
                for u in units.iter().filter(|u| {
                    u.level == level
                        && u.province.as_ref().map(ProvinceRef::as_str) == Some(p.as_str())
                        && u.existed_during(start, end)
                }) {
                    out.push(Owed {
                        form,
                        unit: Some(u),
                        province: p.clone(),
                        due,
                    });
                }
            }
            _ => {
                for p in provinces {
                    out.push(Owed {
                        form,
                        unit: None,
                        province: ProvinceRef::new(p),
                        due,
                    });
                }
            }
        }
    }
    out
}

/// How one owed submission stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Not sent, and not yet due: nothing is wrong.
    NotYetDue,
    /// Not sent (never, or being filled), and past its due day.
    Overdue,
    /// Sent by its due day (waiting for the board, or approved).
    OnTime,
    /// Sent after its due day.
    Late,
    /// Sent back to the unit to fix.
    Returned,
}

impl Standing {
    /// "chưa đến hạn", "quá hạn chưa gửi", "gửi đúng hạn", "gửi muộn", "bị trả lại".
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::NotYetDue => "chưa đến hạn",
            Self::Overdue => "quá hạn chưa gửi",
            Self::OnTime => "gửi đúng hạn",
            Self::Late => "gửi muộn",
            Self::Returned => "bị trả lại",
        }
    }

    /// "not yet due", "overdue", "sent on time", "sent late", "returned".
    pub fn name_en(self) -> &'static str {
        match self {
            Self::NotYetDue => "not yet due",
            Self::Overdue => "overdue",
            Self::OnTime => "sent on time",
            Self::Late => "sent late",
            Self::Returned => "returned",
        }
    }
}

/// One line of a completeness view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completeness<'a> {
    /// What was owed.
    pub owed: Owed<'a>,
    /// The submission, when there is one.
    pub submission: Option<&'a Submission>,
    /// How it stands on the day asked.
    pub standing: Standing,
    /// Whether it is approved.
    pub approved: bool,
}

/// How each owed submission stands on `today`: matched to `submissions` by form, unit (or
/// province, for the centre) and period. Overdue only after the due day.
pub fn completeness<'a>(
    owed: Vec<Owed<'a>>,
    submissions: &'a [Submission],
    period: Period,
    today: NaiveDate,
) -> Vec<Completeness<'a>> {
    // By form and unit (or, to the centre, province): one look-up per line.
    let mut index: std::collections::HashMap<(&str, &str, bool), &Submission> =
        std::collections::HashMap::new();
    for s in submissions.iter().filter(|s| s.period == period) {
        let who = s
            .unit
            .as_ref()
            .map_or(s.province.as_str(), RecordId::as_str);
        index.insert((s.form.as_str(), who, s.unit.is_some()), s);
    }
    owed.into_iter()
        .map(|o| {
            let who = o.unit.map_or(o.province.as_str(), |u| u.id.as_str());
            let submission = index
                .get(&(o.form.id.as_str(), who, o.unit.is_some()))
                .copied();
            let sent = submission
                .and_then(Submission::first_sent)
                .map(|t| t.date());
            let standing = match (submission.map(|s| s.state), sent) {
                (Some(SubmissionState::Returned), _) => Standing::Returned,
                (Some(SubmissionState::Sent | SubmissionState::Approved), Some(day)) => {
                    if day <= o.due {
                        Standing::OnTime
                    } else {
                        Standing::Late
                    }
                }
                _ if today > o.due => Standing::Overdue,
                _ => Standing::NotYetDue,
            };
            Completeness {
                approved: submission.is_some_and(Submission::locks),
                owed: o,
                submission,
                standing,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(d: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2025, m, d)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    fn draft() -> Submission {
        let form: ReportForm = serde_json::from_value(serde_json::json!({
            "id": "f", "name": "Báo cáo 6 tháng", "province": "thai-nguyen",
            "period_kind": "half", "level": "district", "due_days_after_end": -15
        }))
        .unwrap();
        Submission::new(
            "s".parse().unwrap(),
            &form,
            1,
            Some("u".parse().unwrap()),
            ProvinceRef::new("thai-nguyen"),
            "2025S1".parse().unwrap(),
        )
    }

    #[test]
    fn a_submission_goes_its_way_and_no_other() {
        let mut s = draft();
        assert_eq!(
            s.step(Action::Approve, "board", at(1, 6), None, true),
            Err(StepError::NotNow {
                state: SubmissionState::Draft,
                action: Action::Approve
            })
        );
        assert_eq!(
            s.step(Action::Send, "unit", at(1, 6), None, false),
            Err(StepError::HasErrors)
        );
        s.step(Action::Send, "unit", at(1, 6), None, true).unwrap();
        assert_eq!(
            s.step(Action::Return, "board", at(2, 6), Some("  "), true),
            Err(StepError::NeedsReason)
        );
        s.step(
            Action::Return,
            "board",
            at(2, 6),
            Some("Thiếu số liệu đối thoại"),
            true,
        )
        .unwrap();
        assert_eq!(s.state, SubmissionState::Returned);
        s.step(Action::Send, "unit", at(3, 6), None, true).unwrap();
        s.step(Action::Approve, "board", at(4, 6), None, true)
            .unwrap();
        assert!(s.locks());
        assert_eq!(s.last(Action::Approve).unwrap().by, "board");
        assert!(s.validate().is_empty(), "{:?}", s.validate());
        s.step(Action::Unlock, "board", at(5, 6), Some("Sửa số liệu"), true)
            .unwrap();
        assert!(!s.locks());
        // A record claiming an approval its steps do not show is refused.
        let mut forged = draft();
        forged.state = SubmissionState::Approved;
        assert!(
            forged.validate()[0]
                .message
                .contains("the steps leave it draft")
        );
    }

    #[test]
    fn owed_and_how_each_stands() {
        let form: ReportForm = serde_json::from_value(serde_json::json!({
            "id": "f", "name": "Báo cáo 6 tháng", "province": "thai-nguyen",
            "period_kind": "half", "level": "district", "due_days_after_end": -15
        }))
        .unwrap();
        let unit = |id: &str, until: Option<&str>| -> Unit {
            let mut v = serde_json::json!({"id": id, "name": format!("huyện {id}"),
                "level": "district", "province": "thai-nguyen"});
            if let Some(u) = until {
                v["until"] = serde_json::json!(u);
            }
            serde_json::from_value(v).unwrap()
        };
        let units = vec![
            unit("u", None),
            unit("v", None),
            unit("w", None),
            unit("gone", Some("2024-12-31")),
        ];
        let period: Period = "2025S1".parse().unwrap();
        let forms = [form];
        let owed_now = owed(&forms, &units, &[], period);
        assert_eq!(
            owed_now.len(),
            3,
            "a unit that ended before the period owes nothing"
        );
        assert_eq!(owed_now[0].due.to_string(), "2025-06-15");
        let mut on_time = draft();
        on_time
            .step(Action::Send, "u", at(14, 6), None, true)
            .unwrap();
        let mut late = draft();
        late.id = "s2".parse().unwrap();
        late.unit = Some("v".parse().unwrap());
        late.step(Action::Send, "v", at(20, 6), None, true).unwrap();
        let subs = [on_time, late];
        let view = |subs: &[Submission], today| {
            completeness(owed(&forms, &units, &[], period), subs, period, today)
                .into_iter()
                .map(|c| c.standing)
                .collect::<Vec<_>>()
        };
        use Standing::*;
        assert_eq!(
            view(&[], NaiveDate::from_ymd_opt(2025, 6, 10).unwrap()),
            [NotYetDue, NotYetDue, NotYetDue]
        );
        assert_eq!(
            view(&subs, NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()),
            [OnTime, Late, Overdue]
        );
    }
}
