//! Writing: DataContractSerializer's choice of namespace declarations and prefixes.
//!
//! .NET writes an element in a namespace that is not in scope by redefining the default
//! namespace on it (`<CreatedBy xmlns="...Voice.Api">`), and declares the namespace of a class
//! or collection held by a member on the member's element with a generated prefix
//! `d{depth}p{n}` (`<CustomerBreadcrumb xmlns:d2p1="...Customers">`), which the value's own
//! elements then use. Empty elements are written `<a />`, as .NET's XML writers do.

use super::contract::{SERIALIZATION, XSI};
use super::read::is_xml_char;
use super::{Error, Kind, XmlValue};

/// Writes XML for [`XmlValue::write_content`]: elements holding values, and text.
#[derive(Debug)]
pub struct Writer {
    out: String,
    /// Qualified names of the open elements, one after another.
    names: String,
    open: Vec<Open>,
    /// Namespace bindings in scope, innermost last: (prefix, namespace), `""` the default.
    bindings: Vec<(String, String)>,
    /// The last start tag is not closed yet: attributes may still be added.
    tag_open: bool,
    /// The default namespace the open start tag redefines, written last as .NET does.
    pending_default: Option<String>,
    /// The next generated prefix number on the current element.
    prefixes: u32,
}

#[derive(Debug)]
struct Open {
    name_start: usize,
    bindings: usize,
}

impl Writer {
    pub(crate) fn new(out: String) -> Self {
        Writer {
            out,
            names: String::new(),
            open: Vec::new(),
            bindings: vec![(String::new(), String::new())],
            tag_open: false,
            pending_default: None,
            prefixes: 1,
        }
    }

    pub(crate) fn into_inner(self) -> String {
        self.out
    }

    /// The root element: the value's contract, with `xmlns:i` declared first. A primitive at
    /// the root is in .NET's serialization namespace (`<string xmlns="...Serialization/">`).
    pub(crate) fn root<T: XmlValue>(&mut self, value: &T) -> Result<(), Error> {
        let mut contract = T::contract();
        if T::KIND == Kind::Primitive {
            contract.namespace = SERIALIZATION.into();
        }
        self.start(&contract.name, &contract.namespace);
        self.out.push_str(" xmlns:i=\"");
        self.out.push_str(XSI);
        self.out.push('"');
        self.bindings.push(("i".into(), XSI.into()));
        self.content(&contract.namespace, value)?;
        self.end();
        Ok(())
    }

    /// Writes an element `name` in `namespace` holding `value`: a member of a class (in the
    /// declaring class's namespace) or an item of a collection (in the collection's).
    pub fn element<T: XmlValue>(
        &mut self,
        name: &str,
        namespace: &str,
        value: &T,
    ) -> Result<(), Error> {
        self.start(name, namespace);
        self.content(namespace, value)?;
        self.end();
        Ok(())
    }

    fn content<T: XmlValue>(&mut self, namespace: &str, value: &T) -> Result<(), Error> {
        if value.is_nil() {
            self.nil();
            return Ok(());
        }
        if matches!(T::KIND, Kind::Class | Kind::Collection) {
            let contract = T::contract();
            if !contract.namespace.is_empty() && contract.namespace != namespace {
                self.declare(&contract.namespace);
            }
        }
        value.write_content(self)
    }

    /// Writes text content, escaped. Fails on characters XML 1.0 cannot carry (controls other
    /// than tab, line feed and carriage return, U+FFFE, U+FFFF), as .NET does.
    pub fn text(&mut self, text: &str) -> Result<(), Error> {
        if text.is_empty() {
            return Ok(());
        }
        self.close_start_tag();
        let mut rest = text;
        while let Some(i) =
            rest.find(|c: char| matches!(c, '<' | '>' | '&' | '\r') || !is_xml_char(c))
        {
            self.out.push_str(&rest[..i]);
            let c = rest[i..].chars().next().unwrap_or_default();
            match c {
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '&' => self.out.push_str("&amp;"),
                // A literal CR would be read back as a line feed.
                '\r' => self.out.push_str("&#xD;"),
                other => {
                    return Err(Error::Write(format!(
                        "character U+{:04X} is not allowed in XML",
                        u32::from(other)
                    )))
                }
            }
            rest = &rest[i + c.len_utf8()..];
        }
        self.out.push_str(rest);
        Ok(())
    }

    /// Opens an element: the prefix bound to `namespace`, or a redefined default namespace.
    pub(crate) fn start(&mut self, local: &str, namespace: &str) {
        self.close_start_tag();
        let name_start = self.names.len();
        let bindings = self.bindings.len();
        match self.lookup(namespace) {
            Some(prefix) if !prefix.is_empty() => {
                let prefix = prefix.to_owned();
                self.names.push_str(&prefix);
                self.names.push(':');
            }
            Some(_) => {}
            None => {
                self.bindings.push((String::new(), namespace.to_owned()));
                self.pending_default = Some(namespace.to_owned());
            }
        }
        self.names.push_str(local);
        self.out.push('<');
        self.out.push_str(&self.names[name_start..]);
        self.open.push(Open {
            name_start,
            bindings,
        });
        self.tag_open = true;
        self.prefixes = 1;
    }

    /// Closes the innermost element.
    pub(crate) fn end(&mut self) {
        let Some(open) = self.open.pop() else { return };
        if self.tag_open {
            self.write_pending_default();
            self.out.push_str(" />");
            self.tag_open = false;
        } else {
            self.out.push_str("</");
            self.out.push_str(&self.names[open.name_start..]);
            self.out.push('>');
        }
        self.names.truncate(open.name_start);
        self.bindings.truncate(open.bindings);
    }

    /// Declares `namespace` on the open start tag with a generated prefix, unless a prefix for
    /// it is already in scope (.NET's `XmlWriterDelegator.WriteXmlnsAttribute`).
    pub(crate) fn declare(&mut self, namespace: &str) -> String {
        if let Some(prefix) = self.lookup(namespace) {
            return prefix.to_owned();
        }
        let prefix = format!("d{}p{}", self.open.len(), self.prefixes);
        self.prefixes += 1;
        self.attribute_raw(&format!("xmlns:{prefix}"), namespace);
        self.bindings.push((prefix.clone(), namespace.to_owned()));
        prefix
    }

    /// Marks the open element `i:nil="true"`.
    fn nil(&mut self) {
        let prefix = self.declare(XSI);
        let name = if prefix.is_empty() {
            "nil".to_owned()
        } else {
            format!("{prefix}:nil")
        };
        self.attribute_raw(&name, "true");
    }

    /// Marks the open element with an XML Schema type, `i:type="d2p1:string"`, as .NET does for
    /// a value held by an `object` member.
    pub(crate) fn xsd_type(&mut self, type_name: &str) {
        let xsd = self.declare(super::contract::XSD);
        let xsi = self.declare(XSI);
        let qualified = |prefix: &str, local: &str| {
            if prefix.is_empty() {
                local.to_owned()
            } else {
                format!("{prefix}:{local}")
            }
        };
        let value = qualified(&xsd, type_name);
        self.attribute_raw(&qualified(&xsi, "type"), &value);
    }

    fn attribute_raw(&mut self, name: &str, value: &str) {
        if !self.tag_open {
            return;
        }
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.out.push_str(&quick_xml::escape::escape(value));
        self.out.push('"');
    }

    /// The default namespace in scope.
    pub(crate) fn default_namespace(&self) -> String {
        self.bindings
            .iter()
            .rev()
            .find(|(prefix, _)| prefix.is_empty())
            .map(|(_, namespace)| namespace.clone())
            .unwrap_or_default()
    }

    /// The prefix bound to `namespace` in scope and not shadowed by an inner binding of the
    /// same prefix; `""` for the default namespace.
    fn lookup(&self, namespace: &str) -> Option<&str> {
        let bindings = &self.bindings;
        (0..bindings.len())
            .rev()
            .find(|&i| {
                let (prefix, bound) = &bindings[i];
                bound == namespace && !bindings[i + 1..].iter().any(|(p, _)| p == prefix)
            })
            .map(|i| bindings[i].0.as_str())
    }

    fn close_start_tag(&mut self) {
        if self.tag_open {
            self.write_pending_default();
            self.out.push('>');
            self.tag_open = false;
        }
    }

    fn write_pending_default(&mut self) {
        if let Some(namespace) = self.pending_default.take() {
            self.out.push_str(" xmlns=\"");
            self.out
                .push_str(&quick_xml::escape::escape(namespace.as_str()));
            self.out.push('"');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_namespace_is_redefined_and_restored() {
        let mut w = Writer::new(String::new());
        w.start("A", "urn:a");
        w.start("B", "urn:b");
        w.end();
        w.start("C", "urn:a");
        w.end();
        w.end();
        assert_eq!(
            w.into_inner(),
            r#"<A xmlns="urn:a"><B xmlns="urn:b" /><C /></A>"#
        );
    }

    #[test]
    fn declared_prefixes_count_per_element_and_depth() {
        let mut w = Writer::new(String::new());
        w.start("A", "urn:a");
        w.start("B", "urn:a");
        assert_eq!(w.declare("urn:x"), "d2p1");
        assert_eq!(w.declare("urn:y"), "d2p2");
        assert_eq!(w.declare("urn:x"), "d2p1");
        w.start("Item", "urn:x");
        w.end();
        w.end();
        w.start("D", "urn:x");
        w.end();
        w.end();
        assert_eq!(
            w.into_inner(),
            concat!(
                r#"<A xmlns="urn:a"><B xmlns:d2p1="urn:x" xmlns:d2p2="urn:y">"#,
                r#"<d2p1:Item /></B><D xmlns="urn:x" /></A>"#
            )
        );
    }

    #[test]
    fn text_is_escaped_and_bad_characters_refused() {
        let mut w = Writer::new(String::new());
        w.start("A", "");
        assert!(w.text("a<b>&\"c'\r\n\td").is_ok());
        assert!(matches!(w.text("\u{1}"), Err(Error::Write(_))));
        assert!(matches!(w.text("\u{FFFF}"), Err(Error::Write(_))));
        w.end();
        assert_eq!(w.into_inner(), "<A>a&lt;b&gt;&amp;\"c'&#xD;\n\td</A>");
    }
}
