//! PDF, Word, OpenDocument, RTF and web pages: they parse like the text of
//! the same document, items know their pages, and broken files are
//! reported with their reason. The fixtures are made by
//! tests/fixtures/make_fixtures.py.

mod support;
#[path = "support/word.rs"]
mod word;

use arkiv_ingest::{parse_paths, read::ReadOptions, Config, FileParse};
use support::norm_title;

fn config() -> Config {
    let mut cfg = Config::embedded();
    // What is checked here is arkiv's own reader, whatever is installed.
    cfg.read = ReadOptions { pdftotext_fallback: false, ..ReadOptions::default() };
    cfg
}

fn parse_one(path: &std::path::Path) -> FileParse {
    let mut out = parse_paths(&[path.to_path_buf()], &config());
    assert_eq!(out.files.len(), 1);
    out.files.remove(0)
}

type Shape = Vec<(Option<String>, Option<chrono::NaiveDate>, Option<&'static str>, Vec<(u32, String)>)>;

/// What must be the same whatever the format: per meeting the group, date,
/// kind and the items with their numbers and titles.
fn shape(f: &FileParse) -> Shape {
    f.meetings
        .iter()
        .map(|m| (m.head.group.clone(), m.head.date.clone(), m.head.kind.map(|k| k.as_str()), m.items.iter().map(|i| (i.number, norm_title(&i.title))).collect()))
        .collect()
}

#[test]
fn pdf_parses_like_its_text() {
    let root = support::root();
    let txt = parse_one(&root.join("tests/fixtures/documents/klynge-aarhus-2023-09-21-referat.txt"));
    let pdf = parse_one(&support::sample().join("klynge-aarhus/2023-09-21-referat.pdf"));
    assert_eq!(shape(&pdf), shape(&txt));
    assert_eq!(shape(&pdf)[0].3.len(), 4);
    assert_eq!(pdf.encoding, "pdf-extract");
    assert_eq!(pdf.pages, Some(3));
    // Items start and end on their pages: item 3 runs over the page break
    // onto the two-column page.
    let pages: Vec<(Option<u32>, Option<u32>)> = pdf.meetings[0].items.iter().map(|i| (i.page, i.page_end)).collect();
    assert_eq!(pages, vec![(Some(1), Some(1)), (Some(1), Some(1)), (Some(1), Some(2)), (Some(2), Some(2))]);
    // The text, not only the titles: the hyphenated word joined, ligatures
    // folded, both columns in reading order, no page furniture.
    let body = |f: &FileParse, k: usize| f.meetings[0].items[k].body().split_whitespace().collect::<Vec<_>>().join(" ");
    for k in 0..4 {
        assert_eq!(body(&pdf, k), body(&txt, k).replace('\t', " "), "item {} text", k + 1);
    }
    // The scanned attachment page is noted, not an error.
    assert!(pdf.diagnostics.iter().any(|d| d.code == "read.pages-without-text" && d.message.contains("side 3 af 3 har ingen tekst")), "{:?}", pdf.diagnostics);
    // Text files have no pages.
    assert!(txt.meetings[0].items.iter().all(|i| i.page.is_none() && i.page_end.is_none()));
}

#[test]
fn docx_parses_like_its_text() {
    let root = support::root();
    let txt = parse_one(&root.join("tests/fixtures/documents/fokus-boern-2022-11-08-dagsorden.txt"));
    let docx = parse_one(&support::sample().join("fokus-boern/2022-11-08-dagsorden.docx"));
    assert_eq!(shape(&docx), shape(&txt));
    assert_eq!(shape(&docx)[0].3.len(), 4, "Word's automatic numbering gives the item numbers");
    assert_eq!(docx.encoding, "docx");
    // Word does not say where its pages break.
    assert_eq!(docx.pages, None);
    assert!(docx.meetings[0].items.iter().all(|i| i.page.is_none()));
    let body: Vec<String> = docx.meetings[0].items.iter().map(|i| i.body().split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    let want: Vec<String> = txt.meetings[0].items.iter().map(|i| i.body().split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    assert_eq!(body, want);
}

#[test]
fn broken_pdf_and_word_files_are_reported_with_their_reason() {
    let bad = support::root().join("tests/fixtures/bad");
    let dir = tempfile::tempdir().unwrap();
    support::copy_dir(&bad, dir.path());
    std::fs::copy(support::sample().join("klynge-aarhus/2023-09-21-referat.pdf"), dir.path().join("good.pdf")).unwrap();
    let out = parse_paths(&[dir.path().to_path_buf()], &config());
    let codes = |name: &str| -> Vec<String> {
        out.files.iter().filter(|f| f.relpath == name).flat_map(|f| f.diagnostics.iter().map(|d| d.code.clone())).collect()
    };
    assert_eq!(codes("encrypted.pdf"), vec!["read.encrypted"]);
    assert_eq!(codes("truncated.pdf"), vec!["read.damaged"]);
    assert_eq!(codes("broken-xref.pdf"), vec!["read.damaged"]);
    assert_eq!(codes("scanned.pdf"), vec!["read.no-text-layer"]);
    assert_eq!(codes("text-named.pdf"), vec!["read.wrong-content"]);
    assert_eq!(codes("not-a-zip.docx"), vec!["read.wrong-content"]);
    assert_eq!(codes("no-document.docx"), vec!["read.damaged"]);
    assert_eq!(codes("bomb.docx"), vec!["read.text-too-long"]);
    let scanned = out.files.iter().find(|f| f.relpath == "scanned.pdf").unwrap();
    assert!(scanned.diagnostics[0].message.contains("no text layer (scanned?)"), "{}", scanned.diagnostics[0].message);
    // The good file among them is read whole.
    let good = out.files.iter().find(|f| f.relpath == "good.pdf").unwrap();
    assert_eq!(good.meetings[0].items.len(), 4);
}

/// Stray control characters, as PDF extraction and old exports leave them,
/// cost a document nothing: the text is read, the characters dropped, and a
/// note counts them.
#[test]
fn control_characters_in_text_are_dropped_not_the_document() {
    let Some(shared) = support::shared("control_characters_in_text_are_dropped_not_the_document") else { return };
    let corpus = shared.join("corpus");
    let cfg = config();
    // NULs, other C0 controls, DEL, and C1 controls that are not Windows-1252
    // signs (those are read as the sign, see decode::drop_controls).
    let controls = ["\u{0}", "\u{0}\u{0}\u{0}", "\u{1}", "\u{8}", "\u{7f}", "\u{81}", "\u{9d}"];
    for e in std::fs::read_dir(&corpus).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&p).unwrap();
        // A few per page: after every 40th line.
        let mut dirty = String::new();
        let mut added = 0;
        for (k, line) in text.split_inclusive('\n').enumerate() {
            dirty.push_str(line);
            if k % 40 == 20 {
                let c = controls[k / 40 % controls.len()];
                let mid = line.char_indices().nth(line.chars().count() / 2).map(|(i, _)| i).unwrap_or(0);
                dirty.insert_str(dirty.len() - line.len() + mid, c);
                added += c.chars().count();
            }
        }
        let clean = arkiv_ingest::parse_bytes(&name, &name, text.as_bytes(), &cfg, &Default::default());
        let got = arkiv_ingest::parse_bytes(&name, &name, dirty.as_bytes(), &cfg, &Default::default());
        assert_eq!(shape(&got), shape(&clean), "{name}: same items with control characters in it");
        let note = got.diagnostics.iter().find(|d| d.code == "decode.control-characters").unwrap_or_else(|| panic!("{name}: a note on the removed characters"));
        assert_eq!(note.message, format!("{added} control characters removed"));
    }
}

/// Where the built-in reader fails on a PDF that poppler can still read, the
/// file is read with pdftotext and a note says so.
#[test]
fn pdftotext_reads_what_the_builtin_reader_cannot() {
    if arkiv_ingest::read::pdf::pdftotext_path().is_none() {
        if std::env::var_os("CI").is_some() {
            panic!("pdftotext is missing; .ci/run installs poppler-utils");
        }
        eprintln!("SKIPPED pdftotext_reads_what_the_builtin_reader_cannot: pdftotext is not installed (apt-get install poppler-utils); nothing was checked");
        return;
    }
    let root = support::root();
    let mut cfg = Config::embedded();
    cfg.read = ReadOptions::default();
    let out = parse_paths(&[root.join("tests/fixtures/bad/broken-xref.pdf")], &cfg);
    let f = &out.files[0];
    assert_eq!(f.encoding, "pdftotext");
    let note = f.diagnostics.iter().find(|d| d.code == "read.fallback").expect("a note says pdftotext read it");
    assert!(note.message.contains("pdf-extract failed"), "{}", note.message);
    let txt = parse_one(&root.join("tests/fixtures/documents/klynge-aarhus-2023-09-21-referat.txt"));
    assert_eq!(shape(f), shape(&txt));
    assert_eq!(f.pages, Some(3));
}

/// The same document as LibreOffice writes it (tests/fixtures/libreoffice,
/// made by `make_fixtures.py libreoffice`): Word numbering as a word
/// processor stores it (a list per run of items, each with its start), and
/// the PDF it prints, with its tab-set list labels and a title that wraps.
#[test]
fn word_processor_docx_and_pdf_parse_like_the_text() {
    let root = support::root();
    let txt = parse_one(&root.join("tests/fixtures/documents/fokus-boern-2022-11-08-dagsorden.txt"));
    for ext in ["docx", "pdf"] {
        let f = parse_one(&root.join(format!("tests/fixtures/libreoffice/fokus-boern-2022-11-08-dagsorden.{ext}")));
        assert_eq!(shape(&f), shape(&txt), "{ext}");
    }
}

/// One document as LibreOffice saves it in every format it writes, and as
/// a meeting portal's page saved from the browser (the site's header,
/// navigation, cookie banner, print and fold controls around it, declared
/// Windows-1252): the same meeting and items as its text. A table stays a
/// table: its rows are lines with tabs between the cells.
#[test]
fn every_format_of_one_document_parses_like_its_text() {
    let root = support::root();
    let txt = parse_one(&root.join("tests/fixtures/documents/fokus-boern-2022-11-08-dagsorden.txt"));
    let converter = arkiv_ingest::read::convert::soffice().is_some();
    let mut read = vec![];
    for ext in ["docx", "odt", "html", "doc", "rtf"] {
        if matches!(ext, "doc" | "rtf") && !converter {
            if std::env::var_os("CI").is_some() {
                panic!("LibreOffice is not installed; CI installs libreoffice-writer-nogui");
            }
            eprintln!("SKIPPED .{ext}: LibreOffice is not installed (Debian: libreoffice-writer-nogui)");
            continue;
        }
        let f = parse_one(&root.join(format!("tests/fixtures/libreoffice/fokus-boern-2022-11-08-dagsorden.{ext}")));
        assert_eq!(shape(&f), shape(&txt), "{ext}");
        assert!(f.diagnostics.iter().all(|d| !d.code.starts_with("read.") || d.code == "read.note"), "{ext}: {:?}", f.diagnostics);
        let table = f.meetings[0].items[1].sections.get("sagsfremstilling").cloned().unwrap_or_default();
        assert!(table.contains("Randers\t14\tKlar"), "{ext}: the table's row keeps its cells: {table:?}");
        read.push(ext);
    }
    let web = parse_one(&root.join("tests/fixtures/web/fokus-boern-2022-11-08-dagsorden.html"));
    assert_eq!(shape(&web), shape(&txt), "the saved portal page");
    assert_eq!(web.encoding, "html");
    let all: String = web.meetings[0].items.iter().map(|i| format!("{} {}", i.title, i.body())).collect();
    for chrome in ["Udskriv", "fold dette punkt", "Til toppen", "cookies", "Forside", "Politik", "Skottenborg", "dataLayer"] {
        assert!(!all.contains(chrome), "the page's {chrome:?} is not the document's text");
    }
    assert!(all.contains("Børne- og Ungdomspsykiatrisk"), "Windows-1252 letters decoded: {all}");
    eprintln!("formats read like the text: {read:?} and the portal page");
}

/// A Word template puts the meeting's group, kind and date in the page
/// header, not in the body: they are the meeting's facts, and the header
/// and the footer (with its page field) are no item's text.
#[test]
fn word_page_header_gives_the_meeting_facts() {
    let root = support::root();
    let txt = parse_one(&root.join("tests/fixtures/documents/fokus-boern-2022-11-08-dagsorden.txt"));
    let text = std::fs::read_to_string(root.join("tests/fixtures/documents/fokus-boern-2022-11-08-dagsorden.txt")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The body from the first item on: the title, group, time and place are in the header only.
    let first = lines.iter().position(|l| l.starts_with("1. ")).unwrap();
    let header = ["Region Midtjylland\tDagsorden", "Fokusgruppen Sundhed for børn og unge", "Mødedato: 8. november 2022"];
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("dagsorden.docx");
    std::fs::write(&p, word::docx(&header, &lines[first..], &["Sekretariatet for Sundhedsaftalen"])).unwrap();
    let f = parse_one(&p);
    assert_eq!(shape(&f), shape(&txt));
    let all: String = f.meetings[0].items.iter().map(|i| i.body()).collect();
    assert!(!all.contains("Mødedato") && !all.contains("Sekretariatet") && !all.contains("Side 1"), "{all}");
}

/// A scanned PDF where OCR is not installed (here: turned off) is reported
/// with its reason and what would read it, and the rest is read.
#[test]
fn a_scan_without_ocr_is_reported_not_lost() {
    let root = support::root();
    let dir = tempfile::tempdir().unwrap();
    let txt = root.join("tests/fixtures/documents/fokus-boern-2022-11-08-dagsorden.txt");
    if !support::make_scanned_pdfs("a_scan_without_ocr_is_reported_not_lost", dir.path(), &[txt.clone()]) {
        return;
    }
    let mut cfg = config();
    cfg.read.ocr = false;
    let out = parse_paths(&[dir.path().join("fokus-boern-2022-11-08-dagsorden.pdf"), txt], &cfg);
    // The parse lists files by path, and where the checkout and the
    // temporary folder lie decides which comes first: find each by name.
    let by = |ext: &str| out.files.iter().find(|f| f.relpath.ends_with(ext)).unwrap_or_else(|| panic!("the .{ext} is in the parse"));
    let scan = by(".pdf");
    assert!(scan.meetings.is_empty());
    let d = scan.diagnostics.iter().find(|d| d.code == "read.no-text-layer").unwrap_or_else(|| panic!("{:?}", scan.diagnostics));
    assert!(d.message.contains("1 page of images only") && d.message.contains("OCR is turned off"), "{}", d.message);
    assert_eq!(by(".txt").meetings[0].items.len(), 4);
}

/// Without LibreOffice or antiword a .doc or .rtf is reported by name, with
/// the package that would read it, and the rest of the archive is read.
#[test]
fn without_a_converter_doc_and_rtf_are_reported_with_the_package() {
    let root = support::root();
    let dir = tempfile::tempdir().unwrap();
    for ext in ["doc", "rtf"] {
        std::fs::copy(root.join(format!("tests/fixtures/libreoffice/fokus-boern-2022-11-08-dagsorden.{ext}")), dir.path().join(format!("gammel.{ext}"))).unwrap();
    }
    std::fs::copy(root.join("tests/fixtures/documents/fokus-boern-2022-11-08-dagsorden.txt"), dir.path().join("ny.txt")).unwrap();
    let mut cfg = config();
    cfg.read.convert = false;
    let paths: Vec<_> = ["gammel.doc", "gammel.rtf", "ny.txt"].iter().map(|n| dir.path().join(n)).collect();
    let out = parse_paths(&paths, &cfg);
    let by = |name: &str| out.files.iter().find(|f| f.relpath.ends_with(name)).unwrap_or_else(|| panic!("{name} is in the parse"));
    for (name, package) in [("gammel.doc", "antiword"), ("gammel.rtf", "libreoffice-writer-nogui")] {
        let f = by(name);
        assert!(f.meetings.is_empty());
        let d = f.diagnostics.iter().find(|d| d.code == "read.no-converter").unwrap_or_else(|| panic!("{name}: {:?}", f.diagnostics));
        assert!(d.message.contains(package), "{name}: {}", d.message);
    }
    assert_eq!(by("ny.txt").meetings[0].items.len(), 4);
}

/// A PDF is bounded by what reading it costs (time, memory, text), not by
/// its size on disk: minutes with scanned attachments are often 50-150 MB.
#[test]
fn a_large_pdf_with_little_text_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("referat-med-bilag.pdf");
    std::fs::write(&p, support::pdf_with_lines(40, 60 * 1024 * 1024)).unwrap();
    let f = parse_one(&p);
    assert!(f.bytes > 60 * 1024 * 1024);
    assert!(f.diagnostics.iter().all(|d| !d.code.starts_with("walk.") && !d.code.starts_with("read.")), "{:?}", f.diagnostics);
    assert_eq!(f.encoding, "pdf-extract");
    // The same rule for stray control characters as for text files.
    let note = f.diagnostics.iter().find(|d| d.code == "decode.control-characters").expect("the control character is noted");
    assert_eq!(note.message, "1 control character removed");
}
