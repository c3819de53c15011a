//! The rules: which changes break whom, and why.
//!
//! Parties: a client built on OLD against a server on NEW ("OLD clients"), a client built on
//! NEW against a server still on OLD ("NEW clients"), and Rust code written against OLD's types
//! ("source"). Clients are ssdto's generated code; servers are ServiceStack.
//!
//! On the wire, a value flows from a sender to a receiver: requests from the client to the
//! server, responses back. A type used in requests is judged by how ServiceStack reads
//! requests, one used in responses by how the generated code reads responses, and one used in
//! both by both. The facts behind the rules, with their sources:
//! - ServiceStack binds members by name, ignoring case (`TypeAccessorUtils.Get`:
//!   `StringComparison.OrdinalIgnoreCase`; `StringMapTypeDeserializer`'s
//!   `StringComparer.OrdinalIgnoreCase` map), and skips members it does not know
//!   (`DeserializeTypeRefJson.StringToType`: "the property is not known by the DTO";
//!   `StringMapTypeDeserializer.PopulateFromKeyValue` logs "Property ... does not exist").
//! - A member ServiceStack cannot convert (a number too large, a name `Enum.Parse` rejects) is
//!   left at its default in a JSON body (`DeserializeTypeRefJson`: with `ThrowOnError` off, the
//!   default, it only warns "failed to set property") and fails the request with 400 in a query
//!   string or route (`StringMapTypeDeserializer.PopulateFromMap` throws "Unable to bind to
//!   request"), and with System.Text.Json (`UseSystemJson`) in a body too.
//! - A verb the service does not implement is 405 (`ServiceExec`: `NotImplementedException`
//!   "Could not find method named ...", mapped to 405 by `HttpRequestExtensions`).
//! - `isRequired` comes from non-nullable reference types, `[Required]`,
//!   `[ApiMember(IsRequired)]` and the `NotNull`/`NotEmpty` validators
//!   (`MetadataTypes.ToMetadataPropertyType`, `NativeTypesMetadata.ToProperty`): the server
//!   validates it.
//! - ServiceStack does not write null members (`IncludeNullValues` is off by default), and
//!   writes enums by name unless they are integer enums.
//! - The generated structs read missing members as their default (`#[serde(default)]`), ignore
//!   unknown ones, match names exactly (the wire name, or the .NET name as an alias), fail on a
//!   value of the wrong type, and keep enum values they do not know (`Unknown(..)`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::surface::{Auth, FieldDef, Kind, MemberDef, OpDef, Shape, Surface, TypeDef};
use super::{Change, ContractPath, Impact, Rule, Subject, Version};

/// Compares OLD with NEW.
pub(crate) fn compare(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut ctx = Ctx {
        old,
        new,
        renames: HashMap::new(),
        roles: HashMap::new(),
        request_types: HashMap::new(),
        out: Vec::new(),
    };
    ctx.find_renames();
    ctx.find_roles();
    ctx.operations();
    ctx.types();
    let mut out = ctx.out;
    // Operations first, then types; inside a group, in the order found.
    out.sort_by(|a, b| a.subject.cmp(&b.subject));
    out
}

/// How a type is used on the wire.
#[derive(Debug, Clone, Copy, Default)]
struct Roles {
    request: bool,
    response: bool,
}

/// Which way a value flows, and between which versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    /// OLD client, NEW server.
    Forward,
    /// NEW client, OLD server.
    Reverse,
}

/// Who reads a value: ServiceStack (requests) or the generated code (responses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    Server,
    Client,
}

struct Ctx<'a> {
    old: &'a Surface,
    new: &'a Surface,
    /// OLD type name -> NEW type name, for types renamed with the same shape.
    renames: HashMap<String, String>,
    /// By NEW name (OLD name for types NEW does not have).
    roles: HashMap<String, Roles>,
    /// Request type (either version's name) -> operation.
    request_types: HashMap<String, String>,
    out: Vec<Change>,
}

/// Who a change breaks, filled in by the rules, and a note for when it breaks nobody.
#[derive(Default)]
struct Breaks {
    old_clients: Option<String>,
    new_clients: Option<String>,
    source: Option<String>,
    note: Option<String>,
}

impl Breaks {
    fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    fn wire(&mut self, flow: Flow, reason: Option<String>) {
        let slot = match flow {
            Flow::Forward => &mut self.old_clients,
            Flow::Reverse => &mut self.new_clients,
        };
        if slot.is_none() {
            *slot = reason;
        }
    }

    fn source(mut self, reason: impl Into<String>) -> Self {
        self.source = Some(reason.into());
        self
    }
}

impl Ctx<'_> {
    fn push(
        &mut self,
        rule: Rule,
        subject: Subject,
        member: Option<String>,
        path: Option<ContractPath>,
        detail: String,
        breaks: Breaks,
    ) {
        let impact = Impact {
            old_clients: breaks.old_clients,
            new_clients: breaks.new_clients,
            source: breaks.source,
        };
        // A note explains why something is safe; a break explains itself.
        let note = breaks.note.filter(|_| impact.is_safe());
        self.out.push(Change {
            rule,
            subject,
            member,
            path,
            detail,
            impact,
            note,
        });
    }

    /// The NEW name of an OLD type.
    fn renamed<'n>(&'n self, old_name: &'n str) -> &'n str {
        self.renames.get(old_name).map_or(old_name, String::as_str)
    }

    /// An OLD shape with renamed types under their NEW names, comparable with NEW shapes.
    fn canon(&self, shape: &Shape) -> Shape {
        let all = |args: &[Shape]| args.iter().map(|a| self.canon(a)).collect();
        match shape {
            Shape::Named(n, args) => Shape::Named(self.renamed(n).to_owned(), all(args)),
            Shape::Runtime(p, args) => Shape::Runtime(p.clone(), all(args)),
            Shape::List(t) => Shape::List(Box::new(self.canon(t))),
            Shape::Option(t) => Shape::Option(Box::new(self.canon(t))),
            Shape::Boxed(t) => Shape::Boxed(Box::new(self.canon(t))),
            Shape::Map(k, v) => Shape::Map(Box::new(self.canon(k)), Box::new(self.canon(v))),
            other => other.clone(),
        }
    }

    /// Rust type text with OLD's renamed types under their NEW names.
    fn canon_text(&self, text: &str) -> String {
        rename_words(text, &self.renames)
    }

    fn subject(&self, type_name: &str) -> Subject {
        match self.request_types.get(type_name) {
            Some(op) => Subject::Operation(op.clone()),
            None => Subject::Type(type_name.to_owned()),
        }
    }

    /// Types whose shape is unchanged under a new name. Request types are their operation's
    /// name on the wire, so they are never renames.
    fn find_renames(&mut self) {
        let requests: HashSet<&str> = self
            .old
            .operations
            .values()
            .chain(self.new.operations.values())
            .map(|o| o.request.as_str())
            .collect();
        let candidates = |side: &Surface, other: &Surface| -> BTreeMap<String, Vec<String>> {
            let mut by_shape: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for t in side.types.values() {
                if !other.types.contains_key(&t.name) && !requests.contains(t.name.as_str()) {
                    by_shape
                        .entry(signature(t))
                        .or_default()
                        .push(t.name.clone());
                }
            }
            by_shape
        };
        let gone = candidates(self.old, self.new);
        let added = candidates(self.new, self.old);
        for (sig, olds) in &gone {
            if let (Some(news), [old]) = (added.get(sig), olds.as_slice()) {
                if let [new] = news.as_slice() {
                    self.renames.insert(old.clone(), new.clone());
                }
            }
        }
    }

    /// Which types each version sends in requests and responses, from every operation's
    /// request and response through every field.
    fn find_roles(&mut self) {
        for (side, is_old) in [(self.old, true), (self.new, false)] {
            let mut requests = Vec::new();
            let mut responses = Vec::new();
            for op in side.operations.values() {
                let request = if is_old {
                    self.renamed(&op.request).to_owned()
                } else {
                    op.request.clone()
                };
                self.request_types.insert(request, op.name.clone());
                self.request_types
                    .insert(op.request.clone(), op.name.clone());
                requests.push(op.request.clone());
                if let Some(r) = &op.response {
                    named(r, &mut responses);
                }
            }
            // One walk per role through every field, from every operation at once.
            for (mut stack, request) in [(requests, true), (responses, false)] {
                let mut seen = HashSet::new();
                while let Some(name) = stack.pop() {
                    if !seen.insert(name.clone()) {
                        continue;
                    }
                    let key = if is_old {
                        self.renamed(&name).to_owned()
                    } else {
                        name.clone()
                    };
                    let roles = self.roles.entry(key).or_default();
                    if request {
                        roles.request = true;
                    } else {
                        roles.response = true;
                    }
                    if let Some(TypeDef {
                        kind: Kind::Struct { fields, .. },
                        ..
                    }) = side.types.get(&name)
                    {
                        for f in fields {
                            named(&f.shape, &mut stack);
                        }
                    }
                }
            }
        }
    }

    fn roles(&self, new_name: &str) -> Roles {
        self.roles.get(new_name).copied().unwrap_or_default()
    }

    /// Users build values of types sent in requests (and of response types when they serve
    /// them); a type used nowhere may be either.
    fn built_by_users(&self, new_name: &str) -> bool {
        let r = self.roles(new_name);
        let server = self.old.server || self.new.server;
        // Only a type received in responses, and not served, is never built.
        !(r.response && !r.request && !server)
    }

    /// Users read, and `match`, values of types received in responses (and of request types
    /// when they serve them).
    fn read_by_users(&self, new_name: &str) -> bool {
        let r = self.roles(new_name);
        let server = self.old.server || self.new.server;
        // Only a type sent in requests, and not served, is never read.
        !(r.request && !r.response && !server)
    }

    fn kind_of(&self, name: &str) -> Option<&Kind> {
        self.new
            .types
            .get(name)
            .or_else(|| self.old.types.get(name))
            .map(|t| &t.kind)
    }

    fn enum_repr(&self, name: &str) -> Option<bool> {
        match self.kind_of(name) {
            Some(Kind::Enum { int, .. }) => Some(*int),
            _ => None,
        }
    }

    // ---------------------------------------------------------------------------------------
    // Operations

    fn operations(&mut self) {
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

    // ---------------------------------------------------------------------------------------
    // Types

    fn types(&mut self) {
        let removed_ops: HashSet<&str> = self
            .old
            .operations
            .values()
            .filter(|o| !self.new.operations.contains_key(&o.name))
            .map(|o| o.request.as_str())
            .collect();
        let added_ops: HashSet<&str> = self
            .new
            .operations
            .values()
            .filter(|o| !self.old.operations.contains_key(&o.name))
            .map(|o| o.request.as_str())
            .collect();
        let renamed_to: HashSet<String> = self.renames.values().cloned().collect();
        for old in self.old.types.values() {
            let new_name = self.renamed(&old.name).to_owned();
            match self.new.types.get(&new_name) {
                Some(new) => {
                    if new_name != old.name {
                        let breaks = Breaks::default()
                            .source(format!("code naming `{}` no longer compiles", old.name));
                        self.push(
                            Rule::TypeRenamed,
                            self.subject(&new_name),
                            None,
                            new_at(&new.path),
                            format!("`{}` -> `{new_name}`", old.name),
                            breaks,
                        );
                    }
                    self.type_def(old, new);
                }
                // An operation's removal says it all.
                None if removed_ops.contains(old.name.as_str()) => {}
                None => {
                    let breaks = Breaks::default()
                        .source(format!("code naming `{}` no longer compiles", old.name));
                    self.push(
                        Rule::TypeRemoved,
                        self.subject(&old.name),
                        None,
                        old_at(&old.path),
                        "removed".into(),
                        breaks,
                    );
                }
            }
        }
        for new in self.new.types.values() {
            let known = self.old.types.contains_key(&new.name)
                || renamed_to.contains(&new.name)
                || added_ops.contains(new.name.as_str());
            if !known {
                self.push(
                    Rule::TypeAdded,
                    self.subject(&new.name),
                    None,
                    new_at(&new.path),
                    "added".into(),
                    Breaks::default(),
                );
            }
        }
    }

    fn type_def(&mut self, old: &TypeDef, new: &TypeDef) {
        let subject = self.subject(&new.name);
        let roles = self.roles(&new.name);
        match (&old.kind, &new.kind) {
            (
                Kind::Struct {
                    generics: g1,
                    fields: f1,
                },
                Kind::Struct {
                    generics: g2,
                    fields: f2,
                },
            ) => {
                // Parameters are positional: `Page<T>` -> `Page<TItem>` changes no use of it.
                if g1.len() == g2.len() && g1 != g2 {
                    let names: HashMap<String, String> =
                        g1.iter().cloned().zip(g2.iter().cloned()).collect();
                    let renamed: Vec<FieldDef> = f1
                        .iter()
                        .map(|f| FieldDef {
                            shape: rename_params(&f.shape, &names),
                            rust: rename_words(&f.rust, &names),
                            ..f.clone()
                        })
                        .collect();
                    return self.fields(&new.name, roles, &renamed, f2, &subject);
                }
                if g1.len() != g2.len() {
                    let breaks = Breaks::default().source(format!(
                        "code naming `{}` with its type arguments no longer compiles",
                        new.name
                    ));
                    self.push(
                        Rule::GenericsChanged,
                        subject.clone(),
                        None,
                        new_at(&new.path),
                        format!("<{}> -> <{}>", g1.join(", "), g2.join(", ")),
                        breaks,
                    );
                }
                self.fields(&new.name, roles, f1, f2, &subject);
            }
            (
                Kind::Enum {
                    int: i1,
                    members: m1,
                },
                Kind::Enum {
                    int: i2,
                    members: m2,
                },
            ) => {
                if i1 != i2 {
                    self.representation(*i1, m1, m2, roles, &subject, new);
                }
                self.members(&new.name, *i1 && *i2, roles, m1, m2, &subject);
            }
            _ => {
                let mut breaks = Breaks::default();
                if roles.request || roles.response {
                    for flow in [Flow::Forward, Flow::Reverse] {
                        breaks.wire(flow, Some(
                            "one side writes a JSON object where the other reads a string or number".into(),
                        ));
                    }
                }
                let what = |k: &Kind| match k {
                    Kind::Struct { .. } => "struct",
                    Kind::Enum { .. } => "enum",
                };
                let breaks =
                    breaks.source(format!("`{}` is no longer a {}", new.name, what(&old.kind)));
                self.push(
                    Rule::KindChanged,
                    subject,
                    None,
                    new_at(&new.path),
                    format!("{} -> {}", what(&old.kind), what(&new.kind)),
                    breaks,
                );
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Fields

    fn fields(
        &mut self,
        type_name: &str,
        roles: Roles,
        old: &[FieldDef],
        new: &[FieldDef],
        subject: &Subject,
    ) {
        // ServiceStack knows a member by its wire name in any case; pair those first, then
        // what is left by Rust name (a member renamed on the wire).
        let pairs = pair(
            old,
            new,
            |o, n| ssdto_protocol::eq_ignore_case(&o.wire, &n.wire),
            |o, n| o.name == n.name,
        );

        for (o, n) in pairs {
            match (o, n) {
                (Some(o), Some(n)) => self.field_pair(roles, o, n, subject),
                (Some(o), None) => {
                    let breaks = self
                        .flows(roles, Some(o), None, Aspect::Presence)
                        .source(format!("code using `{}` no longer compiles", o.name));
                    self.push(
                        Rule::FieldRemoved,
                        subject.clone(),
                        Some(field_label(o)),
                        old_at(&o.path),
                        "removed".into(),
                        breaks,
                    );
                }
                (None, Some(n)) => {
                    let mut breaks = self.flows(roles, None, Some(n), Aspect::Presence);
                    if self.built_by_users(type_name) {
                        breaks = breaks.source(format!(
                            "struct literals of `{type_name}` must set `{}` (`..Default::default()` avoids this)",
                            n.name
                        ));
                    }
                    if roles.request {
                        breaks = breaks.note("OLD servers ignore it");
                    }
                    self.push(
                        Rule::FieldAdded,
                        subject.clone(),
                        Some(field_label(n)),
                        new_at(&n.path),
                        format!("added: `{}`", n.rust),
                        breaks,
                    );
                }
                (None, None) => {}
            }
        }
    }

    fn field_pair(&mut self, roles: Roles, o: &FieldDef, n: &FieldDef, subject: &Subject) {
        let member = Some(field_label(n));
        let path = new_at(&n.path);
        if !ssdto_protocol::eq_ignore_case(&o.wire, &n.wire) {
            // On the wire, the old member is gone and a new one is there.
            let mut breaks = self.flows(roles, Some(o), None, Aspect::Presence);
            let more = self.flows(roles, None, Some(n), Aspect::Presence);
            breaks.wire(Flow::Forward, more.old_clients);
            breaks.wire(Flow::Reverse, more.new_clients);
            self.push(
                Rule::FieldRenamedOnWire,
                subject.clone(),
                member.clone(),
                path.clone(),
                format!("`{}` -> `{}`", o.wire, n.wire),
                breaks,
            );
        } else if o.wire != n.wire {
            let breaks = self
                .flows(roles, Some(o), Some(n), Aspect::Name)
                .note("ServiceStack reads member names ignoring case");
            self.push(
                Rule::FieldWireCase,
                subject.clone(),
                member.clone(),
                path.clone(),
                format!("`{}` -> `{}`", o.wire, n.wire),
                breaks,
            );
        }
        if o.name != n.name {
            let breaks =
                Breaks::default().source(format!("code using `{}` no longer compiles", o.name));
            self.push(
                Rule::FieldRenamedInRust,
                subject.clone(),
                member.clone(),
                path.clone(),
                format!("`{}` -> `{}`", o.name, n.name),
                breaks,
            );
        }
        let same_pair = ssdto_protocol::eq_ignore_case(&o.wire, &n.wire);
        let flows = |ctx: &Self, aspect| {
            if same_pair {
                ctx.flows(roles, Some(o), Some(n), aspect)
            } else {
                Breaks::default()
            }
        };
        if o.optional != n.optional {
            let breaks = flows(self, Aspect::Optionality).source(format!(
                "the field's type changed from `{}` to `{}`",
                o.rust, n.rust
            ));
            self.push(
                Rule::FieldOptionality,
                subject.clone(),
                member.clone(),
                path.clone(),
                format!("`{}` -> `{}`", o.rust, n.rust),
                breaks,
            );
        } else if o.required != n.required {
            let breaks = flows(self, Aspect::Optionality);
            // With the Rust type unchanged, `isRequired` matters only where a validator does:
            // a value type that turns into a required reference type is news to nobody.
            if breaks.old_clients.is_some() || breaks.new_clients.is_some() {
                let word = |r: bool| if r { "required" } else { "not required" };
                self.push(
                    Rule::FieldRequired,
                    subject.clone(),
                    member.clone(),
                    path.clone(),
                    format!("{} -> {}", word(o.required), word(n.required)),
                    breaks,
                );
            }
        }
        if self.canon(&o.shape) != n.shape {
            let (before, after) = (self.canon_text(inner_rust(o)), inner_rust(n).to_owned());
            let mut breaks = flows(self, Aspect::Shape);
            let detail = if before == after {
                // A .NET type change that Rust spells alike (dates kept as `String`).
                format!("{} -> {} on the wire (`{after}` in Rust)", o.shape, n.shape)
            } else {
                breaks = breaks.source(format!(
                    "the field's type changed from `{before}` to `{after}`"
                ));
                format!("`{before}` -> `{after}`")
            };
            self.push(
                Rule::FieldTypeChanged,
                subject.clone(),
                member,
                path.clone(),
                detail,
                breaks,
            );
        }
    }

    /// The wire verdicts for one aspect of a field, in every role its type has, both ways.
    fn flows(
        &self,
        roles: Roles,
        old: Option<&FieldDef>,
        new: Option<&FieldDef>,
        aspect: Aspect,
    ) -> Breaks {
        let mut breaks = Breaks::default();
        for flow in [Flow::Forward, Flow::Reverse] {
            if roles.request {
                // The client sends: OLD clients send OLD's field to the NEW server.
                let (sent, read) = match flow {
                    Flow::Forward => (old, new),
                    Flow::Reverse => (new, old),
                };
                breaks.wire(flow, self.request_flow(flow, sent, read, aspect));
            }
            if roles.response {
                // The server sends: the NEW server sends NEW's field to OLD clients.
                let (sent, read) = match flow {
                    Flow::Forward => (new, old),
                    Flow::Reverse => (old, new),
                };
                breaks.wire(flow, self.response_flow(flow, sent, read, aspect));
            }
        }
        breaks
    }

    /// A request member from a client to ServiceStack.
    fn request_flow(
        &self,
        flow: Flow,
        sent: Option<&FieldDef>,
        read: Option<&FieldDef>,
        aspect: Aspect,
    ) -> Option<String> {
        let Parties {
            clients,
            server,
            s: ends,
            ..
        } = Parties::of(flow);
        match (sent, read, aspect) {
            // Removed (forward): what OLD clients set is dropped. Added (reverse): NEW
            // clients only miss what OLD servers never had, unless NEW requires it.
            (Some(s), None, Aspect::Presence) => (flow == Flow::Forward || s.required).then(|| {
                format!(
                    "{clients} send `{}`; {server} ignore{ends} members it does not know, so the value is lost",
                    s.wire
                )
            }),
            (None, Some(r), Aspect::Presence) => r.required.then(|| {
                format!(
                    "{clients} never send `{}`, which {server} require{ends} (`isRequired`: its validators answer 400)",
                    r.wire
                )
            }),
            (Some(s), Some(r), Aspect::Optionality) => (s.optional && r.required).then(|| {
                format!(
                    "{clients} may leave `{}` out, which {server} require{ends} (`isRequired`: its validators answer 400)",
                    r.wire
                )
            }),
            (Some(s), Some(r), Aspect::Shape) => {
                let sent = self.canon_for(flow, true, &s.shape);
                let read = self.canon_for(flow, false, &r.shape);
                (!self.readable(&sent, &read, Reader::Server)).then(|| {
                    format!(
                        "{clients} send `{}` as `{}`, which {server} cannot read as `{}`: ServiceStack leaves it at its default (JSON body) or answers 400 (query string, route)",
                        s.wire, s.rust, r.rust
                    )
                })
            }
            // ServiceStack matches names ignoring case.
            _ => None,
        }
    }

    /// A response member from ServiceStack to a generated client.
    fn response_flow(
        &self,
        flow: Flow,
        sent: Option<&FieldDef>,
        read: Option<&FieldDef>,
        aspect: Aspect,
    ) -> Option<String> {
        let Parties {
            clients,
            server,
            s: ends,
            does,
        } = Parties::of(flow);
        match (sent, read, aspect) {
            // Clients read what they know and ignore the rest.
            (Some(_), None, _) => None,
            // Removed (forward): OLD clients lose the value. Added (reverse): NEW clients
            // expect it only if it is not an `Option`.
            (None, Some(r), Aspect::Presence) => (flow == Flow::Forward || !r.optional).then(|| {
                format!(
                    "{server} {does} not write `{}`; {clients} read it as {}",
                    r.wire,
                    if r.optional { "`None`" } else { "its default value" }
                )
            }),
            (Some(s), Some(r), Aspect::Name) => {
                let known = s.wire == r.wire || r.alias.as_deref() == Some(s.wire.as_str());
                (!known).then(|| {
                    format!(
                        "{server} write{ends} `{}`; {clients} read `{}` (serde matches names exactly) and miss it",
                        s.wire, r.wire
                    )
                })
            }
            (Some(s), Some(r), Aspect::Optionality) => (s.optional && !r.optional).then(|| {
                format!(
                    "{server} may leave `{}` out (ServiceStack does not write nulls); {clients} then read its default value",
                    r.wire
                )
            }),
            (Some(s), Some(r), Aspect::Shape) => {
                let sent = self.canon_for(flow, false, &s.shape);
                let read = self.canon_for(flow, true, &r.shape);
                (!self.readable(&sent, &read, Reader::Client)).then(|| {
                    format!(
                        "{server} write{ends} `{}` as `{}`; {clients} fail to read the response as `{}`",
                        s.wire, s.rust, r.rust
                    )
                })
            }
            _ => None,
        }
    }

    /// A field's shape under NEW names: `client` says whether it is the client's side. The
    /// client's side is OLD going forward.
    fn canon_for(&self, flow: Flow, client: bool, shape: &Shape) -> Shape {
        let is_old = (flow == Flow::Forward) == client;
        if is_old {
            self.canon(shape)
        } else {
            shape.clone()
        }
    }

    /// Whether a value written as `from` reads as `to`.
    fn readable(&self, from: &Shape, to: &Shape, reader: Reader) -> bool {
        use Shape::*;
        // `Box` is Rust's only.
        let (from, to) = (unbox(from), unbox(to));
        if from == to {
            return true;
        }
        match (from, to) {
            // `Object` takes anything.
            (_, Json) => true,
            (Option(a), Option(b)) => self.readable(a, b, reader),
            (a, Option(b)) => self.readable(a, b, reader),
            // A null where the generated code has no `Option` fails; ServiceStack leaves the
            // default.
            (Option(a), b) => reader == Reader::Server && self.readable(a, b, reader),
            (Int(s1, b1), Int(s2, b2)) => int_fits(*s1, *b1, *s2, *b2),
            (Int(..), Float(_)) => true,
            (Float(a), Float(b)) => a <= b,
            (Char | Bytes | DateTime | TimeSpan | Guid, String) => true,
            // ServiceStack.Text reads any JSON scalar into a string, and a query string is
            // text anyway; serde does not.
            (Int(..) | Float(_) | Bool, String) => reader == Reader::Server,
            (List(a), List(b)) => self.readable(a, b, reader),
            (Map(k1, v1), Map(k2, v2)) => {
                self.readable(k1, k2, reader) && self.readable(v1, v2, reader)
            }
            // The same type: its own changes are reported with it.
            (Named(a, x), Named(b, y)) | (Runtime(a, x), Runtime(b, y)) => {
                a == b
                    && x.len() == y.len()
                    && x.iter().zip(y).all(|(x, y)| self.readable(x, y, reader))
            }
            (Named(e, _), String) => match self.enum_repr(e) {
                // String enums are written as strings; ServiceStack also reads a number as
                // text, serde does not.
                Some(false) => true,
                Some(true) => reader == Reader::Server,
                None => false,
            },
            // Generated string enums keep any string; ServiceStack's `Enum.Parse` rejects
            // names it does not define.
            (String, Named(e, _)) => reader == Reader::Client && self.enum_repr(e) == Some(false),
            // Integer enums take any number, on both sides.
            (Int(..), Named(e, _)) | (Named(e, _), Int(..)) => self.enum_repr(e) == Some(true),
            _ => false,
        }
    }

    // ---------------------------------------------------------------------------------------
    // Enums

    fn representation(
        &mut self,
        was_int: bool,
        old: &[MemberDef],
        new: &[MemberDef],
        roles: Roles,
        subject: &Subject,
        def: &TypeDef,
    ) {
        let mut breaks = Breaks::default();
        if roles.response {
            let lacks = |a: &[MemberDef], b: &[MemberDef]| {
                a.iter().any(|m| {
                    !b.iter()
                        .any(|n| ssdto_protocol::eq_ignore_case(&m.wire, &n.wire))
                })
            };
            // A string enum reads a number as an unknown value; an integer enum reads a name
            // it knows as its number and fails on one it does not.
            let (forward, reverse) = if was_int {
                (lacks(new, old), true)
            } else {
                (true, lacks(old, new))
            };
            let numbers = |int: bool| if int { "numbers" } else { "names" };
            if forward {
                breaks.wire(
                    Flow::Forward,
                    Some(format!(
                        "the NEW server writes {}; OLD clients read {} only",
                        numbers(!was_int),
                        numbers(was_int)
                    )),
                );
            }
            if reverse {
                breaks.wire(
                    Flow::Reverse,
                    Some(format!(
                        "OLD servers write {}; NEW clients read {} only",
                        numbers(was_int),
                        numbers(!was_int)
                    )),
                );
            }
        }
        let breaks = breaks.source(format!(
            "`{}` has `{}` and an `Unknown({})` variant now",
            def.name,
            if was_int { "as_str()" } else { "value()" },
            if was_int { "String" } else { "i64" },
        ));
        self.push(
            Rule::EnumRepresentationChanged,
            subject.clone(),
            None,
            new_at(&def.path),
            if was_int {
                "numbers -> strings"
            } else {
                "strings -> numbers"
            }
            .into(),
            breaks,
        );
    }

    fn members(
        &mut self,
        type_name: &str,
        int: bool,
        roles: Roles,
        old: &[MemberDef],
        new: &[MemberDef],
        subject: &Subject,
    ) {
        // Members are their wire value (ServiceStack and the generated code ignore its case);
        // integer enums travel as numbers, so what is left pairs by number.
        let pairs = pair(
            old,
            new,
            |o, n| ssdto_protocol::eq_ignore_case(&o.wire, &n.wire),
            |o, n| int && o.value == n.value,
        );

        for (o, n) in pairs {
            match (o, n) {
                (Some(o), None) => {
                    let mut breaks = Breaks::default();
                    if roles.request {
                        breaks.wire(Flow::Forward, Some(if int {
                            format!("OLD clients may send {}, which the NEW server no longer defines", o.value)
                        } else {
                            format!("OLD clients may send `{}`, which the NEW server's `Enum.Parse` rejects: ServiceStack leaves the member at its default (JSON body) or answers 400 (query string)", o.wire)
                        }));
                    }
                    let breaks = breaks.source(format!(
                        "code naming `{type_name}::{}` no longer compiles",
                        o.name
                    ));
                    self.push(
                        Rule::EnumValueRemoved,
                        subject.clone(),
                        Some(member_label(o, int)),
                        old_at(&o.path),
                        "removed".into(),
                        breaks,
                    );
                }
                (None, Some(n)) => {
                    let mut breaks = Breaks::default();
                    if self.read_by_users(type_name) {
                        breaks = breaks.source(format!(
                            "a `match` on `{type_name}` that lists every variant needs an arm for `{}`",
                            n.name
                        ));
                    }
                    let note = match (roles.request, roles.response) {
                        (true, _) => "OLD servers reject it; OLD clients never send it",
                        (false, true) => "OLD clients keep it as `Unknown(..)`",
                        (false, false) => "not used on the wire",
                    };
                    self.push(
                        Rule::EnumValueAdded,
                        subject.clone(),
                        Some(member_label(n, int)),
                        new_at(&n.path),
                        "added".into(),
                        breaks.note(note),
                    );
                }
                (Some(o), Some(n)) => {
                    if int && o.value != n.value {
                        let mut breaks = Breaks::default();
                        if roles.request || roles.response {
                            for flow in [Flow::Forward, Flow::Reverse] {
                                breaks.wire(flow, Some(format!(
                                    "`{}` travels as {} in OLD and {} in NEW: the same number means another member",
                                    n.wire, o.value, n.value
                                )));
                            }
                        }
                        self.push(
                            Rule::EnumValueNumberChanged,
                            subject.clone(),
                            Some(member_label(n, false)),
                            new_at(&n.path),
                            format!("{} -> {}", o.value, n.value),
                            breaks,
                        );
                    }
                    if o.name != n.name {
                        let breaks = Breaks::default().source(format!(
                            "code naming `{type_name}::{}` no longer compiles",
                            o.name
                        ));
                        self.push(
                            Rule::EnumValueRenamedInRust,
                            subject.clone(),
                            Some(member_label(n, int)),
                            new_at(&n.path),
                            format!("`{}` -> `{}`", o.name, n.name),
                            breaks,
                        );
                    }
                }
                (None, None) => {}
            }
        }
    }
}

/// Who talks in a flow, and the ending of the server's verbs.
struct Parties {
    clients: &'static str,
    server: &'static str,
    s: &'static str,
    does: &'static str,
}

impl Parties {
    fn of(flow: Flow) -> Parties {
        match flow {
            Flow::Forward => Parties {
                clients: "OLD clients",
                server: "the NEW server",
                s: "s",
                does: "does",
            },
            Flow::Reverse => Parties {
                clients: "NEW clients",
                server: "OLD servers",
                s: "",
                does: "do",
            },
        }
    }
}

/// Which part of a field a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aspect {
    /// There, or not.
    Presence,
    /// The exact wire name.
    Name,
    /// `Option`, and `isRequired`.
    Optionality,
    /// The type.
    Shape,
}

fn new_at(path: &Option<String>) -> Option<ContractPath> {
    path.clone().map(|path| ContractPath {
        version: Version::New,
        path,
    })
}

/// Pairs OLD's items with NEW's: by `same` first, then what is left by `fallback`; the rest
/// stand alone. In NEW's order, with what NEW no longer has last.
fn pair<'a, T>(
    old: &'a [T],
    new: &'a [T],
    same: impl Fn(&T, &T) -> bool,
    fallback: impl Fn(&T, &T) -> bool,
) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let mut partner: Vec<Option<usize>> = vec![None; old.len()];
    let mut taken = vec![false; new.len()];
    for matches in [&same as &dyn Fn(&T, &T) -> bool, &fallback] {
        for (i, o) in old.iter().enumerate() {
            if partner[i].is_some() {
                continue;
            }
            if let Some(j) = (0..new.len()).find(|&j| !taken[j] && matches(o, &new[j])) {
                partner[i] = Some(j);
                taken[j] = true;
            }
        }
    }
    let mut by_new: Vec<Option<usize>> = vec![None; new.len()];
    for (i, j) in partner.iter().enumerate() {
        if let Some(j) = j {
            by_new[*j] = Some(i);
        }
    }
    let mut out: Vec<(Option<&T>, Option<&T>)> = new
        .iter()
        .zip(by_new)
        .map(|(n, i)| (i.map(|i| &old[i]), Some(n)))
        .collect();
    out.extend(
        old.iter()
            .zip(&partner)
            .filter(|(_, p)| p.is_none())
            .map(|(o, _)| (Some(o), None)),
    );
    out
}

/// Where something NEW no longer has was in OLD.
fn old_at(path: &Option<String>) -> Option<ContractPath> {
    path.clone().map(|path| ContractPath {
        version: Version::Old,
        path,
    })
}

/// `text` with every identifier that `names` maps replaced.
fn rename_words(text: &str, names: &HashMap<String, String>) -> String {
    if names.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(names.get(word.as_str()).unwrap_or(word));
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A shape with type parameters renamed.
fn rename_params(shape: &Shape, names: &HashMap<String, String>) -> Shape {
    let all = |args: &[Shape]| args.iter().map(|a| rename_params(a, names)).collect();
    match shape {
        Shape::Param(p) => Shape::Param(names.get(p).cloned().unwrap_or_else(|| p.clone())),
        Shape::Named(n, args) => Shape::Named(n.clone(), all(args)),
        Shape::Runtime(p, args) => Shape::Runtime(p.clone(), all(args)),
        Shape::List(t) => Shape::List(Box::new(rename_params(t, names))),
        Shape::Option(t) => Shape::Option(Box::new(rename_params(t, names))),
        Shape::Boxed(t) => Shape::Boxed(Box::new(rename_params(t, names))),
        Shape::Map(k, v) => Shape::Map(
            Box::new(rename_params(k, names)),
            Box::new(rename_params(v, names)),
        ),
        other => other.clone(),
    }
}

/// A field's Rust type without its `Option`.
fn inner_rust(f: &FieldDef) -> &str {
    match f
        .rust
        .strip_prefix("Option<")
        .and_then(|t| t.strip_suffix('>'))
    {
        Some(inner) if f.optional => inner,
        _ => &f.rust,
    }
}

fn unbox(shape: &Shape) -> &Shape {
    match shape {
        Shape::Boxed(inner) => unbox(inner),
        other => other,
    }
}

/// Every value of one integer type fits the other.
fn int_fits(from_signed: bool, from_bits: u8, to_signed: bool, to_bits: u8) -> bool {
    match (from_signed, to_signed) {
        (false, false) | (true, true) => from_bits <= to_bits,
        (false, true) => from_bits < to_bits,
        (true, false) => false,
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

fn field_label(f: &FieldDef) -> String {
    format!("`{}`", f.name)
}

fn member_label(m: &MemberDef, int: bool) -> String {
    if int {
        format!("`{}` ({})", m.name, m.value)
    } else {
        format!("`{}` (`{}`)", m.name, m.wire)
    }
}

/// The type names a shape mentions.
fn named(shape: &Shape, out: &mut Vec<String>) {
    match shape {
        Shape::Named(n, args) => {
            out.push(n.clone());
            for a in args {
                named(a, out);
            }
        }
        Shape::Runtime(_, args) => {
            for a in args {
                named(a, out);
            }
        }
        Shape::List(t) | Shape::Option(t) | Shape::Boxed(t) => named(t, out),
        Shape::Map(k, v) => {
            named(k, out);
            named(v, out);
        }
        _ => {}
    }
}

/// What must match for two types to be one renamed: everything on the wire.
fn signature(t: &TypeDef) -> String {
    match &t.kind {
        Kind::Struct { generics, fields } => {
            let fields: Vec<String> = fields
                .iter()
                .map(|f| {
                    format!(
                        "{}:{:?}:{}:{}",
                        f.wire.to_lowercase(),
                        f.shape,
                        f.optional,
                        f.name
                    )
                })
                .collect();
            format!("struct<{}>{{{}}}", generics.len(), fields.join(","))
        }
        Kind::Enum { int, members } => {
            let members: Vec<String> = members
                .iter()
                .map(|m| format!("{}={}", m.wire, m.value))
                .collect();
            format!("enum {int} {{{}}}", members.join(","))
        }
    }
}
