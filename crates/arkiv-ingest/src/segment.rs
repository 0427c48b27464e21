//! Segmentation: a document's cleaned lines into meetings, agenda items and
//! sections.
//!
//! Item numbers are found by candidates and a choice: every line that could
//! open an item ("3.", "2 Godkendelse", "Pkt. 3", "Punkt 3:") is a candidate
//! with a score from its evidence (a section label soon after it, a case
//! number before it, a capitalized title), and a dynamic program picks the
//! best run of candidates whose numbers go up by one, or repeat, at a cost.
//! Numbered lists, tables and tables of contents inside or before the items
//! lose because their numbers go back, skip, or carry no sections.

use crate::clean::Line;
use crate::line_pattern::LinePattern;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone)]
pub struct RawMeeting {
    /// Index in the document's lines where the meeting begins.
    pub start: usize,
    /// Index one past its last line.
    pub end: usize,
    /// Lines before the first item.
    pub header: Vec<Line>,
    pub items: Vec<RawItem>,
    /// Titles from a table of contents before the items, by number.
    pub toc: Vec<(u32, String)>,
    /// The lines of a table of contents whose entries are the meeting's
    /// items (empty where there is none): after the header, before the
    /// first item with a body. An item only the table names holds its
    /// entry's lines, inside these.
    pub contents: std::ops::Range<usize>,
    /// The lines between a table of contents and the first item with a
    /// body ("Godkendelse af dagsorden: Godkendt", "Fraværende: ..."):
    /// the header's facts that a page prints after its list of items.
    pub preamble: Vec<Line>,
}

#[derive(Debug, Clone)]
pub struct RawItem {
    pub number: u32,
    pub title: String,
    pub line: usize,
    /// Pages of the item's first and last line.
    pub pages: (u32, u32),
    /// Its lines, as indexes in the document's lines: from its title's
    /// first to its last. A meeting's header and its items' lines hold each
    /// line of the meeting once.
    pub lines: std::ops::Range<usize>,
    pub sections: Vec<(String, Vec<String>)>,
}

static ITEM: LazyLock<LinePattern> = LazyLock::new(|| {
    // "1. Titel", "1 Titel", "Punkt 1 Titel", "• Pkt. 8 Titel", "212. Titel"
    // (numbers that run on through the year), and "1.Titel" as a PDF's
    // text gives a Word list label set apart by a tab stop.
    LinePattern::new(r"^(- )?(?:(?i:(pkt|punkt))\.?\s*)?(\d{1,3})(?:\s*([.):])\s*|\s+)(\S)")
});
/// An item's number alone on its line, its title on the next: "1." /
/// "Underskrift af referat", "Pkt. 7" / "Titel".
static ITEM_ALONE: LazyLock<LinePattern> = LazyLock::new(|| LinePattern::new(r"^(- )?(?:(?i:(pkt|punkt))\.?\s*)?(\d{1,3})\s*[.:]?()$"));
/// A case's number under its title: "Meddelelser" / "Sag nr. 11".
static CASE_UNDER_TITLE: LazyLock<LinePattern> = LazyLock::new(|| LinePattern::new(r"^(?i:sag)\s+(?i:nr)\.?\s*(\d{1,3})()$"));
/// A closed item's mark before its title: "Lukket punkt:", "LUKKET PUNKT -".
static CLOSED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?i:lukket(?:\s+punkt)?)\s*[-–:]\s*").unwrap());
/// Header fields that open a meeting.
static MEETING_FIELD: LazyLock<LinePattern> = LazyLock::new(|| {
    LinePattern::new(r"^(?i:mødetid|mødedato|tidspunkt|dato og tid(?:spunkt)?|tid\s*(?:&|og)\s*sted)\s*:?")
});
/// Header fields that belong to a meeting header.
static HEADER_FIELD: LazyLock<LinePattern> = LazyLock::new(|| {
    LinePattern::new(r"^(?i:mødetid|mødedato|tidspunkt|dato og tid(?:spunkt)?|tid\s*(?:&|og)\s*sted|dato|tid|sted|mødested|mødedeltagere|deltagere|til stede|afbud|mødeleder|referent)\s*:")
});
/// Title lines of a meeting: "Møde i ... <date>", "Referat fra møde i ...".
static MEETING_TITLE: LazyLock<LinePattern> = LazyLock::new(|| {
    LinePattern::new(r"^Møde i \S|^(?i:dagsorden|referat)\s+(?:for|fra|til|af)\s+\S")
});
static LABEL: LazyLock<LinePattern> = LazyLock::new(|| {
    LinePattern::new(r"^(Indstilling(?:er)?|Det indstilles|Supplerende sagsfremstilling|Sagsfremstilling(?:en)?|Baggrund|Bilag|Beslutning(?:er)?|Referat|Forslag|Videre proces|Den videre proces|Konklusion|Resumé|Resume|Drøftelse|Sagstema|Beslutningstema|Sagens kerne|Redegørelse|Retsgrundlag|Beslutningskompetence|Økonomiske konsekvenser|Økonomi|Andre konsekvenser|Høring og sagsgang|INDSTILLING|SAGSFREMSTILLING|BILAG|BESLUTNING|REFERAT|RESUME)\s*([:.,])?\s*()")
});
/// A decision's heading that names who decided and when: "Beslutning i
/// Udvalget for Ældre og Sundhed den 04-06-2020", "Beslutning Udvalget for
/// sundhed, kultur og fritid den 20-08-2019".
static DECISION_BY: LazyLock<LinePattern> = LazyLock::new(|| LinePattern::new(r"^(?:Beslutning|Beslutninger)\s+(?:i\s+\S|\p{Lu}).{0,120}\s(?:den|d\.)\s+\d.{0,30}$"));
static MONTH_START: LazyLock<LinePattern> = LazyLock::new(|| {
    LinePattern::new(r"^(?i)(januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec|kl|kvartal|halvår|time|timer|dag|dage|uge|uger|måned|måneder|år|%|procent|mio|mia|kr)\b")
});

/// A line that has the form of an item heading ("3. Titel", "Punkt 3 Titel").
pub fn looks_like_item(line: &str) -> bool {
    ITEM.is_match(line)
}

/// A section label: its canonical name and any text on the same line.
pub fn label(line: &str) -> Option<(String, String)> {
    if line.starts_with("Beslutning") && DECISION_BY.is_match(line) {
        return Some(("beslutning".into(), String::new()));
    }
    let (c, rest) = LABEL.head(line)?;
    let word = &c[1];
    let punct = c.get(2).map(|m| m.as_str());
    let rest = rest.trim();
    if !rest.is_empty() {
        // "Referat fra mødet ..." is text; "Referat: Godkendt" is a label.
        let ok = punct == Some(":") || (word == "Det indstilles" && punct == Some(","));
        if !ok {
            return None;
        }
    }
    Some((section_name(word), rest.to_string()))
}

pub fn section_name(word: &str) -> String {
    let w = word.to_lowercase();
    match w.as_str() {
        "indstilling" | "indstillinger" | "det indstilles" => "indstilling".into(),
        "sagsfremstilling" | "sagsfremstillingen" => "sagsfremstilling".into(),
        "beslutning" | "beslutninger" | "referat" => "beslutning".into(),
        "videre proces" | "den videre proces" => "videre_proces".into(),
        "resumé" => "resume".into(),
        "økonomiske konsekvenser" => "økonomi".into(),
        _ => w.replace(' ', "_"),
    }
}

/// Whether line `i` opens a meeting header: a time field ("Mødetid:"), or a
/// title line ("Møde i Chefforum 18. juni 2021") followed by header fields.
pub fn is_meeting_mark(lines: &[Line], i: usize) -> bool {
    let t = &lines[i].text;
    if MEETING_FIELD.is_match(t) && !t.contains("  ") {
        return true;
    }
    MEETING_TITLE.is_match(t) && t.chars().count() <= 120 && lines[i + 1..(i + 5).min(lines.len())].iter().any(|l| HEADER_FIELD.is_match(&l.text))
}

pub fn is_header_field(t: &str) -> bool {
    HEADER_FIELD.is_match(t)
}

#[derive(Debug, Clone)]
struct Candidate {
    idx: usize,
    number: u32,
    title: String,
    /// Index of the last line of the title.
    title_end: usize,
    score: f64,
    /// What made it a candidate and what its score weighs, for `arkiv
    /// parse --explain`: bits of [`CUES`].
    cues: u16,
}

/// The cues a candidate's score weighs, by bit.
const CUES: [&str; 11] = [
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
];
const CUE_NUMBERED: u16 = 1;
const CUE_ALONE: u16 = 1 << 1;
const CUE_CASE_UNDER: u16 = 1 << 2;
const CUE_NEXT_NUMBERED: u16 = 1 << 3;
const CUE_HEADING_NEXT: u16 = 1 << 4;
const CUE_HEADING_SOON: u16 = 1 << 5;
const CUE_CASE_BEFORE: u16 = 1 << 6;
const CUE_LOWER: u16 = 1 << 7;
const CUE_AT: u16 = 1 << 8;
const CUE_PAREN: u16 = 1 << 9;
const CUE_RESTARTED: u16 = 1 << 10;

/// A candidate's cues in words.
fn cue_words(cues: u16) -> String {
    CUES.iter().enumerate().filter(|(k, _)| cues & (1 << k) != 0).map(|(_, w)| *w).collect::<Vec<_>>().join("; ")
}

/// A line that opens an item: its number, its title (after a closed item's
/// mark), and whether the number stood in a parenthesis ("3)", a list's).
fn parse_candidate(line: &str) -> Option<(u32, String, bool)> {
    let (c, title) = ITEM.head(line)?;
    let bullet = c.get(1).is_some();
    let prefixed = c.get(2).is_some();
    // A bullet opens an item only with its "Pkt." or a title in capitals.
    let number: u32 = c[3].parse().ok()?;
    let punct = c.get(4).map(|m| m.as_str());
    let title = title.trim();
    let title = CLOSED.find(title).map_or(title, |m| &title[m.end()..]);
    if bullet && !prefixed && punct.is_some() {
        return None;
    }
    let first = title.chars().next()?;
    if !(first.is_alphabetic() || "\"'”“„«".contains(first)) {
        return None;
    }
    // Without a space after the number's point, only a capital starts a title.
    let glued = c.get(4).zip(c.get(5)).is_some_and(|(p, t)| p.end() == t.start());
    if glued && !first.is_uppercase() {
        return None;
    }
    if MONTH_START.is_match(title) {
        return None;
    }
    if punct.is_none() && !prefixed && !first.is_uppercase() {
        return None;
    }
    if number == 0 && !prefixed {
        return None;
    }
    let paren = punct == Some(")");
    Some((number, strip_leader(title), paren))
}

/// Drops a table of contents' dotted leader and page number.
fn strip_leader(t: &str) -> String {
    static LEADER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s*(?:\.{3,}|…+|_{3,})\s*\d*\s*$|\s{2,}\d{1,3}$").unwrap());
    LEADER.replace(t, "").trim().to_string()
}

const CONNECTIVES: &[&str] = &["og", "for", "af", "i", "til", "med", "fra", "om", "på", "ved", "vedr.", "vedrørende", "samt", "under", "mellem", "–", "-", "herunder", "efter", "hos", "mod", "inden", "den", "det", "de", "en", "et"];

/// Whether a line-end hyphen is kept when its word is joined depends on the
/// words of the archive's other files (the word table), so nothing that
/// decides where an item starts or how far its title runs may see it: a
/// title's length and its last word are taken with hyphens left out. The
/// same file then gives the same items, titles and ids whatever else the
/// archive holds.
fn unhyphenated_len(t: &str) -> usize {
    t.chars().filter(|&c| c != '-').count()
}

fn ends_with_connective(t: &str) -> bool {
    t.ends_with(',')
        || t.split_whitespace().last().is_some_and(|w| {
            let w = w.to_lowercase();
            CONNECTIVES.contains(&w.as_str()) || w.contains('-') && CONNECTIVES.contains(&w.replace('-', "").as_str())
        })
}

/// Extends a title over the lines it wraps onto.
fn title_extent(lines: &[Line], idx: usize, first: &str) -> (String, usize) {
    let mut title = first.to_string();
    let mut end = idx;
    for k in 1..=2 {
        let Some(next) = lines.get(idx + k) else { break };
        let t = next.text.as_str();
        if label(t).is_some() || parse_candidate(t).is_some() || ITEM_ALONE.is_match(t) || t.starts_with("- ") || is_meeting_mark(lines, idx + k) || next.after_case_number {
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
        if !ends_with_connective(&title) && unhyphenated_len(&title) < 40 {
            break;
        }
    }
    (title, end)
}

/// An item's number alone on line `i` with its title on the next line: the
/// number and the title's first line.
fn number_alone(lines: &[Line], i: usize) -> Option<(u32, String)> {
    let (c, _) = ITEM_ALONE.head(&lines[i].text)?;
    if c.get(1).is_some() && c.get(2).is_none() {
        return None;
    }
    let number: u32 = c[3].parse().ok()?;
    let next = lines.get(i + 1)?.text.as_str();
    let next = CLOSED.find(next).map_or(next, |m| &next[m.end()..]);
    let starts_upper = next.chars().next().is_some_and(|c| c.is_uppercase());
    if !starts_upper || label(next).is_some() || parse_candidate(next).is_some() || ITEM_ALONE.is_match(next) || MONTH_START.is_match(next) || next.chars().count() > 160 {
        return None;
    }
    (number > 0 || c.get(2).is_some()).then(|| (number, next.to_string()))
}

fn candidates(lines: &[Line], from: usize, to: usize) -> Vec<Candidate> {
    let mut out = vec![];
    for i in from..to {
        // "Titel" / "Sag nr. 11": the item starts at its title, the line
        // before (not itself an item's line).
        if let Some((c, _)) = CASE_UNDER_TITLE.head(&lines[i].text) {
            let prev = i.checked_sub(1).filter(|&p| p >= from && !out.last().is_some_and(|c: &Candidate| c.title_end >= p));
            if let (Some(p), Ok(number)) = (prev, c[1].parse::<u32>()) {
                let t = lines[p].text.as_str();
                if t.chars().next().is_some_and(char::is_uppercase) && label(t).is_none() && parse_candidate(t).is_none() && t.chars().count() <= 160 {
                    // The case's number marks an item, as one before it does.
                    let (ev, cue) = evidence(lines, i, to);
                    out.push(Candidate { idx: p, number, title: t.to_string(), title_end: i, score: 3.0 + ev, cues: CUE_CASE_UNDER | cue });
                }
            }
            continue;
        }
        let (number, first, paren, title_at, form) = match parse_candidate(&lines[i].text) {
            Some((n, t, p)) => (n, t, p, i, CUE_NUMBERED),
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
        out.push(Candidate { idx: i, number, title, title_end, score, cues });
    }
    penalize_restarted_lists(lines, &mut out);
    out
}

/// Evidence from what follows a candidate's title: a section label before
/// the next candidate (more where it comes at once), or another candidate
/// on the very next line (a list's).
fn evidence(lines: &[Line], title_end: usize, to: usize) -> (f64, u16) {
    for k in title_end + 1..(title_end + 9).min(to) {
        let t = &lines[k].text;
        if parse_candidate(t).is_some() {
            return if k == title_end + 1 { (-2.0, CUE_NEXT_NUMBERED) } else { (0.0, 0) };
        }
        if label(t).is_some() {
            return if k == title_end + 1 { (4.0, CUE_HEADING_NEXT) } else { (3.0, CUE_HEADING_SOON) };
        }
    }
    (0.0, 0)
}

/// A run of candidates on consecutive lines numbered 1, 2, 3, ... after an
/// item has begun is a numbered list inside that item: the agenda's own
/// numbering does not start again within a meeting.
fn penalize_restarted_lists(lines: &[Line], cands: &mut [Candidate]) {
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
        let item_before = cands[..k].iter().any(|c| c.score >= 4.0);
        if end - k >= 2 && cands[k].number == 1 && item_before {
            for c in &mut cands[k..end] {
                c.score -= 3.0;
                c.cues |= CUE_RESTARTED;
            }
        }
        k = end;
    }
}

fn transition(prev: u32, next: u32) -> Option<f64> {
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

fn start_cost(n: u32) -> f64 {
    match n {
        1 => 0.0,
        0 => -0.5,
        n => -(n.min(6) as f64 - 1.0),
    }
}

/// Picks the best increasing run of candidates.
fn choose(cands: &[Candidate]) -> Vec<usize> {
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

/// Splits lines into meetings at meeting headers that follow items.
fn meeting_starts(lines: &[Line]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut seen_item = false;
    let mut i = 0;
    while i < lines.len() {
        let t = &lines[i].text;
        if is_meeting_mark(lines, i) {
            if seen_item {
                // The header block may open with a title line or the kind.
                let mut s = i;
                while s > *starts.last().unwrap() + 1 && i - s < 3 {
                    let p = &lines[s - 1].text;
                    let short_title = p.chars().count() <= 80 && !p.ends_with('.') && label(p).is_none() && parse_candidate(p).is_none();
                    if short_title && (is_kind_word(p) || p.chars().next().is_some_and(|c| c.is_uppercase()) && p.split_whitespace().count() <= 8) {
                        s -= 1;
                    } else {
                        break;
                    }
                }
                starts.push(s);
                seen_item = false;
            }
            // Skip the rest of this header block.
            while i + 1 < lines.len() && parse_candidate(&lines[i + 1].text).is_none() {
                if label(&lines[i + 1].text).is_some() && !is_kind_word(&lines[i + 1].text) {
                    break;
                }
                i += 1;
            }
        } else if parse_candidate(t).is_some() {
            seen_item = true;
        }
        i += 1;
    }
    starts
}

pub fn is_kind_word(t: &str) -> bool {
    let t = t.trim().trim_end_matches(':').trim().to_lowercase();
    t == "dagsorden" || t == "referat" || t == "beslutningsreferat" || t == "beslutningsprotokol"
}

/// A table of contents: the first run of three or more candidates on
/// adjacent lines whose numbers rise by one and whose titles start with a
/// capital, that comes no later than the items chosen without it. Its
/// positions in `cands`.
fn contents_run(lines: &[Line], cands: &[Candidate], first_item: Option<usize>) -> Option<std::ops::Range<usize>> {
    let listed = |c: &Candidate| c.title.chars().next().is_some_and(|ch| ch.is_uppercase() || ch.is_ascii_digit());
    // Entries follow each other, at most two lines apart ("Bilag til punkt
    // 3", a sub-point "a) L 111 ..."), with no section label between.
    let next_entry = |a: &Candidate, b: &Candidate| {
        b.number == a.number + 1 && b.idx <= a.title_end + 3 && listed(b) && !(a.title_end + 1..b.idx).any(|i| label(&lines[i].text).is_some())
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

/// A heading over a list of a meeting's items: "Indholdsfortegnelse",
/// "Dagsordenpunkter", "Punkter på dagsordenen", "PUNKTER", "Åbne".
fn is_contents_heading(t: &str) -> bool {
    let t = t.trim().trim_end_matches(':').trim().to_lowercase();
    matches!(t.as_str(), "indhold" | "indholdsfortegnelse" | "dagsordenpunkter" | "dagsordenspunkter" | "punkter" | "punkter på dagsordenen" | "åbne" | "åbne punkter" | "åben" | "sager")
}

/// Whether an item's title in its body and an entry's in the table of
/// contents are the same item's: one begins with the other, or they begin
/// with the same three words.
fn same_entry(body: &str, entry: &str) -> bool {
    let (b, e) = (norm(body), norm(entry));
    let head = |s: &str| s.split(' ').take(3).collect::<Vec<_>>().join(" ");
    b.starts_with(&e) || e.starts_with(&b) || head(&b) == head(&e)
}

/// Segments cleaned lines into meetings with their items and sections.
///
/// Where a meeting opens with a table of contents whose entries the bodies
/// after it take up, each entry is an item: with its body where one follows,
/// else with its title alone (a published agenda list, a truncated export).
/// The table's lines are then the meeting's `contents`, and an item only it
/// names has its entry's lines; the items with bodies hold the rest.
pub fn segment(lines: &[Line]) -> Vec<RawMeeting> {
    segment_noting(lines, &mut None)
}

/// What segmentation decided and why, line by line (a line's index in
/// `lines` and the words): each meeting's start, each item and section and
/// the cues that made it, and each line that looked like an item and why
/// it is not one. What `arkiv parse --explain` prints.
pub fn explain(lines: &[Line]) -> Vec<(usize, String)> {
    let mut notes = Some(vec![]);
    segment_noting(lines, &mut notes);
    let mut notes = notes.unwrap_or_default();
    notes.sort_by_key(|n| n.0);
    notes
}

fn segment_noting(lines: &[Line], notes: &mut Option<Vec<(usize, String)>>) -> Vec<RawMeeting> {
    let starts = meeting_starts(lines);
    let mut meetings = vec![];
    let noting = notes.is_some();
    let mut note = |at: usize, what: String| {
        if let Some(n) = notes.as_mut() {
            n.push((at, what));
        }
    };
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(lines.len());
        note(s, if k == 0 { "a meeting starts (the document's first)".into() } else { "a meeting starts: a meeting header after items".into() });
        let cands = candidates(lines, s, e);
        let plain: Vec<usize> = choose(&cands);
        let mut entries: &[Candidate] = &[];
        let mut bodies: Vec<&Candidate> = plain.iter().map(|&i| &cands[i]).collect();
        if let Some(run) = contents_run(lines, &cands, plain.first().map(|&i| cands[i].idx)) {
            let after = &cands[run.end..];
            let picked: Vec<&Candidate> = choose(after).into_iter().map(|i| &after[i]).collect();
            let taken_up = picked.iter().any(|b| cands[run.clone()].iter().any(|t| t.number == b.number && same_entry(&b.title, &t.title)));
            if picked.is_empty() || taken_up {
                entries = &cands[run];
                bodies = picked;
            }
        }
        let first_body = bodies.first().map(|c| c.idx).unwrap_or(e);
        if let (Some(a), Some(b)) = (entries.first(), entries.last()) {
            let how = if bodies.is_empty() { "the meeting's items, with no bodies after them" } else { "a table of contents, its entries taken up by the bodies after it" };
            note(a.idx, format!("entries {}–{} on lines that follow each other: {how}", a.number, b.number));
        }
        if noting {
            for c in &cands {
                let taken = bodies.iter().any(|b| std::ptr::eq(*b, c)) || entries.iter().any(|t| std::ptr::eq(t, c));
                let cues = cue_words(c.cues);
                if taken {
                    let kind = if entries.iter().any(|t| std::ptr::eq(t, c)) { "a table of contents entry" } else { "an item" };
                    note(c.idx, format!("item {} '{}': {kind}; {cues} (score {:.1})", c.number, c.title, c.score));
                } else {
                    note(c.idx, format!("looked like item {} '{}' but is not one: {cues} (score {:.1}); not in the best run of numbers rising by one", c.number, c.title, c.score));
                }
            }
        }
        let contents = entries.first().map_or(first_body..first_body, |t| t.idx..first_body);
        let first_item = contents.start;
        let toc: Vec<(u32, String)> =
            cands.iter().filter(|c| c.idx < first_item).map(|c| (c.number, c.title.clone())).chain(entries.iter().map(|c| (c.number, c.title.clone()))).collect();
        // Bodies, then entries without one, merged in the meeting's order.
        let mut items: Vec<RawItem> = vec![];
        let mut pending = entries.iter().enumerate().peekable();
        // An entry's own lines: its title, and what stands before the next
        // entry; the last one's reach the first body, and are its text only
        // where no item has a body (a list that is the whole document).
        let entry_item = |n: usize, t: &Candidate| {
            let end = entries.get(n + 1).map_or(first_body, |x| x.idx);
            let text_end = if n + 1 < entries.len() || bodies.is_empty() { end } else { t.title_end + 1 };
            let sections = sections(&lines[t.title_end + 1..text_end.max(t.title_end + 1)]);
            RawItem { number: t.number, title: tidy_title(&t.title), line: lines[t.idx].no, pages: (lines[t.idx].page, lines[end - 1].page), lines: t.idx..end, sections }
        };
        for (n, c) in bodies.iter().enumerate() {
            let entry = entries.iter().position(|t| t.number == c.number && same_entry(&c.title, &t.title));
            while let Some(&(m, t)) = pending.peek() {
                if entry.is_some_and(|p| m >= p) || entry.is_none() && t.number >= c.number {
                    break;
                }
                items.push(entry_item(m, t));
                pending.next();
            }
            if entry.is_some() {
                pending.next();
            }
            let body_end = bodies.get(n + 1).map(|c| c.idx).unwrap_or(e);
            let mut title = c.title.clone();
            let mut first_section = "tekst".to_string();
            // A table of contents may hold the whole of a title that the
            // item's heading lost to a page break, or one that a label was
            // glued to ("Meddelelse fra formandenReferat"): the label then
            // heads the item's text.
            if let Some((_, t)) = toc.iter().find(|(num, t)| *num == c.number && (t.len() > title.len() && norm(t).starts_with(&norm(&title)) || glued_onto(&title, t))) {
                if glued_onto(&title, t) {
                    if let Some((name, _)) = label(&title[t.len()..]) {
                        first_section = name;
                    }
                }
                title = t.clone();
            }
            if noting {
                for i in c.title_end + 1..body_end {
                    if let Some((name, _)) = label(&lines[i].text) {
                        note(i, format!("section '{name}' of item {}: heading '{}'", c.number, lines[i].text));
                    }
                }
            }
            items.push(RawItem {
                number: c.number,
                title: tidy_title(&title),
                line: lines[c.idx].no,
                pages: (lines[c.idx].page, lines[body_end.max(c.idx + 1) - 1].page),
                lines: c.idx..body_end,
                sections: sections_headed(&first_section, &lines[c.title_end + 1..body_end]),
            });
        }
        for (m, t) in pending {
            items.push(entry_item(m, t));
        }
        let preamble = entries.last().map_or(vec![], |t| lines[(t.title_end + 1).min(first_body)..first_body].to_vec());
        meetings.push(RawMeeting { start: s, end: e, header: lines[s..first_item].to_vec(), contents, preamble, items, toc });
    }
    // A leading segment with neither items nor header marks is part of the next.
    if meetings.len() > 1 && meetings[0].items.is_empty() {
        let first = meetings.remove(0);
        let next = &mut meetings[0];
        let mut header = first.header;
        header.extend(next.header.drain(..));
        next.header = header;
        next.start = first.start;
    }
    meetings
}

/// Whether `title` is `entry` with a word glued to its end ("Meddelelse
/// fra formandenReferat" for "Meddelelse fra formanden").
fn glued_onto(title: &str, entry: &str) -> bool {
    title.len() > entry.len() && title.starts_with(entry) && title[entry.len()..].chars().next().is_some_and(|c| c.is_uppercase())
}

fn norm(s: &str) -> String {
    s.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn tidy_title(t: &str) -> String {
    let t = t.trim();
    let t = t.strip_suffix('.').filter(|s| !s.ends_with("evt") && !s.ends_with("Evt")).unwrap_or(t);
    t.trim().to_string()
}

/// Splits an item's body into labelled sections. Text before any label is
/// the section "tekst".
fn sections(body: &[Line]) -> Vec<(String, Vec<String>)> {
    sections_headed("tekst", body)
}

/// Splits an item's body into labelled sections; text before any label is
/// the section `first`.
fn sections_headed(first: &str, body: &[Line]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = vec![];
    for (k, l) in body.iter().enumerate() {
        if let Some((name, rest)) = label(&l.text) {
            // Inside an attachment list, a bare label word followed by a
            // labelled line is the title of an attachment ("Bilag:" /
            // "Referat" / "Referat:").
            let in_bilag = out.last().is_some_and(|s| s.0 == "bilag");
            let bare = rest.is_empty() && !l.text.trim_end().ends_with(':');
            let next_is_label = body.get(k + 1).and_then(|n| label(&n.text)).is_some();
            if !(in_bilag && bare && next_is_label && name != "bilag") {
                out.push((name, if rest.is_empty() { vec![] } else { vec![rest] }));
                continue;
            }
        }
        if out.is_empty() {
            out.push((first.into(), vec![]));
        }
        out.last_mut().unwrap().1.push(l.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::split_lines;

    fn check(text: &str, want: &[(u32, &str)]) {
        let lines = split_lines(text);
        let ms = segment(&lines);
        let got: Vec<(u32, String)> = ms.iter().flat_map(|m| m.items.iter().map(|i| (i.number, i.title.clone()))).collect();
        let want: Vec<(u32, String)> = want.iter().map(|(n, t)| (*n, t.to_string())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn labels() {
        assert_eq!(label("Indstilling:"), Some(("indstilling".into(), "".into())));
        assert_eq!(label("Indstilling: At gruppen godkender"), Some(("indstilling".into(), "At gruppen godkender".into())));
        assert_eq!(label("Det indstilles,"), Some(("indstilling".into(), "".into())));
        assert_eq!(label("Beslutning"), Some(("beslutning".into(), "".into())));
        assert_eq!(label("Referat:"), Some(("beslutning".into(), "".into())));
        assert_eq!(label("Referat fra mødet d. 21. juni"), None);
        assert_eq!(label("Bilag 1: Notat"), None);
        assert_eq!(label("Beslutningen blev, at"), None);
        assert_eq!(label("Videre proces"), Some(("videre_proces".into(), "".into())));
    }

    #[test]
    fn a_kept_line_end_hyphen_does_not_change_how_far_a_title_runs() {
        // Joining "m-" + "ed" keeps the hyphen or not as the archive's other
        // files say; the title takes in the next line either way.
        for joint in ["med", "m-ed"] {
            check(&format!("1. IV-behandling og {joint}\ntelemedicin\nBeslutning:\nok\n"), &[(1, &format!("IV-behandling og {joint} telemedicin"))]);
        }
        // A title one letter short of the length at which a line starting in
        // lower case is taken in as its wrapped end: the hyphen does not count.
        for joint in ["hjemmebehandling", "hjemme-behandling"] {
            check(&format!("1. Status på indsatsen om {joint}\nmed telemedicin\nBeslutning:\nok\n"), &[(1, &format!("Status på indsatsen om {joint}"))]);
        }
    }

    #[test]
    fn numbering_styles() {
        check(
            "1. Godkendelse af dagsorden\nIndstilling:\nAt den godkendes\n2 Godkendelse af referat\nIndstilling:\nx\nPkt. 3 Økonomi\nBeslutning:\ny\nPunkt 4: Eventuelt\nReferat:\nIntet\n",
            &[(1, "Godkendelse af dagsorden"), (2, "Godkendelse af referat"), (3, "Økonomi"), (4, "Eventuelt")],
        );
    }

    #[test]
    fn list_inside_item_is_not_items() {
        check(
            "1. Velkomst\nBeslutning:\nok\n2. Sundhedsaftalen\nSagsfremstilling:\nTre områder:\n1. Fælles investering i forebyggelse\n2. Sammen om ældre borgere\n3. Den nære psykiatri\nBeslutning:\nDrøftet\n3. Eventuelt\nReferat:\nIntet\n",
            &[(1, "Velkomst"), (2, "Sundhedsaftalen"), (3, "Eventuelt")],
        );
    }

    #[test]
    fn list_that_continues_the_numbering_is_not_items() {
        check(
            "1. Status\nIndstilling:\na\n2. Praksisplan\nIndstilling:\nb\nSagsfremstilling:\nTemaer:\n1. Gennemsigtighed i økonomien - dette er\nikke en indsats\n4. Fortsat fokus på læger - man har\nstor succes\n5. Øget samarbejde om dosisdispensering\n6. Forbedret tilgængelighed\n2. Høreområdet\nIndstilling:\nc\n3. Neurologi\nIndstilling:\nd\n4. GAIN\nIndstilling:\ne\n5. VIC\nIndstilling:\nf\n6. TeleKol\nIndstilling:\ng\n",
            &[(1, "Status"), (2, "Praksisplan"), (2, "Høreområdet"), (3, "Neurologi"), (4, "GAIN"), (5, "VIC"), (6, "TeleKol")],
        );
    }

    #[test]
    fn wrapped_titles() {
        check(
            "3. Afrapportering Vestklyngen ”Indsatser for de mest udsatte” fra Alliancen\nfor Den Nære Psykiatri, initiativ 8\nIndstilling:\nAt\n4. Orientering om arbejdsgruppe på høreområdet og\nudpegning af kommunal medformand\nIndstilling:\nAt\n",
            &[
                (3, "Afrapportering Vestklyngen ”Indsatser for de mest udsatte” fra Alliancen for Den Nære Psykiatri, initiativ 8"),
                (4, "Orientering om arbejdsgruppe på høreområdet og udpegning af kommunal medformand"),
            ],
        );
    }

    #[test]
    fn table_of_contents_is_not_items() {
        check(
            "Dagsorden\n1. Godkendelse af dagsorden ........ 2\n2. Økonomi ........ 3\n3. Eventuelt ....... 4\n1. Godkendelse af dagsorden\nBeslutning:\nGodkendt\n2. Økonomi\nBeslutning:\nDrøftet\n3. Eventuelt\nBeslutning:\nIntet\n",
            &[(1, "Godkendelse af dagsorden"), (2, "Økonomi"), (3, "Eventuelt")],
        );
    }

    #[test]
    fn contents_entries_are_items_with_or_without_a_body() {
        // A list of all items first; the export holds the bodies of two.
        check(
            "PUNKTER\n49. Godkendelse af dagsorden\n50. Budget 2021\n51. LUKKET PUNKT - Salg af arealer\n52. Orienteringer\n49. Godkendelse af dagsorden\nIndstilling\nAt den godkendes.\nBeslutning\nGodkendt\n50. Budget 2021\nSagsfremstilling\nBudgettet drøftes.\n",
            &[(49, "Godkendelse af dagsorden"), (50, "Budget 2021"), (51, "Salg af arealer"), (52, "Orienteringer")],
        );
        // A published agenda list alone; a label glued to a body's title.
        check("Dagsorden\n1.Meddelelse fra formanden\n2.Kvartalsrapport\n3.Eventuelt\n", &[(1, "Meddelelse fra formanden"), (2, "Kvartalsrapport"), (3, "Eventuelt")]);
        check(
            "1.Meddelelse fra formanden\n2.Kvartalsrapport\n3.Eventuelt\n1. Meddelelse fra formandenReferat\nIntet nyt.\n",
            &[(1, "Meddelelse fra formanden"), (2, "Kvartalsrapport"), (3, "Eventuelt")],
        );
        // A decision's numbered list after the items is no table of contents.
        check(
            "1. Velkomst\nBeslutning:\nok\n2. Plan\nIndstilling:\n1. At planen godkendes\n2. At den sendes i høring\n3. At den evalueres\nBeslutning:\nGodkendt\n",
            &[(1, "Velkomst"), (2, "Plan")],
        );
    }

    #[test]
    fn numbers_alone_bullets_and_closed_items() {
        check("1.\nUnderskrift af referat\nUnderskrevet.\n2.\nGodkendelse af dagsordenen\nGodkendt.\n", &[(1, "Underskrift af referat"), (2, "Godkendelse af dagsordenen")]);
        check("• Pkt. 15 Beslutninger om dagsordenen\nSagsnr. 249050\nResume\nGodkendt.\n• Pkt. 16 Temadrøftelse\nIndstilling\nDrøftes.\n", &[(15, "Beslutninger om dagsordenen"), (16, "Temadrøftelse")]);
        check("148. Godkendelse af dagsorden\nSagstema\nGodkendelse.\n149. Lukket punkt: Køb af grund\nBeslutning\nGodkendt.\n", &[(148, "Godkendelse af dagsorden"), (149, "Køb af grund")]);
        // A bulleted numbered point is a list's, not an item.
        check("1. Plan\nIndstilling:\n• 1. At planen godkendes\n• 2. At den sendes i høring\n", &[(1, "Plan")]);
    }

    #[test]
    fn two_documents_in_one_file() {
        let lines = split_lines("Mødetid: Tirsdag d. 19. februar 2019\nDagsorden\n1. Velkomst\nIndstilling:\nAt\nMødetid: Torsdag d. 20. februar 2020\nReferat:\n1. Velkomst\nGodkendt\n2. Økonomi\nReferat:\nok\n");
        let ms = segment(&lines);
        assert_eq!(ms.len(), 2);
        assert_eq!(ms[0].items.len(), 1);
        assert_eq!(ms[1].items.len(), 2);
    }

    #[test]
    fn sections_and_attachments() {
        let lines = split_lines("1. Punkt\nIndstilling: At gruppen godkender\nSagsfremstilling\nTekst her\nBilag:\nReferat\nReferat:\nGodkendt\n");
        let ms = segment(&lines);
        let s = &ms[0].items[0].sections;
        let names: Vec<&str> = s.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, vec!["indstilling", "sagsfremstilling", "bilag", "beslutning"]);
        assert_eq!(s[2].1, vec!["Referat"]);
    }
}
