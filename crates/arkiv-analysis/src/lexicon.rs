//! The stems of the archive's words: the evidence compound splitting stands
//! on. It is made from the archive's word table (arkiv-ingest's
//! `WordTable`, the one table of the archive's words), never counted apart.

use rustc_hash::FxHashSet;

/// The stems of the words an archive uses on their own.
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    stems: FxHashSet<String>,
}

impl Lexicon {
    /// The stems of these words (as the word table holds them: a line's
    /// words trimmed of punctuation): each word's letters-only parts of
    /// three letters or more, as the analysis normalizes them.
    pub fn of_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Lexicon {
        let mut lex = Lexicon::default();
        for w in words {
            lex.add_text(w);
        }
        lex
    }

    /// Adds the stems of the words of `text`.
    pub fn add_text(&mut self, text: &str) {
        for (a, b) in crate::words(text) {
            let w = crate::normalize(&text[a..b]);
            for piece in w.split('-') {
                if piece.chars().count() >= 3 && piece.chars().all(|c| c.is_alphabetic()) {
                    let stem = crate::stem(piece);
                    if !self.stems.contains(&stem) {
                        self.stems.insert(stem);
                    }
                }
            }
        }
    }

    /// Whether a word with this stem occurs in the archive on its own.
    pub fn knows_stem(&self, stem: &str) -> bool {
        self.stems.contains(stem)
    }

    /// How many stems.
    pub fn len(&self) -> usize {
        self.stems.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stems.is_empty()
    }
}
