//! Files into text: plain text (UTF-8), HTML pages (their article's text, title, address and
//! publication date), and DOCX documents (their paragraphs). A PDF's text layer needs a layout
//! engine: the CLI reads it with poppler's `pdftotext` and gives the text here.

use std::io::Read as _;

use chrono::NaiveDate;

use crate::document::Meta;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// Not UTF-8 text.
    #[error("{file}: not UTF-8 text (byte {offset}); save it as UTF-8")]
    NotUtf8 {
        /// The file.
        file: String,
        /// Where the first bad byte is.
        offset: usize,
    },
    /// A DOCX whose parts could not be read.
    #[error("{file}: not a readable DOCX document: {reason}")]
    BadDocx {
        /// The file.
        file: String,
        /// What failed.
        reason: String,
    },
    /// A PDF: read it to text first.
    #[error("{file}: a PDF; extract its text layer first (pdftotext {file} -) and ingest the text")]
    Pdf {
        /// The file.
        file: String,
    },
    /// Nothing to read.
    #[error("{file}: holds no text")]
    Empty {
        /// The file.
        file: String,
    },
}

/// The text of `bytes` read from `file`, and what the file says of where it was published.
pub fn read(file: &str, bytes: &[u8]) -> Result<(String, Meta), ReadError> {
    let mut meta = Meta {
        file: Some(file.to_string()),
        ..Meta::default()
    };
    let text = if bytes.starts_with(b"%PDF") {
        return Err(ReadError::Pdf { file: file.into() });
    } else if bytes.starts_with(b"PK\x03\x04") {
        docx(file, bytes)?
    } else {
        let s = std::str::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
            file: file.into(),
            offset: e.valid_up_to(),
        })?;
        let s = s.strip_prefix('\u{FEFF}').unwrap_or(s);
        if looks_like_html(s) {
            html(s, &mut meta)
        } else {
            s.to_string()
        }
    };
    if text.trim().is_empty() {
        return Err(ReadError::Empty { file: file.into() });
    }
    Ok((text, meta))
}

fn looks_like_html(s: &str) -> bool {
    let head: String = s.chars().take(512).collect::<String>().to_ascii_lowercase();
    head.contains("<html")
        || head.contains("<!doctype html")
        || head.contains("<body")
        || head.contains("<p>")
}

/// The paragraphs of a DOCX's main part, one per line.
fn docx(file: &str, bytes: &[u8]) -> Result<String, ReadError> {
    let bad = |reason: String| ReadError::BadDocx {
        file: file.into(),
        reason,
    };
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|e| bad(format!("word/document.xml: {e}")))?
        .take(64 << 20)
        .read_to_string(&mut xml)
        .map_err(|e| bad(format!("word/document.xml: {e}")))?;
    let doc =
        roxmltree::Document::parse(&xml).map_err(|e| bad(format!("word/document.xml: {e}")))?;
    let mut out = String::new();
    for p in doc.descendants().filter(|n| n.has_tag_name("p")) {
        let mut line = String::new();
        for n in p.descendants() {
            match n.tag_name().name() {
                "t" => line.push_str(n.text().unwrap_or("")),
                "tab" => line.push('\t'),
                "br" => line.push('\n'),
                _ => {}
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Ok(out)
}

/// The text of an HTML page: scripts, styles and navigation dropped, block elements as lines,
/// entities decoded; the title, canonical address and publication date into `meta`.
fn html(s: &str, meta: &mut Meta) -> String {
    meta.title = tag_text(s, "title").map(|t| decode(t.trim()));
    meta.url = meta_content(s, "og:url").or_else(|| link_canonical(s));
    meta.published = ["article:published_time", "pubdate", "datePublished", "date"]
        .iter()
        .find_map(|k| meta_content(s, k))
        .and_then(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(""), "%Y-%m-%d").ok());
    // A page's <article> is the article: menus, sidebars and "related news" headlines outside
    // it would otherwise read as events of their own.
    let s = article(s).unwrap_or(s);
    let lower = s.to_ascii_lowercase();
    let mut out = String::new();
    let mut i = 0;
    let skip = [
        "head", "script", "style", "nav", "header", "footer", "noscript", "svg", "aside", "form",
    ];
    while i < s.len() {
        if s.as_bytes()[i] == b'<' {
            let close = lower[i..].find('>').map_or(s.len(), |j| i + j + 1);
            let tag: String = lower[i + 1..close.saturating_sub(1).max(i + 1)]
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if !lower[i + 1..].starts_with('/') && skip.contains(&tag.as_str()) {
                let end_tag = format!("</{tag}");
                i = lower[close..].find(&end_tag).map_or(s.len(), |j| close + j);
                i = lower[i..].find('>').map_or(s.len(), |j| i + j + 1);
                continue;
            }
            if matches!(
                tag.as_str(),
                "p" | "div"
                    | "br"
                    | "li"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "tr"
                    | "section"
                    | "article"
            ) {
                out.push('\n');
            } else if matches!(tag.as_str(), "td" | "th") {
                out.push('\t');
            }
            i = close;
        } else {
            let next = s[i..].find('<').map_or(s.len(), |j| i + j);
            out.push_str(&decode(&s[i..next]));
            i = next;
        }
    }
    let lines: Vec<String> = out
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

/// The longest `<article>` element of a page, tags included.
fn article(s: &str) -> Option<&str> {
    let lower = s.to_ascii_lowercase();
    let mut best: Option<(usize, usize)> = None;
    let mut from = 0;
    while let Some(i) = lower[from..].find("<article") {
        let start = from + i;
        let after = lower[start + 8..].chars().next();
        if !after.is_some_and(|c| c == '>' || c.is_ascii_whitespace()) {
            from = start + 8;
            continue;
        }
        let end = lower[start..]
            .find("</article>")
            .map_or(s.len(), |j| start + j + "</article>".len());
        if best.is_none_or(|(a, b)| end - start > b - a) {
            best = Some((start, end));
        }
        from = end;
    }
    best.map(|(a, b)| &s[a..b])
}

fn tag_text<'a>(s: &'a str, tag: &str) -> Option<&'a str> {
    let lower = s.to_ascii_lowercase();
    let open = lower.find(&format!("<{tag}"))?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find(&format!("</{tag}"))?;
    s.get(start..end)
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let quote = tag[at..].chars().next()?;
    if quote == '"' || quote == '\'' {
        let rest = &tag[at + 1..];
        rest.find(quote).map(|e| &rest[..e])
    } else {
        tag[at..].split([' ', '>']).next()
    }
}

fn meta_content(s: &str, key: &str) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<meta") {
        let start = from + i;
        let end = start + lower[start..].find('>')?;
        let tag = &s[start..end];
        let names = [
            attr(tag, "property"),
            attr(tag, "name"),
            attr(tag, "itemprop"),
        ];
        if names.iter().flatten().any(|n| n.eq_ignore_ascii_case(key)) {
            return attr(tag, "content").map(decode);
        }
        from = end;
    }
    None
}

fn link_canonical(s: &str) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    let i = lower
        .find("rel=\"canonical\"")
        .or_else(|| lower.find("rel='canonical'"))?;
    let start = lower[..i].rfind('<')?;
    let end = i + lower[i..].find('>')?;
    attr(&s[start..end], "href").map(str::to_string)
}

/// Decodes the entities pages use: named ones for markup and spaces, numeric ones for the
/// rest.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';')
        else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            "ldquo" => Some('“'),
            "rdquo" => Some('”'),
            "ndash" => Some('–'),
            "mdash" => Some('—'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_article() {
        let page = r#"<!DOCTYPE html><html><head><title>Hội nghị &amp; tin</title>
<meta property="og:url" content="https://baolaocai.vn/tin/1">
<meta property="article:published_time" content="2025-03-15T08:00:00+07:00">
<script>var x = "<p>không</p>";</script></head>
<body><nav>Trang chủ</nav><p>Chiều 14/3,&nbsp;Ban Dân vận</p><p>tổ chức &#7921;</p></body></html>"#;
        let (text, meta) = read("a.html", page.as_bytes()).unwrap();
        assert_eq!(text, "Chiều 14/3, Ban Dân vận\ntổ chức ự");
        assert_eq!(meta.title.as_deref(), Some("Hội nghị & tin"));
        assert_eq!(meta.url.as_deref(), Some("https://baolaocai.vn/tin/1"));
        assert_eq!(meta.published, NaiveDate::from_ymd_opt(2025, 3, 15));
    }

    #[test]
    fn docx_paragraphs_are_lines() {
        use std::io::Write as _;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>BÁO CÁO</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Chiều 14/3, Ban Dân vận </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>Tỉnh ủy</w:t></w:r><w:r><w:tab/><w:t>tổ chức.</w:t></w:r></w:p>
</w:body></w:document>"#
                .as_bytes(),
        )
        .unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let (text, _) = read("bao-cao.docx", &bytes).unwrap();
        assert_eq!(text, "BÁO CÁO\nChiều 14/3, Ban Dân vận Tỉnh ủy\ttổ chức.\n");
    }

    #[test]
    fn the_article_not_the_sidebar() {
        let page = r#"<html><head><title>Tin</title></head><body>
<div class="sidebar"><a>Hội nghị sơ kết công tác dân vận tỉnh khác</a></div>
<article class="detail"><p>Chiều 14/3, Ban Dân vận tổ chức hội nghị.</p></article>
<div class="related"><p>Sáng 2/3, Huyện ủy tổ chức hội nghị khác.</p></div></body></html>"#;
        let (text, _) = read("a.html", page.as_bytes()).unwrap();
        assert_eq!(text, "Chiều 14/3, Ban Dân vận tổ chức hội nghị.");
    }

    #[test]
    fn bad_files_are_named() {
        let e = read("bao-cao.txt", b"ab\xffcd").unwrap_err();
        assert_eq!(
            e.to_string(),
            "bao-cao.txt: not UTF-8 text (byte 2); save it as UTF-8"
        );
        let e = read("x.docx", b"PK\x03\x04broken").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("x.docx: not a readable DOCX document"),
            "{e}"
        );
        assert!(
            read("x.pdf", b"%PDF-1.7")
                .unwrap_err()
                .to_string()
                .contains("pdftotext")
        );
        assert!(read("e.txt", b"  \n").is_err());
    }
}
