//! The contract corpus: every contract in `contracts/real` (published by real ServiceStack apps,
//! see `SOURCES.md` there) and `contracts/cases` (written to exercise every row of the .NET type
//! table and every awkward shape real contracts have) generates, and all the outputs compile in
//! ONE scratch crate with `#![deny(warnings)]`: each contract without options and again with
//! `Server`, `Xml` and a rotating choice of `DateType`, `GuidType` and `MapType`, so every option
//! is used on some contract. The crate's tests then round-trip a default value of every request
//! type through JSON and through the query codec (`ssdto::query` out, `ssdto::server::decode`
//! back). Adding a contract is adding its file.
//!
//! The scratch crate (`support/scratch.rs`) shares its target directory with
//! `generated_compiles`, so dependencies are built once and a rerun costs only what changed.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ssdto_gen::{DateType, GuidType, MapType, Options};

#[path = "support/scratch.rs"]
mod scratch;

use scratch::workspace;

const FOLDERS: [&str; 2] = ["contracts/real", "contracts/cases"];

/// Every `.json` file of the corpus folders, sorted, with a module name for it.
fn contracts() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for folder in FOLDERS {
        let dir = workspace().join(folder);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("corpus entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for path in files {
            let stem = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".json"))
                .unwrap_or_else(|| panic!("{}: not a UTF-8 name", path.display()));
            let module: String = stem
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            out.push((module, path));
        }
    }
    out
}

/// The options of the second generation of the `i`th contract: `Server` and `Xml` always, and
/// the date, Guid and map options in turn.
fn server_options(i: usize) -> Options {
    let (date_type, guid_type, map_type) = match i % 3 {
        0 => (DateType::Chrono, GuidType::Uuid, MapType::BTreeMap),
        1 => (DateType::Ssdto, GuidType::Ssdto, MapType::HashMap),
        _ => (DateType::String, GuidType::String, MapType::BTreeMap),
    };
    Options::default()
        .with_server(true)
        .with_xml(true)
        .with_date_type(date_type)
        .with_guid_type(guid_type)
        .with_map_type(map_type)
}

/// One generation, as a module of the scratch crate.
struct Module {
    name: String,
    code: String,
    /// Requests that serialize as an object: round-tripped through JSON and the query string.
    objects: Vec<String>,
    /// Requests that are newtypes over a collection (a batch request is a JSON array): JSON
    /// only, since a query string holds named fields.
    arrays: Vec<String>,
}

/// The request types a generated module implements `ssdto::Request` for, objects and arrays.
/// Generic requests cannot be named without arguments and are left out.
fn requests(code: &str) -> (Vec<String>, Vec<String>) {
    let file = syn::parse_file(code).unwrap_or_else(|e| panic!("generated code parses: {e}"));
    let mut generic = BTreeSet::new();
    let mut newtypes = BTreeSet::new();
    for item in &file.items {
        if let syn::Item::Struct(s) = item {
            if !s.generics.params.is_empty() {
                generic.insert(s.ident.to_string());
            }
            if matches!(s.fields, syn::Fields::Unnamed(_)) {
                newtypes.insert(s.ident.to_string());
            }
        }
    }
    let (mut objects, mut arrays) = (Vec::new(), Vec::new());
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        let Some((_, path, _)) = &imp.trait_ else {
            continue;
        };
        if path.segments.last().is_none_or(|s| s.ident != "Request") {
            continue;
        }
        let syn::Type::Path(ty) = &*imp.self_ty else {
            continue;
        };
        let name = quote::ToTokens::to_token_stream(ty).to_string();
        if generic.contains(&name) {
            continue;
        }
        if newtypes.contains(&name) {
            arrays.push(name);
        } else {
            objects.push(name);
        }
    }
    (objects, arrays)
}

const ROUND_TRIP: &str = r#"
#[cfg(test)]
mod round_trip {
    use serde::{de::DeserializeOwned, Serialize};
    use std::fmt::Debug;

    fn json<T: Default + PartialEq + Debug + Serialize + DeserializeOwned>(name: &str) -> T {
        let value = T::default();
        let json = serde_json::to_string(&value).unwrap_or_else(|e| panic!("{name}: to JSON: {e}"));
        let back: T =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: from JSON {json}: {e}"));
        assert_eq!(back, value, "{name}: JSON {json}");
        value
    }

    /// JSON, then out through the client's query codec and back through the server's binder.
    pub fn object<T: Default + PartialEq + Debug + Serialize + DeserializeOwned>(name: &str) {
        let value: T = json(name);
        let query = ssdto::query::to_query_string(&value, &[])
            .unwrap_or_else(|e| panic!("{name}: to query: {e}"));
        let raw = ssdto::server::RawRequest { query: Some(&query), ..Default::default() };
        let back: T =
            ssdto::server::decode(&raw).unwrap_or_else(|e| panic!("{name}: from query {query}: {e}"));
        assert_eq!(back, value, "{name}: query {query}");
    }

    /// A request that is a JSON array (a class inheriting a .NET collection).
    pub fn array<T: Default + PartialEq + Debug + Serialize + DeserializeOwned>(name: &str) {
        json::<T>(name);
    }
"#;

/// The scratch crate: a module per generation and a test per module that round-trips its
/// requests.
fn write_crate(dir: &Path, modules: &[Module]) {
    let src = scratch::prepare(dir, "ssdto-corpus");
    let mut lib = String::from(
        "//! Generated from contracts/real and contracts/cases by tests/corpus.rs.\n\
         #![deny(warnings, missing_debug_implementations)]\n",
    );
    for Module { name, code, .. } in modules {
        std::fs::write(src.join(format!("{name}.rs")), code).expect("write module");
        let _ = writeln!(lib, "pub mod {name};");
    }
    lib.push_str(ROUND_TRIP);
    for Module {
        name,
        objects,
        arrays,
        ..
    } in modules
    {
        let _ = writeln!(lib, "\n    #[test]\n    fn {name}() {{");
        for request in objects {
            let _ = writeln!(
                lib,
                "        object::<crate::{name}::{request}>(\"{name}::{request}\");"
            );
        }
        for request in arrays {
            let _ = writeln!(
                lib,
                "        array::<crate::{name}::{request}>(\"{name}::{request}\");"
            );
        }
        lib.push_str("    }\n");
    }
    lib.push_str("}\n");
    std::fs::write(src.join("lib.rs"), lib).expect("write lib.rs");
}

#[test]
fn every_contract_generates_compiles_and_round_trips() {
    let mut modules = Vec::new();
    let mut summary = String::new();
    for (i, (module, path)) in contracts().into_iter().enumerate() {
        let json =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (suffix, options) in [("", Options::default()), ("_server", server_options(i))] {
            let generated = ssdto_gen::generate(&json, &options)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let _ = writeln!(
                summary,
                "{module}{suffix}: {} warnings, undefined {:?}",
                generated.warnings.len(),
                generated.undefined_types
            );
            let (objects, arrays) = requests(&generated.code);
            modules.push(Module {
                name: format!("{module}{suffix}"),
                code: generated.code,
                objects,
                arrays,
            });
        }
    }
    assert!(
        modules.len() >= 2 * 9,
        "the corpus shrank: {} generations",
        modules.len()
    );
    eprintln!("{summary}");

    let dir = scratch::root().join("corpus");
    write_crate(&dir, &modules);
    scratch::cargo(
        &dir,
        &["test", "--lib"],
        "the corpus does not compile or round-trip",
    );
}

/// Every row of the .NET type table is named by some contract in `contracts/cases`, so the
/// corpus exercises it.
#[test]
fn the_cases_name_every_row_of_the_type_table() {
    let dir = workspace().join("contracts/cases");
    let mut text = String::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "json") {
            text.push_str(&std::fs::read_to_string(&path).expect("read case"));
        }
    }
    let mut missing = Vec::new();
    for entry in ssdto_gen::dotnet::TABLE {
        for name in entry.names {
            // The C# keywords appear inside generic text (`List<int>`).
            let quoted = [
                format!("\"{name}\""),
                format!("\"{name}`"),
                format!("<{name}"),
                format!(",{name}"),
            ];
            if !quoted.iter().any(|q| text.contains(q.as_str())) {
                missing.push(*name);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "no contract in contracts/cases names {missing:?}"
    );
}
