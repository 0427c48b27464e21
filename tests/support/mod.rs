//! Shared by the end-to-end tests: where things are, and the rule for
//! tests that read ../shared.
#![allow(dead_code)]

use std::path::PathBuf;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// arkiv's own sample archive: the one `arkiv serve` starts with, a product
/// asset of the command-line crate that the tests read where it lies.
pub fn sample() -> PathBuf {
    root().join("crates/arkiv-cli/sample")
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

/// A copy of the sample archive at `to` (`ARCHIVE/kopi-NN`) whose meetings
/// are other meetings than the original's, under [`config_for_copies`]:
/// the same meetings again would be joined with the originals into one.
pub fn sample_copy(to: &std::path::Path) {
    copy_dir(&sample(), to);
    // A sidecar's group wins over the path rule.
    std::fs::remove_file(to.join("ukendt/notat-sundhedsstyregruppen.txt.meta.toml")).unwrap();
}

/// A configuration (the built-in one, with a path rule) under which every
/// copy of the sample archive at `kopi-NN/` is a group of its own. Returns
/// the folder to give as `--config`.
pub fn config_for_copies(dir: &std::path::Path) -> PathBuf {
    let cfg = dir.join("config");
    copy_dir(&root().join("index-config"), &cfg);
    std::fs::write(cfg.join("paths.toml"), "[[rule]]\npath = '^(?P<group>kopi-[0-9]+)/'\n").unwrap();
    cfg
}

/// Sets text documents as PDFs with the project's fixture script
/// (tests/fixtures/make_fixtures.py: fpdf2 and the DejaVu fonts). Where
/// those are missing the test says plainly that it skipped, except under CI,
/// where `.ci/run` installs them and their absence fails the test.
pub fn make_text_pdfs(test: &str, out: &std::path::Path, txts: &[PathBuf]) -> bool {
    make_pdfs("text-pdf", test, out, txts)
}

/// The same as [`make_text_pdfs`], each page then scanned: images only,
/// no text layer (needs poppler's pdftoppm too).
#[allow(dead_code)]
pub fn make_scanned_pdfs(test: &str, out: &std::path::Path, txts: &[PathBuf]) -> bool {
    make_pdfs("scan-pdf", test, out, txts)
}

fn make_pdfs(mode: &str, test: &str, out: &std::path::Path, txts: &[PathBuf]) -> bool {
    let script = root().join("tests/fixtures/make_fixtures.py");
    let run = std::process::Command::new("python3").arg(&script).arg(mode).arg(out).args(txts).output();
    match run {
        Ok(o) if o.status.success() => true,
        other => {
            let why = match other {
                Ok(o) => String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or("").to_string(),
                Err(e) => e.to_string(),
            };
            if std::env::var_os("CI").is_some() {
                panic!("{test}: the fixture script could not make PDFs ({why}); CI installs fpdf2 and fonts-dejavu-core");
            }
            eprintln!("SKIPPED {test}: cannot make PDFs here ({why}); `pip install fpdf2` and Debian's fonts-dejavu-core make them");
            false
        }
    }
}

/// A valid one-page PDF whose content stream shows `lines` lines of text:
/// with many lines, a file that keeps a reader busy and uses its memory.
/// `padding` bytes of an image-like stream make the file large, as scanned
/// attachments do.
pub fn pdf_with_lines(lines: usize, padding: usize) -> Vec<u8> {
    // The first line carries a stray control character (\\001), as PDF text
    // from a font without a Unicode map can.
    let mut content = String::from("BT /F1 10 Tf 50 800 Td 12 TL\n(Referat fra m\\370de\\001 i Sundhedsstyregruppen) Tj T*\n");
    for k in 0..lines {
        content.push_str(&format!("(Linje {k} af referatet om sundhedsaftalen) Tj T*\n"));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        format!("<< /Length {padding} >>\nstream\n{}\nendstream", "\u{7f}".repeat(padding)),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    for (k, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", k + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
    out
}

/// The `arkiv` binary, for the tests of the arkiv-cli package (the only
/// ones Cargo builds it for).
/// The module is shared by every package's tests, and Cargo names the
/// binary only to arkiv-cli's: elsewhere this fails the test that asks.
pub fn arkiv() -> std::process::Command {
    let Some(bin) = option_env!("CARGO_BIN_EXE_arkiv") else {
        panic!("only the arkiv-cli package's tests run the arkiv binary");
    };
    std::process::Command::new(bin)
}

/// How many items `arkiv search` finds for `q` in the index at `index`;
/// fails the test when the search does not answer.
pub fn search_total(index: &std::path::Path, q: &str) -> u64 {
    let out = arkiv().args(["search", "--index"]).arg(index).args(["--json", "--limit", "1", q]).output().unwrap();
    assert!(out.status.success(), "the index at {} does not answer: {}", index.display(), String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["total"].as_u64().unwrap()
}

/// A child process killed and reaped when the test lets go of it.
pub struct Kill(pub std::process::Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits up to `seconds` for something to listen on the local `port`.
pub fn wait_for_port(port: u16, seconds: u64) -> bool {
    for _ in 0..seconds * 10 {
        if listening(port) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

/// Whether something listens on a loopback port. A connection to a port
/// nobody listens on yet can still succeed when the kernel picks that same
/// port as the connection's own (a connection to itself): that is not a
/// listener.
pub fn listening(port: u16) -> bool {
    std::net::TcpStream::connect(("127.0.0.1", port)).is_ok_and(|s| s.local_addr().ok() != s.peer_addr().ok())
}

