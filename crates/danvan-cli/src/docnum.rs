//! `danvan doc-number TEXT`: parse and explain a document number.

use std::process::ExitCode;

use danvan_core::docnum::{DocumentForm, DocumentNumber};
use serde::Serialize;

use crate::Ctx;
use crate::error::{CommandError, ErrorKind};
use crate::output::print_json;

/// Arguments of `danvan doc-number`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The number as written, e.g. "Số: 05 - DA/TU" or "09/2019/ND-CP".
    text: String,
}

#[derive(Serialize)]
struct Explained {
    input: String,
    canonical: String,
    form: DocumentForm,
    number: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    type_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggested_type: Option<danvan_core::docnum::DocumentType>,
    issuer: String,
}

pub(crate) fn run(ctx: &Ctx, args: &Args) -> Result<ExitCode, CommandError> {
    let n = DocumentNumber::parse(&args.text).map_err(|e| {
        CommandError::new(ErrorKind::Data, e.to_string()).with_hint(
            "party numbers look like 04-NQ/TU, state ones like 1666/QĐ-BHXH or 09/2019/NĐ-CP",
        )
    })?;
    let e = Explained {
        input: args.text.clone(),
        canonical: n.to_string(),
        form: n.form(),
        number: n.number(),
        year: n.year(),
        type_code: n.type_code().map(str::to_string),
        suggested_type: n.guess_type(),
        issuer: n.issuer().to_string(),
    };
    if ctx.json {
        print_json(&e)?;
        return Ok(ExitCode::SUCCESS);
    }
    let form = match e.form {
        DocumentForm::Party => {
            "party document (NUMBER-TYPE/ISSUER), numbered within a committee term"
        }
        DocumentForm::StateAdministrative => {
            "state administrative document (NUMBER/TYPE-ISSUER), numbered within a year"
        }
        DocumentForm::StateLegal => "state legal document (NUMBER/YEAR/TYPE-ISSUER)",
    };
    println!("canonical: {}", e.canonical);
    println!("form:      {form}");
    println!("number:    {}", e.number);
    if let Some(y) = e.year {
        println!("year:      {y}");
    }
    match (&e.type_code, e.suggested_type) {
        (Some(code), Some(t)) => println!("type:      {code} ({}, {})", t.name_vi(), t.name_en()),
        (Some(code), None) => println!(
            "type:      {code} (ambiguous or unknown: store the document's type on its own)"
        ),
        (None, Some(t)) => println!("type:      none written ({}, {})", t.name_vi(), t.name_en()),
        (None, None) => println!("type:      none written"),
    }
    println!("issuer:    {}", e.issuer);
    Ok(ExitCode::SUCCESS)
}
