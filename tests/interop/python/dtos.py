""" Options:
Version: 8.x (format of ServiceStack's /types/python; see the note below)
Tip: To override a DTO option, remove "#" prefix before updating
BaseUrl: https://evovoice.io

#GlobalNamespace: 
#AddServiceStackTypes: True
#AddResponseStatus: False
#AddImplicitVersion: 
#AddDescriptionAsComments: True
#IncludeTypes: ListSessions,GetActiveSessions,GetSession,NewSession
#ExcludeTypes: 
#DefaultImports: datetime,decimal,marshmallow.fields:*,servicestack:*,typing:*,dataclasses:dataclass/field,dataclasses_json:dataclass_json/LetterCase/Undefined/config,enum:Enum/IntEnum
#DataClass: 
#DataClassJson: 
"""
# Note (ssdto interop suite): written by hand in the exact shape ServiceStack's Python generator
# emits for the Evo Voice Sessions API (compare the Evo Voice doc page in shared/seeds), so that the
# official `servicestack` client is exercised the way a real Python user would call it. Verb markers
# (IGet on ListRequest/GetSession, IPost on NewSession, none on GetActiveSessions) follow the real API.

import datetime
import decimal
from marshmallow.fields import *
from servicestack import *
from typing import *
from dataclasses import dataclass, field
from dataclasses_json import dataclass_json, LetterCase, Undefined, config
from enum import Enum, IntEnum


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class EntityInfo:
    # @ApiMember(Description="The ID of the object")
    id: Optional[str] = None
    """
    The ID of the object
    """


    # @ApiMember(Description="The date the object was created")
    date_created: Optional[str] = None
    """
    The date the object was created
    """


    # @ApiMember(Description="The date the object was last modified")
    date_last_modified: Optional[str] = None
    """
    The date the object was last modified
    """


    # @ApiMember(Description="The user that created this object")
    created_by: Optional[str] = None
    """
    The user that created this object
    """


    # @ApiMember(Description="The user that last modified this object")
    last_modified_by: Optional[str] = None
    """
    The user that last modified this object
    """


class SessionDialState(str, Enum):
    NONE = 'None'
    ACTIVE = 'Active'


class SessionCallState(str, Enum):
    DISCONNECTED = 'Disconnected'
    RINGING = 'Ringing'
    CONNECTED = 'Connected'
    HOLD = 'Hold'
    PASSIVE = 'Passive'


class SessionQueueStates(str, Enum):
    NONE = 'None'
    QUEUED = 'Queued'
    RINGING = 'Ringing'
    CONNECTED = 'Connected'
    HOLD = 'Hold'
    DISCONNECTED = 'Disconnected'


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class CustomerBreadcrumb:
    id: Optional[str] = None
    name: Optional[str] = None


class FlowChannels(str, Enum):
    VOICE = 'Voice'
    CHAT = 'Chat'
    FAX = 'Fax'


class SessionHoldReasons(str, Enum):
    NONE = 'None'
    TRANSFERRING = 'Transferring'


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class SessionLogInfo:
    date: Optional[str] = None
    message: Optional[str] = None


class SessionMemberCallState(str, Enum):
    NONE = 'None'
    RINGING = 'Ringing'
    CONNECTED = 'Connected'
    HOLD = 'Hold'


class SessionMemberRoles(str, Enum):
    NONE = 'None'
    CALLER = 'Caller'
    AGENT = 'Agent'
    TRANSFER = 'Transfer'


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class SessionMemberInfo:
    identity: Optional[str] = None
    endpoint_id: Optional[str] = None
    display_name: Optional[str] = None
    is_original_member: Optional[bool] = None
    avatar_url: Optional[str] = None
    application_data: Optional[Dict[str, str]] = None
    call_state: Optional[SessionMemberCallState] = None
    role: Optional[SessionMemberRoles] = None
    call_sid: Optional[str] = None
    muted: Optional[bool] = None


class SessionDirections(str, Enum):
    INCOMING = 'Incoming'
    OUTGOING = 'Outgoing'


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class SessionInfo(EntityInfo):
    # @ApiMember(Description="The state of the session")
    dial_state: Optional[SessionDialState] = None
    """
    The state of the session
    """


    # @ApiMember(Description="The call state of the session")
    call_state: Optional[SessionCallState] = None
    """
    The call state of the session
    """


    # @ApiMember(Description="The queue state of the session")
    queue_state: Optional[SessionQueueStates] = None
    """
    The queue state of the session
    """


    # @ApiMember(Description="The ID of the account associated with the flow")
    account_id: Optional[str] = None
    """
    The ID of the account associated with the flow
    """


    # @ApiMember(Description="The name of the account associated with the session")
    account_name: Optional[str] = None
    """
    The name of the account associated with the session
    """


    # @ApiMember(Description="The ID of the customer this session is associated with")
    customer_id: Optional[str] = None
    """
    The ID of the customer this session is associated with
    """


    # @ApiMember(Description="The customer breadcrumb this session is associated with")
    customer_breadcrumb: Optional[List[CustomerBreadcrumb]] = None
    """
    The customer breadcrumb this session is associated with
    """


    # @ApiMember(Description="The name of the customer this session is associated with")
    customer_name: Optional[str] = None
    """
    The name of the customer this session is associated with
    """


    # @ApiMember(Description="The ID of the endpoint associated with this session")
    endpoint_id: Optional[str] = None
    """
    The ID of the endpoint associated with this session
    """


    # @ApiMember(Description="The name of the endpoint associated with this session")
    endpoint_name: Optional[str] = None
    """
    The name of the endpoint associated with this session
    """


    # @ApiMember(Description="The date the call completed")
    date_completed: Optional[str] = None
    """
    The date the call completed
    """


    # @ApiMember(Description="The destination of the session (e.g. what was entered into the Dial box)")
    destination: Optional[str] = None
    """
    The destination of the session (e.g. what was entered into the Dial box)
    """


    # @ApiMember(Description="The to address if any")
    to_address: Optional[str] = None
    """
    The to address if any
    """


    # @ApiMember(Description="The from address if any")
    from_address: Optional[str] = None
    """
    The from address if any
    """


    # @ApiMember(Description="The from name if any")
    from_name: Optional[str] = None
    """
    The from name if any
    """


    # @ApiMember(Description="Answered by name (if any)")
    answered_by_name: Optional[str] = None
    """
    Answered by name (if any)
    """


    # @ApiMember(Description="The ID of the queue member assigned to this call")
    queue_member_id: Optional[str] = None
    """
    The ID of the queue member assigned to this call
    """


    # @ApiMember(Description="The flow channel")
    channel: Optional[FlowChannels] = None
    """
    The flow channel
    """


    # @ApiMember(Description="Has the session ended")
    ended: Optional[bool] = None
    """
    Has the session ended
    """


    # @ApiMember(Description="The outcome of the call")
    outcome: Optional[str] = None
    """
    The outcome of the call
    """


    # @ApiMember(Description="The twilio Call SID of this session")
    call_sid: Optional[str] = None
    """
    The twilio Call SID of this session
    """


    # @ApiMember(Description="Any console data for this session")
    console_data: Optional[str] = None
    """
    Any console data for this session
    """


    # @ApiMember(Description="The name of the hold queue for this call")
    hold_queue_name: Optional[str] = None
    """
    The name of the hold queue for this call
    """


    # @ApiMember(Description="The user ID who put this call on hold")
    held_by_user_id: Optional[str] = None
    """
    The user ID who put this call on hold
    """


    # @ApiMember(Description="The reason for the hold")
    hold_reason: Optional[SessionHoldReasons] = None
    """
    The reason for the hold
    """


    # @ApiMember(Description="The SID of the conference if in a conference call")
    conference_sid: Optional[str] = None
    """
    The SID of the conference if in a conference call
    """


    # @ApiMember(Description="The display name for this session")
    display_name: Optional[str] = None
    """
    The display name for this session
    """


    # @ApiMember(Description="The log entries for this session")
    log: Optional[List[SessionLogInfo]] = None
    """
    The log entries for this session
    """


    # @ApiMember(Description="The members of this session")
    members: Optional[List[SessionMemberInfo]] = None
    """
    The members of this session
    """


    # @ApiMember(Description="The callback number (typically used for SIP to User calls)")
    callback_number: Optional[str] = None
    """
    The callback number (typically used for SIP to User calls)
    """


    # @ApiMember(Description="The ID of the endpoint that answered")
    answered_by_id: Optional[str] = None
    """
    The ID of the endpoint that answered
    """


    # @ApiMember(Description="Is this session incoming or outgoing?")
    direction: Optional[SessionDirections] = None
    """
    Is this session incoming or outgoing?
    """


    # @ApiMember(Description="The phone number that this session is coming from (used with SMS chats)")
    from_phone_number: Optional[str] = None
    """
    The phone number that this session is coming from (used with SMS chats)
    """


    # @ApiMember(Description="The Call SID of the most recently added conference participant")
    most_recent_participant_call_sid: Optional[str] = None
    """
    The Call SID of the most recently added conference participant
    """


    # @ApiMember(Description="Was this session missed?")
    was_missed: Optional[bool] = None
    """
    Was this session missed?
    """


    # @ApiMember(Description="The ring queue that the call is currently in")
    ring_queue_id: Optional[str] = None
    """
    The ring queue that the call is currently in
    """


class SortOrders(str, Enum):
    ASCEND = 'Ascend'
    DESCEND = 'Descend'


T = TypeVar('T')


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class ListRequest(Generic[T], IGet):
    # @ApiMember(Description="The page of data to retrieve")
    page: Optional[int] = None
    """
    The page of data to retrieve
    """


    # @ApiMember(Description="If you want all objects to be returned. This should be used with care")
    all: Optional[bool] = None
    """
    If you want all objects to be returned. This should be used with care
    """


    # @ApiMember(Description="The number per page to retrieve")
    count_per_page: Optional[int] = None
    """
    The number per page to retrieve
    """


    # @ApiMember(Description="Specific IDs")
    specific_ids: Optional[List[str]] = None
    """
    Specific IDs
    """


    # @ApiMember(Description="Specify a sort field")
    sort_field: Optional[str] = None
    """
    Specify a sort field
    """


    # @ApiMember(Description="Specify a sort order")
    sort_order: Optional[SortOrders] = None
    """
    Specify a sort order
    """


    # @ApiMember(Description="Disables total / page counts - improves performance. Returns only data. If there is no more data, Items will be empty array")
    simplified_paging: Optional[bool] = None
    """
    Disables total / page counts - improves performance. Returns only data. If there is no more data, Items will be empty array
    """


T = TypeVar('T')


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class ListResponse(Generic[T]):
    # @ApiMember(Description="The items")
    items: Optional[List[T]] = None
    """
    The items
    """


    # @ApiMember(Description="The total number of items")
    total_count: Optional[int] = None
    """
    The total number of items
    """


    # @ApiMember(Description="The total number of pages")
    total_pages: Optional[int] = None
    """
    The total number of pages
    """


    # @ApiMember(Description="Are there more pages of items? Used with simplified paging")
    has_more_pages: Optional[bool] = None
    """
    Are there more pages of items? Used with simplified paging
    """


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class GetActiveSessionsResponse:
    sessions: Optional[List[SessionInfo]] = None


# @Route("/sessions", "GET")
# @Api(Description="Retrieve a list of sessions")
@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class ListSessions(ListRequest[SessionInfo], IReturn[ListResponse[SessionInfo]]):
    """
    Retrieve a list of sessions
    """

    # @ApiMember(Description="The account IDs for the sessions to retrieve")
    account_ids: Optional[List[str]] = None
    """
    The account IDs for the sessions to retrieve
    """


    # @ApiMember(Description="Whether to search live or archived sessions")
    search_archive: Optional[bool] = None
    """
    Whether to search live or archived sessions
    """


    # @ApiMember(Description="The start date to retrieve usage records for (YYYY-MM-DD)")
    start_date: Optional[str] = None
    """
    The start date to retrieve usage records for (YYYY-MM-DD)
    """


    # @ApiMember(Description="The end date to retrieve usage records for (YYYY-MM-DD)")
    end_date: Optional[str] = None
    """
    The end date to retrieve usage records for (YYYY-MM-DD)
    """


    # @ApiMember(Description="The IDs of the customers whose sessions you want to retrieve")
    customer_ids: Optional[List[str]] = None
    """
    The IDs of the customers whose sessions you want to retrieve
    """


    # @ApiMember(Description="The IDs of the endpoints whose sessions you want to retrieve")
    endpoint_ids: Optional[List[str]] = None
    """
    The IDs of the endpoints whose sessions you want to retrieve
    """


    # @ApiMember(Description="Filter by the from  (this is a contains search)")
    from_: Optional[str] = field(metadata=config(field_name='from'), default=None)
    """
    Filter by the from  (this is a contains search)
    """


    # @ApiMember(Description="Filter by the to  (this is a contains search)")
    to: Optional[str] = None
    """
    Filter by the to  (this is a contains search)
    """


    # @ApiMember(Description="Filter by text in the log")
    log: Optional[str] = None
    """
    Filter by text in the log
    """


    # @ApiMember(Description="Filter by parent session ID")
    parent_session_id: Optional[str] = None
    """
    Filter by parent session ID
    """


# @Route("/sessions/active", "GET")
# @Api(Description="Get your active sessions. Will eventually replace GetMySessions")
@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class GetActiveSessions(IReturn[GetActiveSessionsResponse]):
    """
    Get your active sessions. Will eventually replace GetMySessions
    """

    pass


# @Route("/sessions/{sessionId}", "GET")
# @Api(Description="Get the specified session")
@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class GetSession(IReturn[SessionInfo], IGet):
    """
    Get the specified session
    """

    # @ApiMember(Description="The ID of the session to retrieve")
    session_id: Optional[str] = None
    """
    The ID of the session to retrieve
    """


# @Route("/sessions", "POST")
# @Api(Description="Create a new session")
@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class NewSession(IReturn[SessionInfo], IPost):
    """
    Create a new session
    """

    # @ApiMember(Description="A display name for this session")
    display_name: Optional[str] = None
    """
    A display name for this session
    """


    # @ApiMember(Description="The type of session")
    channel: Optional[FlowChannels] = None
    """
    The type of session
    """


    # @ApiMember(Description="The session direction (defaults to Outgoing)")
    direction: Optional[SessionDirections] = None
    """
    The session direction (defaults to Outgoing)
    """


    # @ApiMember(Description="The current session call state (defaults to Connected)")
    call_state: Optional[SessionCallState] = None
    """
    The current session call state (defaults to Connected)
    """


    # @ApiMember(Description="The From address for the session (defaults to user's email)")
    from_address: Optional[str] = None
    """
    The From address for the session (defaults to user's email)
    """


    # @ApiMember(Description="The From name for the session")
    from_name: Optional[str] = None
    """
    The From name for the session
    """


    # @ApiMember(Description="The To address for the session")
    to_address: Optional[str] = None
    """
    The To address for the session
    """


    # @ApiMember(Description="Parent session (e.g. for billing purposes)")
    parent_session_id: Optional[str] = None
    """
    Parent session (e.g. for billing purposes)
    """


    # @ApiMember(Description="Specify a customer to associate with this session")
    customer_id: Optional[str] = None
    """
    Specify a customer to associate with this session
    """


    # @ApiMember(Description="Start a chat session with a specified user/team (e.g. user:userid or team:teamid)")
    with_address: Optional[str] = None
    """
    Start a chat session with a specified user/team (e.g. user:userid or team:teamid)
    """


    # @ApiMember(Description="Use the specified caller ID (if dialing out)")
    from_phone_number: Optional[str] = None
    """
    Use the specified caller ID (if dialing out)
    """


    # @ApiMember(Description="The dialed destination value")
    destination: Optional[str] = None
    """
    The dialed destination value
    """


    # @ApiMember(Description="User email addresses to add as members")
    member_email_addresses: Optional[List[str]] = None
    """
    User email addresses to add as members
    """


    # @ApiMember(Description="Start the session's flow?")
    start_session: Optional[bool] = None
    """
    Start the session's flow?
    """


# Operations the example server adds beside the contract's (see its app.rs), as /types/python
# would write them: a `string` result, a `byte[]` result and an upload, plus ServiceStack's own
# Authenticate and GetAccessToken, which the servicestack package provides.


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class GetSessionLog(IReturn[str], IGet):
    session_id: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class GetSessionRecording(IReturn[bytes], IGet):
    session_id: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class StoredFile:
    field: Optional[str] = None
    file_name: Optional[str] = None
    content_type: Optional[str] = None
    length: int = 0
    head: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class UploadSessionFileResponse:
    session_id: Optional[str] = None
    description: Optional[str] = None
    bound_file: Optional[str] = None
    files: Optional[List[StoredFile]] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class UploadSessionFile(IReturn[UploadSessionFileResponse], IPost):
    session_id: Optional[str] = None
    description: Optional[str] = None
