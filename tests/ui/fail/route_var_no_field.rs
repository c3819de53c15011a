use serde::Serialize;
use ssdto::Request;

#[derive(Serialize, Request)]
#[serde(rename_all = "camelCase")]
#[ssdto(route("GET", "/sessions/{session_id}"), returns = ())]
struct GetSession {
    session_id: String,
    page: i32,
}

#[derive(Serialize, Request)]
#[ssdto(route("/sessions/{Id}"), returns = ())]
struct Renamed {
    #[serde(rename(serialize = "key", deserialize = "id"))]
    k: String,
}

fn main() {}
