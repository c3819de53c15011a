//! The Evo Voice Sessions service behind `sessions_server`: an in-memory store, users signed in
//! by ssdto's `AuthFeature`, and the generated `router` (`evovoice_xml`: JSON and XML).
//!
//! Kept apart from `main.rs` (arguments, listening, shutdown) so the workspace tests can serve
//! the same app.
//!
//! Every operation of the contract requires authentication, and `GetActiveSessions` and
//! `NewSession` the role `User`; the generated router enforces that before any method here
//! runs. Users, by HTTP Basic, `/auth/credentials` (session cookies, or JWT cookies and
//! `/access-token` refresh) or a Bearer API key:
//!
//! | user / password   | API key       | roles   | may call                              |
//! |-------------------|---------------|---------|---------------------------------------|
//! | `demo` / `demo`   | `demo-token`  | `User`  | everything                            |
//! | `guest` / `guest` | `guest-token` | none    | ListSessions, GetSession (others 403) |
//! | `admin` / `admin` | `admin-token` | `Admin` | everything (Admin has every role)     |
//!
//! Semantics of ListSessions: `page` is 0-based (the first page is `page=0`, which is also what
//! a request without `page` asks for); `countPerPage` defaults to 25 when 0 or absent; `all`
//! returns every match on one page. `totalCount`/`totalPages` count the matches, unless
//! `simplifiedPaging` is set, when they are 0 and only `hasMorePages` is filled. Filters:
//! `accountIds`, `customerIds`, `endpointIds`, `specificIds` (any of), `from` (contains, in
//! `fromAddress` or `fromName`), `to` (contains, in `toAddress`), `log` (contains, in any log
//! message), all case-insensitive; `parentSessionId` (equal); `startDate`/`endDate`
//! (`YYYY-MM-DD`, inclusive, on `dateCreated`). `sortField` is a SessionInfo wire name
//! (case-insensitive; default `dateCreated`), `sortOrder` `Ascend` (default) or `Descend`.
//! `searchArchive` is accepted and ignored: the store has no archive.

use std::cmp::Ordering;
use std::io::Read as _;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use ssdto::server::auth::{AuthFeature, Jwt, UserStore};
use ssdto::server::{Access, Context, Cors, HttpError, Principal, ServiceRouter};
use ssdto::{Method, Request, ResponseFormat, Route};
use ssdto_generated::evovoice_xml::{
    router, FlowChannels, GetActiveSessions, GetActiveSessionsResponse, GetSession, ListResponse,
    ListSessions, NewSession, Service, SessionCallState, SessionDirections, SessionInfo,
    SessionLogInfo, SessionMemberCallState, SessionMemberInfo, SessionMemberRoles, SortOrders,
};

/// Page size when a request asks for none.
pub const DEFAULT_PAGE_SIZE: i32 = 25;

/// How long a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A user of the example: credentials, API key, roles and the account it creates sessions in.
pub struct User {
    pub id: &'static str,
    pub name: &'static str,
    pub password: &'static str,
    pub api_key: &'static str,
    pub email: &'static str,
    pub account_id: &'static str,
    pub roles: &'static [&'static str],
}

pub const USERS: [User; 3] = [
    User {
        id: "1",
        name: "demo",
        password: "demo",
        api_key: "demo-token",
        email: "demo@example.com",
        account_id: "acc1",
        roles: &["User"],
    },
    User {
        id: "2",
        name: "guest",
        password: "guest",
        api_key: "guest-token",
        email: "guest@example.com",
        account_id: "acc2",
        roles: &[],
    },
    User {
        id: "3",
        name: "admin",
        password: "admin",
        api_key: "admin-token",
        email: "admin@example.com",
        account_id: "acc1",
        roles: &["Admin"],
    },
];

impl User {
    fn principal(&self) -> Principal {
        Principal::new(self.id, self.name)
            .with_email(self.email)
            .with_roles(self.roles.iter().copied())
    }
}

/// The example's user table behind the auth endpoints.
pub struct Users;

impl UserStore for Users {
    async fn verify(
        &self,
        user_name: &str,
        password: &str,
    ) -> Result<Option<Principal>, HttpError> {
        Ok(USERS
            .iter()
            .find(|u| u.name.eq_ignore_ascii_case(user_name) && u.password == password)
            .map(User::principal))
    }

    async fn by_id(&self, user_id: &str) -> Result<Option<Principal>, HttpError> {
        Ok(USERS.iter().find(|u| u.id == user_id).map(User::principal))
    }

    async fn by_api_key(&self, key: &str) -> Result<Option<Principal>, HttpError> {
        Ok(USERS.iter().find(|u| u.api_key == key).map(User::principal))
    }
}

/// The example's auth: sessions, Basic, API keys, and JWTs signed with `jwt_key`, in the
/// `ss-tok`/`ss-reftok` cookies (ServiceStack's default) or, without `token_cookies`, in
/// response bodies.
pub fn auth(jwt_key: &[u8], token_cookies: bool) -> AuthFeature {
    AuthFeature::new(Users).jwt(Jwt::hs256(jwt_key).use_token_cookie(token_cookies))
}

/// The whole app: the generated router over a seeded store, with `auth` identifying callers
/// and serving the auth endpoints, CORS as ServiceStack's defaults, and a request timeout.
pub fn routes(auth: AuthFeature) -> ServiceRouter<Sessions> {
    router(Arc::new(Sessions::seeded()), auth.clone())
        .auth_endpoints(auth)
        .operation(
            Access::AUTHENTICATED,
            |sessions: Arc<Sessions>, req: GetSessionLog, _| async move {
                sessions.log(&req.session_id)
            },
        )
        .operation(
            Access::AUTHENTICATED,
            |sessions: Arc<Sessions>, req: GetSessionRecording, _| async move {
                sessions.recording(&req.session_id)
            },
        )
        .operation(
            Access {
                required_roles: &["User"],
                ..Access::AUTHENTICATED
            },
            |sessions: Arc<Sessions>, req: UploadSessionFile, context| async move {
                sessions.upload(req, &context)
            },
        )
        .cors(Cors::new())
        .timeout(REQUEST_TIMEOUT)
}

// Operations the contract does not have, written by hand beside the generated ones: a text
// result, a bytes result and an upload, as ServiceStack services return `string`, `byte[]` and
// take `IHttpFile`s.

/// `GET /sessions/{sessionId}/log`: the session's log as text, one line per entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GetSessionLog {
    pub session_id: String,
}

impl Request for GetSessionLog {
    type Response = String;
    const OPERATION: &'static str = "GetSessionLog";
    const METHOD: Method = Method::Get;
    const ROUTES: &'static [Route] = &[Route {
        path: "/sessions/{sessionId}/log",
        verbs: &[Method::Get],
    }];
    const RESPONSE_FORMAT: ResponseFormat = ResponseFormat::Text;
}

/// `GET /sessions/{sessionId}/recording`: the session's recording as raw bytes (the example
/// makes up 256 bytes from the id).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GetSessionRecording {
    pub session_id: String,
}

impl Request for GetSessionRecording {
    type Response = ssdto::Bytes;
    const OPERATION: &'static str = "GetSessionRecording";
    const METHOD: Method = Method::Get;
    const ROUTES: &'static [Route] = &[Route {
        path: "/sessions/{sessionId}/recording",
        verbs: &[Method::Get],
    }];
    const RESPONSE_FORMAT: ResponseFormat = ResponseFormat::Bytes;
}

/// `POST /sessions/{sessionId}/files`: files uploaded as `multipart/form-data`; `file` binds
/// the part named `file`, and every other part is in the context.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UploadSessionFile {
    pub session_id: String,
    pub description: Option<String>,
    pub file: Option<ssdto::HttpFile>,
}

/// What an upload stored: each file's name, type and size.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UploadSessionFileResponse {
    pub session_id: String,
    pub description: Option<String>,
    /// The file name of the part named `file`, which binds to the request's `file` field.
    pub bound_file: Option<String>,
    pub files: Vec<StoredFile>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StoredFile {
    pub field: String,
    pub file_name: String,
    pub content_type: Option<String>,
    pub length: u64,
    /// The first bytes as text, so a client can see what arrived.
    pub head: String,
}

impl Request for UploadSessionFile {
    type Response = UploadSessionFileResponse;
    const OPERATION: &'static str = "UploadSessionFile";
    const METHOD: Method = Method::Post;
    const ROUTES: &'static [Route] = &[Route {
        path: "/sessions/{sessionId}/files",
        verbs: &[Method::Post],
    }];
}

/// The store's account of the caller (the router has already made sure there is one).
fn account(user: &Principal) -> &'static str {
    USERS
        .iter()
        .find(|u| u.id == user.user_id)
        .map_or("acc1", |u| u.account_id)
}

/// A stored session; SessionInfo has no parent, so the store keeps it beside.
#[derive(Debug, Clone)]
struct Stored {
    info: SessionInfo,
    parent_session_id: Option<String>,
}

/// The in-memory store.
#[derive(Debug)]
pub struct Sessions {
    sessions: Mutex<Vec<Stored>>,
}

impl Sessions {
    /// The seed: two accounts, mixed directions, states and dates.
    pub fn seeded() -> Self {
        let seed = [
            // id, account, customer, endpoint, direction, state, ended, created, from, to, log, parent
            (
                "s1",
                "acc1",
                "cust1",
                "ep1",
                SessionDirections::Incoming,
                SessionCallState::Disconnected,
                true,
                "2024-01-05T09:00:00Z",
                "+15550001111",
                "+15559990000",
                "Call answered by Alice",
                None,
            ),
            (
                "s2",
                "acc1",
                "cust1",
                "ep2",
                SessionDirections::Outgoing,
                SessionCallState::Connected,
                false,
                "2024-01-06T10:30:00Z",
                "alice@example.com",
                "+15552223333",
                "Dialing out",
                None,
            ),
            (
                "s3",
                "acc1",
                "cust2",
                "ep1",
                SessionDirections::Incoming,
                SessionCallState::Ringing,
                false,
                "2024-01-07T11:15:00Z",
                "+15554445555",
                "+15559990000",
                "Ringing queue Sales",
                None,
            ),
            (
                "s4",
                "acc2",
                "cust3",
                "ep3",
                SessionDirections::Outgoing,
                SessionCallState::Hold,
                false,
                "2024-01-08T08:45:00Z",
                "bob@example.com",
                "+15556667777",
                "Held for transfer",
                Some("s2"),
            ),
            (
                "s5",
                "acc2",
                "cust3",
                "ep4",
                SessionDirections::Incoming,
                SessionCallState::Disconnected,
                true,
                "2024-02-01T16:00:00Z",
                "+15558889999",
                "+15551112222",
                "Voicemail left",
                None,
            ),
            (
                "s6",
                "acc1",
                "cust2",
                "ep2",
                SessionDirections::Outgoing,
                SessionCallState::Disconnected,
                true,
                "2024-02-10T12:00:00Z",
                "alice@example.com",
                "+15553334444",
                "Call completed",
                Some("s2"),
            ),
            (
                "s7",
                "acc2",
                "cust4",
                "ep3",
                SessionDirections::Incoming,
                SessionCallState::Connected,
                false,
                "2024-03-03T07:20:00Z",
                "+15550002222",
                "+15556667777",
                "Answered by Bob",
                None,
            ),
        ];
        let sessions = seed
            .into_iter()
            .map(
                |(
                    id,
                    account,
                    customer,
                    endpoint,
                    direction,
                    state,
                    ended,
                    created,
                    from,
                    to,
                    log,
                    parent,
                )| Stored {
                    info: SessionInfo {
                        id: Some(id.into()),
                        date_created: Some(created.into()),
                        date_last_modified: Some(created.into()),
                        created_by: Some("seed".into()),
                        account_id: Some(account.into()),
                        account_name: Some(format!("Account {account}")),
                        customer_id: Some(customer.into()),
                        endpoint_id: Some(endpoint.into()),
                        direction,
                        call_state: state,
                        ended,
                        date_completed: ended.then(|| created.to_owned()),
                        from_address: Some(from.into()),
                        to_address: Some(to.into()),
                        channel: FlowChannels::Voice,
                        log: Some(vec![SessionLogInfo {
                            date: Some(created.into()),
                            message: Some(log.into()),
                        }]),
                        ..SessionInfo::default()
                    },
                    parent_session_id: parent.map(str::to_owned),
                },
            )
            .collect();
        Sessions {
            sessions: Mutex::new(sessions),
        }
    }

    fn find(&self, id: &str) -> Result<SessionInfo, HttpError> {
        self.lock()?
            .iter()
            .find(|s| s.info.id.as_deref() == Some(id))
            .map(|s| s.info.clone())
            .ok_or_else(|| HttpError::not_found(format!("Session '{id}' does not exist")))
    }

    fn log(&self, id: &str) -> Result<String, HttpError> {
        let info = self.find(id)?;
        Ok(info
            .log
            .iter()
            .flatten()
            .map(|entry| {
                format!(
                    "{} {}\n",
                    entry.date.as_deref().unwrap_or_default(),
                    entry.message.as_deref().unwrap_or_default()
                )
            })
            .collect())
    }

    fn recording(&self, id: &str) -> Result<ssdto::Bytes, HttpError> {
        self.find(id)?;
        let seed = id.bytes().fold(0u8, |a, b| a.wrapping_add(b));
        Ok(ssdto::Bytes(
            (0..=255u8).map(|i| i.wrapping_mul(31) ^ seed).collect(),
        ))
    }

    fn upload(
        &self,
        req: UploadSessionFile,
        context: &Context,
    ) -> Result<UploadSessionFileResponse, HttpError> {
        self.find(&req.session_id)?;
        if context.files().is_empty() {
            return Err(HttpError::validation(
                "file",
                "NotEmpty",
                "Upload at least one file.",
            ));
        }
        let files = context
            .files()
            .iter()
            .map(|f| {
                // Only the first bytes are read: a large file stays in its temporary file.
                let mut head = Vec::new();
                f.reader()
                    .and_then(|r| r.take(16).read_to_end(&mut head))
                    .map_err(|e| HttpError::internal(format!("the upload cannot be read: {e}")))?;
                Ok(StoredFile {
                    field: f.name.clone(),
                    file_name: f.file_name.clone(),
                    content_type: f.content_type.clone(),
                    length: f.content_length,
                    head: String::from_utf8_lossy(&head).into_owned(),
                })
            })
            .collect::<Result<_, HttpError>>()?;
        Ok(UploadSessionFileResponse {
            session_id: req.session_id,
            description: req.description,
            bound_file: req.file.map(|f| f.file_name),
            files,
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Vec<Stored>>, HttpError> {
        self.sessions
            .lock()
            .map_err(|_| HttpError::internal("the session store is unavailable"))
    }
}

impl Service for Sessions {
    async fn list_sessions(
        &self,
        req: ListSessions,
        _context: Context,
    ) -> Result<ListResponse<SessionInfo>, HttpError> {
        if req.page < 0 {
            return Err(HttpError::validation(
                "page",
                "GreaterThanOrEqual",
                "'Page' must be greater than or equal to '0'.",
            ));
        }
        if req.count_per_page < 0 {
            return Err(HttpError::validation(
                "countPerPage",
                "GreaterThanOrEqual",
                "'Count Per Page' must be greater than or equal to '0'.",
            ));
        }
        let start = date_filter("startDate", req.start_date.as_deref())?;
        let end = date_filter("endDate", req.end_date.as_deref())?;
        let sort_field = match req.sort_field.as_deref().filter(|f| !f.is_empty()) {
            None => "dateCreated",
            Some(f) => SORT_FIELDS
                .iter()
                .find(|known| known.eq_ignore_ascii_case(f))
                .copied()
                .ok_or_else(|| {
                    HttpError::validation(
                        "sortField",
                        "Invalid",
                        format!("'{f}' is not a field sessions can be sorted by."),
                    )
                })?,
        };
        let mut matches: Vec<SessionInfo> = self
            .lock()?
            .iter()
            .filter(|s| {
                let i = &s.info;
                any_of(&req.account_ids, &i.account_id)
                    && any_of(&req.customer_ids, &i.customer_id)
                    && any_of(&req.endpoint_ids, &i.endpoint_id)
                    && any_of(&req.specific_ids, &i.id)
                    && contains(&req.from, [&i.from_address, &i.from_name])
                    && contains(&req.to, [&i.to_address])
                    && req
                        .log
                        .as_deref()
                        .filter(|l| !l.is_empty())
                        .is_none_or(|needle| {
                            i.log.iter().flatten().any(|entry| {
                                entry.message.as_deref().is_some_and(|m| has(m, needle))
                            })
                        })
                    && req
                        .parent_session_id
                        .as_deref()
                        .filter(|p| !p.is_empty())
                        .is_none_or(|p| s.parent_session_id.as_deref() == Some(p))
                    && in_range(i.date_created.as_deref(), start, end)
            })
            .map(|s| s.info.clone())
            .collect();
        sort(&mut matches, sort_field, &req.sort_order);
        Ok(page(matches, &req))
    }

    async fn get_active_sessions(
        &self,
        _req: GetActiveSessions,
        _context: Context,
    ) -> Result<GetActiveSessionsResponse, HttpError> {
        let mut active: Vec<SessionInfo> = self
            .lock()?
            .iter()
            .filter(|s| !s.info.ended)
            .map(|s| s.info.clone())
            .collect();
        sort(&mut active, "dateCreated", &SortOrders::Ascend);
        Ok(GetActiveSessionsResponse {
            sessions: Some(active),
        })
    }

    async fn get_session(
        &self,
        req: GetSession,
        _context: Context,
    ) -> Result<SessionInfo, HttpError> {
        if req.session_id.trim().is_empty() {
            return Err(HttpError::validation(
                "sessionId",
                "NotEmpty",
                "'Session Id' must not be empty.",
            ));
        }
        self.lock()?
            .iter()
            .find(|s| s.info.id.as_deref() == Some(req.session_id.as_str()))
            .map(|s| s.info.clone())
            .ok_or_else(|| {
                HttpError::not_found(format!("Session '{}' does not exist", req.session_id))
            })
    }

    async fn new_session(
        &self,
        req: NewSession,
        context: Context,
    ) -> Result<SessionInfo, HttpError> {
        let user = context.require_principal()?;
        let account_id = account(user);
        let email = user.email.clone().unwrap_or_default();
        let mut errors = Vec::new();
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        match &req.channel {
            FlowChannels::Voice | FlowChannels::Fax => {
                if blank(&req.to_address) && blank(&req.destination) {
                    errors.push(field_error(
                        "toAddress",
                        "NotEmpty",
                        "'To Address' must not be empty.",
                    ));
                }
            }
            FlowChannels::Chat => {
                if blank(&req.with_address) {
                    errors.push(field_error(
                        "withAddress",
                        "NotEmpty",
                        "'With Address' must not be empty.",
                    ));
                }
            }
            FlowChannels::Unknown(other) => errors.push(field_error(
                "channel",
                "Enum",
                format!("'Channel' has a range of values which does not include '{other}'."),
            )),
        }
        if let Some(SessionDirections::Unknown(other)) = &req.direction {
            errors.push(field_error(
                "direction",
                "Enum",
                format!("'Direction' has a range of values which does not include '{other}'."),
            ));
        }
        if let Some(SessionCallState::Unknown(other)) = &req.call_state {
            errors.push(field_error(
                "callState",
                "Enum",
                format!("'Call State' has a range of values which does not include '{other}'."),
            ));
        }
        let mut sessions = self.lock()?;
        if let Some(parent) = req.parent_session_id.as_deref().filter(|p| !p.is_empty()) {
            if !sessions
                .iter()
                .any(|s| s.info.id.as_deref() == Some(parent))
            {
                errors.push(field_error(
                    "parentSessionId",
                    "NotFound",
                    format!("Session '{parent}' does not exist."),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(HttpError::validation_errors(errors));
        }
        let now = now_iso8601();
        let id = format!("s{}", sessions.len() + 1);
        let from_address = req
            .from_address
            .clone()
            .filter(|f| !f.is_empty())
            .unwrap_or(email);
        let info = SessionInfo {
            id: Some(id),
            date_created: Some(now.clone()),
            date_last_modified: Some(now.clone()),
            created_by: Some(user.user_name.clone()),
            last_modified_by: Some(user.user_name.clone()),
            account_id: Some(account_id.to_owned()),
            account_name: Some(format!("Account {account_id}")),
            customer_id: req.customer_id.clone(),
            display_name: req.display_name.clone(),
            channel: req.channel.clone(),
            direction: req.direction.clone().unwrap_or(SessionDirections::Outgoing),
            call_state: req
                .call_state
                .clone()
                .unwrap_or(SessionCallState::Connected),
            from_address: Some(from_address),
            from_name: req.from_name.clone(),
            to_address: req.to_address.clone().or_else(|| req.destination.clone()),
            destination: req.destination.clone(),
            from_phone_number: req.from_phone_number.clone(),
            log: Some(vec![SessionLogInfo {
                date: Some(now),
                message: Some("Session created".into()),
            }]),
            members: Some(
                req.member_email_addresses
                    .iter()
                    .flatten()
                    .map(|email| SessionMemberInfo {
                        identity: Some(email.clone()),
                        display_name: Some(email.clone()),
                        call_state: SessionMemberCallState::None,
                        role: SessionMemberRoles::Agent,
                        ..SessionMemberInfo::default()
                    })
                    .collect(),
            ),
            ..SessionInfo::default()
        };
        sessions.push(Stored {
            info: info.clone(),
            parent_session_id: req.parent_session_id.clone().filter(|p| !p.is_empty()),
        });
        Ok(info)
    }
}

/// SessionInfo wire names ListSessions sorts by.
const SORT_FIELDS: [&str; 16] = [
    "id",
    "dateCreated",
    "dateLastModified",
    "dateCompleted",
    "accountId",
    "accountName",
    "customerId",
    "endpointId",
    "fromAddress",
    "fromName",
    "toAddress",
    "displayName",
    "callState",
    "direction",
    "channel",
    "ended",
];

fn field_error(field: &str, code: &str, message: impl Into<String>) -> ssdto::ResponseError {
    ssdto::ResponseError {
        error_code: Some(code.into()),
        field_name: Some(field.into()),
        message: Some(message.into()),
        meta: None,
    }
}

fn has(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// Whether `value` is one of `wanted`; no list (or an empty one) means no filter.
fn any_of(wanted: &Option<Vec<String>>, value: &Option<String>) -> bool {
    match wanted.as_deref() {
        None | Some([]) => true,
        Some(list) => value.as_ref().is_some_and(|v| list.contains(v)),
    }
}

/// A contains search over some fields; no needle means no filter.
fn contains<const N: usize>(needle: &Option<String>, fields: [&Option<String>; N]) -> bool {
    match needle.as_deref().filter(|n| !n.is_empty()) {
        None => true,
        Some(n) => fields
            .iter()
            .any(|f| f.as_deref().is_some_and(|v| has(v, n))),
    }
}

/// A `YYYY-MM-DD` filter value, or a 400 naming the field.
fn date_filter<'a>(field: &str, value: Option<&'a str>) -> Result<Option<&'a str>, HttpError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let b = value.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if shaped {
        Ok(Some(value))
    } else {
        Err(HttpError::validation(
            field,
            "Format",
            format!("'{value}' is not a date in the form YYYY-MM-DD."),
        ))
    }
}

/// Whether the day of an ISO 8601 date is within `[start, end]`, both inclusive.
fn in_range(date: Option<&str>, start: Option<&str>, end: Option<&str>) -> bool {
    if start.is_none() && end.is_none() {
        return true;
    }
    let Some(day) = date.and_then(|d| d.get(..10)) else {
        return false;
    };
    start.is_none_or(|s| day >= s) && end.is_none_or(|e| day <= e)
}

/// Sorts by a SessionInfo wire name, comparing the JSON values (absent first).
fn sort(sessions: &mut [SessionInfo], field: &str, order: &SortOrders) {
    let key = |s: &SessionInfo| -> serde_json::Value {
        serde_json::to_value(s)
            .ok()
            .and_then(|v| v.get(field).cloned())
            .unwrap_or(serde_json::Value::Null)
    };
    let mut keyed: Vec<(serde_json::Value, SessionInfo)> =
        sessions.iter().map(|s| (key(s), s.clone())).collect();
    keyed.sort_by(|(a, _), (b, _)| {
        let ord = compare(a, b);
        if matches!(order, SortOrders::Descend) {
            ord.reverse()
        } else {
            ord
        }
    });
    for (slot, (_, s)) in sessions.iter_mut().zip(keyed) {
        *slot = s;
    }
}

fn compare(a: &serde_json::Value, b: &serde_json::Value) -> Ordering {
    use serde_json::Value::*;
    match (a, b) {
        (Null, Null) => Ordering::Equal,
        (Null, _) => Ordering::Less,
        (_, Null) => Ordering::Greater,
        (Bool(x), Bool(y)) => x.cmp(y),
        (Number(x), Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (String(x), String(y)) => x.cmp(y),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

fn page(matches: Vec<SessionInfo>, req: &ListSessions) -> ListResponse<SessionInfo> {
    let total = matches.len();
    let per_page = if req.all {
        total.max(1)
    } else if req.count_per_page > 0 {
        req.count_per_page as usize
    } else {
        DEFAULT_PAGE_SIZE as usize
    };
    let page = if req.all { 0 } else { req.page as usize };
    let start = page.saturating_mul(per_page);
    let items: Vec<SessionInfo> = matches.into_iter().skip(start).take(per_page).collect();
    let has_more_pages = start.saturating_add(per_page) < total;
    let (total_count, total_pages) = if req.simplified_paging {
        (0, 0)
    } else {
        (total, total.div_ceil(per_page))
    };
    ListResponse {
        items: Some(items),
        total_count: i32::try_from(total_count).unwrap_or(i32::MAX),
        total_pages: i32::try_from(total_pages).unwrap_or(i32::MAX),
        has_more_pages,
    }
}

/// Now as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds), from the system clock.
fn now_iso8601() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(secs)
        .ok()
        .and_then(|secs| ssdto::wire::DateTime::from_unix(secs, 0, Some(0)).ok())
        .unwrap_or_default()
        .to_string()
}
