//! String and integer enums, written as calls of the runtime's `ssdto::string_enum!` and
//! `ssdto::int_enum!`: the call holds the enum as a reader expects it (docs, derives, each
//! member with its wire value) and the runtime writes the conversions and serde.
//!
//! The call is formatted by prettyplease as the enum it declares, with each member's wire value
//! as its discriminant, and then wrapped: prettyplease would print a macro call's body as one
//! run of tokens, and rustfmt leaves a brace-delimited macro body as it is.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::super::enums::{INT_DERIVES, STRING_DERIVES};
use super::{derives, doc_attrs, docs, format_item, ident, Spelling};
use crate::error::Error;
use crate::model::{EnumDef, Item};
/// The enum's parts: the enum as prettyplease can format it (the unknown variant a plain
/// variant, last), the unknown variant's name, and which macro declares it.
fn parts(
    item: &Item,
    e: &EnumDef,
    sp: Spelling<'_>,
    extra: &[syn::Path],
) -> Result<(TokenStream, Ident, &'static str), Error> {
    let name = ident(&item.name)?;
    let doc = doc_attrs(&docs::item(item, sp.space));
    let unknown = ident(&e.unknown)?;
    let mut variants = TokenStream::new();
    for (i, m) in e.members.iter().enumerate() {
        let variant = ident(&m.name)?;
        let doc = doc_attrs(&docs::text(m.description.as_deref(), sp.space));
        let default = if i == 0 { quote!(#[default]) } else { quote!() };
        let wire = &m.wire;
        let value = if e.int {
            let value = Literal::i64_unsuffixed(m.value);
            quote!((#value, #wire))
        } else {
            quote!(#wire)
        };
        variants.extend(quote!(#doc #default #variant = #value,));
    }
    let (derive, mac) = if e.int {
        (derives(INT_DERIVES, extra), "int_enum")
    } else {
        (derives(STRING_DERIVES, extra), "string_enum")
    };
    let head = quote! {
        #doc
        #derive
        pub enum #name
    };
    Ok((quote!(#head { #variants #unknown, }), unknown, mac))
}

/// The formatted `ssdto::string_enum!` or `ssdto::int_enum!` call for `item`, indented for
/// `module` when the output is wrapped in one.
pub(super) fn text(
    item: &Item,
    e: &EnumDef,
    sp: Spelling<'_>,
    extra: &[syn::Path],
    module: Option<&Ident>,
) -> Result<String, Error> {
    let (enum_tokens, unknown, mac) = parts(item, e, sp, extra)?;
    // The unknown variant stands where the call writes `..Unknown`: naming keeps it distinct
    // from every member, so it is the enum's last line but one.
    let text = format_item(enum_tokens, module)?;
    Ok(super::super::enums::wrap(
        &text,
        mac,
        &unknown.to_string(),
        module.is_some(),
    ))
}
