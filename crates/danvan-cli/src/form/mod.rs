//! Typed flags: what `danvan <kind> add` and `update` read from flags and `--set`. The
//! fields of each kind and the readers of their values are `danvan_entry`'s, shared with the
//! web app's forms; this module holds the clap side (`args`) and applies what was given.

use danvan_core::record_kind::RecordKind;
use serde_json::Value;

mod args;

pub(crate) use args::Changes;
pub(crate) use danvan_entry::{
    Choice, Field, Problem, Shape, assign, citation_into, conference_kind_arg, date_arg, field,
    fields, figure_into, missing_required, model_field_arg, parse, plain_error, put, special,
};

/// A record kind whose typed flags `Form` offers.
pub(crate) trait KindForm: std::fmt::Debug + Clone + Send + Sync + 'static {
    /// The kind.
    const KIND: RecordKind;
}

macro_rules! kinds {
    ($($name:ident => $kind:ident),*) => {$(
        /// Marker for the typed flags of one kind.
        #[derive(Debug, Clone)]
        pub(crate) struct $name;
        impl KindForm for $name {
            const KIND: RecordKind = RecordKind::$kind;
        }
    )*};
}
kinds!(ConferenceForm => Conference, DirectiveForm => Directive, ModelForm => Model,
    IndicatorForm => Indicator, ObservationForm => Observation, UnitForm => Unit,
    AwardForm => Award, ReportFormForm => Form, SubmissionForm => Submission,
    TargetForm => Target);

/// What `add` and `update` were given: typed flags, `--from`, `--set`, `--add`, `--remove`.
#[derive(Debug, Clone)]
pub(crate) struct Form<K> {
    /// Each typed flag given, with its values in order.
    pub(crate) values: Vec<(&'static Field, Vec<String>)>,
    /// Flags that fill several fields: (flag, value).
    pub(crate) special: Vec<(&'static str, String)>,
    pub(crate) from: Option<std::path::PathBuf>,
    pub(crate) sets: Vec<String>,
    pub(crate) adds: Vec<String>,
    pub(crate) removes: Vec<String>,
    pub(crate) clears: Vec<String>,
    kind: std::marker::PhantomData<K>,
}

impl<K: KindForm> Form<K> {
    /// Whether anything at all was given.
    pub(crate) fn is_empty(&self) -> bool {
        self.values.is_empty()
            && self.special.is_empty()
            && self.from.is_none()
            && self.sets.is_empty()
            && self.adds.is_empty()
            && self.removes.is_empty()
            && self.clears.is_empty()
    }
}

impl<K: KindForm> Form<K> {
    /// Writes what was given into `record` (a record's JSON), in order: typed flags (a list
    /// flag replaces the list), the flags that fill several fields, `--set`, `--add`,
    /// `--remove`. Every problem is returned; `record` is then not to be used.
    pub(crate) fn apply(&self, record: &mut Value) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (field, given) in &self.values {
            let flag = format!("--{}", field.flag);
            let mut items = Vec::new();
            for text in given {
                match parse(field.shape, text) {
                    Ok(v) => {
                        danvan_entry::imply(K::KIND, field.json, text, record);
                        items.push(v);
                    }
                    Err(message) => problems.push(Problem {
                        flag: flag.clone(),
                        given: text.clone(),
                        message: format!("{message} (e.g. --{} {:?})", field.flag, field.example),
                    }),
                }
            }
            if field.list {
                put(record, field.json, Value::Array(items), false);
            } else if let Some(v) = items.pop() {
                put(record, field.json, v, false);
            }
        }
        for (flag, text) in &self.special {
            if let Err(message) = special(K::KIND, flag, text, record) {
                problems.push(Problem {
                    flag: format!("--{flag}"),
                    given: text.clone(),
                    message,
                });
            }
        }
        for (option, assignments) in [
            ("--set", &self.sets),
            ("--add", &self.adds),
            ("--remove", &self.removes),
        ] {
            for assignment in assignments {
                if let Err(p) = assign(K::KIND, option, assignment, record) {
                    problems.push(p);
                }
            }
        }
        for name in &self.clears {
            if let Err(p) = danvan_entry::clear(K::KIND, name, record) {
                problems.push(p);
            }
        }
        problems
    }
}
