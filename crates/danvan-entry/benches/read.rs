//! `cargo xtask bench entry`: reading spreadsheets of records, against a floor measured in the
//! same run.
//!
//! For 27,000 and 110,000 rows of observations (the sizes that took 26 s and 8 minutes when
//! each row's line number was counted from the start of the file): the CSV file read into
//! records' JSON (`sheet::read_within` with the upload limits), beside the floor — the same
//! records parsed from JSON Lines, which does no more than turn text into JSON values — and
//! the same rows as a workbook: the scan of its parts against the limits
//! (`limits::check_workbook`) and the whole read. Then two workbooks a few hundred kilobytes
//! long that would expand to gigabytes: how long refusing them takes.

#![allow(clippy::unwrap_used, missing_docs)]

use std::time::Instant;

use danvan_core::record_kind::RecordKind;
use danvan_entry::Limits;

/// `n` rows of observations, as a Vietnamese office's CSV export writes them.
fn csv(n: usize) -> String {
    let mut out = String::from("Mã;Chỉ tiêu;Tỉnh;Kỳ báo cáo;Tử số;Mẫu số\n");
    for i in 0..n {
        out.push_str(&format!(
            "obs-{i};complaints_resolved;Thái Nguyên;{};{};{}\n",
            2000 + i % 25,
            1000 + i % 300,
            1400 + i % 300
        ));
    }
    out
}

/// The same rows as JSON Lines of the records' JSON (the floor's input).
fn jsonl(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        out.push_str(&format!(
            "{{\"id\":\"obs-{i}\",\"indicator\":\"complaints_resolved\",\"province\":\"thai-nguyen\",\"period\":\"{}\",\"numerator\":{},\"denominator\":{}}}\n",
            2000 + i % 25,
            1000 + i % 300,
            1400 + i % 300
        ));
    }
    out
}

/// The same rows as a workbook with one sheet, "Số liệu".
fn workbook(n: usize) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Số liệu").unwrap();
    for (c, h) in ["Mã", "Chỉ tiêu", "Tỉnh", "Kỳ báo cáo", "Tử số", "Mẫu số"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for i in 0..n {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, format!("obs-{i}")).unwrap();
        sheet.write_string(r, 1, "complaints_resolved").unwrap();
        sheet.write_string(r, 2, "Thái Nguyên").unwrap();
        sheet
            .write_string(r, 3, (2000 + i % 25).to_string())
            .unwrap();
        sheet.write_number(r, 4, (1000 + i % 300) as f64).unwrap();
        sheet.write_number(r, 5, (1400 + i % 300) as f64).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// A zip of one workbook part streamed from `write`.
fn bomb(part: &str, write: impl Fn(&mut dyn std::io::Write)) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file(part, options).unwrap();
    write(&mut z);
    z.finish().unwrap().into_inner()
}

/// The median of three runs of `f`, in seconds.
fn time(mut f: impl FnMut()) -> f64 {
    let mut runs: Vec<f64> = (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[1]
}

fn main() {
    let limits = Limits::LOCAL;
    println!(
        "\n{:<56} {:>10} {:>10} {:>8}",
        "reading", "seconds", "floor s", "ratio"
    );
    for n in [27_000, 110_000] {
        let (text, lines) = (csv(n), jsonl(n));
        let read = time(|| {
            let rows =
                danvan_entry::sheet::read_within(RecordKind::Observation, &text, &limits, &|| {
                    false
                })
                .unwrap();
            assert_eq!(rows.len(), n);
        });
        let floor = time(|| {
            let rows: Vec<serde_json::Value> = lines
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert_eq!(rows.len(), n);
        });
        println!(
            "{:<56} {read:>10.3} {floor:>10.3} {:>7.1}x",
            format!("CSV, {n} rows ({} MB)", text.len() >> 20),
            read / floor
        );
        let book = workbook(n);
        let scan =
            time(|| danvan_entry::limits::check_workbook(&book, &limits, &|| false).unwrap());
        let whole = time(|| {
            let rows = danvan_entry::workbook::read_within(
                std::path::Path::new("so-lieu.xlsx"),
                book.clone(),
                None,
                &limits,
                &|| false,
            )
            .unwrap();
            assert_eq!(rows.len(), n);
        });
        println!(
            "{:<56} {whole:>10.3} {:>10} {:>8}",
            format!("workbook, {n} rows ({} KB): read", book.len() >> 10),
            "",
            ""
        );
        println!(
            "{:<56} {scan:>10.3} {:>10} {:>7.0}%",
            format!("workbook, {n} rows: the limits' scan before it"),
            "",
            scan / whole * 100.0
        );
    }
    let giant = bomb("xl/sharedStrings.xml", |w| {
        w.write_all(b"<sst><si><t>").unwrap();
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..1024 {
            w.write_all(&chunk).unwrap();
        }
        w.write_all(b"</t></si></sst>").unwrap();
    });
    let many = bomb("xl/sharedStrings.xml", |w| {
        w.write_all(b"<sst>").unwrap();
        for _ in 0..20_000_000 {
            w.write_all(b"<si><t/></si>").unwrap();
        }
        w.write_all(b"</sst>").unwrap();
    });
    for (what, bytes) in [
        ("one shared string of 1 GiB", giant),
        ("20 million empty shared strings", many),
    ] {
        let refused = time(|| {
            let e = danvan_entry::limits::check_workbook(&bytes, &Limits::UPLOAD, &|| false)
                .unwrap_err();
            assert!(!matches!(e, danvan_entry::Exceeded::Stopped));
        });
        println!(
            "{:<56} {refused:>10.3}",
            format!("refused: {what} ({} KB file)", bytes.len() >> 10)
        );
    }
}
