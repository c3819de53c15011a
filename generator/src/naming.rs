//! Every naming rule in one place: ServiceStack wire names and Rust identifiers.

use std::collections::HashSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// ServiceStack's camelCase wire name for a .NET property (the rule is `ssdto-protocol`'s).
pub use ssdto_protocol::wire_name;

/// The camelCase name serde's `rename_all = "camelCase"` gives a field (raw or not).
pub fn serde_camel_case(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    ssdto_protocol::RenameRule::Camel.apply_to_field(field)
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

/// Whether `c` may stay in an identifier: ASCII letters, digits and `_`, and the letters of
/// scripts common in real contracts (Latin-1 and Latin Extended-A, CJK ideographs, kana,
/// Hangul).
///
/// Everything else rustc accepts in identifiers is replaced, because the code must compile
/// without warnings: rustc warns about characters outside Unicode's recommended identifier
/// set (`uncommon_codepoints`: archaic scripts, NFKC-unnormalized letters such as `𝒟` or
/// `ſ`), about identifiers that only look alike (`confusable_idents`) and about scripts used
/// only through look-alikes (`mixed_script_confusables`, e.g. a lone Cyrillic `о`); and
/// combining marks would let two names that differ here become one after rustc's NFC
/// normalization. Wire names are unaffected: they come from the contract verbatim.
fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '_'
        || matches!(c,
            // Latin-1 letters, without the ordinals and µ (NFKC-unnormalized).
            '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{FF}'
            // Latin Extended-A, without ĳ/Ĳ, ĸ, Ŀ/ŀ, ŉ and ſ.
            | '\u{100}'..='\u{131}' | '\u{134}'..='\u{137}' | '\u{139}'..='\u{13E}'
            | '\u{141}'..='\u{148}' | '\u{14A}'..='\u{17E}'
            // CJK Unified Ideographs (the original block), hiragana, katakana and its
            // prolonged sound mark, Hangul syllables.
            | '\u{4E00}'..='\u{9FA5}' | '\u{3041}'..='\u{3093}' | '\u{30A1}'..='\u{30F4}'
            | '\u{30FC}' | '\u{AC00}'..='\u{D7A3}')
}

/// Replaces what cannot stand in an identifier, so any contract name becomes one.
fn sanitize(raw: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = if allowed(c) { c } else { '_' };
        // One `_` for a run of them: rustc's case lints reject `__` inside a name.
        if c == '_' && out.ends_with('_') && out.chars().any(|o| o != '_') {
            continue;
        }
        out.push(c);
    }
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

/// `raw` with every character that may not stay in an identifier turned into a space, so the
/// case conversion treats it as a word boundary: `a𑁦b` gives `a_b` and `AB`, and `𑁦d` gives
/// `D` (not `_d`, which rustc's `non_camel_case_types` rejects).
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if allowed(c) { c } else { ' ' })
        .collect()
}

/// The Rust field name for a .NET property name.
pub fn field_ident(dotnet: &str) -> String {
    escape_keyword(sanitize(&words(dotnet).to_snake_case(), "field"))
}

/// The Rust type name for a .NET type name (backtick arity already removed).
pub fn type_ident(dotnet: &str) -> String {
    escape_keyword(sanitize(&words(dotnet).to_upper_camel_case(), "Type"))
}

/// The Rust variant name for a .NET enum member.
pub fn variant_ident(dotnet: &str) -> String {
    escape_keyword(sanitize(&words(dotnet).to_upper_camel_case(), "Value"))
}

/// The Rust constant name for a member of a `[Flags]` enum (`ReadWrite` -> `READ_WRITE`).
pub fn const_ident(dotnet: &str) -> String {
    escape_keyword(sanitize(&words(dotnet).to_shouty_snake_case(), "VALUE"))
}

/// The Rust module name for a `GlobalNamespace`.
pub fn module_ident(name: &str) -> String {
    escape_keyword(sanitize(
        &words(&name.replace('.', "_")).to_snake_case(),
        "dtos",
    ))
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
        // `self_` + `_2` would be `self__2`, which rustc's `non_snake_case` rejects.
        let stem = match bare.trim_end_matches('_') {
            "" => bare,
            stem => stem,
        };
        // `_N` only after snake_case (the first letter lowercase, none uppercase); otherwise a
        // bare number, which keeps type names camel case (`Option2`, not `Option_2`, nor
        // `_1st_2`: rustc's `non_camel_case_types` rejects `_` next to a cased letter).
        let snake = !stem.chars().any(char::is_uppercase)
            && stem
                .trim_start_matches('_')
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
        let sep = if snake { "_" } else { "" };
        (2..)
            .map(|n| format!("{stem}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(type_ident("日本"), "日本");
        assert_eq!(type_ident("ユーザー"), "ユーザー");
        // Regression (generated_compiles): these compiled only with warnings
        // (uncommon_codepoints, mixed_script_confusables, confusable_idents).
        assert_eq!(field_ident("a𑁦b"), "a_b");
        assert_eq!(field_ident("𝒟ata"), "ata");
        assert_eq!(field_ident("оk"), "k");
        assert_eq!(variant_ident("𑁦𑁦d"), "D");
        assert_eq!(type_ident("a𑁦b"), "AB");
        assert_eq!(field_ident("ſ"), "field");
        assert_eq!(field_ident("a\u{301}"), "a");
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
        // Regression (generated_compiles): these came out as `self__2`, `Self_2` and
        // `_1st_2`, which rustc's case lints warn about.
        assert_eq!(scope.claim(field_ident("self")), "self_");
        assert_eq!(scope.claim(field_ident("Self")), "self_2");
        assert_eq!(types.claim(type_ident("Self")), "Self_");
        assert_eq!(types.claim(type_ident("self")), "Self2");
        assert_eq!(types.claim(type_ident("1st")), "_1st");
        assert_eq!(types.claim(type_ident("1st")), "_1st2");
        assert_eq!(scope.claim(field_ident("1st")), "_1st");
        assert_eq!(scope.claim(field_ident("1st")), "_1st2");
        assert_eq!(field_ident("a𑁦𑁦b"), "a_b");
        assert_eq!(field_ident("a__b"), "a_b");
    }
}
