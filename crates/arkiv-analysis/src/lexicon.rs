//! The archive's vocabulary: the evidence compound splitting stands on.

use rustc_hash::{FxHashMap, FxHashSet};
use std::io::Write;
use std::path::Path;

/// Words of an archive with how often they occur, and the set of their stems.
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    counts: FxHashMap<String, u32>,
    stems: FxHashSet<String>,
}

impl Lexicon {
    /// Adds the words of `text`.
    pub fn add_text(&mut self, text: &str) {
        for (a, b) in crate::words(text) {
            let w = crate::normalize(&text[a..b]);
            for piece in w.split('-') {
                if piece.chars().count() >= 3 && piece.chars().all(|c| c.is_alphabetic()) {
                    self.add_word(piece, 1);
                }
            }
        }
    }

    pub fn add_word(&mut self, w: &str, n: u32) {
        match self.counts.get_mut(w) {
            Some(c) => *c += n,
            None => {
                self.counts.insert(w.to_string(), n);
                self.stems.insert(crate::stem(w));
            }
        }
    }

    pub fn merge(&mut self, other: &Lexicon) {
        for (w, n) in &other.counts {
            self.add_word(w, *n);
        }
    }

    /// Whether a word with this stem occurs in the archive on its own.
    pub fn knows_stem(&self, stem: &str) -> bool {
        self.stems.contains(stem)
    }

    pub fn count(&self, w: &str) -> u32 {
        self.counts.get(w).copied().unwrap_or(0)
    }

    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.counts.iter().map(|(w, n)| (w.as_str(), *n))
    }

    /// Writes `word<TAB>count` lines, through a temporary file and a rename,
    /// so a crash leaves the previous file whole.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let tmp = path.with_extension("tmp");
        {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            let mut words: Vec<_> = self.counts.iter().collect();
            words.sort();
            for (w, n) in words {
                writeln!(f, "{w}\t{n}")?;
            }
            f.flush()?;
        }
        std::fs::rename(tmp, path)
    }

    pub fn load(path: &Path) -> std::io::Result<Lexicon> {
        let text = std::fs::read_to_string(path)?;
        let mut lex = Lexicon::default();
        let lines = text.bytes().filter(|&b| b == b'\n').count();
        lex.counts.reserve(lines);
        lex.stems.reserve(lines);
        for line in text.lines() {
            if let Some((w, n)) = line.split_once('\t') {
                lex.add_word(w, n.parse().unwrap_or(1));
            }
        }
        Ok(lex)
    }
}
