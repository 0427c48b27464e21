//! The archive's word table: which words the archive's files hold, and in
//! how many of them. It is the archive-wide evidence two steps stand on:
//! whether a word broken at a line's end is joined, kept with its hyphen or
//! left (cleaning), and which compound tails are words of their own (the
//! analysis). `arkiv parse`, `arkiv index` and search all use this one table;
//! the index keeps it beside its manifest, so removing a file removes its
//! words.

use crate::clean::Line;
use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashSet};
use std::hash::BuildHasher;
use std::borrow::Cow;
use std::io::{BufRead, Write};

/// The distinct words of one file, sorted: what the file adds to the table.
/// They are kept in one buffer, so a file's words cost two allocations
/// however many there are; the table copies only the words it has not seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileWords {
    text: String,
    /// Where each word ends in `text`.
    ends: Vec<u32>,
}

impl FileWords {
    /// The words of a document's cleaned lines: split at white space, trimmed
    /// of punctuation, lower case. A word broken at a line's end is not a word
    /// of the file (it is what the table decides about).
    pub fn of_lines(lines: &[Line]) -> FileWords {
        // A word and its space take six bytes or more, and most words of a
        // meeting document come again: room for a word in sixteen bytes
        // is seldom grown.
        let bytes: usize = lines.iter().map(|l| l.text.len() + 1).sum();
        let mut seen: FxHashSet<Cow<str>> = FxHashSet::with_capacity_and_hasher(bytes / 16, Default::default());
        let mut lowered = String::new();
        for l in lines {
            let text = l.text.as_str();
            // The last word of a line that ends in a hyphen is left out.
            let body = if text.ends_with('-') { text.rfind(char::is_whitespace).map_or("", |p| &text[..p]) } else { text };
            for w in line_words(body) {
                let w = trim_word(w);
                if w.is_empty() || w.ends_with('-') {
                    continue;
                }
                // Most words are lower case already and are kept as they
                // are; another is lower-cased into one buffer, and copied
                // only the first time the file holds it.
                if w.is_ascii() {
                    if !w.bytes().any(|b| b.is_ascii_uppercase()) {
                        seen.insert(Cow::Borrowed(w));
                        continue;
                    }
                    lowered.clear();
                    lowered.push_str(w);
                    lowered.make_ascii_lowercase();
                } else if w.chars().all(|c| c.is_lowercase() || !c.is_alphabetic()) {
                    seen.insert(Cow::Borrowed(w));
                    continue;
                } else {
                    lower_into(&mut lowered, w);
                }
                if !seen.contains(lowered.as_str()) {
                    seen.insert(Cow::Owned(lowered.clone()));
                }
            }
        }
        FileWords::of_words(seen.iter())
    }

    /// These words, sorted and each once.
    pub fn of_words<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> FileWords {
        // Sorted by their first eight bytes as a number, then as strings:
        // the same order (a zero byte pads a shorter word, and no byte is
        // less), with most comparisons settled without comparing memory.
        let mut words: Vec<(u64, S)> = words.into_iter().map(|w| (sort_prefix(w.as_ref()), w)).collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.as_ref().cmp(b.1.as_ref())));
        words.dedup_by(|a, b| a.1.as_ref() == b.1.as_ref());
        let mut f = FileWords { text: String::with_capacity(words.iter().map(|w| w.1.as_ref().len()).sum()), ends: Vec::with_capacity(words.len()) };
        for (_, w) in &words {
            f.text.push_str(w.as_ref());
            f.ends.push(f.text.len() as u32);
        }
        f
    }

    /// The words, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(a, &b)| &self.text[a as usize..b as usize])
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// A word's first eight bytes, zero-padded, as a big-endian number.
fn sort_prefix(w: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = w.len().min(8);
    b[..n].copy_from_slice(&w.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// `w.to_lowercase()`, into `out`.
fn lower_into(out: &mut String, w: &str) {
    out.clear();
    if w.contains('Σ') {
        // Only `to_lowercase` knows a final sigma.
        out.push_str(&w.to_lowercase());
        return;
    }
    for c in w.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

pub(crate) fn trim_word(w: &str) -> &str {
    // Most words begin and end with an ASCII letter or digit, and have
    // nothing to trim.
    let b = w.as_bytes();
    if b.first().is_some_and(u8::is_ascii_alphanumeric) && b.last().is_some_and(u8::is_ascii_alphanumeric) {
        return w;
    }
    trim_chars(w)
}

/// The rule [`trim_word`] stands for: punctuation off both ends (a hyphen
/// kept until last), then the hyphens.
fn trim_chars(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-').trim_matches('-')
}

/// The words of a line split at white space, as `split_whitespace` splits
/// them. A line whose white space is all ASCII is split on its bytes; the
/// bytes that begin the other white space characters (U+000B, U+0085 and
/// U+00A0, U+1680, U+2000–U+205F, U+3000) send a line to
/// `split_whitespace`.
fn line_words(text: &str) -> impl Iterator<Item = &str> {
    let ascii_spaced = crate::byte_hits(text.as_bytes(), |b| (b == 0x0b) | (b == 0xc2) | (b.wrapping_sub(0xe1) < 3)).next().is_none();
    let (a, b) = if ascii_spaced { (Some(text.split_ascii_whitespace()), None) } else { (None, Some(text.split_whitespace())) };
    a.into_iter().flatten().chain(b.into_iter().flatten())
}

/// Words, each with a number that never changes while the table lives, and
/// how many files hold it. A word no file holds any longer keeps its number
/// (a file's words are kept as numbers) until the table is written anew.
#[derive(Debug, Clone, Default)]
pub struct WordTable {
    /// Each word's number, found by the word's hash: the word itself is
    /// kept once, in `words`.
    ids: HashTable<u32>,
    words: Vec<String>,
    files: Vec<u32>,
}

fn hash(w: &str) -> u64 {
    FxBuildHasher.hash_one(w)
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

    fn id(&self, w: &str) -> Option<u32> {
        self.ids.find(hash(w), |&id| self.words[id as usize] == w).copied()
    }

    /// Gives a word the table does not have the next number.
    fn push(&mut self, w: String, files: u32) -> u32 {
        let id = self.words.len() as u32;
        let words = &self.words;
        self.ids.insert_unique(hash(&w), id, |&i| hash(&words[i as usize]));
        self.words.push(w);
        self.files.push(files);
        id
    }

    /// Adds one file's words; returns their numbers, in the file's order.
    pub fn add(&mut self, f: &FileWords) -> Vec<u32> {
        f.iter()
            .map(|w| {
                let id = match self.id(w) {
                    Some(id) => id,
                    None => self.push(w.to_string(), 0),
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
        self.id(w).map(|id| self.files[id as usize]).unwrap_or(0)
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
            t.push(w.to_string(), n);
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
                renumber[old] = t.push(w.clone(), n);
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
    use proptest::prelude::*;

    proptest! {
        /// Split on bytes where it can be, a line's words are those
        /// `split_whitespace` gives; trimmed by the ASCII shortcut, a word is
        /// what trimming every character gives.
        #[test]
        fn line_words_and_trimmed_words_are_as_on_characters(s in "[a-zA-Z0-9æøå,.()\\-– \t\x0b\x0c\r\u{85}\u{a0}\u{1680}\u{2003}\u{2028}\u{205f}\u{3000}”…]{0,40}") {
            prop_assert_eq!(line_words(&s).collect::<Vec<_>>(), s.split_whitespace().collect::<Vec<_>>());
            for w in s.split_whitespace() {
                prop_assert_eq!(trim_word(w), trim_chars(w));
            }
        }

        /// Sorted on their prefixes first, a file's words are in the order
        /// of strings, each once.
        #[test]
        fn file_words_are_in_string_order(words in proptest::collection::vec("[a\\x00æøb-]{0,10}", 0..30)) {
            let want: std::collections::BTreeSet<&str> = words.iter().map(String::as_str).collect();
            let got = FileWords::of_words(&words);
            prop_assert_eq!(got.iter().collect::<Vec<_>>(), want.into_iter().collect::<Vec<_>>());
        }
    }

    /// A file's words as first written, word by word: the fast one must agree.
    fn of_lines_reference(lines: &[Line]) -> Vec<String> {
        let mut out = std::collections::BTreeSet::new();
        for l in lines {
            let ends_broken = l.text.ends_with('-');
            let mut words = l.text.split_whitespace().peekable();
            while let Some(w) = words.next() {
                let last = words.peek().is_none();
                let w = trim_word(w);
                if w.is_empty() || (last && ends_broken) || w.ends_with('-') {
                    continue;
                }
                out.insert(w.to_lowercase());
            }
        }
        out.into_iter().collect()
    }

    #[test]
    fn a_files_words_are_its_words_lower_cased_but_the_broken_ones() {
        let text = "Møde i Sundhedsstyregruppen: IV-behandling, (opfølgning) og sam-\narbejde - se bilag 2.a\nhospital-\n\u{a0}ÆBLER Æbler æbler ΣΟΦΊΑΣ\tİstanbul\n--  ---\nEt ord-  \nslut-";
        let ls = lines(text);
        let got: Vec<String> = FileWords::of_lines(&ls).iter().map(str::to_string).collect();
        assert_eq!(got, of_lines_reference(&ls));
        assert!(got.contains(&"iv-behandling".to_string()) && !got.contains(&"sam".to_string()) && !got.contains(&"hospital".to_string()));
    }

    fn lines(text: &str) -> Vec<Line> {
        text.lines().enumerate().map(|(k, t)| Line { text: t.into(), no: k + 1, after_case_number: false, cut: false, page: 1 }).collect()
    }

    #[test]
    fn a_file_counts_once_and_broken_words_not_at_all() {
        let f = FileWords::of_lines(&lines("Sundheds-IT og sundheds-\naftale, Aftale (aftale)"));
        assert_eq!(f.iter().collect::<Vec<_>>(), vec!["aftale", "og", "sundheds-it"]);
    }

    #[test]
    fn a_word_is_lower_cased_as_to_lowercase_does() {
        let mut out = String::from("left over");
        for w in ["Aftale", "SUNDHEDS-IT", "Ærø", "ΟΔΟΣ", "İstanbul", "ǅ"] {
            lower_into(&mut out, w);
            assert_eq!(out, w.to_lowercase(), "{w}");
        }
    }

    #[test]
    fn file_words_are_sorted_and_each_once() {
        let f = FileWords::of_words(["og", "aftale", "og", "ø", "b"]);
        assert_eq!(f.iter().collect::<Vec<_>>(), vec!["aftale", "b", "og", "ø"]);
        assert_eq!(f.len(), 4);
        assert!(FileWords::of_words(Vec::<String>::new()).is_empty());
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
        let ids = t.add(&FileWords::of_words(["a", "bø"]));
        let mut bytes = vec![];
        t.write(&mut bytes).unwrap();
        let mut u = WordTable::read(&bytes[..]).unwrap();
        assert_eq!(u.count("bø"), 1);
        u.remove(&ids);
        assert!(u.is_empty());
    }
}
