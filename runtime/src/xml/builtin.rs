//! [`XmlValue`] for the types the runtime provides: ServiceStack's own, all `[DataContract]`
//! classes in `http://schemas.servicestack.net/types` with members in their
//! `[DataMember(Order)]` order as ServiceStack declares them; and the .NET framework types,
//! named and laid out as DataContractSerializer writes them.

use super::contract::SERVICESTACK;
use super::{Contract, Error, Kind, Reader, Writer, XmlValue};
use crate::builtin::{
    Authenticate, AuthenticateResponse, EmptyResponse, IdResponse, QueryBase, QueryDb,
    QueryResponse,
};
use crate::framework::{
    DayOfWeek, HttpStatusCode, KeyValuePair, Tuple1, Tuple2, Tuple3, Tuple4, Tuple5, Tuple6, Tuple7,
};
use crate::request::Void;
use crate::status::{ErrorResponse, ResponseError, ResponseStatus};
use crate::wire::NumberText;
use crate::HttpFile;

/// Writes and reads a class's members, `element => field` in XML order (`element | alias`
/// reads another name too), in ServiceStack's namespace unless another is given first.
macro_rules! members {
    ($($element:literal => $field:ident),* $(,)?) => {
        members!(in SERVICESTACK; $($element => $field),*);
    };
    (in $ns:expr; $($element:literal $(| $alias:literal)* => $field:ident),* $(,)?) => {
        fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
            $(w.element($element, $ns, &self.$field)?;)*
            Ok(())
        }

        fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
            let mut value = Self::default();
            r.read_members(|r, name| {
                match name {
                    $($element $(| $alias)* => value.$field = r.read()?,)*
                    _ => return Ok(false),
                }
                Ok(true)
            })?;
            Ok(value)
        }
    };
}

macro_rules! class {
    ($ty:ty, $name:literal { $($members:tt)* }) => {
        impl XmlValue for $ty {
            const KIND: Kind = Kind::Class;

            fn contract() -> Contract {
                Contract::new($name, SERVICESTACK)
            }

            members!($($members)*);
        }
    };
}

class!(ResponseStatus, "ResponseStatus" {
    "ErrorCode" => error_code,
    "Message" => message,
    "StackTrace" => stack_trace,
    "Errors" => errors,
    "Meta" => meta,
});

class!(ResponseError, "ResponseError" {
    "ErrorCode" => error_code,
    "FieldName" => field_name,
    "Message" => message,
    "Meta" => meta,
});

class!(ErrorResponse, "ErrorResponse" {
    "ResponseStatus" => response_status,
});

class!(EmptyResponse, "EmptyResponse" {
    "ResponseStatus" => response_status,
});

class!(IdResponse, "IdResponse" {
    "Id" => id,
    "ResponseStatus" => response_status,
    "Meta" => meta,
});

class!(QueryBase, "QueryBase" {
    "Skip" => skip,
    "Take" => take,
    "OrderBy" => order_by,
    "OrderByDesc" => order_by_desc,
    "Include" => include,
    "Fields" => fields,
    "Meta" => meta,
});

class!(Authenticate, "Authenticate" {
    "provider" => provider,
    "UserName" => user_name,
    "Password" => password,
    "RememberMe" => remember_me,
    "AccessToken" => access_token,
    "AccessTokenSecret" => access_token_secret,
    "ReturnUrl" => return_url,
    "ErrorView" => error_view,
    "Meta" => meta,
});

class!(AuthenticateResponse, "AuthenticateResponse" {
    "UserId" => user_id,
    "SessionId" => session_id,
    "UserName" => user_name,
    "DisplayName" => display_name,
    "ReferrerUrl" => referrer_url,
    "BearerToken" => bearer_token,
    "RefreshToken" => refresh_token,
    "RefreshTokenExpiry" => refresh_token_expiry,
    "ProfileUrl" => profile_url,
    "Roles" => roles,
    "Permissions" => permissions,
    "AuthProvider" => auth_provider,
    "ResponseStatus" => response_status,
    "Meta" => meta,
});

impl<T: XmlValue> XmlValue for QueryResponse<T> {
    const KIND: Kind = Kind::Class;

    fn contract() -> Contract {
        Contract::generic("QueryResponse", SERVICESTACK, &[T::contract()])
    }

    members!(
        "Offset" => offset,
        "Total" => total,
        "Results" => results,
        "Meta" => meta,
        "ResponseStatus" => response_status,
    );
}

/// An AutoQuery request's own members come after these, from the generated type.
impl<T: XmlValue> XmlValue for QueryDb<T> {
    const KIND: Kind = Kind::Class;

    fn contract() -> Contract {
        Contract::generic("QueryDb", SERVICESTACK, &[T::contract()])
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        QueryBase::from(self).write_content(w)
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        QueryBase::read_content(r).map(Self::from)
    }
}

/// An uploaded file; .NET has no DataContract for `IHttpFile`, so it is written as a class of
/// its properties, the content in base64.
impl XmlValue for HttpFile {
    const KIND: Kind = Kind::Class;

    fn contract() -> Contract {
        Contract::new("HttpFile", SERVICESTACK)
    }

    members!(
        "Name" => name,
        "FileName" => file_name,
        "ContentType" => content_type,
        "ContentLength" => content_length,
        "Content" => content,
    );
}

/// The namespace of .NET's `System` types.
const SYSTEM: &str = "http://schemas.datacontract.org/2004/07/System";

/// `KeyValuePairOf{K}{V}` in `System.Collections.Generic`, with `key` and `value` members, as
/// DataContractSerializer writes the struct.
impl<K: XmlValue, V: XmlValue> XmlValue for KeyValuePair<K, V> {
    const KIND: Kind = Kind::Class;

    fn contract() -> Contract {
        Contract::generic(
            "KeyValuePair",
            "http://schemas.datacontract.org/2004/07/System.Collections.Generic",
            &[K::contract(), V::contract()],
        )
    }

    members!(in "http://schemas.datacontract.org/2004/07/System.Collections.Generic";
        "key" | "Key" => key,
        "value" | "Value" => value,
    );
}

/// `TupleOf{T1}..` in `System`: .NET's `Tuple` is `[Serializable]`, so DataContractSerializer
/// writes its fields `m_Item1`, ...; a `ValueTuple`'s `Item1`, ... read too.
macro_rules! tuple {
    ($($name:ident<$($t:ident),+> { $($element:literal | $alias:literal => $field:ident),+ })*) => {$(
        impl<$($t: XmlValue),+> XmlValue for $name<$($t),+> {
            const KIND: Kind = Kind::Class;

            fn contract() -> Contract {
                Contract::generic("Tuple", SYSTEM, &[$($t::contract()),+])
            }

            members!(in SYSTEM; $($element | $alias => $field),+);
        }
    )*};
}

tuple! {
    Tuple1<T1> { "m_Item1" | "Item1" => item1 }
    Tuple2<T1, T2> { "m_Item1" | "Item1" => item1, "m_Item2" | "Item2" => item2 }
    Tuple3<T1, T2, T3> {
        "m_Item1" | "Item1" => item1, "m_Item2" | "Item2" => item2, "m_Item3" | "Item3" => item3
    }
    Tuple4<T1, T2, T3, T4> {
        "m_Item1" | "Item1" => item1, "m_Item2" | "Item2" => item2, "m_Item3" | "Item3" => item3,
        "m_Item4" | "Item4" => item4
    }
    Tuple5<T1, T2, T3, T4, T5> {
        "m_Item1" | "Item1" => item1, "m_Item2" | "Item2" => item2, "m_Item3" | "Item3" => item3,
        "m_Item4" | "Item4" => item4, "m_Item5" | "Item5" => item5
    }
    Tuple6<T1, T2, T3, T4, T5, T6> {
        "m_Item1" | "Item1" => item1, "m_Item2" | "Item2" => item2, "m_Item3" | "Item3" => item3,
        "m_Item4" | "Item4" => item4, "m_Item5" | "Item5" => item5, "m_Item6" | "Item6" => item6
    }
    Tuple7<T1, T2, T3, T4, T5, T6, T7> {
        "m_Item1" | "Item1" => item1, "m_Item2" | "Item2" => item2, "m_Item3" | "Item3" => item3,
        "m_Item4" | "Item4" => item4, "m_Item5" | "Item5" => item5, "m_Item6" | "Item6" => item6,
        "m_Item7" | "Item7" => item7
    }
}

/// Reads a .NET framework enum (or number text) through its serde form, which takes the
/// member name or the number.
fn read_by_serde<T: serde::de::DeserializeOwned>(
    r: &mut Reader<'_>,
    expected: &'static str,
) -> Result<T, Error> {
    let text = r.text()?;
    let t = text.trim();
    let json = t
        .parse::<i64>()
        .map(serde_json::Value::from)
        .unwrap_or_else(|_| serde_json::Value::from(t));
    serde_json::from_value(json).map_err(|_| r.invalid(expected, &text))
}

impl XmlValue for DayOfWeek {
    const KIND: Kind = Kind::Enum;

    fn contract() -> Contract {
        Contract::new("DayOfWeek", SYSTEM)
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        w.text(self.name())
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        read_by_serde(r, "DayOfWeek")
    }
}

/// By .NET member name, or the number for a code .NET does not name.
impl XmlValue for HttpStatusCode {
    const KIND: Kind = Kind::Enum;

    fn contract() -> Contract {
        Contract::new(
            "HttpStatusCode",
            "http://schemas.datacontract.org/2004/07/System.Net",
        )
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        match self.name() {
            Some(name) => w.text(name),
            None => w.text(&self.0.to_string()),
        }
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        read_by_serde(r, "HttpStatusCode")
    }
}

/// `BigInteger`, `Int128`, `Half`: the number's text (.NET writes `BigInteger` as its internal
/// fields, which no client reads back as a number).
impl XmlValue for NumberText {
    const KIND: Kind = Kind::Primitive;

    fn contract() -> Contract {
        Contract::new(
            "BigInteger",
            "http://schemas.datacontract.org/2004/07/System.Numerics",
        )
    }

    fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
        w.text(self.as_str())
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        let text = r.text()?;
        serde_json::from_value(serde_json::Value::from(text.trim()))
            .map_err(|_| r.invalid("number", &text))
    }
}

/// What a void operation answers: nothing is written, and any element reads as `Void` (a 204 or
/// an empty body has no element at all, which the caller handles before reading).
impl XmlValue for Void {
    const KIND: Kind = Kind::Class;

    fn contract() -> Contract {
        Contract::new("Void", SERVICESTACK)
    }

    fn write_content(&self, _: &mut Writer) -> Result<(), Error> {
        Ok(())
    }

    fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
        r.read_members(|_, _| Ok(false))?;
        Ok(Void)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml;

    #[test]
    fn error_response_as_servicestack_writes_it() {
        let body = ErrorResponse {
            response_status: ResponseStatus {
                error_code: Some("NotFound".into()),
                message: Some("Session 's9' does not exist".into()),
                errors: vec![ResponseError {
                    error_code: Some("NotEmpty".into()),
                    field_name: Some("SessionId".into()),
                    ..ResponseError::default()
                }],
                ..ResponseStatus::default()
            },
        };
        let text = xml::to_string(&body).unwrap();
        assert_eq!(
            text,
            concat!(
                r#"<ErrorResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" "#,
                r#"xmlns="http://schemas.servicestack.net/types"><ResponseStatus>"#,
                r#"<ErrorCode>NotFound</ErrorCode><Message>Session 's9' does not exist</Message>"#,
                r#"<StackTrace i:nil="true" /><Errors><ResponseError><ErrorCode>NotEmpty</ErrorCode>"#,
                r#"<FieldName>SessionId</FieldName><Message i:nil="true" /><Meta i:nil="true" />"#,
                r#"</ResponseError></Errors><Meta i:nil="true" /></ResponseStatus></ErrorResponse>"#
            )
        );
        assert_eq!(xml::from_str::<ErrorResponse>(&text).unwrap(), body);
    }

    #[test]
    fn framework_types_as_datacontractserializer_writes_them() {
        let pair = KeyValuePair {
            key: "a".to_owned(),
            value: 1,
        };
        let text = xml::to_string(&pair).unwrap();
        assert_eq!(
            text,
            concat!(
                r#"<KeyValuePairOfstringint xmlns:i="http://www.w3.org/2001/XMLSchema-instance" "#,
                r#"xmlns="http://schemas.datacontract.org/2004/07/System.Collections.Generic">"#,
                "<key>a</key><value>1</value></KeyValuePairOfstringint>"
            )
        );
        assert_eq!(xml::from_str::<KeyValuePair<String, i32>>(&text), Ok(pair));

        let tuple = Tuple2 {
            item1: 1,
            item2: Some("x".to_owned()),
        };
        let text = xml::to_string(&tuple).unwrap();
        assert!(
            text.ends_with(r#"xmlns="http://schemas.datacontract.org/2004/07/System"><m_Item1>1</m_Item1><m_Item2>x</m_Item2></TupleOfintstring>"#),
            "{text}"
        );
        assert_eq!(xml::from_str(&text), Ok(tuple));
        let value_tuple =
            "<ValueTupleOfintstring><Item1>2</Item1><Item2>y</Item2></ValueTupleOfintstring>";
        assert_eq!(
            xml::from_str::<Tuple2<i32, String>>(value_tuple),
            Ok(Tuple2 {
                item1: 2,
                item2: "y".into()
            })
        );

        assert!(xml::to_string(&DayOfWeek::Monday)
            .unwrap()
            .contains(">Monday</DayOfWeek>"));
        assert_eq!(
            xml::from_str::<DayOfWeek>("<d>friday</d>"),
            Ok(DayOfWeek::Friday)
        );
        assert_eq!(
            xml::from_str::<DayOfWeek>("<d>6</d>"),
            Ok(DayOfWeek::Saturday)
        );
        assert!(xml::from_str::<DayOfWeek>("<d>Someday</d>").is_err());
        assert!(xml::to_string(&HttpStatusCode(404))
            .unwrap()
            .contains(">NotFound</HttpStatusCode>"));
        assert!(xml::to_string(&HttpStatusCode(499))
            .unwrap()
            .contains(">499</HttpStatusCode>"));
        assert_eq!(
            xml::from_str::<HttpStatusCode>("<c>NotFound</c>"),
            Ok(HttpStatusCode(404))
        );
        assert_eq!(
            xml::from_str::<HttpStatusCode>("<c> 499 </c>"),
            Ok(HttpStatusCode(499))
        );

        let big: NumberText =
            xml::from_str("<n>170141183460469231731687303715884105727</n>").unwrap();
        assert_eq!(big.parse::<i128>(), Ok(i128::MAX));
        assert!(xml::to_string(&big)
            .unwrap()
            .contains(">170141183460469231731687303715884105727<"));

        let file = HttpFile::new("upload", "a.txt", b"hi".to_vec());
        let text = xml::to_string(&file).unwrap();
        assert!(text.contains("<Content>aGk=</Content>"), "{text}");
        assert_eq!(xml::from_str(&text), Ok(file));
    }

    #[test]
    fn void_reads_any_element() {
        let body = r#"<EmptyResponse xmlns="http://schemas.servicestack.net/types"><ResponseStatus/></EmptyResponse>"#;
        assert_eq!(xml::from_str::<Void>(body), Ok(Void));
        assert!(xml::from_str::<Void>("").is_err());
    }

    #[test]
    fn query_response_is_named_for_its_results() {
        let page = QueryResponse {
            total: 2,
            results: vec![1, 2],
            ..QueryResponse::default()
        };
        let text = xml::to_string(&page).unwrap();
        assert!(
            text.starts_with("<QueryResponseOfint xmlns:i="),
            "built-in argument, no digest: {text}"
        );
        assert!(text.contains(
            r#"<Results xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><d2p1:int>1</d2p1:int>"#
        ));
        assert_eq!(xml::from_str::<QueryResponse<i32>>(&text).unwrap(), page);
    }
}
