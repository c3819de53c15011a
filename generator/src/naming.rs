//! Every naming rule in one place: ServiceStack wire names and Rust identifiers.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// ServiceStack's camelCase for wire names: the leading run of capitals is lowercased, except
/// the last capital of a run followed by a lowercase letter (`ID` -> `id`, `URLPath` ->
/// `urlPath`, `Id` -> `id`).
pub fn wire_camel_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut leading = true;
    for (i, &c) in chars.iter().enumerate() {
        // Past the end counts as a capital, so a name that is all capitals is lowercased whole.
        let next_upper = chars.get(i + 1).is_none_or(|n| n.is_ascii_uppercase());
        if leading && c.is_ascii_uppercase() && (next_upper || i == 0) {
            out.push(c.to_ascii_lowercase());
        } else {
            leading = false;
            out.push(c);
        }
    }
    out
}

/// The camelCase name serde's `rename_all = "camelCase"` gives a snake_case field.
pub fn serde_camel_case(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let mut out = String::with_capacity(field.len());
    let mut upper_next = false;
    for c in field.chars() {
        if c == '_' {
            upper_next = true;
        } else if upper_next {
            out.push(c.to_ascii_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Words that cannot be identifiers even in raw form.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "extern", "_"];

/// Strict and reserved keywords of the 2021 edition (and 2024's `gen`).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Replaces what cannot stand in an identifier, so any contract name becomes one.
fn sanitize(raw: &str, fallback: &str) -> String {
    let mut out: String = raw
        .chars()
        .map(|c| {
            if unicode_ident::is_xid_continue(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    // Identifiers start with XID_Start or `_`: digits (of any script) and marks do not.
    if out
        .chars()
        .next()
        .is_none_or(|c| c != '_' && !unicode_ident::is_xid_start(c))
    {
        out.insert(0, '_');
    }
    if out.chars().all(|c| c == '_') {
        return fallback.to_owned();
    }
    out
}

/// Makes a name usable as an identifier: keywords become raw identifiers, words that cannot be
/// raw get a trailing underscore.
fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The Rust field name for a .NET property name.
pub fn field_ident(dotnet: &str) -> String {
    escape_keyword(sanitize(&dotnet.to_snake_case(), "field"))
}

/// The Rust type name for a .NET type name (backtick arity already removed).
pub fn type_ident(dotnet: &str) -> String {
    escape_keyword(sanitize(&dotnet.to_upper_camel_case(), "Type"))
}

/// The Rust variant name for a .NET enum member.
pub fn variant_ident(dotnet: &str) -> String {
    escape_keyword(sanitize(&dotnet.to_upper_camel_case(), "Value"))
}

/// The Rust module name for a `GlobalNamespace`.
pub fn module_ident(name: &str) -> String {
    escape_keyword(sanitize(&name.replace('.', "_").to_snake_case(), "dtos"))
}

/// Hands out identifiers unique within one scope, adding a numeric suffix on collision
/// (`Id` and `ID` both want `id`: the second becomes `id_2`).
#[derive(Debug, Default)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Returns `wanted` if free, else the first free `wanted_N` (or `WantedN` for type-like
    /// names), and marks it taken.
    pub fn claim(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        let bare = wanted.strip_prefix("r#").unwrap_or(&wanted);
        let sep = if bare.chars().next().is_some_and(char::is_uppercase) {
            ""
        } else {
            "_"
        };
        (2..)
            .map(|n| format!("{bare}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_follow_servicestack_camel_case() {
        for (dotnet, wire) in [
            ("Id", "id"),
            ("ID", "id"),
            ("URLPath", "urlPath"),
            ("IPAddress", "ipAddress"),
            ("DateCreated", "dateCreated"),
            ("already", "already"),
            ("X", "x"),
            ("ABC", "abc"),
            ("A1B", "a1B"),
            ("", ""),
        ] {
            assert_eq!(wire_camel_case(dotnet), wire, "{dotnet}");
        }
    }

    #[test]
    fn serde_camel_case_matches_serde() {
        assert_eq!(serde_camel_case("url_path"), "urlPath");
        assert_eq!(serde_camel_case("id"), "id");
        assert_eq!(serde_camel_case("r#type"), "type");
        assert_eq!(serde_camel_case("a1_b"), "a1B");
    }

    #[test]
    fn identifiers_are_valid_rust() {
        assert_eq!(field_ident("DateCreated"), "date_created");
        assert_eq!(field_ident("Type"), "r#type");
        assert_eq!(field_ident("Self"), "self_");
        assert_eq!(field_ident("1st"), "_1st");
        assert_eq!(field_ident("Größe"), "größe");
        assert_eq!(field_ident("a-b"), "a_b");
        assert_eq!(field_ident("-"), "field");
        assert_eq!(type_ident("session_info"), "SessionInfo");
        assert_eq!(type_ident("Self"), "Self_");
        assert_eq!(variant_ident("None"), "None");
        assert_eq!(module_ident("Voice.Api"), "voice_api");
        for name in [
            "type", "match", "r#async", "123", "é", "Self", "_", "೦", "a\u{301}", "\u{301}x",
        ] {
            let ident = field_ident(name);
            assert!(
                syn::parse_str::<syn::Ident>(&ident).is_ok(),
                "{name} -> {ident}"
            );
        }
    }

    #[test]
    fn scope_makes_collisions_unique() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim(field_ident("Id")), "id");
        assert_eq!(scope.claim(field_ident("ID")), "id_2");
        assert_eq!(scope.claim("id_2".into()), "id_2_2");
        let mut types = Scope::with_reserved(&["Option"]);
        assert_eq!(types.claim("Option".into()), "Option2");
        assert_eq!(scope.claim("r#type".into()), "r#type");
        assert_eq!(scope.claim("r#type".into()), "type_2");
    }
}
