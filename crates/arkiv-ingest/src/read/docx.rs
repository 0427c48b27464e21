//! Word (.docx) to text: the document's paragraphs in order, one a line,
//! with the list numbers Word keeps as numbering ("1.", "2." are not in the
//! text) written in front, as they print. Table rows are lines with their
//! cells separated by tabs ([`super::layout`]).
//!
//! The page headers and footers come first, each different text once: a
//! secretariat's template puts the group, the kind and the date there, and
//! they are the meeting's facts, before its first item and in none. The
//! footnotes and endnotes come last. A header or footer printed on every
//! page is written once, so it is never page furniture in the text. Page numbers are not known for a Word
//! file (the layout is the word processor's), so items from one have none.
//!
//! The zip is read with `zip` and the XML streamed with `quick-xml`, so
//! memory follows the text, not the size of the XML; the text is bounded.

use super::layout::Lines;
use super::package::attr;
use super::{Extracted, ReadError};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek};

fn damaged(detail: impl Into<String>) -> ReadError {
    ReadError::Damaged { format: "Word".into(), detail: detail.into() }
}

/// Reads a .docx file's text, at most `max_text` bytes of it.
pub fn read(bytes: &[u8], max_text: usize) -> Result<Extracted, ReadError> {
    if !bytes.starts_with(b"PK\x03\x04") {
        let found = super::pdf::sniff(bytes);
        let found = if found == "an old Office file (.doc/.xls)" { "an old Office file (.doc) or a password-protected one" } else { found };
        return Err(ReadError::WrongContent { expected: "Word (.docx)".into(), found: found.into() });
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| damaged(format!("not a readable zip archive: {e}")))?;
    let numbering = match part(&mut zip, "word/numbering.xml")? {
        Some(r) => Numbering::parse(r)?,
        None => Numbering::default(),
    };
    let style_numbers = match part(&mut zip, "word/styles.xml")? {
        Some(r) => style_numbering(r)?,
        None => HashMap::new(),
    };
    let mut counters = Counters::default();
    let mut lines = Lines::new(max_text);
    let style = Parts { numbering: &numbering, styles: &style_numbers };
    // Headers, then footers, before the body; notes after it.
    let mut seen = std::collections::HashSet::new();
    let mut edges = numbered_parts(&zip, "word/header");
    edges.extend(numbered_parts(&zip, "word/footer"));
    for name in &edges {
        append_once(&mut zip, name, &style, &mut counters, &mut seen, &mut lines)?;
    }
    let Some(doc) = part(&mut zip, "word/document.xml")? else {
        return Err(damaged("it has no word/document.xml"));
    };
    part_text(doc, "word/document.xml", &style, &mut counters, &mut lines)?;
    for name in ["word/footnotes.xml", "word/endnotes.xml"] {
        append_once(&mut zip, name, &style, &mut counters, &mut seen, &mut lines)?;
    }
    Ok(Extracted { text: lines.finish()?, pages: None, engine: super::Engine::Docx, notes: vec![], textless: vec![], ocr: vec![] })
}

/// A header, footer or the notes, written where the package has the part
/// and its text is not one already written (a header repeated for the
/// first page, say).
fn append_once<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str, style: &Parts, counters: &mut Counters, seen: &mut std::collections::HashSet<String>, lines: &mut Lines) -> Result<(), ReadError> {
    if let Some(r) = part(zip, name)? {
        let mut own = Lines::new(lines.max());
        part_text(r, name, style, counters, &mut own)?;
        let t = own.finish()?;
        if !t.trim().is_empty() && seen.insert(t.clone()) {
            lines.append(&t)?;
        }
    }
    Ok(())
}

/// The parts named `prefix` + a number + ".xml" ("word/header2.xml"), in
/// the order of their numbers.
fn numbered_parts<R: Read + Seek>(zip: &zip::ZipArchive<R>, prefix: &str) -> Vec<String> {
    let mut names: Vec<(u32, String)> = zip
        .file_names()
        .filter_map(|n| {
            let n = n.ok()?;
            let k = n.strip_prefix(prefix)?.strip_suffix(".xml")?;
            let k = if k.is_empty() { 0 } else { k.parse().ok()? };
            Some((k, n.to_string()))
        })
        .collect();
    names.sort();
    names.into_iter().map(|(_, n)| n).collect()
}

/// What every part's paragraphs are read with: the list definitions and
/// the numbered paragraph styles.
struct Parts<'a> {
    numbering: &'a Numbering,
    styles: &'a HashMap<String, (String, u8)>,
}

fn part<'a, R: Read + Seek>(zip: &'a mut zip::ZipArchive<R>, name: &str) -> Result<Option<BufReader<zip::read::ZipFile<'a, R>>>, ReadError> {
    super::package::part(zip, name, damaged)
}

fn val(e: &BytesStart) -> Option<String> {
    attr(e, "val")
}

#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

/// Word's list definitions: abstract lists with their levels, and the
/// numbered instances that point to them.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<u8, Level>>,
    /// numId -> (abstractNumId, level -> start override)
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
}

impl Numbering {
    fn parse(r: impl BufRead) -> Result<Numbering, ReadError> {
        let mut n = Numbering::default();
        let mut reader = quick_xml::Reader::from_reader(r);
        let mut buf = vec![];
        let mut abs: Option<String> = None;
        let mut lvl: Option<u8> = None;
        let mut num: Option<String> = None;
        let mut over: Option<u8> = None;
        loop {
            let ev = reader.read_event_into(&mut buf).map_err(|e| damaged(format!("word/numbering.xml: {e}")))?;
            match &ev {
                Event::Start(e) | Event::Empty(e) => {
                    let empty = matches!(ev, Event::Empty(_));
                    match e.local_name().as_ref() {
                        "abstractNum" => abs = attr(e, "abstractNumId"),
                        "lvl" => lvl = attr(e, "ilvl").and_then(|v| v.parse().ok()),
                        "num" => num = attr(e, "numId"),
                        "lvlOverride" => over = attr(e, "ilvl").and_then(|v| v.parse().ok()),
                        "abstractNumId" if num.is_some() => {
                            if let (Some(id), Some(a)) = (&num, val(e)) {
                                n.nums.entry(id.clone()).or_default().0 = a;
                            }
                        }
                        "startOverride" => {
                            if let (Some(id), Some(l), Some(v)) = (&num, over, val(e).and_then(|v| v.parse().ok())) {
                                n.nums.entry(id.clone()).or_default().1.insert(l, v);
                            }
                        }
                        name @ ("start" | "numFmt" | "lvlText") => {
                            if let (Some(a), Some(l)) = (&abs, lvl) {
                                let level = n.abstracts.entry(a.clone()).or_default().entry(l).or_insert_with(|| Level { start: 1, ..Default::default() });
                                let v = val(e).unwrap_or_default();
                                match name {
                                    "start" => level.start = v.parse().unwrap_or(1),
                                    "numFmt" => level.format = v,
                                    _ => level.text = v,
                                }
                            }
                        }
                        _ => {}
                    }
                    if empty && e.local_name().as_ref() == "lvl" {
                        lvl = None;
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "abstractNum" => abs = None,
                    "lvl" => lvl = None,
                    "num" => num = None,
                    "lvlOverride" => over = None,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        Ok(n)
    }
}

/// Paragraph styles that carry numbering (a numbered heading style).
fn style_numbering(r: impl BufRead) -> Result<HashMap<String, (String, u8)>, ReadError> {
    let mut out = HashMap::new();
    let mut reader = quick_xml::Reader::from_reader(r);
    let mut buf = vec![];
    let mut style: Option<String> = None;
    let mut num: Option<String> = None;
    let mut ilvl = 0u8;
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|e| damaged(format!("word/styles.xml: {e}")))?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "style" => {
                    style = attr(e, "styleId");
                    num = None;
                    ilvl = 0;
                }
                "numId" if style.is_some() => num = val(e),
                "ilvl" if style.is_some() => ilvl = val(e).and_then(|v| v.parse().ok()).unwrap_or(0),
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "style" => {
                if let (Some(s), Some(n)) = (style.take(), num.take()) {
                    out.insert(s, (n, ilvl));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

fn roman(mut n: u32) -> String {
    const R: [(u32, &str); 13] = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")];
    let mut s = String::new();
    for (v, r) in R {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

fn letters(n: u32) -> String {
    // Word's letters: a..z, then aa..zz.
    let k = (n.max(1) - 1) % 26;
    let times = (n.max(1) - 1) / 26 + 1;
    std::iter::repeat_n((b'a' + k as u8) as char, times as usize).collect()
}

pub(super) fn format_number(n: u32, fmt: &str) -> String {
    match fmt {
        "lowerLetter" => letters(n),
        "upperLetter" => letters(n).to_uppercase(),
        "lowerRoman" => roman(n),
        "upperRoman" => roman(n).to_uppercase(),
        "decimalZero" => format!("{n:02}"),
        "none" => String::new(),
        _ => n.to_string(),
    }
}

/// Counts list items as Word does: per abstract list and level, a deeper
/// level restarting when a shallower one advances.
#[derive(Default)]
struct Counters {
    counts: HashMap<String, Vec<Option<u32>>>,
    started: std::collections::HashSet<String>,
}

impl Counters {
    fn label(&mut self, numbering: &Numbering, num_id: &str, ilvl: u8) -> Option<String> {
        let (abs_id, overrides) = numbering.nums.get(num_id)?;
        let levels = numbering.abstracts.get(abs_id)?;
        let level = levels.get(&ilvl)?;
        let counts = self.counts.entry(abs_id.clone()).or_insert_with(|| vec![None; 10]);
        let i = (ilvl as usize).min(9);
        // An instance with a start override restarts the list where it is first used.
        if !overrides.is_empty() && self.started.insert(num_id.to_string()) {
            for (l, v) in overrides {
                if let Some(c) = counts.get_mut(*l as usize) {
                    *c = Some(v.saturating_sub(1));
                }
            }
        }
        let next = counts[i].map(|c| c + 1).unwrap_or(level.start);
        counts[i] = Some(next);
        for c in counts.iter_mut().skip(i + 1) {
            *c = None;
        }
        if level.format == "bullet" {
            return Some(level.text.clone());
        }
        let mut label = level.text.clone();
        for l in 0..=i {
            let placeholder = format!("%{}", l + 1);
            if label.contains(&placeholder) {
                let lv = levels.get(&(l as u8)).cloned().unwrap_or_default();
                let n = counts[l].unwrap_or(lv.start);
                label = label.replace(&placeholder, &format_number(n, &lv.format));
            }
        }
        Some(label)
    }
}

/// One part's paragraphs (the document, a header, the footnotes) written
/// to `lines`. A footnote or endnote that only separates notes from the
/// text is no text.
fn part_text(r: impl BufRead, name: &str, parts: &Parts, counters: &mut Counters, lines: &mut Lines) -> Result<(), ReadError> {
    let (numbering, styles) = (parts.numbering, parts.styles);
    let mut reader = quick_xml::Reader::from_reader(r);
    let mut buf = vec![];
    // The paragraph being read: its text, its list (numId, level), its style.
    let mut para = String::new();
    let mut num: (Option<String>, u8) = (None, 0);
    let mut style: Option<String> = None;
    let mut in_text = false;
    let mut skip_depth = 0usize;
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|e| damaged(format!("{name}: {e}")))?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                let local = e.local_name();
                match local.as_ref() {
                    // Deleted text, field codes and text boxes' fallback copies are not the document's text.
                    "delText" | "instrText" | "Fallback" if !empty => skip_depth += 1,
                    "footnote" | "endnote" if !empty && attr(e, "type").is_some_and(|t| t.contains("eparator") || t == "continuationNotice") => skip_depth += 1,
                    "p" if !empty => {
                        para.clear();
                        num = (None, 0);
                        style = None;
                    }
                    "pStyle" => style = val(e),
                    "numId" => num.0 = val(e),
                    "ilvl" => num.1 = val(e).and_then(|v| v.parse().ok()).unwrap_or(0),
                    "t" if !empty => in_text = true,
                    "tab" if skip_depth == 0 => para.push('\t'),
                    "br" | "cr" if skip_depth == 0 => para.push('\n'),
                    "tr" if !empty => lines.open_row()?,
                    _ => {}
                }
            }
            Event::Text(t) if in_text && skip_depth == 0 => {
                para.push_str(&t.borrow().into_inner());
            }
            Event::GeneralRef(r) if in_text && skip_depth == 0 => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    para.push(c);
                } else {
                    let name = r.borrow().into_inner();
                    if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                        para.push_str(s);
                    }
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "delText" | "instrText" | "Fallback" => skip_depth = skip_depth.saturating_sub(1),
                "footnote" | "endnote" if skip_depth > 0 => skip_depth -= 1,
                "t" => in_text = false,
                "p" => {
                    // numId 0 turns a style's numbering off.
                    let list = match &num.0 {
                        Some(id) if id != "0" => Some((id.clone(), num.1)),
                        Some(_) => None,
                        None => style.as_ref().and_then(|s| styles.get(s)).cloned(),
                    };
                    let label = list.and_then(|(id, l)| counters.label(numbering, &id, l)).filter(|l| !l.is_empty());
                    let line = match label {
                        Some(l) => format!("{l} {}", para.trim_start()),
                        None => para.clone(),
                    };
                    if skip_depth == 0 {
                        lines.line(&line)?;
                    }
                    para.clear();
                }
                "tc" => lines.close_cell(),
                "tr" => lines.close_row()?,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        lines.check(para.len())?;
        buf.clear();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_format_as_word_prints_them() {
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(3, "upperLetter"), "C");
        assert_eq!(format_number(7, "decimalZero"), "07");
        assert_eq!(format_number(12, "decimal"), "12");
    }
}
