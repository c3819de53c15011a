//! The server's access control, auth endpoints, batches, one-way requests, raw responses,
//! uploads, self-description and production basics, over loopback with hand-written HTTP/1.1:
//! the example `sessions_server` app for what the Evo Voice contract has, a hand-built
//! `ServiceRouter` for the rest.

#[path = "../generated/examples/sessions_server/app.rs"]
#[allow(dead_code)]
mod app;
#[path = "support/http.rs"]
#[allow(dead_code)]
mod http;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ssdto::server::auth::{AuthFeature, Jwt};
use ssdto::server::{axum, Access, Context, Cors, HttpError, Principal, ServiceRouter};
use ssdto::{Method, Request, ResponseFormat, Route, Void};

use http::{raw, send, serve, Reply, DEMO, GUEST};

const KEY: [u8; 32] = [7; 32];
const ADMIN: &str = "Basic YWRtaW46YWRtaW4="; // admin:admin

async fn example() -> SocketAddr {
    serve(app::routes(app::auth(&KEY, true)).into_router()).await
}

/// The `name=value` of each `Set-Cookie`.
fn set_cookies(reply: &Reply) -> Vec<(String, String)> {
    reply
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next()?.split_once('='))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

fn cookie_header(cookies: &[(String, String)]) -> String {
    cookies
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn cookie<'a>(cookies: &'a [(String, String)], name: &str) -> &'a str {
    cookies
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} cookie in {cookies:?}"))
}

// ---------------------------------------------------------------- access from the contract

/// Every protected Evo Voice operation, on its declared route and on `/api`, without a caller
/// (401), with a caller lacking the role (403 where the contract names one) and with the role.
#[tokio::test]
async fn every_protected_operation_three_ways() {
    let addr = example().await;
    // (verb, declared path, /api path, body, role required)
    let operations = [
        ("GET", "/sessions", "/api/ListSessions", None, false),
        (
            "GET",
            "/sessions/active",
            "/api/GetActiveSessions",
            None,
            true,
        ),
        (
            "GET",
            "/sessions/s1",
            "/api/GetSession?sessionId=s1",
            None,
            false,
        ),
        (
            "POST",
            "/sessions",
            "/api/NewSession",
            Some(r#"{"channel":"Chat","withAddress":"x@example.com"}"#),
            true,
        ),
    ];
    for (verb, declared, api, body, needs_role) in operations {
        for path in [declared, api] {
            let call = |auth: Option<&'static str>| {
                let mut headers = vec![("Content-Type", "application/json")];
                headers.extend(auth.map(|a| ("Authorization", a)));
                async move { send(addr, verb, path, &headers, body).await }
            };
            let none = call(None).await;
            let rs = none.status_body(401);
            assert_eq!(rs["errorCode"], "Unauthorized", "{verb} {path}");
            assert_eq!(rs["message"], "Not Authenticated", "{verb} {path}");
            assert_eq!(
                none.header("www-authenticate"),
                Some("credentials realm=\"/auth/credentials\""),
                "{verb} {path}"
            );
            let guest = call(Some(GUEST)).await;
            if needs_role {
                let rs = guest.status_body(403);
                assert_eq!(rs["errorCode"], "Forbidden", "{verb} {path}");
                assert_eq!(rs["message"], "Invalid Role", "{verb} {path}");
                assert_eq!(guest.header("www-authenticate"), None);
            } else {
                assert_eq!(guest.status, 200, "{verb} {path}: authentication is enough");
            }
            for user in [DEMO, ADMIN, "Bearer demo-token"] {
                let ok = call(Some(user)).await;
                assert_eq!(ok.status, 200, "{verb} {path} as {user}: {:?}", ok.json());
            }
        }
    }
}

#[tokio::test]
async fn wrong_credentials_and_tokens_are_401_and_never_reach_the_service() {
    let addr = example().await;
    for auth in [
        "Basic ZGVtbzp4",           // demo:x
        "Basic !!!",                // not base64
        "Bearer no-such-key",       // unknown API key
        "Bearer a.b.c",             // not our JWT
        "Digest username=\"demo\"", // an unknown scheme is no credential at all
    ] {
        let reply = send(addr, "GET", "/sessions", &[("Authorization", auth)], None).await;
        reply.status_body(401);
    }
    // A protected batch is refused as a whole.
    send(
        addr,
        "POST",
        "/api/GetSession[]",
        &[],
        Some(r#"[{"sessionId":"s1"}]"#),
    )
    .await
    .status_body(401);
}

// ---------------------------------------------------------------- auth endpoints

#[tokio::test]
async fn credentials_sign_in_session_cookies_and_logout() {
    // Sessions without JWTs: the ss-id/ss-pid cookies carry the session.
    let auth = AuthFeature::new(app::Users);
    let addr = serve(app::routes(auth).into_router()).await;
    let signed_in = send(
        addr,
        "POST",
        "/auth/credentials",
        &[("Content-Type", "application/json")],
        Some(r#"{"userName":"demo","password":"demo"}"#),
    )
    .await;
    assert_eq!(signed_in.status, 200);
    let body = signed_in.json();
    assert_eq!(body["userName"], "demo");
    assert_eq!(body["roles"], json!(["User"]));
    let cookies = set_cookies(&signed_in);
    let session = cookie(&cookies, "ss-id");
    assert_eq!(body["sessionId"], session);
    assert_eq!(session.len(), 20);
    assert_eq!(cookie(&cookies, "ss-pid").len(), 20);
    assert_eq!(cookie(&cookies, "ss-opt"), "temp");
    let jar = cookie_header(&cookies);
    let active = send(addr, "GET", "/sessions/active", &[("Cookie", &jar)], None).await;
    assert_eq!(active.status, 200);
    // The X-ss-id header works as the cookie does.
    let by_header = send(addr, "GET", "/sessions", &[("X-ss-id", session)], None).await;
    assert_eq!(by_header.status, 200);
    // GET /auth tells who is signed in.
    let me = send(addr, "GET", "/auth", &[("Cookie", &jar)], None).await;
    assert_eq!(me.json()["userId"], "1");
    send(addr, "GET", "/auth", &[], None).await.status_body(401);

    // rememberMe: the permanent id carries the session.
    let remembered = send(
        addr,
        "POST",
        "/api/Authenticate",
        &[],
        Some(r#"{"provider":"login","userName":"guest","password":"guest","rememberMe":true}"#),
    )
    .await;
    let cookies = set_cookies(&remembered);
    assert_eq!(cookie(&cookies, "ss-opt"), "perm");
    assert_eq!(remembered.json()["sessionId"], cookie(&cookies, "ss-pid"));
    let guest_jar = cookie_header(&cookies);
    let guest = send(
        addr,
        "GET",
        "/sessions/active",
        &[("Cookie", &guest_jar)],
        None,
    )
    .await;
    guest.status_body(403);

    // Logout ends the session and clears the cookies.
    let out = send(addr, "POST", "/auth/logout", &[("Cookie", &jar)], None).await;
    assert_eq!(out.status, 200);
    let cleared = set_cookies(&out);
    assert!(cleared.iter().any(|(n, v)| n == "ss-id" && v.is_empty()));
    assert!(out
        .headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.contains("Max-Age=0")));
    send(addr, "GET", "/sessions", &[("Cookie", &jar)], None)
        .await
        .status_body(401);
    // The other user's session is untouched.
    let still = send(addr, "GET", "/sessions", &[("Cookie", &guest_jar)], None).await;
    assert_eq!(still.status, 200);
}

#[tokio::test]
async fn sign_in_failures_answer_as_servicestack() {
    let addr = example().await;
    let wrong = send(
        addr,
        "POST",
        "/auth/credentials",
        &[],
        Some(r#"{"userName":"demo","password":"nope"}"#),
    )
    .await;
    assert_eq!(
        wrong.status_body(401)["message"],
        "Invalid Username or Password"
    );
    let empty = send(addr, "POST", "/auth/credentials", &[], Some("{}")).await;
    let rs = empty.status_body(400);
    assert_eq!(rs["errors"][0]["fieldName"], "UserName");
    assert_eq!(rs["errors"][0]["errorCode"], "NotEmpty");
    assert_eq!(rs["errors"][1]["fieldName"], "Password");
    let unknown = send(addr, "POST", "/auth/twitter", &[], Some("{}")).await;
    assert_eq!(
        unknown.status_body(404)["message"],
        "No configuration was added for OAuth provider 'twitter'"
    );
    // /auth/basic signs in with the Authorization header's credentials.
    let basic = send(
        addr,
        "POST",
        "/auth/basic",
        &[("Authorization", DEMO)],
        None,
    )
    .await;
    assert_eq!(basic.status, 200);
    assert_eq!(basic.json()["userName"], "demo");
}

#[tokio::test]
async fn jwt_cookies_expire_and_refresh() {
    let addr = example().await;
    let signed_in = send(
        addr,
        "POST",
        "/auth/credentials",
        &[],
        Some(r#"{"userName":"demo","password":"demo"}"#),
    )
    .await;
    assert_eq!(signed_in.status, 200);
    // Tokens travel in cookies the client's scripts cannot read, and X-Cookies says so.
    assert_eq!(signed_in.header("x-cookies"), Some("ss-tok,ss-reftok"));
    assert_eq!(signed_in.json()["bearerToken"], Value::Null);
    let cookies = set_cookies(&signed_in);
    let token = cookie(&cookies, "ss-tok").to_owned();
    let refresh = cookie(&cookies, "ss-reftok").to_owned();
    let jar = format!("ss-tok={token}; ss-reftok={refresh}");
    assert_eq!(
        send(addr, "GET", "/sessions/active", &[("Cookie", &jar)], None)
            .await
            .status,
        200
    );
    // The same token as a Bearer header.
    let bearer = format!("Bearer {token}");
    assert_eq!(
        send(
            addr,
            "GET",
            "/sessions/active",
            &[("Authorization", &bearer)],
            None
        )
        .await
        .status,
        200
    );

    // An expired token answers 401, which is what makes clients refresh.
    let demo = Principal::new("1", "demo").with_roles(["User"]);
    let month_ago = SystemTime::now() - Duration::from_secs(30 * 24 * 3600);
    let expired = Jwt::hs256(KEY).access_token(&demo, month_ago);
    let stale_jar = format!("ss-tok={expired}; ss-reftok={refresh}");
    let rs = send(
        addr,
        "GET",
        "/sessions/active",
        &[("Cookie", &stale_jar)],
        None,
    )
    .await
    .status_body(401);
    assert_eq!(rs["errorCode"], "TokenException");
    assert_eq!(rs["message"], "Token has expired");

    // GetAccessToken from the refresh cookie: a new ss-tok cookie, no token in the body.
    let refreshed = send(
        addr,
        "POST",
        "/api/GetAccessToken",
        &[("Cookie", &stale_jar)],
        Some("{}"),
    )
    .await;
    assert_eq!(refreshed.status, 200);
    assert_eq!(refreshed.json(), json!({}));
    let new_token = cookie(&set_cookies(&refreshed), "ss-tok").to_owned();
    let fresh_jar = format!("ss-tok={new_token}");
    assert_eq!(
        send(
            addr,
            "GET",
            "/sessions/active",
            &[("Cookie", &fresh_jar)],
            None
        )
        .await
        .status,
        200
    );
    // From the body (bearer clients), on /access-token as well: a server with token cookies
    // still answers with the cookie and an empty body, as ServiceStack's GetAccessTokenService
    // does whenever `UseTokenCookie` is on.
    for path in ["/api/GetAccessToken", "/access-token"] {
        let body = format!(r#"{{"refreshToken":"{refresh}","useTokenCookie":false}}"#);
        let refreshed = send(addr, "POST", path, &[], Some(&body)).await;
        assert_eq!(refreshed.json(), json!({}), "{path}");
        let access = cookie(&set_cookies(&refreshed), "ss-tok").to_owned();
        let bearer = format!("Bearer {access}");
        assert_eq!(
            send(
                addr,
                "GET",
                "/sessions/active",
                &[("Authorization", &bearer)],
                None
            )
            .await
            .status,
            200
        );
    }
    // A refresh token is not an access token, an access token not a refresh token, and
    // tokens signed with another key are nobody's.
    let as_bearer = format!("Bearer {refresh}");
    send(
        addr,
        "GET",
        "/sessions",
        &[("Authorization", &as_bearer)],
        None,
    )
    .await
    .status_body(401);
    let swapped = format!(r#"{{"refreshToken":"{token}"}}"#);
    let rs = send(addr, "POST", "/api/GetAccessToken", &[], Some(&swapped))
        .await
        .status_body(400);
    assert_eq!(rs["message"], "RefreshToken is Invalid");
    let forged = Jwt::hs256([9; 32]).access_token(&demo, SystemTime::now());
    let forged = format!("Bearer {forged}");
    send(
        addr,
        "GET",
        "/sessions",
        &[("Authorization", &forged)],
        None,
    )
    .await
    .status_body(401);
    let missing = send(addr, "POST", "/api/GetAccessToken", &[], Some("{}")).await;
    missing.status_body(400);
    let expired_refresh =
        Jwt::hs256(KEY).refresh_token("1", month_ago - Duration::from_secs(400 * 24 * 3600));
    let body = format!(r#"{{"refreshToken":"{expired_refresh}"}}"#);
    send(addr, "POST", "/api/GetAccessToken", &[], Some(&body))
        .await
        .status_body(401);
}

#[tokio::test]
async fn jwt_in_the_response_body_when_not_in_cookies() {
    let addr = serve(app::routes(app::auth(&KEY, false)).into_router()).await;
    let signed_in = send(
        addr,
        "POST",
        "/auth/credentials",
        &[],
        Some(r#"{"userName":"guest","password":"guest"}"#),
    )
    .await;
    let body = signed_in.json();
    let bearer = format!("Bearer {}", body["bearerToken"].as_str().unwrap());
    assert!(body["refreshToken"].is_string());
    assert_eq!(signed_in.header("x-cookies"), None);
    // A session too, as ServiceStack keeps one beside the tokens.
    assert_eq!(body["sessionId"], cookie(&set_cookies(&signed_in), "ss-id"));
    assert_eq!(
        send(
            addr,
            "GET",
            "/sessions",
            &[("Authorization", &bearer)],
            None
        )
        .await
        .status,
        200
    );
    // The token carries the roles: guest has none.
    send(
        addr,
        "GET",
        "/sessions/active",
        &[("Authorization", &bearer)],
        None,
    )
    .await
    .status_body(403);
    // A refresh token from the body answers in the body, without cookies; one from the
    // `ss-reftok` cookie answers with the `ss-tok` cookie, whatever the server's setting.
    let refresh = body["refreshToken"].as_str().unwrap();
    let from_body = format!(r#"{{"refreshToken":"{refresh}"}}"#);
    let refreshed = send(addr, "POST", "/api/GetAccessToken", &[], Some(&from_body)).await;
    assert_eq!(refreshed.status, 200);
    assert!(refreshed.json()["accessToken"].is_string());
    assert!(set_cookies(&refreshed).is_empty());
    let jar = format!("ss-reftok={refresh}");
    let refreshed = send(
        addr,
        "POST",
        "/api/GetAccessToken",
        &[("Cookie", &jar)],
        Some("{}"),
    )
    .await;
    assert_eq!(refreshed.json(), json!({}));
    assert_eq!(set_cookies(&refreshed)[0].0, "ss-tok");
}

// ---------------------------------------------------------------- batches and one-way

#[tokio::test]
async fn auto_batches_run_in_order_and_stop_at_the_first_error() {
    let addr = example().await;
    let auth = [("Authorization", DEMO)];
    for path in [
        "/api/GetSession[]",
        "/json/reply/GetSession[]",
        "/json/oneway/GetSession[]",
        "/api/GetSession%5B%5D",
    ] {
        let ok = send(
            addr,
            "POST",
            path,
            &auth,
            Some(r#"[{"sessionId":"s2"},{"SessionId":"s1"}]"#),
        )
        .await;
        assert_eq!(ok.status, 200, "{path}");
        assert_eq!(ok.header("x-autobatch-completed"), Some("2"), "{path}");
        let json = ok.json();
        let ids: Vec<&str> = json
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["s2", "s1"], "{path}");
    }
    let failed = send(
        addr,
        "POST",
        "/api/GetSession[]",
        &auth,
        Some(r#"[{"sessionId":"s1"},{"sessionId":"nope"},{"sessionId":"s2"}]"#),
    )
    .await;
    let rs = failed.status_body(404);
    assert_eq!(failed.header("x-autobatch-completed"), Some("1"));
    assert_eq!(rs["meta"]["AutoBatchIndex"], "1");
    // An element that cannot be bound fails the batch there, as a 400.
    let bad = send(
        addr,
        "POST",
        "/api/ListSessions[]",
        &auth,
        Some(r#"[{"page":0},{"page":"x"}]"#),
    )
    .await;
    assert_eq!(bad.status_body(400)["meta"]["AutoBatchIndex"], "1");
    assert_eq!(bad.header("x-autobatch-completed"), Some("1"));
    for not_array in [r#"{"sessionId":"s1"}"#, "5", "[", ""] {
        let reply = send(addr, "POST", "/api/GetSession[]", &auth, Some(not_array)).await;
        let rs = reply.status_body(400);
        assert!(
            rs["message"].as_str().unwrap().contains("JSON array"),
            "{not_array}: {rs}"
        );
    }
    let empty = send(addr, "POST", "/api/GetSession[]", &auth, Some("[]")).await;
    assert_eq!(empty.json(), json!([]));
    assert_eq!(empty.header("x-autobatch-completed"), Some("0"));
}

#[tokio::test]
async fn one_way_requests_run_like_replies() {
    let addr = example().await;
    let reply = send(
        addr,
        "POST",
        "/json/oneway/NewSession",
        &[("Authorization", DEMO)],
        Some(r#"{"channel":"Chat","withAddress":"a@b.c"}"#),
    )
    .await;
    assert_eq!(reply.status, 200);
    let id = reply.json()["id"].as_str().unwrap().to_owned();
    let stored = send(
        addr,
        "GET",
        &format!("/sessions/{id}"),
        &[("Authorization", DEMO)],
        None,
    )
    .await;
    assert_eq!(stored.json()["channel"], "Chat");
}

// ---------------------------------------------------------------- raw responses and uploads

#[tokio::test]
async fn text_and_bytes_results_are_written_raw() {
    let addr = example().await;
    let auth = [("Authorization", DEMO)];
    let text = send(addr, "GET", "/sessions/s1/log", &auth, None).await;
    assert_eq!(text.status, 200);
    assert_eq!(
        text.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(
        String::from_utf8(text.body).unwrap(),
        "2024-01-05T09:00:00Z Call answered by Alice\n"
    );
    let api = send(addr, "GET", "/api/GetSessionLog?sessionId=s2", &auth, None).await;
    assert_eq!(
        String::from_utf8(api.body).unwrap(),
        "2024-01-06T10:30:00Z Dialing out\n"
    );
    let bytes = send(addr, "GET", "/sessions/s1/recording", &auth, None).await;
    assert_eq!(
        bytes.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(bytes.body.len(), 256);
    let seed = b's'.wrapping_add(b'1');
    assert_eq!(bytes.body[1], 31 ^ seed);
    // Errors stay ServiceStack JSON.
    let missing = send(addr, "GET", "/sessions/none/log", &auth, None).await;
    missing.status_body(404);
    send(addr, "GET", "/sessions/s1/recording", &[], None)
        .await
        .status_body(401);
}

/// A form part: its name, for a file its file name and content type, and its content.
type FormPart<'a> = (&'a str, Option<(&'a str, &'a str)>, &'a [u8]);

fn multipart(boundary: &str, parts: &[FormPart<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file, content) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some((file_name, content_type)) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

async fn post_multipart(addr: SocketAddr, path: &str, auth: &str, body: &[u8]) -> Reply {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {auth}\r\n\
         Content-Type: multipart/form-data; boundary=b0undary\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    raw(addr, &request).await
}

#[tokio::test]
async fn multipart_uploads_bind_files_and_fields() {
    let addr = example().await;
    let png: &[u8] = &[0x89, b'P', b'N', b'G', 0, 255, b'\r', b'\n', b'-', b'-'];
    let body = multipart(
        "b0undary",
        &[
            ("description", None, b"two files"),
            ("file", Some(("call.png", "image/png")), png),
            (
                "upload",
                Some(("notes.txt", "text/plain")),
                b"hello\r\nworld",
            ),
        ],
    );
    let reply = post_multipart(addr, "/sessions/s1/files", DEMO, &body).await;
    assert_eq!(reply.status, 200, "{:?}", reply.json());
    let json = reply.json();
    assert_eq!(json["sessionId"], "s1");
    assert_eq!(json["description"], "two files");
    assert_eq!(json["boundFile"], "call.png");
    assert_eq!(json["files"][0]["field"], "file");
    assert_eq!(json["files"][0]["length"], png.len());
    assert_eq!(json["files"][0]["contentType"], "image/png");
    assert_eq!(json["files"][1]["fileName"], "notes.txt");
    assert_eq!(json["files"][1]["head"], "hello\r\nworld");
    // Uploads are checked like every request: the role first.
    post_multipart(addr, "/sessions/s1/files", GUEST, &body)
        .await
        .status_body(403);
    // Malformed bodies are 400s.
    for broken in [
        &b"--b0undary\r\nno headers end"[..],
        b"garbage",
        b"--b0undary--",
    ] {
        let reply = post_multipart(addr, "/api/UploadSessionFile?sessionId=s1", DEMO, broken).await;
        let status = reply.status;
        let rs = reply.json()["responseStatus"].clone();
        assert_eq!(status, 400, "{rs}");
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Upload {
    title: String,
    /// A .NET `Stream`/`byte[]` field: the file's bytes.
    data: ssdto::Bytes,
    /// `IHttpFile[]`: every file of the part name.
    attachments: Vec<ssdto::HttpFile>,
}

impl Request for Upload {
    type Response = Value;
    const OPERATION: &'static str = "Upload";
    const METHOD: Method = Method::Post;
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Slow {
    millis: u64,
}

impl Request for Slow {
    type Response = Void;
    const OPERATION: &'static str = "Slow";
    const METHOD: Method = Method::Post;
    const RETURNS_VOID: bool = true;
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct WhoAmI {}

impl Request for WhoAmI {
    type Response = String;
    const OPERATION: &'static str = "WhoAmI";
    const METHOD: Method = Method::Get;
    const ROUTES: &'static [Route] = &[Route {
        path: "/whoami",
        verbs: &[Method::Get],
    }];
    const RESPONSE_FORMAT: ResponseFormat = ResponseFormat::Text;
}

struct Svc;

fn features_router() -> ServiceRouter<Svc> {
    ServiceRouter::new(Arc::new(Svc))
        .upload_limit(1024)
        .body_limit(64)
        .timeout(Duration::from_millis(300))
        .operation(Access::PUBLIC, |_: Arc<Svc>, req: Upload, ctx: Context| async move {
            Ok(json!({
                "title": req.title,
                "data": String::from_utf8_lossy(&req.data),
                "attachments": req.attachments.iter().map(|f| json!({
                    "name": f.name, "fileName": f.file_name, "length": f.content_length,
                    "contentType": f.content_type, "content": String::from_utf8_lossy(&f.bytes().unwrap()),
                })).collect::<Vec<_>>(),
                "files": ctx.files().len(),
                "spooled": ctx.files().iter().filter(|f| f.path().is_some()).count(),
            }))
        })
        .operation(Access::PUBLIC, |_: Arc<Svc>, req: Slow, _| async move {
            tokio::time::sleep(Duration::from_millis(req.millis)).await;
            Ok(Void)
        })
        .operation(Access::PUBLIC, |_: Arc<Svc>, _: WhoAmI, ctx: Context| async move {
            Ok(ctx
                .principal()
                .map_or_else(|| "anonymous".to_owned(), |p| p.user_name.clone()))
        })
}

#[tokio::test]
async fn files_bind_to_bytes_and_http_file_fields_within_the_upload_limit() {
    let addr = serve(features_router().into_router()).await;
    let body = multipart(
        "b0undary",
        &[
            ("title", None, b"report"),
            (
                "data",
                Some(("d.bin", "application/octet-stream")),
                b"raw bytes",
            ),
            ("attachments", Some(("a.txt", "text/plain")), b"first"),
            ("Attachments", Some(("b.txt", "text/plain")), b"second"),
        ],
    );
    // Bigger than the 64-byte body limit, within the 1 KiB upload limit.
    assert!(body.len() > 64);
    let reply = post_multipart(addr, "/api/Upload", "x", &body).await;
    assert_eq!(
        reply.json(),
        json!({
            "title": "report",
            "data": "raw bytes",
            "attachments": [
                {"name": "attachments", "fileName": "a.txt", "length": 5, "contentType": "text/plain", "content": "first"},
                {"name": "Attachments", "fileName": "b.txt", "length": 6, "contentType": "text/plain", "content": "second"},
            ],
            "files": 3,
            "spooled": 0,
        })
    );
    let big = multipart(
        "b0undary",
        &[(
            "data",
            Some(("big.bin", "application/octet-stream")),
            &[1u8; 2048],
        )],
    );
    let rs = post_multipart(addr, "/api/Upload", "x", &big)
        .await
        .status_body(413);
    assert_eq!(rs["errorCode"], "RequestEntityTooLarge");
    // A file where text is expected is a binding error naming the field.
    let wrong = multipart(
        "b0undary",
        &[("title", Some(("t.txt", "text/plain")), b"x")],
    );
    let rs = post_multipart(addr, "/api/Upload", "x", &wrong)
        .await
        .status_body(400);
    assert_eq!(rs["errors"][0]["fieldName"], "title");
}

/// Files over the memory threshold go through temporary files and bind like small ones: to a
/// `Bytes` field (read back into memory) and to `HttpFile`s; the files are gone after the
/// request. Text fields are held to the body limit.
#[tokio::test]
async fn spooled_files_bind_like_small_ones_and_are_deleted_after_the_request() {
    let dir = std::env::temp_dir().join(format!("ssdto-spooled-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let router = features_router()
        .upload_memory_threshold(4)
        .upload_dir(&dir)
        .into_router();
    let addr = serve(router).await;
    let body = multipart(
        "b0undary",
        &[
            ("title", None, b"spooled"),
            (
                "data",
                Some(("d.bin", "application/octet-stream")),
                b"raw bytes",
            ),
            ("attachments", Some(("a.txt", "text/plain")), b"abc"),
            ("attachments", Some(("b.txt", "text/plain")), b"second file"),
        ],
    );
    let reply = post_multipart(addr, "/api/Upload", "x", &body).await;
    assert_eq!(
        reply.json(),
        json!({
            "title": "spooled",
            "data": "raw bytes",
            "attachments": [
                {"name": "attachments", "fileName": "a.txt", "length": 3, "contentType": "text/plain", "content": "abc"},
                {"name": "attachments", "fileName": "b.txt", "length": 11, "contentType": "text/plain", "content": "second file"},
            ],
            "files": 3,
            // `abc` fits in 4 bytes of memory.
            "spooled": 2,
        })
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    // Text fields together are held to the 64-byte body limit.
    let long = [b'x'; 40];
    let fields = multipart(
        "b0undary",
        &[("title", None, &long[..]), ("other", None, &long[..])],
    );
    let rs = post_multipart(addr, "/api/Upload", "x", &fields)
        .await
        .status_body(413);
    assert_eq!(rs["errorCode"], "RequestEntityTooLarge");
    assert!(
        rs["message"].as_str().unwrap().contains("text fields"),
        "{rs}"
    );
    // A body cut short after a spooled file: 400, and the file is gone.
    let mut cut = multipart(
        "b0undary",
        &[(
            "data",
            Some(("d.bin", "application/octet-stream")),
            b"0123456789",
        )],
    );
    cut.truncate(cut.len() - 20);
    let reply = post_multipart(addr, "/api/Upload", "x", &cut).await;
    assert_eq!(reply.status, 400, "{:?}", reply.json());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir(&dir).unwrap();
}

// ---------------------------------------------------------------- self-description

#[tokio::test]
async fn serves_its_contract_at_types_metadata_and_app_json() {
    let addr = example().await;
    let metadata = send(addr, "GET", "/types/metadata", &[], None).await;
    assert_eq!(metadata.status, 200);
    assert_eq!(
        metadata.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let served = metadata.json();
    let contract: Value =
        serde_json::from_str(ssdto_generated::evovoice_sessions::CONTRACT).unwrap();
    assert_eq!(served, contract);
    let file: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../contracts/evovoice/sessions.json"
        ))
        .unwrap(),
    )
    .unwrap();
    // Nothing is narrowed away from the example: it is the contract file itself.
    assert_eq!(served, file);
    let app = send(addr, "GET", "/metadata/app.json", &[], None).await;
    assert_eq!(app.json(), json!({ "api": file }));
    send(addr, "POST", "/types/metadata", &[], Some("{}"))
        .await
        .status_body(405);
}

// ---------------------------------------------------------------- production basics

#[tokio::test]
async fn cors_preflight_head_and_options() {
    let addr = example().await;
    let preflight = send(
        addr,
        "OPTIONS",
        "/api/NewSession",
        &[
            ("Origin", "https://app.example.com"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
        None,
    )
    .await;
    assert_eq!(preflight.status, 200);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        preflight.header("access-control-allow-methods"),
        Some("GET,POST,PUT,DELETE,PATCH,OPTIONS,HEAD")
    );
    assert_eq!(
        preflight.header("access-control-allow-headers"),
        Some("content-type")
    );
    assert_eq!(preflight.header("access-control-max-age"), Some("600"));
    let simple = send(
        addr,
        "GET",
        "/sessions/s1",
        &[
            ("Origin", "https://app.example.com"),
            ("Authorization", DEMO),
        ],
        None,
    )
    .await;
    assert_eq!(simple.header("access-control-allow-origin"), Some("*"));

    // HEAD runs GET and sends no body.
    let head = send(
        addr,
        "HEAD",
        "/sessions/s1",
        &[("Authorization", DEMO)],
        None,
    )
    .await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let length: usize = head.header("content-length").unwrap().parse().unwrap();
    let get = send(
        addr,
        "GET",
        "/sessions/s1",
        &[("Authorization", DEMO)],
        None,
    )
    .await;
    assert_eq!(length, get.body.len());

    // Without CORS, OPTIONS names the verbs a path answers.
    let plain = serve(features_router().into_router()).await;
    let options = send(plain, "OPTIONS", "/whoami", &[], None).await;
    assert_eq!(options.status, 204);
    assert_eq!(options.header("allow"), Some("GET, HEAD"));
    let whitelisted = serve(
        features_router()
            .cors(
                Cors::new()
                    .allow_origins(["https://ok.example"])
                    .allow_credentials(true),
            )
            .into_router(),
    )
    .await;
    let allowed = send(
        whitelisted,
        "GET",
        "/whoami",
        &[("Origin", "https://ok.example")],
        None,
    )
    .await;
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://ok.example")
    );
    assert_eq!(
        allowed.header("access-control-allow-credentials"),
        Some("true")
    );
    let refused = send(
        whitelisted,
        "GET",
        "/whoami",
        &[("Origin", "https://evil.example")],
        None,
    )
    .await;
    assert_eq!(refused.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn requests_time_out_with_a_servicestack_error() {
    let addr = serve(features_router().into_router()).await;
    let quick = send(addr, "POST", "/api/Slow", &[], Some(r#"{"millis":1}"#)).await;
    assert_eq!(quick.status, 204);
    let rs = send(addr, "POST", "/api/Slow", &[], Some(r#"{"millis":5000}"#))
        .await
        .status_body(503);
    assert_eq!(rs["errorCode"], "TimeoutException");
}

#[tokio::test]
async fn graceful_shutdown_finishes_requests_in_flight() {
    let router = features_router().no_timeout().into_router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = stop_rx.await;
            })
            .await
    });
    let slow = tokio::spawn(async move {
        send(addr, "POST", "/api/Slow", &[], Some(r#"{"millis":400}"#)).await
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop_tx.send(()).unwrap();
    // The request that was running completes; then the server stops.
    assert_eq!(slow.await.unwrap().status, 204);
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stopped")
        .unwrap()
        .unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn services_see_the_caller_in_their_context() {
    let auth = AuthFeature::new(app::Users);
    let addr = serve(features_router().authenticator(auth).into_router()).await;
    let anonymous = send(addr, "GET", "/whoami", &[], None).await;
    assert_eq!(anonymous.body, b"anonymous");
    let demo = send(addr, "GET", "/whoami", &[("Authorization", DEMO)], None).await;
    assert_eq!(demo.body, b"demo");
    // Wrong credentials on a public operation: anonymous, as ServiceStack only checks
    // credentials where an operation asks for them.
    let wrong = send(
        addr,
        "GET",
        "/whoami",
        &[("Authorization", "Basic ZGVtbzp4")],
        None,
    )
    .await;
    assert_eq!(wrong.body, b"anonymous");
}

#[tokio::test]
async fn protected_operations_without_an_authenticator_fail_closed() {
    let addr = serve(
        ServiceRouter::new(Arc::new(Svc))
            .operation(
                Access::AUTHENTICATED,
                |_: Arc<Svc>, _: WhoAmI, _| async move { Ok::<_, HttpError>("secret".to_owned()) },
            )
            .into_router(),
    )
    .await;
    let reply = send(addr, "GET", "/whoami", &[("Authorization", DEMO)], None).await;
    reply.status_body(401);
}

/// Bearer tokens, answered only after waiting once: the router awaits an authenticator's
/// future inside the request's own (no box of its own), and must poll it again once woken.
struct Waiting;

impl ssdto::server::Authenticator for Waiting {
    async fn authenticate(
        &self,
        request: &axum::http::request::Parts,
    ) -> Result<Option<Principal>, HttpError> {
        tokio::task::yield_now().await;
        match request.headers.get("authorization").map(|v| v.as_bytes()) {
            None => Ok(None),
            Some(b"Bearer ok") => Ok(Some(Principal::new("7", "waited"))),
            Some(_) => Err(HttpError::unauthorized("Invalid token")),
        }
    }

    fn challenge(&self) -> String {
        "Bearer realm=\"waiting\"".to_owned()
    }
}

#[tokio::test]
async fn an_authenticator_that_waits_is_awaited_for_every_operation() {
    // The caller's id on a public `WhoAmI`, or on one that requires a caller.
    let serve_whoami = |access| {
        serve(
            ServiceRouter::new(Arc::new(Svc))
                .operation(access, |_: Arc<Svc>, _: WhoAmI, ctx: Context| async move {
                    Ok::<_, HttpError>(
                        ctx.principal()
                            .map_or("anonymous", |p| &p.user_id)
                            .to_owned(),
                    )
                })
                .authenticator(Waiting)
                .into_router(),
        )
    };
    let public = serve_whoami(Access::PUBLIC).await;
    let protected = serve_whoami(Access::AUTHENTICATED).await;
    let ok = [("Authorization", "Bearer ok")];
    let bad = [("Authorization", "Bearer bad")];
    for addr in [public, protected] {
        assert_eq!(send(addr, "GET", "/whoami", &ok, None).await.body, b"7");
    }
    assert_eq!(
        send(public, "GET", "/whoami", &[], None).await.body,
        b"anonymous"
    );
    // Wrong credentials: anonymous where nothing is required, the authenticator's error where
    // something is, and its challenge where nobody is known.
    assert_eq!(
        send(public, "GET", "/whoami", &bad, None).await.body,
        b"anonymous"
    );
    let refused = send(protected, "GET", "/whoami", &bad, None)
        .await
        .status_body(401);
    assert_eq!(refused["message"], "Invalid token");
    let nobody = send(protected, "GET", "/whoami", &[], None).await;
    assert_eq!(
        nobody.header("www-authenticate"),
        Some("Bearer realm=\"waiting\"")
    );
    assert_eq!(nobody.status_body(401)["message"], "Not Authenticated");
}

/// A JSON body with nothing else to merge is read straight from its bytes (the fast path of
/// `ssdto::server::decode`); a path variable that names no field sends the same body through
/// the tree of named values. Both must give the same DTO or the same error, for bodies made
/// from real samples with every key's casing, values and duplicates mutated at random.
///
/// Likewise a request without a body is read straight from its query and path pairs: wherever
/// that fast path answers, it must answer what the tree does, and it must answer for every
/// query whose names were only recased (so a fast path that stopped mapping names to fields
/// case-insensitively, or stopped answering, fails here).
mod decode_fast_path {
    use proptest::prelude::*;
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use serde_json::{json, Value};
    use ssdto::server::{decode, decode_fast, decode_tree, DecodeError, RawRequest};
    use ssdto_generated::evovoice_sessions::{
        GetActiveSessions, GetSession, ListSessions, NewSession,
    };
    use ssdto_generated::kitchen_sink::{Everything, GetEverything, Untyped};

    /// A JSON tree whose objects may hold one key twice, which `serde_json::Map` cannot.
    enum Tree {
        Leaf(Value),
        List(Vec<Tree>),
        Object(Vec<(String, Tree)>),
    }

    impl Tree {
        fn write(&self, out: &mut String) {
            match self {
                Tree::Leaf(v) => out.push_str(&v.to_string()),
                Tree::List(items) => {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        item.write(out);
                    }
                    out.push(']');
                }
                Tree::Object(entries) => {
                    out.push('{');
                    for (i, (k, v)) in entries.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push_str(&Value::from(k.as_str()).to_string());
                        out.push(':');
                        v.write(out);
                    }
                    out.push('}');
                }
            }
        }
    }

    /// xorshift64*: the mutations are drawn from a proptest-chosen seed.
    struct Draw(u64);

    impl Draw {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn one_in(&mut self, n: u64) -> bool {
            self.next().is_multiple_of(n)
        }
    }

    fn recase(key: &str, draw: &mut Draw) -> String {
        match draw.next() % 5 {
            0 => key.to_owned(),
            1 => key.to_uppercase(),
            2 => key.to_lowercase(),
            3 => {
                let mut chars = key.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
            _ => key
                .chars()
                .map(|c| {
                    if draw.one_in(2) {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect(),
        }
    }

    /// A value the tree reads leniently or not at all where another was expected.
    fn odd_value(draw: &mut Draw) -> Value {
        let odd = [
            json!(null),
            json!("2"),
            json!(" 7 "),
            json!(""),
            json!("true"),
            json!("a,b"),
            json!("[1,2]"),
            json!("{name:x}"),
            json!(true),
            json!(-1),
            json!(300),
            json!(1.5),
            json!(1e300),
            json!(u64::MAX),
            json!([1, "2"]),
            json!([]),
            json!({}),
            json!({"Name": "n", "NAME": "m"}),
            json!("x"),
            json!("High"),
        ];
        odd[(draw.next() % odd.len() as u64) as usize].clone()
    }

    fn mutate(value: &Value, draw: &mut Draw) -> Tree {
        if draw.one_in(12) {
            return Tree::Leaf(odd_value(draw));
        }
        match value {
            Value::Array(items) => Tree::List(items.iter().map(|v| mutate(v, draw)).collect()),
            Value::Object(map) => {
                let mut entries = Vec::new();
                for (k, v) in map {
                    if draw.one_in(8) {
                        continue;
                    }
                    entries.push((recase(k, draw), mutate(v, draw)));
                    if draw.one_in(15) {
                        entries.push((recase(k, draw), mutate(v, draw)));
                    }
                }
                if draw.one_in(6) {
                    entries.push(("unknownField".to_owned(), Tree::Leaf(odd_value(draw))));
                }
                Tree::Object(entries)
            }
            leaf => Tree::Leaf(leaf.clone()),
        }
    }

    fn decode_both<T: DeserializeOwned>(
        body: &str,
    ) -> (Result<T, DecodeError>, Result<T, DecodeError>) {
        let fast = decode::<T>(&RawRequest {
            body: body.as_bytes(),
            content_type: Some("application/json"),
            ..RawRequest::default()
        });
        let neutral = [("\u{1}".to_owned(), String::new())];
        let tree = decode::<T>(&RawRequest {
            body: body.as_bytes(),
            content_type: Some("application/json"),
            path: &neutral,
            ..RawRequest::default()
        });
        (fast, tree)
    }

    fn check<T: DeserializeOwned + PartialEq + std::fmt::Debug>(
        sample: &Value,
        seed: u64,
    ) -> Result<(), TestCaseError> {
        let mut body = String::new();
        mutate(sample, &mut Draw(seed | 1)).write(&mut body);
        let (fast, tree) = decode_both::<T>(&body);
        prop_assert_eq!(fast, tree, "{}", body);
        let (fast, mut tree) = decode_both::<Value>(&body);
        // An untyped target keeps the path variable the typed ones ignore.
        if let Ok(Value::Object(map)) = &mut tree {
            map.remove("\u{1}");
        }
        prop_assert_eq!(fast, tree, "{}", body);
        Ok(())
    }

    fn samples() -> Vec<(&'static str, Value)> {
        vec![
            (
                "NewSession",
                json!({"displayName": "d", "channel": "Chat", "direction": "Incoming",
                       "callState": "Ringing", "fromAddress": "a", "fromName": "b",
                       "toAddress": "c", "parentSessionId": "p", "customerId": "cu",
                       "withAddress": "w", "agentId": "ag"}),
            ),
            ("GetSession", json!({"sessionId": "s1"})),
            (
                "ListSessions",
                json!({"page": 2, "all": true, "countPerPage": 50, "specificIds": ["a", "b"],
                       "sortField": "f", "sortOrder": "Descend", "simplifiedPaging": false,
                       "accountIds": ["x"], "searchArchive": true, "startDate": "s",
                       "endDate": "e", "customerIds": [], "endpointIds": ["e1"], "from": "f",
                       "to": "t"}),
            ),
            ("GetActiveSessions", json!({})),
            (
                "Everything",
                json!({"id": "i", "version": 3, "text": "t", "flag": true, "letter": "z",
                       "small": 200, "signed": -3, "short": 7, "int": 8, "long": -9,
                       "uShort": 10, "uInt": 11, "uLong": 12, "float": 1.25, "double": 2.5,
                       "money": 3.75, "when": "w", "whenOffset": "o", "duration": "PT1H",
                       "key": "k", "blob": "AAE=", "anything": {"Any": [1, {"x": null}]},
                       "maybeInt": 4, "nested": {"a": [1, 2], "B": []},
                       "ints": [1, 2, 3], "pocos": [{"id": 1, "name": "n", "children": []}],
                       "grid": [[1], [2, 3]], "point": {"x": 1.0, "y": 2.0},
                       "priority": 2, "color": "Red", "shadow": {"value": "v"}}),
            ),
            ("GetEverything", json!({"id": "i", "fields": ["a", "b"]})),
            ("Untyped", json!({"body": {"Body": 1, "body": [true]}})),
        ]
    }

    fn check_sample(name: &str, sample: &Value, seed: u64) -> Result<(), TestCaseError> {
        match name {
            "NewSession" => check::<NewSession>(sample, seed),
            "GetSession" => check::<GetSession>(sample, seed),
            "ListSessions" => check::<ListSessions>(sample, seed),
            "GetActiveSessions" => check::<GetActiveSessions>(sample, seed),
            "Everything" => check::<Everything>(sample, seed),
            "GetEverything" => check::<GetEverything>(sample, seed),
            "Untyped" => check::<Untyped>(sample, seed),
            other => panic!("no type for the sample {other}"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn straight_from_the_body_as_through_the_tree(seed in any::<u64>()) {
            for (name, sample) in samples() {
                check_sample(name, &sample, seed)?;
            }
        }

        #[test]
        fn straight_from_the_url_as_through_the_tree(seed in any::<u64>()) {
            for (name, sample) in samples() {
                check_url_sample(name, &sample, seed)?;
            }
        }
    }

    /// Query text the tree reads leniently, oddly or not at all (already percent-encoded).
    fn odd_text(draw: &mut Draw) -> &'static str {
        let odd = [
            "",
            " 7 ",
            "x",
            "true",
            "TRUE",
            "1",
            "0",
            "a,b",
            "[1,2]",
            "[a, \"b,c\"]",
            "{name:x}",
            "{\"Name\":\"j\"}",
            "%ZZ",
            "%E2%82%AC",
            "a+b",
            "High",
            "-1",
            "300",
            "1.5",
            "1e3",
            "[",
            "%22open",
            "null",
        ];
        odd[(draw.next() % odd.len() as u64) as usize]
    }

    /// A mutated request URL: its query, its path variables, and whether only names were
    /// recased (and pairs made bare, moved to the path or an unknown one added), which the
    /// fast path must always read.
    struct Url {
        query: String,
        path: Vec<(String, String)>,
        plain: bool,
    }

    /// A request URL made from `sample`'s fields as the client writes them, mutated: names
    /// recased, some escaped or not ASCII, values odd, pairs repeated, bare or moved to the
    /// path.
    fn mutate_url<T: Serialize>(request: &T, draw: &mut Draw) -> Option<Url> {
        let fields = ssdto::query::fields(request).ok()?;
        let mut query: Vec<String> = Vec::new();
        let mut path: Vec<(String, String)> = Vec::new();
        let mut plain = true;
        for (name, value) in &fields {
            let mut name = recase(name, draw);
            if draw.one_in(20) {
                let first = name.remove(0);
                name = format!("%{:02X}{name}", first as u32);
                plain = false;
            } else if draw.one_in(30) {
                name.push('\u{e9}');
                plain = false;
            }
            if draw.one_in(8) {
                path.push((name, value.clone()));
                continue;
            }
            let value = if draw.one_in(10) {
                plain = false;
                odd_text(draw).to_owned()
            } else {
                ssdto::query::encode_component(value).into_owned()
            };
            let pair = if draw.one_in(20) {
                name.clone()
            } else {
                format!("{name}={value}")
            };
            query.push(pair);
            if draw.one_in(15) {
                plain = false;
                query.push(format!("{}={}", recase(&name, draw), odd_text(draw)));
            }
        }
        if draw.one_in(6) {
            query.push(format!("unknownField={}", odd_text(draw)));
        }
        Some(Url {
            query: query.join("&"),
            path,
            plain,
        })
    }

    fn check_url<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
        sample: &Value,
        seed: u64,
    ) -> Result<(), TestCaseError> {
        let Ok(request) = serde_json::from_value::<T>(sample.clone()) else {
            return Ok(());
        };
        let Some(Url { query, path, plain }) = mutate_url(&request, &mut Draw(seed | 1)) else {
            return Ok(());
        };
        let raw = RawRequest {
            query: Some(&query),
            path: &path,
            ..RawRequest::default()
        };
        let tree = decode_tree::<T>(&raw);
        match decode_fast::<T>(&raw) {
            Some(fast) => prop_assert_eq!(Ok(fast), tree, "{} {:?}", query, path),
            None => prop_assert!(
                !plain || tree.is_err(),
                "not read straight from the URL: {} {:?}",
                query,
                path
            ),
        }
        Ok(())
    }

    fn check_url_sample(name: &str, sample: &Value, seed: u64) -> Result<(), TestCaseError> {
        match name {
            "NewSession" => check_url::<NewSession>(sample, seed),
            "GetSession" => check_url::<GetSession>(sample, seed),
            "ListSessions" => check_url::<ListSessions>(sample, seed),
            "GetActiveSessions" => check_url::<GetActiveSessions>(sample, seed),
            "Everything" => check_url::<Everything>(sample, seed),
            "GetEverything" => check_url::<GetEverything>(sample, seed),
            "Untyped" => check_url::<Untyped>(sample, seed),
            other => panic!("no type for the sample {other}"),
        }
    }

    /// The property above compares answers, not only refusals: the samples' URLs as the
    /// client writes them, names recased, are read straight and equal to the tree's reading.
    #[test]
    fn sample_urls_are_read_straight() {
        let urls: [(&str, &[(&str, &str)]); 4] = [
            ("SESSIONID=s1", &[]),
            ("", &[("SessionId", "s%201")]),
            (
                "Page=2&countperpage=50&SpecificIds=a,b&sortOrder=Descend&ALL=true&from",
                &[],
            ),
            ("id=i&FIELDS=[a,b]&format=json", &[]),
        ];
        for (query, path) in urls {
            let path: Vec<(String, String)> = path
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect();
            let raw = RawRequest {
                query: Some(query),
                path: &path,
                ..RawRequest::default()
            };
            fn both<T: DeserializeOwned + PartialEq + std::fmt::Debug>(raw: &RawRequest<'_>) {
                let fast = decode_fast::<T>(raw).expect("read straight from the URL");
                assert_eq!(Ok(fast), decode_tree::<T>(raw));
            }
            if query.starts_with("id=") {
                both::<GetEverything>(&raw);
            } else if query.starts_with("Page") {
                both::<ListSessions>(&raw);
            } else {
                both::<GetSession>(&raw);
            }
        }
        let session: GetSession = decode_fast(&RawRequest {
            query: Some("SESSIONID=s1"),
            ..RawRequest::default()
        })
        .unwrap();
        assert_eq!(session.session_id, "s1");
    }

    /// The samples as sent decode on both paths, so the property compares successes too.
    #[test]
    fn samples_decode() {
        for (name, sample) in samples() {
            let body = sample.to_string();
            match name {
                "NewSession" => assert!(decode_both::<NewSession>(&body).0.is_ok()),
                "ListSessions" => assert!(decode_both::<ListSessions>(&body).0.is_ok()),
                "Everything" => {
                    let (fast, tree) = decode_both::<Everything>(&body);
                    assert_eq!(
                        fast.as_ref().map_err(ToString::to_string),
                        tree.as_ref().map_err(ToString::to_string)
                    );
                    assert!(fast.is_ok(), "{fast:?}");
                }
                _ => {}
            }
        }
    }
}
