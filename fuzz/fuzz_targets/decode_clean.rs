//! The decoder and cleaner on arbitrary bytes: a text file's bytes are
//! decoded (UTF-8, UTF-16 with BOM, Windows-1252) and cleaned of page
//! furniture, or refused with a reason; nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static CFG: LazyLock<arkiv_ingest::Config> = LazyLock::new(arkiv_ingest::Config::embedded);

fuzz_target!(|data: &[u8]| {
    match arkiv_ingest::prepare("f.txt", "f.txt", data, &CFG) {
        Ok(p) => {
            // Every cleaned line is one line: the cleaner splits at newlines.
            for l in &p.cleaned.lines {
                assert!(!l.text.contains('\n'), "a cleaned line holds a newline");
            }
        }
        Err(f) => assert!(!f.diagnostics.is_empty(), "a refused file says why"),
    }
});
