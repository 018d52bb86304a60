//! Repair's journals: every entry found by its revision, the current journal rewritten as
//! the entries after the checkpoint, the older ones keeping their own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::super::ack;
use super::super::journal::{self, ScannedLine};
use super::super::layout::journal_path;
use super::{Backup, RepairReport, now_ms, ranges};
use crate::error::StoreError;

/// One journal file as found.
pub(super) struct JournalFile {
    pub(super) generation: u64,
    pub(super) path: PathBuf,
    pub(super) lines: Vec<ScannedLine>,
}

/// Every journal file: those in `history/`, then those beside the checkpoint, by generation.
pub(super) fn journal_files(dir: &Path) -> Result<Vec<JournalFile>, StoreError> {
    let mut out = Vec::new();
    for (generation, path) in super::super::feed::journal_files(dir, u64::MAX) {
        let lines = journal::scan(&path)?.map(|(l, _)| l).unwrap_or_default();
        out.push(JournalFile {
            generation,
            path,
            lines,
        });
    }
    Ok(out)
}

/// Every entry the journals hold, by revision: the line and the file it is in (the first file
/// found holding it, the current journal's copy preferred).
pub(super) fn entries_by_revision(files: &[JournalFile]) -> BTreeMap<u64, (Vec<u8>, usize)> {
    let mut out: BTreeMap<u64, (Vec<u8>, usize)> = BTreeMap::new();
    for (i, f) in files.iter().enumerate().rev() {
        for l in &f.lines {
            if let Some(seq) = l.seq {
                out.entry(seq).or_insert_with(|| (l.bytes.clone(), i));
            }
        }
    }
    out
}

/// The latest journal beside the checkpoint (not in `history/`) and its first entry.
pub(super) fn latest_root_journal(dir: &Path, files: &[JournalFile]) -> Option<(u64, Option<u64>)> {
    files
        .iter()
        .filter(|f| f.path.parent() == Some(dir))
        .max_by_key(|f| f.generation)
        .map(|f| (f.generation, f.lines.iter().find_map(|l| l.seq)))
}

/// Rewrites the current journal, when it is not already so, as the entries after `revision`
/// in order (lost ones as entries that change nothing). Returns whether it changed.
pub(super) fn current_journal(
    dir: &Path,
    files: &[JournalFile],
    entries: &BTreeMap<u64, (Vec<u8>, usize)>,
    (generation, revision): (u64, u64),
    acked: Option<ack::Acked>,
    report: &mut RepairReport,
    backup: &mut Backup,
) -> Result<bool, StoreError> {
    let path = journal_path(dir, generation);
    let on_disk = files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.lines.clone());
    let acked_to = acked
        .filter(|a| a.generation == generation)
        .map_or(0, |a| a.seq);
    let last = entries
        .keys()
        .next_back()
        .copied()
        .unwrap_or(0)
        .max(acked_to)
        .max(revision);
    let at = now_ms();
    let mut lines: Vec<u8> = Vec::new();
    let mut lost = Vec::new();
    for seq in revision + 1..=last {
        match entries.get(&seq) {
            Some((line, _)) => lines.extend_from_slice(line),
            None => {
                lost.push(seq);
                lines.extend(journal::placeholder(
                    seq,
                    at,
                    &format!("revision {seq} was acknowledged but no file holds it any more"),
                ));
            }
        }
    }
    let current: Vec<u8> = on_disk
        .iter()
        .flatten()
        .flat_map(|l| l.bytes.iter().copied())
        .collect();
    if on_disk.is_some() && current == lines {
        return Ok(false);
    }
    let found = match &on_disk {
        None => "the journal is missing".to_string(),
        Some(l) => {
            let bad: Vec<usize> = l
                .iter()
                .filter(|l| l.seq.is_none())
                .map(|l| l.number)
                .collect();
            let out_of_place = l
                .iter()
                .filter(|l| l.seq.is_some_and(|s| s <= revision))
                .count();
            let mut why = Vec::new();
            if !bad.is_empty() {
                why.push(format!("damaged line(s) {bad:?}"));
            }
            if out_of_place > 0 {
                why.push(format!("{out_of_place} entries of revisions before {revision}, which the checkpoint holds"));
            }
            if !lost.is_empty() {
                why.push(format!("no entry for revision(s) {}", ranges(&lost)));
            }
            if why.is_empty() {
                why.push("entries not in order, or held by another file".into());
            }
            why.join("; ")
        }
    };
    let moved = entries
        .range(revision + 1..)
        .filter(|(_, (_, f))| files[*f].path != path)
        .count();
    let mut done = format!("rewritten as revisions {} to {last} in order", revision + 1);
    if moved > 0 {
        done.push_str(&format!(" ({moved} of them found in another journal file)"));
    }
    if revision + 1 > last {
        done = "rewritten empty: the checkpoint holds every write".into();
    }
    let lost_text = (!lost.is_empty()).then(|| {
        format!(
            "what revision(s) {} wrote: acknowledged, but no file holds them (kept as entries that change nothing, so that no revision is given out twice); restore the journal from a backup to get them back",
            ranges(&lost)
        )
    });
    report.note(&path, found, done, lost_text);
    report.lost_revisions.extend(&lost);
    backup.replace(&path, &lines)?;
    Ok(true)
}

/// The older journals (kept beside the checkpoint and in `history/`): each keeps only its own
/// entries up to `revision`, in order, with every revision from its first on — a revision no
/// file holds written as an entry that changes nothing.
pub(super) fn older_journals(
    dir: &Path,
    files: &[JournalFile],
    entries: &BTreeMap<u64, (Vec<u8>, usize)>,
    (generation, revision): (u64, u64),
    report: &mut RepairReport,
    backup: &mut Backup,
) -> Result<(), StoreError> {
    let current = journal_path(dir, generation);
    let older: Vec<usize> = (0..files.len())
        .filter(|i| files[*i].path != current && files[*i].generation < generation)
        .collect();
    let Some(first) = entries.range(..=revision).next().map(|(s, _)| *s) else {
        return Ok(());
    };
    let (assigned, gaps) = placement(files, entries, &older, first, revision);
    let at = now_ms();
    for i in older {
        let f = &files[i];
        let mut want: BTreeMap<u64, Vec<u8>> = BTreeMap::new();
        for seq in assigned.get(&i).into_iter().flatten() {
            if let Some((line, _)) = entries.get(seq) {
                want.insert(*seq, line.clone());
            }
        }
        let lost: Vec<u64> = gaps.get(&i).cloned().unwrap_or_default();
        for seq in &lost {
            want.insert(
                *seq,
                journal::placeholder(
                    *seq,
                    at,
                    &format!(
                        "the history of revision {seq} was lost; what it wrote is in the shards"
                    ),
                ),
            );
        }
        let bytes: Vec<u8> = want.values().flatten().copied().collect();
        let current: Vec<u8> = f
            .lines
            .iter()
            .flat_map(|l| l.bytes.iter().copied())
            .collect();
        if bytes == current {
            continue;
        }
        let bad = f.lines.iter().filter(|l| l.seq.is_none()).count();
        let foreign = f
            .lines
            .iter()
            .filter(|l| l.seq.is_some_and(|s| s > revision))
            .count();
        let mut found = Vec::new();
        if bad > 0 {
            found.push(format!("{bad} damaged line(s)"));
        }
        if foreign > 0 {
            found.push(format!(
                "{foreign} entries after revision {revision}, which belong to the current journal"
            ));
        }
        if !lost.is_empty() {
            found.push(format!("no entry for revision(s) {}", ranges(&lost)));
        }
        if found.is_empty() {
            found.push("entries that belong to another journal file".into());
        }
        report.note(
            &f.path,
            found.join("; "),
            "rewritten with its own entries in order".into(),
            (!lost.is_empty()).then(|| {
                format!(
                    "the history of revision(s) {} (the change feed and record histories; what they wrote is in the shards)",
                    ranges(&lost)
                )
            }),
        );
        report.history_lost.extend(&lost);
        backup.replace(&f.path, &bytes)?;
    }
    // A history gap with no file to hold it (every older journal is gone) is only named.
    if files.iter().all(|f| f.path == current) && first > 1 {
        report.history_lost.extend(1..first.min(revision + 1));
    }
    Ok(())
}

/// Which revisions each older journal (`older`, by generation) is to hold: those up to
/// `revision` it holds now, in order of generation (contents swapped between files put back),
/// and the revisions no file holds (history lost), each where it belongs.
fn placement(
    files: &[JournalFile],
    entries: &BTreeMap<u64, (Vec<u8>, usize)>,
    older: &[usize],
    first: u64,
    revision: u64,
) -> (BTreeMap<usize, BTreeSet<u64>>, BTreeMap<usize, Vec<u64>>) {
    // Each older file's revisions: those it holds up to `revision`; the ones held only by a
    // file they do not belong to (the current journal, swapped) go to the latest older file.
    let mut assigned: BTreeMap<usize, BTreeSet<u64>> = BTreeMap::new();
    for (seq, (_, f)) in entries.range(..=revision) {
        let home = if older.contains(f) {
            *f
        } else {
            match older.last() {
                Some(last) => *last,
                None => continue,
            }
        };
        assigned.entry(home).or_default().insert(*seq);
    }
    // Files hold increasing revisions in the order of their generations: contents swapped
    // between files are put back in order.
    let holding: Vec<usize> = assigned.keys().copied().collect();
    let mut sets: Vec<BTreeSet<u64>> = assigned.values().cloned().collect();
    sets.sort_by_key(|s| s.iter().next().copied());
    let assigned: BTreeMap<usize, BTreeSet<u64>> = holding.into_iter().zip(sets).collect();
    // Revisions no file holds between the first kept and `revision`: history lost. Each goes in
    // the file whose revisions surround it, else one with damaged lines beside it, else the one
    // before it.
    let held: BTreeSet<u64> = entries.range(..=revision).map(|(s, _)| *s).collect();
    let bounds: Vec<(usize, u64, u64, bool)> = assigned
        .iter()
        .filter_map(|(f, seqs)| {
            let bad = files[*f].lines.iter().any(|l| l.seq.is_none());
            Some((*f, *seqs.iter().next()?, *seqs.iter().next_back()?, bad))
        })
        .collect();
    let missing: Vec<u64> = (first..=revision).filter(|s| !held.contains(s)).collect();
    let mut gaps: BTreeMap<usize, Vec<u64>> = BTreeMap::new();
    for run in missing.chunk_by(|a, b| a + 1 == *b) {
        let (a, b) = (run[0], run[run.len() - 1]);
        let within = bounds.iter().find(|(_, lo, hi, _)| *lo < a && b < *hi);
        let beside = bounds
            .iter()
            .filter(|(_, _, _, bad)| *bad)
            .find(|(_, lo, hi, _)| b + 1 == *lo || *hi + 1 == a);
        let before = bounds.iter().rfind(|(_, lo, _, _)| *lo < a);
        let home = within
            .or(beside)
            .or(before)
            .map(|(f, ..)| *f)
            .or_else(|| older.first().copied());
        if let Some(f) = home {
            gaps.entry(f).or_default().extend_from_slice(run);
        }
    }
    (assigned, gaps)
}
