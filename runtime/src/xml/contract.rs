//! DataContractSerializer's names for types: what the root element and the items of a
//! collection are called, and in which namespace.

use std::borrow::Cow;

use base64::Engine as _;

pub use ssdto_protocol::xml::{
    type_namespace, ARRAYS, DATA_CONTRACT_NAMESPACE, SERIALIZATION, SERVICESTACK, XSD, XSI,
};

/// How DataContractSerializer treats a type. The element holding a class or a collection
/// declares that value's namespace (`<CustomerBreadcrumb xmlns:d2p1="...Customers">`) when it
/// differs from the element's own; primitives and enums are plain text and declare nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A built-in type written as text: strings, numbers, booleans, dates, Guids, bytes.
    Primitive,
    /// An enum, written by member name.
    Enum,
    /// A class: one child element per member.
    Class,
    /// A list or dictionary: one child element per item.
    Collection,
}

/// A data contract name: what DataContractSerializer calls a type in XML.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Contract {
    /// The local name (`SessionInfo`, `string`, `ArrayOfstring`).
    pub name: Cow<'static, str>,
    /// The namespace URI.
    pub namespace: Cow<'static, str>,
}

impl Contract {
    /// A contract with a fixed name.
    pub const fn new(name: &'static str, namespace: &'static str) -> Self {
        Contract {
            name: Cow::Borrowed(name),
            namespace: Cow::Borrowed(namespace),
        }
    }

    /// The contract of a closed generic type, named as DataContractSerializer names it.
    ///
    /// `name` is the .NET name without arity (`QueryResponse`), or a `[DataContract(Name)]`
    /// template with `{0}`, `{1}`, ... for the arguments and `{#}` for the digest. Without a
    /// template the name is `{name}Of{arg names}`, plus a digest of the arguments' namespaces
    /// unless they are all XML Schema or .NET serialization types: `KeyValueOfstringstring`, but
    /// `QueryResponseOfBookingBdUTp_Sb`.
    pub fn generic(name: &'static str, namespace: &'static str, args: &[Contract]) -> Self {
        let needs_digest = !args.iter().all(|a| is_builtin_namespace(&a.namespace));
        let mut out = String::new();
        if name.contains('{') {
            let mut rest = name;
            while let Some(open) = rest.find('{') {
                out.push_str(&rest[..open]);
                let after = &rest[open + 1..];
                let Some(close) = after.find('}') else {
                    // Not a placeholder after all: keep the text.
                    out.push_str(&rest[open..]);
                    rest = "";
                    break;
                };
                let key = &after[..close];
                if key == "#" {
                    if needs_digest {
                        out.push_str(&digest(args));
                    }
                } else if let Some(arg) = key.parse::<usize>().ok().and_then(|i| args.get(i)) {
                    out.push_str(&arg.name);
                } else {
                    out.push_str(&rest[open..open + close + 2]);
                }
                rest = &after[close + 1..];
            }
            out.push_str(rest);
        } else {
            out.push_str(name);
            out.push_str("Of");
            for arg in args {
                out.push_str(&arg.name);
            }
            if needs_digest {
                out.push_str(&digest(args));
            }
        }
        Contract {
            name: Cow::Owned(out),
            namespace: Cow::Borrowed(namespace),
        }
    }

    /// The contract of a list of `item`: `ArrayOf{item}`, in the item's namespace, or in the
    /// Arrays namespace for built-in items (`ArrayOfstring`).
    pub fn collection_of(item: &Contract) -> Self {
        Contract {
            name: Cow::Owned(format!("ArrayOf{}", item.name)),
            namespace: if is_builtin_namespace(&item.namespace) {
                Cow::Borrowed(ARRAYS)
            } else {
                item.namespace.clone()
            },
        }
    }

    /// The contract of one entry of a dictionary: `KeyValueOf{key}{value}`, in the Arrays
    /// namespace.
    pub fn key_value(key: &Contract, value: &Contract) -> Self {
        Contract::generic("KeyValueOf{0}{1}{#}", ARRAYS, &[key.clone(), value.clone()])
    }
}

/// Whether types in `namespace` count as built in for generic names (no digest).
fn is_builtin_namespace(namespace: &str) -> bool {
    namespace == XSD || namespace == SERIALIZATION
}

/// .NET's digest of generic arguments' namespaces: the first 6 bytes of the MD5 of
/// `" {count} {ns1} {ns2}.."`, in base64 without padding, `/` and `+` spelled `_S` and `_P`.
fn digest(args: &[Contract]) -> String {
    let mut input = format!(" {}", args.len());
    for arg in args {
        input.push(' ');
        input.push_str(&arg.namespace);
    }
    let hash = md5::compute(input.as_bytes());
    let encoded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&hash.0[..6]);
    let mut out = String::with_capacity(encoded.len() + 2);
    for c in encoded.chars() {
        match c {
            '/' => out.push_str("_S"),
            '+' => out.push_str("_P"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRING: Contract = Contract::new("string", XSD);

    #[test]
    fn builtin_arguments_get_no_digest() {
        let kv = Contract::key_value(&STRING, &STRING);
        assert_eq!(kv, Contract::new("KeyValueOfstringstring", ARRAYS));
        let ints = Contract::key_value(
            &Contract::new("int", XSD),
            &Contract::new("guid", SERIALIZATION),
        );
        assert_eq!(ints.name, "KeyValueOfintguid");
    }

    #[test]
    fn other_namespaces_get_the_dotnet_digest() {
        // `Dictionary<string, List<string>>`, as every WCF WSDL with one names it.
        let list = Contract::collection_of(&STRING);
        assert_eq!(list, Contract::new("ArrayOfstring", ARRAYS));
        assert_eq!(
            Contract::key_value(&STRING, &list).name,
            "KeyValueOfstringArrayOfstringty7Ep6D1"
        );
    }

    #[test]
    fn digest_spells_slash_and_plus() {
        // Found by trying namespaces until the base64 held each character.
        let find = |c: char| {
            (0..10_000)
                .map(|i| Contract::new("T", "").with_namespace(format!("urn:{i}")))
                .map(|arg| (digest(std::slice::from_ref(&arg)), arg))
                .find(|(_, arg)| {
                    let hash = md5::compute(format!(" 1 {}", arg.namespace).as_bytes());
                    base64::engine::general_purpose::STANDARD_NO_PAD
                        .encode(&hash.0[..6])
                        .contains(c)
                })
                .map(|(d, _)| d)
        };
        let slash = find('/').unwrap_or_default();
        assert!(slash.contains("_S") && !slash.contains('/'), "{slash}");
        let plus = find('+').unwrap_or_default();
        assert!(plus.contains("_P") && !plus.contains('+'), "{plus}");
    }

    #[test]
    fn generic_classes_and_templates() {
        let booking = Contract::new("Booking", "http://schemas.datacontract.org/2004/07/MyApp");
        let page = Contract::generic(
            "QueryResponse",
            SERVICESTACK,
            std::slice::from_ref(&booking),
        );
        assert!(
            page.name.starts_with("QueryResponseOfBooking"),
            "{}",
            page.name
        );
        assert_eq!(page.name.len(), "QueryResponseOfBooking".len() + 8);
        assert_eq!(page.namespace, SERVICESTACK);
        assert_eq!(
            Contract::generic("Page{0}", "urn:x", &[STRING]).name,
            "Pagestring"
        );
        assert_eq!(
            Contract::generic("Page{0}{#}", "urn:x", &[booking])
                .name
                .len(),
            "PageBooking".len() + 8
        );
        assert_eq!(Contract::generic("Odd{", "urn:x", &[STRING]).name, "Odd{");
        assert_eq!(
            Contract::generic("Odd{9}", "urn:x", &[STRING]).name,
            "Odd{9}"
        );
    }

    impl Contract {
        fn with_namespace(mut self, namespace: String) -> Self {
            self.namespace = Cow::Owned(namespace);
            self
        }
    }
}
