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
            max_depth: limits.max_depth,
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
    fn append_text(&self, event: &Event<'_>, out: &mut String) -> Result<bool, Error> {
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

    /// Skips the rest of the element just entered, whatever it holds, without recursion.
    fn skip(&mut self) -> Result<(), Error> {
        if std::mem::take(&mut self.entered.empty) {
            return Ok(());
        }
        let mut depth = 0usize;
        loop {
            match self.event()? {
                Event::Start(_) => depth += 1,
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
        let mut outside = String::new();
        loop {
            let event = self.event()?;
            let sink = if top {
                Some(&mut outside)
            } else {
                text.as_deref_mut()
            };
            if let Some(sink) = sink {
                if self.append_text(&event, sink)? {
                    if top && !outside.chars().all(|c| c.is_ascii_whitespace()) {
                        return Err(self.syntax("text outside the root element"));
                    }
                    continue;
                }
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
        if self.marks.len() >= self.max_depth {
            return Err(Error::TooDeep {
                limit: self.max_depth,
                position: self.inner.buffer_position(),
            });
        }
        self.marks.push(self.path.len());
        if !self.path.is_empty() {
            self.path.push('/');
        }
        self.path.push_str(name);
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
