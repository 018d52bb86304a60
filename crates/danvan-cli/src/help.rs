//! `--help` in the CLI's language: in Vietnamese (the default) each command's description,
//! the options every command takes, and the headings of the help page come from the
//! catalogue (`help-cmd-…`, `help-arg-…`); English is clap's, from the doc comments.
//! The record commands of every kind share their descriptions (`help-cmd-add`, …).

use clap::Command;

use crate::lang::Lang;

/// The subcommands every kind of record has: their descriptions are one per name.
const RECORD_COMMANDS: [&str; 8] = [
    "add", "new", "show", "list", "edit", "update", "history", "delete",
];

/// The options every command takes (`global = true`), by their ID.
pub(crate) const GLOBAL_ARGS: [&str; 10] = [
    "store",
    "json",
    "quiet",
    "verbose",
    "lock_timeout",
    "actor",
    "reason",
    "token",
    "lang",
    "token_config",
];

/// The flags every record command's form has beside the fields (`--from`, `--set`, …).
const FORM_ARGS: [&str; 5] = ["from", "set", "add", "remove", "clear"];

/// The headings the commands give their own groups of flags (in English, in the code), and
/// the catalogue's message for each: matched by how the English begins.
const HEADINGS: [(&str, &str); 2] = [("Fields", "help-fields"), ("Any field", "help-any-field")];

/// `cmd` with its help in `lang`.
pub(crate) fn localized(cmd: Command, lang: Lang) -> Command {
    match lang {
        Lang::En => cmd,
        Lang::Vi => localize(cmd, lang, &[]),
    }
}

/// `danvan help A B` as `danvan A B --help`, and `danvan A help B` as `danvan A B --help`:
/// the help subcommand clap would list in English is left out of the localised commands.
pub(crate) fn help_as_flag(cmd: &Command, mut words: Vec<String>) -> Vec<String> {
    // In English clap's own help subcommand answers.
    if !cmd.is_disable_help_subcommand_set() {
        return words;
    }
    let is_sub = |c: &Command, w: &str| c.get_subcommands().any(|s| s.get_name() == w);
    let at = match words.get(1).map(String::as_str) {
        Some("help") => Some(1),
        // Only a command that has commands of its own takes "help" as one of them.
        Some(first)
            if is_sub(cmd, first)
                && cmd
                    .find_subcommand(first)
                    .is_some_and(Command::has_subcommands)
                && words.get(2).is_some_and(|w| w == "help") =>
        {
            Some(2)
        }
        _ => None,
    };
    if let Some(i) = at {
        words.remove(i);
        words.push("--help".to_string());
    }
    words
}

/// The catalogue's description of the command at `path` (`[]`: danvan itself).
pub(crate) fn description(path: &[&str], lang: Lang) -> Option<String> {
    catalogued(path, lang, |p| {
        if p.is_empty() {
            "help-cmd".to_string()
        } else {
            format!("help-cmd-{p}")
        }
    })
}

/// The catalogue's message `key` makes for the command at `path` (its words joined by `-`),
/// else, for a record command ("conference add"), the one every kind shares (`key("add")`).
fn catalogued(path: &[&str], lang: Lang, key: impl Fn(&str) -> String) -> Option<String> {
    let shared = path
        .last()
        .filter(|last| path.len() == 2 && RECORD_COMMANDS.contains(last))
        .map(|last| key(last));
    [Some(key(&path.join("-"))), shared]
        .into_iter()
        .flatten()
        .find(|id| danvan_i18n::has(id))
        .map(|id| danvan_i18n::text(lang, &id))
}

fn localize(mut cmd: Command, lang: Lang, path: &[&str]) -> Command {
    if let Some(about) = description(path, lang) {
        cmd = cmd.about(about).long_about(None);
    }
    // clap's own -h/--help (and -V/--version) in the same words and under the same heading.
    cmd = cmd.disable_help_flag(true).arg(
        clap::Arg::new("help")
            .short('h')
            .long("help")
            .action(clap::ArgAction::Help)
            .help(danvan_i18n::text(lang, "help-arg-help")),
    );
    if path.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help(danvan_i18n::text(lang, "help-arg-version")),
        );
    }
    let template = format!(
        "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        danvan_i18n::text(lang, "help-usage")
    );
    // `danvan help report` is read as `danvan report --help` (`help_as_flag`), so that the
    // list of commands holds no line in clap's English.
    cmd = cmd
        .disable_help_subcommand(true)
        .help_template(template)
        .subcommand_help_heading(danvan_i18n::text(lang, "help-commands"));
    // A record command ("conference add"): its kind, whose fields its flags are.
    let kind = match path {
        [kind, sub] if RECORD_COMMANDS.contains(sub) => {
            <danvan_core::record_kind::RecordKind as danvan_core::vocabulary::Vocabulary>::from_name(kind).ok()
        }
        _ => None,
    };
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in &ids {
        cmd = cmd.mut_arg(id, |a| localize_arg(a, lang, path, id, kind));
    }
    // What clap would append in English, in `lang`, after the text.
    for id in &ids {
        cmd = cmd.mut_arg(id, |a| with_details(a, lang));
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        let mut sub_path: Vec<&str> = path.to_vec();
        sub_path.push(&name);
        let sub_path: Vec<String> = sub_path.iter().map(|s| s.to_string()).collect();
        cmd = cmd.mut_subcommand(&name, |c| {
            let p: Vec<&str> = sub_path.iter().map(String::as_str).collect();
            localize(c, lang, &p)
        });
    }
    cmd
}

/// One flag or argument of the command at `path` (a record command's `kind`) in `lang`: its
/// heading, and its text from the catalogue or, for a record's field, from its form.
fn localize_arg(
    a: clap::Arg,
    lang: Lang,
    path: &[&str],
    id: &str,
    kind: Option<danvan_core::record_kind::RecordKind>,
) -> clap::Arg {
    let heading = if a.is_positional() {
        "help-arguments"
    } else {
        "help-options"
    };
    let a = match a.get_help_heading() {
        None => a.help_heading(danvan_i18n::text(lang, heading)),
        Some(h) => match HEADINGS.iter().find(|(en, _)| h.starts_with(en)) {
            Some((_, id)) => a.help_heading(danvan_i18n::text(lang, id)),
            None => a,
        },
    };
    let key = format!("help-arg-{}", id.replace('_', "-"));
    let common = GLOBAL_ARGS.contains(&id) || (kind.is_some() && FORM_ARGS.contains(&id));
    if common && danvan_i18n::has(&key) {
        return a.help(danvan_i18n::text(lang, &key)).long_help(None);
    }
    // A command's own flag: `help-arg-report--period`; the record lists of every kind
    // share theirs (`help-arg-list--since`).
    let flag = id.replace('_', "-");
    if let Some(text) = catalogued(path, lang, |p| format!("help-arg-{p}--{flag}")) {
        return a.help(text).long_help(None);
    }
    // A record's field: its form's label and example, as the web form shows them.
    match kind.and_then(|k| danvan_entry::fields(k).iter().find(|f| f.flag == id)) {
        Some(f) if f.example.is_empty() => a.help(f.vi.to_string()),
        Some(f) => a.help(format!(
            "{}, {} {:?}",
            f.vi,
            danvan_i18n::text(lang, "help-for-example"),
            f.example
        )),
        None => a,
    }
}

/// What clap appends to a flag's help in English ("[default: 10]", "[env: DANVAN_ACTOR=]",
/// "[possible values: …]"), appended in `lang` instead.
fn with_details(a: clap::Arg, lang: Lang) -> clap::Arg {
    let mut details = Vec::new();
    let takes = a.get_action().takes_values();
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let said = a.get_help().map(ToString::to_string).unwrap_or_default();
    let default = danvan_i18n::tr!(lang, "help-default", value = defaults.join(", "));
    let show_default = takes && !defaults.is_empty() && !a.is_hide_default_value_set();
    // The catalogue's text may give the default itself.
    if show_default && !said.contains(&default) {
        details.push(default);
    }
    let env = a
        .get_env()
        .filter(|_| !a.is_hide_env_set())
        .map(|e| e.to_string_lossy().into_owned());
    if let Some(name) = &env {
        details.push(danvan_i18n::tr!(lang, "help-env", name = name.as_str()));
    }
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    let show_values = takes && !values.is_empty() && !a.is_hide_possible_values_set();
    if show_values {
        details.push(danvan_i18n::tr!(
            lang,
            "help-values",
            values = values.join(", ")
        ));
    }
    let mut a = if details.is_empty() {
        a
    } else {
        a.help(format!("{said} {}", details.join(" ")))
    };
    if show_default {
        a = a.hide_default_value(true);
    }
    if env.is_some() {
        a = a.hide_env(true);
    }
    if show_values {
        a = a.hide_possible_values(true);
    }
    a
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every command has its description in the catalogue, and every option every command
    /// takes; the catalogue's English is there too.
    #[test]
    fn every_command_and_common_option_is_described_in_the_catalogue() {
        fn walk(cmd: &Command, path: &mut Vec<String>, missing: &mut Vec<String>) {
            let p: Vec<&str> = path.iter().map(String::as_str).collect();
            if description(&p, Lang::Vi).is_none() {
                missing.push(path.join(" "));
            }
            for sub in cmd.get_subcommands() {
                path.push(sub.get_name().to_string());
                walk(sub, path, missing);
                path.pop();
            }
        }
        let cmd = crate::Cli::command();
        let mut missing = Vec::new();
        walk(&cmd, &mut Vec::new(), &mut missing);
        assert!(
            missing.is_empty(),
            "commands without a description: {missing:?}"
        );
        for id in GLOBAL_ARGS {
            let key = format!("help-arg-{}", id.replace('_', "-"));
            assert!(danvan_i18n::has(&key), "{key}");
        }
    }

    /// Every flag and argument of every command reads in Vietnamese: none keeps the English
    /// of its doc comment.
    #[test]
    fn every_flag_of_every_command_is_described_in_vietnamese() {
        fn walk(en: &Command, vi: &Command, path: &str, same: &mut Vec<String>) {
            for a in en.get_arguments().filter(|a| !a.is_hide_set()) {
                let id = a.get_id().as_str();
                let theirs = vi
                    .get_arguments()
                    .find(|b| b.get_id().as_str() == id)
                    .and_then(|b| b.get_help())
                    .map(ToString::to_string);
                let ours = a.get_help().map(ToString::to_string);
                if ours.is_some() && theirs == ours {
                    same.push(format!("{path} {id}"));
                }
            }
            for sub in en.get_subcommands() {
                let name = sub.get_name();
                if let Some(vi_sub) = vi.get_subcommands().find(|c| c.get_name() == name) {
                    walk(sub, vi_sub, &format!("{path} {name}"), same);
                }
            }
        }
        let en = crate::Cli::command();
        let vi = localized(crate::Cli::command(), Lang::Vi);
        let mut same = Vec::new();
        walk(&en, &vi, "danvan", &mut same);
        assert!(same.is_empty(), "still in English: {same:?}");
    }

    #[test]
    fn help_as_a_word_is_read_as_the_help_flag() {
        let vi = localized(crate::Cli::command(), Lang::Vi);
        let words = |w: &[&str]| w.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(
            help_as_flag(&vi, words(&["danvan", "help", "report"])),
            words(&["danvan", "report", "--help"])
        );
        assert_eq!(
            help_as_flag(&vi, words(&["danvan", "conference", "help", "add"])),
            words(&["danvan", "conference", "add", "--help"])
        );
        // A value that happens to be "help" is left alone.
        let search = words(&["danvan", "search", "help"]);
        assert_eq!(help_as_flag(&vi, search.clone()), search);
        // In English clap's own help subcommand answers.
        let en = localized(crate::Cli::command(), Lang::En);
        let asked = words(&["danvan", "help", "report"]);
        assert_eq!(help_as_flag(&en, asked.clone()), asked);
    }

    #[test]
    fn the_help_page_reads_in_vietnamese() {
        let mut cmd = localized(crate::Cli::command(), Lang::Vi);
        let help = cmd.render_help().to_string();
        for expected in [
            "Công cụ dòng lệnh danvan",
            "Cách dùng:",
            "Lệnh:",
            "Tùy chọn:",
            "Lập báo cáo sơ kết, tổng kết",
            "Kho dữ liệu:",
        ] {
            assert!(help.contains(expected), "{expected:?} in\n{help}");
        }
        let mut conference = localized(crate::Cli::command(), Lang::Vi);
        let add = conference
            .find_subcommand_mut("conference")
            .and_then(|c| c.find_subcommand_mut("add"))
            .unwrap()
            .render_help()
            .to_string();
        assert!(add.contains("Thêm một bản ghi"), "{add}");
        // Its fields by the labels of the form, its other flags from the catalogue.
        assert!(add.contains("Ngày, ví dụ"), "{add}");
        assert!(add.contains("Xóa giá trị của một trường"), "{add}");
        // The report's and the lists' own flags.
        let mut cli = localized(crate::Cli::command(), Lang::Vi);
        let report = cli
            .find_subcommand_mut("report")
            .unwrap()
            .render_help()
            .to_string();
        assert!(report.contains("Kỳ báo cáo:"), "{report}");
        assert!(!report.contains("The period"), "{report}");
    }
}
