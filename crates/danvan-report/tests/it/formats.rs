//! Every format on the demo store: snapshots, determinism, and the DOCX package itself.

use std::io::Read as _;

use danvan_core::vocabulary::Vocabulary;
use danvan_report::{Format, Lang, ProvinceOrder, Scope, render};
use danvan_store::{JsonStore, ProvinceMap};

use crate::{demo_store, scope};

/// The report as text, after the checker has passed its figures and sentences: a snapshot
/// pins the layout, the checker says the content is right.
fn text(store: &JsonStore, scope: &Scope, format: Format, lang: Lang) -> String {
    let data = danvan_report::build(store, scope).unwrap();
    let findings = danvan_report::check::check(&data, lang);
    assert!(findings.is_empty(), "{findings:#?}");
    String::from_utf8(render(store, scope, format, lang).unwrap()).unwrap()
}

fn thai_nguyen_2024s1() -> Scope {
    scope(Some("thai-nguyen"), ProvinceMap::Current, "2024S1")
}

#[test]
fn province_six_month_report_in_every_text_format() {
    let (_tmp, store) = demo_store();
    let s = thai_nguyen_2024s1();
    insta::assert_snapshot!(
        "thai_nguyen_2024s1.md",
        text(&store, &s, Format::Markdown, Lang::Vi)
    );
    insta::assert_snapshot!(
        "thai_nguyen_2024s1.html",
        text(&store, &s, Format::Html, Lang::Vi)
    );
    insta::assert_snapshot!(
        "thai_nguyen_2024s1.json",
        text(&store, &s, Format::Json, Lang::Vi)
    );
    insta::assert_snapshot!(
        "thai_nguyen_2024s1.csv",
        text(&store, &s, Format::Csv, Lang::Vi)
    );
}

#[test]
fn annual_reports_in_english_and_for_the_country() {
    let (_tmp, store) = demo_store();
    let province = scope(Some("thai-nguyen"), ProvinceMap::Current, "2024");
    insta::assert_snapshot!(
        "thai_nguyen_2024_en.md",
        text(&store, &province, Format::Markdown, Lang::En)
    );
    let mut national = scope(None, ProvinceMap::Current, "2024");
    national.order = danvan_report::ProvinceOrder::Value;
    insta::assert_snapshot!(
        "national_2024_by_value.md",
        text(&store, &national, Format::Markdown, Lang::Vi)
    );
    insta::assert_snapshot!(
        "national_2024_by_value_en.csv",
        text(&store, &national, Format::Csv, Lang::En)
    );
    let old_map = scope(None, ProvinceMap::AsRecorded, "2024");
    insta::assert_snapshot!(
        "national_2024_old_map.html",
        text(&store, &old_map, Format::Html, Lang::Vi)
    );
}

/// The parts of a DOCX package, by name.
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP package");
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.is_dir() {
            continue;
        }
        let mut s = String::new();
        f.read_to_string(&mut s)
            .unwrap_or_else(|e| panic!("{} is not UTF-8 text: {e}", f.name()));
        parts.push((f.name().to_string(), s));
    }
    parts
}

/// The XML as an indented outline of local names, attributes and text: stable and readable in
/// a snapshot diff.
fn outline(xml: &str) -> String {
    fn walk(node: roxmltree::Node<'_, '_>, depth: usize, out: &mut String) {
        if node.is_element() {
            let attrs: Vec<String> = node
                .attributes()
                .map(|a| format!("{}={:?}", a.name(), a.value()))
                .collect();
            out.push_str(&"  ".repeat(depth));
            out.push_str(node.tag_name().name());
            if !attrs.is_empty() {
                out.push(' ');
                out.push_str(&attrs.join(" "));
            }
            out.push('\n');
            for c in node.children() {
                walk(c, depth + 1, out);
            }
        } else if let Some(t) = node.text().filter(|t| !t.trim().is_empty()) {
            out.push_str(&"  ".repeat(depth));
            out.push_str(&format!("{t:?}\n"));
        }
    }
    let doc = roxmltree::Document::parse(xml).unwrap();
    let mut out = String::new();
    walk(doc.root_element(), 0, &mut out);
    out
}

#[test]
fn docx_is_a_valid_package_laid_out_as_offices_submit() {
    let (_tmp, store) = demo_store();
    let bytes = render(&store, &thai_nguyen_2024s1(), Format::Docx, Lang::Vi).unwrap();
    let parts = unzip(&bytes);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    for required in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "docProps/core.xml",
    ] {
        assert!(
            names.contains(&required),
            "{required} missing from {names:?}"
        );
    }
    // Every part is well-formed XML.
    for (name, xml) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    let part = |n: &str| parts.iter().find(|(name, _)| name == n).unwrap().1.as_str();
    let document = roxmltree::Document::parse(part("word/document.xml")).unwrap();
    let attr = |tag: &str, name: &str| -> String {
        let node = document
            .descendants()
            .find(|n| n.tag_name().name() == tag)
            .unwrap_or_else(|| panic!("no {tag}"));
        node.attributes()
            .find(|a| a.name() == name)
            .unwrap_or_else(|| panic!("no {tag}@{name}"))
            .value()
            .to_string()
    };
    // A4 portrait, and the Decree 30/2020 margins: 20 mm top and bottom, 30 mm left, 15 mm right.
    assert_eq!(
        (attr("pgSz", "w"), attr("pgSz", "h")),
        ("11906".into(), "16838".into())
    );
    assert_eq!(attr("pgMar", "top"), "1134");
    assert_eq!(attr("pgMar", "bottom"), "1134");
    assert_eq!(attr("pgMar", "left"), "1701");
    assert_eq!(attr("pgMar", "right"), "850");
    // Times New Roman, 14 pt (28 half-points) by default.
    let styles = part("word/styles.xml");
    assert!(styles.contains("Times New Roman"), "{styles}");
    assert!(styles.contains("w:val=\"28\""), "{styles}");
    // The report's date, not the time it was written, in the properties.
    assert!(part("docProps/core.xml").contains("2026-11-22T00:00:00Z"));
    // The header block is a two-column table holding the issuer and the Party's name.
    let first_table = document
        .descendants()
        .find(|n| n.tag_name().name() == "tbl")
        .unwrap();
    let cells = first_table
        .descendants()
        .filter(|n| n.tag_name().name() == "tc")
        .count();
    assert_eq!(cells, 2);
    let header_text: String = first_table
        .descendants()
        .filter(|n| n.tag_name().name() == "t")
        .map(|n| n.text().unwrap_or(""))
        .collect();
    assert!(
        header_text.contains("BAN TUYÊN GIÁO VÀ DÂN VẬN"),
        "{header_text}"
    );
    assert!(
        header_text.contains("ĐẢNG CỘNG SẢN VIỆT NAM"),
        "{header_text}"
    );
    assert!(
        header_text.contains("Thái Nguyên, ngày 22 tháng 11 năm 2026"),
        "{header_text}"
    );

    docx_layout(&parts);
    insta::assert_snapshot!(
        "thai_nguyen_2024s1.docx.document.xml",
        outline(part("word/document.xml"))
    );
}

/// What printing needs of a DOCX: page numbers, repeated header rows, rows kept whole, the
/// closing block kept with the last paragraph, tables within the page.
fn docx_layout(parts: &[(String, String)]) {
    fn named<'a, 'i>(node: roxmltree::Node<'a, 'i>, tag: &str) -> Option<roxmltree::Node<'a, 'i>> {
        node.children().find(|c| c.tag_name().name() == tag)
    }
    let part = |n: &str| parts.iter().find(|(name, _)| name == n).unwrap().1.as_str();
    let xml = part("word/document.xml");
    let document = roxmltree::Document::parse(xml).unwrap();
    docx_page_numbers(parts, &document);
    assert!(xml.contains("<w:titlePg"), "the first page is unnumbered");
    // Every data table (all but the header and closing blocks): the first row is a header row
    // repeated on each page, and no row splits across a page.
    let tables: Vec<roxmltree::Node<'_, '_>> = document
        .descendants()
        .filter(|n| n.tag_name().name() == "tbl")
        .collect();
    assert!(tables.len() >= 4, "{}", tables.len());
    let data_tables = &tables[1..tables.len() - 1];
    for t in data_tables {
        let rows: Vec<roxmltree::Node<'_, '_>> = t
            .children()
            .filter(|c| c.tag_name().name() == "tr")
            .collect();
        for (i, row) in rows.iter().enumerate() {
            let props = named(*row, "trPr").expect("row properties");
            assert!(named(props, "cantSplit").is_some(), "row {i} may split");
            assert_eq!(named(props, "tblHeader").is_some(), i == 0, "row {i}");
        }
    }
    // No table wider than the text: the page less its margins (the header block may reach
    // 15 mm into them, as office templates do).
    let text_width = 11_906 - 1701 - 850;
    for (i, t) in tables.iter().enumerate() {
        let grid: u32 = t
            .descendants()
            .filter(|n| n.tag_name().name() == "gridCol")
            .filter_map(|n| {
                n.attributes()
                    .find(|a| a.name() == "w")?
                    .value()
                    .parse::<u32>()
                    .ok()
            })
            .sum();
        let allowed = if i == 0 { text_width + 850 } else { text_width };
        assert!(
            grid <= allowed,
            "table {i} is {grid} wide, more than {allowed}"
        );
    }
    docx_flow(&document, data_tables);
    // The closing block: its row does not split, every paragraph in it keeps with the next,
    // and so do the paragraphs just before it.
    let closing = tables.last().unwrap();
    let paragraphs: Vec<roxmltree::Node<'_, '_>> = closing
        .descendants()
        .filter(|n| n.tag_name().name() == "p")
        .collect();
    let keeps = |p: &roxmltree::Node<'_, '_>| {
        named(*p, "pPr")
            .and_then(|pr| named(pr, "keepNext"))
            .is_some()
    };
    assert!(paragraphs.iter().all(keeps), "the closing block may break");
    let body = document
        .descendants()
        .find(|n| n.tag_name().name() == "body")
        .unwrap();
    let before: Vec<roxmltree::Node<'_, '_>> = body
        .children()
        .take_while(|n| n != closing)
        .filter(|n| n.tag_name().name() == "p")
        .collect();
    let last_two = &before[before.len() - 2..];
    assert!(
        last_two.iter().all(keeps),
        "the last paragraph may part from the signature"
    );
}

/// Hướng dẫn 36-HD/VPTW: the page number at the top, centred, 10 mm from the top edge (the
/// header's distance), from the second page on; the first page has none.
fn docx_page_numbers(parts: &[(String, String)], document: &roxmltree::Document<'_>) {
    let headers: Vec<&(String, String)> = parts
        .iter()
        .filter(|(n, _)| n.starts_with("word/header"))
        .collect();
    assert!(
        headers.iter().any(|(_, x)| {
            x.contains("<w:instrText>PAGE</w:instrText>")
                && x.contains(r#"<w:jc w:val="center" />"#)
        }),
        "no centred header with a PAGE field: {:?}",
        headers.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    assert!(
        !parts.iter().any(|(n, _)| n.starts_with("word/footer")),
        "page numbers are not at the foot"
    );
    let refs: Vec<&str> = document
        .descendants()
        .filter(|n| n.tag_name().name() == "headerReference")
        .filter_map(|n| {
            n.attributes()
                .find(|a| a.name() == "type")
                .map(|a| a.value())
        })
        .collect();
    assert!(
        refs.contains(&"default") && refs.contains(&"first"),
        "{refs:?}"
    );
    let header_distance = document
        .descendants()
        .find(|n| n.tag_name().name() == "pgMar")
        .and_then(|n| n.attributes().find(|a| a.name() == "header"))
        .map(|a| a.value().to_string());
    assert_eq!(header_distance.as_deref(), Some("567"), "10 mm");
}

/// Text flow on paper: widow and orphan control on body text, captions kept with their
/// tables, figures never broken inside a cell.
fn docx_flow(document: &roxmltree::Document<'_>, data_tables: &[roxmltree::Node<'_, '_>]) {
    fn named<'a, 'i>(node: roxmltree::Node<'a, 'i>, tag: &str) -> Option<roxmltree::Node<'a, 'i>> {
        node.children().find(|c| c.tag_name().name() == tag)
    }
    let keeps_with_next = |p: roxmltree::Node<'_, '_>| {
        named(p, "pPr")
            .and_then(|pr| named(pr, "keepNext"))
            .is_some()
    };
    // Body text under widow and orphan control: every justified paragraph.
    for p in document
        .descendants()
        .filter(|n| n.tag_name().name() == "p")
    {
        let Some(pr) = named(p, "pPr") else { continue };
        let justified = named(pr, "jc").is_some_and(|jc| {
            jc.attributes()
                .any(|a| a.name() == "val" && a.value() == "both")
        });
        if justified {
            assert!(
                named(pr, "widowControl").is_some(),
                "a paragraph without widow control"
            );
        }
    }
    // A table's caption — the paragraph just before it — stays on its page.
    let body_children: Vec<roxmltree::Node<'_, '_>> = document
        .descendants()
        .find(|n| n.tag_name().name() == "body")
        .unwrap()
        .children()
        .filter(|n| n.is_element())
        .collect();
    for pair in body_children.windows(2) {
        if pair[1].tag_name().name() == "tbl" && pair[0].tag_name().name() == "p" {
            let text: String = pair[0]
                .descendants()
                .filter(|n| n.tag_name().name() == "t")
                .map(|n| n.text().unwrap_or(""))
                .collect();
            if !text.is_empty() {
                assert!(
                    keeps_with_next(pair[0]),
                    "caption {text:?} may part from its table"
                );
            }
        }
    }
    // A figure is never broken inside its cell: no breaking space in a right-aligned cell.
    for t in data_tables {
        for cell in t.descendants().filter(|n| n.tag_name().name() == "tc") {
            let right = cell.descendants().any(|n| {
                n.tag_name().name() == "jc"
                    && n.attributes()
                        .any(|a| a.name() == "val" && a.value() == "right")
            });
            let text: String = cell
                .descendants()
                .filter(|n| n.tag_name().name() == "t")
                .map(|n| n.text().unwrap_or(""))
                .collect();
            assert!(
                !right || !text.contains(' '),
                "a figure may break: {text:?}"
            );
        }
    }
}

#[test]
fn the_same_store_and_arguments_give_the_same_bytes() {
    let (_tmp, store) = demo_store();
    let scopes = [
        thai_nguyen_2024s1(),
        scope(None, ProvinceMap::Current, "2024"),
        scope(Some("lao-cai"), ProvinceMap::AsRecorded, "2021-2025"),
    ];
    for s in &scopes {
        for format in Format::ALL {
            for lang in [Lang::Vi, Lang::En] {
                let a = render(&store, s, format, lang).unwrap();
                let b = render(&store, s, format, lang).unwrap();
                assert!(
                    a == b,
                    "{format:?} {lang:?} {:?} differs between runs",
                    s.period
                );
                // And on another thread, where the DOCX writer's ID counters start afresh.
                let c = std::thread::scope(|t| {
                    t.spawn(|| render(&store, s, format, lang).unwrap())
                        .join()
                        .unwrap()
                });
                assert!(a == c, "{format:?} {lang:?} differs on another thread");
            }
        }
    }
}

#[test]
fn html_is_self_contained() {
    let (_tmp, store) = demo_store();
    let html = text(&store, &thai_nguyen_2024s1(), Format::Html, Lang::Vi);
    for external in ["src=", "href=", "@import", "url(", "<script"] {
        assert!(!html.contains(external), "the page refers to {external}");
    }
    assert!(html.contains("@page { size: A4"));
    assert!(html.contains("<svg"), "a trend chart");
    assert!(html.starts_with("<!DOCTYPE html>"));
}

/// Printed, the HTML report leaves no heading or table caption alone at a page's foot, and
/// prints no "[1]" marks that would have no notes (they are links for the screen).
#[test]
fn printed_html_keeps_headings_and_captions_with_what_follows_and_drops_the_marks() {
    let (_tmp, store) = demo_store();
    let served = danvan_report::html::Links {
        base: Some(String::new()),
    };
    let scope = Scope::new(
        None,
        "2024".parse().unwrap(),
        chrono::NaiveDate::from_ymd_opt(2025, 1, 10).unwrap(),
    );
    let html = String::from_utf8(
        danvan_report::render_with(&store, &scope, Format::Html, Lang::Vi, &served).unwrap(),
    )
    .unwrap();
    assert!(html.contains("<sup class=\"src\""), "marks on the screen");
    let print = &html[html.find("@media print").unwrap()..];
    let print = &print[..print.find("\n}").unwrap()];
    assert!(print.contains("sup.src { display: none; }"), "{print}");
    assert!(
        html.contains("h1, h2, h3, p.caption { break-after: avoid; page-break-after: avoid; }"),
        "headings keep with what follows"
    );
    // Every paragraph just before a table is marked as its caption.
    for (i, _) in html.match_indices("<table class=\"data\"") {
        let before = html[..i].trim_end();
        let last = &before[before.rfind('<').unwrap_or(0)..];
        if before.ends_with("</p>") {
            let open = &before[before.rfind("<p").unwrap()..];
            assert!(open.starts_with("<p class=\"caption\">"), "{open} ({last})");
        }
    }
}

#[test]
fn formats_and_languages_are_named_as_on_the_command_line() {
    for f in Format::ALL {
        assert_eq!(f.name().parse::<Format>(), Ok(f));
        assert_eq!(f.extension().parse::<Format>(), Ok(f));
    }
    assert_eq!(
        "pdf".parse::<Format>().unwrap_err().to_string(),
        "\"pdf\" is not one of markdown, html, docx, json, csv"
    );
    assert_eq!(Format::names(), Format::ALL.map(|f| f.name()));
    assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
    assert_eq!(
        Lang::names(),
        Lang::ALL.iter().map(|l| l.tag()).collect::<Vec<_>>()
    );
    assert!("fr".parse::<Lang>().is_err());
    assert_eq!(ProvinceOrder::names(), ["name", "value"]);
}

/// A table too wide for a portrait page to show each figure whole — the country's table of
/// provinces — goes to a Phụ lục on landscape pages of its own at the end, its caption with it;
/// the text says where it is, and the portrait pages keep their page numbers.
#[test]
fn wide_tables_go_to_a_landscape_appendix() {
    let (_tmp, store) = demo_store();
    let scope = Scope::new(
        None,
        "2024".parse().unwrap(),
        chrono::NaiveDate::from_ymd_opt(2025, 1, 10).unwrap(),
    );
    let bytes = render(&store, &scope, Format::Docx, Lang::Vi).unwrap();
    let parts = unzip(&bytes);
    let xml = &parts
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .unwrap()
        .1;
    let document = roxmltree::Document::parse(xml).unwrap();
    let sections: Vec<roxmltree::Node<'_, '_>> = document
        .descendants()
        .filter(|n| n.tag_name().name() == "sectPr")
        .collect();
    assert_eq!(sections.len(), 2, "a portrait section and a landscape one");
    let size = |s: &roxmltree::Node<'_, '_>| {
        let sz = s
            .children()
            .find(|c| c.tag_name().name() == "pgSz")
            .unwrap();
        let a = |n: &str| {
            sz.attributes()
                .find(|a| a.name() == n)
                .map(|a| a.value().to_string())
        };
        (a("w"), a("h"), a("orient"))
    };
    assert_eq!(
        size(&sections[0]),
        (Some("11906".into()), Some("16838".into()), None)
    );
    assert_eq!(
        size(&sections[1]),
        (
            Some("16838".into()),
            Some("11906".into()),
            Some("landscape".into())
        )
    );
    // The portrait section ends in a paragraph and keeps the unnumbered first page; every page
    // of the appendix is numbered.
    assert_eq!(sections[0].parent().unwrap().tag_name().name(), "pPr");
    assert!(
        sections[0]
            .children()
            .any(|c| c.tag_name().name() == "titlePg")
    );
    assert!(
        !sections[1]
            .children()
            .any(|c| c.tag_name().name() == "titlePg")
    );
    let text: String = document
        .descendants()
        .filter(|n| n.tag_name().name() == "t")
        .map(|n| n.text().unwrap_or(""))
        .collect();
    assert!(
        text.contains("(Bảng chi tiết tại Phụ lục, bảng 1.)"),
        "{text}"
    );
    assert!(text.contains("PHỤ LỤC"), "{text}");
    assert!(!text.contains('\u{e000}'), "the section mark is gone");
    // Each table within its page: the landscape ones within the landscape width.
    let body = document
        .descendants()
        .find(|n| n.tag_name().name() == "body")
        .unwrap();
    let mut landscape = false;
    for n in body.children().filter(|n| n.is_element()) {
        if n.descendants().any(|d| d.tag_name().name() == "sectPr") {
            landscape = true;
            continue;
        }
        if n.tag_name().name() != "tbl" {
            continue;
        }
        let grid: u32 = n
            .descendants()
            .filter(|d| d.tag_name().name() == "gridCol")
            .filter_map(|d| {
                d.attributes()
                    .find(|a| a.name() == "w")?
                    .value()
                    .parse::<u32>()
                    .ok()
            })
            .sum();
        let allowed = if landscape {
            16_838 - 1701 - 850
        } else {
            11_906 - 1701 - 850 + 850
        };
        assert!(grid <= allowed, "a table {grid} wide, more than {allowed}");
    }
    assert!(landscape);
}
