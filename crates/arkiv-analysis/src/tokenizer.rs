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

/// Puts a token in `tokens` at `*len`, reusing the text buffer there.
fn put(tokens: &mut Vec<Token>, len: &mut usize, text: &str, from: usize, to: usize, position: usize) {
    if let Some(t) = tokens.get_mut(*len) {
        t.text.clear();
        t.text.push_str(text);
        (t.offset_from, t.offset_to, t.position, t.position_length) = (from, to, position, 1);
    } else {
        tokens.push(Token { offset_from: from, offset_to: to, position, text: text.to_string(), position_length: 1 });
    }
    *len += 1;
}

/// The parts-field tokens of one word.
fn put_parts(tokens: &mut Vec<Token>, len: &mut usize, w: &crate::WordView<'_>) {
    if w.pieces.is_empty() {
        for p in w.info.parts.iter().filter(|p| **p != w.info.stem) {
            put(tokens, len, p, w.from, w.to, w.position);
        }
    } else {
        for p in w.parts() {
            put(tokens, len, &p, w.from, w.to, w.position);
        }
    }
}

/// A text the main analyzer read, with the parts-field tokens that one
/// reading gave as well.
#[derive(Default)]
struct Kept {
    /// The analyzer that read it (its lexicon decides the parts).
    analyzer: u64,
    text: String,
    tokens: Vec<Token>,
    len: usize,
    live: bool,
}

/// How many texts a thread keeps the parts of: an item's texts (title and
/// sections), with room to spare.
const KEEP: usize = 32;

thread_local! {
    /// The parts of the texts this thread's main analyzer read last, and the
    /// slot to fill next. tantivy indexes an item's fields one after the
    /// other on one thread, the main fields before `parts`, which holds the
    /// same texts: so each text is analysed once, and the parts field takes
    /// what the main field's reading kept. A text not kept (another order,
    /// another caller) is analysed anew: the parts are the same either way.
    static KEPT: std::cell::RefCell<(usize, Vec<Kept>)> = std::cell::RefCell::new((0, (0..KEEP).map(|_| Kept::default()).collect()));
}

impl Tokenizer for DanishTokenizer {
    type TokenStream<'a> = DanishTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> DanishTokenStream<'a> {
        let DanishTokenizer { analyzer, mode, tokens } = self;
        let mut len = 0;
        match mode {
            Mode::Main => KEPT.with(|k| {
                let (next, slots) = &mut *k.borrow_mut();
                let slot = &mut slots[*next];
                *next = (*next + 1) % KEEP;
                slot.analyzer = analyzer.id;
                slot.text.clear();
                slot.text.push_str(text);
                slot.len = 0;
                analyzer.each_word(text, |w| {
                    put(tokens, &mut len, &w.info.stem, w.from, w.to, w.position);
                    for (k, p) in w.pieces.iter().enumerate() {
                        put(tokens, &mut len, &p.stem, w.from, w.to, w.position + 1 + k);
                    }
                    put_parts(&mut slot.tokens, &mut slot.len, &w);
                });
                slot.live = true;
            }),
            Mode::Parts => {
                let kept = KEPT.with(|k| {
                    let (_, slots) = &mut *k.borrow_mut();
                    let slot = slots.iter_mut().find(|s| s.live && s.analyzer == analyzer.id && s.text == text)?;
                    slot.live = false;
                    std::mem::swap(tokens, &mut slot.tokens);
                    Some(slot.len)
                });
                match kept {
                    Some(n) => len = n,
                    None => analyzer.each_word(text, |w| put_parts(tokens, &mut len, &w)),
                }
            }
        }
        DanishTokenStream { tokens: &mut tokens[..len], next: 0 }
    }
}

/// Registers the two analyzers with an index's tokenizer manager.
pub fn register(index: &tantivy::Index, analyzer: &Analyzer) {
    let tm = index.tokenizers();
    tm.register(MAIN_ANALYZER, tantivy::tokenizer::TextAnalyzer::from(DanishTokenizer::new(analyzer.clone(), Mode::Main)));
    tm.register(PARTS_ANALYZER, tantivy::tokenizer::TextAnalyzer::from(DanishTokenizer::new(analyzer.clone(), Mode::Parts)));
}
