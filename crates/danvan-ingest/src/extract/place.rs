//! The article's province: named in the text ("Tỉnh ủy Lào Cai", "tỉnh Thái Nguyên"), or,
//! when the text names none, worked out from the site that published it (`baolaocai.vn`) and
//! marked as inferred.

use danvan_core::inferred::InferredFrom;
use danvan_core::province::{Province, registry};
use danvan_core::text::search_key;
use serde_json::json;

use super::{Ctx, Found};
use crate::proposal::Evidence;

/// What comes before a province's name when the text means the province.
const PREFIXES: &[&str] = &[
    "tinh uy ",
    "thanh uy ",
    "tinh ",
    "thanh pho ",
    "tp. ",
    "tp ",
    "ubnd tinh ",
    "hdnd tinh ",
];

pub(super) fn read(cx: &mut Ctx<'_>) {
    let day = cx.doc.meta.published.unwrap_or_else(latest_day);
    if let Some((range, province)) = named(cx, day) {
        let evidence = cx.ev(range);
        cx.province = Some(Found {
            value: json!(province.slug),
            evidence,
        });
    } else if let Some(province) = from_site(cx, day) {
        let site = cx.doc.meta.site().unwrap_or_default().to_string();
        cx.province = Some(Found {
            value: json!(province.slug),
            evidence: Evidence::Inferred {
                field: "province".into(),
                from: InferredFrom::SourceSite,
                note: format!("{} là trang của {}", site, province.full_name()),
                span: None,
                quote: None,
            },
        });
    }
}

fn latest_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap_or_default()
}

/// The first province the text names after a prefix, valid on `day` (or, failing that, any
/// province of that name), with the range of its name.
fn named(
    cx: &Ctx<'_>,
    day: chrono::NaiveDate,
) -> Option<(std::ops::Range<usize>, &'static Province)> {
    let f = cx.f();
    let mut best: Option<(usize, usize, &'static Province)> = None;
    for p in registry().all() {
        let name = search_key(p.name);
        if name.len() < 3 {
            continue;
        }
        let mut from = 0;
        while let Some(i) = f[from..].find(&name) {
            let at = from + i;
            from = at + name.len();
            let whole = f[from..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_ascii_alphanumeric());
            let prefixed = PREFIXES.iter().any(|pre| f[..at].ends_with(pre));
            if !whole || !prefixed || !cx.doc.is_upper_at(at) {
                continue;
            }
            let better = match best {
                None => true,
                Some((b_at, b_len, b)) => {
                    at < b_at
                        || (at == b_at && name.len() > b_len)
                        || (at == b_at && !b.is_valid_at(day) && p.is_valid_at(day))
                }
            };
            if better {
                best = Some((at, name.len(), p));
            }
            break;
        }
    }
    let (at, len, p) = best?;
    // The unit of that name on the day, when one exists; otherwise the one the text names.
    let p = registry()
        .all_with_slug(p.slug)
        .find(|q| q.is_valid_at(day))
        .unwrap_or(p);
    Some((at..at + len, p))
}

/// The province whose name, run together, the site's host holds (`baothainguyen.vn`,
/// `laocai.gov.vn`, `nghean.dcs.vn`): the longest such name among those valid on `day`.
fn from_site(cx: &Ctx<'_>, day: chrono::NaiveDate) -> Option<&'static Province> {
    let site = cx.doc.meta.site()?;
    let host: String = site
        .split('.')
        .next()?
        .to_ascii_lowercase()
        .chars()
        .filter(|c| *c != '-')
        .collect();
    registry()
        .valid_at(day)
        .filter(|p| {
            let joined: String = p.slug.chars().filter(|c| *c != '-').collect();
            joined.len() >= 5 && host.contains(&joined)
        })
        .max_by_key(|p| p.slug.len())
}

#[cfg(test)]
mod tests {
    use crate::extract::testing::read;

    #[test]
    fn named_or_from_the_site() {
        let (_, found) = read(
            "Chiều 14/3, Ban Dân vận Tỉnh ủy tổ chức hội nghị tổng kết công tác dân vận năm 2024.",
            Some("2025-03-15"),
            Some("https://www.baolaocai.vn/tin/1"),
        );
        let c = &found.proposals[0];
        assert_eq!(c.get("province").unwrap(), "lao-cai");
        assert!(
            c.values
                .iter()
                .find(|v| v.field == "province")
                .unwrap()
                .evidence
                .is_inferred()
        );
        let (_, found) = read(
            "Ban Dân vận Tỉnh ủy Thái Nguyên tổ chức hội nghị tổng kết công tác dân vận năm 2024 vào ngày 14/3/2025.",
            None,
            Some("https://baolaocai.vn/x"),
        );
        let c = &found.proposals[0];
        assert_eq!(
            c.get("province").unwrap(),
            "thai-nguyen",
            "the text's word over the site's"
        );
        assert!(
            !c.values
                .iter()
                .find(|v| v.field == "province")
                .unwrap()
                .evidence
                .is_inferred()
        );
        // A common word that is also a province's name is no province without its prefix.
        let (_, found) = read(
            "Ngày 1/6/2024, Hội Nông dân tổ chức hội nghị tập huấn vì hòa bình.",
            None,
            None,
        );
        assert!(found.proposals[0].get("province").is_none());
    }
}
