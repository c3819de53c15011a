//! The `ssdto` command line: each bad-input class gets one clear message, a non-zero exit and
//! no output file; generate, update and check work on real files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn ssdto(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ssdto"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("run ssdto")
}

fn with_stdin(args: &[&str], cwd: &Path, input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ssdto"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ssdto");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

/// A fresh directory under the target dir, removed and recreated per test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs a failing generation with `-o` and checks the error, the exit code, and that
/// neither the output nor a temporary file was left behind.
fn assert_fails_cleanly(dir: &Path, contract: &str, expected: &str) {
    std::fs::write(dir.join("contract.json"), contract).expect("write contract");
    let out = ssdto(&["generate", "contract.json", "-o", "out.rs"], dir);
    assert!(!out.status.success(), "succeeded on bad input");
    let err = stderr(&out);
    assert!(err.contains(expected), "stderr {err:?} lacks {expected:?}");
    assert_eq!(err.lines().count(), 1, "one clear message, got {err:?}");
    assert!(!err.contains("panicked"), "{err}");
    let left: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left, ["contract.json"], "files left behind: {left:?}");
}

#[test]
fn default_generation_uses_the_embedded_evo_voice_contract() {
    let dir = scratch("embedded");
    let out = ssdto(&["generate"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let code = String::from_utf8(out.stdout).expect("utf-8");
    assert!(code.starts_with("/* Options:\nGenerator: ssdto "));
    assert!(code.contains("Source: embedded:evovoice/sessions\n"));
    assert!(code.contains("pub struct SessionInfo"));
    assert!(code.contains("impl ::ssdto::Request for GetSession"));
}

/// Each row of the options table is a flag whose value reaches the header.
#[test]
fn every_option_flag_reaches_the_header() {
    use ssdto_gen::{Kind, OPTIONS};
    let dir = scratch("every_flag");
    let mut args = vec!["generate".to_owned()];
    for spec in OPTIONS {
        let flag = format!("--{}", spec.flag);
        match spec.kind {
            Kind::Bool => args.push(flag),
            Kind::List => args.extend([flag, "Eq".into()]),
            Kind::Choice(values) => args.extend([flag, values[values.len() - 1].into()]),
            _ => args.extend([flag, "api".into()]),
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = ssdto(&args, &dir);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let code = String::from_utf8(out.stdout).expect("utf-8");
    for spec in OPTIONS {
        assert!(
            code.contains(&format!("\n{}: ", spec.header)),
            "{} is not set in:\n{code}",
            spec.header
        );
    }
}

#[test]
fn malformed_json_names_line_and_column() {
    let dir = scratch("malformed");
    assert_fails_cleanly(
        &dir,
        "{\n  \"types\": [\n    {\"name\": \"A\",}\n  ]\n}",
        "error: invalid contract JSON at line 3 column",
    );
}

const UNDEFINED: &str = r#"{"types":[{"name":"A"}],"operations":[{"request":{"name":"Get","properties":[{"name":"Id","type":"String"},{"name":"X","type":"Nowhere"},{"name":"Y","type":"List<Nowhere>"}]}}]}"#;

#[test]
fn undefined_types_warn_with_their_path_and_generate() {
    let dir = scratch("undefined-type");
    std::fs::write(dir.join("contract.json"), UNDEFINED).expect("write contract");
    let out = ssdto(&["generate", "contract.json", "-o", "out.rs"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "one warning per use: {err}");
    assert!(
        lines[0].starts_with(
            "warning: operations[0].request.properties[1]: type `Nowhere` is neither defined"
        ),
        "{err}"
    );
    assert!(
        lines[1].starts_with("warning: operations[0].request.properties[2]: "),
        "{err}"
    );
    let code = std::fs::read_to_string(dir.join("out.rs")).expect("output");
    assert!(
        code.contains("\nUndefinedTypes: Nowhere (not defined by the contract"),
        "{code}"
    );
    assert!(
        code.contains("pub type Nowhere = ::serde_json::Value;"),
        "{code}"
    );
    assert!(code.contains("pub y: Option<Vec<Nowhere>>,"), "{code}");
    // `update` reports them too, against the file.
    let out = ssdto(&["update", "out.rs"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("warning: out.rs: operations[0].request.properties[1]: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn strict_makes_undefined_types_an_error_naming_the_path() {
    let dir = scratch("undefined-type-strict");
    std::fs::write(dir.join("contract.json"), UNDEFINED).expect("write contract");
    let out = ssdto(
        &["generate", "contract.json", "--strict", "-o", "out.rs"],
        &dir,
    );
    assert!(!out.status.success());
    assert_eq!(
        stderr(&out).lines().collect::<Vec<_>>(),
        ["error: operations[0].request.properties[1]: type `Nowhere` is neither defined by the contract nor a .NET type ssdto knows; it is `pub type Nowhere = serde_json::Value;` (an error with Strict) (and 1 more warning)"]
    );
    assert!(!dir.join("out.rs").exists());
    // The header records the option, so `update` stays strict.
    let out = ssdto(&["generate", "contract.json", "-o", "out.rs"], &dir);
    assert!(out.status.success());
    let text = std::fs::read_to_string(dir.join("out.rs")).expect("output");
    std::fs::write(
        dir.join("out.rs"),
        text.replace("//Strict: false", "Strict: true"),
    )
    .expect("edit header");
    let out = ssdto(&["update", "out.rs"], &dir);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("(an error with Strict)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_top_level_array_is_not_a_contract() {
    let dir = scratch("top-level-array");
    assert_fails_cleanly(
        &dir,
        "[]",
        "error: invalid contract JSON at line 1 column 1: a contract is a JSON object (MetadataTypes or app.json), not an array",
    );
}

#[test]
fn inheritance_cycle_is_reported() {
    let dir = scratch("cycle");
    assert_fails_cleanly(
        &dir,
        r#"{"types":[{"name":"A","inherits":{"name":"B"}},{"name":"B","inherits":{"name":"C"}},{"name":"C","inherits":{"name":"A"}}]}"#,
        "error: types[0]: inheritance cycle A -> B -> C -> A",
    );
}

#[test]
fn unreadable_file_is_reported() {
    let dir = scratch("unreadable");
    let out = ssdto(&["generate", "missing.json", "-o", "out.rs"], &dir);
    assert!(!out.status.success());
    assert!(
        stderr(&out).starts_with("error: missing.json: "),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("out.rs").exists());
}

#[test]
fn unreachable_url_is_reported() {
    let dir = scratch("unreachable");
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    let out = ssdto(&["generate", "http://127.0.0.1:1", "-o", "out.rs"], &dir);
    assert!(!out.status.success());
    assert!(
        stderr(&out).starts_with("error: cannot fetch http://127.0.0.1:1/types/metadata: "),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("out.rs").exists());
}

#[test]
fn failed_regeneration_keeps_the_old_file() {
    let dir = scratch("keep-old");
    std::fs::write(dir.join("c.json"), r#"{"types":[{"name":"A"}]}"#).expect("write");
    let ok = ssdto(&["generate", "c.json", "-o", "out.rs"], &dir);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let before = std::fs::read_to_string(dir.join("out.rs")).expect("read");
    std::fs::write(dir.join("c.json"), "{ broken").expect("write");
    let bad = ssdto(&["generate", "c.json", "-o", "out.rs"], &dir);
    assert!(!bad.status.success());
    assert_eq!(
        std::fs::read_to_string(dir.join("out.rs")).expect("read"),
        before
    );
}

#[test]
fn stdin_source_and_options_reach_the_output() {
    let dir = scratch("stdin");
    let out = with_stdin(
        &[
            "generate",
            "-",
            "--global-namespace",
            "my.api",
            "--include",
            "A",
            "--derive",
            "Eq",
        ],
        &dir,
        r#"{"types":[{"name":"A","properties":[{"name":"N","type":"String"}]},{"name":"B"}]}"#,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let code = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        code.contains("Source: -\nGlobalNamespace: my.api\nIncludeTypes: A\n"),
        "{code}"
    );
    assert!(code.contains("pub mod my_api {"));
    assert!(code.contains("pub struct A"));
    assert!(!code.contains("pub struct B"));
    assert!(
        code.contains("    #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, Eq)]\n"),
        "{code}"
    );
}

#[test]
fn update_and_check_follow_the_header() {
    let dir = scratch("update");
    std::fs::create_dir_all(dir.join("contracts")).expect("mkdir");
    std::fs::create_dir_all(dir.join("src/gen")).expect("mkdir");
    let contract = dir.join("contracts/api.json");
    std::fs::write(&contract, r#"{"types":[{"name":"A"}]}"#).expect("write");
    let out = ssdto(
        &[
            "generate",
            "contracts/api.json",
            "-o",
            "src/gen/api.rs",
            "--exclude",
            "B",
        ],
        &dir,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let generated = dir.join("src/gen/api.rs");
    let text = std::fs::read_to_string(&generated).expect("read");
    // The source is recorded relative to the generated file, so update works from anywhere.
    assert!(
        text.contains("Source: ../../contracts/api.json\n"),
        "{text}"
    );
    assert!(text.contains("ExcludeTypes: B\n"));

    let check = ssdto(&["check", "api.rs"], &dir.join("src/gen"));
    assert!(check.status.success(), "{}", stderr(&check));

    std::fs::write(&contract, r#"{"types":[{"name":"A"},{"name":"C"}]}"#).expect("write");
    let check = ssdto(&["check", "src/gen/api.rs"], &dir);
    assert!(!check.status.success(), "check passed on a stale file");
    assert!(stderr(&check).contains("stale"));

    let update = ssdto(&["update", "src/gen/api.rs"], &dir);
    assert!(update.status.success(), "{}", stderr(&update));
    let text = std::fs::read_to_string(&generated).expect("read");
    assert!(text.contains("pub struct C"));
    assert!(
        text.contains("ExcludeTypes: B\n"),
        "options survive an update"
    );
    let check = ssdto(&["check", "src/gen/api.rs"], &dir);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn update_refuses_files_without_a_header() {
    let dir = scratch("no-header");
    std::fs::write(dir.join("x.rs"), "fn main() {}\n").expect("write");
    let out = ssdto(&["update", "x.rs"], &dir);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("x.rs: no `/* Options:` header"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("x.rs")).expect("read"),
        "fn main() {}\n"
    );
}

#[test]
fn output_is_deterministic() {
    let dir = scratch("deterministic");
    let a = ssdto(&["generate"], &dir);
    let b = ssdto(&["generate"], &dir);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
}

/// A source that never ends (or is just too big) stops at `MAX_CONTRACT_BYTES` with one
/// message, instead of buffering until memory runs out.
#[cfg(unix)]
#[test]
fn endless_source_is_refused_at_the_size_limit() {
    let dir = scratch("endless");
    let out = ssdto(&["generate", "/dev/zero", "-o", "out.rs"], &dir);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("/dev/zero: the contract is larger than 268435456 bytes"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("out.rs").exists(), "no output file on failure");
}

#[test]
fn xml_is_opt_in_and_recorded_in_the_header() {
    let dir = scratch("xml_opt_in");
    let plain = ssdto(&["generate", "--include", "GetSession.*"], &dir);
    let plain = String::from_utf8_lossy(&plain.stdout).into_owned();
    assert!(plain.contains("//Xml: false\n"), "{plain}");
    assert!(
        !plain.contains("ssdto::xml"),
        "JSON-only output mentions XML"
    );

    let xml = ssdto(&["generate", "--include", "GetSession.*", "--xml"], &dir);
    assert!(xml.status.success(), "{}", stderr(&xml));
    let xml = String::from_utf8_lossy(&xml.stdout).into_owned();
    assert!(xml.contains("\nXml: true\n"), "{xml}");
    assert!(
        xml.contains("impl ::ssdto::xml::XmlValue for SessionInfo {"),
        "{xml}"
    );
    // The XML impls are additions: the types themselves are the same.
    let types = |text: &str| -> Vec<String> {
        text.split("\n\n")
            .filter(|item| !item.contains("ssdto::xml") && !item.contains("/* Options:"))
            .map(|item| item.trim_end().to_owned())
            .collect()
    };
    assert_eq!(types(&plain), types(&xml));
}
