//! Fuzzes Vietnamese number parsing: never panics, and formatting round-trips.
#![no_main]

use danvan_core::number::{Convention, Decimal};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for convention in [Convention::Vietnamese, Convention::English, Convention::Auto] {
        if let Ok(d) = Decimal::parse(text, convention) {
            let vi = d.to_vietnamese(d.scale());
            assert_eq!(Decimal::parse(&vi, Convention::Vietnamese).expect("formatted parses"), d);
            let en = d.to_english(d.scale());
            assert_eq!(Decimal::parse(&en, Convention::English).expect("formatted parses"), d);
        }
    }
});
