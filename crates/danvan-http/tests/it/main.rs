//! Integration tests of the HTTP API: the real server on an ephemeral port of 127.0.0.1, the
//! real JSON store on disk seeded from `fixtures/demo`, and a real HTTP client.

// Helpers here panic on failure by design: in a test, a panic is a failing test.
#![allow(clippy::unwrap_used)]

mod access;
mod bound;
mod calendar;
mod cycle;
mod damage;
mod domain;
mod errors;
mod exchange;
mod fast;
mod feed;
mod ingest;
mod provinces;
mod random;
mod reads;
mod reports;
mod spec;
mod stalls;
mod webhooks;
mod writes;

mod harness;
pub(crate) use harness::*;

/// The API alone: the web app's tests (in `danvan-web`) serve it beside.
pub(crate) fn mounted(api: danvan_http::Api, _: &danvan_http::Config) -> danvan_http::Api {
    api
}
