//! The `impl Request` of a request type, built in one place for the generator and for
//! `#[derive(Request)]` (ssdto-macros), so both say the same thing the same way.
//!
//! Public only for ssdto-macros (`ssdto_gen::request_impl`); not a stable API.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use ssdto_protocol::{default_method, Method};

pub(super) use crate::emit::request::{Format, RouteSpec};

/// Everything an `impl Request` says.
#[derive(Debug)]
pub struct RequestImpl<'a> {
    /// The runtime crate's path, `::ssdto` unless the derive names another.
    pub krate: &'a TokenStream,
    /// `impl` generics, the type with its generics, and the where clause.
    pub generics: (TokenStream, TokenStream, TokenStream),
    /// The type.
    pub ident: TokenStream,
    /// Attributes on the impl (`#[automatically_derived]`, lint allows).
    pub attrs: TokenStream,
    /// The operation name on the wire.
    pub operation: &'a str,
    /// The verb, when the contract or the attributes name it; else [`default_method`].
    pub method: Option<Method>,
    /// Declared routes.
    pub routes: &'a [RouteSpec],
    /// The response type; `None` for an operation that answers nothing.
    pub response: Option<TokenStream>,
    /// How the response body travels.
    pub format: Format,
}

impl RequestImpl<'_> {
    /// The `impl` block. Constants the trait defaults (no routes, a response, DTO bodies) are
    /// left out, as hand-written code leaves them out.
    pub fn tokens(&self) -> TokenStream {
        let krate = self.krate;
        let method = self
            .method
            .unwrap_or_else(|| default_method(self.routes.iter().map(|r| r.verbs.as_slice())));
        let method = method_tokens(krate, method);
        let routes = if self.routes.is_empty() {
            quote!()
        } else {
            let routes = self.routes.iter().map(|route| {
                let path = &route.path;
                let verbs = route.verbs.iter().map(|v| method_tokens(krate, *v));
                quote!(#krate::Route::new(#path, &[#(#verbs),*]))
            });
            quote!(const ROUTES: &'static [#krate::Route] = &[#(#routes),*];)
        };
        let (response, void) = match &self.response {
            Some(ty) => (ty.clone(), quote!()),
            None => (
                quote!(#krate::Void),
                quote!(
                    const RETURNS_VOID: bool = true;
                ),
            ),
        };
        let format = match self.format {
            Format::Dto => quote!(),
            Format::Text => quote!(
                const RESPONSE_FORMAT: #krate::ResponseFormat = #krate::ResponseFormat::Text;
            ),
            Format::Bytes => quote!(
                const RESPONSE_FORMAT: #krate::ResponseFormat = #krate::ResponseFormat::Bytes;
            ),
        };
        let (impl_generics, ty_generics, where_clause) = &self.generics;
        let (ident, attrs, operation) = (&self.ident, &self.attrs, self.operation);
        quote! {
            #attrs
            impl #impl_generics #krate::Request for #ident #ty_generics #where_clause {
                type Response = #response;
                const OPERATION: &'static str = #operation;
                const METHOD: #krate::Method = #method;
                #routes
                #void
                #format
            }
        }
    }
}

fn method_tokens(krate: &TokenStream, verb: Method) -> TokenStream {
    let variant = format_ident!("{}", verb.variant_name());
    quote!(#krate::Method::#variant)
}
