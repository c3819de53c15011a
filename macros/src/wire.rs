//! Field wire names, read from serde attributes with serde_derive's rules, so route variables
//! can be checked against the names a request is actually serialized with.

use ssdto_protocol::RenameRule;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Field, LitStr, Token};

/// The container's `rename_all` rules: (serialize, deserialize).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ContainerRules {
    serialize: Option<RenameRule>,
    deserialize: Option<RenameRule>,
}

/// How a field appears on the wire.
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldWire {
    /// Every name serde writes or reads for it: the serialize name first, then the
    /// deserialize name and aliases (without repeats).
    pub(crate) names: Vec<String>,
    /// `skip` / `skip_serializing`: never written, so it cannot fill a route variable.
    pub(crate) skipped: bool,
    /// `flatten`: its names are those of another type, unknown here.
    pub(crate) flatten: bool,
}

/// Reads `#[serde(rename_all = "..")]` / `#[serde(rename_all(serialize = "..", ..))]`.
///
/// Attributes this cannot read are left to serde_derive to report, so they are skipped here.
pub(crate) fn container_rules(attrs: &[Attribute]) -> ContainerRules {
    let mut rules = ContainerRules::default();
    for attr in serde_attrs(attrs) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                let (ser, de) = read_pair(&meta)?;
                if let Some(rule) = ser.as_deref().and_then(RenameRule::parse) {
                    rules.serialize = Some(rule);
                }
                if let Some(rule) = de.as_deref().and_then(RenameRule::parse) {
                    rules.deserialize = Some(rule);
                }
                Ok(())
            } else {
                skip(&meta)
            }
        });
    }
    rules
}

/// The wire names of a named field under the container's rules.
pub(crate) fn field_wire(field: &Field, rules: ContainerRules) -> FieldWire {
    let mut wire = FieldWire::default();
    let Some(ident) = &field.ident else {
        return wire;
    };
    let rust_name = ident.to_string();
    let rust_name = rust_name
        .strip_prefix("r#")
        .unwrap_or(&rust_name)
        .to_owned();
    let (mut ser, mut de): (Option<String>, Option<String>) = (None, None);
    let mut aliases = Vec::new();
    for attr in serde_attrs(&field.attrs) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let (s, d) = read_pair(&meta)?;
                ser = s.or(ser.take());
                de = d.or(de.take());
                Ok(())
            } else if meta.path.is_ident("alias") {
                aliases.push(meta.value()?.parse::<LitStr>()?.value());
                Ok(())
            } else if meta.path.is_ident("skip") || meta.path.is_ident("skip_serializing") {
                wire.skipped = true;
                Ok(())
            } else if meta.path.is_ident("flatten") {
                wire.flatten = true;
                Ok(())
            } else {
                skip(&meta)
            }
        });
    }
    let by_rule = |rule: Option<RenameRule>| match rule {
        Some(rule) => rule.apply_to_field(&rust_name),
        None => rust_name.clone(),
    };
    let ser = ser.unwrap_or_else(|| by_rule(rules.serialize));
    let de = de.unwrap_or_else(|| by_rule(rules.deserialize));
    for name in [ser, de].into_iter().chain(aliases) {
        if !wire.names.contains(&name) {
            wire.names.push(name);
        }
    }
    wire
}

fn serde_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("serde"))
}

/// `key = "v"` (both directions) or `key(serialize = "s", deserialize = "d")`.
fn read_pair(meta: &ParseNestedMeta) -> syn::Result<(Option<String>, Option<String>)> {
    if meta.input.peek(Token![=]) {
        let value = meta.value()?.parse::<LitStr>()?.value();
        return Ok((Some(value.clone()), Some(value)));
    }
    let (mut ser, mut de) = (None, None);
    meta.parse_nested_meta(|inner| {
        let value = inner.value()?.parse::<LitStr>()?.value();
        if inner.path.is_ident("serialize") {
            ser = Some(value);
        } else if inner.path.is_ident("deserialize") {
            de = Some(value);
        }
        Ok(())
    })?;
    Ok((ser, de))
}

/// Consumes a serde option this module has no use for (`default`, `with = ".."`,
/// `bound(..)`, ...), so the rest of the attribute is still read.
fn skip(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire_of(item: syn::ItemStruct) -> Vec<FieldWire> {
        let rules = container_rules(&item.attrs);
        item.fields.iter().map(|f| field_wire(f, rules)).collect()
    }

    #[test]
    fn names_from_rules_renames_and_aliases() {
        let wires = wire_of(syn::parse_quote! {
            #[derive(Serialize)]
            #[serde(default, rename_all = "camelCase", bound(serialize = "T: Serialize"))]
            struct R {
                session_id: String,
                #[serde(rename = "ID", alias = "Ident", alias = "key")]
                id: String,
                #[serde(rename(serialize = "out", deserialize = "in"), with = "x::y")]
                r#type: String,
                #[serde(skip_serializing_if = "Option::is_none", skip)]
                hidden: Option<String>,
                #[serde(flatten)]
                rest: Extra,
            }
        });
        assert_eq!(wires[0].names, ["sessionId"]);
        assert_eq!(wires[1].names, ["ID", "Ident", "key"]);
        assert_eq!(wires[2].names, ["out", "in"]);
        assert!(wires[3].skipped && !wires[3].flatten);
        assert!(wires[4].flatten);
    }

    #[test]
    fn separate_serialize_and_deserialize_rules() {
        let wires = wire_of(syn::parse_quote! {
            #[serde(rename_all(serialize = "PascalCase", deserialize = "kebab-case"))]
            struct R { call_sid: String, r#match: u8 }
        });
        assert_eq!(wires[0].names, ["CallSid", "call-sid"]);
        assert_eq!(wires[1].names, ["Match", "match"]);
    }

    #[test]
    fn without_serde_attributes_names_are_rust_names() {
        let wires = wire_of(syn::parse_quote! {
            struct R { session_id: String }
        });
        assert_eq!(wires[0].names, ["session_id"]);
    }
}
