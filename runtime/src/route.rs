//! Route templates: filling a declared [`Route`] from a request, and matching a path against
//! one.
//!
//! A template is a path of `/`-separated segments, each a literal, a variable `{Name}`, or, as
//! the last segment only, a wildcard `{Name*}` (ServiceStack's spelling) or `{**Name}`
//! (ASP.NET Core's) that spans the rest of the path.
//!
//! Variables bind request fields by wire name, ASCII and Unicode case-insensitively as
//! ServiceStack does, an exact match winning. Values are percent-encoded so they cannot change
//! the path's shape: a variable escapes `/`, `?`, `#` and `%` along with everything outside
//! `A-Z a-z 0-9 - . _ ~`; a wildcard keeps the `/` between its segments but escapes each one.
//! A value that is `.` or `..` (or, in a wildcard, has such a segment or an empty one) cannot
//! be sent in a path at all: URL parsers remove dot segments even when escaped as `%2E`, so
//! such a route is not fillable and the value has to travel in the query string or body.
//!
//! ```
//! use ssdto::{Method, Route};
//! use ssdto::route::select;
//!
//! #[derive(serde::Serialize)]
//! #[serde(rename_all = "camelCase")]
//! struct GetFile { account_id: String, path: String, version: Option<i32> }
//!
//! const ROUTES: &[Route] = &[
//!     Route { path: "/files", verbs: &[] },
//!     Route { path: "/accounts/{AccountId}/files/{Path*}", verbs: &[Method::Get] },
//! ];
//! let req = GetFile { account_id: "a b".into(), path: "docs/q?.txt".into(), version: Some(3) };
//! let chosen = select(&req, ROUTES, Method::Get).unwrap().unwrap();
//! assert_eq!(chosen.filled.path, "/accounts/a%20b/files/docs/q%3F.txt");
//! assert_eq!(chosen.filled.consumed, ["accountId", "path"]);
//! ```

use std::fmt;
use std::str::FromStr;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::names::eq_ignore_case;
use crate::query::{self, QueryError};
use crate::request::{Method, Request, Route};

/// What a path segment escapes: everything but RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One `/`-separated part of a route template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// Text that must appear as it is (compared case-insensitively when matching).
    Literal(String),
    /// `{Name}`: one segment's worth of a field's value.
    Variable(String),
    /// `{Name*}` or `{**Name}`: the rest of the path, `/` included.
    Wildcard(String),
}

/// Why a route template is malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RouteParseError {
    /// The template does not start with `/`, which ServiceStack requires.
    #[error("route `{template}` must start with `/`")]
    MissingLeadingSlash {
        /// The template.
        template: String,
    },
    /// Two slashes with nothing between them.
    #[error("route `{template}` has an empty segment")]
    EmptySegment {
        /// The template.
        template: String,
    },
    /// A literal holds `?` or `#`, which would end the path.
    #[error("route segment `{segment}` contains `{found}`")]
    InvalidCharacter {
        /// The offending segment.
        segment: String,
        /// The character.
        found: char,
    },
    /// `{` and `}` do not pair up.
    #[error("route segment `{segment}` has unbalanced braces")]
    UnbalancedBraces {
        /// The offending segment.
        segment: String,
    },
    /// A variable shares its segment with other text (`{a}-{b}`, `v{n}`), which ServiceStack's
    /// router does not support.
    #[error("route segment `{segment}` mixes a variable with other text")]
    PartialVariable {
        /// The offending segment.
        segment: String,
    },
    /// `{}`, `{*}` or `{**}`.
    #[error("route segment `{segment}` has an empty variable name")]
    EmptyVariable {
        /// The offending segment.
        segment: String,
    },
    /// A variable name with characters a property name cannot have.
    #[error("route variable `{name}` is not a valid name")]
    InvalidVariableName {
        /// The name as written.
        name: String,
    },
    /// A wildcard followed by more segments.
    #[error("route wildcard `{name}` must be the last segment")]
    WildcardNotLast {
        /// The wildcard's name.
        name: String,
    },
    /// The same variable twice (names compare case-insensitively).
    #[error("route variable `{name}` appears more than once")]
    DuplicateVariable {
        /// The repeated name.
        name: String,
    },
}

/// Why a template could not be filled from a request's fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FillError {
    /// No field by that name, or it is null or empty.
    #[error("route variable `{variable}` has no value")]
    Missing {
        /// The variable's name.
        variable: String,
    },
    /// The value, or a wildcard segment of it, is `.` or `..`.
    #[error("route variable `{variable}` would put a `.` or `..` segment in the path")]
    DotSegment {
        /// The variable's name.
        variable: String,
    },
    /// A wildcard value with an empty segment (`a//b`, `/a`, `a/`), which servers collapse.
    #[error("route wildcard `{variable}` has an empty segment")]
    EmptySegment {
        /// The variable's name.
        variable: String,
    },
}

/// A filled template: the path to request and the fields it used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilledRoute {
    /// The percent-encoded path, starting with `/`.
    pub path: String,
    /// Wire names of the fields bound to variables, in template order, so the query string
    /// can leave them out (pass them as `skip` to [`query::to_query_string`]).
    pub consumed: Vec<String>,
}

/// The route [`select`] picked for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenRoute {
    /// The declared route.
    pub route: Route,
    /// Its template filled from the request.
    pub filled: FilledRoute,
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
        for raw in rest.split('/') {
            if raw.is_empty() {
                return Err(RouteParseError::EmptySegment {
                    template: template.to_owned(),
                });
            }
            if let Some(Segment::Wildcard(name)) = segments.last() {
                return Err(RouteParseError::WildcardNotLast { name: name.clone() });
            }
            let segment = parse_segment(raw)?;
            if let Segment::Variable(name) | Segment::Wildcard(name) = &segment {
                if segments
                    .iter()
                    .any(|s| s.variable().is_some_and(|n| eq_ignore_case(n, name)))
                {
                    return Err(RouteParseError::DuplicateVariable { name: name.clone() });
                }
            }
            segments.push(segment);
        }
        Ok(Self { segments })
    }

    /// The segments, in order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The names of the variables and wildcard, in order.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(Segment::variable)
    }

    /// Fills the template from a request's fields (as [`query::fields`] renders them).
    pub fn fill(&self, fields: &[(String, String)]) -> Result<FilledRoute, FillError> {
        let mut path = String::new();
        let mut consumed = Vec::new();
        for segment in &self.segments {
            path.push('/');
            let (name, value) = match segment {
                Segment::Literal(text) => {
                    // Escaped like values: a literal is the decoded text the server's router
                    // compares, so `%`, spaces and the like must not reach the URL raw
                    // (found by fuzzing: `/a%DD` was sent as an invalid escape).
                    path.extend(utf8_percent_encode(text, SEGMENT));
                    continue;
                }
                Segment::Variable(name) | Segment::Wildcard(name) => {
                    let (field, value) =
                        lookup(fields, name).ok_or_else(|| FillError::Missing {
                            variable: name.clone(),
                        })?;
                    consumed.push(field.clone());
                    (name, value)
                }
            };
            let parts: Vec<&str> = match segment {
                Segment::Wildcard(_) => value.split('/').collect(),
                _ => vec![value],
            };
            for (i, part) in parts.into_iter().enumerate() {
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
                if i > 0 {
                    path.push('/');
                }
                path.extend(utf8_percent_encode(part, SEGMENT));
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
    /// then empty) but never a `.`, `..` or empty one. Values that are not UTF-8 once decoded
    /// do not match.
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
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Literal(text) => {
                    if !eq_ignore_case(&decode(parts.get(i)?)?, text) {
                        return None;
                    }
                }
                Segment::Variable(name) => {
                    let value = decode(parts.get(i)?)?;
                    if value.is_empty() {
                        return None;
                    }
                    values.push((name.clone(), value));
                }
                Segment::Wildcard(name) => {
                    let mut value = String::new();
                    for (j, part) in parts.get(i..)?.iter().enumerate() {
                        let part = decode(part)?;
                        if part.is_empty() || part == "." || part == ".." {
                            return None;
                        }
                        if j > 0 {
                            value.push('/');
                        }
                        value.push_str(&part);
                    }
                    values.push((name.clone(), value));
                    return Some(values);
                }
            }
        }
        (parts.len() == self.segments.len()).then_some(values)
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
            }
        }
        Ok(())
    }
}

impl Segment {
    /// The variable or wildcard name, if this is one.
    pub fn variable(&self) -> Option<&str> {
        match self {
            Segment::Literal(_) => None,
            Segment::Variable(name) | Segment::Wildcard(name) => Some(name),
        }
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
    let Some(inner) = raw
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .filter(|inner| !inner.contains(['{', '}']))
    else {
        let opens = raw.matches('{').count();
        let closes = raw.matches('}').count();
        return Err(if opens == closes {
            RouteParseError::PartialVariable { segment: segment() }
        } else {
            RouteParseError::UnbalancedBraces { segment: segment() }
        });
    };
    let (name, wildcard) = if let Some(name) = inner.strip_prefix("**") {
        (name, true)
    } else if let Some(name) = inner.strip_suffix('*') {
        (name, true)
    } else {
        (inner, false)
    };
    if name.is_empty() {
        return Err(RouteParseError::EmptyVariable { segment: segment() });
    }
    if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(RouteParseError::InvalidVariableName {
            name: inner.to_owned(),
        });
    }
    let name = name.to_owned();
    Ok(if wildcard {
        Segment::Wildcard(name)
    } else {
        Segment::Variable(name)
    })
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

fn decode(part: &str) -> Option<String> {
    percent_decode_str(part)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// Picks the route for `request` among `routes` and fills it.
///
/// Eligible routes allow `method`, parse, and have every variable set (non-null, non-empty,
/// not a dot segment). Among those, as ServiceStack's client does, the route with the most
/// variables wins; a tie goes to the shorter template (ServiceStack prefers
/// `/product-lines/{id}/{line}` over `/products/{id}/product-lines/{line}`), then to the one
/// declared first. `Ok(None)` means no route fits and the caller falls back to the operation's
/// predefined route (`/api/{Operation}`).
pub fn select<T: Serialize + ?Sized>(
    request: &T,
    routes: &[Route],
    method: Method,
) -> Result<Option<ChosenRoute>, QueryError> {
    let fields = query::fields(request)?;
    Ok(select_with_fields(&fields, routes, method))
}

/// [`select`] over the routes and verb a generated request declares.
pub fn select_for<R: Request>(request: &R) -> Result<Option<ChosenRoute>, QueryError> {
    select(request, R::ROUTES, R::METHOD)
}

/// [`select`] for fields already rendered with [`query::fields`].
pub fn select_with_fields(
    fields: &[(String, String)],
    routes: &[Route],
    method: Method,
) -> Option<ChosenRoute> {
    let mut best: Option<(usize, ChosenRoute)> = None;
    for route in routes.iter().filter(|r| r.allows(method)) {
        let Ok(template) = RouteTemplate::parse(route.path) else {
            continue;
        };
        let Ok(filled) = template.fill(fields) else {
            continue;
        };
        let count = filled.consumed.len();
        let better = best.as_ref().is_none_or(|(best_count, chosen)| {
            count > *best_count
                || (count == *best_count && route.path.len() < chosen.route.path.len())
        });
        if better {
            best = Some((
                count,
                ChosenRoute {
                    route: *route,
                    filled,
                },
            ));
        }
    }
    best.map(|(_, chosen)| chosen)
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
        assert!(matches!(err("/{id"), E::UnbalancedBraces { .. }));
        assert!(matches!(err("/id}"), E::UnbalancedBraces { .. }));
        assert!(matches!(err("/{a}}"), E::UnbalancedBraces { .. }));
        assert!(matches!(err("/{a}-{b}"), E::PartialVariable { .. }));
        assert!(matches!(err("/v{n}"), E::PartialVariable { .. }));
        assert!(matches!(err("/}{"), E::PartialVariable { .. }));
        assert!(matches!(err("/{}"), E::EmptyVariable { .. }));
        assert!(matches!(err("/{*}"), E::EmptyVariable { .. }));
        assert!(matches!(err("/{**}"), E::EmptyVariable { .. }));
        assert!(matches!(err("/{a b}"), E::InvalidVariableName { .. }));
        assert!(matches!(err("/{id:int}"), E::InvalidVariableName { .. }));
        assert!(matches!(err("/{a*}/b"), E::WildcardNotLast { .. }));
        assert!(matches!(err("/{**a}/{b}"), E::WildcardNotLast { .. }));
        assert!(matches!(err("/{id}/{ID}"), E::DuplicateVariable { .. }));
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

    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct GetSession {
        account_id: Option<String>,
        session_id: Option<String>,
        page: Option<i32>,
    }

    const ROUTES: &[Route] = &[
        Route {
            path: "/sessions",
            verbs: &[Method::Get],
        },
        Route {
            path: "/sessions/{sessionId}",
            verbs: &[Method::Get, Method::Delete],
        },
        Route {
            path: "/accounts/{accountId}/sessions/{sessionId}",
            verbs: &[Method::Post],
        },
        Route {
            path: "/{accountId}/s/{sessionId}",
            verbs: &[],
        },
        Route {
            path: "/{sessionId}/a/{accountId}",
            verbs: &[],
        },
    ];

    fn chosen(req: &GetSession, method: Method) -> Option<(&'static str, String)> {
        select(req, ROUTES, method)
            .unwrap()
            .map(|c| (c.route.path, c.filled.path))
    }

    #[test]
    fn select_prefers_most_variables_then_shortest_then_first() {
        let mut req = GetSession {
            account_id: None,
            session_id: None,
            page: Some(1),
        };
        assert_eq!(
            chosen(&req, Method::Get),
            Some(("/sessions", "/sessions".into()))
        );
        assert_eq!(chosen(&req, Method::Post), None);

        req.session_id = Some("s1".into());
        assert_eq!(
            chosen(&req, Method::Get),
            Some(("/sessions/{sessionId}", "/sessions/s1".into()))
        );
        assert_eq!(chosen(&req, Method::Put), None);

        // Two variables beat one; among the two-variable routes POST may use, the shorter
        // templates win, and of those two equally long the first declared.
        req.account_id = Some("a1".into());
        assert_eq!(
            chosen(&req, Method::Get),
            Some(("/{accountId}/s/{sessionId}", "/a1/s/s1".into()))
        );
        assert_eq!(
            chosen(&req, Method::Post),
            Some(("/{accountId}/s/{sessionId}", "/a1/s/s1".into()))
        );

        // A value that cannot go in a path makes its routes ineligible.
        req.account_id = Some("..".into());
        assert_eq!(
            chosen(&req, Method::Get),
            Some(("/sessions/{sessionId}", "/sessions/s1".into()))
        );
        req.session_id = Some(String::new());
        assert_eq!(
            chosen(&req, Method::Get),
            Some(("/sessions", "/sessions".into()))
        );
    }

    impl Request for GetSession {
        type Response = crate::Void;
        const OPERATION: &'static str = "GetSession";
        const METHOD: Method = Method::Delete;
        const ROUTES: &'static [Route] = ROUTES;
    }

    #[test]
    fn select_for_uses_the_declared_routes_and_verb() {
        let req = GetSession {
            account_id: None,
            session_id: Some("s 1".into()),
            page: Some(3),
        };
        let chosen = select_for(&req).unwrap().unwrap();
        assert_eq!(chosen.filled.path, "/sessions/s%201");
        let skip: Vec<&str> = chosen.filled.consumed.iter().map(String::as_str).collect();
        assert_eq!(query::to_query_string(&req, &skip).unwrap(), "page=3");
        // Broken templates are skipped rather than failing the request.
        let broken = [Route {
            path: "/{oops",
            verbs: &[],
        }];
        assert_eq!(select(&req, &broken, Method::Get).unwrap(), None);
        assert!(select(&7, ROUTES, Method::Get).is_err());
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
        fn fill_then_match_round_trips(a in "\\PC+", b in "[^/]+(/[^/]+){0,3}") {
            let t = template("/x/{A}/y/{B*}");
            let filled = t.fill(&fields(&[("a", &a), ("b", &b)]));
            let dots = |s: &str| s.split('/').any(|p| p == "." || p == "..");
            if a == "." || a == ".." || dots(&b) {
                prop_assert!(filled.is_err());
            } else {
                let filled = filled.unwrap();
                // The variable's value never adds a segment or leaves the path.
                prop_assert_eq!(filled.path.matches('/').count(), 4 + b.matches('/').count());
                prop_assert!(!filled.path.contains(['?', '#']));
                let values = t.matches(&filled.path).unwrap();
                prop_assert_eq!(&values[0].1, &a);
                prop_assert_eq!(&values[1].1, &b);
            }
        }
    }
}
