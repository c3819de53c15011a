//! The two sides of a diff: contracts from files, standard input or servers, and files ssdto
//! generated, which stand for the contract their header names, resolved with the options it
//! records.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::{rules, surface, Diff};
use crate::error::Error;
use crate::options::Options;
use crate::source::{Source, EMBEDDED_NAME};
use crate::Builder;

/// One side of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    /// A contract (MetadataTypes or `/metadata/app.json`) from any source.
    Contract(Source),
    /// A file ssdto generated: the contract its header names (relative to the file), resolved
    /// with the options the header records.
    Generated(PathBuf),
}

impl Side {
    /// Reads a command-line argument: `-` for standard input, `http(s)://` for a server, a
    /// `.rs` file or any file that starts with ssdto's `/* Options:` header for a generated
    /// file, else a contract file.
    pub fn from_arg(arg: &str) -> Side {
        let source = Source::from_arg(arg);
        let Source::Path(path) = &source else {
            return Side::Contract(source);
        };
        if path.extension().is_some_and(|e| e == "rs") || starts_with_header(path) {
            Side::Generated(path.clone())
        } else {
            Side::Contract(source)
        }
    }

    fn label(&self) -> String {
        match self {
            Side::Contract(Source::Path(p)) | Side::Generated(p) => p.display().to_string(),
            Side::Contract(Source::Url(u)) => u.clone(),
            Side::Contract(Source::Stdin) => "<stdin>".into(),
            Side::Contract(Source::Embedded) => EMBEDDED_NAME.into(),
        }
    }
}

/// Whether a file begins (after white space) with a generated file's header; unreadable
/// files are left for loading to report.
fn starts_with_header(path: &Path) -> bool {
    let mut head = [0u8; 64];
    let Ok(n) = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)) else {
        return false;
    };
    String::from_utf8_lossy(&head[..n])
        .trim_start()
        .starts_with("/* Options:")
}

/// A side, loaded: its contract text, the options a generated file records, and its label.
struct Loaded {
    label: String,
    json: String,
    options: Option<Options>,
}

fn load(side: &Side) -> Result<Loaded, Error> {
    let label = side.label();
    match side {
        Side::Contract(source) => Ok(Loaded {
            json: source.load()?,
            label,
            options: None,
        }),
        Side::Generated(file) => {
            let builder = Builder::from_generated_file(file)?;
            let source = builder.source_or_err()?;
            let json = source.load().map_err(|e| Error::Header {
                path: file.clone(),
                message: format!("cannot read the contract its header names: {e}"),
            })?;
            Ok(Loaded {
                label: format!("{label} (from {})", Side::Contract(source.clone()).label()),
                json,
                options: Some(builder.options().clone()),
            })
        }
    }
}

/// Compares OLD with NEW.
///
/// Both are resolved with the same options, so the comparison sees contract changes only: a
/// generated file's header options, else `options` (default: the generator's defaults).
/// Errors: either side cannot be read or resolved; both are standard input; two generated
/// files record different options, or `options` contradicts a generated file's; the two
/// contracts have no operation or type in common (not two versions of one API).
pub fn diff(old: &Side, new: &Side, options: Option<&Options>) -> Result<Diff, Error> {
    if old == new && *old == Side::Contract(Source::Stdin) {
        return Err(Error::Option(
            "OLD and NEW cannot both be standard input".into(),
        ));
    }
    let old = load(old)?;
    let new = load(new)?;
    let options = match (&old.options, &new.options, options) {
        (Some(a), Some(b), _) if a != b => {
            return Err(mismatch(format!(
                "{} and {} were generated with different options; a diff compares contracts resolved alike",
                old.label, new.label
            )))
        }
        (Some(recorded), _, Some(given)) | (_, Some(recorded), Some(given))
            if recorded != given =>
        {
            return Err(Error::Option(
                "a generated file's header sets the options; leave the option flags out".into(),
            ))
        }
        (Some(recorded), _, _) | (_, Some(recorded), _) => recorded.clone(),
        (None, None, given) => given.cloned().unwrap_or_default(),
    };
    let surface = |side: &Loaded| -> Result<surface::Surface, Error> {
        super::resolved_surface(&side.json, &options).map_err(|e| Error::Invalid {
            path: side.label.clone(),
            message: e.to_string(),
        })
    };
    let (a, b) = (surface(&old)?, surface(&new)?);
    let shares_nothing = !a.operations.keys().any(|k| b.operations.contains_key(k))
        && !a.types.keys().any(|k| b.types.contains_key(k));
    let empty = |s: &surface::Surface| s.types.is_empty() && s.operations.is_empty();
    if shares_nothing && !empty(&a) && !empty(&b) {
        return Err(mismatch(format!(
            "{} and {} have no operation or type in common: are they versions of the same API?",
            old.label, new.label
        )));
    }
    Ok(Diff {
        changes: rules::compare(&a, &b),
        old: old.label,
        new: new.label,
    })
}

fn mismatch(message: String) -> Error {
    Error::Invalid {
        path: "OLD and NEW".into(),
        message,
    }
}
