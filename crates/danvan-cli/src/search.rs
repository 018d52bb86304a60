//! `danvan search TEXT`: every record, ranked, with the field that matched.

use std::process::ExitCode;

use danvan_core::record_kind::RecordKind;
use danvan_store::{Query, SortKey};

use crate::Ctx;
use crate::error::CommandError;
use crate::output::{print_json, table};

/// Arguments of `danvan search`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// What to find; diacritics, case and tone placement do not matter ("dan van kheo").
    text: String,
    /// Only records of this kind.
    #[arg(long, value_parser = crate::vocabulary::parser::<RecordKind>())]
    kind: Option<RecordKind>,
    /// How many results to show.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=1000))]
    limit: u16,
}

pub(crate) fn run(ctx: &Ctx, args: &Args) -> Result<ExitCode, CommandError> {
    let store = ctx.open()?;
    let page = store.query(&Query {
        kinds: args.kind.into_iter().collect(),
        text: Some(args.text.clone()),
        sort: SortKey::Relevance,
        limit: usize::from(args.limit),
        ..Query::default()
    })?;
    // The built-in indicators are in every store without being stored: searched apart.
    let builtins = if args.kind.is_none_or(|k| k == RecordKind::Indicator) {
        danvan_core::indicator::search_catalogue(&args.text)
    } else {
        Vec::new()
    };
    if ctx.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            #[serde(flatten)]
            page: &'a danvan_store::Page,
            builtin_indicators: &'a [&'static danvan_core::indicator::IndicatorDefinition],
        }
        print_json(&Out {
            page: &page,
            builtin_indicators: &builtins,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} of {} records match {:?}",
        page.items.len(),
        page.total,
        args.text
    );
    let rows: Vec<[String; 3]> = page
        .items
        .iter()
        .map(|h| {
            let r = &h.stored.record;
            let matched = h.matched.as_ref().map_or_else(String::new, |m| {
                let text: String = m.text.chars().take(70).collect();
                let cut = if m.text.chars().count() > 70 {
                    "…"
                } else {
                    ""
                };
                let inferred = m
                    .inferred
                    .as_ref()
                    .map_or_else(String::new, |i| format!(" ({})", i.to_vietnamese()));
                format!("{}: {text}{cut}{inferred}", m.field)
            });
            [r.kind().to_string(), r.id().to_string(), matched]
        })
        .collect();
    print!("{}", table(&rows));
    if !builtins.is_empty() {
        println!("Built-in indicators matching {:?}:", args.text);
        let rows: Vec<[String; 2]> = builtins
            .iter()
            .map(|d| [d.id.to_string(), d.name_vi.to_string()])
            .collect();
        print!("{}", table(&rows));
    }
    Ok(ExitCode::SUCCESS)
}
