//! `cargo xtask fuzz`: runs each parser's cargo-fuzz target for a bounded time.
//!
//! cargo-fuzz needs the `cargo fuzz` subcommand and compiler options that only nightly rustc
//! accepts. This task says what it needs instead of installing it silently: pass `--install`
//! to let it run `cargo install cargo-fuzz`. It uses a `nightly` toolchain when rustup has one,
//! and otherwise the installed toolchain with `RUSTC_BOOTSTRAP=1`.

use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{root, run};

/// The fuzz targets under `fuzz/fuzz_targets/`, one per parser.
pub(crate) const TARGETS: &[&str] = &[
    "document_number",
    "period",
    "number",
    "date",
    "stated_percentage",
    "citation",
    "record_json",
];

pub(crate) fn fuzz(args: &[String]) -> Result<()> {
    let mut seconds: u64 = 30;
    let mut install = false;
    let mut targets = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => {
                seconds = it
                    .next()
                    .context("--seconds needs a value")?
                    .parse()
                    .context("--seconds takes a whole number")?;
            }
            "--install" => install = true,
            t if TARGETS.contains(&t) => targets.push(t.to_string()),
            other => bail!("unknown fuzz target or option {other:?}; targets: {TARGETS:?}"),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.iter().map(ToString::to_string).collect();
    }
    let has_fuzz = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_fuzz {
        if install {
            run(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))?;
        } else {
            bail!(
                "cargo-fuzz is not installed. It is needed to build the fuzz targets; install it with \
                 `cargo install cargo-fuzz --locked` or rerun with `cargo xtask fuzz --install`"
            );
        }
    }
    let nightly = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.starts_with("nightly"))
        });
    for target in &targets {
        let mut cmd = Command::new("cargo");
        if nightly {
            cmd.arg("+nightly");
        } else {
            // cargo-fuzz passes -Z flags; a stable compiler accepts them only with this set.
            cmd.env("RUSTC_BOOTSTRAP", "1");
        }
        cmd.current_dir(root())
            .args(["fuzz", "run", "--fuzz-dir", "fuzz", target, "--"])
            .arg(format!("-max_total_time={seconds}"))
            .arg("-rss_limit_mb=2048");
        run(&mut cmd)?;
    }
    eprintln!(
        "fuzz: {} targets ran {seconds}s each without a failure",
        targets.len()
    );
    Ok(())
}
