//! Word 97-2003 (.doc) and Rich Text Format (.rtf), read through a
//! converter where one is installed: LibreOffice (headless) turns either
//! into .docx, which [`super::docx`] reads with its headers, numbering and
//! tables; without LibreOffice, antiword reads a .doc as text. Without
//! either the file is reported with the package that would read it, never
//! skipped in silence.

use super::programs::{self, Scratch};
use super::{Extracted, ReadError, ReadOptions};
use crate::formats::Format;
use std::process::Command;
use std::time::Instant;

/// LibreOffice's program, where it is installed (or named by `ARKIV_SOFFICE`).
pub fn soffice() -> Option<std::path::PathBuf> {
    programs::find("soffice", "ARKIV_SOFFICE")
}

/// antiword, where it is installed (or named by `ARKIV_ANTIWORD`).
pub fn antiword() -> Option<std::path::PathBuf> {
    programs::find("antiword", "ARKIV_ANTIWORD")
}

/// What a converter gives: a Word file for [`super::docx`], or text.
pub enum Converted {
    Docx(Vec<u8>),
    Text(Extracted),
}

/// Converts a .doc or .rtf file with the first converter installed. This
/// runs in the thread that reads the file, not in a worker: the converter
/// is a process of its own, under the same deadline, and LibreOffice needs
/// more address space than a worker is given.
pub fn convert(format: Format, bytes: &[u8], opts: &ReadOptions) -> Result<Converted, ReadError> {
    check_content(format, bytes)?;
    let (what, packages) = match format {
        Format::Doc => ("Word 97-2003 (.doc)", "libreoffice-writer-nogui or antiword"),
        _ => ("RTF (.rtf)", "libreoffice-writer-nogui"),
    };
    let missing = || ReadError::NoConverter { what: what.into(), packages: packages.into() };
    if !opts.convert {
        return Err(missing());
    }
    if let Some(exe) = soffice() {
        return with_libreoffice(&exe, format, bytes, opts).map(Converted::Docx);
    }
    match (format, antiword()) {
        (Format::Doc, Some(exe)) => with_antiword(&exe, bytes, opts).map(Converted::Text),
        _ => Err(missing()),
    }
}

/// A .doc is an OLE compound file; an .rtf starts "{\rtf".
fn check_content(format: Format, bytes: &[u8]) -> Result<(), ReadError> {
    let ok = match format {
        Format::Doc => bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        _ => bytes.starts_with(b"{\\rtf"),
    };
    if ok {
        return Ok(());
    }
    let found = if bytes.starts_with(b"{\\rtf") { "an RTF document" } else { super::pdf::sniff(bytes) };
    let expected = if format == Format::Doc { "Word 97-2003 (.doc)" } else { "RTF (.rtf)" };
    Err(ReadError::WrongContent { expected: expected.into(), found: found.into() })
}

fn failed(program: &str, e: impl std::fmt::Display) -> ReadError {
    ReadError::Damaged { format: program.into(), detail: e.to_string() }
}

/// LibreOffice converts the file to .docx in a scratch folder, with a user
/// profile of its own there (two conversions at once must not share one).
/// It runs in a process group of its own, so that the deadline ends all of
/// LibreOffice's processes.
fn with_libreoffice(exe: &std::path::Path, format: Format, bytes: &[u8], opts: &ReadOptions) -> Result<Vec<u8>, ReadError> {
    use std::os::unix::process::CommandExt;
    let crashed = |e: String| ReadError::Crashed(format!("LibreOffice: {e}"));
    let scratch = Scratch::new().map_err(crashed)?;
    let input = scratch.file(&format!("in.{}", format.as_str()), bytes).map_err(crashed)?;
    let profile = format!("file://{}", scratch.path().join("profile").display());
    let mut cmd = Command::new(exe);
    cmd.args(["--headless", "--norestore", "--nologo", "--nolockcheck", "--nodefault"])
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--convert-to", "docx:MS Word 2007 XML", "--outdir"])
        .arg(scratch.path())
        .arg(&input)
        .process_group(0);
    let ran = programs::run(&mut cmd, Instant::now() + opts.timeout.mul_f64(0.9), 1 << 20).map_err(crashed)?;
    if ran.status.is_none() {
        return Err(ReadError::Timeout(opts.timeout.as_secs_f64()));
    }
    let out = scratch.path().join("in.docx");
    std::fs::read(&out).map_err(|_| failed(format.as_str(), "LibreOffice could not convert it"))
}

/// antiword writes a .doc's text, UTF-8, paragraphs unwrapped.
fn with_antiword(exe: &std::path::Path, bytes: &[u8], opts: &ReadOptions) -> Result<Extracted, ReadError> {
    let crashed = |e: String| ReadError::Crashed(format!("antiword: {e}"));
    let scratch = Scratch::new().map_err(crashed)?;
    let input = scratch.file("in.doc", bytes).map_err(crashed)?;
    let mut cmd = Command::new(exe);
    cmd.args(["-m", "UTF-8.txt", "-w", "0"]).arg(&input);
    let ran = programs::run(&mut cmd, Instant::now() + opts.timeout, opts.max_text_bytes as u64 + 1).map_err(crashed)?;
    match ran.status {
        None => Err(ReadError::Timeout(opts.timeout.as_secs_f64())),
        Some(s) if !s.success() => Err(failed("doc", format!("antiword could not read it (exit status {s})"))),
        Some(_) => {
            // antiword marks a table's cells with "|".
            let text = String::from_utf8_lossy(&ran.stdout).into_owned();
            Ok(Extracted { text, pages: None, engine: super::Engine::Antiword, notes: vec![], textless: vec![], ocr: vec![] })
        }
    }
}
