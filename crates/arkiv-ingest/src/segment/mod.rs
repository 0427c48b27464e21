//! Segmentation: a document's cleaned lines into meetings, agenda items and
//! sections.
//!
//! Item numbers are found by candidates and a choice: every line that could
//! open an item ("3.", "2 Godkendelse", "Pkt. 3", "Punkt 3:") is a candidate
//! with a score from its evidence (a section label soon after it, a case
//! number before it, a capitalized title), and a dynamic program picks the
//! best run of candidates whose numbers go up by one, or repeat, at a cost.
//! Numbered lists and tables inside the items lose because their numbers go
//! back, skip, or carry no sections; a table of contents before the items
//! is matched to the bodies after it, and its entries are items.
//!
//! One module per family of cues: `numbering` (the candidates, their cues
//! and the choice), `contents` (tables of contents), `headings` (section
//! headings and the split of a body into sections), `meetings` (the lines
//! that open a meeting); this module puts them together, meeting by
//! meeting, and says why (`explain`). The committee a document names is
//! `crate::committee`'s, its dates `crate::dates`'.

mod contents;
mod headings;
mod meetings;
mod numbering;
mod titles;

pub use headings::{label, section_name};
pub use meetings::{is_header_field, is_kind_word, is_meeting_mark};
pub use numbering::looks_like_item;

/// A line with the form of an item's heading or of a sub-item's entry in
/// a table of contents ("Punkt 03A: Valg af ...", "2.1 Budget").
pub fn looks_like_entry(line: &str) -> bool {
    looks_like_item(line) || contents::is_sub_entry(line)
}

use crate::clean::Line;
use contents::{contents_run, glued_onto, norm, same_entry};
use headings::{sections, sections_headed};
use numbering::{candidates, choose, cue_words, is_candidate, Candidate, CUE_CLOSED, DECIDED_LINE, DECIDED_TAIL};

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
                    let short_title = p.chars().count() <= 80 && !p.ends_with('.') && label(p).is_none() && !is_candidate(p);
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
            while i + 1 < lines.len() && !is_candidate(&lines[i + 1].text) {
                if label(&lines[i + 1].text).is_some() && !is_kind_word(&lines[i + 1].text) {
                    break;
                }
                i += 1;
            }
        } else if seen_item && is_dated_list_head(lines, i) {
            // A page of meetings, each a date over its list of items.
            starts.push(i);
            seen_item = false;
        } else if is_candidate(t) {
            seen_item = true;
        }
        i += 1;
    }
    starts
}

/// A date alone on its line ("28/09.2023", "12. marts 2024") with an item
/// numbered 1 right under it: a meeting's head on a page that lists
/// several meetings with their items.
fn is_dated_list_head(lines: &[Line], i: usize) -> bool {
    let t = &lines[i].text;
    t.starts_with(|c: char| c.is_ascii_digit())
        && t.chars().count() <= 30
        && crate::dates::find_date(t).is_some_and(|d| d.year.is_some())
        && lines.get(i + 1).and_then(|n| numbering::parse_candidate(&n.text)).is_some_and(|c| c.0 == 1)
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
/// The meetings are those [`segment`] gives.
pub fn explain(lines: &[Line]) -> (Vec<RawMeeting>, Vec<(usize, String)>) {
    let mut notes = Some(vec![]);
    let meetings = segment_noting(lines, &mut notes);
    let mut notes = notes.unwrap_or_default();
    notes.sort_by_key(|n| n.0);
    (meetings, notes)
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
        let (entries, bodies) = entries_and_bodies(lines, &cands);
        let first_body = bodies.first().map(|c| c.idx).unwrap_or(e);
        if let (Some(a), Some(b)) = (entries.first(), entries.last()) {
            let how = if bodies.is_empty() { "the meeting's items, with no bodies after them" } else { "a table of contents, its entries taken up by the bodies after it" };
            note(a.idx, format!("entries {}–{} on lines that follow each other: {how}", a.number, b.number));
        }
        if noting {
            for c in &cands {
                let taken = bodies.iter().any(|b| std::ptr::eq(*b, c)) || entries.iter().any(|t| std::ptr::eq(*t, c));
                let cues = cue_words(c.cues);
                if taken {
                    let kind = if entries.iter().any(|t| std::ptr::eq(*t, c)) { "a table of contents entry" } else { "an item" };
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
        let words = MeetingWords::new(lines, s, e);
        // Bodies, then entries without one, merged in the meeting's order.
        let mut items: Vec<RawItem> = vec![];
        let mut pending = entries.iter().enumerate().peekable();
        // An entry's own lines: its title, and what stands before the next
        // entry; the last one's reach the first body, and are its text only
        // where no item has a body (a list that is the whole document).
        let entry_item = |n: usize, t: &Candidate| {
            let end = entries.get(n + 1).map_or(first_body, |x| x.idx);
            let text_end = if n + 1 < entries.len() || bodies.is_empty() { end } else { t.title_end + 1 };
            let cut = words.title(&t.title, t.number, &toc, t.idx, t.title_end);
            let (title, sections) = titled(cut, sections(&lines[t.title_end + 1..text_end.max(t.title_end + 1)]));
            RawItem { number: t.number, title, line: lines[t.idx].no, pages: (lines[t.idx].page, lines[end - 1].page), lines: t.idx..end, sections }
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
            // Not where the heading's line was cut from text run together:
            // the entry is then run together with the next ones too.
            let whole = !lines[c.idx].cut;
            if let Some((_, t)) = toc.iter().find(|(num, t)| *num == c.number && (whole && t.len() > title.len() && norm(t).starts_with(&norm(&title)) || glued_onto(&title, t))) {
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
            // A decision alone under the title opens the item's decision.
            if first_section == "tekst" && lines.get(c.title_end + 1).is_some_and(|l| c.title_end + 1 < body_end && DECIDED_LINE.is_match(&l.text)) {
                first_section = "beslutning".to_string();
            }
            let cut = words.title(&title, c.number, &toc, c.idx, c.title_end);
            if let Some((r, cue)) = cut.rest.as_ref().filter(|_| noting) {
                note(c.idx, format!("item {}'s title ends before '{}': {cue}", c.number, r.chars().take(40).collect::<String>()));
            }
            let (title, sections) = titled(cut, sections_headed(&first_section, &lines[c.title_end + 1..body_end]));
            items.push(RawItem { number: c.number, title, line: lines[c.idx].no, pages: (lines[c.idx].page, lines[body_end.max(c.idx + 1) - 1].page), lines: c.idx..body_end, sections });
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

/// The items a meeting's candidates make: the entries of a table of
/// contents (items too, where no body takes one up) and the bodies. The
/// bodies are the best run of rising numbers; where a table of contents
/// comes first and the bodies after it take up its entries (or there are
/// none), its entries are items. Closed items numbered from 1 again
/// follow the open ones.
fn entries_and_bodies<'c>(lines: &[Line], cands: &'c [Candidate]) -> (Vec<&'c Candidate>, Vec<&'c Candidate>) {
    let plain: Vec<usize> = choose(cands);
    let mut entries: Vec<&Candidate> = vec![];
    let mut bodies: Vec<&Candidate> = plain.iter().map(|&i| &cands[i]).collect();
    if let Some(run) = contents_run(lines, cands, plain.first().map(|&i| cands[i].idx)) {
        let after = &cands[run.end..];
        let listed = |b: &Candidate| cands[run.clone()].iter().any(|t| t.number == b.number && same_entry(&b.title, &t.title));
        let mut picked: Vec<&Candidate> = choose(after).into_iter().map(|i| &after[i]).collect();
        let mut taken_up = picked.iter().any(|b| listed(b));
        // The best run after the table may be a list inside a body
        // ("1. Kommunens samlede budget") while a body the table names
        // is there ("89. Til efterretning ..."): the bodies are then
        // chosen among the numbers the table lists.
        if !taken_up && after.iter().any(listed) {
            let (lo, hi) = (cands[run.start].number, cands[run.end - 1].number);
            let within: Vec<usize> = (0..after.len()).filter(|&i| (lo..=hi).contains(&after[i].number)).collect();
            let subset: Vec<Candidate> = within.iter().map(|&i| after[i].clone()).collect();
            picked = choose(&subset).into_iter().map(|k| &after[within[k]]).collect();
            taken_up = picked.iter().any(|b| listed(b));
        }
        // Items printed one after the other with their decisions on the
        // same line ("1. Godkendelse af dagsorden. Godkendt."), whose
        // numbering goes on after them, are no list of the items alone.
        let last = cands[run.end - 1].number;
        let goes_on = plain.iter().any(|&i| i >= run.end && cands[i].number == last + 1);
        if picked.is_empty() && !goes_on || taken_up {
            entries = cands[run].iter().collect();
            bodies = picked;
        }
    }
    // Closed items numbered from 1 again after the open ones ("1.
    // Lukket punkt: ...", "2. Lukket punkt: ..."): a run of their own.
    // The items' last list: the bodies, or a list of items alone.
    let list = if bodies.is_empty() { &mut entries } else { &mut bodies };
    if let Some(open) = list.iter().rposition(|c| c.cues & CUE_CLOSED == 0) {
        let last = list[open];
        let closed: Vec<&Candidate> = cands.iter().filter(|c| c.idx > last.title_end && c.cues & CUE_CLOSED != 0).collect();
        if closed.first().is_some_and(|c| c.number == 1 && c.number <= last.number) && closed.windows(2).all(|w| w[1].number == w[0].number + 1) {
            list.truncate(open + 1);
            list.extend(closed);
        }
    }
    (entries, bodies)
}

/// The words of a meeting's lines, made when a title asks for them: a
/// title run together with its text ends where the same words printed
/// elsewhere go on differently (`titles`).
struct MeetingWords<'a> {
    lines: &'a [Line],
    from: usize,
    to: usize,
    /// The words, and where each line's begin among them (one more for the end).
    made: std::cell::OnceCell<(Vec<(String, bool)>, Vec<usize>)>,
}

/// A title as its line gives it: where the text ran it together with what
/// follows, the rest of the line and the cue that ended the title.
struct Cut {
    title: String,
    rest: Option<(String, &'static str)>,
}

impl<'a> MeetingWords<'a> {
    fn new(lines: &'a [Line], from: usize, to: usize) -> Self {
        MeetingWords { lines, from, to, made: std::cell::OnceCell::new() }
    }

    /// The title of the item on lines `a..=b`, and what its line holds
    /// after it where the text ran the two together.
    fn title(&self, title: &str, number: u32, toc: &[(u32, String)], a: usize, b: usize) -> Cut {
        let whole = || Cut { title: title.to_string(), rest: None };
        // Only a line cut from text run together may hold more than its title.
        if !self.lines.get(a).is_some_and(|l| l.cut) {
            return whole();
        }
        let (ws, at) = self.made.get_or_init(|| {
            let mut ws = vec![];
            let mut at = vec![];
            for l in &self.lines[self.from..self.to] {
                at.push(ws.len());
                ws.extend(titles::words(&l.text));
            }
            at.push(ws.len());
            (ws, at)
        });
        let (a, b) = (a.max(self.from) - self.from, (b + 1).min(self.to) - self.from);
        match titles::run_together_end(title, number, toc, [&ws[..at[a]], &ws[at[b]..]]) {
            Some((end, cue)) => Cut { title: title[..end].trim().to_string(), rest: Some(title[end..].trim().to_string()).filter(|r| !r.is_empty()).map(|r| (r, cue)) },
            None => whole(),
        }
    }
}

/// Sections with a line that stood on the title's line first, in the
/// section `name`: the text after a run-together title ("tekst"), a
/// decision written after the title ("beslutning").
fn with_first(name: &str, line: Option<String>, mut sections: Vec<(String, Vec<String>)>) -> Vec<(String, Vec<String>)> {
    if let Some(l) = line {
        match sections.first_mut() {
            Some((n, v)) if n == name => v.insert(0, l),
            _ => sections.insert(0, (name.to_string(), vec![l])),
        }
    }
    sections
}

/// An item's title and sections from its title's line and its sections:
/// the text that stood after a run-together title first in its text, a
/// decision written after the title first in its decision.
fn titled(cut: Cut, sections: Vec<(String, Vec<String>)>) -> (String, Vec<(String, Vec<String>)>) {
    let (title, decided) = decided_in_title(&cut.title);
    (title, with_first("beslutning", decided, with_first("tekst", cut.rest.map(|r| r.0), sections)))
}

/// A decision written on the title's line, as minutes of a short meeting
/// print it ("Godkendelse af dagsorden. Godkendt.", "Referat af sidste
/// møde. Godkendt med en rettelse."): the title, and the decision apart.
fn decided_in_title(t: &str) -> (String, Option<String>) {
    if let Some(m) = DECIDED_TAIL.captures(t) {
        let at = m.get(1).unwrap().start();
        let title = tidy_title(&t[..at]);
        if title.chars().count() >= 3 {
            return (title, Some(t[at..].trim().to_string()));
        }
    }
    (tidy_title(t), None)
}

fn tidy_title(t: &str) -> String {
    let t = t.trim();
    let t = t.strip_suffix('.').filter(|s| !s.ends_with("evt") && !s.ends_with("Evt")).unwrap_or(t);
    t.trim().to_string()
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
    fn numbers_glued_to_titles_and_bulleted_and_listed_as_open_items() {
        // A web page's number and title in spans of their own come out glued.
        check("Referat\n38Godkendelse af dagsorden\nBeslutning\nGodkendt\n39Beslutning om at flytte tandklinikken\nResume\nTekst.\n", &[(38, "Godkendelse af dagsorden"), (39, "Beslutning om at flytte tandklinikken")]);
        // Not a title: a number glued to a word in capitals, or to a digit.
        check("2019Budget\nTekst\n3G-net\nTekst\n", &[]);
        // Bulleted numbers, and items listed as a meeting system lists them.
        check("- 301. Åben dagsorden - godkendelse\nResume\nGodkendt.\n- 302. Planstrategi 2020\nResume\nTekst.\n", &[(301, "Åben dagsorden - godkendelse"), (302, "Planstrategi 2020")]);
        check("Dagsordenspunkter\nåbent 1 Fraværende\nåbent 2 Dialogmøde om budget\nåbent 3 Gensidig orientering\n", &[(1, "Fraværende"), (2, "Dialogmøde om budget"), (3, "Gensidig orientering")]);
        // A title that begins with an ordinal; not a date.
        check("Pkt. Tekst\n313 Godkendelse af dagsorden\n314 1. behandling af budget 2020-23\n315 Eventuelt\n316 1. januar 2020 blev det besluttet\n", &[(313, "Godkendelse af dagsorden"), (314, "1. behandling af budget 2020-23"), (315, "Eventuelt")]);
        // Items with the times the agenda gives them.
        check("Dagsorden\n1 - 09.00-09.01 Godkendelse af dagsordenen\nGodkendt\n2 - 09.01-09.20 Budget\nBeslutning\nDrøftet\n", &[(1, "Godkendelse af dagsordenen"), (2, "Budget")]);
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
    fn a_transcripts_items_with_titles_run_together_with_their_text() {
        let filler = "Tekst om sagen, som fylder en del af siden og gentages for at ligne et rigtigt dokument. ".repeat(3);
        // The contents kept its numbers: the entries give the titles.
        let text = format!("Transkript\n\n1 Udvalget Referat Dato: 3. maj 2010 {filler}\n\n2 Indholdsfortegnelse 7. Budgetopfølgning pr. 30. april...i 8. Eventuelt...ii\n\n3 7. Budgetopfølgning pr. 30. april Ø Forbruget {filler}Beslutning: Godkendt. 8. Eventuelt Intet.\n");
        check(&text, &[(7, "Budgetopfølgning pr. 30. april"), (8, "Eventuelt")]);
        // It lost them but the first: the title ends where its entry goes on
        // with the next; a case number ends one.
        let text = format!("Transkript\n\n1 Udvalget Dagsorden Dato: 3. maj 2010 {filler}\n\n2 Indholdsfortegnelse 1. Oplæg om sundhedshuse Budgetopfølgning for udvalget pr. 30. september Eventuelt\n\n3 1. Oplæg om sundhedshuse Kim Fihl præsenterer to modeller. {filler}\n\n4 2. Budgetopfølgning for udvalget pr. 30. september Ø I henhold til {filler}\n\n5 3. Eventuelt 14/2231 {filler}\n");
        check(&text, &[(1, "Oplæg om sundhedshuse"), (2, "Budgetopfølgning for udvalget pr. 30. september"), (3, "Eventuelt")]);
    }

    #[test]
    fn items_on_adjacent_lines_whose_numbering_goes_on_are_items() {
        check(
            "Dagsorden med referat.\n1. Godkendelse af dagsordenen.\n2. Referat af sidste møde.\n3. Udvalgets sammensætning.\nNy kasserer blev valgt.\nDet blev drøftet hvem der skal være formand i det kommende år.\n4. Økonomi.\nRegnskabet blev gennemgået af kassereren.\n5. Eventuelt.\nIntet.\n",
            &[(1, "Godkendelse af dagsordenen"), (2, "Referat af sidste møde"), (3, "Udvalgets sammensætning"), (4, "Økonomi"), (5, "Eventuelt")],
        );
        // The decision on the title's line is the item's decision.
        let ms = segment(&split_lines("1. Godkendelse af dagsordenen efter evt. tilføjelser. Godkendt.\n2. Referat af mødet den 9. maj 2012. Godkendt med en rettelse.\n3. Økonomi.\nRegnskabet blev gennemgået.\n"));
        let got: Vec<(&str, Option<&str>)> = ms[0].items.iter().map(|i| (i.title.as_str(), i.sections.iter().find(|s| s.0 == "beslutning").map(|s| s.1[0].as_str()))).collect();
        assert_eq!(got, [("Godkendelse af dagsordenen efter evt. tilføjelser", Some("Godkendt.")), ("Referat af mødet den 9. maj 2012", Some("Godkendt med en rettelse.")), ("Økonomi", None)]);
    }

    #[test]
    fn a_list_numbered_again_after_the_agenda_began_is_not_items() {
        // No section headings: only the numbering says that "1. Formand" is
        // a list inside item 2, and its 3 no item.
        check(
            "1. Velkommen til rådet\nFormanden bød velkommen.\n2. Bordet rundt\n- alle præsenterer sig:\n1. Formand: Else Kirk\n2. Medlem: Maria Lund\n3. Medlem: Kim Jensen\n",
            &[(1, "Velkommen til rådet"), (2, "Bordet rundt")],
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
    fn a_contents_entry_wrapped_with_its_leader_on_the_second_line() {
        check(
            "Indholdsfortegnelse:\n130. Fuglebjerg Fjernvarme - kommunegaranti i forbindelse med\nlånefinansiering.................................................................... 19\n131. Budget ........ 21\n132. Eventuelt ....... 22\n",
            &[(130, "Fuglebjerg Fjernvarme - kommunegaranti i forbindelse med lånefinansiering"), (131, "Budget"), (132, "Eventuelt")],
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
        // Sub-entries between the entries; the bodies hold two of them.
        check(
            "Mødeindhold\nPunkt 1: Godkendelse af dagsorden\nPunkt 2: Orienteringer\nPunkt 02A: Valg til plejehjem\nPunkt 02B: Tilskud til idræt\nPunkt 02C: Status på forslag\nPunkt 3: Beslutninger\nPunkt 4: Eventuelt\nPunkt 1: Godkendelse af dagsorden\nIndstilling\nAt den godkendes.\nPunkt 2: Orienteringer\nSagsfremstilling\nIngen.\n",
            &[(1, "Godkendelse af dagsorden"), (2, "Orienteringer"), (3, "Beslutninger"), (4, "Eventuelt")],
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
    fn a_title_printed_again_under_its_number_is_evidence() {
        // Numbers that run on through the year, a grid between the title and
        // the first heading: the title printed again marks the item.
        let grid = "DIR\nFOU\nBFU\nSOS\nBSK\nKFU\nBYP\nTMU\nX\n";
        check(
            &format!("Dagsordenpunkter\n119. Cirkulæreskrivelse og orienteringssager\nSagsnr.: 00.01.00\nCirkulæreskrivelse og orienteringssager\n{grid}Sagsresume\nOrientering.\n120. Forslag til mødekalender for 2022\nSagsnr.: 00.01.01\nForslag til mødekalender for 2022\n{grid}Indstilling\nGodkendes.\n"),
            &[(119, "Cirkulæreskrivelse og orienteringssager"), (120, "Forslag til mødekalender for 2022")],
        );
        // "Nr.144 - 2. behandling": a prefixed number, a title that begins with one.
        check("Nr.143 - Godkendelse af dagsorden\nBeslutning\nGodkendt.\nNr.144 - 2. behandling af budget 2019-2022\nBeslutning\nVedtaget.\n", &[(143, "Godkendelse af dagsorden"), (144, "2. behandling af budget 2019-2022")]);
        // The same number and title again on the next lines is one item.
        check("• Pkt. 17 Resultat af undersøgelsen\nPkt. 17\nResultat af undersøgelsen\nResume\nTilfredse.\n", &[(17, "Resultat af undersøgelsen")]);
    }

    #[test]
    fn closed_items_numbered_again_follow_the_open_ones() {
        check(
            "1. Godkendelse af dagsorden\nBeslutning:\nGodkendt.\n2. Budget\nBeslutning:\nVedtaget.\n1. Lukket punkt: Salg af areal\nBeslutning:\nGodkendt.\n2. Lukket punkt: Personalesag\nBeslutning:\nTaget til efterretning.\n",
            &[(1, "Godkendelse af dagsorden"), (2, "Budget"), (1, "Salg af areal"), (2, "Personalesag")],
        );
        // The same in a list of items without bodies.
        check(
            "Dagsorden\n1. Godkendelse af dagsorden\n2. Budget\n3. Eventuelt\nLukkede punkter\n1. Lukket punkt: Salg af areal\n2. Lukket punkt: Personalesag\n",
            &[(1, "Godkendelse af dagsorden"), (2, "Budget"), (3, "Eventuelt"), (1, "Salg af areal"), (2, "Personalesag")],
        );
    }

    #[test]
    fn a_page_of_meetings_each_a_date_over_its_items() {
        let lines = split_lines("Referater fra bestyrelsesmøder\n28/09.2023\n1. Valg af ordstyrer\n2. Broen\n3. Evt.\ndownload referat\n28/06.2023\n1. Valg af ordstyrer\n2. Årshjul\n3. Evt.\n");
        let ms = segment(&lines);
        let got: Vec<Vec<u32>> = ms.iter().map(|m| m.items.iter().map(|i| i.number).collect()).collect();
        assert_eq!(got, [vec![1, 2, 3], vec![1, 2, 3]]);
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
