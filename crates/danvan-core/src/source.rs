//! Where a fact was published: an article, a document, a site — with as much as the source
//! gives, and no address required.
//!
//! Provincial news is often known by the paper and the headline alone, and printed documents
//! have no address at all; a source therefore needs only one of its title, publisher, site or
//! address.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text::Text;
use crate::validate::Checker;

/// Where a fact was published.
///
/// ```
/// use danvan_core::source::Source;
/// let s: Source = serde_json::from_str(r#"{
///     "title": "Sơ kết 6 tháng công tác dân vận Cụm thi đua số 3",
///     "publisher": "Báo Thái Nguyên", "published_at": "2024-07-02"
/// }"#).unwrap();
/// assert!(s.url.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "Where a fact was published. At least one of title, publisher, site or url is needed; none of them alone is required."
)]
#[non_exhaustive]
pub struct Source {
    /// The address (http or https), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The article or document title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// Who published it: "Báo Thái Nguyên", "Ban Tuyên giáo và Dân vận Tỉnh ủy".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Text>,
    /// The site or publication it appeared in, when it differs from the publisher:
    /// "baothainguyen.vn", "Tạp chí Dân vận".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Text>,
    /// The author, as credited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<Text>,
    /// When it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<NaiveDate>,
}

impl Source {
    /// A source known by its address alone.
    pub fn url(url: impl Into<String>) -> Source {
        Source {
            url: Some(url.into()),
            ..Source::default()
        }
    }

    /// A source known by its title and publisher (a printed article, a document).
    pub fn article(title: &str, publisher: &str) -> Source {
        Source {
            title: Some(Text::new(title)),
            publisher: Some(Text::new(publisher)),
            ..Source::default()
        }
    }

    /// Checks the source under `field` (e.g. `sources[0]`).
    pub(crate) fn check(&self, c: &mut Checker<'_>, field: &str) {
        if self.url.is_none()
            && self.title.is_none()
            && self.publisher.is_none()
            && self.site.is_none()
        {
            c.error(
                "incomplete",
                field,
                "a source needs at least one of title, publisher, site or url",
            );
        }
        if let Some(url) = &self.url {
            let u = url.trim();
            let ok = (u.starts_with("https://") || u.starts_with("http://"))
                && u.len() > "https://".len()
                && !u.chars().any(|ch| ch.is_whitespace() || ch.is_control());
            if !ok {
                c.error(
                    "not-a-url",
                    format!("{field}.url"),
                    format!("{url:?} is not an http(s) address (leave url out when there is none)"),
                );
            }
        }
        for (name, text) in [
            ("title", &self.title),
            ("publisher", &self.publisher),
            ("site", &self.site),
            ("author", &self.author),
        ] {
            if let Some(t) = text {
                c.not_blank(&format!("{field}.{name}"), t);
            }
        }
    }
}
