//! Periodic summaries (sơ kết, tổng kết) generated from danvan records, per province and
//! national, in Vietnamese or English.
//!
//! This crate is part of the workspace layout; report generation is built in its own issue and
//! it exports nothing yet.
