//! Stage 3: turn a [`TypeSpace`] into Rust source, written as text: each item is described as
//! words, breaks and boxes (emit/writer.rs), laid out as prettyplease lays out the same syntax.
//! The `Xml` and `Server` options' impls and functions still go through quote -> syn ->
//! prettyplease ([`format_item`]).

mod docs;
mod enums;
mod flags;
#[cfg(test)]
mod legacy;
mod lints;
pub mod request;
mod server;
#[cfg(test)]
mod tests;
mod writer;
mod xml;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::error::Error;
use crate::model::{
    Body, Field, Item, ItemKind, Operation, Response, StructDef, Ty, TypeSpace, WireKind,
};
use crate::options::{DateType, GuidType, MapType, Options};
use writer::{blank_lines, string_literal, Writer, INDENT};

/// Emits a type space as formatted Rust source (no header); `contract_json` is the contract it
/// was resolved from, which the `Server` option embeds.
///
/// Items are written one at a time and appended, so large contracts stay in small, reused
/// allocations and peak memory stays near the size of the output.
pub fn render(space: &TypeSpace, options: &Options, contract_json: &str) -> Result<String, Error> {
    let module = match &options.global_namespace {
        Some(ns) => Some(ident(&crate::naming::module_ident(ns))?.to_owned()),
        None => None,
    };
    let mut out = String::new();
    if let Some(module) = &module {
        out.push_str(&format!("pub mod {module} {{\n"));
    }
    let extra = Derives::of(options)?;
    let indent = if module.is_some() { INDENT as usize } else { 0 };
    let units = units(space);
    let sp = Spelling::of(space);
    let emit_unit = |unit: &Unit<'_>| -> Result<String, Error> {
        let (item, op) = match unit {
            Unit::Item(item, op) => (Some(*item), *op),
            Unit::Operation(op) => (None, Some(*op)),
        };
        // An item written as text of its own; its operation's `impl Request` follows it.
        let then_operation = |text: String| -> Result<String, Error> {
            Ok(match op {
                Some(op) => {
                    let mut w = Writer::new();
                    write_operation(&mut w, op, sp)?;
                    text + "\n" + &blank_lines(&w.finish(indent), indent)
                }
                None => text,
            })
        };
        let mut text = match item.map(|item| (item, &item.kind)) {
            Some((item, ItemKind::Enum(e))) if !e.flags => {
                then_operation(enums::text(item, e, sp, &extra, indent)?)?
            }
            Some((item, ItemKind::Struct(s))) if !s.transparent => {
                let mut w = Writer::new();
                write_struct(&mut w, item, s, sp, &extra)?;
                let text = blank_lines(&w.finish(indent), indent);
                then_operation(text + "\n" + &fields_call(item, s, sp, indent)?)?
            }
            _ => {
                let mut w = Writer::new();
                if let Some(item) = item {
                    write_item(&mut w, item, sp, &extra)?;
                }
                if let Some(op) = op {
                    write_operation(&mut w, op, sp)?;
                }
                blank_lines(&w.finish(indent), indent)
            }
        };
        if let (Some(item), true) = (item, options.xml) {
            let tokens = xml::emit(item, sp)?;
            if !tokens.is_empty() {
                text.push('\n');
                text.push_str(&format_item(tokens, module.as_deref())?);
            }
        }
        Ok(text)
    };
    let texts = in_parallel(&units, emit_unit)
        .into_iter()
        .collect::<Result<Vec<String>, Error>>()?;
    // One allocation for the whole output rather than doubling (and copying) up to its size:
    // at 10k types the output is 10 MB.
    out.reserve(texts.iter().map(|t| t.len() + 1).sum::<usize>() + 2);
    let mut first = true;
    let mut push_text = |text: String| {
        if !first {
            out.push('\n');
        }
        first = false;
        out.push_str(&text);
    };
    for text in texts {
        push_text(text);
    }
    if options.server {
        if let Some(tokens) = server::emit(space, contract_json, options.xml)? {
            push_text(format_item(tokens, module.as_deref())?);
        }
    }
    if module.is_some() {
        out.push_str("}\n");
    }
    Ok(out)
}

/// The same items as [`render`], as tokens for a proc macro: the text read back, so there is
/// one emitter.
pub fn tokens(
    space: &TypeSpace,
    options: &Options,
    contract_json: &str,
) -> Result<TokenStream, Error> {
    render(space, options, contract_json)?
        .parse()
        .map_err(|e: proc_macro2::LexError| Error::Emit(e.to_string()))
}

/// An item as text.
fn write_item(w: &mut Writer, item: &Item, sp: Spelling<'_>, extra: &Derives) -> Result<(), Error> {
    match &item.kind {
        ItemKind::Struct(s) if s.transparent => write_newtype(w, item, s, sp, extra),
        ItemKind::Struct(s) => write_struct(w, item, s, sp, extra),
        ItemKind::Enum(e) if e.flags => flags::write(w, item, e, sp, extra),
        ItemKind::Enum(_) => Err(Error::Emit(format!(
            "enum `{}` is written by emit/enums.rs",
            item.name
        ))),
        ItemKind::Alias(ty) => write_alias(w, item, ty, sp),
    }
}

/// One independently emitted piece of output.
enum Unit<'a> {
    /// An item, with the operation it is the request of: its `impl Request` follows it.
    Item(&'a Item, Option<&'a Operation>),
    /// An operation whose request item does not point back at it.
    Operation(&'a Operation),
}

/// The items in order, each request with its operation, then any operation left over.
fn units(space: &TypeSpace) -> Vec<Unit<'_>> {
    let attached = |op: &Operation| {
        space
            .operation_of(space.item(op.request))
            .is_some_and(|o| std::ptr::eq(o, op))
    };
    let mut units: Vec<Unit<'_>> = space
        .items
        .iter()
        .map(|item| Unit::Item(item, space.operation_of(item)))
        .collect();
    units.extend(
        space
            .operations
            .iter()
            .filter(|op| !attached(op))
            .map(Unit::Operation),
    );
    units
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

/// Formats the items in `tokens` with prettyplease, for what is not written as text yet (the
/// `Xml` and `Server` options). Inside a module they are formatted wrapped in it, so line
/// breaks account for the indentation, and the wrapper lines are then dropped.
fn format_item(tokens: TokenStream, module: Option<&str>) -> Result<String, Error> {
    let tokens = match module {
        Some(m) => {
            // A keyword namespace is a raw identifier (`r#type`), which `Ident::new` refuses.
            let m = ident_token(m)?;
            quote!(pub mod #m { #tokens })
        }
        None => tokens,
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Emit(e.to_string()))?;
    let text = prettyplease::unparse(&file);
    Ok(match module {
        Some(_) => {
            // `pub mod m {` ... `}`
            let inner = text
                .split_once('\n')
                .map_or("", |(_, rest)| rest)
                .trim_end_matches('\n');
            let inner = inner.rsplit_once('\n').map_or("", |(rest, _)| rest);
            blank_lines(inner, INDENT as usize)
        }
        None => blank_lines(&text, 0),
    })
}

/// An identifier that naming already made valid (raw identifiers included), checked here
/// anyway, cheaply: invalid text would make the output invalid Rust.
fn ident(name: &str) -> Result<&str, Error> {
    let bare = name.strip_prefix("r#").unwrap_or(name);
    let ascii = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    if bare.bytes().all(ascii) && bare.bytes().next().is_some_and(|b| !b.is_ascii_digit()) {
        return if bare == "_" {
            Err(Error::Emit(format!("`{name}` is not an identifier")))
        } else {
            Ok(name)
        };
    }
    let mut chars = bare.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
        && chars.all(unicode_ident::is_xid_continue)
        && bare != "_";
    if !valid {
        return Err(Error::Emit(format!("`{name}` is not an identifier")));
    }
    Ok(name)
}

/// [`ident`] as a token, for what is still emitted as tokens (`Xml`, `Server`).
fn ident_token(name: &str) -> Result<Ident, Error> {
    let name = ident(name)?;
    Ok(match name.strip_prefix("r#") {
        Some(bare) => Ident::new_raw(bare, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    })
}

/// The `AddDerives` paths, each as text and by its last segment (which decides whether it
/// repeats a derive the type has anyway).
#[derive(Debug, Clone, Default)]
pub(crate) struct Derives(Vec<(String, String)>);

impl Derives {
    fn of(options: &Options) -> Result<Self, Error> {
        let mut derives = Vec::new();
        for d in &options.add_derives {
            let path = syn::parse_str::<syn::Path>(d)
                .map_err(|e| Error::Option(format!("AddDerives `{d}`: {e}")))?;
            let last = path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            if !SERDE_IMPLS.contains(&last.as_str()) {
                derives.push((path_text(quote!(#path)), last));
            }
        }
        Ok(Derives(derives))
    }

    /// Without the derives named (by last segment) in `provided`.
    fn without(&self, provided: &[&str]) -> Derives {
        Derives(
            self.0
                .iter()
                .filter(|(_, last)| !provided.contains(&last.as_str()))
                .cloned()
                .collect(),
        )
    }
}

/// Tokens as prettyplease prints them inside an attribute: a space between two words, and
/// after a comma.
fn path_text(tokens: TokenStream) -> String {
    use proc_macro2::TokenTree;
    let mut out = String::new();
    let mut after_word = false;
    for tree in tokens {
        match tree {
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                if after_word {
                    out.push(' ');
                }
                out.push_str(&tree.to_string());
                after_word = true;
            }
            TokenTree::Punct(p) => {
                out.push(p.as_char());
                if p.as_char() == ',' {
                    out.push(' ');
                }
                after_word = false;
            }
            TokenTree::Group(_) => {
                out.push_str(&tree.to_string());
                after_word = false;
            }
        }
    }
    out
}

/// An item's doc lines.
fn item_docs(w: &mut Writer, item: &Item, sp: Spelling<'_>) {
    for line in docs::item(item, sp.space) {
        w.doc(&line);
    }
}

/// `#[derive(..)]` of `base`, then the `AddDerives` it does not have.
fn derive_attr(w: &mut Writer, base: &[&str], extra: &Derives) {
    if extra.0.is_empty() {
        return w.attr_list("derive", base);
    }
    fn last(path: &str) -> &str {
        path.rsplit("::").next().unwrap_or(path)
    }
    let mut paths: Vec<&str> = base.to_vec();
    for (text, name) in &extra.0 {
        if !base.iter().any(|b| last(b) == name) {
            paths.push(text);
        }
    }
    w.attr_list("derive", &paths);
}

/// A resolved type as Rust text, every generic argument list as `<A, B>`.
pub(crate) fn rust_type(ty: &Ty, sp: Spelling<'_>) -> Result<String, Error> {
    let mut out = String::new();
    write_type(&mut out, ty, sp)?;
    Ok(out)
}

fn write_type(out: &mut String, ty: &Ty, sp: Spelling<'_>) -> Result<(), Error> {
    let wrapped = |out: &mut String, outer: &str, inner: &Ty| -> Result<(), Error> {
        out.push_str(outer);
        out.push('<');
        write_type(out, inner, sp)?;
        out.push('>');
        Ok(())
    };
    match ty {
        Ty::Prim("String") if sp.shadowed.string => out.push_str("::std::string::String"),
        Ty::Prim(p) => out.push_str(p),
        Ty::Bytes => out.push_str("::ssdto::Bytes"),
        Ty::Json => out.push_str("::serde_json::Value"),
        Ty::Vec(t) if sp.shadowed.vec => wrapped(out, "::std::vec::Vec", t)?,
        Ty::Vec(t) => wrapped(out, "Vec", t)?,
        Ty::Option(t) => wrapped(out, sp.option(), t)?,
        Ty::Boxed(t) if sp.shadowed.boxed => wrapped(out, "::std::boxed::Box", t)?,
        Ty::Boxed(t) => wrapped(out, "Box", t)?,
        Ty::Map(k, v) => {
            out.push_str(match sp.space.map_type {
                MapType::HashMap => "::std::collections::HashMap<",
                MapType::BTreeMap => "::std::collections::BTreeMap<",
            });
            write_type(out, k, sp)?;
            out.push_str(", ");
            write_type(out, v, sp)?;
            out.push('>');
        }
        Ty::Named(id, args) => named(out, ident(&sp.space.item(*id).name)?, args, sp)?,
        Ty::External(name, args) => named(out, ident(name)?, args, sp)?,
        Ty::Param(p) => out.push_str(ident(p)?),
        Ty::Wire(kind) => absolute(out, wire_path(*kind, sp)),
        Ty::Runtime(path, args) => {
            absolute(out, path);
            named(out, "", args, sp)?;
        }
    }
    Ok(())
}

/// A resolved type as tokens, for what is still emitted as tokens (`Xml`, `Server`).
fn type_tokens(ty: &Ty, sp: Spelling<'_>) -> Result<TokenStream, Error> {
    let text = rust_type(ty, sp)?;
    text.parse()
        .map_err(|e: proc_macro2::LexError| Error::Emit(format!("`{text}`: {e}")))
}

/// A name with its generic arguments, if any.
fn named(out: &mut String, name: &str, args: &[Ty], sp: Spelling<'_>) -> Result<(), Error> {
    out.push_str(name);
    if !args.is_empty() {
        out.push('<');
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write_type(out, a, sp)?;
        }
        out.push('>');
    }
    Ok(())
}

/// A path into another crate, from the crate root (`::ssdto::wire::Guid`), so no name in the
/// generated module can shadow it; `String` (a runtime or wire type spelled as text) is left as
/// it is.
fn absolute(out: &mut String, path: &str) {
    if path.contains("::") && !path.starts_with("::") {
        out.push_str("::");
    }
    out.push_str(path);
}

/// What decides how a resolved [`Ty`] is spelled in Rust: the space's items (by id), its
/// options, and which prelude names its own types take.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spelling<'a> {
    space: &'a TypeSpace,
    /// The prelude types the contract defines a type of the same name as; those are spelled in
    /// full (`::core::option::Option`) everywhere in the output, so contract types keep their
    /// names.
    shadowed: Shadowed,
}

/// Which prelude type names the generated module's own types take.
#[derive(Debug, Clone, Copy, Default)]
struct Shadowed {
    option: bool,
    vec: bool,
    string: bool,
    boxed: bool,
}

impl<'a> Spelling<'a> {
    /// Looks at every item once: make it once per output.
    pub(crate) fn of(space: &'a TypeSpace) -> Self {
        let mut shadowed = Shadowed::default();
        for item in &space.items {
            match item.name.as_str() {
                "Option" => shadowed.option = true,
                "Vec" => shadowed.vec = true,
                "String" => shadowed.string = true,
                "Box" => shadowed.boxed = true,
                _ => {}
            }
        }
        Spelling { space, shadowed }
    }

    /// `Option`, or its full path when the contract has a type of that name.
    fn option(self) -> &'static str {
        if self.shadowed.option {
            "::core::option::Option"
        } else {
            "Option"
        }
    }

    /// The `skip_serializing_if` function of optional fields.
    fn is_none(self) -> &'static str {
        if self.shadowed.option {
            "::core::option::Option::is_none"
        } else {
            "Option::is_none"
        }
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
pub(crate) fn field_type(ty: &Ty, sp: Spelling<'_>) -> Result<(String, Option<String>), Error> {
    Ok(match external(ty, sp) {
        Some((outer, with, true)) => (
            format!("{}<{outer}>", sp.option()),
            Some(format!("{with}::option")),
        ),
        Some((outer, with, false)) => (outer.to_owned(), Some(with.to_owned())),
        None => (rust_type(ty, sp)?, None),
    })
}

/// A chrono or uuid field type, directly or in an `Option`: the type, its with-module, and
/// whether it is in an `Option` (the module's `option` submodule then applies).
fn external(ty: &Ty, sp: Spelling<'_>) -> Option<(&'static str, &'static str, bool)> {
    let (kind, optional) = match ty {
        Ty::Wire(kind) => (*kind, false),
        Ty::Option(inner) => match **inner {
            Ty::Wire(kind) => (kind, true),
            _ => return None,
        },
        _ => return None,
    };
    let (outer, with) = match (kind, sp.space.date_type, sp.space.guid_type) {
        (WireKind::DateTime, DateType::Chrono, _) => (
            "::chrono::DateTime<::chrono::FixedOffset>",
            "::ssdto::wire::chrono_datetime",
        ),
        (WireKind::TimeSpan, DateType::Chrono, _) => {
            ("::chrono::TimeDelta", "::ssdto::wire::chrono_timespan")
        }
        (WireKind::Guid, _, GuidType::Uuid) => ("::uuid::Uuid", "::ssdto::wire::uuid_guid"),
        _ => return None,
    };
    Some((outer, with, optional))
}

fn write_field(w: &mut Writer, field: &Field, sp: Spelling<'_>) -> Result<(), Error> {
    let name = ident(&field.name)?;
    let (ty, with) = field_type(&field.ty, sp)?;
    for line in docs::text(field.description.as_deref(), sp.space) {
        w.doc(&line);
    }
    if lints::too_complex(&field.ty, &ty) {
        w.attr_list("allow", &["clippy::type_complexity"]);
    }
    let mut serde_args: Vec<String> = Vec::new();
    // serde's rename_all is ASCII-only; spell out any non-ASCII name rather than rely on it.
    if !field.name.is_ascii() || crate::naming::serde_camel_case(&field.name) != field.wire_name {
        serde_args.push(format!("rename = {}", string_literal(&field.wire_name)));
    }
    if let Some(with) = with {
        serde_args.push(format!("with = {}", string_literal(&with)));
    }
    if matches!(field.ty, Ty::Option(_)) {
        serde_args.push(format!(
            "skip_serializing_if = {}",
            string_literal(sp.is_none())
        ));
    }
    if !serde_args.is_empty() {
        w.attr_list("serde", &serde_args);
    }
    w.word_fmt(format_args!("pub {name}: "));
    w.ty(&ty);
    w.word(",");
    w.hardbreak();
    Ok(())
}

/// What every generated type implements whatever its derive list says (a struct's
/// `Deserialize` is [`fields_call`]'s, an enum's macro writes both): `AddDerives` naming them
/// adds nothing, rather than a second impl.
pub(crate) const SERDE_IMPLS: &[&str] = &["Serialize", "Deserialize"];

/// What every generated struct derives; its `Deserialize` is [`fields_call`]'s.
const STRUCT_DERIVES: &[&str] = &[
    "Debug",
    "Clone",
    "PartialEq",
    "Default",
    "::serde::Serialize",
];

/// What a newtype over a collection derives.
const NEWTYPE_DERIVES: &[&str] = &[
    "Debug",
    "Clone",
    "PartialEq",
    "Default",
    "::serde::Serialize",
    "::serde::Deserialize",
];

fn write_struct(
    w: &mut Writer,
    item: &Item,
    s: &StructDef,
    sp: Spelling<'_>,
    extra: &Derives,
) -> Result<(), Error> {
    let name = ident(&item.name)?;
    item_docs(w, item, sp);
    derive_attr(w, STRUCT_DERIVES, extra);
    w.attr_list("serde", &["rename_all = \"camelCase\""]);
    w.cbox(INDENT);
    w.word_fmt(format_args!("pub struct {name}"));
    generic_params(w, s)?;
    w.word(" {");
    w.hardbreak_if_nonempty();
    for f in &s.fields {
        write_field(w, f, sp)?;
    }
    w.offset(-INDENT);
    w.end();
    w.word("}");
    w.hardbreak();
    Ok(())
}

/// The `ssdto::deserialize_fields!` call that reads a struct as ServiceStack binds members
/// (any case, any left out, unknown ones skipped; see `ssdto::de`): each field's index, name and
/// wire name, and the with-module of a chrono or uuid field. Written as text, indented by
/// `indent`, since rustfmt leaves a brace-delimited macro body as it is.
pub(crate) fn fields_call(
    item: &Item,
    s: &StructDef,
    sp: Spelling<'_>,
    indent: usize,
) -> Result<String, Error> {
    use std::fmt::Write as _;
    let outer = " ".repeat(indent);
    let mut out = String::with_capacity(64 + 48 * s.fields.len());
    // Writing to a `String` cannot fail.
    let _ = write!(
        out,
        "{outer}::ssdto::deserialize_fields! {{\n{outer}    {}",
        ident(&item.name)?
    );
    for (i, g) in s.generics.iter().enumerate() {
        out.push_str(if i == 0 { "<" } else { ", " });
        out.push_str(ident(g)?);
    }
    if !s.generics.is_empty() {
        out.push('>');
    }
    if s.fields.is_empty() {
        out.push_str(" {}\n");
    } else {
        out.push_str(" {\n");
        for (i, f) in s.fields.iter().enumerate() {
            let _ = write!(
                out,
                "{outer}        {i}: {} = {}",
                ident(&f.name)?,
                string_literal(&f.wire_name)
            );
            if let Some((_, with, optional)) = external(&f.ty, sp) {
                out.push_str(" with ");
                out.push_str(with);
                if optional {
                    out.push_str("::option");
                }
            }
            out.push_str(",\n");
        }
        let _ = writeln!(out, "{outer}    }}");
    }
    let _ = writeln!(out, "{outer}}}");
    Ok(out)
}

/// A class that inherits a .NET collection: a newtype that serializes as the collection.
fn write_newtype(
    w: &mut Writer,
    item: &Item,
    s: &StructDef,
    sp: Spelling<'_>,
    extra: &Derives,
) -> Result<(), Error> {
    let name = ident(&item.name)?;
    item_docs(w, item, sp);
    derive_attr(w, NEWTYPE_DERIVES, extra);
    w.attr_list("serde", &["transparent"]);
    let inner = match s.fields.first() {
        Some(f) => {
            let inner = rust_type(&f.ty, sp)?;
            if lints::too_complex(&f.ty, &inner) {
                w.attr_list("allow", &["clippy::type_complexity"]);
            }
            inner
        }
        None => "::serde_json::Value".to_owned(),
    };
    w.cbox(INDENT);
    w.word_fmt(format_args!("pub struct {name}"));
    generic_params(w, s)?;
    w.word("(");
    w.zerobreak();
    w.word("pub ");
    w.ty(&inner);
    w.trailing_comma(true);
    w.offset(-INDENT);
    w.word(");");
    w.end();
    w.hardbreak();
    Ok(())
}

/// `pub type Name = ..;` for a name the contract uses without defining it.
fn write_alias(w: &mut Writer, item: &Item, ty: &Ty, sp: Spelling<'_>) -> Result<(), Error> {
    let name = ident(&item.name)?;
    item_docs(w, item, sp);
    let ty = rust_type(ty, sp)?;
    w.cbox(INDENT);
    w.word_fmt(format_args!("pub type {name} = "));
    w.neverbreak();
    w.ibox(-INDENT);
    w.ty(&ty);
    w.end();
    w.word(";");
    w.end();
    w.hardbreak();
    Ok(())
}

/// `<A, B>` after a struct's name, as prettyplease lays out generic parameters.
fn generic_params(w: &mut Writer, s: &StructDef) -> Result<(), Error> {
    if s.generics.is_empty() {
        return Ok(());
    }
    w.word("<");
    w.cbox(0);
    w.zerobreak();
    for (i, g) in s.generics.iter().enumerate() {
        w.word(ident(g)?);
        w.trailing_comma(i + 1 == s.generics.len());
    }
    w.offset(-INDENT);
    w.end();
    w.word(">");
    Ok(())
}

/// An operation's routes as the `impl Request` writer takes them.
fn route_specs(op: &Operation) -> Vec<request::RouteSpec> {
    op.routes
        .iter()
        .map(|r| request::RouteSpec {
            path: r.path.clone(),
            verbs: r.verbs.clone(),
        })
        .collect()
}

fn write_operation(w: &mut Writer, op: &Operation, sp: Spelling<'_>) -> Result<(), Error> {
    let routes = route_specs(op);
    let (response, complex) = match &op.response {
        Response::Typed(ty) => {
            let response = rust_type(ty, sp)?;
            let complex = lints::too_complex(ty, &response);
            (Some(response), complex)
        }
        Response::Void => (None, false),
        Response::Untyped => (Some("::serde_json::Value".to_owned()), false),
    };
    let format = match op.body {
        Body::Dto => request::Format::Dto,
        Body::Text => request::Format::Text,
        Body::Bytes => request::Format::Bytes,
    };
    let attrs: &[&str] = if complex { &[lints::ALLOW] } else { &[] };
    request::RequestImpl {
        krate: "::ssdto",
        generics: ["", "", ""],
        ident: ident(&sp.space.item(op.request).name)?,
        attrs,
        operation: &op.name,
        method: Some(op.method),
        routes: &routes,
        response: response.as_deref(),
        format,
    }
    .write(w);
    Ok(())
}
