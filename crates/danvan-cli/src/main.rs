//! `danvan`: the operators' command-line tool.

mod calendar;
mod changes;
mod check;
mod cycle;
mod demo;
mod docnum;
mod due;
mod error;
mod exchange;
mod form;
mod guide;
mod help;
mod ingest;
mod init;
mod lang;
mod names;
mod output;
mod provinces;
mod records;
mod repair;
mod report;
mod search;
mod serve;
mod stores;
mod style;
mod transfer;
mod typed;
mod usage;
mod user;
mod validate;
mod vocabulary;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use danvan_store::{Place, Store};

use crate::error::CommandError;

/// mimalloc rather than the system allocator: a server answers each request with a few dozen
/// small allocations on two threads at once, where glibc's malloc showed as a tenth of the
/// server's time in profiles (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Record, check and report Vietnamese dân vận work.
#[derive(Debug, Parser)]
#[command(name = "danvan", version, about, long_about = None)]
struct Cli {
    /// The store: a directory, or a PostgreSQL database as postgres://user:password@host/db
    /// [default: $DANVAN_STORE, then ./danvan-data].
    #[arg(long, global = true, value_name = "DIR|URL")]
    store: Option<std::ffi::OsString>,
    /// Print JSON for scripts instead of tables.
    #[arg(long, global = true)]
    json: bool,
    /// Print less: only results and errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: the store used and how long the command took.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// How long a write waits for another writer (another process, another server) to finish.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 10.0)]
    lock_timeout: f64,
    /// Who makes the changes, as the history records it [default: $DANVAN_ACTOR, then the OS
    /// user].
    #[arg(long, global = true, env = "DANVAN_ACTOR", value_name = "NAME")]
    actor: Option<String>,
    /// Why: recorded with the changes in their history.
    #[arg(long, global = true, value_name = "TEXT")]
    reason: Option<String>,
    /// Write as the holder of this API token: its name is the actor (over --actor), and a token bound to
    /// provinces changes only their records, as it would through the server (the token is
    /// looked up in --token-config).
    #[arg(
        long,
        global = true,
        env = "DANVAN_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    token: Option<String>,
    /// The language: vi (Vietnamese) or en (English). Messages default to $DANVAN_LANG, then
    /// the locale ($LC_ALL, $LC_MESSAGES, $LANG), then vi; a report or calendar is written in
    /// Vietnamese unless --lang en asks.
    #[arg(long, global = true, value_name = "vi|en")]
    lang: Option<lang::Lang>,
    /// The server's configuration file that lists --token.
    #[arg(long, global = true, env = "DANVAN_CONFIG", value_name = "FILE")]
    token_config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a store (with --demo, seeded with the demo dataset).
    Init(init::Args),
    /// Check every record in the store; exits 1 if any has an error (4 if the files are damaged).
    Validate(validate::Args),
    /// After damage is reported: keep what the files hold, name what is lost, back up what changes.
    Repair(repair::Args),
    /// Directive reviews (sơ kết, tổng kết) overdue or falling due, by province.
    Due(due::Args),
    /// Search every record, ignoring diacritics, case and tone placement.
    Search(search::Args),
    /// A periodic summary (sơ kết, tổng kết) of a province or the country: Markdown, HTML, DOCX, JSON, CSV.
    Report(report::Args),
    /// The work calendar (conferences, review deadlines) as an iCalendar file for a calendar app.
    Calendar(calendar::Args),
    /// Serve the HTTP API on the store (created with the demo dataset on first run).
    Serve(serve::Args),
    /// API tokens for `danvan serve`.
    #[command(subcommand)]
    Token(serve::TokenAction),
    /// Import records from files, all or nothing: export documents, datasets, JSON Lines, CSV.
    Import(transfer::ImportArgs),
    /// Export the store, or what the filters match, as JSON, JSON Lines or CSV.
    Export(transfer::ExportArgs),
    /// Every create, update and delete after a revision, in order, with who and why.
    Changes(changes::Args),
    /// Whole stores: copy every record between a directory and a PostgreSQL database.
    #[command(subcommand)]
    Store(stores::StoreAction),
    /// Parse and explain a document number such as "Số: 05-ĐA/TU".
    DocNumber(docnum::Args),
    /// The provinces on a date, with what merged into what on 1 July 2025.
    Provinces(provinces::Args),
    /// Load a dataset directory (as in fixtures/demo), validate it, and list the reviews due.
    Check(check::Args),
    /// Conferences: add, show, list, update, delete.
    #[command(subcommand)]
    Conference(records::Action<form::ConferenceForm>),
    /// Directives (nghị quyết, chỉ thị, kế hoạch, …): add, show, list, update, delete.
    #[command(subcommand)]
    Directive(records::DirectiveAction),
    /// "Dân vận khéo" models: add, show, list, update, delete.
    #[command(subcommand)]
    Model(records::Action<form::ModelForm>),
    /// Indicator definitions beyond the built-in catalogue: add, show, list, update, delete.
    #[command(subcommand)]
    Indicator(records::Action<form::IndicatorForm>),
    /// Observations (figures reported for a period): add, show, list, update, delete.
    #[command(subcommand)]
    Observation(records::Action<form::ObservationForm>),
    /// Reporting units (sở, ngành; huyện until 30/6/2025; xã, phường, đặc khu; đảng bộ khối;
    /// mặt trận, đoàn thể; cụm thi đua): the registry that units' figures resolve to. Add,
    /// show, list, update, delete.
    #[command(subcommand)]
    Unit(records::Action<form::UnitForm>),
    /// Commendations (khen thưởng: bằng khen, giấy khen, cờ thi đua, …), at a conference or by a
    /// decision, to counted, named or "many" recipients: add, show, list, update, delete.
    #[command(subcommand)]
    Award(records::Action<form::AwardForm>),
    /// Forms (biểu mẫu): which indicators and written sections a level of unit reports each
    /// period, and by when.
    #[command(subcommand)]
    Form(records::Action<form::ReportFormForm>),
    /// Targets (mục tiêu) the board sets: the value an indicator should reach in a province, or
    /// nationwide, over a year, a half-year or a term. Add, show, list, update, delete.
    #[command(subcommand)]
    Target(records::Action<form::TargetForm>),
    /// Units' reports for a period: begin, write, send, return, approve, unlock (and show,
    /// list, history).
    #[command(subcommand)]
    Submission(cycle::SubmissionAction),
    /// Every submission owed for a period, and how each stands: on time, late, not yet,
    /// returned, approved.
    Completeness(cycle::CompletenessArgs),
    /// What waits for a board: the reports sent and not yet returned or approved.
    #[command(subcommand)]
    Approval(cycle::ApprovalAction),
    /// The web app's users: add (a board's or a unit's, with a role), list, password,
    /// disable, enable.
    #[command(subcommand)]
    User(user::UserAction),
    /// Read articles and reports (text, HTML, DOCX, PDF) into proposed records, each value with the
    /// words that say it; writes only what is accepted (--review, --yes).
    Ingest(ingest::Args),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff); `cargo xtask man` writes it to target/man/danvan.1.
    #[command(hide = true)]
    Man,
}

/// The OS user running the command, as the history's actor: `$USER`, then `$LOGNAME`, else
/// "(không rõ)" (unknown).
fn os_user() -> String {
    ["USER", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.trim().is_empty()))
        .unwrap_or_else(|| "(không rõ)".into())
}

/// Who writes: `--actor` (or the OS user), or the holder of `--token`, bound to the token's
/// provinces — the store then refuses any other province's record, as the server does.
fn author(cli: &Cli) -> Result<danvan_store::Author, CommandError> {
    let Some(token) = &cli.token else {
        return Ok(
            danvan_store::Author::new(cli.actor.clone().unwrap_or_else(os_user))
                .with_reason(cli.reason.clone()),
        );
    };
    let usage = |m: String| CommandError::new(error::ErrorKind::Data, m);
    let path = cli.token_config.as_ref().ok_or_else(|| {
        usage("--token needs the configuration file that lists it: --token-config FILE (or DANVAN_CONFIG)".into())
    })?;
    let config = danvan_http::Config::from_file(path).map_err(|e| usage(e.to_string()))?;
    let entry = config
        .token_entry(token)
        .ok_or_else(|| usage(format!("the token is not listed in {}", path.display())))?;
    if entry.scope() < Some(danvan_http::config::Scope::Write) {
        return Err(usage(format!(
            "token `{}` has only the read scope: it cannot write",
            entry.name
        )));
    }
    let access = entry.access().map_err(|e| usage(e.to_string()))?;
    Ok(danvan_store::Author::new(entry.name.clone())
        .with_reason(cli.reason.clone())
        .within(access))
}

/// What every command gets: where the store is and how to print.
pub(crate) struct Ctx {
    place: Place,
    pub(crate) json: bool,
    pub(crate) quiet: bool,
    lock_timeout: std::time::Duration,
    /// Who writes, and why.
    pub(crate) author: danvan_store::Author,
}

impl Ctx {
    /// The store chosen by --store, then DANVAN_STORE, then ./danvan-data.
    pub(crate) fn place(&self) -> &Place {
        &self.place
    }

    /// The store's directory, for the commands that work on a JSON store's files alone.
    pub(crate) fn store_dir(&self, what: &str) -> Result<&std::path::Path, CommandError> {
        self.place.dir().ok_or_else(|| {
            CommandError::new(
                error::ErrorKind::Data,
                format!("{what} works on a JSON store directory, not on a database ({})", self.place),
            )
            .with_hint("a database is backed up, restored and repaired with PostgreSQL's own tools (pg_dump, point-in-time recovery)")
        })
    }

    /// How long a write waits for another writer.
    pub(crate) fn lock_timeout(&self) -> std::time::Duration {
        self.lock_timeout
    }

    /// Opens the chosen store.
    pub(crate) fn open(&self) -> Result<Box<dyn Store>, CommandError> {
        self.open_at(&self.place)
    }

    /// Opens the store at `place`.
    pub(crate) fn open_at(&self, place: &Place) -> Result<Box<dyn Store>, CommandError> {
        Ok(place.open(self.lock_timeout)?)
    }
}

/// The command line, or the exit code after saying why it cannot be read (in the language it
/// asks for, when it can be read that far).
fn parse() -> Result<Cli, ExitCode> {
    use clap::{CommandFactory, FromArgMatches};
    // The language is needed before the command line is read: its help is in it.
    // Arguments that are not UTF-8 are clap's to report, not a reason to panic here.
    let words: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let asked = words
        .iter()
        .position(|a| a == "--lang")
        .and_then(|i| words.get(i + 1).cloned())
        .or_else(|| {
            words
                .iter()
                .find_map(|a| a.strip_prefix("--lang=").map(String::from))
        })
        .and_then(|l| lang::Lang::parse(&l));
    // Most command lines read as they are: the help is localised only when it is asked for
    // or the line cannot be read (the same command, only its words differ).
    if let Ok(cli) = Cli::command()
        .try_get_matches_from(&words)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        return Ok(cli);
    }
    let speaks = asked.unwrap_or_else(lang::lang);
    let command = help::localized(Cli::command(), speaks);
    let words = help::help_as_flag(&command, words);
    command
        .try_get_matches_from(words)
        .and_then(|m| Cli::from_arg_matches(&m))
        .map_err(|e| {
            lang::choose(asked);
            usage::report(&e)
        })
}

/// The exit code of a program whose reader went away (`danvan … | head`), as for SIGPIPE.
const EXIT_BROKEN_PIPE: i32 = 141;

fn main() -> ExitCode {
    // Printing into a closed pipe makes `println!` panic; a closed pipe is the reader's choice,
    // not a bug, so end quietly as other Unix tools do.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("Broken pipe") || message.contains("BrokenPipe") {
            std::process::exit(EXIT_BROKEN_PIPE);
        }
        default_hook(info);
    }));
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    lang::choose(cli.lang);
    let store = cli
        .store
        .clone()
        .or_else(|| std::env::var_os("DANVAN_STORE").filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "danvan-data".into());
    let author = match author(&cli) {
        Ok(a) => a,
        Err(e) => return e.report(),
    };
    let ctx = Ctx {
        place: Place::from_os(store),
        json: cli.json,
        quiet: cli.quiet,
        lock_timeout: std::time::Duration::from_secs_f64(cli.lock_timeout.clamp(0.0, 3600.0)),
        author,
    };
    let started = std::time::Instant::now();
    if cli.verbose {
        eprintln!("store: {}", ctx.place);
    }
    let result = match cli.command {
        Command::Init(args) => init::run(&ctx, &args),
        Command::Validate(args) => validate::run(&ctx, &args),
        Command::Repair(args) => repair::run(&ctx, &args),
        Command::Changes(args) => changes::changes(&ctx, &args),
        Command::Ingest(args) => ingest::run(&ctx, &args),
        Command::User(action) => user::run(&ctx, &action),
        Command::Approval(action) => cycle::approval(&ctx, &action),
        Command::Store(action) => stores::run(&ctx, &action),
        Command::Due(args) => due::run(&ctx, &args),
        Command::Search(args) => search::run(&ctx, &args),
        Command::Report(args) => report::run(&ctx, &args),
        Command::Calendar(args) => calendar::run(&ctx, &args),
        Command::Serve(args) => serve::run(&ctx, &args),
        Command::Token(action) => serve::token(&ctx, &action),
        Command::Import(args) => transfer::import(&ctx, &args),
        Command::Export(args) => transfer::export(&ctx, &args),
        Command::DocNumber(args) => docnum::run(&ctx, &args),
        Command::Provinces(args) => provinces::run(&ctx, &args),
        Command::Check(args) => check::run(&args),
        Command::Conference(a) => records::run(&ctx, &a),
        Command::Directive(a) => records::run_directive(&ctx, &a),
        Command::Model(a) => records::run(&ctx, &a),
        Command::Indicator(a) => records::run(&ctx, &a),
        Command::Observation(a) => records::run(&ctx, &a),
        Command::Unit(a) => records::run(&ctx, &a),
        Command::Award(a) => records::run(&ctx, &a),
        Command::Form(a) => records::run(&ctx, &a),
        Command::Target(a) => records::run(&ctx, &a),
        Command::Submission(cycle::SubmissionAction::Common(a)) => records::run(&ctx, &a),
        Command::Submission(cycle::SubmissionAction::Cycle(a)) => cycle::run(&ctx, &a),
        Command::Completeness(args) => cycle::completeness(&ctx, &args),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "danvan", &mut buf);
            output::write_stdout(&buf)
        }
        Command::Man => {
            let mut buf = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut buf) {
                Ok(()) => output::write_stdout(&buf),
                Err(e) => Err(CommandError::new(
                    error::ErrorKind::Unreadable,
                    format!("man page: {e}"),
                )),
            }
        }
    };
    if cli.verbose {
        eprintln!("took {:.3}s", started.elapsed().as_secs_f64());
    }
    match result {
        Ok(code) => code,
        Err(e) => e.report(),
    }
}

/// Today, for commands whose answer depends on the date (`--as-of` overrides it).
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
