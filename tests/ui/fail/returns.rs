use serde::Serialize;
use ssdto::Request;

#[derive(Serialize, Request)]
#[ssdto(route("/x"))]
struct Neither;

#[derive(Serialize, Request)]
#[ssdto(returns = (), returns_void)]
struct Both;

fn main() {}
