//! Stage 1: the serde model of ServiceStack's MetadataTypes JSON.
//!
//! Field names follow the JSON a server serves at `/types/metadata`. Everything is optional and
//! unknown fields are ignored, so documents from older and newer ServiceStack versions load alike.

use serde::Deserialize;

use crate::error::Error;

/// A MetadataTypes document.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MetadataTypes {
    /// Where the contract came from, as the server reports it.
    pub config: Option<MetadataTypesConfig>,
    /// Namespaces the types live in.
    pub namespaces: Vec<String>,
    /// Every non-operation type.
    pub types: Vec<MetadataType>,
    /// The services.
    pub operations: Vec<MetadataOperationType>,
}

/// The `config` section of a MetadataTypes document.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MetadataTypesConfig {
    /// The base URL of the service.
    pub base_url: Option<String>,
}

/// A reference to a type: `{"name": "QueryResponse`1", "genericArgs": ["Post"]}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MetadataTypeName {
    /// The type name, with a backtick arity for generic types.
    pub name: String,
    /// The .NET namespace.
    pub namespace: Option<String>,
    /// Generic arguments as C#-style type text.
    pub generic_args: Option<Vec<String>>,
}

/// `[DataContract]` on a type.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MetadataDataContract {
    /// The contract name.
    pub name: Option<String>,
    /// The contract namespace.
    pub namespace: Option<String>,
}

/// `[DataMember]` on a property.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MetadataDataMember {
    /// The wire name, used verbatim when set.
    pub name: Option<String>,
    /// The member order.
    pub order: Option<i64>,
    /// Whether the member must be present.
    pub is_required: Option<bool>,
    /// `false` when a default value is left out of the XML rather than written.
    pub emit_default_value: Option<bool>,
}

/// A property of a type.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MetadataPropertyType {
    /// The .NET property name.
    pub name: String,
    /// The .NET type name (``List`1``, `String[]`, or full C# text such as `List<Poco>`).
    #[serde(rename = "type")]
    pub type_name: String,
    /// The .NET namespace of the type.
    pub namespace: Option<String>,
    /// Generic arguments of `type` as C#-style type text.
    pub generic_args: Option<Vec<String>>,
    /// Whether the .NET type is a struct (and so never null unless ``Nullable`1``).
    pub is_value_type: Option<bool>,
    /// Whether the .NET type is an enum.
    pub is_enum: Option<bool>,
    /// `[Required]` or a non-nullable reference type.
    pub is_required: Option<bool>,
    /// The description from `[ApiMember]` or `[Description]`.
    pub description: Option<String>,
    /// `[DataMember]`.
    pub data_member: Option<MetadataDataMember>,
}

/// A type: class, enum or interface.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MetadataType {
    /// The type name, with a backtick arity for generic types.
    pub name: String,
    /// The .NET namespace.
    pub namespace: Option<String>,
    /// The type parameters of a generic definition (`["T"]`).
    pub generic_args: Option<Vec<String>>,
    /// The base class.
    pub inherits: Option<MetadataTypeName>,
    /// Implemented interfaces.
    pub implements: Option<Vec<MetadataTypeName>>,
    /// The description from `[Api]` or `[Description]`.
    pub description: Option<String>,
    /// Longer notes.
    pub notes: Option<String>,
    /// Whether the type is an abstract class.
    pub is_abstract: Option<bool>,
    /// Whether the type is an interface.
    pub is_interface: Option<bool>,
    /// Whether the type is an open generic definition.
    pub is_generic_type_def: Option<bool>,
    /// Whether the type is an enum.
    pub is_enum: Option<bool>,
    /// Whether the enum is serialized as its integer value.
    pub is_enum_int: Option<bool>,
    /// Enum member names.
    pub enum_names: Option<Vec<String>>,
    /// Enum member integer values, as text.
    pub enum_values: Option<Vec<String>>,
    /// Enum member wire values from `[EnumMember(Value=..)]`.
    pub enum_member_values: Option<Vec<String>>,
    /// Enum member descriptions.
    pub enum_descriptions: Option<Vec<String>>,
    /// `[DataContract]`.
    pub data_contract: Option<MetadataDataContract>,
    /// The properties, in declaration order (base class properties are not repeated).
    pub properties: Option<Vec<MetadataPropertyType>>,
    /// Attributes the server exports (`[Flags]` on enums, `[Api]`, validators, ...).
    pub attributes: Option<Vec<MetadataAttribute>>,
    /// The nested types the .NET type declares, public or not: references, never definitions
    /// (compiler-generated closures such as `<>c__DisplayClass18_0` appear here too).
    pub inner_types: Option<Vec<MetadataTypeName>>,
}

/// An attribute on a type or property, as `[Name(args)]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MetadataAttribute {
    /// The attribute name without the `Attribute` suffix (`Flags`, `Route`, ...).
    pub name: String,
}

/// A route declared with `[Route]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MetadataRoute {
    /// The path template.
    pub path: String,
    /// Comma-separated verbs; absent or `ANY` means any verb.
    pub verbs: Option<String>,
    /// Route notes.
    pub notes: Option<String>,
    /// Route summary.
    pub summary: Option<String>,
}

/// An operation: a request type and what it returns.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MetadataOperationType {
    /// The request DTO.
    pub request: MetadataType,
    /// The response DTO, when the operation has one.
    pub response: Option<MetadataType>,
    /// The actions the service implements (`ANY`, `GET`, ...).
    pub actions: Option<Vec<String>>,
    /// The verb clients use.
    pub method: Option<String>,
    /// Whether the operation returns nothing.
    pub returns_void: Option<bool>,
    /// The response type with its generic arguments.
    pub return_type: Option<MetadataTypeName>,
    /// The declared routes.
    pub routes: Option<Vec<MetadataRoute>>,
    /// Whether callers must be authenticated.
    pub requires_auth: Option<bool>,
    /// Roles a caller must have, all of them (`[RequiredRole]`).
    pub required_roles: Option<Vec<String>>,
    /// Roles a caller must have at least one of (`[RequiresAnyRole]`).
    pub requires_any_role: Option<Vec<String>>,
    /// Permissions a caller must have, all of them (`[RequiredPermission]`).
    pub required_permissions: Option<Vec<String>>,
    /// Permissions a caller must have at least one of (`[RequiresAnyPermission]`).
    pub requires_any_permission: Option<Vec<String>>,
    /// Tags, used by `IncludeTypes` `{tag}` filters.
    pub tags: Option<Vec<String>>,
}

/// Either document form in one pass: `/metadata/app.json` has the contract under `api`.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Document {
    api: Option<MetadataTypes>,
    config: Option<MetadataTypesConfig>,
    namespaces: Vec<String>,
    types: Vec<MetadataType>,
    operations: Vec<MetadataOperationType>,
}

/// Parses a contract from JSON text: a bare MetadataTypes document or `/metadata/app.json`.
///
/// Errors carry the line and column of the JSON problem. A document that is not a JSON object
/// (an array, a string, a number) is an error, not an empty contract.
pub fn parse_contract(text: &str) -> Result<MetadataTypes, Error> {
    // Files saved by Windows editors may start with a byte-order mark, which JSON forbids.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    check_object(text)?;
    let doc: Document = serde_json::from_str(text).map_err(Error::json)?;
    if let Some(api) = doc.api {
        if doc.types.is_empty() && doc.operations.is_empty() {
            return Ok(api);
        }
    }
    Ok(MetadataTypes {
        config: doc.config,
        namespaces: doc.namespaces,
        types: doc.types,
        operations: doc.operations,
    })
}

/// serde reads a struct from a JSON array too (as a tuple of its fields), so `[]` would pass
/// as an empty contract: look at the first token first.
fn check_object(text: &str) -> Result<(), Error> {
    let Some((at, first)) = text.char_indices().find(|(_, c)| !c.is_whitespace()) else {
        // Empty input: serde_json reports it with its position.
        return Ok(());
    };
    let found = match first {
        '{' => return Ok(()),
        '[' => "an array",
        '"' => "a string",
        't' | 'f' => "a boolean",
        'n' => "null",
        c if c == '-' || c.is_ascii_digit() => "a number",
        // Not JSON at all: serde_json says where and why.
        _ => return Ok(()),
    };
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(at, |nl| at - nl - 1) + 1;
    Err(Error::Json {
        line,
        column,
        message: format!("a contract is a JSON object (MetadataTypes or app.json), not {found}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bare_and_app_documents() {
        let bare = r#"{"types":[{"name":"A","extra":1}],"operations":[],"future":{}}"#;
        assert_eq!(parse_contract(bare).unwrap().types[0].name, "A");
        let app = r#"{"app":{},"api":{"types":[{"name":"B"}],"operations":[]}}"#;
        assert_eq!(parse_contract(app).unwrap().types[0].name, "B");
    }

    #[test]
    fn malformed_json_reports_line_and_column() {
        let err = parse_contract("{\n  \"types\": [,]\n}").unwrap_err();
        assert!(
            err.to_string().contains("line 2 column"),
            "unexpected message: {err}"
        );
    }

    #[test]
    fn wrong_shape_is_an_error_not_a_panic() {
        assert!(parse_contract(r#"{"types": 5}"#).is_err());
    }

    /// Regression: serde reads a struct from an array, so `[]` was an empty contract.
    #[test]
    fn top_level_arrays_and_scalars_are_errors() {
        for (text, found) in [
            ("[]", "an array"),
            ("[1,2]", "an array"),
            ("\n  \"types\"", "a string"),
            ("42", "a number"),
            ("-1", "a number"),
            ("true", "a boolean"),
            ("null", "null"),
        ] {
            let err = parse_contract(text).unwrap_err().to_string();
            assert!(err.ends_with(&format!("not {found}")), "{text}: {err}");
        }
        let err = parse_contract("\n  []").unwrap_err().to_string();
        assert!(
            err.starts_with("invalid contract JSON at line 2 column 3:"),
            "{err}"
        );
        assert!(parse_contract("\u{feff}{}").is_ok());
        assert!(parse_contract("").is_err());
        assert!(parse_contract("nope").is_err());
    }

    #[test]
    fn app_json_without_api_config_and_inner_types() {
        // As /metadata/app.json serves it: `config` is the app's, beside `api`, and `api` has
        // none of its own.
        let app = r#"{"app":{"serviceStackVersion":"8.22"},"config":{"debugMode":false},
            "api":{"types":[{"name":"Outer","innerTypes":[{"name":"<>c__DisplayClass18_0"},{"name":"Inner"}],
                             "attributes":[{"name":"Flags"}]}],"operations":[]}}"#;
        let contract = parse_contract(app).unwrap();
        assert!(contract.config.is_none());
        let outer = &contract.types[0];
        let inner: Vec<&str> = outer
            .inner_types
            .iter()
            .flatten()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(inner, ["<>c__DisplayClass18_0", "Inner"]);
        assert_eq!(outer.attributes.as_ref().unwrap()[0].name, "Flags");
    }
}
