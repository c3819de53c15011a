//! Names as ServiceStack compares and writes them.

/// Compares names case-insensitively, as .NET's invariant ignore-case comparer does near
/// enough: ASCII first, then by lower-cased characters, without allocating. ServiceStack binds
/// route variables, query keys and JSON members to properties this way.
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        // Between ASCII names the ASCII answer is final (their lower cases are ASCII too); the
        // routers compare every request's path this way, and most comparisons fail.
        || !(a.is_ascii() && b.is_ascii()) && lowercase_eq(a, b)
}

/// Compares the characters' lower cases, one by one.
fn lowercase_eq(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// The name ServiceStack writes for a .NET property on the wire: its camelCase, where the
/// leading run of capitals is lowercased except the last capital of a run followed by a
/// lowercase letter (`ID` -> `id`, `URLPath` -> `urlPath`, `Id` -> `id`).
///
/// A `[DataMember(Name = ..)]` name is used verbatim instead; that choice is the caller's.
pub fn wire_name(property: &str) -> String {
    let chars: Vec<char> = property.chars().collect();
    let mut out = String::with_capacity(property.len());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_ascii_and_unicode_case_insensitively() {
        assert!(eq_ignore_case("SessionId", "sessionID"));
        assert!(eq_ignore_case("Größe", "GRÖßE"));
        assert!(!eq_ignore_case("Größe", "GRÖSSE"));
        assert!(!eq_ignore_case("id", "ids"));
        assert!(eq_ignore_case("", ""));
        // A non-ASCII character whose lower case is ASCII: the KELVIN SIGN.
        assert!(eq_ignore_case("\u{212A}ey", "KEY"));
        assert!(eq_ignore_case("key", "\u{212A}EY"));
    }

    #[test]
    fn ascii_names_compare_as_their_lower_cases() {
        let names = [
            "",
            "a",
            "A",
            "id",
            "ID",
            "Id",
            "ids",
            "/api/GetSession",
            "/API/getsession",
            "/types/metadata",
            "/metadata/app.json",
            "[]",
            "_",
            "@",
            "`",
            "{",
            "[",
        ];
        for a in names {
            for b in names {
                assert_eq!(eq_ignore_case(a, b), lowercase_eq(a, b), "{a:?} {b:?}");
            }
        }
    }

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
            assert_eq!(wire_name(dotnet), wire, "{dotnet}");
        }
    }
}
