//! Every row of an AutoQuery, page by page, as the C# client's `GetLazy` reads them.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;

use super::strategy::{self, Prepared};
use super::{Error, JsonServiceClient, RouteStrategy};
use crate::{query, Method, QueryResponse, Request, Route};

type Page<T> = Pin<Box<dyn Future<Output = Result<QueryResponse<T>, Error>> + Send>>;

/// The rows of an AutoQuery, fetched a page at a time as they are consumed: a
/// [`Stream`] of `Result<T, Error>`, with an inherent [`next`](Self::next) so no stream
/// extension trait is needed. Made by [`JsonServiceClient::query_all`].
///
/// After an error it ends.
#[must_use = "a query does nothing until its rows are read"]
pub struct QueryAll<T> {
    client: JsonServiceClient,
    operation: &'static str,
    routes: &'static [Route],
    /// The request's fields, `skip` and `include` set for the next page.
    fields: Vec<(String, String)>,
    skip: i64,
    rows: VecDeque<T>,
    page: Option<Page<T>>,
    /// The first error (an unserializable request), returned before any page.
    error: Option<Error>,
    done: bool,
}

// Nothing in it is pinned: the page future is boxed and the rows are plain values.
impl<T> Unpin for QueryAll<T> {}

impl<T> std::fmt::Debug for QueryAll<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryAll")
            .field("operation", &self.operation)
            .field("skip", &self.skip)
            .field("buffered", &self.rows.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> QueryAll<T> {
    /// The next row, fetching the next page when this one is used up.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining row (all pages), or the first error.
    pub async fn collect(mut self) -> Result<Vec<T>, Error> {
        let mut rows = Vec::new();
        while let Some(row) = self.next().await {
            rows.push(row?);
        }
        Ok(rows)
    }

    /// Starts fetching the page at `self.skip`.
    fn fetch(&mut self) -> Page<T> {
        set_field(&mut self.fields, "skip", self.skip.to_string());
        let client = self.client.clone();
        let prepared = prepare(
            &client.shared.base_url,
            &self.fields,
            self.operation,
            self.routes,
            client.shared.strategy,
        );
        let operation = self.operation;
        Box::pin(async move {
            let call = client.call_from(operation.into(), prepared);
            client.reply(&call).await?.json(false)
        })
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for QueryAll<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(error) = this.error.take() {
                this.done = true;
                return Poll::Ready(Some(Err(error)));
            }
            if let Some(row) = this.rows.pop_front() {
                return Poll::Ready(Some(Ok(row)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let page = match &mut this.page {
                Some(page) => page,
                None => {
                    let page = this.fetch();
                    this.page.insert(page)
                }
            };
            let response = match page.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(response) => response,
            };
            this.page = None;
            let response = match response {
                Ok(response) => response,
                Err(error) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
            };
            // As `GetLazy`: go on while this page did not reach the total; and stop at an
            // empty page, so a total the server over-counts cannot loop forever.
            let count = response.results.len() as i64;
            this.skip += count;
            this.done =
                count == 0 || i64::from(response.offset) + count >= i64::from(response.total);
            this.rows.extend(response.results);
        }
    }
}

impl JsonServiceClient {
    /// Every row of an AutoQuery, as a stream that fetches pages as it is read, like the C#
    /// client's `GetLazy`: it sends the request with GET, `include=Total` added (unless its
    /// `include` already lists `Total`) and `skip` from the request's own (0 if unset), then
    /// again with `skip` moved past the rows received, while `offset + rows < total`, and
    /// stops at an empty page. `take` is the page size (the server's default when unset).
    /// The handle's [`with_args`](Self::with_args) go with every page.
    ///
    /// ```no_run
    /// # async fn run(client: ssdto::client::JsonServiceClient) -> Result<(), ssdto::client::Error> {
    /// # #[derive(serde::Serialize, Default)] struct QueryBookings { take: Option<i32> }
    /// # #[derive(serde::Deserialize, Debug)] struct Booking {}
    /// # impl ssdto::Request for QueryBookings {
    /// #     type Response = ssdto::QueryResponse<Booking>;
    /// #     const OPERATION: &'static str = "QueryBookings";
    /// #     const METHOD: ssdto::Method = ssdto::Method::Get;
    /// # }
    /// let mut bookings = client.query_all(&QueryBookings { take: Some(100) });
    /// while let Some(booking) = bookings.next().await {
    ///     println!("{:?}", booking?);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn query_all<R, T>(&self, request: &R) -> QueryAll<T>
    where
        R: Request<Response = QueryResponse<T>>,
        T: DeserializeOwned + Send + 'static,
    {
        let (fields, error) = match query::fields(request) {
            Ok(fields) => (fields, None),
            Err(e) => (Vec::new(), Some(Error::Query(e))),
        };
        let mut fields = fields;
        let skip = field(&fields, "skip")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        let include = with_total(field(&fields, "include"));
        set_field(&mut fields, "include", include);
        QueryAll {
            client: self.clone(),
            operation: R::OPERATION,
            routes: R::ROUTES,
            fields,
            skip,
            rows: VecDeque::new(),
            page: None,
            error,
            done: false,
        }
    }
}

/// The page request: the fields in the query string of the route the strategy picks for GET.
fn prepare(
    base: &str,
    fields: &[(String, String)],
    operation: &str,
    routes: &[Route],
    strategy: RouteStrategy,
) -> Prepared {
    let (url, consumed) =
        strategy::route_for(base, strategy, fields, operation, routes, Method::Get);
    strategy::with_query(Method::Get, url, fields, &consumed)
}

/// The value of the field `name` (ServiceStack matches names case-insensitively).
fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Sets the field `name`, in place when the request has it, else at the end.
fn set_field(fields: &mut Vec<(String, String)>, name: &str, value: String) {
    match fields
        .iter_mut()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
    {
        Some((_, v)) => *v = value,
        None => fields.push((name.to_owned(), value)),
    }
}

/// `include` with `Total` in its list.
fn with_total(include: Option<&str>) -> String {
    match include.map(str::trim).filter(|s| !s.is_empty()) {
        None => "Total".to_owned(),
        Some(list)
            if list
                .split(',')
                .any(|item| item.trim().eq_ignore_ascii_case("total")) =>
        {
            list.to_owned()
        }
        Some(list) => format!("{list},Total"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_always_lists_total_once() {
        assert_eq!(with_total(None), "Total");
        assert_eq!(with_total(Some("")), "Total");
        assert_eq!(with_total(Some("total")), "total");
        assert_eq!(with_total(Some("COUNT(*), Total")), "COUNT(*), Total");
        assert_eq!(with_total(Some("COUNT(*)")), "COUNT(*),Total");
        // A name that merely contains "total" is not the Total aggregate.
        assert_eq!(with_total(Some("Sum(Total)")), "Sum(Total),Total");
    }

    #[test]
    fn fields_are_set_in_place_or_appended() {
        let mut fields = vec![
            ("Skip".to_owned(), "5".to_owned()),
            ("take".to_owned(), "2".to_owned()),
        ];
        set_field(&mut fields, "skip", "7".into());
        set_field(&mut fields, "include", "Total".into());
        assert_eq!(
            fields,
            [
                ("Skip".into(), "7".into()),
                ("take".into(), "2".into()),
                ("include".into(), "Total".into())
            ]
        );
        assert_eq!(field(&fields, "INCLUDE"), Some("Total"));
        let prepared = prepare("http://h", &fields, "QueryItems", &[], RouteStrategy::Api);
        assert_eq!(
            prepared.url,
            "http://h/api/QueryItems?Skip=7&take=2&include=Total"
        );
        assert_eq!(prepared.body, None);
    }
}
