//! Fuzzes the document-citation parser: never panics, and what it reads it writes back in a
//! form that reads the same.
#![no_main]

use danvan_core::citation::Citation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(c) = Citation::parse(text) {
        let written = c.to_vietnamese();
        if let Ok(again) = Citation::parse(&written) {
            assert_eq!(again.number, c.number, "{written}");
            assert_eq!(again.issued_on, c.issued_on, "{written}");
        }
    }
});
