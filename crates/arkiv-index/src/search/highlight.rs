//! Highlighting: which words of a text the query matched, as byte ranges,
//! and the best passage of an item's text. Matches are found by analysing
//! the text as the index does, so a word that matched through its stem, a
//! compound part, a synonym, an ASCII spelling or a typo is found too. The
//! ranges are plain offsets: the server escapes the text and marks them in
//! HTML, the command line emphasises them its own way.

use crate::model::{Highlighted, Mark};
use arkiv_analysis::{Analyzer, WordView};
use rustc_hash::FxHashSet;

/// The terms a query matched, for marking them in text.
#[derive(Debug, Default, Clone)]
pub struct Highlighter {
    pub(crate) stems: FxHashSet<String>,
    pub(crate) fuzzy: Vec<(String, usize)>,
    pub(crate) prefixes: Vec<String>,
}

impl Highlighter {
    /// A highlighter for these stems alone.
    pub fn for_stems<I: IntoIterator<Item = String>>(stems: I) -> Highlighter {
        Highlighter { stems: stems.into_iter().collect(), ..Default::default() }
    }

    fn matches(&self, w: &WordView<'_>) -> bool {
        let stem = &w.info.stem;
        if self.stems.contains(stem)
            || w.pieces.iter().any(|p| self.stems.contains(&p.stem))
            || w.info.parts.iter().any(|p| self.stems.contains(p))
            || w.pieces.iter().any(|p| p.parts.iter().any(|x| self.stems.contains(x)))
        {
            return true;
        }
        if self.prefixes.iter().any(|p| stem.starts_with(p.as_str())) {
            return true;
        }
        // A word within a typo or two shares its first or last letters with
        // the query word in all but rare cases; only those are measured.
        self.fuzzy.iter().any(|(s, d)| {
            stem.len().abs_diff(s.len()) <= *d
                && (stem.as_bytes().get(..2) == s.as_bytes().get(..2) || stem.as_bytes().get(stem.len().saturating_sub(2)..) == s.as_bytes().get(s.len().saturating_sub(2)..))
                && strsim::damerau_levenshtein(stem, s) <= *d
        })
    }

    /// The matches in the whole of `text`.
    pub fn marks(&self, analyzer: &Analyzer, text: &str) -> Vec<Mark> {
        scan(analyzer, self, text).into_iter().filter(|t| t.2.is_some()).map(|t| Mark { start: t.0, end: t.1 }).collect()
    }

    /// The best passage of `text`: the window of `window` words with the
    /// most distinct matches (the opening when nothing matches), its white
    /// space made single spaces, with "…" where it cuts the text.
    pub fn snippet(&self, analyzer: &Analyzer, text: &str, window: usize) -> Highlighted {
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = flat.as_str();
        let toks = scan(analyzer, self, text);
        if toks.is_empty() {
            return Highlighted::default();
        }
        let (start, end) = best_window(&toks, window);
        let from = if start == 0 { 0 } else { toks[start].0 };
        let to = if end + 1 >= toks.len() { text.len() } else { toks[end].1 };
        let mut out = Highlighted::default();
        if from > 0 {
            out.text.push('…');
        }
        let shift = out.text.len();
        out.text.push_str(&text[from..to]);
        out.marks = toks[start..=end].iter().filter(|t| t.2.is_some()).map(|t| Mark { start: t.0 - from + shift, end: t.1 - from + shift }).collect();
        if to < text.len() {
            out.text.push('…');
        }
        out
    }
}

/// One word of a text: its byte range, and which of the distinct matched
/// stems it is (None: not a match).
type Token = (usize, usize, Option<usize>);

/// The words of `text` and their matches.
fn scan(analyzer: &Analyzer, h: &Highlighter, text: &str) -> Vec<Token> {
    let mut out = vec![];
    let mut distinct: Vec<String> = vec![];
    analyzer.each_word(text, |w| {
        let m = if h.matches(&w) {
            Some(distinct.iter().position(|s| *s == w.info.stem).unwrap_or_else(|| {
                distinct.push(w.info.stem.clone());
                distinct.len() - 1
            }))
        } else {
            None
        };
        out.push((w.from, w.to, m));
    });
    out
}

/// The first and last token of the best window: the most distinct matches
/// (then the most matches) within `window` words, centred on its matches.
fn best_window(toks: &[Token], window: usize) -> (usize, usize) {
    let hits: Vec<(usize, usize)> = toks.iter().enumerate().filter_map(|(i, t)| t.2.map(|d| (i, d))).collect();
    if hits.is_empty() {
        return (0, toks.len().min(window) - 1);
    }
    let mut best = (0usize, 0usize, 0usize); // (score, first token, last token)
    let mut seen = vec![];
    for (k, &(i, _)) in hits.iter().enumerate() {
        seen.clear();
        let mut last = i;
        let mut count = 0;
        for &(j, d) in hits[k..].iter().take_while(|(j, _)| *j < i + window) {
            if !seen.contains(&d) {
                seen.push(d);
            }
            last = j;
            count += 1;
        }
        let score = seen.len() * 4 + count;
        if score > best.0 {
            best = (score, i, last);
        }
    }
    let span = best.2 - best.1 + 1;
    let pad = window.saturating_sub(span) / 2;
    let s = best.1.saturating_sub(pad.min(8));
    (s, (s + window - 1).min(toks.len() - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_the_matched_words() {
        let a = Analyzer::new(Default::default());
        let h = Highlighter::for_stems(["script".to_string()]);
        let text = "<script>alert(1)</script>";
        let m = h.marks(&a, text);
        assert_eq!(m.iter().map(|m| &text[m.start..m.end]).collect::<Vec<_>>(), ["script", "script"]);
    }

    #[test]
    fn a_snippet_cut_from_a_long_text_has_its_marks_on_its_own_text() {
        let a = Analyzer::new(Default::default());
        let h = Highlighter::for_stems([arkiv_analysis::stem("rygestop")]);
        let text = format!("{} rygestop og  mere\n{}", "ord ".repeat(100), "tekst ".repeat(100));
        let s = h.snippet(&a, &text, 30);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'), "{}", s.text);
        assert_eq!(s.marks.len(), 1);
        assert_eq!(&s.text[s.marks[0].start..s.marks[0].end], "rygestop");
        assert!(s.text.contains("rygestop og mere"), "white space is made single spaces: {}", s.text);
    }
}
