//! A tiny HTTP/1.1 server on loopback that records every request it receives, byte for byte,
//! and answers with whatever a test's responder says: the client tests hold the client's
//! requests to what ServiceStack's official clients send, and play ServiceStack's side.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ssdto::client::{JsonServiceClient, RouteStrategy};
use ssdto::query::parse_query;

// ---------------------------------------------------------------------------------------------
// A tiny HTTP/1.1 server that records what it receives.

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, exactly as on the request line.
    pub target: String,
    pub version: String,
    /// Header names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn request_line(&self) -> String {
        format!("{} {} {}", self.method, self.target, self.version)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    pub fn query(&self) -> HashMap<String, String> {
        let query = self.target.split_once('?').map_or("", |(_, q)| q);
        parse_query(query).into_iter().collect()
    }

    /// The parts of a `multipart/form-data` body.
    pub fn multipart(&self) -> Vec<Part> {
        let content_type = self.header("content-type").unwrap_or_default();
        let boundary = content_type
            .split_once("boundary=")
            .map(|(_, b)| b.trim_matches('"'))
            .unwrap_or_else(|| panic!("not multipart: {content_type}"));
        let delimiter = format!("--{boundary}");
        let text = self.body.clone();
        let mut parts = Vec::new();
        let mut pieces = split_bytes(&text, delimiter.as_bytes());
        pieces.remove(0); // before the first delimiter: nothing
        for piece in pieces {
            if piece.starts_with(b"--") {
                break; // the closing delimiter
            }
            let piece = piece.strip_prefix(b"\r\n").unwrap_or(piece);
            let piece = piece.strip_suffix(b"\r\n").unwrap_or(piece);
            let split = piece
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .expect("part head");
            let head = String::from_utf8_lossy(&piece[..split]).into_owned();
            parts.push(Part {
                headers: head
                    .split("\r\n")
                    .filter_map(|l| l.split_once(':'))
                    .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                    .collect(),
                body: piece[split + 4..].to_vec(),
            });
        }
        parts
    }

    pub fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
    pub framing: Framing,
}

/// How the server delimits a reply's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `Content-Length` with the body's true length.
    ContentLength,
    /// `Transfer-Encoding: chunked`, no `Content-Length`.
    Chunked,
    /// `Content-Length` claiming this many bytes, whatever the body is; the server then
    /// closes the connection, so a client that waits for the rest gets an error.
    Claimed(u64),
    /// No reply at all: the connection is closed once the request is read.
    Drop,
}

impl Reply {
    pub fn json(status: u16, body: impl Into<String>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", "application/json; charset=utf-8".into())],
            body: body.into().into_bytes(),
            delay: Duration::ZERO,
            framing: Framing::ContentLength,
        }
    }

    pub fn text(status: u16, content_type: &'static str, body: &str) -> Reply {
        Reply::bytes(status, content_type, body.as_bytes().to_vec())
    }

    pub fn bytes(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", content_type.into())],
            body,
            delay: Duration::ZERO,
            framing: Framing::ContentLength,
        }
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Reply {
        self.headers.push((name, value.into()));
        self
    }

    pub fn framed(mut self, framing: Framing) -> Reply {
        self.framing = framing;
        self
    }
}

pub type Responder = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A server on `127.0.0.1:<free port>`; it stops when dropped, or by itself after a minute.
pub struct TestServer {
    pub url: String,
    pub recorded: Arc<Mutex<Vec<Recorded>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    pub fn start(responder: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let responder: Arc<Responder> = Arc::new(responder);
        let thread = {
            let (recorded, stop) = (recorded.clone(), stop.clone());
            std::thread::spawn(move || {
                let started = Instant::now();
                while !stop.load(Ordering::Relaxed) && started.elapsed() < Duration::from_secs(60) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let (recorded, responder) = (recorded.clone(), responder.clone());
                            std::thread::spawn(move || serve(stream, &recorded, &*responder));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(2)),
                    }
                }
            })
        };
        TestServer {
            url,
            recorded,
            stop,
            thread: Some(thread),
        }
    }

    /// A server that answers every request with the same reply.
    pub fn replying(reply: Reply) -> TestServer {
        TestServer::start(move |_| reply.clone())
    }

    /// The request line of every request so far, in arrival order.
    pub fn lines(&self) -> Vec<String> {
        self.requests().iter().map(Recorded::request_line).collect()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap().clone()
    }

    pub fn only_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "{requests:#?}");
        requests[0].clone()
    }

    pub fn client(&self) -> JsonServiceClient {
        JsonServiceClient::new(&self.url).unwrap()
    }

    pub fn client_with(&self, strategy: RouteStrategy) -> JsonServiceClient {
        JsonServiceClient::builder(&self.url)
            .route_strategy(strategy)
            .build()
            .unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request from `stream`, records it and writes the reply; one request per
/// connection (`Connection: close`), which keeps the server simple.
pub fn serve(mut stream: TcpStream, recorded: &Mutex<Vec<Recorded>>, responder: &Responder) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let (method, target, version) = (
        request_line.next().unwrap_or_default().to_owned(),
        request_line.next().unwrap_or_default().to_owned(),
        request_line.next().unwrap_or_default().to_owned(),
    );
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = data[head_end + 4..].to_vec();
    if chunked {
        // Read until the terminating zero-length chunk, then decode.
        loop {
            if let Some(decoded) = dechunk(&body) {
                body = decoded;
                break;
            }
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => body.extend_from_slice(&chunk[..n]),
            }
        }
    }
    while !chunked && body.len() < length {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    let request = Recorded {
        method,
        target,
        version,
        headers,
        body,
    };
    let reply = responder(&request);
    recorded.lock().unwrap().push(request);
    std::thread::sleep(reply.delay);
    if reply.framing == Framing::Drop {
        return;
    }
    let reason = match reply.status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Status",
    };
    let mut out = format!(
        "HTTP/1.1 {} {reason}\r\nConnection: close\r\n",
        reply.status
    );
    if reply.status != 204 {
        match reply.framing {
            Framing::ContentLength => {
                out.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
            }
            Framing::Claimed(length) => out.push_str(&format!("Content-Length: {length}\r\n")),
            Framing::Chunked => out.push_str("Transfer-Encoding: chunked\r\n"),
            Framing::Drop => {}
        }
    }
    for (name, value) in &reply.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    if reply.status != 204 {
        if reply.framing == Framing::Chunked {
            // Small chunks, so the client sees many of them.
            for piece in reply.body.chunks(300) {
                out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                out.extend_from_slice(piece);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
        } else {
            out.extend_from_slice(&reply.body);
        }
    }
    // A client that stops reading at its limit closes the connection; the failed write is
    // expected then.
    let _ = stream.write_all(&out);
}

/// The data of a whole chunked body, or `None` while its last chunk has not arrived.
fn dechunk(raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = raw;
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        if rest.len() < size + 2 {
            return None;
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Part {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn split_bytes<'a>(data: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + delimiter.len() <= data.len() {
        if &data[i..i + delimiter.len()] == delimiter {
            out.push(&data[start..i]);
            i += delimiter.len();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(&data[start..]);
    out
}
