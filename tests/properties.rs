//! Property tests (proptest) of the invariants the archive's users rely on:
//! - normalization is idempotent, and decomposed (NFD) text analyses like
//!   composed (NFC) text;
//! - every line of a document is accounted for once: kept, or named as page
//!   furniture, and each kept line in one meeting header or one item;
//! - an item's id does not depend on the archive-wide word counts that
//!   decide how a line-end hyphen is joined: whatever other documents say,
//!   the same document gives the same ids;
//! - `arkiv parse` and `arkiv index` give the same items, titles and ids
//!   for the same archive (the sample archive, and ../shared/corpus);
//! - joining loses no text: a document written twice as two documents of
//!   one meeting, other words in each copy, keeps every line that either
//!   copy makes findable alone (generated documents, the sample archive,
//!   ../shared/corpus).
//!
//! PROPTEST_CASES sets the cases per property (proptest's default, 256).

mod support;

use arkiv_analysis::{normalize, Analyzer, Lexicon};
use arkiv_ingest::clean::normalize_chars;
use arkiv_ingest::{Config, FileWords, WordTable};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use unicode_normalization::UnicodeNormalization;

/// Danish text as PDF extraction gives it: letters with and without
/// diacritics, ligatures, odd spaces, hyphens, digits and punctuation.
fn text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-ZæøåÆØÅéüö0-9 .,:;()/\\-–ﬁﬂ\u{a0}\u{ad}\u{2009}\n]{0,80}").unwrap()
}

proptest! {
    #[test]
    fn normalizing_twice_changes_nothing(s in text()) {
        let once = normalize_chars(&s);
        prop_assert_eq!(normalize_chars(&once), once.clone());
        let a = normalize(&once);
        prop_assert_eq!(normalize(&a), a.clone());
    }

    #[test]
    fn decomposed_text_cleans_and_analyses_like_composed_text(s in text()) {
        let nfc: String = s.nfc().collect();
        let nfd: String = s.nfd().collect();
        prop_assert_eq!(normalize_chars(&nfd), normalize_chars(&nfc));
        let mut lex = Lexicon::default();
        lex.add_text("hjemmebehandling behandling hjemme sygeplejerske");
        let a = Analyzer::new(Arc::new(lex));
        let words = |t: &str| a.analyze(t).into_iter().map(|t| (t.position, t.word, t.stem, t.hyphen_parts, t.parts)).collect::<Vec<_>>();
        prop_assert_eq!(words(&nfd), words(&nfc));
    }
}

/// Words of agenda items, some long enough to be broken across lines.
const WORDS: &[&str] = &[
    "telemedicin", "hjertesvigt", "sundhedsaftale", "udskrivelse", "genoptræning", "kommune", "borgere", "med", "og", "for",
    "IV-behandling", "KOL", "opfølgning", "forløbsprogram", "rygestop", "Beslutning:", "Sagsfremstilling:", "drøftelse",
];

/// A document whose lines may end in a word broken by a hyphen.
fn document() -> impl Strategy<Value = String> {
    let line = proptest::collection::vec((0..WORDS.len(), any::<bool>(), 1usize..6), 1..8);
    let item = (line.clone(), proptest::collection::vec(line, 0..4));
    proptest::collection::vec(item, 1..6).prop_map(|items| {
        let mut s = String::from("Mødetid: Tirsdag d. 8. november 2022\nMøde i Sundhedsstyregruppen\n");
        let render = |l: &Vec<(usize, bool, usize)>| {
            let mut out = String::new();
            for (k, (w, br, cut)) in l.iter().enumerate() {
                let w = WORDS[*w];
                if k > 0 {
                    out.push(' ');
                }
                // Break the last word of the line across the line's end.
                if *br && k + 1 == l.len() && w.chars().count() > *cut + 1 && w.chars().all(|c| c.is_alphabetic()) {
                    let at = w.char_indices().nth(*cut).unwrap().0;
                    out.push_str(&w[..at]);
                    out.push_str("-\n");
                    out.push_str(&w[at..]);
                } else {
                    out.push_str(w);
                }
            }
            out
        };
        for (n, (title, body)) in items.iter().enumerate() {
            s.push_str(&format!("{}. {}\n", n + 1, render(title)));
            for l in body {
                s.push_str(&render(l));
                s.push('\n');
            }
        }
        s
    })
}

/// Word counts as other documents of an archive could give them: each
/// word's joined and hyphenated forms seen or not.
fn vocabulary() -> impl Strategy<Value = Vec<(usize, usize, u32)>> {
    proptest::collection::vec((0..WORDS.len(), 1usize..6, 0u32..3), 0..30)
}

fn ids(doc: &str, extra: &[(usize, usize, u32)]) -> Vec<(u32, String)> {
    let cfg = Config::embedded();
    let p = arkiv_ingest::prepare("g/referat.txt", "g/referat.txt", doc.as_bytes(), &cfg).unwrap();
    // The other documents' words: a word's joined or hyphenated form.
    let mut others = vec![];
    for &(w, cut, form) in extra {
        let w = WORDS[w];
        let Some((at, _)) = w.char_indices().nth(cut) else { continue };
        match form {
            0 => others.push(w.to_lowercase()),
            1 => others.push(format!("{}-{}", &w[..at], &w[at..]).to_lowercase()),
            _ => {}
        }
    }
    others.sort();
    others.dedup();
    let table = WordTable::of([&FileWords::of_lines(&p.cleaned.lines), &FileWords::of_words(&others)]);
    let f = arkiv_ingest::finish(p, &table, &cfg, &Default::default());
    f.meetings.iter().flat_map(|m| m.items.iter().map(|i| (i.number, i.id.clone()))).collect()
}

proptest! {
    #[test]
    fn item_ids_do_not_depend_on_other_documents_words(doc in document(), a in vocabulary(), b in vocabulary()) {
        prop_assert_eq!(ids(&doc, &a), ids(&doc, &b), "{}", doc);
    }
}

/// What `arkiv parse` gives for a folder (one item per document part) and
/// what `arkiv index` holds for it: every parsed item is an indexed item or
/// joined into one (its id an alias of it), with the same title.
fn parse_and_index_agree(archive: &std::path::Path, cfg: &Config) {
    let parsed = arkiv_ingest::parse_paths(&[archive.to_path_buf()], cfg);
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("ix");
    arkiv_index::index_archive(archive, &ix, cfg, arkiv_ingest::EMBEDDED_SYNONYMS).unwrap();
    let index = arkiv_index::ArkivIndex::open(&ix).unwrap();
    let mut held: BTreeMap<String, usize> = BTreeMap::new();
    let mut n = 0;
    for f in &parsed.files {
        for m in &f.meetings {
            for it in &m.items {
                n += 1;
                let now = match index.item(&it.id) {
                    Ok(s) => s,
                    Err(_) => {
                        let to = index.item_id_for(&it.id).unwrap().unwrap_or_else(|| panic!("{}: the parsed item {} '{}' is not in the index", f.relpath, it.id, it.title));
                        index.item(&to).unwrap()
                    }
                };
                *held.entry(now.item.id.clone()).or_default() += 1;
                // The text indexed from this document is the text parsed from it.
                let doc = now.documents.iter().position(|d| d.id == it.id).unwrap_or_else(|| panic!("{}: {} is not among its item's documents", f.relpath, it.id));
                for (name, text) in &it.sections {
                    if now.section_documents.get(name) == Some(&doc) {
                        assert_eq!(&now.item.sections[name], text, "{}: item {} section {name}", f.relpath, it.id);
                    }
                }
                if now.item.id == it.id {
                    assert_eq!(now.item.title, it.title, "{}: item {}", f.relpath, it.id);
                } else {
                    // A joined item keeps its first document's title; the
                    // other document's title is the same item's title.
                    assert!(now.documents.iter().any(|d| d.id == it.id && d.title == it.title), "{}: {} '{}' joined into {} without its title", f.relpath, it.id, it.title, now.item.id);
                }
            }
        }
    }
    assert_eq!(held.values().sum::<usize>(), n);
    assert_eq!(held.len() as u64, index.num_items(), "every indexed item comes from a parsed one");
}

/// The word table an index keeps is that of the files its manifest holds:
/// after files are removed and one is changed it is what indexing the
/// remaining files from scratch gives, and what `arkiv parse` counts.
#[test]
fn the_word_table_is_that_of_the_files_indexed() {
    let cfg = Config::embedded();
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    support::copy_dir(&support::sample(), &archive);
    let ix = dir.path().join("ix");
    arkiv_index::index_archive(&archive, &ix, &cfg, arkiv_ingest::EMBEDDED_SYNONYMS).unwrap();
    let words = |ix: &std::path::Path| -> Vec<(String, u32)> {
        let mut w: Vec<(String, u32)> = arkiv_index::word_table(ix).unwrap().iter().map(|(w, n)| (w.to_string(), n)).collect();
        w.sort();
        w
    };
    let full = words(&ix);
    // Remove three files and change one.
    let (files, _) = arkiv_ingest::walk_archive(&archive);
    let mut removed = 0;
    for f in files.iter().filter(|f| f.relpath.ends_with(".txt")).take(3) {
        std::fs::remove_file(&f.path).unwrap();
        removed += 1;
    }
    let changed = files.iter().rev().find(|f| f.relpath.ends_with(".txt") && f.path.exists()).unwrap();
    let text = std::fs::read_to_string(&changed.path).unwrap();
    std::fs::write(&changed.path, text.replace("Beslutning", "Beslutning: ordet blåbærtærte")).unwrap();
    let s = arkiv_index::index_archive(&archive, &ix, &cfg, arkiv_ingest::EMBEDDED_SYNONYMS).unwrap();
    assert_eq!((s.removed, s.changed), (removed, 1));
    let updated = words(&ix);
    assert_ne!(updated, full, "removing files should have taken words out");
    assert!(updated.iter().any(|(w, _)| w == "blåbærtærte"));
    let fresh = dir.path().join("fresh");
    arkiv_index::index_archive(&archive, &fresh, &cfg, arkiv_ingest::EMBEDDED_SYNONYMS).unwrap();
    assert_eq!(updated, words(&fresh), "the updated table is the table of the files now in the archive");
    // And `arkiv parse` of the folder counts the same words.
    let (now, _) = arkiv_ingest::walk_archive(&archive);
    let mut parsed: Vec<FileWords> = vec![];
    arkiv_ingest::pipeline::read_files(&now, &cfg, |_, _| true, |r| {
        if let arkiv_ingest::pipeline::Outcome::Ready(x) = r.outcome {
            parsed.push(x.words);
        }
        Ok::<(), ()>(())
    })
    .unwrap();
    let mut p: Vec<(String, u32)> = WordTable::of(&parsed).iter().map(|(w, n)| (w.to_string(), n)).collect();
    p.sort();
    assert_eq!(updated, p);
}

/// When most of the log of each file's words is of files gone, it is
/// written anew with the table renumbered, and a file changed after that
/// still takes exactly its words back out.
#[test]
fn the_word_log_is_written_anew_when_most_of_it_is_gone() {
    let cfg = Config::embedded();
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    support::copy_dir(&support::sample(), &archive);
    let ix = dir.path().join("ix");
    let index = |ix: &std::path::Path| arkiv_index::index_archive(&archive, ix, &cfg, arkiv_ingest::EMBEDDED_SYNONYMS).unwrap();
    let words = |ix: &std::path::Path| -> Vec<(String, u32)> {
        let mut w: Vec<(String, u32)> = arkiv_index::word_table(ix).unwrap().iter().map(|(w, n)| (w.to_string(), n)).collect();
        w.sort();
        w
    };
    let logs = |ix: &std::path::Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(ix).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with("file-words-")).collect();
        v.sort();
        v
    };
    index(&ix);
    let before = logs(&ix);
    assert_eq!(before.len(), 1);
    // All but three documents go.
    let (files, _) = arkiv_ingest::walk_archive(&archive);
    let keep: Vec<_> = files.iter().filter(|f| f.relpath.ends_with(".txt")).take(3).collect();
    for f in files.iter().filter(|f| !keep.iter().any(|k| k.relpath == f.relpath)) {
        std::fs::remove_file(&f.path).unwrap();
    }
    index(&ix);
    let after = logs(&ix);
    assert_eq!(after.len(), 1, "the old log goes once the commit names the new one");
    assert_ne!(after, before, "most of the log was of removed files: it is written anew");
    let fresh = dir.path().join("fresh");
    index(&fresh);
    assert_eq!(words(&ix), words(&fresh));
    // Changed after the renumbering, a file still takes its own words back.
    let text = std::fs::read_to_string(&keep[0].path).unwrap();
    std::fs::write(&keep[0].path, format!("{text}\nOrdet hyldebærsaft.\n")).unwrap();
    index(&ix);
    let fresh2 = dir.path().join("fresh2");
    index(&fresh2);
    assert_eq!(words(&ix), words(&fresh2));
    assert!(words(&ix).iter().any(|(w, _)| w == "hyldebærsaft"));
}

#[test]
fn parse_and_index_give_the_same_items_for_the_sample_archive() {
    parse_and_index_agree(&support::sample(), &Config::embedded());
}

#[test]
fn parse_and_index_give_the_same_items_for_the_shared_corpus() {
    let Some(shared) = support::shared("parse_and_index_give_the_same_items_for_the_shared_corpus") else { return };
    parse_and_index_agree(&shared.join("corpus"), &Config::embedded());
}

/// A document with page furniture put in at random places: page numbers,
/// case numbers, page breaks, lone numbers.
fn document_with_furniture() -> impl Strategy<Value = String> {
    (document(), proptest::collection::vec((0usize..200, 0u8..4), 0..12)).prop_map(|(doc, extra)| {
        let mut lines: Vec<String> = doc.lines().map(str::to_string).collect();
        for (at, what) in extra {
            let line = match what {
                0 => format!("Side {} af 9", at % 9 + 1),
                1 => "1-52-100-22-09".to_string(),
                2 => "\x0c".to_string(),
                _ => format!("{}", at % 40),
            };
            let at = at % (lines.len() + 1);
            lines.insert(at, line);
        }
        lines.join("\n")
    })
}

proptest! {
    /// Every line of a document is accounted for once: cleaning keeps it or
    /// names it as page furniture, and segmentation puts each kept line in
    /// one meeting's header or one item.
    #[test]
    fn every_line_is_accounted_for_once(doc in document_with_furniture(), paged in any::<bool>()) {
        use arkiv_ingest::clean::{clean, join_hyphenated, normalize_chars, split_lines};
        let mut before: Vec<(usize, String)> = split_lines(&normalize_chars(&doc)).into_iter().map(|l| (l.no, l.text)).collect();
        let c = clean(&doc, paged, &|_| false);
        let mut after: Vec<(usize, String)> = c.lines.iter().map(|l| (l.no, l.text.clone())).chain(c.furniture.iter().map(|(l, _)| (l.no, l.text.clone()))).collect();
        before.sort();
        after.sort();
        prop_assert_eq!(before, after);
        let mut lines = c.lines;
        let v = WordTable::of([&FileWords::of_lines(&lines)]);
        join_hyphenated(&mut lines, &v);
        let meetings = arkiv_ingest::segment::segment(&lines);
        let mut next = 0;
        for m in &meetings {
            prop_assert_eq!(m.start, next, "meetings follow each other");
            // The header, then a table of contents whose entries are items
            // (most meetings have none), then the items with their bodies.
            let first = m.items.iter().map(|i| i.lines.start).filter(|&l| l >= m.contents.end).min().unwrap_or(m.end);
            prop_assert_eq!(m.header.len(), m.contents.start - m.start, "the header is the lines before the contents");
            prop_assert!(m.contents.is_empty() || m.contents.end == first, "the contents end where the first item with a body starts");
            let mut at = m.contents.end.max(m.start + m.header.len());
            let mut in_contents = vec![];
            for it in &m.items {
                prop_assert!(it.lines.end > it.lines.start, "item {} has its title line", it.number);
                if it.lines.start < m.contents.end {
                    // An item only the table of contents names: its entry.
                    prop_assert!(it.lines.start >= m.contents.start && it.lines.end <= m.contents.end, "item {} lies in the contents", it.number);
                    in_contents.push(it.lines.clone());
                    continue;
                }
                prop_assert_eq!(it.lines.start, at, "item {} follows the line before it", it.number);
                at = it.lines.end;
            }
            in_contents.sort_by_key(|r| r.start);
            prop_assert!(in_contents.windows(2).all(|w| w[0].end <= w[1].start), "entries hold their lines once");
            prop_assert_eq!(at, m.end, "the last item ends with its meeting");
            next = m.end;
        }
        prop_assert_eq!(next, lines.len(), "the meetings hold every line");
    }
}

/// A marker word for line `n` of copy `copy`: letters only, ending in a
/// letter no Danish suffix ends in, so the stemmer leaves it whole; searched
/// as a quoted phrase, so no other marker matches it with a typo.
fn marker(copy: char, n: usize) -> String {
    const LETTERS: &[u8] = b"bcdfhjlmnprtvwxz";
    let mut s = format!("mk{copy}");
    let mut n = n;
    loop {
        s.push(LETTERS[n % LETTERS.len()] as char);
        n /= LETTERS.len();
        if n == 0 {
            break;
        }
    }
    s.push('q');
    s
}

/// A text with a marker word at the end of every prose line (four words or
/// more, beginning with a letter, not a heading ending in a colon), and
/// the markers it used.
fn with_markers(text: &str, copy: char, next: &mut usize) -> (String, Vec<String>) {
    let (mut out, mut markers) = (String::new(), vec![]);
    for line in text.lines() {
        out.push_str(line);
        let prose = line.split_whitespace().count() >= 4 && line.trim_start().starts_with(char::is_alphabetic) && !line.trim_end().ends_with(':');
        if prose {
            let m = marker(copy, *next);
            *next += 1;
            out.push(' ');
            out.push_str(&m);
            markers.push(m);
        }
        out.push('\n');
    }
    (out, markers)
}

/// Each text document written twice, as two documents of the same meeting
/// (same folder, group and date), with other marker words in each copy:
/// every line findable when a copy is indexed alone is findable once both
/// are indexed and joined. Returns how many lines were findable alone, and
/// how many were marked.
fn written_twice_loses_no_findable_line(docs: &[(String, String)]) -> (usize, usize) {
    let cfg = Config::embedded();
    let dir = tempfile::tempdir().unwrap();
    let (mut next_a, mut next_b) = (0, 0);
    let mut copies: Vec<(String, String, Vec<String>, String, String, Vec<String>)> = vec![];
    for (relpath, text) in docs {
        let (a, ma) = with_markers(text, 'a', &mut next_a);
        let (b, mb) = with_markers(text, 'b', &mut next_b);
        copies.push((relpath.clone(), a, ma, relpath.replace(".txt", "-kopi.txt"), b, mb));
    }
    let write = |archive: &std::path::Path, which: &[bool; 2]| {
        for (pa, a, _, pb, b, _) in &copies {
            for (on, path, text) in [(which[0], pa, a), (which[1], pb, b)] {
                if on {
                    let p = archive.join(path);
                    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                    std::fs::write(p, text).unwrap();
                }
            }
        }
    };
    let findable = |which: [bool; 2], markers: &[&String]| -> Vec<String> {
        let name = format!("{}{}", which[0] as u8, which[1] as u8);
        let archive = dir.path().join(format!("archive-{name}"));
        write(&archive, &which);
        let ix = dir.path().join(format!("ix-{name}"));
        arkiv_index::index_archive(&archive, &ix, &cfg, arkiv_ingest::EMBEDDED_SYNONYMS).unwrap();
        let index = arkiv_index::ArkivIndex::open(&ix).unwrap();
        markers
            .iter()
            .filter(|m| index.search(&arkiv_index::SearchRequest { q: format!("\"{m}\""), limit: 0, ..Default::default() }).unwrap().total > 0)
            .map(|m| m.to_string())
            .collect()
    };
    let (ma, mb): (Vec<&String>, Vec<&String>) = (copies.iter().flat_map(|c| &c.2).collect(), copies.iter().flat_map(|c| &c.5).collect());
    let alone: Vec<String> = findable([true, false], &ma).into_iter().chain(findable([false, true], &mb)).collect();
    let all: Vec<&String> = ma.iter().chain(&mb).copied().collect();
    let joined = findable([true, true], &all);
    let lost: Vec<&String> = alone.iter().filter(|m| !joined.contains(m)).collect();
    assert!(lost.is_empty(), "{} of {} lines findable alone are lost by joining: {:?}", lost.len(), alone.len(), &lost[..lost.len().min(20)]);
    (alone.len(), all.len())
}

proptest! {
    // Each case indexes three archives; a few dozen cases cover the shapes.
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn a_generated_document_written_twice_loses_no_findable_line(doc in document()) {
        written_twice_loses_no_findable_line(&[("g/referat.txt".to_string(), doc)]);
    }
}

#[test]
fn the_sample_archive_written_twice_loses_no_findable_line() {
    let (files, _) = arkiv_ingest::walk_archive(&support::sample());
    let docs: Vec<(String, String)> =
        files.iter().filter(|f| f.relpath.ends_with(".txt")).map(|f| (f.relpath.clone(), arkiv_ingest::decode::decode(&std::fs::read(&f.path).unwrap()).unwrap().text)).collect();
    let (alone, all) = written_twice_loses_no_findable_line(&docs);
    assert!(alone > 50 && alone * 2 > all, "most prose lines are findable alone: {alone} of {all}");
}

#[test]
fn the_shared_corpus_written_twice_loses_no_findable_line() {
    let Some(shared) = support::shared("the_shared_corpus_written_twice_loses_no_findable_line") else { return };
    let (files, _) = arkiv_ingest::walk_archive(&shared.join("corpus"));
    let docs: Vec<(String, String)> =
        files.iter().filter(|f| f.relpath.ends_with(".txt")).map(|f| (f.relpath.clone(), arkiv_ingest::decode::decode(&std::fs::read(&f.path).unwrap()).unwrap().text)).collect();
    assert_eq!(docs.len(), 5);
    let (alone, all) = written_twice_loses_no_findable_line(&docs);
    assert!(alone > 1000 && alone * 2 > all, "most prose lines are findable alone: {alone} of {all}");
}
