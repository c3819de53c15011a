//! ServiceStack's XML format: .NET's DataContractSerializer (feature `xml`).
//!
//! Types generated with the generator's `Xml` option (`--xml`, header `Xml: true`,
//! `Builder::xml(true)`, `include_contract!(.., xml = true)`) implement [`XmlValue`], and
//! [`to_string`] / [`from_slice`] turn them into and out of the XML that ServiceStack servers
//! and clients exchange as `application/xml`:
//!
//! - the root element is named after the type's data contract (`SessionInfo`,
//!   `QueryResponseOfBookingBdUTp_Sb` for a generic), in the namespace
//!   `http://schemas.datacontract.org/2004/07/{.NET namespace}` (or its
//!   `[DataContract(Namespace)]`), with `xmlns:i` declared;
//! - members are elements named as in .NET (PascalCase, or `[DataMember(Name)]`): base class
//!   members first, then by `[DataMember(Order)]`, then by name; a member inherited from a base
//!   class in another namespace is in that namespace;
//! - nulls are `i:nil="true"`; lists of primitives are in the Arrays namespace
//!   (`<d2p1:string>`), dictionaries are `KeyValueOf{K}{V}` entries with `Key` and `Value`;
//!   enums are written by name; booleans, numbers, dates, Guids and time spans in XML Schema
//!   forms.
//!
//! Reading accepts members in any order and any namespace, ignores elements it does not know
//! (and an element's name for list items and the root), reads `i:nil` as the type's default
//! (`None` for optional members), and never panics: malformed or hostile input is an [`Error`]
//! (a server answers it with 400). Input is bounded by [`Limits`]: 128 levels of nesting and
//! 32 MiB by default. Documents with a DTD are refused, as ServiceStack refuses them, so entity
//! expansion cannot blow up.
//!
//! ```
//! use ssdto::xml::{self, Contract, Kind, Reader, Writer, XmlValue};
//!
//! // What the generator writes for a type (here by hand).
//! #[derive(Debug, Default, PartialEq)]
//! struct Crumb { id: Option<String>, tags: Vec<String> }
//!
//! impl XmlValue for Crumb {
//!     const KIND: Kind = Kind::Class;
//!     fn contract() -> Contract {
//!         Contract::new("Crumb", "http://schemas.datacontract.org/2004/07/Voice.Api")
//!     }
//!     fn write_content(&self, w: &mut Writer) -> Result<(), xml::Error> {
//!         w.element("Id", "http://schemas.datacontract.org/2004/07/Voice.Api", &self.id)?;
//!         w.element("Tags", "http://schemas.datacontract.org/2004/07/Voice.Api", &self.tags)
//!     }
//!     fn read_content(r: &mut Reader<'_>) -> Result<Self, xml::Error> {
//!         let mut value = Self::default();
//!         r.read_members(|r, name| {
//!             match name {
//!                 "Id" => value.id = r.read()?,
//!                 "Tags" => value.tags = r.read()?,
//!                 _ => return Ok(false),
//!             }
//!             Ok(true)
//!         })?;
//!         Ok(value)
//!     }
//! }
//!
//! let crumb = Crumb { id: None, tags: vec!["a".into()] };
//! let text = xml::to_string(&crumb)?;
//! assert_eq!(
//!     text,
//!     concat!(
//!         r#"<Crumb xmlns:i="http://www.w3.org/2001/XMLSchema-instance" "#,
//!         r#"xmlns="http://schemas.datacontract.org/2004/07/Voice.Api">"#,
//!         r#"<Id i:nil="true" />"#,
//!         r#"<Tags xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays">"#,
//!         r#"<d2p1:string>a</d2p1:string></Tags></Crumb>"#,
//!     )
//! );
//! assert_eq!(xml::from_str::<Crumb>(&text)?, crumb);
//! # Ok::<(), xml::Error>(())
//! ```

mod builtin;
mod contract;
mod read;
mod values;
mod write;

pub use contract::{
    type_namespace, Contract, Kind, ARRAYS, DATA_CONTRACT_NAMESPACE, SERIALIZATION, SERVICESTACK,
    XSD, XSI,
};
pub use read::Reader;
pub use values::{read_flags, read_int_enum, write_flags, write_int_enum};
pub use write::Writer;

/// The XML declaration ServiceStack servers put before a response body.
pub const DECLARATION: &str = r#"<?xml version="1.0" encoding="utf-8"?>"#;

/// The media type of ServiceStack's XML, as its XML clients send it in `Content-Type` and
/// `Accept` and its servers answer it.
pub const MEDIA_TYPE: &str = "application/xml";

/// Whether a `Content-Type` or `Accept` entry names XML: `application/xml` or `text/xml`, with
/// any parameters, in any case.
///
/// ```
/// assert!(ssdto::xml::is_media_type("Application/XML; charset=utf-8"));
/// assert!(ssdto::xml::is_media_type(" text/xml"));
/// assert!(!ssdto::xml::is_media_type("application/json"));
/// ```
pub fn is_media_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case(MEDIA_TYPE) || essence.eq_ignore_ascii_case("text/xml")
}

/// A type with a DataContractSerializer XML form. Generated types implement it with the
/// generator's `Xml` option; the runtime implements it for Rust's primitives, `String`, `Vec`,
/// `Option`, `Box`, `HashMap`, `BTreeMap`, [`crate::Bytes`], the [`crate::wire`] types,
/// `serde_json::Value` and ServiceStack's built-in types.
///
/// `Default` is what an element marked `i:nil="true"` reads as: `None` for optional members,
/// as a null that ServiceStack's JSON would have left out.
pub trait XmlValue: Default {
    /// Whether the type is written as text, a class or a collection.
    const KIND: Kind;

    /// The type's data contract: the root element's name and namespace, and the name of each
    /// item in a list of it.
    fn contract() -> Contract;

    /// Whether the value is written as `i:nil="true"` (`Option::None`).
    fn is_nil(&self) -> bool {
        false
    }

    /// Writes the content of the element that holds the value: text, or child elements.
    fn write_content(&self, w: &mut Writer) -> Result<(), Error>;

    /// Reads the value from the content of the element the reader has just entered, through
    /// its end tag.
    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error>;
}

/// Whether `value` is its type's default, which a `[DataMember(EmitDefaultValue = false)]`
/// member leaves out of the XML.
pub fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// Bounds on the input [`from_slice_with`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How deeply elements may nest (the root is level 1). Reading recurses once per level, so
    /// this bounds the stack as serde_json's limit of 128 does for JSON.
    pub max_depth: usize,
    /// The largest document accepted, in bytes.
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 128,
            max_bytes: 32 * 1024 * 1024,
        }
    }
}

/// Why XML could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not well-formed XML (or not UTF-8).
    #[error("malformed XML at byte {position}: {message}")]
    Syntax {
        /// Byte offset of the problem.
        position: u64,
        /// What is wrong.
        message: String,
    },
    /// A value has the wrong form for its type (`<Page>two</Page>` for an `int`).
    #[error("invalid {expected} `{value}` in <{path}> at byte {position}")]
    Value {
        /// The element path from the root, `SessionInfo/Members/SessionMemberInfo/Muted`.
        path: String,
        /// What the type needs: `int`, `boolean`, `dateTime`, ...
        expected: &'static str,
        /// The text found (cut to 64 characters).
        value: String,
        /// Byte offset of the element's end.
        position: u64,
    },
    /// Elements nest deeper than [`Limits::max_depth`].
    #[error("XML nested deeper than {limit} elements at byte {position}")]
    TooDeep {
        /// The limit.
        limit: usize,
        /// Byte offset of the element past the limit.
        position: u64,
    },
    /// The document is larger than [`Limits::max_bytes`].
    #[error("the XML document is larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// A value cannot be written as XML: a string holding a character XML 1.0 cannot carry.
    #[error("cannot write XML: {0}")]
    Write(String),
}

/// Writes `value` as a DataContractSerializer document: its root element and content, without
/// an XML declaration (as ServiceStack's clients send request bodies).
pub fn to_string<T: XmlValue>(value: &T) -> Result<String, Error> {
    let mut w = Writer::new(String::new());
    w.root(value)?;
    Ok(w.into_inner())
}

/// [`to_string`] after an XML declaration (as ServiceStack servers send response bodies).
pub fn to_document<T: XmlValue>(value: &T) -> Result<String, Error> {
    let mut w = Writer::new(DECLARATION.to_owned());
    w.root(value)?;
    Ok(w.into_inner())
}

/// Reads a document into `T`, with the default [`Limits`].
pub fn from_str<T: XmlValue>(xml: &str) -> Result<T, Error> {
    from_slice(xml.as_bytes())
}

/// Reads a UTF-8 document (a byte-order mark is allowed) into `T`, with the default [`Limits`].
pub fn from_slice<T: XmlValue>(xml: &[u8]) -> Result<T, Error> {
    from_slice_with(xml, Limits::default())
}

/// Reads a UTF-8 document into `T` within `limits`.
pub fn from_slice_with<T: XmlValue>(xml: &[u8], limits: Limits) -> Result<T, Error> {
    if xml.len() > limits.max_bytes {
        return Err(Error::TooLarge {
            limit: limits.max_bytes,
        });
    }
    Reader::document(xml, limits)
}
