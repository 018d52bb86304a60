//! A [`Document`] as a Word file laid out as offices submit it: A4, Times New Roman 14 pt
//! (tables 12 pt), the Decree 30/2020 margins (top and bottom 20 mm, left 30 mm, right 15 mm),
//! the two-column header block, and recipients and signature side by side at the end. Written
//! with the `docx-rs` crate; charts become a table of the figures per period.
//!
//! Laid out for printing as Hướng dẫn 36-HD/VPTW sets Party documents out: page numbers at
//! the top (a `PAGE` field in the header, centred, 10 mm from the top edge, from the second page
//! on; the first page unnumbered); table header rows repeated on every page (`w:tblHeader`)
//! and rows never split across pages (`w:cantSplit`); headings and a table's caption kept with
//! what follows, and the last paragraph kept with the recipients and signature block
//! (`w:keepNext`); body paragraphs under widow and orphan control (`w:widowControl`); a figure
//! never broken inside its cell (its spaces non-breaking, its column as wide as it); every
//! table within the text width.

use std::io::Cursor;

use chrono::NaiveDate;
use docx_rs::{
    AlignmentType, Docx, Header, HeightRule, LineSpacing, PageMargin, PageNum, Paragraph, Run,
    RunFonts, SpecialIndentType, Table as DocxTable, TableCell, TableRow, WidthType,
};

use crate::doc::{Block, Chart, Document, Table};

/// A4 in twentieths of a point.
const PAGE: (u32, u32) = (11_906, 16_838);
/// Millimetres in twentieths of a point, rounded.
const fn mm(n: i32) -> i32 {
    (n * 14_400 + 127) / 254
}
const TOP: i32 = mm(20);
const BOTTOM: i32 = mm(20);
const LEFT: i32 = mm(30);
const RIGHT: i32 = mm(15);
/// The width between the margins.
const TEXT_WIDTH: usize = (PAGE.0 as i32 - LEFT - RIGHT) as usize;
/// The width between the margins of a landscape page (the Phụ lục of wide tables).
const LANDSCAPE_WIDTH: usize = (PAGE.1 as i32 - LEFT - RIGHT) as usize;
/// Body text: 14 pt, in half-points.
const BODY: usize = 28;
/// The header block: 13 pt.
const HEADER: usize = 26;
/// Tables and the recipients list: 12 pt.
const SMALL: usize = 24;
const FIRST_LINE: i32 = 567;

fn run(text: &str) -> Run {
    Run::new().add_text(text)
}

/// A justified paragraph with its first line indented 1 cm, as body text is set; never a
/// single line of it left alone at the foot or the head of a page (widow and orphan control).
fn indented(r: Run) -> Paragraph {
    Paragraph::new()
        .add_run(r)
        .widow_control(true)
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE)),
            None,
            None,
        )
        .line_spacing(LineSpacing::new().after(120))
}

fn para(text: &str) -> Paragraph {
    indented(run(text))
}

fn centred(r: Run) -> Paragraph {
    Paragraph::new().add_run(r).align(AlignmentType::Center)
}

fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new(), TableCell::add_paragraph)
        .width(width, WidthType::Dxa)
}

/// What each column of `t` wants, in characters: its longest cell (a figure's whole, up to 32
/// characters; text up to 40) or heading word, and two for the cell margins.
fn wants(t: &Table) -> Vec<usize> {
    let chars = |s: &str| s.chars().count();
    t.columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let longest_cell = t
                .rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| chars(s))
                .max()
                .unwrap_or(0);
            let longest_word = c.title.split_whitespace().map(chars).max().unwrap_or(0);
            // A figure's column holds its longest figure whole (it cannot wrap).
            let limit = if c.numeric { 32 } else { 40 };
            // Two characters for the cell margins; at least a percentage's width.
            longest_cell.min(limit).max(longest_word).max(7) + 2
        })
        .collect()
}

/// Column widths within `width`: figure columns as wide as their longest cell or heading word
/// (up to 32 characters: a figure does not wrap), text columns sharing what is left in
/// proportion to their longest cell (up to 40 characters). If the figures leave too little,
/// every column shrinks in proportion (a table that needs more than a portrait page goes to
/// the landscape Phụ lục instead).
fn grid(t: &Table, size: usize, width: usize) -> Vec<usize> {
    let char_width = span(1, false, size);
    let wants = wants(t);
    // Figures, and text that is short ("Chưa đạt") anyway, are as wide as they want; long
    // text ("Chỉ tiêu") shares what is left, in proportion to its longest cell.
    let fixed = |c: &crate::doc::Column, w: usize| c.numeric || w <= TEXT_MIN + 2;
    let fixed_width = |c: &crate::doc::Column, w: usize| span(w, c.numeric, size);
    let taken: usize = t
        .columns
        .iter()
        .zip(&wants)
        .filter(|(c, w)| fixed(c, **w))
        .map(|(c, w)| fixed_width(c, *w))
        .sum();
    let text_weight: usize = t
        .columns
        .iter()
        .zip(&wants)
        .filter(|(c, w)| !fixed(c, **w))
        .map(|(_, w)| *w)
        .sum();
    let text_columns = t
        .columns
        .iter()
        .zip(&wants)
        .filter(|(c, w)| !fixed(c, **w))
        .count();
    let left = width.saturating_sub(taken);
    if taken <= width && left >= text_columns * TEXT_MIN * char_width {
        let mut widths: Vec<usize> = t
            .columns
            .iter()
            .zip(&wants)
            .map(|(c, w)| {
                if fixed(c, *w) {
                    fixed_width(c, *w)
                } else {
                    left * w / text_weight.max(1)
                }
            })
            .collect();
        // No long text to take the rest: the first text column does, so the table spans the
        // text's width like the others.
        if text_columns == 0
            && let Some(first) = t.columns.iter().position(|c| !c.numeric)
        {
            widths[first] += left;
        }
        widths
    } else {
        let total: usize = wants.iter().sum();
        wants.iter().map(|w| width * w / total.max(1)).collect()
    }
}

/// The size a table is set in: wide tables (the national ones) a point smaller.
fn table_size(t: &Table) -> usize {
    if t.columns.len() >= 6 {
        SMALL - 2
    } else {
        SMALL
    }
}

/// The narrowest a text column is made, in characters (it wraps; a figure does not).
const TEXT_MIN: usize = 10;

/// Whether `t` needs more than a portrait page's width to show each figure whole beside text
/// columns wrapped to `TEXT_MIN` characters: it goes to the landscape Phụ lục.
fn too_wide(t: &Table) -> bool {
    let size = table_size(t);
    // Figures whole; text columns may wrap, down to `TEXT_MIN` characters (as `grid` allows).
    let needed: usize = t
        .columns
        .iter()
        .zip(wants(t))
        .map(|(c, w)| span(if c.numeric { w } else { TEXT_MIN }, c.numeric, size))
        .sum();
    needed > TEXT_WIDTH
}

/// How wide `chars` characters of Times New Roman at `size` half-points are, in twentieths
/// of a point: about one character each, figures ("%", "/", ",") a little more.
fn span(chars: usize, figures: bool, size: usize) -> usize {
    if figures {
        chars * size * 11 / 2
    } else {
        chars * size * 5
    }
}

fn table(t: &Table, width: usize) -> DocxTable {
    let size = table_size(t);
    let widths = grid(t, size, width);
    let header = TableRow::new(
        t.columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| cell(vec![centred(run(&c.title).bold().size(size))], *w))
            .collect(),
    )
    .cant_split()
    // Marks the row for `repeat_header_rows`, which makes it a repeated header row.
    .row_height(HEADER_MARK)
    .height_rule(HeightRule::AtLeast);
    let rows = t.rows.iter().map(|r| {
        TableRow::new(
            r.iter()
                .zip(&t.columns)
                .zip(&widths)
                .map(|((text, c), w)| {
                    let align = if c.numeric {
                        AlignmentType::Right
                    } else {
                        AlignmentType::Left
                    };
                    // A figure is one unit: "1.986.512/2.013.460 (98,66%)" never breaks.
                    let text = if c.numeric {
                        text.replace(' ', "\u{a0}")
                    } else {
                        text.clone()
                    };
                    cell(
                        vec![Paragraph::new().add_run(run(&text).size(size)).align(align)],
                        *w,
                    )
                })
                .collect(),
        )
        .cant_split()
    });
    DocxTable::new(std::iter::once(header).chain(rows).collect()).set_grid(widths)
}

/// The document's last section made the landscape Phụ lục, where the body holds one
/// (`SECTION_BREAK`): the paragraph holding the mark becomes the end of the portrait section
/// (the body's section properties, page numbers and all), and the body's own section turns
/// landscape, every page of it numbered. Unchanged where there is no mark.
fn landscape_appendix(xml: &str) -> Result<String, String> {
    let Some(mark) = xml.find(SECTION_BREAK) else {
        return Ok(xml.to_string());
    };
    let start = xml[..mark]
        .rfind("<w:p ")
        .into_iter()
        .chain(xml[..mark].rfind("<w:p>"))
        .max()
        .ok_or("the section break's paragraph has no start")?;
    let end = xml[mark..]
        .find("</w:p>")
        .map(|e| mark + e + "</w:p>".len())
        .ok_or("the section break's paragraph has no end")?;
    let sect_start = xml
        .rfind("<w:sectPr>")
        .ok_or("the document has no section properties")?;
    let sect_end = xml[sect_start..]
        .find("</w:sectPr>")
        .map(|e| sect_start + e + "</w:sectPr>".len())
        .ok_or("the document's section properties do not end")?;
    let portrait = &xml[sect_start..sect_end];
    let (w, h) = (PAGE.0, PAGE.1);
    let landscape = portrait
        .replace(
            &format!(r#"<w:pgSz w:w="{w}" w:h="{h}" />"#),
            &format!(r#"<w:pgSz w:w="{h}" w:h="{w}" w:orient="landscape" />"#),
        )
        .replace("<w:titlePg />", "");
    let landscape = match landscape.find(r#"<w:headerReference w:type="first""#) {
        Some(i) => {
            let j = landscape[i..].find("/>").map_or(i, |j| i + j + 2);
            format!("{}{}", &landscape[..i], &landscape[j..])
        }
        None => landscape,
    };
    if !landscape.contains(r#"w:orient="landscape""#) {
        return Err("the page size is not the one written".into());
    }
    Ok(format!(
        "{}<w:p><w:pPr>{portrait}</w:pPr></w:p>{}{landscape}{}",
        &xml[..start],
        &xml[end..sect_start],
        &xml[sect_end..]
    ))
}

/// A row height no real row has (1/20 pt), marking header rows in the written XML.
const HEADER_MARK: f32 = 1.0;

/// docx-rs writes no `w:tblHeader`: the marked height of each header row becomes one. The
/// element takes the height's place in `w:trPr`, after `w:cantSplit`, where the schema has it.
fn repeat_header_rows(package: Vec<u8>) -> Result<Vec<u8>, crate::RenderError> {
    use std::io::{Read, Write};
    let err = |e: &dyn std::fmt::Display| crate::RenderError::Docx(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(package)).map_err(|e| err(&e))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|e| err(&e))?;
        if file.name() != "word/document.xml" {
            out.raw_copy_file(file).map_err(|e| err(&e))?;
            continue;
        }
        let name = file.name().to_string();
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(file.last_modified().unwrap_or_default());
        let mut xml = String::new();
        file.read_to_string(&mut xml).map_err(|e| err(&e))?;
        let xml = xml.replace(
            r#"<w:trHeight w:val="1" w:hRule="atLeast" />"#,
            "<w:tblHeader />",
        );
        let xml = landscape_appendix(&xml).map_err(|e| err(&e))?;
        out.start_file(name, options).map_err(|e| err(&e))?;
        out.write_all(xml.as_bytes()).map_err(|e| err(&e))?;
    }
    Ok(out.finish().map_err(|e| err(&e))?.into_inner())
}

/// The header block: the issuing body on the left, the party motto and the date line on the
/// right.
fn header_table(h: &crate::doc::Header) -> DocxTable {
    // As in office templates, the header block reaches 1 cm into the left margin and 5 mm into
    // the right one, so that neither the issuer's name nor the date line wraps.
    let (out_left, out_right) = (mm(10), mm(5));
    let block = TEXT_WIDTH + (out_left + out_right) as usize;
    let left = block / 2 - 150;
    DocxTable::without_borders(vec![TableRow::new(vec![
        cell(
            vec![
                centred(run(&h.superior).size(HEADER)),
                centred(run(&h.issuer).bold().size(HEADER)),
                centred(run("*").size(HEADER)),
                centred(run(&h.number).size(HEADER)),
            ],
            left,
        ),
        cell(
            vec![
                centred(run(&h.party).bold().underline("single").size(HEADER)),
                centred(run("")),
                centred(run(&h.date_line).italic().size(HEADER)),
            ],
            block - left,
        ),
    ])])
    .set_grid(vec![left, block - left])
    .indent(-out_left)
}

/// The closing block: recipients on the left, the signature on the right, kept on one page.
fn closing_table(c: &crate::doc::Closing) -> DocxTable {
    let half = TEXT_WIDTH / 2;
    // Every paragraph of the closing block keeps with the next: the block stays whole.
    let mut recipients = vec![
        Paragraph::new()
            .add_run(run(&c.recipients_title).bold().italic().size(SMALL))
            .keep_next(true),
    ];
    recipients.extend(
        c.recipients
            .iter()
            .map(|r| Paragraph::new().add_run(run(r).size(22)).keep_next(true)),
    );
    let signer = c
        .signer
        .iter()
        .map(|line| {
            if line.is_empty() {
                // The space for the signature (and the seal).
                centred(run("")).line_spacing(LineSpacing::new().after(1200))
            } else if line.starts_with('(') {
                // "(Ký, ghi rõ họ tên)" on a draft.
                centred(run(line).italic())
            } else {
                // The title and, once issued, the signer's name.
                centred(run(line).bold())
            }
        })
        .map(|p| p.keep_next(true))
        .collect();
    DocxTable::without_borders(vec![
        TableRow::new(vec![
            cell(recipients, half),
            cell(signer, TEXT_WIDTH - half),
        ])
        .cant_split(),
    ])
    .set_grid(vec![half, TEXT_WIDTH - half])
}

/// Renders `doc` as a `.docx` package, dated `today` in its properties.
pub fn render(doc: &Document, today: NaiveDate) -> Result<Vec<u8>, crate::RenderError> {
    let fonts = RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .east_asia("Times New Roman")
        .cs("Times New Roman");
    let stamp = format!("{}T00:00:00Z", today.format("%Y-%m-%d"));
    let header = header_table(&doc.header);

    // Hướng dẫn 36-HD/VPTW (Văn phòng Trung ương Đảng, 3/4/2018) on Party documents: pages
    // numbered from the second in Arabic figures, at the top, centred over the text, 10 mm
    // from the paper's top edge; the first page carries none.
    let page_number = Header::new().add_paragraph(
        Paragraph::new()
            .add_page_num(PageNum::new())
            .align(AlignmentType::Center)
            .size(BODY),
    );
    let mut d = Docx::new()
        .header(page_number)
        .first_header(Header::new().add_paragraph(Paragraph::new()))
        .page_size(PAGE.0, PAGE.1)
        .page_margin(PageMargin {
            top: TOP,
            left: LEFT,
            bottom: BOTTOM,
            right: RIGHT,
            header: mm(10),
            footer: mm(10),
            gutter: 0,
        })
        .default_fonts(fonts)
        .default_size(BODY)
        .created_at(&stamp)
        .updated_at(&stamp)
        .add_table(header)
        .add_paragraph(
            centred(run(&doc.title).bold().size(30)).line_spacing(LineSpacing::new().before(360)),
        )
        .add_paragraph(
            centred(run(&doc.subtitle).bold()).line_spacing(LineSpacing::new().after(240)),
        );
    let mut appendix = Vec::new();
    d = sections(d, doc, &mut appendix)
        .add_paragraph(Paragraph::new().keep_next(true))
        .add_table(closing_table(&doc.closing));
    if !appendix.is_empty() {
        d = appendix_pages(d, doc, appendix);
    }
    let mut out = Cursor::new(Vec::new());
    d.pack(&mut out)
        .map_err(|e| crate::RenderError::Docx(e.to_string()))?;
    repeat_header_rows(out.into_inner())
}

/// The numbered sections; a table too wide for a portrait page (with its caption) is put in
/// `appendix`, and the text says where it is.
fn sections(mut d: Docx, doc: &Document, appendix: &mut Vec<(Option<String>, Table)>) -> Docx {
    let chart_column = doc.lang.pick("Chỉ tiêu", "Indicator");
    let last_section = doc.sections.len().saturating_sub(1);
    for (si, s) in doc.sections.iter().enumerate() {
        d = d.add_paragraph(
            Paragraph::new()
                .add_run(run(&s.heading).bold())
                .keep_next(true)
                .line_spacing(LineSpacing::new().before(120).after(120)),
        );
        let last_block = s.blocks.len().saturating_sub(1);
        let mut heading: Option<&str> = None;
        for (bi, b) in s.blocks.iter().enumerate() {
            let next = s.blocks.get(bi + 1);
            if let Block::Heading(h) = b {
                heading = Some(h.as_str());
            }
            // A caption ("…:") goes where its table goes.
            if let (Block::Paragraph(p), Some(Block::Table(t))) = (b, next)
                && p.ends_with(':')
                && too_wide(t)
            {
                continue;
            }
            // The report's last paragraph stays on the page of the signature block, and a
            // table's caption (the paragraph before it) on the page of its table.
            let captions = matches!(next, Some(Block::Table(_) | Block::Charts(_)));
            let keep = (si == last_section && bi == last_block) || captions;
            d = match b {
                Block::Heading(t) => {
                    d.add_paragraph(indented(run(t).bold().italic()).keep_next(true))
                }
                Block::Paragraph(t) => d.add_paragraph(para(t).keep_next(keep)),
                Block::Note(t) => d.add_paragraph(indented(run(t).italic()).keep_next(keep)),
                Block::Bullets(items) => {
                    let last = items.len().saturating_sub(1);
                    items.iter().enumerate().fold(d, |d, (i, item)| {
                        d.add_paragraph(para(&format!("- {item}")).keep_next(keep && i == last))
                    })
                }
                Block::Table(t) if too_wide(t) => {
                    // Its caption, else the heading it stands under.
                    let caption = match bi.checked_sub(1).and_then(|p| s.blocks.get(p)) {
                        Some(Block::Paragraph(c)) if c.ends_with(':') => {
                            Some(c.trim_end_matches(':').to_string())
                        }
                        _ => heading.map(|h| {
                            h.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                                .trim()
                                .to_string()
                        }),
                    };
                    appendix.push((caption, t.clone()));
                    let n = appendix.len();
                    d.add_paragraph(indented(
                        run(&match doc.lang {
                            crate::doc::Lang::Vi => {
                                format!("(Bảng chi tiết tại Phụ lục, bảng {n}.)")
                            }
                            crate::doc::Lang::En => {
                                format!("(See Table {n} of the Appendix.)")
                            }
                        })
                        .italic(),
                    ))
                }
                Block::Table(t) => d
                    .add_table(table(t, TEXT_WIDTH))
                    .add_paragraph(Paragraph::new()),
                Block::Charts(charts) => match Chart::as_table(charts, chart_column) {
                    Some(t) => d
                        .add_table(table(&t, TEXT_WIDTH))
                        .add_paragraph(Paragraph::new()),
                    None => d,
                },
            };
        }
    }
    d
}

/// Marks where the portrait pages end and the landscape Phụ lục begins; the packing step
/// (`finish`) turns the paragraph holding it into the section break.
const SECTION_BREAK: &str = "\u{e000}danvan-section-break\u{e000}";

/// The Phụ lục: on landscape pages of their own, each wide table numbered, with its caption.
fn appendix_pages(mut d: Docx, doc: &Document, tables: Vec<(Option<String>, Table)>) -> Docx {
    let (title, table_word) = match doc.lang {
        crate::doc::Lang::Vi => ("PHỤ LỤC", "Bảng"),
        crate::doc::Lang::En => ("APPENDIX", "Table"),
    };
    d = d
        .add_paragraph(Paragraph::new().add_run(run(SECTION_BREAK)))
        .add_paragraph(centred(run(title).bold()).keep_next(true))
        .add_paragraph(
            centred(run(&doc.subtitle).italic())
                .keep_next(true)
                .line_spacing(LineSpacing::new().after(240)),
        );
    for (i, (caption, t)) in tables.into_iter().enumerate() {
        let heading = match caption {
            Some(c) => format!("{table_word} {}. {c}", i + 1),
            None => format!("{table_word} {}", i + 1),
        };
        d = d
            .add_paragraph(
                Paragraph::new()
                    .add_run(run(&heading).bold())
                    .keep_next(true)
                    .line_spacing(LineSpacing::new().before(120).after(120)),
            )
            .add_table(table(&t, LANDSCAPE_WIDTH))
            .add_paragraph(Paragraph::new());
    }
    d
}
