//! The danvan HTTP API for integrators (axum + tokio), served by `danvan serve`.
//!
//! This crate is part of the workspace layout; its API is built in its own issue and exports
//! nothing yet.
