//! `danvan import` and `danvan export`: moving records in and out of the store as files.
//!
//! Import reads an export document (`danvan export`), a dataset object, JSON Lines (one
//! `{"kind": …, "record": …}` per line), CSV of one kind (see `csvio`), or a dataset directory
//! (as `fixtures/demo`). All files
//! of one command are one all-or-nothing import: any error and nothing is written. Problems
//! are listed as `file:line: field: message`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use danvan_core::dataset::{AnyRecord, Dataset};
use danvan_core::validate::{Problem, RecordKind, has_errors};
use danvan_store::{Export, ImportOptions, dataset_dir};

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};
use crate::lang::t;
use crate::output::print_json;
use crate::records::ListArgs;

/// Arguments of `danvan import`.
#[derive(Debug, clap::Args)]
pub(crate) struct ImportArgs {
    /// Files to import: .json (export document or dataset), .jsonl, .csv (one kind per file,
    /// named after it: models.csv, mo-hinh.csv), .xlsx (one kind per sheet, named after it:
    /// Hội nghị, Số liệu), or dataset directories.
    #[arg(required_unless_present = "template")]
    files: Vec<PathBuf>,
    /// Write an empty workbook to fill instead (.xlsx): the sheet of --kind (default:
    /// observation) with its Vietnamese headers, drop-down lists of the allowed values, an
    /// example row and how to fill it; import it once filled.
    #[arg(long, value_name = "FILE.xlsx", conflicts_with_all = ["files", "dry_run", "format"])]
    template: Option<PathBuf>,
    /// Check everything and report, but write nothing.
    #[arg(long)]
    dry_run: bool,
    /// The kind of record in CSV files whose name does not say it (a file named
    /// `bao-cao-quy-3.csv`).
    #[arg(long, value_parser = crate::vocabulary::parser::<RecordKind>())]
    kind: Option<RecordKind>,
    /// Figures from another system: dhis2 (dataValueSets JSON) or adx (XML), one file, with
    /// --mapping; all or nothing.
    #[arg(long, value_parser = crate::vocabulary::parser::<ExchangeFormat>())]
    format: Option<ExchangeFormat>,
    /// The DHIS2/ADX mapping (TOML), with --format.
    #[arg(long, value_name = "FILE", requires = "format")]
    mapping: Option<PathBuf>,
}

/// What `danvan import --format` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ExchangeFormat {
    /// DHIS2 dataValueSets JSON.
    Dhis2,
    /// IHE ADX XML.
    Adx,
}

impl danvan_core::vocabulary::Vocabulary for ExchangeFormat {
    const WHAT: &'static str = "exchange format";
    const ALL: &'static [Self] = &[ExchangeFormat::Dhis2, ExchangeFormat::Adx];
}

impl From<ExchangeFormat> for danvan_exchange::Format {
    fn from(f: ExchangeFormat) -> Self {
        match f {
            ExchangeFormat::Dhis2 => danvan_exchange::Format::Dhis2,
            ExchangeFormat::Adx => danvan_exchange::Format::Adx,
        }
    }
}

/// What `danvan export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ExportFormat {
    /// One export document.
    Json,
    /// One `{"kind", "record"}` object per line.
    Jsonl,
    /// One kind's records as CSV rows.
    Csv,
    /// An Excel workbook, one sheet per kind (needs --out).
    Xlsx,
    /// The figures as DHIS2 dataValueSets JSON (needs --mapping).
    Dhis2,
    /// The figures as IHE ADX XML (needs --mapping).
    Adx,
}

impl danvan_core::vocabulary::Vocabulary for ExportFormat {
    const WHAT: &'static str = "export format";
    const ALL: &'static [Self] = &[
        ExportFormat::Json,
        ExportFormat::Jsonl,
        ExportFormat::Csv,
        ExportFormat::Xlsx,
        ExportFormat::Dhis2,
        ExportFormat::Adx,
    ];
}

/// Arguments of `danvan export`.
#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// json (one export document), jsonl (one record per line), csv (with --only), xlsx
    /// (a workbook, one sheet per kind; with --out), or the figures as dhis2 (dataValueSets
    /// JSON) or adx (XML), with --mapping.
    #[arg(long, default_value = "json", value_parser = crate::vocabulary::parser::<ExportFormat>())]
    format: ExportFormat,
    /// The language of CSV and workbook headers (and sheet names).
    #[arg(long, default_value = "en", value_parser = crate::vocabulary::parser::<danvan_report::Lang>())]
    headers: danvan_report::Lang,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Only records of this kind.
    #[arg(long, value_parser = crate::vocabulary::parser::<RecordKind>())]
    only: Option<RecordKind>,
    /// The DHIS2/ADX mapping: indicators to data elements, provinces to organisation units
    /// (TOML; fixtures/exchange/mapping.toml is the demo store's).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    #[command(flatten)]
    filters: ListArgs,
}

/// Where each record came from, for messages.
type Origins = HashMap<(RecordKind, String), String>;

fn unreadable(path: &Path, e: impl std::fmt::Display) -> CommandError {
    CommandError::new(ErrorKind::Unreadable, format!("{}: {e}", path.display()))
}

/// The 1-based line of the first `"id": "<id>"` in `text` (pretty or compact JSON).
fn line_of_id(text: &str, id: &str) -> Option<usize> {
    let pos = [format!("\"id\": \"{id}\""), format!("\"id\":\"{id}\"")]
        .iter()
        .find_map(|needle| text.find(needle.as_str()))?;
    Some(text[..pos].matches('\n').count() + 1)
}

/// A byte-count progress bar on stderr for large inputs; hidden when stderr is not a terminal
/// (scripts, CI, pipes) or the input is small.
fn progress(total_bytes: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() || total_bytes < 4 << 20 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total_bytes);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("reading");
    bar
}

/// One record per line (`jsonl`, `ndjson`); errors name the line and the field.
fn read_jsonl(
    name: &str,
    text: &str,
    dataset: &mut Dataset,
    origins: &mut Origins,
    bar: &indicatif::ProgressBar,
) -> Result<(), CommandError> {
    for (i, line) in text.lines().enumerate() {
        bar.inc(line.len() as u64 + 1);
        if line.trim().is_empty() {
            continue;
        }
        let mut de = serde_json::Deserializer::from_str(line);
        let record: AnyRecord = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let field = e.path().to_string();
            let field = field.strip_prefix("record.").unwrap_or(&field).to_string();
            CommandError::new(
                ErrorKind::Data,
                format!(
                    "{name}:{}: {field}: {}",
                    i + 1,
                    danvan_store::json_message(e.inner())
                ),
            )
        })?;
        origins.insert(
            (record.kind(), record.id().to_string()),
            format!("{name}:{}", i + 1),
        );
        dataset.push(record);
    }
    Ok(())
}

/// An export document (with its header) or a dataset object; errors name the record's line.
fn read_json(
    name: &str,
    text: &str,
    dataset: &mut Dataset,
    origins: &mut Origins,
) -> Result<(), CommandError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        CommandError::new(
            ErrorKind::Data,
            format!(
                "{name}:{}:{}: {}",
                e.line(),
                e.column(),
                danvan_store::json_message(&e)
            ),
        )
    })?;
    // An export document carries a header; a dataset object is just the arrays.
    let mut body = value;
    if let Some(obj) = body.as_object_mut()
        && obj.get("format").and_then(|f| f.as_str()) == Some(danvan_store::EXPORT_FORMAT)
    {
        let version = obj
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        if version != u64::from(danvan_store::EXPORT_VERSION) {
            return Err(CommandError::new(
                ErrorKind::Data,
                format!(
                    "{name}: export version {version} is not supported (this danvan reads version {})",
                    danvan_store::EXPORT_VERSION
                ),
            ));
        }
        obj.remove("format");
        obj.remove("version");
        obj.remove("revision");
        obj.remove("revisions");
    }
    let d: Dataset = serde_path_to_error::deserialize(body).map_err(|e| {
        let path = e.path().to_string();
        // `conferences[3].date`: find that record's line for the message.
        let line = path
            .split_once('[')
            .and_then(|(kind, rest)| Some((kind, rest.split(']').next()?.parse::<usize>().ok()?)))
            .and_then(|(kind, idx)| {
                let v: serde_json::Value = serde_json::from_str(text).ok()?;
                let id = v.get(kind)?.get(idx)?.get("id")?.as_str()?.to_string();
                line_of_id(text, &id)
            });
        let at = line.map_or_else(|| name.to_string(), |l| format!("{name}:{l}"));
        CommandError::new(ErrorKind::Data, format!("{at}: {path}: {}", e.into_inner()))
    })?;
    for r in d.records() {
        let at = line_of_id(text, r.id().as_str())
            .map_or_else(|| name.to_string(), |l| format!("{name}:{l}"));
        origins.insert((r.kind(), r.id().to_string()), at);
        dataset.push(r);
    }
    Ok(())
}

/// A CSV file of the kind its name says (or `kind`). Every problem in it is reported at once,
/// each with its line.
fn read_csv(
    path: &Path,
    name: &str,
    text: &str,
    kind: Option<RecordKind>,
    dataset: &mut Dataset,
    origins: &mut Origins,
) -> Result<(), CommandError> {
    let kind = kind.or_else(|| danvan_entry::sheet::kind_of_file(path)).ok_or_else(|| {
        CommandError::new(ErrorKind::Data, format!("{name}: which kind of record does it hold?"))
            .with_hint("pass --kind (conference, directive, model, indicator, observation), or name the file after its kind: conferences.csv, directives.csv, models.csv, indicators.csv, observations.csv (or hoi-nghi, van-ban, mo-hinh, chi-tieu, so-lieu)")
    })?;
    let (rows, problems) = match danvan_entry::sheet::read(kind, text) {
        Ok(rows) => (rows, Vec::new()),
        Err(problems) => (Vec::new(), problems),
    };
    add_rows(
        name,
        rows.into_iter()
            .map(|(line, v)| (kind, format!("{name}:{line}"), v))
            .collect(),
        problems.iter().map(|p| format!("{name}:{p}")).collect(),
        dataset,
        origins,
    )
}

/// Records read from a table file, each with where it is, and the problems found reading
/// them: with any problem (here or in turning a row into a record) nothing is added, and
/// every problem is listed.
fn add_rows(
    name: &str,
    rows: Vec<(RecordKind, String, serde_json::Value)>,
    mut problems: Vec<String>,
    dataset: &mut Dataset,
    origins: &mut Origins,
) -> Result<(), CommandError> {
    let mut records = Vec::with_capacity(rows.len());
    for (kind, at, mut value) in rows {
        // A row without an ID (an empty Mã) gets the one its content suggests.
        let missing = danvan_entry::ids::mark_missing_id(&mut value);
        match crate::typed::to_record(kind, value) {
            Ok(record) => records.push((at, record, missing)),
            Err(e) => problems.push(format!("{at}: {}", e.message())),
        }
    }
    problems.extend(
        danvan_entry::ids::make_ids(&mut records)
            .into_iter()
            .map(|same| {
                t!(
                    "import-same-record",
                    first = same.first,
                    second = same.second,
                    record = format!("{} {}", crate::names::kind(same.kind), same.id)
                )
            }),
    );
    if !problems.is_empty() {
        return Err(CommandError::new(
            ErrorKind::Data,
            format!(
                "{}\n  {}",
                t!("import-problems", count = problems.len(), file = name),
                problems.join("\n  ")
            ),
        ));
    }
    for (at, record, _) in records {
        origins.insert((record.kind(), record.id().to_string()), at);
        dataset.push(record);
    }
    Ok(())
}

/// A workbook: each sheet one kind. Every problem in every sheet is reported at once, each
/// with its sheet and cell.
fn read_workbook(
    path: &Path,
    name: &str,
    bytes: Vec<u8>,
    kind: Option<RecordKind>,
    dataset: &mut Dataset,
    origins: &mut Origins,
) -> Result<(), CommandError> {
    let (rows, problems) = match danvan_entry::workbook::read(path, bytes, kind) {
        Ok(rows) => (rows, Vec::new()),
        Err(problems) => (Vec::new(), problems),
    };
    add_rows(
        name,
        rows.into_iter()
            .map(|(kind, at, v)| (kind, format!("{name}: {at}"), v))
            .collect(),
        problems.iter().map(|p| format!("{name}: {p}")).collect(),
        dataset,
        origins,
    )
}

fn read_file(
    path: &Path,
    kind: Option<RecordKind>,
    dataset: &mut Dataset,
    origins: &mut Origins,
    bar: &indicatif::ProgressBar,
) -> Result<(), CommandError> {
    let name = path.display().to_string();
    if path.is_dir() {
        let d = dataset_dir::load(path)
            .map_err(|e| CommandError::new(ErrorKind::Data, e.to_string()))?;
        for r in d.records() {
            origins.insert(
                (r.kind(), r.id().to_string()),
                format!("{name}/{}", dataset_dir::file_name(r.kind())),
            );
            dataset.push(r);
        }
        return Ok(());
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods") {
        let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
        bar.inc(bytes.len() as u64);
        return read_workbook(path, &name, bytes, kind, dataset, origins);
    }
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(path, e))?;
    let ext = ext.as_str();
    if ext != "jsonl" && ext != "ndjson" {
        bar.inc(text.len() as u64);
    }
    match ext {
        "jsonl" | "ndjson" => read_jsonl(&name, &text, dataset, origins, bar)?,
        "json" => read_json(&name, &text, dataset, origins)?,
        "csv" => read_csv(path, &name, &text, kind, dataset, origins)?,
        _ => {
            return Err(CommandError::new(
                ErrorKind::Data,
                format!("{name}: unknown format {ext:?}"),
            )
            .with_hint("import reads .json (an export document or a dataset), .jsonl, .csv, .xlsx (also .xls, .ods), or a dataset directory"));
        }
    }
    Ok(())
}

fn located(p: &Problem, origins: &Origins) -> String {
    let at = origins
        .get(&(p.kind, p.id.to_string()))
        .cloned()
        .unwrap_or_else(|| t!("in-the-store"));
    let sev = if p.is_error() {
        String::new()
    } else {
        format!("{}: ", t!("problem-warning"))
    };
    let field = if p.field.is_empty() {
        String::new()
    } else {
        format!("{}: ", p.field)
    };
    let message = danvan_i18n::phrases(&p.message, crate::lang::lang());
    format!(
        "{at}: {sev}{} {}: {field}{message}",
        crate::names::kind(p.kind),
        p.id
    )
}

pub(crate) fn import(ctx: &Ctx, args: &ImportArgs) -> Result<ExitCode, CommandError> {
    if let Some(path) = &args.template {
        return template(ctx, path, args.kind.unwrap_or(RecordKind::Observation));
    }
    if let Some(format) = args.format {
        let [file] = args.files.as_slice() else {
            return Err(CommandError::new(
                ErrorKind::Data,
                "DHIS2 and ADX figures are imported one file at a time",
            ));
        };
        return crate::exchange::import(
            ctx,
            format.into(),
            args.mapping.as_deref(),
            file,
            args.dry_run,
        );
    }
    let mut dataset = Dataset::default();
    let mut origins = Origins::new();
    let bytes: u64 = args
        .files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let bar = progress(bytes);
    for f in &args.files {
        read_file(f, args.kind, &mut dataset, &mut origins, &bar)?;
    }
    let total = dataset.len();
    let keys: Vec<(RecordKind, danvan_core::id::RecordId, String)> = dataset
        .records()
        .map(|r| {
            (
                r.kind(),
                r.id().clone(),
                crate::names::record_line(r.as_ref()),
            )
        })
        .collect();
    bar.set_message(t!("import-checking", count = total));
    let store = ctx.open()?;
    let report = store.import(
        dataset,
        ImportOptions {
            dry_run: args.dry_run,
            author: ctx.author.clone(),
        },
    );
    bar.finish_and_clear();
    let report = report?;
    if ctx.json {
        print_json(&report)?;
    } else {
        for p in &report.problems {
            eprintln!("{}", located(p, &origins));
        }
        let what = t!(
            "import-what",
            created = report.created,
            updated = report.updated,
            unchanged = report.unchanged
        );
        if report.has_errors() {
            eprintln!(
                "{}",
                t!(
                    "import-refused",
                    errors = report.problems.iter().filter(|p| p.is_error()).count(),
                    count = total
                )
            );
        } else if ctx.quiet {
        } else if args.dry_run {
            print_plan(&keys, &report.planned, &origins);
            println!("{}", t!("import-dry-run", count = total, what = what));
        } else {
            println!(
                "{}",
                t!(
                    "import-done",
                    count = total,
                    what = what,
                    revision = report.revision.to_string()
                )
            );
        }
    }
    Ok(if has_errors(&report.problems) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `danvan import --template FILE.xlsx`: an empty workbook of `kind` to fill.
fn template(ctx: &Ctx, path: &Path, kind: RecordKind) -> Result<ExitCode, CommandError> {
    let bytes = danvan_entry::workbook::template(kind, crate::today())
        .map_err(|e| CommandError::new(ErrorKind::Unreadable, e))?;
    crate::output::write_file(path, &bytes)?;
    if !ctx.quiet {
        println!(
            "{}",
            t!(
                "template-written",
                kinds = crate::names::kinds(kind),
                file = path.display().to_string()
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// How many records a dry run lists one by one.
const PLAN_LINES: usize = 500;

/// A dry run's list: what the import would do to each record, and where the record is.
fn print_plan(
    keys: &[(RecordKind, danvan_core::id::RecordId, String)],
    planned: &[danvan_store::Planned],
    origins: &Origins,
) {
    let actions: HashMap<(RecordKind, &str), danvan_store::Action> = planned
        .iter()
        .map(|p| ((p.kind, p.id.as_str()), p.action))
        .collect();
    let rows: Vec<[String; 5]> = keys
        .iter()
        .take(PLAN_LINES)
        .map(|(kind, id, line)| {
            let what = match actions.get(&(*kind, id.as_str())) {
                Some(danvan_store::Action::Created) => t!("plan-create"),
                Some(danvan_store::Action::Updated) => t!("plan-update"),
                _ => t!("plan-unchanged"),
            };
            let at = origins
                .get(&(*kind, id.to_string()))
                .cloned()
                .unwrap_or_default();
            [
                what,
                crate::names::kind(*kind),
                id.to_string(),
                at,
                line.clone(),
            ]
        })
        .collect();
    print!("{}", crate::output::table(&rows));
    if keys.len() > PLAN_LINES {
        println!("  {}", t!("plan-more", count = keys.len() - PLAN_LINES));
    }
}

/// `danvan export --format dhis2|adx`, handed to [`crate::exchange`]; `None` for the other
/// formats.
fn exchanged(ctx: &Ctx, args: &ExportArgs) -> Option<Result<ExitCode, CommandError>> {
    let format = match args.format {
        ExportFormat::Dhis2 => danvan_exchange::Format::Dhis2,
        ExportFormat::Adx => danvan_exchange::Format::Adx,
        _ => return None,
    };
    let query = if args.filters.is_filtering() {
        match args.filters.query(Some(RecordKind::Observation)) {
            Ok(q) => Some(q),
            Err(e) => return Some(Err(e)),
        }
    } else {
        None
    };
    Some(crate::exchange::export(
        ctx,
        format,
        args.mapping.as_deref(),
        query,
        args.out.as_deref(),
    ))
}

pub(crate) fn export(ctx: &Ctx, args: &ExportArgs) -> Result<ExitCode, CommandError> {
    if let Some(done) = exchanged(ctx, args) {
        return done;
    }
    let store = ctx.open()?;
    let kind = args.only;
    let filtered = kind.is_some() || args.filters.is_filtering();
    let export: Export = if filtered {
        store.export(Some(&args.filters.query(kind)?))?
    } else {
        store.export(None)?
    };
    let mut out: Vec<u8> = Vec::new();
    match args.format {
        ExportFormat::Csv => {
            let kind = kind.ok_or_else(|| {
                CommandError::new(ErrorKind::Data, "a CSV file holds one kind of record")
                    .with_hint("add --only KIND, e.g. --only model")
            })?;
            let values: Vec<serde_json::Value> = export
                .dataset
                .records()
                .filter_map(|r| {
                    serde_json::to_value(&r)
                        .ok()
                        .map(|mut v| v["record"].take())
                })
                .collect();
            out =
                danvan_entry::sheet::write(kind, &values, args.headers == danvan_report::Lang::Vi)
                    .map_err(|e| CommandError::new(ErrorKind::Data, e))?;
        }
        ExportFormat::Xlsx => {
            if args.out.is_none() {
                return Err(CommandError::new(
                    ErrorKind::Data,
                    "a workbook is written to a file, not to the terminal",
                )
                .with_hint("add --out FILE.xlsx"));
            }
            let mut by_kind: Vec<(RecordKind, Vec<serde_json::Value>)> = Vec::new();
            for r in export.dataset.records() {
                let value = serde_json::to_value(&r)
                    .map(|mut v| v["record"].take())
                    .map_err(|e| CommandError::new(ErrorKind::Data, e.to_string()))?;
                match by_kind.last_mut() {
                    Some((k, values)) if *k == r.kind() => values.push(value),
                    _ => by_kind.push((r.kind(), vec![value])),
                }
            }
            out = danvan_entry::workbook::write(&by_kind, args.headers == danvan_report::Lang::Vi)
                .map_err(|e| CommandError::new(ErrorKind::Data, e))?;
        }
        ExportFormat::Jsonl => {
            for (record, revision) in export.lines() {
                let line = danvan_store::ExportLine {
                    record: &record,
                    revision,
                };
                serde_json::to_writer(&mut out, &line)
                    .map_err(|e| CommandError::new(ErrorKind::Data, e.to_string()))?;
                out.push(b'\n');
            }
        }
        ExportFormat::Dhis2 | ExportFormat::Adx => unreachable!("handed to the exchange above"),
        ExportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &export)
                .map_err(|e| CommandError::new(ErrorKind::Data, e.to_string()))?;
            out.push(b'\n');
        }
    }
    match &args.out {
        Some(path) => {
            crate::output::write_file(path, &out)?;
            eprintln!(
                "{}",
                t!(
                    "exported",
                    count = export.dataset.len(),
                    file = path.display().to_string()
                )
            );
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = stdout.write_all(&out);
        }
    }
    Ok(ExitCode::SUCCESS)
}
