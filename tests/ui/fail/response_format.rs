use serde::Serialize;
use ssdto::Request;

#[derive(Serialize, Request)]
#[ssdto(returns = String, format = "xml")]
struct Unknown;

#[derive(Serialize, Request)]
#[ssdto(returns_void, format = "text")]
struct VoidText;

#[derive(Serialize, Request)]
#[ssdto(returns = String, format = "text", format = "bytes")]
struct Twice;

fn main() {}
