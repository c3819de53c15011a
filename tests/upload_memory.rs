//! Uploads stream (issue 11 §3): a 64 MiB file sent by our client in 64 KiB chunks reaches the
//! handler through a temporary file, and the bytes the whole process has allocated (client,
//! server and runtime, counted by a global allocator) peak far below the upload's size. An
//! upload over the limit is refused with 413 as it streams, and leaves no temporary file.
//!
//! The allocator counts every thread of this binary, so it holds a single test that runs its
//! scenarios one after another. Run it with `cargo test --test upload_memory -- --nocapture`
//! to see the numbers.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

use peak_alloc::PeakAlloc;
use serde::{Deserialize, Serialize};
use ssdto::client::{JsonServiceClient, UploadFile};
use ssdto::server::{axum, Access, Context, HttpError, ServiceRouter};
use ssdto::HttpFile;
use tokio::io::{AsyncRead, ReadBuf};
use tokio::net::TcpListener;

#[global_allocator]
static ALLOCATED: PeakAlloc = PeakAlloc;

const MIB: usize = 1024 * 1024;
/// The upload: twice the default upload limit, so the router is told a larger one.
const SIZE: usize = 64 * MIB;
/// The most the process may allocate above its resting level while the upload streams: an
/// eighth of the upload (it measured about 1.3 MiB when this was written).
const PEAK_BUDGET: usize = SIZE / 8;

/// The byte at offset `i` of a test file: not a repeating power of two, so a chunk written at
/// the wrong offset is noticed.
fn byte_at(i: u64) -> u8 {
    (i % 251) as u8
}

/// `len` bytes of [`byte_at`], made as they are read: the client's source holds nothing.
struct Pattern {
    at: u64,
    len: u64,
}

impl AsyncRead for Pattern {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut TaskContext<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let n = (self.len - self.at).min(buf.remaining() as u64) as usize;
        let start = self.at;
        let chunk: Vec<u8> = (start..start + n as u64).map(byte_at).collect();
        buf.put_slice(&chunk);
        self.at += n as u64;
        Poll::Ready(Ok(()))
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ssdto::Request)]
#[serde(rename_all = "camelCase", default)]
#[ssdto(route("POST", "/recordings"), returns = Received)]
struct UploadRecording {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    recording: Option<HttpFile>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Received {
    title: String,
    /// `HttpFile::content_length`.
    length: u64,
    /// Bytes read back through `HttpFile::reader`, each checked against the pattern.
    read: u64,
    spooled: bool,
    /// The process's peak of allocated bytes above its level before the upload, taken when
    /// the handler has read the whole file.
    peak: usize,
}

/// Reads the file back in 64 KiB chunks (off the async threads, as a handler should) and
/// checks every byte.
fn read_back(file: &HttpFile) -> std::io::Result<u64> {
    let mut reader = file.reader()?;
    let mut chunk = vec![0; 64 * 1024];
    let mut read = 0u64;
    loop {
        let n = reader.read(&mut chunk)?;
        if n == 0 {
            return Ok(read);
        }
        for (i, b) in chunk[..n].iter().enumerate() {
            assert_eq!(*b, byte_at(read + i as u64), "byte {}", read + i as u64);
        }
        read += n as u64;
    }
}

struct Recordings {
    /// `ALLOCATED.current_usage()` before the upload started.
    base: std::sync::atomic::AtomicUsize,
}

fn router(svc: Arc<Recordings>, limit: usize, dir: &Path) -> axum::Router {
    ServiceRouter::new(svc)
        .upload_limit(limit)
        .upload_dir(dir)
        .no_timeout()
        .operation(
            Access::PUBLIC,
            |svc: Arc<Recordings>, req: UploadRecording, _: Context| async move {
                let file = req
                    .recording
                    .ok_or_else(|| HttpError::bad_request("no recording"))?;
                let spooled = file.path().is_some();
                let length = file.content_length;
                let read = tokio::task::spawn_blocking(move || read_back(&file))
                    .await
                    .map_err(|e| HttpError::internal(e.to_string()))?
                    .map_err(|e| HttpError::internal(e.to_string()))?;
                let base = svc.base.load(std::sync::atomic::Ordering::SeqCst);
                Ok(Received {
                    title: req.title,
                    length,
                    read,
                    spooled,
                    peak: ALLOCATED.peak_usage().saturating_sub(base),
                })
            },
        )
        .into_router()
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_upload_streams_through_a_temp_file_and_one_over_the_limit_is_413() {
    let dir = std::env::temp_dir().join(format!("ssdto-upload-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svc = Arc::new(Recordings {
        base: Default::default(),
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(Arc::clone(&svc), SIZE + MIB, &dir);
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = JsonServiceClient::builder(&format!("http://{addr}"))
        .build()
        .unwrap();
    // Warm up (connection, runtime threads, first allocations) with a small upload.
    let warm = client
        .post_file_with_request(
            &UploadRecording {
                title: "warm".into(),
                recording: None,
            },
            UploadFile::from_async_read(Pattern { at: 0, len: 1000 })
                .field_name("recording")
                .file_name("warm.bin"),
        )
        .await
        .unwrap();
    assert_eq!((warm.read, warm.spooled), (1000, false));

    let base = ALLOCATED.current_usage();
    svc.base.store(base, std::sync::atomic::Ordering::SeqCst);
    ALLOCATED.reset_peak_usage();
    let received = client
        .post_file_with_request(
            &UploadRecording {
                title: "a long call".into(),
                recording: None,
            },
            UploadFile::from_async_read(Pattern {
                at: 0,
                len: SIZE as u64,
            })
            .field_name("recording")
            .file_name("call.wav"),
        )
        .await
        .unwrap();
    let peak = ALLOCATED.peak_usage().saturating_sub(base);
    println!(
        "upload of {} MiB: peak allocated {:.2} MiB above the base ({:.2} MiB when the handler had read it), {:.2}% of the upload",
        SIZE / MIB,
        peak as f64 / MIB as f64,
        received.peak as f64 / MIB as f64,
        peak as f64 * 100.0 / SIZE as f64,
    );
    assert_eq!(received.title, "a long call");
    assert_eq!(received.length, SIZE as u64);
    assert_eq!(received.read, SIZE as u64);
    assert!(received.spooled, "a 64 MiB file must not stay in memory");
    assert!(
        peak < PEAK_BUDGET,
        "peak {peak} bytes above the base for a {SIZE}-byte upload"
    );
    // The handler's files are gone with the request.
    assert_eq!(files_in(&dir), Vec::<PathBuf>::new());

    // Over the limit, streamed without a Content-Length: refused as it arrives, 413 with a
    // ResponseStatus, nothing left on disk, and memory as low.
    let small = router(Arc::clone(&svc), 4 * MIB, &dir);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let small_addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, small).await });
    let client = JsonServiceClient::builder(&format!("http://{small_addr}"))
        .build()
        .unwrap();
    let base = ALLOCATED.current_usage();
    ALLOCATED.reset_peak_usage();
    let error = client
        .post_file_with_request(
            &UploadRecording::default(),
            UploadFile::from_async_read(Pattern {
                at: 0,
                len: 16 * MIB as u64,
            })
            .field_name("recording"),
        )
        .await
        .unwrap_err();
    let peak = ALLOCATED.peak_usage().saturating_sub(base);
    println!(
        "refused upload of 16 MiB (limit 4 MiB): peak allocated {:.2} MiB above the base",
        peak as f64 / MIB as f64
    );
    assert_eq!(error.status(), Some(413), "{error:?}");
    let status = error.response_status().unwrap();
    assert_eq!(status.error_code.as_deref(), Some("RequestEntityTooLarge"));
    assert!(peak < PEAK_BUDGET, "peak {peak}");
    assert_eq!(files_in(&dir), Vec::<PathBuf>::new());
    std::fs::remove_dir(&dir).unwrap();
}
