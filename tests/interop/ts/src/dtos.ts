/* Options:
Version: 8.x (format of ServiceStack's /types/typescript; see the note below)
Tip: To override a DTO option, remove "//" prefix before updating
BaseUrl: https://evovoice.io

//GlobalNamespace: 
//MakePropertiesOptional: True
//AddServiceStackTypes: True
//AddResponseStatus: False
//AddImplicitVersion: 
//AddDescriptionAsComments: True
//IncludeTypes: ListSessions,GetActiveSessions,GetSession,NewSession
//ExcludeTypes: 
//DefaultImports: 
*/

// Note (ssdto interop suite): written by hand in the shape ServiceStack's TypeScript generator emits
// for the Evo Voice Sessions API (compare the Evo Voice doc page in shared/seeds), so that the official
// `@servicestack/client` is exercised the way a real TypeScript user would call it.

export interface IReturn<T>
{
    createResponse(): T;
}

export interface IReturnVoid
{
    createResponse(): void;
}

export interface IGet {}
export interface IPost {}

export class EntityInfo
{
    /** @description The ID of the object */
    // @ApiMember(Description="The ID of the object")
    public id?: string;

    /** @description The date the object was created */
    // @ApiMember(Description="The date the object was created")
    public dateCreated?: string;

    /** @description The date the object was last modified */
    // @ApiMember(Description="The date the object was last modified")
    public dateLastModified?: string;

    /** @description The user that created this object */
    // @ApiMember(Description="The user that created this object")
    public createdBy?: string;

    /** @description The user that last modified this object */
    // @ApiMember(Description="The user that last modified this object")
    public lastModifiedBy?: string;

    public constructor(init?: Partial<EntityInfo>) { (Object as any).assign(this, init); }
}

export enum SessionDialState
{
    None = 'None',
    Active = 'Active',
}

export enum SessionCallState
{
    Disconnected = 'Disconnected',
    Ringing = 'Ringing',
    Connected = 'Connected',
    Hold = 'Hold',
    Passive = 'Passive',
}

export enum SessionQueueStates
{
    None = 'None',
    Queued = 'Queued',
    Ringing = 'Ringing',
    Connected = 'Connected',
    Hold = 'Hold',
    Disconnected = 'Disconnected',
}

export class CustomerBreadcrumb
{
    public id?: string;
    public name?: string;

    public constructor(init?: Partial<CustomerBreadcrumb>) { (Object as any).assign(this, init); }
}

export enum FlowChannels
{
    Voice = 'Voice',
    Chat = 'Chat',
    Fax = 'Fax',
}

export enum SessionHoldReasons
{
    None = 'None',
    Transferring = 'Transferring',
}

export class SessionLogInfo
{
    public date?: string;
    public message?: string;

    public constructor(init?: Partial<SessionLogInfo>) { (Object as any).assign(this, init); }
}

export enum SessionMemberCallState
{
    None = 'None',
    Ringing = 'Ringing',
    Connected = 'Connected',
    Hold = 'Hold',
}

export enum SessionMemberRoles
{
    None = 'None',
    Caller = 'Caller',
    Agent = 'Agent',
    Transfer = 'Transfer',
}

export class SessionMemberInfo
{
    public identity?: string;
    public endpointId?: string;
    public displayName?: string;
    public isOriginalMember?: boolean;
    public avatarUrl?: string;
    public applicationData?: { [index:string]: string; };
    public callState?: SessionMemberCallState;
    public role?: SessionMemberRoles;
    public callSid?: string;
    public muted?: boolean;

    public constructor(init?: Partial<SessionMemberInfo>) { (Object as any).assign(this, init); }
}

export enum SessionDirections
{
    Incoming = 'Incoming',
    Outgoing = 'Outgoing',
}

export class SessionInfo extends EntityInfo
{
    /** @description The state of the session */
    // @ApiMember(Description="The state of the session")
    public dialState?: SessionDialState;

    /** @description The call state of the session */
    // @ApiMember(Description="The call state of the session")
    public callState?: SessionCallState;

    /** @description The queue state of the session */
    // @ApiMember(Description="The queue state of the session")
    public queueState?: SessionQueueStates;

    /** @description The ID of the account associated with the flow */
    // @ApiMember(Description="The ID of the account associated with the flow")
    public accountId?: string;

    /** @description The name of the account associated with the session */
    // @ApiMember(Description="The name of the account associated with the session")
    public accountName?: string;

    /** @description The ID of the customer this session is associated with */
    // @ApiMember(Description="The ID of the customer this session is associated with")
    public customerId?: string;

    /** @description The customer breadcrumb this session is associated with */
    // @ApiMember(Description="The customer breadcrumb this session is associated with")
    public customerBreadcrumb?: CustomerBreadcrumb[];

    /** @description The name of the customer this session is associated with */
    // @ApiMember(Description="The name of the customer this session is associated with")
    public customerName?: string;

    /** @description The ID of the endpoint associated with this session */
    // @ApiMember(Description="The ID of the endpoint associated with this session")
    public endpointId?: string;

    /** @description The name of the endpoint associated with this session */
    // @ApiMember(Description="The name of the endpoint associated with this session")
    public endpointName?: string;

    /** @description The date the call completed */
    // @ApiMember(Description="The date the call completed")
    public dateCompleted?: string;

    /** @description The destination of the session (e.g. what was entered into the Dial box) */
    // @ApiMember(Description="The destination of the session (e.g. what was entered into the Dial box)")
    public destination?: string;

    /** @description The to address if any */
    // @ApiMember(Description="The to address if any")
    public toAddress?: string;

    /** @description The from address if any */
    // @ApiMember(Description="The from address if any")
    public fromAddress?: string;

    /** @description The from name if any */
    // @ApiMember(Description="The from name if any")
    public fromName?: string;

    /** @description Answered by name (if any) */
    // @ApiMember(Description="Answered by name (if any)")
    public answeredByName?: string;

    /** @description The ID of the queue member assigned to this call */
    // @ApiMember(Description="The ID of the queue member assigned to this call")
    public queueMemberId?: string;

    /** @description The flow channel */
    // @ApiMember(Description="The flow channel")
    public channel?: FlowChannels;

    /** @description Has the session ended */
    // @ApiMember(Description="Has the session ended")
    public ended?: boolean;

    /** @description The outcome of the call */
    // @ApiMember(Description="The outcome of the call")
    public outcome?: string;

    /** @description The twilio Call SID of this session */
    // @ApiMember(Description="The twilio Call SID of this session")
    public callSid?: string;

    /** @description Any console data for this session */
    // @ApiMember(Description="Any console data for this session")
    public consoleData?: string;

    /** @description The name of the hold queue for this call */
    // @ApiMember(Description="The name of the hold queue for this call")
    public holdQueueName?: string;

    /** @description The user ID who put this call on hold */
    // @ApiMember(Description="The user ID who put this call on hold")
    public heldByUserId?: string;

    /** @description The reason for the hold */
    // @ApiMember(Description="The reason for the hold")
    public holdReason?: SessionHoldReasons;

    /** @description The SID of the conference if in a conference call */
    // @ApiMember(Description="The SID of the conference if in a conference call")
    public conferenceSid?: string;

    /** @description The display name for this session */
    // @ApiMember(Description="The display name for this session")
    public displayName?: string;

    /** @description The log entries for this session */
    // @ApiMember(Description="The log entries for this session")
    public log?: SessionLogInfo[];

    /** @description The members of this session */
    // @ApiMember(Description="The members of this session")
    public members?: SessionMemberInfo[];

    /** @description The callback number (typically used for SIP to User calls) */
    // @ApiMember(Description="The callback number (typically used for SIP to User calls)")
    public callbackNumber?: string;

    /** @description The ID of the endpoint that answered */
    // @ApiMember(Description="The ID of the endpoint that answered")
    public answeredById?: string;

    /** @description Is this session incoming or outgoing? */
    // @ApiMember(Description="Is this session incoming or outgoing?")
    public direction?: SessionDirections;

    /** @description The phone number that this session is coming from (used with SMS chats) */
    // @ApiMember(Description="The phone number that this session is coming from (used with SMS chats)")
    public fromPhoneNumber?: string;

    /** @description The Call SID of the most recently added conference participant */
    // @ApiMember(Description="The Call SID of the most recently added conference participant")
    public mostRecentParticipantCallSid?: string;

    /** @description Was this session missed? */
    // @ApiMember(Description="Was this session missed?")
    public wasMissed?: boolean;

    /** @description The ring queue that the call is currently in */
    // @ApiMember(Description="The ring queue that the call is currently in")
    public ringQueueId?: string;

    public constructor(init?: Partial<SessionInfo>) { super(init); (Object as any).assign(this, init); }
}

export enum SortOrders
{
    Ascend = 'Ascend',
    Descend = 'Descend',
}

export class ListRequest<T> implements IGet
{
    /** @description The page of data to retrieve */
    // @ApiMember(Description="The page of data to retrieve")
    public page?: number;

    /** @description If you want all objects to be returned. This should be used with care */
    // @ApiMember(Description="If you want all objects to be returned. This should be used with care")
    public all?: boolean;

    /** @description The number per page to retrieve */
    // @ApiMember(Description="The number per page to retrieve")
    public countPerPage?: number;

    /** @description Specific IDs */
    // @ApiMember(Description="Specific IDs")
    public specificIds?: string[];

    /** @description Specify a sort field */
    // @ApiMember(Description="Specify a sort field")
    public sortField?: string;

    /** @description Specify a sort order */
    // @ApiMember(Description="Specify a sort order")
    public sortOrder?: SortOrders;

    /** @description Disables total / page counts - improves performance. Returns only data. If there is no more data, Items will be empty array */
    // @ApiMember(Description="Disables total / page counts - improves performance. Returns only data. If there is no more data, Items will be empty array")
    public simplifiedPaging?: boolean;

    public constructor(init?: Partial<ListRequest<T>>) { (Object as any).assign(this, init); }
}

export class ListResponse<T>
{
    /** @description The items */
    // @ApiMember(Description="The items")
    public items?: T[];

    /** @description The total number of items */
    // @ApiMember(Description="The total number of items")
    public totalCount?: number;

    /** @description The total number of pages */
    // @ApiMember(Description="The total number of pages")
    public totalPages?: number;

    /** @description Are there more pages of items? Used with simplified paging */
    // @ApiMember(Description="Are there more pages of items? Used with simplified paging")
    public hasMorePages?: boolean;

    public constructor(init?: Partial<ListResponse<T>>) { (Object as any).assign(this, init); }
}

export class GetActiveSessionsResponse
{
    public sessions?: SessionInfo[];

    public constructor(init?: Partial<GetActiveSessionsResponse>) { (Object as any).assign(this, init); }
}

// @Route("/sessions", "GET")
/** @description Retrieve a list of sessions */
// @Api(Description="Retrieve a list of sessions")
export class ListSessions extends ListRequest<SessionInfo> implements IReturn<ListResponse<SessionInfo>>
{
    /** @description The account IDs for the sessions to retrieve */
    // @ApiMember(Description="The account IDs for the sessions to retrieve")
    public accountIds?: string[];

    /** @description Whether to search live or archived sessions */
    // @ApiMember(Description="Whether to search live or archived sessions")
    public searchArchive?: boolean;

    /** @description The start date to retrieve usage records for (YYYY-MM-DD) */
    // @ApiMember(Description="The start date to retrieve usage records for (YYYY-MM-DD)")
    public startDate?: string;

    /** @description The end date to retrieve usage records for (YYYY-MM-DD) */
    // @ApiMember(Description="The end date to retrieve usage records for (YYYY-MM-DD)")
    public endDate?: string;

    /** @description The IDs of the customers whose sessions you want to retrieve */
    // @ApiMember(Description="The IDs of the customers whose sessions you want to retrieve")
    public customerIds?: string[];

    /** @description The IDs of the endpoints whose sessions you want to retrieve */
    // @ApiMember(Description="The IDs of the endpoints whose sessions you want to retrieve")
    public endpointIds?: string[];

    /** @description Filter by the from  (this is a contains search) */
    // @ApiMember(Description="Filter by the from  (this is a contains search)")
    public from?: string;

    /** @description Filter by the to  (this is a contains search) */
    // @ApiMember(Description="Filter by the to  (this is a contains search)")
    public to?: string;

    /** @description Filter by text in the log */
    // @ApiMember(Description="Filter by text in the log")
    public log?: string;

    /** @description Filter by parent session ID */
    // @ApiMember(Description="Filter by parent session ID")
    public parentSessionId?: string;

    public constructor(init?: Partial<ListSessions>) { super(init); (Object as any).assign(this, init); }
    public getTypeName() { return 'ListSessions'; }
    public getMethod() { return 'GET'; }
    public createResponse() { return new ListResponse<SessionInfo>(); }
}

// @Route("/sessions/active", "GET")
/** @description Get your active sessions. Will eventually replace GetMySessions */
// @Api(Description="Get your active sessions. Will eventually replace GetMySessions")
export class GetActiveSessions implements IReturn<GetActiveSessionsResponse>
{
    public constructor(init?: Partial<GetActiveSessions>) { (Object as any).assign(this, init); }
    public getTypeName() { return 'GetActiveSessions'; }
    public getMethod() { return 'GET'; }
    public createResponse() { return new GetActiveSessionsResponse(); }
}

// @Route("/sessions/{sessionId}", "GET")
/** @description Get the specified session */
// @Api(Description="Get the specified session")
export class GetSession implements IReturn<SessionInfo>, IGet
{
    /** @description The ID of the session to retrieve */
    // @ApiMember(Description="The ID of the session to retrieve")
    public sessionId?: string;

    public constructor(init?: Partial<GetSession>) { (Object as any).assign(this, init); }
    public getTypeName() { return 'GetSession'; }
    public getMethod() { return 'GET'; }
    public createResponse() { return new SessionInfo(); }
}

// @Route("/sessions", "POST")
/** @description Create a new session */
// @Api(Description="Create a new session")
export class NewSession implements IReturn<SessionInfo>, IPost
{
    /** @description A display name for this session */
    // @ApiMember(Description="A display name for this session")
    public displayName?: string;

    /** @description The type of session */
    // @ApiMember(Description="The type of session")
    public channel?: FlowChannels;

    /** @description The session direction (defaults to Outgoing) */
    // @ApiMember(Description="The session direction (defaults to Outgoing)")
    public direction?: SessionDirections;

    /** @description The current session call state (defaults to Connected) */
    // @ApiMember(Description="The current session call state (defaults to Connected)")
    public callState?: SessionCallState;

    /** @description The From address for the session (defaults to user's email) */
    // @ApiMember(Description="The From address for the session (defaults to user's email)")
    public fromAddress?: string;

    /** @description The From name for the session */
    // @ApiMember(Description="The From name for the session")
    public fromName?: string;

    /** @description The To address for the session */
    // @ApiMember(Description="The To address for the session")
    public toAddress?: string;

    /** @description Parent session (e.g. for billing purposes) */
    // @ApiMember(Description="Parent session (e.g. for billing purposes)")
    public parentSessionId?: string;

    /** @description Specify a customer to associate with this session */
    // @ApiMember(Description="Specify a customer to associate with this session")
    public customerId?: string;

    /** @description Start a chat session with a specified user/team (e.g. user:userid or team:teamid) */
    // @ApiMember(Description="Start a chat session with a specified user/team (e.g. user:userid or team:teamid)")
    public withAddress?: string;

    /** @description Use the specified caller ID (if dialing out) */
    // @ApiMember(Description="Use the specified caller ID (if dialing out)")
    public fromPhoneNumber?: string;

    /** @description The dialed destination value */
    // @ApiMember(Description="The dialed destination value")
    public destination?: string;

    /** @description User email addresses to add as members */
    // @ApiMember(Description="User email addresses to add as members")
    public memberEmailAddresses?: string[];

    /** @description Start the session's flow? */
    // @ApiMember(Description="Start the session's flow?")
    public startSession?: boolean;

    public constructor(init?: Partial<NewSession>) { (Object as any).assign(this, init); }
    public getTypeName() { return 'NewSession'; }
    public getMethod() { return 'POST'; }
    public createResponse() { return new SessionInfo(); }
}

// Operations the example server adds beside the contract's (see its app.rs), as
// /types/typescript would write them: a `string` result, a `byte[]` result and an upload, plus
// ServiceStack's own Authenticate, which @servicestack/client does not export.

export class GetSessionLog implements IReturn<string>, IGet
{
    public sessionId?: string;

    public constructor(init?: Partial<GetSessionLog>) { (Object as any).assign(this, init); }
    public getTypeName() { return 'GetSessionLog'; }
    public getMethod() { return 'GET'; }
    public createResponse() { return ''; }
}

export class GetSessionRecording implements IReturn<Uint8Array>, IGet
{
    public sessionId?: string;

    public constructor(init?: Partial<GetSessionRecording>) { (Object as any).assign(this, init); }
    public getTypeName() { return 'GetSessionRecording'; }
    public getMethod() { return 'GET'; }
    public createResponse() { return new Uint8Array(0); }
}

export class StoredFile
{
    public field?: string;
    public fileName?: string;
    public contentType?: string;
    public length?: number;
    public head?: string;

    public constructor(init?: Partial<StoredFile>) { (Object as any).assign(this, init); }
}

export class UploadSessionFileResponse
{
    public sessionId?: string;
    public description?: string;
    public boundFile?: string;
    public files?: StoredFile[];

    public constructor(init?: Partial<UploadSessionFileResponse>) { (Object as any).assign(this, init); }
}

export class UploadSessionFile implements IReturn<UploadSessionFileResponse>, IPost
{
    public sessionId?: string;
    public description?: string;

    public constructor(init?: Partial<UploadSessionFile>) { (Object as any).assign(this, init); }
    public getTypeName() { return 'UploadSessionFile'; }
    public getMethod() { return 'POST'; }
    public createResponse() { return new UploadSessionFileResponse(); }
}

export class AuthenticateResponse
{
    public userId?: string;
    public sessionId?: string;
    public userName?: string;
    public displayName?: string;
    public bearerToken?: string;
    public refreshToken?: string;
    public roles?: string[];
    public permissions?: string[];

    public constructor(init?: Partial<AuthenticateResponse>) { (Object as any).assign(this, init); }
}

// @Route("/auth/{provider}")
export class Authenticate implements IReturn<AuthenticateResponse>, IPost
{
    public provider?: string;
    public userName?: string;
    public password?: string;
    public rememberMe?: boolean;

    public constructor(init?: Partial<Authenticate>) { (Object as any).assign(this, init); }
    public getTypeName() { return 'Authenticate'; }
    public getMethod() { return 'POST'; }
    public createResponse() { return new AuthenticateResponse(); }
}
