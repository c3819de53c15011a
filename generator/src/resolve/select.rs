//! Selection: the contract's type set (types, then every operation's request and response,
//! then ServiceStack base classes inherited without being defined), and which of it
//! IncludeTypes / ExcludeTypes keep.

use std::collections::{BTreeSet, HashSet};

use super::lookup::Lookup;
use super::{types, Source};
use crate::options::{base_name, Options, TypePattern};
use crate::parse::{MetadataOperationType, MetadataType, MetadataTypes};
use crate::typetext::{self, TypeText};
use crate::warning::{Warning, WarningKind};

/// The type set and the interfaces the contract declares.
pub(super) struct Collected<'a> {
    pub(super) sources: Vec<Source<'a>>,
    /// Interface names (with arity), which describe behaviour, not data.
    pub(super) interfaces: HashSet<String>,
}

/// The type set: types, then every operation's request and response, first definition of a
/// (namespace, name) wins; then ServiceStack's base classes that some type inherits without
/// the contract defining them. Framework types the contract lists (a ``Task`1`` or `Byte[]`
/// response, a tuple) are left to the .NET type table, and names that are not .NET
/// identifiers (compiler-generated closures) are left out with a warning.
pub(super) fn collect<'a>(
    contract: &'a MetadataTypes,
    warnings: &mut Vec<Warning>,
) -> Collected<'a> {
    let mut seen: HashSet<(Option<&'a str>, &'a str)> = HashSet::new();
    let mut names: HashSet<&'a str> = HashSet::new();
    let mut interfaces = HashSet::new();
    let mut sources = Vec::new();
    let mut push = |path: String,
                    t: &'a MetadataType,
                    operation: Option<&'a MetadataOperationType>,
                    warnings: &mut Vec<Warning>| {
        let namespace = t.namespace.as_deref();
        if t.name.is_empty() {
            return;
        }
        // Interfaces (IReturn`1, IGet, ...) describe behaviour, not data.
        if t.is_interface == Some(true) {
            interfaces.insert(t.name.clone());
            return;
        }
        if types::is_framework_definition(&t.name, namespace) {
            let system = namespace.is_some_and(|ns| ns == "System" || ns.starts_with("System."));
            if t.name.contains(['<', '>', '+']) && !system {
                warnings.push(Warning {
                    path,
                    kind: WarningKind::SkippedType,
                    message: format!("`{}` is not a .NET type name; left out", t.name),
                });
            }
            return;
        }
        if !seen.insert((namespace, t.name.as_str())) {
            return;
        }
        let duplicate = !names.insert(t.name.as_str());
        sources.push(Source {
            ty: t,
            path,
            operation,
            runtime: types::runtime_type(&t.name, namespace),
            duplicate,
        });
    };
    for (i, t) in contract.types.iter().enumerate() {
        push(format!("types[{i}]"), t, None, warnings);
    }
    for (i, op) in contract.operations.iter().enumerate() {
        push(
            format!("operations[{i}].request"),
            &op.request,
            Some(op),
            warnings,
        );
        if let Some(response) = &op.response {
            push(
                format!("operations[{i}].response"),
                response,
                None,
                warnings,
            );
        }
    }
    // Inherited but not defined: ServiceStack's own base classes, by the names the contract
    // uses; repeated because one may inherit another (``QueryDb`1`` -> `QueryBase`).
    loop {
        let defined: HashSet<&str> = sources.iter().map(|s| s.ty.name.as_str()).collect();
        let inherited: HashSet<&str> = sources
            .iter()
            .filter_map(|s| s.ty.inherits.as_ref().map(|b| b.name.as_str()))
            .collect();
        let missing: Vec<&'static MetadataType> = crate::servicestack::base_classes()
            .iter()
            .filter(|b| !defined.contains(b.name.as_str()) && inherited.contains(b.name.as_str()))
            .collect();
        if missing.is_empty() {
            break;
        }
        for t in missing {
            sources.push(Source {
                ty: t,
                path: format!("ServiceStack.{}", t.name),
                operation: None,
                runtime: types::runtime_type(&t.name, t.namespace.as_deref()),
                duplicate: false,
            });
        }
    }
    Collected {
        sources,
        interfaces,
    }
}

/// Applies IncludeTypes / ExcludeTypes; returns the indexes of kept sources.
pub(super) fn filter(
    contract: &MetadataTypes,
    sources: &[Source<'_>],
    lookup: &Lookup<'_>,
    options: &Options,
) -> BTreeSet<usize> {
    let find = |name: &str| -> Vec<usize> {
        sources
            .iter()
            .enumerate()
            .filter(|(_, s)| s.ty.name == name || base_name(&s.ty.name) == name)
            .map(|(i, _)| i)
            .collect()
    };
    let mut kept: BTreeSet<usize> = if options.include_types.is_empty() {
        (0..sources.len()).collect()
    } else {
        let mut kept = BTreeSet::new();
        for pattern in &options.include_types {
            match TypePattern::parse(pattern) {
                TypePattern::Name(name) => kept.extend(find(&name)),
                TypePattern::WithDependencies(name) => {
                    for i in find(&name) {
                        add_with_dependencies(i, sources, lookup, &mut kept);
                    }
                }
                TypePattern::Namespace(ns) => kept.extend(
                    (0..sources.len()).filter(|&i| sources[i].ty.namespace.as_deref() == Some(&ns)),
                ),
                TypePattern::Tag(tag) => {
                    for op in &contract.operations {
                        if op
                            .tags
                            .iter()
                            .flatten()
                            .any(|t| t.eq_ignore_ascii_case(&tag))
                        {
                            if let Some(i) =
                                lookup.find(&op.request.name, op.request.namespace.as_deref())
                            {
                                add_with_dependencies(i, sources, lookup, &mut kept);
                            }
                        }
                    }
                }
            }
        }
        kept
    };
    for pattern in &options.exclude_types {
        let excluded: Vec<usize> = match TypePattern::parse(pattern) {
            TypePattern::Name(name) | TypePattern::WithDependencies(name) => find(&name),
            TypePattern::Namespace(ns) => (0..sources.len())
                .filter(|&i| sources[i].ty.namespace.as_deref() == Some(&ns))
                .collect(),
            TypePattern::Tag(tag) => contract
                .operations
                .iter()
                .filter(|op| {
                    op.tags
                        .iter()
                        .flatten()
                        .any(|t| t.eq_ignore_ascii_case(&tag))
                })
                .filter_map(|op| lookup.find(&op.request.name, op.request.namespace.as_deref()))
                .collect(),
        };
        for i in excluded {
            kept.remove(&i);
        }
    }
    kept
}

/// Adds a type and, transitively, every contract type it names (and a request's response).
fn add_with_dependencies(
    start: usize,
    sources: &[Source<'_>],
    lookup: &Lookup<'_>,
    kept: &mut BTreeSet<usize>,
) {
    let mut stack = vec![start];
    while let Some(i) = stack.pop() {
        if !kept.insert(i) {
            continue;
        }
        let t = sources[i].ty;
        let mut names: Vec<&str> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        if let Some(base) = &t.inherits {
            names.push(&base.name);
            texts.extend(base.generic_args.iter().flatten().cloned());
        }
        for p in t.properties.iter().flatten() {
            texts.push(p.type_name.clone());
            texts.extend(p.generic_args.iter().flatten().cloned());
        }
        if let Some(op) = sources[i].operation {
            if let Some(rt) = &op.return_type {
                names.push(&rt.name);
                texts.extend(rt.generic_args.iter().flatten().cloned());
            } else if let Some(r) = &op.response {
                names.push(&r.name);
                texts.extend(r.generic_args.iter().flatten().cloned());
            }
        }
        let mut found: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        for text in &texts {
            // Unparseable text is reported when the type itself is resolved.
            if let Ok(tt) = typetext::parse(text) {
                collect_names(&tt, &mut found);
            }
        }
        for name in found {
            let hit = lookup
                .find(&name, None)
                .or_else(|| sources.iter().position(|s| base_name(&s.ty.name) == name));
            if let Some(j) = hit {
                stack.push(j);
            }
        }
    }
}

fn collect_names(tt: &TypeText, out: &mut Vec<String>) {
    out.push(match tt.arity {
        Some(n) => format!("{}`{n}", tt.name),
        None => tt.name.clone(),
    });
    for a in &tt.args {
        collect_names(a, out);
    }
}

#[cfg(test)]
mod tests {
    use super::super::resolve;
    use crate::options::Options;
    use crate::parse::parse_contract;

    #[test]
    fn include_and_exclude_patterns() {
        let json = r#"{"types":[{"name":"Dep","namespace":"N1"},{"name":"Other","namespace":"N2"}],
            "operations":[{"request":{"name":"Get","namespace":"N1","properties":[{"name":"D","type":"Dep"}]},
                           "response":{"name":"GetResponse","namespace":"N1"},"tags":["t1"]}]}"#;
        let contract = parse_contract(json).unwrap();
        let names = |include: &[&str], exclude: &[&str]| -> Vec<String> {
            let o = Options {
                include_types: include.iter().map(|s| s.to_string()).collect(),
                exclude_types: exclude.iter().map(|s| s.to_string()).collect(),
                ..Options::default()
            };
            resolve(&contract, &o)
                .unwrap()
                .items
                .into_iter()
                .map(|i| i.name)
                .collect()
        };
        assert_eq!(names(&["Get"], &[]), ["Get"]);
        assert_eq!(names(&["Get.*"], &[]), ["Dep", "Get", "GetResponse"]);
        assert_eq!(names(&["N2/*"], &[]), ["Other"]);
        assert_eq!(names(&["{t1}"], &[]), ["Dep", "Get", "GetResponse"]);
        assert_eq!(names(&[], &["Other", "GetResponse"]), ["Dep", "Get"]);
    }
}
