//! The project's own sample archive against its expected parse
//! (tests/sample-expected.toml), and a check that the archive really holds
//! every fault the parser must handle.

mod support;

use arkiv_ingest::{parse_paths, Config};
use serde::Deserialize;
use support::norm_title;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    file: Vec<EFile>,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EFile {
    path: String,
    meeting: Vec<EMeeting>,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EMeeting {
    group: String,
    date: Option<String>,
    kind: String,
    item: Vec<EItem>,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EItem {
    number: u32,
    title: String,
    municipalities: Vec<String>,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn sample_archive_parses_as_expected() {
    let root = support::root();
    let archive = support::sample();
    let exp: Expected = toml::from_str(&std::fs::read_to_string(root.join("tests/sample-expected.toml")).unwrap()).unwrap();
    let out = parse_paths(&[archive], &Config::embedded());
    let docs: Vec<_> = out.files.iter().filter(|f| !f.relpath.is_empty()).collect();
    assert_eq!(docs.len(), exp.file.len(), "documents in the sample archive");
    for ef in &exp.file {
        let f = docs.iter().find(|f| f.relpath == ef.path).unwrap_or_else(|| panic!("{} not parsed", ef.path));
        assert_eq!(f.meetings.len(), ef.meeting.len(), "{}: meetings", ef.path);
        for (em, m) in ef.meeting.iter().zip(&f.meetings) {
            assert_eq!(m.head.group.as_deref(), Some(em.group.as_str()), "{}: group", ef.path);
            assert_eq!(m.head.date.map(|d| d.to_string()), em.date, "{}: date", ef.path);
            assert_eq!(m.head.kind.map(|k| k.as_str()), Some(em.kind.as_str()), "{}: kind", ef.path);
            let got: Vec<(u32, String)> = m.items.iter().map(|i| (i.number, norm_title(&i.title))).collect();
            let want: Vec<(u32, String)> = em.item.iter().map(|i| (i.number, norm_title(&i.title))).collect();
            assert_eq!(got, want, "{}: items", ef.path);
            for (ei, it) in em.item.iter().zip(&m.items) {
                assert_eq!(it.municipalities, ei.municipalities, "{}: item {} municipalities", ef.path, ei.number);
                let text = collapse(&format!("{}\n{}", it.title, it.body()));
                for c in &ei.contains {
                    assert!(text.contains(c.as_str()), "{}: item {}: missing {c:?} in\n{text}", ef.path, ei.number);
                }
                for a in &ei.absent {
                    assert!(!text.contains(a.as_str()), "{}: item {}: {a:?} should be gone from\n{text}", ef.path, ei.number);
                }
            }
        }
    }
}

#[test]
fn sample_archive_spans_groups_years_and_kinds() {
    let out = parse_paths(&[support::sample()], &Config::embedded());
    let meetings: Vec<_> = out.files.iter().flat_map(|f| &f.meetings).collect();
    let groups: std::collections::BTreeSet<_> = meetings.iter().filter_map(|m| m.head.group.clone()).collect();
    let years: std::collections::BTreeSet<_> = meetings.iter().filter_map(|m| m.head.date.map(|d| d.format("%Y").to_string())).collect();
    let kinds: std::collections::BTreeSet<_> = meetings.iter().filter_map(|m| m.head.kind).collect();
    assert!(out.files.len() >= 12);
    assert!(groups.len() >= 4, "{groups:?}");
    assert!(years.len() >= 3, "{years:?}");
    assert_eq!(kinds.len(), 2);
}

/// The fixtures must keep their faults: a test that passes on cleaned-up
/// fixtures proves nothing.
#[test]
fn sample_archive_holds_every_fault() {
    let archive = support::sample();
    let mut all: Vec<(String, Vec<u8>)> = vec![];
    for e in walkdir(&archive) {
        all.push((e.display().to_string(), std::fs::read(&e).unwrap()));
    }
    let any = |f: &dyn Fn(&[u8]) -> bool| all.iter().any(|(_, b)| f(b));
    let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
    assert!(any(&|b| std::str::from_utf8(b).is_err()), "a Windows-1252 document");
    assert!(any(&|b| b.windows(2).any(|w| w == b"\r\n")), "CRLF line ends");
    assert!(any(&|b| b.contains(&0x0c)), "form feeds");
    assert!(any(&|b| b.starts_with(&[0xef, 0xbb, 0xbf])), "a byte-order mark");
    assert!(any(&|b| text(b).contains("a\u{30a}")), "decomposed letters");
    assert!(any(&|b| text(b).contains('ﬁ') && text(b).contains('ﬂ')), "ligatures");
    assert!(any(&|b| text(b).contains(" ........ ")), "a table of contents");
    assert!(any(&|b| text(b).contains("Side 2 af")), "page headers");
    assert!(any(&|b| text(b).contains("Mail:") && text(b).contains("Dato:")), "page footers");
    assert!(any(&|b| text(b).contains("op-\ngørelse")), "words hyphenated across lines");
    assert!(any(&|b| text(b).contains('\u{f0b7}')), "bullet glyphs");
    assert!(any(&|b| text(b).matches("Mødetid:").count() >= 2), "two documents in one file");
    assert!(any(&|b| text(b).contains("\n3. Dobbeltdiagnoser") && text(b).contains("\n3. Ledsagelse")), "a repeated item number");
    assert!(any(&|b| text(b).contains("\n1. Systematisk screening")), "a numbered list inside an item");
}

fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
    out
}
