//! Generate Rust DTOs from ServiceStack service contracts.
//!
//! A contract is ServiceStack's MetadataTypes JSON, as a server serves it at `/types/metadata`
//! (or the `api` property of `/metadata/app.json`). Generation is a pipeline of three stages,
//! each in its own module: [`parse`] (serde model of the JSON), [`resolve`] (a type space of
//! plain data: names, generics, inheritance, optionality, routes) and `emit` (quote and
//! prettyplease). The output is deterministic: the same contract and options give the same
//! bytes.
//!
//! ```no_run
//! let generated = ssdto_gen::Builder::new()
//!     .contract("contracts/evovoice/sessions.json")
//!     .include("GetSession.*")
//!     .render()?;
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
pub mod model;
pub mod naming;
mod options;
pub mod parse;
pub mod resolve;
mod servicestack;
mod source;
pub mod typetext;
mod warning;

use std::path::{Path, PathBuf};

/// The `impl Request` builder that `#[derive(Request)]` shares with the generator.
#[doc(hidden)]
pub use emit::request as request_impl;
pub use error::Error;
pub use header::Header;
pub use options::{DateType, GuidType, MapType, Options, TypePattern};
pub use source::{Source, EMBEDDED_NAME, EVOVOICE_SESSIONS, MAX_CONTRACT_BYTES};
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
    options.validate()?;
    let contract = parse::parse_contract(contract_json)?;
    let space = resolve::resolve(&contract, options)?;
    if options.strict && !space.warnings.is_empty() {
        return Err(Error::Strict {
            warnings: space.warnings,
        });
    }
    let code = emit::render(&space, options, contract_json)?;
    Ok(Generated {
        code,
        warnings: space.warnings,
        undefined_types: space.undefined_types,
    })
}

/// Configures and runs a generation: the API behind the CLI, build scripts and macros.
#[derive(Debug, Clone)]
pub struct Builder {
    source: Source,
    options: Options,
    output: build::Output,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// A builder for the embedded Evo Voice contract with default options.
    pub fn new() -> Self {
        Builder {
            source: Source::Embedded,
            options: Options::default(),
            output: build::Output::default(),
        }
    }

    /// Reads the contract from a file.
    pub fn contract(mut self, path: impl Into<PathBuf>) -> Self {
        self.source = Source::Path(path.into());
        self
    }

    /// Reads the contract from any source.
    pub fn source(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    /// Replaces all options.
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Adds an `IncludeTypes` pattern (`Name`, `Name.*`, `Ns/*`, `{tag}`).
    pub fn include(mut self, pattern: impl Into<String>) -> Self {
        self.options.include_types.push(pattern.into());
        self
    }

    /// Adds an `ExcludeTypes` pattern.
    pub fn exclude(mut self, pattern: impl Into<String>) -> Self {
        self.options.exclude_types.push(pattern.into());
        self
    }

    /// Wraps the output in `pub mod name { .. }`.
    pub fn global_namespace(mut self, name: impl Into<String>) -> Self {
        self.options.global_namespace = Some(name.into());
        self
    }

    /// Whether descriptions become rustdoc (default: true).
    pub fn descriptions(mut self, on: bool) -> Self {
        self.options.add_description_as_comments = on;
        self
    }

    /// What .NET dictionaries become (default: `HashMap`).
    pub fn map_type(mut self, map_type: MapType) -> Self {
        self.options.map_type = map_type;
        self
    }

    /// What .NET `DateTime`, `DateTimeOffset` and `TimeSpan` become (default: `String`).
    pub fn date_type(mut self, date_type: DateType) -> Self {
        self.options.date_type = date_type;
        self
    }

    /// What .NET `Guid` becomes (default: `String`).
    pub fn guid_type(mut self, guid_type: GuidType) -> Self {
        self.options.guid_type = guid_type;
        self
    }

    /// Adds a derive to every generated type.
    pub fn derive(mut self, path: impl Into<String>) -> Self {
        self.options.add_derives.push(path.into());
        self
    }

    /// Whether to also emit a `Service` trait and an axum `router` for it (default: false).
    pub fn server(mut self, on: bool) -> Self {
        self.options.server = on;
        self
    }

    /// Whether to also implement `ssdto::xml::XmlValue` for every type, so it reads and writes
    /// ServiceStack's XML (default: false; the output then needs ssdto's `xml` feature).
    pub fn xml(mut self, on: bool) -> Self {
        self.options.xml = on;
        self
    }

    /// Whether a warning (a type the contract names without defining, ...) is an error
    /// (default: false, when it is reported and generation goes on).
    pub fn strict(mut self, on: bool) -> Self {
        self.options.strict = on;
        self
    }

    /// The source.
    pub fn get_source(&self) -> &Source {
        &self.source
    }

    /// The options.
    pub fn get_options(&self) -> &Options {
        &self.options
    }

    /// Generates the complete file text, header then code (in [`Generated::code`]), with the
    /// warnings.
    pub fn render(&self) -> Result<Generated, Error> {
        self.render_from(&self.source.load()?)
    }

    /// Generates the complete file text from contract JSON already read from the source.
    pub fn render_from(&self, contract_json: &str) -> Result<Generated, Error> {
        let generated = generate(contract_json, &self.options)?;
        let mut out = header::render(&self.source, &self.options, &generated.undefined_types);
        out.push('\n');
        out.push_str(&generated.code);
        Ok(Generated {
            code: out,
            ..generated
        })
    }

    /// Generates into `path`, recording the source relative to the file so `ssdto update`
    /// works from any directory, and returns the warnings. The file is replaced atomically:
    /// on any error the old contents stay as they were.
    pub fn write(&self, path: &Path) -> Result<Vec<Warning>, Error> {
        let dir = parent_dir(path);
        let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        let rebased = Builder {
            source: self.source.rebased(&cwd, dir),
            options: self.options.clone(),
            output: build::Output::default(),
        };
        let generated = rebased.render_from(&self.source.load()?)?;
        write_atomic(path, &generated.code)?;
        Ok(generated.warnings)
    }

    /// A builder that regenerates `file` from its own header, with a relative source resolved
    /// against the file's directory.
    pub fn from_generated_file(file: &Path) -> Result<Builder, Error> {
        let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
        let header = read_header(file, &text)?;
        Ok(Builder {
            source: source_for(file, &header.source)?,
            options: header.options,
            output: build::Output::default(),
        })
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
            &diff::Side::Contract(self.source.clone()),
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
    let fresh = Builder {
        source: header.source,
        options: header.options,
        output: build::Output::default(),
    }
    .render_from(&contract)?;
    Ok((current, fresh))
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
