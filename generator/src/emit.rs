//! Stage 3: turn a [`TypeSpace`] into Rust source with quote and prettyplease.

mod docs;
mod flags;
mod lints;
mod server;
mod xml;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, ToTokens};

use ssdto_protocol::Method;

use crate::error::Error;
use crate::model::{
    Body, EnumDef, Field, Item, ItemKind, Operation, Response, StructDef, Ty, TypeSpace, WireKind,
};
use crate::options::{DateType, GuidType, MapType, Options};

/// Emits a type space as formatted Rust source (no header); `contract_json` is the contract it
/// was resolved from, which the `Server` option embeds.
///
/// Items are formatted one at a time and appended, rather than building and formatting one
/// syntax tree for the whole contract: large contracts then stay in small, reused allocations
/// and peak memory stays near the size of the output.
pub fn render(space: &TypeSpace, options: &Options, contract_json: &str) -> Result<String, Error> {
    let module = match &options.global_namespace {
        Some(ns) => Some(ident(&crate::naming::module_ident(ns))?),
        None => None,
    };
    let mut out = String::new();
    if let Some(module) = &module {
        out.push_str(&format!("pub mod {module} {{\n"));
    }
    let mut first = true;
    let mut push_text = |text: String| {
        if !first {
            out.push('\n');
        }
        first = false;
        out.push_str(&text);
    };
    let uses = uses(space);
    if !uses.is_empty() {
        push_text(format_item(uses, module.as_ref())?);
    }
    // Validated here, once, so a bad derive is one error; the threads below rebuild their own
    // copies because token types are not `Sync`.
    extra_derives(options)?;
    let module_name = module.as_ref().map(ToString::to_string);
    let units: Vec<Unit<'_>> = space
        .items
        .iter()
        .map(Unit::Item)
        .chain(space.operations.iter().map(Unit::Operation))
        .collect();
    let emit_unit = |unit: &Unit<'_>| -> Result<String, Error> {
        let extra = extra_derives(options)?;
        let module = module_name.as_deref().map(|m| format_ident!("{m}"));
        format_item(unit_tokens(unit, space, options, &extra)?, module.as_ref())
    };
    for text in in_parallel(&units, emit_unit) {
        push_text(text?);
    }
    if options.server {
        if let Some(tokens) = server::emit(space, contract_json)? {
            push_text(format_item(tokens, module.as_ref())?);
        }
    }
    if module.is_some() {
        out.push_str("}\n");
    }
    Ok(out)
}

/// The same items as [`render`], as one token stream for a proc macro: not formatted, so
/// nothing is printed and parsed back.
pub fn tokens(
    space: &TypeSpace,
    options: &Options,
    contract_json: &str,
) -> Result<TokenStream, Error> {
    let extra = extra_derives(options)?;
    let mut out = uses(space);
    for item in &space.items {
        out.extend(unit_tokens(&Unit::Item(item), space, options, &extra)?);
    }
    for op in &space.operations {
        out.extend(unit_tokens(&Unit::Operation(op), space, options, &extra)?);
    }
    if options.server {
        out.extend(server::emit(space, contract_json)?);
    }
    Ok(match &options.global_namespace {
        Some(ns) => {
            let module = ident(&crate::naming::module_ident(ns))?;
            quote!(pub mod #module { #out })
        }
        None => out,
    })
}

/// The `use` lines the items need.
fn uses(space: &TypeSpace) -> TokenStream {
    let mut uses = TokenStream::new();
    if uses_serde_derive(space) {
        uses.extend(quote!(
            use serde::{Deserialize, Serialize};
        ));
    }
    if uses_map(space) {
        uses.extend(match space.map_type {
            MapType::HashMap => quote!(
                use std::collections::HashMap;
            ),
            MapType::BTreeMap => quote!(
                use std::collections::BTreeMap;
            ),
        });
    }
    uses
}

/// The tokens of one unit: an item (with its XML impl under the `Xml` option) or an operation.
fn unit_tokens(
    unit: &Unit<'_>,
    space: &TypeSpace,
    options: &Options,
    extra: &[syn::Path],
) -> Result<TokenStream, Error> {
    Ok(match unit {
        Unit::Item(item) => {
            let mut tokens = match &item.kind {
                ItemKind::Struct(s) if s.transparent => {
                    emit_newtype(item, s, Spelling::of(space), extra)?
                }
                ItemKind::Struct(s) => emit_struct(item, s, Spelling::of(space), extra)?,
                ItemKind::Enum(e) if e.flags => flags::emit(item, e, Spelling::of(space), extra)?,
                ItemKind::Enum(e) => emit_enum(item, e, Spelling::of(space), extra)?,
                ItemKind::Alias(ty) => emit_alias(item, ty, Spelling::of(space))?,
            };
            if options.xml {
                tokens.extend(xml::emit(item, Spelling::of(space))?);
            }
            tokens
        }
        Unit::Operation(op) => emit_operation(op, Spelling::of(space))?,
    })
}

/// One independently emitted piece of output.
enum Unit<'a> {
    Item(&'a Item),
    Operation(&'a Operation),
}

/// Below this many units, threads cost more than they save.
const PARALLEL_THRESHOLD: usize = 512;

/// Maps `f` over `units` on up to `available_parallelism` threads, results in input order, so the
/// output stays byte-for-byte deterministic. Emitting and formatting an item touches nothing
/// shared, and dominates generation time for large contracts (see BENCHMARKS.md).
fn in_parallel<'a, T, F>(units: &'a [Unit<'a>], f: F) -> Vec<T>
where
    T: Send,
    F: Fn(&Unit<'a>) -> T + Sync,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || units.len() < PARALLEL_THRESHOLD {
        return units.iter().map(&f).collect();
    }
    let chunk = units.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = units
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<T>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| match handle.join() {
                Ok(results) => results,
                // A panic in emit is a bug; surface it on the caller's thread as it would have
                // without threads.
                Err(payload) => std::panic::resume_unwind(payload),
            })
            .collect()
    })
}

/// Formats the items in `tokens`. Inside a module they are formatted wrapped in it, so line
/// breaks account for the indentation, and the wrapper lines are then dropped.
fn format_item(tokens: TokenStream, module: Option<&Ident>) -> Result<String, Error> {
    let tokens = match module {
        Some(m) => quote!(pub mod #m { #tokens }),
        None => tokens,
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Emit(e.to_string()))?;
    let text = prettyplease::unparse(&file);
    let mut lines: Vec<&str> = text.lines().collect();
    let item_indent = if module.is_some() {
        // `pub mod m {` ... `}`
        lines.remove(0);
        lines.pop();
        4
    } else {
        0
    };
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous = "";
    for line in lines {
        let indent = line.len() - line.trim_start().len();
        let prev_indent = previous.len() - previous.trim_start().len();
        let (prev, cur) = (previous.trim_start(), line.trim_start());
        let after_item = indent == item_indent
            && prev_indent == item_indent
            && (prev.starts_with('}')
                || (prev.starts_with("use ") && !cur.starts_with("use "))
                || (prev.ends_with(';') && !prev.starts_with("use ")));
        // Methods inside an impl block, as rustfmt'd hand-written code separates them.
        let after_method = indent == item_indent + 4
            && prev_indent == indent
            && (prev == "}"
                || (prev.ends_with(';')
                    && (cur.starts_with("///")
                        || cur.starts_with("fn ")
                        || cur.starts_with("pub fn "))));
        if (after_item || after_method) && !cur.starts_with('}') {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    Ok(out)
}

fn uses_serde_derive(space: &TypeSpace) -> bool {
    space
        .items
        .iter()
        .any(|i| matches!(i.kind, ItemKind::Struct(_)))
}

fn uses_map(space: &TypeSpace) -> bool {
    let has_map = |ty: &Ty| ty.any(|t| matches!(t, Ty::Map(..)));
    let in_items = space.items.iter().any(|i| match &i.kind {
        ItemKind::Struct(s) => s.fields.iter().any(|f| has_map(&f.ty)),
        ItemKind::Enum(_) => false,
        ItemKind::Alias(ty) => has_map(ty),
    });
    in_items
        || space
            .operations
            .iter()
            .any(|o| matches!(&o.response, Response::Typed(t) if has_map(t)))
}

/// An identifier that naming already made valid (raw identifiers included). Checked here
/// anyway, cheaply, because `Ident::new` panics on anything else.
fn ident(name: &str) -> Result<Ident, Error> {
    let (raw, bare) = match name.strip_prefix("r#") {
        Some(bare) => (true, bare),
        None => (false, name),
    };
    let mut chars = bare.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
        && chars.all(unicode_ident::is_xid_continue)
        && bare != "_";
    if !valid {
        return Err(Error::Emit(format!("`{name}` is not an identifier")));
    }
    Ok(if raw {
        Ident::new_raw(bare, Span::call_site())
    } else {
        Ident::new(bare, Span::call_site())
    })
}

fn extra_derives(options: &Options) -> Result<Vec<syn::Path>, Error> {
    options
        .add_derives
        .iter()
        .map(|d| {
            syn::parse_str::<syn::Path>(d)
                .map_err(|e| Error::Option(format!("AddDerives `{d}`: {e}")))
        })
        .collect()
}

fn doc_attrs(doc: &[String]) -> TokenStream {
    doc.iter()
        .map(|line| {
            // A leading space makes `/// text` rather than `///text`.
            let line = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            quote!(#[doc = #line])
        })
        .collect()
}

fn derives(base: &[&str], extra: &[syn::Path]) -> TokenStream {
    let mut paths: Vec<TokenStream> = base
        .iter()
        .map(|d| {
            let id = format_ident!("{}", d);
            quote!(#id)
        })
        .collect();
    for p in extra {
        let last = p
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if !base.contains(&last.as_str()) {
            paths.push(quote!(#p));
        }
    }
    quote!(#[derive(#(#paths),*)])
}

pub(crate) fn rust_type(ty: &Ty, sp: Spelling<'_>) -> Result<TokenStream, Error> {
    Ok(match ty {
        Ty::Prim(p) => {
            let id = format_ident!("{}", p);
            quote!(#id)
        }
        Ty::Bytes => quote!(ssdto::Bytes),
        Ty::Json => quote!(serde_json::Value),
        Ty::Vec(t) => {
            let t = rust_type(t, sp)?;
            quote!(Vec<#t>)
        }
        Ty::Option(t) => {
            let t = rust_type(t, sp)?;
            quote!(Option<#t>)
        }
        Ty::Boxed(t) => {
            let t = rust_type(t, sp)?;
            quote!(Box<#t>)
        }
        Ty::Map(k, v) => {
            let k = rust_type(k, sp)?;
            let v = rust_type(v, sp)?;
            match sp.space.map_type {
                MapType::HashMap => quote!(HashMap<#k, #v>),
                MapType::BTreeMap => quote!(BTreeMap<#k, #v>),
            }
        }
        Ty::Named(id, args) => named(&sp.space.item(*id).name, args, sp)?,
        Ty::External(name, args) => named(name, args, sp)?,
        Ty::Param(p) => {
            let id = ident(p)?;
            quote!(#id)
        }
        Ty::Wire(kind) => {
            let path = wire_path(*kind, sp);
            let path = syn::parse_str::<syn::Type>(path)
                .map_err(|e| Error::Emit(format!("`{path}`: {e}")))?;
            path.to_token_stream()
        }
        Ty::Runtime(path, args) => {
            let path = syn::parse_str::<syn::Path>(path)
                .map_err(|e| Error::Emit(format!("`{path}`: {e}")))?;
            if args.is_empty() {
                path.to_token_stream()
            } else {
                let args = args
                    .iter()
                    .map(|a| rust_type(a, sp))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(#path<#(#args),*>)
            }
        }
    })
}

/// A named type with its arguments.
fn named(name: &str, args: &[Ty], sp: Spelling<'_>) -> Result<TokenStream, Error> {
    let id = ident(name)?;
    Ok(if args.is_empty() {
        quote!(#id)
    } else {
        let args = args
            .iter()
            .map(|a| rust_type(a, sp))
            .collect::<Result<Vec<_>, _>>()?;
        quote!(#id<#(#args),*>)
    })
}

/// What decides how a resolved [`Ty`] is spelled in Rust: the space's items (by id) and its
/// options.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spelling<'a> {
    space: &'a TypeSpace,
}

impl<'a> Spelling<'a> {
    pub(crate) fn of(space: &'a TypeSpace) -> Self {
        Spelling { space }
    }
}

/// A wire type where no with-module can apply (inside collections, generic arguments, response
/// types): chrono and uuid fall back to the runtime's own parsed types.
fn wire_path(kind: WireKind, sp: Spelling<'_>) -> &'static str {
    match (kind, sp.space.date_type, sp.space.guid_type) {
        (WireKind::DateTime | WireKind::TimeSpan, DateType::String, _)
        | (WireKind::Guid, _, GuidType::String) => "String",
        (WireKind::DateTime, DateType::Ssdto | DateType::Chrono, _) => "ssdto::wire::DateTime",
        (WireKind::TimeSpan, DateType::Ssdto | DateType::Chrono, _) => "ssdto::wire::TimeSpan",
        (WireKind::Guid, _, GuidType::Ssdto | GuidType::Uuid) => "ssdto::wire::Guid",
    }
}

/// A field's type, and the serde with-module it needs: chrono and uuid types directly in a
/// field, or in an `Option` field, go through the runtime's with-modules.
pub(crate) fn field_type(
    ty: &Ty,
    sp: Spelling<'_>,
) -> Result<(TokenStream, Option<String>), Error> {
    let (kind, optional) = match ty {
        Ty::Wire(kind) => (*kind, false),
        Ty::Option(inner) => match **inner {
            Ty::Wire(kind) => (kind, true),
            _ => return Ok((rust_type(ty, sp)?, None)),
        },
        _ => return Ok((rust_type(ty, sp)?, None)),
    };
    let external = match (kind, sp.space.date_type, sp.space.guid_type) {
        (WireKind::DateTime, DateType::Chrono, _) => Some((
            quote!(chrono::DateTime<chrono::FixedOffset>),
            "ssdto::wire::chrono_datetime",
        )),
        (WireKind::TimeSpan, DateType::Chrono, _) => {
            Some((quote!(chrono::TimeDelta), "ssdto::wire::chrono_timespan"))
        }
        (WireKind::Guid, _, GuidType::Uuid) => Some((quote!(uuid::Uuid), "ssdto::wire::uuid_guid")),
        _ => None,
    };
    Ok(match external {
        Some((ty, with)) if optional => (quote!(Option<#ty>), Some(format!("{with}::option"))),
        Some((ty, with)) => (ty, Some(with.to_owned())),
        None => (rust_type(ty, sp)?, None),
    })
}

fn emit_field(field: &Field, sp: Spelling<'_>) -> Result<TokenStream, Error> {
    let name = ident(&field.name)?;
    let (ty, with) = field_type(&field.ty, sp)?;
    let doc = doc_attrs(&docs::text(field.description.as_deref(), sp.space));
    let mut serde_args: Vec<TokenStream> = Vec::new();
    // serde's rename_all is ASCII-only; spell out any non-ASCII name rather than rely on it.
    if !field.name.is_ascii() || crate::naming::serde_camel_case(&field.name) != field.wire_name {
        let wire = &field.wire_name;
        serde_args.push(quote!(rename = #wire));
    }
    if let Some(alias) = &field.alias {
        serde_args.push(quote!(alias = #alias));
    }
    if let Some(with) = with {
        serde_args.push(quote!(with = #with));
    }
    if matches!(field.ty, Ty::Option(_)) {
        serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    let serde_attr = if serde_args.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#serde_args),*)])
    };
    let allow = lints::allow_complexity(&field.ty, &ty);
    Ok(quote! {
        #doc
        #allow
        #serde_attr
        pub #name: #ty,
    })
}

/// What every generated struct derives.
const STRUCT_DERIVES: &[&str] = &[
    "Debug",
    "Clone",
    "PartialEq",
    "Default",
    "Serialize",
    "Deserialize",
];

fn emit_struct(
    item: &Item,
    s: &StructDef,
    sp: Spelling<'_>,
    extra: &[syn::Path],
) -> Result<TokenStream, Error> {
    let name = ident(&item.name)?;
    let doc = doc_attrs(&docs::item(item, sp.space));
    let derive = derives(STRUCT_DERIVES, extra);
    // One owned stream for all fields: interpolating a list of streams would copy every token
    // once more, which dominates generation time on large contracts.
    let mut fields = TokenStream::new();
    for f in &s.fields {
        fields.extend(emit_field(f, sp)?);
    }
    let generics = generic_params(s)?;
    // `default` lets a payload omit any field, as ServiceStack's serializers do for defaults.
    Ok(quote! {
        #doc
        #derive
        #[serde(rename_all = "camelCase", default)]
        pub struct #name #generics {
            #fields
        }
    })
}

/// A class that inherits a .NET collection: a newtype that serializes as the collection.
fn emit_newtype(
    item: &Item,
    s: &StructDef,
    sp: Spelling<'_>,
    extra: &[syn::Path],
) -> Result<TokenStream, Error> {
    let name = ident(&item.name)?;
    let doc = doc_attrs(&docs::item(item, sp.space));
    let derive = derives(STRUCT_DERIVES, extra);
    let (inner, allow) = match s.fields.first() {
        Some(f) => {
            let inner = rust_type(&f.ty, sp)?;
            let allow = lints::allow_complexity(&f.ty, &inner);
            (inner, allow)
        }
        None => (quote!(serde_json::Value), quote!()),
    };
    let generics = generic_params(s)?;
    Ok(quote! {
        #doc
        #derive
        #[serde(transparent)]
        #allow
        pub struct #name #generics(pub #inner);
    })
}

/// `pub type Name = ..;` for a name the contract uses without defining it.
fn emit_alias(item: &Item, ty: &Ty, sp: Spelling<'_>) -> Result<TokenStream, Error> {
    let name = ident(&item.name)?;
    let doc = doc_attrs(&docs::item(item, sp.space));
    let ty = rust_type(ty, sp)?;
    Ok(quote! {
        #doc
        pub type #name = #ty;
    })
}

fn generic_params(s: &StructDef) -> Result<TokenStream, Error> {
    let generics = s
        .generics
        .iter()
        .map(|g| ident(g))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if generics.is_empty() {
        quote!()
    } else {
        quote!(<#(#generics),*>)
    })
}

fn emit_enum(
    item: &Item,
    e: &EnumDef,
    sp: Spelling<'_>,
    extra: &[syn::Path],
) -> Result<TokenStream, Error> {
    let name = ident(&item.name)?;
    let doc = doc_attrs(&docs::item(item, sp.space));
    let unknown = ident(&e.unknown)?;
    let variants = e
        .members
        .iter()
        .map(|m| ident(&m.name))
        .collect::<Result<Vec<_>, _>>()?;
    let variant_docs: Vec<TokenStream> = e
        .members
        .iter()
        .map(|m| doc_attrs(&docs::text(m.description.as_deref(), sp.space)))
        .collect();
    let default_attr: Vec<TokenStream> = (0..variants.len())
        .map(|i| if i == 0 { quote!(#[default]) } else { quote!() })
        .collect();
    let wires: Vec<&str> = e.members.iter().map(|m| m.wire.as_str()).collect();
    if e.int {
        let values: Vec<proc_macro2::Literal> = e
            .members
            .iter()
            .map(|m| proc_macro2::Literal::i64_unsuffixed(m.value))
            .collect();
        let derive = derives(
            &[
                "Debug",
                "Clone",
                "Copy",
                "PartialEq",
                "Eq",
                "Hash",
                "Default",
            ],
            extra,
        );
        return Ok(quote! {
            #doc
            #derive
            pub enum #name {
                #( #variant_docs #default_attr #variants, )*
                /// A value this version of the contract does not define, kept as received.
                #unknown(i64),
            }

            impl #name {
                /// Every value the contract defines.
                pub const VALUES: &'static [Self] = &[#( Self::#variants ),*];

                /// The integer value written on the wire.
                pub fn value(self) -> i64 {
                    match self {
                        #( Self::#variants => #values, )*
                        Self::#unknown(value) => value,
                    }
                }

                /// The member name, if the contract defines this value.
                pub fn name(self) -> Option<&'static str> {
                    match self {
                        #( Self::#variants => Some(#wires), )*
                        Self::#unknown(_) => None,
                    }
                }

                /// The member with this name (case-insensitive), if the contract defines one.
                pub fn from_name(name: &str) -> Option<Self> {
                    Self::VALUES
                        .iter()
                        .copied()
                        .find(|v| v.name().is_some_and(|n| n.eq_ignore_ascii_case(name)))
                }
            }

            impl From<i64> for #name {
                fn from(value: i64) -> Self {
                    match value {
                        #( #values => Self::#variants, )*
                        other => Self::#unknown(other),
                    }
                }
            }

            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    serializer.serialize_i64(self.value())
                }
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    ssdto::enums::deserialize_int(deserializer, Self::from_name)
                }
            }
        });
    }
    let derive = derives(
        &["Debug", "Clone", "PartialEq", "Eq", "Hash", "Default"],
        extra,
    );
    let known = if variants.is_empty() {
        quote!(Self::#unknown(value.to_owned()))
    } else {
        quote! {
            match value {
                #( #wires => Self::#variants, )*
                // ServiceStack matches enum names case-insensitively.
                other => Self::VALUES
                    .iter()
                    .find(|v| v.as_str().eq_ignore_ascii_case(other))
                    .cloned()
                    .unwrap_or_else(|| Self::#unknown(other.to_owned())),
            }
        }
    };
    Ok(quote! {
        #doc
        #derive
        pub enum #name {
            #( #variant_docs #default_attr #variants, )*
            /// A value this version of the contract does not define, kept as received.
            #unknown(String),
        }

        impl #name {
            /// Every value the contract defines.
            pub const VALUES: &'static [Self] = &[#( Self::#variants ),*];

            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                #known
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                ssdto::enums::deserialize_str(deserializer)
            }
        }
    })
}

fn method_tokens(verb: Method) -> TokenStream {
    let variant = format_ident!("{}", verb.variant_name());
    quote!(ssdto::Method::#variant)
}

fn emit_operation(op: &Operation, sp: Spelling<'_>) -> Result<TokenStream, Error> {
    let request = ident(&sp.space.item(op.request).name)?;
    let name = &op.name;
    let method = method_tokens(op.method);
    let (response, void) = match &op.response {
        Response::Typed(ty) => (rust_type(ty, sp)?, quote!()),
        Response::Void => (
            quote!(ssdto::Void),
            quote!(
                const RETURNS_VOID: bool = true;
            ),
        ),
        Response::Untyped => (quote!(serde_json::Value), quote!()),
    };
    let routes = op
        .routes
        .iter()
        .map(|r| {
            let path = &r.path;
            let verbs = r.verbs.iter().map(|&v| method_tokens(v));
            quote!(ssdto::Route { path: #path, verbs: &[#(#verbs),*] })
        })
        .collect::<Vec<_>>();
    let routes = if routes.is_empty() {
        quote!()
    } else {
        quote!(const ROUTES: &'static [ssdto::Route] = &[#(#routes),*];)
    };
    let format = match op.body {
        Body::Dto => quote!(),
        Body::Text => quote!(
            const RESPONSE_FORMAT: ssdto::ResponseFormat = ssdto::ResponseFormat::Text;
        ),
        Body::Bytes => {
            quote!(
                const RESPONSE_FORMAT: ssdto::ResponseFormat = ssdto::ResponseFormat::Bytes;
            )
        }
    };
    let allow = match &op.response {
        Response::Typed(ty) => lints::allow_complexity(ty, &response),
        Response::Void | Response::Untyped => quote!(),
    };
    Ok(quote! {
        #allow
        impl ssdto::Request for #request {
            type Response = #response;
            const OPERATION: &'static str = #name;
            const METHOD: ssdto::Method = #method;
            #routes
            #void
            #format
        }
    })
}
