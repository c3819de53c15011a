//! How a value written by one version reads in the other: the wire verdicts of a field's
//! presence, optionality and type, for each role its type has.

use super::{new_at, Aspect, Breaks, Ctx, Flow, Parties, Reader, Roles};
use crate::diff::surface::{FieldDef, MemberDef, Shape, TypeDef};
use crate::diff::{Rule, Subject};

impl Ctx<'_> {
    /// The wire verdicts for one aspect of a field, in every role its type has, both ways.
    pub(super) fn flows(
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
                let known = s.wire == r.wire
                    || r.alias.as_deref() == Some(s.wire.as_str())
                    || r.caseless && ssdto_protocol::eq_ignore_case(&s.wire, &r.wire);
                (!known).then(|| {
                    let how = if r.caseless {
                        "in any case"
                    } else {
                        "(serde matches names exactly)"
                    };
                    format!(
                        "{server} write{ends} `{}`; {clients} read `{}` {how} and miss it",
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
    pub(super) fn readable(&self, from: &Shape, to: &Shape, reader: Reader) -> bool {
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

    // Enums

    pub(super) fn representation(
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
