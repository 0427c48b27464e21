//! PDF to text, page by page.
//!
//! The reader is `pdf-extract` (MIT, pure Rust on `lopdf`): it builds from
//! crates alone, reads the fonts' Unicode maps (æ, ø, å, ligatures) and keeps
//! the content order, which for the two-column pages of meeting documents is
//! column by column. Each page is read on its own, so a page that breaks the
//! reader loses that page, not the document.
//!
//! Where it fails on the whole file, or its text is mostly junk (fonts
//! without a Unicode map), poppler's `pdftotext` (GPL, run as a separate
//! program, so arkiv's own licence is unaffected) is tried when it is on the
//! PATH (or named by `ARKIV_PDFTOTEXT`), with `-raw` to keep content order,
//! and a note says it was used. `arkiv-ingest`'s example `pdf_compare`
//! measures both on the same files.

use super::{Engine, Extracted, ReadError, ReadOptions};
use pdf_extract::{Document, PlainTextOutput};
use std::process::Command;
use std::time::Instant;

/// The text of each page, read by `pdf-extract`.
pub fn pages_pdf_extract(bytes: &[u8]) -> Result<(Vec<String>, Vec<(String, String)>), ReadError> {
    // The header may follow some junk, within the first kilobyte.
    if !bytes[..bytes.len().min(1024)].windows(4).any(|w| w == b"%PDF") {
        return Err(ReadError::WrongContent { expected: "PDF".into(), found: sniff(bytes).into() });
    }
    let mut doc = Document::load_mem(bytes).map_err(|e| damaged(&e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ReadError::Encrypted);
    }
    let mut pages = vec![];
    let mut notes = vec![];
    let mut fonts = pdf_extract::FontCache::new();
    for num in doc.get_pages().keys().copied() {
        let mut s = String::new();
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut out = PlainTextOutput::new(&mut s);
            pdf_extract::output_doc_page_with(&doc, &mut out, num, &mut fonts).map_err(|e| e.to_string())
        }));
        let failed = match read {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(p) => Some(super::panic_message(p)),
        };
        if let Some(e) = failed {
            notes.push(("read.page-unreadable".to_string(), format!("page {num} could not be read: {e}")));
            s.clear();
        }
        pages.push(s);
    }
    if pages.is_empty() {
        return Err(damaged("no pages"));
    }
    Ok((pages, notes))
}

fn damaged(detail: &str) -> ReadError {
    ReadError::Damaged { format: "PDF".into(), detail: detail.to_string() }
}

/// What a file that should be a PDF or a Word file holds instead.
pub fn sniff(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"%PDF") {
        "a PDF"
    } else if bytes.starts_with(b"PK\x03\x04") {
        "a zip archive"
    } else if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
        "an old Office file (.doc/.xls)"
    } else if bytes.starts_with(b"\x89PNG") || bytes.starts_with(&[0xff, 0xd8, 0xff]) || bytes.starts_with(b"GIF8") {
        "an image"
    } else if bytes.starts_with(b"{\\rtf") {
        "an RTF document"
    } else if std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok() || bytes.iter().take(4096).all(|b| *b >= 0x09) {
        "text"
    } else {
        "unknown binary data"
    }
}

/// poppler's `pdftotext`, where it is installed (or named by `ARKIV_PDFTOTEXT`).
pub fn pdftotext_path() -> Option<std::path::PathBuf> {
    super::programs::find("pdftotext", "ARKIV_PDFTOTEXT")
}

/// The text of each page, read by poppler's `pdftotext -raw` (pages end
/// with a form feed).
pub fn pages_pdftotext(exe: &std::path::Path, bytes: &[u8], opts: &ReadOptions) -> Result<Vec<String>, ReadError> {
    let crashed = |e: String| ReadError::Crashed(format!("pdftotext: {e}"));
    let scratch = super::programs::Scratch::new().map_err(crashed)?;
    let input = scratch.file("in.pdf", bytes).map_err(crashed)?;
    let mut cmd = Command::new(exe);
    cmd.args(["-raw", "-enc", "UTF-8", "-q"]).arg(&input).arg("-");
    let ran = super::programs::run(&mut cmd, Instant::now() + opts.timeout, opts.max_text_bytes as u64 + 1).map_err(crashed)?;
    match ran.status {
        None => Err(ReadError::Timeout(opts.timeout.as_secs_f64())),
        Some(s) if !s.success() => Err(match s.code() {
            Some(1) => damaged("pdftotext could not open it"),
            Some(3) => ReadError::Encrypted,
            _ => damaged(&format!("pdftotext exit status {s}")),
        }),
        Some(_) => {
            let text = String::from_utf8_lossy(&ran.stdout).into_owned();
            let mut pages: Vec<String> = text.split('\x0c').map(str::to_string).collect();
            if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
                pages.pop();
            }
            Ok(pages)
        }
    }
}

/// Reads a PDF: `pdf-extract`, then `pdftotext` where that fails or its
/// text is junk. Pages without text are noted; a file of such pages only has
/// no text layer.
pub fn read(bytes: &[u8], opts: &ReadOptions) -> Result<Extracted, ReadError> {
    let first = pages_pdf_extract(bytes);
    let needs_fallback = match &first {
        Ok((pages, _)) => crate::decode::junk_ratio(&pages.concat()) > crate::decode::MAX_JUNK,
        Err(ReadError::WrongContent { .. }) | Err(ReadError::Encrypted) => false,
        Err(_) => true,
    };
    let fallback = if needs_fallback && opts.pdftotext_fallback { pdftotext_path() } else { None };
    let (pages, notes, engine) = match (first, fallback) {
        (first, Some(exe)) => match pages_pdftotext(&exe, bytes, opts) {
            Ok(pages) => {
                let why = match &first {
                    Ok(_) => "pdf-extract gave mostly unreadable characters".to_string(),
                    Err(e) => format!("pdf-extract failed: {e}"),
                };
                (pages, vec![("read.fallback".to_string(), format!("read with pdftotext ({why})"))], Engine::Pdftotext)
            }
            Err(_) => {
                let (p, n) = first?;
                (p, n, Engine::PdfExtract)
            }
        },
        (first, None) => {
            let (p, n) = first?;
            (p, n, Engine::PdfExtract)
        }
    };
    // Pages without text are left to OCR ([`super::ocr`]), which notes
    // those it cannot read.
    let textless: Vec<u32> = pages.iter().enumerate().filter(|(_, p)| p.trim().is_empty()).map(|(k, _)| k as u32 + 1).collect();
    let total: usize = pages.iter().map(|p| p.len() + 1).sum();
    if total > opts.max_text_bytes {
        return Err(ReadError::TextTooLong(opts.max_text_bytes as u64 / (1024 * 1024)));
    }
    // Pages are joined with a form feed at the start of each new page: the
    // cleaner counts pages by them, as in text extracted with its page breaks.
    let mut text = String::with_capacity(total);
    for (k, p) in pages.iter().enumerate() {
        if k > 0 {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push('\x0c');
        }
        text.push_str(p);
    }
    Ok(Extracted { text, pages: Some(pages.len() as u32), engine, notes, textless, ocr: vec![] })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, ObjectId, Stream};

    /// A Helvetica font whose ToUnicode map sends byte `A` to `to`.
    fn font_mapping_a_to(doc: &mut Document, to: char) -> ObjectId {
        let cmap = format!(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n1 beginbfchar\n<41> <{:04X}>\nendbfchar\nendcmap\nend\nend\n",
            to as u32
        );
        font_with_cmap(doc, &cmap)
    }

    /// A Helvetica font with this ToUnicode map.
    fn font_with_cmap(doc: &mut Document, cmap: &str) -> ObjectId {
        let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.as_bytes().to_vec()));
        doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "ToUnicode" => to_unicode })
    }

    /// A PDF of one page per `(resource name, font)`, each page showing
    /// `AAA` in that font under that name.
    fn pdf(pages: &[(&str, char)]) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let mut fonts: Vec<(char, ObjectId)> = vec![];
        let pages: Vec<(&str, ObjectId, &[u8])> = pages
            .iter()
            .map(|(name, to)| {
                let font = match fonts.iter().find(|(c, _)| c == to) {
                    Some((_, id)) => *id,
                    None => {
                        let id = font_mapping_a_to(&mut doc, *to);
                        fonts.push((*to, id));
                        id
                    }
                };
                (*name, font, &b"AAA"[..])
            })
            .collect();
        pdf_of(doc, &pages)
    }

    /// `doc` with one page per `(resource name, font, text)`, each page
    /// showing those bytes in that font under that name.
    fn pdf_of(mut doc: Document, pages: &[(&str, ObjectId, &[u8])]) -> Vec<u8> {
        let pages_id = doc.new_object_id();
        let mut kids = vec![];
        for &(name, font, text) in pages {
            let ops = vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec![Object::Name(name.as_bytes().to_vec()), 12.into()]),
                Operation::new("Td", vec![72.into(), 700.into()]),
                Operation::new("Tj", vec![Object::String(text.to_vec(), lopdf::StringFormat::Literal)]),
                Operation::new("ET", vec![]),
            ];
            let content = doc.add_object(Stream::new(dictionary! {}, Content { operations: ops }.encode().unwrap()));
            let resources = dictionary! { "Font" => dictionary! { name => font } };
            kids.push(Object::Reference(doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            })));
        }
        let count = kids.len() as i64;
        doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = vec![];
        doc.save_to(&mut out).unwrap();
        out
    }

    /// Fonts are kept from page to page by their object, not by the name a
    /// page gives them: a name can mean another font on the next page, and
    /// one font can go by another name.
    #[test]
    fn each_page_is_read_with_its_own_fonts() {
        let bytes = pdf(&[("F1", 'æ'), ("F1", 'ø'), ("F7", 'æ'), ("F1", 'æ'), ("F2", 'ø')]);
        let (pages, notes) = pages_pdf_extract(&bytes).unwrap();
        assert!(notes.is_empty(), "{notes:?}");
        let words: Vec<&str> = pages.iter().map(|p| p.trim()).collect();
        assert_eq!(words, ["æææ", "øøø", "æææ", "æææ", "øøø"]);
    }

    /// A ToUnicode map's codes and what each maps to, in each of the forms
    /// a CMap gives them: one code (to one character or to several), a range
    /// counted on from a two- or four-byte start, and a range given as a
    /// list. The same map with a comment between two of its values (which
    /// the reader hands to adobe_cmap_parser) reads the same.
    #[test]
    fn a_fonts_unicode_map_is_read_in_each_of_its_forms() {
        let cmap = "%!PS-Adobe-3.0 Resource-CMap\n/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
            1 begincodespacerange\n<00> <FF>\nendcodespacerange\n\
            2 beginbfchar\n<41> <00E6>\n<42> <00660066>\nendbfchar\n\
            3 beginbfrange\n<43> <45> <0061>\n<46> <47> [<00F8> <00E5>]\n<48> <49> <D83DDE00>\nendbfrange\n\
            endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
        let with_comment = cmap.replace("<41> <00E6>", "<41> % æ\n<00E6>");
        for cmap in [cmap, with_comment.as_str()] {
            let mut doc = Document::with_version("1.5");
            let font = font_with_cmap(&mut doc, cmap);
            let bytes = pdf_of(doc, &[("F1", font, b"ABCDEFGHI")]);
            let (pages, notes) = pages_pdf_extract(&bytes).unwrap();
            assert!(notes.is_empty(), "{notes:?}");
            assert_eq!(pages.iter().map(|p| p.trim()).collect::<Vec<_>>(), ["æffabcøå😀😁"], "{cmap}");
        }
    }
}
