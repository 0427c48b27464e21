//! The graded queries of ../shared/queries over an index of
//! ../shared/corpus: nDCG@10 and recall@10 of the grade-2 items, scored as
//! ../shared/queries/README.md says (gain 2^grade - 1, log2 discount, a
//! duplicate earns nothing).

mod support;

use arkiv_index::{index_archive, ArkivIndex, SearchRequest};
use arkiv_ingest::{Config, EMBEDDED_SYNONYMS};
use serde::Deserialize;

#[derive(Deserialize)]
struct Queries {
    query: Vec<Q>,
}
#[derive(Deserialize)]
struct Q {
    id: String,
    text: String,
    relevant: Vec<Rel>,
}
#[derive(Deserialize)]
struct Rel {
    file: String,
    title: String,
    grade: u32,
}

fn norm(s: &str) -> String {
    let s = s.to_lowercase();
    s.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches('.').trim().to_string()
}

fn prefix40(s: &str) -> String {
    norm(s).chars().take(40).collect()
}

fn grade(q: &Q, file: &str, title: &str) -> u32 {
    let t = norm(title);
    q.relevant.iter().find(|r| file.starts_with(&r.file) && t.starts_with(&prefix40(&r.title))).map(|r| r.grade).unwrap_or(0)
}

#[test]
fn corpus_queries_score_above_target() {
    let Some(shared) = support::shared("corpus_queries_score_above_target") else { return };
    let qs: Queries = toml::from_str(&std::fs::read_to_string(shared.join("queries/relevance.toml")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The corpus folder also holds golden.toml and a README: only .txt are documents.
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).unwrap();
    for e in std::fs::read_dir(shared.join("corpus")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&p, archive.join(p.file_name().unwrap())).unwrap();
        }
    }
    let ix = dir.path().join("index");
    index_archive(&archive, &ix, &Config::embedded(), EMBEDDED_SYNONYMS).unwrap();
    let mut idx = ArkivIndex::open(&ix).unwrap();
    // Once as served, once with the ranking candidates always narrowed
    // first (what a search over many matches does).
    for limit in [arkiv_index::SCORE_ALL_UP_TO, 0] {
        idx.set_full_scoring_limit(limit);
        check_queries(&idx, &qs, limit);
    }
}

fn check_queries(idx: &ArkivIndex, qs: &Queries, limit: usize) {
    let (mut nd_sum, mut rc_sum) = (0.0, 0.0);
    let mut report = vec![];
    for q in &qs.query {
        let r = idx.search(&SearchRequest { q: q.text.clone(), limit: 10, ..Default::default() }).unwrap();
        let mut seen = std::collections::HashSet::new();
        let mut dcg = 0.0;
        let mut got2 = std::collections::HashSet::new();
        for (i, h) in r.hits.iter().take(10).enumerate() {
            let mut g = grade(q, &h.item.source.path, &h.item.title);
            if !seen.insert((h.item.source.path[..3].to_string(), norm(&h.item.title))) {
                g = 0;
            }
            dcg += (2f64.powi(g as i32) - 1.0) / ((i + 2) as f64).log2();
            for rel in q.relevant.iter().filter(|r| r.grade == 2) {
                if h.item.source.path.starts_with(&rel.file) && norm(&h.item.title).starts_with(&prefix40(&rel.title)) {
                    got2.insert((rel.file.clone(), prefix40(&rel.title)));
                }
            }
        }
        let mut ideal: Vec<u32> = q.relevant.iter().map(|r| r.grade).collect();
        ideal.sort_by(|a, b| b.cmp(a));
        let idcg: f64 = ideal.iter().take(10).enumerate().map(|(i, g)| (2f64.powi(*g as i32) - 1.0) / ((i + 2) as f64).log2()).sum();
        let nd = if idcg > 0.0 { dcg / idcg } else { 0.0 };
        let want2 = q.relevant.iter().filter(|r| r.grade == 2).count();
        let rc = if want2 > 0 { got2.len() as f64 / want2 as f64 } else { 1.0 };
        report.push(format!("{:<18} nDCG@10={nd:.2} recall@10={rc:.2}", q.id));
        nd_sum += nd;
        rc_sum += rc;
    }
    let n = qs.query.len() as f64;
    let (nd, rc) = (nd_sum / n, rc_sum / n);
    eprintln!("{}\nfull scoring up to {limit}: nDCG@10={nd:.3} recall@10={rc:.3} over {} queries", report.join("\n"), qs.query.len());
    assert!(nd >= 0.95 && rc >= 0.95, "full scoring up to {limit}: nDCG@10={nd:.3} recall@10={rc:.3}\n{}", report.join("\n"));
}
