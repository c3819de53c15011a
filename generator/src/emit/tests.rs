//! The text writer against the emitter it replaced (emit/legacy.rs: quote -> syn ->
//! prettyplease): the same bytes for every contract the repository has, with every option the
//! tests use, and for synthetic contracts of many seeds and sizes.

use crate::options::{DateType, GuidType, MapType, Options};

#[path = "../../benches/support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

/// Both emitters on one contract; `None` when the contract does not resolve.
fn both(json: &str, options: &Options) -> Option<(String, String)> {
    let space = crate::resolve_checked(json, options).ok()?;
    let new = super::render(&space, options, json).expect("text emit");
    let old = super::legacy::render(&space, options, json).expect("legacy emit");
    Some((new, old))
}

/// Every option combination the repository's tests generate with.
fn option_sets() -> Vec<(&'static str, Options)> {
    let o = Options::default;
    vec![
        ("default", o()),
        (
            "server",
            Options {
                server: true,
                ..o()
            },
        ),
        ("xml", Options { xml: true, ..o() }),
        (
            "server+xml",
            Options {
                server: true,
                xml: true,
                ..o()
            },
        ),
        (
            "module",
            Options {
                global_namespace: Some("Api.Dtos".into()),
                ..o()
            },
        ),
        (
            "module+xml+server",
            Options {
                global_namespace: Some("dtos".into()),
                xml: true,
                server: true,
                ..o()
            },
        ),
        (
            // A keyword namespace becomes a raw identifier, through every path that wraps
            // items in the module.
            "keyword module+xml+server",
            Options {
                global_namespace: Some("type".into()),
                xml: true,
                server: true,
                ..o()
            },
        ),
        (
            "types",
            Options {
                date_type: DateType::Chrono,
                guid_type: GuidType::Uuid,
                map_type: MapType::BTreeMap,
                ..o()
            },
        ),
        (
            "ssdto types",
            Options {
                date_type: DateType::Ssdto,
                guid_type: GuidType::Ssdto,
                ..o()
            },
        ),
        (
            "derives",
            Options {
                add_derives: vec![
                    "Eq".into(),
                    "std::hash::Hash".into(),
                    "PartialOrd".into(),
                    "Serialize".into(),
                    ":: serde :: Serialize".into(),
                ],
                ..o()
            },
        ),
        (
            "no descriptions",
            Options {
                add_description_as_comments: false,
                ..o()
            },
        ),
    ]
}

fn contract_files() -> Vec<std::path::PathBuf> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut files = Vec::new();
    let mut dirs = vec![
        std::path::PathBuf::from(format!("{root}/contracts")),
        std::path::PathBuf::from(format!("{root}/generator/tests")),
        std::path::PathBuf::from(format!("{root}/tests")),
    ];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn assert_same(what: &str, new: &str, old: &str) {
    if new != old {
        let line = new
            .lines()
            .zip(old.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(new.lines().count().min(old.lines().count()));
        let around = |text: &str| {
            text.lines()
                .skip(line.saturating_sub(3))
                .take(8)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "{what}: text and legacy emit differ at line {}\n--- text:\n{}\n--- legacy:\n{}",
            line + 1,
            around(new),
            around(old)
        );
    }
}

#[test]
fn every_contract_with_every_option_set_is_byte_identical() {
    let files = contract_files();
    let mut compared = 0;
    for path in &files {
        let Ok(json) = std::fs::read_to_string(path) else {
            continue;
        };
        for (name, options) in option_sets() {
            if let Some((new, old)) = both(&json, &options) {
                assert_same(&format!("{} ({name})", path.display()), &new, &old);
                compared += 1;
            }
        }
    }
    // contracts/ alone holds dozens of contracts: a walk that found none is a broken test.
    assert!(compared > 100, "compared only {compared} outputs");
}

#[test]
fn synthetic_contracts_are_byte_identical() {
    // Small sizes and many seeds: every shape synthetic.rs makes shows up in a few dozen types,
    // and the legacy emitter is slow in a debug build.
    for seed in 0..12u64 {
        for size in [8, 30, 90] {
            let json = synthetic::contract(size, seed);
            for (name, options) in option_sets() {
                let (new, old) = both(&json, &options).expect("synthetic contracts resolve");
                assert_same(
                    &format!("synthetic {size} seed {seed} ({name})"),
                    &new,
                    &old,
                );
            }
        }
    }
}
