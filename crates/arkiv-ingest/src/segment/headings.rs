//! Section headings: the labels that open an item's sections (Indstilling,
//! Sagsfremstilling, Beslutning, "Beslutning i <udvalg> den <dato>", ...)
//! and the split of an item's body into them.

use crate::clean::Line;
use crate::line_pattern::LinePattern;
use std::sync::LazyLock;

pub(super) static LABEL: LazyLock<LinePattern> = LazyLock::new(|| {
    LinePattern::new(r"^(Indstilling(?:er)?|Det indstilles|Supplerende sagsfremstilling|Sagsfremstilling(?:en)?|Sagsbeskrivelse|Vurdering|Baggrund|Bilag|Beslutning(?:er)?|Referat|Forslag|Videre proces|Den videre proces|Konklusion|Resumé|Resume|Drøftelse|Sagstema|Beslutningstema|Sagens kerne|Redegørelse|Retsgrundlag|Beslutningskompetence|Økonomiske konsekvenser|Økonomi|Andre konsekvenser|Høring og sagsgang|INDSTILLING|SAGSFREMSTILLING|BILAG|BESLUTNING|REFERAT|RESUME)\s*([:.,])?\s*()")
});
/// A decision's heading that names who decided and when: "Beslutning i
/// Udvalget for Ældre og Sundhed den 04-06-2020", "Beslutning Udvalget for
/// sundhed, kultur og fritid den 20-08-2019".
pub(super) static DECISION_BY: LazyLock<LinePattern> = LazyLock::new(|| LinePattern::new(r"^(?:Beslutning|Beslutninger)\s+(?:i\s+\S|\p{Lu}).{0,120}\s(?:den|d\.)\s+\d.{0,30}$"));
/// A section label: its canonical name and any text on the same line.
pub fn label(line: &str) -> Option<(String, String)> {
    if line.starts_with("Beslutning") && DECISION_BY.is_match(line) {
        return Some(("beslutning".into(), String::new()));
    }
    let (c, rest) = LABEL.head(line)?;
    let word = &c[1];
    let punct = c.get(2).map(|m| m.as_str());
    let rest = rest.trim();
    if !rest.is_empty() {
        // "Referat fra mødet ..." is text; "Referat: Godkendt" is a label.
        let ok = punct == Some(":") || (word == "Det indstilles" && punct == Some(","));
        if !ok {
            return None;
        }
    }
    Some((section_name(word), rest.to_string()))
}

pub fn section_name(word: &str) -> String {
    let w = word.to_lowercase();
    match w.as_str() {
        "indstilling" | "indstillinger" | "det indstilles" => "indstilling".into(),
        "sagsfremstilling" | "sagsfremstillingen" | "sagsbeskrivelse" => "sagsfremstilling".into(),
        "beslutning" | "beslutninger" | "referat" => "beslutning".into(),
        "videre proces" | "den videre proces" => "videre_proces".into(),
        "resumé" => "resume".into(),
        "økonomiske konsekvenser" => "økonomi".into(),
        _ => w.replace(' ', "_"),
    }
}

/// Splits an item's body into labelled sections. Text before any label is
/// the section "tekst".
pub(super) fn sections(body: &[Line]) -> Vec<(String, Vec<String>)> {
    sections_headed("tekst", body)
}

/// Splits an item's body into labelled sections; text before any label is
/// the section `first`.
pub(super) fn sections_headed(first: &str, body: &[Line]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = vec![];
    for (k, l) in body.iter().enumerate() {
        if let Some((name, rest)) = label(&l.text) {
            // Inside an attachment list, a bare label word followed by a
            // labelled line is the title of an attachment ("Bilag:" /
            // "Referat" / "Referat:").
            let in_bilag = out.last().is_some_and(|s| s.0 == "bilag");
            let bare = rest.is_empty() && !l.text.trim_end().ends_with(':');
            let next_is_label = body.get(k + 1).and_then(|n| label(&n.text)).is_some();
            if !(in_bilag && bare && next_is_label && name != "bilag") {
                out.push((name, if rest.is_empty() { vec![] } else { vec![rest] }));
                continue;
            }
        }
        if out.is_empty() {
            out.push((first.into(), vec![]));
        }
        out.last_mut().unwrap().1.push(l.text.clone());
    }
    out
}
