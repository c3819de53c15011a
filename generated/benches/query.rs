//! Query strings (`cargo bench -p ssdto-generated --bench query`): a fully set ListSessions request
//! encoded by the runtime's serde Serializer against the obvious alternative, a round trip through
//! `serde_json::Value`.

use ssdto_generated::evovoice_sessions::{ListSessions, SortOrders};

fn main() {
    divan::main();
}

fn request() -> ListSessions {
    let ids = |prefix: &str| Some((0..5).map(|i| format!("{prefix}{i}")).collect());
    ListSessions {
        page: 2,
        all: false,
        count_per_page: 50,
        specific_ids: ids("session"),
        sort_field: Some("DateCreated".into()),
        sort_order: SortOrders::Descend,
        simplified_paging: true,
        account_ids: ids("account"),
        search_archive: false,
        start_date: Some("2024-03-01".into()),
        end_date: Some("2024-03-31".into()),
        customer_ids: ids("customer"),
        endpoint_ids: ids("endpoint"),
        from: Some("+1555".into()),
        to: Some("front desk".into()),
        log: Some("transfer, then hold".into()),
        parent_session_id: Some("session-parent".into()),
    }
}

/// The Value route: serialize to a JSON tree, then walk it. Lists are comma-joined without the
/// quoting the runtime applies, which only makes this side cheaper.
fn via_value(request: &ListSessions) -> String {
    fn scalar(value: &serde_json::Value) -> String {
        match value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    let serde_json::Value::Object(map) = serde_json::to_value(request).expect("to_value") else {
        unreachable!("a struct serializes to an object")
    };
    let pairs = map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| {
        let text = match v {
            serde_json::Value::Array(items) => {
                items.iter().map(scalar).collect::<Vec<_>>().join(",")
            }
            other => scalar(other),
        };
        (k.as_str(), text)
    });
    let pairs: Vec<(&str, String)> = pairs.collect();
    ssdto::query::encode_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

#[divan::bench]
fn runtime_serializer(bencher: divan::Bencher) {
    let req = request();
    bencher.bench(|| ssdto::query::to_query_string(divan::black_box(&req), &[]).expect("encode"));
}

#[divan::bench]
fn through_json_value(bencher: divan::Bencher) {
    let req = request();
    bencher.bench(|| via_value(divan::black_box(&req)));
}
