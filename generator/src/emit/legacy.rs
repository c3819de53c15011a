//! The emitter before text writing (quote -> syn -> prettyplease), kept only to prove the text
//! writer byte-identical to it: see `tests` below and `emit::tests`.

mod enums;
mod flags;
mod lints;
mod request;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, ToTokens};

use super::{docs, in_parallel, units, Spelling, Unit};
use crate::error::Error;
use crate::model::{Body, Field, Item, ItemKind, Operation, Response, StructDef, Ty, TypeSpace};
use crate::options::Options;

/// Emits a type space as formatted Rust source (no header); `contract_json` is the contract it
/// was resolved from, which the `Server` option embeds.
///
/// Items are formatted one at a time and appended, rather than building and formatting one
/// syntax tree for the whole contract: large contracts then stay in small, reused allocations
/// and peak memory stays near the size of the output.
pub(super) fn render(
    space: &TypeSpace,
    options: &Options,
    contract_json: &str,
) -> Result<String, Error> {
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
    // Validated here, once, so a bad derive is one error; the threads below rebuild their own
    // copies because token types are not `Sync`.
    extra_derives(options)?;
    let module_name = module.as_ref().map(ToString::to_string);
    let units = units(space);
    let sp = Spelling::of(space);
    let emit_unit = |unit: &Unit<'_>| -> Result<String, Error> {
        let extra = extra_derives(options)?;
        let module = module_name.as_deref().map(|m| format_ident!("{m}"));
        match unit {
            // Written as text (see emit/enums.rs); what follows it as tokens.
            Unit::Item(item, op) => match &item.kind {
                ItemKind::Enum(e) if !e.flags => {
                    let mut text = enums::text(item, e, sp, &extra, module.as_ref())?;
                    let rest = after_item(item, *op, sp, options)?;
                    if !rest.is_empty() {
                        text.push('\n');
                        text.push_str(&format_item(rest, module.as_ref())?);
                    }
                    Ok(text)
                }
                ItemKind::Struct(s) if !s.transparent => {
                    let tokens = emit_struct(item, s, sp, &extra)?;
                    let mut text = format_item(tokens, module.as_ref())?;
                    let indent = if module.is_some() { 4 } else { 0 };
                    text.push('\n');
                    text.push_str(&super::fields_call(item, s, sp, indent)?);
                    let rest = after_item(item, *op, sp, options)?;
                    if !rest.is_empty() {
                        text.push('\n');
                        text.push_str(&format_item(rest, module.as_ref())?);
                    }
                    Ok(text)
                }
                _ => format_item(unit_tokens(unit, sp, options, &extra)?, module.as_ref()),
            },
            Unit::Operation(_) => {
                format_item(unit_tokens(unit, sp, options, &extra)?, module.as_ref())
            }
        }
    };
    for text in in_parallel(&units, emit_unit) {
        push_text(text?);
    }
    if options.server {
        if let Some(tokens) = super::server::emit(space, contract_json, options.xml)? {
            push_text(format_item(tokens, module.as_ref())?);
        }
    }
    if module.is_some() {
        out.push_str("}\n");
    }
    Ok(out)
}

/// The tokens of one unit: an item, then its `impl Request` and (under the `Xml` option) its
/// XML impl; or an operation.
fn unit_tokens(
    unit: &Unit<'_>,
    sp: Spelling<'_>,
    options: &Options,
    extra: &[syn::Path],
) -> Result<TokenStream, Error> {
    Ok(match unit {
        Unit::Item(item, op) => {
            let mut tokens = match &item.kind {
                ItemKind::Struct(s) if s.transparent => emit_newtype(item, s, sp, extra)?,
                ItemKind::Struct(_) => {
                    return Err(Error::Emit("render writes structs with their call".into()))
                }
                ItemKind::Enum(e) if e.flags => flags::emit(item, e, sp, extra)?,
                ItemKind::Enum(_) => return Err(Error::Emit("render writes enums as text".into())),
                ItemKind::Alias(ty) => emit_alias(item, ty, sp)?,
            };
            tokens.extend(after_item(item, *op, sp, options)?);
            tokens
        }
        Unit::Operation(op) => emit_operation(op, sp)?,
    })
}

/// What follows an item: its `impl Request`, and its XML impl under the `Xml` option.
fn after_item(
    item: &Item,
    op: Option<&Operation>,
    sp: Spelling<'_>,
    options: &Options,
) -> Result<TokenStream, Error> {
    let mut tokens = TokenStream::new();
    if let Some(op) = op {
        tokens.extend(emit_operation(op, sp)?);
    }
    if options.xml {
        // Still emitted as tokens by the live emitter (not a copy): only the layout of the items
        // written as text is compared.
        tokens.extend(super::xml::emit(item, sp)?);
    }
    Ok(tokens)
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
    Ok(super::writer::blank_lines(&lines.join("\n"), item_indent))
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
    let mut derives = Vec::new();
    for d in &options.add_derives {
        let path = syn::parse_str::<syn::Path>(d)
            .map_err(|e| Error::Option(format!("AddDerives `{d}`: {e}")))?;
        if !path
            .segments
            .last()
            .is_some_and(|s| super::SERDE_IMPLS.contains(&s.ident.to_string().as_str()))
        {
            derives.push(path);
        }
    }
    Ok(derives)
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
    let last = |path: &str| path.rsplit("::").next().unwrap_or(path).to_owned();
    let mut paths: Vec<TokenStream> = base.iter().map(|d| d.parse().unwrap_or_default()).collect();
    let base_names: Vec<String> = base.iter().map(|d| last(d)).collect();
    for p in extra {
        let name = p
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if !base_names.contains(&name) {
            paths.push(quote!(#p));
        }
    }
    quote!(#[derive(#(#paths),*)])
}

// Types are spelled by the live emitter (`rust_type`, `field_type`), read back as tokens: what
// this module holds is the old layout path, which the text writer must match.

fn rust_type(ty: &Ty, sp: Spelling<'_>) -> Result<TokenStream, Error> {
    super::type_tokens(ty, sp)
}

/// A field's type, and the serde with-module it needs (see [`super::field_type`]).
fn field_type(ty: &Ty, sp: Spelling<'_>) -> Result<(TokenStream, Option<String>), Error> {
    let (text, with) = super::field_type(ty, sp)?;
    let tokens = text
        .parse()
        .map_err(|e: proc_macro2::LexError| Error::Emit(format!("`{text}`: {e}")))?;
    Ok((tokens, with))
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
    if let Some(with) = with {
        serde_args.push(quote!(with = #with));
    }
    if matches!(field.ty, Ty::Option(_)) {
        let is_none = sp.is_none();
        serde_args.push(quote!(skip_serializing_if = #is_none));
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

fn emit_struct(
    item: &Item,
    s: &StructDef,
    sp: Spelling<'_>,
    extra: &[syn::Path],
) -> Result<TokenStream, Error> {
    let name = ident(&item.name)?;
    let doc = doc_attrs(&docs::item(item, sp.space));
    let derive = derives(super::STRUCT_DERIVES, extra);
    // One owned stream for all fields: interpolating a list of streams would copy every token
    // once more, which dominates generation time on large contracts.
    let mut fields = TokenStream::new();
    for f in &s.fields {
        fields.extend(emit_field(f, sp)?);
    }
    let generics = generic_params(s)?;
    Ok(quote! {
        #doc
        #derive
        #[serde(rename_all = "camelCase")]
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
    let derive = derives(super::NEWTYPE_DERIVES, extra);
    let (inner, allow) = match s.fields.first() {
        Some(f) => {
            let inner = rust_type(&f.ty, sp)?;
            let allow = lints::allow_complexity(&f.ty, &inner);
            (inner, allow)
        }
        None => (quote!(::serde_json::Value), quote!()),
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

fn emit_operation(op: &Operation, sp: Spelling<'_>) -> Result<TokenStream, Error> {
    let routes = super::route_specs(op);
    let (response, attrs) = match &op.response {
        Response::Typed(ty) => {
            let response = rust_type(ty, sp)?;
            let allow = lints::allow_complexity(ty, &response);
            (Some(response), allow)
        }
        Response::Void => (None, quote!()),
        Response::Untyped => (Some(quote!(::serde_json::Value)), quote!()),
    };
    let format = match op.body {
        Body::Dto => request::Format::Dto,
        Body::Text => request::Format::Text,
        Body::Bytes => request::Format::Bytes,
    };
    let krate = quote!(::ssdto);
    Ok(request::RequestImpl {
        krate: &krate,
        generics: Default::default(),
        ident: ident(&sp.space.item(op.request).name)?.into_token_stream(),
        attrs,
        operation: &op.name,
        method: Some(op.method),
        routes: &routes,
        response,
        format,
    }
    .tokens())
}
