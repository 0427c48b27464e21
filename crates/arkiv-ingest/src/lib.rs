//! arkiv-ingest: from an archive folder to meetings and agenda items.
//!
//! It walks an archive, decodes each document (UTF-8 or Windows-1252, with
//! or without BOM), cleans what PDF extraction leaves (page furniture,
//! bullet glyphs, words hyphenated across lines), splits the text into
//! meetings and agenda items with their sections, and finds each meeting's
//! group, date and kind and each item's municipalities and topics.
//!
//! **Architecture invariant:** parsing never fails. It returns what it found
//! and a list of [`Diagnostic`]s; a file that cannot be read is reported and
//! skipped, and the rest of the archive is still parsed. This crate knows
//! nothing about the index.
//!
//! ```
//! use arkiv_ingest::{parse_text, Config};
//! let cfg = Config::embedded();
//! let f = parse_text("referat.txt", "Mødetid: Torsdag d. 20. februar 2020\nMøde i Chefforum\n1. Godkendelse af dagsorden\nBeslutning:\nGodkendt\n", &cfg);
//! let m = &f.meetings[0];
//! assert_eq!(m.head.date.map(|d| d.to_string()).as_deref(), Some("2020-02-20"));
//! assert_eq!(m.items[0].title, "Godkendelse af dagsorden");
//! ```

pub mod clean;
pub mod committee;
pub mod config;
pub mod dates;
pub mod decode;
pub mod formats;
mod embedded;
pub mod meta;
mod model;
pub mod pipeline;
pub mod read;
pub mod segment;
mod walk;
pub mod words;
mod line_pattern;

pub use config::{Config, ConfigError};
pub use model::*;
pub use walk::{inside, name_text, open_regular, overrides, parse_paths, read_document, walk_archive, ArchiveFile};
pub use meta::{document_id, Overrides};
pub use words::{FileWords, WordTable};

use clean::{Cleaned, Fact};
use meta::MeetingInput;

pub use embedded::SYNONYMS as EMBEDDED_SYNONYMS;

/// Where in `bytes` the bytes that `hit` holds for are, in order. Text is
/// looked at in blocks of 32 bytes, and a block where `hit` holds for none
/// is passed over in one test that the compiler makes a few vector
/// instructions: most of a document has none of the bytes looked for.
pub(crate) fn byte_hits<F: Fn(u8) -> bool + Copy>(bytes: &[u8], hit: F) -> impl Iterator<Item = usize> + use<'_, F> {
    const BLOCK: usize = 32;
    bytes.chunks(BLOCK).enumerate().flat_map(move |(k, block)| {
        let any = match <&[u8; BLOCK]>::try_from(block) {
            Ok(full) => full.iter().fold(false, |a, &b| a | hit(b)),
            Err(_) => block.iter().any(|&b| hit(b)),
        };
        let hits = any.then(|| block.iter().enumerate().filter(move |&(_, &b)| hit(b)).map(move |(j, _)| k * BLOCK + j));
        hits.into_iter().flatten()
    })
}

/// A decoded and cleaned document, before segmentation.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Prepared {
    pub path: String,
    pub relpath: String,
    pub encoding: String,
    pub bytes: usize,
    pub format: formats::Format,
    /// Pages of the document, where known.
    pub pages: Option<u32>,
    /// Pages read by OCR, with their confidence.
    pub ocr: Vec<read::ocr::OcrPage>,
    pub cleaned: Cleaned,
    /// Kept as JSON where a prepared text is spooled (a diagnostic leaves
    /// out a line it has not, which only a self-describing form reads back).
    #[serde(with = "diagnostics_as_json")]
    pub diagnostics: Vec<Diagnostic>,
}

mod diagnostics_as_json {
    use super::Diagnostic;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    pub fn serialize<S: Serializer>(d: &[Diagnostic], s: S) -> Result<S::Ok, S::Error> {
        serde_json::to_string(d).map_err(serde::ser::Error::custom)?.serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Diagnostic>, D::Error> {
        serde_json::from_str(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

fn diag(path: &str, line: Option<usize>, code: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic { path: path.to_string(), line, code: code.to_string(), message: message.into() }
}

/// The text of one document as its format's reader gives it (pages
/// separated by form feeds where they are known), before cleaning.
pub fn read_text(relpath: &str, bytes: &[u8], cfg: &Config) -> Result<decode::Decoded, read::ReadError> {
    formats::Format::of_path(relpath).unwrap_or(formats::Format::Text).extract(bytes, &cfg.read)
}

/// Decodes and cleans one document. Returns a file with no meetings and a
/// diagnostic when the bytes are not a text document.
pub fn prepare(path: &str, relpath: &str, bytes: &[u8], cfg: &Config) -> Result<Prepared, FileParse> {
    let format = formats::Format::of_path(relpath).unwrap_or(formats::Format::Text);
    let decoded = match format.extract(bytes, &cfg.read) {
        Ok(d) => d,
        Err(e) => {
            return Err(FileParse {
                path: path.to_string(),
                relpath: relpath.to_string(),
                encoding: String::new(),
                bytes: bytes.len(),
                format: Some(format),
                pages: None,
                meetings: vec![],
                diagnostics: vec![diag(path, None, e.code(), format!("skipped: {e}"))],
            })
        }
    };
    let mut diagnostics: Vec<Diagnostic> = decoded.notes.iter().map(|(c, m)| diag(path, None, c, m.clone())).collect();
    let group_line = |s: &str| s.chars().count() <= 100 && meta::group_in_line(cfg, s).is_some();
    let cleaned = clean::clean(&decoded.text, decoded.pages.is_some(), &group_line);
    let pages = decoded.pages;
    if cleaned.lines.is_empty() {
        diagnostics.push(diag(path, None, "decode.empty", "no text after cleaning"));
    }
    Ok(Prepared { path: path.to_string(), relpath: relpath.to_string(), encoding: decoded.encoding.to_string(), bytes: bytes.len(), format, pages, ocr: decoded.ocr, cleaned, diagnostics })
}

/// Segments a prepared document into meetings and items.
/// Why a file parses as it does, for `arkiv parse --explain`: segmentation's
/// decisions line by line (meetings, items and the cues that made them,
/// sections, lines that looked like items and why they are not), then each
/// meeting's group, date and kind with where each came from. The file's own
/// words decide its line-end hyphens, as a file parsed alone.
pub fn explain(path: &str, relpath: &str, bytes: &[u8], cfg: &Config) -> String {
    use std::fmt::Write;
    let mut out = format!("== {relpath}\n");
    let p = match prepare(path, relpath, bytes, cfg) {
        Ok(p) => p,
        Err(fp) => {
            for d in &fp.diagnostics {
                let _ = writeln!(out, "  not read: {} ({})", d.message, d.code);
            }
            return out;
        }
    };
    let mut lines = p.cleaned.lines.clone();
    let table = WordTable::of([&FileWords::of_lines(&lines)]);
    clean::join_hyphenated(&mut lines, &table);
    let (raws, notes) = segment::explain(&lines);
    for (i, what) in notes {
        let _ = writeln!(out, "  line {:>5}: {what}", lines[i].no);
    }
    let fp = finish(p, &table, cfg, &Overrides::default());
    for (k, m) in fp.meetings.iter().enumerate() {
        let h = &m.head;
        let cue = raws.get(k).and_then(|r| committee::from_header(&r.header)).map(|n| format!(", named by the document ({})", n.cue)).unwrap_or_default();
        let source = |s: Option<Source>| s.map(|s| format!("{s:?}").to_lowercase()).unwrap_or_else(|| "none".into());
        let _ = writeln!(out, "  meeting {}: group {:?} (from {}{cue}); date {} (from {}); kind {}", k + 1, h.group.as_deref().unwrap_or("unknown"), source(h.group_source), h.date.map(|d| d.to_string()).unwrap_or_else(|| "unknown".into()), source(h.date_source), h.kind.map(|k| k.as_str()).unwrap_or("unknown"));
    }
    for d in &fp.diagnostics {
        let _ = writeln!(out, "  note{}: {} ({})", d.line.map(|l| format!(" at line {l}")).unwrap_or_default(), d.message, d.code);
    }
    out
}

pub fn finish(mut p: Prepared, table: &WordTable, cfg: &Config, ov: &Overrides) -> FileParse {
    clean::join_hyphenated(&mut p.cleaned.lines, table);
    let lines = &p.cleaned.lines;
    let raws = segment::segment(lines);
    let file_text: String = lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n");
    let line_range = |m: &segment::RawMeeting| {
        let first = if m.start == 0 { 0 } else { lines.get(m.start).map(|l| l.no).unwrap_or(usize::MAX) };
        let last = if m.end >= lines.len() { usize::MAX } else { lines[m.end].no };
        (first, last)
    };
    let facts_in = |m: &segment::RawMeeting| -> Vec<&Fact> {
        let (a, b) = line_range(m);
        p.cleaned.facts.iter().filter(|(no, _)| *no >= a && *no < b).map(|(_, f)| f).collect()
    };
    let header_groups: Vec<Option<String>> = raws.iter().map(|m| meta::header_group(cfg, m, &facts_in(m))).collect();
    let mut meetings = vec![];
    let mut diagnostics = std::mem::take(&mut p.diagnostics);
    for (k, raw) in raws.iter().enumerate() {
        let sibling_group = header_groups.iter().enumerate().filter(|(j, _)| *j != k).find_map(|(_, g)| g.clone());
        let line = lines.get(raw.start).map(|l| l.no).unwrap_or(1);
        let built = meta::build_meeting(
            cfg,
            MeetingInput { raw, ordinal: k, relpath: &p.relpath, facts: facts_in(raw), file_facts: &p.cleaned.facts, line, sibling_group, file_text: &file_text, lines, paged: p.cleaned.paged },
            ov,
        );
        for (line, code, msg) in built.notes {
            diagnostics.push(diag(&p.path, line, code, msg));
        }
        meetings.push(built.meeting);
    }
    meta::assign_item_ids(&p.relpath, &mut meetings);
    // An item on a page read by OCR says so, with the lowest confidence of its pages.
    for it in meetings.iter_mut().flat_map(|m| m.items.iter_mut()) {
        if let Some(a) = it.page {
            let b = it.page_end.unwrap_or(a);
            it.ocr = p.ocr.iter().filter(|o| (a..=b).contains(&o.page)).map(|o| o.confidence).min();
        }
    }
    if meetings.iter().all(|m| m.items.is_empty()) {
        diagnostics.push(diag(&p.path, None, "segment.no-items", "no agenda items found in the file"));
    }
    FileParse { path: p.path, relpath: p.relpath, encoding: p.encoding, bytes: p.bytes, format: Some(p.format), pages: p.pages, meetings, diagnostics }
}

/// Parses one document's text on its own (its own words for the word
/// table); for tests and tools.
pub fn parse_text(relpath: &str, text: &str, cfg: &Config) -> FileParse {
    parse_bytes(relpath, relpath, text.as_bytes(), cfg, &Overrides::default())
}

/// Parses one document's bytes with its own words for the word table.
pub fn parse_bytes(path: &str, relpath: &str, bytes: &[u8], cfg: &Config, ov: &Overrides) -> FileParse {
    match prepare(path, relpath, bytes, cfg) {
        Ok(p) => {
            let table = WordTable::of([&FileWords::of_lines(&p.cleaned.lines)]);
            finish(p, &table, cfg, ov)
        }
        Err(f) => f,
    }
}
