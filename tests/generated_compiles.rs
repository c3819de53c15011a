//! A seeded sample of random valid contracts (the strategies of
//! `generator/tests/support/contracts.rs`) and a few hand-made hazardous ones generate code that
//! compiles without warnings against the runtime; every other sample with `Server`,
//! `DateType: chrono`, `GuidType: uuid`, `MapType: BTreeMap` and `Xml`, and the hazardous ones
//! also with `Xml` alone. (Real contracts are the corpus's: `tests/corpus.rs`.)
//!
//! All of them go into one scratch crate (`support/scratch.rs`), checked by a single
//! `cargo check`.

use std::fmt::Write as _;
use std::path::Path;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::json;

#[path = "../generator/tests/support/contracts.rs"]
mod contracts;
#[path = "support/scratch.rs"]
mod scratch;

/// How many random contracts go into the sample.
const SAMPLES: usize = 8;

/// The sample's seed. `SSDTO_COMPILES_SEED=<text>` draws another sample (its bytes, padded),
/// for exploring locally; CI always checks this one.
const SEED: [u8; 32] = *b"ssdto generated code compiles!!!";

fn seed() -> [u8; 32] {
    let mut seed = SEED;
    if let Ok(text) = std::env::var("SSDTO_COMPILES_SEED") {
        seed = [b'.'; 32];
        for (slot, byte) in seed.iter_mut().zip(text.bytes()) {
            *slot = byte;
        }
    }
    seed
}

/// Contracts for hazards a random sample may miss, each kept small.
fn hazards() -> Vec<(&'static str, String)> {
    let nest = |inner: &str, n: usize| format!("{}{inner}{}", "List<".repeat(n), ">".repeat(n));
    vec![
        (
            "cycles",
            json!({"types": [
                {"name": "A", "properties": [
                    {"name": "Bs", "type": "List<B>"},
                    {"name": "Next", "type": "A"},
                    {"name": "ByName", "type": "Dictionary<String,A>"}]},
                {"name": "B", "properties": [{"name": "Owner", "type": "A", "isRequired": true}]},
                {"name": "Wrapper`1", "genericArgs": ["T"], "isGenericTypeDef": true,
                 "properties": [{"name": "Value", "type": "T", "isRequired": true}]},
                {"name": "C", "properties": [
                    {"name": "Wrapped", "type": "Wrapper<C>", "isRequired": true},
                    {"name": "Maybe", "type": "Wrapper<Wrapper<C>>"}]},
            ]})
            .to_string(),
        ),
        (
            "deep_generics",
            json!({"types": [
                {"name": "Deep", "properties": [
                    {"name": "Lists", "type": nest("Int32", 31)},
                    {"name": "Split", "type": "List`1", "genericArgs": [nest("String", 30)]},
                    {"name": "Maps", "type": format!("Dictionary<String,{}>", nest("Guid?", 29))}]},
            ]})
            .to_string(),
        ),
        (
            "generic_inheritance",
            json!({"types": [
                {"name": "Page`1", "genericArgs": ["T"], "isGenericTypeDef": true,
                 "properties": [{"name": "Items", "type": "List<T>"}, {"name": "Total", "type": "Int32"}]},
                {"name": "Keyed`2", "genericArgs": ["TKey", "TValue"], "isGenericTypeDef": true,
                 "inherits": {"name": "Page`1", "genericArgs": ["Dictionary<TKey,List<TValue>>"]},
                 "properties": [{"name": "Key", "type": "TKey"}, {"name": "Unused", "type": "String"}]},
                {"name": "Named`1", "genericArgs": ["T"], "isGenericTypeDef": true,
                 "inherits": {"name": "Keyed`2", "genericArgs": ["String", "T"]}},
                {"name": "Leaf", "inherits": {"name": "Named`1", "genericArgs": ["Leaf"]},
                 "properties": [{"name": "Parent", "type": "Leaf"}]},
            ],
            "operations": [{
                "request": {"name": "GetLeaves", "properties": [{"name": "Id", "type": "Int32"}]},
                "returnType": {"name": "Page`1", "genericArgs": ["Leaf"]},
                "method": "GET",
                "routes": [{"path": "/leaves/{Id}"}]}]})
            .to_string(),
        ),
    ]
}

/// Writes the scratch crate: one module per contract, its contract beside it for reading
/// failures.
fn write_crate(dir: &Path, modules: &[(String, String, String)]) {
    let src = scratch::prepare(dir, "ssdto-generated-compiles");
    let mut lib = String::from(
        "//! Generated from random and hazardous contracts by tests/generated_compiles.rs.\n\
         #![deny(warnings, missing_debug_implementations)]\n",
    );
    for (name, contract, code) in modules {
        std::fs::write(src.join(format!("{name}.rs")), code).expect("write module");
        std::fs::write(src.join(format!("{name}.json")), contract).expect("write contract");
        let _ = writeln!(lib, "pub mod {name};");
    }
    std::fs::write(src.join("lib.rs"), lib).expect("write lib.rs");
}

#[test]
fn a_seeded_sample_of_random_contracts_compiles_without_warnings() {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed()),
    );
    let strategy = contracts::valid_contract();
    let options = ssdto_gen::Options::default();
    // Every other sample with the options that change the output most:
    // server trait and router, chrono/uuid fields through with-modules, BTreeMap keys, XML;
    // and serde's derives named in `AddDerives`, which every type implements already (a
    // second impl would not compile).
    let all_options = ssdto_gen::Options::default()
        .with_server(true)
        .with_xml(true)
        .with_date_type(ssdto_gen::DateType::Chrono)
        .with_guid_type(ssdto_gen::GuidType::Uuid)
        .with_map_type(ssdto_gen::MapType::BTreeMap)
        .with_derive("serde::Deserialize")
        .with_derive("::serde::Serialize");
    let mut modules = Vec::new();
    for (name, contract) in hazards() {
        let code = ssdto_gen::generate(&contract, &options)
            .unwrap_or_else(|e| panic!("{name}: {e}\n{contract}"))
            .code;
        modules.push((name.to_owned(), contract.clone(), code));
        let xml = ssdto_gen::Options::default().with_xml(true);
        let code = ssdto_gen::generate(&contract, &xml)
            .unwrap_or_else(|e| panic!("{name} (xml): {e}\n{contract}"))
            .code;
        modules.push((format!("{name}_xml"), contract, code));
    }
    let fixed = modules.len();
    let mut drawn = 0;
    while modules.len() < fixed + SAMPLES {
        drawn += 1;
        assert!(drawn < 10 * SAMPLES, "too many contracts rejected");
        let contract = match strategy.new_tree(&mut runner) {
            Ok(tree) => tree.current().to_string(),
            Err(e) => panic!("cannot draw a contract: {e}"),
        };
        let (options, suffix) = if drawn % 2 == 0 {
            (&all_options, "_all_options")
        } else {
            (&options, "")
        };
        match ssdto_gen::generate(&contract, options) {
            Ok(generated) => {
                modules.push((format!("sample{drawn}{suffix}"), contract, generated.code))
            }
            // `Id` and `id` in one class: legal C#, ambiguous on the wire, rejected.
            Err(e) if e.to_string().contains("on the wire") => {}
            Err(e) => panic!("{e}\n{contract}"),
        }
    }

    let dir = scratch::root().join("crate");
    write_crate(&dir, &modules);
    scratch::cargo(&dir, &["check"], "generated code does not compile");
}
