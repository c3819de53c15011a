//! Stage 2: resolve a parsed contract into a [`TypeSpace`]: plain data naming every Rust item,
//! field, type and operation, so emitting is a straight walk with no decisions left.

mod fallback;
mod framework;
mod lookup;

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::dotnet::{self, Body};
use crate::error::Error;
use crate::naming::{self, Scope};
use crate::options::{base_name, DateType, GuidType, MapType, Options, TypePattern};
use crate::parse::{MetadataOperationType, MetadataPropertyType, MetadataType, MetadataTypes};
use crate::typetext::{self, TypeText};
use crate::warning::{Warning, WarningKind};
use fallback::Fallback;
use lookup::Lookup;

/// How deep an inheritance chain may be before it is rejected; the bound keeps a hostile
/// contract from exhausting the stack.
const MAX_INHERITANCE_DEPTH: usize = 64;

/// Names a contract type cannot take in Rust. (Prelude names such as `Option` it can: the
/// output then spells the prelude type in full.)
const RESERVED_TYPE_NAMES: &[&str] = &["Self"];

/// ServiceStack's own types that the runtime crate provides, by contract name (generic ones
/// with their arity, as MetadataTypes writes them). A contract that defines them (in the
/// `ServiceStack` namespace, or none) does not get its own copy; references to them, and
/// references to them that the contract does not define, become the runtime's type. Types that
/// inherit one still get its members inlined from the contract's definition.
const RUNTIME_TYPES: &[(&str, &str)] = &[
    ("ResponseStatus", "ssdto::ResponseStatus"),
    ("ResponseError", "ssdto::ResponseError"),
    ("QueryBase", "ssdto::QueryBase"),
    ("QueryDb`1", "ssdto::QueryDb"),
    ("QueryResponse`1", "ssdto::QueryResponse"),
    ("Authenticate", "ssdto::Authenticate"),
    ("AuthenticateResponse", "ssdto::AuthenticateResponse"),
    ("IdResponse", "ssdto::IdResponse"),
    ("EmptyResponse", "ssdto::EmptyResponse"),
];

fn runtime_type(name: &str, namespace: Option<&str>) -> Option<&'static str> {
    if !matches!(namespace, None | Some("ServiceStack")) {
        return None;
    }
    RUNTIME_TYPES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, path)| *path)
}

/// A Rust type, as plain data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// A Rust primitive or std type written as-is: `String`, `i32`, `bool`, ...
    Prim(&'static str),
    /// `Vec<u8>` carried on the wire as base64 (`Byte[]`).
    Bytes,
    /// Any JSON (`Object`, and structs the contract does not describe).
    Json,
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// A map from key to value.
    Map(Box<Ty>, Box<Ty>),
    /// `Option<T>`.
    Option(Box<Ty>),
    /// `Box<T>`, breaking a cycle of types that contain each other by value.
    Boxed(Box<Ty>),
    /// A type of the contract, by its Rust name, with generic arguments.
    Named(String, Vec<Ty>),
    /// A type parameter of the enclosing item.
    Param(String),
    /// A type the runtime crate provides, by path, with generic arguments.
    Runtime(&'static str, Vec<Ty>),
    /// A .NET date, time span or Guid; how it is spelled in Rust is an emit option
    /// (`DateType`, `GuidType`).
    Wire(WireKind),
}

/// The .NET value types whose Rust representation is chosen by option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WireKind {
    /// `DateTime` and `DateTimeOffset`.
    DateTime,
    /// `TimeSpan`.
    TimeSpan,
    /// `Guid`.
    Guid,
}

/// A generated struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The JSON name ServiceStack writes.
    pub wire_name: String,
    /// Another name accepted on input (the .NET name, which PascalCase servers write).
    pub alias: Option<String>,
    /// The field type; optional fields are already wrapped in [`Ty::Option`].
    pub ty: Ty,
    /// Rustdoc lines.
    pub doc: Vec<String>,
    /// Where the property is declared, e.g. `types[2].properties[0]` (a base class's for an
    /// inherited field).
    pub path: String,
    /// The .NET property behind the field.
    pub origin: FieldOrigin,
}

/// The .NET facts about a property that XML (DataContractSerializer) names and orders by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldOrigin {
    /// The .NET property name.
    pub name: String,
    /// `[DataMember(Name)]`, when set.
    pub data_member_name: Option<String>,
    /// `[DataMember(Order)]`, when set.
    pub order: Option<i64>,
    /// `[DataMember(EmitDefaultValue)]`: `false` leaves a default value out of the XML.
    pub emit_default_value: bool,
    /// How far up the inheritance chain the property is declared: 0 in the type itself, 1 in
    /// its base class, ...
    pub depth: usize,
    /// The type that declares it.
    pub declared_in: TypeOrigin,
}

/// The .NET facts about a type that XML (DataContractSerializer) names it by.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TypeOrigin {
    /// The .NET name without generic arity (`QueryResponse` for ``QueryResponse`1``).
    pub name: String,
    /// The .NET namespace.
    pub namespace: Option<String>,
    /// `[DataContract(Name)]`, when set.
    pub data_contract_name: Option<String>,
    /// `[DataContract(Namespace)]`, when set.
    pub data_contract_namespace: Option<String>,
    /// The type parameters of a generic definition, in .NET order.
    pub generic_params: Vec<String>,
}

impl TypeOrigin {
    fn of(t: &MetadataType) -> Self {
        let contract = t.data_contract.as_ref();
        let set = |v: Option<&String>| v.filter(|v| !v.trim().is_empty()).cloned();
        TypeOrigin {
            name: base_name(&t.name).to_owned(),
            namespace: set(t.namespace.as_ref()),
            data_contract_name: set(contract.and_then(|c| c.name.as_ref())),
            data_contract_namespace: set(contract.and_then(|c| c.namespace.as_ref())),
            generic_params: t.generic_args.clone().unwrap_or_default(),
        }
    }
}

/// A generated struct.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// Type parameters in use.
    pub generics: Vec<String>,
    /// Fields, base-class fields first.
    pub fields: Vec<Field>,
    /// A newtype over its one field's type, serialized as that type: a class that inherits a
    /// .NET collection travels as the collection (`class Tags : List<string>` is a JSON
    /// array), whatever properties it adds.
    pub transparent: bool,
}

/// An enum member.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The Rust variant name.
    pub name: String,
    /// The string written on the wire (for string enums).
    pub wire: String,
    /// The integer value (for `isEnumInt` enums).
    pub value: i64,
    /// Rustdoc lines.
    pub doc: Vec<String>,
    /// Where the member is declared, e.g. `types[4].enumNames[1]`.
    pub path: String,
}

/// A generated enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// Whether values travel as integers.
    pub int: bool,
    /// A `[Flags]` enum: a bit set of its members (always `int`).
    pub flags: bool,
    /// The members, first one the default.
    pub members: Vec<Member>,
    /// The name of the variant that keeps unknown values.
    pub unknown: String,
}

/// What an item is.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// A struct.
    Struct(StructDef),
    /// An enum.
    Enum(EnumDef),
    /// `pub type Name = ..;`: a name the contract uses without defining it.
    Alias(Ty),
}

/// A generated type.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The Rust name.
    pub name: String,
    /// Rustdoc lines.
    pub doc: Vec<String>,
    /// Struct or enum.
    pub kind: ItemKind,
    /// Where the type is defined, e.g. `types[3]` or `operations[0].request`.
    pub path: String,
    /// The .NET type behind the item.
    pub origin: TypeOrigin,
}

/// What an operation answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// A typed response.
    Typed(Ty),
    /// Nothing (HTTP 204).
    Void,
    /// The contract declares no response type.
    Untyped,
}

/// A declared route.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteDef {
    /// The path template.
    pub path: String,
    /// Upper-case verbs; empty means any.
    pub verbs: Vec<String>,
}

/// An operation, implemented on its request type.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The Rust name of the request type.
    pub request: String,
    /// The operation name on the wire (`/api/{name}`).
    pub name: String,
    /// The verb clients use.
    pub method: String,
    /// Declared routes.
    pub routes: Vec<RouteDef>,
    /// The response.
    pub response: Response,
    /// How the response body travels: a DTO, or the raw text or bytes of a `string`,
    /// `byte[]` or `Stream` result.
    pub body: Body,
    /// Who may call it, as the contract declares.
    pub auth: AuthRequirements,
}

/// An operation's `requiresAuth`, `requiredRoles`, `requiresAnyRole`, `requiredPermissions` and
/// `requiresAnyPermission`, as the contract lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthRequirements {
    /// Callers must be authenticated.
    pub requires_auth: bool,
    /// Roles a caller must have, all of them.
    pub required_roles: Vec<String>,
    /// Roles a caller must have at least one of.
    pub requires_any_role: Vec<String>,
    /// Permissions a caller must have, all of them.
    pub required_permissions: Vec<String>,
    /// Permissions a caller must have at least one of.
    pub requires_any_permission: Vec<String>,
}

/// Everything emit needs, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeSpace {
    /// Items in output order.
    pub items: Vec<Item>,
    /// Operations in contract order.
    pub operations: Vec<Operation>,
    /// Whether any field uses a map (so emit imports it).
    pub map_type: MapType,
    /// How [`Ty::Wire`] dates and time spans are spelled.
    pub date_type: DateType,
    /// How [`Ty::Wire`] Guids are spelled.
    pub guid_type: GuidType,
    /// The contract names of the types IncludeTypes/ExcludeTypes keep (requests and responses
    /// included, ServiceStack's own types too).
    pub selected: BTreeSet<String>,
    /// What the generator did about input it does not fully understand, in contract order.
    pub warnings: Vec<Warning>,
    /// The .NET names that became `serde_json::Value` aliases, in order of first use.
    pub undefined_types: Vec<String>,
}

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
    let collected = collect(contract, &mut warnings);
    let sources = collected.sources;
    let lookup = Lookup::new(
        sources
            .iter()
            .map(|s| (s.ty.name.as_str(), s.ty.namespace.as_deref())),
    );
    let mut kept = filter(contract, &sources, &lookup, options)?;
    let selected = kept.iter().map(|&i| sources[i].ty.name.clone()).collect();
    kept.retain(|&i| sources[i].runtime.is_none());

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
        polymorphic: &polymorphic,
        interfaces: &collected.interfaces,
        options,
        fallback: Fallback::new(scope, warnings),
    };

    let mut items = Vec::new();
    let mut index_of_item = HashMap::new();
    for (i, rust_name) in rust_names.iter().enumerate() {
        if !kept.contains(&i) {
            continue;
        }
        index_of_item.insert(rust_name.clone(), items.len());
        items.push(resolver.item(i)?);
    }

    let mut operations = Vec::new();
    for (i, op) in contract.operations.iter().enumerate() {
        let Some(index) = lookup.find(&op.request.name, op.request.namespace.as_deref()) else {
            continue;
        };
        if kept.contains(&index)
            && sources[index]
                .operation
                .is_some_and(|o| std::ptr::eq(o, op))
        {
            operations.push(resolver.operation(op, i, &rust_names[index])?);
        }
    }
    let (warnings, aliases) = resolver.fallback.finish();
    let undefined_types = aliases.iter().map(|a| a.dotnet.clone()).collect();
    for fallback::Alias {
        dotnet,
        rust,
        first_use,
    } in aliases
    {
        let origin = TypeOrigin {
            name: base_name(&dotnet).to_owned(),
            ..TypeOrigin::default()
        };
        items.push(Item {
            name: rust,
            // Not defined anywhere: where it is first used.
            path: first_use,
            origin,
            doc: vec![
                format!(
                    "`{dotnet}`: a type the contract uses without defining it, kept as any JSON."
                ),
                "Replace this alias with a real type to read it.".to_owned(),
            ],
            kind: ItemKind::Alias(Ty::Json),
        });
    }

    string_map_keys(&mut items, options.map_type);
    prune_unused_generics(&mut items);
    box_cycles(&mut items, &index_of_item);

    let arity: HashMap<&str, usize> = items
        .iter()
        .map(|i| {
            let n = match &i.kind {
                ItemKind::Struct(s) => s.generics.len(),
                ItemKind::Enum(_) | ItemKind::Alias(_) => 0,
            };
            (i.name.as_str(), n)
        })
        .collect();
    for op in &mut operations {
        if let Response::Typed(ty) = &mut op.response {
            *ty = prune_args(std::mem::replace(ty, Ty::Json), &arity);
        }
    }
    Ok(TypeSpace {
        items,
        operations,
        map_type: options.map_type,
        date_type: options.date_type,
        guid_type: options.guid_type,
        selected,
        warnings,
        undefined_types,
    })
}

/// The type set and the interfaces the contract declares.
struct Collected<'a> {
    sources: Vec<Source<'a>>,
    /// Interface names (with arity), which describe behaviour, not data.
    interfaces: HashSet<String>,
}

/// The type set: types, then every operation's request and response, first definition of a
/// (namespace, name) wins; then ServiceStack's base classes that some type inherits without
/// the contract defining them. Framework types the contract lists (a ``Task`1`` or `Byte[]`
/// response, a tuple) are left to the .NET type table, and names that are not .NET
/// identifiers (compiler-generated closures) are left out with a warning.
fn collect<'a>(contract: &'a MetadataTypes, warnings: &mut Vec<Warning>) -> Collected<'a> {
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
        if dotnet::is_framework_definition(&t.name, namespace) {
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
            runtime: runtime_type(&t.name, namespace),
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
                runtime: runtime_type(&t.name, t.namespace.as_deref()),
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
fn filter(
    contract: &MetadataTypes,
    sources: &[Source<'_>],
    lookup: &Lookup<'_>,
    options: &Options,
) -> Result<BTreeSet<usize>, Error> {
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
    Ok(kept)
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

struct Resolver<'a> {
    sources: &'a [Source<'a>],
    lookup: &'a Lookup<'a>,
    rust_names: &'a [String],
    /// By source: an abstract class that others inherit, kept as JSON where it is used.
    polymorphic: &'a [bool],
    interfaces: &'a HashSet<String>,
    options: &'a Options,
    fallback: Fallback,
}

/// A type's properties, inherited ones included.
struct Properties<'a> {
    own: Vec<InheritedProperty<'a>>,
    /// The .NET collection at the end of the inheritance chain, and where it is named.
    collection: Option<(TypeText, String)>,
}

/// A property together with the class it was declared in and that class's substitutions.
struct InheritedProperty<'a> {
    prop: &'a MetadataPropertyType,
    path: String,
    substitutions: HashMap<String, TypeText>,
    /// The declaring class's distance up the chain (0: the type itself).
    depth: usize,
    declared_in: &'a MetadataType,
}

impl Resolver<'_> {
    fn doc(&self, text: Option<&str>) -> Vec<String> {
        if !self.options.add_description_as_comments {
            return Vec::new();
        }
        doc_lines(text)
    }

    fn item(&self, index: usize) -> Result<Item, Error> {
        let source = &self.sources[index];
        let t = source.ty;
        let name = self.rust_names[index].clone();
        let mut doc = self.doc(t.description.as_deref());
        if let Some(notes) = t.notes.as_deref() {
            let notes = self.doc(Some(notes));
            if !notes.is_empty() && !doc.is_empty() {
                doc.push(String::new());
            }
            doc.extend(notes);
        }
        if let Some(op) = source.operation {
            append_operation_doc(&mut doc, op);
        }
        let kind = if t.is_enum == Some(true) {
            ItemKind::Enum(self.enum_def(t, &source.path)?)
        } else {
            ItemKind::Struct(self.struct_def(index)?)
        };
        Ok(Item {
            name,
            doc,
            kind,
            path: source.path.clone(),
            origin: TypeOrigin::of(t),
        })
    }

    /// Whether an enum is `[Flags]`: ServiceStack exports .NET's `FlagsAttribute`
    /// (`NativeTypesFeature.ExportAttributes`) and marks such enums `isEnumInt`
    /// (`MetadataTypesGenerator.ToExactType`: `type.IsEnumFlags()`).
    fn is_flags(t: &MetadataType) -> bool {
        t.is_enum_int == Some(true)
            && t.attributes
                .iter()
                .flatten()
                .any(|a| matches!(a.name.as_str(), "Flags" | "FlagsAttribute"))
    }

    fn enum_def(&self, t: &MetadataType, path: &str) -> Result<EnumDef, Error> {
        let names = t.enum_names.clone().unwrap_or_default();
        let values = t.enum_values.clone().unwrap_or_default();
        let wires = t.enum_member_values.clone().unwrap_or_default();
        let descriptions = t.enum_descriptions.clone().unwrap_or_default();
        let flags = Self::is_flags(t);
        let mut scope = Scope::default();
        let mut members = Vec::with_capacity(names.len());
        let mut seen_wire = HashSet::new();
        for (i, member) in names.iter().enumerate() {
            let value = match values.get(i).map(|v| v.trim()).filter(|v| !v.is_empty()) {
                Some(v) => v.parse::<i64>().map_err(|_| Error::Invalid {
                    path: format!("{path}.enumValues[{i}]"),
                    message: format!("enum value `{v}` is not an integer"),
                })?,
                None => i64::try_from(i).unwrap_or(i64::MAX),
            };
            // A flags value is read by .NET member name (`Enum.Parse`), whatever
            // `[EnumMember]` says.
            let wire = wires
                .get(i)
                .filter(|w| !w.is_empty() && !flags)
                .cloned()
                .unwrap_or_else(|| member.clone());
            // A repeated wire value (aliases such as `Default = Active`) cannot map back to two
            // variants; the first one keeps it.
            if !seen_wire.insert(wire.clone()) {
                continue;
            }
            let ident = if flags {
                naming::const_ident(member)
            } else {
                naming::variant_ident(member)
            };
            members.push(Member {
                name: scope.claim(ident),
                wire,
                value,
                doc: self.doc(descriptions.get(i).map(String::as_str)),
                path: format!("{path}.enumNames[{i}]"),
            });
        }
        let unknown = scope.claim("Unknown".to_owned());
        Ok(EnumDef {
            int: t.is_enum_int == Some(true),
            flags,
            members,
            unknown,
        })
    }

    /// The properties of a type with its bases', base first, with generic arguments
    /// substituted down the chain; and the .NET collection the chain ends in, if any (with its
    /// arguments substituted, and where it is named), which makes the type travel as that
    /// collection.
    fn properties(&self, index: usize) -> Result<Properties<'_>, Error> {
        let mut chain: Vec<(usize, HashMap<String, TypeText>)> = vec![(index, HashMap::new())];
        let mut visited = vec![index];
        let mut collection = None;
        loop {
            let (current, subs) = chain
                .last()
                .map(|(i, s)| (*i, s.clone()))
                .unwrap_or_default();
            let t = self.sources[current].ty;
            let Some(base) = &t.inherits else { break };
            let path = format!("{}.inherits", self.sources[current].path);
            let Some(base_index) = self.lookup.find(&base.name, base.namespace.as_deref()) else {
                collection = self.undefined_base(base, &subs, &path)?;
                break;
            };
            if visited.contains(&base_index) {
                let mut names: Vec<&str> = visited
                    .iter()
                    .map(|&i| self.sources[i].ty.name.as_str())
                    .collect();
                names.push(&self.sources[base_index].ty.name);
                return Err(Error::InheritanceCycle {
                    path: self.sources[index].path.clone(),
                    chain: names.join(" -> "),
                });
            }
            if visited.len() > MAX_INHERITANCE_DEPTH {
                return Err(Error::Invalid {
                    path: self.sources[index].path.clone(),
                    message: format!("inheritance deeper than {MAX_INHERITANCE_DEPTH} levels"),
                });
            }
            visited.push(base_index);
            // Map the base's parameters to the arguments given, themselves substituted.
            let params = self.sources[base_index]
                .ty
                .generic_args
                .clone()
                .unwrap_or_default();
            let mut base_subs = HashMap::new();
            for (param, arg) in params.iter().zip(base.generic_args.iter().flatten()) {
                let arg = typetext::parse(arg).map_err(|source| Error::TypeText {
                    path: path.clone(),
                    source,
                })?;
                let arg = substitute(&arg, &subs);
                // Each level of the chain may nest the arguments deeper: bound it here, before
                // the next level recurses over them.
                arg.check_depth().map_err(|source| Error::TypeText {
                    path: path.clone(),
                    source,
                })?;
                base_subs.insert(param.clone(), arg);
            }
            chain.push((base_index, base_subs));
        }
        let mut out: Vec<InheritedProperty<'_>> = Vec::new();
        let levels = chain.len();
        for (level, (i, subs)) in chain.into_iter().rev().enumerate() {
            let source = &self.sources[i];
            for (j, prop) in source.ty.properties.iter().flatten().enumerate() {
                // A property redeclared in a subclass (C# `new`) replaces the base one.
                out.retain(|p| p.prop.name != prop.name);
                out.push(InheritedProperty {
                    prop,
                    path: format!("{}.properties[{j}]", source.path),
                    substitutions: subs.clone(),
                    depth: levels - 1 - level,
                    declared_in: source.ty,
                });
            }
        }
        Ok(Properties {
            own: out,
            collection,
        })
    }

    /// A base class the contract does not define: a .NET collection (the type travels as
    /// it), another framework type (no members to inherit), or an unknown type, whose members
    /// are then missing, with a warning.
    fn undefined_base(
        &self,
        base: &crate::parse::MetadataTypeName,
        subs: &HashMap<String, TypeText>,
        path: &str,
    ) -> Result<Option<(TypeText, String)>, Error> {
        let text = parse_type_name(&base.name, base.generic_args.as_deref(), path)?;
        let text = substitute(&text, subs);
        let arity = text.arity.unwrap_or(text.args.len());
        match dotnet::lookup(&text.name, arity) {
            Some(entry) if text.array_rank > 0 || framework::is_collection(entry) => {
                Ok(Some((text, path.to_owned())))
            }
            Some(_) => Ok(None),
            None => {
                self.fallback.warn(
                    path,
                    WarningKind::UndefinedType,
                    format!(
                        "base class `{}` is neither defined by the contract nor a .NET type \
                         ssdto knows; its members are left out",
                        base.name
                    ),
                );
                Ok(None)
            }
        }
    }

    fn struct_def(&self, index: usize) -> Result<StructDef, Error> {
        let t = self.sources[index].ty;
        let generics: Vec<String> = t.generic_args.clone().unwrap_or_default();
        let mut scope = Scope::default();
        let mut wire_taken: HashSet<String> = HashSet::new();
        let mut fields = Vec::new();
        let path_vars = self.sources[index]
            .operation
            .map(always_in_path)
            .unwrap_or_default();
        let properties = self.properties(index)?;
        if let Some((collection, path)) = properties.collection {
            let ty = self.map(&collection, &generics, false, &path, None)?;
            return Ok(StructDef {
                generics,
                fields: vec![Field {
                    name: "0".to_owned(),
                    wire_name: String::new(),
                    alias: None,
                    ty,
                    doc: Vec::new(),
                    path,
                    // Serialized as its collection: no member of its own.
                    origin: FieldOrigin {
                        name: String::new(),
                        data_member_name: None,
                        order: None,
                        emit_default_value: true,
                        depth: 0,
                        declared_in: TypeOrigin::of(t),
                    },
                }],
                transparent: true,
            });
        }
        for inherited in properties.own {
            let prop = inherited.prop;
            let path = &inherited.path;
            let text = parse_type_name(&prop.type_name, prop.generic_args.as_deref(), path)?;
            let text = substitute(&text, &inherited.substitutions);
            text.check_depth().map_err(|source| Error::TypeText {
                path: path.clone(),
                source,
            })?;
            let mut ty = self.map(
                &text,
                &generics,
                prop.is_value_type == Some(true),
                path,
                prop.namespace.as_deref(),
            )?;
            // A variable of every declared route must be set to call the operation at all.
            let in_every_path = path_vars.contains(&prop.name.to_ascii_lowercase());
            if !is_required(prop, &text) && !in_every_path && !matches!(ty, Ty::Option(_)) {
                ty = Ty::Option(Box::new(ty));
            }
            let explicit = prop
                .data_member
                .as_ref()
                .and_then(|d| d.name.clone())
                .filter(|n| !n.is_empty());
            let mut wire_name = explicit
                .clone()
                .unwrap_or_else(|| naming::wire_name(&prop.name));
            // Two properties with one camelCase name (`Id` and `ID`): the later one keeps its
            // .NET name on the wire, the only name that tells them apart.
            if wire_taken.contains(&wire_name) {
                wire_name = prop.name.clone();
                if wire_taken.contains(&wire_name) {
                    return Err(Error::Invalid {
                        path: path.clone(),
                        message: format!(
                            "two properties are both named `{}` on the wire",
                            prop.name
                        ),
                    });
                }
            }
            wire_taken.insert(wire_name.clone());
            fields.push(Field {
                name: scope.claim(naming::field_ident(&prop.name)),
                alias: explicit.is_none().then(|| prop.name.clone()),
                wire_name,
                ty,
                doc: self.doc(prop.description.as_deref()),
                path: path.clone(),
                origin: FieldOrigin {
                    name: prop.name.clone(),
                    data_member_name: explicit,
                    order: prop.data_member.as_ref().and_then(|d| d.order),
                    emit_default_value: prop
                        .data_member
                        .as_ref()
                        .and_then(|d| d.emit_default_value)
                        .unwrap_or(true),
                    depth: inherited.depth,
                    declared_in: TypeOrigin::of(inherited.declared_in),
                },
            });
        }
        // An alias may not shadow another field's name.
        for i in 0..fields.len() {
            let clash = fields[i].alias.as_ref().is_some_and(|a| {
                *a == fields[i].wire_name
                    || wire_taken.contains(a)
                    || fields[..i].iter().any(|f| f.alias.as_ref() == Some(a))
            });
            if clash {
                fields[i].alias = None;
            }
        }
        Ok(StructDef {
            generics,
            fields,
            transparent: false,
        })
    }

    /// Maps .NET type text to a Rust type. `namespace` is the one the contract gives for the
    /// outermost type, if any, which tells apart types of one name.
    fn map(
        &self,
        tt: &TypeText,
        generics: &[String],
        value_type: bool,
        path: &str,
        namespace: Option<&str>,
    ) -> Result<Ty, Error> {
        let mut ty = self.map_element(tt, generics, value_type, path, namespace)?;
        for _ in 0..tt.array_rank {
            // `Byte[]` is base64 text (the table's `Byte[]` row), other arrays are lists.
            ty = if tt.array_rank == 1 && matches!(ty, Ty::Prim("u8")) {
                Ty::Bytes
            } else {
                Ty::Vec(Box::new(ty))
            };
        }
        Ok(ty)
    }

    fn map_element(
        &self,
        tt: &TypeText,
        generics: &[String],
        value_type: bool,
        path: &str,
        namespace: Option<&str>,
    ) -> Result<Ty, Error> {
        let name = tt.name.as_str();
        if tt.args.is_empty() && generics.iter().any(|g| g == name) {
            return Ok(Ty::Param(name.to_owned()));
        }
        let arity = tt.arity.unwrap_or(tt.args.len());
        let key = match arity {
            0 => name.to_owned(),
            n => format!("{name}`{n}"),
        };
        let args = || -> Result<Vec<Ty>, Error> {
            tt.args
                .iter()
                .map(|a| self.map(a, generics, false, path, None))
                .collect()
        };
        // The contract's own definition wins over a framework type of the same name, unless
        // the reference names the framework's namespace (`System.String` beside a contract's
        // own `String`).
        let framework = namespace.is_some_and(|ns| ns == "System" || ns.starts_with("System."))
            && dotnet::lookup(name, arity).is_some();
        let own = self
            .lookup
            .find(&key, namespace)
            .filter(|&i| !framework || self.sources[i].ty.namespace.as_deref() == namespace);
        if let Some(i) = own {
            if let Some(runtime) = self.sources[i].runtime {
                return Ok(Ty::Runtime(runtime, args()?));
            }
            if self.polymorphic[i] {
                return Ok(Ty::Json);
            }
            return Ok(Ty::Named(self.rust_names[i].clone(), args()?));
        }
        if self.interfaces.contains(&key) {
            return Ok(Ty::Json);
        }
        // A ServiceStack type the contract only names is the runtime's.
        if let Some(runtime) = runtime_type(&key, None) {
            return Ok(Ty::Runtime(runtime, args()?));
        }
        if let Some(entry) = dotnet::lookup(name, arity) {
            return Ok(framework::ty(entry, args()?));
        }
        let alias = self
            .fallback
            .alias(&tt.name, &tt.to_string(), path, value_type);
        Ok(Ty::Named(alias, Vec::new()))
    }

    /// The framework type a response names, if the contract does not define the name.
    fn framework_entry(&self, tt: &TypeText) -> Option<&'static dotnet::Entry> {
        let arity = tt.arity.unwrap_or(tt.args.len());
        let key = match arity {
            0 => tt.name.clone(),
            n => format!("{}`{n}", tt.name),
        };
        if tt.array_rank > 0 || self.lookup.contains(&key) {
            return None;
        }
        dotnet::lookup(&tt.name, arity)
    }

    /// What an operation answers and how the body travels, from its response type text:
    /// ``Task`1`` and ``ValueTask`1`` are their result, a bare `Task` is nothing, a `string`
    /// is the text itself and `byte[]`, `Stream` and the like the raw bytes
    /// (`HttpResponseExtensionsInternal.WriteToResponse`).
    fn response(&self, tt: &TypeText, path: &str) -> Result<(Response, Body), Error> {
        let mut tt = tt;
        while let Some(entry) = self.framework_entry(tt) {
            match entry.target {
                dotnet::Target::Unwrap => match tt.args.first() {
                    Some(inner) => tt = inner,
                    None => return Ok((Response::Typed(Ty::Json), Body::Dto)),
                },
                dotnet::Target::Nothing => return Ok((Response::Void, Body::Dto)),
                _ => break,
            }
        }
        let body = match self.framework_entry(tt) {
            Some(entry) => entry.body,
            None if tt.array_rank == 1 && tt.name.eq_ignore_ascii_case("byte") => Body::Bytes,
            None => Body::Dto,
        };
        let ty = match body {
            Body::Bytes => Ty::Bytes,
            Body::Text => Ty::Prim("String"),
            Body::Dto => self.map(tt, &[], false, path, None)?,
        };
        Ok((Response::Typed(ty), body))
    }

    fn operation(
        &self,
        op: &MetadataOperationType,
        index: usize,
        request: &str,
    ) -> Result<Operation, Error> {
        let path = format!("operations[{index}]");
        let method = operation_method(op).ok_or_else(|| Error::Invalid {
            path: format!("{path}.method"),
            message: format!(
                "unknown HTTP method `{}`",
                op.method.as_deref().unwrap_or_default()
            ),
        })?;
        let mut routes = Vec::new();
        for (j, r) in op.routes.iter().flatten().enumerate() {
            let verbs = parse_verbs(r.verbs.as_deref()).map_err(|verb| Error::Invalid {
                path: format!("{path}.routes[{j}].verbs"),
                message: format!("unknown HTTP method `{verb}`"),
            })?;
            if !r.path.starts_with('/') {
                return Err(Error::Invalid {
                    path: format!("{path}.routes[{j}].path"),
                    message: format!("route `{}` does not start with `/`", r.path),
                });
            }
            routes.push(RouteDef {
                path: r.path.clone(),
                verbs,
            });
        }
        // `returnsVoid` wins over a response type: clients of an `IReturnVoid` request ignore
        // any body (ServiceStack's own clients call `Send<IReturnVoid>` and discard it).
        let (response, body) = if op.returns_void == Some(true) {
            (Response::Void, Body::Dto)
        } else if let Some(rt) = &op.return_type {
            let path = format!("{path}.returnType");
            let text = parse_type_name(&rt.name, rt.generic_args.as_deref(), &path)?;
            self.response(&text, &path)?
        } else if let Some(r) = &op.response {
            let path = format!("{path}.response");
            // Without a `returnType`, a generic response's own arguments say what it is
            // (a ``Task`1`` of `Object`), unless they are its definition's parameters.
            let args = (r.is_generic_type_def != Some(true))
                .then_some(r.generic_args.as_deref())
                .flatten();
            let text = parse_type_name(&r.name, args, &path)?;
            self.response(&text, &path)?
        } else {
            (Response::Untyped, Body::Dto)
        };
        Ok(Operation {
            request: request.to_owned(),
            name: op.request.name.clone(),
            method,
            routes,
            response,
            body,
            auth: AuthRequirements {
                requires_auth: op.requires_auth == Some(true),
                required_roles: op.required_roles.clone().unwrap_or_default(),
                requires_any_role: op.requires_any_role.clone().unwrap_or_default(),
                required_permissions: op.required_permissions.clone().unwrap_or_default(),
                requires_any_permission: op.requires_any_permission.clone().unwrap_or_default(),
            },
        })
    }
}

/// A type name with its separate generic arguments, as type text.
fn parse_type_name(name: &str, args: Option<&[String]>, path: &str) -> Result<TypeText, Error> {
    typetext::parse_with_args(name, args.unwrap_or_default()).map_err(|source| Error::TypeText {
        path: path.to_owned(),
        source,
    })
}

/// The variables (lowercased) that appear in every route an operation declares: ServiceStack
/// binds `{Var}`, `{Var*}` and `{**Var}` case-insensitively to the property of that name.
fn always_in_path(op: &MetadataOperationType) -> HashSet<String> {
    let mut routes = op.routes.iter().flatten();
    let vars = |path: &str| -> HashSet<String> {
        path.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}'))
            .map(|(var, _)| var.trim_matches('*').to_ascii_lowercase())
            .collect()
    };
    let Some(first) = routes.next() else {
        return HashSet::new();
    };
    routes.fold(vars(&first.path), |acc, r| {
        let next = vars(&r.path);
        acc.intersection(&next).cloned().collect()
    })
}

/// Required iff `isRequired`, or a value type that is not ``Nullable`1``.
fn is_required(prop: &MetadataPropertyType, text: &TypeText) -> bool {
    prop.is_required == Some(true)
        || prop.data_member.as_ref().and_then(|d| d.is_required) == Some(true)
        || (prop.is_value_type == Some(true) && !(text.name == "Nullable" && text.array_rank == 0))
}

/// Replaces type parameters by their arguments.
fn substitute(tt: &TypeText, subs: &HashMap<String, TypeText>) -> TypeText {
    if subs.is_empty() {
        return tt.clone();
    }
    if tt.args.is_empty() && tt.arity.is_none() {
        if let Some(arg) = subs.get(&tt.name) {
            let mut out = arg.clone();
            out.array_rank += tt.array_rank;
            return out;
        }
    }
    TypeText {
        args: tt.args.iter().map(|a| substitute(a, subs)).collect(),
        ..tt.clone()
    }
}

fn operation_method(op: &MetadataOperationType) -> Option<String> {
    if let Some(m) = op.method.as_deref().filter(|m| !m.trim().is_empty()) {
        return parse_verbs(Some(m))
            .ok()?
            .into_iter()
            .next()
            .or(Some("POST".into()));
    }
    // Older contracts have no `method`: the marker interfaces and routes tell.
    for i in op.request.implements.iter().flatten() {
        let verb = match i.name.as_str() {
            "IGet" => "GET",
            "IPost" => "POST",
            "IPut" => "PUT",
            "IPatch" => "PATCH",
            "IDelete" => "DELETE",
            _ => continue,
        };
        return Some(verb.into());
    }
    let route_verbs: Vec<Vec<ssdto_protocol::Method>> = op
        .routes
        .iter()
        .flatten()
        .filter_map(|r| {
            let verbs = parse_verbs(r.verbs.as_deref()).ok()?;
            verbs.iter().map(|v| v.parse().ok()).collect()
        })
        .collect();
    let method = ssdto_protocol::default_method(route_verbs.iter().map(Vec::as_slice));
    Some(method.as_str().to_owned())
}

/// Parses `GET,POST`; `ANY`, `*` or nothing mean any verb (empty list).
fn parse_verbs(verbs: Option<&str>) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for v in verbs
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        let upper = v.to_ascii_uppercase();
        if upper == "ANY" || upper == "*" {
            return Ok(Vec::new());
        }
        if !matches!(
            upper.as_str(),
            "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
        ) {
            return Err(v.to_owned());
        }
        if !out.contains(&upper) {
            out.push(upper);
        }
    }
    Ok(out)
}

fn append_operation_doc(doc: &mut Vec<String>, op: &MetadataOperationType) {
    let mut notes = Vec::new();
    for r in op.routes.iter().flatten() {
        let verbs = r
            .verbs
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .unwrap_or("ANY");
        notes.push(format!("`{} {}`", verbs.replace(',', ", "), r.path));
    }
    if op.requires_auth == Some(true) {
        notes.push("Requires authentication.".into());
    }
    let roles = op.required_roles.clone().unwrap_or_default();
    if !roles.is_empty() {
        notes.push(format!(
            "Required roles: {}.",
            roles
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let perms = op.required_permissions.clone().unwrap_or_default();
    if !perms.is_empty() {
        notes.push(format!(
            "Required permissions: {}.",
            perms
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if notes.is_empty() {
        return;
    }
    if !doc.is_empty() {
        doc.push(String::new());
    }
    let (routes, rest): (Vec<String>, Vec<String>) =
        notes.into_iter().partition(|n| n.starts_with('`'));
    if !routes.is_empty() {
        doc.push(format!("Routes: {}", routes.join(", ")));
    }
    if !rest.is_empty() {
        if !routes.is_empty() {
            doc.push(String::new());
        }
        doc.push(rest.join(" "));
    }
}

/// Description text as rustdoc lines that cannot turn into doctests or stray markup.
pub fn doc_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Vec::new();
    };
    // A bare CR ends a line too: left inside a line it makes the `///` comment invalid Rust
    // (a regression found by the `generate` fuzz target).
    text.split("\r\n")
        .flat_map(|l| l.split(['\n', '\r']))
        // Leading spaces would make an indented code block, which rustdoc runs as a doctest.
        .map(|l| l.trim().replace("```", "'''"))
        .collect()
}

/// Drops generic parameters no field uses (Rust rejects unused parameters) and the matching
/// arguments everywhere the type is named.
fn prune_unused_generics(items: &mut [Item]) {
    // Until nothing changes: pruning `A<T>`'s unused `T` can leave `B<U>` with a `U` that was
    // used only as `A<U>` (a regression found by tests/generated_compiles.rs). Every round
    // but the last removes a parameter, so this ends.
    loop {
        let mut pruned = false;
        let mut kept_params: HashMap<String, Vec<bool>> = HashMap::new();
        for item in items.iter_mut() {
            if let ItemKind::Struct(s) = &mut item.kind {
                let mask: Vec<bool> = s
                    .generics
                    .iter()
                    .map(|g| s.fields.iter().any(|f| uses_param(&f.ty, g)))
                    .collect();
                pruned |= mask.contains(&false);
                let mut it = mask.iter();
                s.generics.retain(|_| *it.next().unwrap_or(&false));
                kept_params.insert(item.name.clone(), mask);
            }
        }
        if !pruned {
            return;
        }
        let prune = |ty: &mut Ty| prune_with(ty, &kept_params);
        for item in items.iter_mut() {
            if let ItemKind::Struct(s) = &mut item.kind {
                for f in &mut s.fields {
                    prune(&mut f.ty);
                }
            }
        }
    }
}

/// Drops the arguments of a reference to a generated type that ended up with no parameters.
/// Arguments of a type that is not generated (excluded) are kept as written.
fn prune_args(mut ty: Ty, arity: &HashMap<&str, usize>) -> Ty {
    fn walk(ty: &mut Ty, arity: &HashMap<&str, usize>) {
        match ty {
            Ty::Named(name, args) => {
                if arity.get(name.as_str()) == Some(&0) {
                    args.clear();
                }
                for a in args {
                    walk(a, arity);
                }
            }
            Ty::Runtime(_, args) => {
                for a in args {
                    walk(a, arity);
                }
            }
            Ty::Vec(t) | Ty::Option(t) | Ty::Boxed(t) => walk(t, arity),
            Ty::Map(k, v) => {
                walk(k, arity);
                walk(v, arity);
            }
            Ty::Prim(_) | Ty::Wire(_) | Ty::Bytes | Ty::Json | Ty::Param(_) => {}
        }
    }
    walk(&mut ty, arity);
    ty
}

fn prune_with(ty: &mut Ty, masks: &HashMap<String, Vec<bool>>) {
    match ty {
        Ty::Named(name, args) => {
            if let Some(mask) = masks.get(name) {
                let mut it = mask.iter();
                args.retain(|_| *it.next().unwrap_or(&false));
            }
            for a in args {
                prune_with(a, masks);
            }
        }
        Ty::Runtime(_, args) => {
            for a in args {
                prune_with(a, masks);
            }
        }
        Ty::Vec(t) | Ty::Option(t) | Ty::Boxed(t) => prune_with(t, masks),
        Ty::Map(k, v) => {
            prune_with(k, masks);
            prune_with(v, masks);
        }
        Ty::Prim(_) | Ty::Wire(_) | Ty::Bytes | Ty::Json | Ty::Param(_) => {}
    }
}

fn uses_param(ty: &Ty, param: &str) -> bool {
    match ty {
        Ty::Param(p) => p == param,
        Ty::Named(_, args) | Ty::Runtime(_, args) => args.iter().any(|a| uses_param(a, param)),
        Ty::Vec(t) | Ty::Option(t) | Ty::Boxed(t) => uses_param(t, param),
        Ty::Map(k, v) => uses_param(k, param) || uses_param(v, param),
        Ty::Prim(_) | Ty::Wire(_) | Ty::Bytes | Ty::Json => false,
    }
}

/// The named types a type holds by value (through `Option`, not through a collection, which
/// already has indirection).
fn direct_names<'a>(ty: &'a Ty, out: &mut Vec<&'a str>) {
    match ty {
        Ty::Named(name, args) => {
            out.push(name);
            // A generic argument is held by value when the generic struct holds it so; treat
            // it as direct to stay on the safe side.
            for a in args {
                direct_names(a, out);
            }
        }
        Ty::Option(t) => direct_names(t, out),
        _ => {}
    }
}

/// Makes every map key a type the map can use: JSON object keys are text, so a .NET key that
/// has no Rust key type (a class, a collection, a float, a type parameter) is kept as the
/// text on the wire, a `String`. `HashMap` needs `Eq + Hash` of its keys, `BTreeMap` `Ord`,
/// which generated enums (and time spans) do not have.
fn string_map_keys(items: &mut [Item], map_type: MapType) {
    let enums: HashSet<String> = items
        .iter()
        .filter(|i| matches!(i.kind, ItemKind::Enum(_)))
        .map(|i| i.name.clone())
        .collect();
    let usable = |key: &Ty| match key {
        Ty::Prim(p) => !matches!(*p, "f32" | "f64"),
        Ty::Wire(WireKind::DateTime | WireKind::Guid) => true,
        Ty::Wire(WireKind::TimeSpan) => map_type == MapType::HashMap,
        Ty::Named(name, _) => map_type == MapType::HashMap && enums.contains(name),
        _ => false,
    };
    for item in items {
        if let ItemKind::Struct(s) = &mut item.kind {
            for f in &mut s.fields {
                fix_keys(&mut f.ty, &usable);
            }
        }
    }
}

fn fix_keys(ty: &mut Ty, usable: &impl Fn(&Ty) -> bool) {
    match ty {
        Ty::Map(key, value) => {
            // A JSON key is never null: `Dictionary<Int32?, V>` is keyed by the int.
            while let Ty::Option(inner) = &mut **key {
                let inner = std::mem::replace(&mut **inner, Ty::Json);
                **key = inner;
            }
            if !usable(key) {
                **key = Ty::Prim("String");
            }
            fix_keys(value, usable);
        }
        Ty::Vec(t) | Ty::Option(t) | Ty::Boxed(t) => fix_keys(t, usable),
        Ty::Named(_, args) | Ty::Runtime(_, args) => {
            for a in args {
                fix_keys(a, usable);
            }
        }
        Ty::Prim(_) | Ty::Bytes | Ty::Json | Ty::Param(_) | Ty::Wire(_) => {}
    }
}

/// Boxes every by-value reference between types of one strongly connected component, so
/// recursive types have a finite size. A required one also becomes optional: no finite value
/// has it, and `Default` (which `#[serde(default)]` calls for every value it reads) would
/// recurse until the stack overflows.
fn box_cycles(items: &mut [Item], index_of: &HashMap<String, usize>) {
    let n = items.len();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, item) in items.iter().enumerate() {
        if let ItemKind::Struct(s) = &item.kind {
            for f in &s.fields {
                let mut names = Vec::new();
                direct_names(&f.ty, &mut names);
                edges[i].extend(names.iter().filter_map(|n| index_of.get(*n)));
            }
        }
    }
    let component = tarjan(&edges);
    for i in 0..n {
        let ItemKind::Struct(s) = &mut items[i].kind else {
            continue;
        };
        for f in &mut s.fields {
            box_field(&mut f.ty, component[i], &component, index_of);
        }
    }
}

fn box_field(ty: &mut Ty, own: usize, component: &[usize], index_of: &HashMap<String, usize>) {
    box_value(ty, own, component, index_of);
    // A required field that had to be boxed (a regression: reading any JSON into such a type
    // overflowed the stack).
    if matches!(ty, Ty::Boxed(_)) {
        let boxed = std::mem::replace(ty, Ty::Json);
        *ty = Ty::Option(Box::new(boxed));
    }
}

fn box_value(ty: &mut Ty, own: usize, component: &[usize], index_of: &HashMap<String, usize>) {
    match ty {
        Ty::Option(inner) => box_value(inner, own, component, index_of),
        Ty::Named(..) => {
            // The generic's arguments count too: `C { wrapped: Wrapper<C> }` holds a C by value
            // when Wrapper holds its T so, though Wrapper itself is in no cycle.
            let mut names = Vec::new();
            direct_names(ty, &mut names);
            let cyclic = names
                .iter()
                .any(|name| index_of.get(*name).is_some_and(|&j| component[j] == own));
            if cyclic {
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
    use super::*;
    use crate::parse::parse_contract;

    fn space(json: &str) -> Result<TypeSpace, Error> {
        resolve(&parse_contract(json)?, &Options::default())
    }

    fn fields(space: &TypeSpace, name: &str) -> Vec<Field> {
        match &space.items.iter().find(|i| i.name == name).unwrap().kind {
            ItemKind::Struct(s) => s.fields.clone(),
            ItemKind::Enum(_) | ItemKind::Alias(_) => panic!("{name} is not a struct"),
        }
    }

    #[test]
    fn optionality_follows_the_servicestack_rule() {
        let s = space(
            r#"{"types":[{"name":"A","properties":[
                {"name":"S","type":"String"},
                {"name":"R","type":"String","isRequired":true},
                {"name":"N","type":"Int32","isValueType":true},
                {"name":"O","type":"Nullable`1","genericArgs":["Int32"],"isValueType":true},
                {"name":"Q","type":"Nullable`1","genericArgs":["Int32"],"isValueType":true,"isRequired":true}
            ]}]}"#,
        )
        .unwrap();
        let f = fields(&s, "A");
        let opt = |t: &str| {
            Ty::Option(Box::new(Ty::Prim(match t {
                "s" => "String",
                _ => "i32",
            })))
        };
        assert_eq!(f[0].ty, opt("s"));
        assert_eq!(f[1].ty, Ty::Prim("String"));
        assert_eq!(f[2].ty, Ty::Prim("i32"));
        assert_eq!(f[3].ty, opt("i"));
        assert_eq!(
            f[4].ty,
            opt("i"),
            "Nullable stays Option even when required"
        );
    }

    #[test]
    fn variables_of_every_route_are_required() {
        let s = space(
            r#"{"operations":[{"request":{"name":"Get","properties":[
                {"name":"SessionId","type":"String"},{"name":"Part","type":"String"},{"name":"Q","type":"String"}]},
              "routes":[{"path":"/s/{sessionId}/{Part*}"},{"path":"/s/{SESSIONID}"}]}]}"#,
        )
        .unwrap();
        let f = fields(&s, "Get");
        assert_eq!(f[0].ty, Ty::Prim("String"), "in every route");
        assert!(matches!(f[1].ty, Ty::Option(_)), "in one route only");
        assert!(matches!(f[2].ty, Ty::Option(_)), "in no route");
    }

    #[test]
    fn inheritance_is_inlined_base_first_with_generics_substituted() {
        let s = space(
            r#"{"types":[
                {"name":"Base`1","genericArgs":["T"],"properties":[{"name":"Items","type":"List`1","genericArgs":["T"]}]},
                {"name":"Entity","properties":[{"name":"Id","type":"String"}]}
              ],
              "operations":[{"request":{"name":"Find","inherits":{"name":"Base`1","genericArgs":["Entity"]},
                 "properties":[{"name":"Name","type":"String"}]},"method":"GET"}]}"#,
        )
        .unwrap();
        let f = fields(&s, "Find");
        assert_eq!(f[0].name, "items");
        assert_eq!(
            f[0].ty,
            Ty::Option(Box::new(Ty::Vec(Box::new(Ty::Named(
                "Entity".into(),
                vec![]
            )))))
        );
        assert_eq!(f[1].name, "name");
        let base = s.items.iter().find(|i| i.name == "Base").unwrap();
        assert!(matches!(&base.kind, ItemKind::Struct(b) if b.generics == ["T"]));
    }

    #[test]
    fn unused_generic_parameters_are_dropped() {
        let s = space(
            r#"{"types":[{"name":"Req`1","genericArgs":["T"],"properties":[{"name":"Skip","type":"Int32","isValueType":true}]},
                         {"name":"Uses","properties":[{"name":"R","type":"Req`1","genericArgs":["String"]}]}]}"#,
        )
        .unwrap();
        let f = fields(&s, "Uses");
        assert_eq!(
            f[0].ty,
            Ty::Option(Box::new(Ty::Named("Req".into(), vec![])))
        );
    }

    #[test]
    fn case_collisions_get_unique_names_and_keep_wire_names() {
        let s = space(
            r#"{"types":[{"name":"A","properties":[{"name":"Id","type":"String"},{"name":"ID","type":"String"},{"name":"type","type":"String"}]}]}"#,
        )
        .unwrap();
        let f = fields(&s, "A");
        assert_eq!((f[0].name.as_str(), f[0].wire_name.as_str()), ("id", "id"));
        assert_eq!(
            (f[1].name.as_str(), f[1].wire_name.as_str()),
            ("id_2", "ID")
        );
        assert_eq!(
            f[1].alias, None,
            "an alias equal to its wire name is dropped"
        );
        assert_eq!(f[2].name, "r#type");
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
            Ty::Option(Box::new(Ty::Boxed(Box::new(Ty::Named(
                "Node".into(),
                vec![]
            )))))
        );
        assert!(matches!(&node[1].ty, Ty::Option(v) if matches!(**v, Ty::Vec(_))));
        assert!(matches!(&fields(&s, "A")[0].ty, Ty::Option(b) if matches!(**b, Ty::Boxed(_))));
        assert!(matches!(&fields(&s, "B")[1].ty, Ty::Option(b) if matches!(**b, Ty::Named(..))));
    }

    /// Regression (fuzz target `generate`): a bare CR in a description stayed inside a doc
    /// line, which Rust rejects ("bare CR not allowed in doc-comment").
    #[test]
    fn doc_lines_break_at_every_line_ending() {
        assert_eq!(
            doc_lines(Some("The To ad\ress\r\nfor the\nsession\r")),
            ["The To ad", "ess", "for the", "session"]
        );
        assert_eq!(doc_lines(Some("  ```rust\n    code")), ["'''rust", "code"]);
        assert!(doc_lines(Some(" \r\n ")).is_empty());
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
            Ty::Option(Box::new(Ty::Named("A".into(), vec![])))
        );
        assert_eq!(
            fields(&s, "C")[0].ty,
            Ty::Option(Box::new(Ty::Named("B".into(), vec![])))
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
        assert_eq!(key(&s, "M", 5), Ty::Named("E".into(), vec![]));
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
        let boxed_wrapper = Ty::Boxed(Box::new(Ty::Named(
            "Wrapper".into(),
            vec![Ty::Named("C".into(), vec![])],
        )));
        // Required, but optional in Rust: see the next test.
        assert_eq!(c[0].ty, Ty::Option(Box::new(boxed_wrapper)));
        assert!(matches!(&c[1].ty, Ty::Named(n, _) if n == "Wrapper"));
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
        let boxed = |name: &str| {
            Ty::Option(Box::new(Ty::Boxed(Box::new(Ty::Named(
                name.into(),
                vec![],
            )))))
        };
        assert_eq!(fields(&s, "Node")[0].ty, boxed("Node"));
        assert_eq!(fields(&s, "A")[0].ty, boxed("B"));
        assert_eq!(fields(&s, "B")[0].ty, boxed("A"));
        // Not in the cycle: stays required.
        assert_eq!(fields(&s, "B")[1].ty, Ty::Named("Leaf".into(), vec![]));
    }

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
        let err =
            space(r#"{"operations":[{"request":{"name":"R"},"method":"FETCH"}]}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "operations[0].method: unknown HTTP method `FETCH`"
        );
    }

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

    #[test]
    fn servicestack_builtins_come_from_the_runtime() {
        // As real contracts carry them: QueryDb`1 inherits QueryBase, both in the ServiceStack
        // namespace; QueryResponse`1 is generic; Authenticate is an operation of its own.
        let s = space(
            r#"{"types":[
                {"name":"QueryBase","namespace":"ServiceStack","properties":[
                    {"name":"Skip","type":"Nullable`1","genericArgs":["Int32"],"isValueType":true},
                    {"name":"OrderBy","type":"String"}]},
                {"name":"QueryDb`1","namespace":"ServiceStack","genericArgs":["T"],
                 "inherits":{"name":"QueryBase","namespace":"ServiceStack"}},
                {"name":"QueryResponse`1","namespace":"ServiceStack","genericArgs":["T"],"properties":[
                    {"name":"Results","type":"List`1","genericArgs":["T"]}]},
                {"name":"Booking","namespace":"MyApp","properties":[{"name":"Id","type":"Int32","isValueType":true}]},
                {"name":"Page`1","namespace":"MyApp","genericArgs":["T"],"properties":[
                    {"name":"Inner","type":"QueryResponse`1","genericArgs":["T"]}]}
              ],
              "operations":[
                {"request":{"name":"QueryBookings","namespace":"MyApp",
                    "inherits":{"name":"QueryDb`1","namespace":"ServiceStack","genericArgs":["Booking"]},
                    "properties":[{"name":"Id","type":"Nullable`1","genericArgs":["Int32"],"isValueType":true}]},
                 "returnType":{"name":"QueryResponse`1","namespace":"ServiceStack","genericArgs":["Booking"]},
                 "method":"GET"},
                {"request":{"name":"Authenticate","namespace":"ServiceStack"},
                 "response":{"name":"AuthenticateResponse","namespace":"ServiceStack"},"method":"POST"},
                {"request":{"name":"CreateBooking","namespace":"MyApp"},
                 "returnType":{"name":"IdResponse","namespace":"ServiceStack"},"method":"POST"},
                {"request":{"name":"DeleteBooking","namespace":"MyApp"},
                 "returnType":{"name":"EmptyResponse"},"method":"DELETE"}
              ]}"#,
        )
        .unwrap();
        let names: Vec<&str> = s.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Booking",
                "Page",
                "QueryBookings",
                "CreateBooking",
                "DeleteBooking"
            ]
        );
        // Inherited members are still inlined, base first.
        let f = fields(&s, "QueryBookings");
        let wire: Vec<&str> = f.iter().map(|f| f.wire_name.as_str()).collect();
        assert_eq!(wire, ["skip", "orderBy", "id"]);
        let booking = Ty::Named("Booking".into(), vec![]);
        let response = |op: &str| {
            s.operations
                .iter()
                .find(|o| o.name == op)
                .map(|o| o.response.clone())
        };
        assert_eq!(
            response("QueryBookings"),
            Some(Response::Typed(Ty::Runtime(
                "ssdto::QueryResponse",
                vec![booking]
            )))
        );
        assert_eq!(
            response("CreateBooking"),
            Some(Response::Typed(Ty::Runtime("ssdto::IdResponse", vec![])))
        );
        assert_eq!(
            response("DeleteBooking"),
            Some(Response::Typed(Ty::Runtime("ssdto::EmptyResponse", vec![])))
        );
        // The runtime implements Request for Authenticate itself.
        assert_eq!(response("Authenticate"), None);
        // A generic parameter used only through a runtime type is still in use.
        let page = s.items.iter().find(|i| i.name == "Page").unwrap();
        assert!(matches!(&page.kind, ItemKind::Struct(p) if p.generics == ["T"]));
        assert_eq!(
            fields(&s, "Page")[0].ty,
            Ty::Option(Box::new(Ty::Runtime(
                "ssdto::QueryResponse",
                vec![Ty::Param("T".into())]
            )))
        );
    }

    #[test]
    fn builtin_names_in_other_namespaces_stay_the_contracts() {
        let s = space(
            r#"{"types":[{"name":"IdResponse","namespace":"MyApp","properties":[{"name":"Id","type":"Int32","isValueType":true}]}],
                "operations":[{"request":{"name":"Create","namespace":"MyApp"},"returnType":{"name":"IdResponse","namespace":"MyApp"},"method":"POST"},
                              {"request":{"name":"Login","namespace":"MyApp","properties":[{"name":"Auth","type":"AuthenticateResponse"}]},"method":"POST"}]}"#,
        )
        .unwrap();
        assert!(s.items.iter().any(|i| i.name == "IdResponse"));
        assert_eq!(
            s.operations[0].response,
            Response::Typed(Ty::Named("IdResponse".into(), vec![]))
        );
        // Referenced but not defined: the runtime's.
        assert_eq!(
            fields(&s, "Login")[0].ty,
            Ty::Option(Box::new(Ty::Runtime("ssdto::AuthenticateResponse", vec![])))
        );
    }

    #[test]
    fn enums_keep_wire_values_and_numbers() {
        let s = space(
            r#"{"types":[{"name":"E","isEnum":true,"enumNames":["None","Unknown","Value"],"enumValues":["0","1","5"],"enumMemberValues":["","unk",""]}]}"#,
        )
        .unwrap();
        let ItemKind::Enum(e) = &s.items[0].kind else {
            panic!()
        };
        assert_eq!(e.members[1].wire, "unk");
        assert_eq!(e.members[2].value, 5);
        assert_eq!(e.unknown, "Unknown2");
    }

    /// Regression: substituting generic arguments down an inheritance chain compounded the
    /// nesting of legal (31 deep) type text level after level, until emitting overflowed the
    /// stack. Found by a property test of hostile contracts.
    #[test]
    fn generic_nesting_compounded_by_inheritance_is_bounded() {
        let nest = |inner: &str, depth: usize| {
            format!("{}{inner}{}", "List<".repeat(depth), ">".repeat(depth))
        };
        let contract = |levels: usize| {
            let mut types = vec![serde_json::json!({
                "name": "G0`1", "genericArgs": ["T"], "isGenericTypeDef": true,
                "properties": [{"name": "X", "type": nest("T", 20)}]
            })];
            for i in 1..levels {
                types.push(serde_json::json!({
                    "name": format!("G{i}`1"), "genericArgs": ["T"], "isGenericTypeDef": true,
                    "inherits": {"name": format!("G{}`1", i - 1), "genericArgs": [nest("T", 10)]}
                }));
            }
            types.push(serde_json::json!({
                "name": "Leaf",
                "inherits": {"name": format!("G{}`1", levels - 1), "genericArgs": ["String"]}
            }));
            serde_json::json!({ "types": types }).to_string()
        };
        // 20 + 10 levels of List plus the String: within the limit.
        let ok = space(&contract(2)).unwrap();
        assert!(matches!(&fields(&ok, "Leaf")[0].ty, Ty::Option(_)));
        let err = space(&contract(60)).unwrap_err();
        assert!(matches!(err, Error::TypeText { .. }), "{err}");
        assert!(err.to_string().contains("nest deeper than 32"), "{err}");
    }
}
