//! [`XmlValue`] for Rust's and the runtime's own types, in XML Schema forms as
//! DataContractSerializer writes them.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};

use base64::Engine as _;

use super::contract::{ARRAYS, SERIALIZATION, XSD};
use super::{Contract, Error, Kind, Reader, Writer, XmlValue};
use crate::bytes::Bytes;
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
/// 1E-05 and from 1E+15 (1E+07 for `float`): `1E+20`, `1.5E-07`. `shortest` is Rust's
/// shortest round-trip text, which has the same digits.
fn format_float(value: f64, shortest: String, exponent_from: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "INF" } else { "-INF" }.into();
    }
    let abs = value.abs();
    if abs == 0.0 || (1e-5..exponent_from).contains(&abs) {
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
/// as one element per key; read back, text becomes a string, or a number or boolean when
/// `i:type` says so, and child elements an object (a repeated name an array).
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
            Value::Array(items) => {
                for item in items {
                    w.element("anyType", ARRAYS, item)?;
                }
                Ok(())
            }
            Value::Object(members) => {
                for (name, value) in members {
                    // Keys that are no XML names cannot be elements; keep them as data.
                    if is_xml_name(name) {
                        w.element(name, "", value)?;
                    } else {
                        w.start("Member", "");
                        w.element("Key", "", &name.clone())?;
                        w.element("Value", "", value)?;
                        w.end();
                    }
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
        let mut members: Map<String, Value> = Map::new();
        let mut items: Vec<Value> = Vec::new();
        let mut any_element = false;
        let text = r.read_mixed(|r, name| {
            any_element = true;
            let value: Value = r.read()?;
            if name == "anyType" {
                items.push(value);
                return Ok(true);
            }
            match members.get_mut(name) {
                Some(Value::Array(list)) => list.push(value),
                Some(existing) => {
                    let first = existing.take();
                    *existing = Value::Array(vec![first, value]);
                }
                None => {
                    members.insert(name.to_owned(), value);
                }
            }
            Ok(true)
        })?;
        Ok(match (any_element, members.is_empty()) {
            (false, _) => Value::String(text),
            (true, true) => Value::Array(items),
            (true, false) => Value::Object(members),
        })
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

#[cfg(feature = "chrono")]
mod chrono_values {
    use super::*;

    impl XmlValue for chrono::DateTime<chrono::FixedOffset> {
        const KIND: Kind = Kind::Primitive;

        fn contract() -> Contract {
            Contract::new("dateTime", XSD)
        }

        fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
            let value = wire::DateTime::try_from(*self).map_err(|e| Error::Write(e.to_string()))?;
            value.write_content(w)
        }

        fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
            let text = r.text()?;
            trimmed(&text)
                .parse::<wire::DateTime>()
                .ok()
                .and_then(|d| Self::try_from(d).ok())
                .ok_or_else(|| r.invalid("dateTime", &text))
        }
    }

    impl XmlValue for chrono::TimeDelta {
        const KIND: Kind = Kind::Primitive;

        fn contract() -> Contract {
            Contract::new("duration", SERIALIZATION)
        }

        fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
            let value = wire::TimeSpan::try_from(*self).map_err(|e| Error::Write(e.to_string()))?;
            value.write_content(w)
        }

        fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
            let text = r.text()?;
            trimmed(&text)
                .parse::<wire::TimeSpan>()
                .ok()
                .and_then(|d| Self::try_from(d).ok())
                .ok_or_else(|| r.invalid("duration", &text))
        }
    }
}

#[cfg(feature = "uuid")]
impl XmlValue for uuid::Uuid {
    const KIND: Kind = Kind::Primitive;

    fn contract() -> Contract {
        Contract::new("guid", SERIALIZATION)
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        wire::Guid::from(*self).write_content(w)
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        let text = r.text()?;
        trimmed(&text)
            .parse::<wire::Guid>()
            .map(Self::from)
            .map_err(|_| r.invalid("guid", &text))
    }
}

/// Writes an integer enum (`isEnumInt`) as DataContractSerializer writes enums: by member name;
/// a value no member has as the names of the members whose bits make it up, space-separated
/// (.NET's `[Flags]` form), or else as the number.
pub fn write_int_enum<E: Copy>(
    w: &mut Writer,
    value: E,
    members: &[E],
    name: fn(E) -> Option<&'static str>,
    number: fn(E) -> i64,
) -> Result<(), Error> {
    if let Some(name) = name(value) {
        return w.text(name);
    }
    let bits = number(value);
    let mut covered = 0;
    let mut names = Vec::new();
    for &member in members {
        let m = number(member);
        if m != 0 && bits & m == m && covered & m != m {
            covered |= m;
            names.extend(name(member));
        }
    }
    if bits > 0 && covered == bits {
        w.text(&names.join(" "))
    } else {
        w.text(&bits.to_string())
    }
}

/// Reads an integer enum written by [`write_int_enum`] (or .NET): a member name, names
/// separated by spaces (their bits combined), or a number.
pub fn read_int_enum<E: Copy + From<i64>>(
    r: &mut Reader<'_>,
    by_name: fn(&str) -> Option<E>,
    number: fn(E) -> i64,
) -> Result<E, Error> {
    let text = r.text()?;
    let t = trimmed(&text);
    if let Ok(n) = t.parse::<i64>() {
        return Ok(E::from(n));
    }
    let mut bits = 0;
    for part in t.split_ascii_whitespace() {
        bits |= by_name(part)
            .map(number)
            .ok_or_else(|| r.invalid("enum member", &text))?;
    }
    if t.is_empty() {
        return Err(r.invalid("enum member", &text));
    }
    Ok(E::from(bits))
}
