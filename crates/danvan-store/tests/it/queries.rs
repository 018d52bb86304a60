//! Queries: provinces on both maps, periods, dates, kinds, text, ordering and paging.

use chrono::NaiveDate;
use danvan_core::conference::ConferenceKind;
use danvan_core::model::ModelField;
use danvan_core::period::{Period, Window};
use danvan_core::record_kind::RecordKind;
use danvan_store::{
    PeriodFilter, PeriodMatch, ProvinceFilter, ProvinceMap, Query, SortKey, Store, StoreError,
};

use crate::demo_store;

fn ids(store: &impl Store, q: &Query) -> Vec<String> {
    store
        .query(q)
        .unwrap()
        .items
        .iter()
        .map(|h| h.stored.record.id().to_string())
        .collect()
}

fn province(name: &str, map: ProvinceMap) -> Option<ProvinceFilter> {
    Some(ProvinceFilter {
        province: name.into(),
        map,
    })
}

#[test]
fn province_rolled_up_onto_the_current_map_or_as_recorded() {
    let (_tmp, store) = demo_store();
    let q = |name: &str, map| Query {
        kinds: vec![RecordKind::Observation],
        province: province(name, map),
        period: Some(PeriodFilter {
            period: Period::year(2024).unwrap(),
            matching: PeriodMatch::Within,
            window: Window::Calendar,
        }),
        indicator: Some("one_stop_communes".parse().unwrap()),
        sort: SortKey::Id,
        ..Query::default()
    };
    // Bắc Kạn's 2024 figures count for Thái Nguyên on today's map…
    assert_eq!(
        ids(&store, &q("thai-nguyen", ProvinceMap::Current)),
        ["bk-2024-one-stop-communes", "tn-2024-one-stop-communes"]
    );
    // …and only for Bắc Kạn as recorded. Names work as well as slugs.
    assert_eq!(
        ids(&store, &q("Bắc Kạn", ProvinceMap::AsRecorded)),
        ["bk-2024-one-stop-communes"]
    );
    assert_eq!(
        ids(&store, &q("thai-nguyen", ProvinceMap::AsRecorded)),
        ["tn-2024-one-stop-communes"]
    );
    // Asking for Bắc Kạn on the current map means the unit it became.
    assert_eq!(ids(&store, &q("bac-kan", ProvinceMap::Current)).len(), 2);
    // Huế took over Thừa Thiên Huế.
    let hue = Query {
        province: province("hue", ProvinceMap::Current),
        sort: SortKey::Id,
        ..Query::default()
    };
    assert!(ids(&store, &hue).contains(&"tth-2024-dossiers-resolved".to_string()));

    let err = store
        .query(&Query {
            province: province("Atlantis", ProvinceMap::Current),
            ..Query::default()
        })
        .unwrap_err();
    insta::assert_snapshot!(err.to_string(), @r#"unknown province "Atlantis": use a slug such as "thai-nguyen" or a name"#);
}

#[test]
fn periods_within_or_overlapping_and_cut_off_windows() {
    let (_tmp, store) = demo_store();
    let conferences = |period: &str, matching, window| Query {
        kinds: vec![RecordKind::Conference],
        period: Some(PeriodFilter {
            period: period.parse().unwrap(),
            matching,
            window,
        }),
        sort: SortKey::Date,
        ..Query::default()
    };
    assert_eq!(
        ids(
            &store,
            &conferences("2024S1", PeriodMatch::Within, Window::Calendar)
        ),
        [
            "hn-2024-chuyen-de-dan-chu",
            "tn-2024-so-ket-6-thang",
            "bk-2024-so-ket-ke-hoach-24"
        ]
    );
    // 18 December 2024 falls in the 2025 reporting year under Decree 09/2019's cut-off window.
    let cut_off = ids(
        &store,
        &conferences("2025", PeriodMatch::Within, Window::DECREE_09),
    );
    assert_eq!(
        cut_off.first().map(String::as_str),
        Some("tn-2024-tong-ket-nam")
    );
    // A directive's span is its phase: 2021–2025 overlaps 2024 but is not within it.
    let directives = |matching| Query {
        kinds: vec![RecordKind::Directive],
        province: province("thai-nguyen", ProvinceMap::AsRecorded),
        period: Some(PeriodFilter {
            period: "2024".parse().unwrap(),
            matching,
            window: Window::Calendar,
        }),
        ..Query::default()
    };
    assert_eq!(
        ids(&store, &directives(PeriodMatch::Overlaps)),
        ["tn-05-da-2021", "tn-31-kh-2023"]
    );
    assert!(ids(&store, &directives(PeriodMatch::Within)).is_empty());
}

#[test]
fn dates_kinds_and_fields() {
    let (_tmp, store) = demo_store();
    let q = Query {
        since: NaiveDate::from_ymd_opt(2025, 1, 1),
        until: NaiveDate::from_ymd_opt(2025, 12, 31),
        conference_kind: Some(ConferenceKind::Dialogue),
        ..Query::default()
    };
    assert_eq!(ids(&store, &q), ["hue-2025-doi-thoai"]);
    let q = Query {
        model_field: Some(ModelField::DefenceSecurity),
        sort: SortKey::Id,
        ..Query::default()
    };
    assert_eq!(
        ids(&store, &q),
        ["bk-2021-hoa-giai", "tn-2023-camera-an-ninh"]
    );
}

#[test]
fn text_search_ignores_diacritics_case_and_tone_placement() {
    let (_tmp, store) = demo_store();
    let q = |text: &str| Query {
        text: Some(text.into()),
        sort: SortKey::Relevance,
        limit: 5,
        ..Query::default()
    };
    let page = store.query(&q("dan van kheo")).unwrap();
    assert!(page.total >= 5, "{}", page.total);
    let first = &page.items[0];
    let m = first.matched.as_ref().unwrap();
    assert!(
        ["title", "name", "name_vi"].contains(&m.field.as_str()),
        "{m:?}"
    );
    assert!(danvan_core::text::matches(&m.text, "dân vận khéo"));

    // "hoà" and "hòa" find the same records; so does plain "hoa".
    let a = ids(&store, &q("khánh hoà"));
    let b = ids(&store, &q("KHÁNH HÒA"));
    assert_eq!(a, b);
    // Every word must occur, in any field.
    // ("hạnh" is "hành" without tones: records of "hành chính" rank beside the chair's name.)
    let both = store
        .query(&Query {
            limit: 50,
            ..q("hạnh tỉnh ủy")
        })
        .unwrap();
    assert!(
        both.items
            .iter()
            .any(|h| h.stored.record.id().as_str() == "tn-2023-so-ket-de-an-05")
    );
    // A chair's name is searchable and reported as the field that matched.
    let chair = store.query(&q("Triệu Đức Long")).unwrap();
    let m = chair.items[0].matched.as_ref().unwrap();
    insta::assert_snapshot!(format!("{} {}: {}", chair.items[0].stored.record.id(), m.field, m.text), @"bk-2024-doi-thoai chairs[0].name: Triệu Đức Long");
    assert_eq!(store.query(&q("không có gì như thế này")).unwrap().total, 0);
}

#[test]
fn paging_visits_every_record_once_in_order() {
    let (_tmp, store) = demo_store();
    for (sort, descending) in [
        (SortKey::Date, false),
        (SortKey::Title, false),
        (SortKey::Id, true),
        (SortKey::Revision, false),
    ] {
        let mut q = Query {
            sort,
            descending,
            limit: 7,
            ..Query::default()
        };
        let mut seen = Vec::new();
        loop {
            let page = store.query(&q).unwrap();
            seen.extend(
                page.items
                    .iter()
                    .map(|h| (h.stored.record.kind(), h.stored.record.id().clone())),
            );
            match page.next {
                Some(next) => q.cursor = Some(next),
                None => break,
            }
        }
        let total = store.query(&Query::default()).unwrap().total;
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (total, total), "{sort:?}");
    }
    let titles: Vec<String> = store
        .query(&Query {
            kinds: vec![RecordKind::Model],
            sort: SortKey::Title,
            limit: 3,
            ..Query::default()
        })
        .unwrap()
        .items
        .iter()
        .map(|h| h.stored.record.as_ref().title())
        .collect();
    insta::assert_snapshot!(titles.join(" | "), @"Bí thư chi bộ gương mẫu, gần dân | Camera an ninh – Mắt thần khu dân cư | Dân vận khéo trong chuyển đổi số ở cơ sở");
}

#[test]
fn bad_queries_say_what_is_wrong() {
    let (_tmp, store) = demo_store();
    let msg = |q: Query| store.query(&q).unwrap_err().to_string();
    insta::assert_snapshot!(msg(Query { limit: 0, ..Query::default() }), @"limit must be 1 to 1000, not 0");
    insta::assert_snapshot!(msg(Query { cursor: Some("zz".into()), ..Query::default() }), @r#"invalid cursor "zz": pass back the `next` value of a previous page"#);
    insta::assert_snapshot!(msg(Query { sort: SortKey::Relevance, ..Query::default() }), @"sorting by relevance needs a text query");
    assert!(matches!(
        store.query(&Query {
            limit: 1001,
            ..Query::default()
        }),
        Err(StoreError::BadQuery(_))
    ));
}

#[test]
fn a_record_that_moves_province_is_found_only_in_its_new_one() {
    let (_tmp, store) = demo_store();
    let by = |p: &str| Query {
        kinds: vec![RecordKind::Model],
        province: province(p, ProvinceMap::AsRecorded),
        sort: SortKey::Id,
        ..Query::default()
    };
    let before = ids(&store, &by("ha-noi"));
    let got = store
        .get(RecordKind::Model, &"hn-2018-tiep-dan".parse().unwrap())
        .unwrap()
        .unwrap();
    let danvan_core::dataset::AnyRecord::Model(mut m) = got.record else {
        panic!()
    };
    // Moved to Huế, back to Hà Nội, and to Huế again: each list must hold it once, or not at all.
    for to in ["hue", "ha-noi", "hue"] {
        m.province = danvan_core::province::ProvinceRef::new(to);
        store
            .put(
                danvan_core::dataset::AnyRecord::Model(m.clone()),
                danvan_store::Expected::Any,
            )
            .unwrap();
    }
    let after = ids(&store, &by("ha-noi"));
    assert_eq!(after.len(), before.len() - 1);
    assert!(!after.contains(&"hn-2018-tiep-dan".to_string()));
    let in_hue = ids(&store, &by("hue"));
    assert_eq!(
        in_hue.iter().filter(|id| *id == "hn-2018-tiep-dan").count(),
        1
    );
}

#[test]
fn visit_lends_exactly_what_export_copies() {
    let (_tmp, store) = demo_store();
    let queries = [
        Query::default(),
        Query::kind(RecordKind::Observation),
        Query {
            kinds: vec![RecordKind::Conference],
            province: province("thai-nguyen", ProvinceMap::Current),
            period: Some(PeriodFilter {
                period: Period::year(2024).unwrap(),
                matching: PeriodMatch::Within,
                window: Window::Calendar,
            }),
            ..Query::default()
        },
        Query {
            text: Some("dan van kheo".into()),
            ..Query::default()
        },
    ];
    for q in &queries {
        let mut visited = Vec::new();
        store
            .visit(q, &mut |r| {
                visited.push((r.kind(), r.id().to_string()));
            })
            .unwrap();
        visited.sort();
        let mut exported: Vec<(RecordKind, String)> = store
            .export(Some(q))
            .unwrap()
            .dataset
            .records()
            .map(|r| (r.kind(), r.id().to_string()))
            .collect();
        exported.sort();
        assert!(!exported.is_empty(), "{q:?} matches something");
        assert_eq!(visited, exported, "{q:?}");
    }
    // Both could share a bug in the store's own filter: check them against one written here,
    // over every record, from the records' own fields and the registry.
    let everything = store.export(None).unwrap().dataset;
    let reg = danvan_core::province::registry();
    let (start, end) = Period::year(2024).unwrap().date_range(Window::Calendar);
    let mut expected: Vec<String> = everything
        .conferences
        .iter()
        .filter(|c| {
            c.province
                .as_ref()
                .and_then(|p| reg.current(p.as_str()))
                .is_some_and(|u| u.slug == "thai-nguyen")
                && start <= c.date
                && c.last_day() <= end
        })
        .map(|c| c.id.to_string())
        .collect();
    expected.sort();
    let mut visited = Vec::new();
    store
        .visit(&queries[2], &mut |r| visited.push(r.id().to_string()))
        .unwrap();
    visited.sort();
    assert!(expected.len() >= 3, "{expected:?}");
    assert_eq!(visited, expected);
    let folded = |t: &str| danvan_core::text::matches_words(t, "dan van kheo");
    let mut expected: Vec<(RecordKind, String)> = everything
        .iter()
        .filter(|r| {
            r.search_texts().iter().any(|t| folded(t)) || folded(&r.search_texts().join(" "))
        })
        .map(|r| (r.kind(), r.id().to_string()))
        .collect();
    expected.sort();
    let mut visited = Vec::new();
    store
        .visit(&queries[3], &mut |r| {
            visited.push((r.kind(), r.id().to_string()))
        })
        .unwrap();
    visited.sort();
    assert_eq!(visited, expected);
    // A bad query is an error, as for the other reads.
    let bad = Query {
        province: province("Atlantis", ProvinceMap::Current),
        ..Query::default()
    };
    assert!(store.visit(&bad, &mut |_| {}).is_err());
}

/// Typography typed on a phone or pasted from Word folds like its plain form (issue 27, point
/// 7): a field holding curly quotes or a dash no longer gives up its vowel shapes (before, "Lâm"
/// found "làm" there), "dan van kheo" finds “Dân vận khéo” between curly quotes, and "H'Loan"
/// typed with a straight apostrophe finds “H’Loan”. Positions, discussion, sources and the
/// province's name are searched too.
#[test]
fn typography_folds_and_tones_still_count() {
    use danvan_core::dataset::AnyRecord;
    let tmp = tempfile::tempdir().unwrap();
    let store = danvan_store::JsonStore::init(tmp.path()).unwrap();
    let conference = |id: &str, title: &str, chair: &str, extra: serde_json::Value| {
        let mut record = serde_json::json!({"id": id, "kinds": ["thematic"], "title": title,
            "date": "2025-03-14", "hosts": ["Ban Dân vận Tỉnh ủy"], "province": "lao-cai",
            "format": {"mode": "in_person"}, "chairs": [{"name": chair,
                "position": "Phó Trưởng Ban Thường trực Ban Dân vận Tỉnh ủy"}]});
        if let (Some(r), Some(e)) = (record.as_object_mut(), extra.as_object()) {
            r.extend(e.clone());
        }
        serde_json::from_value::<AnyRecord>(
            serde_json::json!({"kind": "conference", "record": record}),
        )
        .unwrap()
    };
    store
        .apply(vec![
            danvan_store::Op::Put {
                record: conference(
                    "a",
                    "Biểu dương mô hình “Dân vận khéo” – cùng dân làm đường",
                    "Hoàng Thị H’Loan",
                    serde_json::json!({"discussion": ["Đại biểu nêu khó khăn về mặt bằng"],
                        "sources": [{"title": "Lào Cai: sơ kết phong trào", "publisher": "Báo Lào Cai"}]}),
                ),
                expected: danvan_store::Expected::Absent,
            },
            danvan_store::Op::Put {
                record: conference("b", "Hội nghị tại huyện Lâm Bình", "Nguyễn Văn Lâm", serde_json::json!({})),
                expected: danvan_store::Expected::Absent,
            },
        ])
        .unwrap();
    let find = |text: &str| {
        let mut v = ids(
            &store,
            &Query {
                text: Some(text.into()),
                limit: 10,
                ..Query::default()
            },
        );
        v.sort();
        v
    };
    assert_eq!(
        find("Lâm"),
        ["b"],
        "a tone-marked query keeps its vowel shape beside “ ”"
    );
    assert_eq!(find("làm đường"), ["a"]);
    assert_eq!(find("dan van kheo"), ["a"]);
    assert_eq!(find("\"Dân vận khéo\""), ["a"]);
    assert_eq!(find("H'Loan"), ["a"]);
    assert_eq!(find("H’Loan"), ["a"]);
    assert_eq!(find("phó trưởng ban thường trực"), ["a", "b"], "positions");
    assert_eq!(find("mặt bằng"), ["a"], "discussion");
    assert_eq!(find("Báo Lào Cai"), ["a"], "sources");
    assert_eq!(find("Lào Cai"), ["a", "b"], "the province's name");
}
