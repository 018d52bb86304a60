//! Prints what danvan-ingest reads from a file: `cargo run -p danvan-ingest --example ingest --
//! FILE [PUBLISHED] [URL]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let file = args.next().ok_or("usage: ingest FILE [PUBLISHED] [URL]")?;
    let bytes = std::fs::read(&file)?;
    let (text, mut meta) = danvan_ingest::read::read(&file, &bytes)?;
    if let Some(p) = args.next() {
        meta.published = Some(p.parse()?);
    }
    if let Some(u) = args.next() {
        meta.url = Some(u);
    }
    let doc = danvan_ingest::Document::new(&text, meta);
    let found = danvan_ingest::ingest(&doc);
    for p in &found.proposals {
        println!(
            "{} {:?} {}{}",
            p.key,
            p.kind,
            p.label,
            if p.missing.is_empty() {
                String::new()
            } else {
                format!("  MISSING {:?}", p.missing)
            }
        );
        for v in &p.values {
            let how = match &v.evidence {
                danvan_ingest::Evidence::Stated { quote, .. } => format!("«{quote}»"),
                danvan_ingest::Evidence::Inferred { field, note, .. } => {
                    format!("INFERRED {field}: {note}")
                }
            };
            println!("   {} = {}   {}", v.field, v.value, how);
        }
        for l in &p.links {
            println!("   -> {} {}", l.field, l.to);
        }
        for c in p.check(&doc) {
            println!("   !! {c}");
        }
    }
    for u in &found.unread {
        println!("UNREAD: {}", u.text);
    }
    Ok(())
}
