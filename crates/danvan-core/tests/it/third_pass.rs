//! The domain's third pass (issue 27): what texts showed the model could not hold, or read
//! wrongly without a word.

use danvan_core::citation::{Citation, CitationError, Relation};
use danvan_core::docnum::DocumentType;
use proptest::prelude::*;

/// A chained citation yields each document with its own number, date and issuer. The parser
/// before stored the second document's date (07/01/2016) and issuer (Bộ Chính trị) on the
/// first, with no word said.
#[test]
fn a_chained_citation_keeps_each_documents_parts() {
    let c = Citation::parse(
        "Kế hoạch số 52-KH/TU ngày 12/4/2020 của Ban Thường vụ Tỉnh ủy thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị về tiếp tục đẩy mạnh thực hiện Nghị quyết Trung ương 7 khóa X",
    )
    .unwrap();
    assert_eq!(c.doc_type, Some(DocumentType::Plan));
    assert_eq!(c.number.as_ref().unwrap().to_string(), "52-KH/TU");
    assert_eq!(c.issued_on.unwrap().to_string(), "2020-04-12");
    assert_eq!(c.issuer.as_ref().unwrap().as_str(), "Ban Thường vụ Tỉnh ủy");
    assert_eq!(
        c.title.as_ref().unwrap().as_str(),
        "thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị về tiếp tục đẩy mạnh thực hiện Nghị quyết Trung ương 7 khóa X"
    );
    let related = c.related.as_ref().unwrap();
    assert_eq!(related.relation, Relation::Implements);
    let k = &related.citation;
    assert_eq!(k.doc_type, Some(DocumentType::Conclusion));
    assert_eq!(k.number.as_ref().unwrap().to_string(), "120-KL/TW");
    assert_eq!(k.issued_on.unwrap().to_string(), "2016-01-07");
    assert_eq!(k.issuer.as_ref().unwrap().as_str(), "Bộ Chính trị");
    assert_eq!(
        k.title.as_ref().unwrap().as_str(),
        "tiếp tục đẩy mạnh thực hiện Nghị quyết Trung ương 7 khóa X"
    );
    // Written back as offices write it, without "về" before what it carries out.
    assert_eq!(
        c.to_vietnamese(),
        "Kế hoạch số 52-KH/TU, ngày 12/4/2020 của Ban Thường vụ Tỉnh ủy thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị về tiếp tục đẩy mạnh thực hiện Nghị quyết Trung ương 7 khóa X"
    );
    // "thực hiện" inside a title is the title's: no second document there.
    let t =
        Citation::parse("Kế hoạch số 31-KH/BDVTU ngày 15/3/2023 về thực hiện Kết luận số 43-KL/TW")
            .unwrap();
    assert!(t.related.is_none());
    assert_eq!(t.title.unwrap().as_str(), "thực hiện Kết luận số 43-KL/TW");
}

/// Text the parser cannot place is reported, not absorbed: two dates with nothing to say
/// they are two documents' is an error, not the second silently kept.
#[test]
fn a_second_date_is_reported_not_kept() {
    let e = Citation::parse("Kế hoạch số 52-KH/TU ngày 12/4/2020 ngày 07/01/2016").unwrap_err();
    assert!(
        matches!(e, CitationError::Repeated { part: "date", .. }),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        "\"Kế hoạch số 52-KH/TU ngày 12/4/2020 ngày 07/01/2016\" gives two dates (\"2020-04-12\" and \"07/01/2016\"): cite each document apart, or link them with \"thực hiện\", \"thay thế\" …"
    );
}

fn document() -> impl Strategy<
    Value = (
        &'static str,
        &'static str,
        u32,
        (u32, u32, i32),
        &'static str,
    ),
> {
    (
        prop::sample::select(vec![
            ("Kế hoạch", "KH/TU"),
            ("Nghị quyết", "NQ/TW"),
            ("Kết luận", "KL/TW"),
            ("Chỉ thị", "CT/TU"),
            ("Hướng dẫn", "HD/BDVTU"),
        ]),
        1u32..400,
        (1u32..=28, 1u32..=12, 1990i32..2030),
        prop::sample::select(vec![
            "Ban Thường vụ Tỉnh ủy",
            "Bộ Chính trị",
            "Ban Bí thư",
            "Ban Chấp hành Trung ương Đảng",
            "Ban Dân vận Tỉnh ủy",
        ]),
    )
        .prop_map(|((name, symbol), n, date, issuer)| (name, symbol, n, date, issuer))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every date and issuer read from a chained citation belongs to the document it is
    /// assigned to: the first document's parts on the first, the second's on the second.
    #[test]
    fn each_part_stays_with_its_document(
        a in document(),
        b in document(),
        link in prop::sample::select(vec![
            ("thực hiện", Relation::Implements),
            ("triển khai thực hiện", Relation::Implements),
            ("hướng dẫn thực hiện", Relation::Guides),
            ("thay thế", Relation::Replaces),
        ]),
    ) {
        let cite = |(name, symbol, n, (d, m, y), issuer): (&str, &str, u32, (u32, u32, i32), &str)| {
            format!("{name} số {n:02}-{symbol} ngày {d}/{m}/{y} của {issuer}")
        };
        let text = format!("{} {} {}", cite(a), link.0, cite(b));
        let c = Citation::parse(&text).unwrap();
        let date = |(d, m, y): (u32, u32, i32)| format!("{y:04}-{m:02}-{d:02}");
        prop_assert_eq!(c.issued_on.unwrap().to_string(), date(a.3));
        prop_assert_eq!(c.issuer.as_ref().unwrap().as_str(), a.4);
        let r = c.related.as_ref().unwrap();
        prop_assert_eq!(r.relation, link.1);
        prop_assert_eq!(r.citation.issued_on.unwrap().to_string(), date(b.3));
        prop_assert_eq!(r.citation.issuer.as_ref().unwrap().as_str(), b.4);
        prop_assert_eq!(r.citation.number.as_ref().unwrap().number(), b.2);
    }
}

/// A chain nests at most `MAX_CHAIN` links; the rest stays in the last document's title, so a
/// long or hostile text cannot nest without bound.
#[test]
fn a_long_chain_stops_nesting() {
    let links: Vec<String> = (1..=40)
        .map(|n| format!("Kế hoạch số {n:02}-KH/TU ngày 1/2/2020 của Ban Thường vụ Tỉnh ủy"))
        .collect();
    let c = Citation::parse(&links.join(" thực hiện ")).unwrap();
    let mut depth = 0;
    let mut at = &c;
    while let Some(r) = &at.related {
        depth += 1;
        at = &r.citation;
    }
    assert_eq!(depth, danvan_core::citation::MAX_CHAIN);
    assert!(
        at.title
            .as_ref()
            .unwrap()
            .as_str()
            .contains("Kế hoạch số 40-KH/TU")
    );
}
