//! People named in records: a conference's chairs, a model's contact.

use serde::{Deserialize, Serialize};

use crate::text::Text;

/// A person with their position: a chair, a speaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Person {
    /// Full name: "Nguyễn Văn A".
    pub name: Text,
    /// Position: "Phó Bí thư Thường trực Tỉnh ủy".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Text>,
}

impl Person {
    /// A person by name, with their position when known.
    pub fn new(name: impl AsRef<str>, position: Option<&str>) -> Person {
        Person {
            name: Text::new(name),
            position: position.map(Text::new),
        }
    }
}
