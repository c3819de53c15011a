//! The CLI's committed output, the build.rs output and the `include_contract!` expansion of
//! the Evo Voice contract are the same types: every struct literal below compiles against
//! each of them, the same values serialize to the same JSON (and query strings and routes),
//! each reads the others' JSON, and the request constants agree.

use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use ssdto::{Method, Request};
use ssdto_entry_points::{build_script, cli, derived, macro_expanded};

/// The same requests built in one entry point's module. Every field is named (no
/// `..Default::default()`), so a field missing, extra or typed differently in one entry point
/// does not compile.
macro_rules! requests {
    ($m:ident) => {{
        use ssdto_entry_points::$m as dto;
        (
            dto::ListSessions {
                page: 2,
                all: false,
                count_per_page: 25,
                specific_ids: Some(vec!["a".into(), "b,c".into()]),
                sort_field: Some("dateCreated".into()),
                sort_order: dto::SortOrders::Descend,
                simplified_paging: true,
                account_ids: Some(vec!["acc-1".into()]),
                search_archive: true,
                start_date: Some("2024-01-01T00:00:00Z".into()),
                end_date: None,
                customer_ids: None,
                endpoint_ids: Some(vec![]),
                from: Some("+1 555 123".into()),
                to: None,
                log: Some("hold & resume".into()),
                parent_session_id: None,
            },
            dto::GetActiveSessions {},
            dto::GetSession {
                session_id: "sess/1 ü".into(),
            },
            dto::NewSession {
                display_name: Some("Front desk".into()),
                channel: dto::FlowChannels::Chat,
                direction: Some(dto::SessionDirections::Outgoing),
                call_state: Some(dto::SessionCallState::Unknown("Transferring".into())),
                from_address: Some("sip:desk@example.com".into()),
                from_name: None,
                to_address: Some("+15550001111".into()),
                parent_session_id: None,
                customer_id: Some("cust-9".into()),
                with_address: None,
                from_phone_number: Some("+15552223333".into()),
                destination: None,
                member_email_addresses: Some(vec!["a@example.com".into()]),
                start_session: true,
            },
        )
    }};
}

/// How a request travels: its JSON body, its query string, and the route it fills.
fn wire<R: Request>(request: &R) -> (Value, String, Option<String>) {
    let json = serde_json::to_value(request).unwrap_or_else(|e| panic!("{e}"));
    let route = ssdto::route::select_for(request).unwrap_or_else(|e| panic!("{e}"));
    let skip: Vec<String> = route
        .as_ref()
        .map(|r| r.filled.consumed.clone())
        .unwrap_or_default();
    let skip: Vec<&str> = skip.iter().map(String::as_str).collect();
    let query = ssdto::query::to_query_string(request, &skip).unwrap_or_else(|e| panic!("{e}"));
    (json, query, route.map(|r| r.filled.path))
}

#[test]
fn same_requests_travel_the_same_way() {
    let cli = requests!(cli);
    let build = requests!(build_script);
    let macros = requests!(macro_expanded);
    let all = [
        (wire(&cli.0), wire(&build.0), wire(&macros.0)),
        (wire(&cli.1), wire(&build.1), wire(&macros.1)),
        (wire(&cli.2), wire(&build.2), wire(&macros.2)),
        (wire(&cli.3), wire(&build.3), wire(&macros.3)),
    ];
    for (from_cli, from_build, from_macro) in all {
        assert_eq!(from_cli, from_build);
        assert_eq!(from_cli, from_macro);
    }
    // Not vacuous: the values do reach the wire.
    let (json, query, path) = wire(&cli.2);
    assert_eq!(json, serde_json::json!({"sessionId": "sess/1 ü"}));
    assert_eq!(query, "");
    assert_eq!(path.as_deref(), Some("/sessions/sess%2F1%20%C3%BC"));
    assert_eq!(wire(&cli.3).0["callState"], "Transferring");
}

/// `value`'s JSON read as `B` and written again: what a peer using the other entry point sees.
fn through<A: Serialize, B: DeserializeOwned + Serialize>(value: &A) -> Value {
    let json = serde_json::to_value(value).unwrap_or_else(|e| panic!("{e}"));
    let read: B = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
    serde_json::to_value(read).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn each_reads_the_others_requests() {
    let cli = requests!(cli);
    let build = requests!(build_script);
    let macros = requests!(macro_expanded);
    let expected = serde_json::to_value(&cli.3).unwrap_or_else(|e| panic!("{e}"));
    for json in [
        through::<_, build_script::NewSession>(&cli.3),
        through::<_, macro_expanded::NewSession>(&cli.3),
        through::<_, cli::NewSession>(&build.3),
        through::<_, macro_expanded::NewSession>(&build.3),
        through::<_, cli::NewSession>(&macros.3),
        through::<_, build_script::NewSession>(&macros.3),
    ] {
        assert_eq!(json, expected);
    }
    let expected = serde_json::to_value(&cli.0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        through::<_, macro_expanded::ListSessions>(&build.0),
        expected
    );
    assert_eq!(
        through::<_, build_script::ListSessions>(&macros.0),
        expected
    );
}

fn payloads() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../payloads/evovoice");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap_or_else(|e| panic!("{e}")).path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let json =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (name, json)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn read_write<T: DeserializeOwned + Serialize>(json: &Value) -> Value {
    let typed: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{e}"));
    serde_json::to_value(typed).unwrap_or_else(|e| panic!("{e}"))
}

/// Reads `json` as request `$op`'s own type (for `.request.json`) or its `Request::Response`
/// (for `.response*.json`) in each entry point, and returns what each writes back.
macro_rules! each_entry_point {
    ($json:expr, $op:ident, $request:expr) => {
        if $request {
            [
                read_write::<cli::$op>($json),
                read_write::<build_script::$op>($json),
                read_write::<macro_expanded::$op>($json),
            ]
        } else {
            [
                read_write::<<cli::$op as Request>::Response>($json),
                read_write::<<build_script::$op as Request>::Response>($json),
                read_write::<<macro_expanded::$op as Request>::Response>($json),
            ]
        }
    };
}

#[test]
fn real_payloads_read_and_write_the_same_in_each() {
    let payloads = payloads();
    assert!(payloads.len() >= 9, "payload files: {}", payloads.len());
    for (name, json) in &payloads {
        let request = name.contains(".request");
        let outputs = match name.split('.').next().unwrap_or_default() {
            "ListSessions" => each_entry_point!(json, ListSessions, request),
            "GetActiveSessions" => each_entry_point!(json, GetActiveSessions, request),
            "GetSession" => each_entry_point!(json, GetSession, request),
            "NewSession" => each_entry_point!(json, NewSession, request),
            other => panic!("{name}: no operation `{other}` in the contract"),
        };
        assert_ne!(outputs[0], Value::Null, "{name}");
        assert_eq!(outputs[0], outputs[1], "{name}: CLI vs build.rs");
        assert_eq!(outputs[0], outputs[2], "{name}: CLI vs macro");
    }
}

/// The constants of `ssdto::Request` for one type.
fn constants<R: Request>() -> (&'static str, Method, &'static [ssdto::Route], bool) {
    (R::OPERATION, R::METHOD, R::ROUTES, R::RETURNS_VOID)
}

#[test]
fn request_constants_agree() {
    macro_rules! agree {
        ($($op:ident),*) => {$(
            let from_cli = constants::<cli::$op>();
            assert_eq!(from_cli.0, stringify!($op));
            assert!(!from_cli.2.is_empty(), "{}: no routes", stringify!($op));
            assert_eq!(from_cli, constants::<build_script::$op>(), stringify!($op));
            assert_eq!(from_cli, constants::<macro_expanded::$op>(), stringify!($op));
        )*};
    }
    agree!(ListSessions, GetActiveSessions, GetSession, NewSession);
    assert_eq!(cli::NewSession::METHOD, Method::Post);
    assert_eq!(cli::GetSession::ROUTES[0].path, "/sessions/{sessionId}");
}

#[test]
fn derive_agrees_with_the_generated_impl() {
    assert_eq!(
        constants::<derived::GetSession>(),
        constants::<cli::GetSession>()
    );
    let hand = derived::GetSession {
        session_id: "s1".into(),
    };
    let generated = cli::GetSession {
        session_id: "s1".into(),
    };
    assert_eq!(wire(&hand), wire(&generated));
}

#[test]
fn build_script_items_are_the_committed_cli_items() {
    use quote::ToTokens;
    fn items(text: &str) -> Vec<String> {
        syn::parse_file(text)
            .unwrap_or_else(|e| panic!("{e}"))
            .items
            .iter()
            .map(|item| item.to_token_stream().to_string())
            .collect()
    }
    let built = items(include_str!(concat!(env!("OUT_DIR"), "/sessions.rs")));
    let committed = items(include_str!("../../../generated/src/evovoice_sessions.rs"));
    assert!(built.len() > 20, "{} items", built.len());
    // Every type, conversion and `Request` impl build.rs writes is in the CLI's file, token
    // for token. The committed file may carry more (options such as server glue), but no
    // other data types.
    for item in &built {
        assert!(committed.contains(item), "not in the CLI output: {item}");
    }
    for item in committed.iter().filter(|i| !built.contains(i)) {
        assert!(
            !item.starts_with("pub struct") && !item.starts_with("pub enum"),
            "a type only the CLI output has: {item}"
        );
    }
}
