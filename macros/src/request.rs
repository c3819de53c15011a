//! `#[derive(Request)]`: reads `#[ssdto(..)]`, checks routes against the fields' wire names,
//! and implements `ssdto::Request`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr, Token};

use ssdto_gen::request_impl::{Format, RequestImpl, RouteSpec};
use ssdto_protocol::{eq_ignore_case, Method};

use crate::route;
use crate::wire::{container_rules, field_wire, FieldWire};

/// The keys `#[ssdto(..)]` accepts, for the unknown-key message.
const KEYS: &str = "`operation`, `method`, `route`, `returns`, `returns_void`, `format`, `crate`";

/// A `route(..)` entry.
struct RouteAttr {
    /// The verbs; empty for any verb.
    verbs: Vec<Method>,
    path: LitStr,
}

/// What `#[ssdto(..)]` attributes said, each value with its span for errors.
#[derive(Default)]
struct Attrs {
    operation: Option<LitStr>,
    method: Option<(Method, Span)>,
    routes: Vec<RouteAttr>,
    returns: Option<syn::Type>,
    returns_void: Option<Span>,
    format: Option<(Format, Span)>,
    krate: Option<syn::Path>,
}

/// Reads a `format = ".."` value.
fn parse_format(text: &str) -> Result<Format, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "dto" | "json" => Ok(Format::Dto),
        "text" => Ok(Format::Text),
        "bytes" => Ok(Format::Bytes),
        _ => Err(format!(
            "unknown response format `{text}`: expected \"dto\" (a serialized DTO, the \
             default), \"text\" (a `string` result) or \"bytes\" (a `byte[]` or `Stream` \
             result)"
        )),
    }
}

/// Collects every error rather than stopping at the first, so one build shows them all.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

pub(crate) fn derive(input: DeriveInput) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let attrs = read_attrs(&input, &mut errors);
    let fields = wire_fields(&input, &mut errors);
    if let Some(fields) = &fields {
        for route in &attrs.routes {
            check_route_fields(&input.ident, route, fields, &mut errors);
        }
    }
    let response = match (&attrs.returns, attrs.returns_void) {
        (Some(_), Some(span)) => {
            errors.push(syn::Error::new(
                span,
                "`returns` and `returns_void` are exclusive: an operation either answers a \
                 type or nothing",
            ));
            None
        }
        (None, None) => {
            errors.push(syn::Error::new(
                input.ident.span(),
                "missing response type: add `#[ssdto(returns = Type)]`, or \
                 `#[ssdto(returns_void)]` for an operation that answers nothing",
            ));
            None
        }
        (Some(ty), None) => Some(ty.to_token_stream()),
        (None, Some(_)) => None,
    };
    if let (Some((_, span)), Some(_)) = (attrs.format, attrs.returns_void) {
        errors.push(syn::Error::new(
            span,
            "`format` says how a response body travels, and `returns_void` has none",
        ));
    }
    errors.finish()?;

    let krate = match &attrs.krate {
        Some(path) => path.to_token_stream(),
        None => quote!(::ssdto),
    };
    let ident = &input.ident;
    let operation = match &attrs.operation {
        Some(name) => name.value(),
        None => ident.to_string().trim_start_matches("r#").to_owned(),
    };
    let routes: Vec<RouteSpec> = attrs
        .routes
        .iter()
        .map(|r| RouteSpec {
            path: r.path.value(),
            verbs: r.verbs.clone(),
        })
        .collect();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    // The shared builder writes text; the input's own tokens are spliced in for these
    // placeholders, so errors in them keep pointing at the input.
    let has_response = response.is_some();
    let splice = [
        ("__ssdto_krate", krate),
        ("__ssdto_impl_generics", impl_generics.to_token_stream()),
        ("__ssdto_ty_generics", ty_generics.to_token_stream()),
        ("__ssdto_where", where_clause.to_token_stream()),
        ("__ssdto_ident", ident.to_token_stream()),
        ("__ssdto_response", response.unwrap_or_default()),
    ];
    RequestImpl {
        krate: "__ssdto_krate",
        generics: [
            "__ssdto_impl_generics",
            "__ssdto_ty_generics",
            "__ssdto_where",
        ],
        ident: "__ssdto_ident",
        attrs: &["#[automatically_derived]"],
        operation: &operation,
        method: attrs.method.map(|(verb, _)| verb),
        routes: &routes,
        response: has_response.then_some("__ssdto_response"),
        format: attrs.format.map_or(Format::Dto, |(f, _)| f),
    }
    .tokens(&splice)
    .map_err(|e| syn::Error::new(ident.span(), e.to_string()))
}

fn read_attrs(input: &DeriveInput, errors: &mut Errors) -> Attrs {
    let mut attrs = Attrs::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("ssdto")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(|i| i.to_string());
            let duplicate = || meta.error("duplicate key: give it once");
            match key.as_deref() {
                Some("operation") => {
                    let name: LitStr = meta.value()?.parse()?;
                    if attrs.operation.is_some() {
                        return Err(duplicate());
                    }
                    if name.value().trim().is_empty() {
                        errors.push(syn::Error::new(name.span(), "empty operation name"));
                    }
                    attrs.operation = Some(name);
                }
                Some("method") => {
                    let text: LitStr = meta.value()?.parse()?;
                    if attrs.method.is_some() {
                        return Err(duplicate());
                    }
                    let value = text.value();
                    if value.trim() == "*" || value.trim().eq_ignore_ascii_case("ANY") {
                        errors.push(syn::Error::new(
                            text.span(),
                            format!(
                                "`{value}` is not a method: `method` is the one verb clients \
                                 send; leave it out to take the first verb of the routes (or \
                                 POST)"
                            ),
                        ));
                        return Ok(());
                    }
                    match route::method(&value) {
                        Ok(verb) => attrs.method = Some((verb, text.span())),
                        Err(message) => errors.push(syn::Error::new(text.span(), message)),
                    }
                }
                Some("route") => {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let args = content
                        .parse_terminated(<LitStr as syn::parse::Parse>::parse, Token![,])?;
                    let args: Vec<LitStr> = args.into_iter().collect();
                    let (verbs, path) = match args.as_slice() {
                        [path] => (Vec::new(), path.clone()),
                        [verbs, path] => match route::verbs(&verbs.value()) {
                            Ok(list) => (list, path.clone()),
                            Err(message) => {
                                errors.push(syn::Error::new(verbs.span(), message));
                                (Vec::new(), path.clone())
                            }
                        },
                        _ => {
                            return Err(meta.error(
                                "expected `route(\"/path\")` or `route(\"GET\", \"/path\")`",
                            ))
                        }
                    };
                    if let Err(message) = route::variables(&path.value()) {
                        errors.push(syn::Error::new(path.span(), message));
                    }
                    attrs.routes.push(RouteAttr { verbs, path });
                }
                Some("returns") => {
                    let ty: syn::Type = meta.value()?.parse()?;
                    if attrs.returns.is_some() {
                        return Err(duplicate());
                    }
                    attrs.returns = Some(ty);
                }
                Some("returns_void") => {
                    if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                        return Err(meta.error("`returns_void` takes no value"));
                    }
                    if attrs.returns_void.is_some() {
                        return Err(duplicate());
                    }
                    attrs.returns_void = Some(meta.path.span());
                }
                Some("format") => {
                    let text: LitStr = meta.value()?.parse()?;
                    if attrs.format.is_some() {
                        return Err(duplicate());
                    }
                    match parse_format(&text.value()) {
                        Ok(format) => attrs.format = Some((format, text.span())),
                        Err(message) => errors.push(syn::Error::new(text.span(), message)),
                    }
                }
                Some("crate") => {
                    let path: LitStr = meta.value()?.parse()?;
                    if attrs.krate.is_some() {
                        return Err(duplicate());
                    }
                    attrs.krate = Some(path.parse()?);
                }
                _ => {
                    let name = meta.path.to_token_stream().to_string().replace(' ', "");
                    errors.push(meta.error(format!(
                        "unknown ssdto attribute `{name}`: expected one of {KEYS}"
                    )));
                    // Skip its value, so the keys after it are still read and checked.
                    if meta.input.peek(Token![=]) {
                        meta.value()?.parse::<syn::Expr>()?;
                    } else if meta.input.peek(syn::token::Paren) {
                        let content;
                        syn::parenthesized!(content in meta.input);
                        content.parse::<TokenStream>()?;
                    }
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    attrs
}

/// The wire names of the struct's fields, or `None` (with an error) for a shape serde does
/// not serialize as a JSON object.
fn wire_fields(input: &DeriveInput, errors: &mut Errors) -> Option<Vec<(String, FieldWire)>> {
    let fields = match &input.data {
        Data::Struct(data) => &data.fields,
        Data::Enum(data) => {
            errors.push(syn::Error::new(
                data.enum_token.span(),
                "`#[derive(Request)]` needs a struct: a request is sent as an object of fields",
            ));
            return None;
        }
        Data::Union(data) => {
            errors.push(syn::Error::new(
                data.union_token.span(),
                "`#[derive(Request)]` needs a struct: a request is sent as an object of fields",
            ));
            return None;
        }
    };
    match fields {
        Fields::Named(named) => {
            let rules = container_rules(&input.attrs);
            Some(
                named
                    .named
                    .iter()
                    .map(|f| {
                        let name = f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
                        (name, field_wire(f, rules))
                    })
                    .collect(),
            )
        }
        Fields::Unit => Some(Vec::new()),
        Fields::Unnamed(unnamed) => {
            errors.push(syn::Error::new(
                unnamed.span(),
                "`#[derive(Request)]` needs named fields: serde sends a tuple struct as an \
                 array, which ServiceStack cannot read as a request",
            ));
            None
        }
    }
}

/// Every route variable must be filled by a serialized field, matched case-insensitively
/// against its serialize name as the runtime's route filler matches it.
fn check_route_fields(
    ty: &syn::Ident,
    route: &RouteAttr,
    fields: &[(String, FieldWire)],
    errors: &mut Errors,
) {
    let Ok(vars) = route::variables(&route.path.value()) else {
        return; // already reported
    };
    // A flattened field brings names this macro cannot see; trust them.
    if fields.iter().any(|(_, w)| w.flatten) {
        return;
    }
    for var in vars {
        let written = fields
            .iter()
            .find(|(_, w)| w.names.first().is_some_and(|n| eq_ignore_case(n, &var)));
        match written {
            Some((rust, wire)) if wire.skipped => errors.push(syn::Error::new(
                route.path.span(),
                format!(
                    "route variable `{}` names field `{rust}`, which is never serialized \
                     (`#[serde(skip)]`), so it cannot fill the route",
                    var
                ),
            )),
            Some(_) => {}
            None => {
                let hint = match fields
                    .iter()
                    .find(|(_, w)| w.names.iter().skip(1).any(|n| eq_ignore_case(n, &var)))
                {
                    Some((rust, wire)) => format!(
                        "; field `{rust}` only reads it (it is written as `{}`)",
                        wire.names.first().map(String::as_str).unwrap_or_default()
                    ),
                    None => {
                        let names: Vec<String> = fields
                            .iter()
                            .filter(|(_, w)| !w.skipped)
                            .filter_map(|(_, w)| w.names.first())
                            .map(|n| format!("`{n}`"))
                            .collect();
                        if names.is_empty() {
                            format!("; `{ty}` has no serialized fields")
                        } else {
                            format!("; its wire names are {}", names.join(", "))
                        }
                    }
                };
                errors.push(syn::Error::new(
                    route.path.span(),
                    format!(
                        "route variable `{}` names no field of `{ty}` (matched \
                         case-insensitively against serde wire names){hint}",
                        var
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(input: TokenStream) -> Result<String, String> {
        let input: DeriveInput = syn::parse2(input).map_err(|e| e.to_string())?;
        // Without whitespace: how tokens are spaced when printed is not what the derive says.
        derive(input).map(|t| compact(&t.to_string())).map_err(|e| {
            e.into_iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    fn compact(text: &str) -> String {
        text.split_whitespace().collect()
    }

    #[test]
    fn defaults_come_from_the_type_and_routes() {
        let out = expand(quote! {
            #[serde(rename_all = "camelCase")]
            #[ssdto(route("/sessions/{sessionId}"), route("GET,POST", "/s/{SESSIONID}"))]
            #[ssdto(returns = SessionInfo)]
            struct GetSession { session_id: String }
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let expected = quote! {
            #[automatically_derived]
            impl ::ssdto::Request for GetSession {
                type Response = SessionInfo;
                const OPERATION: &'static str = "GetSession";
                const METHOD: ::ssdto::Method = ::ssdto::Method::Get;
                const ROUTES: &'static [::ssdto::Route] = &[
                    ::ssdto::Route::new("/sessions/{sessionId}", &[]),
                    ::ssdto::Route::new(
                        "/s/{SESSIONID}",
                        &[::ssdto::Method::Get, ::ssdto::Method::Post]
                    )
                ];
            }
        };
        assert_eq!(out, compact(&expected.to_string()));
    }

    #[test]
    fn explicit_values_crate_path_generics_and_void() {
        let out = expand(quote! {
            #[ssdto(operation = "Renamed", method = "delete", returns_void, crate = "my::rt")]
            struct Del<T: Clone> { id: T }
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.contains(&compact(
                "impl < T : Clone > my :: rt :: Request for Del < T >"
            )),
            "{out}"
        );
        assert!(
            out.contains(&compact("const OPERATION : & 'static str = \"Renamed\"")),
            "{out}"
        );
        assert!(
            out.contains(&compact("my :: rt :: Method :: Delete")),
            "{out}"
        );
        assert!(
            out.contains(&compact("type Response = my :: rt :: Void")),
            "{out}"
        );
        assert!(
            out.contains(&compact("const RETURNS_VOID : bool = true")),
            "{out}"
        );
    }

    #[test]
    fn without_routes_or_method_the_verb_is_post() {
        let out = expand(quote! {
            #[ssdto(route("ANY", "/x"), returns = u8)]
            struct R;
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(out.contains(&compact(
            "const METHOD : :: ssdto :: Method = :: ssdto :: Method :: Post"
        )));
    }

    #[test]
    fn route_variables_follow_serde_names() {
        let ok = expand(quote! {
            #[serde(rename_all = "PascalCase")]
            #[ssdto(route("/a/{sessionid}/{Key}/{rest*}"), returns = u8)]
            struct R {
                session_id: String,
                #[serde(rename = "KEY")]
                k: String,
                #[serde(rename(serialize = "Rest"))]
                tail: String,
            }
        });
        assert!(ok.is_ok(), "{ok:?}");

        let err = expand(quote! {
            #[serde(rename_all = "camelCase")]
            #[ssdto(route("/a/{session_id}"), returns = u8)]
            struct R { session_id: String, page: i32 }
        })
        .unwrap_err();
        assert!(
            err.contains("route variable `session_id` names no field of `R`")
                && err.contains("`sessionId`, `page`"),
            "{err}"
        );

        let err = expand(quote! {
            #[ssdto(route("/a/{Id}"), returns = u8)]
            struct R { #[serde(rename(serialize = "key", deserialize = "id"))] k: String }
        })
        .unwrap_err();
        assert!(
            err.contains("field `k` only reads it (it is written as `key`)"),
            "{err}"
        );

        let err = expand(quote! {
            #[ssdto(route("/a/{id}"), returns = u8)]
            struct R { #[serde(skip)] id: String }
        })
        .unwrap_err();
        assert!(err.contains("never serialized"), "{err}");

        let flattened = expand(quote! {
            #[ssdto(route("/a/{anything}"), returns = u8)]
            struct R { #[serde(flatten)] rest: Other }
        });
        assert!(flattened.is_ok(), "{flattened:?}");
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let err = expand(quote! {
            #[ssdto(method = "FETCH", route(",", "/a"), route("a/b"), bogus = 1)]
            #[ssdto(operation = "", route("/{x}"))]
            struct R { y: u8 }
        })
        .unwrap_err();
        for part in [
            "invalid method `FETCH`",
            "empty verb",
            "malformed route: route `a/b` must start with `/`",
            "unknown ssdto attribute `bogus`",
            "empty operation name",
            "route variable `x` names no field of `R`",
            "missing response type",
        ] {
            assert!(err.contains(part), "{part}: {err}");
        }
    }

    #[test]
    fn keys_after_an_unknown_key_are_still_read() {
        let err = expand(quote! {
            #[ssdto(bogus(x, y), path = "/x", returns = u8, method = "FETCH")]
            struct R;
        })
        .unwrap_err();
        assert!(err.contains("unknown ssdto attribute `bogus`"), "{err}");
        assert!(err.contains("unknown ssdto attribute `path`"), "{err}");
        assert!(err.contains("invalid method `FETCH`"), "{err}");
        assert!(!err.contains("missing response type"), "{err}");
    }

    #[test]
    fn shape_and_key_errors() {
        for (input, message) in [
            (
                quote!(
                    #[ssdto(returns = u8, returns_void)]
                    struct R;
                ),
                "are exclusive",
            ),
            (
                quote!(
                    #[ssdto(returns = u8)]
                    enum R {
                        A,
                    }
                ),
                "needs a struct",
            ),
            (
                quote!(
                    #[ssdto(returns = u8)]
                    struct R(u8);
                ),
                "needs named fields",
            ),
            (
                quote!(
                    #[ssdto(returns = u8, returns = u16)]
                    struct R;
                ),
                "duplicate key",
            ),
            (
                quote!(
                    #[ssdto(returns_void = true)]
                    struct R;
                ),
                "takes no value",
            ),
            (
                quote!(
                    #[ssdto(route(), returns = u8)]
                    struct R;
                ),
                "expected `route(\"/path\")`",
            ),
            (
                quote!(
                    #[ssdto(route("GET", "/a", "x"), returns = u8)]
                    struct R;
                ),
                "expected `route(\"/path\")`",
            ),
            (
                quote!(
                    #[ssdto(a::b = 1, returns = u8)]
                    struct R;
                ),
                "attribute `a::b`",
            ),
            (
                quote!(
                    #[ssdto(method = "ANY", returns = u8)]
                    struct R;
                ),
                "`ANY` is not a method",
            ),
        ] {
            let err = expand(input.clone()).unwrap_err();
            assert!(err.contains(message), "{input}: {err}");
        }
    }
}
