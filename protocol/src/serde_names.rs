//! serde's `rename_all` rules for Rust field names, exactly as serde_derive applies them: the
//! names a generated or derived struct's fields have on the wire. The derive reads them from
//! `#[serde(rename_all = ..)]` to check route variables; the generator leaves out a
//! `rename` that `rename_all = "camelCase"` already gives.

/// serde's `rename_all` rules, applied to Rust field names as serde_derive applies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameRule {
    /// `lowercase`
    Lower,
    /// `UPPERCASE`
    Upper,
    /// `PascalCase`
    Pascal,
    /// `camelCase`
    Camel,
    /// `snake_case`
    Snake,
    /// `SCREAMING_SNAKE_CASE`
    ScreamingSnake,
    /// `kebab-case`
    Kebab,
    /// `SCREAMING-KEBAB-CASE`
    ScreamingKebab,
}

impl RenameRule {
    /// The rule serde spells `name` (`"camelCase"`, `"SCREAMING_SNAKE_CASE"`, ...).
    pub fn parse(name: &str) -> Option<RenameRule> {
        Some(match name {
            "lowercase" => RenameRule::Lower,
            "UPPERCASE" => RenameRule::Upper,
            "PascalCase" => RenameRule::Pascal,
            "camelCase" => RenameRule::Camel,
            "snake_case" => RenameRule::Snake,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnake,
            "kebab-case" => RenameRule::Kebab,
            "SCREAMING-KEBAB-CASE" => RenameRule::ScreamingKebab,
            _ => return None,
        })
    }

    /// The wire name of a (snake_case) Rust field, exactly as serde computes it.
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            // Field names are already snake_case, so serde leaves them alone.
            RenameRule::Lower | RenameRule::Snake => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal => {
                let mut pascal = String::with_capacity(field.len());
                let mut capitalize = true;
                for c in field.chars() {
                    if c == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(c.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(c);
                    }
                }
                pascal
            }
            RenameRule::Camel => {
                let pascal = RenameRule::Pascal.apply_to_field(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_serde_rename_rule() {
        for (rule, expected) in [
            ("lowercase", "session_id"),
            ("UPPERCASE", "SESSION_ID"),
            ("PascalCase", "SessionId"),
            ("camelCase", "sessionId"),
            ("snake_case", "session_id"),
            ("SCREAMING_SNAKE_CASE", "SESSION_ID"),
            ("kebab-case", "session-id"),
            ("SCREAMING-KEBAB-CASE", "SESSION-ID"),
        ] {
            let parsed = RenameRule::parse(rule).unwrap_or_else(|| panic!("{rule}"));
            assert_eq!(parsed.apply_to_field("session_id"), expected, "{rule}");
        }
        assert_eq!(RenameRule::parse("Title Case"), None);
        assert_eq!(RenameRule::Camel.apply_to_field(""), "");
        assert_eq!(RenameRule::Camel.apply_to_field("_x"), "x");
    }
}
