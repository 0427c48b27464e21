//! The parse result: files, meetings, items, diagnostics. These types are the
//! JSON of `arkiv parse --json`; fields keep their names once published.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One diagnostic: something odd in a file, with where it was.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    /// 1-based line in the file, where the diagnostic concerns one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Stable machine-readable code, e.g. `decode.windows-1252`.
    pub code: String,
    pub message: String,
}

/// Which documents something is in: a meeting's agenda, its minutes, or
/// both (a document that is both, or a meeting whose agenda and minutes
/// were joined). The values of the `kind` facet.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Dagsorden,
    Referat,
    DagsordenOgReferat,
}

impl Kind {
    /// Every kind, in the order they are shown.
    pub const ALL: [Kind; 3] = [Kind::Dagsorden, Kind::Referat, Kind::DagsordenOgReferat];

    /// The kind's value in JSON, the index and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Dagsorden => "dagsorden",
            Kind::Referat => "referat",
            Kind::DagsordenOgReferat => "dagsorden-og-referat",
        }
    }

    /// The kind a value names (as [`Kind::as_str`] writes it).
    pub fn of_value(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind a document's text, a sidecar or a path names.
    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim().to_lowercase();
        // "Mødereferat", "Mødedagsorden": the kind of a meeting's document.
        match s.strip_prefix("møde").filter(|r| !r.is_empty()).unwrap_or(&s) {
            "dagsorden" | "agenda" => Some(Kind::Dagsorden),
            "referat" | "minutes" | "beslutningsreferat" | "beslutningsprotokol" | "protokol" => Some(Kind::Referat),
            _ => None,
        }
    }

    /// The kind of something found in documents of these kinds.
    pub fn joined(kinds: impl IntoIterator<Item = Option<Kind>>) -> Option<Kind> {
        let (mut agenda, mut minutes) = (false, false);
        for k in kinds.into_iter().flatten() {
            agenda |= k != Kind::Referat;
            minutes |= k != Kind::Dagsorden;
        }
        match (agenda, minutes) {
            (true, true) => Some(Kind::DagsordenOgReferat),
            (false, true) => Some(Kind::Referat),
            (true, false) => Some(Kind::Dagsorden),
            (false, false) => None,
        }
    }
}

/// Where a meeting fact came from.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A sidecar metadata file next to the document.
    Sidecar,
    /// A path rule in index-config/paths.toml.
    Path,
    /// The meeting header (or a page header naming the meeting).
    Header,
    /// The document date printed in a page header or footer.
    DocumentDate,
    /// Mentions in the body of the text.
    Text,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ArchiveParse {
    pub files: Vec<FileParse>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileParse {
    /// The path as given (or as found under the archive root).
    pub path: String,
    /// The path relative to the archive root, with `/` separators: the
    /// identity of the document.
    pub relpath: String,
    /// Encoding the text was decoded from.
    pub encoding: String,
    /// Bytes of the file.
    pub bytes: usize,
    /// The file's format (txt, pdf, docx).
    pub format: Option<crate::formats::Format>,
    /// Pages, where known.
    pub pages: Option<u32>,
    pub meetings: Vec<Meeting>,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileParse {
    /// What is known of a path that gave no document: one diagnostic saying why.
    pub fn of_diagnostic(d: Diagnostic) -> FileParse {
        FileParse { path: d.path.clone(), relpath: String::new(), encoding: String::new(), bytes: 0, format: None, pages: None, meetings: vec![], diagnostics: vec![d] }
    }
}

/// A meeting with its items, as one document has it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meeting {
    #[serde(flatten)]
    pub head: MeetingHead,
    pub items: Vec<Item>,
}

/// A meeting without its items: what the index keeps with each of them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingHead {
    pub id: String,
    pub group: Option<String>,
    pub group_source: Option<Source>,
    /// YYYY-MM-DD, or null where the text gives no date.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, example = "2020-02-20"))]
    pub date: Option<chrono::NaiveDate>,
    pub date_source: Option<Source>,
    /// Which documents the meeting is in: as one document has it,
    /// dagsorden or referat; joined, also dagsorden-og-referat.
    pub kind: Option<Kind>,
    pub place: Option<String>,
    pub participants: Vec<String>,
    pub absentees: Vec<String>,
    pub chair: Option<String>,
    pub secretary: Option<String>,
    pub case_number: Option<String>,
    /// Municipalities named in the meeting's header or any of its items.
    pub municipalities: Vec<String>,
    /// 1-based line where the meeting starts in the file.
    pub line: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    pub id: String,
    /// The number as printed.
    pub number: u32,
    pub title: String,
    pub municipalities: Vec<String>,
    /// The regions it concerns: its municipalities' regions and those it
    /// names.
    #[serde(default)]
    pub regions: Vec<String>,
    pub topics: Vec<String>,
    /// Section name -> text. Names: indstilling, sagsfremstilling, bilag,
    /// beslutning (also for "Referat:"), tekst (text before any label), and
    /// the slug of any other label (baggrund, videre_proces, forslag, ...).
    pub sections: BTreeMap<String, String>,
    /// Section names in the order they appear.
    pub section_order: Vec<String>,
    /// Attachments (bilag) as a list of titles.
    pub attachments: Vec<String>,
    /// 1-based line of the item's title in the file.
    pub line: usize,
    /// 1-based page where the item starts, where the document has pages
    /// (a PDF, or text with its page breaks); null for Word and plain text.
    pub page: Option<u32>,
    /// Page of the item's last line.
    pub page_end: Option<u32>,
    /// Read by OCR from a scanned page: the lowest confidence (0-100) of
    /// Tesseract's reading of the item's pages. None: the text was the file's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<u8>,
}

impl Item {
    /// All text of the item, sections in order, for analysis.
    pub fn body(&self) -> String {
        let mut s = String::new();
        for name in &self.section_order {
            if let Some(t) = self.sections.get(name) {
                if !s.is_empty() {
                    s.push('\n');
                }
                s.push_str(t);
            }
        }
        s
    }

    /// A copy of the item with only the sections `keep` takes (by name and
    /// text); `section_order` still names them all. Only the kept texts
    /// are copied.
    pub fn with_sections_where(&self, keep: impl Fn(&str, &str) -> bool) -> Item {
        let Item { id, number, title, municipalities, regions, topics, sections, section_order, attachments, line, page, page_end, ocr } = self;
        Item {
            id: id.clone(),
            number: *number,
            title: title.clone(),
            municipalities: municipalities.clone(),
            regions: regions.clone(),
            topics: topics.clone(),
            sections: sections.iter().filter(|(n, t)| keep(n, t)).map(|(n, t)| (n.clone(), t.clone())).collect(),
            section_order: section_order.clone(),
            attachments: attachments.clone(),
            line: *line,
            page: *page,
            page_end: *page_end,
            ocr: *ocr,
        }
    }
}
