//! OpenDocument text (.odt, LibreOffice's own format) to text, read with the
//! same care as Word ([`super::docx`]): paragraphs and headings one a line,
//! list and heading numbers written in front as they print (the list
//! styles' formats, prefixes, suffixes, start values and continued lists),
//! table rows as cells between tabs ([`super::layout`]), the page headers
//! and footers first (as for Word) and the notes last.
//! Annotations, tracked deletions and a note's citation mark are not text.
//!
//! The zip is read with `zip` and the XML streamed with `quick-xml`: the
//! styles part first (list styles, the outline style, headers, footers),
//! then the content part (its own list styles, then the body).

use super::layout::Lines;
use super::package::attr;
use super::{Engine, Extracted, ReadError};
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek};

fn damaged(detail: impl Into<String>) -> ReadError {
    ReadError::Damaged { format: "OpenDocument".into(), detail: detail.into() }
}

/// Reads an .odt file's text, at most `max_text` bytes of it.
pub fn read(bytes: &[u8], max_text: usize) -> Result<Extracted, ReadError> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(ReadError::WrongContent { expected: "OpenDocument (.odt)".into(), found: super::pdf::sniff(bytes).into() });
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| damaged(format!("not a readable zip archive: {e}")))?;
    let mut doc = Document::new(max_text);
    let mut edges = [Lines::new(max_text), Lines::new(max_text)];
    if let Some(r) = part(&mut zip, "styles.xml")? {
        let mut body = Lines::new(max_text);
        let [head, foot] = &mut edges;
        doc.walk(r, "styles.xml", &mut Sinks { body: &mut body, head, foot })?;
    }
    let Some(r) = part(&mut zip, "content.xml")? else {
        return Err(damaged("it has no content.xml"));
    };
    let [head, foot] = edges;
    let (head, foot) = (head.finish()?, foot.finish()?);
    let mut lines = Lines::new(max_text);
    lines.append(&head)?;
    if foot != head {
        lines.append(&foot)?;
    }
    let (mut h2, mut f2) = (Lines::new(max_text), Lines::new(max_text));
    doc.walk(r, "content.xml", &mut Sinks { body: &mut lines, head: &mut h2, foot: &mut f2 })?;
    lines.append(&doc.notes.finish()?)?;
    Ok(Extracted { text: lines.finish()?, pages: None, engine: Engine::Odt, notes: vec![], textless: vec![], ocr: vec![] })
}

fn part<'a, R: Read + Seek>(zip: &'a mut zip::ZipArchive<R>, name: &str) -> Result<Option<BufReader<zip::read::ZipFile<'a, R>>>, ReadError> {
    super::package::part(zip, name, damaged)
}

/// One level of a list style: how its number prints.
#[derive(Debug, Clone, Default)]
struct Level {
    bullet: Option<String>,
    /// "1", "a", "A", "i", "I", or "" for no number.
    format: String,
    prefix: String,
    suffix: String,
    start: u32,
    /// How many levels' numbers the label shows ("1.2.").
    display: u8,
}

/// Where the text goes: the body, or the page header or footer.
struct Sinks<'a> {
    body: &'a mut Lines,
    head: &'a mut Lines,
    foot: &'a mut Lines,
}

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Body,
    Head,
    Foot,
}

/// An open list: its style and its depth.
struct OpenList {
    style: String,
    depth: usize,
}

/// What is known while the parts are read.
struct Document {
    /// List style name → its levels (1-based).
    lists: HashMap<String, HashMap<u8, Level>>,
    /// The outline style's levels, which number headings.
    outline: HashMap<u8, Level>,
    /// List style name → the counts of its levels, as far as they went.
    counts: HashMap<String, Vec<Option<u32>>>,
    outline_counts: Vec<Option<u32>>,
    /// The footnotes and endnotes, written after everything else.
    notes: Lines,
}

impl Document {
    fn new(max: usize) -> Document {
        Document { lists: HashMap::new(), outline: HashMap::new(), counts: HashMap::new(), outline_counts: vec![None; 11], notes: Lines::new(max) }
    }

    /// Reads one part. In styles.xml text is only in headers and footers;
    /// in content.xml only in the body.
    fn walk(&mut self, r: impl BufRead, name: &str, sinks: &mut Sinks) -> Result<(), ReadError> {
        let mut reader = quick_xml::Reader::from_reader(r);
        let mut buf = vec![];
        // The list style being defined, and its level being read.
        let mut defining: Option<(Option<String>, u8)> = None;
        let mut target: Option<Target> = None;
        let mut open_lists: Vec<OpenList> = vec![];
        // The paragraph being read, and its label; paragraphs of a note
        // being read go to the notes, the paragraph around it waits.
        let mut para = String::new();
        let mut label: Option<String> = None;
        let mut waiting: Vec<(String, Option<String>)> = vec![];
        // Depth inside elements whose text is not the document's.
        let mut skip = 0usize;
        // A list item's start value, for its first paragraph.
        let mut item_start: Option<u32> = None;
        let mut item_fresh = false;
        loop {
            let ev = reader.read_event_into(&mut buf).map_err(|e| damaged(format!("{name}: {e}")))?;
            match &ev {
                Event::Start(e) | Event::Empty(e) => {
                    let empty = matches!(ev, Event::Empty(_));
                    let local = e.local_name();
                    let local = local.as_ref();
                    if skip > 0 {
                        if !empty {
                            skip += 1;
                        }
                        continue;
                    }
                    match local {
                        "list-style" => defining = Some((attr(e, "name"), 0)),
                        "outline-style" => defining = Some((None, 0)),
                        "list-level-style-number" | "list-level-style-bullet" | "outline-level-style" => {
                            if let Some((style, lvl)) = defining.as_mut() {
                                *lvl = attr(e, "level").and_then(|v| v.parse().ok()).unwrap_or(1);
                                let level = Level {
                                    bullet: (local == "list-level-style-bullet").then(|| bullet(attr(e, "bullet-char"))),
                                    format: attr(e, "num-format").unwrap_or_default(),
                                    prefix: attr(e, "num-prefix").unwrap_or_default(),
                                    suffix: attr(e, "num-suffix").unwrap_or_default(),
                                    start: attr(e, "start-value").and_then(|v| v.parse().ok()).unwrap_or(1),
                                    display: attr(e, "display-levels").and_then(|v| v.parse().ok()).unwrap_or(1),
                                };
                                match style {
                                    Some(s) => {
                                        self.lists.entry(s.clone()).or_default().insert(*lvl, level);
                                    }
                                    None => {
                                        self.outline.insert(*lvl, level);
                                    }
                                }
                            }
                        }
                        "header" | "header-first" | "header-left" if name == "styles.xml" && !empty => target = Some(Target::Head),
                        "footer" | "footer-first" | "footer-left" if name == "styles.xml" && !empty => target = Some(Target::Foot),
                        "text" if name == "content.xml" && !empty && e.name().as_ref() == "office:text" => target = Some(Target::Body),
                        _ if target.is_none() => {}
                        "annotation" | "tracked-changes" | "note-citation" | "sequence-decls" | "covered-table-cell" | "desc" | "title" if !empty => skip = 1,
                        "note" if !empty => waiting.push((std::mem::take(&mut para), label.take())),
                        "list" if !empty => {
                            let style = attr(e, "style-name").or_else(|| open_lists.last().map(|l| l.style.clone())).unwrap_or_default();
                            let depth = open_lists.len() + 1;
                            let continues = attr(e, "continue-numbering").as_deref() == Some("true") || attr(e, "continue-list").is_some();
                            if depth == 1 && !continues {
                                self.counts.remove(&style);
                            }
                            open_lists.push(OpenList { style, depth });
                        }
                        "list-item" if !empty => {
                            item_start = attr(e, "start-value").and_then(|v| v.parse().ok());
                            item_fresh = true;
                        }
                        "list-header" if !empty => item_fresh = false,
                        "h" | "p" if !empty => {
                            para.clear();
                            label = None;
                            if local == "h" {
                                let lvl = attr(e, "outline-level").and_then(|v| v.parse().ok()).unwrap_or(1u8);
                                label = self.outline_label(lvl);
                            } else if item_fresh {
                                if let Some(list) = open_lists.last() {
                                    label = self.list_label(&list.style.clone(), list.depth, item_start.take());
                                }
                            }
                            item_fresh = false;
                        }
                        "s" => {
                            let n: usize = attr(e, "c").and_then(|v| v.parse().ok()).unwrap_or(1);
                            para.extend(std::iter::repeat_n(' ', n.min(64)));
                        }
                        "tab" => para.push(' '),
                        "line-break" => para.push('\n'),
                        "table-row" if !empty => self.sink(target, !waiting.is_empty(), sinks).open_row()?,
                        _ => {}
                    }
                }
                Event::Text(t) if skip == 0 && target.is_some() => {
                    para.push_str(&t.borrow().into_inner());
                }
                Event::GeneralRef(r) if skip == 0 && target.is_some() => {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        para.push(c);
                    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r.borrow().into_inner()) {
                        para.push_str(s);
                    }
                }
                Event::End(e) => {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    let local = e.local_name();
                    match local.as_ref() {
                        "list-style" | "outline-style" => defining = None,
                        "header" | "header-first" | "header-left" | "footer" | "footer-first" | "footer-left" if name == "styles.xml" => target = None,
                        "text" if e.name().as_ref() == "office:text" => target = None,
                        _ if target.is_none() => {}
                        "h" | "p" => {
                            let line = match label.take() {
                                Some(l) if !l.is_empty() => format!("{l} {}", para.trim_start()),
                                _ => std::mem::take(&mut para),
                            };
                            para.clear();
                            if !line.trim().is_empty() {
                                self.sink(target, !waiting.is_empty(), sinks).line(&line)?;
                            }
                        }
                        "note" => {
                            if let Some((p, l)) = waiting.pop() {
                                para = p;
                                label = l;
                            }
                        }
                        "list" => {
                            open_lists.pop();
                        }
                        "table-cell" => self.sink(target, !waiting.is_empty(), sinks).close_cell(),
                        "table-row" => self.sink(target, !waiting.is_empty(), sinks).close_row()?,
                        _ => {}
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            sinks.body.check(para.len())?;
            buf.clear();
        }
        Ok(())
    }

    fn sink<'a>(&'a mut self, target: Option<Target>, in_note: bool, sinks: &'a mut Sinks) -> &'a mut Lines {
        if in_note {
            return &mut self.notes;
        }
        match target {
            Some(Target::Head) => sinks.head,
            Some(Target::Foot) => sinks.foot,
            _ => sinks.body,
        }
    }

    /// The next label of a list at `depth`: deeper levels restart.
    fn list_label(&mut self, style: &str, depth: usize, start: Option<u32>) -> Option<String> {
        let levels = self.lists.get(style)?;
        let counts = self.counts.entry(style.to_string()).or_insert_with(|| vec![None; 11]);
        label(levels, counts, depth.min(10) as u8, start)
    }

    fn outline_label(&mut self, level: u8) -> Option<String> {
        let l = self.outline.get(&level)?;
        if l.format.is_empty() {
            return None;
        }
        label(&self.outline, &mut self.outline_counts, level.min(10), None)
    }
}

/// Counts one more item at `level` and writes its label as the style prints it.
fn label(levels: &HashMap<u8, Level>, counts: &mut [Option<u32>], level: u8, start: Option<u32>) -> Option<String> {
    let l = levels.get(&level)?;
    let i = level as usize;
    let next = start.unwrap_or_else(|| counts[i].map(|c| c + 1).unwrap_or(l.start));
    counts[i] = Some(next);
    for c in counts.iter_mut().skip(i + 1) {
        *c = None;
    }
    if let Some(b) = &l.bullet {
        return Some(b.clone());
    }
    if l.format.is_empty() {
        return None;
    }
    let first = (level as usize + 1).saturating_sub(l.display.max(1) as usize).max(1);
    let numbers: Vec<String> = (first..=i)
        .map(|k| {
            let lk = levels.get(&(k as u8)).cloned().unwrap_or_default();
            let n = counts[k].unwrap_or(lk.start);
            format_number(n, &lk.format)
        })
        .collect();
    Some(format!("{}{}{}", l.prefix, numbers.join("."), l.suffix))
}

/// A bullet as it prints; a symbol font's private character is a bullet.
fn bullet(c: Option<String>) -> String {
    match c {
        Some(c) if !c.trim().is_empty() && !c.chars().any(|c| ('\u{e000}'..='\u{f8ff}').contains(&c)) => c,
        _ => "•".into(),
    }
}

fn format_number(n: u32, format: &str) -> String {
    let word = match format {
        "a" => "lowerLetter",
        "A" => "upperLetter",
        "i" => "lowerRoman",
        "I" => "upperRoman",
        _ => "decimal",
    };
    super::docx::format_number(n, word)
}
