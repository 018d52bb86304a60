//! The development corpus (`fixtures/ingest/corpus`) read and scored against its labels, with
//! the targets asserted: recall ≥ 90%, precision ≥ 97%, no invented value.

use std::path::Path;

use danvan_ingest::eval::{Case, score};

fn corpus() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/ingest/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            let content = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{name}: {e}"));
            Case::parse(&name, &content).unwrap_or_else(|e| panic!("{e}"))
        })
        .collect()
}

#[test]
fn corpus_meets_the_targets() {
    let cases = corpus();
    let s = score(&cases);
    let mut report = s.table();
    for m in &s.misses {
        let (name, missing, extra, invented) = (&m.case, &m.missing, &m.extra, &m.invented);
        report.push_str(&format!("\n{name}\n"));
        for m in missing {
            report.push_str(&format!("  missed   {m}\n"));
        }
        for e in extra {
            report.push_str(&format!("  extra    {e}\n"));
        }
        for i in invented {
            report.push_str(&format!("  INVENTED {i}\n"));
        }
    }
    println!("{report}");
    let t = s.total;
    assert!(
        t.recall() >= 0.90 && t.precision() >= 0.97 && t.invented == 0,
        "below target (recall ≥ 90%, precision ≥ 97%, invented 0):\n{report}"
    );
    assert!(
        cases.len() >= 40,
        "the corpus holds {} texts; it needs at least 40",
        cases.len()
    );
}
