//! `danvan report`: a periodic summary (sơ kết, tổng kết) as Markdown, HTML, DOCX, JSON or CSV,
//! in Vietnamese or English.

use crate::lang::t;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use danvan_core::period::{Period, Window};
use danvan_report::{Format, ProvinceOrder, Scope};
use danvan_store::ProvinceMap;

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};
use crate::output::{write_file, write_stdout};

/// Arguments of `danvan report`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The period: 2024S1, 2024, 2021-2025, or a phrase ("6 tháng đầu năm 2024").
    #[arg(long)]
    period: String,
    /// A province (slug or name); without it, the whole country.
    #[arg(long)]
    province: Option<String>,
    /// Count records for the province they name, not its 2025 successor [default: so for a
    /// report dated before 1 July 2025, on the map of its date].
    #[arg(long)]
    as_recorded: bool,
    /// Use the Decree 09/2019 reporting window (15th of the previous month to the 14th).
    #[arg(long)]
    cut_off: bool,
    /// The report's date, for the place-and-date line [default: today].
    #[arg(long, value_name = "DATE")]
    date: Option<NaiveDate>,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// markdown, html, docx, json (the figures) or csv (the indicator table) [default: from
    /// the --out extension, else markdown].
    #[arg(long, short, value_name = "FORMAT", value_parser = crate::vocabulary::parser::<Format>())]
    format: Option<Format>,
    /// National tables across provinces: in Vietnamese order of names, or best figure first.
    #[arg(long, default_value = "name", value_parser = crate::vocabulary::parser::<ProvinceOrder>())]
    order: ProvinceOrder,
    /// Instead of the report, show how each figure was computed: the records behind it, with
    /// their figures, the comparison period and the target.
    #[arg(long, conflicts_with_all = ["out", "format"])]
    explain: bool,
    /// Count units' figures sent but not yet approved in their totals, marked "số liệu chưa
    /// được duyệt" [default: only approved ones, and figures sent in no submission; the
    /// others are named].
    #[arg(long)]
    include_pending: bool,
    /// Refuse to write the report when the report checker finds anything to correct (what it
    /// finds is printed either way, on standard error).
    #[arg(long, conflicts_with = "explain")]
    strict: bool,
    /// The outline: hien-hanh (the draft from the records, the default), dinh-ky (the
    /// periodic report in the Central Commission's outline), so-ket-van-ban (a directive's
    /// review), ban-tin (a monthly or quarterly brief), or a TOML file of your own (copy one
    /// from crates/danvan-report/templates).
    #[arg(long, value_name = "NAME|FILE", conflicts_with = "explain")]
    template: Option<String>,
    /// The board's written sections (a Markdown file: one "## key" heading per section the
    /// outline has the board write), put in their places; a number in them that the records
    /// do not hold is one of the checker's findings.
    #[arg(long, value_name = "FILE.md", conflicts_with = "explain")]
    written: Option<PathBuf>,
    /// Instead of the report, write the outline's written sections to FILE.md to fill in
    /// (holding what --written gave), then read it back with --written.
    #[arg(long, value_name = "FILE.md", conflicts_with_all = ["explain", "out", "strict"])]
    export_written: Option<PathBuf>,
    /// Issue the report with this number in the issuer's register ("Số 45-BC/BDVTU"); with
    /// --signer (and --recipient). Without it the report is a draft: number blank, signature
    /// to be written.
    #[arg(
        long,
        value_name = "N",
        requires = "signer",
        conflicts_with = "explain"
    )]
    number: Option<u32>,
    /// Who issues it: ban (the board, "-BC/BDVTU", signed by its head; the default) or
    /// thuong-vu (the Standing Committee of the province's Party committee, "-BC/TU", "T/M BAN
    /// THƯỜNG VỤ").
    #[arg(long, value_name = "ban|thuong-vu", requires = "number", value_parser = ["ban", "thuong-vu"])]
    issuer: Option<String>,
    /// Who signs, e.g. "Hà Thị Bích Hạnh".
    #[arg(long, value_name = "NAME", requires = "number")]
    signer: Option<String>,
    /// The signer's title, e.g. "PHÓ TRƯỞNG BAN" [default for the board: TRƯỞNG BAN; needed
    /// for the Standing Committee, e.g. "PHÓ BÍ THƯ"].
    #[arg(long, value_name = "TITLE", requires = "number")]
    signer_title: Option<String>,
    /// A recipient, with why in brackets (repeat), e.g. "Ban Dân vận Trung ương (để báo cáo)";
    /// the office's copy ("Lưu VP") is added last.
    #[arg(long = "recipient", value_name = "RECIPIENT", requires = "number")]
    recipients: Vec<String>,
}

pub(crate) fn run(ctx: &Ctx, args: &Args) -> Result<ExitCode, CommandError> {
    let period = Period::parse(&args.period, None)
        .map_err(|e| CommandError::new(ErrorKind::Data, e.to_string()))?;
    let store = ctx.open()?;
    let today = args.date.unwrap_or_else(crate::today);
    let scope = Scope {
        province: args.province.clone(),
        map: if args.as_recorded {
            ProvinceMap::AsRecorded
        } else {
            Scope::map_on(today)
        },
        period,
        window: if args.cut_off {
            Window::DECREE_09
        } else {
            Window::Calendar
        },
        today,
        order: args.order,
        include_pending: args.include_pending,
    };
    let format = match (args.format, &args.out, ctx.json) {
        (Some(f), _, _) => f,
        (None, _, true) => Format::Json,
        (None, Some(path), false) => path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(|e| e.parse().ok())
            .unwrap_or(Format::Markdown),
        (None, None, false) => Format::Markdown,
    };
    if format == Format::Docx
        && args.out.is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        return Err(CommandError::new(
            ErrorKind::Data,
            "a DOCX report is a binary file: write it with --out FILE (or redirect the output)",
        ));
    }
    if args.explain {
        let data = danvan_report::build(store.as_ref(), &scope)?;
        let text = danvan_report::explain::explain(store.as_ref(), &data, crate::lang::document())?;
        return write_stdout(text.as_bytes());
    }
    let links = danvan_report::html::Links::default();
    let template = outline(args.template.as_deref())?;
    let written = match &args.written {
        Some(path) => read_written(path, &template)?,
        None => danvan_report::written::Written::new(),
    };
    if let Some(path) = &args.export_written {
        return export_written(ctx, path, &template, &written);
    }
    let issue = issue(args);
    let draft = danvan_report::Draft {
        template: &template,
        written: &written,
        issue: issue.as_ref(),
    };
    let checked = danvan_report::render_checked(
        store.as_ref(),
        &scope,
        format,
        crate::lang::document(),
        &links,
        &draft,
    )
    .map_err(draft_error)?;
    if !ctx.quiet || args.strict {
        print_findings(&checked.findings);
    }
    if args.strict && !checked.findings.is_empty() {
        return Err(CommandError::new(
            ErrorKind::Data,
            t!("check-strict-refused", count = checked.findings.len()),
        )
        .with_hint(t!("hint-check-strict")));
    }
    let bytes = checked.bytes;
    match &args.out {
        Some(path) => {
            write_file(path, &bytes)?;
            if !ctx.quiet {
                eprintln!("{}", t!("report-wrote", path = path.display().to_string()));
            }
            Ok(ExitCode::SUCCESS)
        }
        None => write_stdout(&bytes),
    }
}

/// What the report checker found, on standard error (the report itself may be on standard
/// output): where, what and why, in the CLI's language.
fn print_findings(findings: &[danvan_report::check::Finding]) {
    let lang = crate::lang::lang();
    if findings.is_empty() {
        eprintln!("{}", t!("check-none"));
        return;
    }
    eprintln!("{}", t!("check-findings", count = findings.len()));
    for f in findings {
        eprintln!("  - {}", f.explained(lang));
    }
}

/// The outline `--template` names: a built-in one by its ID, else a TOML file (its errors
/// naming the file and the section).
fn outline(asked: Option<&str>) -> Result<danvan_report::template::Template, CommandError> {
    use danvan_report::template::{Template, TemplateError};
    let Some(asked) = asked else {
        return Ok(Template::default_outline());
    };
    match Template::builtin(asked) {
        Ok(t) => Ok(t),
        Err(TemplateError::Unknown(_)) if std::path::Path::new(asked).is_file() => {
            let text = std::fs::read_to_string(asked)
                .map_err(|e| CommandError::new(ErrorKind::Unreadable, format!("{asked}: {e}")))?;
            Template::parse(&text)
                .map_err(|e| CommandError::new(ErrorKind::Data, format!("{asked}: {e}")))
        }
        Err(e) => Err(CommandError::new(ErrorKind::Data, e.to_string())),
    }
}

/// The written sections in `path`, checked against the outline (a heading it lacks is an
/// error naming the file and the line).
fn read_written(
    path: &std::path::Path,
    template: &danvan_report::template::Template,
) -> Result<danvan_report::written::Written, CommandError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CommandError::new(ErrorKind::Unreadable, format!("{}: {e}", path.display()))
    })?;
    danvan_report::written::from_markdown(&text, template).map_err(|e| {
        CommandError::new(
            ErrorKind::Data,
            format!("{}:{}: {}", path.display(), e.line, e.message),
        )
    })
}

/// Writes the outline's written sections to `path` to fill in, holding what `written` has.
fn export_written(
    ctx: &Ctx,
    path: &std::path::Path,
    template: &danvan_report::template::Template,
    written: &danvan_report::written::Written,
) -> Result<ExitCode, CommandError> {
    let lang = crate::lang::document();
    let text = danvan_report::written::to_markdown(template, written, lang);
    write_file(path, text.as_bytes())?;
    if !ctx.quiet {
        let count = danvan_report::written::sections(template, lang).len();
        eprintln!(
            "{}",
            t!(
                "written-exported",
                path = path.display().to_string(),
                count = count
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// How the report is issued, when --number says it is.
fn issue(args: &Args) -> Option<danvan_report::issue::Issue> {
    args.number.map(|number| danvan_report::issue::Issue {
        number,
        issuer: match args.issuer.as_deref() {
            Some("thuong-vu") => danvan_report::issue::Issuer::StandingCommittee,
            _ => danvan_report::issue::Issuer::Board,
        },
        signer: args.signer.clone().unwrap_or_default(),
        signer_title: args.signer_title.clone(),
        recipients: args
            .recipients
            .iter()
            .map(|r| danvan_report::issue::Recipient::parse(r))
            .collect(),
    })
}

/// A report that could not be made or issued, in the CLI's words.
fn draft_error(e: danvan_report::DraftError) -> CommandError {
    use danvan_report::issue::IssueError;
    match e {
        danvan_report::DraftError::Render(danvan_report::RenderError::Store(e)) => {
            CommandError::from(e)
        }
        danvan_report::DraftError::Issue(e) => CommandError::new(
            ErrorKind::Data,
            t!(match e {
                IssueError::NationalByCommittee => "issue-national-by-committee",
                IssueError::CommitteeTitle => "issue-committee-title",
                IssueError::NoSigner => "issue-no-signer",
            }),
        ),
        other => CommandError::new(ErrorKind::Unreadable, other.to_string()),
    }
}
