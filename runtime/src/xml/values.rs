//! [`XmlValue`] for Rust's and the runtime's own types, in XML Schema forms as
//! DataContractSerializer writes them.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};

use base64::Engine as _;

use super::contract::{ARRAYS, SERIALIZATION, XSD};
use super::{Contract, Error, Kind, Reader, Writer, XmlValue};
use crate::bytes::Bytes;
use crate::flags::{Flags, Iter as FlagsIter};
use crate::wire;

/// XML Schema's whitespace around numbers, booleans and dates.
fn trimmed(text: &str) -> &str {
    text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

macro_rules! integer {
    ($($ty:ty => $name:literal),* $(,)?) => {$(
        impl XmlValue for $ty {
            const KIND: Kind = Kind::Primitive;

            fn contract() -> Contract {
                Contract::new($name, XSD)
            }

            fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
                w.text(&self.to_string())
            }

            fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
                let text = r.text()?;
                trimmed(&text).parse().map_err(|_| r.invalid($name, &text))
            }
        }
    )*};
}

integer!(
    i8 => "byte",
    i16 => "short",
    i32 => "int",
    i64 => "long",
    u8 => "unsignedByte",
    u16 => "unsignedShort",
    u32 => "unsignedInt",
    u64 => "unsignedLong",
);

macro_rules! float {
    ($($ty:ty => $name:literal, $exponent_from:literal),* $(,)?) => {$(
        impl XmlValue for $ty {
            const KIND: Kind = Kind::Primitive;

            fn contract() -> Contract {
                Contract::new($name, XSD)
            }

            fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
                w.text(&format_float(f64::from(*self), self.to_string(), $exponent_from))
            }

            fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
                let text = r.text()?;
                match trimmed(&text) {
                    "INF" => Ok(<$ty>::INFINITY),
                    "-INF" => Ok(<$ty>::NEG_INFINITY),
                    "NaN" => Ok(<$ty>::NAN),
                    // Rust would also take `inf` and `infinity`, which XML Schema does not know.
                    t if t.bytes().any(|b| b.is_ascii_alphabetic() && !matches!(b, b'e' | b'E')) => {
                        Err(r.invalid($name, &text))
                    }
                    t => t.parse().map_err(|_| r.invalid($name, &text)),
                }
            }
        }
    )*};
}

float!(f32 => "float", 1e7, f64 => "double", 1e15);

/// A float as .NET's round-trip format writes it: `INF`, `-INF`, `NaN`, and exponent form below
/// 1E-04 and from 1E+15 (1E+07 for `float`): `1E+20`, `1.5E-07`. `shortest` is Rust's
/// shortest round-trip text, which has the same digits.
fn format_float(value: f64, shortest: String, exponent_from: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "INF" } else { "-INF" }.into();
    }
    let abs = value.abs();
    if abs == 0.0 || (1e-4..exponent_from).contains(&abs) {
        return shortest;
    }
    let (sign, unsigned) = match shortest.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", shortest.as_str()),
    };
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let all = format!("{int}{frac}");
    let lead = all.bytes().position(|b| b != b'0').unwrap_or(0);
    let digits = all[lead..].trim_end_matches('0');
    let (first, rest) = digits.split_at(digits.len().min(1));
    // The power of ten of the first significant digit.
    let exponent = int.len() as i64 - 1 - lead as i64;
    let mut out = format!("{sign}{first}");
    if !rest.is_empty() {
        out.push('.');
        out.push_str(rest);
    }
    let exponent_sign = if exponent < 0 { '-' } else { '+' };
    out.push_str(&format!("E{exponent_sign}{:02}", exponent.unsigned_abs()));
    out
}

impl XmlValue for bool {
    const KIND: Kind = Kind::Primitive;

    fn contract() -> Contract {
        Contract::new("boolean", XSD)
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        w.text(if *self { "true" } else { "false" })
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        let text = r.text()?;
        match trimmed(&text) {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(r.invalid("boolean", &text)),
        }
    }
}

/// .NET writes a `char` as its UTF-16 code, a number.
impl XmlValue for char {
    const KIND: Kind = Kind::Primitive;

    fn contract() -> Contract {
        Contract::new("char", SERIALIZATION)
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        w.text(&u32::from(*self).to_string())
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        let text = r.text()?;
        trimmed(&text)
            .parse::<u32>()
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| r.invalid("char", &text))
    }
}

impl XmlValue for String {
    const KIND: Kind = Kind::Primitive;

    fn contract() -> Contract {
        Contract::new("string", XSD)
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        w.text(self)
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        r.text()
    }
}

impl XmlValue for Bytes {
    const KIND: Kind = Kind::Primitive;

    fn contract() -> Contract {
        Contract::new("base64Binary", XSD)
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        w.text(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        let text = r.text()?;
        let compact: String = text.split_ascii_whitespace().collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map(Bytes)
            .map_err(|_| r.invalid("base64Binary", &text))
    }
}

macro_rules! parsed {
    ($($ty:ty => $name:literal in $ns:ident),* $(,)?) => {$(
        impl XmlValue for $ty {
            const KIND: Kind = Kind::Primitive;

            fn contract() -> Contract {
                Contract::new($name, $ns)
            }

            fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
                w.text(&self.to_string())
            }

            fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
                let text = r.text()?;
                trimmed(&text).parse().map_err(|_| r.invalid($name, &text))
            }
        }
    )*};
}

// ISO 8601, XML Schema durations and dashed Guids are what `Display` writes already.
parsed!(
    wire::DateTime => "dateTime" in XSD,
    wire::TimeSpan => "duration" in SERIALIZATION,
    wire::Guid => "guid" in SERIALIZATION,
);

impl<T: XmlValue> XmlValue for Option<T> {
    const KIND: Kind = T::KIND;

    fn contract() -> Contract {
        T::contract()
    }

    fn is_nil(&self) -> bool {
        self.is_none()
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        match self {
            Some(value) => value.write_content(w),
            None => Ok(()),
        }
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        T::read_content(r).map(Some)
    }
}

impl<T: XmlValue> XmlValue for Box<T> {
    const KIND: Kind = T::KIND;

    fn contract() -> Contract {
        T::contract()
    }

    fn is_nil(&self) -> bool {
        (**self).is_nil()
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        (**self).write_content(w)
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        T::read_content(r).map(Box::new)
    }
}

impl<T: XmlValue> XmlValue for Vec<T> {
    const KIND: Kind = Kind::Collection;

    fn contract() -> Contract {
        Contract::collection_of(&T::contract())
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        let item = T::contract();
        let namespace = Self::contract().namespace;
        for value in self {
            w.element(&item.name, &namespace, value)?;
        }
        Ok(())
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut items = Vec::new();
        r.read_members(|r, _| {
            items.push(r.read()?);
            Ok(true)
        })?;
        Ok(items)
    }
}

/// A dictionary's entries, as `write_content` of both map types writes them.
fn write_entries<'v, K, V>(
    w: &mut Writer,
    entries: impl Iterator<Item = (&'v K, &'v V)>,
) -> Result<(), Error>
where
    K: XmlValue + 'v,
    V: XmlValue + 'v,
{
    let entry = Contract::key_value(&K::contract(), &V::contract());
    for (key, value) in entries {
        w.start(&entry.name, ARRAYS);
        w.element("Key", ARRAYS, key)?;
        w.element("Value", ARRAYS, value)?;
        w.end();
    }
    Ok(())
}

/// A dictionary's entries, in document order; an entry without `Key` is an error, one without
/// `Value` gets the value type's default.
fn read_entries<K: XmlValue, V: XmlValue>(
    r: &mut Reader<'_>,
    mut insert: impl FnMut(K, V),
) -> Result<(), Error> {
    r.read_members(|r, _| {
        let mut key = None;
        let mut value = None;
        r.read_members(|r, name| {
            match name {
                "Key" => key = Some(r.read()?),
                "Value" => value = Some(r.read()?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let key = key.ok_or_else(|| r.invalid("dictionary entry with a Key", ""))?;
        insert(key, value.unwrap_or_default());
        Ok(true)
    })
}

fn map_contract<K: XmlValue, V: XmlValue>() -> Contract {
    Contract {
        name: Cow::Owned(format!(
            "ArrayOf{}",
            Contract::key_value(&K::contract(), &V::contract()).name
        )),
        namespace: Cow::Borrowed(ARRAYS),
    }
}

impl<K, V, S> XmlValue for HashMap<K, V, S>
where
    K: XmlValue + Eq + Hash,
    V: XmlValue,
    S: BuildHasher + Default,
{
    const KIND: Kind = Kind::Collection;

    fn contract() -> Contract {
        map_contract::<K, V>()
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        write_entries(w, self.iter())
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut map = HashMap::default();
        read_entries(r, |k, v| {
            map.insert(k, v);
        })?;
        Ok(map)
    }
}

impl<K: XmlValue + Ord, V: XmlValue> XmlValue for BTreeMap<K, V> {
    const KIND: Kind = Kind::Collection;

    fn contract() -> Contract {
        map_contract::<K, V>()
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        write_entries(w, self.iter())
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut map = BTreeMap::new();
        read_entries(r, |k, v| {
            map.insert(k, v);
        })?;
        Ok(map)
    }
}

/// A .NET `object` member: .NET names the type of what it holds with `i:type`. Scalars are
/// written so (`i:type="d2p1:string"`), null as nil, an array as `anyType` items and an object
/// as one element per key (a key that is no XML name cannot be written); read back, text
/// becomes a string, or a number or boolean when `i:type` says so, `anyType` items an array
/// and other child elements an object (a repeated name an array).
impl XmlValue for serde_json::Value {
    const KIND: Kind = Kind::Primitive;

    fn contract() -> Contract {
        Contract::new("anyType", XSD)
    }

    fn is_nil(&self) -> bool {
        self.is_null()
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        use serde_json::Value;
        match self {
            Value::Null => Ok(()),
            Value::Bool(b) => {
                w.xsd_type("boolean");
                b.write_content(w)
            }
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    w.xsd_type("long");
                    i.write_content(w)
                } else if let Some(u) = n.as_u64() {
                    w.xsd_type("unsignedLong");
                    u.write_content(w)
                } else {
                    w.xsd_type("double");
                    n.as_f64().unwrap_or_default().write_content(w)
                }
            }
            Value::String(s) => {
                w.xsd_type("string");
                w.text(s)
            }
            // Arrays and objects have no .NET form: their elements stay in the namespace
            // around them.
            Value::Array(items) => {
                let namespace = w.default_namespace();
                for item in items {
                    w.element("anyType", &namespace, item)?;
                }
                Ok(())
            }
            Value::Object(members) => {
                let namespace = w.default_namespace();
                for (name, value) in members {
                    if !is_xml_name(name) {
                        return Err(Error::Write(format!(
                            "object key `{name}` cannot be an element name"
                        )));
                    }
                    w.element(name, &namespace, value)?;
                }
                Ok(())
            }
        }
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        use serde_json::{Map, Value};
        let xsd_type = r.xsd_type().map(str::to_owned);
        let number = |text: &str| -> Option<Value> {
            let t = trimmed(text);
            t.parse::<i64>()
                .map(Value::from)
                .or_else(|_| t.parse::<u64>().map(Value::from))
                .ok()
                .or_else(|| t.parse::<f64>().ok().map(Value::from))
        };
        match xsd_type.as_deref() {
            Some("boolean") => return bool::read_content(r).map(Value::Bool),
            Some(
                "int" | "long" | "short" | "byte" | "unsignedInt" | "unsignedLong"
                | "unsignedShort" | "unsignedByte" | "double" | "float" | "decimal",
            ) => {
                let text = r.text()?;
                return number(&text).ok_or_else(|| r.invalid("number", &text));
            }
            Some(_) => return r.text().map(Value::String),
            None => {}
        }
        // Untyped: text, or elements.
        let mut children: Vec<(String, Value)> = Vec::new();
        let text = r.read_mixed(|r, name| {
            children.push((name.to_owned(), r.read()?));
            Ok(true)
        })?;
        if children.is_empty() {
            return Ok(Value::String(text));
        }
        if children.iter().all(|(name, _)| name == "anyType") {
            return Ok(Value::Array(children.into_iter().map(|(_, v)| v).collect()));
        }
        let mut members: Map<String, Value> = Map::new();
        for (name, value) in children {
            match members.get_mut(&name) {
                Some(Value::Array(list)) => list.push(value),
                Some(existing) => {
                    let first = existing.take();
                    *existing = Value::Array(vec![first, value]);
                }
                None => {
                    members.insert(name, value);
                }
            }
        }
        Ok(Value::Object(members))
    }
}

/// Whether `name` can be an element name as written (ASCII letters, digits, `_`, `-`, `.`,
/// not starting with a digit, `-` or `.`, and no `xml` prefix).
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !name.to_ascii_lowercase().starts_with("xml")
}

/// chrono's and uuid's types travel as the `wire` type they convert to and from.
#[cfg(any(feature = "chrono", feature = "uuid"))]
macro_rules! via_wire {
    ($($ty:ty => $wire:ty),* $(,)?) => {$(
        impl XmlValue for $ty {
            const KIND: Kind = Kind::Primitive;

            fn contract() -> Contract {
                <$wire>::contract()
            }

            fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
                <$wire>::try_from(*self)
                    .map_err(|e| Error::Write(e.to_string()))?
                    .write_content(w)
            }

            fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
                let value = <$wire>::read_content(r)?;
                Self::try_from(value)
                    .map_err(|_| r.invalid(stringify!($ty), &value.to_string()))
            }
        }
    )*};
}

#[cfg(feature = "chrono")]
via_wire!(
    chrono::DateTime<chrono::FixedOffset> => wire::DateTime,
    chrono::TimeDelta => wire::TimeSpan,
);

#[cfg(feature = "uuid")]
via_wire!(uuid::Uuid => wire::Guid);

/// Writes an integer enum (`isEnumInt`) as DataContractSerializer writes enums: by member name,
/// or as the number for a value the contract does not name (kept rather than lost).
pub fn write_int_enum(w: &mut Writer, name: Option<&str>, value: i64) -> Result<(), Error> {
    match name {
        Some(name) => w.text(name),
        None => w.text(&value.to_string()),
    }
}

/// Reads an integer enum written by [`write_int_enum`] (or .NET): a member name, or a number.
pub fn read_int_enum<E: From<i64>>(
    r: &mut Reader<'_>,
    by_name: fn(&str) -> Option<E>,
) -> Result<E, Error> {
    let text = r.text()?;
    let t = trimmed(&text);
    if let Ok(n) = t.parse::<i64>() {
        return Ok(E::from(n));
    }
    by_name(t).ok_or_else(|| r.invalid("enum member", &text))
}

/// Writes a `[Flags]` enum as DataContractSerializer does: the names of the members set,
/// separated by spaces (the member named for 0, or nothing, when none is). Bits no member names
/// cannot be written so; the value is then written as its number, which keeps them.
pub fn write_flags<F: Flags>(w: &mut Writer, value: F) -> Result<(), Error> {
    let bits = value.bits();
    let name_of = |bits: i64| {
        F::MEMBERS
            .iter()
            .find(|(_, member)| member.bits() == bits)
            .map(|&(name, _)| name)
    };
    if bits == 0 {
        return w.text(name_of(0).unwrap_or_default());
    }
    let names: Option<Vec<&str>> = FlagsIter::new(value).map(|m| name_of(m.bits())).collect();
    match names {
        Some(names) => w.text(&names.join(" ")),
        None => w.text(&bits.to_string()),
    }
}

/// Reads a `[Flags]` enum: member names separated by spaces (or commas, as .NET's
/// `Enum.ToString()` writes them), case-insensitive, their bits combined; or a number.
pub fn read_flags<F: Flags>(r: &mut Reader<'_>) -> Result<F, Error> {
    let text = r.text()?;
    let t = trimmed(&text);
    if let Ok(n) = t.parse::<i64>() {
        return Ok(F::from_bits_retain(n));
    }
    let mut bits = 0;
    for name in t
        .split(|c: char| c == ',' || c.is_ascii_whitespace())
        .filter(|n| !n.is_empty())
    {
        bits |= F::from_name(name)
            .ok_or_else(|| r.invalid("enum member", &text))?
            .bits();
    }
    Ok(F::from_bits_retain(bits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{from_str, to_string};

    /// The content of a value written at the root.
    fn content<T: XmlValue>(value: &T) -> String {
        let text = to_string(value).unwrap();
        let start = text.find('>').map_or(0, |i| i + 1);
        let end = text.rfind("</").unwrap_or(text.len());
        text[start..end].to_owned()
    }

    fn read<T: XmlValue>(text: &str) -> Result<T, Error> {
        from_str(&format!("<v>{text}</v>"))
    }

    #[test]
    fn numbers_in_xml_schema_forms() {
        assert_eq!(content(&-42i64), "-42");
        assert_eq!(content(&u64::MAX), "18446744073709551615");
        assert_eq!(read::<i32>(" +7\n"), Ok(7));
        assert!(matches!(
            read::<u8>("256"),
            Err(Error::Value {
                expected: "unsignedByte",
                ..
            })
        ));
        assert!(read::<i32>("1.5").is_err());
        for (value, text) in [
            (0.1, "0.1"),
            (-0.0, "-0"),
            (1e20, "1E+20"),
            (1.5e-7, "1.5E-07"),
            (123456789012345.0, "123456789012345"),
            (1e15, "1E+15"),
            (-2.5e-6, "-2.5E-06"),
            (0.00001, "1E-05"),
            (f64::INFINITY, "INF"),
            (f64::NEG_INFINITY, "-INF"),
            (f64::MAX, "1.7976931348623157E+308"),
        ] {
            assert_eq!(content(&value), text, "{value}");
            assert_eq!(read::<f64>(text), Ok(value), "{text}");
        }
        assert_eq!(content(&f64::NAN), "NaN");
        assert!(read::<f64>("NaN").is_ok_and(f64::is_nan));
        assert_eq!(content(&1e7f32), "1E+07");
        assert_eq!(content(&1234567f32), "1234567");
        assert_eq!(read::<f32>("1E+07"), Ok(1e7));
        for bad in ["inf", "infinity", "nan", "1e", "", "0x10"] {
            assert!(read::<f64>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn booleans_chars_bytes() {
        assert_eq!(content(&true), "true");
        assert_eq!(read::<bool>(" 1 "), Ok(true));
        assert_eq!(read::<bool>("0"), Ok(false));
        assert!(read::<bool>("True").is_err());
        assert_eq!(content(&'A'), "65");
        assert_eq!(content(&'\u{1F600}'), "128512");
        assert_eq!(read::<char>("65"), Ok('A'));
        assert!(read::<char>("55296").is_err(), "a lone surrogate");
        assert_eq!(content(&Bytes(vec![0, 1, 254, 255])), "AAH+/w==");
        assert_eq!(
            read::<Bytes>("AAH+\n /w=="),
            Ok(Bytes(vec![0, 1, 254, 255]))
        );
        assert!(read::<Bytes>("***").is_err());
    }

    #[test]
    fn dates_guids_and_durations() {
        let date: wire::DateTime = "2021-01-01T01:00:00.5+01:00".parse().unwrap();
        assert_eq!(content(&date), "2021-01-01T01:00:00.5+01:00");
        assert_eq!(
            read::<wire::DateTime>("2021-01-01T01:00:00.5+01:00"),
            Ok(date)
        );
        let guid: wire::Guid = "0F8FAD5BD9CB469FA16570867728950E".parse().unwrap();
        assert_eq!(content(&guid), "0f8fad5b-d9cb-469f-a165-70867728950e");
        let span: wire::TimeSpan = "PT1H30M".parse().unwrap();
        assert_eq!(content(&span), "PT1H30M");
        assert_eq!(read::<wire::TimeSpan>(" PT1H30M "), Ok(span));
        assert!(read::<wire::Guid>("nope").is_err());
        assert_eq!(
            to_string(&guid).unwrap(),
            concat!(
                r#"<guid xmlns:i="http://www.w3.org/2001/XMLSchema-instance" "#,
                r#"xmlns="http://schemas.microsoft.com/2003/10/Serialization/">"#,
                "0f8fad5b-d9cb-469f-a165-70867728950e</guid>"
            )
        );
    }

    #[cfg(all(feature = "chrono", feature = "uuid"))]
    #[test]
    fn chrono_and_uuid_as_wire_types() {
        let date = chrono::DateTime::parse_from_rfc3339("2021-01-01T01:00:00.5+01:00").unwrap();
        assert_eq!(content(&date), "2021-01-01T01:00:00.5+01:00");
        assert_eq!(read("2021-01-01T00:00:00.5Z"), Ok(date));
        let span = chrono::TimeDelta::minutes(90);
        assert_eq!(content(&span), "PT1H30M");
        assert_eq!(read("PT1H30M"), Ok(span));
        let id = uuid::Uuid::from_u128(0x0f8f_ad5b_d9cb_469f_a165_7086_7728_950e);
        assert_eq!(content(&id), "0f8fad5b-d9cb-469f-a165-70867728950e");
        assert_eq!(read("{0F8FAD5B-D9CB-469F-A165-70867728950E}"), Ok(id));
        assert!(matches!(
            read::<chrono::DateTime<chrono::FixedOffset>>("yesterday"),
            Err(Error::Value {
                expected: "dateTime",
                ..
            })
        ));
    }

    #[test]
    fn lists_and_dictionaries_as_arrays() {
        let list = vec![Some(1), None];
        assert_eq!(
            to_string(&list).unwrap(),
            concat!(
                r#"<ArrayOfint xmlns:i="http://www.w3.org/2001/XMLSchema-instance" "#,
                r#"xmlns="http://schemas.microsoft.com/2003/10/Serialization/Arrays">"#,
                r#"<int>1</int><int i:nil="true" /></ArrayOfint>"#
            )
        );
        let map = BTreeMap::from([("a".to_owned(), vec!["x".to_owned()])]);
        let text = to_string(&map).unwrap();
        assert!(
            text.starts_with("<ArrayOfKeyValueOfstringArrayOfstringty7Ep6D1 "),
            "{text}"
        );
        assert!(
            text.contains(concat!(
                "<KeyValueOfstringArrayOfstringty7Ep6D1><Key>a</Key>",
                "<Value><string>x</string></Value></KeyValueOfstringArrayOfstringty7Ep6D1>"
            )),
            "{text}"
        );
        assert_eq!(from_str::<BTreeMap<String, Vec<String>>>(&text), Ok(map));
        let map: Result<HashMap<String, i32>, _> =
            read("<e><Key>a</Key><Value>1</Value></e><e><Value>2</Value><Key>b</Key></e><e><Key>c</Key></e>");
        assert_eq!(
            map,
            Ok(HashMap::from([
                ("a".into(), 1),
                ("b".into(), 2),
                ("c".into(), 0)
            ]))
        );
        assert!(read::<HashMap<String, i32>>("<e><Value>1</Value></e>").is_err());
    }

    #[test]
    fn object_members_carry_their_xml_schema_type() {
        use serde_json::{json, Value};
        let value = json!({"s": "x", "n": 5, "f": 1.5, "b": true, "z": null, "l": [1, "a"],
                           "o": {"k": "v"}});
        let text = to_string(&value).unwrap();
        assert!(
            text.contains(
                r#"<s xmlns:d2p1="http://www.w3.org/2001/XMLSchema" i:type="d2p1:string">x</s>"#
            ),
            "{text}"
        );
        assert!(text.contains(r#"<z i:nil="true" />"#), "{text}");
        let back: Value = from_str(&text).unwrap();
        assert_eq!(back, value);
        assert_eq!(read::<Value>("plain"), Ok(json!("plain")));
        assert_eq!(read::<Value>(""), Ok(json!("")));
        assert!(matches!(
            to_string(&json!({"not a name": 1})),
            Err(Error::Write(_))
        ));
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    struct Perm(i64);

    impl Flags for Perm {
        const MEMBERS: &'static [(&'static str, Self)] = &[
            ("None", Perm(0)),
            ("Read", Perm(1)),
            ("Write", Perm(2)),
            ("Admin", Perm(4)),
        ];

        fn bits(&self) -> i64 {
            self.0
        }

        fn from_bits_retain(bits: i64) -> Self {
            Perm(bits)
        }
    }

    impl XmlValue for Perm {
        const KIND: Kind = Kind::Enum;
        fn contract() -> Contract {
            Contract::new("Perm", "urn:p")
        }
        fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
            write_flags(w, *self)
        }
        fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
            read_flags(r)
        }
    }

    #[test]
    fn flags_by_names_or_number() {
        assert_eq!(content(&Perm(2)), "Write");
        assert_eq!(content(&Perm(3)), "Read Write");
        assert_eq!(content(&Perm(0)), "None");
        assert_eq!(content(&Perm(9)), "9");
        assert_eq!(content(&Perm(-1)), "-1");
        assert_eq!(read::<Perm>(" Read  admin "), Ok(Perm(5)));
        assert_eq!(read::<Perm>("Read, Write"), Ok(Perm(3)));
        assert_eq!(read::<Perm>("9"), Ok(Perm(9)));
        assert_eq!(read::<Perm>(""), Ok(Perm(0)));
        assert!(read::<Perm>("Read Nope").is_err());
    }

    #[derive(Debug, Clone, Copy, PartialEq, Default)]
    struct Level(i64);

    impl From<i64> for Level {
        fn from(v: i64) -> Self {
            Level(v)
        }
    }

    impl XmlValue for Level {
        const KIND: Kind = Kind::Enum;
        fn contract() -> Contract {
            Contract::new("Level", "urn:p")
        }
        fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
            write_int_enum(w, (self.0 == 1).then_some("High"), self.0)
        }
        fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
            read_int_enum(r, |n| (n == "High").then_some(Level(1)))
        }
    }

    #[test]
    fn integer_enums_by_name_or_number() {
        assert_eq!(content(&Level(1)), "High");
        assert_eq!(content(&Level(7)), "7");
        assert_eq!(read::<Level>(" High "), Ok(Level(1)));
        assert_eq!(read::<Level>("7"), Ok(Level(7)));
        assert!(read::<Level>("Low").is_err());
    }
}
