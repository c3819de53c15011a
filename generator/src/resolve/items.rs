//! Items: a contract type as a struct (its fields named, typed and made optional by
//! ServiceStack's rules) or an enum (its members' names, wire values and numbers).

use std::collections::HashSet;
use std::sync::Arc;

use super::types::{is_required, parse_type_name, substitute};
use super::Resolver;
use crate::error::Error;
use crate::model::{EnumDef, Field, FieldOrigin, Member, RouteDef, StructDef, Ty, TypeOrigin};
use crate::naming::{self, Scope};
use crate::options::base_name;
use crate::parse::MetadataType;

/// The .NET facts XML names a type by.
pub(super) fn type_origin(t: &MetadataType) -> TypeOrigin {
    let contract = t.data_contract.as_ref();
    let set = |v: Option<&String>| v.filter(|v| !v.trim().is_empty()).cloned();
    TypeOrigin {
        name: base_name(&t.name).to_owned(),
        namespace: set(t.namespace.as_ref()),
        data_contract_name: set(contract.and_then(|c| c.name.as_ref())),
        data_contract_namespace: set(contract.and_then(|c| c.namespace.as_ref())),
        generic_params: t.generic_args.clone().unwrap_or_default(),
    }
}

impl Resolver<'_> {
    /// Whether an enum is `[Flags]`: ServiceStack exports .NET's `FlagsAttribute`
    /// (`NativeTypesFeature.ExportAttributes`) and marks such enums `isEnumInt`
    /// (`MetadataTypesGenerator.ToExactType`: `type.IsEnumFlags()`).
    fn is_flags(t: &MetadataType) -> bool {
        t.is_enum_int == Some(true)
            && t.attributes
                .iter()
                .flatten()
                .any(|a| matches!(a.name.as_str(), "Flags" | "FlagsAttribute"))
    }

    pub(super) fn enum_def(&self, t: &MetadataType, path: &str) -> Result<EnumDef, Error> {
        let names = t.enum_names.clone().unwrap_or_default();
        let values = t.enum_values.clone().unwrap_or_default();
        let wires = t.enum_member_values.clone().unwrap_or_default();
        let descriptions = t.enum_descriptions.clone().unwrap_or_default();
        let flags = Self::is_flags(t);
        let mut scope = Scope::default();
        let mut members = Vec::with_capacity(names.len());
        let mut seen_wire = HashSet::new();
        for (i, member) in names.iter().enumerate() {
            let value = match values.get(i).map(|v| v.trim()).filter(|v| !v.is_empty()) {
                Some(v) => v.parse::<i64>().map_err(|_| Error::Invalid {
                    path: format!("{path}.enumValues[{i}]"),
                    message: format!("enum value `{v}` is not an integer"),
                })?,
                None => i64::try_from(i).unwrap_or(i64::MAX),
            };
            // A flags value is read by .NET member name (`Enum.Parse`), whatever
            // `[EnumMember]` says.
            let wire = wires
                .get(i)
                .filter(|w| !w.is_empty() && !flags)
                .cloned()
                .unwrap_or_else(|| member.clone());
            // A repeated wire value (aliases such as `Default = Active`) cannot map back to two
            // variants; the first one keeps it.
            if !seen_wire.insert(wire.clone()) {
                continue;
            }
            let ident = if flags {
                naming::const_ident(member)
            } else {
                naming::variant_ident(member)
            };
            members.push(Member {
                name: scope.claim(ident),
                wire,
                value,
                description: descriptions
                    .get(i)
                    .filter(|d| !d.trim().is_empty())
                    .cloned(),
                path: format!("{path}.enumNames[{i}]"),
            });
        }
        let unknown = scope.claim("Unknown".to_owned());
        Ok(EnumDef {
            int: t.is_enum_int == Some(true),
            flags,
            members,
            unknown,
        })
    }

    /// A property's field identifier and camelCase wire name (see `property_names`).
    fn property_names(&self, name: &str) -> (String, String) {
        let mut cache = self.property_names.borrow_mut();
        if let Some(names) = cache.get(name) {
            return names.clone();
        }
        let names = (naming::field_ident(name), naming::wire_name(name));
        cache.insert(name.to_owned(), names.clone());
        names
    }

    pub(super) fn struct_def(&self, index: usize, routes: &[RouteDef]) -> Result<StructDef, Error> {
        let t = self.sources[index].ty;
        let generics: Vec<String> = t.generic_args.clone().unwrap_or_default();
        let mut scope = Scope::default();
        let mut wire_taken: HashSet<String> = HashSet::new();
        let path_vars = RouteDef::variables_in_all(routes);
        let properties = self.properties(index)?;
        let mut fields = Vec::with_capacity(properties.own.len());
        if let Some((collection, path)) = properties.collection {
            let ty = self.map(&collection, &generics, false, &path, None)?;
            return Ok(StructDef {
                generics,
                fields: vec![Field {
                    name: "0".to_owned(),
                    wire_name: String::new(),
                    ty,
                    description: None,
                    path,
                    // Serialized as its collection: no member of its own.
                    origin: FieldOrigin {
                        name: String::new(),
                        data_member_name: None,
                        order: None,
                        emit_default_value: true,
                        depth: 0,
                        declared_in: Arc::new(type_origin(t)),
                    },
                }],
                transparent: true,
            });
        }
        let mut declared: Option<(&MetadataType, Arc<TypeOrigin>)> = None;
        for inherited in properties.own {
            let prop = inherited.prop;
            let owned_path = inherited.path;
            let path = &owned_path;
            let text = parse_type_name(&prop.type_name, prop.generic_args.as_deref(), path)?;
            let text = if inherited.substitutions.is_empty() {
                text
            } else {
                substitute(&text, &inherited.substitutions)
            };
            // Fields come grouped by the class that declares them.
            let origin = match &declared {
                Some((t, origin)) if std::ptr::eq(*t, inherited.declared_in) => Arc::clone(origin),
                _ => {
                    let origin = Arc::new(type_origin(inherited.declared_in));
                    declared = Some((inherited.declared_in, Arc::clone(&origin)));
                    origin
                }
            };
            text.check_depth().map_err(|source| Error::TypeText {
                path: path.clone(),
                source,
            })?;
            let mut ty = self.map(
                &text,
                &generics,
                prop.is_value_type == Some(true),
                path,
                prop.namespace.as_deref(),
            )?;
            // A variable of every declared route must be set to call the operation at all.
            let in_every_path =
                !path_vars.is_empty() && path_vars.contains(&prop.name.to_lowercase());
            if !is_required(prop, &text) && !in_every_path && !matches!(ty, Ty::Option(_)) {
                ty = Ty::Option(Box::new(ty));
            }
            let explicit = prop
                .data_member
                .as_ref()
                .and_then(|d| d.name.clone())
                .filter(|n| !n.is_empty());
            let (ident, camel) = self.property_names(&prop.name);
            let mut wire_name = explicit.clone().unwrap_or(camel);
            // Two properties with one camelCase name (`Id` and `ID`): the later one keeps its
            // .NET name on the wire, the only name that tells them apart.
            if wire_taken.contains(&wire_name) {
                wire_name = prop.name.clone();
                if wire_taken.contains(&wire_name) {
                    return Err(Error::Invalid {
                        path: path.clone(),
                        message: format!(
                            "two properties are both named `{}` on the wire",
                            prop.name
                        ),
                    });
                }
            }
            wire_taken.insert(wire_name.clone());
            fields.push(Field {
                name: scope.claim(ident),
                wire_name,
                ty,
                description: prop.description.clone().filter(|d| !d.trim().is_empty()),
                path: owned_path,
                origin: FieldOrigin {
                    name: prop.name.clone(),
                    data_member_name: explicit,
                    order: prop.data_member.as_ref().and_then(|d| d.order),
                    emit_default_value: prop
                        .data_member
                        .as_ref()
                        .and_then(|d| d.emit_default_value)
                        .unwrap_or(true),
                    depth: inherited.depth,
                    declared_in: Arc::clone(&origin),
                },
            });
        }
        Ok(StructDef {
            generics,
            fields,
            transparent: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::model::ItemKind;
    use crate::resolve::testing::{fields, space};

    #[test]
    fn case_collisions_get_unique_names_and_keep_wire_names() {
        let s = space(
            r#"{"types":[{"name":"A","properties":[{"name":"Id","type":"String"},{"name":"ID","type":"String"},{"name":"type","type":"String"}]}]}"#,
        )
        .unwrap();
        let f = fields(&s, "A");
        assert_eq!((f[0].name.as_str(), f[0].wire_name.as_str()), ("id", "id"));
        assert_eq!(
            (f[1].name.as_str(), f[1].wire_name.as_str()),
            ("id_2", "ID")
        );
        assert_eq!(f[2].name, "r#type");
    }

    #[test]
    fn enums_keep_wire_values_and_numbers() {
        let s = space(
            r#"{"types":[{"name":"E","isEnum":true,"enumNames":["None","Unknown","Value"],"enumValues":["0","1","5"],"enumMemberValues":["","unk",""]}]}"#,
        )
        .unwrap();
        let ItemKind::Enum(e) = &s.items[0].kind else {
            panic!()
        };
        assert_eq!(e.members[1].wire, "unk");
        assert_eq!(e.members[2].value, 5);
        assert_eq!(e.unknown, "Unknown2");
    }
}
