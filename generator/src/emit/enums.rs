//! String and integer enums, written as calls of the runtime's `ssdto::string_enum!` and
//! `ssdto::int_enum!`: the call holds the enum as a reader expects it (docs, derives, each
//! member with its wire value) and the runtime writes the conversions and serde.
//!
//! The call is written as the enum it declares, with each member's wire value as its
//! discriminant, and then wrapped, as rustfmt leaves a brace-delimited macro body as it is.

use super::writer::{blank_lines, Writer, INDENT};
use super::{derive_attr, docs, ident, item_docs, Derives, Spelling};
use crate::error::Error;
use crate::model::{EnumDef, Item};

/// What a string enum derives.
pub(super) const STRING_DERIVES: &[&str] =
    &["Debug", "Clone", "PartialEq", "Eq", "Hash", "Default"];

/// What an integer enum derives.
pub(super) const INT_DERIVES: &[&str] = &[
    "Debug",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "Hash",
    "Default",
];

/// The formatted `ssdto::string_enum!` or `ssdto::int_enum!` call for `item`, indented by
/// `indent` (a module's items are).
pub(super) fn text(
    item: &Item,
    e: &EnumDef,
    sp: Spelling<'_>,
    extra: &Derives,
    indent: usize,
) -> Result<String, Error> {
    let mut w = Writer::new();
    item_docs(&mut w, item, sp);
    let mac = if e.int {
        derive_attr(&mut w, INT_DERIVES, extra);
        "int_enum"
    } else {
        derive_attr(&mut w, STRING_DERIVES, extra);
        "string_enum"
    };
    w.cbox(INDENT);
    w.word_fmt(format_args!("pub enum {} ", ident(&item.name)?));
    w.word("{");
    w.hardbreak_if_nonempty();
    for (i, m) in e.members.iter().enumerate() {
        for line in docs::text(m.description.as_deref(), sp.space) {
            w.doc(&line);
        }
        if i == 0 {
            w.attr_word("default");
        }
        w.word_fmt(format_args!("{} = ", ident(&m.name)?));
        if e.int {
            // The tuple `(value, "wire")`, as prettyplease lays out a tuple expression.
            w.word("(");
            w.cbox(INDENT);
            w.zerobreak();
            w.word_fmt(format_args!("{}", m.value));
            w.trailing_comma(false);
            w.string_literal(&m.wire);
            w.trailing_comma(true);
            w.offset(-INDENT);
            w.end();
            w.word(")");
        } else {
            w.string_literal(&m.wire);
        }
        w.word(",");
        w.hardbreak();
    }
    let unknown = ident(&e.unknown)?;
    w.word(unknown);
    w.word(",");
    w.hardbreak();
    w.offset(-INDENT);
    w.end();
    w.word("}");
    w.hardbreak();
    // The unknown variant stands where the call writes `..Unknown`: naming keeps it distinct
    // from every member, so it is the enum's last line but one.
    let text = blank_lines(&w.finish(indent), indent);
    Ok(wrap(&text, mac, unknown, indent > 0))
}

/// Wraps the formatted enum in `ssdto::<mac>! { .. }` and turns its `unknown,` line into
/// `..unknown`.
pub(super) fn wrap(text: &str, mac: &str, unknown: &str, in_module: bool) -> String {
    let outer = if in_module { "    " } else { "" };
    let unknown_line = format!("{outer}    {unknown},");
    let mut out = String::with_capacity(text.len() + text.len() / 8 + 32);
    out.push_str(&format!("{outer}::ssdto::{mac}! {{\n"));
    for line in text.lines() {
        if line == unknown_line {
            out.push_str(&format!("{outer}        ..{unknown}\n"));
        } else if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("    {line}\n"));
        }
    }
    out.push_str(&format!("{outer}}}\n"));
    out
}
