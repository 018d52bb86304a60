//! The sentences of a report, one function per kind of sentence, each tested word for word in
//! `tests/it/sentences.rs`: records in, exact sentence out.

use crate::glossary;
use danvan_core::conference::{ConferenceKind, DatePrecision, Format};
use danvan_core::directive::{HeldOn, MilestoneKind};
use danvan_core::indicator::Direction;
use danvan_core::number::Decimal;

use super::{Citations, Words, capitalise, lower_first, plural, sentence};
use crate::data::{ConferenceLine, DirectiveLine, IndicatorRow, ModelTotals, Status};
use crate::doc::Lang;

/// The order kinds are named in: the form of the event first ("hội nghị chuyên đề"), then what
/// it also did ("kết hợp sơ kết công tác dân vận 6 tháng").
fn naming_rank(k: ConferenceKind) -> usize {
    match k {
        ConferenceKind::Thematic => 0,
        ConferenceKind::Dialogue => 1,
        ConferenceKind::Workshop => 2,
        ConferenceKind::Training => 3,
        ConferenceKind::Briefing => 4,
        ConferenceKind::RoundTable => 5,
        ConferenceKind::Commemoration => 6,
        ConferenceKind::Honouring => 7,
        ConferenceKind::SixMonthReview => 8,
        ConferenceKind::AnnualReview => 9,
        ConferenceKind::DirectiveReview => 10,
    }
}

/// The event a kind names when it comes first: "hội nghị chuyên đề", "lớp tập huấn".
fn head_vi(k: ConferenceKind) -> &'static str {
    match k {
        ConferenceKind::Thematic => "hội nghị chuyên đề",
        ConferenceKind::Dialogue => "hội nghị đối thoại",
        ConferenceKind::Workshop => "hội thảo khoa học",
        ConferenceKind::Training => "lớp tập huấn",
        ConferenceKind::Briefing => "hội nghị giao ban",
        ConferenceKind::RoundTable => "buổi tọa đàm",
        ConferenceKind::Commemoration => "lễ kỷ niệm, họp mặt",
        ConferenceKind::Honouring => "hội nghị tuyên dương, biểu dương",
        ConferenceKind::SixMonthReview => "hội nghị sơ kết công tác dân vận 6 tháng",
        ConferenceKind::AnnualReview => "hội nghị tổng kết công tác dân vận năm",
        ConferenceKind::DirectiveReview => "hội nghị sơ kết, tổng kết việc thực hiện văn bản",
    }
}

/// What a kind adds when it follows "kết hợp": "sơ kết công tác dân vận 6 tháng".
fn content_vi(k: ConferenceKind) -> &'static str {
    match k {
        ConferenceKind::Thematic => "chuyên đề",
        ConferenceKind::Dialogue => "đối thoại",
        ConferenceKind::Workshop => "hội thảo",
        ConferenceKind::Training => "tập huấn",
        ConferenceKind::Briefing => "giao ban",
        ConferenceKind::RoundTable => "tọa đàm",
        ConferenceKind::Commemoration => "kỷ niệm, họp mặt",
        ConferenceKind::Honouring => "tuyên dương, biểu dương",
        ConferenceKind::SixMonthReview => "sơ kết công tác dân vận 6 tháng",
        ConferenceKind::AnnualReview => "tổng kết công tác dân vận năm",
        ConferenceKind::DirectiveReview => "sơ kết, tổng kết việc thực hiện văn bản",
    }
}

fn head_en(k: ConferenceKind, many: bool) -> &'static str {
    match (k, many) {
        (ConferenceKind::Thematic, false) => "thematic conference",
        (ConferenceKind::Thematic, true) => "thematic conferences",
        (ConferenceKind::Dialogue, false) => "dialogue",
        (ConferenceKind::Dialogue, true) => "dialogues",
        (ConferenceKind::Workshop, false) => "scientific workshop",
        (ConferenceKind::Workshop, true) => "scientific workshops",
        (ConferenceKind::Training, false) => "training course",
        (ConferenceKind::Training, true) => "training courses",
        (ConferenceKind::Briefing, false) => "briefing",
        (ConferenceKind::Briefing, true) => "briefings",
        (ConferenceKind::RoundTable, false) => "round table",
        (ConferenceKind::RoundTable, true) => "round tables",
        (ConferenceKind::Commemoration, false) => "commemoration",
        (ConferenceKind::Commemoration, true) => "commemorations",
        (ConferenceKind::Honouring, false) => "honouring ceremony",
        (ConferenceKind::Honouring, true) => "honouring ceremonies",
        (ConferenceKind::SixMonthReview, false) => "six-month review conference",
        (ConferenceKind::SixMonthReview, true) => "six-month review conferences",
        (ConferenceKind::AnnualReview, false) => "annual review conference",
        (ConferenceKind::AnnualReview, true) => "annual review conferences",
        (ConferenceKind::DirectiveReview, false) => "directive review conference",
        (ConferenceKind::DirectiveReview, true) => "directive review conferences",
    }
}

fn content_en(k: ConferenceKind) -> &'static str {
    match k {
        ConferenceKind::Thematic => "a thematic session",
        ConferenceKind::Dialogue => "a dialogue",
        ConferenceKind::Workshop => "a workshop",
        ConferenceKind::Training => "training",
        ConferenceKind::Briefing => "a briefing",
        ConferenceKind::RoundTable => "a round table",
        ConferenceKind::Commemoration => "a commemoration",
        ConferenceKind::Honouring => "the honouring of models and exemplars",
        ConferenceKind::SixMonthReview => "the six-month review",
        ConferenceKind::AnnualReview => "the annual review",
        ConferenceKind::DirectiveReview => "a directive review",
    }
}

/// The name of a combination of kinds, as a count precedes it: "hội nghị chuyên đề kết hợp sơ
/// kết công tác dân vận 6 tháng" ("thematic conference combined with the six-month review").
pub(super) fn group_name(kinds: &[ConferenceKind], count: usize, w: Words) -> String {
    let mut kinds = kinds.to_vec();
    kinds.sort_by_key(|k| naming_rank(*k));
    let Some((first, rest)) = kinds.split_first() else {
        return w.t("hội nghị", "conferences").to_string();
    };
    match w.0 {
        Lang::Vi => {
            let mut s = head_vi(*first).to_string();
            if !rest.is_empty() {
                let rest: Vec<&str> = rest.iter().map(|k| content_vi(*k)).collect();
                s.push_str(" kết hợp ");
                s.push_str(&rest.join(" và "));
            }
            s
        }
        Lang::En => {
            let mut s = head_en(*first, count != 1).to_string();
            if !rest.is_empty() {
                let rest: Vec<&str> = rest.iter().map(|k| content_en(*k)).collect();
                s.push_str(" combined with ");
                s.push_str(&rest.join(" and "));
            }
            s
        }
    }
}

/// "đồng chí Nguyễn Văn A, Phó Bí thư Thường trực Tỉnh ủy" ("Nguyễn Văn A (…)" in English).
fn person(p: &danvan_core::conference::Person, w: Words) -> String {
    match (w.0, &p.position) {
        (Lang::Vi, Some(pos)) => format!("{}, {pos}", p.name),
        (Lang::En, Some(pos)) => format!("{} ({pos})", p.name),
        (_, None) => p.name.to_string(),
    }
}

/// One conference in a sentence: when, who held it, what, who chaired, where and how, and the
/// commendations awarded.
pub(super) fn conference_sentence(c: &ConferenceLine, w: Words) -> String {
    match w.0 {
        Lang::Vi => conference_vi(c, w),
        Lang::En => conference_en(c, w),
    }
}

fn conference_vi(c: &ConferenceLine, w: Words) -> String {
    let mut when = match c.date_precision {
        DatePrecision::Month => format!("Tháng {}", c.date.format("%-m/%Y")),
        DatePrecision::Published => format!("Ngày {} (ngày đưa tin)", w.date(c.date)),
        _ => format!("Ngày {}", w.date(c.date)),
    };
    if let Some(m) = &c.date_inferred {
        when.push_str(&format!(" ({})", m.to_vietnamese()));
    }
    let hosts = match c.hosts.as_slice() {
        [] => String::new(),
        [one] => format!(" {one}"),
        [first, rest @ ..] => format!(" {first} phối hợp với {}", rest.join(", ")),
    };
    let mut s = format!("{when},{hosts} tổ chức {}", lower_first(&c.title));
    if let Some(cluster) = &c.cluster {
        s.push_str(&format!(" ({cluster})"));
    }
    if let Some(location) = &c.location {
        s.push_str(&format!(" tại {location}"));
    }
    match c.chairs.as_slice() {
        [] => {}
        [one] => s.push_str(&format!("; đồng chí {} chủ trì", person(one, w))),
        many => {
            let names: Vec<String> = many.iter().map(|p| person(p, w)).collect();
            s.push_str(&format!(
                "; các đồng chí: {} đồng chủ trì",
                names.join("; ")
            ));
        }
    }
    match c.format.map(|f| (f, f.connection_points())) {
        None | Some((Format::InPerson, _)) => {}
        Some((f, Some(n))) => s.push_str(&format!(
            "; hình thức {} đến {} điểm cầu",
            f.name_vi(),
            w.n(u64::from(n))
        )),
        Some((f, None)) => s.push_str(&format!("; hình thức {}", f.name_vi())),
    }
    if !c.connection_points.is_empty() {
        let tiers: Vec<String> = c.connection_points.iter().map(tier_vi).collect();
        s.push_str(&match c.format {
            Some(_) => format!(" ({})", tiers.join(", ")),
            None => format!("; các điểm cầu: {}", tiers.join(", ")),
        });
    }
    s.push('.');
    for k in &c.commendations {
        let whom = recipients(k.collectives, k.individuals, w);
        let reason = k
            .reason
            .as_ref()
            .map_or_else(String::new, |r| format!(" {}", lower_first(r)));
        s.push_str(&match &k.awarded_by {
            Some(by) => format!(" Dịp này, {by} tặng {} cho {whom}{reason}.", k.award),
            None => format!(" Dịp này, {whom} được tặng {}{reason}.", k.award),
        });
    }
    s
}

/// "01 điểm cầu Trung ương", "40 điểm cầu cấp tỉnh (…)": a tier as a report writes it, counts
/// padded like the report's other counts.
fn tier_vi(p: &danvan_core::conference::ConnectionPoints) -> String {
    let whole = p.to_vietnamese();
    match p.count {
        Some(n) if n < 10 => format!("0{whole}"),
        _ => whole,
    }
}

/// "08 tập thể và 12 cá nhân" ("8 collectives and 12 individuals").
fn recipients(collectives: u32, individuals: u32, w: Words) -> String {
    let parts: Vec<String> = match w.0 {
        Lang::Vi => [(collectives, "tập thể"), (individuals, "cá nhân")]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{} {what}", w.n(u64::from(*n))))
            .collect(),
        Lang::En => [
            (collectives, "collective", "collectives"),
            (individuals, "individual", "individuals"),
        ]
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| plural(w, u64::from(*n), one, many))
        .collect(),
    };
    parts.join(w.t(" và ", " and "))
}

fn conference_en(c: &ConferenceLine, w: Words) -> String {
    let mut when = match c.date_precision {
        DatePrecision::Month => format!("In {}", c.date.format("%B %Y")),
        DatePrecision::Published => format!("On or shortly before {}", w.date(c.date)),
        _ => format!("On {}", w.date(c.date)),
    };
    if let Some(m) = &c.date_inferred {
        when.push_str(&format!(" ({})", m.to_english()));
    }
    let hosts = if c.hosts.is_empty() {
        "the province".to_string()
    } else {
        let hosts: Vec<String> = c.hosts.iter().map(|h| glossary::body_en(h)).collect();
        super::join_en(&hosts)
    };
    let mut s = format!("{when}, {hosts} held “{}”", c.title);
    if let Some(cluster) = &c.cluster {
        s.push_str(&format!(" for {cluster}"));
    }
    if let Some(location) = &c.location {
        s.push_str(&format!(" in {location}"));
    }
    if !c.chairs.is_empty() {
        let names: Vec<String> = c.chairs.iter().map(|p| person(p, w)).collect();
        s.push_str(&format!(", chaired by {}", super::join_en(&names)));
    }
    match c.format.map(|f| (f, f.connection_points())) {
        None | Some((Format::InPerson, _)) => {}
        Some((Format::Online { .. }, Some(n))) => s.push_str(&format!(
            ", online with {}",
            plural(w, u64::from(n), "connection point", "connection points")
        )),
        Some((_, Some(n))) => s.push_str(&format!(
            ", in person and online with {}",
            plural(w, u64::from(n), "connection point", "connection points")
        )),
        Some((f, None)) => s.push_str(&format!(", {}", f.name_en())),
    }
    if !c.connection_points.is_empty() {
        let tiers: Vec<String> = c.connection_points.iter().map(|p| p.to_english()).collect();
        s.push_str(&match c.format {
            Some(_) => format!(" ({})", tiers.join(", ")),
            None => format!(", with {}", tiers.join(", ")),
        });
    }
    s.push('.');
    for k in &c.commendations {
        let whom = recipients(k.collectives, k.individuals, w);
        s.push_str(&match &k.awarded_by {
            Some(by) => format!(
                " {} awarded {} to {whom}.",
                capitalise(&glossary::body_en(by)),
                k.award
            ),
            None => format!(" {} went to {whom}.", capitalise(&k.award)),
        });
    }
    s
}

/// A review's name as a sentence writes it: "sơ kết 03 năm" (one digit padded, as in
/// administrative writing).
fn review_vi(d: &DirectiveLine) -> String {
    let name = d.review.as_deref().unwrap_or("sơ kết");
    let words: Vec<String> = name
        .split(' ')
        .map(|t| {
            if t.len() == 1 && t.chars().all(|c| c.is_ascii_digit()) {
                format!("0{t}")
            } else {
                t.to_string()
            }
        })
        .collect();
    let name = words.join(" ");
    // A bare kind reads "sơ kết việc thực hiện …"; a worded one "sơ kết 03 năm thực hiện …".
    if matches!(name.as_str(), "sơ kết" | "tổng kết" | "đánh giá") {
        format!("{name} việc")
    } else {
        name
    }
}

fn review_en(d: &DirectiveLine) -> &'static str {
    d.review_kind.map_or("review", MilestoneKind::name_en)
}

/// "ngày 12/6/2024", "trong 6 tháng đầu năm 2024" ("on 12 June 2024", "in the first half of
/// 2024").
fn held_when(d: &DirectiveLine, w: Words) -> String {
    let Some(on) = d.held_on.as_deref().and_then(|s| s.parse::<HeldOn>().ok()) else {
        return String::new();
    };
    match (w.0, on) {
        (Lang::Vi, HeldOn::Day(day)) => format!(" ngày {}", w.date(day)),
        (Lang::Vi, HeldOn::Within(p)) => format!(" trong {}", w.period(p)),
        (Lang::En, HeldOn::Day(day)) => format!(" on {}", w.date(day)),
        (Lang::En, HeldOn::Within(p)) => format!(" in {}", w.the_period(p)),
    }
}

/// A review held, as held: "Tổ chức sơ kết 03 năm thực hiện Kế hoạch số 24-KH/BDVTU, ngày …".
pub(super) fn review_held(d: &DirectiveLine, w: Words, cite: &Citations) -> String {
    let mut s = match w.0 {
        Lang::Vi => format!(
            "Tổ chức {} thực hiện {}{}.",
            review_vi(d),
            cite.cite(d, w),
            held_when(d, w)
        ),
        Lang::En => format!(
            "Held the {} of {}{}.",
            review_en(d),
            cite.cite(d, w),
            held_when(d, w)
        ),
    };
    if !d.findings.is_empty() {
        let found: Vec<String> = d
            .findings
            .iter()
            .map(|f| lower_first(f.trim_end_matches('.')))
            .collect();
        s.push_str(&match w.0 {
            Lang::Vi => format!(" Kết quả: {}.", found.join("; ")),
            Lang::En => format!(" It found: {}.", found.join("; ")),
        });
    }
    s
}

/// A review past its deadline and not held, called overdue.
pub(super) fn overdue(d: &DirectiveLine, w: Words, cite: &Citations) -> String {
    let deadline = d.deadline.map(|x| w.date(x));
    match w.0 {
        Lang::Vi => format!(
            "{} thực hiện {} chưa được tổ chức, đã quá hạn{}.",
            capitalise(&review_vi(d)),
            cite.cite(d, w),
            deadline.map_or_else(String::new, |x| format!(" {x}"))
        ),
        Lang::En => format!(
            "The {} of {} is overdue{}.",
            review_en(d),
            cite.cite(d, w),
            deadline.map_or_else(String::new, |x| format!(" (due {x})"))
        ),
    }
}

/// A review to hold in the next period.
pub(super) fn review_task(d: &DirectiveLine, w: Words, cite: &Citations) -> String {
    let deadline = d.deadline.map(|x| w.date(x));
    match w.0 {
        Lang::Vi => format!(
            "Tổ chức {} thực hiện {}{}.",
            review_vi(d),
            cite.cite(d, w),
            deadline.map_or_else(String::new, |x| format!(" (hạn {x})"))
        ),
        Lang::En => format!(
            "Hold the {} of {}{}.",
            review_en(d),
            cite.cite(d, w),
            deadline.map_or_else(String::new, |x| format!(" (due {x})"))
        ),
    }
}

/// The models on record: built (with the comparison period when it has any), effective,
/// recognised; a count nobody recorded is said to be missing, never zero.
pub(super) fn model_sentence(t: ModelTotals, w: Words) -> String {
    let n = |x: usize| w.n(x as u64);
    let mut parts = Vec::new();
    match w.0 {
        Lang::Vi => {
            parts.push(match (t.built, t.built_previous) {
                (0, _) => "chưa có số liệu về mô hình xây dựng mới trong kỳ".to_string(),
                (b, 0) => format!("xây dựng mới {} mô hình {}", n(b), w.dvk()),
                (b, p) => format!(
                    "xây dựng mới {} mô hình {} (cùng kỳ: {})",
                    n(b),
                    w.dvk(),
                    n(p)
                ),
            });
            if t.effective > 0 {
                parts.push(format!("{} mô hình đang phát huy hiệu quả", n(t.effective)));
            }
            if t.recognised > 0 {
                parts.push(format!(
                    "{} mô hình được công nhận trong kỳ",
                    n(t.recognised)
                ));
            }
            parts.extend(model_caveats(t, w));
            format!("Theo hồ sơ mô hình, {}.", parts.join("; "))
        }
        Lang::En => {
            parts.push(match (t.built, t.built_previous) {
                (0, _) => "no new model is on record for the period".to_string(),
                (b, 0) => plural(
                    w,
                    b as u64,
                    "new model was started",
                    "new models were started",
                ),
                (b, p) => format!(
                    "{} ({} a year earlier)",
                    plural(
                        w,
                        b as u64,
                        "new model was started",
                        "new models were started"
                    ),
                    w.count(p as u64)
                ),
            });
            if t.effective > 0 {
                parts.push(plural(
                    w,
                    t.effective as u64,
                    "model is effective",
                    "models are effective",
                ));
            }
            if t.recognised > 0 {
                parts.push(format!(
                    "{} in the period",
                    plural(w, t.recognised as u64, "was recognised", "were recognised")
                ));
            }
            parts.extend(model_caveats(t, w));
            format!("On the model records, {}.", parts.join("; "))
        }
    }
}

/// The period's commendations on record, one clause each: who gave what to whom, by which
/// decision, at which conference — recipients as recorded ("nhiều tập thể, cá nhân" stays
/// words, an unknown count is said to be unknown).
pub(super) fn awards_sentence(data: &crate::data::ReportData, w: Words) -> String {
    let conference_title = |id: &str| {
        data.conferences
            .items
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.title.clone())
    };
    let clauses: Vec<String> = data
        .awards
        .iter()
        .map(|a| {
            let whom = award_recipients(&a.recipients, w);
            let praise = a.form == Some(danvan_core::award::AwardForm::Praise);
            let what = match (&a.title, a.form, w.0) {
                (Some(t), _, _) => t.clone(),
                (None, Some(f), Lang::Vi) => f.name_vi().to_string(),
                (None, Some(f), Lang::En) => {
                    let name = f.name_en().to_lowercase();
                    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
                        "an"
                    } else {
                        "a"
                    };
                    format!("{article} {name}")
                }
                (None, None, Lang::Vi) => "khen thưởng".to_string(),
                (None, None, Lang::En) => "an award".to_string(),
            };
            let mut s = match (w.0, &a.awarded_by, praise && a.title.is_none()) {
                (Lang::Vi, Some(by), true) => format!("{by} biểu dương {whom}"),
                (Lang::Vi, None, true) => format!("{whom} được biểu dương"),
                (Lang::En, Some(by), true) => {
                    format!("{} praised {whom}", capitalise(&glossary::body_en(by)))
                }
                (Lang::En, None, true) => format!("{whom} were praised"),
                (Lang::Vi, Some(by), false) => format!("{by} tặng {what} cho {whom}"),
                (Lang::Vi, None, false) => format!("{whom} được tặng {what}"),
                (Lang::En, Some(by), false) => format!(
                    "{} awarded {what} to {whom}",
                    capitalise(&glossary::body_en(by))
                ),
                (Lang::En, None, false) => format!("{} went to {whom}", capitalise(&what)),
            };
            if let Some(n) = &a.decision {
                let day = a
                    .decided_on
                    .map(|d| match w.0 {
                        Lang::Vi => format!(" ngày {}", w.date(d)),
                        Lang::En => format!(" of {}", w.date(d)),
                    })
                    .unwrap_or_default();
                s.push_str(&match w.0 {
                    Lang::Vi => format!(" (Quyết định số {n}{day})"),
                    Lang::En => format!(" (decision {n}{day})"),
                });
            }
            if let Some(title) = a.conference.as_deref().and_then(conference_title) {
                s.push_str(&match w.0 {
                    Lang::Vi => format!(" tại {}", lower_first(&title)),
                    Lang::En => format!(" at “{title}”"),
                });
            }
            s
        })
        .collect();
    match w.0 {
        Lang::Vi => format!("Về khen thưởng, trong kỳ: {}.", clauses.join("; ")),
        Lang::En => format!("Commendations in the period: {}.", clauses.join("; ")),
    }
}

/// An award's recipients as a report writes them: "06 tập thể và 09 cá nhân (Hội Nông dân
/// xã Phúc Xuân, …)", "nhiều tập thể, cá nhân", or that the count is not on record.
fn award_recipients(r: &danvan_core::award::Recipients, w: Words) -> String {
    let counts = recipients(r.collectives.unwrap_or(0), r.individuals.unwrap_or(0), w);
    let names: Vec<&str> = r.named.iter().map(|p| p.name.as_str()).collect();
    let names = names.join(", ");
    match (counts.is_empty(), names.is_empty(), r.many, w.0) {
        (false, true, _, _) => counts,
        (false, false, _, Lang::Vi) => format!("{counts}, trong đó có {names}"),
        (false, false, _, Lang::En) => format!("{counts}, among them {names}"),
        (true, false, false, _) => names,
        (true, false, true, Lang::Vi) => format!("nhiều tập thể, cá nhân, trong đó có {names}"),
        (true, false, true, Lang::En) => {
            format!("many collectives and individuals, among them {names}")
        }
        (true, true, true, Lang::Vi) => "nhiều tập thể, cá nhân".to_string(),
        (true, true, true, Lang::En) => "many collectives and individuals".to_string(),
        (true, true, false, Lang::Vi) => {
            "tập thể, cá nhân (chưa có số liệu về số lượng)".to_string()
        }
        (true, true, false, Lang::En) => "recipients not on record".to_string(),
    }
}

/// What a reader must know of the model counts: how many new models have a start year that
/// was inferred, not stated; how many have none recorded and are counted in no period.
pub(super) fn model_caveats(t: ModelTotals, w: Words) -> Vec<String> {
    let n = |x: usize| w.n(x as u64);
    let mut parts = Vec::new();
    if t.built_inferred > 0 {
        parts.push(match w.0 {
            Lang::Vi => format!(
                "trong số mô hình xây dựng mới, {} mô hình có năm bắt đầu được suy ra, không do nguồn ghi",
                n(t.built_inferred)
            ),
            Lang::En => format!(
                "of the new models, {} a start year that was inferred, not stated by a source",
                plural(w, t.built_inferred as u64, "has", "have")
            ),
        });
    }
    if t.undated > 0 {
        parts.push(match w.0 {
            Lang::Vi => format!(
                "{} mô hình chưa rõ năm bắt đầu, không được tính vào số xây dựng mới và số phát huy hiệu quả",
                n(t.undated)
            ),
            Lang::En => format!(
                "{} no recorded start year and {} counted as new or effective in any period",
                plural(w, t.undated as u64, "model has", "models have"),
                if t.undated == 1 { "is not" } else { "are not" }
            ),
        });
    }
    parts
}

/// One sentence about an indicator: its figure (as stated, when that is all there is), its
/// coverage for the country, the change on the comparison period described without a
/// judgement, and the target met or not when there is one.
pub(super) fn indicator_sentence(row: &IndicatorRow, w: Words) -> String {
    let name = w.indicator_name(row);
    if !row.parts.is_empty() {
        return listed_sentence(row, w);
    }
    let Some(_) = row.value else {
        return match w.0 {
            Lang::Vi => format!(
                "{name}: chưa có số liệu kỳ này (cùng kỳ: {}).",
                w.figure(row.measure, row.previous)
            ),
            Lang::En => format!(
                "{name}: no figure this period ({} a year earlier).",
                w.figure(row.measure, row.previous)
            ),
        };
    };
    // A phase's figure is its last year's, named.
    let name = match row.span {
        Some([_, last]) => format!("{name} ({})", w.period(last)),
        None => name,
    };
    let mut s = match &row.level {
        // The whole level's own figure first, then the sum of its parts: never added together.
        Some(level) => level_and_parts(&name, row, level, w),
        None => format!("{name}: {}", w.row_result(row)),
    };
    s.push_str(&change_clause(row, w));
    if let Some(t) = row.target {
        let target = w.figure(row.measure, Some(t));
        s.push_str(&match (w.0, row.status) {
            (Lang::Vi, Status::OnTrack) => format!("; đạt chỉ tiêu đề ra ({target})"),
            (Lang::Vi, _) => format!("; chưa đạt chỉ tiêu đề ra ({target})"),
            (Lang::En, Status::OnTrack) => format!("; target of {target} met"),
            (Lang::En, _) => format!("; short of the target of {target}"),
        });
    }
    if let Some([with, of]) = row.coverage {
        s.push_str(&match w.0 {
            Lang::Vi => format!("; số liệu của {with}/{of} tỉnh, thành phố"),
            Lang::En => format!("; {with} of {of} provinces reporting"),
        });
    }
    s.push('.');
    s
}

/// "Name: theo báo cáo của Ban Dân vận Trung ương: 6.496; tổng hợp từ các tỉnh, thành phố:
/// 185 (chênh lệch 6.311)".
fn level_and_parts(
    name: &str,
    row: &IndicatorRow,
    level: &crate::data::LevelFigure,
    w: Words,
) -> String {
    let reporter = w.t(&level.reported_by, &level.reported_by_en);
    let own = match &level.stated {
        Some(stated) => format!("“{stated}”"),
        None => w.result(row.measure, level.ratio, level.value),
    };
    let parts = w.row_result(row);
    let gap = level
        .difference
        .filter(|d| *d != Decimal::ZERO)
        .map(|d| w.amount(row.measure, d));
    match w.0 {
        Lang::Vi => {
            let gap = gap.map_or_else(String::new, |d| format!(" (chênh lệch {d})"));
            format!(
                "{name}: theo báo cáo của {reporter}: {own}; tổng hợp từ các tỉnh, thành phố: {parts}{gap}"
            )
        }
        Lang::En => {
            let gap = gap.map_or_else(String::new, |d| format!(" (a difference of {d})"));
            format!(
                "{name}: {own} as reported by the {reporter}; {parts} summed from the provinces{gap}"
            )
        }
    }
}

/// ", tăng 3,82 điểm phần trăm so với cùng kỳ (91,05%)", over the same provinces; over the
/// common ones, saying which; or why there is no comparison.
fn change_clause(row: &IndicatorRow, w: Words) -> String {
    use crate::data::Comparison;
    match &row.comparison {
        Comparison::None => String::new(),
        Comparison::Same => row
            .change
            .map_or_else(String::new, |d| change_words(row, d, w)),
        Comparison::Common {
            units,
            of,
            ratio,
            value,
        } => {
            let names = province_names(units, w);
            let these = w.result(row.measure, *ratio, *value);
            let change = row
                .change
                .map_or_else(String::new, |d| change_words(row, d, w));
            match w.0 {
                Lang::Vi => format!(
                    "; so sánh {} trên {}/{of} tỉnh, thành phố có số liệu cả hai kỳ ({names}): {these}{change}",
                    row.span.map_or_else(
                        || "cùng kỳ".to_string(),
                        |[first, _]| format!("với {}", w.period(first))
                    ),
                    units.len()
                ),
                Lang::En => format!(
                    "; over the {} of {of} provinces that also reported {} ({names}): {these}{change}",
                    units.len(),
                    row.span.map_or_else(
                        || "a year earlier".to_string(),
                        |[first, _]| format!("in {}", w.the_period(first))
                    )
                ),
            }
        }
        Comparison::Incomparable {
            previous_units,
            former,
        } => {
            let names: Vec<String> = previous_units
                .iter()
                .map(|slug| {
                    let name = province_names(std::slice::from_ref(slug), w);
                    match (former.contains(slug), w.0) {
                        (true, Lang::Vi) => format!("{name} (cũ)"),
                        (true, Lang::En) => format!("former {name}"),
                        (false, _) => name,
                    }
                })
                .collect();
            let names = names.join(", ");
            match (w.0, row.span) {
                (Lang::Vi, Some([first, _])) => {
                    let first = w.period(first);
                    format!("; không so sánh được với {first} ({first} chỉ có số liệu của {names})")
                }
                (Lang::En, Some([first, _])) => format!(
                    "; not comparable with {} (then only {names} reported)",
                    w.the_period(first)
                ),
                (Lang::Vi, None) => {
                    format!("; không so sánh được với cùng kỳ (cùng kỳ chỉ có số liệu của {names})")
                }
                (Lang::En, None) => {
                    format!("; not comparable with a year earlier (then only {names} reported)")
                }
            }
        }
    }
}

fn change_words(row: &IndicatorRow, d: Decimal, w: Words) -> String {
    if d == Decimal::ZERO {
        return match (w.0, row.span) {
            (Lang::Vi, Some([first, _])) => format!(", bằng {}", w.period(first)),
            (Lang::En, Some([first, _])) => format!(", unchanged on {}", w.the_period(first)),
            _ => w
                .t(", bằng cùng kỳ", ", unchanged on a year earlier")
                .to_string(),
        };
    }
    let verb = match (w.0, d.is_negative()) {
        (Lang::Vi, false) => "tăng",
        (Lang::Vi, true) => "giảm",
        (Lang::En, false) => "up",
        (Lang::En, true) => "down",
    };
    // A phase's last year against its first; otherwise the same period a year earlier.
    let against = match (w.0, row.span) {
        (Lang::Vi, Some([first, _])) => format!("so với {}", w.period(first)),
        (Lang::En, Some([first, _])) => format!("on {}", w.the_period(first)),
        (Lang::Vi, None) => "so với cùng kỳ".to_string(),
        (Lang::En, None) => "on a year earlier".to_string(),
    };
    format!(
        ", {verb} {} {against} ({})",
        w.amount(row.measure, d),
        w.figure(row.measure, row.previous)
    )
}

/// The most parts a sentence names before pointing to the table by province.
const LISTED_IN_TEXT: usize = 8;

/// An indicator whose figures do not add up: each province's, never a sum or a mean.
fn listed_sentence(row: &IndicatorRow, w: Words) -> String {
    let name = w.indicator_name(row);
    let mut figures: Vec<String> = row
        .parts
        .iter()
        .take(LISTED_IN_TEXT)
        .map(|p| {
            let figure = match &p.stated {
                Some(stated) => format!("“{stated}”"),
                None => w.result(row.measure, p.ratio, p.value),
            };
            format!(
                "{} {figure}",
                province_names(std::slice::from_ref(&p.province), w)
            )
        })
        .collect();
    let more = row.parts.len().saturating_sub(LISTED_IN_TEXT);
    if more > 0 {
        figures.push(match w.0 {
            Lang::Vi => format!("và {more} tỉnh, thành phố khác (xem bảng theo tỉnh, thành phố)"),
            Lang::En => format!("and {more} more provinces (see the table by province)"),
        });
    }
    let why = match (w.0, row.measure) {
        (Lang::Vi, danvan_core::indicator::Measure::Ratio) => {
            "không cộng được vì có đơn vị chỉ báo cáo tỷ lệ"
        }
        (Lang::Vi, _) => "không cộng, không tính bình quân giữa các tỉnh, thành phố",
        (Lang::En, danvan_core::indicator::Measure::Ratio) => {
            "no total, as some report only a percentage"
        }
        (Lang::En, _) => "never summed or averaged across provinces",
    };
    let coverage = row
        .coverage
        .map_or_else(String::new, |[with, of]| match w.0 {
            Lang::Vi => format!("; số liệu của {with}/{of} tỉnh, thành phố"),
            Lang::En => format!("; {with} of {of} provinces reporting"),
        });
    format!("{name} ({why}): {}{coverage}.", figures.join("; "))
}

/// Provinces' names as recorded, in the report's language, joined.
fn province_names(slugs: &[String], w: Words) -> String {
    let names: Vec<String> = slugs
        .iter()
        .map(|s| {
            let unit = danvan_core::province::registry().all_with_slug(s).next();
            match (w.0, unit) {
                (_, None) => s.clone(),
                (Lang::Vi, Some(u)) => u.name.to_string(),
                (Lang::En, Some(u)) => u.name_en().to_string(),
            }
        })
        .collect();
    names.join(", ")
}

/// An indicator as a shortcoming: short of its target, or moved the wrong way by its
/// direction (described, not judged); never one with no direction.
pub(super) fn shortcoming(r: &IndicatorRow, w: Words) -> Option<String> {
    let name = w.indicator_name(r);
    let value = w.figure(r.measure, r.value);
    if r.target.is_some() && r.status == Status::OffTrack {
        let target = w.figure(r.measure, r.target);
        return Some(match w.0 {
            Lang::Vi => format!("{name}: {value}, chưa đạt chỉ tiêu đề ra ({target})."),
            Lang::En => format!("{name} at {value}, short of the target of {target}."),
        });
    }
    let d = r.change?;
    // Over the provinces compared: those common to both periods when fewer than all.
    let value = match &r.comparison {
        crate::data::Comparison::Common { value: v, .. } => w.figure(r.measure, *v),
        _ => value,
    };
    let wrong_way = match r.direction {
        Direction::HigherIsBetter => d.is_negative(),
        Direction::LowerIsBetter => !d.is_negative() && d != Decimal::ZERO,
        Direction::Neutral => false,
    };
    if !wrong_way {
        return None;
    }
    let previous = w.figure(r.measure, r.previous);
    let amount = w.amount(r.measure, d);
    Some(match (w.0, d.is_negative()) {
        (Lang::Vi, true) => {
            format!("{name} giảm {amount} so với cùng kỳ (từ {previous} xuống {value}).")
        }
        (Lang::Vi, false) => {
            format!("{name} tăng {amount} so với cùng kỳ (từ {previous} lên {value}).")
        }
        (Lang::En, true) => {
            format!("{name} fell by {amount} on a year earlier ({previous} to {value}).")
        }
        (Lang::En, false) => {
            format!("{name} rose by {amount} on a year earlier ({previous} to {value}).")
        }
    })
}

/// A shortcoming a conference recorded, with where it was raised.
pub(super) fn recorded_shortcoming(c: &ConferenceLine, text: &str, w: Words) -> String {
    let text = sentence(text);
    let text = text.trim_end_matches('.');
    match w.0 {
        Lang::Vi => format!(
            "{text} (nêu tại {} ngày {}).",
            lower_first(&c.title),
            w.date(c.date)
        ),
        Lang::En => format!("{text} (raised at “{}”, {}).", c.title, w.date(c.date)),
    }
}
