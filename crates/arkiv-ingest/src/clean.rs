//! Cleaning what PDF extraction leaves: character normalization, page
//! furniture (headers, footers, page numbers, case numbers), bullet glyphs
//! and words hyphenated across lines.

use crate::dates::{self, Date};
use crate::line_pattern::LinePattern;
use crate::words::{trim_word, WordTable};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use serde::{Deserialize, Serialize};
use regex::Regex;
use std::sync::LazyLock;
use unicode_normalization::{char::decompose_compatible, UnicodeNormalization};

/// One non-blank line of a document after cleaning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub text: String,
    /// 1-based line number in the file.
    pub no: usize,
    /// A page furniture case-number line stood right before this line.
    pub after_case_number: bool,
    /// The line was cut from a longer one that ran a page's lines together
    /// (a transcript's page, a document flattened to one line): its end
    /// may not be where the printed line ended.
    pub cut: bool,
    /// 1-based page: one more than the form feeds before the line.
    pub page: u32,
}

impl Line {
    fn cut(self) -> Line {
        Line { cut: true, ..self }
    }
}

/// What furniture told about the document, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Fact {
    /// "Dato: 24.02.20" in a page header or footer: the document's date.
    DocumentDate(Date),
    /// A journal/case number line, e.g. "1-52-100-22-09".
    CaseNumber(String),
    /// A line of page furniture naming the meeting or group
    /// ("Klyngestyregruppemøde RRA 20. juni 2019", or the group above a footer).
    RunningHeader(String),
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Cleaned {
    pub lines: Vec<Line>,
    /// (line number, fact)
    pub facts: Vec<(usize, Fact)>,
    /// The pages of the document are known (a PDF, or text with its form
    /// feeds), so each line's `page` means something.
    pub paged: bool,
    /// The lines taken out as page furniture, each with what it was: with
    /// `lines`, every line of the document once.
    pub furniture: Vec<(Line, Furniture)>,
}

/// What a line of page furniture was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Furniture {
    /// "Side 2 af 5", or a number alone on a line.
    PageNumber,
    /// A journal or case number line.
    CaseNumber,
    /// The secretariat's footer block ("Dato: ..." and contact lines).
    Footer,
    /// A running header naming the meeting or group.
    RunningHeader,
    /// A line at a page's top or bottom that repeats from page to page.
    PageEdge,
    /// A saved web page's controls: "Udskriv", "Til toppen", "Gå til
    /// indhold", "Luk alle punkter", "Fold alle ud".
    WebControl,
}

/// A saved web page's controls, each a line of its own.
fn is_web_control(t: &str) -> bool {
    const CONTROLS: &[&str] = &["udskriv", "til toppen", "gå til indhold", "luk alle punkter", "fold alle ud", "fold alle ind", "fold dette punkt ind", "fold dette punkt ud", "åbn alle punkter", "abonnér", "abonner", "hent som fil", "del", "print"];
    // Short lines that begin as one does, compared without a lower-cased copy.
    if t.len() > 24 || !t.starts_with(['u', 'U', 't', 'T', 'g', 'G', 'l', 'L', 'f', 'F', 'å', 'Å', 'a', 'A', 'h', 'H', 'd', 'D', 'p', 'P', '-']) {
        return false;
    }
    let t = t.trim_start_matches("- ").trim().trim_end_matches(':');
    CONTROLS.iter().any(|c| c.len() == t.len() && t.chars().flat_map(char::to_lowercase).eq(c.chars()))
}

/// A web page's control glued before a heading: "fold dette punkt ind
/// Resume".
static FOLD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?i:fold\s+dette\s+punkt\s+(?:ind|ud))\s+").unwrap());

/// Characters PDF extraction uses as bullets.
const BULLETS: &[char] = &['\u{f0b7}', '\u{f095}', '\u{f020}', '\u{f0a7}', '\u{f076}', '\u{f0d8}', '\u{f0fc}', '•', '▪', '◦', '●', '‣', '∙', '■', '□', '➢', '►'];

/// Folds what Unicode calls compatibility characters (ligatures such as ﬁ and
/// ﬂ, no-break and other spaces, full-width forms) and composes decomposed
/// letters (a + ring -> å). Vulgar fractions and super/subscripts keep their
/// form, since folding them changes what the number says. Soft hyphens and
/// zero-width characters are dropped.
pub fn normalize_chars(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    // Most text has none of the characters changed here, and is composed
    // already: it is kept as it is, without the composing pass. Dashes,
    // quotes and bullets are common and are not changed.
    let out = if !any_changed(s) { s.to_string() } else { fold_chars(s) };
    if is_composed(&out) {
        out
    } else {
        out.nfc().collect()
    }
}

/// Each character as [`normalize_chars`] changes it, before composing.
fn fold_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match change(c) {
            Some(Change::Drop) => {}
            Some(Change::Space) => out.push(' '),
            None if is_compat_foldable(c) => decompose_compatible(c, |d| out.push(d)),
            None => out.push(c),
        }
    }
    out
}

/// Whether `s` has a character [`normalize_chars`] changes. Each of them
/// begins with the byte 0xC2, 0xE2, 0xE3 or 0xEF, and only a character that
/// does is decoded.
fn any_changed(s: &str) -> bool {
    crate::byte_hits(s.as_bytes(), |b| (b == 0xc2) | (b == 0xe2) | (b == 0xe3) | (b == 0xef))
        .any(|i| s[i..].chars().next().is_some_and(|c| change(c).is_some() || is_compat_foldable(c)))
}

/// Whether NFC's quick check says `s` is composed. A character below
/// U+0300 is composed and starts a sequence (its combining class is 0), so
/// the check runs only over each run of characters from U+0300 on: those
/// whose first byte is 0xCC or more.
fn is_composed(s: &str) -> bool {
    let mut checked_to = 0;
    for i in crate::byte_hits(s.as_bytes(), |x| x >= 0xcc) {
        if i < checked_to {
            continue;
        }
        let run = s[i..].char_indices().find(|&(_, c)| (c as u32) < 0x300).map_or(s.len(), |(j, _)| i + j);
        if unicode_normalization::is_nfc_quick(s[i..run].chars()) != unicode_normalization::IsNormalized::Yes {
            return false;
        }
        checked_to = run;
    }
    true
}

/// What [`normalize_chars`] does with a character besides folding it.
enum Change {
    /// Soft hyphens and zero-width characters.
    Drop,
    /// No-break and other spaces become a plain space.
    Space,
}

fn change(c: char) -> Option<Change> {
    match c {
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{2060}' => Some(Change::Drop),
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => Some(Change::Space),
        _ => None,
    }
}

fn is_compat_foldable(c: char) -> bool {
    let cp = c as u32;
    // Alphabetic presentation forms (ligatures), half/full-width forms.
    (0xfb00..=0xfb4f).contains(&cp) || (0xff00..=0xffef).contains(&cp) || c == '…' || c == '\u{2024}' || c == '\u{2025}'
}

static SIDE: LazyLock<LinePattern> = LazyLock::new(|| LinePattern::new(r"^(?i)(side|page)\s+\d{1,4}(\s*(af|/|of)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$"));
static LONE_NUMBER: LazyLock<LinePattern> = LazyLock::new(|| LinePattern::new(r"^\d{1,3}$"));
/// A case number on a line of its own: "1-52-100-22-09", or a KLE journal
/// number with its facet and serial ("27.69.48-A00-2-17", "00.01.00P35-0104").
static CASE_NUMBER: LazyLock<LinePattern> =
    LazyLock::new(|| LinePattern::new(r"^(?:(?i:sagsnr|sags nr|sagsnummer|j\.\s*nr|journalnr)\.?:?\s*)?(\d{1,4}(?:-\d{1,6}){3,}|\d{2}\.\d{2}\.\d{2}-?\p{Lu}\d{2}(?:-\d{1,6})+)$"));
static FOOTER_DATE: LazyLock<LinePattern> = LazyLock::new(|| LinePattern::new(r"^Dato\s*:\s*(.)"));
static CONTACT: LazyLock<LinePattern> = LazyLock::new(|| LinePattern::new(r"^(?i)(e-?mail|mail|mobil|lokaltlf|tlf|telefon|direkte|direkte tlf)\.?\s*:"));

fn is_bullet_start(s: &str) -> Option<usize> {
    let c = s.chars().next()?;
    if BULLETS.contains(&c) {
        return Some(c.len_utf8());
    }
    // "o" as a second-level bullet: "o Der udarbejdes ..."
    let mut it = s.chars();
    if it.next() == Some('o') && it.next() == Some(' ') && it.next().is_some_and(|c| c.is_uppercase()) {
        return Some(1);
    }
    None
}

/// Splits text into trimmed, non-blank lines with bullets as "- " markers.
/// A line feed ends a line and counts it; a form feed is a page break; a
/// carriage return alone ends a line too. The three are found in one pass.
pub fn split_lines(text: &str) -> Vec<Line> {
    let (mut no, mut page) = (1usize, 1u32);
    let mut from = 0;
    // The pieces between line ends, with their line and page numbers.
    let mut pieces: Vec<(&str, usize, u32)> = vec![];
    let ends = memchr::memchr3_iter(b'\n', b'\x0c', b'\r', text.as_bytes()).chain(std::iter::once(text.len()));
    for end in ends {
        pieces.push((&text[from..end], no, page));
        match text.as_bytes().get(end) {
            Some(b'\n') => no += 1,
            Some(b'\x0c') => page += 1,
            _ => {}
        }
        from = end + 1;
    }
    let pages = transcript_pages(&pieces);
    let mut out = vec![];
    for (k, &(piece, no, page)) in pieces.iter().enumerate() {
        if let Some(n) = pages.get(&k) {
            // A transcript's page: its number is the page, its text the
            // page's lines run together.
            let body = page_number(piece).map_or(piece, |(_, rest)| rest);
            out.extend(split_page(body).into_iter().filter_map(|p| clean_line(p, no, *n)).map(Line::cut));
        } else if piece.len() >= FLAT_LINE {
            out.extend(unflatten(piece).into_iter().filter_map(|p| clean_line(p, no, page)).map(Line::cut));
        } else if let Some((head, entry)) = heading_before_entry(piece) {
            // "Punkter på åben dagsorden: 124. Borgerrådgiverens ...": a
            // heading with the list's first entry on its line.
            out.extend(clean_line(head, no, page));
            out.extend(clean_line(entry, no, page));
        } else if let Some(line) = clean_line(piece, no, page) {
            out.push(line);
        }
    }
    out
}

/// A short heading ending in a colon, with a list's first numbered entry
/// after it on the same line: the two apart.
fn heading_before_entry(piece: &str) -> Option<(&str, &str)> {
    static HEAD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(\p{Lu}[^:]{2,40}:)\s+(\d{1,3}\.\s+\p{Lu}.*)$").unwrap());
    // Most lines have no ": " before a digit: passed over without a regex.
    let at = piece.find(": ")?;
    if at > 48 || !piece[at + 2..].trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let c = HEAD.captures(piece)?;
    Some((c.get(1)?.as_str(), c.get(2)?.as_str()))
}

/// A PDF as a web page shows it in text (a "transcript"): one line a page,
/// each opening with its page's number, 1, 2, 3, ... The lines that are
/// such pages, by their place in `pieces`, with their page numbers: a run
/// of at least two non-blank lines numbered from 1 up by one, most of them
/// long (a page's text, not a list's line).
fn transcript_pages(pieces: &[(&str, usize, u32)]) -> FxHashMap<usize, u32> {
    let mut found = FxHashMap::default();
    let numbered: Vec<(usize, u32, usize)> = pieces
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.0.trim().is_empty())
        .map(|(k, p)| (k, page_number(p.0).map_or(0, |(n, _)| n), p.0.len()))
        .collect();
    let mut i = 0;
    while i < numbered.len() {
        if numbered[i].1 != 1 {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < numbered.len() && numbered[j].1 == numbered[j - 1].1 + 1 {
            j += 1;
        }
        let run = &numbered[i..j];
        // Most pages long; or, in a longer run, some (a page may hold only
        // an item's heading).
        let long = run.iter().filter(|r| r.2 >= PAGE_LINE).count();
        if run.len() >= 2 && long * 2 >= run.len() || run.len() >= 3 && long >= 1 {
            for r in run {
                found.insert(r.0, r.1);
            }
        }
        i = j;
    }
    found
}

/// The number that opens a line, as a transcript's page opens with its
/// page's number ("3 Kommunalbestyrelsen d ..."): up to three digits and
/// white space; the number and the text after it. Read without a regex,
/// as it is asked of every line.
fn page_number(piece: &str) -> Option<(u32, &str)> {
    let t = piece.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) || !t[digits..].starts_with(char::is_whitespace) {
        return None;
    }
    Some((t[..digits].parse().ok()?, t[digits..].trim_start()))
}

/// How long a transcript's page line is at least, mostly: a page's text.
const PAGE_LINE: usize = 200;

/// A transcript's page, split where its lines were: before each item
/// number ("1. Godkendelse", "Punkt 3:"), after each table of contents
/// entry's dot leader and page number ("Dallund Slot...ii"), and before
/// each field ("Sagsfremstilling: ..."). The choice of which numbers are
/// items is the segmentation's, as for any line.
fn split_page(page: &str) -> Vec<&str> {
    static CUT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"\s({ENTRY_NUMBER}\s+\p{{Lu}}|\p{{Lu}}\p{{Ll}}+\.?(?:\s\p{{Ll}}+\.?)?:(?:\s|\d)|(?i:indholdsfortegnelse|sagsoversigt)\b)")).unwrap()
    });
    static CUT_AFTER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\.{3,}\s*(?:\d{1,3}|[ivxlc]{1,6})\b\s").unwrap());
    let mut cuts: Vec<usize> = CUT_BEFORE.captures_iter(page).filter_map(|c| c.get(1).map(|m| m.start())).collect();
    cuts.extend(CUT_AFTER.find_iter(page).map(|m| m.end()));
    split_page_numbers(cut_at(page, cuts))
}

/// The number of an item or a contents entry in a transcript's page: "12.",
/// "Punkt 3:", "Pkt. 03A".
const ENTRY_NUMBER: &str = r"(?:\d{1,3}\.|(?i:punkt|pkt\.)\s*\d{1,3}\p{Lu}?\s*[:.]?)";

/// A table of contents run together: "Punkt 1: Godkendelse af dagsorden 2
/// Punkt 2: Meddelelser 3 Punkt 3: Orienteringer 4". Where three or more
/// entries end in a number and those numbers do not go down, they are the
/// entries' pages, and are cut off their titles.
fn split_page_numbers(pieces: Vec<&str>) -> Vec<&str> {
    static ENTRY: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"^\s*{ENTRY_NUMBER}\s")).unwrap());
    static PAGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s(\d{1,3})\s*$").unwrap());
    let ends: Vec<Option<(usize, u32)>> = pieces
        .iter()
        .map(|p| if ENTRY.is_match(p) { PAGE.captures(p).and_then(|c| Some((c.get(1)?.start(), c[1].parse().ok()?))) } else { None })
        .collect();
    let numbered: Vec<u32> = ends.iter().flatten().map(|e| e.1).collect();
    if numbered.len() < 3 || numbered.windows(2).any(|w| w[1] < w[0]) {
        return pieces;
    }
    let mut out = Vec::with_capacity(pieces.len() + numbered.len());
    for (p, e) in pieces.into_iter().zip(ends) {
        match e {
            Some((at, _)) => {
                out.push(&p[..at]);
                out.push(&p[at..]);
            }
            None => out.push(p),
        }
    }
    out
}

/// A line this long may be a whole document run together: a PDF shown as
/// a web page's transcript, a copy that lost its line breaks.
const FLAT_LINE: usize = 600;

/// A document run together on one line, split where its lines were: before
/// each number of the longest run of numbers rising by one ("1. Godkendelse
/// ... 2. Valg af ... 3. ..."; three at least, each before a capital), and,
/// where there is such a run, before each label ("Sagsfremstilling:",
/// "Dato:", "Sags nr.:"). A long line without such a run is prose, and
/// stays one line. A number and a space that open such a line are its page's
/// number, and left out.
fn unflatten(piece: &str) -> Vec<&str> {
    // A transcript's page starts with its number ("3 Kommunalbestyrelsen
    // d ..."): page furniture, not an item's.
    let piece = page_number(piece).map_or(piece, |(_, rest)| rest);
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|\s)(\d{1,3})\.\s+\p{Lu}").unwrap());
    static LABEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s(\p{Lu}\p{Ll}+(?:\s\p{Ll}+\.?)?):\s").unwrap());
    let numbers: Vec<(usize, u32)> = NUMBER.captures_iter(piece).filter_map(|c| Some((c.get(1)?.start(), c[1].parse().ok()?))).collect();
    let best = longest_run(&numbers);
    if best.len() < 3 {
        return vec![piece];
    }
    let mut cuts: Vec<usize> = best;
    cuts.extend(LABEL.captures_iter(piece).filter_map(|c| c.get(1).map(|m| m.start())));
    cut_at(piece, cuts)
}

/// `text` in pieces, cut at each of the byte offsets `cuts` (in any order).
fn cut_at(text: &str, mut cuts: Vec<usize>) -> Vec<&str> {
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for at in cuts {
        if at > from {
            out.push(&text[from..at]);
            from = at;
        }
    }
    out.push(&text[from..]);
    out
}

/// The places of the longest chain of numbers n, n+1, n+2, ... in the
/// order of the text (`numbers`: each number's place and value): from each
/// number, the next one's nearest later place (found in one pass from the
/// end), and the first start whose chain runs longest.
fn longest_run(numbers: &[(usize, u32)]) -> Vec<usize> {
    let mut next = vec![None; numbers.len()];
    let mut nearest: FxHashMap<u32, usize> = FxHashMap::default();
    let mut len = vec![1usize; numbers.len()];
    for k in (0..numbers.len()).rev() {
        next[k] = nearest.get(&(numbers[k].1 + 1)).copied();
        if let Some(j) = next[k] {
            len[k] = 1 + len[j];
        }
        nearest.insert(numbers[k].1, k);
    }
    let mut best: Vec<usize> = vec![];
    if let Some(start) = (0..numbers.len()).rev().max_by_key(|&k| len[k]) {
        let mut k = Some(start);
        while let Some(i) = k {
            best.push(numbers[i].0);
            k = next[i];
        }
    }
    best
}

/// One piece of text between line ends as a line: trimmed, its bullets
/// as one "- ", its white space runs as one space; none where it is blank.
fn clean_line(piece: &str, no: usize, page: u32) -> Option<Line> {
    let mut t = piece.trim();
    let mut bullet = false;
    while let Some(n) = is_bullet_start(t) {
        t = t[n..].trim_start();
        bullet = true;
    }
    if t.starts_with(['f', 'F']) {
        if let Some(m) = FOLD.find(t) {
            t = &t[m.end()..];
        }
    }
    if t.is_empty() {
        return None;
    }
    let mut text = String::with_capacity(t.len() + 2);
    if bullet {
        text.push_str("- ");
    }
    push_collapsed(&mut text, t);
    Some(Line { text, no, after_case_number: false, cut: false, page })
}

/// Appends `s` with each run of spaces as one space, and each run of
/// spaces and tabs with a tab in it as one tab: a tab is a table's cell
/// boundary (the structured readers write no other), kept for the item
/// page to show the row as a row.
fn push_collapsed(out: &mut String, s: &str) {
    if !s.contains("  ") && !s.contains('\t') {
        out.push_str(s);
        return;
    }
    let mut run: Option<char> = None;
    for c in s.chars() {
        if c == ' ' || c == '\t' {
            run = Some(if c == '\t' || run == Some('\t') { '\t' } else { ' ' });
            continue;
        }
        if let Some(r) = run.take() {
            out.push(r);
        }
        out.push(c);
    }
    if let Some(r) = run {
        out.push(r);
    }
}

/// How many lines at the top and at the bottom of a page can be furniture.
const PAGE_EDGE: usize = 3;

/// The shape of a furniture line, whatever page it is on: digits masked
/// ("Side 2 af 5" and "Side 3 af 5" are one line).
fn edge_key(t: &str) -> String {
    t.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect()
}

/// Lines at the top or bottom of their page whose shape stands at an edge of
/// at least half of the pages (and two): running headers and footers, found
/// by where they are rather than by what they say. Only where pages are known.
fn page_edge_furniture(lines: &[Line]) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    let pages = lines.last().map(|l| l.page).unwrap_or(0) as usize;
    if pages < 2 {
        return out;
    }
    let mut bounds: Vec<(usize, usize)> = vec![];
    let mut start = 0;
    for i in 1..=lines.len() {
        if i == lines.len() || lines[i].page != lines[start].page {
            bounds.push((start, i));
            start = i;
        }
    }
    let edges = |&(a, b): &(usize, usize)| -> Vec<usize> {
        let mut v: Vec<usize> = (a..b.min(a + PAGE_EDGE)).collect();
        v.extend(b.saturating_sub(PAGE_EDGE).max(a)..b);
        v.sort_unstable();
        v.dedup();
        v
    };
    // A section label or an item heading may open or close several pages;
    // that does not make it furniture.
    let structural = |t: &str| crate::segment::label(t).is_some() || crate::segment::looks_like_item(t);
    let mut seen: HashMap<String, usize> = HashMap::new();
    for b in &bounds {
        let keys: std::collections::HashSet<String> = edges(b).into_iter().filter(|&i| !structural(&lines[i].text)).map(|i| edge_key(&lines[i].text)).collect();
        for k in keys {
            *seen.entry(k).or_default() += 1;
        }
    }
    let need = (pages / 2).max(2);
    for b in &bounds {
        for i in edges(b) {
            if !structural(&lines[i].text) && seen.get(&edge_key(&lines[i].text)).is_some_and(|&c| c >= need) {
                out[i] = true;
            }
        }
    }
    out
}

/// Item numbers alone on their lines, as a table of contents set in cells
/// comes out of a PDF: "1" / "Høring Sydtrafik budget 2016" / "4" / "2" /
/// "Tønder Kulturhus ..." / "5". A number is one where its line is followed
/// by a title, and it starts or continues a chain of three or more such
/// numbers rising by one, each within a few lines of the last; the page
/// numbers between them rise by more.
fn listed_numbers(lines: &[Line]) -> std::collections::HashSet<usize> {
    let titled: Vec<(usize, u32)> = (0..lines.len())
        .filter(|&i| LONE_NUMBER.is_match(&lines[i].text))
        // A title, not an entry with its own number ("Punkt 03A: ...",
        // after a page number cut off the entry before it).
        .filter(|&i| lines.get(i + 1).is_some_and(|n| n.text.chars().next().is_some_and(char::is_uppercase) && n.text.chars().count() >= 3 && !crate::segment::looks_like_entry(&n.text)))
        .filter_map(|i| lines[i].text.parse().ok().map(|v| (i, v)))
        .collect();
    let mut out = std::collections::HashSet::new();
    let mut k = 0;
    while k < titled.len() {
        let mut end = k + 1;
        while end < titled.len() && titled[end].1 == titled[end - 1].1 + 1 && titled[end].0 <= titled[end - 1].0 + 12 {
            end += 1;
        }
        if end - k >= 3 {
            out.extend(titled[k..end].iter().map(|t| t.0));
            k = end;
        } else {
            k += 1;
        }
    }
    out
}

/// Removes page furniture and records what it said.
pub fn strip_furniture(lines: Vec<Line>, paged: bool, group_line: &dyn Fn(&str) -> bool) -> Cleaned {
    let n = lines.len();
    let mut drop: Vec<Option<Furniture>> = vec![None; n];
    let mut facts = vec![];
    let at_edge = if paged { page_edge_furniture(&lines) } else { vec![false; n] };
    // Lines that repeat: a running header when it names a date or a group.
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    for l in &lines {
        if l.text.chars().count() >= 8 {
            *counts.entry(l.text.as_str()).or_default() += 1;
        }
    }
    let mut i = 0;
    while i < n {
        let t = lines[i].text.as_str();
        if SIDE.is_match(t) {
            drop[i] = Some(Furniture::PageNumber);
        } else if is_web_control(t) {
            drop[i] = Some(Furniture::WebControl);
        } else if let Some(c) = CASE_NUMBER.captures(t) {
            drop[i] = Some(Furniture::CaseNumber);
            facts.push((lines[i].no, Fact::CaseNumber(c[1].to_string())));
        } else if let Some((_, date)) = FOOTER_DATE.head(t) {
            // "Dato: ..." followed within a few lines by contact lines is the
            // page footer block of the secretariat.
            let end = (i + 1..(i + 6).min(n)).filter(|&j| CONTACT.is_match(&lines[j].text)).last();
            if let Some(end) = end {
                if let Some(d) = dates::find_date(date).and_then(|d| d.full()) {
                    facts.push((lines[i].no, Fact::DocumentDate(d)));
                }
                for d in drop.iter_mut().take(end + 1).skip(i) {
                    *d = Some(Furniture::Footer);
                }
                if i > 0 && drop[i - 1].is_none() && group_line(&lines[i - 1].text) {
                    drop[i - 1] = Some(Furniture::RunningHeader);
                    facts.push((lines[i - 1].no, Fact::RunningHeader(lines[i - 1].text.clone())));
                }
                i = end + 1;
                continue;
            }
        } else if is_running_header(t, counts.get(t).copied().unwrap_or(0), lines.get(i + 1).map(|l| l.text.as_str()), group_line) {
            drop[i] = Some(Furniture::RunningHeader);
            facts.push((lines[i].no, Fact::RunningHeader(t.to_string())));
        } else if at_edge[i] {
            drop[i] = Some(Furniture::PageEdge);
            // A header that names the group or a date still says so.
            if t.chars().count() <= 100 && (group_line(t) || dates::find_date(t).is_some()) {
                facts.push((lines[i].no, Fact::RunningHeader(t.to_string())));
            }
        }
        i += 1;
    }
    // Lone page numbers: a number alone on a line is content only as a
    // table's item number, in a list of them.
    let listed = listed_numbers(&lines);
    for i in 0..n {
        if drop[i].is_none() && LONE_NUMBER.is_match(&lines[i].text) && !listed.contains(&i) {
            drop[i] = Some(Furniture::PageNumber);
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut furniture = vec![];
    let mut case_before = false;
    for (i, mut l) in lines.into_iter().enumerate() {
        if let Some(what) = drop[i] {
            if CASE_NUMBER.is_match(&l.text) {
                case_before = true;
            }
            furniture.push((l, what));
            continue;
        }
        l.after_case_number = case_before;
        case_before = false;
        out.push(l);
    }
    Cleaned { lines: out, facts, paged, furniture }
}

/// A page header naming the meeting: a line that repeats on every page and
/// names a date or the group, or a single line naming both the group and a
/// date right above a page number.
fn is_running_header(t: &str, count: usize, next: Option<&str>, group_line: &dyn Fn(&str) -> bool) -> bool {
    if t.chars().count() > 100 {
        return false;
    }
    let next_is_number = next.is_some_and(|n| LONE_NUMBER.is_match(n) || SIDE.is_match(n));
    let has_date = || dates::find_date(t).is_some();
    if count >= 2 {
        let names_group = group_line(t);
        (next_is_number || names_group) && (names_group && next_is_number || has_date())
    } else {
        next_is_number && group_line(t) && has_date()
    }
}

const SUSPENDED_FOLLOWERS: &[&str] = &["og", "eller", "samt", "til", "som", "men", "&", "/", "end", "el."];

/// Joins words hyphenated across lines, deciding from evidence: the joined
/// word in the archive's word table joins; the hyphenated form there keeps
/// the hyphen; a hyphen after a capital or digit, or before a capital or
/// digit, is a real one ("IV-" + "behandling"); a hyphen before "og"/"eller"
/// is the suspended hyphen ("sundheds- og ældrechefer") and stays as written;
/// otherwise two lowercase halves are the typesetter's hyphenation and join.
pub fn join_hyphenated(lines: &mut Vec<Line>, table: &WordTable) {
    let mut i = 0;
    while i + 1 < lines.len() {
        let cur = &lines[i].text;
        if !cur.ends_with('-') || cur.ends_with(" -") || cur.ends_with("--") && !cur.contains("://") {
            i += 1;
            continue;
        }
        let left_tok = cur.split_whitespace().last().unwrap_or("");
        let left = left_tok.trim_end_matches('-');
        let next = lines[i + 1].text.clone();
        let right_tok = next.split_whitespace().next().unwrap_or("");
        if left.is_empty() || right_tok.is_empty() || next.starts_with("- ") {
            i += 1;
            continue;
        }
        let is_url = left_tok.contains("://") || left_tok.starts_with("www.") || left_tok.contains('/');
        let right_word = trim_word(right_tok);
        let decision = if is_url {
            Join::KeepHyphen
        } else if SUSPENDED_FOLLOWERS.contains(&right_word.to_lowercase().as_str()) || right_tok == "&" {
            Join::Leave
        } else if !left.chars().last().is_some_and(|c| c.is_alphabetic()) {
            Join::Leave
        } else {
            decide(left, right_word, table)
        };
        match decision {
            Join::Leave => {
                i += 1;
                continue;
            }
            Join::Join | Join::KeepHyphen => {
                let rest = next[right_tok.len()..].trim_start().to_string();
                let mut joined = cur.to_string();
                if decision == Join::Join {
                    joined.pop();
                }
                joined.push_str(right_tok);
                lines[i].text = joined;
                if rest.is_empty() {
                    lines.remove(i + 1);
                } else {
                    lines[i + 1].text = rest;
                    i += 1;
                }
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Join {
    Join,
    KeepHyphen,
    Leave,
}

fn decide(left: &str, right: &str, table: &WordTable) -> Join {
    let l_last = left.chars().last().unwrap();
    let r_first = right.chars().next().unwrap_or('a');
    let left_word = left.rsplit('-').next().unwrap_or(left);
    let joined = format!("{}{}", left, right).to_lowercase();
    let hyphened = format!("{}-{}", left, right).to_lowercase();
    if table.count(&joined) > 0 {
        return Join::Join;
    }
    if table.count(&hyphened) > 0 {
        return Join::KeepHyphen;
    }
    let left_is_abbrev = left_word.chars().count() <= 5 && left_word.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
    // A name written with inner capitals ("MedCom-standarden") keeps its hyphen.
    let camel = left_word.chars().skip(1).any(|c| c.is_uppercase());
    if camel {
        return Join::KeepHyphen;
    }
    if l_last.is_uppercase() || l_last.is_ascii_digit() || left_is_abbrev || r_first.is_uppercase() || r_first.is_ascii_digit() {
        return Join::KeepHyphen;
    }
    Join::Join
}

/// Cleans decoded text into lines and facts, without the word table's step.
/// `paged`: the text's form feeds are page breaks (a PDF's pages).
pub fn clean(text: &str, paged: bool, group_line: &dyn Fn(&str) -> bool) -> Cleaned {
    let text = normalize_chars(text);
    strip_furniture(split_lines(&text), paged, group_line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Looked for on bytes, the characters to change are found where
        /// they are; composed from the first byte that can need it, the text
        /// is as composing all of it gives.
        #[test]
        fn changed_characters_and_composing_are_found_on_bytes(s in "[aeoåæø \u{a0}\u{ad}\u{2003}\u{200b}\u{2026}\u{3000}\u{feff}\u{fb01}\u{ff21}–”•\u{300}\u{301}\u{30a}\u{2cf}\u{1e01}]{0,30}") {
            prop_assert_eq!(any_changed(&s), s.chars().any(|c| (c as u32) >= 0x80 && (change(c).is_some() || is_compat_foldable(c))));
            let whole: String = fold_chars(&s).nfc().collect();
            prop_assert_eq!(normalize_chars(&s), whole);
        }
    }

    #[test]
    fn characters_are_folded_and_composed_with_or_without_others_to_fold() {
        // Dashes, quotes and bullets stay; a decomposed å is composed even
        // where nothing else changes.
        assert_eq!(normalize_chars("Pkt. 3 – “IV” • ok"), "Pkt. 3 – “IV” • ok");
        assert_eq!(normalize_chars("Pa\u{30a}r\u{f8}rende – ja"), "Pårørende – ja");
        assert_eq!(normalize_chars("\u{fb01}n\u{a0}plan\u{ad}"), "fin plan");
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn ligatures_and_decomposed_letters() {
        assert_eq!(normalize_chars("ﬁnansiering og ﬂow"), "finansiering og flow");
        assert_eq!(normalize_chars("Høreomra\u{30a}det"), "Høreområdet");
        assert_eq!(normalize_chars("a\u{a0}b½"), "a b½");
    }

    #[test]
    fn crlf_form_feed_bullets() {
        let lines = split_lines("Sagsfremstilling\r\n\u{f0b7} første\r\n\x0cSide 2\r\n• anden\n o Tredje\n");
        assert_eq!(texts(&lines), vec!["Sagsfremstilling", "- første", "Side 2", "- anden", "- Tredje"]);
        assert_eq!(lines[2].no, 3);
    }

    proptest::proptest! {
        /// The one-pass run is the run found by following each start's
        /// numbers one after another, the first longest.
        #[test]
        fn the_longest_run_is_each_starts_run_followed_through(values in proptest::collection::vec(1u32..8, 0..40)) {
            let numbers: Vec<(usize, u32)> = values.iter().enumerate().map(|(k, &v)| (k * 3, v)).collect();
            let mut want: Vec<usize> = vec![];
            for k in 0..numbers.len() {
                let mut chain = vec![numbers[k].0];
                let mut next = numbers[k].1 + 1;
                for &(at, n) in &numbers[k + 1..] {
                    if n == next {
                        chain.push(at);
                        next += 1;
                    }
                }
                if chain.len() > want.len() {
                    want = chain;
                }
            }
            proptest::prop_assert_eq!(longest_run(&numbers), want);
        }
    }

    #[test]
    fn a_heading_and_the_first_entry_on_one_line_are_two() {
        let got: Vec<String> = split_lines("Punkter på åben dagsorden: 124. Borgerrådgiverens beretning ..... 2\nDato: 3. maj 2020\n").into_iter().map(|l| l.text).collect();
        assert_eq!(got, ["Punkter på åben dagsorden:", "124. Borgerrådgiverens beretning ..... 2", "Dato: 3. maj 2020"]);
    }

    #[test]
    fn a_transcripts_contents_entries_lose_their_page_numbers() {
        let filler = "Tekst om sagen, som fylder en del af siden og gentages for at ligne et rigtigt dokument. ".repeat(3);
        let text = format!("1 Forside {filler}\n\n2 Mødeindhold Punkt Side Punkt 0: Forside 1 Punkt 1: Godkendelse af dagsorden 2 Punkt 2: Lokalplan 264 3 Punkt 02A: Høring 5 Punkt 3: Eventuelt 8\n\n3 Punkt 1: Godkendelse af dagsorden 2\n");
        let got: Vec<String> = split_lines(&text).into_iter().map(|l| l.text).collect();
        for want in ["Punkt 0: Forside", "Punkt 1: Godkendelse af dagsorden", "Punkt 2: Lokalplan 264", "Punkt 02A: Høring", "Punkt 3: Eventuelt"] {
            assert!(got.iter().any(|g| g == want), "{want:?} in {got:?}");
        }
        // Numbers that go down are no pages: a title's own number stays.
        let text = format!("1 Forside {filler}\n\n2 1. Lokalplan 264 2. Budget 2 3. Vej 12\n");
        assert!(split_lines(&text).iter().any(|l| l.text == "1. Lokalplan 264"));
    }

    #[test]
    fn a_transcripts_pages_are_pages_split_at_items_fields_and_contents_entries() {
        let filler = "Tekst om sagen, som fylder en del af siden og gentages for at ligne et rigtigt dokument. ".repeat(3);
        let text = format!(
            "Referat af mødet\n\nTranskript\n\n1 Udvalget Referat Dato: 3. maj 2010 Sted: Rådhuset {filler}\n\n2 Indholdsfortegnelse 7. Budget...i 8. Eventuelt...ii\n\n3 7. Budget 10/123 {filler}Beslutning: Godkendt. 8. Eventuelt Intet.\n"
        );
        let lines = split_lines(&text);
        let got: Vec<(&str, u32, bool)> = lines.iter().map(|l| (l.text.as_str(), l.page, l.cut)).collect();
        assert_eq!(got[..3], [("Referat af mødet", 1, false), ("Transkript", 1, false), ("Udvalget Referat", 1, true)]);
        let at = |t: &str| got.iter().find(|g| g.0.starts_with(t)).unwrap_or_else(|| panic!("{t:?} in {got:?}"));
        assert_eq!(at("Dato: 3. maj 2010").1, 1);
        assert_eq!((at("Indholdsfortegnelse").0, at("Indholdsfortegnelse").1), ("Indholdsfortegnelse", 2));
        assert_eq!(at("7. Budget...i").0, "7. Budget...i");
        assert_eq!(at("8. Eventuelt...ii").1, 2);
        assert_eq!(at("7. Budget 10/123").1, 3);
        assert!(at("Beslutning: Godkendt.").0.ends_with("Godkendt."));
        assert_eq!(at("8. Eventuelt Intet").1, 3);
        // Short numbered lines are a list, not pages.
        let list = split_lines("1 Godkendelse af dagsorden\n2 Budget\n3 Eventuelt\n");
        assert_eq!(list.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(), ["1 Godkendelse af dagsorden", "2 Budget", "3 Eventuelt"]);
    }

    #[test]
    fn a_document_run_together_on_one_line_is_split_at_its_items_and_labels() {
        let filler = "Tekst om sagen, som fylder en del og gentages for at ligne et rigtigt dokument. ".repeat(6);
        let flat = format!("1 Dagsorden Forum: Handicaprådet Tid: 14. marts 2018 1. Godkendelse af referat 2. Valg af formand Dato: 13. februar 2018 3. Pjecen om praksis Sagsfremstilling: {filler}den 31. januar blev sagen sendt 4. Eventuelt");
        let got: Vec<String> = split_lines(&flat).into_iter().map(|l| l.text).collect();
        assert_eq!(&got[..6], ["Dagsorden", "Forum: Handicaprådet", "Tid: 14. marts 2018", "1. Godkendelse af referat", "2. Valg af formand", "Dato: 13. februar 2018"]);
        assert_eq!(got[6], "3. Pjecen om praksis");
        assert!(got[7].starts_with("Sagsfremstilling: Tekst") && got[7].ends_with("den 31. januar blev sagen sendt"), "{}", got[7]);
        assert_eq!(got[8], "4. Eventuelt");
        // Prose without a run of item numbers stays one line.
        let prose = format!("Mødet blev holdt. {filler} Punkt 2. Sagen: {filler}");
        assert_eq!(split_lines(&prose).len(), 1);
        let page = format!("2 Kommunalbestyrelsen d Meddelelser {filler}{filler}");
        assert_eq!(split_lines(&page)[0].text, format!("Kommunalbestyrelsen d Meddelelser {filler}{}", filler.trim_end()));
    }

    #[test]
    fn line_feeds_count_lines_form_feeds_count_pages_and_a_lone_cr_ends_a_line() {
        let lines = split_lines("a\r\nb\x0cc\rd\n\n e  f\t g \n\x0c\x0ch");
        let got: Vec<(&str, usize, u32)> = lines.iter().map(|l| (l.text.as_str(), l.no, l.page)).collect();
        assert_eq!(got, vec![("a", 1, 1), ("b", 2, 1), ("c", 2, 2), ("d", 2, 2), ("e f\tg", 4, 2), ("h", 5, 4)]);
        assert!(split_lines("").is_empty());
        assert!(split_lines("\n \r\x0c").is_empty());
    }

    #[test]
    fn furniture_is_dropped_and_recorded() {
        let text = "Tekst før\nSide 2 af 4\nFokusgruppen X\nDato: 24.02.20\nLene\nMail: a@b.dk\nMobil: 1234\nTekst efter\n1-52-100-22-09\n2. Punkt\nMøde RRA 20. juni 2019\n3\nslut\nMøde RRA 20. juni 2019\n4\n";
        let c = strip_furniture(split_lines(text), false, &|s: &str| s.starts_with("Fokusgruppen"));
        assert_eq!(texts(&c.lines), vec!["Tekst før", "Tekst efter", "2. Punkt", "slut"]);
        assert!(c.lines[2].after_case_number);
        assert!(c.facts.contains(&(4, Fact::DocumentDate(Date::new(2020, 2, 24)))));
        assert!(c.facts.contains(&(9, Fact::CaseNumber("1-52-100-22-09".into()))));
        assert!(c.facts.contains(&(3, Fact::RunningHeader("Fokusgruppen X".into()))));
        assert!(c.facts.iter().any(|f| f.1 == Fact::RunningHeader("Møde RRA 20. juni 2019".into())));
    }

    #[test]
    fn furniture_at_the_edges_of_pages_is_dropped() {
        // A header line that names neither group nor date, and a footer, on
        // each of three pages; the same words inside a page stay.
        let page = |n: u32, body: &str| format!("Region Midtjylland · Sundhedsaftalen\n{body}\nUdskrevet af sekretariatet {n}\n");
        let text = [page(1, "1. Første punkt\nTekst"), page(2, "Mere tekst\nRegion Midtjylland · Sundhedsaftalen gælder"), page(3, "2. Andet punkt")].join("\x0c");
        let c = strip_furniture(split_lines(&text), true, &|_: &str| false);
        assert_eq!(texts(&c.lines), vec!["1. Første punkt", "Tekst", "Mere tekst", "Region Midtjylland · Sundhedsaftalen gælder", "2. Andet punkt"]);
        assert_eq!(c.lines.iter().map(|l| l.page).collect::<Vec<_>>(), vec![1, 1, 2, 2, 3]);
        // Without page breaks the same lines are content.
        let flat = strip_furniture(split_lines(&text.replace('\x0c', "")), false, &|_: &str| false);
        assert!(texts(&flat.lines).contains(&"Region Midtjylland · Sundhedsaftalen"));
    }

    fn join(text: &str, vocab_text: &str) -> Vec<String> {
        use crate::words::FileWords;
        let mut lines = split_lines(text);
        let v = WordTable::of([&FileWords::of_lines(&split_lines(vocab_text)), &FileWords::of_lines(&lines)]);
        join_hyphenated(&mut lines, &v);
        lines.into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn hyphenation_joins_from_evidence() {
        assert_eq!(join("nuværende op-\ngavedeling mellem", ""), vec!["nuværende opgavedeling", "mellem"]);
        assert_eq!(join("vacci-\nnationen varer", ""), vec!["vaccinationen", "varer"]);
        // Real hyphens stay.
        assert_eq!(join("om IV-\nbehandling i", ""), vec!["om IV-behandling", "i"]);
        assert_eq!(join("alle LÆ-\nblanketter digitalt", ""), vec!["alle LÆ-blanketter", "digitalt"]);
        assert_eq!(join("Ikast-\nBrande Kommune", ""), vec!["Ikast-Brande", "Kommune"]);
        assert_eq!(join("via MedCom-\nstandarderne og", ""), vec!["via MedCom-standarderne", "og"]);
        // Suspended hyphen.
        assert_eq!(join("for sundheds-\nog ældrechefer", ""), vec!["for sundheds-", "og ældrechefer"]);
        // The hyphenated form seen elsewhere in the archive keeps the hyphen.
        assert_eq!(join("en adhoc-\ngruppe", "en adhoc-gruppe"), vec!["en adhoc-gruppe"]);
        // URLs keep their hyphens.
        assert_eq!(join("https://x.dk/om-\nsundhedsaftalen/a", ""), vec!["https://x.dk/om-sundhedsaftalen/a"]);
    }
}
