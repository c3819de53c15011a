//! [`XmlServiceClient`]: the client in ServiceStack's XML (features `client` and `xml`).
//!
//! The format is chosen by the client's type, as with ServiceStack's own `JsonServiceClient`
//! and `XmlServiceClient`: JSON is the default and asks nothing of the request types; XML
//! needs request and response types with an XML form (generated with the `Xml` option), and
//! says so in its bounds, so a type without one fails to compile rather than at run time.

use reqwest::header::HeaderValue;

use super::pipeline::{Call, Payload};
use super::reply::Reply;
use super::strategy::{self, Prepared};
use super::{excerpt, ApiResult, ClientBuilder, Error, JsonServiceClient, RouteStrategy};
use crate::protocol::Predefined;
use crate::xml::{self, XmlValue};
use crate::{query, Method, Request, ResponseFormat};

/// A client that sends requests and reads responses in ServiceStack's XML (.NET
/// DataContractSerializer), as ServiceStack's C# `XmlServiceClient` does: request bodies as
/// `Content-Type: application/xml`, every request with `Accept: application/xml`, and error
/// replies read from their XML `ResponseStatus`.
///
/// It goes to `/api/{Operation}` by default, as the JSON client does (the server answers XML
/// for the `Accept` header), to `/xml/reply/{Operation}` with [`RouteStrategy::JsonReply`]
/// (the predefined reply route, in XML: what the C# `XmlServiceClient` calls), and to the
/// declared routes with [`RouteStrategy::Declared`].
///
/// It is a handle of a [`JsonServiceClient`]: it has the same configuration, connection
/// pool, cookies and credentials (refreshes included; the refresh call itself is JSON), and
/// [`json`](Self::json) returns the JSON handle for what this one does not do in XML:
/// signing in, batches, uploads, raw downloads and AutoQuery paging.
///
/// ```no_run
/// # async fn run() -> Result<(), ssdto::client::Error> {
/// # #[derive(serde::Serialize, Default)] struct GetSession {}
/// # impl ssdto::xml::XmlValue for GetSession {
/// #     const KIND: ssdto::xml::Kind = ssdto::xml::Kind::Class;
/// #     fn contract() -> ssdto::xml::Contract { ssdto::xml::Contract::new("GetSession", "") }
/// #     fn write_content(&self, _: &mut ssdto::xml::Writer) -> Result<(), ssdto::xml::Error> { Ok(()) }
/// #     fn read_content(r: &mut ssdto::xml::Reader<'_>) -> Result<Self, ssdto::xml::Error> {
/// #         r.read_members(|_, _| Ok(false))?; Ok(Self::default())
/// #     }
/// # }
/// # impl ssdto::Request for GetSession {
/// #     type Response = ssdto::Void;
/// #     const OPERATION: &'static str = "GetSession";
/// #     const METHOD: ssdto::Method = ssdto::Method::Get;
/// # }
/// use ssdto::client::{JsonServiceClient, XmlServiceClient};
///
/// let client = XmlServiceClient::builder("https://api.example.com")
///     .basic_auth("demo", "demo")
///     .build()?;
/// // GET https://api.example.com/api/GetSession with Accept: application/xml
/// let session = client.send(&GetSession::default()).await?;
///
/// // The same connections and credentials, in JSON.
/// let json: &JsonServiceClient = client.json();
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct XmlServiceClient {
    json: JsonServiceClient,
}

impl ClientBuilder<XmlServiceClient> {
    /// Makes the client.
    pub fn build(self) -> Result<XmlServiceClient, Error> {
        Ok(XmlServiceClient {
            json: self.config.build(None)?,
        })
    }
}

impl JsonServiceClient {
    /// An XML handle of this client, sharing its connections, cookies and credentials.
    pub fn xml(&self) -> XmlServiceClient {
        XmlServiceClient { json: self.clone() }
    }
}

impl XmlServiceClient {
    /// A client for the server at `base_url` with default settings.
    pub fn new(base_url: &str) -> Result<Self, Error> {
        Self::builder(base_url).build()
    }

    /// A builder for a client of the server at `base_url` (an authentication-required hook is
    /// set on a [`JsonServiceClient`] builder, whose client [`xml`](JsonServiceClient::xml)
    /// turns into this one).
    pub fn builder(base_url: &str) -> ClientBuilder<Self> {
        ClientBuilder::new(base_url)
    }

    /// The JSON handle of this client.
    pub fn json(&self) -> &JsonServiceClient {
        &self.json
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.json.base_url()
    }

    /// A handle that adds `args` to every request's query string (see
    /// [`JsonServiceClient::with_args`]).
    pub fn with_args<I, K, V>(&self, args: I) -> XmlServiceClient
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        XmlServiceClient {
            json: self.json.with_args(args),
        }
    }

    /// Sends `request` with the verb the operation declares and reads its XML response. For a
    /// void operation a 204 or an empty body is success.
    pub async fn send<R>(&self, request: &R) -> Result<R::Response, Error>
    where
        R: Request + XmlValue,
        R::Response: XmlValue,
    {
        self.send_as(R::METHOD, request).await
    }

    /// Sends `request` with `method`, whatever the operation declares.
    pub async fn send_as<R>(&self, method: Method, request: &R) -> Result<R::Response, Error>
    where
        R: Request + XmlValue,
        R::Response: XmlValue,
    {
        let call = self.call(method, request)?;
        decode::<R>(self.json.reply(&call).await?)
    }

    /// Sends `request` with its declared verb and ignores the body of a successful reply.
    pub async fn send_void<R: Request + XmlValue>(&self, request: &R) -> Result<(), Error> {
        let call = self.call(R::METHOD, request)?;
        self.json.reply(&call).await?.check()
    }

    /// Sends `request` with GET.
    pub async fn get<R>(&self, request: &R) -> Result<R::Response, Error>
    where
        R: Request + XmlValue,
        R::Response: XmlValue,
    {
        self.send_as(Method::Get, request).await
    }

    /// Sends `request` with POST.
    pub async fn post<R>(&self, request: &R) -> Result<R::Response, Error>
    where
        R: Request + XmlValue,
        R::Response: XmlValue,
    {
        self.send_as(Method::Post, request).await
    }

    /// Sends `request` with PUT.
    pub async fn put<R>(&self, request: &R) -> Result<R::Response, Error>
    where
        R: Request + XmlValue,
        R::Response: XmlValue,
    {
        self.send_as(Method::Put, request).await
    }

    /// Sends `request` with PATCH.
    pub async fn patch<R>(&self, request: &R) -> Result<R::Response, Error>
    where
        R: Request + XmlValue,
        R::Response: XmlValue,
    {
        self.send_as(Method::Patch, request).await
    }

    /// Sends `request` with DELETE.
    pub async fn delete<R>(&self, request: &R) -> Result<R::Response, Error>
    where
        R: Request + XmlValue,
        R::Response: XmlValue,
    {
        self.send_as(Method::Delete, request).await
    }

    /// Sends `request` as XML to the one-way route with POST (`/api/{Operation}`;
    /// `/xml/oneway/{Operation}` with [`RouteStrategy::JsonReply`]) without reading the
    /// response; an error status is still an error.
    pub async fn send_oneway<R: Request + XmlValue>(&self, request: &R) -> Result<(), Error> {
        let route = match self.json.shared.strategy {
            RouteStrategy::JsonReply => Predefined::XmlOneWay,
            RouteStrategy::Api | RouteStrategy::Declared => Predefined::Api,
        };
        let url = strategy::predefined_url(&self.json.shared.base_url, route, R::OPERATION, 0);
        let call = self.xml_call::<R>(Method::Post, url, Some(request))?;
        self.json.reply(&call).await?.check()
    }

    /// [`send`](Self::send), with its error as a value (see [`ApiResult`]).
    pub async fn api<R>(&self, request: &R) -> ApiResult<R::Response>
    where
        R: Request + XmlValue,
        R::Response: XmlValue,
    {
        ApiResult::from_result(self.send(request).await)
    }

    /// The URL `request` would be sent to with `method`.
    pub fn url_for<R: Request + XmlValue>(
        &self,
        method: Method,
        request: &R,
    ) -> Result<String, Error> {
        Ok(self.call(method, request)?.url)
    }

    /// The call for `request` sent with `method`: the query string for GET and DELETE, an
    /// XML body for the other verbs.
    fn call<R: Request + XmlValue>(&self, method: Method, request: &R) -> Result<Call, Error> {
        let strategy = self.json.shared.strategy;
        let base = &self.json.shared.base_url;
        let sends_query = method.sends_query();
        let fields = if sends_query || strategy == RouteStrategy::Declared {
            query::fields(request)?
        } else {
            Vec::new()
        };
        let (url, consumed) = match strategy {
            RouteStrategy::JsonReply => (
                strategy::predefined_url(base, Predefined::XmlReply, R::OPERATION, 0),
                Vec::new(),
            ),
            RouteStrategy::Api | RouteStrategy::Declared => {
                strategy::route_for(base, strategy, &fields, R::OPERATION, R::ROUTES, method)
            }
        };
        if sends_query {
            let prepared = strategy::with_query(method, url, &fields, &consumed);
            return self.xml_call::<R>(method, prepared.url, None);
        }
        self.xml_call(method, url, Some(request))
    }

    /// A call to `url` asking for XML, with `body` (if any) as XML.
    fn xml_call<R: Request + XmlValue>(
        &self,
        method: Method,
        url: String,
        body: Option<&R>,
    ) -> Result<Call, Error> {
        let prepared = Prepared {
            method,
            url,
            body: None,
        };
        let mut call = self.json.call_from(R::OPERATION.into(), prepared);
        if let Some(request) = body {
            let text = xml::to_string(request).map_err(Error::EncodeXml)?;
            call.body = Payload::Xml(text.into_bytes().into());
        }
        call.accept = Some(HeaderValue::from_static(xml::MEDIA_TYPE));
        Ok(call)
    }
}

/// The response of `R` from an XML reply; raw text and bytes results as they are.
fn decode<R>(reply: Reply) -> Result<R::Response, Error>
where
    R: Request,
    R::Response: XmlValue,
{
    if R::RESPONSE_FORMAT != ResponseFormat::Dto {
        return reply.decode::<R>();
    }
    reply.check()?;
    let empty = reply.status == 204 || reply.body.iter().all(u8::is_ascii_whitespace);
    if empty && (R::RETURNS_VOID || reply.status == 204) {
        return Ok(R::Response::default());
    }
    // The client already held the body to its own limit.
    let limits = xml::Limits {
        max_bytes: usize::MAX,
        ..xml::Limits::default()
    };
    xml::from_slice_with(&reply.body, limits).map_err(|e| Error::Decode {
        status: reply.status,
        source: Box::new(e),
        excerpt: excerpt(&reply.body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Route, Void};

    #[derive(serde::Serialize, Default, Debug, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct GetThing {
        id: Option<String>,
    }

    const NS: &str = "http://schemas.datacontract.org/2004/07/Things";

    impl XmlValue for GetThing {
        const KIND: xml::Kind = xml::Kind::Class;
        fn contract() -> xml::Contract {
            xml::Contract::new("GetThing", NS)
        }
        fn write_content(&self, w: &mut xml::Writer) -> Result<(), xml::Error> {
            w.element("Id", NS, &self.id)
        }
        fn read_content(r: &mut xml::Reader<'_>) -> Result<Self, xml::Error> {
            let mut value = Self::default();
            r.read_members(|r, name| {
                match name {
                    "Id" => value.id = r.read()?,
                    _ => return Ok(false),
                }
                Ok(true)
            })?;
            Ok(value)
        }
    }

    impl Request for GetThing {
        type Response = Void;
        const OPERATION: &'static str = "GetThing";
        const METHOD: Method = Method::Get;
        const ROUTES: &'static [Route] = &[Route {
            path: "/things/{Id}",
            verbs: &[],
        }];
    }

    fn client(strategy: RouteStrategy) -> XmlServiceClient {
        XmlServiceClient::builder("http://h")
            .route_strategy(strategy)
            .build()
            .unwrap()
    }

    #[test]
    fn calls_ask_for_xml_and_send_xml_bodies() {
        let req = GetThing {
            id: Some("a b".into()),
        };
        let get = client(RouteStrategy::Api).call(Method::Get, &req).unwrap();
        assert_eq!(get.url, "http://h/api/GetThing?id=a%20b");
        assert!(matches!(get.body, Payload::None));
        assert_eq!(get.accept.unwrap(), "application/xml");

        let post = client(RouteStrategy::JsonReply)
            .call(Method::Post, &req)
            .unwrap();
        assert_eq!(post.url, "http://h/xml/reply/GetThing");
        match &post.body {
            Payload::Xml(body) => assert_eq!(
                std::str::from_utf8(body).unwrap(),
                concat!(
                    r#"<GetThing xmlns:i="http://www.w3.org/2001/XMLSchema-instance" "#,
                    r#"xmlns="http://schemas.datacontract.org/2004/07/Things"><Id>a b</Id></GetThing>"#
                )
            ),
            other => panic!("{other:?}"),
        }
        let declared = client(RouteStrategy::Declared);
        assert_eq!(
            declared.url_for(Method::Put, &req).unwrap(),
            "http://h/things/a%20b"
        );
        assert_eq!(
            declared.url_for(Method::Delete, &req).unwrap(),
            "http://h/things/a%20b"
        );
    }

    #[test]
    fn a_string_xml_cannot_carry_is_an_encode_error() {
        let req = GetThing {
            id: Some("\u{0}".into()),
        };
        let err = client(RouteStrategy::Api)
            .call(Method::Post, &req)
            .unwrap_err();
        assert!(matches!(err, Error::EncodeXml(_)), "{err:?}");
        assert_eq!(err.kind_name(), "Encode");
    }

    fn reply(status: u16, body: &str) -> Reply {
        Reply {
            status,
            batch_completed: None,
            body: body.as_bytes().to_vec().into(),
        }
    }

    #[test]
    fn replies_read_as_xml_and_errors_from_their_xml_status() {
        assert_eq!(decode::<GetThing>(reply(204, "")).unwrap(), Void);
        assert_eq!(
            decode::<GetThing>(reply(200, "<EmptyResponse/>")).unwrap(),
            Void
        );
        let body = concat!(
            r#"<?xml version="1.0" encoding="utf-8"?><ErrorResponse "#,
            r#"xmlns="http://schemas.servicestack.net/types"><ResponseStatus>"#,
            "<ErrorCode>NotFound</ErrorCode><Message>no thing</Message></ResponseStatus>",
            "</ErrorResponse>"
        );
        let err = decode::<GetThing>(reply(404, body)).unwrap_err();
        assert_eq!(err.status(), Some(404));
        let status = err.response_status().unwrap();
        assert_eq!(status.error_code.as_deref(), Some("NotFound"));
        assert_eq!(status.message.as_deref(), Some("no thing"));
    }
}
