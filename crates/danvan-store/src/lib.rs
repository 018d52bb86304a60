//! Storage for danvan records: the [`Store`] trait, and [`JsonStore`], the embedded default.
//!
//! A `JsonStore` is a directory of plain, pretty-printed JSON that a person can read, edit and
//! diff, with a journal that makes every acknowledged write survive a crash or power loss,
//! OS file locks so several processes can share it, per-record revisions against lost updates,
//! and in-memory indexes for province, period, date and text queries.
//!
//! ```
//! use danvan_core::dataset::AnyRecord;
//! use danvan_store::{Expected, JsonStore, Query, Store};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let store = JsonStore::init(dir.path()).unwrap();
//! let model: AnyRecord = serde_json::from_value(serde_json::json!({"kind": "model", "record": {
//!     "id": "tn-2019-nong-thon-moi", "name": "Dân vận khéo trong xây dựng nông thôn mới",
//!     "province": "thai-nguyen", "owning_unit": "Hội Nông dân xã Phúc Xuân",
//!     "field": "economy", "start_year": 2019}})).unwrap();
//! let receipt = store.put(model, Expected::Absent).unwrap();
//! assert_eq!(receipt.revision, 1);
//!
//! let found = store.query(&Query { text: Some("dan van kheo".into()), ..Query::default() }).unwrap();
//! assert_eq!(found.items[0].matched.as_ref().unwrap().field, "name");
//! ```
//!
//! The crate also reads and writes *dataset directories* ([`dataset_dir`]), the layout of
//! `fixtures/demo/`.

mod api;
pub mod cycle;
pub mod dataset_dir;
mod engine;
mod error;
pub mod files;
pub mod json;
pub mod memory;
#[cfg(feature = "postgres")]
pub mod pg;
mod place;
mod secret;
pub mod users;

pub use api::{
    Access, Action, Author, Change, EXPORT_FORMAT, EXPORT_VERSION, Expected, Export, ExportLine,
    FeedEntry, FeedPage, FieldChange, HistoryEntry, Hit, HitRef, ImportOptions, ImportReport,
    MAX_LIMIT, Op, Page, PageRef, PeriodFilter, PeriodMatch, Planned, ProvinceFilter, ProvinceMap,
    Query, Receipt, SharedRecord, SortKey, Store, Stored, TextMatch, made_id, put_citing,
};
pub use error::{Location, StoreError, UserProblem, json_message};
pub use json::{JsonStore, Options, Repair, RepairOptions, RepairReport};
pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
pub use pg::{PgOptions, PgStore};
pub use place::Place;
