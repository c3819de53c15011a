//! Route templates and verbs as the derive reports them: the rules are `ssdto-protocol`'s (the
//! ones the runtime and the generator apply), the messages are worded for an attribute.

use ssdto_protocol::{parse_verbs, Method, RouteTemplate};

/// The verbs a message lists as valid.
const EXPECTED: &str = "expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";

/// One verb, for `method = ".."`.
pub(crate) fn method(text: &str) -> Result<Method, String> {
    text.parse()
        .map_err(|_| format!("invalid method `{text}`: {EXPECTED}"))
}

/// A route's verb list, for `route("GET,POST", ..)`; empty for any verb.
pub(crate) fn verbs(text: &str) -> Result<Vec<Method>, String> {
    if text.trim().is_empty() {
        return Err(format!(
            "invalid method list `{text}`: name one or more verbs (`GET`, `GET,POST`), or \
             leave the verbs out for any verb"
        ));
    }
    parse_verbs(text).map_err(|err| {
        if err.0.is_empty() {
            format!("invalid method list `{text}`: empty verb")
        } else {
            format!("invalid method `{}`: {EXPECTED}", err.0)
        }
    })
}

/// The variables of a route template, in order, or why it is malformed.
pub(crate) fn variables(template: &str) -> Result<Vec<String>, String> {
    let parsed = RouteTemplate::parse(template).map_err(|err| format!("malformed route: {err}"))?;
    Ok(parsed.variables().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_attribute_value() {
        assert_eq!(method(" delete "), Ok(Method::Delete));
        assert_eq!(
            method("ANY").unwrap_err(),
            format!("invalid method `ANY`: {EXPECTED}")
        );
        assert_eq!(verbs("get, Post,GET"), Ok(vec![Method::Get, Method::Post]));
        assert_eq!(verbs("ANY"), Ok(vec![]));
        assert!(verbs("FETCH").unwrap_err().contains("`FETCH`"));
        assert!(verbs("").unwrap_err().contains("name one or more verbs"));
        assert!(verbs(" , ").unwrap_err().contains("empty verb"));
        assert_eq!(verbs("GET,"), Ok(vec![Method::Get]));
        assert_eq!(
            variables("/a/{Id}/{Rest*}"),
            Ok(vec!["Id".into(), "Rest".into()])
        );
        assert_eq!(
            variables("a").unwrap_err(),
            "malformed route: route `a` must start with `/`"
        );
    }
}
