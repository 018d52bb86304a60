//! Fuzzes the period parsers (IDs and Vietnamese phrases): never panic, and IDs round-trip.
#![no_main]

use danvan_core::period::Period;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(p) = Period::parse_id(text) {
        assert_eq!(Period::parse_id(&p.to_string()).expect("id parses"), p);
        assert_eq!(Period::parse(&p.to_vietnamese(), None).expect("phrase parses"), p);
        let (start, end) = p.date_range(danvan_core::period::Window::DECREE_09);
        assert!(start <= end);
    }
    let _ = Period::parse(text, Some(2024));
});
