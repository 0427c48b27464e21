//! The analyzer as tantivy tokenizers. tantivy stores only an analyzer's
//! name in the schema: [`register`] must run on every open of an index.

use crate::Analyzer;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

pub const MAIN_ANALYZER: &str = "arkiv_da";
pub const PARTS_ANALYZER: &str = "arkiv_da_parts";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Whole words and hyphen parts, with positions.
    Main,
    /// Compound parts.
    Parts,
}

#[derive(Clone)]
pub struct DanishTokenizer {
    pub analyzer: Analyzer,
    pub mode: Mode,
    /// The last text's tokens, kept so that their text buffers are used
    /// again: a tokenizer is cloned per indexing thread and field, and runs
    /// over every text of every item.
    tokens: Vec<Token>,
}

impl DanishTokenizer {
    pub fn new(analyzer: Analyzer, mode: Mode) -> DanishTokenizer {
        DanishTokenizer { analyzer, mode, tokens: vec![] }
    }
}

pub struct DanishTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl TokenStream for DanishTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for DanishTokenizer {
    type TokenStream<'a> = DanishTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> DanishTokenStream<'a> {
        let DanishTokenizer { analyzer, mode, tokens } = self;
        let mut len = 0;
        let mut put = |text: &str, from: usize, to: usize, position: usize| {
            if let Some(t) = tokens.get_mut(len) {
                t.text.clear();
                t.text.push_str(text);
                (t.offset_from, t.offset_to, t.position, t.position_length) = (from, to, position, 1);
            } else {
                tokens.push(Token { offset_from: from, offset_to: to, position, text: text.to_string(), position_length: 1 });
            }
            len += 1;
        };
        analyzer.each_word(text, |w| match mode {
            Mode::Main => {
                put(&w.info.stem, w.from, w.to, w.position);
                for (k, p) in w.pieces.iter().enumerate() {
                    put(&p.stem, w.from, w.to, w.position + 1 + k);
                }
            }
            Mode::Parts => {
                if w.pieces.is_empty() {
                    for p in w.info.parts.iter().filter(|p| **p != w.info.stem) {
                        put(p, w.from, w.to, w.position);
                    }
                } else {
                    for p in w.parts() {
                        put(&p, w.from, w.to, w.position);
                    }
                }
            }
        });
        DanishTokenStream { tokens: &mut tokens[..len], next: 0 }
    }
}

/// Registers the two analyzers with an index's tokenizer manager.
pub fn register(index: &tantivy::Index, analyzer: &Analyzer) {
    let tm = index.tokenizers();
    tm.register(MAIN_ANALYZER, tantivy::tokenizer::TextAnalyzer::from(DanishTokenizer::new(analyzer.clone(), Mode::Main)));
    tm.register(PARTS_ANALYZER, tantivy::tokenizer::TextAnalyzer::from(DanishTokenizer::new(analyzer.clone(), Mode::Parts)));
}
