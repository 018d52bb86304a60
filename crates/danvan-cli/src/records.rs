//! `danvan <kind> add|show|list|update|delete`: the records of one kind.
//!
//! Records are edited as their JSON form (`docs/schema/`): `add --from FILE` reads a whole
//! record, and `--set field=value` sets one field by its path (`title=…`, `format.mode=online`,
//! `kinds=["thematic"]`); a value that parses as JSON is taken as JSON, anything else as text.
//! Every write names the revision it read, so a change made meanwhile by someone else is
//! reported as a conflict (exit 3) instead of being overwritten.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use danvan_core::conference::ConferenceKind;
use danvan_core::dataset::{AnyRecord, RecordRef};
use danvan_core::id::RecordId;
use danvan_core::model::ModelField;
use danvan_core::period::{Period, Window};
use danvan_core::record_kind::RecordKind;
use danvan_store::{
    Expected, PeriodFilter, PeriodMatch, ProvinceFilter, ProvinceMap, Query, SortKey, Store,
};
use serde_json::Value;

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};
use crate::form::{Changes, Form, KindForm};
use crate::lang::t;
use crate::output::{print_json, table};
use danvan_core::text::search_key;

/// What to do with records of one kind (`K` says which, and so which typed flags there are).
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Action<K: KindForm> {
    /// Add a record field by field (typed flags, in Vietnamese forms too), and/or from a JSON
    /// file.
    Add(Form<K>),
    /// Enter a record on a terminal, guided: each field asked in turn (choices listed, checked
    /// as you go, Vietnamese accepted), then shown and saved when you say so.
    New,
    /// Show one record and its revision.
    Show {
        /// The record's ID.
        id: RecordId,
    },
    /// List records, filtered and sorted.
    List(ListArgs),
    /// Edit a record's JSON in $VISUAL or $EDITOR; it is checked before saving, and reopened
    /// with the errors shown until it is right or left unchanged.
    Edit {
        /// The record's ID.
        id: RecordId,
    },
    /// Change fields of a record: typed flags and --set replace a field (a repeated list flag
    /// the whole list); --add and --remove change one item of a list.
    Update {
        /// The record's ID.
        id: RecordId,
        #[command(flatten)]
        form: Changes<K>,
        /// Only if the record is still at this revision (as `show` printed it).
        #[arg(long, value_name = "N")]
        if_revision: Option<u64>,
    },
    /// Every revision of a record: who changed it, when, why, and each field old → new.
    History {
        /// The record's ID.
        id: RecordId,
    },
    /// Delete a record.
    Delete {
        /// The record's ID.
        id: RecordId,
        /// Also detach the records that refer to it (deleting observations of an indicator).
        #[arg(long)]
        cascade: bool,
        /// Only if the record is still at this revision (as `show` printed it).
        #[arg(long, value_name = "N")]
        if_revision: Option<u64>,
    },
}

/// What to do with directives: what every kind has, and marking a review held.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum DirectiveAction {
    #[command(flatten)]
    Common(Action<crate::form::DirectiveForm>),
    /// Mark a review (sơ kết, tổng kết) held, without rewriting the directive: `review-held
    /// tn-31-kh-2023 "sơ kết giữa kỳ" --on 26/5/2024 --by "Ban Thường vụ Tỉnh ủy"`.
    ReviewHeld {
        /// The directive's ID.
        id: RecordId,
        /// The review: its label ("sơ kết 3 năm"), the year or period it is due ("2024"), or
        /// its place in the list (1, 2, …).
        review: String,
        /// When it was held: a day (26/5/2024), or the month, quarter, half-year or year.
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// The body that held it.
        #[arg(long, value_name = "BODY")]
        by: Option<String>,
        /// The conference that held it, by ID (its date is the review's).
        #[arg(long, value_name = "ID")]
        conference: Option<RecordId>,
        /// The document that records it: "Báo cáo số 115-BC/TU ngày 30/5/2024".
        #[arg(long, value_name = "CITATION")]
        evidence: Option<String>,
        /// Where it was published (an address).
        #[arg(long, value_name = "URL")]
        source: Option<String>,
        /// The source says the review was held and gives no date.
        #[arg(long)]
        date_unknown: bool,
        /// What the review found (repeat for each): "đã có 95% chi bộ xây dựng kế hoạch".
        #[arg(long = "finding", value_name = "TEXT")]
        findings: Vec<String>,
        /// Only if the directive is still at this revision (as `show` printed it).
        #[arg(long, value_name = "N")]
        if_revision: Option<u64>,
    },
}

pub(crate) fn run_directive(ctx: &Ctx, action: &DirectiveAction) -> Result<ExitCode, CommandError> {
    match action {
        DirectiveAction::Common(action) => run(ctx, action),
        DirectiveAction::ReviewHeld {
            id,
            review,
            on,
            by,
            conference,
            evidence,
            source,
            date_unknown,
            findings,
            if_revision,
        } => {
            let held = danvan_entry::Held {
                on: on.as_deref(),
                by: by.as_deref(),
                conference: conference.as_ref(),
                evidence: evidence.as_deref(),
                source: source.as_deref(),
                date_unknown: *date_unknown,
                findings: findings.iter().map(String::as_str).collect(),
            };
            review_held(ctx, id, review, &held, *if_revision)
        }
    }
}

/// The index of the milestone `review` names in `milestones`: by label, by the year or period
/// it is due, or by its place (1-based).
fn find_review(milestones: &[Value], review: &str) -> Result<usize, String> {
    let key = search_key(review);
    // A review without a label is named by its kind.
    let label = |m: &Value| {
        let kind = match m.get("kind").and_then(Value::as_str) {
            Some("mid_term") => "sơ kết",
            Some("final") => "tổng kết",
            _ => "",
        };
        Some(search_key(
            m.get("label").and_then(Value::as_str).unwrap_or(kind),
        ))
    };
    let due = |m: &Value| m.get("due").and_then(Value::as_str).map(str::to_string);
    let by_label: Vec<usize> = (0..milestones.len())
        .filter(|i| label(&milestones[*i]).as_deref() == Some(key.as_str()))
        .collect();
    let by_due: Vec<usize> = (0..milestones.len())
        .filter(|i| due(&milestones[*i]).as_deref() == Some(review.trim()))
        .collect();
    let by_place = review
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=milestones.len()).contains(n) && review.trim().len() <= 2)
        .map(|n| vec![n - 1])
        .unwrap_or_default();
    for found in [by_label, by_due, by_place] {
        match found.as_slice() {
            [one] => return Ok(*one),
            [] => {}
            _ => {
                return Err(format!(
                    "{review:?} names more than one review; give its place (1, 2, …)"
                ));
            }
        }
    }
    let listed: Vec<String> = milestones
        .iter()
        .enumerate()
        .map(|(i, m)| {
            format!(
                "{}. {} (due {})",
                i + 1,
                m.get("label")
                    .and_then(Value::as_str)
                    .unwrap_or("(no label)"),
                due(m).unwrap_or_default()
            )
        })
        .collect();
    Err(if listed.is_empty() {
        "the directive lists no reviews; add one with `update ID --review \"sơ kết 3 năm: 2024\"`"
            .into()
    } else {
        format!(
            "no review {review:?}; the reviews are: {}",
            listed.join("; ")
        )
    })
}

fn review_held(
    ctx: &Ctx,
    id: &RecordId,
    review: &str,
    held: &danvan_entry::Held<'_>,
    if_revision: Option<u64>,
) -> Result<ExitCode, CommandError> {
    let kind = RecordKind::Directive;
    let held = held
        .to_json()
        .map_err(|problems| given_problems(kind, "review-held", &problems))?;
    let store = ctx.open()?;
    let stored = store.get(kind, id)?.ok_or_else(|| not_found(kind, id))?;
    let mut value = record_value(&stored.record)?;
    let milestones = value
        .get_mut("milestones")
        .and_then(Value::as_array_mut)
        .map(std::mem::take)
        .unwrap_or_default();
    let at = find_review(&milestones, review)
        .map_err(|m| CommandError::new(ErrorKind::Data, format!("directive {id}: {m}")))?;
    let mut milestones = milestones;
    milestones[at]["held"] = held;
    value["milestones"] = Value::Array(milestones);
    save_over(
        ctx,
        store.as_ref(),
        kind,
        value,
        if_revision.unwrap_or(stored.revision),
    )
}

/// A stored record's own JSON (without the `kind` tag), to change field by field.
fn record_value(record: &AnyRecord) -> Result<Value, CommandError> {
    record
        .to_json()
        .map_err(|e| CommandError::new(ErrorKind::Data, e.to_string()))
}

/// Saves `value` as the record it changes, only if that is still at `revision`.
fn save_over(
    ctx: &Ctx,
    store: &dyn Store,
    kind: RecordKind,
    value: Value,
    revision: u64,
) -> Result<ExitCode, CommandError> {
    let record = crate::typed::to_record(kind, value)?;
    let receipt = store.put_by(record, Expected::Revision(revision), &ctx.author)?;
    report_write(ctx, &receipt, "Updated")
}

/// Filters and ordering of `list`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ListArgs {
    /// A province (slug or name), on today's map unless --as-recorded.
    #[arg(long)]
    province: Option<String>,
    /// Count a record only for the province it names, not its 2025 successor.
    #[arg(long)]
    as_recorded: bool,
    /// A period: 2024, 2024S1, 2024Q2, 202406, 2021-2025 or a phrase ("6 tháng đầu năm 2024").
    #[arg(long)]
    period: Option<String>,
    /// With --period: records that overlap it, not only those within it.
    #[arg(long)]
    overlapping: bool,
    /// Conferences that reviewed this period or a part of it, whatever their own date
    /// (2024, 2024S1, "6 tháng đầu năm 2024").
    #[arg(long, value_name = "PERIOD")]
    reviewed_period: Option<String>,
    /// Records dated on or after this day (22/6/2023, "ngày 22 tháng 6 năm 2023", 2023-06-22).
    #[arg(long, value_name = "DATE", value_parser = crate::form::date_arg)]
    since: Option<NaiveDate>,
    /// Records dated on or before this day.
    #[arg(long, value_name = "DATE", value_parser = crate::form::date_arg)]
    until: Option<NaiveDate>,
    /// Conferences of this kind: six_month_review ("sơ kết 6 tháng"), annual_review, directive_review,
    /// thematic, workshop ("hội thảo"), dialogue, training.
    #[arg(long, value_name = "KIND", value_parser = crate::form::conference_kind_arg)]
    kind: Option<ConferenceKind>,
    /// Models of this field: economy ("kinh tế"), culture_society, defence_security,
    /// political_system, other.
    #[arg(long, value_parser = crate::form::model_field_arg)]
    field: Option<ModelField>,
    /// Observations of this indicator.
    #[arg(long)]
    indicator: Option<RecordId>,
    /// Text that must occur (diacritic-insensitive).
    #[arg(long, required_if_eq("sort", "relevance"))]
    text: Option<String>,
    /// Order by date, id, title (Vietnamese order), revision, or relevance (with --text).
    #[arg(long, default_value = "date", value_parser = crate::vocabulary::parser::<SortKey>())]
    sort: SortKey,
    /// Reverse the order.
    #[arg(long)]
    desc: bool,
    /// How many to show.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u16).range(1..=1000))]
    limit: u16,
    /// Continue after a previous page (the `next` value it printed).
    #[arg(long)]
    cursor: Option<String>,
}

impl ListArgs {
    /// Whether any filter is set (ordering and paging are not filters).
    pub(crate) fn is_filtering(&self) -> bool {
        self.province.is_some()
            || self.period.is_some()
            || self.reviewed_period.is_some()
            || self.since.is_some()
            || self.until.is_some()
            || self.kind.is_some()
            || self.field.is_some()
            || self.indicator.is_some()
            || self.text.is_some()
    }

    /// The store query these arguments describe, for `kind`.
    pub(crate) fn query(&self, kind: Option<RecordKind>) -> Result<Query, CommandError> {
        let bad = |m: String| CommandError::new(ErrorKind::Data, m);
        let period = match &self.period {
            Some(p) => Some(PeriodFilter {
                period: Period::parse(p, None).map_err(|e| bad(e.to_string()))?,
                matching: if self.overlapping {
                    PeriodMatch::Overlaps
                } else {
                    PeriodMatch::Within
                },
                window: Window::Calendar,
            }),
            None => None,
        };
        Ok(Query {
            kinds: kind.into_iter().collect(),
            province: self.province.as_ref().map(|p| ProvinceFilter {
                province: p.clone(),
                map: if self.as_recorded {
                    ProvinceMap::AsRecorded
                } else {
                    ProvinceMap::Current
                },
            }),
            period,
            since: self.since,
            until: self.until,
            conference_kind: self.kind,
            model_field: self.field,
            indicator: self.indicator.clone(),
            reviewed_period: self
                .reviewed_period
                .as_deref()
                .map(|p| Period::parse(p, None).map_err(|e| bad(format!("--reviewed-period: {e}"))))
                .transpose()?,
            text: self.text.clone(),
            sort: self.sort,
            descending: self.desc,
            limit: usize::from(self.limit),
            cursor: self.cursor.clone(),
            ..Query::default()
        })
    }
}

pub(crate) fn run<K: KindForm>(ctx: &Ctx, action: &Action<K>) -> Result<ExitCode, CommandError> {
    let kind = K::KIND;
    match action {
        Action::Add(form) => add(ctx, form),
        Action::New => crate::guide::new::<K>(ctx),
        Action::Show { id } => show(ctx, kind, id),
        Action::History { id } => crate::changes::history(ctx, kind, id),
        Action::List(args) => list(ctx, kind, args),
        Action::Edit { id } => edit(ctx, kind, id),
        Action::Update {
            id,
            form,
            if_revision,
        } => update(ctx, id, &form.0, *if_revision),
        Action::Delete {
            id,
            cascade,
            if_revision,
        } => delete(ctx, kind, id, *cascade, *if_revision),
    }
}

fn not_found(kind: RecordKind, id: &RecordId) -> CommandError {
    CommandError::new(
        ErrorKind::Data,
        t!(
            "store-not-found",
            kind = crate::names::kind(kind),
            id = id.as_str()
        ),
    )
    .with_hint(t!("hint-list-ids", kind = kind.as_str()))
}

/// Reads a JSON document from a file or standard input.
fn read_json(path: &PathBuf) -> Result<Value, CommandError> {
    let (name, text) = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| {
            CommandError::new(ErrorKind::Unreadable, format!("standard input: {e}"))
        })?;
        ("<stdin>".to_string(), s)
    } else {
        let s = std::fs::read_to_string(path).map_err(|e| {
            CommandError::new(ErrorKind::Unreadable, format!("{}: {e}", path.display()))
        })?;
        (path.display().to_string(), s)
    };
    serde_json::from_str(&text).map_err(|e| {
        let msg = danvan_store::json_message(&e);
        CommandError::new(
            ErrorKind::Data,
            format!("{name}:{}:{}: {msg}", e.line(), e.column()),
        )
    })
}

fn report_write(
    ctx: &Ctx,
    receipt: &danvan_store::Receipt,
    verb: &str,
) -> Result<ExitCode, CommandError> {
    if ctx.json {
        print_json(receipt)?;
    } else if !ctx.quiet {
        for c in &receipt.changes {
            println!(
                "{}",
                t!(
                    verb_for(c.action, verb),
                    record = format!("{} {}", crate::names::kind(c.kind), c.id),
                    revision = receipt.revision.to_string()
                )
            );
        }
        if receipt.changes.is_empty() {
            println!(
                "{}",
                t!("wrote-nothing", revision = receipt.revision.to_string())
            );
        }
        for w in &receipt.warnings {
            println!("  {w}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The catalogue's message for what a write did to one record.
fn verb_for(action: danvan_store::Action, default: &str) -> &'static str {
    match action {
        danvan_store::Action::Created => "wrote-added",
        danvan_store::Action::Updated if default == "Deleted" => "wrote-detached",
        danvan_store::Action::Updated => "wrote-updated",
        danvan_store::Action::Deleted => "wrote-deleted",
    }
}

/// Every problem with what a command was given, at once.
fn given_problems(
    kind: RecordKind,
    action: &str,
    problems: &[crate::form::Problem],
) -> CommandError {
    let lang = crate::lang::lang();
    let listed: Vec<String> = problems
        .iter()
        .map(|p| format!("  {}", danvan_i18n::phrases(&p.to_string(), lang)))
        .collect();
    CommandError::new(
        ErrorKind::Data,
        format!(
            "{}\n{}",
            t!("given-problems", count = problems.len()),
            listed.join("\n")
        ),
    )
    .with_hint(t!(
        "hint-action-help",
        kind = kind.as_str(),
        action = action
    ))
}

fn add<K: KindForm>(ctx: &Ctx, form: &Form<K>) -> Result<ExitCode, CommandError> {
    let kind = K::KIND;
    if form.is_empty() {
        return Err(CommandError::new(ErrorKind::Data, t!("nothing-to-add"))
            .with_hint(t!("hint-nothing-to-add", kind = kind.as_str())));
    }
    let mut value = match &form.from {
        Some(path) => read_json(path)?,
        None => Value::Object(Default::default()),
    };
    let mut problems = form.apply(&mut value);
    // The ID is made when none is given.
    problems.extend(
        crate::form::missing_required(kind, &value)
            .into_iter()
            .filter(|p| p.flag != "--id"),
    );
    if !problems.is_empty() {
        return Err(given_problems(kind, "add", &problems));
    }
    let store = ctx.open()?;
    let record = crate::typed::new_record(store.as_ref(), kind, value)?;
    let cited = form
        .special
        .iter()
        .find(|(flag, _)| *flag == "number")
        .map(|(_, text)| text.as_str());
    let id = record.id().clone();
    let receipt = match danvan_store::put_citing(store.as_ref(), record, cited, &ctx.author) {
        Err(danvan_store::StoreError::RecordExists { revision, .. }) => {
            return Err(CommandError::new(
                ErrorKind::Data,
                t!(
                    "record-exists-nothing-written",
                    record = format!("{} {id}", crate::names::kind(kind)),
                    revision = revision.to_string()
                ),
            )
            .with_hint(t!(
                "hint-record-exists",
                kind = kind.as_str(),
                id = id.as_str()
            )));
        }
        other => other?,
    };
    report_write(ctx, &receipt, "Added")
}

fn show(ctx: &Ctx, kind: RecordKind, id: &RecordId) -> Result<ExitCode, CommandError> {
    let store = ctx.open()?;
    // A built-in indicator is shown at revision 0 (a store cannot hold one with its ID).
    let (stored, builtin) = match store.get(kind, id)? {
        Some(stored) => (stored, false),
        None => match danvan_core::indicator::builtin(id.as_str()) {
            Some(d) if kind == RecordKind::Indicator => (
                danvan_store::Stored {
                    revision: 0,
                    record: AnyRecord::Indicator(d.clone()),
                },
                true,
            ),
            _ => return Err(not_found(kind, id)),
        },
    };
    if ctx.json {
        print_json(&stored)?;
    } else {
        if builtin {
            println!(
                "{}",
                t!(
                    "show-builtin",
                    record = format!("{} {id}", crate::names::kind(kind))
                )
            );
        } else {
            println!(
                "{}",
                t!(
                    "show-revision",
                    record = format!("{} {id}", crate::names::kind(kind)),
                    revision = stored.revision.to_string()
                )
            );
        }
        let value = record_value(&stored.record)?;
        let mut fields = danvan_web::card(kind, &value, crate::lang::lang());
        if let Some(reviews) = milestones(&value) {
            fields.push((t!("reviews"), reviews));
        }
        print!("{}", card(&fields));
    }
    Ok(ExitCode::SUCCESS)
}

/// A directive's reviews, one a line: "sơ kết 10 năm — năm 2023 — Thái Nguyên — đã tổ chức
/// 26/05/2023 (Ban Thường vụ Tỉnh ủy Thái Nguyên)"; `None` for a record without any.
fn milestones(record: &Value) -> Option<String> {
    let lines: Vec<String> = record["milestones"]
        .as_array()?
        .iter()
        .map(|m| {
            let mut parts = vec![m["label"].as_str().unwrap_or_default().to_string()];
            if let Some(due) = m["due"].as_str() {
                parts.push(Period::parse(due, None).map_or_else(
                    |_| due.to_string(),
                    |p| t!("review-due", period = crate::names::period(&p)),
                ));
            }
            if let Some(p) = m["province"].as_str() {
                parts.push(crate::names::province(p));
            }
            let held = &m["held"];
            parts.push(match held["on"].as_str().map(|d| d.parse::<NaiveDate>()) {
                Some(Ok(on)) => t!(
                    "review-held-on",
                    on = crate::names::day(on),
                    by = held["by"].as_str().unwrap_or_default()
                ),
                _ if held.is_object() => t!("review-held"),
                _ => t!("review-not-held"),
            });
            parts.join(" — ")
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The names of the indicators `items` are figures or targets of — a built-in one's, else the
/// store's definition's (each looked up once), else its code — and whether each is measured as
/// a percentage.
fn indicator_names(
    store: &dyn Store,
    items: &[danvan_store::Hit],
) -> Result<std::collections::HashMap<String, (String, bool)>, CommandError> {
    let mut names = std::collections::HashMap::new();
    for h in items {
        let code = match &h.stored.record {
            AnyRecord::Observation(o) => &o.indicator,
            AnyRecord::Target(t) => &t.indicator,
            _ => continue,
        };
        let id = code.as_str();
        if names.contains_key(id) {
            continue;
        }
        use danvan_core::indicator::Measure;
        let percent = |m: Measure| matches!(m, Measure::Ratio | Measure::Percent);
        let named = if let Some(d) = danvan_core::indicator::builtin(id) {
            (crate::names::indicator(id), percent(d.measure))
        } else {
            match store.get(RecordKind::Indicator, code)?.map(|s| s.record) {
                Some(AnyRecord::Indicator(d)) => {
                    let name = match crate::lang::lang() {
                        crate::lang::Lang::Vi => d.name_vi.to_string(),
                        crate::lang::Lang::En => d.name_en.to_string(),
                    };
                    (name, percent(d.measure))
                }
                _ => (id.to_string(), false),
            }
        };
        names.insert(id.to_string(), named);
    }
    Ok(names)
}

/// A record's line in a list: its ID, day or period, province and title (a figure or a
/// target by its indicator's name in `indicators` and its value).
fn list_row(
    h: &danvan_store::Hit,
    indicators: &std::collections::HashMap<String, (String, bool)>,
) -> [String; 4] {
    let r = h.stored.record.as_ref();
    if let RecordRef::Indicator(d) = r {
        // An indicator has a unit, not a day or a province.
        return [
            d.id.to_string(),
            String::new(),
            d.unit.to_string(),
            d.name_vi.to_string(),
        ];
    }
    let mut date = match &h.stored.record {
        // A model has a start year, not a day.
        AnyRecord::Model(m) => m.start_year.map_or_else(String::new, |y| y.to_string()),
        _ => r.date().map_or_else(String::new, crate::names::day),
    };
    if r.date_inferred() {
        date.push_str(&format!(" ({})", t!("inferred-mark")));
    }
    // No province: a central document or conference, or a national figure.
    let province = r.province().map_or_else(
        || match r {
            RecordRef::Observation(_) | RecordRef::Target(_) => t!("nationwide"),
            _ => t!("central"),
        },
        |p| crate::names::province(p.as_str()),
    );
    // A figure or a target is of a period, and what matters is its value: "Tên chỉ tiêu: 95".
    let named = |code: &danvan_core::id::RecordId| -> (String, bool) {
        indicators
            .get(code.as_str())
            .map_or((code.to_string(), false), |(n, p)| (n.clone(), *p))
    };
    let of_period = |code: &danvan_core::id::RecordId, period, value: String| {
        (
            crate::names::period(period),
            format!("{}: {value}", named(code).0),
        )
    };
    let (date, title) = match r {
        RecordRef::Observation(o) => of_period(&o.indicator, &o.period, o.figure_vietnamese()),
        // A target as offices write it: "95%" for a percentage.
        RecordRef::Target(t) => of_period(
            &t.indicator,
            &t.period,
            danvan_i18n::names::figure(crate::lang::lang(), t.value, named(&t.indicator).1),
        ),
        _ => (date, r.title()),
    };
    [r.id().to_string(), date, province, title]
}

/// A record's card: each label, then its value (a value of several lines under the first),
/// control characters escaped.
fn card(fields: &[(String, String)]) -> String {
    let width = fields
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (label, value) in fields {
        let mut lines = value.lines().map(crate::output::escape_controls);
        let pad = width - label.chars().count();
        out.push_str(&format!(
            "  {label}{}  {}\n",
            " ".repeat(pad),
            lines.next().unwrap_or_default()
        ));
        for line in lines {
            out.push_str(&format!("  {}  {line}\n", " ".repeat(width)));
        }
    }
    out
}

/// The built-in indicators a list of indicators shows after the stored ones: those its text
/// matches (all without one). None on a later page, or when a filter only stored records can
/// meet is set.
fn builtin_indicators(
    store: &dyn Store,
    args: &ListArgs,
) -> Result<Vec<&'static danvan_core::indicator::IndicatorDefinition>, CommandError> {
    let only_text = ListArgs {
        text: None,
        ..args.clone()
    };
    if args.cursor.is_some() || only_text.is_filtering() {
        return Ok(Vec::new());
    }
    let candidates = match &args.text {
        Some(t) => danvan_core::indicator::search_catalogue(t),
        None => danvan_core::indicator::catalogue().iter().collect(),
    };
    // Stores written before built-in IDs were reserved may still hold one: it is listed as
    // stored.
    let mut out = Vec::new();
    for d in candidates {
        if store.get(RecordKind::Indicator, &d.id)?.is_none() {
            out.push(d);
        }
    }
    Ok(out)
}

fn list(ctx: &Ctx, kind: RecordKind, args: &ListArgs) -> Result<ExitCode, CommandError> {
    let store = ctx.open()?;
    let mut page = store.query(&args.query(Some(kind))?)?;
    let builtins = match kind {
        RecordKind::Indicator => builtin_indicators(store.as_ref(), args)?,
        _ => Vec::new(),
    };
    if ctx.json {
        // Built-in indicators follow the stored ones, at revision 0 (as the API serves them).
        page.total += builtins.len();
        page.items
            .extend(builtins.iter().map(|d| danvan_store::Hit {
                stored: danvan_store::Stored {
                    revision: 0,
                    record: AnyRecord::Indicator((*d).clone()),
                },
                matched: None,
            }));
        print_json(&page)?;
        return Ok(ExitCode::SUCCESS);
    }
    if builtins.is_empty() {
        println!(
            "{}",
            t!(
                "list-count",
                shown = page.items.len(),
                total = page.total,
                kinds = crate::names::kinds(kind)
            )
        );
    } else {
        println!(
            "{}",
            t!(
                "list-count-builtin",
                shown = page.items.len(),
                total = page.total,
                kinds = crate::names::kinds(kind),
                builtin = builtins.len()
            )
        );
    }
    let indicators = indicator_names(store.as_ref(), &page.items)?;
    let mut rows: Vec<[String; 4]> = page
        .items
        .iter()
        .map(|h| list_row(h, &indicators))
        .collect();
    rows.extend(builtins.iter().map(|d| {
        [
            d.id.to_string(),
            t!("built-in"),
            d.unit.to_string(),
            d.name_vi.to_string(),
        ]
    }));
    print!("{}", table(&rows));
    if let Some(next) = &page.next {
        println!("{}", t!("list-more", cursor = next.as_str()));
    }
    Ok(ExitCode::SUCCESS)
}

fn update<K: KindForm>(
    ctx: &Ctx,
    id: &RecordId,
    form: &Form<K>,
    if_revision: Option<u64>,
) -> Result<ExitCode, CommandError> {
    let kind = K::KIND;
    if form.is_empty() {
        return Err(CommandError::new(ErrorKind::Data, "nothing to change").with_hint(format!(
            "give fields as flags, --set FIELD=VALUE, --add FIELD=VALUE or --remove FIELD=VALUE (`danvan {kind} update --help`)"
        )));
    }
    let store = ctx.open()?;
    let stored = store.get(kind, id)?.ok_or_else(|| not_found(kind, id))?;
    let mut value = match &form.from {
        Some(path) => read_json(path)?,
        None => record_value(&stored.record)?,
    };
    let problems = form.apply(&mut value);
    if !problems.is_empty() {
        return Err(given_problems(kind, "update", &problems));
    }
    if value.get("id").and_then(Value::as_str) != Some(id.as_str()) {
        return Err(CommandError::new(
            ErrorKind::Data,
            "the ID cannot be changed: add a new record and delete this one",
        ));
    }
    save_over(
        ctx,
        store.as_ref(),
        kind,
        value,
        if_revision.unwrap_or(stored.revision),
    )
}

fn delete(
    ctx: &Ctx,
    kind: RecordKind,
    id: &RecordId,
    cascade: bool,
    if_revision: Option<u64>,
) -> Result<ExitCode, CommandError> {
    let store = ctx.open()?;
    let stored = store.get(kind, id)?.ok_or_else(|| not_found(kind, id))?;
    let expected = Expected::Revision(if_revision.unwrap_or(stored.revision));
    let receipt = store.delete_by(kind, id, expected, cascade, &ctx.author)?;
    report_write(ctx, &receipt, "Deleted")
}

/// The editor to run: $VISUAL, then $EDITOR, then vi.
fn editor() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "vi".to_string())
}

/// Lines starting with `//` are notes from danvan (the errors of the last try), not JSON.
fn strip_notes(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes `notes` (as `//` lines) and `shown` to `path`, runs the user's editor on it and reads
/// back what was saved, without the notes.
fn edit_once(path: &Path, notes: &[String], shown: &str) -> Result<String, CommandError> {
    let mut text = String::new();
    for n in notes {
        text.push_str(&format!("// {n}\n"));
    }
    if !notes.is_empty() {
        text.push_str("// Fix the record below and save, or leave it unchanged to give up.\n");
    }
    text.push_str(shown);
    text.push('\n');
    let unreadable = |e: std::io::Error| {
        CommandError::new(ErrorKind::Unreadable, format!("{}: {e}", path.display()))
    };
    std::fs::write(path, &text).map_err(unreadable)?;
    // Run through the shell, as git does, so EDITOR may carry arguments ("code --wait").
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{} \"$1\"", editor()))
        .arg("sh")
        .arg(path)
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => {
            return Err(CommandError::new(
                ErrorKind::Data,
                format!("the editor exited with {s}; nothing was saved"),
            ));
        }
        Err(e) => {
            return Err(CommandError::new(
                ErrorKind::Data,
                format!("could not start the editor {:?}: {e}", editor()),
            )
            .with_hint("set VISUAL or EDITOR to your editor's command"));
        }
    }
    std::fs::read_to_string(path)
        .map(|t| strip_notes(&t))
        .map_err(unreadable)
}

fn edit(ctx: &Ctx, kind: RecordKind, id: &RecordId) -> Result<ExitCode, CommandError> {
    let store = ctx.open()?;
    let stored = store.get(kind, id)?.ok_or_else(|| not_found(kind, id))?;
    let path = std::env::temp_dir().join(format!("danvan-{kind}-{id}-{}.json", std::process::id()));
    let original = crate::output::record_json(&stored.record);
    let mut shown = original.clone();
    let mut notes: Vec<String> = Vec::new();
    let result = loop {
        let edited = match edit_once(&path, &notes, &shown) {
            Ok(edited) => edited,
            Err(e) => break Err(e),
        };
        if edited.trim() == shown.trim() {
            break if notes.is_empty() {
                if !ctx.quiet {
                    println!(
                        "No change: {kind} {id} stays at revision {}",
                        stored.revision
                    );
                }
                Ok(ExitCode::SUCCESS)
            } else {
                Err(CommandError::new(
                    ErrorKind::Data,
                    format!(
                        "{kind} {id} was not changed: the errors were left unfixed, nothing was saved"
                    ),
                ))
            };
        }
        shown = edited.clone();
        let attempt = serde_json::from_str::<Value>(&edited)
            .map_err(|e| format!("line {}: {}", e.line(), e))
            .and_then(|v| {
                if v.get("id").and_then(Value::as_str) != Some(id.as_str()) {
                    return Err("the ID cannot be changed".to_string());
                }
                crate::typed::to_record(kind, v).map_err(|e| e.message().to_string())
            });
        let record = match attempt {
            Ok(r) => r,
            Err(msg) => {
                notes = vec![format!("error: {msg}")];
                continue;
            }
        };
        match store.put_by(record, Expected::Revision(stored.revision), &ctx.author) {
            Ok(receipt) => break report_write(ctx, &receipt, "Updated"),
            Err(danvan_store::StoreError::Invalid { problems }) => {
                notes = problems
                    .iter()
                    .filter(|p| p.is_error())
                    .map(ToString::to_string)
                    .collect();
            }
            Err(e) => break Err(e.into()),
        }
    };
    let _ = std::fs::remove_file(&path);
    result
}
