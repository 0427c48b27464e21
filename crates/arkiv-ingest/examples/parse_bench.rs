//! Parse throughput: parses the given files or folders N times and prints
//! MB/s of text parsed.
//!
//! cargo run --release -p arkiv-ingest --example parse_bench -- crates/arkiv-cli/sample ../shared/corpus

use arkiv_ingest::{parse_paths, Config};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        eprintln!("usage: parse_bench PATH...");
        std::process::exit(2);
    }
    let cfg = Config::embedded();
    let first = parse_paths(&paths, &cfg);
    let bytes: usize = first.files.iter().map(|f| f.bytes).sum();
    let items: usize = first.files.iter().flat_map(|f| &f.meetings).map(|m| m.items.len()).sum();
    let rounds = 20;
    let t = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(parse_paths(&paths, &cfg));
    }
    let per = t.elapsed().as_secs_f64() / rounds as f64;
    println!(
        "parsed {} files, {} items, {:.1} KB in {:.1} ms per pass ({} passes): {:.1} MB/s",
        first.files.len(),
        items,
        bytes as f64 / 1e3,
        per * 1e3,
        rounds,
        bytes as f64 / 1e6 / per
    );
}
