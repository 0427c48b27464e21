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
}

pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
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
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::with_capacity(text.len() / 6);
        let mode = self.mode;
        self.analyzer.each_word(text, |w| {
            let mk = |text: &str, position: usize| Token { offset_from: w.from, offset_to: w.to, position, text: text.to_string(), position_length: 1 };
            match mode {
                Mode::Main => {
                    tokens.push(mk(&w.info.stem, w.position));
                    for (k, p) in w.pieces.iter().enumerate() {
                        tokens.push(mk(&p.stem, w.position + 1 + k));
                    }
                }
                Mode::Parts => {
                    if w.pieces.is_empty() {
                        for p in w.info.parts.iter().filter(|p| **p != w.info.stem) {
                            tokens.push(mk(p, w.position));
                        }
                    } else {
                        for p in w.parts() {
                            tokens.push(mk(&p, w.position));
                        }
                    }
                }
            }
        });
        VecTokenStream { tokens, next: 0 }
    }
}

/// Registers the two analyzers with an index's tokenizer manager.
pub fn register(index: &tantivy::Index, analyzer: &Analyzer) {
    let tm = index.tokenizers();
    tm.register(MAIN_ANALYZER, tantivy::tokenizer::TextAnalyzer::from(DanishTokenizer { analyzer: analyzer.clone(), mode: Mode::Main }));
    tm.register(PARTS_ANALYZER, tantivy::tokenizer::TextAnalyzer::from(DanishTokenizer { analyzer: analyzer.clone(), mode: Mode::Parts }));
}
