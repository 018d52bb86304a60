//! The typed flags of a kind as clap arguments, built from the kind's field table.

use danvan_core::record_kind::RecordKind;

use super::{Form, KindForm, fields};

/// Flags beyond the field table: `(kind, flag, value name, help, takes a value)`.
const SPECIAL: &[(RecordKind, &str, &str, &str, bool)] = &[
    (
        RecordKind::Conference,
        "online",
        "POINTS",
        "Held online, with this many connection points (0 if not known)",
        true,
    ),
    (
        RecordKind::Conference,
        "hybrid",
        "POINTS",
        "Held in person and online, with this many connection points",
        true,
    ),
    (
        RecordKind::Conference,
        "in-person",
        "",
        "Held in person only",
        false,
    ),
    (
        RecordKind::Directive,
        "number",
        "CITATION",
        "The document as cited: \"Kế hoạch số 31-KH/BDVTU ngày 15/3/2023\" (fills number, type, date and issuer)",
        true,
    ),
    (
        RecordKind::Directive,
        "phase",
        "TEXT",
        "Its phase: \"giai đoạn 2021 - 2025, định hướng đến năm 2030\"",
        true,
    ),
    (
        RecordKind::Directive,
        "review",
        "TEXT",
        "A review milestone: \"sơ kết 3 năm: 2024\" (repeat)",
        true,
    ),
    (
        RecordKind::Observation,
        "figure",
        "FIGURE",
        "The figure: 1.272/1.337 (numerator/denominator), 98,66% or 2.481",
        true,
    ),
];

impl<K: KindForm> clap::FromArgMatches for Form<K> {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let strings = |id: &str| -> Vec<String> {
            m.try_get_many::<String>(id)
                .ok()
                .flatten()
                .map(|v| v.cloned().collect())
                .unwrap_or_default()
        };
        let mut values = Vec::new();
        for field in fields(K::KIND) {
            let given = strings(field.flag);
            if !given.is_empty() {
                values.push((field, given));
            }
        }
        let mut special = Vec::new();
        for (kind, flag, _, _, takes) in SPECIAL {
            if *kind != K::KIND {
                continue;
            }
            if *takes {
                special.extend(strings(flag).into_iter().map(|v| (*flag, v)));
            } else if m.try_get_one::<bool>(flag).ok().flatten() == Some(&true) {
                special.push((*flag, String::new()));
            }
        }
        Ok(Form {
            values,
            special,
            from: m
                .try_get_one::<std::path::PathBuf>("from")
                .ok()
                .flatten()
                .cloned(),
            sets: strings("set"),
            adds: strings("add"),
            removes: strings("remove"),
            clears: strings("clear"),
            kind: std::marker::PhantomData,
        })
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl<K: KindForm> clap::Args for Form<K> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        augment::<K>(cmd, true)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        augment::<K>(cmd, true)
    }
}

/// The flags of `update`: those of `add` but `--id` (the record is named by its positional
/// ID, which cannot change).
#[derive(Debug, Clone)]
pub(crate) struct Changes<K>(pub(crate) Form<K>);

impl<K: KindForm> clap::FromArgMatches for Changes<K> {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        Form::from_arg_matches(m).map(Changes)
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(m)
    }
}

impl<K: KindForm> clap::Args for Changes<K> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        augment::<K>(cmd, false)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        augment::<K>(cmd, false)
    }
}

/// The typed flags of `K`, with `--id` when `with_id`.
fn augment<K: KindForm>(cmd: clap::Command, with_id: bool) -> clap::Command {
    use clap::{Arg, ArgAction};
    let mut cmd = cmd
            .arg(
                Arg::new("from")
                    .long("from")
                    .value_name("FILE")
                    .value_parser(clap::value_parser!(std::path::PathBuf))
                    .help("A JSON file holding the record (- for standard input); flags apply after it"),
            )
            .next_help_heading("Fields (Vietnamese accepted: dates 22/6/2023, numbers 1.272, periods \"6 tháng đầu năm 2024\")");
    for field in fields(K::KIND).iter().filter(|f| with_id || f.json != "id") {
        let help = if field.example.is_empty() {
            field.help.to_string()
        } else {
            format!("{}, e.g. {:?}", field.help, field.example)
        };
        let mut arg = Arg::new(field.flag)
            .long(field.flag)
            .value_name(field.vi.to_uppercase().replace(' ', "_"))
            .help(help);
        arg = if field.list {
            arg.action(ArgAction::Append)
        } else {
            arg.action(ArgAction::Set)
        };
        // "--due-days-after-end -15": a negative number is the value, not a flag.
        if field.shape == danvan_entry::Shape::Integer {
            arg = arg.allow_negative_numbers(true);
        }
        cmd = cmd.arg(arg);
    }
    for (kind, flag, value, help, takes) in SPECIAL {
        if *kind != K::KIND {
            continue;
        }
        let arg = Arg::new(*flag).long(*flag).help(*help);
        cmd = cmd.arg(if *takes {
            let arg = arg.value_name(*value);
            if *flag == "review" {
                arg.action(ArgAction::Append)
            } else {
                arg.action(ArgAction::Set)
            }
        } else {
            arg.action(ArgAction::SetTrue)
        });
    }
    cmd.next_help_heading("Any field")
            .arg(
                Arg::new("set")
                    .long("set")
                    .value_name("FIELD=VALUE")
                    .action(ArgAction::Append)
                    .help("Set a field by its name or Vietnamese label, read by the field's type: --set reviewed_period=2022, --set \"Kỳ sơ kết=6 tháng đầu năm 2024\""),
            )
            .arg(
                Arg::new("add")
                    .long("add")
                    .value_name("FIELD=VALUE")
                    .action(ArgAction::Append)
                    .help("Add one item to a list field: --add \"chairs=Nguyễn Văn A, Bí thư Huyện ủy\""),
            )
            .arg(
                Arg::new("remove")
                    .long("remove")
                    .value_name("FIELD=VALUE")
                    .action(ArgAction::Append)
                    .help("Remove the items of a list field that match: --remove \"chairs=Nguyễn Văn A\""),
            )
            .arg(
                Arg::new("clear")
                    .long("clear")
                    .value_name("FIELD")
                    .action(ArgAction::Append)
                    .help("Clear a field, by its name or Vietnamese label, so that it holds no value: --clear stated, --clear \"Địa điểm\""),
            )
}
