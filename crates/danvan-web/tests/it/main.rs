//! Integration tests of the web app: the real server (the API with the web app beside it, as
//! `danvan serve` mounts them) on an ephemeral port of 127.0.0.1, the real JSON store on disk
//! seeded from `fixtures/demo`, and a real HTTP client that keeps a browser's cookies.

// Helpers here panic on failure by design: in a test, a panic is a failing test.
#![allow(clippy::unwrap_used)]

mod access;
mod users;
mod web;

// The API's test server and its province-bound fixtures, shared rather than copied; not
// every helper is used here.
#[allow(dead_code)]
#[path = "../../../danvan-http/tests/it/bound.rs"]
mod bound;
#[allow(dead_code)]
#[path = "../../../danvan-http/tests/it/harness.rs"]
mod harness;
pub(crate) use harness::*;

/// The web app beside the API, as `danvan serve` serves them.
pub(crate) fn mounted(api: danvan_http::Api, config: &danvan_http::Config) -> danvan_http::Api {
    danvan_web::mount(api, config.session_secret.as_deref())
}
