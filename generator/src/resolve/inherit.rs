//! Inheritance: a type's properties with its base classes', base first, generic arguments
//! substituted down the chain; a chain that ends in a .NET collection makes the type travel as
//! that collection.

use std::collections::HashMap;
use std::rc::Rc;

use super::types::{self, parse_type_name, substitute, FrameworkBase};
use super::Resolver;
use crate::error::Error;
use crate::parse::{MetadataPropertyType, MetadataType};
use crate::typetext::{self, TypeText};
use crate::warning::WarningKind;

/// How deep an inheritance chain may be before it is rejected; the bound keeps a hostile
/// contract from exhausting the stack.
const MAX_INHERITANCE_DEPTH: usize = 64;

/// A type's properties, inherited ones included.
pub(super) struct Properties<'a> {
    pub(super) own: Vec<InheritedProperty<'a>>,
    /// The .NET collection at the end of the inheritance chain, and where it is named.
    pub(super) collection: Option<(TypeText, String)>,
}

/// A property together with the class it was declared in and that class's substitutions.
pub(super) struct InheritedProperty<'a> {
    pub(super) prop: &'a MetadataPropertyType,
    pub(super) path: String,
    /// Shared by the class's properties (a clone per property was a large part of resolving).
    pub(super) substitutions: Rc<HashMap<String, TypeText>>,
    /// The declaring class's distance up the chain (0: the type itself).
    pub(super) depth: usize,
    pub(super) declared_in: &'a MetadataType,
}

impl Resolver<'_> {
    /// The properties of a type with its bases', base first, with generic arguments
    /// substituted down the chain; and the .NET collection the chain ends in, if any (with its
    /// arguments substituted, and where it is named), which makes the type travel as that
    /// collection.
    pub(super) fn properties(&self, index: usize) -> Result<Properties<'_>, Error> {
        let mut chain: Vec<(usize, HashMap<String, TypeText>)> = vec![(index, HashMap::new())];
        let mut visited = vec![index];
        let mut collection = None;
        loop {
            let (current, subs) = chain
                .last()
                .map(|(i, s)| (*i, s.clone()))
                .unwrap_or_default();
            let t = self.sources[current].ty;
            let Some(base) = &t.inherits else { break };
            let path = format!("{}.inherits", self.sources[current].path);
            let Some(base_index) = self.lookup.find(&base.name, base.namespace.as_deref()) else {
                collection = self.undefined_base(base, &subs, &path)?;
                break;
            };
            if visited.contains(&base_index) {
                let mut names: Vec<&str> = visited
                    .iter()
                    .map(|&i| self.sources[i].ty.name.as_str())
                    .collect();
                names.push(&self.sources[base_index].ty.name);
                return Err(Error::InheritanceCycle {
                    path: self.sources[index].path.clone(),
                    chain: names.join(" -> "),
                });
            }
            if visited.len() > MAX_INHERITANCE_DEPTH {
                return Err(Error::Invalid {
                    path: self.sources[index].path.clone(),
                    message: format!("inheritance deeper than {MAX_INHERITANCE_DEPTH} levels"),
                });
            }
            visited.push(base_index);
            // Map the base's parameters to the arguments given, themselves substituted.
            let params = self.sources[base_index]
                .ty
                .generic_args
                .clone()
                .unwrap_or_default();
            let mut base_subs = HashMap::new();
            for (param, arg) in params.iter().zip(base.generic_args.iter().flatten()) {
                let arg = typetext::parse(arg).map_err(|source| Error::TypeText {
                    path: path.clone(),
                    source,
                })?;
                let arg = substitute(&arg, &subs);
                // Each level of the chain may nest the arguments deeper: bound it here, before
                // the next level recurses over them.
                arg.check_depth().map_err(|source| Error::TypeText {
                    path: path.clone(),
                    source,
                })?;
                base_subs.insert(param.clone(), arg);
            }
            chain.push((base_index, base_subs));
        }
        let mut out: Vec<InheritedProperty<'_>> = Vec::new();
        let levels = chain.len();
        for (level, (i, subs)) in chain.into_iter().rev().enumerate() {
            let source = &self.sources[i];
            let subs = Rc::new(subs);
            for (j, prop) in source.ty.properties.iter().flatten().enumerate() {
                // A property redeclared in a subclass (C# `new`) replaces the base one.
                if out.iter().any(|p| p.prop.name == prop.name) {
                    out.retain(|p| p.prop.name != prop.name);
                }
                out.push(InheritedProperty {
                    prop,
                    path: format!("{}.properties[{j}]", source.path),
                    substitutions: Rc::clone(&subs),
                    depth: levels - 1 - level,
                    declared_in: source.ty,
                });
            }
        }
        Ok(Properties {
            own: out,
            collection,
        })
    }

    /// A base class the contract does not define: a .NET collection (the type travels as
    /// it), another framework type (no members to inherit), or an unknown type, whose members
    /// are then missing, with a warning.
    fn undefined_base(
        &self,
        base: &crate::parse::MetadataTypeName,
        subs: &HashMap<String, TypeText>,
        path: &str,
    ) -> Result<Option<(TypeText, String)>, Error> {
        let text = parse_type_name(&base.name, base.generic_args.as_deref(), path)?;
        let text = substitute(&text, subs);
        match types::framework_base(&text) {
            Some(FrameworkBase::Collection) => Ok(Some((text, path.to_owned()))),
            Some(FrameworkBase::Other) => Ok(None),
            None => {
                self.fallback.warn(
                    path,
                    WarningKind::UndefinedType,
                    format!(
                        "base class `{}` is neither defined by the contract nor a .NET type \
                         ssdto knows; its members are left out",
                        base.name
                    ),
                );
                Ok(None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::error::Error;
    use crate::model::{ItemKind, Ty};
    use crate::resolve::testing::{fields, named, space};

    #[test]
    fn inheritance_is_inlined_base_first_with_generics_substituted() {
        let s = space(
            r#"{"types":[
                {"name":"Base`1","genericArgs":["T"],"properties":[{"name":"Items","type":"List`1","genericArgs":["T"]}]},
                {"name":"Entity","properties":[{"name":"Id","type":"String"}]}
              ],
              "operations":[{"request":{"name":"Find","inherits":{"name":"Base`1","genericArgs":["Entity"]},
                 "properties":[{"name":"Name","type":"String"}]},"method":"GET"}]}"#,
        )
        .unwrap();
        let f = fields(&s, "Find");
        assert_eq!(f[0].name, "items");
        assert_eq!(
            f[0].ty,
            Ty::Option(Box::new(Ty::Vec(Box::new(named(&s, "Entity", vec![])))))
        );
        assert_eq!(f[1].name, "name");
        let base = s.items.iter().find(|i| i.name == "Base").unwrap();
        assert!(matches!(&base.kind, ItemKind::Struct(b) if b.generics == ["T"]));
    }

    /// Regression: substituting generic arguments down an inheritance chain compounded the
    /// nesting of legal (31 deep) type text level after level, until emitting overflowed the
    /// stack. Found by a property test of hostile contracts.
    #[test]
    fn generic_nesting_compounded_by_inheritance_is_bounded() {
        let nest = |inner: &str, depth: usize| {
            format!("{}{inner}{}", "List<".repeat(depth), ">".repeat(depth))
        };
        let contract = |levels: usize| {
            let mut types = vec![serde_json::json!({
                "name": "G0`1", "genericArgs": ["T"], "isGenericTypeDef": true,
                "properties": [{"name": "X", "type": nest("T", 20)}]
            })];
            for i in 1..levels {
                types.push(serde_json::json!({
                    "name": format!("G{i}`1"), "genericArgs": ["T"], "isGenericTypeDef": true,
                    "inherits": {"name": format!("G{}`1", i - 1), "genericArgs": [nest("T", 10)]}
                }));
            }
            types.push(serde_json::json!({
                "name": "Leaf",
                "inherits": {"name": format!("G{}`1", levels - 1), "genericArgs": ["String"]}
            }));
            serde_json::json!({ "types": types }).to_string()
        };
        // 20 + 10 levels of List plus the String: within the limit.
        let ok = space(&contract(2)).unwrap();
        assert!(matches!(&fields(&ok, "Leaf")[0].ty, Ty::Option(_)));
        let err = space(&contract(60)).unwrap_err();
        assert!(matches!(err, Error::TypeText { .. }), "{err}");
        assert!(err.to_string().contains("nest deeper than 32"), "{err}");
    }
}
