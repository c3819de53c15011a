//! An Evo Voice Sessions server, from the generated `Service` trait and `router` (generated with
//! `--server --xml`, so it answers JSON and XML), over an in-memory store.
//!
//! ```text
//! cargo run -p ssdto-generated --example sessions_server -- [--listen ADDR] [--jwt-key HEX] [--no-token-cookies] [--ignore-stdin]
//! ```
//!
//! - `--listen ADDR`: where to listen (default `127.0.0.1:5000`; port 0 picks a free one).
//! - `--jwt-key HEX`: the key JWTs are signed with, 32 bytes as 64 hex digits (default: a new
//!   random key, so tokens end with the process).
//! - `--no-token-cookies`: JWTs travel in response bodies (sign-in's `bearerToken` and
//!   `refreshToken`, `GetAccessToken`'s `accessToken`) rather than in the `ss-tok`/`ss-reftok`
//!   cookies, as ServiceStack's `UseTokenCookie = false`: what clients that hold their own
//!   tokens (a bearer token and `refreshToken`) need, since a server with token cookies answers
//!   every refresh with a cookie.
//! - Once listening it prints exactly one line, `listening on http://<address>`, to stdout.
//! - It exits on SIGTERM or Ctrl-C, and when its standard input closes, so a test harness that
//!   starts it with a pipe cannot leak it. `--ignore-stdin` turns the latter off, for running
//!   it in the background with no input.
//!
//! Every operation needs a signed-in user, as the contract says: HTTP Basic `demo:demo` (role
//! `User`, may call everything), `guest:guest` (no roles: ListSessions and GetSession only, 403
//! otherwise) or `admin:admin`, the API keys `demo-token` / `guest-token` / `admin-token` as
//! Bearer tokens, or a sign-in at `/auth/credentials` (JWT cookies, refreshed at
//! `/access-token`). See `app.rs` for the users, the store's seed and the ListSessions semantics
//! (0-based `page`, filters, sorting).
//!
//! ```text
//! curl -u demo:demo 'http://127.0.0.1:5000/sessions?accountIds=acc1&sortOrder=Descend'
//! curl -H 'Authorization: Bearer demo-token' http://127.0.0.1:5000/sessions/s1
//! curl -u demo:demo -H 'Accept: application/xml' http://127.0.0.1:5000/sessions/s1
//! curl -u demo:demo 'http://127.0.0.1:5000/xml/reply/GetSession?sessionId=s2'
//! curl -u demo:demo -d '{"channel":"Voice","toAddress":"+15550000000"}' http://127.0.0.1:5000/api/NewSession
//! curl -u demo:demo -d '[{"sessionId":"s1"},{"sessionId":"s2"}]' 'http://127.0.0.1:5000/api/GetSession[]'
//! curl -c jar -d '{"userName":"demo","password":"demo"}' http://127.0.0.1:5000/auth/credentials
//! curl -b jar http://127.0.0.1:5000/sessions/active
//! curl http://127.0.0.1:5000/types/metadata
//! ```

mod app;

use std::io::{Read as _, Write as _};
use std::net::SocketAddr;
use std::process::ExitCode;

const USAGE: &str =
    "usage: sessions_server [--listen ADDR] [--jwt-key HEX] [--no-token-cookies] [--ignore-stdin]";

/// How long open connections get to finish once shutdown starts.
const GRACE: std::time::Duration = std::time::Duration::from_secs(5);

struct Args {
    listen: SocketAddr,
    jwt_key: [u8; 32],
    token_cookies: bool,
    watch_stdin: bool,
}

/// 64 hex digits as 32 bytes.
fn parse_key(hex: &str) -> Result<[u8; 32], String> {
    let digits = hex.trim().as_bytes();
    let mut key = [0u8; 32];
    if digits.len() != 64 {
        return Err(format!(
            "--jwt-key needs 64 hex digits, got {}",
            digits.len()
        ));
    }
    for (byte, pair) in key.iter_mut().zip(digits.chunks(2)) {
        let text = std::str::from_utf8(pair).map_err(|e| e.to_string())?;
        *byte = u8::from_str_radix(text, 16).map_err(|e| format!("--jwt-key: {e}"))?;
    }
    Ok(key)
}

fn parse_args() -> Result<Args, String> {
    let mut listen = "127.0.0.1:5000".to_owned();
    let mut jwt_key = None;
    let mut token_cookies = true;
    let mut watch_stdin = true;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().ok_or("--listen needs an address")?,
            "--jwt-key" => jwt_key = Some(parse_key(&args.next().ok_or("--jwt-key needs a key")?)?),
            "--no-token-cookies" => token_cookies = false,
            "--ignore-stdin" => watch_stdin = false,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => match other.strip_prefix("--listen=") {
                Some(addr) => listen = addr.to_owned(),
                None => return Err(format!("unknown argument `{other}`\n{USAGE}")),
            },
        }
    }
    let listen = listen
        .parse()
        .map_err(|e| format!("--listen `{listen}`: {e}"))?;
    Ok(Args {
        listen,
        jwt_key: jwt_key.unwrap_or_else(ssdto::server::auth::Jwt::generate_key),
        token_cookies,
        watch_stdin,
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    {
        let mut stdout = std::io::stdout().lock();
        if writeln!(stdout, "listening on http://{addr}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return ExitCode::FAILURE;
        }
    }
    // It serves nothing but the app, so without an axum router around it.
    let served = ssdto::server::axum::serve(
        listener,
        app::routes(app::auth(&args.jwt_key, args.token_cookies))
            .into_service()
            .into_make_service(),
    )
    .with_graceful_shutdown(shutdown(args.watch_stdin))
    .await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Resolves on Ctrl-C, SIGTERM or (when watched) the end of standard input, then makes sure
/// the process ends within [`GRACE`] even if a client keeps a connection busy.
async fn shutdown(watch_stdin: bool) {
    let (closed_tx, closed_rx) = tokio::sync::oneshot::channel::<()>();
    if watch_stdin {
        // A plain thread: tokio's stdin would keep the runtime from shutting down while it
        // blocks in a read.
        std::thread::spawn(move || {
            let mut sink = [0u8; 1024];
            let mut stdin = std::io::stdin().lock();
            while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
            let _ = closed_tx.send(());
        });
    }
    let stdin_closed = async move {
        if watch_stdin {
            let _ = closed_rx.await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate() => {}
        _ = stdin_closed => {}
    }
    std::thread::spawn(|| {
        std::thread::sleep(GRACE);
        std::process::exit(0);
    });
}

#[cfg(unix)]
async fn terminate() {
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut signal) => {
            signal.recv().await;
        }
        Err(_) => std::future::pending().await,
    }
}

#[cfg(not(unix))]
async fn terminate() {
    std::future::pending::<()>().await
}
