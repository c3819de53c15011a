//! Stage 2: resolve a parsed contract into a [`TypeSpace`] (see [`crate::model`]): plain data
//! naming every Rust item, field, type and operation, so emitting is a straight walk with no
//! decisions left.
//!
//! One job per file: [`select`] (the type set, IncludeTypes/ExcludeTypes), [`types`] (.NET
//! type text to [`Ty`], the only user of the .NET type table), [`inherit`] (base classes
//! flattened), [`items`] (structs and enums), [`operations`] (verbs, routes, responses, auth)
//! and [`passes`] (pruning, map keys, boxing cycles), with [`lookup`] (names and namespaces)
//! and [`fallback`] (undefined names and warnings). This file runs them in order.

mod fallback;
mod inherit;
mod items;
mod lookup;
mod operations;
mod passes;
mod select;
mod types;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use crate::error::Error;
use crate::model::{Item, ItemKind, RouteDef, Ty, TypeId, TypeOrigin, TypeSpace};
use crate::naming::Scope;
use crate::options::{base_name, Options};
use crate::parse::{MetadataOperationType, MetadataType, MetadataTypes};
use crate::warning::{Warning, WarningKind};
use fallback::Fallback;
use lookup::Lookup;

/// Names a contract type cannot take in Rust. (Prelude names such as `Option` it can: the
/// output then spells the prelude type in full.)
const RESERVED_TYPE_NAMES: &[&str] = &["Self"];

/// A contract type with where it came from.
struct Source<'a> {
    ty: &'a MetadataType,
    path: String,
    /// The operation this is the request of.
    operation: Option<&'a MetadataOperationType>,
    /// The runtime crate's path for a ServiceStack type it provides: never emitted, but kept
    /// so that types inheriting it get its members.
    runtime: Option<&'static str>,
    /// An earlier type has the same .NET name in another namespace.
    duplicate: bool,
}

/// Resolves a contract with options into a type space.
pub fn resolve(contract: &MetadataTypes, options: &Options) -> Result<TypeSpace, Error> {
    let mut warnings = Vec::new();
    let collected = select::collect(contract, &mut warnings);
    let sources = collected.sources;
    let lookup = Lookup::new(
        sources
            .iter()
            .map(|s| (s.ty.name.as_str(), s.ty.namespace.as_deref())),
    );
    let mut kept = select::filter(contract, &sources, &lookup, options);
    let selected = kept.iter().map(|&i| sources[i].ty.name.clone()).collect();
    kept.retain(|&i| sources[i].runtime.is_none());
    // Kept sources are the first items, in contract order; undefined names' aliases follow.
    let mut ids: Vec<Option<TypeId>> = vec![None; sources.len()];
    for (n, &i) in kept.iter().enumerate() {
        ids[i] = Some(TypeId(n));
    }

    let mut scope = Scope::with_reserved(RESERVED_TYPE_NAMES);
    // Runtime types are named by path, so they claim no name in the generated module.
    let rust_names: Vec<String> = sources
        .iter()
        .map(|s| match s.runtime {
            Some(path) => path.to_owned(),
            None => scope.claim(lookup::wanted_name(
                &s.ty.name,
                s.ty.namespace.as_deref(),
                s.duplicate,
            )),
        })
        .collect();
    for (s, rust) in sources.iter().zip(&rust_names) {
        if s.duplicate {
            warnings.push(Warning {
                path: s.path.clone(),
                kind: WarningKind::DuplicateType,
                message: format!(
                    "`{}` is also defined in another namespace; this one (namespace `{}`) is \
                     generated as `{rust}`, and references to `{}` without a namespace mean \
                     the first",
                    s.ty.name,
                    s.ty.namespace.as_deref().unwrap_or_default(),
                    s.ty.name
                ),
            });
        }
    }
    // Abstract classes with subclasses in the contract, and interfaces: ServiceStack.Text
    // writes the runtime type of such a value with a `__type` member naming it, so any of the
    // subclasses may arrive. They are kept whole as JSON, as ServiceStack's own Rust generator
    // does (`RustGenerator.PolymorphicPropertiesAsAny`).
    let inherited: HashSet<&str> = sources
        .iter()
        .filter_map(|s| s.ty.inherits.as_ref().map(|b| b.name.as_str()))
        .collect();
    let polymorphic: Vec<bool> = sources
        .iter()
        .map(|s| s.ty.is_abstract == Some(true) && inherited.contains(s.ty.name.as_str()))
        .collect();

    let resolver = Resolver {
        sources: &sources,
        lookup: &lookup,
        rust_names: &rust_names,
        ids: &ids,
        polymorphic: &polymorphic,
        interfaces: &collected.interfaces,
        fallback: Fallback::new(scope, warnings, kept.len()),
        property_names: RefCell::default(),
    };

    // The operations generated: each kept request's first operation. Their routes are read
    // first, since a variable of every route makes a request field required.
    let mut generated = Vec::new();
    let mut routes: Vec<Option<Vec<RouteDef>>> = vec![None; sources.len()];
    for (i, op) in contract.operations.iter().enumerate() {
        let Some(index) = lookup.find(&op.request.name, op.request.namespace.as_deref()) else {
            continue;
        };
        let Some(id) = ids[index] else { continue };
        if sources[index]
            .operation
            .is_some_and(|o| std::ptr::eq(o, op))
        {
            routes[index] = Some(resolver.routes(op, i)?);
            generated.push((i, op, index, id));
        }
    }
    let mut operation_of = vec![None; sources.len()];
    for (n, &(_, _, index, _)) in generated.iter().enumerate() {
        operation_of[index] = Some(n);
    }

    let mut items = Vec::with_capacity(kept.len());
    for &i in &kept {
        let route_defs = routes[i].as_deref().unwrap_or_default();
        items.push(resolver.item(i, route_defs, operation_of[i])?);
    }
    let mut operations = Vec::with_capacity(generated.len());
    for (i, op, index, id) in generated {
        let route_defs = routes[index].take().unwrap_or_default();
        operations.push(resolver.operation(op, i, id, route_defs)?);
    }
    let (warnings, aliases) = resolver.fallback.finish();
    let undefined_types = aliases.iter().map(|a| a.dotnet.clone()).collect();
    for fallback::Alias {
        dotnet,
        rust,
        first_use,
    } in aliases
    {
        items.push(Item {
            name: rust,
            description: None,
            notes: None,
            // Not defined anywhere: where it is first used.
            path: first_use,
            origin: TypeOrigin {
                name: base_name(&dotnet).to_owned(),
                ..TypeOrigin::default()
            },
            kind: ItemKind::Alias(Ty::Json),
            operation: None,
        });
    }

    let mut space = TypeSpace {
        items,
        operations,
        map_type: options.map_type,
        date_type: options.date_type,
        guid_type: options.guid_type,
        descriptions: options.add_description_as_comments,
        selected,
        warnings,
        undefined_types,
    };
    passes::run(&mut space);
    Ok(space)
}

/// What every stage of resolution reads: the type set, names and ids, and the fallback that
/// collects aliases and warnings.
struct Resolver<'a> {
    sources: &'a [Source<'a>],
    lookup: &'a Lookup<'a>,
    rust_names: &'a [String],
    /// By source: its item, if it is generated.
    ids: &'a [Option<TypeId>],
    /// By source: an abstract class that others inherit, kept as JSON where it is used.
    polymorphic: &'a [bool],
    interfaces: &'a HashSet<String>,
    fallback: Fallback,
    /// By .NET property name: its field identifier and camelCase wire name. Contracts repeat
    /// property names across types (`Id`, `Name`, and every base class's members in each
    /// subclass), and the case conversions are a large part of resolving a big contract.
    property_names: RefCell<HashMap<String, (String, String)>>,
}

impl Resolver<'_> {
    fn item(
        &self,
        index: usize,
        routes: &[RouteDef],
        operation: Option<usize>,
    ) -> Result<Item, Error> {
        let source = &self.sources[index];
        let t = source.ty;
        let kind = if t.is_enum == Some(true) {
            ItemKind::Enum(self.enum_def(t, &source.path)?)
        } else {
            ItemKind::Struct(self.struct_def(index, routes)?)
        };
        let text = |s: &Option<String>| s.as_ref().filter(|s| !s.trim().is_empty()).cloned();
        Ok(Item {
            name: self.rust_names[index].clone(),
            description: text(&t.description),
            notes: text(&t.notes),
            kind,
            path: source.path.clone(),
            origin: items::type_origin(t),
            operation,
        })
    }
}

/// Helpers for the tests beside each resolution step.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::model::Field;
    use crate::parse::parse_contract;

    pub(crate) fn space(json: &str) -> Result<TypeSpace, Error> {
        resolve(&parse_contract(json)?, &Options::default())
    }

    pub(crate) fn item<'s>(space: &'s TypeSpace, name: &str) -> &'s Item {
        space
            .items
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("no item {name}"))
    }

    pub(crate) fn fields(space: &TypeSpace, name: &str) -> Vec<Field> {
        match &item(space, name).kind {
            ItemKind::Struct(s) => s.fields.clone(),
            ItemKind::Enum(_) | ItemKind::Alias(_) => panic!("{name} is not a struct"),
        }
    }

    /// `Ty::Named` of the item called `name`.
    pub(crate) fn named(space: &TypeSpace, name: &str, args: Vec<Ty>) -> Ty {
        let id = space
            .items
            .iter()
            .position(|i| i.name == name)
            .unwrap_or_else(|| panic!("no item {name}"));
        Ty::Named(TypeId(id), args)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::space;
    use crate::error::Error;

    #[test]
    fn bad_input_names_the_contract_path() {
        let err = space(r#"{"types":[{"name":"A","inherits":{"name":"B"}},{"name":"B","inherits":{"name":"A"}}]}"#)
            .unwrap_err();
        assert!(matches!(err, Error::InheritanceCycle { .. }), "{err}");
        assert_eq!(err.to_string(), "types[0]: inheritance cycle A -> B -> A");
        let err =
            space(r#"{"types":[{"name":"A","properties":[{"name":"X","type":"List<Int32"}]}]}"#)
                .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("types[0].properties[0]: invalid type"),
            "{err}"
        );
        // A verb of a server's own is a warning naming its path, not a refusal (sent with POST).
        let space = space(r#"{"operations":[{"request":{"name":"R"},"method":"FETCH"}]}"#).unwrap();
        assert_eq!(space.warnings[0].path, "operations[0].method");
        assert!(
            space.warnings[0]
                .message
                .starts_with("unknown HTTP method `FETCH`"),
            "{:?}",
            space.warnings
        );
    }
}
