//! What each commit holds beside tantivy's segments: the manifest of indexed
//! files and the archive's word table, written as files of the commit's
//! generation (`manifest-G.json`, `words-G.tsv`) before the commit whose
//! payload names G. A commit and its files change together or not at all:
//! the files of the last commit are never written over, and go only once a
//! later commit names its own.
//!
//! Each file's words are kept as their numbers in the table, in an
//! append-only log (`file-words-N.log`); a file's manifest entry says where.
//! Removing or changing a file takes its old words back out of the table,
//! so the table is always that of the files the manifest holds.

use crate::build::Manifest;
use crate::IndexError;
use arkiv_ingest::WordTable;
use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// A commit's payload: which generation of files it names.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Payload {
    pub version: u32,
    pub generation: u64,
}

/// Where a file's words are in the log.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Span {
    pub at: u64,
    pub len: u32,
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> IndexError {
    IndexError::Io { path: path.to_path_buf(), message: e.to_string() }
}

pub fn manifest_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("manifest-{generation}.json"))
}

pub fn words_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("words-{generation}.tsv"))
}

/// The payload of the index's last commit.
pub fn payload(index: &tantivy::Index) -> Option<Payload> {
    index.load_metas().ok()?.payload.and_then(|p| serde_json::from_str(&p).ok())
}

/// The manifest a commit's payload names (empty where there is none).
pub fn manifest_of(dir: &Path, payload: Option<Payload>) -> Result<Manifest, IndexError> {
    let Some(p) = payload else { return Ok(Manifest::default()) };
    let path = manifest_path(dir, p.generation);
    let text = std::fs::read_to_string(&path).map_err(|e| io_err(&path, e))?;
    serde_json::from_str(&text).map_err(|e| io_err(&path, e))
}

/// The word table a commit's payload names (empty where there is none).
pub fn words_of(dir: &Path, payload: Option<Payload>) -> Result<WordTable, IndexError> {
    let Some(p) = payload else { return Ok(WordTable::default()) };
    let path = words_path(dir, p.generation);
    let f = std::fs::File::open(&path).map_err(|e| io_err(&path, e))?;
    WordTable::read(std::io::BufReader::new(f)).map_err(|e| io_err(&path, e))
}

/// Writes a generation's manifest and word table, each whole and on disk
/// before the commit that names them.
pub fn write_generation(dir: &Path, generation: u64, manifest: &Manifest, table: &WordTable) -> Result<(), IndexError> {
    write_whole(&manifest_path(dir, generation), |w| serde_json::to_writer(w, manifest).map_err(Into::into))?;
    write_whole(&words_path(dir, generation), |w| table.write(w))
}

/// Writes a file through a temporary file, synced, and a rename: a crash
/// leaves either nothing or the whole file.
fn write_whole(path: &Path, write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>) -> Result<(), IndexError> {
    let tmp = path.with_extension("tmp");
    (|| -> std::io::Result<()> {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        write(&mut f)?;
        f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    })()
    .map_err(|e| io_err(path, e))
}

/// Removes the files of every generation but `keep`, and logs the manifest
/// does not name: what a finished commit, or a run that was stopped, left.
pub fn remove_others(dir: &Path, keep: u64, log: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mine = [manifest_path(dir, keep), words_path(dir, keep), dir.join(log)];
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = (name.starts_with("manifest-") && name.ends_with(".json"))
            || (name.starts_with("words-") && name.ends_with(".tsv"))
            || (name.starts_with("file-words-") && name.ends_with(".log"))
            || name.ends_with(".tmp");
        if ours && !mine.contains(&e.path()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Writes the log anew as `name` when most of it is the words of files the
/// manifest no longer holds (removed or changed since they were written):
/// the table numbered afresh without the words no file holds, each file's
/// words written again under their new numbers, the manifest's spans and log
/// name changed to match. The old log stays until a commit names the new one.
/// Whether it did.
pub fn compact(dir: &Path, name: &str, manifest: &mut Manifest, table: &mut WordTable, log: &mut WordLog) -> Result<bool, IndexError> {
    let live: u64 = manifest.files.values().filter_map(|e| e.words).map(|s| s.len as u64).sum();
    if log.end() <= 2 * live || name == manifest.log {
        return Ok(false);
    }
    let (fresh, renumber) = table.compacted();
    let mut to = WordLog::open(dir, name, 0)?;
    for e in manifest.files.values_mut() {
        if let Some(span) = e.words {
            let ids: Vec<u32> = log.read(span)?.into_iter().filter_map(|id| renumber.get(id as usize).copied()).filter(|&id| id != u32::MAX).collect();
            e.words = Some(to.append(&ids)?);
        }
    }
    *table = fresh;
    *log = to;
    manifest.log = name.to_string();
    Ok(true)
}

/// The log of each file's word numbers.
pub struct WordLog {
    path: PathBuf,
    file: std::fs::File,
    end: u64,
}

impl WordLog {
    /// Opens `name` in `dir` for reading and appending (created if missing).
    /// What a stopped run appended past the end `committed_end` is written
    /// over.
    pub fn open(dir: &Path, name: &str, committed_end: u64) -> Result<WordLog, IndexError> {
        let path = dir.join(name);
        let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(|e| io_err(&path, e))?;
        Ok(WordLog { path, file, end: committed_end })
    }

    pub fn end(&self) -> u64 {
        self.end
    }

    /// Appends one file's word numbers.
    pub fn append(&mut self, ids: &[u32]) -> Result<Span, IndexError> {
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        let mut prev = 0;
        let deltas: Vec<u32> = sorted
            .iter()
            .map(|&id| {
                let d = id - prev;
                prev = id;
                d
            })
            .collect();
        let bytes = postcard::to_stdvec(&deltas).map_err(|e| io_err(&self.path, e))?;
        self.file.seek(SeekFrom::Start(self.end)).and_then(|_| self.file.write_all(&bytes)).map_err(|e| io_err(&self.path, e))?;
        let span = Span { at: self.end, len: bytes.len() as u32 };
        self.end += bytes.len() as u64;
        Ok(span)
    }

    /// One file's word numbers.
    pub fn read(&mut self, span: Span) -> Result<Vec<u32>, IndexError> {
        let mut buf = vec![0; span.len as usize];
        self.file.seek(SeekFrom::Start(span.at)).and_then(|_| self.file.read_exact(&mut buf)).map_err(|e| io_err(&self.path, e))?;
        let deltas: Vec<u32> = postcard::from_bytes(&buf).map_err(|e| io_err(&self.path, e))?;
        let mut id = 0;
        Ok(deltas
            .into_iter()
            .map(|d| {
                id += d;
                id
            })
            .collect())
    }

    /// Makes the appended numbers durable before the commit that names them.
    pub fn sync(&self) -> Result<(), IndexError> {
        self.file.sync_data().map_err(|e| io_err(&self.path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_s_words_come_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = WordLog::open(dir.path(), "file-words-1.log", 0).unwrap();
        let a = log.append(&[9, 3, 400_000, 0]).unwrap();
        let b = log.append(&[]).unwrap();
        let c = log.append(&[7]).unwrap();
        assert_eq!(log.read(a).unwrap(), vec![0, 3, 9, 400_000]);
        assert_eq!(log.read(b).unwrap(), Vec::<u32>::new());
        assert_eq!(log.read(c).unwrap(), vec![7]);
        // A run that appended past the last commit is written over.
        let mut again = WordLog::open(dir.path(), "file-words-1.log", c.at).unwrap();
        let d = again.append(&[1, 2]).unwrap();
        assert_eq!(d.at, c.at);
        assert_eq!(again.read(d).unwrap(), vec![1, 2]);
        assert_eq!(again.read(a).unwrap(), vec![0, 3, 9, 400_000]);
    }
}
