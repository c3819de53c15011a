mod not_json {
    ssdto::include_contract!("contracts/ui/malformed.json");
}

mod unknown_type {
    ssdto::include_contract!("contracts/ui/unknown_type.json", strict = true);
}

fn main() {}
