//! Meeting metadata from headers, sidecar files and path rules.

mod support;

use arkiv_ingest::{parse_paths, Config, Source};
use std::path::Path;

fn cfg_with_paths(dir: &Path, paths_toml: &str) -> Config {
    let root = support::root().join("index-config");
    for f in ["groups.toml", "municipalities.toml", "topics.toml", "synonyms.toml"] {
        std::fs::copy(root.join(f), dir.join(f)).unwrap();
    }
    std::fs::write(dir.join("paths.toml"), paths_toml).unwrap();
    Config::load(dir).unwrap()
}

#[test]
fn header_fields() {
    let out = parse_paths(&[support::sample()], &Config::embedded());
    let m = |rel: &str| out.files.iter().find(|f| f.relpath == rel).unwrap().meetings[0].clone();
    let h = m("klynge-horsens/2021-03-10-referat.txt");
    assert_eq!(h.head.chair.as_deref(), Some("Mette Krogh"));
    assert_eq!(h.head.secretary.as_deref(), Some("Sofie Lund"));
    assert_eq!(h.head.participants, vec!["Mette Krogh", "Jens Aagaard", "Sofie Lund", "Peter Dahl", "Karen Bøgh"]);
    assert_eq!(h.head.absentees, vec!["Henrik Mørch"]);
    assert_eq!(h.head.place.as_deref(), Some("Regionshospitalet Horsens, mødelokale 3"));
    assert_eq!(h.head.group_source, Some(Source::Header));
    // The agenda's table of contents is not part of the field above it.
    let a = m("klynge-horsens/2021-03-10-dagsorden.txt");
    assert_eq!(a.head.secretary.as_deref(), Some("Sofie Lund"));
    let c = m("chefforum/2020-11-27-dagsorden.txt");
    assert_eq!(c.head.place.as_deref(), Some("Virtuelt møde (Teams)"), "the place under 'Tid & Sted:'");
    let i = m("impl-it/2020-04-22-referat.txt");
    assert_eq!(i.head.case_number.as_deref(), Some("1-52-100-31-20"));
    let s = m("ukendt/notat-sundhedsstyregruppen.txt");
    assert_eq!((s.head.group.as_deref(), s.head.group_source), (Some("Sundhedsstyregruppen"), Some(Source::Sidecar)));
    assert_eq!((s.head.date.map(|d| d.to_string()).as_deref(), s.head.date_source), (Some("2022-03-03"), Some(Source::Sidecar)));
    assert_eq!(s.head.place.as_deref(), Some("Regionshuset Viborg"));
}

#[test]
fn path_rules_fill_in_and_disagreements_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("conf");
    std::fs::create_dir(&conf).unwrap();
    let cfg = cfg_with_paths(&conf, "[[rule]]\npath = '^(?P<group>[a-z-]+)/(?P<year>\\d{4})/'\n\n[[rule]]\npath = '/referater/'\nkind = 'referat'\n");
    let a = dir.path().join("archive");
    std::fs::create_dir_all(a.join("klynge-randers/2019")).unwrap();
    std::fs::create_dir_all(a.join("ppu/2020/referater")).unwrap();
    // No group and no year in the text: the path gives them.
    std::fs::write(a.join("klynge-randers/2019/m.txt"), "Mødetid: Torsdag d. 20. juni\n1. Velkommen\nBeslutning:\nGodkendt\n").unwrap();
    // The text names another group than the path: the path wins, and it is said.
    std::fs::write(a.join("ppu/2020/referater/x.txt"), "Møde i Chefforum for sundheds- og ældrechefer 3. marts 2020\nTid: kl. 9\nDagsorden\n1. Lægedækning\nIndstilling:\nAt\n").unwrap();
    let out = parse_paths(&[a.clone()], &cfg);
    let f = out.files.iter().find(|f| f.relpath == "klynge-randers/2019/m.txt").unwrap();
    let m = &f.meetings[0];
    assert_eq!((m.head.group.as_deref(), m.head.group_source), (Some("Klyngestyregruppen Randersklyngen"), Some(Source::Path)));
    assert_eq!(m.head.date.map(|d| d.to_string()).as_deref(), Some("2019-06-20"), "the year from the path, checked by the weekday");
    let g = out.files.iter().find(|f| f.relpath == "ppu/2020/referater/x.txt").unwrap();
    assert_eq!(g.meetings[0].head.group.as_deref(), Some("Praksisplanudvalget"));
    assert_eq!(g.meetings[0].head.kind.map(|k| k.as_str()), Some("referat"));
    assert!(g.diagnostics.iter().any(|d| d.code == "meta.group-disagrees" && d.message.contains("Chefforum")), "{:?}", g.diagnostics);
    assert!(g.diagnostics.iter().any(|d| d.code == "meta.kind-disagrees"), "{:?}", g.diagnostics);
}

#[test]
fn config_errors_name_the_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let root = support::root().join("index-config");
    for f in ["groups.toml", "municipalities.toml", "topics.toml"] {
        std::fs::copy(root.join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(dir.path().join("topics.toml"), "title_weight = 4\nthreshold = 3\n[[topic]]\nslug = 'x'\nname = 'X'\nterms = ['a']\ncolour = 'red'\n").unwrap();
    let e = Config::load(dir.path()).unwrap_err().to_string();
    assert!(e.contains("topics.toml") && e.contains("colour"), "{e}");
    std::fs::copy(root.join("topics.toml"), dir.path().join("topics.toml")).unwrap();
    std::fs::write(dir.path().join("paths.toml"), "[[rule]]\npath = '('\n").unwrap();
    let e = Config::load(dir.path()).unwrap_err().to_string();
    assert!(e.contains("paths.toml") && e.contains("rule.path"), "{e}");
}
