//! Generation from build scripts: into `OUT_DIR`, with cargo's change tracking.
//!
//! ```no_run
//! // build.rs, in `fn main`:
//! let result = ssdto_gen::Builder::new()
//!     .contract("contracts/evovoice/sessions.json")
//!     .include("GetSession.*")
//!     .write_out_dir();
//! if let Err(err) = result {
//!     eprintln!("error: {err}");
//!     std::process::exit(1);
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs: the file is named after the contract.
//! pub mod evovoice {
//!     include!(concat!(env!("OUT_DIR"), "/sessions.rs"));
//! }
//! ```

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;

use crate::{write_atomic, Builder, Error, Source};

/// Where [`Builder::write_out_dir`] writes: unset parts fall back to `OUT_DIR` and a name taken
/// from the contract.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Output {
    dir: Option<PathBuf>,
    file_name: Option<PathBuf>,
}

impl Builder {
    /// The directory [`Builder::write_out_dir`] writes into (default: `OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.output.dir = Some(dir.into());
        self
    }

    /// The file [`Builder::write_out_dir`] writes, relative to the output directory (default: the
    /// contract's file name with `.rs`, e.g. `sessions.rs` for `sessions.json`).
    pub fn file_name(mut self, name: impl Into<PathBuf>) -> Self {
        self.output.file_name = Some(name.into());
        self
    }

    /// Generates for a build script: writes the file into `OUT_DIR` (or
    /// [`out_dir`](Builder::out_dir)) and returns its path, for `include!`.
    ///
    /// Prints `cargo:rerun-if-changed=<contract>` for a contract file, so cargo reruns the
    /// build script only when the contract changes (a URL source is fetched on every run of
    /// the build script instead), and each warning as a `cargo:warning=` line, which cargo
    /// shows (with [`strict`](Builder::strict), a warning is an error instead). The file is
    /// written only when its content changes, so a rerun that produces the same code does
    /// not rebuild the crate that includes it.
    pub fn write_out_dir(&self) -> Result<PathBuf, Error> {
        let mut stdout = io::stdout().lock();
        self.write_out_dir_with(std::env::var_os("OUT_DIR"), &mut stdout)
    }

    /// [`Builder::write_out_dir`] with the environment and cargo's channel passed in, for tests.
    fn write_out_dir_with(
        &self,
        out_dir_env: Option<OsString>,
        directives: &mut dyn Write,
    ) -> Result<PathBuf, Error> {
        // Printed first: a contract that fails to generate must still be watched, so fixing
        // it reruns the build script.
        let source = self.source_or_err()?;
        if let Source::Path(contract) = source {
            writeln!(directives, "cargo:rerun-if-changed={}", contract.display())
                .map_err(|e| Error::io("<stdout>", e))?;
        }
        let dir = match (&self.output.dir, out_dir_env) {
            (Some(dir), _) => dir.clone(),
            (None, Some(env)) => PathBuf::from(env),
            (None, None) => {
                return Err(Error::io(
                    "$OUT_DIR",
                    io::Error::new(
                        io::ErrorKind::NotFound,
                        "not set: generate() runs in a build script, or give .out_dir(..)",
                    ),
                ))
            }
        };
        let target = dir.join(match &self.output.file_name {
            Some(name) => name.clone(),
            None => PathBuf::from(default_file_name(source)),
        });
        let generated = self.generate()?;
        for warning in &generated.warnings {
            // One line each: cargo ends a directive at the newline.
            let text = warning.to_string().replace(['\r', '\n'], " ");
            writeln!(directives, "cargo:warning=ssdto: {text}")
                .map_err(|e| Error::io("<stdout>", e))?;
        }
        if std::fs::read_to_string(&target).is_ok_and(|current| current == generated.code) {
            return Ok(target);
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        write_atomic(&target, &generated.code)?;
        Ok(target)
    }
}

/// `sessions.json` -> `sessions.rs`; a server -> its host; as a Rust-friendly file name.
fn default_file_name(source: &Source) -> String {
    let stem = match source {
        Source::Path(path) => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        Source::Url(url) => {
            let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
            rest.split(['/', ':', '?'])
                .next()
                .unwrap_or_default()
                .to_owned()
        }
        Source::Stdin => String::new(),
        Source::Embedded => "evovoice_sessions".to_owned(),
    };
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() {
        "contract.rs".to_owned()
    } else {
        format!("{stem}.rs")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, SystemTime};

    /// A fresh directory under the system temp dir, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> TempDir {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "ssdto-build-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn contract_in(dir: &Path) -> PathBuf {
        let path = dir.join("sessions.json");
        std::fs::write(&path, crate::EVOVOICE_SESSIONS).unwrap();
        path
    }

    fn run(builder: &Builder, out_dir: &Path) -> (Result<PathBuf, Error>, String) {
        let mut directives = Vec::new();
        let result = builder.write_out_dir_with(Some(out_dir.into()), &mut directives);
        (result, String::from_utf8(directives).unwrap())
    }

    fn mtime(path: &Path) -> SystemTime {
        std::fs::metadata(path).unwrap().modified().unwrap()
    }

    #[test]
    fn writes_into_out_dir_named_after_the_contract_and_watches_it() {
        let tmp = TempDir::new();
        let contract = contract_in(&tmp.0);
        let out = tmp.0.join("out");
        std::fs::create_dir(&out).unwrap();
        let builder = Builder::new().contract(&contract).include("GetSession.*");
        let (result, directives) = run(&builder, &out);
        let written = result.unwrap();
        assert_eq!(written, out.join("sessions.rs"));
        assert_eq!(
            directives,
            format!("cargo:rerun-if-changed={}\n", contract.display())
        );
        let text = std::fs::read_to_string(&written).unwrap();
        assert_eq!(text, builder.generate().unwrap().code);
        assert!(text.contains("pub struct GetSession"));
        assert!(!text.contains("pub struct NewSession"));
        // What build scripts `include!` must parse as items.
        syn::parse_file(&text).unwrap();
    }

    #[test]
    fn an_unchanged_contract_leaves_the_file_alone() {
        let tmp = TempDir::new();
        let contract = contract_in(&tmp.0);
        let builder = Builder::new().contract(&contract);
        let written = run(&builder, &tmp.0).0.unwrap();
        // Backdate the file, so a rewrite would show as a newer time whatever the file
        // system's time resolution.
        let old = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&written)
            .unwrap()
            .set_modified(old)
            .unwrap();
        assert_eq!(run(&builder, &tmp.0).0.unwrap(), written);
        assert_eq!(
            mtime(&written),
            old,
            "regenerating the same code rewrote the file"
        );

        // A changed contract (here: a type renamed in it) is written.
        let json = crate::EVOVOICE_SESSIONS.replace("\"SessionLogInfo\"", "\"SessionLogEntry\"");
        assert_ne!(
            json,
            crate::EVOVOICE_SESSIONS,
            "the edit must change the contract"
        );
        std::fs::write(&contract, json).unwrap();
        run(&builder, &tmp.0).0.unwrap();
        assert!(mtime(&written) > old);
        let text = std::fs::read_to_string(&written).unwrap();
        assert!(
            text.contains("SessionLogEntry"),
            "stale output after a contract change"
        );
    }

    #[test]
    fn explicit_dir_and_file_name() {
        let tmp = TempDir::new();
        let contract = contract_in(&tmp.0);
        let dir = tmp.0.join("nested/gen");
        let builder = Builder::new()
            .contract(&contract)
            .out_dir(&dir)
            .file_name("evo/api.rs");
        let mut directives = Vec::new();
        let written = builder.write_out_dir_with(None, &mut directives).unwrap();
        assert_eq!(written, dir.join("evo/api.rs"));
        assert!(written.is_file());
    }

    #[test]
    fn errors_are_returned_not_panicked() {
        let tmp = TempDir::new();
        let mut directives = Vec::new();
        let missing_env = Builder::new()
            .contract(contract_in(&tmp.0))
            .write_out_dir_with(None, &mut directives);
        assert!(
            missing_env.unwrap_err().to_string().contains("$OUT_DIR"),
            "no OUT_DIR and no out_dir() must be an error"
        );

        let missing = tmp.0.join("missing.json");
        let (result, directives) = run(&Builder::new().contract(&missing), &tmp.0);
        assert!(matches!(result, Err(Error::Io { .. })), "{result:?}");
        // Still watched, so creating the file reruns the build script.
        assert!(directives.contains("missing.json"), "{directives}");
        assert!(!tmp.0.join("missing.rs").exists());

        let broken = tmp.0.join("broken.json");
        std::fs::write(&broken, "{\"types\": [").unwrap();
        let (result, _) = run(&Builder::new().contract(&broken), &tmp.0);
        assert!(matches!(result, Err(Error::Json { .. })), "{result:?}");
        assert!(!tmp.0.join("broken.rs").exists());
    }

    #[test]
    fn a_builder_without_a_contract_is_an_error() {
        let tmp = TempDir::new();
        let (result, directives) = run(&Builder::new(), &tmp.0);
        let err = result.unwrap_err().to_string();
        assert!(err.contains("no contract"), "{err}");
        assert_eq!(directives, "");
        assert!(Builder::new().generate().is_err());
    }

    #[test]
    fn default_names_follow_the_source() {
        for (source, name) in [
            (
                Source::Path("contracts/evovoice/sessions.json".into()),
                "sessions.rs",
            ),
            (Source::Path("My Api.v2.json".into()), "my_api_v2.rs"),
            (
                Source::Url("https://dev.evovoice.io:443/types".into()),
                "dev_evovoice_io.rs",
            ),
            (Source::Embedded, "evovoice_sessions.rs"),
            (Source::Stdin, "contract.rs"),
            (Source::Path("".into()), "contract.rs"),
        ] {
            assert_eq!(default_file_name(&source), name, "{source:?}");
        }
    }

    #[test]
    fn warnings_become_cargo_warnings_and_strict_fails() {
        let tmp = TempDir::new();
        let contract = tmp.0.join("shapes.json");
        std::fs::write(
            &contract,
            r#"{"types":[{"name":"Shape","properties":[{"name":"Origin","type":"Point"}]}]}"#,
        )
        .unwrap();
        let (result, directives) = run(&Builder::new().contract(&contract), &tmp.0);
        let written = result.unwrap();
        assert!(
            directives.contains(
                "cargo:warning=ssdto: types[0].properties[0]: type `Point` is neither defined"
            ),
            "{directives}"
        );
        assert!(std::fs::read_to_string(written)
            .unwrap()
            .contains("pub type Point = ::serde_json::Value;"));
        let (result, _) = run(&Builder::new().contract(&contract).strict(true), &tmp.0);
        let err = result.unwrap_err();
        assert!(matches!(err, Error::Strict { .. }), "{err}");
        assert!(
            err.to_string()
                .starts_with("types[0].properties[0]: type `Point`"),
            "{err}"
        );
    }

    #[test]
    fn the_embedded_contract_needs_no_watching() {
        let tmp = TempDir::new();
        let (result, directives) = run(&Builder::new().with_source(Source::Embedded), &tmp.0);
        assert_eq!(result.unwrap(), tmp.0.join("evovoice_sessions.rs"));
        assert_eq!(directives, "");
    }
}
