//! C#-style type text as contracts write it: `List<TechnologyInfo>`,
//! `Dictionary<String,List<Int32>>`, `Poco[]`, ``Nullable`1`` plus separate generic arguments.
//!
//! The text is parsed into a tree, never string-matched, so nesting of any depth (up to
//! [`MAX_DEPTH`]) and arrays of generics come out right.

use std::fmt;

/// How deeply generic arguments may nest before the text is rejected; real contracts stay
/// under five, and the bound keeps hostile input from exhausting the stack.
pub const MAX_DEPTH: usize = 32;

/// A parsed type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeText {
    /// The type name without namespace or backtick arity (`List`, `Dictionary`, `Poco`).
    pub name: String,
    /// The backtick arity (``List`1`` gives 1), when the text had one.
    pub arity: Option<usize>,
    /// Generic arguments.
    pub args: Vec<TypeText>,
    /// How many `[]` follow the type.
    pub array_rank: usize,
}

impl TypeText {
    /// A plain name with no arguments.
    #[cfg(test)]
    pub fn named(name: impl Into<String>) -> Self {
        TypeText {
            name: name.into(),
            arity: None,
            args: Vec::new(),
            array_rank: 0,
        }
    }
}

impl TypeText {
    /// How deeply generic arguments nest: 1 for a plain name, 2 for `List<Int32>`.
    ///
    /// Iterative, so it is safe on a tree of any depth.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(self, 1)];
        while let Some((ty, level)) = stack.pop() {
            deepest = deepest.max(level);
            stack.extend(ty.args.iter().map(|a| (a, level + 1)));
        }
        deepest
    }

    /// Fails when generic arguments nest deeper than [`MAX_DEPTH`]. Text from [`parse`] never
    /// does, but substituting generic arguments down an inheritance chain compounds the
    /// nesting (`B<U> : A<List<U>>`, `C<V> : B<List<V>>`, ...), and every later stage recurses
    /// over the tree.
    pub fn check_depth(&self) -> Result<(), TypeTextError> {
        if self.depth() > MAX_DEPTH {
            return Err(TypeTextError {
                text: truncated(&self.to_string()),
                reason: format!("generic arguments nest deeper than {MAX_DEPTH}"),
            });
        }
        Ok(())
    }
}

/// The first 200 characters of `text`, so an error about hostile input stays readable.
fn truncated(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_owned(),
    }
}

impl fmt::Display for TypeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if !self.args.is_empty() {
            f.write_str("<")?;
            for (i, a) in self.args.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{a}")?;
            }
            f.write_str(">")?;
        }
        for _ in 0..self.array_rank {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

/// Why a piece of type text could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeTextError {
    /// The text as given.
    pub text: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for TypeTextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid type `{}`: {}", self.text, self.reason)
    }
}

impl std::error::Error for TypeTextError {}

/// Parses a type name with separately given generic arguments, as contract properties carry
/// them: `type: "Nullable`1[]"` with `genericArgs: ["Byte"]` is an array of nullable bytes.
pub fn parse_with_args(name: &str, generic_args: &[String]) -> Result<TypeText, TypeTextError> {
    let mut ty = parse(name)?;
    if ty.args.is_empty() && !generic_args.is_empty() {
        ty.args = generic_args
            .iter()
            .map(|a| parse(a))
            .collect::<Result<_, _>>()?;
    }
    Ok(ty)
}

/// Parses one piece of type text.
pub fn parse(text: &str) -> Result<TypeText, TypeTextError> {
    let mut parser = Parser {
        text,
        pos: 0,
        depth: 0,
    };
    let ty = parser.ty()?;
    parser.skip_ws();
    if parser.pos != text.len() {
        return Err(parser.error(format!("unexpected `{}`", &text[parser.pos..])));
    }
    Ok(ty)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, reason: String) -> TypeTextError {
        TypeTextError {
            text: self.text.to_owned(),
            reason,
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.pos += c.len_utf8();
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn ty(&mut self) -> Result<TypeText, TypeTextError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("generic arguments nest deeper than {MAX_DEPTH}")));
        }
        self.skip_ws();
        let start = self.pos;
        while let Some(c) = self
            .peek()
            .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '`' | '+'))
        {
            self.pos += c.len_utf8();
        }
        let raw = &self.text[start..self.pos];
        if raw.is_empty() {
            return Err(match self.peek() {
                Some(c) => self.error(format!("expected a type name, found `{c}`")),
                None => self.error("expected a type name".into()),
            });
        }
        // Namespace-qualified and nested names (`System.String`, `Outer+Inner`) keep the last part.
        let simple = raw.rsplit(['.', '+']).next().unwrap_or(raw);
        let (name, arity) = match simple.split_once('`') {
            Some((name, n)) => {
                let arity = n
                    .parse::<usize>()
                    .map_err(|_| self.error(format!("bad generic arity in `{simple}`")))?;
                (name, Some(arity))
            }
            None => (simple, None),
        };
        if name.is_empty() {
            return Err(self.error(format!("`{raw}` has no type name")));
        }
        let mut ty = TypeText {
            name: name.to_owned(),
            arity,
            args: Vec::new(),
            array_rank: 0,
        };
        if self.eat('<') {
            loop {
                ty.args.push(self.ty()?);
                if self.eat(',') {
                    continue;
                }
                if self.eat('>') {
                    break;
                }
                return Err(self.error("expected `,` or `>` in generic arguments".into()));
            }
        }
        // Array suffixes and `?` (C# shorthand for Nullable<T>) in any order: `Int32?[]` is an
        // array of nullable ints, `Int32[]?` a nullable array.
        let depth = self.depth;
        loop {
            if self.eat('[') {
                if !self.eat(']') {
                    return Err(self.error("expected `]` after `[`".into()));
                }
                ty.array_rank += 1;
            } else if self.eat('?') {
                // Each `?` nests one level, so it counts against the limit like `<`.
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(
                        self.error(format!("generic arguments nest deeper than {MAX_DEPTH}"))
                    );
                }
                ty = TypeText {
                    name: "Nullable".into(),
                    arity: Some(1),
                    args: vec![ty],
                    array_rank: 0,
                };
            } else {
                break;
            }
        }
        self.depth = depth - 1;
        Ok(ty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> TypeText {
        parse(s).unwrap()
    }

    #[test]
    fn simple_and_arity_names() {
        assert_eq!(p("String"), TypeText::named("String"));
        let list = p("List`1");
        assert_eq!((list.name.as_str(), list.arity), ("List", Some(1)));
        assert_eq!(p("System.Collections.Generic.List`1").name, "List");
    }

    #[test]
    fn nested_generics_are_parsed_not_matched() {
        let t = p("Dictionary<String, List<Int32>>");
        assert_eq!(t.name, "Dictionary");
        assert_eq!(t.args[0], TypeText::named("String"));
        assert_eq!(t.args[1].name, "List");
        assert_eq!(t.args[1].args, vec![TypeText::named("Int32")]);
        assert_eq!(t.to_string(), "Dictionary<String,List<Int32>>");
        let deep = p("List<Dictionary<String,Poco>>");
        assert_eq!(deep.args[0].args[1], TypeText::named("Poco"));
    }

    #[test]
    fn arrays_and_nullable_shorthand() {
        assert_eq!(p("Poco[]").array_rank, 1);
        assert_eq!(p("Int32[][]").array_rank, 2);
        let n = p("Int32?");
        assert_eq!((n.name.as_str(), n.args.len()), ("Nullable", 1));
        let arr = p("List<Int32>[]");
        assert_eq!((arr.array_rank, arr.args.len()), (1, 1));
        // Regression (property test): `?` before `[]` was "expected `,` or `>`" inside
        // generic arguments.
        let t = p("Dictionary<String,Int32?[]>");
        let value = &t.args[1];
        assert_eq!((value.name.as_str(), value.array_rank), ("Nullable", 1));
        assert_eq!(value.args, vec![TypeText::named("Int32")]);
        let t = p("Int32[]?");
        assert_eq!(
            (t.name.as_str(), t.array_rank, t.args[0].array_rank),
            ("Nullable", 0, 1)
        );
        let t = p("Int32?[]?");
        assert_eq!(
            (t.name.as_str(), t.args[0].name.as_str()),
            ("Nullable", "Nullable")
        );
        assert_eq!(t.to_string(), "Nullable<Nullable<Int32>[]>");
    }

    #[test]
    fn separate_generic_args_attach_before_the_array_suffix() {
        let t = parse_with_args("Nullable`1[]", &["Byte".into()]).unwrap();
        assert_eq!(t.name, "Nullable");
        assert_eq!(t.array_rank, 1);
        assert_eq!(t.args, vec![TypeText::named("Byte")]);
        // Full text wins over separate args that would repeat it.
        let t = parse_with_args("List<Poco>", &["Poco".into()]).unwrap();
        assert_eq!(t.args.len(), 1);
    }

    #[test]
    fn malformed_text_is_an_error() {
        for bad in [
            "",
            "List<",
            "List<>",
            "Dictionary<String,,Int32>",
            "A>",
            "A[",
            "A`x",
            "`1",
            "A B",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn depth_counts_nesting_levels() {
        assert_eq!(p("Int32").depth(), 1);
        assert_eq!(p("Int32[][]").depth(), 1);
        assert_eq!(p("Dictionary<String,List<Int32>>").depth(), 3);
        assert_eq!(p("Int32?").depth(), 2);
        let mut deep = p("Int32");
        for _ in 0..MAX_DEPTH - 1 {
            deep = TypeText {
                args: vec![deep],
                ..TypeText::named("List")
            };
        }
        assert!(deep.check_depth().is_ok());
        let deeper = TypeText {
            args: vec![deep],
            ..TypeText::named("List")
        };
        let err = deeper.check_depth().unwrap_err();
        assert!(err.reason.contains("nest deeper"), "{err}");
        assert!(err.text.len() < 300, "{err}");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = format!(
            "{}Int32{}",
            "List<".repeat(MAX_DEPTH + 1),
            ">".repeat(MAX_DEPTH + 1)
        );
        let err = parse(&text).unwrap_err();
        assert!(err.reason.contains("nest deeper"));
        let ok = format!(
            "{}Int32{}",
            "List<".repeat(MAX_DEPTH - 1),
            ">".repeat(MAX_DEPTH - 1)
        );
        assert!(parse(&ok).is_ok());
        // `?` nests too: a long run of them is bounded the same way.
        let err = parse(&format!("Int32{}", "?".repeat(MAX_DEPTH))).unwrap_err();
        assert!(err.reason.contains("nest deeper"));
        assert_eq!(
            parse(&format!("Int32{}", "?".repeat(MAX_DEPTH - 1)))
                .unwrap()
                .depth(),
            MAX_DEPTH
        );
    }
}
