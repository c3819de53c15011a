//! [`XmlValue`] for ServiceStack's own types that the runtime provides: all `[DataContract]`
//! classes in `http://schemas.servicestack.net/types`, with members in their `[DataMember(Order)]`
//! order as ServiceStack declares them.

use super::contract::SERVICESTACK;
use super::{Contract, Error, Kind, Reader, Writer, XmlValue};
use crate::builtin::{
    Authenticate, AuthenticateResponse, EmptyResponse, IdResponse, QueryBase, QueryDb,
    QueryResponse,
};
use crate::request::Void;
use crate::status::{ErrorResponse, ResponseError, ResponseStatus};

/// Writes and reads a class's members, `(element, field)` in XML order.
macro_rules! members {
    ($($element:literal => $field:ident),* $(,)?) => {
        fn write_content(&self, w: &mut Writer) -> Result<(), Error> {
            $(w.element($element, SERVICESTACK, &self.$field)?;)*
            Ok(())
        }

        fn read_content(r: &mut Reader<'_>) -> Result<Self, Error> {
            let mut value = Self::default();
            r.read_members(|r, name| {
                match name {
                    $($element => value.$field = r.read()?,)*
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
