//! The programs a reader may run where they are installed: poppler's
//! `pdftotext` and `pdftoppm`, LibreOffice, antiword and Tesseract. Each
//! runs on a copy of the file in a scratch folder of its own, under a
//! deadline and with its output bounded; none is needed to build arkiv.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::Instant;

/// The program `name` on the PATH, or where the environment variable `env`
/// says (`ARKIV_PDFTOTEXT=/opt/poppler/bin/pdftotext`; empty: not used).
pub fn find(name: &str, env: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return (!p.is_empty()).then(|| p.into());
    }
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|d| d.join(name)).find(|p| p.is_file()))
}

/// A folder for one reading, removed when it goes out of scope.
pub struct Scratch(tempfile::TempDir);

impl Scratch {
    pub fn new() -> Result<Scratch, String> {
        tempfile::Builder::new().prefix("arkiv-read-").tempdir().map(Scratch).map_err(|e| format!("no scratch folder: {e}"))
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// Writes `bytes` as `name` in the folder, and gives its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
        let p = self.path().join(name);
        std::fs::write(&p, bytes).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        Ok(p)
    }
}

/// How a program ended: its exit status (None: killed at the deadline) and
/// the first `limit` bytes of its standard output.
pub struct Ran {
    pub status: Option<ExitStatus>,
    pub stdout: Vec<u8>,
}

/// Runs `cmd` with no input and its standard error discarded, killing it
/// (with its process group, where it leads one) at `deadline`.
pub fn run(cmd: &mut Command, deadline: Instant, limit: u64) -> Result<Ran, String> {
    let name = cmd.get_program().to_string_lossy().into_owned();
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().map_err(|e| format!("cannot start {name}: {e}"))?;
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut v = vec![];
        let _ = (&mut stdout).take(limit).read_to_end(&mut v);
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        v
    });
    let status = super::wait_or_kill(&mut child, deadline);
    let stdout = reader.join().unwrap_or_default();
    Ok(Ran { status, stdout })
}
