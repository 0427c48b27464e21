//! The `arkiv` binary end to end: parse, index, search, clear errors, and
//! an index killed in the middle of an update.

mod support;

use std::path::Path;
use std::process::Command;

fn arkiv() -> Command {
    Command::new(env!("CARGO_BIN_EXE_arkiv"))
}

fn search_total(index: &Path, q: &str) -> u64 {
    let out = arkiv().args(["search", "--index"]).arg(index).args(["--json", "--limit", "1", q]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["total"].as_u64().unwrap()
}


#[test]
fn parse_index_search() {
    let sample = support::root().join("tests/sample-archive");
    let out = arkiv().args(["parse", "--json"]).arg(&sample).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 14);
    let item = &files[0]["meetings"][0]["items"][0];
    for k in ["id", "number", "title", "municipalities", "topics", "sections"] {
        assert!(!item[k].is_null(), "item has {k}");
    }
    let text = arkiv().arg("parse").arg(&sample).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("Klyngestyregruppen Horsensklyngen"));

    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("ix");
    let out = arkiv().args(["index", "--archive"]).arg(&sample).arg("--index").arg(&ix).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("48 items"), "{summary}");
    let out = arkiv().args(["index", "--archive"]).arg(&sample).arg("--index").arg(&ix).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("14 unchanged files skipped"));
    assert_eq!(search_total(&ix, "rygestop"), 3);
    let out = arkiv().args(["search", "--index"]).arg(&ix).args(["--group", "Klyngestyregruppen Horsensklyngen", "rygestop"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("2 results") && text.contains("group: "), "{text}");
}

#[test]
fn errors_are_clear_and_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["search".to_string(), "--index".into(), dir.path().join("none").display().to_string(), "x".into()],
        vec!["index".into(), "--archive".into(), dir.path().join("none").display().to_string(), "--index".into(), dir.path().join("ix").display().to_string()],
        vec!["parse".into(), "--config".into(), dir.path().display().to_string(), "x.txt".into()],
    ] {
        let out = arkiv().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(err.contains("Error:"), "{args:?}: {err}");
    }
    let sample = support::root().join("tests/sample-archive");
    let ix = dir.path().join("ix2");
    assert!(arkiv().args(["index", "--archive"]).arg(&sample).arg("--index").arg(&ix).output().unwrap().status.success());
    let out = arkiv().args(["search", "--index"]).arg(&ix).args(["--from", "2020-13-45", "x"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a date"));
}

/// A kill during indexing leaves the last committed index usable, and the
/// next run completes the update.
#[test]
fn killed_indexing_leaves_the_last_commit() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    support::copy_dir(&support::root().join("tests/sample-archive"), &archive);
    let ix = dir.path().join("ix");
    assert!(arkiv().args(["index", "--archive"]).arg(&archive).arg("--index").arg(&ix).output().unwrap().status.success());
    assert_eq!(search_total(&ix, ""), 48);
    for k in 0..60 {
        support::copy_dir(&support::root().join("tests/sample-archive"), &archive.join(format!("kopi-{k:03}")));
    }
    let mut child = arkiv().args(["index", "--archive"]).arg(&archive).arg("--index").arg(&ix).stdout(std::process::Stdio::null()).spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    let killed = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    let after_kill = search_total(&ix, "");
    if killed {
        assert!(after_kill == 48 || after_kill == 48 * 61, "a kill leaves one commit or the other, got {after_kill}");
    } else {
        eprintln!("note: indexing finished before the kill; only the completed case was checked");
    }
    let out = arkiv().args(["index", "--archive"]).arg(&archive).arg("--index").arg(&ix).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(search_total(&ix, ""), 48 * 61);
    assert_eq!(search_total(&ix, "rygestop"), 3 * 61);
}
