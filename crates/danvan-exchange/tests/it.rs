//! DHIS2 and ADX both ways on the demo store and its mapping (`fixtures/exchange/`): round
//! trips that give identical payloads and stores, imports that are all or nothing with every
//! problem located, periods refused by name, and ADX checked against its XML schema with
//! xmllint.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use danvan_core::period::{Period, Window};
use danvan_exchange::store::{ExchangeError, export, import, mapping};
use danvan_exchange::{Format, Mapping};
use danvan_store::{ImportOptions, MemoryStore, PeriodFilter, PeriodMatch, Query, Store};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn demo() -> MemoryStore {
    let store = MemoryStore::new();
    let dataset = danvan_store::dataset_dir::load(&root().join("fixtures/demo")).unwrap();
    let report = store.import(dataset, ImportOptions::default()).unwrap();
    assert!(!report.has_errors());
    store
}

fn demo_mapping(store: &dyn Store) -> Mapping {
    let text = std::fs::read_to_string(root().join("fixtures/exchange/mapping.toml")).unwrap();
    mapping(store, &text).unwrap()
}

/// The observations of 2024 (the year, its halves, quarters and months).
fn in_2024() -> Query {
    let mut q = Query::kind(danvan_core::record_kind::RecordKind::Observation);
    q.period = Some(PeriodFilter {
        period: Period::parse_id("2024").unwrap(),
        matching: PeriodMatch::Within,
        window: Window::Calendar,
    });
    q
}

const EXPORTED: &str = "2026-12-06T09:00:00Z";

fn problems(e: ExchangeError) -> Vec<danvan_exchange::Problem> {
    match e {
        ExchangeError::Problems(p) => p,
        other => panic!("{other}"),
    }
}

#[test]
fn a_round_trip_gives_the_same_payload_and_the_same_store() {
    for format in [Format::Dhis2, Format::Adx] {
        let a = demo();
        let map = demo_mapping(&a);
        let payload = export(&a, Some(&in_2024()), &map, format, EXPORTED).unwrap();
        // Into the store it came from: nothing changes.
        let before = a.export(None).unwrap();
        let report = import(&a, &payload, format, &map, ImportOptions::default()).unwrap();
        assert_eq!((report.created, report.updated), (0, 0), "{format:?}");
        assert!(report.unchanged > 20, "{format:?}: {}", report.unchanged);
        assert_eq!(a.export(None).unwrap(), before);

        // Into a store without those observations: they are made again, and give the same
        // payload back, byte for byte.
        let b = MemoryStore::new();
        let mut dataset = before.dataset.clone();
        let ours: Vec<String> = a
            .export(Some(&in_2024()))
            .unwrap()
            .dataset
            .observations
            .iter()
            .map(|o| o.id.to_string())
            .collect();
        dataset
            .observations
            .retain(|o| !ours.contains(&o.id.to_string()));
        // Conferences that cite the figures would dangle without them.
        for c in &mut dataset.conferences {
            c.figures.retain(|f| !ours.contains(&f.to_string()));
        }
        assert!(
            !b.import(dataset, ImportOptions::default())
                .unwrap()
                .has_errors()
        );
        let report = import(&b, &payload, format, &map, ImportOptions::default()).unwrap();
        assert!(!report.has_errors(), "{:#?}", report.problems);
        assert_eq!(report.created, ours.len(), "{format:?}");
        let again = export(&b, Some(&in_2024()), &map, format, EXPORTED).unwrap();
        assert_eq!(again, payload, "{format:?}");
        // The figures are the same, observation by observation (matched by indicator, place
        // and period; the new ones have IDs of their own and no source or note: nothing is
        // invented for them).
        let figures = |s: &dyn Store| {
            let mut v: Vec<_> = s
                .export(Some(&in_2024()))
                .unwrap()
                .dataset
                .observations
                .into_iter()
                .map(|o| {
                    (
                        o.indicator.to_string(),
                        o.province.map(|p| p.as_str().to_string()),
                        o.unit.map(|u| u.name.to_string()),
                        o.period.id(),
                        o.numerator,
                        o.denominator,
                        o.value.map(|v| v.to_string()),
                    )
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(figures(&a), figures(&b), "{format:?}");
    }
}

#[test]
fn the_payloads_read_as_their_formats_say() {
    let a = demo();
    let map = demo_mapping(&a);
    let json = export(&a, Some(&in_2024()), &map, Format::Dhis2, EXPORTED).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["dataSet"], "DV_BAOCAO_DINH_KY");
    let values = v["dataValues"].as_array().unwrap();
    // Thái Nguyên's complaints resolved in the first half of 2024, 1.272 of 1.337: a ratio,
    // two values; Bắc Kạn's (merged into Thái Nguyên since) in its own unit.
    let of = |element: &str, org_unit: &str| {
        values
            .iter()
            .find(|d| {
                d["dataElement"] == element && d["orgUnit"] == org_unit && d["period"] == "2024S1"
            })
            .map(|d| d["value"].as_str().unwrap().to_string())
    };
    assert_eq!(
        of("DV_COMPLAINTS_RESOLVED_TU_SO", "VN_TN").as_deref(),
        Some("1272"),
        "{json}"
    );
    assert_eq!(
        of("DV_COMPLAINTS_RESOLVED_MAU_SO", "VN_TN").as_deref(),
        Some("1337")
    );
    assert_eq!(
        of("DV_COMPLAINTS_RESOLVED_TU_SO", "VN_BK_2024").as_deref(),
        Some("410")
    );
    let adx = export(&a, Some(&in_2024()), &map, Format::Adx, EXPORTED).unwrap();
    assert!(
        adx.contains("<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"2026-12-06T09:00:00Z\">")
    );
    assert!(adx.contains("period=\"2024-01-01/P1Y\""), "{adx}");
    assert!(adx.contains("period=\"2024-01-01/P6M\""), "{adx}");
    assert!(adx.contains("period=\"2024-06-01/P1M\""), "{adx}");
}

/// Every observation that cannot be exchanged is named, with why; nothing is written.
#[test]
fn an_export_names_what_cannot_be_exchanged() {
    let a = demo();
    let map = demo_mapping(&a);
    let found = problems(export(&a, None, &map, Format::Dhis2, EXPORTED).unwrap_err());
    let lc = found
        .iter()
        .find(|p| p.at == "observation lc-2025-grassroots-democracy")
        .unwrap();
    assert_eq!(lc.code, "figure-missing");
    assert!(lc.message.contains("never made up"), "{}", lc.message);
    let mut phase = danvan_core::indicator::Observation::new(
        danvan_core::id::RecordId::new("tn-giai-doan-doi-thoai").unwrap(),
        danvan_core::id::RecordId::new("dialogues_held").unwrap(),
        Period::parse_id("2021-2025").unwrap(),
    );
    phase.province = Some(danvan_core::province::ProvinceRef::new("thai-nguyen"));
    phase.value = Some("212".parse().unwrap());
    a.put(
        danvan_core::dataset::AnyRecord::Observation(phase),
        danvan_store::Expected::Any,
    )
    .unwrap();
    let found = problems(export(&a, None, &map, Format::Adx, EXPORTED).unwrap_err());
    let phase = found
        .iter()
        .find(|p| p.at == "observation tn-giai-doan-doi-thoai")
        .unwrap();
    assert_eq!(phase.code, "no-period-form");
    assert!(phase.message.contains("2021-2025"), "{}", phase.message);
}

/// An import with problems writes nothing and names every one, where it is.
#[test]
fn an_import_is_all_or_nothing_with_every_problem_located() {
    let a = demo();
    let map = demo_mapping(&a);
    let revision = a.revision().unwrap();
    let payload = r#"{"dataSet": "DV_BAOCAO_DINH_KY", "dataValues": [
        {"dataElement": "DV_DIALOGUES_HELD", "period": "2025", "orgUnit": "VN_TN", "value": "14"},
        {"dataElement": "DV_NOT_MAPPED", "period": "2025", "orgUnit": "VN_TN", "value": "3"},
        {"dataElement": "DV_DIALOGUES_HELD", "period": "2025W10", "orgUnit": "VN_TN", "value": "3"},
        {"dataElement": "DV_DIALOGUES_HELD", "period": "2025", "orgUnit": "VN_XX", "value": "3"},
        {"dataElement": "DV_ONE_STOP_COMMUNES_TU_SO", "period": "2025", "orgUnit": "VN_HN", "value": "30"},
        {"dataElement": "DV_HOTSPOTS", "period": "2025", "orgUnit": "VN_HN", "value": "hai"},
        {"dataElement": "DV_HOTSPOTS", "period": "2025", "orgUnit": "VN_LC"},
        {"dataElement": "DV_SIPAS", "period": "2025", "orgUnit": "VN_HN", "value": "84.5", "categoryOptionCombo": "FEMALE"}
    ]}"#;
    let found =
        problems(import(&a, payload, Format::Dhis2, &map, ImportOptions::default()).unwrap_err());
    let located: Vec<(&str, &str)> = found.iter().map(|p| (p.at.as_str(), p.code)).collect();
    for expected in [
        ("dataValues[1].dataElement", "unmapped-data-element"),
        ("dataValues[2].period", "no-period-form"),
        ("dataValues[3].orgUnit", "unmapped-org-unit"),
        ("dataValues[6].value", "missing"),
        ("dataValues[7].categoryOptionCombo", "disaggregated"),
    ] {
        assert!(located.contains(&expected), "{expected:?} in {located:#?}");
    }
    assert!(
        found.iter().any(|p| p.message.contains("weekly")),
        "{found:#?}"
    );
    assert_eq!(a.revision().unwrap(), revision);

    // With the reading problems fixed, the figures' own are next: still nothing written.
    let payload = r#"{"dataValues": [
        {"dataElement": "DV_DIALOGUES_HELD", "period": "2025", "orgUnit": "VN_TN", "value": "14"},
        {"dataElement": "DV_ONE_STOP_COMMUNES_TU_SO", "period": "2025", "orgUnit": "VN_HN", "value": "30"},
        {"dataElement": "DV_HOTSPOTS", "period": "2025", "orgUnit": "VN_HN", "value": "hai"},
        {"dataElement": "DV_DOSSIERS_ON_TIME_TU_SO", "period": "2025", "orgUnit": "VN_HN", "value": "120"},
        {"dataElement": "DV_DOSSIERS_ON_TIME_MAU_SO", "period": "2025", "orgUnit": "VN_HN", "value": "100"}
    ]}"#;
    let found =
        problems(import(&a, payload, Format::Dhis2, &map, ImportOptions::default()).unwrap_err());
    let located: Vec<(&str, &str)> = found.iter().map(|p| (p.at.as_str(), p.code)).collect();
    for expected in [
        ("dataValues[1]", "ratio-incomplete"),
        ("dataValues[2]", "not-a-number"),
        ("dataValues[3]", "out-of-range"),
    ] {
        assert!(located.contains(&expected), "{expected:?} in {located:#?}");
    }
    assert_eq!(a.revision().unwrap(), revision);

    // ADX problems name their lines.
    let adx = "<?xml version=\"1.0\"?>\n<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"2026-01-01T00:00:00Z\">\n  <group orgUnit=\"VN_TN\" period=\"2025-02-01/P6M\" dataSet=\"X\">\n    <dataValue dataElement=\"DV_DIALOGUES_HELD\" value=\"3\"/>\n  </group>\n  <group orgUnit=\"VN_TN\" period=\"2025-01-01/P1Y\" dataSet=\"X\">\n    <dataValue dataElement=\"DV_DIALOGUES_HELD\" SEX=\"F\" value=\"3\"/>\n  </group>\n</adx>\n";
    let found = problems(import(&a, adx, Format::Adx, &map, ImportOptions::default()).unwrap_err());
    let located: Vec<(&str, &str)> = found.iter().map(|p| (p.at.as_str(), p.code)).collect();
    assert!(
        located.contains(&("line 3", "no-period-form")),
        "{located:?}"
    );
    assert!(
        located.contains(&("line 7", "disaggregated")),
        "{located:?}"
    );
    assert_eq!(a.revision().unwrap(), revision);
}

#[test]
fn a_dry_run_says_what_would_change_and_writes_nothing() {
    let a = demo();
    let map = demo_mapping(&a);
    let revision = a.revision().unwrap();
    let payload = r#"{"dataValues": [
        {"dataElement": "DV_DIALOGUES_HELD", "period": "2025S2", "orgUnit": "VN_TN", "value": "9"},
        {"dataElement": "DV_ONE_STOP_COMMUNES_TU_SO", "period": "2025S1", "orgUnit": "VN_HN", "value": 30},
        {"dataElement": "DV_ONE_STOP_COMMUNES_MAU_SO", "period": "2025S1", "orgUnit": "VN_HN", "value": 126}
    ]}"#;
    let options = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let report = import(&a, payload, Format::Dhis2, &map, options).unwrap();
    assert!(report.dry_run);
    assert_eq!(report.created, 2, "{report:#?}");
    assert_eq!(a.revision().unwrap(), revision);
    let report = import(&a, payload, Format::Dhis2, &map, ImportOptions::default()).unwrap();
    assert_eq!(report.created, 2);
    let stored = a
        .export(Some(&Query::kind(
            danvan_core::record_kind::RecordKind::Observation,
        )))
        .unwrap()
        .dataset
        .observations
        .into_iter()
        .find(|o| {
            o.indicator.as_str() == "one_stop_communes"
                && o.period.id() == "2025S1"
                && o.province.as_ref().is_some_and(|p| p.as_str() == "ha-noi")
        })
        .unwrap();
    assert_eq!(
        (stored.numerator, stored.denominator),
        (Some(30), Some(126))
    );
    assert_eq!(stored.source, None);
}

#[test]
fn a_bad_mapping_is_named_line_by_line() {
    let a = demo();
    let text = "data_set = \"X\"\n\n[[data_elements]]\nindicator = \"complaints_resolved\"\ndata_element = \"DV_CR\"\n\n[[data_elements]]\nindicator = \"no_such_indicator\"\ndata_element = \"DV_X\"\n\n[[org_units]]\ncode = \"VN_Q\"\nprovince = \"atlantis\"\n";
    let e = mapping(&a, text).unwrap_err();
    let ExchangeError::Mapping(found) = e else {
        panic!("{e}")
    };
    let lines: Vec<(Option<usize>, &str)> =
        found.iter().map(|p| (p.line, p.message.as_str())).collect();
    assert!(
        lines
            .iter()
            .any(|(l, m)| *l == Some(4) && m.contains("is a ratio")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|(l, m)| *l == Some(8) && m.contains("not in the catalogue")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|(l, m)| *l == Some(12) && m.contains("atlantis")),
        "{lines:?}"
    );
    let e = mapping(&a, "[[data_elements]]\nindicator = 3\n").unwrap_err();
    assert!(e.to_string().contains("line 2"), "{e}");
}

/// The ADX danvan writes is valid against the ADX schema (`schema/adx.xsd`), checked with
/// libxml2's xmllint (`cargo xtask ci` installs it when missing).
#[test]
fn adx_is_valid_against_its_schema() {
    let a = demo();
    let map = demo_mapping(&a);
    let adx = export(&a, Some(&in_2024()), &map, Format::Adx, EXPORTED).unwrap();
    let dir = tempfile_dir();
    let file = dir.join("demo.adx.xml");
    std::fs::write(&file, &adx).unwrap();
    let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema/adx.xsd");
    let run = |f: &std::path::Path| {
        std::process::Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&schema)
            .arg(f)
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "xmllint is needed ({e}): apt-get install libxml2-utils (`cargo xtask ci` does)"
                )
            })
    };
    let out = run(&file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // And the schema is not one that takes anything: a group without its period fails.
    let broken = dir.join("broken.adx.xml");
    std::fs::write(&broken, adx.replacen(" period=\"2024-01-01/P1Y\"", "", 1)).unwrap();
    assert!(!run(&broken).status.success());
    let _ = std::fs::remove_dir_all(dir);
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("danvan-exchange-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

proptest::proptest! {
    /// Whatever values danvan writes — codes with XML's and JSON's special characters, any
    /// period it has a form for — read back as written, in both formats.
    #[test]
    fn payloads_read_back_as_written(
        values in proptest::collection::vec(
            (
                "[A-Za-z0-9_&<>\"' ]{1,12}",
                proptest::sample::select(vec!["2024", "2024S1", "2024S2", "2024Q3", "202406", "2025"]),
                "[A-Za-z0-9_&<>\"']{1,12}",
                "-?[0-9]{1,9}(\\.[0-9]{1,4})?",
            ),
            0..30,
        )
    ) {
        let values: Vec<danvan_exchange::DataValue> = values
            .into_iter()
            .map(|(o, p, e, v)| danvan_exchange::DataValue {
                org_unit: o.trim().to_string(),
                period: p.to_string(),
                data_element: e,
                value: v,
            })
            .filter(|v| !v.org_unit.is_empty())
            .collect();
        let json = danvan_exchange::dhis2::write(&values, Some("DS"));
        let (read, problems) = danvan_exchange::dhis2::read(&json);
        proptest::prop_assert!(problems.is_empty(), "{problems:?}");
        proptest::prop_assert_eq!(read.into_iter().map(|l| l.value).collect::<Vec<_>>(), values.clone());
        let adx = danvan_exchange::adx::write(&values, "DS", EXPORTED).unwrap();
        let (read, problems) = danvan_exchange::adx::read(&adx);
        proptest::prop_assert!(problems.is_empty(), "{problems:?}");
        let mut read: Vec<_> = read.into_iter().map(|l| l.value).collect();
        let mut want = values;
        read.sort();
        want.sort();
        proptest::prop_assert_eq!(read, want);
    }
}

/// A figure whose period the central board approved (Thái Nguyên's 2025 report) is locked: an
/// import that would change it is refused, all of it, the data value named; unlocked, it goes
/// in.
#[test]
fn an_import_into_an_approved_period_is_refused() {
    use danvan_core::cycle::Action;
    use danvan_store::Author;
    let a = demo();
    let map = demo_mapping(&a);
    let form: danvan_core::dataset::AnyRecord = serde_json::from_value(serde_json::json!({
        "kind": "form", "record": {"id": "tw-bao-cao-nam", "name": "Báo cáo công tác dân vận năm",
        "period_kind": "year", "due_days_after_end": 15}}))
    .unwrap();
    a.put(form, danvan_store::Expected::Absent).unwrap();
    let board = Author::new("ban-dan-van-trung-uong");
    let period = Period::parse_id("2025").unwrap();
    let begun = danvan_store::cycle::begin(
        &a,
        &"tw-bao-cao-nam".parse().unwrap(),
        None,
        Some("thai-nguyen"),
        period,
        &board,
    )
    .unwrap();
    let id = begun.changes[0].id.clone();
    let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 10)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap();
    for action in [Action::Send, Action::Approve] {
        danvan_store::cycle::step(&a, &id, action, None, at, None, &board).unwrap();
    }
    let revision = a.revision().unwrap();
    let payload = r#"{"dataValues": [
        {"dataElement": "DV_DIALOGUES_HELD", "period": "2025", "orgUnit": "VN_TN", "value": "99"}
    ]}"#;
    let found =
        problems(import(&a, payload, Format::Dhis2, &map, ImportOptions::default()).unwrap_err());
    assert!(
        found.iter().any(|p| p.at == "dataValues[0]"
            && p.code == "locked"
            && p.message.contains("approved by ban-dan-van-trung-uong")),
        "{found:#?}"
    );
    assert_eq!(a.revision().unwrap(), revision, "nothing written");
    danvan_store::cycle::step(
        &a,
        &id,
        Action::Unlock,
        Some("Sửa số liệu"),
        at,
        None,
        &board,
    )
    .unwrap();
    import(&a, payload, Format::Dhis2, &map, ImportOptions::default()).unwrap();
}
