//! [`HttpFile`]: a file uploaded with a request, what a .NET `IHttpFile` field holds.
//!
//! A file's content is in memory or, for an upload larger than the server's memory threshold
//! (`ServiceRouter::upload_memory_threshold`), in a temporary file that is deleted when the last
//! clone of the `HttpFile` drops.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::{self, Deserializer, IntoDeserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A file uploaded with a request: the members of ServiceStack's `IHttpFile`.
///
/// A server built with the `server` feature binds each file of a `multipart/form-data` request
/// to the request field named like its form part: an `HttpFile` field takes one file, a
/// `Vec<HttpFile>` every file of that name. The server reads the upload as it arrives and
/// keeps a file in memory up to a threshold (64 KiB unless told otherwise), in a temporary
/// file above it, so a large upload is never held in memory whole; read it with
/// [`reader`](Self::reader) (in chunks) or [`bytes`](Self::bytes) (whole), or keep it with
/// [`save_to`](Self::save_to). Clones share the content; a temporary file is deleted when the
/// last clone drops.
///
/// In JSON it travels as `{"name","fileName","contentType","contentLength","content"}`, the
/// content in base64 (read whole).
///
/// ```
/// use std::io::Read;
///
/// let file: ssdto::HttpFile = serde_json::from_str(
///     r#"{"name":"upload","fileName":"a.txt","contentType":"text/plain","content":"aGk="}"#,
/// ).unwrap();
/// assert_eq!(&*file.bytes().unwrap(), b"hi");
/// let mut text = String::new();
/// file.reader().unwrap().read_to_string(&mut text).unwrap();
/// assert_eq!(text, "hi");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct HttpFile {
    /// The form field the file was sent in.
    pub name: String,
    /// The file name the client gave.
    pub file_name: String,
    /// The file's content type, when the client gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The file's length in bytes.
    pub content_length: u64,
    /// The file's bytes: read them with [`bytes`](Self::bytes) or [`reader`](Self::reader).
    pub(crate) content: Content,
}

impl HttpFile {
    /// A file with a form field name, a file name and its bytes.
    pub fn new(name: impl Into<String>, file_name: impl Into<String>, content: Vec<u8>) -> Self {
        HttpFile {
            name: name.into(),
            file_name: file_name.into(),
            content_type: None,
            content_length: content.len() as u64,
            content: Content(Repr::Memory(content.into())),
        }
    }

    /// A file the server kept in memory (`content`) or spooled to `temp`.
    #[cfg(feature = "server")]
    pub(crate) fn received(
        name: String,
        file_name: String,
        content_type: Option<String>,
        content_length: u64,
        content: Content,
    ) -> Self {
        HttpFile {
            name,
            file_name,
            content_type,
            content_length,
            content,
        }
    }

    /// The whole content: borrowed when it is in memory, read from its temporary file
    /// otherwise (this blocks; on an async runtime read a large file with
    /// [`reader`](Self::reader) in `spawn_blocking`, or keep it with [`save_to`](Self::save_to)).
    pub fn bytes(&self) -> io::Result<Cow<'_, [u8]>> {
        self.content.read()
    }

    /// A reader of the content from its start; each call starts a new one. It owns what it
    /// reads (it keeps a temporary file alive), so it can move to another thread.
    pub fn reader(&self) -> io::Result<HttpFileReader> {
        Ok(HttpFileReader(match &self.content.0 {
            Repr::Memory(data) => ReaderRepr::Memory {
                data: Arc::clone(data),
                at: 0,
            },
            Repr::Spooled(temp) => ReaderRepr::File {
                file: File::open(&temp.path)?,
                temp: Arc::clone(temp),
            },
        }))
    }

    /// The temporary file holding the content, when the server spooled it to disk. It is
    /// deleted when the last clone of this `HttpFile` drops: copy it (or use
    /// [`save_to`](Self::save_to)) to keep it.
    pub fn path(&self) -> Option<&Path> {
        match &self.content.0 {
            Repr::Memory(_) => None,
            Repr::Spooled(temp) => Some(&temp.path),
        }
    }

    /// Writes the content to `path`, replacing any file there (blocking).
    pub fn save_to(&self, path: impl AsRef<Path>) -> io::Result<()> {
        match &self.content.0 {
            Repr::Memory(data) => std::fs::write(path, data),
            Repr::Spooled(temp) => std::fs::copy(&temp.path, path).map(drop),
        }
    }
}

/// Reads an [`HttpFile`]'s content; see [`HttpFile::reader`].
pub struct HttpFileReader(ReaderRepr);

enum ReaderRepr {
    Memory { data: Arc<[u8]>, at: usize },
    File { file: File, temp: Arc<TempFile> },
}

impl fmt::Debug for HttpFileReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            ReaderRepr::Memory { data, at } => {
                write!(f, "HttpFileReader(memory {at}/{})", data.len())
            }
            ReaderRepr::File { temp, .. } => {
                write!(f, "HttpFileReader({})", temp.path.display())
            }
        }
    }
}

impl Read for HttpFileReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.0 {
            ReaderRepr::Memory { data, at } => {
                let rest = data.get(*at..).unwrap_or_default();
                let n = rest.len().min(buf.len());
                buf[..n].copy_from_slice(&rest[..n]);
                *at += n;
                Ok(n)
            }
            ReaderRepr::File { file, .. } => file.read(buf),
        }
    }
}

/// An [`HttpFile`]'s bytes: in memory, or in a temporary file shared by the clones.
#[derive(Clone, Default)]
pub(crate) struct Content(Repr);

#[derive(Clone)]
enum Repr {
    Memory(Arc<[u8]>),
    // Only the server spools.
    #[cfg_attr(not(feature = "server"), allow(dead_code))]
    Spooled(Arc<TempFile>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Memory(Arc::from(&[][..]))
    }
}

impl Content {
    /// Content held in memory.
    #[cfg(feature = "server")]
    pub(crate) fn memory(data: Vec<u8>) -> Self {
        Content(Repr::Memory(data.into()))
    }

    /// Content in `temp`, which is deleted when the last clone drops.
    #[cfg(feature = "server")]
    pub(crate) fn spooled(temp: TempFile) -> Self {
        Content(Repr::Spooled(Arc::new(temp)))
    }
}

impl fmt::Debug for Content {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Memory(data) => write!(f, "{} bytes in memory", data.len()),
            Repr::Spooled(temp) => write!(f, "spooled to {}", temp.path.display()),
        }
    }
}

impl PartialEq for Content {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Repr::Spooled(a), Repr::Spooled(b)) if Arc::ptr_eq(a, b) => true,
            (Repr::Memory(a), Repr::Memory(b)) => a == b,
            // Content that cannot be read equals nothing.
            _ => matches!((self.read(), other.read()), (Ok(a), Ok(b)) if a == b),
        }
    }
}

impl Eq for Content {}

impl Content {
    fn read(&self) -> io::Result<Cow<'_, [u8]>> {
        match &self.0 {
            Repr::Memory(data) => Ok(Cow::Borrowed(data)),
            Repr::Spooled(temp) => std::fs::read(&temp.path).map(Cow::Owned),
        }
    }
}

impl Serialize for Content {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let data = self.read().map_err(serde::ser::Error::custom)?;
        crate::bytes::serialize(&data, serializer)
    }
}

/// The name under which the server's request binder hands an uploaded file's content to
/// [`Content`]'s `Deserialize` (see [`hand_over`]); other deserializers see a newtype struct
/// and read base64 or bytes, as [`crate::Bytes`] does.
pub(crate) const HANDOVER: &str = "$ssdto::private::HttpFileContent";

impl<'de> Deserialize<'de> for Content {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ContentVisitor;

        impl<'de> Visitor<'de> for ContentVisitor {
            type Value = Content;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a file's content: base64, bytes or an array of bytes")
            }

            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Content, D::Error> {
                crate::Bytes::deserialize(d).map(Content::from)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Content, E> {
                handover::take().ok_or_else(|| E::invalid_type(de::Unexpected::Unit, &self))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Content, E> {
                self.visit_newtype_struct(v.into_deserializer())
            }

            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Content, E> {
                self.visit_newtype_struct(de::value::BytesDeserializer::new(v))
            }

            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Content, E> {
                Ok(Content::from(crate::Bytes(v)))
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Content, A::Error> {
                self.visit_newtype_struct(de::value::SeqAccessDeserializer::new(seq))
            }
        }

        deserializer.deserialize_newtype_struct(HANDOVER, ContentVisitor)
    }
}

impl From<crate::Bytes> for Content {
    fn from(bytes: crate::Bytes) -> Self {
        Content(Repr::Memory(bytes.0.into()))
    }
}

/// In XML a file's content is `base64Binary`, as [`crate::Bytes`].
#[cfg(feature = "xml")]
mod xml {
    use super::Content;
    use crate::xml::{Contract, Error, Kind, Reader, Writer, XmlValue};
    use crate::Bytes;

    impl XmlValue for Content {
        const KIND: Kind = Bytes::KIND;

        fn contract() -> Contract {
            Bytes::contract()
        }

        fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
            let data = self
                .read()
                .map_err(|e| Error::Write(format!("the file cannot be read: {e}")))?;
            Bytes(data.into_owned()).write_content(w)
        }

        fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
            Bytes::read_content(r).map(Content::from)
        }
    }
}

/// Hands an uploaded file's content through serde, which carries only plain values: the
/// binder puts it here and visits a unit, and [`Content`]'s visitor takes it back.
mod handover {
    use std::cell::Cell;

    use super::Content;

    thread_local! {
        static SLOT: Cell<Option<Content>> = const { Cell::new(None) };
    }

    /// Runs `visit` with `content` waiting in the slot; the slot is empty again afterwards.
    #[cfg(feature = "server")]
    pub(crate) fn with<T>(content: Content, visit: impl FnOnce() -> T) -> T {
        SLOT.with(|slot| slot.set(Some(content)));
        let result = visit();
        SLOT.with(|slot| slot.take());
        result
    }

    pub(super) fn take() -> Option<Content> {
        SLOT.with(|slot| slot.take())
    }
}

#[cfg(feature = "server")]
pub(crate) use handover::with as hand_over;

/// A temporary file that is deleted when dropped.
pub(crate) struct TempFile {
    path: PathBuf,
}

impl TempFile {
    /// Takes charge of deleting `path`.
    #[cfg(feature = "server")]
    pub(crate) fn new(path: PathBuf) -> Self {
        TempFile { path }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        // Nothing to do about a file already gone or undeletable; the OS's temp cleanup
        // takes what is left.
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_and_readers() {
        let file = HttpFile::new("f", "a.bin", vec![0, 1, 2, 255]);
        let json = serde_json::to_string(&file).unwrap();
        assert!(json.contains(r#""content":"AAEC/w==""#), "{json}");
        let back: HttpFile = serde_json::from_str(&json).unwrap();
        assert_eq!(back, file);
        let mut read = Vec::new();
        back.reader().unwrap().read_to_end(&mut read).unwrap();
        assert_eq!(read, [0, 1, 2, 255]);
        assert_eq!(back.path(), None);
        // Content as an array of bytes, as some clients send byte[].
        let arr: HttpFile = serde_json::from_str(r#"{"content":[104,105]}"#).unwrap();
        assert_eq!(&*arr.bytes().unwrap(), b"hi");
        // A unit with nothing handed over is an error, not an empty file.
        assert!(serde_json::from_str::<HttpFile>(r#"{"content":null}"#).is_err());
    }

    #[cfg(feature = "server")]
    #[test]
    fn spooled_content_is_read_shared_and_deleted_with_the_last_clone() {
        let path = std::env::temp_dir().join(format!("ssdto-file-test-{}", std::process::id()));
        std::fs::write(&path, b"spooled bytes").unwrap();
        let file = HttpFile::received(
            "f".into(),
            "s.txt".into(),
            None,
            13,
            Content::spooled(TempFile::new(path.clone())),
        );
        assert_eq!(file.path(), Some(path.as_path()));
        assert_eq!(&*file.bytes().unwrap(), b"spooled bytes");
        assert_eq!(
            file,
            HttpFile::received(
                "f".into(),
                "s.txt".into(),
                None,
                13,
                Content::memory(b"spooled bytes".to_vec())
            )
        );
        let json = serde_json::to_value(&file).unwrap();
        assert_eq!(json["content"], "c3Bvb2xlZCBieXRlcw==");
        let copy = std::env::temp_dir().join(format!("ssdto-file-copy-{}", std::process::id()));
        file.save_to(&copy).unwrap();
        assert_eq!(std::fs::read(&copy).unwrap(), b"spooled bytes");
        std::fs::remove_file(&copy).unwrap();
        let clone = file.clone();
        let mut reader = clone.reader().unwrap();
        drop(file);
        drop(clone);
        // An open reader keeps the file.
        assert!(path.exists());
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        assert_eq!(text, "spooled bytes");
        drop(reader);
        assert!(!path.exists());
    }
}
