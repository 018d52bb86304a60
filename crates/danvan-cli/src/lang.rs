//! The language the CLI speaks: `--lang`, then `DANVAN_LANG`, then the locale (`LC_ALL`,
//! `LC_MESSAGES`, `LANG`); Vietnamese when none names Vietnamese or English. Every message comes
//! from the one catalogue, `danvan_i18n`, through [`t!`].

use std::sync::OnceLock;

pub(crate) use danvan_i18n::Lang;

static LANG: OnceLock<Lang> = OnceLock::new();
static FLAG: OnceLock<Option<Lang>> = OnceLock::new();

/// Fixes the language for this run (the first call wins): `flag` when given, else the
/// environment's.
pub(crate) fn choose(flag: Option<Lang>) {
    let _ = FLAG.set(flag);
    let _ = LANG.set(flag.unwrap_or_else(from_env));
}

/// The language of a document the run writes (a report, a calendar): Vietnamese, as boards
/// issue them, unless `--lang en` asks for English — the locale chooses only the messages.
pub(crate) fn document() -> Lang {
    FLAG.get().copied().flatten().unwrap_or_default()
}

fn from_env() -> Lang {
    Lang::from_env(|name| std::env::var(name).ok())
}

/// The language of this run.
pub(crate) fn lang() -> Lang {
    *LANG.get_or_init(from_env)
}

/// The catalogue's message in the CLI's language: `t!("id")`, `t!("id", name = value, …)`.
macro_rules! t {
    ($id:expr $(,)?) => {
        danvan_i18n::text($crate::lang::lang(), $id)
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        danvan_i18n::tr!($crate::lang::lang(), $id, $($name = $value),+)
    };
}
pub(crate) use t;
