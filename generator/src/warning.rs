//! Warnings: what the generator did about input it does not fully understand, as data.
//!
//! The library never prints. [`crate::generate`] and [`crate::Builder::generate`] return
//! warnings with the code, the `ssdto` command prints them to standard error,
//! [`crate::Builder::write_out_dir`] (the build-script entry point) prints them as `cargo:warning=` lines, and the `Strict` option turns them into
//! an [`Error::Strict`](crate::Error::Strict).

use std::fmt;

/// What kind of thing a [`Warning`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WarningKind {
    /// A type name that the contract does not define and that is not in the .NET type table:
    /// it became a `pub type Name = serde_json::Value;` alias (or, as a base class, was left
    /// out).
    UndefinedType,
    /// Two types with one name in different .NET namespaces: the later one was renamed.
    DuplicateType,
    /// A type whose name is not a .NET identifier (a compiler-generated closure such as
    /// `<>c__DisplayClass18_0`): it was left out.
    SkippedType,
    /// A route that ssdto's runtime cannot fill or match (a variable inside other text, a
    /// wildcard in the middle, ...): it was left out, and the operation is sent to
    /// `/api/{Name}`.
    UnsupportedRoute,
}

impl WarningKind {
    /// A short stable name, as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::UndefinedType => "undefined-type",
            WarningKind::DuplicateType => "duplicate-type",
            WarningKind::SkippedType => "skipped-type",
            WarningKind::UnsupportedRoute => "unsupported-route",
        }
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One warning, naming where in the contract it arose.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Warning {
    /// Where: `operations[3].request.properties[2]`, `types[0].inherits`, ...
    pub path: String,
    /// What kind of problem.
    pub kind: WarningKind,
    /// What happened, for a person.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.path, self.message, self.kind)
    }
}

/// What a generation produced: the code and what to tell the user about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The Rust source.
    pub code: String,
    /// Warnings in contract order; empty for a contract the generator fully understands.
    pub warnings: Vec<Warning>,
    /// The .NET names that became `serde_json::Value` aliases, in order of first use.
    pub undefined_types: Vec<String>,
}
