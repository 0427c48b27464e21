//! Patterns for the start of a line, asked of every line of a document.

use regex::{Captures, Regex};

/// A pattern for the start of a line (`^...`), with the bytes a line it
/// matches can begin with. Each line is asked several of these, and most
/// match none: the regex's own start (its caches, its start state) costs a
/// few hundred instructions before it looks at the first byte, and a look
/// at a table settles most lines without it.
pub(crate) struct LinePattern {
    re: Regex,
    /// `first[b]`: a line that begins with the byte `b` can match.
    first: [bool; 256],
}

impl LinePattern {
    /// The pattern, which must be valid (these are written in the code).
    pub(crate) fn new(pattern: &str) -> LinePattern {
        let re = Regex::new(pattern).expect("a line pattern is a valid regex");
        LinePattern { re, first: first_bytes(pattern) }
    }

    fn may_match(&self, line: &str) -> bool {
        line.as_bytes().first().is_none_or(|&b| self.first[b as usize])
    }

    pub(crate) fn is_match(&self, line: &str) -> bool {
        self.may_match(line) && self.re.is_match(line)
    }

    /// The captures where the pattern matches. `is_match` says whether it
    /// does without making room for the captures; only a line that matches
    /// pays for them.
    pub(crate) fn captures<'h>(&self, line: &'h str) -> Option<Captures<'h>> {
        if self.is_match(line) {
            self.re.captures(line)
        } else {
            None
        }
    }

    /// A line's head where the pattern matches, and the rest of the line.
    /// The pattern's last group opens the rest: `(\S)` where the rest starts
    /// with a non-space, `()` where it may be empty. A line holds no line
    /// break (`clean::split_lines` cuts at each), so this is what `(\S.*)$`
    /// and `(.*)$` capture; but the regex stops where the head ends instead
    /// of stepping through the rest of the line, which made capturing a
    /// matched line cost some 5,000 instructions.
    pub(crate) fn head<'h>(&self, line: &'h str) -> Option<(Captures<'h>, &'h str)> {
        let c = self.captures(line)?;
        let rest = &line[c.get(c.len() - 1)?.start()..];
        Some((c, rest))
    }
}

/// Which first bytes can begin a match of `pattern` at the start of a text,
/// from the transitions of its lazy DFA out of the start state: a byte that
/// leads to the dead state cannot. The search is unanchored, so a pattern
/// that is not anchored at the start keeps every byte. A pattern the DFA
/// cannot be built for keeps every byte too.
fn first_bytes(pattern: &str) -> [bool; 256] {
    use regex_automata::hybrid::dfa::DFA;
    use regex_automata::Input;
    let mut first = [true; 256];
    let Ok(dfa) = DFA::builder().configure(DFA::config().unicode_word_boundary(true)).build(pattern) else {
        return first;
    };
    let mut cache = dfa.create_cache();
    let Ok(start) = dfa.start_state_forward(&mut cache, &Input::new("")) else {
        return first;
    };
    for (b, f) in first.iter_mut().enumerate() {
        if let Ok(next) = dfa.next_state(&mut cache, start, b as u8) {
            *f = !next.is_dead();
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_line_is_matched_only_where_its_first_byte_can_begin_a_match() {
        let p = LinePattern::new(r"^(?i)(side|page)\s+\d{1,4}$|^-\s*\d{1,4}\s*-$");
        let allowed: Vec<u8> = (0..=255u8).filter(|&b| p.first[b as usize]).collect();
        // Unicode's case folding of "s" has the long s (U+017F, 0xC5 0xBF).
        assert_eq!(allowed, b"-PSps\xc5".to_vec());
        // Unanchored, every byte can begin a text that holds a match.
        assert!(LinePattern::new(r"\d{4}").first.iter().all(|&f| f));
        // A pattern that matches the empty text at the start, too.
        assert!(LinePattern::new(r"^(?:Bilag)?").first.iter().all(|&f| f));
        // A word boundary past ASCII is not settled by the table.
        assert!(LinePattern::new(r"^(?i)(kl|år)\b").is_match("år 2024"));
    }

    proptest! {
        /// The table only ever saves asking the regex: what the pattern says
        /// of a line is what the regex says.
        #[test]
        fn a_line_pattern_says_what_its_regex_says(line in "(1|12|1\\.|3\\)|Side |page |ſide |- |Dato|kl|år|Punkt |pkt\\.)?[-1-9aAsSpPdDkæÅ .:)(\\t]{0,10}") {
            for pattern in [r"^(?i)(side|page)\s+\d{1,4}$|^-\s*\d{1,4}\s*-$", r"^(?:(?i:(pkt|punkt))\.?\s*)?(\d{1,2})(?:\s*([.):])\s*|\s+)(\S)", r"^(?i)(kl|dag|år)\b", r"^Dato\s*:\s*(.)", r"\d:"] {
                let p = LinePattern::new(pattern);
                prop_assert_eq!(p.is_match(&line), p.re.is_match(&line), "{}", pattern);
            }
        }
    }
}
