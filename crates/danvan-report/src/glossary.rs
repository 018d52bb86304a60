//! The English of Vietnamese bodies, titles and terms, kept as data (`glossary.toml`, built
//! into the library): "Ban Thường vụ" is the Standing Committee, "Thường trực" its standing
//! members, "Ban Dân vận" the Mass Mobilisation Commission — in every English report, the same.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The glossary's text.
pub const SOURCE: &str = include_str!("../glossary.toml");

#[derive(serde::Deserialize)]
struct File {
    terms: BTreeMap<String, String>,
}

/// Every term: its Vietnamese as offices write it, and its English.
pub fn terms() -> &'static BTreeMap<String, String> {
    static TERMS: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    TERMS.get_or_init(|| match toml::from_str::<File>(SOURCE) {
        Ok(f) => f.terms,
        // The file is part of the library and read by its tests.
        Err(e) => panic!("glossary.toml: {e}"),
    })
}

/// The English of `vi`; `vi` itself (a proper name stays as written) when the glossary has no
/// entry for it.
pub fn en(vi: &str) -> &str {
    terms().get(vi).map_or(vi, String::as_str)
}

/// The bodies a name may begin with, longest first: "Ban Thường vụ Tỉnh ủy Thái Nguyên" is
/// the Standing Committee of the Thái Nguyên Provincial Party Committee.
const BODIES: [&str; 4] = [
    "Ban Tuyên giáo và Dân vận",
    "Ban Thường vụ",
    "Thường trực",
    "Ban Dân vận",
];

/// The committees a body belongs to.
const COMMITTEES: [&str; 2] = ["Tỉnh ủy", "Thành ủy"];

/// A body of a province's Party committee as English names it, from its Vietnamese name:
/// "Ban Thường vụ Tỉnh ủy Thái Nguyên" → "the Standing Committee of the Thái Nguyên
/// Provincial Party Committee", "Tỉnh ủy Thái Nguyên" → "the Thái Nguyên Provincial Party
/// Committee", "Ban Dân vận Trung ương" → "the Central Mass Mobilisation Commission" (a body
/// the glossary names whole). Any other
/// name (a Front's committee, a commune's association) is a proper name and stays as written.
pub fn body_en(name: &str) -> String {
    let name = name.trim();
    if let Some(en) = terms()
        .get(name)
        .filter(|_| name.starts_with(|c: char| c.is_uppercase()))
    {
        return format!("the {en}");
    }
    let (body, rest) = match BODIES.iter().find_map(|b| {
        name.strip_prefix(b)
            .filter(|r| r.starts_with(' '))
            .map(|r| (Some(*b), r.trim_start()))
    }) {
        Some(found) => found,
        None => (None, name),
    };
    let Some((committee, place)) = COMMITTEES.iter().find_map(|c| {
        rest.strip_prefix(c)
            .filter(|r| r.is_empty() || r.starts_with(' '))
            .map(|r| (*c, r.trim_start()))
    }) else {
        return name.to_string();
    };
    // "Ban Dân vận Tỉnh ủy", its province said elsewhere: the Provincial Party Committee.
    let committee = if place.is_empty() {
        format!("the {}", en(committee))
    } else {
        format!("the {place} {}", en(committee))
    };
    match body {
        Some(b) => format!("the {} of {committee}", en(b)),
        None => committee,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_of_a_provinces_committee_are_named_in_english() {
        assert_eq!(
            body_en("Ban Thường vụ Tỉnh ủy Thái Nguyên"),
            "the Standing Committee of the Thái Nguyên Provincial Party Committee"
        );
        assert_eq!(
            body_en("Thường trực Thành ủy Hà Nội"),
            "the Standing members of the Hà Nội City Party Committee"
        );
        assert_eq!(
            body_en("Ban Dân vận Tỉnh ủy Thái Nguyên"),
            "the Mass Mobilisation Commission of the Thái Nguyên Provincial Party Committee"
        );
        assert_eq!(
            body_en("Tỉnh ủy Lào Cai"),
            "the Lào Cai Provincial Party Committee"
        );
        assert_eq!(
            body_en("Ban Dân vận Trung ương"),
            "the Central Mass Mobilisation Commission"
        );
        // Proper names stay as written.
        assert_eq!(body_en("Ban Dân vận"), "the Mass Mobilisation Commission");
        assert_eq!(
            body_en("Ban Dân vận Tỉnh ủy"),
            "the Mass Mobilisation Commission of the Provincial Party Committee"
        );
        for name in [
            "Hội Nông dân xã Phúc Xuân",
            "Ủy ban MTTQ Việt Nam tỉnh Thái Nguyên",
            "Đảng bộ Khối các cơ quan tỉnh",
        ] {
            assert_eq!(body_en(name), name);
        }
    }

    #[test]
    fn the_glossary_reads_and_names_the_boards_as_danvan_core_does() {
        assert_eq!(en("Ban Thường vụ"), "Standing Committee");
        assert_eq!(en("Thường trực"), "Standing members");
        assert_eq!(en("Thái Nguyên"), "Thái Nguyên", "a name stays as written");
        // Every board's English name, before and after the 2025 merger of the boards, is the
        // glossary's.
        let calendar = danvan_core::board::BoardCalendar::builtin();
        let thai_nguyen = danvan_core::province::registry().current("thai-nguyen");
        for day in [(2024, 6, 1), (2026, 6, 1)] {
            let day = chrono::NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap();
            for province in [None, thai_nguyen] {
                let board = calendar.board_at(province, day);
                assert_eq!(en(board.short_vi), board.name_en, "{}", board.short_vi);
            }
        }
    }
}
