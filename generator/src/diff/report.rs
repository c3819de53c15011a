//! Reports: text for terminals, JSON for tools, Markdown for pull requests.

use std::fmt::Write as _;

use super::{Change, Diff, Subject};

/// "5 changes: 2 break OLD clients, 1 breaks NEW clients on OLD servers, 3 break Rust
/// source, 2 safe", or "no changes".
pub(crate) fn summary(diff: &Diff) -> String {
    if diff.changes.is_empty() {
        return "no changes".into();
    }
    let c = diff.counts();
    let n = diff.changes.len();
    let verb = |k: usize| if k == 1 { "breaks" } else { "break" };
    let mut parts = Vec::new();
    if c.old_clients > 0 {
        parts.push(format!(
            "{} {} OLD clients",
            c.old_clients,
            verb(c.old_clients)
        ));
    }
    if c.new_clients > 0 {
        parts.push(format!(
            "{} {} NEW clients on OLD servers",
            c.new_clients,
            verb(c.new_clients)
        ));
    }
    if c.source > 0 {
        parts.push(format!("{} {} Rust source", c.source, verb(c.source)));
    }
    if c.safe > 0 {
        parts.push(format!("{} safe", c.safe));
    }
    format!(
        "{n} change{}: {}",
        if n == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

/// The changes by subject, in report order.
fn groups(diff: &Diff) -> Vec<(&Subject, Vec<&Change>)> {
    let mut out: Vec<(&Subject, Vec<&Change>)> = Vec::new();
    for c in &diff.changes {
        match out.last_mut() {
            Some((subject, changes)) if *subject == &c.subject => changes.push(c),
            _ => out.push((&c.subject, vec![c])),
        }
    }
    out
}

/// Who a change breaks, shortly: "OLD clients, source" or "safe".
fn breaks_whom(c: &Change) -> String {
    let mut who = Vec::new();
    if c.impact.old_clients.is_some() {
        who.push("OLD clients");
    }
    if c.impact.new_clients.is_some() {
        who.push("NEW clients");
    }
    if c.impact.source.is_some() {
        who.push("source");
    }
    if who.is_empty() {
        "safe".into()
    } else {
        format!("breaks {}", who.join(", "))
    }
}

/// The explanations: one per party broken (the wire ones name their parties), or the note
/// of a safe change.
fn reasons(c: &Change) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    out.extend(c.impact.old_clients.iter().cloned());
    out.extend(c.impact.new_clients.iter().cloned());
    if let Some(r) = &c.impact.source {
        out.push(format!("source: {r}"));
    }
    if let Some(n) = &c.note {
        out.push(n.clone());
    }
    out
}

fn what(c: &Change) -> String {
    match &c.member {
        Some(m) => format!("{m}: {}", c.detail),
        None => c.detail.clone(),
    }
}

pub(crate) fn text(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "ssdto diff {} -> {}", diff.old, diff.new);
    let _ = writeln!(out, "{}", summary(diff));
    for (subject, changes) in groups(diff) {
        let _ = writeln!(out, "\n{subject}");
        for c in changes {
            let _ = writeln!(out, "  {} [{}] {}", breaks_whom(c), c.rule, what(c));
            if let Some(path) = &c.path {
                let _ = writeln!(out, "      at {path}");
            }
            for r in reasons(c) {
                let _ = writeln!(out, "      {r}");
            }
        }
    }
    out
}

pub(crate) fn json(diff: &Diff) -> String {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Report<'a> {
        old: &'a str,
        new: &'a str,
        summary: super::Counts,
        changes: &'a [Change],
    }
    let report = Report {
        old: &diff.old,
        new: &diff.new,
        summary: diff.counts(),
        changes: &diff.changes,
    };
    // Plain data of strings, numbers and booleans always serializes.
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}

pub(crate) fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### ssdto diff: `{}` -> `{}`\n", diff.old, diff.new);
    let _ = writeln!(out, "{}", summary(diff));
    for (subject, changes) in groups(diff) {
        let _ = writeln!(out, "\n#### {subject}\n");
        let _ = writeln!(out, "| | rule | change | why | where |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for c in changes {
            let mark = if c.impact.is_safe() {
                "safe"
            } else {
                "**breaking**"
            };
            let _ = writeln!(
                out,
                "| {mark} | `{}` | {} | {} | {} |",
                c.rule,
                cell(&what(c)),
                cell(&reasons(c).join("<br>")),
                c.path.as_ref().map(ToString::to_string).unwrap_or_default(),
            );
        }
    }
    out
}

/// Text that cannot end a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
