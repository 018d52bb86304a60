//! Proposals never hold a value without evidence: for texts generated in the forms articles
//! use (random provinces, dates, people, documents and figures) and for arbitrary text, every
//! stated value's span quotes its words and those words say it, and every other value is
//! marked as inferred, saying from what.

use danvan_ingest::{Document, Evidence, Meta, ingest};
use proptest::prelude::*;

const PROVINCES: &[&str] = &[
    "Lào Cai",
    "Thái Nguyên",
    "Quảng Ninh",
    "Nghệ An",
    "Cần Thơ",
    "Gia Lai",
    "Đắk Lắk",
    "Huế",
];
const HOSTS: &[&str] = &[
    "Ban Dân vận Tỉnh ủy",
    "Ban Thường vụ Tỉnh uỷ",
    "Ủy ban MTTQ Việt Nam tỉnh",
    "Huyện ủy Định Hóa",
    "Đảng ủy Khối các cơ quan tỉnh",
];
const NAMES: &[&str] = &[
    "Nguyễn Văn An",
    "Lê Thị Hồng Nhung",
    "Hoàng Thị Mai",
    "Trần Quốc Bảo",
];
const TITLES: &[&str] = &[
    "sơ kết công tác dân vận 6 tháng đầu năm",
    "tổng kết công tác dân vận năm",
    "đối thoại với Nhân dân năm",
    "tập huấn nghiệp vụ công tác dân vận năm",
];
const PARTS: &[&str] = &["Sáng", "Chiều", "Ngày", "Tối"];
const TYPES: &[&str] = &[
    "Chỉ thị số",
    "Nghị quyết số",
    "Kế hoạch số",
    "Đề án số",
    "Kết luận số",
];
const SYMBOLS: &[&str] = &["CT/TU", "NQ/TW", "KH/TU", "ĐA/TU", "KL/TW"];

prop_compose! {
    fn article()(
        province in 0..PROVINCES.len(), host in 0..HOSTS.len(), name in 0..NAMES.len(),
        title in 0..TITLES.len(), part in 0..PARTS.len(), doc in 0..TYPES.len(),
        day in 1u32..29, month in 1u32..13, year in 2019i32..2027, with_year in any::<bool>(),
        number in 1u32..200, resolved in 1u64..5000, extra in 0u64..500, dialogues in 0u64..400,
        models in 0u64..90, collectives in 1u32..40, online in any::<bool>(), points in 2u32..3000,
    ) -> (String, Meta) {
        let date = if with_year { format!("{day}/{month}/{year}") } else { format!("{day}/{month}") };
        let format = if online { format!(" theo hình thức trực tuyến, kết nối tới {points} điểm cầu") } else { String::new() };
        let text = format!(
            "{part} {date}, {host} {province} tổ chức Hội nghị {title} {year}{format}. Đồng chí {name}, Trưởng Ban Dân vận Tỉnh ủy, chủ trì hội nghị.\n\
             Thực hiện {kind} {number:02}-{symbol}, ngày {day}/{month}/{prev} của Ban Thường vụ Tỉnh ủy về nâng cao hiệu quả công tác dân vận, các cấp đã giải quyết {resolved}/{total} đơn, đạt {pct}%; tổ chức {dialogues} cuộc đối thoại. Toàn tỉnh có {models} mô hình “Dân vận khéo” được công nhận.\n\
             Dịp này, Ban Dân vận Tỉnh ủy tặng Giấy khen cho {collectives} tập thể có thành tích xuất sắc.",
            part = PARTS[part], host = HOSTS[host], province = PROVINCES[province], title = TITLES[title],
            name = NAMES[name], kind = TYPES[doc], symbol = SYMBOLS[doc], prev = year - 2,
            total = resolved + extra, pct = resolved * 100 / (resolved + extra),
        );
        let published = chrono::NaiveDate::from_ymd_opt(year, month, day).and_then(|d| d.succ_opt());
        (text, Meta { published, url: Some("https://baolaocai.vn/x".into()), ..Meta::default() })
    }
}

fn holds(text: &str, meta: Meta) {
    let doc = Document::new(text, meta);
    let found = ingest(&doc);
    let chars: Vec<char> = doc.text().chars().collect();
    for p in &found.proposals {
        let problems = p.check(&doc);
        assert!(problems.is_empty(), "{problems:?}\n{text}");
        for v in &p.values {
            match &v.evidence {
                Evidence::Stated { span, quote } => {
                    assert!(!quote.is_empty(), "{} has an empty quote", v.field);
                    assert_eq!(
                        &chars[span.start..span.end].iter().collect::<String>(),
                        quote
                    );
                }
                Evidence::Inferred { note, .. } => assert!(!note.is_empty(), "{}", v.field),
            }
        }
    }
    for u in &found.unread {
        assert_eq!(
            chars[u.span.start..u.span.end].iter().collect::<String>(),
            u.text
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn generated_articles((text, meta) in article()) {
        holds(&text, meta);
    }

    #[test]
    fn any_page_reads_without_panicking(body in "\\PC{0,300}", tail in "[<>&;#a-z0-9 ]{0,40}") {
        let page = format!("<html><body><p>{body}</p>{tail}");
        let _ = danvan_ingest::read::read("x.html", page.as_bytes());
        let _ = danvan_ingest::read::read("x.txt", body.as_bytes());
    }

    #[test]
    fn arbitrary_text(text in "\\PC{0,400}") {
        holds(&text, Meta::default());
    }

    #[test]
    fn vietnamese_shaped_noise(text in "[ a-zA-Z0-9àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵĐ,.;:/“”\"()%-]{0,500}") {
        holds(&text, Meta { published: chrono::NaiveDate::from_ymd_opt(2025, 3, 15), ..Meta::default() });
    }
}

#[test]
fn the_corpus_holds_too() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/ingest/corpus");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let content = std::fs::read_to_string(&path).unwrap();
        let case = danvan_ingest::eval::Case::parse(&path.display().to_string(), &content).unwrap();
        holds(case.doc.text(), case.doc.meta.clone());
    }
}
