//! What a generated `Service` method returns.

use std::future::Future;

use super::HttpError;

/// The future a `Service` method returns: it answers `T` or an [`HttpError`], and is `Send` so
/// the router can run it on a multi-threaded runtime.
///
/// Every such future implements it, so an implementation writes `async fn` and returns
/// `Result<T, HttpError>`:
///
/// ```
/// use ssdto::server::{HttpError, Reply};
///
/// trait Service {
///     fn hello(&self, name: String) -> impl Reply<String>;
/// }
///
/// struct Greeter;
///
/// impl Service for Greeter {
///     async fn hello(&self, name: String) -> Result<String, HttpError> {
///         Ok(format!("Hello, {name}"))
///     }
/// }
/// ```
pub trait Reply<T>: Future<Output = Result<T, HttpError>> + Send {}

impl<T, F> Reply<T> for F where F: Future<Output = Result<T, HttpError>> + Send {}
