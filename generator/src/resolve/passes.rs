//! Passes over the resolved type space, after every item and operation exists: map keys
//! Rust can use, generic parameters no field uses dropped (with the arguments that fill them,
//! in items and operations alike), and by-value cycles boxed.

use crate::model::{ItemKind, Response, Ty, TypeId, TypeSpace, Walk, WireKind};
use crate::options::MapType;

/// Runs every pass, in order.
pub(super) fn run(space: &mut TypeSpace) {
    string_map_keys(space);
    prune_unused_generics(space);
    box_cycles(space);
}

/// Calls `f` on every type in the space: item fields, aliases and operation responses.
fn for_each_ty_mut(space: &mut TypeSpace, mut f: impl FnMut(&mut Ty)) {
    for item in &mut space.items {
        match &mut item.kind {
            ItemKind::Struct(s) => s.fields.iter_mut().for_each(|field| f(&mut field.ty)),
            ItemKind::Alias(ty) => f(ty),
            ItemKind::Enum(_) => {}
        }
    }
    for op in &mut space.operations {
        if let Response::Typed(ty) = &mut op.response {
            f(ty);
        }
    }
}

/// Makes every map key a type the map can use: JSON object keys are text, so a .NET key that
/// has no Rust key type (a class, a collection, a float, a type parameter) is kept as the
/// text on the wire, a `String`. `HashMap` needs `Eq + Hash` of its keys, `BTreeMap` `Ord`,
/// which generated enums (and time spans) do not have.
fn string_map_keys(space: &mut TypeSpace) {
    let map_type = space.map_type;
    let enums: Vec<bool> = space
        .items
        .iter()
        .map(|i| matches!(i.kind, ItemKind::Enum(_)))
        .collect();
    let usable = |key: &Ty| match key {
        Ty::Prim(p) => !matches!(*p, "f32" | "f64"),
        Ty::Wire(WireKind::DateTime | WireKind::Guid) => true,
        Ty::Wire(WireKind::TimeSpan) => map_type == MapType::HashMap,
        Ty::Named(id, _) => map_type == MapType::HashMap && enums[id.index()],
        _ => false,
    };
    for_each_ty_mut(space, |ty| {
        ty.walk_mut(|t| {
            if let Ty::Map(key, _) = t {
                // A JSON key is never null: `Dictionary<Int32?, V>` is keyed by the int.
                while let Ty::Option(inner) = &mut **key {
                    let inner = std::mem::replace(&mut **inner, Ty::Json);
                    **key = inner;
                }
                if !usable(key) {
                    **key = Ty::Prim("String");
                }
            }
            Walk::Descend
        });
    });
}

/// Drops generic parameters no field uses (Rust rejects unused parameters) and the matching
/// arguments everywhere the type is named: fields, aliases and operation responses alike.
fn prune_unused_generics(space: &mut TypeSpace) {
    // Until nothing changes: pruning `A<T>`'s unused `T` can leave `B<U>` with a `U` that was
    // used only as `A<U>` (a regression found by tests/generated_compiles.rs). Every round
    // but the last removes a parameter, so this ends.
    loop {
        let masks: Vec<Option<Vec<bool>>> = space
            .items
            .iter()
            .map(|item| match &item.kind {
                ItemKind::Struct(s) => Some(
                    s.generics
                        .iter()
                        .map(|g| {
                            s.fields
                                .iter()
                                .any(|f| f.ty.any(|t| matches!(t, Ty::Param(p) if p == g)))
                        })
                        .collect(),
                ),
                ItemKind::Enum(_) | ItemKind::Alias(_) => None,
            })
            .collect();
        if masks.iter().flatten().flatten().all(|&kept| kept) {
            return;
        }
        for (item, mask) in space.items.iter_mut().zip(&masks) {
            if let (ItemKind::Struct(s), Some(mask)) = (&mut item.kind, mask) {
                let mut kept = mask.iter();
                s.generics.retain(|_| *kept.next().unwrap_or(&false));
            }
        }
        for_each_ty_mut(space, |ty| {
            ty.walk_mut(|t| {
                if let Ty::Named(id, args) = t {
                    if let Some(Some(mask)) = masks.get(id.index()) {
                        let mut kept = mask.iter();
                        args.retain(|_| *kept.next().unwrap_or(&false));
                    }
                }
                Walk::Descend
            });
        });
    }
}

/// The items a type holds by value (through `Option`, not through a collection, which
/// already has indirection). A generic argument is held by value when the generic struct
/// holds it so; it counts as direct, to stay on the safe side.
fn direct_items(ty: &Ty, out: &mut Vec<TypeId>) {
    ty.walk(|t| match t {
        Ty::Named(id, _) => {
            out.push(*id);
            Walk::Descend
        }
        Ty::External(..) | Ty::Option(_) => Walk::Descend,
        _ => Walk::Skip,
    });
}

/// Boxes every by-value reference between types of one strongly connected component, so
/// recursive types have a finite size. A required one also becomes optional: no finite value
/// has it, and `Default` (which `#[serde(default)]` calls for every value it reads) would
/// recurse until the stack overflows.
fn box_cycles(space: &mut TypeSpace) {
    let items = &mut space.items;
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    for (i, item) in items.iter().enumerate() {
        if let ItemKind::Struct(s) = &item.kind {
            let mut ids = Vec::new();
            for f in &s.fields {
                direct_items(&f.ty, &mut ids);
            }
            edges[i].extend(ids.iter().map(|id| id.index()));
        }
    }
    let component = tarjan(&edges);
    for (i, item) in items.iter_mut().enumerate() {
        let ItemKind::Struct(s) = &mut item.kind else {
            continue;
        };
        for f in &mut s.fields {
            box_value(&mut f.ty, component[i], &component);
            // A required field that had to be boxed (a regression: reading any JSON into such
            // a type overflowed the stack).
            if matches!(f.ty, Ty::Boxed(_)) {
                let boxed = std::mem::replace(&mut f.ty, Ty::Json);
                f.ty = Ty::Option(Box::new(boxed));
            }
        }
    }
}

fn box_value(ty: &mut Ty, own: usize, component: &[usize]) {
    match ty {
        Ty::Option(inner) => box_value(inner, own, component),
        Ty::Named(..) => {
            // The generic's arguments count too: `C { wrapped: Wrapper<C> }` holds a C by value
            // when Wrapper holds its T so, though Wrapper itself is in no cycle.
            let mut ids = Vec::new();
            direct_items(ty, &mut ids);
            if ids.iter().any(|id| component[id.index()] == own) {
                let inner = std::mem::replace(ty, Ty::Json);
                *ty = Ty::Boxed(Box::new(inner));
            }
        }
        _ => {}
    }
}

/// Strongly connected components (iterative Tarjan, so large contracts cannot overflow the
/// stack). Returns each node's component id.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let unvisited = usize::MAX;
    let mut index = vec![unvisited; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![unvisited; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != unvisited {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == unvisited {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*child) {
                *child += 1;
                if index[w] == unvisited {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use crate::model::{ItemKind, Response, Ty, TypeSpace};
    use crate::options::{MapType, Options};
    use crate::parse::parse_contract;
    use crate::resolve::resolve;
    use crate::resolve::testing::{fields, item, named, space};

    /// Operations are pruned by the rule items are: a response `Page<Booking, String>` whose
    /// `Page` keeps only its first parameter is `Page<Booking>` (it used to keep both
    /// arguments, which does not compile).
    #[test]
    fn responses_lose_the_arguments_of_pruned_parameters() {
        let contract = r#"{"types":[
                {"name":"Page`2","genericArgs":["T","U"],"isGenericTypeDef":true,
                 "properties":[{"name":"Items","type":"List<T>"}]},
                {"name":"Booking","properties":[]}],
              "operations":[{"request":{"name":"GetPage"},"method":"GET",
                 "returnType":{"name":"Page`2","genericArgs":["Booking","String"]}}]}"#;
        let s = space(contract).unwrap();
        assert!(matches!(&item(&s, "Page").kind, ItemKind::Struct(p) if p.generics == ["T"]));
        let booking = named(&s, "Booking", vec![]);
        assert_eq!(
            s.operations[0].response,
            Response::Typed(named(&s, "Page", vec![booking]))
        );
        let code = crate::generate(contract, &Options::default()).unwrap().code;
        assert!(code.contains("type Response = Page<Booking>;"), "{code}");
    }

    #[test]
    fn unused_generic_parameters_are_dropped() {
        let s = space(
            r#"{"types":[{"name":"Req`1","genericArgs":["T"],"properties":[{"name":"Skip","type":"Int32","isValueType":true}]},
                         {"name":"Uses","properties":[{"name":"R","type":"Req`1","genericArgs":["String"]}]}]}"#,
        )
        .unwrap();
        let f = fields(&s, "Uses");
        assert_eq!(f[0].ty, Ty::Option(Box::new(named(&s, "Req", vec![]))));
    }

    #[test]
    fn self_and_mutual_references_are_boxed_but_collections_are_not() {
        let s = space(
            r#"{"types":[
                {"name":"Node","properties":[{"name":"Next","type":"Node"},{"name":"Kids","type":"List`1","genericArgs":["Node"]}]},
                {"name":"A","properties":[{"name":"B","type":"B"}]},
                {"name":"B","properties":[{"name":"A","type":"A"},{"name":"Leaf","type":"Leaf"}]},
                {"name":"Leaf","properties":[]}
            ]}"#,
        )
        .unwrap();
        let node = fields(&s, "Node");
        assert_eq!(
            node[0].ty,
            Ty::Option(Box::new(Ty::Boxed(Box::new(named(&s, "Node", vec![])))))
        );
        assert!(matches!(&node[1].ty, Ty::Option(v) if matches!(**v, Ty::Vec(_))));
        assert!(matches!(&fields(&s, "A")[0].ty, Ty::Option(b) if matches!(**b, Ty::Boxed(_))));
        assert!(matches!(&fields(&s, "B")[1].ty, Ty::Option(b) if matches!(**b, Ty::Named(..))));
    }

    /// Regression (generated_compiles): `B<U>` kept a `U` used only as `A<U>`, where `A`'s
    /// parameter is unused and pruned: rustc rejects the unused parameter.
    #[test]
    fn parameters_used_only_by_pruned_parameters_are_pruned() {
        let s = space(
            r#"{"types":[
                {"name":"A`1","genericArgs":["T"],"isGenericTypeDef":true,"properties":[]},
                {"name":"B`1","genericArgs":["U"],"isGenericTypeDef":true,
                 "properties":[{"name":"A","type":"A<U>"}]},
                {"name":"C`1","genericArgs":["V"],"isGenericTypeDef":true,
                 "properties":[{"name":"B","type":"B<List<V>>"},{"name":"V","type":"V"}]}
            ]}"#,
        )
        .unwrap();
        let generics = |name: &str| match &s.items.iter().find(|i| i.name == name).unwrap().kind {
            ItemKind::Struct(st) => st.generics.clone(),
            ItemKind::Enum(_) | ItemKind::Alias(_) => panic!("{name} is not a struct"),
        };
        assert!(generics("A").is_empty());
        assert!(generics("B").is_empty());
        assert_eq!(generics("C"), ["V"]);
        assert_eq!(
            fields(&s, "B")[0].ty,
            Ty::Option(Box::new(named(&s, "A", vec![])))
        );
        assert_eq!(
            fields(&s, "C")[0].ty,
            Ty::Option(Box::new(named(&s, "B", vec![])))
        );
    }

    /// Regression (generated_compiles): `Dictionary<Poco, V>` became `HashMap<Poco, V>`,
    /// which does not compile (no `Eq + Hash`); neither did float, collection or type
    /// parameter keys, nor enum keys in a `BTreeMap`.
    #[test]
    fn map_keys_without_a_rust_key_type_are_strings() {
        let contract = r#"{"types":[
            {"name":"E","isEnum":true,"enumNames":["A"]},
            {"name":"Poco","properties":[]},
            {"name":"Keyed`1","genericArgs":["TKey"],"isGenericTypeDef":true,
             "properties":[{"name":"ByKey","type":"Dictionary<TKey,Int32>","isRequired":true}]},
            {"name":"M","properties":[
                {"name":"Ints","type":"Dictionary<Int32,Poco>","isRequired":true},
                {"name":"Nullable","type":"Dictionary<Nullable<Int64>,Int32>","isRequired":true},
                {"name":"Pocos","type":"Dictionary<Poco,Int32>","isRequired":true},
                {"name":"Floats","type":"Dictionary<Double,Int32>","isRequired":true},
                {"name":"Lists","type":"List<Dictionary<List<String>,Poco>>","isRequired":true},
                {"name":"Enums","type":"Dictionary<E,Int32>","isRequired":true}]}
        ]}"#;
        let key = |space: &TypeSpace, ty: &str, i: usize| -> Ty {
            fn key_of(ty: &Ty) -> Ty {
                match ty {
                    Ty::Map(k, _) => (**k).clone(),
                    Ty::Vec(t) => key_of(t),
                    other => panic!("not a map: {other:?}"),
                }
            }
            key_of(&fields(space, ty)[i].ty)
        };
        let string = Ty::Prim("String");
        let s = space(contract).unwrap();
        assert_eq!(key(&s, "M", 0), Ty::Prim("i32"));
        assert_eq!(key(&s, "M", 1), Ty::Prim("i64"));
        assert_eq!(key(&s, "M", 2), string);
        assert_eq!(key(&s, "M", 3), string);
        assert_eq!(key(&s, "M", 4), string);
        assert_eq!(key(&s, "M", 5), named(&s, "E", vec![]));
        assert_eq!(key(&s, "Keyed", 0), string);
        let options = Options {
            map_type: MapType::BTreeMap,
            ..Options::default()
        };
        let s = resolve(&parse_contract(contract).unwrap(), &options).unwrap();
        assert_eq!(key(&s, "M", 5), string);
        assert_eq!(key(&s, "M", 0), Ty::Prim("i32"));
    }

    /// Regression (property test): a type holding itself through a generic's argument was
    /// not boxed, so the generated code had infinite size and did not compile.
    #[test]
    fn cycles_through_generic_arguments_are_boxed() {
        let s = space(
            r#"{"types":[
                {"name":"Wrapper`1","genericArgs":["T"],"isGenericTypeDef":true,
                 "properties":[{"name":"Value","type":"T","isRequired":true}]},
                {"name":"C","properties":[
                    {"name":"Wrapped","type":"Wrapper<C>","isRequired":true},
                    {"name":"Other","type":"Wrapper<Int32>","isRequired":true}]}
            ]}"#,
        )
        .unwrap();
        let c = fields(&s, "C");
        let boxed_wrapper = Ty::Boxed(Box::new(named(&s, "Wrapper", vec![named(&s, "C", vec![])])));
        // Required, but optional in Rust: see the next test.
        assert_eq!(c[0].ty, Ty::Option(Box::new(boxed_wrapper)));
        assert!(matches!(&c[1].ty, Ty::Named(id, _) if item(&s, "Wrapper") == s.item(*id)));
    }

    /// Regression (found while checking tests/generated_compiles.rs output): a required field
    /// that holds its own type by value was `Box<Node>`, so `Node::default()` recursed forever
    /// and reading any JSON into a `Node` overflowed the stack (`#[serde(default)]` builds the
    /// default first). No finite value has such a field set, so it is optional.
    #[test]
    fn required_cyclic_fields_become_optional() {
        let s = space(
            r#"{"types":[
                {"name":"Node","properties":[{"name":"Next","type":"Node","isRequired":true}]},
                {"name":"A","properties":[{"name":"B","type":"B","isRequired":true}]},
                {"name":"B","properties":[{"name":"A","type":"A","isRequired":true},
                                          {"name":"Leaf","type":"Leaf","isRequired":true}]},
                {"name":"Leaf","properties":[]}
            ]}"#,
        )
        .unwrap();
        let boxed = |name: &str| Ty::Option(Box::new(Ty::Boxed(Box::new(named(&s, name, vec![])))));
        assert_eq!(fields(&s, "Node")[0].ty, boxed("Node"));
        assert_eq!(fields(&s, "A")[0].ty, boxed("B"));
        assert_eq!(fields(&s, "B")[0].ty, boxed("A"));
        // Not in the cycle: stays required.
        assert_eq!(fields(&s, "B")[1].ty, named(&s, "Leaf", vec![]));
    }
}
