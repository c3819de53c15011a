//! The undefined-name fallback and the warnings resolution collects.
//!
//! A type name that is neither defined by the contract nor in the .NET type table is not bad
//! input: ServiceStack leaves types out of `types` on purpose (system types, ignored
//! namespaces). It becomes one `pub type Name = serde_json::Value;` alias, so the data is kept
//! and a user can swap in a real type, and each use gets a warning naming its contract path.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::model::TypeId;
use crate::naming::{self, Scope};
use crate::options::base_name;
use crate::warning::{Warning, WarningKind};

/// Aliases handed out so far and warnings, in the order they arose.
pub(super) struct Fallback {
    scope: RefCell<Scope>,
    aliases: RefCell<Aliases>,
    warnings: RefCell<Vec<Warning>>,
    /// The id of the first alias; the others follow in order.
    first_id: usize,
}

#[derive(Default)]
struct Aliases {
    /// .NET base name -> alias.
    by_name: HashMap<String, TypeId>,
    /// In order of first use.
    in_order: Vec<Alias>,
}

/// An alias handed out.
pub(super) struct Alias {
    /// The .NET name (without generic arity).
    pub dotnet: String,
    /// The Rust alias name.
    pub rust: String,
    /// The contract path of its first use.
    pub first_use: String,
}

impl Fallback {
    /// Aliases claim names from `scope`, which already holds the contract's type names, and
    /// ids from `first_id` on (they follow the contract's own items).
    pub(super) fn new(scope: Scope, warnings: Vec<Warning>, first_id: usize) -> Self {
        Fallback {
            scope: RefCell::new(scope),
            aliases: RefCell::new(Aliases::default()),
            warnings: RefCell::new(warnings),
            first_id,
        }
    }

    /// Records a warning.
    pub(super) fn warn(&self, path: &str, kind: WarningKind, message: String) {
        self.warnings.borrow_mut().push(Warning {
            path: path.to_owned(),
            kind,
            message,
        });
    }

    /// The alias for an undefined type named `name` (its generic arguments, in `text` as the
    /// contract wrote it, are dropped: the alias is any JSON), with a warning for this use.
    pub(super) fn alias(&self, name: &str, text: &str, path: &str, value_type: bool) -> TypeId {
        let base = base_name(name).to_owned();
        let (id, rust) = {
            let mut aliases = self.aliases.borrow_mut();
            match aliases.by_name.get(&base) {
                Some(&id) => (
                    id,
                    aliases.in_order[id.index() - self.first_id].rust.clone(),
                ),
                None => {
                    let rust = self.scope.borrow_mut().claim(naming::type_ident(&base));
                    let id = TypeId(self.first_id + aliases.in_order.len());
                    aliases.by_name.insert(base.clone(), id);
                    aliases.in_order.push(Alias {
                        dotnet: base.clone(),
                        rust: rust.clone(),
                        first_use: path.to_owned(),
                    });
                    (id, rust)
                }
            }
        };
        let what = if value_type { "value type" } else { "type" };
        self.warn(
            path,
            WarningKind::UndefinedType,
            format!(
                "{what} `{text}` is neither defined by the contract nor a .NET type ssdto \
                 knows; it is `pub type {rust} = serde_json::Value;`"
            ),
        );
        id
    }

    /// The warnings, and the aliases in order of first use.
    pub(super) fn finish(self) -> (Vec<Warning>, Vec<Alias>) {
        (
            self.warnings.into_inner(),
            self.aliases.into_inner().in_order,
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{ItemKind, Ty};
    use crate::resolve::testing::{fields, named, space};
    use crate::WarningKind;

    /// One alias per undefined name, after the contract's own items, each use warned about.
    #[test]
    fn undefined_names_share_one_alias_after_the_contracts_items() {
        let s = space(
            r#"{"types":[{"name":"A","properties":[{"name":"P","type":"Point"},
                {"name":"Q","type":"List<Point>"}]},{"name":"B","properties":[]}]}"#,
        )
        .unwrap();
        let names: Vec<&str> = s.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["A", "B", "Point"]);
        assert!(matches!(s.items[2].kind, ItemKind::Alias(Ty::Json)));
        assert_eq!(s.items[2].path, "types[0].properties[0]");
        let point = named(&s, "Point", vec![]);
        let a = fields(&s, "A");
        assert_eq!(a[0].ty, Ty::Option(Box::new(point.clone())));
        assert_eq!(a[1].ty, Ty::Option(Box::new(Ty::Vec(Box::new(point)))));
        let paths: Vec<&str> = s.warnings.iter().map(|w| w.path.as_str()).collect();
        assert_eq!(paths, ["types[0].properties[0]", "types[0].properties[1]"]);
        assert!(s
            .warnings
            .iter()
            .all(|w| w.kind == WarningKind::UndefinedType));
        assert_eq!(s.undefined_types, ["Point"]);
    }
}
