//! Every operation of the real contracts in `contracts/real` that `generated/` commits is emitted
//! with the verb and routes the contract declares. The generated files compile as part of the `ssdto-generated`
//! crate (warning-free under clippy in CI); this test reads their `impl ssdto::Request` blocks
//! and compares them with the contract JSON.

use std::collections::BTreeMap;
use std::path::Path;

use quote::ToTokens;
use serde_json::Value;

/// Operation name -> (method, [(path, verbs)]) as the generated code declares it.
type Declared = BTreeMap<String, (String, Vec<(String, Vec<String>)>)>;

fn declared(source: &str) -> Declared {
    let file = syn::parse_file(source).expect("generated file parses");
    let mut out = Declared::new();
    for item in file.items {
        let syn::Item::Impl(imp) = item else { continue };
        let Some((_, trait_path, _)) = &imp.trait_ else {
            continue;
        };
        if trait_path.to_token_stream().to_string() != ":: ssdto :: Request" {
            continue;
        }
        let mut name = String::new();
        let mut method = String::new();
        let mut routes = Vec::new();
        for it in &imp.items {
            let syn::ImplItem::Const(c) = it else {
                continue;
            };
            match c.ident.to_string().as_str() {
                "OPERATION" => {
                    if let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) = &c.expr
                    {
                        name = s.value();
                    }
                }
                "METHOD" => {
                    method = c
                        .expr
                        .to_token_stream()
                        .to_string()
                        .replace(":: ssdto :: Method :: ", "")
                        .to_uppercase();
                }
                "ROUTES" => {
                    let syn::Expr::Reference(r) = &c.expr else {
                        panic!("ROUTES is not &[..]")
                    };
                    let syn::Expr::Array(arr) = &*r.expr else {
                        panic!("ROUTES is not an array")
                    };
                    for route in &arr.elems {
                        // `::ssdto::Route::new("/path", &[::ssdto::Method::Get])`
                        let syn::Expr::Call(call) = route else {
                            panic!("route is not a `Route::new` call")
                        };
                        let (Some(path), Some(syn::Expr::Reference(v))) =
                            (call.args.first(), call.args.get(1))
                        else {
                            panic!("Route::new takes a path and a verb list")
                        };
                        let syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(path),
                            ..
                        }) = path
                        else {
                            panic!("route path is not a string")
                        };
                        let path = path.value();
                        let syn::Expr::Array(a) = &*v.expr else {
                            panic!("verbs")
                        };
                        let verbs: Vec<String> = a
                            .elems
                            .iter()
                            .map(|e| {
                                e.to_token_stream()
                                    .to_string()
                                    .replace(":: ssdto :: Method :: ", "")
                                    .to_uppercase()
                            })
                            .collect();
                        routes.push((path, verbs));
                    }
                }
                _ => {}
            }
        }
        out.insert(name, (method, routes));
    }
    out
}

/// ServiceStack's own requests, which the runtime crate provides with its `Request` impl
/// (`ssdto::Authenticate`), so generated files neither define nor implement them.
const RUNTIME_REQUESTS: &[&str] = &["Authenticate"];

fn expected(contract: &Value) -> Declared {
    let api = contract.get("api").unwrap_or(contract);
    let mut out = Declared::new();
    for op in api["operations"].as_array().expect("operations") {
        let name = op["request"]["name"]
            .as_str()
            .expect("request name")
            .to_owned();
        if op["request"]["namespace"] == "ServiceStack" && RUNTIME_REQUESTS.contains(&name.as_str())
        {
            continue;
        }
        let method = op["method"].as_str().expect("method").to_uppercase();
        let routes = op["routes"]
            .as_array()
            .map(|rs| {
                rs.iter()
                    .map(|r| {
                        let verbs: Vec<String> = r["verbs"]
                            .as_str()
                            .unwrap_or("")
                            .split(',')
                            .map(|v| v.trim().to_uppercase())
                            .filter(|v| !v.is_empty() && v != "ANY")
                            .collect();
                        (r["path"].as_str().expect("path").to_owned(), verbs)
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.insert(name, (method, routes));
    }
    out
}

#[test]
fn every_fixture_operation_carries_its_verb_and_routes() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts/real");
    let generated = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src/fixtures");
    let pairs = [
        ("admin-ui.metadata.json", "admin_ui.rs"),
        ("blazor-gallery-6.61.app.json", "blazor_gallery_6_61.rs"),
        ("blazor-gallery-8.91.app.json", "blazor_gallery_8_91.rs"),
    ];
    for (contract, rust) in pairs {
        let json: Value = serde_json::from_str(
            &std::fs::read_to_string(fixtures.join(contract)).expect("fixture contract"),
        )
        .expect("fixture JSON");
        let source = std::fs::read_to_string(generated.join(rust)).expect("generated file");
        let want = expected(&json);
        let got = declared(&source);
        assert!(!want.is_empty());
        assert_eq!(got, want, "{contract}");
    }
}

#[test]
fn request_trait_is_usable_on_fixture_types() {
    use ssdto::{Method, Request};
    use ssdto_generated::fixtures::blazor_gallery_8_91 as gallery;
    assert_eq!(gallery::Hello::OPERATION, "Hello");
    assert_eq!(gallery::Hello::METHOD, Method::Get);
    assert_eq!(gallery::Hello::ROUTES[0].path, "/hello/{Name}");
    const { assert!(gallery::DeleteTodo::RETURNS_VOID) };
    // Built-ins come from the runtime: the gallery's auth and AutoQuery types are ssdto's.
    let _: fn(gallery::QueryBookings) -> ssdto::QueryResponse<gallery::Booking> =
        |_| <gallery::QueryBookings as Request>::Response::default();
    assert_eq!(ssdto::Authenticate::OPERATION, "Authenticate");
    let todos = gallery::CreateTodo::ROUTES;
    assert!(todos
        .iter()
        .any(|r| r.path == "/todos" && r.verbs == [Method::Post]));
}
