//! The one adapter between the generator's resolved model and the diff: a resolved contract
//! becomes a [`Surface`], plain data holding exactly what the generated code shows users and
//! the wire (Rust names, wire names, optionality, shapes, routes, verbs, auth, response
//! types), and nothing about how the generator got there.
//!
//! Everything else under `diff/` reads a `Surface` only, so a new resolved model needs only
//! this file ported.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::emit::{self, Spelling};
use crate::error::Error;
use crate::model::{ItemKind, Response, RouteDef, Ty, TypeSpace, WireKind};
use crate::parse::{MetadataOperationType, MetadataPropertyType, MetadataTypes};

/// One version of a contract, as the diff sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Surface {
    /// Generated types by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// Operations by name (`/api/{name}`).
    pub operations: BTreeMap<String, OpDef>,
    /// Whether the code has a `Service` trait, whose implementations build response types.
    pub server: bool,
}

/// A generated type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Where the contract defines it, when known.
    pub path: Option<String>,
    /// Struct or enum.
    pub kind: Kind,
}

/// What a type is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A struct, with its type parameters and fields in order.
    Struct {
        generics: Vec<String>,
        fields: Vec<FieldDef>,
    },
    /// An enum: `int` ones travel as numbers, others as strings.
    Enum { int: bool, members: Vec<MemberDef> },
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldDef {
    /// The Rust field name.
    pub name: String,
    /// The name written on the wire.
    pub wire: String,
    /// Another name the generated code reads (the .NET name: code from ssdto before
    /// `ssdto::deserialize_fields!`, where serde matched names exactly).
    pub alias: Option<String>,
    /// Whether the generated code reads the name in any case, as ServiceStack does
    /// (`ssdto::deserialize_fields!`).
    pub caseless: bool,
    /// The type inside the field's `Option`, if any.
    pub shape: Shape,
    /// Whether the Rust field is an `Option` (skipped when `None`).
    pub optional: bool,
    /// Whether the contract requires a value (`isRequired`, or a variable of every route).
    pub required: bool,
    /// The field's Rust type as the generated code spells it.
    pub rust: String,
    /// Where the contract declares it, when known.
    pub path: Option<String>,
}

/// An enum member.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MemberDef {
    /// The Rust variant.
    pub name: String,
    /// The string on the wire (string enums).
    pub wire: String,
    /// The number on the wire (`int` enums).
    pub value: i64,
    /// Where the contract declares it, when known.
    pub path: Option<String>,
}

/// An operation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OpDef {
    /// The operation name.
    pub name: String,
    /// The Rust name of its request type.
    pub request: String,
    /// The verb clients use.
    pub method: String,
    /// The verbs the service implements; empty means any.
    pub accepts: Vec<String>,
    /// Declared routes: path and verbs (empty: any).
    pub routes: Vec<(String, Vec<String>)>,
    /// The response type; `None` for a void operation.
    pub response: Option<Shape>,
    /// The response type as the generated code spells it.
    pub response_rust: String,
    /// Authentication and authorization the service demands.
    pub auth: Auth,
    /// Where the contract declares it, when known.
    pub path: Option<String>,
}

/// What a caller must present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Auth {
    /// `[Authenticate]`.
    pub required: bool,
    /// `[RequiredRole]`: all of them.
    pub roles: Vec<String>,
    /// `[RequiresAnyRole]`: one of them.
    pub any_roles: Vec<String>,
    /// `[RequiredPermission]`: all of them.
    pub permissions: Vec<String>,
    /// `[RequiresAnyPermission]`: one of them.
    pub any_permissions: Vec<String>,
}

/// A field's type, structurally, with the distinctions the wire makes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Shape {
    Bool,
    Char,
    String,
    /// An integer: signed, bits.
    Int(bool, u8),
    /// A float: bits.
    Float(u8),
    /// Base64 bytes.
    Bytes,
    /// Any JSON.
    Json,
    DateTime,
    TimeSpan,
    Guid,
    List(Box<Shape>),
    Map(Box<Shape>, Box<Shape>),
    /// `Option` inside another type (`Vec<Option<i32>>`).
    Option(Box<Shape>),
    /// `Box`: no difference on the wire.
    Boxed(Box<Shape>),
    /// A generated type by Rust name, with arguments.
    Named(String, Vec<Shape>),
    /// A type parameter.
    Param(String),
    /// A type of the runtime crate, by path, with arguments.
    Runtime(String, Vec<Shape>),
}

impl Shape {
    /// The shapes directly inside this one: arguments, items, keys and values.
    fn children_mut(&mut self) -> Vec<&mut Shape> {
        match self {
            Shape::List(t) | Shape::Option(t) | Shape::Boxed(t) => vec![&mut **t],
            Shape::Map(k, v) => vec![&mut **k, &mut **v],
            Shape::Named(_, args) | Shape::Runtime(_, args) => args.iter_mut().collect(),
            _ => Vec::new(),
        }
    }

    /// The shapes directly inside this one, to read.
    fn children(&self) -> Vec<&Shape> {
        match self {
            Shape::List(t) | Shape::Option(t) | Shape::Boxed(t) => vec![&**t],
            Shape::Map(k, v) => vec![&**k, &**v],
            Shape::Named(_, args) | Shape::Runtime(_, args) => args.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// Calls `f` on this shape and every shape inside it, outermost first.
    pub(crate) fn visit(&self, f: &mut impl FnMut(&Shape)) {
        f(self);
        for child in self.children() {
            child.visit(f);
        }
    }

    /// [`Shape::visit`], for passes that rewrite shapes in place.
    pub(crate) fn visit_mut(&mut self, f: &mut impl FnMut(&mut Shape)) {
        f(self);
        for child in self.children_mut() {
            child.visit_mut(f);
        }
    }
}

impl std::fmt::Display for Shape {
    /// The .NET-ish name of what travels, for reports.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |f: &mut std::fmt::Formatter<'_>, args: &[Shape]| -> std::fmt::Result {
            if args.is_empty() {
                return Ok(());
            }
            f.write_str("<")?;
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{a}")?;
            }
            f.write_str(">")
        };
        match self {
            Shape::Bool => f.write_str("bool"),
            Shape::Char => f.write_str("char"),
            Shape::String => f.write_str("string"),
            Shape::Int(signed, bits) => write!(f, "{}{bits}", if *signed { "i" } else { "u" }),
            Shape::Float(bits) => write!(f, "f{bits}"),
            Shape::Bytes => f.write_str("bytes"),
            Shape::Json => f.write_str("any JSON"),
            Shape::DateTime => f.write_str("DateTime"),
            Shape::TimeSpan => f.write_str("TimeSpan"),
            Shape::Guid => f.write_str("Guid"),
            Shape::List(t) => write!(f, "list of {t}"),
            Shape::Map(k, v) => write!(f, "map of {k} to {v}"),
            Shape::Option(t) => write!(f, "{t} or null"),
            Shape::Boxed(t) => write!(f, "{t}"),
            Shape::Named(n, args) | Shape::Runtime(n, args) => {
                f.write_str(n)?;
                list(f, args)
            }
            Shape::Param(p) => f.write_str(p),
        }
    }
}

impl Shape {
    /// A Rust primitive's shape, by name.
    pub fn primitive(name: &str) -> Option<Shape> {
        Some(match name {
            "bool" => Shape::Bool,
            "char" => Shape::Char,
            "String" => Shape::String,
            "f32" => Shape::Float(32),
            "f64" => Shape::Float(64),
            other => {
                let (signed, bits) = other.split_at(1);
                let signed = match signed {
                    "i" => true,
                    "u" => false,
                    _ => return None,
                };
                Shape::Int(signed, bits.parse().ok()?)
            }
        })
    }
}

/// Reads a resolved contract: `space` resolved from `contract` with `server` telling whether
/// the code has a `Service` trait.
///
/// The verbs a service implements (`actions`) are not in the resolved model, so they are read
/// from the parsed operation here; so is `isRequired`, which the resolved model folds into
/// optionality together with .NET value types and route variables.
pub(crate) fn from_resolved(
    space: &TypeSpace,
    contract: &MetadataTypes,
    server: bool,
) -> Result<Surface, Error> {
    let spelling = Spelling::of(space);
    let properties = properties_by_path(contract);
    let ops_by_request: HashMap<&str, (usize, &MetadataOperationType)> = contract
        .operations
        .iter()
        .enumerate()
        .rev()
        .map(|(i, op)| (op.request.name.as_str(), (i, op)))
        .collect();
    let mut surface = Surface {
        server,
        ..Surface::default()
    };
    // A request type's route variables are required: it cannot be sent on its routes without.
    let mut route_vars: Vec<Option<HashSet<String>>> = vec![None; space.items.len()];
    for op in &space.operations {
        route_vars[op.request.index()] = Some(RouteDef::variables_in_all(&op.routes));
    }
    for (item, vars) in space.items.iter().zip(&route_vars) {
        let kind = match &item.kind {
            // As the generated-code reader (`code.rs`) sees them: a name the contract does not
            // define, and a class that travels as the .NET collection it inherits, have no
            // members of their own to compare.
            ItemKind::Alias(_) => continue,
            ItemKind::Struct(s) if s.transparent => continue,
            ItemKind::Struct(s) => {
                let mut fields = Vec::with_capacity(s.fields.len());
                for f in &s.fields {
                    let prop = properties.get(f.path.as_str()).copied();
                    let (optional, inner) = match &f.ty {
                        Ty::Option(inner) => (true, &**inner),
                        other => (false, other),
                    };
                    let in_route = match (vars.as_ref(), prop) {
                        (Some(vars), Some(p)) => vars.contains(&p.name.to_lowercase()),
                        _ => false,
                    };
                    fields.push(FieldDef {
                        name: f.name.clone(),
                        wire: f.wire_name.clone(),
                        alias: None,
                        caseless: true,
                        shape: shape(inner, space),
                        optional,
                        required: in_route || prop.is_some_and(declared_required),
                        rust: spelled(emit::field_type(&f.ty, spelling)?.0),
                        path: Some(f.path.clone()),
                    });
                }
                Kind::Struct {
                    generics: s.generics.clone(),
                    fields,
                }
            }
            ItemKind::Enum(e) => Kind::Enum {
                int: e.int,
                members: e
                    .members
                    .iter()
                    .map(|m| MemberDef {
                        name: m.name.clone(),
                        wire: m.wire.clone(),
                        value: m.value,
                        path: Some(m.path.clone()),
                    })
                    .collect(),
            },
        };
        surface.types.insert(
            item.name.clone(),
            TypeDef {
                name: item.name.clone(),
                path: Some(item.path.clone()),
                kind,
            },
        );
    }
    for op in &space.operations {
        let parsed = ops_by_request.get(op.name.as_str()).copied();
        let (response, response_rust) = match &op.response {
            Response::Void => (None, "ssdto::Void".to_owned()),
            Response::Untyped => (Some(Shape::Json), "serde_json::Value".to_owned()),
            Response::Typed(ty) => (
                Some(shape(ty, space)),
                spelled(emit::rust_type(ty, spelling)?),
            ),
        };
        let accepts = match parsed.and_then(|(_, p)| p.actions.as_deref()) {
            Some(actions) if !actions.is_empty() => verbs(actions),
            _ => vec![op.method.as_str().to_owned()],
        };
        let auth = Auth {
            required: op.auth.requires_auth,
            roles: op.auth.required_roles.clone(),
            any_roles: op.auth.requires_any_role.clone(),
            permissions: op.auth.required_permissions.clone(),
            any_permissions: op.auth.requires_any_permission.clone(),
        };
        // The first operation of a name is the one that is generated.
        surface
            .operations
            .entry(op.name.clone())
            .or_insert_with(|| OpDef {
                name: op.name.clone(),
                request: space.item(op.request).name.clone(),
                method: op.method.as_str().to_owned(),
                accepts,
                routes: op
                    .routes
                    .iter()
                    .map(|r| {
                        let verbs = r.verbs.iter().map(|v| v.as_str().to_owned()).collect();
                        (r.path.clone(), verbs)
                    })
                    .collect(),
                response,
                response_rust,
                auth,
                path: parsed.map(|(i, _)| format!("operations[{i}]")),
            });
    }
    Ok(surface)
}

/// ServiceStack's `isRequired`: a non-nullable reference type, `[Required]`,
/// `[ApiMember(IsRequired = true)]` or a `[ValidateNotNull]`/`[ValidateNotEmpty]` validator
/// (`MetadataTypes.cs` `ToMetadataPropertyType`, `NativeTypesMetadata.ToProperty`).
fn declared_required(p: &MetadataPropertyType) -> bool {
    p.is_required == Some(true) || p.data_member.as_ref().and_then(|d| d.is_required) == Some(true)
}

/// Upper-case verbs; `ANY` (or nothing) means any verb: an empty list.
fn verbs(actions: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in actions {
        let verb = a.trim().to_ascii_uppercase();
        if verb == "ANY" || verb == "*" {
            return Vec::new();
        }
        if !verb.is_empty() && !out.contains(&verb) {
            out.push(verb);
        }
    }
    out
}

/// Every property of the contract by the path the resolved model records.
fn properties_by_path<'c>(
    contract: &'c MetadataTypes,
) -> HashMap<String, &'c MetadataPropertyType> {
    let mut out = HashMap::new();
    let mut add = |prefix: String, props: &'c Option<Vec<MetadataPropertyType>>| {
        for (j, p) in props.iter().flatten().enumerate() {
            out.insert(format!("{prefix}.properties[{j}]"), p);
        }
    };
    for (i, t) in contract.types.iter().enumerate() {
        add(format!("types[{i}]"), &t.properties);
    }
    for (i, op) in contract.operations.iter().enumerate() {
        add(format!("operations[{i}].request"), &op.request.properties);
        if let Some(r) = &op.response {
            add(format!("operations[{i}].response"), &r.properties);
        }
    }
    out
}

fn shape(ty: &Ty, space: &TypeSpace) -> Shape {
    let all = |args: &[Ty]| args.iter().map(|a| shape(a, space)).collect();
    match ty {
        Ty::Prim(p) => {
            Shape::primitive(p).unwrap_or_else(|| Shape::Runtime((*p).to_owned(), vec![]))
        }
        Ty::Bytes => Shape::Bytes,
        Ty::Json => Shape::Json,
        Ty::Vec(t) => Shape::List(Box::new(shape(t, space))),
        Ty::Map(k, v) => Shape::Map(Box::new(shape(k, space)), Box::new(shape(v, space))),
        Ty::Option(t) => Shape::Option(Box::new(shape(t, space))),
        Ty::Boxed(t) => Shape::Boxed(Box::new(shape(t, space))),
        Ty::Named(id, args) => Shape::Named(space.item(*id).name.clone(), all(args)),
        Ty::External(name, args) => Shape::Named(name.clone(), all(args)),
        Ty::Param(p) => Shape::Param(p.clone()),
        Ty::Runtime(path, args) => Shape::Runtime((*path).to_owned(), all(args)),
        Ty::Wire(WireKind::DateTime) => Shape::DateTime,
        Ty::Wire(WireKind::TimeSpan) => Shape::TimeSpan,
        Ty::Wire(WireKind::Guid) => Shape::Guid,
    }
}

/// Rust type tokens as text, spaced as rustfmt spaces them (`HashMap<String, Vec<i32>>`).
/// [`rust_text`] of a type as emit spells it (`Option<::std::collections::HashMap<K, V>>`):
/// the same text without the paths' leading `::`.
fn spelled(text: String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    let mut path_start = true;
    while let Some(c) = rest.chars().next() {
        if path_start && rest.starts_with("::") {
            rest = &rest[2..];
            continue;
        }
        out.push(c);
        path_start = matches!(c, '<' | ' ');
        rest = &rest[c.len_utf8()..];
    }
    out
}

pub(crate) fn rust_text(tokens: &proc_macro2::TokenStream) -> String {
    // `::ssdto::Void` and `ssdto::Void` name the same type: generated code qualifies paths from
    // the crate root, older output did not.
    let text = tokens.to_string();
    let text = text.strip_prefix(":: ").unwrap_or(&text);
    text.replace("< :: ", "< ")
        .replace(", :: ", ", ")
        .replace("& :: ", "& ")
        .replace("[:: ", "[")
        .replace("( :: ", "( ")
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
        // A long type formatted over several lines ends its arguments with a comma.
        .replace(",>", ">")
}
