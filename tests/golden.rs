//! The project's real documents (tests/real/) against their golden parse,
//! and the five real documents in ../shared/corpus against theirs:
//! every item with its number and title, no extra items, every meeting's
//! group and kind, every date golden gives, and at least 95% of the
//! municipalities named.

mod support;
#[path = "support/word.rs"]
mod word;

use arkiv_ingest::{parse_paths, Config};
use serde::Deserialize;
use support::norm_title;

#[derive(Deserialize)]
struct Golden {
    file: Vec<GFile>,
}
#[derive(Deserialize)]
struct GFile {
    name: String,
    meeting: Vec<GMeeting>,
}
#[derive(Deserialize)]
struct GMeeting {
    group: String,
    kind: String,
    date: Option<String>,
    year: Option<i32>,
    case_number: Option<String>,
    item: Vec<GItem>,
}
#[derive(Deserialize)]
struct GItem {
    number: u32,
    title: String,
    #[serde(default)]
    municipalities: Vec<String>,
}

fn golden(corpus: &std::path::Path) -> Golden {
    toml::from_str(&std::fs::read_to_string(corpus.join("golden.toml")).unwrap()).unwrap()
}

#[test]
fn corpus_matches_golden() {
    let Some(shared) = support::shared("corpus_matches_golden") else { return };
    let corpus = shared.join("corpus");
    let golden = golden(&corpus);
    let paths: Vec<_> = golden.file.iter().map(|f| corpus.join(&f.name)).collect();
    let out = parse_paths(&paths, &Config::embedded());
    check(&golden, &out, |name| name.to_string());
}

/// Each corpus document set as a PDF (line by line, with a running header
/// and a page footer added on every page, by the project's fixture script)
/// parses as golden says its text does.
#[test]
fn corpus_as_pdf_matches_golden() {
    let Some(shared) = support::shared("corpus_as_pdf_matches_golden") else { return };
    let corpus = shared.join("corpus");
    let golden = golden(&corpus);
    let out_dir = tempfile::tempdir().unwrap();
    let txts: Vec<_> = golden.file.iter().map(|f| corpus.join(&f.name)).collect();
    if !support::make_text_pdfs("corpus_as_pdf_matches_golden", out_dir.path(), &txts) {
        return;
    }
    let pdfs: Vec<_> = golden.file.iter().map(|f| out_dir.path().join(f.name.replace(".txt", ".pdf"))).collect();
    let out = parse_paths(&pdfs, &Config::embedded());
    for f in &out.files {
        assert_eq!(f.encoding, "pdf-extract", "{}: read by the built-in PDF reader", f.path);
        assert!(f.pages.is_some_and(|n| n >= 1), "{}: pages known", f.path);
        for it in f.meetings.iter().flat_map(|m| &m.items) {
            let (a, b) = (it.page.expect("a PDF item has its page"), it.page_end.expect("and its last page"));
            assert!(1 <= a && a <= b && b <= f.pages.unwrap(), "{}: item {} pages {a}-{b}", f.path, it.number);
            assert!(!it.body().contains("Region Midtjylland · Sundhedsaftalen"), "{}: item {}: the running header is furniture", f.path, it.number);
        }
    }
    check(&golden, &out, |name| name.replace(".txt", ".pdf"));
}

/// Each corpus meeting as a Word file laid out the way a secretariat's
/// template does it: the group, the kind and the date in the page header
/// only, the body from the meeting's first item on (what came before it,
/// the document's own heading with its facts, left out). It parses as
/// golden says its text does: items and facts.
#[test]
fn corpus_as_word_with_the_facts_in_the_page_header_matches_golden() {
    let Some(shared) = support::shared("corpus_as_word_with_the_facts_in_the_page_header_matches_golden") else { return };
    let corpus = shared.join("corpus");
    let all = golden(&corpus);
    let months = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"];
    let dir = tempfile::tempdir().unwrap();
    let mut files = vec![];
    // A document of two meetings (agenda and minutes in one file) is two
    // Word files, each from its meeting's first item to the next's.
    for gf in all.file {
        let text = std::fs::read_to_string(corpus.join(&gf.name)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let mut starts = vec![];
        for gm in &gf.meeting {
            let first = &gm.item[0];
            let title_start: String = norm_title(&first.title).chars().take(12).collect();
            let from = starts.last().map(|s| s + 1).unwrap_or(0);
            let at = (from..lines.len())
                .find(|&k| {
                    let t = norm_title(lines[k]);
                    t.starts_with(&first.number.to_string()) && t.contains(&title_start)
                })
                .unwrap_or_else(|| panic!("{}: the first item's line", gf.name));
            starts.push(at);
        }
        // Where the next meeting's own heading begins, as the text's parse
        // finds it: that heading is no part of this meeting's file.
        let parsed = parse_paths(&[corpus.join(&gf.name)], &Config::embedded());
        let heads: Vec<usize> = parsed.files[0].meetings.iter().map(|m| m.head.line.saturating_sub(1)).collect();
        for (k, gm) in gf.meeting.into_iter().enumerate() {
            let end = heads.get(k + 1).copied().filter(|&h| h > starts[k]).or(starts.get(k + 1).copied()).unwrap_or(lines.len());
            let kind = if gm.kind == "referat" { "Referat" } else { "Dagsorden" };
            let mut header = vec![gm.group.clone(), kind.to_string()];
            if let Some(d) = &gm.date {
                let d = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
                use chrono::Datelike;
                header.push(format!("Mødedato: {}. {} {}", d.day(), months[d.month0() as usize], d.year()));
            }
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let name = gf.name.replace(".txt", &format!("-{k}.txt"));
            std::fs::write(dir.path().join(name.replace(".txt", ".docx")), word::docx(&header, &lines[starts[k]..end], &["Sekretariatet for Sundhedsaftalen"])).unwrap();
            files.push(GFile { name, meeting: vec![gm] });
        }
    }
    let golden = Golden { file: files };
    let paths: Vec<_> = golden.file.iter().map(|f| dir.path().join(f.name.replace(".txt", ".docx"))).collect();
    let out = parse_paths(&paths, &Config::embedded());
    let items: usize = golden.file.iter().map(|f| f.meeting[0].item.len()).sum();
    eprintln!("corpus as Word, facts in the page header: {} meetings, {items} items", golden.file.len());
    check(&golden, &out, |name| name.replace(".txt", ".docx"));
}

/// Each corpus document scanned (its PDF's pages as images, no text
/// layer) is read by OCR where Tesseract with Danish is installed: every
/// item with its number and title (an en dash and a hyphen are one sign
/// here: at 200 dpi OCR cannot tell them apart), every item says it was
/// read by OCR, and the meeting's facts right on at least 80% of the
/// meetings (a misread word can hide the one mention of a group that the
/// text alone names). Prints the figures.
#[test]
fn corpus_scanned_matches_golden() {
    let Some(shared) = support::shared("corpus_scanned_matches_golden") else { return };
    if arkiv_ingest::read::ocr::programs().is_none() {
        if std::env::var_os("CI").is_some() {
            panic!("Tesseract with Danish is not installed; CI installs tesseract-ocr and tesseract-ocr-dan");
        }
        eprintln!("SKIPPED corpus_scanned_matches_golden: apt install tesseract-ocr tesseract-ocr-dan poppler-utils");
        return;
    }
    let corpus = shared.join("corpus");
    let golden = golden(&corpus);
    let out_dir = tempfile::tempdir().unwrap();
    let txts: Vec<_> = golden.file.iter().map(|f| corpus.join(&f.name)).collect();
    if !support::make_scanned_pdfs("corpus_scanned_matches_golden", out_dir.path(), &txts) {
        return;
    }
    let pdfs: Vec<_> = golden.file.iter().map(|f| out_dir.path().join(f.name.replace(".txt", ".pdf"))).collect();
    let out = parse_paths(&pdfs, &Config::embedded());
    for f in &out.files {
        assert!(f.diagnostics.iter().any(|d| d.code == "read.ocr"), "{}: {:?}", f.path, f.diagnostics);
        for it in f.meetings.iter().flat_map(|m| &m.items) {
            assert!(it.ocr.is_some_and(|c| c >= 80), "{}: item {} read by OCR with its confidence: {:?}", f.path, it.number, it.ocr);
        }
    }
    let dash = |t: &str| norm_title(t).replace(['–', '—'], "-");
    let (mut meetings, mut facts, mut items, mut found) = (0, 0, 0, 0);
    let mut misses = vec![];
    for gf in &golden.file {
        let name = gf.name.replace(".txt", ".pdf");
        let f = out.files.iter().find(|f| f.relpath == name).unwrap();
        for (k, gm) in gf.meeting.iter().enumerate() {
            meetings += 1;
            let Some(m) = f.meetings.get(k) else {
                misses.push(format!("{name}: meeting {} missing", k + 1));
                continue;
            };
            let right = m.head.group.as_deref().map(norm_title) == Some(norm_title(&gm.group))
                && m.head.kind.map(|k| k.as_str()) == Some(gm.kind.as_str())
                && gm.date.as_ref().is_none_or(|d| m.head.date.map(|x| x.to_string()).as_ref() == Some(d));
            if right {
                facts += 1;
            } else {
                misses.push(format!("{name}: facts {:?} {:?} {:?}, want {} {} {:?}", m.head.group, m.head.kind, m.head.date, gm.group, gm.kind, gm.date));
            }
            let got: Vec<(u32, String)> = m.items.iter().map(|i| (i.number, dash(&i.title))).collect();
            for gi in &gm.item {
                items += 1;
                if got.contains(&(gi.number, dash(&gi.title))) {
                    found += 1;
                } else {
                    misses.push(format!("{name}: item {} '{}' not found", gi.number, gi.title));
                }
            }
            assert_eq!(got.len(), gm.item.len(), "{name}: no extra items: {got:?}");
        }
    }
    eprintln!("corpus scanned, read by OCR: items {found}/{items}, meeting facts right on {facts}/{meetings}");
    for m in &misses {
        eprintln!("  {m}");
    }
    assert_eq!(found, items, "every item found");
    assert!(facts * 100 >= meetings * 80, "meeting facts right on {facts}/{meetings}");
}

/// The project's own set of real documents (tests/real/: public agendas and
/// minutes of municipalities, regions, councils and Folketinget, their
/// golden written by reading them): at least 95% of the items found with
/// number and title, no item that is not one, and the meeting's group, kind
/// and date right on at least 95% of the items found. Prints the figures
/// and every miss.
#[test]
fn real_documents_match_golden() {
    let dir = support::root().join("tests/real");
    let golden = golden(&dir);
    let paths: Vec<_> = golden.file.iter().map(|f| dir.join(&f.name)).collect();
    let out = parse_paths(&paths, &Config::embedded());
    let (mut want, mut found, mut extra, mut facts) = (0, 0, 0, 0);
    let mut misses = vec![];
    for gf in &golden.file {
        let f = out.files.iter().find(|f| f.relpath == gf.name).unwrap_or_else(|| panic!("{} missing from the parse", gf.name));
        let got: Vec<(u32, String, &arkiv_ingest::MeetingHead)> = f.meetings.iter().flat_map(|m| m.items.iter().map(move |i| (i.number, norm_title(&i.title), &m.head))).collect();
        let mut wanted = vec![];
        for gm in &gf.meeting {
            for gi in &gm.item {
                want += 1;
                let key = (gi.number, norm_title(&gi.title));
                wanted.push(key.clone());
                let Some((_, _, head)) = got.iter().find(|(n, t, _)| (*n, t.clone()) == key) else {
                    misses.push(format!("{}: item {} '{}' not found", gf.name, gi.number, gi.title));
                    continue;
                };
                found += 1;
                let right = head.group.as_deref().map(norm_title) == Some(norm_title(&gm.group))
                    && head.kind.map(|k| k.as_str()) == Some(gm.kind.as_str())
                    && gm.date.as_ref().is_none_or(|d| head.date.map(|x| x.to_string()).as_ref() == Some(d));
                if right {
                    facts += 1;
                } else {
                    misses.push(format!("{}: item {}: {:?} {:?} {:?}, want {} {} {:?}", gf.name, gi.number, head.group, head.kind, head.date, gm.group, gm.kind, gm.date));
                }
            }
        }
        for (n, t, _) in &got {
            if !wanted.contains(&(*n, t.clone())) {
                extra += 1;
                misses.push(format!("{}: extra item {n} '{t}'", gf.name));
            }
        }
    }
    eprintln!("tests/real: {} documents, items {found}/{want} with number and title, {extra} extra, meeting facts right on {facts}/{found}", golden.file.len());
    for m in &misses {
        eprintln!("  {m}");
    }
    assert!(found * 100 >= want * 95, "items {found}/{want} under 95%");
    assert_eq!(extra, 0, "items that are not items");
    assert!(facts * 100 >= found * 95, "meeting facts right on {facts}/{found}, under 95%");
}

fn check(golden: &Golden, out: &arkiv_ingest::ArchiveParse, file_of: impl Fn(&str) -> String) {
    let mut problems = vec![];
    let (mut want_m, mut got_m) = (0, 0);
    for gf in &golden.file {
        let name = file_of(&gf.name);
        let f = out.files.iter().find(|f| f.relpath == name).unwrap_or_else(|| panic!("{name} missing from the parse"));
        assert_eq!(f.meetings.len(), gf.meeting.len(), "{}: meetings", gf.name);
        for (gm, m) in gf.meeting.iter().zip(&f.meetings) {
            if norm_title(m.head.group.as_deref().unwrap_or("")) != norm_title(&gm.group) {
                problems.push(format!("{}: group {:?}, want {:?}", gf.name, m.head.group, gm.group));
            }
            if m.head.kind.map(|k| k.as_str()) != Some(gm.kind.as_str()) {
                problems.push(format!("{}: kind {:?}, want {}", gf.name, m.head.kind, gm.kind));
            }
            match (&gm.date, gm.year) {
                (Some(d), _) => {
                    if m.head.date.map(|d| d.to_string()).as_ref() != Some(d) {
                        problems.push(format!("{}: date {:?}, want {d}", gf.name, m.head.date));
                    }
                }
                // The text gives no meeting date: unknown, or at most the right year.
                (None, Some(y)) => {
                    if m.head.date.is_some_and(|d| !d.to_string().starts_with(&y.to_string())) {
                        problems.push(format!("{}: date {:?} invented; the text gives only the year {y}", gf.name, m.head.date));
                    }
                }
                (None, None) => {}
            }
            if gm.case_number.is_some() && m.head.case_number != gm.case_number {
                problems.push(format!("{}: case number {:?}, want {:?}", gf.name, m.head.case_number, gm.case_number));
            }
            let got: Vec<(u32, String)> = m.items.iter().map(|i| (i.number, norm_title(&i.title))).collect();
            let want: Vec<(u32, String)> = gm.item.iter().map(|i| (i.number, norm_title(&i.title))).collect();
            if got != want {
                problems.push(format!("{}: items\n  got  {got:?}\n  want {want:?}", gf.name));
                continue;
            }
            for (gi, it) in gm.item.iter().zip(&m.items) {
                want_m += gi.municipalities.len();
                got_m += gi.municipalities.iter().filter(|x| it.municipalities.contains(x)).count();
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let recall = got_m as f64 / want_m.max(1) as f64;
    eprintln!("municipality recall {recall:.3} ({got_m}/{want_m})");
    assert!(recall >= 0.95, "municipality recall {recall:.3} < 0.95");
}
