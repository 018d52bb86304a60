//! Figures exchanged with national statistics systems, both ways: DHIS2 `dataValueSets` JSON
//! ([`dhis2`]) and IHE ADX XML ([`adx`]). IO-free: text in, text out.
//!
//! A [`Mapping`] (a TOML file an office writes) says which data element
//! each indicator is — a ratio is two, its numerator and its denominator — and which
//! organisation unit each province, unit or the country is. Observations become data values
//! ([`values::to_values`]); data values become observations ([`values::to_observations`]),
//! matched to the store's by indicator, place and period. Periods keep their form or are
//! refused by name ([`period`]). Every problem is reported with where it is; an import with
//! any is not applied.

pub mod adx;
pub mod dhis2;
pub mod mapping;
pub mod period;
pub mod store;
pub mod values;

pub use mapping::{Mapping, MappingError};
pub use values::{DataValue, Located, Planned, Problem};

/// The two formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// DHIS2 `dataValueSets` JSON.
    Dhis2,
    /// IHE ADX XML.
    Adx,
}

impl Format {
    /// Reads a payload in this format: the values that read, and every problem.
    pub fn read(self, text: &str) -> (Vec<Located>, Vec<Problem>) {
        match self {
            Format::Dhis2 => dhis2::read(text),
            Format::Adx => adx::read(text),
        }
    }

    /// Writes `values` in this format (`exported`: now, RFC 3339, for ADX).
    pub fn write(
        self,
        values: &[DataValue],
        mapping: &Mapping,
        exported: &str,
    ) -> Result<String, Problem> {
        match self {
            Format::Dhis2 => Ok(dhis2::write(values, mapping.data_set.as_deref())),
            Format::Adx => adx::write(
                values,
                mapping.data_set.as_deref().unwrap_or("danvan"),
                exported,
            ),
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Dhis2 => "application/json",
            Format::Adx => "application/adx+xml",
        }
    }
}
