//! arkiv-bench: writes synthetic archives and measures how arkiv's cost
//! grows with the archive: indexing, re-indexing, search latency, HTTP
//! throughput and memory, written as CSV and an SVG chart.
//!
//! cargo build --release && target/release/arkiv-bench run --sizes 10000,100000,1000000

mod faults;
mod generate;
mod pg;
mod run;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "arkiv-bench", about = "Synthetic archives and the scale benchmark for arkiv")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write a synthetic archive.
    Generate {
        #[arg(long)]
        items: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
        /// Write each document as a PDF (pages of 50 lines with a running
        /// header and a page footer) instead of text.
        #[arg(long)]
        pdf: bool,
        /// Meetings that gather hundreds of documents each (the join's worst
        /// case): the first 500, the others 200 to 400; their items count
        /// toward --items, as written (some join).
        #[arg(long, default_value_t = 0)]
        gathering: usize,
    },
    /// Run the benchmark at each size and write report.csv and report.svg.
    Run(run::Args),
    /// Mixed searches at many connections while the archive is re-indexed
    /// twice into the index the service reads.
    Faults(faults::Args),
    /// The query mix as API paths, one a line (for `bench/load.lua`).
    Mix,
    /// Time the query mix on an existing index, query by query.
    Search {
        #[arg(long)]
        index: PathBuf,
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        /// Only the queries of the mix whose text contains this.
        #[arg(long)]
        only: Option<String>,
    },
}

fn main() -> Result<()> {
    match Cli::parse().cmd {
        Cmd::Generate { items, seed, out, pdf, gathering } => {
            let cfg = arkiv_ingest::Config::embedded();
            let t = std::time::Instant::now();
            let mut g = generate::Generator::new(seed, &cfg);
            g.pdf = pdf;
            g.gathering = gathering;
            let (files, bytes) = g.write_archive(&out, items)?;
            println!("{items} items in {files} files, {:.1} MB, in {:.1} s", bytes as f64 / 1e6, t.elapsed().as_secs_f64());
        }
        Cmd::Run(a) => run::run(a)?,
        Cmd::Faults(a) => faults::run(a)?,
        Cmd::Mix => run::mix_paths().iter().for_each(|p| println!("{p}")),
        Cmd::Search { index, rounds, only } => run::per_query(&index, rounds, only.as_deref())?,
    }
    Ok(())
}
