//! The namespaces of ServiceStack's XML (.NET's DataContractSerializer), and which one a type is
//! in: the generator writes them into generated types, the runtime writes and reads them.

/// `xmlns:i`, the namespace of `i:nil` and `i:type`.
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// XML Schema: the namespace of `string`, `int`, `boolean`, `dateTime`, `anyType`, ...
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema";
/// .NET's own serialization types (`char`, `guid`, `duration`), and a primitive at the root.
pub const SERIALIZATION: &str = "http://schemas.microsoft.com/2003/10/Serialization/";
/// Collections of primitives and dictionaries (`ArrayOfstring`, `KeyValueOfstringstring`).
pub const ARRAYS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";
/// The prefix of a type's default namespace: `{DATA_CONTRACT_NAMESPACE}{.NET namespace}`.
pub const DATA_CONTRACT_NAMESPACE: &str = "http://schemas.datacontract.org/2004/07/";
/// The namespace of ServiceStack's own types (`ResponseStatus`, `QueryResponse<T>`, ...).
pub const SERVICESTACK: &str = "http://schemas.servicestack.net/types";

/// .NET namespaces that ServiceStack's assemblies map to [`SERVICESTACK`]
/// (`[assembly: ContractNamespace("http://schemas.servicestack.net/types", ClrNamespace = ..)]`).
pub const SERVICESTACK_CLR_NAMESPACES: &[&str] =
    &["ServiceStack", "ServiceStack.Auth", "ServiceStack.Admin"];

/// The XML namespace of a type in .NET namespace `clr_namespace`: its
/// `[DataContract(Namespace)]` when set, else ServiceStack's for its own namespaces, else
/// `http://schemas.datacontract.org/2004/07/{clr_namespace}`.
///
/// ```
/// use ssdto_protocol::xml::type_namespace;
///
/// assert_eq!(
///     type_namespace(Some("Voice.Api.Sessions"), None),
///     "http://schemas.datacontract.org/2004/07/Voice.Api.Sessions"
/// );
/// assert_eq!(type_namespace(Some("ServiceStack"), None), "http://schemas.servicestack.net/types");
/// assert_eq!(type_namespace(Some("Acme"), Some("urn:acme")), "urn:acme");
/// ```
pub fn type_namespace(
    clr_namespace: Option<&str>,
    data_contract_namespace: Option<&str>,
) -> String {
    if let Some(namespace) = data_contract_namespace {
        return namespace.to_owned();
    }
    let clr = clr_namespace.unwrap_or_default();
    if SERVICESTACK_CLR_NAMESPACES.contains(&clr) {
        return SERVICESTACK.to_owned();
    }
    format!("{DATA_CONTRACT_NAMESPACE}{clr}")
}
