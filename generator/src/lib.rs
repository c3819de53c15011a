//! Generate Rust DTOs from ServiceStack service contracts.
//!
//! A contract is ServiceStack's MetadataTypes JSON, as a server serves it at `/types/metadata`
//! (or the `api` property of `/metadata/app.json`). Generation is a pipeline of three stages:
//! parse (serde model of the JSON), resolve (a type space of plain data: names, generics,
//! inheritance, optionality, routes) and emit (Rust text, laid out as rustfmt-like code). The output is
//! deterministic: the same contract and options give the same bytes.
//!
//! Entry points: [`Builder`] for a contract source (its `generate` returns the file text, its
//! `write` and `write_out_dir` write it), [`generate`] for contract JSON in memory, and
//! [`generate_tokens`] for proc macros. Every generation option is a row of [`OPTIONS`]: a
//! field of [`Options`], a header line, an `ssdto` flag, an `include_contract!` key and a
//! [`Builder`] method.
//!
//! ```no_run
//! let generated = ssdto_gen::Builder::new()
//!     .contract("contracts/evovoice/sessions.json")
//!     .include("GetSession.*")
//!     .generate()?;
//! assert!(generated.code.contains("pub struct GetSession"));
//! // Names the contract uses without defining them, each with its contract path.
//! for warning in &generated.warnings {
//!     eprintln!("warning: {warning}");
//! }
//! # Ok::<(), ssdto_gen::Error>(())
//! ```
//!
//! The .NET types a contract may name without defining them are in [`dotnet::TABLE`].
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod build;
pub mod diff;
pub mod dotnet;
mod emit;
mod error;
mod header;
mod model;
mod naming;
mod options;
mod parse;
mod resolve;
mod servicestack;
mod source;
#[doc(hidden)]
pub mod stages;
mod typetext;
mod warning;

use std::path::{Path, PathBuf};

/// The `impl Request` builder that `#[derive(Request)]` shares with the generator.
#[doc(hidden)]
pub use emit::request as request_impl;
pub use error::Error;
pub use header::Header;
pub use options::{
    DateType, GuidType, Kind, MapType, OptionSpec, Options, TypePattern, Value, OPTIONS,
};
pub use source::{Source, EMBEDDED_NAME, EVOVOICE_SESSIONS, MAX_CONTRACT_BYTES};
pub use typetext::{TypeTextError, MAX_DEPTH as MAX_TYPE_DEPTH};
pub use warning::{Generated, Warning, WarningKind};

/// Generates Rust source (without header) from contract JSON, with the warnings about what
/// the contract names but does not define. With [`Options::strict`], any warning is an
/// [`Error::Strict`] instead.
///
/// ```
/// let json = r#"{"types":[{"name":"Shape","properties":[{"name":"Origin","type":"Point"}]}]}"#;
/// let out = ssdto_gen::generate(json, &ssdto_gen::Options::default())?;
/// assert!(out.code.contains("pub type Point = ::serde_json::Value;"));
/// assert_eq!(out.warnings[0].path, "types[0].properties[0]");
/// assert_eq!(out.undefined_types, ["Point"]);
/// # Ok::<(), ssdto_gen::Error>(())
/// ```
pub fn generate(contract_json: &str, options: &Options) -> Result<Generated, Error> {
    let mut space = resolve_checked(contract_json, options)?;
    let code = emit::render(&space, options, contract_json)?;
    let generated = Generated {
        code,
        warnings: std::mem::take(&mut space.warnings),
        undefined_types: std::mem::take(&mut space.undefined_types),
    };
    drop_aside(space);
    Ok(generated)
}

/// Above this many items, a type space is freed on a thread of its own.
const DROP_ASIDE_ITEMS: usize = 2048;

/// Frees a large type space without the caller waiting: it is millions of small allocations,
/// and freeing them took about a tenth of generating a 10k-type contract (BENCHMARKS.md,
/// "Generation speed"). Small ones, and any when no thread can start, are freed here.
fn drop_aside(space: model::TypeSpace) {
    if space.items.len() < DROP_ASIDE_ITEMS {
        return;
    }
    // On failure the closure, and the space with it, is dropped right here.
    let _ = std::thread::Builder::new()
        .name("ssdto-free".into())
        .spawn(move || drop(space));
}

/// Parses and resolves, with the options checked first and `Strict` applied last.
fn resolve_checked(contract_json: &str, options: &Options) -> Result<model::TypeSpace, Error> {
    options.validate()?;
    let contract = parse::parse_contract(contract_json)?;
    let space = resolve::resolve(&contract, options)?;
    if options.strict && !space.warnings.is_empty() {
        return Err(Error::Strict {
            warnings: space.warnings,
        });
    }
    Ok(space)
}

/// Generates the code for contract JSON as tokens, for a proc macro to expand to: the items
/// [`generate`] writes (without the header), read back as tokens. With [`Options::strict`], any
/// warning is an [`Error::Strict`]; otherwise the warnings are dropped (a macro cannot show
/// them on stable Rust), which [`generate`] returns instead.
pub fn generate_tokens(
    contract_json: &str,
    options: &Options,
) -> Result<proc_macro2::TokenStream, Error> {
    let space = resolve_checked(contract_json, options)?;
    emit::tokens(&space, options, contract_json)
}

/// Configures and runs a generation from a contract source: the API behind the CLI and build
/// scripts. [`generate`](Builder::generate) returns the file text (header, then code),
/// [`write`](Builder::write) and [`write_out_dir`](Builder::write_out_dir) write it. Each
/// generation option has a method here, named as its `include_contract!` key (see
/// [`OPTIONS`]).
#[derive(Debug, Clone, Default)]
pub struct Builder {
    source: Option<Source>,
    options: Options,
    output: build::Output,
}

impl Builder {
    /// A builder with no contract yet and default options.
    pub fn new() -> Self {
        Builder::default()
    }

    /// Reads the contract from a file.
    pub fn contract(self, path: impl Into<PathBuf>) -> Self {
        self.with_source(Source::Path(path.into()))
    }

    /// Reads the contract from any source: a file, standard input, a server, or the embedded
    /// Evo Voice contract ([`Source::Embedded`]).
    pub fn with_source(mut self, source: Source) -> Self {
        self.source = Some(source);
        self
    }

    /// Replaces all options.
    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// The source, once one is set.
    pub fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    pub(crate) fn source_or_err(&self) -> Result<&Source, Error> {
        self.source.as_ref().ok_or_else(|| {
            Error::Option("no contract: give one with .contract(path) or .with_source(..)".into())
        })
    }

    /// Generates the complete file text, header then code (in [`Generated::code`]), with the
    /// warnings. Writes nothing.
    pub fn generate(&self) -> Result<Generated, Error> {
        let source = self.source_or_err()?;
        generate_file(source, &self.options, &source.load()?)
    }

    /// Generates into `path`, recording the source relative to the file so `ssdto update`
    /// works from any directory, and returns the warnings. The file is replaced atomically:
    /// on any error the old contents stay as they were.
    pub fn write(&self, path: &Path) -> Result<Vec<Warning>, Error> {
        let source = self.source_or_err()?;
        let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        let rebased = source.rebased(&cwd, parent_dir(path));
        let generated = generate_file(&rebased, &self.options, &source.load()?)?;
        write_atomic(path, &generated.code)?;
        Ok(generated.warnings)
    }

    /// A builder that regenerates `file` from its own header, with a relative source resolved
    /// against the file's directory.
    pub fn from_generated_file(file: &Path) -> Result<Builder, Error> {
        let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
        let header = read_header(file, &text)?;
        Ok(Builder::new()
            .with_source(source_for(file, &header.source)?)
            .with_options(header.options))
    }

    /// Regenerates `file` from its header, as `ssdto update` does: whether it changed, and
    /// the warnings.
    pub fn update_file(file: &Path) -> Result<Updated, Error> {
        let (current, fresh) = regenerate(file)?;
        let changed = current != fresh.code;
        if changed {
            write_atomic(file, &fresh.code)?;
        }
        Ok(Updated {
            changed,
            warnings: fresh.warnings,
        })
    }

    /// Compares `old` with this builder's contract (NEW), both resolved with its options, and
    /// says what the change breaks: see [`diff`].
    pub fn diff_from(&self, old: Source) -> Result<diff::Diff, Error> {
        diff::diff(
            &diff::Side::Contract(old),
            &diff::Side::Contract(self.source_or_err()?.clone()),
            Some(&self.options),
        )
    }

    /// Whether `file` is exactly what its header regenerates, as `ssdto check` asks.
    pub fn check_file(file: &Path) -> Result<bool, Error> {
        let (current, fresh) = regenerate(file)?;
        Ok(current == fresh.code)
    }
}

/// What [`Builder::update_file`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Updated {
    /// Whether the file's text changed.
    pub changed: bool,
    /// The warnings of the regeneration.
    pub warnings: Vec<Warning>,
}

fn read_header(file: &Path, text: &str) -> Result<Header, Error> {
    header::parse(text).map_err(|message| Error::Header {
        path: file.to_path_buf(),
        message,
    })
}

/// Where to load a header's source from: relative paths are relative to the file.
fn source_for(file: &Path, source: &Source) -> Result<Source, Error> {
    match source {
        Source::Path(p) if p.is_relative() => Ok(Source::Path(parent_dir(file).join(p))),
        Source::Stdin => Err(Error::Header {
            path: file.to_path_buf(),
            message: "generated from standard input; regenerate it with `ssdto generate`".into(),
        }),
        other => Ok(other.clone()),
    }
}

/// The current text of a generated file and the text its header regenerates; the header
/// keeps recording the source as the file wrote it.
fn regenerate(file: &Path) -> Result<(String, Generated), Error> {
    let current = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
    let header = read_header(file, &current)?;
    let contract = source_for(file, &header.source)?.load()?;
    let fresh = generate_file(&header.source, &header.options, &contract)?;
    Ok((current, fresh))
}

/// The file text for `contract_json`: the header recording `source` and `options`, then the
/// code.
fn generate_file(
    source: &Source,
    options: &Options,
    contract_json: &str,
) -> Result<Generated, Error> {
    let generated = generate(contract_json, options)?;
    let mut out = header::render(source, options, &generated.undefined_types);
    out.push('\n');
    out.push_str(&generated.code);
    Ok(Generated {
        code: out,
        ..generated
    })
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes through a temporary file in the same directory and renames it over the target, so
/// readers never see a half-written file.
pub(crate) fn write_atomic(path: &Path, text: &str) -> Result<(), Error> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out.rs".into());
    let tmp = dir.join(format!(".{name}.ssdto-{}.tmp", std::process::id()));
    std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}
