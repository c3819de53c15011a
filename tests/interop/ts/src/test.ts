// Interop checks: ServiceStack's official TypeScript client against the ssdto example server.
//
// Usage: node dist/test.js BASE_URL [USER PASSWORD]
//
// Every request goes through `JsonServiceClient` from `@servicestack/client` with the DTOs in dtos.ts,
// written as ServiceStack's /types/typescript would write them, so the wire format under test is what
// the official client produces (e.g. `GET /api/ListSessions?...&customerIds=a%2Cb`), not ours.
// Prints one line per check and a closing `N passed, N failed` line; exits 1 on any failure.

import { JsonServiceClient } from "@servicestack/client";
import {
    Authenticate,
    FlowChannels,
    GetSessionLog,
    GetSessionRecording,
    UploadSessionFile,
    GetActiveSessions,
    GetActiveSessionsResponse,
    GetSession,
    ListResponse,
    ListSessions,
    NewSession,
    SessionCallState,
    SessionDirections,
    SessionInfo,
    SortOrders,
} from "./dtos";

let passed = 0;
let failed = 0;

class CheckError extends Error {}

function fail(msg: string): never {
    throw new CheckError(msg);
}

function eq<T>(actual: T, expected: T, what: string) {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    if (a !== e) fail(`${what}: expected ${e}, got ${a}`);
}

function describe(e: any): string {
    if (e instanceof CheckError) return e.message;
    if (e && e.responseStatus) {
        const rs = e.responseStatus;
        return `service error errorCode=${JSON.stringify(rs.errorCode)} message=${JSON.stringify(rs.message)}`;
    }
    if (e instanceof Error) return `${e.name}: ${e.message}\n${e.stack}`;
    return JSON.stringify(e);
}

async function check(name: string, fn: () => Promise<void>) {
    try {
        await fn();
        passed++;
        console.log(`ok - ${name}`);
    } catch (e) {
        failed++;
        console.log(`FAIL - ${name}: ${describe(e)}`);
    }
}

/** A client that records the HTTP status of the last response, which thrown errors do not carry. */
function newClient(baseUrl: string, user?: string, password?: string) {
    const client = new JsonServiceClient(baseUrl);
    const seen = { status: 0 };
    client.responseFilter = (res: Response) => {
        seen.status = res.status;
    };
    if (user !== undefined && password !== undefined) client.setCredentials(user, password);
    return { client, seen };
}

async function expectError(
    seen: { status: number },
    call: () => Promise<unknown>,
    status: number,
): Promise<any> {
    let result: unknown;
    try {
        result = await call();
    } catch (e: any) {
        if (e instanceof CheckError) throw e;
        if (seen.status !== status) fail(`expected HTTP ${status}, got ${seen.status}: ${describe(e)}`);
        const rs = e && e.responseStatus;
        if (!rs) fail(`no responseStatus in the error: ${describe(e)}`);
        if (!rs.errorCode) fail(`empty errorCode: ${describe(e)}`);
        if (!rs.message) fail(`empty message: ${describe(e)}`);
        return e;
    }
    fail(`expected a ${status} error, got a result: ${JSON.stringify(result)}`);
}

function ids(items: SessionInfo[] | undefined): string[] {
    return (items ?? []).map((x) => x.id ?? "").sort();
}

async function main(): Promise<number> {
    const [baseUrl, user = "demo", password = "demo"] = process.argv.slice(2);
    if (!baseUrl) {
        console.error("usage: node dist/test.js BASE_URL [USER PASSWORD]");
        return 2;
    }
    const { client, seen } = newClient(baseUrl, user, password);

    // A tag unique to this run keeps the checks independent of sessions the server already holds.
    const tag = Math.random().toString(16).slice(2, 12).padEnd(10, "0");
    const customers = [`cust-${tag}-a`, `cust-${tag}-b`, `cust-${tag}-c`];
    const created: SessionInfo[] = [];

    await check("401 without credentials", async () => {
        const anon = newClient(baseUrl);
        await expectError(anon.seen, () => anon.client.get(new ListSessions()), 401);
        await expectError(anon.seen, () => anon.client.send(new GetSession({ sessionId: "x" })), 401);
    });

    await check("401 with a wrong password", async () => {
        const bad = newClient(baseUrl, user, password + "-wrong");
        await expectError(bad.seen, () => bad.client.send(new NewSession({ displayName: "nope" })), 401);
    });

    await check("NewSession (POST /api/NewSession) returns a SessionInfo", async () => {
        for (let i = 0; i < 5; i++) {
            const req = new NewSession({
                displayName: `${tag} session ${i}`,
                channel: i % 2 === 0 ? FlowChannels.Chat : FlowChannels.Voice,
                direction: SessionDirections.Incoming,
                callState: SessionCallState.Ringing,
                fromAddress: `from-${tag}-${i}@example.com`,
                toAddress: `+1555${String(i).padStart(4, "0")}${tag.slice(0, 4)}`,
                customerId: customers[i % 3],
                withAddress: `user:${tag}`, // the server requires it for Chat sessions
                memberEmailAddresses: [`m${i}@example.com`],
            });
            const s: SessionInfo = await client.send(req);
            if (!s.id) fail("created session has no id");
            eq(s.displayName, req.displayName, "displayName");
            eq(s.channel, req.channel, "channel");
            eq(s.direction, SessionDirections.Incoming, "direction");
            eq(s.callState, SessionCallState.Ringing, "callState");
            eq(s.fromAddress, req.fromAddress, "fromAddress");
            eq(s.toAddress, req.toAddress, "toAddress");
            eq(s.customerId, req.customerId, "customerId");
            created.push(s);
        }
        eq(new Set(created.map((s) => s.id)).size, 5, "distinct ids");
    });

    await check("NewSession defaults: direction Outgoing, callState Connected", async () => {
        const s = await client.post(new NewSession({ displayName: `${tag} defaults`, toAddress: "+15550000000" }));
        eq(s.channel, FlowChannels.Voice, "channel");
        eq(s.direction, SessionDirections.Outgoing, "direction");
        eq(s.callState, SessionCallState.Connected, "callState");
    });

    await check("GetSession (GET /api/GetSession?sessionId=) round-trips every field", async () => {
        if (created.length === 0) fail("no sessions were created");
        for (const s of created) {
            const got = await client.send(new GetSession({ sessionId: s.id }));
            eq(got, s, `GetSession ${s.id}`);
        }
    });

    await check("GetSession unknown id -> 404 with responseStatus", async () => {
        await expectError(seen, () => client.send(new GetSession({ sessionId: `missing-${tag}` })), 404);
    });

    await check("GetSession without sessionId -> 400 with a field error", async () => {
        const e = await expectError(seen, () => client.send(new GetSession()), 400);
        const errors: any[] = e.responseStatus.errors ?? [];
        const names = errors.map((x) => String(x.fieldName ?? "").toLowerCase());
        if (!names.includes("sessionid")) fail(`no field error for sessionId: ${JSON.stringify(errors)}`);
    });

    await check("NewSession Voice without toAddress -> 400 with a field error", async () => {
        const e = await expectError(seen, () => client.send(new NewSession({ channel: FlowChannels.Voice })), 400);
        const errors: any[] = e.responseStatus.errors ?? [];
        const names = errors.map((x) => String(x.fieldName ?? "").toLowerCase());
        if (!names.includes("toaddress")) fail(`no field error for toAddress: ${JSON.stringify(errors)}`);
        if (!errors.every((x) => x.errorCode && x.message)) fail(`incomplete field errors: ${JSON.stringify(errors)}`);
    });

    await check("403 for a user without the User role (guest)", async () => {
        const guest = newClient(baseUrl, "guest", "guest");
        await expectError(guest.seen, () => guest.client.send(new NewSession({ displayName: "x", toAddress: "+1555" })), 403);
        // ListSessions needs no role: the guest may call it.
        const res = await guest.client.send(new ListSessions({ countPerPage: 1 }));
        if (!Array.isArray(res.items)) fail(`guest ListSessions: ${JSON.stringify(res)}`);
    });

    await check("ListSessions paging (countPerPage=2) walks all matches once", async () => {
        const seenIds: string[] = [];
        let page = 0;
        for (;;) {
            const res: ListResponse<SessionInfo> = await client.send(
                new ListSessions({ page, countPerPage: 2, from: `from-${tag}-` }),
            );
            const items = res.items ?? [];
            if (items.length > 2) fail(`page ${page} has ${items.length} items`);
            eq(res.totalCount, 5, `totalCount on page ${page}`);
            eq(res.totalPages, 3, `totalPages on page ${page}`);
            seenIds.push(...items.map((x) => x.id ?? ""));
            if (items.length === 0) break;
            page++;
            if (page >= 10) fail("paging does not end");
        }
        eq(seenIds.sort(), ids(created), "ids over all pages");
        eq(page, 3, "number of non-empty pages");
    });

    await check("ListSessions filters: from/to contains, customerIds list, specificIds", async () => {
        let res = await client.send(new ListSessions({ from: `from-${tag}-3`, all: true }));
        eq(ids(res.items), [created[3].id!], "from contains");
        res = await client.send(new ListSessions({ to: tag.slice(0, 4), customerIds: [customers[0]], all: true }));
        eq(ids(res.items), ids([created[0], created[3]]), "to + customerIds");
        // Two list elements: the TypeScript client sends `customerIds=b%2Cc` (comma percent-encoded).
        res = await client.send(new ListSessions({ customerIds: customers.slice(1), all: true }));
        eq(ids(res.items), ids(created.filter((s) => customers.slice(1).includes(s.customerId!))), "customerIds [b,c]");
        res = await client.send(new ListSessions({ specificIds: [created[1].id!, created[4].id!], all: true }));
        eq(ids(res.items), ids([created[1], created[4]]), "specificIds");
        res = await client.send(new ListSessions({ customerIds: [`nobody-${tag}`], all: true }));
        eq(res.items ?? [], [], "no match");
        eq(res.totalCount, 0, "totalCount of no match");
    });

    await check("ListSessions accountIds filter", async () => {
        const account = created[0].accountId!;
        let res = await client.send(new ListSessions({ accountIds: [account], from: `from-${tag}-`, all: true }));
        eq((res.items ?? []).length, 5, `sessions of account ${account}`);
        res = await client.send(new ListSessions({ accountIds: [`acct-${tag}`], from: `from-${tag}-`, all: true }));
        eq(res.items ?? [], [], "sessions of an unknown account");
    });

    await check("ListSessions sortField/sortOrder", async () => {
        const names = created.map((s) => s.displayName ?? "").sort();
        for (const [order, want] of [
            [SortOrders.Ascend, names],
            [SortOrders.Descend, [...names].reverse()],
        ] as const) {
            const res = await client.send(
                new ListSessions({ from: `from-${tag}-`, sortField: "DisplayName", sortOrder: order, all: true }),
            );
            eq((res.items ?? []).map((x) => x.displayName), want, `order ${order}`);
        }
    });

    await check("GetActiveSessions via send (GET per getMethod)", async () => {
        const res: GetActiveSessionsResponse = await client.send(new GetActiveSessions());
        const sessions = res.sessions ?? [];
        if (sessions.some((x) => x.ended)) fail("an ended session is listed as active");
        const active = new Set(sessions.map((x) => x.id));
        if (!created.every((s) => active.has(s.id))) fail("new sessions missing from active ones");
    });

    await check("/json/reply/{Name} base path (basePath = null)", async () => {
        const legacy = newClient(baseUrl, user, password);
        legacy.client.basePath = null;
        const got = await legacy.client.send(new GetSession({ sessionId: created[0].id }));
        eq(got, created[0], "GetSession via /json/reply");
        const s = await legacy.client.send(new NewSession({ displayName: `${tag} json-reply`, channel: FlowChannels.Fax, toAddress: "+1555" }));
        eq(s.channel, FlowChannels.Fax, "NewSession via /json/reply");
        await expectError(legacy.seen, () => legacy.client.send(new GetSession({ sessionId: `missing-${tag}` })), 404);
    });

    await check("declared routes by URL: GET /sessions/{id}, GET /sessions, POST /sessions", async () => {
        const got = await client.get<SessionInfo>(`/sessions/${encodeURIComponent(created[2].id!)}`);
        eq(got, created[2], "GET /sessions/{sessionId}");
        const res = await client.get<ListResponse<SessionInfo>>("/sessions", { from: `from-${tag}-`, all: true });
        eq((res.items ?? []).length, 5, "GET /sessions?from=");
        const s = await client.postToUrl("/sessions", new NewSession({ displayName: `${tag} by route`, toAddress: "+1555" }));
        eq(s.displayName, `${tag} by route`, "POST /sessions");
        const active = await client.get<GetActiveSessionsResponse>("/sessions/active");
        if (!(active.sessions ?? []).some((x) => x.id === s.id)) fail("POST /sessions result not active");
        await expectError(seen, () => client.get<SessionInfo>(`/sessions/missing-${tag}`), 404);
    });

    await serverFeatures(baseUrl, user, password);

    console.log(`${passed} passed, ${failed} failed`);
    return failed > 0 ? 1 : 0;
}

/** Auth endpoints, token refresh, batches, raw responses and uploads of the ssdto server. */
async function serverFeatures(baseUrl: string, user: string, password: string) {
    const expired = process.env.SSDTO_EXPIRED_TOKEN;
    const signedIn = newClient(baseUrl);
    const c = signedIn.client as any;

    await check("credentials sign-in: JWT cookies, X-Cookies, protected call", async () => {
        const res = await signedIn.client.post(new Authenticate({ provider: "credentials", userName: user, password }));
        eq(res.userName, user, "userName");
        if (!c.useTokenCookie) fail("X-Cookies did not switch the client to token cookies");
        if (!c.cookies["ss-tok"] || !c.cookies["ss-reftok"]) fail("no token cookies");
        const active = await signedIn.client.get(new GetActiveSessions());
        if (!Array.isArray(active.sessions)) fail("no sessions in GetActiveSessions");
    });

    await check("refresh from the ss-reftok cookie after the ss-tok cookie expired", async () => {
        if (!expired) fail("SSDTO_EXPIRED_TOKEN is not set");
        c.cookies["ss-tok"].value = expired;
        const active = await signedIn.client.get(new GetActiveSessions());
        if (!Array.isArray(active.sessions)) fail("no sessions after refresh");
        if (c.cookies["ss-tok"].value === expired) fail("ss-tok was not refreshed");
    });

    await check("refresh a bearer token with refreshToken (server without token cookies)", async () => {
        // A server with token cookies answers every refresh with a cookie (as ServiceStack's
        // GetAccessTokenService), so bearer clients use one with UseTokenCookie = false.
        const bearerUrl = process.env.SSDTO_BEARER_URL;
        if (!bearerUrl) fail("SSDTO_BEARER_URL is not set");
        const signed = await newClient(bearerUrl!).client.post(
            new Authenticate({ provider: "credentials", userName: user, password }));
        if (!signed.bearerToken || !signed.refreshToken) fail("no tokens in the sign-in body");
        const bearer = newClient(bearerUrl!);
        bearer.client.bearerToken = expired!;
        bearer.client.refreshToken = signed.refreshToken;
        const got = await bearer.client.get(new GetSession({ sessionId: "s1" }));
        eq(got.id, "s1", "GetSession after refresh");
        if (!bearer.client.bearerToken || bearer.client.bearerToken === expired) fail("bearer token not replaced");
    });

    await check("sendAll batches and X-AutoBatch-Completed errors", async () => {
        const basic = newClient(baseUrl, user, password);
        const got = await basic.client.sendAll([new GetSession({ sessionId: "s2" }), new GetSession({ sessionId: "s1" })]);
        eq(got.map((x: SessionInfo) => x.id), ["s2", "s1"], "batch results in order");
        await basic.client.sendAllOneWay([new GetSession({ sessionId: "s3" })]);
        const e = await expectError(
            basic.seen,
            () => basic.client.sendAll([new GetSession({ sessionId: "s1" }), new GetSession({ sessionId: "nope" })]),
            404,
        );
        eq(e.responseStatus.meta?.AutoBatchIndex, "1", "AutoBatchIndex");
    });

    await check("text and bytes results", async () => {
        const text = await signedIn.client.get(new GetSessionLog({ sessionId: "s1" }));
        eq(text, "2024-01-05T09:00:00Z Call answered by Alice\n", "GetSessionLog text");
        const data = await signedIn.client.get(new GetSessionRecording({ sessionId: "s1" }));
        if (!(data instanceof Uint8Array)) fail(`recording is not a Uint8Array: ${typeof data}`);
        eq(data.length, 256, "recording length");
        const seed = ("s".charCodeAt(0) + "1".charCodeAt(0)) % 256;
        eq(data[1], (31 ^ seed) % 256, "recording byte 1");
    });

    await check("multipart upload with postBody(request, FormData)", async () => {
        const form = new FormData();
        form.append("description", "from typescript");
        form.append("file", new Blob(["hello from typescript"], { type: "text/plain" }), "note.txt");
        const res = await signedIn.client.postBody(new UploadSessionFile({ sessionId: "s1" }), form);
        eq(res.sessionId, "s1", "sessionId from the query string");
        eq(res.description, "from typescript", "description form field");
        eq(res.boundFile, "note.txt", "file bound to the request field");
        eq((res.files ?? []).map((f) => [f.field, f.fileName, f.length, f.contentType]),
            [["file", "note.txt", 21, "text/plain"]], "stored files");
    });

    await check("logout ends the sign-in", async () => {
        await signedIn.client.post(new Authenticate({ provider: "logout" }));
        try {
            await signedIn.client.get(new GetActiveSessions());
        } catch (e: any) {
            if (![400, 401].includes(signedIn.seen.status)) fail(`status ${signedIn.seen.status}`);
            return;
        }
        fail("a call after logout succeeded");
    });
}

main().then(
    (code) => process.exit(code),
    (e) => {
        console.error(describe(e));
        process.exit(1);
    },
);
