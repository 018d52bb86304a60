//! A deterministic generator of large, realistic datasets for tests and benchmarks.
//!
//! Enabled with the `generate` feature. Every record is a pure function of the seed and its
//! index, so a million records can be streamed without holding them, and a conference can cite
//! the directive it reviews by recomputing that directive's ID. The output covers every
//! province on both sides of the 2025 merger, 2016–2026, with Vietnamese names, and is valid
//! under [`Dataset::validate`](crate::dataset::Dataset::validate): no errors.
//!
//! ```
//! use danvan_core::generate::Generator;
//! let g = Generator::new(1000, 42);
//! let records: Vec<_> = g.records().collect();
//! // 1,000 records, after the registry of the units their figures name.
//! assert_eq!(records.len(), 1000 + g.units().len());
//! assert_eq!(records[0], Generator::new(1000, 42).records().next().unwrap());
//! ```

use chrono::{Datelike, Duration, NaiveDate};

use crate::conference::{Commendation, Conference, ConferenceKind, Format, Person, Source};
use crate::dataset::AnyRecord;
use crate::directive::{Directive, DirectiveStatus, Due, Held, Milestone, MilestoneKind, Phase};
use crate::docnum::{DocumentNumber, DocumentType};
use crate::id::RecordId;
use crate::indicator::{
    Measure, Observation, ReportingUnit, StatedPercentage, UnitLevel, catalogue,
};
use crate::model::{LEVELS_SEEN, Model, ModelField, ModelKind, ModelStatus, Recognition};
use crate::number::Decimal;
use crate::period::{Period, Window};
use crate::province::{Province, ProvinceRef, registry};
use crate::text::Text;
use crate::unit::Unit;

/// The first and last day generated records fall on.
const FIRST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2016, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 10, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// How a generated dataset is split between kinds, in percent of all records.
const DIRECTIVE_SHARE: usize = 8;
const OBSERVATION_SHARE: usize = 45;
const CONFERENCE_SHARE: usize = 22;

/// Produces `total` records from `seed`. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Generator {
    seed: u64,
    directives: usize,
    observations: usize,
    conferences: usize,
    models: usize,
}

impl Generator {
    /// A generator of `total` records in all.
    pub fn new(total: usize, seed: u64) -> Generator {
        let directives = (total * DIRECTIVE_SHARE / 100).max(usize::from(total >= 4));
        let observations = total * OBSERVATION_SHARE / 100;
        let conferences = total * CONFERENCE_SHARE / 100;
        let models = total - directives - observations - conferences;
        Generator {
            seed,
            directives,
            observations,
            conferences,
            models,
        }
    }

    /// How many records of each kind: directives, observations, conferences, models.
    pub fn counts(&self) -> [usize; 4] {
        [
            self.directives,
            self.observations,
            self.conferences,
            self.models,
        ]
    }

    /// Every record, referenced kinds first, so that a store can take them in order: the
    /// [`units`](Self::units), then the records counted in `total`.
    pub fn records(&self) -> impl Iterator<Item = AnyRecord> + '_ {
        self.units()
            .into_iter()
            .map(AnyRecord::Unit)
            .chain((0..self.directives).map(|i| AnyRecord::Directive(self.directive(i))))
            .chain(self.after_directives())
    }

    /// The registry of reporting units the generated figures name: for every province slug on
    /// either side of the merger, its emulation clusters, numbered from 1 to the highest
    /// number an observation gives one (see [`observation`](Self::observation)). Not counted
    /// in `total`.
    pub fn units(&self) -> Vec<Unit> {
        let k_max = self.observations + (self.seed % 65_536) as usize;
        let round_max = k_max / catalogue().len() / 33 / 63;
        let clusters = round_max * 2 + 1;
        if self.observations == 0 {
            return Vec::new();
        }
        let mut slugs: Vec<&'static str> = registry().all().iter().map(|p| p.slug).collect();
        slugs.sort_unstable();
        slugs.dedup();
        let mut out = Vec::with_capacity(slugs.len() * clusters);
        for slug in slugs {
            for n in 1..=clusters {
                out.push(Unit::new(
                    RecordId::derive(["cum", slug, &n.to_string()]),
                    format!("Cụm thi đua số {n}"),
                    UnitLevel::Cluster,
                    Some(ProvinceRef::new(slug)),
                ));
            }
        }
        out
    }

    /// Every record in batches of at most `size` that a store can import one after another,
    /// each referring only to records of its own or earlier batches: as
    /// [`records`](Self::records), except that a directive whose review was held at a
    /// conference (which is generated after it) first comes without that review and comes
    /// again, whole, after everything else. So the directives reviewed at a conference are
    /// written twice: created, then updated; the updates start a batch of their own, so no
    /// batch holds a record twice, however large.
    pub fn batches(&self, size: usize) -> impl Iterator<Item = Vec<AnyRecord>> + '_ {
        let first = (0..self.directives)
            .map(|i| AnyRecord::Directive(self.directive_without_reviews(i)))
            .chain(self.after_directives());
        let updates = (0..self.directives)
            .filter(|&i| self.reviewing_conference(i).is_some())
            .map(|i| AnyRecord::Directive(self.directive(i)));
        let units = self.units().into_iter().map(AnyRecord::Unit);
        chunks(units.chain(first), size).chain(chunks(updates, size))
    }

    /// The records of the kinds after directives, in order.
    fn after_directives(&self) -> impl Iterator<Item = AnyRecord> + '_ {
        (0..self.observations)
            .map(|i| AnyRecord::Observation(self.observation(i)))
            .chain((0..self.conferences).map(|i| AnyRecord::Conference(self.conference(i))))
            .chain((0..self.models).map(|i| AnyRecord::Model(self.model(i))))
    }

    fn rng(&self, kind: u64, index: usize) -> Rng {
        Rng::new(
            self.seed
                ^ kind.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ (index as u64).wrapping_mul(0xD1B5_4A32_D192_ED03),
        )
    }

    /// Directive-review conferences are every fourth conference; conference `4k` reviews
    /// directive `k`, and that directive's mid-term review is held at it.
    fn reviewing_conference(&self, directive: usize) -> Option<usize> {
        let j = directive * 4;
        (j < self.conferences).then_some(j)
    }

    /// The directive with index `i`.
    pub fn directive(&self, i: usize) -> Directive {
        let mut d = self.directive_without_reviews(i);
        if let Some(j) = self.reviewing_conference(i) {
            d.milestones[0].held = Some(Held {
                conference: Some(self.conference(j).id),
                ..Held::default()
            });
        }
        d
    }

    /// The directive with no milestone marked held: what its reviewing conference needs to
    /// know of it, without recursing back into the conference.
    fn directive_without_reviews(&self, i: usize) -> Directive {
        let mut r = self.rng(1, i);
        let issued = r.date(
            FIRST_DAY,
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or(LAST_DAY),
        );
        let province = (r.below(10) < 7).then(|| r.province_at(issued));
        let (doc_type, code) = *r.pick(&[
            (DocumentType::Resolution, "NQ"),
            (DocumentType::Directive, "CT"),
            (DocumentType::Plan, "KH"),
            (DocumentType::Scheme, "ĐA"),
            (DocumentType::Programme, "CTr"),
            (DocumentType::Conclusion, "KL"),
        ]);
        let issuer_code = if province.is_some() {
            *r.pick(&["TU", "BDVTU", "BTGDVTU"])
        } else {
            "TW"
        };
        let number =
            DocumentNumber::parse(&format!("{}-{code}/{issuer_code}", 1 + r.below(180))).ok();
        let issuer = match (province, issuer_code) {
            (Some(p), "TU") => format!("Ban Thường vụ Tỉnh ủy {}", p.name),
            (Some(p), "BDVTU") => format!("Ban Dân vận Tỉnh ủy {}", p.name),
            (Some(p), _) => format!("Ban Tuyên giáo và Dân vận Tỉnh ủy {}", p.name),
            (None, _) => "Ban Bí thư Trung ương Đảng".to_string(),
        };
        let start = issued.year();
        let end = start + 2 + r.below(4) as i32;
        let mid = start + (end - start) / 2;
        let milestones = vec![
            Milestone {
                kind: MilestoneKind::MidTerm,
                label: Some(Text::new(format!("sơ kết {} năm", mid - start + 1))),
                due: Due::Year(mid),
                province: None,
                held: None,
            },
            Milestone {
                kind: MilestoneKind::Final,
                label: Some(Text::new(format!("tổng kết {} năm", end - start + 1))),
                due: Due::Date(NaiveDate::from_ymd_opt(end, 11, 30).unwrap_or(LAST_DAY)),
                province: None,
                held: None,
            },
        ];
        let topic = r.pick(TOPICS);
        Directive {
            id: RecordId::derive([
                "dir",
                province.map_or("tw", |p| p.slug),
                &start.to_string(),
                &i.to_string(),
            ]),
            number,
            doc_type,
            issuer: Some(Text::new(issuer)),
            term: None,
            issued_on: Some(issued),
            title: Some(Text::new(format!("Về {topic} giai đoạn {start} - {end}"))),
            province: province.map(|p| ProvinceRef::new(p.slug)),
            phase: Some(Phase {
                start_year: start,
                end_year: end,
                horizon_year: (r.below(2) == 0).then_some(2030.max(end)),
            }),
            milestones,
            status: Some(DirectiveStatus::Active),
            superseded_by: None,
            ordinal: None,
            related: Vec::new(),
            note: None,
            inferred: Vec::new(),
        }
    }

    /// The observation with index `i`.
    ///
    /// Each index has its own figure key (indicator, province, unit, period): the index is read
    /// in mixed radix as indicator, period and province slot, and slots past the provinces of
    /// the time, and later rounds, become figures of emulation clusters in the province — so
    /// no two generated observations hold the same figure, as the store requires.
    pub fn observation(&self, i: usize) -> Observation {
        let mut r = self.rng(2, i);
        let defs = catalogue();
        let k = i + (self.seed % 65_536) as usize;
        let def = &defs[k % defs.len()];
        let rest = k / defs.len();
        let (slot, rest) = (rest % 33, rest / 33);
        let year = 2016 + (slot / 3) as i32;
        let period = match slot % 3 {
            0 => Period::year(year),
            1 => Period::half(year, 1),
            _ => Period::half(year, 2),
        }
        .expect("generated years 2016–2026 are in range");
        let (_, end) = period.date_range(Window::Calendar);
        let (province_slot, round) = (rest % 63, rest / 63);
        let units: Vec<&'static Province> = registry().valid_at(end.min(LAST_DAY)).collect();
        let province = units[province_slot % units.len()];
        let cluster = round * 2 + province_slot / units.len();
        let unit = (cluster > 0).then(|| ReportingUnit {
            name: Text::new(format!("Cụm thi đua số {cluster}")),
            level: UnitLevel::Cluster,
        });

        let mut o = Observation::new(
            RecordId::derive(["obs", province.slug, &period.to_string(), &i.to_string()]),
            def.id.clone(),
            period,
        );
        o.province = Some(ProvinceRef::new(province.slug));
        o.unit = unit;
        match def.measure {
            Measure::Ratio => {
                let d = 5 + r.below(3000) as u64;
                let n = d - (r.below(1 + d as usize / 10) as u64);
                o.numerator = Some(n);
                o.denominator = Some(d);
                if r.below(3) == 0 {
                    let pct = Decimal::percentage(n, d, 2).unwrap_or(Decimal::ZERO);
                    let text = if r.below(2) == 0 || n == d {
                        format!("{}%", pct.to_vietnamese(2))
                    } else {
                        // "trên 95%": the largest whole percent strictly below the figure.
                        let below = (n * 100 - 1) / d;
                        format!("trên {below}%")
                    };
                    o.stated = StatedPercentage::parse(&text)
                        .ok()
                        .filter(|s| s.agrees_with_ratio(n, d));
                }
            }
            Measure::Count => o.value = Some(Decimal::from_int(r.below(400) as i64)),
            Measure::Percent => o.value = Some(Decimal::new(6000 + r.below(3999) as i64, 2)),
            Measure::Score => o.value = Some(Decimal::new(3500 + r.below(1500) as i64, 2)),
        }
        if r.below(4) == 0 {
            o.source = Some(Source {
                url: Some(format!(
                    "https://dvt.{}.example.vn/bao-cao/{}",
                    province.slug, o.id
                )),
                title: Some(Text::new(format!("Báo cáo {}", period.to_vietnamese()))),
                published_at: Some(end),
                ..Source::default()
            });
        }
        o
    }

    /// The conference with index `j`.
    pub fn conference(&self, j: usize) -> Conference {
        let mut r = self.rng(3, j);
        let reviews_directive = j.is_multiple_of(4) && j / 4 < self.directives;
        let (date, province, reviewed_directives) = if reviews_directive {
            self.directive_review_setting(&mut r, j / 4)
        } else {
            let date = r.date(FIRST_DAY, LAST_DAY);
            (date, r.province_at(date), Vec::new())
        };
        let mut kinds = vec![if reviews_directive {
            ConferenceKind::DirectiveReview
        } else {
            *r.pick(&[
                ConferenceKind::SixMonthReview,
                ConferenceKind::AnnualReview,
                ConferenceKind::Thematic,
                ConferenceKind::Workshop,
                ConferenceKind::Dialogue,
                ConferenceKind::Training,
            ])
        }];
        let reviewed_period = reviewed_period_of(kinds[0], date);
        if kinds[0] == ConferenceKind::AnnualReview && r.below(5) == 0 {
            kinds.push(ConferenceKind::Thematic);
        }
        let body = *r.pick(&[
            "Ban Dân vận Tỉnh ủy",
            "Ban Thường vụ Tỉnh ủy",
            "Ban Tuyên giáo và Dân vận Tỉnh ủy",
            "Ủy ban nhân dân tỉnh",
        ]);
        let host = format!("{body} {}", province.name);
        let title = conference_title(&mut r, kinds[0], reviewed_period, date);
        let format = conference_format(&mut r);
        let figures = if self.observations > 0 && r.below(3) == 0 {
            let mut v: Vec<RecordId> = (0..1 + r.below(3))
                .map(|_| self.observation(r.below(self.observations)).id)
                .collect();
            v.sort();
            v.dedup();
            v
        } else {
            Vec::new()
        };
        Conference {
            id: RecordId::derive(["conf", province.slug, &date.to_string(), &j.to_string()]),
            kinds,
            title: Text::new(title),
            date,
            date_precision: crate::conference::DatePrecision::Exact,
            part_of_day: None,
            end_date: (r.below(8) == 0).then(|| date + Duration::days(1)),
            province: Some(ProvinceRef::new(province.slug)),
            hosts: vec![Text::new(&host)],
            chairs: (0..1 + r.below(2))
                .map(|_| Person {
                    name: Text::new(r.name()),
                    position: Some(Text::new(*r.pick(POSITIONS))),
                })
                .collect(),
            attendees: Vec::new(),
            participating_units: (0..r.below(4)).map(|_| Text::new(r.unit())).collect(),
            emulation_cluster: (r.below(6) == 0)
                .then(|| Text::new(format!("Cụm thi đua số {}", 1 + r.below(8)))),
            format: Some(format),
            connection_points: Vec::new(),
            location: Some(Text::new(format!("Hội trường {}", host))),
            reviewed_period,
            reviewed_directives,
            figures,
            results: Vec::new(),
            shortcomings: Vec::new(),
            discussion: Vec::new(),
            note: None,
            inferred: Vec::new(),
            conclusions: (0..r.below(3))
                .map(|_| Text::new(format!("Tiếp tục {}", r.pick(TOPICS))))
                .collect(),
            tasks: (0..r.below(3))
                .map(|_| Text::new(format!("Đẩy mạnh {}", r.pick(TOPICS))))
                .collect(),
            commendations: if r.below(4) == 0 {
                vec![Commendation {
                    award: Text::new("Bằng khen"),
                    awarded_by: Some(Text::new(format!(
                        "Ban Thường vụ Tỉnh ủy {}",
                        province.name
                    ))),
                    reason: None,
                    collectives: 1 + r.below(15) as u32,
                    individuals: r.below(20) as u32,
                }]
            } else {
                Vec::new()
            },
            sources: Vec::new(),
        }
    }

    /// When, where and which directive a conference reviewing directive `d` is held: in the
    /// directive's mid-term year, in its province, after it was issued.
    fn directive_review_setting(
        &self,
        r: &mut Rng,
        d: usize,
    ) -> (NaiveDate, &'static Province, Vec<RecordId>) {
        let d = self.directive_without_reviews(d);
        let issued = d.issued_on.unwrap_or(FIRST_DAY);
        let mid = d.milestones[0].due.deadline();
        let date = r.date(
            issued.max(mid - Duration::days(200)),
            mid.min(LAST_DAY).max(issued),
        );
        let province = match &d.province {
            Some(p) => p.at(date).unwrap_or_else(|_| r.province_at(date)),
            None => r.province_at(date),
        };
        (date, province, vec![d.id])
    }

    /// The model with index `i`.
    pub fn model(&self, i: usize) -> Model {
        let mut r = self.rng(4, i);
        let start_year = 2016 + r.below(11) as i32;
        let province = r.province_at(
            NaiveDate::from_ymd_opt(start_year, 6, 1)
                .unwrap_or(LAST_DAY)
                .min(LAST_DAY),
        );
        let field = *r.pick(&ModelField::ALL[..4]);
        let recognition = (r.below(3) == 0).then(|| {
            let year = (start_year + r.below(3) as i32).min(2026);
            let date = r.date(
                NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(FIRST_DAY),
                NaiveDate::from_ymd_opt(year, 12, 31)
                    .unwrap_or(LAST_DAY)
                    .min(LAST_DAY),
            );
            Recognition {
                date,
                decision: DocumentNumber::parse(&format!("{}/QĐ-UBND", 100 + r.below(3000))).ok(),
                level: Text::new(*r.pick(LEVELS_SEEN)),
                by: None,
            }
        });
        let unit = r.unit();
        Model {
            id: RecordId::derive([
                "model",
                province.slug,
                &start_year.to_string(),
                &i.to_string(),
            ]),
            name: Text::new(format!("Dân vận khéo trong {}", r.pick(ACTIVITIES))),
            province: ProvinceRef::new(province.slug),
            owning_unit: Some(Text::new(unit)),
            field: Some(field),
            kind: if r.below(5) == 0 {
                ModelKind::Individual
            } else {
                ModelKind::Collective
            },
            start_year: Some(start_year),
            status: *r.pick(&[
                ModelStatus::Registered,
                ModelStatus::Effective,
                ModelStatus::Effective,
                ModelStatus::Discontinued,
            ]),
            recognition,
            description: None,
            inferred: Vec::new(),
        }
    }
}

/// The period a review conference of `kind` held on `date` reviews: the half or year just
/// ended (a six-month review from June on reviews the first half, before June the last one).
fn reviewed_period_of(kind: ConferenceKind, date: NaiveDate) -> Option<Period> {
    match kind {
        ConferenceKind::SixMonthReview => {
            let (y, h) = if date.month() >= 6 {
                (date.year(), 1)
            } else {
                (date.year() - 1, 2)
            };
            Period::half(y, h).ok()
        }
        ConferenceKind::AnnualReview => {
            let y = if date.month() >= 11 {
                date.year()
            } else {
                date.year() - 1
            };
            Period::year(y).ok()
        }
        _ => None,
    }
}

/// A conference title as offices write them, for its first kind.
fn conference_title(
    r: &mut Rng,
    kind: ConferenceKind,
    reviewed_period: Option<Period>,
    date: NaiveDate,
) -> String {
    match (kind, reviewed_period) {
        (ConferenceKind::SixMonthReview | ConferenceKind::AnnualReview, Some(p)) => {
            format!(
                "Hội nghị {} công tác dân vận {}",
                if p.kind() == crate::period::PeriodKind::Half {
                    "sơ kết"
                } else {
                    "tổng kết"
                },
                p.to_vietnamese()
            )
        }
        (ConferenceKind::DirectiveReview, _) => {
            format!("Hội nghị sơ kết thực hiện {}", r.pick(TOPICS))
        }
        (ConferenceKind::Workshop, _) => {
            format!("Hội thảo khoa học \"{}\"", capitalise(r.pick(TOPICS)))
        }
        (ConferenceKind::Dialogue, _) => format!(
            "Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với {}",
            r.pick(&[
                "Nhân dân",
                "đoàn viên, thanh niên",
                "hội viên nông dân",
                "công nhân lao động"
            ])
        ),
        (ConferenceKind::Training, _) => format!(
            "Lớp tập huấn nghiệp vụ công tác dân vận năm {}",
            date.year()
        ),
        _ => format!("Hội nghị chuyên đề về {}", r.pick(TOPICS)),
    }
}

/// In person, online or hybrid, with a number of connection points.
fn conference_format(r: &mut Rng) -> Format {
    match r.below(3) {
        0 => Format::InPerson,
        1 => Format::Online {
            connection_points: Some(1 + r.below(150) as u32),
        },
        _ => Format::Hybrid {
            connection_points: Some(1 + r.below(40) as u32),
        },
    }
}

fn capitalise(s: &&str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

const TOPICS: &[&str] = &[
    "tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận",
    "nâng cao chất lượng phong trào thi đua \"Dân vận khéo\"",
    "thực hiện Quy chế dân chủ ở cơ sở",
    "công tác dân vận của chính quyền các cấp",
    "đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân",
    "công tác dân vận trong đồng bào dân tộc thiểu số",
    "công tác dân vận trong xây dựng nông thôn mới",
    "công tác tôn giáo",
    "giải quyết khiếu nại, tố cáo của công dân",
    "cải cách hành chính, cơ chế một cửa, một cửa liên thông",
];

const ACTIVITIES: &[&str] = &[
    "xây dựng nông thôn mới",
    "phát triển kinh tế hộ gia đình",
    "giữ gìn an ninh trật tự thôn, xóm",
    "bảo vệ môi trường",
    "hiến đất làm đường giao thông nông thôn",
    "chuyển đổi số",
    "giảm nghèo bền vững",
    "xây dựng khu dân cư văn hóa",
    "hòa giải ở cơ sở",
    "vận động đồng bào theo đạo làm ăn sinh sống tốt đời đẹp đạo",
    "phòng, chống tệ nạn xã hội",
    "cải cách thủ tục hành chính",
];

const POSITIONS: &[&str] = &[
    "Phó Bí thư Thường trực Tỉnh ủy",
    "Trưởng Ban Dân vận Tỉnh ủy",
    "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
    "Phó Trưởng Ban Dân vận Tỉnh ủy",
    "Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Phó Chủ tịch Ủy ban nhân dân tỉnh",
];

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Hà", "Lò", "Triệu",
];
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Hồng", "Xuân", "Thu", "Hữu", "Kim",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Hương",
    "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo",
    "Thủy", "Trang", "Tuấn", "Việt", "Yến", "Đông",
];
const UNITS: &[&str] = &[
    "Hội Nông dân",
    "Hội Liên hiệp Phụ nữ",
    "Đoàn Thanh niên",
    "Hội Cựu chiến binh",
    "Mặt trận Tổ quốc",
    "Công an",
    "Đảng ủy",
    "Ủy ban nhân dân",
];
const PLACES: &[&str] = &[
    "Tân Lập",
    "Phúc Xuân",
    "Đồng Tâm",
    "Hòa Bình",
    "Quyết Thắng",
    "Thịnh Đức",
    "Bình Minh",
    "Tân Cương",
    "Yên Lạc",
    "Đại Phúc",
    "An Khánh",
    "Thủy An",
    "Hoà Lạc",
    "Nghĩa Đô",
    "Phú Lương",
];

/// SplitMix64: tiny, fast, and good enough to spread generated data; not for cryptography.
#[derive(Debug, Clone)]
struct Rng(u64);

/// `items` in vectors of at most `size` (at least one).
fn chunks<T>(mut items: impl Iterator<Item = T>, size: usize) -> impl Iterator<Item = Vec<T>> {
    let size = size.max(1);
    std::iter::from_fn(move || {
        let chunk: Vec<T> = items.by_ref().take(size).collect();
        (!chunk.is_empty()).then_some(chunk)
    })
}

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut r = Rng(seed);
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` ≥ 1).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn date(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0) as usize;
        from + Duration::days(self.below(span + 1) as i64)
    }

    fn province_at(&mut self, date: NaiveDate) -> &'static Province {
        let units: Vec<&'static Province> = registry().valid_at(date).collect();
        units[self.below(units.len())]
    }

    fn name(&mut self) -> String {
        format!(
            "{} {} {}",
            self.pick(SURNAMES),
            self.pick(MIDDLE),
            self.pick(GIVEN)
        )
    }

    fn unit(&mut self) -> String {
        let level = *self.pick(&["xã", "phường", "thôn"]);
        format!("{} {level} {}", self.pick(UNITS), self.pick(PLACES))
    }
}

/// The reporting cycle of a whole country in `period` (a half-year): in each of today's 34
/// provinces `units` communes and a six-month form for them due 15 days before the period's
/// end, with every second commune's report sent at `sent` — the store the national
/// completeness view is measured on (`cargo xtask bench cycle`, `cargo xtask bench http`).
///
/// ```
/// use danvan_core::generate::national_cycle;
/// let at = chrono::NaiveDate::from_ymd_opt(2025, 12, 10).unwrap().and_hms_opt(9, 0, 0).unwrap();
/// let d = national_cycle(4, "2025S2".parse().unwrap(), at);
/// assert_eq!((d.units.len(), d.forms.len(), d.submissions.len()), (34 * 4, 34, 34 * 2));
/// ```
pub fn national_cycle(
    units: usize,
    period: Period,
    sent: chrono::NaiveDateTime,
) -> crate::dataset::Dataset {
    use crate::cycle::{Action, ReportForm, Submission};
    let (_, end) = period.date_range(Window::Calendar);
    let mut d = crate::dataset::Dataset::default();
    for p in crate::province::registry().valid_at(end) {
        let form: ReportForm = serde_json::from_value(serde_json::json!({
            "id": format!("{}-6-thang-xa", p.slug), "name": "Báo cáo công tác dân vận 6 tháng",
            "province": p.slug, "period_kind": "half", "level": "commune",
            "indicators": ["dialogues_held"], "due_days_after_end": -15
        }))
        .expect("a valid form");
        for i in 0..units {
            let unit: crate::unit::Unit = serde_json::from_value(serde_json::json!({
                "id": format!("{}-xa-{i}", p.slug), "name": format!("xã Số {i}"),
                "level": "commune", "province": p.slug, "from": "2025-07-01"
            }))
            .expect("a valid unit");
            if i % 2 == 0 {
                let mut s = Submission::new(
                    RecordId::new(format!(
                        "{}-xa-{i}-{}",
                        p.slug,
                        period.to_string().to_lowercase()
                    ))
                    .expect("a valid ID"),
                    &form,
                    1,
                    Some(unit.id.clone()),
                    crate::province::ProvinceRef::new(p.slug),
                    period,
                );
                s.step(Action::Send, "xa", sent, None, true)
                    .expect("a draft can be sent");
                d.submissions.push(s);
            }
            d.units.push(unit);
        }
        d.forms.push(form);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Dataset;
    use crate::record_kind::RecordKind;
    use crate::validate::Severity;

    #[test]
    fn generated_data_is_valid_and_deterministic() {
        let g = Generator::new(3000, 7);
        let dataset = Dataset::from_records(g.records());
        assert_eq!(dataset.len(), 3000 + dataset.units.len());
        assert!(!dataset.units.is_empty());
        let errors: Vec<String> = dataset
            .validate()
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| p.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{} errors, first: {:#?}",
            errors.len(),
            &errors[..errors.len().min(10)]
        );
        let again = Dataset::from_records(Generator::new(3000, 7).records());
        assert_eq!(dataset, again);
        let other = Dataset::from_records(Generator::new(3000, 8).records());
        assert_ne!(dataset, other);
    }

    /// Batches refer only to records of their own or earlier batches, and leave every
    /// record as `records` gives it.
    #[test]
    fn batches_import_one_after_another_into_the_records() {
        use std::collections::{HashMap, HashSet};
        let g = Generator::new(5000, 3);
        let mut seen: HashSet<(RecordKind, String)> = HashSet::new();
        let mut last: HashMap<(RecordKind, String), AnyRecord> = HashMap::new();
        let mut batches = 0;
        for batch in g.batches(300) {
            batches += 1;
            assert!(batch.len() <= 300);
            let key = |r: &AnyRecord| (r.kind(), r.id().to_string());
            seen.extend(batch.iter().map(key));
            for r in &batch {
                for reference in r.as_ref().references() {
                    let target = (reference.kind, reference.id.to_string());
                    let builtin = reference.kind == RecordKind::Indicator;
                    assert!(
                        builtin || seen.contains(&target),
                        "{:?} {} refers to {target:?} ahead of it",
                        r.kind(),
                        r.id()
                    );
                }
            }
            last.extend(batch.into_iter().map(|r| (key(&r), r)));
        }
        assert!(batches > 5000 / 300);
        // However large the batches, none holds a record twice.
        for batch in g.batches(1_000_000) {
            let keys: HashSet<(RecordKind, String)> = batch
                .iter()
                .map(|r| (r.kind(), r.id().to_string()))
                .collect();
            assert_eq!(keys.len(), batch.len());
        }
        let records: Vec<AnyRecord> = g.records().collect();
        assert_eq!(last.len(), records.len());
        for r in records {
            assert_eq!(last.get(&(r.kind(), r.id().to_string())), Some(&r));
        }
    }

    #[test]
    fn covers_both_sides_of_the_merger() {
        let g = Generator::new(4000, 1);
        let d = Dataset::from_records(g.records());
        let after = d
            .conferences
            .iter()
            .filter(|c| c.date >= crate::province::MERGER_DATE)
            .count();
        let before = d.conferences.len() - after;
        assert!(after > 50 && before > 300, "{before} before, {after} after");
        let provinces: std::collections::HashSet<_> = d
            .conferences
            .iter()
            .filter_map(|c| c.province.clone())
            .collect();
        assert!(provinces.len() > 60, "{} provinces", provinces.len());
    }
}
