//! Meeting and item metadata: group, date, kind, header fields,
//! municipalities, topics and stable ids.

use crate::clean::{Fact, Line};
use crate::config::{match_key, Config, Group};
use crate::dates::{self, Date};
use crate::model::{Item, Kind, Meeting, MeetingHead, Source};
use crate::segment::{is_kind_word, RawMeeting};
use crate::line_pattern::LinePattern;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// What a sidecar file or a path rule says about every meeting of a file.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Overrides {
    pub group: Option<(String, Source)>,
    pub date: Option<(Date, Source)>,
    pub kind: Option<(Kind, Source)>,
    pub place: Option<String>,
    pub year_hint: Option<i32>,
}

/// Text in the form group aliases are matched in (see
/// [`crate::config::match_key`]), with the places where words began, so that
/// an alias only matches whole words.
pub struct Compact {
    text: String,
    bounds: Vec<bool>,
}

impl Compact {
    pub fn new(s: &str) -> Compact {
        let mut text = String::with_capacity(s.len());
        let mut bounds = Vec::with_capacity(s.len() + 1);
        let mut prev_alnum = false;
        for c in s.chars() {
            if c.is_ascii_alphanumeric() {
                text.push(c.to_ascii_lowercase());
                bounds.push(!prev_alnum);
                prev_alnum = true;
            } else if c == '&' {
                text.push_str("og");
                bounds.extend([true, false]);
                prev_alnum = false;
            } else if c.is_alphanumeric() {
                // Each letter of its lower case starts a word where the
                // letter does; the bytes after a letter's first never do.
                for lc in c.to_lowercase() {
                    text.push(lc);
                    bounds.push(!prev_alnum);
                    bounds.resize(text.len(), false);
                }
                prev_alnum = true;
            } else {
                prev_alnum = false;
            }
        }
        bounds.push(true);
        // Positions after a non-alphanumeric are word starts; the end of a
        // word is the start of the next.
        Compact { text, bounds }
    }

}

impl Compact {
    /// Every (start, end, group index) where a group alias stands as whole words.
    fn group_spans(&self, cfg: &Config) -> Vec<(usize, usize, usize)> {
        let m = cfg.matchers();
        m.groups
            .find_overlapping_iter(&self.text)
            .filter(|x| self.bounds[x.start()] && self.bounds.get(x.end()).copied().unwrap_or(true))
            .map(|x| (x.start(), x.end(), m.group_of[x.pattern().as_usize()]))
            .collect()
    }
}

/// Mentions of each group in `text`, counted without overlaps, longest alias first.
pub fn group_mentions<'c>(cfg: &'c Config, text: &str) -> Vec<(&'c Group, usize, usize)> {
    let c = Compact::new(text);
    let mut spans = c.group_spans(cfg);
    spans.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    let mut counts: BTreeMap<usize, (usize, usize)> = BTreeMap::new(); // gi -> (count, longest)
    let mut last_end = 0;
    for (s, e, gi) in spans {
        if s < last_end {
            continue;
        }
        last_end = e;
        let entry = counts.entry(gi).or_default();
        entry.0 += 1;
        entry.1 = entry.1.max(e - s);
    }
    let mut out: Vec<_> = counts.into_iter().map(|(gi, (n, len))| (&cfg.groups[gi], n, len)).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)));
    out
}

/// The group a header line names, by its most specific alias.
pub fn group_in_line<'c>(cfg: &'c Config, line: &str) -> Option<&'c Group> {
    let c = Compact::new(line);
    c.group_spans(cfg).into_iter().max_by_key(|&(s, e, _)| (e - s, std::cmp::Reverse(s))).map(|(_, _, gi)| &cfg.groups[gi])
}

static MOEDE_I: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?i:dagsorden|referat)\s+(?:for|fra|til|af)\s+)?(?:(?i:møde)\s+i\s+)?(.+?)(?:,|\s+d\.|\s+den|\s+\d{1,2}\.|\s+(?i:mandag|tirsdag|onsdag|torsdag|fredag)|$)").unwrap()
});
static FIELD: LazyLock<LinePattern> = LazyLock::new(|| {
    LinePattern::new(r"^((?i:mødetid|mødedato|tidspunkt|dato og tid(?:spunkt)?|tid\s*(?:&|og)\s*sted|dato|tid|sted|mødested|mødedeltagere|deltagere|til stede|fremmødte|afbud|fraværende|mødeleder|formand|referent|sekretær|sagsnr|sagsnummer|journalnr|j\.\s*nr))\.?\s*:\s*()")
});

#[derive(Default, Debug)]
struct Header {
    fields: Vec<(String, Vec<String>)>,
    kind_words: Vec<Kind>,
    titles: Vec<String>,
}

fn parse_header(lines: &[Line]) -> Header {
    let mut h = Header::default();
    for l in lines {
        let t = l.text.trim();
        if is_kind_word(t) {
            h.kind_words.push(Kind::parse(t.trim_end_matches(':')).unwrap_or(Kind::Dagsorden));
            h.fields.push(("-".into(), vec![]));
            continue;
        }
        // A kind with a word of its state: "Godkendt referat", "Endelig dagsorden".
        let words: Vec<&str> = t.split_whitespace().collect();
        if let [a, b] = words[..] {
            if let Some(k) = crate::committee::kind_word(b).filter(|_| a.chars().all(char::is_alphabetic) && crate::committee::kind_word(a).is_none()) {
                h.kind_words.push(k);
                h.fields.push(("-".into(), vec![]));
                continue;
            }
        }
        if let Some((c, v)) = FIELD.head(t) {
            let v = v.trim();
            h.fields.push((c[1].to_lowercase(), if v.is_empty() { vec![] } else { vec![v.to_string()] }));
            continue;
        }
        let lower = t.to_lowercase();
        // A table of contents ends the field above it ("Referent: Sofie
        // Lund" / "Indhold" / "1. Godkendelse ........ 2").
        if matches!(lower.trim_end_matches(':'), "indhold" | "indholdsfortegnelse") || t.contains("....") {
            h.fields.push(("-".into(), vec![]));
            continue;
        }
        if lower.starts_with("dagsorden ") || lower.starts_with("referat ") || lower.starts_with("referat: ") || lower.starts_with("dagsorden: ") || lower.starts_with("møde i ") {
            // "Dagsorden med referat": minutes printed with their agenda;
            // the last kind among the first words.
            if let Some(k) = lower.split_whitespace().take(3).filter_map(|w| Kind::parse(w.trim_end_matches(['.', ':']))).last() {
                h.kind_words.push(k);
            }
            h.titles.push(t.to_string());
            h.fields.push(("-".into(), vec![]));
            continue;
        }
        match h.fields.last_mut() {
            Some((name, vals)) if name != "-" => vals.push(t.to_string()),
            _ => h.titles.push(t.to_string()),
        }
    }
    h
}

fn field<'h>(h: &'h Header, names: &[&str]) -> Option<&'h Vec<String>> {
    h.fields.iter().find(|(n, v)| names.contains(&n.as_str()) && !v.is_empty()).map(|(_, v)| v)
}

fn people(v: Option<&Vec<String>>) -> Vec<String> {
    let Some(v) = v else { return vec![] };
    let joined = v.join(" ");
    joined
        .split([',', ';'])
        .flat_map(|s| s.split(" og "))
        .map(|s| s.trim().trim_end_matches('.').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

pub struct MeetingInput<'a> {
    pub raw: &'a RawMeeting,
    pub ordinal: usize,
    pub relpath: &'a str,
    /// Facts from page furniture inside the meeting's lines.
    pub facts: Vec<&'a Fact>,
    /// Facts from the whole file (a document date printed elsewhere).
    pub file_facts: &'a [(usize, Fact)],
    pub line: usize,
    /// The group another meeting of the same file names in its header.
    pub sibling_group: Option<String>,
    /// Text of the whole file, for group mentions.
    pub file_text: &'a str,
    /// The file's cleaned lines, which the items' `lines` index.
    pub lines: &'a [Line],
    /// The document's pages are known, so items get theirs.
    pub paged: bool,
}

pub struct Built {
    pub meeting: Meeting,
    pub notes: Notes,
    /// The group came from this meeting's own header.
    pub header_group: Option<String>,
}

fn source_name(s: Source) -> &'static str {
    match s {
        Source::Sidecar => "sidecar",
        Source::Path => "path",
        Source::Header => "header",
        Source::DocumentDate => "document date",
        Source::Text => "text",
    }
}

pub fn hash_id(parts: &[&str]) -> String {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update(b"\0");
    }
    h.finalize().to_hex()[..16].to_string()
}

/// The group named in a meeting's header, if any: the committee the
/// document names as its own (as the configuration names it, where one of
/// its groups' names or aliases is in it), else a configured group a
/// header line or running header names.
pub fn header_group(cfg: &Config, raw: &RawMeeting, facts: &[&Fact]) -> Option<String> {
    header_group_named(cfg, raw, facts, crate::committee::from_header(&raw.header))
}

/// A committee's name as the configuration names it, where one of its
/// groups' names or aliases is in it; else the name itself.
fn as_configured(cfg: &Config, name: String) -> String {
    group_in_line(cfg, &name).map(|g| g.name.clone()).unwrap_or(name)
}

/// [`header_group`], given the committee the header names.
fn header_group_named(cfg: &Config, raw: &RawMeeting, facts: &[&Fact], named: Option<crate::committee::Named>) -> Option<String> {
    // A heading set large wraps the group's name over two lines ("Møde i
    // Fokusgruppen Sundhed for" / "børn og unge"): a line, else it with the next.
    let from_lines = raw.header.iter().enumerate().find_map(|(k, l)| {
        group_in_line(cfg, &l.text).or_else(|| raw.header.get(k + 1).and_then(|n| group_in_line(cfg, &format!("{} {}", l.text, n.text))))
    });
    let from_facts = facts.iter().find_map(|f| match f {
        Fact::RunningHeader(t) => group_in_line(cfg, t),
        _ => None,
    });
    let configured = from_lines.or(from_facts);
    if let Some(n) = named {
        // The committee the document names, as the configuration names it:
        // by an alias inside the name, or as the configured group the
        // header names whose name holds it ("Klyngestyregruppen" in
        // "Klyngestyregruppen Horsensklyngen"). A configured group never
        // replaces a different committee.
        let key = match_key(&n.name);
        let holds = |g: &&Group| !key.is_empty() && (match_key(&g.name).contains(&key) || g.keys.iter().any(|k| k.contains(&key)));
        let g = group_in_line(cfg, &n.name).or(configured.filter(holds));
        return Some(g.map(|g| g.name.clone()).unwrap_or(n.name));
    }
    if let Some(g) = configured {
        return Some(g.name.clone());
    }
    // A group not in the configuration, from "Møde i <group> <date>".
    let h = parse_header(&raw.header);
    for t in &h.titles {
        let low = t.to_lowercase();
        if low.starts_with("møde i ") || low.starts_with("referat fra møde i ") || low.starts_with("dagsorden for møde i ") || low.starts_with("referat fra ") || low.starts_with("dagsorden for ") {
            if let Some(c) = MOEDE_I.captures(t) {
                let name = c[1].trim().trim_end_matches([',', '.', ':']).trim();
                if name.chars().count() >= 4 && !name.to_lowercase().starts_with("møde") {
                    return Some(name.to_string());
                }
            }
        }
    }
    None
}

pub fn build_meeting(cfg: &Config, inp: MeetingInput, ov: &Overrides) -> Built {
    let raw = inp.raw;
    let mut notes: Notes = vec![];
    let h = parse_header(&raw.header);
    let named = crate::committee::from_header(&raw.header);
    let named_kind = named.as_ref().and_then(|n| n.kind);
    let text_group = header_group_named(cfg, raw, &inp.facts, named);
    let found = meeting_group(cfg, &inp, ov, &text_group, &mut notes);
    let (date, date_source) = meeting_date(&inp, &h, ov, found.items_date, &mut notes);
    let kind = meeting_kind(&inp, &h, named_kind, found.decided_in_items, ov, &mut notes);
    let people = header_people(&inp, &h, ov);

    let mut meeting_munis: BTreeSet<String> = raw.header.iter().flat_map(|l| municipalities(cfg, &l.text)).collect();
    let items: Vec<Item> = raw.items.iter().map(|it| build_item(cfg, it, inp.paged)).collect();
    for it in &items {
        meeting_munis.extend(it.municipalities.iter().cloned());
    }
    if items.is_empty() {
        notes.push((Some(inp.line), "segment.no-items", "no agenda items found in this meeting".into()));
    }
    let id = hash_id(&["meeting", inp.relpath, &inp.ordinal.to_string()]);
    let mut munis: Vec<String> = cfg.municipalities.iter().map(|m| m.name.clone()).filter(|n| meeting_munis.contains(n)).collect();
    munis.dedup();
    Built {
        meeting: Meeting {
            head: MeetingHead {
                id,
                group: found.group,
                group_source: found.source,
                date: date.map(|d| d.0),
                date_source,
                kind,
                place: people.place,
                participants: people.participants,
                absentees: people.absentees,
                chair: people.chair,
                secretary: people.secretary,
                case_number: people.case_number,
                municipalities: munis,
                line: inp.line,
            },
            items,
        },
        notes,
        header_group: text_group,
    }
}

/// What building a meeting says of it, by line: `arkiv parse`'s notes.
pub type Notes = Vec<(Option<usize>, &'static str, String)>;

/// The meeting's group and where it came from; and what the items'
/// decisions said, where they gave the group.
struct GroupFound {
    group: Option<String>,
    source: Option<Source>,
    /// The meeting's date as the items' decisions give it: used when the
    /// header prints none.
    items_date: Option<Date>,
    /// The items record decisions with their committee and date: minutes.
    decided_in_items: bool,
}

/// The group, best source first: metadata (a sidecar, the path), the
/// header, the file's other meeting, the items' decisions, the configured
/// group the text names most.
fn meeting_group(cfg: &Config, inp: &MeetingInput, ov: &Overrides, text_group: &Option<String>, notes: &mut Notes) -> GroupFound {
    let raw = inp.raw;
    let mut items_date: Option<Date> = None;
    let mut decided_in_items = false;
    let (group, source) = match (&ov.group, text_group) {
        (Some((g, src)), tg) => {
            if let Some(tg) = tg {
                if tg != g {
                    notes.push((Some(inp.line), "meta.group-disagrees", format!("{} metadata says group '{g}', the document's header says '{tg}'", source_name(*src))));
                }
            }
            (Some(g.clone()), Some(*src))
        }
        (None, Some(tg)) => (Some(tg.clone()), Some(Source::Header)),
        (None, None) => {
            // The items' own lines, their section headings among them
            // ("Beslutning i Økonomiudvalget den 17-11-2014").
            let lines = raw.items.iter().flat_map(|it| inp.lines.get(it.lines.clone()).unwrap_or_default().iter().map(|l| l.text.as_str()));
            if let Some(sg) = &inp.sibling_group {
                notes.push((Some(inp.line), "meta.group-from-sibling", format!("no group in this meeting's header; '{sg}' from the other meeting in the file")));
                (Some(sg.clone()), Some(Source::Header))
            } else if let Some((n, d)) = crate::committee::from_items(lines) {
                items_date = d;
                decided_in_items = n.cue == crate::committee::DECISION_CUE;
                let name = as_configured(cfg, n.name);
                notes.push((Some(inp.line), "meta.group-from-items", format!("no group in the header; '{name}' from the items ({})", n.cue)));
                (Some(name), Some(Source::Text))
            } else {
                let m = group_mentions(cfg, inp.file_text);
                match m.first() {
                    Some((g, n, _)) => {
                        notes.push((Some(inp.line), "meta.group-from-text", format!("no group in the header; '{}' is the group the text names most ({n} times)", g.name)));
                        (Some(g.name.clone()), Some(Source::Text))
                    }
                    None => {
                        notes.push((Some(inp.line), "meta.no-group", "no group found in header, text, sidecar or path".into()));
                        (None, None)
                    }
                }
            }
        }
    };

    GroupFound { group, source, items_date, decided_in_items }
}

/// The meeting's date: metadata, then the dates the header prints (time
/// fields, title lines, running headers, any full date), the items'
/// decisions, the document's own date.
fn meeting_date(inp: &MeetingInput, h: &Header, ov: &Overrides, items_date: Option<Date>, notes: &mut Notes) -> (Option<Date>, Option<Source>) {
    let raw = inp.raw;
    let doc_date = inp
        .facts
        .iter()
        .find_map(|f| if let Fact::DocumentDate(d) = f { Some(*d) } else { None })
        .or_else(|| inp.file_facts.iter().find_map(|(_, f)| if let Fact::DocumentDate(d) = f { Some(*d) } else { None }));
    // Every date the header prints, best source first: time fields, title
    // lines, page headers naming the meeting.
    let mut printed: Vec<dates::PrintedDate> = vec![];
    for (name, vals) in &h.fields {
        if matches!(name.as_str(), "mødetid" | "mødedato" | "tidspunkt" | "dato og tid" | "dato og tidspunkt" | "dato" | "tid") || name.starts_with("tid ") || name.starts_with("tid&") {
            printed.extend(vals.iter().filter_map(|v| dates::find_date(v)).take(1));
        }
    }
    printed.extend(h.titles.iter().filter_map(|t| dates::find_date_with_year_nearby(t)));
    printed.extend(inp.facts.iter().filter_map(|f| if let Fact::RunningHeader(t) = f { dates::find_date(t) } else { None }));
    // Last, a full date anywhere in the header: a flattened page prints
    // its fields' names first and their values after ("Dato: ... Afbud
    // fra: Onsdag den 15-maj-2002").
    printed.extend(raw.header.iter().filter_map(|l| dates::find_date(&l.text)).filter(|d| d.year.is_some()).take(1));
    let text_date = printed.iter().find_map(|p| {
        // A date printed without its year takes it from the same day printed
        // elsewhere in the header with one ("Tid & Sted: 18. juni" under
        // "Møde i Chefforum 18. juni 2021").
        let mut p = *p;
        if p.year.is_none() {
            p.year = printed.iter().find(|q| q.day == p.day && q.month == p.month && q.year.is_some()).and_then(|q| q.year);
        }
        p.resolve(doc_date, ov.year_hint).map(|(d, note)| {
            if let Some(n) = note {
                notes.push((Some(inp.line), "meta.date-resolved", n));
            }
            d
        })
    });
    match (&ov.date, text_date) {
        (Some((d, src)), td) => {
            if let Some(td) = td {
                if td != *d {
                    notes.push((Some(inp.line), "meta.date-disagrees", format!("{} metadata says {}, the document says {}", source_name(*src), d.iso(), td.iso())));
                }
            }
            (Some(*d), Some(*src))
        }
        (None, Some(d)) => (Some(d), Some(Source::Header)),
        (None, None) if items_date.is_some() => {
            let d = items_date.unwrap();
            notes.push((Some(inp.line), "meta.date-from-items", format!("no meeting date in the header; {} from the items' decisions", d.iso())));
            (Some(d), Some(Source::Text))
        }
        (None, None) => match doc_date {
            Some(d) => {
                notes.push((Some(inp.line), "meta.date-from-document", format!("no meeting date printed; the document date {} is used", d.iso())));
                (Some(d), Some(Source::DocumentDate))
            }
            None => {
                notes.push((Some(inp.line), "meta.no-date", "no date in the text: the meeting date is unknown".into()));
                (None, None)
            }
        },
    }
}

/// The meeting's kind: decisions written in make minutes; otherwise the
/// header's word; metadata wins, and a disagreement is noted.
fn meeting_kind(inp: &MeetingInput, h: &Header, named_kind: Option<Kind>, decided_in_items: bool, ov: &Overrides, notes: &mut Notes) -> Option<Kind> {
    let raw = inp.raw;
    let has_decisions = raw.items.iter().any(|it| it.sections.iter().any(|(n, v)| n == "beslutning" && v.iter().any(|l| !l.trim().is_empty())));
    let text_kind = match (has_decisions || decided_in_items || agenda_approved(&raw.header) || agenda_approved(&raw.preamble), header_kind(&h.kind_words).or(named_kind)) {
        // Decisions written in make minutes, whatever the template's heading.
        (true, _) => Some(Kind::Referat),
        (false, Some(k)) => Some(k),
        // No kind named: an agenda's edition ("5. UDGAVE") or the word
        // itself in the header make it one.
        // Nor that: a list of items with their cases and no decision in
        // any is an agenda (minutes record what was decided).
        (false, None) => {
            let edition = raw.header.iter().any(|l| is_edition(&l.text) || l.text.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case("dagsorden")));
            (edition || !raw.items.is_empty()).then_some(Kind::Dagsorden)
        }
    };
    match (&ov.kind, text_kind) {
        (Some((k, src)), tk) => {
            if tk.is_some_and(|tk| tk != *k) {
                notes.push((Some(inp.line), "meta.kind-disagrees", format!("{} metadata says {}, the document reads as {}", source_name(*src), k.as_str(), tk.unwrap().as_str())));
            }
            Some(*k)
        }
        (None, tk) => tk,
    }
}

/// Who met, where, with which case: the header's fields.
struct People {
    place: Option<String>,
    participants: Vec<String>,
    absentees: Vec<String>,
    chair: Option<String>,
    secretary: Option<String>,
    case_number: Option<String>,
}

fn header_people(inp: &MeetingInput, h: &Header, ov: &Overrides) -> People {
    let raw = inp.raw;
    let place = ov.place.clone().or_else(|| {
        field(h, &["mødested", "sted"]).map(|v| v.join(" ")).or_else(|| {
            h.fields
                .iter()
                .find(|(n, v)| (n.starts_with("tid ") || n.starts_with("tid&")) && !v.is_empty())
                .map(|(_, v)| v.iter().filter(|l| dates::find_date(l).is_none()).cloned().collect::<Vec<_>>().join(", "))
                .filter(|s| !s.is_empty())
        })
    });
    let mut participants = people(field(h, &["mødedeltagere", "deltagere", "til stede", "fremmødte"]));
    let absentees = people(field(h, &["afbud", "fraværende"]));
    let chair = field(h, &["mødeleder", "formand"]).map(|v| v.join(" "));
    let mut secretary = field(h, &["referent", "sekretær"]).map(|v| v.join(" "));
    if secretary.is_none() {
        // "Navn, titel (sekretær)" in a list of participants.
        for l in &raw.header {
            if let Some(p) = l.text.find("(sekretær)").or_else(|| l.text.find("(referent)")) {
                let who = l.text[..p].split(',').next().unwrap_or("").trim().to_string();
                if !who.is_empty() {
                    secretary = Some(who.clone());
                    if !participants.contains(&who) {
                        participants.push(who);
                    }
                }
            }
        }
    }
    let case_number = field(h, &["sagsnr", "sagsnummer", "journalnr", "j. nr", "j.nr"]).map(|v| v.join(" ")).or_else(|| {
        inp.facts.iter().find_map(|f| if let Fact::CaseNumber(c) = f { Some(c.clone()) } else { None })
    });

    People { place, participants, absentees, chair, secretary, case_number }
}

/// An item of the model from a segmented one: its sections by name in
/// their order, its attachments, places and topics.
fn build_item(cfg: &Config, it: &crate::segment::RawItem, paged: bool) -> Item {
    // Ids are given per file, once all meetings are built (see assign_item_ids).
    let id = String::new();
    let mut sections = BTreeMap::new();
    let mut order = vec![];
    let mut attachments = vec![];
    for (name, lines) in &it.sections {
        if name == "bilag" {
            attachments.extend(attachment_list(lines));
        } else {
            attachments.extend(lines.iter().filter(|l| is_attachment_line(l)).map(|l| l.trim_start_matches("- ").to_string()));
        }
        let text = lines.join("\n");
        match sections.get_mut(name) {
            Some(existing) => {
                let e: &mut String = existing;
                if !text.is_empty() {
                    e.push('\n');
                    e.push_str(&text);
                }
            }
            None => {
                sections.insert(name.clone(), text);
                order.push(name.clone());
            }
        }
    }
    // The title, then every line of the sections, one a line.
    let body = it.sections.iter().flat_map(|s| s.1.iter());
    let mut full = String::with_capacity(it.title.len() + 1 + body.clone().map(|l| l.len() + 1).sum::<usize>());
    full.push_str(&it.title);
    full.push('\n');
    for (k, l) in body.enumerate() {
        if k > 0 {
            full.push('\n');
        }
        full.push_str(l);
    }
    let (munis, regions) = places(cfg, &full);
    let topics = topics(cfg, &it.title, &full);
    Item { id, number: it.number, title: it.title.clone(), municipalities: munis, regions, topics, sections, section_order: order, attachments,
        line: it.line,
        page: paged.then_some(it.pages.0),
        page_end: paged.then_some(it.pages.1),
        ocr: None,
    }
}

/// The kind a header's words name: minutes where one says so ("Referat
/// fra organisationsbestyrelsesmøde" over "Dagsorden:", the heading of
/// the items minuted), else the last named.
fn header_kind(words: &[Kind]) -> Option<Kind> {
    words.iter().find(|k| **k == Kind::Referat).or(words.last()).copied()
}

/// The header records the agenda's approval ("Godkendelse af dagsorden:" /
/// "Godkendt"): what minutes do.
fn agenda_approved(header: &[Line]) -> bool {
    // The words are ASCII: compared without a lower-cased copy of each line.
    let starts = |t: &str, p: &str| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    let field = |t: &str| {
        let t = t.trim_end_matches(':').trim();
        t.eq_ignore_ascii_case("godkendelse af dagsorden") || t.eq_ignore_ascii_case("godkendelse af dagsordenen")
    };
    header.windows(2).any(|w| field(&w[0].text) && starts(&w[1].text, "godkendt"))
        || header.iter().any(|l| starts(&l.text, "godkendelse af dagsorden: godkendt") || starts(&l.text, "godkendelse af dagsordenen: godkendt"))
}

/// An agenda's edition: "5. UDGAVE", "2. udgave".
fn is_edition(t: &str) -> bool {
    let t = t.trim().to_lowercase();
    t.strip_suffix("udgave").map(str::trim_end).and_then(|n| n.strip_suffix('.')).is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// A document's id: from its path in the archive alone, like item ids, so
/// the link to the original file survives every re-index.
pub fn document_id(relpath: &str) -> String {
    hash_id(&["document", relpath])
}

/// Gives every item of a file its stable id: the file's path relative to the
/// archive root, the number as printed, the title, and how many items of the
/// file before it have the same number and title. Other files do not enter
/// into it, so adding, removing or changing them leaves these ids unchanged.
pub fn assign_item_ids(relpath: &str, meetings: &mut [Meeting]) {
    let mut seen: BTreeMap<(u32, String), usize> = BTreeMap::new();
    for m in meetings {
        for it in &mut m.items {
            let key = (it.number, crate::config::match_key(&it.title));
            let dup = seen.entry(key.clone()).or_default();
            it.id = hash_id(&["item", relpath, &it.number.to_string(), &key.1, &dup.to_string()]);
            *dup += 1;
        }
    }
}

static ATTACHMENT: LazyLock<LinePattern> = LazyLock::new(|| LinePattern::new(r"^(?:- )?Bilag\s+\d+\s*[:.]\s*\S"));

fn is_attachment_line(l: &str) -> bool {
    ATTACHMENT.is_match(l)
}

/// An attachment list: one entry a line, a wrapped line (starting in lower
/// case) joined to the entry before it.
fn attachment_list(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for l in lines {
        let t = l.trim();
        let bullet = t.starts_with("- ");
        let t = t.trim_start_matches("- ").trim();
        if t.is_empty() {
            continue;
        }
        let cont = !bullet && t.chars().next().is_some_and(|c| c.is_lowercase()) && !t.starts_with("http") && !out.is_empty();
        if cont {
            let last = out.last_mut().unwrap();
            last.push(' ');
            last.push_str(t);
        } else {
            out.push(t.to_string());
        }
    }
    out
}

static HOSPITAL_WORDS: &[&str] = &["regionshospitalet", "regionshospital", "hospitalsenheden", "hospitalsenhed", "sygehus", "hospitalet", "psykiatrien", "høreklinikken", "universitetshospital"];

/// Municipalities an item names as actors, in configuration order.
pub fn municipalities(cfg: &Config, text: &str) -> Vec<String> {
    places(cfg, text).0
}

/// The municipalities a text names as actors and the regions it concerns,
/// each in configuration order, from one pass over the text: a region is
/// concerned where a municipality of it is named, or it is named itself
/// ("Region Syddanmark", "Region Nord") as a whole word.
pub fn places(cfg: &Config, text: &str) -> (Vec<String>, Vec<String>) {
    use crate::config::Place;
    let m = cfg.matchers();
    let mut munis = vec![false; cfg.municipalities.len()];
    let mut regions = vec![false; cfg.regions.len()];
    // Every form begins with a capital letter after a non-letter: each such
    // place is asked for the longest form that begins there.
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        let capital = b.is_ascii_uppercase() || b == 0xC3 && bytes.get(at + 1).is_some_and(|&n| (0x80..=0x9E).contains(&n));
        if !capital || at > 0 && text[..at].chars().next_back().is_some_and(char::is_alphanumeric) {
            at += 1;
            continue;
        }
        let input = aho_corasick::Input::new(text).range(at..).anchored(aho_corasick::Anchored::Yes);
        let Some(x) = m.places.find(input) else {
            at += 1;
            continue;
        };
        at = x.end();
        let (s, e) = (x.start(), x.end());
        match m.place_of[x.pattern().as_usize()] {
            Place::Municipality(i) => {
                if actor(cfg, i, text, s, e) {
                    munis[i] = true;
                    if let Some(r) = cfg.municipalities[i].region {
                        regions[r] = true;
                    }
                }
            }
            Place::Region(i) => {
                let glued = text[e..].chars().next().is_some_and(|c| c.is_alphanumeric() && c != 's');
                if !glued {
                    regions[i] = true;
                }
            }
        }
    }
    let names = |found: Vec<bool>, name: &dyn Fn(usize) -> String| found.into_iter().enumerate().filter(|(_, f)| *f).map(|(i, _)| name(i)).collect();
    (names(munis, &|i| cfg.municipalities[i].name.clone()), names(regions, &|i| cfg.regions[i].name.clone()))
}

/// Whether municipality `i`, found at `s..e` of `text` where a word begins,
/// is named there as an actor: a whole word (or its genitive), not inside
/// an address, a hospital's name or a cluster's, and followed by "Kommune"
/// where its name is also a common word.
fn actor(cfg: &Config, i: usize, text: &str, s: usize, mut e: usize) -> bool {
    if cfg.municipalities[i].only_as_kommune && !text[e..].trim_start_matches([' ', '\u{a0}']).starts_with("Kommune") {
        return false;
    }
    // The genitive: "Holstebro Kommunes" names Holstebro, and so does "Hernings".
    let mut after = text[e..].chars();
    match after.next() {
        Some('s') if !after.next().is_some_and(|c| c.is_alphanumeric()) => e += 1,
        Some(c) if c.is_alphanumeric() => return false,
        _ => {}
    }
    // The whitespace-delimited token around the match.
    let tok_start = text[..s].rfind(char::is_whitespace).map(|p| p + 1).unwrap_or(0);
    let tok_end = text[e..].find(char::is_whitespace).map(|p| e + p).unwrap_or(text.len());
    let tok = &text[tok_start..tok_end];
    if tok.contains('@') || tok.contains("://") || tok.contains("www.") || tok.to_lowercase().contains(".dk") {
        return false;
    }
    let prev_word = text[..tok_start].split_whitespace().last().unwrap_or("").to_lowercase();
    if HOSPITAL_WORDS.iter().any(|w| prev_word.trim_matches(|c: char| !c.is_alphanumeric()) == *w) {
        return false;
    }
    let next_word = text[e..].split_whitespace().next().unwrap_or("").to_lowercase();
    !(next_word.starts_with("klynge") || next_word.starts_with("universitetshospital"))
}

/// Hits of each topic's terms in `text` (lowercased): a term counts at the
/// start of a word, or anywhere inside a word when it has six letters or
/// more; each term counts at most `cap` times.
fn topic_hits(cfg: &Config, text: &str, cap: u32) -> Vec<u32> {
    let m = cfg.matchers();
    let mut per_term = vec![0u32; m.topic_of.len()];
    for x in m.topics.find_overlapping_iter(text) {
        let (_, _phrase, long) = m.topic_of[x.pattern().as_usize()];
        let at_word_start = !text[..x.start()].chars().next_back().is_some_and(|c| c.is_alphanumeric());
        if at_word_start || long {
            per_term[x.pattern().as_usize()] += 1;
        }
    }
    let mut out = vec![0u32; cfg.topics.len()];
    for (i, n) in per_term.into_iter().enumerate() {
        out[m.topic_of[i].0] += n.min(cap);
    }
    out
}

/// Lower case, with each run of white space one space: in one pass. A run
/// of ASCII with single spaces inside is copied whole and lowered in place;
/// only another character is decoded.
fn flat_lower(s: &str) -> String {
    // `char::is_whitespace` of an ASCII byte.
    let ascii_space = |b: u8| matches!(b, b' ' | b'\t'..=b'\r');
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if ascii_space(b) {
                i += 1;
                space = !out.is_empty();
                continue;
            }
            let mut end = i + 1;
            while let Some(&n) = bytes.get(end) {
                let one_space = n == b' ' && bytes.get(end + 1).is_some_and(|&m| m.is_ascii() && !ascii_space(m));
                if !n.is_ascii() || (ascii_space(n) && !one_space) {
                    break;
                }
                end += 1;
            }
            if space {
                out.push(' ');
                space = false;
            }
            let from = out.len();
            out.push_str(&s[i..end]);
            out[from..].make_ascii_lowercase();
            i = end;
            continue;
        }
        let Some(c) = s[i..].chars().next() else { break };
        i += c.len_utf8();
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Topics an item is about, best first.
pub fn topics(cfg: &Config, title: &str, full: &str) -> Vec<String> {
    let th = topic_hits(cfg, &flat_lower(title), 2);
    let bh = topic_hits(cfg, &flat_lower(full), 4);
    let mut scored: Vec<(u32, &str)> = vec![];
    for (i, t) in cfg.topics.iter().enumerate() {
        let s = cfg.topic_title_weight * th[i] + bh[i];
        if s >= cfg.topic_threshold {
            scored.push((s, &t.slug));
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let top = scored.first().map(|s| s.0).unwrap_or(0);
    scored.into_iter().filter(|s| s.0 * 10 >= top * 3).take(4).map(|s| s.1.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Taken byte by byte where it can be, the text is what lowering
        /// each character and flattening white space give.
        #[test]
        fn flat_lower_is_each_character_lowered_and_spaces_flattened(s in "([a-zA-Z0-9,.]{1,5}|[ ]{1,2}|[\t\n\x0b\x0c\r]|[æøåÆØÅÉİΣ]|[\u{a0}\u{2028}\u{3000}]|–){0,20}") {
            let mut want = String::new();
            for w in s.split_whitespace() {
                if !want.is_empty() {
                    want.push(' ');
                }
                want.extend(w.chars().flat_map(char::to_lowercase));
            }
            prop_assert_eq!(flat_lower(&s), want);
        }
    }

    #[test]
    fn municipalities_as_actors() {
        let cfg = Config::embedded();
        let m = municipalities(&cfg, "Holstebro Kommunes beskrivelse og RKSK' s proces; Herning.");
        assert_eq!(m, vec!["Herning", "Holstebro", "Ringkøbing-Skjern"]);
        assert!(municipalities(&cfg, "mail til sikkerpost@lemvig.dk og Regionshospitalet Randers").is_empty());
        assert!(municipalities(&cfg, "Randers Klyngen og www.aarhus.dk").is_empty());
        assert_eq!(municipalities(&cfg, "Borgere i Århus og Ikast-Brande"), vec!["Ikast-Brande", "Aarhus"]);
    }

    #[test]
    fn every_municipality_is_in_one_region() {
        let cfg = Config::embedded();
        assert_eq!(cfg.municipalities.len(), 98);
        assert_eq!(cfg.regions.len(), 5);
        assert!(cfg.municipalities.iter().all(|m| m.region.is_some()), "{:?}", cfg.municipalities.iter().find(|m| m.region.is_none()));
    }

    #[test]
    fn regions_of_municipalities_and_named() {
        let cfg = Config::embedded();
        let of = |t: &str| places(&cfg, t).1;
        assert_eq!(of("Odense Kommune og Holstebro"), ["Region Syddanmark", "Region Midtjylland"]);
        assert_eq!(of("Aftale med Region Hovedstadens akutberedskab"), ["Region Hovedstaden"]);
        assert_eq!(of("Region Nord og RSD"), ["Region Syddanmark", "Region Nordjylland"]);
        // A common word that is also a municipality's name counts only as
        // "<name> Kommune"; a short form inside a word is no mention.
        assert!(of("Vejen frem er et FIRMA i Regionshuset").is_empty());
        assert_eq!(municipalities(&cfg, "Vejen Kommunes borgere"), ["Vejen"]);
        assert_eq!(of("Vejen Kommunes borgere"), ["Region Syddanmark"]);
    }

    /// The committee a document names is the configured group that holds
    /// it, and a committee the configuration does not know is itself.
    #[test]
    fn a_named_committee_meets_the_configuration() {
        let cfg = Config::embedded();
        let group = |text: &str| crate::parse_bytes("a.txt", "a.txt", text.as_bytes(), &cfg, &Default::default()).meetings[0].head.group.clone();
        let items = "1. Rygestop\nBeslutning:\nAftalt.\n";
        assert_eq!(group(&format!("Møde i Klyngestyregruppen Horsensklyngen 10. marts 2021\n{items}")).as_deref(), Some("Klyngestyregruppen Horsensklyngen"));
        assert_eq!(group(&format!("Sundhedsudvalget - Referat - 25. oktober 2016\n{items}")).as_deref(), Some("Sundhedsudvalget"));
    }

    #[test]
    fn group_aliases_match_whole_words() {
        let cfg = Config::embedded();
        assert_eq!(group_in_line(&cfg, "Klyngestyregruppemøde RRA 20. juni 2019").unwrap().name, "Klyngestyregruppen Randersklyngen");
        assert_eq!(group_in_line(&cfg, "Implementeringsgruppen SundhedsIT og digitalearbejdsgange").unwrap().name, "Implementeringsgruppen Sundheds-IT og digitale arbejdsgange");
        assert!(group_in_line(&cfg, "det skulle gøres").is_none(), "'sku' inside 'skulle' is not SKU");
        let m = group_mentions(&cfg, "Møde i Fokusgruppen Sundhed for\nvoksne. Fokusgruppen Sundhed og voksne. Fokusgruppe Sundhed & Beskæftigelse.");
        assert_eq!(m[0].0.name, "Fokusgruppen Sundhed for voksne");
        assert_eq!(m[0].1, 2);
    }

    /// Compact as first written, a char at a time: the fast one must agree.
    fn compact_reference(s: &str) -> (String, Vec<bool>) {
        let mut text = String::new();
        let mut bounds = vec![];
        let mut prev_alnum = false;
        for c in s.chars() {
            if c == '&' {
                text.push_str("og");
                bounds.extend([true, false]);
                prev_alnum = false;
                continue;
            }
            if c.is_alphanumeric() {
                for lc in c.to_lowercase() {
                    let start = bounds.len();
                    text.push(lc);
                    bounds.resize(text.len(), false);
                    bounds[start] = !prev_alnum;
                }
                prev_alnum = true;
            } else {
                prev_alnum = false;
            }
        }
        bounds.push(true);
        (text, bounds)
    }

    #[test]
    fn compact_keeps_letters_and_digits_lower_cased_with_word_starts() {
        for s in ["", "Fokusgruppen Sundhed & Beskæftigelse", "İSTANBUL-møde 2.0", "ÆØÅ æøå ﬁnd", "a&b  &&", "Σ ΣΟΦΊΑΣ\u{a0}x", "x\u{301}y ½ 3²"] {
            let c = Compact::new(s);
            assert_eq!((c.text.clone(), c.bounds.clone()), compact_reference(s), "{s:?}");
        }
    }

    #[test]
    fn flat_lower_is_the_words_lower_cased_one_space_apart() {
        for s in ["  Ab\t\n CD  e ", "", " \n ", "Ærø\u{a0}ÅEN", "ÉN  ΣΟΦΊΑΣ", "a\x0bB\x0cc\u{85}D\u{2028}e\u{3000}", "x\u{1}Y\u{7f}z İ", "Iv-Behandling, 2. Møde!  "] {
            let words: Vec<String> = s.split_whitespace().map(str::to_lowercase).collect();
            // A final sigma is the one letter lower-cased apart from its word.
            let want = words.join(" ").replace('ς', "σ");
            assert_eq!(flat_lower(s), want, "{s:?}");
        }
    }

    #[test]
    fn topics_from_title_and_text() {
        let cfg = Config::embedded();
        let t = topics(&cfg, "Opfølgning på samarbejdsaftalen vedr. rygestopindsatsen", "henvisninger til rygestop og rygestopforløb");
        assert!(t.contains(&"rygestop".to_string()), "{t:?}");
        assert!(!t.contains(&"hoereomraadet".to_string()));
    }
}
