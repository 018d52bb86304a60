//! Record identifiers that are safe as a file name and a URL path segment.
//!
//! # How IDs are formed
//!
//! An ID is 1 to 120 characters of lowercase ASCII letters, digits, `-`, `_` and `.`, starting
//! and ending with a letter or digit, with no `..`. Lowercase only, because Windows and macOS
//! file systems do not tell `A` from `a`, and the store names files after IDs.
//!
//! IDs are chosen once and never change: they are how conferences cite directives and how
//! integrators link to records. [`RecordId::derive`] makes a readable one from the parts that
//! identify a record (province, date, title), e.g. `thai-nguyen-2024-06-12-hoi-nghi-so-ket`;
//! a caller that needs uniqueness against existing records appends `-2`, `-3`, … .

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use crate::text::slugify;

/// The longest ID accepted.
pub const MAX_ID_LEN: usize = 120;

/// A validated record identifier. See the [module docs](self) for the rules.
///
/// ```
/// use danvan_core::id::RecordId;
/// assert!(RecordId::new("tn-2024-so-ket-6-thang").is_ok());
/// assert!(RecordId::new("../etc/passwd").is_err());
/// assert_eq!(
///     RecordId::derive(["Thái Nguyên", "2024-06-12", "Hội nghị sơ kết"]).as_str(),
///     "thai-nguyen-2024-06-12-hoi-nghi-so-ket"
/// );
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct RecordId(String);

/// Why a string is not a valid [`RecordId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// The string is empty.
    #[error("an ID must not be empty")]
    Empty,
    /// Longer than [`MAX_ID_LEN`].
    #[error("ID {id:?} is {len} characters long; the limit is {MAX_ID_LEN}")]
    TooLong {
        /// The offending ID (cut short).
        id: String,
        /// Its length.
        len: usize,
    },
    /// A character outside `a-z 0-9 - _ .`.
    #[error(
        "ID {id:?} has {found:?} at position {position}: only a-z, 0-9, '-', '_' and '.' are allowed"
    )]
    BadChar {
        /// The offending ID.
        id: String,
        /// The character.
        found: char,
        /// 1-based character position.
        position: usize,
    },
    /// Starts or ends with punctuation, or contains `..`.
    #[error("ID {id:?} must start and end with a letter or digit and must not contain \"..\"")]
    BadShape {
        /// The offending ID.
        id: String,
    },
}

impl RecordId {
    /// Checks `s` against the rules in the [module docs](self).
    pub fn new(s: impl Into<String>) -> Result<RecordId, IdError> {
        let s = s.into();
        if s.is_empty() {
            return Err(IdError::Empty);
        }
        let len = s.chars().count();
        if len > MAX_ID_LEN {
            let id: String = s.chars().take(40).collect();
            return Err(IdError::TooLong {
                id: id + "…", len
            });
        }
        if let Some((i, ch)) = s
            .chars()
            .enumerate()
            .find(|(_, c)| !matches!(c, 'a'..='z' | '0'..='9' | '-' | '_' | '.'))
        {
            return Err(IdError::BadChar {
                id: s,
                found: ch,
                position: i + 1,
            });
        }
        let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if !edge_ok(s.chars().next()) || !edge_ok(s.chars().last()) || s.contains("..") {
            return Err(IdError::BadShape { id: s });
        }
        Ok(RecordId(s))
    }

    /// Builds a readable ID from parts (slugified and joined with `-`), cut to fit the limit.
    /// Falls back to `"record"` when the parts slugify to nothing.
    pub fn derive<I, S>(parts: I) -> RecordId
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let joined = parts
            .into_iter()
            .map(|p| slugify(p.as_ref()))
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let mut id: String = joined.chars().take(MAX_ID_LEN).collect();
        while id.ends_with(['-', '_', '.']) {
            id.pop();
        }
        if id.is_empty() {
            id = "record".to_string();
        }
        RecordId(id)
    }

    /// The ID as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordId({})", self.0)
    }
}

impl FromStr for RecordId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RecordId::new(s)
    }
}

/// Lets maps keyed by `RecordId` be searched with a `&str`; hashing and equality agree because
/// both are the string's.
impl std::borrow::Borrow<str> for RecordId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for RecordId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for RecordId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        RecordId::new(s).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for RecordId {
    fn schema_name() -> Cow<'static, str> {
        "RecordId".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A record ID: lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit, no \"..\".",
            "pattern": "^[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?$",
            "maxLength": MAX_ID_LEN
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_unsafe_ids() {
        for bad in [
            "", "..", ".", "a/b", "a\\b", "A", "ab-", "-ab", "a..b", "a b", "a\u{0}b", "đ", "a%2f",
        ] {
            assert!(RecordId::new(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(RecordId::new("x".repeat(MAX_ID_LEN + 1)).is_err());
        for good in [
            "a",
            "0",
            "a.b",
            "tn_2024-s1",
            "x".repeat(MAX_ID_LEN).as_str(),
        ] {
            assert!(RecordId::new(good).is_ok(), "{good:?} should be accepted");
        }
    }

    #[test]
    fn derive_always_gives_a_valid_id() {
        for parts in [
            vec!["Đà Nẵng", "--", "Hội nghị"],
            vec!["", "!!!"],
            vec!["x"; 200],
        ] {
            let id = RecordId::derive(&parts);
            assert!(RecordId::new(id.as_str()).is_ok(), "{id}");
        }
    }
}
