//! The one path from an archive's files to meetings and items, which
//! `arkiv parse` and `arkiv index` (and so `arkiv serve`) both take:
//!
//! 1. [`read_files`]: each file is read once, hashed, decoded and cleaned,
//!    its words and metadata overrides found, on every core, a chunk of
//!    files at a time, and handed on in the archive's order;
//! 2. the caller counts the words into the [`WordTable`] and keeps the
//!    prepared text in a [`Spool`] (in memory up to a budget, past it in a
//!    temporary file), since no file can be finished before the table holds
//!    every file's words;
//! 3. [`finish_all`]: each prepared text is joined at its line-end hyphens
//!    by the table, segmented into meetings and items and given its
//!    metadata, again on every core, and handed on in order.
//!
//! In both stages the next chunk of files is made on every core while the
//! last is handed on (`overlapped`), so the cores do not wait for the
//! caller's work on each file.
//!
//! Memory is bounded whatever the archive's size: two chunks of files in
//! flight, and the spool's budget.

use crate::meta::Overrides;
use crate::model::{Diagnostic, FileParse};
use crate::walk::{overrides, read_document, skipped, ArchiveFile};
use crate::words::{FileWords, WordTable};
use crate::{Config, Prepared};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::{Read as _, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Files read at once, across the cores: what waits to be handed on stays small.
const CHUNK: usize = 64;

/// A file read and prepared, ready to be counted and finished.
#[derive(Debug)]
pub struct Ready {
    pub prepared: Prepared,
    pub overrides: Overrides,
    /// What the file adds to the word table.
    pub words: FileWords,
}

/// What reading one file gave.
#[derive(Debug)]
pub enum Outcome {
    /// Its bytes are what the caller has already (`wanted` said no).
    Unwanted,
    /// It could not be read.
    Unreadable(Diagnostic),
    /// It was read but holds no text (the file, with why).
    NoText(FileParse),
    Ready(Box<Ready>),
}

/// One file of stage 1.
#[derive(Debug)]
pub struct Read {
    pub file: ArchiveFile,
    /// blake3 of the bytes read, where they could be read.
    pub hash: Option<String>,
    pub outcome: Outcome,
}

/// Reads, hashes, decodes and cleans `files` on every core and hands each
/// to `take` in the order given. `wanted(file, hash)` says whether a file
/// whose bytes were read is to be prepared at all. `take` may stop the run
/// by returning an error.
pub fn read_files<E: Send>(
    files: &[ArchiveFile],
    cfg: &Config,
    wanted: impl Fn(&ArchiveFile, &str) -> bool + Sync,
    take: impl FnMut(Read) -> Result<(), E> + Send,
) -> Result<(), E> {
    let mut chunks = files.chunks(CHUNK);
    let next = || chunks.next().map(|chunk| chunk.par_iter().map(|f| read_one(f, cfg, &wanted)).collect());
    overlapped(next, take)
}

/// Hands what each batch of `next` gives to `take`, in order, and makes the
/// next batch while the last is taken: `next` works on every core, and the
/// cores do not wait while `take` runs alone. Two batches are in flight at
/// most. An error from `take` ends the run once the batch being made is
/// done.
fn overlapped<R: Send, E: Send>(mut next: impl FnMut() -> Option<Vec<R>> + Send, mut take: impl FnMut(R) -> Result<(), E> + Send) -> Result<(), E> {
    let mut current = next();
    while let Some(batch) = current {
        let (following, taken) = rayon::join(&mut next, || batch.into_iter().try_for_each(&mut take));
        taken?;
        current = following;
    }
    Ok(())
}

fn read_one(f: &ArchiveFile, cfg: &Config, wanted: &(impl Fn(&ArchiveFile, &str) -> bool + Sync)) -> Read {
    let bytes = match read_document(f) {
        Ok(b) => b,
        Err(d) => return Read { file: f.clone(), hash: None, outcome: Outcome::Unreadable(d) },
    };
    let hash = blake3::hash(&bytes).to_hex().to_string();
    if !wanted(f, &hash) {
        return Read { file: f.clone(), hash: Some(hash), outcome: Outcome::Unwanted };
    }
    let outcome = match crate::prepare(&f.path.display().to_string(), &f.relpath, &bytes, cfg) {
        Ok(mut prepared) => {
            let mut diags = vec![];
            let overrides = overrides(cfg, f, &mut diags);
            prepared.diagnostics.extend(diags);
            let words = FileWords::of_lines(&prepared.cleaned.lines);
            Outcome::Ready(Box::new(Ready { prepared, overrides, words }))
        }
        Err(fp) => Outcome::NoText(fp),
    };
    Read { file: f.clone(), hash: Some(hash), outcome }
}

/// Finishes the spooled texts with the table, on every core, and hands each
/// file's parse (with what was spooled with it) to `take` in the spool's
/// order. `map` runs on the cores too, for work the caller wants done on each
/// file beside it.
pub fn finish_all<X, T, E>(
    spool: Spool<X>,
    table: &WordTable,
    cfg: &Config,
    map: impl Fn(FileParse, X) -> T + Sync,
    mut take: impl FnMut(T) -> Result<(), E> + Send,
) -> Result<(), E>
where
    X: Serialize + DeserializeOwned + Send,
    T: Send,
    E: From<SpoolError> + Send,
{
    let mut entries = spool.drain()?;
    // A chunk ends at an entry that cannot be read back, with its error:
    // the run stops there.
    let next = || {
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut failed = None;
        for e in entries.by_ref().take(CHUNK) {
            match e {
                Ok(e) => chunk.push(e),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        if chunk.is_empty() && failed.is_none() {
            return None;
        }
        let mut done: Vec<Result<T, SpoolError>> = chunk.into_par_iter().map(|(p, ov, x)| Ok(map(crate::finish(p, table, cfg, &ov), x))).collect();
        done.extend(failed.map(Err));
        Some(done)
    };
    overlapped(next, |t| take(t?))
}

/// The whole pipeline over files and folders, for `arkiv parse`: the files
/// named share one word table. A file that cannot be read is in the result
/// with why.
pub fn parse_files(files: &[ArchiveFile], cfg: &Config) -> Vec<FileParse> {
    let mut out = vec![];
    let mut table = WordTable::default();
    let mut spool: Spool<()> = Spool::new(None, SPOOL_MEMORY);
    let read: Result<(), SpoolError> = read_files(files, cfg, |_, _| true, |r| {
        match r.outcome {
            Outcome::Ready(ready) => {
                table.add(&ready.words);
                spool.push(ready.prepared, ready.overrides, ());
            }
            Outcome::NoText(fp) => out.push(fp),
            Outcome::Unreadable(d) => out.push(skipped(&r.file, d)),
            Outcome::Unwanted => {}
        }
        Ok(())
    });
    let finished = read.and_then(|()| {
        finish_all(spool, &table, cfg, |fp, ()| fp, |fp| {
            out.push(fp);
            Ok::<(), SpoolError>(())
        })
    });
    if let Err(e) = finished {
        out.push(FileParse::of_diagnostic(Diagnostic {
            path: e.path.display().to_string(),
            line: None,
            code: "spool.unreadable".into(),
            message: format!("the texts kept for the second pass could not be read back: {}", e.message),
        }));
    }
    out
}

/// How much prepared text a spool keeps in memory before it writes to its
/// temporary file.
pub const SPOOL_MEMORY: usize = 128 * 1024 * 1024;

/// A spool's temporary file could not be written or read back.
#[derive(Debug, Clone)]
pub struct SpoolError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for SpoolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

type Entry<X> = (Prepared, Overrides, X);

enum Slot<X> {
    Memory(Box<Entry<X>>),
    /// Where in the temporary file, and how long.
    Disk(u64, u32),
}

/// Prepared texts kept in order between the two stages: in memory up to a
/// budget, past it in an unnamed temporary file (gone when the spool is,
/// however the process ends). Where the file cannot be written, entries stay
/// in memory: nothing is lost.
pub struct Spool<X> {
    slots: Vec<Slot<X>>,
    in_memory: usize,
    budget: usize,
    dir: Option<PathBuf>,
    file: Option<std::fs::File>,
    end: u64,
}

impl<X: Serialize + DeserializeOwned> Spool<X> {
    /// A spool whose temporary file is made in `dir` (the system's
    /// temporary folder where `None`).
    pub fn new(dir: Option<&Path>, budget: usize) -> Spool<X> {
        Spool { slots: vec![], in_memory: 0, budget, dir: dir.map(Path::to_path_buf), file: None, end: 0 }
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn push(&mut self, p: Prepared, ov: Overrides, x: X) {
        let size = p.cleaned.lines.iter().map(|l| l.text.len() + 48).sum::<usize>() + 256;
        let entry = (p, ov, x);
        if self.in_memory + size > self.budget {
            if let Some(slot) = self.write(&entry) {
                self.slots.push(slot);
                return;
            }
        }
        self.in_memory += size;
        self.slots.push(Slot::Memory(Box::new(entry)));
    }

    fn write(&mut self, entry: &Entry<X>) -> Option<Slot<X>> {
        if self.file.is_none() {
            let f = match &self.dir {
                Some(d) => tempfile::tempfile_in(d),
                None => tempfile::tempfile(),
            };
            match f {
                Ok(f) => self.file = Some(f),
                Err(e) => {
                    tracing::warn!(error = %e, "no temporary file for the prepared texts: keeping them in memory");
                    self.budget = usize::MAX;
                    return None;
                }
            }
        }
        let bytes = postcard::to_stdvec(entry).ok()?;
        let f = self.file.as_mut()?;
        match f.write_all(&bytes) {
            Ok(()) => {
                let slot = Slot::Disk(self.end, bytes.len() as u32);
                self.end += bytes.len() as u64;
                Some(slot)
            }
            Err(e) => {
                tracing::warn!(error = %e, "the temporary file of prepared texts could not be written: keeping them in memory");
                self.budget = usize::MAX;
                None
            }
        }
    }

    /// The entries in the order they were pushed.
    fn drain(self) -> Result<impl Iterator<Item = Result<Entry<X>, SpoolError>>, SpoolError> {
        let path = self.dir.clone().unwrap_or_else(std::env::temp_dir);
        let err = move |e: &dyn std::fmt::Display| SpoolError { path: path.clone(), message: e.to_string() };
        let mut file = self.file;
        if let Some(f) = file.as_mut() {
            f.flush().and_then(|()| f.seek(SeekFrom::Start(0)).map(|_| ())).map_err(|e| err(&e))?;
        }
        let mut reader = file.map(|f| std::io::BufReader::with_capacity(1 << 20, f));
        let mut pos = 0u64;
        let mut buf = vec![];
        Ok(self.slots.into_iter().map(move |slot| match slot {
            Slot::Memory(e) => Ok(*e),
            Slot::Disk(at, len) => {
                let r = reader.as_mut().ok_or_else(|| err(&"no temporary file"))?;
                if at != pos {
                    r.seek(SeekFrom::Start(at)).map_err(|e| err(&e))?;
                }
                buf.resize(len as usize, 0);
                r.read_exact(&mut buf).map_err(|e| err(&e))?;
                pos = at + len as u64;
                postcard::from_bytes(&buf).map_err(|e| err(&e))
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn prepared(text: &str) -> Prepared {
        crate::prepare("a.txt", "a.txt", text.as_bytes(), &Config::embedded()).unwrap()
    }

    #[test]
    fn a_spool_past_its_budget_gives_back_what_it_took_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut s: Spool<u32> = Spool::new(Some(dir.path()), 600);
        for k in 0..20u32 {
            s.push(prepared(&format!("Møde {k}\nlinje {k} med sundheds-\naftale\n")), Overrides::default(), k);
        }
        assert!(s.file.is_some(), "the budget should have sent entries to the file");
        let back: Vec<_> = s.drain().unwrap().map(|e| e.unwrap()).collect();
        assert_eq!(back.len(), 20);
        for (k, (p, _, x)) in back.iter().enumerate() {
            assert_eq!(*x, k as u32);
            assert_eq!(p.cleaned.lines[0].text, format!("Møde {k}"));
            assert_eq!(p.cleaned.lines.len(), 3);
        }
    }

    /// Batches of `size` numbers, counting what was made and not yet taken.
    fn batches<'a>(n: usize, size: usize, made: &'a AtomicUsize, open: &'a AtomicUsize, most: &'a AtomicUsize) -> impl FnMut() -> Option<Vec<usize>> + Send + 'a {
        use std::sync::atomic::Ordering::SeqCst;
        let mut k = 0;
        move || {
            if k >= n {
                return None;
            }
            let batch: Vec<usize> = (k..(k + size).min(n)).collect();
            k += batch.len();
            made.fetch_add(1, SeqCst);
            let now = open.fetch_add(batch.len(), SeqCst) + batch.len();
            most.fetch_max(now, SeqCst);
            // Give the other core time to take, so that batches overlap.
            std::thread::sleep(std::time::Duration::from_millis(1));
            Some(batch)
        }
    }

    #[test]
    fn overlapped_batches_are_taken_in_order_with_two_in_flight_at_most() {
        use std::sync::atomic::Ordering::SeqCst;
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let (made, open, most) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
        let mut taken = vec![];
        let r: Result<(), ()> = pool.install(|| {
            overlapped(batches(1000, 8, &made, &open, &most), |x| {
                open.fetch_sub(1, SeqCst);
                taken.push(x);
                Ok(())
            })
        });
        assert_eq!(r, Ok(()));
        assert_eq!(taken, (0..1000).collect::<Vec<_>>());
        assert!(most.load(SeqCst) <= 16, "{} made and not taken", most.load(SeqCst));
    }

    #[test]
    fn an_error_in_overlapped_taking_stops_the_run_after_the_batch_being_made() {
        use std::sync::atomic::Ordering::SeqCst;
        let (made, open, most) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
        let mut taken = vec![];
        let r = overlapped(batches(1000, 10, &made, &open, &most), |x| {
            if x == 35 {
                return Err(x);
            }
            taken.push(x);
            Ok(())
        });
        assert_eq!(r, Err(35));
        assert_eq!(taken, (0..35).collect::<Vec<_>>());
        // The batch of 35 (the fourth) and the one made beside it.
        assert_eq!(made.load(SeqCst), 5);
    }
}
