//! A scratch crate of generated code under the workspace's target directory, built by a cargo
//! of its own (`tests/generated_compiles.rs`, `tests/corpus.rs`). The crates share one target
//! directory, `target/generated-compiles/target`, so their dependencies are built once and a
//! rerun costs only what changed. (The workspace's own target directory cannot be used: the
//! `cargo test` running these tests holds its lock.)

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The directory the scratch crates and their target directory live in.
pub fn root() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        // A relative one is taken as relative to the workspace.
        Some(dir) => workspace().join(dir),
        None => workspace().join("target"),
    };
    target.join("generated-compiles")
}

/// Writes the manifest of crate `name` in `dir` (the runtime with every feature generated code
/// may need, serde, serde_json, chrono, uuid) and the workspace's lock file, and returns an
/// emptied `dir/src`.
pub fn prepare(dir: &Path, name: &str) -> PathBuf {
    let src = dir.join("src");
    if src.exists() {
        std::fs::remove_dir_all(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    }
    std::fs::create_dir_all(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    let runtime = workspace()
        .join("runtime")
        .canonicalize()
        .expect("runtime dir");
    let manifest = format!(
        r#"[package]
name = "{name}"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
ssdto = {{ path = {runtime:?}, features = ["server", "chrono", "uuid", "xml"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
chrono = {{ version = "0.4", default-features = false, features = ["std"] }}
uuid = {{ version = "1", default-features = false }}

# Not a member of the ssdto workspace.
[workspace]
"#
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write manifest");
    // The workspace's lock file, so the same (already downloaded) versions are used offline.
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy lock");
    src
}

/// Runs `cargo <args>` on the crate in `dir`, offline and quiet, and fails with `what` and the
/// diagnostics unless it succeeds without a warning.
pub fn cargo(dir: &Path, args: &[&str], what: &str) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(dir)
        .args(args)
        .args(["--offline", "--quiet", "--message-format", "short"])
        .arg("--target-dir")
        .arg(root().join("target"))
        // The outer build's flags are not this crate's business; warnings are denied in it.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        // No debug info: nothing here is debugged, and a cold build of the dependencies takes
        // about a sixth less CPU without it.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{what} (crate in {}):\n{stderr}\n{stdout}",
        dir.display()
    );
    // `--quiet` leaves only diagnostics; any left is a warning from a dependency at most.
    assert!(
        !stderr.contains("warning"),
        "cargo printed warnings:\n{stderr}"
    );
}
