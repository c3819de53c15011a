//! [`Spool`]: where an uploaded file's bytes go as they arrive, memory up to a threshold and a
//! temporary file above it, as ASP.NET Core buffers form files.

use std::io;
use std::path::{Path, PathBuf};

use tokio::fs::{File, OpenOptions};
use tokio::io::AsyncWriteExt as _;

use crate::file::{Content, TempFile};

/// One file being received.
pub(crate) struct Spool {
    memory: Vec<u8>,
    /// The open temporary file once the content outgrew `threshold`. The file is declared
    /// before its `TempFile` so that it is closed before the path is deleted.
    file: Option<(File, TempFile)>,
    threshold: usize,
    dir: PathBuf,
    length: u64,
}

impl Spool {
    /// An empty file, kept in memory up to `threshold` bytes, in a new file in `dir` above.
    pub(crate) fn new(threshold: usize, dir: &Path) -> Self {
        Spool {
            memory: Vec::new(),
            file: None,
            threshold,
            dir: dir.to_path_buf(),
            length: 0,
        }
    }

    /// Appends `data`.
    pub(crate) async fn write(&mut self, data: &[u8]) -> io::Result<()> {
        self.length += data.len() as u64;
        if let Some((file, _)) = &mut self.file {
            return file.write_all(data).await;
        }
        if self.memory.len() + data.len() <= self.threshold {
            self.memory.extend_from_slice(data);
            return Ok(());
        }
        let (mut file, temp) = create(&self.dir).await?;
        file.write_all(&std::mem::take(&mut self.memory)).await?;
        file.write_all(data).await?;
        self.file = Some((file, temp));
        Ok(())
    }

    /// The content received and its length.
    pub(crate) async fn finish(self) -> io::Result<(Content, u64)> {
        let content = match self.file {
            Some((mut file, temp)) => {
                // Waits for the last write, which tokio runs on its blocking pool.
                file.flush().await?;
                drop(file);
                Content::spooled(temp)
            }
            None => Content::memory(self.memory),
        };
        Ok((content, self.length))
    }
}

/// A new file in `dir` that only this user can read, with a random name.
async fn create(dir: &Path) -> io::Result<(File, TempFile)> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    for _ in 0..8 {
        let mut random = [0u8; 12];
        getrandom::getrandom(&mut random).map_err(|e| io::Error::other(e.to_string()))?;
        let name: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let path = dir.join(format!("ssdto-upload-{name}"));
        match options.open(&path).await {
            Ok(file) => return Ok((file, TempFile::new(path))),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary file name",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ssdto-spool-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn files_in(dir: &Path) -> usize {
        std::fs::read_dir(dir).unwrap().count()
    }

    #[tokio::test]
    async fn small_files_stay_in_memory_large_ones_go_to_a_private_temp_file() {
        let dir = scratch("spill");
        let mut small = Spool::new(8, &dir);
        small.write(b"1234").await.unwrap();
        small.write(b"5678").await.unwrap();
        let (content, length) = small.finish().await.unwrap();
        assert_eq!(length, 8);
        let file = crate::HttpFile::received("a".into(), "a".into(), None, length, content);
        assert_eq!(file.path(), None);
        assert_eq!(files_in(&dir), 0);

        let mut large = Spool::new(8, &dir);
        large.write(b"12345").await.unwrap();
        large.write(b"6789").await.unwrap();
        large.write(b"0").await.unwrap();
        let (content, length) = large.finish().await.unwrap();
        let file = crate::HttpFile::received("a".into(), "a".into(), None, length, content);
        assert_eq!(length, 10);
        let path = file.path().unwrap().to_path_buf();
        assert!(path.starts_with(&dir));
        assert_eq!(&*file.bytes().unwrap(), b"1234567890");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        drop(file);
        assert_eq!(files_in(&dir), 0);

        // A file dropped half received leaves nothing behind.
        let mut broken = Spool::new(2, &dir);
        broken.write(b"12345").await.unwrap();
        assert_eq!(files_in(&dir), 1);
        drop(broken);
        assert_eq!(files_in(&dir), 0);
        std::fs::remove_dir(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_directory_that_cannot_hold_files_is_an_error() {
        let missing = std::env::temp_dir()
            .join(format!("ssdto-spool-none-{}", std::process::id()))
            .join("not-there");
        let mut spool = Spool::new(0, &missing);
        assert!(spool.write(b"x").await.is_err());
    }
}
