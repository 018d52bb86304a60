//! The domain of Vietnamese *dân vận* (mass-mobilisation) work, as structured, checkable data.
//!
//! `danvan-core` holds the types every other part of danvan stands on: the provinces before and
//! after the 2025 reorganisation, document numbers, periods, directives with their review
//! milestones, conferences, "Dân vận khéo" models, indicators and their observations — with
//! validation that reports every problem at once, and a stable JSON form.
//!
//! It does no IO: no files, no network, no clock. Functions that depend on the date take it
//! as a parameter (`as_of`, `today`), so results are reproducible.
//!
//! # A tour
//!
//! ```
//! use chrono::NaiveDate;
//! use danvan_core::prelude::*;
//!
//! // Document numbers as people type them, printed canonically.
//! let n: DocumentNumber = "Số: 05 - DA/TU".parse().unwrap();
//! assert_eq!(n.to_string(), "05-ĐA/TU");
//!
//! // Periods as IDs or Vietnamese phrases.
//! let p = Period::parse("6 tháng đầu năm 2024", None).unwrap();
//! assert_eq!(p.to_string(), "2024S1");
//!
//! // Provinces on either side of 1 July 2025.
//! let day = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
//! let bac_kan = registry().find("Bắc Kạn", day).unwrap();
//! let later = NaiveDate::from_ymd_opt(2025, 8, 1).unwrap();
//! assert_eq!(registry().successor_at(bac_kan, later).name, "Thái Nguyên");
//!
//! // Vietnamese numbers, search keys and sorting.
//! assert_eq!(Decimal::percentage(1272, 1337, 2).unwrap().to_vietnamese(2), "95,14");
//! assert_eq!(text::search_key("Dân vận khéo"), "dan van kheo");
//! assert!(text::compare("Cao Bằng", "Cần Thơ").is_lt());
//! ```
//!
//! # Names
//!
//! The same kind of method has the same name on every type:
//!
//! - **Parsing** what people write: `T::parse(text)` (tolerant: diacritics, spacing, the
//!   variants offices use), returning `Result<T, TError>` where `TError` is named after `T`
//!   and exported beside it ([`docnum::DocumentNumberError`], [`period::PeriodError`],
//!   [`indicator::StatedPercentageError`]). A parser that needs context takes it as a second
//!   argument ([`period::Period::parse`] the year of "6 tháng cuối năm", [`number::Decimal::parse`]
//!   the convention). The canonical machine form is read by [`std::str::FromStr`] and serde.
//! - **Rendering** a value as text: `to_vietnamese()` and `to_english()` ([`number::Decimal`],
//!   [`period::Period`], [`citation::Citation`], [`directive::HeldOn`]; for dates the functions
//!   [`date::to_vietnamese`], [`date::to_english`] and [`date::to_vietnamese_short`]).
//! - **Naming** a term of a vocabulary: `name_vi()` and `name_en()` ([`conference::ConferenceKind`],
//!   [`model::ModelField`], [`docnum::DocumentType`], [`province::Province`]). Its machine name
//!   is its serde name, which [`vocabulary::Vocabulary`] gives every front end.
//!
//! # JSON form
//!
//! Records serialise with snake_case field names, ISO dates (`2024-06-12`), periods as IDs
//! (`2024S1`), document numbers in canonical form, provinces as slugs, and optional fields
//! left out when empty. The JSON Schemas under `docs/schema/` are generated from these types
//! (`cargo xtask schema`). Unknown fields are rejected so that a typo is not silently dropped.

pub mod access;
pub mod award;
pub mod board;
pub mod citation;
pub mod conference;
pub mod cycle;
pub mod dataset;
pub mod date;
pub mod directive;
pub mod docnum;
#[cfg(feature = "generate")]
pub mod generate;
pub mod id;
pub mod indicator;
pub mod inferred;
pub mod model;
pub mod number;
pub mod period;
pub mod person;
pub mod province;
pub mod record_kind;
pub mod schema;
pub mod source;
pub mod target;
pub mod text;
pub mod unit;
pub mod user;
pub mod validate;
pub mod vocabulary;

/// The names most code needs, in one import.
pub mod prelude {
    pub use crate::award::{Award, AwardForm, Recipients};
    pub use crate::conference::{
        Attendee, AttendeeRole, Commendation, Conference, ConferenceKind, DatePrecision, Format,
    };
    pub use crate::dataset::{AnyRecord, Dataset};
    pub use crate::directive::{
        Directive, DirectiveStatus, Due, Milestone, MilestoneKind, Phase, due_reviews,
    };
    pub use crate::docnum::{DocumentForm, DocumentNumber, DocumentType};
    pub use crate::id::RecordId;
    pub use crate::indicator::{
        Direction, IndicatorDefinition, Measure, Observation, StatedPercentage,
    };
    pub use crate::model::{Model, ModelField, ModelKind, ModelStatus, Recognition};
    pub use crate::number::Decimal;
    pub use crate::period::{Period, PeriodKind, Window};
    pub use crate::person::Person;
    pub use crate::province::{Province, ProvinceRef, registry};
    pub use crate::record_kind::RecordKind;
    pub use crate::source::Source;
    pub use crate::text::{self, Text};
    pub use crate::unit::Unit;
    pub use crate::validate::{Problem, Severity};
}
