//! What happens to one call between "send this" and "here is the reply": the HTTP request
//! built fresh for each attempt (credentials, body, request filters), retries, response
//! filters, and on a 401 the token refresh or the authentication-required hook, then one
//! more try. Everything the client sends goes through here, so every feature (batches,
//! uploads, paging, raw downloads) gets retries, refresh, filters and tracing alike.

use std::borrow::Cow;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};

use super::auth::access_token_request;
use super::body;
use super::reply::Reply;
use super::upload::{Form, Sent};
use super::{strategy, Error, JsonServiceClient};
use crate::keywords::{REFRESH_TOKEN_COOKIE, TOKEN_COOKIE};
use crate::{GetAccessTokenResponse, Method, Request as _};

const JSON: &str = "application/json";

/// One call to make: where, with which verb and body, and how to treat auth.
#[derive(Debug)]
pub(crate) struct Call {
    /// The operation, for tracing (`GetSession`, `GetSession[]` for a batch).
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub operation: Cow<'static, str>,
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    pub body: Payload,
    /// Whether to send the client's `Authorization` header (not to `GetAccessToken`, which
    /// reads the refresh token, as the C# and Python clients send it).
    pub credentials: bool,
    /// Whether a 401 may refresh the token (or run the hook) and send again.
    pub recover: bool,
    /// An `Accept` header replacing the client's default (`application/json`).
    pub accept: Option<HeaderValue>,
}

/// A call's body.
#[derive(Debug)]
pub(crate) enum Payload {
    None,
    Json(Bytes),
    #[cfg(feature = "xml")]
    Xml(Bytes),
    Form(Form),
}

impl Payload {
    fn replayable(&self) -> bool {
        match self {
            Payload::None | Payload::Json(_) => true,
            #[cfg(feature = "xml")]
            Payload::Xml(_) => true,
            Payload::Form(form) => form.replayable(),
        }
    }
}

/// The reply to a call, not read yet.
#[derive(Debug)]
pub(crate) struct Answer {
    pub response: reqwest::Response,
    /// The upload's files, for a multipart call.
    sent: Option<Arc<Sent>>,
}

impl Answer {
    /// Reads the reply within `limit` bytes; an upload that did not go out whole is an error
    /// whatever the status.
    pub async fn read(self, limit: usize) -> Result<Reply, Error> {
        let reply = body::read(self.response, limit).await;
        if let Some(sent) = &self.sent {
            if let Some(failure) = sent.failure() {
                return Err(failure);
            }
            if matches!(&reply, Ok(r) if (200..300).contains(&r.status)) {
                sent.check()?;
            }
        }
        reply
    }
}

impl JsonServiceClient {
    /// Makes `call`, with a tracing span when the `tracing` feature is on.
    pub(crate) async fn execute(&self, call: &Call) -> Result<Answer, Error> {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument as _;
            let span = tracing::info_span!(
                "ssdto.request",
                ssdto.operation = %call.operation,
                http.request.method = %call.method,
                url.path = %url_path(&call.url),
                http.response.status_code = tracing::field::Empty,
            );
            let answer = self.execute_untraced(call).instrument(span.clone()).await;
            match &answer {
                Ok(answer) => {
                    span.record(
                        "http.response.status_code",
                        answer.response.status().as_u16(),
                    );
                }
                Err(error) => span.in_scope(|| tracing::warn!(%error, "request failed")),
            }
            answer
        }
        #[cfg(not(feature = "tracing"))]
        self.execute_untraced(call).await
    }

    async fn execute_untraced(&self, call: &Call) -> Result<Answer, Error> {
        let seen = self.shared.session.generation();
        let answer = self.attempts(call).await?;
        if answer.response.status() != reqwest::StatusCode::UNAUTHORIZED
            || !call.recover
            || !call.body.replayable()
        {
            return Ok(answer);
        }
        // Boxed: the refresh it may run is a whole call of its own, and every call's future
        // would otherwise be as large as that rare path.
        if !Box::pin(self.recover(seen)).await? {
            return Ok(answer);
        }
        drop(answer);
        trace_event("sending again after 401");
        Box::pin(self.attempts(call)).await
    }

    /// Sends `call` until it gets an answer the retry policy accepts.
    pub(crate) async fn attempts(&self, call: &Call) -> Result<Answer, Error> {
        let shared = &self.shared;
        let replayable = call.body.replayable();
        let mut attempt = 0;
        loop {
            let (request, sent) = match &call.body {
                // Boxed: only uploads read files before sending, so other calls' futures
                // need no room for that.
                Payload::Form(form) => Box::pin(self.upload(call, form)).await?,
                _ => (self.request(call, None)?, None),
            };
            match self.http.execute(request).await {
                Err(error) => {
                    // A file that failed to read is why the request failed; say so.
                    if let Some(failure) = sent.as_ref().and_then(|s| s.failure()) {
                        return Err(failure);
                    }
                    match shared.retry {
                        Some(policy)
                            if replayable && policy.retries_error(attempt, call.method, &error) =>
                        {
                            let delay = policy.delay(attempt, None);
                            trace_retry(attempt, delay, &error.to_string());
                            retry_wait(delay).await;
                            attempt += 1;
                        }
                        _ => return Err(Error::Transport(error)),
                    }
                }
                Ok(response) => {
                    shared.session.note_reply(response.headers());
                    for filter in &shared.filters.response {
                        filter(&response);
                    }
                    let status = response.status().as_u16();
                    match shared.retry {
                        Some(policy)
                            if replayable
                                && policy.retries_status(attempt, call.method, status) =>
                        {
                            let delay =
                                policy.delay(attempt, super::middleware::retry_after(&response));
                            drop(response);
                            trace_retry(attempt, delay, &format!("HTTP {status}"));
                            retry_wait(delay).await;
                            attempt += 1;
                        }
                        _ => return Ok(Answer { response, sent }),
                    }
                }
            }
        }
    }

    /// The HTTP request for one attempt of an upload, whose files it opens first.
    async fn upload(
        &self,
        call: &Call,
        form: &Form,
    ) -> Result<(reqwest::Request, Option<Arc<Sent>>), Error> {
        let (multipart, tracker) = form.build().await?;
        Ok((self.request(call, Some(multipart))?, Some(tracker)))
    }

    /// The HTTP request for `call`, with `multipart` as the body of an upload.
    fn request(
        &self,
        call: &Call,
        multipart: Option<reqwest::multipart::Form>,
    ) -> Result<reqwest::Request, Error> {
        let mut builder = self
            .http
            .request(super::http_method(call.method), call.url.as_str());
        if call.credentials {
            if let Some(value) = self.shared.session.authorization()? {
                builder = builder.header(AUTHORIZATION, value);
            }
        }
        if let Some(accept) = &call.accept {
            builder = builder.header(ACCEPT, accept.clone());
        }
        builder = match &call.body {
            Payload::None => builder,
            Payload::Json(json) => builder
                .header(CONTENT_TYPE, HeaderValue::from_static(JSON))
                .body(json.clone()),
            #[cfg(feature = "xml")]
            Payload::Xml(xml) => builder
                .header(
                    CONTENT_TYPE,
                    HeaderValue::from_static(crate::xml::MEDIA_TYPE),
                )
                .body(xml.clone()),
            Payload::Form(_) => match multipart {
                Some(form) => builder.multipart(form),
                None => builder,
            },
        };
        let mut request = builder.build().map_err(Error::Transport)?;
        for filter in &self.shared.filters.request {
            filter(&mut request);
        }
        Ok(request)
    }

    /// After a 401 to a request sent at auth generation `seen`: refreshes the token, or runs
    /// the authentication-required hook, one at a time. `Ok(true)` means "send it again".
    async fn recover(&self, seen: u64) -> Result<bool, Error> {
        let shared = &self.shared;
        let has_refresh_cookie = shared
            .cookies
            .get(REFRESH_TOKEN_COOKIE, &shared.base)
            .is_some();
        let refresh = shared.session.refresh_params(has_refresh_cookie);
        let hook = shared.auth_hook.clone();
        if refresh.is_none() && hook.is_none() {
            return Ok(false);
        }
        let _one_at_a_time = shared.session.refreshing.lock().await;
        if let Some(outcome) = shared.session.recovered_since(seen) {
            // Another request recovered while this one waited: send again with what it got,
            // or fail as it failed rather than try again at once.
            return outcome.map(|()| true).map_err(Error::RefreshToken);
        }
        let recovered = match (refresh, hook) {
            (Some((token, cookie_mode)), hook) => {
                match (self.refresh(token, cookie_mode).await, hook) {
                    (Ok(()), _) => Ok(()),
                    (Err(error), None) => Err(error),
                    // After a failed refresh the hook gets its turn; its failure is a refresh
                    // failure, as the TypeScript client reports it (`RefreshTokenException`).
                    (Err(_), Some(hook)) => self.run_hook(&hook).await,
                }
            }
            (None, Some(hook)) => self.run_hook(&hook).await,
            (None, None) => return Ok(false),
        };
        recovered
            .map(|()| true)
            .map_err(|error| Error::RefreshToken(shared.session.recovery_failed(error)))
    }

    async fn run_hook(&self, hook: &super::auth::AuthHook) -> Result<(), Error> {
        trace_event("running the authentication-required hook");
        (hook.0)(self.for_hook()).await?;
        self.shared.session.reauthenticated();
        Ok(())
    }

    /// `POST GetAccessToken` with the refresh token (or the `ss-reftok` cookie), and keeps
    /// the new access token.
    async fn refresh(&self, refresh_token: Option<String>, cookie_mode: bool) -> Result<(), Error> {
        let shared = &self.shared;
        trace_event("refreshing the access token");
        shared.session.drop_bearer();
        if cookie_mode {
            // The expired token cookie must not outlive the refresh (as the C# client does).
            shared.cookies.remove(TOKEN_COOKIE, &shared.base);
        }
        let request = access_token_request(refresh_token, cookie_mode);
        let url = match &shared.refresh_uri {
            Some(uri) => shared.absolute(uri),
            None => {
                strategy::prepare(&request, Method::Post, shared.strategy, &shared.base_url)?.url
            }
        };
        let call = Call {
            operation: crate::GetAccessToken::OPERATION.into(),
            method: Method::Post,
            url,
            body: Payload::Json(serde_json::to_vec(&request).map_err(Error::Encode)?.into()),
            credentials: false,
            recover: false,
            accept: None,
        };
        let reply = self
            .attempts(&call)
            .await?
            .read(shared.max_response_bytes)
            .await?;
        let response: GetAccessTokenResponse = reply.json(false)?;
        match response.access_token.filter(|token| !token.is_empty()) {
            Some(token) => {
                // A token that cannot travel in a header is a broken reply, not a config error.
                super::Auth::Bearer(token.clone())
                    .header_value()
                    .map_err(|e| decode_error(&reply, e.to_string()))?;
                shared.session.refreshed(Some(token));
            }
            None if shared.cookies.get(TOKEN_COOKIE, &shared.base).is_some() => {
                shared.session.refreshed(None);
            }
            None => {
                return Err(decode_error(
                    &reply,
                    "the GetAccessToken reply has no accessToken and set no ss-tok cookie".into(),
                ))
            }
        }
        Ok(())
    }
}

fn decode_error(reply: &Reply, message: String) -> Error {
    Error::Decode {
        status: reply.status,
        source: message.into(),
        excerpt: super::excerpt(&reply.body),
    }
}

/// The path of a URL, for the tracing span (the query may hold secrets).
#[cfg(feature = "tracing")]
fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    path.split(['?', '#']).next().unwrap_or(path)
}

/// Waits before a retry; boxed, so a timer is only part of a call's future when it retries.
async fn retry_wait(delay: std::time::Duration) {
    Box::pin(tokio::time::sleep(delay)).await;
}

fn trace_retry(attempt: u32, delay: std::time::Duration, reason: &str) {
    #[cfg(feature = "tracing")]
    tracing::info!(
        retry = attempt + 1,
        delay_ms = delay.as_millis() as u64,
        reason,
        "retrying"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (attempt, delay, reason);
}

fn trace_event(what: &'static str) {
    #[cfg(feature = "tracing")]
    tracing::info!("{what}");
    #[cfg(not(feature = "tracing"))]
    let _ = what;
}

#[cfg(all(test, feature = "tracing"))]
mod tests {
    use super::*;

    #[test]
    fn spans_name_the_path_without_the_query() {
        assert_eq!(url_path("http://h:1/api/X?token=secret"), "/api/X");
        assert_eq!(url_path("https://h"), "/");
        assert_eq!(url_path("http://h/a/b#f"), "/a/b");
    }
}
