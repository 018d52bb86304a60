//! `cargo xtask`: the developer tasks of the danvan workspace, in Rust so they run wherever
//! cargo does.
//!
//! ```text
//! cargo xtask ci                     fmt, clippy, tests + snapshot check, docs, IO-free core
//! cargo xtask snapshots              run the tests; fail on stale or unreferenced snapshots
//! cargo xtask gen --records N [--seed S] [--out DIR]
//!                                    write a generated dataset directory
//! cargo xtask schema [--check]       regenerate (or check) docs/schema/*.json and docs/openapi.json
//! cargo xtask fuzz [--seconds N] [TARGET…]
//!                                    run the parser fuzz targets for a bounded time
//! cargo xtask crash-test [--rounds N] kill a writing process N times (default 200); check
//!                                    every acknowledged write survived; then the fault matrix
//!                                    (every file damaged every way, then repaired)
//! cargo xtask bench [store] [cycle] [http] [report] [ingest] [--seconds N]       run the benchmarks (release) and the memory probe
//! cargo xtask eval-ingest              read the ingestion corpus: recall, precision and invented
//!                                    values per field, asserted against the targets
//! cargo xtask semver [--baseline REV] check danvan-core's public API against a git revision
//!                                    with cargo-semver-checks (installed from crates.io if
//!                                    missing, saying so)
//! cargo xtask man                    write the man page to target/man/danvan.1
//! cargo xtask render-report [--period P] [--province P | --national] [--lang vi|en] [--out DIR] [--docx-only | --html-only]
//!                                    render the demo HTML report to PNG and PDF in headless
//!                                    Chromium (which it needs, and names, but never installs)
//! ```

mod fuzz;
mod modules;
mod render;
mod semver;

use std::collections::BTreeSet;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};

const USAGE: &str = "usage: cargo xtask <ci | snapshots | gen --records N [--seed S] [--out DIR] | schema [--check] | fuzz [--seconds N] [--install] [TARGET…] | crash-test [--rounds N] | bench [store] [cycle] [http] [report] [entry] [ingest] [--seconds N] | eval-ingest | module-cycles | semver [--baseline REV] | man | screenshots | render-report [--period P] [--province P | --national] [--lang vi|en] [--out DIR] [--docx-only | --html-only]>";

/// Crates that would make the core do IO or depend on a runtime. The core must pull in none.
const IO_CRATES: &[&str] = &[
    "tokio",
    "axum",
    "hyper",
    "mio",
    "reqwest",
    "tower",
    "tower-http",
    "async-std",
    "smol",
    "socket2",
    "rusqlite",
    "sqlx",
    "postgres",
    "tokio-postgres",
    "ureq",
    "curl",
];

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("snapshots") => snapshots(),
        Some("gen") => gen_cmd(&args[1..]),
        Some("schema") => schema(args.get(1).map(String::as_str) == Some("--check")),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("io-check") => io_check(),
        Some("crash-test") => crash_test(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("module-cycles") => module_cycles(),
        Some("semver") => semver::semver(&args[1..]),
        Some("man") => man(),
        Some("render-report") => render::render_report(&args[1..]),
        Some("screenshots") => screenshots(),
        Some("eval-ingest") => eval_ingest(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs a command in the workspace root, echoing it, and fails if it fails.
pub(crate) fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let start = Instant::now();
    let status = cmd
        .current_dir(root())
        .status()
        .with_context(|| format!("could not start {}", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    eprintln!("  ok in {:.1}s", start.elapsed().as_secs_f64());
    Ok(())
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

pub(crate) fn cargo() -> Command {
    Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn ci() -> Result<()> {
    run(cargo().args(["fmt", "--all", "--check"]))?;
    // No two sibling modules of a crate may refer to one another.
    module_cycles()?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]))?;
    snapshots()?;
    eval_ingest()?;
    run(cargo()
        .args(["doc", "--workspace", "--no-deps", "--all-features"])
        .env("RUSTDOCFLAGS", "-D warnings"))?;
    io_check()?;
    schema(true)?;
    // The core is a library others depend on: it must package and build on its own, from the
    // files it publishes. `--allow-dirty` so that a change can be checked before it is
    // committed; CI runs on a clean clone.
    run(cargo().args(["package", "-p", "danvan-core", "--allow-dirty"]))?;
    eprintln!("xtask ci: all checks passed");
    Ok(())
}

/// Reads the ingestion corpus (`fixtures/ingest/corpus`) and prints recall and precision per
/// field, the invented values and each text's differences; fails below the targets (recall
/// ≥ 90%, precision ≥ 97%, no invented value), which the corpus test asserts.
fn eval_ingest() -> Result<()> {
    run(cargo().args([
        "test",
        "-q",
        "-p",
        "danvan-ingest",
        "--test",
        "corpus",
        "--",
        "--nocapture",
    ]))
}

/// Fails when `cargo tree` shows an IO or runtime crate under danvan-core.
fn io_check() -> Result<()> {
    let out = cargo()
        .args([
            "tree",
            "-p",
            "danvan-core",
            "--all-features",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(root())
        .output()
        .context("could not run cargo tree")?;
    if !out.status.success() {
        bail!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let tree = String::from_utf8_lossy(&out.stdout);
    let found: BTreeSet<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| IO_CRATES.contains(name))
        .collect();
    if !found.is_empty() {
        bail!("danvan-core must do no IO, but its dependencies include {found:?}");
    }
    eprintln!(
        "io-check: danvan-core depends on no IO crate ({} crates checked)",
        tree.lines().count()
    );
    Ok(())
}

/// Runs every test with snapshot updates off, recording which snapshot files the tests read;
/// then fails on any snapshot file no test read, and on any pending `.snap.new`.
fn snapshots() -> Result<()> {
    let refs = env::temp_dir().join(format!("danvan-insta-refs-{}", std::process::id()));
    let _ = fs::remove_file(&refs);
    let axe = browser_prerequisites();
    let pyclient = python_client_prerequisites();
    if render::on_path("xmllint").is_none() {
        apt_install(
            "libxml2-utils",
            "the exchange tests check danvan's ADX against its XML schema with xmllint",
        );
    }
    if render::on_path("pdftotext").is_none() {
        apt_install(
            "poppler-utils",
            "danvan ingest reads a PDF's text layer with pdftotext, and its test reads one",
        );
    }
    run(with_postgres(&["test", "--workspace", "--all-features"])
        .env("DANVAN_AXE_JS", &axe)
        .env("DANVAN_PYCLIENT_VENV", &pyclient)
        .env("INSTA_UPDATE", "no")
        .env("INSTA_FORCE_PASS", "0")
        .env("INSTA_SNAPSHOT_REFERENCES_FILE", &refs))?;
    let referenced: BTreeSet<PathBuf> = fs::read_to_string(&refs)
        .unwrap_or_default()
        .lines()
        .map(|l| fs::canonicalize(l).unwrap_or_else(|_| PathBuf::from(l)))
        .collect();
    let _ = fs::remove_file(&refs);
    let mut unreferenced = Vec::new();
    let mut pending = Vec::new();
    for dir in ["crates", "xtask"] {
        walk(&root().join(dir), &mut |p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with(".snap.new") || name.ends_with(".pending-snap") {
                pending.push(p.to_path_buf());
            } else if name.ends_with(".snap") {
                let canon = fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
                if !referenced.contains(&canon) {
                    unreferenced.push(p.to_path_buf());
                }
            }
        })?;
    }
    if !pending.is_empty() {
        bail!(
            "pending snapshots (review them with `cargo insta review`, or delete them): {pending:?}"
        );
    }
    if !unreferenced.is_empty() {
        bail!("snapshot files that no test uses (delete them): {unreferenced:?}");
    }
    eprintln!(
        "snapshots: {} snapshot files, all referenced and current",
        referenced.len()
    );
    Ok(())
}

fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            walk(&path, f)?;
        } else {
            f(&path);
        }
    }
    Ok(())
}

fn gen_cmd(args: &[String]) -> Result<()> {
    let mut records: Option<usize> = None;
    let mut seed: u64 = 1;
    let mut out: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().with_context(|| format!("{name} needs a value"));
        match a.as_str() {
            "--records" => {
                records = Some(
                    value("--records")?
                        .replace('_', "")
                        .parse()
                        .context("--records takes a whole number")?,
                )
            }
            "--seed" => {
                seed = value("--seed")?
                    .parse()
                    .context("--seed takes a whole number")?
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let records = records.context("--records N is required")?;
    let out = out.unwrap_or_else(|| {
        root()
            .join("target")
            .join("gen")
            .join(format!("{records}-{seed}"))
    });
    let start = Instant::now();
    let generator = danvan_core::generate::Generator::new(records, seed);
    let n = danvan_store::dataset_dir::write(&out, generator.records())?;
    eprintln!(
        "gen: wrote {n} records (seed {seed}) to {} in {:.1}s",
        out.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

fn schema(check: bool) -> Result<()> {
    let dir = root().join("docs").join("schema");
    fs::create_dir_all(&dir)?;
    let mut stale = Vec::new();
    let mut files: Vec<(String, String)> = danvan_core::schema::all()
        .into_iter()
        .map(|(name, json)| (format!("schema/{name}"), json))
        .collect();
    files.push(("openapi.json".to_string(), danvan_http::openapi::json()));
    for (name, json) in files {
        let path = root().join("docs").join(&name);
        let current = fs::read_to_string(&path).unwrap_or_default();
        if current != json {
            if check {
                stale.push(name);
            } else {
                fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?;
                eprintln!("schema: wrote {}", path.display());
            }
        }
    }
    if !stale.is_empty() {
        bail!("docs is out of date for {stale:?}: run `cargo xtask schema`");
    }
    if check {
        eprintln!("schema: docs/schema and docs/openapi.json are current");
    }
    Ok(())
}

/// Runs the store's crash test for many rounds in a release build.
fn crash_test(args: &[String]) -> Result<()> {
    let rounds: usize = match args {
        [] => 200,
        [flag, n] if flag == "--rounds" => n.parse().context("--rounds takes a whole number")?,
        _ => bail!("usage: cargo xtask crash-test [--rounds N]"),
    };
    run(cargo()
        .args([
            "test",
            "--release",
            "-p",
            "danvan-store",
            "--test",
            "integration",
            "crash::acknowledged_writes_survive_sigkill",
            "--",
            "--exact",
            "--nocapture",
        ])
        .env("DANVAN_CRASH_ROUNDS", rounds.to_string()))?;
    // The fault matrix: every file of the store flipped, truncated, deleted, put back older
    // and swapped, then repaired; every acknowledged write kept or named, nothing intact cut.
    run(cargo().args([
        "test",
        "--release",
        "-p",
        "danvan-store",
        "--test",
        "integration",
        "faults::",
        "--",
        "--nocapture",
    ]))
}

/// Lists each group of sibling modules that refer to one another (`modules::cycles`); fails
/// while one remains.
fn module_cycles() -> Result<()> {
    let found = modules::cycles(&root());
    for c in &found {
        println!("{c}");
    }
    if !found.is_empty() {
        bail!("{} group(s) of modules refer to one another", found.len());
    }
    eprintln!("module-cycles: none");
    Ok(())
}

/// Runs the benchmarks. They build their generated stores on first use under
/// `target/bench-stores/` (the 1M-record one takes about half a minute).
fn bench(args: &[String]) -> Result<()> {
    // Options after the benchmark names (`--seconds 5`) go to the benchmark.
    let split = args
        .iter()
        .position(|a| a.starts_with("--"))
        .unwrap_or(args.len());
    let (names, extra) = args.split_at(split);
    let which: Vec<&str> = if names.is_empty() {
        vec!["store", "cycle", "http", "report", "pg", "entry"]
    } else {
        names.iter().map(String::as_str).collect()
    };
    for w in which {
        match w {
            "store" => {
                run(cargo().args(["bench", "-p", "danvan-store", "--bench", "store"]))?;
                for n in ["10000", "100000", "1000000"] {
                    run(cargo().args([
                        "run",
                        "--release",
                        "-q",
                        "-p",
                        "danvan-store",
                        "--example",
                        "store_memory",
                        "--",
                        n,
                    ]))?;
                }
            }
            "http" => {
                ensure_wrk();
                run(cargo()
                    .args(["bench", "-p", "danvan-http", "--bench", "load", "--"])
                    .args(extra))?;
                // The national completeness view over HTTP (34 provinces × 100 communes).
                run(cargo().args(["bench", "-p", "danvan-http", "--bench", "cycle"]))?;
            }
            "report" => {
                run(cargo().args(["bench", "-p", "danvan-report", "--bench", "report"]))?;
            }
            "cycle" => {
                run(cargo().args(["bench", "-p", "danvan-store", "--bench", "cycle"]))?;
            }
            "entry" => {
                run(cargo().args(["bench", "-p", "danvan-entry", "--bench", "read"]))?;
            }
            "ingest" => {
                run(cargo().args(["bench", "-p", "danvan-ingest", "--bench", "ingest"]))?;
            }
            "pg" => {
                // The HTTP runs and the database's own figures on a 1M-record PostgreSQL
                // store, in a throw-away cluster (`--records N` to change the size).
                ensure_wrk();
                let mut args = vec!["bench", "-p", "danvan-http", "--bench", "load", "--"];
                args.extend(["--backend", "pg", "--records", "1000000"]);
                run(with_postgres(&args).args(extra))?;
            }
            other => {
                bail!(
                    "unknown benchmark {other:?}; available: store, cycle, http, report, pg, entry"
                )
            }
        }
    }
    Ok(())
}

/// `cargo ARGS` with a PostgreSQL server for the PostgreSQL tests: the one `PGHOST` names, or
/// a throw-away cluster that Debian's `pg_virtualenv` starts for the run and removes after
/// (installing `postgresql` when it is missing, saying so). Without either the tests run
/// anyway, and the PostgreSQL ones fail saying how to get a server: they never skip.
fn with_postgres(args: &[&str]) -> Command {
    let cargo_bin = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if env::var_os("PGHOST").is_some_and(|h| !h.is_empty()) {
        let mut c = cargo();
        c.args(args);
        return c;
    }
    if render::on_path("pg_virtualenv").is_none() {
        apt_install("postgresql", "pg_virtualenv, for the PostgreSQL tests");
    }
    match render::on_path("pg_virtualenv") {
        Some(pgv) => {
            eprintln!("xtask: the PostgreSQL tests run on a throw-away cluster (pg_virtualenv)");
            let mut c = Command::new(pgv);
            // `-t`: the cluster lives in a temporary directory even as root, so two runs (a
            // benchmark beside the tests) do not meet over Debian's one `regress` cluster.
            c.arg("-t").arg(cargo_bin).args(args);
            c
        }
        None => {
            eprintln!(
                "xtask: no PostgreSQL server (PGHOST unset, pg_virtualenv missing): the \
                 PostgreSQL tests will fail"
            );
            let mut c = cargo();
            c.args(args);
            c
        }
    }
}

/// The pinned axe-core the web app's accessibility check runs in the browser.
const AXE_CORE: &str = "axe-core@4.14.1";

/// What the web app's browser tests need beyond crates: Debian's `chromium` and
/// `chromium-driver`, installed with apt-get when missing, and axe-core from npm, installed
/// under `target/e2e/` when missing (each saying so). Returns axe-core's script path. A
/// failed install is reported here; the tests then fail saying what is missing.
fn browser_prerequisites() -> PathBuf {
    if render::on_path("chromedriver").is_none() || render::on_path("chromium").is_none() {
        apt_install(
            "chromium",
            "the web app's end-to-end tests run in headless chromium",
        );
        apt_install(
            "chromium-driver",
            "the web app's end-to-end tests drive chromium through chromedriver",
        );
    }
    let prefix = root().join("target/e2e");
    let axe = prefix.join("node_modules/axe-core/axe.min.js");
    if !axe.is_file() {
        eprintln!(
            "xtask: installing {AXE_CORE} from npm into target/e2e: the web app's accessibility check runs it in the browser"
        );
        let _ = fs::create_dir_all(&prefix);
        let ok = Command::new("npm")
            .args(["install", "--prefix"])
            .arg(&prefix)
            .args(["--no-save", "--no-audit", "--no-fund", AXE_CORE])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("xtask: could not install {AXE_CORE} (npm and the npm registry are needed)");
        }
    }
    axe
}

/// The generator and validator the generated-client test runs, pinned.
const PYTHON_CLIENT_TOOLS: [&str; 2] = [
    "openapi-python-client==0.29.1",
    "openapi-spec-validator==0.9.0",
];

/// What the generated-client test needs beyond crates: a Python virtual environment under
/// `target/pyclient/venv` holding openapi-python-client and openapi-spec-validator from PyPI,
/// made when missing (saying so; Debian's `python3-venv` installed first when `venv` is
/// missing). Returns the environment's path. A failed install is reported here; the test then
/// fails saying what is missing.
fn python_client_prerequisites() -> PathBuf {
    let venv = root().join("target/pyclient/venv");
    if venv.join("bin/openapi-python-client").is_file()
        && venv.join("bin/openapi-spec-validator").is_file()
    {
        return venv;
    }
    eprintln!(
        "xtask: installing {} from PyPI into target/pyclient/venv: the API test generates a Python client from /openapi.json and syncs with it",
        PYTHON_CLIENT_TOOLS.join(" ")
    );
    let make = || {
        Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .is_ok_and(|s| s.success())
    };
    if !make() {
        let _ = fs::remove_dir_all(&venv);
        if !(apt_install(
            "python3-venv",
            "Python's venv, for the generated-client test",
        ) && make())
        {
            eprintln!(
                "xtask: could not make a Python virtual environment (python3 and python3-venv are needed)"
            );
            return venv;
        }
    }
    let ok = Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .args(PYTHON_CLIENT_TOOLS)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!(
            "xtask: could not install {} (PyPI is needed)",
            PYTHON_CLIENT_TOOLS.join(" ")
        );
    }
    venv
}

/// `cargo xtask screenshots`: runs the web app's browser test with screenshots on, writing a
/// PNG of every page it visits to `docs/ui/`.
fn screenshots() -> Result<()> {
    let axe = browser_prerequisites();
    let out = root().join("docs/ui");
    fs::create_dir_all(&out)?;
    for entry in fs::read_dir(&out)? {
        let p = entry?.path();
        if p.extension().is_some_and(|e| e == "png") {
            fs::remove_file(p)?;
        }
    }
    run(cargo()
        .args([
            "test",
            "-p",
            "danvan-cli",
            "--test",
            "integration",
            "browser::",
        ])
        .env("DANVAN_AXE_JS", &axe)
        .env("DANVAN_SCREENSHOTS", &out))?;
    let n = fs::read_dir(&out)?
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "png"))
        })
        .count();
    eprintln!("screenshots: {n} pages in {}", out.display());
    Ok(())
}

/// Installs a Debian package with apt-get (updating the lists if the first try fails),
/// saying so; reports whether it worked.
fn apt_install(package: &str, why: &str) -> bool {
    eprintln!("xtask: installing {package} (apt-get install {package}): {why}");
    let install = || {
        Command::new("apt-get")
            .args(["install", "-y", "-q", package])
            .status()
            .is_ok_and(|s| s.success())
    };
    let ok = install()
        || (Command::new("apt-get")
            .args(["update", "-q"])
            .status()
            .is_ok_and(|s| s.success())
            && install());
    if !ok {
        eprintln!("xtask: could not install {package}");
    }
    ok
}

/// The HTTP benchmark also measures with wrk, the load generator of the issue's own
/// measurement: installed here from Debian's packages when missing (saying so); without it the
/// benchmark says what it skipped.
fn ensure_wrk() {
    if render::on_path("wrk").is_some() {
        return;
    }
    if !apt_install(
        "wrk",
        "wrk is missing and the HTTP benchmark measures with it",
    ) {
        eprintln!("xtask: the benchmark runs without wrk");
    }
}

/// Writes the man page generated from the CLI's clap definitions.
fn man() -> Result<()> {
    let out = cargo()
        .args(["run", "--quiet", "-p", "danvan-cli", "--", "man"])
        .current_dir(root())
        .output()
        .context("could not run danvan")?;
    if !out.status.success() {
        bail!(
            "danvan man failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let dir = root().join("target").join("man");
    fs::create_dir_all(&dir)?;
    let path = dir.join("danvan.1");
    fs::write(&path, &out.stdout)?;
    eprintln!(
        "man: wrote {} (read it with `man {}`)",
        path.display(),
        path.display()
    );
    Ok(())
}
