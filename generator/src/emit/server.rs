//! The `Server` option: a `Service` trait with one method per operation, and a `router`
//! function that serves an implementation through `ssdto::server::ServiceRouter`.
//!
//! The trait is named `Service` and the function `router`, one pair per generated file (a
//! module); a contract type already named `Service` pushes the trait to `Service2`, and the
//! marker traits are spelled in full (`::core::marker::Sync`), since real contracts have types
//! named `Sync` (ServiceStack/pvq.app). Methods are
//! the operations' names in snake_case and return `impl Future<..> + Send`, so an implementation
//! can write `async fn` and the router can run it on a multi-threaded runtime. All routing and
//! request binding live in the runtime: the generated code only names the operations.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, lints, rust_type};
use crate::error::Error;
use crate::naming::{field_ident, Scope};
use crate::resolve::{Operation, Response, TypeSpace};

/// The trait and the router function for every operation in `space`, or nothing when there are
/// no operations.
pub(super) fn emit(space: &TypeSpace) -> Result<Option<TokenStream>, Error> {
    if space.operations.is_empty() {
        return Ok(None);
    }
    let item_names: Vec<&str> = space.items.iter().map(|i| i.name.as_str()).collect();
    let mut types = Scope::with_reserved(&item_names);
    let trait_name = ident(&types.claim("Service".into()))?;
    let generic = ident(&types.claim("S".into()))?;
    let mut methods = Scope::default();
    let mut declarations = Vec::new();
    let mut registrations = Vec::new();
    for op in &space.operations {
        let method = ident(&methods.claim(field_ident(&op.name)))?;
        let request = ident(&op.request)?;
        let response = match &op.response {
            Response::Typed(ty) => rust_type(ty, super::Spelling::of(space))?,
            Response::Void => quote!(ssdto::Void),
            Response::Untyped => quote!(serde_json::Value),
        };
        let doc = method_doc(space, op)
            .into_iter()
            .map(|line| quote!(#[doc = #line]));
        let allow = lints::allow_complexity(&response);
        declarations.push(quote! {
            #(#doc)*
            #allow
            fn #method(
                &self,
                request: #request,
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<#response, ssdto::server::HttpError>,
            > + ::core::marker::Send;
        });
        registrations.push(quote! {
            .operation(|service: std::sync::Arc<#generic>, request: #request| async move {
                service.#method(request).await
            })
        });
    }
    let trait_doc = [
        " The operations of this contract, for a server to implement; [`router`] serves an",
        " implementation with axum (ssdto's `server` feature).",
    ];
    let router_doc = [
        " Serves `service` on every declared route with its verbs, and on `/api/{Name}` and",
        " `/json/reply/{Name}` with any verb, as ServiceStack does (see `ssdto::server`).",
    ];
    Ok(Some(quote! {
        #(#[doc = #trait_doc])*
        pub trait #trait_name: ::core::marker::Send + ::core::marker::Sync + 'static {
            #(#declarations)*
        }

        #(#[doc = #router_doc])*
        pub fn router<#generic: #trait_name>(service: std::sync::Arc<#generic>) -> ssdto::server::axum::Router {
            ssdto::server::ServiceRouter::new(service)
                #(#registrations)*
                .into_router()
        }
    }))
}

/// The request type's description, then where the operation is served.
fn method_doc(space: &TypeSpace, op: &Operation) -> Vec<String> {
    let description: Vec<String> = space
        .items
        .iter()
        .find(|item| item.name == op.request)
        .map(|item| {
            item.doc
                .iter()
                .take_while(|line| !line.is_empty())
                .filter(|line| !line.starts_with("Routes:") && !line.starts_with("Requires "))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let mut doc: Vec<String> = description.into_iter().map(|l| format!(" {l}")).collect();
    if !doc.is_empty() {
        doc.push(String::new());
    }
    let mut served: Vec<String> = op
        .routes
        .iter()
        .map(|r| {
            let verbs = if r.verbs.is_empty() {
                "ANY".to_owned()
            } else {
                r.verbs.join(", ")
            };
            format!("`{verbs} {}`", r.path)
        })
        .collect();
    served.push(format!("`/api/{}`", op.name));
    doc.push(format!(" Served on {}.", served.join(", ")));
    doc
}

#[cfg(test)]
mod tests {
    use crate::{generate, Options};

    const CONTRACT: &str = r#"{
        "types": [{"name": "Service", "namespace": "N"}],
        "operations": [
            {"request": {"name": "GetThing", "namespace": "N", "description": "Gets a thing",
                         "properties": [{"name": "Id", "type": "String"}]},
             "response": {"name": "Service", "namespace": "N"},
             "routes": [{"path": "/things/{Id}", "verbs": "GET"}]},
            {"request": {"name": "Type", "namespace": "N", "implements": [{"name": "IReturnVoid"}]},
             "returnsVoid": true, "routes": [{"path": "/type"}]}
        ]
    }"#;

    fn server_output() -> String {
        let options = Options {
            server: true,
            ..Options::default()
        };
        generate(CONTRACT, &options).unwrap().code
    }

    #[test]
    fn emits_trait_and_router_avoiding_type_names() {
        let out = server_output();
        assert!(
            out.contains(
                "pub trait Service2: ::core::marker::Send + ::core::marker::Sync + 'static {"
            ),
            "{out}"
        );
        assert!(
            out.contains("fn get_thing(\n        &self,\n        request: GetThing,"),
            "{out}"
        );
        assert!(out.contains("fn r#type("), "{out}");
        assert!(out.contains("ssdto::server::HttpError"), "{out}");
        assert!(out.contains("pub fn router<S: Service2>"), "{out}");
        assert!(out.contains("service.get_thing(request).await"), "{out}");
        assert!(out.contains("/// Gets a thing"), "{out}");
        assert!(
            out.contains("Served on `GET /things/{Id}`, `/api/GetThing`."),
            "{out}"
        );
        assert!(out.contains("Served on `ANY /type`, `/api/Type`."), "{out}");
        syn::parse_file(&out).unwrap();
    }

    #[test]
    fn void_operations_answer_void_and_off_means_nothing() {
        let out = server_output();
        assert!(
            out.contains("Output = ::core::result::Result<ssdto::Void, ssdto::server::HttpError>"),
            "{out}"
        );
        let plain = generate(CONTRACT, &Options::default()).unwrap().code;
        assert!(!plain.contains("trait Service"));
        assert!(!plain.contains("fn router"));
    }
}
