//! Joining the documents of one meeting. The agenda (dagsorden) and the
//! minutes (referat) of a meeting, in two files or one, become one meeting,
//! and an item that is in both becomes one item: the agenda's case text and
//! the minutes' decision, each with its own source.
//!
//! Documents are of the same meeting when they name the same group and date
//! (from the text, a sidecar or a path rule). Their items are paired by
//! title and number, so a renumbering, a reworded title, an item added to
//! the minutes or dropped from them, and "Punkt 3:" against "3." are all
//! tolerated; an item without a partner stays on its own.
//!
//! **Architecture invariant:** a joined item's id is the id its first
//! document gives it (the agenda's, where there is one), and every
//! document's own id for it stays an alias, so a permalink made before the
//! minutes arrived still opens the item.

use crate::model::{same_text, DocumentRef, MeetingDocument, MeetingInfo, SectionVersion, SourceRef, StoredItem};
use arkiv_ingest::formats::Format;
use arkiv_ingest::{FileParse, Item, Kind, MeetingHead};
use rapidfuzz::distance::levenshtein::{self, BatchComparator};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};


/// One document's meeting, without its items.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PartHead {
    /// What makes documents one meeting: the group and the date, or where
    /// either is unknown the meeting's own id (it is then joined with none).
    pub key: String,
    /// The meeting as this document has it.
    pub meeting: MeetingHead,
    pub path: String,
    pub document: String,
    pub format: Format,
}

/// One document's meeting with its items: what is joined.
#[derive(Debug, Clone)]
pub struct Part {
    pub head: PartHead,
    pub items: Vec<Item>,
}

/// One document's item, with its meeting, as read back from beside the
/// joined item it is part of (stored as a [`KeptPart`]), so that the meeting
/// can be joined again when one of its documents changes.
#[derive(Debug, Clone)]
pub struct StoredPart {
    pub head: PartHead,
    /// Position of the item in this document's meeting.
    pub ordinal: u32,
    pub item: Item,
}

/// One document's item as the index keeps it beside the joined item it is
/// part of (`joined_from`): what it shares with the joined item is named,
/// not written again. Most items are in one document, and the agenda's case
/// text is the joined item's too; written out, the parts were as large as
/// the joined item itself, stored and compressed a second time.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct KeptPart {
    pub key: String,
    /// The document's meeting; left out where it is the joined item's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingHead>,
    pub path: String,
    pub document: String,
    pub format: Format,
    pub ordinal: u32,
    /// The document's item without the sections named in `shared`.
    pub item: Item,
    /// Sections whose text is the joined item's section of that name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared: Vec<String>,
    /// Sections whose text is one of the joined item's versions: their
    /// positions in `versions`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_versions: Vec<usize>,
}

impl KeptPart {
    fn of(head: &PartHead, ordinal: u32, item: &Item, joined: &Item, versions: &[SectionVersion], meeting: &MeetingHead) -> KeptPart {
        let main = |name: &str, text: &str| joined.sections.get(name).is_some_and(|t| t == text);
        let version = |name: &str, text: &str| versions.iter().position(|v| v.name == name && v.text == text);
        let same = |name: &str, text: &str| main(name, text) || version(name, text).is_some();
        KeptPart {
            key: head.key.clone(),
            meeting: (head.meeting != *meeting).then(|| head.meeting.clone()),
            path: head.path.clone(),
            document: head.document.clone(),
            format: head.format,
            ordinal,
            item: item.with_sections_where(|name, text| !same(name, text)),
            shared: item.sections.iter().filter(|(n, t)| main(n, t)).map(|(n, _)| n.clone()).collect(),
            shared_versions: item.sections.iter().filter(|(n, t)| !main(n, t)).filter_map(|(n, t)| version(n, t)).collect(),
        }
    }

    /// The part as it was cut from its document, given what the joined item
    /// it was kept with shares.
    pub fn restore(self, joined: &Shared) -> StoredPart {
        let KeptPart { key, meeting, path, document, format, ordinal, mut item, shared, shared_versions } = self;
        for name in shared {
            if let Some(text) = joined.sections.get(&name) {
                item.sections.insert(name, text.clone());
            }
        }
        for v in shared_versions.into_iter().filter_map(|k| joined.versions.get(k)) {
            item.sections.insert(v.name.clone(), v.text.clone());
        }
        let meeting = meeting.unwrap_or_else(|| joined.meeting.head.clone());
        StoredPart { head: PartHead { key, meeting, path, document, format }, ordinal, item }
    }
}

/// What a joined item's kept parts may share with it: its sections and its
/// meeting. Read from the stored item's JSON without the rest of it.
#[derive(Debug, Clone, Deserialize)]
pub struct Shared {
    pub sections: BTreeMap<String, String>,
    #[serde(default)]
    pub versions: Vec<SectionVersion>,
    pub meeting: MeetingInfo,
}

/// A joined item, ready to index.
#[derive(Debug, Clone)]
pub struct Joined {
    pub key: String,
    pub item: StoredItem,
    pub parts: Vec<KeptPart>,
}

pub fn meeting_key(m: &MeetingHead) -> String {
    match (&m.group, m.date) {
        (Some(g), Some(d)) => format!("{g}\u{1f}{d}"),
        _ => format!("\u{1f}{}", m.id),
    }
}

/// The meetings of a parsed file, as parts to join.
pub fn parts_of(fp: &FileParse) -> Vec<Part> {
    let document = arkiv_ingest::document_id(&fp.relpath);
    fp.meetings
        .iter()
        .filter(|m| !m.items.is_empty())
        .map(|m| Part {
            head: PartHead {
                key: meeting_key(&m.head),
                meeting: m.head.clone(),
                path: fp.relpath.clone(),
                document: document.clone(),
                format: fp.format.unwrap_or(Format::Text),
            },
            items: m.items.clone(),
        })
        .collect()
}

/// Gives stored parts back as the parts they were cut from.
pub fn regroup(stored: Vec<StoredPart>) -> Vec<Part> {
    let mut by: BTreeMap<(String, String), (PartHead, Vec<(u32, Item)>)> = BTreeMap::new();
    for s in stored {
        let e = by.entry((s.head.path.clone(), s.head.meeting.id.clone())).or_insert_with(|| (s.head.clone(), vec![]));
        if !e.1.iter().any(|(o, it)| *o == s.ordinal && it.id == s.item.id) {
            e.1.push((s.ordinal, s.item));
        }
    }
    by.into_values()
        .map(|(head, mut items)| {
            items.sort_by_key(|(o, _)| *o);
            Part { head, items: items.into_iter().map(|(_, i)| i).collect() }
        })
        .collect()
}

fn kind_rank(k: Option<Kind>) -> u8 {
    match k {
        Some(Kind::Dagsorden) => 0,
        None | Some(Kind::DagsordenOgReferat) => 1,
        Some(Kind::Referat) => 2,
    }
}

/// A title as compared: lower case, words only.
fn title_words(t: &str) -> Vec<String> {
    t.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// One document's title of an item, prepared once for pairing: its number,
/// its words (as numbers given by the meeting's [`Items`], sorted, and once
/// each), their text as compared by edit distance (the words joined by
/// single spaces) as characters, and counts of those characters in 32
/// classes, whose difference bounds the edit distance from below.
#[derive(Debug, Clone)]
struct Title {
    number: u32,
    words: Vec<u32>,
    distinct: Vec<u32>,
    chars: Vec<char>,
    classes: [u8; 32],
}

impl Title {
    /// At most how alike two titles' characters can be by edit distance:
    /// one edit changes at most one character of each side, so the
    /// distance is at least the larger of the surpluses of the two sides'
    /// character classes (which is also at least the difference of their
    /// lengths). Saturated counts only weaken the bound.
    fn edits_at_least(&self, other: &Title) -> usize {
        // Branch-free, so that it runs on vector registers.
        let surplus = |x: &[u8; 32], y: &[u8; 32]| x.iter().zip(y).map(|(a, b)| a.saturating_sub(*b) as u32).sum::<u32>();
        surplus(&self.classes, &other.classes).max(surplus(&other.classes, &self.classes)) as usize
    }
}

/// The overlap of two titles' words: twice the words of `a` also in `b`
/// over both counts of words.
fn word_overlap(a: &Title, b: &Title) -> f64 {
    let (mut shared, mut j) = (0usize, 0usize);
    for w in &a.words {
        while j < b.distinct.len() && b.distinct[j] < *w {
            j += 1;
        }
        if b.distinct.get(j) == Some(w) {
            shared += 1;
        }
    }
    2.0 * shared as f64 / (a.words.len() + b.words.len()) as f64
}

/// How alike two titles are, from 0 to 1: the better of their edit
/// similarity (1 - edit distance / longer length, in characters) and the
/// overlap of their words; None where that is less than `at_least`. The edit
/// distance is computed only where it can decide (where its lower bound
/// leaves room above both the overlap and `at_least`), by rapidfuzz's
/// bit-parallel Levenshtein from `b` prepared once, which stops at the
/// cut-off that decides.
fn title_similarity(a: &Title, b: &Title, b_edit: &BatchComparator<char>, at_least: f64) -> Option<f64> {
    if a.words.is_empty() || b.words.is_empty() {
        return (at_least <= 0.0).then_some(0.0);
    }
    let longer = a.chars.len().max(b.chars.len());
    let edit = |d: usize| 1.0 - d as f64 / longer as f64;
    // Neither the overlap (at most 2 n / (n + m), n the words of a) nor
    // the edit similarity (at most 1 - the difference of the lengths / the
    // longer) can reach `at_least`: known without either.
    let (n, m) = (a.words.len(), b.words.len());
    if (2.0 * n as f64 / (n + m) as f64) < at_least && edit(a.chars.len().abs_diff(b.chars.len())) < at_least {
        return None;
    }
    let dice = word_overlap(a, b);
    let floor = dice.max(at_least);
    let edit_at_most = edit(a.edits_at_least(b));
    let sim = if edit_at_most <= dice || edit_at_most < at_least {
        dice
    } else {
        // The largest distance whose similarity reaches the floor.
        let mut cutoff = ((1.0 - floor) * longer as f64).floor() as usize;
        while cutoff > 0 && edit(cutoff) < floor {
            cutoff -= 1;
        }
        while cutoff < longer && edit(cutoff + 1) >= floor {
            cutoff += 1;
        }
        match b_edit.distance_with_args(a.chars.iter().copied(), &levenshtein::Args::default().score_cutoff(cutoff)) {
            Some(d) => edit(d).max(dice),
            None => dice,
        }
    };
    (sim >= at_least).then_some(sim)
}

/// Titles at least this alike are the same item whatever their numbers.
const SAME_TITLE: f64 = 0.8;
/// With the same number, titles this alike are a reworded title.
const REWORDED_TITLE: f64 = 0.4;

/// The joined items of a meeting as they grow, document by document: each
/// item's distinct titles (number and words) and what finds them. An item of
/// a new document is compared only with the items that could be its
/// partner: those with a title of its number, those sharing a word with its
/// title, and those whose titles' lengths allow an edit similarity of
/// [`SAME_TITLE`]; the rest cannot score above nothing. So a meeting of many
/// documents with many different items costs about what its pairs that
/// could match cost, not every item against every item.
#[derive(Default)]
struct Items {
    /// Each word of the meeting's titles, numbered.
    vocabulary: HashMap<String, u32>,
    titles: Vec<Title>,
    /// Joined item -> its distinct titles (positions in `titles`).
    forms: Vec<Vec<usize>>,
    by_number: HashMap<u32, Vec<usize>>,
    by_word: HashMap<u32, Vec<usize>>,
    /// Length in characters -> the joined items with a title of it.
    by_length: BTreeMap<usize, Vec<usize>>,
}

impl Items {
    /// A title prepared for pairing in this meeting.
    fn title(&mut self, number: u32, title: &str) -> Title {
        let text = title_words(title);
        let mut words: Vec<u32> = text
            .iter()
            .map(|w| {
                let next = self.vocabulary.len() as u32;
                *self.vocabulary.entry(w.clone()).or_insert(next)
            })
            .collect();
        words.sort_unstable();
        let mut distinct = words.clone();
        distinct.dedup();
        let chars: Vec<char> = text.join(" ").chars().collect();
        let mut classes = [0u8; 32];
        for &c in &chars {
            let k = &mut classes[(c as u32 % 32) as usize];
            *k = k.saturating_add(1);
        }
        Title { number, words, distinct, chars, classes }
    }

    /// A new joined item, with its first title; its id.
    fn open(&mut self, title: Title) -> usize {
        self.forms.push(vec![]);
        let id = self.forms.len() - 1;
        self.add(id, title);
        id
    }

    /// Another document's title of joined item `id`, kept where it is new.
    fn add(&mut self, id: usize, title: Title) {
        if self.forms[id].iter().any(|&t| self.titles[t].number == title.number && self.titles[t].chars == title.chars) {
            return;
        }
        let note = |list: &mut Vec<usize>| {
            if list.last() != Some(&id) && !list.contains(&id) {
                list.push(id);
            }
        };
        note(self.by_number.entry(title.number).or_default());
        for w in &title.distinct {
            note(self.by_word.entry(*w).or_default());
        }
        note(self.by_length.entry(title.chars.len()).or_default());
        self.forms[id].push(self.titles.len());
        self.titles.push(title);
    }

    /// The joined items that could pair with `b`, each once (`seen` is
    /// scratch space of one flag per joined item, left all false).
    fn candidates(&self, b: &Title, seen: &mut [bool]) -> Vec<usize> {
        let mut out = vec![];
        let mut take = |ids: &[usize]| {
            for &id in ids {
                if !std::mem::replace(&mut seen[id], true) {
                    out.push(id);
                }
            }
        };
        if let Some(ids) = self.by_number.get(&b.number) {
            take(ids);
        }
        for w in &b.distinct {
            if let Some(ids) = self.by_word.get(w) {
                take(ids);
            }
        }
        // Edit similarity 1 - |la - lb| / max(la, lb) at least SAME_TITLE.
        let n = b.chars.len();
        let (lo, hi) = ((n as f64 * SAME_TITLE).ceil() as usize, (n as f64 / SAME_TITLE).floor() as usize);
        for ids in self.by_length.range(lo..=hi.max(lo)).map(|(_, ids)| ids) {
            take(ids);
        }
        for &id in &out {
            seen[id] = false;
        }
        out
    }

    /// How well title `b` fits joined item `id`: above 2 for a title alike
    /// enough whatever the numbers (more with the same number), between 1
    /// and 2 for a reworded title of the same number, 0 for no partner.
    fn score(&self, id: usize, b: &Title, b_edit: &BatchComparator<char>) -> f64 {
        let mut best = 0.0f64;
        for &t in &self.forms[id] {
            let a = &self.titles[t];
            let same = a.number == b.number;
            // A title is compared only as far as it could beat the best so
            // far: the similarity it needs is the least whose score is
            // above it, so most of a big item's titles are answered by the
            // bounds, and the edit distance stops at a tighter cut-off.
            let needs = match (same, best) {
                (true, x) if x < 1.0 + REWORDED_TITLE => REWORDED_TITLE,
                (true, x) if x < 1.0 + SAME_TITLE => x - 1.0,
                (true, x) if x < 2.5 + SAME_TITLE => SAME_TITLE,
                (true, x) => x - 2.5,
                (false, x) if x < 2.0 + SAME_TITLE => SAME_TITLE,
                (false, x) => x - 2.0,
            };
            if needs > 1.0 {
                continue;
            }
            let score = match title_similarity(a, b, b_edit, needs) {
                Some(sim) if sim >= SAME_TITLE => 2.0 + sim + if same { 0.5 } else { 0.0 },
                Some(sim) => 1.0 + sim,
                None => 0.0,
            };
            best = best.max(score);
        }
        best
    }

    fn has_number(&self, id: usize, number: u32) -> bool {
        self.forms[id].iter().any(|&t| self.titles[t].number == number)
    }

    /// Pairs the items `b` of a document with the joined items, `order`
    /// being their ids in the meeting's order: for each item of `b`, the
    /// position in `order` of its partner. `every` compares each item with
    /// every joined item (the reference the candidates are tested against).
    fn pair(&self, order: &[usize], b: &[Title], every: bool) -> Vec<Option<usize>> {
        let mut position = vec![usize::MAX; self.forms.len()];
        for (i, &id) in order.iter().enumerate() {
            position[id] = i;
        }
        let mut seen = vec![false; self.forms.len()];
        let mut cand = vec![];
        for (j, tb) in b.iter().enumerate() {
            let b_edit = BatchComparator::new(tb.chars.iter().copied());
            let ids = if every { order.to_vec() } else { self.candidates(tb, &mut seen) };
            for id in ids {
                let best = self.score(id, tb, &b_edit);
                if best > 0.0 {
                    cand.push((best, position[id], j));
                }
            }
        }
        cand.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let mut of_b: Vec<Option<usize>> = vec![None; b.len()];
        let mut taken = vec![false; order.len()];
        for (_, i, j) in cand {
            if of_b[j].is_none() && !taken[i] {
                of_b[j] = Some(i);
                taken[i] = true;
            }
        }
        // A title reworded past recognition ("Evt." for "Eventuelt") still
        // pairs where it has the same number and sits between the same
        // neighbours in both documents, one of them at least a paired item.
        for j in 0..b.len() {
            if of_b[j].is_some() {
                continue;
            }
            let before = if j == 0 { Some(None) } else { of_b[j - 1].map(Some) };
            let Some(before) = before else { continue };
            let i = before.map_or(0, |i| i + 1);
            if i >= order.len() || taken[i] || !self.has_number(order[i], b[j].number) {
                continue;
            }
            let after = match (b.get(j + 1), of_b.get(j + 1).copied().flatten()) {
                (None, _) if i + 1 == order.len() => Some(false),
                (Some(_), Some(next)) if next == i + 1 => Some(true),
                _ => None,
            };
            if let Some(after_paired) = after {
                if before.is_some() || after_paired {
                    of_b[j] = Some(i);
                    taken[i] = true;
                }
            }
        }
        of_b
    }
}

/// Joins the parts of one meeting (parts of one key) into its items, in
/// the meeting's order.
pub fn join(mut parts: Vec<Part>) -> Vec<Joined> {
    parts.retain(|p| !p.items.is_empty());
    parts.sort_by(|x, y| {
        kind_rank(x.head.meeting.kind).cmp(&kind_rank(y.head.meeting.kind)).then_with(|| x.head.path.cmp(&y.head.path)).then(x.head.meeting.line.cmp(&y.head.meeting.line))
    });
    if parts.is_empty() {
        return vec![];
    }
    // Each joined item (by id): its (part, item) members; `order`, the ids
    // in the meeting's order.
    let mut items = Items::default();
    let mut members: Vec<Vec<(usize, usize)>> = vec![];
    for (k, it) in parts[0].items.iter().enumerate() {
        let title = items.title(it.number, &it.title);
        items.open(title);
        members.push(vec![(0, k)]);
    }
    let mut order: Vec<usize> = (0..members.len()).collect();
    for p in 1..parts.len() {
        let b: Vec<Title> = parts[p].items.iter().map(|it| items.title(it.number, &it.title)).collect();
        let of_b = items.pair(&order, &b, false);
        // An unpaired item goes after the joined item its predecessor is in.
        let mut at_start = vec![];
        let mut after: Vec<Vec<usize>> = vec![vec![]; order.len()];
        let mut last: Option<usize> = None;
        for (k, (m, title)) in of_b.iter().zip(b).enumerate() {
            let id = match m {
                Some(i) => {
                    last = Some(*i);
                    items.add(order[*i], title);
                    order[*i]
                }
                None => {
                    let id = items.open(title);
                    members.push(vec![]);
                    match last {
                        Some(i) => after[i].push(id),
                        None => at_start.push(id),
                    }
                    id
                }
            };
            members[id].push((p, k));
        }
        let mut next = at_start;
        for (id, more) in order.into_iter().zip(after) {
            next.push(id);
            next.extend(more);
        }
        order = next;
    }
    let documents_of_meeting: Vec<MeetingDocument> = parts
        .iter()
        .map(|p| MeetingDocument { id: p.head.meeting.id.clone(), kind: p.head.meeting.kind, path: p.head.path.clone(), document: p.head.document.clone(), line: p.head.meeting.line })
        .collect();
    let meeting = merge_meeting(&parts, documents_of_meeting);
    order.iter().enumerate().map(|(ordinal, &id)| merge_item(&parts, &members[id], ordinal, &meeting)).collect()
}

fn union(into: &mut Vec<String>, more: &[String]) {
    for m in more {
        if !into.contains(m) {
            into.push(m.clone());
        }
    }
}

fn merge_meeting(parts: &[Part], documents: Vec<MeetingDocument>) -> MeetingInfo {
    let minutes_first: Vec<&MeetingHead> = parts.iter().rev().filter(|p| p.head.meeting.kind == Some(Kind::Referat)).map(|p| &p.head.meeting).chain(parts.iter().map(|p| &p.head.meeting)).collect();
    // Who came is what the minutes say; who was invited, the agenda.
    let people = |f: fn(&MeetingHead) -> &Vec<String>| minutes_first.iter().map(|m| f(m)).find(|v| !v.is_empty()).cloned().unwrap_or_default();
    let first_some = |f: fn(&MeetingHead) -> &Option<String>| parts.iter().find_map(|p| f(&p.head.meeting).clone());
    let mut municipalities = vec![];
    for p in parts {
        union(&mut municipalities, &p.head.meeting.municipalities);
    }
    // The first document's meeting, with what the others add.
    let mut head = parts[0].head.meeting.clone();
    head.kind = Kind::joined(parts.iter().map(|p| p.head.meeting.kind));
    head.place = first_some(|m| &m.place);
    head.participants = people(|m| &m.participants);
    head.absentees = people(|m| &m.absentees);
    head.chair = first_some(|m| &m.chair);
    head.secretary = first_some(|m| &m.secretary);
    head.case_number = first_some(|m| &m.case_number);
    head.municipalities = municipalities;
    MeetingInfo { head, documents }
}

fn merge_item(parts: &[Part], members: &[(usize, usize)], ordinal: usize, meeting: &MeetingInfo) -> Joined {
    let (p0, k0) = members[0];
    let first = &parts[p0].items[k0];
    let source_of = |p: usize, it: &Item| SourceRef {
        path: parts[p].head.path.clone(),
        line: it.line,
        document: parts[p].head.document.clone(),
        format: parts[p].head.format,
        page: it.page,
        page_end: it.page_end,
    };
    let mut sections: BTreeMap<String, String> = BTreeMap::new();
    let mut section_order = vec![];
    let mut section_documents = BTreeMap::new();
    let mut versions: Vec<SectionVersion> = vec![];
    let (mut municipalities, mut regions, mut topics, mut attachments) = (vec![], vec![], vec![], vec![]);
    let mut documents = vec![];
    for (d, &(p, k)) in members.iter().enumerate() {
        let it = &parts[p].items[k];
        let minutes = parts[p].head.meeting.kind == Some(Kind::Referat);
        for name in &it.section_order {
            let Some(text) = it.sections.get(name) else { continue };
            let Some(old) = sections.get_mut(name) else {
                sections.insert(name.clone(), text.clone());
                section_order.push(name.clone());
                section_documents.insert(name.clone(), d);
                continue;
            };
            if same_text(old, text) || versions.iter().any(|v| v.name == *name && same_text(&v.text, text)) {
                continue;
            }
            // Every document's wording stays: the item shows one text per
            // section (the case the agenda's, the decision the minutes'),
            // and the other documents' differing texts are their versions.
            let (text, document) = if name == "beslutning" && minutes {
                let from = section_documents.insert(name.clone(), d).unwrap_or(0);
                (std::mem::replace(old, text.clone()), from)
            } else {
                (text.clone(), d)
            };
            versions.push(SectionVersion { name: name.clone(), document, text });
        }
        union(&mut municipalities, &it.municipalities);
        union(&mut regions, &it.regions);
        union(&mut topics, &it.topics);
        union(&mut attachments, &it.attachments);
        documents.push(DocumentRef { id: it.id.clone(), kind: parts[p].head.meeting.kind, number: it.number, title: it.title.clone(), source: source_of(p, it) });
    }
    // The first document's item, its texts not copied: the sections are
    // those gathered above.
    let item = Item { municipalities, regions, topics, sections, section_order, attachments, ..first.with_sections_where(|_, _| false) };
    let kept = members.iter().map(|&(p, k)| KeptPart::of(&parts[p].head, k as u32, &parts[p].items[k], &item, &versions, &meeting.head)).collect();
    Joined {
        key: parts[p0].head.key.clone(),
        item: StoredItem {
            item,
            ordinal: ordinal as u32,
            kind: Kind::joined(documents.iter().map(|d| d.kind)),
            meeting: meeting.clone(),
            source: source_of(p0, first),
            documents,
            section_documents,
            versions,
        },
        parts: kept,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_similarity_skips_only_what_cannot_decide() {
        let titles = [
            "Godkendelse af dagsorden", "Godkendelse af referat", "Evt.", "Eventuelt", "Orientering fra kommunerne",
            "Orientering fra regionen og kommunerne", "Sundhedsaftalen 2019-2023: status", "Status på sundhedsaftalen",
            "IV-behandling i eget hjem", "IV behandling i eget hjem", "Meddelelser", "Meddelelser fra formanden", "Meddelelse",
        ];
        for a in titles {
            for b in titles {
                check_similarity(a, b);
            }
        }
    }

    /// The similarity of two titles as first written, every edit distance
    /// computed in full by strsim, against [`title_similarity`].
    fn check_similarity(a: &str, b: &str) {
        let (ta, tb) = (title_words(a), title_words(b));
        let edit = strsim::normalized_levenshtein(&ta.join(" "), &tb.join(" "));
        let shared = ta.iter().filter(|w| tb.contains(w)).count() as f64;
        let full = if ta.is_empty() || tb.is_empty() { 0.0 } else { edit.max(2.0 * shared / (ta.len() + tb.len()) as f64) };
        let mut items = Items::default();
        let (pa, pb) = (items.title(1, a), items.title(1, b));
        let b_edit = BatchComparator::new(pb.chars.iter().copied());
        for at_least in [0.0, REWORDED_TITLE, SAME_TITLE] {
            assert_eq!(title_similarity(&pa, &pb, &b_edit, at_least), (full >= at_least).then_some(full), "{a} / {b} at {at_least}");
        }
    }

    /// Titles near each other: a few titles, each word perhaps with a
    /// letter changed, dropped or added, so that pairs are alike by their
    /// words, by their letters only ("meddelelser", "meddelese"), or not.
    fn near_titles() -> impl proptest::strategy::Strategy<Value = Vec<(u32, String)>> {
        use proptest::prelude::*;
        const BASES: &[&str] = &["meddelelser", "godkendelse af dagsorden", "eventuelt", "status på rygestop", "sundhedsaftale", "evt"];
        let edit = (0usize..8, 0u8..4, proptest::char::range('a', 'f'));
        let title = (1u32..5, 0..BASES.len(), proptest::collection::vec(edit, 0..3));
        proptest::collection::vec(title, 0..10).prop_map(|ts| {
            ts.into_iter()
                .map(|(n, base, edits)| {
                    let mut words: Vec<Vec<char>> = BASES[base].split(' ').map(|w| w.chars().collect()).collect();
                    for (k, (at, how, c)) in edits.into_iter().enumerate() {
                        let w = &mut words[k % BASES[base].split(' ').count()];
                        let at = at % w.len();
                        match how {
                            0 => w[at] = c,
                            1 if w.len() > 1 => {
                                w.remove(at);
                            }
                            2 => w.insert(at, c),
                            _ => {}
                        }
                    }
                    (n, words.iter().map(|w| w.iter().collect::<String>()).collect::<Vec<_>>().join(" "))
                })
                .collect()
        })
    }

    fn prepared(items: &mut Items, titles: &[(u32, String)]) -> Vec<Title> {
        titles.iter().map(|(n, t)| items.title(*n, t)).collect()
    }

    proptest::proptest! {
        #[test]
        fn title_similarity_is_that_of_full_edit_distances(a in "[abeø .-]{0,14}", b in "[abeø .-]{0,14}") {
            check_similarity(&a, &b);
        }

        /// Comparing an item only with its candidates pairs as comparing it
        /// with every joined item does.
        #[test]
        fn candidates_pair_as_every_item_does(docs in proptest::collection::vec(near_titles(), 2..5)) {
            let mut items = Items::default();
            let mut order = vec![];
            for t in prepared(&mut items, &docs[0]) {
                order.push(items.open(t));
            }
            for d in &docs[1..] {
                let b = prepared(&mut items, d);
                let fast = items.pair(&order, &b, false);
                proptest::prop_assert_eq!(&fast, &items.pair(&order, &b, true), "{:?}", docs);
                for (m, t) in fast.into_iter().zip(b) {
                    match m {
                        Some(i) => items.add(order[i], t),
                        None => order.push(items.open(t)),
                    }
                }
            }
        }
    }

    /// Pairs the items of a minutes document with an agenda's, both given
    /// as (number, title), and checks each minutes item's partner.
    fn check_pairing(agenda: &[(u32, &str)], minutes: &[(u32, &str)], expect: &[Option<usize>]) {
        let mut items = Items::default();
        let order: Vec<usize> = agenda
            .iter()
            .map(|(n, t)| {
                let title = items.title(*n, t);
                items.open(title)
            })
            .collect();
        let b: Vec<Title> = minutes.iter().map(|(n, t)| items.title(*n, t)).collect();
        assert_eq!(items.pair(&order, &b, false), expect, "agenda {agenda:?}, minutes {minutes:?}");
        assert_eq!(items.pair(&order, &b, true), expect, "agenda {agenda:?}, minutes {minutes:?}, every item compared");
    }

    #[test]
    fn same_items_pair_in_order() {
        check_pairing(&[(1, "Godkendelse af dagsorden"), (2, "Rygestop"), (3, "Eventuelt")], &[(1, "Godkendelse af dagsorden"), (2, "Rygestop"), (3, "Eventuelt")], &[Some(0), Some(1), Some(2)]);
    }

    #[test]
    fn a_renumbering_pairs_by_title() {
        // An item added at the top of the minutes moves every number by one.
        check_pairing(
            &[(1, "Status på akutfunktionen"), (2, "Rygestop: henvisninger fra hospitalet"), (3, "Eventuelt")],
            &[(1, "Godkendelse af referat"), (2, "Status på akutfunktionen"), (3, "Rygestop: henvisninger fra hospitalet"), (4, "Eventuelt")],
            &[None, Some(0), Some(1), Some(2)],
        );
    }

    #[test]
    fn a_reworded_title_pairs_with_the_same_number() {
        check_pairing(
            &[(1, "Godkendelse af dagsorden"), (2, "Status på akutfunktionen i Hedensted og Horsens")],
            &[(1, "Godkendelse af dagsordenen"), (2, "Status på den fælles akutfunktion i Horsens")],
            &[Some(0), Some(1)],
        );
    }

    #[test]
    fn a_title_reworded_past_recognition_pairs_between_the_same_neighbours() {
        check_pairing(&[(1, "Rygestop"), (2, "Eventuelt")], &[(1, "Rygestop"), (2, "Evt.")], &[Some(0), Some(1)]);
        // Not where its neighbours say otherwise.
        check_pairing(&[(1, "Rygestop"), (2, "Eventuelt")], &[(1, "Influenzavaccination"), (2, "Evt.")], &[None, None]);
    }

    #[test]
    fn an_item_dropped_from_the_minutes_leaves_its_neighbours_paired() {
        check_pairing(&[(1, "Rygestop"), (2, "Demens og udskrivelse"), (3, "Eventuelt")], &[(1, "Rygestop"), (3, "Eventuelt")], &[Some(0), Some(2)]);
    }

    #[test]
    fn different_items_with_the_same_number_stay_apart() {
        check_pairing(&[(2, "Rygestop: henvisninger")], &[(2, "Influenzavaccination af ældre")], &[None]);
    }

    fn part(path: &str, kind: Kind, items: &[(u32, &str, &[(&str, &str)])]) -> Part {
        let meeting = MeetingHead {
            id: format!("m-{path}"),
            group: Some("Klyngestyregruppen Horsensklyngen".into()),
            group_source: None,
            date: chrono::NaiveDate::from_ymd_opt(2021, 3, 10),
            date_source: None,
            kind: Some(kind),
            place: None,
            participants: vec![],
            absentees: vec![],
            chair: None,
            secretary: None,
            case_number: None,
            municipalities: vec![],
            line: 1,
        };
        let items = items
            .iter()
            .enumerate()
            .map(|(k, (n, title, sections))| Item {
                id: format!("{path}#{n}"),
                number: *n,
                title: title.to_string(),
                municipalities: vec![],
                regions: vec![],
                topics: vec![],
                sections: sections.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
                section_order: sections.iter().map(|(a, _)| a.to_string()).collect(),
                attachments: vec![],
                line: 10 * (k + 1),
                page: None,
                page_end: None,
                ocr: None,
            })
            .collect();
        Part {
            head: PartHead { key: meeting_key(&meeting), meeting, path: path.into(), document: format!("doc-{path}"), format: Format::Text },
            items,
        }
    }

    #[test]
    fn the_joined_item_has_the_agendas_case_and_the_minutes_decision() {
        let agenda = part("dagsorden.txt", Kind::Dagsorden, &[(3, "Rygestop", &[("indstilling", "At gruppen drøfter rygestop."), ("sagsfremstilling", "Hospitalet henviser for få.")])]);
        let minutes = part(
            "referat.txt",
            Kind::Referat,
            &[(3, "Rygestop", &[("indstilling", "At gruppen drøfter rygestop."), ("beslutning", "Hospitalet spørger alle om rygning.")]), (4, "Eventuelt", &[("beslutning", "Intet.")])],
        );
        // Whichever order they come in, the agenda is first.
        let joined = join(vec![minutes, agenda]);
        assert_eq!(joined.len(), 2);
        let it = &joined[0].item;
        assert_eq!(it.item.id, "dagsorden.txt#3", "the agenda's id is the item's id");
        assert_eq!(it.kind, Some(Kind::DagsordenOgReferat));
        assert_eq!(it.item.section_order, ["indstilling", "sagsfremstilling", "beslutning"]);
        assert_eq!(it.item.sections["beslutning"], "Hospitalet spørger alle om rygning.");
        assert_eq!(it.section_documents["sagsfremstilling"], 0);
        assert_eq!(it.section_documents["beslutning"], 1);
        assert_eq!(it.documents.iter().map(|d| d.source.path.as_str()).collect::<Vec<_>>(), ["dagsorden.txt", "referat.txt"]);
        assert_eq!(it.meeting.head.id, "m-dagsorden.txt");
        assert_eq!(it.meeting.documents.len(), 2);
        // The item only in the minutes stands on its own, after its predecessor.
        let evt = &joined[1].item;
        assert_eq!((evt.item.id.as_str(), evt.kind, evt.ordinal), ("referat.txt#4", Some(Kind::Referat), 1));
        // Joined again from what was stored, it is the same.
        let again = join(regroup(joined.iter().flat_map(read_back).collect()));
        assert_eq!(again.iter().map(|j| &j.item).collect::<Vec<_>>(), joined.iter().map(|j| &j.item).collect::<Vec<_>>());
    }

    /// Lower-cased words of a text.
    fn words_of(t: &str) -> Vec<String> {
        t.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
    }

    /// One meeting's documents: each a kind and items of (number, title,
    /// sections), drawn from few titles, texts and names so that items pair
    /// and texts repeat, differ, or differ only in their white space.
    fn meeting() -> impl proptest::strategy::Strategy<Value = Vec<Part>> {
        use proptest::prelude::*;
        const TITLES: &[&str] = &["Godkendelse af dagsorden", "Rygestop", "Nyt punkt om rygestop", "Eventuelt", "Evt.", "Sikker mail mellem sektorerne"];
        const TEXTS: &[&str] = &["Aftalt.", "Aftalt. ", "Hospitalet henviser til kommunen.", "Hospitalet  henviser\ntil kommunen.", "Udsat til næste møde.", "Godkendt med rettelser af vandpibe.", ""];
        const NAMES: &[&str] = &["indstilling", "sagsfremstilling", "beslutning"];
        let section = (0..NAMES.len(), 0..TEXTS.len());
        let item = (1u32..5, 0..TITLES.len(), proptest::collection::vec(section, 0..4));
        let document = (0u8..3, proptest::collection::vec(item, 1..5));
        proptest::collection::vec(document, 1..5).prop_map(|docs| {
            docs.into_iter()
                .enumerate()
                .map(|(d, (kind, items))| {
                    let kind = [Kind::Dagsorden, Kind::Referat, Kind::DagsordenOgReferat][kind as usize];
                    let items: Vec<(u32, &str, Vec<(&str, &str)>)> =
                        items.into_iter().map(|(n, t, secs)| (n, TITLES[t], secs.into_iter().map(|(a, b)| (NAMES[a], TEXTS[b])).collect())).collect();
                    let items: Vec<(u32, &str, &[(&str, &str)])> = items.iter().map(|(n, t, s)| (*n, *t, s.as_slice())).collect();
                    // Each document's own words, so that a lost text is seen.
                    let mut p = part(&format!("{d}.txt"), kind, &items);
                    for (k, it) in p.items.iter_mut().enumerate() {
                        for t in it.sections.values_mut() {
                            t.push_str(&format!(" ord{d}x{k}"));
                        }
                    }
                    p
                })
                .collect()
        })
    }

    proptest::proptest! {
        /// Every word of every document's titles and sections is in what
        /// the joined items index, and the meeting joins again to the same
        /// items from the parts kept beside them.
        #[test]
        fn joining_keeps_every_documents_words(parts in meeting()) {
            let joined = join(parts.clone());
            let mut indexed = std::collections::BTreeSet::new();
            for j in &joined {
                for t in j.item.titles() {
                    indexed.extend(words_of(t));
                }
                for (_, t) in j.item.section_texts() {
                    indexed.extend(words_of(t));
                }
            }
            for p in &parts {
                for it in &p.items {
                    for w in words_of(&it.title).into_iter().chain(it.sections.values().flat_map(|t| words_of(t))) {
                        proptest::prop_assert!(indexed.contains(&w), "{}: '{}' of {} is lost", p.head.path, w, it.title);
                    }
                }
            }
            let again = join(regroup(joined.iter().flat_map(read_back).collect()));
            proptest::prop_assert_eq!(again.iter().map(|j| &j.item).collect::<Vec<_>>(), joined.iter().map(|j| &j.item).collect::<Vec<_>>());
        }
    }

    /// A joined item's parts as the index reads them back: the kept parts'
    /// JSON, restored from what the stored item's JSON shares.
    fn read_back(j: &Joined) -> Vec<StoredPart> {
        let kept: Vec<KeptPart> = serde_json::from_str(&serde_json::to_string(&j.parts).unwrap()).unwrap();
        let shared: Shared = serde_json::from_str(&serde_json::to_string(&j.item).unwrap()).unwrap();
        kept.into_iter().map(|k| k.restore(&shared)).collect()
    }

    #[test]
    fn kept_parts_name_what_they_share_with_the_joined_item_and_restore_whole() {
        let agenda = part("dagsorden.txt", Kind::Dagsorden, &[(3, "Rygestop", &[("indstilling", "At gruppen drøfter rygestop."), ("sagsfremstilling", "Hospitalet henviser for få.")])]);
        let minutes = part("referat.txt", Kind::Referat, &[(3, "Rygestop", &[("indstilling", "At gruppen drøfter rygestop."), ("beslutning", "Ikke besluttet endnu.")])]);
        let single = part("notat.txt", Kind::Dagsorden, &[(1, "Sikker mail", &[("tekst", "Mail mellem sektorerne.")])]);
        let (originals, joined): (Vec<Part>, Vec<Joined>) = {
            let originals = vec![agenda.clone(), minutes.clone(), single.clone()];
            let mut joined = join(vec![agenda, minutes]);
            joined.extend(join(vec![single]));
            (originals, joined)
        };
        // The agenda's case text is the joined item's, and so is the one
        // document's whole item: not written a second time.
        let json = serde_json::to_string(&joined[0].parts).unwrap();
        assert_eq!(json.matches("Hospitalet henviser").count(), 0, "{json}");
        assert_eq!(json.matches("At gruppen drøfter").count(), 0, "{json}");
        assert_eq!(joined[0].parts.iter().map(|p| p.shared.clone()).collect::<Vec<_>>(), [vec!["indstilling", "sagsfremstilling"], vec!["beslutning", "indstilling"]]);
        let json = serde_json::to_string(&joined[1].parts).unwrap();
        assert!(!json.contains("Mail mellem") && !json.contains("\"meeting\""), "{json}");
        // The minutes' decision is the joined item's; a part whose section
        // says otherwise keeps its own text.
        let mut other = joined[0].clone();
        other.item.item.sections.insert("beslutning".into(), "Godkendt.".into());
        let kept = KeptPart::of(&originals[1].head, 0, &originals[1].items[0], &other.item.item, &[], &other.item.meeting.head);
        assert_eq!(kept.item.sections.get("beslutning").map(String::as_str), Some("Ikke besluttet endnu."));
        // Through JSON and back, each part is the document's own again.
        for j in &joined {
            for (k, p) in read_back(j).into_iter().enumerate() {
                let original = originals.iter().find(|o| o.head.path == p.head.path).unwrap();
                assert_eq!(p.head, original.head, "part {k} of {}", j.item.item.id);
                assert_eq!(p.item, original.items[p.ordinal as usize]);
            }
        }
    }
}
