//! Lint attributes generated code needs: `clippy::type_complexity` fires on the deeply nested
//! types real contracts have (`Dictionary<String,List<KeyValuePair<String,Guid?>>>`), which the
//! contract, not the user, chose; such a field (or impl) gets an `allow`, nothing else does.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Ty;

/// clippy's default `type-complexity-threshold`.
const THRESHOLD: u64 = 250;

/// How far the spelled type may score above the resolved one: a chrono field's
/// `chrono::DateTime<chrono::FixedOffset>` has a generic argument its `Ty` does not.
const SPELLING_MARGIN: u64 = 100;

/// `#[allow(clippy::type_complexity)]` when the type, `ty` spelled as `tokens`, scores over
/// clippy's threshold, else nothing. The resolved type is scored first, so only the rare deep
/// type is parsed back from its tokens.
pub(super) fn allow_complexity(ty: &Ty, tokens: &TokenStream) -> TokenStream {
    if ty_score(ty, 1) + SPELLING_MARGIN > THRESHOLD && too_complex(tokens) {
        quote!(#[allow(clippy::type_complexity)])
    } else {
        quote!()
    }
}

/// [`score`] of a resolved type: every `Ty` is spelled as one path type.
fn ty_score(ty: &Ty, nest: u64) -> u64 {
    10 * nest + ty.children().map(|t| ty_score(t, nest + 1)).sum::<u64>()
}

/// Scores a type as clippy's `type_complexity` does: every path, tuple, slice or array type
/// adds ten times its nesting depth (the outermost is depth 1).
fn too_complex(ty: &TokenStream) -> bool {
    syn::parse2::<syn::Type>(ty.clone()).is_ok_and(|ty| score(&ty, 1) > THRESHOLD)
}

fn score(ty: &syn::Type, nest: u64) -> u64 {
    match ty {
        syn::Type::Path(p) => {
            10 * nest
                + p.path
                    .segments
                    .iter()
                    .flat_map(|s| match &s.arguments {
                        syn::PathArguments::AngleBracketed(args) => args.args.iter().collect(),
                        _ => Vec::new(),
                    })
                    .map(|arg| match arg {
                        syn::GenericArgument::Type(t) => score(t, nest + 1),
                        _ => 0,
                    })
                    .sum::<u64>()
        }
        syn::Type::Tuple(t) => 10 * nest + t.elems.iter().map(|e| score(e, nest + 1)).sum::<u64>(),
        syn::Type::Slice(s) => 10 * nest + score(&s.elem, nest + 1),
        syn::Type::Array(a) => 10 * nest + score(&a.elem, nest + 1),
        syn::Type::Reference(r) => 1 + score(&r.elem, nest),
        syn::Type::Paren(p) => score(&p.elem, nest),
        _ => 0,
    }
}
