//! `[Flags]` enums: a tuple struct over `i64` with a constant per member, its
//! `ssdto::flags::Flags` impl (the members with their .NET names), and `ssdto::flags!` for the
//! operators, `Debug` and serde (see the runtime's `flags` module).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{derives, doc_attrs, docs, ident, Spelling};
use crate::error::Error;
use crate::model::{EnumDef, Item};

/// What `ssdto::flags!` implements itself; an `AddDerives` entry naming one of these would be
/// a conflicting second impl.
const PROVIDED: &[&str] = &["Debug", "Serialize", "Deserialize"];

pub(super) fn emit(
    item: &Item,
    e: &EnumDef,
    sp: Spelling<'_>,
    extra: &[syn::Path],
) -> Result<TokenStream, Error> {
    let name = ident(&item.name)?;
    let doc = doc_attrs(&docs::item(item, sp.space));
    let extra: Vec<syn::Path> = extra
        .iter()
        .filter(|p| {
            p.segments
                .last()
                .is_none_or(|s| !PROVIDED.contains(&s.ident.to_string().as_str()))
        })
        .cloned()
        .collect();
    let derive = derives(
        &["Clone", "Copy", "PartialEq", "Eq", "Hash", "Default"],
        &extra,
    );
    let mut constants = TokenStream::new();
    let mut members = Vec::with_capacity(e.members.len());
    for m in &e.members {
        let constant = ident(&m.name)?;
        let doc = doc_attrs(&docs::text(m.description.as_deref(), sp.space));
        let bits = Literal::i64_unsuffixed(m.value);
        let wire = &m.wire;
        constants.extend(quote! {
            #doc
            pub const #constant: Self = Self(#bits);
        });
        members.push(quote!((#wire, Self::#constant)));
    }
    Ok(quote! {
        #doc
        #derive
        pub struct #name(i64);

        impl #name {
            #constants
        }

        impl ::ssdto::flags::Flags for #name {
            const MEMBERS: &'static [(&'static str, Self)] = &[#(#members),*];

            fn bits(&self) -> i64 {
                self.0
            }

            fn from_bits_retain(bits: i64) -> Self {
                Self(bits)
            }
        }

        ::ssdto::flags!(#name);
    })
}
