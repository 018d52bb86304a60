//! Fuzzes the date-in-text parser: never panics, and found dates print back.
#![no_main]

use danvan_core::date::{date_line, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(d) = parse(text, Some(2024)) {
        let iso = d.to_string();
        assert_eq!(parse(&iso, None).expect("ISO date parses"), d);
        let _ = date_line("Thái Nguyên", d);
    }
});
