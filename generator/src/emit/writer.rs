//! The text writer: emit describes each item as words, breaks and boxes, and this lays them out
//! at 100 columns.
//!
//! The layout is Oppen's pretty-printing algorithm with the parameters and box shapes
//! prettyplease uses (a line holds 89 columns of text after its indentation, at least 60;
//! consistent boxes break at every break or none, inconsistent ones only where the rest does
//! not fit). Emit builds the same boxes prettyplease would build for the syntax tree of the
//! same item, so the output is what quote -> syn -> prettyplease wrote before, byte for byte
//! (`emit::tests` compares the two), without a syntax tree.
//!
//! A break's size is the width of everything up to the next break of its own box or an
//! enclosing one; a box's size runs from its start to the first break after its end. A box
//! that does not fit in what is left of the line is broken.

use std::fmt::Write as _;

/// Columns of text a line may hold after its indentation.
const MARGIN: isize = 89;
/// Columns every line may hold, however deep its indentation.
const MIN_SPACE: isize = 60;
/// One level of indentation.
pub(super) const INDENT: isize = 4;
/// The size of a break that always breaks.
const HARD: isize = 0xffff;

#[derive(Debug, Clone, Copy)]
enum Token {
    /// Text, as a range of the writer's buffer.
    Text {
        start: u32,
        end: u32,
    },
    Break(Break),
    Begin {
        offset: isize,
        consistent: bool,
    },
    End,
}

#[derive(Debug, Clone, Copy, Default)]
struct Break {
    /// Spaces written when the break does not break.
    blank: isize,
    /// Added to the box's indentation when it breaks.
    offset: isize,
    /// A comma written before the line ends, when it breaks (trailing commas).
    comma: bool,
    /// Dropped when it is the last thing in its box.
    if_nonempty: bool,
    never: bool,
}

/// One item (or a few) being written: the words and breaks, then [`Writer::finish`] lays them
/// out.
#[derive(Debug, Default)]
pub(super) struct Writer {
    text: String,
    tokens: Vec<Token>,
}

impl Writer {
    pub(super) fn new() -> Self {
        Writer::default()
    }

    /// Text that never breaks inside.
    pub(super) fn word(&mut self, text: &str) {
        let start = self.text.len() as u32;
        self.text.push_str(text);
        let end = self.text.len() as u32;
        self.tokens.push(Token::Text { start, end });
    }

    /// Text written with `format!` arguments, without an intermediate `String`.
    pub(super) fn word_fmt(&mut self, args: std::fmt::Arguments<'_>) {
        let start = self.text.len() as u32;
        // Writing into a `String` cannot fail.
        let _ = self.text.write_fmt(args);
        let end = self.text.len() as u32;
        self.tokens.push(Token::Text { start, end });
    }

    /// A string literal, escaped as proc-macro2 writes one (and so as prettyplease printed it).
    pub(super) fn string_literal(&mut self, value: &str) {
        let start = self.text.len() as u32;
        push_string_literal(&mut self.text, value);
        let end = self.text.len() as u32;
        self.tokens.push(Token::Text { start, end });
    }

    fn brk(&mut self, b: Break) {
        self.tokens.push(Token::Break(b));
    }

    /// A space, or a line break.
    pub(super) fn space(&mut self) {
        self.brk(Break {
            blank: 1,
            ..Break::default()
        });
    }

    /// Nothing, or a line break.
    pub(super) fn zerobreak(&mut self) {
        self.brk(Break::default());
    }

    pub(super) fn hardbreak(&mut self) {
        self.brk(Break {
            blank: HARD,
            ..Break::default()
        });
    }

    /// A line break, unless the box ends right after it.
    pub(super) fn hardbreak_if_nonempty(&mut self) {
        self.brk(Break {
            blank: HARD,
            if_nonempty: true,
            ..Break::default()
        });
    }

    pub(super) fn neverbreak(&mut self) {
        self.brk(Break {
            never: true,
            ..Break::default()
        });
    }

    /// After a list element: `, ` (or a comma and a line break), or for the last one a comma
    /// only when the list is broken.
    pub(super) fn trailing_comma(&mut self, last: bool) {
        if last {
            self.brk(Break {
                comma: true,
                ..Break::default()
            });
        } else {
            self.word(",");
            self.space();
        }
    }

    /// A box whose breaks all break, or none, indented by `offset` when broken.
    pub(super) fn cbox(&mut self, offset: isize) {
        self.tokens.push(Token::Begin {
            offset,
            consistent: true,
        });
    }

    /// A box whose breaks break one at a time, where the rest does not fit.
    pub(super) fn ibox(&mut self, offset: isize) {
        self.tokens.push(Token::Begin {
            offset,
            consistent: false,
        });
    }

    /// Ends a box: a box holding only a break vanishes, a trailing `if_nonempty` break goes.
    pub(super) fn end(&mut self) {
        let n = self.tokens.len();
        if let Some(Token::Break(b)) = self.tokens.last().copied() {
            if n >= 2 && matches!(self.tokens[n - 2], Token::Begin { .. }) {
                self.tokens.truncate(n - 2);
                return;
            }
            if b.if_nonempty {
                self.tokens.pop();
            }
        }
        self.tokens.push(Token::End);
    }

    /// Moves the indentation of the break just written (closing lines go back out).
    pub(super) fn offset(&mut self, offset: isize) {
        if let Some(Token::Break(b)) = self.tokens.last_mut() {
            b.offset += offset;
        }
    }

    /// A type spelled by emit (`Option<Vec<::ssdto::wire::Guid>>`): each generic argument list
    /// is a consistent box, as prettyplease lays out a path's arguments.
    pub(super) fn ty(&mut self, ty: &str) {
        let mut start = 0;
        let bytes = ty.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'<' => {
                    self.word(&ty[start..=i]);
                    self.cbox(INDENT);
                    self.zerobreak();
                    start = i + 1;
                }
                b',' => {
                    self.word(&ty[start..i]);
                    self.trailing_comma(false);
                    // `, ` as emit spells it.
                    i += usize::from(bytes.get(i + 1) == Some(&b' '));
                    start = i + 1;
                }
                b'>' => {
                    self.word(&ty[start..i]);
                    self.trailing_comma(true);
                    self.offset(-INDENT);
                    self.end();
                    self.word(">");
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        if start < ty.len() {
            self.word(&ty[start..]);
        }
    }

    /// A doc line: `///`, then a space and the text unless it is empty.
    pub(super) fn doc(&mut self, line: &str) {
        match line.trim_end_matches(' ') {
            "" => self.word("///"),
            text => self.word_fmt(format_args!("/// {text}")),
        }
        self.hardbreak();
    }

    /// `#[path(a, b = "c")]`: the arguments one per line when they do not fit on one.
    pub(super) fn attr_list<S: AsRef<str>>(&mut self, path: &str, args: &[S]) {
        self.word_fmt(format_args!("#[{path}("));
        self.cbox(INDENT);
        self.zerobreak();
        for (i, arg) in args.iter().enumerate() {
            self.word(arg.as_ref());
            if i + 1 < args.len() {
                self.word(",");
                self.space();
            }
        }
        self.zerobreak();
        self.offset(-INDENT);
        self.end();
        self.word(")]");
        self.space();
    }

    /// `#[path]`.
    pub(super) fn attr_word(&mut self, path: &str) {
        self.word_fmt(format_args!("#[{path}]"));
        self.space();
    }

    /// Lays the words out, the first line indented by `indent` as the lines of a module's
    /// items are, and returns the text.
    pub(super) fn finish(self, indent: usize) -> String {
        self.layout(indent, MARGIN)
    }

    /// The words with only hard breaks broken: for text that is read back as tokens.
    pub(super) fn finish_unbroken(self) -> String {
        self.layout(0, isize::MAX / 4)
    }

    fn layout(self, indent: usize, margin: isize) -> String {
        let sizes = self.sizes();
        let mut p = Printer {
            out: String::with_capacity(self.text.len() + self.text.len() / 4),
            margin,
            space: (margin - indent as isize).max(MIN_SPACE),
            indent: indent as isize,
            pending: indent,
            frames: Vec::new(),
        };
        for (token, size) in self.tokens.iter().zip(sizes) {
            match *token {
                Token::Text { start, end } => p.text(&self.text[start as usize..end as usize]),
                Token::Break(b) => p.brk(b, size),
                Token::Begin { offset, consistent } => p.begin(offset, consistent, size),
                Token::End => p.end(),
            }
        }
        p.out
    }

    /// Every token's size (see the module doc); texts are their length.
    fn sizes(&self) -> Vec<isize> {
        let mut sizes = vec![0isize; self.tokens.len()];
        // Begins and breaks whose size is not known yet, with the ends between them.
        let mut pending: Vec<usize> = Vec::new();
        let mut total = 0isize;
        for (i, token) in self.tokens.iter().enumerate() {
            match *token {
                Token::Text { start, end } => {
                    sizes[i] = (end - start) as isize;
                    total += sizes[i];
                }
                Token::Begin { .. } => {
                    sizes[i] = -total;
                    pending.push(i);
                }
                Token::End => {
                    sizes[i] = 1;
                    pending.push(i);
                }
                Token::Break(b) => {
                    resolve(&self.tokens, &mut sizes, &mut pending, total, false);
                    sizes[i] = -total;
                    pending.push(i);
                    total += b.blank;
                }
            }
        }
        resolve(&self.tokens, &mut sizes, &mut pending, total, true);
        sizes
    }
}

/// A break was reached at `total`: the previous break of the same box, and the boxes closed
/// since, now know their size. At the end (`all`), everything pending does.
fn resolve(
    tokens: &[Token],
    sizes: &mut [isize],
    pending: &mut Vec<usize>,
    total: isize,
    all: bool,
) {
    let mut depth = 0usize;
    while let Some(&i) = pending.last() {
        match tokens[i] {
            Token::Begin { .. } => {
                if depth == 0 && !all {
                    break;
                }
                pending.pop();
                sizes[i] += total;
                depth = depth.saturating_sub(1);
            }
            Token::End => {
                pending.pop();
                depth += 1;
            }
            Token::Break(_) => {
                pending.pop();
                sizes[i] += total;
                if depth == 0 && !all {
                    break;
                }
            }
            Token::Text { .. } => {
                pending.pop();
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Frame {
    Fits,
    Broken { indent: isize, consistent: bool },
}

struct Printer {
    out: String,
    margin: isize,
    /// Columns left on the line.
    space: isize,
    indent: isize,
    /// Indentation (and spaces of unbroken breaks) not written yet, so no line ends in spaces.
    pending: usize,
    frames: Vec<Frame>,
}

impl Printer {
    fn text(&mut self, text: &str) {
        self.flush_pending();
        self.out.push_str(text);
        self.space -= text.len() as isize;
    }

    fn flush_pending(&mut self) {
        for _ in 0..self.pending {
            self.out.push(' ');
        }
        self.pending = 0;
    }

    fn begin(&mut self, offset: isize, consistent: bool, size: isize) {
        if size > self.space {
            self.frames.push(Frame::Broken {
                indent: self.indent,
                consistent,
            });
            self.indent += offset;
        } else {
            self.frames.push(Frame::Fits);
        }
    }

    fn end(&mut self) {
        if let Some(Frame::Broken { indent, .. }) = self.frames.pop() {
            self.indent = indent;
        }
    }

    fn brk(&mut self, b: Break, size: isize) {
        // Outside every box is the file (or module) level, where items break consistently.
        let top = self.frames.last().copied().unwrap_or(Frame::Broken {
            indent: 0,
            consistent: true,
        });
        // A hard break breaks even in a box laid out unbroken (`finish_unbroken`); elsewhere
        // it never fits anyway.
        let fits = b.blank < HARD
            && (b.never
                || match top {
                    Frame::Fits => true,
                    Frame::Broken {
                        consistent: true, ..
                    } => false,
                    Frame::Broken {
                        consistent: false, ..
                    } => size <= self.space,
                });
        if fits {
            self.pending += b.blank.max(0) as usize;
            self.space -= b.blank;
        } else {
            if b.comma {
                self.flush_pending();
                self.out.push(',');
            }
            self.out.push('\n');
            let indent = self.indent + b.offset;
            self.pending = indent.max(0) as usize;
            self.space = (self.margin - indent).max(MIN_SPACE);
        }
    }
}

/// Appends `value` as a Rust string literal, escaped as proc-macro2's `Literal::string` does.
pub(super) fn push_string_literal(out: &mut String, value: &str) {
    out.push('"');
    // Most wire names and paths need no escape at all.
    if value
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
    {
        out.push_str(value);
        out.push('"');
        return;
    }
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            // `\0` before an octal digit would read as an octal escape to some tools.
            '\0' if chars.as_str().starts_with(|n: char| n.is_digit(8)) => out.push_str("\\x00"),
            '\0' => out.push_str("\\0"),
            '\'' => out.push(c),
            _ => out.extend(c.escape_debug()),
        }
    }
    out.push('"');
}

/// A string literal as [`push_string_literal`] writes it.
pub(super) fn string_literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    push_string_literal(&mut out, value);
    out
}

/// Blank lines between items, and between methods inside an impl, as rustfmt'd hand-written
/// code has them (prettyplease writes none): `text` holds items indented by `item_indent`.
pub(super) fn blank_lines(text: &str, item_indent: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous = "";
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let prev_indent = previous.len() - previous.trim_start().len();
        let (prev, cur) = (previous.trim_start(), line.trim_start());
        let after_item = indent == item_indent
            && prev_indent == item_indent
            && (prev.ends_with('}')
                || (prev.starts_with("use ") && !cur.starts_with("use "))
                || (prev.ends_with(';') && !prev.starts_with("use ")));
        let after_method = indent == item_indent + 4
            && prev_indent == indent
            && (prev == "}"
                || (prev.ends_with(';')
                    && (cur.starts_with("///")
                        || cur.starts_with("fn ")
                        || cur.starts_with("pub fn "))));
        if (after_item || after_method) && !cur.starts_with('}') {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_that_does_not_fit_breaks_at_every_element() {
        let mut w = Writer::new();
        let long = "x".repeat(40);
        w.attr_list(
            "serde",
            &[
                format!("rename = \"{long}\""),
                format!("alias = \"{long}\""),
            ],
        );
        w.word("pub a: A,");
        w.hardbreak();
        assert_eq!(
            w.finish(0),
            format!("#[serde(\n    rename = \"{long}\",\n    alias = \"{long}\"\n)]\npub a: A,\n")
        );
    }

    #[test]
    fn types_break_inside_their_generic_arguments() {
        let layout = |t: usize| {
            let mut w = Writer::new();
            w.word("pub field: ");
            w.ty(&format!("Option<Vec<{}>>", "T".repeat(t)));
            w.word(",");
            w.hardbreak();
            w.finish(0)
        };
        // The outer list breaks first; the inner one only when it does not fit either.
        let (t80, t90) = ("T".repeat(80), "T".repeat(90));
        assert_eq!(
            layout(80),
            format!("pub field: Option<\n    Vec<{t80}>,\n>,\n")
        );
        assert_eq!(
            layout(90),
            format!("pub field: Option<\n    Vec<\n        {t90},\n    >,\n>,\n")
        );
    }

    #[test]
    fn literals_escape_as_proc_macro2_does() {
        assert_eq!(
            string_literal("a\"b\\c'd\n\0\x001"),
            r#""a\"b\\c'd\n\0\x001""#
        );
    }
}
