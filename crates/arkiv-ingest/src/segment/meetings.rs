//! Meeting headers: the lines that open a meeting (a time field, a title
//! line followed by header fields) and the words that name a document's
//! kind.

use crate::clean::Line;
use crate::line_pattern::LinePattern;
use std::sync::LazyLock;

/// Header fields that open a meeting.
pub(super) static MEETING_FIELD: LazyLock<LinePattern> = LazyLock::new(|| {
    LinePattern::new(r"^(?i:mødetid|mødedato|tidspunkt|dato og tid(?:spunkt)?|tid\s*(?:&|og)\s*sted)\s*:?")
});
/// Header fields that belong to a meeting header.
pub(super) static HEADER_FIELD: LazyLock<LinePattern> = LazyLock::new(|| {
    LinePattern::new(r"^(?i:mødetid|mødedato|tidspunkt|dato og tid(?:spunkt)?|tid\s*(?:&|og)\s*sted|dato|tid|sted|mødested|mødedeltagere|deltagere|til stede|afbud|mødeleder|referent)\s*:")
});
/// Title lines of a meeting: "Møde i ... <date>", "Referat fra møde i ...".
pub(super) static MEETING_TITLE: LazyLock<LinePattern> = LazyLock::new(|| {
    LinePattern::new(r"^Møde i \S|^(?i:dagsorden|referat)\s+(?:for|fra|til|af)\s+\S")
});
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

pub fn is_kind_word(t: &str) -> bool {
    crate::Kind::parse(t.trim().trim_end_matches(':')).is_some()
}
