//! [`HttpFile`]: a file uploaded with a request, what a .NET `IHttpFile` field holds.

use serde::{Deserialize, Serialize};

use crate::Bytes;

/// A file uploaded with a request: the members of ServiceStack's `IHttpFile`.
///
/// A server built with the `server` feature binds each file of a `multipart/form-data` request
/// to the request field named like its form part: an `HttpFile` field takes one file, a
/// `Vec<HttpFile>` every file of that name. In JSON it travels as
/// `{"name","fileName","contentType","contentLength","content"}`, the content in base64.
///
/// ```
/// let file: ssdto::HttpFile = serde_json::from_str(
///     r#"{"name":"upload","fileName":"a.txt","contentType":"text/plain","content":"aGk="}"#,
/// ).unwrap();
/// assert_eq!(&*file.content, b"hi");
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
    /// The file's bytes.
    pub content: Bytes,
}

impl HttpFile {
    /// A file with a form field name, a file name and its bytes.
    pub fn new(name: impl Into<String>, file_name: impl Into<String>, content: Vec<u8>) -> Self {
        HttpFile {
            name: name.into(),
            file_name: file_name.into(),
            content_type: None,
            content_length: content.len() as u64,
            content: Bytes(content),
        }
    }
}
