//! The join's cost per meeting: parses an archive, gathers each meeting's
//! documents by their key (group and date), and times the joining of each,
//! printing the meetings of most documents and the whole.
//!
//!     cargo run --release -p arkiv-index --example join_meetings -- ARCHIVE [ROUNDS]
//!
//! `arkiv-bench generate --items 100000 --gathering 3 --out ARCHIVE` writes
//! an archive with three meetings of 200 to 400 documents each.

use arkiv_index::join;
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(archive) = args.next() else {
        eprintln!("usage: join_meetings ARCHIVE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let cfg = arkiv_ingest::Config::embedded();
    let t = Instant::now();
    let parsed = arkiv_ingest::parse_paths(&[archive.into()], &cfg);
    let mut by_key: BTreeMap<String, Vec<join::Part>> = BTreeMap::new();
    for f in &parsed.files {
        for p in join::parts_of(f) {
            by_key.entry(p.head.key.clone()).or_default().push(p);
        }
    }
    println!("{} files parsed in {:.1} s; {} meetings", parsed.files.len(), t.elapsed().as_secs_f64(), by_key.len());
    let mut largest: Vec<(&String, &Vec<join::Part>)> = by_key.iter().collect();
    largest.sort_by_key(|(k, parts)| (std::cmp::Reverse(parts.len()), *k));
    for (key, parts) in largest.iter().take(5) {
        let items: usize = parts.iter().map(|p| p.items.len()).sum();
        let mut times = vec![];
        let mut joined = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            joined = join::join(parts.to_vec()).len();
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        println!("{:>4} documents, {:>5} items -> {:>5} joined: {:>8.1} ms (median of {rounds}; {})", parts.len(), items, joined, times[rounds / 2], key.replace('\u{1f}', " "));
    }
    let mut all = vec![];
    for _ in 0..rounds {
        let t = Instant::now();
        let n: usize = by_key.values().map(|parts| join::join(parts.to_vec()).len()).sum();
        all.push((t.elapsed().as_secs_f64(), n));
    }
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!("every meeting: {} joined items in {:.2} s (median of {rounds}; the parts' copies included)", all[rounds / 2].1, all[rounds / 2].0);
}
