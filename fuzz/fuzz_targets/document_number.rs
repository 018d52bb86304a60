//! Fuzzes the document-number parser: never panics, and canonical output round-trips.
#![no_main]

use danvan_core::docnum::DocumentNumber;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(n) = DocumentNumber::parse(text) {
        let canonical = n.to_string();
        let again = DocumentNumber::parse(&canonical).expect("canonical form parses");
        assert_eq!(again.to_string(), canonical);
        assert_eq!(again, n);
    }
});
