//! Rules for operations: added and removed operations, verbs, routes, responses and auth.

use std::collections::{BTreeMap, BTreeSet};

use super::{new_at, old_at, Breaks, Ctx, Flow, Parties, Reader};
use crate::diff::surface::{Auth, OpDef, Shape};
use crate::diff::{ContractPath, Rule, Subject};

impl Ctx<'_> {
    pub(super) fn operations(&mut self) {
        let names: BTreeSet<&String> = self
            .old
            .operations
            .keys()
            .chain(self.new.operations.keys())
            .collect();
        for name in names {
            match (self.old.operations.get(name), self.new.operations.get(name)) {
                // `/api/{Name}` of an operation the server does not have is 404.
                (Some(old), None) => {
                    let breaks = Breaks {
                        old_clients: Some(format!(
                            "OLD clients call {name}; the NEW server has no such operation (404)"
                        )),
                        ..Breaks::default()
                    }
                    .source(format!(
                        "the request type `{}` and its `ssdto::Request` impl are gone",
                        old.request
                    ));
                    let subject = Subject::Operation(name.clone());
                    self.push(
                        Rule::OperationRemoved,
                        subject,
                        None,
                        old_at(&old.path),
                        "removed".into(),
                        breaks,
                    );
                }
                // Only clients that use it meet OLD servers' 404.
                (None, Some(new)) => {
                    let subject = Subject::Operation(name.clone());
                    self.push(
                        Rule::OperationAdded,
                        subject,
                        None,
                        new_at(&new.path),
                        "added".into(),
                        Breaks::default().note("OLD servers answer 404 to it"),
                    );
                }
                (Some(old), Some(new)) => self.operation(old, new),
                (None, None) => {}
            }
        }
    }

    fn operation(&mut self, old: &OpDef, new: &OpDef) {
        let subject = Subject::Operation(new.name.clone());
        let path = new_at(&new.path);
        // ServiceStack runs the service method for the request's verb or `Any`; without one it
        // throws `NotImplementedException`, which it answers with 405.
        if old.method != new.method {
            let mut breaks = Breaks::default();
            for (flow, client, server) in [(Flow::Forward, old, new), (Flow::Reverse, new, old)] {
                let Parties {
                    clients,
                    server: servers,
                    s: ends,
                    ..
                } = Parties::of(flow);
                if !accepts(&server.accepts, &client.method) {
                    breaks.wire(flow, Some(format!(
                        "{clients} send {}; {servers} implement{ends} {} only: ServiceStack answers 405",
                        client.method,
                        verb_list(&server.accepts)
                    )));
                }
            }
            let breaks = breaks.note("the service implements both verbs; GET and DELETE carry the fields in the query string, other verbs in a JSON body, and ServiceStack reads both");
            self.push(
                Rule::MethodChanged,
                subject.clone(),
                None,
                path.clone(),
                format!("{} -> {}", old.method, new.method),
                breaks,
            );
        }
        self.routes(old, new, &subject);
        self.response(old, new, &subject);
        self.auth(&old.auth, &new.auth, &subject, path);
    }

    fn routes(&mut self, old: &OpDef, new: &OpDef, subject: &Subject) {
        // ServiceStack matches routes ignoring case, so `/Items/{Id}` is `/items/{id}`.
        let by_path = |op: &OpDef| -> BTreeMap<String, (String, Vec<String>)> {
            op.routes
                .iter()
                .map(|(p, v)| {
                    let mut verbs = v.clone();
                    verbs.sort();
                    (p.to_lowercase(), (p.clone(), verbs))
                })
                .collect()
        };
        let (a, b) = (by_path(old), by_path(new));
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        let path = new_at(&new.path);
        for key in keys {
            // Clients calling declared routes (`RouteStrategy::Declared`) pick a route that
            // allows the operation's verb.
            let old_serves = a.get(key).is_some_and(|(_, v)| accepts(v, &old.method));
            let new_serves = b.get(key).is_some_and(|(_, v)| accepts(v, &new.method));
            let new_serves_old = b.get(key).is_some_and(|(_, v)| accepts(v, &old.method));
            let old_serves_new = a.get(key).is_some_and(|(_, v)| accepts(v, &new.method));
            let mut breaks = Breaks::default();
            let route = a.get(key).or(b.get(key)).map_or("", |(p, _)| p.as_str());
            if old_serves && !new_serves_old {
                breaks.wire(Flow::Forward, Some(format!(
                    "OLD clients calling declared routes send {} {route}, which the NEW server does not serve (`/api/{}` still works)",
                    old.method, old.name
                )));
            }
            if new_serves && !old_serves_new {
                breaks.wire(Flow::Reverse, Some(format!(
                    "NEW clients calling declared routes may send {} {route}, which OLD servers do not serve",
                    new.method
                )));
            }
            let (rule, detail) = match (a.get(key), b.get(key)) {
                (Some(_), None) => (Rule::RouteRemoved, "removed".to_owned()),
                (None, Some(_)) => (Rule::RouteAdded, "added".to_owned()),
                (Some((_, v1)), Some((_, v2))) if v1 != v2 => (
                    Rule::RouteVerbsChanged,
                    format!("{} -> {}", verb_list(v1), verb_list(v2)),
                ),
                _ => continue,
            };
            self.push(
                rule,
                subject.clone(),
                Some(format!("route `{route}`")),
                path.clone(),
                detail,
                breaks,
            );
        }
    }

    fn response(&mut self, old: &OpDef, new: &OpDef, subject: &Subject) {
        let old_shape = old.response.as_ref().map(|s| self.canon(s));
        if old_shape == new.response {
            return;
        }
        let mut breaks = Breaks::default();
        // The server sends, the client reads: NEW to OLD clients, OLD to NEW clients.
        for (flow, sent, read) in [
            (Flow::Forward, &new.response, &old_shape),
            (Flow::Reverse, &old_shape, &new.response),
        ] {
            let Parties {
                clients: who,
                server,
                s: ends,
                ..
            } = Parties::of(flow);
            let ok = match (sent, read) {
                // A void operation's client ignores any body.
                (_, None) => true,
                // An empty body reads as `null`: only `serde_json::Value` takes it.
                (None, Some(r)) => matches!(r, Shape::Json | Shape::Option(_)),
                (Some(s), Some(r)) => self.readable(s, r, Reader::Client),
            };
            if !ok {
                breaks.wire(
                    flow,
                    Some(format!(
                        "{server} answer{ends} {}; {who} cannot read it as {}",
                        response_text(sent, if flow == Flow::Forward { new } else { old }),
                        response_text(read, if flow == Flow::Forward { old } else { new }),
                    )),
                );
            }
        }
        let before = self.canon_text(&old.response_rust);
        // Rust may spell two wire types alike (dates kept as `String`).
        if before != new.response_rust {
            breaks = breaks.source(format!(
                "`<{} as ssdto::Request>::Response` is another type",
                new.request
            ));
        }
        self.push(
            Rule::ResponseChanged,
            subject.clone(),
            None,
            new_at(&new.path),
            format!("`{before}` -> `{}`", new.response_rust),
            breaks,
        );
    }

    /// `[Authenticate]` answers 401 without a session; `[RequiredRole]` and
    /// `[RequiredPermission]` answer 403 without the role or permission.
    fn auth(&mut self, old: &Auth, new: &Auth, subject: &Subject, path: Option<ContractPath>) {
        // What `b` demands that `a` does not: authentication; a role or permission of those
        // all required; a list of which one is required where there was none, or without a
        // member that satisfied it.
        let demands = |a: &Auth, b: &Auth| -> Vec<String> {
            let mut out = Vec::new();
            if b.required && !a.required {
                out.push("authentication".to_owned());
            }
            let all = |out: &mut Vec<String>, a: &[String], b: &[String], what: &str| {
                out.extend(
                    b.iter()
                        .filter(|x| !a.contains(x))
                        .map(|x| format!("{what} `{x}`")),
                );
            };
            let any = |out: &mut Vec<String>, a: &[String], b: &[String], what: &str| {
                let stricter = !b.is_empty() && (a.is_empty() || a.iter().any(|x| !b.contains(x)));
                if stricter {
                    let list: Vec<String> = b.iter().map(|x| format!("`{x}`")).collect();
                    out.push(format!("one of the {what}s {}", list.join(", ")));
                }
            };
            all(&mut out, &a.roles, &b.roles, "role");
            any(&mut out, &a.any_roles, &b.any_roles, "role");
            all(&mut out, &a.permissions, &b.permissions, "permission");
            any(
                &mut out,
                &a.any_permissions,
                &b.any_permissions,
                "permission",
            );
            out
        };
        let added = demands(old, new);
        if !added.is_empty() {
            let what = added.join(", ");
            let breaks = Breaks {
                old_clients: Some(format!(
                    "the NEW service demands {what}: OLD clients without it get 401 or 403"
                )),
                ..Breaks::default()
            };
            self.push(
                Rule::AuthAdded,
                subject.clone(),
                None,
                path.clone(),
                format!("demands {what}"),
                breaks,
            );
        }
        let removed = demands(new, old);
        if !removed.is_empty() {
            let what = removed.join(", ");
            let breaks = Breaks {
                new_clients: Some(format!(
                    "NEW clients may call without {what}, which OLD services demand (401 or 403)"
                )),
                ..Breaks::default()
            };
            self.push(
                Rule::AuthRemoved,
                subject.clone(),
                None,
                path,
                format!("no longer demands {what}"),
                breaks,
            );
        }
    }
}

fn accepts(verbs: &[String], verb: &str) -> bool {
    verbs.is_empty() || verbs.iter().any(|v| v == verb)
}

fn verb_list(verbs: &[String]) -> String {
    if verbs.is_empty() {
        "any verb".into()
    } else {
        verbs.join(", ")
    }
}

fn response_text(shape: &Option<Shape>, op: &OpDef) -> String {
    match shape {
        None => "nothing (204)".into(),
        Some(_) => format!("`{}`", op.response_rust),
    }
}
