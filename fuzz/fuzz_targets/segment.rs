//! The segmenter and the metadata extraction on arbitrary text (seeded with
//! the sample archive): a whole parse of one document never panics, and
//! what it gives is well formed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static CFG: LazyLock<arkiv_ingest::Config> = LazyLock::new(arkiv_ingest::Config::embedded);

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let f = arkiv_ingest::parse_text("gruppe/2022-01-03-referat.txt", &text, &CFG);
    let mut ids = std::collections::HashSet::new();
    for m in &f.meetings {
        for it in &m.items {
            assert!(ids.insert(it.id.clone()), "two items of one file share the id {}", it.id);
        }
    }
});
