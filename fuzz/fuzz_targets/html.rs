//! The web page reader on mutated files: any input is read or refused with a
//! reason, never a panic that escapes, within libFuzzer's time and memory
//! bounds (the worker's in the product).
#![no_main]

use arkiv_ingest::formats::Format;
use arkiv_ingest::read::{read_isolated, ReadOptions};
use libfuzzer_sys::fuzz_target;
use std::sync::{LazyLock, Once};

static OPTS: LazyLock<ReadOptions> = LazyLock::new(|| ReadOptions { pdftotext_fallback: false, convert: false, ocr: false, ..ReadOptions::default() });
static QUIET: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    if let Ok(d) = read_isolated(Format::Html, data, &OPTS) {
        assert!(!d.text.trim().is_empty(), "a reader gave empty text as text");
        assert!(d.text.len() <= OPTS.max_text_bytes);
    }
});
