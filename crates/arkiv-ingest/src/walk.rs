//! Walking an archive: which files are documents, sidecar metadata, path
//! rules, and the two passes (vocabulary, then segmentation).

use crate::config::Config;
use crate::dates;
use crate::formats::Format;
use crate::meta::Overrides;
use crate::model::{ArchiveParse, Diagnostic, FileParse, Kind, Source};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A document found in an archive.
#[derive(Debug, Clone)]
pub struct ArchiveFile {
    pub path: PathBuf,
    /// Relative to the archive root, `/`-separated.
    pub relpath: String,
}

fn diag(path: &Path, code: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic { path: path.display().to_string(), line: None, code: code.into(), message: message.into() }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn special_kind(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "not a file"
    }
}

/// The documents under `root` in a stable order (by name, folder by
/// folder, as a walk sorted by file name gives them), and diagnostics for
/// what could not be read. Hidden files and folders are skipped; sidecar
/// files (`NAME.meta.toml`) are not documents. Folders are listed on every
/// core: an archive of a million items is some 150,000 files.
pub fn walk_archive(root: &Path) -> (Vec<ArchiveFile>, Vec<Diagnostic>) {
    if root.is_file() {
        let name = root.file_name().map(name_text).unwrap_or_default();
        return (vec![ArchiveFile { path: root.to_path_buf(), relpath: name }], vec![]);
    }
    // Links are followed only to files inside the archive: a link out of it
    // would put a file nobody published into the index and on /files.
    let canonical_root = std::fs::canonicalize(root).ok();
    let found = walk_folder(root, root, canonical_root.as_deref());
    (found.files, found.diags)
}

/// What a walk found under one folder.
#[derive(Default)]
struct Found {
    files: Vec<ArchiveFile>,
    diags: Vec<Diagnostic>,
}

impl Found {
    fn append(&mut self, mut other: Found) {
        self.files.append(&mut other.files);
        self.diags.append(&mut other.diags);
    }
}

/// The documents of one folder and its subfolders, in name order; the
/// subfolders are walked in parallel and put back in their place.
fn walk_folder(root: &Path, dir: &Path, canonical_root: Option<&Path>) -> Found {
    use rayon::prelude::*;
    // Links are not followed: a link to a folder is reported, not walked
    // (no loops). The folder's own entries are sorted by name, those that
    // could not be read first (as walkdir's `sort_by_file_name` puts them),
    // each name taken from its path once rather than at every comparison.
    let mut entries: Vec<walkdir::Result<walkdir::DirEntry>> = walkdir::WalkDir::new(dir).min_depth(1).max_depth(1).follow_links(false).into_iter().collect();
    entries.sort_by_cached_key(|e| e.as_ref().ok().map(|e| e.file_name().to_owned()));
    let parts: Vec<Found> = entries
        .into_par_iter()
        .map(|entry| {
            let mut found = Found::default();
            match entry {
                Err(e) => {
                    let p = e.path().map(|p| p.to_path_buf()).unwrap_or_else(|| dir.to_path_buf());
                    found.diags.push(diag(&p, "walk.unreadable", format!("skipped: cannot read: {}", e.io_error().map(|e| e.to_string()).unwrap_or_else(|| e.to_string()))));
                }
                Ok(e) if is_hidden(e.file_name()) => {}
                Ok(e) if e.file_type().is_dir() => found = walk_folder(root, e.path(), canonical_root),
                Ok(e) => consider(root, &e, canonical_root, &mut found),
            }
            found
        })
        .collect();
    let mut found = Found::default();
    for part in parts {
        found.append(part);
    }
    found
}

/// A folder's entry that is not a folder: a document, or why it is not.
fn consider(root: &Path, entry: &walkdir::DirEntry, canonical_root: Option<&Path>, found: &mut Found) {
    let p = entry.path();
    if entry.file_type().is_symlink() {
        // Links are not followed into folders (no loops); a link to a
        // file is read, and a link to nothing is reported.
        match std::fs::metadata(p) {
            Ok(m) if m.is_file() && !canonical_root.is_some_and(|r| inside(r, p)) => {
                let to = std::fs::read_link(p).map(|t| t.display().to_string()).unwrap_or_default();
                found.diags.push(diag(p, "walk.link-outside", format!("skipped: a link to a file outside the archive ({to})")));
                return;
            }
            Ok(m) if m.is_file() => {}
            Ok(m) if m.is_dir() => {
                found.diags.push(diag(p, "walk.link-to-folder", "skipped: links to folders are not followed"));
                return;
            }
            Ok(m) => {
                found.diags.push(diag(p, "walk.not-regular", format!("skipped: not a regular file (a link to {})", special_kind(&m.file_type()))));
                return;
            }
            Err(e) => {
                found.diags.push(diag(p, "walk.unreadable", format!("skipped: broken link: {e}")));
                return;
            }
        }
    } else if !entry.file_type().is_file() {
        // Never opened: reading a FIFO would wait for a writer forever.
        found.diags.push(diag(p, "walk.not-regular", format!("skipped: not a regular file ({})", special_kind(&entry.file_type()))));
        return;
    }
    let name = entry.file_name().to_string_lossy().to_lowercase();
    if name.ends_with(".meta.toml") {
        return;
    }
    let relpath = p.strip_prefix(root).unwrap_or(p).components().map(|c| name_text(c.as_os_str())).collect::<Vec<_>>().join("/");
    let ext = p.extension().map(|e| e.to_string_lossy().to_lowercase());
    match ext.as_deref().map(|e| (e, Format::of_extension(e))) {
        Some((_, Some(_))) => found.files.push(ArchiveFile { path: p.to_path_buf(), relpath }),
        Some((e, None)) => found.diags.push(diag(p, "walk.unsupported", format!("skipped: .{e} files are not read (documents are {})", Format::known()))),
        None => found.diags.push(diag(p, "walk.unsupported", format!("skipped: no file extension (documents are {})", Format::known()))),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sidecar {
    group: Option<String>,
    date: Option<String>,
    kind: Option<String>,
    place: Option<String>,
}

/// Metadata for a document from its sidecar and the path rules.
pub fn overrides(cfg: &Config, file: &ArchiveFile, diags: &mut Vec<Diagnostic>) -> Overrides {
    let mut ov = Overrides::default();
    for rule in &cfg.path_rules {
        let Some(c) = rule.path.captures(&file.relpath) else { continue };
        let group = c.name("group").map(|m| m.as_str().to_string()).or_else(|| rule.group.clone());
        if let Some(g) = group {
            let name = cfg.group_by_alias(&g).map(|g| g.name.clone()).unwrap_or(g);
            ov.group.get_or_insert((name, Source::Path));
        }
        if let Some(k) = c.name("kind").and_then(|m| Kind::parse(m.as_str())).or(rule.kind) {
            ov.kind.get_or_insert((k, Source::Path));
        }
        if let Some(y) = c.name("year").and_then(|m| m.as_str().parse().ok()) {
            ov.year_hint.get_or_insert(y);
        }
        if let Some(d) = c.name("date").and_then(|m| dates::find_date(m.as_str())).and_then(|d| d.full()) {
            ov.date.get_or_insert((d, Source::Path));
        }
    }
    let mut side = file.path.clone().into_os_string();
    side.push(".meta.toml");
    let side = PathBuf::from(side);
    if side.exists() {
        match std::fs::read_to_string(&side).map_err(|e| e.to_string()).and_then(|s| toml::from_str::<Sidecar>(&s).map_err(|e| e.to_string())) {
            Ok(s) => {
                if let Some(g) = s.group {
                    let name = cfg.group_by_alias(&g).map(|g| g.name.clone()).unwrap_or(g);
                    ov.group = Some((name, Source::Sidecar));
                }
                if let Some(d) = s.date {
                    match dates::find_date(&d).and_then(|d| d.full()) {
                        Some(d) => ov.date = Some((d, Source::Sidecar)),
                        None => diags.push(diag(&side, "sidecar.invalid", format!("date '{d}' is not a date (YYYY-MM-DD)"))),
                    }
                }
                if let Some(k) = s.kind {
                    match Kind::parse(&k) {
                        Some(k) => ov.kind = Some((k, Source::Sidecar)),
                        None => diags.push(diag(&side, "sidecar.invalid", format!("kind '{k}' is neither dagsorden nor referat"))),
                    }
                }
                if s.place.is_some() {
                    ov.place = s.place;
                }
            }
            Err(e) => diags.push(diag(&side, "sidecar.invalid", format!("ignored: {e}"))),
        }
    }
    ov
}

/// A file or folder name as text. Bytes that are not UTF-8 are written as
/// `%XX`, so two names that differ only in them stay two paths (and two
/// sets of ids), where a lossy conversion would make them one.
pub fn name_text(name: &std::ffi::OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in name.as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether `path` (followed through its links) is inside the folder
/// `canonical_root` (already canonical).
pub fn inside(canonical_root: &Path, path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(canonical_root))
}

/// Opens a file for reading only if it is a regular file. It is opened
/// without waiting (a FIFO put in a document's place would block an open
/// for ever) and checked on the open handle, so what was checked is what is
/// read, even if the name changes hands meanwhile.
pub fn open_regular(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)?;
    let m = f.metadata()?;
    if !m.is_file() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("not a regular file ({})", special_kind(&m.file_type()))));
    }
    Ok((f, m))
}

/// Reads a document's bytes, or says why not. A file that grows past its
/// format's bound while it is read is refused like one that was too large.
pub fn read_document(file: &ArchiveFile) -> Result<Vec<u8>, Diagnostic> {
    let (f, meta) = open_regular(&file.path).map_err(|e| diag(&file.path, "walk.unreadable", format!("skipped: cannot read: {e}")))?;
    let format = Format::of_path(&file.relpath).unwrap_or(Format::Text);
    let max = format.max_file_bytes();
    if meta.len() > max {
        let what = match format {
            Format::Text => "a meeting document's text can be",
            _ => "a document file arkiv reads can be",
        };
        return Err(diag(&file.path, "walk.too-large", format!("skipped: {:.1} MB is larger than the {} MB {what}", meta.len() as f64 / 1e6, max / (1024 * 1024))));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    use std::io::Read;
    f.take(max + 1).read_to_end(&mut bytes).map_err(|e| diag(&file.path, "walk.unreadable", format!("skipped: cannot read: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(diag(&file.path, "walk.too-large", format!("skipped: the file grew past the {} MB it can be while it was read", max / (1024 * 1024))));
    }
    Ok(bytes)
}

pub(crate) fn skipped(file: &ArchiveFile, d: Diagnostic) -> FileParse {
    FileParse { path: file.path.display().to_string(), relpath: file.relpath.clone(), encoding: String::new(), bytes: 0, format: Format::of_path(&file.relpath), pages: None, meetings: vec![], diagnostics: vec![d] }
}

/// Parses files and folders through the one pipeline (see
/// [`crate::pipeline`]): everything named shares one word table, as an
/// archive indexed with the same files does.
pub fn parse_paths(paths: &[PathBuf], cfg: &Config) -> ArchiveParse {
    // On one of the pool's threads: each parallel step below then hands its
    // work to the pool from inside it, instead of waking the pool and
    // putting this thread to sleep at every step.
    rayon::scope(|_| parse_paths_on_pool(paths, cfg))
}

fn parse_paths_on_pool(paths: &[PathBuf], cfg: &Config) -> ArchiveParse {
    let mut found: Vec<ArchiveFile> = vec![];
    let mut walk_diags = vec![];
    for p in paths {
        if !p.exists() {
            walk_diags.push(diag(p, "walk.missing", "no such file or folder"));
            continue;
        }
        let (files, diags) = walk_archive(p);
        found.extend(files);
        walk_diags.extend(diags);
    }
    let mut out = ArchiveParse { files: crate::pipeline::parse_files(&found, cfg) };
    for d in walk_diags {
        out.files.push(FileParse::of_diagnostic(d));
    }
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

#[cfg(test)]
mod tests {
    /// The walk gives a folder's documents by name, byte by byte, each
    /// subfolder's in its place, whatever order the folder lists them in.
    #[test]
    fn documents_come_in_name_order_folder_by_folder() {
        let dir = tempfile::tempdir().unwrap();
        let names = ["b.txt", "B.txt", "æble.txt", "a/z.txt", "a/æ.txt", "a/b/c.txt", "ab.txt", "a.txt", "Ø/1.txt", "10.txt", "9.txt"];
        for n in names {
            let p = dir.path().join(n);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "tekst").unwrap();
        }
        let (files, diags) = super::walk_archive(dir.path());
        assert!(diags.is_empty(), "{diags:?}");
        let got: Vec<&str> = files.iter().map(|f| f.relpath.as_str()).collect();
        assert_eq!(got, ["10.txt", "9.txt", "B.txt", "a/b/c.txt", "a/z.txt", "a/æ.txt", "a.txt", "ab.txt", "b.txt", "Ø/1.txt", "æble.txt"]);
    }
}
