//! The PDF and Word readers on mutated fixture files. The first byte picks
//! the reader, the rest is the file. They run in process here, as the
//! worker runs them: a panic inside a reader library is caught and becomes
//! a `read.crashed` reason, so only a panic that escapes is a finding.
//! Time and memory are the worker's bounds in the product; here libFuzzer's
//! -timeout and -rss_limit_mb find what would reach them.
#![no_main]

use arkiv_ingest::formats::Format;
use arkiv_ingest::read::{read_isolated, ReadOptions};
use libfuzzer_sys::fuzz_target;
use std::sync::{LazyLock, Once};

static OPTS: LazyLock<ReadOptions> = LazyLock::new(|| ReadOptions { pdftotext_fallback: false, ocr: false, ..ReadOptions::default() });
static QUIET: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    // libFuzzer's hook aborts on any panic, even a caught one; the worker
    // has an empty hook, and catches.
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let Some((&which, bytes)) = data.split_first() else { return };
    let format = if which & 1 == 0 { Format::Pdf } else { Format::Docx };
    if let Ok(d) = read_isolated(format, bytes, &OPTS) {
        assert!(!d.text.trim().is_empty(), "a reader gave empty text as text");
        assert!(d.text.len() <= OPTS.max_text_bytes);
    }
});
