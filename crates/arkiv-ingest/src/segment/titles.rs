//! Where a title ends when the text has run it together with what follows
//! it: a PDF shown as a web page's transcript prints a page as one line
//! ("2. Budgetopfølgning for sundhedsudvalget pr. 30. september Ø I
//! henhold til ..."). The cues, strongest first:
//!
//! - the table of contents' entry of the same number is the title's start;
//! - the title is printed again elsewhere (its entry in a table of contents
//!   that lost its numbers, its heading on a later page), followed by other
//!   words: the title is what the two have in common;
//! - a case number, an "Åben sag" / "Lukket sag" mark, a field ("Sagsnr.:")
//!   or a section heading ("Sagsfremstilling", "RESUMÉ") ends it.

use super::contents::norm;
use super::headings::label;

/// A title this long may be run together with its text.
const RUN_TOGETHER_CHARS: usize = 90;

/// The cues that end a title, for `arkiv parse --explain`.
const BY_ENTRY: &str = "its entry in the table of contents";
const BY_MARK: &str = "a case number, mark or heading after it";
const BY_AGAIN: &str = "printed again elsewhere, with other words after it";

/// The words of a text, lowercased, without the marks around them, for
/// comparing one printing of a title with another; each with whether it
/// opens as a new title or sentence would (a capital, a digit).
pub(super) fn words(text: &str) -> Vec<(String, bool)> {
    text.split_whitespace().map(|w| (key(w), opens(w))).filter(|w| !w.0.is_empty()).collect()
}

fn opens(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '/')
}

fn key(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()
}

/// Where `title` ends, as a byte offset, where it is run together with its
/// item's text, and the cue that says so; None where it is a title as it
/// stands. `toc` holds the table of contents' entries by number, `elsewhere`
/// the words of the meeting's lines before the title's and after them.
pub(super) fn run_together_end(title: &str, number: u32, toc: &[(u32, String)], elsewhere: [&[(String, bool)]; 2]) -> Option<(usize, &'static str)> {
    let spans: Vec<(usize, &str)> = title.split_whitespace().map(|w| (w.as_ptr() as usize - title.as_ptr() as usize, w)).collect();
    let end_of = |n: usize| spans.get(n - 1).map(|(at, w)| at + w.len());
    // The entry of the same number, shorter than the title and its start.
    let t = norm(title);
    if let Some((_, e)) = toc.iter().filter(|(n, e)| *n == number && e.len() < title.len()).find(|(_, e)| !e.is_empty() && t.starts_with(&norm(e))) {
        let n = e.split_whitespace().count();
        if n < spans.len() {
            return end_of(n).map(|e| (e, BY_ENTRY));
        }
    }
    // The first word after the title's first that ends it by its kind.
    let mark = (1..spans.len()).find(|&n| ends_title(&spans[n..]));
    if title.chars().count() <= RUN_TOGETHER_CHARS {
        return mark.and_then(end_of).map(|e| (e, BY_MARK));
    }
    let keys: Vec<String> = spans.iter().map(|(_, w)| key(w)).collect();
    // The longest run of the title's first words printed elsewhere, where
    // both printings go on with a new title or sentence (or the other
    // ends): "... 30. september Ø I henhold" and "... 30. september
    // Orientering om budget", not "Fastlæggelse af varmebehovet" and
    // "Fastlæggelse af mødeplan".
    let mut again = 0;
    if let Some(first) = keys.first() {
        for part in elsewhere {
            for k in (0..part.len()).filter(|&k| &part[k].0 == first) {
                let n = keys.iter().zip(&part[k..]).take_while(|(a, b)| **a == b.0).count();
                let title_goes_on = spans.get(n).is_some_and(|(_, w)| opens(w));
                let other_goes_on = part.get(k + n).is_none_or(|w| w.1);
                if n < spans.len() && title_goes_on && other_goes_on || n == spans.len() {
                    again = again.max(n);
                }
            }
        }
    }
    let by_again = (again >= 2 && again < spans.len()).then_some(again);
    // The earlier of the two ends.
    let (n, cue) = match (by_again, mark) {
        (Some(a), Some(m)) if m < a => (m, BY_MARK),
        (Some(a), _) => (a, BY_AGAIN),
        (None, Some(m)) => (m, BY_MARK),
        (None, None) => return None,
    };
    end_of(n).map(|e| (e, cue))
}

/// Whether the words from here on begin with what ends a title: a case
/// number ("13/30382", "/6804"), "Åben sag", "Lukket sag", a field
/// ("Sagsnr.:", "J.nr.:") or a section heading.
fn ends_title(rest: &[(usize, &str)]) -> bool {
    let Some(&(_, w)) = rest.first() else { return false };
    let next = rest.get(1).map_or("", |x| x.1);
    let case = w.contains('/') && w.chars().any(|c| c.is_ascii_digit()) && w.chars().all(|c| c.is_ascii_digit() || c == '/' || c == '-' || c == '.');
    let open_closed = matches!(w, "Åben" | "ÅBEN" | "Lukket" | "LUKKET") && next.eq_ignore_ascii_case("sag");
    let field = matches!(w.trim_end_matches(':').trim_end_matches('.'), "Sagsnr" | "J.nr" | "Sagsid" | "Journalnr");
    let heading = w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() >= 6 && label(w.trim_end_matches(':')).is_some();
    case || open_closed || field || heading
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(title: &str, toc: &[(u32, &str)], elsewhere: &str) -> String {
        let toc: Vec<(u32, String)> = toc.iter().map(|(n, t)| (*n, t.to_string())).collect();
        match run_together_end(title, 2, &toc, [&words(elsewhere), &[]]) {
            Some((e, _)) => title[..e].to_string(),
            None => title.to_string(),
        }
    }

    #[test]
    fn a_title_run_together_with_its_text_ends_where_its_other_printing_does() {
        let body = "Budgetopfølgning for sundhedsudvalget pr. 30. september Ø I henhold til Forretningsgang vedrørende samlet budgetopfølgning skal udvalgene orienteres";
        let contents = "Indholdsfortegnelse 1. Oplæg om sundhedshuse Budgetopfølgning for Sundhedsudvalget pr. 30. september Orientering om budget Eventuelt";
        assert_eq!(cut(body, &[], contents), "Budgetopfølgning for sundhedsudvalget pr. 30. september");
        // The entry of its number, where the table kept it.
        assert_eq!(cut(body, &[(2, "Budgetopfølgning for sundhedsudvalget pr. 30. september")], ""), "Budgetopfølgning for sundhedsudvalget pr. 30. september");
        // A case number or a section heading after it.
        let body = "Anmodning om udtræden af skolebestyrelsen på Vestermarkskolen 13/30382 Beslutningstema: Anmodning om udtræden af skolebestyrelsen";
        assert_eq!(cut(body, &[], ""), "Anmodning om udtræden af skolebestyrelsen på Vestermarkskolen");
        let body = "Endelig vedtagelse af Lokalplan 72.1 for Egensevej erhvervsområde Åben sag Sagsnr.: 13/13777 Sagsansvarlig: HMJ";
        assert_eq!(cut(body, &[], ""), "Endelig vedtagelse af Lokalplan 72.1 for Egensevej erhvervsområde");
        // A long title that is one: printed the same elsewhere, or alone.
        let title = "Fastlæggelse af varmebehovet i forhold til varmeforsyningsloven på Bymarkskolen og Kirkeby Skole";
        assert_eq!(cut(title, &[], &format!("1. Budget {title} 3. Eventuelt")), title);
        assert_eq!(cut(title, &[], "Fastlæggelse af mødeplan"), title);
    }
}
