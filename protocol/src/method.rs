//! HTTP verbs as ServiceStack names them in contracts (`operation.method`, a route's `verbs`).

use std::fmt;
use std::str::FromStr;

/// An HTTP verb as ServiceStack names it in a contract (`operation.method`, route `verbs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `GET`: fields travel in the query string.
    Get,
    /// `POST`: fields travel in a JSON body.
    Post,
    /// `PUT`: fields travel in a JSON body.
    Put,
    /// `PATCH`: fields travel in a JSON body.
    Patch,
    /// `DELETE`: fields travel in the query string.
    Delete,
    /// `HEAD`.
    Head,
    /// `OPTIONS`.
    Options,
}

impl Method {
    /// Every verb, in a fixed order.
    pub const ALL: [Method; 7] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
        Method::Options,
    ];

    /// The upper-case verb as sent on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    /// The name of this variant (`Get`), for code that spells it out as `Method::Get`.
    pub const fn variant_name(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Post => "Post",
            Method::Put => "Put",
            Method::Patch => "Patch",
            Method::Delete => "Delete",
            Method::Head => "Head",
            Method::Options => "Options",
        }
    }

    /// Whether ServiceStack's clients send the request fields in the query string
    /// (GET, DELETE, HEAD, OPTIONS) rather than in a body.
    pub const fn sends_query(self) -> bool {
        matches!(
            self,
            Method::Get | Method::Delete | Method::Head | Method::Options
        )
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of reading a verb, or a verb list, that names no HTTP method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMethod(pub String);

impl fmt::Display for UnknownMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.trim().is_empty() {
            f.write_str("empty HTTP method")
        } else {
            write!(f, "unknown HTTP method `{}`", self.0)
        }
    }
}

impl std::error::Error for UnknownMethod {}

impl FromStr for Method {
    type Err = UnknownMethod;

    /// Parses one verb case-insensitively, as ServiceStack does.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(trimmed))
            .ok_or_else(|| UnknownMethod(trimmed.to_owned()))
    }
}

/// Parses a route's verb list as `[Route(path, verbs)]` writes it: `GET`, `GET,POST`,
/// `GET POST`, in any case. `ANY` or `*` mean any verb, which is the empty list; repeated verbs
/// are kept once, in order.
///
/// ServiceStack upper-cases the list and looks the request's verb up in it as a substring
/// (`RestPath.allowedVerbs`), so commas and spaces both separate verbs and an empty entry
/// (`GET,`) is harmless; a list that names no verb at all allows none, and is an error here.
///
/// ```
/// use ssdto_protocol::{parse_verbs, Method};
///
/// assert_eq!(parse_verbs("get, POST"), Ok(vec![Method::Get, Method::Post]));
/// assert_eq!(parse_verbs("ANY"), Ok(vec![]));
/// assert!(parse_verbs("FETCH").is_err());
/// ```
pub fn parse_verbs(text: &str) -> Result<Vec<Method>, UnknownMethod> {
    let mut out = Vec::new();
    for entry in text.split(',') {
        for word in entry.split_whitespace() {
            if word == "*" || word.eq_ignore_ascii_case("ANY") {
                return Ok(Vec::new());
            }
            let verb: Method = word.parse()?;
            if !out.contains(&verb) {
                out.push(verb);
            }
        }
    }
    if out.is_empty() {
        return Err(UnknownMethod(String::new()));
    }
    Ok(out)
}

/// The verb official clients use for a request that names none: the first verb its routes
/// name, else POST, which is what ServiceStack's clients send for a request without verb
/// restrictions (`Method` has no "any").
///
/// ```
/// use ssdto_protocol::{default_method, Method};
///
/// let any: &[Method] = &[];
/// assert_eq!(default_method([any, &[Method::Get, Method::Put]]), Method::Get);
/// assert_eq!(default_method([any]), Method::Post);
/// ```
pub fn default_method<'a>(route_verbs: impl IntoIterator<Item = &'a [Method]>) -> Method {
    route_verbs
        .into_iter()
        .find_map(|verbs| verbs.first().copied())
        .unwrap_or(Method::Post)
}

/// A route a service declares with `[Route(path, verbs)]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Route {
    /// The path template, e.g. `/sessions/{sessionId}` (see [`RouteTemplate`]).
    ///
    /// [`RouteTemplate`]: crate::RouteTemplate
    pub path: &'static str,
    /// The verbs the route answers; empty means any verb.
    pub verbs: &'static [Method],
}

impl Route {
    /// A route on `path` answering `verbs` (empty for any verb).
    pub const fn new(path: &'static str, verbs: &'static [Method]) -> Self {
        Route { path, verbs }
    }

    /// Whether this route answers `method`.
    pub fn allows(&self, method: Method) -> bool {
        self.verbs.is_empty() || self.verbs.contains(&method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_parses_case_insensitively() {
        assert_eq!("get".parse::<Method>(), Ok(Method::Get));
        assert_eq!(" Patch ".parse::<Method>(), Ok(Method::Patch));
        assert_eq!(
            "FETCH".parse::<Method>(),
            Err(UnknownMethod("FETCH".into()))
        );
        assert!("ANY".parse::<Method>().is_err());
        for m in Method::ALL {
            assert_eq!(m.as_str().parse::<Method>(), Ok(m));
            assert_eq!(m.variant_name().to_ascii_uppercase(), m.as_str());
        }
    }

    #[test]
    fn verb_lists_in_every_servicestack_spelling() {
        assert_eq!(parse_verbs("GET"), Ok(vec![Method::Get]));
        assert_eq!(
            parse_verbs("get, Post,GET"),
            Ok(vec![Method::Get, Method::Post])
        );
        assert_eq!(
            parse_verbs("GET POST  put"),
            Ok(vec![Method::Get, Method::Post, Method::Put])
        );
        assert_eq!(parse_verbs("ANY"), Ok(vec![]));
        assert_eq!(parse_verbs("any"), Ok(vec![]));
        assert_eq!(parse_verbs("*"), Ok(vec![]));
        assert_eq!(
            parse_verbs("FETCH").unwrap_err().to_string(),
            "unknown HTTP method `FETCH`"
        );
        assert_eq!(
            parse_verbs("").unwrap_err().to_string(),
            "empty HTTP method"
        );
        assert_eq!(
            parse_verbs(" , ").unwrap_err().to_string(),
            "empty HTTP method"
        );
        // ServiceStack looks verbs up in the list as text, so empty entries are harmless.
        assert_eq!(parse_verbs("GET,"), Ok(vec![Method::Get]));
        assert_eq!(
            parse_verbs("GET,,POST"),
            Ok(vec![Method::Get, Method::Post])
        );
    }

    #[test]
    fn route_without_verbs_allows_any() {
        let any = Route {
            path: "/x",
            verbs: &[],
        };
        let get = Route {
            path: "/x",
            verbs: &[Method::Get],
        };
        assert!(any.allows(Method::Delete));
        assert!(get.allows(Method::Get));
        assert!(!get.allows(Method::Post));
    }
}
