//! ServiceStack's own base classes, for contracts that inherit them without defining them.
//!
//! `/types/metadata` leaves types in the `ServiceStack` namespaces out (`NativeTypesFeature`'s
//! default `IgnoreTypesInNamespaces`), so an AutoQuery request arrives as
//! `QueryBookings : QueryDb<Booking>` with no ``QueryDb`1`` in `types`. Its members still travel
//! on the wire, so the generator inlines them from these definitions, which describe the
//! public shape of ServiceStack's `QueryBase`, `QueryDb<T>`, `QueryDb<From, Into>`,
//! `QueryData<T>`, `QueryData<From, Into>`, `QueryResponse<T>` and `AuditBase` in
//! MetadataTypes form. A contract's own definition always wins.

use std::sync::OnceLock;

use crate::parse::MetadataType;

const DEFINITIONS: &str = r#"[
  {"name":"QueryBase","namespace":"ServiceStack","isAbstract":true,"properties":[
    {"name":"Skip","type":"Nullable`1","genericArgs":["Int32"],"isValueType":true},
    {"name":"Take","type":"Nullable`1","genericArgs":["Int32"],"isValueType":true},
    {"name":"OrderBy","type":"String"},
    {"name":"OrderByDesc","type":"String"},
    {"name":"Include","type":"String"},
    {"name":"Fields","type":"String"},
    {"name":"Meta","type":"Dictionary`2","genericArgs":["String","String"]}]},
  {"name":"QueryDb`1","namespace":"ServiceStack","genericArgs":["T"],"isAbstract":true,
   "isGenericTypeDef":true,"inherits":{"name":"QueryBase","namespace":"ServiceStack"}},
  {"name":"QueryDb`2","namespace":"ServiceStack","genericArgs":["From","Into"],"isAbstract":true,
   "isGenericTypeDef":true,"inherits":{"name":"QueryBase","namespace":"ServiceStack"}},
  {"name":"QueryData`1","namespace":"ServiceStack","genericArgs":["T"],"isAbstract":true,
   "isGenericTypeDef":true,"inherits":{"name":"QueryBase","namespace":"ServiceStack"}},
  {"name":"QueryData`2","namespace":"ServiceStack","genericArgs":["From","Into"],"isAbstract":true,
   "isGenericTypeDef":true,"inherits":{"name":"QueryBase","namespace":"ServiceStack"}},
  {"name":"QueryResponse`1","namespace":"ServiceStack","genericArgs":["T"],"isGenericTypeDef":true,
   "properties":[
    {"name":"Offset","type":"Int32","isValueType":true},
    {"name":"Total","type":"Int32","isValueType":true},
    {"name":"Results","type":"List`1","genericArgs":["T"]},
    {"name":"Meta","type":"Dictionary`2","genericArgs":["String","String"]},
    {"name":"ResponseStatus","type":"ResponseStatus","namespace":"ServiceStack"}]},
  {"name":"AuditBase","namespace":"ServiceStack","isAbstract":true,"properties":[
    {"name":"CreatedDate","type":"DateTime","isValueType":true},
    {"name":"CreatedBy","type":"String"},
    {"name":"ModifiedDate","type":"DateTime","isValueType":true},
    {"name":"ModifiedBy","type":"String"},
    {"name":"DeletedDate","type":"Nullable`1","genericArgs":["DateTime"],"isValueType":true},
    {"name":"DeletedBy","type":"String"}]}
]"#;

/// The definitions, parsed once.
pub(crate) fn base_classes() -> &'static [MetadataType] {
    static PARSED: OnceLock<Vec<MetadataType>> = OnceLock::new();
    PARSED.get_or_init(|| serde_json::from_str(DEFINITIONS).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_parse() {
        let names: Vec<&str> = base_classes().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "QueryBase",
                "QueryDb`1",
                "QueryDb`2",
                "QueryData`1",
                "QueryData`2",
                "QueryResponse`1",
                "AuditBase"
            ]
        );
    }
}
