//! arkiv-analysis: Danish text analysis for the index.
//!
//! Normalizes (NFKC, lower case), tokenizes so that a hyphenated word is
//! found whole and by its parts ("IV-behandling" -> `ivbehandling` with `iv`,
//! `behandling` at the following positions), drops stop words but keeps the
//! words that carry meaning in minutes (ikke, skal, blev, har ...), stems with
//! Snowball Danish while protecting the words it over-stems (borgere -> borg),
//! and splits compounds by evidence: a word is split where its tail is a word
//! the archive itself uses ("alkohol|misbrug", "hjerte|rehabilitering",
//! "rehabiliterings|forløb" with its linking -s-). Compound parts go to a
//! field of their own, so a whole-word match always outranks a part match.
//!
//! ```
//! use arkiv_analysis::{Analyzer, Lexicon};
//! let mut lex = Lexicon::default();
//! lex.add_text("misbrug og rehabilitering");
//! let a = Analyzer::new(std::sync::Arc::new(lex));
//! let t = a.analyze("Alkoholmisbrug");
//! assert_eq!(t[0].stem, "alkoholmisbrug");
//! assert!(t[0].parts.contains(&"alkohol".to_string()));
//! ```

mod lexicon;
mod tokenizer;

pub use lexicon::Lexicon;
pub use tokenizer::{register, DanishTokenizer, Mode, MAIN_ANALYZER, PARTS_ANALYZER};

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::{Arc, LazyLock};
use unicode_normalization::UnicodeNormalization;

/// Snowball's Danish stop words, less the words that carry meaning in
/// minutes: negations (ikke, ingen, intet, uden), and the verbs that say what
/// was decided or must happen (skal, blev, har, kan, vil, ...).
const STOP_WORDS: &[&str] = &[
    "og", "i", "jeg", "det", "at", "en", "den", "til", "er", "som", "på", "de", "med", "han", "af", "for", "der", "var", "mig", "sig", "men", "et",
    "om", "vi", "min", "ham", "hun", "nu", "da", "fra", "du", "ud", "sin", "dem", "os", "op", "man", "hans", "hvor", "eller", "hvad", "selv", "her",
    "ind", "når", "dog", "noget", "jo", "deres", "ned", "denne", "end", "dette", "mit", "også", "dig", "hende", "mine", "alt", "meget", "sit", "sine",
    "vor", "disse", "hvis", "din", "nogle", "hos", "mange", "ad", "hendes", "thi", "jer", "sådan",
];

/// Words Snowball Danish cuts too far, so that unrelated words meet
/// (borgere -> borg, sundhed -> sund, læger -> læg): the stem it gives, and
/// the stem to use instead for words that begin with the protected form.
const PROTECTED: &[(&str, &str)] = &[("borg", "borger"), ("sund", "sundhed"), ("læg", "læge"), ("pleje", "pleje")];

/// Danish derivational endings (as written and as stemmed): they end words
/// but are not words themselves, so a split never leaves one as a tail.
const SUFFIXES: &[&str] = &[
    "ning", "ninger", "else", "elser", "vels", "velse", "hed", "heder", "ende", "ger", "gere", "ing", "inger", "isk", "iske", "lig", "lige", "ighed", "skab",
    "dom", "tion", "sion", "ere", "erne", "ende", "ene", "ens", "ernes", "ning", "nings",
];

static STOPS: LazyLock<rustc_hash::FxHashSet<&'static str>> = LazyLock::new(|| STOP_WORDS.iter().copied().collect());

/// The longest stop word, in bytes: a longer word is looked up no further.
static LONGEST_STOP: LazyLock<usize> = LazyLock::new(|| STOP_WORDS.iter().map(|w| w.len()).max().unwrap_or(0));

pub fn is_stop_word(w: &str) -> bool {
    w.len() <= *LONGEST_STOP && STOPS.contains(w)
}

/// Normalizes text for analysis: compatibility characters folded (NFKC),
/// lower case.
pub fn normalize(s: &str) -> String {
    let mut out = String::new();
    normalize_into(s, &mut out);
    out
}

/// [`normalize`] into a buffer the caller keeps: the analysis normalizes
/// every word, and most words need no allocation of their own.
pub fn normalize_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else if !s.bytes().any(|b| b >= 0xc0 && b != 0xc3) {
        // Only ASCII and U+00C0–U+00FF (the first byte 0xC3), as Danish
        // words are: those letters are NFKC as they stand, and lower case is
        // 0x20 on from À–Þ but for ×.
        out.extend(s.chars().map(|c| match c {
            'A'..='Z' | 'À'..='Ö' | 'Ø'..='Þ' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
            _ => c,
        }));
    } else if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes && !s.contains('Σ') {
        // Most text is already NFKC: the quick check spares the full pass,
        // and the word is lower-cased into the buffer as it stands (a
        // capital sigma, whose lower case depends on where it stands in the
        // word, takes the general path below).
        out.extend(s.chars().flat_map(char::to_lowercase));
    } else {
        out.push_str(&s.nfkc().collect::<String>().to_lowercase());
    }
}

/// One analyzed word.
#[derive(Debug, Clone, PartialEq)]
pub struct AToken {
    /// Byte offsets in the analyzed text.
    pub from: usize,
    pub to: usize,
    pub position: usize,
    /// The word as written, lower case.
    pub word: String,
    /// Its stem: the term in the main fields.
    pub stem: String,
    /// For a hyphenated word, the stems of its parts, at positions
    /// `position + 1 ..` in the main fields.
    pub hyphen_parts: Vec<String>,
    /// Stems of compound parts (and of the hyphen parts' compound parts): the
    /// terms of the parts field.
    pub parts: Vec<String>,
}

/// The analyzer. Cheap to clone.
#[derive(Clone)]
pub struct Analyzer {
    lexicon: Arc<Lexicon>,
    /// Identifies this analyzer's lexicon in the word cache.
    id: u64,
}

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A word's stem and the stems of its compound parts.
#[derive(Debug, Clone, PartialEq)]
pub struct WordInfo {
    pub stem: String,
    pub parts: Vec<String>,
}

type WordCache = std::cell::RefCell<(u64, rustc_hash::FxHashMap<String, std::rc::Rc<WordInfo>>)>;

thread_local! {
    static STEMMER: Stemmer = Stemmer::create(Algorithm::Danish);
    static CACHE: WordCache = std::cell::RefCell::new((0, rustc_hash::FxHashMap::default()));
}

impl Analyzer {
    pub fn new(lexicon: Arc<Lexicon>) -> Analyzer {
        Analyzer { lexicon, id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed) }
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The stem of a lower-case word.
    pub fn stem(&self, w: &str) -> String {
        stem(w)
    }

    /// A word's stem and the stems of its compound parts, memoized per
    /// thread and analyzer: words repeat (Zipf), and splitting stems every
    /// possible tail.
    pub fn info(&self, w: &str) -> std::rc::Rc<WordInfo> {
        const MAX_CACHED: usize = 200_000;
        let key = self.id;
        let hit = CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.0 != key {
                *c = (key, rustc_hash::FxHashMap::default());
            }
            c.1.get(w).cloned()
        });
        if let Some(h) = hit {
            return h;
        }
        let stem = self.stem(w);
        let parts: Vec<String> = self.split_compound(w).iter().map(|x| self.stem(x)).collect();
        let v = std::rc::Rc::new(WordInfo { stem, parts });
        CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.1.len() >= MAX_CACHED {
                c.1.clear();
            }
            c.1.insert(w.to_string(), v.clone());
        });
        v
    }

    /// Walks the words of `text` (stop words skipped, their positions kept)
    /// and gives each to `f`: its span, position, the word, its analysis,
    /// and for a hyphenated word the analysis of each part.
    pub fn each_word(&self, text: &str, mut f: impl FnMut(WordView<'_>)) {
        let mut position = 0usize;
        let mut pieces_info = vec![];
        let (mut word, mut joined) = (String::new(), String::new());
        for (from, to) in words(text) {
            normalize_into(&text[from..to], &mut word);
            if word.is_empty() {
                continue;
            }
            let hyphenated = word.contains('-');
            let whole: &str = if hyphenated {
                joined.clear();
                joined.extend(word.split('-'));
                &joined
            } else {
                &word
            };
            if !hyphenated && (is_stop_word(whole) || is_lone_letter(whole)) {
                position += 1;
                continue;
            }
            let info = self.info(whole);
            pieces_info.clear();
            if hyphenated {
                for p in word.split('-').filter(|p| !p.is_empty()) {
                    pieces_info.push(self.info(p));
                }
            }
            f(WordView { from, to, position, word: whole, info: &info, pieces: &pieces_info });
            position += 1 + pieces_info.len();
        }
    }

    /// Splits a compound where the archive's vocabulary gives evidence: the
    /// longest tail (4+ letters) that is a word of the archive, after a head
    /// of 3+ letters; a linking -s- at the end of the head is dropped; heads
    /// and tails are split again. Returns the parts as written, outermost
    /// first; empty when the word is not a compound.
    pub fn split_compound(&self, w: &str) -> Vec<String> {
        let mut out = vec![];
        self.split_into(w, 0, &mut out);
        out
    }

    fn split_into(&self, w: &str, depth: usize, out: &mut Vec<String>) {
        let chars: Vec<(usize, char)> = w.char_indices().collect();
        let n = chars.len();
        if depth > 1 || n < 7 || !chars.iter().all(|(_, c)| c.is_alphabetic()) {
            return;
        }
        for i in 3..=n.saturating_sub(4) {
            let (bi, _) = chars[i];
            let tail = &w[bi..];
            let tail_stem = self.stem(tail);
            // A derivational ending is not a word of its own ("ryg|ning").
            if SUFFIXES.contains(&tail_stem.as_str()) || SUFFIXES.contains(&tail) || !self.lexicon.knows_stem(&tail_stem) {
                continue;
            }
            let mut head = &w[..bi];
            // The linking -s- ("rehabiliterings|forløb").
            if head.ends_with('s') && head.chars().count() > 4 {
                head = &head[..head.len() - 1];
            }
            if !head.chars().any(is_vowel) || !tail.chars().any(is_vowel) {
                continue;
            }
            out.push(head.to_string());
            out.push(tail.to_string());
            // The tail is a word of the archive; a long head may be a compound too.
            self.split_into(head, depth + 1, out);
            return;
        }
    }

    /// The head and tail of a compound, when it is one: what a query word
    /// is about ("rygestop" is about "ryge").
    pub fn head_and_tail(&self, w: &str) -> Option<(String, String)> {
        let parts = self.split_compound(w);
        if parts.len() >= 2 {
            return Some((parts[0].clone(), parts[1].clone()));
        }
        // Evidence from the head instead: the longest start of the word
        // (4+ letters, leaving 3+) that the archive uses as a word.
        let chars: Vec<(usize, char)> = w.char_indices().collect();
        let n = chars.len();
        if n < 7 || !chars.iter().all(|(_, c)| c.is_alphabetic()) {
            return None;
        }
        (4..=n - 3).rev().map(|i| chars[i].0).find_map(|b| {
            let (head, tail) = (&w[..b], &w[b..]);
            (self.lexicon.knows_stem(&self.stem(head)) && head.chars().any(is_vowel) && !SUFFIXES.contains(&tail)).then(|| (head.to_string(), tail.to_string()))
        })
    }

    /// Analyzes text into tokens, stop words dropped (their positions kept,
    /// so phrases still line up).
    pub fn analyze(&self, text: &str) -> Vec<AToken> {
        let mut out = vec![];
        self.each_word(text, |w| {
            let hyphen_parts: Vec<String> = w.pieces.iter().map(|p| p.stem.clone()).collect();
            out.push(AToken { from: w.from, to: w.to, position: w.position, word: w.word.to_string(), stem: w.info.stem.clone(), hyphen_parts, parts: w.parts() });
        });
        out
    }
}

/// One word as [`Analyzer::each_word`] sees it.
pub struct WordView<'a> {
    pub from: usize,
    pub to: usize,
    pub position: usize,
    pub word: &'a str,
    pub info: &'a WordInfo,
    /// For a hyphenated word, each part's analysis.
    pub pieces: &'a [std::rc::Rc<WordInfo>],
}

impl WordView<'_> {
    /// Stems of the compound parts (of the parts, for a hyphenated word),
    /// without the word's own stem.
    pub fn parts(&self) -> Vec<String> {
        let mut parts: Vec<String> = if self.pieces.is_empty() { self.info.parts.clone() } else { self.pieces.iter().flat_map(|p| p.parts.iter().cloned()).collect() };
        parts.retain(|p| *p != self.info.stem);
        parts.dedup();
        parts
    }
}

/// The stem of a lower-case word: Snowball Danish, with the protected words.
pub fn stem(w: &str) -> String {
    if w.chars().any(|c| c.is_ascii_digit()) || w.chars().count() <= 2 {
        return w.to_string();
    }
    let s = STEMMER.with(|st| st.stem(w).into_owned());
    for (cut, keep) in PROTECTED {
        if s == *cut && w.starts_with(keep) {
            return keep.to_string();
        }
    }
    s
}

/// One character that is not a digit: not a word to search by.
fn is_lone_letter(w: &str) -> bool {
    let mut cs = w.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if !c.is_ascii_digit())
}

fn is_vowel(c: char) -> bool {
    "aeiouyæøå".contains(c)
}

/// Byte spans of words: runs of letters and digits, with hyphens inside a
/// word kept ("IV-behandling", "Ikast-Brande", "covid-19").
pub fn words(text: &str) -> Words<'_> {
    Words { text, at: 0 }
}

/// The spans [`words`] gives, found as they are asked for.
pub struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl Iterator for Words<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let mut start: Option<usize> = None;
        let mut last_alnum_end = 0;
        let mut i = self.at;
        // An ASCII byte is its own character, tested without decoding.
        let alnum_at = |j: usize| match self.text.as_bytes().get(j) {
            Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
            Some(_) => self.text[j..].chars().next().is_some_and(char::is_alphanumeric),
            None => false,
        };
        while let Some(&b) = self.text.as_bytes().get(i) {
            let (c, len) = if b.is_ascii() {
                (b as char, 1)
            } else {
                let Some(c) = self.text[i..].chars().next() else { break };
                (c, c.len_utf8())
            };
            let alnum = if b.is_ascii() { b.is_ascii_alphanumeric() } else { c.is_alphanumeric() || (start.is_some() && unicode_normalization::char::is_combining_mark(c)) };
            if alnum {
                if start.is_none() {
                    start = Some(i);
                }
                last_alnum_end = i + len;
            } else if c == '-' && start.is_some() && alnum_at(i + 1) {
                // inside a hyphenated word
            } else if let Some(s) = start {
                self.at = i + len;
                return Some((s, last_alnum_end));
            }
            i += len;
        }
        self.at = self.text.len();
        start.map(|s| (s, last_alnum_end))
    }
}

/// A word typed with one plain letter for a Danish one: "borns" for
/// "børns", "gar" for "går", "vaerk" aside (see [`danish_spellings`]).
/// Each variant replaces one letter: o with ø, a with å or æ, e with æ;
/// at most the first six such letters are tried. The search takes a
/// variant only where the index knows it and the word as typed it does not.
pub fn single_letter_stand_ins(w: &str) -> Vec<String> {
    let chars: Vec<char> = w.chars().collect();
    let mut out = vec![];
    for (i, &c) in chars.iter().enumerate().filter(|(_, c)| matches!(c, 'o' | 'a' | 'e')).take(6) {
        let options: &[char] = match c {
            'o' => &['ø'],
            'a' => &['å', 'æ'],
            _ => &['æ'],
        };
        for &r in options {
            let mut v = chars.clone();
            v[i] = r;
            out.push(v.into_iter().collect());
        }
    }
    out
}

/// The spellings people type without a Danish keyboard: every way of reading
/// "ae", "oe" and "aa" in `w` as æ, ø and å (at most 2^4 variants), without
/// `w` itself.
pub fn danish_spellings(w: &str) -> Vec<String> {
    let chars: Vec<char> = w.chars().collect();
    let mut out = vec![String::new()];
    let mut i = 0;
    let mut choices = 0;
    while i < chars.len() {
        let repl = match (chars[i], chars.get(i + 1)) {
            ('a', Some('e')) => Some('æ'),
            ('o', Some('e')) => Some('ø'),
            ('a', Some('a')) => Some('å'),
            _ => None,
        };
        match repl {
            Some(r) if choices < 4 => {
                choices += 1;
                let mut next = vec![];
                for o in &out {
                    next.push(format!("{o}{}{}", chars[i], chars[i + 1]));
                    next.push(format!("{o}{r}"));
                }
                out = next;
                i += 2;
            }
            _ => {
                for o in &mut out {
                    o.push(chars[i]);
                }
                i += 1;
            }
        }
    }
    out.retain(|v| v != w);
    out
}

#[cfg(test)]
mod tests;
