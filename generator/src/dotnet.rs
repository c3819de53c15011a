//! The .NET type table: every type a ServiceStack contract can name without defining it, what
//! it becomes in Rust, how it travels on the wire, and the ServiceStack rule that says so.
//!
//! ServiceStack leaves framework types out of a contract's `types` on purpose: its MetadataTypes
//! builder (`NativeTypesMetadata.MetadataTypesGenerator.GetMetadataTypes`) registers a referenced
//! type only when it is not a system type (`Type.IsSystemType()`: a namespace starting with
//! `System`, or a name with `<`, `>` or `+`), tuples excepted, and skips the namespaces in
//! `IgnoreTypesInNamespaces`. The entries below are what its NativeTypes generators
//! (`TypeAliases`, `ReturnTypeAliases`, `ArrayTypes`, `DictionaryTypes` of the Rust, TypeScript,
//! C#, Python, Swift and Dart generators) and ServiceStack.Text's serializer (`JsWriter`,
//! `JsonTypeSerializer`, `DeserializeKeyValuePair`, `DeserializeCustomGenericType`) do with each
//! of those types. A name that is neither defined by the contract nor in this table becomes a
//! `serde_json::Value` alias with a warning (see `resolve`).
//!
//! The table is data: [`lookup`] answers for the resolver, and [`markdown`] renders the table the
//! README shows (a test keeps the two equal).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::model::{Body, WireKind};

/// What a .NET type becomes in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A Rust primitive or std type, spelled as it is.
    Prim(&'static str),
    /// A date, time span or Guid, spelled as `DateType`/`GuidType` say.
    Wire(WireKind),
    /// `serde_json::Value`: whatever JSON arrives is kept.
    Json,
    /// `ssdto::Bytes`: base64 in JSON, raw in a raw body.
    Bytes,
    /// A runtime type taking the .NET type's generic arguments.
    Runtime(&'static str),
    /// `ssdto::Tuple1` .. `ssdto::Tuple7`, by arity.
    Tuple,
    /// `Vec<T>` of the generic argument.
    List,
    /// `Vec<serde_json::Value>`: a collection of anything.
    JsonList,
    /// `Vec<String>`.
    StringList,
    /// A map (`MapType`) of the key and value arguments.
    Map,
    /// A map of `String` to `serde_json::Value`.
    JsonMap,
    /// A map of `String` to `String`.
    StringMap,
    /// `Option<T>` of the argument.
    Nullable,
    /// The argument itself: `Task<T>`'s awaited result is what travels.
    Unwrap,
    /// Nothing travels: a `Task` or `ValueTask` result is an empty (204) response.
    Nothing,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// .NET names (without namespace or backtick arity) and C# keywords for the type.
    pub names: &'static [&'static str],
    /// The generic arities the names take, inclusive (`(0, 0)` for a non-generic type).
    pub arity: (usize, usize),
    /// The Rust type.
    pub target: Target,
    /// How a service result of the type is written.
    pub body: Body,
    /// What is on the wire.
    pub wire: &'static str,
    /// The ServiceStack rule the entry follows.
    pub rule: &'static str,
}

const VALUE_WRITER: &str = "ServiceStack.Text `JsWriter.GetValueTypeToStringMethod`: numbers and booleans by `TypeCode`, as JSON numbers and `true`/`false`";
const FORMATTABLE: &str = "ServiceStack.Text has no writer for this value type: `JsWriter.GetValueTypeToStringMethod` writes it through `IFormattable` as a JSON string (System.Text.Json writes a number); both are read";
const LIST_WRITER: &str = "ServiceStack.Text `JsWriter.GetCoreWriteFn`: an `IEnumerable<T>` is written as a JSON array (`WriteListsOfElements`); TypeScript/Dart `ArrayTypes`";
const MAP_WRITER: &str = "ServiceStack.Text `JsWriter.GetCoreWriteFn`: an `IDictionary<K, V>` is written as a JSON object (`WriteDictionary`); TypeScript/Dart `DictionaryTypes`; keys without a Rust key type become `String`";
const SYSTEM_TYPE: &str =
    "MetadataTypes builder: system types are never in `types` (`IsSystemType`)";

/// Every .NET type a contract may name without defining it.
pub static TABLE: &[Entry] = &[
    // Text and numbers.
    Entry {
        names: &["String", "string"],
        arity: (0, 0),
        target: Target::Prim("String"),
        body: Body::Text,
        wire: "JSON string; a `string` result is the response text itself",
        rule: "`HttpResponseExtensionsInternal.WriteToResponse` writes a `string` result as UTF-8 text; `RustGenerator.TypeAliases`",
    },
    Entry {
        names: &["Boolean", "bool"],
        arity: (0, 0),
        target: Target::Prim("bool"),
        body: Body::Dto,
        wire: "`true` / `false`",
        rule: VALUE_WRITER,
    },
    Entry {
        names: &["Char", "char"],
        arity: (0, 0),
        target: Target::Prim("char"),
        body: Body::Dto,
        wire: "one-character JSON string",
        rule: "ServiceStack.Text `JsonTypeSerializer.WriteChar`",
    },
    Entry {
        names: &["Byte", "byte"],
        arity: (0, 0),
        target: Target::Prim("u8"),
        body: Body::Dto,
        wire: "JSON number",
        rule: VALUE_WRITER,
    },
    Entry {
        names: &["SByte", "sbyte"],
        arity: (0, 0),
        target: Target::Prim("i8"),
        body: Body::Dto,
        wire: "JSON number",
        rule: VALUE_WRITER,
    },
    Entry {
        names: &["Int16", "short"],
        arity: (0, 0),
        target: Target::Prim("i16"),
        body: Body::Dto,
        wire: "JSON number",
        rule: VALUE_WRITER,
    },
    Entry {
        names: &["UInt16", "ushort"],
        arity: (0, 0),
        target: Target::Prim("u16"),
        body: Body::Dto,
        wire: "JSON number",
        rule: VALUE_WRITER,
    },
    Entry {
        names: &["Int32", "int"],
        arity: (0, 0),
        target: Target::Prim("i32"),
        body: Body::Dto,
        wire: "JSON number",
        rule: VALUE_WRITER,
    },
    Entry {
        names: &["UInt32", "uint"],
        arity: (0, 0),
        target: Target::Prim("u32"),
        body: Body::Dto,
        wire: "JSON number",
        rule: VALUE_WRITER,
    },
    Entry {
        names: &["Int64", "long"],
        arity: (0, 0),
        target: Target::Prim("i64"),
        body: Body::Dto,
        wire: "JSON number",
        rule: VALUE_WRITER,
    },
    Entry {
        names: &["UInt64", "ulong"],
        arity: (0, 0),
        target: Target::Prim("u64"),
        body: Body::Dto,
        wire: "JSON number",
        rule: VALUE_WRITER,
    },
    Entry {
        names: &["Single", "float"],
        arity: (0, 0),
        target: Target::Prim("f32"),
        body: Body::Dto,
        wire: "JSON number",
        rule: VALUE_WRITER,
    },
    Entry {
        names: &["Double", "double"],
        arity: (0, 0),
        target: Target::Prim("f64"),
        body: Body::Dto,
        wire: "JSON number",
        rule: VALUE_WRITER,
    },
    Entry {
        names: &["Decimal", "decimal"],
        arity: (0, 0),
        target: Target::Prim("f64"),
        body: Body::Dto,
        wire: "JSON number (digits past `f64`'s 15-17 are lost)",
        rule: "ServiceStack.Text `JsonTypeSerializer.WriteDecimal`; `RustGenerator.TypeAliases` maps `Decimal` to `f64`",
    },
    Entry {
        names: &[
            "Int128",
            "UInt128",
            "BigInteger",
            "Half",
            "IntPtr",
            "UIntPtr",
            "nint",
            "nuint",
        ],
        arity: (0, 0),
        target: Target::Runtime("ssdto::wire::NumberText"),
        body: Body::Dto,
        wire: "JSON string of the number (or a number)",
        rule: FORMATTABLE,
    },
    Entry {
        names: &["Object", "object", "dynamic"],
        arity: (0, 0),
        target: Target::Json,
        body: Body::Dto,
        wire: "any JSON (polymorphic values carry `__type`)",
        rule: "`RustGenerator.TypeAliases` maps `Object` to `Value`; ServiceStack.Text writes the runtime type, with `__type` when it differs from the declared one",
    },
    Entry {
        names: &[
            "JsonObject",
            "JsonArrayObjects",
            "JsonNode",
            "JsonElement",
            "JsonDocument",
            "JsonArray",
            "ExpandoObject",
        ],
        arity: (0, 0),
        target: Target::Json,
        body: Body::Dto,
        wire: "any JSON",
        rule: "ServiceStack.Text `JsonObject` and `System.Text.Json` DOM types hold arbitrary JSON; `ExpandoObject` is written as an `IDictionary<string, object>` (`JsWriter.GetCoreWriteFn`)",
    },
    // Dates, times, identifiers.
    Entry {
        names: &["DateTime", "DateTimeOffset"],
        arity: (0, 0),
        target: Target::Wire(WireKind::DateTime),
        body: Body::Dto,
        wire: "`/Date(ms±hhmm)/` or ISO 8601",
        rule: "ServiceStack.Text `JsonTypeSerializer.WriteDateTime` (`DateHandler`); `RustGenerator.TypeAliases` keeps them `String`",
    },
    Entry {
        names: &["TimeSpan"],
        arity: (0, 0),
        target: Target::Wire(WireKind::TimeSpan),
        body: Body::Dto,
        wire: "XSD duration (`PT1H30M`)",
        rule: "ServiceStack.Text `JsonTypeSerializer.WriteTimeSpan` (`DateTimeSerializer.ToXsdTimeSpanString`)",
    },
    Entry {
        names: &["Guid"],
        arity: (0, 0),
        target: Target::Wire(WireKind::Guid),
        body: Body::Dto,
        wire: "JSON string, with or without dashes",
        rule: "ServiceStack.Text `JsonTypeSerializer.WriteGuid`",
    },
    Entry {
        names: &["DateOnly", "TimeOnly"],
        arity: (0, 0),
        target: Target::Prim("String"),
        body: Body::Dto,
        wire: "`yyyy-MM-dd`; a time as an XSD duration",
        rule: "ServiceStack.Text `JsonTypeSerializer.WriteDateOnly` / `WriteTimeOnly`; `RustGenerator.TypeAliases`",
    },
    Entry {
        names: &["Uri"],
        arity: (0, 0),
        target: Target::Prim("String"),
        body: Body::Dto,
        wire: "JSON string",
        rule: "ServiceStack.Text `JsWriter.SpecialTypes`: `Uri` is written with `WriteObjectString`; `RustGenerator.TypeAliases`",
    },
    Entry {
        names: &["Type"],
        arity: (0, 0),
        target: Target::Prim("String"),
        body: Body::Dto,
        wire: "JSON string (the type name)",
        rule: "ServiceStack.Text `JsWriter.WriteType` (`JsConfig.TypeWriter`); `RustGenerator.TypeAliases`",
    },
    Entry {
        names: &["Exception"],
        arity: (0, 0),
        target: Target::Prim("String"),
        body: Body::Dto,
        wire: "JSON string (the message)",
        rule: "ServiceStack.Text `JsWriter.SpecialTypes`: an `Exception` is written as its `Message`",
    },
    Entry {
        names: &["Version"],
        arity: (0, 0),
        target: Target::Json,
        body: Body::Dto,
        wire: "an object of its parts (ServiceStack.Text) or `\"1.2.3.4\"` (System.Text.Json)",
        rule: "ServiceStack.Text has no writer for `Version`, a class: `WriteType` writes its properties; System.Text.Json writes a string",
    },
    // Collections.
    Entry {
        names: &[
            "List",
            "IList",
            "ICollection",
            "IEnumerable",
            "IReadOnlyList",
            "IReadOnlyCollection",
            "Collection",
            "ReadOnlyCollection",
            "ObservableCollection",
            "ReadOnlyObservableCollection",
            "LinkedList",
            "Queue",
            "Stack",
            "ConcurrentQueue",
            "ConcurrentStack",
            "ConcurrentBag",
            "BlockingCollection",
            "IProducerConsumerCollection",
            "ImmutableArray",
            "ImmutableList",
            "IImmutableList",
            "ImmutableQueue",
            "IImmutableQueue",
            "ImmutableStack",
            "IImmutableStack",
            "ResizeArray",
        ],
        arity: (1, 1),
        target: Target::List,
        body: Body::Dto,
        wire: "JSON array",
        rule: LIST_WRITER,
    },
    Entry {
        names: &[
            "HashSet",
            "ISet",
            "SortedSet",
            "IReadOnlySet",
            "ImmutableHashSet",
            "ImmutableSortedSet",
            "IImmutableSet",
            "FrozenSet",
        ],
        arity: (1, 1),
        target: Target::List,
        body: Body::Dto,
        wire: "JSON array (order and duplicates as received)",
        rule: LIST_WRITER,
    },
    Entry {
        names: &["IEnumerable", "ICollection", "IList", "ArrayList", "Array"],
        arity: (0, 0),
        target: Target::JsonList,
        body: Body::Dto,
        wire: "JSON array of anything",
        rule: "ServiceStack.Text `JsWriter.GetCoreWriteFn`: a non-generic `IEnumerable` is written by `WriteIEnumerable`; the MetadataTypes builder unwraps `Array` (`registerTypeFn`)",
    },
    Entry {
        names: &["ArrayOfString", "StringCollection", "NameValueCollection"],
        arity: (0, 0),
        target: Target::StringList,
        body: Body::Dto,
        wire: "JSON array of strings",
        rule: "ServiceStack's `ArrayOfString` is a `List<string>`; `StringCollection` and `NameValueCollection` are non-generic `IEnumerable`s of strings (a `NameValueCollection` enumerates its keys), written by `WriteIEnumerable`",
    },
    Entry {
        names: &[
            "Dictionary",
            "IDictionary",
            "IReadOnlyDictionary",
            "SortedDictionary",
            "SortedList",
            "ConcurrentDictionary",
            "ReadOnlyDictionary",
            "ImmutableDictionary",
            "IImmutableDictionary",
            "ImmutableSortedDictionary",
            "FrozenDictionary",
            "OrderedDictionary",
            "IOrderedDictionary",
        ],
        arity: (2, 2),
        target: Target::Map,
        body: Body::Dto,
        wire: "JSON object",
        rule: MAP_WRITER,
    },
    Entry {
        names: &[
            "IDictionary",
            "Hashtable",
            "OrderedDictionary",
            "IOrderedDictionary",
            "ListDictionary",
            "HybridDictionary",
        ],
        arity: (0, 0),
        target: Target::JsonMap,
        body: Body::Dto,
        wire: "JSON object of anything",
        rule: "ServiceStack.Text `JsWriter.GetCoreWriteFn`: a non-generic `IDictionary` is written by `WriteDictionary.WriteIDictionary`; TypeScript `DictionaryTypes`",
    },
    Entry {
        names: &["StringDictionary"],
        arity: (0, 0),
        target: Target::StringMap,
        body: Body::Dto,
        wire: "JSON object of strings",
        rule: "TypeScript generator `DictionaryTypes` lists `StringDictionary`",
    },
    Entry {
        names: &["KeyValuePair"],
        arity: (2, 2),
        target: Target::Runtime("ssdto::KeyValuePair"),
        body: Body::Dto,
        wire: "`{\"key\":..,\"value\":..}`",
        rule: "ServiceStack.Text `JsConfig.TreatValueAsRefTypes` holds `KeyValuePair<,>`, so it is written as an object; `DeserializeKeyValuePair` reads `key`/`value` case-insensitively",
    },
    Entry {
        names: &["Tuple", "ValueTuple"],
        arity: (1, 7),
        target: Target::Tuple,
        body: Body::Dto,
        wire: "`{\"item1\":..,\"item2\":..}`",
        rule: "MetadataTypes builder registers tuples (`IsTuple`); ServiceStack.Text writes their `Item{n}` properties and reads them back by `Item{n}` (`DeserializeCustomGenericType.ParseTuple`)",
    },
    Entry {
        names: &["Nullable"],
        arity: (1, 1),
        target: Target::Nullable,
        body: Body::Dto,
        wire: "the value, or `null` / absent",
        rule: "TypeScript generator `Type`: ``Nullable`1`` is its argument, optional",
    },
    // Results.
    Entry {
        names: &["Task", "ValueTask"],
        arity: (1, 1),
        target: Target::Unwrap,
        body: Body::Dto,
        wire: "the awaited result",
        rule: "ServiceStack awaits a service's `Task<T>` and writes its result (`ServiceRunner`); ServiceStack.Text refuses to serialize a `Task` itself (`JsWriter.GetCoreWriteFn`)",
    },
    Entry {
        names: &["Task", "ValueTask"],
        arity: (0, 0),
        target: Target::Nothing,
        body: Body::Dto,
        wire: "nothing (HTTP 204)",
        rule: "a service returning a bare `Task` has no result; `HttpResponseExtensionsInternal.WriteToResponse` answers `null` with no content",
    },
    Entry {
        names: &["Byte[]"],
        arity: (0, 0),
        target: Target::Bytes,
        body: Body::Bytes,
        wire: "base64 JSON string; a `byte[]` result is the raw response body",
        rule: "ServiceStack.Text `WriteLists.WriteBytes` (base64); `HttpResponseExtensionsInternal.WriteToOutputStreamAsync` writes a `byte[]` result raw; `RustGenerator.ReturnTypeAliases`",
    },
    Entry {
        names: &[
            "Stream",
            "MemoryStream",
            "FileStream",
            "BufferedStream",
            "HttpWebResponse",
            "HttpResponseMessage",
            "IStreamWriter",
            "IStreamWriterAsync",
            "IPartialWriter",
            "IPartialWriterAsync",
        ],
        arity: (0, 0),
        target: Target::Bytes,
        body: Body::Bytes,
        wire: "raw response body (base64 inside a JSON DTO)",
        rule: "`HttpResponseExtensionsInternal.WriteToOutputStreamAsync` writes `Stream`, `IStreamWriterAsync` and `IPartialWriterAsync` results raw; `RustGenerator`/`TypeScriptGenerator` `ReturnTypeAliases` (`Stream`, `HttpWebResponse`)",
    },
    Entry {
        names: &["IHttpFile", "HttpFile", "IFormFile"],
        arity: (0, 0),
        target: Target::Runtime("ssdto::HttpFile"),
        body: Body::Dto,
        wire: "a `multipart/form-data` part when uploaded (bound to the field of its form name); in JSON `{name, fileName, contentType, contentLength, content}`, the content base64",
        rule: "`ServiceStack.Web.IHttpFile` (ignored namespace `ServiceStack.Web`): uploads arrive as `multipart/form-data` (`IRequest.Files`)",
    },
    // Well-known BCL enums.
    Entry {
        names: &["DayOfWeek"],
        arity: (0, 0),
        target: Target::Runtime("ssdto::DayOfWeek"),
        body: Body::Dto,
        wire: "member name (`\"Monday\"`), or its number",
        rule: "ServiceStack.Text `JsonTypeSerializer.WriteEnum` writes enum names; System.Text.Json writes numbers",
    },
    Entry {
        names: &["HttpStatusCode"],
        arity: (0, 0),
        target: Target::Runtime("ssdto::HttpStatusCode"),
        body: Body::Dto,
        wire: "member name (`\"NotFound\"`), or its number",
        rule: "ServiceStack.Text `JsonTypeSerializer.WriteEnum` writes enum names; System.Text.Json writes numbers",
    },
];

/// The entry for a .NET name with `arity` generic arguments. A generic name given without its
/// arguments (older servers write ``List`1[]`` alone) finds its generic entry, whose missing
/// arguments then read as any JSON.
pub fn lookup(name: &str, arity: usize) -> Option<&'static Entry> {
    // Every property of every type is looked up: index the names once rather than scan the
    // table's few hundred names each time.
    static BY_NAME: OnceLock<HashMap<&'static str, Vec<&'static Entry>>> = OnceLock::new();
    let by_name = BY_NAME.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<&'static Entry>> = HashMap::new();
        for entry in TABLE {
            for name in entry.names {
                map.entry(name).or_default().push(entry);
            }
        }
        map
    });
    let named = by_name.get(name)?;
    named
        .iter()
        .find(|e| (e.arity.0..=e.arity.1).contains(&arity))
        .or_else(|| if arity == 0 { named.first() } else { None })
        .copied()
}

/// Whether a type the contract defines is really a framework type the table covers: one in a
/// `System` namespace (ServiceStack lists a response such as ``Task`1`` or `Byte[]` among the
/// operations, and tuples among the types, though they are framework types), or a name that
/// is not a .NET identifier (an array, a compiler-generated closure).
pub fn is_framework_definition(name: &str, namespace: Option<&str>) -> bool {
    if name.contains(['<', '>', '[', '+']) {
        return true;
    }
    let (base, arity) = match name.split_once('`') {
        Some((base, n)) => (base, n.parse().unwrap_or(usize::MAX)),
        None => (name, 0),
    };
    let system = namespace.is_some_and(|ns| ns == "System" || ns.starts_with("System."));
    system
        && TABLE
            .iter()
            .any(|e| e.names.contains(&base) && (e.arity.0..=e.arity.1).contains(&arity))
}

/// The Rust spelling of a target, for the README.
fn rust_text(entry: &Entry) -> String {
    let generic = entry.arity.1 > 0;
    match entry.target {
        Target::Prim(p) => format!("`{p}`"),
        Target::Wire(WireKind::DateTime | WireKind::TimeSpan) => {
            "`String`, or parsed with `--date-type`".to_owned()
        }
        Target::Wire(WireKind::Guid) => "`String`, or parsed with `--guid-type`".to_owned(),
        Target::Json => "`serde_json::Value`".to_owned(),
        Target::Bytes => "`ssdto::Bytes`".to_owned(),
        Target::Runtime(path) if generic => format!("`{path}<K, V>`"),
        Target::Runtime(path) => format!("`{path}`"),
        Target::Tuple => "`ssdto::Tuple1<T1>` .. `ssdto::Tuple7<T1, .., T7>`".to_owned(),
        Target::List => "`Vec<T>`".to_owned(),
        Target::JsonList => "`Vec<serde_json::Value>`".to_owned(),
        Target::StringList => "`Vec<String>`".to_owned(),
        Target::Map => "`HashMap<K, V>` (`--map-type`)".to_owned(),
        Target::JsonMap => "`HashMap<String, serde_json::Value>`".to_owned(),
        Target::StringMap => "`HashMap<String, String>`".to_owned(),
        Target::Nullable => "`Option<T>`".to_owned(),
        Target::Unwrap => "`T`".to_owned(),
        Target::Nothing => "`ssdto::Void` (a response), `serde_json::Value` (a field)".to_owned(),
    }
}

/// The .NET spelling of an entry's names, with their arity.
fn dotnet_text(entry: &Entry) -> String {
    let params = |n: usize| match n {
        0 => String::new(),
        1 => "<T>".to_owned(),
        2 if entry.target == Target::Map
            || entry.target == Target::Runtime("ssdto::KeyValuePair") =>
        {
            "<K, V>".to_owned()
        }
        n => format!("<T1..T{n}>"),
    };
    let arity = if entry.arity.0 == entry.arity.1 {
        params(entry.arity.1)
    } else {
        format!("<T1..T{}>", entry.arity.1)
    };
    entry
        .names
        .iter()
        .filter(|n| n.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(|n| format!("`{n}{arity}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The table as Markdown, one row per entry: .NET names, Rust type, wire form, rule. A
/// `[Flags]` enum row follows, since flags enums are defined by contracts, not the table.
pub fn markdown() -> String {
    let mut out = String::from(
        "| .NET | Rust | on the wire | ServiceStack rule |\n| --- | --- | --- | --- |\n",
    );
    for entry in TABLE {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            dotnet_text(entry),
            rust_text(entry),
            entry.wire,
            entry.rule
        ));
    }
    out.push_str(&format!(
        "| any other name a contract does not define | `pub type Name = serde_json::Value;` and a warning | any JSON | {SYSTEM_TYPE}; `--strict` makes it an error |\n"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_matches_arity_and_falls_back_for_missing_arguments() {
        assert_eq!(lookup("Int32", 0).unwrap().target, Target::Prim("i32"));
        assert_eq!(lookup("int", 0).unwrap().target, Target::Prim("i32"));
        assert_eq!(lookup("List", 1).unwrap().target, Target::List);
        // Non-generic IEnumerable is a list of anything, the generic one a list of T.
        assert_eq!(lookup("IEnumerable", 0).unwrap().target, Target::JsonList);
        assert_eq!(lookup("IEnumerable", 1).unwrap().target, Target::List);
        // `List` without arguments: the generic entry (arguments read as any JSON).
        assert_eq!(lookup("List", 0).unwrap().target, Target::List);
        assert_eq!(lookup("Task", 0).unwrap().target, Target::Nothing);
        assert_eq!(lookup("Task", 1).unwrap().target, Target::Unwrap);
        assert_eq!(lookup("Tuple", 7).unwrap().target, Target::Tuple);
        assert!(lookup("Tuple", 8).is_none());
        assert!(lookup("List", 2).is_none());
        assert!(lookup("Poco", 0).is_none());
        assert_eq!(lookup("Stream", 0).unwrap().body, Body::Bytes);
        assert_eq!(lookup("String", 0).unwrap().body, Body::Text);
    }

    #[test]
    fn every_name_is_unique_per_arity() {
        for (i, a) in TABLE.iter().enumerate() {
            for b in &TABLE[i + 1..] {
                let overlap = a.arity.0 <= b.arity.1 && b.arity.0 <= a.arity.1;
                for name in a.names {
                    assert!(
                        !(overlap && b.names.contains(name)),
                        "`{name}` is in two entries for one arity"
                    );
                }
            }
        }
    }

    #[test]
    fn framework_definitions() {
        assert!(is_framework_definition(
            "Task`1",
            Some("System.Threading.Tasks")
        ));
        assert!(is_framework_definition("Byte[]", Some("System")));
        assert!(is_framework_definition("Tuple`2", Some("System")));
        // No runtime type for an 8-tuple: the contract's own definition is used.
        assert!(!is_framework_definition("Tuple`8", Some("System")));
        assert!(is_framework_definition(
            "<>c__DisplayClass18_0",
            Some("MyApp")
        ));
        // A contract's own type that happens to share a framework name.
        assert!(!is_framework_definition(
            "Version",
            Some("MyApp.ServiceModel")
        ));
        assert!(!is_framework_definition("Task", None));
        assert!(!is_framework_definition("Point", Some("System.Drawing")));
    }

    #[test]
    fn markdown_has_a_row_per_entry() {
        let table = markdown();
        assert_eq!(table.lines().count(), TABLE.len() + 3);
        assert!(
            table.contains("| `KeyValuePair<K, V>` | `ssdto::KeyValuePair<K, V>` |"),
            "{table}"
        );
    }
}
