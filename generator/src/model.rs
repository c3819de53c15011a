//! The model: plain data that [`crate::resolve`] builds from a contract and `emit` reads.
//!
//! Items live in one [`TypeSpace`] and refer to each other by [`TypeId`] (an index into
//! [`TypeSpace::items`]), as typify's type space does, so no pass rebuilds a name-to-item map.
//! Descriptions, routes and auth requirements are kept as data: emit writes the doc text.
//! Every pass walks a [`Ty`] through [`Ty::walk`] / [`Ty::walk_mut`].

use std::collections::{BTreeSet, HashSet};

use ssdto_protocol::{Method, RouteTemplate};

use crate::options::{DateType, GuidType, MapType};
use crate::warning::Warning;

/// An item of the [`TypeSpace`], by its position in [`TypeSpace::items`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub(crate) usize);

impl TypeId {
    /// The position in [`TypeSpace::items`].
    pub fn index(self) -> usize {
        self.0
    }
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
    /// An item of the type space, with generic arguments.
    Named(TypeId, Vec<Ty>),
    /// A contract type that IncludeTypes/ExcludeTypes left out, by its Rust name, with
    /// generic arguments as written: the user provides it.
    External(String, Vec<Ty>),
    /// A type parameter of the enclosing item.
    Param(String),
    /// A type the runtime crate provides, by path, with generic arguments.
    Runtime(&'static str, Vec<Ty>),
    /// A .NET date, time span or Guid; how it is spelled in Rust is an emit option
    /// (`DateType`, `GuidType`).
    Wire(WireKind),
}

/// What a [`Ty::walk`] visitor wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// Visit the types inside this one.
    Descend,
    /// Leave the types inside this one out.
    Skip,
}

impl Ty {
    /// The types directly inside this one, in order (a map's key, then its value).
    pub fn children(&self) -> impl Iterator<Item = &Ty> {
        let (one, two, args): (Option<&Ty>, Option<&Ty>, &[Ty]) = match self {
            Ty::Vec(t) | Ty::Option(t) | Ty::Boxed(t) => (Some(t), None, &[]),
            Ty::Map(k, v) => (Some(k), Some(v), &[]),
            Ty::Named(_, args) | Ty::External(_, args) | Ty::Runtime(_, args) => (None, None, args),
            Ty::Prim(_) | Ty::Bytes | Ty::Json | Ty::Param(_) | Ty::Wire(_) => (None, None, &[]),
        };
        one.into_iter().chain(two).chain(args)
    }

    /// [`Ty::children`], mutably.
    pub fn children_mut(&mut self) -> impl Iterator<Item = &mut Ty> {
        let (one, two, args): (Option<&mut Ty>, Option<&mut Ty>, &mut [Ty]) = match self {
            Ty::Vec(t) | Ty::Option(t) | Ty::Boxed(t) => (Some(t), None, &mut []),
            Ty::Map(k, v) => (Some(k), Some(v), &mut []),
            Ty::Named(_, args) | Ty::External(_, args) | Ty::Runtime(_, args) => (None, None, args),
            Ty::Prim(_) | Ty::Bytes | Ty::Json | Ty::Param(_) | Ty::Wire(_) => {
                (None, None, &mut [])
            }
        };
        one.into_iter().chain(two).chain(args.iter_mut())
    }

    /// Visits this type, then (unless `visit` says [`Walk::Skip`]) the types inside it, depth
    /// first. Iterative, so a deeply nested type cannot exhaust the stack.
    pub fn walk<'a>(&'a self, mut visit: impl FnMut(&'a Ty) -> Walk) {
        let mut stack = vec![self];
        while let Some(ty) = stack.pop() {
            if visit(ty) == Walk::Descend {
                let start = stack.len();
                stack.extend(ty.children());
                stack[start..].reverse();
            }
        }
    }

    /// Visits this type, then (unless `visit` says [`Walk::Skip`]) the types inside it as
    /// `visit` left them, depth first. Recursive: type text is at most 32 levels deep (see
    /// [`crate::typetext`]), and resolution adds a few wrappers at most.
    pub fn walk_mut(&mut self, mut visit: impl FnMut(&mut Ty) -> Walk) {
        fn go(ty: &mut Ty, visit: &mut impl FnMut(&mut Ty) -> Walk) {
            if visit(ty) == Walk::Descend {
                for child in ty.children_mut() {
                    go(child, visit);
                }
            }
        }
        go(self, &mut visit);
    }

    /// Whether this type or any type inside it satisfies `pred`.
    pub fn any(&self, mut pred: impl FnMut(&Ty) -> bool) -> bool {
        let mut found = false;
        self.walk(|t| {
            found = found || pred(t);
            if found {
                Walk::Skip
            } else {
                Walk::Descend
            }
        });
        found
    }
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

/// How a service's result of this type is written as a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// Serialized in the requested format (JSON).
    Dto,
    /// The text itself (`text/plain`).
    Text,
    /// The bytes themselves (`application/octet-stream`).
    Bytes,
}

/// A generated struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The JSON name ServiceStack writes.
    pub wire_name: String,
    /// The field type; optional fields are already wrapped in [`Ty::Option`].
    pub ty: Ty,
    /// The contract's description.
    pub description: Option<String>,
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
    /// The type that declares it, shared by all the fields it declares (one copy per field
    /// was a large part of resolving a big contract).
    pub declared_in: std::sync::Arc<TypeOrigin>,
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
    /// The contract's description.
    pub description: Option<String>,
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
    /// The contract's description.
    pub description: Option<String>,
    /// The contract's notes.
    pub notes: Option<String>,
    /// Struct or enum.
    pub kind: ItemKind,
    /// Where the type is defined, e.g. `types[3]` or `operations[0].request`.
    pub path: String,
    /// The .NET type behind the item.
    pub origin: TypeOrigin,
    /// The operation (index into [`TypeSpace::operations`]) this item is the request of.
    pub operation: Option<usize>,
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
    /// The path template as the contract writes it.
    pub path: String,
    /// The template, parsed by the rules the runtime serves it by.
    pub template: RouteTemplate,
    /// The verbs; empty means any.
    pub verbs: Vec<Method>,
}

impl RouteDef {
    /// The variables (lowercased) that appear in every one of `routes`: ServiceStack binds
    /// `{Var}`, `{Var*}` and `{**Var}` case-insensitively to the property of that name, so
    /// a request cannot be sent on its routes without them. None without routes.
    pub fn variables_in_all(routes: &[RouteDef]) -> HashSet<String> {
        let vars = |r: &RouteDef| -> HashSet<String> {
            r.template.variables().map(str::to_lowercase).collect()
        };
        let mut routes = routes.iter();
        let Some(first) = routes.next() else {
            return HashSet::new();
        };
        routes.fold(vars(first), |acc, r| {
            let next = vars(r);
            acc.intersection(&next).cloned().collect()
        })
    }
}

/// An operation, implemented on its request type.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The request type.
    pub request: TypeId,
    /// The operation name on the wire (`/api/{name}`).
    pub name: String,
    /// The verb clients use.
    pub method: Method,
    /// Declared routes that the runtime serves.
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

impl AuthRequirements {
    /// Whether anything is required of a caller.
    pub fn is_protected(&self) -> bool {
        self.requires_auth
            || !self.required_roles.is_empty()
            || !self.requires_any_role.is_empty()
            || !self.required_permissions.is_empty()
            || !self.requires_any_permission.is_empty()
    }
}

/// Everything emit needs, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeSpace {
    /// Items in output order; a [`TypeId`] is a position here.
    pub items: Vec<Item>,
    /// Operations in contract order.
    pub operations: Vec<Operation>,
    /// How maps are spelled.
    pub map_type: MapType,
    /// How [`Ty::Wire`] dates and time spans are spelled.
    pub date_type: DateType,
    /// How [`Ty::Wire`] Guids are spelled.
    pub guid_type: GuidType,
    /// Whether contract descriptions become rustdoc.
    pub descriptions: bool,
    /// The contract names of the types IncludeTypes/ExcludeTypes keep (requests and responses
    /// included, ServiceStack's own types too).
    pub selected: BTreeSet<String>,
    /// What the generator did about input it does not fully understand, in contract order.
    pub warnings: Vec<Warning>,
    /// The .NET names that became `serde_json::Value` aliases, in order of first use.
    pub undefined_types: Vec<String>,
}

impl TypeSpace {
    /// The item with this id.
    pub fn item(&self, id: TypeId) -> &Item {
        &self.items[id.0]
    }

    /// The operation whose request is `item`, if any.
    pub fn operation_of(&self, item: &Item) -> Option<&Operation> {
        item.operation.and_then(|i| self.operations.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s() -> Ty {
        Ty::Prim("String")
    }

    #[test]
    fn walks_visit_every_type_in_order_and_can_skip() {
        let ty = Ty::Option(Box::new(Ty::Map(
            Box::new(s()),
            Box::new(Ty::Named(
                TypeId(0),
                vec![Ty::Vec(Box::new(Ty::Param("T".into()))), Ty::Json],
            )),
        )));
        let mut seen = Vec::new();
        ty.walk(|t| {
            seen.push(match t {
                Ty::Option(_) => "option",
                Ty::Map(..) => "map",
                Ty::Prim(_) => "prim",
                Ty::Named(..) => "named",
                Ty::Vec(_) => "vec",
                Ty::Param(_) => "param",
                Ty::Json => "json",
                _ => "other",
            });
            if matches!(t, Ty::Vec(_)) {
                Walk::Skip
            } else {
                Walk::Descend
            }
        });
        assert_eq!(seen, ["option", "map", "prim", "named", "vec", "json"]);
        assert!(ty.any(|t| matches!(t, Ty::Param(p) if p == "T")));
        assert!(!ty.any(|t| matches!(t, Ty::Bytes)));
    }

    #[test]
    fn walk_mut_descends_into_what_the_visitor_left() {
        let mut ty = Ty::Vec(Box::new(Ty::Option(Box::new(Ty::Option(Box::new(s()))))));
        // Unwrap every Option, then the walk continues inside the replacement.
        ty.walk_mut(|t| {
            while let Ty::Option(inner) = t {
                *t = std::mem::replace(&mut **inner, Ty::Json);
            }
            Walk::Descend
        });
        assert_eq!(ty, Ty::Vec(Box::new(s())));
    }
}
