//! Property tests: random contracts never make the generator panic, and valid ones always
//! generate code that parses as Rust.

use proptest::prelude::*;
use serde_json::json;

mod support {
    pub mod contracts;
}

use support::contracts::valid_contract;

fn generate(text: &str) -> Result<String, ssdto_gen::Error> {
    ssdto_gen::generate(text, &ssdto_gen::Options::default()).map(|g| g.code)
}

/// Generates and parses the output, or fails the case with the contract and the code.
fn generate_and_parse(text: &str) -> Result<String, TestCaseError> {
    let code = generate(text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    syn::parse_file(&code).map_err(|e| TestCaseError::fail(format!("{e}\n{code}")))?;
    Ok(code)
}

/// Type text `depth` levels deep: the wrappers are drawn from `kinds`, innermost first.
fn nested(kinds: &[u8], leaf: &str) -> String {
    kinds
        .iter()
        .fold(leaf.to_owned(), |inner, kind| match kind % 4 {
            0 => format!("List<{inner}>"),
            1 => format!("Dictionary<String,{inner}>"),
            2 => format!("Dictionary<{inner},Int32>[]"),
            _ => format!("Nullable<{inner}>"),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn valid_contracts_generate_code_that_parses(contract in valid_contract()) {
        let text = contract.to_string();
        let code = match generate(&text) {
            Ok(code) => code,
            // `Id` and `id` in one class are legal C#, but indistinguishable on the wire; that
            // is the one error a structurally valid contract may give.
            Err(e) if e.to_string().contains("on the wire") => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{text}"))),
        };
        syn::parse_file(&code).map_err(|e| TestCaseError::fail(format!("{e}\n{code}")))?;
        // Deterministic: the same input gives the same bytes.
        prop_assert_eq!(generate(&text).ok(), Some(code));
    }

    #[test]
    fn arbitrary_json_never_panics(text in "\\PC{0,200}") {
        let _ = generate(&text);
    }

    #[test]
    fn mutated_contracts_never_panic(contract in valid_contract(), cut in 0usize..4000, junk in "[\\[\\]{}\",:a-z0-9`<>]{0,6}") {
        let mut text = contract.to_string();
        let at = text.char_indices().map(|(i, _)| i).nth(cut % text.chars().count().max(1)).unwrap_or(0);
        text.insert_str(at, &junk);
        if let Ok(code) = generate(&text) {
            prop_assert!(syn::parse_file(&code).is_ok(), "{}", code);
        }
    }

    /// Type text at and just past the nesting limit: at most `MAX_DEPTH` levels generate
    /// code that parses, deeper is a clear error, never a stack overflow.
    #[test]
    fn generic_text_near_the_depth_limit(
        kinds in proptest::collection::vec(any::<u8>(), 28..36),
        split in any::<bool>(),
    ) {
        let limit = ssdto_gen::MAX_TYPE_DEPTH;
        let text = nested(&kinds, "Int32");
        // The same text whole, or as ContractProperty writes it: `List`1` + genericArgs.
        let property = if split {
            let inner = nested(&kinds[..kinds.len() - 1], "Int32");
            json!({"name": "Deep", "type": "List`1", "genericArgs": [inner]})
        } else {
            json!({"name": "Deep", "type": text})
        };
        let contract = json!({"types": [{"name": "A", "properties": [property]}]}).to_string();
        // Either way one level per wrapper plus the leaf. (`split` parses the outer type and
        // its argument apart: the limit must hold for the whole all the same.)
        let deepest = kinds.len() + 1;
        match generate(&contract) {
            Ok(code) => {
                prop_assert!(deepest <= limit, "{} levels accepted", deepest);
                syn::parse_file(&code).map_err(|e| TestCaseError::fail(format!("{e}\n{code}")))?;
            }
            Err(e) => {
                prop_assert!(deepest > limit, "{} levels rejected: {}", deepest, e);
                prop_assert!(e.to_string().contains("nest deeper"), "{}", e);
            }
        }
    }

    /// Inheritance chains of generic types with nested arguments: the nesting compounds
    /// down the chain, and must be bounded as a whole.
    #[test]
    fn generic_inheritance_chains_are_bounded(
        levels in 1usize..40,
        per_level in 1usize..8,
        own in 1usize..8,
    ) {
        let list = |inner: &str, n: usize| format!("{}{inner}{}", "List<".repeat(n), ">".repeat(n));
        let mut types = vec![json!({
            "name": "G0`1", "genericArgs": ["T"], "isGenericTypeDef": true,
            "properties": [{"name": "Value", "type": list("T", own)}]
        })];
        for i in 1..levels {
            types.push(json!({
                "name": format!("G{i}`1"), "genericArgs": ["T"], "isGenericTypeDef": true,
                "inherits": {"name": format!("G{}`1", i - 1), "genericArgs": [list("T", per_level)]}
            }));
        }
        types.push(json!({
            "name": "Leaf",
            "inherits": {"name": format!("G{}`1", levels - 1), "genericArgs": ["String"]}
        }));
        let text = json!({"types": types}).to_string();
        // Leaf's one field: `own` Lists from G0, `per_level` more per level below it, String.
        let deepest = own + per_level * (levels - 1) + 1;
        match generate(&text) {
            Ok(code) => {
                prop_assert!(deepest <= ssdto_gen::MAX_TYPE_DEPTH, "{} levels accepted", deepest);
                syn::parse_file(&code).map_err(|e| TestCaseError::fail(format!("{e}\n{code}")))?;
                let file = syn::parse_file(&code).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let leaf = file.items.iter().find_map(|item| match item {
                    syn::Item::Struct(s) if s.ident == "Leaf" => Some(quote::quote!(#s).to_string()),
                    _ => None,
                });
                let leaf = leaf.ok_or_else(|| TestCaseError::fail(format!("no Leaf in\n{code}")))?;
                prop_assert_eq!(leaf.matches("Vec <").count(), deepest - 1, "{}", leaf);
            }
            Err(e) => {
                prop_assert!(deepest > ssdto_gen::MAX_TYPE_DEPTH, "{} levels rejected: {}", deepest, e);
                prop_assert!(e.to_string().contains("nest deeper"), "{}", e);
            }
        }
    }
}

/// Every clashing type name, alone and next to its case collisions, with properties named
/// the same: one contract per name keeps a failure readable.
#[test]
fn clashing_type_and_property_names_generate_code_that_parses() {
    let names = [
        "Self",
        "self",
        "type",
        "Type",
        "crate",
        "super",
        "Option",
        "Some",
        "None",
        "Result",
        "Box",
        "Vec",
        "HashMap",
        "Default",
        "Serialize",
        "Value",
        "Id",
        "ID",
        "id",
        "Größe",
        "日本",
        "1st",
        "_",
        "T",
        "Unknown",
        "__",
        "٣",
    ];
    for name in names {
        let text = json!({"types": [
            {"name": name, "properties": [
                {"name": name, "type": name, "isRequired": false},
                {"name": "List", "type": format!("List<{name}>")},
            ]},
            {"name": format!("{name}_"), "properties": [{"name": "Id", "type": name}, {"name": "ID2", "type": "Int32"}]},
        ]})
        .to_string();
        let code = generate_and_parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(code.contains("pub struct"), "{name}: {code}");
    }
}

/// Cycles through collections are left alone; cycles by value are boxed, also when the
/// reference goes through a generic type's argument (`A { b: Wrapper<A> }`), or the
/// types would have no finite size.
#[test]
fn cycles_by_value_are_boxed() {
    let text = json!({"types": [
        {"name": "A", "properties": [{"name": "Bs", "type": "List<B>"}, {"name": "Next", "type": "A"}]},
        {"name": "B", "properties": [{"name": "Owner", "type": "A", "isRequired": true}]},
        {"name": "Wrapper`1", "genericArgs": ["T"], "isGenericTypeDef": true,
         "properties": [{"name": "Value", "type": "T", "isRequired": true}]},
        {"name": "C", "properties": [{"name": "Wrapped", "type": "Wrapper<C>", "isRequired": true}]},
    ]})
    .to_string();
    let code = generate_and_parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let file = syn::parse_file(&code).unwrap_or_else(|e| panic!("{e}"));
    let field_type = |ty: &str, field: &str| -> String {
        file.items
            .iter()
            .find_map(|item| match item {
                syn::Item::Struct(s) if s.ident == ty => s
                    .fields
                    .iter()
                    .find(|f| f.ident.as_ref().is_some_and(|i| i == field)),
                _ => None,
            })
            .map(|f| {
                let ty = &f.ty;
                quote::quote!(#ty).to_string().replace(' ', "")
            })
            .unwrap_or_else(|| panic!("no field {ty}.{field} in\n{code}"))
    };
    assert_eq!(field_type("A", "bs"), "Option<Vec<B>>");
    assert_eq!(field_type("A", "next"), "Option<Box<A>>");
    // A holds B only through a Vec: no cycle by value, nothing to box.
    assert_eq!(field_type("B", "owner"), "A");
    // Required, but no finite value has it: optional, or `C::default()` would never end.
    assert_eq!(field_type("C", "wrapped"), "Option<Box<Wrapper<C>>>");
}
