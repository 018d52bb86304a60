//! Property tests: the parsers round-trip what the printers write, and never panic.

use danvan_core::docnum::DocumentNumber;
use danvan_core::number::{Convention, Decimal};
use danvan_core::period::{Period, Window};
use proptest::prelude::*;

const PARTY_TYPES: &[&str] = &[
    "NQ", "CT", "KL", "QĐ", "QĐi", "HD", "TB", "KH", "CTr", "ĐA", "BC", "XYZ",
];
const STATE_TYPES: &[&str] = &["QĐ", "NQ", "KH", "TB", "CV", "NĐ", "TT", "BC", "HD"];
const ISSUERS: &[&str] = &[
    "TU", "TW", "BDVTU", "BTGDVTW", "ĐU", "BCĐ", "UBND", "BHXH", "CP", "TTg", "UBTVQH15", "HU",
];

fn party() -> impl Strategy<Value = String> {
    (
        1u32..5000,
        prop::sample::select(PARTY_TYPES),
        prop::sample::select(ISSUERS),
    )
        .prop_map(|(n, t, i)| format!("{n:02}-{t}/{i}"))
}

fn state_admin() -> impl Strategy<Value = String> {
    (
        1u32..100_000,
        prop::sample::select(STATE_TYPES),
        prop::sample::select(ISSUERS),
    )
        .prop_map(|(n, t, i)| format!("{n:02}/{t}-{i}"))
}

fn state_legal() -> impl Strategy<Value = String> {
    (
        1u32..1000,
        1945i32..2100,
        prop::option::of(prop::sample::select(STATE_TYPES)),
        prop::sample::select(ISSUERS),
    )
        .prop_map(|(n, y, t, i)| match t {
            Some(t) => format!("{n:02}/{y}/{t}-{i}"),
            None => format!("{n:02}/{y}/{i}"),
        })
}

/// Messes a canonical number up the way people type it.
fn messy(canonical: &str, prefix: usize, spaces: bool, dash: bool) -> String {
    let mut s = canonical.to_string();
    if dash {
        s = s.replace('-', "–");
    }
    if spaces {
        s = s
            .replace('/', " / ")
            .replace('–', " – ")
            .replace('-', " - ");
    }
    let prefix = ["", "Số ", "Số: ", "số:", "SO "][prefix];
    format!("{prefix}{s}")
}

fn period() -> impl Strategy<Value = Period> {
    prop_oneof![
        (1930i32..=2100).prop_map(|y| Period::year(y).unwrap()),
        (1930i32..=2100, 1u32..=2).prop_map(|(y, h)| Period::half(y, h).unwrap()),
        (1930i32..=2100, 1u32..=4).prop_map(|(y, q)| Period::quarter(y, q).unwrap()),
        (1930i32..=2100, 1u32..=12).prop_map(|(y, m)| Period::month(y, m).unwrap()),
        (1930i32..=2090, 0i32..=10).prop_map(|(y, n)| Period::phase(y, y + n).unwrap()),
        (1930i32..=2090, 1i32..=10).prop_map(|(y, n)| Period::term(y, y + n).unwrap()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn canonical_document_numbers_round_trip(s in prop_oneof![party(), state_admin(), state_legal()]) {
        let n = DocumentNumber::parse(&s).unwrap();
        prop_assert_eq!(n.to_string(), s);
    }

    #[test]
    fn messy_document_numbers_normalise(
        s in prop_oneof![party(), state_admin(), state_legal()],
        prefix in 0usize..5, spaces: bool, dash: bool,
    ) {
        let typed = messy(&s, prefix, spaces, dash);
        let n = DocumentNumber::parse(&typed).unwrap();
        prop_assert_eq!(n.to_string(), s);
    }

    #[test]
    fn document_number_parser_never_panics(s in "\\PC{0,40}") {
        if let Ok(n) = DocumentNumber::parse(&s) {
            let again = DocumentNumber::parse(&n.to_string()).unwrap();
            prop_assert_eq!(again, n);
        }
    }

    #[test]
    fn period_ids_and_phrases_round_trip(p in period()) {
        prop_assert_eq!(Period::parse_id(&p.to_string()).unwrap(), p);
        prop_assert_eq!(Period::parse(&p.to_vietnamese(), None).unwrap(), p);
        // Stepping stays within the years the parser reads, or says it cannot.
        match p.next() {
            Some(n) => {
                prop_assert_eq!(Period::parse_id(&n.to_string()).unwrap(), n);
                prop_assert_eq!(n.previous(), Some(p));
            }
            None => prop_assert!(p.years().1 >= 2100 - 10),
        }
        prop_assert!(p.contains(&p));
        for w in [Window::Calendar, Window::DECREE_09] {
            let (start, end) = p.date_range(w);
            prop_assert!(start <= end);
            let Some(prev) = p.previous() else {
                prop_assert!(p.years().0 <= 1930 + 10);
                continue;
            };
            prop_assert_eq!(Period::parse_id(&prev.to_string()).unwrap(), prev);
            let (_, prev_end) = prev.date_range(w);
            if p.kind() != danvan_core::period::PeriodKind::Term {
                // Consecutive periods of the same kind meet without a gap or overlap.
                prop_assert_eq!(prev_end.succ_opt().unwrap(), start);
            }
        }
    }

    #[test]
    fn period_parsers_never_panic(s in "\\PC{0,40}") {
        let _ = Period::parse_id(&s);
        let _ = Period::parse(&s, Some(2024));
    }

    #[test]
    fn numbers_round_trip_in_both_conventions(units in -1_000_000_000_000i64..1_000_000_000_000, scale in 0u8..=4) {
        let d = Decimal::new(units, scale);
        let vi = d.to_vietnamese(scale);
        prop_assert_eq!(Decimal::parse(&vi, Convention::Vietnamese).unwrap(), d);
        let en = d.to_english(scale);
        prop_assert_eq!(Decimal::parse(&en, Convention::English).unwrap(), d);
        prop_assert_eq!(d.to_string().parse::<Decimal>().unwrap(), d);
        // The JSON form keeps the value and the written places.
        let json = serde_json::to_string(&d).unwrap();
        let back = serde_json::from_str::<Decimal>(&json).unwrap();
        prop_assert_eq!(back, d);
        prop_assert_eq!((back.units(), back.scale()), (d.units(), d.scale()), "{}", json);
    }

    #[test]
    fn number_parser_never_panics(s in "[0-9.,  \\-+a%]{0,24}") {
        for c in [Convention::Vietnamese, Convention::English, Convention::Auto] {
            let _ = Decimal::parse(&s, c);
        }
    }

    #[test]
    fn percentages_agree_with_their_own_statement(n in 0u64..100_000, extra in 0u64..100_000) {
        let d = n + extra + 1;
        let pct = Decimal::percentage(n, d, 2).unwrap();
        let stated = danvan_core::indicator::StatedPercentage::parse(&format!("{}%", pct.to_vietnamese(2))).unwrap();
        prop_assert!(stated.agrees_with_ratio(n, d));
    }
}

proptest! {
    /// The marked fold gives the same key as the plain one, and one mark per byte of it.
    #[test]
    fn marked_keys_are_the_search_keys(s in "\\PC{0,60}") {
        let (mut key, mut marks) = (String::new(), Vec::new());
        danvan_core::text::push_search_key_marked(&mut key, &mut marks, &s);
        prop_assert_eq!(&key, &danvan_core::text::search_key(&s));
        prop_assert_eq!(marks.len(), key.len());
    }
}
