//! Rules for types: added, removed and renamed types, their kinds, fields and enum members.

use std::collections::{HashMap, HashSet};

use super::{new_at, old_at, pair, rename_params, rename_words, Aspect, Breaks, Ctx, Flow, Roles};
use crate::diff::surface::{FieldDef, Kind, MemberDef, TypeDef};
use crate::diff::{Rule, Subject};

impl Ctx<'_> {
    pub(super) fn types(&mut self) {
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
