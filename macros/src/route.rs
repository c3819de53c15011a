//! Route templates and verb lists, read as ServiceStack reads them.

/// An HTTP verb, named as the `ssdto::Method` variant it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
}

impl Verb {
    const ALL: [Verb; 7] = [
        Verb::Get,
        Verb::Post,
        Verb::Put,
        Verb::Patch,
        Verb::Delete,
        Verb::Head,
        Verb::Options,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Patch => "PATCH",
            Verb::Delete => "DELETE",
            Verb::Head => "HEAD",
            Verb::Options => "OPTIONS",
        }
    }

    /// The `ssdto::Method` variant name.
    pub(crate) fn variant(self) -> &'static str {
        match self {
            Verb::Get => "Get",
            Verb::Post => "Post",
            Verb::Put => "Put",
            Verb::Patch => "Patch",
            Verb::Delete => "Delete",
            Verb::Head => "Head",
            Verb::Options => "Options",
        }
    }

    /// One verb, case-insensitively (ServiceStack compares verbs ignoring case).
    pub(crate) fn parse(text: &str) -> Result<Verb, String> {
        let trimmed = text.trim();
        Verb::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(trimmed))
            .ok_or_else(|| {
                format!(
                    "invalid method `{text}`: expected one of GET, POST, PUT, PATCH, DELETE, HEAD, \
                     OPTIONS"
                )
            })
    }
}

/// A route's verb list as `[Route]` writes it: `GET`, `GET,POST`; `ANY` or `*` mean any verb,
/// which is the empty list. The same rules the generator applies to contracts, so a derived
/// request and a generated one agree.
pub(crate) fn parse_verbs(text: &str) -> Result<Vec<Verb>, String> {
    let mut out = Vec::new();
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if parts.iter().all(|p| p.is_empty()) {
        return Err(format!(
            "invalid method list `{text}`: name one or more verbs (`GET`, `GET,POST`), or \
             leave the verbs out for any verb"
        ));
    }
    for part in parts {
        if part.is_empty() {
            return Err(format!("invalid method list `{text}`: empty verb"));
        }
        if part == "*" || part.eq_ignore_ascii_case("ANY") {
            return Ok(Vec::new());
        }
        let verb = Verb::parse(part)?;
        if !out.contains(&verb) {
            out.push(verb);
        }
    }
    Ok(out)
}

/// A `{variable}` of a route template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RouteVar {
    /// The name as written, without braces or wildcard stars.
    pub(crate) name: String,
    /// `{Path*}` or `{**Path}`: matches the rest of the path.
    pub(crate) wildcard: bool,
}

/// Checks a route template and returns its variables in order.
///
/// The rules and messages are those of `ssdto::route::RouteTemplate::parse` (this crate cannot
/// depend on the runtime, which re-exports it; a test compares the two on random input): a
/// template starts with `/` and may end with one `/`; no segment is empty; a literal holds no
/// `?` or `#`; a variable is a whole segment `{Name}`, `{Name*}` or `{**Name}` with a name of
/// letters, digits and `_`; a wildcard is the last segment; no variable appears twice (names
/// compared case-insensitively).
pub(crate) fn parse_template(template: &str) -> Result<Vec<RouteVar>, String> {
    let malformed = |why: String| format!("malformed route: {why}");
    let rest = template
        .strip_prefix('/')
        .ok_or_else(|| malformed(format!("route `{template}` must start with `/`")))?;
    let mut vars: Vec<RouteVar> = Vec::new();
    if rest.is_empty() {
        return Ok(vars);
    }
    let empty_segment = || malformed(format!("route `{template}` has an empty segment"));
    // Only one trailing `/` is forgiven: `//` is an empty segment, not the root.
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Err(empty_segment());
    }
    for raw in rest.split('/') {
        if raw.is_empty() {
            return Err(empty_segment());
        }
        if let Some(last) = vars.last().filter(|v| v.wildcard) {
            return Err(malformed(format!(
                "route wildcard `{}` must be the last segment",
                last.name
            )));
        }
        let Some(var) = parse_segment(raw).map_err(malformed)? else {
            continue;
        };
        if vars.iter().any(|v| eq_ignore_case(&v.name, &var.name)) {
            return Err(malformed(format!(
                "route variable `{}` appears more than once",
                var.name
            )));
        }
        vars.push(var);
    }
    Ok(vars)
}

/// One segment: `None` for a literal, else its variable.
fn parse_segment(raw: &str) -> Result<Option<RouteVar>, String> {
    if !raw.contains(['{', '}']) {
        if let Some(found) = raw.chars().find(|c| matches!(c, '?' | '#')) {
            return Err(format!("route segment `{raw}` contains `{found}`"));
        }
        return Ok(None);
    }
    let Some(inner) = raw
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .filter(|inner| !inner.contains(['{', '}']))
    else {
        return Err(if raw.matches('{').count() == raw.matches('}').count() {
            format!("route segment `{raw}` mixes a variable with other text")
        } else {
            format!("route segment `{raw}` has unbalanced braces")
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
        return Err(format!("route segment `{raw}` has an empty variable name"));
    }
    if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(format!("route variable `{inner}` is not a valid name"));
    }
    Ok(Some(RouteVar {
        name: name.to_owned(),
        wildcard,
    }))
}

/// Case-insensitive comparison as ServiceStack (and `ssdto`'s route filler) does it: ASCII
/// first, then Unicode lower-casing.
pub(crate) fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(path: &str) -> Vec<(String, bool)> {
        parse_template(path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .into_iter()
            .map(|v| (v.name, v.wildcard))
            .collect()
    }

    #[test]
    fn variables_in_every_servicestack_form() {
        assert_eq!(names("/"), vec![]);
        assert_eq!(names("/sessions"), vec![]);
        assert_eq!(names("/sessions/"), vec![]);
        assert_eq!(
            names("/sessions/{sessionId}"),
            vec![("sessionId".into(), false)]
        );
        assert_eq!(
            names("/a/{Id}/b/{Name}"),
            vec![("Id".into(), false), ("Name".into(), false)]
        );
        assert_eq!(names("/files/{Path*}"), vec![("Path".into(), true)]);
        assert_eq!(names("/files/{**Rest}"), vec![("Rest".into(), true)]);
    }

    #[test]
    fn malformed_templates_say_why() {
        for (path, why) in [
            ("", "must start with `/`"),
            ("sessions/{id}", "must start with `/`"),
            ("//", "empty segment"),
            ("/a//b", "empty segment"),
            ("/a?b", "contains `?`"),
            ("/sessions/{id", "unbalanced braces"),
            ("/sessions/id}", "unbalanced braces"),
            ("/sessions/{{id}}", "mixes a variable"),
            ("/a/{Name}.{Format}", "mixes a variable"),
            ("/sessions/{}", "empty variable name"),
            ("/sessions/{*}", "empty variable name"),
            ("/sessions/{**}", "empty variable name"),
            ("/sessions/{a*b}", "`a*b` is not a valid name"),
            ("/sessions/{a-b}", "`a-b` is not a valid name"),
            (
                "/files/{Path*}/info",
                "wildcard `Path` must be the last segment",
            ),
            (
                "/files/{**Rest}/x",
                "wildcard `Rest` must be the last segment",
            ),
            ("/x/{id}/{ID}", "variable `ID` appears more than once"),
        ] {
            let err = parse_template(path).expect_err(path);
            assert!(err.contains(why), "{path}: {err}");
            assert!(err.starts_with("malformed route: "), "{err}");
        }
    }

    /// The macro must accept exactly the templates the runtime accepts, with the same message,
    /// or a derived request could compile and then fail (or be refused for no reason).
    fn agrees_with_runtime(template: &str) {
        let runtime = ssdto::route::RouteTemplate::parse(template);
        match (parse_template(template), runtime) {
            (Ok(vars), Ok(parsed)) => {
                let names: Vec<&str> = vars.iter().map(|v| v.name.as_str()).collect();
                assert_eq!(
                    names,
                    parsed.variables().collect::<Vec<_>>(),
                    "{template:?}"
                );
                let wildcard = parsed
                    .segments()
                    .iter()
                    .any(|s| matches!(s, ssdto::route::Segment::Wildcard(_)));
                assert_eq!(vars.iter().any(|v| v.wildcard), wildcard, "{template:?}");
            }
            (Err(ours), Err(theirs)) => {
                assert_eq!(ours, format!("malformed route: {theirs}"), "{template:?}")
            }
            (ours, theirs) => panic!("{template:?}: macro {ours:?}, runtime {theirs:?}"),
        }
    }

    #[test]
    fn same_rules_as_the_runtime_on_examples() {
        for template in [
            "/",
            "",
            "x",
            "/a/",
            "/a//",
            "//",
            "/{a}",
            "/{a}/",
            "/{a*}",
            "/{**a}/",
            "/{a*}/b",
            "/{a}/{A}",
            "/{É}/{é}",
            "/a#",
            "/{a}x",
            "/{a",
            "/a}",
            "/{a}}",
            "/{}",
            "/{ a }",
        ] {
            agrees_with_runtime(template);
        }
    }

    /// Templates near the rules' edges: variables with stray stars, dashes and non-ASCII
    /// names, braces out of place, `?`/`#`, empty segments, missing or doubled slashes.
    fn template() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let segment = prop_oneof![
            "[aA_É?#.-]{0,2}",
            "\\{\\*{0,2}[aAéÉ_*-]{0,2}\\*{0,2}\\}",
            "[a{}*]{0,3}",
        ];
        (
            any::<bool>(),
            proptest::collection::vec(segment, 0..5),
            any::<bool>(),
        )
            .prop_map(|(lead, segments, trail)| {
                let mut t = if lead { "/".to_owned() } else { String::new() };
                t.push_str(&segments.join("/"));
                if trail {
                    t.push('/');
                }
                t
            })
    }

    proptest::proptest! {
        #[test]
        fn same_rules_as_the_runtime_on_random_templates(template in template()) {
            agrees_with_runtime(&template);
        }
    }

    #[test]
    fn verb_lists_follow_the_generator() {
        assert_eq!(parse_verbs("GET"), Ok(vec![Verb::Get]));
        assert_eq!(
            parse_verbs("get, Post,GET"),
            Ok(vec![Verb::Get, Verb::Post])
        );
        assert_eq!(parse_verbs("ANY"), Ok(vec![]));
        assert_eq!(parse_verbs("*"), Ok(vec![]));
        assert!(parse_verbs("FETCH").unwrap_err().contains("`FETCH`"));
        assert!(parse_verbs("").is_err());
        assert!(parse_verbs("GET,").unwrap_err().contains("empty verb"));
        assert_eq!(Verb::parse(" delete "), Ok(Verb::Delete));
        assert!(Verb::parse("ANY").is_err());
    }
}
