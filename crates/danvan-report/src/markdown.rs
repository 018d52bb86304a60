//! A [`Document`] as Markdown (GitHub tables): the header and closing blocks as two-column
//! tables, charts as a table of the figures per period.

use std::fmt::Write as _;

use crate::doc::{Block, Chart, Document, Table};

/// Escapes the characters a Markdown table cell or line would read as markup.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '|' | '*' | '_' | '\\' | '`' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn table(o: &mut String, t: &Table) {
    let row = |cells: &mut dyn Iterator<Item = String>| {
        let cells: Vec<String> = cells.collect();
        format!("| {} |", cells.join(" | "))
    };
    let _ = writeln!(
        o,
        "{}",
        row(&mut t.columns.iter().map(|c| escape(&c.title)))
    );
    let _ = writeln!(
        o,
        "{}",
        row(&mut t
            .columns
            .iter()
            .map(|c| if c.numeric { "---:" } else { "---" }.to_string()))
    );
    for r in &t.rows {
        let _ = writeln!(o, "{}", row(&mut r.iter().map(|c| escape(c))));
    }
    let _ = writeln!(o);
}

/// Renders `doc` as Markdown.
pub fn render(doc: &Document) -> String {
    let mut o = String::new();
    let h = &doc.header;
    let _ = writeln!(o, "| {} | **{}** |", escape(&h.superior), escape(&h.party));
    let _ = writeln!(o, "|:---:|:---:|");
    let _ = writeln!(o, "| **{}** | |", escape(&h.issuer));
    let _ = writeln!(o, "| \\* | |");
    let _ = writeln!(
        o,
        "| {} | *{}* |\n",
        escape(&h.number),
        escape(&h.date_line)
    );
    let _ = writeln!(o, "# {}\n", escape(&doc.title));
    let _ = writeln!(o, "## {}\n", escape(&doc.subtitle));
    let chart_column = doc.lang.pick("Chỉ tiêu", "Indicator");
    for s in &doc.sections {
        let _ = writeln!(o, "### {}\n", escape(&s.heading));
        for b in &s.blocks {
            match b {
                Block::Heading(t) => {
                    let _ = writeln!(o, "#### {}\n", escape(t));
                }
                Block::Paragraph(t) => {
                    let _ = writeln!(o, "{}\n", escape(t));
                }
                Block::Note(t) => {
                    let _ = writeln!(o, "*{}*\n", escape(t));
                }
                Block::Bullets(items) => {
                    for i in items {
                        let _ = writeln!(o, "- {}", escape(i));
                    }
                    let _ = writeln!(o);
                }
                Block::Table(t) => table(&mut o, t),
                Block::Charts(charts) => {
                    if let Some(t) = Chart::as_table(charts, chart_column) {
                        table(&mut o, &t);
                    }
                }
            }
        }
    }
    let c = &doc.closing;
    let _ = writeln!(
        o,
        "| **{}** | **{}** |",
        escape(&c.recipients_title),
        c.signer.first().map_or_else(String::new, |s| escape(s))
    );
    let _ = writeln!(o, "|:---|:---:|");
    let lines = c.recipients.len().max(c.signer.len().saturating_sub(1));
    for i in 0..lines {
        let _ = writeln!(
            o,
            "| {} | {} |",
            c.recipients.get(i).map_or_else(String::new, |s| escape(s)),
            c.signer.get(i + 1).map_or_else(String::new, |s| escape(s))
        );
    }
    o
}
