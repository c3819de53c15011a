//! Operations: the verb clients use, the declared routes (checked by the protocol's route
//! rules), the response and how its body travels, and the auth requirements, all as data.

use ssdto_protocol::route::RouteParseError;
use ssdto_protocol::{parse_verbs, Method, RouteTemplate, UnknownMethod};

use super::types::parse_type_name;
use super::Resolver;
use crate::error::Error;
use crate::model::{AuthRequirements, Body, Operation, Response, RouteDef, TypeId};
use crate::parse::MetadataOperationType;
use crate::warning::WarningKind;

impl Resolver<'_> {
    /// An operation's declared routes, checked by the rules the runtime serves routes by.
    ///
    /// A route ServiceStack itself could not serve (no leading `/`, `?` or `#` in a literal,
    /// unbalanced braces, an empty variable) is an error naming it. One that a ServiceStack
    /// server may serve but ssdto's runtime cannot fill or match (a variable inside other text,
    /// a wildcard in the middle, an empty segment, a repeated variable) is left out with a
    /// warning: the operation is still reached at `/api/{Name}`, as clients fall back to.
    pub(super) fn routes(
        &self,
        op: &MetadataOperationType,
        index: usize,
    ) -> Result<Vec<RouteDef>, Error> {
        let mut routes = Vec::new();
        for (j, r) in op.routes.iter().flatten().enumerate() {
            let path = format!("operations[{index}].routes[{j}]");
            let verbs = match r.verbs.as_deref().filter(|v| !v.trim().is_empty()) {
                None => Vec::new(),
                Some(text) => match parse_verbs(text) {
                    Ok(verbs) => verbs,
                    // A server may declare a verb of its own (`SEARCH`); ssdto's `Method` has
                    // none for it, so the route goes and `/api/{Name}` is still there.
                    Err(err) => {
                        self.fallback.warn(
                            &format!("{path}.verbs"),
                            WarningKind::UnsupportedRoute,
                            format!(
                                "{err}: the route `{}` is left out and `{}` is sent to `/api/{}`",
                                r.path, op.request.name, op.request.name
                            ),
                        );
                        continue;
                    }
                },
            };
            match RouteTemplate::parse(&r.path) {
                Ok(template) => routes.push(RouteDef {
                    path: r.path.clone(),
                    template,
                    verbs,
                }),
                Err(
                    err @ (RouteParseError::MissingLeadingSlash { .. }
                    | RouteParseError::InvalidCharacter { .. }
                    | RouteParseError::UnbalancedBraces { .. }
                    | RouteParseError::EmptyVariable { .. }),
                ) => {
                    return Err(Error::Invalid {
                        path: format!("{path}.path"),
                        message: err.to_string(),
                    })
                }
                Err(err) => self.fallback.warn(
                    &format!("{path}.path"),
                    WarningKind::UnsupportedRoute,
                    format!(
                        "{err}: ssdto cannot fill or match it, so it is left out and `{}` is \
                         sent to `/api/{}`",
                        op.request.name, op.request.name
                    ),
                ),
            }
        }
        Ok(routes)
    }

    pub(super) fn operation(
        &self,
        op: &MetadataOperationType,
        index: usize,
        request: TypeId,
        routes: Vec<RouteDef>,
    ) -> Result<Operation, Error> {
        let path = format!("operations[{index}]");
        let method = operation_method(op).unwrap_or_else(|err| {
            self.fallback.warn(
                &format!("{path}.method"),
                WarningKind::UnsupportedRoute,
                format!("{err}: `{}` is sent with POST", op.request.name),
            );
            Method::Post
        });
        // `returnsVoid` wins over a response type: clients of an `IReturnVoid` request ignore
        // any body (ServiceStack's own clients call `Send<IReturnVoid>` and discard it).
        let (response, body) = if op.returns_void == Some(true) {
            (Response::Void, Body::Dto)
        } else if let Some(rt) = &op.return_type {
            let path = format!("{path}.returnType");
            let text = parse_type_name(&rt.name, rt.generic_args.as_deref(), &path)?;
            self.response(&text, &path)?
        } else if let Some(r) = &op.response {
            let path = format!("{path}.response");
            // Without a `returnType`, a generic response's own arguments say what it is
            // (a ``Task`1`` of `Object`), unless they are its definition's parameters.
            let args = (r.is_generic_type_def != Some(true))
                .then_some(r.generic_args.as_deref())
                .flatten();
            let text = parse_type_name(&r.name, args, &path)?;
            self.response(&text, &path)?
        } else {
            (Response::Untyped, Body::Dto)
        };
        Ok(Operation {
            request,
            name: op.request.name.clone(),
            method,
            routes,
            response,
            body,
            auth: AuthRequirements {
                requires_auth: op.requires_auth == Some(true),
                required_roles: op.required_roles.clone().unwrap_or_default(),
                requires_any_role: op.requires_any_role.clone().unwrap_or_default(),
                required_permissions: op.required_permissions.clone().unwrap_or_default(),
                requires_any_permission: op.requires_any_permission.clone().unwrap_or_default(),
            },
        })
    }
}

/// The verb clients use: `operation.method` (its first verb; `ANY` means POST), else the
/// marker interface older contracts declare, else the first route's first verb, else POST.
fn operation_method(op: &MetadataOperationType) -> Result<Method, UnknownMethod> {
    if let Some(m) = op.method.as_deref().filter(|m| !m.trim().is_empty()) {
        return Ok(parse_verbs(m)?.into_iter().next().unwrap_or(Method::Post));
    }
    // Older contracts have no `method`: the marker interfaces and routes tell.
    for i in op.request.implements.iter().flatten() {
        let verb = match i.name.as_str() {
            "IGet" => Method::Get,
            "IPost" => Method::Post,
            "IPut" => Method::Put,
            "IPatch" => Method::Patch,
            "IDelete" => Method::Delete,
            _ => continue,
        };
        return Ok(verb);
    }
    let route_verbs: Vec<Vec<Method>> = op
        .routes
        .iter()
        .flatten()
        .filter_map(|r| parse_verbs(r.verbs.as_deref()?).ok())
        .collect();
    Ok(ssdto_protocol::default_method(
        route_verbs.iter().map(Vec::as_slice),
    ))
}

#[cfg(test)]
mod tests {
    use ssdto_protocol::Method;

    use crate::model::Ty;
    use crate::resolve::testing::{fields, space};
    use crate::{Error, Options, WarningKind};

    fn with_route(path: &str, verbs: &str) -> String {
        serde_json::json!({"operations": [{"request": {"name": "Get"}, "method": "GET",
            "routes": [{"path": "/ok/{Id}", "verbs": "GET"}, {"path": path, "verbs": verbs}]}]})
        .to_string()
    }

    #[test]
    fn routes_are_checked_by_the_protocol_rules() {
        let s = space(&with_route("/b", "get, Post")).unwrap();
        let op = &s.operations[0];
        assert_eq!(op.method, Method::Get);
        assert_eq!(op.routes[1].verbs, [Method::Get, Method::Post]);
        assert!(s.warnings.is_empty());
        for (path, verbs, error) in [
            (
                "b/{Id}",
                "GET",
                "operations[0].routes[1].path: route `b/{Id}` must start with `/`",
            ),
            (
                "/b/{Id",
                "GET",
                "operations[0].routes[1].path: route segment `{Id` has unbalanced braces",
            ),
            (
                "/b?x=1",
                "GET",
                "operations[0].routes[1].path: route segment `b?x=1` contains `?`",
            ),
        ] {
            let err = space(&with_route(path, verbs)).unwrap_err();
            assert!(matches!(err, Error::Invalid { .. }), "{err}");
            assert_eq!(err.to_string(), error);
        }
    }

    /// A route a ServiceStack server may serve but ssdto cannot fill or match is left out
    /// with a warning (an error with `strict`); the operation keeps its other routes.
    #[test]
    fn routes_the_runtime_cannot_serve_are_left_out_with_a_warning() {
        let contract = with_route("/files/{Name}-{Ext}", "");
        let s = space(&contract).unwrap();
        assert_eq!(s.operations[0].routes.len(), 1);
        assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
        assert_eq!(s.warnings[0].kind, WarningKind::UnsupportedRoute);
        assert_eq!(s.warnings[0].path, "operations[0].routes[1].path");
        let generated = crate::generate(&contract, &Options::default()).unwrap();
        assert!(!generated.code.contains("/files/"), "{}", generated.code);
        assert!(generated.code.contains("/ok/{Id}"), "{}", generated.code);
        let strict = Options {
            strict: true,
            ..Options::default()
        };
        assert!(matches!(
            crate::generate(&contract, &strict),
            Err(Error::Strict { .. })
        ));
    }

    /// A verb of the server's own (`SEARCH`) cannot be sent with `Method`: the route goes
    /// with a warning, and an operation whose `method` is one is sent with POST.
    #[test]
    fn verbs_of_a_servers_own_are_warnings() {
        let s = space(&with_route("/b", "GET,SEARCH")).unwrap();
        assert_eq!(s.operations[0].routes.len(), 1);
        assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
        assert_eq!(s.warnings[0].path, "operations[0].routes[1].verbs");
        assert_eq!(s.warnings[0].kind, WarningKind::UnsupportedRoute);

        let s = space(r#"{"operations":[{"request":{"name":"Find"},"method":"SEARCH"}]}"#).unwrap();
        assert_eq!(s.operations[0].method, Method::Post);
        assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
        assert_eq!(s.warnings[0].path, "operations[0].method");
    }

    /// Every route of the real contracts passes the protocol's rules: none is refused or left
    /// out.
    #[test]
    fn real_routes_are_all_kept() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts/real");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let json = std::fs::read_to_string(&path).unwrap();
            let contract = crate::parse::parse_contract(&json).unwrap();
            let s = crate::resolve::resolve(&contract, &Options::default()).unwrap();
            let unsupported = s
                .warnings
                .iter()
                .filter(|w| w.kind == WarningKind::UnsupportedRoute);
            assert_eq!(unsupported.count(), 0, "{}", path.display());
            checked += s.operations.iter().map(|o| o.routes.len()).sum::<usize>();
        }
        assert!(checked > 150, "{checked} routes");
    }

    #[test]
    fn variables_of_every_route_are_required() {
        let s = space(
            r#"{"operations":[{"request":{"name":"Get","properties":[
                {"name":"SessionId","type":"String"},{"name":"Part","type":"String"},{"name":"Q","type":"String"}]},
              "routes":[{"path":"/s/{sessionId}/{Part*}"},{"path":"/s/{SESSIONID}"}]}]}"#,
        )
        .unwrap();
        let f = fields(&s, "Get");
        assert_eq!(f[0].ty, Ty::Prim("String"), "in every route");
        assert!(matches!(f[1].ty, Ty::Option(_)), "in one route only");
        assert!(matches!(f[2].ty, Ty::Option(_)), "in no route");
    }
}
