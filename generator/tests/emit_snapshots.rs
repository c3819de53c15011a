//! Each emit feature has a mini contract (`tests/snapshots/emit/<feature>.json`) and the code
//! ssdto generates for it (`<feature>.rs`): a generated file whose header holds the options
//! and the contract it comes from. Reading them shows what a change does to the output.
//!
//! `SSDTO_BLESS=1 cargo test -p ssdto-gen --test emit_snapshots` rewrites them from their
//! headers; a new one starts as `ssdto generate tests/snapshots/emit/<feature>.json [options]
//! -o tests/snapshots/emit/<feature>.rs`.

use std::path::{Path, PathBuf};

use ssdto_gen::Builder;

fn snapshots() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/emit");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

/// The first line where `expected` and `actual` differ, with a few lines of context.
fn first_difference(expected: &str, actual: &str) -> String {
    let (old, new): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let at = old
        .iter()
        .zip(&new)
        .position(|(a, b)| a != b)
        .unwrap_or(old.len().min(new.len()));
    let show = |lines: &[&str]| {
        lines
            .iter()
            .skip(at.saturating_sub(2))
            .take(6)
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "line {} after the header:\n  expected:\n{}\n  generated:\n{}",
        at + 1,
        show(&old),
        show(&new)
    )
}

#[test]
fn every_feature_generates_its_snapshot() {
    let files = snapshots();
    assert!(files.len() >= 10, "expected the emit snapshots: {files:?}");
    let bless = std::env::var_os("SSDTO_BLESS").is_some();
    let mut stale = Vec::new();
    for file in &files {
        if bless {
            Builder::update_file(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            continue;
        }
        if Builder::check_file(file).unwrap_or_else(|e| panic!("{}: {e}", file.display())) {
            continue;
        }
        // The header names the source relative to the file; compare what follows it.
        let body = |text: &str| text.split_once("*/\n").map_or(text, |(_, b)| b).to_owned();
        let expected = body(&std::fs::read_to_string(file).expect("snapshot"));
        let generated = Builder::from_generated_file(file)
            .and_then(|b| b.generate())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
            .code;
        stale.push(format!(
            "{}: {}",
            file.display(),
            first_difference(&expected, &body(&generated))
        ));
    }
    assert!(
        stale.is_empty(),
        "snapshots differ from the generator (SSDTO_BLESS=1 rewrites them):\n{}",
        stale.join("\n\n")
    );
}
