//! Tokenizer throughput: the text of every `.txt` file under the folders
//! given, through the index's two tokenizers (main fields, then compound
//! parts, as tantivy's writer calls them), on one thread. Prints MB/s of
//! text, the median of passes over about three seconds (the first pass,
//! which fills the word cache, is left out, as an index of any size has
//! it filled).
//!
//! cargo run --release -p arkiv-analysis --example tokenize_bench -- target/bench/archive-10000
//! (`arkiv-bench run` writes that archive; any folder of text files does)

use arkiv_analysis::{Analyzer, DanishTokenizer, Lexicon, Mode};
use std::time::Instant;
use tantivy::tokenizer::{TokenStream, Tokenizer};

/// The allocator of the `arkiv` binary, so the figure is that of indexing.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let folders: Vec<String> = std::env::args().skip(1).collect();
    if folders.is_empty() {
        eprintln!("usage: tokenize_bench FOLDER...");
        std::process::exit(2);
    }
    let mut texts = vec![];
    for f in &folders {
        for e in walkdir::WalkDir::new(f).sort_by_file_name().into_iter().filter_map(Result::ok) {
            if e.path().extension().is_some_and(|x| x == "txt") {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    texts.push(t);
                }
            }
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut lexicon = Lexicon::default();
    for t in &texts {
        lexicon.add_text(t);
    }
    let analyzer = Analyzer::new(std::sync::Arc::new(lexicon));
    let mut main = DanishTokenizer::new(analyzer.clone(), Mode::Main);
    let mut parts = DanishTokenizer::new(analyzer, Mode::Parts);
    let mut pass = || {
        let mut tokens = 0usize;
        for t in &texts {
            for tok in [&mut main, &mut parts] {
                let mut s = tok.token_stream(t);
                while s.advance() {
                    tokens += s.token().text.len();
                }
            }
        }
        std::hint::black_box(tokens)
    };
    pass();
    let mut passes = vec![];
    let start = Instant::now();
    while passes.len() < 5 || start.elapsed().as_secs_f64() < 3.0 {
        let t = Instant::now();
        pass();
        passes.push(t.elapsed().as_secs_f64());
    }
    passes.sort_by(f64::total_cmp);
    let per = passes[passes.len() / 2];
    println!(
        "tokenized {} texts, {:.1} MB, in {:.1} ms the median pass ({} passes): {:.1} MB/s",
        texts.len(),
        bytes as f64 / 1e6,
        per * 1e3,
        passes.len(),
        bytes as f64 / 1e6 / per
    );
}
