//! Reads a file that ssdto generated back into a [`Surface`].
//!
//! `ssdto update` needs what the file looked like before it is rewritten, and a generated file
//! does not keep the contract it came from (its source now holds the new version): the old
//! code is the only record of the old contract. The generated code shows everything the diff
//! compares except three contract facts, which this reader approximates:
//! - `isRequired`: a field that is not an `Option` counts as required unless its type can be a
//!   .NET value type (numbers, `bool`, `char`, dates, Guids, enums), whose fields are never
//!   `Option` anyway;
//! - the verbs a service implements: only the verb clients use (so a changed verb counts as
//!   breaking);
//! - contract paths: changes name Rust items instead;
//! - `requiresAnyRole`/`requiresAnyPermission`, which the rustdoc does not note (all-of roles
//!   and permissions it does).
//!
//! `tests::code_reader_agrees_with_the_resolved_model` checks this reader against
//! [`super::surface`] on every committed contract, so a change to emit that the reader does
//! not follow fails there.

use std::collections::{HashMap, HashSet};

use quote::ToTokens;
use syn::{Attribute, Expr, Fields, GenericArgument, ImplItem, Item, Lit, PathArguments, Type};

use super::surface::{rust_text, Auth, FieldDef, Kind, MemberDef, OpDef, Shape, Surface, TypeDef};
use crate::error::Error;

/// Reads generated code; `what` names the file in errors.
pub(crate) fn read(text: &str, what: &str) -> Result<Surface, Error> {
    let file = syn::parse_file(text).map_err(|e| Error::Invalid {
        path: what.to_owned(),
        message: format!("not Rust that ssdto generated: {e}"),
    })?;
    let mut reader = Reader {
        shadowed: prelude_names_defined(&file.items),
        ..Reader::default()
    };
    reader.items(&file.items);
    Ok(reader.finish())
}

/// The standard library type names the file defines types of: there, the bare name is the
/// file's own type, and the standard one is spelled in full (`::core::option::Option`).
fn prelude_names_defined(items: &[Item]) -> Vec<String> {
    const PRELUDE: &[&str] = &["Option", "Vec", "Box", "String", "HashMap", "BTreeMap"];
    let mut names = Vec::new();
    for item in items {
        let name = match item {
            Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    names.extend(prelude_names_defined(inner));
                }
                continue;
            }
            Item::Struct(s) => s.ident.to_string(),
            Item::Enum(e) => e.ident.to_string(),
            Item::Type(t) => t.ident.to_string(),
            Item::Macro(m) => match macro_enum(m) {
                Some(e) => e.ident.to_string(),
                None => continue,
            },
            _ => continue,
        };
        if PRELUDE.contains(&name.as_str()) {
            names.push(name);
        }
    }
    names
}

#[derive(Default)]
struct Reader {
    /// See [`prelude_names_defined`].
    shadowed: Vec<String>,
    surface: Surface,
    /// Doc text of each struct, where operations note their auth.
    docs: HashMap<String, String>,
    /// Wire values (string enums) or numbers (int enums) by enum and variant.
    wires: HashMap<(String, String), String>,
    values: HashMap<(String, String), i64>,
    /// Structs read by an `ssdto::deserialize_fields!` call: names in any case.
    caseless: HashSet<String>,
}

impl Reader {
    fn items(&mut self, items: &[Item]) {
        for item in items {
            match item {
                // `GlobalNamespace` wraps everything in one module.
                Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        self.items(inner);
                    }
                }
                Item::Struct(s) => self.structure(s),
                Item::Enum(e) => self.enumeration(e),
                Item::Macro(m) => {
                    if let Some(e) = macro_enum(m) {
                        self.enumeration(&e);
                        self.discriminants(&e);
                    } else if let Some(name) = fields_call_of(m) {
                        self.caseless.insert(name);
                    }
                }
                Item::Impl(i) => self.implementation(i),
                Item::Trait(t) if t.ident == "Service" => self.surface.server = true,
                _ => {}
            }
        }
    }

    fn structure(&mut self, s: &syn::ItemStruct) {
        let name = s.ident.to_string();
        let generics: Vec<String> = s
            .generics
            .type_params()
            .map(|p| p.ident.to_string())
            .collect();
        let Fields::Named(named) = &s.fields else {
            return;
        };
        let mut fields = Vec::new();
        for f in &named.named {
            let Some(ident) = &f.ident else { continue };
            let rust_name = ident.to_string();
            let serde = serde_args(&f.attrs);
            let (optional, inner) = match option_inner(&f.ty, &self.shadowed) {
                Some(inner) => (true, inner),
                None => (false, &f.ty),
            };
            let shape = type_shape(inner, &generics, &self.shadowed);
            fields.push(FieldDef {
                wire: serde
                    .get("rename")
                    .cloned()
                    .unwrap_or_else(|| crate::naming::serde_camel_case(&rust_name)),
                alias: serde.get("alias").cloned(),
                // Settled in `finish`, once it is known which structs have the call.
                caseless: false,
                // Settled in `finish`, once it is known which named types are enums.
                required: !optional,
                optional,
                shape,
                rust: rust_text(&f.ty.to_token_stream()),
                name: rust_name,
                path: None,
            });
        }
        self.docs.insert(name.clone(), doc_text(&s.attrs));
        self.surface.types.insert(
            name.clone(),
            TypeDef {
                name,
                path: None,
                kind: Kind::Struct { generics, fields },
            },
        );
    }

    fn enumeration(&mut self, e: &syn::ItemEnum) {
        let name = e.ident.to_string();
        // Unit variants are the members; the one with a field keeps unknown values, and its
        // field's type tells a number enum from a string one.
        let mut int = false;
        let mut members = Vec::new();
        for v in &e.variants {
            match &v.fields {
                Fields::Unit => members.push(MemberDef {
                    name: v.ident.to_string(),
                    wire: String::new(),
                    value: 0,
                    path: None,
                }),
                Fields::Unnamed(f) => {
                    int = f
                        .unnamed
                        .first()
                        .is_some_and(|f| f.ty.to_token_stream().to_string() == "i64");
                }
                Fields::Named(_) => {}
            }
        }
        self.surface.types.insert(
            name.clone(),
            TypeDef {
                name,
                path: None,
                kind: Kind::Enum { int, members },
            },
        );
    }

    /// Reads `ssdto::string_enum!` / `ssdto::int_enum!` members' wire values (`= "wire"`) and
    /// numbers (`= (1, "wire")`).
    fn discriminants(&mut self, e: &syn::ItemEnum) {
        let target = e.ident.to_string();
        for v in &e.variants {
            let Some((_, expr)) = &v.discriminant else {
                continue;
            };
            let key = (target.clone(), v.ident.to_string());
            let (value, wire) = match expr {
                Expr::Tuple(t) if t.elems.len() == 2 => (t.elems.first(), t.elems.last()),
                wire => (None, Some(wire)),
            };
            if let Some(Lit::Str(s)) = wire.and_then(literal) {
                self.wires.insert(key.clone(), s.value());
            }
            match value.map(|v| (literal(v), v)) {
                Some((Some(Lit::Int(n)), _)) => {
                    if let Ok(v) = n.base10_parse::<i64>() {
                        self.values.insert(key, v);
                    }
                }
                Some((_, v)) => {
                    if let Some(v) = negative(v) {
                        self.values.insert(key, v);
                    }
                }
                None => {}
            }
        }
    }

    fn implementation(&mut self, i: &syn::ItemImpl) {
        let Type::Path(self_ty) = &*i.self_ty else {
            return;
        };
        let Some(target) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        let is_request = i
            .trait_
            .as_ref()
            .is_some_and(|(_, path, _)| path.segments.last().is_some_and(|s| s.ident == "Request"));
        if is_request {
            self.request(&target, i);
            return;
        }
        if i.trait_.is_some() {
            return;
        }
        // `as_str` (string enums) and `name`/`value` (int enums) list every member's wire form.
        for item in &i.items {
            let ImplItem::Fn(f) = item else { continue };
            let method = f.sig.ident.to_string();
            if !matches!(method.as_str(), "as_str" | "name" | "value") {
                continue;
            }
            for stmt in &f.block.stmts {
                let syn::Stmt::Expr(Expr::Match(m), _) = stmt else {
                    continue;
                };
                for arm in &m.arms {
                    let syn::Pat::Path(p) = &arm.pat else {
                        continue;
                    };
                    let Some(variant) = p.path.segments.last().map(|s| s.ident.to_string()) else {
                        continue;
                    };
                    let key = (target.clone(), variant);
                    match (method.as_str(), literal(&arm.body)) {
                        ("as_str" | "name", Some(Lit::Str(s))) => {
                            self.wires.insert(key, s.value());
                        }
                        ("value", Some(Lit::Int(n))) => {
                            if let Ok(v) = n.base10_parse::<i64>() {
                                self.values.insert(key, v);
                            }
                        }
                        ("value", _) => {
                            if let Some(v) = negative(&arm.body) {
                                self.values.insert(key, v);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    fn request(&mut self, target: &str, i: &syn::ItemImpl) {
        let mut op = OpDef {
            name: target.to_owned(),
            request: target.to_owned(),
            method: "POST".into(),
            accepts: Vec::new(),
            routes: Vec::new(),
            response: None,
            response_rust: String::new(),
            auth: Auth::default(),
            path: None,
        };
        for item in &i.items {
            match item {
                ImplItem::Type(t) if t.ident == "Response" => {
                    op.response_rust = rust_text(&t.ty.to_token_stream());
                    op.response = match op.response_rust.as_str() {
                        "ssdto::Void" => None,
                        _ => Some(type_shape(&t.ty, &[], &self.shadowed)),
                    };
                }
                ImplItem::Const(c) => match c.ident.to_string().as_str() {
                    "OPERATION" => {
                        if let Some(Lit::Str(s)) = literal(&c.expr) {
                            op.name = s.value();
                        }
                    }
                    "METHOD" => op.method = last_ident(&c.expr).to_ascii_uppercase(),
                    "ROUTES" => op.routes = routes(&c.expr),
                    _ => {}
                },
                _ => {}
            }
        }
        op.accepts = vec![op.method.clone()];
        self.surface.operations.insert(op.name.clone(), op);
    }

    fn finish(mut self) -> Surface {
        let enums: Vec<String> = self
            .surface
            .types
            .values()
            .filter(|t| matches!(t.kind, Kind::Enum { .. }))
            .map(|t| t.name.clone())
            .collect();
        for def in self.surface.types.values_mut() {
            if let Kind::Struct { fields, .. } = &mut def.kind {
                let caseless = self.caseless.contains(&def.name);
                for f in fields.iter_mut() {
                    f.caseless = caseless;
                    if f.required {
                        f.required = !value_like(&f.shape, &enums);
                    }
                }
            }
            if let Kind::Enum { members, .. } = &mut def.kind {
                for m in members {
                    let key = (def.name.clone(), m.name.clone());
                    m.wire = self.wires.get(&key).cloned().unwrap_or_default();
                    m.value = self.values.get(&key).copied().unwrap_or_default();
                }
            }
        }
        for op in self.surface.operations.values_mut() {
            if let Some(doc) = self.docs.get(&op.request) {
                op.auth = auth_from_doc(doc);
            }
        }
        self.surface
    }
}

/// The auth note the generator writes into a request's rustdoc: "Requires authentication.",
/// "Required roles: `A`, `B`.", "Required permissions: `P`.".
fn auth_from_doc(doc: &str) -> Auth {
    let listed = |label: &str| -> Vec<String> {
        let Some(start) = doc.find(label) else {
            return Vec::new();
        };
        let rest = &doc[start + label.len()..];
        let end = [rest.find(".\n"), rest.find(". ")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(rest.len());
        rest[..end]
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    };
    Auth {
        required: doc.contains("Requires authentication."),
        roles: listed("Required roles: "),
        permissions: listed("Required permissions: "),
        // The rustdoc does not note these; see the module's list.
        ..Auth::default()
    }
}

fn doc_text(attrs: &[Attribute]) -> String {
    let mut out = String::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(nv) = &a.meta {
            if let Some(Lit::Str(s)) = literal(&nv.value) {
                out.push_str(s.value().trim());
                out.push('\n');
            }
        }
    }
    out
}

/// `rename = ".."` and `alias = ".."` of a field's `#[serde(..)]`.
fn serde_args(attrs: &[Attribute]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        // Malformed attributes cannot be in generated code; skipping them loses nothing.
        let _ = a.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            if let Ok(value) = meta.value() {
                if let Ok(Lit::Str(s)) = value.parse::<Lit>() {
                    out.insert(key, s.value());
                }
            }
            Ok(())
        });
    }
    out
}

/// The struct an `ssdto::deserialize_fields!` call reads: the first name in its body.
fn fields_call_of(m: &syn::ItemMacro) -> Option<String> {
    use proc_macro2::TokenTree;
    if m.mac.path.segments.last()?.ident != "deserialize_fields" {
        return None;
    }
    match m.mac.tokens.clone().into_iter().next()? {
        TokenTree::Ident(name) => Some(name.to_string()),
        _ => None,
    }
}

/// The enum an `ssdto::string_enum!` or `ssdto::int_enum!` call declares, with its closing
/// `..Unknown` read as the variant that keeps unknown values.
fn macro_enum(m: &syn::ItemMacro) -> Option<syn::ItemEnum> {
    use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
    let kind = m.mac.path.segments.last()?.ident.to_string();
    let field = match kind.as_str() {
        "string_enum" => quote::quote!((String)),
        "int_enum" => quote::quote!((i64)),
        _ => return None,
    };
    let mut tokens: Vec<TokenTree> = m.mac.tokens.clone().into_iter().collect();
    let Some(TokenTree::Group(body)) = tokens.pop() else {
        return None;
    };
    let mut inner: Vec<TokenTree> = body.stream().into_iter().collect();
    if matches!(inner.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
        inner.pop();
    }
    let unknown = inner.pop()?;
    for _ in 0..2 {
        match inner.pop() {
            Some(TokenTree::Punct(p)) if p.as_char() == '.' => {}
            _ => return None,
        }
    }
    let mut stream: TokenStream = inner.into_iter().collect();
    stream.extend([unknown]);
    stream.extend(field);
    let body = Group::new(Delimiter::Brace, stream);
    let mut all: TokenStream = tokens.into_iter().collect();
    all.extend([TokenTree::Group(body)]);
    syn::parse2(all).ok()
}

fn literal(expr: &Expr) -> Option<&Lit> {
    match expr {
        Expr::Lit(l) => Some(&l.lit),
        Expr::Call(c) => c.args.first().and_then(literal), // `Some("wire")`
        Expr::Group(g) => literal(&g.expr),
        _ => None,
    }
}

fn negative(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => match literal(&u.expr) {
            Some(Lit::Int(n)) => n.base10_parse::<i64>().ok().map(|v| -v),
            _ => None,
        },
        _ => None,
    }
}

fn last_ident(expr: &Expr) -> String {
    match expr {
        Expr::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// `&[ssdto::Route { path: "/x", verbs: &[ssdto::Method::Get] }, ..]`.
fn routes(expr: &Expr) -> Vec<(String, Vec<String>)> {
    let Expr::Reference(r) = expr else {
        return Vec::new();
    };
    let Expr::Array(array) = &*r.expr else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let verb_list = |e: &Expr| match e {
        Expr::Reference(r) => match &*r.expr {
            Expr::Array(a) => a
                .elems
                .iter()
                .map(|v| last_ident(v).to_ascii_uppercase())
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    for e in &array.elems {
        // `Route::new("/path", &[Method::Get])`
        if let Expr::Call(c) = e {
            if let (Some(Lit::Str(path)), Some(verbs)) =
                (c.args.first().and_then(literal), c.args.get(1))
            {
                out.push((path.value(), verb_list(verbs)));
            }
            continue;
        }
        // `Route { path: "/path", verbs: &[Method::Get] }`, as older output wrote it.
        let Expr::Struct(s) = e else { continue };
        let mut path = String::new();
        let mut verbs = Vec::new();
        for f in &s.fields {
            let syn::Member::Named(m) = &f.member else {
                continue;
            };
            if m == "path" {
                if let Some(Lit::Str(s)) = literal(&f.expr) {
                    path = s.value();
                }
            } else if m == "verbs" {
                verbs = verb_list(&f.expr);
            }
        }
        out.push((path, verbs));
    }
    out
}

fn option_inner<'a>(ty: &'a Type, shadowed: &[String]) -> Option<&'a Type> {
    match type_shape(ty, &[], shadowed) {
        Shape::Option(_) => path_parts(ty)?.1.first().copied(),
        _ => None,
    }
}

/// The last segment's name and its type arguments.
fn path_parts(ty: &Type) -> Option<(String, Vec<&Type>)> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let args = match &last.arguments {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((last.ident.to_string(), args))
}

/// The shape of `ty`, where `generics` are the item's type parameters and `shadowed` the
/// standard names the file's own types take ([`prelude_names_defined`]).
fn type_shape(ty: &Type, generics: &[String], shadowed: &[String]) -> Shape {
    let Type::Path(p) = ty else {
        return Shape::Json;
    };
    let mut full: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    // `::core::option::Option`, `::std::collections::HashMap`: the standard library's types
    // by their names, however qualified.
    let std = matches!(
        full.first().map(String::as_str),
        Some("core" | "std" | "alloc")
    );
    if std {
        full.drain(..full.len() - 1);
    } else if full.len() == 1 && shadowed.contains(&full[0]) {
        // The file's own type of that name.
        full.insert(0, "self".to_owned());
    }
    let Some((name, args)) = path_parts(ty) else {
        return Shape::Json;
    };
    let arg = |i: usize| {
        Box::new(
            args.get(i)
                .map_or(Shape::Json, |t| type_shape(t, generics, shadowed)),
        )
    };
    let all = || {
        args.iter()
            .map(|t| type_shape(t, generics, shadowed))
            .collect()
    };
    match full
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["Option"] => return Shape::Option(arg(0)),
        ["Vec"] => return Shape::List(arg(0)),
        ["Box"] => return Shape::Boxed(arg(0)),
        ["HashMap" | "BTreeMap"] => return Shape::Map(arg(0), arg(1)),
        ["ssdto", "Bytes"] => return Shape::Bytes,
        ["serde_json", "Value"] => return Shape::Json,
        ["ssdto", "wire", "DateTime"] | ["chrono", "DateTime"] => return Shape::DateTime,
        ["ssdto", "wire", "TimeSpan"] | ["chrono", "TimeDelta"] => return Shape::TimeSpan,
        ["ssdto", "wire", "Guid"] | ["uuid", "Uuid"] => return Shape::Guid,
        ["self", _] => return Shape::Named(name, all()),
        [single] => {
            if let Some(prim) = Shape::primitive(single) {
                return prim;
            }
            if args.is_empty() && generics.iter().any(|g| g == single) {
                return Shape::Param(name);
            }
            return Shape::Named(name, all());
        }
        _ => {}
    }
    Shape::Runtime(full.join("::"), all())
}

/// Types a .NET value type can have, whose non-`Option` fields say nothing about
/// `isRequired`. (A date spelled `String` is taken for a required string.)
fn value_like(shape: &Shape, enums: &[String]) -> bool {
    match shape {
        Shape::Bool
        | Shape::Char
        | Shape::Int(..)
        | Shape::Float(_)
        | Shape::DateTime
        | Shape::TimeSpan
        | Shape::Guid
        | Shape::Json => true,
        Shape::Named(name, _) => enums.contains(name),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::diff::surface::{self, Kind, Shape, Surface};
    use crate::options::Options;

    /// What both readers must agree on: everything but contract paths, `isRequired` and the
    /// verbs a service accepts, which generated code does not record.
    fn comparable(mut s: Surface, dates_are_strings: bool) -> Surface {
        fn strings(shape: &mut Shape) {
            shape.visit_mut(&mut |s| {
                if matches!(s, Shape::DateTime | Shape::TimeSpan | Shape::Guid) {
                    *s = Shape::String;
                }
            });
        }
        for t in s.types.values_mut() {
            t.path = None;
            match &mut t.kind {
                Kind::Struct { fields, .. } => {
                    for f in fields {
                        f.path = None;
                        f.required = false;
                        if dates_are_strings {
                            strings(&mut f.shape);
                        }
                    }
                }
                Kind::Enum { members, int } => {
                    for m in members {
                        m.path = None;
                        // String enums travel by name; generated code keeps no number for them.
                        if !*int {
                            m.value = 0;
                        }
                    }
                }
            }
        }
        for op in s.operations.values_mut() {
            op.path = None;
            op.accepts = Vec::new();
            op.auth.any_roles = Vec::new();
            op.auth.any_permissions = Vec::new();
            if let Some(r) = &mut op.response {
                if dates_are_strings {
                    strings(r);
                }
            }
        }
        s
    }

    #[test]
    fn code_reader_agrees_with_the_resolved_model() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut contracts = vec![
            (
                "contracts/evovoice/sessions.json",
                Options::default().with_server(true),
            ),
            ("contracts/testdata/kitchen_sink.json", Options::default()),
            (
                "contracts/testdata/wire_types.json",
                Options::default()
                    .with_date_type(crate::DateType::Ssdto)
                    .with_guid_type(crate::GuidType::Ssdto)
                    .with_global_namespace("api"),
            ),
        ];
        for f in [
            "blazor-gallery-6.61.app.json",
            "blazor-gallery-8.91.app.json",
        ] {
            contracts.push((
                Box::leak(format!("contracts/real/{f}").into_boxed_str()),
                Options::default(),
            ));
        }
        for (path, options) in contracts {
            let json = std::fs::read_to_string(root.join(path)).unwrap();
            let parsed = crate::parse::parse_contract(&json).unwrap();
            let space = crate::resolve::resolve(&parsed, &options).unwrap();
            let resolved = surface::from_resolved(&space, &parsed, options.server).unwrap();
            let code = crate::generate(&json, &options).unwrap().code;
            let read = read(&code, path).unwrap();
            let strings = options.date_type == crate::DateType::String;
            let (a, b) = (comparable(resolved, strings), comparable(read, strings));
            assert_eq!(a.types.len(), b.types.len(), "{path}");
            for (name, t) in &a.types {
                assert_eq!(Some(t), b.types.get(name), "{path}: type {name}");
            }
            assert_eq!(a.operations, b.operations, "{path}");
            assert_eq!(a.server, b.server, "{path}");
            // So the comparison of one with itself finds nothing.
            assert!(crate::diff::rules::compare(&a, &b).is_empty(), "{path}");
        }
    }
}
