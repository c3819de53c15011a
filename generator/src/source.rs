//! Where a contract comes from: a file, standard input, a live server, or the embedded Evo
//! Voice contract.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The Evo Voice Sessions contract, embedded so the tool works on a fresh machine.
pub const EVOVOICE_SESSIONS: &str = include_str!("../contracts/evovoice_sessions.json");

/// The name the embedded contract goes by in headers and on the command line.
pub const EMBEDDED_NAME: &str = "embedded:evovoice/sessions";

/// A contract source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A MetadataTypes (or `/metadata/app.json`) file.
    Path(PathBuf),
    /// A ServiceStack server: `https://host` fetches `https://host/types/metadata`.
    Url(String),
    /// Standard input.
    Stdin,
    /// The embedded Evo Voice Sessions contract.
    Embedded,
}

impl Source {
    /// Reads a command-line argument: `-` for stdin, `http(s)://` for a server, the embedded
    /// name, else a path.
    pub fn from_arg(arg: &str) -> Source {
        if arg == "-" {
            Source::Stdin
        } else if arg == EMBEDDED_NAME {
            Source::Embedded
        } else if arg.starts_with("https://") || arg.starts_with("http://") {
            Source::Url(arg.to_owned())
        } else {
            Source::Path(PathBuf::from(arg))
        }
    }

    /// The header key and value that record this source.
    pub(crate) fn header_entry(&self) -> (&'static str, String) {
        match self {
            Source::Path(p) => ("Source", p.to_string_lossy().replace('\\', "/")),
            Source::Url(u) => ("BaseUrl", u.clone()),
            Source::Stdin => ("Source", "-".into()),
            Source::Embedded => ("Source", EMBEDDED_NAME.into()),
        }
    }

    pub(crate) fn from_header(key: &str, value: &str) -> Result<Source, String> {
        if value.is_empty() {
            return Err(format!("`{key}:` is empty"));
        }
        Ok(match key {
            "BaseUrl" => Source::Url(value.to_owned()),
            _ => Source::from_arg(value),
        })
    }

    /// The URL a server source is fetched from: `/types/metadata` unless the URL already
    /// names a document.
    pub fn metadata_url(base: &str) -> String {
        let trimmed = base.trim_end_matches('/');
        if trimmed.ends_with("/types/metadata") || trimmed.ends_with(".json") {
            trimmed.to_owned()
        } else {
            format!("{trimmed}/types/metadata")
        }
    }

    /// Reads the contract text, at most [`MAX_CONTRACT_BYTES`].
    pub fn load(&self) -> Result<String, Error> {
        match self {
            Source::Path(path) => {
                let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
                read_limited(file, &path.display().to_string(), MAX_CONTRACT_BYTES).map_err(|e| {
                    match e {
                        LimitedRead::Io(e) => Error::io(path, e),
                        LimitedRead::TooLarge(e) => e,
                    }
                })
            }
            Source::Stdin => read_limited(std::io::stdin().lock(), "<stdin>", MAX_CONTRACT_BYTES)
                .map_err(|e| match e {
                    LimitedRead::Io(e) => Error::io("<stdin>", e),
                    LimitedRead::TooLarge(e) => e,
                }),
            Source::Embedded => Ok(EVOVOICE_SESSIONS.to_owned()),
            Source::Url(base) => fetch(&Source::metadata_url(base)),
        }
    }

    /// The same source, with a relative path re-based from `from_dir` to `to_dir`, so a
    /// header written into a file in `to_dir` still points at the contract.
    pub fn rebased(&self, from_dir: &Path, to_dir: &Path) -> Source {
        match self {
            Source::Path(p) => Source::Path(relative_path(&from_dir.join(p), to_dir)),
            other => other.clone(),
        }
    }
}

/// The largest contract read from a file, stdin or a server: 16 times the largest real one
/// seen (a 50k-type synthetic contract is 31 MB), and small enough that generating from it
/// stays within a few GiB of memory (about 15 times the contract's size, see BENCHMARKS.md).
pub const MAX_CONTRACT_BYTES: u64 = 256 * 1024 * 1024;

enum LimitedRead {
    Io(std::io::Error),
    TooLarge(Error),
}

/// Reads all of `reader` as UTF-8, failing once it passes [`MAX_CONTRACT_BYTES`] rather than
/// after buffering whatever a pipe or a mistaken path (`/dev/zero`) sends.
fn read_limited(reader: impl std::io::Read, what: &str, limit: u64) -> Result<String, LimitedRead> {
    // Bytes first: a cut inside a UTF-8 sequence at the limit must read as "too large", not as
    // invalid UTF-8.
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(LimitedRead::Io)?;
    if bytes.len() as u64 > limit {
        return Err(LimitedRead::TooLarge(Error::TooLarge {
            what: what.to_owned(),
            limit,
        }));
    }
    String::from_utf8(bytes)
        .map_err(|e| LimitedRead::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

#[cfg(feature = "fetch")]
fn fetch(url: &str) -> Result<String, Error> {
    let fail = |message: String| Error::Fetch {
        url: url.to_owned(),
        message,
    };
    let mut response = ureq::get(url)
        .header("Accept", "application/json")
        .call()
        .map_err(|e| fail(e.to_string()))?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_CONTRACT_BYTES)
        .read_to_string()
        .map_err(|e| fail(e.to_string()))
}

#[cfg(not(feature = "fetch"))]
fn fetch(url: &str) -> Result<String, Error> {
    Err(Error::Fetch {
        url: url.to_owned(),
        message: "ssdto-gen was built without the `fetch` feature".into(),
    })
}

/// `target` expressed relative to `base_dir`, when both can be made absolute; else `target`.
fn relative_path(target: &Path, base_dir: &Path) -> PathBuf {
    let absolute = |p: &Path| std::path::absolute(p).ok().map(|p| normalize(&p));
    let (Some(target_abs), Some(base_abs)) = (absolute(target), absolute(base_dir)) else {
        return target.to_path_buf();
    };
    let t: Vec<_> = target_abs.components().collect();
    let b: Vec<_> = base_abs.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return target_abs;
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// Removes `.` and resolves `..` lexically (the paths may not exist yet).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_limit() {
        let read = |bytes: &[u8], limit| read_limited(bytes, "t", limit);
        assert_eq!(read(b"{}", 2).ok().as_deref(), Some("{}"));
        assert!(matches!(
            read(b"{} ", 2),
            Err(LimitedRead::TooLarge(Error::TooLarge { limit: 2, .. }))
        ));
        // An endless source ends at limit + 1 bytes.
        let endless = read_limited(std::io::repeat(b' '), "<stdin>", 1 << 16);
        assert!(matches!(endless, Err(LimitedRead::TooLarge(_))));
        // A multi-byte character cut by the limit is "too large", not "invalid UTF-8".
        assert!(matches!(
            read("ééé".as_bytes(), 3),
            Err(LimitedRead::TooLarge(_))
        ));
        assert!(matches!(read(b"\xff", 8), Err(LimitedRead::Io(_))));
    }

    #[test]
    fn arguments_pick_the_source_kind() {
        assert_eq!(Source::from_arg("-"), Source::Stdin);
        assert_eq!(
            Source::from_arg("https://x.io"),
            Source::Url("https://x.io".into())
        );
        assert_eq!(Source::from_arg(EMBEDDED_NAME), Source::Embedded);
        assert_eq!(
            Source::from_arg("a/b.json"),
            Source::Path("a/b.json".into())
        );
    }

    #[test]
    fn metadata_url_is_appended_once() {
        assert_eq!(
            Source::metadata_url("https://x.io/"),
            "https://x.io/types/metadata"
        );
        assert_eq!(
            Source::metadata_url("https://x.io/types/metadata"),
            "https://x.io/types/metadata"
        );
        assert_eq!(
            Source::metadata_url("https://x.io/metadata/app.json"),
            "https://x.io/metadata/app.json"
        );
    }

    #[test]
    fn paths_are_rebased_relative_to_the_output() {
        let s = Source::Path("contracts/evovoice/sessions.json".into());
        assert_eq!(
            s.rebased(Path::new("/w"), Path::new("/w/generated/src")),
            Source::Path("../../contracts/evovoice/sessions.json".into())
        );
        assert_eq!(
            s.rebased(Path::new("/w"), Path::new("/w")),
            Source::Path("contracts/evovoice/sessions.json".into())
        );
    }

    #[test]
    fn missing_file_is_an_io_error_naming_it() {
        let err = Source::Path("/nonexistent/c.json".into())
            .load()
            .unwrap_err();
        assert!(err.to_string().starts_with("/nonexistent/c.json:"), "{err}");
    }
}
