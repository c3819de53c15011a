//! `ssdto diff`: what a contract change breaks, before you regenerate.
//!
//! Two versions of a contract are resolved as the generator resolves them, read into plain
//! comparison data by one adapter (`surface`), and compared by `rules`. Every change is
//! classified for three parties:
//! - **OLD clients**: a client built on OLD calling a server on NEW (deploying NEW);
//! - **NEW clients**: a client built on NEW calling a server still on OLD (rollbacks, clients
//!   that regenerate first);
//! - **source**: Rust code written against OLD's generated types.
//!
//! Clients are ssdto's generated code; servers are ServiceStack. The README's "What a
//! contract change breaks" section explains each rule.
//!
//! ```no_run
//! use ssdto_gen::diff::FailOn;
//! use ssdto_gen::{Builder, Source};
//!
//! // build.rs: warn when the working contract breaks clients of the released one.
//! let diff = Builder::new()
//!     .contract("contracts/api.json")
//!     .diff_from(Source::Path("contracts/api.released.json".into()))?;
//! if diff.breaks(FailOn::default()) {
//!     for change in diff.changes.iter().filter(|c| c.impact.old_clients.is_some()) {
//!         println!("cargo:warning={}", change.headline());
//!     }
//! }
//! # Ok::<(), ssdto_gen::Error>(())
//! ```

mod code;
mod input;
mod report;
mod rules;
mod surface;
#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::error::Error;
use crate::options::Options;

pub use input::{diff, Side};

/// What changed between two versions of a contract, and what each change breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Diff {
    /// What OLD was read from.
    pub old: String,
    /// What NEW was read from.
    pub new: String,
    /// The changes, grouped by operation (with its request type), then by type.
    pub changes: Vec<Change>,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Change {
    /// Which rule found it.
    pub rule: Rule,
    /// The operation or type it belongs to.
    pub subject: Subject,
    /// The field, enum member or route it concerns, if not the whole subject.
    pub member: Option<String>,
    /// Where in the contract: NEW's path, or OLD's for what NEW no longer has. `None` for
    /// changes read from generated code.
    pub path: Option<ContractPath>,
    /// What changed, e.g. "`i32` -> `String`".
    pub detail: String,
    /// Who it breaks, and why.
    pub impact: Impact,
    /// Context for a change that breaks nobody (what OLD servers do with something new).
    pub note: Option<String>,
}

/// A contract path, e.g. `operations[3].request.properties[2]`, in one of the versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ContractPath {
    /// Which contract the path is in.
    pub version: Version,
    /// The path.
    pub path: String,
}

impl fmt::Display for ContractPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.version {
            Version::Old => write!(f, "OLD {}", self.path),
            Version::New => write!(f, "NEW {}", self.path),
        }
    }
}

/// One of the two versions compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Version {
    /// The old version.
    Old,
    /// The new version.
    New,
}

/// Who a change breaks: each is `Some(reason)` when it breaks that party.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Impact {
    /// A client built on OLD, calling a server on NEW.
    pub old_clients: Option<String>,
    /// A client built on NEW, calling a server still on OLD.
    pub new_clients: Option<String>,
    /// Rust code written against OLD's generated types no longer compiles.
    pub source: Option<String>,
}

impl Impact {
    /// Whether it breaks nobody.
    pub fn is_safe(&self) -> bool {
        self.old_clients.is_none() && self.new_clients.is_none() && self.source.is_none()
    }
}

/// What a change belongs to: reports group changes by it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "name")]
pub enum Subject {
    /// An operation, by name; its request type's changes are grouped with it.
    Operation(String),
    /// A type, by Rust name.
    Type(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Operation(name) => write!(f, "operation {name}"),
            Subject::Type(name) => write!(f, "type {name}"),
        }
    }
}

macro_rules! rules {
    ($($(#[$doc:meta])* $variant:ident => $id:literal,)+) => {
        /// The rule that found a change; the README explains each.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Rule {
            $($(#[$doc])* $variant,)+
        }

        impl Rule {
            /// Every rule.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),+];

            /// The rule's id, as reports print it (`field-removed`).
            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)+
                }
            }
        }
    };
}

rules! {
    /// An operation is gone.
    OperationRemoved => "operation-removed",
    /// A new operation.
    OperationAdded => "operation-added",
    /// The verb clients use changed.
    MethodChanged => "method-changed",
    /// A declared route is gone.
    RouteRemoved => "route-removed",
    /// A new declared route.
    RouteAdded => "route-added",
    /// A declared route serves other verbs.
    RouteVerbsChanged => "route-verbs-changed",
    /// The response type changed.
    ResponseChanged => "response-changed",
    /// The service demands authentication, a role or a permission it did not.
    AuthAdded => "auth-added",
    /// The service no longer demands authentication, a role or a permission.
    AuthRemoved => "auth-removed",
    /// A type is gone.
    TypeRemoved => "type-removed",
    /// A new type.
    TypeAdded => "type-added",
    /// A type has a new name and the same shape.
    TypeRenamed => "type-renamed",
    /// A struct became an enum or the reverse.
    KindChanged => "kind-changed",
    /// A struct's type parameters changed.
    GenericsChanged => "generics-changed",
    /// A field is gone.
    FieldRemoved => "field-removed",
    /// A new field.
    FieldAdded => "field-added",
    /// A field has another name on the wire.
    FieldRenamedOnWire => "field-renamed-on-wire",
    /// A field's wire name differs only in letter case.
    FieldWireCase => "field-wire-case",
    /// A field has another Rust name and the same wire name.
    FieldRenamedInRust => "field-renamed-in-rust",
    /// A field became an `Option`, or stopped being one.
    FieldOptionality => "field-optionality",
    /// A field became required (`isRequired`) or stopped being required, with the same Rust type.
    FieldRequired => "field-required",
    /// A field's type changed.
    FieldTypeChanged => "field-type-changed",
    /// An enum member is gone.
    EnumValueRemoved => "enum-value-removed",
    /// A new enum member.
    EnumValueAdded => "enum-value-added",
    /// An enum member has another Rust name and the same wire value.
    EnumValueRenamedInRust => "enum-value-renamed-in-rust",
    /// An integer enum member has another number.
    EnumValueNumberChanged => "enum-value-number-changed",
    /// An enum travels as numbers instead of strings, or the reverse.
    EnumRepresentationChanged => "enum-representation-changed",
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl Change {
    /// One line: subject, member and what changed, e.g.
    /// "operation GetSession: `session_id`: `Option<String>` -> `String`".
    pub fn headline(&self) -> String {
        match &self.member {
            Some(member) => format!("{}: {member}: {}", self.subject, self.detail),
            None => format!("{}: {}", self.subject, self.detail),
        }
    }
}

/// Which breaks fail a check (`ssdto diff --fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailOn {
    /// Breaks of clients built on OLD against a server on NEW (`wire`).
    pub old_clients: bool,
    /// Breaks of clients built on NEW against a server on OLD (`reverse`).
    pub new_clients: bool,
    /// Breaks of Rust code written against OLD (`source`).
    pub source: bool,
}

impl Default for FailOn {
    /// `wire`: what no compiler catches, and what deploying NEW does to existing clients.
    fn default() -> Self {
        FailOn {
            old_clients: true,
            new_clients: false,
            source: false,
        }
    }
}

impl FromStr for FailOn {
    type Err = Error;

    /// `wire`, `reverse`, `source`, `any`, or a comma-separated list of them.
    fn from_str(s: &str) -> Result<Self, Error> {
        let mut out = FailOn {
            old_clients: false,
            new_clients: false,
            source: false,
        };
        for part in s.split(',').map(str::trim) {
            match part {
                "wire" => out.old_clients = true,
                "reverse" => out.new_clients = true,
                "source" => out.source = true,
                "any" => {
                    out = FailOn {
                        old_clients: true,
                        new_clients: true,
                        source: true,
                    }
                }
                other => {
                    return Err(Error::Option(format!(
                        "--fail-on takes wire, reverse, source or any (or a comma-separated list), not `{other}`"
                    )))
                }
            }
        }
        Ok(out)
    }
}

/// How [`Diff::render`] writes a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// For terminals.
    #[default]
    Text,
    /// For tools: the [`Diff`] as JSON.
    Json,
    /// For pull-request comments.
    Markdown,
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "markdown" => Ok(Format::Markdown),
            other => Err(Error::Option(format!(
                "--format takes text, json or markdown, not `{other}`"
            ))),
        }
    }
}

/// How many changes break each party.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Counts {
    /// Changes that break clients built on OLD.
    pub old_clients: usize,
    /// Changes that break clients built on NEW against OLD servers.
    pub new_clients: usize,
    /// Changes that break Rust code written against OLD.
    pub source: usize,
    /// Changes that break nobody.
    pub safe: usize,
}

impl Diff {
    /// Whether any change breaks a party `fail_on` names.
    pub fn breaks(&self, fail_on: FailOn) -> bool {
        self.changes.iter().any(|c| {
            (fail_on.old_clients && c.impact.old_clients.is_some())
                || (fail_on.new_clients && c.impact.new_clients.is_some())
                || (fail_on.source && c.impact.source.is_some())
        })
    }

    /// How many changes break each party.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for c in &self.changes {
            counts.old_clients += usize::from(c.impact.old_clients.is_some());
            counts.new_clients += usize::from(c.impact.new_clients.is_some());
            counts.source += usize::from(c.impact.source.is_some());
            counts.safe += usize::from(c.impact.is_safe());
        }
        counts
    }

    /// One line, e.g. "5 changes: 2 break OLD clients, 1 breaks NEW clients on OLD servers,
    /// 3 break Rust source, 2 safe".
    pub fn summary(&self) -> String {
        report::summary(self)
    }

    /// The report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => report::text(self),
            Format::Json => report::json(self),
            Format::Markdown => report::markdown(self),
        }
    }
}

/// Compares two contracts (MetadataTypes or `/metadata/app.json` JSON), each resolved with
/// `options` as the generator resolves it.
pub fn diff_contracts(old_json: &str, new_json: &str, options: &Options) -> Result<Diff, Error> {
    let old = resolved_surface(old_json, options).map_err(|e| side_error("OLD", e))?;
    let new = resolved_surface(new_json, options).map_err(|e| side_error("NEW", e))?;
    Ok(Diff {
        old: "OLD".into(),
        new: "NEW".into(),
        changes: rules::compare(&old, &new),
    })
}

/// Compares two files that ssdto generated (the text of each), as `ssdto update` does when it
/// rewrites a file: the old code is the only record of the contract it came from. See the
/// `code` module for what generated code does not record.
pub fn diff_generated(old_code: &str, new_code: &str) -> Result<Diff, Error> {
    let old = code::read(old_code, "OLD")?;
    let new = code::read(new_code, "NEW")?;
    Ok(Diff {
        old: "OLD".into(),
        new: "NEW".into(),
        changes: rules::compare(&old, &new),
    })
}

fn resolved_surface(json: &str, options: &Options) -> Result<surface::Surface, Error> {
    options.validate()?;
    let contract = crate::parse::parse_contract(json)?;
    let space = crate::resolve::resolve(&contract, options)?;
    surface::from_resolved(&space, &contract, options.server)
}

/// Says which side an error is about, keeping its own message.
fn side_error(side: &str, err: Error) -> Error {
    match err {
        Error::Json {
            line,
            column,
            message,
        } => Error::Json {
            line,
            column,
            message: format!("{message} (in {side})"),
        },
        other => other,
    }
}
