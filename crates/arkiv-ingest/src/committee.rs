//! The committee a document names as its own, and the kind of document it
//! says it is: read from the meeting's header as publishers print it, not
//! from a list of known groups. The cues, strongest first:
//!
//! - a field: "Udvalg: Ældrerådet", "Mødeforum: ...", or the field's name
//!   alone on its line with the value on the next ("UDVALG" / "Udvalget for
//!   Ældre og Sundhed");
//! - a title line of parts: "Sundhedsudvalget - Referat - 25. oktober
//!   2016", "Forebyggelses- og Seniorudvalget (2018-2021) – Referat – 12.
//!   januar 2021", "Socialudvalget - 11-01-2021", "Handicaprådet - Referat";
//! - a meeting named with its date or as a meeting: "Sundheds- og
//!   Kulturudvalget 25. november 2020", "Møde i regionsrådet den 22. marts
//!   2022", "mødet i Hospitalsudvalget", "Referat fra Ældrerådsmøde";
//! - a line that is a body's name alone: "Handicaprådet".
//!
//! Where the header names none, the items may: a decision line
//! ("Sundheds- og Omsorgsudvalget, 03-03-2016, pkt. 15") or "dagens møde i
//! Social- og Sundhedsudvalget".
//!
//! A name is cleaned of an election period ("(2018-2021)"), and a meeting
//! named by its body ("Ældrerådsmøde") gives the body ("Ældrerådet").

use crate::clean::Line;
use crate::dates::Date;
use crate::Kind;
use regex::Regex;
use std::sync::LazyLock;

/// The cue of a decision that names its committee ("Beslutning i Byrådet
/// den ..."): where the items give the committee by it, they are minutes.
pub const DECISION_CUE: &str = "decision with its committee";

/// A word that ends in the name of a body that meets ("Sundhedsudvalget",
/// "Handicaprådet", "Styregruppen").
static BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(udvalg|udvalget|råd|rådet|forum|forummet|gruppe|gruppen|komité|komiteen|komitéen|bestyrelse|bestyrelsen|kommission|kommissionen|nævn|nævnet)$").unwrap()
});
/// A field that names the committee, with its value on the line or alone.
static FIELD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?i:udvalg|mødeforum|forum|organ)\s*(?::\s*(.*))?$").unwrap());
/// A field inside a line, as text flattened from a PDF prints a header's
/// fields one after the other: "Dagsorden. Forum: Handicaprådet Tid: 14.
/// marts 2018".
static INLINE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?i:udvalg|mødeforum|forum)\s*:\s*(\S.*?)\s*(?:\b(?i:tid|dato|mødedato|sted|mødested|deltagere|afbud)\s*:|$)").unwrap()
});
/// A kind and its preposition before a name: "Dagsorden til
/// kommunalbestyrelsen", "Referat byrådet", "Beslutning i Byrådet",
/// "Mødereferat for Psykiatrirådet".
static KIND_BEFORE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?i:(?:møde)?(?:dagsorden|referat|beslutningsprotokol)|beslutning)\.?(?:\s+(?i:til|for|fra|af|i))?\s+").unwrap());
/// An election period after a name: "(2018-2021)", "2018-2021", "(18-21)".
static PERIOD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s*(?:\(?\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\)?|\(\d{2}\s*[-–]\s*\d{2}\))\s*$").unwrap());
/// A title line's parts: " - ", " – ", " — ".
static PARTS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+[-–—]\s+").unwrap());
/// What comes before a meeting's name: "Møde i", "Referat fra møde i",
/// "Dagsorden for", "Mødereferat for", "mødet i", "til mødet i".
static MEETING_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:(?:(?:dagsorden|referat|beslutningsprotokol)\s+(?:for|fra|til|af)\s+)?(?:til\s+)?(?:mødet|møde)\s+i\s+|(?:møde)?(?:dagsorden|referat|beslutningsprotokol)\s+(?:for|fra)\s+)").unwrap()
});
/// A decision line in an item: "<committee>, 03-03-2016, pkt. 15".
static DECISION_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\S.{2,80}?),\s+\d{1,2}-\d{1,2}-\d{4},\s+(?i:pkt)\.?\s*\d+\s*$").unwrap());
/// "Beslutning i <committee> den", "Beslutninger <committee> den" (as a
/// meeting system heads an item's decision).
static DECIDED_IN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(?i:beslutning(?:er)?)\s+(?:(?i:i|fra)\s+)?(\p{Lu}.{2,120})").unwrap());
/// "den" (or the date itself) after a committee's name and its election
/// period.
static DEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^([^:;.]{3,100}?)\s(?:(?i:den|d\.)(?:\s|$)|\d)").unwrap());
/// "<committee>s beslutning i mødet den <date>", "<committee>s møde den
/// <date>:" (over the decision, as Word exports of a meeting system print it).
static DECIDED_BY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\S.{2,100}?)\s+(?:(?i:beslutning)\s+(?:i|på)\s+(?i:mødet)|møde)\s+(?i:den|d\.)\s+(.*)$").unwrap());
/// An authority's name before its body's: "Egebjerg Kommune", "Region
/// Syddanmark".
static AUTHORITY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:\p{Lu}[\p{L}-]+\s+(?i:kommune)|(?i:region)\s+\p{Lu}[\p{L}-]+)[.,]?\s+").unwrap());
/// Whether `s` is an authority's name and nothing more ("Tønder Kommune").
fn is_authority(s: &str) -> bool {
    let s = format!("{} ", s.trim());
    AUTHORITY.find(&s).is_some_and(|m| m.end() == s.len())
}

/// "<committee>s møde den": a meeting named by whose it is.
static GENITIVE_MEETING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\p{Lu}[^:;,.]{2,60}?)(?:'s|’s|s)\s+møde\s+(?:den|d\.)\s").unwrap());
/// "dagens møde i <committee>" inside an item's text.
static TODAYS_MEETING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i:dagens møde i)\s+(\S[^.,;:]{2,80})").unwrap());

/// What a document says of itself: its committee, and its kind where a
/// title line names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub name: String,
    pub kind: Option<Kind>,
    /// The cue that gave the name, for `arkiv parse --explain`.
    pub cue: &'static str,
}

/// The kind a word names: dagsorden, referat (also beslutningsprotokol,
/// mødereferat).
pub fn kind_word(w: &str) -> Option<Kind> {
    Kind::parse(w.trim().trim_end_matches(':'))
}

/// A line that may name a body: it holds one of the words bodies are
/// named by. Asked first of each line, so that most lines are passed over
/// in one scan.
static MAY_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)udvalg|råd|forum|gruppe|komit|bestyrelse|kommission|nævn|møde").unwrap());

/// How far into a header a committee is looked for: publishers print it
/// at the top, and a long header is a page's text before its first item.
const HEADER_LINES: usize = 60;

/// The committee a meeting's header names, by the strongest cue.
pub fn from_header(header: &[Line]) -> Option<Named> {
    let texts: Vec<&str> = header.iter().take(HEADER_LINES).map(|l| l.text.as_str()).collect();
    let named: Vec<&str> = texts.iter().copied().filter(|t| MAY_NAME.is_match(t)).collect();
    field(&texts).or_else(|| title_line(&texts)).or_else(|| dated_or_meeting(&named)).or_else(|| alone(&named)).or_else(|| todays_meeting(&named))
}

/// "dagens møde i <committee>" in a line.
fn todays_meeting(texts: &[&str]) -> Option<Named> {
    texts.iter().filter(|t| t.contains("agens møde")).find_map(|t| {
        let c = TODAYS_MEETING.captures(t)?;
        body_prefix(&c[1]).map(|name| Named { name, kind: None, cue: "dagens møde i" })
    })
}

/// The committee the items name, where the header names none, with the
/// date of the meeting where the cue gives one. The cues: a decision with
/// its committee and date ("Beslutning i Byrådet (18-21) den 01-10-2018",
/// "Økonomiudvalgets beslutning i mødet den 31. marts 2020",
/// "BESLUTNING I KOMMUNALBESTYRELSEN DEN"), a decision line
/// ("Sundheds- og Omsorgsudvalget, 03-03-2016, pkt. 15"), and the meeting
/// itself ("dagens møde i Social- og Sundhedsudvalget", "Mødet i
/// Sundheds- og Omsorgsudvalget begyndte kl. 14:30").
///
/// An item quotes the decisions of the committees that saw its case
/// before this one ("Beslutning i Økonomiudvalget den 24-09-2018" above
/// "Beslutning i Byrådet den 01-10-2018"): the latest dated decision is
/// this meeting's. Without dates, the committee the cues name most.
pub fn from_items<'a>(lines: impl Iterator<Item = &'a str>) -> Option<(Named, Option<Date>)> {
    let mut dated: Vec<(Date, Named)> = vec![];
    let mut undated: Vec<Named> = vec![];
    // A cue's committee, with the full date that follows it where one does.
    let mut file = |named: Named, after: &str| match crate::dates::find_date(after).and_then(|d| d.full()) {
        Some(d) => dated.push((d, named)),
        None => undated.push(named),
    };
    for t in lines {
        // Most lines hold no cue's words: passed over without a regex.
        let decision_line = t.contains("pkt") || t.contains("Pkt") || t.contains("PKT");
        let decided = t.contains("eslutning") || t.contains("ESLUTNING") || t.contains("s møde ");
        let meeting = t.contains("agens møde") || t.starts_with("Mødet i ");
        if !decision_line && !decided && !meeting {
            continue;
        }
        if decision_line {
            if let Some(c) = DECISION_LINE.captures(t) {
                if let Some(name) = clean(&c[1]).filter(|n| is_body(n)) {
                    file(Named { name, kind: None, cue: "decision line" }, &t[c.get(1).unwrap().end()..]);
                }
            }
        }
        if decided {
            for (name, after) in decisions_in(t) {
                file(Named { name, kind: None, cue: DECISION_CUE }, after);
            }
        }
        if meeting {
            if let Some(n) = todays_meeting(&[t]).or_else(|| t.strip_prefix("Mødet i ").and_then(body_prefix).map(|name| Named { name, kind: None, cue: "mødet i" })) {
                file(n, "");
            }
        }
    }
    // The latest date; of two on one day, the one named last.
    if let Some(k) = (0..dated.len()).max_by_key(|&k| (dated[k].0, k)) {
        let (d, n) = dated.swap_remove(k);
        return Some((n, Some(d)));
    }
    let count = |n: &Named| undated.iter().filter(|m| m.name == n.name).count();
    let best = (0..undated.len()).max_by_key(|&k| (count(&undated[k]), std::cmp::Reverse(k)))?;
    Some((undated.swap_remove(best), None))
}

/// A decision's committee in a line, and the text after its name (where
/// its date is): "Beslutning i Økonomiudvalget den 17-11-2014",
/// "Beslutninger Sundheds-, Idræts- og Fritidsudvalget den", "Byrådets
/// beslutning i mødet den 3. marts 2020".
fn decisions_in(t: &str) -> Vec<(String, &str)> {
    let mut out = vec![];
    for c in DECIDED_IN.captures_iter(t) {
        let rest = c.get(1).unwrap();
        if let Some(name) = body_prefix(rest.as_str()) {
            // The name is followed by its date ("den ..."), possibly after an
            // election period: only then is it a decision's heading.
            if let Some(den) = DEN.captures(rest.as_str()) {
                out.push((name, &t[rest.start() + den.get(1).unwrap().end()..]));
            }
        }
    }
    if let Some(c) = DECIDED_BY.captures(t) {
        if let Some(name) = body_prefix(&c[1]) {
            out.push((name, c.get(2).map_or("", |m| m.as_str())));
        }
    }
    out
}

fn field(texts: &[&str]) -> Option<Named> {
    for (k, t) in texts.iter().enumerate() {
        if !t.starts_with(['u', 'U', 'm', 'M', 'f', 'F', 'o', 'O']) {
            continue;
        }
        let Some(c) = FIELD.captures(t) else { continue };
        let value = match c.get(1).map(|v| v.as_str().trim()) {
            Some(v) if !v.is_empty() => v,
            // The field's name alone ("UDVALG", "Udvalg:"): the next line,
            // unless it is another field.
            _ => match texts.get(k + 1) {
                Some(n) if !n.contains(':') && !FIELD.is_match(n) => n,
                _ => continue,
            },
        };
        if let Some(name) = clean(value) {
            return Some(Named { name, kind: None, cue: "field" });
        }
    }
    // The fields run together on one line.
    texts.iter().filter(|t| t.contains(':') && MAY_NAME.is_match(t)).find_map(|t| {
        let c = INLINE_FIELD.captures(t)?;
        clean(&c[1]).map(|name| Named { name, kind: None, cue: "field in a line" })
    })
}

fn title_line(texts: &[&str]) -> Option<Named> {
    for t in texts {
        if !(t.contains(" - ") || t.contains(" – ") || t.contains(" — ")) {
            continue;
        }
        let parts: Vec<&str> = PARTS.split(t).collect();
        if parts.len() < 2 || t.chars().count() > 160 {
            continue;
        }
        // "Referat - Børne- og Undervisningsudvalget den 9. november 2015":
        // the kind first, then the body with its date.
        if let Some(k) = kind_word(parts[0].trim()).filter(|_| parts[0].split_whitespace().count() == 1) {
            if let Some(name) = body_prefix(parts[1]) {
                return Some(Named { name, kind: Some(k), cue: "title line" });
            }
        }
        // "Tønder Kommune – Kommunalbestyrelsen": the authority, then its body.
        if is_authority(parts[0]) {
            if let Some(name) = clean(parts[1]).filter(|n| is_body(n)) {
                return Some(Named { name, kind: parts.get(2).and_then(|p| kind_word(p.trim())), cue: "title line" });
            }
        }
        let rest = &parts[1..];
        let kind = rest.iter().find_map(|p| kind_word(p.split_whitespace().next().unwrap_or("")));
        let dated = rest.iter().any(|p| crate::dates::find_date(p).is_some());
        if kind.is_none() && !dated {
            continue;
        }
        if let Some(name) = clean(parts[0]).filter(|n| kind.is_some() || is_body(n)) {
            return Some(Named { name, kind, cue: "title line" });
        }
    }
    None
}

fn dated_or_meeting(texts: &[&str]) -> Option<Named> {
    // A web page's breadcrumbs ("Hjem Politik Byråd og udvalg ...") name
    // the site's sections, not the meeting's body.
    for t in texts.iter().filter(|t| !t.starts_with("Hjem ") && !t.starts_with("Forside ")) {
        // "Social og sundheds møde den 17. april 2023": a committee named by
        // its field, whose meeting this is, with the date after it.
        if let Some(c) = GENITIVE_MEETING.captures(t) {
            if crate::dates::find_date(&t[c.get(0).unwrap().end()..]).is_some() {
                if let Some(name) = clean(&c[1]) {
                    return Some(Named { name, kind: None, cue: "a body's meeting and date" });
                }
            }
        }
        let (rest, as_meeting) = match MEETING_OF.find(t) {
            Some(m) => (&t[m.end()..], true),
            None => (*t, false),
        };
        // A name with a date after it, or a meeting's.
        let Some(name) = body_prefix(rest) else { continue };
        // "Udsatterådets møde tirsdag ...", "Forretningsudvalgets 3. møde".
        let a_meeting = rest.split_whitespace().take(4).any(|w| w.to_lowercase().trim_end_matches([',', '.']).ends_with("møde"));
        if as_meeting || a_meeting || crate::dates::find_date(rest).is_some() {
            let kind = kind_word(t.split_whitespace().next().unwrap_or(""));
            return Some(Named { name, kind, cue: if as_meeting { "møde i" } else { "name and date" } });
        }
    }
    None
}

fn alone(texts: &[&str]) -> Option<Named> {
    texts.iter().find_map(|t| {
        // The authority and the kind around the name: "Egebjerg Kommune
        // Kommunalbestyrelsen Referat".
        let (t, kind_after) = match t.rsplit_once(' ').and_then(|(a, k)| kind_word(k).map(|k| (a, k))) {
            Some((a, k)) => (a, Some(k)),
            None => (*t, None),
        };
        let t = AUTHORITY.find(t).map_or(t, |m| &t[m.end()..]);
        let plain = t.len() <= 120 && t.chars().count() <= 60 && !t.chars().any(|c| c.is_ascii_digit() || c == ':') && t.chars().next().is_some_and(char::is_uppercase);
        if !plain || t.split_whitespace().count() > 6 || !is_body(t) {
            return None;
        }
        let kind = kind_word(t.split_whitespace().next().unwrap_or("")).or(kind_after);
        clean(t).filter(|n| is_body(n)).map(|name| Named { name, kind, cue: "name alone" })
    })
}

/// The name of a body at the start of `s`, among the words before a date, a
/// weekday, "den", "d." or a comma: up to its last word that names a body
/// ("Aarhus Byråd 'live'" is "Aarhus Byråd"), or where a body is named by
/// what it is for ("Udvalget for sundhed for alle"), all of them. The words
/// are looked at without copies; most lines name no body and are left.
fn body_prefix(s: &str) -> Option<String> {
    const STOPS: &[&str] = &["den", "d.", "kl.", "kl", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"];
    let mut end = None;
    let mut words = s.split_whitespace();
    let body_for = words.next().is_some_and(|w| BODY.is_match(w)) && words.next().is_some_and(|w| w.eq_ignore_ascii_case("for"));
    for (n, w) in s.split_whitespace().enumerate() {
        let bare = w.trim_end_matches(',');
        let stop = w.starts_with(|c: char| c.is_ascii_digit()) || STOPS.iter().any(|s| s.len() == bare.len() && s.chars().eq(bare.chars().flat_map(char::to_lowercase)));
        if stop {
            break;
        }
        let word = bare.trim_matches(|c: char| !c.is_alphanumeric());
        if body_for || BODY.is_match(word) || word.ends_with("møde") || genitive(word).is_some() {
            end = Some(w.as_ptr() as usize - s.as_ptr() as usize + w.len());
        }
        if w.ends_with(',') || n >= 10 {
            break;
        }
    }
    let name = clean(&s[..end?])?;
    (body_for || is_body(&name)).then_some(name)
}

/// Whether a name ends in a body that meets (or in a meeting of one).
fn is_body(name: &str) -> bool {
    name.split_whitespace().last().is_some_and(|w| BODY.is_match(w.trim_matches(|c: char| !c.is_alphanumeric())))
}

/// A name as the group: without an election period or trailing marks, a
/// meeting of a body as the body ("Ældrerådsmøde" → "Ældrerådet"), with a
/// capital first letter. None where too short or too long to be a name.
fn clean(s: &str) -> Option<String> {
    let s = s.trim();
    let s = KIND_BEFORE.find(s).map_or(s, |m| &s[m.end()..]);
    let s = PERIOD.replace(s, "");
    let s = s.trim().trim_end_matches([',', '.', ':', ';', '-', '–']).trim();
    let mut words: Vec<String> = s.split_whitespace().map(str::to_string).collect();
    // A body's meeting in the genitive: "Udsatterådets møde", "Byrådet's
    // møde", "Forretningsudvalgets" (before "3. møde"): the body.
    if words.len() >= 2 && words.last().is_some_and(|w| w.eq_ignore_ascii_case("møde")) && words.get(words.len() - 2).is_some_and(|w| genitive(w).is_some()) {
        words.pop();
    }
    if let Some(body) = words.last().and_then(|w| genitive(w)) {
        *words.last_mut().unwrap() = body.to_string();
    }
    if let Some(last) = words.last_mut() {
        if let Some(body) = last.strip_suffix("smøde").or_else(|| last.strip_suffix("møde")) {
            if BODY.is_match(body) {
                *last = definite(body);
            }
        }
    }
    // A sentence before the name ("Der afholdes ordinært menighedsrådet"):
    // where the name ends in its body, the words up to the last lower-case
    // word that is neither a body nor a joining word are not the name's.
    if words.len() >= 2 && words.last().is_some_and(|w| BODY.is_match(w.trim_matches(|c: char| !c.is_alphanumeric()))) {
        let joining = ["og", "for", "i", "af", "til", "med", "under", "-", "–", "&"];
        let last = words.len() - 1;
        if let Some(k) = (0..last).rev().find(|&k| {
            let w = words[k].trim_matches(|c: char| !c.is_alphanumeric());
            w.starts_with(char::is_lowercase) && !joining.contains(&w) && !BODY.is_match(w) && genitive(w).is_none()
        }) {
            words.drain(..=k);
        }
    }
    let mut name = words.join(" ");
    // A name set in capitals ("BESLUTNING I KOMMUNALBESTYRELSEN") as
    // written: the first letter capital.
    if name.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
        name = name.to_lowercase();
    }
    let n = name.chars().count();
    if !(3..=100).contains(&n) || !name.chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    // A web page's breadcrumbs run together ("ForsidepilPolitikpil...").
    let humps = name.chars().zip(name.chars().skip(1)).filter(|(a, b)| a.is_lowercase() && b.is_uppercase()).count();
    if humps >= 2 {
        return None;
    }
    let mut c = name.chars();
    Some(c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default())
}

/// A body's name in the genitive, as the name: "Forretningsudvalgets" →
/// "Forretningsudvalget", "Byrådet's" → "Byrådet".
fn genitive(word: &str) -> Option<&str> {
    let body = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).or_else(|| word.strip_suffix('s'))?;
    (BODY.is_match(body) && body.chars().count() > 3).then_some(body)
}

/// The definite form of a body's name: "Ældreråd" → "Ældrerådet",
/// "Styregruppe" → "Styregruppen".
fn definite(body: &str) -> String {
    if body.ends_with('e') {
        format!("{body}n")
    } else if body.ends_with("et") || body.ends_with("en") {
        body.to_string()
    } else {
        format!("{body}et")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::split_lines;

    fn named(text: &str) -> Option<(String, Option<Kind>)> {
        from_header(&split_lines(text)).map(|n| (n.name, n.kind))
    }

    #[test]
    fn committees_as_publishers_print_them() {
        let r = |s: &str| Some((s.to_string(), Some(Kind::Referat)));
        assert_eq!(named("Gå til indhold\nSundhedsudvalget - Referat - 25. oktober 2016\nMødedato\n25-10-2016"), r("Sundhedsudvalget"));
        assert_eq!(named("ForsidepilPolitikpilReferater 2016pilSundhedsudvalget - Referat - 25. oktober 2016\nSundhedsudvalget - Referat - 25. oktober 2016"), r("Sundhedsudvalget"));
        assert_eq!(named("Forebyggelses- og Seniorudvalget (2018-2021) – Referat – 12. januar 2021"), r("Forebyggelses- og Seniorudvalget"));
        assert_eq!(named("Handicaprådet - Referat\nDato: 27. oktober 2020"), r("Handicaprådet"));
        assert_eq!(named("Accepter cookies\nReferat - Børne- og Undervisningsudvalget den 9. november 2015"), r("Børne- og Undervisningsudvalget"));
        assert_eq!(named("Socialudvalget - 11-01-2021\nReferat"), Some(("Socialudvalget".into(), None)));
        assert_eq!(named("UDVALG\nUdvalget for Ældre og Sundhed\nMØDE\nReferat"), Some(("Udvalget for Ældre og Sundhed".into(), None)));
        assert_eq!(named("Vælg dit udvalg herunder:\nUdvalg: Udvalget for sundhed, kultur og fritid\nMødedato: 20-08-2019"), Some(("Udvalget for sundhed, kultur og fritid".into(), None)));
        assert_eq!(named("Sundheds- og Kulturudvalget 25. november 2020"), Some(("Sundheds- og Kulturudvalget".into(), None)));
        assert_eq!(named("Møde i regionsrådet den 22. marts 2022"), Some(("Regionsrådet".into(), None)));
        assert_eq!(named("Referat\ntil\nmødet i Hospitalsudvalget\nden 11. juni 2019"), Some(("Hospitalsudvalget".into(), None)));
        assert_eq!(named("Referat fra Ældrerådsmøde Tirsdag den 28. februar 2017"), r("Ældrerådet"));
        assert_eq!(named("Forebyggelsesudvalget\nPubliceret 11-08-2016"), Some(("Forebyggelsesudvalget".into(), None)));
        assert_eq!(named("Dagsorden. Forum: Handicaprådet Tid: 14. marts 2018, kl Sted: Mødelokale 915"), Some(("Handicaprådet".into(), None)));
        assert_eq!(named("Dagsorden til kommunalbestyrelsen\n28. maj"), Some(("Kommunalbestyrelsen".into(), Some(Kind::Dagsorden))));
        assert_eq!(named("Udvalg: Byrådet (18-21)"), Some(("Byrådet".into(), None)));
        assert_eq!(named("Frederikssund Kommunes logo\nSocial og sundheds møde den 17. april 2023"), Some(("Social og sundhed".into(), None)));
        assert_eq!(named("Dagsorden 1.2.0 - Tønder Kommune\nTønder Kommune – Kommunalbestyrelsen\nDagsorden"), Some(("Kommunalbestyrelsen".into(), None)));
        assert_eq!(named("Hjem Politik Byråd og udvalg Andre udvalg, råd og nævn Referat af Seniorrådsmøde 29. maj 2024\nReferat af Seniorrådsmøde 29. maj 2024"), Some(("Seniorrådet".into(), Some(Kind::Referat))));
        assert_eq!(named("Der afholdes ordinært menighedsrådsmøde onsdag den 26. september 2018"), Some(("Menighedsrådet".into(), None)));
        assert_eq!(named("Egebjerg Kommune Kommunalbestyrelsen Referat\nDato:"), Some(("Kommunalbestyrelsen".into(), Some(Kind::Referat))));
        assert_eq!(named("Egebjerg Kommune. Kommunalbestyrelsen. Referat"), Some(("Kommunalbestyrelsen".into(), Some(Kind::Referat))));
        assert_eq!(named("Mødereferat for Psykiatrirådet den 23. februar 2023."), Some(("Psykiatrirådet".into(), Some(Kind::Referat))));
        assert_eq!(named("Referat for Udsatterådets møde tirsdag 12. januar 2016 kl. 15.00"), Some(("Udsatterådet".into(), Some(Kind::Referat))));
        assert_eq!(named("Referat Byrådet's møde Tirsdag den Kl. 17:00 Byrådssalen"), Some(("Byrådet".into(), Some(Kind::Referat))));
        assert_eq!(named("Regionsældreråd Hovedstaden\nForretningsudvalgets 3. møde i 2012 torsdag den 23. august kl. 12,30-14,00"), Some(("Forretningsudvalget".into(), None)));
        assert_eq!(named("Her kan du følge dagens møde i Aarhus Byråd 'live'"), Some(("Aarhus Byråd".into(), None)));
        // Not committees: a page's heading, a sentence, an item.
        assert_eq!(named("Dagsordener og referater\nHer kan du se dagsordener og referater fra møder i udvalgene i Vejen Kommune."), None);
    }

    #[test]
    fn committees_the_items_name() {
        let lines = ["Sagsnr. 249050", "Sundheds- og Omsorgsudvalget, 03-03-2016, pkt. 15", "Godkendt."];
        assert_eq!(from_items(lines.into_iter()).map(|n| n.0.name), Some("Sundheds- og Omsorgsudvalget".into()));
        let lines = ["Godkendelse af dagsorden til dagens møde i Social- og Sundhedsudvalget."];
        assert_eq!(from_items(lines.into_iter()).map(|n| n.0.name), Some("Social- og Sundhedsudvalget".into()));
        // A case's earlier decisions come first; the latest is this meeting's.
        let lines = ["Sagsnr.: 326-2010-57347", "Integrationsudvalgets møde den 12. december 2011:", "Udvalgsformanden oplyste ..."];
        let (n, d) = from_items(lines.into_iter()).unwrap();
        assert_eq!((n.name.as_str(), d.map(|d| d.iso())), ("Integrationsudvalget", Some("2011-12-12".into())));
        let lines = ["Til efterretning.", "Beslutning i Erhvervs- og Udviklingsudvalget 4. oktober 2021:", "Til efterretning."];
        let (n, d) = from_items(lines.into_iter()).unwrap();
        assert_eq!((n.name.as_str(), d.map(|d| d.iso())), ("Erhvervs- og Udviklingsudvalget", Some("2021-10-04".into())));
        let lines = ["Beslutning i Økonomiudvalget den 24-09-2018", "Anbefales.", "Beslutning i Byrådet (18-21) den 01-10-2018", "Godkendt."];
        let (n, d) = from_items(lines.into_iter()).unwrap();
        assert_eq!((n.name.as_str(), d.map(|d| d.iso())), ("Byrådet", Some("2018-10-01".into())));
        let lines = ["Dagsordenspunkt 1: Godkendelse af dagsorden", "Økonomiudvalgets beslutning i mødet den 31. marts 2020", "Mødet startede kl. 15.30."];
        let (n, d) = from_items(lines.into_iter()).unwrap();
        assert_eq!((n.name.as_str(), d.map(|d| d.iso())), ("Økonomiudvalget", Some("2020-03-31".into())));
        // Undated: in capitals, as a flattened PDF prints it; the meeting itself.
        let lines = ["Sagsnr.: 14/10674 BESLUTNING I KOMMUNALBESTYRELSEN DEN Godkendt. 2"];
        assert_eq!(from_items(lines.into_iter()).map(|n| n.0.name), Some("Kommunalbestyrelsen".into()));
        let lines = ["Inden mødet holdt professoren et oplæg for Sundheds- og Omsorgsudvalget.", "Mødet i Sundheds- og Omsorgsudvalget begyndte kl. 14:30."];
        assert_eq!(from_items(lines.into_iter()).map(|n| n.0.name), Some("Sundheds- og Omsorgsudvalget".into()));
        // Not a decision's heading: a decision named in a sentence.
        let lines = ["Beslutningen om budgettet blev truffet i Byrådet."];
        assert_eq!(from_items(lines.into_iter()), None);
    }
}
