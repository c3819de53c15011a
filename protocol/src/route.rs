//! Route templates as ServiceStack reads them: parsing and validating a template, filling it
//! from a request's fields, and matching a path against it.
//!
//! A template is a path of `/`-separated segments. Each segment is one of:
//!
//! - a literal, matched case-insensitively;
//! - a variable `{Name}`, one segment's worth of a field's value;
//! - a wildcard `{Name*}` (ServiceStack's spelling) or `{**Name}` (ASP.NET Core's), which spans
//!   any number of segments, `/` included; it is the last segment, or is followed by a literal,
//!   where it stops (as ServiceStack's router requires);
//! - a compound such as `{Name}.{Ext}` or `{Id}.json`: ServiceStack splits a segment that holds
//!   a variable and a `.` at each `.`, and each part is a literal or a variable.
//!
//! Variables bind request fields by wire name, ASCII and Unicode case-insensitively as
//! ServiceStack does, an exact match winning. Values are percent-encoded so they cannot change
//! the path's shape: a variable escapes `/`, `?`, `#` and `%` along with everything outside
//! `A-Z a-z 0-9 - . _ ~`; a wildcard keeps the `/` between its segments but escapes each one.
//! A value that cannot be sent in the path (`.` or `..`, which URL parsers remove even when
//! escaped as `%2E`; an empty wildcard segment; a `.` inside a compound's variable; a wildcard
//! segment equal to the literal that ends it) makes the template unfillable, so the value has to
//! travel in the query string or body instead.
//!
//! ```
//! use ssdto_protocol::RouteTemplate;
//!
//! let t = RouteTemplate::parse("/accounts/{AccountId}/files/{Path*}").unwrap();
//! let fields = [("accountId".to_owned(), "a b".to_owned()), ("path".to_owned(), "docs/q?.txt".to_owned())];
//! let filled = t.fill(&fields).unwrap();
//! assert_eq!(filled.path, "/accounts/a%20b/files/docs/q%3F.txt");
//! assert_eq!(filled.consumed, ["accountId", "path"]);
//! assert_eq!(t.matches(&filled.path).unwrap()[1].1, "docs/q?.txt");
//! ```

use std::fmt;
use std::str::FromStr;

use crate::names::eq_ignore_case;
use crate::percent::{decode_utf8, encode_into, UNRESERVED};

/// One `/`-separated part of a route template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// Text that must appear as it is (compared case-insensitively when matching).
    Literal(String),
    /// `{Name}`: one segment's worth of a field's value.
    Variable(String),
    /// `{Name*}` or `{**Name}`: any number of segments, `/` included.
    Wildcard(String),
    /// `{Name}.{Ext}`: a segment split at each `.` into literals and variables.
    Compound(Vec<Part>),
}

/// A `.`-separated part of a [`Segment::Compound`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Part {
    /// Text that must appear as it is (compared case-insensitively when matching).
    Literal(String),
    /// `{Name}`: a field's value, which cannot hold a `.`.
    Variable(String),
}

/// Why a route template is malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RouteParseError {
    /// The template does not start with `/`, which ServiceStack requires.
    MissingLeadingSlash {
        /// The template.
        template: String,
    },
    /// Two slashes with nothing between them.
    EmptySegment {
        /// The template.
        template: String,
    },
    /// A literal holds `?` or `#`, which would end the path.
    InvalidCharacter {
        /// The offending segment.
        segment: String,
        /// The character.
        found: char,
    },
    /// `{` and `}` do not pair up.
    UnbalancedBraces {
        /// The offending segment.
        segment: String,
    },
    /// A variable shares its segment with other text other than through `.` (`{a}-{b}`,
    /// `v{n}`), which ServiceStack's router does not support; or a compound has an empty part
    /// or a wildcard.
    PartialVariable {
        /// The offending segment.
        segment: String,
    },
    /// `{}`, `{*}` or `{**}`.
    EmptyVariable {
        /// The offending segment.
        segment: String,
    },
    /// A variable name with characters a property name cannot have.
    InvalidVariableName {
        /// The name as written.
        name: String,
    },
    /// A wildcard followed by anything but a literal segment.
    WildcardNotLast {
        /// The wildcard's name.
        name: String,
    },
    /// The same variable twice (names compare case-insensitively).
    DuplicateVariable {
        /// The repeated name.
        name: String,
    },
}

impl fmt::Display for RouteParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteParseError::MissingLeadingSlash { template } => {
                write!(f, "route `{template}` must start with `/`")
            }
            RouteParseError::EmptySegment { template } => {
                write!(f, "route `{template}` has an empty segment")
            }
            RouteParseError::InvalidCharacter { segment, found } => {
                write!(f, "route segment `{segment}` contains `{found}`")
            }
            RouteParseError::UnbalancedBraces { segment } => {
                write!(f, "route segment `{segment}` has unbalanced braces")
            }
            RouteParseError::PartialVariable { segment } => {
                write!(
                    f,
                    "route segment `{segment}` mixes a variable with other text"
                )
            }
            RouteParseError::EmptyVariable { segment } => {
                write!(f, "route segment `{segment}` has an empty variable name")
            }
            RouteParseError::InvalidVariableName { name } => {
                write!(f, "route variable `{name}` is not a valid name")
            }
            RouteParseError::WildcardNotLast { name } => write!(
                f,
                "route wildcard `{name}` must be the last segment or be followed by a literal"
            ),
            RouteParseError::DuplicateVariable { name } => {
                write!(f, "route variable `{name}` appears more than once")
            }
        }
    }
}

impl std::error::Error for RouteParseError {}

/// Why a template could not be filled from a request's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FillError {
    /// No field by that name, or it is null or empty.
    Missing {
        /// The variable's name.
        variable: String,
    },
    /// The value, or a wildcard segment of it, is `.` or `..`.
    DotSegment {
        /// The variable's name.
        variable: String,
    },
    /// A wildcard value with an empty segment (`a//b`, `/a`, `a/`), which servers collapse.
    EmptySegment {
        /// The variable's name.
        variable: String,
    },
    /// A value that the server would split differently: a `.` in a compound's variable, or a
    /// wildcard segment equal to the literal that ends the wildcard.
    Ambiguous {
        /// The variable's name.
        variable: String,
    },
}

impl fmt::Display for FillError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FillError::Missing { variable } => {
                write!(f, "route variable `{variable}` has no value")
            }
            FillError::DotSegment { variable } => write!(
                f,
                "route variable `{variable}` would put a `.` or `..` segment in the path"
            ),
            FillError::EmptySegment { variable } => {
                write!(f, "route wildcard `{variable}` has an empty segment")
            }
            FillError::Ambiguous { variable } => write!(
                f,
                "route variable `{variable}` has a value the server would split differently"
            ),
        }
    }
}

impl std::error::Error for FillError {}

/// A filled template: the path to request and the fields it used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilledRoute {
    /// The percent-encoded path, starting with `/`.
    pub path: String,
    /// Wire names of the fields bound to variables, in template order, so the query string
    /// can leave them out.
    pub consumed: Vec<String>,
}

/// A parsed route template such as `/sessions/{sessionId}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RouteTemplate {
    segments: Vec<Segment>,
}

impl RouteTemplate {
    /// Parses a template; a single trailing `/` is allowed and ignored.
    pub fn parse(template: &str) -> Result<Self, RouteParseError> {
        let rest =
            template
                .strip_prefix('/')
                .ok_or_else(|| RouteParseError::MissingLeadingSlash {
                    template: template.to_owned(),
                })?;
        let mut segments: Vec<Segment> = Vec::new();
        if rest.is_empty() {
            return Ok(Self { segments });
        }
        // Only one trailing `/` is forgiven: `//` is an empty segment, not the root.
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.is_empty() {
            return Err(RouteParseError::EmptySegment {
                template: template.to_owned(),
            });
        }
        let mut names: Vec<String> = Vec::new();
        for raw in rest.split('/') {
            if raw.is_empty() {
                return Err(RouteParseError::EmptySegment {
                    template: template.to_owned(),
                });
            }
            let segment = parse_segment(raw)?;
            if let Some(Segment::Wildcard(name)) = segments.last() {
                if !matches!(segment, Segment::Literal(_)) {
                    return Err(RouteParseError::WildcardNotLast { name: name.clone() });
                }
            }
            for name in segment.variables() {
                if names.iter().any(|n| eq_ignore_case(n, name)) {
                    return Err(RouteParseError::DuplicateVariable {
                        name: name.to_owned(),
                    });
                }
                names.push(name.to_owned());
            }
            segments.push(segment);
        }
        Ok(Self { segments })
    }

    /// The segments, in order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The names of the variables and wildcards, in order.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().flat_map(Segment::variables)
    }

    /// How many segments are plain literals: the more, the more specific the route.
    pub fn literal_count(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count()
    }

    /// Whether a wildcard spans part of the path.
    pub fn has_wildcard(&self) -> bool {
        self.segments
            .iter()
            .any(|s| matches!(s, Segment::Wildcard(_)))
    }

    /// Fills the template from a request's fields: `(wire name, value as text)` pairs.
    pub fn fill(&self, fields: &[(String, String)]) -> Result<FilledRoute, FillError> {
        let mut path = String::new();
        let mut consumed = Vec::new();
        let mut bind = |name: &str| -> Result<&str, FillError> {
            let (field, value) = lookup(fields, name).ok_or_else(|| FillError::Missing {
                variable: name.to_owned(),
            })?;
            consumed.push(field.clone());
            Ok(value)
        };
        for (i, segment) in self.segments.iter().enumerate() {
            path.push('/');
            match segment {
                // Escaped like values: a literal is the decoded text the server's router
                // compares, so `%`, spaces and the like must not reach the URL raw.
                Segment::Literal(text) => encode_into(&mut path, text, UNRESERVED),
                Segment::Variable(name) => {
                    let value = bind(name)?;
                    if value == "." || value == ".." {
                        return Err(FillError::DotSegment {
                            variable: name.clone(),
                        });
                    }
                    encode_into(&mut path, value, UNRESERVED);
                }
                Segment::Wildcard(name) => {
                    let value = bind(name)?;
                    let stop = match self.segments.get(i + 1) {
                        Some(Segment::Literal(text)) => Some(text.as_str()),
                        _ => None,
                    };
                    for (j, part) in value.split('/').enumerate() {
                        if part.is_empty() {
                            return Err(FillError::EmptySegment {
                                variable: name.clone(),
                            });
                        }
                        if part == "." || part == ".." {
                            return Err(FillError::DotSegment {
                                variable: name.clone(),
                            });
                        }
                        if stop.is_some_and(|s| eq_ignore_case(s, part)) {
                            return Err(FillError::Ambiguous {
                                variable: name.clone(),
                            });
                        }
                        if j > 0 {
                            path.push('/');
                        }
                        encode_into(&mut path, part, UNRESERVED);
                    }
                }
                Segment::Compound(parts) => {
                    for (j, part) in parts.iter().enumerate() {
                        if j > 0 {
                            path.push('.');
                        }
                        match part {
                            Part::Literal(text) => encode_into(&mut path, text, UNRESERVED),
                            Part::Variable(name) => {
                                let value = bind(name)?;
                                if value.contains('.') {
                                    return Err(FillError::Ambiguous {
                                        variable: name.clone(),
                                    });
                                }
                                encode_into(&mut path, value, UNRESERVED);
                            }
                        }
                    }
                }
            }
        }
        if path.is_empty() {
            path.push('/');
        }
        Ok(FilledRoute { path, consumed })
    }

    /// Matches a request path (a query or fragment after it is ignored) and returns each
    /// variable's percent-decoded value, in template order.
    ///
    /// Literals compare case-insensitively, as ServiceStack's router does; one trailing `/` is
    /// allowed. A variable must be non-empty; a wildcard may span no segments (its value is
    /// then empty) but never a `.`, `..` or empty one, and stops at the first segment equal to
    /// the literal after it. Values that are not UTF-8 once decoded do not match.
    pub fn matches(&self, path: &str) -> Option<Vec<(String, String)>> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let rest = path.strip_prefix('/')?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let parts: Vec<&str> = if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('/').collect()
        };
        let mut values = Vec::new();
        let mut at = 0;
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Literal(text) => {
                    if !eq_ignore_case(&decode_utf8(parts.get(at)?)?, text) {
                        return None;
                    }
                    at += 1;
                }
                Segment::Variable(name) => {
                    let value = decode_utf8(parts.get(at)?)?;
                    if value.is_empty() {
                        return None;
                    }
                    values.push((name.clone(), value));
                    at += 1;
                }
                Segment::Wildcard(name) => {
                    let stop = match self.segments.get(i + 1) {
                        Some(Segment::Literal(text)) => Some(text.as_str()),
                        _ => None,
                    };
                    let mut value = String::new();
                    let mut first = true;
                    while let Some(raw) = parts.get(at) {
                        let part = decode_utf8(raw)?;
                        if stop.is_some_and(|s| eq_ignore_case(s, &part)) {
                            break;
                        }
                        if part.is_empty() || part == "." || part == ".." {
                            return None;
                        }
                        if !first {
                            value.push('/');
                        }
                        first = false;
                        value.push_str(&part);
                        at += 1;
                    }
                    values.push((name.clone(), value));
                }
                Segment::Compound(template_parts) => {
                    let text = decode_utf8(parts.get(at)?)?;
                    let pieces: Vec<&str> = text.split('.').collect();
                    if pieces.len() != template_parts.len() {
                        return None;
                    }
                    for (piece, part) in pieces.into_iter().zip(template_parts) {
                        match part {
                            Part::Literal(literal) => {
                                if !eq_ignore_case(piece, literal) {
                                    return None;
                                }
                            }
                            Part::Variable(name) => {
                                if piece.is_empty() {
                                    return None;
                                }
                                values.push((name.clone(), piece.to_owned()));
                            }
                        }
                    }
                    at += 1;
                }
            }
        }
        (at == parts.len()).then_some(values)
    }
}

impl FromStr for RouteTemplate {
    type Err = RouteParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for RouteTemplate {
    /// Writes the template in ServiceStack's spelling (`{Name*}` for a wildcard).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("/");
        }
        for segment in &self.segments {
            match segment {
                Segment::Literal(text) => write!(f, "/{text}")?,
                Segment::Variable(name) => write!(f, "/{{{name}}}")?,
                Segment::Wildcard(name) => write!(f, "/{{{name}*}}")?,
                Segment::Compound(parts) => {
                    f.write_str("/")?;
                    for (i, part) in parts.iter().enumerate() {
                        if i > 0 {
                            f.write_str(".")?;
                        }
                        match part {
                            Part::Literal(text) => f.write_str(text)?,
                            Part::Variable(name) => write!(f, "{{{name}}}")?,
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

impl Segment {
    /// The variable, wildcard or compound variable names in this segment, in order.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        let (single, parts): (Option<&str>, &[Part]) = match self {
            Segment::Literal(_) => (None, &[]),
            Segment::Variable(name) | Segment::Wildcard(name) => (Some(name), &[]),
            Segment::Compound(parts) => (None, parts),
        };
        single
            .into_iter()
            .chain(parts.iter().filter_map(|p| match p {
                Part::Literal(_) => None,
                Part::Variable(name) => Some(name.as_str()),
            }))
    }
}

fn parse_segment(raw: &str) -> Result<Segment, RouteParseError> {
    let segment = || raw.to_owned();
    if !raw.contains(['{', '}']) {
        if let Some(found) = raw.chars().find(|c| matches!(c, '?' | '#')) {
            return Err(RouteParseError::InvalidCharacter {
                segment: segment(),
                found,
            });
        }
        return Ok(Segment::Literal(raw.to_owned()));
    }
    if raw.matches('{').count() != raw.matches('}').count() {
        return Err(RouteParseError::UnbalancedBraces { segment: segment() });
    }
    if let Some((name, wildcard)) = variable(raw)? {
        return Ok(if wildcard {
            Segment::Wildcard(name)
        } else {
            Segment::Variable(name)
        });
    }
    // ServiceStack splits a segment holding a variable and a `.` at each `.`.
    if !raw.contains('.') {
        return Err(RouteParseError::PartialVariable { segment: segment() });
    }
    let mut parts = Vec::new();
    for piece in raw.split('.') {
        if piece.is_empty() {
            return Err(RouteParseError::PartialVariable { segment: segment() });
        }
        match variable(piece)? {
            Some((name, false)) => parts.push(Part::Variable(name)),
            Some((_, true)) => return Err(RouteParseError::PartialVariable { segment: segment() }),
            None if piece.contains(['{', '}']) => {
                return Err(RouteParseError::PartialVariable { segment: segment() })
            }
            None => {
                if let Some(found) = piece.chars().find(|c| matches!(c, '?' | '#')) {
                    return Err(RouteParseError::InvalidCharacter {
                        segment: segment(),
                        found,
                    });
                }
                parts.push(Part::Literal(piece.to_owned()))
            }
        }
    }
    Ok(Segment::Compound(parts))
}

/// `{Name}`, `{Name*}` or `{**Name}` as a whole: the name and whether it is a wildcard; `None`
/// for text that is not one variable.
fn variable(raw: &str) -> Result<Option<(String, bool)>, RouteParseError> {
    let Some(inner) = raw
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .filter(|inner| !inner.contains(['{', '}']))
    else {
        return Ok(None);
    };
    let (name, wildcard) = if let Some(name) = inner.strip_prefix("**") {
        (name, true)
    } else if let Some(name) = inner.strip_suffix('*') {
        (name, true)
    } else {
        (inner, false)
    };
    if name.is_empty() {
        return Err(RouteParseError::EmptyVariable {
            segment: raw.to_owned(),
        });
    }
    if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(RouteParseError::InvalidVariableName {
            name: inner.to_owned(),
        });
    }
    Ok(Some((name.to_owned(), wildcard)))
}

/// The field a variable binds: an exact name first, else the first case-insensitive one.
/// Empty values count as unset, since they would leave an empty segment.
fn lookup<'a>(fields: &'a [(String, String)], name: &str) -> Option<(&'a String, &'a str)> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .or_else(|| fields.iter().find(|(n, _)| eq_ignore_case(n, name)))
        .filter(|(_, v)| !v.is_empty())
        .map(|(n, v)| (n, v.as_str()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn template(s: &str) -> RouteTemplate {
        RouteTemplate::parse(s).unwrap()
    }

    #[test]
    fn parses_every_segment_kind() {
        let t = template("/files/{Path*}");
        assert_eq!(
            t.segments(),
            [
                Segment::Literal("files".into()),
                Segment::Wildcard("Path".into())
            ]
        );
        let t = template("/x/{**Rest}");
        assert_eq!(t.segments()[1], Segment::Wildcard("Rest".into()));
        assert_eq!(t.to_string(), "/x/{Rest*}");
        let t = template("/sessions/{sessionId}/");
        assert_eq!(t.variables().collect::<Vec<_>>(), ["sessionId"]);
        assert_eq!(t.to_string(), "/sessions/{sessionId}");
        assert!(template("/").segments().is_empty());
        assert_eq!(template("/").to_string(), "/");
        assert_eq!(
            "/a/{größe}"
                .parse::<RouteTemplate>()
                .unwrap()
                .variables()
                .count(),
            1
        );
        let t = template("/files/{Name}.{Ext}/v1.0");
        assert_eq!(
            t.segments()[1],
            Segment::Compound(vec![
                Part::Variable("Name".into()),
                Part::Variable("Ext".into())
            ])
        );
        assert_eq!(t.segments()[2], Segment::Literal("v1.0".into()));
        assert_eq!(t.variables().collect::<Vec<_>>(), ["Name", "Ext"]);
        assert_eq!(t.to_string(), "/files/{Name}.{Ext}/v1.0");
        let t = template("/files/{Path*}/meta");
        assert_eq!(t.literal_count(), 2);
        assert!(t.has_wildcard());
    }

    #[test]
    fn rejects_malformed_templates() {
        use RouteParseError as E;
        let err = |s: &str| RouteTemplate::parse(s).unwrap_err();
        assert!(matches!(err("sessions"), E::MissingLeadingSlash { .. }));
        assert!(matches!(err(""), E::MissingLeadingSlash { .. }));
        assert!(matches!(err("/a//b"), E::EmptySegment { .. }));
        assert!(matches!(err("//"), E::EmptySegment { .. }));
        assert!(matches!(
            err("/a?b"),
            E::InvalidCharacter { found: '?', .. }
        ));
        assert!(matches!(
            err("/{a}.b#"),
            E::InvalidCharacter { found: '#', .. }
        ));
        assert!(matches!(err("/{id"), E::UnbalancedBraces { .. }));
        assert!(matches!(err("/id}"), E::UnbalancedBraces { .. }));
        assert!(matches!(err("/{a}}"), E::UnbalancedBraces { .. }));
        assert!(matches!(err("/{a}-{b}"), E::PartialVariable { .. }));
        assert!(matches!(err("/v{n}"), E::PartialVariable { .. }));
        assert!(matches!(err("/}{"), E::PartialVariable { .. }));
        assert!(matches!(err("/{a}..{b}"), E::PartialVariable { .. }));
        assert!(matches!(err("/{a}."), E::PartialVariable { .. }));
        assert!(matches!(err("/{a*}.json"), E::PartialVariable { .. }));
        assert!(matches!(err("/v{n}.json"), E::PartialVariable { .. }));
        assert!(matches!(err("/{}"), E::EmptyVariable { .. }));
        assert!(matches!(err("/{*}"), E::EmptyVariable { .. }));
        assert!(matches!(err("/{**}"), E::EmptyVariable { .. }));
        assert!(matches!(err("/{a b}"), E::InvalidVariableName { .. }));
        assert!(matches!(err("/{id:int}"), E::InvalidVariableName { .. }));
        assert!(matches!(err("/{a*}/{b}"), E::WildcardNotLast { .. }));
        assert!(matches!(err("/{**a}/{b}"), E::WildcardNotLast { .. }));
        assert!(matches!(err("/{a*}/{b}.c"), E::WildcardNotLast { .. }));
        assert!(matches!(err("/{id}/{ID}"), E::DuplicateVariable { .. }));
        assert!(matches!(err("/{id}/{a}.{ID}"), E::DuplicateVariable { .. }));
        assert_eq!(
            err("/{a}-{b}").to_string(),
            "route segment `{a}-{b}` mixes a variable with other text"
        );
    }

    #[test]
    fn variables_are_percent_encoded() {
        let t = template("/sessions/{sessionId}");
        let fill = |v: &str| t.fill(&fields(&[("sessionId", v)])).map(|f| f.path);
        assert_eq!(fill("abc").unwrap(), "/sessions/abc");
        assert_eq!(fill("../x").unwrap(), "/sessions/..%2Fx");
        assert_eq!(fill("a/b").unwrap(), "/sessions/a%2Fb");
        assert_eq!(fill("?q=1#f").unwrap(), "/sessions/%3Fq%3D1%23f");
        assert_eq!(fill("100%").unwrap(), "/sessions/100%25");
        assert_eq!(fill("%2e%2e").unwrap(), "/sessions/%252e%252e");
        assert_eq!(fill("a\\b").unwrap(), "/sessions/a%5Cb");
        assert_eq!(fill("é ~").unwrap(), "/sessions/%C3%A9%20~");
        for dots in [".", ".."] {
            assert_eq!(
                fill(dots),
                Err(FillError::DotSegment {
                    variable: "sessionId".into()
                })
            );
        }
        assert_eq!(
            fill(""),
            Err(FillError::Missing {
                variable: "sessionId".into()
            })
        );
    }

    #[test]
    fn wildcards_keep_slashes_but_not_traversal() {
        let t = template("/files/{Path*}");
        let fill = |v: &str| t.fill(&fields(&[("path", v)])).map(|f| f.path);
        assert_eq!(fill("a/b c/d.txt").unwrap(), "/files/a/b%20c/d.txt");
        assert_eq!(fill("a?/#b").unwrap(), "/files/a%3F/%23b");
        assert_eq!(fill("..x/.y").unwrap(), "/files/..x/.y");
        let dot = Err(FillError::DotSegment {
            variable: "Path".into(),
        });
        assert_eq!(fill("a/../b"), dot);
        assert_eq!(fill(".."), dot);
        assert_eq!(fill("./a"), dot);
        let empty = Err(FillError::EmptySegment {
            variable: "Path".into(),
        });
        assert_eq!(fill("/etc/passwd"), empty);
        assert_eq!(fill("a//b"), empty);
        assert_eq!(fill("a/"), empty);
        let t = template("/x/{**Rest}");
        assert_eq!(t.fill(&fields(&[("rest", "p/q")])).unwrap().path, "/x/p/q");
    }

    #[test]
    fn wildcards_followed_by_a_literal_stop_there() {
        let t = template("/files/{Path*}/meta/{Key}");
        let filled = t.fill(&fields(&[("path", "a/b c"), ("key", "k")])).unwrap();
        assert_eq!(filled.path, "/files/a/b%20c/meta/k");
        assert_eq!(
            t.matches(&filled.path),
            Some(fields(&[("Path", "a/b c"), ("Key", "k")]))
        );
        assert_eq!(
            t.matches("/files/META/k"),
            Some(fields(&[("Path", ""), ("Key", "k")]))
        );
        assert_eq!(t.matches("/files/a/b/k"), None);
        // A segment equal to the stopping literal would end the wildcard early on the server.
        assert_eq!(
            t.fill(&fields(&[("path", "x/Meta/y"), ("key", "k")])),
            Err(FillError::Ambiguous {
                variable: "Path".into()
            })
        );
    }

    #[test]
    fn compound_segments_split_at_dots() {
        let t = template("/files/{Name}.{Ext}");
        let filled = t
            .fill(&fields(&[("name", "report 1"), ("ext", "pdf")]))
            .unwrap();
        assert_eq!(filled.path, "/files/report%201.pdf");
        assert_eq!(filled.consumed, ["name", "ext"]);
        assert_eq!(
            t.matches("/files/report%201.PDF"),
            Some(fields(&[("Name", "report 1"), ("Ext", "PDF")]))
        );
        assert_eq!(t.matches("/files/report.v2.pdf"), None);
        assert_eq!(t.matches("/files/report"), None);
        assert_eq!(t.matches("/files/.pdf"), None);
        assert_eq!(
            t.fill(&fields(&[("name", "a.b"), ("ext", "pdf")])),
            Err(FillError::Ambiguous {
                variable: "Name".into()
            })
        );
        let t = template("/items/{Id}.json");
        assert_eq!(
            t.fill(&fields(&[("id", "7")])).unwrap().path,
            "/items/7.json"
        );
        assert_eq!(t.matches("/items/7.JSON"), Some(fields(&[("Id", "7")])));
        assert_eq!(t.matches("/items/7.xml"), None);
    }

    #[test]
    fn binding_is_case_insensitive_and_prefers_exact_names() {
        let t = template("/a/{AccountID}/s/{SessionId}");
        let filled = t
            .fill(&fields(&[
                ("sessionId", "s1"),
                ("accountId", "a1"),
                ("page", "2"),
            ]))
            .unwrap();
        assert_eq!(filled.path, "/a/a1/s/s1");
        assert_eq!(filled.consumed, ["accountId", "sessionId"]);

        let t = template("/c/{ID}");
        let filled = t
            .fill(&fields(&[("id", "lower"), ("ID", "upper")]))
            .unwrap();
        assert_eq!(filled.path, "/c/upper");
        assert_eq!(filled.consumed, ["ID"]);

        let t = template("/g/{Größe}");
        assert_eq!(t.fill(&fields(&[("größe", "xl")])).unwrap().path, "/g/xl");
        assert_eq!(template("/").fill(&[]).unwrap().path, "/");
    }

    #[test]
    fn matching_extracts_decoded_values() {
        let t = template("/sessions/{sessionId}/events");
        assert_eq!(
            t.matches("/Sessions/abc%2Fdef%20g/EVENTS?x=1"),
            Some(vec![("sessionId".to_owned(), "abc/def g".to_owned())])
        );
        assert_eq!(
            t.matches("/sessions/abc/events/"),
            Some(vec![("sessionId".to_owned(), "abc".to_owned())])
        );
        assert_eq!(t.matches("/sessions/abc"), None);
        assert_eq!(t.matches("/sessions/abc/events/more"), None);
        assert_eq!(t.matches("/sessions//events"), None);
        assert_eq!(t.matches("sessions/abc/events"), None);
        assert_eq!(t.matches("/sessions/%FF/events"), None);
        assert_eq!(t.matches("/other/abc/events"), None);
        assert_eq!(template("/").matches("/"), Some(vec![]));
        assert_eq!(template("/").matches("/x"), None);
        assert_eq!(template("/größe").matches("/GRÖSSE"), None);
        assert_eq!(template("/größe").matches("/Größe"), Some(vec![]));
    }

    #[test]
    fn matching_wildcards() {
        let t = template("/files/{Path*}");
        let value = |p: &str| t.matches(p).map(|v| v[0].1.clone());
        assert_eq!(
            value("/files/a/b%20c/d.txt").as_deref(),
            Some("a/b c/d.txt")
        );
        assert_eq!(value("/files").as_deref(), Some(""));
        assert_eq!(value("/files/").as_deref(), Some(""));
        assert_eq!(value("/files/a/../b"), None);
        assert_eq!(value("/files/a/%2E%2E/b"), None);
        assert_eq!(value("/files/./b"), None);
        assert_eq!(value("/files/a//b"), None);
        assert_eq!(value("/nope/a"), None);
    }

    #[test]
    fn literals_are_escaped_so_they_match_back() {
        // Regression: a fuzzed template whose literals hold `%`, NUL and control characters.
        let t = template("/\0\0/\u{1e}/D\0%\u{11}M%DD\0");
        let filled = t.fill(&[]).unwrap();
        assert_eq!(filled.path, "/%00%00/%1E/D%00%25%11M%25DD%00");
        assert_eq!(t.matches(&filled.path), Some(vec![]));
        let t = template("/my files/100%/{Id}");
        let filled = t.fill(&fields(&[("id", "1")])).unwrap();
        assert_eq!(filled.path, "/my%20files/100%25/1");
        assert_eq!(t.matches(&filled.path).unwrap()[0].1, "1");
        // Plain literals are unchanged.
        assert_eq!(
            template("/v1.0/x_y-z~").fill(&[]).unwrap().path,
            "/v1.0/x_y-z~"
        );
    }

    proptest! {
        #[test]
        fn fill_then_match_round_trips(a in "\\PC+", b in "[^/]+(/[^/]+){0,3}", c in "[^./]+") {
            let t = template("/x/{A}/y/{B*}/z/{C}.{D}");
            let filled = t.fill(&fields(&[("a", &a), ("b", &b), ("c", &c), ("d", "e")]));
            let dots = |s: &str| s.split('/').any(|p| p == "." || p == "..");
            let stops = b.split('/').any(|p| eq_ignore_case(p, "z"));
            if a == "." || a == ".." || dots(&b) || stops {
                prop_assert!(filled.is_err());
            } else {
                let filled = filled.unwrap();
                // A variable's value never adds a segment or leaves the path.
                prop_assert_eq!(filled.path.matches('/').count(), 6 + b.matches('/').count());
                prop_assert!(!filled.path.contains(['?', '#']));
                let values = t.matches(&filled.path).unwrap();
                prop_assert_eq!(&values[0].1, &a);
                prop_assert_eq!(&values[1].1, &b);
                prop_assert_eq!(&values[2].1, &c);
            }
        }

        #[test]
        fn parse_never_panics_and_display_round_trips(t in "/?[a-z{}*./?#-]{0,12}") {
            if let Ok(parsed) = RouteTemplate::parse(&t) {
                let printed = parsed.to_string();
                prop_assert_eq!(RouteTemplate::parse(&printed), Ok(parsed));
            }
        }
    }
}
