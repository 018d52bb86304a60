//! Fuzzes the reading of a record's JSON with every structural problem: it never panics and
//! always ends; what reads as it is has no problems, and what does not has at least one.
#![no_main]

use danvan_core::dataset::AnyRecord;
use danvan_core::record_kind::RecordKind;
use danvan_entry::structure::read_record;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    for kind in RecordKind::ALL {
        let reading = read_record(kind, &value);
        let direct: Result<AnyRecord, _> =
            serde_json::from_value(serde_json::json!({"kind": kind, "record": value}));
        match direct {
            Ok(record) => {
                assert!(reading.problems.is_empty(), "{:?}", reading.problems);
                assert_eq!(reading.record, Some(record));
            }
            Err(_) => assert!(!reading.problems.is_empty()),
        }
    }
});
