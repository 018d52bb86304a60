//! `danvan ingest FILE…`: reads articles and reports (plain text, HTML, DOCX) into proposed
//! records, each value with the words that say it; writes only what a person accepts
//! (`--review`, or `--yes` for every complete proposal).

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use danvan_ingest::store::{Outcome, accept, resolve};
use danvan_ingest::{Document, Evidence, Extraction, Meta, Proposal};
use serde::Serialize;

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};
use crate::output::print_json;

/// Arguments of `danvan ingest`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The files to read: plain text (UTF-8), HTML pages, DOCX documents, PDFs with a text
    /// layer (through poppler's pdftotext); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The address the text was published at (an HTML page's own address is read from it);
    /// its site names the province when the text does not (marked as inferred).
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// The day the text was published: the year of "Chiều 14/3" is taken from it (and marked
    /// as inferred). 15/3/2025 or 2025-03-15.
    #[arg(long, value_name = "DATE")]
    published: Option<String>,
    /// Go through the proposals one by one: write (g), edit a value (s), skip (b), stop (d).
    #[arg(long, conflicts_with = "yes")]
    review: bool,
    /// Write every complete proposal without asking.
    #[arg(long)]
    yes: bool,
}

/// One file's reading, as `--json` prints it.
#[derive(Serialize)]
struct Read {
    file: String,
    meta: Meta,
    text: String,
    #[serde(flatten)]
    found: Extraction,
}

pub(crate) fn run(ctx: &Ctx, args: &Args) -> Result<ExitCode, CommandError> {
    let published = match &args.published {
        Some(d) => Some(danvan_core::date::parse(d, None).map_err(|e| {
            CommandError::new(ErrorKind::Data, format!("--published: {e}"))
                .with_hint("viết ngày đăng như 15/3/2025 hoặc 2025-03-15")
        })?),
        None => None,
    };
    let store = ctx.open()?;
    let mut reads = Vec::new();
    for file in &args.files {
        let (name, bytes) = if file.as_os_str() == "-" {
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)
                .map_err(|e| CommandError::new(ErrorKind::Unreadable, format!("stdin: {e}")))?;
            ("-".to_string(), b)
        } else {
            let b = std::fs::read(file).map_err(|e| {
                CommandError::new(ErrorKind::Unreadable, format!("{}: {e}", file.display()))
            })?;
            (file.display().to_string(), b)
        };
        let bytes = if bytes.starts_with(b"%PDF") {
            pdf_text(&name, file)?
        } else {
            bytes
        };
        let (text, mut meta) = danvan_ingest::read::read(&name, &bytes)
            .map_err(|e| CommandError::new(ErrorKind::Data, e.to_string()))?;
        if args.url.is_some() {
            meta.url.clone_from(&args.url);
        }
        if published.is_some() {
            meta.published = published;
        }
        let doc = Document::new(&text, meta.clone());
        let mut found = danvan_ingest::ingest(&doc);
        resolve(store.as_ref(), &mut found)?;
        reads.push((name, doc, found));
    }
    if ctx.json && !args.review && !args.yes {
        let out: Vec<Read> = reads
            .into_iter()
            .map(|(file, doc, found)| Read {
                file,
                meta: doc.meta.clone(),
                text: doc.text().to_string(),
                found,
            })
            .collect();
        print_json(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    for (name, doc, mut found) in reads {
        print_reading(&name, &found);
        let keys: Vec<String> = if args.yes {
            found
                .proposals
                .iter()
                .filter(|p| p.missing.is_empty() || p.existing.is_some())
                .map(|p| p.key.clone())
                .collect()
        } else if args.review {
            review(&mut input, &mut found)?
        } else {
            if !found.proposals.is_empty() {
                println!(
                    "\nChưa ghi gì. Xem và chọn từng đề xuất: danvan ingest --review {name}; ghi mọi đề xuất đủ thông tin: --yes"
                );
            }
            continue;
        };
        if keys.is_empty() {
            println!("Không ghi đề xuất nào từ {name}.");
            continue;
        }
        let done =
            accept(store.as_ref(), &doc.meta, &found, &keys, &ctx.author).map_err(|e| match e {
                danvan_ingest::store::AcceptError::Store(s) => CommandError::from(s),
                other => CommandError::new(ErrorKind::Data, format!("{name}: {other}"))
                    .with_hint("nothing was written; edit the proposal (--review, s) or skip it"),
            })?;
        for (key, kind, id, outcome) in &done.records {
            let how = match outcome {
                Outcome::Created => "ghi mới",
                Outcome::Updated => "bổ sung vào bản ghi đã có",
                Outcome::Linked => "đã có, chỉ liên kết",
            };
            println!("[{key}] {} {id}: {how}", kind.as_str());
        }
        println!("Phiên bản kho: {}", done.revision);
    }
    Ok(ExitCode::SUCCESS)
}

/// A PDF's text layer, read by poppler's `pdftotext` (the extraction itself stays in Rust;
/// PDF text needs a layout engine danvan does not carry). A scan without a text layer is
/// refused, saying so.
fn pdf_text(name: &str, file: &std::path::Path) -> Result<Vec<u8>, CommandError> {
    if name == "-" {
        return Err(CommandError::new(
            ErrorKind::Data,
            "a PDF on standard input: give its file name instead",
        ));
    }
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-nopgbrk"])
        .arg(file)
        .arg("-")
        .output()
        .map_err(|e| {
            CommandError::new(
                ErrorKind::Unreadable,
                format!("{name}: a PDF, and reading its text needs pdftotext: {e}"),
            )
            .with_hint("install it: apt-get install poppler-utils (or save the PDF as text)")
        })?;
    if !out.status.success() {
        return Err(CommandError::new(
            ErrorKind::Data,
            format!(
                "{name}: not a readable PDF: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        ));
    }
    if String::from_utf8_lossy(&out.stdout).trim().is_empty() {
        return Err(CommandError::new(
            ErrorKind::Data,
            format!("{name}: the PDF has no text layer (a scanned page?): nothing to read"),
        )
        .with_hint("run it through OCR first, or type the text"));
    }
    Ok(out.stdout)
}

fn print_reading(name: &str, found: &Extraction) {
    println!(
        "{name}: {} đề xuất, {} câu chưa dùng",
        found.proposals.len(),
        found.unread.len()
    );
    let labels = labels_of(found);
    for p in &found.proposals {
        print_proposal(p, &labels);
    }
    if !found.unread.is_empty() {
        println!("\nCâu chưa dùng (đọc lại để khỏi sót):");
        for u in &found.unread {
            println!("  – {}", u.text);
        }
    }
}

fn print_proposal(p: &Proposal, labels: &std::collections::HashMap<&str, &str>) {
    println!("\n[{}] {}: {}", p.key, kind_vi(p.kind), p.label);
    if let Some(id) = &p.existing {
        println!("    đã có trong kho: {id}");
    }
    for n in &p.notes {
        println!("    lưu ý: {n}");
    }
    for v in &p.values {
        let value = danvan_ingest::labels::shown(v, true);
        let label = danvan_ingest::labels::field_label(&v.field, true);
        let why = match &v.evidence {
            Evidence::Stated { quote, .. } => {
                format!("«{}»", danvan_ingest::labels::clip(quote, 90))
            }
            Evidence::Inferred { note, .. } => format!("(suy ra: {note})"),
        };
        println!("    {label} ({}) = {value}   {why}", v.field);
    }
    for l in &p.links {
        let label = danvan_ingest::labels::field_label(&l.field, true);
        let target = labels.get(l.to.as_str()).copied().unwrap_or("");
        println!("    {label} → [{}] {target}", l.to);
    }
    if !p.missing.is_empty() {
        println!("    thiếu: {} (văn bản không nêu)", p.missing.join(", "));
    }
}

/// Each proposal's label by its key, for links to name what they point at.
fn labels_of(found: &Extraction) -> std::collections::HashMap<&str, &str> {
    found
        .proposals
        .iter()
        .map(|p| (p.key.as_str(), p.label.as_str()))
        .collect()
}

fn kind_vi(kind: danvan_core::validate::RecordKind) -> &'static str {
    use danvan_core::validate::RecordKind as K;
    match kind {
        K::Conference => "Hội nghị",
        K::Directive => "Văn bản",
        K::Observation => "Số liệu",
        K::Model => "Mô hình",
        K::Award => "Khen thưởng",
        _ => "Bản ghi",
    }
}

/// Asks about each proposal; returns the keys accepted.
fn review(input: &mut impl BufRead, found: &mut Extraction) -> Result<Vec<String>, CommandError> {
    let mut keys = Vec::new();
    let count = found.proposals.len();
    for i in 0..count {
        loop {
            let p = &found.proposals[i];
            print!(
                "\n[{}] {} — ghi (g), sửa (s), bỏ qua (b), dừng (d)? ",
                p.key, p.label
            );
            std::io::stdout().flush().ok();
            let Some(answer) = line(input)? else {
                return Ok(keys);
            };
            match answer.trim().to_lowercase().as_str() {
                "g" | "y" | "ghi" => {
                    let p = &found.proposals[i];
                    if !p.missing.is_empty() && p.existing.is_none() {
                        println!(
                            "    còn thiếu {}: sửa (s) để điền, hoặc bỏ qua (b)",
                            p.missing.join(", ")
                        );
                        continue;
                    }
                    keys.push(p.key.clone());
                    break;
                }
                "b" | "n" | "bo qua" => break,
                "d" | "q" => return Ok(keys),
                "s" | "e" | "sua" => edit(input, &mut found.proposals[i])?,
                other => println!("    không hiểu {other:?}: gõ g, s, b hoặc d"),
            }
        }
    }
    Ok(keys)
}

/// Reads `field=value` lines (`field=` clears) until an empty line.
fn edit(input: &mut impl BufRead, p: &mut Proposal) -> Result<(), CommandError> {
    println!(
        "    Gõ trường=giá trị, trường viết như trong ngoặc (vd. date=14/3/2025; location=Hội trường Tỉnh ủy; hosts= để xóa); dòng trống để xong."
    );
    loop {
        print!("    > ");
        std::io::stdout().flush().ok();
        let Some(l) = line(input)? else { return Ok(()) };
        let l = l.trim();
        if l.is_empty() {
            print_proposal(p, &std::collections::HashMap::new());
            return Ok(());
        }
        let Some((field, value)) = l.split_once('=') else {
            println!("    viết trường=giá trị, vd. location=Hội trường Tỉnh ủy");
            continue;
        };
        let value = value.trim();
        p.edit(field.trim(), (!value.is_empty()).then_some(value));
    }
}

fn line(input: &mut impl BufRead) -> Result<Option<String>, CommandError> {
    let mut s = String::new();
    let n = input
        .read_line(&mut s)
        .map_err(|e| CommandError::new(ErrorKind::Unreadable, format!("stdin: {e}")))?;
    Ok((n > 0).then_some(s))
}
