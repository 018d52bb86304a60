//! Upgrading a store written by an older danvan, after a backup.
//!
//! Format 1 kept each kind's records in one file at the top of the store (`directives.json`,
//! …: the dataset-directory layout of `fixtures/demo`, plus a manifest) and had no revisions,
//! so every write rewrote a whole kind. Format 2 shards by kind, province and year and adds
//! the journal. Migrating copies the old files to `backups/format-1-<time>/`, writes the
//! shards (every record at revision 1), and rewrites the manifest last; until the manifest
//! says 2 the old files stay authoritative, so an interrupted migration simply runs again.
//!
//! Format 3 lists every shard in the checkpoint with its CRC-32 and record count, so that a
//! missing or altered file is found. Migrating from 2 copies the manifest and checkpoint to
//! `backups/format-2-<time>/`, reads every shard (a shard that does not parse stops it, named),
//! and writes the checkpoint with the list, then the manifest.

use std::collections::HashMap;
use std::fs::{self, File};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use danvan_core::record_kind::RecordKind;

use super::fsutil::{create_dir_durable, sync_dir, write_atomic};
use super::layout::{
    BACKUPS, CHECKPOINT, Checkpoint, FORMAT_NAME, FORMAT_VERSION, MANIFEST, Manifest, ShardKey,
    journal_path, shard_name,
};
use super::{read_manifest, shards, to_json};
use crate::dataset_dir;
use crate::engine::state::{Rec, Row};
use crate::error::{StoreError, io_err};

pub(crate) fn migrate(dir: &Path, from: u32, lock_timeout: Duration) -> Result<(), StoreError> {
    if !(1..FORMAT_VERSION).contains(&from) {
        return Err(StoreError::Corrupt {
            at: dir.join(MANIFEST).into(),
            line: 0,
            column: 0,
            message: format!(
                "format version {from} is unknown; this danvan reads versions 1 to {FORMAT_VERSION}"
            ),
        });
    }
    let lock = super::fsutil::lock_exclusive(dir, lock_timeout)?;
    // Another process may have migrated while this one waited.
    let result = (|| {
        if read_manifest(dir)?.version == 1 {
            migrate_1_to_2(dir)?;
        }
        if read_manifest(dir)?.version == 2 {
            migrate_2_to_3(dir)?;
        }
        Ok(())
    })();
    let _ = lock.unlock();
    result
}

/// Copies `files` (those that exist) into a new `backups/format-<from>-<time>/`.
fn backup(dir: &Path, from: u32, files: &[String]) -> Result<(), StoreError> {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let backup = dir.join(BACKUPS).join(format!("format-{from}-{stamp}"));
    create_dir_durable(&backup)?;
    for f in files.iter().filter(|f| dir.join(f).exists()) {
        let bytes = fs::read(dir.join(f)).map_err(io_err(dir.join(f)))?;
        let target = backup.join(f);
        let mut file = File::create(&target).map_err(io_err(&target))?;
        std::io::Write::write_all(&mut file, &bytes).map_err(io_err(&target))?;
        file.sync_all().map_err(io_err(&target))?;
    }
    sync_dir(&backup)
}

fn migrate_2_to_3(dir: &Path) -> Result<(), StoreError> {
    backup(dir, 2, &[MANIFEST.to_string(), CHECKPOINT.to_string()])?;
    let mut checkpoint: Checkpoint = super::read_json(&dir.join(CHECKPOINT))?;
    let files = shards::list(dir)?;
    let mut sums = std::collections::BTreeMap::new();
    shards::load(&files, |loaded| {
        sums.insert(shard_name(dir, &files[loaded.file].1), loaded.sum);
        Ok(())
    })?;
    checkpoint.shards = sums;
    write_atomic(&dir.join(CHECKPOINT), &to_json(&checkpoint.sealed()))?;
    write_atomic(
        &dir.join(MANIFEST),
        &to_json(&Manifest {
            format: FORMAT_NAME.into(),
            version: 3,
        }),
    )
}

fn migrate_1_to_2(dir: &Path) -> Result<(), StoreError> {
    let old_files: Vec<String> = std::iter::once(MANIFEST.to_string())
        .chain(RecordKind::ALL.iter().map(|k| dataset_dir::file_name(*k)))
        .filter(|f| dir.join(f).exists())
        .collect();
    backup(dir, 1, &old_files)?;

    let dataset = dataset_dir::load(dir).map_err(|e| match e {
        dataset_dir::DatasetDirError::Parse {
            path,
            line,
            column,
            message,
        } => StoreError::Corrupt {
            at: path.into(),
            line,
            column,
            message,
        },
        dataset_dir::DatasetDirError::Io { path, source } => StoreError::Io {
            at: path.into(),
            source,
        },
        dataset_dir::DatasetDirError::NotFound { path } => {
            StoreError::NotAStore { at: path.into() }
        }
    })?;
    let revision = u64::from(!dataset.is_empty());
    let rows: Vec<Row> = dataset
        .records()
        .map(|r| Row {
            revision,
            rec: Rec::from(r),
        })
        .collect();
    let mut by_shard: HashMap<ShardKey, Vec<&Row>> = HashMap::new();
    for row in &rows {
        by_shard
            .entry(ShardKey::of(row.rec.as_ref()))
            .or_default()
            .push(row);
    }
    for (key, mut rows) in by_shard {
        shards::write(dir, &key, &mut rows)?;
    }
    let generation = 1;
    let journal = journal_path(dir, generation);
    File::create(&journal)
        .map_err(io_err(&journal))?
        .sync_all()
        .map_err(io_err(&journal))?;
    write_atomic(
        &dir.join(CHECKPOINT),
        &to_json(&Checkpoint {
            generation,
            revision,
            ..Checkpoint::default()
        }),
    )?;
    write_atomic(
        &dir.join(MANIFEST),
        &to_json(&Manifest {
            format: FORMAT_NAME.into(),
            version: 2,
        }),
    )?;
    for f in old_files.iter().filter(|f| *f != MANIFEST) {
        let _ = fs::remove_file(dir.join(f));
    }
    sync_dir(dir)
}
