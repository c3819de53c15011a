//! Request and response filters, and the opt-in retry policy.

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::Duration;

use crate::Method;

/// A request filter: sees (and may change) every HTTP request just before it is sent, like
/// the official clients' `RequestFilter` / `requestFilter` / `request_filter`.
pub(crate) type RequestFilter = Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>;

/// A response filter: sees every HTTP response (status and headers; the body is read after
/// it), like the official clients' `ResponseFilter` / `responseFilter` / `response_filter`.
pub(crate) type ResponseFilter = Arc<dyn Fn(&reqwest::Response) + Send + Sync>;

/// The filters of one client, in the order they were added.
#[derive(Clone, Default)]
pub(crate) struct Filters {
    pub request: Vec<RequestFilter>,
    pub response: Vec<ResponseFilter>,
}

impl fmt::Debug for Filters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Filters")
            .field("request", &self.request.len())
            .field("response", &self.response.len())
            .finish()
    }
}

/// When and how often the client sends a request again (see
/// [`ClientBuilder::retry`](super::ClientBuilder::retry)); off unless set.
///
/// A request is sent again, up to [`max_retries`](Self::max_retries) more times:
///
/// - after a connection error (refused, reset or DNS failure while connecting), whatever the
///   verb, since the server never saw the request;
/// - for idempotent verbs only (GET, HEAD, OPTIONS, PUT, DELETE): after a timeout or a
///   connection lost before the reply, and after a reply of 408, 429, 502, 503 or 504.
///
/// POST and PATCH are never sent twice once the server may have received them. Nor is an
/// upload whose file comes from a reader, which cannot be read again.
///
/// The wait before retry `n` (from 0) is `initial_backoff * 2^n`, capped at `max_backoff`,
/// of which a random half is kept ("equal jitter", so clients that failed together do not
/// come back together), or the reply's `Retry-After` seconds when it has them (capped the
/// same way).
///
/// ```
/// use std::time::Duration;
/// use ssdto::client::RetryPolicy;
///
/// let policy = RetryPolicy::new(3).backoff(Duration::from_millis(100), Duration::from_secs(2));
/// assert_eq!(policy.max_retries(), 3);
/// assert_eq!(RetryPolicy::default(), RetryPolicy::new(3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Three retries, waiting from 200 ms up to 5 s.
    fn default() -> Self {
        RetryPolicy::new(3)
    }
}

/// Statuses that say "try again later" without the request having been processed.
const RETRY_STATUSES: [u16; 5] = [408, 429, 502, 503, 504];

impl RetryPolicy {
    /// Up to `max_retries` retries, waiting from 200 ms up to 5 s.
    pub fn new(max_retries: u32) -> Self {
        RetryPolicy {
            max_retries,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }

    /// The wait before the first retry and the most any wait may be.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// How many times a request may be sent again.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// Whether to send again after the transport error `error` on retry number `attempt`.
    pub(crate) fn retries_error(
        &self,
        attempt: u32,
        method: Method,
        error: &reqwest::Error,
    ) -> bool {
        attempt < self.max_retries
            && (error.is_connect()
                || (is_idempotent(method) && (error.is_timeout() || error.is_request())))
    }

    /// Whether to send again after a reply with `status` on retry number `attempt`.
    pub(crate) fn retries_status(&self, attempt: u32, method: Method, status: u16) -> bool {
        attempt < self.max_retries && is_idempotent(method) && RETRY_STATUSES.contains(&status)
    }

    /// How long to wait before retry number `attempt` (from 0); `retry_after` is the reply's
    /// `Retry-After` in seconds, if any.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<u64>) -> Duration {
        if let Some(seconds) = retry_after {
            return Duration::from_secs(seconds).min(self.max_backoff);
        }
        let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
        let full = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let half = full / 2;
        half + half.mul_f64(random_fraction())
    }
}

/// Verbs whose repetition has the same effect as one request (RFC 9110 9.2.2).
fn is_idempotent(method: Method) -> bool {
    matches!(
        method,
        Method::Get | Method::Head | Method::Options | Method::Put | Method::Delete
    )
}

/// A number in `[0, 1)` that differs between calls: `RandomState` is seeded randomly for each
/// instance, which is all the randomness jitter needs (no rand crate).
fn random_fraction() -> f64 {
    let bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// The `Retry-After` of a reply, when it is a number of seconds (the HTTP-date form is rare
/// from APIs and is ignored: the backoff applies then).
pub(crate) fn retry_after(response: &reqwest::Response) -> Option<u64> {
    super::reply::header_number(response.headers(), reqwest::header::RETRY_AFTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_idempotent_verbs_retry_statuses() {
        let policy = RetryPolicy::new(2);
        for status in RETRY_STATUSES {
            assert!(policy.retries_status(0, Method::Get, status));
            assert!(policy.retries_status(1, Method::Delete, status));
            assert!(
                !policy.retries_status(2, Method::Get, status),
                "out of retries"
            );
            assert!(!policy.retries_status(0, Method::Post, status));
            assert!(!policy.retries_status(0, Method::Patch, status));
        }
        for status in [200, 400, 401, 404, 500, 501] {
            assert!(!policy.retries_status(0, Method::Get, status), "{status}");
        }
        assert!(!RetryPolicy::new(0).retries_status(0, Method::Get, 503));
    }

    #[test]
    fn delays_grow_with_jitter_and_stay_capped() {
        let policy =
            RetryPolicy::new(10).backoff(Duration::from_millis(100), Duration::from_millis(1000));
        for attempt in 0..10 {
            let full = (100u64 << attempt).min(1000);
            let delay = policy.delay(attempt, None).as_millis() as u64;
            assert!(
                delay >= full / 2 && delay <= full,
                "attempt {attempt}: {delay} ms of {full}"
            );
        }
        assert_eq!(policy.delay(0, Some(0)), Duration::ZERO);
        assert_eq!(policy.delay(0, Some(1)), Duration::from_millis(1000));
        assert_eq!(policy.delay(0, Some(3600)), Duration::from_millis(1000));
        // No overflow however far it goes.
        assert!(policy.delay(u32::MAX, None) <= Duration::from_secs(1));
        let fractions: Vec<f64> = (0..8).map(|_| random_fraction()).collect();
        assert!(fractions.iter().all(|f| (0.0..1.0).contains(f)));
        assert!(fractions.windows(2).any(|w| w[0] != w[1]));
    }
}
