//! Shared by the end-to-end tests: where things are, and the rule for
//! tests that read ../shared.
#![allow(dead_code)]

use std::path::PathBuf;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// `../shared` beside the workspace, if it is there. Where it is missing the
/// test says plainly that it skipped, except under CI (the CI variable is
/// set), which always has it: there a missing ../shared fails the test.
pub fn shared(test: &str) -> Option<PathBuf> {
    let p = root().join("../shared");
    if p.join("corpus/golden.toml").exists() {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{test}: ../shared is missing, and CI always has it");
    }
    eprintln!("SKIPPED {test}: ../shared is not beside this checkout (a fresh clone has no corpus); nothing was checked");
    None
}

/// Titles compare after folding case and whitespace and dropping a trailing
/// period (the parser has already folded compatibility characters).
pub fn norm_title(s: &str) -> String {
    let s = s.to_lowercase();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    s.trim().trim_end_matches('.').trim().to_string()
}

/// Copies a folder tree (for tests that change an archive).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}
