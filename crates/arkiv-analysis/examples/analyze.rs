//! Prints the analysis of the words given, token by token (a tool for
//! looking at what the analyzer does).
//!
//! cargo run -p arkiv-analysis --example analyze -- [--lexicon FILE] WORDS...

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut lex = arkiv_analysis::Lexicon::default();
    if args.first().map(|a| a == "--lexicon").unwrap_or(false) && args.len() > 1 {
        lex = arkiv_analysis::Lexicon::load(std::path::Path::new(&args[1])).expect("lexicon");
        args.drain(..2);
    }
    let a = arkiv_analysis::Analyzer::new(std::sync::Arc::new(lex));
    for t in a.analyze(&args.join(" ")) {
        println!("{:>3} {:<24} stem={:<20} hyphen={:?} parts={:?}", t.position, t.word, t.stem, t.hyphen_parts, t.parts);
    }
}
