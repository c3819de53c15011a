//! Reading: quick-xml parses (namespaces, entities, well-formedness), this walks elements into
//! values, leniently (any member order, unknown elements skipped) and within [`Limits`].

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::reader::NsReader;

use super::contract::XSI;
use super::{Error, Limits, XmlValue};

/// Reads XML for [`XmlValue::read_content`]: a class's members, a collection's items, or text.
///
/// Each `read_content` call starts just inside the element holding the value (its start tag
/// read) and ends after that element's end tag.
#[derive(Debug)]
pub struct Reader<'a> {
    inner: NsReader<&'a [u8]>,
    max_depth: usize,
    /// What the element just entered looks like.
    entered: Entered,
    /// Local names of the open elements, `/`-separated, for error messages.
    path: String,
    marks: Vec<usize>,
}

#[derive(Debug, Default)]
struct Entered {
    /// Self-closing (`<a />`): there is no content and no end tag to read.
    empty: bool,
    /// `i:nil="true"`.
    nil: bool,
    /// The local part of `i:type`, when given.
    xsd_type: Option<String>,
}

/// XML 1.0's `Char`: what text may hold, literally or as a character reference.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The deepest nesting read whatever the limits say: quick-xml counts namespace scopes in 16
/// bits (and overflows past them).
const MAX_NESTING: usize = u16::MAX as usize - 1;

/// How many characters of a bad value an error quotes.
const QUOTED_CHARS: usize = 64;

impl<'a> Reader<'a> {
    /// Reads a whole document: prolog, one root element into `T`, then nothing but comments,
    /// processing instructions and whitespace.
    pub(crate) fn document<T: XmlValue>(xml: &'a [u8], limits: Limits) -> Result<T, Error> {
        let xml = xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(xml);
        let mut inner = NsReader::from_reader(xml);
        let config = inner.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        config.check_end_names = true;
        let mut reader = Reader {
            inner,
            max_depth: limits.max_depth.min(MAX_NESTING),
            entered: Entered::default(),
            path: String::new(),
            marks: Vec::new(),
        };
        let mut name = String::new();
        if !reader.next_element(&mut name, true, None)? {
            return Err(reader.syntax("no root element"));
        }
        reader.enter(&name)?;
        let value = reader.read::<T>()?;
        reader.leave();
        if reader.next_element(&mut name, true, None)? {
            return Err(reader.syntax("content after the root element"));
        }
        Ok(value)
    }

    /// Reads the value of the element just entered (a member or item): `T`'s default for
    /// `i:nil="true"`, else [`XmlValue::read_content`].
    pub fn read<T: XmlValue>(&mut self) -> Result<T, Error> {
        if self.entered.nil {
            self.skip()?;
            return Ok(T::default());
        }
        T::read_content(self)
    }

    /// Reads the child elements of the element just entered, calling `member` with each one's
    /// local name. `member` reads the child (with [`Reader::read`]) and returns `true`, or
    /// returns `false` to have it skipped. Text between children is ignored.
    pub fn read_members(
        &mut self,
        member: impl FnMut(&mut Self, &str) -> Result<bool, Error>,
    ) -> Result<(), Error> {
        self.children(None, member)
    }

    /// [`Reader::read_members`] that also returns the text between the children.
    pub(crate) fn read_mixed(
        &mut self,
        member: impl FnMut(&mut Self, &str) -> Result<bool, Error>,
    ) -> Result<String, Error> {
        let mut text = String::new();
        self.children(Some(&mut text), member)?;
        Ok(text)
    }

    fn children(
        &mut self,
        mut text: Option<&mut String>,
        mut member: impl FnMut(&mut Self, &str) -> Result<bool, Error>,
    ) -> Result<(), Error> {
        if std::mem::take(&mut self.entered.empty) {
            return Ok(());
        }
        let mut name = String::new();
        while self.next_element(&mut name, false, text.as_deref_mut())? {
            self.enter(&name)?;
            if !member(self, &name)? {
                self.skip()?;
            }
            self.leave();
        }
        Ok(())
    }

    /// Reads the text content of the element just entered: text, CDATA and character or
    /// predefined entity references, with line ends normalized as XML requires.
    pub fn text(&mut self) -> Result<String, Error> {
        if std::mem::take(&mut self.entered.empty) {
            return Ok(String::new());
        }
        let mut out = String::new();
        loop {
            let event = self.event()?;
            if self.append_text(&event, &mut out)? {
                continue;
            }
            match event {
                Event::Start(_) | Event::Empty(_) => {
                    return Err(self.syntax("an element where text was expected"))
                }
                Event::End(_) => return Ok(out),
                Event::Eof => return Err(self.syntax("unexpected end of document")),
                Event::DocType(_) => return Err(self.syntax("a DTD is not allowed")),
                _ => {}
            }
        }
    }

    /// Appends the text an event carries to `out`; `false` for events that are not text.
    /// Characters XML 1.0 does not allow, literal or as references, are errors.
    fn append_text(&self, event: &Event<'_>, out: &mut String) -> Result<bool, Error> {
        let start = out.len();
        match event {
            Event::Text(t) => out.push_str(&t.xml10_content().map_err(|e| self.bad(e))?),
            Event::CData(t) => out.push_str(&t.decode().map_err(|e| self.bad(e))?),
            Event::GeneralRef(r) => {
                if let Some(c) = r.resolve_char_ref().map_err(|e| self.bad(e))? {
                    out.push(c);
                } else {
                    let entity = r.decode().map_err(|e| self.bad(e))?;
                    match quick_xml::escape::resolve_predefined_entity(&entity) {
                        Some(text) => out.push_str(text),
                        None => return Err(self.syntax(&format!("unknown entity `&{entity};`"))),
                    }
                }
            }
            _ => return Ok(false),
        }
        if let Some(c) = out[start..].chars().find(|&c| !is_xml_char(c)) {
            let message = format!("character U+{:04X} is not allowed in XML", u32::from(c));
            return Err(self.syntax(&message));
        }
        Ok(true)
    }

    /// The XML Schema type the element just entered names with `i:type` (`string`, `int`),
    /// for values of `object` members.
    pub fn xsd_type(&self) -> Option<&str> {
        self.entered.xsd_type.as_deref()
    }

    /// An error for a value that does not have `expected`'s form.
    pub fn invalid(&self, expected: &'static str, value: &str) -> Error {
        let mut value = value.to_owned();
        if let Some((cut, _)) = value.char_indices().nth(QUOTED_CHARS) {
            value.truncate(cut);
            value.push('…');
        }
        Error::Value {
            path: self.path.clone(),
            expected,
            value,
            position: self.inner.buffer_position(),
        }
    }

    /// Skips the rest of the element just entered, whatever it holds, without recursion, but
    /// within the depth limit and checking text as everywhere else.
    fn skip(&mut self) -> Result<(), Error> {
        if std::mem::take(&mut self.entered.empty) {
            return Ok(());
        }
        let mut depth = 0usize;
        let mut text = String::new();
        loop {
            let event = self.event()?;
            if self.append_text(&event, &mut text)? {
                text.clear();
                continue;
            }
            match event {
                Event::Start(_) => {
                    depth += 1;
                    self.check_depth(self.marks.len() + depth)?;
                }
                Event::End(_) if depth == 0 => return Ok(()),
                Event::End(_) => depth -= 1,
                Event::Eof => return Err(self.syntax("unexpected end of document")),
                Event::DocType(_) => return Err(self.syntax("a DTD is not allowed")),
                _ => {}
            }
        }
    }

    /// Reads up to the next child element (returns `true`, its local name in `name` and its
    /// attributes in `entered`) or the end of the current one (`false`), adding the text on the
    /// way to `text` when given. At document level (`top`) the end is the end of input, and
    /// only markup and whitespace may stand around the root.
    fn next_element(
        &mut self,
        name: &mut String,
        top: bool,
        mut text: Option<&mut String>,
    ) -> Result<bool, Error> {
        // Text that is not kept is still checked (entities, UTF-8), as well-formedness asks.
        let mut ignored = String::new();
        loop {
            let event = self.event()?;
            let sink = match text.as_deref_mut() {
                Some(sink) if !top => sink,
                _ => &mut ignored,
            };
            if self.append_text(&event, sink)? {
                if top && !ignored.chars().all(|c| c.is_ascii_whitespace()) {
                    return Err(self.syntax("text outside the root element"));
                }
                ignored.clear();
                continue;
            }
            let (empty, start) = match event {
                Event::Start(e) => (false, e),
                Event::Empty(e) => (true, e),
                Event::End(_) if !top => return Ok(false),
                Event::Eof if top => return Ok(false),
                Event::Eof => return Err(self.syntax("unexpected end of document")),
                Event::DocType(_) => return Err(self.syntax("a DTD is not allowed")),
                _ => continue,
            };
            name.clear();
            let local = start.local_name();
            name.push_str(std::str::from_utf8(local.as_ref()).map_err(|e| self.bad(e))?);
            self.entered = self.attributes(&start, empty)?;
            return Ok(true);
        }
    }

    fn attributes(&self, start: &BytesStart<'_>, empty: bool) -> Result<Entered, Error> {
        let mut entered = Entered {
            empty,
            ..Entered::default()
        };
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.bad(e))?;
            let (ns, local) = self.inner.resolver().resolve_attribute(attr.key);
            let is_xsi = match ns {
                ResolveResult::Bound(Namespace(ns)) => ns == XSI.as_bytes(),
                // An undeclared `i:` is read as .NET's usual prefix rather than refused.
                ResolveResult::Unknown(prefix) => prefix == b"i",
                ResolveResult::Unbound => false,
            };
            if !is_xsi {
                continue;
            }
            match local.as_ref() {
                b"nil" => entered.nil = attr.as_bool().unwrap_or(false),
                b"type" => {
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::default())
                        .map_err(|e| self.bad(e))?;
                    let local = value.rsplit(':').next().unwrap_or_default();
                    entered.xsd_type = Some(local.to_owned());
                }
                _ => {}
            }
        }
        Ok(entered)
    }

    fn enter(&mut self, name: &str) -> Result<(), Error> {
        self.check_depth(self.marks.len() + 1)?;
        self.marks.push(self.path.len());
        if !self.path.is_empty() {
            self.path.push('/');
        }
        self.path.push_str(name);
        Ok(())
    }

    fn check_depth(&self, depth: usize) -> Result<(), Error> {
        if depth > self.max_depth {
            return Err(Error::TooDeep {
                limit: self.max_depth,
                position: self.inner.buffer_position(),
            });
        }
        Ok(())
    }

    fn leave(&mut self) {
        if let Some(mark) = self.marks.pop() {
            self.path.truncate(mark);
        }
    }

    fn event(&mut self) -> Result<Event<'a>, Error> {
        self.inner.read_event().map_err(|e| Error::Syntax {
            position: self.inner.error_position(),
            message: e.to_string(),
        })
    }

    fn syntax(&self, message: &str) -> Error {
        Error::Syntax {
            position: self.inner.buffer_position(),
            message: message.to_owned(),
        }
    }

    fn bad(&self, e: impl std::fmt::Display) -> Error {
        self.syntax(&e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::status::{ErrorResponse, ResponseStatus};
    use crate::xml::{from_slice_with, from_str};

    const SS: &str = r#"xmlns="http://schemas.servicestack.net/types""#;

    /// Reads `input` as several shapes; none may panic, all must fail.
    fn fails_as_every_shape(input: &[u8]) {
        let limits = Limits::default();
        let results = [
            from_slice_with::<String>(input, limits).err(),
            from_slice_with::<i32>(input, limits).err(),
            from_slice_with::<Vec<String>>(input, limits).err(),
            from_slice_with::<HashMap<String, i64>>(input, limits).err(),
            from_slice_with::<Option<ErrorResponse>>(input, limits).err(),
            from_slice_with::<serde_json::Value>(input, limits).err(),
        ];
        for (i, err) in results.iter().enumerate() {
            assert!(
                err.is_some(),
                "shape {i} accepted {:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn malformed_documents_are_errors() {
        for input in [
            &b""[..],
            b"   ",
            b"<",
            b"<a",
            b"<a>",
            b"<a><b></a>",
            b"<a></b>",
            b"</a>",
            b"<a>&bogus;</a>",
            b"<a>&#0;</a>",
            b"<a>&#xZZ;</a>",
            b"<a>&amp</a>",
            b"<a x=1/>",
            b"<a x='1' x='2'/>",
            b"<a>1</a>trailing",
            b"<a>1</a><b/>",
            b"text<a>1</a>",
            b"<a>\xff</a>",
            b"<\xff/>",
            b"<a><![CDATA[x</a>",
            b"<a><!-- </a>",
            b"<?xml version='1.0'?>",
            b"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>",
            b"<a><!DOCTYPE a></a>",
            b"<a>&#1;</a>",
            b"<a>&#xFFFE;</a>",
            b"<a>\x01</a>",
            b"<a><b>\x1b</b></a>",
        ] {
            fails_as_every_shape(input);
        }
        // Well-formed, but an element where a value's text belongs.
        assert!(matches!(
            from_str::<Vec<String>>("<a><b>1</b><b>2<c/></b></a>"),
            Err(Error::Syntax { .. })
        ));
    }

    #[test]
    fn a_dtd_is_refused_so_entities_cannot_expand() {
        let bomb = concat!(
            r#"<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>"#,
            "<string>&lol2;</string>"
        );
        let err = from_str::<String>(bomb).unwrap_err();
        assert!(err.to_string().contains("DTD"), "{err}");
    }

    #[test]
    fn nesting_is_bounded_without_recursion_on_skipped_content() {
        // Known content recurses once per level: bounded by max_depth.
        let deep = format!("{}{}", "<a>".repeat(200), "</a>".repeat(200));
        assert!(matches!(
            from_str::<serde_json::Value>(&deep),
            Err(Error::TooDeep { limit: 128, .. })
        ));
        let limits = Limits {
            max_depth: 3,
            ..Limits::default()
        };
        let three = "<ArrayOfArrayOfint><ArrayOfint><int>1</int></ArrayOfint></ArrayOfArrayOfint>";
        assert_eq!(
            from_slice_with::<Vec<Vec<i32>>>(three.as_bytes(), limits),
            Ok(vec![vec![1]])
        );
        let four =
            "<ArrayOfArrayOfArrayOfint><a><b><int>1</int></b></a></ArrayOfArrayOfArrayOfint>";
        assert!(matches!(
            from_slice_with::<Vec<Vec<Vec<i32>>>>(four.as_bytes(), limits),
            Err(Error::TooDeep { limit: 3, .. })
        ));
        // Unknown content is skipped in a loop, within the same limit.
        let unknown = |levels: usize| {
            format!(
                "<ResponseStatus {SS}><Junk>{}{}</Junk><Message>m</Message></ResponseStatus>",
                "<x>".repeat(levels),
                "</x>".repeat(levels)
            )
        };
        let status: ResponseStatus = from_str(&unknown(126)).unwrap();
        assert_eq!(status.message.as_deref(), Some("m"));
        assert!(matches!(
            from_str::<ResponseStatus>(&unknown(127)),
            Err(Error::TooDeep { limit: 128, .. })
        ));
        // Past quick-xml's 16-bit scope counter, even with no limit asked for.
        let unbounded = Limits {
            max_depth: usize::MAX,
            ..Limits::default()
        };
        assert!(matches!(
            from_slice_with::<ResponseStatus>(unknown(70_000).as_bytes(), unbounded),
            Err(Error::TooDeep { .. })
        ));
    }

    #[test]
    fn size_is_bounded() {
        let limits = Limits {
            max_bytes: 20,
            ..Limits::default()
        };
        assert_eq!(
            from_slice_with::<String>(b"<string>0123456789</string>", limits),
            Err(Error::TooLarge { limit: 20 })
        );
        assert_eq!(
            from_slice_with::<String>(b"<string>01</string>", limits),
            Ok("01".into())
        );
    }

    #[test]
    fn prolog_bom_comments_and_prefixes_are_accepted() {
        let text = "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- c --><?pi x?>\n\
                    <p:ArrayOfstring xmlns:p=\"urn:any\"><p:string>a</p:string><!-- c -->\
                    <p:string><![CDATA[<b>]]>&lt;&#x263A;</p:string><p:string/></p:ArrayOfstring>\n<!-- end -->\n";
        assert_eq!(
            from_str::<Vec<String>>(text),
            Ok(vec!["a".into(), "<b><\u{263A}".into(), String::new()])
        );
    }

    #[test]
    fn nil_reads_as_default_and_line_ends_are_normalized() {
        let xsi = r#"xmlns:i="http://www.w3.org/2001/XMLSchema-instance""#;
        let text = format!(
            "<ArrayOfint {xsi}><int i:nil=\"true\"/><int i:nil=\"1\">9</int><int i:nil=\"false\">3</int></ArrayOfint>"
        );
        assert_eq!(from_str::<Vec<i32>>(&text), Ok(vec![0, 0, 3]));
        let text = format!("<ArrayOfint {xsi}><int i:nil=\"true\"/><int>3</int></ArrayOfint>");
        assert_eq!(from_str::<Vec<Option<i32>>>(&text), Ok(vec![None, Some(3)]));
        assert_eq!(
            from_str::<String>("<s>a\r\nb\rc&#xD;</s>"),
            Ok("a\nb\nc\r".into())
        );
    }

    #[test]
    fn members_in_any_order_unknown_ones_skipped() {
        let text = format!(
            "<ErrorResponse {SS}><Extra><ResponseStatus><Message>no</Message></ResponseStatus></Extra>\
             <ResponseStatus><Meta/><Message>yes</Message><Unknown a='1'>x<y/></Unknown>\
             <ErrorCode>E</ErrorCode></ResponseStatus></ErrorResponse>"
        );
        let err: ErrorResponse = from_str(&text).unwrap();
        assert_eq!(err.response_status.message.as_deref(), Some("yes"));
        assert_eq!(err.response_status.error_code.as_deref(), Some("E"));
        assert_eq!(err.response_status.meta, Some(HashMap::new()));
    }
}
