//! Reading Vietnamese texts about dân vận work — news articles, units' reports, decisions —
//! into proposed danvan records, every value with the words that say it.
//!
//! The rule that makes it trustworthy: nothing is proposed that the text does not say, and
//! every proposed value points at its evidence ([`Evidence::Stated`], a character span and
//! the quoted words) or is marked as worked out from something else ([`Evidence::Inferred`]:
//! the year of "Chiều 14/3" from the publication date, the province from the site). What the
//! text does not say stays empty; a sentence nothing was taken from is listed as unread.
//!
//! Reading is rules, grammars and gazetteers over a folded copy of the text
//! ([`danvan_core::text::fold_char`]) on the core's own parsers — dates, numbers, periods,
//! document numbers, citations, provinces — pure Rust, offline, with no IO: files are read
//! into [`Document`]s by [`read`], whose callers own the bytes.
//!
//! ```
//! use chrono::NaiveDate;
//! use danvan_ingest::{Document, Meta, ingest};
//! let meta = Meta { published: NaiveDate::from_ymd_opt(2025, 3, 15), ..Meta::default() };
//! let doc = Document::new(
//!     "Chiều 14/3, Ban Dân vận Tỉnh ủy Lào Cai tổ chức Hội nghị tổng kết công tác dân vận năm 2024.",
//!     meta,
//! );
//! let found = ingest(&doc);
//! let conference = &found.proposals[0];
//! assert_eq!(conference.get("date").unwrap(), "2025-03-14");
//! assert_eq!(conference.get("reviewed_period").unwrap(), "2024");
//! // The year was not written: the proposal says where it came from.
//! let date = conference.values.iter().find(|v| v.field == "date").unwrap();
//! assert!(date.evidence.is_inferred());
//! assert!(conference.check(&doc).is_empty());
//! ```

mod document;
pub mod eval;
mod extract;
pub mod labels;
mod proposal;
pub mod read;
pub mod store;

pub use document::{Document, Meta, Span};
pub use proposal::{Evidence, Extraction, Link, Proposal, Reading, Unread, Value, field_name};

/// Reads `doc`: the records it states, and the sentences nothing was taken from.
pub fn ingest(doc: &Document) -> Extraction {
    extract::run(doc)
}
