//! The query's matches in HTML: text escaped, matches in `<mark>`. The index
//! gives the matches as byte ranges of plain text; only here do they become
//! markup, for the API's `snippet` and `title_html`, the pages and the feed.

use arkiv_index::Highlighted;

/// Escapes text for HTML (element content and quoted attribute values).
fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The text, HTML-escaped, with its marks in `<mark>` (a mark off the text
/// is left out: `Highlighted::pieces`).
pub fn to_html(h: &Highlighted) -> String {
    let mut out = String::with_capacity(h.text.len() + h.marks.len() * 13);
    for (piece, marked) in h.pieces() {
        if marked {
            out.push_str("<mark>");
            escape_into(piece, &mut out);
            out.push_str("</mark>");
        } else {
            escape_into(piece, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use arkiv_index::Mark;

    #[test]
    fn text_is_escaped_and_matches_marked() {
        let h = Highlighted { text: "<script>alert(1)</script>".into(), marks: vec![Mark { start: 1, end: 7 }, Mark { start: 18, end: 24 }] };
        assert_eq!(to_html(&h), "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;");
    }

    #[test]
    fn marks_off_the_text_are_left_out() {
        let h = Highlighted { text: "ældre & yngre".into(), marks: vec![Mark { start: 1, end: 3 }, Mark { start: 0, end: 6 }, Mark { start: 2, end: 4 }, Mark { start: 9, end: 99 }] };
        assert_eq!(to_html(&h), "<mark>ældre</mark> &amp; yngre");
    }
}
