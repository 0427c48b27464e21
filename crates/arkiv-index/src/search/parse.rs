//! A staff query into its pieces: words and quoted phrases. There is no
//! operator syntax: a stray quote, a colon or a sign is just text.

use arkiv_analysis::normalize;

/// A piece of the query: a word, or a quoted phrase.
#[derive(Debug, Clone)]
pub(crate) enum Piece {
    Word(String),
    Phrase(String),
}

impl Piece {
    /// How many of the query's words the piece spends.
    pub fn words(&self) -> usize {
        match self {
            Piece::Word(_) => 1,
            Piece::Phrase(t) => t.split_whitespace().count().max(1),
        }
    }
}

/// Splits a query into words and quoted phrases. A stray quote is text;
/// so is any operator-like character.
pub(crate) fn pieces(q: &str) -> Vec<Piece> {
    let q = q.replace(['“', '”', '„', '«', '»'], "\"");
    let quotes = q.matches('"').count();
    let mut out = vec![];
    let mut rest = q.as_str();
    let mut paired = quotes / 2;
    while !rest.is_empty() {
        if paired > 0 {
            if let Some(a) = rest.find('"') {
                let after = &rest[a + 1..];
                if let Some(b) = after.find('"') {
                    push_words(&rest[..a], &mut out);
                    let phrase = after[..b].trim();
                    if !phrase.is_empty() {
                        out.push(Piece::Phrase(phrase.to_string()));
                    }
                    rest = &after[b + 1..];
                    paired -= 1;
                    continue;
                }
            }
        }
        push_words(rest, &mut out);
        break;
    }
    out
}

fn push_words(s: &str, out: &mut Vec<Piece>) {
    let n = normalize(s);
    for (a, b) in arkiv_analysis::words(&n) {
        out.push(Piece::Word(n[a..b].to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_quotes_and_colons_are_text() {
        let p = pieces("\"den nære psykiatri\" rygestop \"halv");
        assert!(matches!(&p[0], Piece::Phrase(t) if t == "den nære psykiatri"));
        assert!(matches!(&p[1], Piece::Word(w) if w == "rygestop"));
        assert!(matches!(&p[2], Piece::Word(w) if w == "halv"));
        let p = pieces("group:rygestop");
        assert_eq!(p.len(), 2);
    }
}
