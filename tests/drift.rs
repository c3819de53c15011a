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

/// The README's block between `<!-- NAME:start -->` and `<!-- NAME:end -->` must be `block`.
/// `SSDTO_BLESS=1 cargo test -p ssdto-tests --test drift` rewrites it after a change.
fn check_readme_block(name: &str, block: &str) {
    let (start, end) = (
        format!("<!-- {name}:start -->\n"),
        format!("<!-- {name}:end -->"),
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("README.md: {e}"));
    let from = readme
        .find(&start)
        .unwrap_or_else(|| panic!("README has no {start}"))
        + start.len();
    let to = readme
        .find(&end)
        .unwrap_or_else(|| panic!("README has no {end}"));
    if readme[from..to] == *block {
        return;
    }
    if std::env::var_os("SSDTO_BLESS").is_some() {
        let updated = format!("{}{block}{}", &readme[..from], &readme[to..]);
        std::fs::write(&path, updated).unwrap_or_else(|e| panic!("README.md: {e}"));
        return;
    }
    panic!(
        "README.md's {name} block is stale; rerun with SSDTO_BLESS=1 to rewrite it as:\n{block}"
    );
}

/// The README's copy of the .NET type table is the table `generator/src/dotnet.rs` holds.
#[test]
fn readme_type_table_matches_the_generator() {
    check_readme_block("dotnet-table", &ssdto_gen::dotnet::markdown());
}

/// The README's table of options is `ssdto_gen::OPTIONS`.
#[test]
fn readme_options_table_matches_the_generator() {
    use ssdto_gen::{Kind, Options, Value, OPTIONS};
    let mut table =
        String::from("| flag | header option | key | meaning |\n| --- | --- | --- | --- |\n");
    for spec in OPTIONS {
        let (flag, values) = match (spec.kind, spec.value(&Options::default())) {
            (Kind::Bool, Value::Bool(default)) => {
                (format!("--{}", spec.flag), format!(" (`{}`)", !default))
            }
            (Kind::Choice(_), _) => (
                format!("--{} T", spec.flag),
                format!(" (default `{}`)", spec.text(&Options::default())),
            ),
            _ => (format!("--{} ..", spec.flag), String::new()),
        };
        table.push_str(&format!(
            "| `{flag}` | `{}`{values} | `{}` | {} |\n",
            spec.header, spec.key, spec.help
        ));
    }
    check_readme_block("options-table", &table);
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
