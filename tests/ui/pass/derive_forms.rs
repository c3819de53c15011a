//! Every `#[ssdto(..)]` form, with the constants it produces checked at run time.
use serde::{Deserialize, Serialize};
use ssdto::{Method, Request, ResponseFormat, Route, Void};

#[derive(Debug, Deserialize)]
pub struct SessionInfo {}

/// Routes with and without verbs, serde renames; method and operation from the defaults.
#[derive(Serialize, Request)]
#[serde(rename_all = "camelCase")]
#[ssdto(
    route("GET", "/sessions/{sessionId}"),
    route("/s/{SESSIONID}/{Key}/{Path*}")
)]
#[ssdto(returns = SessionInfo)]
pub struct GetSession {
    session_id: String,
    #[serde(rename = "key")]
    k: String,
    path: String,
    page: Option<i32>,
}

/// Explicit operation and method, a verb list, `returns_void`, and a `crate` path.
#[derive(Serialize, Request)]
#[ssdto(
    operation = "EndSession",
    method = "delete",
    route("DELETE,POST", "/sessions/{id}/end"),
    returns_void,
    crate = "::ssdto"
)]
pub struct End {
    id: String,
}

/// No routes: POST, as ServiceStack's clients send it; `ANY` verbs; generics; a unit struct.
#[derive(Serialize, Request)]
#[ssdto(returns = Vec<T>)]
pub struct Query<T: Serialize + serde::de::DeserializeOwned> {
    items: Vec<T>,
}

#[derive(Serialize, Request)]
#[ssdto(route("ANY", "/"), returns = serde_json::Value)]
pub struct Ping;

/// Raw responses: the text of a `string` result, the bytes of a `byte[]` or `Stream` one.
#[derive(Serialize, Request)]
#[ssdto(route("GET", "/readme"), returns = String, format = "text")]
pub struct GetReadme;

#[derive(Serialize, Request)]
#[ssdto(returns = ssdto::Bytes, format = "bytes")]
pub struct GetAvatar {
    user_id: i32,
}

#[derive(Serialize, Request)]
#[ssdto(returns = SessionInfo, format = "dto")]
pub struct GetExplicitDto;

fn main() {
    assert_eq!(GetSession::OPERATION, "GetSession");
    assert_eq!(GetSession::METHOD, Method::Get);
    assert_eq!(
        GetSession::ROUTES,
        &[
            Route {
                path: "/sessions/{sessionId}",
                verbs: &[Method::Get]
            },
            Route {
                path: "/s/{SESSIONID}/{Key}/{Path*}",
                verbs: &[]
            },
        ]
    );
    assert!(!GetSession::RETURNS_VOID);

    assert_eq!(End::OPERATION, "EndSession");
    assert_eq!(End::METHOD, Method::Delete);
    assert_eq!(End::ROUTES[0].verbs, &[Method::Delete, Method::Post]);
    assert!(End::RETURNS_VOID);
    let _: Option<<End as Request>::Response> = Some(Void);

    assert_eq!(<Query<u8>>::METHOD, Method::Post);
    assert!(<Query<u8>>::ROUTES.is_empty());
    let _: Option<<Query<u8> as Request>::Response> = Some(vec![1u8]);

    assert_eq!(GetReadme::RESPONSE_FORMAT, ResponseFormat::Text);
    let _: Option<<GetReadme as Request>::Response> = Some(String::new());
    assert_eq!(GetAvatar::RESPONSE_FORMAT, ResponseFormat::Bytes);
    assert_eq!(GetAvatar::METHOD, Method::Post);
    assert_eq!(GetExplicitDto::RESPONSE_FORMAT, ResponseFormat::Dto);
    assert_eq!(GetSession::RESPONSE_FORMAT, ResponseFormat::Dto);

    assert_eq!(Ping::METHOD, Method::Post);
    assert_eq!(
        Ping::ROUTES,
        &[Route {
            path: "/",
            verbs: &[]
        }]
    );

    // The routes fill from the serialized fields, matched case-insensitively as the macro
    // checked them; the route with the most variables wins.
    let req = GetSession {
        session_id: "s 1".into(),
        k: "k".into(),
        path: "a/b".into(),
        page: None,
    };
    let chosen = ssdto::route::select_for(&req).unwrap().unwrap();
    assert_eq!(chosen.filled.path, "/s/s%201/k/a/b");
    assert_eq!(chosen.filled.consumed, ["sessionId", "key", "path"]);
}
