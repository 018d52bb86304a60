//! Figures: "đã giải quyết 2.310/2.405 đơn, đạt 96,05%", "tổ chức 152 cuộc đối thoại",
//! "19/20 sở, ngành thực hiện tốt cơ chế một cửa", "chỉ số SIPAS đạt 84,5%" — each matched to
//! a built-in indicator by the words around it, with its period (from the sentence, or from
//! earlier in the text and marked so) and the unit it counts for.

use std::ops::Range;
use std::sync::LazyLock;

use danvan_core::indicator::StatedPercentage;
use danvan_core::inferred::InferredFrom;
use danvan_core::period::Period;
use danvan_core::validate::RecordKind;
use regex::Regex;
use serde_json::json;

use super::{Ctx, Found, count, re};
use crate::proposal::{Evidence, Link, Proposal, Reading};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Ratio,
    Count,
    Percent,
}

/// One rule: the indicator, the shape of figure, the words that must follow the number (its
/// unit, empty for any), and the words one of which the clause must hold; none of `not`.
struct Rule {
    indicator: &'static str,
    shape: Shape,
    units: &'static [&'static str],
    any: &'static [&'static str],
    not: &'static [&'static str],
}

const RULES: &[Rule] = &[
    Rule {
        indicator: "complaints_resolved",
        shape: Shape::Ratio,
        units: &["don", "vu viec", "vu"],
        any: &["giai quyet"],
        not: &["ho so"],
    },
    Rule {
        indicator: "complaints_received",
        shape: Shape::Count,
        units: &["don", "luot don"],
        any: &["tiep nhan", "nhan duoc", "tiep nhan, xu ly", "phat sinh"],
        not: &["ho so", "tiep nhan va giai quyet", "tiep nhan, giai quyet"],
    },
    Rule {
        indicator: "dialogues_held",
        shape: Shape::Count,
        units: &[
            "cuoc doi thoai",
            "buoi doi thoai",
            "hoi nghi doi thoai",
            "cuoc",
            "buoi",
        ],
        any: &["doi thoai"],
        not: &["tiep cong dan", "tiep dan", "tiep xuc"],
    },
    Rule {
        indicator: "models_registered",
        shape: Shape::Count,
        units: &["mo hinh"],
        any: &["dang ky"],
        not: &["cong nhan"],
    },
    Rule {
        indicator: "models_recognised",
        shape: Shape::Count,
        units: &["mo hinh"],
        any: &["cong nhan"],
        not: &["dang ky"],
    },
    Rule {
        indicator: "exemplars_recognised",
        shape: Shape::Count,
        units: &["dien hinh"],
        any: &["cong nhan", "bieu duong", "tuyen duong", "khen thuong"],
        not: &[],
    },
    Rule {
        indicator: "models_effective",
        shape: Shape::Count,
        units: &["mo hinh"],
        any: &["hieu qua"],
        not: &["dang ky", "cong nhan"],
    },
    Rule {
        indicator: "one_stop_departments",
        shape: Shape::Ratio,
        units: &["so", "co quan"],
        any: &["mot cua"],
        not: &[],
    },
    Rule {
        indicator: "one_stop_districts",
        shape: Shape::Ratio,
        units: &["huyen", "don vi cap huyen"],
        any: &["mot cua"],
        not: &[],
    },
    Rule {
        indicator: "one_stop_communes",
        shape: Shape::Ratio,
        units: &["xa", "don vi cap xa"],
        any: &["mot cua"],
        not: &[],
    },
    Rule {
        indicator: "dossiers_on_time",
        shape: Shape::Ratio,
        units: &["ho so"],
        any: &["dung han", "truoc han"],
        not: &[],
    },
    Rule {
        indicator: "hotspots",
        shape: Shape::Count,
        units: &["vu viec phuc tap", "diem nong", "vu phuc tap"],
        any: &["phuc tap", "diem nong"],
        not: &[],
    },
    Rule {
        indicator: "grassroots_democracy_units",
        shape: Shape::Ratio,
        units: &["co quan", "don vi"],
        any: &["dan chu o co so", "quy che dan chu"],
        not: &[],
    },
    Rule {
        indicator: "dossiers_resolved_rate",
        shape: Shape::Percent,
        units: &[],
        any: &["ho so"],
        not: &["sipas", "hai long"],
    },
    Rule {
        indicator: "sipas",
        shape: Shape::Percent,
        units: &[],
        any: &["sipas", "chi so hai long"],
        not: &[],
    },
    Rule {
        indicator: "par_index",
        shape: Shape::Percent,
        units: &[],
        any: &["par index", "chi so cai cach hanh chinh"],
        not: &[],
    },
];

const PAPERS_RULE: Rule = Rule {
    indicator: "workshop_papers_presented",
    shape: Shape::Ratio,
    units: &["tham luan"],
    any: &["trinh bay"],
    not: &[],
};

/// A sentence that speaks of the province as a whole: "toàn tỉnh", "tỉnh Lào Cai", "các tỉnh"
/// ("Tỉnh ủy" names a body, not the province's figure).
static PROVINCE_WIDE: LazyLock<Regex> =
    LazyLock::new(|| re(r"\btinh (?:[^u]|u[^y])|\btinh$|\btinh,"));

/// Words that make the number after them a target, not a figure: "vượt chỉ tiêu 60 cuộc".
static TARGET_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:chi tieu|muc tieu|ke hoach)(?: de ra| dat ra| duoc giao| giao| nam \d{4})?(?: la| dat)? $",
    )
});

static RATIO: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d[\d.]*) ?/ ?(\d[\d.]*)\b"));
static COUNT: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d[\d.]*) ([a-z]+(?: [a-z]+){0,2})"));
static PERCENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:dat |la |chiem |bang )?(?:tren |hon |gan |khoang |xap xi |duoi |tu )?\d{1,3}(?:,\d{1,3})? ?%",
    )
});
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:(?:6|sau) thang (?:dau|cuoi) nam(?: \d{4})?|quy (?:i{1,3}|iv|\d)(?:/| nam )\d{4}|(?:trong )?nam \d{4}|giai doan \d{4} ?- ?\d{4}|(?:6|sau) thang (?:dau|cuoi) nam)\b",
    )
});

/// "nhận được 42 tham luận, trong đó 9 tham luận được trình bày": the parts said apart.
static PAPERS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(\d[\d.]*) (?:bai )?tham luan[^.;]{0,40}?trong do (?:co )?(\d[\d.]*)(?: (?:bai )?tham luan)? (?:duoc|da duoc) trinh bay",
    )
});

pub(super) fn read(cx: &mut Ctx<'_>) {
    let sentences: Vec<Range<usize>> = cx.doc.sentences().to_vec();
    let mut period: Option<(Period, Range<usize>)> = None;
    for s in sentences {
        let here = period_in(cx, &s, period.as_ref().map(|p| p.0.years().0));
        if let Some(p) = &here
            && p.2
        {
            period = Some((p.0, p.1.clone()));
        }
        figures_in(cx, &s, here.as_ref(), period.as_ref());
    }
}

/// The period a sentence names, its words, and whether it names the year itself.
fn period_in(
    cx: &Ctx<'_>,
    s: &Range<usize>,
    year: Option<i32>,
) -> Option<(Period, Range<usize>, bool)> {
    let f = cx.f();
    let m = PERIOD.find(&f[s.clone()])?;
    let r = s.start + m.start()..s.start + m.end();
    let phrase = cx.orig(r.clone());
    let phrase = phrase.trim_start_matches(|c: char| !c.is_alphanumeric());
    let text = phrase
        .strip_prefix("trong ")
        .or_else(|| phrase.strip_prefix("Trong "))
        .unwrap_or(phrase);
    if let Ok(p) = Period::parse(text, None) {
        return Some((p, r, true));
    }
    let p = Period::parse(text, year).ok()?;
    Some((p, r, false))
}

fn figures_in(
    cx: &mut Ctx<'_>,
    s: &Range<usize>,
    here: Option<&(Period, Range<usize>, bool)>,
    before: Option<&(Period, Range<usize>)>,
) {
    let f = cx.f();
    let text = &f[s.clone()];
    let mut taken: Vec<Range<usize>> = Vec::new();
    if let Some(c) = PAPERS.captures(text)
        && let (Some(m), Some(d), Some(n)) = (
            c.get(0),
            c.get(1).and_then(|d| count(d.as_str())),
            c.get(2).and_then(|n| count(n.as_str())),
        )
    {
        let r = s.start + m.start()..s.start + m.end();
        taken.push(r.clone());
        let rule = &PAPERS_RULE;
        let mut p = observation(cx, rule, s, here, before);
        let ev = cx.ev(r);
        p.push("numerator", json!(n), Reading::Number, ev.clone());
        p.push("denominator", json!(d), Reading::Number, ev);
        finish(cx, p, rule);
    }
    let ratios: Vec<(Range<usize>, u64, u64)> = RATIO
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            let n = count(c.get(1)?.as_str())?;
            let d = count(c.get(2)?.as_str())?;
            (n <= d && d > 0).then_some((s.start + m.start()..s.start + m.end(), n, d))
        })
        .collect();
    for (r, n, d) in ratios {
        if cx.in_citation(r.start) {
            continue;
        }
        let Some(rule) = classify(cx, s, &r, Shape::Ratio) else {
            continue;
        };
        if unnamed_unit(cx, s, &r) {
            continue;
        }
        taken.push(r.clone());
        let mut p = observation(cx, rule, s, here, before);
        let ev = cx.ev(r.clone());
        p.push("numerator", json!(n), Reading::Number, ev.clone());
        p.push("denominator", json!(d), Reading::Number, ev);
        if let Some(used) = stated(cx, &mut p, s, r.end) {
            taken.push(used);
        }
        target(cx, &mut p, s, r.end);
        finish(cx, p, rule);
    }
    let counts: Vec<(Range<usize>, u64)> = COUNT
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(1)?;
            let n = count(m.as_str())?;
            Some((s.start + m.start()..s.start + c.get(0)?.end(), n))
        })
        .collect();
    for (r, n) in counts {
        if cx.in_citation(r.start)
            || taken
                .iter()
                .any(|t| t.contains(&r.start) || t.end == r.start)
        {
            continue;
        }
        let before_num = &f[s.start..r.start];
        if before_num.ends_with('/')
            || before_num.ends_with("/ ")
            || before_num.ends_with("nam ")
            || TARGET_BEFORE.is_match(before_num)
        {
            continue;
        }
        let Some(rule) = classify(cx, s, &r, Shape::Count) else {
            continue;
        };
        if unnamed_unit(cx, s, &r) {
            continue;
        }
        let mut p = observation(cx, rule, s, here, before);
        let ev = cx.ev(r.clone());
        p.push("value", json!(n), Reading::Number, ev);
        target(cx, &mut p, s, r.end);
        finish(cx, p, rule);
    }
    percents(cx, s, here, before, &taken);
}

/// Percentages said alone ("chỉ số SIPAS đạt 84,6%"), apart from those a ratio stated.
fn percents(
    cx: &mut Ctx<'_>,
    s: &Range<usize>,
    here: Option<&(Period, Range<usize>, bool)>,
    before: Option<&(Period, Range<usize>)>,
    taken: &[Range<usize>],
) {
    let f = cx.f();
    let text = &f[s.clone()];
    for m in PERCENT.find_iter(text) {
        let r = s.start + m.start()..s.start + m.end();
        if taken.iter().any(|t| {
            r.start < t.end && t.start < r.end || r.start >= t.start && r.start <= t.end + 20
        }) {
            continue;
        }
        let Some(rule) = classify(cx, s, &r, Shape::Percent) else {
            continue;
        };
        if unnamed_unit(cx, s, &r) {
            continue;
        }
        let words = cx.orig(r.clone()).to_string();
        let Ok(sp) = StatedPercentage::parse(&words) else {
            continue;
        };
        let mut p = observation(cx, rule, s, here, before);
        let ev = cx.ev(r);
        p.push("stated", json!(sp.to_string()), Reading::Verbatim, ev);
        finish(cx, p, rule);
    }
}

/// The rule whose unit follows the number and whose words the clause holds.
fn classify(
    cx: &Ctx<'_>,
    s: &Range<usize>,
    r: &Range<usize>,
    shape: Shape,
) -> Option<&'static Rule> {
    let f = cx.f();
    // The clause: back to the last semicolon or the sentence's start, on to the next one.
    let start = f[s.start..r.start]
        .rfind(';')
        .map_or(s.start, |i| s.start + i + 1);
    let start = start.max(r.start.saturating_sub(90));
    let end = f[r.end..s.end].find(';').map_or(s.end, |i| r.end + i);
    let end = end.min(r.end + 70);
    let clause = &f[start..end];
    let after = f[r.end..s.end].trim_start();
    let after = after.strip_prefix(", ").unwrap_or(after);
    let after_count = &f[r.start..s.end];
    RULES.iter().find(|rule| {
        if rule.shape != shape {
            return false;
        }
        let unit_ok = match shape {
            Shape::Ratio => rule.units.iter().any(|u| after.starts_with(u)),
            Shape::Count => rule.units.iter().any(|u| {
                after_count
                    .split_once(' ')
                    .is_some_and(|(_, rest)| rest.starts_with(u))
            }),
            Shape::Percent => true,
        };
        unit_ok
            && rule.any.iter().any(|w| clause.contains(w))
            && !rule.not.iter().any(|w| clause.contains(w))
    })
}

fn observation(
    cx: &mut Ctx<'_>,
    rule: &Rule,
    s: &Range<usize>,
    here: Option<&(Period, Range<usize>, bool)>,
    before: Option<&(Period, Range<usize>)>,
) -> Proposal {
    let mut p = Proposal::new(RecordKind::Observation);
    // The indicator stands on the whole sentence's words.
    cx.mark(s.start);
    let span = crate::document::Span {
        start: s.start,
        end: s.end,
    };
    let ev = Evidence::stated(cx.doc, span);
    p.push("indicator", json!(rule.indicator), Reading::Term, ev);
    match (here, before) {
        (Some((period, r, true)), _) => {
            let ev = cx.ev(r.clone());
            p.push("period", json!(period.id()), Reading::Term, ev);
        }
        (Some((period, r, false)), _) => {
            let ev =
                cx.ev(r.clone())
                    .inferred("period", InferredFrom::Context, "năm nêu ở đoạn trước");
            p.push("period", json!(period.id()), Reading::Term, ev);
        }
        (None, Some((period, r))) => {
            let ev = cx.ev(r.clone());
            let note = format!("kỳ nêu ở câu trước: \"{}\"", cx.orig(r.clone()));
            let ev = ev.inferred("period", InferredFrom::Context, note);
            p.push("period", json!(period.id()), Reading::Term, ev);
        }
        (None, None) => conference_period(cx, &mut p),
    }
    if let Some(Found { value, evidence }) = cx.province.clone() {
        p.push("province", value, Reading::Term, evidence);
    }
    // A figure the sentence gives for the whole province ("toàn tỉnh", "tỉnh Lào Cai đã …")
    // is the province's, whoever hosted; otherwise a lower host's figures are its own.
    let sentence = &cx.f()[s.clone()];
    let unit_words = [
        "toan huyen",
        "toan xa",
        "trong cum",
        "toan khoi",
        "cac don vi trong",
    ];
    if unit_words.iter().any(|w| sentence.contains(w)) || !PROVINCE_WIDE.is_match(sentence) {
        host_unit(cx, &mut p);
    }
    p
}

/// The unit below the province whose conference the article reports ("Huyện ủy Định Hóa",
/// "Đảng ủy Khối …", "Cụm thi đua số 3"): its figures are the unit's, not the province's —
/// marked as read from the context.
fn host_unit(cx: &Ctx<'_>, p: &mut Proposal) {
    let Some((unit, level, host)) = unit_of_host(cx) else {
        return;
    };
    let Some(name) = host.value.as_str() else {
        return;
    };
    let evidence = Evidence::Inferred {
        field: "unit".into(),
        from: InferredFrom::Context,
        note: format!("đơn vị tổ chức hội nghị: {name}"),
        span: host.evidence.span(),
        quote: Some(name.to_string()),
    };
    p.push(
        "unit.name",
        json!(unit),
        Reading::Verbatim,
        evidence.clone(),
    );
    p.push("unit.level", json!(level), Reading::Term, evidence);
}

/// The unit below the province that hosts the article's conference, if one does: its name as
/// a unit ("huyện Định Hóa" for "Huyện ủy Định Hóa"), its level, and the host's value.
fn unit_of_host(cx: &Ctx<'_>) -> Option<(String, &'static str, crate::proposal::Value)> {
    let key = cx.conference.as_ref()?;
    let conf = cx.proposals.iter().find(|q| &q.key == key)?;
    conf.values
        .iter()
        .filter(|v| v.field == "hosts[]")
        .find_map(|host| {
            let name = host.value.as_str()?;
            let folded: String = name.chars().map(danvan_core::text::fold_char).collect();
            let after = |prefix: &str| name.chars().skip(prefix.len()).collect::<String>();
            let found = [
                ("ban dan van huyen uy ", "huyện ", "district"),
                ("huyen uy ", "huyện ", "district"),
                ("ban dan van thi uy ", "thị xã ", "district"),
                ("thi uy ", "thị xã ", "district"),
                ("dang uy xa ", "xã ", "commune"),
                ("dang uy phuong ", "phường ", "commune"),
            ]
            .iter()
            .find(|(pre, _, _)| folded.starts_with(pre))
            .map(|(pre, word, level)| (format!("{word}{}", after(pre)), *level))
            .or_else(|| {
                folded
                    .starts_with("dang uy khoi")
                    .then(|| (name.to_string(), "party_bloc"))
            })
            .or_else(|| {
                folded.starts_with("cum thi dua").then(|| {
                    let end = folded.find(" thuoc ").unwrap_or(folded.len());
                    (name.chars().take(end).collect(), "cluster")
                })
            });
            found.map(|(unit, level)| (unit, level, host.clone()))
        })
}

/// Whether the clause gives the figure to a unit below the province or to an organisation
/// ("UBND huyện đã giải quyết …", "cấp xã giải quyết …", "Hội LHPN tỉnh đăng ký …", "Mặt trận
/// các cấp đã tiếp nhận …") while no lower unit hosts the article's conference: it is not the
/// province's figure, and whose registered unit it is the text does not say, so none is
/// proposed.
fn unnamed_unit(cx: &Ctx<'_>, s: &Range<usize>, r: &Range<usize>) -> bool {
    static SUBUNIT: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"\b(?:cap xa|cap huyen|ubnd huyen|ubnd xa|uy ban nhan dan huyen|uy ban nhan dan xa|huyen uy|dang uy xa|hoi lhpn|hoi lien hiep phu nu|hoi phu nu|hoi nong dan|hoi cuu chien binh|doan thanh nien|tinh doan|lien doan lao dong|mat tran|mttq|cong an|bo chi huy quan su)\b",
        )
    });
    let f = cx.f();
    let start = f[s.start..r.start]
        .rfind(';')
        .map_or(s.start, |i| s.start + i + 1);
    SUBUNIT.is_match(&f[start..r.start]) && unit_of_host(cx).is_none()
}

/// The period the article's conference reviewed, marked as from context.
fn conference_period(cx: &Ctx<'_>, p: &mut Proposal) {
    let Some(key) = &cx.conference else { return };
    let Some(conf) = cx.proposals.iter().find(|q| &q.key == key) else {
        return;
    };
    let Some(v) = conf.values.iter().find(|v| v.field == "reviewed_period") else {
        return;
    };
    let ev = v.evidence.clone().inferred(
        "period",
        InferredFrom::Context,
        "kỳ hội nghị sơ kết, tổng kết",
    );
    p.push("period", v.value.clone(), Reading::Term, ev);
}

/// "…, đạt 96,05%" after a ratio.
fn stated(
    cx: &mut Ctx<'_>,
    p: &mut Proposal,
    s: &Range<usize>,
    from: usize,
) -> Option<Range<usize>> {
    let f = cx.f();
    let window_end = (from + 60).min(s.end);
    let m = PERCENT.find(&f[from..window_end])?;
    let between = &f[from..from + m.start()];
    if between.contains(';') || between.chars().filter(|c| c.is_ascii_digit()).count() > 0 {
        return None;
    }
    let r = from + m.start()..from + m.end();
    let words = cx.orig(r.clone()).to_string();
    let sp = StatedPercentage::parse(&words).ok()?;
    let ev = cx.ev(r.clone());
    p.push("stated", json!(sp.to_string()), Reading::Verbatim, ev);
    Some(r)
}

/// "(chỉ tiêu 90%)", "vượt chỉ tiêu đề ra là 120 cuộc": the target the clause gives after the
/// figure, up to the clause's end.
fn target(cx: &mut Ctx<'_>, p: &mut Proposal, s: &Range<usize>, from: usize) {
    static TARGET: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"\b(?:chi tieu|muc tieu|ke hoach)(?: de ra| dat ra| duoc giao| giao| nam \d{4})?(?: la| dat)? (\d[\d.]*(?:,\d{1,2})?)( ?%| [a-z]+)",
        )
    });
    let f = cx.f();
    let end = f[from..s.end].find(';').map_or(s.end, |i| from + i);
    let Some(c) = TARGET.captures(&f[from..end]) else {
        return;
    };
    let (Some(m), Some(n)) = (c.get(0), c.get(1)) else {
        return;
    };
    let Ok(value) = danvan_core::number::Decimal::parse(
        n.as_str(),
        danvan_core::number::Convention::Vietnamese,
    ) else {
        return;
    };
    let Ok(json) = serde_json::to_value(value) else {
        return;
    };
    let ev = cx.ev(from + m.start()..from + m.end());
    p.push("target", json, Reading::Number, ev);
}

fn finish(cx: &mut Ctx<'_>, mut p: Proposal, rule: &Rule) {
    let period = p
        .get("period")
        .and_then(|v| v.as_str())
        .and_then(|id| Period::parse_id(id).ok())
        .map_or_else(|| "kỳ chưa rõ".to_string(), |p| p.to_vietnamese());
    let name = danvan_core::indicator::builtin(rule.indicator)
        .map_or(rule.indicator.to_string(), |d| d.name_vi.to_string());
    p.label = format!("{name} · {period}");
    if let Some(conf) = cx.conference.clone() {
        // A figure reported in a conference's article is the conference's figure.
        if let Some(ev) = p.values.first().map(|v| v.evidence.clone()) {
            p.links.push(Link {
                field: "@figures".into(),
                to: conf,
                relation: None,
                evidence: ev,
            });
        }
    }
    cx.add(p);
}

#[cfg(test)]
mod tests {
    use crate::extract::testing::{facts, has, read};

    #[test]
    fn a_ratio_with_its_stated_percentage_and_target() {
        let f = facts(
            "Sáu tháng đầu năm 2024, các cơ quan đã giải quyết 604/631 đơn thư, đạt 95,72% (chỉ tiêu đề ra là 90%); tổ chức 88 cuộc đối thoại, vượt chỉ tiêu 60 cuộc.",
            None,
        );
        for want in [
            "observation[complaints_resolved].numerator = 604",
            "observation[complaints_resolved].denominator = 631",
            "observation[complaints_resolved].stated = đạt 95,72%",
            "observation[complaints_resolved].target = 90",
            "observation[complaints_resolved].period = 2024S1",
            "observation[dialogues_held].value = 88",
            "observation[dialogues_held].target = 60",
        ] {
            assert!(has(&f, want), "{want}\n{f:#?}");
        }
        assert!(
            !has(&f, "observation[dialogues_held].value = 60"),
            "a target is no figure: {f:#?}"
        );
    }

    #[test]
    fn a_period_from_before_is_marked() {
        let (_, found) = read(
            "Năm 2023, tình hình ổn định. Các cấp đã tổ chức 214 cuộc đối thoại với Nhân dân.",
            None,
            None,
        );
        let o = &found.proposals[0];
        assert_eq!(o.get("period").unwrap(), "2023");
        assert!(
            o.values
                .iter()
                .find(|v| v.field == "period")
                .unwrap()
                .evidence
                .is_inferred()
        );
    }

    #[test]
    fn a_districts_figures_are_its_own_unless_the_province_is_named() {
        let f = facts(
            "Ngày 4/7/2024, Huyện ủy Định Hóa tổ chức hội nghị sơ kết công tác dân vận 6 tháng đầu năm 2024. Toàn huyện tổ chức 23 cuộc đối thoại. Toàn tỉnh có 56 mô hình “Dân vận khéo” được công nhận.",
            None,
        );
        assert!(
            has(&f, "observation[dialogues_held].unit.name = huyện Định Hóa"),
            "{f:#?}"
        );
        assert!(
            has(&f, "observation[dialogues_held].unit.level = district"),
            "{f:#?}"
        );
        assert!(
            !f.iter()
                .any(|x| x.starts_with("observation[models_recognised].unit")),
            "{f:#?}"
        );
    }

    #[test]
    fn numbers_that_are_no_figure() {
        // A year, a document's number, a day: none is a count.
        let f = facts(
            "Năm 2024, thực hiện Chỉ thị số 05-CT/TU, ngày 12/3 các xã đã họp.",
            None,
        );
        assert!(!f.iter().any(|x| x.starts_with("observation")), "{f:#?}");
    }
}
