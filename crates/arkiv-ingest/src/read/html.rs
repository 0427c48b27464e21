//! Saved web pages (.html, .htm) to text: the page's own structure, read
//! from the tree a browser would build (html5ever, through `scraper`).
//!
//! - The encoding is the byte order mark's, else the one a `<meta>` tag
//!   names, else UTF-8 where the bytes are UTF-8, else Windows-1252.
//! - Headings, paragraphs, list items, definition terms and table rows are
//!   lines ([`super::layout`]); an ordered list's numbers are written in
//!   front of its items as a browser shows them ("3.", "b.", "iv."), an
//!   unordered list's items get a bullet.
//! - Left out: scripts, styles, forms' controls, navigation, the site's
//!   header and footer around the content, hidden elements, cookie banners
//!   and breadcrumbs. Where the page marks its content (`<main>`, or
//!   `role="main"`), only that is read, with the page's `<title>` first
//!   when the content has no heading of the first level.
//! - Web controls inside the content ("Udskriv", "Til toppen", "fold ind")
//!   are lines of their own and left to the cleaner, as for web text.

use super::layout::Lines;
use super::{Engine, Extracted, ReadError};
use ego_tree::iter::Edge;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use scraper::{ElementRef, Html, Node, Selector};
use std::sync::LazyLock;

/// The selectors the reader asks of every page, parsed once.
static H1: LazyLock<Selector> = LazyLock::new(|| selector("h1"));
static META: LazyLock<Selector> = LazyLock::new(|| selector("meta"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("head > title"));
static MAIN: LazyLock<Selector> = LazyLock::new(|| selector("main, [role=main]"));
static BODY: LazyLock<Selector> = LazyLock::new(|| selector("body"));

fn selector(s: &str) -> Selector {
    Selector::parse(s).expect("a valid selector")
}

/// Reads a saved web page's text, at most `max_text` bytes of it.
pub fn read(bytes: &[u8], max_text: usize) -> Result<Extracted, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    let (source, encoding) = decode(bytes);
    let page = Html::parse_document(&source);
    let mut notes = vec![];
    if encoding != "UTF-8" {
        notes.push(("read.note".to_string(), format!("web page decoded as {encoding}")));
    }
    let content = main_content(&page);
    let mut lines = Lines::new(max_text);
    if content.select(&H1).next().is_none() {
        if let Some(title) = page_title(&page) {
            lines.line(&title)?;
        }
    }
    write(content, &mut lines)?;
    Ok(Extracted { text: lines.finish()?, pages: None, engine: Engine::Html, notes, textless: vec![], ocr: vec![] })
}

/// The page's text and the name of its encoding.
fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return (enc.decode_without_bom_handling(&bytes[bom..]).0.into_owned(), enc.name());
    }
    if let Some(enc) = declared_encoding(bytes) {
        return (enc.decode_without_bom_handling(bytes).0.into_owned(), enc.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), UTF_8.name()),
        Err(_) => (WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(), WINDOWS_1252.name()),
    }
}

/// The encoding a `<meta charset>` or `<meta http-equiv="Content-Type">` of
/// the page's first 4 KB names. The bytes are parsed as Windows-1252 for
/// this: a page that declares its encoding this way writes the declaration
/// in ASCII. A page that declares UTF-16 is read as UTF-8, as browsers do.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = WINDOWS_1252.decode_without_bom_handling(head).0;
    let page = Html::parse_document(&head);
    for m in page.select(&META) {
        let label = match m.value().attr("charset") {
            Some(c) => Some(c.to_string()),
            None if m.value().attr("http-equiv").is_some_and(|h| h.eq_ignore_ascii_case("content-type")) => {
                m.value().attr("content").and_then(charset_of_content_type)
            }
            None => None,
        };
        if let Some(enc) = label.and_then(|l| Encoding::for_label(l.trim().as_bytes())) {
            return Some(if enc.name().starts_with("UTF-16") { UTF_8 } else { enc });
        }
    }
    None
}

/// "text/html; charset=iso-8859-1" → "iso-8859-1".
fn charset_of_content_type(content: &str) -> Option<String> {
    let lower = content.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = lower[at + "charset".len()..].trim_start().strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest.find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace()).unwrap_or(rest.len());
    (end > 0).then(|| rest[..end].to_string())
}

/// The page's `<title>`, its white space folded.
fn page_title(page: &Html) -> Option<String> {
    let t = page.select(&TITLE).next()?.text().collect::<String>();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// The element the page marks as its content, else its body (else the whole).
fn main_content(page: &Html) -> ElementRef<'_> {
    page.select(&MAIN).find(|m| !skipped(m)).or_else(|| page.select(&BODY).next()).unwrap_or_else(|| page.root_element())
}

/// Elements whose text is not the document's.
fn skipped(e: &ElementRef) -> bool {
    let el = e.value();
    let name = el.name();
    if matches!(
        name,
        "script" | "style" | "noscript" | "template" | "head" | "nav" | "button" | "select" | "option" | "input" | "textarea" | "svg" | "math" | "iframe" | "object" | "canvas" | "map" | "dialog"
    ) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden").is_some_and(|v| v.trim() == "true") {
        return true;
    }
    if el.attr("style").is_some_and(|s| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    }) {
        return true;
    }
    if el.attr("role").is_some_and(|r| matches!(r.trim(), "navigation" | "banner" | "contentinfo" | "search" | "dialog" | "alertdialog")) {
        return true;
    }
    // The site's header and footer: those not inside an article or section.
    if matches!(name, "header" | "footer") && !e.ancestors().filter_map(ElementRef::wrap).any(|a| matches!(a.value().name(), "article" | "section" | "main")) {
        return true;
    }
    // Cookie banners, consent boxes and breadcrumbs, by their names.
    let marked = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.contains("cookie") || s.contains("consent") || s.contains("breadcrumb") || s.contains("skip-link") || s.contains("skiplink")
    };
    el.id().is_some_and(marked) || el.classes().any(marked)
}

/// Elements that end the line before them and after them.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "dt"
            | "dd"
            | "dl"
            | "ul"
            | "ol"
            | "blockquote"
            | "pre"
            | "address"
            | "article"
            | "section"
            | "aside"
            | "header"
            | "footer"
            | "main"
            | "figure"
            | "figcaption"
            | "details"
            | "summary"
            | "hr"
            | "table"
            | "caption"
            | "fieldset"
            | "legend"
            | "form"
            | "center"
    )
}

/// An open list: ordered or not, its next number, its numbering type.
struct List {
    ordered: bool,
    next: i64,
    step: i64,
    kind: char,
}

/// The text under `root`, written line by line. The tree is walked with an
/// explicit edge iterator, not recursion: a page may nest deeply.
fn write(root: ElementRef, lines: &mut Lines) -> Result<(), ReadError> {
    let mut para = String::new();
    // A list item's label waits for the item's first text, which may be
    // inside a paragraph of its own.
    let mut label: Option<String> = None;
    let mut lists: Vec<List> = vec![];
    // Depth inside a skipped element, and inside <pre>.
    let (mut skip, mut pre) = (0usize, 0usize);
    let flush = |para: &mut String, label: &mut Option<String>, lines: &mut Lines| -> Result<(), ReadError> {
        if !para.trim().is_empty() {
            match label.take() {
                Some(l) => lines.line(&format!("{l} {}", para.trim_start()))?,
                None => lines.line(para)?,
            }
        }
        para.clear();
        Ok(())
    };
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(_) => {
                    let e = ElementRef::wrap(node).expect("an element");
                    if skip > 0 || skipped(&e) {
                        skip += 1;
                        continue;
                    }
                    let name = e.value().name();
                    if is_block(name) {
                        flush(&mut para, &mut label, lines)?;
                    }
                    match name {
                        "br" => flush(&mut para, &mut label, lines)?,
                        "pre" => pre += 1,
                        "ol" | "ul" | "menu" => {
                            let ordered = name == "ol";
                            let reversed = ordered && e.value().attr("reversed").is_some();
                            let start = e.value().attr("start").and_then(|s| s.trim().parse::<i64>().ok());
                            let kind = e.value().attr("type").and_then(|t| t.chars().next()).unwrap_or('1');
                            let count = if reversed { e.child_elements().filter(|c| c.value().name() == "li").count() as i64 } else { 1 };
                            lists.push(List { ordered, next: start.unwrap_or(count), step: if reversed { -1 } else { 1 }, kind });
                        }
                        "li" => {
                            if let Some(list) = lists.last_mut() {
                                if list.ordered {
                                    if let Some(v) = e.value().attr("value").and_then(|s| s.trim().parse::<i64>().ok()) {
                                        list.next = v;
                                    }
                                    label = Some(list_label(list.next, list.kind));
                                    list.next += list.step;
                                } else {
                                    label = Some("•".into());
                                }
                            }
                        }
                        "tr" => lines.open_row()?,
                        "img" => {
                            // An image's text alternative is its text where it is a word or more.
                            if let Some(alt) = e.value().attr("alt").filter(|a| a.chars().any(char::is_alphanumeric)) {
                                push_text(&mut para, alt, false);
                            }
                        }
                        _ => {}
                    }
                }
                Node::Text(t) if skip == 0 => {
                    push_text(&mut para, t, pre > 0);
                    lines.check(para.len())?;
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Node::Element(el) = node.value() else { continue };
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let name = el.name();
                if is_block(name) {
                    flush(&mut para, &mut label, lines)?;
                }
                match name {
                    "td" | "th" => {
                        flush(&mut para, &mut label, lines)?;
                        lines.close_cell();
                    }
                    "tr" => {
                        flush(&mut para, &mut label, lines)?;
                        lines.close_row()?;
                    }
                    "pre" => pre = pre.saturating_sub(1),
                    "li" => label = None,
                    "ol" | "ul" | "menu" => {
                        lists.pop();
                    }
                    _ => {}
                }
            }
        }
    }
    flush(&mut para, &mut label, lines)
}

/// Appends text as a browser lays it out: runs of white space as one space
/// (inside `<pre>`, line breaks kept), a no-break space as a space, a tab as
/// a space (a tab is a cell boundary in the readers' text).
fn push_text(para: &mut String, t: &str, pre: bool) {
    for c in t.chars() {
        let c = if c == '\u{a0}' { ' ' } else { c };
        if pre && c == '\n' {
            para.push('\n');
        } else if c.is_whitespace() {
            if !para.is_empty() && !para.ends_with([' ', '\n']) {
                para.push(' ');
            }
        } else {
            para.push(c);
        }
    }
}

/// An ordered list item's label as a browser shows it: "3.", "c.", "iv.".
fn list_label(n: i64, kind: char) -> String {
    let n = n.max(0) as u32;
    let s = match kind {
        'a' => super::docx::format_number(n, "lowerLetter"),
        'A' => super::docx::format_number(n, "upperLetter"),
        'i' => super::docx::format_number(n, "lowerRoman"),
        'I' => super::docx::format_number(n, "upperRoman"),
        _ => n.to_string(),
    };
    format!("{s}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        read(html.as_bytes(), 1 << 20).unwrap().text
    }

    #[test]
    fn a_page_is_its_blocks_as_lines_without_its_site() {
        let page = r#"<!DOCTYPE html><html><head><title>Referat - Sundhedsudvalget</title>
            <style>p { color: red }</style><script>var x = "Godkendelse";</script></head>
            <body><header><nav><a href="/">Forside</a></nav></header>
            <div id="cookie-banner">Vi bruger cookies <button>OK</button></div>
            <main><h1>Referat af møde i Sundhedsudvalget</h1>
            <p>Mødedato: 12.&nbsp;maj 2020</p>
            <ol><li>Godkendelse af <b>dagsorden</b></li><li>Orientering</li></ol>
            <ol start="7" type="a"><li>første</li></ol>
            <ul><li>Pkt. 8 Budget</li></ul>
            <p hidden>skjult</p><p style="display: none">skjult</p>
            <table><tr><th>Sag</th><th>Beslutning</th></tr><tr><td>Budget</td><td><p>Godkendt</p><p>uden ændringer</p></td></tr></table>
            <pre>linje 1
linje 2</pre></main><footer>Region Syddanmark · Damhaven 12</footer></body></html>"#;
        assert_eq!(
            text(page),
            "Referat af møde i Sundhedsudvalget\nMødedato: 12. maj 2020\n1. Godkendelse af dagsorden\n2. Orientering\ng. første\n• Pkt. 8 Budget\nSag\tBeslutning\nBudget\tGodkendt uden ændringer\nlinje 1\nlinje 2\n"
        );
    }

    #[test]
    fn the_title_opens_a_page_whose_content_has_no_heading() {
        assert_eq!(text("<title>Dagsorden  Ældrerådet</title><p>1. Velkomst</p>"), "Dagsorden Ældrerådet\n1. Velkomst\n");
    }

    #[test]
    fn the_declared_encoding_is_read() {
        let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><body><p>".to_vec();
        page.extend_from_slice(b"K\xf8benhavn og \xc6r\xf8</p></body></html>");
        let ex = read(&page, 1 << 20).unwrap();
        assert_eq!(ex.text, "København og Ærø\n");
        let page = "<meta charset=\"windows-1252\"><p>Bornholm</p>".as_bytes();
        assert_eq!(read(page, 1 << 20).unwrap().notes.len(), 1);
        assert_eq!(charset_of_content_type("text/html;Charset = \"UTF-8\""), Some("utf-8".into()));
    }

    #[test]
    fn a_deep_page_is_read_without_recursion() {
        let page = format!("{}<p>Bund</p>", "<div>".repeat(5_000));
        assert!(text(&page).contains("Bund"));
    }

    #[test]
    fn a_layout_table_is_read_as_lines() {
        let page = "<table><tr><td>Menu</td><td><table><tr><td>1.</td><td>Velkomst</td></tr></table></td></tr></table>";
        assert_eq!(text(page), "Menu\n1.\tVelkomst\n");
    }
}
