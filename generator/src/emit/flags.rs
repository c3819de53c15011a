//! `[Flags]` enums: a tuple struct over `i64` with a constant per member, its
//! `ssdto::flags::Flags` impl (the members with their .NET names), and `ssdto::flags!` for the
//! operators, `Debug` and serde (see the runtime's `flags` module).

use super::writer::{Writer, INDENT};
use super::{derive_attr, docs, ident, item_docs, Derives, Spelling};
use crate::error::Error;
use crate::model::{EnumDef, Item};

/// What `ssdto::flags!` implements itself; an `AddDerives` entry naming one of these would be
/// a conflicting second impl.
const PROVIDED: &[&str] = &["Debug", "Serialize", "Deserialize"];

pub(super) fn write(
    w: &mut Writer,
    item: &Item,
    e: &EnumDef,
    sp: Spelling<'_>,
    extra: &Derives,
) -> Result<(), Error> {
    let name = ident(&item.name)?;
    item_docs(w, item, sp);
    let extra = extra.without(PROVIDED);
    derive_attr(
        w,
        &["Clone", "Copy", "PartialEq", "Eq", "Hash", "Default"],
        &extra,
    );
    // `pub struct Name(i64);`
    w.cbox(INDENT);
    w.word_fmt(format_args!("pub struct {name}("));
    w.zerobreak();
    w.word("i64");
    w.trailing_comma(true);
    w.offset(-INDENT);
    w.word(");");
    w.end();
    w.hardbreak();

    impl_head(w, "", name);
    for m in &e.members {
        for line in docs::text(m.description.as_deref(), sp.space) {
            w.doc(&line);
        }
        w.cbox(0);
        w.word_fmt(format_args!("pub const {}: Self = ", ident(&m.name)?));
        w.neverbreak();
        w.word("Self(");
        w.cbox(INDENT);
        w.zerobreak();
        w.word_fmt(format_args!("{}", m.value));
        w.trailing_comma(true);
        w.offset(-INDENT);
        w.end();
        w.word(");");
        w.end();
        w.hardbreak();
    }
    impl_tail(w);

    impl_head(w, "::ssdto::flags::Flags", name);
    w.cbox(0);
    w.word("const MEMBERS: &'static [(&'static str, Self)] = ");
    w.neverbreak();
    w.word("&");
    if e.members.is_empty() {
        w.word("[]");
    } else {
        w.word("[");
        w.cbox(INDENT);
        w.zerobreak();
        for (i, m) in e.members.iter().enumerate() {
            // `("Name", Self::Name)`, a tuple expression.
            w.word("(");
            w.cbox(INDENT);
            w.zerobreak();
            w.string_literal(&m.wire);
            w.trailing_comma(false);
            w.word_fmt(format_args!("Self::{}", ident(&m.name)?));
            w.trailing_comma(true);
            w.offset(-INDENT);
            w.end();
            w.word(")");
            w.trailing_comma(i + 1 == e.members.len());
        }
        w.offset(-INDENT);
        w.end();
        w.word("]");
    }
    w.word(";");
    w.end();
    w.hardbreak();
    for line in [
        "fn bits(&self) -> i64 {",
        "self.0",
        "}",
        "fn from_bits_retain(bits: i64) -> Self {",
        "Self(bits)",
        "}",
    ] {
        // Short and fixed: they never break, whatever boxes hold them.
        if line == "}" {
            w.offset(-INDENT);
            w.end();
            w.word(line);
            w.hardbreak();
        } else if line.ends_with('{') {
            w.cbox(INDENT);
            w.word(line);
            w.hardbreak();
        } else {
            w.word(line);
            w.hardbreak();
        }
    }
    impl_tail(w);

    // `::ssdto::flags!(Name);`, a macro call.
    w.word("::ssdto::flags!(");
    w.cbox(INDENT);
    w.zerobreak();
    w.word(name);
    w.zerobreak();
    w.offset(-INDENT);
    w.end();
    w.word(");");
    w.hardbreak();
    Ok(())
}

/// `impl Name {` or `impl Trait for Name {`, laid out as prettyplease lays out an impl's head.
pub(super) fn impl_head(w: &mut Writer, trait_path: &str, name: &str) {
    w.cbox(INDENT);
    w.ibox(-INDENT);
    w.word("impl ");
    if !trait_path.is_empty() {
        w.word(trait_path);
        w.space();
        w.word("for ");
    }
    w.word(name);
    w.end();
    w.word(" {");
    w.hardbreak_if_nonempty();
}

/// The `}` of [`impl_head`].
pub(super) fn impl_tail(w: &mut Writer) {
    w.offset(-INDENT);
    w.end();
    w.word("}");
    w.hardbreak();
}
