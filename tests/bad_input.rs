//! Bad input is reported and skipped; the rest of the archive is parsed.

use arkiv_ingest::{parse_paths, Config};

fn good_doc() -> &'static str {
    "Mødetid: Mandag d. 3. januar 2022\n1. Godkendelse af dagsorden\nBeslutning:\nGodkendt\n"
}

#[test]
fn broken_files_are_reported_and_the_rest_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("good.txt"), good_doc()).unwrap();
    std::fs::write(d.join("empty.txt"), b"").unwrap();
    std::fs::write(d.join("binary.txt"), b"%PDF-1.4\x00\x01\x02\x03 binary").unwrap();
    let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8 & 0x1f | 0x01).collect();
    std::fs::write(d.join("invalid.txt"), junk).unwrap();
    // A 50 MB file.
    let big = "Sagsfremstilling: tekst tekst tekst\n".repeat(50 * 1024 * 1024 / 36 + 1);
    std::fs::write(d.join("huge.txt"), big).unwrap();
    std::fs::write(d.join("scan.pdf"), b"%PDF").unwrap();
    std::fs::write(d.join("picture.png"), b"\x89PNG\r\n").unwrap();
    std::fs::write(d.join(".hidden.txt"), good_doc()).unwrap();
    // A link to nowhere, and a folder it may not read (where the user is not root).
    std::os::unix::fs::symlink(d.join("gone"), d.join("dangling.txt")).unwrap();
    let locked = d.join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("inside.txt"), good_doc()).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let locked_is_unreadable = std::fs::read_dir(&locked).is_err();

    // Files that are not regular files: never opened (a FIFO would wait forever).
    let fifo = std::ffi::CString::new(d.join("referat.txt").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let sock = std::os::unix::net::UnixListener::bind(d.join("sokkel.txt")).unwrap();
    std::os::unix::fs::symlink("/dev/null", d.join("enhed.txt")).unwrap();
    // Real binary data named .txt: an image and a zip.
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.extend((0..3000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    std::fs::write(d.join("billede.txt"), &png).unwrap();
    let mut zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
    zip.extend((0..3000u32).map(|i| (i.wrapping_mul(40503) >> 7) as u8));
    std::fs::write(d.join("arkiv.txt"), &zip).unwrap();

    let out = parse_paths(&[d.to_path_buf()], &Config::embedded());
    drop(sock);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();

    let code_for = |name: &str| -> Vec<String> {
        out.files.iter().filter(|f| f.path.ends_with(name)).flat_map(|f| f.diagnostics.iter().map(|d| d.code.clone())).collect()
    };
    let good = out.files.iter().find(|f| f.path.ends_with("good.txt")).expect("good.txt parsed");
    assert_eq!(good.meetings[0].items.len(), 1);
    assert_eq!(code_for("empty.txt"), vec!["decode.empty"]);
    assert_eq!(code_for("binary.txt"), vec!["decode.not-text"]);
    assert_eq!(code_for("invalid.txt"), vec!["decode.not-text"]);
    assert_eq!(code_for("billede.txt"), vec!["decode.not-text"]);
    assert_eq!(code_for("arkiv.txt"), vec!["decode.not-text"]);
    for (name, what) in [("referat.txt", "a FIFO"), ("sokkel.txt", "a socket"), ("enhed.txt", "a device")] {
        let f = out.files.iter().find(|f| f.path.ends_with(name)).unwrap_or_else(|| panic!("{name} is reported"));
        assert_eq!(f.diagnostics[0].code, "walk.not-regular", "{name}");
        assert!(f.diagnostics[0].message.contains(what), "{name}: {}", f.diagnostics[0].message);
    }
    assert_eq!(code_for("huge.txt"), vec!["walk.too-large"]);
    assert_eq!(code_for("scan.pdf"), vec!["read.damaged"]);
    assert_eq!(code_for("picture.png"), vec!["walk.unsupported"]);
    assert!(!code_for("dangling.txt").is_empty(), "a dangling link is reported");
    assert!(out.files.iter().all(|f| !f.path.contains(".hidden")), "hidden files are skipped");
    if locked_is_unreadable {
        assert_eq!(code_for("locked"), vec!["walk.unreadable"]);
    } else {
        eprintln!("note: running as root, the locked folder is readable; its case was not checked");
    }
    // Every diagnostic names its file and says what happened.
    for f in &out.files {
        for diag in &f.diagnostics {
            assert!(!diag.path.is_empty() && !diag.message.is_empty());
        }
    }
}

#[test]
fn parsing_never_panics_on_odd_text() {
    let cfg = Config::embedded();
    for text in ["1.", "Pkt.", "Mødetid:", "Dato: 99.99.99\nMail: x", "1. \n2.\n\n3", "Referat:\nBeslutning:", "- \u{f0b7}\n\u{f0b7}", "a-\n", "-\n-\n", "Side 1 af 0", "Tirsdag d. 31. februar 2020", "1-2-3-4-5-6-7"] {
        let _ = arkiv_ingest::parse_text("odd.txt", text, &cfg);
    }
}
