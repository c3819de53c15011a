//! Doc text: the rustdoc lines of items, fields, members and service methods, written from the
//! descriptions, routes and auth requirements the model keeps as data.

use crate::model::{AuthRequirements, Item, ItemKind, Operation, TypeSpace};

/// An item's doc: its description and notes, then for a request where its operation is
/// served and who may call it; for an alias, what it stands for.
pub(super) fn item(item: &Item, space: &TypeSpace) -> Vec<String> {
    if let ItemKind::Alias(_) = item.kind {
        return vec![
            format!(
                "`{}`: a type the contract uses without defining it, kept as any JSON.",
                item.origin.name
            ),
            "Replace this alias with a real type to read it.".to_owned(),
        ];
    }
    let mut doc = description(item, space);
    if let Some(op) = space.operation_of(item) {
        let notes = operation_notes(op);
        if !notes.is_empty() && !doc.is_empty() {
            doc.push(String::new());
        }
        doc.extend(notes);
    }
    doc
}

/// The description, then the notes, as the contract gives them (none when descriptions are
/// off).
fn description(item: &Item, space: &TypeSpace) -> Vec<String> {
    let mut doc = text(item.description.as_deref(), space);
    let notes = text(item.notes.as_deref(), space);
    if !notes.is_empty() && !doc.is_empty() {
        doc.push(String::new());
    }
    doc.extend(notes);
    doc
}

/// A field's or member's description as doc lines (none when descriptions are off).
pub(super) fn text(description: Option<&str>, space: &TypeSpace) -> Vec<String> {
    if space.descriptions {
        lines(description)
    } else {
        Vec::new()
    }
}

/// Where a request is served and what it requires, as its type's doc says it.
fn operation_notes(op: &Operation) -> Vec<String> {
    let routes: Vec<String> = op
        .routes
        .iter()
        .map(|r| format!("`{} {}`", verbs(&r.verbs), r.path))
        .collect();
    let auth = &op.auth;
    let mut rest = Vec::new();
    if auth.requires_auth {
        rest.push("Requires authentication.".to_owned());
    }
    if !auth.required_roles.is_empty() {
        rest.push(format!("Required roles: {}.", names(&auth.required_roles)));
    }
    if !auth.required_permissions.is_empty() {
        rest.push(format!(
            "Required permissions: {}.",
            names(&auth.required_permissions)
        ));
    }
    let mut doc = Vec::new();
    if !routes.is_empty() {
        doc.push(format!("Routes: {}", routes.join(", ")));
    }
    if !rest.is_empty() {
        if !routes.is_empty() {
            doc.push(String::new());
        }
        doc.push(rest.join(" "));
    }
    doc
}

/// A route's verbs as a person reads them: `GET, POST`, or `ANY`.
fn verbs(verbs: &[ssdto_protocol::Method]) -> String {
    if verbs.is_empty() {
        return "ANY".to_owned();
    }
    verbs
        .iter()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn names(list: &[String]) -> String {
    list.iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A service method's doc: the first paragraph of its request's description, then where the
/// operation is served and who may call it; each line with the leading space rustdoc lines
/// have in the trait.
pub(super) fn service_method(space: &TypeSpace, op: &Operation) -> Vec<String> {
    let mut doc: Vec<String> = description(space.item(op.request), space)
        .into_iter()
        .take_while(|line| !line.is_empty())
        .map(|l| format!(" {l}"))
        .collect();
    if !doc.is_empty() {
        doc.push(String::new());
    }
    let mut served: Vec<String> = op
        .routes
        .iter()
        .map(|r| format!("`{} {}`", verbs(&r.verbs), r.path))
        .collect();
    served.push(format!("`/api/{}`", op.name));
    doc.push(format!(" Served on {}.", served.join(", ")));
    if let Some(access) = access(&op.auth) {
        doc.push(String::new());
        doc.extend(wrap(&access));
    }
    doc
}

/// Doc lines of at most about 96 columns, each with the leading space rustdoc lines have here.
pub(super) fn wrap(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() > 92 {
            lines.push(std::mem::take(&mut line));
        }
        line.push(' ');
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// Who may call, in words, or `None` for anyone.
fn access(auth: &AuthRequirements) -> Option<String> {
    if !auth.is_protected() {
        return None;
    }
    let mut parts = vec!["Callers must be authenticated".to_owned()];
    for (list, what) in [
        (&auth.required_roles, "every role of"),
        (&auth.requires_any_role, "a role of"),
        (&auth.required_permissions, "every permission of"),
        (&auth.requires_any_permission, "a permission of"),
    ] {
        if !list.is_empty() {
            parts.push(format!("have {what} {}", names(list)));
        }
    }
    let last = parts.pop().unwrap_or_default();
    Some(if parts.is_empty() {
        format!("{last} (401 otherwise).")
    } else {
        format!(
            "{} and {last} (401 without a caller, 403 without the rest).",
            parts.join(", ")
        )
    })
}

/// Description text as rustdoc lines that cannot turn into doctests or stray markup.
fn lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Vec::new();
    };
    // A bare CR ends a line too: left inside a line it makes the `///` comment invalid Rust
    // (a regression found by the `generate` fuzz target).
    text.split("\r\n")
        .flat_map(|l| l.split(['\n', '\r']))
        // Leading spaces would make an indented code block, which rustdoc runs as a doctest.
        .map(|l| l.trim().replace("```", "'''"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (fuzz target `generate`): a bare CR in a description stayed inside a doc
    /// line, which Rust rejects ("bare CR not allowed in doc-comment").
    #[test]
    fn doc_lines_break_at_every_line_ending() {
        assert_eq!(
            lines(Some("The To ad\ress\r\nfor the\nsession\r")),
            ["The To ad", "ess", "for the", "session"]
        );
        assert_eq!(lines(Some("  ```rust\n    code")), ["'''rust", "code"]);
        assert!(lines(Some(" \r\n ")).is_empty());
    }

    /// The request's doc lists its routes and requirements; the service method's doc takes
    /// only the description from it, whatever its text says.
    #[test]
    fn request_docs_are_written_from_data() {
        let contract = r#"{"operations":[{"request":{"name":"Get",
            "description":"Routes: are described here.\nSecond line","notes":"Some notes"},
            "routes":[{"path":"/a","verbs":"GET,POST"},{"path":"/b"}],
            "requiresAuth":true,"requiredRoles":["Admin"],"requiredPermissions":["p"]}]}"#;
        let space = crate::resolve::testing::space(contract).unwrap();
        assert_eq!(
            item(&space.items[0], &space),
            [
                "Routes: are described here.",
                "Second line",
                "",
                "Some notes",
                "",
                "Routes: `GET, POST /a`, `ANY /b`",
                "",
                "Requires authentication. Required roles: `Admin`. Required permissions: `p`."
            ]
        );
        let method = service_method(&space, &space.operations[0]);
        assert_eq!(
            method[..4],
            [
                " Routes: are described here.",
                " Second line",
                "",
                " Served on `GET, POST /a`, `ANY /b`, `/api/Get`."
            ]
        );
        // Roles without authentication and without a description used to leak into the
        // method's doc (it filtered lines by prefix).
        let contract = r#"{"operations":[{"request":{"name":"Get"},"requiredRoles":["Admin"]}]}"#;
        let space = crate::resolve::testing::space(contract).unwrap();
        assert_eq!(item(&space.items[0], &space), ["Required roles: `Admin`."]);
        assert_eq!(
            service_method(&space, &space.operations[0])[0],
            " Served on `/api/Get`."
        );
    }
}
