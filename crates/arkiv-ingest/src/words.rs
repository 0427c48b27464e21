//! The archive's word table: which words the archive's files hold, and in
//! how many of them. It is the archive-wide evidence two steps stand on:
//! whether a word broken at a line's end is joined, kept with its hyphen or
//! left (cleaning), and which compound tails are words of their own (the
//! analysis). `arkiv parse`, `arkiv index` and search all use this one table;
//! the index keeps it beside its manifest, so removing a file removes its
//! words.

use crate::clean::Line;
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};

/// The distinct words of one file, sorted: what the file adds to the table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileWords(pub Vec<String>);

impl FileWords {
    /// The words of a document's cleaned lines: split at white space, trimmed
    /// of punctuation, lower case. A word broken at a line's end is not a word
    /// of the file (it is what the table decides about).
    pub fn of_lines(lines: &[Line]) -> FileWords {
        let mut seen: FxHashSet<Cow<str>> = FxHashSet::default();
        for l in lines {
            let ends_broken = l.text.ends_with('-');
            let mut words = l.text.split_whitespace().peekable();
            while let Some(w) = words.next() {
                let last = words.peek().is_none();
                let w = trim_word(w);
                if w.is_empty() || (last && ends_broken) || w.ends_with('-') {
                    continue;
                }
                // Most words are lower case already: only the others are copied.
                let lower = if w.chars().all(|c| c.is_lowercase() || !c.is_alphabetic()) { Cow::Borrowed(w) } else { Cow::Owned(w.to_lowercase()) };
                seen.insert(lower);
            }
        }
        let mut out: Vec<String> = seen.into_iter().map(Cow::into_owned).collect();
        out.sort_unstable();
        FileWords(out)
    }
}

pub(crate) fn trim_word(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-').trim_matches('-')
}

/// Words, each with a number that never changes while the table lives, and
/// how many files hold it. A word no file holds any longer keeps its number
/// (a file's words are kept as numbers) until the table is written anew.
#[derive(Debug, Clone, Default)]
pub struct WordTable {
    ids: FxHashMap<String, u32>,
    words: Vec<String>,
    files: Vec<u32>,
}

impl WordTable {
    /// The table of these files' words.
    pub fn of<'a>(files: impl IntoIterator<Item = &'a FileWords>) -> WordTable {
        let mut t = WordTable::default();
        for f in files {
            t.add(f);
        }
        t
    }

    /// Adds one file's words; returns their numbers, in the file's order.
    pub fn add(&mut self, f: &FileWords) -> Vec<u32> {
        f.0.iter()
            .map(|w| {
                let id = match self.ids.get(w.as_str()) {
                    Some(&id) => id,
                    None => {
                        let id = self.words.len() as u32;
                        self.ids.insert(w.clone(), id);
                        self.words.push(w.clone());
                        self.files.push(0);
                        id
                    }
                };
                self.files[id as usize] += 1;
                id
            })
            .collect()
    }

    /// Takes back what [`WordTable::add`] added for a file, by the numbers it gave.
    /// Numbers the table does not have are passed over.
    pub fn remove(&mut self, ids: &[u32]) {
        for &id in ids {
            if let Some(n) = self.files.get_mut(id as usize) {
                *n = n.saturating_sub(1);
            }
        }
    }

    /// How many files hold the word (lower case).
    pub fn count(&self, w: &str) -> u32 {
        self.ids.get(w).map(|&id| self.files[id as usize]).unwrap_or(0)
    }

    /// The words some file holds, with how many files hold each.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.words.iter().zip(&self.files).filter(|(_, &n)| n > 0).map(|(w, &n)| (w.as_str(), n))
    }

    /// Words some file holds.
    pub fn len(&self) -> usize {
        self.files.iter().filter(|&&n| n > 0).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes `word<TAB>files` lines in the order of the words' numbers (a
    /// word's number is its line).
    pub fn write(&self, to: &mut impl Write) -> std::io::Result<()> {
        for (w, n) in self.words.iter().zip(&self.files) {
            writeln!(to, "{w}\t{n}")?;
        }
        Ok(())
    }

    /// Reads what [`WordTable::write`] wrote.
    pub fn read(from: impl BufRead) -> std::io::Result<WordTable> {
        let mut t = WordTable::default();
        for line in from.lines() {
            let line = line?;
            let (w, n) = line.split_once('\t').ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not a word table line: {line:?}")))?;
            let n: u32 = n.parse().map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not a count: {n:?}")))?;
            t.ids.insert(w.to_string(), t.words.len() as u32);
            t.words.push(w.to_string());
            t.files.push(n);
        }
        Ok(t)
    }

    /// The same words and counts, numbered afresh without the words no file
    /// holds; `renumber[old]` is a word's new number (`u32::MAX` for a
    /// dropped one).
    pub fn compacted(&self) -> (WordTable, Vec<u32>) {
        let mut t = WordTable::default();
        let mut renumber = vec![u32::MAX; self.words.len()];
        for (old, (w, &n)) in self.words.iter().zip(&self.files).enumerate() {
            if n > 0 {
                renumber[old] = t.words.len() as u32;
                t.ids.insert(w.clone(), t.words.len() as u32);
                t.words.push(w.clone());
                t.files.push(n);
            }
        }
        (t, renumber)
    }

    /// Numbers given out, dropped words included.
    pub fn capacity(&self) -> usize {
        self.words.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines().enumerate().map(|(k, t)| Line { text: t.into(), no: k + 1, after_case_number: false, page: 1 }).collect()
    }

    #[test]
    fn a_file_counts_once_and_broken_words_not_at_all() {
        let f = FileWords::of_lines(&lines("Sundheds-IT og sundheds-\naftale, Aftale (aftale)"));
        assert_eq!(f.0, vec!["aftale", "og", "sundheds-it"]);
    }

    #[test]
    fn removing_a_file_takes_back_its_words() {
        let a = FileWords::of_lines(&lines("rygestop og forløb"));
        let b = FileWords::of_lines(&lines("forløb"));
        let mut t = WordTable::default();
        let ia = t.add(&a);
        t.add(&b);
        assert_eq!(t.count("forløb"), 2);
        t.remove(&ia);
        assert_eq!(t.count("forløb"), 1);
        assert_eq!(t.count("rygestop"), 0);
        assert_eq!(t.iter().map(|(w, _)| w).collect::<Vec<_>>(), vec!["forløb"]);
        let (c, renumber) = t.compacted();
        assert_eq!(c.capacity(), 1);
        assert_eq!(renumber[ia[0] as usize], 0);
    }

    #[test]
    fn written_and_read_it_is_the_same() {
        let mut t = WordTable::default();
        let ids = t.add(&FileWords(vec!["a".into(), "bø".into()]));
        let mut bytes = vec![];
        t.write(&mut bytes).unwrap();
        let mut u = WordTable::read(&bytes[..]).unwrap();
        assert_eq!(u.count("bø"), 1);
        u.remove(&ids);
        assert!(u.is_empty());
    }
}
