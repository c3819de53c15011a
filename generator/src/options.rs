//! Generation options, named as ServiceStack names them in its `/* Options: */` headers.

use std::fmt;

/// Which map type .NET dictionaries become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MapType {
    /// `std::collections::HashMap` (fast, unordered).
    #[default]
    HashMap,
    /// `std::collections::BTreeMap` (sorted keys, deterministic serialization).
    BTreeMap,
}

impl MapType {
    /// The option value as written in headers.
    pub fn as_str(self) -> &'static str {
        match self {
            MapType::HashMap => "HashMap",
            MapType::BTreeMap => "BTreeMap",
        }
    }
}

impl std::str::FromStr for MapType {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "HashMap" => Ok(MapType::HashMap),
            "BTreeMap" => Ok(MapType::BTreeMap),
            other => Err(crate::Error::Option(format!(
                "MapType must be HashMap or BTreeMap, not `{other}`"
            ))),
        }
    }
}

impl fmt::Display for MapType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What .NET `DateTime`, `DateTimeOffset` and `TimeSpan` become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateType {
    /// `String`: every wire form kept verbatim, parse later with `ssdto::wire`.
    #[default]
    String,
    /// `ssdto::wire::DateTime` / `ssdto::wire::TimeSpan`: parsed, std only.
    Ssdto,
    /// `chrono::DateTime<chrono::FixedOffset>` / `chrono::TimeDelta` on fields (through
    /// `ssdto::wire::chrono_*` with-modules; needs ssdto's `chrono` feature). Inside
    /// collections and generic arguments, where a with-module cannot reach, the `Ssdto` types.
    Chrono,
}

/// What .NET `Guid` becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GuidType {
    /// `String`, as received.
    #[default]
    String,
    /// `ssdto::wire::Guid`: parsed, std only.
    Ssdto,
    /// `uuid::Uuid` on fields (through `ssdto::wire::uuid_guid`; needs ssdto's `uuid` feature);
    /// `ssdto::wire::Guid` inside collections and generic arguments.
    Uuid,
}

macro_rules! option_enum_text {
    ($ty:ident, $option:literal, $($variant:ident => $text:literal),+) => {
        impl $ty {
            /// The option value as written in headers and on the command line.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = crate::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let s = s.trim();
                $(if s.eq_ignore_ascii_case($text) {
                    return Ok($ty::$variant);
                })+
                let expected = [$($text),+].join(", ");
                Err(crate::Error::Option(format!(
                    "{} must be one of {expected}, not `{s}`",
                    $option
                )))
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

option_enum_text!(DateType, "DateType", String => "String", Ssdto => "ssdto", Chrono => "chrono");
option_enum_text!(GuidType, "GuidType", String => "String", Ssdto => "ssdto", Uuid => "uuid");

/// What to generate and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `IncludeTypes`: only these types (see [`TypePattern`] for the pattern forms).
    pub include_types: Vec<String>,
    /// `ExcludeTypes`: never these types.
    pub exclude_types: Vec<String>,
    /// `AddDescriptionAsComments`: contract descriptions become rustdoc.
    pub add_description_as_comments: bool,
    /// `GlobalNamespace`: wrap everything in `pub mod NAME { .. }`.
    pub global_namespace: Option<String>,
    /// `MapType`: what dictionaries become.
    pub map_type: MapType,
    /// `AddDerives`: extra derives on every generated type (`Eq`, `Hash`, `PartialOrd`, ...).
    pub add_derives: Vec<String>,
    /// `Server`: also emit a `Service` trait with one method per operation and a `router`
    /// function serving an implementation with axum (needs ssdto's `server` feature).
    pub server: bool,
    /// `DateType`: what `DateTime`, `DateTimeOffset` and `TimeSpan` become.
    pub date_type: DateType,
    /// `GuidType`: what `Guid` becomes.
    pub guid_type: GuidType,
    /// `Xml`: also implement `ssdto::xml::XmlValue` for every type, so it reads and writes
    /// ServiceStack's XML (DataContractSerializer; needs ssdto's `xml` feature).
    pub xml: bool,
    /// `Strict`: warnings (a type the contract names without defining, two types of one
    /// name, ...) are errors instead.
    pub strict: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            include_types: Vec::new(),
            exclude_types: Vec::new(),
            add_description_as_comments: true,
            global_namespace: None,
            map_type: MapType::HashMap,
            add_derives: Vec::new(),
            server: false,
            date_type: DateType::String,
            guid_type: GuidType::String,
            xml: false,
            strict: false,
        }
    }
}

impl Options {
    /// Checks values a user typed, so mistakes fail before any work.
    pub fn validate(&self) -> Result<(), crate::Error> {
        for derive in &self.add_derives {
            if syn::parse_str::<syn::Path>(derive).is_err() {
                return Err(crate::Error::Option(format!(
                    "AddDerives: `{derive}` is not a path"
                )));
            }
        }
        for pattern in self.include_types.iter().chain(&self.exclude_types) {
            if pattern.trim().is_empty() || pattern.contains(',') {
                return Err(crate::Error::Option(format!(
                    "type pattern `{pattern}` is empty or holds a comma"
                )));
            }
        }
        Ok(())
    }
}

/// One `IncludeTypes` / `ExcludeTypes` pattern, in ServiceStack's forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypePattern {
    /// `Name`: that type (generic arity ignored: `QueryResponse` matches ``QueryResponse`1``).
    Name(String),
    /// `Name.*`: that type and every type it depends on (for a request, its response too).
    WithDependencies(String),
    /// `Ns/*`: every type in the .NET namespace `Ns`.
    Namespace(String),
    /// `{tag}`: every operation tagged `tag`, with its dependencies.
    Tag(String),
}

impl TypePattern {
    /// Reads one pattern.
    pub fn parse(text: &str) -> TypePattern {
        let text = text.trim();
        if let Some(tag) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            TypePattern::Tag(tag.trim().to_owned())
        } else if let Some(ns) = text.strip_suffix("/*") {
            TypePattern::Namespace(ns.to_owned())
        } else if let Some(name) = text.strip_suffix(".*") {
            TypePattern::WithDependencies(name.to_owned())
        } else {
            TypePattern::Name(text.to_owned())
        }
    }
}

/// Strips the backtick arity from a .NET type name.
pub fn base_name(name: &str) -> &str {
    name.split('`').next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_in_servicestack_forms() {
        assert_eq!(
            TypePattern::parse("GetSession"),
            TypePattern::Name("GetSession".into())
        );
        assert_eq!(
            TypePattern::parse("GetSession.*"),
            TypePattern::WithDependencies("GetSession".into())
        );
        assert_eq!(
            TypePattern::parse("Voice.Api/*"),
            TypePattern::Namespace("Voice.Api".into())
        );
        assert_eq!(
            TypePattern::parse("{sessions}"),
            TypePattern::Tag("sessions".into())
        );
    }

    #[test]
    fn options_are_validated() {
        let mut o = Options::default();
        assert!(o.validate().is_ok());
        o.add_derives = vec!["Eq".into(), "not a path!".into()];
        assert!(o.validate().is_err());
        let o = Options {
            include_types: vec!["A,B".into()],
            ..Options::default()
        };
        assert!(o.validate().is_err());
        assert!("Nope".parse::<MapType>().is_err());
        assert_eq!("BTreeMap".parse::<MapType>().unwrap(), MapType::BTreeMap);
    }
}
