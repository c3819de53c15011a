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

/// The spellings of a choice option's values, case-insensitive on input.
macro_rules! choice {
    ($ty:ident, $($variant:ident => $text:literal),+) => {
        impl $ty {
            /// Every value, as written in headers, on the command line and in macro keys.
            pub const VALUES: &'static [&'static str] = &[$($text),+];

            /// The value as written in headers, on the command line and in macro keys.
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
                Err(crate::Error::Option(format!(
                    "{} must be one of {}, not `{s}`",
                    stringify!($ty),
                    Self::VALUES.join(", ")
                )))
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl OptionType for $ty {
            const KIND: Kind = Kind::Choice(Self::VALUES);
            type Arg = $ty;
            type Ref<'a> = $ty;

            fn get(&self) -> $ty {
                *self
            }
            fn apply(&mut self, arg: $ty) {
                *self = arg;
            }
            fn to_value(&self) -> Value {
                Value::Text(self.as_str().to_owned())
            }
            fn from_value(value: Value, header: &str) -> Result<Self, crate::Error> {
                value.into_text(header)?.parse()
            }
        }
    };
}

choice!(MapType, HashMap => "HashMap", BTreeMap => "BTreeMap");
choice!(DateType, String => "String", Ssdto => "ssdto", Chrono => "chrono");
choice!(GuidType, String => "String", Ssdto => "ssdto", Uuid => "uuid");

/// The shape of an option's value: all the header, the command line and `include_contract!`
/// need to know to read and write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// `true` or `false`. On the command line a flag that flips the default.
    Bool,
    /// A list (comma-separated in headers and on the command line).
    List,
    /// One of these spellings.
    Choice(&'static [&'static str]),
    /// A name; empty means none.
    Name,
}

/// An option's value, as read from a header, the command line or macro tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Value {
    /// For [`Kind::Bool`].
    Bool(bool),
    /// For [`Kind::List`].
    List(Vec<String>),
    /// For [`Kind::Choice`] and [`Kind::Name`].
    Text(String),
}

impl Value {
    fn into_text(self, header: &str) -> Result<String, crate::Error> {
        match self {
            Value::Text(text) => Ok(text),
            other => Err(crate::Error::Option(format!(
                "{header}: expected a name, not {other:?}"
            ))),
        }
    }
}

/// How one field type of [`Options`] is set, read and written as a [`Value`].
trait OptionType: Sized {
    const KIND: Kind;
    /// What the setter takes: one list item for lists, the value otherwise.
    type Arg;
    /// What the getter returns.
    type Ref<'a>
    where
        Self: 'a;

    fn get(&self) -> Self::Ref<'_>;
    fn apply(&mut self, arg: Self::Arg);
    fn to_value(&self) -> Value;
    fn from_value(value: Value, header: &str) -> Result<Self, crate::Error>;
}

impl OptionType for bool {
    const KIND: Kind = Kind::Bool;
    type Arg = bool;
    type Ref<'a> = bool;

    fn get(&self) -> bool {
        *self
    }
    fn apply(&mut self, arg: bool) {
        *self = arg;
    }
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
    fn from_value(value: Value, header: &str) -> Result<Self, crate::Error> {
        match value {
            Value::Bool(b) => Ok(b),
            Value::Text(text) => text.trim().parse().map_err(|_| {
                crate::Error::Option(format!("{header}: `{text}` is not true or false"))
            }),
            other => Err(crate::Error::Option(format!(
                "{header}: expected true or false, not {other:?}"
            ))),
        }
    }
}

impl OptionType for Vec<String> {
    const KIND: Kind = Kind::List;
    type Arg = String;
    type Ref<'a> = &'a [String];

    fn get(&self) -> &[String] {
        self
    }
    fn apply(&mut self, arg: String) {
        self.push(arg);
    }
    fn to_value(&self) -> Value {
        Value::List(self.clone())
    }
    fn from_value(value: Value, header: &str) -> Result<Self, crate::Error> {
        match value {
            Value::List(items) => Ok(items),
            Value::Text(text) => Ok(text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()),
            Value::Bool(b) => Err(crate::Error::Option(format!(
                "{header}: expected a list, not {b}"
            ))),
        }
    }
}

impl OptionType for Option<String> {
    const KIND: Kind = Kind::Name;
    type Arg = String;
    type Ref<'a> = Option<&'a str>;

    fn get(&self) -> Option<&str> {
        self.as_deref()
    }
    fn apply(&mut self, arg: String) {
        *self = Some(arg);
    }
    fn to_value(&self) -> Value {
        Value::Text(self.clone().unwrap_or_default())
    }
    fn from_value(value: Value, header: &str) -> Result<Self, crate::Error> {
        let text = value.into_text(header)?;
        Ok(Some(text).filter(|t| !t.is_empty()))
    }
}

/// One generation option: its names in each place it is written, and how to read and write
/// it. [`OPTIONS`] lists them all.
#[non_exhaustive]
pub struct OptionSpec {
    /// The name in the `/* Options: */` header, as ServiceStack writes it (`IncludeTypes`).
    pub header: &'static str,
    /// The `ssdto` command-line flag, without `--` (`include`). A [`Kind::Bool`] flag flips
    /// the default (`no-descriptions`).
    pub flag: &'static str,
    /// The `include_contract!` key, also the [`Builder`](crate::Builder) method (`include`).
    pub key: &'static str,
    /// The shape of the value.
    pub kind: Kind,
    /// One line for `--help`.
    pub help: &'static str,
    get: fn(&Options) -> Value,
    set: fn(&mut Options, Value) -> Result<(), crate::Error>,
}

impl fmt::Debug for OptionSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OptionSpec")
            .field("header", &self.header)
            .field("flag", &self.flag)
            .field("key", &self.key)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl OptionSpec {
    /// The option's value in `options`.
    pub fn value(&self, options: &Options) -> Value {
        (self.get)(options)
    }

    /// Sets the option in `options`. Text is read as a header writes it (`true`, `A,B`).
    pub fn set(&self, options: &mut Options, value: Value) -> Result<(), crate::Error> {
        (self.set)(options, value)
    }

    /// Whether `options` holds this option's default.
    pub fn is_default(&self, options: &Options) -> bool {
        self.value(options) == self.value(&Options::default())
    }

    /// The value as a header writes it.
    pub fn text(&self, options: &Options) -> String {
        match self.value(options) {
            Value::Bool(b) => b.to_string(),
            Value::List(items) => items.join(","),
            Value::Text(text) => text,
        }
    }

    /// The option a header, flag or macro key names.
    pub fn find(name: &str, by: fn(&OptionSpec) -> &'static str) -> Option<&'static OptionSpec> {
        OPTIONS.iter().find(|spec| by(spec) == name)
    }
}

/// The one table of generation options. Each row gives the field, its default, its names in
/// the header, on the command line and as an `include_contract!` key (also the
/// [`Builder`](crate::Builder) method), the setter on [`Options`] and the `--help` line; from
/// it come [`Options`] with its getters and setters, [`OPTIONS`], the Builder's methods, the
/// header, the CLI flags and the macro keys. Header order is row order.
macro_rules! options {
    ($(
        $(#[doc = $doc:literal])+
        $field:ident: $ty:ty = $default:expr, takes $arg:ty, gives $ref:ty,
        header $header:literal, flag $flag:literal, key $key:ident, with $with:ident,
        help $help:literal;
    )+) => {
        /// What to generate and how: build it with the `with_*` setters (or the
        /// [`Builder`](crate::Builder)'s methods of the same names without `with_`), read it
        /// with the getters. [`OPTIONS`] describes every option.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Options {
            $($(#[doc = $doc])+ pub(crate) $field: $ty,)+
        }

        impl Default for Options {
            fn default() -> Self {
                Options { $($field: $default,)+ }
            }
        }

        impl Options {
            $(
                $(#[doc = $doc])+
                pub fn $field(&self) -> $ref {
                    OptionType::get(&self.$field)
                }

                #[doc = concat!("Sets `", $header, "` (adds to it, for a list).")]
                pub fn $with(mut self, value: impl Into<$arg>) -> Self {
                    OptionType::apply(&mut self.$field, value.into());
                    self
                }
            )+
        }

        impl crate::Builder {
            $(
                #[doc = concat!("[`Options::", stringify!($with), "`]: ", $help)]
                pub fn $key(mut self, value: impl Into<$arg>) -> Self {
                    self.options = self.options.$with(value);
                    self
                }
            )+
        }

        /// Every generation option, in header order.
        pub static OPTIONS: &[OptionSpec] = &[$(
            OptionSpec {
                header: $header,
                flag: $flag,
                key: stringify!($key),
                kind: <$ty as OptionType>::KIND,
                help: $help,
                get: |o| OptionType::to_value(&o.$field),
                set: |o, value| {
                    o.$field = OptionType::from_value(value, $header)?;
                    Ok(())
                },
            },
        )+];
    };
}

options! {
    /// `GlobalNamespace`: wrap everything in `pub mod NAME { .. }`.
    global_namespace: Option<String> = None, takes String, gives Option<&str>,
    header "GlobalNamespace", flag "global-namespace", key global_namespace,
    with with_global_namespace,
    help "Wrap the output in `pub mod NAME { .. }`";
    /// `IncludeTypes`: only these types (see [`TypePattern`] for the pattern forms).
    include_types: Vec<String> = Vec::new(), takes String, gives &[String],
    header "IncludeTypes", flag "include", key include, with with_include,
    help "Only these types: `Name`, `Name.*` (with every type it depends on, and a request's response), `Ns/*` (every type in .NET namespace `Ns`), `{tag}` (operations with that tag, with dependencies); repeatable or comma-separated";
    /// `ExcludeTypes`: never these types.
    exclude_types: Vec<String> = Vec::new(), takes String, gives &[String],
    header "ExcludeTypes", flag "exclude", key exclude, with with_exclude,
    help "Leave these out (same forms, without dependency expansion); a reference to an excluded type is emitted as its bare name, for you to provide";
    /// `AddDescriptionAsComments`: contract descriptions become rustdoc.
    add_description_as_comments: bool = true, takes bool, gives bool,
    header "AddDescriptionAsComments", flag "no-descriptions", key descriptions,
    with with_descriptions,
    help "No rustdoc from contract descriptions (AddDescriptionAsComments: false)";
    /// `MapType`: what dictionaries become.
    map_type: MapType = MapType::HashMap, takes MapType, gives MapType,
    header "MapType", flag "map-type", key map_type, with with_map_type,
    help "What .NET dictionaries become: `HashMap` or `BTreeMap` (sorted, deterministic serialization)";
    /// `DateType`: what `DateTime`, `DateTimeOffset` and `TimeSpan` become.
    date_type: DateType = DateType::String, takes DateType, gives DateType,
    header "DateType", flag "date-type", key date_type, with with_date_type,
    help "What `DateTime`, `DateTimeOffset` and `TimeSpan` become: `String` (kept verbatim), `ssdto` (`ssdto::wire::DateTime`/`TimeSpan`, parsed, std only) or `chrono` (`chrono::DateTime<FixedOffset>`/`chrono::TimeDelta`, needs ssdto's `chrono` feature)";
    /// `GuidType`: what `Guid` becomes.
    guid_type: GuidType = GuidType::String, takes GuidType, gives GuidType,
    header "GuidType", flag "guid-type", key guid_type, with with_guid_type,
    help "What `Guid` becomes: `String`, `ssdto` (`ssdto::wire::Guid`) or `uuid` (`uuid::Uuid`, needs ssdto's `uuid` feature)";
    /// `AddDerives`: extra derives on every generated type (`Eq`, `Hash`, `PartialOrd`, ...).
    add_derives: Vec<String> = Vec::new(), takes String, gives &[String],
    header "AddDerives", flag "derive", key derive, with with_derive,
    help "Extra derives on every type (`Eq`, `Hash`, ...); repeatable or comma-separated";
    /// `Server`: also emit a `Service` trait with one method per operation and a `router`
    /// function serving an implementation with axum (needs ssdto's `server` feature).
    server: bool = false, takes bool, gives bool,
    header "Server", flag "server", key server, with with_server,
    help "Also a `Service` trait and an axum `router` serving it (see \"Serving a contract\" in the README); the output then needs ssdto's `server` feature";
    /// `Xml`: also implement `ssdto::xml::XmlValue` for every type, so it reads and writes
    /// ServiceStack's XML (DataContractSerializer; needs ssdto's `xml` feature).
    xml: bool = false, takes bool, gives bool,
    header "Xml", flag "xml", key xml, with with_xml,
    help "Also `ssdto::xml::XmlValue` for every type, to read and write ServiceStack's XML (see \"XML\" in the README); the output then needs ssdto's `xml` feature";
    /// `Strict`: warnings (a type the contract names without defining, two types of one
    /// name, ...) are errors instead.
    strict: bool = false, takes bool, gives bool,
    header "Strict", flag "strict", key strict, with with_strict,
    help "Warnings are errors: a type the contract names without defining, two types of one name in different namespaces, a type name that is not .NET's";
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
        if self
            .global_namespace
            .as_deref()
            .is_some_and(|ns| ns.trim().is_empty())
        {
            return Err(crate::Error::Option(
                "GlobalNamespace: empty module name".into(),
            ));
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
    fn the_table_names_each_option_once_everywhere() {
        for by in [
            |s: &OptionSpec| s.header,
            |s: &OptionSpec| s.flag,
            |s: &OptionSpec| s.key,
        ] {
            for spec in OPTIONS {
                let same = OPTIONS.iter().filter(|other| by(other) == by(spec)).count();
                assert_eq!(same, 1, "{spec:?}");
                assert!(std::ptr::eq(OptionSpec::find(by(spec), by).unwrap(), spec));
            }
        }
    }

    #[test]
    fn every_option_is_set_and_read_through_the_table() {
        for spec in OPTIONS {
            let mut options = Options::default();
            assert!(spec.is_default(&options), "{spec:?}");
            let value = match spec.kind {
                Kind::Bool => match spec.value(&options) {
                    Value::Bool(b) => Value::Bool(!b),
                    other => panic!("{spec:?}: {other:?}"),
                },
                Kind::List => Value::List(vec!["Eq".into(), "Hash".into()]),
                Kind::Choice(values) => Value::Text(values[1].into()),
                Kind::Name => Value::Text("api".into()),
            };
            spec.set(&mut options, value.clone()).unwrap();
            assert_eq!(spec.value(&options), value, "{spec:?}");
            assert!(!spec.is_default(&options), "{spec:?}");
            // Text as a header writes it reads back the same.
            let mut again = Options::default();
            spec.set(&mut again, Value::Text(spec.text(&options)))
                .unwrap();
            assert_eq!(again, options, "{spec:?}");
        }
        let server = OptionSpec::find("server", |s| s.key).unwrap();
        assert!(server
            .set(&mut Options::default(), Value::Text("yes".into()))
            .is_err());
        assert!(server
            .set(&mut Options::default(), Value::List(vec![]))
            .is_err());
    }

    #[test]
    fn options_are_validated() {
        let mut o = Options::default();
        assert!(o.validate().is_ok());
        o.add_derives = vec!["Eq".into(), "not a path!".into()];
        assert!(o.validate().is_err());
        let o = Options::default().with_include("A,B");
        assert!(o.validate().is_err());
        assert!("Nope".parse::<MapType>().is_err());
        assert_eq!("BTreeMap".parse::<MapType>().unwrap(), MapType::BTreeMap);
    }
}
