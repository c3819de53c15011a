//! Calls an Evo Voice server with the generated Sessions DTOs and the typed client: asks who
//! it is signed in as, lists sessions, reads the listed ones back in one batch (`send_all`),
//! creates a chat session with itself and reads it back, printing each result or error.
//!
//! ```sh
//! cargo run -p ssdto-generated --example evovoice_client -- https://evovoice.io
//! cargo run -p ssdto-generated --example evovoice_client -- https://evovoice.io --declared --read-only
//! ```
//!
//! Credentials come from the environment: `EVOVOICE_API_KEY` (sent as a bearer token; a JWT
//! with `EVOVOICE_REFRESH_TOKEN` is refreshed by `GetAccessToken` when it expires, and the new
//! one printed to save), or `EVOVOICE_USER` and `EVOVOICE_PASSWORD` (signed in with
//! `POST /auth/credentials`, then the session cookies are used; the same credentials sign in
//! again if the session ends mid-run). Against the example server (`sessions_server`):
//! `EVOVOICE_USER=demo EVOVOICE_PASSWORD=demo`, or `EVOVOICE_API_KEY=demo-token`. Flags:
//! `--declared` sends to the contract's routes
//! (`/sessions/{sessionId}`) instead of `/api/{Operation}`, `--json-reply` to
//! `/json/reply/{Operation}`; `--read-only` skips creating a session. The exit code is 1 if
//! any call failed, 2 for bad arguments.

use std::process::ExitCode;
use std::time::Duration;

use ssdto::client::{Error, JsonServiceClient, RouteStrategy};
use ssdto::Authenticate;
use ssdto_generated::evovoice_sessions::{
    FlowChannels, GetSession, ListSessions, NewSession, SessionInfo,
};

const USAGE: &str = "usage: evovoice_client <base-url> [--declared | --json-reply] [--read-only]";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut base_url = None;
    let mut strategy = RouteStrategy::Api;
    let mut read_only = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--declared" => strategy = RouteStrategy::Declared,
            "--json-reply" => strategy = RouteStrategy::JsonReply,
            "--read-only" => read_only = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            url if base_url.is_none() && !url.starts_with('-') => base_url = Some(arg),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(base_url) = base_url else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };

    let mut builder = JsonServiceClient::builder(&base_url)
        .route_strategy(strategy)
        .timeout(Duration::from_secs(30));
    let api_key = std::env::var("EVOVOICE_API_KEY").ok();
    if let Some(key) = &api_key {
        builder = builder.api_key(key);
    }
    if let Ok(refresh_token) = std::env::var("EVOVOICE_REFRESH_TOKEN") {
        builder = builder.refresh_token(refresh_token);
    }
    let credentials = std::env::var("EVOVOICE_USER")
        .ok()
        .zip(std::env::var("EVOVOICE_PASSWORD").ok());
    if let Some((user, password)) = credentials.clone() {
        // A session that ends mid-run (401) signs in again, then the call is sent once more.
        builder = builder.on_authentication_required(move |client| {
            let (user, password) = (user.clone(), password.clone());
            async move { client.authenticate(&user, &password).await.map(|_| ()) }
        });
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    println!("server: {} (routes: {strategy:?})", client.base_url());

    let mut failed = false;
    if let Some((user, password)) = credentials {
        match client.authenticate(&user, &password).await {
            Ok(signed_in) => println!(
                "signed in as {}",
                signed_in.user_name.as_deref().unwrap_or(&user)
            ),
            Err(e) => {
                report("sign in", &e);
                return ExitCode::FAILURE;
            }
        }
    }
    // Who the server takes us for, whatever the credentials: ServiceStack's `Authenticate`
    // without a provider answers the caller's session (or 401, which refreshes an expired
    // token first).
    let me = match client.send(&Authenticate::default()).await {
        Ok(me) => me,
        Err(e) => {
            report("Authenticate", &e);
            return ExitCode::FAILURE;
        }
    };
    println!(
        "authenticated as {} (user id {})",
        me.user_name.as_deref().unwrap_or("?"),
        me.user_id.as_deref().unwrap_or("?")
    );

    // List the first page of sessions.
    let list = ListSessions {
        page: 0,
        count_per_page: 10,
        ..Default::default()
    };
    let mut some_id = None;
    let mut listed = Vec::new();
    match client.send(&list).await {
        Ok(page) => {
            let items = page.items.unwrap_or_default();
            println!(
                "ListSessions: {} of {} sessions (page 1 of {})",
                items.len(),
                page.total_count,
                page.total_pages.max(1)
            );
            for session in &items {
                println!("  {}", summary(session));
            }
            some_id = items.iter().find_map(|s| s.id.clone());
            listed = items.into_iter().filter_map(|s| s.id).collect();
        }
        Err(e) => {
            report("ListSessions", &e);
            failed = true;
        }
    }

    // Read the listed sessions back in one request: POST /api/GetSession[] (AutoBatch).
    if !listed.is_empty() {
        let requests: Vec<GetSession> = listed
            .into_iter()
            .map(|session_id| GetSession { session_id })
            .collect();
        match client.send_all(&requests).await {
            Ok(sessions) => println!("GetSession[] (batch): read {} sessions", sessions.len()),
            Err(e) => {
                report("GetSession[] (batch)", &e);
                if let Some(done) = e.batch_completed() {
                    eprintln!(
                        "  {done} of {} completed before the failure",
                        requests.len()
                    );
                }
                failed = true;
            }
        }
    }

    // Create a chat session with ourselves (`user:{id}`).
    if !read_only {
        let new = NewSession {
            display_name: Some("ssdto example".into()),
            channel: FlowChannels::Chat,
            with_address: me.user_id.as_ref().map(|id| format!("user:{id}")),
            ..Default::default()
        };
        match client.send(&new).await {
            Ok(created) => {
                println!("NewSession: created {}", summary(&created));
                some_id = created.id.or(some_id);
            }
            Err(e) => {
                report("NewSession", &e);
                failed = true;
            }
        }
    }

    // Read one back.
    match some_id {
        Some(session_id) => match client.send(&GetSession { session_id }).await {
            Ok(session) => println!("GetSession: {}", summary(&session)),
            Err(e) => {
                report("GetSession", &e);
                failed = true;
            }
        },
        None => println!("GetSession: skipped, no session id to read"),
    }

    // A refreshed JWT: print it so the next run can start with it. A server that keeps tokens
    // in cookies (ServiceStack's default) sets it as the `ss-tok` cookie rather than answering
    // it; either way it is a bearer token for the next run.
    let refreshed = match client.bearer_token() {
        Some(token) => Some(token).filter(|t| Some(t) != api_key.as_ref()),
        None if api_key.is_some() => client.cookie(ssdto::keywords::TOKEN_COOKIE),
        None => None,
    };
    if let Some(token) = refreshed {
        println!("the access token was refreshed; new EVOVOICE_API_KEY: {token}");
    }

    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn summary(session: &SessionInfo) -> String {
    format!(
        "{} {:?} [{} {}] {}",
        session.id.as_deref().unwrap_or("<no id>"),
        session.display_name.as_deref().unwrap_or(""),
        session.channel,
        session.call_state,
        session.date_created.as_deref().unwrap_or("")
    )
}

/// Prints an error; a service error's message already lists its field errors
/// (`HTTP 400: ValidationException: ... (ToAddress: must not be empty [NotEmpty])`).
fn report(operation: &str, error: &Error) {
    eprintln!("{operation} failed: {error}");
    if let Error::Service(service) = error {
        if service.response_status.error_code.as_deref() == Some(&service.status.to_string())
            && !service.excerpt.is_empty()
        {
            // Not a ServiceStack error body (a proxy page, say): show what came back.
            eprintln!("  body: {}", service.excerpt);
        }
    }
}
