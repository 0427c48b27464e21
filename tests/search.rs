//! Search over the project's sample archive and over small archives written
//! here: facet counts and filters against counts computed by hand, the
//! Danish mechanisms, bad queries, and index updates.

mod support;

use arkiv_index::{index_archive, ArkivIndex, SearchRequest, Sort};
use arkiv_ingest::{Config, EMBEDDED_SYNONYMS};
use std::path::Path;

fn build(archive: &Path) -> (tempfile::TempDir, ArkivIndex) {
    let dir = tempfile::tempdir().unwrap();
    let idx_dir = dir.path().join("index");
    index_archive(archive, &idx_dir, &Config::embedded(), EMBEDDED_SYNONYMS).unwrap();
    let idx = ArkivIndex::open(&idx_dir).unwrap();
    (dir, idx)
}

fn sample() -> (tempfile::TempDir, ArkivIndex) {
    build(&support::sample())
}

fn req(q: &str) -> SearchRequest {
    SearchRequest { q: q.into(), limit: 10, ..Default::default() }
}

fn count(v: &[arkiv_index::FacetCount], value: &str) -> u64 {
    v.iter().find(|c| c.value == value).map(|c| c.count).unwrap_or(0)
}

const CHEF: &str = "Chefforum for sundheds- og ældrechefer";
const FOLGE: &str = "Følgegruppen for IV-behandling i nærområdet";

/// Counts by hand from the sample archive's documents (see
/// tests/sample-expected.toml): 56 items in the documents, 50 once the
/// agenda and minutes of a meeting are joined (Horsensklyngen's 10 March
/// 2021, in two files, and Fokusgruppen Sundhed for voksne's 14 February
/// 2023, in one: 4 and 2 items in both); Chefforum 6 (3 dagsorden in 2020,
/// 3 referat in 2022), Følgegruppen 2, Fokusgruppen Sundhed & Beskæftigelse
/// 8, Fokusgruppen Sundhed for voksne 7, Fokusgruppen Sundhed for børn og
/// unge 4 (the Word file), Implementeringsgruppen 6, Klyngestyregruppen
/// Aarhusklyngen 4 (the PDF), Horsensklyngen 8, Vestklyngen 3,
/// Sundhedsstyregruppen 2; 14 items only in an agenda, 30 only in minutes,
/// 6 in both; by year 2019: 9, 2020: 6, 2021: 7, 2022: 19, 2023: 9;
/// Holstebro named in 6 items.
#[test]
fn facet_counts_match_the_archive() {
    let (_d, idx) = sample();
    let all = idx.search(&SearchRequest { limit: 0, ..Default::default() }).unwrap();
    assert_eq!(all.total, 50);
    let f = &all.facets;
    assert_eq!((count(&f.get("kind"), "dagsorden"), count(&f.get("kind"), "referat"), count(&f.get("kind"), "dagsorden-og-referat")), (14, 30, 6));
    assert_eq!(count(&f.get("group"), CHEF), 6);
    assert_eq!(count(&f.get("group"), FOLGE), 2);
    assert_eq!(count(&f.get("group"), "Fokusgruppen Sundhed & Beskæftigelse"), 8);
    assert_eq!(count(&f.get("group"), "Fokusgruppen Sundhed for voksne"), 7);
    assert_eq!(count(&f.get("group"), "Implementeringsgruppen Sundheds-IT og digitale arbejdsgange"), 6);
    assert_eq!(count(&f.get("group"), "Klyngestyregruppen Horsensklyngen"), 8);
    assert_eq!(count(&f.get("group"), "Klyngestyregruppen Vestklyngen"), 3);
    assert_eq!(count(&f.get("group"), "Sundhedsstyregruppen"), 2);
    assert_eq!(count(&f.get("group"), "Klyngestyregruppen Aarhusklyngen"), 4);
    assert_eq!(count(&f.get("group"), "Fokusgruppen Sundhed for børn og unge"), 4);
    assert_eq!(f.get("group").len(), 10);
    let years: Vec<(String, u64)> = f.get("year").iter().map(|c| (c.value.clone(), c.count)).collect();
    assert_eq!(years, vec![("2023".into(), 9), ("2022".into(), 19), ("2021".into(), 7), ("2020".into(), 6), ("2019".into(), 9)]);
    assert_eq!(count(&f.get("municipality"), "Holstebro"), 6);
    assert_eq!(idx.facets().unwrap(), all.facets);
}

#[test]
fn filters_combine_and_facets_stay_disjunctive() {
    let (_d, idx) = sample();
    let r = idx.search(&SearchRequest { limit: 100, ..Default::default() }.filtered("group", [CHEF])).unwrap();
    assert_eq!(r.total, 6);
    assert!(r.hits.iter().all(|h| h.item.group.as_deref() == Some(CHEF)));
    // The group facet keeps the other groups' counts; the others are narrowed.
    assert_eq!(count(&r.facets.get("group"), "Klyngestyregruppen Horsensklyngen"), 8);
    assert_eq!((count(&r.facets.get("kind"), "dagsorden"), count(&r.facets.get("kind"), "referat")), (3, 3));
    assert_eq!((count(&r.facets.get("year"), "2020"), count(&r.facets.get("year"), "2022"), count(&r.facets.get("year"), "2021")), (3, 3, 0));
    // Several values of one facet: OR.
    let r = idx.search(&SearchRequest { limit: 0, ..Default::default() }.filtered("group", [CHEF, FOLGE])).unwrap();
    assert_eq!(r.total, 8);
    // Across facets: AND.
    let r = idx.search(&SearchRequest { limit: 0, ..Default::default() }.filtered("kind", ["referat"]).filtered("group", [CHEF])).unwrap();
    assert_eq!(r.total, 3);
    assert_eq!(count(&r.facets.get("kind"), "dagsorden"), 3, "the kind facet is counted without its own filter");
    // A date range, and the year facet counted without it.
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let r = idx.search(&SearchRequest { from: d("2022-01-01"), to: d("2022-12-31"), limit: 0, ..Default::default() }).unwrap();
    assert_eq!(r.total, 19);
    assert_eq!(count(&r.facets.get("year"), "2019"), 9);
    let r = idx.search(&SearchRequest { limit: 100, ..Default::default() }.filtered("municipality", ["Holstebro"])).unwrap();
    assert_eq!(r.total, 6);
    assert!(r.hits.iter().all(|h| h.item.municipalities.contains(&"Holstebro".to_string())));
    // A query and a filter together.
    let r = idx.search(&SearchRequest { q: "rygestop".into(), limit: 10, ..Default::default() }.filtered("kind", ["dagsorden-og-referat"])).unwrap();
    assert!(r.hits.iter().all(|h| h.item.kind == Some(arkiv_ingest::Kind::DagsordenOgReferat)));
    assert!(r.total >= 2);
    let r = idx.search(&SearchRequest { q: "rygestop".into(), limit: 10, ..Default::default() }.filtered("kind", ["referat"])).unwrap();
    assert_eq!(r.total, 0, "every item on rygestop is in an agenda and its minutes: {:?}", titles(&r));
}

#[test]
fn sort_by_date_and_paging() {
    let (_d, idx) = sample();
    let r = idx.search(&SearchRequest { sort: Sort::Date, limit: 56, ..Default::default() }).unwrap();
    let dates: Vec<chrono::NaiveDate> = r.hits.iter().map(|h| h.item.date.unwrap_or_default()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    let p1 = idx.search(&SearchRequest { sort: Sort::Date, limit: 5, offset: 5, ..Default::default() }).unwrap();
    assert_eq!(p1.hits.iter().map(|h| h.item.id.clone()).collect::<Vec<_>>(), r.hits[5..10].iter().map(|h| h.item.id.clone()).collect::<Vec<_>>());
}

fn titles(r: &arkiv_index::SearchResponse) -> Vec<String> {
    r.hits.iter().map(|h| h.item.title.clone()).collect()
}

#[test]
fn danish_mechanisms_on_the_sample_archive() {
    let (_d, idx) = sample();
    // Inflection and compound: "rygestop" finds "rygestoptilbud" and "Rygestop:".
    let r = idx.search(&req("rygestop")).unwrap();
    assert!(titles(&r)[0].starts_with("Rygestop"), "{:?}", titles(&r));
    assert!(!r.hits[0].snippet.marks.is_empty(), "{:?}", r.hits[0].snippet);
    // ASCII spelling.
    let r = idx.search(&req("hjemloese")).unwrap();
    assert_eq!(titles(&r)[0], "Hjemløse borgere – opsøgende behandling");
    // A plain letter typed for a Danish one finds the Danish word, marked,
    // and ranks below the word as it is spelt.
    let r = idx.search(&req("skoleborn")).unwrap();
    assert_eq!(titles(&r)[0], "Sundhedsplejens indsats for overvægtige skolebørn");
    assert!(r.hits[0].title().marked().any(|w| w == "skolebørn"), "marked: {:?}", r.hits[0].title());
    let exact = idx.search(&req("skolebørn")).unwrap();
    assert!(r.hits[0].score < exact.hits[0].score, "{} < {}", r.hits[0].score, exact.hits[0].score);
    // A typo.
    let r = idx.search(&req("influensavaccination")).unwrap();
    assert!(titles(&r)[0].starts_with("Influenzavaccination"), "{:?}", titles(&r));
    assert!(!r.hits[0].title_marks.is_empty(), "the typo's match is marked: {:?}", r.hits[0].title());
    // An abbreviation finds the full name, and the typed form ranks first.
    let r = idx.search(&req("RKSK")).unwrap();
    let t = titles(&r);
    assert!(t.iter().any(|x| x.starts_with("Alkohol og misbrug")), "Ringkøbing-Skjern Kommunes: {t:?}");
    assert!(r.hits[0].snippet.marked().any(|w| w == "RKSK"), "{:?}", r.hits[0].snippet);
    // A phrase.
    let r = idx.search(&req("\"opsøgende behandling\"")).unwrap();
    assert_eq!(titles(&r), vec!["Hjemløse borgere – opsøgende behandling"]);
    // A hyphenated word, whole and by its parts.
    let r = idx.search(&req("IV-behandling")).unwrap();
    assert!(r.total >= 3);
    assert!(titles(&r).iter().any(|x| x == "Erfaringer med IV-behandling i nærområdet"));
    // Synonym: KOL and its long form.
    let r = idx.search(&req("kronisk obstruktiv lungesygdom")).unwrap();
    assert_eq!(titles(&r)[0], "Telemedicin til borgere med KOL");
}

#[test]
fn odd_and_bad_queries() {
    let (_d, idx) = sample();
    for q in ["\"rygestop", "group:rygestop", "rygestop\"", "((", "*", "-", "\"\"", "AND OR NOT", "a:b:c", "ø", "1-52-100"] {
        idx.search(&req(q)).unwrap_or_else(|e| panic!("{q:?}: {e}"));
    }
    assert!(idx.search(&req("\"rygestop")).unwrap().total >= 2, "a stray quote is text");
    assert_eq!(idx.search(&req("og i at den")).unwrap().total, 0, "only stop words");
    let long = "rygestop ".repeat(100);
    assert!(matches!(idx.search(&req(&long)), Err(arkiv_index::IndexError::BadRequest(_))));
    // Past 32 words the rest of a query is not searched: "rygestop" as the
    // 41st word finds nothing, as the first it finds its items.
    let many = (0..40).map(|i| format!("ord{i}")).collect::<Vec<_>>().join(" ");
    assert_eq!(idx.search(&req(&format!("{many} rygestop"))).unwrap().total, 0);
    assert!(idx.search(&req(&format!("rygestop {many}"))).unwrap().total >= 2);
    assert!(matches!(idx.search(&SearchRequest { limit: 101, ..Default::default() }), Err(arkiv_index::IndexError::BadRequest(_))));
    assert!(matches!(idx.search(&SearchRequest { offset: 2000, ..Default::default() }), Err(arkiv_index::IndexError::BadRequest(_))));
    assert!(matches!(idx.item("nope"), Err(arkiv_index::IndexError::NotFound(_))));
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn doc(group: &str, date: &str, items: &[(&str, &str)]) -> String {
    let mut s = format!("Referat fra møde i {group}\nMødetid: {date}\n");
    for (k, (title, text)) in items.iter().enumerate() {
        s.push_str(&format!("{}. {title}\nBeslutning:\n{text}\n", k + 1));
    }
    s
}

#[test]
fn whole_words_outrank_compound_parts_and_text_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    write(&a, "1.txt", &doc("Sundhedsstyregruppen", "3. marts 2022", &[("Hjerterehabilitering i kommunerne", "Hjerterehabiliteringen er flyttet til sundhedscentret."), ("Andet", "Intet om sagen.")]));
    write(&a, "2.txt", &doc("Sundhedsstyregruppen", "4. marts 2022", &[("Rehabilitering efter udskrivelse", "Rehabilitering skal begynde inden syv dage.")]));
    write(&a, "3.txt", &doc("Sundhedsstyregruppen", "5. marts 2022", &[("Sikkerhed", "Teksten <script>alert('x')</script> og rehabilitering & mere.")]));
    let (_d, idx) = build(&a);
    let r = idx.search(&req("rehabilitering")).unwrap();
    let t = titles(&r);
    assert!(t.contains(&"Hjerterehabilitering i kommunerne".to_string()), "the compound is found by its part: {t:?}");
    let whole = t.iter().position(|x| x == "Rehabilitering efter udskrivelse").unwrap();
    let part = t.iter().position(|x| x == "Hjerterehabilitering i kommunerne").unwrap();
    assert!(whole < part, "{t:?}");
    // The index gives plain text and where the matches are; the server
    // escapes it (tests/server.rs).
    let s = &r.hits.iter().find(|h| h.item.title == "Sikkerhed").unwrap().snippet;
    assert!(s.text.contains("<script>alert('x')</script>") && s.text.contains(" & "), "{s:?}");
    assert_eq!(s.marked().collect::<Vec<_>>(), ["rehabilitering"], "{s:?}");
}

/// Many meetings' minutes change at once: each is joined with its agenda
/// (read back from the index) in the run's one commit, however far into the
/// run it comes, with no meeting left to join after a first commit.
#[test]
fn changed_minutes_are_joined_in_the_runs_one_commit() {
    const MONTHS: [&str; 3] = ["januar", "februar", "marts"];
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let ix = dir.path().join("ix");
    let meetings = 80;
    let minutes = |k: usize, decision: &str| format!("Referat fra møde i Sundhedsstyregruppen\nMødetid: {}. {} 2022\n1. Sag nummer {k}\nBeslutning:\n{decision}\n", 1 + k % 28, MONTHS[k / 28]);
    for k in 0..meetings {
        write(&a, &format!("g/{k:03}-a.txt"), &format!("Dagsorden til møde i Sundhedsstyregruppen\nMødetid: {}. {} 2022\n1. Sag nummer {k}\nIndstilling:\nAt sagen drøftes.\n", 1 + k % 28, MONTHS[k / 28]));
        write(&a, &format!("g/{k:03}-b.txt"), &minutes(k, "Aftalt."));
    }
    let cfg = Config::embedded();
    let s1 = index_archive(&a, &ix, &cfg, EMBEDDED_SYNONYMS).unwrap();
    assert_eq!((s1.added, s1.items_total, s1.joined_after_commit), (2 * meetings, meetings as u64, 0));
    for k in 0..meetings {
        write(&a, &format!("g/{k:03}-b.txt"), &minutes(k, "Udsat til næste møde."));
    }
    let s2 = index_archive(&a, &ix, &cfg, EMBEDDED_SYNONYMS).unwrap();
    assert_eq!((s2.changed, s2.unchanged, s2.items_total), (meetings, meetings, meetings as u64));
    assert_eq!(s2.joined_after_commit, 0, "every changed minutes file was joined with its agenda before the first commit");
    let idx = ArkivIndex::open(&ix).unwrap();
    let r = idx.search(&SearchRequest { q: "udsat".into(), limit: 100, ..Default::default() }).unwrap();
    assert_eq!(r.total, meetings);
    assert!(r.hits.iter().all(|h| h.item.kind == Some(arkiv_ingest::Kind::DagsordenOgReferat)), "each item is the agenda's and the minutes' together");
    assert_eq!(idx.search(&SearchRequest { q: "aftalt".into(), limit: 0, ..Default::default() }).unwrap().total, 0, "the old decisions went");
}

/// Two minutes of one meeting (a first and a corrected version) and its
/// agenda, each with the same item whose texts differ: every word of every
/// document is found after they are joined into one item, and stays found
/// when one of them changes and the meeting is joined again from what the
/// index kept. The item says which document each text is from.
#[test]
fn every_documents_text_is_found_after_joining() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let ix = dir.path().join("ix");
    let minutes = |case: &str, decision: &str| {
        format!("Referat fra møde i Sundhedsstyregruppen\nMødetid: 3. marts 2022\n1. Nyt punkt om rygestop\nSagsfremstilling:\n{case}\nBeslutning:\n{decision}\n")
    };
    write(&a, "g/1-dagsorden.txt", "Dagsorden til møde i Sundhedsstyregruppen\nMødetid: 3. marts 2022\n1. Nyt punkt om rygestop\nSagsfremstilling:\nHospitalet henviser til kommunens tilbud om vandpibe.\n");
    write(&a, "g/1-referat.txt", &minutes("Hospitalet henviser til kommunens tilbud om snus.", "Aftalt med tobakskonsulenten."));
    write(&a, "g/2-referat-rettet.txt", &minutes("Hospitalet henviser   til kommunens\ntilbud om snus og nikotinposer.", "Aftalt med rygestopinstruktøren."));
    let cfg = Config::embedded();
    let s = index_archive(&a, &ix, &cfg, EMBEDDED_SYNONYMS).unwrap();
    assert_eq!(s.items_total, 1, "the three documents' item is one item");
    let words = ["vandpibe", "snus", "nikotinposer", "tobakskonsulenten", "rygestopinstruktøren"];
    let check = |when: &str| {
        let idx = ArkivIndex::open(&ix).unwrap();
        for w in words {
            let r = idx.search(&req(w)).unwrap();
            assert_eq!(r.total, 1, "{when}: '{w}' is found");
            assert!(r.hits[0].snippet.marked().count() > 0, "{when}: the snippet of '{w}' shows it: {:?}", r.hits[0].snippet);
        }
        let it = idx.item(&idx.search(&req("rygestop")).unwrap().hits[0].item.id).unwrap();
        assert_eq!(it.documents.len(), 3);
        // Each document's texts, as that document has them.
        let of = |k: usize| it.sections_of(k).map(|(n, t)| format!("{n}: {t}")).collect::<Vec<_>>().join(" | ");
        let doc_of = |path: &str| it.documents.iter().position(|d| d.source.path == path).unwrap();
        assert!(of(doc_of("g/1-dagsorden.txt")).contains("vandpibe"), "{when}: {}", of(0));
        let first = of(doc_of("g/1-referat.txt"));
        assert!(first.contains("om snus.") && first.contains("tobakskonsulenten"), "{when}: {first}");
        let second = of(doc_of("g/2-referat-rettet.txt"));
        assert!(second.contains("nikotinposer") && second.contains("rygestopinstruktøren"), "{when}: {second}");
        // Text that is the same but for its white space is kept once.
        assert_eq!(it.section_texts().filter(|(_, t)| t.contains("henviser")).count(), 3, "{when}: {:?}", it.versions);
    };
    check("indexed");
    // The corrected minutes change again; the others' texts come back from
    // what the index kept beside the joined item.
    write(&a, "g/2-referat-rettet.txt", &minutes("Hospitalet henviser til kommunens tilbud om snus og nikotinposer.", "Aftalt med rygestopinstruktøren og apoteket."));
    let s = index_archive(&a, &ix, &cfg, EMBEDDED_SYNONYMS).unwrap();
    assert_eq!((s.changed, s.items_total), (1, 1));
    check("re-indexed");
    let idx = ArkivIndex::open(&ix).unwrap();
    assert_eq!(idx.search(&req("apoteket")).unwrap().total, 1);
}

/// A re-index reads each stored item of the changed files once, to keep
/// their other documents' parts, and a meeting written again skips those
/// items: what a meeting's unchanged document has alone stays, once, and an
/// item of two changed files is written once, with both files' new text.
#[test]
fn a_meetings_items_stay_once_when_its_documents_change() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let ix = dir.path().join("ix");
    let agenda = |date: &str, items: &[(&str, &str)]| {
        let mut s = format!("Dagsorden til møde i Sundhedsstyregruppen\nMødetid: {date}\n");
        for (k, (title, text)) in items.iter().enumerate() {
            s.push_str(&format!("{}. {title}\nIndstilling:\n{text}\n", k + 1));
        }
        s
    };
    let minutes = |date: &str, items: &[(&str, &str)]| doc("Sundhedsstyregruppen", date, items);
    // Meeting 1: the agenda has two items, the minutes only the first.
    write(&a, "g/1-a.txt", &agenda("3. marts 2022", &[("Rygestop", "At sagen drøftes."), ("Hjemmebehandling med antibiotika", "At kvalitetsdata godkendes.")]));
    write(&a, "g/1-b.txt", &minutes("3. marts 2022", &[("Rygestop", "Aftalt.")]));
    // Meeting 2: both documents change in the next run.
    write(&a, "g/2-a.txt", &agenda("4. maj 2022", &[("Lægedækning", "At planen vedtages.")]));
    write(&a, "g/2-b.txt", &minutes("4. maj 2022", &[("Lægedækning", "Vedtaget.")]));
    let cfg = Config::embedded();
    let s1 = index_archive(&a, &ix, &cfg, EMBEDDED_SYNONYMS).unwrap();
    assert_eq!((s1.added, s1.items_total), (4, 3));
    write(&a, "g/1-b.txt", &minutes("3. marts 2022", &[("Rygestop", "Udsat til næste møde.")]));
    write(&a, "g/2-a.txt", &agenda("4. maj 2022", &[("Lægedækning", "At planen sendes i høring.")]));
    write(&a, "g/2-b.txt", &minutes("4. maj 2022", &[("Lægedækning", "Sendt i høring.")]));
    let s2 = index_archive(&a, &ix, &cfg, EMBEDDED_SYNONYMS).unwrap();
    assert_eq!((s2.changed, s2.unchanged, s2.items_total, s2.joined_after_commit), (3, 1, 3, 0));
    let idx = ArkivIndex::open(&ix).unwrap();
    let count = |q: &str| idx.search(&SearchRequest { q: q.into(), limit: 10, ..Default::default() }).unwrap();
    let r = count("udsat");
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].item.kind, Some(arkiv_ingest::Kind::DagsordenOgReferat), "the changed minutes joined with the agenda's item");
    assert_eq!(count("aftalt").total, 0, "the old decision went");
    let alone = count("kvalitetsdata");
    assert_eq!(alone.total, 1, "the item only the unchanged agenda has stays, once");
    assert_eq!(alone.hits[0].item.title, "Hjemmebehandling med antibiotika");
    let both = count("høring");
    assert_eq!(both.total, 1, "the item of two changed files is written once");
    assert_eq!(both.hits[0].item.kind, Some(arkiv_ingest::Kind::DagsordenOgReferat));
    assert_eq!(count("vedtages").total + count("vedtaget").total, 0, "both files' old texts went");
}

#[test]
fn reindexing_skips_unchanged_files_and_keeps_ids() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let ix = dir.path().join("ix");
    write(&a, "g/1.txt", &doc("Sundhedsstyregruppen", "3. marts 2022", &[("Rygestop", "Aftalt."), ("Alkohol", "Drøftet.")]));
    write(&a, "g/2.txt", &doc("Praksisplanudvalget", "4. maj 2022", &[("Lægedækning", "Aftalt.")]));
    let cfg = Config::embedded();
    let s1 = index_archive(&a, &ix, &cfg, EMBEDDED_SYNONYMS).unwrap();
    assert_eq!((s1.added, s1.unchanged, s1.items_total), (2, 0, 3));
    let ids = |ix: &Path| {
        let idx = ArkivIndex::open(ix).unwrap();
        let mut v: Vec<(String, String)> = idx.search(&SearchRequest { limit: 100, ..Default::default() }).unwrap().hits.into_iter().map(|h| (h.item.title, h.item.id)).collect();
        v.sort();
        v
    };
    let before = ids(&ix);
    // Nothing changed: everything skipped, nothing moves.
    let s2 = index_archive(&a, &ix, &cfg, EMBEDDED_SYNONYMS).unwrap();
    assert_eq!((s2.added, s2.changed, s2.unchanged, s2.removed, s2.items_indexed), (0, 0, 2, 0, 0));
    assert_eq!(ids(&ix), before);
    // Another document added; one changed; ids of the unchanged stay.
    write(&a, "g/3.txt", &doc("Praksisplanudvalget", "5. juni 2022", &[("Vagtlæger", "Orientering.")]));
    write(&a, "g/2.txt", &doc("Praksisplanudvalget", "4. maj 2022", &[("Lægedækning", "Aftalt igen.")]));
    let s3 = index_archive(&a, &ix, &cfg, EMBEDDED_SYNONYMS).unwrap();
    assert_eq!((s3.added, s3.changed, s3.unchanged), (1, 1, 1));
    let after = ids(&ix);
    for (t, id) in &before {
        assert!(after.contains(&(t.clone(), id.clone())), "{t} kept its id");
    }
    assert_eq!(after.len(), 4);
    // A removed file's items go.
    std::fs::remove_file(a.join("g/1.txt")).unwrap();
    let s4 = index_archive(&a, &ix, &cfg, EMBEDDED_SYNONYMS).unwrap();
    assert_eq!(s4.removed, 1);
    assert_eq!(ids(&ix).len(), 2);
    // Rebuilding from scratch gives the same ids.
    let ix2 = dir.path().join("ix2");
    index_archive(&a, &ix2, &cfg, EMBEDDED_SYNONYMS).unwrap();
    assert_eq!(ids(&ix2), ids(&ix));
}

#[test]
fn a_folder_that_is_not_an_index_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let a = support::sample();
    let e = index_archive(&a, dir.path(), &Config::embedded(), EMBEDDED_SYNONYMS).unwrap_err();
    assert!(e.to_string().contains("not empty"), "{e}");
    assert!(dir.path().join("notes.txt").exists());
}

#[test]
fn narrowed_candidates_rank_as_full_scoring_does() {
    // A search over many matches narrows its ranking candidates by the
    // plain terms' BM25 sum, then scores those in full. On the sample
    // archive the candidates hold every plain-term match, so the two must
    // agree item for item and score for score, filters and paging included.
    let (_d, mut idx) = sample();
    // Small pages, so that the candidates outnumber the page and narrowing
    // really happens.
    let req = |q: &str| SearchRequest { limit: 3, ..req(q) };
    let queries = [
        req("rygestop"),
        req("udskrivelse psykiatri"),
        req("\"den nære psykiatri\""),
        req("IV-behandling"),
        req("genoptræning kommune"),
        req("medicinhåndtering"),
        req("sygefravr"),
        req("aftale").filtered("kind", ["referat"]),
        SearchRequest { offset: 1, limit: 2, ..req("behandling") },
        SearchRequest { recency: false, ..req("hjemmesygepleje") },
    ];
    let mut seen_hits = 0;
    for q in &queries {
        idx.set_full_scoring_limit(usize::MAX);
        let full = idx.search(q).unwrap();
        idx.set_full_scoring_limit(0);
        let narrowed = idx.search(q).unwrap();
        let a: Vec<(String, f32)> = full.hits.iter().map(|h| (h.item.id.clone(), h.score)).collect();
        let b: Vec<(String, f32)> = narrowed.hits.iter().map(|h| (h.item.id.clone(), h.score)).collect();
        assert_eq!(a, b, "{:?}", q.q);
        assert_eq!(full.total, narrowed.total);
        seen_hits += a.len();
    }
    assert!(seen_hits >= 20, "the queries should find items: {seen_hits}");
}

/// The narrowing really cuts here: 600 of 2,000 items match, more than the
/// 200 candidates that a result window of up to 40 is narrowed to by the
/// BM25 sum of the plain terms before the full score (`search/rank.rs`), in
/// two segments. A quarter of them say the word often in a short text, their
/// BM25 within a few percent of each other, so that the recency tweak (up to
/// 5%) reorders them; the rest say it once in a long text, far below. The
/// full ranking's best are then all among the first 200 by BM25 but not the
/// first 20 or 40, so a narrowed search must give exactly the full ranking,
/// and a cut-off that kept too few candidates, the wrong ones, or one
/// segment's only, fails it.
#[test]
fn narrowing_that_cuts_keeps_the_best() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let mut seed = 7u64;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let mut batch = |from: usize, to: usize| {
        for f in from..to {
            let items: Vec<(String, String)> = (0..10)
                .map(|k| {
                    let (says, filler) = match k {
                        0 if f % 4 != 3 => (6, 2 + next(2)),
                        0..=2 => (1, 10 + next(6)),
                        _ => (0, 2 + next(12)),
                    };
                    let body = format!("{}{}", "Rygestop i kommunen. ".repeat(says), "Borgerne blev drøftet af gruppen. ".repeat(filler as usize));
                    (format!("Punkt {f} {k} om borgerne"), body)
                })
                .collect();
            let items: Vec<(&str, &str)> = items.iter().map(|(t, b)| (t.as_str(), b.as_str())).collect();
            // One meeting a month over seventeen years, in no order of the files.
            let m = (f * 37) % 200;
            let month = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"][m % 12];
            write(&a, &format!("{f:03}.txt"), &doc("Sundhedsstyregruppen", &format!("3. {month} {}", 2010 + m / 12), &items));
        }
    };
    batch(0, 100);
    let dir_idx = dir.path().join("index");
    index_archive(&a, &dir_idx, &Config::embedded(), EMBEDDED_SYNONYMS).unwrap();
    batch(100, 200);
    index_archive(&a, &dir_idx, &Config::embedded(), EMBEDDED_SYNONYMS).unwrap();
    let mut idx = ArkivIndex::open(&dir_idx).unwrap();
    assert!(idx.reader.searcher().segment_readers().len() >= 2, "two segments");
    let (mut later, mut reordered) = (0, 0);
    for (offset, limit) in [(0, 20), (20, 20), (0, 40)] {
        let q = SearchRequest { offset, limit, ..req("rygestop") };
        idx.set_full_scoring_limit(usize::MAX);
        let full = idx.search(&q).unwrap();
        idx.set_full_scoring_limit(0);
        let narrowed = idx.search(&q).unwrap();
        assert_eq!(full.total, 600);
        assert_eq!(narrowed.hits.len(), limit);
        let ids = |r: &arkiv_index::SearchResponse| r.hits.iter().map(|h| (h.item.id.clone(), h.score)).collect::<Vec<_>>();
        assert_eq!(ids(&narrowed), ids(&full), "offset {offset}, limit {limit}");
        later += full.hits.iter().filter(|h| h.item.source.path.as_str() >= "100.txt").count();
        // Without recency the order is another: the tweak reorders here.
        let plain = idx.search(&SearchRequest { recency: false, ..q.clone() }).unwrap();
        reordered += (ids(&plain).iter().map(|x| &x.0).collect::<Vec<_>>() != ids(&full).iter().map(|x| &x.0).collect::<Vec<_>>()) as usize;
    }
    assert!(later > 0 && later < 80, "the best items lie in both segments: {later} of 80 in the later");
    assert_eq!(reordered, 3, "recency reorders every page");
}
