//! XML on the wire: `XmlServiceClient` against the example server (whose router is generated
//! with `--server --xml`, `generated/src/evovoice_xml.rs`), the server's answers compared byte
//! for byte with the seed pages' XML samples, and its negotiation and errors over raw HTTP.

#[path = "../generated/examples/sessions_server/app.rs"]
#[allow(dead_code)]
mod app;

use std::sync::{Arc, Mutex};

use ssdto::client::{reqwest, Error, JsonServiceClient, RouteStrategy, XmlServiceClient};
use ssdto::server::axum;
use ssdto::server::{Access, HttpError, ServiceRouter};
use ssdto::xml;
use ssdto_generated::evovoice_xml::{
    FlowChannels, GetActiveSessions, GetActiveSessionsResponse, GetSession, ListResponse,
    ListSessions, NewSession, SessionInfo,
};
use ssdto_tests::{evovoice_payload, normalize_xml};

const KEY: [u8; 32] = [9; 32];

async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

async fn example() -> String {
    serve(app::routes(app::auth(&KEY, false)).into_router()).await
}

fn xml_client(base: &str, strategy: RouteStrategy) -> XmlServiceClient {
    XmlServiceClient::builder(base)
        .basic_auth("demo", "demo")
        .route_strategy(strategy)
        .build()
        .unwrap()
}

/// A raw request: status, content type and body.
async fn raw(request: reqwest::RequestBuilder) -> (u16, String, String) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

fn error_code(body: &str) -> Option<String> {
    let error: ssdto::ErrorResponse = xml::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    error.response_status.error_code
}

// ---------------------------------------------------------------- client × server

#[tokio::test]
async fn xml_client_calls_every_operation_of_the_example_server() {
    let base = example().await;
    let json = JsonServiceClient::builder(&base)
        .basic_auth("demo", "demo")
        .build()
        .unwrap();
    for strategy in [
        RouteStrategy::Api,
        RouteStrategy::JsonReply,
        RouteStrategy::Declared,
    ] {
        let client = xml_client(&base, strategy);
        let get = GetSession {
            session_id: "s1".into(),
        };
        let session = client.send(&get).await.unwrap();
        assert_eq!(session.id.as_deref(), Some("s1"), "{strategy:?}");
        // The same value as the JSON client reads.
        assert_eq!(session, json.send(&get).await.unwrap(), "{strategy:?}");

        let list = ListSessions {
            account_ids: Some(vec!["acc1".into()]),
            count_per_page: 2,
            ..ListSessions::default()
        };
        let page: ListResponse<SessionInfo> = client.send(&list).await.unwrap();
        assert_eq!(page.items.as_ref().map(Vec::len), Some(2), "{strategy:?}");
        assert_eq!(page, json.send(&list).await.unwrap(), "{strategy:?}");

        let active: GetActiveSessionsResponse =
            client.send(&GetActiveSessions::default()).await.unwrap();
        assert!(!active.sessions.unwrap_or_default().is_empty());

        let new = NewSession {
            display_name: Some(format!("xml {strategy:?} <&>")),
            channel: FlowChannels::Voice,
            to_address: Some("+15550000000".into()),
            member_email_addresses: Some(vec!["a@example.com".into()]),
            ..NewSession::default()
        };
        let created = client.send(&new).await.unwrap();
        assert_eq!(created.display_name, new.display_name, "{strategy:?}");
        let read_back = json
            .send(&GetSession {
                session_id: created.id.clone().unwrap(),
            })
            .await
            .unwrap();
        assert_eq!(read_back, created);
        client.send_oneway(&new).await.unwrap();
    }
    // What each strategy calls.
    let get = GetSession {
        session_id: "s1".into(),
    };
    assert_eq!(
        xml_client(&base, RouteStrategy::JsonReply)
            .url_for(ssdto::Method::Get, &get)
            .unwrap(),
        format!("{base}/xml/reply/GetSession?sessionId=s1")
    );
    // A JSON client's XML handle shares its credentials.
    assert_eq!(
        json.xml().send(&get).await.unwrap().id.as_deref(),
        Some("s1")
    );
}

/// The README's `XmlServiceClient` example, against the example server.
#[tokio::test]
async fn readme_client_example() -> Result<(), Error> {
    let base = example().await;
    let client = XmlServiceClient::builder(&base)
        .basic_auth("demo", "demo")
        .build()?;
    let session = client
        .send(&GetSession {
            session_id: "s1".into(),
        })
        .await?;
    let created = client
        .send(&NewSession {
            to_address: Some("+1555".into()),
            ..Default::default()
        })
        .await?;
    let json: &JsonServiceClient = client.json();
    let xml_again = json.xml();
    assert_eq!(session.id.as_deref(), Some("s1"));
    assert_eq!(created.to_address.as_deref(), Some("+1555"));
    assert_eq!(xml_again.base_url(), base);
    Ok(())
}

#[tokio::test]
async fn xml_client_reads_errors_from_xml_response_status() {
    let base = example().await;
    let client = xml_client(&base, RouteStrategy::Api);
    let missing = client
        .send(&GetSession {
            session_id: "nope".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.status(), Some(404));
    let status = missing.response_status().unwrap();
    assert_eq!(status.error_code.as_deref(), Some("NotFound"));
    assert_eq!(
        status.message.as_deref(),
        Some("Session 'nope' does not exist")
    );

    let invalid = client
        .send(&NewSession {
            channel: FlowChannels::Chat,
            ..NewSession::default()
        })
        .await
        .unwrap_err();
    assert_eq!(invalid.status(), Some(400));
    let field = invalid.field_error("WithAddress").unwrap();
    assert_eq!(field.error_code.as_deref(), Some("NotEmpty"));

    let anonymous = XmlServiceClient::new(&base).unwrap();
    let err = anonymous
        .send(&GetSession {
            session_id: "s1".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(
        err.response_status().unwrap().message.as_deref(),
        Some("Not Authenticated")
    );

    let guest = XmlServiceClient::builder(&base)
        .basic_auth("guest", "guest")
        .build()
        .unwrap();
    let err = guest.send(&GetActiveSessions::default()).await.unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(
        err.response_status().unwrap().message.as_deref(),
        Some("Invalid Role")
    );
    let api = guest.api(&GetActiveSessions::default()).await;
    assert_eq!(
        api.error().and_then(|e| e.error_code.as_deref()),
        Some("Forbidden")
    );
    assert!(matches!(err, Error::Service(_)));
}

// ---------------------------------------------------------------- the seed samples

/// A server whose services answer the seed pages' JSON samples and record what they got.
async fn seed_server(received: Arc<Mutex<Vec<NewSession>>>) -> String {
    struct Seed;
    let router = ServiceRouter::new(Arc::new(Seed))
        .xml_operation(Access::PUBLIC, |_: Arc<Seed>, _: GetSession, _| async {
            Ok(from_json::<SessionInfo>("GetSession.response.json"))
        })
        .xml_operation(
            Access::PUBLIC,
            |_: Arc<Seed>, _: GetActiveSessions, _| async {
                Ok(from_json::<GetActiveSessionsResponse>(
                    "GetActiveSessions.response.json",
                ))
            },
        )
        .xml_operation(Access::PUBLIC, move |_: Arc<Seed>, req: NewSession, _| {
            received.lock().unwrap().push(req);
            async { Ok(from_json::<SessionInfo>("NewSession.response.json")) }
        })
        .into_router();
    serve(router).await
}

fn from_json<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&evovoice_payload(name)).unwrap()
}

/// The sample as a server answers it: the XML declaration, then the document.
fn answer(sample: &str) -> String {
    format!(
        "{}{}",
        xml::DECLARATION,
        normalize_xml(&evovoice_payload(sample))
    )
}

#[tokio::test]
async fn server_answers_are_the_seed_samples_byte_for_byte() {
    let received = Arc::new(Mutex::new(Vec::new()));
    let base = seed_server(received.clone()).await;
    let http = reqwest::Client::new();

    let (status, content_type, body) = raw(http
        .get(format!("{base}/sessions/abc"))
        .header("Accept", "application/xml"))
    .await;
    assert_eq!((status, content_type.as_str()), (200, "application/xml"));
    assert_eq!(body, answer("GetSession.response.xml"));

    let (_, _, body) = raw(http.get(format!("{base}/sessions/active?format=xml"))).await;
    assert_eq!(body, answer("GetActiveSessions.response.xml"));

    // The request sample, posted as it is on the page (indented), binds to the JSON sample's
    // value; the answer is the response sample.
    let (status, _, body) = raw(http
        .post(format!("{base}/xml/reply/NewSession"))
        .header("Content-Type", "application/xml")
        .body(evovoice_payload("NewSession.request.xml")))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, answer("NewSession.response.xml"));
    let expected: NewSession = from_json("NewSession.request.json");
    assert_eq!(received.lock().unwrap().as_slice(), [expected]);

    // Without asking for XML, the same service answers JSON.
    let (_, content_type, body) = raw(http.get(format!("{base}/sessions/abc"))).await;
    assert_eq!(content_type, "application/json; charset=utf-8");
    let session: SessionInfo = serde_json::from_str(&body).unwrap();
    assert_eq!(session, from_json("GetSession.response.json"));
}

// ---------------------------------------------------------------- negotiation and errors

#[tokio::test]
async fn server_negotiates_the_format() {
    let base = example().await;
    let http = reqwest::Client::new();
    let get = |path: &str| {
        http.get(format!("{base}{path}"))
            .basic_auth("demo", Some("demo"))
    };
    let is_xml = |body: &str| body.starts_with(r#"<?xml version="1.0" encoding="utf-8"?><"#);

    for (request, xml_expected) in [
        (get("/sessions/s1"), false),
        (
            get("/sessions/s1").header("Accept", "application/xml"),
            true,
        ),
        (get("/sessions/s1").header("Accept", "text/xml"), true),
        (
            get("/sessions/s1").header("Accept", "application/xml, application/json"),
            false,
        ),
        (get("/sessions/s1?format=xml"), true),
        (
            get("/sessions/s1?format=json").header("Accept", "application/xml"),
            false,
        ),
        (get("/xml/reply/GetSession?sessionId=s1"), true),
        (get("/xml/oneway/GetSession?sessionId=s1"), true),
        (
            get("/json/reply/GetSession?sessionId=s1").header("Accept", "application/xml"),
            false,
        ),
        (
            get("/api/GetSession?sessionId=s1").header("Accept", "application/xml"),
            true,
        ),
    ] {
        let (status, content_type, body) = raw(request).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(is_xml(&body), xml_expected, "{body}");
        assert_eq!(content_type.starts_with("application/xml"), xml_expected);
    }

    // curl's `Accept: */*` with an XML body: answered in XML, as ServiceStack does.
    let (status, _, body) = raw(
        http.post(format!("{base}/api/NewSession"))
            .basic_auth("demo", Some("demo"))
            .header("Accept", "*/*")
            .header("Content-Type", "text/xml; charset=utf-8")
            .body(r#"<NewSession xmlns="http://schemas.datacontract.org/2004/07/Voice.Api.Sessions"><Channel>Voice</Channel><ToAddress>+1555</ToAddress></NewSession>"#),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let created: SessionInfo = xml::from_str(&body).unwrap();
    assert_eq!(created.to_address.as_deref(), Some("+1555"));

    // Raw results travel as they are whatever the format.
    let (status, content_type, body) = raw(get("/sessions/s1/log?format=xml")).await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/plain; charset=utf-8")
    );
    assert!(body.contains("Call answered by Alice"), "{body}");
}

#[tokio::test]
async fn query_and_path_override_an_xml_body() {
    let base = example().await;
    let http = reqwest::Client::new();
    let body = r#"<NewSession xmlns="http://schemas.datacontract.org/2004/07/Voice.Api.Sessions"><Channel>Voice</Channel><DisplayName>body</DisplayName><ToAddress>+1</ToAddress></NewSession>"#;
    let (status, _, answer) = raw(http
        .post(format!("{base}/sessions?displayName=query"))
        .basic_auth("demo", Some("demo"))
        .header("Content-Type", "application/xml")
        .header("Accept", "application/xml")
        .body(body))
    .await;
    assert_eq!(status, 200, "{answer}");
    let created: SessionInfo = xml::from_str(&answer).unwrap();
    assert_eq!(created.display_name.as_deref(), Some("query"));
    assert_eq!(created.to_address.as_deref(), Some("+1"));
}

#[tokio::test]
async fn every_error_comes_back_as_an_xml_response_status() {
    let base = example().await;
    let http = reqwest::Client::new();
    let xml_get = |path: &str| {
        http.get(format!("{base}{path}"))
            .header("Accept", "application/xml")
    };
    let post_xml = |body: String| {
        http.post(format!("{base}/api/NewSession"))
            .basic_auth("demo", Some("demo"))
            .header("Content-Type", "application/xml")
            .header("Accept", "application/xml")
            .body(body)
    };
    let deep = format!(
        "<NewSession>{}{}</NewSession>",
        "<DisplayName>".repeat(200),
        "</DisplayName>".repeat(200)
    );
    let huge = format!(
        "<NewSession><DisplayName>{}</DisplayName></NewSession>",
        "x".repeat(3 * 1024 * 1024)
    );
    let cases = [
        (xml_get("/sessions/s1"), 401, "Unauthorized"),
        (
            xml_get("/sessions/active").basic_auth("guest", Some("guest")),
            403,
            "Forbidden",
        ),
        (
            xml_get("/sessions/zzz").basic_auth("demo", Some("demo")),
            404,
            "NotFound",
        ),
        (xml_get("/no/such/path"), 404, "NotFound"),
        (
            http.delete(format!("{base}/sessions/active?format=xml")),
            405,
            "MethodNotAllowed",
        ),
        (
            post_xml(r#"<NewSession><Channel>Chat</Channel></NewSession>"#.into()),
            400,
            "NotEmpty",
        ),
        (
            post_xml("<NewSession><Channel>".into()),
            400,
            "RequestBindingException",
        ),
        (
            post_xml("not xml at all".into()),
            400,
            "RequestBindingException",
        ),
        (
            post_xml(r#"<!DOCTYPE x [<!ENTITY a "aaaa">]><NewSession/>"#.into()),
            400,
            "RequestBindingException",
        ),
        (
            post_xml("<NewSession><StartSession>maybe</StartSession></NewSession>".into()),
            400,
            "RequestBindingException",
        ),
        (post_xml(deep), 400, "RequestBindingException"),
        (post_xml(huge), 413, "RequestEntityTooLarge"),
        (
            http.post(format!("{base}/api/GetSession[]"))
                .basic_auth("demo", Some("demo"))
                .header("Content-Type", "application/xml")
                .body("<ArrayOfGetSession/>"),
            415,
            "NotSupportedException",
        ),
        (
            http.post(format!("{base}/api/GetSession[]?format=xml"))
                .basic_auth("demo", Some("demo"))
                .header("Content-Type", "application/json")
                .body(r#"[{"sessionId":"s1"}]"#),
            406,
            "NotSupportedException",
        ),
    ];
    for (request, status, code) in cases {
        let (got, content_type, body) = raw(request).await;
        assert_eq!(
            (got, content_type.as_str()),
            (status, "application/xml"),
            "{body}"
        );
        assert_eq!(error_code(&body).as_deref(), Some(code), "{body}");
    }

    // A bad value names its element.
    let (_, _, body) = raw(post_xml(
        "<NewSession><StartSession>maybe</StartSession></NewSession>".into(),
    ))
    .await;
    let error: ssdto::ErrorResponse = xml::from_str(&body).unwrap();
    assert_eq!(
        error.response_status.errors[0].field_name.as_deref(),
        Some("StartSession")
    );
}

#[tokio::test]
async fn a_service_error_and_a_panic_follow_the_format() {
    struct Failing;
    let router = ServiceRouter::new(Arc::new(Failing))
        .xml_operation(
            Access::PUBLIC,
            |_: Arc<Failing>, req: GetSession, _| async move {
                match req.session_id.as_str() {
                    "panic" => panic!("boom"),
                    _ => Err::<SessionInfo, _>(HttpError::conflict("taken")),
                }
            },
        )
        .into_router();
    let base = serve(router).await;
    let http = reqwest::Client::new();
    for (id, status, code) in [("x", 409, "Conflict"), ("panic", 500, "Exception")] {
        let (got, _, body) =
            raw(http.get(format!("{base}/xml/reply/GetSession?sessionId={id}"))).await;
        assert_eq!(got, status);
        assert_eq!(error_code(&body).as_deref(), Some(code), "{body}");
        // JSON otherwise.
        let (_, content_type, _) =
            raw(http.get(format!("{base}/api/GetSession?sessionId={id}"))).await;
        assert_eq!(content_type, "application/json; charset=utf-8");
    }
}
