//! Integration tests of danvan-store, against real files in temporary directories.

// Helpers here panic on failure by design: in a test, a panic is a failing test.
#![allow(clippy::unwrap_used)]

mod dataset_dir;
