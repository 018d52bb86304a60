//! A [`Document`] as a Word file laid out as offices submit it: A4, Times New Roman 14 pt
//! (tables 12 pt), the Decree 30/2020 margins (top and bottom 20 mm, left 30 mm, right 15 mm),
//! the two-column header block, and recipients and signature side by side at the end. Written
//! with the `docx-rs` crate; charts become a table of the figures per period.
//!
//! Laid out for printing: page numbers in the footer (a `PAGE` field, centred, from the second
//! page on, as Decree 30/2020 leaves the first page unnumbered); table header rows repeated on
//! every page (`w:tblHeader`) and rows never split across pages (`w:cantSplit`); headings kept
//! with what follows, and the last paragraph kept with the recipients and signature block
//! (`w:keepNext`); every table within the text width.

use std::io::Cursor;

use chrono::NaiveDate;
use docx_rs::{
    AlignmentType, Docx, Footer, HeightRule, LineSpacing, PageMargin, PageNum, Paragraph, Run,
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

/// A justified paragraph with its first line indented 1 cm, as body text is set.
fn indented(r: Run) -> Paragraph {
    Paragraph::new()
        .add_run(r)
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

/// Column widths: figure columns as wide as their longest cell or heading word (up to 16
/// characters, so short figures never wrap), text columns sharing what is left in proportion to
/// their longest cell (up to 40 characters). If the figures leave too little, every column
/// shrinks in proportion.
fn grid(t: &Table, size: usize) -> Vec<usize> {
    // About one character of Times New Roman at `size` half-points, in twentieths of a point.
    let char_width = size * 5;
    let chars = |s: &str| s.chars().count();
    let wants: Vec<usize> = t
        .columns
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
            let limit = if c.numeric { 16 } else { 40 };
            // Two characters for the cell margins; at least a percentage's width.
            longest_cell.min(limit).max(longest_word).max(7) + 2
        })
        .collect();
    let figures: usize = t
        .columns
        .iter()
        .zip(&wants)
        .filter(|(c, _)| c.numeric)
        .map(|(_, w)| w * char_width)
        .sum();
    let text_weight: usize = t
        .columns
        .iter()
        .zip(&wants)
        .filter(|(c, _)| !c.numeric)
        .map(|(_, w)| *w)
        .sum();
    let text_columns = t.columns.iter().filter(|c| !c.numeric).count();
    let left = TEXT_WIDTH.saturating_sub(figures);
    if text_weight > 0 && left >= text_columns * 12 * char_width {
        t.columns
            .iter()
            .zip(&wants)
            .map(|(c, w)| {
                if c.numeric {
                    w * char_width
                } else {
                    left * w / text_weight
                }
            })
            .collect()
    } else {
        let total: usize = wants.iter().sum();
        wants
            .iter()
            .map(|w| TEXT_WIDTH * w / total.max(1))
            .collect()
    }
}

fn table(t: &Table) -> DocxTable {
    // Wide tables (the national ones) are set a point smaller.
    let size = if t.columns.len() >= 6 {
        SMALL - 2
    } else {
        SMALL
    };
    let widths = grid(t, size);
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
                    cell(
                        vec![Paragraph::new().add_run(run(text).size(size)).align(align)],
                        *w,
                    )
                })
                .collect(),
        )
        .cant_split()
    });
    DocxTable::new(std::iter::once(header).chain(rows).collect()).set_grid(widths)
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
        .enumerate()
        .map(|(i, line)| match (i, line.is_empty()) {
            (0, _) => centred(run(line).bold()),
            (_, true) => centred(run("")).line_spacing(LineSpacing::new().after(1200)),
            _ => centred(run(line).italic()),
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

    let page_number = Footer::new().add_paragraph(
        Paragraph::new()
            .add_page_num(PageNum::new())
            .align(AlignmentType::Center)
            .size(HEADER),
    );
    let mut d = Docx::new()
        .footer(page_number)
        .first_footer(Footer::new().add_paragraph(Paragraph::new()))
        .page_size(PAGE.0, PAGE.1)
        .page_margin(PageMargin {
            top: TOP,
            left: LEFT,
            bottom: BOTTOM,
            right: RIGHT,
            header: 720,
            footer: 720,
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
        for (bi, b) in s.blocks.iter().enumerate() {
            // The report's last paragraph stays on the page of the signature block.
            let keep = si == last_section && bi == last_block;
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
                Block::Table(t) => d.add_table(table(t)).add_paragraph(Paragraph::new()),
                Block::Charts(charts) => match Chart::as_table(charts, chart_column) {
                    Some(t) => d.add_table(table(&t)).add_paragraph(Paragraph::new()),
                    None => d,
                },
            };
        }
    }
    d = d
        .add_paragraph(Paragraph::new().keep_next(true))
        .add_table(closing_table(&doc.closing));
    let mut out = Cursor::new(Vec::new());
    d.pack(&mut out)
        .map_err(|e| crate::RenderError::Docx(e.to_string()))?;
    repeat_header_rows(out.into_inner())
}
