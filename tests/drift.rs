//! `generated/` must be exactly what the generator writes for its contracts today.

use std::path::{Path, PathBuf};

fn generated_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src");
    let mut files = vec![
        root.join("evovoice_sessions.rs"),
        root.join("evovoice_xml.rs"),
        root.join("kitchen_sink.rs"),
        root.join("xml_rules.rs"),
    ];
    for dir in ["cases", "fixtures", "wire_types"] {
        let mut more: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap_or_else(|e| panic!("generated/src/{dir}: {e}"))
            .map(|e| e.expect("entry").path())
            .collect();
        more.sort();
        files.extend(more);
    }
    files
}

#[test]
fn generated_files_match_the_generator() {
    let files = generated_files();
    assert!(
        files.len() >= 12,
        "expected the two Evo Voice files, the kitchen-sink and XML-rules files, three cases, three fixtures and three wire-type files: {files:?}"
    );
    let stale: Vec<String> = files
        .iter()
        .filter(|f| !ssdto_gen::Builder::check_file(f).unwrap_or_else(|e| panic!("{e}")))
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "stale generated files (run `cargo run -p ssdto-gen -- update {}`): {stale:?}",
        stale.join(" ")
    );
}

/// The README's copy of the .NET type table is the table `generator/src/dotnet.rs` holds.
/// `SSDTO_BLESS=1 cargo test -p ssdto-tests --test drift` rewrites it after a change there.
#[test]
fn readme_type_table_matches_the_generator() {
    const START: &str = "<!-- dotnet-table:start -->\n";
    const END: &str = "<!-- dotnet-table:end -->";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("README.md: {e}"));
    let start = readme
        .find(START)
        .expect("README has the table start marker")
        + START.len();
    let end = readme.find(END).expect("README has the table end marker");
    let table = ssdto_gen::dotnet::markdown();
    if readme[start..end] == table {
        return;
    }
    if std::env::var_os("SSDTO_BLESS").is_some() {
        let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).unwrap_or_else(|e| panic!("README.md: {e}"));
        return;
    }
    panic!(
        "README.md's .NET type table is stale; rerun with SSDTO_BLESS=1 to rewrite it as:\n{table}"
    );
}

/// ssdto-gen embeds its own copy of the Evo Voice contract (a published crate cannot reach
/// outside its directory); it must stay the contract in `contracts/`.
#[test]
fn embedded_contract_is_the_evovoice_contract() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts/evovoice/sessions.json");
    let contract = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        ssdto_gen::EVOVOICE_SESSIONS == contract,
        "generator/contracts/evovoice_sessions.json differs from contracts/evovoice/sessions.json: copy the latter over the former"
    );
}
