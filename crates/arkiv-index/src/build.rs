//! Building and updating the index from an archive: unchanged files are
//! skipped, changed files re-indexed, removed files removed.

use crate::join;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::store;
use crate::{IndexError, SYNONYMS_FILE};
use arkiv_analysis::{Analyzer, Lexicon};
use arkiv_ingest::pipeline::{finish_all, read_files, Outcome, Spool, SpoolError};
use arkiv_ingest::{Config, Diagnostic, WordTable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::{DateTime, Index, ReloadPolicy, TantivyDocument, Term};

/// What the last commit indexed: written with the commit, as a file of its
/// generation (see `store`), so that it and the index change together or not
/// at all.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Manifest {
    pub version: u32,
    /// The archive folder indexed, as an absolute path: where the original
    /// files are served from.
    #[serde(default)]
    pub archive: Option<String>,
    /// Relative path -> what was indexed from it.
    pub files: BTreeMap<String, FileEntry>,
    /// Meetings whose documents were indexed but not yet joined: a run
    /// stopped between its two commits leaves them to the next run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejoin: Vec<String>,
    /// The log of each file's words (see `store`), and how far the
    /// committed part of it goes.
    #[serde(default)]
    pub log: String,
    #[serde(default)]
    pub log_end: u64,
    /// When the run that wrote this manifest started.
    #[serde(default)]
    pub started: Option<Stamp>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileEntry {
    /// blake3 of the file's bytes.
    pub hash: String,
    pub items: usize,
    /// Why the file gave no text, when it did not: an unchanged file that
    /// could not be read is not read again, and its reason is reported again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<Vec<Diagnostic>>,
    /// The file's size and modification time when it was read.
    #[serde(default)]
    pub stat: Option<(u64, Stamp)>,
    /// Where the log has the file's words.
    #[serde(default)]
    pub words: Option<store::Span>,
}

/// What an indexing run did.
#[derive(Debug, Clone, Serialize, Default)]
pub struct IndexSummary {
    pub files_seen: usize,
    pub unchanged: usize,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    /// Files that could not be indexed, with why (each is also in diagnostics).
    pub skipped: Vec<Diagnostic>,
    /// Everything odd the parser noticed.
    pub diagnostics: Vec<Diagnostic>,
    pub items_indexed: usize,
    pub items_total: u64,
    pub bytes_parsed: usize,
    /// Documents read in this run, by format (txt, pdf, docx).
    pub formats: BTreeMap<String, usize>,
    pub seconds: f64,
    pub rebuilt: bool,
    /// Meetings joined after the run's first commit, in a second one: those
    /// whose documents the run wrote twice, more than the join window
    /// apart (see `JOIN_WINDOW`), and those a stopped run left.
    pub joined_after_commit: usize,
}

/// The index writer's threads and memory budget (public for the indexing
/// floor benchmark, `examples/tantivy_floor.rs`, which uses the same).
pub const WRITER_THREADS: usize = 2;
pub const WRITER_MEMORY: usize = 256 * 1024 * 1024;


fn io_err(path: &Path, e: impl std::fmt::Display) -> IndexError {
    IndexError::Io { path: path.to_path_buf(), message: e.to_string() }
}

/// The file in an index folder whose lock a writing run holds.
const WRITE_LOCK: &str = ".arkiv-write.lock";

/// The writer's lock on an index folder, held for the whole run, from before
/// the run decides whether to rebuild: two runs never both write, and the
/// second says so in arkiv's words rather than tantivy's. The kernel lets go
/// of it when the process ends, however it ends.
struct WriteLock {
    _file: std::fs::File,
}

impl WriteLock {
    fn acquire(dir: &Path, wait: bool) -> Result<WriteLock, IndexError> {
        use std::os::fd::AsRawFd;
        let path = dir.join(WRITE_LOCK);
        let f = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| io_err(&path, e))?;
        let op = if wait { libc::LOCK_EX } else { libc::LOCK_EX | libc::LOCK_NB };
        // SAFETY: flock on a descriptor we own.
        if unsafe { libc::flock(f.as_raw_fd(), op) } != 0 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
                return Err(IndexError::Busy(dir.to_path_buf()));
            }
            return Err(io_err(&path, e));
        }
        Ok(WriteLock { _file: f })
    }
}

/// Refuses a folder that holds something other than an arkiv index, before
/// anything (the write lock included) is written into it.
fn refuse_foreign(dir: &Path) -> Result<(), IndexError> {
    if !dir.is_dir() || dir.join("meta.json").exists() {
        return Ok(());
    }
    let nonempty = std::fs::read_dir(dir).map_err(|e| io_err(dir, e))?.any(|e| e.map(|e| e.file_name() != WRITE_LOCK).unwrap_or(true));
    if nonempty {
        return Err(io_err(dir, "the folder is not empty and holds no arkiv index; give an empty or new folder"));
    }
    Ok(())
}

/// Opens the index in `dir`, or creates it. An index of an older schema is
/// rebuilt from scratch.
fn open_or_create(dir: &Path) -> Result<(Index, bool), IndexError> {
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    if dir.join("meta.json").exists() {
        let index = Index::open_in_dir(dir)?;
        let current = store::payload(&index).is_some_and(|p| p.version == SCHEMA_VERSION && store::manifest_path(dir, p.generation).exists());
        if current && schema::fields_of(&index.schema()).is_ok() {
            return Ok((index, false));
        }
        drop(index);
        tracing::info!(dir = %dir.display(), "index of another version: rebuilding");
        for e in std::fs::read_dir(dir).map_err(|e| io_err(dir, e))? {
            let p = e.map_err(|e| io_err(dir, e))?.path();
            if p.is_file() && !p.ends_with(WRITE_LOCK) {
                std::fs::remove_file(&p).map_err(|e| io_err(&p, e))?;
            }
        }
        let (schema, _) = schema::build();
        return Ok((Index::create_in_dir(dir, schema)?, true));
    }
    let (schema, _) = schema::build();
    Ok((Index::create_in_dir(dir, schema)?, true))
}

/// The time each step of a run took, logged at debug level as it ends
/// (`RUST_LOG=arkiv_index=debug arkiv index …`): where a re-index spends
/// its seconds, for the benchmark's notes.
struct Phases {
    last: Instant,
}

impl Phases {
    fn end(&mut self, phase: &'static str) {
        let now = Instant::now();
        tracing::debug!(phase, ms = format!("{:.0}", (now - self.last).as_secs_f64() * 1e3), "indexing step done");
        self.last = now;
    }
}

pub fn update(archive: &Path, dir: &Path, cfg: &Config, synonyms_toml: &str, wait: bool) -> Result<IndexSummary, IndexError> {
    let t0 = Instant::now();
    let mut phases = Phases { last: t0 };
    let started = Stamp::now();
    if !archive.is_dir() {
        return Err(io_err(archive, "not a folder"));
    }
    crate::Synonyms::parse(synonyms_toml).map_err(|message| IndexError::Config { path: dir.join(SYNONYMS_FILE), message })?;
    refuse_foreign(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let _lock = WriteLock::acquire(dir, wait)?;
    let (index, created) = open_or_create(dir)?;
    // A run over an index that exists most likely reads a small part of
    // the archive: it holds small pages from the start (the walk and the
    // manifest are its first fresh memory), and gives them back if the
    // walk shows it reads more than a tenth of the files.
    let mut small_pages = if created { None } else { SmallPages::hold() };
    let fields = schema::fields_of(&index.schema())?;
    // The last commit's generation of files (none for a new index).
    let last = if created { None } else { store::payload(&index) };
    // Which files changed: a file whose size and modification time are
    // what the manifest has (and were not within a second of the last run's
    // start, when a change could hide in the same time) is not read at all;
    // the others are read once, and a file whose content hashes as before is
    // unchanged. The last commit's manifest and word table are read on a
    // thread of their own while the archive is walked and its files' sizes
    // and times are asked for (on every core: at a million items that is
    // 143,000 calls to the kernel); neither needs the other.
    let (loaded, files, walk_diags, stamps) = std::thread::scope(|s| {
        let loaded = s.spawn(|| -> Result<_, IndexError> { Ok((store::manifest_of(dir, last)?, store::words_of(dir, last)?)) });
        let (files, walk_diags) = arkiv_ingest::walk_archive(archive);
        let stamps: Vec<Option<(u64, Stamp)>> = {
            use rayon::prelude::*;
            files.par_iter().map(|f| Stamp::of_file(&f.path)).collect()
        };
        (loaded.join().unwrap_or_else(|p| std::panic::resume_unwind(p)), files, walk_diags, stamps)
    });
    let (mut old, mut table) = loaded?;
    phases.end("open, walk and stat; manifest and word table loaded");
    let mut generation = last.map_or(0, |p| p.generation);
    let log_name = if old.log.is_empty() { format!("file-words-{}.log", generation + 1) } else { old.log.clone() };
    store::remove_others(dir, generation, &log_name);
    let mut log = store::WordLog::open(dir, &log_name, old.log_end)?;
    let mut summary = IndexSummary { rebuilt: created, ..Default::default() };
    summary.skipped.extend(walk_diags.iter().cloned());
    summary.files_seen = files.len();
    let root = std::fs::canonicalize(archive).map_err(|e| io_err(archive, e))?;
    let mut manifest = Manifest { version: SCHEMA_VERSION, archive: Some(root.to_string_lossy().into_owned()), files: BTreeMap::new(), rejoin: vec![], log: log_name, log_end: 0, started: Some(started) };
    let mut to_read: Vec<arkiv_ingest::ArchiveFile> = vec![];
    let mut stats: std::collections::HashMap<String, Option<(u64, Stamp)>> = std::collections::HashMap::new();
    // An unchanged file's entry moves to the new manifest: what stays in
    // the old one is the files changed or gone.
    let last_started = old.started;
    for (f, stat) in files.iter().zip(stamps) {
        let same = |e: &FileEntry| stat.is_some() && e.stat == stat && last_started.is_some_and(|s| stat.is_some_and(|(_, m)| m.trusted_before(s)));
        let unchanged = old.files.get(&f.relpath).is_some_and(same);
        match if unchanged { old.files.remove_entry(&f.relpath) } else { None } {
            Some((relpath, e)) => {
                summary.unchanged += 1;
                summary.skipped.extend(e.skipped.iter().flatten().cloned());
                manifest.files.insert(relpath, e);
            }
            None => {
                stats.insert(f.relpath.clone(), stat);
                to_read.push(f.clone());
            }
        }
    }
    phases.end("unchanged files kept");
    if to_read.len() * 10 > files.len() {
        drop(small_pages.take());
    }
    let seen: std::collections::HashSet<&str> = files.iter().map(|f| f.relpath.as_str()).collect();
    let removed: Vec<String> = old.files.keys().filter(|k| !seen.contains(String::as_str(k))).cloned().collect();
    summary.removed = removed.len();

    // Stage 1 of the pipeline: each file read once, hashed, decoded and
    // cleaned on every core; its words counted into the table and kept in
    // the log; the prepared text spooled for stage 2.
    let mut spool: Spool<Pending> = Spool::new(Some(dir), arkiv_ingest::pipeline::SPOOL_MEMORY);
    // Files whose old items and words go: removed, changed, or unreadable
    // as text now.
    let mut replaced: Vec<String> = removed.clone();
    let mut removed_now: Vec<String> = vec![];
    let wanted = |f: &arkiv_ingest::ArchiveFile, hash: &str| old.files.get(&f.relpath).is_none_or(|e| e.hash != hash);
    read_files(&to_read, cfg, wanted, |r| -> Result<(), IndexError> {
        let relpath = r.file.relpath.clone();
        let stat = stats.get(&relpath).copied().flatten();
        let prev = old.files.get(&relpath);
        let hash = r.hash.unwrap_or_default();
        match r.outcome {
            // Unreadable now: what was indexed from it stays.
            Outcome::Unreadable(d) => {
                if let Some(e) = prev {
                    manifest.files.insert(relpath, e.clone());
                }
                summary.skipped.push(d);
            }
            // Its bytes hash as the manifest has them (`wanted` said so).
            Outcome::Unwanted => {
                summary.unchanged += 1;
                if let Some(e) = prev {
                    summary.skipped.extend(e.skipped.iter().flatten().cloned());
                    manifest.files.insert(relpath, FileEntry { stat, ..e.clone() });
                }
            }
            outcome => {
                if prev.is_some() {
                    summary.changed += 1;
                    replaced.push(relpath.clone());
                } else {
                    summary.added += 1;
                }
                match outcome {
                    // A file that became unreadable loses its old items:
                    // they no longer say what the file says.
                    Outcome::NoText(fp) => {
                        summary.skipped.extend(fp.diagnostics.iter().cloned());
                        removed_now.push(relpath.clone());
                        manifest.files.insert(relpath, FileEntry { hash, items: 0, skipped: Some(fp.diagnostics), stat, words: None });
                    }
                    Outcome::Ready(ready) => {
                        let words = log.append(&table.add(&ready.words))?;
                        spool.push(ready.prepared, ready.overrides, Pending { hash, stat, words });
                    }
                    Outcome::Unreadable(_) | Outcome::Unwanted => unreachable!(),
                }
            }
        }
        Ok(())
    })?;
    for r in &replaced {
        if let Some(span) = old.files.get(r).and_then(|e| e.words) {
            table.remove(&log.read(span)?);
        }
    }
    phases.end("stage 1: files read, cleaned and their words counted");
    let syn_path = dir.join(SYNONYMS_FILE);
    std::fs::write(&syn_path, synonyms_toml).map_err(|e| io_err(&syn_path, e))?;
    let analyzer = Analyzer::new(Arc::new(Lexicon::of_words(table.iter().map(|(w, _)| w))));
    arkiv_analysis::register(&index, &analyzer);
    phases.end("analyzer's lexicon");

    // Stage 2: segment and index, in the archive's order. An item is indexed
    // joined with its meeting's other documents; a file that goes or
    // changes takes its joined items with it, and the other documents'
    // parts of them are indexed again, to be joined anew.
    let old_searcher = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?.searcher();
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY)?;
    let gone: std::collections::HashSet<String> = replaced.iter().chain(&removed_now).cloned().collect();
    let mut run = RunKeys::default();
    run.pending.extend(old.rejoin.iter().cloned());
    // The items of the files that go or change, each once (an item of two
    // changed files too), read on all cores for their other documents' parts.
    let mut read = std::collections::HashSet::new();
    for r in &gone {
        read.extend(items_with(&old_searcher, fields.file, r)?);
        writer.delete_term(Term::from_field_text(fields.file, r));
    }
    let kept: Vec<Vec<join::StoredPart>> = {
        use rayon::prelude::*;
        read.par_iter().map(|&a| joined_from_at(&old_searcher, fields, a)).collect::<Result<_, _>>()?
    };
    for part in kept.into_iter().flatten().filter(|part| !gone.contains(&part.head.path)) {
        run.orphans.entry(part.head.key.clone()).or_default().push(part);
    }
    let before = Before { searcher: &old_searcher, gone: &gone, read };
    phases.end("old items of changed files looked up");
    let parts_of = |fp: arkiv_ingest::FileParse, pending: Pending| {
        let parts = join::parts_of(&fp);
        (fp, parts, pending)
    };
    finish_all(spool, &table, cfg, parts_of, |(fp, parts, pending)| -> Result<(), IndexError> {
        summary.bytes_parsed += fp.bytes;
        if let Some(format) = fp.format {
            *summary.formats.entry(format.as_str().to_string()).or_default() += 1;
        }
        summary.diagnostics.extend(fp.diagnostics);
        let mut n = 0;
        for part in parts {
            n += part.items.len();
            run.add(part);
        }
        run.end_file(&mut writer, fields, &before)?;
        summary.items_indexed += n;
        manifest.files.insert(fp.relpath, FileEntry { hash: pending.hash, items: n, skipped: None, stat: pending.stat, words: Some(pending.words) });
        Ok(())
    })?;
    run.finish(&mut writer, fields, &before)?;
    drop(old_searcher);
    phases.end("stage 2: segmented, joined and indexed");
    // Commit the documents' items, with the meetings still to join named in
    // the manifest: a run that is stopped here leaves them to the next.
    manifest.rejoin = run.pending.iter().cloned().collect();
    store::compact(dir, &format!("file-words-{}.log", generation + 1), &mut manifest, &mut table, &mut log)?;
    log.sync()?;
    manifest.log_end = log.end();
    generation += 1;
    phases.end("word log compacted and synced");
    commit(&mut writer, dir, generation, &manifest, &table)?;
    phases.end("commit");
    summary.joined_after_commit = manifest.rejoin.len();
    if !manifest.rejoin.is_empty() {
        // The merges of the first commit's segments end before the joining
        // reads them: a merge that ended while the reader opened a segment
        // would delete its files under it.
        writer.wait_merging_threads()?;
        writer = index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let searcher = reader.searcher();
        for key in &manifest.rejoin {
            let mut parts: Vec<join::StoredPart> = vec![];
            for a in items_with(&searcher, fields.meeting_key, key)? {
                parts.extend(joined_from_at(&searcher, fields, a)?);
            }
            writer.delete_term(Term::from_field_text(fields.meeting_key, key));
            for j in join::join(join::regroup(parts)) {
                writer.add_document(document(&j, fields))?;
            }
        }
        manifest.rejoin.clear();
        generation += 1;
        commit(&mut writer, dir, generation, &manifest, &table)?;
        phases.end("meetings joined after the commit, and their commit");
    }
    writer.wait_merging_threads()?;
    phases.end("segment merges");
    store::remove_others(dir, generation, &manifest.log);
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    summary.items_total = reader.searcher().num_docs();
    summary.seconds = t0.elapsed().as_secs_f64();
    Ok(summary)
}

/// Transparent huge pages given up while a run reads a small part of an
/// archive already indexed, and given back when it ends (`update` holds
/// them from the start over an existing index and lets go once the walk
/// shows more than a tenth of the files to read). The allocator asks for
/// huge pages; each fresh one is 2 MiB the kernel zeroes on first touch.
/// A full build keeps its memory and gains from the fewer TLB misses (at a
/// million items; BENCHMARKS.md, seventh run); a short run touches fresh
/// memory once, and the zeroing was an eighth of a 1% re-index's samples
/// at a million items.
struct SmallPages(());

/// How many runs of this process hold small pages, and the setting the
/// first of them found: runs in one process (tests, or two indexes) may
/// overlap, and only the last to end puts the setting back.
#[cfg(target_os = "linux")]
static SMALL_PAGES: std::sync::Mutex<(usize, libc::c_int)> = std::sync::Mutex::new((0, 0));

impl SmallPages {
    /// Gives up huge pages until the guard is dropped; None where the
    /// setting can't be changed (or off Linux).
    fn hold() -> Option<SmallPages> {
        #[cfg(target_os = "linux")]
        {
            let mut held = SMALL_PAGES.lock().unwrap_or_else(|e| e.into_inner());
            if held.0 == 0 {
                // SAFETY: prctl with these options reads and sets one flag
                // of the process; no memory is passed.
                let was = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
                if was < 0 || unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) } != 0 {
                    return None;
                }
                held.1 = was;
            }
            held.0 += 1;
            Some(SmallPages(()))
        }
        #[cfg(not(target_os = "linux"))]
        None
    }
}

impl Drop for SmallPages {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        {
            let mut held = SMALL_PAGES.lock().unwrap_or_else(|e| e.into_inner());
            held.0 -= 1;
            if held.0 == 0 {
                // SAFETY: as in `for_run`.
                unsafe {
                    libc::prctl(libc::PR_SET_THP_DISABLE, held.1 as libc::c_ulong, 0, 0, 0);
                }
            }
        }
    }
}

/// What a spooled file carries to stage 2 for its manifest entry.
#[derive(Serialize, Deserialize)]
struct Pending {
    hash: String,
    stat: Option<(u64, Stamp)>,
    words: store::Span,
}

/// A moment, as a file's modification time is kept: seconds and
/// nanoseconds since 1970.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp(pub i64, pub u32);

impl Stamp {
    fn now() -> Stamp {
        Stamp::of(std::time::SystemTime::now())
    }

    fn of(t: std::time::SystemTime) -> Stamp {
        match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => Stamp(d.as_secs() as i64, d.subsec_nanos()),
            Err(_) => Stamp(0, 0),
        }
    }

    /// A file's size and modification time, following links.
    fn of_file(path: &Path) -> Option<(u64, Stamp)> {
        let m = std::fs::metadata(path).ok()?;
        Some((m.len(), Stamp::of(m.modified().ok()?)))
    }

    /// Whether a file last modified at this time, and seen so by a run that
    /// started at `run`, can be trusted unchanged by its time: a change in
    /// the same second as that run could leave the time as it was.
    fn trusted_before(self, run: Stamp) -> bool {
        self.0 + 1 < run.0
    }
}

/// Commits the writer's documents with the generation's manifest and word
/// table. Those two are written (whole and synced) on a thread of their own
/// while the writer's segments are written and synced; the commit that
/// names them comes after both, and a failure of either commits nothing.
fn commit(writer: &mut tantivy::IndexWriter, dir: &Path, generation: u64, manifest: &Manifest, table: &WordTable) -> Result<(), IndexError> {
    let payload = serde_json::to_string(&store::Payload { version: SCHEMA_VERSION, generation }).expect("payload serializes");
    std::thread::scope(|s| {
        let files = s.spawn(|| store::write_generation(dir, generation, manifest, table));
        let prepared = writer.prepare_commit();
        files.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        let mut prepared_commit = prepared?;
        prepared_commit.set_payload(&payload);
        prepared_commit.commit()?;
        Ok(())
    })
}

/// Files a meeting's documents may lie apart in the archive's order and
/// still be joined before they are written: an agenda and its minutes
/// usually sit side by side. Documents further apart are joined after the
/// first commit.
const JOIN_WINDOW: u64 = 64;

/// The index as the run found it, and the files whose items the run
/// deletes: a meeting written in this run is joined with what it had there.
struct Before<'a> {
    searcher: &'a tantivy::Searcher,
    gone: &'a std::collections::HashSet<String>,
    /// The items those files are part of, read when the run looked up
    /// their other documents' parts: they go with the files, and a meeting
    /// written later does not read them again.
    read: std::collections::HashSet<tantivy::DocAddress>,
}

/// The meetings indexed in one run: the documents' meetings held back to
/// be joined with the next files', and the meetings that must be joined
/// after the first commit.
#[derive(Default)]
struct RunKeys {
    /// Key -> the file it was last seen in, and its parts not yet written.
    held: std::collections::HashMap<String, (u64, Vec<join::Part>)>,
    /// Key -> the parts of documents that stay whose joined items went with
    /// a file that changed or went. They wait, outside the window, until
    /// their meeting comes in a file of this run or the run ends, so that a
    /// changed document is joined with its meeting's other documents in one
    /// writing, not again after the first commit.
    orphans: std::collections::HashMap<String, Vec<join::StoredPart>>,
    /// Keys written in this run.
    written: std::collections::HashSet<String>,
    pending: std::collections::BTreeSet<String>,
    file_no: u64,
}

impl RunKeys {
    /// Takes one document's meeting, to be written joined with the other
    /// documents of its meeting that come within the window.
    fn add(&mut self, part: join::Part) {
        let e = self.held.entry(part.head.key.clone()).or_insert_with(|| (self.file_no, vec![]));
        e.0 = self.file_no;
        e.1.push(part);
    }

    /// Ends a file: meetings last seen a window ago are written.
    fn end_file(&mut self, writer: &mut tantivy::IndexWriter, fields: Fields, before: &Before) -> Result<(), IndexError> {
        self.file_no += 1;
        let due: Vec<String> = self.held.iter().filter(|(_, (seen, _))| seen + JOIN_WINDOW <= self.file_no).map(|(k, _)| k.clone()).collect();
        self.write(writer, fields, before, due)
    }

    /// Writes meetings' items, joined from the parts gathered.
    fn write(&mut self, writer: &mut tantivy::IndexWriter, fields: Fields, before: &Before, keys: impl IntoIterator<Item = String>) -> Result<(), IndexError> {
        for key in keys {
            let parts = self.gather(writer, fields, before, &key)?;
            for j in join::join(parts) {
                writer.add_document(document(&j, fields))?;
            }
        }
        Ok(())
    }

    /// A meeting's parts to write: those held, its orphans, and, the first
    /// time the run writes it, the items the index has of it that none of
    /// the run's deleted files is part of (those are deleted, to be written
    /// again joined with the rest).
    fn gather(&mut self, writer: &mut tantivy::IndexWriter, fields: Fields, before: &Before, key: &str) -> Result<Vec<join::Part>, IndexError> {
        let mut parts = self.held.remove(key).map(|(_, p)| p).unwrap_or_default();
        let mut stored = self.orphans.remove(key).unwrap_or_default();
        if parts.is_empty() && stored.is_empty() {
            return Ok(parts);
        }
        if self.written.insert(key.to_string()) {
            let term = Term::from_field_text(fields.meeting_key, key);
            if before.searcher.doc_freq(&term)? > 0 {
                let mut kept: Vec<Vec<join::StoredPart>> = vec![];
                for a in items_with(before.searcher, fields.meeting_key, key)?.into_iter().filter(|a| !before.read.contains(a)) {
                    let parts = joined_from_at(before.searcher, fields, a)?;
                    if parts.iter().all(|p| !before.gone.contains(&p.head.path)) {
                        kept.push(parts);
                    }
                }
                if !kept.is_empty() {
                    writer.delete_term(term);
                    stored.extend(kept.into_iter().flatten());
                }
            }
        } else {
            // Written before in this run: the two writings are joined later.
            self.pending.insert(key.to_string());
        }
        parts.extend(join::regroup(stored));
        Ok(parts)
    }

    /// Writes every meeting still held, and the orphans no file of the run
    /// came back for.
    fn finish(&mut self, writer: &mut tantivy::IndexWriter, fields: Fields, before: &Before) -> Result<(), IndexError> {
        let keys: std::collections::BTreeSet<String> = self.held.keys().chain(self.orphans.keys()).cloned().collect();
        self.write(writer, fields, before, keys)
    }
}

/// The items of the index matching `value` in `field`.
fn items_with(searcher: &tantivy::Searcher, field: tantivy::schema::Field, value: &str) -> Result<std::collections::HashSet<tantivy::DocAddress>, IndexError> {
    let q = TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic);
    Ok(searcher.search(&q, &DocSetCollector)?)
}

/// The parts the stored item at `addr` was joined from.
fn joined_from_at(searcher: &tantivy::Searcher, f: Fields, addr: tantivy::DocAddress) -> Result<Vec<join::StoredPart>, IndexError> {
    let bad = |what: &str, e: serde_json::Error| IndexError::Tantivy(tantivy::TantivyError::InternalError(format!("stored {what}: {e}")));
    let doc: TantivyDocument = searcher.doc(addr)?;
    let text = |field| doc.get_first(field).and_then(|v| v.as_str());
    let kept: Vec<join::KeptPart> = serde_json::from_str(text(f.joined_from).unwrap_or("[]")).map_err(|e| bad("parts", e))?;
    let shared: join::Shared = serde_json::from_str(text(f.doc).unwrap_or("")).map_err(|e| bad("item", e))?;
    Ok(kept.into_iter().map(|k| k.restore(&shared)).collect())
}

/// Days since 1970 of a date, as `sort_date` holds them.
pub(crate) fn day_number(d: chrono::NaiveDate) -> i64 {
    (d - chrono::NaiveDate::default()).num_days()
}

/// Days since 1970 of a YYYY-MM-DD date.
pub(crate) fn days_since_epoch(date: &str) -> Option<i64> {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok().map(day_number)
}

/// Days since 1970 for sorting by date; meetings of unknown date sort last.
pub const UNKNOWN_DATE: i64 = -1_000_000;

/// The index document of a joined item.
pub fn document(j: &join::Joined, f: Fields) -> TantivyDocument {
    let it = &j.item;
    let m = &it.meeting;
    let stored = serde_json::to_string(it).expect("item serializes");
    // JSON, as the item beside it (postcard made the store 12% larger);
    // what the parts share with the item is named, not written again.
    let joined_from = serde_json::to_string(&j.parts).expect("parts serialize");
    // The document's buffer holds every value: the texts twice (main field
    // and parts), the two JSON texts, and the ids and facets, a few hundred
    // bytes. Sized once, it is not grown and copied value by value.
    let titles = it.titles();
    let texts = titles.iter().map(|t| t.len()).sum::<usize>() + it.section_texts().map(|(_, t)| t.len()).sum::<usize>();
    let mut d = TantivyDocument::with_capacity(2 * texts + stored.len() + joined_from.len() + 1024);
    d.add_text(f.id, &it.item.id);
    for doc in &it.documents {
        d.add_text(f.alias, &doc.id);
    }
    d.add_text(f.meeting_id, &m.head.id);
    for md in &m.documents {
        d.add_text(f.meeting_alias, &md.id);
    }
    d.add_text(f.meeting_key, &j.key);
    let mut files: Vec<(&str, &str)> = it.documents.iter().map(|doc| (doc.source.path.as_str(), doc.source.document.as_str())).collect();
    files.dedup();
    for (path, document) in files {
        d.add_text(f.file, path);
        d.add_text(f.document, document);
    }
    d.add_u64(f.ordinal, it.ordinal as u64);
    // The parts field holds the same texts as the main fields, each as a
    // value of its own: the analyzer reads each text once for both.
    // Every document's title and every section text of every document:
    // the item's own, then where another document words it otherwise.
    for t in titles {
        d.add_text(f.title, t);
        d.add_text(f.parts, t);
    }
    for (name, text) in it.section_texts() {
        let field = match name {
            "indstilling" => f.indstilling,
            "beslutning" => f.beslutning,
            _ => f.body,
        };
        d.add_text(field, text);
        d.add_text(f.parts, text);
    }
    for (decl, &field) in crate::facet::FACETS.iter().zip(&f.facets) {
        for v in (decl.values)(it) {
            d.add_facet(field, Facet::from_path([v.as_str()]));
        }
    }
    let days = m.head.date.map(day_number);
    if let Some(days) = days {
        d.add_date(f.date, DateTime::from_timestamp_secs(days * 86_400));
    }
    d.add_i64(f.sort_date, days.unwrap_or(UNKNOWN_DATE));
    let evidence = crate::history::Evidence::of(it);
    for c in &evidence.cases {
        d.add_text(f.case, c);
    }
    for r in &evidence.refers {
        d.add_text(f.refers, r);
    }
    d.add_text(f.doc, stored);
    d.add_text(f.joined_from, joined_from);
    d
}

impl From<SpoolError> for IndexError {
    fn from(e: SpoolError) -> IndexError {
        IndexError::Io { path: e.path, message: format!("the prepared texts kept for the second pass: {}", e.message) }
    }
}
