//! `cargo xtask render-report`: renders the report of the demo store as a person would look
//! at it before signing: the HTML page in headless Chromium to a PNG (the first page) and a PDF
//! (printed on A4), and the Word file through LibreOffice to a PDF (every page, with its page
//! numbers, repeated table headers and the signature block where Word would put them) and a
//! PNG of its first page.
//!
//! It needs Chromium and LibreOffice Writer and says so rather than installing them: on Debian,
//! `apt-get install chromium libreoffice-writer-nogui`; or point `CHROME` at a Chromium or
//! Chrome binary and `SOFFICE` at LibreOffice's `soffice`. With `--docx-only` or `--html-only`
//! it needs only the one.

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

/// LibreOffice: `$SOFFICE`, else `soffice` or `libreoffice` on `PATH`.
fn soffice() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SOFFICE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| {
            ["soffice", "libreoffice"]
                .into_iter()
                .map(move |n| dir.join(n))
        })
        .find(|p| p.is_file())
}

/// `name` on `PATH`.
pub(crate) fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The Word file converted by LibreOffice (headless, with a throw-away profile) into `to`
/// (`pdf` or `png`) in `out`; the path written.
fn convert(bin: &Path, docx: &Path, to: &str, out: &Path, profile: &Path) -> Result<PathBuf> {
    quietly(
        Command::new(bin)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
            .arg(out)
            .arg(docx),
    )?;
    let written = out.join(format!("report-docx.{to}"));
    if !written.is_file() {
        bail!("LibreOffice wrote no {}", written.display());
    }
    Ok(written)
}

/// PDF pages, counted from the page objects.
fn pdf_pages(bytes: &[u8]) -> usize {
    // Chromium writes "/Type /Page", LibreOffice "/Type/Page"; "/Pages" is the page tree.
    [&b"/Type /Page"[..], &b"/Type/Page"[..]]
        .iter()
        .map(|tag| {
            bytes
                .windows(tag.len() + 1)
                .filter(|w| w.starts_with(tag) && w[w.len() - 1] != b's')
                .count()
        })
        .sum()
}

/// Renders the DOCX report through LibreOffice: a PDF of every page and a PNG of the first.
fn render_docx(o: &Options, store: &Path, out: &Path, work: &Path) -> Result<()> {
    let Some(bin) = soffice() else {
        bail!(
            "rendering the DOCX needs LibreOffice Writer, which is not installed. On Debian or \
             Ubuntu: `sudo apt-get install libreoffice-writer-nogui` (giving /usr/bin/soffice); \
             elsewhere set SOFFICE to LibreOffice's soffice. Nothing was installed."
        );
    };
    let docx = out.join("report-docx.docx");
    run(&mut report_command(o, store, &docx))?;
    let profile = work.join("lo-profile");
    let pdf = convert(&bin, &docx, "pdf", out, &profile)?;
    let pdf_bytes = std::fs::read(&pdf)?;
    if !pdf_bytes.starts_with(b"%PDF") {
        bail!("{} is not a PDF", pdf.display());
    }
    // Writer has no picture export: the PDF's pages become PNGs through poppler's pdftoppm.
    let Some(pdftoppm) = on_path("pdftoppm") else {
        bail!(
            "{} was written; a PNG of each page needs pdftoppm, which is not installed. On \
             Debian or Ubuntu: `sudo apt-get install poppler-utils`. Nothing was installed.",
            pdf.display()
        );
    };
    let prefix = out.join("report-docx-page");
    quietly(
        Command::new(pdftoppm)
            .args(["-png", "-r", "80"])
            .arg(&pdf)
            .arg(&prefix),
    )?;
    let pages = pdf_pages(&pdf_bytes);
    eprintln!(
        "Rendered {} with {}:\n  {} ({pages} A4 pages)\n  {}-*.png (one picture per page)",
        docx.display(),
        bin.display(),
        pdf.display(),
        prefix.display()
    );
    Ok(())
}

/// `danvan report` on the demo store, dated 2026-11-22, written to `file`.
fn report_command(o: &Options, store: &Path, file: &Path) -> Command {
    let mut report = cargo();
    report
        .args(["run", "-q", "-p", "danvan-cli", "--", "--quiet", "--store"])
        .arg(store)
        .args(["report", "--period", &o.period, "--lang", &o.lang])
        .args(["--date", "2026-11-22", "--out"])
        .arg(file);
    if let Some(p) = &o.province {
        report.args(["--province", p]);
    }
    report
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
    docx_only: bool,
    html_only: bool,
}

fn options(args: &[String]) -> Result<Options> {
    let mut o = Options {
        period: "2024".into(),
        province: Some("thai-nguyen".into()),
        lang: "vi".into(),
        out: root().join("target/report-render"),
        docx_only: false,
        html_only: false,
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
            "--docx-only" => o.docx_only = true,
            "--html-only" => o.html_only = true,
            other => bail!(
                "unknown option {other:?}; expected --period P, --province P | --national, --lang vi|en, --out DIR, --docx-only | --html-only"
            ),
        }
    }
    Ok(o)
}

pub(crate) fn render_report(args: &[String]) -> Result<()> {
    let o = options(args)?;
    std::fs::create_dir_all(&o.out).with_context(|| format!("creating {}", o.out.display()))?;
    let out = o
        .out
        .canonicalize()
        .with_context(|| format!("resolving {}", o.out.display()))?;
    let work = tempfile::tempdir().context("temporary directory")?;
    let store = work.path().join("store");
    // The demo store, and the reports from it, through the real command line.
    run(cargo()
        .args(["run", "-q", "-p", "danvan-cli", "--", "--store"])
        .arg(&store)
        .args(["init", "--demo"]))?;
    if !o.html_only {
        render_docx(&o, &store, &out, work.path())?;
    }
    if o.docx_only {
        return Ok(());
    }
    render_html(&o, &store, &out, work.path())
}

/// Renders the HTML report in Chromium: a PNG of the first page and an A4 PDF.
fn render_html(o: &Options, store: &Path, out: &Path, work: &Path) -> Result<()> {
    let Some(bin) = chromium() else {
        bail!(
            "this task needs Chromium, which is not installed. On Debian or Ubuntu: \
             `sudo apt-get install chromium` (the package `chromium`, giving /usr/bin/chromium); \
             elsewhere set CHROME to a Chromium or Chrome binary. Nothing was installed."
        );
    };
    let profile = work.join("profile");
    let html = out.join("report.html");
    run(&mut report_command(o, store, &html))?;

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
    let pages = pdf_pages(&pdf_bytes);
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
