//! Conferences (hội nghị): reviews, thematic conferences, workshops, dialogues and trainings.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize};

use crate::id::RecordId;
use crate::inferred::Inference;
use crate::period::{Period, PeriodKind, Window};
pub use crate::person::Person;
use crate::province::ProvinceRef;
pub use crate::source::Source;
use crate::text::Text;
use crate::validate::{Checker, Problem, RecordKind};

/// A conference held by a party committee, its board, or a state body.
///
/// ```
/// use danvan_core::conference::{Conference, Format};
/// let c: Conference = serde_json::from_str(r#"{
///     "id": "tn-2024-so-ket-6-thang", "kinds": ["six_month_review"],
///     "title": "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024",
///     "date": "2024-06-20", "province": "Thái Nguyên", "hosts": ["Ban Dân vận Tỉnh ủy"],
///     "format": {"mode": "online", "connection_points": 9}, "reviewed_period": "2024S1"
/// }"#).unwrap();
/// assert_eq!(c.province.as_ref().unwrap().as_str(), "thai-nguyen");
/// assert_eq!(c.format, Some(Format::Online { connection_points: Some(9) }));
/// assert!(c.validate().is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "A conference held by a party committee, its board, or a state body.")]
#[non_exhaustive]
pub struct Conference {
    /// Stable record ID: lowercase letters, digits, `-`, `_` and `.`; see the `id` module.
    pub id: RecordId,
    /// What the conference was; one may be several at once (a six-month review that is also
    /// a directive review).
    pub kinds: Vec<ConferenceKind>,
    /// The title as announced: "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024".
    pub title: Text,
    /// The (first) day; see `date_precision` for how exactly it is known.
    pub date: NaiveDate,
    /// How exactly `date` is known: the day (the default), only the month (`date` is then the
    /// first of the month), or only from the publication date of the source that reports it.
    #[serde(default, skip_serializing_if = "DatePrecision::is_exact")]
    pub date_precision: DatePrecision,
    /// The part of the day it was held, when the source says ("Chiều 14/3").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of_day: Option<crate::date::PartOfDay>,
    /// The last day, for conferences over several days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// The province; absent for a central (national) conference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<ProvinceRef>,
    /// The host bodies: "Ban Dân vận Tỉnh ủy Thái Nguyên"; several when bodies host jointly.
    /// Older data wrote one `host` string, which is still read. Empty when the source does
    /// not say who hosted.
    #[serde(
        alias = "host",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub hosts: Vec<Text>,
    /// Who chaired.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chairs: Vec<Person>,
    /// Who attended without chairing: guests, speakers, leaders who directed the conference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendees: Vec<Attendee>,
    /// Participating units.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participating_units: Vec<Text>,
    /// The emulation cluster, when the conference is a cluster's: "Cụm thi đua số 3".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emulation_cluster: Option<Text>,
    /// In person, online, or hybrid; absent when the source does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// The connection points by tier, when the source breaks them down ("01 điểm cầu Trung
    /// ương, 40 điểm cầu cấp tỉnh và 2.900 điểm cầu cấp xã"), with their names and delegates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connection_points: Vec<ConnectionPoints>,
    /// Where it was held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Text>,
    /// The period it reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_period: Option<Period>,
    /// The directives it reviewed (IDs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviewed_directives: Vec<RecordId>,
    /// Figures reported at the conference (observation IDs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<RecordId>,
    /// Results reported at the conference, as the source words them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<Text>,
    /// Shortcomings (hạn chế) the conference pointed out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shortcomings: Vec<Text>,
    /// What was raised in discussion (ý kiến thảo luận, tham luận).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discussion: Vec<Text>,
    /// Conclusions drawn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conclusions: Vec<Text>,
    /// Tasks set for the next period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<Text>,
    /// Commendations awarded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commendations: Vec<Commendation>,
    /// Where the facts come from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    /// A remark that fits no other field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// The values the source did not state but which were worked out (the year of "Chiều
    /// 14/3" from the publication date, the province from the site); see [`crate::inferred`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<Inference>,
}

/// Reads a list written either as one value or as an array (`"host": "…"` in older data).
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Text>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Text),
        Many(Vec<Text>),
    }
    match OneOrMany::deserialize(d) {
        Ok(OneOrMany::One(t)) => Ok(vec![t]),
        Ok(OneOrMany::Many(v)) => Ok(v),
        Err(_) => Err(serde::de::Error::custom(
            "expected a host body as text, or a list of them",
        )),
    }
}

/// How exactly a conference's date is known.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// The day is known.
    #[default]
    Exact,
    /// Only the month is known; the date is the first of that month.
    Month,
    /// The source gives no date; the date is the source's publication date, so the conference
    /// was on or shortly before it.
    Published,
}

impl DatePrecision {
    /// Whether the day is known.
    pub fn is_exact(&self) -> bool {
        *self == DatePrecision::Exact
    }
}

/// Someone who attended without chairing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Attendee {
    /// Full name: "Nguyễn Văn A".
    pub name: Text,
    /// Position: "Trưởng Ban Dân vận Trung ương".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Text>,
    /// Their part in the conference.
    #[serde(default)]
    pub role: AttendeeRole,
}

/// An attendee's part in a conference.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AttendeeRole {
    /// Dự: attended.
    #[default]
    Attending,
    /// Khách mời: an invited guest.
    Guest,
    /// Dự và chỉ đạo: a leader who attended and directed.
    Directing,
    /// Phát biểu, trình bày tham luận: spoke or presented a paper.
    Speaker,
}

impl AttendeeRole {
    /// "dự", "khách mời", "dự và chỉ đạo", "phát biểu".
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Attending => "dự",
            Self::Guest => "khách mời",
            Self::Directing => "dự và chỉ đạo",
            Self::Speaker => "phát biểu",
        }
    }
}

/// The kind of a conference.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ConferenceKind {
    /// Sơ kết 6 tháng.
    SixMonthReview,
    /// Tổng kết năm.
    AnnualReview,
    /// Sơ kết or tổng kết of a directive (3 years, 5 years, …).
    DirectiveReview,
    /// Hội nghị chuyên đề.
    Thematic,
    /// Hội thảo khoa học.
    Workshop,
    /// Đối thoại between leaders and citizens.
    Dialogue,
    /// Tập huấn, bồi dưỡng.
    Training,
    /// Giao ban: a regular briefing of the board with its units or a bloc.
    Briefing,
    /// Tọa đàm: a round table.
    RoundTable,
    /// Lễ kỷ niệm, họp mặt: a commemoration or gathering (the founding day of the dân vận
    /// tradition, 15/10).
    Commemoration,
    /// Tuyên dương, biểu dương: a meeting honouring models and exemplars.
    Honouring,
}

impl ConferenceKind {
    /// Every kind, in report order.
    pub const ALL: [ConferenceKind; 11] = [
        Self::SixMonthReview,
        Self::AnnualReview,
        Self::DirectiveReview,
        Self::Thematic,
        Self::Workshop,
        Self::Dialogue,
        Self::Training,
        Self::Briefing,
        Self::RoundTable,
        Self::Commemoration,
        Self::Honouring,
    ];

    /// The kind's position in [`ALL`](Self::ALL), by an exhaustive match: a new kind must be
    /// given one, so indexes built on it (the store's bit sets) cannot silently misfile it.
    pub const fn index(self) -> usize {
        match self {
            Self::SixMonthReview => 0,
            Self::AnnualReview => 1,
            Self::DirectiveReview => 2,
            Self::Thematic => 3,
            Self::Workshop => 4,
            Self::Dialogue => 5,
            Self::Training => 6,
            Self::Briefing => 7,
            Self::RoundTable => 8,
            Self::Commemoration => 9,
            Self::Honouring => 10,
        }
    }

    /// The Vietnamese name: "hội nghị sơ kết 6 tháng".
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::SixMonthReview => "hội nghị sơ kết 6 tháng",
            Self::AnnualReview => "hội nghị tổng kết năm",
            Self::DirectiveReview => "hội nghị sơ kết, tổng kết văn bản",
            Self::Thematic => "hội nghị chuyên đề",
            Self::Workshop => "hội thảo khoa học",
            Self::Dialogue => "hội nghị đối thoại",
            Self::Training => "lớp tập huấn",
            Self::Briefing => "hội nghị giao ban",
            Self::RoundTable => "tọa đàm",
            Self::Commemoration => "lễ kỷ niệm, họp mặt",
            Self::Honouring => "hội nghị tuyên dương, biểu dương",
        }
    }

    /// The English name: "six-month review".
    pub fn name_en(self) -> &'static str {
        match self {
            Self::SixMonthReview => "six-month review",
            Self::AnnualReview => "annual review",
            Self::DirectiveReview => "directive review",
            Self::Thematic => "thematic conference",
            Self::Workshop => "scientific workshop",
            Self::Dialogue => "dialogue",
            Self::Training => "training",
            Self::Briefing => "briefing",
            Self::RoundTable => "round table",
            Self::Commemoration => "commemoration",
            Self::Honouring => "honouring ceremony",
        }
    }
}

/// How a conference was attended. JSON: `{"mode": "online", "connection_points": 120}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum Format {
    /// Trực tiếp.
    InPerson,
    /// Trực tuyến, with N connection points (điểm cầu).
    Online {
        /// Number of connection points, when reported.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        connection_points: Option<u32>,
    },
    /// Trực tiếp kết hợp trực tuyến.
    Hybrid {
        /// Number of connection points, when reported.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        connection_points: Option<u32>,
    },
}

impl Format {
    /// "trực tiếp", "trực tuyến", "trực tiếp kết hợp trực tuyến".
    pub fn name_vi(&self) -> &'static str {
        match self {
            Format::InPerson => "trực tiếp",
            Format::Online { .. } => "trực tuyến",
            Format::Hybrid { .. } => "trực tiếp kết hợp trực tuyến",
        }
    }

    /// "in person", "online", "hybrid".
    pub fn name_en(&self) -> &'static str {
        match self {
            Format::InPerson => "in person",
            Format::Online { .. } => "online",
            Format::Hybrid { .. } => "hybrid",
        }
    }

    /// Connection points (điểm cầu), when reported.
    pub fn connection_points(&self) -> Option<u32> {
        match self {
            Format::InPerson => None,
            Format::Online { connection_points } | Format::Hybrid { connection_points } => {
                *connection_points
            }
        }
    }
}

impl Attendee {
    /// An attendee by name, position and part in the conference.
    pub fn new(name: impl AsRef<str>, position: Option<&str>, role: AttendeeRole) -> Attendee {
        Attendee {
            name: Text::new(name),
            position: position.map(Text::new),
            role,
        }
    }
}

impl Commendation {
    /// An award to `collectives` collectives and `individuals` individuals; set who awarded it
    /// and why on the value.
    pub fn new(award: impl AsRef<str>, collectives: u32, individuals: u32) -> Commendation {
        Commendation {
            award: Text::new(award),
            awarded_by: None,
            reason: None,
            collectives,
            individuals,
        }
    }
}

/// The connection points (điểm cầu) of one tier of an online or hybrid conference.
///
/// ```
/// use danvan_core::conference::{ConnectionPoints, Tier};
/// let p: ConnectionPoints = serde_json::from_str(
///     r#"{"tier": "commune", "count": 2900, "delegates": 35000}"#).unwrap();
/// assert_eq!(p.to_vietnamese(), "2.900 điểm cầu cấp xã với 35.000 đại biểu");
/// assert_eq!(p.to_english(), "2,900 commune connection points with 35,000 delegates");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ConnectionPoints {
    /// The tier.
    pub tier: Tier,
    /// How many points of this tier, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// The points named: "Hội trường Tỉnh ủy Lào Cai".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<Text>,
    /// How many delegates attended at this tier's points, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegates: Option<u32>,
}

/// The tier of a connection point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Điểm cầu Trung ương.
    Central,
    /// Cấp tỉnh.
    Province,
    /// Cấp huyện (until 30 June 2025).
    District,
    /// Cấp xã, phường, đặc khu.
    Commune,
    /// Thôn, tổ dân phố.
    Village,
    /// Another tier (a unit, a cluster).
    Other,
}

impl Tier {
    /// "Trung ương", "cấp tỉnh", "cấp huyện", "cấp xã", "thôn, tổ dân phố", "khác".
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Central => "Trung ương",
            Self::Province => "cấp tỉnh",
            Self::District => "cấp huyện",
            Self::Commune => "cấp xã",
            Self::Village => "thôn, tổ dân phố",
            Self::Other => "khác",
        }
    }

    /// "central", "provincial", "district", "commune", "village", "other".
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Central => "central",
            Self::Province => "provincial",
            Self::District => "district",
            Self::Commune => "commune",
            Self::Village => "village",
            Self::Other => "other",
        }
    }
}

impl ConnectionPoints {
    /// "40 điểm cầu cấp tỉnh", "01 điểm cầu Trung ương tại Hội trường Trung ương Đảng",
    /// "2.900 điểm cầu cấp xã với 35.000 đại biểu".
    pub fn to_vietnamese(&self) -> String {
        let mut s = match self.count {
            Some(n) => format!(
                "{} điểm cầu {}",
                crate::number::format_count(n.into()),
                self.tier.name_vi()
            ),
            None => format!("điểm cầu {}", self.tier.name_vi()),
        };
        if !self.names.is_empty() {
            s.push_str(&format!(" tại {}", self.joined_names()));
        }
        if let Some(d) = self.delegates {
            s.push_str(&format!(
                " với {} đại biểu",
                crate::number::format_count(d.into())
            ));
        }
        s
    }

    /// "40 provincial connection points", "1 central connection point at …", "2,900 commune
    /// connection points with 35,000 delegates".
    pub fn to_english(&self) -> String {
        let english = |n: u32| crate::number::format_count(n.into()).replace('.', ",");
        let mut s = match self.count {
            Some(1) => format!("1 {} connection point", self.tier.name_en()),
            Some(n) => format!("{} {} connection points", english(n), self.tier.name_en()),
            None => format!("{} connection points", self.tier.name_en()),
        };
        if !self.names.is_empty() {
            s.push_str(&format!(" at {}", self.joined_names()));
        }
        if let Some(d) = self.delegates {
            s.push_str(&format!(" with {} delegates", english(d)));
        }
        s
    }

    fn joined_names(&self) -> String {
        self.names
            .iter()
            .map(Text::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A commendation awarded at a conference: "bằng khen for 8 collectives and 12 individuals".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Commendation {
    /// The award: "Bằng khen", "Giấy khen".
    pub award: Text,
    /// Who awarded it: "Ban Thường vụ Tỉnh ủy", when the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awarded_by: Option<Text>,
    /// What it was for: "có thành tích xuất sắc trong thực hiện phong trào thi đua \"Dân vận khéo\"".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
    /// How many collectives.
    #[serde(default)]
    pub collectives: u32,
    /// How many individuals.
    #[serde(default)]
    pub individuals: u32,
}

impl Conference {
    /// The kind tag used in problems and references.
    pub const KIND: RecordKind = RecordKind::Conference;

    /// A conference with what identifies it: one kind, its title and its day; set the others
    /// (hosts, format, …) on the value, or leave them unknown.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use danvan_core::conference::{Conference, ConferenceKind, Format, Person};
    /// let mut c = Conference::new(
    ///     "qn-2023-tong-ket".parse().unwrap(), ConferenceKind::AnnualReview,
    ///     "Hội nghị tổng kết công tác dân vận năm 2023", NaiveDate::from_ymd_opt(2023, 12, 15).unwrap(),
    /// );
    /// c.hosts.push("Ban Thường vụ Tỉnh ủy Quảng Ninh".into());
    /// c.format = Some(Format::Online { connection_points: Some(13) });
    /// c.chairs.push(Person::new("Vũ Thị Lan", Some("Trưởng Ban Dân vận Tỉnh ủy")));
    /// assert!(c.validate().is_empty());
    /// ```
    pub fn new(
        id: RecordId,
        kind: ConferenceKind,
        title: impl AsRef<str>,
        date: NaiveDate,
    ) -> Conference {
        Conference {
            id,
            kinds: vec![kind],
            title: Text::new(title),
            date,
            date_precision: DatePrecision::Exact,
            part_of_day: None,
            end_date: None,
            province: None,
            hosts: Vec::new(),
            chairs: Vec::new(),
            attendees: Vec::new(),
            participating_units: Vec::new(),
            emulation_cluster: None,
            format: None,
            connection_points: Vec::new(),
            location: None,
            reviewed_period: None,
            reviewed_directives: Vec::new(),
            figures: Vec::new(),
            results: Vec::new(),
            shortcomings: Vec::new(),
            discussion: Vec::new(),
            conclusions: Vec::new(),
            tasks: Vec::new(),
            commendations: Vec::new(),
            sources: Vec::new(),
            note: None,
            inferred: Vec::new(),
        }
    }

    /// The last day of the conference.
    pub fn last_day(&self) -> NaiveDate {
        self.end_date.unwrap_or(self.date)
    }

    /// Checks the conference on its own (references to other records are checked by
    /// [`Dataset::validate`](crate::dataset::Dataset::validate)).
    pub fn validate(&self) -> Vec<Problem> {
        let mut c = Checker::new(Self::KIND, &self.id);
        self.check_what_who_when(&mut c);
        self.check_reviews(&mut c);
        self.check_connection_points(&mut c);
        self.check_outcomes(&mut c);
        for (field, list) in [
            ("reviewed_directives", &self.reviewed_directives),
            ("figures", &self.figures),
        ] {
            for (i, id) in list.iter().enumerate() {
                if list[..i].contains(id) {
                    c.error(
                        "duplicate",
                        format!("{field}[{i}]"),
                        format!("{id} is listed twice"),
                    );
                }
            }
        }
        if let Some(province) = &self.province {
            c.province_at("province", province.as_str(), self.date);
        }
        crate::inferred::check(
            &mut c,
            &self.inferred,
            &[
                ("date", true, true),
                ("end_date", true, self.end_date.is_some()),
                ("province", false, self.province.is_some()),
                ("hosts", false, !self.hosts.is_empty()),
                ("format", false, self.format.is_some()),
                ("location", false, self.location.is_some()),
                ("reviewed_period", false, self.reviewed_period.is_some()),
            ],
        );
        c.finish()
    }

    /// Kinds, title, hosts, dates, chairs, attendees, participating units and format.
    fn check_what_who_when(&self, c: &mut Checker<'_>) {
        if self.kinds.is_empty() {
            c.error(
                "required",
                "kinds",
                "must name at least one kind of conference",
            );
        }
        for (i, k) in self.kinds.iter().enumerate() {
            if self.kinds[..i].contains(k) {
                c.error(
                    "duplicate",
                    format!("kinds[{i}]"),
                    format!("{} is listed twice", k.name_en()),
                );
            }
        }
        c.not_blank("title", &self.title);
        for (i, h) in self.hosts.iter().enumerate() {
            c.not_blank(&format!("hosts[{i}]"), h);
        }
        if self.date_precision == DatePrecision::Month && self.date.day() != 1 {
            c.error(
                "inconsistent",
                "date",
                format!(
                    "with date_precision month the date is the first of the month ({}), not {}",
                    self.date.with_day(1).unwrap_or(self.date),
                    self.date
                ),
            );
        }
        if let Some(end) = self.end_date
            && end < self.date
        {
            c.error(
                "order",
                "end_date",
                format!("ends ({end}) before it starts ({})", self.date),
            );
        }
        for (i, p) in self.chairs.iter().enumerate() {
            c.not_blank(&format!("chairs[{i}].name"), &p.name);
        }
        for (i, a) in self.attendees.iter().enumerate() {
            c.not_blank(&format!("attendees[{i}].name"), &a.name);
        }
        for (i, u) in self.participating_units.iter().enumerate() {
            c.not_blank(&format!("participating_units[{i}]"), u);
        }
        if let Some(
            Format::Online {
                connection_points: Some(0),
            }
            | Format::Hybrid {
                connection_points: Some(0),
            },
        ) = self.format
        {
            c.error(
                "out-of-range",
                "format.connection_points",
                "must be at least 1",
            );
        }
    }

    /// The connection points by tier against the format.
    fn check_connection_points(&self, c: &mut Checker<'_>) {
        if self.connection_points.is_empty() {
            return;
        }
        if self.format == Some(Format::InPerson) {
            c.error(
                "inconsistent",
                "connection_points",
                "an in-person conference has no connection points",
            );
        }
        let mut sum: u64 = 0;
        for (i, p) in self.connection_points.iter().enumerate() {
            if p.count == Some(0) || p.delegates == Some(0) {
                c.error(
                    "out-of-range",
                    format!("connection_points[{i}]"),
                    "a count of points or delegates is at least 1",
                );
            }
            if let Some(n) = p.count
                && p.names.len() > n as usize
            {
                c.error(
                    "inconsistent",
                    format!("connection_points[{i}].names"),
                    format!("{} points are named but the count is {n}", p.names.len()),
                );
            }
            for (j, name) in p.names.iter().enumerate() {
                c.not_blank(&format!("connection_points[{i}].names[{j}]"), name);
            }
            if self.connection_points[..i].iter().any(|o| o.tier == p.tier) {
                c.error(
                    "duplicate",
                    format!("connection_points[{i}].tier"),
                    format!("the {} tier is listed twice", p.tier.name_en()),
                );
            }
            sum += u64::from(p.count.unwrap_or(0));
        }
        if let Some(total) = self.format.and_then(|f| f.connection_points())
            && sum > u64::from(total)
        {
            c.error(
                "inconsistent",
                "connection_points",
                format!("the tiers count {sum} points, more than the {total} of format.connection_points"),
            );
        }
    }

    /// The period and the directives reviewed.
    fn check_reviews(&self, c: &mut Checker<'_>) {
        match (
            self.reviewed_period,
            self.kinds.contains(&ConferenceKind::SixMonthReview),
        ) {
            (None, true) => c.warn(
                "incomplete",
                "reviewed_period",
                "a six-month review should name the period it reviews",
            ),
            (Some(p), true) if p.kind() != PeriodKind::Half => c.warn(
                "inconsistent",
                "reviewed_period",
                format!("a six-month review reviews a half year, not {p}"),
            ),
            _ => {}
        }
        if let Some(p) = self.reviewed_period {
            let (start, _) = p.date_range(Window::Calendar);
            if start > self.last_day() {
                c.error(
                    "order",
                    "reviewed_period",
                    format!(
                        "the reviewed period {p} starts after the conference ({})",
                        self.date
                    ),
                );
            }
        }
        if self.kinds.contains(&ConferenceKind::DirectiveReview)
            && self.reviewed_directives.is_empty()
        {
            c.warn(
                "incomplete",
                "reviewed_directives",
                "a directive review should name the directives it reviews",
            );
        }
    }

    /// Narrative, commendations, sources and the note.
    fn check_outcomes(&self, c: &mut Checker<'_>) {
        for (field, list) in [
            ("results", &self.results),
            ("shortcomings", &self.shortcomings),
            ("discussion", &self.discussion),
            ("conclusions", &self.conclusions),
            ("tasks", &self.tasks),
        ] {
            for (i, t) in list.iter().enumerate() {
                c.not_blank(&format!("{field}[{i}]"), t);
            }
        }
        if let Some(note) = &self.note {
            c.not_blank("note", note);
        }
        for (i, cm) in self.commendations.iter().enumerate() {
            c.not_blank(&format!("commendations[{i}].award"), &cm.award);
            if let Some(by) = &cm.awarded_by {
                c.not_blank(&format!("commendations[{i}].awarded_by"), by);
            }
            if let Some(reason) = &cm.reason {
                c.not_blank(&format!("commendations[{i}].reason"), reason);
            }
            if cm.collectives == 0 && cm.individuals == 0 {
                c.error(
                    "out-of-range",
                    format!("commendations[{i}]"),
                    "must count at least one collective or individual",
                );
            }
        }
        for (i, s) in self.sources.iter().enumerate() {
            s.check(c, &format!("sources[{i}]"));
        }
    }
}
