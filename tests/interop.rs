//! Interop suite: ServiceStack's official clients call the example server `sessions_server`.
//!
//! Each test builds the example (a no-op when `cargo test --workspace` already built it), starts it on
//! a free loopback port, reads its `listening on http://ADDR` line and runs one client against it:
//! - the official Python client (PyPI `servicestack`, pinned in tests/interop/python/requirements.txt),
//! - the official TypeScript client (npm `@servicestack/client`, pinned in tests/interop/ts/package.json).
//!
//! The server is started with `--jwt-key`, and the clients get an expired token signed with it
//! (`SSDTO_EXPIRED_TOKEN`) to exercise their refresh flows.
//!
//! Both are installed by `tests/interop/setup.sh` (which `.ci/run` runs before `cargo test`); when
//! they are missing the tests fail and say so rather than pass without having run.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc;
use std::sync::OnceLock;
use std::time::Duration;

/// The demo account of the example server (see generated/examples/sessions_server.rs).
const USER: &str = "demo";
const PASSWORD: &str = "demo";

/// The key the server signs JWTs with (`--jwt-key`), so that a test can hand the clients an
/// expired token to refresh.
const JWT_KEY: [u8; 32] = [0x5a; 32];

/// An access token for the demo user that expired a month ago, signed with [`JWT_KEY`]: the
/// clients get it through `SSDTO_EXPIRED_TOKEN` and must refresh it.
fn expired_token() -> String {
    use ssdto::server::{auth::Jwt, Principal};
    let demo = Principal::new("1", USER).with_roles(["User"]);
    let month_ago = std::time::SystemTime::now() - Duration::from_secs(30 * 24 * 3600);
    Jwt::hs256(JWT_KEY).access_token(&demo, month_ago)
}

/// How long the server may take to print its `listening on` line once built.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn interop_dir() -> PathBuf {
    root().join("tests/interop")
}

fn setup_hint() -> String {
    format!(
        "the official ServiceStack clients are not installed: run `bash {}` first \
         (it installs the pinned PyPI and npm packages into tests/interop/)",
        interop_dir().join("setup.sh").display()
    )
}

/// Fails the test unless `path` exists, telling how to install what is missing.
fn require(path: &Path) {
    assert!(
        path.exists(),
        "missing {}: {}",
        path.display(),
        setup_hint()
    );
}

/// Builds the example once per test process and returns the path of its executable, as cargo
/// reports it (so CARGO_TARGET_DIR and --target layouts work).
///
/// `SSDTO_INTEROP_SERVER=/path/to/server` runs that program instead (same command line and
/// `listening on` line), to hold another server to the same clients.
fn server_binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(bin) = std::env::var_os("SSDTO_INTEROP_SERVER") {
            return PathBuf::from(bin);
        }
        cargo_build(&["--example", "sessions_server"], "sessions_server")
    })
}

/// Builds a workspace target and returns its executable, as cargo reports it (so
/// CARGO_TARGET_DIR and --target layouts work). `--workspace`: the features `cargo test
/// --workspace` unifies, so under CI this finds what that run already built instead of
/// building another variant.
fn cargo_build(target: &[&str], name: &str) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .current_dir(root())
        .args(["build", "--quiet", "--workspace", "--message-format=json"])
        .args(target)
        .stderr(Stdio::inherit())
        .output()
        .expect("run cargo build");
    assert!(
        out.status.success(),
        "cargo build --workspace {target:?} failed ({})",
        out.status
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|msg| msg["reason"] == "compiler-artifact" && msg["target"]["name"] == name)
        .find_map(|msg| msg["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("cargo reported no executable for {name}"))
}

/// The running example server; dropping it stops the process (also when a test panics).
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    base_url: String,
}

impl Server {
    /// The example as ServiceStack's default JWT setup has it: tokens in cookies.
    fn start() -> Server {
        Server::start_with(&[])
    }

    /// The example with JWTs in response bodies (`--no-token-cookies`), for clients that hold
    /// their own bearer and refresh tokens: a server with token cookies answers every refresh
    /// with a cookie, as ServiceStack does.
    fn start_bearer() -> Server {
        Server::start_with(&["--no-token-cookies"])
    }

    fn start_with(args: &[&str]) -> Server {
        let key: String = JWT_KEY.iter().map(|b| format!("{b:02x}")).collect();
        let mut child = Command::new(server_binary())
            .args(["--listen", "127.0.0.1:0", "--jwt-key", &key])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start sessions_server");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        // Read the first line on a thread so a server that never prints cannot hang the test; the
        // thread then drains the rest of stdout so the server never blocks on a full pipe.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let read = reader.read_line(&mut line).map(|_| line);
            let _ = tx.send(read);
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let mut server = Server {
            child,
            stdin,
            base_url: String::new(),
        };
        let line = match rx.recv_timeout(STARTUP_TIMEOUT) {
            Ok(Ok(line)) => line,
            Ok(Err(e)) => panic!("reading the server's stdout: {e}"),
            Err(_) => panic!("sessions_server printed no line within {STARTUP_TIMEOUT:?}"),
        };
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from sessions_server: {line:?}"));
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "the server must listen on loopback: {url}"
        );
        server.base_url = url.trim_end_matches('/').to_owned();
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Closing stdin is the agreed way to stop the server; kill in case it does not exit.
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a client program and fails the test with everything it printed unless it exits with 0.
fn run_client(what: &str, cmd: &mut Command) -> Output {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("could not run the {what}: {e} ({cmd:?})"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what} failed ({}):\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
        out.status
    );
    // Shown with --nocapture; tells which checks ran.
    println!("{what}:\n{stdout}");
    out
}

/// The clients print `N passed, 0 failed` last; a run that checked nothing must not pass.
fn assert_checks_ran(what: &str, out: &Output) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary = stdout
        .lines()
        .rev()
        .find(|l| l.ends_with(" failed"))
        .unwrap_or_else(|| panic!("{what} printed no summary line:\n{stdout}"));
    let passed: usize = summary
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{what}: bad summary line {summary:?}"));
    assert!(
        passed >= 10 && summary.ends_with(", 0 failed"),
        "{what}: {summary}"
    );
}

#[test]
fn official_python_client() {
    let dir = interop_dir();
    let python = dir.join(".venv/bin/python");
    require(&python);
    let server = Server::start();
    let bearer = Server::start_bearer();
    let out = run_client(
        "Python client (servicestack)",
        Command::new(&python)
            .current_dir(dir.join("python"))
            // Leave no __pycache__ in the source tree.
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("SSDTO_EXPIRED_TOKEN", expired_token())
            .env("SSDTO_BEARER_URL", &bearer.base_url)
            .arg("test_sessions.py")
            .args([server.base_url.as_str(), USER, PASSWORD]),
    );
    assert_checks_ran("Python client", &out);
}

#[test]
fn official_typescript_client() {
    let ts = interop_dir().join("ts");
    require(&ts.join("node_modules/@servicestack/client/package.json"));
    let tsc = ts.join("node_modules/typescript/bin/tsc");
    require(&tsc);
    // Compile the DTOs and the checks with the pinned TypeScript; type errors fail the test too.
    run_client(
        "TypeScript compiler",
        Command::new("node")
            .current_dir(&ts)
            .arg(&tsc)
            .args(["-p", "."]),
    );
    let server = Server::start();
    let bearer = Server::start_bearer();
    let out = run_client(
        "TypeScript client (@servicestack/client)",
        Command::new("node")
            .current_dir(&ts)
            .env("SSDTO_EXPIRED_TOKEN", expired_token())
            .env("SSDTO_BEARER_URL", &bearer.base_url)
            .arg("dist/test.js")
            .args([server.base_url.as_str(), USER, PASSWORD]),
    );
    assert_checks_ran("TypeScript client", &out);
}

/// The Rust client (`ssdto::client`, feature `client`) against the same server, once per route
/// strategy: `/api/{Name}`, `/json/reply/{Name}` and the contract's declared routes.
mod rust_client {
    use super::{Server, PASSWORD, USER};
    use ssdto::client::{Error, JsonServiceClient, RouteStrategy};
    use ssdto_generated::evovoice_sessions::{
        FlowChannels, GetActiveSessions, GetSession, ListSessions, NewSession, SessionCallState,
        SessionDirections, SessionInfo, SortOrders,
    };

    fn client(base_url: &str, strategy: RouteStrategy) -> JsonServiceClient {
        JsonServiceClient::builder(base_url)
            .route_strategy(strategy)
            .basic_auth(USER, PASSWORD)
            .build()
            .expect("build the client")
    }

    /// The HTTP status and error code of a service error; anything else fails the test.
    fn service_error<T: std::fmt::Debug>(result: Result<T, Error>, status: u16) -> Error {
        let err = match result {
            Err(err) => err,
            Ok(v) => panic!("expected HTTP {status}, got {v:?}"),
        };
        assert_eq!(err.status(), Some(status), "{err}");
        let rs = err
            .response_status()
            .unwrap_or_else(|| panic!("not a service error: {err}"));
        assert!(
            rs.error_code.as_deref().is_some_and(|c| !c.is_empty()),
            "{err}"
        );
        assert!(
            rs.message.as_deref().is_some_and(|m| !m.is_empty()),
            "{err}"
        );
        err
    }

    fn ids(items: &[SessionInfo]) -> Vec<String> {
        let mut ids: Vec<String> = items.iter().filter_map(|s| s.id.clone()).collect();
        ids.sort();
        ids
    }

    async fn exercise(base_url: &str, strategy: RouteStrategy) {
        let client = client(base_url, strategy);
        let tag = format!("{strategy:?}-{}", std::process::id()).to_lowercase();

        // 401 without and with wrong credentials.
        let anon = JsonServiceClient::builder(base_url)
            .route_strategy(strategy)
            .build()
            .expect("build the client");
        service_error(anon.send(&ListSessions::default()).await, 401);
        let wrong = JsonServiceClient::builder(base_url)
            .route_strategy(strategy)
            .basic_auth(USER, format!("{PASSWORD}-wrong"))
            .build()
            .expect("build the client");
        service_error(wrong.send(&GetActiveSessions::default()).await, 401);

        // Create: one customer id holds a comma, which must survive the list filter below.
        let customers = [format!("cust-{tag}-a"), format!("cust-{tag}-b,c")];
        let mut created = Vec::new();
        for i in 0..4 {
            let req = NewSession {
                display_name: Some(format!("{tag} session {i}")),
                channel: if i % 2 == 0 {
                    FlowChannels::Chat
                } else {
                    FlowChannels::Voice
                },
                direction: Some(SessionDirections::Incoming),
                call_state: Some(SessionCallState::Ringing),
                from_address: Some(format!("from-{tag}-{i}")),
                to_address: Some(format!("+1555000{i}")),
                customer_id: Some(customers[i % 2].clone()),
                // The server requires it for Chat sessions.
                with_address: Some(format!("user:{tag}")),
                ..Default::default()
            };
            let s = client
                .send(&req)
                .await
                .unwrap_or_else(|e| panic!("{strategy:?} NewSession: {e}"));
            assert!(s.id.as_deref().is_some_and(|id| !id.is_empty()), "{s:?}");
            assert_eq!(s.display_name, req.display_name);
            assert_eq!(s.channel, req.channel);
            assert_eq!(s.direction, SessionDirections::Incoming);
            assert_eq!(s.call_state, SessionCallState::Ringing);
            assert_eq!(s.customer_id, req.customer_id);
            created.push(s);
        }
        let defaults = client
            .send(&NewSession {
                display_name: Some(format!("{tag} defaults")),
                to_address: Some("+15550000000".into()),
                ..Default::default()
            })
            .await
            .unwrap_or_else(|e| panic!("{strategy:?} NewSession: {e}"));
        assert_eq!(defaults.direction, SessionDirections::Outgoing);
        assert_eq!(defaults.call_state, SessionCallState::Connected);

        // Get, including an id that needs percent-encoding in a path.
        for s in &created {
            let id = s.id.clone().unwrap_or_default();
            let got = client
                .send(&GetSession { session_id: id })
                .await
                .unwrap_or_else(|e| panic!("{strategy:?} GetSession: {e}"));
            assert_eq!(&got, s, "{strategy:?}");
        }
        service_error(
            client
                .send(&GetSession {
                    session_id: format!("missing/../{tag}"),
                })
                .await,
            404,
        );

        // List: paging, filters, sorting.
        let from = format!("from-{tag}-");
        let mut seen = Vec::new();
        for page in 0..3 {
            let res = client
                .send(&ListSessions {
                    page,
                    count_per_page: 3,
                    from: Some(from.clone()),
                    ..Default::default()
                })
                .await
                .unwrap_or_else(|e| panic!("{strategy:?} ListSessions page {page}: {e}"));
            assert_eq!(res.total_count, 4, "{strategy:?} page {page}");
            assert_eq!(res.total_pages, 2, "{strategy:?} page {page}");
            let items = res.items.unwrap_or_default();
            assert!(items.len() <= 3);
            if page == 2 {
                assert!(items.is_empty(), "{strategy:?}: page 2 of 2 has items");
            }
            seen.extend(items);
        }
        assert_eq!(ids(&seen), ids(&created), "{strategy:?}: paging");
        let list = |customer_ids: Vec<String>| ListSessions {
            all: true,
            customer_ids: Some(customer_ids),
            ..Default::default()
        };
        let res = client
            .send(&list(vec![customers[1].clone()]))
            .await
            .expect("list");
        assert_eq!(
            ids(&res.items.unwrap_or_default()),
            ids(&[created[1].clone(), created[3].clone()]),
            "{strategy:?}: customerIds with a comma in the value"
        );
        let res = client.send(&list(customers.to_vec())).await.expect("list");
        assert_eq!(
            ids(&res.items.unwrap_or_default()),
            ids(&created),
            "{strategy:?}: two customerIds"
        );
        let account = created[0].account_id.clone().unwrap_or_default();
        let res = client
            .send(&ListSessions {
                all: true,
                account_ids: Some(vec![account]),
                from: Some(from.clone()),
                ..Default::default()
            })
            .await
            .expect("list");
        assert_eq!(
            res.items.unwrap_or_default().len(),
            4,
            "{strategy:?}: accountIds"
        );
        let res = client
            .send(&ListSessions {
                all: true,
                from: Some(from.clone()),
                sort_field: Some("DisplayName".into()),
                sort_order: SortOrders::Descend,
                ..Default::default()
            })
            .await
            .expect("list");
        let names: Vec<_> = res
            .items
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.display_name)
            .collect();
        let mut want: Vec<_> = created.iter().map(|s| s.display_name.clone()).collect();
        want.sort();
        want.reverse();
        assert_eq!(names, want, "{strategy:?}: sort descending");

        // Active sessions.
        let active = client
            .send(&GetActiveSessions::default())
            .await
            .unwrap_or_else(|e| panic!("{strategy:?} GetActiveSessions: {e}"));
        let active = ids(&active.sessions.unwrap_or_default());
        assert!(
            ids(&created).iter().all(|id| active.contains(id)),
            "{strategy:?}: active"
        );
    }

    #[test]
    fn rust_client_every_route_strategy() {
        let server = Server::start();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        rt.block_on(async {
            for strategy in [
                RouteStrategy::Api,
                RouteStrategy::JsonReply,
                RouteStrategy::Declared,
            ] {
                exercise(&server.base_url, strategy).await;
            }
        });
    }
}

/// The example client (`generated/examples/evovoice_client.rs`) end to end against the example
/// server, as the README runs them: a credentials sign-in, then a batch and a new session; an
/// expired JWT refreshed with a refresh token, against a server with JWTs in the body and one
/// with token cookies; and the refreshed token accepted by a third run.
#[test]
fn example_client_against_the_example_server() {
    let client = cargo_build(&["--example", "evovoice_client"], "evovoice_client");
    let run = |base_url: &str, env: &[(&str, &str)], args: &[&str]| -> Vec<String> {
        let mut cmd = Command::new(&client);
        cmd.arg(base_url).args(args);
        for name in [
            "EVOVOICE_API_KEY",
            "EVOVOICE_REFRESH_TOKEN",
            "EVOVOICE_USER",
            "EVOVOICE_PASSWORD",
        ] {
            cmd.env_remove(name);
        }
        cmd.envs(env.iter().copied());
        let out = run_client("evovoice_client", &mut cmd);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    };
    let has = |lines: &[String], prefix: &str| {
        assert!(
            lines.iter().any(|l| l.starts_with(prefix)),
            "no line starting {prefix:?} in:\n{}",
            lines.join("\n")
        );
    };

    let server = Server::start();
    let signed_in = run(
        &server.base_url,
        &[("EVOVOICE_USER", USER), ("EVOVOICE_PASSWORD", PASSWORD)],
        &[],
    );
    has(&signed_in, "signed in as demo");
    has(&signed_in, "authenticated as demo (user id 1)");
    has(&signed_in, "ListSessions: 7 of 7 sessions (page 1 of 1)");
    has(&signed_in, "GetSession[] (batch): read 7 sessions");
    has(
        &signed_in,
        r#"NewSession: created s8 "ssdto example" [Chat Connected]"#,
    );
    has(
        &signed_in,
        r#"GetSession: s8 "ssdto example" [Chat Connected]"#,
    );

    use ssdto::server::auth::Jwt;
    let refresh_token = Jwt::hs256(JWT_KEY).refresh_token("1", std::time::SystemTime::now());
    let expired = expired_token();
    let stale = [
        ("EVOVOICE_API_KEY", expired.as_str()),
        ("EVOVOICE_REFRESH_TOKEN", refresh_token.as_str()),
    ];
    let refreshed_token = |lines: &[String]| -> String {
        let prefix = "the access token was refreshed; new EVOVOICE_API_KEY: ";
        let token = lines
            .iter()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no refreshed token in:\n{}", lines.join("\n")));
        assert!(token.split('.').count() == 3 && token != expired, "{token}");
        token.to_owned()
    };
    for server in [Server::start_bearer(), server] {
        let refreshed = run(&server.base_url, &stale, &["--read-only"]);
        has(&refreshed, "authenticated as demo (user id 1)");
        has(&refreshed, "GetSession[] (batch): read ");
        let token = refreshed_token(&refreshed);
        let again = run(
            &server.base_url,
            &[("EVOVOICE_API_KEY", &token)],
            &["--read-only", "--declared"],
        );
        has(&again, "authenticated as demo (user id 1)");
        assert!(
            !again
                .iter()
                .any(|l| l.starts_with("the access token was refreshed")),
            "{again:?}"
        );
    }
}

/// `ssdto generate http://server` reads the contract the example serves at `/types/metadata`,
/// and writes what generating from the contract file writes, apart from the line naming the
/// source (`BaseUrl:` for a server, `Source:` for a file).
#[test]
fn generate_from_the_running_server() {
    let ssdto = cargo_build(&["--bin", "ssdto"], "ssdto");
    let server = Server::start();
    let generate = |source: &str| -> String {
        let out = run_client(
            "ssdto generate",
            Command::new(&ssdto).args(["generate", source, "--server"]),
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    };
    let from_server = generate(&server.base_url);
    let from_file = generate(
        &root()
            .join("contracts/evovoice/sessions.json")
            .to_string_lossy(),
    );
    let without_source = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with("Source: ") && !l.starts_with("BaseUrl: "))
            .map(str::to_owned)
            .collect()
    };
    assert!(from_server.contains(&format!("\nBaseUrl: {}\n", server.base_url)));
    assert!(from_file.contains("\nSource: "));
    assert_eq!(without_source(&from_server), without_source(&from_file));
}
