//! Random but structurally valid contracts, shared by `generator/tests/properties.rs` (output
//! parses) and `tests/generated_compiles.rs` (a seeded sample compiles), which includes this
//! file by path.
//!
//! "Valid" means what a real ServiceStack server could serve: every referenced type exists,
//! inheritance is acyclic, generic types are used with their arity, enums have members, C#
//! names are unique. Everything else is meant to be hostile to the generator: type and
//! property names that are Rust keywords, prelude or derive names, unicode, leading digits,
//! symbols and case collisions (`Id`/`ID`/`id`); types that refer to themselves and each other
//! by value, through `Nullable`, through collections and through generic arguments; generic
//! types inheriting generic types with nested arguments.

use proptest::prelude::*;
use serde_json::{json, Value};

/// Names that stress identifier rules: keywords, case collisions, unicode, digits, symbols.
pub fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("type".to_owned()),
        Just("Self".to_owned()),
        Just("self".to_owned()),
        Just("match".to_owned()),
        Just("async".to_owned()),
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

/// Type names a contract may legally use that clash with Rust: keywords, the prelude, the
/// derives and helpers generated code names, the runtime's own types, case collisions,
/// unicode and leading digits. (No .NET built-in names: a DTO called `String` is not valid;
/// no symbols: type text could not name the type.)
const TYPE_NAMES: &[&str] = &[
    "Self",
    "self",
    "type",
    "Type",
    "crate",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Box",
    "Vec",
    "HashMap",
    "BTreeMap",
    "Default",
    "Debug",
    "Clone",
    "PartialEq",
    "Serialize",
    "Deserialize",
    "Value",
    "Id",
    "ID",
    "id",
    "Größe",
    "größe",
    "日本",
    "1st",
    "_",
    "T",
    "Unknown",
    "Bytes",
    "Void",
    "Request",
    "Method",
    "Route",
    "ResponseStatus",
    "serde",
];

const LEAVES: &[&str] = &[
    "String", "Int32", "Int64", "Boolean", "Double", "Decimal", "DateTime", "TimeSpan", "Guid",
    "Byte[]", "Object", "Int32?",
];

/// A generic type definition: its C# name without arity, and its parameters.
#[derive(Debug, Clone)]
pub struct GenericDef {
    pub name: String,
    pub params: Vec<String>,
}

/// C#-style type text over `known` type names and `generics` (used with their arity),
/// nested up to `depth` levels of collections.
pub fn type_text(
    known: Vec<String>,
    generics: Vec<GenericDef>,
    depth: u32,
) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        proptest::sample::select(LEAVES).prop_map(str::to_owned),
        proptest::sample::select(known),
    ];
    leaf.prop_recursive(depth, 24, 2, move |inner| {
        let collections = prop_oneof![
            inner.clone().prop_map(|t| format!("List<{t}>")),
            inner.clone().prop_map(|t| format!("{t}[]")),
            (inner.clone(), inner.clone()).prop_map(|(k, v)| format!("Dictionary<{k},{v}>")),
            inner.clone().prop_map(|t| format!("Nullable<{t}>")),
        ];
        if generics.is_empty() {
            return collections.boxed();
        }
        let generics = generics.clone();
        let instance = (
            proptest::sample::select(generics),
            proptest::collection::vec(inner, 2),
        )
            .prop_map(|(g, args)| format!("{}<{}>", g.name, args[..g.params.len()].join(",")));
        prop_oneof![3 => collections, 1 => instance].boxed()
    })
}

/// One property: `(name, type text, isRequired)`.
type Prop = (String, String, bool);

fn properties(
    known: Vec<String>,
    generics: Vec<GenericDef>,
    max: usize,
) -> impl Strategy<Value = Vec<Prop>> {
    proptest::collection::vec(
        (name(), type_text(known, generics, 4), any::<bool>()),
        0..max,
    )
}

fn property_json(props: Vec<Prop>) -> Vec<Value> {
    props
        .into_iter()
        .map(|(p, t, required)| json!({"name": p, "type": t, "isRequired": required}))
        .collect()
}

/// Unique C# names for `n` types: mostly clashing names, `T{i}` when a name repeats.
fn type_names(n: usize) -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(
        prop_oneof![
            1 => Just(None),
            2 => proptest::sample::select(TYPE_NAMES).prop_map(Some),
        ],
        n,
    )
    .prop_map(|picked| {
        let mut names: Vec<String> = Vec::new();
        for (i, p) in picked.into_iter().enumerate() {
            match p {
                Some(p) if !names.iter().any(|n| n == p) => names.push(p.to_owned()),
                _ => names.push(format!("T{i}")),
            }
        }
        names
    })
}

/// A structurally valid contract (see the module docs).
pub fn valid_contract() -> impl Strategy<Value = Value> {
    (2usize..8, 0usize..3, type_names(8))
        .prop_flat_map(|(n, g, mut names)| {
            names.truncate(n);
            let generics: Vec<GenericDef> = (0..g)
                .map(|k| GenericDef {
                    name: format!("G{k}"),
                    params: if k % 2 == 0 {
                        vec!["TItem".to_owned()]
                    } else {
                        vec!["TKey".to_owned(), "TItem".to_owned()]
                    },
                })
                .collect();
            let enum_names = vec!["E0".to_owned(), "E1".to_owned()];
            let mut known = names.clone();
            known.extend(enum_names.iter().cloned());
            let props =
                proptest::collection::vec(properties(known.clone(), generics.clone(), 6), n);
            // Generic definitions see their own parameters (and earlier generics) too.
            let generic_props: Vec<_> = generics
                .iter()
                .enumerate()
                .map(|(k, gd)| {
                    let mut own = known.clone();
                    own.extend(gd.params.iter().cloned());
                    properties(own, generics[..k].to_vec(), 4)
                })
                .collect();
            let enums = proptest::collection::vec(proptest::collection::vec(name(), 1..5), 0..3);
            // A base for each type: none, an earlier type, or a generic instance.
            let bases = proptest::collection::vec(
                (
                    proptest::option::of(0usize..n),
                    proptest::option::of(0usize..g.max(1)),
                    proptest::collection::vec(type_text(known.clone(), vec![], 2), 2),
                ),
                n,
            );
            // Generic types may inherit an earlier generic with arguments over their parameters.
            let generic_bases = proptest::collection::vec(
                (proptest::option::of(0usize..g.max(1)), any::<bool>()),
                g,
            );
            let returns_generic = any::<bool>();
            (
                Just((names, generics, enum_names)),
                props,
                generic_props,
                enums,
                bases,
                generic_bases,
                returns_generic,
            )
        })
        .prop_map(
            |(
                (names, generics, enum_names),
                props,
                generic_props,
                enums,
                bases,
                generic_bases,
                returns_generic,
            )| {
                let mut types = Vec::new();
                for (k, (gd, props)) in generics.iter().zip(generic_props).enumerate() {
                    let mut t = json!({
                        "name": format!("{}`{}", gd.name, gd.params.len()),
                        "genericArgs": gd.params,
                        "isGenericTypeDef": true,
                        "properties": property_json(props),
                    });
                    if let (Some(b), nested) = generic_bases[k] {
                        if b < k {
                            let base = &generics[b];
                            // `List<TItem>` when nested: substitution must carry the nesting.
                            let arg = |p: &String| {
                                if nested {
                                    format!("List<{p}>")
                                } else {
                                    p.clone()
                                }
                            };
                            let args: Vec<String> = gd
                                .params
                                .iter()
                                .cycle()
                                .take(base.params.len())
                                .map(arg)
                                .collect();
                            t["inherits"] = json!({
                                "name": format!("{}`{}", base.name, base.params.len()),
                                "genericArgs": args,
                            });
                        }
                    }
                    types.push(t);
                }
                for (i, (name, props)) in names.iter().zip(props).enumerate() {
                    let mut t = json!({
                        "name": name,
                        "properties": property_json(props),
                        "description": "A type.\n    with indented text",
                    });
                    let (base, generic_base, args) = &bases[i];
                    match (base, generic_base) {
                        // Only earlier types as bases keeps inheritance acyclic.
                        (Some(b), _) if *b < i => t["inherits"] = json!({"name": names[*b]}),
                        (_, Some(k)) if *k < generics.len() => {
                            let gd = &generics[*k];
                            t["inherits"] = json!({
                                "name": format!("{}`{}", gd.name, gd.params.len()),
                                "genericArgs": args[..gd.params.len()],
                            });
                        }
                        _ => {}
                    }
                    types.push(t);
                }
                for (e, members) in enums.into_iter().take(enum_names.len()).enumerate() {
                    types
                        .push(json!({"name": enum_names[e], "isEnum": true, "enumNames": members}));
                }
                // Enums the properties may name but that drew no members still need defining.
                for e in enum_names
                    .iter()
                    .skip(types.iter().filter(|t| t["isEnum"] == true).count())
                {
                    types.push(json!({"name": e, "isEnum": true, "enumNames": ["A", "a", "B"]}));
                }
                let return_type = match generics.first() {
                    Some(gd) if returns_generic => json!({
                        "name": format!("{}`{}", gd.name, gd.params.len()),
                        "genericArgs": vec![names[0].clone(); gd.params.len()],
                    }),
                    _ => json!({"name": names[0]}),
                };
                let operations = vec![json!({
                    "request": {"name": "Op", "properties": [{"name": "Id", "type": "String"}]},
                    "returnType": return_type,
                    "method": "GET",
                    "routes": [{"path": "/op/{Id}", "verbs": "GET,POST"}]
                })];
                json!({"types": types, "operations": operations})
            },
        )
}
