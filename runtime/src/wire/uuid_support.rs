//! `uuid` conversions and a serde `with`-module (feature `uuid`).

use super::Guid;

impl From<Guid> for uuid::Uuid {
    fn from(guid: Guid) -> Self {
        uuid::Uuid::from_bytes(*guid.as_bytes())
    }
}

impl From<uuid::Uuid> for Guid {
    fn from(uuid: uuid::Uuid) -> Self {
        Guid::from_bytes(*uuid.as_bytes())
    }
}

/// Serde `with`-module for `uuid::Uuid` fields holding a .NET `Guid`: reads it with or
/// without dashes or braces, writes the dashed lower-case form.
///
/// ```
/// # #[derive(serde::Serialize, serde::Deserialize)]
/// struct Account {
///     #[serde(with = "ssdto::wire::uuid_guid")]
///     id: uuid::Uuid,
///     #[serde(with = "ssdto::wire::uuid_guid::option", default)]
///     parent: Option<uuid::Uuid>,
/// }
/// let a: Account = serde_json::from_str(r#"{"id":"0F8FAD5BD9CB469FA16570867728950E"}"#).unwrap();
/// assert_eq!(
///     serde_json::to_string(&a).unwrap(),
///     r#"{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","parent":null}"#
/// );
/// ```
pub mod uuid_guid {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::wire::Guid;

    /// Writes the dashed lower-case form.
    pub fn serialize<S: Serializer>(value: &uuid::Uuid, serializer: S) -> Result<S::Ok, S::Error> {
        Guid::from(*value).serialize(serializer)
    }

    /// Reads a Guid with or without dashes or braces.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<uuid::Uuid, D::Error> {
        Guid::deserialize(deserializer).map(uuid::Uuid::from)
    }

    read_type!(uuid::Uuid);

    /// The same for `Option<uuid::Uuid>`; `null` is `None`.
    pub mod option {
        use super::*;

        /// Writes the dashed lower-case form, or `null`.
        pub fn serialize<S: Serializer>(
            value: &Option<uuid::Uuid>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            value.map(Guid::from).serialize(serializer)
        }

        /// Reads a Guid or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<uuid::Uuid>, D::Error> {
            Ok(Option::<Guid>::deserialize(deserializer)?.map(uuid::Uuid::from))
        }

        read_type!(Option<uuid::Uuid>);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_both_ways_in_text_order() {
        let text = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let guid = Guid::parse(text).unwrap();
        let id = uuid::Uuid::from(guid);
        assert_eq!(id.to_string(), text);
        assert_eq!(Guid::from(id), guid);
    }
}
