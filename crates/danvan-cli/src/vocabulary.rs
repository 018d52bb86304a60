//! Command-line values of the domain's vocabularies: the names come from the enums (their serde
//! names), so `--help`, shell completions and error messages list exactly what the API takes.

use std::marker::PhantomData;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use danvan_core::vocabulary::Vocabulary;

/// A value parser for `T`: its names as the possible values, read as serde reads them (so an
/// alias such as `md` for `markdown` is accepted too).
pub(crate) fn parser<T: Vocabulary + Send + Sync>() -> Parser<T> {
    Parser(PhantomData)
}

/// See [`parser`].
#[derive(Clone)]
pub(crate) struct Parser<T>(PhantomData<fn() -> T>);

impl<T: Vocabulary + Send + Sync> TypedValueParser for Parser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        T::from_name(&text).map_err(|e| {
            let mut err = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
            if let Some(arg) = arg {
                err.insert(
                    ContextKind::InvalidArg,
                    ContextValue::String(arg.to_string()),
                );
            }
            err.insert(ContextKind::InvalidValue, ContextValue::String(e.name));
            err.insert(ContextKind::ValidValue, ContextValue::Strings(e.expected));
            err
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::names().into_iter().map(PossibleValue::new)))
    }
}
