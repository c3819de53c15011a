"""Parity capture: ServiceStack's official Python client makes one scenario's calls against a
recording server (tests/client_parity.rs), which compares what it received with what the ssdto
Rust client sends for the same calls.

Usage: python capture.py BASE_URL SCENARIO

Scenarios: refresh, hook, cookies, send_all, send_all_oneway, upload, args. Prints `done` last;
service errors are printed and do not fail the run (the recorded requests are what is compared).
"""

import io
import sys
from dataclasses import dataclass
from typing import List, Optional

from dataclasses_json import LetterCase, Undefined, dataclass_json
from servicestack import IGet, IPost, IReturn, JsonServiceClient, WebServiceException
from servicestack.clients import UploadFile


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class HelloResponse:
    result: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class Hello(IReturn[HelloResponse], IGet):
    name: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class IdResponse:
    id: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class CreateItem(IReturn[IdResponse], IPost):
    name: Optional[str] = None
    price: Optional[float] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class UploadRecording(IReturn[IdResponse], IPost):
    session_id: Optional[str] = None
    title: Optional[str] = None


def main(base_url, scenario):
    client = JsonServiceClient(base_url)
    if scenario == "refresh":
        client.set_bearer_token("jwt-1").set_refresh_token("r1")
        print(client.get(Hello(name="ann")))
    elif scenario == "hook":
        client.set_bearer_token("jwt-1")
        client.on_authentication_required = lambda: client.set_bearer_token("from-hook")
        print(client.get(Hello(name="ann")))
    elif scenario == "cookies":
        print(client.get(Hello(name="first")))
        print(client.get(Hello(name="ann")))
    elif scenario == "send_all":
        print(client.send_all([CreateItem(name="a"), CreateItem(name="b", price=2.5)]))
    elif scenario == "send_all_oneway":
        client.send_all_oneway([CreateItem(name="a"), CreateItem(name="b", price=2.5)])
    elif scenario == "upload":
        files = [
            UploadFile(field_name="recording", file_name="call.png", content_type=None,
                       stream=io.BytesIO(bytes(range(256)) * 4)),
            UploadFile(field_name="upload1", file_name="notes.txt", content_type=None,
                       stream=io.BytesIO(b"hello")),
        ]
        print(client.post_files_with_request(
            UploadRecording(session_id="s1", title="Front desk, Monday"), files))
    elif scenario == "args":
        print(client.get(Hello(name="bo"), args={"AgeOlderThan": "42"}))
        print(client.post(CreateItem(name="a"), args={"AgeOlderThan": "42"}))
    else:
        raise SystemExit(f"unknown scenario {scenario}")


if __name__ == "__main__":
    try:
        main(sys.argv[1], sys.argv[2])
    except WebServiceException as e:
        print(f"service error {e.status_code}")
    print("done")
