//! Seeded, deterministic synthetic contracts of any size, shaped like real ones: a quarter of
//! the types are operations (request + response), a tenth are enums, the rest plain DTOs with
//! inheritance, generics, collections, nullables and references to other types.

use serde_json::{json, Value};

/// splitmix64: tiny, seedable, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const SCALARS: &[(&str, bool)] = &[
    ("String", false),
    ("Int32", true),
    ("Int64", true),
    ("Boolean", true),
    ("Double", true),
    ("Decimal", true),
    ("DateTime", true),
    ("Guid", true),
];

fn property(rng: &mut Rng, i: usize, dtos: &[String], enums: &[String]) -> Value {
    let name = format!("Field{i}");
    match rng.below(10) {
        0..=4 => {
            let (ty, value) = SCALARS[rng.below(SCALARS.len())];
            if value && rng.chance(30) {
                json!({"name": name, "type": "Nullable`1", "genericArgs": [ty], "isValueType": true})
            } else {
                json!({"name": name, "type": ty, "isValueType": value, "description": format!("The {i}th field.")})
            }
        }
        5 if !dtos.is_empty() => {
            json!({"name": name, "type": dtos[rng.below(dtos.len())]})
        }
        6 if !dtos.is_empty() => {
            json!({"name": name, "type": "List`1", "genericArgs": [dtos[rng.below(dtos.len())]]})
        }
        7 => {
            json!({"name": name, "type": "Dictionary`2", "genericArgs": ["String", "List<Int32>"]})
        }
        8 if !enums.is_empty() => {
            json!({"name": name, "type": enums[rng.below(enums.len())], "isValueType": true, "isEnum": true})
        }
        _ => json!({"name": name, "type": "String[]"}),
    }
}

/// A MetadataTypes document with about `types` types, the same for the same seed.
pub fn contract(types: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let operations = types / 8;
    let enums_n = types / 10;
    let dtos_n = types.saturating_sub(operations * 2 + enums_n);
    let mut all_types = Vec::new();
    let mut enums = Vec::new();
    for e in 0..enums_n {
        let name = format!("Enum{e}");
        let members: Vec<String> = (0..2 + rng.below(6))
            .map(|m| format!("Member{m}"))
            .collect();
        let values: Vec<String> = (0..members.len()).map(|v| v.to_string()).collect();
        all_types.push(
            json!({"name": name, "namespace": "Synthetic", "isEnum": true,
            "enumNames": members, "enumValues": values}),
        );
        enums.push(name);
    }
    all_types.push(
        json!({"name": "Page`1", "namespace": "Synthetic", "genericArgs": ["T"],
        "properties": [{"name": "Results", "type": "List`1", "genericArgs": ["T"]},
                       {"name": "Total", "type": "Int32", "isValueType": true}]}),
    );
    let mut dtos: Vec<String> = Vec::new();
    for d in 0..dtos_n {
        let name = format!("Dto{d}");
        let props: Vec<Value> = (0..5 + rng.below(11))
            .map(|i| property(&mut rng, i, &dtos, &enums))
            .collect();
        let mut ty = json!({"name": name, "namespace": "Synthetic", "properties": props});
        if !dtos.is_empty() && rng.chance(10) {
            // Base classes get their own field names so inlined fields never collide.
            ty["inherits"] = json!({"name": dtos[rng.below(dtos.len())]});
            for (i, p) in ty["properties"]
                .as_array_mut()
                .into_iter()
                .flatten()
                .enumerate()
            {
                p["name"] = json!(format!("Own{d}_{i}"));
            }
        }
        all_types.push(ty);
        dtos.push(name);
    }
    let mut ops = Vec::new();
    for o in 0..operations {
        let props: Vec<Value> = (0..2 + rng.below(6))
            .map(|i| property(&mut rng, i, &dtos, &enums))
            .collect();
        let paged = rng.chance(30) && !dtos.is_empty();
        let (response, return_type) = if paged {
            let item = &dtos[rng.below(dtos.len())];
            (
                json!({"name": "Page`1", "namespace": "Synthetic", "genericArgs": ["T"]}),
                json!({"name": "Page`1", "genericArgs": [item]}),
            )
        } else {
            let props: Vec<Value> = (0..3 + rng.below(6))
                .map(|i| property(&mut rng, i, &dtos, &enums))
                .collect();
            (
                json!({"name": format!("Op{o}Response"), "namespace": "Synthetic", "properties": props}),
                json!({"name": format!("Op{o}Response")}),
            )
        };
        let verb = ["GET", "POST", "PUT", "DELETE"][rng.below(4)];
        ops.push(json!({
            "request": {"name": format!("Op{o}"), "namespace": "Synthetic", "properties": props},
            "response": response,
            "returnType": return_type,
            "method": verb,
            "routes": [{"path": format!("/op{o}/{{Field0}}"), "verbs": verb}],
            "tags": [format!("tag{}", o % 7)]
        }));
    }
    json!({"namespaces": ["Synthetic"], "types": all_types, "operations": ops}).to_string()
}
