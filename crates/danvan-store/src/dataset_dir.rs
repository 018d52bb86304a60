//! Reading and writing a dataset directory: one JSON array of records per kind.
//!
//! This is the layout of `fixtures/demo/` and of `cargo xtask gen`'s output. A missing file is
//! an empty list; a file that is not valid JSON, or holds a record that does not fit its type,
//! is reported with its path, line and column.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use danvan_core::dataset::{AnyRecord, Dataset};
use danvan_core::record_kind::RecordKind;
use serde::de::DeserializeOwned;

/// Why a dataset directory could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum DatasetDirError {
    /// The directory does not exist.
    #[error("{path}: no such directory")]
    NotFound {
        /// The directory.
        path: PathBuf,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A file is not valid JSON, or a record in it does not fit its type.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde_json reported, without its own position suffix.
        message: String,
    },
}

/// The file that holds records of `kind` in a dataset directory: `conferences.json`.
pub fn file_name(kind: RecordKind) -> String {
    format!("{}.json", kind.plural())
}

/// Reads every kind's file under `dir` into a dataset. Records are not validated here; call
/// [`Dataset::validate`] for that.
pub fn load(dir: &Path) -> Result<Dataset, DatasetDirError> {
    if !dir.is_dir() {
        return Err(DatasetDirError::NotFound {
            path: dir.to_path_buf(),
        });
    }
    Ok(Dataset {
        indicators: read_kind(dir, RecordKind::Indicator)?,
        directives: read_kind(dir, RecordKind::Directive)?,
        observations: read_kind(dir, RecordKind::Observation)?,
        conferences: read_kind(dir, RecordKind::Conference)?,
        models: read_kind(dir, RecordKind::Model)?,
        units: read_kind(dir, RecordKind::Unit)?,
        awards: read_kind(dir, RecordKind::Award)?,
        forms: read_kind(dir, RecordKind::Form)?,
        submissions: read_kind(dir, RecordKind::Submission)?,
        targets: read_kind(dir, RecordKind::Target)?,
    })
}

fn read_kind<T: DeserializeOwned>(dir: &Path, kind: RecordKind) -> Result<Vec<T>, DatasetDirError> {
    let path = dir.join(file_name(kind));
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(DatasetDirError::Io { path, source }),
    };
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        parse_error(path.clone(), e.inner(), &field)
    })?;
    de.end().map_err(|e| parse_error(path, &e, ""))?;
    Ok(value)
}

/// Turns a serde_json error into one that names the file and the record's field (a path such
/// as `[3].chairs[0].name`, or `.` for the whole document), with the position split out.
pub fn parse_error(path: PathBuf, e: &serde_json::Error, field: &str) -> DatasetDirError {
    let text = crate::error::json_message(e);
    let message = if field.is_empty() || field == "." || e.is_syntax() || e.is_eof() {
        text
    } else {
        format!("{field}: {text}")
    };
    DatasetDirError::Parse {
        path,
        line: e.line(),
        column: e.column(),
        message,
    }
}

/// Writes `records` into `dir` (created if missing), one pretty-printed array per kind,
/// streaming, so that a million generated records need not be held in memory. Records of one
/// kind must come together: a kind's file is finished when the next kind starts.
pub fn write(
    dir: &Path,
    records: impl IntoIterator<Item = AnyRecord>,
) -> Result<usize, DatasetDirError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DatasetDirError::Io { path, source }
    };
    fs::create_dir_all(dir).map_err(io(dir))?;
    let mut current: Option<(RecordKind, PathBuf, BufWriter<fs::File>, bool)> = None;
    let mut written = Vec::new();
    let mut count = 0;
    for record in records {
        let kind = record.kind();
        if current.as_ref().map(|c| c.0) != Some(kind) {
            if let Some((_, path, mut w, _)) = current.take() {
                w.write_all(b"\n]\n")
                    .and_then(|()| w.flush())
                    .map_err(io(&path))?;
            }
            let path = dir.join(file_name(kind));
            if written.contains(&kind) {
                return Err(DatasetDirError::Io {
                    path,
                    source: io::Error::new(
                        io::ErrorKind::InvalidInput,
                        "records of one kind must come together",
                    ),
                });
            }
            written.push(kind);
            let mut w = BufWriter::new(fs::File::create(&path).map_err(io(&path))?);
            w.write_all(b"[").map_err(io(&path))?;
            current = Some((kind, path, w, true));
        }
        let Some((_, path, w, first)) = current.as_mut() else {
            continue;
        };
        let sep: &[u8] = if *first { b"\n" } else { b",\n" };
        *first = false;
        let json = match &record {
            AnyRecord::Directive(r) => serde_json::to_string(r),
            AnyRecord::Conference(r) => serde_json::to_string(r),
            AnyRecord::Model(r) => serde_json::to_string(r),
            AnyRecord::Indicator(r) => serde_json::to_string(r),
            AnyRecord::Observation(r) => serde_json::to_string(r),
            AnyRecord::Unit(r) => serde_json::to_string(r),
            AnyRecord::Award(r) => serde_json::to_string(r),
            AnyRecord::Form(r) => serde_json::to_string(r),
            AnyRecord::Submission(r) => serde_json::to_string(r),
            AnyRecord::Target(r) => serde_json::to_string(r),
        }
        .map_err(|e| DatasetDirError::Io {
            path: path.clone(),
            source: e.into(),
        })?;
        w.write_all(sep)
            .and_then(|()| w.write_all(json.as_bytes()))
            .map_err(io(path))?;
        count += 1;
    }
    if let Some((_, path, mut w, _)) = current.take() {
        w.write_all(b"\n]\n")
            .and_then(|()| w.flush())
            .map_err(io(&path))?;
    }
    Ok(count)
}
