//! The `impl Request` of a request type, built in one place for the generator and for
//! `#[derive(Request)]` (ssdto-macros), so both say the same thing the same way.
//!
//! Public only for ssdto-macros (`ssdto_gen::request_impl`); not a stable API.

use proc_macro2::{Group, TokenStream, TokenTree};
use ssdto_protocol::{default_method, Method};

use super::writer::{Writer, INDENT};

/// How a response body travels (`ssdto::ResponseFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A serialized DTO (the default).
    #[default]
    Dto,
    /// The raw text of a `string` result.
    Text,
    /// The raw bytes of a `byte[]` or `Stream` result.
    Bytes,
}

/// A declared route: its path template and verbs (empty for any verb).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    /// The path template.
    pub path: String,
    /// The verbs; empty for any verb.
    pub verbs: Vec<Method>,
}

/// Everything an `impl Request` says, as Rust text.
#[derive(Debug)]
pub struct RequestImpl<'a> {
    /// The runtime crate's path, `::ssdto` unless the derive names another.
    pub krate: &'a str,
    /// `impl` generics, the type's generics, and the where clause (empty for none).
    pub generics: [&'a str; 3],
    /// The type.
    pub ident: &'a str,
    /// Attributes on the impl (`#[automatically_derived]`, lint allows), one per entry.
    pub attrs: &'a [&'a str],
    /// The operation name on the wire.
    pub operation: &'a str,
    /// The verb, when the contract or the attributes name it; else [`default_method`].
    pub method: Option<Method>,
    /// Declared routes.
    pub routes: &'a [RouteSpec],
    /// The response type; `None` for an operation that answers nothing.
    pub response: Option<&'a str>,
    /// How the response body travels.
    pub format: Format,
}

impl RequestImpl<'_> {
    /// The `impl` block as tokens. Each `(name, tokens)` of `splice` replaces the identifier
    /// `name` wherever the text has it, so the derive can keep its input's spans: it passes
    /// placeholders as text and its tokens here.
    pub fn tokens(
        &self,
        splice: &[(&str, TokenStream)],
    ) -> Result<TokenStream, proc_macro2::LexError> {
        let mut w = Writer::new();
        self.write(&mut w);
        // Nothing reads this text: laid out on one line, no break adds a trailing comma.
        let tokens: TokenStream = w.finish_unbroken().parse()?;
        Ok(if splice.is_empty() {
            tokens
        } else {
            replace(tokens, splice)
        })
    }

    /// Writes the `impl` block, laid out as prettyplease lays out the same syntax. Constants
    /// the trait defaults (no routes, a response, DTO bodies) are left out, as hand-written
    /// code leaves them out.
    pub(super) fn write(&self, w: &mut Writer) {
        let krate = self.krate;
        let method = self
            .method
            .unwrap_or_else(|| default_method(self.routes.iter().map(|r| r.verbs.as_slice())));
        for attr in self.attrs {
            w.word(attr);
            w.space();
        }
        let [impl_generics, ty_generics, where_clause] = self.generics;
        w.cbox(INDENT);
        w.ibox(-INDENT);
        w.word("impl");
        // The generator has no generics; the derive's are separate tokens.
        if !impl_generics.is_empty() {
            w.word(" ");
            w.word(impl_generics);
        }
        w.word(" ");
        w.word_fmt(format_args!("{krate}::Request"));
        w.space();
        w.word("for ");
        w.word(self.ident);
        if !ty_generics.is_empty() {
            w.word(" ");
            w.word(ty_generics);
        }
        w.end();
        if !where_clause.is_empty() {
            w.word(" ");
            w.word(where_clause);
        }
        w.word(" ");
        w.word("{");
        w.hardbreak_if_nonempty();

        w.cbox(INDENT);
        w.word("type Response = ");
        w.neverbreak();
        w.ibox(-INDENT);
        match self.response {
            Some(ty) => w.ty(ty),
            None => w.word_fmt(format_args!("{krate}::Void")),
        }
        w.end();
        w.word(";");
        w.end();
        w.hardbreak();

        constant_head(w, "OPERATION: &'static str");
        w.string_literal(self.operation);
        constant_tail(w);

        constant_head(w, &format!("METHOD: {krate}::Method"));
        method_path(w, krate, method);
        constant_tail(w);

        if !self.routes.is_empty() {
            constant_head(w, &format!("ROUTES: &'static [{krate}::Route]"));
            w.word("&");
            list(w, self.routes, |w, route| {
                w.word_fmt(format_args!("{krate}::Route::new("));
                w.cbox(INDENT);
                w.zerobreak();
                w.string_literal(&route.path);
                w.trailing_comma(false);
                w.word("&");
                list(w, &route.verbs, |w, verb| method_path(w, krate, *verb));
                w.trailing_comma(true);
                w.offset(-INDENT);
                w.end();
                w.word(")");
            });
            constant_tail(w);
        }
        if self.response.is_none() {
            constant_head(w, "RETURNS_VOID: bool");
            w.word("true");
            constant_tail(w);
        }
        let format = match self.format {
            Format::Dto => None,
            Format::Text => Some("Text"),
            Format::Bytes => Some("Bytes"),
        };
        if let Some(format) = format {
            constant_head(w, &format!("RESPONSE_FORMAT: {krate}::ResponseFormat"));
            w.word_fmt(format_args!("{krate}::ResponseFormat::{format}"));
            constant_tail(w);
        }

        w.offset(-INDENT);
        w.end();
        w.word("}");
        w.hardbreak();
    }
}

/// `const NAME: Type = `, up to the value.
fn constant_head(w: &mut Writer, name_and_type: &str) {
    w.cbox(0);
    w.word_fmt(format_args!("const {name_and_type} = "));
    w.neverbreak();
}

fn constant_tail(w: &mut Writer) {
    w.word(";");
    w.end();
    w.hardbreak();
}

fn method_path(w: &mut Writer, krate: &str, verb: Method) {
    w.word_fmt(format_args!("{krate}::Method::{}", verb.variant_name()));
}

/// `[a, b]` of expressions that are not literals: one per line when they do not fit.
fn list<T>(w: &mut Writer, items: &[T], mut element: impl FnMut(&mut Writer, &T)) {
    if items.is_empty() {
        w.word("[]");
        return;
    }
    w.word("[");
    w.cbox(INDENT);
    w.zerobreak();
    for (i, item) in items.iter().enumerate() {
        element(w, item);
        w.trailing_comma(i + 1 == items.len());
    }
    w.offset(-INDENT);
    w.end();
    w.word("]");
}

/// `tokens` with each identifier named in `splice` replaced by its tokens.
fn replace(tokens: TokenStream, splice: &[(&str, TokenStream)]) -> TokenStream {
    let mut out = TokenStream::new();
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                match splice.iter().find(|(placeholder, _)| *placeholder == name) {
                    Some((_, tokens)) => out.extend(tokens.clone()),
                    None => out.extend([TokenTree::Ident(ident)]),
                }
            }
            TokenTree::Group(group) => {
                let mut new = Group::new(group.delimiter(), replace(group.stream(), splice));
                new.set_span(group.span());
                out.extend([TokenTree::Group(new)]);
            }
            other => out.extend([other]),
        }
    }
    out
}
