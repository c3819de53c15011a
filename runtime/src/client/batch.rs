//! Batches and one-way requests, as ServiceStack's AutoBatch receives them.
//!
//! The official clients (`sendAll` in TypeScript, `send_all` in Python, `SendAll` in C#)
//! post the requests as one JSON array to the operation's predefined route with `[]`
//! appended (`POST /api/CreateItem[]`); the server runs them in order and answers a JSON
//! array of their responses, or, at the first failure, that request's error with
//! `X-AutoBatch-Completed: N`, the number that completed before it. One-way sends post to
//! the one-way route (`/api/{Name}`; `/json/oneway/{Name}` on older servers) and ignore the
//! response.

use super::strategy::{self, Prepared, Reply};
use super::{Error, JsonServiceClient};
use crate::{Method, Request};

impl JsonServiceClient {
    /// Sends `requests` as one batch (`POST /api/{Operation}[]` with a JSON array) and
    /// returns their responses in order. An empty slice sends nothing.
    ///
    /// A failure is the failed request's [`Error::Service`], whose
    /// [`batch_completed`](Error::batch_completed) tells how many of the requests before it
    /// completed; a reply that is not an array of one response per request is an
    /// [`Error::Decode`].
    pub async fn send_all<R: Request>(&self, requests: &[R]) -> Result<Vec<R::Response>, Error> {
        if requests.is_empty() {
            return Ok(Vec::new());
        }
        let call = self.batch_call(requests, Reply::Sync)?;
        self.reply(&call)
            .await?
            .batch(requests.len(), R::RETURNS_VOID)
    }

    /// Sends `requests` as one batch to the one-way route (`POST /api/{Operation}[]`;
    /// `/json/oneway/{Operation}[]` with [`RouteStrategy::JsonReply`](super::RouteStrategy))
    /// without reading responses; an error status is still an error. An empty slice sends
    /// nothing.
    pub async fn send_all_oneway<R: Request>(&self, requests: &[R]) -> Result<(), Error> {
        if requests.is_empty() {
            return Ok(());
        }
        let call = self.batch_call(requests, Reply::OneWay)?;
        self.reply(&call).await?.check()
    }

    /// Sends `request` to the one-way route with POST whatever its verb, as the official
    /// clients' `sendOneWay` / `Publish` do, without reading the response; an error status is
    /// still an error.
    pub async fn send_oneway<R: Request>(&self, request: &R) -> Result<(), Error> {
        let prepared = Prepared {
            method: Method::Post,
            url: self.predefined_url(Reply::OneWay, R::OPERATION),
            body: Some(serde_json::to_vec(request).map_err(Error::Encode)?),
        };
        let call = self.call_from(R::OPERATION.into(), prepared);
        self.reply(&call).await?.check()
    }

    fn batch_call<R: Request>(
        &self,
        requests: &[R],
        reply: Reply,
    ) -> Result<super::pipeline::Call, Error> {
        let mut url = self.predefined_url(reply, R::OPERATION);
        // `[` and `]` are legal in a path and sent as they are, as the official clients send
        // them (the URL parser leaves them alone).
        url.push_str(crate::protocol::BATCH_SUFFIX);
        let prepared = Prepared {
            method: Method::Post,
            url,
            body: Some(serde_json::to_vec(requests).map_err(Error::Encode)?),
        };
        Ok(self.call_from(
            format!("{}{}", R::OPERATION, crate::protocol::BATCH_SUFFIX).into(),
            prepared,
        ))
    }

    /// The URL of `operation`'s predefined route for `reply` under the client's strategy.
    fn predefined_url(&self, reply: Reply, operation: &str) -> String {
        let route = strategy::predefined(self.shared.strategy, reply);
        strategy::predefined_url(&self.shared.base_url, route, operation, 0)
    }
}
