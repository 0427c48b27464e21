//! Indexing throughput, index size and search latency (with all facets).
//!
//! cargo run --release -p arkiv-index --example bench -- [ARCHIVE|INDEX] [ROUNDS]
//! (default: crates/arkiv-cli/sample, the sample archive; 200 rounds of the query mix
//! `arkiv_index::query_mix`, the one `arkiv-bench` runs; given an
//! index folder, it searches that index as it is)

use arkiv_index::{index_archive, query_mix, ArkivIndex};
use arkiv_ingest::{Config, EMBEDDED_SYNONYMS};
use std::path::PathBuf;
use std::time::Instant;

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p).map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.metadata().map(|m| m.len()).unwrap_or(0)).sum()).unwrap_or(0)
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let archive = PathBuf::from(args.first().cloned().unwrap_or_else(|| "crates/arkiv-cli/sample".into()));
    let rounds: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(200);
    // An existing index is searched as it is; an archive is indexed first.
    if archive.join("meta.json").exists() {
        return search_bench(&ArkivIndex::open(&archive).expect("open"), rounds);
    }
    let tmp = std::env::temp_dir().join(format!("arkiv-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let t = Instant::now();
    let s = index_archive(&archive, &tmp, &Config::embedded(), EMBEDDED_SYNONYMS).expect("index");
    let secs = t.elapsed().as_secs_f64();
    println!(
        "indexing: {} items from {:.2} MB in {:.3} s: {:.2} MB/s, {:.0} items/s; index size {:.2} MB",
        s.items_total,
        s.bytes_parsed as f64 / 1e6,
        secs,
        s.bytes_parsed as f64 / 1e6 / secs,
        s.items_total as f64 / secs,
        dir_size(&tmp) as f64 / 1e6
    );
    let idx = ArkivIndex::open(&tmp).expect("open");
    search_bench(&idx, rounds);
    let _ = std::fs::remove_dir_all(&tmp);
}

fn search_bench(idx: &ArkivIndex, rounds: usize) {
    let mix = query_mix();
    let mut lat = vec![];
    for _ in 0..rounds {
        for r in &mix {
            let t = Instant::now();
            std::hint::black_box(idx.search(r).expect("search"));
            lat.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    let n = lat.len();
    println!(
        "search (all facets, {} queries of a {}-query mix): median {:.3} ms, p95 {:.3} ms, p99 {:.3} ms",
        n,
        mix.len(),
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.95),
        pct(&mut lat, 0.99)
    );
}
