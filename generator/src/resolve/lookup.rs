//! Finding a contract type by name, and telling apart types that share a name in different
//! .NET namespaces.
//!
//! The rule for two types with one name in different namespaces (`MyApp.Billing.Invoice` and
//! `MyApp.Sales.Invoice`): both are generated, since both travel on the wire. The first in
//! contract order keeps the plain name; each later one is named with the last segment of its
//! namespace in front (`SalesInvoice`), and a warning says so. A reference that carries a
//! namespace (a property's type, a base class, a `returnType`) finds the type of that
//! namespace; one that does not (a generic argument such as `List<Invoice>`) finds the first.
//! ServiceStack's single-file generators (TypeScript, Rust) emit both under one name, which
//! does not compile; its C# generator keeps the namespaces apart, as this rule does in one
//! module.

use std::collections::HashMap;

use crate::naming;
use crate::options::base_name;

/// Contract types by .NET name (with backtick arity), in contract order.
pub(super) struct Lookup<'a> {
    by_name: HashMap<&'a str, Vec<(usize, Option<&'a str>)>>,
}

impl<'a> Lookup<'a> {
    /// Indexes `(name, namespace)` pairs by position.
    pub(super) fn new(types: impl Iterator<Item = (&'a str, Option<&'a str>)>) -> Self {
        let mut by_name: HashMap<&'a str, Vec<(usize, Option<&'a str>)>> = HashMap::new();
        for (i, (name, namespace)) in types.enumerate() {
            by_name.entry(name).or_default().push((i, namespace));
        }
        Lookup { by_name }
    }

    /// The type named `name`: the one in `namespace` when it is given and there is one, else
    /// the first.
    pub(super) fn find(&self, name: &str, namespace: Option<&str>) -> Option<usize> {
        let candidates = self.by_name.get(name)?;
        namespace
            .and_then(|ns| {
                candidates
                    .iter()
                    .find(|(_, candidate)| *candidate == Some(ns))
            })
            .or_else(|| candidates.first())
            .map(|(i, _)| *i)
    }

    /// Whether any type has this name.
    pub(super) fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }
}

/// The Rust name a type wants: its own, or for a later type of an already used .NET name, its
/// namespace's last segment and its own (`Sales` + `Invoice`).
pub(super) fn wanted_name(name: &str, namespace: Option<&str>, duplicate: bool) -> String {
    let base = base_name(name);
    if !duplicate {
        return naming::type_ident(base);
    }
    let qualifier = namespace
        .and_then(|ns| ns.rsplit('.').find(|s| !s.is_empty()))
        .unwrap_or("Other");
    naming::type_ident(&format!("{qualifier} {base}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_picks_among_same_names() {
        let lookup = Lookup::new(
            [
                ("Invoice", Some("MyApp.Billing")),
                ("Other", None),
                ("Invoice", Some("MyApp.Sales")),
            ]
            .into_iter(),
        );
        assert_eq!(lookup.find("Invoice", None), Some(0));
        assert_eq!(lookup.find("Invoice", Some("MyApp.Sales")), Some(2));
        assert_eq!(lookup.find("Invoice", Some("Elsewhere")), Some(0));
        assert_eq!(lookup.find("Missing", None), None);
        assert!(lookup.contains("Other"));
        assert_eq!(
            wanted_name("Invoice", Some("MyApp.Sales"), true),
            "SalesInvoice"
        );
        assert_eq!(wanted_name("Page`1", Some("X"), false), "Page");
        assert_eq!(wanted_name("Invoice", None, true), "OtherInvoice");
    }
}
