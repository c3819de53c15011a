//! Live parity: ServiceStack's official Python (`servicestack` 0.1.15) and TypeScript
//! (`@servicestack/client` 2.1.13) clients make the same calls as the ssdto client against a
//! recording loopback server that plays ServiceStack's side, and the requests each sent are
//! compared: request lines, bodies, credentials and cookies. The calls are in
//! tests/interop/python/capture.py and tests/interop/ts/src/capture.ts; the clients are
//! installed by tests/interop/setup.sh (these tests fail, saying so, when they are missing).
//!
//! Where the official clients differ from each other, the ssdto client follows one of them,
//! and each test names the difference it accepts.

#[path = "support/loopback.rs"]
mod loopback;
#[path = "support/requests.rs"]
mod requests;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{json, Value};
use ssdto::client::{JsonServiceClient, UploadFile};
use ssdto::{Method, Request};

use loopback::{Recorded, Reply, TestServer};
use requests::{hello, CreateItem, IdResponse};

fn items() -> [CreateItem; 2] {
    [
        CreateItem {
            name: "a".into(),
            price: None,
        },
        CreateItem {
            name: "b".into(),
            price: Some(2.5),
        },
    ]
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UploadRecording {
    session_id: String,
    title: String,
}

impl Request for UploadRecording {
    type Response = IdResponse;
    const OPERATION: &'static str = "UploadRecording";
    const METHOD: Method = Method::Post;
}

/// ServiceStack's side of every scenario: JWT auth with refresh (by body or by the
/// `ss-reftok` cookie), token cookies set by `Hello?name=first`, batches and uploads.
fn service(req: &Recorded) -> Reply {
    let cookie = |name: &str| {
        req.header("cookie")
            .unwrap_or_default()
            .split("; ")
            .find_map(|c| c.strip_prefix(name)?.strip_prefix('='))
            .map(str::to_owned)
    };
    match req.path() {
        "/api/GetAccessToken" => {
            let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
            if body["refreshToken"] == "r1" {
                Reply::json(200, r#"{"accessToken":"jwt-2"}"#)
            } else if cookie("ss-reftok").as_deref() == Some("r1") {
                Reply::json(200, "{}").with_header("Set-Cookie", "ss-tok=jwt-2; path=/; httponly")
            } else {
                Reply::json(
                    400,
                    r#"{"responseStatus":{"errorCode":"ArgumentException"}}"#,
                )
            }
        }
        "/api/Hello" if req.query().get("name").map(String::as_str) == Some("first") => {
            Reply::json(200, r#"{"result":"first"}"#)
                .with_header("Set-Cookie", "ss-tok=jwt-1; path=/; httponly")
                .with_header("Set-Cookie", "ss-reftok=r1; path=/; httponly")
                .with_header("X-Cookies", "ss-tok,ss-reftok")
        }
        // Only "ann" needs to sign in.
        "/api/Hello" if req.query().get("name").map(String::as_str) != Some("ann") => {
            Reply::json(200, r#"{"result":"Hello!"}"#)
        }
        "/api/Hello" => {
            let auth = req.header("authorization");
            let ok = matches!(auth, Some("Bearer jwt-2" | "Bearer from-hook"))
                || cookie("ss-tok").as_deref() == Some("jwt-2");
            if ok {
                Reply::json(200, r#"{"result":"Hello, ann!"}"#)
            } else {
                Reply::json(
                    401,
                    r#"{"responseStatus":{"errorCode":"TokenException","message":"Token has expired"}}"#,
                )
            }
        }
        "/api/CreateItem[]" => Reply::json(200, r#"[{"id":"1"},{"id":"2"}]"#),
        _ => Reply::json(200, r#"{"id":"1"}"#),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Official {
    Python,
    TypeScript,
}

fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("interop")
}

fn require(path: &Path) {
    assert!(
        path.exists(),
        "missing {}: the official ServiceStack clients are not installed; run `bash {}` first",
        path.display(),
        interop_dir().join("setup.sh").display()
    );
}

/// Compiles the TypeScript captures once per test process.
fn compiled_typescript() -> &'static Path {
    static DIST: OnceLock<PathBuf> = OnceLock::new();
    DIST.get_or_init(|| {
        let ts = interop_dir().join("ts");
        let tsc = ts.join("node_modules/typescript/bin/tsc");
        require(&ts.join("node_modules/@servicestack/client/package.json"));
        require(&tsc);
        let status = Command::new("node")
            .current_dir(&ts)
            .arg(&tsc)
            .args(["-p", "."])
            .status()
            .expect("run tsc");
        assert!(status.success(), "tsc failed");
        ts.join("dist")
    })
}

/// What `official` sends for `scenario`.
fn official(client: Official, scenario: &str) -> Vec<Recorded> {
    let server = TestServer::start(service);
    let mut command = match client {
        Official::Python => {
            let python = interop_dir().join(".venv/bin/python");
            require(&python);
            let mut command = Command::new(python);
            command
                .current_dir(interop_dir().join("python"))
                .env("PYTHONDONTWRITEBYTECODE", "1")
                .arg("capture.py");
            command
        }
        Official::TypeScript => {
            let mut command = Command::new("node");
            command.arg(compiled_typescript().join("capture.js"));
            command
        }
    };
    let out = command
        .args([server.url.as_str(), scenario])
        .stdin(Stdio::null())
        .output()
        .expect("run the official client");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.trim_end().ends_with("done"),
        "{client:?} {scenario} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    server.requests()
}

/// What the ssdto client sends for the same calls.
async fn ours(scenario: &str, build: impl FnOnce(&str) -> JsonServiceClient) -> Vec<Recorded> {
    let server = TestServer::start(service);
    let client = build(&server.url);
    let result = match scenario {
        "refresh" | "hook" => client.send(&hello("ann")).await.map(drop),
        "cookies" => {
            client.send(&hello("first")).await.unwrap();
            client.send(&hello("ann")).await.map(drop)
        }
        "send_all" => client.send_all(&items()).await.map(drop),
        "send_all_oneway" => client.send_all_oneway(&items()).await,
        "send_oneway" => client.send_oneway(&hello("ann")).await,
        "upload" => {
            let request = UploadRecording {
                session_id: "s1".into(),
                title: "Front desk, Monday".into(),
            };
            let wav: Vec<u8> = (0..4).flat_map(|_| 0..=255u8).collect();
            let files = vec![
                UploadFile::from_bytes(wav)
                    .field_name("recording")
                    .file_name("call.png"),
                UploadFile::from_bytes(b"hello".to_vec())
                    .field_name("upload1")
                    .file_name("notes.txt"),
            ];
            client
                .post_files_with_request(&request, files)
                .await
                .map(drop)
        }
        "args" => {
            let with_args = client.with_args([("AgeOlderThan", "42")]);
            with_args.send(&hello("bo")).await.unwrap();
            with_args
                .send(&CreateItem {
                    name: "a".into(),
                    price: None,
                })
                .await
                .map(drop)
        }
        _ => panic!("unknown scenario {scenario}"),
    };
    result.unwrap();
    server.requests()
}

fn plain(url: &str) -> JsonServiceClient {
    JsonServiceClient::new(url).unwrap()
}

/// Asserts the same requests: lines, and for each its body (TypeScript's bytes exactly, as it
/// writes compact JSON too; Python's as JSON values, as it writes `{"a": 1}` with spaces),
/// `Authorization` and cookies (as sets: each client orders them its own way). `skip_auth`
/// lists requests whose `Authorization` may differ.
fn assert_same(client: Official, theirs: &[Recorded], ours: &[Recorded], skip_auth: &[usize]) {
    let lines = |r: &[Recorded]| r.iter().map(Recorded::request_line).collect::<Vec<_>>();
    assert_eq!(lines(theirs), lines(ours), "{client:?}");
    for (i, (t, o)) in theirs.iter().zip(ours).enumerate() {
        let what = format!("{client:?} request {i} ({})", o.request_line());
        match client {
            Official::TypeScript => assert_eq!(t.body_text(), o.body_text(), "{what}"),
            Official::Python if o.body.is_empty() => assert!(t.body.is_empty(), "{what}"),
            Official::Python => {
                let t: Value = serde_json::from_slice(&t.body).expect("JSON");
                let o: Value = serde_json::from_slice(&o.body).expect("JSON");
                assert_eq!(t, o, "{what}");
            }
        }
        if !o.body.is_empty() {
            assert_eq!(t.header("content-type"), o.header("content-type"), "{what}");
        }
        if !skip_auth.contains(&i) {
            assert_eq!(
                t.header("authorization"),
                o.header("authorization"),
                "{what}"
            );
        }
        assert_eq!(cookies(t), cookies(o), "{what}");
    }
}

fn cookies(r: &Recorded) -> Vec<String> {
    let mut all: Vec<String> = r
        .header("cookie")
        .unwrap_or_default()
        .split("; ")
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    all.sort();
    all
}

#[tokio::test]
async fn refresh_matches_typescript_and_python() {
    let ours = ours("refresh", |url| {
        JsonServiceClient::builder(url)
            .bearer_token("jwt-1")
            .refresh_token("r1")
            .build()
            .unwrap()
    })
    .await;
    // TypeScript sends the expired token to GetAccessToken too; ssdto, like Python and C#,
    // sends none.
    let ts = official(Official::TypeScript, "refresh");
    assert_eq!(ts[1].header("authorization"), Some("Bearer jwt-1"));
    assert_eq!(ours[1].header("authorization"), None);
    assert_same(Official::TypeScript, &ts, &ours, &[1]);

    // Python's body omits `useTokenCookie` (`{"refreshToken": "r1"}`); ssdto sends
    // TypeScript's `{"refreshToken":"r1","useTokenCookie":false}`. The server reads only
    // `refreshToken` (GetAccessTokenService).
    let mut python = official(Official::Python, "refresh");
    let body: Value = serde_json::from_slice(&python[1].body).unwrap();
    assert_eq!(body, json!({ "refreshToken": "r1" }));
    python[1].body = br#"{"refreshToken":"r1","useTokenCookie":false}"#.to_vec();
    assert_same(Official::Python, &python, &ours, &[]);
}

#[tokio::test]
async fn the_authentication_hook_matches_typescript_and_python() {
    let ours = ours("hook", |url| {
        JsonServiceClient::builder(url)
            .bearer_token("jwt-1")
            .on_authentication_required(
                |client| async move { client.set_bearer_token("from-hook") },
            )
            .build()
            .unwrap()
    })
    .await;
    assert_eq!(ours.len(), 2);
    assert_same(
        Official::TypeScript,
        &official(Official::TypeScript, "hook"),
        &ours,
        &[],
    );
    assert_same(
        Official::Python,
        &official(Official::Python, "hook"),
        &ours,
        &[],
    );
}

#[tokio::test]
async fn token_cookie_refresh_matches_typescript() {
    let ours = ours("cookies", plain).await;
    let mut ts = official(Official::TypeScript, "cookies");
    // Both post TypeScript's cookie-mode body.
    assert_eq!(ours[2].body_text(), r#"{"useTokenCookie":true}"#);
    assert_eq!(ts[2].body_text(), r#"{"useTokenCookie":true}"#);
    // ssdto drops the expired `ss-tok` before refreshing, as the C# client does; TypeScript
    // sends it along with `ss-reftok`, and GetAccessToken reads only `ss-reftok`.
    assert_eq!(cookies(&ours[2]), ["ss-reftok=r1"]);
    assert_eq!(cookies(&ts[2]), ["ss-reftok=r1", "ss-tok=jwt-1"]);
    ts[2].headers.retain(|(n, _)| n != "cookie");
    ts[2].headers.push(("cookie".into(), "ss-reftok=r1".into()));
    assert_same(Official::TypeScript, &ts, &ours, &[]);
}

#[tokio::test]
async fn batches_match_typescript_and_python() {
    // TypeScript (fetch) sends `[]` as it is; Python (requests) escapes it as `%5B%5D`, which
    // ServiceStack decodes to the same path. ssdto sends TypeScript's form.
    let python = |scenario| {
        let mut requests = official(Official::Python, scenario);
        for r in &mut requests {
            assert!(r.target.ends_with("%5B%5D"), "{}", r.target);
            r.target = r.target.replace("%5B%5D", "[]");
        }
        requests
    };
    let ours_all = ours("send_all", plain).await;
    assert_eq!(
        ours_all[0].request_line(),
        "POST /api/CreateItem[] HTTP/1.1"
    );
    let ts = official(Official::TypeScript, "send_all");
    assert_same(Official::TypeScript, &ts, &ours_all, &[]);
    assert_same(Official::Python, &python("send_all"), &ours_all, &[]);
    let ours_oneway = ours("send_all_oneway", plain).await;
    let ts = official(Official::TypeScript, "send_all_oneway");
    assert_same(Official::TypeScript, &ts, &ours_oneway, &[]);
    assert_same(
        Official::Python,
        &python("send_all_oneway"),
        &ours_oneway,
        &[],
    );
    // Python has no send_oneway.
    let ours_one = ours("send_oneway", plain).await;
    assert_eq!(ours_one[0].request_line(), "POST /api/Hello HTTP/1.1");
    assert_same(
        Official::TypeScript,
        &official(Official::TypeScript, "send_oneway"),
        &ours_one,
        &[],
    );
}

#[tokio::test]
async fn args_match_typescript_and_python() {
    let ours = ours("args", plain).await;
    assert_eq!(
        ours[0].request_line(),
        "GET /api/Hello?name=bo&AgeOlderThan=42 HTTP/1.1"
    );
    for client in [Official::TypeScript, Official::Python] {
        assert_same(client, &official(client, "args"), &ours, &[]);
    }
}

#[tokio::test]
async fn uploads_match_python() {
    let ours = ours("upload", plain).await;
    let python = official(Official::Python, "upload");
    assert_eq!(python.len(), 1);
    assert_eq!(python[0].request_line(), ours[0].request_line());
    let (theirs, mine) = (python[0].multipart(), ours[0].multipart());
    assert_eq!(theirs.len(), mine.len());
    for (i, (t, o)) in theirs.iter().zip(&mine).enumerate() {
        assert_eq!(t.body, o.body, "part {i}");
        assert_eq!(
            t.header("content-disposition"),
            o.header("content-disposition"),
            "part {i}"
        );
        assert_eq!(
            t.header("content-type"),
            o.header("content-type"),
            "part {i}"
        );
    }
}
