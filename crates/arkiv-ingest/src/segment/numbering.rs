//! Numbering: the lines that could open an item ("3.", "Pkt. 3", "212.",
//! a number alone with its title on the next line, a title over "Sag nr.
//! 11"), each a candidate with the cues that score it, and the choice of
//! the best run of candidates whose numbers rise by one.

use super::headings::label;
use super::meetings::is_meeting_mark;
use crate::clean::Line;
use crate::line_pattern::LinePattern;
use regex::Regex;
use std::sync::LazyLock;

pub(super) static ITEM: LazyLock<LinePattern> = LazyLock::new(|| {
    // "1. Titel", "1 Titel", "Punkt 1 Titel", "• Pkt. 8 Titel", "Nr.144 -
    // Titel", "Sag 3 Titel", "Ad pkt. 3 Titel", "212. Titel"
    // (numbers that run on through the year), and "1.Titel" as a PDF's
    // text gives a Word list label set apart by a tab stop; "åbent 2
    // Titel", "lukket 9 Titel" as meeting systems list their items.
    LinePattern::new(r"^(- )?(?:(?i:(pkt|punkt|nr|sag|ad\s+pkt|åbent|åben|lukket))\.?\s*)?(\d{1,3})(?:\s*([.):])\s*|\s+[-–]\s+|\s+|)(\S)")
});
/// A title's last sentence that is a decision, as minutes of a short
/// meeting print it on the title's line ("Godkendelse af dagsorden.
/// Godkendt."): short, and in the words minutes record one with.
pub(super) static DECIDED_TAIL: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"\.\s+((?:{DECIDED_WORDS})\b[^.]{{0,60}}\.?)$")).unwrap());
/// The words minutes record a decision with.
const DECIDED_WORDS: &str = "Godkendt|Godkendtes|Vedtaget|Tiltrådt|Anbefalet|Anbefales|Taget til efterretning|Drøftet|Udsat|Ingen bemærkninger|Intet";
/// A decision alone on the line under a title: "Godkendt", "Taget til
/// efterretning.".
pub(super) static DECIDED_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"^(?:{DECIDED_WORDS})\b[^.]{{0,40}}\.?$")).unwrap());
/// An item's number alone on its line, its title on the next: "1." /
/// "Underskrift af referat", "Pkt. 7" / "Titel".
pub(super) static ITEM_ALONE: LazyLock<LinePattern> = LazyLock::new(|| LinePattern::new(r"^(- )?(?:(?i:(pkt|punkt))\.?\s*)?(\d{1,3})\s*[.:]?()$"));
/// A case's number under its title: "Meddelelser" / "Sag nr. 11".
pub(super) static CASE_UNDER_TITLE: LazyLock<LinePattern> = LazyLock::new(|| LinePattern::new(r"^(?i:sag)\s+(?i:nr)\.?\s*(\d{1,3})()$"));
/// An ordinal before a lower-case word at a title's start: "1. behandling",
/// "2. halvår".
static ORDINAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d\.\s+").unwrap());
/// The time an agenda gives an item, before its title: "09.00-09.01",
/// "kl. 10.15 - 10.45".
static TIME_SPAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?i:kl\.?\s*)?\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}\s+").unwrap());
/// A closed item's mark before its title: "Lukket punkt:", "LUKKET PUNKT -",
/// "Lukket sag:".
pub(super) static CLOSED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?i:lukket(?:\s+punkt|\s+sag)?)\s*[-–:]\s*").unwrap());
pub(super) static MONTH_START: LazyLock<LinePattern> = LazyLock::new(|| {
    LinePattern::new(r"^(?i)(januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec|kl|kvartal|halvår|time|timer|dag|dage|uge|uger|måned|måneder|år|%|procent|mio|mia|kr)\b")
});

/// A line that has the form of an item heading ("3. Titel", "Punkt 3 Titel").
pub fn looks_like_item(line: &str) -> bool {
    ITEM.is_match(line)
}

#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub(super) idx: usize,
    pub(super) number: u32,
    pub(super) title: String,
    /// Index of the last line of the title.
    pub(super) title_end: usize,
    pub(super) score: f64,
    /// What made it a candidate and what its score weighs, for `arkiv
    /// parse --explain`: bits of [`CUES`].
    pub(super) cues: u16,
}

/// The cues a candidate's score weighs, by bit.
pub(super) const CUES: [&str; 15] = [
    "numbered line",
    "number alone, title on the next line",
    "title over 'Sag nr. N'",
    "another numbered line right after it",
    "a section heading right after it",
    "a section heading soon after it",
    "a case number before it",
    "title in lower case",
    "a point of a recommendation ('At ...')",
    "number in a parenthesis, as a list's",
    "a list numbered from 1 again inside an item",
    "its title again as a heading under it",
    "numbered as an item ('Pkt.', 'Nr.', 'Punkt', 'Sag')",
    "a closed item ('Lukket punkt:')",
    "its decision on the title's line ('... Godkendt.')",
];
pub(super) const CUE_NUMBERED: u16 = 1;
pub(super) const CUE_ALONE: u16 = 1 << 1;
pub(super) const CUE_CASE_UNDER: u16 = 1 << 2;
pub(super) const CUE_NEXT_NUMBERED: u16 = 1 << 3;
pub(super) const CUE_HEADING_NEXT: u16 = 1 << 4;
pub(super) const CUE_HEADING_SOON: u16 = 1 << 5;
pub(super) const CUE_CASE_BEFORE: u16 = 1 << 6;
pub(super) const CUE_LOWER: u16 = 1 << 7;
pub(super) const CUE_AT: u16 = 1 << 8;
pub(super) const CUE_PAREN: u16 = 1 << 9;
pub(super) const CUE_RESTARTED: u16 = 1 << 10;
pub(super) const CUE_TITLE_AGAIN: u16 = 1 << 11;
pub(super) const CUE_PREFIXED: u16 = 1 << 12;
pub(super) const CUE_CLOSED: u16 = 1 << 13;
pub(super) const CUE_DECIDED: u16 = 1 << 14;

/// A candidate's cues in words.
pub(super) fn cue_words(cues: u16) -> String {
    CUES.iter().enumerate().filter(|(k, _)| cues & (1 << k) != 0).map(|(_, w)| *w).collect::<Vec<_>>().join("; ")
}

/// A line that opens an item: its number, its title (after a closed item's
/// mark), whether the number stood in a parenthesis ("3)", a list's), and
/// whether a prefix numbered it ("Pkt.", "Nr."). Read without copying.
fn candidate_head(line: &str) -> Option<(u32, &str, bool, bool, bool)> {
    let (c, title) = ITEM.head(line)?;
    let prefixed = c.get(2).is_some();
    let number: u32 = c[3].parse().ok()?;
    let punct = c.get(4).map(|m| m.as_str());
    let title = title.trim();
    // An agenda that times its items: "1 - 09.00-09.01 Godkendelse af
    // dagsordenen", "2. Kl. 10.15-10.45 Budget".
    let title = TIME_SPAN.find(title).map_or(title, |m| &title[m.end()..]);
    let closed = CLOSED.find(title);
    let title = closed.map_or(title, |m| &title[m.end()..]);
    // A bullet before "3." is how web pages and their copies list items
    // ("• 301. Planstrategi", "- 1. Velkomst"); its number counts as any.
    let listed = punct == Some(")");

    let first = title.chars().next()?;
    // After "Nr.", "Pkt." a title may begin with a number ("Nr.144 - 2.
    // behandling af budget").
    // A title may begin with an ordinal: "314 1. behandling af budget".
    let ordinal = first.is_ascii_digit() && ORDINAL.find(title).is_some_and(|m| title[m.end()..].starts_with(char::is_lowercase) && !MONTH_START.is_match(&title[m.end()..]));
    if !(first.is_alphabetic() || "\"'”“„«".contains(first) || prefixed && first.is_ascii_digit() || ordinal && punct.is_none()) {
        return None;
    }
    // Without a space after the number's point, only a capital starts a
    // title; a number glued to its title ("38Godkendelse af dagsorden", as
    // a web page's spans come out as text) only before a capital word.
    let glued = c.get(4).zip(c.get(5)).is_some_and(|(p, t)| p.end() == t.start());
    if glued && !first.is_uppercase() {
        return None;
    }
    let bare = punct.is_none() && c.get(3).zip(c.get(5)).is_some_and(|(n, t)| n.end() == t.start());
    if bare && !(first.is_uppercase() && title.chars().nth(1).is_some_and(char::is_lowercase)) {
        return None;
    }
    if MONTH_START.is_match(title) {
        return None;
    }
    if punct.is_none() && !prefixed && !first.is_uppercase() && !ordinal {
        return None;
    }
    if number == 0 && !prefixed {
        return None;
    }
    Some((number, title, listed, prefixed, closed.is_some()))
}

/// Whether a line opens an item (see [`parse_candidate`]).
pub(super) fn is_candidate(line: &str) -> bool {
    candidate_head(line).is_some()
}

/// A line that opens an item: its number, its title without a table of
/// contents' leader, whether the number stood in a parenthesis, whether a
/// prefix numbered it, and whether it is marked closed ("Lukket punkt:").
pub(super) fn parse_candidate(line: &str) -> Option<(u32, String, bool, bool, bool)> {
    candidate_head(line).map(|(n, t, paren, prefixed, closed)| (n, strip_leader(t), paren, prefixed, closed))
}

/// Drops a table of contents' dotted leader and page number, the number
/// arabic or, where the front matter is numbered apart, roman ("Dallund
/// Slot...ii", "Budget xiii" where a transcript lost the leader).
pub(super) fn strip_leader(t: &str) -> String {
    static LEADER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s*(?:\.{3,}|…+|_{3,})\s*(?:\d*|[ivxlc]{1,6})\s*$|\s{2,}\d{1,3}$|\s+(?:x{1,3}(?:ix|iv|v?i{0,3})|ix|iv|vi{0,3}|ii{1,2})$").unwrap()
    });
    LEADER.replace(t, "").trim().to_string()
}

pub(super) const CONNECTIVES: &[&str] = &["og", "for", "af", "i", "til", "med", "fra", "om", "på", "ved", "vedr.", "vedrørende", "samt", "under", "mellem", "–", "-", "herunder", "efter", "hos", "mod", "inden", "den", "det", "de", "en", "et"];

/// Whether a line-end hyphen is kept when its word is joined depends on the
/// words of the archive's other files (the word table), so nothing that
/// decides where an item starts or how far its title runs may see it: a
/// title's length and its last word are taken with hyphens left out. The
/// same file then gives the same items, titles and ids whatever else the
/// archive holds.
pub(super) fn unhyphenated_len(t: &str) -> usize {
    t.chars().filter(|&c| c != '-').count()
}

pub(super) fn ends_with_connective(t: &str) -> bool {
    t.ends_with(',')
        || t.split_whitespace().last().is_some_and(|w| {
            let w = w.to_lowercase();
            CONNECTIVES.contains(&w.as_str()) || w.contains('-') && CONNECTIVES.contains(&w.replace('-', "").as_str())
        })
}

/// Extends a title over the lines it wraps onto.
pub(super) fn title_extent(lines: &[Line], idx: usize, first: &str) -> (String, usize) {
    let mut title = first.to_string();
    let mut end = idx;
    for k in 1..=2 {
        let Some(next) = lines.get(idx + k) else { break };
        // A contents entry wrapped over two lines has its leader and page
        // on the second ("lånefinansiering........ 19"): that ends it.
        let bare = strip_leader(&next.text);
        let led = bare.len() < next.text.trim().len();
        let t = bare.as_str();
        if label(t).is_some() || is_candidate(t) || ITEM_ALONE.is_match(t) || t.starts_with("- ") || is_meeting_mark(lines, idx + k) || next.after_case_number {
            break;
        }
        let starts_lower = t.chars().next().is_some_and(|c| c.is_lowercase());
        let wrapped = unhyphenated_len(&title) >= 40 || ends_with_connective(&title);
        if !(wrapped && (starts_lower || ends_with_connective(&title))) || unhyphenated_len(t) > 100 {
            break;
        }
        title.push(' ');
        title.push_str(t);
        end = idx + k;
        if led || !ends_with_connective(&title) && unhyphenated_len(&title) < 40 {
            break;
        }
    }
    (title, end)
}

/// An item's number alone on line `i` with its title on the next line: the
/// number and the title's first line.
pub(super) fn number_alone(lines: &[Line], i: usize) -> Option<(u32, String)> {
    let (c, _) = ITEM_ALONE.head(&lines[i].text)?;
    if c.get(1).is_some() && c.get(2).is_none() {
        return None;
    }
    let number: u32 = c[3].parse().ok()?;
    let next = lines.get(i + 1)?.text.as_str();
    let next = CLOSED.find(next).map_or(next, |m| &next[m.end()..]);
    let starts_upper = next.chars().next().is_some_and(|c| c.is_uppercase());
    if !starts_upper || label(next).is_some() || is_candidate(next) || ITEM_ALONE.is_match(next) || MONTH_START.is_match(next) || next.chars().count() > 160 {
        return None;
    }
    (number > 0 || c.get(2).is_some()).then(|| (number, next.to_string()))
}

pub(super) fn candidates(lines: &[Line], from: usize, to: usize) -> Vec<Candidate> {
    let mut out = vec![];
    for i in from..to {
        // "Titel" / "Sag nr. 11": the item starts at its title, the line
        // before (not itself an item's line).
        if let Some((c, _)) = CASE_UNDER_TITLE.head(&lines[i].text) {
            let prev = i.checked_sub(1).filter(|&p| p >= from && !out.last().is_some_and(|c: &Candidate| c.title_end >= p));
            if let (Some(p), Ok(number)) = (prev, c[1].parse::<u32>()) {
                let t = lines[p].text.as_str();
                if t.chars().next().is_some_and(char::is_uppercase) && label(t).is_none() && !is_candidate(t) && t.chars().count() <= 160 {
                    // The case's number marks an item, as one before it does.
                    let (ev, cue) = evidence(lines, i, to);
                    out.push(Candidate { idx: p, number, title: t.to_string(), title_end: i, score: 3.0 + ev, cues: CUE_CASE_UNDER | cue });
                }
            }
            continue;
        }
        let (number, first, paren, title_at, form) = match parse_candidate(&lines[i].text) {
            Some((n, t, p, x, closed)) => (n, t, p, i, CUE_NUMBERED | if x { CUE_PREFIXED } else { 0 } | if closed { CUE_CLOSED } else { 0 }),
            None => match number_alone(lines, i).filter(|_| i + 1 < to) {
                Some((n, t)) => (n, t, false, i + 1, CUE_ALONE),
                None => continue,
            },
        };
        let (title, title_end) = title_extent(lines, title_at, &first);
        let (ev, cue) = evidence(lines, title_end, to);
        let mut score = 1.0 + ev;
        let mut cues = form | cue;
        let mut weigh = |applies: bool, by: f64, why: u16| {
            if applies {
                score += by;
                cues |= why;
            }
        };
        weigh(lines[i].after_case_number, 2.0, CUE_CASE_BEFORE);
        // A web export prints the title again as the item's heading.
        weigh(title_again(lines, &title, title_end, to), 3.0, CUE_TITLE_AGAIN);
        weigh(form & CUE_PREFIXED != 0, 1.0, 0);
        weigh(DECIDED_TAIL.is_match(&title), 3.0, CUE_DECIDED);
        weigh(title.chars().next().is_some_and(|c| c.is_lowercase()), -3.0, CUE_LOWER);
        // A recommendation's or decision's own points: "1. At planen godkendes".
        weigh(title.split_whitespace().next().is_some_and(|w| w.eq_ignore_ascii_case("at")), -4.0, CUE_AT);
        weigh(paren, -2.0, CUE_PAREN);
        if title.ends_with(',') || title.ends_with(';') {
            score -= 1.0;
        }
        if unhyphenated_len(&title) > 160 {
            score -= 2.0;
        }
        // The same number and title again a few lines on is the item's
        // own heading ("• Pkt. 17 Titel" / "Pkt. 17" / "Titel"), not another.
        // They are one candidate: from the first line, its title ending at
        // the heading, with the better evidence.
        if let Some(p) = out.last_mut().filter(|p| p.number == number && i <= p.title_end + 5 && same_words(&p.title, &title)) {
            p.title_end = title_end;
            p.score = p.score.max(score);
            p.cues |= cues | CUE_TITLE_AGAIN;
            continue;
        }
        out.push(Candidate { idx: i, number, title, title_end, score, cues });
    }
    penalize_restarted_lists(lines, &mut out);
    out
}

/// Whether one of the three lines after a title is the title again (white
/// space and case aside): an item's heading under its number.
fn title_again(lines: &[Line], title: &str, title_end: usize, to: usize) -> bool {
    title.split_whitespace().nth(1).is_some() && (title_end + 1..(title_end + 4).min(to)).any(|k| same_words(&lines[k].text, title))
}

/// Whether two texts have the same words, case aside; compared without
/// copies.
pub(super) fn same_words(a: &str, b: &str) -> bool {
    fn folded(t: &str) -> impl Iterator<Item = char> + '_ {
        t.split_whitespace().flat_map(|w| w.chars().flat_map(char::to_lowercase).chain(std::iter::once(' ')))
    }
    a.len().abs_diff(b.len()) <= 8 && folded(a).eq(folded(b))
}

/// Evidence from what follows a candidate's title: a section label before
/// the next candidate (more where it comes at once), or another candidate
/// on the very next line (a list's).
pub(super) fn evidence(lines: &[Line], title_end: usize, to: usize) -> (f64, u16) {
    for k in title_end + 1..(title_end + 9).min(to) {
        let t = &lines[k].text;
        if is_candidate(t) {
            return if k == title_end + 1 { (-2.0, CUE_NEXT_NUMBERED) } else { (0.0, 0) };
        }
        // A decision alone right under the title heads minutes' item as a
        // label would ("Godkendelse af dagsordenen" / "Godkendt").
        if label(t).is_some() || k == title_end + 1 && DECIDED_LINE.is_match(t) {
            return if k == title_end + 1 { (4.0, CUE_HEADING_NEXT) } else { (3.0, CUE_HEADING_SOON) };
        }
    }
    (0.0, 0)
}

/// A run of candidates on consecutive lines numbered 1, 2, 3, ... after an
/// item has begun is a numbered list inside that item: the agenda's own
/// numbering does not start again within a meeting.
pub(super) fn penalize_restarted_lists(lines: &[Line], cands: &mut [Candidate]) {
    let mut k = 0;
    while k < cands.len() {
        let mut end = k + 1;
        while end < cands.len() {
            let (prev, next) = (&cands[end - 1], &cands[end]);
            // Entries follow each other within a line or two of their own
            // text; a section label between them ends the list.
            let close = next.idx <= prev.title_end + 3 && !(prev.title_end + 1..next.idx).any(|i| label(&lines[i].text).is_some());
            if next.number != prev.number + 1 || !close {
                break;
            }
            end += 1;
        }
        // An item has begun: one with strong evidence, or an agenda's
        // numbering already under way (a 1 and a later 2).
        let started = cands[..k].iter().position(|c| c.number == 1).is_some_and(|p| cands[p..k].iter().any(|c| c.number == 2));
        let item_before = started || cands[..k].iter().any(|c| c.score >= 4.0);
        if end - k >= 2 && cands[k].number == 1 && item_before {
            for c in &mut cands[k..end] {
                c.score -= 3.0;
                c.cues |= CUE_RESTARTED;
            }
        }
        k = end;
    }
}

pub(super) fn transition(prev: u32, next: u32) -> Option<f64> {
    if next == prev + 1 {
        Some(0.0)
    } else if next == prev {
        Some(-4.0)
    } else if next > prev {
        Some(-1.5 * (next - prev - 1) as f64)
    } else {
        None
    }
}

pub(super) fn start_cost(n: u32) -> f64 {
    match n {
        1 => 0.0,
        0 => -0.5,
        n => -(n.min(6) as f64 - 1.0),
    }
}

/// Picks the best increasing run of candidates.
pub(super) fn choose(cands: &[Candidate]) -> Vec<usize> {
    const WINDOW: usize = 400;
    let n = cands.len();
    let mut best = vec![f64::NEG_INFINITY; n];
    let mut back: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        let mut b = cands[i].score + start_cost(cands[i].number);
        let mut arg = None;
        for j in i.saturating_sub(WINDOW)..i {
            if let Some(t) = transition(cands[j].number, cands[i].number) {
                let v = best[j] + t + cands[i].score;
                if v > b {
                    b = v;
                    arg = Some(j);
                }
            }
        }
        best[i] = b;
        back[i] = arg;
    }
    let Some((mut i, &b)) = best.iter().enumerate().max_by(|a, b| a.1.partial_cmp(b.1).unwrap()) else { return vec![] };
    if b <= 0.0 {
        return vec![];
    }
    let mut path = vec![i];
    while let Some(j) = back[i] {
        path.push(j);
        i = j;
    }
    path.reverse();
    path
}
