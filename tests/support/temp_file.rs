//! Files for upload tests, in this test process's own temporary directory.

use std::path::{Path, PathBuf};

/// A temporary file, removed when dropped (the directory too, once its last file is gone), so
/// test runs leave nothing behind.
pub struct TempFile(PathBuf);

impl AsRef<Path> for TempFile {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Writes `contents` to a file named `name`.
pub fn temp_file(name: &str, contents: &[u8]) -> TempFile {
    let dir = std::env::temp_dir().join(format!("ssdto-test-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    TempFile(path)
}
