//! Who may change — and, where a server binds reads, see — which records: the one rule every
//! store and every front end applies.
//!
//! A record belongs to its province on today's map (a Bắc Kạn record of 2024 is Thái
//! Nguyên's), or to no province (a central record: a Politburo resolution, a national
//! indicator). A writer bound to provinces may change a record only when both the record as it
//! is stored and the record as it will be written belong to one of them; it may read the
//! records of its provinces and the central ones; and it may make one of its records refer
//! to another only when it may read that other record (so a clerk cannot tie another
//! province's record to one of theirs and so block its deletion).
//!
//! ```
//! use danvan_core::access::Access;
//! use danvan_core::prelude::*;
//!
//! let access = Access::provinces(["thai-nguyen"]).unwrap();
//! let mut model = Model::new(
//!     RecordId::new("bk-2024-so-hoa").unwrap(),
//!     "Số hóa sổ hộ nghèo",
//!     ProvinceRef::new("bac-kan"),
//! );
//! model.start_year = Some(2024);
//! // Bắc Kạn is part of Thái Nguyên today: its records are Thái Nguyên's.
//! assert!(access.may_write(AnyRecord::Model(model.clone()).as_ref()).is_ok());
//! model.province = ProvinceRef::new("lang-son");
//! let refusal = access.may_write(AnyRecord::Model(model).as_ref()).unwrap_err();
//! assert_eq!(refusal.belongs_to(), Some("lang-son"));
//! assert_eq!(refusal.to_string(), "model bk-2024-so-hoa is of lang-son");
//! ```

use std::fmt;
use std::sync::Arc;

use crate::dataset::RecordRef;
use crate::id::RecordId;
use crate::record_kind::RecordKind;

/// The records a writer (or a reader, where reads are bound) may reach.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Access {
    /// Every record: a national board, an administrator, the store's own tools.
    #[default]
    National,
    /// The records of these provinces (slugs on today's map, sorted, each once) and, for
    /// reading and referring, the central records.
    Provinces(Arc<[String]>),
}

/// A province slug that is not a province of today's map.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a province or city of today's map")]
pub struct NotCurrentProvince(pub String);

/// Why a write was refused: which record, whose it is, and whose records the writer may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The record refused.
    pub kind: RecordKind,
    /// Its ID.
    pub id: RecordId,
    /// What about it is out of reach.
    pub reason: RefusalReason,
    /// The provinces (today's slugs) the writer may change.
    pub allowed: Arc<[String]>,
}

/// What a [`Refusal`] refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefusalReason {
    /// The record — as written, or as stored — belongs elsewhere.
    Record(Whose),
    /// The record would newly refer to a record the writer may not read.
    Reference(Box<Referred>),
    /// The writer is a unit's user and the record is not that unit's own report or figure
    /// (a unit's user writes only those).
    Unit(RecordId),
    /// The writer is a unit's user taking a step only the board takes (return, approve,
    /// unlock) on the unit's own report.
    OwnReport(RecordId),
}

/// The record a refused reference points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referred {
    /// The field holding the reference.
    pub field: String,
    /// The kind of record referred to.
    pub kind: RecordKind,
    /// Its ID.
    pub id: RecordId,
    /// Whose that record is.
    pub whose: Whose,
}

/// Whose a record is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    /// No province: a central record.
    Central,
    /// A province: its slug as recorded and the province it is part of today (the same slug
    /// when it was not merged; `None` when the slug is not in the registry).
    Province {
        /// The slug the record names.
        recorded: String,
        /// Today's province it belongs to.
        current: Option<&'static str>,
    },
}

impl Whose {
    /// Whose `record` is.
    pub fn of(record: RecordRef<'_>) -> Whose {
        match record.province() {
            None => Whose::Central,
            Some(p) => Whose::Province {
                recorded: p.as_str().to_string(),
                current: crate::province::registry()
                    .current(p.as_str())
                    .map(|c| c.slug),
            },
        }
    }

    /// Today's province, for a province's record.
    pub fn current(&self) -> Option<&'static str> {
        match self {
            Whose::Central => None,
            Whose::Province { current, .. } => *current,
        }
    }
}

impl fmt::Display for Whose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Whose::Central => f.write_str("no province (a central record)"),
            Whose::Province {
                recorded,
                current: Some(c),
            } if recorded != c => write!(f, "{recorded} (now part of {c})"),
            Whose::Province { recorded, .. } => f.write_str(recorded),
        }
    }
}

impl Refusal {
    /// The province (today's slug) of the record out of reach, when it has one: the refused
    /// record's own, or the one it would refer to.
    pub fn belongs_to(&self) -> Option<&'static str> {
        match &self.reason {
            RefusalReason::Record(w) => w.current(),
            RefusalReason::Reference(r) => r.whose.current(),
            RefusalReason::Unit(_) | RefusalReason::OwnReport(_) => None,
        }
    }
}

/// What is out of reach, without who was refused (the caller says who: "token `portal` writes
/// the records of thai-nguyen; model hn-1 is of ha-noi").
impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            RefusalReason::Record(whose) => write!(f, "{} {} is of {whose}", self.kind, self.id),
            RefusalReason::Reference(r) => write!(
                f,
                "{} {} would refer in {} to {} {}, which is of {}",
                self.kind, self.id, r.field, r.kind, r.id, r.whose
            ),
            RefusalReason::Unit(unit) => write!(
                f,
                "{} {} is not a report or figure of unit {unit}, the only records its user writes",
                self.kind, self.id
            ),
            RefusalReason::OwnReport(unit) => write!(
                f,
                "{} {} is unit {unit}'s own report: its user sends it; the board returns, approves and unlocks it",
                self.kind, self.id
            ),
        }
    }
}

impl std::error::Error for Refusal {}

impl Access {
    /// Bound to `slugs`, each a province of today's map (`thai-nguyen`, not `bac-kan`). An
    /// empty list is refused too: a writer bound to nothing is a mistake, not a national one.
    pub fn provinces<S: AsRef<str>>(
        slugs: impl IntoIterator<Item = S>,
    ) -> Result<Access, NotCurrentProvince> {
        let today = crate::province::MERGER_DATE;
        let mut out: Vec<String> = Vec::new();
        for s in slugs {
            let s = s.as_ref();
            let current = crate::province::registry()
                .by_slug(s, today)
                .ok_or_else(|| NotCurrentProvince(s.to_string()))?;
            out.push(current.slug.to_string());
        }
        if out.is_empty() {
            return Err(NotCurrentProvince(String::new()));
        }
        out.sort();
        out.dedup();
        Ok(Access::Provinces(out.into()))
    }

    /// Whether every record is within reach.
    pub fn is_national(&self) -> bool {
        matches!(self, Access::National)
    }

    /// The provinces (today's slugs) of a bound access; `None` for national access.
    pub fn bound_to(&self) -> Option<&[String]> {
        match self {
            Access::National => None,
            Access::Provinces(p) => Some(p),
        }
    }

    /// Whether `record` belongs to one of the provinces (always, for national access). A
    /// central record belongs to none.
    pub fn owns(&self, record: RecordRef<'_>) -> bool {
        match self {
            Access::National => true,
            Access::Provinces(allowed) => record
                .province()
                .and_then(|p| crate::province::registry().current(p.as_str()))
                .is_some_and(|c| allowed.iter().any(|a| a == c.slug)),
        }
    }

    fn owns_whose(&self, whose: &Whose) -> bool {
        match self {
            Access::National => true,
            Access::Provinces(allowed) => whose
                .current()
                .is_some_and(|c| allowed.iter().any(|a| a == c)),
        }
    }

    /// Whether `record` may be read: its province's, or a central record.
    pub fn may_read(&self, record: RecordRef<'_>) -> bool {
        self.is_national() || record.province().is_none() || self.owns(record)
    }

    /// Whether a record of today's province `current` (`None`: a central record) may be read —
    /// for what names its province but is not a record at hand (a change feed's tombstone).
    pub fn may_read_province(&self, current: Option<&str>) -> bool {
        match (self, current) {
            (Access::National, _) | (_, None) => true,
            (Access::Provinces(allowed), Some(c)) => allowed.iter().any(|a| a == c),
        }
    }

    /// Whether `record` may be written (created, replaced or deleted) as it is. A write that
    /// replaces or deletes a stored record must pass for the stored record too.
    pub fn may_write(&self, record: RecordRef<'_>) -> Result<(), Refusal> {
        let Access::Provinces(allowed) = self else {
            return Ok(());
        };
        let whose = Whose::of(record);
        if self.owns_whose(&whose) {
            return Ok(());
        }
        Err(Refusal {
            kind: record.kind(),
            id: record.id().clone(),
            reason: RefusalReason::Record(whose),
            allowed: Arc::clone(allowed),
        })
    }

    /// Whether `record` may refer in `field` to `target`: only to a record this access may
    /// read. A reference that the stored record already holds is not asked about (an
    /// administrator may have made it).
    pub fn may_refer(
        &self,
        record: RecordRef<'_>,
        field: &str,
        target: RecordRef<'_>,
    ) -> Result<(), Refusal> {
        let Access::Provinces(allowed) = self else {
            return Ok(());
        };
        if self.may_read(target) {
            return Ok(());
        }
        Err(Refusal {
            kind: record.kind(),
            id: record.id().clone(),
            reason: RefusalReason::Reference(Box::new(Referred {
                field: field.to_string(),
                kind: target.kind(),
                id: target.id().clone(),
                whose: Whose::of(target),
            })),
            allowed: Arc::clone(allowed),
        })
    }
}
