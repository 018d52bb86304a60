//! The report checker over every report a board could ask for: the demo store, the articles
//! fixture and a generated store; every province (on both maps), the country, every kind of
//! period, both languages. Any finding fails the test, listed in full.

use chrono::NaiveDate;
use danvan_core::dataset::Dataset;
use danvan_core::generate::Generator;
use danvan_core::province::registry;
use danvan_report::check::check;
use danvan_report::{Lang, Scope, build};
use danvan_store::{ImportOptions, JsonStore, ProvinceMap, Store};

use crate::{demo_store, fixture_store};

/// Reports of `store` for each `(province, map, period)`, both languages; the findings, each
/// prefixed with the report it was found in.
fn findings(store: &dyn Store, reports: &[(Option<&str>, ProvinceMap, &str)]) -> Vec<String> {
    findings_on(
        store,
        reports,
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    )
}

/// [`findings`] of reports dated `date`.
fn findings_on(
    store: &dyn Store,
    reports: &[(Option<&str>, ProvinceMap, &str)],
    date: NaiveDate,
) -> Vec<String> {
    let mut out = Vec::new();
    for (province, map, period) in reports {
        let mut scope = Scope::new(*province, period.parse().unwrap(), date);
        scope.map = *map;
        let data = build(store, &scope).unwrap();
        for lang in [Lang::Vi, Lang::En] {
            for f in check(&data, lang) {
                out.push(format!(
                    "{} {map:?} {period} {}: {f}",
                    province.unwrap_or("national"),
                    lang.tag()
                ));
            }
        }
    }
    out
}

fn assert_clean(findings: &[String]) {
    assert!(
        findings.is_empty(),
        "{} findings:\n{}",
        findings.len(),
        findings.join("\n")
    );
}

const PERIODS: [&str; 6] = ["202406", "2024Q2", "2024S1", "2024S2", "2024", "2021-2025"];

/// Reports dated before their period ends (a year's report signed on 18 December, a
/// half-year's in June) narrate nothing after their date and call nothing overdue early.
#[test]
fn reports_dated_inside_their_period_pass_the_checker() {
    let (_tmp, store) = demo_store();
    for (period, date) in [
        ("2025", (2025, 12, 18)),
        ("2026S1", (2026, 6, 20)),
        ("2024", (2024, 6, 25)),
    ] {
        let mut reports = Vec::new();
        for province in [Some("thai-nguyen"), Some("lao-cai"), Some("ha-noi"), None] {
            reports.push((province, ProvinceMap::Current, period));
        }
        let (y, m, d) = date;
        assert_clean(&findings_on(
            &store,
            &reports,
            NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        ));
    }
}

#[test]
fn demo_reports_pass_the_checker() {
    let (_tmp, store) = demo_store();
    let mut reports = Vec::new();
    for period in PERIODS.iter().chain(&["2023S1", "2025", "2023"]) {
        for province in [Some("thai-nguyen"), Some("bac-kan"), Some("lao-cai"), None] {
            for map in [ProvinceMap::Current, ProvinceMap::AsRecorded] {
                reports.push((province, map, *period));
            }
        }
    }
    assert_clean(&findings(&store, &reports));
}

#[test]
fn article_reports_pass_the_checker() {
    let (_tmp, store) = fixture_store("articles");
    let mut reports = Vec::new();
    for period in [
        "2023",
        "2023S1",
        "2024",
        "2024S1",
        "2025",
        "2025S1",
        "2021-2025",
    ] {
        for province in [
            Some("lao-cai"),
            Some("thai-nguyen"),
            Some("quang-ninh"),
            None,
        ] {
            for map in [ProvinceMap::Current, ProvinceMap::AsRecorded] {
                reports.push((province, map, period));
            }
        }
    }
    assert_clean(&findings(&store, &reports));
}

#[test]
fn generated_reports_pass_the_checker() {
    let tmp = tempfile::tempdir().unwrap();
    let store = JsonStore::init(tmp.path()).unwrap();
    let dataset = Dataset::from_records(Generator::new(6_000, 11).records());
    store.import(dataset, ImportOptions::default()).unwrap();
    // Every province on each map, each with one kind of period in turn, and the country for
    // every kind.
    let mut reports = Vec::new();
    let current: Vec<&str> = registry()
        .valid_at(NaiveDate::MAX)
        .map(|p| p.slug)
        .collect();
    let old: Vec<&str> = registry()
        .valid_at(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap())
        .map(|p| p.slug)
        .collect();
    for (i, slug) in current.iter().enumerate() {
        reports.push((
            Some(*slug),
            ProvinceMap::Current,
            PERIODS[i % PERIODS.len()],
        ));
    }
    for (i, slug) in old.iter().enumerate() {
        reports.push((
            Some(*slug),
            ProvinceMap::AsRecorded,
            PERIODS[i % PERIODS.len()],
        ));
    }
    for period in PERIODS {
        reports.push((None, ProvinceMap::Current, period));
        reports.push((None, ProvinceMap::AsRecorded, period));
    }
    assert_clean(&findings(&store, &reports));
}

/// The rules for coverage catch what they are for: a national total of some provinces printed
/// without "số liệu của k/n" (as the models section printed 185 from 3 provinces), and a phase
/// report with its years' figures saying it has none (as the 2021–2025 report said).
#[test]
fn the_checker_finds_hidden_coverage_and_a_phase_without_its_years() {
    use danvan_report::check::check_document;
    use danvan_report::compose::compose;
    use danvan_report::doc::Block;
    let (_dir, store) = demo_store();
    let strip = |doc: &mut danvan_report::doc::Document, from: &str, to: &str| {
        for s in &mut doc.sections {
            for b in &mut s.blocks {
                match b {
                    Block::Paragraph(t) | Block::Note(t) => *t = t.replace(from, to),
                    Block::Bullets(items) => {
                        for t in items {
                            *t = t.replace(from, to);
                        }
                    }
                    _ => {}
                }
            }
        }
    };
    let rules = |data: &danvan_report::data::ReportData, doc: &danvan_report::doc::Document| {
        check_document(data, doc)
            .iter()
            .map(|f| f.rule)
            .collect::<Vec<_>>()
    };
    let scope = Scope::new(
        None,
        "2024".parse().unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    );
    let data = build(&store, &scope).unwrap();
    let mut doc = compose(&data, Lang::Vi);
    assert!(rules(&data, &doc).is_empty(), "{:?}", rules(&data, &doc));
    strip(&mut doc, "; số liệu của 1/34 tỉnh, thành phố", "");
    assert!(rules(&data, &doc).contains(&"national_coverage"));

    let scope = Scope::new(
        None,
        "2021-2025".parse().unwrap(),
        NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
    );
    let data = build(&store, &scope).unwrap();
    let mut doc = compose(&data, Lang::Vi);
    assert!(rules(&data, &doc).is_empty(), "{:?}", rules(&data, &doc));
    doc.sections[0].blocks.push(Block::Paragraph(
        "Chưa có số liệu chỉ tiêu của kỳ này và cùng kỳ.".to_string(),
    ));
    assert!(rules(&data, &doc).contains(&"phase_figures"));
}
