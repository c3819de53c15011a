mod api {
    ssdto::include_contract!("contracts/nowhere.json");
}

fn main() {}
