//! Macros for ssdto: `#[derive(Request)]` for hand-written request DTOs and
//! `include_contract!` to generate DTOs from a contract at compile time.
//!
//! Use them through the `ssdto` crate with its `derive` feature (`ssdto::Request`,
//! `ssdto::include_contract!`); the generated code refers to `::ssdto` paths.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod contract;
mod request;
mod route;
mod wire;

use proc_macro::TokenStream;

/// Implements `ssdto::Request` for a request struct.
///
/// ```ignore
/// use serde::{Deserialize, Serialize};
/// use ssdto::Request;
///
/// #[derive(Serialize, Request)]
/// #[serde(rename_all = "camelCase")]
/// #[ssdto(route("GET", "/sessions/{sessionId}"), returns = SessionInfo)]
/// struct GetSession {
///     session_id: String,
/// }
///
/// #[derive(Deserialize)]
/// struct SessionInfo {}
/// ```
///
/// Attributes, in one or more `#[ssdto(..)]`:
///
/// - `returns = Type` (the response) or `returns_void` (the operation answers nothing:
///   `Response = ssdto::Void`, `RETURNS_VOID = true`); exactly one is required.
/// - `format = "text"` or `"bytes"`: the response body is the raw text of a `string` result or
///   the raw bytes of a `byte[]`/`Stream` result, as ServiceStack writes them, rather than a
///   serialized DTO (`"dto"`, the default); it sets `Request::RESPONSE_FORMAT`. Use it with
///   `returns = String` or `returns = ssdto::Bytes`.
/// - `route("/path")` (any verb) or `route("GET", "/path")` / `route("GET,POST", "/path")`;
///   repeatable, in order. `ANY` or `*` as verbs mean any verb.
/// - `method = "GET"`: the verb clients use. Default: the first verb a route names, else
///   `POST`, which is what ServiceStack's clients send for a request without verb
///   restrictions (the generator decides contracts' verbs the same way).
/// - `operation = "Name"`: default the type's name.
/// - `crate = "path"`: where the `ssdto` crate is, for crates that rename it (default `::ssdto`).
///
/// Checked at compile time: routes follow `ssdto::route::RouteTemplate`'s rules, verbs are
/// HTTP verbs, and every route variable names a serialized field, matched case-insensitively
/// against the field's serde wire name (`rename_all` and `rename` are honoured). A struct with
/// a `#[serde(flatten)]` field is not checked for route variables, since its names are
/// another type's.
#[proc_macro_derive(Request, attributes(ssdto))]
pub fn derive_request(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    request::derive(input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Generates DTOs from a ServiceStack contract (MetadataTypes JSON) at compile time.
///
/// ```ignore
/// mod evovoice {
///     ssdto::include_contract!(
///         "contracts/evovoice/sessions.json",
///         include = ["GetSession.*"],
///         map_type = BTreeMap,
///         derive = [Eq],
///     );
/// }
/// ```
///
/// The path is relative to the crate's `CARGO_MANIFEST_DIR`; the crate is rebuilt when the
/// file changes. Options are the keys of the generator's options table (`ssdto_gen::OPTIONS`,
/// the README's table of options), each written as its kind wants: lists as `include = [..]`,
/// `exclude = [..]` (type patterns) or `derive = [Path, ..]`, booleans as `server = true`,
/// choices as `map_type = BTreeMap` (or a string), names as `global_namespace = "name"`. The
/// expansion is the generator's tokens (`ssdto_gen::generate_tokens`). A proc macro cannot print warnings on stable Rust, so names the contract
/// uses without defining them become `serde_json::Value` aliases silently; `strict = true`
/// makes them compile errors (`ssdto generate` lists them). The output is the same code
/// `ssdto generate` writes, so the crate needs `ssdto` and `serde` (and `serde_json` if the
/// contract has untyped values); it brings `use` items, so give it a module of its own.
/// Unreadable or invalid contracts are compile errors.
#[proc_macro]
pub fn include_contract(input: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(input as contract::Args);
    contract::expand(args)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
