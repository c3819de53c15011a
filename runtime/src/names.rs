//! Name comparison as ServiceStack does it.

/// Compares names case-insensitively, as .NET's invariant ignore-case comparer does near
/// enough: by lower-cased characters, without allocating.
pub(crate) fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
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
    }
}
