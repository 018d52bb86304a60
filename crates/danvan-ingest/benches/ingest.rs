//! Reading speed: an article of about 1,000 words (corpus texts run together) read into
//! proposals, against a floor measured in the same run — the same text only normalised,
//! folded and split into sentences (`Document::new`), which every reading must do first.
//! `cargo xtask bench ingest`; figures in docs/PERFORMANCE.md.

#![allow(clippy::unwrap_used)] // the corpus failing to load is a broken checkout, not a result

use danvan_ingest::{Document, Meta, ingest};

fn main() {
    divan::main();
}

/// Corpus texts joined until the article holds at least `words` words.
fn article(words: usize) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/ingest/corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut out = String::new();
    for f in files.iter().cycle() {
        let content = std::fs::read_to_string(f).unwrap();
        let text = content.split("\n---\n").nth(1).unwrap_or("");
        out.push_str(text);
        out.push('\n');
        if out.split_whitespace().count() >= words {
            break;
        }
    }
    out
}

fn meta() -> Meta {
    Meta {
        published: chrono::NaiveDate::from_ymd_opt(2025, 3, 15),
        url: Some("https://baolaocai.vn/tin/1".into()),
        ..Meta::default()
    }
}

#[divan::bench]
fn floor_document_only_1000_words(b: divan::Bencher<'_, '_>) {
    let text = article(1000);
    b.bench(|| Document::new(divan::black_box(&text), meta()));
}

#[divan::bench]
fn ingest_1000_words(b: divan::Bencher<'_, '_>) {
    let text = article(1000);
    b.bench(|| ingest(&Document::new(divan::black_box(&text), meta())));
}

#[divan::bench]
fn ingest_5000_words(b: divan::Bencher<'_, '_>) {
    let text = article(5000);
    b.bench(|| ingest(&Document::new(divan::black_box(&text), meta())));
}
