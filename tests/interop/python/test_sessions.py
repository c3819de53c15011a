"""Interop checks: ServiceStack's official Python client against the ssdto example server.

Usage: python test_sessions.py BASE_URL [USER PASSWORD]

Every request goes through `servicestack.JsonServiceClient` with the DTOs in dtos.py, written as
ServiceStack's /types/python would write them, so the wire format under test is the one the official
client produces (e.g. `GET /api/ListSessions?page=0&countPerPage=2&customerIds=[a,b]`), not ours.
Prints one line per check and a closing `N passed, N failed` line; exits 1 on any failure.
"""

import io
import os
import sys
import traceback
import uuid

from servicestack import Authenticate, JsonServiceClient, UploadFile, WebServiceException

from dtos import (
    FlowChannels,
    GetActiveSessions,
    GetActiveSessionsResponse,
    GetSession,
    GetSessionLog,
    GetSessionRecording,
    ListResponse,
    ListSessions,
    NewSession,
    SessionCallState,
    SessionDirections,
    SessionInfo,
    SortOrders,
    UploadSessionFile,
    UploadSessionFileResponse,
)

PASSED = 0
FAILED = 0


def check(name):
    """Runs the decorated function at once as one named check and records its outcome."""

    def run(fn):
        global PASSED, FAILED
        try:
            fn()
        except Exception as e:  # any failure of one check is reported, then the next one runs
            FAILED += 1
            detail = describe(e)
            print(f"FAIL - {name}: {detail}")
            if not isinstance(e, (AssertionError, WebServiceException)):
                traceback.print_exc()
        else:
            PASSED += 1
            print(f"ok - {name}")
        return fn

    return run


def describe(e):
    if isinstance(e, WebServiceException):
        rs = e.response_status
        code = rs.error_code if rs else None
        msg = rs.message if rs else None
        return f"WebServiceException status={e.status_code} errorCode={code!r} message={msg!r}"
    return f"{type(e).__name__}: {e}"


def expect_error(fn, status):
    """Calls fn, which must raise the client's WebServiceException with the given HTTP status."""
    try:
        result = fn()
    except WebServiceException as e:
        assert e.status_code == status, f"expected HTTP {status}, got {describe(e)}"
        assert e.response_status is not None, "no responseStatus parsed from the error body"
        assert e.response_status.error_code, f"empty errorCode in {describe(e)}"
        assert e.response_status.message, f"empty message in {describe(e)}"
        return e
    raise AssertionError(f"expected WebServiceException {status}, got a result: {result!r}")


def eq(actual, expected, what):
    assert actual == expected, f"{what}: expected {expected!r}, got {actual!r}"


def main():
    if len(sys.argv) < 2:
        print("usage: test_sessions.py BASE_URL [USER PASSWORD]", file=sys.stderr)
        return 2
    base_url = sys.argv[1]
    user = sys.argv[2] if len(sys.argv) > 2 else "demo"
    password = sys.argv[3] if len(sys.argv) > 3 else "demo"

    client = JsonServiceClient(base_url)
    client.set_credentials(user, password)

    # A tag unique to this run keeps the checks independent of sessions the server already holds.
    tag = uuid.uuid4().hex[:10]
    customers = [f"cust-{tag}-a", f"cust-{tag}-b", f"cust-{tag}-c"]
    created = []

    @check("401 without credentials")
    def _():
        anon = JsonServiceClient(base_url)
        expect_error(lambda: anon.send(ListSessions()), 401)
        expect_error(lambda: anon.send(GetSession(session_id="x")), 401)

    @check("401 with a wrong password")
    def _():
        bad = JsonServiceClient(base_url).set_credentials(user, password + "-wrong")
        expect_error(lambda: bad.send(NewSession(display_name="nope")), 401)

    @check("NewSession (POST /api/NewSession) returns a typed SessionInfo")
    def _():
        for i in range(5):
            req = NewSession(
                display_name=f"{tag} session {i}",
                channel=FlowChannels.CHAT if i % 2 == 0 else FlowChannels.VOICE,
                direction=SessionDirections.INCOMING,
                call_state=SessionCallState.RINGING,
                from_address=f"from-{tag}-{i}@example.com",
                to_address=f"+1555{i:04d}" + tag[:4],
                customer_id=customers[i % 3],
                with_address=f"user:{tag}",  # the server requires it for Chat sessions
                member_email_addresses=[f"m{i}@example.com"],
            )
            s = client.send(req)
            assert isinstance(s, SessionInfo), f"expected SessionInfo, got {type(s)}"
            assert s.id, "created session has no id"
            eq(s.display_name, req.display_name, "displayName")
            eq(s.channel, req.channel, "channel")
            assert isinstance(s.channel, FlowChannels), f"channel not decoded as enum: {s.channel!r}"
            eq(s.direction, SessionDirections.INCOMING, "direction")
            eq(s.call_state, SessionCallState.RINGING, "callState")
            eq(s.from_address, req.from_address, "fromAddress")
            eq(s.to_address, req.to_address, "toAddress")
            eq(s.customer_id, req.customer_id, "customerId")
            created.append(s)
        eq(len({s.id for s in created}), 5, "distinct ids")

    @check("NewSession defaults: direction Outgoing, callState Connected")
    def _():
        s = client.post(NewSession(display_name=f"{tag} defaults", to_address="+15550000000"))
        eq(s.channel, FlowChannels.VOICE, "channel")
        eq(s.direction, SessionDirections.OUTGOING, "direction")
        eq(s.call_state, SessionCallState.CONNECTED, "callState")

    @check("GetSession (GET /api/GetSession?sessionId=) round-trips every field")
    def _():
        assert created, "no sessions were created"
        for s in created:
            got = client.send(GetSession(session_id=s.id))
            assert isinstance(got, SessionInfo), f"expected SessionInfo, got {type(got)}"
            eq(got, s, f"GetSession {s.id}")

    @check("GetSession unknown id -> 404 with responseStatus")
    def _():
        expect_error(lambda: client.send(GetSession(session_id=f"missing-{tag}")), 404)

    @check("GetSession without sessionId -> 400 with a field error")
    def _():
        e = expect_error(lambda: client.send(GetSession()), 400)
        errors = e.response_status.errors or []
        names = [(x.field_name or "").lower() for x in errors]
        assert "sessionid" in names, f"no field error for sessionId: {errors!r}"

    @check("NewSession Voice without toAddress -> 400 with a field error")
    def _():
        e = expect_error(lambda: client.send(NewSession(channel=FlowChannels.VOICE)), 400)
        errors = e.response_status.errors or []
        names = [(x.field_name or "").lower() for x in errors]
        assert "toaddress" in names, f"no field error for toAddress: {errors!r}"
        assert all(x.error_code and x.message for x in errors), f"incomplete field errors: {errors!r}"

    @check("403 for a user without the User role (guest)")
    def _():
        guest = JsonServiceClient(base_url).set_credentials("guest", "guest")
        expect_error(lambda: guest.send(NewSession(display_name="x", to_address="+1555")), 403)
        # ListSessions needs no role: the guest may call it.
        assert isinstance(guest.send(ListSessions(count_per_page=1)), ListResponse)

    @check("ListSessions paging (countPerPage=2) walks all matches once")
    def _():
        seen = []
        page = 0
        while True:
            res = client.send(ListSessions(page=page, count_per_page=2, from_=f"from-{tag}-"))
            assert isinstance(res, ListResponse), f"expected ListResponse, got {type(res)}"
            items = res.items or []
            assert all(isinstance(x, SessionInfo) for x in items), "items not decoded as SessionInfo"
            assert len(items) <= 2, f"page {page} has {len(items)} items"
            eq(res.total_count, 5, f"totalCount on page {page}")
            eq(res.total_pages, 3, f"totalPages on page {page}")
            seen += [x.id for x in items]
            if not items:
                break
            page += 1
            assert page < 10, "paging does not end"
        eq(sorted(seen), sorted(s.id for s in created), "ids over all pages")
        eq(page, 3, "number of non-empty pages")

    @check("ListSessions filters: from/to contains, customerIds list, specificIds")
    def _():
        res = client.send(ListSessions(from_=f"from-{tag}-3", all=True))
        eq([x.id for x in res.items or []], [created[3].id], "from contains")
        res = client.send(ListSessions(to=tag[:4], customer_ids=[customers[0]], all=True))
        eq(sorted(x.id for x in res.items or []), sorted([created[0].id, created[3].id]), "to + customerIds")
        # Two list elements: the Python client sends `customerIds=[a,b]` (brackets, JSV style).
        res = client.send(ListSessions(customer_ids=customers[1:], all=True))
        want = sorted(s.id for s in created if s.customer_id in customers[1:])
        eq(sorted(x.id for x in res.items or []), want, "customerIds [b,c]")
        res = client.send(ListSessions(specific_ids=[created[1].id, created[4].id], all=True))
        eq(sorted(x.id for x in res.items or []), sorted([created[1].id, created[4].id]), "specificIds")
        res = client.send(ListSessions(customer_ids=[f"nobody-{tag}"], all=True))
        eq(res.items or [], [], "no match")
        eq(res.total_count, 0, "totalCount of no match")

    @check("ListSessions accountIds filter")
    def _():
        account = created[0].account_id
        res = client.send(ListSessions(account_ids=[account], from_=f"from-{tag}-", all=True))
        eq(len(res.items or []), 5, f"sessions of account {account!r}")
        res = client.send(ListSessions(account_ids=[f"acct-{tag}"], from_=f"from-{tag}-", all=True))
        eq(res.items or [], [], "sessions of an unknown account")

    @check("ListSessions sortField/sortOrder")
    def _():
        names = sorted(s.display_name for s in created)
        for order, want in ((SortOrders.ASCEND, names), (SortOrders.DESCEND, names[::-1])):
            res = client.send(
                ListSessions(from_=f"from-{tag}-", sort_field="DisplayName", sort_order=order, all=True)
            )
            eq([x.display_name for x in res.items or []], want, f"order {order.value}")

    @check("GetActiveSessions via send (POST, no IGet marker) and via get")
    def _():
        for how, call in (("send", client.send), ("get", client.get)):
            res = call(GetActiveSessions())
            assert isinstance(res, GetActiveSessionsResponse), f"{how}: got {type(res)}"
            sessions = res.sessions or []
            assert all(isinstance(x, SessionInfo) for x in sessions), f"{how}: items not SessionInfo"
            assert all(not x.ended for x in sessions), f"{how}: an ended session is listed as active"
            ids = {x.id for x in sessions}
            assert {s.id for s in created} <= ids, f"{how}: new sessions missing from active ones"

    @check("/json/reply/{Name} base path (set_base_path())")
    def _():
        legacy = JsonServiceClient(base_url).set_credentials(user, password).set_base_path()
        got = legacy.send(GetSession(session_id=created[0].id))
        eq(got, created[0], "GetSession via /json/reply")
        s = legacy.send(NewSession(display_name=f"{tag} json-reply", channel=FlowChannels.FAX, to_address="+1555"))
        eq(s.channel, FlowChannels.FAX, "NewSession via /json/reply")
        expect_error(lambda: legacy.send(GetSession(session_id=f"missing-{tag}")), 404)

    @check("declared routes by URL: GET /sessions/{id}, GET /sessions, POST /sessions")
    def _():
        got = client.get_url(f"/sessions/{created[2].id}", SessionInfo)
        eq(got, created[2], "GET /sessions/{sessionId}")
        res = client.get_url("/sessions", ListResponse[SessionInfo], args={"from": f"from-{tag}-", "all": True})
        eq(len(res.items or []), 5, "GET /sessions?from=")
        s = client.post_url("/sessions", NewSession(display_name=f"{tag} by route", to_address="+1555"), SessionInfo)
        eq(s.display_name, f"{tag} by route", "POST /sessions")
        active = client.get_url("/sessions/active", GetActiveSessionsResponse)
        assert s.id in {x.id for x in active.sessions or []}, "POST /sessions result not active"
        expect_error(lambda: client.get_url(f"/sessions/missing-{tag}", SessionInfo), 404)

    server_features(base_url, user, password)

    print(f"{PASSED} passed, {FAILED} failed")
    return 1 if FAILED else 0


def cookie(client, name):
    return next((c.value for c in client._session.cookies if c.name == name), None)


def server_features(base_url, user, password):
    """Auth endpoints, token refresh, batches, raw responses and uploads of the ssdto server."""
    expired = os.environ.get("SSDTO_EXPIRED_TOKEN")
    signed_in = JsonServiceClient(base_url)

    @check("credentials sign-in: JWT cookies, X-Cookies, protected call")
    def _():
        res = signed_in.post(Authenticate(provider="credentials", user_name=user, password=password))
        eq(res.user_name, user, "userName")
        assert signed_in.use_token_cookie, "the client did not switch to token cookies"
        assert cookie(signed_in, "ss-tok") and cookie(signed_in, "ss-reftok"), "no token cookies"
        active = signed_in.get(GetActiveSessions())
        assert isinstance(active, GetActiveSessionsResponse)

    @check("refresh from the ss-reftok cookie after the ss-tok cookie expired")
    def _():
        assert expired, "SSDTO_EXPIRED_TOKEN is not set"
        for c in signed_in._session.cookies:
            if c.name == "ss-tok":
                c.value = expired
        active = signed_in.get(GetActiveSessions())
        assert isinstance(active, GetActiveSessionsResponse)
        assert cookie(signed_in, "ss-tok") != expired, "ss-tok was not refreshed"

    @check("refresh a bearer token with set_refresh_token (server without token cookies)")
    def _():
        # A server with token cookies answers every refresh with a cookie (as ServiceStack's
        # GetAccessTokenService), so bearer clients use one with UseTokenCookie = false.
        bearer_url = os.environ.get("SSDTO_BEARER_URL")
        assert bearer_url, "SSDTO_BEARER_URL is not set"
        signed = JsonServiceClient(bearer_url).post(
            Authenticate(provider="credentials", user_name=user, password=password))
        assert signed.bearer_token and signed.refresh_token, "no tokens in the sign-in body"
        bearer = JsonServiceClient(bearer_url)
        bearer.set_bearer_token(expired)
        bearer.set_refresh_token(signed.refresh_token)
        got = bearer.get(GetSession(session_id="s1"))
        eq(got.id, "s1", "GetSession after refresh")
        assert bearer.bearer_token and bearer.bearer_token != expired, "bearer token not replaced"

    @check("send_all batches and X-AutoBatch-Completed errors")
    def _():
        client = JsonServiceClient(base_url).set_credentials(user, password)
        got = client.send_all([GetSession(session_id="s2"), GetSession(session_id="s1")])
        eq([x.id for x in got], ["s2", "s1"], "batch results in order")
        assert all(isinstance(x, SessionInfo) for x in got), "batch items not SessionInfo"
        client.send_all_oneway([GetSession(session_id="s3")])
        e = expect_error(lambda: client.send_all([GetSession(session_id="s1"), GetSession(session_id="nope")]), 404)
        eq(e.response_status.meta.get("AutoBatchIndex") if e.response_status.meta else None, "1", "AutoBatchIndex")

    @check("text and bytes results")
    def _():
        text = signed_in.get(GetSessionLog(session_id="s1"))
        eq(text, "2024-01-05T09:00:00Z Call answered by Alice\n", "GetSessionLog text")
        data = signed_in.get(GetSessionRecording(session_id="s1"))
        assert isinstance(data, bytes), f"got {type(data)}"
        eq(len(data), 256, "recording length")
        seed = (ord("s") + ord("1")) % 256
        eq(data[1], (31 ^ seed) % 256, "recording byte 1")

    @check("post_file_with_request uploads a file and the request's fields")
    def _():
        res = signed_in.post_file_with_request(
            UploadSessionFile(session_id="s1", description="from python"),
            UploadFile(field_name="file", file_name="note.txt", content_type="text/plain",
                       stream=io.BytesIO(b"hello from python")),
        )
        assert isinstance(res, UploadSessionFileResponse), f"got {type(res)}"
        eq(res.session_id, "s1", "sessionId form field")
        eq(res.description, "from python", "description form field")
        eq(res.bound_file, "note.txt", "file bound to the request field")
        eq([(f.field, f.file_name, f.length, f.head) for f in res.files],
           [("file", "note.txt", 17, "hello from pytho")], "stored files")

    @check("logout ends the sign-in")
    def _():
        signed_in.post(Authenticate(provider="logout"))
        assert cookie(signed_in, "ss-tok") is None, "ss-tok survived logout"
        try:
            signed_in.get(GetActiveSessions())
        except WebServiceException as e:
            assert e.status_code in (400, 401), f"status {e.status_code}"
        else:
            raise AssertionError("a call after logout succeeded")


if __name__ == "__main__":
    sys.exit(main())
