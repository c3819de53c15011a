use serde::Serialize;
use ssdto::Request;

#[derive(Serialize, Request)]
#[ssdto(path = "/x", returns = ())]
struct Derived;

mod included {
    ssdto::include_contract!(
        "contracts/evovoice/sessions.json",
        includes = ["GetSession"]
    );
}

fn main() {}
