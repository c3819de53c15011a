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
//! - The generated structs read missing members as their default, ignore unknown ones, match
//!   names in any case (`ssdto::deserialize_fields!`; code from before it matched the wire name
//!   or the .NET name as a serde alias exactly), fail on a value of the wrong type, and keep
//!   enum values they do not know (`Unknown(..)`).

mod operations;
mod types;
mod wire;

use std::collections::{BTreeMap, HashMap, HashSet};

use super::surface::{Kind, Shape, Surface, TypeDef};
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
        let mut shape = shape.clone();
        shape.visit_mut(&mut |s| {
            if let Shape::Named(n, _) = s {
                if let Some(new) = self.renames.get(n.as_str()) {
                    n.clone_from(new);
                }
            }
        });
        shape
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
    let mut shape = shape.clone();
    shape.visit_mut(&mut |s| {
        if let Shape::Param(p) = s {
            if let Some(new) = names.get(p.as_str()) {
                p.clone_from(new);
            }
        }
    });
    shape
}

/// The type names a shape mentions.
fn named(shape: &Shape, out: &mut Vec<String>) {
    shape.visit(&mut |s| {
        if let Shape::Named(n, _) = s {
            out.push(n.clone());
        }
    });
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
