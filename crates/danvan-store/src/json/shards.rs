//! Shard files: the compacted records of one kind, province and year, as pretty JSON a person
//! can read, edit and diff.
//!
//! ```json
//! {
//!   "kind": "conference",
//!   "records": [
//!     { "revision": 12, "record": { "id": "tn-2024-so-ket-6-thang", … } }
//!   ]
//! }
//! ```
//!
//! Records are sorted by ID and fields keep the types' declaration order, so rewriting an
//! unchanged shard gives the same bytes and a diff shows only what changed.

use std::fs;
use std::path::{Path, PathBuf};

use danvan_core::dataset::AnyRecord;
use danvan_core::record_kind::RecordKind;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::fsutil::{create_dir_durable, sync_dir};
use super::layout::{RECORDS, ShardKey, ShardSum, kind_of_dir};
use crate::api::Stored;
use crate::engine::state::{Derived, Rec, Row};
use crate::error::{StoreError, io_err};

#[derive(Serialize)]
struct ShardOut<'a, T> {
    kind: RecordKind,
    records: Vec<Stored<&'a T>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShardIn<T> {
    kind: RecordKind,
    records: Vec<Stored<T>>,
}

/// A record read from a shard, with what the indexes need, and the file it came from.
pub(crate) struct Loaded {
    pub(crate) rec: Rec,
    pub(crate) revision: u64,
    pub(crate) derived: Derived,
    pub(crate) file: usize,
}

/// Every shard file under `root`, in a stable order.
pub(crate) fn list(root: &Path) -> Result<Vec<(RecordKind, PathBuf)>, StoreError> {
    let mut out = Vec::new();
    let records = root.join(RECORDS);
    if !records.is_dir() {
        return Ok(out);
    }
    for kind_dir in read_dir_sorted(&records)? {
        let Some(kind) = kind_dir
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(kind_of_dir)
        else {
            continue;
        };
        for province_dir in read_dir_sorted(&kind_dir)? {
            if !province_dir.is_dir() {
                continue;
            }
            for file in read_dir_sorted(&province_dir)? {
                let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name.ends_with(".json") && !name.starts_with('.') {
                    out.push((kind, file));
                }
            }
        }
    }
    Ok(out)
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io_err(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort();
    Ok(v)
}

/// One shard file as read: which file, what it held (for the checkpoint's check), its records.
pub(crate) struct LoadedFile {
    pub(crate) file: usize,
    pub(crate) sum: ShardSum,
    pub(crate) records: Vec<Loaded>,
}

/// Reads the shard files on worker threads (parsing and deriving index data) and hands each
/// file's records to `insert` on the calling thread as soon as they are ready, so that building
/// the indexes overlaps with parsing. Files are taken from a shared counter, which keeps the
/// workers evenly loaded whatever the files' sizes.
pub(crate) fn load(
    files: &[(RecordKind, PathBuf)],
    mut insert: impl FnMut(LoadedFile) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    if files.is_empty() {
        return Ok(());
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<LoadedFile, StoreError>>(4 * threads);
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop) = (&next, &stop);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= files.len() || stop.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    let (kind, path) = &files[i];
                    let mut out = Vec::new();
                    let r = load_file(*kind, path, i, &mut out).map(|sum| LoadedFile {
                        file: i,
                        sum,
                        records: out,
                    });
                    let failed = r.is_err();
                    if tx.send(r).is_err() || failed {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut result = Ok(());
        for batch in rx {
            match batch.and_then(&mut insert) {
                Ok(()) => {}
                Err(e) => {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    result = Err(e);
                    break;
                }
            }
        }
        result
    })
}

fn load_file(
    kind: RecordKind,
    path: &Path,
    file: usize,
    out: &mut Vec<Loaded>,
) -> Result<ShardSum, StoreError> {
    let bytes = fs::read(path).map_err(io_err(path))?;
    let crc32 = crc32fast::hash(&bytes);
    let before = out.len();
    match kind {
        RecordKind::Directive => parse::<danvan_core::directive::Directive>(
            kind,
            path,
            &bytes,
            file,
            out,
            AnyRecord::Directive,
        ),
        RecordKind::Conference => parse::<danvan_core::conference::Conference>(
            kind,
            path,
            &bytes,
            file,
            out,
            AnyRecord::Conference,
        ),
        RecordKind::Model => {
            parse::<danvan_core::model::Model>(kind, path, &bytes, file, out, AnyRecord::Model)
        }
        RecordKind::Indicator => parse::<danvan_core::indicator::IndicatorDefinition>(
            kind,
            path,
            &bytes,
            file,
            out,
            AnyRecord::Indicator,
        ),
        RecordKind::Observation => parse::<danvan_core::indicator::Observation>(
            kind,
            path,
            &bytes,
            file,
            out,
            AnyRecord::Observation,
        ),
        RecordKind::Award => {
            parse::<danvan_core::award::Award>(kind, path, &bytes, file, out, AnyRecord::Award)
        }
        RecordKind::Form => {
            parse::<danvan_core::cycle::ReportForm>(kind, path, &bytes, file, out, AnyRecord::Form)
        }
        RecordKind::Submission => parse::<danvan_core::cycle::Submission>(
            kind,
            path,
            &bytes,
            file,
            out,
            AnyRecord::Submission,
        ),
        RecordKind::Unit => {
            parse::<danvan_core::unit::Unit>(kind, path, &bytes, file, out, AnyRecord::Unit)
        }
        RecordKind::Target => {
            parse::<danvan_core::target::Target>(kind, path, &bytes, file, out, AnyRecord::Target)
        }
    }?;
    Ok(ShardSum {
        crc32,
        records: out.len() - before,
    })
}

fn parse<T: DeserializeOwned>(
    kind: RecordKind,
    path: &Path,
    bytes: &[u8],
    file: usize,
    out: &mut Vec<Loaded>,
    wrap: fn(T) -> AnyRecord,
) -> Result<(), StoreError> {
    let shard: ShardIn<T> = match serde_json::from_slice(bytes) {
        Ok(s) => s,
        Err(e) => return Err(explain::<ShardIn<T>>(path, bytes, &e)),
    };
    if shard.kind != kind {
        return Err(StoreError::Corrupt {
            at: path.to_path_buf().into(),
            line: 0,
            column: 0,
            message: format!(
                "the file holds {} records but sits in the {} directory",
                shard.kind,
                kind.plural()
            ),
        });
    }
    for s in shard.records {
        let rec = Rec::from(wrap(s.record));
        let derived = Derived::of(rec.as_ref());
        out.push(Loaded {
            rec,
            revision: s.revision,
            derived,
            file,
        });
    }
    Ok(())
}

/// A precise error for a shard that failed to parse: file, line and column, and for a record
/// that does not fit its type, its ID and the field at fault.
fn explain<T: DeserializeOwned>(path: &Path, bytes: &[u8], e: &serde_json::Error) -> StoreError {
    let (line, column) = (e.line(), e.column());
    let mut message = crate::error::json_message(e);
    if !e.is_syntax() && !e.is_eof() {
        // Parse again, slowly, to learn where in the document the error is.
        let mut de = serde_json::Deserializer::from_slice(bytes);
        if let Err(pe) = serde_path_to_error::deserialize::<_, T>(&mut de) {
            let field = pe.path().to_string();
            let id = record_id(bytes, &field);
            message = match id {
                Some(id) => format!("record {id}: {}: {message}", field_in_record(&field)),
                None => format!("{field}: {message}"),
            };
        }
    } else {
        message = format!(
            "{message} (the file is not valid JSON; fix it by hand or restore it from git or a backup)"
        );
    }
    StoreError::Corrupt {
        at: path.to_path_buf().into(),
        line,
        column,
        message,
    }
}

/// The ID of the record that `path` (like `records[3].record.date`) points into.
fn record_id(bytes: &[u8], path: &str) -> Option<String> {
    let idx: usize = path
        .strip_prefix("records[")?
        .split(']')
        .next()?
        .parse()
        .ok()?;
    let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    v.get("records")?
        .get(idx)?
        .get("record")?
        .get("id")?
        .as_str()
        .map(str::to_string)
}

/// `records[3].record.date` → `date`.
fn field_in_record(path: &str) -> &str {
    match path.find(".record.") {
        Some(i) => &path[i + ".record.".len()..],
        None => path,
    }
}

/// A shard rewrite made durable in a temporary file beside the shard, not yet in its place.
pub(crate) enum Prepared {
    /// Rename `tmp` over `path`.
    Replace {
        path: PathBuf,
        tmp: PathBuf,
        sum: ShardSum,
    },
    /// The shard has no records left: remove `path`.
    Remove { path: PathBuf },
}

impl Prepared {
    /// The shard file this is about.
    pub(crate) fn path(&self) -> &Path {
        match self {
            Prepared::Replace { path, .. } | Prepared::Remove { path } => path,
        }
    }

    /// The new sum, or `None` for a shard removed.
    pub(crate) fn sum(&self) -> Option<ShardSum> {
        match self {
            Prepared::Replace { sum, .. } => Some(*sum),
            Prepared::Remove { .. } => None,
        }
    }

    /// Puts the new shard in place (or removes the emptied one), durably.
    pub(crate) fn commit(&self) -> Result<(), StoreError> {
        match self {
            Prepared::Replace { path, tmp, .. } => {
                fs::rename(tmp, path).map_err(io_err(path))?;
                sync_dir(super::fsutil::parent(path))
            }
            Prepared::Remove { path } => match fs::remove_file(path) {
                Ok(()) => sync_dir(super::fsutil::parent(path)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(io_err(path)(e)),
            },
        }
    }

    /// Removes the temporary file of a rewrite that will not be committed.
    pub(crate) fn discard(&self) {
        if let Prepared::Replace { tmp, .. } = self {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// The suffix of a shard rewrite's temporary file (`.2024.json.compact-tmp`).
pub(crate) const TMP_SUFFIX: &str = ".compact-tmp";

/// Writes the shard of `key` with `rows` (sorted by ID) to a temporary file, fsynced, and says
/// what it will hold; or notes that the shard is to be removed when there are no rows.
pub(crate) fn prepare(
    root: &Path,
    key: &ShardKey,
    rows: &mut [&Row],
) -> Result<Prepared, StoreError> {
    let path = key.path(root);
    if rows.is_empty() {
        return Ok(Prepared::Remove { path });
    }
    let json = bytes(key, rows).map_err(|e| io_err(&path)(e.into()))?;
    if let Some(dir) = path.parent() {
        create_dir_durable(dir)?;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("shard");
    let tmp = super::fsutil::parent(&path).join(format!(".{name}{TMP_SUFFIX}"));
    {
        let mut f = fs::File::create(&tmp).map_err(io_err(&tmp))?;
        std::io::Write::write_all(&mut f, &json).map_err(io_err(&tmp))?;
        f.sync_all().map_err(io_err(&tmp))?;
    }
    Ok(Prepared::Replace {
        path,
        tmp,
        sum: ShardSum {
            crc32: crc32fast::hash(&json),
            records: rows.len(),
        },
    })
}

/// The bytes of the shard of `key` holding `rows` (sorted by ID here), as [`prepare`] writes
/// them.
pub(crate) fn bytes(key: &ShardKey, rows: &mut [&Row]) -> Result<Vec<u8>, serde_json::Error> {
    rows.sort_by(|a, b| a.rec.as_ref().id().cmp(b.rec.as_ref().id()));
    let Some(first) = rows.first() else {
        return Ok(Vec::new());
    };
    match &first.rec {
        Rec::Directive(_) => render(key.kind, rows, |r| match r {
            Rec::Directive(x) => Some(&**x),
            _ => None,
        }),
        Rec::Conference(_) => render(key.kind, rows, |r| match r {
            Rec::Conference(x) => Some(&**x),
            _ => None,
        }),
        Rec::Model(_) => render(key.kind, rows, |r| match r {
            Rec::Model(x) => Some(&**x),
            _ => None,
        }),
        Rec::Indicator(_) => render(key.kind, rows, |r| match r {
            Rec::Indicator(x) => Some(&**x),
            _ => None,
        }),
        Rec::Observation(_) => render(key.kind, rows, |r| match r {
            Rec::Observation(x) => Some(&**x),
            _ => None,
        }),
        Rec::Unit(_) => render(key.kind, rows, |r| match r {
            Rec::Unit(x) => Some(&**x),
            _ => None,
        }),
        Rec::Award(_) => render(key.kind, rows, |r| match r {
            Rec::Award(x) => Some(&**x),
            _ => None,
        }),
        Rec::Form(_) => render(key.kind, rows, |r| match r {
            Rec::Form(x) => Some(&**x),
            _ => None,
        }),
        Rec::Submission(_) => render(key.kind, rows, |r| match r {
            Rec::Submission(x) => Some(&**x),
            _ => None,
        }),
        Rec::Target(_) => render(key.kind, rows, |r| match r {
            Rec::Target(x) => Some(&**x),
            _ => None,
        }),
    }
}

/// Writes one shard with `rows` at once (or removes it when there are none); returns its sum.
pub(crate) fn write(
    root: &Path,
    key: &ShardKey,
    rows: &mut [&Row],
) -> Result<Option<ShardSum>, StoreError> {
    let prepared = prepare(root, key, rows)?;
    match prepared.commit() {
        Ok(()) => Ok(prepared.sum()),
        Err(e) => {
            prepared.discard();
            Err(e)
        }
    }
}

/// Removes the temporary files that an interrupted or failed compaction left; returns how many.
pub(crate) fn remove_leftovers(root: &Path) -> usize {
    let mut removed = 0;
    let Ok(kinds) = read_dir_sorted(&root.join(RECORDS)) else {
        return 0;
    };
    for dir in kinds
        .iter()
        .filter(|d| d.is_dir())
        .flat_map(|d| read_dir_sorted(d).unwrap_or_default())
        .filter(|d| d.is_dir())
    {
        for file in read_dir_sorted(&dir).unwrap_or_default() {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') && name.ends_with(TMP_SUFFIX) && fs::remove_file(&file).is_ok()
            {
                removed += 1;
            }
        }
    }
    removed
}

fn render<T: Serialize>(
    kind: RecordKind,
    rows: &[&Row],
    pick: fn(&Rec) -> Option<&T>,
) -> Result<Vec<u8>, serde_json::Error> {
    let records = rows
        .iter()
        .filter_map(|r| {
            pick(&r.rec).map(|record| Stored {
                revision: r.revision,
                record,
            })
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&ShardOut { kind, records })?;
    out.push(b'\n');
    Ok(out)
}
