//! Errors, each naming where in the contract (or the file system) it arose.

use std::path::PathBuf;

/// Everything that can go wrong turning a contract into Rust.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The contract is not valid JSON, or has the wrong shape for MetadataTypes.
    #[error("invalid contract JSON at line {line} column {column}: {message}")]
    Json {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What serde_json reported.
        message: String,
    },
    /// A type inherits from itself, directly or through its bases.
    #[error("{path}: inheritance cycle {chain}")]
    InheritanceCycle {
        /// Where the cycle starts.
        path: String,
        /// The types on the cycle, `A -> B -> A`.
        chain: String,
    },
    /// Type text such as `List<Int32` that does not parse.
    #[error("{path}: {source}")]
    TypeText {
        /// Where the text is.
        path: String,
        /// What is wrong with it.
        source: crate::typetext::TypeTextError,
    },
    /// A contract value the generator cannot represent.
    #[error("{path}: {message}")]
    Invalid {
        /// Where the value is.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// Warnings, which the `Strict` option makes errors: the first names where, the count
    /// says how many more there are.
    #[error("{}", strict_message(warnings))]
    Strict {
        /// Every warning, in contract order.
        warnings: Vec<crate::Warning>,
    },
    /// A generation option that makes no sense.
    #[error("invalid option: {0}")]
    Option(String),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A contract is larger than [`crate::MAX_CONTRACT_BYTES`].
    #[error("{what}: the contract is larger than {limit} bytes")]
    TooLarge {
        /// The file, `<stdin>`, or the URL.
        what: String,
        /// The limit.
        limit: u64,
    },
    /// A contract could not be fetched from a server.
    #[error("cannot fetch {url}: {message}")]
    Fetch {
        /// The URL requested.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// A generated file has no ssdto header to regenerate it from.
    #[error("{}: {message}", path.display())]
    Header {
        /// The file.
        path: PathBuf,
        /// What is wrong with its header.
        message: String,
    },
    /// The emitted tokens did not form a Rust file; a generator bug, reported rather than
    /// written out.
    #[error("internal error: generated code does not parse: {0}")]
    Emit(String),
}

impl Error {
    /// Wraps a serde_json error with its position.
    pub(crate) fn json(err: serde_json::Error) -> Self {
        Error::Json {
            line: err.line(),
            column: err.column(),
            message: strip_position(&err.to_string()),
        }
    }

    /// Wraps an I/O error with the file it concerns.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

fn strict_message(warnings: &[crate::Warning]) -> String {
    let Some(first) = warnings.first() else {
        return "Strict: no warnings".to_owned();
    };
    let more = match warnings.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more warning)".to_owned(),
        n => format!(" (and {n} more warnings)"),
    };
    format!(
        "{}: {} (an error with Strict){more}",
        first.path, first.message
    )
}

/// serde_json appends " at line L column C" to its messages; the error already carries both.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
