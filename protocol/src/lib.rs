//! ServiceStack's protocol rules, in one place for the `ssdto` runtime, its macros and its
//! generator: HTTP verbs and verb lists ([`Method`], [`parse_verbs`]), route templates
//! ([`RouteTemplate`]: parse, validate, fill, match), the routes every operation has
//! ([`Predefined`]), the case-insensitive name comparison ServiceStack binds with
//! ([`eq_ignore_case`]), its camelCase wire names ([`wire_name`]), serde's field renaming ([`RenameRule`]) and the
//! namespaces of its XML ([`xml`]).
//!
//! This crate has no dependencies. Use it through `ssdto`, which re-exports it.
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod method;
mod names;
pub mod percent;
mod predefined;
pub mod route;
mod serde_names;
pub mod xml;

pub use method::{default_method, parse_verbs, Method, Route, UnknownMethod};
pub use names::{eq_ignore_case, wire_name};
pub use predefined::{Predefined, BATCH_SUFFIX};
pub use route::RouteTemplate;
pub use serde_names::RenameRule;
