//! Raw responses as streams, for downloads too large to hold in memory.

use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::HeaderMap;

use super::{Error, JsonServiceClient};
use crate::Request;

/// A successful reply whose body has not been read yet: read it a chunk at a time with
/// [`chunk`](Self::chunk), or as a [`Stream`] with [`into_stream`](Self::into_stream). The
/// client's `max_response_bytes` does not apply to it: the reader decides how much to take.
#[derive(Debug)]
pub struct RawResponse {
    response: reqwest::Response,
}

impl RawResponse {
    /// The HTTP status (2xx).
    pub fn status(&self) -> u16 {
        self.response.status().as_u16()
    }

    /// The reply's headers.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The body's length, when the server declared it.
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// The reply's `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.headers()
            .get(reqwest::header::CONTENT_TYPE)?
            .to_str()
            .ok()
    }

    /// The next piece of the body, `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        self.response.chunk().await.map_err(Error::Transport)
    }

    /// The body as a stream of pieces.
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes, Error>> + Send {
        futures_util::stream::try_unfold(self, |mut raw| async move {
            Ok(raw.chunk().await?.map(|chunk| (chunk, raw)))
        })
    }
}

impl JsonServiceClient {
    /// Sends `request` with its declared verb and returns the successful reply unread, to
    /// stream a large body (a `Stream` or `byte[]` result, a file). Error statuses are read
    /// (within the limit) and returned as [`Error::Service`] as usual. Retries, token refresh
    /// and filters apply as for [`send`](Self::send).
    ///
    /// ```no_run
    /// # async fn run(client: ssdto::client::JsonServiceClient) -> Result<(), Box<dyn std::error::Error>> {
    /// # #[derive(serde::Serialize)] struct GetRecording { id: String }
    /// # impl ssdto::Request for GetRecording {
    /// #     type Response = ssdto::Bytes;
    /// #     const OPERATION: &'static str = "GetRecording";
    /// #     const METHOD: ssdto::Method = ssdto::Method::Get;
    /// #     const RESPONSE_FORMAT: ssdto::ResponseFormat = ssdto::ResponseFormat::Bytes;
    /// # }
    /// use tokio::io::AsyncWriteExt;
    ///
    /// let mut raw = client.send_raw(&GetRecording { id: "r1".into() }).await?;
    /// let mut file = tokio::fs::File::create("r1.wav").await?;
    /// while let Some(chunk) = raw.chunk().await? {
    ///     file.write_all(&chunk).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn send_raw<R: Request>(&self, request: &R) -> Result<RawResponse, Error> {
        let call = self.call(R::METHOD, request)?;
        let answer = self.execute(&call).await?;
        if !answer.response.status().is_success() {
            return Err(answer.read(self.shared.max_response_bytes).await?.error());
        }
        Ok(RawResponse {
            response: answer.response,
        })
    }
}
