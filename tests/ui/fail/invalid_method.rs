use serde::Serialize;
use ssdto::Request;

#[derive(Serialize, Request)]
#[ssdto(method = "FETCH", returns = ())]
struct BadMethod;

#[derive(Serialize, Request)]
#[ssdto(route("GET,SEND", "/x"), returns = ())]
struct RouteVerb;

#[derive(Serialize, Request)]
#[ssdto(method = "ANY", returns = ())]
struct AnyIsNoMethod;

fn main() {}
