//! The `Xml` option: an `ssdto::xml::XmlValue` impl for every item, naming and ordering it as
//! .NET's DataContractSerializer does, which is the XML ServiceStack speaks.
//!
//! - A type's contract is its `[DataContract(Name, Namespace)]`, else its .NET name in
//!   `http://schemas.datacontract.org/2004/07/{.NET namespace}` (ServiceStack's own namespaces
//!   map to `http://schemas.servicestack.net/types`, as its assemblies declare); generic types
//!   are named by the runtime from their arguments (`ListResponseOfSessionInfo...`).
//! - A member is an element named as the .NET property (or `[DataMember(Name)]`), in the
//!   namespace of the class that declares it; base class members come first, then by
//!   `[DataMember(Order)]`, then by name (ordinal); `[DataMember(EmitDefaultValue = false)]`
//!   leaves a default value out.

use proc_macro2::TokenStream;
use quote::quote;
use ssdto_protocol::xml::type_namespace;

use super::{ident_token as ident, type_tokens, Spelling};
use crate::error::Error;
use crate::model::{EnumDef, Field, Item, ItemKind, StructDef, TypeOrigin};

/// The `XmlValue` impl for `item` (none for an alias: the aliased type has its own).
pub(super) fn emit(item: &Item, sp: Spelling<'_>) -> Result<TokenStream, Error> {
    match &item.kind {
        ItemKind::Struct(s) if s.transparent => emit_newtype(item, s, sp),
        ItemKind::Struct(s) => emit_struct(item, s),
        ItemKind::Enum(e) => emit_enum(item, e),
        ItemKind::Alias(_) => Ok(TokenStream::new()),
    }
}

/// A class that inherits a .NET collection is that collection in XML too (`ArrayOf{item}`).
fn emit_newtype(item: &Item, s: &StructDef, sp: Spelling<'_>) -> Result<TokenStream, Error> {
    let name = ident(&item.name)?;
    let Some(field) = s.fields.first() else {
        return Err(Error::Emit(format!("newtype `{}` has no field", item.name)));
    };
    let inner = type_tokens(&field.ty, sp)?;
    let generics = s
        .generics
        .iter()
        .map(|g| ident(g))
        .collect::<Result<Vec<_>, _>>()?;
    let (impl_generics, type_generics) = if generics.is_empty() {
        (quote!(), quote!())
    } else {
        (
            quote!(<#(#generics: ::ssdto::xml::XmlValue),*>),
            quote!(<#(#generics),*>),
        )
    };
    Ok(quote! {
        impl #impl_generics ::ssdto::xml::XmlValue for #name #type_generics {
            const KIND: ::ssdto::xml::Kind = <#inner as ::ssdto::xml::XmlValue>::KIND;

            fn contract() -> ::ssdto::xml::Contract {
                <#inner as ::ssdto::xml::XmlValue>::contract()
            }

            fn write_content(&self, w: &mut ::ssdto::xml::Writer) -> ::core::result::Result<(), ::ssdto::xml::Error> {
                self.0.write_content(w)
            }

            fn read_content(r: &mut ::ssdto::xml::Reader<'_>) -> ::core::result::Result<Self, ::ssdto::xml::Error> {
                <#inner as ::ssdto::xml::XmlValue>::read_content(r).map(Self)
            }
        }
    })
}

/// The XML namespace of a type.
fn namespace(origin: &TypeOrigin) -> String {
    type_namespace(
        origin.namespace.as_deref(),
        origin.data_contract_namespace.as_deref(),
    )
}

/// The element name of a member.
fn element_name(field: &Field) -> &str {
    field
        .origin
        .data_member_name
        .as_deref()
        .unwrap_or(&field.origin.name)
}

/// The fields in DataContractSerializer's order: base classes first, then `[DataMember(Order)]`
/// (members without one first, as .NET's default order is -1), then the name, ordinal.
fn in_xml_order(fields: &[Field]) -> Vec<&Field> {
    let mut ordered: Vec<&Field> = fields.iter().collect();
    ordered.sort_by(|a, b| {
        b.origin
            .depth
            .cmp(&a.origin.depth)
            .then(
                a.origin
                    .order
                    .unwrap_or(-1)
                    .cmp(&b.origin.order.unwrap_or(-1)),
            )
            .then(element_name(a).cmp(element_name(b)))
    });
    ordered
}

fn contract(item: &Item, generics: &[String]) -> Result<TokenStream, Error> {
    let origin = &item.origin;
    let name = origin.data_contract_name.as_deref().unwrap_or(&origin.name);
    let ns = namespace(origin);
    if origin.generic_params.is_empty() {
        return Ok(quote!(::ssdto::xml::Contract::new(#name, #ns)));
    }
    let mut args = Vec::new();
    for param in &origin.generic_params {
        args.push(if generics.contains(param) {
            let param = ident(param)?;
            quote!(<#param as ::ssdto::xml::XmlValue>::contract())
        } else {
            // A parameter no field uses is not a Rust parameter: nothing names its argument.
            quote!(::ssdto::xml::Contract::new("anyType", ::ssdto::xml::XSD))
        });
    }
    Ok(quote!(::ssdto::xml::Contract::generic(#name, #ns, &[#(#args),*])))
}

fn emit_struct(item: &Item, s: &StructDef) -> Result<TokenStream, Error> {
    let name = ident(&item.name)?;
    let generics = s
        .generics
        .iter()
        .map(|g| ident(g))
        .collect::<Result<Vec<_>, _>>()?;
    // Leaving out default values compares with them.
    let compares = s.fields.iter().any(|f| !f.origin.emit_default_value);
    let bound = if compares {
        quote!(::ssdto::xml::XmlValue + PartialEq)
    } else {
        quote!(::ssdto::xml::XmlValue)
    };
    let (impl_generics, type_generics) = if generics.is_empty() {
        (quote!(), quote!())
    } else {
        (quote!(<#(#generics: #bound),*>), quote!(<#(#generics),*>))
    };
    let contract = contract(item, &s.generics)?;
    let mut writes = TokenStream::new();
    let mut reads = TokenStream::new();
    let mut read_names: Vec<&str> = Vec::new();
    for field in in_xml_order(&s.fields) {
        let member = ident(&field.name)?;
        let element = element_name(field);
        let ns = namespace(&field.origin.declared_in);
        let write = quote!(w.element(#element, #ns, &self.#member)?;);
        writes.extend(if field.origin.emit_default_value {
            write
        } else {
            quote!(if !::ssdto::xml::is_default(&self.#member) { #write })
        });
        // Two members with one element name cannot both be matched: the first in XML order
        // is read.
        if !read_names.contains(&element) {
            read_names.push(element);
            reads.extend(quote!(#element => value.#member = r.read()?,));
        }
    }
    let (write_content, read_content) = if s.fields.is_empty() {
        (
            quote! {
                fn write_content(&self, _: &mut ::ssdto::xml::Writer) -> ::core::result::Result<(), ::ssdto::xml::Error> {
                    Ok(())
                }
            },
            quote! {
                fn read_content(r: &mut ::ssdto::xml::Reader<'_>) -> ::core::result::Result<Self, ::ssdto::xml::Error> {
                    r.read_members(|_, _| Ok(false))?;
                    Ok(Self::default())
                }
            },
        )
    } else {
        (
            quote! {
                fn write_content(&self, w: &mut ::ssdto::xml::Writer) -> ::core::result::Result<(), ::ssdto::xml::Error> {
                    #writes
                    Ok(())
                }
            },
            quote! {
                fn read_content(r: &mut ::ssdto::xml::Reader<'_>) -> ::core::result::Result<Self, ::ssdto::xml::Error> {
                    let mut value = Self::default();
                    r.read_members(|r, name| {
                        match name {
                            #reads
                            _ => return Ok(false),
                        }
                        Ok(true)
                    })?;
                    Ok(value)
                }
            },
        )
    };
    Ok(quote! {
        impl #impl_generics ::ssdto::xml::XmlValue for #name #type_generics {
            const KIND: ::ssdto::xml::Kind = ::ssdto::xml::Kind::Class;

            fn contract() -> ::ssdto::xml::Contract {
                #contract
            }

            #write_content

            #read_content
        }
    })
}

fn emit_enum(item: &Item, e: &EnumDef) -> Result<TokenStream, Error> {
    let name = ident(&item.name)?;
    let contract = contract(item, &[])?;
    let (write, read) = if e.flags {
        (
            quote!(::ssdto::xml::write_flags(w, *self)),
            quote!(::ssdto::xml::read_flags(r)),
        )
    } else if e.int {
        (
            quote!(::ssdto::xml::write_int_enum(w, self.name(), self.value())),
            quote!(::ssdto::xml::read_int_enum(r, Self::from_name)),
        )
    } else {
        (
            quote!(w.text(self.as_str())),
            quote!(Ok(Self::from(r.text()?.trim()))),
        )
    };
    Ok(quote! {
        impl ::ssdto::xml::XmlValue for #name {
            const KIND: ::ssdto::xml::Kind = ::ssdto::xml::Kind::Enum;

            fn contract() -> ::ssdto::xml::Contract {
                #contract
            }

            fn write_content(&self, w: &mut ::ssdto::xml::Writer) -> ::core::result::Result<(), ::ssdto::xml::Error> {
                #write
            }

            fn read_content(r: &mut ::ssdto::xml::Reader<'_>) -> ::core::result::Result<Self, ::ssdto::xml::Error> {
                #read
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FieldOrigin, Ty};

    fn field(name: &str, depth: usize, order: Option<i64>, member: Option<&str>) -> Field {
        Field {
            name: name.to_lowercase(),
            wire_name: name.to_lowercase(),
            ty: Ty::Prim("String"),
            description: None,
            path: String::new(),
            origin: FieldOrigin {
                name: name.into(),
                data_member_name: member.map(str::to_owned),
                order,
                emit_default_value: true,
                depth,
                declared_in: Default::default(),
            },
        }
    }

    #[test]
    fn base_first_then_order_then_ordinal_name() {
        let fields = [
            field("Zeta", 0, None, None),
            field("CallbackNumber", 0, None, None),
            field("CallState", 0, None, None),
            field("Ordered", 0, Some(1), None),
            field("Early", 0, Some(0), None),
            field("Id", 1, None, None),
            field("Base", 2, Some(5), None),
            field("Renamed", 0, None, Some("Alpha")),
        ];
        let names: Vec<&str> = in_xml_order(&fields)
            .into_iter()
            .map(element_name)
            .collect();
        assert_eq!(
            names,
            [
                "Base",
                "Id",
                "Alpha",
                "CallState",
                "CallbackNumber",
                "Zeta",
                "Early",
                "Ordered"
            ]
        );
    }

    #[test]
    fn namespaces_follow_data_contracts_and_servicestack() {
        let origin = |ns: Option<&str>, dc: Option<&str>| TypeOrigin {
            namespace: ns.map(str::to_owned),
            data_contract_namespace: dc.map(str::to_owned),
            ..TypeOrigin::default()
        };
        assert_eq!(
            namespace(&origin(Some("Voice.Api.Sessions"), None)),
            "http://schemas.datacontract.org/2004/07/Voice.Api.Sessions"
        );
        assert_eq!(namespace(&origin(Some("X"), Some("urn:x"))), "urn:x");
        assert_eq!(
            namespace(&origin(Some("ServiceStack"), None)),
            "http://schemas.servicestack.net/types"
        );
        assert_eq!(
            namespace(&origin(None, None)),
            "http://schemas.datacontract.org/2004/07/"
        );
    }
}
