//! Parse throughput: parses the given files or folders N times and prints
//! MB/s of text parsed.
//!
//! cargo run --release -p arkiv-ingest --example parse_bench -- crates/arkiv-cli/sample ../shared/corpus

use arkiv_ingest::{parse_paths, Config};
use std::path::PathBuf;
use std::time::Instant;

/// The allocator of the `arkiv` binary, so the figure is that of `arkiv parse`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        eprintln!("usage: parse_bench PATH...");
        std::process::exit(2);
    }
    let mut cfg = Config::embedded();
    // Parsing, not OCR: a scanned page costs Tesseract's second, a figure
    // of its own (README, "Quality and speed").
    cfg.read.ocr = false;
    let first = parse_paths(&paths, &cfg);
    let bytes: usize = first.files.iter().map(|f| f.bytes).sum();
    let items: usize = first.files.iter().flat_map(|f| &f.meetings).map(|m| m.items.len()).sum();
    // Passes for about three seconds; the median pass is the figure, so a
    // slow moment of the machine does not move it.
    let mut passes = Vec::new();
    let start = Instant::now();
    while passes.len() < 20 || start.elapsed().as_secs_f64() < 3.0 {
        let t = Instant::now();
        std::hint::black_box(parse_paths(&paths, &cfg));
        passes.push(t.elapsed().as_secs_f64());
    }
    passes.sort_by(f64::total_cmp);
    let per = passes[passes.len() / 2];
    let rounds = passes.len();
    println!(
        "parsed {} files, {} items, {:.1} KB in {:.1} ms the median pass ({} passes): {:.1} MB/s",
        first.files.len(),
        items,
        bytes as f64 / 1e3,
        per * 1e3,
        rounds,
        bytes as f64 / 1e6 / per
    );
}
