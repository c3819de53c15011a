//! Property tests: random contracts never make the generator panic, and valid ones always
//! generate code that parses as Rust.

use proptest::prelude::*;
use serde_json::{json, Value};

/// Names that stress identifier rules: keywords, case collisions, unicode, digits, symbols.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("type".to_owned()),
        Just("Self".to_owned()),
        Just("self".to_owned()),
        Just("match".to_owned()),
        Just("Id".to_owned()),
        Just("ID".to_owned()),
        Just("id".to_owned()),
        Just("Option".to_owned()),
        Just("Unknown".to_owned()),
        Just("_".to_owned()),
        Just("Größe".to_owned()),
        Just("日本".to_owned()),
        Just("1st".to_owned()),
        Just("a-b".to_owned()),
        "[A-Za-z][A-Za-z0-9_]{0,12}",
        "\\PC{1,8}",
    ]
}

const LEAVES: &[&str] = &[
    "String", "Int32", "Boolean", "Double", "DateTime", "Guid", "Byte[]", "Object",
];

/// C#-style type text over `known` type names, nested up to `depth`.
fn type_text(known: Vec<String>, depth: u32) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        proptest::sample::select(LEAVES).prop_map(str::to_owned),
        proptest::sample::select(known),
    ];
    leaf.prop_recursive(depth, 16, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| format!("List<{t}>")),
            inner.clone().prop_map(|t| format!("{t}[]")),
            (inner.clone(), inner.clone()).prop_map(|(k, v)| format!("Dictionary<{k},{v}>")),
            inner.prop_map(|t| format!("Nullable<{t}>")),
        ]
    })
}

/// A structurally valid contract: every referenced type exists, inheritance is acyclic,
/// types may refer to themselves and each other (also by value), enums have members.
fn valid_contract() -> impl Strategy<Value = Value> {
    (2usize..8).prop_flat_map(|n| {
        let type_names: Vec<String> = (0..n).map(|i| format!("T{i}")).collect();
        let props = proptest::collection::vec(
            proptest::collection::vec((name(), type_text(type_names.clone(), 4), any::<bool>()), 0..6),
            n,
        );
        let enums = proptest::collection::vec(proptest::collection::vec(name(), 1..5), 0..3);
        let bases = proptest::collection::vec(proptest::option::of(0usize..n), n);
        (Just(type_names), props, enums, bases)
    })
    .prop_map(|(type_names, props, enums, bases)| {
        let mut types = Vec::new();
        for (i, (name, props)) in type_names.iter().zip(props).enumerate() {
            let properties: Vec<Value> = props
                .into_iter()
                .map(|(p, t, required)| json!({"name": p, "type": t, "isRequired": required}))
                .collect();
            let mut t = json!({"name": name, "properties": properties, "description": "A type.\n    with indented text"});
            // Only earlier types as bases keeps inheritance acyclic.
            if let Some(b) = bases[i].filter(|&b| b < i) {
                t["inherits"] = json!({"name": type_names[b]});
            }
            types.push(t);
        }
        for (e, members) in enums.into_iter().enumerate() {
            types.push(json!({"name": format!("E{e}"), "isEnum": true, "enumNames": members}));
        }
        let operations = vec![json!({
            "request": {"name": "Op", "properties": [{"name": "Id", "type": "String"}]},
            "returnType": {"name": type_names[0]},
            "method": "GET",
            "routes": [{"path": "/op/{Id}", "verbs": "GET,POST"}]
        })];
        json!({"types": types, "operations": operations})
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn valid_contracts_generate_code_that_parses(contract in valid_contract()) {
        let text = contract.to_string();
        let code = match ssdto_gen::generate(&text, &ssdto_gen::Options::default()) {
            Ok(code) => code,
            // `Id` and `id` in one class are legal C#, but indistinguishable on the wire; that
            // is the one error a structurally valid contract may give.
            Err(e) if e.to_string().contains("on the wire") => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{text}"))),
        };
        syn::parse_file(&code).map_err(|e| TestCaseError::fail(format!("{e}\n{code}")))?;
        // Deterministic: the same input gives the same bytes.
        prop_assert_eq!(ssdto_gen::generate(&text, &ssdto_gen::Options::default()).ok(), Some(code));
    }

    #[test]
    fn arbitrary_json_never_panics(text in "\\PC{0,200}") {
        let _ = ssdto_gen::generate(&text, &ssdto_gen::Options::default());
    }

    #[test]
    fn mutated_contracts_never_panic(contract in valid_contract(), cut in 0usize..4000, junk in "[\\[\\]{}\",:a-z0-9`<>]{0,6}") {
        let mut text = contract.to_string();
        let at = text.char_indices().map(|(i, _)| i).nth(cut % text.chars().count().max(1)).unwrap_or(0);
        text.insert_str(at, &junk);
        if let Ok(code) = ssdto_gen::generate(&text, &ssdto_gen::Options::default()) {
            prop_assert!(syn::parse_file(&code).is_ok(), "{}", code);
        }
    }
}
