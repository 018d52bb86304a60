//! `cargo xtask render-report`: renders the HTML report of the demo store in headless Chromium
//! to a PNG (the first page, as a person would see it) and a PDF (printed on A4), so that the
//! layout can be looked at without a browser at hand.
//!
//! It needs Chromium and says so rather than installing it: on Debian, `apt-get install
//! chromium`; or point `CHROME` at any Chromium or Chrome binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{cargo, root, run};

/// The browser: `$CHROME`, else the first of the usual names on `PATH`.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROME").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| {
            ["chromium", "chromium-browser", "google-chrome", "chrome"]
                .into_iter()
                .map(move |name| dir.join(name))
        })
        .find(|p| p.is_file())
}

/// Headless Chromium with nothing that reaches out to the network and a fresh profile.
fn browser(bin: &Path, profile: &Path) -> Command {
    let mut c = Command::new(bin);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// Runs the browser, showing its chatter (D-Bus, GPU) only if it fails.
fn quietly(cmd: &mut Command) -> Result<()> {
    let out = cmd
        .output()
        .with_context(|| format!("could not start {}", cmd.get_program().to_string_lossy()))?;
    if !out.status.success() {
        bail!(
            "{} failed ({}):\n{}",
            cmd.get_program().to_string_lossy(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

struct Options {
    period: String,
    province: Option<String>,
    lang: String,
    out: PathBuf,
}

fn options(args: &[String]) -> Result<Options> {
    let mut o = Options {
        period: "2024".into(),
        province: Some("thai-nguyen".into()),
        lang: "vi".into(),
        out: root().join("target/report-render"),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .with_context(|| format!("{a} needs a value"))
        };
        match a.as_str() {
            "--period" => o.period = value()?,
            "--province" => o.province = Some(value()?),
            "--national" => o.province = None,
            "--lang" => o.lang = value()?,
            "--out" => o.out = PathBuf::from(value()?),
            other => bail!(
                "unknown option {other:?}; expected --period P, --province P | --national, --lang vi|en, --out DIR"
            ),
        }
    }
    Ok(o)
}

pub(crate) fn render_report(args: &[String]) -> Result<()> {
    let o = options(args)?;
    let Some(bin) = chromium() else {
        bail!(
            "this task needs Chromium, which is not installed. On Debian or Ubuntu: \
             `sudo apt-get install chromium` (the package `chromium`, giving /usr/bin/chromium); \
             elsewhere set CHROME to a Chromium or Chrome binary. Nothing was installed."
        );
    };
    std::fs::create_dir_all(&o.out).with_context(|| format!("creating {}", o.out.display()))?;
    let out = o
        .out
        .canonicalize()
        .with_context(|| format!("resolving {}", o.out.display()))?;
    let work = tempfile::tempdir().context("temporary directory")?;
    let store = work.path().join("store");
    let profile = work.path().join("profile");

    // The demo store, and the report from it, through the real command line.
    run(cargo()
        .args(["run", "-q", "-p", "danvan-cli", "--", "--store"])
        .arg(&store)
        .args(["init", "--demo"]))?;
    let html = out.join("report.html");
    let mut report = cargo();
    report
        .args(["run", "-q", "-p", "danvan-cli", "--", "--quiet", "--store"])
        .arg(&store)
        .args(["report", "--period", &o.period, "--lang", &o.lang])
        .args(["--date", "2026-11-22", "--out"])
        .arg(&html);
    if let Some(p) = &o.province {
        report.args(["--province", p]);
    }
    run(&mut report)?;

    let url = format!("file://{}", html.display());
    let png = out.join("report.png");
    let pdf = out.join("report.pdf");
    // 210 mm at 96 dpi is 794 px; twice that for a sharp picture of the first page.
    quietly(
        browser(&bin, &profile)
            .args(["--window-size=900,1300", "--force-device-scale-factor=2"])
            .arg(format!("--screenshot={}", png.display()))
            .arg(&url),
    )?;
    quietly(
        browser(&bin, &profile)
            .arg("--no-pdf-header-footer")
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(&url),
    )?;

    let png_bytes =
        std::fs::read(&png).with_context(|| format!("{} was not written", png.display()))?;
    if !png_bytes.starts_with(b"\x89PNG") {
        bail!("{} is not a PNG", png.display());
    }
    let pdf_bytes =
        std::fs::read(&pdf).with_context(|| format!("{} was not written", pdf.display()))?;
    if !pdf_bytes.starts_with(b"%PDF") {
        bail!("{} is not a PDF", pdf.display());
    }
    let pages = pdf_bytes
        .windows(b"/Type /Page".len() + 1)
        .filter(|w| w.starts_with(b"/Type /Page") && w[w.len() - 1] != b's')
        .count();
    eprintln!(
        "Rendered {} with {}:\n  {} ({} bytes)\n  {} ({} bytes, {} A4 pages)",
        html.display(),
        bin.display(),
        png.display(),
        png_bytes.len(),
        pdf.display(),
        pdf_bytes.len(),
        pages
    );
    Ok(())
}
