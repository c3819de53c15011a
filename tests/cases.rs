//! The shapes real contracts have, each handled on purpose (issue 10, section 1), and the .NET
//! framework types and `[Flags]` enums on the wire: what `ssdto_gen::generate` says about
//! `contracts/cases/*.json`, and how the code committed for them in `generated/src/cases`
//! reads and writes JSON, query strings and, for flags, a loopback call through the client
//! and the server.

use std::net::SocketAddr;
use std::sync::Arc;

use serde_json::{json, Value};
use ssdto::server::{axum, HttpError};
use ssdto::{Request, ResponseFormat, Void};
use ssdto_gen::{Error, Options, WarningKind};
use ssdto_generated::cases::{dotnet_types as dt, flags_server, shapes};

fn case(name: &str) -> String {
    let path = format!("{}/../contracts/cases/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn shapes_generated() -> ssdto_gen::Generated {
    ssdto_gen::generate(&case("shapes.json"), &Options::default()).unwrap()
}

/// Round-trips `value` through JSON and checks what was written.
fn json_round_trip<T>(value: &T, expected: Value)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let written = serde_json::to_value(value).unwrap();
    assert_eq!(written, expected);
    let back: T = serde_json::from_value(written).unwrap();
    assert_eq!(&back, value);
}

#[test]
fn operations_with_neither_a_response_nor_returns_void_answer_any_json() {
    let _: <shapes::NoResponse as Request>::Response = Value::Null;
    const { assert!(!shapes::NoResponse::RETURNS_VOID) };
    assert_eq!(shapes::NoResponse::RESPONSE_FORMAT, ResponseFormat::Dto);
}

#[test]
fn returns_void_wins_over_a_response_type() {
    let _: <shapes::VoidWithResponse as Request>::Response = Void;
    const { assert!(shapes::VoidWithResponse::RETURNS_VOID) };
    // The response type itself is still generated, for servers that send it anyway.
    let _ = shapes::Post::default();
}

#[test]
fn inner_types_are_references_and_compiler_generated_names_never_items() {
    let out = shapes_generated();
    assert!(!out.code.contains("DisplayClass"), "{}", out.code);
    let skipped: Vec<_> = out
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::SkippedType)
        .collect();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0].path, "types[3]");
    let outer: shapes::Outer = serde_json::from_value(json!({"inner":{"value":"v"}})).unwrap();
    assert_eq!(outer.inner.unwrap().value.as_deref(), Some("v"));
}

#[test]
fn generic_args_holding_csharp_text_are_parsed() {
    let blog: shapes::Blog = serde_json::from_value(json!({
        "postsByTag": {"rust": [{"id": 1, "title": "a"}]},
        "PostsByTagText": {"go": []},
        "nested": [{"k": [1, null]}]
    }))
    .unwrap();
    assert_eq!(blog.posts_by_tag.unwrap()["rust"][0].title, "a");
    assert!(blog.posts_by_tag_text.unwrap()["go"].is_empty());
    assert_eq!(blog.nested.unwrap()[0]["k"], [Some(1), None]);
    // A returnType argument in C# text: `QueryResponse<Dictionary<String,List<Post>>>`.
    let page: <shapes::GetBlog as Request>::Response =
        serde_json::from_value(json!({"results": [{"a": [{"id": 2, "title": "b"}]}]})).unwrap();
    assert_eq!(page.results[0]["a"][0].id, 2);
}

#[test]
fn an_app_json_whose_api_has_no_config_generates() {
    let out = ssdto_gen::generate(
        &case("app-without-api-config.app.json"),
        &Options::default(),
    )
    .unwrap();
    assert!(out.code.contains("impl ::ssdto::Request for SayHello"));
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

#[test]
fn is_required_true_false_or_absent() {
    // Construction spells out each field's type: required ones are plain, others `Option`;
    // value types are required whatever `isRequired` says, as they cannot be null.
    let r = shapes::Requiredness {
        ref_required: String::new(),
        ref_not_required: None::<String>,
        ref_absent: None::<String>,
        value_required: 0i32,
        value_not_required: 0i32,
        value_absent: 0i32,
        nullable_required: None::<i32>,
        nullable_absent: None::<i32>,
        data_member_required: String::new(),
    };
    json_round_trip(
        &r,
        json!({"refRequired": "", "valueRequired": 0, "valueNotRequired": 0, "valueAbsent": 0,
               "dm_required": ""}),
    );
}

#[test]
fn polymorphic_values_keep_their_type_tag() {
    // As ServiceStack.Text writes an abstract-typed or interface-typed member: `__type` first.
    let wire = json!({
        "star": {"__type": "Cases.Shapes.Dog, Cases", "name": "Rex", "barks": true},
        "animals": [{"__type": "Cases.Shapes.Cat, Cases", "name": "Tom", "lives": 9}],
        "shape": {"__type": "Cases.Shapes.Circle, Cases", "area": 3.5},
        "pet": {"name": "Fido", "barks": false}
    });
    let zoo: shapes::Zoo = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(zoo.star.as_ref().unwrap()["barks"], true);
    assert_eq!(zoo.pet.as_ref().unwrap().name.as_deref(), Some("Fido"));
    assert_eq!(serde_json::to_value(&zoo).unwrap(), wire);
}

#[test]
fn same_name_in_two_namespaces_keeps_both_and_warns() {
    let out = shapes_generated();
    let duplicate: Vec<_> = out
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::DuplicateType)
        .collect();
    assert_eq!(duplicate.len(), 1);
    assert_eq!(duplicate[0].path, "types[12]");
    assert!(duplicate[0].message.contains("`SalesInvoice`"));
    // References carrying a namespace find their own type; the one with members is kept.
    let order: shapes::Order = serde_json::from_value(json!({
        "billing": {}, "sale": {"customer": "c", "total": 2.5}, "anyInvoices": [{}]
    }))
    .unwrap();
    let sale: shapes::SalesInvoice = order.sale.unwrap();
    assert_eq!((sale.customer.as_deref(), sale.total), (Some("c"), 2.5));
    let _: Option<shapes::Invoice> = order.billing;
}

#[test]
fn a_top_level_array_or_scalar_is_an_error() {
    for text in ["[]", "[{}]", "1", "\"types\"", "null"] {
        let err = ssdto_gen::generate(text, &Options::default()).unwrap_err();
        assert!(matches!(err, Error::Json { .. }), "{text}: {err}");
    }
}

#[test]
fn undefined_names_become_json_aliases_with_a_warning_per_use() {
    let out = shapes_generated();
    let undefined: Vec<(&str, &str)> = out
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::UndefinedType)
        .map(|w| (w.path.as_str(), w.message.as_str()))
        .collect();
    let paths: Vec<&str> = undefined.iter().map(|(p, _)| *p).collect();
    assert_eq!(
        paths,
        [
            "types[21].inherits",
            "types[21].properties[0]",
            "types[21].properties[1]",
            "types[21].properties[2]",
            "types[21].properties[3]",
        ]
    );
    assert!(undefined[1].1.starts_with("value type `Point`"));
    assert!(undefined[3].1.starts_with("type `Envelope<String>`"));
    assert_eq!(out.undefined_types, ["Point", "GeoJsonFeature", "Envelope"]);
    let geo: shapes::Geo = serde_json::from_value(json!({
        "origin": {"x": 1, "y": 2}, "feature": {"type": "Feature"}, "wrapped": "w"
    }))
    .unwrap();
    let origin: &shapes::Point = &geo.origin;
    assert_eq!(origin["y"], 2);
    // Strict: the same warnings are one error naming the first path.
    let strict = Options::default().with_strict(true);
    let err = ssdto_gen::generate(&case("shapes.json"), &strict).unwrap_err();
    let Error::Strict { warnings } = &err else {
        panic!("{err}")
    };
    assert_eq!(warnings, &out.warnings);
    assert!(err.to_string().starts_with("types[3]: "), "{err}");
}

#[test]
fn classes_inheriting_collections_travel_as_the_collection() {
    json_round_trip(
        &shapes::Tags(vec!["a".into(), "b".into()]),
        json!(["a", "b"]),
    );
    let catalog: shapes::Catalog = serde_json::from_value(json!({
        "tags": ["x"], "scores": {"a": 1}, "posts": [{"id": 1, "title": "t"}],
        "page": [{"id": 2, "title": "u"}], "things": [1, "two", null]
    }))
    .unwrap();
    assert_eq!(catalog.scores.unwrap().0["a"], 1);
    assert_eq!(catalog.page.unwrap().0[0].id, 2);
    assert_eq!(catalog.things.unwrap().0.len(), 3);
    // A batch request: the DTO is the JSON array.
    let batch = shapes::BatchCreatePosts(vec![shapes::Post {
        id: 1,
        title: "t".into(),
    }]);
    assert_eq!(
        serde_json::to_value(&batch).unwrap(),
        json!([{"id": 1, "title": "t"}])
    );
    let _: <shapes::BatchCreatePosts as Request>::Response = vec![1i32];
}

#[test]
fn servicestack_base_classes_the_contract_omits_are_inlined() {
    let q = shapes::QueryPosts {
        take: Some(10),
        title_contains: Some("rust".into()),
        ..Default::default()
    };
    assert_eq!(
        ssdto::query::to_query_string(&q, &[]).unwrap(),
        "take=10&titleContains=rust"
    );
    let _: <shapes::QueryPosts as Request>::Response =
        ssdto::QueryResponse::<shapes::Post>::default();
    let audited: shapes::AuditedPost =
        serde_json::from_value(json!({"createdBy": "me", "title": "t"})).unwrap();
    assert_eq!(audited.created_by.as_deref(), Some("me"));
    // The contract's own `Version` wins over the framework's.
    let release: shapes::Release =
        serde_json::from_value(json!({"version": {"major": 3}})).unwrap();
    assert_eq!(release.version.unwrap().major, 3);
}

#[test]
fn raw_responses_declare_their_format() {
    assert_eq!(dt::GetText::RESPONSE_FORMAT, ResponseFormat::Text);
    assert_eq!(dt::GetTaskOfText::RESPONSE_FORMAT, ResponseFormat::Text);
    for format in [
        dt::GetBytes::RESPONSE_FORMAT,
        dt::GetStream::RESPONSE_FORMAT,
        dt::GetMemoryStream::RESPONSE_FORMAT,
        dt::GetHttpWebResponse::RESPONSE_FORMAT,
    ] {
        assert_eq!(format, ResponseFormat::Bytes);
    }
    let _: <dt::GetText as Request>::Response = String::new();
    let _: <dt::GetStream as Request>::Response = ssdto::Bytes::default();
    // Task<T> and ValueTask<T> are their result; a bare Task or ValueTask is void.
    let _: <dt::GetTaskOfDto as Request>::Response = dt::Dto::default();
    assert_eq!(dt::GetTaskOfDto::RESPONSE_FORMAT, ResponseFormat::Dto);
    let _: <dt::GetValueTaskOfNumber as Request>::Response = 0i32;
    let _: <dt::GetTaskOfObject as Request>::Response = Value::Null;
    const { assert!(dt::RunTask::RETURNS_VOID && dt::RunValueTask::RETURNS_VOID) };
    let _: <dt::GetDtos as Request>::Response = Vec::<dt::Dto>::new();
    let _: <dt::GetPair as Request>::Response = ssdto::KeyValuePair::<String, dt::Dto>::default();
    let _: <dt::GetDay as Request>::Response = ssdto::DayOfWeek::Monday;
}

#[test]
fn framework_types_read_what_servicestack_writes() {
    // As ServiceStack.Text writes them, camelCase (see the table in generator/src/dotnet.rs).
    let wire = json!({
        "int128": "170141183460469231731687303715884105727",
        "bigInteger": 12,
        "half": "1.5",
        "char": "x",
        "dateTime": "/Date(1609459200000)/",
        "timeSpan": "PT1H30M",
        "guid": "0f8fad5bd9cb469fa16570867728950e",
        "uri": "https://example.org/",
        "type": "System.String, System.Private.CoreLib",
        "exception": "boom",
        "version": {"major": 1, "minor": 2},
        "hashSet1": ["a", "a"],
        "nameValueCollection": ["k1", "k2"],
        "hashtable": {"a": 1, "b": [true]},
        "stringDictionary": {"a": "b"},
        "keyValuePair2": {"key": "k", "value": 7},
        "tuple3": {"item1": 1, "item2": "two", "item3": true},
        "valueTuple1": {"Item1": 5},
        "nullable1": null,
        "stream": "AP8=",
        "iHttpFile": {"name": "f", "fileName": "a.png", "contentLength": 3, "contentType": "image/png"},
        "dayOfWeek": "Friday",
        "httpStatusCode": "NotFound",
        "nullableDay": 1,
        "requiredStream": "aGk="
    });
    let all: dt::EveryFrameworkType = serde_json::from_value(wire).unwrap();
    assert_eq!(all.int128.parse::<i128>().unwrap(), i128::MAX);
    assert_eq!(all.big_integer.as_str(), "12");
    assert_eq!(all.half.parse::<f32>().unwrap(), 1.5);
    assert_eq!(all.char, 'x');
    assert_eq!(all.date_time.unix_millis(), 1_609_459_200_000);
    assert_eq!(all.time_span.as_nanos(), 5_400_000_000_000);
    assert_eq!(all.guid.to_string(), "0f8fad5b-d9cb-469f-a165-70867728950e");
    assert_eq!(
        all.r#type.as_deref(),
        Some("System.String, System.Private.CoreLib")
    );
    assert_eq!(all.version.as_ref().unwrap()["minor"], 2);
    assert_eq!(*all.hash_set1.as_ref().unwrap(), ["a", "a"]);
    assert_eq!(*all.name_value_collection.as_ref().unwrap(), ["k1", "k2"]);
    assert_eq!(all.hashtable.as_ref().unwrap()["b"][0], true);
    assert_eq!(
        all.key_value_pair2,
        ssdto::KeyValuePair::from(("k".to_owned(), 7))
    );
    let t = all.tuple3.as_ref().unwrap();
    assert_eq!((t.item1, t.item2.as_str(), t.item3), (1, "two", true));
    assert_eq!(all.value_tuple1.item1, 5);
    assert_eq!(all.stream.as_ref().unwrap().0, [0, 255]);
    assert_eq!(all.i_http_file.as_ref().unwrap().content_length, 3);
    assert_eq!(all.day_of_week, ssdto::DayOfWeek::Friday);
    assert_eq!(all.http_status_code, ssdto::HttpStatusCode(404));
    assert_eq!(all.nullable_day, Some(ssdto::DayOfWeek::Monday));
    assert_eq!(*all.required_stream, *b"hi");
    // And writes them back in the same forms.
    let written = serde_json::to_value(&all).unwrap();
    assert_eq!(written["keyValuePair2"], json!({"key": "k", "value": 7}));
    assert_eq!(written["httpStatusCode"], "NotFound");
    assert_eq!(written["int128"], "170141183460469231731687303715884105727");
    assert_eq!(
        written["tuple3"],
        json!({"item1": 1, "item2": "two", "item3": true})
    );
}

#[test]
fn flags_are_integers_that_keep_unknown_bits() {
    use shapes::Permissions as P;
    let p = P::READ | P::DELETE;
    assert!(p.contains(P::READ) && !p.contains(P::WRITE));
    assert_eq!(format!("{p:?}"), "Permissions(Read | Delete)");
    assert_eq!(
        format!("{:?}", P::from_bits_retain(3 | 64)),
        "Permissions(ReadWrite | 0x40)"
    );
    assert_eq!(
        (P::READ | P::WRITE).iter().collect::<Vec<_>>(),
        [P::READ_WRITE]
    );
    let req = shapes::EchoPermissions {
        id: 1,
        permissions: p,
        maybe: Some(P::from_bits_retain(1 << 40)),
        all: Some(vec![P::NONE, P::ADMIN]),
    };
    json_round_trip(
        &req,
        json!({"id": 1, "permissions": 5, "maybe": 1_099_511_627_776_i64, "all": [0, 8]}),
    );
    let named: shapes::EchoPermissions =
        serde_json::from_value(json!({"permissions": "Read, Delete", "all": ["admin"]})).unwrap();
    assert_eq!(named.permissions, p);
    assert_eq!(named.all.unwrap(), [P::ADMIN]);
    assert_eq!(
        ssdto::query::to_query_string(&req, &["id"]).unwrap(),
        "permissions=5&maybe=1099511627776&all=0,8"
    );
}

struct Echo;

impl flags_server::Service for Echo {
    async fn echo_permissions(
        &self,
        req: flags_server::EchoPermissions,
        _: ssdto::server::Context,
    ) -> Result<flags_server::EchoPermissionsResponse, HttpError> {
        let names = req.permissions.iter().map(|p| format!("{p:?}")).collect();
        Ok(flags_server::EchoPermissionsResponse {
            permissions: req.permissions,
            maybe: req.maybe,
            all: req.all,
            names: Some(names),
            response_status: None,
        })
    }
}

async fn serve(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// A `[Flags]` value through the generated client-side DTOs, ssdto's client (GET: query string;
/// POST: JSON body), the generated `router` and back, unknown bits included.
#[tokio::test(flavor = "current_thread")]
async fn flags_round_trip_through_the_client_and_the_server() {
    use flags_server::{EchoPermissions, Permissions as P};
    let addr = serve(flags_server::router(Arc::new(Echo)).into_router()).await;
    let client = ssdto::client::JsonServiceClient::builder(&format!("http://{addr}"))
        .build()
        .unwrap();
    let req = EchoPermissions {
        id: 7,
        permissions: P::READ | P::WRITE | P::from_bits_retain(256),
        maybe: None,
        all: Some(vec![P::ADMIN, P::from_bits_retain(3)]),
    };
    for via_post in [false, true] {
        let reply = if via_post {
            client.post(&req).await.unwrap()
        } else {
            client.send(&req).await.unwrap()
        };
        assert_eq!(reply.permissions, req.permissions, "post: {via_post}");
        assert_eq!(reply.maybe, None);
        assert_eq!(reply.all, req.all);
        assert_eq!(
            reply.names.unwrap(),
            ["Permissions(ReadWrite)", "Permissions(0x100)"]
        );
    }
}
