//! The indexing floor: what reading an archive's text and indexing it into
//! tantivy costs without arkiv's own work (cleaning, segmenting, metadata,
//! joining, the stored items), with the writer's threads and memory budget
//! of `arkiv index`. Each `.txt` file's text is cut at line ends into
//! documents of about `--chunk` bytes (by default the generated archive's
//! text per item), each stored and indexed in one field with positions. Three
//! passes, each in a fresh index:
//!
//! - `read`: the files read and decoded, nothing indexed;
//! - `default`: tantivy's default tokenizer (words, lower case);
//! - `arkiv`: arkiv's two analyzers as `arkiv index` runs them, the main
//!   field with positions and the compound parts field with frequencies,
//!   over a lexicon of the archive's words (built before the clock starts).
//!
//! Each prints wall seconds, user CPU seconds of the process and MB/s of
//! text, to set beside `arkiv index` of the same archive run in turn.
//!
//! cargo run --release -p arkiv-index --example tantivy_floor -- target/bench/archive-100000 [--chunk 2150] [--only default]

use arkiv_analysis::{Analyzer, Lexicon, MAIN_ANALYZER, PARTS_ANALYZER};
use std::path::PathBuf;
use std::time::Instant;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{doc, Index};

/// The allocator of the `arkiv` binary, so the figure is that of indexing.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn user_cpu_s() -> f64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct it is given.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    u.ru_utime.tv_sec as f64 + u.ru_utime.tv_usec as f64 / 1e6
}

/// The `.txt` files under `root`, sorted; what cannot be listed is reported.
fn files(root: &PathBuf) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.map_err(|err| eprintln!("skipped: {err}")).ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| e.into_path())
        .collect()
}

/// A file's text; one that cannot be read is reported and counts as empty.
fn read(path: &PathBuf) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("skipped {}: {e}", path.display());
        vec![]
    });
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `text` cut at line ends into pieces of at least `chunk` bytes.
fn chunks(text: &str, chunk: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // A line end is an ASCII byte, so a cut after one is a char boundary.
        let from = chunk.min(rest.len());
        let cut = rest.as_bytes()[from..].iter().position(|&b| b == b'\n').map_or(rest.len(), |i| from + i + 1);
        let (head, tail) = rest.split_at(cut);
        rest = tail;
        Some(head)
    })
}

fn pass(name: &str, paths: &[PathBuf], chunk: usize, analyzer: Option<&Analyzer>) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut b = Schema::builder();
    let (tokenizer, parts) = if analyzer.is_some() { (MAIN_ANALYZER, true) } else { ("default", false) };
    let body = b.add_text_field(
        "body",
        TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqsAndPositions))
            .set_stored(),
    );
    let parts = parts.then(|| {
        b.add_text_field(
            "parts",
            TextOptions::default().set_indexing_options(TextFieldIndexing::default().set_tokenizer(PARTS_ANALYZER).set_index_option(IndexRecordOption::WithFreqs)),
        )
    });
    let index = Index::create_in_dir(dir.path(), b.build()).expect("an index");
    if let Some(a) = analyzer {
        arkiv_analysis::register(&index, a);
    }
    let (t0, u0) = (Instant::now(), user_cpu_s());
    let (mut bytes, mut docs) = (0usize, 0usize);
    let mut writer: Option<tantivy::IndexWriter> =
        (name != "read").then(|| index.writer_with_num_threads(arkiv_index::WRITER_THREADS, arkiv_index::WRITER_MEMORY).expect("a writer"));
    for p in paths {
        let text = read(p);
        bytes += text.len();
        for c in chunks(&text, chunk) {
            docs += 1;
            if let Some(w) = &mut writer {
                let mut d = doc!(body => c);
                if let Some(f) = parts {
                    d.add_text(f, c);
                }
                w.add_document(d).expect("add");
            }
        }
    }
    if let Some(mut w) = writer {
        w.commit().expect("commit");
        w.wait_merging_threads().expect("merges");
    }
    let (wall, user) = (t0.elapsed().as_secs_f64(), user_cpu_s() - u0);
    println!(
        "{name:8} {:>9} docs {:>8.1} MB  {wall:>7.2} s wall {user:>7.2} s user  {:>6.1} MB/s",
        docs,
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / wall
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut root, mut chunk, mut only) = (None, 2150usize, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--chunk" => chunk = args.next().and_then(|v| v.parse().ok()).expect("--chunk BYTES"),
            "--only" => only = args.next(),
            _ => root = Some(PathBuf::from(a)),
        }
    }
    let Some(root) = root else {
        eprintln!("usage: tantivy_floor ARCHIVE [--chunk BYTES] [--only read|default|arkiv]");
        std::process::exit(2);
    };
    let paths = files(&root);
    if paths.is_empty() {
        eprintln!("no .txt files under {}", root.display());
        std::process::exit(2);
    }
    let run = |n: &str| only.as_deref().is_none_or(|o| o == n);
    if run("read") {
        pass("read", &paths, chunk, None);
    }
    if run("default") {
        pass("default", &paths, chunk, None);
    }
    if run("arkiv") {
        let mut lexicon = Lexicon::default();
        for p in &paths {
            lexicon.add_text(&read(p));
        }
        pass("arkiv", &paths, chunk, Some(&Analyzer::new(std::sync::Arc::new(lexicon))));
    }
}
