//! The `Server` option: a `Service` trait with one method per operation, the contract as the
//! server publishes it, and a `router` function that serves an implementation through
//! `ssdto::server::ServiceRouter`.
//!
//! The trait is named `Service` and the function `router`, one pair per generated file (a
//! module); a contract type already named `Service` pushes the trait to `Service2`, and the
//! marker traits are spelled in full (`::core::marker::Sync`), since real contracts have types
//! named `Sync` (ServiceStack/pvq.app). Methods are
//! the operations' names in snake_case and return `impl ssdto::server::Reply<Response>` (a
//! `Send` future of the response or an `HttpError`), so an implementation can write `async fn`
//! and the router can run it on a multi-threaded runtime. Each operation
//! is registered with the `ssdto::server::Access` its contract declares, and when any operation
//! is protected `router` takes an authenticator: a protected contract cannot be served without
//! one. Routing, binding and checking live in the runtime: the generated code only names the
//! operations and their requirements.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::{docs, ident, lints, rust_type};
use crate::error::Error;
use crate::model::{AuthRequirements, Response, TypeSpace};
use crate::naming::{field_ident, Scope};

/// The trait, the contract and the router function for every operation in `space`, or nothing
/// when there are no operations.
/// With `xml`, operations are registered with `xml_operation`, which also reads and answers
/// XML.
pub(super) fn emit(
    space: &TypeSpace,
    contract_json: &str,
    xml: bool,
) -> Result<Option<TokenStream>, Error> {
    if space.operations.is_empty() {
        return Ok(None);
    }
    let item_names: Vec<&str> = space.items.iter().map(|i| i.name.as_str()).collect();
    let mut types = Scope::with_reserved(&item_names);
    let trait_name = ident(&types.claim("Service".into()))?;
    let generic = ident(&types.claim("S".into()))?;
    let auth_generic = ident(&types.claim("A".into()))?;
    let mut methods = Scope::default();
    let mut declarations = Vec::new();
    let mut registrations = Vec::new();
    for op in &space.operations {
        let method = ident(&methods.claim(field_ident(&op.name)))?;
        let request = ident(&space.item(op.request).name)?;
        let response = match &op.response {
            Response::Typed(ty) => rust_type(ty, super::Spelling::of(space))?,
            Response::Void => quote!(::ssdto::Void),
            Response::Untyped => quote!(::serde_json::Value),
        };
        let doc = docs::service_method(space, op)
            .into_iter()
            .map(|line| quote!(#[doc = #line]));
        let allow = match &op.response {
            Response::Typed(ty) => lints::allow_complexity(ty, &response),
            Response::Void | Response::Untyped => quote!(),
        };
        declarations.push(quote! {
            #(#doc)*
            #allow
            fn #method(
                &self,
                request: #request,
                context: ::ssdto::server::Context,
            ) -> impl ::ssdto::server::Reply<#response>;
        });
        let access = access(&op.auth);
        let register = if xml {
            quote!(xml_operation)
        } else {
            quote!(operation)
        };
        registrations.push(quote! {
            .#register(
                #access,
                |service: ::std::sync::Arc<#generic>, request: #request, context| async move {
                    service.#method(request, context).await
                },
            )
        });
    }
    let contract = narrowed_contract(contract_json, space)?;
    let protected = space.operations.iter().any(|op| op.auth.is_protected());
    let trait_doc = [
        " The operations of this contract, for a server to implement; [`router`] serves an",
        " implementation with axum (ssdto's `server` feature).",
    ];
    let contract_doc = [
        " The contract this module was generated from, narrowed by the same IncludeTypes and",
        " ExcludeTypes, as [`router`] serves it at `/types/metadata`.",
    ];
    let (params, setup, auth_doc) = if protected {
        (
            quote!(service: ::std::sync::Arc<#generic>, authenticator: #auth_generic),
            quote!(.authenticator(authenticator)),
            "`authenticator` identifies callers: every operation the contract protects answers \
             401 without a caller and 403 without the roles or permissions it requires.",
        )
    } else {
        (
            quote!(service: ::std::sync::Arc<#generic>),
            quote!(),
            "No operation of this contract requires authentication.",
        )
    };
    let formats = if xml {
        "Serves `service` in JSON and XML on every declared route with its verbs, and on \
         `/api/{Name}`, `/json/reply/{Name}`, `/json/oneway/{Name}`, `/xml/reply/{Name}` and \
         `/xml/oneway/{Name}` with any verb (`{Name}[]` for a batch), as ServiceStack does, and \
         its contract at `/types/metadata` and `/metadata/app.json` (see `ssdto::server`)."
    } else {
        "Serves `service` on every declared route with its verbs, and on `/api/{Name}`, \
         `/json/reply/{Name}` and `/json/oneway/{Name}` with any verb (`{Name}[]` for a batch), \
         as ServiceStack does, and its contract at `/types/metadata` and `/metadata/app.json` \
         (see `ssdto::server`)."
    };
    let router_doc = [
        formats,
        "",
        auth_doc,
        "",
        "Configure the returned builder (limits, CORS, auth endpoints), then call \
         `.into_router()`.",
    ]
    .into_iter()
    .flat_map(docs::wrap)
    .map(|line| quote!(#[doc = #line]))
    .collect::<Vec<_>>();
    let generics = if protected {
        quote!(<#generic: #trait_name, #auth_generic: ::ssdto::server::Authenticator>)
    } else {
        quote!(<#generic: #trait_name>)
    };
    Ok(Some(quote! {
        #(#[doc = #trait_doc])*
        pub trait #trait_name: ::core::marker::Send + ::core::marker::Sync + 'static {
            #(#declarations)*
        }

        #(#[doc = #contract_doc])*
        pub const CONTRACT: &str = #contract;

        #(#router_doc)*
        pub fn router #generics (#params) -> ::ssdto::server::ServiceRouter<#generic> {
            ::ssdto::server::ServiceRouter::new(service)
                #setup
                .metadata(CONTRACT)
                #(#registrations)*
        }
    }))
}

/// The `ssdto::server::Access` value of an operation's requirements.
fn access(auth: &AuthRequirements) -> TokenStream {
    if !auth.is_protected() {
        return quote!(::ssdto::server::Access::PUBLIC);
    }
    let lists = [
        (quote!(required_roles), &auth.required_roles),
        (quote!(requires_any_role), &auth.requires_any_role),
        (quote!(required_permissions), &auth.required_permissions),
        (
            quote!(requires_any_permission),
            &auth.requires_any_permission,
        ),
    ];
    if lists.iter().all(|(_, list)| list.is_empty()) {
        return quote!(::ssdto::server::Access::AUTHENTICATED);
    }
    let fields = lists
        .iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(name, list)| quote!(#name: &[#(#list),*],));
    let requires_auth = auth.requires_auth.then(|| quote!(requires_auth: true,));
    quote!(::ssdto::server::Access {
        #requires_auth
        #(#fields)*
        ..::ssdto::server::Access::PUBLIC
    })
}

/// The contract as JSON, keeping only the types and operations `space` selected; everything
/// else (config, namespaces, fields the generator does not read) as it came.
fn narrowed_contract(contract_json: &str, space: &TypeSpace) -> Result<String, Error> {
    let mut doc: Value = serde_json::from_str(contract_json).map_err(Error::json)?;
    // `/metadata/app.json` carries the contract under `api`, as parse reads it.
    let empty = |key: &str| {
        doc.get(key)
            .is_none_or(|v| v.as_array().is_some_and(Vec::is_empty))
    };
    if doc.get("api").is_some_and(Value::is_object) && empty("types") && empty("operations") {
        doc = doc["api"].take();
    }
    let selected = |v: &Value, pointer: &str| {
        v.pointer(pointer)
            .and_then(Value::as_str)
            .is_some_and(|name| space.selected.contains(name))
    };
    if let Some(Value::Array(types)) = doc.get_mut("types") {
        types.retain(|t| selected(t, "/name"));
    }
    if let Some(Value::Array(operations)) = doc.get_mut("operations") {
        operations.retain(|op| selected(op, "/request/name"));
    }
    serde_json::to_string(&doc).map_err(Error::json)
}
