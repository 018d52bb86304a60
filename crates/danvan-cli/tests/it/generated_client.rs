//! A client generated from the served `/openapi.json` by a mainstream generator
//! (openapi-python-client) runs an integrator's sync against the real server: the document is
//! valid (openapi-spec-validator), generates without a warning, and describes what the server
//! sends closely enough for every answer to parse into the generated models
//! (`client_sync.py` says what the sync does).
//!
//! The Python tools live in a virtual environment that `cargo xtask ci` creates under
//! `target/pyclient/venv` when missing (from PyPI, saying so); `DANVAN_PYCLIENT_VENV` names
//! another. Without one the test fails saying how to make it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::root;
use crate::serve::{http, serve, terminate};

/// The pinned tools, as `cargo xtask ci` installs them.
const TOOLS: &str = "openapi-python-client==0.29.1 openapi-spec-validator==0.9.0";

fn venv() -> PathBuf {
    let venv = std::env::var_os("DANVAN_PYCLIENT_VENV")
        .map_or_else(|| root().join("target/pyclient/venv"), PathBuf::from);
    assert!(
        venv.join("bin/openapi-python-client").is_file(),
        "no openapi-python-client in {}: `python3 -m venv {0} && {0}/bin/pip install {TOOLS}` \
         (`cargo xtask ci` does this when it is missing)",
        venv.display()
    );
    venv
}

/// Runs `program` from the virtual environment, failing the test with its output.
fn run(venv: &Path, program: &str, args: &[&str], dir: &Path, env: &[(&str, &Path)]) -> String {
    let path = std::env::join_paths(std::iter::once(venv.join("bin")).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let mut command = Command::new(venv.join("bin").join(program));
    command.args(args).current_dir(dir).env("PATH", path);
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{program} {args:?} failed ({}):\n{text}",
        out.status
    );
    text
}

#[test]
fn a_generated_python_client_syncs() {
    let venv = venv();
    let tmp = tempfile::tempdir().unwrap();
    let out = crate::danvan(
        tmp.path(),
        &[
            "token", "new", "--name", "mirror", "--scope", "admin", "--config", "c.toml",
        ],
    );
    assert!(out.starts_with("exit: 0"), "{out}");
    let token = out.lines().nth(2).unwrap().to_string();
    let s = serve(tmp.path(), &["--config", "c.toml"]);

    // The document as the server serves it.
    let (status, _, document) = http(&s.addr, "GET", "/openapi.json", &[], "");
    assert_eq!(status, 200);
    std::fs::write(tmp.path().join("openapi.json"), &document).unwrap();
    let valid = run(
        &venv,
        "openapi-spec-validator",
        &["openapi.json"],
        tmp.path(),
        &[],
    );
    assert!(valid.contains("OK"), "{valid}");

    // The generator knows no JSON Lines: it sends the import's as bytes.
    std::fs::write(
        tmp.path().join("generator.yaml"),
        "content_type_overrides:\n  application/x-ndjson: application/octet-stream\n  application/adx+xml: application/octet-stream\n",
    )
    .unwrap();
    run(
        &venv,
        "openapi-python-client",
        &[
            "generate",
            "--path",
            "openapi.json",
            "--meta",
            "none",
            "--output-path",
            "generated/danvan_client",
            "--config",
            "generator.yaml",
            "--fail-on-warning",
        ],
        tmp.path(),
        &[],
    );

    let script = root().join("crates/danvan-cli/tests/it/client_sync.py");
    let base = format!("http://{}", s.addr);
    let sync = run(
        &venv,
        "python",
        &[script.to_str().unwrap(), &base, &token],
        tmp.path(),
        &[("PYTHONPATH", &tmp.path().join("generated"))],
    );
    assert!(sync.contains("sync: done"), "{sync}");
    let (code, _, log) = terminate(s);
    assert_eq!(code, 0, "{log}");
    println!("{sync}");
}
