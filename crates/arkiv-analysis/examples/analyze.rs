//! Prints the analysis of the words given, token by token (a tool for
//! looking at what the analyzer does).
//!
//! cargo run -p arkiv-analysis --example analyze -- [--words FILE] WORDS...
//! (FILE: an index's word table, `words.tsv`)

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut lex = arkiv_analysis::Lexicon::default();
    if args.first().map(|a| a == "--words").unwrap_or(false) && args.len() > 1 {
        let text = std::fs::read_to_string(&args[1]).expect("word table");
        lex = arkiv_analysis::Lexicon::of_words(text.lines().filter_map(|l| l.split_once('\t')).filter(|(_, n)| *n != "0").map(|(w, _)| w));
        args.drain(..2);
    }
    let a = arkiv_analysis::Analyzer::new(std::sync::Arc::new(lex));
    for t in a.analyze(&args.join(" ")) {
        println!("{:>3} {:<24} stem={:<20} hyphen={:?} parts={:?}", t.position, t.word, t.stem, t.hyphen_parts, t.parts);
    }
}
