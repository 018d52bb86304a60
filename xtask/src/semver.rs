//! `cargo xtask semver`: danvan-core's public API checked against a git revision with
//! cargo-semver-checks, so that a breaking change is a decision written in the CHANGELOG, not
//! an accident.

use anyhow::{Context, Result, bail};

use crate::{cargo, run};

/// The revision compared against when none is given: the commit before this one.
const DEFAULT_BASELINE: &str = "HEAD~1";

pub(crate) fn semver(args: &[String]) -> Result<()> {
    let mut baseline = DEFAULT_BASELINE.to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--baseline" => {
                baseline = it
                    .next()
                    .context("--baseline needs a git revision, e.g. --baseline v0.1.0")?
                    .clone();
            }
            other => bail!("unknown option {other:?}; usage: cargo xtask semver [--baseline REV]"),
        }
    }
    let installed = cargo()
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        eprintln!(
            "xtask semver: cargo-semver-checks is not installed; installing it from crates.io (`cargo install cargo-semver-checks --locked`, a few minutes)"
        );
        run(cargo().args(["install", "cargo-semver-checks", "--locked"]))?;
    }
    run(cargo().args([
        "semver-checks",
        "check-release",
        "-p",
        "danvan-core",
        "--baseline-rev",
        &baseline,
    ]))
}
