//! `ssdto diff` through the command line: the real blazor-gallery history against its
//! snapshot, exit codes for CI, report formats, generated files as sides, bad input (exit 2,
//! one line), the summary `ssdto update` prints; and random contracts never confuse it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use proptest::prelude::*;

mod support {
    pub mod contracts;
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn ssdto(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ssdto"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("run ssdto")
}

/// A fresh directory under the target dir, removed and recreated per test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("diff-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

/// One operation `Get` answering `GetResponse` with `fields`, plus `extra` operations.
fn contract(fields: &str, extra: &str) -> String {
    format!(
        r#"{{"types":[],"operations":[{{"request":{{"name":"Get","properties":[{{"name":"Id","type":"String"}}]}},
            "response":{{"name":"GetResponse","properties":[{fields}]}},"method":"GET"}}{extra}]}}"#
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

const SNAPSHOT: &str = "tests/snapshots/blazor-gallery-6.61-to-8.91.txt";

/// The two published versions of ServiceStack's blazor-gallery sample; checked by hand (see
/// the snapshot's notes in `tests/snapshots/README.md`). `SSDTO_BLESS=1` rewrites it.
#[test]
fn blazor_gallery_history_matches_its_snapshot() {
    let out = ssdto(
        &[
            "diff",
            "contracts/real/blazor-gallery-6.61.app.json",
            "contracts/real/blazor-gallery-8.91.app.json",
        ],
        &root(),
    );
    assert_eq!(
        code(&out),
        1,
        "wire breaks fail by default: {}",
        stderr(&out)
    );
    let report = stdout(&out);
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    if std::env::var_os("SSDTO_BLESS").is_some() {
        std::fs::write(&snapshot, &report).expect("write snapshot");
    }
    let expected = std::fs::read_to_string(&snapshot).expect("snapshot (SSDTO_BLESS=1 writes it)");
    assert!(
        report == expected,
        "report differs from {SNAPSHOT} (SSDTO_BLESS=1 rewrites it):\n{report}"
    );
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = scratch("exit-codes");
    write(
        &dir,
        "base.json",
        &contract(r#"{"name":"N","type":"Int32","isValueType":true}"#, ""),
    );
    // Additive: a new optional field and a new operation.
    write(
        &dir,
        "added.json",
        &contract(
            r#"{"name":"N","type":"Int32","isValueType":true},{"name":"Note","type":"String"}"#,
            r#",{"request":{"name":"Other"},"returnsVoid":true,"method":"POST"}"#,
        ),
    );
    // `N` widened: breaks OLD clients (they cannot read an i64) and source.
    write(
        &dir,
        "wider.json",
        &contract(r#"{"name":"N","type":"Int64","isValueType":true}"#, ""),
    );

    let run = |args: &[&str]| code(&ssdto(args, &dir));
    assert_eq!(run(&["diff", "base.json", "base.json"]), 0);
    assert_eq!(run(&["diff", "base.json", "added.json"]), 0);
    assert_eq!(
        run(&["diff", "base.json", "added.json", "--fail-on", "any"]),
        0
    );
    assert_eq!(run(&["diff", "base.json", "wider.json"]), 1);
    assert_eq!(
        run(&["diff", "base.json", "wider.json", "--fail-on", "reverse"]),
        0
    );
    assert_eq!(
        run(&["diff", "base.json", "wider.json", "--fail-on", "source"]),
        1
    );
    assert_eq!(
        run(&["diff", "wider.json", "base.json", "--fail-on", "wire"]),
        0
    );
    assert_eq!(
        run(&[
            "diff",
            "wider.json",
            "base.json",
            "--fail-on",
            "reverse,source"
        ]),
        1
    );

    let same = ssdto(&["diff", "base.json", "base.json"], &dir);
    assert!(
        stdout(&same).contains("\nno changes\n"),
        "{}",
        stdout(&same)
    );
    let added = stdout(&ssdto(&["diff", "base.json", "added.json"], &dir));
    assert!(added.contains("2 changes: 2 safe"), "{added}");
    assert!(added.contains("safe [operation-added] added"), "{added}");
    assert!(
        added.contains("safe [field-added] `note`: added: `Option<String>`"),
        "{added}"
    );
}

#[test]
fn formats_for_tools_and_pull_requests() {
    let dir = scratch("formats");
    write(
        &dir,
        "old.json",
        &contract(r#"{"name":"N","type":"Int32","isValueType":true}"#, ""),
    );
    write(&dir, "new.json", &contract("", ""));
    let json = ssdto(&["diff", "old.json", "new.json", "--format", "json"], &dir);
    assert_eq!(code(&json), 1);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON report");
    assert_eq!(report["summary"]["oldClients"], 1);
    let change = &report["changes"][0];
    assert_eq!(change["rule"], "field-removed");
    assert_eq!(
        change["subject"],
        serde_json::json!({"kind": "type", "name": "GetResponse"})
    );
    assert_eq!(
        change["path"],
        serde_json::json!({"version": "old", "path": "operations[0].response.properties[0]"})
    );
    assert!(change["impact"]["oldClients"]
        .as_str()
        .is_some_and(|r| r.contains("`n`")));
    assert!(change["impact"]["newClients"].is_null());

    let md = stdout(&ssdto(
        &["diff", "old.json", "new.json", "--format", "markdown"],
        &dir,
    ));
    assert!(
        md.starts_with("### ssdto diff: `old.json` -> `new.json`\n"),
        "{md}"
    );
    assert!(
        md.contains("#### type GetResponse\n\n| | rule | change | why | where |\n"),
        "{md}"
    );
    assert!(
        md.contains("| **breaking** | `field-removed` | `n`: removed |"),
        "{md}"
    );
}

/// A generated file stands for the contract its header names, with the options it records;
/// the other side is resolved with the same options.
#[test]
fn generated_files_bring_their_source_and_options() {
    let dir = scratch("generated");
    let old = r#"{"types":[{"name":"Kept","properties":[{"name":"A","type":"String"}]},
                           {"name":"Filtered","properties":[{"name":"B","type":"String"}]}]}"#;
    let new = r#"{"types":[{"name":"Kept","properties":[]},{"name":"Filtered","properties":[]}]}"#;
    write(&dir, "old.json", old);
    write(&dir, "new.json", new);
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    let out = ssdto(
        &[
            "generate",
            "old.json",
            "--include",
            "Kept",
            "-o",
            "src/api.rs",
        ],
        &dir,
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let out = ssdto(
        &["diff", "src/api.rs", "new.json", "--fail-on", "any"],
        &dir,
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = stdout(&out);
    assert!(
        report.starts_with("ssdto diff src/api.rs (from src/../old.json) -> new.json\n"),
        "{report}"
    );
    assert!(report.contains("type Kept\n"), "{report}");
    assert!(
        !report.contains("Filtered"),
        "IncludeTypes applies to NEW too: {report}"
    );

    // Options given with a generated file contradict its header.
    let out = ssdto(
        &["diff", "src/api.rs", "new.json", "--include", "Filtered"],
        &dir,
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("header sets the options"),
        "{}",
        stderr(&out)
    );
}

/// Each class of bad input: exit 2, one line on stderr naming the problem, nothing on stdout.
#[test]
fn bad_input_exits_2_with_one_clear_line() {
    let dir = scratch("bad-input");
    write(&dir, "good.json", &contract("", ""));
    write(&dir, "broken.json", "{\"types\": [,]}");
    write(&dir, "other.json", r#"{"types":[{"name":"Unrelated"}]}"#);
    write(&dir, "stray.rs", "fn main() {}\n");
    // A generated file whose source is gone.
    let out = ssdto(&["generate", "good.json", "-o", "gen.rs"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::copy(dir.join("gen.rs"), dir.join("orphan.rs")).expect("copy");
    let text = std::fs::read_to_string(dir.join("orphan.rs")).expect("read");
    write(
        &dir,
        "orphan.rs",
        &text.replace("Source: good.json", "Source: gone.json"),
    );
    // Two generated files with different options.
    let out = ssdto(
        &["generate", "good.json", "--derive", "Eq", "-o", "gen_eq.rs"],
        &dir,
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let cases: &[(&[&str], &str)] = &[
        (
            &["diff", "broken.json", "good.json"],
            "error: broken.json: invalid contract JSON at line 1 column",
        ),
        (
            &["diff", "good.json", "missing.json"],
            "error: missing.json: ",
        ),
        (
            &["diff", "orphan.rs", "good.json"],
            "error: orphan.rs: cannot read the contract its header names: ",
        ),
        (
            &["diff", "stray.rs", "good.json"],
            "error: stray.rs: no `/* Options:` header",
        ),
        (
            &["diff", "gen.rs", "gen_eq.rs"],
            "were generated with different options",
        ),
        (
            &["diff", "good.json", "other.json"],
            "no operation or type in common",
        ),
        (
            &["diff", "-", "-"],
            "OLD and NEW cannot both be standard input",
        ),
        (
            &["diff", "good.json", "good.json", "--fail-on", "sideways"],
            "--fail-on takes wire, reverse, source or any",
        ),
    ];
    for (args, expected) in cases {
        let out = ssdto(args, &dir);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{args:?}: {err}");
        assert!(
            err.contains(expected),
            "{args:?}: stderr {err:?} lacks {expected:?}"
        );
        assert_eq!(err.lines().count(), 1, "{args:?}: one line, got {err:?}");
        assert!(stdout(&out).is_empty(), "{args:?}: no report on bad input");
    }
}

#[test]
fn update_prints_what_the_new_contract_breaks() {
    let dir = scratch("update");
    write(
        &dir,
        "api.json",
        &contract(r#"{"name":"N","type":"Int32","isValueType":true}"#, ""),
    );
    let out = ssdto(&["generate", "api.json", "-o", "api.rs"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    write(
        &dir,
        "api.json",
        &contract(
            r#"{"name":"N","type":"Int64","isValueType":true}"#,
            r#",{"request":{"name":"Other"},"method":"POST"}"#,
        ),
    );
    let out = ssdto(&["update", "api.rs"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "api.rs: updated (2 changes: 1 breaks OLD clients, 1 breaks Rust source, 1 safe)\n"
    );
    let out = ssdto(&["update", "api.rs"], &dir);
    assert_eq!(stderr(&out), "api.rs: up to date\n");
}

/// The library entry point for build scripts gives what the command prints.
#[test]
fn builder_diff_from_matches_the_command() {
    let old = root().join("contracts/real/blazor-gallery-6.61.app.json");
    let new = root().join("contracts/real/blazor-gallery-8.91.app.json");
    let diff = ssdto_gen::Builder::new()
        .contract(&new)
        .diff_from(ssdto_gen::Source::Path(old.clone()))
        .expect("diff");
    let out = ssdto(
        &[
            "diff",
            &old.display().to_string(),
            &new.display().to_string(),
            "--format",
            "json",
        ],
        &root(),
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(
        serde_json::to_value(&diff.changes).expect("changes"),
        report["changes"]
    );
    assert!(diff.breaks(ssdto_gen::diff::FailOn::default()));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A contract compared with itself has no changes; any two compare without panicking,
    /// and every break says why.
    #[test]
    fn random_contracts_compare_sanely(
        a in support::contracts::valid_contract(),
        b in support::contracts::valid_contract(),
    ) {
        let (a, b) = (a.to_string(), b.to_string());
        let options = ssdto_gen::Options::default();
        if let Ok(same) = ssdto_gen::diff::diff_contracts(&a, &a, &options) {
            prop_assert!(same.changes.is_empty(), "{:#?}", same.changes);
        }
        if let Ok(diff) = ssdto_gen::diff::diff_contracts(&a, &b, &options) {
            for c in &diff.changes {
                for reason in [&c.impact.old_clients, &c.impact.new_clients, &c.impact.source].into_iter().flatten() {
                    prop_assert!(!reason.is_empty());
                }
            }
            let _ = diff.render(ssdto_gen::diff::Format::Markdown);
        }
    }
}
