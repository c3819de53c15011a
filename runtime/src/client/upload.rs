//! File uploads: a request DTO's fields and files as one `multipart/form-data` body, as
//! ServiceStack's clients send them with `PostFileWithRequest` / `post_file_with_request`.
//!
//! - The request's fields come first, one text part each (`Content-Disposition: form-data;
//!   name="sessionId"`), written as the query string writes them (see [`crate::query`]):
//!   ServiceStack binds form fields and query parameters alike, by name case-insensitively,
//!   values read as JSV. Null fields are left out.
//! - Then each file: `Content-Disposition: form-data; name="{field}";
//!   filename="{file name}"` and its `Content-Type`. Without a field name the file is sent as
//!   `upload{i}` (its index), and without a file name as `upload{i}` too, as the C#
//!   `PostFilesWithRequest` does; without a content type, one is guessed from the file name
//!   (`application/octet-stream` when there is none), as both the C# and Python clients do.
//!
//! Files stream: from a path, from bytes, from an `AsyncRead` or from a blocking `Read`, in
//! chunks of [`CHUNK`] bytes, never buffered whole. A path's and bytes' length is known, so
//! the body has a `Content-Length`; a reader's is not, so the body is chunked.

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_core::Stream;
use tokio::io::{AsyncRead, AsyncReadExt};

use super::Error;

/// How much of a file is read and sent at a time.
pub const CHUNK: usize = 64 * 1024;

/// Reports upload progress: bytes of this file sent so far, and its length when known.
pub type Progress = Arc<dyn Fn(u64, Option<u64>) + Send + Sync>;

type AsyncSource = Pin<Box<dyn AsyncRead + Send>>;
type BlockingSource = Box<dyn Read + Send>;

/// One file of an upload: where its bytes come from, and how the form names it.
///
/// ```
/// use ssdto::client::UploadFile;
///
/// let photo = UploadFile::from_path("photos/front-desk.jpg")
///     .field_name("photo")
///     .on_progress(|sent, total| println!("{sent} of {total:?} bytes"));
/// let notes = UploadFile::from_bytes("hello".as_bytes().to_vec())
///     .file_name("notes.txt");
/// assert_eq!(notes.content_type_or_guess(), "text/plain");
/// assert_eq!(photo.content_type_or_guess(), "image/jpeg");
/// ```
pub struct UploadFile {
    source: Source,
    field_name: Option<String>,
    file_name: Option<String>,
    content_type: Option<String>,
    progress: Option<Progress>,
}

enum Source {
    Path(PathBuf),
    Bytes(Bytes),
    // Readers are read once; taken out when the body is built.
    Async(Mutex<Option<AsyncSource>>),
    Blocking(Mutex<Option<BlockingSource>>),
}

impl fmt::Debug for UploadFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Path(path) => format!("path {}", path.display()),
            Source::Bytes(bytes) => format!("{} bytes", bytes.len()),
            Source::Async(_) => "an AsyncRead".to_owned(),
            Source::Blocking(_) => "a Read".to_owned(),
        };
        f.debug_struct("UploadFile")
            .field("source", &source)
            .field("field_name", &self.field_name)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl UploadFile {
    fn new(source: Source) -> Self {
        UploadFile {
            source,
            field_name: None,
            file_name: None,
            content_type: None,
            progress: None,
        }
    }

    /// The file at `path`, opened when the request is sent (an unreadable file fails the call
    /// with [`Error::File`] before anything is sent). Its file name is the path's last
    /// component. Its length is taken when the upload starts; a file that shrinks or grows
    /// while it is sent fails the call with [`Error::File`].
    pub fn from_path(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref().to_path_buf();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        UploadFile {
            file_name,
            ..UploadFile::new(Source::Path(path))
        }
    }

    /// Bytes in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        UploadFile::new(Source::Bytes(bytes.into()))
    }

    /// An async reader, read once to its end. A request with such a file cannot be sent
    /// again, so neither a retry nor a token refresh resends it.
    pub fn from_async_read(reader: impl AsyncRead + Send + 'static) -> Self {
        UploadFile::new(Source::Async(Mutex::new(Some(Box::pin(reader)))))
    }

    /// A blocking reader, read once to its end on a thread of the runtime's blocking pool (so
    /// it suits the blocking client). Like [`from_async_read`](Self::from_async_read), it
    /// cannot be sent again.
    pub fn from_read(reader: impl Read + Send + 'static) -> Self {
        UploadFile::new(Source::Blocking(Mutex::new(Some(Box::new(reader)))))
    }

    /// The form field the file is sent as (`upload{i}` unless set). ServiceStack hands every
    /// file to the service whatever its field; the name matters to services that look files
    /// up by it.
    pub fn field_name(mut self, name: impl Into<String>) -> Self {
        self.field_name = Some(name.into());
        self
    }

    /// The file name sent with the file (for a path, its last component unless set;
    /// otherwise `upload{i}`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The file's `Content-Type` (guessed from the file name unless set).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Calls `progress(sent, total)` as the file's bytes go out; `total` is its length when
    /// known. A request sent again (a retry, after a token refresh) reports from 0 again.
    pub fn on_progress(
        mut self,
        progress: impl Fn(u64, Option<u64>) + Send + Sync + 'static,
    ) -> Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// The content type sent: the one set, else a guess from the file name, else
    /// `application/octet-stream`.
    pub fn content_type_or_guess(&self) -> String {
        if let Some(content_type) = &self.content_type {
            return content_type.clone();
        }
        self.file_name
            .as_deref()
            .and_then(|name| mime_guess::from_path(name).first_raw())
            .unwrap_or("application/octet-stream")
            .to_owned()
    }

    /// Whether the file can be read again for a second attempt.
    fn replayable(&self) -> bool {
        matches!(self.source, Source::Path(_) | Source::Bytes(_))
    }

    /// What errors call the file: its path, else its file name.
    fn label(&self, index: usize) -> String {
        match (&self.source, &self.file_name) {
            (Source::Path(path), _) => path.display().to_string(),
            (_, Some(name)) => name.clone(),
            _ => format!("upload{index}"),
        }
    }
}

/// A request's fields and files, ready to become a multipart body for each attempt.
#[derive(Debug)]
pub(crate) struct Form {
    pub fields: Vec<(String, String)>,
    pub files: Vec<UploadFile>,
}

impl Form {
    /// Whether the body can be built again (no file comes from a reader).
    pub fn replayable(&self) -> bool {
        self.files.iter().all(UploadFile::replayable)
    }

    /// Builds the multipart body, and the tracker that tells afterwards whether every file
    /// was read whole.
    pub async fn build(&self) -> Result<(reqwest::multipart::Form, Arc<Sent>), Error> {
        let sent = Arc::new(Sent {
            files: self.files.len(),
            finished: AtomicUsize::new(0),
            failure: Mutex::new(None),
        });
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in &self.fields {
            form = form.text(name.clone(), value.clone());
        }
        for (index, file) in self.files.iter().enumerate() {
            let label = file.label(index);
            let part = file.part(index, &label, &sent).await?;
            let field = file
                .field_name
                .clone()
                .unwrap_or_else(|| format!("upload{index}"));
            form = form.part(field, part);
        }
        Ok((form, sent))
    }
}

impl UploadFile {
    async fn part(
        &self,
        index: usize,
        label: &str,
        sent: &Arc<Sent>,
    ) -> Result<reqwest::multipart::Part, Error> {
        let file_error = |source: io::Error| Error::File {
            file: label.to_owned(),
            source,
        };
        let tracker = |length| Tracker {
            label: label.to_owned(),
            length,
            sent: 0,
            progress: self.progress.clone(),
            shared: sent.clone(),
        };
        let (body, length) = match &self.source {
            Source::Path(path) => {
                let file = tokio::fs::File::open(path).await.map_err(file_error)?;
                let metadata = file.metadata().await.map_err(file_error)?;
                if !metadata.is_file() {
                    return Err(file_error(io::Error::other("not a regular file")));
                }
                let length = metadata.len();
                (read_stream(file, tracker(Some(length))), Some(length))
            }
            Source::Bytes(bytes) => {
                let length = bytes.len() as u64;
                (
                    bytes_stream(bytes.clone(), tracker(Some(length))),
                    Some(length),
                )
            }
            Source::Async(slot) => {
                let reader = take(slot).ok_or_else(|| file_error(already_read()))?;
                (read_stream(reader, tracker(None)), None)
            }
            Source::Blocking(slot) => {
                let reader = take(slot).ok_or_else(|| file_error(already_read()))?;
                (blocking_stream(reader, tracker(None)), None)
            }
        };
        let body = reqwest::Body::wrap_stream(body);
        let part = match length {
            Some(length) => reqwest::multipart::Part::stream_with_length(body, length),
            None => reqwest::multipart::Part::stream(body),
        };
        let file_name = self
            .file_name
            .clone()
            .unwrap_or_else(|| format!("upload{index}"));
        part.file_name(file_name)
            .mime_str(&self.content_type_or_guess())
            .map_err(|_| {
                file_error(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("invalid content type {:?}", self.content_type_or_guess()),
                ))
            })
    }
}

fn take<T>(slot: &Mutex<Option<T>>) -> Option<T> {
    slot.lock().unwrap_or_else(|e| e.into_inner()).take()
}

fn already_read() -> io::Error {
    io::Error::other("the reader was already read by an earlier attempt")
}

/// What became of an upload's files: how many were read to their end, and the first error.
#[derive(Debug)]
pub(crate) struct Sent {
    files: usize,
    finished: AtomicUsize,
    failure: Mutex<Option<Error>>,
}

impl Sent {
    /// The error of a file that could not be read, if one failed.
    pub fn failure(&self) -> Option<Error> {
        take(&self.failure)
    }

    /// `Ok` when every file was read whole; else why not. Called once the reply has been
    /// read, so a server that answered success before the upload ended is still caught.
    pub fn check(&self) -> Result<(), Error> {
        if let Some(error) = self.failure() {
            return Err(error);
        }
        let finished = self.finished.load(Ordering::SeqCst);
        if finished < self.files {
            return Err(Error::File {
                file: format!("{} of {} files", self.files - finished, self.files),
                source: io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the server answered before the upload was complete",
                ),
            });
        }
        Ok(())
    }
}

/// Counts one file's bytes as they go out: reports progress, and turns a length that changed
/// into an error.
struct Tracker {
    label: String,
    length: Option<u64>,
    sent: u64,
    progress: Option<Progress>,
    shared: Arc<Sent>,
}

impl Tracker {
    fn advance(&mut self, n: usize) -> io::Result<()> {
        self.sent += n as u64;
        if let Some(length) = self.length {
            if self.sent > length {
                return Err(self.fail(io::Error::other(format!(
                    "the file grew while it was sent (it had {length} bytes when the upload started)"
                ))));
            }
        }
        if let Some(progress) = &self.progress {
            progress(self.sent, self.length);
        }
        // With a known length the HTTP layer may stop reading at it, before the end of the
        // stream is seen, so the file counts as sent once all its bytes are out.
        if self.length == Some(self.sent) {
            self.shared.finished.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        match self.length {
            Some(length) if self.sent < length => Err(self.fail(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "the file shrank while it was sent: it ended after {} of {length} bytes",
                    self.sent
                ),
            ))),
            // Counted when the last byte went out (an empty file has none).
            Some(length) if length > 0 => Ok(()),
            _ => {
                self.shared.finished.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        }
    }

    /// Records `error` as the upload's failure and returns an error for the HTTP layer.
    fn fail(&self, error: io::Error) -> io::Error {
        let message = error.to_string();
        let mut failure = self
            .shared
            .failure
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if failure.is_none() {
            *failure = Some(Error::File {
                file: self.label.clone(),
                source: error,
            });
        }
        io::Error::other(message)
    }
}

type ChunkStream = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>;

fn read_stream(reader: impl AsyncRead + Send + Unpin + 'static, tracker: Tracker) -> ChunkStream {
    Box::pin(futures_util::stream::try_unfold(
        (reader, tracker),
        |(mut reader, mut tracker)| async move {
            let mut buf = vec![0u8; CHUNK];
            let n = match reader.read(&mut buf).await {
                Ok(n) => n,
                Err(e) => return Err(tracker.fail(e)),
            };
            if n == 0 {
                tracker.end()?;
                return Ok(None);
            }
            buf.truncate(n);
            tracker.advance(n)?;
            Ok(Some((Bytes::from(buf), (reader, tracker))))
        },
    ))
}

fn bytes_stream(bytes: Bytes, tracker: Tracker) -> ChunkStream {
    Box::pin(futures_util::stream::try_unfold(
        (bytes, tracker),
        |(mut rest, mut tracker)| async move {
            if rest.is_empty() {
                tracker.end()?;
                return Ok(None);
            }
            let chunk = rest.split_to(rest.len().min(CHUNK));
            tracker.advance(chunk.len())?;
            Ok(Some((chunk, (rest, tracker))))
        },
    ))
}

/// Reads a blocking reader on the blocking pool, a chunk or two ahead of the connection.
fn blocking_stream(mut reader: BlockingSource, tracker: Tracker) -> ChunkStream {
    let (tx, rx) = tokio::sync::mpsc::channel::<io::Result<Bytes>>(2);
    // Started when the body is first polled, so it runs inside the client's runtime.
    let mut started = false;
    let mut reader_slot = Some(move || {
        tokio::task::spawn_blocking(move || loop {
            let mut buf = vec![0u8; CHUNK];
            let chunk = match reader.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => {
                    buf.truncate(n);
                    Ok(Bytes::from(buf))
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => Err(e),
            };
            let failed = chunk.is_err();
            // The receiver is gone when the request was abandoned: stop reading.
            if tx.blocking_send(chunk).is_err() || failed {
                return;
            }
        });
    });
    Box::pin(futures_util::stream::try_unfold(
        (rx, tracker),
        move |(mut rx, mut tracker)| {
            if !started {
                started = true;
                if let Some(start) = reader_slot.take() {
                    start();
                }
            }
            async move {
                match rx.recv().await {
                    None => {
                        tracker.end()?;
                        Ok(None)
                    }
                    Some(Err(e)) => Err(tracker.fail(e)),
                    Some(Ok(chunk)) => {
                        tracker.advance(chunk.len())?;
                        Ok(Some((chunk, (rx, tracker))))
                    }
                }
            }
        },
    ))
}

impl super::JsonServiceClient {
    /// Posts `request` with one file as `multipart/form-data` and reads the response; see
    /// [`post_files_with_request`](Self::post_files_with_request).
    pub async fn post_file_with_request<R: crate::Request>(
        &self,
        request: &R,
        file: UploadFile,
    ) -> Result<R::Response, Error> {
        self.post_files_with_request(request, vec![file]).await
    }

    /// Posts `request`'s fields and `files` as one `multipart/form-data` body to the
    /// request's POST route (`/api/{Operation}`), and reads the response, as the official
    /// clients' `PostFilesWithRequest` / `post_files_with_request` do:
    ///
    /// - first the request's fields, one text part each (`Content-Disposition: form-data;
    ///   name="sessionId"`), written as the query string writes them: ServiceStack binds form
    ///   fields like query parameters, by name case-insensitively, values read as JSV. Null
    ///   fields are left out;
    /// - then each file: `form-data; name="{field}"; filename="{file name}"` and its
    ///   `Content-Type` (see [`UploadFile`] for the defaults), streamed in chunks, never
    ///   buffered whole. Files from paths and bytes give the body a `Content-Length`; a
    ///   reader's body is chunked.
    ///
    /// A file that cannot be read fails the call with [`Error::File`], before anything is
    /// sent when it cannot be opened; one that fails or changes length mid-upload fails it
    /// too, even if the server answered success. An upload is sent again by a retry or after
    /// a token refresh only when all its files come from paths or bytes.
    ///
    /// ```no_run
    /// # async fn run(client: ssdto::client::JsonServiceClient) -> Result<(), ssdto::client::Error> {
    /// # #[derive(serde::Serialize)] #[serde(rename_all = "camelCase")] struct UploadRecording { session_id: String }
    /// # impl ssdto::Request for UploadRecording {
    /// #     type Response = ssdto::IdResponse;
    /// #     const OPERATION: &'static str = "UploadRecording";
    /// #     const METHOD: ssdto::Method = ssdto::Method::Post;
    /// # }
    /// use ssdto::client::UploadFile;
    ///
    /// let request = UploadRecording { session_id: "s1".into() };
    /// let files = vec![
    ///     UploadFile::from_path("call.wav").field_name("recording"),
    ///     UploadFile::from_bytes(b"transcript".to_vec()).file_name("call.txt"),
    /// ];
    /// let created = client.post_files_with_request(&request, files).await?;
    /// # Ok(()) }
    /// ```
    pub async fn post_files_with_request<R: crate::Request>(
        &self,
        request: &R,
        files: Vec<UploadFile>,
    ) -> Result<R::Response, Error> {
        let fields = crate::query::fields(request)?;
        let method = crate::Method::Post;
        let (url, _) = super::strategy::route_for(
            &self.shared.base_url,
            self.shared.strategy,
            &fields,
            R::OPERATION,
            R::ROUTES,
            method,
        );
        let prepared = super::strategy::Prepared {
            method,
            url,
            body: None,
        };
        let mut call = self.call_from(R::OPERATION.into(), prepared);
        call.body = super::pipeline::Payload::Form(Form { fields, files });
        self.reply(&call).await?.decode::<R>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(files: usize) -> Arc<Sent> {
        Arc::new(Sent {
            files,
            finished: AtomicUsize::new(0),
            failure: Mutex::new(None),
        })
    }

    fn tracker(length: Option<u64>, shared: &Arc<Sent>) -> Tracker {
        Tracker {
            label: "a.bin".into(),
            length,
            sent: 0,
            progress: None,
            shared: shared.clone(),
        }
    }

    #[test]
    fn a_file_that_changes_length_fails_the_upload() {
        let shared = sent(1);
        let mut shrank = tracker(Some(10), &shared);
        shrank.advance(4).unwrap();
        assert!(shrank.end().unwrap_err().to_string().contains("shrank"));
        let err = shared.check().unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot upload a.bin: the file shrank while it was sent: it ended after 4 of 10 bytes"),
            "{err}"
        );

        let shared = sent(1);
        let mut grew = tracker(Some(10), &shared);
        grew.advance(10).unwrap();
        assert!(grew.advance(1).is_err());
        assert!(shared.check().unwrap_err().to_string().contains("grew"));
    }

    #[test]
    fn every_file_must_be_read_to_its_end() {
        let shared = sent(3);
        let mut known = tracker(Some(5), &shared);
        known.advance(5).unwrap();
        let mut empty = tracker(Some(0), &shared);
        empty.end().unwrap();
        assert!(shared.check().is_err(), "one file not read yet");
        let mut unknown = tracker(None, &shared);
        unknown.advance(7).unwrap();
        assert!(shared.check().is_err());
        unknown.end().unwrap();
        known.end().unwrap();
        shared.check().unwrap();
    }

    #[test]
    fn content_types_are_guessed_from_file_names() {
        let guess = |name: &str| {
            UploadFile::from_bytes(vec![])
                .file_name(name)
                .content_type_or_guess()
        };
        assert_eq!(guess("a.png"), "image/png");
        assert_eq!(guess("a.json"), "application/json");
        assert_eq!(guess("noext"), "application/octet-stream");
        assert_eq!(
            UploadFile::from_bytes(vec![]).content_type_or_guess(),
            "application/octet-stream"
        );
        let set = UploadFile::from_path("/x/y.png").content_type("image/x-custom");
        assert_eq!(set.content_type_or_guess(), "image/x-custom");
        assert!(UploadFile::from_path("p").replayable());
        assert!(!UploadFile::from_read(std::io::empty()).replayable());
        assert!(format!("{:?}", UploadFile::from_bytes(vec![1, 2])).contains("2 bytes"));
    }
}
