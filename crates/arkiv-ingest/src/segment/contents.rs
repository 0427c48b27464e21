//! Tables of contents: a run of listed entries before the items, matched
//! to the bodies after it.

use super::headings::label;
use super::numbering::Candidate;
use crate::clean::Line;
use regex::Regex;
use std::sync::LazyLock;

/// A table of contents: the first run of three or more candidates on
/// adjacent lines whose numbers rise by one and whose titles start with a
/// capital, that comes no later than the items chosen without it. Its
/// positions in `cands`.
pub(super) fn contents_run(lines: &[Line], cands: &[Candidate], first_item: Option<usize>) -> Option<std::ops::Range<usize>> {
    let listed = |c: &Candidate| c.title.chars().next().is_some_and(|ch| ch.is_uppercase() || ch.is_ascii_digit());
    // Entries follow each other, at most two lines apart ("Bilag til punkt
    // 3", a sub-point "a) L 111 ..."), with no section label between.
    // Sub-entries between them ("Punkt 03A: ...", "2.1 ...") do not count.
    let next_entry = |a: &Candidate, b: &Candidate| {
        let between = (a.title_end + 1..b.idx).filter(|&i| !is_sub_entry(&lines[i].text)).count();
        b.number == a.number + 1 && b.idx > a.title_end && between <= 2 && listed(b) && !(a.title_end + 1..b.idx).any(|i| label(&lines[i].text).is_some())
    };
    let mut k = 0;
    while k < cands.len() {
        let mut end = k + 1;
        while end < cands.len() && next_entry(&cands[end - 1], &cands[end]) {
            end += 1;
        }
        // Three entries make a list; two do under a heading that says so.
        let headed = (cands[k].idx.saturating_sub(2)..cands[k].idx).any(|i| is_contents_heading(&lines[i].text));
        if (end - k >= 3 || end - k == 2 && headed) && listed(&cands[k]) {
            return first_item.is_none_or(|f| cands[k].idx <= f).then_some(k..end);
        }
        k = end;
    }
    None
}

/// An entry under an item's in a table of contents: "Punkt 03A: Valg af
/// ...", "2.1 Budget", "3a. Høring".
pub(super) fn is_sub_entry(t: &str) -> bool {
    static SUB_ENTRY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:(?i:punkt|pkt)\.?\s*)?\d{1,3}(?:\.\d{1,2}|\p{L})[.:)]?\s+\S").unwrap());
    SUB_ENTRY.is_match(t)
}

/// A heading over a list of a meeting's items: "Indholdsfortegnelse",
/// "Dagsordenpunkter", "Punkter på dagsordenen", "PUNKTER", "Åbne".
pub(super) fn is_contents_heading(t: &str) -> bool {
    let t = t.trim().trim_end_matches(':').trim().to_lowercase();
    matches!(t.as_str(), "indhold" | "indholdsfortegnelse" | "dagsordenpunkter" | "dagsordenspunkter" | "punkter" | "punkter på dagsordenen" | "åbne" | "åbne punkter" | "åben" | "sager")
}

/// Whether an item's title in its body and an entry's in the table of
/// contents are the same item's: one begins with the other, or they begin
/// with the same three words.
pub(super) fn same_entry(body: &str, entry: &str) -> bool {
    let (b, e) = (norm(body), norm(entry));
    let head = |s: &str| s.split(' ').take(3).collect::<Vec<_>>().join(" ");
    b.starts_with(&e) || e.starts_with(&b) || head(&b) == head(&e)
}

/// Whether `title` is `entry` with a word glued to its end ("Meddelelse
/// fra formandenReferat" for "Meddelelse fra formanden").
pub(super) fn glued_onto(title: &str, entry: &str) -> bool {
    title.len() > entry.len() && title.starts_with(entry) && title[entry.len()..].chars().next().is_some_and(|c| c.is_uppercase())
}

pub(super) fn norm(s: &str) -> String {
    s.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}
