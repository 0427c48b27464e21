//! The query mix that every search benchmark of arkiv runs: `arkiv-bench run`
//! (in process and over HTTP), `arkiv-bench search`, `arkiv-bench faults`,
//! and this crate's `bench` example. One list, so that their figures are of
//! the same searches.

use crate::{SearchRequest, Sort};

/// One search of each shape staff type, each with all five facet counts and
/// 20 hits: one word, two words, a phrase, a compound part, a typo, an
/// ASCII spelling, a synonym, each filter (kind, municipality, group,
/// topic, date range), sorted by date, and the empty query by date.
pub fn query_mix() -> Vec<SearchRequest> {
    let r = |q: &str| SearchRequest { q: q.into(), limit: 20, ..Default::default() };
    let date = |y: i32, m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(y, m, d);
    vec![
        r("rygestop"),
        r("udskrivelse psykiatri"),
        r("\"sikker mail\""),
        r("rehabilitering"),
        r("ledsagerafatlen"),
        r("sygefravær").filtered("kind", ["referat"]),
        r("behandling").filtered("municipality", ["Herning", "Holstebro"]),
        r("aftale").filtered("group", ["Chefforum for sundheds- og ældrechefer"]),
        SearchRequest { sort: Sort::Date, ..r("vaccination") },
        SearchRequest { sort: Sort::Date, ..r("") },
        r("genoptræningsplan"),
        r("aeldre"),
        r("KOL"),
        r("indsats").filtered("topic", ["rygestop"]),
        SearchRequest { from: date(2021, 1, 1), to: date(2022, 12, 31), ..r("") }.filtered("group", ["Klyngestyregruppen Horsensklyngen"]),
    ]
}
