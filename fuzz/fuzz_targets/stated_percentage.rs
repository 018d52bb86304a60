//! Fuzzes the stated-percentage parser: never panics; a parsed statement keeps its text.
#![no_main]

use danvan_core::indicator::StatedPercentage;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(s) = StatedPercentage::parse(text) {
        let again = StatedPercentage::parse(s.as_str()).expect("written text parses");
        assert_eq!(again, s);
        let _ = s.agrees_with_ratio(1272, 1337);
    }
});
