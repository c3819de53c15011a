//! Compile-time behaviour of `#[derive(Request)]` and `include_contract!`: `tests/ui/pass`
//! cases compile and run, `tests/ui/fail` cases fail with the committed `.stderr`.
//!
//! Regenerate the `.stderr` files after a deliberate message change with
//! `TRYBUILD=overwrite cargo test -p ssdto-tests --test macros`.

use std::path::{Path, PathBuf};

/// trybuild compiles the cases as a crate of its own in `<target>/tests/trybuild/ssdto-tests`,
/// which is that crate's `CARGO_MANIFEST_DIR`. `include_contract!` resolves paths against it,
/// so the contracts the cases name are laid out there as a user's crate would have them.
fn lay_out_contracts() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(|target| target.join("tests/trybuild/ssdto-tests"))
        .unwrap_or_else(|| panic!("CARGO_TARGET_TMPDIR has no parent"));
    let copies: [(PathBuf, PathBuf); 3] = [
        (
            here.join("../contracts/evovoice/sessions.json"),
            project.join("contracts/evovoice/sessions.json"),
        ),
        (
            here.join("ui/contracts/malformed.json"),
            project.join("contracts/ui/malformed.json"),
        ),
        (
            here.join("ui/contracts/unknown_type.json"),
            project.join("contracts/ui/unknown_type.json"),
        ),
    ];
    for (from, to) in copies {
        let dir = to.parent().unwrap_or_else(|| panic!("{}", to.display()));
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        std::fs::copy(&from, &to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    }
}

#[test]
fn ui() {
    lay_out_contracts();
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
