use serde::Serialize;
use ssdto::Request;

#[derive(Serialize, Request)]
#[ssdto(
    route("sessions/{id}"),
    route("/sessions//{id}"),
    route("/sessions/{id"),
    route("/files/{path*}/{id}"),
    route("/a/{id}/b/{ID}"),
    returns = ()
)]
struct Bad {
    id: String,
    path: String,
}

fn main() {}
