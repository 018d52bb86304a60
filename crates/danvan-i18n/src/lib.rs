//! The one message catalogue of danvan: everything a person reads — the CLI's messages, the web
//! app's words — in Vietnamese and English, from `locales/vi.ftl` and `locales/en.ftl`
//! ([Project Fluent](https://projectfluent.org)).
//!
//! A message is named by an ID (`store-not-found`) and may take arguments (`$path`); English
//! plurals come from Fluent's plural rules, numbers are written as each language writes them
//! (`1.272` in Vietnamese, `1,272` in English). Vietnamese is the default for people:
//! [`Lang::from_env`] reads `DANVAN_LANG`, then the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
//!
//! ```
//! use danvan_i18n::{Lang, tr};
//! assert_eq!(tr!(Lang::Vi, "late-by-days", count = 3), "quá hạn 3 ngày");
//! assert_eq!(tr!(Lang::En, "late-by-days", count = 1), "1 day late");
//! ```
//!
//! The catalogue is checked by this crate's tests: both files parse, they hold the same messages
//! with the same arguments, and every ID the workspace's code and templates use is in them.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

pub mod names;
mod phrases;
pub mod store;
pub use phrases::phrases;

/// The catalogue's Vietnamese source.
pub const VI_FTL: &str = include_str!("../locales/vi.ftl");
/// The catalogue's English source.
pub const EN_FTL: &str = include_str!("../locales/en.ftl");

/// A language a person reads danvan in: the CLI's messages, the web app's pages, a report.
/// Its JSON name is its tag (`"vi"`, `"en"`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Vietnamese, the default.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Both languages, Vietnamese first.
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The BCP 47 tag: `vi` or `en`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The language a tag or a locale names: `vi`, `vi-VN`, `vi_VN.UTF-8`, `en`, `en_GB`, …
    /// (its primary subtag, case ignored); `None` for any other language and for `C`/`POSIX`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "vi" | "vie" => Some(Lang::Vi),
            "en" | "eng" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language the environment asks for, `var` reading a variable: `DANVAN_LANG`, then
    /// `LC_ALL`, `LC_MESSAGES` and `LANG` (the first that is set and not empty decides, as for
    /// any program; a locale in neither language, `C` included, means Vietnamese).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(lang) = var("DANVAN_LANG").as_deref().and_then(Lang::parse) {
            return lang;
        }
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| var(name).filter(|v| !v.trim().is_empty()))
            .and_then(|locale| Lang::parse(&locale))
            .unwrap_or_default()
    }

    /// `vi` or `en`, whichever is this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A tag that names neither Vietnamese nor English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLang(pub String);

impl fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is neither vi (Vietnamese) nor en (English)",
            self.0
        )
    }
}

impl std::error::Error for UnknownLang {}

/// Its names are its tags, as a query parameter (`lang=en`) or a flag takes them.
impl danvan_core::vocabulary::Vocabulary for Lang {
    const WHAT: &'static str = "language";
    const ALL: &'static [Self] = &Lang::ALL;
}

impl std::str::FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::parse(s).ok_or_else(|| UnknownLang(s.to_string()))
    }
}

/// An argument of a message: text, or a count (which chooses English plurals and is written as
/// the language writes numbers).
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Text, shown as it is.
    Text(Cow<'a, str>),
    /// A whole number.
    Count(i64),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Text(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a String> for Value<'a> {
    fn from(s: &'a String) -> Self {
        Value::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::Text(Cow::Owned(s))
    }
}

macro_rules! count_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Value<'_> {
            fn from(n: $t) -> Self {
                Value::Count(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
count_from!(i32, i64, u32, u64, usize);

/// The message `id` in `lang`, with `args`; see [`tr!`] for the short form.
///
/// An ID the catalogue lacks, or an argument a message needs and was not given, is a bug the
/// tests catch: a debug build panics; a release build shows the ID (never an empty line).
pub fn text_with(lang: Lang, id: &str, args: &[(&str, Value<'_>)]) -> String {
    let bundle = &bundles()[index(lang)];
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        debug_assert!(false, "no message `{id}` in the catalogue");
        return id.to_string();
    };
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        match value {
            Value::Text(s) => fluent_args.set(*name, FluentValue::from(s.as_ref())),
            Value::Count(n) => fluent_args.set(*name, FluentValue::from(*n)),
        }
    }
    let mut errors = Vec::new();
    let out = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    debug_assert!(errors.is_empty(), "message `{id}` ({lang}): {errors:?}");
    out.into_owned()
}

/// The message `id` in `lang`, which takes no arguments.
pub fn text(lang: Lang, id: &str) -> String {
    text_with(lang, id, &[])
}

/// Whether the catalogue has a message `id`.
pub fn has(id: &str) -> bool {
    bundles()[0].has_message(id)
}

/// A message of the catalogue: `tr!(lang, "id")` or `tr!(lang, "id", name = value, …)`.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $id:expr $(,)?) => {
        $crate::text($lang, $id)
    };
    ($lang:expr, $id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::text_with($lang, $id, &[$((stringify!($name), $crate::Value::from($value))),+])
    };
}

fn index(lang: Lang) -> usize {
    match lang {
        Lang::Vi => 0,
        Lang::En => 1,
    }
}

fn bundles() -> &'static [FluentBundle<FluentResource>; 2] {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        [
            bundle(Lang::Vi, VI_FTL, format_vi),
            bundle(Lang::En, EN_FTL, format_en),
        ]
    })
}

/// What a bundle that several threads share caches its formatters in.
type Memoizer = intl_memoizer::concurrent::IntlLangMemoizer;

type Formatter = fn(&FluentValue<'_>, &Memoizer) -> Option<String>;

fn bundle(lang: Lang, source: &'static str, formatter: Formatter) -> FluentBundle<FluentResource> {
    let tag: unic_langid::LanguageIdentifier = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // No Unicode isolation marks around arguments: they show as boxes in terminals and in
    // the DOCX and CSV a message ends up in.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(formatter));
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, errors)| {
        debug_assert!(false, "{lang}.ftl: {errors:?}");
        r
    });
    if let Err(errors) = bundle.add_resource(resource) {
        debug_assert!(false, "{lang}.ftl: {errors:?}");
    }
    bundle
}

fn format_vi(value: &FluentValue<'_>, _: &Memoizer) -> Option<String> {
    grouped(value, '.')
}

fn format_en(value: &FluentValue<'_>, _: &Memoizer) -> Option<String> {
    grouped(value, ',')
}

/// A whole number with its thousands grouped (`1.272`, `1,272`); other values as Fluent writes
/// them.
fn grouped(value: &FluentValue<'_>, separator: char) -> Option<String> {
    let FluentValue::Number(n) = value else {
        return None;
    };
    if n.value.fract() != 0.0 || n.value.abs() >= 1e15 {
        return None;
    }
    // A whole number below 10^15, which an i64 holds exactly.
    #[allow(clippy::cast_possible_truncation)]
    let whole = n.value as i64;
    let digits = whole.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if whole < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests;
